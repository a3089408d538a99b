/* cm-server-private.h: what the handler files share with cm-server.c.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cm-outbox-private.h"
#include "cm-rate-limiter.h"
#include "cm-server.h"
#include "cm-server-db-private.h"
#include "cm-server-hash-private.h"

G_BEGIN_DECLS

/* Lockouts and expiries: docs/server.md, "Limits and expiries", gives each one and why. */
#define CM_SERVER_SIGN_IN_MAX_FAILURES     3
#define CM_SERVER_SIGN_IN_LOCK_SECONDS     (30 * 60)
/* An attempt admitted this long ago and never finished was in a process that died: longer
 * than any hash waits in the bounded queue, even at the moderate cost on a busy machine. */
#define CM_SERVER_ATTEMPT_STALE_SECONDS    (5 * 60)
/* Wrong reset PINs per User ID, whatever the PIN, then no PIN is taken for an hour. */
#define CM_SERVER_RESET_PIN_MAX_FAILURES   5
#define CM_SERVER_RESET_PIN_LOCK_SECONDS   (60 * 60)
/* Reset PINs sent per User ID, then 429 for an hour. */
#define CM_SERVER_RESET_MAX_REQUESTS       3
#define CM_SERVER_RESET_REQUEST_SECONDS    (60 * 60)
#define CM_SERVER_SESSION_IDLE             (30 * 60)
#define CM_SERVER_SESSION_ABSOLUTE         (12 * 3600)
#define CM_SERVER_SESSION_REMEMBER_IDLE    (7 * 24 * 3600)
#define CM_SERVER_SESSION_REMEMBER_ABSOLUTE (30 * 24 * 3600)
/* last_used_at is written at most this often, so reads stay reads. */
#define CM_SERVER_SESSION_TOUCH_SECONDS    60
#define CM_SERVER_CODE_EMAIL_SECONDS       (3 * 24 * 3600)
#define CM_SERVER_CODE_MAIL_SECONDS        (30 * 24 * 3600)
#define CM_SERVER_CODE_MAX_FAILURES        5
#define CM_SERVER_CODE_LOCK_SECONDS        (30 * 60)
/* Code requests in any 24 hours: per user, and per account whoever asks (each one sends a
 * letter or an email to the business), then 429. The defaults of
 * cm_server_set_code_request_limits(). */
#define CM_SERVER_CODE_REQUEST_WINDOW      (24 * 3600)
#define CM_SERVER_CODE_REQUESTS_PER_USER   5
#define CM_SERVER_CODE_REQUESTS_PER_ACCOUNT 10
#define CM_SERVER_CHALLENGE_SECONDS        (15 * 60)
#define CM_SERVER_RESET_SECONDS            (15 * 60)
#define CM_SERVER_PASSWORD_HISTORY         3
/* zxcvbn entropy below this many bits is "trivially guessable" (score 0-1). */
#define CM_SERVER_MIN_PASSWORD_ENTROPY     28.0
/* Rate limit: a token bucket per client (IPv4 address or IPv6 /64), and one ten times as
 * large per /24 or /48, for the sensitive endpoints. */
#define CM_SERVER_RATE_BURST_DEFAULT       60

typedef struct _CmServerRequest CmServerRequest;

struct _CmServerRequest
{
  grefcount          ref;
  CmServer          *server;      /* (owned) */
  SoupServerMessage *msg;         /* (owned) */
  JsonNode          *body_node;   /* (owned) (nullable) */
  JsonObject        *body;        /* (nullable): the body when it is an object */
  GStrv              params;      /* (owned): the path's {parameters}, decoded */
  gint64             user;        /* signed-in user, 0 when none */
  gint64             session;     /* its session */
  gint64             session_expires_at;
  gboolean           paused;
  gboolean           answered;
};

typedef void (*CmServerHandler) (CmServerRequest *request);

CmServerRequest *cm_server_request_ref   (CmServerRequest *request);
void             cm_server_request_unref (CmServerRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmServerRequest, cm_server_request_unref)

/* Before any asynchronous step: holds the answer back until a reply. */
void     cm_server_request_pause        (CmServerRequest *request);
/* @node (transfer full) (nullable): no body when NULL (204, 202). */
void     cm_server_request_reply        (CmServerRequest *request,
                                         guint            status,
                                         JsonNode        *node);
/* @json (transfer full): JSON text already written (cm_json_append_string()). */
void     cm_server_request_reply_text   (CmServerRequest *request,
                                         guint            status,
                                         GString         *json);
void     cm_server_request_reply_error  (CmServerRequest *request,
                                         const GError    *error);
/* A CM_ERROR is answered as is; anything else is logged and answered 500 internal. */
void     cm_server_request_fail         (CmServerRequest *request,
                                         const GError    *error);

/* The rate-limit hook: takes a token from the bucket of @key, which holds @per_minute and
 * refills as many a minute (in the store, shared by every instance on it). Key by what
 * the limit is about, with a prefix: the client keys below, "user:" + User ID,
 * "account:" + number... Returns 0 when allowed, else the seconds to wait (429 with
 * Retry-After). While the store's last answer says the bucket is empty, refused without
 * asking it (the limiter's front tier), so a flood writes nothing. */
gint64   cm_server_rate_limit_take       (CmServer        *self,
                                          const char      *key,
                                          guint            per_minute);
/* The client's key: its IPv4 address or IPv6 /64 ("203.0.113.7/32"), or with @network its
 * /24 or /48; past trusted proxies (cm_server_set_trusted_proxies()) the address they name. */
char    *cm_server_request_dup_client_key (CmServerRequest *request,
                                           gboolean         network);

CmServerDb   *cm_server_get_db        (CmServer *self);
/* Tests: its front tier (cm-rate-limiter-private.h). */
CmRateLimiter *cm_server_get_limiter  (CmServer *self);
CmServerHash *cm_server_get_hash      (CmServer *self);
CmOutbox     *cm_server_get_outbox    (CmServer *self);
/* Unix seconds on the server's clock (moved by cm_server_advance_clock()). */
gint64        cm_server_now           (CmServer *self);
/* 0: no limit */
void          cm_server_get_code_request_limits (CmServer *self,
                                                 guint    *per_user,
                                                 guint    *per_account);
/* RFC 3339 UTC. */
char         *cm_server_format_time   (gint64    unix_time);

/* cm-server-auth.c */
void cm_server_auth_challenge        (CmServerRequest *request);
void cm_server_auth_user_id          (CmServerRequest *request);
void cm_server_auth_sign_up          (CmServerRequest *request);
void cm_server_auth_sign_in          (CmServerRequest *request);
void cm_server_auth_session          (CmServerRequest *request);
void cm_server_auth_sign_out         (CmServerRequest *request);
void cm_server_auth_change_password  (CmServerRequest *request);
void cm_server_auth_reset_password   (CmServerRequest *request);
void cm_server_auth_confirm_reset    (CmServerRequest *request);
/* At start: security answers stored before the server's key get digested with it. */
gboolean cm_server_auth_rekey_answers (CmServerDb     *db,
                                       CmServerHash   *hash,
                                       GError        **error);
/* Sets request->user and ->session from the bearer token; FALSE with an error otherwise. */
gboolean cm_server_auth_authenticate (CmServerRequest *request,
                                      GError         **error);

/* cm-server-account.c */
void cm_server_account_get_profile          (CmServerRequest *request);
void cm_server_account_update_profile       (CmServerRequest *request);
void cm_server_account_set_recovery_options (CmServerRequest *request);

/* cm-server-access.c */
void cm_server_access_account_types  (CmServerRequest *request);
void cm_server_access_lookup         (CmServerRequest *request);
void cm_server_access_request_code   (CmServerRequest *request);
void cm_server_access_add            (CmServerRequest *request);
void cm_server_access_check_code     (CmServerRequest *request);
void cm_server_access_list           (CmServerRequest *request);
void cm_server_access_remove         (CmServerRequest *request);
/* The registry CSV (header line, then one account a line). */
gboolean cm_server_access_import_csv (CmServerDb      *db,
                                      const char      *data,
                                      gsize            length,
                                      guint           *n_imported,
                                      GError         **error);

G_END_DECLS
