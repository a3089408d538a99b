/* cm-profile-page.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sign-up profile (the State's slide 5, docs/ui.md). Every rule comes
 * from cm-validate. The fields are bound to the window's CmSignUpForm, which
 * the security page reads and which keeps the draft; a back-end error about
 * a field here comes back through the form's ::profile-error.
 */

#define G_LOG_DOMAIN "cm-profile-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-error.h"
#include "cm-plain-text.h"
#include "cm-profile-page-private.h"
#include "cm-protocol.h"
#include "cm-terms-dialog.h"
#include "cm-validate.h"

/* The form's members, those of the sign-up request's `profile`
 * (POST /api/v1/milogin/users in docs/openapi.yaml). */
typedef enum {
  FIELD_FIRST_NAME,
  FIELD_MIDDLE_INITIAL,
  FIELD_LAST_NAME,
  FIELD_SUFFIX,
  FIELD_EMAIL,
  FIELD_EMAIL_CONFIRM,
  FIELD_WORK_PHONE,
  FIELD_MOBILE_PHONE,
  N_FIELDS
} Field;

static const char *field_names[N_FIELDS] = {
  CM_MEMBER_FIRST_NAME, CM_MEMBER_MIDDLE_INITIAL, CM_MEMBER_LAST_NAME, CM_MEMBER_SUFFIX,
  CM_MEMBER_EMAIL, CM_MEMBER_EMAIL_CONFIRM, CM_MEMBER_WORK_PHONE, CM_MEMBER_MOBILE_PHONE,
};

struct _CmProfilePage
{
  CmPage          parent_instance;

  /* template widgets */
  AdwEntryRow    *first_name_row;
  AdwEntryRow    *middle_initial_row;
  AdwEntryRow    *last_name_row;
  AdwEntryRow    *suffix_row;
  AdwEntryRow    *email_row;
  AdwEntryRow    *email_confirm_row;
  AdwEntryRow    *work_phone_row;
  AdwEntryRow    *mobile_phone_row;
  AdwPreferencesGroup *challenge_group;
  GtkLabel       *question_label;
  GtkBox         *words_box;
  GtkWidget      *challenge_error_box;
  GtkLabel       *challenge_error_label;
  GtkLabel       *challenge_refused_label;
  GtkCheckButton *terms_check;
  GtkWidget      *terms_row;

  /* owned */
  CmSignUpForm   *form;
  GBindingGroup  *form_bindings;   /* the rows and the terms to the form */
  CmChallenge    *challenge;       /* nullable: not loaded yet */
  GCancellable   *challenge_cancellable;
  GPtrArray      *word_checks;     /* GtkCheckButton, borrowed children */

  AdwEntryRow    *rows[N_FIELDS];  /* borrowed, the template widgets above */
};

G_DEFINE_FINAL_TYPE (CmProfilePage, cm_profile_page, CM_TYPE_PAGE)

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* Runs every validator on the fields; with @show, puts each message on its
 * row (not on a row still empty: nobody wants red before typing). */
static gboolean
validate (CmProfilePage *self,
          gboolean       show)
{
  gboolean ok = TRUE;

  for (guint f = 0; f < N_FIELDS; f++)
    {
      g_autoptr(GError) error = NULL;
      const char *text = row_text (self->rows[f]);
      gboolean valid = FALSE;

      switch ((Field) f)
        {
        case FIELD_FIRST_NAME:
          valid = cm_validate_first_name (text, &error);
          break;
        case FIELD_MIDDLE_INITIAL:
          valid = cm_validate_middle_initial (text, &error);
          break;
        case FIELD_LAST_NAME:
          valid = cm_validate_last_name (text, &error);
          break;
        case FIELD_SUFFIX:
          valid = cm_validate_suffix (text, &error);
          break;
        case FIELD_EMAIL:
          valid = cm_validate_email (text, NULL, &error);
          break;
        case FIELD_EMAIL_CONFIRM:
          valid = cm_validate_email_confirmation (row_text (self->email_row), text, &error);
          break;
        case FIELD_WORK_PHONE:
          valid = cm_validate_phone (text, TRUE, field_names[f], NULL, &error);
          break;
        case FIELD_MOBILE_PHONE:
          valid = cm_validate_phone (text, FALSE, field_names[f], NULL, &error);
          break;
        case N_FIELDS:
        default:
          g_assert_not_reached ();
        }

      ok = ok && valid;
      if (show)
        cm_page_show_check (CM_PAGE (self), GTK_WIDGET (self->rows[f]), valid ? NULL : error);
    }

  return ok;
}

static const char *
chosen_word (CmProfilePage *self)
{
  for (guint i = 0; i < self->word_checks->len; i++)
    {
      GtkToggleButton *check = g_ptr_array_index (self->word_checks, i);

      if (gtk_toggle_button_get_active (check))
        return gtk_widget_get_name (GTK_WIDGET (check));
    }

  return NULL;
}

static void
update_complete (CmProfilePage *self)
{
  cm_page_set_complete (CM_PAGE (self),
                        validate (self, FALSE) &&
                        self->challenge != NULL && chosen_word (self) != NULL &&
                        gtk_check_button_get_active (self->terms_check));
}

static void
show_checks (CmPage *page)
{
  validate (CM_PROFILE_PAGE (page), TRUE);
}

static void
on_field_changed_cb (CmProfilePage *self)
{
  update_complete (self);
  /* Messages wait for a pause in typing (gnome-initial-setup); the form
   * saves the draft the same way. */
  cm_page_schedule_check (CM_PAGE (self), show_checks);
}

static void
on_terms_toggled_cb (CmProfilePage *self)
{
  update_complete (self);
}

/* Why the back-end refused the last answer (NULL: nothing to say), in
 * error style over the question, and read with the answers. */
static void
set_challenge_refused (CmProfilePage *self,
                       const char    *message)
{
  gtk_label_set_text (self->challenge_refused_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->challenge_refused_label), message != NULL);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->words_box),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->words_box),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
on_word_toggled_cb (CmProfilePage *self)
{
  set_challenge_refused (self, NULL);
  cm_sign_up_form_set_text (self->form, CM_SIGN_UP_FORM_CHALLENGE_ANSWER, chosen_word (self));
  update_complete (self);
}

/* ---- verification question ---------------------------------------------- */

static void
clear_words (CmProfilePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->words_box))) != NULL)
    gtk_box_remove (self->words_box, child);
  g_ptr_array_set_size (self->word_checks, 0);
}

/* The question in the app's language around the back-end's words (which
 * follow Accept-Language); the back-end's own sentence is in its language. */
static char *
format_question (const CmChallenge *challenge)
{
  g_autofree char *joined = NULL;

  if (challenge->words == NULL || challenge->words[0] == NULL || challenge->letter == NULL ||
      challenge->letter[0] == '\0')
    return g_strdup (challenge->question != NULL ? challenge->question : "");

  /* Translators: what separates the words of the verification question's
   * list, e.g. "piston, wrench, garage, bridge". */
  joined = g_strjoinv (_(", "), challenge->words);
  /* Translators: the verification question of the sign-up form; the first
   * placeholder is a list of four words, the second a letter. */
  return g_strdup_printf (_("Which word from list “%s” contains the letter “%s”?"), joined,
                          challenge->letter);
}

static void
show_challenge (CmProfilePage *self)
{
  GtkToggleButton *group = NULL;
  g_autofree char *question = format_question (self->challenge);

  clear_words (self);
  gtk_widget_set_visible (self->challenge_error_box, FALSE);
  gtk_label_set_text (self->question_label, question);

  for (guint i = 0; self->challenge->words != NULL && self->challenge->words[i] != NULL; i++)
    {
      const char *word = self->challenge->words[i];
      /* Toggle buttons, not check buttons: GTK 4.8 gives those no
       * accessible action, and the choice is one of a few short words. */
      GtkWidget *check = gtk_toggle_button_new_with_label (word);

      gtk_widget_set_name (check, word);
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (check), group);
      else
        group = GTK_TOGGLE_BUTTON (check);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_word_toggled_cb), self);
      gtk_box_append (self->words_box, check);
      g_ptr_array_add (self->word_checks, check);
    }

  update_complete (self);
}

static void
get_challenge_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CmProfilePage *self;
  g_autoptr(GError) error = NULL;
  CmChallenge *challenge;

  challenge = cm_api_client_get_challenge_finish (CM_API_CLIENT (object), result, &error);
  if (challenge == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CM_PROFILE_PAGE (user_data);
  g_clear_object (&self->challenge_cancellable);
  cm_page_set_busy (CM_PAGE (self), FALSE);

  if (challenge == NULL)
    {
      /* A back-end that is down: say so here, with Retry. */
      gtk_label_set_text (self->challenge_error_label, error->message);
      gtk_widget_set_visible (self->challenge_error_box, TRUE);
      gtk_label_set_text (self->question_label, "");
      update_complete (self);
      return;
    }

  g_clear_pointer (&self->challenge, cm_challenge_free);
  self->challenge = challenge;
  cm_sign_up_form_set_text (self->form, CM_MEMBER_CHALLENGE_ID, challenge->challenge_id);
  show_challenge (self);
}

/**
 * cm_profile_page_reload_challenge:
 *
 * Asks the back-end for a new verification question (each is used once).
 */
void
cm_profile_page_reload_challenge (CmProfilePage *self)
{
  CmSession *session;

  g_return_if_fail (CM_IS_PROFILE_PAGE (self));

  session = cm_page_get_session (CM_PAGE (self));
  if (session == NULL)
    return;

  if (self->challenge_cancellable != NULL)
    g_cancellable_cancel (self->challenge_cancellable);
  g_clear_object (&self->challenge_cancellable);
  self->challenge_cancellable = g_cancellable_new ();

  g_clear_pointer (&self->challenge, cm_challenge_free);
  clear_words (self);
  cm_sign_up_form_set_text (self->form, CM_MEMBER_CHALLENGE_ID, "");
  cm_sign_up_form_set_text (self->form, CM_SIGN_UP_FORM_CHALLENGE_ANSWER, "");
  /* Translators: shown while the verification question is fetched. */
  gtk_label_set_text (self->question_label, _("Loading the verification question…"));
  gtk_widget_set_visible (self->challenge_error_box, FALSE);
  cm_page_set_busy (CM_PAGE (self), TRUE);
  update_complete (self);

  cm_api_client_get_challenge_async (cm_session_get_api_client (session),
                                     self->challenge_cancellable, get_challenge_cb, self);
}

static void
on_retry_challenge_clicked_cb (CmProfilePage *self)
{
  cm_profile_page_reload_challenge (self);
}

/* ---- terms and reset ----------------------------------------------------- */

/* After the fields were emptied: no message, no answer, not complete. */
static void
forget_answers (CmProfilePage *self)
{
  cm_page_cancel_check (CM_PAGE (self));
  for (guint i = 0; i < self->word_checks->len; i++)
    gtk_toggle_button_set_active (g_ptr_array_index (self->word_checks, i), FALSE);
  set_challenge_refused (self, NULL);
  cm_page_clear_field_errors (CM_PAGE (self));
  update_complete (self);
}

static void
on_terms_clicked_cb (CmProfilePage *self)
{
  cm_terms_dialog_present (GTK_WIDGET (self), CM_TERMS_SIGN_UP);
}

static void
on_reset_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      CmProfilePage    *self)
{
  if (g_strcmp0 (response, "reset") != 0)
    return;

  /* This page only: the security page's User ID stays. */
  for (guint f = 0; f < N_FIELDS; f++)
    gtk_editable_set_text (GTK_EDITABLE (self->rows[f]), "");
  gtk_check_button_set_active (self->terms_check, FALSE);
  forget_answers (self);
}

static void
on_reset_clicked_cb (CmProfilePage *self)
{
  AdwMessageDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                             : NULL,
                                                       _("Clear This Page?"),
                                                       _("Every field of your profile will be "
                                                         "emptied.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "reset", _("_Reset"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "reset", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_reset_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- CmPage -------------------------------------------------------------- */

static void
cm_profile_page_shown (CmPage *page)
{
  CmProfilePage *self = CM_PROFILE_PAGE (page);

  if (self->challenge == NULL && self->challenge_cancellable == NULL)
    cm_profile_page_reload_challenge (self);

  gtk_widget_grab_focus (GTK_WIDGET (self->first_name_row));
}

static gboolean
cm_profile_page_has_input (CmPage *page)
{
  CmProfilePage *self = CM_PROFILE_PAGE (page);

  for (guint f = 0; f < N_FIELDS; f++)
    if (*row_text (self->rows[f]) != '\0')
      return TRUE;

  return gtk_check_button_get_active (self->terms_check);
}

/* Cancel, or a log off: the sign-up is given up, so the whole form (the
 * pages bound to it follow) and the saved draft go. */
static void
cm_profile_page_reset (CmPage *page)
{
  CmProfilePage *self = CM_PROFILE_PAGE (page);

  cm_sign_up_form_clear (self->form);
  forget_answers (self);
}

/* The back-end refused a field of this page (reported by the security page
 * through the form); the wizard is on its way here. */
static void
on_profile_error_cb (CmProfilePage *self,
                     const char    *field,
                     const char    *message)
{
  if (g_strcmp0 (field, CM_MEMBER_CHALLENGE) == 0)
    {
      /* A question is used once: ask a new one, and say why. */
      cm_profile_page_reload_challenge (self);
      cm_page_set_field_error (CM_PAGE (self), self->terms_row, NULL);
      set_challenge_refused (self, message);
    }
  else if (g_strcmp0 (field, CM_MEMBER_TERMS_ACCEPTED) == 0)
    {
      cm_page_set_field_error (CM_PAGE (self), self->terms_row, message);
    }
  else
    {
      for (guint f = 0; f < N_FIELDS; f++)
        if (g_strcmp0 (field, field_names[f]) == 0)
          cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->rows[f]), message);
    }

  if (gtk_widget_is_visible (GTK_WIDGET (self)))
    cm_page_focus_first_error (CM_PAGE (self));
}

/* The rows show what the form holds (a saved draft, or what was typed
 * before) and write back into it. */
static void
attach_form (CmProfilePage *self,
             CmSignUpForm  *form)
{
  self->form = g_object_ref (form);
  self->form_bindings = g_binding_group_new ();
  for (guint f = 0; f < N_FIELDS; f++)
    g_binding_group_bind (self->form_bindings, field_names[f], self->rows[f], "text",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->form_bindings, "terms-accepted", self->terms_check, "active",
                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_binding_group_set_source (self->form_bindings, form);
  g_signal_connect_object (form, "profile-error", G_CALLBACK (on_profile_error_cb), self,
                           G_CONNECT_SWAPPED);

  /* No messages on what was restored. */
  cm_page_cancel_check (CM_PAGE (self));
  update_complete (self);
}

static void
cm_profile_page_dispose (GObject *object)
{
  CmProfilePage *self = CM_PROFILE_PAGE (object);

  if (self->challenge_cancellable != NULL)
    g_cancellable_cancel (self->challenge_cancellable);
  g_clear_object (&self->challenge_cancellable);
  g_clear_pointer (&self->challenge, cm_challenge_free);
  g_clear_pointer (&self->word_checks, g_ptr_array_unref);
  /* The form outlives the page: unbind before the rows go. */
  if (self->form_bindings != NULL)
    g_binding_group_set_source (self->form_bindings, NULL);
  g_clear_object (&self->form_bindings);
  g_clear_object (&self->form);

  G_OBJECT_CLASS (cm_profile_page_parent_class)->dispose (object);
}

static void
cm_profile_page_class_init (CmProfilePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  object_class->dispose = cm_profile_page_dispose;
  page_class->shown = cm_profile_page_shown;
  page_class->has_input = cm_profile_page_has_input;
  page_class->reset = cm_profile_page_reset;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/pages/cm-profile-page.ui");
  gtk_widget_class_bind_template_child_full (widget_class, "reset_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "terms_button", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, first_name_row);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, middle_initial_row);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, last_name_row);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, suffix_row);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, email_row);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, email_confirm_row);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, work_phone_row);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, mobile_phone_row);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, challenge_group);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, question_label);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, words_box);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, challenge_error_box);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, challenge_error_label);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, challenge_refused_label);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, terms_check);
  gtk_widget_class_bind_template_child (widget_class, CmProfilePage, terms_row);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_terms_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_terms_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_challenge_clicked_cb);
}

static void
cm_profile_page_init (CmProfilePage *self)
{
  self->word_checks = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows[FIELD_FIRST_NAME] = self->first_name_row;
  self->rows[FIELD_MIDDLE_INITIAL] = self->middle_initial_row;
  self->rows[FIELD_LAST_NAME] = self->last_name_row;
  self->rows[FIELD_SUFFIX] = self->suffix_row;
  self->rows[FIELD_EMAIL] = self->email_row;
  self->rows[FIELD_EMAIL_CONFIRM] = self->email_confirm_row;
  self->rows[FIELD_WORK_PHONE] = self->work_phone_row;
  self->rows[FIELD_MOBILE_PHONE] = self->mobile_phone_row;

  /* Translators: the title of the first sign-up page, as the State's site says it. */
  cm_page_set_title (CM_PAGE (self), _("Create Your Account"));
}

/**
 * cm_profile_page_new:
 * @session: (nullable): the session
 * @form: the sign-up form the window owns
 *
 * Returns: (transfer floating): the profile page
 */
CmPage *
cm_profile_page_new (CmSession    *session,
                     CmSignUpForm *form)
{
  CmProfilePage *self;

  g_return_val_if_fail (CM_IS_SIGN_UP_FORM (form), NULL);

  self = g_object_new (CM_TYPE_PROFILE_PAGE,
                       "session", session,
                       "flow", CM_SIGN_UP_FLOW,
                       /* Translators: a step of signing up, as the slides write it. */
                       "step", _("PROFILE"),
                       NULL);
  attach_form (self, form);

  return CM_PAGE (self);
}

/**
 * cm_profile_page_get_challenge_words:
 *
 * Returns: (transfer none) (nullable): the words of the question, once loaded
 */
const char * const *
cm_profile_page_get_challenge_words (CmProfilePage *self)
{
  g_return_val_if_fail (CM_IS_PROFILE_PAGE (self), NULL);

  return self->challenge ? (const char * const *) self->challenge->words : NULL;
}

const char *
cm_profile_page_get_challenge_letter (CmProfilePage *self)
{
  g_return_val_if_fail (CM_IS_PROFILE_PAGE (self), NULL);

  return self->challenge ? self->challenge->letter : NULL;
}

/**
 * cm_profile_page_choose_word:
 *
 * Selects @word as the answer, as a click on it would.
 *
 * Returns: %FALSE when the question has no such word
 */
gboolean
cm_profile_page_choose_word (CmProfilePage *self,
                             const char    *word)
{
  g_return_val_if_fail (CM_IS_PROFILE_PAGE (self), FALSE);

  for (guint i = 0; i < self->word_checks->len; i++)
    {
      GtkToggleButton *check = g_ptr_array_index (self->word_checks, i);

      if (g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (check)), word) == 0)
        {
          gtk_toggle_button_set_active (check, TRUE);
          return TRUE;
        }
    }

  return FALSE;
}
