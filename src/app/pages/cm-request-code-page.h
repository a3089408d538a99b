/* cm-request-code-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-page.h"

G_BEGIN_DECLS

#define CM_TYPE_REQUEST_CODE_PAGE (cm_request_code_page_get_type ())

G_DECLARE_FINAL_TYPE (CmRequestCodePage, cm_request_code_page, CM, REQUEST_CODE_PAGE, CmPage)

CmRequestCodePage *cm_request_code_page_new              (CmSession         *session);
const char        *cm_request_code_page_get_step         (CmRequestCodePage *self);
const char        *cm_request_code_page_get_confirmation_number (CmRequestCodePage *self);
void               cm_request_code_page_restart          (CmRequestCodePage *self);

G_END_DECLS
