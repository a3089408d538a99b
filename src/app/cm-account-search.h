/* cm-account-search.h: the springboard's search, a list model of the
 * accounts that match it.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CM_TYPE_ACCOUNT_SEARCH (cm_account_search_get_type ())
G_DECLARE_FINAL_TYPE (CmAccountSearch, cm_account_search, CM, ACCOUNT_SEARCH, GObject)

CmAccountSearch *cm_account_search_new            (GListModel      *accounts);
gboolean         cm_account_search_set_text       (CmAccountSearch *self,
                                                   const char      *text);
gboolean         cm_account_search_is_waiting     (CmAccountSearch *self);
void             cm_account_search_finish_waiting (CmAccountSearch *self);

G_END_DECLS
