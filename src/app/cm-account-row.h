/* cm-account-row.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cm-account.h"

G_BEGIN_DECLS

#define CM_TYPE_ACCOUNT_ROW (cm_account_row_get_type ())

G_DECLARE_FINAL_TYPE (CmAccountRow, cm_account_row, CM, ACCOUNT_ROW, GtkWidget)

CmAccountRow *cm_account_row_new          (void);
void          cm_account_row_set_account  (CmAccountRow *self,
                                           CmAccount    *account);
const char   *cm_account_row_get_accessible_name (CmAccountRow *self);

const char   *cm_account_type_get_label   (const char   *account_type);
const char   *cm_account_status_get_label (const char   *status);
char         *cm_account_format_date      (GDateTime    *date);

G_END_DECLS
