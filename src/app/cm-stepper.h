/* cm-stepper.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CM_TYPE_STEPPER (cm_stepper_get_type ())

G_DECLARE_FINAL_TYPE (CmStepper, cm_stepper, CM, STEPPER, GtkWidget)

CmStepper  *cm_stepper_new         (const char * const *labels);
void        cm_stepper_set_steps   (CmStepper          *self,
                                    const char * const *labels,
                                    guint               current);
guint       cm_stepper_get_n_steps (CmStepper          *self);
guint       cm_stepper_get_current (CmStepper          *self);
void        cm_stepper_set_current (CmStepper          *self,
                                    guint               current);

G_END_DECLS
