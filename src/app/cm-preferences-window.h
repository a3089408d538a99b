/* cm-preferences-window.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CM_TYPE_PREFERENCES_WINDOW (cm_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CmPreferencesWindow, cm_preferences_window, CM, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

CmPreferencesWindow *cm_preferences_window_new            (GSettings           *settings);

G_END_DECLS
