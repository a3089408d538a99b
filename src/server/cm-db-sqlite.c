/* cm-db-sqlite.c: the storage driver on SQLite, the embedded default (practice mode,
 * training, small sites): one file, WAL, a commit on disk before the answer.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-db"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cm-db-driver.h"
#include "cm-server-db-private.h"

typedef struct
{
  CmDbDriver  parent;
  sqlite3    *db;          /* (owned) */
  GHashTable *statements;  /* (owned) SQL text -> SqliteStmt */
} SqliteDriver;

typedef struct
{
  CmDbStmt      parent;
  sqlite3_stmt *stmt;      /* (owned) */
  gint64        changes;
} SqliteStmt;

#define DRIVER(d) ((SqliteDriver *) (d))
#define STMT(s) (((SqliteStmt *) (s))->stmt)

/* Sorts an SQLite failure: a storage fault (the server answers 503 and recovers when the fault
 * goes) or anything else (a bug: 500). */
static void
set_sqlite_error (sqlite3     *db,
                  int          rc,
                  GError     **error,
                  const char  *what,
                  const char  *message)
{
  int code = -1;
  g_autofree char *detail = NULL;

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      code = CM_SERVER_STORAGE_ERROR_NO_SPACE;
      break;
    case SQLITE_READONLY:
      code = CM_SERVER_STORAGE_ERROR_READ_ONLY;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = CM_SERVER_STORAGE_ERROR_BUSY;
      break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
      code = CM_SERVER_STORAGE_ERROR_IO;
      break;
    default:
      break;
    }
  detail = g_strdup_printf ("%s (errno %d)", message, db != NULL ? sqlite3_system_errno (db) : 0);
  cm_db_set_storage_error (error, code, what, code >= 0 ? detail : message);
}

static gboolean
set_error (SqliteDriver  *self,
           GError       **error,
           const char    *what)
{
  set_sqlite_error (self->db, sqlite3_extended_errcode (self->db), error, what,
                    sqlite3_errmsg (self->db));
  return FALSE;
}

static void
stmt_free (gpointer data)
{
  SqliteStmt *stmt = data;

  sqlite3_finalize (stmt->stmt);
  g_free (stmt);
}

static CmDbStmt *
sqlite_prepare (CmDbDriver  *driver,
                const char  *sql,
                GError     **error)
{
  SqliteDriver *self = DRIVER (driver);
  SqliteStmt *stmt = g_hash_table_lookup (self->statements, sql);

  /* The SQL strings are literals, so their address is a stable cache key. */
  if (stmt == NULL)
    {
      sqlite3_stmt *raw;

      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, NULL)
          != SQLITE_OK)
        {
          set_error (self, error, "prepare");
          return NULL;
        }
      stmt = g_new0 (SqliteStmt, 1);
      stmt->parent.driver = driver;
      stmt->stmt = raw;
      g_hash_table_insert (self->statements, (gpointer) sql, stmt);
    }
  sqlite3_reset (stmt->stmt);
  sqlite3_clear_bindings (stmt->stmt);
  return &stmt->parent;
}

static void
sqlite_reset (CmDbStmt *stmt)
{
  sqlite3_reset (STMT (stmt));
}

static void
sqlite_bind_int64 (CmDbStmt *stmt, int index, gint64 value)
{
  sqlite3_bind_int64 (STMT (stmt), index, value);
}

static void
sqlite_bind_double (CmDbStmt *stmt, int index, double value)
{
  sqlite3_bind_double (STMT (stmt), index, value);
}

static void
sqlite_bind_text (CmDbStmt *stmt, int index, const char *text)
{
  if (text == NULL)
    sqlite3_bind_null (STMT (stmt), index);
  else
    sqlite3_bind_text (STMT (stmt), index, text, -1, SQLITE_TRANSIENT);
}

static void
sqlite_bind_blob (CmDbStmt *stmt, int index, const guint8 *data, gsize size)
{
  sqlite3_bind_blob (STMT (stmt), index, data, (int) size, SQLITE_TRANSIENT);
}

static CmDbStep
sqlite_step (CmDbStmt  *stmt,
             GError   **error)
{
  SqliteDriver *self = DRIVER (stmt->driver);
  int rc = sqlite3_step (STMT (stmt));

  switch (rc)
    {
    case SQLITE_ROW:
      return CM_DB_STEP_ROW;
    case SQLITE_DONE:
      ((SqliteStmt *) stmt)->changes = sqlite3_changes (self->db);
      sqlite3_reset (STMT (stmt));
      return CM_DB_STEP_DONE;
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      sqlite3_reset (STMT (stmt));
      return CM_DB_STEP_CONSTRAINT;
    default:
      set_error (self, error, sqlite3_sql (STMT (stmt)));
      sqlite3_reset (STMT (stmt));
      return CM_DB_STEP_ERROR;
    }
}

static gint64
sqlite_column_int64 (CmDbStmt *stmt, int index)
{
  return sqlite3_column_int64 (STMT (stmt), index);
}

static double
sqlite_column_double (CmDbStmt *stmt, int index)
{
  return sqlite3_column_double (STMT (stmt), index);
}

static const char *
sqlite_column_text (CmDbStmt *stmt, int index)
{
  return (const char *) sqlite3_column_text (STMT (stmt), index);
}

static gsize
sqlite_column_blob (CmDbStmt *stmt, int index, const guint8 **data)
{
  *data = sqlite3_column_blob (STMT (stmt), index);
  return *data != NULL ? (gsize) sqlite3_column_bytes (STMT (stmt), index) : 0;
}

static gint64
sqlite_changes (CmDbStmt *stmt)
{
  return ((SqliteStmt *) stmt)->changes;
}

static gboolean
sqlite_exec (CmDbDriver  *driver,
             const char  *sql,
             GError     **error)
{
  SqliteDriver *self = DRIVER (driver);
  char *message = NULL;
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self->db, sqlite3_extended_errcode (self->db), error, sql,
                        message ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* One statement through the statement cache: for the transaction statements of every
 * request, which sqlite3_exec() would parse each time. */
static gboolean
exec_cached (CmDbDriver  *driver,
             const char  *sql,
             GError     **error)
{
  CmDbStmt *stmt = sqlite_prepare (driver, sql, error);

  return stmt != NULL && sqlite_step (stmt, error) == CM_DB_STEP_DONE;
}

static gboolean
sqlite_begin (CmDbDriver  *driver,
              gboolean     write,
              GError     **error)
{
  /* IMMEDIATE takes the write lock now, so a later step never fails on a busy upgrade;
   * DEFERRED reads share one snapshot, and a write in it takes the lock then. */
  return exec_cached (driver, write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", error);
}

static gboolean
sqlite_commit (CmDbDriver  *driver,
               GError     **error)
{
  return exec_cached (driver, "COMMIT", error);
}

static gboolean
sqlite_in_transaction (CmDbDriver *driver)
{
  return !sqlite3_get_autocommit (DRIVER (driver)->db);
}

static void
sqlite_rollback (CmDbDriver *driver)
{
  if (!sqlite_in_transaction (driver))
    return;
  if (!exec_cached (driver, "ROLLBACK", NULL))
    g_warning ("Rollback failed: %s", sqlite3_errmsg (DRIVER (driver)->db));
}

static gboolean
sqlite_check_integrity (CmDbDriver  *driver,
                        GError     **error)
{
  CmDbStmt *stmt = sqlite_prepare (driver, "PRAGMA integrity_check", error);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  ok = sqlite_step (stmt, error) == CM_DB_STEP_ROW &&
       g_strcmp0 (sqlite_column_text (stmt, 0), "ok") == 0;
  sqlite_reset (stmt);
  if (!ok && error != NULL && *error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "integrity check failed");
  return ok;
}

/* Every write then fails with SQLITE_READONLY, as on a read-only file: the tests run as root
 * and root ignores file permissions. */
static gboolean
sqlite_set_read_only (CmDbDriver  *driver,
                      gboolean     read_only,
                      GError     **error)
{
  return sqlite_exec (driver, read_only ? "PRAGMA query_only=ON" : "PRAGMA query_only=OFF",
                      error);
}

/* The migrations run in BEGIN IMMEDIATE transactions: SQLite's write lock is enough. */
static gboolean
sqlite_lock_schema (CmDbDriver  *driver,
                    gboolean     lock,
                    GError     **error)
{
  return TRUE;
}

static void
sqlite_close (CmDbDriver *driver)
{
  SqliteDriver *self = DRIVER (driver);

  sqlite_rollback (driver);
  g_hash_table_unref (self->statements);
  if (sqlite3_close (self->db) != SQLITE_OK)
    g_warning ("Closing the database: %s", sqlite3_errmsg (self->db));
  g_free (self);
}

static const CmDbDriverOps sqlite_ops = {
  .dialect = CM_DB_DIALECT_SQLITE,
  .close = sqlite_close,
  .prepare = sqlite_prepare,
  .reset = sqlite_reset,
  .bind_int64 = sqlite_bind_int64,
  .bind_double = sqlite_bind_double,
  .bind_text = sqlite_bind_text,
  .bind_blob = sqlite_bind_blob,
  .step = sqlite_step,
  .column_int64 = sqlite_column_int64,
  .column_double = sqlite_column_double,
  .column_text = sqlite_column_text,
  .column_blob = sqlite_column_blob,
  .changes = sqlite_changes,
  .exec = sqlite_exec,
  .begin = sqlite_begin,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .in_transaction = sqlite_in_transaction,
  .check_integrity = sqlite_check_integrity,
  .set_read_only = sqlite_set_read_only,
  .lock_schema = sqlite_lock_schema,
};

/* The database holds password hashes and sessions: owner-only, whatever the umask. SQLite
 * gives the -wal and -shm files the mode of the database file, so creating it 0600 before
 * SQLite does covers all three; a looser existing file (older versions made them 0644 under
 * the usual umask) is tightened. @create FALSE: a missing file is fine. */
static gboolean
make_owner_only (const char  *path,
                 gboolean     create,
                 GError     **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
  struct stat st;
  int saved_errno;

  if (fd < 0 && !create && errno == ENOENT)
    return TRUE;
  if (fd >= 0 && fstat (fd, &st) == 0 &&
      ((st.st_mode & 077) == 0 || fchmod (fd, st.st_mode & 0700) == 0))
    {
      close (fd);
      return TRUE;
    }
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", path,
               g_strerror (saved_errno));
  return FALSE;
}

static gboolean
make_files_owner_only (const char  *path,
                       GError     **error)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  /* ":memory:", "" (a temporary database) and URIs are not files of ours. */
  if (path[0] == '\0' || path[0] == ':' || g_str_has_prefix (path, "file:"))
    return TRUE;
  return make_owner_only (path, TRUE, error) && make_owner_only (wal, FALSE, error) &&
         make_owner_only (shm, FALSE, error);
}

CmDbDriver *
cm_db_sqlite_open (const char  *path,
                   GError     **error)
{
  SqliteDriver *self;
  sqlite3 *db = NULL;

  if (!make_files_owner_only (path, error))
    return NULL;
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                       SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      set_sqlite_error (db, db != NULL ? sqlite3_extended_errcode (db) : SQLITE_NOMEM, error,
                        "open", db != NULL ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return NULL;
    }
  self = g_new0 (SqliteDriver, 1);
  self->parent.ops = &sqlite_ops;
  self->db = db;
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, stmt_free);
  sqlite3_extended_result_codes (db, 1);
  /* Another server process on the same file waits instead of failing at once. */
  sqlite3_busy_timeout (db, 5000);

  /* WAL + FULL: a commit is on disk before we answer 2xx. ":memory:" keeps its own journal. */
  if (!sqlite_exec (&self->parent, "PRAGMA journal_mode=WAL", error) ||
      !sqlite_exec (&self->parent, "PRAGMA synchronous=FULL", error) ||
      !sqlite_exec (&self->parent, "PRAGMA foreign_keys=ON", error))
    {
      sqlite_close (&self->parent);
      return NULL;
    }
  return &self->parent;
}
