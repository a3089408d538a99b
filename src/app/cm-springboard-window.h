/* cm-springboard-window.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cm-session.h"

G_BEGIN_DECLS

#define CM_TYPE_SPRINGBOARD_WINDOW (cm_springboard_window_get_type ())

G_DECLARE_FINAL_TYPE (CmSpringboardWindow, cm_springboard_window, CM, SPRINGBOARD_WINDOW,
                      AdwApplicationWindow)

CmSpringboardWindow *cm_springboard_window_new             (GtkApplication      *application,
                                                            CmSession           *session);
void                 cm_springboard_window_set_account_type (CmSpringboardWindow *self,
                                                            const char          *account_type);
CmSession           *cm_springboard_window_get_session     (CmSpringboardWindow *self);
void                 cm_springboard_window_open_flow       (CmSpringboardWindow *self,
                                                            const char          *flow,
                                                            const char          *link);
void                 cm_springboard_window_add_toast       (CmSpringboardWindow *self,
                                                            AdwToast            *toast);

G_END_DECLS
