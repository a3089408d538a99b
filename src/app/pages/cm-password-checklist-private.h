/* cm-password-checklist-private.h: what the tests reach in cm-password-checklist that the app does not use
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-password-checklist.h"

G_BEGIN_DECLS

gboolean   cm_password_checklist_get_rule_met   (CmPasswordChecklist *self,
                                                 const char          *detail);
int        cm_password_checklist_get_strength   (CmPasswordChecklist *self);

G_END_DECLS
