/* cm-http-guard-private.h: what the tests reach in cm-http-guard that the app does not use
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-http-guard.h"

G_BEGIN_DECLS

const char  *cm_http_guard_check_head      (const char        *head,
                                            gsize              length,
                                            guint64           *body_length,
                                            gboolean          *chunked);

G_END_DECLS
