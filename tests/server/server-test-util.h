/* server-test-util.h: a CmServer on its own thread and a small HTTP client for the tests.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cm-server.h"

G_BEGIN_DECLS

typedef struct
{
  char        *dir;       /* temporary folder: database and outbox */
  char        *outbox;
  char        *database;
  CmServer    *server;
  SoupSession *session;
  char        *base;      /* the server's URI without the trailing slash */
} ServerFixture;

typedef struct
{
  guint               status;
  JsonNode           *json;     /* (nullable) */
  SoupMessageHeaders *headers;  /* response headers */
  GBytes             *body;
} Reply;

void      reply_free              (Reply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

/* Passed as the test's data to server_fixture_setup() (NULL: the defaults). */
typedef struct
{
  guint rate_limit;  /* cm_server_set_rate_limit() */
} ServerOptions;

void      server_fixture_setup    (ServerFixture *fixture,
                                   gconstpointer  data);
void      server_fixture_teardown (ServerFixture *fixture,
                                   gconstpointer  data);

/* @body may be NULL; @token may be NULL. Fails the test on a transport error. */
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

/* The error code of an error reply, asserting the api.md error shape. */
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

/* Removes @path and everything under it. */
void      server_test_remove_tree (const char    *path);

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
