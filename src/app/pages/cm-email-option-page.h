/* cm-email-option-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-access-step-page.h"

G_BEGIN_DECLS

#define CM_TYPE_EMAIL_OPTION_PAGE (cm_email_option_page_get_type ())

G_DECLARE_FINAL_TYPE (CmEmailOptionPage, cm_email_option_page, CM, EMAIL_OPTION_PAGE, CmAccessStepPage)

G_END_DECLS
