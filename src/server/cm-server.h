/* cm-server.h: the reference back-end of docs/openapi.yaml, as a library.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CM_TYPE_SERVER (cm_server_get_type ())

G_DECLARE_FINAL_TYPE (CmServer, cm_server, CM, SERVER, GObject)

/**
 * CmServerHashCost:
 * @CM_SERVER_HASH_COST_INTERACTIVE: libsodium's INTERACTIVE limits (the default)
 * @CM_SERVER_HASH_COST_MODERATE: libsodium's MODERATE limits
 * @CM_SERVER_HASH_COST_MINIMUM: libsodium's MIN limits; for tests only
 */
typedef enum
{
  CM_SERVER_HASH_COST_INTERACTIVE,
  CM_SERVER_HASH_COST_MODERATE,
  CM_SERVER_HASH_COST_MINIMUM,
} CmServerHashCost;

/* @database_path: an SQLite file, ":memory:", or a PostgreSQL connection string
 * ("postgresql://..."); @outbox_dir is created when missing. */
CmServer   *cm_server_new                  (const char        *database_path,
                                            const char        *outbox_dir);
void        cm_server_set_hash_cost        (CmServer          *self,
                                            CmServerHashCost   cost);
void        cm_server_set_demo_data        (CmServer          *self,
                                            gboolean           demo_data);
void        cm_server_set_tls_certificate  (CmServer          *self,
                                            GTlsCertificate   *certificate);
/* Sensitive requests (sign-in, sign-up, lookups, codes...) one client (IPv4 address or IPv6
 * /64) may make per minute, which is also the burst; a /24 or /48 gets ten times as many;
 * 0 turns the limit off (benchmarks). Default 60. */
void        cm_server_set_rate_limit       (CmServer          *self,
                                            guint              per_minute);
void        cm_server_set_key_file         (CmServer          *self,
                                            const char        *path);
/* Defaults; docs/server.md explains them (main.c's --help repeats them). */
#define CM_SERVER_MAX_CONNECTIONS_DEFAULT 4096
#define CM_SERVER_MAX_PER_ADDRESS_DEFAULT 64
#define CM_SERVER_HEADER_TIMEOUT_DEFAULT  20
#define CM_SERVER_IDLE_TIMEOUT_DEFAULT    60

/* Connections open at once (also bounded by the descriptor limit; default 4096) and from one
 * IPv4 address or IPv6 /64 (default 64). Before start. */
void        cm_server_set_connection_limits (CmServer         *self,
                                            guint              max_connections,
                                            guint              max_per_address);
/* A request must arrive whole within @header_seconds of its first byte, and a new connection
 * send one within it (default 20); a connection idle @idle_seconds between requests is
 * closed (default 60). Before start. */
void        cm_server_set_timeouts         (CmServer          *self,
                                            guint              header_seconds,
                                            guint              idle_seconds);
/* Reverse proxies (addresses or ADDRESS/PREFIX) whose X-Forwarded-For, else Forwarded,
 * names the client for the rate limit; NULL or empty: none (the default). */
gboolean    cm_server_set_trusted_proxies  (CmServer          *self,
                                            const char * const *proxies,
                                            GError           **error);
/* Authorization code requests in any 24 hours per user and per account (whoever asks);
 * 0 turns that limit off, a negative value leaves it as it is. Defaults 5 and 10. */
void        cm_server_set_code_request_limits (CmServer       *self,
                                            int                per_user,
                                            int                per_account);
/* Import a registry CSV (header line: account_type,account_number,zip,name,city,email,
 * mailing_address,status,certificate_expires) into the database; may be called before start. */
gboolean    cm_server_import_registry      (CmServer          *self,
                                            const char        *csv_path,
                                            guint             *n_imported,
                                            GError           **error);

/* Opens the database and listens on the caller's thread-default main context.
 * @port 0 picks a free port; cm_server_get_uri() tells which. */
gboolean    cm_server_start                (CmServer          *self,
                                            const char        *bind_address,
                                            guint              port,
                                            GError           **error);
/* The same on a thread of its own with its own GMainContext; returns once listening.
 * The app's practice mode uses this so the GTK main loop never waits on SQLite. */
gboolean    cm_server_start_in_thread      (CmServer          *self,
                                            const char        *bind_address,
                                            guint              port,
                                            GError           **error);
/* Refuses new requests, finishes the ones in flight, closes the database. Idempotent. */
void        cm_server_stop                 (CmServer          *self);

/* "http://127.0.0.1:PORT/" (or https://), with the trailing slash; NULL before start. */
const char *cm_server_get_uri              (CmServer          *self);
const char *cm_server_get_outbox_dir       (CmServer          *self);

/* Tests only: pretend @seconds have passed (expiry, lockouts, rate limits). */
void        cm_server_advance_clock        (CmServer          *self,
                                            gint64             seconds);

G_END_DECLS
