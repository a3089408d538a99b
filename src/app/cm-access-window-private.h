/* cm-access-window-private.h: what the tests reach in cm-access-window that the app does not use
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-access-window.h"

G_BEGIN_DECLS

CmWizard       *cm_access_window_get_wizard (CmAccessWindow *self);

G_END_DECLS
