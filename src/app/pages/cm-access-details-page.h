/* cm-access-details-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-access-step-page.h"

G_BEGIN_DECLS

#define CM_TYPE_ACCESS_DETAILS_PAGE (cm_access_details_page_get_type ())

G_DECLARE_FINAL_TYPE (CmAccessDetailsPage, cm_access_details_page, CM, ACCESS_DETAILS_PAGE,
                      CmAccessStepPage)

G_END_DECLS
