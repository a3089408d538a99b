/* cm-window.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cm-application.h"
#include "cm-session.h"
#include "cm-wizard.h"

G_BEGIN_DECLS

#define CM_TYPE_WINDOW (cm_window_get_type ())

G_DECLARE_FINAL_TYPE (CmWindow, cm_window, CM, WINDOW, AdwApplicationWindow)

CmWindow     *cm_window_new             (CmApplication *application);
CmSession    *cm_window_get_session     (CmWindow      *self);
void          cm_window_add_toast       (CmWindow      *self,
                                         AdwToast      *toast);

G_END_DECLS
