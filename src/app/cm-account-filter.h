/* cm-account-filter.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cm-account.h"

G_BEGIN_DECLS

#define CM_TYPE_ACCOUNT_FILTER (cm_account_filter_get_type ())

G_DECLARE_FINAL_TYPE (CmAccountFilter, cm_account_filter, CM, ACCOUNT_FILTER, GtkFilter)

CmAccountFilter *cm_account_filter_new         (void);
gboolean         cm_account_filter_set_search  (CmAccountFilter *self,
                                                const char      *text);
void             cm_account_filter_watch       (CmAccountFilter *self,
                                                GListModel      *accounts);

G_END_DECLS
