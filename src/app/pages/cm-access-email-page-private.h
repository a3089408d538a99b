/* cm-access-email-page-private.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the tests: whether the profile that fills the field is still on its way.
 */

#pragma once

#include "cm-access-email-page.h"

G_BEGIN_DECLS

gboolean cm_access_email_page_get_fetching (CmAccessEmailPage *self);

G_END_DECLS
