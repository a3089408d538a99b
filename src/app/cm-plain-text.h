/* cm-plain-text.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwToast  *cm_plain_toast_new                   (const char          *text);
gpointer   cm_plain_row_new                     (GType                row_type);
void       cm_plain_status_page_set_description (AdwStatusPage       *page,
                                                 const char          *text);
void       cm_plain_group_set_description       (AdwPreferencesGroup *group,
                                                 const char          *text);

G_END_DECLS
