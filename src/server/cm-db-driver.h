/* cm-db-driver.h: the storage seam. CmServerDb writes its SQL once against this small
 * driver (prepare, bind, step, column, transactions); SQLite (cm-db-sqlite.c) and
 * PostgreSQL (cm-db-postgres.c) implement it.
 *
 * The SQL is SQLite's spelling of what both accept: "?" and "?N" placeholders (the
 * PostgreSQL driver turns them into "$N"), ON CONFLICT upserts, RETURNING, CASE rather
 * than MIN/MAX/LEAST, and the column "user" always quoted (a reserved word in PostgreSQL).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _CmDbDriver CmDbDriver;
typedef struct _CmDbStmt   CmDbStmt;

typedef enum
{
  CM_DB_DIALECT_SQLITE,
  CM_DB_DIALECT_POSTGRESQL,
} CmDbDialect;

typedef enum
{
  CM_DB_STEP_ERROR = -1,   /* error set */
  CM_DB_STEP_DONE = 0,
  CM_DB_STEP_ROW = 1,
  CM_DB_STEP_CONSTRAINT = 2,  /* a UNIQUE or PRIMARY KEY refused the row; no error set */
} CmDbStep;

typedef struct
{
  CmDbDialect dialect;
  void        (*close)         (CmDbDriver *driver);
  /* The statement is cached by the address of @sql (a literal) and reset for reuse. */
  CmDbStmt   *(*prepare)       (CmDbDriver *driver, const char *sql, GError **error);
  void        (*reset)         (CmDbStmt *stmt);
  void        (*bind_int64)    (CmDbStmt *stmt, int index, gint64 value);
  void        (*bind_double)   (CmDbStmt *stmt, int index, double value);
  void        (*bind_text)     (CmDbStmt *stmt, int index, const char *text);
  void        (*bind_blob)     (CmDbStmt *stmt, int index, const guint8 *data, gsize size);
  CmDbStep    (*step)          (CmDbStmt *stmt, GError **error);
  gint64      (*column_int64)  (CmDbStmt *stmt, int index);
  double      (*column_double) (CmDbStmt *stmt, int index);
  const char *(*column_text)   (CmDbStmt *stmt, int index);
  gsize       (*column_blob)   (CmDbStmt *stmt, int index, const guint8 **data);
  /* Rows changed by the statement's last run. */
  gint64      (*changes)       (CmDbStmt *stmt);
  /* Several statements, no parameters, no rows (schema steps, settings). */
  gboolean    (*exec)          (CmDbDriver *driver, const char *sql, GError **error);
  /* @write: the transaction writes what it reads (limits, codes): such transactions run
   * one at a time, across every process on the database. */
  gboolean    (*begin)         (CmDbDriver *driver, gboolean write, GError **error);
  gboolean    (*commit)        (CmDbDriver *driver, GError **error);
  void        (*rollback)      (CmDbDriver *driver);
  /* FALSE when the database already ended the transaction (after an I/O error). */
  gboolean    (*in_transaction) (CmDbDriver *driver);
  /* Tests: a full check of the store, and a store that refuses every write. */
  gboolean    (*check_integrity) (CmDbDriver *driver, GError **error);
  gboolean    (*set_read_only) (CmDbDriver *driver, gboolean read_only, GError **error);
  /* Held around the migrations, so that instances starting together migrate once. */
  gboolean    (*lock_schema)   (CmDbDriver *driver, gboolean lock, GError **error);
} CmDbDriverOps;

struct _CmDbDriver
{
  const CmDbDriverOps *ops;
};

struct _CmDbStmt
{
  CmDbDriver *driver;
};

/* "postgresql://..." and "postgres://..." URIs and "host=... dbname=..." strings go to
 * PostgreSQL; anything else is an SQLite file (or ":memory:"). */
gboolean    cm_db_is_postgresql_target (const char *target);
/* @target with any password replaced by "***", for logs and errors. */
char       *cm_db_mask_target          (const char *target);

CmDbDriver *cm_db_sqlite_open          (const char  *path,
                                        GError     **error);
CmDbDriver *cm_db_postgres_open        (const char  *conninfo,
                                        GError     **error);

/* The storage faults of both drivers: CM_SERVER_STORAGE_ERROR codes. */
void        cm_db_set_storage_error    (GError     **error,
                                        int          code,
                                        const char  *what,
                                        const char  *message);

static inline CmDbStmt *
cm_db_prepare (CmDbDriver *driver, const char *sql, GError **error)
{
  return driver->ops->prepare (driver, sql, error);
}

static inline void
cm_db_bind_int64 (CmDbStmt *stmt, int index, gint64 value)
{
  stmt->driver->ops->bind_int64 (stmt, index, value);
}

static inline void
cm_db_bind_double (CmDbStmt *stmt, int index, double value)
{
  stmt->driver->ops->bind_double (stmt, index, value);
}

static inline void
cm_db_bind_text (CmDbStmt *stmt, int index, const char *text)
{
  stmt->driver->ops->bind_text (stmt, index, text);
}

static inline void
cm_db_bind_blob (CmDbStmt *stmt, int index, const guint8 *data, gsize size)
{
  stmt->driver->ops->bind_blob (stmt, index, data, size);
}

static inline CmDbStep
cm_db_step (CmDbStmt *stmt, GError **error)
{
  return stmt->driver->ops->step (stmt, error);
}

static inline void
cm_db_reset (CmDbStmt *stmt)
{
  stmt->driver->ops->reset (stmt);
}

static inline gint64
cm_db_column_int64 (CmDbStmt *stmt, int index)
{
  return stmt->driver->ops->column_int64 (stmt, index);
}

static inline double
cm_db_column_double (CmDbStmt *stmt, int index)
{
  return stmt->driver->ops->column_double (stmt, index);
}

static inline const char *
cm_db_column_text (CmDbStmt *stmt, int index)
{
  return stmt->driver->ops->column_text (stmt, index);
}

static inline gsize
cm_db_column_blob (CmDbStmt *stmt, int index, const guint8 **data)
{
  return stmt->driver->ops->column_blob (stmt, index, data);
}

static inline gint64
cm_db_changes (CmDbStmt *stmt)
{
  return stmt->driver->ops->changes (stmt);
}

/* The one statement of @dialect's pair, for the few that must differ. */
static inline const char *
cm_db_sql (CmDbDriver *driver, const char *sqlite, const char *postgresql)
{
  return driver->ops->dialect == CM_DB_DIALECT_POSTGRESQL ? postgresql : sqlite;
}

G_END_DECLS
