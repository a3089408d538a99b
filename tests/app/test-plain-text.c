/* test-plain-text.c: a hostile back-end's text is shown as text, never as
 * Pango markup (adversary report, finding 8).
 *
 * The real back-end runs in-process as in the other tests; a small proxy in
 * front of it passes every request through, except the few it is told to
 * answer itself with what the real one never says: an error message made of
 * markup with a live link, and account type labels that are broken markup.
 *
 * A Gtk-WARNING is fatal here (g_test_init), so "no warning" is checked by
 * the run itself.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "access-test-util.h"
#include "cm-protocol.h"
#include "cm-access-pages.h"
#include "cm-window.h"
#include "cm-wizard.h"

#define HOSTILE_RESTORE "<span size=\"xx-large\" foreground=\"red\">Your account is locked." \
                        "</span> <a href=\"https://evil.example/verify\">verify here</a>"
#define HOSTILE_SIGN_IN "<b>Sign-in failed</b> &amp; <a href=\"https://evil.example/\">click</a>"
#define HOSTILE_TYPE    "R&D <broken"
#define HOSTILE_NUMBER  "<i>R&amp;D</i> number"

typedef struct
{
  AccessFixture   access;
  GSocketService *service;
  SoupServer     *proxy;
  SoupSession    *upstream;
  GUri           *upstream_uri;
  GHashTable     *canned;     /* "METHOD /path" -> owned "STATUS\nBODY" */
} HostileFixture;

/* ---- the proxy ------------------------------------------------------------ */

/* Every answer closes its connection, and says so: see proxy_incoming_cb(). */
static void
answer (SoupServerMessage *msg,
        guint              status,
        const char        *content_type,
        const char        *body,
        gsize              length)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, length);
}

static void
forwarded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  SoupMessage *upstream_msg = soup_session_get_async_result_message (SOUP_SESSION (object),
                                                                      result);
  g_autoptr(GBytes) body = NULL;
  const char *content_type;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  content_type = soup_message_headers_get_content_type (
    soup_message_get_response_headers (upstream_msg), NULL);
  if (body != NULL)
    answer (msg, soup_message_get_status (upstream_msg),
            content_type != NULL ? content_type : CM_CONTENT_TYPE_JSON,
            g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  else
    answer (msg, SOUP_STATUS_BAD_GATEWAY, NULL, NULL, 0);
  soup_server_message_unpause (msg);
}

static void
proxy_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  HostileFixture *fixture = user_data;
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *key = g_strdup_printf ("%s %s", method, path);
  const char *canned = g_hash_table_lookup (fixture->canned, key);
  g_autoptr(GUri) target = NULL;
  g_autoptr(SoupMessage) upstream_msg = NULL;
  g_autoptr(GBytes) request_body = NULL;
  const char *header;

  if (canned != NULL)
    {
      const char *body = strchr (canned, '\n') + 1;

      answer (msg, (guint) g_ascii_strtoull (canned, NULL, 10), CM_CONTENT_TYPE_JSON,
              body, strlen (body));
      return;
    }

  target = g_uri_build (G_URI_FLAGS_ENCODED, "http", NULL,
                        g_uri_get_host (fixture->upstream_uri),
                        g_uri_get_port (fixture->upstream_uri),
                        g_uri_get_path (uri), g_uri_get_query (uri), NULL);
  upstream_msg = soup_message_new_from_uri (method, target);
  soup_message_add_flags (upstream_msg, SOUP_MESSAGE_NO_REDIRECT);
  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         CM_HEADER_AUTHORIZATION);
  if (header != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (upstream_msg),
                                  CM_HEADER_AUTHORIZATION, header);
  request_body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (request_body) > 0)
    soup_message_set_request_body_from_bytes (upstream_msg, CM_CONTENT_TYPE_JSON, request_body);

  soup_server_message_pause (msg);
  soup_session_send_and_read_async (fixture->upstream, upstream_msg, G_PRIORITY_DEFAULT, NULL,
                                    forwarded_cb, g_object_ref (msg));
}

/* libsoup 3.2's own listener leaks the GSocket of every connection it accepts
 * (see cm-server.c): the connections are accepted here and handed over. It
 * then closes each after one answer, hence "Connection: close". */
static gboolean
proxy_incoming_cb (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source,
                   gpointer           user_data)
{
  HostileFixture *fixture = user_data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);

  g_assert_true (soup_server_accept_iostream (fixture->proxy, G_IO_STREAM (connection), local,
                                              remote, NULL));
  return TRUE;
}

/* From now on the proxy answers @method @path itself. */
static void
hostile_answer (HostileFixture *fixture,
                const char     *method,
                const char     *path,
                guint           status,
                const char     *body)
{
  g_hash_table_replace (fixture->canned, g_strdup_printf ("%s %s", method, path),
                        g_strdup_printf ("%u\n%s", status, body));
}

/* The contract's error body, with a code the client does not know, so the
 * client shows the back-end's own message. */
static void
hostile_error (HostileFixture *fixture,
               const char     *method,
               const char     *path,
               const char     *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_ERROR);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_CODE);
  json_builder_add_string_value (builder, "verification_required");
  json_builder_set_member_name (builder, CM_MEMBER_MESSAGE);
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  hostile_answer (fixture, method, path, SOUP_STATUS_INTERNAL_SERVER_ERROR, body);
}

static void
hostile_setup (HostileFixture *fixture,
               gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autofree char *proxy_uri = NULL;

  access_fixture_setup (&fixture->access, data);
  fixture->upstream_uri = g_uri_parse (cm_server_get_uri (fixture->access.server),
                                       G_URI_FLAGS_ENCODED, &error);
  g_assert_no_error (error);
  fixture->upstream = soup_session_new ();
  fixture->canned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fixture->proxy = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->proxy, NULL, proxy_cb, fixture, NULL);
  fixture->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (fixture->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &effective,
                                 &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->service, "incoming", G_CALLBACK (proxy_incoming_cb), fixture);
  g_socket_service_start (fixture->service);
  proxy_uri = g_strdup_printf ("http://127.0.0.1:%u/", g_inet_socket_address_get_port (
                                                         G_INET_SOCKET_ADDRESS (effective)));

  /* The app's side talks to the proxy only. */
  g_clear_object (&fixture->access.session);
  g_clear_object (&fixture->access.client);
  fixture->access.client = cm_api_client_new (proxy_uri);
  fixture->access.session = cm_session_new (fixture->access.client, fixture->access.store);
}

static void
hostile_teardown (HostileFixture *fixture,
                  gconstpointer   data)
{
  /* From the app's side to the back-end, each hanging up on the next. */
  access_fixture_close_client (&fixture->access);
  g_socket_service_stop (fixture->service);
  g_socket_listener_close (G_SOCKET_LISTENER (fixture->service));
  g_clear_object (&fixture->service);
  soup_server_disconnect (fixture->proxy);
  g_clear_object (&fixture->proxy);
  g_clear_object (&fixture->upstream);
  access_flush ();
  access_fixture_teardown (&fixture->access, data);
  g_clear_pointer (&fixture->upstream_uri, g_uri_unref);
  g_clear_pointer (&fixture->canned, g_hash_table_unref);
}

/* ---- reading what is on screen --------------------------------------------- */

static gboolean
label_contains (GtkWidget     *widget,
                gconstpointer  needle)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL;
}

/* The first label under @root whose text, as shown, contains @needle. */
static GtkLabel *
find_label_containing (GtkWidget  *root,
                       const char *needle)
{
  return GTK_LABEL (access_find_if (root, label_contains, needle));
}

typedef struct
{
  GtkWidget  *root;
  const char *needle;
} LabelWait;

static gboolean
label_shown_cb (gpointer data)
{
  LabelWait *wait = data;

  return find_label_containing (wait->root, wait->needle) != NULL;
}

/* @literal is on screen exactly, as text: not parsed, so no link either. */
static void
assert_shown_as_text (GtkWidget  *root,
                      const char *needle,
                      const char *literal)
{
  LabelWait wait = { root, needle };
  GtkLabel *label;

  access_test_wait (label_shown_cb, &wait);
  label = find_label_containing (root, needle);
  /* Shown with its tags: nothing was parsed, so there is no link or span. */
  g_assert_cmpstr (gtk_label_get_text (label), ==, literal);
}

/* ---- an error message made of markup ------------------------------------------ */

static gboolean
not_busy_cb (gpointer data)
{
  return !cm_page_get_busy (CM_PAGE (data));
}

static void
test_error_message_is_text (HostileFixture *fixture,
                            gconstpointer   data)
{
  g_autoptr(CmSession) session = NULL;
  CmWindow *window;
  CmWizard *wizard;
  CmPage *sign_in;

  /* A remembered session, then a back-end that answers its check with markup:
   * the persistent toast of the report (cm-window.c). */
  access_sign_up_and_in (&fixture->access, TRUE);
  hostile_error (fixture, "GET", CM_PATH_SESSION_CURRENT, HOSTILE_RESTORE);
  session = cm_session_new (fixture->access.client, fixture->access.store);
  window = cm_window_new_for_session (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  assert_shown_as_text (GTK_WIDGET (window), "verify here", HOSTILE_RESTORE);

  /* A page's error toast (cm-page.c): signing in gets markup back. */
  hostile_error (fixture, "POST", CM_PATH_SESSIONS, HOSTILE_SIGN_IN);
  wizard = cm_window_get_wizard (window);
  cm_wizard_go_to (wizard, "sign-in");
  sign_in = cm_wizard_get_page (wizard, "sign-in");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (
                           GTK_WIDGET (sign_in), G_OBJECT_TYPE (sign_in), "user_id_row")),
                         "smithj1234");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (
                           GTK_WIDGET (sign_in), G_OBJECT_TYPE (sign_in), "password_row")),
                         ACCESS_TEST_PASSWORD);
  g_assert_true (gtk_widget_get_sensitive (cm_wizard_get_next_button (wizard)));
  g_signal_emit_by_name (cm_wizard_get_next_button (wizard), "clicked");
  access_test_wait (not_busy_cb, sign_in);
  assert_shown_as_text (GTK_WIDGET (window), "click", HOSTILE_SIGN_IN);
}

/* ---- account type labels that are broken markup ----------------------------------- */

static gboolean
next_sensitive_cb (gpointer data)
{
  return gtk_widget_is_sensitive (cm_wizard_get_next_button (CM_WIZARD (data)));
}

static void
test_account_type_is_text (HostileFixture *fixture,
                           gconstpointer   data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *types = NULL;
  GtkWidget *window = adw_window_new ();
  g_autoptr(CmAccessRequest) request = NULL;
  CmWizard *wizard;

  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_ID);
  json_builder_add_string_value (builder, CM_ACCOUNT_TYPE_MECHANIC);
  json_builder_set_member_name (builder, CM_MEMBER_LABEL);
  json_builder_add_string_value (builder, HOSTILE_TYPE);
  json_builder_set_member_name (builder, CM_MEMBER_NUMBER_LABEL);
  json_builder_add_string_value (builder, HOSTILE_NUMBER);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  types = json_to_string (root, FALSE);

  access_sign_up_and_in (&fixture->access, FALSE);
  hostile_answer (fixture, "GET", CM_PATH_ACCOUNT_TYPES, SOUP_STATUS_OK, types);

  request = cm_access_request_new (fixture->access.session);
  wizard = cm_wizard_new ();
  cm_access_pages_add (wizard, request, CM_ACCESS_FLOW_REQUEST_CODE);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (wizard));
  gtk_window_present (GTK_WINDOW (window));
  access_test_wait (next_sensitive_cb, wizard);

  /* The row in the SELECT step (cm-access-type-page.c, the types list). */
  assert_shown_as_text (GTK_WIDGET (cm_wizard_get_current_page (wizard)), "R&D", HOSTILE_TYPE);

  /* The number row's title on ACCOUNT INFO. */
  cm_wizard_next (wizard);
  g_assert_cmpstr (cm_wizard_get_current_name (wizard), ==, "request-code-info");
  assert_shown_as_text (access_get (GTK_WIDGET (cm_wizard_get_current_page (wizard)),
                                    "number-row"), "number", HOSTILE_NUMBER);
}

int
main (int   argc,
      char *argv[])
{
  if (!access_test_init (&argc, &argv))
    return g_test_run ();

  g_test_add ("/plain-text/error-message", HostileFixture, NULL, hostile_setup,
              test_error_message_is_text, hostile_teardown);
  g_test_add ("/plain-text/account-type", HostileFixture, NULL, hostile_setup,
              test_account_type_is_text, hostile_teardown);

  return g_test_run ();
}
