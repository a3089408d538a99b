/* cm-access-info-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-access-step-page.h"

G_BEGIN_DECLS

#define CM_TYPE_ACCESS_INFO_PAGE (cm_access_info_page_get_type ())

G_DECLARE_FINAL_TYPE (CmAccessInfoPage, cm_access_info_page, CM, ACCESS_INFO_PAGE, CmAccessStepPage)

G_END_DECLS
