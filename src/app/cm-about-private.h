/* cm-about-private.h: what the tests reach in cm-about that the app does not use
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-about.h"

G_BEGIN_DECLS

char       *cm_about_dup_debug_info   (CmApplication      *application,
                                       CmCredentialHealth  health);

G_END_DECLS
