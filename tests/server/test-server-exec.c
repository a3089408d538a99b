/* test-server-exec.c: the cars-mechanic-server program (start, health, SIGTERM), crash
 * safety under SIGKILL, and HTTPS with a certificate made here.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-server-exec"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "server-test-util.h"

typedef struct
{
  GPid   pid;
  int    out_fd;
  char  *uri;
} Child;

static void
child_start (Child      *child,
             const char *dir,
             gboolean    demo)
{
  g_autofree char *program = server_program ();
  g_autofree char *database = g_build_filename (dir, "server.db", NULL);
  g_autofree char *outbox = g_build_filename (dir, "outbox", NULL);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { program, "--port", "0", "--database", database, "--outbox", outbox,
                         "--hash-cost", "minimum", "--rate-limit", "0",
                         /* the crash test's burst is one user's code requests */
                         "--code-requests-per-user", "0", "--code-requests-per-account", "0",
                         demo ? "--demo-data" : NULL, NULL };
  GString *line = g_string_new (NULL);
  char c;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &child->pid,
                                           NULL, &child->out_fd, NULL, &error));
  g_assert_no_error (error);
  /* The first line on stdout is the URL. */
  while (read (child->out_fd, &c, 1) == 1 && c != '\n')
    g_string_append_c (line, c);
  child->uri = g_string_free (line, FALSE);
  g_assert_true (g_str_has_prefix (child->uri, "http://127.0.0.1:"));
}

static int
child_wait (Child *child)
{
  int status = 0;

  g_assert_cmpint (waitpid (child->pid, &status, 0), ==, child->pid);
  g_spawn_close_pid (child->pid);
  close (child->out_fd);
  g_clear_pointer (&child->uri, g_free);
  return status;
}

static guint
get_status (SoupSession *session,
            const char  *uri,
            const char  *path)
{
  g_autofree char *url = g_strconcat (uri, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

  return soup_message_get_status (msg);
}

static void
test_smoke (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-server-exec-XXXXXX", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  Child child = { 0 };
  int status;

  child_start (&child, dir, TRUE);
  g_assert_cmpuint (get_status (session, child.uri, "api/v1/health"), ==, 200);
  g_assert_cmpuint (get_status (session, child.uri, "api/v1/cars/account-types"), ==, 200);
  kill (child.pid, SIGTERM);
  status = child_wait (&child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  remove_tree (dir);
}

/* --stop-with-stdin, the way the app's practice mode starts the server: writes to
 * standard input change nothing, and when it closes (the app ended, even by a crash)
 * the server stops cleanly. With every debug message on, stdout still carries the URL
 * alone (GLib writes debug messages to stdout unless told otherwise). */
static void
test_stop_with_stdin (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-server-exec-XXXXXX", NULL);
  g_autofree char *program = server_program ();
  g_autofree char *database = g_build_filename (dir, "server.db", NULL);
  g_autofree char *outbox = g_build_filename (dir, "outbox", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  const char *argv[] = { program, "--port", "0", "--database", database, "--outbox", outbox,
                         "--stop-with-stdin", NULL };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "G_MESSAGES_DEBUG", "all", TRUE);
  Child child = { 0 };
  GString *line = g_string_new (NULL);
  int in_fd = -1, status;
  char c;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, envp,
                                           G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &child.pid,
                                           &in_fd, &child.out_fd, NULL, &error));
  g_assert_no_error (error);
  while (read (child.out_fd, &c, 1) == 1 && c != '\n')
    g_string_append_c (line, c);
  child.uri = g_string_free (line, FALSE);
  g_assert_true (g_str_has_prefix (child.uri, "http://127.0.0.1:"));

  g_assert_cmpint (write (in_fd, "anything\n", 9), ==, 9);
  g_assert_cmpuint (get_status (session, child.uri, "api/v1/health"), ==, 200);
  g_assert_cmpuint (get_status (session, child.uri, "api/v1/health"), ==, 200);
  close (in_fd);
  status = child_wait (&child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  remove_tree (dir);
}

/* ---- crash safety ---- */

typedef struct
{
  SoupSession *session;
  char        *uri;
  char        *token;
  GPtrArray   *acknowledged;  /* confirmation numbers answered 201 */
  guint        in_flight;
  guint        sent;
  gboolean     killed;
  GPid         pid;
} Burst;

static void send_one (Burst *burst);

static void
burst_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Burst *burst = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              NULL);

  burst->in_flight--;
  /* Any other answer before the kill would make the burst spin without end. */
  if (!burst->killed && body != NULL)
    g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
  if (body != NULL && soup_message_get_status (msg) == 201)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                                 g_bytes_get_size (body), NULL));
      g_ptr_array_add (burst->acknowledged,
                       g_strdup (json_object_get_string_member (
                         json_node_get_object (json_parser_get_root (parser)),
                         "confirmation_number")));
    }
  /* Kill in the middle: after some acknowledgements, with more requests on the wire. */
  if (!burst->killed && burst->acknowledged->len >= 40)
    {
      kill (burst->pid, SIGKILL);
      burst->killed = TRUE;
    }
  if (!burst->killed)
    send_one (burst);
}

static void
send_one (Burst *burst)
{
  g_autoptr(SoupMessage) msg = server_new_code_request (burst->uri, burst->token);

  burst->in_flight++;
  burst->sent++;
  soup_session_send_and_read_async (burst->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    burst_done_cb, burst);
}

static char *
sign_up_and_in (SoupSession *session,
                const char  *uri)
{
  ServerFixture fake = { 0 };
  char *token;

  /* Borrow the fixture helpers: they only need a base URL and a session. */
  fake.session = session;
  fake.base = g_strndup (uri, strlen (uri) - 1);
  server_sign_up (&fake, "smithj1234", NULL);
  token = server_sign_in (&fake, "smithj1234", NULL);
  g_free (fake.base);
  return token;
}

static void
test_crash_safety (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-server-crash-XXXXXX", NULL);
  g_autofree char *database = g_build_filename (dir, "server.db", NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 16,
                                                                  "max-conns-per-host", 16,
                                                                  NULL);
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  Burst burst = { 0 };
  Child child = { 0 };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int status;

  child_start (&child, dir, TRUE);

  burst.session = session;
  burst.uri = child.uri;
  burst.token = sign_up_and_in (session, child.uri);
  burst.acknowledged = acknowledged;
  burst.pid = child.pid;
  for (guint i = 0; i < 8; i++)
    send_one (&burst);
  while (burst.in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (burst.killed);
  status = child_wait (&child);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  g_test_message ("%u sent, %u acknowledged before SIGKILL", burst.sent, acknowledged->len);

  /* Every acknowledged write is on disk, and the file is sound. */
  g_assert_cmpint (sqlite3_open_v2 (database, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM access_requests"
                                           " WHERE confirmation_number = ?", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (guint i = 0; i < acknowledged->len; i++)
    {
      g_autofree char *digits = g_strdup (acknowledged->pdata[i]);
      char *p, *q;

      for (p = q = digits; *p != '\0'; p++)
        if (*p != '-')
          *q++ = *p;
      *q = '\0';
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_ascii_strtoll (digits, NULL, 10));
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* The server starts again on that database and the session still works. */
  child_start (&child, dir, FALSE);
  g_assert_cmpuint (get_status (session, child.uri, "api/v1/health"), ==, 200);
  {
    g_autofree char *url = g_strconcat (child.uri, "api/v1/milogin/sessions/current", NULL);
    g_autofree char *auth = g_strconcat ("Bearer ", burst.token, NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    body = soup_session_send_and_read (session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  }
  kill (child.pid, SIGTERM);
  status = child_wait (&child);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_free (burst.token);
  remove_tree (dir);
}

/* ---- TLS ---- */

static gboolean
run_openssl (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                     | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static void
test_tls (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-server-tls-XXXXXX", NULL);
  g_autofree char *ca_key = g_build_filename (dir, "ca.key", NULL);
  g_autofree char *ca_pem = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "server.key", NULL);
  g_autofree char *csr = g_build_filename (dir, "server.csr", NULL);
  g_autofree char *pem = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *ext = g_build_filename (dir, "ext.cnf", NULL);
  g_autofree char *database = g_build_filename (dir, "server.db", NULL);
  g_autofree char *outbox = g_build_filename (dir, "outbox", NULL);
  g_autofree char *url = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GTlsDatabase) ca = NULL;
  g_autoptr(CmServer) server = NULL;
  g_autoptr(SoupSession) trusting = NULL;
  g_autoptr(SoupSession) plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");

  if (openssl == NULL)
    {
      g_test_fail_printf ("openssl is needed to make the test certificate");
      return;
    }
  g_assert_true (g_file_set_contents (ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n", -1,
                                      NULL));
  {
    const char *make_ca[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                              "-keyout", ca_key, "-out", ca_pem, "-days", "2",
                              "-subj", "/CN=CARS Mechanic test CA", NULL };
    const char *make_csr[] = { "openssl", "req", "-newkey", "rsa:2048", "-nodes",
                               "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1", NULL };
    const char *sign[] = { "openssl", "x509", "-req", "-in", csr, "-CA", ca_pem,
                           "-CAkey", ca_key, "-CAcreateserial", "-out", pem, "-days", "2",
                           "-extfile", ext, NULL };

    g_assert_true (run_openssl (make_ca));
    g_assert_true (run_openssl (make_csr));
    g_assert_true (run_openssl (sign));
  }

  certificate = g_tls_certificate_new_from_files (pem, key, &error);
  g_assert_no_error (error);
  server = cm_server_new (database, outbox);
  cm_server_set_hash_cost (server, CM_SERVER_HASH_COST_MINIMUM);
  cm_server_set_tls_certificate (server, certificate);
  g_assert_true (cm_server_start_in_thread (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (cm_server_get_uri (server), "https://127.0.0.1:"));
  url = g_strconcat (cm_server_get_uri (server), "api/v1/health", NULL);

  ca = g_tls_file_database_new (ca_pem, &error);
  g_assert_no_error (error);
  trusting = soup_session_new ();
  soup_session_set_tls_database (trusting, ca);
  {
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = soup_session_send_and_read (trusting, msg, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_nonnull (strstr (g_bytes_get_data (body, NULL), "\"ok\""));
  }

  /* Without our CA the certificate is not trusted. */
  plain = soup_session_new ();
  {
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = soup_session_send_and_read (plain, msg, NULL, &error);

    g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  }

  cm_server_stop (server);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-exec/smoke", test_smoke);
  g_test_add_func ("/server-exec/stop-with-stdin", test_stop_with_stdin);
  g_test_add_func ("/server-exec/crash-safety", test_crash_safety);
  g_test_add_func ("/server-exec/tls", test_tls);

  return g_test_run ();
}
