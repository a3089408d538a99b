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
