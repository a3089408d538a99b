/* access-test-util.h: the real back-end in-process, a signed-in session and
 * small helpers to drive widgets, for the account access and springboard
 * tests.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "cm-server.h"
#include "cm-session.h"
#include "cm-validate.h"

#define ACCESS_TEST_WAIT_SECONDS 25
#define ACCESS_TEST_PASSWORD "Tr4ctor!Gear"

typedef struct
{
  char              *dir;
  CmServer          *server;
  CmApiClient       *client;
  CmCredentialStore *store;
  CmSession         *session;
} AccessFixture;

static inline gboolean
access_test_limit_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until @check (@data) is TRUE; fails after a bound. */
static inline void
access_test_wait (gboolean (*check) (gpointer data),
                  gpointer  data)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (ACCESS_TEST_WAIT_SECONDS, access_test_limit_cb, &expired);

  while (!check (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  if (!check (data))
    g_error ("gave up waiting after %d s", ACCESS_TEST_WAIT_SECONDS);
}

static inline gboolean
access_test_flag_cb (gpointer data)
{
  return *(gboolean *) data;
}

static inline void
access_test_wait_flag (gboolean *flag)
{
  access_test_wait (access_test_flag_cb, flag);
}

typedef struct
{
  GAsyncResult *result;
} AccessAsync;

static inline void
access_async_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ((AccessAsync *) user_data)->result = g_object_ref (result);
}

static inline gboolean
access_async_done_cb (gpointer data)
{
  return ((AccessAsync *) data)->result != NULL;
}

static inline GAsyncResult *
access_async_wait (AccessAsync *async)
{
  access_test_wait (access_async_done_cb, async);
  return async->result;
}

static inline void
access_flush (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Renders @widget (a window) as it is on screen into the PNG file @path.
 * The picture is the render node GTK kept from the last frame, and any
 * queued redraw drops it (the paintable is then empty, "'node' should not
 * be NULL"): so the pending work runs first (a wizard builds its lazy pages
 * in idles, which redraws), then a frame is drawn, and nothing runs between
 * that frame and the snapshot. */
static inline void
access_save_png (GtkWidget  *widget,
                 const char *path)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;

  access_flush ();
  gtk_test_widget_wait_for_draw (widget);
  paintable = gtk_widget_paintable_new (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* The screens in another language (CM_SCREENS_LANGUAGE, e.g. meson's
 * test-access-screens-ar), with the catalogues of the build tree; the other
 * tests expect English. Before g_test_init(). Returns: the language, or NULL. */
static inline const char *
access_test_use_screens_language (void)
{
  const char *language = g_getenv ("CM_SCREENS_LANGUAGE");
  g_autofree char *po_dir = NULL;

  if (language == NULL)
    return NULL;
  po_dir = g_build_filename (g_getenv ("CM_BUILD_DIR"), "po", NULL);
  g_setenv ("LANGUAGE", language, TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, po_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return language;
}

/* g_test_init(), then GTK and libadwaita with animations off. FALSE without
 * a display: main() then runs the tests, which all skip. */
static inline gboolean
access_test_init (int    *argc,
                  char ***argv)
{
  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return FALSE;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  return TRUE;
}

/* Finds the first descendant (or @root itself), depth first, that @match
 * accepts. */
static inline GtkWidget *
access_find_if (GtkWidget  *root,
                gboolean  (*match) (GtkWidget     *widget,
                                    gconstpointer  data),
                gconstpointer data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = access_find_if (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static inline gboolean
access_has_name (GtkWidget     *widget,
                 gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

/* Finds a descendant (or @root itself) by its widget name. */
static inline GtkWidget *
access_find (GtkWidget  *root,
             const char *name)
{
  return access_find_if (root, access_has_name, name);
}

static inline GtkWidget *
access_get (GtkWidget  *root,
            const char *name)
{
  GtkWidget *widget = access_find (root, name);

  if (widget == NULL)
    g_error ("no widget named %s", name);
  return widget;
}

/* A toplevel window (dialog) by widget name, or NULL. */
static inline GtkWindow *
access_find_toplevel (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (window)), name) == 0 &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static inline void
access_click (GtkWidget  *root,
              const char *name)
{
  GtkWidget *button = access_get (root, name);

  g_assert_true (gtk_widget_is_sensitive (button));
  if (GTK_IS_CHECK_BUTTON (button))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (button), TRUE);
  else if (GTK_IS_TOGGLE_BUTTON (button))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  else
    g_signal_emit_by_name (button, "clicked");
}

static inline void
access_type (GtkWidget  *root,
             const char *name,
             const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (access_get (root, name)), text);
}

/* The newest file in the outbox whose name ends with @suffix, read whole. */
static inline char *
access_read_newest_outbox (AccessFixture *fixture,
                           const char    *suffix)
{
  const char *outbox = cm_server_get_outbox_dir (fixture->server);
  g_autoptr(GDir) dir = g_dir_open (outbox, 0, NULL);
  const char *name;
  g_autofree char *newest = NULL;
  gint64 newest_time = -1;
  char *contents = NULL;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (outbox, name, NULL);
      GStatBuf st;

      if (!g_str_has_suffix (name, suffix) || g_stat (path, &st) != 0)
        continue;
      /* Names sort by time too; break ties on them. */
      if ((gint64) st.st_mtime > newest_time ||
          ((gint64) st.st_mtime == newest_time && g_strcmp0 (path, newest) > 0))
        {
          newest_time = st.st_mtime;
          g_free (newest);
          newest = g_steal_pointer (&path);
        }
    }
  if (newest == NULL)
    return NULL;
  g_assert_true (g_file_get_contents (newest, &contents, NULL, NULL));
  return contents;
}

/* The XXXX-XXXX-XXXX code in an email or letter. */
static inline char *
access_extract_code (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("code=([" CM_AUTHORIZATION_CODE_ALPHABET "]{4}-["
                                         CM_AUTHORIZATION_CODE_ALPHABET "]{4}-["
                                         CM_AUTHORIZATION_CODE_ALPHABET "]{4})", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_assert_nonnull (text);
  if (!g_regex_match (regex, text, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

static inline void
access_fixture_setup (AccessFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *outbox = NULL;
  g_autofree char *database = NULL;

  fixture->dir = g_dir_make_tmp ("cm-access-XXXXXX", &error);
  g_assert_no_error (error);
  outbox = g_build_filename (fixture->dir, "outbox", NULL);
  database = g_build_filename (fixture->dir, "cm.db", NULL);
  fixture->server = cm_server_new (database, outbox);
  cm_server_set_hash_cost (fixture->server, CM_SERVER_HASH_COST_MINIMUM);
  cm_server_set_demo_data (fixture->server, TRUE);
  g_assert_true (cm_server_start (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  fixture->client = cm_api_client_new (cm_server_get_uri (fixture->server));
  fixture->store = cm_credential_store_new_for_backend (CM_CREDENTIAL_BACKEND_MEMORY);
  fixture->session = cm_session_new (fixture->client, fixture->store);
}

/* The app's side: windows, session and client, so their connections close. */
static inline void
access_fixture_close_client (AccessFixture *fixture)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }
  access_flush ();
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->client);
}

static inline void
access_fixture_teardown (AccessFixture *fixture,
                         gconstpointer  data)
{
  access_fixture_close_client (fixture);
  cm_server_stop (fixture->server);
  access_flush ();
  g_clear_object (&fixture->server);
  /* The outbox holds codes: remove it with the rest. */
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->dir);

    g_assert_cmpint (system (command), ==, 0);
  }
  g_clear_pointer (&fixture->dir, g_free);
}

/* Signs up "smithj1234" through the real client, then signs in. */
static inline void
access_sign_up_and_in (AccessFixture *fixture,
                       gboolean       remember)
{
  AccessAsync async = { NULL };
  g_autoptr(CmChallenge) challenge = NULL;
  g_autoptr(CmSignUpRequest) request = cm_sign_up_request_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;

  cm_api_client_get_challenge_async (fixture->client, NULL, access_async_cb, &async);
  challenge = cm_api_client_get_challenge_finish (fixture->client, access_async_wait (&async),
                                                  &error);
  g_assert_no_error (error);
  g_clear_object (&async.result);

  request->first_name = g_strdup ("John");
  request->last_name = g_strdup ("Smith");
  request->email = g_strdup ("john.smith@example.com");
  request->email_confirm = g_strdup ("john.smith@example.com");
  request->work_phone = g_strdup ("517-555-0100");
  request->challenge_id = g_strdup (challenge->challenge_id);
  for (guint i = 0; challenge->words[i] != NULL; i++)
    if (strstr (challenge->words[i], challenge->letter) != NULL)
      request->challenge_answer = g_strdup (challenge->words[i]);
  request->terms_accepted = TRUE;
  request->user_id = g_strdup ("smithj1234");
  request->password = g_strdup (ACCESS_TEST_PASSWORD);
  request->password_confirm = g_strdup (ACCESS_TEST_PASSWORD);
  request->recovery_email = TRUE;

  cm_api_client_create_user_async (fixture->client, request, NULL, access_async_cb, &async);
  user_id = cm_api_client_create_user_finish (fixture->client, access_async_wait (&async),
                                              &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user_id, ==, "smithj1234");
  g_clear_object (&async.result);

  cm_session_sign_in_async (fixture->session, "smithj1234", ACCESS_TEST_PASSWORD, remember, NULL,
                            access_async_cb, &async);
  cm_session_sign_in_finish (fixture->session, access_async_wait (&async), &error);
  g_assert_no_error (error);
  g_clear_object (&async.result);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_IN);
}

/* Requests a code for @number/@zip by @delivery and returns it from the outbox. */
static inline char *
access_request_code (AccessFixture *fixture,
                     const char    *number,
                     const char    *zip,
                     const char    *delivery)
{
  AccessAsync async = { NULL };
  g_autoptr(CmAccessRequestResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  cm_api_client_request_access_async (fixture->client, "mechanic", number, zip, delivery, NULL,
                                      access_async_cb, &async);
  result = cm_api_client_request_access_finish (fixture->client, access_async_wait (&async),
                                                &error);
  g_assert_no_error (error);
  g_clear_object (&async.result);
  text = access_read_newest_outbox (fixture, g_str_equal (delivery, "email") ? ".eml" : ".txt");
  return access_extract_code (text);
}
