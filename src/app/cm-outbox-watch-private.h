/* cm-outbox-watch-private.h: what the tests reach in cm-outbox-watch that the app does not
 * use
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-outbox-watch.h"

G_BEGIN_DECLS

void           cm_outbox_watch_rescan        (CmOutboxWatch *self);

G_END_DECLS
