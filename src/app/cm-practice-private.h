/* cm-practice-private.h: what the tests and benchmarks reach in cm-practice that the app
 * does not use
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-practice.h"

G_BEGIN_DECLS

gboolean    cm_practice_start           (CmPractice  *self,
                                         GError     **error);
void        cm_practice_set_start_timeout (CmPractice *self,
                                           guint       seconds);

G_END_DECLS
