/* cm-api-client-request.c: one request of CmApiClient, from the message to the parsed answer:
 * the headers, the deadline, the retries of a GET, reading the body under the size cap.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-api-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cm-api-client-private.h"
#include "cm-client-private.h"
#include "cm-error.h"
#include "cm-json.h"
#include "cm-protocol.h"

#define READ_CHUNK_SIZE (64 * 1024)
#define MAX_RETRIES 2

/* Waits before the retries of an idempotent GET, in milliseconds. */
static const guint retry_delays_ms[MAX_RETRIES] = { 250, 1000 };

static void
request_stop_sources (CmApiRequest *req)
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
request_free (CmApiRequest *req)
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

static void
request_complete (GTask    *task,
                  GError   *error,
                  gpointer  result)
{
  CmApiClient *self = g_task_get_source_object (task);
  CmApiRequest *req = g_task_get_task_data (task);

  request_stop_sources (req);

  if (error != NULL)
    {
      if ((req->flags & CM_API_REQUEST_AUTH) != 0 &&
          g_error_matches (error, CM_ERROR, CM_ERROR_SESSION_EXPIRED))
        cm_api_client_emit_session_expired (self);
      g_task_return_error (task, error);
    }
  else if (req->parse != NULL)
    g_task_return_pointer (task, result, req->result_free);
  else
    g_task_return_boolean (task, TRUE);
}

/* Our cancellable went off (the caller's, or the deadline) while nothing
 * of libsoup's was running to report it: the error it would have given. */
static void
request_complete_cancelled (GTask *task)
{
  CmApiClient *self = g_task_get_source_object (task);
  CmApiRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 "Operation was cancelled");

  request_complete (task, cm_api_transport_error (self, req, error, FALSE), NULL);
}

/* ---- The answer's JSON ---- */

/* Answers up to this size are parsed in the turn that read their end. A
 * larger one is parsed on a worker thread, so the window keeps drawing: the
 * list of 100,000 linked accounts is 19 MB, about a second to parse, turn
 * into accounts and free (docs/benchmarks.md). */
#define PARSE_IN_TURN_MAX_BYTES (64 * 1024)

typedef struct
{
  GByteArray     *body;         /* (owned) */
  gsize           max_bytes;
  CmApiParseFunc  parse;
  GDestroyNotify  result_free;
} ParseJob;

static void
parse_job_free (ParseJob *job)
{
  g_byte_array_unref (job->body);
  g_free (job);
}

/* Any thread: the parse functions only build values from the tree. */
static gpointer
parse_body (ParseJob  *job,
            GError   **error)
{
  g_autoptr(JsonNode) root = cm_json_parse ((const char *) job->body->data, job->body->len,
                                            job->max_bytes, CM_JSON_MAX_DEPTH, error);

  return root != NULL ? job->parse (root, error) : NULL;
}

static void
parse_in_thread (GTask        *parse_task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ParseJob *job = task_data;
  GError *error = NULL;
  gpointer result = parse_body (job, &error);

  /* g_task_return_error() with no error would never complete the call. */
  if (result == NULL && error == NULL)
    error = g_error_new_literal (CM_ERROR, CM_ERROR_PROTOCOL, "nothing parsed, no error given");
  if (result == NULL)
    g_task_return_error (parse_task, error);
  else
    g_task_return_pointer (parse_task, result, job->result_free);
}

static void
request_complete_parsed (GTask    *task,
                         gpointer  result,
                         GError   *parse_error)
{
  CmApiClient *self = g_task_get_source_object (task);
  CmApiRequest *req = g_task_get_task_data (task);

  if (result == NULL)
    request_complete (task, cm_api_protocol_error (self, req, parse_error), NULL);
  else
    request_complete (task, NULL, result);
}

static void
parse_done_cb (GObject      *source_object,
               GAsyncResult *parse_result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmApiRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gpointer result = g_task_propagate_pointer (G_TASK (parse_result), &error);

  /* Cancelled by the caller, or past the deadline, while it was parsed. */
  if (g_cancellable_is_cancelled (req->cancellable))
    {
      if (result != NULL)
        req->result_free (result);
      request_complete_cancelled (task);
      return;
    }
  request_complete_parsed (task, result, error);
}

static void
request_parse_answer (GTask *task)
{
  CmApiClient *self = g_task_get_source_object (task);
  CmApiRequest *req = g_task_get_task_data (task);
  ParseJob *job = g_new0 (ParseJob, 1);
  g_autoptr(GTask) parse_task = NULL;
  g_autoptr(GError) error = NULL;
  gpointer result;

  job->body = g_steal_pointer (&req->buffer);
  job->max_bytes = self->max_response_size;
  job->parse = req->parse;
  job->result_free = req->result_free;
  if (job->body->len <= PARSE_IN_TURN_MAX_BYTES)
    {
      result = parse_body (job, &error);
      parse_job_free (job);
      request_complete_parsed (task, result, error);
      return;
    }

  parse_task = g_task_new (NULL, NULL, parse_done_cb, g_object_ref (task));
  g_task_set_source_tag (parse_task, request_parse_answer);
  g_task_set_task_data (parse_task, job, (GDestroyNotify) parse_job_free);
  g_task_run_in_thread (parse_task, parse_in_thread);
}

static void
request_handle_answer (GTask *task)
{
  CmApiClient *self = g_task_get_source_object (task);
  CmApiRequest *req = g_task_get_task_data (task);
  guint status = soup_message_get_status (req->msg);

  g_debug ("%s %s -> %u", req->method, req->path, status);

  if (status < 200 || status >= 300)
    {
      if (status >= 300 && status < 400)
        {
          /* Redirects are not followed: one could move the token to another host. */
          request_complete (task, cm_api_protocol_error (self, req, NULL), NULL);
          return;
        }
      request_complete (task, cm_api_error_from_answer (self, req, status), NULL);
      return;
    }

  if (req->parse == NULL)
    {
      request_complete (task, NULL, NULL);
      return;
    }
  request_parse_answer (task);
}

static void request_read_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);

static void
request_read_next (GTask *task)
{
  CmApiRequest *req = g_task_get_task_data (task);

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
  CmApiRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      request_complete (task, cm_api_transport_error (self, req, error, TRUE), NULL);
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

          request_complete (task, cm_api_transport_error (self, req, short_read, TRUE), NULL);
          return;
        }
      g_clear_object (&req->stream);
      request_handle_answer (task);
      return;
    }

  /* Count the bytes that arrive, whatever Content-Length said. */
  if (req->buffer->len + g_bytes_get_size (bytes) > self->max_response_size)
    {
      request_complete (task, cm_api_too_large_error (self, req), NULL);
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
  CmApiRequest *req = g_task_get_task_data (task);

  g_clear_pointer (&req->retry_wait, g_source_unref);

  if (g_cancellable_is_cancelled (req->cancellable))
    {
      request_complete_cancelled (task);
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
  CmApiRequest *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  g_autoptr(GError) error = NULL;

  req->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (req->stream == NULL)
    {
      if ((req->flags & CM_API_REQUEST_IDEMPOTENT) != 0 && req->attempt < MAX_RETRIES &&
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

      request_complete (task, cm_api_transport_error (self, req, error, FALSE), NULL);
      return;
    }

  headers = soup_message_get_response_headers (req->msg);
  req->content_length = -1;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    req->content_length = soup_message_headers_get_content_length (headers);
  if (req->content_length > (goffset) self->max_response_size)
    {
      request_complete (task, cm_api_too_large_error (self, req), NULL);
      return;
    }

  req->buffer = g_byte_array_new ();
  request_read_next (g_steal_pointer (&task));
}

static void
request_send (GTask *task)
{
  CmApiClient *self = g_task_get_source_object (task);
  CmApiRequest *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  g_clear_object (&req->msg);
  req->msg = soup_message_new_from_uri (req->method, req->uri);
  soup_message_add_flags (req->msg, SOUP_MESSAGE_NO_REDIRECT);
  if ((req->flags & CM_API_REQUEST_IDEMPOTENT) == 0)
    soup_message_remove_flags (req->msg, SOUP_MESSAGE_IDEMPOTENT);

  headers = soup_message_get_request_headers (req->msg);
  soup_message_headers_replace (headers, "Accept", CM_CONTENT_TYPE_JSON);
  /* The back-end picks the words of the sign-up question in this language. */
  if (self->accept_language != NULL)
    soup_message_headers_replace (headers, "Accept-Language", self->accept_language);
  if ((req->flags & CM_API_REQUEST_AUTH) != 0 && self->token != NULL)
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
  CmApiRequest *req = user_data;

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

void
cm_api_client_request_start (CmApiClient         *self,
                             gpointer             source_tag,
                             const char          *method,
                             const char          *path,
                             GBytes              *body,
                             CmApiRequestFlags    flags,
                             CmApiParseFunc       parse,
                             GDestroyNotify       result_free,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CmApiRequest *req;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  req = g_new0 (CmApiRequest, 1);
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

gpointer
cm_api_client_request_propagate (CmApiClient   *self,
                                 GAsyncResult  *result,
                                 gpointer       source_tag,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
cm_api_client_request_propagate_boolean (CmApiClient   *self,
                                         GAsyncResult  *result,
                                         gpointer       source_tag,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Bodies ---- */

void
cm_client_builder_add_string (JsonBuilder *builder,
                              const char  *member,
                              const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
cm_client_builder_add_boolean (JsonBuilder *builder,
                               const char  *member,
                               gboolean     value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

/* Bodies can hold passwords, codes and PINs: the bytes are wiped when libsoup lets go. */
GBytes *
cm_api_body_from_node (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *data;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_with_free_func (data, length, (GDestroyNotify) cm_secret_free, data);
}

GBytes *
cm_api_body_from_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return cm_api_body_from_node (root);
}

GBytes *
cm_api_body_from_strings (const char *first_member,
                          ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_member);
  for (const char *member = first_member; member != NULL; member = va_arg (args, const char *))
    cm_client_builder_add_string (builder, member, va_arg (args, const char *));
  va_end (args);
  json_builder_end_object (builder);

  return cm_api_body_from_builder (builder);
}
