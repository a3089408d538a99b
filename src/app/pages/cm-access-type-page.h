/* cm-access-type-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-access-step-page.h"

G_BEGIN_DECLS

#define CM_TYPE_ACCESS_TYPE_PAGE (cm_access_type_page_get_type ())

G_DECLARE_FINAL_TYPE (CmAccessTypePage, cm_access_type_page, CM, ACCESS_TYPE_PAGE, CmAccessStepPage)

G_END_DECLS
