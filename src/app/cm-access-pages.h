/* cm-access-pages.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-access-request.h"
#include "cm-wizard.h"

G_BEGIN_DECLS

void        cm_access_pages_add         (CmWizard        *wizard,
                                         CmAccessRequest *request,
                                         const char      *flow);
const char *cm_access_pages_first_step  (const char      *flow);
gboolean    cm_access_pages_open_link   (CmWizard        *wizard,
                                         const char      *uri);

G_END_DECLS
