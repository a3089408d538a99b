/* test-springboard.c: the springboard window: 10,000 accounts, search, the
 * empty state, remove access (asks first), Log Off (clears the keyring).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "access-test-util.h"
#include "cm-account-row.h"
#include "cm-springboard-window.h"

#define N_MANY 10000

static CmSpringboardWindow *
present_springboard (CmSession *session)
{
  CmSpringboardWindow *window = cm_springboard_window_new (NULL, session);

  gtk_window_set_default_size (GTK_WINDOW (window), 720, 640);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
wait_for_draw (GtkWidget *widget)
{
  /* gtk_test_widget_wait_for_draw() is what it is made for. */
  gtk_test_widget_wait_for_draw (widget);
}

static guint
count_rows (GtkWidget *widget)
{
  guint n = CM_IS_ACCOUNT_ROW (widget) &&
            cm_account_row_get_account (CM_ACCOUNT_ROW (widget)) != NULL ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows (child);

  return n;
}

static void
fill_accounts (CmSession *session,
               guint      n)
{
  GListStore *store = G_LIST_STORE (cm_session_get_accounts (session));
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) linked = g_date_time_new_utc (2026, 1, 15, 12, 0, 0);
  g_autoptr(GDateTime) expires = g_date_time_new_utc (2028, 6, 30, 0, 0, 0);
  static const char *cities[] = { "Lansing", "Detroit", "Grand Rapids", "Flint", "Ypsilanti" };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *number = g_strdup_printf ("Z%07u", i);
      g_autofree char *name = g_strdup_printf ("Garage %u", i);

      g_ptr_array_add (accounts, cm_account_new (i % 10 == 0 ? "mechanic_school" : "mechanic",
                                                 number, name,
                                                 i % 7 == 0 ? "suspended" : "active",
                                                 cities[i % G_N_ELEMENTS (cities)], linked,
                                                 i % 3 == 0 ? NULL : expires));
    }
  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                       accounts->pdata, accounts->len);
}

static void
test_many_accounts (AccessFixture *fixture,
                    gconstpointer  data)
{
  CmSpringboardWindow *window;
  GListModel *model;
  guint drawn;
  g_autoptr(CmAccount) found = NULL;

  fill_accounts (fixture->session, N_MANY);
  window = present_springboard (fixture->session);
  wait_for_draw (GTK_WIDGET (window));

  model = cm_springboard_window_get_model (window);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_MANY);
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "list");
  /* A list view makes rows for what is on screen, not one per account. */
  drawn = count_rows (GTK_WIDGET (cm_springboard_window_get_list_view (window)));
  g_assert_cmpuint (drawn, >, 0);
  g_assert_cmpuint (drawn, <, 1000);

  cm_springboard_window_set_search_text (window, "z0004242");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  found = g_list_model_get_item (model, 0);
  g_assert_cmpstr (cm_account_get_account_number (found), ==, "Z0004242");
  wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpuint (count_rows (GTK_WIDGET (cm_springboard_window_get_list_view (window))), ==,
                    1);

  /* By city, case-insensitively: every fifth account is in Flint. */
  cm_springboard_window_set_search_text (window, "FLINT");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_MANY / 5);

  cm_springboard_window_set_search_text (window, "no such garage");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "no-results");

  cm_springboard_window_set_search_text (window, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_MANY);
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "list");
}

static void
test_empty (AccessFixture *fixture,
            gconstpointer  data)
{
  CmSpringboardWindow *window = present_springboard (fixture->session);

  wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "empty");

  fill_accounts (fixture->session, 3);
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "list");
}

static void
link_z123456 (AccessFixture *fixture)
{
  AccessAsync async = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CmAccount) account = NULL;
  g_autofree char *code = access_request_code (fixture, "Z123456", "48909", "email");

  cm_session_link_account_async (fixture->session, code, "mechanic", "Z123456", "48909", TRUE,
                                 NULL, access_async_cb, &async);
  account = cm_session_link_account_finish (fixture->session, access_async_wait (&async),
                                            &error);
  g_assert_no_error (error);
  g_clear_object (&async.result);
  g_assert_cmpstr (cm_account_get_name (account), ==, "Emily Hall");
}

static gboolean
model_empty_cb (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 0;
}

static void
test_remove_asks_first (AccessFixture *fixture,
                        gconstpointer  data)
{
  CmSpringboardWindow *window;
  GListModel *model;
  GtkWidget *dialog;

  access_sign_up_and_in (fixture, FALSE);
  link_z123456 (fixture);
  window = present_springboard (fixture->session);
  wait_for_draw (GTK_WIDGET (window));
  model = cm_springboard_window_get_model (window);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* The row's trash button goes through win.remove-access: a question, nothing removed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-access", "(ss)",
                                             "mechanic", "Z123456"));
  dialog = GTK_WIDGET (access_find_toplevel ("remove-dialog"));
  g_assert_nonnull (dialog);
  access_flush ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  access_flush ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  dialog = cm_springboard_window_ask_remove (window, "mechanic", "Z123456");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));
  access_test_wait (model_empty_cb, model);
  g_assert_cmpstr (cm_springboard_window_get_view (window), ==, "empty");
}

static void
test_details (AccessFixture *fixture,
              gconstpointer  data)
{
  CmSpringboardWindow *window;
  g_autoptr(CmAccount) account = NULL;
  GtkWidget *dialog;
  const char *body;

  fill_accounts (fixture->session, 5);
  window = present_springboard (fixture->session);
  account = g_list_model_get_item (cm_springboard_window_get_model (window), 1);
  dialog = cm_springboard_window_show_details (window, account);
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Garage 1");
  g_assert_nonnull (strstr (body, "Account Number: Z0000001"));
  g_assert_nonnull (strstr (body, "City: Detroit"));
  g_assert_nonnull (strstr (body, "Status: Active"));
  g_assert_nonnull (strstr (body, "Linked Since: "));
  g_assert_nonnull (strstr (body, "Certificate Expires: "));
}

static void
on_logged_off_cb (CmSpringboardWindow *window,
                  gboolean            *done)
{
  *done = TRUE;
}

static void
test_log_off_clears_keyring (AccessFixture *fixture,
                             gconstpointer  data)
{
  CmSpringboardWindow *window;
  AccessAsync async = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *token = NULL;
  gboolean done = FALSE;
  const char *server = cm_api_client_get_base_uri (fixture->client);

  access_sign_up_and_in (fixture, TRUE);
  g_assert_true (cm_session_get_remembered (fixture->session));
  cm_credential_store_lookup_remembered_async (fixture->store, server, NULL, access_async_cb,
                                               &async);
  g_assert_true (cm_credential_store_lookup_remembered_finish (fixture->store,
                                                               access_async_wait (&async),
                                                               &user_id, &token, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (user_id, ==, "smithj1234");
  g_assert_nonnull (token);
  g_clear_object (&async.result);
  g_clear_pointer (&user_id, g_free);
  g_clear_pointer (&token, g_free);

  window = present_springboard (fixture->session);
  g_signal_connect (window, "logged-off", G_CALLBACK (on_logged_off_cb), &done);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-off", NULL));
  access_test_wait_flag (&done);

  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_OUT);
  cm_credential_store_lookup_remembered_async (fixture->store, server, NULL, access_async_cb,
                                               &async);
  cm_credential_store_lookup_remembered_finish (fixture->store, access_async_wait (&async),
                                                &user_id, &token, &error);
  g_clear_object (&async.result);
  g_assert_null (token);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add (path, AccessFixture, NULL, access_fixture_setup, func, access_fixture_teardown)

  ADD ("/springboard/10000-accounts-draw-and-filter", test_many_accounts);
  ADD ("/springboard/empty-status-page", test_empty);
  ADD ("/springboard/details", test_details);
  ADD ("/springboard/remove-asks-first", test_remove_asks_first);
  ADD ("/springboard/log-off-clears-keyring", test_log_off_clears_keyring);

  return g_test_run ();
}
