/* cm-request-confirmation-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-access-step-page.h"

G_BEGIN_DECLS

#define CM_TYPE_REQUEST_CONFIRMATION_PAGE (cm_request_confirmation_page_get_type ())

G_DECLARE_FINAL_TYPE (CmRequestConfirmationPage, cm_request_confirmation_page, CM, REQUEST_CONFIRMATION_PAGE, CmAccessStepPage)

G_END_DECLS
