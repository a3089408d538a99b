/* cm-rate-limiter.h: the client address of a request (by network prefix, past trusted
 * proxies), the key of its rate limits; the buckets themselves are in the store.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define CM_TYPE_RATE_LIMITER (cm_rate_limiter_get_type ())

G_DECLARE_FINAL_TYPE (CmRateLimiter, cm_rate_limiter, CM, RATE_LIMITER, GObject)

/* One client: its IPv4 address, or its IPv6 /64 (what one subscriber line gets). */
#define CM_RATE_LIMITER_HOST_PREFIX_V4 32
#define CM_RATE_LIMITER_HOST_PREFIX_V6 64
/* One network: an IPv4 /24 or IPv6 /48, allowed this many times a client's rate. */
#define CM_RATE_LIMITER_NET_PREFIX_V4  24
#define CM_RATE_LIMITER_NET_PREFIX_V6  48
#define CM_RATE_LIMITER_NET_FACTOR     10

CmRateLimiter *cm_rate_limiter_new                (void);
/* Addresses or ADDRESS/PREFIX networks whose X-Forwarded-For or Forwarded is believed. */
gboolean       cm_rate_limiter_set_trusted_proxies (CmRateLimiter      *self,
                                                   const char * const  *proxies,
                                                   GError             **error);
gboolean       cm_rate_limiter_is_trusted         (CmRateLimiter       *self,
                                                   GInetAddress        *address);
/* The client's address: @peer, or when @peer is a trusted proxy the nearest untrusted
 * address its X-Forwarded-For (else Forwarded) header names. */
GInetAddress  *cm_rate_limiter_client_address     (CmRateLimiter       *self,
                                                   GInetAddress        *peer,
                                                   SoupMessageHeaders  *headers);
/* "203.0.113.0/24", "2001:db8:1:2::/64": @address with only its first @prefix bits (IPv4
 * prefix for IPv4 and IPv4-mapped IPv6 addresses). */
char          *cm_rate_limiter_address_key        (GInetAddress        *address,
                                                   guint                prefix_v4,
                                                   guint                prefix_v6);
G_END_DECLS
