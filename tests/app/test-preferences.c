/* test-preferences.c: Preferences (back-end URL, CA file, practice mode),
 * the practice inbox and About's debug information.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "a11y-test-util.h"
#include "access-test-util.h"
#include "cm-about-private.h"
#include "cm-access-request.h"
#include "cm-application.h"
#include "cm-application-private.h"
#include "cm-outbox-watch-private.h"
#include "cm-practice-inbox-button.h"
#include "cm-practice-inbox-private.h"
#include "cm-preferences-window-private.h"
#include "shortcut-test-util.h"

static GSettings *
new_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "server-url");
  g_settings_reset (settings, "ca-file");
  return settings;
}

static void
test_preferences_url (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  CmPreferencesWindow *window = cm_preferences_window_new (settings);
  g_autofree char *url = NULL;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (access_get (GTK_WIDGET (window),
                                                                "practice-switch"))));

  g_assert_true (cm_preferences_window_apply_url (window, " https://cars.example.org/ "));
  url = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (url, ==, "https://cars.example.org/");
  g_assert_null (cm_preferences_window_get_error (window));
  /* The switch follows: a URL means no practice mode. */
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (access_get (GTK_WIDGET (window),
                                                                 "practice-switch"))));

  /* Refused URLs leave the setting alone and say why. */
  g_assert_false (cm_preferences_window_apply_url (window, "ftp://cars.example.org/"));
  g_assert_nonnull (cm_preferences_window_get_error (window));
  g_assert_false (cm_preferences_window_apply_url (window, "https://user:pw@cars.example.org/"));
  g_clear_pointer (&url, g_free);
  url = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (url, ==, "https://cars.example.org/");

  cm_preferences_window_set_practice (window, TRUE);
  g_clear_pointer (&url, g_free);
  url = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (url, ==, "");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_preferences_ca_file (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  CmPreferencesWindow *window = cm_preferences_window_new (settings);
  g_autofree char *dir = g_dir_make_tmp ("cm-prefs-XXXXXX", NULL);
  g_autofree char *pem = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *value = NULL;

  g_assert_true (g_file_set_contents (pem, "not checked here\n", -1, NULL));
  cm_preferences_window_set_ca_file (window, "/nonexistent/ca.pem");
  g_assert_nonnull (cm_preferences_window_get_error (window));
  value = g_settings_get_string (settings, "ca-file");
  g_assert_cmpstr (value, ==, "");

  cm_preferences_window_set_ca_file (window, pem);
  g_clear_pointer (&value, g_free);
  value = g_settings_get_string (settings, "ca-file");
  g_assert_cmpstr (value, ==, pem);

  cm_preferences_window_set_ca_file (window, NULL);
  g_clear_pointer (&value, g_free);
  value = g_settings_get_string (settings, "ca-file");
  g_assert_cmpstr (value, ==, "");

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (pem);
  g_rmdir (dir);
}

typedef struct
{
  CmPracticeInbox *inbox;
  guint            n;
} CountWait;

static gboolean
count_reached_cb (gpointer data)
{
  CountWait *wait = data;

  return cm_practice_inbox_get_n_messages (wait->inbox) >= wait->n;
}

static void
on_link_activated_cb (CmPracticeInbox *inbox,
                      const char      *link,
                      char           **out)
{
  g_free (*out);
  *out = g_strdup (link);
  g_signal_stop_emission_by_name (inbox, "link-activated");
}

static void
test_practice_inbox (AccessFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(CmOutboxWatch) watch = NULL;
  CmPracticeInbox *inbox;
  g_autofree char *email_code = NULL;
  g_autofree char *letter_code = NULL;
  g_autofree char *third_code = NULL;
  g_autofree char *activated = NULL;
  g_autofree char *parsed = NULL;
  g_autofree char *formatted = NULL;
  CountWait wait;

  access_sign_up_and_in (fixture, FALSE);
  watch = cm_outbox_watch_new (cm_server_get_outbox_dir (fixture->server));
  inbox = cm_practice_inbox_new (watch);
  gtk_window_present (GTK_WINDOW (inbox));
  g_assert_cmpuint (cm_practice_inbox_get_n_messages (inbox), ==, 0);

  email_code = access_request_code (fixture, "Z123456", "48909", "email");
  letter_code = access_request_code (fixture, "M654321", "49503", "mail");
  /* The folder monitor brings them in by itself. */
  wait.inbox = inbox;
  wait.n = 2;
  access_test_wait (count_reached_cb, &wait);

  /* Newest first: the letter. The inbox keeps the message it shows when another arrives,
   * so on a slow run (two reloads) the email may still be shown: look at the first row. */
  g_assert_true (cm_practice_inbox_select (inbox, 0));
  g_assert_nonnull (strstr (cm_practice_inbox_get_shown_text (inbox), "Michigan Department of "
                                                                      "State"));
  parsed = cm_add_access_parse_link (cm_practice_inbox_get_shown_link (inbox));
  formatted = cm_format_authorization_code (parsed);
  g_assert_cmpstr (formatted, ==, letter_code);

  g_assert_true (cm_practice_inbox_select (inbox, 1));
  g_assert_nonnull (strstr (cm_practice_inbox_get_shown_text (inbox), "Subject:"));
  g_signal_connect (inbox, "link-activated", G_CALLBACK (on_link_activated_cb), &activated);
  access_click (GTK_WIDGET (inbox), "link-button");
  g_assert_nonnull (activated);
  g_clear_pointer (&parsed, g_free);
  g_clear_pointer (&formatted, g_free);
  parsed = cm_add_access_parse_link (activated);
  formatted = cm_format_authorization_code (parsed);
  g_assert_cmpstr (formatted, ==, email_code);

  third_code = access_request_code (fixture, "Z123456", "48909", "email");
  wait.n = 3;
  access_test_wait (count_reached_cb, &wait);
}

static gboolean
badge_shown_cb (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (data));
}

/* Something arrives in the outbox: the Practice Inbox button counts it until
 * the inbox is opened; what was there before counts as read. */
static void
test_practice_inbox_badge (AccessFixture *fixture,
                           gconstpointer  data)
{
  const char *outbox = cm_server_get_outbox_dir (fixture->server);
  g_autoptr(CmOutboxWatch) watch = NULL;
  g_autofree char *before = NULL;
  g_autofree char *code = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *button = g_object_new (CM_TYPE_PRACTICE_INBOX_BUTTON, NULL);
  GtkWidget *badge;

  access_sign_up_and_in (fixture, FALSE);
  before = access_request_code (fixture, "Z123456", "48909", "email");
  watch = cm_outbox_watch_new (outbox);
  g_assert_cmpuint (cm_outbox_watch_get_n_unread (watch), ==, 0);

  /* Outside practice mode (no watch) there is no button. */
  gtk_window_set_child (GTK_WINDOW (window), button);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_false (gtk_widget_get_visible (button));
  cm_practice_inbox_button_set_watch (CM_PRACTICE_INBOX_BUTTON (button), watch);
  g_assert_true (gtk_widget_get_visible (button));
  badge = access_get (button, "badge");
  g_assert_false (gtk_widget_get_visible (badge));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Practice Inbox");

  code = access_request_code (fixture, "M654321", "49503", "mail");
  access_test_wait (badge_shown_cb, badge);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (badge)), ==, "1");
  g_assert_cmpuint (cm_outbox_watch_get_n_unread (watch), ==, 1);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Practice Inbox, 1 new message");

  /* Opened: read. */
  cm_outbox_watch_mark_read (watch);
  g_assert_false (gtk_widget_get_visible (badge));
  cm_outbox_watch_rescan (watch);
  g_assert_cmpuint (cm_outbox_watch_get_n_unread (watch), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Each control is named once (the switch by its row's title only), and Tab
 * reaches the switch, the URL and both certificate buttons. */
static void
test_preferences_keyboard (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  CmPreferencesWindow *window = cm_preferences_window_new (settings);
  GtkWidget *practice_switch = access_get (GTK_WIDGET (window), "practice-switch");
  g_autoptr(GPtrArray) stops = NULL;

  g_settings_set_string (settings, "ca-file", "/etc/hostname");
  g_settings_set_string (settings, "server-url", "https://cars.example.org/");
  gtk_window_present (GTK_WINDOW (window));
  access_flush ();
  g_assert_cmpuint (a11y_assert_named_once (GTK_WIDGET (window)), >, 10);
  /* Named by the row's title, not by a label of its own as well. */
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (practice_switch),
                                                    GTK_ACCESSIBLE_PROPERTY_LABEL));
  g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (practice_switch),
                                                   GTK_ACCESSIBLE_RELATION_LABELLED_BY));

  stops = a11y_tab_walk (GTK_WINDOW (window), 30);
  g_assert_true (a11y_stops_reach (stops, practice_switch));
  g_assert_true (a11y_stops_reach (stops, access_get (GTK_WIDGET (window), "url-row")));
  {
    guint buttons = 0;

    for (guint i = 0; i < stops->len; i++)
      buttons += GTK_IS_BUTTON (g_ptr_array_index (stops, i)) &&
                 gtk_widget_get_valign (g_ptr_array_index (stops, i)) == GTK_ALIGN_CENTER;
    /* Choose… and Use the System Certificates Only. */
    g_assert_cmpuint (buttons, >=, 2);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "ca-file");
  g_settings_reset (settings, "server-url");
}

static gboolean
window_gone_cb (gpointer data)
{
  return *(GtkWidget **) data == NULL;
}

/* The Escape binding of the inbox closes it. */
static void
test_practice_inbox_escape (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-inbox-XXXXXX", NULL);
  g_autoptr(CmOutboxWatch) watch = cm_outbox_watch_new (dir);
  CmPracticeInbox *inbox = cm_practice_inbox_new (watch);
  GtkWidget *watched = GTK_WIDGET (inbox);
  g_autoptr(GHashTable) keys = NULL;
  g_autoptr(GPtrArray) stops = NULL;

  gtk_window_present (GTK_WINDOW (inbox));
  access_flush ();
  g_assert_cmpuint (a11y_assert_named_once (GTK_WIDGET (inbox)), >, 5);
  /* Empty: the Tab order stays in the window. */
  stops = a11y_tab_walk (GTK_WINDOW (inbox), 20);
  g_assert_cmpuint (stops->len, >, 0);

  keys = shortcut_test_keys_of (GTK_WIDGET (inbox));
  g_assert_true (g_hash_table_contains (keys, "Escape window.close"));

  g_object_add_weak_pointer (G_OBJECT (inbox), (gpointer *) &watched);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (inbox), "window.close", NULL));
  access_test_wait (window_gone_cb, &watched);
  g_rmdir (dir);
}

static gboolean
back_button_shown_cb (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (data));
}

/* At 360 px the list and the message take turns: Enter on a message shows
 * it with a back button, which goes back to the list. */
static void
test_practice_inbox_narrow (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-inbox-XXXXXX", NULL);
  g_autofree char *letter = g_build_filename (dir, "0001-letter.txt", NULL);
  g_autoptr(CmOutboxWatch) watch = NULL;
  CmPracticeInbox *inbox;
  AdwLeaflet *leaflet;
  GtkWidget *list;
  GtkWidget *back;

  g_assert_true (g_file_set_contents (letter, "Michigan Department of State\n", -1, NULL));
  watch = cm_outbox_watch_new (dir);
  inbox = cm_practice_inbox_new (watch);
  gtk_window_set_default_size (GTK_WINDOW (inbox), 360, 600);
  gtk_window_present (GTK_WINDOW (inbox));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (inbox));
  leaflet = ADW_LEAFLET (access_get (GTK_WIDGET (inbox), "leaflet"));
  list = access_get (GTK_WIDGET (inbox), "message-list");
  back = access_get (GTK_WIDGET (inbox), "back-button");
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_cmpuint (cm_practice_inbox_get_n_messages (inbox), ==, 1);
  /* The list first, and no way back from it. */
  g_assert_true (gtk_widget_is_ancestor (list, adw_leaflet_get_visible_child (leaflet)));
  access_flush ();
  g_assert_false (gtk_widget_get_visible (back));

  /* Enter on the focused message: the list box's key binding. */
  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0)));
  g_signal_emit_by_name (list, "activate-cursor-row");
  g_assert_false (gtk_widget_is_ancestor (list, adw_leaflet_get_visible_child (leaflet)));
  access_test_wait (back_button_shown_cb, back);
  g_assert_nonnull (strstr (cm_practice_inbox_get_shown_text (inbox), "Michigan"));

  g_signal_emit_by_name (back, "clicked");
  g_assert_true (gtk_widget_is_ancestor (list, adw_leaflet_get_visible_child (leaflet)));
  gtk_window_destroy (GTK_WINDOW (inbox));
  g_unlink (letter);
  g_rmdir (dir);
}

static void
test_about_debug_info (void)
{
  g_autoptr(CmApplication) app = cm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_autofree char *info = NULL;

  cm_application_set_server_url (app, "https://cars.example.org/api?token=secret#x");
  info = cm_about_dup_debug_info (app, CM_CREDENTIAL_HEALTH_LOCKED);
  g_assert_nonnull (strstr (info, "CARS Mechanic " PACKAGE_VERSION));
  g_assert_nonnull (strstr (info, "GTK: "));
  g_assert_nonnull (strstr (info, "Back-end: https://cars.example.org/api\n"));
  g_assert_nonnull (strstr (info, "Practice mode: off\n"));
  g_assert_nonnull (strstr (info, "Keyring: default collection locked\n"));
  g_assert_null (strstr (info, "secret"));
  g_assert_null (strstr (info, "token"));

  cm_application_set_server_url (app, NULL);
  g_clear_pointer (&info, g_free);
  info = cm_about_dup_debug_info (app, CM_CREDENTIAL_HEALTH_WORKS);
  g_assert_nonnull (strstr (info, "Keyring: works\n"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* GTK's test accessibility backend: accessible names are read back in-process. */
  g_setenv ("GTK_A11Y", "test", TRUE);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/preferences/back-end-url", test_preferences_url);
  g_test_add_func ("/preferences/ca-file", test_preferences_ca_file);
  g_test_add_func ("/preferences/named-once-and-keyboard", test_preferences_keyboard);
  g_test_add_func ("/practice-inbox/escape-closes", test_practice_inbox_escape);
  g_test_add_func ("/practice-inbox/narrow-takes-turns", test_practice_inbox_narrow);
  g_test_add ("/practice-inbox/newest-first-and-link", AccessFixture, NULL,
              access_fixture_setup, test_practice_inbox, access_fixture_teardown);
  g_test_add ("/practice-inbox/badge-counts-new", AccessFixture, NULL,
              access_fixture_setup, test_practice_inbox_badge, access_fixture_teardown);
  g_test_add_func ("/about/debug-info", test_about_debug_info);

  return g_test_run ();
}
