/* cm-forgot-password-page-private.h: what the tests ask the Forgot Password page
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-forgot-password-page.h"

G_BEGIN_DECLS

gboolean  cm_forgot_password_page_get_pin_sent (CmForgotPasswordPage *self);

G_END_DECLS
