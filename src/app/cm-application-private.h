/* cm-application-private.h: the calls of CmApplication that only the tests call;
 * the app has cm-application.h.
 * (The developers' guide: test-only calls are not in the public header.)
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-application.h"

G_BEGIN_DECLS

void           cm_application_set_server_url     (CmApplication     *self,
                                                  const char        *server_url);
char          *cm_application_sanitize_url       (const char        *url);

G_END_DECLS
