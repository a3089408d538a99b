/* cm-access-window.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cm-session.h"
#include "cm-wizard.h"

G_BEGIN_DECLS

#define CM_TYPE_ACCESS_WINDOW (cm_access_window_get_type ())

G_DECLARE_FINAL_TYPE (CmAccessWindow, cm_access_window, CM, ACCESS_WINDOW, AdwWindow)

CmAccessWindow *cm_access_window_new        (GtkWindow      *parent,
                                             CmSession      *session,
                                             const char     *flow);
void            cm_access_window_set_account_type (CmAccessWindow *self,
                                                   const char     *account_type);
gboolean        cm_access_window_open_link  (CmAccessWindow *self,
                                             const char     *uri);

G_END_DECLS
