/* cm-server-pipeline.c: what every request goes through: the routes of docs/openapi.yaml,
 * size, rate limit, token and JSON checks, replies and storage faults.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server"

#include "config.h"

#include <errno.h>
#include <gio/gnetworking.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cm-db-driver.h"
#include "cm-error.h"
#include "cm-json.h"
#include "cm-protocol.h"
#include "cm-server-listener.h"
#include "cm-server-private.h"
#include "cm-server-resources.h"

#include "cm-server-instance-private.h"

#define BODY_KEY "cm-server-body"

typedef enum
{
  ROUTE_AUTH    = 1 << 0,  /* needs a bearer token */
  ROUTE_LIMITED = 1 << 1,  /* counts against the client's rate limit */
  ROUTE_BODY    = 1 << 2,  /* takes a JSON object */
  ROUTE_READ    = 1 << 3,  /* reads only: authenticates and runs in one read transaction */
} RouteFlags;

typedef struct
{
  const char      *method;
  const char      *path;     /* "*" segments are parameters */
  RouteFlags       flags;
  CmServerHandler  handler;
} Route;

static const Route routes[] = {
  { "GET",    CM_PATH_HEALTH, 0, NULL },
  { "GET",    CM_PATH_CHALLENGE, ROUTE_LIMITED, cm_server_auth_challenge },
  { "GET",    CM_PATH_USER_IDS "/*", ROUTE_LIMITED, cm_server_auth_user_id },
  { "POST",   CM_PATH_USERS, ROUTE_LIMITED | ROUTE_BODY, cm_server_auth_sign_up },
  { "POST",   CM_PATH_SESSIONS, ROUTE_LIMITED | ROUTE_BODY, cm_server_auth_sign_in },
  { "GET",    CM_PATH_SESSION_CURRENT, ROUTE_AUTH, cm_server_auth_session },
  { "DELETE", CM_PATH_SESSION_CURRENT, ROUTE_AUTH, cm_server_auth_sign_out },
  { "PUT",    CM_PATH_PASSWORD, ROUTE_AUTH | ROUTE_LIMITED | ROUTE_BODY,
    cm_server_auth_change_password },
  { "POST",   CM_PATH_PASSWORD_RESETS, ROUTE_LIMITED | ROUTE_BODY, cm_server_auth_reset_password },
  { "POST",   CM_PATH_PASSWORD_RESETS_CONFIRM, ROUTE_LIMITED | ROUTE_BODY,
    cm_server_auth_confirm_reset },
  { "GET",    CM_PATH_PROFILE, ROUTE_AUTH | ROUTE_READ, cm_server_account_get_profile },
  { "PUT",    CM_PATH_PROFILE, ROUTE_AUTH | ROUTE_LIMITED | ROUTE_BODY,
    cm_server_account_update_profile },
  { "PUT",    CM_PATH_RECOVERY_OPTIONS, ROUTE_AUTH | ROUTE_LIMITED | ROUTE_BODY,
    cm_server_account_set_recovery_options },
  { "GET",    CM_PATH_ACCOUNT_TYPES, 0, cm_server_access_account_types },
  { "POST",   CM_PATH_ACCOUNT_LOOKUPS, ROUTE_AUTH | ROUTE_LIMITED | ROUTE_BODY,
    cm_server_access_lookup },
  { "POST",   CM_PATH_ACCESS_REQUESTS, ROUTE_AUTH | ROUTE_LIMITED | ROUTE_BODY,
    cm_server_access_request_code },
  { "POST",   CM_PATH_ACCOUNT_ACCESS, ROUTE_AUTH | ROUTE_LIMITED | ROUTE_BODY,
    cm_server_access_add },
  { "POST",   CM_PATH_CODE_CHECKS, ROUTE_AUTH | ROUTE_LIMITED | ROUTE_BODY,
    cm_server_access_check_code },
  { "GET",    CM_PATH_ACCOUNTS, ROUTE_AUTH | ROUTE_READ, cm_server_access_list },
  { "DELETE", CM_PATH_ACCOUNTS "/*/*", ROUTE_AUTH, cm_server_access_remove },
};

/* ---- Requests ---- */

CmServerRequest *
cm_server_request_ref (CmServerRequest *request)
{
  g_ref_count_inc (&request->ref);
  return request;
}

void
cm_server_request_unref (CmServerRequest *request)
{
  if (!g_ref_count_dec (&request->ref))
    return;

  if (request->paused && !request->answered)
    {
      /* A bug left the client waiting: answer rather than hang. */
      g_autoptr(GError) error = cm_error_new (CM_ERROR_INTERNAL, NULL, NULL);

      g_warning ("A request ended without an answer");
      cm_server_request_reply_error (request, error);
    }
  g_clear_pointer (&request->body_node, json_node_unref);
  g_strfreev (request->params);
  g_object_unref (request->msg);
  g_object_unref (request->server);
  g_free (request);
}

void
cm_server_request_pause (CmServerRequest *request)
{
  g_return_if_fail (!request->paused);

  request->paused = TRUE;
  request->server->in_flight++;
  soup_server_message_pause (request->msg);
}

static void
set_common_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
}

/* libsoup 3.2.3 removes Content-Length from a 204 as it writes the headers, then takes the
 * answer for "body until the connection closes" and closes a keep-alive connection after
 * it: the client's next request on it fails (clients that do not retry, such as Node's,
 * see "socket hang up"). Saying "no body" once the headers are out keeps it open. */
static void
on_no_content_wrote_headers_cb (SoupServerMessage *msg,
                                gpointer           user_data)
{
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_NONE);
}

/* @text (transfer full): JSON text of @length bytes. */
static void
reply_message_text (SoupServerMessage *msg,
                    guint              status,
                    char              *text,
                    gsize              length)
{
  set_common_headers (msg);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, CM_CONTENT_TYPE_JSON, SOUP_MEMORY_TAKE, text, length);
}

/* @node (transfer full) (nullable) */
static void
reply_message (SoupServerMessage *msg,
               guint              status,
               JsonNode          *node)
{
  g_autoptr(JsonNode) owned = node;

  if (owned != NULL)
    {
      gsize length = 0;
      char *text = cm_json_to_string (owned, &length);

      reply_message_text (msg, status, text, length);
    }
  else
    {
      set_common_headers (msg);
      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
      if (status == SOUP_STATUS_NO_CONTENT)
        g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_no_content_wrote_headers_cb),
                          NULL);
    }
}

/* A refusal that ends by itself says when to come back: rate limits and full queues. */
static void
set_retry_after (SoupServerMessage *msg,
                 const GError      *error)
{
  g_autofree char *seconds = NULL;

  if (error->domain != CM_ERROR || cm_error_get_retry_after (error) < 0 ||
      (error->code != CM_ERROR_RATE_LIMITED && error->code != CM_ERROR_UNAVAILABLE))
    return;
  seconds = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (1, cm_error_get_retry_after (error)));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                CM_HEADER_RETRY_AFTER, seconds);
}

static void
reply_message_error (SoupServerMessage *msg,
                     const GError      *error)
{
  g_autoptr(JsonNode) node = cm_error_to_json (error);
  guint status = CM_ERROR_INTERNAL;

  if (error->domain == CM_ERROR)
    status = cm_error_code_to_http_status (error->code);
  else
    status = cm_error_code_to_http_status (CM_ERROR_INTERNAL);

  set_retry_after (msg, error);
  reply_message (msg, status, g_steal_pointer (&node));
}

/* FALSE (and a warning) when @request has its answer already. */
static gboolean
begin_reply (CmServerRequest *request)
{
  if (request->answered)
    {
      g_warning ("A request was answered twice");
      return FALSE;
    }
  request->answered = TRUE;
  return TRUE;
}

static void
end_reply (CmServerRequest *request)
{
  if (request->paused)
    {
      request->paused = FALSE;
      request->server->in_flight--;
      soup_server_message_unpause (request->msg);
    }
}

void
cm_server_request_reply (CmServerRequest *request,
                         guint            status,
                         JsonNode        *node)
{
  g_autoptr(JsonNode) owned = node;

  if (!begin_reply (request))
    return;
  reply_message (request->msg, status, g_steal_pointer (&owned));
  end_reply (request);
}

void
cm_server_request_reply_text (CmServerRequest *request,
                              guint            status,
                              GString         *json)
{
  gsize length = json->len;

  if (!begin_reply (request))
    {
      g_string_free (json, TRUE);
      return;
    }
  reply_message_text (request->msg, status, g_string_free (json, FALSE), length);
  end_reply (request);
}

void
cm_server_request_reply_error (CmServerRequest *request,
                               const GError    *error)
{
  g_autoptr(JsonNode) node = cm_error_to_json (error);
  guint status;

  if (error->domain == CM_ERROR)
    status = cm_error_code_to_http_status (error->code);
  else
    status = cm_error_code_to_http_status (CM_ERROR_INTERNAL);

  set_retry_after (request->msg, error);
  cm_server_request_reply (request, status, g_steal_pointer (&node));
}

/* Disk full, read-only file, I/O error: the request was fine, the storage was not. */
static gboolean
is_storage_fault (const GError *error)
{
  if (error->domain == CM_SERVER_STORAGE_ERROR)
    return TRUE;
  if (error->domain == G_FILE_ERROR)
    return TRUE;  /* the outbox: ENOSPC, EFBIG, EROFS, EIO... */
  if (error->domain == G_IO_ERROR)
    return error->code == G_IO_ERROR_NO_SPACE || error->code == G_IO_ERROR_READ_ONLY ||
           error->code == G_IO_ERROR_PERMISSION_DENIED;
  return FALSE;
}

void
cm_server_request_fail (CmServerRequest *request,
                        const GError    *error)
{
  if (error->domain != CM_ERROR && is_storage_fault (error))
    {
      g_autoptr(GError) unavailable = cm_error_new (CM_ERROR_UNAVAILABLE, NULL, NULL);

      /* An operating condition, not a bug (g_message, not g_warning): the cause goes to
       * the log; the client may try again later. */
      g_message ("%s %s: storage unavailable: %s",
                 soup_server_message_get_method (request->msg),
                 g_uri_get_path (soup_server_message_get_uri (request->msg)), error->message);
      cm_server_request_reply_error (request, unavailable);
      return;
    }
  if (error->domain != CM_ERROR)
    {
      g_autoptr(GError) internal = cm_error_new (CM_ERROR_INTERNAL, NULL, NULL);

      /* The cause goes to the log, never to the client. */
      g_warning ("%s %s failed: %s", soup_server_message_get_method (request->msg),
                 g_uri_get_path (soup_server_message_get_uri (request->msg)), error->message);
      cm_server_request_reply_error (request, internal);
      return;
    }
  cm_server_request_reply_error (request, error);
}

/* ---- Helpers for the handler files ---- */

CmServerDb *
cm_server_get_db (CmServer *self)
{
  return self->db;
}

CmRateLimiter *
cm_server_get_limiter (CmServer *self)
{
  return self->limiter;
}

CmServerHash *
cm_server_get_hash (CmServer *self)
{
  return self->hash;
}

CmOutbox *
cm_server_get_outbox (CmServer *self)
{
  return self->outbox;
}

static gint64
get_clock_offset (CmServer *self)
{
  gint64 offset;

  g_mutex_lock (&self->clock_lock);
  offset = self->clock_offset;
  g_mutex_unlock (&self->clock_lock);
  return offset;
}

gint64
cm_server_now (CmServer *self)
{
  return g_get_real_time () / G_USEC_PER_SEC + get_clock_offset (self);
}

char *
cm_server_format_time (gint64 unix_time)
{
  time_t t = (time_t) unix_time;
  struct tm tm;
  char text[sizeof "-2147483648-12-31T23:59:59Z"];

  /* gmtime_r() and strftime() in place of a GDateTime: a fifth of the cost, and
   * this runs for every account of every list. */
  /* Years 1 to 9999, as GDateTime, which it replaces. */
  if (unix_time < G_GINT64_CONSTANT (-62135596800) ||
      unix_time > G_GINT64_CONSTANT (253402300799) ||
      gmtime_r (&t, &tm) == NULL ||
      strftime (text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    return g_strdup ("1970-01-01T00:00:00Z");
  return g_strdup (text);
}

/* ---- Rate limit ---- */

/* The wall clock, which every instance on the store shares (monotonic clocks differ from host
 * to host), moved by cm_server_advance_clock() for the tests; microseconds. */
static gint64
rate_clock (CmServer *self)
{
  return g_get_real_time () + get_clock_offset (self) * G_USEC_PER_SEC;
}

/* Retry-After: whole seconds, at least one. */
static gint64
wait_seconds (gint64 wait_usec)
{
  return MAX (1, (wait_usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

static gint64
rate_limit_take_at (CmServer   *self,
                    const char *key,
                    guint       per_minute,
                    gint64      now)
{
  g_autoptr(GError) error = NULL;
  gboolean allowed;
  gint64 next_token_at;
  gint64 wait;

  if (per_minute == 0)
    return 0;
  /* The store said the bucket is empty until then: it would say so again, at the price of
   * a write (docs/server.md, "The storage seam"). */
  if ((wait = cm_rate_limiter_known_wait (self->limiter, key, now)) > 0)
    return wait_seconds (wait);
  /* A bucket unused for a minute has refilled: its row goes, a minute at a time. */
  if (now - self->rate_pruned_at > 60 * G_USEC_PER_SEC)
    {
      if (!cm_server_db_prune_rate_buckets (self->db, now - 60 * G_USEC_PER_SEC, &error))
        g_debug ("Rate buckets not pruned: %s", error->message);
      g_clear_error (&error);
      self->rate_pruned_at = now;
    }
  /* The store failing fails the request after this anyway; its limit is no help then. */
  if (!cm_server_db_take_rate_token (self->db, key, per_minute, now, &allowed, &next_token_at,
                                     &error))
    {
      g_debug ("Rate limit not counted: %s", error->message);
      return 0;
    }
  cm_rate_limiter_learn (self->limiter, key, allowed, now, next_token_at);
  return allowed ? 0 : wait_seconds (next_token_at - now);
}

gint64
cm_server_rate_limit_take (CmServer   *self,
                           const char *key,
                           guint       per_minute)
{
  return rate_limit_take_at (self, key, per_minute, rate_clock (self));
}

char *
cm_server_request_dup_client_key (CmServerRequest *request,
                                  gboolean         network)
{
  SoupServerMessage *msg = request->msg;
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  g_autoptr(GInetAddress) client = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return g_strdup ("unknown");
  client = cm_rate_limiter_client_address (
    request->server->limiter, g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)),
    soup_server_message_get_request_headers (msg));
  if (network)
    return cm_rate_limiter_address_key (client, CM_RATE_LIMITER_NET_PREFIX_V4,
                                        CM_RATE_LIMITER_NET_PREFIX_V6);
  return cm_rate_limiter_address_key (client, CM_RATE_LIMITER_HOST_PREFIX_V4,
                                      CM_RATE_LIMITER_HOST_PREFIX_V6);
}

/* The client's own bucket (its IPv4 address or IPv6 /64), then its network's (/24 or /48,
 * ten times as large), so that many addresses of one network cannot each have the full
 * rate. Returns 0 when allowed, else the seconds to wait. */
static gint64
rate_limit_client (CmServerRequest *request)
{
  CmServer *self = request->server;
  gint64 now = rate_clock (self);
  g_autofree char *host = NULL;
  g_autofree char *network = NULL;
  gint64 wait;

  if (self->rate_per_minute == 0)
    return 0;
  host = cm_server_request_dup_client_key (request, FALSE);
  network = cm_server_request_dup_client_key (request, TRUE);
  /* A network known to be empty refuses a new address of it before its own bucket is
   * taken (and written). */
  if ((wait = cm_rate_limiter_known_wait (self->limiter, host, now)) > 0 ||
      (wait = cm_rate_limiter_known_wait (self->limiter, network, now)) > 0)
    return wait_seconds (wait);
  wait = rate_limit_take_at (self, host, self->rate_per_minute, now);
  if (wait > 0)
    return wait;
  return rate_limit_take_at (self, network, self->rate_per_minute * CM_RATE_LIMITER_NET_FACTOR,
                             now);
}

/* ---- Routing ---- */

/* Matches the path's @segments against @pattern without allocating (this runs for every
 * route on every request); parameters go to @params (decoded) only on a match. */
static gboolean
route_matches (const char  *pattern,
               char       **segments,
               GStrv       *params)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  const char *part = pattern;
  guint i;

  for (i = 0; segments[i] != NULL; i++)
    {
      const char *slash;
      gsize length;

      if (part == NULL)
        return FALSE;
      slash = strchr (part, '/');
      length = slash != NULL ? (gsize) (slash - part) : strlen (part);
      if (length == 1 && part[0] == '*')
        {
          g_autofree char *decoded = NULL;

          /* An escape that does not decode (%00, %2F, a bad one) matches nothing. */
          if (segments[i][0] == '\0')
            return FALSE;
          if (strchr (segments[i], '%') != NULL &&
              ((decoded = g_uri_unescape_string (segments[i], "/")) == NULL ||
               decoded[0] == '\0'))
            return FALSE;
        }
      else if (strncmp (part, segments[i], length) != 0 || segments[i][length] != '\0')
        {
          return FALSE;
        }
      part = slash != NULL ? slash + 1 : NULL;
    }
  if (part != NULL)
    return FALSE;
  if (params == NULL)
    return TRUE;

  /* A match: decode the parameters. */
  builder = g_strv_builder_new ();
  for (i = 0, part = pattern; segments[i] != NULL; i++)
    {
      const char *slash = strchr (part, '/');

      if (part[0] == '*' && (part[1] == '/' || part[1] == '\0'))
        {
          g_autofree char *decoded = g_uri_unescape_string (segments[i], "/");

          if (decoded == NULL || decoded[0] == '\0')
            return FALSE;
          g_strv_builder_add (builder, decoded);
        }
      part = slash != NULL ? slash + 1 : "";
    }
  *params = g_strv_builder_end (builder);
  return TRUE;
}

static JsonNode *
health_json (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_STATUS);
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, CM_MEMBER_VERSION);
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
is_json_content_type (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GHashTable) params = NULL;
  const char *type = soup_message_headers_get_content_type (headers, &params);
  const char *charset;

  if (type == NULL || g_ascii_strcasecmp (type, CM_CONTENT_TYPE_JSON) != 0)
    return FALSE;
  charset = params != NULL ? g_hash_table_lookup (params, "charset") : NULL;
  return charset == NULL || g_ascii_strcasecmp (charset, "utf-8") == 0;
}

static void
reply_code (SoupServerMessage *msg,
            CmError            code)
{
  g_autoptr(GError) error = cm_error_new (code, NULL, NULL);

  reply_message_error (msg, error);
}

/* Authenticates, parses the body and runs the handler of a matched route. */
static void
run_route (const Route     *route,
           CmServerRequest *request,
           const char      *method,
           const char      *path)
{
  g_autoptr(GError) error = NULL;

  if ((route->flags & ROUTE_AUTH) && !cm_server_auth_authenticate (request, &error))
    {
      cm_server_request_fail (request, error);
      return;
    }

  if (route->flags & ROUTE_BODY)
    {
      GByteArray *body = g_object_get_data (G_OBJECT (request->msg), BODY_KEY);
      JsonObject *object;

      object = cm_json_parse_object (body != NULL ? (const char *) body->data : "",
                                     body != NULL ? body->len : 0, &error);
      if (object == NULL)
        {
          cm_server_request_fail (request, error);
          return;
        }
      request->body_node = json_node_init_object (json_node_alloc (), object);
      request->body = json_node_get_object (request->body_node);
      json_object_unref (object);
    }

  route->handler (request);

  if (!request->answered && !request->paused)
    {
      g_autoptr(GError) internal = cm_error_new (CM_ERROR_INTERNAL, NULL, NULL);

      g_warning ("%s %s gave no answer", method, path);
      cm_server_request_reply_error (request, internal);
    }
}

/* The route of @method on @path, with its "*" segments in @params; NULL with the reply
 * (405 with Allow, or 404) sent when there is none. */
static const Route *
find_route (SoupServerMessage *msg,
            const char        *method,
            const char        *path,
            GStrv             *params)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);
  g_autoptr(GString) allow = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      GStrv *want = strcmp (routes[i].method, method) == 0 ? params : NULL;

      if (!route_matches (routes[i].path, segments, want))
        continue;
      if (want != NULL)
        return &routes[i];
      if (allow == NULL)
        allow = g_string_new (routes[i].method);
      else
        g_string_append_printf (allow, ", %s", routes[i].method);
    }

  if (allow != NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", allow->str);
      reply_code (msg, CM_ERROR_METHOD_NOT_ALLOWED);
    }
  else
    {
      reply_code (msg, CM_ERROR_NOT_FOUND);
    }
  return NULL;
}

/* The checks before the handler: media type (415) and rate limit (429). FALSE when one
 * refused the request, with the reply sent. */
static gboolean
admit_request (CmServerRequest *request,
               const Route     *route)
{
  gint64 wait;

  if ((route->flags & ROUTE_BODY) && !is_json_content_type (request->msg))
    {
      g_autoptr(GError) media = cm_error_new (CM_ERROR_UNSUPPORTED_MEDIA_TYPE, NULL, NULL);

      cm_server_request_reply_error (request, media);
      return FALSE;
    }

  if ((route->flags & ROUTE_LIMITED) &&
      (wait = rate_limit_client (request)) > 0)
    {
      g_autoptr(GError) limited = cm_error_new (CM_ERROR_RATE_LIMITED, NULL, NULL);

      cm_error_set_retry_after (limited, wait);
      cm_server_request_reply_error (request, limited);
      return FALSE;
    }
  return TRUE;
}

void
cm_server_dispatch (SoupServer        *soup,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  CmServer *self = user_data;
  g_autoptr(CmServerRequest) request = NULL;
  GStrv params = NULL;
  const char *method = soup_server_message_get_method (msg);
  const Route *route;
  gboolean read_transaction;

  if (soup_server_message_get_status (msg) != 0)
    return;  /* already refused when the headers came */

  if (self->stopping)
    {
      reply_code (msg, CM_ERROR_UNAVAILABLE);
      return;
    }

  route = find_route (msg, method, path, &params);
  if (route == NULL)
    return;

  if (route->handler == NULL)
    {
      g_strfreev (params);
      reply_message (msg, SOUP_STATUS_OK, health_json ());
      return;
    }

  request = g_new0 (CmServerRequest, 1);
  g_ref_count_init (&request->ref);
  request->server = g_object_ref (self);
  request->msg = g_object_ref (msg);
  request->params = params;
  if (!admit_request (request, route))
    return;

  /* An autocommit read takes and drops SQLite's WAL locks per statement; one read
   * transaction for the session and the data takes them once (a quarter of the work
   * of GET accounts) and reads both from one snapshot. If it cannot begin, the
   * statements run on their own, as before. */
  read_transaction = (route->flags & ROUTE_READ) && cm_server_db_begin_read (self->db, NULL);
  run_route (route, request, method, path);
  if (read_transaction)
    cm_server_db_end_read (self->db);
}

/* The GSocket under the stream libsoup gives back: our connections come in through
 * soup_server_accept_iostream(), so soup_server_message_get_socket() knows none. libsoup wraps
 * them (and TLS wraps the socket's stream) in streams with a base stream property. */
static GSocket *
find_socket (GIOStream *stream)
{
  g_autoptr(GIOStream) current = g_object_ref (stream);

  for (guint depth = 0; depth < 4; depth++)
    {
      GObjectClass *klass = G_OBJECT_GET_CLASS (current);
      const char *names[] = { "base-iostream", "base-io-stream" };
      GIOStream *base = NULL;

      if (G_IS_SOCKET_CONNECTION (current))
        return g_object_ref (g_socket_connection_get_socket (G_SOCKET_CONNECTION (current)));
      for (guint i = 0; i < G_N_ELEMENTS (names) && base == NULL; i++)
        {
          GParamSpec *pspec = g_object_class_find_property (klass, names[i]);

          if (pspec != NULL && (pspec->flags & G_PARAM_READABLE) &&
              g_type_is_a (pspec->value_type, G_TYPE_IO_STREAM))
            g_object_get (current, names[i], &base, NULL);
        }
      if (base == NULL)
        return NULL;
      g_object_unref (current);
      current = base;
    }
  return NULL;
}

/* libsoup 3.2 reads a whole body even when got-headers set a status (unless the client sent
 * Expect: 100-continue), so an oversize body is refused by taking the connection from
 * libsoup and writing the 413 ourselves: the body is never stored. */
static void
refusal_done (gpointer data)
{
  CmServer *self = data;

  self->in_flight--;
}

static void
refuse_body (CmServer          *self,
             SoupServerMessage *msg)
{
  g_autoptr(GError) error = cm_error_new (CM_ERROR_BODY_TOO_LARGE, NULL, NULL);
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GSocket) socket = NULL;

  g_object_ref (msg);
  stream = soup_server_message_steal_connection (msg);
  g_object_unref (msg);
  if (stream == NULL)
    return;
  socket = find_socket (stream);
  /* Its stop waits for in_flight. */
  self->in_flight++;
  cm_server_linger_close (stream, socket, cm_server_error_answer (error), refusal_done, self);
}

/* Bodies are collected here rather than by libsoup, so that a body without a length
 * (chunked) is bounded too: past the cap the connection is refused as above. */
static void
on_message_got_chunk_cb (SoupServerMessage *msg,
                         GBytes            *chunk,
                         gpointer           user_data)
{
  GByteArray *body = g_object_get_data (G_OBJECT (msg), BODY_KEY);
  gsize size = g_bytes_get_size (chunk);

  if (body == NULL || body->len + size > CM_JSON_MAX_BYTES)
    {
      g_debug ("Refusing a body past %u bytes", CM_JSON_MAX_BYTES);
      refuse_body (user_data, msg);
      return;
    }
  g_byte_array_append (body, g_bytes_get_data (chunk, NULL), size);
}

static void
on_message_got_headers_cb (SoupServerMessage *msg,
                           gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length;

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_object_set_data_full (G_OBJECT (msg), BODY_KEY, g_byte_array_new (),
                          (GDestroyNotify) g_byte_array_unref);

  /* Refuse an announced oversize body before a byte of it is read. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      (length = soup_message_headers_get_content_length (headers)) > CM_JSON_MAX_BYTES)
    {
      g_debug ("Refusing a body of %" G_GOFFSET_FORMAT " bytes", length);
      refuse_body (user_data, msg);
    }
}

void
cm_server_on_request_started (SoupServer        *soup,
                              SoupServerMessage *msg,
                              gpointer           user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_message_got_headers_cb), user_data);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_message_got_chunk_cb), user_data);
}

