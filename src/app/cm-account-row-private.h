/* cm-account-row-private.h: what the tests read of a row; the app itself
 * uses only cm-account-row.h.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-account-row.h"

G_BEGIN_DECLS

CmAccount *cm_account_row_get_account (CmAccountRow *self);

G_END_DECLS
