/* test-pages.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The MILogin pages in the real window, against the real back-end running
 * in-process on the test's main context (127.0.0.1, port 0, minimum hash
 * cost) through the real client: each page's rules, errors that keep the
 * fields, the draft that survives a closed window, sign-up to sign-in.
 *
 * Set CM_SCREENSHOT_DIR to keep a PNG of every page, left-to-right and
 * right-to-left (no password is ever typed in those).
 */

#define G_LOG_DOMAIN "test-pages"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "cm-error.h"
#include "cm-forgot-password-page-private.h"
#include "cm-password-checklist-private.h"
#include "cm-practice.h"
#include "cm-profile-page-private.h"
#include "cm-security-page-private.h"
#include "cm-server.h"
#include "cm-sign-in-page-private.h"
#include "cm-test-util.h"
#include "cm-welcome-page.h"
#include "cm-window-private.h"
#include "cm-wizard-private.h"
#include "cm-page-private.h"

/* Test data, not a real secret. */
#define GOOD_PASSWORD "Gr8-Wrench$Day"
#define OTHER_PASSWORD "Torque+Spanner7"

/* g_settings_get_string() returns a copy: free it (a macro keeps the failing line). */
#define assert_setting_string(settings, key, expected) \
  G_STMT_START { \
    g_autofree char *setting_value_ = g_settings_get_string ((settings), (key)); \
    g_assert_cmpstr (setting_value_, ==, (expected)); \
  } G_STMT_END

static gboolean have_display;

typedef struct
{
  CmServer    *server;
  CmSession   *session;
  GSettings   *settings;
  CmWindow    *window;
  char        *tmp_dir;
} Fixture;

static void
flush_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
timed_out_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds; the time limit only guards
 * against a hang, it asserts nothing about speed. */
static void
wait_until (Condition condition,
            gpointer  data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

static GSettings *
new_reset_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  return settings;
}

static gboolean
wizard_shown (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (cm_window_get_main_stack (fixture->window)),
                    "wizard") == 0;
}

static void
open_window (Fixture *fixture)
{
  const char *width = g_getenv ("CM_SCREENSHOT_WIDTH");

  fixture->window = cm_window_new_for_session (NULL, fixture->session);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window),
                               width != NULL ? atoi (width) : 720, 900);
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_until (wizard_shown, fixture);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
}

static void
close_window (Fixture *fixture)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  flush_main_context ();
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmApiClient) client = NULL;
  g_autoptr(CmCredentialStore) store = NULL;
  g_autofree char *outbox = NULL;

  if (!have_display)
    return;

  fixture->settings = new_reset_settings ();
  fixture->tmp_dir = g_dir_make_tmp ("cm-test-pages-XXXXXX", &error);
  g_assert_no_error (error);
  outbox = g_build_filename (fixture->tmp_dir, "outbox", NULL);

  fixture->server = cm_server_new (":memory:", outbox);
  cm_server_set_hash_cost (fixture->server, CM_SERVER_HASH_COST_MINIMUM);
  cm_server_set_demo_data (fixture->server, TRUE);
  cm_server_set_rate_limit (fixture->server, 0);
  g_assert_true (cm_server_start (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  client = cm_api_client_new (cm_server_get_uri (fixture->server));
  store = cm_credential_store_new_for_backend (CM_CREDENTIAL_BACKEND_MEMORY);
  fixture->session = cm_session_new (client, store);

  open_window (fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (!have_display)
    return;

  close_window (fixture);
  g_clear_object (&fixture->session);
  cm_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  flush_main_context ();
  g_clear_object (&fixture->settings);
  cm_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
}

static gboolean
skip_without_display (void)
{
  if (!have_display)
    g_test_skip ("No display: run the suite inside scripts/headless-session");
  return !have_display;
}

/* ---- helpers ------------------------------------------------------------ */

static CmWizard *
wizard (Fixture *fixture)
{
  return cm_window_get_wizard (fixture->window);
}

static CmPage *
page (Fixture    *fixture,
      const char *name)
{
  return cm_wizard_get_page (wizard (fixture), name);
}

static GtkWidget *
child (CmPage     *p,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (p), G_OBJECT_TYPE (p), name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
type (CmPage     *p,
      const char *row,
      const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (p, row)), text);
}

static const char *
text (CmPage     *p,
      const char *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (child (p, row)));
}

static gboolean
not_applying (gpointer data)
{
  Fixture *fixture = data;
  CmPage *current = cm_wizard_get_current_page (wizard (fixture));

  return !cm_page_get_busy (current) && !cm_wizard_get_applying (wizard (fixture));
}

static void
press_next (Fixture *fixture)
{
  GtkWidget *next = cm_wizard_get_next_button (wizard (fixture));

  g_assert_true (gtk_widget_get_sensitive (next));
  g_signal_emit_by_name (next, "clicked");
  wait_until (not_applying, fixture);
}

typedef struct
{
  GAsyncResult *result;
} AsyncWait;

static void
async_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  ((AsyncWait *) user_data)->result = g_object_ref (result);
}

static gboolean
async_done (gpointer data)
{
  return ((AsyncWait *) data)->result != NULL;
}

static char *
right_word (const char * const *words,
            const char         *letter)
{
  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    if (strstr (words[i], letter) != NULL)
      return g_strdup (words[i]);

  return NULL;
}

static CmChallenge *
fetch_challenge (Fixture *fixture)
{
  CmApiClient *client = cm_session_get_api_client (fixture->session);
  g_autoptr(GError) error = NULL;
  CmChallenge *challenge;
  AsyncWait wait = { NULL };

  cm_api_client_get_challenge_async (client, NULL, async_cb, &wait);
  wait_until (async_done, &wait);
  challenge = cm_api_client_get_challenge_finish (client, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  return challenge;
}

/* Makes the account "smithj<digits>" through the API, as another computer would. */
static void
create_user (Fixture    *fixture,
             const char *user_id)
{
  CmApiClient *client = cm_session_get_api_client (fixture->session);
  g_autoptr(CmSignUpRequest) request = cm_sign_up_request_new ();
  g_autoptr(CmChallenge) challenge = fetch_challenge (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *created = NULL;
  AsyncWait wait = { NULL };

  request->first_name = g_strdup ("John");
  request->last_name = g_strdup ("Smith");
  request->email = g_strdup ("john.smith@example.com");
  request->email_confirm = g_strdup ("john.smith@example.com");
  request->work_phone = g_strdup ("517-555-0142");
  request->mobile_phone = g_strdup ("517-555-0143");
  request->challenge_id = g_strdup (challenge->challenge_id);
  request->challenge_answer = right_word ((const char * const *) challenge->words,
                                          challenge->letter);
  request->terms_accepted = TRUE;
  request->user_id = g_strdup (user_id);
  request->password = g_strdup (GOOD_PASSWORD);
  request->password_confirm = g_strdup (GOOD_PASSWORD);
  request->recovery_email = TRUE;

  cm_api_client_create_user_async (client, request, NULL, async_cb, &wait);
  wait_until (async_done, &wait);
  created = cm_api_client_create_user_finish (client, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_cmpstr (created, ==, user_id);
}

static gboolean
challenge_loaded (gpointer data)
{
  return cm_profile_page_get_challenge_words (CM_PROFILE_PAGE (data)) != NULL;
}

static void
fill_profile (CmPage   *profile,
              gboolean  right_answer)
{
  const char * const *words;
  g_autofree char *word = NULL;

  wait_until (challenge_loaded, profile);
  type (profile, "first_name_row", "John");
  type (profile, "last_name_row", "Smith");
  type (profile, "email_row", "john.smith@example.com");
  type (profile, "email_confirm_row", "john.smith@example.com");
  type (profile, "work_phone_row", "517-555-0142");
  type (profile, "mobile_phone_row", "517-555-0143");

  words = cm_profile_page_get_challenge_words (CM_PROFILE_PAGE (profile));
  word = right_word (words, cm_profile_page_get_challenge_letter (CM_PROFILE_PAGE (profile)));
  if (!right_answer)
    for (guint i = 0; words[i] != NULL; i++)
      if (g_strcmp0 (words[i], word) != 0)
        {
          g_free (word);
          word = g_strdup (words[i]);
          break;
        }
  g_assert_true (cm_profile_page_choose_word (CM_PROFILE_PAGE (profile), word));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (profile, "terms_check")), TRUE);
}

static gboolean
availability_known (gpointer data)
{
  CmAvailability a = cm_security_page_get_availability (CM_SECURITY_PAGE (data));

  return a == CM_AVAILABILITY_AVAILABLE || a == CM_AVAILABILITY_TAKEN ||
         a == CM_AVAILABILITY_FAILED;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* ---- sign in ------------------------------------------------------------ */

static void
test_sign_in_insensitive_until_both_fields (Fixture       *fixture,
                                            gconstpointer  data)
{
  CmPage *sign_in;
  GtkWidget *next;
  GtkWidget *sign_in_button;

  if (skip_without_display ())
    return;

  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "welcome");
  press_next (fixture);
  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "sign-in");

  sign_in = page (fixture, "sign-in");
  next = cm_wizard_get_next_button (wizard (fixture));
  sign_in_button = child (sign_in, "sign_in_button");
  g_assert_false (gtk_widget_get_sensitive (next));
  g_assert_false (gtk_widget_get_sensitive (sign_in_button));

  type (sign_in, "user_id_row", "smithj1234");
  g_assert_false (gtk_widget_get_sensitive (next));
  g_assert_false (gtk_widget_get_sensitive (sign_in_button));

  type (sign_in, "password_row", "x");
  g_assert_true (gtk_widget_get_sensitive (next));
  g_assert_true (gtk_widget_get_sensitive (sign_in_button));

  type (sign_in, "user_id_row", "");
  g_assert_false (gtk_widget_get_sensitive (next));
  g_assert_false (gtk_widget_get_sensitive (sign_in_button));

  /* The labels are the slides' words, with mnemonics (the accessible names
   * come from them: e2e-milogin.py finds every control by name); both
   * fields are required. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (sign_in,
                                                                               "user_id_row"))),
                   ==, "_User ID");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (sign_in,
                                                                               "password_row"))),
                   ==, "_Password");
  g_assert_true (adw_preferences_row_get_use_underline (
                   ADW_PREFERENCES_ROW (child (sign_in, "user_id_row"))));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (child (sign_in, "user_id_row")),
                                       GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (child (sign_in, "password_row")),
                                       GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (sign_in_button)), ==, "Sign _In");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (sign_in, "sign_up_button"))), ==,
                   "Si_gn Up");
}

static void
test_sign_in_errors_keep_user_id_and_lock (Fixture       *fixture,
                                           gconstpointer  data)
{
  CmPage *sign_in;
  GtkWidget *password_row;

  if (skip_without_display ())
    return;

  create_user (fixture, "smithj1234");
  cm_wizard_go_to (wizard (fixture), "sign-in");
  sign_in = page (fixture, "sign-in");
  password_row = child (sign_in, "password_row");

  /* Three failures lock the User ID; the third answer already says so. */
  for (guint attempt = 1; attempt <= 3; attempt++)
    {
      type (sign_in, "user_id_row", "smithj1234");
      type (sign_in, "password_row", "Wrong-Guess9");
      press_next (fixture);

      /* Still here, the User ID kept, the message on the password. */
      g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "sign-in");
      g_assert_cmpstr (text (sign_in, "user_id_row"), ==, "smithj1234");
      if (attempt <= 2)
        {
          g_assert_false (gtk_widget_get_visible (child (sign_in, "lockout_box")));
          g_assert_true (gtk_widget_has_css_class (password_row, "error"));
          gtk_test_accessible_assert_state (GTK_ACCESSIBLE (password_row),
                                            GTK_ACCESSIBLE_STATE_INVALID,
                                            GTK_ACCESSIBLE_INVALID_TRUE);
        }
    }

  /* Locked: a countdown, and no Sign In. */
  g_assert_true (gtk_widget_get_visible (child (sign_in, "lockout_box")));
  g_assert_cmpint (cm_sign_in_page_get_locked_seconds (CM_SIGN_IN_PAGE (sign_in)), >, 0);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child (sign_in, "lockout_label"))),
                            ":"));
  g_assert_false (gtk_widget_get_sensitive (cm_wizard_get_next_button (wizard (fixture))));
  g_assert_cmpstr (text (sign_in, "user_id_row"), ==, "smithj1234");

  /* Even the right password waits for the lockout to end. */
  type (sign_in, "password_row", GOOD_PASSWORD);
  g_assert_false (cm_page_get_complete (sign_in));
}

static void
test_sign_in_unknown_user_same_message (Fixture       *fixture,
                                        gconstpointer  data)
{
  CmPage *sign_in;
  g_autoptr(GError) error = cm_error_new (CM_ERROR_INVALID_CREDENTIALS, NULL, NULL);
  const char *users[] = { "smithj1234", "nobodyx0000" };

  if (skip_without_display ())
    return;

  create_user (fixture, "smithj1234");
  cm_wizard_go_to (wizard (fixture), "sign-in");
  sign_in = page (fixture, "sign-in");

  /* A wrong password and an unknown user read the same, on the password. */
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      type (sign_in, "user_id_row", users[i]);
      type (sign_in, "password_row", "Wrong-Guess9");
      press_next (fixture);
      g_assert_cmpstr (text (sign_in, "user_id_row"), ==, users[i]);
      g_assert_true (gtk_widget_has_css_class (child (sign_in, "password_row"), "error"));
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (child (sign_in, "password_row")),
                                           GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error->message);
    }
}

static gboolean
on_access_options (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (cm_wizard_get_current_name (wizard (fixture)), "access-options") == 0;
}

static void
test_sign_in_success (Fixture       *fixture,
                      gconstpointer  data)
{
  CmPage *sign_in;
  GtkWidget *welcome;

  if (skip_without_display ())
    return;

  create_user (fixture, "smithj1234");
  cm_wizard_go_to (wizard (fixture), "sign-in");
  sign_in = page (fixture, "sign-in");
  type (sign_in, "user_id_row", "smithj1234");
  type (sign_in, "password_row", GOOD_PASSWORD);
  g_signal_emit_by_name (child (sign_in, "sign_in_button"), "clicked");
  wait_until (on_access_options, fixture);

  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_IN);
  /* The State's header on Account Access Options greets by first name. */
  welcome = find_named (GTK_WIDGET (fixture->window), "welcome-label");
  g_assert_nonnull (welcome);
  g_assert_true (gtk_widget_is_visible (welcome));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (welcome)), ==, "Welcome, John");
  /* The password does not linger in the widget. */
  g_assert_cmpstr (text (sign_in, "password_row"), ==, "");
  assert_setting_string (fixture->settings, "last-user-id", "smithj1234");
}

/* ---- sign up: profile ---------------------------------------------------- */

static void
test_profile_complete_rules (Fixture       *fixture,
                             gconstpointer  data)
{
  CmPage *profile;

  if (skip_without_display ())
    return;

  cm_wizard_go_to (wizard (fixture), "sign-in");
  g_signal_emit_by_name (child (page (fixture, "sign-in"), "sign_up_button"), "clicked");
  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "profile");
  profile = page (fixture, "profile");

  fill_profile (profile, TRUE);
  g_assert_true (cm_page_get_complete (profile));

  /* Each rule comes from cm-validate: a mismatched confirmation, a bad
   * phone, the terms unchecked each make the page incomplete. */
  type (profile, "email_confirm_row", "john.smith@example.org");
  g_assert_false (cm_page_get_complete (profile));
  type (profile, "email_confirm_row", "John.Smith@Example.com");
  g_assert_true (cm_page_get_complete (profile));
  type (profile, "work_phone_row", "555");
  g_assert_false (cm_page_get_complete (profile));
  type (profile, "work_phone_row", "(517) 555-0142");
  g_assert_true (cm_page_get_complete (profile));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (profile, "terms_check")), FALSE);
  g_assert_false (cm_page_get_complete (profile));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (profile, "terms_check")), TRUE);
  type (profile, "last_name_row", "");
  g_assert_false (cm_page_get_complete (profile));

  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (child (profile, "last_name_row")),
                                       GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (profile, "reset_button"))), ==,
                   "Re_set");
  g_assert_true (gtk_widget_has_css_class (child (profile, "last_name_row"), "cm-required"));
  g_assert_false (gtk_widget_has_css_class (child (profile, "first_name_row"), "cm-required"));
}

static void
test_profile_reset_after_confirmation (Fixture       *fixture,
                                       gconstpointer  data)
{
  CmPage *profile;
  AdwMessageDialog *dialog;

  if (skip_without_display ())
    return;

  cm_wizard_go_to (wizard (fixture), "sign-in");
  cm_wizard_go_to (wizard (fixture), "profile");
  profile = page (fixture, "profile");
  fill_profile (profile, TRUE);

  /* RESET asks first; Cancel keeps everything. */
  g_signal_emit_by_name (child (profile, "reset_button"), "clicked");
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (text (profile, "last_name_row"), ==, "Smith");
  adw_message_dialog_response (dialog, "cancel");
  flush_main_context ();
  g_assert_cmpstr (text (profile, "last_name_row"), ==, "Smith");
  g_assert_true (cm_page_get_complete (profile));

  g_signal_emit_by_name (child (profile, "reset_button"), "clicked");
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "reset");
  flush_main_context ();
  g_assert_cmpstr (text (profile, "first_name_row"), ==, "");
  g_assert_cmpstr (text (profile, "last_name_row"), ==, "");
  g_assert_cmpstr (text (profile, "email_row"), ==, "");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (child (profile, "terms_check"))));
  g_assert_false (cm_page_get_complete (profile));
}

static void
test_profile_terms_readable (Fixture       *fixture,
                             gconstpointer  data)
{
  CmPage *profile;
  AdwMessageDialog *dialog;
  if (skip_without_display ())
    return;

  cm_wizard_go_to (wizard (fixture), "profile");
  profile = page (fixture, "profile");
  g_assert_null (find_message_dialog ());
  /* The terms open in the app, with their text. */
  g_signal_emit_by_name (child (profile, "terms_button"), "clicked");
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (GTK_IS_SCROLLED_WINDOW (adw_message_dialog_get_extra_child (dialog)));
  adw_message_dialog_response (dialog, "close");
  flush_main_context ();
}

/* ---- sign up: security ----------------------------------------------------- */

static void
go_to_security (Fixture  *fixture,
                gboolean  right_answer)
{
  CmPage *profile;

  cm_wizard_go_to (wizard (fixture), "sign-in");
  cm_wizard_go_to (wizard (fixture), "profile");
  profile = page (fixture, "profile");
  fill_profile (profile, right_answer);
  press_next (fixture);
  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "security");
}

static void
test_security_checklist_ticks (Fixture       *fixture,
                               gconstpointer  data)
{
  CmPage *security;
  CmPasswordChecklist *checklist;

  if (skip_without_display ())
    return;

  go_to_security (fixture, TRUE);
  security = page (fixture, "security");
  checklist = CM_PASSWORD_CHECKLIST (child (security, "checklist"));

  /* The proposal: last name, first initial, 4 digits. */
  g_assert_true (g_str_has_prefix (text (security, "user_id_row"), "smithj"));
  g_assert_cmpuint (strlen (text (security, "user_id_row")), ==, 10);

  type (security, "password_row", "");
  g_assert_false (cm_password_checklist_get_rule_met (checklist, "too_short"));
  g_assert_false (cm_password_checklist_get_rule_met (checklist, "not_enough_categories"));
  g_assert_cmpint (cm_password_checklist_get_strength (checklist), ==, -1);

  type (security, "password_row", "abc");
  g_assert_false (cm_password_checklist_get_rule_met (checklist, "too_short"));
  g_assert_false (cm_password_checklist_get_rule_met (checklist, "not_enough_categories"));
  g_assert_true (cm_password_checklist_get_rule_met (checklist, "contains_user_id"));

  type (security, "password_row", "abcdefgh");
  g_assert_true (cm_password_checklist_get_rule_met (checklist, "too_short"));
  g_assert_false (cm_password_checklist_get_rule_met (checklist, "not_enough_categories"));

  type (security, "password_row", "Abcdefg1");
  g_assert_true (cm_password_checklist_get_rule_met (checklist, "not_enough_categories"));

  type (security, "password_row", "Smith-Wrench1");
  g_assert_false (cm_password_checklist_get_rule_met (checklist, "contains_user_id"));
  g_assert_false (cm_password_checklist_get_all_met (checklist));

  type (security, "password_row", GOOD_PASSWORD);
  g_assert_true (cm_password_checklist_get_all_met (checklist));
  g_assert_cmpint (cm_password_checklist_get_strength (checklist), >=, 2);
  /* The history rule is the back-end's, and a new account has none: not shown. */
  g_assert_false (cm_password_checklist_get_rule_met (checklist, "password_reused"));
  g_assert_false (gtk_widget_get_visible (find_named (GTK_WIDGET (checklist),
                                                      "password_reused")));

  type (security, "password_row", "");
}

static void
test_security_sign_up_and_sign_in (Fixture       *fixture,
                                   gconstpointer  data)
{
  CmPage *security;
  g_autofree char *user_id = NULL;

  if (skip_without_display ())
    return;

  go_to_security (fixture, TRUE);
  security = page (fixture, "security");
  wait_until (availability_known, security);
  g_assert_cmpint (cm_security_page_get_availability (CM_SECURITY_PAGE (security)), ==,
                   CM_AVAILABILITY_AVAILABLE);
  user_id = g_strdup (text (security, "user_id_row"));

  type (security, "password_row", GOOD_PASSWORD);
  g_assert_false (cm_page_get_complete (security));
  type (security, "confirm_row", "Gr8-Wrench$Da");
  g_assert_false (cm_page_get_complete (security));
  type (security, "confirm_row", GOOD_PASSWORD);
  g_assert_true (cm_page_get_complete (security));

  /* Security questions need two different questions and both answers. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (security, "questions_check")), TRUE);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (child (security,
                                                                     "questions_revealer"))));
  g_assert_false (cm_page_get_complete (security));
  type (security, "answer1_row", "Rex");
  type (security, "answer2_row", "Lansing");
  g_assert_true (cm_page_get_complete (security));

  press_next (fixture);
  wait_until (on_access_options, fixture);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (cm_session_get_user_id (fixture->session), ==, user_id);
  /* Done: the draft is gone, and no navigation leads back into sign-up. */
  {
    g_autoptr(GVariant) draft = g_settings_get_value (fixture->settings, "wizard-draft");

    g_assert_cmpuint (g_variant_n_children (draft), ==, 0);
  }
  g_assert_false (cm_wizard_back (wizard (fixture)));
}

static void
test_security_taken_user_id (Fixture       *fixture,
                             gconstpointer  data)
{
  CmPage *security;

  if (skip_without_display ())
    return;

  create_user (fixture, "smithj1234");
  go_to_security (fixture, TRUE);
  security = page (fixture, "security");
  type (security, "user_id_row", "smithj1234");
  wait_until (availability_known, security);
  g_assert_cmpint (cm_security_page_get_availability (CM_SECURITY_PAGE (security)), ==,
                   CM_AVAILABILITY_TAKEN);
  g_assert_true (gtk_widget_has_css_class (child (security, "user_id_row"), "error"));

  type (security, "user_id_row", "smithj1235");
  g_assert_false (gtk_widget_has_css_class (child (security, "user_id_row"), "error"));
  wait_until (availability_known, security);
  g_assert_cmpint (cm_security_page_get_availability (CM_SECURITY_PAGE (security)), ==,
                   CM_AVAILABILITY_AVAILABLE);
}

static gboolean
on_profile (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (cm_wizard_get_current_name (wizard (fixture)), "profile") == 0;
}

static void
test_server_error_keeps_fields (Fixture       *fixture,
                                gconstpointer  data)
{
  CmPage *security;
  CmPage *profile;

  if (skip_without_display ())
    return;

  /* The wrong word passes the page (only the back-end knows the answer). */
  go_to_security (fixture, FALSE);
  security = page (fixture, "security");
  profile = page (fixture, "profile");
  wait_until (availability_known, security);
  type (security, "password_row", GOOD_PASSWORD);
  type (security, "confirm_row", GOOD_PASSWORD);
  press_next (fixture);
  wait_until (on_profile, fixture);

  /* The back-end refuses; the wizard goes back to where the answer is, and
   * every field is still there, on both pages. */
  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "profile");
  g_assert_cmpint (cm_session_get_state (fixture->session), !=, CM_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (text (profile, "first_name_row"), ==, "John");
  g_assert_cmpstr (text (profile, "last_name_row"), ==, "Smith");
  g_assert_cmpstr (text (profile, "email_row"), ==, "john.smith@example.com");
  g_assert_cmpstr (text (profile, "work_phone_row"), ==, "517-555-0142");
  g_assert_cmpstr (text (security, "password_row"), ==, GOOD_PASSWORD);
  g_assert_true (g_str_has_prefix (text (security, "user_id_row"), "smithj"));
  /* A new question was asked; answering it right lets the sign-up through. */
  wait_until (challenge_loaded, profile);
  {
    g_autofree char *word = right_word (cm_profile_page_get_challenge_words (
                                          CM_PROFILE_PAGE (profile)),
                                        cm_profile_page_get_challenge_letter (
                                          CM_PROFILE_PAGE (profile)));

    cm_profile_page_choose_word (CM_PROFILE_PAGE (profile), word);
  }
  press_next (fixture);
  wait_until (availability_known, security);
  press_next (fixture);
  wait_until (on_access_options, fixture);
}

/* The form alone: no profile page is ever built, yet the security page's
 * request carries the whole profile (the back-end refuses one without). */
static void
on_profile_error_cb (CmSignUpForm *form,
                     const char   *field,
                     const char   *message,
                     gpointer      user_data)
{
  g_free (*(char **) user_data);
  *(char **) user_data = g_strdup (field);
}

static gboolean
apply_security (CmPage  *security,
                GError **error)
{
  AsyncWait wait = { NULL };
  gboolean applied;

  cm_page_apply_async (security, NULL, async_cb, &wait);
  wait_until (async_done, &wait);
  applied = cm_page_apply_finish (security, wait.result, error);
  g_clear_object (&wait.result);
  flush_main_context ();

  return applied;
}

static void
test_security_request_from_form (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(CmSignUpForm) form = NULL;
  g_autoptr(CmChallenge) challenge = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) draft = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *reported = NULL;
  CmPage *security;
  static const char *profile[][2] = {
    { "first_name", "John" }, { "last_name", "Smith" }, { "email", "john.smith@" },
    { "email_confirm", "john.smith@" }, { "work_phone", "517-555-0142" },
    { "user_id", "smithj4321" },
  };

  if (skip_without_display ())
    return;

  form = cm_sign_up_form_new (fixture->settings);
  for (guint i = 0; i < G_N_ELEMENTS (profile); i++)
    cm_sign_up_form_set_text (form, profile[i][0], profile[i][1]);
  challenge = fetch_challenge (fixture);
  answer = right_word ((const char * const *) challenge->words, challenge->letter);
  cm_sign_up_form_set_text (form, "challenge_id", challenge->challenge_id);
  cm_sign_up_form_set_text (form, CM_SIGN_UP_FORM_CHALLENGE_ANSWER, answer);
  g_object_set (form, "terms-accepted", TRUE, NULL);
  g_signal_connect (form, "profile-error", G_CALLBACK (on_profile_error_cb), &reported);

  security = g_object_ref_sink (cm_security_page_new (fixture->session, fixture->settings,
                                                      form));
  g_assert_cmpstr (text (security, "user_id_row"), ==, "smithj4321");
  type (security, "password_row", GOOD_PASSWORD);
  type (security, "confirm_row", GOOD_PASSWORD);

  /* The back-end refuses the email: the form tells the profile page. */
  g_assert_false (apply_security (security, &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_cmpstr (reported, ==, "email");

  cm_sign_up_form_set_text (form, "email", "john.smith@example.com");
  cm_sign_up_form_set_text (form, "email_confirm", "john.smith@example.com");
  g_assert_true (apply_security (security, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (cm_session_get_user_id (fixture->session), ==, "smithj4321");
  /* Created: the draft is forgotten. */
  draft = g_settings_get_value (fixture->settings, "wizard-draft");
  g_assert_cmpuint (g_variant_n_children (draft), ==, 0);

  g_object_unref (security);
}

/* A profile field the back-end refuses, found on Security Setup: back on the
 * profile page, the message on that field, every field of both pages kept.
 * (The app checks the same rules first; a back-end with a stricter rule, or
 * a field changed behind the page, is how it happens.) */
static void
test_profile_error_goes_back (Fixture       *fixture,
                              gconstpointer  data)
{
  CmPage *security;
  CmPage *profile;
  GtkWidget *email_row;
  GtkWidget *focus;

  if (skip_without_display ())
    return;

  go_to_security (fixture, TRUE);
  security = page (fixture, "security");
  profile = page (fixture, "profile");
  wait_until (availability_known, security);
  type (security, "password_row", GOOD_PASSWORD);
  type (security, "confirm_row", GOOD_PASSWORD);
  type (profile, "email_row", "john.smith@");
  type (profile, "email_confirm_row", "john.smith@");
  press_next (fixture);
  wait_until (on_profile, fixture);

  email_row = child (profile, "email_row");
  g_assert_nonnull (cm_page_get_field_error (profile, email_row));
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (focus != NULL && (focus == email_row || gtk_widget_is_ancestor (focus,
                                                                                  email_row)));
  g_assert_cmpstr (text (profile, "first_name_row"), ==, "John");
  g_assert_cmpstr (text (profile, "last_name_row"), ==, "Smith");
  g_assert_cmpstr (text (profile, "work_phone_row"), ==, "517-555-0142");
  g_assert_cmpstr (text (profile, "mobile_phone_row"), ==, "517-555-0143");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (child (profile, "terms_check"))));
  g_assert_true (g_str_has_prefix (text (security, "user_id_row"), "smithj"));
  g_assert_cmpstr (text (security, "password_row"), ==, GOOD_PASSWORD);
  g_assert_cmpstr (text (security, "confirm_row"), ==, GOOD_PASSWORD);

  /* The question was not spent: fix the email and go on. */
  type (profile, "email_row", "john.smith@example.com");
  type (profile, "email_confirm_row", "john.smith@example.com");
  press_next (fixture);
  wait_until (availability_known, security);
  press_next (fixture);
  wait_until (on_access_options, fixture);
}

/* ---- the draft ------------------------------------------------------------- */

static gboolean
draft_saved (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GVariant) draft = g_settings_get_value (fixture->settings, "wizard-draft");
  const char *value = NULL;

  /* The profile, and the User ID Security Setup proposed. */
  return g_variant_lookup (draft, "work_phone", "&s", &value) &&
         g_variant_lookup (draft, "user_id", "&s", &value);
}

static void
test_draft_restores_after_recreating_window (Fixture       *fixture,
                                             gconstpointer  data)
{
  CmPage *profile;
  CmPage *security;
  g_autoptr(GVariant) draft = NULL;
  g_autofree char *printed = NULL;

  if (skip_without_display ())
    return;

  go_to_security (fixture, TRUE);
  security = page (fixture, "security");
  type (security, "password_row", GOOD_PASSWORD);
  type (security, "confirm_row", GOOD_PASSWORD);
  wait_until (draft_saved, fixture);
  assert_setting_string (fixture->settings, "wizard-step", "security");

  /* Never a password in the draft. */
  draft = g_settings_get_value (fixture->settings, "wizard-draft");
  printed = g_variant_print (draft, FALSE);
  g_assert_null (strstr (printed, GOOD_PASSWORD));

  close_window (fixture);
  assert_setting_string (fixture->settings, "wizard-step", "security");
  open_window (fixture);

  /* Back on the profile: its question is used once, so it is asked again there. */
  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "profile");
  profile = page (fixture, "profile");
  security = page (fixture, "security");
  g_assert_cmpstr (text (profile, "first_name_row"), ==, "John");
  g_assert_cmpstr (text (profile, "last_name_row"), ==, "Smith");
  g_assert_cmpstr (text (profile, "email_confirm_row"), ==, "john.smith@example.com");
  g_assert_cmpstr (text (profile, "mobile_phone_row"), ==, "517-555-0143");
  g_assert_true (g_str_has_prefix (text (security, "user_id_row"), "smithj"));
  g_assert_cmpstr (text (security, "password_row"), ==, "");

  /* Back goes where the user came from; forward again keeps the User ID. */
  fill_profile (profile, TRUE);
  press_next (fixture);
  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "security");
  g_assert_true (g_str_has_prefix (text (security, "user_id_row"), "smithj"));
  g_assert_true (cm_wizard_back (wizard (fixture)));
  g_assert_true (cm_wizard_back (wizard (fixture)));
  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "sign-in");
}

/* Cancel in the sign-up flow, confirmed: back where the flow was entered,
 * and the draft is gone from GSettings at once, with the fields. */
static void
test_draft_cancel_clears (Fixture       *fixture,
                          gconstpointer  data)
{
  CmPage *profile;
  CmPage *security;
  AdwMessageDialog *dialog;
  g_autoptr(GVariant) draft = NULL;

  if (skip_without_display ())
    return;

  go_to_security (fixture, TRUE);
  profile = page (fixture, "profile");
  security = page (fixture, "security");
  wait_until (draft_saved, fixture);
  assert_setting_string (fixture->settings, "wizard-step", "security");

  cm_wizard_cancel (wizard (fixture));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  flush_main_context ();

  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "sign-in");
  draft = g_settings_get_value (fixture->settings, "wizard-draft");
  g_assert_cmpuint (g_variant_n_children (draft), ==, 0);
  assert_setting_string (fixture->settings, "wizard-step", "");
  g_assert_cmpstr (text (profile, "last_name_row"), ==, "");
  g_assert_cmpstr (text (security, "user_id_row"), ==, "");
}

/* ---- forgot password --------------------------------------------------------- */

static char *
find_pin (Fixture *fixture)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("PIN is ([0-9]{6})", 0, 0, NULL);
  const char *outbox = cm_server_get_outbox_dir (fixture->server);
  const char *name;
  char *pin = NULL;

  dir = g_dir_open (outbox, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (outbox, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GMatchInfo) match = NULL;

      if (g_file_get_contents (path, &contents, NULL, NULL) &&
          g_regex_match (regex, contents, 0, &match))
        {
          g_free (pin);
          pin = g_match_info_fetch (match, 1);
          g_remove (path);
        }
    }

  return pin;
}

static gboolean
pin_sent (gpointer data)
{
  return cm_forgot_password_page_get_pin_sent (CM_FORGOT_PASSWORD_PAGE (data));
}

static gboolean
on_sign_in (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (cm_wizard_get_current_name (wizard (fixture)), "sign-in") == 0;
}

static void
test_forgot_password_last_three (Fixture       *fixture,
                                 gconstpointer  data)
{
  CmPage *forgot;
  CmPasswordChecklist *checklist;
  g_autofree char *pin = NULL;

  if (skip_without_display ())
    return;

  create_user (fixture, "smithj1234");
  cm_wizard_go_to (wizard (fixture), "sign-in");
  g_signal_emit_by_name (child (page (fixture, "sign-in"), "forgot_button"), "clicked");
  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "forgot-password");
  forgot = page (fixture, "forgot-password");
  checklist = CM_PASSWORD_CHECKLIST (child (forgot, "checklist"));

  type (forgot, "user_id_row", "smithj1234");
  g_signal_emit_by_name (child (forgot, "send_button"), "clicked");
  wait_until (pin_sent, forgot);
  pin = find_pin (fixture);
  g_assert_nonnull (pin);

  /* The current password is one of the last 3: the back-end says so, on the field. */
  type (forgot, "pin_row", pin);
  type (forgot, "password_row", GOOD_PASSWORD);
  type (forgot, "confirm_row", GOOD_PASSWORD);
  g_assert_true (cm_page_get_complete (forgot));
  press_next (fixture);
  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "forgot-password");
  g_assert_true (gtk_widget_has_css_class (child (forgot, "password_row"), "error"));
  g_assert_false (cm_password_checklist_get_all_met (checklist));
  g_assert_cmpstr (text (forgot, "user_id_row"), ==, "smithj1234");
  g_assert_cmpstr (text (forgot, "pin_row"), ==, pin);

  type (forgot, "password_row", OTHER_PASSWORD);
  type (forgot, "confirm_row", OTHER_PASSWORD);
  press_next (fixture);
  wait_until (on_sign_in, fixture);
  g_assert_cmpstr (text (page (fixture, "sign-in"), "user_id_row"), ==, "smithj1234");
  g_assert_cmpstr (text (forgot, "password_row"), ==, "");
}

/* ---- the window's start ------------------------------------------------------- */

static gboolean
signed_in_shown (gpointer data)
{
  Fixture *fixture = data;

  /* Account Access Options (issue 6), since the user has no linked account. */
  return g_strcmp0 (gtk_stack_get_visible_child_name (cm_window_get_main_stack (fixture->window)),
                    "wizard") == 0 &&
         g_strcmp0 (cm_wizard_get_current_name (wizard (fixture)), "access-options") == 0 &&
         cm_session_get_state (fixture->session) == CM_SESSION_STATE_SIGNED_IN;
}

static void
test_window_restores_remembered_session (Fixture       *fixture,
                                         gconstpointer  data)
{
  CmPage *sign_in;

  if (skip_without_display ())
    return;

  create_user (fixture, "smithj1234");
  cm_wizard_go_to (wizard (fixture), "sign-in");
  sign_in = page (fixture, "sign-in");
  type (sign_in, "user_id_row", "smithj1234");
  type (sign_in, "password_row", GOOD_PASSWORD);
  gtk_switch_set_active (GTK_SWITCH (child (sign_in, "remember_switch")), TRUE);
  press_next (fixture);
  wait_until (on_access_options, fixture);

  /* A new window (as after a restart) finds the session and skips the wizard;
   * a sign-up draft left from before waits in GSettings. */
  close_window (fixture);
  g_settings_set_value (fixture->settings, "wizard-draft",
                        g_variant_new_parsed ("{'last_name': 'Jones', 'user_id': 'jonesb0001'}"));
  fixture->window = cm_window_new_for_session (NULL, fixture->session);
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_until (signed_in_shown, fixture);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_IN);

  /* Log Off forgets it, and the draft: the next window starts on the wizard
   * again, empty. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "sign-out", NULL);
  wait_until (wizard_shown, fixture);
  wait_until (on_sign_in, fixture);
  {
    g_autoptr(GVariant) draft = g_settings_get_value (fixture->settings, "wizard-draft");

    g_assert_cmpuint (g_variant_n_children (draft), ==, 0);
  }
  close_window (fixture);
  open_window (fixture);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_OUT);
}

static void
test_practice_back_end (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CmPractice) practice = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  if (skip_without_display ())
    return;

  /* Practice mode runs the reference back-end on its own thread. */
  dir = g_build_filename (fixture->tmp_dir, "practice", NULL);
  g_assert_true (cm_practice_is_available ());
  practice = cm_practice_new (dir);
  g_assert_null (cm_practice_get_uri (practice));
  g_assert_true (cm_practice_start (practice, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (cm_practice_get_uri (practice), "http://127.0.0.1:"));
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_assert_true (g_str_has_prefix (cm_practice_get_outbox_dir (practice), dir));
  cm_practice_stop (practice);
  g_assert_null (cm_practice_get_uri (practice));
}

/* ---- screenshots ------------------------------------------------------------ */

static void
save_screenshot (Fixture    *fixture,
                 const char *name)
{
  const char *dir = g_getenv ("CM_SCREENSHOT_DIR");
  GtkWidget *widget = GTK_WIDGET (fixture->window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL || *dir == '\0')
    return;

  gtk_test_widget_wait_for_draw (widget);
  flush_main_context ();
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_strdup_printf ("%s/%s-%s.png", dir, name,
                          gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL ? "rtl"
                                                                                   : "ltr");
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

static void
scroll_current_page_to_end (Fixture *fixture)
{
  GtkWidget *scrolled = gtk_widget_get_first_child (
    GTK_WIDGET (cm_wizard_get_current_page (wizard (fixture))));
  GtkAdjustment *adjustment;

  g_assert_true (GTK_IS_SCROLLED_WINDOW (scrolled));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
}

static gboolean
row_has_error (gpointer data)
{
  return gtk_widget_has_css_class (GTK_WIDGET (data), "error");
}

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  CmPage *sign_in;
  CmPage *security;

  if (skip_without_display ())
    return;

  /* Every page is drawn, with no password typed anywhere. */
  save_screenshot (fixture, "welcome");
  cm_wizard_go_to (wizard (fixture), "sign-in");
  sign_in = page (fixture, "sign-in");
  type (sign_in, "user_id_row", "smithj1234");
  save_screenshot (fixture, "sign-in");
  cm_wizard_go_to (wizard (fixture), "forgot-password");
  save_screenshot (fixture, "forgot-password");
  cm_wizard_go_to (wizard (fixture), "profile");
  fill_profile (page (fixture, "profile"), TRUE);
  type (page (fixture, "profile"), "email_confirm_row", "john.smith@example");
  wait_until (row_has_error, child (page (fixture, "profile"), "email_confirm_row"));
  save_screenshot (fixture, "profile");
  scroll_current_page_to_end (fixture);
  save_screenshot (fixture, "profile-end");
  type (page (fixture, "profile"), "email_confirm_row", "john.smith@example.com");
  press_next (fixture);
  security = page (fixture, "security");
  wait_until (availability_known, security);
  save_screenshot (fixture, "security");
  /* Test data, shown only as dots: the checklist and the meter with something in them. */
  type (security, "password_row", GOOD_PASSWORD);
  type (security, "confirm_row", GOOD_PASSWORD);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (security, "questions_check")), TRUE);
  flush_main_context ();
  scroll_current_page_to_end (fixture);
  save_screenshot (fixture, "security-questions");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (security, "questions_check")), FALSE);
  type (security, "user_id_row", "smithj5678");
  wait_until (availability_known, security);
  press_next (fixture);
  wait_until (on_access_options, fixture);
  save_screenshot (fixture, "access-options");

  /* Log Off goes back to the sign-in page. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "sign-out", NULL);
  wait_until (on_sign_in, fixture);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_OUT);

  /* The lockout notice, as a user sees it after three failures. */
  create_user (fixture, "smithj1234");
  sign_in = page (fixture, "sign-in");
  for (guint i = 0; i < 3; i++)
    {
      type (sign_in, "user_id_row", "smithj1234");
      type (sign_in, "password_row", "Wrong-Guess9");
      press_next (fixture);
      /* The wrong password (test data) shows only as dots. */
      if (i == 0)
        save_screenshot (fixture, "sign-in-error");
    }
  type (sign_in, "password_row", "");
  save_screenshot (fixture, "sign-in-locked");
}

/* ---- keyboard: Tab, mnemonics, focus on arrival ------------------------- */

static const char *milogin_pages[] = {
  "welcome", "sign-in", "forgot-password", "profile", "security",
};

static GtkWidget *
wizard_child (Fixture    *fixture,
              const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (wizard (fixture)),
                                                    CM_TYPE_WIZARD, name));
}

static gboolean
is_field (GtkWidget *widget)
{
  return ADW_IS_ENTRY_ROW (widget) || ADW_IS_COMBO_ROW (widget) ||
         GTK_IS_CHECK_BUTTON (widget) || GTK_IS_SWITCH (widget);
}

/* The fields of @widget's tree that are on screen. */
static void
collect_fields (GtkWidget *widget,
                GPtrArray *fields)
{
  if (!gtk_widget_is_drawable (widget) || !gtk_widget_is_sensitive (widget))
    return;
  if (is_field (widget))
    {
      g_ptr_array_add (fields, widget);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_fields (c, fields);
}

static void
show_every_field_error (CmPage    *p,
                        GPtrArray *fields)
{
  for (guint i = 0; i < fields->len; i++)
    if (GTK_IS_LIST_BOX_ROW (g_ptr_array_index (fields, i)))
      cm_page_set_field_error (p, g_ptr_array_index (fields, i), "Test message");
}

/* Tab from nowhere round the window: every stop is on screen, in the page or
 * the header; the fields of the page never reached go to @missed. Tab
 * never changes a choice. */
static void
tab_walk (Fixture   *fixture,
          CmPage    *p,
          GPtrArray *missed)
{
  GtkRoot *root = GTK_ROOT (fixture->window);
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GHashTable) reached = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) active = g_hash_table_new (NULL, NULL);
  GtkWidget *header = wizard_child (fixture, "header_bar");
  GtkWidget *first = NULL;

  collect_fields (GTK_WIDGET (p), fields);
  for (guint i = 0; i < fields->len; i++)
    if (GTK_IS_CHECK_BUTTON (g_ptr_array_index (fields, i)) &&
        gtk_check_button_get_active (g_ptr_array_index (fields, i)))
      g_hash_table_add (active, g_ptr_array_index (fields, i));
  gtk_root_set_focus (root, NULL);
  for (guint n = 0; n < 200; n++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (root);
      g_assert_nonnull (focus);
      if (focus == first)
        break;
      if (first == NULL)
        first = focus;
      if (!gtk_widget_is_ancestor (focus, GTK_WIDGET (p)) &&
          !gtk_widget_is_ancestor (focus, header))
        g_error ("Tab stopped on a %s outside page %s and the header",
                 G_OBJECT_TYPE_NAME (focus), gtk_widget_get_name (GTK_WIDGET (p)));
      g_assert_true (gtk_widget_is_drawable (focus));
      if (GTK_IS_CHECK_BUTTON (focus))
        g_assert_cmpint (gtk_check_button_get_active (GTK_CHECK_BUTTON (focus)), ==,
                         g_hash_table_contains (active, focus));
      for (guint i = 0; i < fields->len; i++)
        {
          GtkWidget *field = g_ptr_array_index (fields, i);

          if (focus == field || gtk_widget_is_ancestor (focus, field))
            g_hash_table_add (reached, field);
        }
    }
  for (guint i = 0; i < fields->len; i++)
    if (!g_hash_table_contains (reached, g_ptr_array_index (fields, i)))
      g_ptr_array_add (missed, g_ptr_array_index (fields, i));
  g_assert_cmpuint (fields->len, >, 0);
}

/* As tab_walk(); a radio button is reached once it is the choice (Tab
 * enters a group of radio buttons once, at its choice). */
static void
assert_tab_walk (Fixture *fixture,
                 CmPage  *p)
{
  g_autoptr(GPtrArray) missed = g_ptr_array_new ();

  tab_walk (fixture, p, missed);
  for (guint i = 0; i < missed->len; i++)
    {
      GtkWidget *field = g_ptr_array_index (missed, i);
      g_autoptr(GPtrArray) again = g_ptr_array_new ();

      if (!GTK_IS_CHECK_BUTTON (field) || gtk_check_button_get_active (GTK_CHECK_BUTTON (field)))
        g_error ("Tab never reached a %s on page %s", G_OBJECT_TYPE_NAME (field),
                 gtk_widget_get_name (GTK_WIDGET (p)));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (field), TRUE);
      tab_walk (fixture, p, again);
      if (g_ptr_array_find (again, field, NULL))
        g_error ("Tab never reached a %s on page %s, even chosen", G_OBJECT_TYPE_NAME (field),
                 gtk_widget_get_name (GTK_WIDGET (p)));
    }
}

static void
go_to_page (Fixture    *fixture,
            const char *name)
{
  g_assert_true (cm_wizard_go_to (wizard (fixture), name));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  flush_main_context ();
}

static void
test_keyboard_tab_walk (Fixture       *fixture,
                        gconstpointer  data)
{
  if (skip_without_display ())
    return;

  /* Security's questions show too, so their rows are walked. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (page (fixture, "security"),
                                                        "questions_check")), TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (milogin_pages); i++)
    {
      CmPage *p;
      g_autoptr(GPtrArray) fields = g_ptr_array_new ();

      go_to_page (fixture, milogin_pages[i]);
      p = cm_wizard_get_current_page (wizard (fixture));
      assert_tab_walk (fixture, p);

      /* Again with a message under every field. */
      collect_fields (GTK_WIDGET (p), fields);
      show_every_field_error (p, fields);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
      assert_tab_walk (fixture, p);
      cm_page_clear_field_errors (p);
    }
}

/* What Alt+the label's letter activates: its mnemonic widget, else the row
 * or button holding it (a row may hold two labels with one title). */
static GtkWidget *
mnemonic_target (GtkWidget *label)
{
  GtkWidget *target = gtk_label_get_mnemonic_widget (GTK_LABEL (label));

  for (GtkWidget *w = label; target == NULL && w != NULL; w = gtk_widget_get_parent (w))
    if (ADW_IS_PREFERENCES_ROW (w) || GTK_IS_BUTTON (w) || GTK_IS_CHECK_BUTTON (w))
      target = w;

  return target != NULL ? target : label;
}

static void
collect_mnemonics (GtkWidget  *widget,
                   GHashTable *seen,
                   const char *page_name)
{
  /* A menu's mnemonics work only while it is open, over everything else. */
  if (GTK_IS_POPOVER (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)) &&
      gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)) != GDK_KEY_VoidSymbol)
    {
      guint key = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
      GtkWidget *other = g_hash_table_lookup (seen, GUINT_TO_POINTER (key));

      if (other != NULL && mnemonic_target (other) != mnemonic_target (widget))
        g_error ("On page %s, “%s” and “%s” share a mnemonic", page_name,
                 gtk_label_get_label (GTK_LABEL (other)), gtk_label_get_label (GTK_LABEL (widget)));
      g_hash_table_insert (seen, GUINT_TO_POINTER (key), widget);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_mnemonics (c, seen, page_name);
}

/* Alt+letter reaches one control: unique within each page and the header
 * (Back, Cancel, Next), counting rows that show only on a choice. */
static void
test_keyboard_mnemonics_unique (Fixture       *fixture,
                                gconstpointer  data)
{
  if (skip_without_display ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (milogin_pages); i++)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

      collect_mnemonics (wizard_child (fixture, "header_bar"), seen, milogin_pages[i]);
      collect_mnemonics (GTK_WIDGET (page (fixture, milogin_pages[i])), seen, milogin_pages[i]);
    }
}

/* Arriving on a page: only it is visible, focus on its first field, its
 * scrolled window at the top. */
static void
test_keyboard_focus_on_arrival (Fixture       *fixture,
                                gconstpointer  data)
{
  if (skip_without_display ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (milogin_pages); i++)
    {
      CmPage *p = page (fixture, milogin_pages[i]);
      GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_first_child (GTK_WIDGET (p)));
      g_autoptr(GPtrArray) fields = g_ptr_array_new ();
      GtkWidget *focus;

      /* Left scrolled down last time. */
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (scrolled), 400);
      go_to_page (fixture, milogin_pages[i]);
      g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (scrolled)),
                         ==, 0.0);
      for (guint j = 0; j < G_N_ELEMENTS (milogin_pages); j++)
        g_assert_cmpint (gtk_widget_is_visible (GTK_WIDGET (page (fixture, milogin_pages[j]))),
                         ==, i == j);

      collect_fields (GTK_WIDGET (p), fields);
      focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
      g_assert_nonnull (focus);
      g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (p)));
      /* The first field, or a link or button above it. */
      for (guint j = 1; j < fields->len; j++)
        g_assert_false (gtk_widget_is_ancestor (focus, g_ptr_array_index (fields, j)) ||
                        focus == g_ptr_array_index (fields, j));
    }
}

/* A failed Next puts focus on the first field in error. */
static void
test_keyboard_focus_first_error (Fixture       *fixture,
                                 gconstpointer  data)
{
  CmPage *sign_in;
  GtkWidget *focus;

  if (skip_without_display ())
    return;

  go_to_page (fixture, "sign-in");
  sign_in = cm_wizard_get_current_page (wizard (fixture));
  type (sign_in, "user_id_row", "nosuchuser1");
  type (sign_in, "password_row", "Wrong-Password-1");
  press_next (fixture);
  g_assert_true (cm_wizard_get_current_page (wizard (fixture)) == sign_in);
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, child (sign_in, "password_row")));
}

static void
find_all (GtkWidget *widget,
          GType      type,
          GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    find_all (c, type, found);
}

/* Password reveal buttons say what they do, not "GtkImage"; Enter in any
 * field of a page presses Next. */
static void
test_keyboard_names_and_enter (Fixture       *fixture,
                               gconstpointer  data)
{
  guint n_reveal = 0;

  if (skip_without_display ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (milogin_pages); i++)
    {
      g_autoptr(GPtrArray) texts = g_ptr_array_new ();
      g_autoptr(GPtrArray) toggles = g_ptr_array_new ();
      GtkWidget *p = GTK_WIDGET (page (fixture, milogin_pages[i]));

      find_all (p, GTK_TYPE_TEXT, texts);
      for (guint j = 0; j < texts->len; j++)
        g_assert_true (gtk_text_get_activates_default (g_ptr_array_index (texts, j)));

      find_all (p, GTK_TYPE_BUTTON, toggles);
      for (guint j = 0; j < toggles->len; j++)
        {
          GtkButton *reveal = g_ptr_array_index (toggles, j);
          GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (reveal),
                                                    ADW_TYPE_PASSWORD_ENTRY_ROW);

          if (row == NULL || !gtk_widget_get_visible (GTK_WIDGET (reveal)))
            continue;
          n_reveal++;
          gtk_test_accessible_assert_property (reveal, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                               "Show Password");
          g_signal_emit_by_name (reveal, "clicked");
          gtk_test_accessible_assert_property (reveal, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                               "Hide Password");
          g_signal_emit_by_name (reveal, "clicked");
          gtk_test_accessible_assert_property (reveal, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                               "Show Password");
        }
    }
  /* Sign in, forgot password (two), security (two, and two answers). */
  g_assert_cmpuint (n_reveal, >=, 7);
}

/* At the narrowest width the window allows, no page widens it. */
static void
test_window_stable_width (Fixture       *fixture,
                          gconstpointer  data)
{
  int width;

  if (skip_without_display ())
    return;

  /* GNOME's title bar buttons (Xvfb's default adds minimize and maximize). */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 700);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (page (fixture, "security"),
                                                        "questions_check")), TRUE);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  width = gtk_widget_get_width (GTK_WIDGET (fixture->window));
  g_assert_cmpint (width, <=, 360);
  for (guint i = 0; i < G_N_ELEMENTS (milogin_pages); i++)
    {
      go_to_page (fixture, milogin_pages[i]);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
      if (gtk_widget_get_width (GTK_WIDGET (fixture->window)) != width)
        g_error ("Page %s widens the window to %d px", milogin_pages[i],
                 gtk_widget_get_width (GTK_WIDGET (fixture->window)));
    }
}

int
main (int   argc,
      char *argv[])
{
  /* Screenshots in another language: the catalogues of the build tree. */
  if (g_getenv ("CM_SCREENSHOT_DIR") != NULL && g_getenv ("CM_BUILD_DIR") != NULL)
    {
      g_autofree char *po_dir = g_build_filename (g_getenv ("CM_BUILD_DIR"), "po", NULL);

      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, po_dir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  g_test_init (&argc, &argv, NULL);

  /* The test accessibility backend, so accessible names and states can be checked. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
      gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                        RESOURCE_BASE_PATH "/icons");
      /* What AdwApplication does for the app: our style.css on top. */
      {
        g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

        gtk_css_provider_load_from_resource (css, RESOURCE_BASE_PATH "/style.css");
        gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                    GTK_STYLE_PROVIDER (css),
                                                    GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      }
      if (g_strcmp0 (g_getenv ("CM_TEXT_DIRECTION"), "rtl") == 0)
        gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/pages/sign-in/insensitive-until-both-fields", test_sign_in_insensitive_until_both_fields);
  ADD ("/pages/sign-in/errors-keep-user-id-and-lock", test_sign_in_errors_keep_user_id_and_lock);
  ADD ("/pages/sign-in/unknown-user-same-message", test_sign_in_unknown_user_same_message);
  ADD ("/pages/sign-in/success", test_sign_in_success);
  ADD ("/pages/profile/complete-rules", test_profile_complete_rules);
  ADD ("/pages/profile/reset-after-confirmation", test_profile_reset_after_confirmation);
  ADD ("/pages/profile/terms-readable", test_profile_terms_readable);
  ADD ("/pages/security/checklist-ticks", test_security_checklist_ticks);
  ADD ("/pages/security/sign-up-and-sign-in", test_security_sign_up_and_sign_in);
  ADD ("/pages/security/taken-user-id", test_security_taken_user_id);
  ADD ("/pages/security/server-error-keeps-fields", test_server_error_keeps_fields);
  ADD ("/pages/security/request-from-form", test_security_request_from_form);
  ADD ("/pages/security/profile-error-goes-back", test_profile_error_goes_back);
  ADD ("/pages/draft/restores-after-recreating-window",
       test_draft_restores_after_recreating_window);
  ADD ("/pages/draft/cancel-clears", test_draft_cancel_clears);
  ADD ("/pages/forgot-password/last-three", test_forgot_password_last_three);
  ADD ("/pages/window/restores-remembered-session", test_window_restores_remembered_session);
  ADD ("/pages/practice/back-end", test_practice_back_end);
  ADD ("/pages/window/stable-width", test_window_stable_width);
  ADD ("/pages/keyboard/tab-walk", test_keyboard_tab_walk);
  ADD ("/pages/keyboard/mnemonics-unique", test_keyboard_mnemonics_unique);
  ADD ("/pages/keyboard/focus-on-arrival", test_keyboard_focus_on_arrival);
  ADD ("/pages/keyboard/focus-first-error", test_keyboard_focus_first_error);
  ADD ("/pages/keyboard/names-and-enter", test_keyboard_names_and_enter);
  ADD ("/pages/screenshots", test_screenshots);
#undef ADD

  return g_test_run ();
}
