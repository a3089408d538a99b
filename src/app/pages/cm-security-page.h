/* cm-security-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-page.h"
#include "cm-profile-page.h"
#include "cm-sign-up-form.h"

G_BEGIN_DECLS

/**
 * CmAvailability:
 * @CM_AVAILABILITY_UNKNOWN: not checked yet (or the User ID is not valid)
 * @CM_AVAILABILITY_CHECKING: asking the back-end
 * @CM_AVAILABILITY_AVAILABLE: free to take
 * @CM_AVAILABILITY_TAKEN: someone has it
 * @CM_AVAILABILITY_FAILED: the back-end could not be asked
 */
typedef enum
{
  CM_AVAILABILITY_UNKNOWN,
  CM_AVAILABILITY_CHECKING,
  CM_AVAILABILITY_AVAILABLE,
  CM_AVAILABILITY_TAKEN,
  CM_AVAILABILITY_FAILED,
} CmAvailability;

#define CM_TYPE_SECURITY_PAGE (cm_security_page_get_type ())

G_DECLARE_FINAL_TYPE (CmSecurityPage, cm_security_page, CM, SECURITY_PAGE, CmPage)

CmPage         *cm_security_page_new              (CmSession      *session,
                                                   GSettings      *settings,
                                                   CmSignUpForm   *form);

G_END_DECLS
