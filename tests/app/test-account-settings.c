/* test-account-settings.c: the account settings window (profile, password, recovery
 * options) driven for real against the back-end on loopback; its keyboard walk; the
 * app.account-settings action; screenshots (CM_SCREENSHOT_DIR, CM_SCREENS_LANGUAGE).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "a11y-test-util.h"
#include "access-test-util.h"
#include "cm-account-settings-window-private.h"
#include "cm-application.h"
#include "cm-error.h"
#include "cm-field-error-row.h"
#include "cm-springboard-window.h"

#define SECOND_PASSWORD "Brake-Pads-2026"
#define THIRD_PASSWORD "Spark-Plugs-2027"

static gboolean
window_idle_cb (gpointer data)
{
  CmAccountSettingsWindow *window = data;

  return !cm_account_settings_window_get_busy (window);
}

/* Waits for the call under way (loading or saving) to be answered. */
static void
wait_idle (CmAccountSettingsWindow *window)
{
  access_test_wait (window_idle_cb, window);
  access_flush ();
}

static CmAccountSettingsWindow *
open_settings (AccessFixture *fixture)
{
  CmAccountSettingsWindow *window = cm_account_settings_window_new (fixture->session);

  gtk_window_present (GTK_WINDOW (window));
  wait_idle (window);
  g_assert_nonnull (cm_account_settings_window_get_profile (window));
  return window;
}

static GtkWidget *
get (CmAccountSettingsWindow *window,
     const char              *name)
{
  return access_get (GTK_WIDGET (window), name);
}

static void
type (CmAccountSettingsWindow *window,
      const char              *name,
      const char              *text)
{
  access_type (GTK_WIDGET (window), name, text);
}

static const char *
text_in (CmAccountSettingsWindow *window,
         const char              *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (get (window, name)));
}

/* @row carries a message under it, is marked invalid, and has the focus. */
static void
assert_refused (CmAccountSettingsWindow *window,
                GtkWidget               *row)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  g_assert_nonnull (cm_account_settings_window_get_field_error (window, row));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  g_assert_true (focus == row || (focus != NULL && gtk_widget_is_ancestor (focus, row)));
}

static GtkWidget *
action_row_of (CmAccountSettingsWindow *window,
               const char              *check_name)
{
  return gtk_widget_get_ancestor (get (window, check_name), ADW_TYPE_ACTION_ROW);
}

static gboolean
session_named_johnny_cb (gpointer data)
{
  g_autofree char *first_name = NULL;

  g_object_get (data, "first-name", &first_name, NULL);
  return g_strcmp0 (first_name, "Johnny") == 0;
}

static void
test_profile (AccessFixture *fixture,
              gconstpointer  data)
{
  CmAccountSettingsWindow *window;
  const CmAccountProfile *profile;

  access_sign_up_and_in (fixture, FALSE);
  window = open_settings (fixture);
  g_assert_cmpstr (text_in (window, "email-row"), ==, "john.smith@example.com");
  g_assert_cmpstr (text_in (window, "work-phone-row"), ==, "(517) 555-0100");
  g_assert_false (gtk_widget_get_sensitive (get (window, "profile-save-button")));

  /* A confirmation that differs is refused here, before anything is sent. */
  type (window, "first-name-row", "Johnny");
  type (window, "email-row", "j.smith@example.org");
  type (window, "email-confirm-row", "j.smith@example.com");
  type (window, "profile-current-row", "Wrong-Pass-99");
  access_click (GTK_WIDGET (window), "profile-save-button");
  g_assert_false (cm_account_settings_window_get_busy (window));
  assert_refused (window, get (window, "email-confirm-row"));

  /* A wrong current password: refused on it, and every field keeps what was typed. */
  type (window, "email-confirm-row", "j.smith@example.org");
  access_click (GTK_WIDGET (window), "profile-save-button");
  wait_idle (window);
  assert_refused (window, get (window, "profile-current-row"));
  g_assert_cmpstr (text_in (window, "first-name-row"), ==, "Johnny");
  g_assert_cmpstr (text_in (window, "email-row"), ==, "j.smith@example.org");

  type (window, "profile-current-row", ACCESS_TEST_PASSWORD);
  g_assert_null (cm_account_settings_window_get_field_error (window,
                                                             get (window, "profile-current-row")));
  access_click (GTK_WIDGET (window), "profile-save-button");
  wait_idle (window);
  profile = cm_account_settings_window_get_profile (window);
  g_assert_cmpstr (profile->first_name, ==, "Johnny");
  g_assert_cmpstr (profile->email, ==, "j.smith@example.org");
  g_assert_cmpstr (text_in (window, "profile-current-row"), ==, "");
  /* The session, which the other windows show, learns the new name. */
  access_test_wait (session_named_johnny_cb, fixture->session);
  gtk_window_destroy (GTK_WINDOW (window));
}

static const char *
field_message (CmAccountSettingsWindow *window,
               const char              *row_name)
{
  GtkWidget *row = cm_account_settings_window_get_field_error (window, get (window, row_name));

  g_assert_nonnull (row);
  /* The field itself is invalid and described by its message, for a screen reader. */
  gtk_test_accessible_assert_state (get (window, row_name), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (get (window, row_name)),
                                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  return gtk_label_get_text (GTK_LABEL (cm_field_error_row_get_label (CM_FIELD_ERROR_ROW (row))));
}

/* Three wrong current passwords lock the account for sign-in too, and the message says
 * so, with the time left. */
static void
test_lock (AccessFixture *fixture,
           gconstpointer  data)
{
  CmAccountSettingsWindow *window;
  AccessAsync async = { NULL };
  g_autoptr(CmSignInResult) result = NULL;
  g_autoptr(GError) error = NULL;

  access_sign_up_and_in (fixture, FALSE);
  window = open_settings (fixture);
  for (guint i = 0; i < 3; i++)
    {
      type (window, "recovery-current-row", "Wrong-Pass-99");
      access_click (GTK_WIDGET (window), "recovery-save-button");
      wait_idle (window);
      if (i == 0)
        g_assert_cmpstr (field_message (window, "recovery-current-row"), ==,
                         "Your current password is not correct.");
    }
  assert_refused (window, get (window, "recovery-current-row"));
  g_assert_nonnull (strstr (field_message (window, "recovery-current-row"),
                            "locked, for changes and for signing in, for 30 more minutes"));

  cm_api_client_sign_in_async (fixture->client, "smithj1234", ACCESS_TEST_PASSWORD, FALSE, NULL,
                               access_async_cb, &async);
  result = cm_api_client_sign_in_finish (fixture->client, access_async_wait (&async), &error);
  g_clear_object (&async.result);
  g_assert_null (result);
  g_assert_error (error, CM_ERROR, CM_ERROR_ACCOUNT_LOCKED);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
change_password (CmAccountSettingsWindow *window,
                 const char              *current,
                 const char              *new_password)
{
  type (window, "current-password-row", current);
  type (window, "new-password-row", new_password);
  type (window, "confirm-password-row", new_password);
  access_click (GTK_WIDGET (window), "password-save-button");
  wait_idle (window);
}

/* The checklist gates the button; the back-end's last-3 rule lands on the new password. */
static void
test_password (AccessFixture *fixture,
               gconstpointer  data)
{
  CmAccountSettingsWindow *window;
  GtkWidget *new_row;

  access_sign_up_and_in (fixture, FALSE);
  window = open_settings (fixture);
  new_row = get (window, "new-password-row");
  type (window, "current-password-row", ACCESS_TEST_PASSWORD);
  type (window, "new-password-row", "short");
  g_assert_false (gtk_widget_get_sensitive (get (window, "password-save-button")));

  change_password (window, "Wrong-Pass-99", SECOND_PASSWORD);
  assert_refused (window, get (window, "current-password-row"));
  g_assert_cmpstr (text_in (window, "new-password-row"), ==, SECOND_PASSWORD);

  change_password (window, ACCESS_TEST_PASSWORD, SECOND_PASSWORD);
  g_assert_cmpstr (text_in (window, "new-password-row"), ==, "");
  change_password (window, SECOND_PASSWORD, THIRD_PASSWORD);
  g_assert_null (cm_account_settings_window_get_field_error (window, new_row));

  /* The first password is one of the last 3: refused, on its field, input kept. */
  change_password (window, THIRD_PASSWORD, ACCESS_TEST_PASSWORD);
  assert_refused (window, new_row);
  g_assert_cmpstr (text_in (window, "new-password-row"), ==, ACCESS_TEST_PASSWORD);
  g_assert_cmpstr (text_in (window, "current-password-row"), ==, THIRD_PASSWORD);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* At least one option stays (checked here and by the back-end); text needs a mobile
 * number; a question needs its answer. */
static void
test_recovery (AccessFixture *fixture,
               gconstpointer  data)
{
  CmAccountSettingsWindow *window;
  const CmAccountProfile *profile;

  access_sign_up_and_in (fixture, FALSE);
  window = open_settings (fixture);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (get (window,
                                                                     "recovery-email-check"))));
  g_assert_false (gtk_widget_is_visible (get (window, "question1-row")));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (get (window, "recovery-email-check")), FALSE);
  type (window, "recovery-current-row", ACCESS_TEST_PASSWORD);
  access_click (GTK_WIDGET (window), "recovery-save-button");
  g_assert_false (cm_account_settings_window_get_busy (window));
  assert_refused (window, action_row_of (window, "recovery-email-check"));

  /* No mobile number on this profile. */
  access_click (GTK_WIDGET (window), "recovery-text-check");
  access_click (GTK_WIDGET (window), "recovery-save-button");
  assert_refused (window, action_row_of (window, "recovery-text-check"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (get (window, "recovery-text-check")), FALSE);

  /* The sign-up's questions: two different ones, each answered. */
  access_click (GTK_WIDGET (window), "recovery-questions-check");
  g_assert_true (gtk_widget_is_visible (get (window, "question1-row")));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (
                      get (window, "question1-row")))), >=, 2);
  type (window, "answer1-row", "Rex");
  access_click (GTK_WIDGET (window), "recovery-save-button");
  assert_refused (window, get (window, "answer2-row"));
  type (window, "answer2-row", "Lansing");
  adw_combo_row_set_selected (ADW_COMBO_ROW (get (window, "question2-row")), 0);
  access_click (GTK_WIDGET (window), "recovery-save-button");
  assert_refused (window, get (window, "question2-row"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (get (window, "question2-row")), 1);

  access_click (GTK_WIDGET (window), "recovery-save-button");
  wait_idle (window);
  profile = cm_account_settings_window_get_profile (window);
  g_assert_false (profile->recovery_email);
  g_assert_cmpuint (g_strv_length (profile->questions), ==, 2);
  g_assert_cmpstr (text_in (window, "answer1-row"), ==, "");

  /* Answers left empty keep the questions; email back on. */
  access_click (GTK_WIDGET (window), "recovery-email-check");
  type (window, "recovery-current-row", ACCESS_TEST_PASSWORD);
  access_click (GTK_WIDGET (window), "recovery-save-button");
  wait_idle (window);
  profile = cm_account_settings_window_get_profile (window);
  g_assert_true (profile->recovery_email);
  g_assert_cmpuint (g_strv_length (profile->questions), ==, 2);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Tab goes round the page on screen only; each page's fields are reached on it. */
static void
test_keyboard (AccessFixture *fixture,
               gconstpointer  data)
{
  CmAccountSettingsWindow *window;
  g_autoptr(GPtrArray) profile_stops = NULL;
  g_autoptr(GPtrArray) password_stops = NULL;

  access_sign_up_and_in (fixture, FALSE);
  window = open_settings (fixture);
  type (window, "profile-current-row", ACCESS_TEST_PASSWORD);
  profile_stops = a11y_tab_walk (GTK_WINDOW (window), 60);
  g_assert_true (a11y_stops_reach (profile_stops, get (window, "first-name-row")));
  g_assert_true (a11y_stops_reach (profile_stops, get (window, "profile-save-button")));
  g_assert_false (a11y_stops_reach (profile_stops, get (window, "new-password-row")));
  g_assert_false (a11y_stops_reach (profile_stops, get (window, "recovery-email-check")));

  /* With a message under a field, Tab still reaches the field after it. */
  type (window, "email-confirm-row", "someone@example.com");
  access_click (GTK_WIDGET (window), "profile-save-button");
  g_assert_nonnull (cm_account_settings_window_get_field_error (window,
                                                                get (window, "email-confirm-row")));
  g_clear_pointer (&profile_stops, g_ptr_array_unref);
  profile_stops = a11y_tab_walk (GTK_WINDOW (window), 60);
  g_assert_true (a11y_stops_reach (profile_stops, get (window, "work-phone-row")));
  g_assert_true (a11y_stops_reach (profile_stops, get (window, "profile-current-row")));

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "password");
  access_flush ();
  password_stops = a11y_tab_walk (GTK_WINDOW (window), 60);
  g_assert_true (a11y_stops_reach (password_stops, get (window, "current-password-row")));
  g_assert_true (a11y_stops_reach (password_stops, get (window, "confirm-password-row")));
  g_assert_false (a11y_stops_reach (password_stops, get (window, "first-name-row")));
  g_assert_false (a11y_stops_reach (password_stops, get (window, "recovery-current-row")));
  a11y_assert_named_once (GTK_WIDGET (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWindow *
find_settings_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (CM_IS_ACCOUNT_SETTINGS_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
session_signed_out_cb (gpointer data)
{
  return cm_session_get_state (CM_SESSION (data)) == CM_SESSION_STATE_SIGNED_OUT;
}

/* The State header's "Settings" button is app.account-settings: enabled only while the
 * window in front is signed in; it opens the settings over it. */
static void
test_app_action (AccessFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(CmApplication) app = cm_application_new (APP_ID ".Test", G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;
  CmSpringboardWindow *springboard;
  GtkWindow *settings;

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "account-settings"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "account-settings"));

  access_sign_up_and_in (fixture, FALSE);
  springboard = cm_springboard_window_new (GTK_APPLICATION (app), fixture->session);
  gtk_window_present (GTK_WINDOW (springboard));
  access_flush ();
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "account-settings"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "account-settings", NULL);
  settings = find_settings_window ();
  g_assert_nonnull (settings);
  g_assert_true (gtk_window_get_transient_for (settings) == GTK_WINDOW (springboard));
  wait_idle (CM_ACCOUNT_SETTINGS_WINDOW (settings));

  /* Signed out: the settings close and the action is off. */
  cm_session_sign_out_async (fixture->session, NULL, NULL, NULL);
  access_test_wait (session_signed_out_cb, fixture->session);
  access_flush ();
  g_assert_null (find_settings_window ());
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "account-settings"));
}

/* Each page as it looks, into CM_SCREENSHOT_DIR (else the fixture's folder), named by
 * language: a person looks at them. */
static void
shoot (CmAccountSettingsWindow *window,
       const char              *dir,
       const char              *page,
       const char              *name)
{
  const char *lang = g_getenv ("CM_SCREENS_LANGUAGE");
  g_autofree char *file = g_strdup_printf ("account-settings-%s-%s.png",
                                           lang != NULL ? lang : "en", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), page);
  access_save_png (GTK_WIDGET (window), path);
  g_test_message ("%s", path);
}

static void
test_screens (AccessFixture *fixture,
              gconstpointer  data)
{
  const char *env_dir = g_getenv ("CM_SCREENSHOT_DIR");
  g_autofree char *dir = g_build_filename (fixture->dir, "screens", NULL);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  CmAccountSettingsWindow *window;

  if (env_dir != NULL && *env_dir != '\0')
    {
      g_free (dir);
      dir = g_strdup (env_dir);
    }
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  /* The app's style sheet, which AdwApplication would load: there is no app here. */
  gtk_css_provider_load_from_resource (css, RESOURCE_BASE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  access_sign_up_and_in (fixture, FALSE);
  window = open_settings (fixture);
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 900);
  shoot (window, dir, "profile", "profile");
  type (window, "current-password-row", ACCESS_TEST_PASSWORD);
  type (window, "new-password-row", "brakepads");
  shoot (window, dir, "password", "password");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (get (window, "recovery-email-check")), FALSE);
  type (window, "recovery-current-row", ACCESS_TEST_PASSWORD);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "recovery");
  access_click (GTK_WIDGET (window), "recovery-save-button");
  shoot (window, dir, "recovery", "recovery");
  access_click (GTK_WIDGET (window), "recovery-questions-check");
  type (window, "answer1-row", "Rex");
  access_click (GTK_WIDGET (window), "recovery-save-button");
  shoot (window, dir, "recovery", "recovery-questions");
  gtk_window_destroy (GTK_WINDOW (window));
  gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                 GTK_STYLE_PROVIDER (css));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GTK_A11Y", "test", TRUE);
  /* meson's test-account-settings-screens-ar */
  access_test_use_screens_language ();
  if (!access_test_init (&argc, &argv))
    return g_test_run ();

#define ADD(path, func) \
  g_test_add (path, AccessFixture, NULL, access_fixture_setup, func, access_fixture_teardown)

  ADD ("/account-settings/profile", test_profile);
  ADD ("/account-settings/password", test_password);
  ADD ("/account-settings/recovery", test_recovery);
  ADD ("/account-settings/lock", test_lock);
  ADD ("/account-settings/keyboard", test_keyboard);
  ADD ("/account-settings/app-action", test_app_action);
  ADD ("/account-settings/screens", test_screens);
  return g_test_run ();
}
