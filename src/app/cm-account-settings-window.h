/* cm-account-settings-window.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cm-session.h"

G_BEGIN_DECLS

#define CM_TYPE_ACCOUNT_SETTINGS_WINDOW (cm_account_settings_window_get_type ())

G_DECLARE_FINAL_TYPE (CmAccountSettingsWindow, cm_account_settings_window, CM,
                      ACCOUNT_SETTINGS_WINDOW, AdwPreferencesWindow)

CmAccountSettingsWindow *cm_account_settings_window_new         (CmSession               *session);
CmSession               *cm_account_settings_window_get_session (CmAccountSettingsWindow *self);

G_END_DECLS
