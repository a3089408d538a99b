/* cm-account-settings-window-private.h: what the tests reach in CmAccountSettingsWindow that
 * the app does not use.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-account-settings-window.h"

G_BEGIN_DECLS

/* Whether a call to the back-end is under way (loading or saving). */
gboolean                cm_account_settings_window_get_busy        (CmAccountSettingsWindow *self);
/* (nullable): the account as last loaded or saved */
const CmAccountProfile *cm_account_settings_window_get_profile     (CmAccountSettingsWindow *self);
/* (nullable): the message row under @row */
GtkWidget              *cm_account_settings_window_get_field_error (CmAccountSettingsWindow *self,
                                                                    GtkWidget               *row);

G_END_DECLS
