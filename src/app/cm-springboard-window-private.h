/* cm-springboard-window-private.h: what the tests and the benchmarks drive
 * directly; the app itself uses only cm-springboard-window.h.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-springboard-window.h"

G_BEGIN_DECLS

GListModel  *cm_springboard_window_get_model        (CmSpringboardWindow *self);
GtkGridView *cm_springboard_window_get_account_grid (CmSpringboardWindow *self);
void         cm_springboard_window_set_search_text  (CmSpringboardWindow *self,
                                                     const char          *text);
const char  *cm_springboard_window_get_view         (CmSpringboardWindow *self);
GtkWidget   *cm_springboard_window_ask_remove       (CmSpringboardWindow *self,
                                                     const char          *account_type,
                                                     const char          *account_number);
GtkWidget   *cm_springboard_window_show_details     (CmSpringboardWindow *self,
                                                     CmAccount           *account);

G_END_DECLS
