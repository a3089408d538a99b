/* cm-http-guard.h: a stream between an accepted connection and libsoup that checks the
 * framing of every request before libsoup sees it.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CM_TYPE_HTTP_GUARD (cm_http_guard_get_type ())

G_DECLARE_FINAL_TYPE (CmHttpGuard, cm_http_guard, CM, HTTP_GUARD, GIOStream)

/* Called once, when libsoup (or whoever holds the guard) closes it or lets it go; the
 * base stream is left open for the callback to close. */
typedef void (*CmHttpGuardClosed) (CmHttpGuard *guard,
                                   gpointer     user_data);

/* Largest request head (request line and header fields) accepted. */
#define CM_HTTP_GUARD_MAX_HEAD (16 * 1024)

CmHttpGuard *cm_http_guard_new             (GIOStream         *base,
                                            CmHttpGuardClosed  closed,
                                            gpointer           user_data);
/* Requests received whole (head and body) so far. */
guint        cm_http_guard_get_n_complete  (CmHttpGuard       *self);
/* Monotonic time of the first byte of the request being received, or 0 between requests. */
gint64       cm_http_guard_get_started     (CmHttpGuard       *self);
/* The header at fault ("Content-Length", "Transfer-Encoding", or "headers" for the head's
 * syntax) once a request was refused, else NULL. libsoup then reads an end of stream. */
const char  *cm_http_guard_get_refusal     (CmHttpGuard       *self);

/* The rules, on one complete head ending with CRLF CRLF; for the fuzzer and tests too.
 * Returns NULL when acceptable, else the header at fault; @body_length is the
 * Content-Length (0 when none) and @chunked tells a chunked body. */

G_END_DECLS
