/* cm-error-private.h: the error code conversions that only the tests call;
 * the app has cm-error.h.
 * (The developers' guide: test-only calls are not in the public header.)
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-error.h"

G_BEGIN_DECLS

/* Wire names. from_string() knows only the contract's codes: a client-only name
 * ("network") in a server's body is an unknown code. */
const char   *cm_error_code_to_string        (CmError          code);
gboolean      cm_error_code_from_string      (const char      *name,
                                              CmError         *code);
/* For an answer without a usable body: the general code of the status (400/422
 * invalid_field, 401 session_expired, 404 not_found, 429 rate_limited, 5xx
 * internal/unavailable/timeout ...), CM_ERROR_PROTOCOL when there is none
 * (403, 409, a 2xx or 3xx). */
CmError       cm_error_code_from_http_status (guint            status);

G_END_DECLS
