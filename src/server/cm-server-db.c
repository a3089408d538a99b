/* cm-server-db.c: every SQLite call of the server.
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

#include "cm-error.h"
#include "cm-server-db-private.h"

struct _CmServerDb
{
  GObject     parent_instance;

  sqlite3    *db;          /* (owned) (nullable) */
  GHashTable *statements;  /* (owned) SQL text -> sqlite3_stmt */
  gboolean    in_transaction;
};

G_DEFINE_FINAL_TYPE (CmServerDb, cm_server_db, G_TYPE_OBJECT)

/* Each entry is one step of the schema, applied once, in order, in one transaction. */
static const char * const migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE users ("
  "  id INTEGER PRIMARY KEY,"
  "  user_id TEXT NOT NULL UNIQUE,"
  "  first_name TEXT NOT NULL DEFAULT '',"
  "  middle_initial TEXT NOT NULL DEFAULT '',"
  "  last_name TEXT NOT NULL,"
  "  suffix TEXT NOT NULL DEFAULT '',"
  "  email TEXT NOT NULL,"
  "  work_phone TEXT NOT NULL,"
  "  mobile_phone TEXT NOT NULL DEFAULT '',"
  "  recovery_email INTEGER NOT NULL DEFAULT 0,"
  "  recovery_text INTEGER NOT NULL DEFAULT 0,"
  "  password_hash TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE recovery_questions ("
  "  id INTEGER PRIMARY KEY,"
  "  user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  question TEXT NOT NULL,"
  "  answer_hash BLOB NOT NULL);"
  "CREATE TABLE password_history ("
  "  id INTEGER PRIMARY KEY,"
  "  user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  password_hash TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX password_history_user ON password_history(user, id);"
  "CREATE TABLE sign_in_locks ("
  "  user_id TEXT PRIMARY KEY,"
  "  failures INTEGER NOT NULL,"
  "  locked_until INTEGER NOT NULL);"
  "CREATE TABLE sessions ("
  "  id INTEGER PRIMARY KEY,"
  "  token_hash BLOB NOT NULL UNIQUE,"
  "  user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL,"
  "  last_used_at INTEGER NOT NULL,"
  "  idle_seconds INTEGER NOT NULL,"
  "  absolute_expires_at INTEGER NOT NULL,"
  "  revoked_at INTEGER);"
  "CREATE INDEX sessions_user ON sessions(user);"
  "CREATE TABLE challenges ("
  "  id TEXT PRIMARY KEY,"
  "  answer TEXT NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  used_at INTEGER);"
  "CREATE TABLE password_resets ("
  "  id INTEGER PRIMARY KEY,"
  "  user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  pin_hash BLOB NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  used_at INTEGER,"
  "  voided_at INTEGER);"
  "CREATE INDEX password_resets_user ON password_resets(user, id);"
  "CREATE TABLE registry ("
  "  account_type TEXT NOT NULL,"
  "  account_number TEXT NOT NULL,"
  "  zip TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  city TEXT NOT NULL,"
  "  email TEXT,"
  "  mailing_address TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  certificate_expires TEXT,"
  "  PRIMARY KEY (account_type, account_number));"
  "CREATE TABLE counters ("
  "  name TEXT PRIMARY KEY,"
  "  value INTEGER NOT NULL);"
  "CREATE TABLE access_requests ("
  "  id INTEGER PRIMARY KEY,"
  "  confirmation_number INTEGER NOT NULL UNIQUE,"
  "  user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  account_type TEXT NOT NULL,"
  "  account_number TEXT NOT NULL,"
  "  delivery TEXT NOT NULL,"
  "  code_hash BLOB NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  used_at INTEGER,"
  "  voided_at INTEGER);"
  "CREATE INDEX access_requests_code ON access_requests(code_hash);"
  "CREATE INDEX access_requests_account ON access_requests(account_type, account_number);"
  "CREATE TABLE code_locks ("
  "  user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  account_type TEXT NOT NULL,"
  "  account_number TEXT NOT NULL,"
  "  failures INTEGER NOT NULL,"
  "  locked_until INTEGER NOT NULL,"
  "  PRIMARY KEY (user, account_type, account_number));"
  "CREATE TABLE account_access ("
  "  user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  account_type TEXT NOT NULL,"
  "  account_number TEXT NOT NULL,"
  "  linked_at INTEGER NOT NULL,"
  "  PRIMARY KEY (user, account_type, account_number));",
  /* 2: a user's accounts come in the order of the list without a sort per request */
  "CREATE INDEX account_access_user_linked ON account_access(user, linked_at, account_number);",
  /* 3: attempt limits by a keyed digest of the User ID (sign-in, reset PINs, reset requests),
   * rows of a fixed size that are pruned; reset PINs and security answers under the server's
   * key. The old locks go (they are 30 minutes at most) and outstanding resets are voided
   * (their PINs were hashed without the key); answers are re-hashed at start
   * (answer_keyed = 0 until then). */
  "DROP TABLE sign_in_locks;"
  "CREATE TABLE attempt_limits ("
  "  kind INTEGER NOT NULL,"
  "  key BLOB NOT NULL,"
  "  count INTEGER NOT NULL,"
  "  pending INTEGER NOT NULL,"
  "  locked_until INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (kind, key)) WITHOUT ROWID;"
  "CREATE INDEX attempt_limits_updated ON attempt_limits(updated_at);"
  "UPDATE password_resets SET voided_at = CAST(strftime('%s', 'now') AS INTEGER)"
  "  WHERE used_at IS NULL AND voided_at IS NULL;"
  "ALTER TABLE recovery_questions ADD COLUMN answer_keyed INTEGER NOT NULL DEFAULT 0;",
  /* 4: a user's code requests of the last day are counted without a scan (daily limit) */
  "CREATE INDEX access_requests_user_created ON access_requests(user, created_at);",
};

G_DEFINE_QUARK (cm-server-storage-error-quark, cm_server_storage_error)

/* Sorts an SQLite failure: a storage fault (the server answers 503 and recovers when the fault
 * goes) or anything else (a bug: 500). */
static void
set_sqlite_error (CmServerDb  *self,
                  int          rc,
                  GError     **error,
                  const char  *what,
                  const char  *message)
{
  int code = -1;

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
  if (code >= 0)
    g_set_error (error, CM_SERVER_STORAGE_ERROR, code, "%s: %s (errno %d)", what, message,
                 self->db != NULL ? sqlite3_system_errno (self->db) : 0);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, message);
}

static gboolean
set_error (CmServerDb  *self,
           GError     **error,
           const char  *what)
{
  if (self->db == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: database closed", what);
  else
    set_sqlite_error (self, sqlite3_extended_errcode (self->db), error, what,
                      sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
prepare (CmServerDb  *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt;

  if (self->db == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "database closed");
      return NULL;
    }

  /* The SQL strings are literals, so their address is a stable cache key. */
  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL)
          != SQLITE_OK)
        {
          set_error (self, error, "prepare");
          return NULL;
        }
      g_hash_table_insert (self->statements, (gpointer) sql, stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static void
bind_digest (sqlite3_stmt *stmt,
             int           index,
             const guint8 *digest)
{
  sqlite3_bind_blob (stmt, index, digest, CM_SERVER_DB_DIGEST_BYTES, SQLITE_TRANSIENT);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* Runs a statement that returns no rows. */
static gboolean
step_done (CmServerDb    *self,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      set_error (self, error, what);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Steps once: TRUE with *row set when a row came, FALSE on error. */
static gboolean
step_row (CmServerDb    *self,
          sqlite3_stmt  *stmt,
          gboolean      *row,
          const char    *what,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      *row = TRUE;
      return TRUE;
    }
  *row = FALSE;
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }
  set_error (self, error, what);
  sqlite3_reset (stmt);
  return FALSE;
}

static gboolean
exec (CmServerDb  *self,
      const char  *sql,
      GError     **error)
{
  char *message = NULL;
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, sqlite3_extended_errcode (self->db), error, sql,
                        message ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* One statement through the statement cache: for the transaction statements of every
 * request, which sqlite3_exec() would parse each time. */
static gboolean
exec_cached (CmServerDb  *self,
             const char  *sql,
             GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);

  return stmt != NULL && step_done (self, stmt, sql, error);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
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
  g_clear_pointer (&self->statements, g_hash_table_unref);

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
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                            finalize_statement);
}

CmServerDb *
cm_server_db_new (void)
{
  return g_object_new (CM_TYPE_SERVER_DB, NULL);
}

static gboolean
migrate (CmServerDb  *self,
         GError     **error)
{
  gint64 version;

  if (!exec (self, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                   "  version INTEGER PRIMARY KEY,"
                   "  applied_at TEXT NOT NULL)", error))
    return FALSE;

  version = cm_server_db_get_schema_version (self);
  if (version < 0)
    return set_error (self, error, "schema version");
  if (version > (gint64) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "database schema %" G_GINT64_FORMAT " is newer than this server (%u)",
                   version, (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (; version < (gint64) G_N_ELEMENTS (migrations); version++)
    {
      sqlite3_stmt *stmt;

      if (!cm_server_db_begin (self, error))
        return FALSE;
      if (!exec (self, migrations[version], error))
        {
          cm_server_db_rollback (self);
          return FALSE;
        }
      stmt = prepare (self, "INSERT INTO schema_migrations (version, applied_at)"
                            " VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))", error);
      if (stmt == NULL)
        {
          cm_server_db_rollback (self);
          return FALSE;
        }
      sqlite3_bind_int64 (stmt, 1, version + 1);
      if (!step_done (self, stmt, "record migration", error) || !cm_server_db_commit (self, error))
        {
          cm_server_db_rollback (self);
          return FALSE;
        }
      g_debug ("Database schema migrated to version %" G_GINT64_FORMAT, version + 1);
    }
  return TRUE;
}

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

gboolean
cm_server_db_open (CmServerDb  *self,
                   const char  *path,
                   GError     **error)
{
  g_return_val_if_fail (CM_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (self->db == NULL, FALSE);

  if (!make_files_owner_only (path, error))
    return FALSE;

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      set_error (self, error, "open");
      sqlite3_close (self->db);
      self->db = NULL;
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, 1);
  /* Another server process on the same file waits instead of failing at once. */
  sqlite3_busy_timeout (self->db, 5000);

  /* WAL + FULL: a commit is on disk before we answer 2xx. ":memory:" keeps its own journal. */
  if (!exec (self, "PRAGMA journal_mode=WAL", error) ||
      !exec (self, "PRAGMA synchronous=FULL", error) ||
      !exec (self, "PRAGMA foreign_keys=ON", error) ||
      !migrate (self, error))
    {
      cm_server_db_close (self);
      return FALSE;
    }
  return TRUE;
}

void
cm_server_db_close (CmServerDb *self)
{
  g_return_if_fail (CM_IS_SERVER_DB (self));

  if (self->db == NULL)
    return;
  if (self->in_transaction)
    cm_server_db_rollback (self);
  g_hash_table_remove_all (self->statements);
  if (sqlite3_close (self->db) != SQLITE_OK)
    g_warning ("Closing the database: %s", sqlite3_errmsg (self->db));
  self->db = NULL;
}

gboolean
cm_server_db_is_open (CmServerDb *self)
{
  g_return_val_if_fail (CM_IS_SERVER_DB (self), FALSE);
  return self->db != NULL;
}

gint64
cm_server_db_get_schema_version (CmServerDb *self)
{
  sqlite3_stmt *stmt;
  gboolean row;
  gint64 version = -1;

  stmt = prepare (self, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL);
  if (stmt == NULL)
    return -1;
  if (step_row (self, stmt, &row, "schema version", NULL) && row)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return version;
}

gboolean
cm_server_db_begin (CmServerDb  *self,
                    GError     **error)
{
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (self->db == NULL)
    return set_error (self, error, "begin");
  /* IMMEDIATE takes the write lock now, so a later step never fails on a busy upgrade. */
  if (!exec_cached (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

gboolean
cm_server_db_commit (CmServerDb  *self,
                     GError     **error)
{
  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!exec_cached (self, "COMMIT", error))
    return FALSE;
  self->in_transaction = FALSE;
  return TRUE;
}

void
cm_server_db_rollback (CmServerDb *self)
{
  if (!self->in_transaction || self->db == NULL)
    return;
  self->in_transaction = FALSE;
  if (sqlite3_get_autocommit (self->db))
    return;
  if (!exec_cached (self, "ROLLBACK", NULL))
    g_warning ("Rollback failed: %s", sqlite3_errmsg (self->db));
}

/* A deferred transaction: its reads share one snapshot and one set of locks. A write in
 * it (a session's idle clock) takes the write lock then. */
gboolean
cm_server_db_begin_read (CmServerDb  *self,
                         GError     **error)
{
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (self->db == NULL)
    return set_error (self, error, "begin");
  if (!exec_cached (self, "BEGIN DEFERRED", error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

/* Ends what cm_server_db_begin_read() began; a write in it that cannot be committed is
 * rolled back (only ever the idle clock, which tolerates that). */
void
cm_server_db_end_read (CmServerDb *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->in_transaction || self->db == NULL)
    return;
  if (sqlite3_get_autocommit (self->db))
    {
      /* SQLite already rolled it back after an I/O error. */
      self->in_transaction = FALSE;
      return;
    }
  if (cm_server_db_commit (self, &error))
    return;
  g_debug ("Read transaction not committed: %s", error->message);
  cm_server_db_rollback (self);
}

/* ---- Users ---- */

gboolean
cm_server_db_user_exists (CmServerDb  *self,
                          const char  *user_id,
                          gboolean    *exists,
                          GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT 1 FROM users WHERE user_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  if (!step_row (self, stmt, exists, "user exists", error))
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
cm_server_db_insert_user (CmServerDb            *self,
                          const CmServerDbUser  *user,
                          gint64                 now,
                          gint64                *id,
                          GError               **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, "INSERT INTO users (user_id, first_name, middle_initial, last_name,"
                        " suffix, email, work_phone, mobile_phone, recovery_email, recovery_text,"
                        " password_hash, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", error);
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
  sqlite3_bind_int (stmt, 9, user->recovery_email ? 1 : 0);
  sqlite3_bind_int (stmt, 10, user->recovery_text ? 1 : 0);
  bind_text (stmt, 11, user->password_hash);
  sqlite3_bind_int64 (stmt, 12, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_USER_ID_TAKEN, "user_id", NULL));
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return set_error (self, error, "insert user");
  *id = sqlite3_last_insert_rowid (self->db);

  stmt = prepare (self, "INSERT INTO password_history (user, password_hash, created_at)"
                        " VALUES (?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, *id);
  bind_text (stmt, 2, user->password_hash);
  sqlite3_bind_int64 (stmt, 3, now);
  return step_done (self, stmt, "insert history", error);
}

gboolean
cm_server_db_insert_recovery_question (CmServerDb    *self,
                                       gint64         user,
                                       const char    *question,
                                       const guint8  *answer_hash,
                                       GError       **error)
{
  sqlite3_stmt *stmt = prepare (self, "INSERT INTO recovery_questions (user, question,"
                                      " answer_hash, answer_keyed) VALUES (?,?,?,1)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user);
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
  sqlite3_stmt *stmt;
  int rc;

  *n_rekeyed = 0;
  stmt = prepare (self, "SELECT id, answer_hash FROM recovery_questions WHERE answer_keyed = 0",
                  error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      guint8 digest[CM_SERVER_DB_DIGEST_BYTES] = { 0 };

      if (sqlite3_column_bytes (stmt, 1) == CM_SERVER_DB_DIGEST_BYTES)
        memcpy (digest, sqlite3_column_blob (stmt, 1), sizeof digest);
      rekey (digest, user_data);
      g_array_append_val (ids, id);
      g_byte_array_append (digests, digest, sizeof digest);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error (self, error, "old answers");

  for (guint i = 0; i < ids->len; i++)
    {
      stmt = prepare (self, "UPDATE recovery_questions SET answer_hash = ?, answer_keyed = 1"
                            " WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      bind_digest (stmt, 1, digests->data + i * CM_SERVER_DB_DIGEST_BYTES);
      sqlite3_bind_int64 (stmt, 2, g_array_index (ids, gint64, i));
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
           sqlite3_stmt  *stmt,
           GError       **error)
{
  CmServerDbUser *user;
  gboolean row;

  if (!step_row (self, stmt, &row, "get user", error) || !row)
    return NULL;
  user = g_new0 (CmServerDbUser, 1);
  user->id = sqlite3_column_int64 (stmt, 0);
  user->user_id = column_text (stmt, 1);
  user->first_name = column_text (stmt, 2);
  user->middle_initial = column_text (stmt, 3);
  user->last_name = column_text (stmt, 4);
  user->suffix = column_text (stmt, 5);
  user->email = column_text (stmt, 6);
  user->work_phone = column_text (stmt, 7);
  user->mobile_phone = column_text (stmt, 8);
  user->recovery_email = sqlite3_column_int (stmt, 9) != 0;
  user->recovery_text = sqlite3_column_int (stmt, 10) != 0;
  user->password_hash = column_text (stmt, 11);
  sqlite3_reset (stmt);
  return user;
}

CmServerDbUser *
cm_server_db_get_user (CmServerDb  *self,
                       const char  *user_id,
                       GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT " USER_COLUMNS " FROM users WHERE user_id = ?",
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
  sqlite3_stmt *stmt = prepare (self, "SELECT " USER_COLUMNS " FROM users WHERE id = ?", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  return read_user (self, stmt, error);
}

gboolean
cm_server_db_set_password (CmServerDb  *self,
                           gint64       user,
                           const char  *password_hash,
                           gint64       now,
                           GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, "UPDATE users SET password_hash = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, password_hash);
  sqlite3_bind_int64 (stmt, 2, user);
  if (!step_done (self, stmt, "set password", error))
    return FALSE;

  stmt = prepare (self, "INSERT INTO password_history (user, password_hash, created_at)"
                        " VALUES (?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user);
  bind_text (stmt, 2, password_hash);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!step_done (self, stmt, "insert history", error))
    return FALSE;

  /* Only the last few hashes are ever compared; the older ones are dropped. */
  stmt = prepare (self, "DELETE FROM password_history WHERE user = ?1 AND id NOT IN"
                        " (SELECT id FROM password_history WHERE user = ?1"
                        "  ORDER BY id DESC LIMIT 3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user);
  return step_done (self, stmt, "trim history", error);
}

GStrv
cm_server_db_get_password_history (CmServerDb  *self,
                                   gint64       user,
                                   guint        limit,
                                   GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, "SELECT password_hash FROM password_history WHERE user = ?"
                        " ORDER BY id DESC LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_error (self, error, "history");
      return NULL;
    }
  return g_strv_builder_end (builder);
}

/* ---- Attempt limits ---- */

gboolean
cm_server_db_get_limit (CmServerDb       *self,
                        CmServerDbLimitKind kind,
                        const guint8     *key,
                        CmServerDbLimit  *limit,
                        GError          **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = prepare (self, "SELECT count, pending, locked_until, updated_at FROM attempt_limits"
                        " WHERE kind = ? AND key = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, kind);
  bind_digest (stmt, 2, key);
  if (!step_row (self, stmt, &row, "get limit", error))
    return FALSE;
  memset (limit, 0, sizeof *limit);
  if (row)
    {
      limit->count = sqlite3_column_int64 (stmt, 0);
      limit->pending = sqlite3_column_int64 (stmt, 1);
      limit->locked_until = sqlite3_column_int64 (stmt, 2);
      limit->updated_at = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);
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
  sqlite3_stmt *stmt;

  if (keep)
    stmt = prepare (self, "INSERT INTO attempt_limits (kind, key, count, pending, locked_until,"
                          " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                          " ON CONFLICT (kind, key) DO UPDATE SET count = ?3, pending = ?4,"
                          " locked_until = ?5, updated_at = ?6", error);
  else
    stmt = prepare (self, "DELETE FROM attempt_limits WHERE kind = ?1 AND key = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, kind);
  bind_digest (stmt, 2, key);
  if (keep)
    {
      sqlite3_bind_int64 (stmt, 3, limit->count);
      sqlite3_bind_int64 (stmt, 4, limit->pending);
      sqlite3_bind_int64 (stmt, 5, limit->locked_until);
      sqlite3_bind_int64 (stmt, 6, limit->updated_at);
    }
  return step_done (self, stmt, "set limit", error);
}

gboolean
cm_server_db_prune_limits (CmServerDb  *self,
                           gint64       before,
                           gint64       now,
                           GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self, "DELETE FROM attempt_limits WHERE updated_at < ? AND locked_until <= ?",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, before);
  sqlite3_bind_int64 (stmt, 2, now);
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
  sqlite3_stmt *stmt;

  stmt = prepare (self, "INSERT INTO sessions (token_hash, user, created_at, last_used_at,"
                        " idle_seconds, absolute_expires_at) VALUES (?,?,?,?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_digest (stmt, 1, token_hash);
  sqlite3_bind_int64 (stmt, 2, user);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_int64 (stmt, 5, idle_seconds);
  sqlite3_bind_int64 (stmt, 6, absolute_expires_at);
  return step_done (self, stmt, "insert session", error);
}

gboolean
cm_server_db_get_session (CmServerDb         *self,
                          const guint8       *token_hash,
                          CmServerDbSession  *session,
                          GError            **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = prepare (self, "SELECT id, user, created_at, last_used_at, idle_seconds,"
                        " absolute_expires_at, revoked_at IS NOT NULL"
                        " FROM sessions WHERE token_hash = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_digest (stmt, 1, token_hash);
  if (!step_row (self, stmt, &row, "get session", error) || !row)
    return FALSE;
  session->id = sqlite3_column_int64 (stmt, 0);
  session->user = sqlite3_column_int64 (stmt, 1);
  session->created_at = sqlite3_column_int64 (stmt, 2);
  session->last_used_at = sqlite3_column_int64 (stmt, 3);
  session->idle_seconds = sqlite3_column_int64 (stmt, 4);
  session->absolute_expires_at = sqlite3_column_int64 (stmt, 5);
  session->revoked = sqlite3_column_int (stmt, 6) != 0;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
cm_server_db_touch_session (CmServerDb  *self,
                            gint64       id,
                            gint64       now,
                            GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, "UPDATE sessions SET last_used_at = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, id);
  return step_done (self, stmt, "touch session", error);
}

gboolean
cm_server_db_revoke_session (CmServerDb  *self,
                             gint64       id,
                             gint64       now,
                             GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self, "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, id);
  return step_done (self, stmt, "revoke session", error);
}

gboolean
cm_server_db_revoke_user_sessions (CmServerDb  *self,
                                   gint64       user,
                                   gint64       keep,
                                   gint64       now,
                                   GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self, "UPDATE sessions SET revoked_at = ? WHERE user = ? AND id != ?"
                        " AND revoked_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, user);
  sqlite3_bind_int64 (stmt, 3, keep);
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
  sqlite3_stmt *stmt;

  /* Expired challenges are of no use to anyone: drop them as new ones come. */
  stmt = prepare (self, "DELETE FROM challenges WHERE expires_at < ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, expires_at - 24 * 3600);
  if (!step_done (self, stmt, "prune challenges", error))
    return FALSE;

  stmt = prepare (self, "INSERT INTO challenges (id, answer, expires_at) VALUES (?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, answer);
  sqlite3_bind_int64 (stmt, 3, expires_at);
  return step_done (self, stmt, "insert challenge", error);
}

gboolean
cm_server_db_take_challenge (CmServerDb  *self,
                             const char  *id,
                             gint64       now,
                             char       **answer,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  *answer = NULL;
  stmt = prepare (self, "UPDATE challenges SET used_at = ?1 WHERE id = ?2 AND used_at IS NULL"
                        " AND expires_at > ?1 RETURNING answer", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  bind_text (stmt, 2, id);
  if (!step_row (self, stmt, &row, "take challenge", error))
    return FALSE;
  if (row)
    {
      *answer = column_text (stmt, 0);
      /* Finish the statement so the UPDATE is complete before the commit. */
      while (sqlite3_step (stmt) == SQLITE_ROW)
        ;
      sqlite3_reset (stmt);
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
  sqlite3_stmt *stmt;
  gboolean row;

  *answer = NULL;
  stmt = prepare (self, "SELECT answer FROM challenges WHERE id = ? AND used_at IS NULL"
                        " AND expires_at > ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!step_row (self, stmt, &row, "peek challenge", error))
    return FALSE;
  if (row)
    *answer = column_text (stmt, 0);
  sqlite3_reset (stmt);
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
  sqlite3_stmt *stmt;

  /* A new PIN voids the older ones, like a new authorization code. */
  stmt = prepare (self, "UPDATE password_resets SET voided_at = ? WHERE user = ?"
                        " AND used_at IS NULL AND voided_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, user);
  if (!step_done (self, stmt, "void resets", error))
    return FALSE;

  stmt = prepare (self, "INSERT INTO password_resets (user, pin_hash, created_at, expires_at)"
                        " VALUES (?,?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user);
  bind_digest (stmt, 2, pin_hash);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, expires_at);
  return step_done (self, stmt, "insert reset", error);
}

gboolean
cm_server_db_get_reset (CmServerDb       *self,
                        gint64            user,
                        CmServerDbReset  *reset,
                        GError          **error)
{
  sqlite3_stmt *stmt;
  gboolean row;
  const void *blob;

  stmt = prepare (self, "SELECT id, pin_hash, expires_at FROM password_resets"
                        " WHERE user = ? AND used_at IS NULL AND voided_at IS NULL"
                        " ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user);
  if (!step_row (self, stmt, &row, "get reset", error) || !row)
    return FALSE;
  reset->id = sqlite3_column_int64 (stmt, 0);
  blob = sqlite3_column_blob (stmt, 1);
  if (blob == NULL || sqlite3_column_bytes (stmt, 1) != CM_SERVER_DB_DIGEST_BYTES)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  memcpy (reset->pin_hash, blob, CM_SERVER_DB_DIGEST_BYTES);
  reset->expires_at = sqlite3_column_int64 (stmt, 2);
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
cm_server_db_use_reset (CmServerDb  *self,
                        gint64       id,
                        gint64       now,
                        gboolean    *used,
                        GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self, "UPDATE password_resets SET used_at = ? WHERE id = ?"
                        " AND used_at IS NULL AND voided_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!step_done (self, stmt, "use reset", error))
    return FALSE;
  *used = sqlite3_changes (self->db) == 1;
  return TRUE;
}

/* ---- Registry ---- */

gboolean
cm_server_db_upsert_registry (CmServerDb               *self,
                              const CmServerDbAccount  *account,
                              GError                  **error)
{
  sqlite3_stmt *stmt;

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
  sqlite3_stmt *stmt = prepare (self, "SELECT COUNT(*) FROM registry", error);
  gboolean row;
  gint64 count;

  if (stmt == NULL || !step_row (self, stmt, &row, "count registry", error))
    return -1;
  count = row ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return count;
}

#define ACCOUNT_COLUMNS "r.account_type, r.account_number, r.zip, r.name, r.city, r.email," \
                        " r.mailing_address, r.status, r.certificate_expires"

static CmServerDbAccount *
read_account (sqlite3_stmt *stmt)
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
  sqlite3_stmt *stmt;
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
  sqlite3_reset (stmt);
  return account;
}

/* ---- Access requests ---- */

gboolean
cm_server_db_next_counter (CmServerDb  *self,
                           const char  *name,
                           guint64     *value,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = prepare (self, "INSERT INTO counters (name, value) VALUES (?, 1)"
                        " ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, name);
  if (!step_row (self, stmt, &row, "counter", error))
    return FALSE;
  if (!row)
    return set_error (self, error, "counter");
  *value = (guint64) sqlite3_column_int64 (stmt, 0);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
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
  sqlite3_stmt *stmt;

  /* Only the same user's codes: another user's request must not cancel them. */
  stmt = prepare (self, "UPDATE access_requests SET voided_at = ? WHERE user = ?"
                        " AND account_type = ? AND account_number = ?"
                        " AND used_at IS NULL AND voided_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, user);
  bind_text (stmt, 3, account_type);
  bind_text (stmt, 4, account_number);
  if (!step_done (self, stmt, "void codes", error))
    return FALSE;

  stmt = prepare (self, "INSERT INTO access_requests (confirmation_number, user, account_type,"
                        " account_number, delivery, code_hash, created_at, expires_at)"
                        " VALUES (?,?,?,?,?,?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) confirmation);
  sqlite3_bind_int64 (stmt, 2, user);
  bind_text (stmt, 3, account_type);
  bind_text (stmt, 4, account_number);
  bind_text (stmt, 5, delivery);
  bind_digest (stmt, 6, code_hash);
  sqlite3_bind_int64 (stmt, 7, now);
  sqlite3_bind_int64 (stmt, 8, expires_at);
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
  sqlite3_stmt *stmt;
  gboolean row;

  g_return_val_if_fail (nth > 0, FALSE);

  /* Two statements rather than optional conditions, so that each uses its index. */
  if (account_type == NULL)
    {
      stmt = prepare (self, "SELECT created_at FROM access_requests WHERE user = ?1"
                            " AND created_at > ?4 ORDER BY created_at DESC LIMIT 1 OFFSET ?5",
                      error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, user);
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
  sqlite3_bind_int64 (stmt, 4, since);
  sqlite3_bind_int64 (stmt, 5, (gint64) nth - 1);
  if (!step_row (self, stmt, &row, "recent access requests", error))
    return FALSE;
  *created_at = row ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
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
  sqlite3_stmt *stmt;
  gboolean row;

  /* A code works only for the user who asked for it (docs/server.md, "Answers"). */
  stmt = prepare (self, "SELECT id, expires_at, used_at IS NOT NULL, voided_at IS NOT NULL"
                        " FROM access_requests WHERE code_hash = ? AND user = ?"
                        " AND account_type = ? AND account_number = ?"
                        " ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  bind_digest (stmt, 1, code_hash);
  sqlite3_bind_int64 (stmt, 2, user);
  bind_text (stmt, 3, account_type);
  bind_text (stmt, 4, account_number);
  if (!step_row (self, stmt, &row, "find code", error) || !row)
    return FALSE;
  code->id = sqlite3_column_int64 (stmt, 0);
  code->expires_at = sqlite3_column_int64 (stmt, 1);
  code->used = sqlite3_column_int (stmt, 2) != 0;
  code->voided = sqlite3_column_int (stmt, 3) != 0;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
cm_server_db_use_code (CmServerDb  *self,
                       gint64       id,
                       gint64       now,
                       gboolean    *taken,
                       GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self, "UPDATE access_requests SET used_at = ?1 WHERE id = ?2"
                        " AND used_at IS NULL AND voided_at IS NULL AND expires_at > ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!step_done (self, stmt, "use code", error))
    return FALSE;
  *taken = sqlite3_changes (self->db) == 1;
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
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = prepare (self, "SELECT failures, locked_until FROM code_locks WHERE user = ?"
                        " AND account_type = ? AND account_number = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user);
  bind_text (stmt, 2, account_type);
  bind_text (stmt, 3, account_number);
  if (!step_row (self, stmt, &row, "code lock", error))
    return FALSE;
  *failures = row ? sqlite3_column_int64 (stmt, 0) : 0;
  *locked_until = row ? sqlite3_column_int64 (stmt, 1) : 0;
  sqlite3_reset (stmt);
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
  sqlite3_stmt *stmt;

  stmt = prepare (self, "INSERT INTO code_locks (user, account_type, account_number, failures,"
                        " locked_until) VALUES (?1,?2,?3,?4,?5)"
                        " ON CONFLICT (user, account_type, account_number) DO UPDATE"
                        " SET failures = ?4, locked_until = ?5", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user);
  bind_text (stmt, 2, account_type);
  bind_text (stmt, 3, account_number);
  sqlite3_bind_int64 (stmt, 4, failures);
  sqlite3_bind_int64 (stmt, 5, locked_until);
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
  sqlite3_stmt *stmt;

  stmt = prepare (self, "SELECT 1 FROM account_access WHERE user = ? AND account_type = ?"
                        " AND account_number = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user);
  bind_text (stmt, 2, account_type);
  bind_text (stmt, 3, account_number);
  if (!step_row (self, stmt, linked, "has access", error))
    return FALSE;
  sqlite3_reset (stmt);
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
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, "INSERT INTO account_access (user, account_type, account_number,"
                        " linked_at) VALUES (?,?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user);
  bind_text (stmt, 2, account_type);
  bind_text (stmt, 3, account_number);
  sqlite3_bind_int64 (stmt, 4, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_ALREADY_LINKED, NULL, NULL));
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return set_error (self, error, "insert access");
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
  sqlite3_stmt *stmt;

  stmt = prepare (self, "DELETE FROM account_access WHERE user = ? AND account_type = ?"
                        " AND account_number = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user);
  bind_text (stmt, 2, account_type);
  bind_text (stmt, 3, account_number);
  if (!step_done (self, stmt, "delete access", error))
    return FALSE;
  *deleted = sqlite3_changes (self->db) == 1;
  return TRUE;
}

GPtrArray *
cm_server_db_list_access (CmServerDb  *self,
                          gint64       user,
                          GError     **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS ", a.linked_at FROM account_access a"
                        " JOIN registry r ON r.account_type = a.account_type"
                        " AND r.account_number = a.account_number"
                        " WHERE a.user = ? ORDER BY a.linked_at, a.account_number", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user);
  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) cm_server_db_account_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CmServerDbAccount *account = read_account (stmt);

      account->linked_at = sqlite3_column_int64 (stmt, 9);
      g_ptr_array_add (accounts, account);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_error (self, error, "list access");
      return NULL;
    }
  return g_steal_pointer (&accounts);
}

gboolean
cm_server_db_check_integrity (CmServerDb  *self,
                              GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, "PRAGMA integrity_check", error);
  gboolean row, ok;

  if (stmt == NULL || !step_row (self, stmt, &row, "integrity", error))
    return FALSE;
  ok = row && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_reset (stmt);
  if (!ok)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "integrity check failed");
  return ok;
}

/* Tests only: makes every write fail the way a read-only database file does (SQLITE_READONLY),
 * since the tests run as root and root ignores file permissions. */
gboolean
cm_server_db_set_query_only (CmServerDb  *self,
                             gboolean     query_only,
                             GError     **error)
{
  g_return_val_if_fail (CM_IS_SERVER_DB (self), FALSE);

  if (self->db == NULL)
    return set_error (self, error, "query_only");
  return exec (self, query_only ? "PRAGMA query_only=ON" : "PRAGMA query_only=OFF", error);
}
