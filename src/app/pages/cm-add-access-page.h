/* cm-add-access-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-page.h"

G_BEGIN_DECLS

#define CM_TYPE_ADD_ACCESS_PAGE (cm_add_access_page_get_type ())

G_DECLARE_FINAL_TYPE (CmAddAccessPage, cm_add_access_page, CM, ADD_ACCESS_PAGE, CmPage)

CmAddAccessPage *cm_add_access_page_new         (CmSession       *session);
const char      *cm_add_access_page_get_step    (CmAddAccessPage *self);
gboolean         cm_add_access_page_set_code    (CmAddAccessPage *self,
                                                 const char      *untrusted_code);
gboolean         cm_add_access_page_open_link   (CmAddAccessPage *self,
                                                 const char      *uri);
void             cm_add_access_page_restart     (CmAddAccessPage *self);

char            *cm_add_access_parse_link       (const char      *uri);

G_END_DECLS
