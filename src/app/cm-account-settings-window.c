/* cm-account-settings-window.c: the signed-in MILogin account's settings: the profile
 * (names, email, phones), the password and the recovery options. Each page is saved on
 * its own and asks for the current password, which the back-end checks and counts like a
 * sign-in (docs/server.md). A refusal is shown on its field and nothing typed is lost.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-account-settings-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-account-settings-window-private.h"
#include "pages/cm-access-step-page.h"
#include "cm-accessible.h"
#include "cm-error.h"
#include "cm-field-error-row.h"
#include "cm-page.h"
#include "cm-plain-text.h"
#include "cm-password-checklist.h"
#include "cm-protocol.h"
#include "cm-validate.h"

struct _CmAccountSettingsWindow
{
  AdwPreferencesWindow  parent_instance;

  /* owned */
  CmSession            *session;
  GCancellable         *cancellable;
  CmAccountProfile     *profile;       /* (nullable) until loaded */
  GHashTable           *field_errors;  /* row -> its CmFieldErrorRow */
  gboolean              busy;

  /* template children */
  GtkWidget            *profile_page;
  GtkWidget            *password_page;
  GtkWidget            *recovery_page;
  AdwEntryRow          *first_name_row;
  AdwEntryRow          *last_name_row;
  AdwEntryRow          *email_row;
  AdwEntryRow          *email_confirm_row;
  AdwEntryRow          *work_phone_row;
  AdwEntryRow          *mobile_phone_row;
  AdwPasswordEntryRow  *profile_current_row;
  GtkWidget            *profile_save_button;
  AdwPasswordEntryRow  *current_password_row;
  AdwPasswordEntryRow  *new_password_row;
  AdwPasswordEntryRow  *confirm_password_row;
  CmPasswordChecklist  *checklist;
  GtkWidget            *password_save_button;
  AdwActionRow         *recovery_email_row;
  AdwActionRow         *recovery_text_row;
  AdwActionRow         *recovery_questions_row;
  GtkCheckButton       *recovery_email_check;
  GtkCheckButton       *recovery_text_check;
  GtkCheckButton       *recovery_questions_check;
  GtkWidget            *question_group;
  AdwComboRow          *question1_row;
  AdwPasswordEntryRow  *answer1_row;
  AdwComboRow          *question2_row;
  AdwPasswordEntryRow  *answer2_row;
  AdwPasswordEntryRow  *recovery_current_row;
  GtkWidget            *recovery_save_button;
};

G_DEFINE_FINAL_TYPE (CmAccountSettingsWindow, cm_account_settings_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_SESSION = 1,
  N_PROPS
};

static GParamSpec *obj_props[N_PROPS];

static const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static gboolean
has_text (gpointer editable)
{
  return *text_of (editable) != '\0';
}

static gboolean
stored_questions (CmAccountSettingsWindow *self)
{
  return self->profile != NULL && self->profile->questions != NULL &&
         self->profile->questions[0] != NULL;
}

/* ---- Field errors: the message in a row under the field, as the wizard's pages do ---- */

static void
set_field_error (CmAccountSettingsWindow *self,
                 GtkWidget               *row,
                 const char              *message)
{
  cm_field_errors_show (self->field_errors, row, message);
}

/* Where a refusal of the back-end goes: the row of its field on the page that sent it; a
 * lock or a refusal without a field goes to the current password (it is about the
 * password); anything else (network, a back-end down) is a toast. */
static GtkWidget *
row_for_field (CmAccountSettingsWindow *self,
               const char              *field,
               GtkWidget               *current_row)
{
  static const struct { const char *field; gsize offset; } rows[] = {
    { CM_MEMBER_FIRST_NAME, G_STRUCT_OFFSET (CmAccountSettingsWindow, first_name_row) },
    { CM_MEMBER_LAST_NAME, G_STRUCT_OFFSET (CmAccountSettingsWindow, last_name_row) },
    { CM_MEMBER_EMAIL, G_STRUCT_OFFSET (CmAccountSettingsWindow, email_row) },
    { CM_MEMBER_EMAIL_CONFIRM, G_STRUCT_OFFSET (CmAccountSettingsWindow, email_confirm_row) },
    { CM_MEMBER_WORK_PHONE, G_STRUCT_OFFSET (CmAccountSettingsWindow, work_phone_row) },
    { CM_MEMBER_NEW_PASSWORD, G_STRUCT_OFFSET (CmAccountSettingsWindow, new_password_row) },
    { CM_MEMBER_NEW_PASSWORD_CONFIRM,
      G_STRUCT_OFFSET (CmAccountSettingsWindow, confirm_password_row) },
    { CM_MEMBER_RECOVERY, G_STRUCT_OFFSET (CmAccountSettingsWindow, recovery_email_row) },
    { CM_MEMBER_QUESTIONS, G_STRUCT_OFFSET (CmAccountSettingsWindow, answer1_row) },
  };

  if (field == NULL || g_strcmp0 (field, CM_MEMBER_CURRENT_PASSWORD) == 0)
    return current_row;
  /* The mobile number is on the profile, and a PIN by text needs it on recovery. */
  if (g_strcmp0 (field, CM_MEMBER_MOBILE_PHONE) == 0)
    return current_row == GTK_WIDGET (self->recovery_current_row)
           ? GTK_WIDGET (self->recovery_text_row) : GTK_WIDGET (self->mobile_phone_row);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_strcmp0 (field, rows[i].field) == 0)
      return G_STRUCT_MEMBER (GtkWidget *, self, rows[i].offset);
  return current_row;
}

/* The words for a refused current password: the sign-in's message speaks of the User ID,
 * and a lock here locks the sign-in too, which the person must know. */
static char *
message_for (const GError *error)
{
  gint64 minutes = (cm_error_get_retry_after (error) + 59) / 60;

  if (g_error_matches (error, CM_ERROR, CM_ERROR_INVALID_CREDENTIALS))
    return g_strdup (_("Your current password is not correct."));
  if (g_error_matches (error, CM_ERROR, CM_ERROR_ACCOUNT_LOCKED) && minutes > 0)
    return g_strdup_printf (ngettext ("Too many wrong passwords. Your account is locked, for "
                                      "changes and for signing in, for %d more minute.",
                                      "Too many wrong passwords. Your account is locked, for "
                                      "changes and for signing in, for %d more minutes.",
                                      (gulong) minutes), (int) minutes);
  return g_strdup (error->message);
}

static void
show_error (CmAccountSettingsWindow *self,
            const GError            *error,
            GtkWidget               *current_row)
{
  g_autofree char *message = NULL;
  GtkWidget *row;

  if (error->domain != CM_ERROR || cm_error_is_transient (error) ||
      error->code == CM_ERROR_SESSION_EXPIRED || error->code == CM_ERROR_PROTOCOL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        cm_plain_toast_new (error->message));
      return;
    }
  row = row_for_field (self, cm_error_get_field (error), current_row);
  if (row == NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        cm_plain_toast_new (error->message));
      return;
    }
  if (error->code == CM_ERROR_PASSWORD_REUSED)
    cm_password_checklist_set_reused (self->checklist, TRUE);
  message = message_for (error);
  set_field_error (self, row, message);
  gtk_widget_grab_focus (row);
}

/* ---- What the pages show and allow ---- */

static void
update_sensitivity (CmAccountSettingsWindow *self)
{
  gboolean ready = self->profile != NULL && !self->busy;
  gboolean passwords_match = cm_validate_password_confirmation (text_of (self->new_password_row),
                                                                text_of (self->confirm_password_row),
                                                                NULL);

  gtk_widget_set_sensitive (self->profile_save_button,
                            ready && has_text (self->profile_current_row));
  gtk_widget_set_sensitive (self->password_save_button,
                            ready && has_text (self->current_password_row) &&
                            cm_password_checklist_get_all_met (self->checklist) &&
                            passwords_match);
  gtk_widget_set_sensitive (self->recovery_save_button,
                            ready && has_text (self->recovery_current_row));
  gtk_widget_set_visible (self->question_group,
                          gtk_check_button_get_active (self->recovery_questions_check));
}

static void
on_changed_cb (CmAccountSettingsWindow *self,
               GtkWidget               *widget)
{
  GtkWidget *row = GTK_IS_CHECK_BUTTON (widget) ? gtk_widget_get_ancestor (widget,
                                                                          GTK_TYPE_LIST_BOX_ROW)
                                                : widget;

  /* Editing a field takes its message away; a choice of recovery answers all three. */
  if (GTK_IS_CHECK_BUTTON (widget))
    {
      set_field_error (self, GTK_WIDGET (self->recovery_email_row), NULL);
      set_field_error (self, GTK_WIDGET (self->recovery_text_row), NULL);
    }
  if (row != NULL && g_hash_table_contains (self->field_errors, row))
    set_field_error (self, row, NULL);
  if (widget == GTK_WIDGET (self->new_password_row))
    cm_password_checklist_update (self->checklist, text_of (self->new_password_row),
                                  self->profile ? self->profile->user_id : NULL,
                                  self->profile ? self->profile->first_name : NULL,
                                  self->profile ? self->profile->last_name : NULL);
  update_sensitivity (self);
}

static void
on_question_selected_cb (CmAccountSettingsWindow *self)
{
  set_field_error (self, GTK_WIDGET (self->question2_row), NULL);
  update_sensitivity (self);
}

static void
show_questions (CmAccountSettingsWindow *self)
{
  g_autofree char *subtitle = NULL;

  if (stored_questions (self))
    {
      g_autofree char *joined = g_strjoinv ("\n", self->profile->questions);

      /* Translators: under "Security questions"; %s is the questions the user chose, one
       * a line. */
      subtitle = g_strdup_printf (_("Asks:\n%s"), joined);
    }
  else
    {
      /* Translators: under "Security questions": no question is set up yet. */
      subtitle = g_strdup (_("None set up yet"));
    }
  adw_action_row_set_subtitle (self->recovery_questions_row, subtitle);
}

/* Fills the pages from @profile (taken); what the user is typing elsewhere stays. */
static void
show_profile (CmAccountSettingsWindow *self,
              CmAccountProfile        *profile,
              gboolean                 profile_page,
              gboolean                 recovery_page)
{
  g_clear_pointer (&self->profile, cm_account_profile_free);
  self->profile = profile;
  if (profile_page)
    {
      g_autofree char *work = cm_format_phone (profile->work_phone);
      g_autofree char *mobile = cm_format_phone (profile->mobile_phone);

      gtk_editable_set_text (GTK_EDITABLE (self->first_name_row), profile->first_name);
      gtk_editable_set_text (GTK_EDITABLE (self->last_name_row), profile->last_name);
      gtk_editable_set_text (GTK_EDITABLE (self->email_row), profile->email);
      gtk_editable_set_text (GTK_EDITABLE (self->email_confirm_row), profile->email);
      gtk_editable_set_text (GTK_EDITABLE (self->work_phone_row), work);
      gtk_editable_set_text (GTK_EDITABLE (self->mobile_phone_row), mobile);
    }
  if (recovery_page)
    {
      gtk_check_button_set_active (self->recovery_email_check, profile->recovery_email);
      gtk_check_button_set_active (self->recovery_text_check, profile->recovery_text);
      gtk_check_button_set_active (self->recovery_questions_check, stored_questions (self));
      gtk_editable_set_text (GTK_EDITABLE (self->answer1_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->answer2_row), "");
    }
  show_questions (self);
  cm_field_errors_clear (self->field_errors);
  update_sensitivity (self);
}

static void
set_busy (CmAccountSettingsWindow *self,
          gboolean                 busy)
{
  self->busy = busy;
  update_sensitivity (self);
}

static void
saved (CmAccountSettingsWindow *self,
       AdwPasswordEntryRow     *current_row,
       const char              *message)
{
  gtk_editable_set_text (GTK_EDITABLE (current_row), "");
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), cm_plain_toast_new (message));
}

/* ---- Loading ---- */

static void
profile_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CmAccountSettingsWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  CmAccountProfile *profile;

  profile = cm_api_client_get_profile_finish (CM_API_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (profile == NULL)
    {
      show_error (self, error, NULL);
      return;
    }
  show_profile (self, profile, TRUE, TRUE);
}

static void
load_profile (CmAccountSettingsWindow *self)
{
  set_busy (self, TRUE);
  cm_api_client_get_profile_async (cm_session_get_api_client (self->session), self->cancellable,
                                   profile_loaded_cb, self);
}

/* ---- Profile ---- */

static void
profile_saved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CmAccountSettingsWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  CmAccountProfile *profile;

  profile = cm_api_client_update_profile_finish (CM_API_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (profile == NULL)
    {
      show_error (self, error, GTK_WIDGET (self->profile_current_row));
      return;
    }
  show_profile (self, profile, TRUE, FALSE);
  saved (self, self->profile_current_row, _("Profile saved."));
  /* The name and masked email the other windows show come from the session. */
  cm_session_refresh_async (self->session, NULL, NULL, NULL);
}

/* The sign-up's rules (src/common), field by field, before anything is sent. */
static gboolean
check_profile (CmAccountSettingsWindow *self)
{
  const struct { gpointer row; gboolean ok; } checks[] = {
    { self->first_name_row, TRUE }, { self->last_name_row, TRUE }, { self->email_row, TRUE },
    { self->email_confirm_row, TRUE }, { self->work_phone_row, TRUE },
    { self->mobile_phone_row, TRUE },
  };
  GError *errors[G_N_ELEMENTS (checks)] = { NULL };
  gboolean all_ok = TRUE;

  cm_validate_first_name (text_of (self->first_name_row), &errors[0]);
  cm_validate_last_name (text_of (self->last_name_row), &errors[1]);
  cm_validate_email (text_of (self->email_row), NULL, &errors[2]);
  cm_validate_email_confirmation (text_of (self->email_row), text_of (self->email_confirm_row),
                                  &errors[3]);
  cm_validate_phone (text_of (self->work_phone_row), TRUE, CM_MEMBER_WORK_PHONE, NULL, &errors[4]);
  cm_validate_phone (text_of (self->mobile_phone_row), FALSE, CM_MEMBER_MOBILE_PHONE, NULL,
                     &errors[5]);
  for (guint i = G_N_ELEMENTS (checks); i-- > 0;)
    if (errors[i] != NULL)
      {
        set_field_error (self, checks[i].row, errors[i]->message);
        gtk_widget_grab_focus (checks[i].row);
        g_error_free (errors[i]);
        all_ok = FALSE;
      }
  return all_ok;
}

static void
on_profile_save_cb (CmAccountSettingsWindow *self)
{
  CmAccountProfile update = { 0 };

  if (!gtk_widget_get_sensitive (self->profile_save_button) || !check_profile (self))
    return;
  update.first_name = (char *) text_of (self->first_name_row);
  update.last_name = (char *) text_of (self->last_name_row);
  update.email = (char *) text_of (self->email_row);
  update.work_phone = (char *) text_of (self->work_phone_row);
  update.mobile_phone = (char *) text_of (self->mobile_phone_row);
  set_busy (self, TRUE);
  cm_api_client_update_profile_async (cm_session_get_api_client (self->session), &update,
                                      text_of (self->email_confirm_row),
                                      text_of (self->profile_current_row), self->cancellable,
                                      profile_saved_cb, self);
}

/* ---- Password ---- */

static void
password_changed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CmAccountSettingsWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cm_api_client_change_password_finish (CM_API_CLIENT (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (error != NULL)
    {
      show_error (self, error, GTK_WIDGET (self->current_password_row));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->new_password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_password_row), "");
  saved (self, self->current_password_row,
         _("Password changed. Other devices signed in to this account are signed out."));
}

static void
on_password_save_cb (CmAccountSettingsWindow *self)
{
  if (!gtk_widget_get_sensitive (self->password_save_button))
    return;
  set_busy (self, TRUE);
  cm_api_client_change_password_async (cm_session_get_api_client (self->session),
                                       text_of (self->current_password_row),
                                       text_of (self->new_password_row),
                                       text_of (self->confirm_password_row), self->cancellable,
                                       password_changed_cb, self);
}

/* ---- Recovery options ---- */

static void
recovery_saved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CmAccountSettingsWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  CmAccountProfile *profile;

  profile = cm_api_client_set_recovery_options_finish (CM_API_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (profile == NULL)
    {
      show_error (self, error, GTK_WIDGET (self->recovery_current_row));
      return;
    }
  show_profile (self, profile, FALSE, TRUE);
  saved (self, self->recovery_current_row, _("Recovery options saved."));
}

static const char *
combo_text (AdwComboRow *row)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (row);

  return item != NULL ? gtk_string_object_get_string (item) : "";
}

/* The questions to send, as the sign-up takes them (two different ones, each answered):
 * none when unticked, the new ones when answered, else keep them (*@keep). */
static gboolean
chosen_questions (CmAccountSettingsWindow  *self,
                  const char              **questions,
                  const char              **answers,
                  gboolean                 *keep)
{
  gboolean wanted = gtk_check_button_get_active (self->recovery_questions_check);
  g_autoptr(GError) error = NULL;
  GtkWidget *row;

  *keep = wanted && stored_questions (self) &&
          !has_text (self->answer1_row) && !has_text (self->answer2_row);
  if (!wanted || *keep)
    return TRUE;
  questions[0] = combo_text (self->question1_row);
  questions[1] = combo_text (self->question2_row);
  answers[0] = text_of (self->answer1_row);
  answers[1] = text_of (self->answer2_row);
  if (cm_validate_security_questions (questions, answers, 2, &error))
    return TRUE;
  /* The message on the row to change: a missing answer first, else the second question. */
  if (g_strv_contains (cm_error_get_details (error), "unanswered"))
    row = GTK_WIDGET (has_text (self->answer1_row) ? self->answer2_row : self->answer1_row);
  else
    row = GTK_WIDGET (self->question2_row);
  set_field_error (self, row, error->message);
  gtk_widget_grab_focus (row);
  return FALSE;
}

static void
on_recovery_save_cb (CmAccountSettingsWindow *self)
{
  gboolean email = gtk_check_button_get_active (self->recovery_email_check);
  gboolean text = gtk_check_button_get_active (self->recovery_text_check);
  const char *questions[3] = { NULL, NULL, NULL };
  const char *answers[3] = { NULL, NULL, NULL };
  g_autoptr(GError) error = NULL;
  gboolean keep = FALSE;
  guint n_questions;

  if (!gtk_widget_get_sensitive (self->recovery_save_button) ||
      !chosen_questions (self, questions, answers, &keep))
    return;
  n_questions = g_strv_length (keep ? self->profile->questions : (char **) questions);
  /* The rule the back-end enforces too: at least one, and text needs a mobile number. */
  if (!cm_validate_recovery_options (email, text, n_questions, self->profile->mobile_phone,
                                     &error))
    {
      show_error (self, error, GTK_WIDGET (self->recovery_current_row));
      return;
    }
  set_busy (self, TRUE);
  cm_api_client_set_recovery_options_async (cm_session_get_api_client (self->session),
                                            text_of (self->recovery_current_row), email, text,
                                            keep ? NULL : questions, answers, self->cancellable,
                                            recovery_saved_cb, self);
}

/* ---- The session ---- */

/* Signed out (here or in another window): nothing here is anybody's any more. */
static void
on_session_state_cb (CmAccountSettingsWindow *self)
{
  if (cm_session_get_state (self->session) == CM_SESSION_STATE_SIGNED_OUT)
    gtk_window_close (GTK_WINDOW (self));
}

/* ---- GObject ---- */

static void
cm_account_settings_window_constructed (GObject *object)
{
  CmAccountSettingsWindow *self = CM_ACCOUNT_SETTINGS_WINDOW (object);

  G_OBJECT_CLASS (cm_account_settings_window_parent_class)->constructed (object);

  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (on_session_state_cb), self,
                           G_CONNECT_SWAPPED);
  cm_widget_fix_mnemonic_names (GTK_WIDGET (self));
  /* Emails and phone numbers read left to right in Arabic too. */
  cm_access_step_page_ltr_field (self->email_row);
  cm_access_step_page_ltr_field (self->email_confirm_row);
  cm_access_step_page_ltr_field (self->work_phone_row);
  cm_access_step_page_ltr_field (self->mobile_phone_row);
  load_profile (self);
}

static void
cm_account_settings_window_dispose (GObject *object)
{
  CmAccountSettingsWindow *self = CM_ACCOUNT_SETTINGS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CM_TYPE_ACCOUNT_SETTINGS_WINDOW);

  G_OBJECT_CLASS (cm_account_settings_window_parent_class)->dispose (object);
}

static void
cm_account_settings_window_finalize (GObject *object)
{
  CmAccountSettingsWindow *self = CM_ACCOUNT_SETTINGS_WINDOW (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->profile, cm_account_profile_free);
  g_clear_pointer (&self->field_errors, g_hash_table_unref);

  G_OBJECT_CLASS (cm_account_settings_window_parent_class)->finalize (object);
}

static void
cm_account_settings_window_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  CmAccountSettingsWindow *self = CM_ACCOUNT_SETTINGS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_account_settings_window_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  CmAccountSettingsWindow *self = CM_ACCOUNT_SETTINGS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define BIND(name) \
  gtk_widget_class_bind_template_child (widget_class, CmAccountSettingsWindow, name)

static void
cm_account_settings_window_class_init (CmAccountSettingsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cm_account_settings_window_constructed;
  object_class->dispose = cm_account_settings_window_dispose;
  object_class->finalize = cm_account_settings_window_finalize;
  object_class->set_property = cm_account_settings_window_set_property;
  object_class->get_property = cm_account_settings_window_get_property;

  obj_props[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, obj_props);

  g_type_ensure (CM_TYPE_PASSWORD_CHECKLIST);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/cm-account-settings-window.ui");
  BIND (profile_page);
  BIND (password_page);
  BIND (recovery_page);
  BIND (first_name_row);
  BIND (last_name_row);
  BIND (email_row);
  BIND (email_confirm_row);
  BIND (work_phone_row);
  BIND (mobile_phone_row);
  BIND (profile_current_row);
  BIND (profile_save_button);
  BIND (current_password_row);
  BIND (new_password_row);
  BIND (confirm_password_row);
  BIND (checklist);
  BIND (password_save_button);
  BIND (recovery_email_row);
  BIND (recovery_text_row);
  BIND (recovery_questions_row);
  BIND (recovery_email_check);
  BIND (recovery_text_check);
  BIND (recovery_questions_check);
  BIND (question_group);
  BIND (question1_row);
  BIND (answer1_row);
  BIND (question2_row);
  BIND (answer2_row);
  BIND (recovery_current_row);
  BIND (recovery_save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_question_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_save_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_password_save_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_recovery_save_cb);
}

/* The sign-up's list of security questions (questions_model in cm-security-page.ui), so
 * that both offer the same ones in the same words. */
static GListModel *
sign_up_questions (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  const char *ids[] = { "questions_model", NULL };
  g_autoptr(GError) error = NULL;

  gtk_builder_set_translation_domain (builder, GETTEXT_PACKAGE);
  if (!gtk_builder_add_objects_from_resource (builder, RESOURCE_BASE_PATH
                                              "/ui/pages/cm-security-page.ui", ids, &error))
    g_error ("The security questions of the sign-up: %s", error->message);
  return g_object_ref (G_LIST_MODEL (gtk_builder_get_object (builder, "questions_model")));
}

/* libadwaita 1.2 leaves the pages not shown in the accessibility tree, where a screen
 * reader would find three Current Password fields: only the page shown is exposed, at
 * the start and at each change of page. */
static void
hide_pages_not_shown (CmAccountSettingsWindow *self)
{
  GtkWidget *shown = GTK_WIDGET (adw_preferences_window_get_visible_page (
                                   ADW_PREFERENCES_WINDOW (self)));
  GtkWidget *pages[] = { self->profile_page, self->password_page, self->recovery_page };

  cm_accessible_expose_only (shown, pages, G_N_ELEMENTS (pages));
}

static void
cm_account_settings_window_init (CmAccountSettingsWindow *self)
{
  g_autoptr(GListModel) questions = sign_up_questions ();

  self->cancellable = g_cancellable_new ();
  self->field_errors = g_hash_table_new (NULL, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  adw_combo_row_set_model (self->question1_row, questions);
  adw_combo_row_set_model (self->question2_row, questions);
  adw_combo_row_set_selected (self->question2_row, 1);
  cm_password_checklist_update (self->checklist, "", NULL, NULL, NULL);
  hide_pages_not_shown (self);
  g_signal_connect (self, "notify::visible-page", G_CALLBACK (hide_pages_not_shown), NULL);
}

/**
 * cm_account_settings_window_new:
 * @session: a signed-in session
 *
 * Returns: (transfer none): a new window that loads the account and shows it
 */
CmAccountSettingsWindow *
cm_account_settings_window_new (CmSession *session)
{
  g_return_val_if_fail (CM_IS_SESSION (session), NULL);

  return g_object_new (CM_TYPE_ACCOUNT_SETTINGS_WINDOW, "session", session, NULL);
}

CmSession *
cm_account_settings_window_get_session (CmAccountSettingsWindow *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT_SETTINGS_WINDOW (self), NULL);

  return self->session;
}

/* ---- For the tests (cm-account-settings-window-private.h) ---- */

gboolean
cm_account_settings_window_get_busy (CmAccountSettingsWindow *self)
{
  return self->busy;
}

const CmAccountProfile *
cm_account_settings_window_get_profile (CmAccountSettingsWindow *self)
{
  return self->profile;
}

GtkWidget *
cm_account_settings_window_get_field_error (CmAccountSettingsWindow *self,
                                            GtkWidget               *row)
{
  return g_hash_table_lookup (self->field_errors, row);
}
