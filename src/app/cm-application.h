/* cm-application.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cm-practice.h"

G_BEGIN_DECLS

#define CM_TYPE_APPLICATION (cm_application_get_type ())

G_DECLARE_FINAL_TYPE (CmApplication, cm_application, CM, APPLICATION, AdwApplication)

CmApplication *cm_application_new                (const char        *application_id,
                                                  GApplicationFlags  flags);
GSettings     *cm_application_get_settings       (CmApplication     *self);
char          *cm_application_dup_server_url     (CmApplication     *self);
const char    *cm_application_get_pending_link   (CmApplication     *self);
char          *cm_application_take_pending_link  (CmApplication     *self);
char          *cm_application_dup_debug_info     (CmApplication     *self);
CmPractice    *cm_application_get_practice       (CmApplication     *self);
char          *cm_application_dup_backend_url    (CmApplication     *self);

GSettings     *cm_application_lookup_settings    (void);
gboolean       cm_application_check_server_url   (const char        *server_url,
                                                  GError           **error);

G_END_DECLS
