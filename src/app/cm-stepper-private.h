/* cm-stepper-private.h: what the tests read back from the step indicator
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-stepper.h"

G_BEGIN_DECLS

guint       cm_stepper_get_n_steps (CmStepper          *self);
guint       cm_stepper_get_current (CmStepper          *self);
const char *cm_stepper_get_compact_text (CmStepper          *self);

G_END_DECLS
