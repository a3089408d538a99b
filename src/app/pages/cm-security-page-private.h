/* cm-security-page-private.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the tests: what the page found out about the User ID.
 */

#pragma once

#include "cm-security-page.h"

G_BEGIN_DECLS

CmAvailability  cm_security_page_get_availability (CmSecurityPage *self);
const char     *cm_security_page_get_proposed_user_id (CmSecurityPage *self);

G_END_DECLS
