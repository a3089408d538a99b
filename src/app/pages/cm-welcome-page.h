/* cm-welcome-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-page.h"

G_BEGIN_DECLS

/**
 * CmBackendMode:
 * @CM_BACKEND_MODE_REMOTE: a configured back-end
 * @CM_BACKEND_MODE_PRACTICE: the in-process practice back-end
 * @CM_BACKEND_MODE_NONE: none configured and no practice mode in this build
 */
typedef enum
{
  CM_BACKEND_MODE_REMOTE,
  CM_BACKEND_MODE_PRACTICE,
  CM_BACKEND_MODE_NONE,
} CmBackendMode;

#define CM_TYPE_WELCOME_PAGE (cm_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (CmWelcomePage, cm_welcome_page, CM, WELCOME_PAGE, CmPage)

CmPage        *cm_welcome_page_new               (void);
void           cm_welcome_page_set_backend_mode  (CmWelcomePage *self,
                                                  CmBackendMode  mode);
void           cm_welcome_page_set_backend_ready (CmWelcomePage *self,
                                                  gboolean       ready);
const char    *cm_welcome_page_get_account_type  (CmWelcomePage *self);
void           cm_welcome_page_set_account_type  (CmWelcomePage *self,
                                                  const char    *account_type);

G_END_DECLS
