/* cm-account-access-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-add-access-page.h"
#include "cm-journey.h"
#include "cm-page.h"
#include "cm-request-code-page.h"

G_BEGIN_DECLS

#define CM_TYPE_ACCOUNT_ACCESS_PAGE (cm_account_access_page_get_type ())

G_DECLARE_FINAL_TYPE (CmAccountAccessPage, cm_account_access_page, CM, ACCOUNT_ACCESS_PAGE, CmPage)

CmAccountAccessPage *cm_account_access_page_new               (CmSession           *session);
const char          *cm_account_access_page_get_view          (CmAccountAccessPage *self);
void                 cm_account_access_page_show_options      (CmAccountAccessPage *self);
void                 cm_account_access_page_show_request_code (CmAccountAccessPage *self);
void                 cm_account_access_page_show_add_access   (CmAccountAccessPage *self);
gboolean             cm_account_access_page_open_link         (CmAccountAccessPage *self,
                                                               const char          *uri);
void                 cm_account_access_page_set_journey       (CmAccountAccessPage *self,
                                                               CmJourney           *journey);
const char          *cm_account_access_page_get_progress      (CmAccountAccessPage *self);
CmRequestCodePage   *cm_account_access_page_get_request_code_page (CmAccountAccessPage *self);
CmAddAccessPage     *cm_account_access_page_get_add_access_page   (CmAccountAccessPage *self);

G_END_DECLS
