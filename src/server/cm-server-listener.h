/* cm-server-listener.h: accepts connections for the SoupServer, within limits.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "cm-rate-limiter.h"
#include "cm-server.h"

G_BEGIN_DECLS

#define CM_TYPE_SERVER_LISTENER (cm_server_listener_get_type ())

G_DECLARE_FINAL_TYPE (CmServerListener, cm_server_listener, CM, SERVER_LISTENER, GObject)

/* Descriptors kept free of connections for SQLite, the outbox, TLS and GLib. */
#define CM_SERVER_RESERVED_FDS            64

typedef struct
{
  guint max_connections;  /* also bounded by the descriptor limit */
  guint max_per_address;  /* per IPv4 address or IPv6 /64; trusted proxies are exempt */
  guint header_timeout;   /* seconds from a request's first byte to its last */
  guint idle_timeout;     /* seconds between requests */
} CmServerLimits;

/* Takes @socket, bound and listening. @certificate (nullable): TLS. */
CmServerListener *cm_server_listener_new      (SoupServer            *soup,
                                               GSocket               *socket,
                                               GTlsCertificate       *certificate,
                                               CmRateLimiter         *limiter,
                                               const CmServerLimits  *limits);
void              cm_server_listener_start    (CmServerListener      *self);
/* Stops accepting and closes the listening socket. */
void              cm_server_listener_close    (CmServerListener      *self);
/* After soup_server_disconnect(): waits (a few seconds at most) for the connections to go. */
void              cm_server_listener_drain    (CmServerListener      *self);

/* Writes @answer (a whole HTTP response), shuts down our side, reads and drops what the
 * client still sends for a bounded time and amount ("lingering close"), closes @stream, then
 * calls @done. @socket (nullable) is the socket under @stream. */
void              cm_server_linger_close      (GIOStream             *stream,
                                               GSocket               *socket,
                                               char                  *answer,
                                               GDestroyNotify         done,
                                               gpointer               done_data);
/* "HTTP/1.1 413 ..." with the error's JSON body and Connection: close. */
char             *cm_server_error_answer      (const GError          *error);

G_END_DECLS
