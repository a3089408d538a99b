/* cm-db-postgres-none.c: cm_db_postgres_open() for the app's practice back-end, which
 * stores in SQLite only. The app then does not link libpq, and with it OpenSSL, LDAP
 * and SASL: about 34 M instructions of dynamic linking at every start of the app
 * (docs/benchmarks.md, "Issue 16"). cars-mechanic-server links cm-db-postgres.c.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-db"

#include "config.h"

#include <gio/gio.h>

#include "cm-db-driver.h"
#include "cm-server-db-private.h"

CmDbDriver *
cm_db_postgres_open (const char  *conninfo,
                     GError     **error)
{
  g_autofree char *masked = cm_db_mask_target (conninfo);

  /* Not translated: a message for whoever runs the server, as cm-db-postgres.c's are. */
  cm_db_set_storage_error (error, CM_SERVER_STORAGE_ERROR_IO, masked,
                           "this build of the practice back-end stores in SQLite only");
  return NULL;
}
