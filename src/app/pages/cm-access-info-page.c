/* cm-access-info-page.c: ACCOUNT INFO of both flows (the State's slides 9
 * and 15): the account number and ZIP code, checked by the back-end. Add
 * Account Access asks the account type here too (Request Code asked it on
 * SELECT). A mismatch shows the back-end's one message on the ZIP field.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-info-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-info-page.h"
#include "cm-error.h"
#include "cm-protocol.h"
#include "cm-validate.h"

struct _CmAccessInfoPage
{
  CmAccessStepPage  parent_instance;

  /* template widgets */
  GtkLabel         *explanation_label;
  AdwComboRow      *type_row;
  AdwEntryRow      *number_row;
  AdwEntryRow      *zip_row;
};

G_DEFINE_FINAL_TYPE (CmAccessInfoPage, cm_access_info_page, CM_TYPE_ACCESS_STEP_PAGE)

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
update_complete (CmAccessInfoPage *self)
{
  CmAccessRequest *request = cm_access_step_page_get_request (self);

  cm_page_set_complete (CM_PAGE (self),
                        cm_access_request_get_type_index (request) != GTK_INVALID_LIST_POSITION &&
                        *text_of (self->number_row) != '\0' && *text_of (self->zip_row) != '\0');
}

static void
on_changed_cb (CmAccessInfoPage *self)
{
  update_complete (self);
}

static void
on_type_changed_cb (CmAccessInfoPage *self)
{
  CmAccessRequest *request = cm_access_step_page_get_request (self);
  const char *number_label = cm_access_request_get_number_label (request);
  g_autofree char *explanation = NULL;

  /* Translators: %s is what the account type calls its number ("Mechanic Number"). */
  explanation = g_strdup_printf (_("Enter your %s and ZIP code."), number_label);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->number_row), number_label);
  gtk_label_set_text (self->explanation_label, explanation);
  update_complete (self);
}

/* The back-end names the field it refuses; a mismatch goes under both rows. */
static GtkWidget *
row_for_error (CmAccessInfoPage *self,
               const GError     *error)
{
  if (g_strcmp0 (cm_error_get_field (error), CM_MEMBER_ACCOUNT_NUMBER) == 0)
    return GTK_WIDGET (self->number_row);

  return GTK_WIDGET (self->zip_row);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmAccessInfoPage *self = g_task_get_source_object (task);
  GError *error = NULL;

  cm_access_request_finish (CM_ACCESS_REQUEST (object), result, &error);
  cm_access_step_page_return_task (CM_ACCESS_STEP_PAGE (self), task, error,
                                   error != NULL ? row_for_error (self, error) : NULL);
}

static void
cm_access_info_page_apply_async (CmPage              *page,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  CmAccessInfoPage *self = CM_ACCESS_INFO_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *number = NULL;
  g_autofree char *zip = NULL;
  GError *error = NULL;

  /* The rules live in cm-validate; the page only asks them. */
  if (!cm_validate_account_number (text_of (self->number_row), &number, &error))
    {
      cm_access_step_page_return_task (CM_ACCESS_STEP_PAGE (self), task, error,
                                       GTK_WIDGET (self->number_row));
      return;
    }
  if (!cm_validate_zip (text_of (self->zip_row), &zip, &error))
    {
      cm_access_step_page_return_task (CM_ACCESS_STEP_PAGE (self), task, error,
                                       GTK_WIDGET (self->zip_row));
      return;
    }

  cm_access_request_lookup_async (cm_access_step_page_get_request (self), number, zip,
                                  cancellable, lookup_cb, g_steal_pointer (&task));
}

static gboolean
cm_access_info_page_has_input (CmPage *page)
{
  CmAccessInfoPage *self = CM_ACCESS_INFO_PAGE (page);

  return *text_of (self->number_row) != '\0' || *text_of (self->zip_row) != '\0';
}

static void
cm_access_info_page_reset (CmPage *page)
{
  CmAccessInfoPage *self = CM_ACCESS_INFO_PAGE (page);

  gtk_editable_set_text (GTK_EDITABLE (self->number_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->zip_row), "");
  cm_access_request_clear_lookup (cm_access_step_page_get_request (self));
}

static void
cm_access_info_page_shown (CmPage *page)
{
  CmAccessInfoPage *self = CM_ACCESS_INFO_PAGE (page);

  cm_access_request_load_types (cm_access_step_page_get_request (self));
  gtk_widget_grab_focus (GTK_WIDGET (cm_access_step_page_is_add_access (self)
                                     ? GTK_WIDGET (self->type_row)
                                     : GTK_WIDGET (self->number_row)));
}

static void
cm_access_info_page_constructed (GObject *object)
{
  CmAccessInfoPage *self = CM_ACCESS_INFO_PAGE (object);
  CmAccessRequest *request;

  G_OBJECT_CLASS (cm_access_info_page_parent_class)->constructed (object);

  request = cm_access_step_page_get_request (self);
  /* Request Code asked the type on its own step. */
  if (cm_access_step_page_is_add_access (self))
    {
      adw_combo_row_set_model (self->type_row, cm_access_request_get_type_labels (request));
      g_object_bind_property (request, "type-index", self->type_row, "selected",
                              G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
      gtk_widget_set_visible (GTK_WIDGET (self->type_row), TRUE);
    }
  g_signal_connect_object (request, "notify::type-index", G_CALLBACK (on_type_changed_cb), self,
                           G_CONNECT_SWAPPED);
  on_type_changed_cb (self);
}

static void
cm_access_info_page_class_init (CmAccessInfoPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  object_class->constructed = cm_access_info_page_constructed;
  page_class->shown = cm_access_info_page_shown;
  page_class->apply_async = cm_access_info_page_apply_async;
  page_class->has_input = cm_access_info_page_has_input;
  page_class->reset = cm_access_info_page_reset;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/pages/cm-access-info-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmAccessInfoPage, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, CmAccessInfoPage, type_row);
  gtk_widget_class_bind_template_child (widget_class, CmAccessInfoPage, number_row);
  gtk_widget_class_bind_template_child (widget_class, CmAccessInfoPage, zip_row);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
}

static void
cm_access_info_page_init (CmAccessInfoPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Space opens the list of types; Enter goes on, as in the entries. */
  cm_access_step_page_enter_presses_next (GTK_WIDGET (self->type_row));
  cm_access_step_page_ltr_field (self->number_row);
  cm_access_step_page_ltr_field (self->zip_row);
}
