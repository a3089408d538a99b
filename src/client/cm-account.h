/* cm-account.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CM_TYPE_ACCOUNT (cm_account_get_type ())

G_DECLARE_FINAL_TYPE (CmAccount, cm_account, CM, ACCOUNT, GObject)

CmAccount  *cm_account_new                     (const char   *account_type,
                                                const char   *account_number,
                                                const char   *name,
                                                const char   *status,
                                                const char   *city,
                                                GDateTime    *linked_at,
                                                GDateTime    *certificate_expires);
CmAccount  *cm_account_new_from_json           (JsonObject   *object,
                                                GError      **error);

const char *cm_account_get_account_type        (CmAccount    *self);
const char *cm_account_get_account_number      (CmAccount    *self);
const char *cm_account_get_name                (CmAccount    *self);
const char *cm_account_get_status              (CmAccount    *self);
const char *cm_account_get_city                (CmAccount    *self);
GDateTime  *cm_account_get_linked_at           (CmAccount    *self);
GDateTime  *cm_account_get_certificate_expires (CmAccount    *self);
gboolean    cm_account_matches                 (CmAccount    *self,
                                                const char   *account_type,
                                                const char   *account_number);
gboolean    cm_account_equal                   (CmAccount    *self,
                                                CmAccount    *other);

G_END_DECLS
