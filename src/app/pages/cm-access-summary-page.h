/* cm-access-summary-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-access-step-page.h"

G_BEGIN_DECLS

#define CM_TYPE_ACCESS_SUMMARY_PAGE (cm_access_summary_page_get_type ())

G_DECLARE_FINAL_TYPE (CmAccessSummaryPage, cm_access_summary_page, CM, ACCESS_SUMMARY_PAGE, CmAccessStepPage)

G_END_DECLS
