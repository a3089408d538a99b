/* cm-state-header-private.h: what the tests read of CmStateHeader
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-state-header.h"

G_BEGIN_DECLS

const char    *cm_state_header_get_welcome  (CmStateHeader *self);

G_END_DECLS
