/* cm-expiry-dialog.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cm-session.h"

G_BEGIN_DECLS

void       cm_expiry_watch           (GtkWindow       *window,
                                      CmSession       *session,
                                      AdwToastOverlay *overlay);
GtkWidget *cm_expiry_dialog_present  (GtkWindow       *window,
                                      CmSession       *session,
                                      const char      *error_message);

G_END_DECLS
