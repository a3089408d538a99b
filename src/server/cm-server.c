/* cm-server.c: a CmServer's configuration, its start (store, key, listener) and its stop.
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

#define DEMO_RESOURCE "/io/github/carsmechanic/CarsMechanic/server/demo-registry.csv"

G_DEFINE_FINAL_TYPE (CmServer, cm_server, G_TYPE_OBJECT)

/* ---- GObject ---- */

static void
cm_server_finalize (GObject *object)
{
  CmServer *self = CM_SERVER (object);

  cm_server_stop (self);

  g_clear_object (&self->db);
  g_clear_object (&self->outbox);
  g_clear_object (&self->certificate);
  g_clear_object (&self->limiter);
  g_free (self->database_path);
  g_free (self->key_path);
  g_free (self->outbox_dir);
  g_free (self->uri);
  g_free (self->start_address);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->clock_lock);
  g_mutex_clear (&self->start_lock);
  g_cond_clear (&self->start_cond);

  G_OBJECT_CLASS (cm_server_parent_class)->finalize (object);
}

static void
cm_server_class_init (CmServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cm_server_finalize;
}

static void
cm_server_init (CmServer *self)
{
  g_mutex_init (&self->clock_lock);
  g_mutex_init (&self->start_lock);
  g_cond_init (&self->start_cond);
  self->hash_cost = CM_SERVER_HASH_COST_INTERACTIVE;
  self->rate_per_minute = CM_SERVER_RATE_BURST_DEFAULT;
  self->codes_per_user = CM_SERVER_CODE_REQUESTS_PER_USER;
  self->codes_per_account = CM_SERVER_CODE_REQUESTS_PER_ACCOUNT;
  self->db = cm_server_db_new ();
  self->limiter = cm_rate_limiter_new ();
  self->limits.max_connections = CM_SERVER_MAX_CONNECTIONS_DEFAULT;
  self->limits.max_per_address = CM_SERVER_MAX_PER_ADDRESS_DEFAULT;
  self->limits.header_timeout = CM_SERVER_HEADER_TIMEOUT_DEFAULT;
  self->limits.idle_timeout = CM_SERVER_IDLE_TIMEOUT_DEFAULT;
}

/* ---- Public API ---- */

CmServer *
cm_server_new (const char *database_path,
               const char *outbox_dir)
{
  CmServer *self;

  g_return_val_if_fail (database_path != NULL, NULL);
  g_return_val_if_fail (outbox_dir != NULL, NULL);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  self = g_object_new (CM_TYPE_SERVER, NULL);
  self->database_path = g_strdup (database_path);
  self->outbox_dir = g_strdup (outbox_dir);
  self->outbox = cm_outbox_new (outbox_dir);
  return self;
}

void
cm_server_set_hash_cost (CmServer         *self,
                         CmServerHashCost  cost)
{
  g_return_if_fail (CM_IS_SERVER (self));
  g_return_if_fail (self->hash == NULL);

  self->hash_cost = cost;
}

void
cm_server_set_demo_data (CmServer *self,
                         gboolean  demo_data)
{
  g_return_if_fail (CM_IS_SERVER (self));

  self->demo_data = !!demo_data;
}

void
cm_server_set_tls_certificate (CmServer        *self,
                               GTlsCertificate *certificate)
{
  g_return_if_fail (CM_IS_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));

  g_set_object (&self->certificate, certificate);
}

/**
 * cm_server_set_rate_limit:
 * @per_minute: sensitive requests a client address may make per minute (also the burst);
 *   0 turns the limit off (benchmarks only)
 */
void
cm_server_set_rate_limit (CmServer *self,
                          guint     per_minute)
{
  g_return_if_fail (CM_IS_SERVER (self));

  self->rate_per_minute = per_minute;
}

/* Whoever can write in the data or outbox folder can replace the database (and the key
 * file next to it) or read the codes in the outbox: refuse to run on such a folder. */
static gboolean
check_private_folder (const char  *path,
                      GError     **error)
{
  struct stat st;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: %s is a folder, the second %s the reason */
                   _("Cannot use the folder %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (st.st_uid != geteuid ())
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   /* Translators: %s is a folder */
                   _("The folder %s belongs to another user: the server keeps its data only "
                     "in folders of its own user"), path);
      return FALSE;
    }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   /* Translators: %s is a folder; keep “chmod go-w” as it is, it is a command */
                   _("Others can write in the folder %s: make it writable by its owner only "
                     "(chmod go-w)"), path);
      return FALSE;
    }
  return TRUE;
}

/**
 * cm_server_set_connection_limits:
 * @max_connections: connections open at once (also bounded by the descriptor limit)
 * @max_per_address: connections from one IPv4 address or IPv6 /64 (trusted proxies exempt)
 */
void
cm_server_set_connection_limits (CmServer *self,
                                 guint     max_connections,
                                 guint     max_per_address)
{
  g_return_if_fail (CM_IS_SERVER (self));
  g_return_if_fail (self->listener == NULL);
  g_return_if_fail (max_connections > 0 && max_per_address > 0);

  self->limits.max_connections = max_connections;
  self->limits.max_per_address = max_per_address;
}

/**
 * cm_server_set_timeouts:
 * @header_seconds: from a request's first byte to its last (and from a new connection to
 *   its first request)
 * @idle_seconds: between the answer and the next request
 */
void
cm_server_set_timeouts (CmServer *self,
                        guint     header_seconds,
                        guint     idle_seconds)
{
  g_return_if_fail (CM_IS_SERVER (self));
  g_return_if_fail (self->listener == NULL);
  g_return_if_fail (header_seconds > 0 && idle_seconds > 0);

  self->limits.header_timeout = header_seconds;
  self->limits.idle_timeout = idle_seconds;
}

/**
 * cm_server_set_trusted_proxies:
 * @proxies: (nullable): addresses or ADDRESS/PREFIX networks of reverse proxies whose
 *   X-Forwarded-For (or Forwarded) header names the client
 */
gboolean
cm_server_set_trusted_proxies (CmServer            *self,
                               const char * const  *proxies,
                               GError             **error)
{
  g_return_val_if_fail (CM_IS_SERVER (self), FALSE);

  return cm_rate_limiter_set_trusted_proxies (self->limiter, proxies, error);
}

void
cm_server_set_code_request_limits (CmServer *self,
                                   int       per_user,
                                   int       per_account)
{
  g_return_if_fail (CM_IS_SERVER (self));

  if (per_user >= 0)
    self->codes_per_user = per_user;
  if (per_account >= 0)
    self->codes_per_account = per_account;
}

void
cm_server_get_code_request_limits (CmServer *self,
                                   guint    *per_user,
                                   guint    *per_account)
{
  *per_user = self->codes_per_user;
  *per_account = self->codes_per_account;
}

/**
 * cm_server_set_key_file:
 * @path: (nullable): the server's key for the keyed digests (created when missing); NULL
 *   for the file next to an SQLite database. Every instance on one store needs the same key.
 */
void
cm_server_set_key_file (CmServer   *self,
                        const char *path)
{
  g_return_if_fail (CM_IS_SERVER (self));

  g_free (self->key_path);
  self->key_path = g_strdup (path);
}

static gboolean
load_key (CmServer  *self,
          GError   **error)
{
  if (self->key_path != NULL)
    return cm_server_hash_load_key_file (self->hash, self->key_path, error);
  if (cm_db_is_postgresql_target (self->database_path))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           /* Translators: keep --key-file as it is, it is an option */
                           _("A PostgreSQL database needs a key file (--key-file), the same "
                             "for every server on it"));
      return FALSE;
    }
  return cm_server_hash_load_key (self->hash, self->database_path, error);
}

static gboolean
ensure_db (CmServer  *self,
           GError   **error)
{
  g_autofree char *folder = NULL;

  if (cm_server_db_is_open (self->db))
    return TRUE;
  /* ":memory:", "" (temporary) and PostgreSQL have no folder of ours. */
  if (self->database_path[0] != '\0' && strcmp (self->database_path, ":memory:") != 0 &&
      !cm_db_is_postgresql_target (self->database_path))
    {
      folder = g_path_get_dirname (self->database_path);
      if (!check_private_folder (folder, error))
        return FALSE;
    }
  return cm_server_db_open (self->db, self->database_path, error);
}

gboolean
cm_server_import_registry (CmServer    *self,
                           const char  *csv_path,
                           guint       *n_imported,
                           GError     **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (CM_IS_SERVER (self), FALSE);
  g_return_val_if_fail (csv_path != NULL, FALSE);

  if (!g_file_get_contents (csv_path, &data, &length, error))
    return FALSE;
  if (!ensure_db (self, error))
    return FALSE;
  return cm_server_access_import_csv (self->db, data, length, n_imported, error);
}

static gboolean
load_demo_data (CmServer  *self,
                GError   **error)
{
  g_autoptr(GBytes) bytes = NULL;
  guint n = 0;

  bytes = g_resource_lookup_data (cm_server_get_resource (), DEMO_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  if (!cm_server_access_import_csv (self->db, g_bytes_get_data (bytes, NULL),
                                    g_bytes_get_size (bytes), &n, error))
    return FALSE;
  g_debug ("Loaded %u demo records", n);
  return TRUE;
}

/* soup_server_listen() keeps GSocket's backlog of 10: with a few hundred clients connecting
 * at once the kernel drops their handshakes and they wait seconds for retransmits. */
#define LISTEN_BACKLOG 1024

/* libsoup 3.2 keeps a connection alive after an answer only while it has a listener of its
 * own (request_finished() checks its listener list); with connections from
 * soup_server_accept_iostream() alone it closes each one after one answer, without saying so
 * in the headers. So it gets a listener that no client can reach: a loopback socket that
 * stops listening right after soup_server_listen_socket(). */
static gboolean
add_keep_alive_listener (CmServer  *self,
                         GError   **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocket) socket = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, 1);
  return g_socket_bind (socket, address, FALSE, error) && g_socket_listen (socket, error) &&
         soup_server_listen_socket (self->soup, socket, 0, error) &&
         g_socket_shutdown (socket, TRUE, FALSE, error);
}

/* Returns the URI the server answers on (with a final slash), or NULL with @error set. */
static char *
listen_on (CmServer        *self,
           GSocketAddress  *address,
           GError         **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *host = NULL;

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return NULL;
  if (!add_keep_alive_listener (self, error))
    return NULL;

  /* We accept the connections and hand them to libsoup rather than letting it listen:
   * libsoup 3.2's own listener leaks the GSocket of every connection it accepts (336 bytes
   * each; reproduced with a bare SoupServer and one request), a steady growth on a
   * long-running server; and it has no limits or timeouts (cm-server-listener.c). */
  self->listener = cm_server_listener_new (self->soup, socket, self->certificate, self->limiter,
                                           &self->limits);
  cm_server_listener_start (self->listener);

  host = g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (bound)));
  return g_uri_join (G_URI_FLAGS_NONE, self->certificate != NULL ? "https" : "http", NULL, host,
                     g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)), "/", NULL,
                     NULL);
}

static gboolean
start_here (CmServer    *self,
            const char  *bind_address,
            guint        port,
            GError     **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  inet = g_inet_address_new_from_string (bind_address != NULL ? bind_address : "127.0.0.1");
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is the address given to --bind */
                   _("“%s” is not an IP address"), bind_address);
      return FALSE;
    }
  if (port > 65535)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %u is the port number given on the command line */
                   _("Port %u is out of range"), port);
      return FALSE;
    }

  /* The data folder is checked before anything is made in it. */
  if (!ensure_db (self, error))
    return FALSE;
  if (!cm_outbox_ensure (self->outbox, error) ||
      !check_private_folder (cm_outbox_get_directory (self->outbox), error))
    {
      cm_server_db_close (self->db);
      return FALSE;
    }
  if (self->demo_data && !load_demo_data (self, error))
    {
      cm_server_db_close (self->db);
      return FALSE;
    }

  self->hash = cm_server_hash_new (self->hash_cost);
  if (!load_key (self, error) ||
      !cm_server_auth_rekey_answers (self->db, self->hash, error))
    {
      g_clear_object (&self->hash);
      cm_server_db_close (self->db);
      return FALSE;
    }
  self->stopping = FALSE;
  self->soup = soup_server_new ("server-header", PACKAGE_NAME "-server/" PACKAGE_VERSION " ",
                                NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (cm_server_on_request_started), self);
  soup_server_add_handler (self->soup, NULL, cm_server_dispatch, self, NULL);

  address = g_inet_socket_address_new (inet, port);
  g_free (self->uri);
  self->uri = listen_on (self, address, error);
  if (self->uri == NULL)
    {
      g_clear_object (&self->soup);
      g_clear_object (&self->hash);
      cm_server_db_close (self->db);
      return FALSE;
    }
  g_message ("Listening on %s", self->uri);
  return TRUE;
}

gboolean
cm_server_start (CmServer    *self,
                 const char  *bind_address,
                 guint        port,
                 GError     **error)
{
  g_return_val_if_fail (CM_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->soup == NULL && self->thread == NULL, FALSE);

  return start_here (self, bind_address, port, error);
}

static gpointer
server_thread (gpointer data)
{
  CmServer *self = data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);
  ok = start_here (self, self->start_address, self->start_port, &error);

  g_mutex_lock (&self->start_lock);
  self->start_ok = ok;
  self->start_error = g_steal_pointer (&error);
  self->start_done = TRUE;
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_lock);

  if (ok)
    g_main_loop_run (self->loop);

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

gboolean
cm_server_start_in_thread (CmServer    *self,
                           const char  *bind_address,
                           guint        port,
                           GError     **error)
{
  g_return_val_if_fail (CM_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->soup == NULL && self->thread == NULL, FALSE);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  g_free (self->start_address);
  self->start_address = g_strdup (bind_address);
  self->start_port = port;
  self->start_done = FALSE;

  self->thread = g_thread_new ("cm-server", server_thread, self);

  g_mutex_lock (&self->start_lock);
  while (!self->start_done)
    g_cond_wait (&self->start_cond, &self->start_lock);
  g_mutex_unlock (&self->start_lock);

  if (!self->start_ok)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
      g_clear_pointer (&self->context, g_main_context_unref);
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      return FALSE;
    }
  return TRUE;
}

/* Refuse new requests, let the paused ones (hashing) finish, then close everything. */
static void
stop_here (CmServer *self)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  if (self->soup == NULL)
    return;

  self->stopping = TRUE;
  while ((self->in_flight > 0 || cm_server_hash_get_pending (self->hash) > 0) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  /* Let the answers just given be written out. */
  while (g_main_context_iteration (context, FALSE))
    ;

  /* Stop accepting, close every connection and wait for them to go. */
  cm_server_listener_close (self->listener);
  soup_server_disconnect (self->soup);
  cm_server_listener_drain (self->listener);
  g_clear_object (&self->listener);
  g_clear_object (&self->soup);
  g_clear_object (&self->hash);
  cm_server_db_close (self->db);
  g_clear_pointer (&self->uri, g_free);
  g_message ("Stopped");
}

static gboolean
stop_in_thread_cb (gpointer data)
{
  CmServer *self = data;

  stop_here (self);
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

void
cm_server_stop (CmServer *self)
{
  g_return_if_fail (CM_IS_SERVER (self));

  if (self->thread != NULL)
    {
      g_main_context_invoke (self->context, stop_in_thread_cb, self);
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
      g_clear_pointer (&self->context, g_main_context_unref);
      return;
    }
  stop_here (self);
}

const char *
cm_server_get_uri (CmServer *self)
{
  g_return_val_if_fail (CM_IS_SERVER (self), NULL);
  return self->uri;
}

const char *
cm_server_get_outbox_dir (CmServer *self)
{
  g_return_val_if_fail (CM_IS_SERVER (self), NULL);
  return self->outbox_dir;
}

void
cm_server_advance_clock (CmServer *self,
                         gint64    seconds)
{
  g_return_if_fail (CM_IS_SERVER (self));

  g_mutex_lock (&self->clock_lock);
  self->clock_offset += seconds;
  g_mutex_unlock (&self->clock_lock);
}
