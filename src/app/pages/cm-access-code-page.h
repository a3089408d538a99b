/* cm-access-code-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-access-step-page.h"

G_BEGIN_DECLS

#define CM_TYPE_ACCESS_CODE_PAGE (cm_access_code_page_get_type ())

G_DECLARE_FINAL_TYPE (CmAccessCodePage, cm_access_code_page, CM, ACCESS_CODE_PAGE, CmAccessStepPage)

gboolean cm_access_code_page_fill (CmAccessCodePage *self,
                                   const char       *untrusted_code);

G_END_DECLS
