/* cm-db-postgres.c: the storage driver on PostgreSQL (libpq), for several server instances
 * on one database that has its own replication and backups (docs/server.md, "Deploying").
 *
 * Calls are synchronous, on the thread that owns the CmServerDb (the server's main loop),
 * as SQLite's are: one loopback or LAN round trip per statement.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-db"

#include "config.h"

#include <gio/gio.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "cm-db-driver.h"
#include "cm-server-db-private.h"

/* pg_advisory_xact_lock() keys: one for writing transactions, one for the migrations. */
#define WRITE_LOCK_KEY  "7150001"
#define SCHEMA_LOCK_KEY "7150002"
#define MAX_PARAMS 16
#define TEXT_OID 25  /* pg_type's text (server/catalog/pg_type_d.h, not in libpq-dev) */

typedef struct
{
  CmDbDriver  parent;
  PGconn     *conn;        /* (owned) */
  GHashTable *statements;  /* (owned) SQL text -> PgStmt */
  guint       next_name;
  gboolean    read_only;   /* tests: default_transaction_read_only, kept across reconnects */
} PgDriver;

typedef struct
{
  CmDbStmt  parent;
  char      name[16];
  char     *sql;          /* (owned) with $N placeholders */
  int       n_params;
  Oid       types[MAX_PARAMS];  /* 0: inferred from the use */
  gboolean  prepared;
  char     *values[MAX_PARAMS];  /* (owned) */
  int       lengths[MAX_PARAMS];
  int       formats[MAX_PARAMS];
  PGresult *result;       /* (owned) (nullable) */
  int       row;          /* the next row to give */
  gint64    changes;
  guint8   *blob;         /* (owned) (nullable) the last bytea column read */
} PgStmt;

#define DRIVER(d) ((PgDriver *) (d))
#define PSTMT(s) ((PgStmt *) (s))

/* "?" and "?N" to "$N", outside quotes: the one place the placeholders differ. */
static char *
translate_placeholders (const char *sql,
                        int        *n_params,
                        Oid        *types)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  gboolean quoted = FALSE;
  int next = 1;

  /* A number the statement skips ("?1 ... ?4") still needs a type: text, never read. */
  for (int i = 0; i < MAX_PARAMS; i++)
    types[i] = TEXT_OID;
  *n_params = 0;
  for (const char *p = sql; *p != '\0'; p++)
    {
      if (*p == '\'')
        quoted = !quoted;
      if (*p != '?' || quoted)
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (g_ascii_isdigit (p[1]))
        {
          char *end;
          int n = (int) strtol (p + 1, &end, 10);

          g_string_append_printf (out, "$%d", n);
          *n_params = MAX (*n_params, n);
          if (n >= 1 && n <= MAX_PARAMS)
            types[n - 1] = 0;
          p = end - 1;
        }
      else
        {
          *n_params = MAX (*n_params, next);
          if (next <= MAX_PARAMS)
            types[next - 1] = 0;
          g_string_append_printf (out, "$%d", next++);
        }
    }
  return g_string_free (out, FALSE);
}

/* Sorts a PostgreSQL failure by its SQLSTATE, as set_sqlite_error() sorts SQLite's: a storage
 * fault (503, and the server recovers when the fault goes) or a bug (500). */
static void
set_pg_error (PgDriver     *self,
              const PGresult *result,
              GError      **error,
              const char   *what)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *message = result != NULL ? PQresultErrorMessage (result) : NULL;
  int code = -1;

  if (message == NULL || *message == '\0')
    message = PQerrorMessage (self->conn);
  if (state == NULL || PQstatus (self->conn) != CONNECTION_OK ||
      g_str_has_prefix (state, "08") || g_str_has_prefix (state, "57P") ||
      g_str_has_prefix (state, "58"))
    code = CM_SERVER_STORAGE_ERROR_IO;            /* connection lost, server shut down */
  else if (strcmp (state, "53100") == 0)
    code = CM_SERVER_STORAGE_ERROR_NO_SPACE;
  else if (strcmp (state, "25006") == 0)
    code = CM_SERVER_STORAGE_ERROR_READ_ONLY;
  else if (g_str_has_prefix (state, "40") || strcmp (state, "55P03") == 0 ||
           g_str_has_prefix (state, "53"))
    code = CM_SERVER_STORAGE_ERROR_BUSY;          /* serialization, deadlock, lock, resources */
  cm_db_set_storage_error (error, code, what, message);
}

static void
forget_prepared (gpointer key,
                 gpointer value,
                 gpointer user_data)
{
  PSTMT (value)->prepared = FALSE;
}

/* A connection lost (the database restarted, a failover) is opened again on the next
 * statement; its prepared statements went with it. */
static gboolean
ensure_connection (PgDriver  *self,
                   GError   **error)
{
  if (PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;
  g_hash_table_foreach (self->statements, forget_prepared, NULL);
  PQreset (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      set_pg_error (self, NULL, error, "reconnect");
      return FALSE;
    }
  if (self->read_only)
    {
      PGresult *result = PQexec (self->conn, "SET default_transaction_read_only = on");

      PQclear (result);
    }
  g_message ("Reconnected to PostgreSQL");
  return TRUE;
}

static void
clear_bindings (PgStmt *stmt)
{
  for (int i = 0; i < MAX_PARAMS; i++)
    {
      g_clear_pointer (&stmt->values[i], g_free);
      stmt->lengths[i] = 0;
      stmt->formats[i] = 0;
    }
}

static void
pg_reset (CmDbStmt *stmt)
{
  PgStmt *self = PSTMT (stmt);

  g_clear_pointer (&self->result, PQclear);
  g_clear_pointer (&self->blob, PQfreemem);
  self->row = 0;
}

static void
stmt_free (gpointer data)
{
  PgStmt *stmt = data;

  pg_reset (&stmt->parent);
  clear_bindings (stmt);
  g_free (stmt->sql);
  g_free (stmt);
}

static CmDbStmt *
pg_prepare (CmDbDriver  *driver,
            const char  *sql,
            GError     **error)
{
  PgDriver *self = DRIVER (driver);
  PgStmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt == NULL)
    {
      stmt = g_new0 (PgStmt, 1);
      stmt->parent.driver = driver;
      stmt->sql = translate_placeholders (sql, &stmt->n_params, stmt->types);
      g_assert (stmt->n_params <= MAX_PARAMS);
      g_snprintf (stmt->name, sizeof stmt->name, "cm%u", self->next_name++);
      g_hash_table_insert (self->statements, (gpointer) sql, stmt);
    }
  pg_reset (&stmt->parent);
  clear_bindings (stmt);
  return &stmt->parent;
}

static void
bind_value (CmDbStmt *stmt, int index, char *value, int length, int format)
{
  PgStmt *self = PSTMT (stmt);

  g_return_if_fail (index >= 1 && index <= MAX_PARAMS);
  g_free (self->values[index - 1]);
  self->values[index - 1] = value;
  self->lengths[index - 1] = length;
  self->formats[index - 1] = format;
}

static void
pg_bind_int64 (CmDbStmt *stmt, int index, gint64 value)
{
  bind_value (stmt, index, g_strdup_printf ("%" G_GINT64_FORMAT, value), 0, 0);
}

static void
pg_bind_double (CmDbStmt *stmt, int index, double value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  bind_value (stmt, index, g_strdup (g_ascii_dtostr (text, sizeof text, value)), 0, 0);
}

static void
pg_bind_text (CmDbStmt *stmt, int index, const char *text)
{
  bind_value (stmt, index, g_strdup (text), 0, 0);
}

static void
pg_bind_blob (CmDbStmt *stmt, int index, const guint8 *data, gsize size)
{
  bind_value (stmt, index, g_memdup2 (data, size), (int) size, 1);
}

static gboolean
run (PgStmt  *stmt,
     GError **error)
{
  PgDriver *self = DRIVER (stmt->parent.driver);
  ExecStatusType status;

  if (!ensure_connection (self, error))
    return FALSE;
  if (!stmt->prepared)
    {
      PGresult *result = PQprepare (self->conn, stmt->name, stmt->sql, stmt->n_params,
                                     stmt->types);

      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        {
          set_pg_error (self, result, error, "prepare");
          PQclear (result);
          return FALSE;
        }
      PQclear (result);
      stmt->prepared = TRUE;
    }
  stmt->result = PQexecPrepared (self->conn, stmt->name, stmt->n_params,
                                 (const char * const *) stmt->values, stmt->lengths,
                                 stmt->formats, 0);
  status = PQresultStatus (stmt->result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    {
      const char *tuples = PQcmdTuples (stmt->result);

      stmt->changes = tuples[0] != '\0' ? g_ascii_strtoll (tuples, NULL, 10) : 0;
      stmt->row = 0;
      return TRUE;
    }
  return FALSE;
}

static CmDbStep
pg_step (CmDbStmt  *stmt,
         GError   **error)
{
  PgStmt *self = PSTMT (stmt);

  if (self->result == NULL && !run (self, error))
    {
      const char *state = self->result != NULL
                          ? PQresultErrorField (self->result, PG_DIAG_SQLSTATE) : NULL;

      if (g_strcmp0 (state, "23505") == 0)
        {
          pg_reset (stmt);
          return CM_DB_STEP_CONSTRAINT;
        }
      if (self->result != NULL)
        set_pg_error (DRIVER (stmt->driver), self->result, error, "statement");
      pg_reset (stmt);
      return CM_DB_STEP_ERROR;
    }
  g_clear_pointer (&self->blob, PQfreemem);
  if (self->row < PQntuples (self->result))
    {
      self->row++;
      return CM_DB_STEP_ROW;
    }
  pg_reset (stmt);
  return CM_DB_STEP_DONE;
}

/* Results come as text: booleans "t"/"f", numbers in decimal, bytea in hex. */
static const char *
value (CmDbStmt *stmt, int index)
{
  PgStmt *self = PSTMT (stmt);

  if (self->result == NULL || self->row == 0 ||
      PQgetisnull (self->result, self->row - 1, index))
    return NULL;
  return PQgetvalue (self->result, self->row - 1, index);
}

static gint64
pg_column_int64 (CmDbStmt *stmt, int index)
{
  const char *text = value (stmt, index);

  if (text == NULL)
    return 0;
  if (text[0] == 't' || text[0] == 'f')
    return text[0] == 't';
  return g_ascii_strtoll (text, NULL, 10);
}

static double
pg_column_double (CmDbStmt *stmt, int index)
{
  const char *text = value (stmt, index);

  return text != NULL ? g_ascii_strtod (text, NULL) : 0.0;
}

static const char *
pg_column_text (CmDbStmt *stmt, int index)
{
  return value (stmt, index);
}

static gsize
pg_column_blob (CmDbStmt *stmt, int index, const guint8 **data)
{
  PgStmt *self = PSTMT (stmt);
  const char *text = value (stmt, index);
  size_t size = 0;

  g_clear_pointer (&self->blob, PQfreemem);
  *data = NULL;
  if (text == NULL)
    return 0;
  self->blob = PQunescapeBytea ((const unsigned char *) text, &size);
  *data = self->blob;
  return self->blob != NULL ? size : 0;
}

static gint64
pg_changes (CmDbStmt *stmt)
{
  return PSTMT (stmt)->changes;
}

static gboolean
pg_exec (CmDbDriver  *driver,
         const char  *sql,
         GError     **error)
{
  PgDriver *self = DRIVER (driver);
  PGresult *result;
  ExecStatusType status;

  if (!ensure_connection (self, error))
    return FALSE;
  result = PQexec (self->conn, sql);
  status = PQresultStatus (result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_pg_error (self, result, error, "exec");
      PQclear (result);
      return FALSE;
    }
  PQclear (result);
  return TRUE;
}

/* A writing transaction takes one advisory lock, held to its end: the read-then-write steps
 * of the limits and codes run one at a time across every instance, as SQLite's BEGIN
 * IMMEDIATE runs them one at a time in one file. A reading one takes no lock and reads one
 * snapshot (REPEATABLE READ), as SQLite's deferred transaction does; its one possible write,
 * a session's idle clock, may then lose to another instance's, which it tolerates. */
static gboolean
pg_begin (CmDbDriver  *driver,
          gboolean     write,
          GError     **error)
{
  if (!write)
    return pg_exec (driver, "BEGIN ISOLATION LEVEL REPEATABLE READ", error);
  if (!pg_exec (driver, "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")", error))
    {
      if (PQtransactionStatus (DRIVER (driver)->conn) != PQTRANS_IDLE)
        pg_exec (driver, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_commit (CmDbDriver  *driver,
           GError     **error)
{
  return pg_exec (driver, "COMMIT", error);
}

static gboolean
pg_in_transaction (CmDbDriver *driver)
{
  PgDriver *self = DRIVER (driver);

  return PQstatus (self->conn) == CONNECTION_OK &&
         PQtransactionStatus (self->conn) != PQTRANS_IDLE;
}

static void
pg_rollback (CmDbDriver *driver)
{
  g_autoptr(GError) error = NULL;

  if (!pg_in_transaction (driver))
    return;
  if (!pg_exec (driver, "ROLLBACK", &error))
    g_warning ("Rollback failed: %s", error->message);
}

/* PostgreSQL checks its own pages (and data_checksums when the cluster has them): what is
 * left to check here is that the server answers. */
static gboolean
pg_check_integrity (CmDbDriver  *driver,
                    GError     **error)
{
  return pg_exec (driver, "SELECT 1", error);
}

static gboolean
pg_set_read_only (CmDbDriver  *driver,
                  gboolean     read_only,
                  GError     **error)
{
  DRIVER (driver)->read_only = read_only;
  return pg_exec (driver, read_only ? "SET default_transaction_read_only = on"
                                    : "SET default_transaction_read_only = off", error);
}

static gboolean
pg_lock_schema (CmDbDriver  *driver,
                gboolean     lock,
                GError     **error)
{
  return pg_exec (driver, lock ? "SELECT pg_advisory_lock(" SCHEMA_LOCK_KEY ")"
                               : "SELECT pg_advisory_unlock(" SCHEMA_LOCK_KEY ")", error);
}

static void
pg_close (CmDbDriver *driver)
{
  PgDriver *self = DRIVER (driver);

  g_hash_table_unref (self->statements);
  PQfinish (self->conn);
  g_free (self);
}

static const CmDbDriverOps pg_ops = {
  .dialect = CM_DB_DIALECT_POSTGRESQL,
  .close = pg_close,
  .prepare = pg_prepare,
  .reset = pg_reset,
  .bind_int64 = pg_bind_int64,
  .bind_double = pg_bind_double,
  .bind_text = pg_bind_text,
  .bind_blob = pg_bind_blob,
  .step = pg_step,
  .column_int64 = pg_column_int64,
  .column_double = pg_column_double,
  .column_text = pg_column_text,
  .column_blob = pg_column_blob,
  .changes = pg_changes,
  .exec = pg_exec,
  .begin = pg_begin,
  .commit = pg_commit,
  .rollback = pg_rollback,
  .in_transaction = pg_in_transaction,
  .check_integrity = pg_check_integrity,
  .set_read_only = pg_set_read_only,
  .lock_schema = pg_lock_schema,
};

/* Server notices ("relation already exists, skipping") are not the operator's business. */
static void
ignore_notice (void       *arg,
               const char *message)
{
}

CmDbDriver *
cm_db_postgres_open (const char  *conninfo,
                     GError     **error)
{
  PgDriver *self;
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *masked = cm_db_mask_target (conninfo);

      /* libpq's message names host and user, never the password. */
      cm_db_set_storage_error (error, CM_SERVER_STORAGE_ERROR_IO, masked, PQerrorMessage (conn));
      PQfinish (conn);
      return NULL;
    }
  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  self = g_new0 (PgDriver, 1);
  self->parent.ops = &pg_ops;
  self->conn = conn;
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, stmt_free);
  /* Times are the server's (Unix seconds as BIGINT); UTC only for what PostgreSQL prints. */
  if (!pg_exec (&self->parent, "SET TIME ZONE 'UTC'", error))
    {
      pg_close (&self->parent);
      return NULL;
    }
  return &self->parent;
}
