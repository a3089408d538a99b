/* cm-accessible.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void cm_accessible_expose_only (GtkWidget        *shown,
                                GtkWidget *const *candidates,
                                gsize             n_candidates);

G_END_DECLS
