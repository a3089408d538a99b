/* fuzz-server-request.c: the back-end's request handling, from a method, a path and a body
 * to an answer, against a temporary database.
 *
 * LLVMFuzzerInitialize starts one CmServer on 127.0.0.1 (its own thread, the demo registry,
 * no rate limit, the cheapest hash) and signs a user up and in. Each input then becomes one
 * HTTP/1.1 request on a plain socket, so the path and the headers reach libsoup and the
 * router exactly as sent:
 *
 *   byte 0     method (bits 0-2), send the session token (bit 3), a wrong content type
 *              (bit 4), a forged token (bit 5)
 *   then       the path up to the first newline ("/..." as is, anything else under
 *              /api/v1/); bytes outside printable ASCII are percent-encoded
 *   the rest   the body
 *
 * Every answer must be well formed: a known status (never 500), the two security headers,
 * a JSON body of the error shape for every error, with a code that maps to that status, and
 * never the user's password. When an input signs the user out or changes the password, a
 * new user is signed up so later inputs still reach the signed-in handlers.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-fuzz"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "cm-error.h"
#include "cm-error-private.h"
#include "cm-json.h"
#include "cm-protocol.h"
#include "cm-server.h"
#include "cm-test-util.h"
#include "fuzz-common.h"

#define FUZZ_PASSWORD "Fuzz-Tr4ffic!"
/* Generous: a sign-up hashes a password. A hang past this is a finding. */
#define FUZZ_SOCKET_TIMEOUT_SECONDS 20

static CmServer *server;
static char *work_dir;
static guint16 port;
static char *token;
static guint user_counter;

typedef struct
{
  guint       status;
  char       *headers;  /* the raw header block, lower-cased */
  GByteArray *body;
} Answer;

/* The server's last debug lines (its own thread writes them), shown when an answer is
 * missing: why it closed a connection ("Refusing a connection: 64 already from ...") is
 * there and nowhere else. */
#define SERVER_LOG_LINES 32
static GMutex server_log_lock;
static char *server_log[SERVER_LOG_LINES];
static guint server_log_next;

static void
server_log_handler (const char     *domain,
                    GLogLevelFlags  level,
                    const char     *message,
                    gpointer        user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    fuzz_log_handler (domain, level, message, NULL);
  g_mutex_lock (&server_log_lock);
  g_free (server_log[server_log_next % SERVER_LOG_LINES]);
  server_log[server_log_next++ % SERVER_LOG_LINES] = g_strdup_printf ("%s: %s", domain, message);
  g_mutex_unlock (&server_log_lock);
}

static void
print_server_log (void)
{
  g_mutex_lock (&server_log_lock);
  for (guint i = 0; i < SERVER_LOG_LINES; i++)
    {
      const char *line = server_log[(server_log_next + i) % SERVER_LOG_LINES];

      if (line != NULL)
        g_printerr ("  server log: %s\n", line);
    }
  g_mutex_unlock (&server_log_lock);
}

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->headers, g_free);
  g_clear_pointer (&answer->body, g_byte_array_unref);
}

static int
connect_server (void)
{
  struct sockaddr_in address = { 0, };
  struct timeval timeout = { FUZZ_SOCKET_TIMEOUT_SECONDS, 0 };
  /* Closing with a reset leaves no TIME_WAIT behind: a million connections in a few
   * minutes would otherwise use up the loopback's ephemeral ports. */
  struct linger linger = { 1, 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  FUZZ_CHECK (fd >= 0);
  setsockopt (fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  address.sin_family = AF_INET;
  address.sin_port = htons (port);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  /* libFuzzer's timer signal may interrupt connect(); it then goes on in the background. */
  if (connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    {
      struct pollfd pfd = { fd, POLLOUT, 0 };
      int result = errno;
      socklen_t length = sizeof result;

      while (result == EINTR && poll (&pfd, 1, FUZZ_SOCKET_TIMEOUT_SECONDS * 1000) < 0 &&
             errno == EINTR)
        ;
      if (result == EINTR && getsockopt (fd, SOL_SOCKET, SO_ERROR, &result, &length) != 0)
        result = errno;
      if (result != 0)
        {
          g_printerr ("cannot connect to the server: %s\n", g_strerror (result));
          abort ();
        }
    }
  return fd;
}

/* Sends a whole request; the server may hang up early (413), so a short write is fine. */
static void
send_all (int          fd,
          const char  *data,
          gsize        length)
{
  while (length > 0)
    {
      ssize_t n = send (fd, data, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      data += n;
      length -= n;
    }
}

/* A chunked body decoded in place; FALSE when it is not valid chunked encoding. */
static gboolean
dechunk (GByteArray *body)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize pos = 0;

  for (;;)
    {
      char *line_end;
      guint64 size;

      line_end = g_strstr_len ((char *) body->data + pos, body->len - pos, "\r\n");
      if (line_end == NULL)
        return FALSE;
      size = g_ascii_strtoull ((char *) body->data + pos, NULL, 16);
      pos = (guint8 *) line_end - body->data + 2;
      if (size == 0)
        break;
      if (size > body->len - pos)
        return FALSE;
      g_byte_array_append (out, body->data + pos, size);
      pos += size + 2;
      if (pos > body->len)
        return FALSE;
    }
  g_byte_array_set_size (body, 0);
  g_byte_array_append (body, out->data, out->len);
  return TRUE;
}

static void
http (const char   *method,
      const char   *path,
      const char   *extra_headers,
      const char   *body,
      gsize         body_length,
      Answer       *answer)
{
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  char buffer[16384];
  const char *header_end;
  int recv_error = 0;
  int fd;

  g_string_append_printf (request, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                          "Connection: close\r\n%s", method, path, port, extra_headers);
  if (body != NULL)
    g_string_append_printf (request, "Content-Length: %" G_GSIZE_FORMAT "\r\n", body_length);
  g_string_append (request, "\r\n");
  if (body != NULL)
    g_string_append_len (request, body, body_length);

  fd = connect_server ();
  send_all (fd, request->str, request->len);
  for (;;)
    {
      ssize_t n = recv (fd, buffer, sizeof buffer, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
          g_printerr ("no answer within %d s to %s %s\n", FUZZ_SOCKET_TIMEOUT_SECONDS,
                      method, path);
          abort ();
        }
      if (n < 0)
        recv_error = errno;
      if (n <= 0)
        break;
      g_byte_array_append (raw, (guint8 *) buffer, n);
    }
  close (fd);

  /* "HTTP/1.1 NNN reason\r\n" then headers, a blank line and the body. Say what was
   * sent and what came back first: a connection closed without an answer depends on
   * timing, and the reproducer alone may not show it again. */
  if (raw->len < 12 || memcmp (raw->data, "HTTP/1.1 ", 9) != 0)
    {
      /* raw->data is NULL when nothing came back at all. */
      g_autofree char *text = raw->len > 0 ? g_strndup ((const char *) raw->data,
                                                        MIN (raw->len, 200)) : g_strdup ("");
      g_autofree char *shown = g_strescape (text, NULL);

      g_printerr ("no HTTP answer to %s %s (%" G_GSIZE_FORMAT " body bytes): %u bytes back "
                  "(%s): \"%s\"\n", method, path, body_length, raw->len,
                  recv_error != 0 ? g_strerror (recv_error) : "closed", shown);
      print_server_log ();
    }
  FUZZ_CHECK (raw->len >= 12 && memcmp (raw->data, "HTTP/1.1 ", 9) == 0);
  answer->status = (raw->data[9] - '0') * 100 + (raw->data[10] - '0') * 10 + (raw->data[11] - '0');
  header_end = g_strstr_len ((char *) raw->data, raw->len, "\r\n\r\n");
  FUZZ_CHECK (header_end != NULL);
  answer->headers = g_ascii_strdown ((char *) raw->data, header_end - (char *) raw->data + 2);
  answer->body = g_byte_array_new ();
  g_byte_array_append (answer->body, (guint8 *) header_end + 4,
                       raw->len - (header_end + 4 - (char *) raw->data));
  if (strstr (answer->headers, "\r\ntransfer-encoding: chunked\r\n") != NULL)
    FUZZ_CHECK (dechunk (answer->body));
}

static JsonObject *
answer_object (Answer *answer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = cm_json_parse ((char *) answer->body->data, answer->body->len, G_MAXSIZE,
                        CM_JSON_MAX_DEPTH, &error);
  FUZZ_CHECK (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* A user of our own, signed in: the challenge answered, then a sign-up and a sign-in. */
static void
sign_up_and_in (void)
{
  g_autoptr(JsonObject) challenge = NULL;
  g_autoptr(JsonObject) session = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *last_name = NULL;
  g_autofree char *body = NULL;
  Answer answer = { 0, };
  const char *letter;
  const char *word = NULL;
  JsonArray *words;

  g_clear_pointer (&token, g_free);
  /* User IDs are the last name, the first initial and 4 digits: vary the name too. */
  user_counter++;
  last_name = g_strdup_printf ("Fuzz%c%c", 'a' + (user_counter / 10000) % 26,
                               'a' + (user_counter / 260000) % 26);
  user_id = g_strdup_printf ("%sf%04u", last_name, user_counter % 10000);
  user_id[0] = 'f';

  http ("GET", CM_PATH_CHALLENGE, "", NULL, 0, &answer);
  FUZZ_CHECK (answer.status == 200);
  challenge = answer_object (&answer);
  answer_clear (&answer);
  letter = json_object_get_string_member (challenge, CM_MEMBER_LETTER);
  words = json_object_get_array_member (challenge, CM_MEMBER_WORDS);
  for (guint i = 0; i < json_array_get_length (words); i++)
    if (strstr (json_array_get_string_element (words, i), letter) != NULL)
      word = json_array_get_string_element (words, i);
  FUZZ_CHECK (word != NULL);

  body = g_strdup_printf ("{\"profile\":{\"first_name\":\"Fay\",\"middle_initial\":\"\","
                          "\"last_name\":\"%s\",\"suffix\":\"\","
                          "\"email\":\"fay.fuzzer@example.com\","
                          "\"email_confirm\":\"fay.fuzzer@example.com\","
                          "\"work_phone\":\"517-555-0100\",\"mobile_phone\":\"\"},"
                          "\"challenge\":{\"challenge_id\":\"%s\",\"answer\":\"%s\"},"
                          "\"terms_accepted\":true,\"user_id\":\"%s\",\"password\":\"%s\","
                          "\"password_confirm\":\"%s\","
                          "\"recovery\":{\"email\":true,\"text\":false,\"questions\":[]}}",
                          last_name,
                          json_object_get_string_member (challenge, CM_MEMBER_CHALLENGE_ID),
                          word, user_id, FUZZ_PASSWORD, FUZZ_PASSWORD);
  http ("POST", CM_PATH_USERS, "Content-Type: application/json\r\n", body, strlen (body),
        &answer);
  if (answer.status != 201)
    g_printerr ("sign-up: %u %.*s\n", answer.status, (int) answer.body->len,
                (char *) answer.body->data);
  FUZZ_CHECK (answer.status == 201);
  answer_clear (&answer);

  g_free (body);
  body = g_strdup_printf ("{\"user_id\":\"%s\",\"password\":\"%s\",\"remember\":false}",
                          user_id, FUZZ_PASSWORD);
  http ("POST", CM_PATH_SESSIONS, "Content-Type: application/json\r\n", body, strlen (body),
        &answer);
  FUZZ_CHECK (answer.status == 201);
  session = answer_object (&answer);
  answer_clear (&answer);
  token = g_strdup (json_object_get_string_member (session, CM_MEMBER_TOKEN));
  FUZZ_CHECK (token != NULL);
}

static void
shut_down (void)
{
  if (server != NULL)
    cm_server_stop (server);
  g_clear_object (&server);
  if (work_dir != NULL)
    cm_test_remove_tree (work_dir);
  g_clear_pointer (&work_dir, g_free);
  g_clear_pointer (&token, g_free);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  g_autofree char *outbox = NULL;
  const char *uri;
  const char *colon;

  fuzz_setup_logging ();
  g_log_set_handler ("cm-server", G_LOG_LEVEL_MASK, server_log_handler, NULL);
  g_log_set_handler ("cm-http-guard", G_LOG_LEVEL_MASK, server_log_handler, NULL);
  work_dir = g_dir_make_tmp ("cm-fuzz-server-XXXXXX", &error);
  FUZZ_CHECK (work_dir != NULL);
  database = g_build_filename (work_dir, "server.db", NULL);
  outbox = g_build_filename (work_dir, "outbox", NULL);

  server = cm_server_new (database, outbox);
  cm_server_set_hash_cost (server, CM_SERVER_HASH_COST_MINIMUM);
  cm_server_set_demo_data (server, TRUE);
  cm_server_set_rate_limit (server, 0);
  if (!cm_server_start_in_thread (server, "127.0.0.1", 0, &error))
    {
      g_printerr ("cannot start the server: %s\n", error->message);
      abort ();
    }
  atexit (shut_down);

  uri = cm_server_get_uri (server);
  colon = strrchr (uri, ':');
  FUZZ_CHECK (colon != NULL);
  port = (guint16) g_ascii_strtoull (colon + 1, NULL, 10);
  FUZZ_CHECK (port != 0);

  sign_up_and_in ();
  return 0;
}

static const char *const methods[] = {
  "GET", "POST", "PUT", "DELETE", "GET", "POST", "PATCH", "HEAD",
};

static char *
make_path (const uint8_t *data,
           gsize          length)
{
  GString *path = g_string_new (NULL);

  if (length == 0 || data[0] != '/')
    g_string_append (path, CM_API_PREFIX "/");
  for (gsize i = 0; i < length; i++)
    {
      if (data[i] > 0x20 && data[i] < 0x7f && data[i] != '#')
        g_string_append_c (path, data[i]);
      else
        g_string_append_printf (path, "%%%02X", data[i]);
    }
  return g_string_free (path, FALSE);
}

static void
check_answer (const char *method,
              Answer     *answer)
{
  static const guint known[] = {
    200, 201, 202, 204, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 423, 429,
  };
  gboolean is_known = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    is_known |= answer->status == known[i];
  if (!is_known)
    g_printerr ("unexpected status %u: %.*s\n", answer->status, (int) answer->body->len,
                (char *) answer->body->data);
  FUZZ_CHECK (is_known);

  /* libsoup's own 400 for a request line it cannot parse comes before our handler. */
  if (strstr (answer->headers, "\r\ncache-control: no-store\r\n") == NULL)
    {
      FUZZ_CHECK (answer->status == 400 && answer->body->len == 0);
      return;
    }
  FUZZ_CHECK (strstr (answer->headers, "\r\nx-content-type-options: nosniff\r\n") != NULL);

  if (strcmp (method, "HEAD") == 0 || answer->status == 204 || answer->status == 202)
    return;

  FUZZ_CHECK (strstr (answer->headers, "\r\ncontent-type: application/json") != NULL);
  FUZZ_CHECK (g_strstr_len ((char *) answer->body->data, answer->body->len,
                            FUZZ_PASSWORD) == NULL);

  if (answer->status >= 400)
    {
      g_autoptr(JsonObject) object = answer_object (answer);
      JsonObject *error = NULL;
      const char *name = NULL;
      CmError code;

      FUZZ_CHECK (cm_json_get_object (object, CM_MEMBER_ERROR, TRUE, &error, NULL));
      FUZZ_CHECK (cm_json_get_string (error, CM_MEMBER_CODE, TRUE, &name, NULL));
      FUZZ_CHECK (cm_error_code_from_string (name, &code));
      if (cm_error_code_to_http_status (code) != answer->status)
        g_printerr ("%s answered with status %u\n", name, answer->status);
      FUZZ_CHECK (cm_error_code_to_http_status (code) == answer->status);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      node = cm_json_parse ((char *) answer->body->data, answer->body->len, G_MAXSIZE,
                            CM_JSON_MAX_DEPTH, &error);
      FUZZ_CHECK (node != NULL);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GString) headers = g_string_new (NULL);
  g_autofree char *path = NULL;
  const uint8_t *newline;
  const uint8_t *body = NULL;
  gsize body_length = 0;
  const char *method;
  Answer answer = { 0, };
  guint8 flags;

  fuzz_setup_logging ();
  if (size < 1)
    return 0;
  flags = data[0];
  method = methods[flags & 7];
  data++;
  size--;

  newline = memchr (data, '\n', size);
  path = make_path (data, newline != NULL ? (gsize) (newline - data) : size);
  if (newline != NULL)
    {
      body = newline + 1;
      body_length = size - (newline + 1 - data);
    }

  if (flags & 8)
    g_string_append_printf (headers, "Authorization: Bearer %s\r\n", token);
  else if (flags & 32)
    g_string_append (headers, "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n");
  if (body != NULL)
    g_string_append (headers, (flags & 16) ? "Content-Type: text/plain\r\n"
                                           : "Content-Type: application/json\r\n");

  http (method, path, headers->str, (const char *) body, body_length, &answer);
  check_answer (method, &answer);

  /* Our session may be gone (signed out, password changed): start a new user. */
  if ((flags & 8) && answer.status >= 200 && answer.status < 300 &&
      (strcmp (method, "DELETE") == 0 || strcmp (method, "PUT") == 0))
    sign_up_and_in ();
  answer_clear (&answer);
  return 0;
}
