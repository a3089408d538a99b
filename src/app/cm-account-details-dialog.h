/* cm-account-details-dialog.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cm-account.h"

G_BEGIN_DECLS

#define CM_TYPE_ACCOUNT_DETAILS_DIALOG (cm_account_details_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CmAccountDetailsDialog, cm_account_details_dialog, CM,
                      ACCOUNT_DETAILS_DIALOG, AdwWindow)

CmAccountDetailsDialog *cm_account_details_dialog_new (GtkWindow *parent,
                                                       CmAccount *account);

G_END_DECLS
