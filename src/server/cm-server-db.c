/* cm-server-db.c: the server's store: opening SQLite or PostgreSQL behind one driver
 * (cm-db-driver.h), the migrations, and the transactions. The queries are in
 * cm-server-db-users.c and cm-server-db-access.c, written once for both.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-db"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "cm-server-db-statements.h"

struct _CmServerDb
{
  GObject     parent_instance;

  CmDbDriver *driver;      /* (owned) (nullable) */
  gboolean    in_transaction;
};

G_DEFINE_FINAL_TYPE (CmServerDb, cm_server_db, G_TYPE_OBJECT)

G_DEFINE_QUARK (cm-server-storage-error-quark, cm_server_storage_error)

/* @code a CmServerStorageError, or -1 for a failure that is no storage fault (a bug: 500). */
void
cm_db_set_storage_error (GError     **error,
                         int          code,
                         const char  *what,
                         const char  *message)
{
  g_autofree char *text = g_strstrip (g_strdup (message != NULL ? message : ""));

  if (code >= 0)
    g_set_error (error, CM_SERVER_STORAGE_ERROR, code, "%s: %s", what, text);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, text);
}

gboolean
cm_db_is_postgresql_target (const char *target)
{
  return g_str_has_prefix (target, "postgresql://") || g_str_has_prefix (target, "postgres://") ||
         (strstr (target, "dbname=") != NULL && strchr (target, '/') == NULL);
}

/* "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db"; "password=secret"
 * -> "password=***" (key=value strings and URI query parameters). */
char *
cm_db_mask_target (const char *target)
{
  GString *masked = g_string_new (target);
  const char *scheme = strstr (masked->str, "://");
  char *p;

  if (scheme != NULL)
    {
      char *authority = (char *) scheme + 3;
      char *end = authority + strcspn (authority, "/?#");
      char *at = g_strstr_len (authority, end - authority, "@");
      char *colon = at != NULL ? memchr (authority, ':', at - authority) : NULL;

      if (colon != NULL)
        {
          gssize pos = colon + 1 - masked->str;

          g_string_erase (masked, pos, at - colon - 1);
          g_string_insert (masked, pos, "***");
        }
    }
  p = masked->str;
  while ((p = strstr (p, "password=")) != NULL)
    {
      gssize pos = p + strlen ("password=") - masked->str;
      gsize len = strcspn (masked->str + pos, " &");

      g_string_erase (masked, pos, len);
      g_string_insert (masked, pos, "***");
      p = masked->str + pos + 3;
    }
  return g_string_free (masked, FALSE);
}

CmDbStmt *
cm_server_db_prepare (CmServerDb  *self,
                      const char  *sql,
                      GError     **error)
{
  if (self->driver == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "database closed");
      return NULL;
    }
  return cm_db_prepare (self->driver, sql, error);
}

CmDbDriver *
cm_server_db_get_driver (CmServerDb *self)
{
  return self->driver;
}

void
cm_server_db_user_free (CmServerDbUser *user)
{
  if (user == NULL)
    return;
  g_free (user->user_id);
  g_free (user->first_name);
  g_free (user->middle_initial);
  g_free (user->last_name);
  g_free (user->suffix);
  g_free (user->email);
  g_free (user->work_phone);
  g_free (user->mobile_phone);
  g_free (user->password_hash);
  g_free (user);
}

void
cm_server_db_account_free (CmServerDbAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->account_type);
  g_free (account->account_number);
  g_free (account->zip);
  g_free (account->name);
  g_free (account->city);
  g_free (account->email);
  g_free (account->mailing_address);
  g_free (account->status);
  g_free (account->certificate_expires);
  g_free (account);
}

static void
cm_server_db_finalize (GObject *object)
{
  CmServerDb *self = CM_SERVER_DB (object);

  cm_server_db_close (self);

  G_OBJECT_CLASS (cm_server_db_parent_class)->finalize (object);
}

static void
cm_server_db_class_init (CmServerDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cm_server_db_finalize;
}

static void
cm_server_db_init (CmServerDb *self)
{
}

CmServerDb *
cm_server_db_new (void)
{
  return g_object_new (CM_TYPE_SERVER_DB, NULL);
}

static gboolean
apply_migration (CmServerDb                 *self,
                 const CmServerDbMigration  *migration,
                 gint64                      version,
                 GError                    **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *applied_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  CmDbStmt *stmt;

  if (!cm_server_db_begin (self, error))
    return FALSE;
  if (!self->driver->ops->exec (self->driver, cm_db_sql (self->driver, migration->sqlite,
                                                         migration->postgresql), error) ||
      (stmt = prepare (self, "INSERT INTO schema_migrations (version, applied_at)"
                             " VALUES (?, ?)", error)) == NULL)
    {
      cm_server_db_rollback (self);
      return FALSE;
    }
  cm_db_bind_int64 (stmt, 1, version);
  bind_text (stmt, 2, applied_at);
  if (!step_done (self, stmt, "record migration", error) || !cm_server_db_commit (self, error))
    {
      cm_server_db_rollback (self);
      return FALSE;
    }
  g_debug ("Database schema migrated to version %" G_GINT64_FORMAT, version);
  return TRUE;
}

static gboolean
migrate_locked (CmServerDb  *self,
                GError     **error)
{
  guint n_migrations;
  const CmServerDbMigration *migrations = cm_server_db_get_migrations (&n_migrations);
  gint64 version;

  if (!self->driver->ops->exec (self->driver,
                                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                "  version INTEGER PRIMARY KEY,"
                                "  applied_at TEXT NOT NULL)", error))
    return FALSE;

  version = cm_server_db_get_schema_version (self);
  if (version < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "schema version unreadable");
      return FALSE;
    }
  if (version > (gint64) n_migrations)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "database schema %" G_GINT64_FORMAT " is newer than this server (%u)",
                   version, n_migrations);
      return FALSE;
    }
  for (; version < (gint64) n_migrations; version++)
    if (!apply_migration (self, &migrations[version], version + 1, error))
      return FALSE;
  return TRUE;
}

/* Several instances may start at once on one PostgreSQL: the schema lock lets one migrate
 * while the others wait, then find nothing left to do. */
static gboolean
migrate (CmServerDb  *self,
         GError     **error)
{
  gboolean ok;

  if (!self->driver->ops->lock_schema (self->driver, TRUE, error))
    return FALSE;
  ok = migrate_locked (self, error);
  self->driver->ops->lock_schema (self->driver, FALSE, NULL);
  return ok;
}

/* @target: an SQLite file (or ":memory:"), or a PostgreSQL connection string
 * ("postgresql://user@host/db"). */
gboolean
cm_server_db_open (CmServerDb  *self,
                   const char  *target,
                   GError     **error)
{
  g_return_val_if_fail (CM_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);
  g_return_val_if_fail (self->driver == NULL, FALSE);

  if (cm_db_is_postgresql_target (target))
    self->driver = cm_db_postgres_open (target, error);
  else
    self->driver = cm_db_sqlite_open (target, error);
  if (self->driver == NULL)
    return FALSE;
  if (!migrate (self, error))
    {
      cm_server_db_close (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
cm_server_db_is_postgresql (CmServerDb *self)
{
  g_return_val_if_fail (CM_IS_SERVER_DB (self), FALSE);
  return self->driver != NULL && self->driver->ops->dialect == CM_DB_DIALECT_POSTGRESQL;
}

void
cm_server_db_close (CmServerDb *self)
{
  g_return_if_fail (CM_IS_SERVER_DB (self));

  if (self->driver == NULL)
    return;
  if (self->in_transaction)
    cm_server_db_rollback (self);
  self->driver->ops->close (g_steal_pointer (&self->driver));
}

gboolean
cm_server_db_is_open (CmServerDb *self)
{
  g_return_val_if_fail (CM_IS_SERVER_DB (self), FALSE);
  return self->driver != NULL;
}

gint64
cm_server_db_get_schema_version (CmServerDb *self)
{
  CmDbStmt *stmt;
  gboolean row;
  gint64 version = -1;

  stmt = prepare (self, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL);
  if (stmt == NULL)
    return -1;
  if (step_row (self, stmt, &row, "schema version", NULL) && row)
    version = cm_db_column_int64 (stmt, 0);
  cm_db_reset (stmt);
  return version;
}

static gboolean
begin (CmServerDb  *self,
       gboolean     write,
       GError     **error)
{
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (self->driver == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "begin: database closed");
      return FALSE;
    }
  if (!self->driver->ops->begin (self->driver, write, error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

/* A writing transaction: it runs alone (SQLite's write lock, PostgreSQL's advisory lock), so
 * what it reads stays true until it commits. */
gboolean
cm_server_db_begin (CmServerDb  *self,
                    GError     **error)
{
  return begin (self, TRUE, error);
}

gboolean
cm_server_db_commit (CmServerDb  *self,
                     GError     **error)
{
  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!self->driver->ops->commit (self->driver, error))
    return FALSE;
  self->in_transaction = FALSE;
  return TRUE;
}

void
cm_server_db_rollback (CmServerDb *self)
{
  if (!self->in_transaction || self->driver == NULL)
    return;
  self->in_transaction = FALSE;
  self->driver->ops->rollback (self->driver);
}

/* A reading transaction: its reads share one snapshot. A write in it (a session's idle
 * clock) takes no lock beyond its row's. */
gboolean
cm_server_db_begin_read (CmServerDb  *self,
                         GError     **error)
{
  return begin (self, FALSE, error);
}

/* Ends what cm_server_db_begin_read() began; a write in it that cannot be committed is
 * rolled back (only ever the idle clock, which tolerates that). */
void
cm_server_db_end_read (CmServerDb *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->in_transaction || self->driver == NULL)
    return;
  if (!self->driver->ops->in_transaction (self->driver))
    {
      /* The database already rolled it back after an I/O error. */
      self->in_transaction = FALSE;
      return;
    }
  if (cm_server_db_commit (self, &error))
    return;
  g_debug ("Read transaction not committed: %s", error->message);
  cm_server_db_rollback (self);
}

gboolean
cm_server_db_check_integrity (CmServerDb  *self,
                              GError     **error)
{
  g_return_val_if_fail (CM_IS_SERVER_DB (self), FALSE);

  if (self->driver == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "database closed");
      return FALSE;
    }
  return self->driver->ops->check_integrity (self->driver, error);
}

/* Tests only: every write then fails as on a read-only store (SQLite's query_only,
 * PostgreSQL's default_transaction_read_only), since the tests run as root and root ignores
 * file permissions. */
gboolean
cm_server_db_set_query_only (CmServerDb  *self,
                             gboolean     query_only,
                             GError     **error)
{
  g_return_val_if_fail (CM_IS_SERVER_DB (self), FALSE);

  if (self->driver == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "query_only: database closed");
      return FALSE;
    }
  return self->driver->ops->set_read_only (self->driver, query_only, error);
}
