/* cm-page-private.h: what the tests reach in cm-page that the app does not use
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-page.h"

G_BEGIN_DECLS

GtkWidget  *cm_page_get_field_error  (CmPage               *self,
                                      GtkWidget            *row);

G_END_DECLS
