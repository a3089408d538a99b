/* cm-server-db-users.c: the store's users, attempt limits, sessions, challenges and
 * password resets, in the SQL both drivers run (cm-db-driver.h).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-db"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "cm-error.h"
#include "cm-server-db-statements.h"

/* ---- Users ---- */

gboolean
cm_server_db_user_exists (CmServerDb  *self,
                          const char  *user_id,
                          gboolean    *exists,
                          GError     **error)
{
  CmDbStmt *stmt = prepare (self, "SELECT 1 FROM users WHERE user_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  if (!step_row (self, stmt, exists, "user exists", error))
    return FALSE;
  cm_db_reset (stmt);
  return TRUE;
}

gboolean
cm_server_db_insert_user (CmServerDb            *self,
                          const CmServerDbUser  *user,
                          gint64                 now,
                          gint64                *id,
                          GError               **error)
{
  CmDbStmt *stmt;
  CmDbStep rc;

  /* RETURNING id rather than the last row id: both stores have it. */
  stmt = prepare (self, "INSERT INTO users (user_id, first_name, middle_initial, last_name,"
                        " suffix, email, work_phone, mobile_phone, recovery_email, recovery_text,"
                        " password_hash, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                        " RETURNING id", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user->user_id);
  bind_text (stmt, 2, user->first_name ? user->first_name : "");
  bind_text (stmt, 3, user->middle_initial ? user->middle_initial : "");
  bind_text (stmt, 4, user->last_name);
  bind_text (stmt, 5, user->suffix ? user->suffix : "");
  bind_text (stmt, 6, user->email);
  bind_text (stmt, 7, user->work_phone);
  bind_text (stmt, 8, user->mobile_phone ? user->mobile_phone : "");
  cm_db_bind_int64 (stmt, 9, user->recovery_email ? 1 : 0);
  cm_db_bind_int64 (stmt, 10, user->recovery_text ? 1 : 0);
  bind_text (stmt, 11, user->password_hash);
  cm_db_bind_int64 (stmt, 12, now);
  rc = cm_db_step (stmt, error);
  if (rc == CM_DB_STEP_CONSTRAINT)
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_USER_ID_TAKEN, "user_id", NULL));
      return FALSE;
    }
  if (rc != CM_DB_STEP_ROW)
    return FALSE;
  *id = cm_db_column_int64 (stmt, 0);
  finish (stmt);

  stmt = prepare (self, "INSERT INTO password_history (\"user\", password_hash, created_at)"
                        " VALUES (?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, *id);
  bind_text (stmt, 2, user->password_hash);
  cm_db_bind_int64 (stmt, 3, now);
  return step_done (self, stmt, "insert history", error);
}

gboolean
cm_server_db_insert_recovery_question (CmServerDb    *self,
                                       gint64         user,
                                       const char    *question,
                                       const guint8  *answer_hash,
                                       GError       **error)
{
  CmDbStmt *stmt = prepare (self, "INSERT INTO recovery_questions (\"user\", question,"
                                      " answer_hash, answer_keyed) VALUES (?,?,?,1)", error);

  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, user);
  bind_text (stmt, 2, question);
  bind_digest (stmt, 3, answer_hash);
  return step_done (self, stmt, "insert question", error);
}

gboolean
cm_server_db_rekey_answers (CmServerDb             *self,
                            CmServerDbRekeyFunc     rekey,
                            gpointer                user_data,
                            guint                  *n_rekeyed,
                            GError                **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GByteArray) digests = g_byte_array_new ();
  CmDbStmt *stmt;
  CmDbStep rc;

  *n_rekeyed = 0;
  stmt = prepare (self, "SELECT id, answer_hash FROM recovery_questions WHERE answer_keyed = 0",
                  error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = cm_db_step (stmt, error)) == CM_DB_STEP_ROW)
    {
      gint64 id = cm_db_column_int64 (stmt, 0);
      guint8 digest[CM_SERVER_DB_DIGEST_BYTES] = { 0 };

      const guint8 *old;

      if (cm_db_column_blob (stmt, 1, &old) == CM_SERVER_DB_DIGEST_BYTES)
        memcpy (digest, old, sizeof digest);
      rekey (digest, user_data);
      g_array_append_val (ids, id);
      g_byte_array_append (digests, digest, sizeof digest);
    }
  cm_db_reset (stmt);
  if (rc != CM_DB_STEP_DONE)
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      stmt = prepare (self, "UPDATE recovery_questions SET answer_hash = ?, answer_keyed = 1"
                            " WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      bind_digest (stmt, 1, digests->data + i * CM_SERVER_DB_DIGEST_BYTES);
      cm_db_bind_int64 (stmt, 2, g_array_index (ids, gint64, i));
      if (!step_done (self, stmt, "rekey answer", error))
        return FALSE;
    }
  *n_rekeyed = ids->len;
  return TRUE;
}

#define USER_COLUMNS "id, user_id, first_name, middle_initial, last_name, suffix, email," \
                     " work_phone, mobile_phone, recovery_email, recovery_text, password_hash"

static CmServerDbUser *
read_user (CmServerDb    *self,
           CmDbStmt      *stmt,
           GError       **error)
{
  CmServerDbUser *user;
  gboolean row;

  if (!step_row (self, stmt, &row, "get user", error) || !row)
    return NULL;
  user = g_new0 (CmServerDbUser, 1);
  user->id = cm_db_column_int64 (stmt, 0);
  user->user_id = column_text (stmt, 1);
  user->first_name = column_text (stmt, 2);
  user->middle_initial = column_text (stmt, 3);
  user->last_name = column_text (stmt, 4);
  user->suffix = column_text (stmt, 5);
  user->email = column_text (stmt, 6);
  user->work_phone = column_text (stmt, 7);
  user->mobile_phone = column_text (stmt, 8);
  user->recovery_email = cm_db_column_int64 (stmt, 9) != 0;
  user->recovery_text = cm_db_column_int64 (stmt, 10) != 0;
  user->password_hash = column_text (stmt, 11);
  cm_db_reset (stmt);
  return user;
}

CmServerDbUser *
cm_server_db_get_user (CmServerDb  *self,
                       const char  *user_id,
                       GError     **error)
{
  CmDbStmt *stmt = prepare (self, "SELECT " USER_COLUMNS " FROM users WHERE user_id = ?",
                                error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, user_id);
  return read_user (self, stmt, error);
}

CmServerDbUser *
cm_server_db_get_user_by_id (CmServerDb  *self,
                             gint64       id,
                             GError     **error)
{
  CmDbStmt *stmt = prepare (self, "SELECT " USER_COLUMNS " FROM users WHERE id = ?", error);

  if (stmt == NULL)
    return NULL;
  cm_db_bind_int64 (stmt, 1, id);
  return read_user (self, stmt, error);
}

gboolean
cm_server_db_set_password (CmServerDb  *self,
                           gint64       user,
                           const char  *password_hash,
                           gint64       now,
                           GError     **error)
{
  CmDbStmt *stmt = prepare (self, "UPDATE users SET password_hash = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, password_hash);
  cm_db_bind_int64 (stmt, 2, user);
  if (!step_done (self, stmt, "set password", error))
    return FALSE;

  stmt = prepare (self, "INSERT INTO password_history (\"user\", password_hash, created_at)"
                        " VALUES (?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, user);
  bind_text (stmt, 2, password_hash);
  cm_db_bind_int64 (stmt, 3, now);
  if (!step_done (self, stmt, "insert history", error))
    return FALSE;

  /* Only the last few hashes are ever compared; the older ones are dropped. */
  stmt = prepare (self, "DELETE FROM password_history WHERE \"user\" = ?1 AND id NOT IN"
                        " (SELECT id FROM password_history WHERE \"user\" = ?1"
                        "  ORDER BY id DESC LIMIT 3)", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, user);
  return step_done (self, stmt, "trim history", error);
}

GStrv
cm_server_db_get_password_history (CmServerDb  *self,
                                   gint64       user,
                                   guint        limit,
                                   GError     **error)
{
  CmDbStmt *stmt;

  stmt = prepare (self, "SELECT password_hash FROM password_history WHERE \"user\" = ?"
                        " ORDER BY id DESC LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  cm_db_bind_int64 (stmt, 1, user);
  cm_db_bind_int64 (stmt, 2, limit);
  return step_texts (stmt, error);
}

/* ---- Attempt limits ---- */

gboolean
cm_server_db_get_limit (CmServerDb       *self,
                        CmServerDbLimitKind kind,
                        const guint8     *key,
                        CmServerDbLimit  *limit,
                        GError          **error)
{
  CmDbStmt *stmt;
  gboolean row;

  stmt = prepare (self, "SELECT count, pending, locked_until, updated_at FROM attempt_limits"
                        " WHERE kind = ? AND key = ?", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, kind);
  bind_digest (stmt, 2, key);
  if (!step_row (self, stmt, &row, "get limit", error))
    return FALSE;
  memset (limit, 0, sizeof *limit);
  if (row)
    {
      limit->count = cm_db_column_int64 (stmt, 0);
      limit->pending = cm_db_column_int64 (stmt, 1);
      limit->locked_until = cm_db_column_int64 (stmt, 2);
      limit->updated_at = cm_db_column_int64 (stmt, 3);
    }
  cm_db_reset (stmt);
  return TRUE;
}

gboolean
cm_server_db_set_limit (CmServerDb            *self,
                        CmServerDbLimitKind    kind,
                        const guint8          *key,
                        const CmServerDbLimit *limit,
                        GError               **error)
{
  /* A row that holds nothing is not kept. */
  gboolean keep = limit->count != 0 || limit->pending != 0 || limit->locked_until != 0;
  CmDbStmt *stmt;

  if (keep)
    stmt = prepare (self, "INSERT INTO attempt_limits (kind, key, count, pending, locked_until,"
                          " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                          " ON CONFLICT (kind, key) DO UPDATE SET count = ?3, pending = ?4,"
                          " locked_until = ?5, updated_at = ?6", error);
  else
    stmt = prepare (self, "DELETE FROM attempt_limits WHERE kind = ?1 AND key = ?2", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, kind);
  bind_digest (stmt, 2, key);
  if (keep)
    {
      cm_db_bind_int64 (stmt, 3, limit->count);
      cm_db_bind_int64 (stmt, 4, limit->pending);
      cm_db_bind_int64 (stmt, 5, limit->locked_until);
      cm_db_bind_int64 (stmt, 6, limit->updated_at);
    }
  return step_done (self, stmt, "set limit", error);
}

gboolean
cm_server_db_prune_limits (CmServerDb  *self,
                           gint64       before,
                           gint64       now,
                           GError     **error)
{
  CmDbStmt *stmt;

  stmt = prepare (self, "DELETE FROM attempt_limits WHERE updated_at < ? AND locked_until <= ?",
                  error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, before);
  cm_db_bind_int64 (stmt, 2, now);
  return step_done (self, stmt, "prune limits", error);
}

/* ---- Sessions ---- */

gboolean
cm_server_db_insert_session (CmServerDb    *self,
                             const guint8  *token_hash,
                             gint64         user,
                             gint64         now,
                             gint64         idle_seconds,
                             gint64         absolute_expires_at,
                             GError       **error)
{
  CmDbStmt *stmt;

  stmt = prepare (self, "INSERT INTO sessions (token_hash, \"user\", created_at, last_used_at,"
                        " idle_seconds, absolute_expires_at) VALUES (?,?,?,?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_digest (stmt, 1, token_hash);
  cm_db_bind_int64 (stmt, 2, user);
  cm_db_bind_int64 (stmt, 3, now);
  cm_db_bind_int64 (stmt, 4, now);
  cm_db_bind_int64 (stmt, 5, idle_seconds);
  cm_db_bind_int64 (stmt, 6, absolute_expires_at);
  return step_done (self, stmt, "insert session", error);
}

gboolean
cm_server_db_get_session (CmServerDb         *self,
                          const guint8       *token_hash,
                          CmServerDbSession  *session,
                          GError            **error)
{
  CmDbStmt *stmt;
  gboolean row;

  stmt = prepare (self, "SELECT id, \"user\", created_at, last_used_at, idle_seconds,"
                        " absolute_expires_at, revoked_at IS NOT NULL"
                        " FROM sessions WHERE token_hash = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_digest (stmt, 1, token_hash);
  if (!step_row (self, stmt, &row, "get session", error) || !row)
    return FALSE;
  session->id = cm_db_column_int64 (stmt, 0);
  session->user = cm_db_column_int64 (stmt, 1);
  session->created_at = cm_db_column_int64 (stmt, 2);
  session->last_used_at = cm_db_column_int64 (stmt, 3);
  session->idle_seconds = cm_db_column_int64 (stmt, 4);
  session->absolute_expires_at = cm_db_column_int64 (stmt, 5);
  session->revoked = cm_db_column_int64 (stmt, 6) != 0;
  cm_db_reset (stmt);
  return TRUE;
}

gboolean
cm_server_db_touch_session (CmServerDb  *self,
                            gint64       id,
                            gint64       now,
                            GError     **error)
{
  CmDbStmt *stmt = prepare (self, "UPDATE sessions SET last_used_at = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, now);
  cm_db_bind_int64 (stmt, 2, id);
  return step_done (self, stmt, "touch session", error);
}

gboolean
cm_server_db_revoke_session (CmServerDb  *self,
                             gint64       id,
                             gint64       now,
                             GError     **error)
{
  CmDbStmt *stmt;

  stmt = prepare (self, "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                  error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, now);
  cm_db_bind_int64 (stmt, 2, id);
  return step_done (self, stmt, "revoke session", error);
}

gboolean
cm_server_db_revoke_user_sessions (CmServerDb  *self,
                                   gint64       user,
                                   gint64       keep,
                                   gint64       now,
                                   GError     **error)
{
  CmDbStmt *stmt;

  stmt = prepare (self, "UPDATE sessions SET revoked_at = ? WHERE \"user\" = ? AND id != ?"
                        " AND revoked_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, now);
  cm_db_bind_int64 (stmt, 2, user);
  cm_db_bind_int64 (stmt, 3, keep);
  return step_done (self, stmt, "revoke sessions", error);
}

/* ---- Challenges ---- */

gboolean
cm_server_db_insert_challenge (CmServerDb  *self,
                               const char  *id,
                               const char  *answer,
                               gint64       expires_at,
                               GError     **error)
{
  CmDbStmt *stmt;

  /* Expired challenges are of no use to anyone: drop them as new ones come. */
  stmt = prepare (self, "DELETE FROM challenges WHERE expires_at < ?", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, expires_at - 24 * 3600);
  if (!step_done (self, stmt, "prune challenges", error))
    return FALSE;

  stmt = prepare (self, "INSERT INTO challenges (id, answer, expires_at) VALUES (?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, answer);
  cm_db_bind_int64 (stmt, 3, expires_at);
  return step_done (self, stmt, "insert challenge", error);
}

gboolean
cm_server_db_take_challenge (CmServerDb  *self,
                             const char  *id,
                             gint64       now,
                             char       **answer,
                             GError     **error)
{
  CmDbStmt *stmt;
  gboolean row;

  *answer = NULL;
  stmt = prepare (self, "UPDATE challenges SET used_at = ?1 WHERE id = ?2 AND used_at IS NULL"
                        " AND expires_at > ?1 RETURNING answer", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, now);
  bind_text (stmt, 2, id);
  if (!step_row (self, stmt, &row, "take challenge", error))
    return FALSE;
  if (row)
    {
      *answer = column_text (stmt, 0);
      /* Finish the statement so the UPDATE is complete before the commit. */
      finish (stmt);
    }
  return TRUE;
}

gboolean
cm_server_db_peek_challenge (CmServerDb  *self,
                             const char  *id,
                             gint64       now,
                             char       **answer,
                             GError     **error)
{
  CmDbStmt *stmt;
  gboolean row;

  *answer = NULL;
  stmt = prepare (self, "SELECT answer FROM challenges WHERE id = ? AND used_at IS NULL"
                        " AND expires_at > ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  cm_db_bind_int64 (stmt, 2, now);
  if (!step_row (self, stmt, &row, "peek challenge", error))
    return FALSE;
  if (row)
    *answer = column_text (stmt, 0);
  cm_db_reset (stmt);
  return TRUE;
}

/* ---- Password resets ---- */

gboolean
cm_server_db_insert_reset (CmServerDb    *self,
                           gint64         user,
                           const guint8  *pin_hash,
                           gint64         now,
                           gint64         expires_at,
                           GError       **error)
{
  CmDbStmt *stmt;

  /* A new PIN voids the older ones, like a new authorization code. */
  stmt = prepare (self, "UPDATE password_resets SET voided_at = ? WHERE \"user\" = ?"
                        " AND used_at IS NULL AND voided_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, now);
  cm_db_bind_int64 (stmt, 2, user);
  if (!step_done (self, stmt, "void resets", error))
    return FALSE;

  stmt = prepare (self, "INSERT INTO password_resets (\"user\", pin_hash, created_at, expires_at)"
                        " VALUES (?,?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, user);
  bind_digest (stmt, 2, pin_hash);
  cm_db_bind_int64 (stmt, 3, now);
  cm_db_bind_int64 (stmt, 4, expires_at);
  return step_done (self, stmt, "insert reset", error);
}

gboolean
cm_server_db_get_reset (CmServerDb       *self,
                        gint64            user,
                        CmServerDbReset  *reset,
                        GError          **error)
{
  CmDbStmt *stmt;
  gboolean row;
  const guint8 *blob;

  stmt = prepare (self, "SELECT id, pin_hash, expires_at FROM password_resets"
                        " WHERE \"user\" = ? AND used_at IS NULL AND voided_at IS NULL"
                        " ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, user);
  if (!step_row (self, stmt, &row, "get reset", error) || !row)
    return FALSE;
  reset->id = cm_db_column_int64 (stmt, 0);
  if (cm_db_column_blob (stmt, 1, &blob) != CM_SERVER_DB_DIGEST_BYTES)
    {
      cm_db_reset (stmt);
      return FALSE;
    }
  memcpy (reset->pin_hash, blob, CM_SERVER_DB_DIGEST_BYTES);
  reset->expires_at = cm_db_column_int64 (stmt, 2);
  cm_db_reset (stmt);
  return TRUE;
}

gboolean
cm_server_db_use_reset (CmServerDb  *self,
                        gint64       id,
                        gint64       now,
                        gboolean    *used,
                        GError     **error)
{
  CmDbStmt *stmt;

  stmt = prepare (self, "UPDATE password_resets SET used_at = ? WHERE id = ?"
                        " AND used_at IS NULL AND voided_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, now);
  cm_db_bind_int64 (stmt, 2, id);
  if (!step_done (self, stmt, "use reset", error))
    return FALSE;
  *used = cm_db_changes (stmt) == 1;
  return TRUE;
}

