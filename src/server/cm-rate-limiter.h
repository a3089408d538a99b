/* cm-rate-limiter.h: the client address of a request (by network prefix, past trusted
 * proxies), the key of its rate limits, and what this process knows of their buckets: the
 * buckets themselves are in the store.
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
/* Buckets this process remembers as empty at most (about 100 bytes each). */
#define CM_RATE_LIMITER_MAX_EMPTY      10000

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

/* The front tier of the store's buckets. The store's answer for @key at @now: whether it
 * gave a token, and the microsecond from which the bucket can hold one again (@now when it
 * holds one still). No other instance can refill a bucket, only empty it further, so until
 * then the store would refuse @key: cm_rate_limiter_known_wait() says so without asking. */
void           cm_rate_limiter_learn              (CmRateLimiter       *self,
                                                   const char          *key,
                                                   gboolean             allowed,
                                                   gint64               now,
                                                   gint64               next_token_at);
/* Microseconds from @now until @key's bucket, as last learned, can hold a token; 0 when it
 * is not known to be empty (ask the store). */
gint64         cm_rate_limiter_known_wait         (CmRateLimiter       *self,
                                                   const char          *key,
                                                   gint64               now);

G_END_DECLS
