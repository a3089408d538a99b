/* cm-access-options-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-page.h"

G_BEGIN_DECLS

#define CM_TYPE_ACCESS_OPTIONS_PAGE (cm_access_options_page_get_type ())

G_DECLARE_FINAL_TYPE (CmAccessOptionsPage, cm_access_options_page, CM, ACCESS_OPTIONS_PAGE, CmPage)

CmPage *cm_access_options_page_new (CmSession *session);

G_END_DECLS
