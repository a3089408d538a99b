/* cm-account-row-pool.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CM_TYPE_ACCOUNT_ROW_POOL (cm_account_row_pool_get_type ())

G_DECLARE_FINAL_TYPE (CmAccountRowPool, cm_account_row_pool, CM, ACCOUNT_ROW_POOL, GObject)

CmAccountRowPool   *cm_account_row_pool_new         (GListModel       *accounts);
GtkListItemFactory *cm_account_row_pool_get_factory (CmAccountRowPool *self);

G_END_DECLS
