/* cm-plain-text.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwToast  *cm_plain_toast_new       (const char *text);
gpointer   cm_plain_row_new         (GType       row_type);
void       cm_plain_set_description (GtkWidget  *widget,
                                     const char *text);

G_END_DECLS
