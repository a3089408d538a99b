/* server-test-util.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "server-test-util"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <poll.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cm-rate-limiter-private.h"
#include "cm-server-private.h"
#include "cm-test-util.h"
#include "server-test-util.h"

#define TEST_PASSWORD_DEFAULT "Tr4ffic-Lights!"

void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_free (reply);
}

/* Behind the contract validator (tests/server/contract-replay.sh) every fixture's server
 * listens on the one port the validator forwards to, one test after the other. */
static guint
server_port (void)
{
  const char *port = g_getenv ("CM_TEST_SERVER_PORT");

  return port != NULL ? (guint) g_ascii_strtoull (port, NULL, 10) : 0;
}

static char *
without_final_slash (const char *uri)
{
  return g_str_has_suffix (uri, "/") ? g_strndup (uri, strlen (uri) - 1) : g_strdup (uri);
}

/* ---- PostgreSQL (tests/server/with-postgresql.sh) ---- */

void
postgresql_exec_printf (const char *format,
                        ...)
{
  g_autofree char *sql = NULL;
  PGconn *conn = PQconnectdb (g_getenv ("CM_TEST_POSTGRESQL"));
  PGresult *result;
  va_list args;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
  PQfinish (conn);
}

/* A schema of its own for each test on the one database: the store's URI with that schema
 * first in its search path. */
char *
postgresql_create_schema (const char *schema)
{
  const char *base = g_getenv ("CM_TEST_POSTGRESQL");

  g_assert_nonnull (base);
  postgresql_exec_printf ("CREATE SCHEMA %s", schema);
  return g_strdup_printf ("%s%soptions=-csearch_path%%3D%s", base,
                          strchr (base, '?') != NULL ? "&" : "?", schema);
}

void
server_fixture_set_key (ServerFixture *fixture,
                        CmServer      *server)
{
  g_autofree char *key = g_build_filename (fixture->dir, "server.key", NULL);

  /* Next to the SQLite file it is by default; PostgreSQL has no file to be next to. */
  if (fixture->schema != NULL)
    cm_server_set_key_file (server, key);
}

static void
start_server (ServerFixture *fixture,
              gconstpointer  data)
{
  const ServerFixtureOptions *options = data;
  g_autoptr(GError) error = NULL;
  const char *proxy = g_getenv ("CM_TEST_CONTRACT_PROXY");
  const char *uri;

  fixture->server = cm_server_new (fixture->database, fixture->outbox);
  server_fixture_set_key (fixture, fixture->server);
  cm_server_set_hash_cost (fixture->server,
                           options != NULL && options->real_hash_cost
                           ? CM_SERVER_HASH_COST_INTERACTIVE : CM_SERVER_HASH_COST_MINIMUM);
  cm_server_set_demo_data (fixture->server, TRUE);
  if (options != NULL && options->no_rate_limit)
    cm_server_set_rate_limit (fixture->server, 0);
  else if (options != NULL && options->rate_per_minute > 0)
    cm_server_set_rate_limit (fixture->server, options->rate_per_minute);
  else if (options != NULL && options->rate_limit > 0)
    cm_server_set_rate_limit (fixture->server, options->rate_limit);
  if (options != NULL && options->trusted_proxy != NULL)
    {
      const char * const proxies[] = { options->trusted_proxy, NULL };

      g_assert_true (cm_server_set_trusted_proxies (fixture->server, proxies, &error));
    }
  if (options != NULL && options->max_empty_buckets > 0)
    cm_rate_limiter_set_max_empty (cm_server_get_limiter (fixture->server),
                                   options->max_empty_buckets);
  g_assert_true (cm_server_start_in_thread (fixture->server, "127.0.0.1", server_port (),
                                            &error));
  g_assert_no_error (error);
  uri = cm_server_get_uri (fixture->server);
  g_assert_nonnull (uri);
  g_assert_true (g_str_has_prefix (uri, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (uri, "/"));
  g_free (fixture->server_base);
  g_free (fixture->base);
  fixture->server_base = without_final_slash (uri);
  fixture->base = without_final_slash (proxy != NULL ? proxy : uri);
}

void
server_fixture_setup (ServerFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("cm-server-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->outbox = g_build_filename (fixture->dir, "outbox", NULL);
  if (g_getenv ("CM_TEST_POSTGRESQL") != NULL)
    {
      fixture->schema = g_strdup_printf ("t%08x", g_random_int ());
      fixture->database = postgresql_create_schema (fixture->schema);
    }
  else
    fixture->database = g_build_filename (fixture->dir, "server.db", NULL);
  start_server (fixture, data);
  fixture->direct = FALSE;
  fixture->session = soup_session_new ();
  soup_session_set_timeout (fixture->session, 20);
}

void
server_fixture_restart (ServerFixture *fixture,
                        gconstpointer  data)
{
  cm_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  start_server (fixture, data);
}

void
remove_tree (const char *path)
{
  cm_test_remove_tree (path);
}

void
server_fixture_teardown (ServerFixture *fixture,
                         gconstpointer  data)
{
  g_clear_object (&fixture->session);
  cm_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  remove_tree (fixture->dir);
  if (fixture->schema != NULL)
    postgresql_exec_printf ("DROP SCHEMA %s CASCADE", fixture->schema);
  g_free (fixture->schema);
  g_free (fixture->dir);
  g_free (fixture->outbox);
  g_free (fixture->database);
  g_free (fixture->base);
  g_free (fixture->server_base);
}

static gboolean
through_validator (ServerFixture *fixture)
{
  return fixture->server_base != NULL && !fixture->direct &&
         strcmp (fixture->base, fixture->server_base) != 0;
}

static const char *
json_string_or (JsonObject *object,
                const char *member,
                const char *fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : fallback;
}

/* Every answer of the server carries this header; Prism's own answers (bad JSON, a failed
 * upstream call) do not. */
static gboolean
answered_by_server (SoupMessage *msg)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                       "X-Content-Type-Options") != NULL;
}

/* Prism (proxy mode, without --errors) puts what it found in an sl-violations header. Every
 * response violation fails, warnings included: an undeclared status is only a warning to
 * Prism. A request violation is fine when the server refused the request (4xx): the tests
 * send such requests on purpose. docs/server.md ("Contract conformance") says why.
 * A violation fails the test but lets it go on, so one run lists them all. */
static void
check_contract (SoupMessage *msg,
                guint        status,
                GBytes      *body)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  const char *violations = soup_message_headers_get_one (headers, "sl-violations");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *what = g_strdup_printf ("%s %s -> %u", soup_message_get_method (msg),
                                           g_uri_get_path (soup_message_get_uri (msg)),
                                           status);
  JsonArray *array;

  if (!answered_by_server (msg))
    g_error ("contract: %s was answered by the validator, not the server: a body it cannot "
             "pass on unchanged must bypass it (ServerFixture.direct); it said: %.*s", what,
             (int) MIN (g_bytes_get_size (body), 500),
             (const char *) g_bytes_get_data (body, NULL));
  if (violations == NULL)
    return;
  if (!json_parser_load_from_data (parser, violations, -1, NULL) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    g_error ("contract: %s: unreadable sl-violations header: %s", what, violations);

  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *violation = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonArray *location = NULL;
      const char *where = "?";

      if (violation != NULL && json_object_has_member (violation, "location") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (violation, "location")))
        location = json_object_get_array_member (violation, "location");
      if (location != NULL && json_array_get_length (location) > 0 &&
          json_node_get_value_type (json_array_get_element (location, 0)) == G_TYPE_STRING)
        where = json_array_get_string_element (location, 0);

      if (strcmp (where, "request") == 0 && status >= 400 && status < 500)
        continue;  /* refused, as the test meant */
      g_test_message ("contract violation: %s: %s %s: %s", what, where,
                      violation != NULL ? json_string_or (violation, "severity", "?") : "?",
                      violation != NULL ? json_string_or (violation, "message", "?") : "?");
      g_test_fail_printf ("%s violates docs/openapi.yaml", what);
    }
}

/* Sends @msg and reads the answer: every answer carries `Cache-Control: no-store` and
 * `X-Content-Type-Options: nosniff` (docs/openapi.yaml), and a body is JSON. */
static Reply *
send_message (ServerFixture *fixture,
              SoupMessage   *msg)
{
  g_autoptr(GError) error = NULL;
  Reply *reply = g_new0 (Reply, 1);

  reply->body = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  /* A GET that Prism itself answered 5xx is sent once more: its kept-alive connection to the
   * server can close as it reuses it (seen once in 3 clean runs), which says nothing of the
   * contract. Anything else it answers itself still fails below. */
  if (through_validator (fixture) && strcmp (soup_message_get_method (msg), "GET") == 0 &&
      soup_message_get_status (msg) >= 500 && !answered_by_server (msg))
    {
      g_test_message ("contract: the validator answered GET %s %u itself; sent again",
                      g_uri_get_path (soup_message_get_uri (msg)), soup_message_get_status (msg));
      g_bytes_unref (reply->body);
      reply->body = soup_session_send_and_read (fixture->session, msg, NULL, &error);
      g_assert_no_error (error);
    }
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  if (through_validator (fixture))
    check_contract (msg, reply->status, reply->body);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Cache-Control"), ==,
                   "no-store");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "X-Content-Type-Options"), ==,
                   "nosniff");

  if (g_bytes_get_size (reply->body) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (reply->body, &size);

      g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                       "application/json");
      g_assert_true (json_parser_load_from_data (parser, data, size, &error));
      g_assert_no_error (error);
      reply->json = json_node_ref (json_parser_get_root (parser));
    }
  return reply;
}

static SoupMessage *
new_message (ServerFixture *fixture,
             const char    *method,
             const char    *path,
             const char    *token,
             const char    *content_type,
             const char    *body,
             gssize         length)
{
  const char *base = fixture->direct && fixture->server_base != NULL
                     ? fixture->server_base : fixture->base;
  g_autofree char *url = g_strconcat (base, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  return msg;
}

Reply *
server_call_raw (ServerFixture *fixture,
                 const char    *method,
                 const char    *path,
                 const char    *content_type,
                 const char    *body,
                 gssize         length)
{
  g_autoptr(SoupMessage) msg = new_message (fixture, method, path, NULL, content_type, body,
                                            length);

  return send_message (fixture, msg);
}

Reply *
server_call (ServerFixture *fixture,
             const char    *method,
             const char    *path,
             const char    *token,
             const char    *body)
{
  g_autoptr(SoupMessage) msg = new_message (fixture, method, path, token, "application/json",
                                            body, -1);

  return send_message (fixture, msg);
}

JsonObject *
reply_object (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

const char *
reply_error_code (Reply *reply)
{
  JsonObject *error;

  g_assert_cmpuint (reply->status, >=, 400);
  g_assert_true (json_object_has_member (reply_object (reply), "error"));
  error = json_object_get_object_member (reply_object (reply), "error");
  g_assert_nonnull (error);
  assert_shape (error, "code:s message:s field:s- details:a- retry_after:n-");
  return json_object_get_string_member (error, "code");
}

char *
server_solve_challenge (ServerFixture  *fixture,
                        char          **answer)
{
  g_autoptr(Reply) reply = server_call (fixture, "GET", "/api/v1/milogin/challenge", NULL, NULL);
  JsonObject *object;
  JsonArray *words;
  const char *letter;

  g_assert_cmpuint (reply->status, ==, 200);
  object = reply_object (reply);
  assert_shape (object, "challenge_id:s question:s words:a letter:s");
  words = json_object_get_array_member (object, "words");
  letter = json_object_get_string_member (object, "letter");
  g_assert_cmpuint (json_array_get_length (words), ==, 4);
  *answer = NULL;
  for (guint i = 0; i < 4; i++)
    {
      const char *word = json_array_get_string_element (words, i);

      if (strstr (word, letter) != NULL)
        {
          g_assert_null (*answer);  /* exactly one word holds the letter */
          *answer = g_strdup (word);
        }
    }
  g_assert_nonnull (*answer);
  g_assert_nonnull (strstr (json_object_get_string_member (object, "question"), letter));
  return g_strdup (json_object_get_string_member (object, "challenge_id"));
}

char *
sign_up_body (const char *challenge_id,
              const char *answer,
              const char *user_id,
              const char *password,
              const char *password_confirm,
              gboolean    terms)
{
  return g_strdup_printf ("{\"profile\":{\"first_name\":\"John\",\"middle_initial\":\"Q\","
                          "\"last_name\":\"Smith\",\"suffix\":\"\","
                          "\"email\":\"john.smith@example.com\","
                          "\"email_confirm\":\"john.smith@example.com\","
                          "\"work_phone\":\"517-555-0100\",\"mobile_phone\":\"517-555-0101\"},"
                          "\"challenge\":{\"challenge_id\":\"%s\",\"answer\":\"%s\"},"
                          "\"terms_accepted\":%s,\"user_id\":\"%s\",\"password\":\"%s\","
                          "\"password_confirm\":\"%s\","
                          "\"recovery\":{\"email\":true,\"text\":true,\"questions\":"
                          "[{\"question\":\"First car?\",\"answer\":\"Ford Falcon\"}]}}",
                          challenge_id, answer, terms ? "true" : "false", user_id, password,
                          password_confirm);
}

void
server_sign_up (ServerFixture *fixture,
                const char    *user_id,
                const char    *password)
{
  g_autofree char *answer = NULL;
  g_autofree char *id = server_solve_challenge (fixture, &answer);
  g_autofree char *body = NULL;
  g_autoptr(Reply) reply = NULL;

  if (password == NULL)
    password = TEST_PASSWORD_DEFAULT;
  body = sign_up_body (id, answer, user_id, password, password, TRUE);
  reply = server_call (fixture, "POST", "/api/v1/milogin/users", NULL, body);
  if (reply->status != 201 && reply->body != NULL)
    g_test_message ("sign-up: %.*s", (int) g_bytes_get_size (reply->body),
                    (const char *) g_bytes_get_data (reply->body, NULL));
  g_assert_cmpuint (reply->status, ==, 201);
  assert_shape (reply_object (reply), "user_id:s");
  g_assert_cmpstr (json_object_get_string_member (reply_object (reply), "user_id"), ==, user_id);
}

char *
server_sign_in (ServerFixture *fixture,
                const char    *user_id,
                const char    *password)
{
  g_autofree char *body = NULL;
  g_autoptr(Reply) reply = NULL;
  JsonObject *object;

  if (password == NULL)
    password = TEST_PASSWORD_DEFAULT;
  body = g_strdup_printf ("{\"user_id\":\"%s\",\"password\":\"%s\",\"remember\":false}",
                          user_id, password);
  reply = server_call (fixture, "POST", "/api/v1/milogin/sessions", NULL, body);
  g_assert_cmpuint (reply->status, ==, 201);
  object = reply_object (reply);
  assert_shape (object, "token:s expires_at:s user:o");
  assert_shape (json_object_get_object_member (object, "user"),
                "user_id:s first_name:s last_name:s email_masked:s?");
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "token")), >=, 43);
  return g_strdup (json_object_get_string_member (object, "token"));
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

char *
outbox_newest (const char *outbox,
               const char *kind,
               guint      *count)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *pattern = g_strdup_printf ("-%s-", kind);
  g_autofree char *path = NULL;
  char *contents = NULL;
  GDir *dir = g_dir_open (outbox, 0, NULL);
  const char *name;

  if (count != NULL)
    *count = 0;
  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (strstr (name, pattern) != NULL)
      g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  if (count != NULL)
    *count = names->len;
  if (names->len == 0)
    return NULL;
  g_ptr_array_sort (names, compare_names);
  path = g_build_filename (outbox, names->pdata[names->len - 1], NULL);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

char *
find_code (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}",
                                         0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (!g_regex_match (regex, text, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 0);
}

char *
find_pin (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("\\b[0-9]{6}\\b", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (!g_regex_match (regex, text, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 0);
}

void
assert_shape (JsonObject *object,
              const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, " ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (parts[i], ":", 2);
      const char *name = kv[0];
      const char *type = kv[1];
      gboolean optional = type[1] == '-';
      gboolean nullable = type[1] == '?';
      JsonNode *node = json_object_get_member (object, name);

      if (node == NULL)
        {
          if (!optional)
            g_error ("member “%s” is missing", name);
          continue;
        }
      if (JSON_NODE_HOLDS_NULL (node))
        {
          if (!nullable)
            g_error ("member “%s” is null", name);
          continue;
        }
      switch (type[0])
        {
        case 's':
          if (json_node_get_value_type (node) != G_TYPE_STRING)
            g_error ("member “%s” is not a string", name);
          break;
        case 'b':
          if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            g_error ("member “%s” is not a boolean", name);
          break;
        case 'n':
          if (json_node_get_value_type (node) != G_TYPE_INT64)
            g_error ("member “%s” is not an integer", name);
          break;
        case 'o':
          if (!JSON_NODE_HOLDS_OBJECT (node))
            g_error ("member “%s” is not an object", name);
          break;
        case 'a':
          if (!JSON_NODE_HOLDS_ARRAY (node))
            g_error ("member “%s” is not an array", name);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

int
raw_connect (const char *uri,
             const char *from)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketAddress) to = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  struct sockaddr_storage to_native, local_native;
  gsize length;
  int fd;

  g_assert_nonnull (parsed);
  to = g_inet_socket_address_new_from_string (g_uri_get_host (parsed), g_uri_get_port (parsed));
  g_assert_nonnull (to);
  length = g_socket_address_get_native_size (to);
  g_assert_true (g_socket_address_to_native (to, &to_native, sizeof to_native, NULL));
  if (from != NULL)
    {
      local = g_inet_socket_address_new_from_string (from, 0);
      g_assert_nonnull (local);
      g_assert_true (g_socket_address_to_native (local, &local_native, sizeof local_native,
                                                 NULL));
    }
  fd = socket (to_native.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  if ((from != NULL && bind (fd, (struct sockaddr *) &local_native, length) != 0) ||
      connect (fd, (struct sockaddr *) &to_native, length) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

void
raw_send (int         fd,
          const char *data)
{
  gsize length = strlen (data), sent = 0;

  while (sent < length)
    {
      gssize n = send (fd, data + sent, length - sent, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;  /* the server closed: what it answered is still read */
      sent += n;
    }
}

char *
raw_read_all (int       fd,
              guint     timeout_seconds,
              gboolean *closed)
{
  GString *text = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + timeout_seconds * G_USEC_PER_SEC;

  *closed = FALSE;
  while (g_get_monotonic_time () < deadline)
    {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      char buffer[4096];
      gssize n;

      if (poll (&p, 1, 100) <= 0)
        continue;
      n = recv (fd, buffer, sizeof buffer, 0);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n <= 0)
        {
          /* An end of stream or a reset: either way the server closed. */
          *closed = TRUE;
          break;
        }
      g_string_append_len (text, buffer, n);
    }
  return g_string_free (text, FALSE);
}

char *
raw_request (const char *uri,
             const char *from,
             const char *request,
             gboolean   *closed)
{
  int fd = raw_connect (uri, from);
  char *answer;

  g_assert_cmpint (fd, >=, 0);
  raw_send (fd, request);
  answer = raw_read_all (fd, 20, closed);
  close (fd);
  return answer;
}

guint
raw_request_status (const char *uri,
                    const char *from,
                    const char *request,
                    gint64     *retry_after)
{
  gboolean closed;
  g_autofree char *answer = raw_request (uri, from, request, &closed);
  const char *header = strstr (answer, "\r\nRetry-After: ");

  if (retry_after != NULL)
    *retry_after = header != NULL
                   ? g_ascii_strtoll (header + strlen ("\r\nRetry-After: "), NULL, 10) : -1;
  if (!g_str_has_prefix (answer, "HTTP/1.1 "))
    return 0;
  return (guint) g_ascii_strtoull (answer + strlen ("HTTP/1.1 "), NULL, 10);
}

guint
count_answers (const char *text)
{
  guint n = 0;

  for (const char *p = strstr (text, "HTTP/1.1 "); p != NULL; p = strstr (p + 1, "HTTP/1.1 "))
    n++;
  return n;
}

char *
server_program (void)
{
  const char *build = g_getenv ("CM_BUILD_DIR");

  g_assert_nonnull (build);
  return g_build_filename (build, "src", "server", "cars-mechanic-server", NULL);
}

char *
server_spawn (const char          *dir,
              const char * const  *extra_args,
              GSpawnChildSetupFunc setup,
              gpointer             setup_data,
              GPid                *pid,
              int                 *out_fd)
{
  g_autofree char *program = server_program ();
  g_autofree char *database = g_build_filename (dir, "server.db", NULL);
  g_autofree char *outbox = g_build_filename (dir, "outbox", NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  GString *line = g_string_new (NULL);
  char c;

  g_strv_builder_add_many (builder, program, "--port", "0", "--database", database, "--outbox",
                           outbox, "--hash-cost", "minimum", NULL);
  if (extra_args != NULL)
    g_strv_builder_addv (builder, (const char **) extra_args);
  argv = g_strv_builder_end (builder);
  g_assert_true (g_spawn_async_with_pipes (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, setup,
                                           setup_data, pid, NULL, out_fd, NULL, &error));
  g_assert_no_error (error);
  /* The first line on stdout is the URL; none when it could not start. */
  while (read (*out_fd, &c, 1) == 1 && c != '\n')
    g_string_append_c (line, c);
  return g_string_free (line, FALSE);
}

/* ---- Request bodies and messages several tests send ---- */

char *
server_reset_body (const char *user_id,
                   const char *pin)
{
  return g_strdup_printf ("{\"user_id\":\"%s\",\"pin\":\"%s\","
                          "\"new_password\":\"Brand-New-Pass9\","
                          "\"new_password_confirm\":\"Brand-New-Pass9\"}", user_id, pin);
}

SoupMessage *
server_new_code_request (const char *base,
                         const char *token)
{
  g_autofree char *url = g_strconcat (base, g_str_has_suffix (base, "/") ? "" : "/",
                                      "api/v1/cars/access-requests", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  SoupMessage *msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = NULL;
  const char *body = "{\"account_type\":\"mechanic\",\"account_number\":\"M654321\","
                     "\"zip\":\"49503\",\"delivery\":\"mail\"}";

  bytes = g_bytes_new_static (body, strlen (body));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  return msg;
}

/* ---- Parallel requests ---- */

typedef struct
{
  GSocketConnection *connection;  /* (owned) */
  char              *request;     /* (owned) */
  ParallelReply      reply;
} ParallelCall;

struct _ParallelCalls
{
  GPtrArray *threads;   /* (element-type GThread) */
  GArray    *calls;     /* (element-type ParallelCall) */
  guint      answered;  /* atomic */
};

typedef struct
{
  ParallelCalls *calls;
  guint          index;
} ParallelJob;

static gpointer
parallel_call_thread (gpointer data)
{
  ParallelJob *job = data;
  ParallelCall *call = &g_array_index (job->calls->calls, ParallelCall, job->index);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (call->connection));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (call->connection));
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  char buffer[4096];
  const char *header;
  gssize n;

  g_assert_true (g_output_stream_write_all (out, call->request, strlen (call->request), NULL,
                                            NULL, &error));
  g_assert_no_error (error);
  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error)) > 0)
    g_byte_array_append (answer, (const guint8 *) buffer, n);
  g_assert_no_error (error);
  text = g_strndup ((const char *) answer->data, answer->len);

  g_assert_true (g_str_has_prefix (text, "HTTP/1.1 "));
  call->reply.status = (guint) g_ascii_strtoull (text + strlen ("HTTP/1.1 "), NULL, 10);
  call->reply.retry_after = -1;
  header = strstr (text, "\r\nRetry-After: ");
  if (header != NULL)
    call->reply.retry_after = g_ascii_strtoll (header + strlen ("\r\nRetry-After: "), NULL, 10);
  g_atomic_int_inc (&job->calls->answered);
  g_free (job);
  return NULL;
}

ParallelCalls *
server_post_parallel (ServerFixture      *fixture,
                      const char         *path,
                      const char * const *bodies)
{
  return server_post_parallel_as (fixture, path, NULL, bodies);
}

ParallelCalls *
server_post_parallel_as (ServerFixture      *fixture,
                         const char         *path,
                         const char         *token,
                         const char * const *bodies)
{
  return server_send_parallel_as (fixture, "POST", path, token, bodies);
}

ParallelCalls *
server_send_parallel_as (ServerFixture      *fixture,
                         const char         *method,
                         const char         *path,
                         const char         *token,
                         const char * const *bodies)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autofree char *auth = token != NULL
                          ? g_strdup_printf ("Authorization: Bearer %s\r\n", token)
                          : g_strdup ("");
  ParallelCalls *calls = g_new0 (ParallelCalls, 1);
  const char *host_port = fixture->base + strlen ("http://");
  guint n = g_strv_length ((char **) bodies);

  calls->threads = g_ptr_array_new ();
  calls->calls = g_array_sized_new (FALSE, TRUE, sizeof (ParallelCall), n);
  g_array_set_size (calls->calls, n);

  /* Every connection is open before the first request goes, so they arrive together. */
  for (guint i = 0; i < n; i++)
    {
      ParallelCall *call = &g_array_index (calls->calls, ParallelCall, i);
      g_autoptr(GError) error = NULL;

      call->connection = g_socket_client_connect_to_host (client, host_port, 0, NULL, &error);
      g_assert_no_error (error);
      call->request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: %s\r\n%s"
                                       "Content-Type: application/json\r\n"
                                       "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                                       method, path, host_port, auth, strlen (bodies[i]),
                                       bodies[i]);
    }
  for (guint i = 0; i < n; i++)
    {
      ParallelJob *job = g_new0 (ParallelJob, 1);

      job->calls = calls;
      job->index = i;
      g_ptr_array_add (calls->threads, g_thread_new ("parallel-call", parallel_call_thread, job));
    }
  return calls;
}

guint
parallel_answered (ParallelCalls *calls)
{
  return (guint) g_atomic_int_get (&calls->answered);
}

void
parallel_finish (ParallelCalls *calls,
                 ParallelReply *replies)
{
  for (guint i = 0; i < calls->threads->len; i++)
    g_thread_join (calls->threads->pdata[i]);
  for (guint i = 0; i < calls->calls->len; i++)
    {
      ParallelCall *call = &g_array_index (calls->calls, ParallelCall, i);

      replies[i] = call->reply;
      g_object_unref (call->connection);
      g_free (call->request);
    }
  g_ptr_array_unref (calls->threads);
  g_array_unref (calls->calls);
  g_free (calls);
}

/* ---- The database file ---- */

gint64
sqlite_query_int (sqlite3    *db,
                  const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* A second reader sees the committed state, write-ahead log included. */
static sqlite3 *
open_database (ServerFixture *fixture)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->database, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

gint64
database_used_bytes (ServerFixture *fixture)
{
  sqlite3 *db = open_database (fixture);
  gint64 used;

  used = (sqlite_query_int (db, "PRAGMA page_count") -
          sqlite_query_int (db, "PRAGMA freelist_count")) *
         sqlite_query_int (db, "PRAGMA page_size");
  sqlite3_close (db);
  return used;
}

gint64
database_query_int (ServerFixture *fixture,
                    const char    *sql)
{
  sqlite3 *db = open_database (fixture);
  gint64 value = sqlite_query_int (db, sql);

  sqlite3_close (db);
  return value;
}

GBytes *
database_query_blob (ServerFixture *fixture,
                     const char    *sql)
{
  sqlite3 *db = open_database (fixture);
  sqlite3_stmt *stmt = NULL;
  GBytes *blob;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  blob = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return blob;
}

void
database_exec (ServerFixture *fixture,
               const char    *sql)
{
  sqlite3 *db = open_database (fixture);

  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}
