/* cm-window-private.h: what the tests reach in cm-window that the app does not use
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-access-request.h"
#include "cm-window.h"

G_BEGIN_DECLS

CmWindow     *cm_window_new_for_session (CmApplication *application,
                                         CmSession     *session);
CmWizard     *cm_window_get_wizard      (CmWindow      *self);
GCancellable *cm_window_get_cancellable (CmWindow      *self);
GtkStack     *cm_window_get_main_stack  (CmWindow      *self);
CmAccessRequest *cm_window_get_access_request (CmWindow   *self);

G_END_DECLS
