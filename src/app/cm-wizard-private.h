/* cm-wizard-private.h: what the tests reach in cm-wizard that the app does not use
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-wizard.h"

G_BEGIN_DECLS

CmPage     *cm_wizard_peek_page        (CmWizard   *self,
                                        const char *name);
void        cm_wizard_next             (CmWizard   *self);
gboolean    cm_wizard_back             (CmWizard   *self);
void        cm_wizard_cancel           (CmWizard   *self);
GtkWidget  *cm_wizard_get_next_button  (CmWizard   *self);
gboolean    cm_wizard_get_applying     (CmWizard   *self);

G_END_DECLS
