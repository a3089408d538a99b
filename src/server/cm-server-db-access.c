/* cm-server-db-access.c: the store's registry, access requests and codes, linked
 * accounts and the per-address rate limits, in the SQL both drivers run (cm-db-driver.h).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-db"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "cm-error.h"
#include "cm-server-db-statements.h"

/* ---- Registry ---- */

gboolean
cm_server_db_upsert_registry (CmServerDb               *self,
                              const CmServerDbAccount  *account,
                              GError                  **error)
{
  CmDbStmt *stmt;

  stmt = prepare (self, "INSERT INTO registry (account_type, account_number, zip, name, city,"
                        " email, mailing_address, status, certificate_expires)"
                        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"
                        " ON CONFLICT (account_type, account_number) DO UPDATE SET"
                        " zip = ?3, name = ?4, city = ?5, email = ?6, mailing_address = ?7,"
                        " status = ?8, certificate_expires = ?9", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, account->account_type);
  bind_text (stmt, 2, account->account_number);
  bind_text (stmt, 3, account->zip);
  bind_text (stmt, 4, account->name);
  bind_text (stmt, 5, account->city);
  bind_text (stmt, 6, account->email);
  bind_text (stmt, 7, account->mailing_address);
  bind_text (stmt, 8, account->status);
  bind_text (stmt, 9, account->certificate_expires);
  return step_done (self, stmt, "upsert registry", error);
}

gint64
cm_server_db_count_registry (CmServerDb  *self,
                             GError     **error)
{
  CmDbStmt *stmt = prepare (self, "SELECT COUNT(*) FROM registry", error);
  gboolean row;
  gint64 count;

  if (stmt == NULL || !step_row (self, stmt, &row, "count registry", error))
    return -1;
  count = row ? cm_db_column_int64 (stmt, 0) : 0;
  cm_db_reset (stmt);
  return count;
}

#define ACCOUNT_COLUMNS "r.account_type, r.account_number, r.zip, r.name, r.city, r.email," \
                        " r.mailing_address, r.status, r.certificate_expires"

static CmServerDbAccount *
read_account (CmDbStmt *stmt)
{
  CmServerDbAccount *account = g_new0 (CmServerDbAccount, 1);

  account->account_type = column_text (stmt, 0);
  account->account_number = column_text (stmt, 1);
  account->zip = column_text (stmt, 2);
  account->name = column_text (stmt, 3);
  account->city = column_text (stmt, 4);
  account->email = column_text (stmt, 5);
  account->mailing_address = column_text (stmt, 6);
  account->status = column_text (stmt, 7);
  account->certificate_expires = column_text (stmt, 8);
  return account;
}

CmServerDbAccount *
cm_server_db_get_registry (CmServerDb  *self,
                           const char  *account_type,
                           const char  *account_number,
                           GError     **error)
{
  CmServerDbAccount *account;
  CmDbStmt *stmt;
  gboolean row;

  stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM registry r"
                        " WHERE r.account_type = ? AND r.account_number = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, account_type);
  bind_text (stmt, 2, account_number);
  if (!step_row (self, stmt, &row, "get registry", error) || !row)
    return NULL;
  account = read_account (stmt);
  cm_db_reset (stmt);
  return account;
}

/* ---- Access requests ---- */

gboolean
cm_server_db_next_counter (CmServerDb  *self,
                           const char  *name,
                           guint64     *value,
                           GError     **error)
{
  CmDbStmt *stmt;
  gboolean row;

  stmt = prepare (self, "INSERT INTO counters (name, value) VALUES (?, 1)"
                        " ON CONFLICT (name) DO UPDATE SET value = counters.value + 1"
                        " RETURNING counters.value",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, name);
  if (!step_row (self, stmt, &row, "counter", error))
    return FALSE;
  if (!row)
    return FALSE;
  *value = (guint64) cm_db_column_int64 (stmt, 0);
  finish (stmt);
  return TRUE;
}

gboolean
cm_server_db_insert_access_request (CmServerDb    *self,
                                    guint64        confirmation,
                                    gint64         user,
                                    const char    *account_type,
                                    const char    *account_number,
                                    const char    *delivery,
                                    const guint8  *code_hash,
                                    gint64         now,
                                    gint64         expires_at,
                                    GError       **error)
{
  CmDbStmt *stmt;

  /* Only the same user's codes: another user's request must not cancel them. */
  stmt = prepare (self, "UPDATE access_requests SET voided_at = ? WHERE \"user\" = ?"
                        " AND account_type = ? AND account_number = ?"
                        " AND used_at IS NULL AND voided_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, now);
  cm_db_bind_int64 (stmt, 2, user);
  bind_text (stmt, 3, account_type);
  bind_text (stmt, 4, account_number);
  if (!step_done (self, stmt, "void codes", error))
    return FALSE;

  stmt = prepare (self, "INSERT INTO access_requests (confirmation_number, \"user\", account_type,"
                        " account_number, delivery, code_hash, created_at, expires_at)"
                        " VALUES (?,?,?,?,?,?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, (gint64) confirmation);
  cm_db_bind_int64 (stmt, 2, user);
  bind_text (stmt, 3, account_type);
  bind_text (stmt, 4, account_number);
  bind_text (stmt, 5, delivery);
  bind_digest (stmt, 6, code_hash);
  cm_db_bind_int64 (stmt, 7, now);
  cm_db_bind_int64 (stmt, 8, expires_at);
  return step_done (self, stmt, "insert access request", error);
}

gboolean
cm_server_db_nth_recent_request (CmServerDb  *self,
                                 gint64       user,
                                 const char  *account_type,
                                 const char  *account_number,
                                 gint64       since,
                                 guint        nth,
                                 gint64      *created_at,
                                 GError     **error)
{
  CmDbStmt *stmt;
  gboolean row;

  g_return_val_if_fail (nth > 0, FALSE);

  /* Two statements rather than optional conditions, so that each uses its index. */
  if (account_type == NULL)
    {
      stmt = prepare (self, "SELECT created_at FROM access_requests WHERE \"user\" = ?1"
                            " AND created_at > ?4 ORDER BY created_at DESC LIMIT 1 OFFSET ?5",
                      error);
      if (stmt == NULL)
        return FALSE;
      cm_db_bind_int64 (stmt, 1, user);
    }
  else
    {
      stmt = prepare (self, "SELECT created_at FROM access_requests WHERE account_type = ?2"
                            " AND account_number = ?3 AND created_at > ?4"
                            " ORDER BY created_at DESC LIMIT 1 OFFSET ?5", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 2, account_type);
      bind_text (stmt, 3, account_number);
    }
  cm_db_bind_int64 (stmt, 4, since);
  cm_db_bind_int64 (stmt, 5, (gint64) nth - 1);
  if (!step_row (self, stmt, &row, "recent access requests", error))
    return FALSE;
  *created_at = row ? cm_db_column_int64 (stmt, 0) : 0;
  cm_db_reset (stmt);
  return TRUE;
}

gboolean
cm_server_db_find_code (CmServerDb      *self,
                        gint64           user,
                        const char      *account_type,
                        const char      *account_number,
                        const guint8    *code_hash,
                        CmServerDbCode  *code,
                        GError         **error)
{
  CmDbStmt *stmt;
  gboolean row;

  /* A code works only for the user who asked for it (docs/server.md, "Answers"); the
   * check at the code step knows no account yet (NULL: any of the user's). */
  if (account_type == NULL)
    stmt = prepare (self, "SELECT id, expires_at, used_at IS NOT NULL, voided_at IS NOT NULL"
                          " FROM access_requests WHERE code_hash = ? AND \"user\" = ?"
                          " ORDER BY id DESC LIMIT 1", error);
  else
    stmt = prepare (self, "SELECT id, expires_at, used_at IS NOT NULL, voided_at IS NOT NULL"
                          " FROM access_requests WHERE code_hash = ? AND \"user\" = ?"
                          " AND account_type = ? AND account_number = ?"
                          " ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  bind_digest (stmt, 1, code_hash);
  cm_db_bind_int64 (stmt, 2, user);
  if (account_type != NULL)
    {
      bind_text (stmt, 3, account_type);
      bind_text (stmt, 4, account_number);
    }
  if (!step_row (self, stmt, &row, "find code", error) || !row)
    return FALSE;
  code->id = cm_db_column_int64 (stmt, 0);
  code->expires_at = cm_db_column_int64 (stmt, 1);
  code->used = cm_db_column_int64 (stmt, 2) != 0;
  code->voided = cm_db_column_int64 (stmt, 3) != 0;
  cm_db_reset (stmt);
  return TRUE;
}

gboolean
cm_server_db_use_code (CmServerDb  *self,
                       gint64       id,
                       gint64       now,
                       gboolean    *taken,
                       GError     **error)
{
  CmDbStmt *stmt;

  stmt = prepare (self, "UPDATE access_requests SET used_at = ?1 WHERE id = ?2"
                        " AND used_at IS NULL AND voided_at IS NULL AND expires_at > ?1", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, now);
  cm_db_bind_int64 (stmt, 2, id);
  if (!step_done (self, stmt, "use code", error))
    return FALSE;
  *taken = cm_db_changes (stmt) == 1;
  return TRUE;
}

gboolean
cm_server_db_get_code_lock (CmServerDb  *self,
                            gint64       user,
                            const char  *account_type,
                            const char  *account_number,
                            gint64      *failures,
                            gint64      *locked_until,
                            GError     **error)
{
  CmDbStmt *stmt;
  gboolean row;

  stmt = prepare (self, "SELECT failures, locked_until FROM code_locks WHERE \"user\" = ?"
                        " AND account_type = ? AND account_number = ?", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, user);
  bind_text (stmt, 2, account_type);
  bind_text (stmt, 3, account_number);
  if (!step_row (self, stmt, &row, "code lock", error))
    return FALSE;
  *failures = row ? cm_db_column_int64 (stmt, 0) : 0;
  *locked_until = row ? cm_db_column_int64 (stmt, 1) : 0;
  cm_db_reset (stmt);
  return TRUE;
}

gboolean
cm_server_db_set_code_lock (CmServerDb  *self,
                            gint64       user,
                            const char  *account_type,
                            const char  *account_number,
                            gint64       failures,
                            gint64       locked_until,
                            GError     **error)
{
  CmDbStmt *stmt;

  stmt = prepare (self, "INSERT INTO code_locks (\"user\", account_type, account_number, failures,"
                        " locked_until) VALUES (?1,?2,?3,?4,?5)"
                        " ON CONFLICT (\"user\", account_type, account_number) DO UPDATE"
                        " SET failures = ?4, locked_until = ?5", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, user);
  bind_text (stmt, 2, account_type);
  bind_text (stmt, 3, account_number);
  cm_db_bind_int64 (stmt, 4, failures);
  cm_db_bind_int64 (stmt, 5, locked_until);
  return step_done (self, stmt, "set code lock", error);
}

/* ---- Linked accounts ---- */

gboolean
cm_server_db_has_access (CmServerDb  *self,
                         gint64       user,
                         const char  *account_type,
                         const char  *account_number,
                         gboolean    *linked,
                         GError     **error)
{
  CmDbStmt *stmt;

  stmt = prepare (self, "SELECT 1 FROM account_access WHERE \"user\" = ? AND account_type = ?"
                        " AND account_number = ?", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, user);
  bind_text (stmt, 2, account_type);
  bind_text (stmt, 3, account_number);
  if (!step_row (self, stmt, linked, "has access", error))
    return FALSE;
  cm_db_reset (stmt);
  return TRUE;
}

gboolean
cm_server_db_insert_access (CmServerDb  *self,
                            gint64       user,
                            const char  *account_type,
                            const char  *account_number,
                            gint64       now,
                            GError     **error)
{
  CmDbStmt *stmt;
  CmDbStep rc;

  stmt = prepare (self, "INSERT INTO account_access (\"user\", account_type, account_number,"
                        " linked_at) VALUES (?,?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, user);
  bind_text (stmt, 2, account_type);
  bind_text (stmt, 3, account_number);
  cm_db_bind_int64 (stmt, 4, now);
  rc = cm_db_step (stmt, error);
  if (rc == CM_DB_STEP_CONSTRAINT)
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_ALREADY_LINKED, NULL, NULL));
      return FALSE;
    }
  if (rc != CM_DB_STEP_DONE)
    return FALSE;
  return TRUE;
}

gboolean
cm_server_db_delete_access (CmServerDb  *self,
                            gint64       user,
                            const char  *account_type,
                            const char  *account_number,
                            gboolean    *deleted,
                            GError     **error)
{
  CmDbStmt *stmt;

  stmt = prepare (self, "DELETE FROM account_access WHERE \"user\" = ? AND account_type = ?"
                        " AND account_number = ?", error);
  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, user);
  bind_text (stmt, 2, account_type);
  bind_text (stmt, 3, account_number);
  if (!step_done (self, stmt, "delete access", error))
    return FALSE;
  *deleted = cm_db_changes (stmt) == 1;
  return TRUE;
}

GPtrArray *
cm_server_db_list_access (CmServerDb  *self,
                          gint64       user,
                          GError     **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  CmDbStmt *stmt;
  CmDbStep rc;

  stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS ", a.linked_at FROM account_access a"
                        " JOIN registry r ON r.account_type = a.account_type"
                        " AND r.account_number = a.account_number"
                        " WHERE a.\"user\" = ? ORDER BY a.linked_at, a.account_number", error);
  if (stmt == NULL)
    return NULL;
  cm_db_bind_int64 (stmt, 1, user);
  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_server_db_account_free);
  while ((rc = cm_db_step (stmt, error)) == CM_DB_STEP_ROW)
    {
      CmServerDbAccount *account = read_account (stmt);

      account->linked_at = cm_db_column_int64 (stmt, 9);
      g_ptr_array_add (accounts, account);
    }
  cm_db_reset (stmt);
  if (rc != CM_DB_STEP_DONE)
    return NULL;
  return g_steal_pointer (&accounts);
}

/* ---- Rate limits ---- */

/* The bucket's tokens after refilling to @now, at most @capacity (?2 capacity, ?3 now,
 * ?4 tokens a microsecond). CASE rather than MIN/LEAST, and the casts, so that both stores
 * read it alike (PostgreSQL infers a parameter's type from its first use). */
#define CAPACITY "CAST(?2 AS DOUBLE PRECISION)"
#define PER_USEC "CAST(?4 AS DOUBLE PRECISION)"
#define ELAPSED  "(CASE WHEN ?3 > rate_buckets.updated_at THEN ?3 - rate_buckets.updated_at" \
                 " ELSE 0 END)"
#define GAINED   "rate_buckets.tokens + " ELAPSED " * " PER_USEC
#define REFILLED "(CASE WHEN " GAINED " > " CAPACITY " THEN " CAPACITY " ELSE " GAINED " END)"

/* One statement, so that instances taking from one bucket at once each see the other's
 * token gone: the row's lock orders them. */
gboolean
cm_server_db_take_rate_token (CmServerDb  *self,
                              const char  *key,
                              double       capacity,
                              gint64       now,
                              gboolean    *allowed,
                              gint64      *next_token_at,
                              GError     **error)
{
  double per_usec = capacity / (60.0 * G_USEC_PER_SEC);
  CmDbStmt *stmt;
  gboolean row;
  double tokens;

  stmt = prepare (self, "INSERT INTO rate_buckets (key, tokens, allowed, updated_at)"
                        " VALUES (?1, " CAPACITY " - 1, 1, ?3)"
                        " ON CONFLICT (key) DO UPDATE SET"
                        " tokens = CASE WHEN " REFILLED " >= 1 THEN " REFILLED " - 1"
                        " ELSE " REFILLED " END,"
                        " allowed = CASE WHEN " REFILLED " >= 1 THEN 1 ELSE 0 END,"
                        " updated_at = CASE WHEN ?3 > rate_buckets.updated_at THEN ?3"
                        " ELSE rate_buckets.updated_at END"
                        " RETURNING allowed, tokens", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  cm_db_bind_double (stmt, 2, capacity);
  cm_db_bind_int64 (stmt, 3, now);
  cm_db_bind_double (stmt, 4, per_usec);
  if (!step_row (self, stmt, &row, "rate limit", error))
    return FALSE;
  if (!row)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "rate limit: no row");
      return FALSE;
    }
  *allowed = cm_db_column_int64 (stmt, 0) != 0;
  tokens = cm_db_column_double (stmt, 1);
  *next_token_at = tokens >= 1.0 ? now : now + MAX (1, (gint64) ceil ((1.0 - tokens) / per_usec));
  finish (stmt);
  return TRUE;
}

/* A bucket untouched for a minute has refilled: its row says nothing a missing row does not. */
gboolean
cm_server_db_prune_rate_buckets (CmServerDb  *self,
                                 gint64       before,
                                 GError     **error)
{
  CmDbStmt *stmt = prepare (self, "DELETE FROM rate_buckets WHERE updated_at < ?", error);

  if (stmt == NULL)
    return FALSE;
  cm_db_bind_int64 (stmt, 1, before);
  return step_done (self, stmt, "prune rate buckets", error);
}

gint64
cm_server_db_count_rate_buckets (CmServerDb  *self,
                                 GError     **error)
{
  CmDbStmt *stmt = prepare (self, "SELECT COUNT(*) FROM rate_buckets", error);
  gboolean row;
  gint64 count;

  if (stmt == NULL || !step_row (self, stmt, &row, "count rate buckets", error))
    return -1;
  count = row ? cm_db_column_int64 (stmt, 0) : 0;
  cm_db_reset (stmt);
  return count;
}
