/* cm-account-search-private.h: what the tests change of the search model;
 * the app itself uses only cm-account-search.h.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-account-search.h"

G_BEGIN_DECLS

void cm_account_search_set_keys_per_turn (CmAccountSearch *self,
                                          guint            keys_per_turn);

G_END_DECLS
