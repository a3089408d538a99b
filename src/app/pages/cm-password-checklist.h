/* cm-password-checklist.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CM_TYPE_PASSWORD_CHECKLIST (cm_password_checklist_get_type ())

G_DECLARE_FINAL_TYPE (CmPasswordChecklist, cm_password_checklist, CM, PASSWORD_CHECKLIST, GtkBox)

void       cm_password_checklist_update         (CmPasswordChecklist *self,
                                                 const char          *password,
                                                 const char          *user_id,
                                                 const char          *first_name,
                                                 const char          *last_name);
gboolean   cm_password_checklist_get_all_met    (CmPasswordChecklist *self);
void       cm_password_checklist_set_new_account (CmPasswordChecklist *self,
                                                  gboolean             new_account);
void       cm_password_checklist_set_reused     (CmPasswordChecklist *self,
                                                 gboolean             reused);

G_END_DECLS
