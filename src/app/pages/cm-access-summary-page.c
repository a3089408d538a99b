/* cm-access-summary-page.c: SUMMARY of both flows (the State's slides 11
 * and 17), as "Label : value" rows, and Submit (the wizard's Next,
 * relabelled). Add Account Access also asks for the Terms & Conditions:
 * Submit stays insensitive until the box is checked. A wrong code sends the
 * user back to AUTHORIZATION CODE, with the message on the code.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-summary-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-summary-page.h"
#include "cm-error.h"
#include "cm-protocol.h"
#include "cm-terms-dialog.h"

struct _CmAccessSummaryPage
{
  CmAccessStepPage     parent_instance;

  /* template widgets */
  GtkLabel            *explanation_label;
  GtkListBox          *summary_group;
  GtkWidget           *terms_box;
  GtkCheckButton      *terms_check;

  GPtrArray           *rows;     /* borrowed rows in summary_group */
};

G_DEFINE_FINAL_TYPE (CmAccessSummaryPage, cm_access_summary_page, CM_TYPE_ACCESS_STEP_PAGE)

static void
update_complete (CmAccessSummaryPage *self)
{
  /* The slide: "or you won't be able to continue". A request submitted
   * already is not sent twice (Back from the confirmation). */
  if (cm_access_step_page_is_add_access (self))
    cm_page_set_complete (CM_PAGE (self), gtk_check_button_get_active (self->terms_check));
  else
    cm_page_set_complete (CM_PAGE (self), cm_access_request_get_confirmation_number (
                                            cm_access_step_page_get_request (self)) == NULL);
}

static void
on_terms_toggled_cb (CmAccessSummaryPage *self)
{
  update_complete (self);
}

static void
on_terms_clicked_cb (CmAccessSummaryPage *self)
{
  cm_terms_dialog_present (GTK_WIDGET (self), CM_TERMS_ACCOUNT_ACCESS);
}

static void
cm_access_summary_page_shown (CmPage *page)
{
  CmAccessSummaryPage *self = CM_ACCESS_SUMMARY_PAGE (page);
  CmAccessRequest *request = cm_access_step_page_get_request (self);
  g_autoptr(GPtrArray) lines = cm_access_request_dup_summary (request, cm_page_get_flow (page));

  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->summary_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i + 1 < lines->len; i += 2)
    {
      GtkWidget *row = cm_access_step_page_value_row_new (g_ptr_array_index (lines, i),
                                                          g_ptr_array_index (lines, i + 1));

      gtk_list_box_append (self->summary_group, row);
      g_ptr_array_add (self->rows, row);
    }
  update_complete (self);
}

static gboolean
go_to_code_idle_cb (gpointer user_data)
{
  gtk_widget_activate_action (GTK_WIDGET (user_data), "wizard.go-to", "s", "add-access-code");
  return G_SOURCE_REMOVE;
}

static void
submitted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmAccessSummaryPage *self = g_task_get_source_object (task);
  CmAccessRequest *request = CM_ACCESS_REQUEST (object);
  GError *error = NULL;

  if (cm_access_request_finish (request, result, &error))
    {
      /* Add Account Access ends here; Request Code shows its confirmation. */
      if (cm_access_step_page_is_add_access (self))
        cm_access_request_finish_flow (request, CM_ACCESS_FLOW_ADD_ACCESS);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_strcmp0 (cm_error_get_field (error), CM_MEMBER_AUTHORIZATION_CODE) == 0)
    {
      /* The code is on AUTHORIZATION CODE: the message waits for it there,
       * once the wizard has seen this apply fail. */
      cm_access_request_set_pending_error (request, CM_MEMBER_AUTHORIZATION_CODE,
                                           error->message);
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, go_to_code_idle_cb, g_object_ref (self),
                       g_object_unref);
      g_task_return_error (task, error);
      return;
    }

  cm_access_step_page_return_task (CM_ACCESS_STEP_PAGE (self), task, error,
                                   g_error_matches (error, CM_ERROR, CM_ERROR_TERMS_NOT_ACCEPTED)
                                   ? GTK_WIDGET (self->terms_check) : NULL);
}

static void
cm_access_summary_page_apply_async (CmPage              *page,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  CmAccessSummaryPage *self = CM_ACCESS_SUMMARY_PAGE (page);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  if (cm_access_step_page_is_add_access (self))
    cm_access_request_link_async (cm_access_step_page_get_request (self),
                                  gtk_check_button_get_active (self->terms_check), cancellable,
                                  submitted_cb, task);
  else
    cm_access_request_submit_async (cm_access_step_page_get_request (self), cancellable,
                                    submitted_cb, task);
}

static void
cm_access_summary_page_reset (CmPage *page)
{
  CmAccessSummaryPage *self = CM_ACCESS_SUMMARY_PAGE (page);

  gtk_check_button_set_active (self->terms_check, FALSE);
  update_complete (self);
}

static void
cm_access_summary_page_constructed (GObject *object)
{
  CmAccessSummaryPage *self = CM_ACCESS_SUMMARY_PAGE (object);
  gboolean add_access;

  G_OBJECT_CLASS (cm_access_summary_page_parent_class)->constructed (object);

  add_access = cm_access_step_page_is_add_access (self);

  gtk_widget_set_visible (self->terms_box, add_access);
  gtk_label_set_text (self->explanation_label,
                      add_access
                      ? _("Make sure to agree to the Terms & Conditions by selecting the check "
                          "box or you won't be able to continue. If all of the information is "
                          "correct, select Submit.")
                      : _("If all of the information is correct, select Submit."));
  update_complete (self);
}

static void
cm_access_summary_page_finalize (GObject *object)
{
  g_clear_pointer (&CM_ACCESS_SUMMARY_PAGE (object)->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cm_access_summary_page_parent_class)->finalize (object);
}

static void
cm_access_summary_page_class_init (CmAccessSummaryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  object_class->constructed = cm_access_summary_page_constructed;
  object_class->finalize = cm_access_summary_page_finalize;
  page_class->shown = cm_access_summary_page_shown;
  page_class->apply_async = cm_access_summary_page_apply_async;
  page_class->reset = cm_access_summary_page_reset;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/pages/cm-access-summary-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmAccessSummaryPage, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, CmAccessSummaryPage, summary_group);
  gtk_widget_class_bind_template_child (widget_class, CmAccessSummaryPage, terms_box);
  gtk_widget_class_bind_template_child (widget_class, CmAccessSummaryPage, terms_check);
  gtk_widget_class_bind_template_callback (widget_class, on_terms_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_terms_clicked_cb);
}

static void
cm_access_summary_page_init (CmAccessSummaryPage *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  cm_access_step_page_wrap_check (self->terms_check);
  cm_access_step_page_enter_presses_next (GTK_WIDGET (self->terms_check));
  /* The rows take focus (to be read) but do nothing: Enter there goes on. */
  cm_access_step_page_enter_presses_next (GTK_WIDGET (self->summary_group));
  /* Translators: the wizard's Next button on the summary, as on the slides. */
  cm_page_set_next_label (CM_PAGE (self), _("_Submit"));
}
