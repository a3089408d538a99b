/* cm-sign-in-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-page.h"

G_BEGIN_DECLS

#define CM_TYPE_SIGN_IN_PAGE (cm_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (CmSignInPage, cm_sign_in_page, CM, SIGN_IN_PAGE, CmPage)

CmPage  *cm_sign_in_page_new                (CmSession    *session,
                                             GSettings    *settings);
void     cm_sign_in_page_set_account_type   (CmSignInPage *self,
                                             const char   *account_type);

G_END_DECLS
