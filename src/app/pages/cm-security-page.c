/* cm-security-page.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sign-up security setup (the State's slide 6, docs/ui.md): User ID
 * (proposed, checked as the user types), password with the live checklist
 * and a strength meter, recovery options. Next creates the account and
 * signs in. The profile comes from the window's CmSignUpForm, never from
 * the profile page; the User ID and the recovery choices are bound to it.
 */

#define G_LOG_DOMAIN "cm-security-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-error.h"
#include "cm-password-checklist.h"
#include "cm-protocol.h"
#include "cm-security-page-private.h"
#include "cm-validate.h"

#define CHECK_DELAY_MS 600

struct _CmSecurityPage
{
  CmPage               parent_instance;

  /* template widgets */
  AdwEntryRow         *user_id_row;
  GtkLabel            *availability_label;
  GtkWidget           *retry_check_button;
  AdwPasswordEntryRow *password_row;
  AdwPasswordEntryRow *confirm_row;
  CmPasswordChecklist *checklist;
  AdwActionRow        *email_row;      /* the first recovery option: its errors show here */
  GtkCheckButton      *email_check;
  GtkCheckButton      *text_check;
  AdwActionRow        *text_row;
  GtkCheckButton      *questions_check;
  GtkRevealer         *questions_revealer;
  AdwComboRow         *question1_row;
  AdwPasswordEntryRow *answer1_row;
  AdwComboRow         *question2_row;
  AdwPasswordEntryRow *answer2_row;

  /* owned */
  CmSignUpForm        *form;
  GBindingGroup       *form_bindings;  /* User ID and recovery choices */
  GCancellable        *check_cancellable;
  char                *proposed_user_id;
  char                *checked_user_id;

  guint                check_id;
  CmAvailability       availability;
};

G_DEFINE_FINAL_TYPE (CmSecurityPage, cm_security_page, CM_TYPE_PAGE)

static const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static const char *
first_name (CmSecurityPage *self)
{
  return cm_sign_up_form_get_text (self->form, CM_MEMBER_FIRST_NAME);
}

static const char *
last_name (CmSecurityPage *self)
{
  return cm_sign_up_form_get_text (self->form, CM_MEMBER_LAST_NAME);
}

static char *
question_text (AdwComboRow *row)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (row);

  return g_strdup (item ? gtk_string_object_get_string (item) : "");
}

static void
update_complete (CmSecurityPage *self)
{
  gboolean ok = self->availability == CM_AVAILABILITY_AVAILABLE;
  gboolean questions = gtk_check_button_get_active (self->questions_check);

  ok = ok && cm_password_checklist_get_all_met (self->checklist);
  ok = ok && cm_validate_password_confirmation (text_of (self->password_row),
                                                text_of (self->confirm_row), NULL);
  /* The recovery options do not hold Next back: Next says what is missing
   * (check_recovery ()), where a greyed-out button would not. */
  if (questions)
    {
      g_autofree char *question1 = question_text (self->question1_row);
      g_autofree char *question2 = question_text (self->question2_row);
      const char *asked[] = { question1, question2 };
      const char *answers[] = { text_of (self->answer1_row), text_of (self->answer2_row) };

      ok = ok && cm_validate_security_questions (asked, answers, 2, NULL);
    }

  cm_page_set_complete (CM_PAGE (self), ok);
}

static void
set_availability (CmSecurityPage *self,
                  CmAvailability  availability,
                  const char     *text)
{
  self->availability = availability;
  gtk_label_set_text (self->availability_label, text ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->availability_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->availability_label), "error");
  if (availability == CM_AVAILABILITY_AVAILABLE)
    gtk_widget_add_css_class (GTK_WIDGET (self->availability_label), "success");
  else if (availability == CM_AVAILABILITY_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->availability_label), "error");
  gtk_widget_set_visible (self->retry_check_button, availability == CM_AVAILABILITY_FAILED);
  update_complete (self);
}

static void
check_user_id_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CmSecurityPage *self;
  g_autoptr(GError) error = NULL;
  gboolean available = FALSE;

  if (!cm_api_client_check_user_id_finish (CM_API_CLIENT (object), result, &available, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CM_SECURITY_PAGE (user_data);
  g_clear_object (&self->check_cancellable);

  if (error != NULL)
    {
      /* The check itself failed (not an answer about the User ID). */
      if (cm_error_is_transient (error) || g_error_matches (error, CM_ERROR, CM_ERROR_TLS))
        {
          /* Translators: the back-end could not tell whether a User ID is free. */
          set_availability (self, CM_AVAILABILITY_FAILED, _("Could not check"));
          return;
        }

      set_availability (self, CM_AVAILABILITY_UNKNOWN, NULL);
      cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->user_id_row), error->message);
      return;
    }

  if (available)
    {
      /* Translators: the User ID typed is free to take. */
      set_availability (self, CM_AVAILABILITY_AVAILABLE, _("Available"));
    }
  else
    {
      set_availability (self, CM_AVAILABILITY_TAKEN, NULL);
      cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->user_id_row),
                               cm_error_code_get_message (CM_ERROR_USER_ID_TAKEN));
    }
}

static gboolean
check_timeout_cb (gpointer user_data)
{
  CmSecurityPage *self = CM_SECURITY_PAGE (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  CmSession *session = cm_page_get_session (CM_PAGE (self));

  self->check_id = 0;

  if (!cm_validate_user_id (text_of (self->user_id_row), first_name (self), last_name (self),
                            &normalized, &error))
    {
      set_availability (self, CM_AVAILABILITY_UNKNOWN, NULL);
      if (*text_of (self->user_id_row) != '\0')
        cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->user_id_row), error->message);
      return G_SOURCE_REMOVE;
    }

  if (session == NULL)
    return G_SOURCE_REMOVE;

  g_free (self->checked_user_id);
  self->checked_user_id = g_strdup (normalized);
  self->check_cancellable = g_cancellable_new ();
  /* Translators: shown while the back-end checks whether the User ID is free. */
  set_availability (self, CM_AVAILABILITY_CHECKING, _("Checking…"));
  cm_api_client_check_user_id_async (cm_session_get_api_client (session), normalized,
                                     self->check_cancellable, check_user_id_cb, self);

  return G_SOURCE_REMOVE;
}

static void
schedule_check (CmSecurityPage *self)
{
  /* Every keystroke cancels the question in flight and waits for a pause. */
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_handle_id (&self->check_id, g_source_remove);
  set_availability (self, CM_AVAILABILITY_UNKNOWN, NULL);
  self->check_id = g_timeout_add (CHECK_DELAY_MS, check_timeout_cb, self);
}

static void
update_checklist (CmSecurityPage *self)
{
  g_autofree char *user_id = g_strstrip (g_strdup (text_of (self->user_id_row)));

  cm_password_checklist_update (self->checklist, text_of (self->password_row), user_id,
                                first_name (self), last_name (self));
}

static void
on_user_id_changed_cb (CmSecurityPage *self)
{
  schedule_check (self);
  update_checklist (self);
  update_complete (self);
}

static void
on_retry_check_clicked_cb (CmSecurityPage *self)
{
  schedule_check (self);
}

/* A confirmation that does not match says so on its field, before Next. */
static void
show_confirm_check (CmPage *page)
{
  CmSecurityPage *self = CM_SECURITY_PAGE (page);
  g_autoptr(GError) error = NULL;

  cm_validate_password_confirmation (text_of (self->password_row), text_of (self->confirm_row),
                                     &error);
  cm_page_show_check (page, GTK_WIDGET (self->confirm_row), error);
}

static void
on_password_changed_cb (CmSecurityPage *self)
{
  update_checklist (self);
  update_complete (self);
  cm_page_schedule_check (CM_PAGE (self), show_confirm_check);
}

static void
on_confirm_changed_cb (CmSecurityPage *self)
{
  update_complete (self);
  cm_page_schedule_check (CM_PAGE (self), show_confirm_check);
}

static void
on_recovery_changed_cb (CmSecurityPage *self)
{
  cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->email_row), NULL);
  gtk_revealer_set_reveal_child (self->questions_revealer,
                                 gtk_check_button_get_active (self->questions_check));
  update_complete (self);
}

static void
on_question_selected_cb (CmSecurityPage *self)
{
  update_complete (self);
}

/* ---- apply: create the user, then sign in -------------------------------- */

typedef struct
{
  char *user_id;
  char *password;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_free (data->user_id);
  cm_secret_free (data->password);
  g_free (data);
}

typedef struct
{
  CmSecurityPage *self;
  char           *field;
  char           *message;
} ProfileError;

static void
profile_error_free (ProfileError *error)
{
  g_object_unref (error->self);
  g_free (error->field);
  g_free (error->message);
  g_free (error);
}

/* Once the wizard has seen this apply fail: to the profile page by name,
 * then the message, which that page puts on its field and focuses. */
static gboolean
go_to_profile_idle_cb (gpointer user_data)
{
  ProfileError *error = user_data;
  GtkWidget *self = GTK_WIDGET (error->self);

  if (gtk_widget_get_root (self) != NULL)
    gtk_widget_activate_action (self, "wizard.go-to", "s", "profile");
  cm_sign_up_form_report_profile_error (error->self->form, error->field, error->message);

  return G_SOURCE_REMOVE;
}

static void
show_apply_error (CmSecurityPage *self,
                  const GError   *error)
{
  const char *field = cm_error_get_field (error);
  const char *profile_field = cm_sign_up_form_profile_field_of (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, CM_ERROR, CM_ERROR_USER_ID_TAKEN) ||
      g_error_matches (error, CM_ERROR, CM_ERROR_INVALID_USER_ID) ||
      g_strcmp0 (field, "user_id") == 0)
    {
      if (g_error_matches (error, CM_ERROR, CM_ERROR_USER_ID_TAKEN))
        set_availability (self, CM_AVAILABILITY_TAKEN, NULL);
      cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->user_id_row), error->message);
    }
  else if (g_error_matches (error, CM_ERROR, CM_ERROR_PASSWORD_MISMATCH) ||
           g_strcmp0 (field, "password_confirm") == 0)
    {
      cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->confirm_row), error->message);
    }
  else if (g_error_matches (error, CM_ERROR, CM_ERROR_WEAK_PASSWORD) ||
           g_strcmp0 (field, "password") == 0)
    {
      cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->password_row), error->message);
    }
  else if (g_strcmp0 (field, CM_MEMBER_RECOVERY) == 0)
    {
      cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->email_row), error->message);
    }
  else if (g_strcmp0 (field, "questions") == 0)
    {
      cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->answer1_row), error->message);
    }
  else if (profile_field != NULL)
    {
      /* The field is on the profile page: go there, keeping everything. */
      ProfileError *data = g_new0 (ProfileError, 1);

      data->self = g_object_ref (self);
      data->field = g_strdup (profile_field);
      data->message = g_strdup (error->message);
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, go_to_profile_idle_cb, data,
                       (GDestroyNotify) profile_error_free);
    }
  else
    {
      cm_page_show_error_toast (CM_PAGE (self), error, cm_error_is_transient (error));
    }
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmSecurityPage *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!cm_session_sign_in_finish (CM_SESSION (object), result, &error))
    {
      /* The account exists; only signing in failed. Say so, and send the
       * user to the sign-in page rather than creating it twice. */
      cm_page_show_error_toast (CM_PAGE (self), error, FALSE);
      cm_page_set_next_page (CM_PAGE (self), "sign-in");
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Not simply the next page: the access flows' steps come before it. */
  cm_page_set_next_page (CM_PAGE (self), "access-options");
  g_task_return_boolean (task, TRUE);
}

static void
create_user_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmSecurityPage *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;
  GSettings *settings;

  user_id = cm_api_client_create_user_finish (CM_API_CLIENT (object), result, &error);
  if (user_id == NULL)
    {
      show_apply_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Created: the draft has served its purpose. */
  cm_sign_up_form_forget_draft (self->form);
  settings = cm_page_get_settings (CM_PAGE (self));
  if (settings != NULL)
    g_settings_set_string (settings, "last-user-id", user_id);

  cm_session_sign_in_async (cm_page_get_session (CM_PAGE (self)), user_id, data->password, FALSE,
                            g_task_get_cancellable (task), sign_in_cb, g_object_ref (task));
}

/* The rule the back-end and the account settings apply too: at least one way to recover
 * the password, and a PIN by text only with a mobile number. */
static gboolean
check_recovery (const CmSignUpRequest  *request,
                GError                **error)
{
  guint n_questions = request->security_questions != NULL
                      ? g_strv_length (request->security_questions) : 0;

  return cm_validate_recovery_options (request->recovery_email, request->recovery_text,
                                       n_questions, request->mobile_phone, error);
}

static void
cm_security_page_apply_async (CmPage              *page,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  CmSecurityPage *self = CM_SECURITY_PAGE (page);
  g_autoptr(GTask) task = NULL;
  g_autoptr(CmSignUpRequest) request = cm_sign_up_request_new ();
  GError *error = NULL;
  ApplyData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_security_page_apply_async);

  /* Everything but the secrets is in the form; those come from here. */
  cm_sign_up_form_fill_request (self->form, request);
  request->password = g_strdup (text_of (self->password_row));
  request->password_confirm = g_strdup (text_of (self->confirm_row));
  if (gtk_check_button_get_active (self->questions_check))
    {
      request->security_questions = g_new0 (char *, 3);
      request->security_answers = g_new0 (char *, 3);
      request->security_questions[0] = question_text (self->question1_row);
      request->security_questions[1] = question_text (self->question2_row);
      request->security_answers[0] = g_strdup (text_of (self->answer1_row));
      request->security_answers[1] = g_strdup (text_of (self->answer2_row));
    }
  if (!check_recovery (request, &error))
    {
      show_apply_error (self, error);
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (ApplyData, 1);
  data->user_id = g_strdup (request->user_id);
  data->password = g_strdup (request->password);
  g_task_set_task_data (task, data, (GDestroyNotify) apply_data_free);

  cm_api_client_create_user_async (cm_session_get_api_client (cm_page_get_session (page)),
                                   request, cancellable, create_user_cb,
                                   g_steal_pointer (&task));
}

static gboolean
cm_security_page_apply_finish (CmPage        *page,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, page), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_security_page_apply_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- CmPage ---------------------------------------------------------------- */

static void
cm_security_page_shown (CmPage *page)
{
  CmSecurityPage *self = CM_SECURITY_PAGE (page);
  const char *current = text_of (self->user_id_row);
  gboolean has_mobile;

  /* Propose lastname + first initial + 4 digits until the user types their own. */
  if (*current == '\0' || g_strcmp0 (current, self->proposed_user_id) == 0)
    {
      g_autofree char *proposal = NULL;

      proposal = cm_validate_propose_user_id (first_name (self), last_name (self),
                                              g_random_int_range (0, 10000));
      /* Same names as last time: keep the digits already proposed. */
      if (self->proposed_user_id != NULL && proposal != NULL &&
          strlen (proposal) == strlen (self->proposed_user_id) &&
          strncmp (proposal, self->proposed_user_id, strlen (proposal) - 4) == 0)
        {
          g_free (proposal);
          proposal = g_strdup (self->proposed_user_id);
        }

      if (proposal != NULL && g_strcmp0 (proposal, current) != 0)
        {
          g_free (self->proposed_user_id);
          self->proposed_user_id = g_strdup (proposal);
          gtk_editable_set_text (GTK_EDITABLE (self->user_id_row), proposal);
        }
    }

  {
    g_autoptr(CmSignUpRequest) request = cm_sign_up_request_new ();

    cm_sign_up_form_fill_request (self->form, request);
    has_mobile = *request->mobile_phone != '\0';
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->text_check), has_mobile);
  gtk_widget_set_sensitive (GTK_WIDGET (self->text_row), has_mobile);

  /* The names may have changed since: check the User ID and password again. */
  if (self->availability != CM_AVAILABILITY_CHECKING)
    schedule_check (self);
  update_checklist (self);
  update_complete (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static gboolean
cm_security_page_has_input (CmPage *page)
{
  CmSecurityPage *self = CM_SECURITY_PAGE (page);

  return *text_of (self->password_row) != '\0' || *text_of (self->confirm_row) != '\0';
}

static void
cm_security_page_reset (CmPage *page)
{
  CmSecurityPage *self = CM_SECURITY_PAGE (page);

  gtk_editable_set_text (GTK_EDITABLE (self->user_id_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->answer1_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->answer2_row), "");
  gtk_check_button_set_active (self->email_check, TRUE);
  gtk_check_button_set_active (self->text_check, FALSE);
  gtk_check_button_set_active (self->questions_check, FALSE);
  g_clear_pointer (&self->proposed_user_id, g_free);
  g_clear_handle_id (&self->check_id, g_source_remove);
  cm_page_set_next_page (page, NULL);
  set_availability (self, CM_AVAILABILITY_UNKNOWN, NULL);
  /* Cancel, or a log off: the sign-up is given up, with its saved draft. */
  cm_sign_up_form_clear (self->form);
}

/* A User ID from the saved draft is checked when the page is shown. */
static void
attach_form (CmSecurityPage *self,
             CmSignUpForm   *form)
{
  self->form = g_object_ref (form);
  self->form_bindings = g_binding_group_new ();
  g_binding_group_bind (self->form_bindings, "user-id", self->user_id_row, "text",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->form_bindings, "recovery-email", self->email_check, "active",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->form_bindings, "recovery-text", self->text_check, "active",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_handlers_block_by_func (self->user_id_row, on_user_id_changed_cb, self);
  g_binding_group_set_source (self->form_bindings, form);
  g_signal_handlers_unblock_by_func (self->user_id_row, on_user_id_changed_cb, self);
}

static void
cm_security_page_dispose (GObject *object)
{
  CmSecurityPage *self = CM_SECURITY_PAGE (object);

  g_clear_handle_id (&self->check_id, g_source_remove);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  /* The form outlives the page: unbind before the rows go. */
  if (self->form_bindings != NULL)
    g_binding_group_set_source (self->form_bindings, NULL);
  g_clear_object (&self->form_bindings);
  g_clear_object (&self->form);

  G_OBJECT_CLASS (cm_security_page_parent_class)->dispose (object);
}

static void
cm_security_page_finalize (GObject *object)
{
  CmSecurityPage *self = CM_SECURITY_PAGE (object);

  g_free (self->proposed_user_id);
  g_free (self->checked_user_id);

  G_OBJECT_CLASS (cm_security_page_parent_class)->finalize (object);
}

static void
cm_security_page_class_init (CmSecurityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  object_class->dispose = cm_security_page_dispose;
  object_class->finalize = cm_security_page_finalize;
  page_class->apply_async = cm_security_page_apply_async;
  page_class->apply_finish = cm_security_page_apply_finish;
  page_class->shown = cm_security_page_shown;
  page_class->has_input = cm_security_page_has_input;
  page_class->reset = cm_security_page_reset;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/pages/cm-security-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, user_id_row);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, availability_label);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, retry_check_button);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, checklist);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, email_check);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, text_check);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, text_row);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, questions_check);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, questions_revealer);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, question1_row);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, answer1_row);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, question2_row);
  gtk_widget_class_bind_template_child (widget_class, CmSecurityPage, answer2_row);
  gtk_widget_class_bind_template_callback (widget_class, on_user_id_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_check_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_recovery_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_question_selected_cb);
}

static void
cm_security_page_init (CmSecurityPage *self)
{
  g_type_ensure (CM_TYPE_PASSWORD_CHECKLIST);
  gtk_widget_init_template (GTK_WIDGET (self));

  adw_combo_row_set_selected (self->question2_row, 1);
  /* Translators: shown in the empty User ID field, as on the State's site. */
  cm_entry_row_set_placeholder (self->user_id_row, _("Enter a User ID"));
  /* Translators: shown in the empty password field, as on the State's site. */
  cm_entry_row_set_placeholder (ADW_ENTRY_ROW (self->password_row), _("Enter password"));
  /* Translators: the title of the second sign-up page. */
  cm_page_set_title (CM_PAGE (self), _("Security Setup"));
}

/**
 * cm_security_page_new:
 * @session: (nullable): the session
 * @settings: (nullable): where the last User ID is kept
 * @form: the sign-up form the window owns
 *
 * Returns: (transfer floating): the security page
 */
CmPage *
cm_security_page_new (CmSession    *session,
                      GSettings    *settings,
                      CmSignUpForm *form)
{
  CmSecurityPage *self;

  g_return_val_if_fail (CM_IS_SIGN_UP_FORM (form), NULL);

  self = g_object_new (CM_TYPE_SECURITY_PAGE,
                       "session", session,
                       "settings", settings,
                       "flow", CM_SIGN_UP_FLOW,
                       /* Translators: a step of signing up, as the slides write it. */
                       "step", _("SECURITY SETUP"),
                       NULL);
  attach_form (self, form);

  return CM_PAGE (self);
}

CmAvailability
cm_security_page_get_availability (CmSecurityPage *self)
{
  g_return_val_if_fail (CM_IS_SECURITY_PAGE (self), CM_AVAILABILITY_UNKNOWN);

  return self->availability;
}

/**
 * cm_security_page_get_proposed_user_id:
 *
 * Returns: (nullable): the User ID the page proposed from the profile
 */
const char *
cm_security_page_get_proposed_user_id (CmSecurityPage *self)
{
  g_return_val_if_fail (CM_IS_SECURITY_PAGE (self), NULL);

  return self->proposed_user_id;
}
