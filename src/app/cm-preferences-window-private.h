/* cm-preferences-window-private.h: what the tests drive directly; the app
 * itself uses only cm-preferences-window.h.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-preferences-window.h"

G_BEGIN_DECLS

gboolean             cm_preferences_window_apply_url      (CmPreferencesWindow *self,
                                                           const char          *url);
void                 cm_preferences_window_set_practice   (CmPreferencesWindow *self,
                                                           gboolean             practice);
void                 cm_preferences_window_set_ca_file    (CmPreferencesWindow *self,
                                                           const char          *path);
const char          *cm_preferences_window_get_error      (CmPreferencesWindow *self);

G_END_DECLS
