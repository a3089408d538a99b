/* cm-field-error-row.c: the message under a field in a boxed list
 * (docs/ui.md, "Errors, on the field they name").
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkListBox moves Tab to the next row and, when that row takes no focus,
 * lets focus leave the whole list: a plain message row would make Tab skip
 * the field after it, and Shift+Tab the whole group. This row takes no focus
 * itself and passes the move on to the row beyond it, so Tab follows the
 * layout with every message shown.
 */

#define G_LOG_DOMAIN "cm-field-error-row"

#include "config.h"

#include "cm-field-error-row.h"

struct _CmFieldErrorRow
{
  AdwPreferencesRow parent_instance;

  /* template widgets */
  GtkWidget     *label;
};

G_DEFINE_FINAL_TYPE (CmFieldErrorRow, cm_field_error_row, ADW_TYPE_PREFERENCES_ROW)

static GtkWidget *
sibling_row (GtkWidget *widget,
             gboolean   forward)
{
  GtkWidget *sibling = widget;

  do
    sibling = forward ? gtk_widget_get_next_sibling (sibling)
                      : gtk_widget_get_prev_sibling (sibling);
  while (sibling != NULL &&
         (!gtk_widget_get_visible (sibling) || !gtk_widget_get_sensitive (sibling)));

  return GTK_IS_LIST_BOX_ROW (sibling) ? sibling : NULL;
}

static gboolean
cm_field_error_row_focus (GtkWidget        *widget,
                          GtkDirectionType  direction)
{
  GtkWidget *row;

  switch (direction)
    {
    case GTK_DIR_TAB_FORWARD:
    case GTK_DIR_DOWN:
      row = sibling_row (widget, TRUE);
      break;
    case GTK_DIR_TAB_BACKWARD:
    case GTK_DIR_UP:
      row = sibling_row (widget, FALSE);
      break;
    case GTK_DIR_LEFT:
    case GTK_DIR_RIGHT:
    default:
      return FALSE;
    }

  return row != NULL && gtk_widget_child_focus (row, direction);
}

static void
cm_field_error_row_class_init (CmFieldErrorRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->focus = cm_field_error_row_focus;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/cm-field-error-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CmFieldErrorRow, label);
}

static void
cm_field_error_row_init (CmFieldErrorRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cm_field_error_row_new:
 * @message: the translated message, plain text
 *
 * Returns: (transfer floating): a row that takes no focus and is never
 *   activated or selected
 */
GtkWidget *
cm_field_error_row_new (const char *message)
{
  CmFieldErrorRow *self = g_object_new (CM_TYPE_FIELD_ERROR_ROW, NULL);

  gtk_label_set_text (GTK_LABEL (self->label), message);
  /* A preferences row, so that an AdwPreferencesGroup takes it (its search reads titles). */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), message);
  return GTK_WIDGET (self);
}

/**
 * cm_field_error_row_get_label:
 *
 * Returns: (transfer none): the label holding the message
 */
GtkWidget *
cm_field_error_row_get_label (CmFieldErrorRow *self)
{
  g_return_val_if_fail (CM_IS_FIELD_ERROR_ROW (self), NULL);

  return self->label;
}

/* ---- The fields in error of a page or a window ---- */

static void
on_errored_row_changed_cb (GtkEditable *editable,
                           GHashTable  *shown)
{
  /* The user is fixing it: the old message no longer applies. */
  cm_field_errors_show (shown, GTK_WIDGET (editable), NULL);
}

/**
 * cm_field_errors_show:
 * @shown: the owner's table of rows in error
 * @row: a row, usually an #AdwEntryRow in a boxed list
 * @message: (nullable): the message, or %NULL to clear it
 *
 * Marks @row as invalid (red, the invalid state, described by the message)
 * and shows @message in a row right under it, or as its tooltip outside a
 * list. The message goes away as soon as the user edits @row.
 */
void
cm_field_errors_show (GHashTable *shown,
                      GtkWidget  *row,
                      const char *message)
{
  GtkWidget *message_row = g_hash_table_lookup (shown, row);
  GtkWidget *parent;

  if (message_row != NULL)
    {
      parent = gtk_widget_get_parent (message_row);
      if (message_row == row)
        gtk_widget_set_tooltip_text (row, NULL);
      else if (GTK_IS_LIST_BOX (parent))
        gtk_list_box_remove (GTK_LIST_BOX (parent), message_row);
      g_hash_table_remove (shown, row);
      g_signal_handlers_disconnect_by_func (row, on_errored_row_changed_cb, shown);
    }

  if (message == NULL)
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE);
      return;
    }

  gtk_widget_add_css_class (row, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                  -1);

  parent = gtk_widget_get_parent (row);
  if (GTK_IS_LIST_BOX (parent) && GTK_IS_LIST_BOX_ROW (row))
    {
      message_row = cm_field_error_row_new (message);
      gtk_list_box_insert (GTK_LIST_BOX (parent), message_row,
                           gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) + 1);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE,
                                      cm_field_error_row_get_label (CM_FIELD_ERROR_ROW (message_row)),
                                      -1);
      g_hash_table_insert (shown, row, message_row);
    }
  else
    {
      gtk_widget_set_tooltip_text (row, message);
      g_hash_table_insert (shown, row, row);
    }

  if (GTK_IS_EDITABLE (row))
    g_signal_connect (row, "changed", G_CALLBACK (on_errored_row_changed_cb), shown);
}

void
cm_field_errors_clear (GHashTable *shown)
{
  g_autoptr(GList) rows = g_hash_table_get_keys (shown);

  for (GList *l = rows; l != NULL; l = l->next)
    cm_field_errors_show (shown, l->data, NULL);
}
