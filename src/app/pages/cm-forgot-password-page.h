/* cm-forgot-password-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-page.h"

G_BEGIN_DECLS

#define CM_TYPE_FORGOT_PASSWORD_PAGE (cm_forgot_password_page_get_type ())

G_DECLARE_FINAL_TYPE (CmForgotPasswordPage, cm_forgot_password_page, CM, FORGOT_PASSWORD_PAGE,
                      CmPage)

CmPage   *cm_forgot_password_page_new          (CmSession            *session,
                                                GSettings            *settings);
void      cm_forgot_password_page_send_pin     (CmForgotPasswordPage *self);

G_END_DECLS
