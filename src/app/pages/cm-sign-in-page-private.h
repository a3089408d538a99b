/* cm-sign-in-page-private.h: what the tests reach in cm-sign-in-page that the app does not use
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-sign-in-page.h"

G_BEGIN_DECLS

gint64   cm_sign_in_page_get_locked_seconds (CmSignInPage *self);

G_END_DECLS
