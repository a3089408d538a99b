/* cm-access-type-page.c: Request Code, SELECT (the State's slide 8):
 * the account type, Mechanic first.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-type-page"

#include "config.h"

#include "cm-access-type-page.h"
#include "cm-plain-text.h"

struct _CmAccessTypePage
{
  CmAccessStepPage  parent_instance;

  /* template widgets */
  GtkWidget        *spinner;
  GtkListBox       *types_list;
};

G_DEFINE_FINAL_TYPE (CmAccessTypePage, cm_access_type_page, CM_TYPE_ACCESS_STEP_PAGE)

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  CmAccessTypePage *self = user_data;
  CmAccessRequest *request = cm_access_step_page_get_request (self);
  GtkWidget *row = cm_plain_row_new (ADW_TYPE_ACTION_ROW);
  guint index = 0;
  GListModel *labels = cm_access_request_get_type_labels (request);

  /* The row's name is the type's id, for tests and the AT-SPI script. */
  while (index < g_list_model_get_n_items (labels))
    {
      g_autoptr(GObject) other = g_list_model_get_item (labels, index);

      if (other == item)
        break;
      index++;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_name (row, cm_access_request_get_type_id (request, index));

  return row;
}

/* The types came after the page took focus, when nothing on it could take
 * it but the scrolled window, where a screen reader reads nothing: focus
 * goes to the type picked. Focus the user moved elsewhere stays there. */
static void
focus_row_if_on_page (CmAccessTypePage *self,
                      GtkListBoxRow    *row)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)) &&
      !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->types_list)))
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
sync_selection (CmAccessTypePage *self)
{
  guint index = cm_access_request_get_type_index (cm_access_step_page_get_request (self));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->types_list, (int) index);

  if (row != NULL && row != gtk_list_box_get_selected_row (self->types_list))
    {
      gtk_list_box_select_row (self->types_list, row);
      focus_row_if_on_page (self, row);
    }
  cm_page_set_complete (CM_PAGE (self), row != NULL);
}

static void
on_selection_changed_cb (CmAccessTypePage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->types_list);

  if (row != NULL)
    cm_access_request_set_type_index (cm_access_step_page_get_request (self),
                                      gtk_list_box_row_get_index (row));
}

static void
on_loading_cb (CmAccessTypePage *self)
{
  gboolean loading = cm_access_request_get_loading (cm_access_step_page_get_request (self));

  gtk_widget_set_visible (self->spinner, loading);
  cm_page_set_busy (CM_PAGE (self), loading);
}

static void
on_load_failed_cb (CmAccessTypePage *self,
                   const GError     *error)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    cm_access_step_page_show_error (CM_ACCESS_STEP_PAGE (self), error, NULL);
}

static void
cm_access_type_page_shown (CmPage *page)
{
  cm_access_request_load_types (cm_access_step_page_get_request (page));
}

static void
cm_access_type_page_reset (CmPage *page)
{
  /* The login kind's type again, as a new request starts. */
  cm_access_request_select_preferred_type (cm_access_step_page_get_request (page));
}

static void
cm_access_type_page_constructed (GObject *object)
{
  CmAccessTypePage *self = CM_ACCESS_TYPE_PAGE (object);
  CmAccessRequest *request;

  G_OBJECT_CLASS (cm_access_type_page_parent_class)->constructed (object);

  request = cm_access_step_page_get_request (self);
  gtk_list_box_bind_model (self->types_list, cm_access_request_get_type_labels (request),
                           create_row_cb, self, NULL);
  g_signal_connect_object (request, "notify::type-index", G_CALLBACK (sync_selection), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (request, "notify::loading", G_CALLBACK (on_loading_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (request, "load-failed", G_CALLBACK (on_load_failed_cb), self,
                           G_CONNECT_SWAPPED);
  on_loading_cb (self);
  sync_selection (self);
}

static void
cm_access_type_page_class_init (CmAccessTypePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  object_class->constructed = cm_access_type_page_constructed;
  page_class->shown = cm_access_type_page_shown;
  page_class->reset = cm_access_type_page_reset;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/pages/cm-access-type-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmAccessTypePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CmAccessTypePage, types_list);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed_cb);
}

static void
cm_access_type_page_init (CmAccessTypePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The arrows and Space pick a type; Enter goes on with the one picked. */
  cm_access_step_page_enter_presses_next (GTK_WIDGET (self->types_list));
}
