/* cm-practice-private.h: the calls of CmPractice that only the tests call;
 * the app has cm-practice.h.
 * (The developers' guide: test-only calls are not in the public header.)
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-practice.h"

G_BEGIN_DECLS

const char *cm_practice_get_data_dir    (CmPractice  *self);

G_END_DECLS
