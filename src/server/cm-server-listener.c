/* cm-server-listener.c: accepts connections for the SoupServer, within limits.
 *
 * libsoup 3.2 has no server timeouts and no connection limits, and GLib's GSocketService
 * retries a failing accept() at once: out of descriptors it spins, warning each time. So
 * the listening socket is polled here, and every connection is accounted for:
 * - a request must arrive whole within the header timeout of its first byte (and a new
 *   connection must send one within it), a connection idle between requests for the idle
 *   timeout is closed;
 * - at most max_per_address connections per client address (IPv4, or IPv6 /64);
 * - at most max_connections in all, and never more than the descriptor limit less a
 *   reserve: at the cap the connection that has waited longest without a request being
 *   served (idle, or sending slowly) is closed to make room, and when every one is busy
 *   the listening socket is no longer polled until one closes.
 * Each connection goes through a CmHttpGuard (framing checks) before libsoup.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server"

#include "config.h"

#include <gio/gnetworking.h>
#include <sys/resource.h>

#include "cm-error.h"
#include "cm-http-guard.h"
#include "cm-json.h"
#include "cm-protocol.h"
#include "cm-server-listener.h"

/* Connections accepted per wake-up, so the main loop serves the others too. */
#define ACCEPT_BATCH 64
/* Connections past the cap (evicted ones until they are gone, or newcomers while every
 * other connection is busy) before the listening socket is left alone. Within the reserve. */
#define EVICT_SLACK 32

typedef struct
{
  CmServerListener *listener;   /* (unowned): it waits for every connection */
  GIOStream        *base;       /* (owned): the socket or TLS stream */
  GSocket          *socket;     /* (owned) */
  CmHttpGuard      *guard;      /* (unowned): libsoup holds it */
  GSocketAddress   *remote;     /* (owned): carries the connection for libsoup's signals */
  char             *peer_key;   /* (owned) (nullable): counted in per_address */
  gint64            idle_since; /* accepted, or the last answer written */
  guint             n_read;     /* requests libsoup read */
  guint             n_done;     /* ... and answered or aborted */
  gboolean          shut;       /* timed out or evicted: going */
  GList             link;
} Conn;

struct _CmServerListener
{
  GObject          parent_instance;

  SoupServer      *soup;         /* (owned) */
  GSocket         *socket;       /* (owned) (nullable): closed by cm_server_listener_close() */
  GTlsCertificate *certificate;  /* (owned) (nullable) */
  CmRateLimiter   *limiter;      /* (owned) */
  CmServerLimits   limits;
  guint            cap;          /* max_connections within the descriptor limit */

  GMainContext    *context;      /* (owned) */
  GSource         *accept_source; /* (owned) (nullable): NULL while paused */
  GSource         *sweep_source; /* (owned) (nullable) */
  GSource         *retry_source; /* (owned) (nullable): accept again after EMFILE */
  GQueue           conns;
  GHashTable      *per_address;  /* peer key -> count */
  gulong           handlers[3];
};

G_DEFINE_FINAL_TYPE (CmServerListener, cm_server_listener, G_TYPE_OBJECT)

static GQuark
conn_quark (void)
{
  return g_quark_from_static_string ("cm-server-conn");
}

/* ---- Closing ---- */

typedef struct
{
  GDestroyNotify closed;
  gpointer       data;
} CloseDone;

static void
stream_closed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CloseDone *done = user_data;

  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  done->closed (done->data);
  g_free (done);
}

/* Closes @stream, then calls @closed (@data). A plain socket is closed there and then: its
 * close never blocks, and an async one completes in an idle that a batch of accepts puts
 * off (accept_cb() takes up to ACCEPT_BATCH connections in one go, and libsoup may answer
 * and close each within take_connection()), so closed connections went on counting against
 * their address and a client asking again at once was refused. TLS first sends its
 * close_notify, asynchronously; its descriptor stays open, and counted, until then. */
static void
close_stream (GIOStream      *stream,
              GDestroyNotify  closed,
              gpointer        data)
{
  CloseDone *done;

  if (!G_IS_TLS_CONNECTION (stream))
    {
      g_io_stream_close (stream, NULL, NULL);
      closed (data);
      return;
    }
  done = g_new (CloseDone, 1);
  done->closed = closed;
  done->data = data;
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, stream_closed_cb, done);
}

/* ---- Lingering close ---- */

#define LINGER_BYTES   (1024 * 1024)
#define LINGER_SECONDS 2

typedef struct
{
  GIOStream      *stream;       /* (owned) */
  GSocket        *socket;       /* (owned) (nullable) */
  char           *text;         /* (owned) */
  GCancellable   *cancellable;  /* (owned) */
  GSource        *timeout;      /* (owned) */
  GDestroyNotify  done;
  gpointer        done_data;
  gsize           drained;
  guint8          buffer[4096];
} Linger;

static void
linger_free (gpointer data)
{
  Linger *linger = data;

  g_source_destroy (linger->timeout);
  g_source_unref (linger->timeout);
  g_object_unref (linger->cancellable);
  g_clear_object (&linger->socket);
  g_object_unref (linger->stream);
  g_free (linger->text);
  if (linger->done != NULL)
    linger->done (linger->done_data);
  g_free (linger);
}

static gboolean
linger_timeout_cb (gpointer user_data)
{
  Linger *linger = user_data;

  g_cancellable_cancel (linger->cancellable);
  return G_SOURCE_REMOVE;
}

static void
linger_drained_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Linger *linger = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n > 0 && linger->drained + n <= LINGER_BYTES &&
      !g_cancellable_is_cancelled (linger->cancellable))
    {
      linger->drained += n;
      g_input_stream_read_async (G_INPUT_STREAM (source), linger->buffer,
                                 sizeof linger->buffer, G_PRIORITY_DEFAULT,
                                 linger->cancellable, linger_drained_cb, linger);
      return;
    }
  close_stream (linger->stream, linger_free, linger);
}

static void
linger_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Linger *linger = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  /* Tell the client we are done, then drain what it still sends: closing with unread data
   * makes the kernel send a reset, and the client may lose the answer. */
  if (linger->socket != NULL)
    g_socket_shutdown (linger->socket, FALSE, TRUE, NULL);
  g_input_stream_read_async (g_io_stream_get_input_stream (linger->stream), linger->buffer,
                             sizeof linger->buffer, G_PRIORITY_DEFAULT, linger->cancellable,
                             linger_drained_cb, linger);
}

void
cm_server_linger_close (GIOStream      *stream,
                        GSocket        *socket,
                        char           *answer,
                        GDestroyNotify  done,
                        gpointer        done_data)
{
  Linger *linger = g_new0 (Linger, 1);

  linger->stream = g_object_ref (stream);
  linger->socket = socket != NULL ? g_object_ref (socket) : NULL;
  linger->text = answer;
  linger->done = done;
  linger->done_data = done_data;
  linger->cancellable = g_cancellable_new ();
  /* The whole exchange is bounded, writing included: a client that reads nothing cannot
   * hold the connection. */
  linger->timeout = g_timeout_source_new_seconds (LINGER_SECONDS);
  g_source_set_callback (linger->timeout, linger_timeout_cb, linger, NULL);
  g_source_attach (linger->timeout, g_main_context_get_thread_default ());
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), linger->text,
                                   strlen (linger->text), G_PRIORITY_DEFAULT,
                                   linger->cancellable, linger_written_cb, linger);
}

char *
cm_server_error_answer (const GError *error)
{
  g_autoptr(JsonNode) node = cm_error_to_json (error);
  g_autofree char *body = NULL;
  guint status = cm_error_code_to_http_status (error->code);
  gsize length = 0;

  body = cm_json_to_string (node, &length);
  return g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "Content-Type: " CM_CONTENT_TYPE_JSON "\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Cache-Control: no-store\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "Connection: close\r\n"
                          "\r\n%s", status, soup_status_get_phrase (status), length, body);
}

/* ---- Connections ---- */

static void maybe_resume (CmServerListener *self);

static void
conn_free (gpointer data)
{
  Conn *conn = data;
  CmServerListener *self = conn->listener;

  if (self == NULL)
    {
      /* It outlived the listener (see finalize). */
      g_object_unref (conn->remote);
      g_object_unref (conn->socket);
      g_object_unref (conn->base);
      g_free (conn->peer_key);
      g_free (conn);
      return;
    }
  if (conn->peer_key != NULL)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, conn->peer_key));

      if (n <= 1)
        g_hash_table_remove (self->per_address, conn->peer_key);
      else
        g_hash_table_insert (self->per_address, g_strdup (conn->peer_key),
                             GUINT_TO_POINTER (n - 1));
    }
  g_queue_unlink (&self->conns, &conn->link);
  g_object_set_qdata (G_OBJECT (conn->remote), conn_quark (), NULL);
  g_object_unref (conn->remote);
  g_object_unref (conn->socket);
  g_object_unref (conn->base);
  g_free (conn->peer_key);
  g_free (conn);
  maybe_resume (self);
}

/* libsoup let the connection go: after a framing refusal answer 400 on the base stream
 * (libsoup never saw the bad request), else close it. */
static void
on_guard_closed (CmHttpGuard *guard,
                 gpointer     user_data)
{
  Conn *conn = user_data;
  const char *field = cm_http_guard_get_refusal (guard);

  conn->guard = NULL;
  if (field != NULL && !conn->shut)
    {
      g_autoptr(GError) error = cm_error_new (CM_ERROR_INVALID_FIELD, field, NULL);

      cm_server_linger_close (conn->base, conn->socket, cm_server_error_answer (error),
                              conn_free, conn);
      return;
    }
  close_stream (conn->base, conn_free, conn);
}

/* Closes both directions: libsoup, waiting to read, sees the end and lets go. */
static void
conn_shut (Conn       *conn,
           const char *why)
{
  g_debug ("Closing a connection: %s", why);
  conn->shut = TRUE;
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
}

static gboolean
conn_busy (Conn *conn)
{
  /* Received whole but not yet read by libsoup, or read and not yet answered. */
  return conn->guard == NULL || cm_http_guard_get_n_complete (conn->guard) > conn->n_read ||
         conn->n_read > conn->n_done;
}

/* When the connection has been waiting since (for a request, or for the rest of one). */
static gint64
conn_waiting_since (Conn   *conn,
                    gint64 *deadline)
{
  CmServerListener *self = conn->listener;
  gint64 started = cm_http_guard_get_started (conn->guard);
  gint64 since = MAX (started, conn->idle_since);

  if (started != 0 || (conn->n_done == 0 && cm_http_guard_get_n_complete (conn->guard) == 0))
    *deadline = since + (gint64) self->limits.header_timeout * G_USEC_PER_SEC;
  else
    *deadline = since + (gint64) self->limits.idle_timeout * G_USEC_PER_SEC;
  return since;
}

static gboolean
sweep_cb (gpointer user_data)
{
  CmServerListener *self = user_data;
  gint64 now = g_get_monotonic_time ();

  for (GList *l = self->conns.head; l != NULL; l = l->next)
    {
      Conn *conn = l->data;
      gint64 deadline;

      if (conn->shut || conn_busy (conn))
        continue;
      conn_waiting_since (conn, &deadline);
      if (now >= deadline)
        conn_shut (conn, "timed out");
    }
  return G_SOURCE_CONTINUE;
}

/* Makes room: closes the connection that has waited longest with no request being served. */
static gboolean
evict_one (CmServerListener *self)
{
  Conn *oldest = NULL;
  gint64 oldest_since = G_MAXINT64;

  for (GList *l = self->conns.head; l != NULL; l = l->next)
    {
      Conn *conn = l->data;
      gint64 deadline, since;

      if (conn->shut || conn_busy (conn))
        continue;
      since = conn_waiting_since (conn, &deadline);
      if (since < oldest_since)
        {
          oldest = conn;
          oldest_since = since;
        }
    }
  if (oldest == NULL)
    return FALSE;
  conn_shut (oldest, "room for a new one");
  return TRUE;
}

static Conn *
conn_for_message (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_object_get_qdata (G_OBJECT (remote), conn_quark ()) : NULL;
}

#define COUNTED_KEY "cm-server-listener-counted"

static void
on_request_read_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  Conn *conn = conn_for_message (msg);

  if (conn == NULL)
    return;
  conn->n_read++;
  g_object_set_data (G_OBJECT (msg), COUNTED_KEY, GINT_TO_POINTER (TRUE));
}

static void
on_request_done_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  Conn *conn = conn_for_message (msg);

  /* Only requests counted as read: libsoup also ends messages it never got a head for. */
  if (conn == NULL || g_object_get_data (G_OBJECT (msg), COUNTED_KEY) == NULL)
    return;
  g_object_set_data (G_OBJECT (msg), COUNTED_KEY, NULL);
  conn->n_done++;
  conn->idle_since = g_get_monotonic_time ();
}

/* ---- Accepting ---- */

static gboolean accept_cb (GSocket      *socket,
                           GIOCondition  condition,
                           gpointer      user_data);

static void
pause_accept (CmServerListener *self)
{
  if (self->accept_source == NULL)
    return;
  g_debug ("Not accepting for now: %u connections", self->conns.length);
  g_source_destroy (self->accept_source);
  g_clear_pointer (&self->accept_source, g_source_unref);
}

static void
resume_accept (CmServerListener *self)
{
  if (self->accept_source != NULL || self->socket == NULL)
    return;
  self->accept_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (accept_cb), self, NULL);
  g_source_attach (self->accept_source, self->context);
}

static void
maybe_resume (CmServerListener *self)
{
  /* Below the mark accept_cb() stops at: one close lets one more in. */
  if (self->accept_source == NULL && self->conns.length < self->cap + EVICT_SLACK)
    resume_accept (self);
}

/* Counts a connection from @peer's IPv4 address or IPv6 /64 (in this process: they are its
 * sockets), unless it is a trusted proxy; FALSE when that one has too many already.
 * *@peer_key: the key counted, NULL for a proxy. */
static gboolean
admit_peer (CmServerListener  *self,
            GInetAddress      *peer,
            char             **peer_key)
{
  guint n;

  *peer_key = NULL;
  if (cm_rate_limiter_is_trusted (self->limiter, peer))
    return TRUE;
  *peer_key = cm_rate_limiter_address_key (peer, CM_RATE_LIMITER_HOST_PREFIX_V4,
                                           CM_RATE_LIMITER_HOST_PREFIX_V6);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, *peer_key));
  if (n >= self->limits.max_per_address)
    {
      g_debug ("Refusing a connection: %u already from %s", n, *peer_key);
      g_clear_pointer (peer_key, g_free);
      return FALSE;
    }
  g_hash_table_insert (self->per_address, g_strdup (*peer_key), GUINT_TO_POINTER (n + 1));
  return TRUE;
}

static void
take_connection (CmServerListener *self,
                 GSocket          *client)
{
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GIOStream) base = NULL;
  g_autoptr(CmHttpGuard) guard = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *peer_key = NULL;
  GInetAddress *peer;
  Conn *conn;

  local = g_socket_get_local_address (client, &error);
  if (local != NULL)
    remote = g_socket_get_remote_address (client, &error);
  if (remote == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    {
      g_debug ("Dropping a connection: %s", error != NULL ? error->message : "not IP");
      g_socket_close (client, NULL);
      return;
    }

  peer = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  if (!admit_peer (self, peer, &peer_key))
    {
      g_socket_close (client, NULL);
      return;
    }

  /* What libsoup's listener sets: answers go out without waiting for an ACK. */
  g_socket_set_option (client, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  connection = g_socket_connection_factory_create_connection (client);

  conn = g_new0 (Conn, 1);
  conn->listener = self;
  conn->socket = g_object_ref (client);
  conn->remote = g_object_ref (remote);
  conn->peer_key = g_steal_pointer (&peer_key);
  conn->idle_since = g_get_monotonic_time ();
  conn->link.data = conn;
  g_queue_push_tail_link (&self->conns, &conn->link);

  if (self->certificate != NULL)
    {
      base = G_IO_STREAM (g_tls_server_connection_new (G_IO_STREAM (connection),
                                                       self->certificate, &error));
      if (base == NULL)
        {
          g_warning ("Cannot set up TLS on a connection: %s", error->message);
          conn->base = G_IO_STREAM (g_object_ref (connection));
          close_stream (conn->base, conn_free, conn);
          return;
        }
      /* As libsoup's listener: HTTP finds the end of a message by itself. */
      g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (base), FALSE);
    }
  else
    {
      base = G_IO_STREAM (g_object_ref (connection));
    }
  conn->base = g_object_ref (base);

  g_object_set_qdata (G_OBJECT (remote), conn_quark (), conn);
  guard = cm_http_guard_new (base, on_guard_closed, conn);
  conn->guard = guard;
  if (!soup_server_accept_iostream (self->soup, G_IO_STREAM (guard), local, remote, &error))
    {
      g_debug ("Dropping a connection: %s", error->message);
      g_io_stream_close (G_IO_STREAM (guard), NULL, NULL);
    }
}

static gboolean
retry_cb (gpointer user_data)
{
  CmServerListener *self = user_data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  resume_accept (self);
  return G_SOURCE_REMOVE;
}

static gboolean
accept_cb (GSocket      *socket,
           GIOCondition  condition,
           gpointer      user_data)
{
  CmServerListener *self = user_data;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = NULL;

      /* Every connection busy (none to evict) or closing: wait for one to go. */
      if (self->conns.length >= self->cap + EVICT_SLACK)
        {
          pause_accept (self);
          return G_SOURCE_REMOVE;
        }

      client = g_socket_accept (socket, NULL, &error);
      if (client != NULL)
        {
          /* At the cap, room is made for the newcomer rather than turning it away. */
          if (self->conns.length >= self->cap)
            evict_one (self);
          take_connection (self, client);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES))
        {
          /* Out of descriptors all the same (the reserve is in use): wait for a close rather
           * than retry at once. */
          g_message ("Out of file descriptors with %u connections", self->conns.length);
          evict_one (self);
          pause_accept (self);
          /* A close resumes; with none to come, a second later. */
          if (self->conns.length == 0 && self->retry_source == NULL)
            {
              self->retry_source = g_timeout_source_new_seconds (1);
              g_source_set_callback (self->retry_source, retry_cb, self, NULL);
              g_source_attach (self->retry_source, self->context);
            }
          return G_SOURCE_REMOVE;
        }
      g_debug ("accept() failed: %s", error->message);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- Object ---- */

static void
cm_server_listener_dispose (GObject *object)
{
  CmServerListener *self = CM_SERVER_LISTENER (object);

  cm_server_listener_close (self);
  for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
    if (self->handlers[i] != 0)
      g_clear_signal_handler (&self->handlers[i], self->soup);

  G_OBJECT_CLASS (cm_server_listener_parent_class)->dispose (object);
}

static void
cm_server_listener_finalize (GObject *object)
{
  CmServerListener *self = CM_SERVER_LISTENER (object);

  /* Connections still open hold a pointer to us: drop theirs. */
  while (self->conns.head != NULL)
    {
      Conn *conn = self->conns.head->data;

      g_warning ("A connection outlived the server");
      g_queue_unlink (&self->conns, &conn->link);
      conn->listener = NULL;
    }
  g_hash_table_unref (self->per_address);
  g_clear_object (&self->certificate);
  g_object_unref (self->limiter);
  g_object_unref (self->soup);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (cm_server_listener_parent_class)->finalize (object);
}

static void
cm_server_listener_class_init (CmServerListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cm_server_listener_dispose;
  object_class->finalize = cm_server_listener_finalize;
}

static void
cm_server_listener_init (CmServerListener *self)
{
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* The connection cap: the one asked for, within the descriptors this process may open. */
static guint
connection_cap (guint wanted)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
      limit.rlim_cur < (rlim_t) wanted + CM_SERVER_RESERVED_FDS)
    return limit.rlim_cur > 2 * CM_SERVER_RESERVED_FDS ? limit.rlim_cur - CM_SERVER_RESERVED_FDS
                                                       : limit.rlim_cur / 2;
  return wanted;
}

CmServerListener *
cm_server_listener_new (SoupServer           *soup,
                        GSocket              *socket,
                        GTlsCertificate      *certificate,
                        CmRateLimiter        *limiter,
                        const CmServerLimits *limits)
{
  CmServerListener *self = g_object_new (CM_TYPE_SERVER_LISTENER, NULL);

  self->soup = g_object_ref (soup);
  self->socket = g_object_ref (socket);
  self->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;
  self->limiter = g_object_ref (limiter);
  self->limits = *limits;
  self->limits.max_per_address = MAX (1, self->limits.max_per_address);
  self->cap = connection_cap (MAX (1, limits->max_connections));
  self->context = g_main_context_ref_thread_default ();
  g_socket_set_blocking (socket, FALSE);
  self->handlers[0] = g_signal_connect (soup, "request-read", G_CALLBACK (on_request_read_cb),
                                        self);
  self->handlers[1] = g_signal_connect (soup, "request-finished",
                                        G_CALLBACK (on_request_done_cb), self);
  self->handlers[2] = g_signal_connect (soup, "request-aborted",
                                        G_CALLBACK (on_request_done_cb), self);
  g_debug ("Up to %u connections, %u per address", self->cap, self->limits.max_per_address);
  return self;
}

void
cm_server_listener_start (CmServerListener *self)
{
  g_return_if_fail (CM_IS_SERVER_LISTENER (self));

  resume_accept (self);
  if (self->sweep_source == NULL)
    {
      self->sweep_source = g_timeout_source_new_seconds (1);
      g_source_set_callback (self->sweep_source, sweep_cb, self, NULL);
      g_source_attach (self->sweep_source, self->context);
    }
}

void
cm_server_listener_close (CmServerListener *self)
{
  g_return_if_fail (CM_IS_SERVER_LISTENER (self));

  pause_accept (self);
  if (self->retry_source != NULL)
    {
      g_source_destroy (self->retry_source);
      g_clear_pointer (&self->retry_source, g_source_unref);
    }
  if (self->sweep_source != NULL)
    {
      g_source_destroy (self->sweep_source);
      g_clear_pointer (&self->sweep_source, g_source_unref);
    }
  if (self->socket != NULL)
    {
      g_socket_close (self->socket, NULL);
      g_clear_object (&self->socket);
    }
}

void
cm_server_listener_drain (CmServerListener *self)
{
  gint64 deadline = g_get_monotonic_time () + (LINGER_SECONDS + 3) * G_USEC_PER_SEC;

  g_return_if_fail (CM_IS_SERVER_LISTENER (self));

  while (self->conns.length > 0 && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (self->context, FALSE))
      g_usleep (1000);
}

