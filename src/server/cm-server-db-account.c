/* cm-server-db-account.c: the store's side of a user's account settings: the profile, the
 * recovery options and the security questions, in the SQL both drivers run (cm-db-driver.h).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-db"

#include "config.h"

#include <gio/gio.h>

#include "cm-server-db-statements.h"

gboolean
cm_server_db_update_profile (CmServerDb            *self,
                             const CmServerDbUser  *user,
                             GError               **error)
{
  CmDbStmt *stmt = prepare (self, "UPDATE users SET first_name = ?, last_name = ?, email = ?,"
                                  " work_phone = ?, mobile_phone = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user->first_name);
  bind_text (stmt, 2, user->last_name);
  bind_text (stmt, 3, user->email);
  bind_text (stmt, 4, user->work_phone);
  bind_text (stmt, 5, user->mobile_phone);
  cm_db_bind_int64 (stmt, 6, user->id);
  return step_done (self, stmt, "update profile", error);
}

gboolean
cm_server_db_set_recovery (CmServerDb  *self,
                           gint64       user,
                           gboolean     email,
                           gboolean     text,
                           GError     **error)
{
  CmDbStmt *stmt = prepare (self, "UPDATE users SET recovery_email = ?, recovery_text = ?"
                                  " WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, email ? 1 : 0);
  cm_db_bind_int64 (stmt, 2, text ? 1 : 0);
  cm_db_bind_int64 (stmt, 3, user);
  return step_done (self, stmt, "set recovery", error);
}

gboolean
cm_server_db_delete_recovery_questions (CmServerDb  *self,
                                        gint64       user,
                                        GError     **error)
{
  CmDbStmt *stmt = prepare (self, "DELETE FROM recovery_questions WHERE \"user\" = ?", error);

  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, user);
  return step_done (self, stmt, "delete questions", error);
}

GStrv
cm_server_db_get_recovery_questions (CmServerDb  *self,
                                     gint64       user,
                                     GError     **error)
{
  CmDbStmt *stmt;

  stmt = prepare (self, "SELECT question FROM recovery_questions WHERE \"user\" = ?"
                        " ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  cm_db_bind_int64 (stmt, 1, user);
  return step_texts (stmt, error);
}
