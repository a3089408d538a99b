/* test-api-client.c: CmApiClient against servers that misbehave on purpose,
 * TLS, address checks and cancellation.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "cm-test-util.h"
#include "cm-api-client.h"
#include "cm-api-client-private.h"
#include "cm-client-private.h"
#include "cm-error.h"
#include "cm-protocol.h"
#include "cm-session.h"

/* ---- A loopback HTTP server that does what the test says ---- */

typedef enum
{
  FAULT_ANSWER,            /* send canned_answer and close */
  FAULT_DROP_MID_BODY,     /* headers and half the body, then close */
  FAULT_STALL,             /* read the request, never answer */
  FAULT_CLOSE_FIRST,       /* close the first connection at once, answer the next ones */
  FAULT_HUGE_CHUNKED,      /* a chunked body that never ends before the cap */
} FaultMode;

typedef struct
{
  GSocketService *service;
  guint16         port;
  char           *base_uri;
  FaultMode       mode;
  char           *canned_answer;      /* a whole HTTP answer */

  GMutex          lock;
  guint           connections;        /* (lock) */
  guint           requests;           /* (lock) */
  guint           active;             /* (lock) handler threads running */
  GString        *last_request;       /* (lock) request line and headers */
} FaultServer;

static gboolean
read_request (GInputStream *in,
              GString      *request)
{
  char c;
  gsize content_length = 0;
  const char *header;

  /* Headers, byte by byte: small and simple. */
  while (!g_str_has_suffix (request->str, "\r\n\r\n"))
    {
      if (g_input_stream_read (in, &c, 1, NULL, NULL) != 1)
        return FALSE;
      g_string_append_c (request, c);
      if (request->len > 65536)
        return FALSE;
    }

  header = strstr (request->str, "Content-Length: ");
  if (header != NULL)
    content_length = g_ascii_strtoull (header + strlen ("Content-Length: "), NULL, 10);
  for (gsize i = 0; i < content_length; i++)
    if (g_input_stream_read (in, &c, 1, NULL, NULL) != 1)
      return FALSE;

  return TRUE;
}

static void
write_all (GOutputStream *out,
           const char    *data,
           gsize          length)
{
  /* The client may hang up first; that is fine here. */
  g_output_stream_write_all (out, data, length, NULL, NULL, NULL);
}

static gboolean
fault_run_cb (GThreadedSocketService *service,
              GSocketConnection      *connection,
              GObject                *source_object,
              gpointer                user_data)
{
  FaultServer *server = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) request = g_string_new (NULL);
  guint connection_number;
  char c;

  g_mutex_lock (&server->lock);
  connection_number = ++server->connections;
  server->active++;
  g_mutex_unlock (&server->lock);

  if (server->mode == FAULT_CLOSE_FIRST && connection_number == 1)
    goto out;

  if (!read_request (in, request))
    goto out;

  g_mutex_lock (&server->lock);
  server->requests++;
  g_string_assign (server->last_request, request->str);
  g_mutex_unlock (&server->lock);

  switch (server->mode)
    {
    case FAULT_ANSWER:
    case FAULT_CLOSE_FIRST:
      write_all (out, server->canned_answer, strlen (server->canned_answer));
      break;

    case FAULT_DROP_MID_BODY:
      {
        const char *partial = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              "Content-Length: 200\r\nConnection: close\r\n\r\n{\"status\": \"o";

        write_all (out, partial, strlen (partial));
      }
      break;

    case FAULT_STALL:
      /* Until the client gives up and closes. */
      while (g_input_stream_read (in, &c, 1, NULL, NULL) == 1)
        ;
      break;

    case FAULT_HUGE_CHUNKED:
      {
        const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        g_autofree char *chunk = NULL;
        g_autofree char *payload = g_strnfill (4096, ' ');

        write_all (out, head, strlen (head));
        chunk = g_strdup_printf ("%x\r\n%s\r\n", 4096, payload);
        /* Far more than the cap the test sets; stops when the client hangs up. */
        for (guint i = 0; i < 1024; i++)
          if (!g_output_stream_write_all (out, chunk, strlen (chunk), NULL, NULL, NULL))
            break;
      }
      break;

    default:
      g_assert_not_reached ();
    }

out:
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_mutex_lock (&server->lock);
  server->active--;
  g_mutex_unlock (&server->lock);
  return TRUE;
}

static char *
http_answer (guint       status,
             const char *extra_headers,
             const char *body)
{
  return g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n%s\r\n%s",
                          status, soup_status_get_phrase (status), strlen (body),
                          extra_headers != NULL ? extra_headers : "", body);
}

static void
fault_server_start (FaultServer *server,
                    FaultMode    mode,
                    char        *canned_answer)
{
  g_autoptr(GError) error = NULL;

  g_mutex_init (&server->lock);
  server->mode = mode;
  server->canned_answer = canned_answer;
  server->last_request = g_string_new (NULL);
  server->service = g_threaded_socket_service_new (8);
  server->port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (server->service), NULL,
                                                      &error);
  g_assert_no_error (error);
  server->base_uri = g_strdup_printf ("http://127.0.0.1:%u/", server->port);
  g_signal_connect (server->service, "run", G_CALLBACK (fault_run_cb), server);
  g_socket_service_start (server->service);
}

static guint
fault_server_get (FaultServer *server,
                  guint       *field)
{
  guint value;

  g_mutex_lock (&server->lock);
  value = *field;
  g_mutex_unlock (&server->lock);
  return value;
}

/* On the thread of the last handler, or here: wakes the wait in fault_server_stop(). */
static void
service_gone_cb (gpointer  user_data,
                 GObject  *where_the_object_was)
{
  g_atomic_int_set ((gint *) user_data, TRUE);
  g_main_context_wakeup (NULL);
}

static gboolean
service_is_gone (gpointer data)
{
  return g_atomic_int_get ((gint *) data);
}

static void
fault_server_stop (FaultServer *server)
{
  gint gone = FALSE;

  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));

  /* Handler threads use @server. A connection accepted but not yet handled is
   * only queued (not counted in active), and each queued or running handler
   * holds a reference on the service: wait until the service is gone. */
  g_object_weak_ref (G_OBJECT (server->service), service_gone_cb, &gone);
  g_clear_object (&server->service);
  cm_test_wait_until (service_is_gone, &gone);
  g_assert_cmpuint (fault_server_get (server, &server->active), ==, 0);

  g_free (server->base_uri);
  g_free (server->canned_answer);
  g_string_free (server->last_request, TRUE);
  g_mutex_clear (&server->lock);
}

/* ---- Fixture ---- */

typedef struct
{
  FaultServer  server;
  CmApiClient *client;
  CmTestAsync    async;
} Fixture;

static void
fixture_start (Fixture   *fixture,
               FaultMode  mode,
               char      *canned_answer)
{
  fault_server_start (&fixture->server, mode, canned_answer);
  fixture->client = cm_api_client_new (fixture->server.base_uri);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  cm_test_async_clear (&fixture->async);
  /* The client first: dropping it closes its connections, which ends the handlers. */
  g_clear_object (&fixture->client);
  cm_test_flush_main_context ();
  if (fixture->server.service != NULL)
    fault_server_stop (&fixture->server);
}

/* GET cars/accounts with @token, on the fixture's server. */
static GPtrArray *
list_accounts (Fixture     *fixture,
               const char  *token,
               GError     **error)
{
  cm_test_async_clear (&fixture->async);
  cm_api_client_set_token (fixture->client, token);
  cm_api_client_list_accounts_async (fixture->client, NULL, cm_test_async_cb, &fixture->async);
  return cm_api_client_list_accounts_finish (fixture->client,
                                             cm_test_async_wait (&fixture->async), error);
}

static GError *
health_error (Fixture *fixture)
{
  GError *error = NULL;
  g_autofree char *status = NULL;

  cm_test_async_clear (&fixture->async);
  cm_api_client_get_health_async (fixture->client, NULL, cm_test_async_cb, &fixture->async);
  g_assert_false (cm_api_client_get_health_finish (fixture->client,
                                                   cm_test_async_wait (&fixture->async),
                                                   &status, NULL, &error));
  g_assert_null (status);
  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);
  g_assert_cmpstr (error->message, !=, "");
  return error;
}

/* ---- Faults ---- */

static void
test_refused (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  /* A port that was ours a moment ago, and nobody listens on now. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  uri = g_strdup_printf ("http://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  fixture->client = cm_api_client_new (uri);
  error = health_error (fixture);
  g_assert_error (error, CM_ERROR, CM_ERROR_NETWORK);
}

static void
test_dropped_mid_body (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture_start (fixture, FAULT_DROP_MID_BODY, NULL);
  error = health_error (fixture);
  g_assert_error (error, CM_ERROR, CM_ERROR_NETWORK);
}

static void
test_slow_io_timeout (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture_start (fixture, FAULT_STALL, NULL);
  cm_api_client_set_timeout (fixture->client, 1);
  error = health_error (fixture);
  g_assert_error (error, CM_ERROR, CM_ERROR_TIMEOUT);
}

static void
test_slow_request_timeout (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  /* The read timeout would not fire; the deadline for the whole request does. */
  fixture_start (fixture, FAULT_STALL, NULL);
  cm_api_client_set_timeout (fixture->client, 300);
  cm_api_client_set_request_timeout (fixture->client, 1);
  error = health_error (fixture);
  g_assert_error (error, CM_ERROR, CM_ERROR_TIMEOUT);
}

typedef struct
{
  const char *name;
  guint       status;
  const char *headers;
  const char *body;
  CmError     code;
  const char *field;
  const char *details;      /* comma-separated */
  gint64      retry_after;
} AnswerCase;

static const AnswerCase answer_cases[] = {
  { "500-error-body", 500, NULL,
    "{\"error\":{\"code\":\"internal\",\"message\":\"Something broke\"}}",
    CM_ERROR_INTERNAL, NULL, NULL, -1 },
  { "500-html", 500, NULL, "<html><body>Internal Server Error</body></html>",
    CM_ERROR_INTERNAL, NULL, NULL, -1 },
  { "502-empty", 502, NULL, "", CM_ERROR_UNAVAILABLE, NULL, NULL, -1 },
  { "malformed-json", 200, NULL, "{\"status\": \"ok\",", CM_ERROR_PROTOCOL, NULL, NULL, -1 },
  { "not-json", 200, NULL, "hello", CM_ERROR_PROTOCOL, NULL, NULL, -1 },
  { "wrong-shape", 200, NULL, "{\"status\": 5}", CM_ERROR_PROTOCOL, NULL, NULL, -1 },
  { "array-not-object", 200, NULL, "[\"ok\"]", CM_ERROR_PROTOCOL, NULL, NULL, -1 },
  { "duplicate-keys", 200, NULL, "{\"status\": \"ok\", \"status\": \"ok\"}",
    CM_ERROR_PROTOCOL, NULL, NULL, -1 },
  { "redirect", 302, "Location: http://127.0.0.1:1/elsewhere\r\n", "",
    CM_ERROR_PROTOCOL, NULL, NULL, -1 },
  { "rate-limited", 429, "Retry-After: 30\r\n",
    "{\"error\":{\"code\":\"rate_limited\",\"message\":\"Slow down\"}}",
    CM_ERROR_RATE_LIMITED, NULL, NULL, 30 },
  { "locked", 423, NULL,
    "{\"error\":{\"code\":\"account_locked\",\"message\":\"Locked\",\"retry_after\":1800}}",
    CM_ERROR_ACCOUNT_LOCKED, NULL, NULL, 1800 },
  { "weak-password", 422, NULL,
    "{\"error\":{\"code\":\"weak_password\",\"message\":\"Weak\",\"field\":\"password\","
    "\"details\":[\"too_short\",\"not_enough_categories\"]}}",
    CM_ERROR_WEAK_PASSWORD, "password", "too_short,not_enough_categories", -1 },
  { "unknown-code", 409, NULL, "{\"error\":{\"code\":\"brand_new\",\"message\":\"New\"}}",
    CM_ERROR_PROTOCOL, NULL, NULL, -1 },
  { "unknown-code-400", 400, NULL, "{\"error\":{\"code\":\"brand_new\",\"message\":\"New\"}}",
    CM_ERROR_INVALID_FIELD, NULL, NULL, -1 },
  { "401-without-body", 401, NULL, "", CM_ERROR_SESSION_EXPIRED, NULL, NULL, -1 },
};

static void
test_answer (Fixture       *fixture,
             gconstpointer  user_data)
{
  const AnswerCase *c = user_data;
  g_autoptr(GError) error = NULL;

  fixture_start (fixture, FAULT_ANSWER, http_answer (c->status, c->headers, c->body));
  error = health_error (fixture);
  g_assert_error (error, CM_ERROR, (gint) c->code);
  g_assert_cmpstr (cm_error_get_field (error), ==, c->field);
  g_assert_cmpint (cm_error_get_retry_after (error), ==, c->retry_after);
  if (c->details != NULL)
    {
      g_auto(GStrv) want = g_strsplit (c->details, ",", -1);

      g_assert_cmpuint (g_strv_length ((char **) cm_error_get_details (error)), ==,
                        g_strv_length (want));
      for (guint i = 0; want[i] != NULL; i++)
        g_assert_true (cm_error_has_detail (error, want[i]));
    }
  if (c->code == CM_ERROR_PROTOCOL)
    /* A redirect is never followed. */
    g_assert_cmpuint (fault_server_get (&fixture->server, &fixture->server.requests), ==, 1);
}

static void
test_over_cap_content_length (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *padding = g_strnfill (8192, ' ');

  body = g_strdup_printf ("{\"status\": \"ok\"}%s", padding);
  fixture_start (fixture, FAULT_ANSWER, http_answer (200, NULL, body));
  cm_api_client_set_max_response_size (fixture->client, 4096);
  error = health_error (fixture);
  g_assert_error (error, CM_ERROR, CM_ERROR_PROTOCOL);
}

static void
test_over_cap_chunked (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  /* No Content-Length to go by: the bytes that arrive are counted. */
  fixture_start (fixture, FAULT_HUGE_CHUNKED, NULL);
  cm_api_client_set_max_response_size (fixture->client, 64 * 1024);
  error = health_error (fixture);
  g_assert_error (error, CM_ERROR, CM_ERROR_PROTOCOL);
}

/* ---- Large answers: parsed on a worker thread ---- */

/* {"accounts": [...]}, @n accounts Z0000000..., @tail after the last one
 * (NULL: none): over 64 KiB from about 350 accounts. */
static char *
accounts_body (guint       n,
               const char *tail)
{
  GString *body = g_string_new ("{\"accounts\": [");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (body, "%s{\"account_type\": \"mechanic\", "
                            "\"account_number\": \"Z%07u\", \"name\": \"Garage %u\", "
                            "\"status\": \"active\", \"city\": \"Lansing\", "
                            "\"linked_at\": \"2026-01-15T12:00:00Z\"}",
                            i > 0 ? ", " : "", i, i);
  g_string_append_printf (body, "%s]}", tail != NULL ? tail : "");
  return g_string_free (body, FALSE);
}

/* 20,000 accounts (3.5 MB): the whole list, in order. */
static void
test_large_answer (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *body = accounts_body (20000, NULL);

  g_assert_cmpuint (strlen (body), >, 64 * 1024);
  fixture_start (fixture, FAULT_ANSWER, http_answer (200, NULL, body));
  accounts = list_accounts (fixture, "t", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 20000);
  g_assert_cmpstr (cm_account_get_account_number (g_ptr_array_index (accounts, 0)), ==,
                   "Z0000000");
  g_assert_cmpstr (cm_account_get_name (g_ptr_array_index (accounts, 19999)), ==,
                   "Garage 19999");
}

/* A large answer that is bad at its very end: a protocol error, as a small
 * one would be, whether the JSON or an account is wrong. */
static void
test_large_answer_bad_end (Fixture       *fixture,
                           gconstpointer  user_data)
{
  static const char *tails[] = { ", {\"account_type\": \"mechanic\"}",  /* no number */
                                 ", {\"account_type\": }" };             /* not JSON */

  for (guint i = 0; i < G_N_ELEMENTS (tails); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) accounts = NULL;
      g_autofree char *body = accounts_body (2000, tails[i]);

      fixture_start (fixture, FAULT_ANSWER, http_answer (200, NULL, body));
      accounts = list_accounts (fixture, "t", &error);
      g_assert_null (accounts);
      g_assert_error (error, CM_ERROR, CM_ERROR_PROTOCOL);
      fixture_teardown (fixture, NULL);
      memset (fixture, 0, sizeof *fixture);
    }
}

typedef struct
{
  GThread      *parsed_in;    /* the thread the parse function ran in */
  GCancellable *cancel;       /* (nullable): cancelled by the parse function */
  guint         freed;
} ParseProbe;

static ParseProbe parse_probe;

static gpointer
probe_parse (JsonNode  *root,
             GError   **error)
{
  parse_probe.parsed_in = g_thread_self ();
  if (parse_probe.cancel != NULL)
    g_cancellable_cancel (parse_probe.cancel);
  return g_strdup ("parsed");
}

static void
probe_free (gpointer result)
{
  parse_probe.freed++;
  g_free (result);
}

static gpointer
probe_call (Fixture      *fixture,
            GCancellable *cancellable,
            GError      **error)
{
  cm_api_client_request_start (fixture->client, probe_call, "GET", CM_PATH_ACCOUNTS, NULL,
                               CM_API_REQUEST_NONE, probe_parse, probe_free, cancellable,
                               cm_test_async_cb, &fixture->async);
  return cm_api_client_request_propagate (fixture->client, cm_test_async_wait (&fixture->async),
                                          probe_call, error);
}

/* Over 64 KiB the parse runs on another thread than the caller's, at most
 * 64 KiB on the caller's; a call cancelled while its answer is parsed ends
 * cancelled, and what was parsed is freed. */
static void
test_large_answer_thread (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *small = accounts_body (10, NULL);
  g_autofree char *large = accounts_body (2000, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;

  memset (&parse_probe, 0, sizeof parse_probe);
  fixture_start (fixture, FAULT_ANSWER, http_answer (200, NULL, small));
  result = probe_call (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, "parsed");
  g_assert_true (parse_probe.parsed_in == g_thread_self ());
  g_clear_pointer (&result, g_free);
  fixture_teardown (fixture, NULL);
  memset (fixture, 0, sizeof *fixture);

  fixture_start (fixture, FAULT_ANSWER, http_answer (200, NULL, large));
  result = probe_call (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, "parsed");
  g_assert_nonnull (parse_probe.parsed_in);
  g_assert_true (parse_probe.parsed_in != g_thread_self ());
  fixture_teardown (fixture, NULL);
  memset (fixture, 0, sizeof *fixture);

  parse_probe.cancel = cancellable;
  fixture_start (fixture, FAULT_ANSWER, http_answer (200, NULL, large));
  g_assert_null (probe_call (fixture, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (parse_probe.freed, ==, 1);
  parse_probe.cancel = NULL;
}

static void
test_deeply_nested (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) body = g_string_new ("{\"status\": ");

  /* json-glib 1.6 has no depth limit of its own; this would overflow its stack. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (body, ']');
  g_string_append_c (body, '}');

  fixture_start (fixture, FAULT_ANSWER, http_answer (200, NULL, body->str));
  error = health_error (fixture);
  g_assert_error (error, CM_ERROR, CM_ERROR_PROTOCOL);
}

static void
test_deeply_nested_error_body (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) body = g_string_new (NULL);

  for (guint i = 0; i < 100000; i++)
    g_string_append (body, "{\"error\":");
  fixture_start (fixture, FAULT_ANSWER, http_answer (400, NULL, body->str));
  error = health_error (fixture);
  /* Unreadable body: the status decides. */
  g_assert_error (error, CM_ERROR, CM_ERROR_INVALID_FIELD);
}

static void
test_get_retried_after_connection_failure (Fixture       *fixture,
                                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *version = NULL;

  fixture_start (fixture, FAULT_CLOSE_FIRST,
                 http_answer (200, NULL, "{\"status\": \"ok\", \"version\": \"9\"}"));
  cm_api_client_get_health_async (fixture->client, NULL, cm_test_async_cb, &fixture->async);
  g_assert_true (cm_api_client_get_health_finish (fixture->client,
                                                  cm_test_async_wait (&fixture->async),
                                                  &status, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (status, ==, "ok");
  g_assert_cmpstr (version, ==, "9");
  g_assert_cmpuint (fault_server_get (&fixture->server, &fixture->server.connections), ==, 2);
}

static void
test_post_never_repeated (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmSignInResult) result = NULL;

  fixture_start (fixture, FAULT_CLOSE_FIRST,
                 http_answer (201, NULL, "{\"token\": \"t\", \"expires_at\": "
                              "\"2030-01-01T00:00:00Z\", \"user\": {\"user_id\": \"u\"}}"));
  cm_api_client_sign_in_async (fixture->client, "smithj9999", "Secret#123", FALSE, NULL,
                               cm_test_async_cb, &fixture->async);
  result = cm_api_client_sign_in_finish (fixture->client, cm_test_async_wait (&fixture->async),
                                         &error);
  g_assert_null (result);
  g_assert_error (error, CM_ERROR, CM_ERROR_NETWORK);
  g_assert_cmpuint (fault_server_get (&fixture->server, &fixture->server.connections), ==, 1);
  g_assert_cmpuint (fault_server_get (&fixture->server, &fixture->server.requests), ==, 0);
}

static void
test_headers (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *request = NULL;

  fixture_start (fixture, FAULT_ANSWER, http_answer (200, NULL, "{\"accounts\": []}"));
  accounts = list_accounts (fixture, "tok-en_123", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);

  g_mutex_lock (&fixture->server.lock);
  request = g_strdup (fixture->server.last_request->str);
  g_mutex_unlock (&fixture->server.lock);
  g_assert_true (g_str_has_prefix (request, "GET " CM_PATH_ACCOUNTS " HTTP/1.1\r\n"));
  g_assert_nonnull (strstr (request, "\r\nAuthorization: Bearer tok-en_123\r\n"));
  g_assert_nonnull (strstr (request, "\r\nUser-Agent: " PACKAGE_NAME "/" PACKAGE_VERSION "\r\n"));
  /* Only in the header. */
  g_assert_null (strstr (request, "tok-en_123 HTTP"));
}

static void
test_accept_language_sent (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autofree char *status = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *line = NULL;
  g_autofree char *old_language = g_strdup (g_getenv ("LANGUAGE"));

  /* The client reads the languages when it is made, so set them before the fixture;
   * no thread of this test runs yet. */
  g_setenv ("LANGUAGE", "es_MX:es:en", TRUE);
  expected = cm_api_client_build_accept_language (g_get_language_names ());
  g_assert_nonnull (expected);
  g_assert_true (g_str_has_prefix (expected, "es-MX, es;q=0.9, en;q=0.8"));

  fixture_start (fixture, FAULT_ANSWER, http_answer (200, NULL, "{\"status\": \"ok\"}"));
  cm_api_client_get_health_async (fixture->client, NULL, cm_test_async_cb, &fixture->async);
  g_assert_true (cm_api_client_get_health_finish (fixture->client,
                                                  cm_test_async_wait (&fixture->async),
                                                  &status, NULL, &error));
  g_assert_no_error (error);
  if (old_language != NULL)
    g_setenv ("LANGUAGE", old_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");

  g_mutex_lock (&fixture->server.lock);
  request = g_strdup (fixture->server.last_request->str);
  g_mutex_unlock (&fixture->server.lock);
  line = g_strdup_printf ("\r\nAccept-Language: %s\r\n", expected);
  g_assert_nonnull (strstr (request, line));
}

typedef struct
{
  const char *names;     /* ':'-separated, as in LANGUAGE */
  const char *expected;  /* NULL: no header */
} AcceptLanguageCase;

static const AcceptLanguageCase accept_language_cases[] = {
  { "es_MX.UTF-8:es_MX:es.UTF-8:es:C", "es-MX, es;q=0.9" },
  { "es_MX:es:en:C", "es-MX, es;q=0.9, en;q=0.8" },
  { "ar_EG.UTF-8@latin:ar_EG:ar:C", "ar-EG, ar;q=0.9" },
  { "sr_RS@latin:sr:POSIX", "sr-RS, sr;q=0.9" },
  { "C", NULL },
  { "C.UTF-8:C:POSIX", NULL },
  { "", NULL },
  /* At most four, each once. */
  { "de_AT:de:de:fr:it:en:C", "de-AT, de;q=0.9, fr;q=0.8, it;q=0.7" },
  /* Nothing that could break the header line. */
  { "es\r\nX-Evil: 1:en:C", "en" },
  { "1a:en", "en" },
};

static void
test_accept_language_build (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (accept_language_cases); i++)
    {
      const AcceptLanguageCase *c = &accept_language_cases[i];
      g_auto(GStrv) names = g_strsplit (c->names, ":", -1);
      g_autofree char *value = NULL;

      value = cm_api_client_build_accept_language ((const char * const *) names);
      g_test_message ("%s -> %s", c->names, value ? value : "(none)");
      g_assert_cmpstr (value, ==, c->expected);
    }
}

static void
test_no_token_on_anonymous_calls (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autofree char *status = NULL;

  fixture_start (fixture, FAULT_ANSWER, http_answer (200, NULL, "{\"status\": \"ok\"}"));
  cm_api_client_set_token (fixture->client, "tok-en_123");
  cm_api_client_get_health_async (fixture->client, NULL, cm_test_async_cb, &fixture->async);
  g_assert_true (cm_api_client_get_health_finish (fixture->client,
                                                  cm_test_async_wait (&fixture->async),
                                                  &status, NULL, &error));
  g_assert_no_error (error);

  g_mutex_lock (&fixture->server.lock);
  request = g_strdup (fixture->server.last_request->str);
  g_mutex_unlock (&fixture->server.lock);
  g_assert_null (strstr (request, "tok-en_123"));
}

static void
on_session_expired_cb (CmApiClient *client,
                       guint       *count)
{
  (*count)++;
}

static void
test_session_expired_signal (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  guint count = 0;

  fixture_start (fixture, FAULT_ANSWER,
                 http_answer (401, NULL, "{\"error\":{\"code\":\"session_expired\","
                              "\"message\":\"Expired\"}}"));
  g_signal_connect (fixture->client, "session-expired", G_CALLBACK (on_session_expired_cb),
                    &count);
  accounts = list_accounts (fixture, "t", &error);
  g_assert_error (error, CM_ERROR, CM_ERROR_SESSION_EXPIRED);
  g_assert_cmpuint (count, ==, 1);
}

/* ---- Addresses ---- */

static void
test_check_uri (void)
{
  static const struct
  {
    const char *uri;
    gboolean    ok;
  } cases[] = {
    { "https://cars.example.org/", TRUE },
    { "https://cars.example.org:8443/prefix/", TRUE },
    { "HTTPS://cars.example.org", TRUE },
    { "http://127.0.0.1:8080/", TRUE },
    { "http://127.4.5.6/", TRUE },
    { "http://[::1]:8080/", TRUE },
    { "http://localhost:8080/", TRUE },
    { "http://cars.example.org/", FALSE },
    { "http://10.0.0.1/", FALSE },
    { "http://[::2]/", FALSE },
    { "http://localhost.example.org/", FALSE },
    { "http://128.0.0.1/", FALSE },
    { "ftp://cars.example.org/", FALSE },
    { "https://user:secret@cars.example.org/", FALSE },
    { "cars.example.org", FALSE },
    { "", FALSE },
    { NULL, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = cm_api_client_check_uri (cases[i].uri, &error);

      g_test_message ("%s: %s", cases[i].uri, error != NULL ? error->message : "ok");
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        g_assert_error (error, CM_ERROR, CM_ERROR_INSECURE_URL);
      else
        g_assert_no_error (error);
    }
}

static void
test_insecure_refused_before_connecting (Fixture       *fixture,
                                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  /* 192.0.2.0/24 is TEST-NET-1: a connection attempt would time out, not be refused at once. */
  fixture->client = cm_api_client_new ("http://192.0.2.1/");
  cm_api_client_set_timeout (fixture->client, 60);
  cm_api_client_set_request_timeout (fixture->client, 0);
  error = health_error (fixture);
  g_assert_error (error, CM_ERROR, CM_ERROR_INSECURE_URL);
}

/* ---- TLS ---- */

typedef struct
{
  char        *dir;
  char        *cert_file;
  SoupServer      *server;
  GSocketService  *service;
  GTlsCertificate *certificate;
  CmApiClient     *client;
  CmTestAsync        async;
} TlsFixture;

static void
tls_health_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  const char *body = "{\"status\": \"ok\", \"version\": \"tls\"}";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, CM_CONTENT_TYPE_JSON, SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

/* The connections are accepted here and handed to libsoup, as CmServer does: libsoup 3.2's
 * own listener leaks the GSocket of every connection it accepts. */
static gboolean
tls_incoming_cb (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source,
                 gpointer           user_data)
{
  TlsFixture *fixture = user_data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (local);
  g_assert_nonnull (remote);
  tls = G_IO_STREAM (g_tls_server_connection_new (G_IO_STREAM (connection),
                                                  fixture->certificate, &error));
  g_assert_no_error (error);
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);
  soup_server_accept_iostream (fixture->server, tls, local, remote, &error);
  g_assert_no_error (error);
  return TRUE;
}

static void
tls_setup (TlsFixture    *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *uri = NULL;
  int status = 0;
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
    "-keyout", NULL, "-out", NULL, NULL
  };

  fixture->dir = cm_test_make_tmp_dir ("cm-tls-XXXXXX");
  key_file = g_build_filename (fixture->dir, "key.pem", NULL);
  fixture->cert_file = g_build_filename (fixture->dir, "cert.pem", NULL);
  argv[13] = key_file;
  argv[15] = fixture->cert_file;

  g_spawn_sync (NULL, (char **) argv, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  fixture->certificate = g_tls_certificate_new_from_files (fixture->cert_file, key_file, &error);
  g_assert_no_error (error);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, CM_PATH_HEALTH, tls_health_cb, NULL, NULL);
  fixture->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (fixture->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &effective,
                                 &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->service, "incoming", G_CALLBACK (tls_incoming_cb), fixture);
  g_socket_service_start (fixture->service);

  uri = g_strdup_printf ("https://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  fixture->client = cm_api_client_new (uri);
}

static void
tls_teardown (TlsFixture    *fixture,
              gconstpointer  user_data)
{
  cm_test_async_clear (&fixture->async);
  g_clear_object (&fixture->client);
  g_socket_service_stop (fixture->service);
  g_socket_listener_close (G_SOCKET_LISTENER (fixture->service));
  g_clear_object (&fixture->service);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->certificate);
  cm_test_flush_main_context ();

  cm_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->cert_file);
}

static gboolean
tls_health (TlsFixture  *fixture,
            GError     **error)
{
  g_autofree char *version = NULL;
  gboolean ok;

  cm_test_async_clear (&fixture->async);
  cm_api_client_get_health_async (fixture->client, NULL, cm_test_async_cb, &fixture->async);
  ok = cm_api_client_get_health_finish (fixture->client, cm_test_async_wait (&fixture->async),
                                        NULL, &version, error);
  if (ok)
    g_assert_cmpstr (version, ==, "tls");
  return ok;
}

static void
test_tls_untrusted (TlsFixture    *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (tls_health (fixture, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, CM_ERROR, CM_ERROR_TLS);
}

static void
test_tls_with_ca_file (TlsFixture    *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_object_set (fixture->client, "ca-file", fixture->cert_file, NULL);
  g_assert_true (tls_health (fixture, &error));
  g_assert_no_error (error);

  /* Back to the system's authorities: refused again on a new connection (an open one
   * stays trusted until it idles out, so take a fresh client). */
  cm_api_client_set_ca_file (fixture->client, "");
  g_assert_null (cm_api_client_get_ca_file (fixture->client));
  {
    g_autofree char *uri = g_strdup (cm_api_client_get_base_uri (fixture->client));

    g_clear_object (&fixture->client);
    fixture->client = g_object_new (CM_TYPE_API_CLIENT, "base-uri", uri, "ca-file", NULL, NULL);
  }
  g_assert_false (tls_health (fixture, &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_TLS);
}

static void
test_tls_unreadable_ca_file (TlsFixture    *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.pem", NULL);

  cm_api_client_set_ca_file (fixture->client, missing);
  g_assert_false (tls_health (fixture, &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_TLS);
}

/* ---- Cancellation ---- */

typedef void     (*StartFunc)  (CmApiClient *, GCancellable *, GAsyncReadyCallback, gpointer);
typedef gboolean (*FinishFunc) (CmApiClient *, GAsyncResult *, GError **);

typedef struct
{
  const char *name;
  StartFunc   start;
  FinishFunc  finish;
} CallCase;

#define FINISH_POINTER(name, call, free_func)                                     \
  static gboolean                                                                 \
  name (CmApiClient *client, GAsyncResult *result, GError **error)                \
  {                                                                               \
    gpointer value = call (client, result, error);                                \
    if (value != NULL)                                                            \
      free_func (value);                                                          \
    return value != NULL;                                                         \
  }

FINISH_POINTER (finish_challenge, cm_api_client_get_challenge_finish, cm_challenge_free)
FINISH_POINTER (finish_create_user, cm_api_client_create_user_finish, g_free)
FINISH_POINTER (finish_sign_in, cm_api_client_sign_in_finish, cm_sign_in_result_free)
FINISH_POINTER (finish_current, cm_api_client_get_current_session_finish, cm_sign_in_result_free)
FINISH_POINTER (finish_types, cm_api_client_get_account_types_finish, g_ptr_array_unref)
FINISH_POINTER (finish_lookup, cm_api_client_lookup_account_finish, cm_lookup_result_free)
FINISH_POINTER (finish_request, cm_api_client_request_access_finish,
                cm_access_request_result_free)
FINISH_POINTER (finish_access, cm_api_client_add_account_access_finish, g_object_unref)
FINISH_POINTER (finish_accounts, cm_api_client_list_accounts_finish, g_ptr_array_unref)

static gboolean
finish_health (CmApiClient *client, GAsyncResult *result, GError **error)
{
  return cm_api_client_get_health_finish (client, result, NULL, NULL, error);
}

static gboolean
finish_user_id (CmApiClient *client, GAsyncResult *result, GError **error)
{
  return cm_api_client_check_user_id_finish (client, result, NULL, error);
}

static void
start_user_id (CmApiClient *c, GCancellable *x, GAsyncReadyCallback cb, gpointer d)
{
  cm_api_client_check_user_id_async (c, "smithj9999", x, cb, d);
}

static void
start_create_user (CmApiClient *c, GCancellable *x, GAsyncReadyCallback cb, gpointer d)
{
  g_autoptr(CmSignUpRequest) request = cm_sign_up_request_new ();

  request->last_name = g_strdup ("Smith");
  request->password = g_strdup ("Secret#123");
  cm_api_client_create_user_async (c, request, x, cb, d);
}

static void
start_sign_in (CmApiClient *c, GCancellable *x, GAsyncReadyCallback cb, gpointer d)
{
  cm_api_client_sign_in_async (c, "smithj9999", "Secret#123", TRUE, x, cb, d);
}

static void
start_change_password (CmApiClient *c, GCancellable *x, GAsyncReadyCallback cb, gpointer d)
{
  cm_api_client_change_password_async (c, "Secret#123", "Secret#456", "Secret#456", x, cb, d);
}

static void
start_reset (CmApiClient *c, GCancellable *x, GAsyncReadyCallback cb, gpointer d)
{
  cm_api_client_request_password_reset_async (c, "smithj9999", CM_RESET_METHOD_EMAIL, x, cb, d);
}

static void
start_reset_confirm (CmApiClient *c, GCancellable *x, GAsyncReadyCallback cb, gpointer d)
{
  cm_api_client_confirm_password_reset_async (c, "smithj9999", "123456", "Secret#456",
                                              "Secret#456", x, cb, d);
}

static void
start_lookup (CmApiClient *c, GCancellable *x, GAsyncReadyCallback cb, gpointer d)
{
  cm_api_client_lookup_account_async (c, CM_ACCOUNT_TYPE_MECHANIC, "Z123456", "48909", x, cb, d);
}

static void
start_request (CmApiClient *c, GCancellable *x, GAsyncReadyCallback cb, gpointer d)
{
  cm_api_client_request_access_async (c, CM_ACCOUNT_TYPE_MECHANIC, "Z123456", "48909",
                                      CM_DELIVERY_EMAIL, x, cb, d);
}

static void
start_access (CmApiClient *c, GCancellable *x, GAsyncReadyCallback cb, gpointer d)
{
  cm_api_client_add_account_access_async (c, "ABCD-EFGH-JKMN", CM_ACCOUNT_TYPE_MECHANIC,
                                          "Z123456", "48909", NULL, TRUE, x, cb,
                                          d);
}

static void
start_remove (CmApiClient *c, GCancellable *x, GAsyncReadyCallback cb, gpointer d)
{
  cm_api_client_remove_account_async (c, CM_ACCOUNT_TYPE_MECHANIC, "Z123456", x, cb, d);
}

static const CallCase call_cases[] = {
  { "health", cm_api_client_get_health_async, finish_health },
  { "challenge", cm_api_client_get_challenge_async, finish_challenge },
  { "check-user-id", start_user_id, finish_user_id },
  { "create-user", start_create_user, finish_create_user },
  { "sign-in", start_sign_in, finish_sign_in },
  { "current-session", cm_api_client_get_current_session_async, finish_current },
  { "sign-out", cm_api_client_sign_out_async, cm_api_client_sign_out_finish },
  { "change-password", start_change_password, cm_api_client_change_password_finish },
  { "password-reset", start_reset, cm_api_client_request_password_reset_finish },
  { "password-reset-confirm", start_reset_confirm,
    cm_api_client_confirm_password_reset_finish },
  { "account-types", cm_api_client_get_account_types_async, finish_types },
  { "lookup", start_lookup, finish_lookup },
  { "access-request", start_request, finish_request },
  { "account-access", start_access, finish_access },
  { "accounts", cm_api_client_list_accounts_async, finish_accounts },
  { "remove-account", start_remove, cm_api_client_remove_account_finish },
};

typedef struct
{
  const CallCase *call;
  gboolean        client_gone;
  gboolean        callback_ran;
  gboolean        callback_after_gone;
  GError         *error;
} CancelState;

static void
client_gone_cb (gpointer  user_data,
                GObject  *where_the_object_was)
{
  CancelState *state = user_data;

  state->client_gone = TRUE;
}

static void
cancel_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CancelState *state = user_data;

  g_assert_false (state->callback_ran);
  state->callback_ran = TRUE;
  state->callback_after_gone = state->client_gone;
  g_assert_false (state->call->finish (CM_API_CLIENT (object), result, &state->error));
}

static void
run_cancel_case (Fixture        *fixture,
                 const CallCase *call,
                 gboolean        drop_ref_first,
                 gboolean        cancel_later)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CancelState state = { call, FALSE, FALSE, FALSE, NULL };
  CmApiClient *client = cm_api_client_new (fixture->server.base_uri);

  cm_api_client_set_token (client, "t");
  g_object_weak_ref (G_OBJECT (client), client_gone_cb, &state);
  call->start (client, cancellable, cancel_cb, &state);

  if (drop_ref_first)
    g_object_unref (client);
  if (cancel_later)
    /* Let the request reach the server first. */
    for (guint i = 0; i < 5; i++)
      g_main_context_iteration (NULL, FALSE);
  g_cancellable_cancel (cancellable);
  if (!drop_ref_first)
    g_object_unref (client);

  cm_test_wait_for (&state.callback_ran);
  g_assert_false (state.callback_after_gone);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&state.error);

  /* The client goes once its last call is over, and no callback follows. */
  cm_test_flush_main_context ();
  g_assert_true (state.client_gone);
}

static void
test_cancel_every_call (Fixture       *fixture,
                        gconstpointer  user_data)
{
  fixture_start (fixture, FAULT_STALL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (call_cases); i++)
    {
      g_test_message ("%s", call_cases[i].name);
      run_cancel_case (fixture, &call_cases[i], FALSE, FALSE);
      run_cancel_case (fixture, &call_cases[i], TRUE, FALSE);
      run_cancel_case (fixture, &call_cases[i], FALSE, TRUE);
      run_cancel_case (fixture, &call_cases[i], TRUE, TRUE);
    }
}

static void
test_cancel_during_retry_wait (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *uri = NULL;
  CancelState state = { &call_cases[0], FALSE, FALSE, FALSE, NULL };

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  uri = g_strdup_printf ("http://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  fixture->client = cm_api_client_new (uri);
  g_object_weak_ref (G_OBJECT (fixture->client), client_gone_cb, &state);
  cm_api_client_get_health_async (fixture->client, cancellable, cancel_cb, &state);
  g_clear_object (&fixture->client);

  /* Refused at once; the client then waits before the retry. Cancel in that wait. */
  while (!state.callback_ran && g_main_context_iteration (NULL, FALSE))
    ;
  g_cancellable_cancel (cancellable);
  cm_test_wait_for (&state.callback_ran);
  g_assert_false (state.callback_after_gone);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&state.error);
  cm_test_flush_main_context ();
  g_assert_true (state.client_gone);
}

/* Session calls, cancelled, with the session dropped at once. */

typedef void     (*SessionStart)  (CmSession *, GCancellable *, GAsyncReadyCallback, gpointer);
typedef gboolean (*SessionFinish) (CmSession *, GAsyncResult *, GError **);

static void
session_start_sign_in (CmSession *s, GCancellable *x, GAsyncReadyCallback cb, gpointer d)
{
  cm_session_sign_in_async (s, "smithj9999", "Secret#123", TRUE, x, cb, d);
}

static void
session_start_link (CmSession *s, GCancellable *x, GAsyncReadyCallback cb, gpointer d)
{
  cm_session_link_account_async (s, "ABCD-EFGH-JKMN", CM_ACCOUNT_TYPE_MECHANIC, "Z123456",
                                 "48909", NULL, TRUE, x, cb, d);
}

static gboolean
session_finish_link (CmSession *s, GAsyncResult *r, GError **e)
{
  g_autoptr(CmAccount) account = cm_session_link_account_finish (s, r, e);

  return account != NULL;
}

static void
session_start_unlink (CmSession *s, GCancellable *x, GAsyncReadyCallback cb, gpointer d)
{
  cm_session_unlink_account_async (s, CM_ACCOUNT_TYPE_MECHANIC, "Z123456", x, cb, d);
}

static const struct
{
  const char    *name;
  SessionStart   start;
  SessionFinish  finish;
} session_cases[] = {
  { "sign-in", session_start_sign_in, cm_session_sign_in_finish },
  { "refresh", cm_session_refresh_async, cm_session_refresh_finish },
  { "refresh-accounts", cm_session_refresh_accounts_async, cm_session_refresh_accounts_finish },
  { "link", session_start_link, session_finish_link },
  { "unlink", session_start_unlink, cm_session_unlink_account_finish },
  { "sign-out", cm_session_sign_out_async, cm_session_sign_out_finish },
};

typedef struct
{
  SessionFinish finish;
  gboolean      session_gone;
  gboolean      callback_ran;
  gboolean      callback_after_gone;
  GError       *error;
} SessionCancelState;

static void
session_gone_cb (gpointer  user_data,
                 GObject  *where_the_object_was)
{
  SessionCancelState *state = user_data;

  state->session_gone = TRUE;
}

static void
session_cancel_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SessionCancelState *state = user_data;

  g_assert_false (state->callback_ran);
  state->callback_ran = TRUE;
  state->callback_after_gone = state->session_gone;
  g_assert_false (state->finish (CM_SESSION (object), result, &state->error));
}

static void
test_cancel_session_calls (Fixture       *fixture,
                           gconstpointer  user_data)
{
  fixture_start (fixture, FAULT_STALL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (session_cases); i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(CmCredentialStore) store =
        cm_credential_store_new_for_backend (CM_CREDENTIAL_BACKEND_MEMORY);
      g_autoptr(CmApiClient) client = cm_api_client_new (fixture->server.base_uri);
      SessionCancelState state = { session_cases[i].finish, FALSE, FALSE, FALSE, NULL };
      CmSession *session = cm_session_new (client, store);

      g_test_message ("%s", session_cases[i].name);
      cm_api_client_set_token (client, "t");
      g_object_weak_ref (G_OBJECT (session), session_gone_cb, &state);
      session_cases[i].start (session, cancellable, session_cancel_cb, &state);
      g_object_unref (session);
      g_cancellable_cancel (cancellable);

      cm_test_wait_for (&state.callback_ran);
      g_assert_false (state.callback_after_gone);
      g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&state.error);
      cm_test_flush_main_context ();
      g_assert_true (state.session_gone);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/api-client/fault/refused", Fixture, NULL, NULL, test_refused,
              fixture_teardown);
  g_test_add ("/api-client/fault/dropped-mid-body", Fixture, NULL, NULL,
              test_dropped_mid_body, fixture_teardown);
  g_test_add ("/api-client/fault/slow/io-timeout", Fixture, NULL, NULL, test_slow_io_timeout,
              fixture_teardown);
  g_test_add ("/api-client/fault/slow/request-timeout", Fixture, NULL, NULL,
              test_slow_request_timeout, fixture_teardown);
  for (gsize i = 0; i < G_N_ELEMENTS (answer_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api-client/fault/answer/%s",
                                               answer_cases[i].name);

      g_test_add (path, Fixture, &answer_cases[i], NULL, test_answer, fixture_teardown);
    }
  g_test_add ("/api-client/fault/over-cap/content-length", Fixture, NULL, NULL,
              test_over_cap_content_length, fixture_teardown);
  g_test_add ("/api-client/fault/over-cap/chunked", Fixture, NULL, NULL,
              test_over_cap_chunked, fixture_teardown);
  g_test_add ("/api-client/large-answer/parsed", Fixture, NULL, NULL, test_large_answer,
              fixture_teardown);
  g_test_add ("/api-client/large-answer/bad-end", Fixture, NULL, NULL,
              test_large_answer_bad_end, fixture_teardown);
  g_test_add ("/api-client/large-answer/worker-thread", Fixture, NULL, NULL,
              test_large_answer_thread, fixture_teardown);
  g_test_add ("/api-client/fault/deeply-nested", Fixture, NULL, NULL, test_deeply_nested,
              fixture_teardown);
  g_test_add ("/api-client/fault/deeply-nested-error", Fixture, NULL, NULL,
              test_deeply_nested_error_body, fixture_teardown);
  g_test_add ("/api-client/retry/get-after-connection-failure", Fixture, NULL, NULL,
              test_get_retried_after_connection_failure, fixture_teardown);
  g_test_add ("/api-client/retry/post-never-repeated", Fixture, NULL, NULL,
              test_post_never_repeated, fixture_teardown);
  g_test_add ("/api-client/headers/bearer-and-user-agent", Fixture, NULL, NULL, test_headers,
              fixture_teardown);
  g_test_add ("/api-client/headers/no-token-on-anonymous-calls", Fixture, NULL, NULL,
              test_no_token_on_anonymous_calls, fixture_teardown);
  g_test_add ("/api-client/session-expired-signal", Fixture, NULL, NULL,
              test_session_expired_signal, fixture_teardown);
  g_test_add ("/api-client/headers/accept-language", Fixture, NULL, NULL,
              test_accept_language_sent, fixture_teardown);
  g_test_add_func ("/api-client/accept-language/build", test_accept_language_build);
  g_test_add_func ("/api-client/uri/check", test_check_uri);
  g_test_add ("/api-client/uri/insecure-refused-before-connecting", Fixture, NULL, NULL,
              test_insecure_refused_before_connecting, fixture_teardown);
  g_test_add ("/api-client/tls/untrusted", TlsFixture, NULL, tls_setup, test_tls_untrusted,
              tls_teardown);
  g_test_add ("/api-client/tls/ca-file", TlsFixture, NULL, tls_setup, test_tls_with_ca_file,
              tls_teardown);
  g_test_add ("/api-client/tls/unreadable-ca-file", TlsFixture, NULL, tls_setup,
              test_tls_unreadable_ca_file, tls_teardown);
  g_test_add ("/api-client/cancel/every-call", Fixture, NULL, NULL, test_cancel_every_call,
              fixture_teardown);
  g_test_add ("/api-client/cancel/during-retry-wait", Fixture, NULL, NULL,
              test_cancel_during_retry_wait, fixture_teardown);
  g_test_add ("/api-client/cancel/session-calls", Fixture, NULL, NULL,
              test_cancel_session_calls, fixture_teardown);

  return g_test_run ();
}
