/* test-server-faults.c: storage faults (disk full through RLIMIT_FSIZE on a real server
 * process, a read-only database) and a thousand hostile requests, after which the server
 * still answers and the data is intact.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-server-faults"
#define _GNU_SOURCE 1  /* prlimit() */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "cm-server-private.h"
#include "server-test-util.h"

#define PASSWORD "Tr4ffic-Lights!"
#define KEY_JSON "\"account_type\":\"mechanic\",\"account_number\":\"Z123456\",\"zip\":\"48909\""

static char *
sign_in (ServerFixture *f,
         guint         *status)
{
  g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/milogin/sessions", NULL,
                                    "{\"user_id\":\"smithj1234\",\"password\":\"" PASSWORD "\"}");

  *status = r->status;
  if (r->status != 201)
    return NULL;
  return g_strdup (json_object_get_string_member (reply_object (r), "token"));
}

/* Signs up smithj1234 through the API and signs in. */
static char *
sign_up_and_in (ServerFixture *f)
{
  server_sign_up (f, "smithj1234", PASSWORD);
  return server_sign_in (f, "smithj1234", PASSWORD);
}

static guint
request_code (ServerFixture *f,
              const char    *token)
{
  g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/cars/access-requests", token,
                                    "{" KEY_JSON ",\"delivery\":\"email\"}");

  if (r->status == 503)
    g_assert_cmpstr (reply_error_code (r), ==, "unavailable");
  return r->status;
}

static void
assert_integrity (const char *database)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (database, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite_query_int (db, "SELECT COUNT(*) FROM users"), ==, 1);
  g_assert_cmpint (sqlite_query_int (db, "SELECT COUNT(*) FROM registry"), >=, 320);
  sqlite3_close (db);
}

/* ---- disk full: a real server process whose writes the kernel refuses ---- */

static void
child_setup (gpointer data)
{
  /* Without this SIGXFSZ would kill the server; ignored, write() fails with EFBIG. */
  signal (SIGXFSZ, SIG_IGN);
}

static void
set_file_size_limit (GPid  pid,
                     rlim_t soft)
{
  struct rlimit limit = { soft, RLIM_INFINITY };

  g_assert_cmpint (prlimit (pid, RLIMIT_FSIZE, &limit, NULL), ==, 0);
}

static void
test_disk_full (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-server-faults-XXXXXX", NULL);
  g_autofree char *program = g_build_filename (g_getenv ("CM_BUILD_DIR"), "src", "server",
                                               "cars-mechanic-server", NULL);
  g_autofree char *database = g_build_filename (dir, "server.db", NULL);
  g_autofree char *outbox = g_build_filename (dir, "outbox", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *token = NULL;
  ServerFixture process = { 0 };  /* the helpers need only a session and a base URL */
  const char *argv[] = { program, "--port", "0", "--database", database, "--outbox", outbox,
                         "--hash-cost", "minimum", "--rate-limit", "0", "--demo-data", NULL };
  sqlite3 *db = NULL;
  guint status;
  int out_fd, wait_status = 0;
  GPid pid;
  char c;

  soup_session_set_timeout (session, 20);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD, child_setup, NULL, &pid,
                                           NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  while (read (out_fd, &c, 1) == 1 && c != '\n')
    g_string_append_c (line, c);
  g_assert_true (g_str_has_suffix (line->str, "/"));
  process.session = session;
  process.base = g_strndup (line->str, line->len - 1);

  token = sign_up_and_in (&process);
  g_assert_cmpuint (request_code (&process, token), ==, 201);

  /* The disk is "full": every write past offset 0 fails with EFBIG. */
  set_file_size_limit (pid, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *refused = sign_in (&process, &status);
      g_autoptr(Reply) health = server_call (&process, "GET", "/api/v1/health", NULL, NULL);
      g_autoptr(Reply) accounts = server_call (&process, "GET", "/api/v1/cars/accounts", token,
                                               NULL);

      g_assert_null (refused);
      g_assert_cmpuint (status, ==, 503);
      g_assert_cmpuint (request_code (&process, token), ==, 503);
      /* Reads still work. */
      g_assert_cmpuint (health->status, ==, 200);
      g_assert_cmpuint (accounts->status, ==, 200);
    }

  /* Space is back: the same server takes writes again. */
  set_file_size_limit (pid, RLIM_INFINITY);
  {
    g_autofree char *again = sign_in (&process, &status);

    g_assert_cmpuint (status, ==, 201);
    g_assert_nonnull (again);
  }
  g_assert_cmpuint (request_code (&process, token), ==, 201);

  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  close (out_fd);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);

  /* Nothing refused was half-written; everything acknowledged is there. */
  assert_integrity (database);
  g_assert_cmpint (sqlite3_open_v2 (database, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite_query_int (db, "SELECT COUNT(*) FROM access_requests"), ==, 2);
  g_assert_cmpint (sqlite_query_int (db, "SELECT COUNT(*) FROM sessions"), ==, 2);
  sqlite3_close (db);
  g_free (process.base);
  remove_tree (dir);
}

/* ---- in-process servers without a rate limit ---- */

static const ServerFixtureOptions no_rate_limit = { .no_rate_limit = TRUE };

/* ---- read-only database ---- */

static void
test_read_only (ServerFixture *f,
                gconstpointer  data)
{
  CmServerDb *db = cm_server_get_db (f->server);
  g_autofree char *token = sign_up_and_in (f);
  g_autoptr(GError) error = NULL;
  guint status;

  g_assert_cmpuint (request_code (f, token), ==, 201);

  /* The server thread is idle between these synchronous calls. */
  g_assert_true (cm_server_db_set_query_only (db, TRUE, &error));
  g_assert_no_error (error);
  {
    g_autofree char *refused = sign_in (f, &status);
    g_autoptr(Reply) accounts = server_call (f, "GET", "/api/v1/cars/accounts", token, NULL);
    g_autoptr(Reply) out = server_call (f, "DELETE", "/api/v1/milogin/sessions/current", token,
                                        NULL);

    g_assert_cmpuint (status, ==, 503);
    g_assert_null (refused);
    g_assert_cmpuint (request_code (f, token), ==, 503);
    g_assert_cmpuint (accounts->status, ==, 200);
    g_assert_cmpuint (out->status, ==, 503);
    g_assert_cmpstr (reply_error_code (out), ==, "unavailable");
  }
  g_assert_true (cm_server_db_set_query_only (db, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (request_code (f, token), ==, 201);

  cm_server_stop (f->server);
  assert_integrity (f->database);
}

/* ---- an outbox that is not a folder ---- */

/* docs/server.md: an outbox that cannot be written is a storage fault, 503 unavailable and
 * a g_message; a g_warning (fatal in a test) or a 500 here fails. */
static void
test_outbox_not_a_folder (ServerFixture *f,
                          gconstpointer  data)
{
  g_autofree char *token = sign_up_and_in (f);
  g_autofree char *moved = g_strconcat (f->outbox, ".moved", NULL);

  g_assert_cmpuint (request_code (f, token), ==, 201);
  g_assert_cmpint (g_rename (f->outbox, moved), ==, 0);
  g_assert_true (g_file_set_contents (f->outbox, "not a folder", -1, NULL));
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (request_code (f, token), ==, 503);

  g_assert_cmpint (g_remove (f->outbox), ==, 0);
  g_assert_cmpint (g_rename (moved, f->outbox), ==, 0);
  g_assert_cmpuint (request_code (f, token), ==, 201);
  cm_server_stop (f->server);
  assert_integrity (f->database);
}

/* ---- hostile requests ---- */

typedef enum
{
  ANSWER_4XX,     /* a 4xx answer (the exact one is checked where it is fixed) */
  ANSWER_CLOSED,  /* a 4xx answer or the connection closed: both are fine */
} Expect;

typedef struct
{
  const char *name;
  int         status;   /* 0: any 4xx */
  Expect      expect;
} Kind;

/* Sends @request on a new connection and reads the answer's status (0: none). */
static int
raw_status (ServerFixture *f,
            const char    *request,
            gsize          length)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (f->server_base, G_URI_FLAGS_NONE, NULL);
  char buffer[1024];
  gsize got = 0;
  gssize n;
  int status = 0;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri),
                                                NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 10);
  /* The server may hang up before it all went: that is allowed. */
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request,
                             length, NULL, NULL, NULL);
  while (got < sizeof buffer - 1 &&
         (n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer + got, sizeof buffer - 1 - got, NULL, NULL)) > 0)
    got += n;
  buffer[got] = '\0';
  if (g_str_has_prefix (buffer, "HTTP/1.1 ") || g_str_has_prefix (buffer, "HTTP/1.0 "))
    status = atoi (buffer + 9);
  return status;
}

static GString *
post (const char *path,
      const char *headers,
      const char *body,
      gsize       length)
{
  GString *request = g_string_new (NULL);

  /* Not %s for the body: it may hold a NUL. */
  g_string_printf (request, "POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s"
                   "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", path, headers, length);
  g_string_append_len (request, body, length);
  return request;
}

static char *
get (const char *path,
     const char *headers)
{
  return g_strdup_printf ("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s\r\n", path,
                          headers);
}

#define POST_JSON(body) built = post ("/api/v1/milogin/sessions", json, body, sizeof body - 1)

static GString *
hostile_request (guint  kind,
                 guint  i)
{
  static const char json[] = "Content-Type: application/json\r\n";
  GString *request = g_string_new (NULL);
  GString *built = NULL;
  g_autofree char *text = NULL;

  switch (kind)
    {
    case 0:  /* oversize, announced */
      g_string_printf (request, "POST /api/v1/milogin/sessions HTTP/1.1\r\nHost: x\r\n%s"
                       "Content-Length: %u\r\n\r\n{", json, 65 * 1024 + i);
      break;
    case 1:  /* oversize, chunked */
      g_string_printf (request, "POST /api/v1/milogin/sessions HTTP/1.1\r\nHost: x\r\n%s"
                       "Transfer-Encoding: chunked\r\n\r\n", json);
      for (guint c = 0; c < 70; c++)
        {
          g_string_append (request, "400\r\n");
          for (guint b = 0; b < 1024; b++)
            g_string_append_c (request, 'a');
          g_string_append (request, "\r\n");
        }
      g_string_append (request, "0\r\n\r\n");
      break;
    case 2:  /* wrong content type */
      built = post ("/api/v1/milogin/sessions", "Content-Type: text/plain\r\n", "{}", 2);
      break;
    case 3:  /* wrong method */
      text = g_strdup ("PATCH /api/v1/cars/accounts HTTP/1.1\r\nHost: x\r\n"
                       "Connection: close\r\n\r\n");
      break;
    case 4:  /* deep JSON */
      {
        g_autoptr(GString) deep = g_string_new (NULL);

        for (guint d = 0; d < 20 + i % 200; d++)
          g_string_append_c (deep, '[');
        built = post ("/api/v1/milogin/sessions", json, deep->str, deep->len);
      }
      break;
    case 5:  /* duplicate keys */
      POST_JSON ("{\"user_id\":\"a\",\"user_id\":\"b\",\"password\":\"x\"}");
      break;
    case 6:  /* NUL, escaped and raw */
      if (i % 2)
        POST_JSON ("{\"user_id\":\"a\\u0000\",\"password\":\"x\"}");
      else
        POST_JSON ("{\"user_id\":\"a\0b\",\"password\":\"x\"}");
      break;
    case 7:  /* bad UTF-8 */
      POST_JSON ("{\"user_id\":\"\xc3\x28\xff\",\"password\":\"x\"}");
      break;
    case 8:  /* garbage */
      for (guint b = 0; b < 64 + i % 512; b++)
        g_string_append_c (request, (char) g_test_rand_int_range (1, 256));
      g_string_append (request, "\r\n\r\n");
      break;
    case 9:  /* bad tokens */
      {
        static const char * const tokens[] = {
          "Authorization: Bearer x\r\n", "Authorization: Bearer \r\n",
          "Authorization: Basic dXNlcjpwYXNz\r\n", "Authorization: bearer ../../etc\r\n",
          "Authorization: Bearer "
          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n",
          "",
        };

        text = get ("/api/v1/cars/accounts", tokens[i % G_N_ELEMENTS (tokens)]);
      }
      break;
    case 10:  /* path tricks */
      {
        static const char * const paths[] = {
          "/api/v1/cars/accounts/../../x", "/api/v1/cars/accounts/%00/x",
          "/api/v1/cars/accounts/mechanic/%00", "/api/v1/%2e%2e/%2e%2e/etc/passwd",
          "/api/v1/milogin/user-ids/%2F..%2F", "/api/v1/health%00", "//api/v1/health/..",
          "/api/v1/milogin/user-ids/%ZZ",
        };

        text = get (paths[i % G_N_ELEMENTS (paths)], "");
      }
      break;
    case 11:  /* a huge header */
      {
        g_autoptr(GString) header = g_string_new ("X-Big: ");

        for (guint b = 0; b < 70000; b++)
          g_string_append_c (header, 'h');
        g_string_append (header, "\r\n");
        text = get ("/api/v1/cars/accounts", header->str);
      }
      break;
    default:
      g_assert_not_reached ();
    }
  if (built != NULL)
    {
      g_string_free (request, TRUE);
      return built;
    }
  if (text != NULL)
    g_string_assign (request, text);
  return request;
}

static const Kind kinds[] = {
  { "oversize", 413, ANSWER_4XX },
  { "chunked oversize", 413, ANSWER_4XX },
  { "content type", 415, ANSWER_4XX },
  { "method", 405, ANSWER_4XX },
  { "deep JSON", 400, ANSWER_4XX },
  { "duplicate keys", 400, ANSWER_4XX },
  { "NUL", 400, ANSWER_4XX },
  { "bad UTF-8", 400, ANSWER_4XX },
  { "garbage", 0, ANSWER_CLOSED },
  { "bad token", 401, ANSWER_4XX },
  { "path", 0, ANSWER_4XX },
  { "huge header", 0, ANSWER_CLOSED },
};

static void
test_hostile (ServerFixture *f,
              gconstpointer  data)
{
  g_autofree char *token = sign_up_and_in (f);
  g_autofree char *code_mail = NULL;
  g_autoptr(GPtrArray) slow = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GUri) uri = g_uri_parse (f->server_base, G_URI_FLAGS_NONE, NULL);
  g_autoptr(Reply) before = NULL;
  g_autoptr(Reply) after = NULL;
  g_autoptr(Reply) health = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (request_code (f, token), ==, 201);
  before = server_call (f, "GET", "/api/v1/cars/accounts", token, NULL);
  g_assert_cmpuint (before->status, ==, 200);

  /* Slow clients: partial requests left open do not hold the others up. */
  for (guint i = 0; i < 32; i++)
    {
      GSocketConnection *connection =
        g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL,
                                         &error);
      const char *partial = i % 2 ? "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: "
                                  : "POST /api/v1/milogin/sessions HTTP/1.1\r\nHost: x\r\n"
                                    "Content-Type: application/json\r\n"
                                    "Content-Length: 1000\r\n\r\n{\"user_id\":";

      g_assert_no_error (error);
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                 partial, strlen (partial), NULL, NULL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (slow, connection);
    }

  for (guint i = 0; i < 1000; i++)
    {
      guint kind = i % G_N_ELEMENTS (kinds);
      g_autoptr(GString) request = hostile_request (kind, i);
      int status;

      g_debug ("hostile %u %s", i, kinds[kind].name);
      status = raw_status (f, request->str, request->len);

      if (kinds[kind].expect == ANSWER_CLOSED && status == 0)
        continue;
      if (status < 400 || status >= 500)
        g_error ("%s request %u: answered %d", kinds[kind].name, i, status);
      if (kinds[kind].status != 0)
        g_assert_cmpint (status, ==, kinds[kind].status);
    }

  /* The slow ones are still waiting, and the server still answers. */
  health = server_call (f, "GET", "/api/v1/health", NULL, NULL);
  g_assert_cmpuint (health->status, ==, 200);
  g_ptr_array_set_size (slow, 0);

  after = server_call (f, "GET", "/api/v1/cars/accounts", token, NULL);
  g_assert_cmpuint (after->status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (before->body, NULL), g_bytes_get_size (before->body),
                   g_bytes_get_data (after->body, NULL), g_bytes_get_size (after->body));
  g_assert_cmpuint (request_code (f, token), ==, 201);
  code_mail = outbox_newest (f->outbox, "email", NULL);
  g_assert_nonnull (code_mail);

  cm_server_stop (f->server);
  assert_integrity (f->database);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-faults/disk-full", test_disk_full);
  g_test_add ("/server-faults/read-only", ServerFixture, &no_rate_limit, server_fixture_setup,
              test_read_only, server_fixture_teardown);
  g_test_add ("/server-faults/outbox-not-a-folder", ServerFixture, &no_rate_limit,
              server_fixture_setup, test_outbox_not_a_folder, server_fixture_teardown);
  g_test_add ("/server-faults/hostile", ServerFixture, &no_rate_limit, server_fixture_setup,
              test_hostile, server_fixture_teardown);

  return g_test_run ();
}
