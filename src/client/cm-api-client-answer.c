/* cm-api-client-answer.c: what CmApiClient makes of an answer: transport failures and error
 * answers as translated CM_ERRORs, and the JSON shapes every parser starts from.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-api-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "cm-api-client-private.h"
#include "cm-error.h"
#include "cm-json.h"
#include "cm-protocol.h"

/* Turns a transport error into a translated CM_ERROR; cancellation by the caller passes through. */
GError *
cm_api_transport_error (CmApiClient  *self,
                        CmApiRequest *req,
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

GError *
cm_api_protocol_error (CmApiClient  *self,
                       CmApiRequest *req,
                       const GError *cause)
{
  g_debug ("%s %s: unexpected answer: %s", req->method, req->path,
           cause != NULL ? cause->message : "(none)");
  return g_error_new (CM_ERROR, CM_ERROR_PROTOCOL,
                      /* Translators: %s is a host name */
                      _("The server at %s sent an answer that could not be read."),
                      g_uri_get_host (self->base));
}

GError *
cm_api_too_large_error (CmApiClient  *self,
                        CmApiRequest *req)
{
  g_debug ("%s %s: answer over %" G_GSIZE_FORMAT " bytes", req->method, req->path,
           self->max_response_size);
  return g_error_new (CM_ERROR, CM_ERROR_PROTOCOL,
                      /* Translators: %s is a host name */
                      _("The server at %s sent an answer that is too large."),
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

GError *
cm_api_error_from_answer (CmApiClient  *self,
                          CmApiRequest *req,
                          guint         status)
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

JsonObject *
cm_api_answer_object (JsonNode  *root,
                      GError   **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CM_ERROR, CM_ERROR_INVALID_FIELD, "the answer is not an object");
      return NULL;
    }
  return json_node_get_object (root);
}


GPtrArray *
cm_api_answer_object_array (JsonArray      *array,
                            gpointer      (*parse_object) (JsonObject  *object,
                                                           GError     **error),
                            GDestroyNotify  element_free,
                            const char     *what,
                            GError        **error)
{
  guint n = json_array_get_length (array);
  g_autoptr(GPtrArray) elements = g_ptr_array_new_full (n, element_free);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      gpointer element;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, CM_ERROR, CM_ERROR_INVALID_FIELD, "%s is not an object", what);
          return NULL;
        }
      element = parse_object (json_node_get_object (node), error);
      if (element == NULL)
        return NULL;
      g_ptr_array_add (elements, element);
    }

  return g_steal_pointer (&elements);
}
