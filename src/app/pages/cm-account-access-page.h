/* cm-account-access-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-access-request.h"
#include "cm-journey.h"
#include "cm-page.h"

G_BEGIN_DECLS

#define CM_TYPE_ACCOUNT_ACCESS_PAGE (cm_account_access_page_get_type ())

G_DECLARE_FINAL_TYPE (CmAccountAccessPage, cm_account_access_page, CM, ACCOUNT_ACCESS_PAGE, CmPage)

CmAccountAccessPage *cm_account_access_page_new          (CmAccessRequest     *request);
void                 cm_account_access_page_set_journey  (CmAccountAccessPage *self,
                                                          CmJourney           *journey);
const char          *cm_account_access_page_get_progress (CmAccountAccessPage *self);

G_END_DECLS
