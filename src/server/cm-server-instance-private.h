/* cm-server-instance-private.h: the fields of a CmServer, shared by cm-server.c (its
 * configuration, start and stop) and cm-server-pipeline.c (what every request goes through).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-server-listener.h"
#include "cm-server-private.h"

G_BEGIN_DECLS

struct _CmServer
{
  GObject           parent_instance;

  /* configuration */
  char             *database_path;   /* (owned): SQLite file or PostgreSQL connection string */
  char             *key_path;        /* (owned) (nullable): next to an SQLite file if NULL */
  char             *outbox_dir;      /* (owned) */
  CmServerHashCost  hash_cost;
  gboolean          demo_data;
  GTlsCertificate  *certificate;     /* (owned) (nullable) */
  guint             rate_per_minute; /* 0: no limit */
  CmServerLimits    limits;
  guint             codes_per_user;     /* code requests a day; 0: no limit */
  guint             codes_per_account;

  /* running */
  SoupServer       *soup;            /* (owned) (nullable) */
  CmServerListener *listener;        /* (owned) (nullable): accepts for @soup */
  CmServerDb       *db;              /* (owned) */
  CmServerHash     *hash;            /* (owned) (nullable) */
  CmOutbox         *outbox;          /* (owned) */
  char             *uri;             /* (owned) (nullable) */
  CmRateLimiter    *limiter;         /* (owned): who the client is; counts in @db */
  gint64            rate_pruned_at;  /* microseconds */
  guint             in_flight;
  gboolean          stopping;

  GMutex            clock_lock;
  gint64            clock_offset;    /* seconds */

  /* cm_server_start_in_thread() */
  GThread          *thread;          /* (owned) (nullable) */
  GMainContext     *context;         /* (owned) (nullable) */
  GMainLoop        *loop;            /* (owned) (nullable) */
  GMutex            start_lock;
  GCond             start_cond;
  gboolean          start_done;
  gboolean          start_ok;
  GError           *start_error;
  char             *start_address;
  guint             start_port;
};

/* The request pipeline (cm-server-pipeline.c): connected to the SoupServer at start. */
void     cm_server_on_request_started (SoupServer        *soup,
                                       SoupServerMessage *msg,
                                       gpointer           user_data);
void     cm_server_dispatch           (SoupServer        *soup,
                                       SoupServerMessage *msg,
                                       const char        *path,
                                       GHashTable        *query,
                                       gpointer           user_data);

G_END_DECLS
