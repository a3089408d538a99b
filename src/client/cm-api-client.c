/* cm-api-client.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-api-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cm-api-client.h"
#include "cm-client-private.h"
#include "cm-error.h"
#include "cm-json.h"
#include "cm-protocol.h"

#define READ_CHUNK_SIZE (64 * 1024)
#define MAX_RETRIES 2
/* Enough for a region, its language and a fallback; more only makes every request longer. */
#define MAX_ACCEPT_LANGUAGES 4

/* Waits before the retries of an idempotent GET, in milliseconds. */
static const guint retry_delays_ms[MAX_RETRIES] = { 250, 1000 };

struct _CmApiClient
{
  GObject      parent_instance;

  SoupSession *session;            /* (owned) */
  char        *base_uri;           /* (owned) */
  GUri        *base;               /* (owned) (nullable): NULL when base_uri is refused */
  GError      *uri_error;          /* (owned) (nullable): why base_uri is refused */
  char        *token;              /* (owned) (nullable): secret, wiped on free */
  char        *ca_file;            /* (owned) (nullable) */
  GError      *ca_error;           /* (owned) (nullable): why ca_file could not be used */
  guint        request_timeout;
  gsize        max_response_size;
  char        *accept_language;    /* (owned) (nullable): NULL when the language is C */
};

G_DEFINE_FINAL_TYPE (CmApiClient, cm_api_client, G_TYPE_OBJECT)

typedef enum
{
  PROP_BASE_URI = 1,
  PROP_CA_FILE,
  PROP_TIMEOUT,
  PROP_REQUEST_TIMEOUT,
  PROP_MAX_RESPONSE_SIZE,
  N_PROPS
} CmApiClientProperty;

static GParamSpec *obj_props[N_PROPS];

enum
{
  SIGNAL_SESSION_EXPIRED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- One request ---- */

typedef gpointer (*ParseFunc) (JsonNode  *root,
                               GError   **error);

typedef enum
{
  REQUEST_NONE        = 0,
  REQUEST_AUTH        = 1 << 0,  /* send the bearer token */
  REQUEST_IDEMPOTENT  = 1 << 1,  /* may be repeated after a connection failure */
} RequestFlags;

typedef struct
{
  const char     *method;          /* static */
  char           *path;            /* (owned): for the log; never holds a secret */
  GUri           *uri;             /* (owned) */
  GBytes         *body;            /* (owned) (nullable): wiped on free */
  RequestFlags    flags;
  ParseFunc       parse;           /* (nullable): NULL when the answer has no body we need */
  GDestroyNotify  result_free;
  guint           attempt;
  SoupMessage    *msg;             /* (owned) (nullable) */
  GInputStream   *stream;          /* (owned) (nullable) */
  GByteArray     *buffer;          /* (owned) (nullable) */
  goffset         content_length;  /* -1 when the answer does not say */
  GCancellable   *cancellable;     /* (owned): ours, cancelled by the caller's or the deadline */
  GCancellable   *caller_cancellable; /* (owned) (nullable) */
  gulong          caller_cancelled_id;
  GSource        *deadline;        /* (owned) (nullable) */
  GSource        *retry_wait;      /* (owned) (nullable) */
  gboolean        timed_out;
} Request;

static void
request_stop_sources (Request *req)
{
  if (req->deadline != NULL)
    {
      g_source_destroy (req->deadline);
      g_clear_pointer (&req->deadline, g_source_unref);
    }
  if (req->retry_wait != NULL)
    {
      g_source_destroy (req->retry_wait);
      g_clear_pointer (&req->retry_wait, g_source_unref);
    }
  if (req->caller_cancelled_id != 0)
    {
      g_cancellable_disconnect (req->caller_cancellable, req->caller_cancelled_id);
      req->caller_cancelled_id = 0;
    }
}

static void
request_free (Request *req)
{
  request_stop_sources (req);
  g_free (req->path);
  g_clear_pointer (&req->uri, g_uri_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_clear_object (&req->msg);
  g_clear_object (&req->stream);
  g_clear_pointer (&req->buffer, g_byte_array_unref);
  g_clear_object (&req->cancellable);
  g_clear_object (&req->caller_cancellable);
  g_free (req);
}

/* A language tag as HTTP wants it: letters, digits and '-', nothing that could end a header. */
static gboolean
is_language_tag (const char *tag)
{
  gsize len = strlen (tag);

  if (len == 0 || len > 35 || !g_ascii_isalpha (tag[0]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (tag[i]) && tag[i] != '-')
        return FALSE;
    }
  return TRUE;
}

/**
 * cm_api_client_build_accept_language:
 * @language_names: (array zero-terminated=1): locale names, most wanted first, as
 *   g_get_language_names() gives them
 *
 * Builds an `Accept-Language` value: "es_MX.UTF-8", "es_MX", "es", "C" become
 * "es-MX, es;q=0.9". Encodings and modifiers are dropped, "C" and "POSIX" are
 * skipped, duplicates kept once, at most MAX_ACCEPT_LANGUAGES entries.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when no language is left
 */
char *
cm_api_client_build_accept_language (const char * const *language_names)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  GString *value;

  for (guint i = 0; language_names[i] != NULL && tags->len < MAX_ACCEPT_LANGUAGES; i++)
    {
      g_autofree char *tag = g_strdup (language_names[i]);
      char *cut = strpbrk (tag, ".@");
      gboolean seen = FALSE;

      if (cut != NULL)
        *cut = '\0';
      g_strdelimit (tag, "_", '-');
      if (strcmp (tag, "C") == 0 || strcmp (tag, "POSIX") == 0 || !is_language_tag (tag))
        continue;
      for (guint j = 0; j < tags->len && !seen; j++)
        seen = g_ascii_strcasecmp (tags->pdata[j], tag) == 0;
      if (!seen)
        g_ptr_array_add (tags, g_steal_pointer (&tag));
    }

  if (tags->len == 0)
    return NULL;

  value = g_string_new (tags->pdata[0]);
  for (guint i = 1; i < tags->len; i++)
    g_string_append_printf (value, ", %s;q=0.%u", (const char *) tags->pdata[i], 10 - i);
  return g_string_free (value, FALSE);
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static GUri *
parse_base_uri (const char  *uri,
                GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;
  const char *host;

  if (uri == NULL || *uri == '\0')
    {
      g_set_error_literal (error, CM_ERROR, CM_ERROR_INSECURE_URL,
                           _("No server address is set."));
      return NULL;
    }

  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
    {
      g_set_error (error, CM_ERROR, CM_ERROR_INSECURE_URL,
                   /* Translators: %s is the server address the user typed */
                   _("“%s” is not a valid server address."), uri);
      return NULL;
    }

  scheme = g_uri_get_scheme (parsed);
  host = g_uri_get_host (parsed);

  /* A password in the address would end up in logs and settings. */
  if (g_uri_get_userinfo (parsed) != NULL)
    {
      g_set_error_literal (error, CM_ERROR, CM_ERROR_INSECURE_URL,
                           _("The server address must not contain a user name or password."));
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return g_steal_pointer (&parsed);

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (is_loopback_host (host))
        return g_steal_pointer (&parsed);

      g_set_error (error, CM_ERROR, CM_ERROR_INSECURE_URL,
                   /* Translators: %s is a host name */
                   _("The connection to %s would not be encrypted. Use an address that "
                     "starts with https://."), host);
      return NULL;
    }

  g_set_error (error, CM_ERROR, CM_ERROR_INSECURE_URL,
               /* Translators: %s is the server address the user typed */
               _("“%s” is not a valid server address. It must start with https://."), uri);
  return NULL;
}

/**
 * cm_api_client_check_uri:
 * @uri: a back-end base URL
 *
 * Checks a base URL the way the client will: `https://`, or `http://` to a
 * loopback address (127.0.0.0/8, ::1, localhost), no user name or password.
 * The preferences use it to check the `server-url` setting as it is typed.
 *
 * Returns: %TRUE if the client would use @uri, or %FALSE with a
 *   CM_ERROR_INSECURE_URL
 */
gboolean
cm_api_client_check_uri (const char  *uri,
                         GError     **error)
{
  g_autoptr(GUri) parsed = parse_base_uri (uri, error);

  return parsed != NULL;
}

static GUri *
build_uri (CmApiClient *self,
           const char  *path)
{
  const char *base_path = g_uri_get_path (self->base);
  gsize base_len = strlen (base_path);
  g_autofree char *full_path = NULL;

  /* Keep a path prefix of the base (a back-end behind a reverse proxy at /cars/). */
  while (base_len > 0 && base_path[base_len - 1] == '/')
    base_len--;
  full_path = g_strdup_printf ("%.*s%s", (int) base_len, base_path, path);

  return g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (self->base), NULL,
                      g_uri_get_host (self->base), g_uri_get_port (self->base),
                      full_path, NULL, NULL);
}

/* Only for errors before any answer arrived: then a GET may be sent again. */
static gboolean
is_connection_failure (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR)
    return TRUE;

  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         /* Closed before a status line: "Connection terminated unexpectedly". */
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
}

/* Turns a transport error into a translated CM_ERROR; cancellation by the caller passes through. */
static GError *
map_transport_error (CmApiClient  *self,
                     Request      *req,
                     const GError *error,
                     gboolean      during_body)
{
  const char *host = g_uri_get_host (self->base);

  g_debug ("%s %s failed: %s", req->method, req->path, error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !req->timed_out)
    return g_error_copy (error);

  if (req->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (CM_ERROR, CM_ERROR_TIMEOUT,
                        /* Translators: %s is a host name */
                        _("The server at %s did not answer in time. Try again later."), host);

  if (error->domain == G_TLS_ERROR)
    {
      if (self->ca_file != NULL)
        return g_error_new (CM_ERROR, CM_ERROR_TLS,
                            /* Translators: %s is a host name */
                            _("The security certificate of %s is not signed by the certificate "
                              "authority in Preferences. The connection was refused."), host);
      return g_error_new (CM_ERROR, CM_ERROR_TLS,
                          /* Translators: %s is a host name */
                          _("The security certificate of %s is not trusted, so the connection was "
                            "refused. If your organization runs its own server, set its "
                            "certificate authority file in Preferences."), host);
    }

  if (error->domain == SOUP_SESSION_ERROR)
    return g_error_new (CM_ERROR, CM_ERROR_PROTOCOL,
                        /* Translators: %s is a host name */
                        _("The server at %s sent an answer that could not be read."), host);

  if (during_body)
    return g_error_new (CM_ERROR, CM_ERROR_NETWORK,
                        /* Translators: %s is a host name */
                        _("The connection to %s was lost. Check your network connection and "
                          "try again."), host);

  return g_error_new (CM_ERROR, CM_ERROR_NETWORK,
                      /* Translators: %s is a host name */
                      _("Could not connect to the server at %s. Check your network connection "
                        "and try again."), host);
}

static GError *
protocol_error (CmApiClient  *self,
                Request      *req,
                const GError *cause)
{
  g_debug ("%s %s: unexpected answer: %s", req->method, req->path,
           cause != NULL ? cause->message : "(none)");
  return g_error_new (CM_ERROR, CM_ERROR_PROTOCOL,
                      /* Translators: %s is a host name */
                      _("The server at %s sent an answer that could not be read."),
                      g_uri_get_host (self->base));
}

static gint64
parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;

  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT32, &seconds, NULL))
    return (gint64) seconds;

  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return MAX (0, g_date_time_difference (when, now) / G_TIME_SPAN_SECOND);
}

static GError *
error_from_answer (CmApiClient *self,
                   Request     *req,
                   guint        status)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);
  GError *error;
  gint64 retry_after;

  if (req->buffer->len > 0)
    root = cm_json_parse ((const char *) req->buffer->data, req->buffer->len,
                          self->max_response_size, CM_JSON_MAX_DEPTH, &parse_error);

  if (root == NULL)
    g_debug ("%s %s: error answer without a readable body: %s", req->method, req->path,
             parse_error != NULL ? parse_error->message : "empty");

  /* Known codes get the client's translated message, whatever the server wrote. */
  error = cm_error_from_json (root, status);

  retry_after = parse_retry_after (soup_message_headers_get_one (headers, CM_HEADER_RETRY_AFTER));
  if (retry_after >= 0)
    cm_error_set_retry_after (error, retry_after);

  return error;
}

static void
request_complete (GTask  *task,
                  GError *error,
                  gpointer result)
{
  CmApiClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);

  request_stop_sources (req);

  if (error != NULL)
    {
      if ((req->flags & REQUEST_AUTH) != 0 &&
          g_error_matches (error, CM_ERROR, CM_ERROR_SESSION_EXPIRED))
        g_signal_emit (self, signals[SIGNAL_SESSION_EXPIRED], 0);
      g_task_return_error (task, error);
    }
  else if (req->parse != NULL)
    g_task_return_pointer (task, result, req->result_free);
  else
    g_task_return_boolean (task, TRUE);
}

static void
request_handle_answer (GTask *task)
{
  CmApiClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  guint status = soup_message_get_status (req->msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gpointer result;

  g_debug ("%s %s -> %u", req->method, req->path, status);

  if (status < 200 || status >= 300)
    {
      if (status >= 300 && status < 400)
        {
          /* Redirects are not followed: one could move the token to another host. */
          request_complete (task, protocol_error (self, req, NULL), NULL);
          return;
        }
      request_complete (task, error_from_answer (self, req, status), NULL);
      return;
    }

  if (req->parse == NULL)
    {
      request_complete (task, NULL, NULL);
      return;
    }

  root = cm_json_parse ((const char *) req->buffer->data, req->buffer->len,
                        self->max_response_size, CM_JSON_MAX_DEPTH, &error);
  if (root == NULL)
    {
      request_complete (task, protocol_error (self, req, error), NULL);
      return;
    }

  result = req->parse (root, &error);
  if (result == NULL)
    {
      request_complete (task, protocol_error (self, req, error), NULL);
      return;
    }

  request_complete (task, NULL, result);
}

static GError *
too_large_error (CmApiClient *self,
                 Request     *req)
{
  g_debug ("%s %s: answer over %" G_GSIZE_FORMAT " bytes", req->method, req->path,
           self->max_response_size);
  return g_error_new (CM_ERROR, CM_ERROR_PROTOCOL,
                      /* Translators: %s is a host name */
                      _("The server at %s sent an answer that is too large."),
                      g_uri_get_host (self->base));
}

static void request_read_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);

static void
request_read_next (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (req->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   req->cancellable, request_read_cb, task);
}

static void
request_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmApiClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      request_complete (task, map_transport_error (self, req, error, TRUE), NULL);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      /* libsoup reports a connection closed early as a plain end of stream. */
      if (req->content_length >= 0 && (goffset) req->buffer->len < req->content_length)
        {
          g_autoptr(GError) short_read =
            g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                         "%u of %" G_GOFFSET_FORMAT " bytes", req->buffer->len,
                         req->content_length);

          request_complete (task, map_transport_error (self, req, short_read, TRUE), NULL);
          return;
        }
      g_clear_object (&req->stream);
      request_handle_answer (task);
      return;
    }

  /* Count the bytes that arrive, whatever Content-Length said. */
  if (req->buffer->len + g_bytes_get_size (bytes) > self->max_response_size)
    {
      request_complete (task, too_large_error (self, req), NULL);
      return;
    }

  g_byte_array_append (req->buffer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  request_read_next (g_steal_pointer (&task));
}

static void request_send (GTask *task);

/* A child source triggers its parent, but must have a callback of its own. */
static gboolean
retry_timeout_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
request_retry_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  GTask *task = user_data;
  CmApiClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);

  g_clear_pointer (&req->retry_wait, g_source_unref);

  if (g_cancellable_is_cancelled (req->cancellable))
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     "Operation was cancelled");

      request_complete (task, map_transport_error (self, req, error, FALSE), NULL);
      return G_SOURCE_REMOVE;
    }

  request_send (g_object_ref (task));
  return G_SOURCE_REMOVE;
}

static void
request_send_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmApiClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  g_autoptr(GError) error = NULL;

  req->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (req->stream == NULL)
    {
      if ((req->flags & REQUEST_IDEMPOTENT) != 0 && req->attempt < MAX_RETRIES &&
          !g_cancellable_is_cancelled (req->cancellable) && is_connection_failure (error))
        {
          GSource *timeout;

          g_debug ("%s %s: %s; retrying in %u ms", req->method, req->path, error->message,
                   retry_delays_ms[req->attempt]);

          /* The wait ends early when the request is cancelled. */
          req->retry_wait = g_cancellable_source_new (req->cancellable);
          timeout = g_timeout_source_new (retry_delays_ms[req->attempt]);
          g_source_set_callback (timeout, retry_timeout_cb, NULL, NULL);
          g_source_add_child_source (req->retry_wait, timeout);
          g_source_unref (timeout);
          g_source_set_callback (req->retry_wait, G_SOURCE_FUNC (request_retry_cb),
                                 g_object_ref (task), g_object_unref);
          g_source_attach (req->retry_wait, g_main_context_get_thread_default ());
          req->attempt++;
          return;
        }

      request_complete (task, map_transport_error (self, req, error, FALSE), NULL);
      return;
    }

  headers = soup_message_get_response_headers (req->msg);
  req->content_length = -1;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    req->content_length = soup_message_headers_get_content_length (headers);
  if (req->content_length > (goffset) self->max_response_size)
    {
      request_complete (task, too_large_error (self, req), NULL);
      return;
    }

  req->buffer = g_byte_array_new ();
  request_read_next (g_steal_pointer (&task));
}

static void
request_send (GTask *task)
{
  CmApiClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  g_clear_object (&req->msg);
  req->msg = soup_message_new_from_uri (req->method, req->uri);
  soup_message_add_flags (req->msg, SOUP_MESSAGE_NO_REDIRECT);
  if ((req->flags & REQUEST_IDEMPOTENT) == 0)
    soup_message_remove_flags (req->msg, SOUP_MESSAGE_IDEMPOTENT);

  headers = soup_message_get_request_headers (req->msg);
  soup_message_headers_replace (headers, "Accept", CM_CONTENT_TYPE_JSON);
  /* The back-end picks the words of the sign-up question in this language. */
  if (self->accept_language != NULL)
    soup_message_headers_replace (headers, "Accept-Language", self->accept_language);
  if ((req->flags & REQUEST_AUTH) != 0 && self->token != NULL)
    {
      g_autofree char *value = g_strconcat (CM_BEARER_PREFIX, self->token, NULL);

      soup_message_headers_replace (headers, CM_HEADER_AUTHORIZATION, value);
      /* The header keeps its own copy; wipe ours. */
      memset (value, 0, strlen (value));
    }

  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (req->msg, CM_CONTENT_TYPE_JSON, req->body);

  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT, req->cancellable,
                           request_send_cb, task);
}

static gboolean
request_deadline_cb (gpointer user_data)
{
  Request *req = user_data;

  req->timed_out = TRUE;
  g_clear_pointer (&req->deadline, g_source_unref);
  g_cancellable_cancel (req->cancellable);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller_cancellable,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
request_start (CmApiClient         *self,
               gpointer             source_tag,
               const char          *method,
               const char          *path,
               GBytes              *body,
               RequestFlags         flags,
               ParseFunc            parse,
               GDestroyNotify       result_free,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *req;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  req = g_new0 (Request, 1);
  req->method = method;
  req->path = g_strdup (path);
  req->body = body != NULL ? g_bytes_ref (body) : NULL;
  req->flags = flags;
  req->parse = parse;
  req->result_free = result_free;
  req->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  /* Refused before any connection is made. */
  if (self->uri_error != NULL)
    {
      g_task_return_error (task, g_error_copy (self->uri_error));
      return;
    }
  if (self->ca_error != NULL)
    {
      g_task_return_error (task, g_error_copy (self->ca_error));
      return;
    }

  /* The contract refuses bodies over 64 KiB, and a server that does so may hang up while the body
   * is still being sent (a network error): say it plainly without the round trip. */
  if (body != NULL && g_bytes_get_size (body) > CM_JSON_MAX_BYTES)
    {
      g_task_return_error (task, cm_error_new (CM_ERROR_BODY_TOO_LARGE, NULL, NULL));
      return;
    }

  req->uri = build_uri (self, path);

  if (cancellable != NULL)
    {
      req->caller_cancellable = g_object_ref (cancellable);
      req->caller_cancelled_id = g_cancellable_connect (cancellable,
                                                        G_CALLBACK (caller_cancelled_cb),
                                                        g_object_ref (req->cancellable),
                                                        g_object_unref);
    }

  if (self->request_timeout > 0)
    {
      req->deadline = g_timeout_source_new_seconds (self->request_timeout);
      g_source_set_callback (req->deadline, request_deadline_cb, req, NULL);
      g_source_attach (req->deadline, g_main_context_get_thread_default ());
    }

  request_send (g_steal_pointer (&task));
}

static gpointer
request_propagate (CmApiClient   *self,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
request_propagate_boolean (CmApiClient   *self,
                           GAsyncResult  *result,
                           gpointer       source_tag,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Bodies ---- */

static void
builder_add_string (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
builder_add_boolean (JsonBuilder *builder,
                     const char  *member,
                     gboolean     value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

/* Bodies can hold passwords, codes and PINs: the bytes are wiped when libsoup lets go. */
static GBytes *
body_from_node (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *data;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_with_free_func (data, length, (GDestroyNotify) cm_secret_free, data);
}

static GBytes *
body_from_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return body_from_node (root);
}

/* ---- Parsers of answers ---- */

static JsonObject *
root_object (JsonNode  *root,
             GError   **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CM_ERROR, CM_ERROR_INVALID_FIELD, "the answer is not an object");
      return NULL;
    }
  return json_node_get_object (root);
}

typedef struct
{
  char *status;
  char *version;
} Health;

static void
health_free (Health *health)
{
  g_free (health->status);
  g_free (health->version);
  g_free (health);
}

static gpointer
parse_health (JsonNode  *root,
              GError   **error)
{
  JsonObject *object = root_object (root, error);
  Health *health;

  if (object == NULL)
    return NULL;

  health = g_new0 (Health, 1);
  if (!cm_client_json_dup_string (object, CM_MEMBER_STATUS, TRUE, &health->status, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_VERSION, FALSE, &health->version, error))
    {
      health_free (health);
      return NULL;
    }
  return health;
}

static gpointer
parse_challenge (JsonNode  *root,
                 GError   **error)
{
  JsonObject *object = root_object (root, error);

  return object != NULL ? cm_challenge_new_from_json (object, error) : NULL;
}

static gpointer
parse_user_id_available (JsonNode  *root,
                         GError   **error)
{
  JsonObject *object = root_object (root, error);
  gboolean available = FALSE;

  if (object == NULL ||
      !cm_json_get_boolean (object, CM_MEMBER_AVAILABLE, TRUE, &available, error))
    return NULL;

  return g_memdup2 (&available, sizeof available);
}

static gpointer
parse_user_id (JsonNode  *root,
               GError   **error)
{
  JsonObject *object = root_object (root, error);
  char *user_id = NULL;

  if (object == NULL ||
      !cm_client_json_dup_string (object, CM_MEMBER_USER_ID, TRUE, &user_id, error))
    return NULL;
  return user_id;
}

static gpointer
parse_sign_in (JsonNode  *root,
               GError   **error)
{
  JsonObject *object = root_object (root, error);

  return object != NULL ? cm_sign_in_result_new_from_json (object, TRUE, error) : NULL;
}

static gpointer
parse_current_session (JsonNode  *root,
                       GError   **error)
{
  JsonObject *object = root_object (root, error);

  return object != NULL ? cm_sign_in_result_new_from_json (object, FALSE, error) : NULL;
}

static gpointer
parse_account_types (JsonNode  *root,
                     GError   **error)
{
  g_autoptr(GPtrArray) types = NULL;
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, CM_ERROR, CM_ERROR_INVALID_FIELD, "the answer is not an array");
      return NULL;
    }

  array = json_node_get_array (root);
  n = json_array_get_length (array);
  types = g_ptr_array_new_full (n, (GDestroyNotify) cm_account_type_free);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      CmAccountType *type;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, CM_ERROR, CM_ERROR_INVALID_FIELD,
                               "an account type is not an object");
          return NULL;
        }
      type = cm_account_type_new_from_json (json_node_get_object (node), error);
      if (type == NULL)
        return NULL;
      g_ptr_array_add (types, type);
    }

  return g_steal_pointer (&types);
}

static gpointer
parse_lookup (JsonNode  *root,
              GError   **error)
{
  JsonObject *object = root_object (root, error);

  return object != NULL ? cm_lookup_result_new_from_json (object, error) : NULL;
}

static gpointer
parse_access_request (JsonNode  *root,
                      GError   **error)
{
  JsonObject *object = root_object (root, error);

  return object != NULL ? cm_access_request_result_new_from_json (object, error) : NULL;
}

static gpointer
parse_account_access (JsonNode  *root,
                      GError   **error)
{
  JsonObject *object = root_object (root, error);
  JsonObject *account = NULL;

  if (object == NULL || !cm_json_get_object (object, CM_MEMBER_ACCOUNT, TRUE, &account, error))
    return NULL;
  return cm_account_new_from_json (account, error);
}

static gpointer
parse_accounts (JsonNode  *root,
                GError   **error)
{
  JsonObject *object = root_object (root, error);
  g_autoptr(GPtrArray) accounts = NULL;
  JsonArray *array = NULL;
  guint n;

  if (object == NULL || !cm_json_get_array (object, CM_MEMBER_ACCOUNTS, TRUE, &array, error))
    return NULL;

  n = json_array_get_length (array);
  accounts = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      CmAccount *account;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, CM_ERROR, CM_ERROR_INVALID_FIELD,
                               "an account is not an object");
          return NULL;
        }
      account = cm_account_new_from_json (json_node_get_object (node), error);
      if (account == NULL)
        return NULL;
      g_ptr_array_add (accounts, account);
    }

  return g_steal_pointer (&accounts);
}

/* ---- GObject ---- */

static void
log_printer (SoupLogger         *logger,
             SoupLoggerLogLevel  level,
             char                direction,
             const char         *data,
             gpointer            user_data)
{
  /* Headers only, and never the token. */
  if (g_ascii_strncasecmp (data, CM_HEADER_AUTHORIZATION ":",
                           strlen (CM_HEADER_AUTHORIZATION ":")) == 0 ||
      g_ascii_strncasecmp (data, "Cookie:", strlen ("Cookie:")) == 0 ||
      g_ascii_strncasecmp (data, "Set-Cookie:", strlen ("Set-Cookie:")) == 0)
    {
      g_debug ("%c (a header that holds a secret)", direction);
      return;
    }
  g_debug ("%c %s", direction, data);
}

static void
cm_api_client_dispose (GObject *object)
{
  CmApiClient *self = CM_API_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cm_api_client_parent_class)->dispose (object);
}

static void
cm_api_client_finalize (GObject *object)
{
  CmApiClient *self = CM_API_CLIENT (object);

  g_free (self->base_uri);
  g_clear_pointer (&self->base, g_uri_unref);
  g_clear_error (&self->uri_error);
  g_clear_pointer (&self->token, cm_secret_free);
  g_free (self->ca_file);
  g_clear_error (&self->ca_error);
  g_free (self->accept_language);

  G_OBJECT_CLASS (cm_api_client_parent_class)->finalize (object);
}

static void
cm_api_client_constructed (GObject *object)
{
  CmApiClient *self = CM_API_CLIENT (object);

  G_OBJECT_CLASS (cm_api_client_parent_class)->constructed (object);

  self->base = parse_base_uri (self->base_uri, &self->uri_error);
  if (self->uri_error != NULL)
    g_debug ("base URI refused: %s", self->uri_error->message);
}

static void
cm_api_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CmApiClient *self = CM_API_CLIENT (object);

  switch ((CmApiClientProperty) prop_id)
    {
    case PROP_BASE_URI:
      g_value_set_string (value, self->base_uri);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, cm_api_client_get_timeout (self));
      break;
    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout);
      break;
    case PROP_MAX_RESPONSE_SIZE:
      g_value_set_uint64 (value, self->max_response_size);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_api_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CmApiClient *self = CM_API_CLIENT (object);

  switch ((CmApiClientProperty) prop_id)
    {
    case PROP_BASE_URI:
      self->base_uri = g_value_dup_string (value);
      break;
    case PROP_CA_FILE:
      cm_api_client_set_ca_file (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      cm_api_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_REQUEST_TIMEOUT:
      cm_api_client_set_request_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RESPONSE_SIZE:
      cm_api_client_set_max_response_size (self, g_value_get_uint64 (value));
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_api_client_class_init (CmApiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cm_api_client_dispose;
  object_class->finalize = cm_api_client_finalize;
  object_class->constructed = cm_api_client_constructed;
  object_class->get_property = cm_api_client_get_property;
  object_class->set_property = cm_api_client_set_property;

  /**
   * CmApiClient:base-uri:
   *
   * The back-end, e.g. "https://cars.example.org/". Checked like
   * cm_api_client_check_uri(); a refused URI makes every call fail with
   * CM_ERROR_INSECURE_URL before any connection.
   */
  obj_props[PROP_BASE_URI] =
    g_param_spec_string ("base-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * CmApiClient:ca-file:
   *
   * A PEM file of certificate authorities to trust instead of the system's,
   * for self-hosted back-ends (the GSettings key `ca-file`). %NULL or empty
   * means the system's.
   */
  obj_props[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * CmApiClient:timeout:
   *
   * Seconds a connection attempt or a read may wait without progress.
   */
  obj_props[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 3600, CM_API_CLIENT_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * CmApiClient:request-timeout:
   *
   * Seconds a whole request may take, retries included; 0 for no limit.
   */
  obj_props[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL, 0, 3600,
                       CM_API_CLIENT_DEFAULT_REQUEST_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * CmApiClient:max-response-size:
   *
   * The largest answer body read, in bytes; a larger one is CM_ERROR_PROTOCOL.
   */
  obj_props[PROP_MAX_RESPONSE_SIZE] =
    g_param_spec_uint64 ("max-response-size", NULL, NULL, 1024, G_MAXUINT32,
                         CM_API_CLIENT_DEFAULT_MAX_RESPONSE_SIZE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, obj_props);

  /**
   * CmApiClient::session-expired:
   *
   * An authenticated call was answered 401 `session_expired`. Emitted before
   * that call's callback runs. CmSession listens to it.
   */
  signals[SIGNAL_SESSION_EXPIRED] =
    g_signal_new ("session-expired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cm_api_client_init (CmApiClient *self)
{
  self->request_timeout = CM_API_CLIENT_DEFAULT_REQUEST_TIMEOUT;
  self->max_response_size = CM_API_CLIENT_DEFAULT_MAX_RESPONSE_SIZE;
  self->accept_language = cm_api_client_build_accept_language (g_get_language_names ());
  self->session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                 "timeout", CM_API_CLIENT_DEFAULT_TIMEOUT,
                                                 "idle-timeout", 60,
                                                 NULL);

  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    {
      g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_HEADERS);

      soup_logger_set_printer (logger, log_printer, NULL, NULL);
      soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (logger));
    }
}

/* ---- Public API ---- */

/**
 * cm_api_client_new:
 * @base_uri: the back-end, e.g. "https://cars.example.org/"
 *
 * Returns: (transfer full): a new client; a refused @base_uri shows as
 *   CM_ERROR_INSECURE_URL on the first call
 */
CmApiClient *
cm_api_client_new (const char *base_uri)
{
  return g_object_new (CM_TYPE_API_CLIENT, "base-uri", base_uri, NULL);
}

const char *
cm_api_client_get_base_uri (CmApiClient *self)
{
  g_return_val_if_fail (CM_IS_API_CLIENT (self), NULL);
  return self->base_uri;
}

/**
 * cm_api_client_set_token:
 * @token: (nullable): the bearer token, or %NULL to forget it
 *
 * Sets the token sent as `Authorization: Bearer` on authenticated calls. It
 * is not a property so that it never shows in a property dump.
 */
void
cm_api_client_set_token (CmApiClient *self,
                         const char  *token)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  if (token == self->token)
    return;
  g_clear_pointer (&self->token, cm_secret_free);
  self->token = g_strdup (token);
}

gboolean
cm_api_client_has_token (CmApiClient *self)
{
  g_return_val_if_fail (CM_IS_API_CLIENT (self), FALSE);
  return self->token != NULL;
}

const char *
cm_api_client_get_ca_file (CmApiClient *self)
{
  g_return_val_if_fail (CM_IS_API_CLIENT (self), NULL);
  return self->ca_file;
}

/**
 * cm_api_client_set_ca_file:
 * @ca_file: (nullable): a PEM file, or %NULL or "" for the system's authorities
 *
 * A file that cannot be read makes every call fail with CM_ERROR_TLS until
 * it is fixed, rather than silently falling back to the system's.
 */
void
cm_api_client_set_ca_file (CmApiClient *self,
                           const char  *ca_file)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));

  if (ca_file != NULL && *ca_file == '\0')
    ca_file = NULL;
  if (g_strcmp0 (ca_file, self->ca_file) == 0)
    return;

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_clear_error (&self->ca_error);

  if (ca_file != NULL)
    {
      database = g_tls_file_database_new (ca_file, &error);
      if (database == NULL)
        {
          g_debug ("CA file refused: %s", error->message);
          self->ca_error = g_error_new (CM_ERROR, CM_ERROR_TLS,
                                        /* Translators: %s is a file name */
                                        _("The certificate authority file “%s” could not be "
                                          "read."), ca_file);
        }
    }
  else
    {
      /* Setting NULL would leave the session with no authorities at all. */
      database = g_tls_backend_get_default_database (g_tls_backend_get_default ());
    }

  if (database != NULL)
    soup_session_set_tls_database (self->session, database);

  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_CA_FILE]);
}

guint
cm_api_client_get_timeout (CmApiClient *self)
{
  g_return_val_if_fail (CM_IS_API_CLIENT (self), 0);
  return soup_session_get_timeout (self->session);
}

void
cm_api_client_set_timeout (CmApiClient *self,
                           guint        seconds)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  if (seconds == soup_session_get_timeout (self->session))
    return;
  soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_TIMEOUT]);
}

guint
cm_api_client_get_request_timeout (CmApiClient *self)
{
  g_return_val_if_fail (CM_IS_API_CLIENT (self), 0);
  return self->request_timeout;
}

void
cm_api_client_set_request_timeout (CmApiClient *self,
                                   guint        seconds)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  if (seconds == self->request_timeout)
    return;
  self->request_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_REQUEST_TIMEOUT]);
}

gsize
cm_api_client_get_max_response_size (CmApiClient *self)
{
  g_return_val_if_fail (CM_IS_API_CLIENT (self), 0);
  return self->max_response_size;
}

void
cm_api_client_set_max_response_size (CmApiClient *self,
                                     gsize        max_bytes)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  if (max_bytes == self->max_response_size)
    return;
  self->max_response_size = max_bytes;
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_MAX_RESPONSE_SIZE]);
}

/* GET health */

void
cm_api_client_get_health_async (CmApiClient         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  request_start (self, cm_api_client_get_health_async, "GET", CM_PATH_HEALTH, NULL,
                 REQUEST_IDEMPOTENT, parse_health, (GDestroyNotify) health_free,
                 cancellable, callback, user_data);
}

/**
 * cm_api_client_get_health_finish:
 * @status: (out) (optional) (transfer full):
 * @version: (out) (optional) (transfer full) (nullable):
 */
gboolean
cm_api_client_get_health_finish (CmApiClient   *self,
                                 GAsyncResult  *result,
                                 char         **status,
                                 char         **version,
                                 GError       **error)
{
  Health *health = request_propagate (self, result, cm_api_client_get_health_async, error);

  if (health == NULL)
    return FALSE;
  if (status != NULL)
    *status = g_steal_pointer (&health->status);
  if (version != NULL)
    *version = g_steal_pointer (&health->version);
  health_free (health);
  return TRUE;
}

/* GET milogin/challenge */

void
cm_api_client_get_challenge_async (CmApiClient         *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  request_start (self, cm_api_client_get_challenge_async, "GET", CM_PATH_CHALLENGE, NULL,
                 REQUEST_IDEMPOTENT, parse_challenge, (GDestroyNotify) cm_challenge_free,
                 cancellable, callback, user_data);
}

/**
 * cm_api_client_get_challenge_finish:
 *
 * Returns: (transfer full) (nullable):
 */
CmChallenge *
cm_api_client_get_challenge_finish (CmApiClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return request_propagate (self, result, cm_api_client_get_challenge_async, error);
}

/* GET milogin/user-ids/{user_id} */

void
cm_api_client_check_user_id_async (CmApiClient         *self,
                                   const char          *user_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));
  g_return_if_fail (user_id != NULL);

  escaped = g_uri_escape_string (user_id, NULL, FALSE);
  path = g_strconcat (CM_PATH_USER_IDS "/", escaped, NULL);
  request_start (self, cm_api_client_check_user_id_async, "GET", path, NULL,
                 REQUEST_IDEMPOTENT, parse_user_id_available, g_free,
                 cancellable, callback, user_data);
}

/**
 * cm_api_client_check_user_id_finish:
 * @available: (out): whether nobody has the User ID yet
 *
 * Returns: %FALSE on error, e.g. CM_ERROR_INVALID_USER_ID
 */
gboolean
cm_api_client_check_user_id_finish (CmApiClient   *self,
                                    GAsyncResult  *result,
                                    gboolean      *available,
                                    GError       **error)
{
  g_autofree gboolean *value = request_propagate (self, result,
                                                  cm_api_client_check_user_id_async, error);

  if (value == NULL)
    return FALSE;
  if (available != NULL)
    *available = *value;
  return TRUE;
}

/* POST milogin/users */

void
cm_api_client_create_user_async (CmApiClient           *self,
                                 const CmSignUpRequest *request,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));
  g_return_if_fail (request != NULL);

  root = cm_sign_up_request_to_json (request);
  body = body_from_node (root);
  request_start (self, cm_api_client_create_user_async, "POST", CM_PATH_USERS, body,
                 REQUEST_NONE, parse_user_id, g_free, cancellable, callback, user_data);
}

/**
 * cm_api_client_create_user_finish:
 *
 * Returns: (transfer full) (nullable): the new User ID
 */
char *
cm_api_client_create_user_finish (CmApiClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return request_propagate (self, result, cm_api_client_create_user_async, error);
}

/* POST milogin/sessions */

void
cm_api_client_sign_in_async (CmApiClient         *self,
                             const char          *user_id,
                             const char          *password,
                             gboolean             remember,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));
  g_return_if_fail (user_id != NULL);
  g_return_if_fail (password != NULL);

  json_builder_begin_object (builder);
  builder_add_string (builder, CM_MEMBER_USER_ID, user_id);
  builder_add_string (builder, CM_MEMBER_PASSWORD, password);
  builder_add_boolean (builder, CM_MEMBER_REMEMBER, remember);
  json_builder_end_object (builder);
  body = body_from_builder (builder);

  request_start (self, cm_api_client_sign_in_async, "POST", CM_PATH_SESSIONS, body,
                 REQUEST_NONE, parse_sign_in, (GDestroyNotify) cm_sign_in_result_free,
                 cancellable, callback, user_data);
}

/**
 * cm_api_client_sign_in_finish:
 *
 * Returns: (transfer full) (nullable): the token and the user; errors include
 *   CM_ERROR_INVALID_CREDENTIALS, CM_ERROR_ACCOUNT_LOCKED (with retry-after)
 *   and CM_ERROR_RATE_LIMITED
 */
CmSignInResult *
cm_api_client_sign_in_finish (CmApiClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return request_propagate (self, result, cm_api_client_sign_in_async, error);
}

/* GET milogin/sessions/current */

void
cm_api_client_get_current_session_async (CmApiClient         *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  request_start (self, cm_api_client_get_current_session_async, "GET", CM_PATH_SESSION_CURRENT,
                 NULL, REQUEST_AUTH | REQUEST_IDEMPOTENT, parse_current_session,
                 (GDestroyNotify) cm_sign_in_result_free, cancellable, callback, user_data);
}

/**
 * cm_api_client_get_current_session_finish:
 *
 * Returns: (transfer full) (nullable): the user and expiry; its token is %NULL
 */
CmSignInResult *
cm_api_client_get_current_session_finish (CmApiClient   *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return request_propagate (self, result, cm_api_client_get_current_session_async, error);
}

/* DELETE milogin/sessions/current */

void
cm_api_client_sign_out_async (CmApiClient         *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  request_start (self, cm_api_client_sign_out_async, "DELETE", CM_PATH_SESSION_CURRENT, NULL,
                 REQUEST_AUTH, NULL, NULL, cancellable, callback, user_data);
}

gboolean
cm_api_client_sign_out_finish (CmApiClient   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return request_propagate_boolean (self, result, cm_api_client_sign_out_async, error);
}

/* PUT milogin/password */

void
cm_api_client_change_password_async (CmApiClient         *self,
                                     const char          *current_password,
                                     const char          *new_password,
                                     const char          *new_password_confirm,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));

  json_builder_begin_object (builder);
  builder_add_string (builder, CM_MEMBER_CURRENT_PASSWORD, current_password);
  builder_add_string (builder, CM_MEMBER_NEW_PASSWORD, new_password);
  builder_add_string (builder, CM_MEMBER_NEW_PASSWORD_CONFIRM, new_password_confirm);
  json_builder_end_object (builder);
  body = body_from_builder (builder);

  request_start (self, cm_api_client_change_password_async, "PUT", CM_PATH_PASSWORD, body,
                 REQUEST_AUTH, NULL, NULL, cancellable, callback, user_data);
}

gboolean
cm_api_client_change_password_finish (CmApiClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return request_propagate_boolean (self, result, cm_api_client_change_password_async, error);
}

/* POST milogin/password-resets */

void
cm_api_client_request_password_reset_async (CmApiClient         *self,
                                             const char          *user_id,
                                             const char          *method,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));

  json_builder_begin_object (builder);
  builder_add_string (builder, CM_MEMBER_USER_ID, user_id);
  builder_add_string (builder, CM_MEMBER_METHOD, method);
  json_builder_end_object (builder);
  body = body_from_builder (builder);

  request_start (self, cm_api_client_request_password_reset_async, "POST",
                 CM_PATH_PASSWORD_RESETS, body, REQUEST_NONE, NULL, NULL,
                 cancellable, callback, user_data);
}

gboolean
cm_api_client_request_password_reset_finish (CmApiClient   *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return request_propagate_boolean (self, result, cm_api_client_request_password_reset_async,
                                    error);
}

/* POST milogin/password-resets/confirm */

void
cm_api_client_confirm_password_reset_async (CmApiClient         *self,
                                            const char          *user_id,
                                            const char          *pin,
                                            const char          *new_password,
                                            const char          *new_password_confirm,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));

  json_builder_begin_object (builder);
  builder_add_string (builder, CM_MEMBER_USER_ID, user_id);
  builder_add_string (builder, CM_MEMBER_PIN, pin);
  builder_add_string (builder, CM_MEMBER_NEW_PASSWORD, new_password);
  builder_add_string (builder, CM_MEMBER_NEW_PASSWORD_CONFIRM, new_password_confirm);
  json_builder_end_object (builder);
  body = body_from_builder (builder);

  request_start (self, cm_api_client_confirm_password_reset_async, "POST",
                 CM_PATH_PASSWORD_RESETS_CONFIRM, body, REQUEST_NONE, NULL, NULL,
                 cancellable, callback, user_data);
}

gboolean
cm_api_client_confirm_password_reset_finish (CmApiClient   *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return request_propagate_boolean (self, result, cm_api_client_confirm_password_reset_async,
                                    error);
}

/* GET cars/account-types */

void
cm_api_client_get_account_types_async (CmApiClient         *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  request_start (self, cm_api_client_get_account_types_async, "GET", CM_PATH_ACCOUNT_TYPES,
                 NULL, REQUEST_IDEMPOTENT, parse_account_types,
                 (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

/**
 * cm_api_client_get_account_types_finish:
 *
 * Returns: (transfer full) (element-type CmAccountType) (nullable):
 */
GPtrArray *
cm_api_client_get_account_types_finish (CmApiClient   *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return request_propagate (self, result, cm_api_client_get_account_types_async, error);
}

/* POST cars/account-lookups */

static GBytes *
account_body (const char *authorization_code,
              const char *account_type,
              const char *account_number,
              const char *zip,
              const char *delivery,
              gboolean    with_terms,
              gboolean    terms_accepted)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (authorization_code != NULL)
    builder_add_string (builder, CM_MEMBER_AUTHORIZATION_CODE, authorization_code);
  builder_add_string (builder, CM_MEMBER_ACCOUNT_TYPE, account_type);
  builder_add_string (builder, CM_MEMBER_ACCOUNT_NUMBER, account_number);
  builder_add_string (builder, CM_MEMBER_ZIP, zip);
  if (delivery != NULL)
    builder_add_string (builder, CM_MEMBER_DELIVERY, delivery);
  if (with_terms)
    builder_add_boolean (builder, CM_MEMBER_TERMS_ACCEPTED, terms_accepted);
  json_builder_end_object (builder);

  return body_from_builder (builder);
}

void
cm_api_client_lookup_account_async (CmApiClient         *self,
                                    const char          *account_type,
                                    const char          *account_number,
                                    const char          *zip,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));

  body = account_body (NULL, account_type, account_number, zip, NULL, FALSE, FALSE);
  request_start (self, cm_api_client_lookup_account_async, "POST", CM_PATH_ACCOUNT_LOOKUPS,
                 body, REQUEST_AUTH, parse_lookup, (GDestroyNotify) cm_lookup_result_free,
                 cancellable, callback, user_data);
}

/**
 * cm_api_client_lookup_account_finish:
 *
 * Returns: (transfer full) (nullable): errors include CM_ERROR_NO_MATCHING_ACCOUNT
 */
CmLookupResult *
cm_api_client_lookup_account_finish (CmApiClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return request_propagate (self, result, cm_api_client_lookup_account_async, error);
}

/* POST cars/access-requests */

void
cm_api_client_request_access_async (CmApiClient         *self,
                                    const char          *account_type,
                                    const char          *account_number,
                                    const char          *zip,
                                    const char          *delivery,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));
  g_return_if_fail (delivery != NULL);

  body = account_body (NULL, account_type, account_number, zip, delivery, FALSE, FALSE);
  request_start (self, cm_api_client_request_access_async, "POST", CM_PATH_ACCESS_REQUESTS,
                 body, REQUEST_AUTH, parse_access_request,
                 (GDestroyNotify) cm_access_request_result_free, cancellable, callback,
                 user_data);
}

/**
 * cm_api_client_request_access_finish:
 *
 * Returns: (transfer full) (nullable): the confirmation
 */
CmAccessRequestResult *
cm_api_client_request_access_finish (CmApiClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return request_propagate (self, result, cm_api_client_request_access_async, error);
}

/* POST cars/account-access */

void
cm_api_client_add_account_access_async (CmApiClient         *self,
                                        const char          *authorization_code,
                                        const char          *account_type,
                                        const char          *account_number,
                                        const char          *zip,
                                        gboolean             terms_accepted,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));
  g_return_if_fail (authorization_code != NULL);

  body = account_body (authorization_code, account_type, account_number, zip, NULL, TRUE,
                       terms_accepted);
  request_start (self, cm_api_client_add_account_access_async, "POST", CM_PATH_ACCOUNT_ACCESS,
                 body, REQUEST_AUTH, parse_account_access, g_object_unref,
                 cancellable, callback, user_data);
}

/**
 * cm_api_client_add_account_access_finish:
 *
 * Returns: (transfer full) (nullable): the linked account
 */
CmAccount *
cm_api_client_add_account_access_finish (CmApiClient   *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return request_propagate (self, result, cm_api_client_add_account_access_async, error);
}

/* GET cars/accounts */

void
cm_api_client_list_accounts_async (CmApiClient         *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  request_start (self, cm_api_client_list_accounts_async, "GET", CM_PATH_ACCOUNTS, NULL,
                 REQUEST_AUTH | REQUEST_IDEMPOTENT, parse_accounts,
                 (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

/**
 * cm_api_client_list_accounts_finish:
 *
 * Returns: (transfer full) (element-type CmAccount) (nullable):
 */
GPtrArray *
cm_api_client_list_accounts_finish (CmApiClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return request_propagate (self, result, cm_api_client_list_accounts_async, error);
}

/* DELETE cars/accounts/{account_type}/{account_number} */

void
cm_api_client_remove_account_async (CmApiClient         *self,
                                    const char          *account_type,
                                    const char          *account_number,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *type = NULL;
  g_autofree char *number = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));
  g_return_if_fail (account_type != NULL);
  g_return_if_fail (account_number != NULL);

  type = g_uri_escape_string (account_type, NULL, FALSE);
  number = g_uri_escape_string (account_number, NULL, FALSE);
  path = g_strconcat (CM_PATH_ACCOUNTS "/", type, "/", number, NULL);
  request_start (self, cm_api_client_remove_account_async, "DELETE", path, NULL, REQUEST_AUTH,
                 NULL, NULL, cancellable, callback, user_data);
}

gboolean
cm_api_client_remove_account_finish (CmApiClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return request_propagate_boolean (self, result, cm_api_client_remove_account_async, error);
}
