/* cm-profile-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-page.h"
#include "cm-sign-up-form.h"

G_BEGIN_DECLS

/* The flow of the sign-up pages (CmPage:flow). */
#define CM_SIGN_UP_FLOW "sign-up"

#define CM_TYPE_PROFILE_PAGE (cm_profile_page_get_type ())

G_DECLARE_FINAL_TYPE (CmProfilePage, cm_profile_page, CM, PROFILE_PAGE, CmPage)

CmPage     *cm_profile_page_new             (CmSession       *session,
                                             CmSignUpForm    *form);

G_END_DECLS
