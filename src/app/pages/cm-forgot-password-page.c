/* cm-forgot-password-page.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Forgot password: the User ID and a method send a PIN; the PIN and a new
 * password (same checklist as sign-up; the back-end adds the last-3 rule)
 * set it. The back-end answers the same whether or not the user exists.
 */

#define G_LOG_DOMAIN "cm-forgot-password-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-error.h"
#include "cm-forgot-password-page-private.h"
#include "cm-password-checklist.h"
#include "cm-plain-text.h"
#include "cm-protocol.h"
#include "cm-validate.h"

struct _CmForgotPasswordPage
{
  CmPage               parent_instance;

  /* template widgets */
  AdwEntryRow         *user_id_row;
  GtkCheckButton      *email_check;
  GtkCheckButton      *text_check;
  GtkWidget           *send_button;
  GtkLabel            *sent_label;
  AdwPasswordEntryRow *pin_row;
  AdwPasswordEntryRow *password_row;
  AdwPasswordEntryRow *confirm_row;
  CmPasswordChecklist *checklist;

  /* owned */
  GCancellable        *send_cancellable;

  gboolean             pin_sent;
};

G_DEFINE_FINAL_TYPE (CmForgotPasswordPage, cm_forgot_password_page, CM_TYPE_PAGE)

static const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static void
update_complete (CmForgotPasswordPage *self)
{
  gboolean has_user_id = *text_of (self->user_id_row) != '\0';

  gtk_widget_set_sensitive (self->send_button, has_user_id && self->send_cancellable == NULL);
  cm_page_set_complete (CM_PAGE (self),
                        has_user_id && cm_validate_reset_pin (text_of (self->pin_row), NULL, NULL) &&
                        cm_password_checklist_get_all_met (self->checklist) &&
                        cm_validate_password_confirmation (text_of (self->password_row),
                                                           text_of (self->confirm_row), NULL));
}

/* Says why the PIN or the confirmation is refused, on its field, without
 * waiting for Next (the password itself has the checklist). */
static void
show_checks (CmPage *page)
{
  CmForgotPasswordPage *self = CM_FORGOT_PASSWORD_PAGE (page);
  g_autoptr(GError) pin_error = NULL;
  g_autoptr(GError) confirm_error = NULL;

  cm_validate_reset_pin (text_of (self->pin_row), NULL, &pin_error);
  cm_page_show_check (CM_PAGE (self), GTK_WIDGET (self->pin_row), pin_error);
  cm_validate_password_confirmation (text_of (self->password_row), text_of (self->confirm_row),
                                     &confirm_error);
  cm_page_show_check (CM_PAGE (self), GTK_WIDGET (self->confirm_row), confirm_error);
}

static void
on_changed_cb (CmForgotPasswordPage *self)
{
  g_autofree char *user_id = g_strstrip (g_strdup (text_of (self->user_id_row)));

  cm_password_checklist_update (self->checklist, text_of (self->password_row), user_id,
                                NULL, NULL);
  update_complete (self);
  cm_page_schedule_check (CM_PAGE (self), show_checks);
}

static void
request_reset_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CmForgotPasswordPage *self;
  g_autoptr(GError) error = NULL;

  if (!cm_api_client_request_password_reset_finish (CM_API_CLIENT (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CM_FORGOT_PASSWORD_PAGE (user_data);
  g_clear_object (&self->send_cancellable);
  cm_page_set_busy (CM_PAGE (self), FALSE);

  if (error != NULL)
    {
      if (g_strcmp0 (cm_error_get_field (error), "user_id") == 0)
        cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->user_id_row), error->message);
      else
        cm_page_show_error_toast (CM_PAGE (self), error, FALSE);
      update_complete (self);
      return;
    }

  self->pin_sent = TRUE;
  gtk_label_set_text (self->sent_label,
                      gtk_check_button_get_active (self->text_check)
                      ? _("If this User ID has a mobile number for recovery, a PIN is on its way "
                          "by text message.")
                      : _("If this User ID has an email address for recovery, a PIN is on its way "
                          "by email."));
  gtk_widget_set_visible (GTK_WIDGET (self->sent_label), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_row));
  update_complete (self);
}

/**
 * cm_forgot_password_page_send_pin:
 *
 * Asks the back-end to send a PIN by the chosen method.
 */
void
cm_forgot_password_page_send_pin (CmForgotPasswordPage *self)
{
  g_autofree char *user_id = NULL;
  CmSession *session;

  g_return_if_fail (CM_IS_FORGOT_PASSWORD_PAGE (self));

  session = cm_page_get_session (CM_PAGE (self));
  if (session == NULL || self->send_cancellable != NULL)
    return;

  user_id = g_strstrip (g_strdup (text_of (self->user_id_row)));
  self->send_cancellable = g_cancellable_new ();
  cm_page_set_busy (CM_PAGE (self), TRUE);
  update_complete (self);
  cm_api_client_request_password_reset_async (cm_session_get_api_client (session), user_id,
                                              gtk_check_button_get_active (self->text_check)
                                              ? CM_RESET_METHOD_TEXT : CM_RESET_METHOD_EMAIL,
                                              self->send_cancellable, request_reset_cb, self);
}

static void
on_send_clicked_cb (CmForgotPasswordPage *self)
{
  cm_forgot_password_page_send_pin (self);
}

static void
confirm_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmForgotPasswordPage *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;
  GSettings *settings;
  AdwToast *toast;

  if (!cm_api_client_confirm_password_reset_finish (CM_API_CLIENT (object), result, &error))
    {
      const char *field = cm_error_get_field (error);

      if (g_error_matches (error, CM_ERROR, CM_ERROR_PASSWORD_REUSED) ||
          cm_error_has_detail (error, "password_reused"))
        {
          /* The last-3 rule lives on the back-end: show its answer on the field. */
          cm_password_checklist_set_reused (self->checklist, TRUE);
          cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->password_row),
                                   error->message);
        }
      else if (g_error_matches (error, CM_ERROR, CM_ERROR_INVALID_CODE) ||
               g_error_matches (error, CM_ERROR, CM_ERROR_CODE_EXPIRED) ||
               g_error_matches (error, CM_ERROR, CM_ERROR_CODE_USED) ||
               g_error_matches (error, CM_ERROR, CM_ERROR_INVALID_CREDENTIALS) ||
               g_strcmp0 (field, "pin") == 0)
        {
          cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->pin_row), error->message);
        }
      else if (g_strcmp0 (field, "new_password_confirm") == 0 ||
               g_error_matches (error, CM_ERROR, CM_ERROR_PASSWORD_MISMATCH))
        {
          cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->confirm_row), error->message);
        }
      else if (g_strcmp0 (field, "new_password") == 0 ||
               g_error_matches (error, CM_ERROR, CM_ERROR_WEAK_PASSWORD))
        {
          cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->password_row),
                                   error->message);
        }
      else if (g_strcmp0 (field, "user_id") == 0)
        {
          cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->user_id_row), error->message);
        }
      else
        {
          cm_page_show_error_toast (CM_PAGE (self), error, cm_error_is_transient (error));
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  user_id = g_strstrip (g_strdup (text_of (self->user_id_row)));
  settings = cm_page_get_settings (CM_PAGE (self));
  if (settings != NULL)
    g_settings_set_string (settings, "last-user-id", user_id);
  /* The sign-in page drops its lockout countdown: the reset lifted the lock. */
  cm_session_note_password_reset (cm_page_get_session (CM_PAGE (self)), user_id);

  toast = cm_plain_toast_new (_("Your password was changed. Sign in with the new one."));
  cm_page_add_toast (CM_PAGE (self), toast);
  cm_page_reset (CM_PAGE (self));
  g_task_return_boolean (task, TRUE);
}

static void
cm_forgot_password_page_apply_async (CmPage              *page,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  CmForgotPasswordPage *self = CM_FORGOT_PASSWORD_PAGE (page);
  g_autoptr(GTask) task = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *pin = NULL;
  CmApiClient *client;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_forgot_password_page_apply_async);

  user_id = g_strstrip (g_strdup (text_of (self->user_id_row)));
  /* The digits alone: a PIN typed as a text message groups it ("123 456"). */
  if (!cm_validate_reset_pin (text_of (self->pin_row), &pin, NULL))
    pin = g_strstrip (g_strdup (text_of (self->pin_row)));
  cm_password_checklist_set_reused (self->checklist, FALSE);
  client = cm_session_get_api_client (cm_page_get_session (page));
  cm_api_client_confirm_password_reset_async (client, user_id, pin,
                                              text_of (self->password_row),
                                              text_of (self->confirm_row),
                                              cancellable, confirm_cb, g_steal_pointer (&task));
  cm_secret_free (g_steal_pointer (&pin));
}

static gboolean
cm_forgot_password_page_apply_finish (CmPage        *page,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, page), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cm_forgot_password_page_apply_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cm_forgot_password_page_shown (CmPage *page)
{
  CmForgotPasswordPage *self = CM_FORGOT_PASSWORD_PAGE (page);
  GSettings *settings = cm_page_get_settings (page);

  if (*text_of (self->user_id_row) == '\0' && settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (settings, "last-user-id");

      gtk_editable_set_text (GTK_EDITABLE (self->user_id_row), last);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->user_id_row));
}

static gboolean
cm_forgot_password_page_has_input (CmPage *page)
{
  CmForgotPasswordPage *self = CM_FORGOT_PASSWORD_PAGE (page);

  return *text_of (self->pin_row) != '\0' || *text_of (self->password_row) != '\0';
}

static void
cm_forgot_password_page_reset (CmPage *page)
{
  CmForgotPasswordPage *self = CM_FORGOT_PASSWORD_PAGE (page);

  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->sent_label), FALSE);
  self->pin_sent = FALSE;
  cm_password_checklist_set_reused (self->checklist, FALSE);
  update_complete (self);
}

static void
cm_forgot_password_page_dispose (GObject *object)
{
  CmForgotPasswordPage *self = CM_FORGOT_PASSWORD_PAGE (object);

  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
  g_clear_object (&self->send_cancellable);

  G_OBJECT_CLASS (cm_forgot_password_page_parent_class)->dispose (object);
}

static void
cm_forgot_password_page_class_init (CmForgotPasswordPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  object_class->dispose = cm_forgot_password_page_dispose;
  page_class->apply_async = cm_forgot_password_page_apply_async;
  page_class->apply_finish = cm_forgot_password_page_apply_finish;
  page_class->shown = cm_forgot_password_page_shown;
  page_class->has_input = cm_forgot_password_page_has_input;
  page_class->reset = cm_forgot_password_page_reset;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/pages/cm-forgot-password-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmForgotPasswordPage, user_id_row);
  gtk_widget_class_bind_template_child (widget_class, CmForgotPasswordPage, email_check);
  gtk_widget_class_bind_template_child (widget_class, CmForgotPasswordPage, text_check);
  gtk_widget_class_bind_template_child (widget_class, CmForgotPasswordPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, CmForgotPasswordPage, sent_label);
  gtk_widget_class_bind_template_child (widget_class, CmForgotPasswordPage, pin_row);
  gtk_widget_class_bind_template_child (widget_class, CmForgotPasswordPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, CmForgotPasswordPage, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, CmForgotPasswordPage, checklist);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_send_clicked_cb);
}

static void
cm_forgot_password_page_init (CmForgotPasswordPage *self)
{
  g_type_ensure (CM_TYPE_PASSWORD_CHECKLIST);
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Translators: the title of the password reset page. */
  cm_page_set_title (CM_PAGE (self), _("Forgot Password"));
  cm_page_set_next_page (CM_PAGE (self), "sign-in");
  on_changed_cb (self);
}

CmPage *
cm_forgot_password_page_new (CmSession *session,
                             GSettings *settings)
{
  return g_object_new (CM_TYPE_FORGOT_PASSWORD_PAGE,
                       "session", session,
                       "settings", settings,
                       NULL);
}

gboolean
cm_forgot_password_page_get_pin_sent (CmForgotPasswordPage *self)
{
  g_return_val_if_fail (CM_IS_FORGOT_PASSWORD_PAGE (self), FALSE);

  return self->pin_sent;
}
