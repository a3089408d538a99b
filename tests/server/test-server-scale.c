/* test-server-scale.c: three cars-mechanic-server processes on one PostgreSQL behind HAProxy
 * on loopback give the answers one would: sessions, codes and lockouts are the store's, the
 * parallel guesses of test-server-attacks.c still meet one limit, and an instance killed
 * with SIGKILL in a write burst loses no acknowledged write while the balancer moves on, and
 * one client flooding all three meets one rate limit without a write per refused request.
 *
 * Run by tests/server/with-postgresql.sh (CM_TEST_POSTGRESQL); HAProxy from Debian.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-server-scale"

#include "config.h"

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cm-server-private.h"
#include "server-test-util.h"

#define N_INSTANCES 3
#define USER "smithj1234"
#define PASSWORD "Tr4ffic-Lights!"
#define SIGN_IN "/api/v1/milogin/sessions"
#define RESETS "/api/v1/milogin/password-resets"
#define CONFIRM "/api/v1/milogin/password-resets/confirm"
#define N_WRONG 39

typedef struct
{
  GPid  pid;
  int   out_fd;
  char *uri;      /* (owned) with the final slash */
  gboolean dead;  /* killed and reaped */
} Instance;

/* The data of scale_setup(), or NULL for the defaults. */
typedef struct
{
  gboolean    interactive;  /* Argon2id at its real cost */
  const char *rate_limit;   /* --rate-limit; default "0", none */
} ScaleOptions;

typedef struct
{
  ServerFixture fixture;   /* base: the balancer; server: NULL (no server in this process) */
  Instance      instances[N_INSTANCES];
  GPid          haproxy;
} Scale;

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* A failed assertion aborts the test: its servers and balancer go with it rather than
 * holding the test's output open until the timeout. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* The balancer (and the tests' raw requests) come from 127.0.0.1: a trusted proxy, so that
 * the rate limit counts the clients they name. */
static void
instance_start (Scale              *scale,
                Instance           *instance,
                const ScaleOptions *options)
{
  g_autofree char *key = g_build_filename (scale->fixture.dir, "server.key", NULL);
  const char *args[] = { "--database", scale->fixture.database, "--key-file", key,
                         "--hash-cost",
                         options != NULL && options->interactive ? "interactive" : "minimum",
                         "--rate-limit",
                         options != NULL && options->rate_limit != NULL ? options->rate_limit
                                                                        : "0",
                         "--trusted-proxy", "127.0.0.1",
                         "--code-requests-per-user", "0",
                         "--code-requests-per-account", "0", "--demo-data", NULL };

  /* One outbox for all: whichever instance sends a PIN, the test finds it. */
  instance->uri = server_spawn (scale->fixture.dir, args, die_with_parent, NULL,
                                &instance->pid, &instance->out_fd);
  g_assert_true (g_str_has_prefix (instance->uri, "http://127.0.0.1:"));
}

static void
instance_stop (Instance *instance)
{
  int status = 0;

  if (!instance->dead)
    {
      kill (instance->pid, SIGTERM);
      g_assert_cmpint (waitpid (instance->pid, &status, 0), ==, instance->pid);
    }
  g_spawn_close_pid (instance->pid);
  close (instance->out_fd);
  g_clear_pointer (&instance->uri, g_free);
}

static char *
host_port (const char *uri)
{
  const char *start = uri + strlen ("http://");

  return g_strndup (start, strcspn (start, "/"));
}

/* Round robin over the instances; a refused connection is tried again on another
 * (redispatch); a failed health check takes an instance out within 200 ms. A killed instance
 * fails its check at once (connection refused), so the check may wait long for an answer:
 * a live instance whose main loop waits on a commit of a busy disk (the store is called
 * there) answers late, and a 1 s check timeout could take it out (the others too), the
 * balancer then answering 503 to requests that ought to succeed. */
static void
haproxy_start (Scale *scale)
{
  g_autofree char *config = g_build_filename (scale->fixture.dir, "haproxy.cfg", NULL);
  GString *text = g_string_new (NULL);
  guint port = free_port ();
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "haproxy", "-db", "-f", config, NULL };

  g_string_append_printf (text,
                          "global\n  maxconn 2000\n"
                          "defaults\n  mode http\n  timeout connect 2s\n"
                          "  timeout client 60s\n  timeout server 60s\n  timeout check 20s\n"
                          "  retries 3\n  option redispatch 1\n"
                          /* A new connection per request: a POST on a kept connection to an
                           * instance that just died is lost (502), never retried. */
                          "  http-reuse never\n"
                          "frontend api\n  bind 127.0.0.1:%u\n  default_backend instances\n"
                          "backend instances\n  balance roundrobin\n"
                          "  option httpchk GET /api/v1/health\n"
                          "  default-server check inter 200ms fall 1 rise 2\n", port);
  for (guint i = 0; i < N_INSTANCES; i++)
    {
      g_autofree char *address = host_port (scale->instances[i].uri);

      g_string_append_printf (text, "  server s%u %s\n", i, address);
    }
  g_assert_true (g_file_set_contents (config, text->str, -1, NULL));
  g_string_free (text, TRUE);
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                G_SPAWN_STDOUT_TO_DEV_NULL, die_with_parent, NULL, &scale->haproxy,
                                &error));
  g_assert_no_error (error);
  scale->fixture.base = g_strdup_printf ("http://127.0.0.1:%u", port);
}

/* Waits for the balancer to listen and every instance to pass its health check (a request
 * through it reaches each of them in turn). */
static void
haproxy_wait_ready (Scale *scale)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint in_a_row = 0;

  while (in_a_row < 3 * N_INSTANCES)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autofree char *url = g_strconcat (scale->fixture.base, "/api/v1/health", NULL);

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      msg = soup_message_new ("GET", url);
      body = soup_session_send_and_read (scale->fixture.session, msg, NULL, NULL);
      in_a_row = soup_message_get_status (msg) == 200 ? in_a_row + 1 : 0;
      if (in_a_row == 0)
        g_usleep (50000);
    }
}

static void
scale_setup (Scale         *scale,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ServerFixture *f = &scale->fixture;

  memset (scale, 0, sizeof *scale);
  f->dir = g_dir_make_tmp ("cm-server-scale-XXXXXX", &error);
  g_assert_no_error (error);
  f->outbox = g_build_filename (f->dir, "outbox", NULL);
  f->schema = g_strdup_printf ("t%08x", g_random_int ());
  f->database = postgresql_create_schema (f->schema);
  f->session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64,
                                              "timeout", 60, NULL);
  f->direct = TRUE;
  /* The first alone migrates the schema and makes the key; the others find both. */
  for (guint i = 0; i < N_INSTANCES; i++)
    instance_start (scale, &scale->instances[i], data);
  haproxy_start (scale);
  haproxy_wait_ready (scale);
}

static void
scale_teardown (Scale         *scale,
                gconstpointer  data)
{
  ServerFixture *f = &scale->fixture;
  int status;

  kill (scale->haproxy, SIGTERM);
  g_assert_cmpint (waitpid (scale->haproxy, &status, 0), ==, scale->haproxy);
  g_spawn_close_pid (scale->haproxy);
  for (guint i = 0; i < N_INSTANCES; i++)
    instance_stop (&scale->instances[i]);
  g_clear_object (&f->session);
  postgresql_exec_printf ("DROP SCHEMA %s CASCADE", f->schema);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->outbox);
  g_free (f->database);
  g_free (f->schema);
  g_free (f->base);
}

/* A fixture whose calls go to one instance, not through the balancer. */
static ServerFixture
on_instance (Scale *scale,
             guint  i)
{
  ServerFixture direct = scale->fixture;

  direct.base = g_strndup (scale->instances[i].uri, strlen (scale->instances[i].uri) - 1);
  return direct;
}

static guint
call_status (ServerFixture *f,
             const char    *method,
             const char    *path,
             const char    *token,
             const char    *body)
{
  g_autoptr(Reply) reply = server_call (f, method, path, token, body);

  return reply->status;
}

/* ---- Sessions ---- */

static void
test_sessions (Scale         *scale,
               gconstpointer  data)
{
  ServerFixture one = on_instance (scale, 0);
  ServerFixture two = on_instance (scale, 1);
  ServerFixture three = on_instance (scale, 2);
  g_autofree char *token = NULL;
  g_autoptr(Reply) taken = NULL;

  server_sign_up (&one, USER, PASSWORD);
  /* The User ID taken on one is taken on all. */
  taken = server_call (&three, "GET", "/api/v1/milogin/user-ids/" USER, NULL, NULL);
  g_assert_cmpuint (taken->status, ==, 200);
  g_assert_false (json_object_get_boolean_member (reply_object (taken), "available"));
  token = server_sign_in (&two, USER, PASSWORD);
  g_assert_cmpuint (call_status (&three, "GET", "/api/v1/cars/accounts", token, NULL), ==, 200);
  g_assert_cmpuint (call_status (&one, "GET", "/api/v1/cars/accounts", token, NULL), ==, 200);
  /* Signed out on three: refused on one and two. */
  g_assert_cmpuint (call_status (&three, "DELETE", "/api/v1/milogin/sessions/current", token,
                                 NULL), ==, 204);
  g_assert_cmpuint (call_status (&one, "GET", "/api/v1/cars/accounts", token, NULL), ==, 401);
  g_assert_cmpuint (call_status (&two, "GET", "/api/v1/cars/accounts", token, NULL), ==, 401);
  g_free (one.base);
  g_free (two.base);
  g_free (three.base);
}

/* ---- The attacks of test-server-attacks.c, through the balancer ---- */

static void
count_statuses (const ParallelReply *replies,
                guint                n,
                guint                counted_status,
                guint               *counted,
                guint               *refused)
{
  *counted = *refused = 0;
  for (guint i = 0; i < n; i++)
    {
      if (replies[i].status == counted_status)
        (*counted)++;
      else if (replies[i].status == 423 || replies[i].status == 503)
        (*refused)++;
      else
        g_error ("a wrong guess was answered %u", replies[i].status);
    }
}

/* 39 wrong passwords at once, spread by the balancer over three processes: the store counts
 * them, so two are told 401 and the rest are locked out (or told to come back), as on one. */
static void
test_parallel_guesses (Scale         *scale,
                       gconstpointer  data)
{
  ServerFixture *f = &scale->fixture;
  const char *right = "{\"user_id\":\"" USER "\",\"password\":\"" PASSWORD "\"}";
  g_autoptr(GPtrArray) wrong = g_ptr_array_new_with_free_func (g_free);
  ParallelReply replies[N_WRONG];
  guint n401, refused;

  server_sign_up (f, USER, PASSWORD);
  for (guint i = 0; i < N_WRONG; i++)
    g_ptr_array_add (wrong, g_strdup_printf ("{\"user_id\":\"" USER "\","
                                             "\"password\":\"Wrong-Guess-%02u\"}", i));
  g_ptr_array_add (wrong, NULL);
  parallel_finish (server_post_parallel (f, SIGN_IN, (const char * const *) wrong->pdata),
                   replies);
  count_statuses (replies, N_WRONG, 401, &n401, &refused);
  g_test_message ("39 wrong at once over %u instances: %u x 401, %u x 423 or 503",
                  N_INSTANCES, n401, refused);
  g_assert_cmpuint (n401, ==, CM_SERVER_SIGN_IN_MAX_FAILURES - 1);
  /* Locked on every instance: the right password is refused on each. */
  for (guint i = 0; i < N_INSTANCES; i++)
    {
      ServerFixture direct = on_instance (scale, i);

      g_assert_cmpuint (call_status (&direct, "POST", SIGN_IN, NULL, right), ==, 423);
      g_free (direct.base);
    }
}

/* Wrong PINs at once over the instances: never more than five are weighed, then the right
 * PIN is refused (locked) on every instance. */
static void
test_parallel_pin_guesses (Scale         *scale,
                           gconstpointer  data)
{
  ServerFixture *f = &scale->fixture;
  g_autoptr(GPtrArray) wrong = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *mail = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *right = NULL;
  ParallelReply replies[20];
  guint n422, refused;

  server_sign_up (f, USER, PASSWORD);
  g_assert_cmpuint (call_status (f, "POST", RESETS, NULL,
                                 "{\"user_id\":\"" USER "\",\"method\":\"email\"}"), ==, 202);
  mail = outbox_newest (f->outbox, "email", NULL);
  pin = find_pin (mail);
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autofree char *guess = g_strdup_printf ("%06u", (guint) (g_ascii_strtoull (pin, NULL, 10)
                                                                 + 1 + i) % 1000000);

      g_ptr_array_add (wrong, server_reset_body (USER, guess));
    }
  g_ptr_array_add (wrong, NULL);
  parallel_finish (server_post_parallel (f, CONFIRM, (const char * const *) wrong->pdata),
                   replies);
  count_statuses (replies, G_N_ELEMENTS (replies), 422, &n422, &refused);
  g_test_message ("20 wrong PINs at once over %u instances: %u x 422, %u x 423 or 503",
                  N_INSTANCES, n422, refused);
  g_assert_cmpuint (n422, ==, CM_SERVER_RESET_PIN_MAX_FAILURES);
  right = server_reset_body (USER, pin);
  for (guint i = 0; i < N_INSTANCES; i++)
    {
      ServerFixture direct = on_instance (scale, i);

      g_assert_cmpuint (call_status (&direct, "POST", CONFIRM, NULL, right), ==, 423);
      g_free (direct.base);
    }
}

/* Wrong authorization codes at once over the instances: five are counted, then the account
 * is locked for that user on every instance (the count is read and written in one writing
 * transaction). */
static void
test_parallel_code_guesses (Scale         *scale,
                            gconstpointer  data)
{
  ServerFixture *f = &scale->fixture;
  g_autoptr(GPtrArray) wrong = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token = NULL;
  ParallelReply replies[20];
  guint n422, refused;

  server_sign_up (f, USER, PASSWORD);
  token = server_sign_in (f, USER, PASSWORD);
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    g_ptr_array_add (wrong, g_strdup_printf ("{\"account_type\":\"mechanic\","
                                             "\"account_number\":\"M654321\",\"zip\":\"49503\","
                                             "\"authorization_code\":\"ABCD-EFGH-%04u\","
                                             "\"terms_accepted\":true}", 2000 + i));
  g_ptr_array_add (wrong, NULL);
  parallel_finish (server_post_parallel_as (f, "/api/v1/cars/account-access", token,
                                            (const char * const *) wrong->pdata),
                   replies);
  count_statuses (replies, G_N_ELEMENTS (replies), 422, &n422, &refused);
  g_test_message ("20 wrong codes at once over %u instances: %u x 422, %u x 423",
                  N_INSTANCES, n422, refused);
  g_assert_cmpuint (n422, ==, CM_SERVER_CODE_MAX_FAILURES);
}

/* ---- SIGKILL in a write burst ---- */

typedef struct
{
  Scale     *scale;
  char      *token;
  GPtrArray *acknowledged;  /* confirmation numbers answered 201 */
  guint      in_flight;
  guint      after_kill;    /* requests sent once the instance was dead */
  guint      after_kill_ok;
  gboolean   killed;
} Burst;

static void send_one (Burst *burst);

static char *
confirmation_digits (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *number;
  GString *digits = g_string_new (NULL);

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             g_bytes_get_size (body), NULL));
  number = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                          "confirmation_number");
  for (const char *p = number; *p != '\0'; p++)
    if (*p != '-')
      g_string_append_c (digits, *p);
  return g_string_free (digits, FALSE);
}

static void
burst_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Burst *burst = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              NULL);
  guint status = soup_message_get_status (msg);
  gboolean sent_after_kill = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (msg), "after"));

  burst->in_flight--;
  /* Before the kill every answer is 201; what was on the wire to the dead instance may get
   * 502 or 503 from the balancer, and is not acknowledged. */
  if (!burst->killed)
    g_assert_cmpuint (status, ==, 201);
  if (status == 201)
    g_ptr_array_add (burst->acknowledged, confirmation_digits (body));
  if (sent_after_kill && status == 201)
    burst->after_kill_ok++;
  if (!burst->killed && burst->acknowledged->len >= 60)
    {
      Instance *victim = &burst->scale->instances[1];
      int how = 0;

      /* Kill in the middle: after some acknowledgements, with more requests on the wire;
       * reaped before anything more is sent, so "after the kill" means it. */
      kill (victim->pid, SIGKILL);
      g_assert_cmpint (waitpid (victim->pid, &how, 0), ==, victim->pid);
      g_assert_true (WIFSIGNALED (how) && WTERMSIG (how) == SIGKILL);
      victim->dead = TRUE;
      burst->killed = TRUE;
    }
  if (burst->after_kill < 60)
    send_one (burst);
}

static void
send_one (Burst *burst)
{
  ServerFixture *f = &burst->scale->fixture;
  g_autoptr(SoupMessage) msg = server_new_code_request (f->base, burst->token);

  if (burst->killed)
    {
      burst->after_kill++;
      g_object_set_data (G_OBJECT (msg), "after", GUINT_TO_POINTER (TRUE));
    }
  burst->in_flight++;
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, burst_done_cb,
                                    burst);
}

static gint64
count_confirmation (PGconn     *conn,
                    const char *schema,
                    const char *digits)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s.access_requests"
                                          " WHERE confirmation_number = $1", schema);
  const char *values[] = { digits };
  PGresult *result = PQexecParams (conn, sql, 1, NULL, values, NULL, NULL, 0);
  gint64 count;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  count = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  return count;
}

static void
test_kill_in_burst (Scale         *scale,
                    gconstpointer  data)
{
  ServerFixture *f = &scale->fixture;
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  Burst burst = { scale, NULL, acknowledged, 0, 0, 0, FALSE };
  PGconn *conn;

  server_sign_up (f, USER, PASSWORD);
  burst.token = server_sign_in (f, USER, PASSWORD);
  for (guint i = 0; i < 12; i++)
    send_one (&burst);
  while (burst.in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (burst.killed);
  g_test_message ("%u acknowledged; after the SIGKILL %u of %u sent were 201",
                  acknowledged->len, burst.after_kill_ok, burst.after_kill);
  /* The balancer moved on: what was sent once the instance was dead went to the others (a
   * refused connection is dispatched again; the health check takes it out). */
  g_assert_cmpuint (burst.after_kill_ok, ==, burst.after_kill);

  /* Every acknowledged write is in the store, once. */
  conn = PQconnectdb (g_getenv ("CM_TEST_POSTGRESQL"));
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  for (guint i = 0; i < acknowledged->len; i++)
    g_assert_cmpint (count_confirmation (conn, f->schema, acknowledged->pdata[i]), ==, 1);
  PQfinish (conn);
  g_free (burst.token);
}

/* ---- The rate limit across instances ---- */

/* Every write to the rate-limit buckets (an insert, or the update of an upsert), counted by
 * the store itself with a trigger of the test's own. */
static void
count_bucket_writes (const char *schema)
{
  postgresql_exec_printf ("CREATE TABLE %s.bucket_writes (n BIGINT NOT NULL);"
                          "INSERT INTO %s.bucket_writes VALUES (0);"
                          "CREATE FUNCTION %s.count_bucket_write () RETURNS trigger"
                          " LANGUAGE plpgsql AS $$BEGIN"
                          " UPDATE %s.bucket_writes SET n = n + 1; RETURN NULL; END$$;"
                          "CREATE TRIGGER count_writes AFTER INSERT OR UPDATE"
                          " ON %s.rate_buckets FOR EACH ROW"
                          " EXECUTE FUNCTION %s.count_bucket_write ()",
                          schema, schema, schema, schema, schema, schema);
}

static gint64
bucket_writes (const char *schema)
{
  PGconn *conn = PQconnectdb (g_getenv ("CM_TEST_POSTGRESQL"));
  g_autofree char *sql = g_strdup_printf ("SELECT n FROM %s.bucket_writes", schema);
  PGresult *result;
  gint64 n;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, sql);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  n = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  PQfinish (conn);
  return n;
}

/* One client at one request a minute sends 60 to the three instances in turn. The bucket is
 * the store's: one request is allowed in all, not one per instance. Each instance hears
 * that the bucket is empty once (the one that took its token from that answer, the others
 * from one refusal) and refuses the rest without a write: 61 writes before the front tier
 * (docs/server.md, "The storage seam"), now the allowed request's two (its own bucket and
 * its network's) and at most one refusal per other instance. Should the run take minutes,
 * each refilled token may allow one more request and cost as many again. */
static void
test_rate_limit_flood (Scale         *scale,
                       gconstpointer  data)
{
  const char *request = "GET /api/v1/milogin/user-ids/smithj0001 HTTP/1.1\r\nHost: x\r\n"
                        "Connection: close\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n";
  guint ok = 0;
  gint64 writes;

  count_bucket_writes (scale->fixture.schema);
  for (guint i = 0; i < 60; i++)
    {
      gint64 retry_after = -1;
      guint status = raw_request_status (scale->instances[i % N_INSTANCES].uri, "127.0.0.1",
                                         request, &retry_after);

      g_assert_true (status == 200 || status == 429);
      if (status == 200)
        ok++;
      else
        g_assert_true (retry_after >= 1 && retry_after <= 60);
    }
  writes = bucket_writes (scale->fixture.schema);
  g_test_message ("60 requests over %u instances at 1 a minute: %u allowed, %" G_GINT64_FORMAT
                  " bucket writes", N_INSTANCES, ok, writes);
  g_assert_cmpuint (ok, >=, 1);
  g_assert_cmpuint (ok, <, N_INSTANCES);
  g_assert_cmpint (writes, <=, (gint64) ok * (2 + N_INSTANCES - 1));
}

int
main (int   argc,
      char *argv[])
{
  /* Argon2id at its real cost for the guesses, so that guesses sent together are hashed
   * together. */
  static const ScaleOptions interactive = { .interactive = TRUE };
  /* One sensitive request a minute per client. */
  static const ScaleOptions one_a_minute = { .rate_limit = "1" };

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("CM_TEST_POSTGRESQL") == NULL)
    {
      g_printerr ("CM_TEST_POSTGRESQL is not set: run through tests/server/with-postgresql.sh\n");
      return 1;
    }
  g_test_add ("/server/scale/sessions", Scale, NULL, scale_setup, test_sessions,
              scale_teardown);
  g_test_add ("/server/scale/parallel-guesses", Scale, &interactive, scale_setup,
              test_parallel_guesses, scale_teardown);
  g_test_add ("/server/scale/parallel-pin-guesses", Scale, NULL, scale_setup,
              test_parallel_pin_guesses, scale_teardown);
  g_test_add ("/server/scale/parallel-code-guesses", Scale, NULL, scale_setup,
              test_parallel_code_guesses, scale_teardown);
  g_test_add ("/server/scale/kill-in-burst", Scale, NULL, scale_setup, test_kill_in_burst,
              scale_teardown);
  g_test_add ("/server/scale/rate-limit-flood", Scale, &one_a_minute, scale_setup,
              test_rate_limit_flood, scale_teardown);
  return g_test_run ();
}
