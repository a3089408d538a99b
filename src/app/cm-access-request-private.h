/* cm-access-request-private.h: what the tests ask the access model
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-access-request.h"

G_BEGIN_DECLS

gboolean              cm_access_request_has_code           (CmAccessRequest  *self);

G_END_DECLS
