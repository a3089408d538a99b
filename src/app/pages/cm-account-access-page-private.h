/* cm-account-access-page-private.h: what the tests reach in cm-account-access-page that the app does not use
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-account-access-page.h"

G_BEGIN_DECLS

const char          *cm_account_access_page_get_progress (CmAccountAccessPage *self);

G_END_DECLS
