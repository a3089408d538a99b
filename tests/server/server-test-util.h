/* server-test-util.h: a CmServer on its own thread and a small HTTP client for the tests.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "cm-server.h"

G_BEGIN_DECLS

typedef struct
{
  char        *dir;       /* temporary folder: database and outbox */
  char        *outbox;
  char        *database;  /* SQLite file, or PostgreSQL URI when CM_TEST_POSTGRESQL is set */
  char        *schema;    /* (nullable) the test's PostgreSQL schema */
  CmServer    *server;
  SoupSession *session;
  char        *base;      /* where calls go, without the trailing slash: the server, or the
                           * contract validator in front of it (CM_TEST_CONTRACT_PROXY) */
  char        *server_base;  /* (nullable) the server itself, for raw sockets */
  gboolean     direct;    /* calls bypass the validator: bodies it cannot pass on unchanged */
} ServerFixture;

/* The data of server_fixture_setup(), or NULL for the defaults. */
typedef struct
{
  gboolean no_rate_limit;
  gboolean real_hash_cost;  /* INTERACTIVE, a real server's, not the tests' minimum */
  guint    rate_per_minute; /* 0: the server's default */
  guint    rate_limit;      /* when not 0, cm_server_set_rate_limit() */
  const char *trusted_proxy;  /* (nullable) cm_server_set_trusted_proxies() with it alone */
  guint    max_empty_buckets; /* when not 0, the rate limiter's front-tier cap */
} ServerFixtureOptions;

typedef struct
{
  guint               status;
  JsonNode           *json;     /* (nullable) */
  SoupMessageHeaders *headers;  /* response headers */
  GBytes             *body;
} Reply;

void      reply_free              (Reply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

void      server_fixture_setup    (ServerFixture *fixture,
                                   gconstpointer  data);
void      server_fixture_teardown (ServerFixture *fixture,
                                   gconstpointer  data);

/* Gives @server the fixture's server key: another server on the fixture's store needs it. */
void      server_fixture_set_key  (ServerFixture *fixture,
                                   CmServer      *server);

/* Stops the server and starts another on the same database and outbox. */
void      server_fixture_restart  (ServerFixture *fixture,
                                   gconstpointer  data);

/* A password reset confirmation for @user_id with @pin and the new password
 * "Brand-New-Pass9". */
char        *server_reset_body       (const char *user_id,
                                      const char *pin);
/* A code request by mail for M654321 (a demo record) with @token, to @base (the server's
 * URL, with or without its final slash). */
SoupMessage *server_new_code_request (const char *base,
                                      const char *token);

/* Requests sent at once, each on its own connection from its own thread. */
typedef struct _ParallelCalls ParallelCalls;

typedef struct
{
  guint  status;
  gint64 retry_after;  /* the Retry-After header, -1 when absent */
} ParallelReply;

/* POSTs every one of @bodies (JSON) to @path; returns once all are sent. */
ParallelCalls *server_post_parallel (ServerFixture      *fixture,
                                     const char         *path,
                                     const char * const *bodies);
/* The same with the session @token. */
ParallelCalls *server_post_parallel_as (ServerFixture      *fixture,
                                        const char         *path,
                                        const char         *token,
                                        const char * const *bodies);
/* The same with @method ("PUT"...). */
ParallelCalls *server_send_parallel_as (ServerFixture      *fixture,
                                        const char         *method,
                                        const char         *path,
                                        const char         *token,
                                        const char * const *bodies);
/* How many have their answer so far. */
guint     parallel_answered       (ParallelCalls *calls);
/* Waits for every answer, fills @replies in the order of the bodies, frees @calls. */
void      parallel_finish         (ParallelCalls *calls,
                                   ParallelReply *replies);

/* PostgreSQL (CM_TEST_POSTGRESQL, from tests/server/with-postgresql.sh): one statement on
 * the test database; a new schema and the store URI that uses it. */
void      postgresql_exec_printf  (const char    *format,
                                   ...) G_GNUC_PRINTF (1, 2);
char     *postgresql_create_schema (const char   *schema);

/* The first column of the first row of @sql, which must give one. */
gint64    sqlite_query_int        (sqlite3       *db,
                                   const char    *sql);

/* The database file, through a connection of the test's own. */
/* Bytes the tables and indexes take (pages in use). */
gint64    database_used_bytes     (ServerFixture *fixture);
/* PostgreSQL (CM_TEST_POSTGRESQL, from tests/server/with-postgresql.sh): one statement on
 * the test database; a new schema and the store URI that uses it. */
void      postgresql_exec_printf  (const char    *format,
                                   ...) G_GNUC_PRINTF (1, 2);
char     *postgresql_create_schema (const char   *schema);

/* The first column of the first row of @sql. */
gint64    database_query_int      (ServerFixture *fixture,
                                   const char    *sql);
GBytes   *database_query_blob     (ServerFixture *fixture,
                                   const char    *sql);
void      database_exec           (ServerFixture *fixture,
                                   const char    *sql);

/* @body may be NULL; @token may be NULL. Fails the test on a transport error, on an answer
 * without the headers every answer carries, and, behind the contract validator, on any
 * violation of docs/openapi.yaml it reports (tests/server/contract-replay.sh). */
Reply    *server_call             (ServerFixture *fixture,
                                   const char    *method,
                                   const char    *path,
                                   const char    *token,
                                   const char    *body);
Reply    *server_call_raw         (ServerFixture *fixture,
                                   const char    *method,
                                   const char    *path,
                                   const char    *content_type,
                                   const char    *body,
                                   gssize         length);

/* The error code of an error reply, asserting the `Error` shape of docs/openapi.yaml. */
const char *reply_error_code      (Reply         *reply);
JsonObject *reply_object          (Reply         *reply);

/* Solves a challenge and signs up @user_id ("smithj1234" style for John Smith). */
void      server_sign_up          (ServerFixture *fixture,
                                   const char    *user_id,
                                   const char    *password);
char     *server_sign_in          (ServerFixture *fixture,
                                   const char    *user_id,
                                   const char    *password);
char     *server_solve_challenge  (ServerFixture *fixture,
                                   char         **answer);
char     *sign_up_body            (const char    *challenge_id,
                                   const char    *answer,
                                   const char    *user_id,
                                   const char    *password,
                                   const char    *password_confirm,
                                   gboolean       terms);

/* Removes a folder and everything in it. */
void      remove_tree             (const char    *path);

/* The newest outbox file whose name contains @kind ("email", "letter", "sms"), read. */
char     *outbox_newest           (const char    *outbox,
                                   const char    *kind,
                                   guint         *count);
/* The first XXXX-XXXX-XXXX in @text. */
char     *find_code               (const char    *text);
char     *find_pin                (const char    *text);

/* Checks that @object has @spec members: "name:s" string, "b" boolean, "o" object,
 * "a" array, "n" integer, "s?" string or null, "s-" optional string. */
void      assert_shape            (JsonObject    *object,
                                   const char    *spec);

/* Raw sockets, for what a SoupSession would not send. Connects to @uri's host and port
 * from the address @from (NULL: any); -1 when it cannot. */
int       raw_connect             (const char    *uri,
                                   const char    *from);
void      raw_send                (int            fd,
                                   const char    *data);
/* What arrives until the server closes (*closed TRUE) or @timeout_seconds pass. */
char     *raw_read_all            (int            fd,
                                   guint          timeout_seconds,
                                   gboolean      *closed);
/* Connect from @from, send @request, read until closed (20 s at most), close. */
char     *raw_request             (const char    *uri,
                                   const char    *from,
                                   const char    *request,
                                   gboolean      *closed);
/* raw_request(): the status of its answer (0 when none), and its Retry-After header in
 * *@retry_after (-1 when none; @retry_after may be NULL). */
guint     raw_request_status      (const char    *uri,
                                   const char    *from,
                                   const char    *request,
                                   gint64        *retry_after);
/* How many "HTTP/1.1 " status lines @text holds. */
guint     count_answers           (const char    *text);

/* $CM_BUILD_DIR/src/server/cars-mechanic-server */
char     *server_program          (void);
/* Starts the program on a database and outbox in @dir (minimum hash cost) with
 * @extra_args; returns the URL it printed ("" when it did not start). Reap *pid. */
char     *server_spawn            (const char          *dir,
                                   const char * const  *extra_args,
                                   GSpawnChildSetupFunc setup,
                                   gpointer             setup_data,
                                   GPid                *pid,
                                   int                 *out_fd);

G_END_DECLS
