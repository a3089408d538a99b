/* cm-server-db-statements.h: what the store's query files (cm-server-db-users.c,
 * cm-server-db-access.c) share: the driver of the open store and short helpers around it.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-db-driver.h"
#include "cm-server-db-private.h"

G_BEGIN_DECLS

/* NULL with an error when the store is closed. */
CmDbStmt *cm_server_db_prepare (CmServerDb  *self,
                                const char  *sql,
                                GError     **error);
CmDbDriver *cm_server_db_get_driver (CmServerDb *self);

/* The schema steps of both stores, side by side (cm-server-db-migrations.c). */
typedef struct
{
  const char *sqlite;
  const char *postgresql;
} CmServerDbMigration;

const CmServerDbMigration *cm_server_db_get_migrations (guint *n_migrations);

static inline CmDbStmt *
prepare (CmServerDb  *self,
         const char  *sql,
         GError     **error)
{
  return cm_server_db_prepare (self, sql, error);
}

static inline void
bind_text (CmDbStmt   *stmt,
           int         index,
           const char *text)
{
  cm_db_bind_text (stmt, index, text);
}

static inline void
bind_digest (CmDbStmt     *stmt,
             int           index,
             const guint8 *digest)
{
  cm_db_bind_blob (stmt, index, digest, CM_SERVER_DB_DIGEST_BYTES);
}

static inline char *
column_text (CmDbStmt *stmt,
             int       index)
{
  return g_strdup (cm_db_column_text (stmt, index));
}

/* Runs a statement that returns no rows. */
static inline gboolean
step_done (CmServerDb  *self,
           CmDbStmt    *stmt,
           const char  *what,
           GError     **error)
{
  CmDbStep rc = cm_db_step (stmt, error);

  if (rc == CM_DB_STEP_DONE)
    return TRUE;
  if (rc != CM_DB_STEP_ERROR)
    {
      cm_db_reset (stmt);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: unexpected result", what);
    }
  return FALSE;
}

/* Steps once: TRUE with *row set when a row came, FALSE on error. */
static inline gboolean
step_row (CmServerDb  *self,
          CmDbStmt    *stmt,
          gboolean    *row,
          const char  *what,
          GError     **error)
{
  CmDbStep rc = cm_db_step (stmt, error);

  *row = rc == CM_DB_STEP_ROW;
  if (rc == CM_DB_STEP_ROW || rc == CM_DB_STEP_DONE)
    return TRUE;
  if (rc != CM_DB_STEP_ERROR)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: unexpected result", what);
  return FALSE;
}

/* Every row's first column, as text; NULL on error. */
static inline GStrv
step_texts (CmDbStmt  *stmt,
            GError   **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  CmDbStep rc;

  while ((rc = cm_db_step (stmt, error)) == CM_DB_STEP_ROW)
    g_strv_builder_add (builder, cm_db_column_text (stmt, 0));
  cm_db_reset (stmt);
  if (rc != CM_DB_STEP_DONE)
    return NULL;
  return g_strv_builder_end (builder);
}

/* Steps a RETURNING statement to its end, so the write is complete before the commit. */
static inline void
finish (CmDbStmt *stmt)
{
  while (cm_db_step (stmt, NULL) == CM_DB_STEP_ROW)
    ;
  cm_db_reset (stmt);
}

G_END_DECLS
