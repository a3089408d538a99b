/* cm-access-flow-private.h: small pieces the Request Code and Add Account
 * Access flows share (both mirror the same slides' layout).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWidget *cm_access_flow_summary_row    (const char  *label,
                                          const char  *value);
GtkWidget *cm_access_flow_nav_button     (const char  *label,
                                          const char  *name,
                                          const char  *style_class);
GtkWidget *cm_access_flow_check_button (const char  *label,
                                          const char  *name);
GtkWidget *cm_access_flow_step_box       (const char  *heading,
                                          const char  *explanation);
void       cm_access_flow_set_label      (GtkWidget   *button,
                                          const char  *label);
void       cm_access_flow_show_error     (GtkLabel    *error_label,
                                          const GError *error);
void       cm_access_flow_ask_discard    (GtkWidget   *page,
                                          GCallback    discard_cb);

G_END_DECLS
