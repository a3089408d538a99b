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

#include "cm-account-details-dialog.h"
#include "cm-application.h"
#include "cm-credential-store-private.h"
#include "cm-error.h"
#include "cm-field-error-row.h"
#include "cm-forgot-password-page-private.h"
#include "cm-password-checklist-private.h"
#include "cm-practice-inbox-button.h"
#include "cm-practice-inbox.h"
#include "cm-practice-private.h"
#include "cm-profile-page-private.h"
#include "cm-security-page-private.h"
#include "cm-server.h"
#include "cm-sign-in-page-private.h"
#include "cm-springboard-window-private.h"
#include "cm-test-util.h"
#include "cm-validate.h"
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

static void save_screenshot (Fixture    *fixture,
                             const char *name);
static void save_window_screenshot (GtkWidget  *widget,
                                    const char *name);

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
fetch_challenge (CmApiClient *client)
{
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

/* Makes the account "smithj<digits>" through the API of @client, as another computer would. */
static void
create_user_on (CmApiClient *client,
                const char  *user_id)
{
  g_autoptr(CmSignUpRequest) request = cm_sign_up_request_new ();
  g_autoptr(CmChallenge) challenge = fetch_challenge (client);
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

static void
create_user (Fixture    *fixture,
             const char *user_id)
{
  create_user_on (cm_session_get_api_client (fixture->session), user_id);
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

static gboolean
row_has_error (gpointer data)
{
  return gtk_widget_has_css_class (GTK_WIDGET (data), "error");
}

static void save_screenshot (Fixture    *fixture,
                             const char *name);

/* No recovery option: Next says so on the options, with the rule's own message
 * (cm_validate_recovery_options ()), and creates nothing; choosing one clears it. */
static void
test_security_needs_recovery_option (Fixture       *fixture,
                                     gconstpointer  data)
{
  CmPage *security;
  GtkWidget *email_row;
  GtkWidget *message_row;
  g_autoptr(GError) rule = NULL;

  if (skip_without_display ())
    return;

  go_to_security (fixture, TRUE);
  security = page (fixture, "security");
  email_row = child (security, "email_row");
  wait_until (availability_known, security);
  type (security, "password_row", GOOD_PASSWORD);
  type (security, "confirm_row", GOOD_PASSWORD);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (security, "email_check")), FALSE);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (child (security,
                                                                        "text_check"))));
  g_assert_true (cm_page_get_complete (security));

  press_next (fixture);
  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "security");
  g_assert_true (row_has_error (email_row));
  g_assert_false (cm_validate_recovery_options (FALSE, FALSE, 0, NULL, &rule));
  message_row = gtk_widget_get_next_sibling (email_row);
  g_assert_true (CM_IS_FIELD_ERROR_ROW (message_row));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cm_field_error_row_get_label (
                                         CM_FIELD_ERROR_ROW (message_row)))), ==,
                   rule->message);
  g_assert_cmpint (cm_session_get_state (fixture->session), !=, CM_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (text (security, "password_row"), ==, GOOD_PASSWORD);
  save_screenshot (fixture, "security-no-recovery");

  /* Security questions alone are enough. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (security, "questions_check")), TRUE);
  g_assert_false (row_has_error (email_row));
  type (security, "answer1_row", "Rex");
  type (security, "answer2_row", "Lansing");
  press_next (fixture);
  wait_until (on_access_options, fixture);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_IN);
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
  /* A new question was asked, under the reason in error style (not the
   * group's grey description); answering it right lets the sign-up through. */
  wait_until (challenge_loaded, profile);
  {
    GtkWidget *refused = child (profile, "challenge_refused_label");

    g_assert_true (gtk_widget_get_visible (refused));
    g_assert_true (gtk_widget_has_css_class (refused, "error"));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (refused)), ==,
                     cm_error_code_get_message (CM_ERROR_CHALLENGE_FAILED));
    g_assert_cmpstr (adw_preferences_group_get_description (
                       ADW_PREFERENCES_GROUP (child (profile, "challenge_group"))), !=,
                     gtk_label_get_text (GTK_LABEL (refused)));
    save_screenshot (fixture, "profile-answer-refused");
  }
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
  challenge = fetch_challenge (cm_session_get_api_client (fixture->session));
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

/* Three wrong passwords lock the User ID (the back-end's rule). */
static void
lock_user (Fixture    *fixture,
           const char *user_id)
{
  CmPage *sign_in = page (fixture, "sign-in");

  for (guint attempt = 0; attempt < 3; attempt++)
    {
      type (sign_in, "user_id_row", user_id);
      type (sign_in, "password_row", "Wrong-Guess9");
      press_next (fixture);
    }
  g_assert_true (gtk_widget_get_visible (child (sign_in, "lockout_box")));
}

/* A reset ends the lockout at once: no countdown, Sign In works, the back-end agrees. */
static void
test_forgot_password_reset_ends_lockout (Fixture       *fixture,
                                         gconstpointer  data)
{
  CmPage *sign_in;
  CmPage *forgot;
  g_autofree char *pin = NULL;
  g_autofree char *grouped = NULL;

  if (skip_without_display ())
    return;

  create_user (fixture, "smithj1234");
  cm_wizard_go_to (wizard (fixture), "sign-in");
  sign_in = page (fixture, "sign-in");
  lock_user (fixture, "smithj1234");
  /* The 423 wording, not the 429 one. */
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child (sign_in, "lockout_label"))),
                            "locked"));

  g_signal_emit_by_name (child (sign_in, "forgot_button"), "clicked");
  forgot = page (fixture, "forgot-password");
  type (forgot, "user_id_row", "smithj1234");
  g_signal_emit_by_name (child (forgot, "send_button"), "clicked");
  wait_until (pin_sent, forgot);
  pin = find_pin (fixture);
  /* Typed grouped, as a text message may show it: the page sends the digits. */
  grouped = g_strdup_printf ("%.3s %s", pin, pin + 3);
  type (forgot, "pin_row", grouped);
  type (forgot, "password_row", OTHER_PASSWORD);
  type (forgot, "confirm_row", OTHER_PASSWORD);
  press_next (fixture);
  wait_until (on_sign_in, fixture);

  g_assert_false (gtk_widget_get_visible (child (sign_in, "lockout_box")));
  g_assert_cmpint (cm_sign_in_page_get_locked_seconds (CM_SIGN_IN_PAGE (sign_in)), ==, 0);
  g_assert_cmpstr (text (sign_in, "user_id_row"), ==, "smithj1234");
  type (sign_in, "password_row", OTHER_PASSWORD);
  g_assert_true (cm_page_get_complete (sign_in));
  press_next (fixture);
  wait_until (on_access_options, fixture);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_IN);
}

/* A busy back-end (429) is worded as such, not as a locked account (423). */
static void
test_sign_in_rate_limited_wording (Fixture       *fixture,
                                   gconstpointer  data)
{
  CmPage *sign_in;
  const char *text;

  if (skip_without_display ())
    return;

  create_user (fixture, "smithj1234");
  cm_wizard_go_to (wizard (fixture), "sign-in");
  sign_in = page (fixture, "sign-in");
  /* One sensitive request a minute: the first sign-in spends it. */
  cm_server_set_rate_limit (fixture->server, 1);
  for (guint i = 0; i < 2 && !gtk_widget_get_visible (child (sign_in, "lockout_box")); i++)
    {
      type (sign_in, "user_id_row", "smithj1234");
      type (sign_in, "password_row", "Wrong-Guess9");
      press_next (fixture);
    }

  g_assert_true (gtk_widget_get_visible (child (sign_in, "lockout_box")));
  text = gtk_label_get_text (GTK_LABEL (child (sign_in, "lockout_label")));
  g_assert_nonnull (strstr (text, "Too many requests"));
  g_assert_null (strstr (text, "locked"));
  /* The lock's explanation is not this one's. */
  g_assert_false (gtk_widget_get_visible (child (sign_in, "lockout_help_label")));
  g_assert_false (gtk_widget_get_sensitive (cm_wizard_get_next_button (wizard (fixture))));
  save_screenshot (fixture, "sign-in-rate-limited");
}

typedef struct
{
  CmPage     *page;
  const char *row;
} FieldRef;

static gboolean
field_has_message (gpointer data)
{
  FieldRef *ref = data;

  return cm_page_get_field_error (ref->page, child (ref->page, ref->row)) != NULL;
}

/* The text under @row_name once the pause in typing has passed. */
static const char *
wait_for_field_message (CmPage     *p,
                        const char *row_name)
{
  FieldRef ref = { p, row_name };
  GtkWidget *message;

  wait_until (field_has_message, &ref);
  message = cm_page_get_field_error (p, child (p, row_name));
  g_assert_true (CM_IS_FIELD_ERROR_ROW (message));
  g_assert_true (gtk_widget_has_css_class (child (p, row_name), "error"));
  return gtk_label_get_text (GTK_LABEL (cm_field_error_row_get_label (CM_FIELD_ERROR_ROW (message))));
}

/* A malformed PIN and a confirmation that does not match say why, on their
 * fields, without pressing Next. */
static void
test_forgot_password_field_messages (Fixture       *fixture,
                                     gconstpointer  data)
{
  CmPage *forgot;
  g_autoptr(GError) pin_error = NULL;

  if (skip_without_display ())
    return;

  cm_wizard_go_to (wizard (fixture), "forgot-password");
  forgot = page (fixture, "forgot-password");
  type (forgot, "user_id_row", "smithj1234");
  type (forgot, "pin_row", "12a");
  g_assert_false (cm_validate_reset_pin ("12a", NULL, &pin_error));
  g_assert_cmpstr (wait_for_field_message (forgot, "pin_row"), ==, pin_error->message);

  type (forgot, "password_row", GOOD_PASSWORD);
  type (forgot, "confirm_row", OTHER_PASSWORD);
  g_assert_cmpstr (wait_for_field_message (forgot, "confirm_row"), ==,
                   cm_error_code_get_message (CM_ERROR_PASSWORD_MISMATCH));
  g_assert_false (cm_page_get_complete (forgot));

  /* Fixed, the messages go. */
  type (forgot, "pin_row", "123456");
  type (forgot, "confirm_row", GOOD_PASSWORD);
  g_assert_null (cm_page_get_field_error (forgot, child (forgot, "pin_row")));
  g_assert_null (cm_page_get_field_error (forgot, child (forgot, "confirm_row")));
  g_assert_true (cm_page_get_complete (forgot));
}

/* Security Setup: a confirmation that does not match says so on its field. */
static void
test_security_confirm_mismatch_message (Fixture       *fixture,
                                        gconstpointer  data)
{
  CmPage *security;

  if (skip_without_display ())
    return;

  go_to_security (fixture, TRUE);
  security = page (fixture, "security");
  type (security, "password_row", GOOD_PASSWORD);
  type (security, "confirm_row", OTHER_PASSWORD);
  g_assert_cmpstr (wait_for_field_message (security, "confirm_row"), ==,
                   cm_error_code_get_message (CM_ERROR_PASSWORD_MISMATCH));
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

  /* Practice mode starts the reference back-end, a process of its own. */
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

/* ---- the end of a session clears its notices ------------------------------ */

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (has_label (c, text))
      return TRUE;
  return FALSE;
}

#define EXPIRING_TEXT "You will be signed out soon for inactivity"

static gboolean
expiring_shown (gpointer data)
{
  return has_label (GTK_WIDGET (data), EXPIRING_TEXT);
}

static gboolean
expiring_gone (gpointer data)
{
  return !expiring_shown (data);
}

static GtkWidget *
find_toplevel (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (window), name) == 0 && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

static gboolean
expiry_dialog_shown (gpointer data)
{
  return find_toplevel ("expiry-dialog") != NULL;
}

/* Signed in with the "signed out soon" warning on screen at once: the whole
 * session is within the lead time. */
static void
sign_in_warned (Fixture *fixture)
{
  CmPage *sign_in;

  create_user (fixture, "smithj1234");
  g_object_set (fixture->session, "expiring-lead-time", 365 * 24 * 60 * 60, NULL);
  cm_wizard_go_to (wizard (fixture), "sign-in");
  sign_in = page (fixture, "sign-in");
  type (sign_in, "user_id_row", "smithj1234");
  type (sign_in, "password_row", GOOD_PASSWORD);
  press_next (fixture);
  wait_until (on_access_options, fixture);
  wait_until (expiring_shown, fixture->window);
}

static void
session_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  cm_session_refresh_finish (CM_SESSION (object), result, &error);
}

/* The warning that the session ends soon, then its end: Log Off in the
 * dialog leaves the sign-in page with no notice of the old session. */
static void
test_window_log_off_clears_session_notices (Fixture       *fixture,
                                            gconstpointer  data)
{
  GtkWidget *dialog;

  if (skip_without_display ())
    return;

  sign_in_warned (fixture);

  /* Past the 12 hours a session lives: the next call finds it ended. */
  cm_server_advance_clock (fixture->server, 13 * 60 * 60);
  cm_session_refresh_async (fixture->session, NULL, session_done_cb, NULL);
  wait_until (expiry_dialog_shown, NULL);
  dialog = find_toplevel ("expiry-dialog");
  wait_until (expiring_gone, fixture->window);

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "log-off");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_until (on_sign_in, fixture);
  flush_main_context ();
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_OUT);
  g_assert_false (expiring_shown (fixture->window));
  g_assert_null (find_toplevel ("expiry-dialog"));
}

/* Logged off from the window while the warning shows: it goes too. */
static void
test_window_sign_out_dismisses_warning (Fixture       *fixture,
                                        gconstpointer  data)
{
  if (skip_without_display ())
    return;

  sign_in_warned (fixture);

  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "sign-out", NULL);
  wait_until (on_sign_in, fixture);
  wait_until (expiring_gone, fixture->window);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_OUT);
}

/* ---- practice mode: Remember me across two starts ----------------------- */

static gboolean
window_settled (gpointer data)
{
  CmWindow *window = data;
  CmSession *session = cm_window_get_session (window);

  return session != NULL && cm_session_get_state (session) != CM_SESSION_STATE_SIGNING_IN &&
         g_strcmp0 (gtk_stack_get_visible_child_name (cm_window_get_main_stack (window)),
                    "loading") != 0;
}

/* One start of the app as main() makes it: practice mode, the real keyring. */
static CmWindow *
start_practice_app (CmApplication **app_out)
{
  static guint starts;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf (APP_ID ".Test%u", ++starts);
  CmApplication *app = cm_application_new (id, G_APPLICATION_NON_UNIQUE);
  CmWindow *window;

  /* An id per start: a GApplication's object path stays on the bus until it is finalized. */
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cm_application_get_practice (app));
  g_application_activate (G_APPLICATION (app));
  window = CM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  wait_until (window_settled, window);
  *app_out = app;
  return window;
}

static void
stop_practice_app (CmApplication *app)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));
  flush_main_context ();
  /* What GApplication's shutdown does: the practice back-end stops with the app. */
  cm_practice_stop (cm_application_get_practice (app));
  g_object_unref (app);
  flush_main_context ();
}

static gboolean
access_types_loaded (gpointer data)
{
  return g_list_model_get_n_items (cm_access_request_get_type_labels (data)) > 0;
}

static void
test_practice_remember_across_starts (Fixture       *fixture,
                                      gconstpointer  data)
{
  CmWindow *own_window;
  CmSession *own_session;
  CmApplication *app = NULL;
  CmWindow *window;
  CmPage *sign_in;
  g_autofree char *first_uri = NULL;
  g_autofree char *user_id = NULL;

  if (skip_without_display ())
    return;

  /* The practice database lives in the session's data folder: a User ID of this run. */
  user_id = g_strdup_printf ("smithj%04u", g_str_hash (fixture->tmp_dir) % 10000);
  own_window = fixture->window;
  own_session = fixture->session;
  gtk_widget_set_visible (GTK_WIDGET (own_window), FALSE);

  window = start_practice_app (&app);
  first_uri = g_strdup (cm_practice_get_uri (cm_application_get_practice (app)));
  g_assert_true (g_str_has_prefix (first_uri, "http://127.0.0.1:"));
  create_user_on (cm_session_get_api_client (cm_window_get_session (window)), user_id);
  fixture->window = window;
  fixture->session = cm_window_get_session (window);
  cm_wizard_go_to (wizard (fixture), "sign-in");
  sign_in = page (fixture, "sign-in");
  type (sign_in, "user_id_row", user_id);
  type (sign_in, "password_row", GOOD_PASSWORD);
  gtk_switch_set_active (GTK_SWITCH (child (sign_in, "remember_switch")), TRUE);
  press_next (fixture);
  wait_until (on_access_options, fixture);
  g_assert_true (cm_session_get_remembered (fixture->session));
  /* The access flows got the session made after the first frame: the account
   * types load for Request Code. */
  g_assert_true (cm_access_request_get_session (cm_window_get_access_request (window)) ==
                 fixture->session);
  wait_until (access_types_loaded, cm_window_get_access_request (window));
  /* The real keyring of the session, as a user's. */
  g_assert_cmpint (cm_credential_store_get_backend (
                     cm_session_get_credential_store (fixture->session)), ==,
                   CM_CREDENTIAL_BACKEND_SECRET);
  fixture->window = own_window;
  fixture->session = own_session;
  stop_practice_app (app);

  /* The second start: a new port, and the session is found again. */
  window = start_practice_app (&app);
  g_test_message ("practice back-end at %s, then at %s", first_uri,
                  cm_practice_get_uri (cm_application_get_practice (app)));
  g_assert_cmpint (cm_session_get_state (cm_window_get_session (window)), ==,
                   CM_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (cm_session_get_user_id (cm_window_get_session (window)), ==, user_id);

  /* Log Off forgets it: the third start asks again. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "sign-out", NULL);
  wait_until (window_settled, window);
  stop_practice_app (app);
  window = start_practice_app (&app);
  g_assert_cmpint (cm_session_get_state (cm_window_get_session (window)), ==,
                   CM_SESSION_STATE_SIGNED_OUT);
  stop_practice_app (app);
}

typedef struct
{
  guint   n_answers;
  guint   n_failed;
  GError *last_error;  /* owned, nullable: the last answer's */
} StartWait;

static void
practice_started_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  StartWait *wait = user_data;

  g_clear_error (&wait->last_error);
  if (!cm_practice_start_finish (CM_PRACTICE (object), result, &wait->last_error))
    wait->n_failed++;
  wait->n_answers++;
}

static void
test_practice_start_async (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CmPractice) practice = NULL;
  g_autofree char *dir = NULL;
  StartWait wait = { 0, 0, NULL };

  if (skip_without_display ())
    return;

  /* The app's way: a thread waits for the start; two callers wait for one
   * start, and a caller after it gets its answer at once. */
  dir = g_build_filename (fixture->tmp_dir, "practice-async", NULL);
  practice = cm_practice_new (dir);
  cm_practice_start_async (practice, NULL, practice_started_cb, &wait);
  cm_practice_start_async (practice, NULL, practice_started_cb, &wait);
  g_assert_null (cm_practice_get_uri (practice));
  while (wait.n_answers < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (wait.n_failed, ==, 0);
  g_assert_true (g_str_has_prefix (cm_practice_get_uri (practice), "http://127.0.0.1:"));

  cm_practice_start_async (practice, NULL, practice_started_cb, &wait);
  g_assert_cmpuint (wait.n_answers, ==, 2);
  while (wait.n_answers < 3)
    g_main_context_iteration (NULL, TRUE);

  /* Stopping while a start is in flight gives it up, or stops what it started. */
  cm_practice_stop (practice);
  g_assert_null (cm_practice_get_uri (practice));
  g_clear_object (&practice);
  practice = cm_practice_new (dir);
  cm_practice_start_async (practice, NULL, practice_started_cb, &wait);
  cm_practice_stop (practice);
  g_assert_null (cm_practice_get_uri (practice));
  while (wait.n_answers < 4)
    g_main_context_iteration (NULL, TRUE);
  /* Given up, unless it had just started. */
  if (wait.n_failed > 0)
    g_assert_error (wait.last_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.last_error);
}

/* Puts back CM_PRACTICE_SERVER as it was (unset, when the test runs outside meson). */
static void
restore_practice_server (const char *saved)
{
  if (saved != NULL)
    g_setenv ("CM_PRACTICE_SERVER", saved, TRUE);
  else
    g_unsetenv ("CM_PRACTICE_SERVER");
}

/* The back-end is a process of its own: when the app ends, even killed, so does the
 * back-end (its standard input closes, src/server/main.c --stop-with-stdin). */
static void
test_practice_ends_with_app (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *uri_file = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  if (skip_without_display ())
    return;

  /* The child has a fixture of its own: it is told where to work and write, in the
   * parent's folder, which the parent's teardown removes. */
  if (g_test_subprocess ())
    {
      const char *parent_dir = g_getenv ("CM_TEST_PRACTICE_PARENT_DIR");
      g_autofree char *dir = g_build_filename (parent_dir, "practice-killed", NULL);
      g_autofree char *to = g_build_filename (parent_dir, "practice-uri", NULL);
      CmPractice *practice = cm_practice_new (dir);

      g_assert_true (cm_practice_start (practice, &error));
      g_assert_true (g_file_set_contents (to, cm_practice_get_uri (practice), -1, NULL));
      /* No dispose, no stop: as a crash would end it. */
      kill (getpid (), SIGKILL);
    }
  uri_file = g_build_filename (fixture->tmp_dir, "practice-uri", NULL);
  g_setenv ("CM_TEST_PRACTICE_PARENT_DIR", fixture->tmp_dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("CM_TEST_PRACTICE_PARENT_DIR");
  g_test_trap_assert_failed ();
  g_assert_true (g_file_get_contents (uri_file, &uri, NULL, NULL));
  g_assert_true (g_str_has_prefix (uri, "http://127.0.0.1:"));

  /* Until the back-end has seen the pipe close and stopped, it still accepts; a minute
   * is far more than it takes, and a back-end that outlives the app fails here. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GSocketConnection) connection = NULL;

      connection = g_socket_client_connect_to_uri (client, uri, 0, NULL, &error);
      if (connection == NULL)
        break;
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

/* A missing back-end program, one that ends at once, one that prints something else than
 * its URI: each is a clear error, and the app goes on without a back-end. */
static void
test_practice_bad_program (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *programs[] = { "/nonexistent/cars-mechanic-server", "/bin/false", "/bin/echo" };
  g_autofree char *saved = g_strdup (g_getenv ("CM_PRACTICE_SERVER"));
  g_autofree char *dir = g_build_filename (fixture->tmp_dir, "practice-bad", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autoptr(CmPractice) practice = cm_practice_new (dir);
      g_autoptr(GError) error = NULL;
      StartWait wait = { 0, 0, NULL };

      g_test_message ("practice back-end program %s", programs[i]);
      g_setenv ("CM_PRACTICE_SERVER", programs[i], TRUE);
      g_assert_false (cm_practice_start (practice, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "practice back-end did not start"));
      g_assert_null (cm_practice_get_uri (practice));

      cm_practice_start_async (practice, NULL, practice_started_cb, &wait);
      while (wait.n_answers < 1)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (wait.n_failed, ==, 1);
      g_assert_error (wait.last_error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_clear_error (&wait.last_error);
      g_assert_null (cm_practice_get_uri (practice));
    }
  restore_practice_server (saved);
}

/* A back-end program that hangs without saying where it listens: stopping the app gives
 * it up at once (it does not wait for it), and a start that takes too long fails. One
 * that will not stop is killed. */
static void
test_practice_hung_program (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *saved = g_strdup (g_getenv ("CM_PRACTICE_SERVER"));
  g_autofree char *dir = g_build_filename (fixture->tmp_dir, "practice-hung", NULL);
  g_autofree char *program = g_build_filename (fixture->tmp_dir, "hung-server", NULL);
  g_autoptr(CmPractice) practice = NULL;
  g_autoptr(GError) error = NULL;
  StartWait wait = { 0, 0, NULL };

  g_assert_true (g_file_set_contents (program, "#!/bin/sh\nexec sleep 600\n", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (program, 0700), ==, 0);
  g_setenv ("CM_PRACTICE_SERVER", program, TRUE);

  practice = cm_practice_new (dir);
  cm_practice_start_async (practice, NULL, practice_started_cb, &wait);
  cm_practice_stop (practice);
  while (wait.n_answers < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (wait.last_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.last_error);
  g_assert_null (cm_practice_get_uri (practice));

  cm_practice_set_start_timeout (practice, 1);
  cm_practice_start_async (practice, NULL, practice_started_cb, &wait);
  while (wait.n_answers < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (wait.last_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_test_message ("%s", wait.last_error->message);
  g_clear_error (&wait.last_error);
  g_assert_null (cm_practice_get_uri (practice));

  /* One that says where it listens, then ignores SIGTERM: killed after a while. */
  g_assert_true (g_file_set_contents (program, "#!/bin/sh\ntrap '' TERM\n"
                                      "echo http://127.0.0.1:9/\nexec sleep 600\n", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (program, 0700), ==, 0);
  g_assert_true (cm_practice_start (practice, &error));
  g_assert_no_error (error);
  g_test_expect_message ("cm-practice", G_LOG_LEVEL_WARNING, "*did not stop*killed*");
  cm_practice_stop (practice);
  g_test_assert_expected_messages ();
  g_assert_null (cm_practice_get_uri (practice));
  restore_practice_server (saved);
}


static void
welcome_applied_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GError **error = user_data;

  if (cm_page_apply_finish (CM_PAGE (object), result, error))
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "applied");
}

static void
test_welcome_waits_for_backend (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(CmPage) welcome = NULL;
  GError *answer = NULL;

  if (skip_without_display ())
    return;

  /* Practice mode starts its back-end after the first frame: Next on
   * Welcome stays busy until it is ready, then goes on. */
  welcome = g_object_ref_sink (cm_welcome_page_new ());
  cm_welcome_page_set_backend_mode (CM_WELCOME_PAGE (welcome), CM_BACKEND_MODE_PRACTICE);
  cm_welcome_page_set_backend_ready (CM_WELCOME_PAGE (welcome), FALSE);
  g_assert_true (cm_page_get_complete (welcome));
  cm_page_apply_async (welcome, NULL, welcome_applied_cb, &answer);
  flush_main_context ();
  g_assert_null (answer);
  g_assert_true (cm_page_get_busy (welcome));
  cm_welcome_page_set_backend_ready (CM_WELCOME_PAGE (welcome), TRUE);
  while (answer == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (answer, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&answer);
  g_assert_false (cm_page_get_busy (welcome));

  /* A back-end that could not start: Next fails, and the page says why. */
  cm_welcome_page_set_backend_ready (CM_WELCOME_PAGE (welcome), FALSE);
  cm_page_apply_async (welcome, NULL, welcome_applied_cb, &answer);
  cm_welcome_page_set_backend_mode (CM_WELCOME_PAGE (welcome), CM_BACKEND_MODE_NONE);
  while (answer == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (answer, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
  g_clear_error (&answer);
  g_assert_false (cm_page_get_complete (welcome));
}

/* ---- screenshots ------------------------------------------------------------ */

static void
save_screenshot (Fixture    *fixture,
                 const char *name)
{
  save_window_screenshot (GTK_WIDGET (fixture->window), name);
}

static void
save_window_screenshot (GtkWidget  *widget,
                        const char *name)
{
  const char *dir = g_getenv ("CM_SCREENSHOT_DIR");
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

static GtkWidget *
find_of_type (GtkWidget *widget,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_of_type (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
widget_shown (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (data));
}

/* (transfer full) A session whose back-end takes the request and never
 * answers: the kernel accepts the connection, nobody reads it. */
static CmSession *
silent_session (GSocketListener **listener)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(CmApiClient) client = NULL;
  g_autoptr(CmCredentialStore) store = NULL;
  g_autofree char *uri = NULL;

  *listener = g_socket_listener_new ();
  g_assert_true (g_socket_listener_add_address (*listener, address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  uri = g_strdup_printf ("http://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  client = cm_api_client_new (uri);
  store = cm_credential_store_new_for_backend (CM_CREDENTIAL_BACKEND_MEMORY);
  return cm_session_new (client, store);
}

/* The recovery screens of issue 15, to look at (CM_SCREENSHOT_DIR): the
 * messages on their fields, the inbox badge, Refresh at work, the details. */
static void
test_screenshots_recovery (Fixture       *fixture,
                           gconstpointer  data)
{
  CmPage *forgot;
  CmPage *security;
  GtkWidget *inbox_button;
  g_autoptr(CmOutboxWatch) watch = NULL;
  g_autofree char *letter = NULL;
  g_autoptr(CmAccount) account = NULL;
  CmSpringboardWindow *springboard;
  g_autoptr(GSocketListener) listener = NULL;
  g_autoptr(CmSession) silent = NULL;
  g_autoptr(GSimpleActionGroup) app_actions = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) inbox_action = g_simple_action_new ("practice-inbox", NULL);
  GtkWidget *dialog;

  if (skip_without_display ())
    return;

  /* GNOME's title bar buttons (Xvfb's default adds minimize and maximize). */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  /* As in the app, where app.practice-inbox exists in practice mode. */
  g_action_map_add_action (G_ACTION_MAP (app_actions), G_ACTION (inbox_action));
  gtk_widget_insert_action_group (GTK_WIDGET (fixture->window), "app",
                                  G_ACTION_GROUP (app_actions));
  cm_wizard_go_to (wizard (fixture), "forgot-password");
  forgot = page (fixture, "forgot-password");
  type (forgot, "user_id_row", "smithj1234");
  type (forgot, "pin_row", "12a");
  type (forgot, "password_row", GOOD_PASSWORD);
  type (forgot, "confirm_row", OTHER_PASSWORD);
  g_assert_nonnull (wait_for_field_message (forgot, "confirm_row"));
  g_assert_nonnull (cm_page_get_field_error (forgot, child (forgot, "pin_row")));
  save_screenshot (fixture, "forgot-password-errors");

  go_to_security (fixture, TRUE);
  security = page (fixture, "security");
  type (security, "password_row", GOOD_PASSWORD);
  type (security, "confirm_row", OTHER_PASSWORD);
  g_assert_nonnull (wait_for_field_message (security, "confirm_row"));
  save_screenshot (fixture, "security-mismatch");

  /* Practice mode's inbox button, with one new letter. */
  watch = cm_outbox_watch_new (cm_server_get_outbox_dir (fixture->server));
  inbox_button = find_of_type (GTK_WIDGET (wizard (fixture)), CM_TYPE_PRACTICE_INBOX_BUTTON);
  cm_practice_inbox_button_set_watch (CM_PRACTICE_INBOX_BUTTON (inbox_button), watch);
  letter = g_build_filename (cm_server_get_outbox_dir (fixture->server), "0001-letter.txt", NULL);
  g_assert_true (g_file_set_contents (letter, "Michigan Department of State\n", -1, NULL));
  wait_until (widget_shown, find_named (inbox_button, "badge"));
  save_screenshot (fixture, "wizard-inbox-badge");

  /* The springboard while Refresh works (a back-end that never answers),
   * and an account's details. */
  silent = silent_session (&listener);
  springboard = cm_springboard_window_new (NULL, silent);
  gtk_window_set_default_size (GTK_WINDOW (springboard), 720, 640);
  gtk_window_present (GTK_WINDOW (springboard));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (springboard));
  gtk_widget_activate_action (GTK_WIDGET (springboard), "win.refresh", NULL);
  save_window_screenshot (GTK_WIDGET (springboard), "springboard-refreshing");
  account = cm_account_new ("mechanic", "Z123456", "Emily Hall Auto Repair", "active",
                            "Lansing", NULL, NULL);
  dialog = cm_springboard_window_show_details (springboard, account);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_test_widget_wait_for_draw (dialog);
  g_signal_emit_by_name (find_named (dialog, "copy-number-button"), "clicked");
  save_window_screenshot (dialog, "account-details");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (springboard));
  flush_main_context ();
  g_unlink (letter);

  /* Keyboard Shortcuts, as the app shows it (the accelerators are the app's). */
  {
    CmApplication *app = NULL;
    CmWindow *window = start_practice_app (&app);
    GtkShortcutsWindow *overlay;

    /* The app builds it on first use (docs/benchmarks.md). */
    g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
    overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
    g_assert_nonnull (overlay);
    gtk_test_widget_wait_for_draw (GTK_WIDGET (overlay));
    save_window_screenshot (GTK_WIDGET (overlay), "keyboard-shortcuts");
    stop_practice_app (app);
  }
}

static gboolean
unread_is_one (gpointer data)
{
  return cm_outbox_watch_get_n_unread (CM_OUTBOX_WATCH (data)) == 1;
}

static guint
count_inboxes (GtkApplication *app)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    n += CM_IS_PRACTICE_INBOX (l->data);
  return n;
}

/* A desktop's notification server, as GLib's freedesktop backend talks to it:
 * Notify records the summary. */
static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/>"
  "<arg type='i' direction='in'/><arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "</interface></node>";

static void
notifications_call_cb (GDBusConnection       *connection,
                       const char            *sender,
                       const char            *path,
                       const char            *interface,
                       const char            *method,
                       GVariant              *parameters,
                       GDBusMethodInvocation *invocation,
                       gpointer               user_data)
{
  GPtrArray *summaries = user_data;

  if (g_str_equal (method, "Notify"))
    {
      const char *summary = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_ptr_array_add (summaries, g_strdup (summary));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", summaries->len));
      return;
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

typedef struct
{
  guint      owner_id;
  guint      object_id;
  gboolean   owned;
  GPtrArray *summaries;
} NotificationServer;

static void
on_name_acquired_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  ((NotificationServer *) user_data)->owned = TRUE;
}

static void
notification_server_start (NotificationServer *server)
{
  static const GDBusInterfaceVTable vtable = { notifications_call_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  server->summaries = g_ptr_array_new_with_free_func (g_free);
  server->object_id = g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                                         info->interfaces[0], &vtable,
                                                         server->summaries, NULL, NULL);
  server->owner_id = g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications",
                                                   G_BUS_NAME_OWNER_FLAGS_NONE,
                                                   on_name_acquired_cb, NULL, server, NULL);
  cm_test_wait_for (&server->owned);
}

static void
notification_server_stop (NotificationServer *server)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  g_bus_unown_name (server->owner_id);
  g_dbus_connection_unregister_object (bus, server->object_id);
  g_clear_pointer (&server->summaries, g_ptr_array_unref);
}

static gboolean
notified (gpointer data)
{
  return ((NotificationServer *) data)->summaries->len > 0;
}

/* In the app: a letter arrives (the badge counts it, the desktop is told),
 * the inbox opens once however often it is asked for, and opening it reads all. */
static void
test_practice_inbox_in_app (Fixture       *fixture,
                            gconstpointer  data)
{
  CmApplication *app = NULL;
  CmWindow *window;
  CmOutboxWatch *watch;
  GtkWidget *button;
  g_autofree char *letter = NULL;
  NotificationServer server = { 0 };

  if (skip_without_display ())
    return;

  notification_server_start (&server);
  gtk_widget_set_visible (GTK_WIDGET (fixture->window), FALSE);
  window = start_practice_app (&app);
  watch = cm_practice_get_outbox_watch (cm_application_get_practice (app));
  button = find_of_type (GTK_WIDGET (window), CM_TYPE_PRACTICE_INBOX_BUTTON);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));

  letter = g_build_filename (cm_practice_get_outbox_dir (cm_application_get_practice (app)),
                             "9999-test-letter.txt", NULL);
  g_assert_true (g_file_set_contents (letter, "Michigan Department of State\n", -1, NULL));
  wait_until (unread_is_one, watch);
  g_assert_true (gtk_widget_get_visible (find_named (button, "badge")));
  wait_until (notified, &server);
  g_assert_cmpstr (g_ptr_array_index (server.summaries, 0), ==,
                   "New message in the Practice Inbox");

  /* The springboard's header has it too (its application is set after its content). */
  {
    CmSpringboardWindow *springboard = cm_springboard_window_new (GTK_APPLICATION (app),
                                                                  cm_window_get_session (window));
    GtkWidget *other = find_of_type (GTK_WIDGET (springboard), CM_TYPE_PRACTICE_INBOX_BUTTON);

    g_assert_true (gtk_widget_get_visible (other));
    g_assert_true (gtk_widget_get_visible (find_named (other, "badge")));
    gtk_window_destroy (GTK_WINDOW (springboard));
  }

  g_action_group_activate_action (G_ACTION_GROUP (app), "practice-inbox", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "practice-inbox", NULL);
  g_assert_cmpuint (count_inboxes (GTK_APPLICATION (app)), ==, 1);
  g_assert_cmpuint (cm_outbox_watch_get_n_unread (watch), ==, 0);
  g_assert_false (gtk_widget_get_visible (find_named (button, "badge")));

  g_unlink (letter);
  stop_practice_app (app);
  notification_server_stop (&server);
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
  ADD ("/pages/security/needs-recovery-option", test_security_needs_recovery_option);
  ADD ("/pages/security/server-error-keeps-fields", test_server_error_keeps_fields);
  ADD ("/pages/security/request-from-form", test_security_request_from_form);
  ADD ("/pages/security/profile-error-goes-back", test_profile_error_goes_back);
  ADD ("/pages/draft/restores-after-recreating-window",
       test_draft_restores_after_recreating_window);
  ADD ("/pages/draft/cancel-clears", test_draft_cancel_clears);
  ADD ("/pages/forgot-password/last-three", test_forgot_password_last_three);
  ADD ("/pages/forgot-password/reset-ends-lockout", test_forgot_password_reset_ends_lockout);
  ADD ("/pages/sign-in/rate-limited-wording", test_sign_in_rate_limited_wording);
  ADD ("/pages/forgot-password/field-messages", test_forgot_password_field_messages);
  ADD ("/pages/security/confirm-mismatch-message", test_security_confirm_mismatch_message);
  ADD ("/pages/window/restores-remembered-session", test_window_restores_remembered_session);
  ADD ("/pages/practice/back-end", test_practice_back_end);
  ADD ("/pages/window/log-off-clears-session-notices",
       test_window_log_off_clears_session_notices);
  ADD ("/pages/window/sign-out-dismisses-warning", test_window_sign_out_dismisses_warning);
  ADD ("/pages/practice/remember-across-starts", test_practice_remember_across_starts);
  ADD ("/pages/practice/inbox-in-app", test_practice_inbox_in_app);
  ADD ("/pages/practice/start-async", test_practice_start_async);
  ADD ("/pages/practice/ends-with-app", test_practice_ends_with_app);
  ADD ("/pages/practice/bad-program", test_practice_bad_program);
  ADD ("/pages/practice/hung-program", test_practice_hung_program);
  ADD ("/pages/welcome/waits-for-back-end", test_welcome_waits_for_backend);
  ADD ("/pages/window/stable-width", test_window_stable_width);
  ADD ("/pages/keyboard/tab-walk", test_keyboard_tab_walk);
  ADD ("/pages/keyboard/mnemonics-unique", test_keyboard_mnemonics_unique);
  ADD ("/pages/keyboard/focus-on-arrival", test_keyboard_focus_on_arrival);
  ADD ("/pages/keyboard/focus-first-error", test_keyboard_focus_first_error);
  ADD ("/pages/keyboard/names-and-enter", test_keyboard_names_and_enter);
  ADD ("/pages/screenshots", test_screenshots);
  ADD ("/pages/screenshots/recovery", test_screenshots_recovery);
#undef ADD

  return g_test_run ();
}
