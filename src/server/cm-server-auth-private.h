/* cm-server-auth-private.h: what the MILogin handler files share (cm-server-auth.c: limits,
 * sessions; cm-server-signup.c; cm-server-password.c).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-error.h"
#include "cm-server-private.h"

G_BEGIN_DECLS

/* One rule for every count: max events within a period lock for that period. */
typedef struct
{
  CmServerDbLimitKind kind;
  gint64              max;      /* events that lock */
  gint64              seconds;  /* how long a lock lasts, and how long an event counts */
  CmError             locked;   /* the answer while locked */
  const char         *field;
} CmServerAuthLimitRule;

typedef enum
{
  GUESS_NOT_RUN,   /* the hash failed or was refused: only the pending attempt goes */
  GUESS_WRONG,
  GUESS_RIGHT,
} CmServerAuthGuess;

extern const CmServerAuthLimitRule cm_server_auth_sign_in_rule;
extern const CmServerAuthLimitRule cm_server_auth_reset_pin_rule;
extern const CmServerAuthLimitRule cm_server_auth_reset_request_rule;

/* No row is of use after the longest period: they are pruned then. */
#define CM_SERVER_AUTH_LIMIT_RETAIN_SECONDS \
  MAX (CM_SERVER_SIGN_IN_LOCK_SECONDS, \
       MAX (CM_SERVER_RESET_PIN_LOCK_SECONDS, CM_SERVER_RESET_REQUEST_SECONDS))

void     cm_server_auth_reply_code        (CmServerRequest             *request,
                                           CmError                      code,
                                           const char                  *field);
char    *cm_server_auth_canonical_user_id (const char                  *user_id);
/* The keyed digest of a canonical User ID: the key of its attempt limits. */
void     cm_server_auth_user_id_key       (CmServer                    *server,
                                           const char                  *canonical,
                                           guint8                      *key);
gboolean cm_server_auth_limit_load        (CmServerDb                  *db,
                                           const CmServerAuthLimitRule *rule,
                                           const guint8                *key,
                                           gint64                       now,
                                           CmServerDbLimit             *limit,
                                           GError                     **refusal,
                                           GError                     **error);
gboolean cm_server_auth_limit_count       (CmServerDb                  *db,
                                           const CmServerAuthLimitRule *rule,
                                           const guint8                *key,
                                           gint64                       now,
                                           CmServerDbLimit             *limit,
                                           GError                     **error);
gboolean cm_server_auth_limit_clear       (CmServerDb                  *db,
                                           const CmServerAuthLimitRule *rule,
                                           const guint8                *key,
                                           gint64                       now,
                                           GError                     **error);
/* A password guess of a User ID: admitted (counted as pending) before its hash, finished
 * after it, each in the caller's transaction. */
gboolean cm_server_auth_guess_admit       (CmServerDb                  *db,
                                           const guint8                *key,
                                           gint64                       now,
                                           GError                     **error);
gboolean cm_server_auth_guess_finish      (CmServerDb                  *db,
                                           const guint8                *key,
                                           gint64                       now,
                                           CmServerAuthGuess            outcome,
                                           const char                  *field,
                                           GError                     **verdict,
                                           GError                     **error);
/* Asks the signed-in @user's password again: on success calls @verified with @data (which
 * it then owns); otherwise answers the request (401 current_password, 423, 503) and frees
 * @data with @data_free. @user must live until then (@data usually holds it). */
typedef void (*CmServerAuthVerifiedFunc) (CmServerRequest *request,
                                          gpointer         data);
/* The session's user, or NULL with the request answered (session_expired, or the
 * storage's error). */
CmServerDbUser *cm_server_auth_signed_in_user   (CmServerRequest          *request);
void     cm_server_auth_verify_current_password (CmServerRequest          *request,
                                                 const CmServerDbUser     *user,
                                                 const char               *current_password,
                                                 CmServerAuthVerifiedFunc  verified,
                                                 gpointer                  data,
                                                 GDestroyNotify            data_free);
/* Security questions of a request (cm-server-signup.c): each {question, answer} as the
 * question (GBytes, with its NUL) then the keyed digest of its answer, appended to @pairs. */
gboolean cm_server_auth_digest_questions (CmServerHash  *hash,
                                          JsonArray     *questions,
                                          const char    *user_id,
                                          GPtrArray     *pairs,
                                          GError       **error);
/* The rules a new password must meet (length, classes, zxcvbn, not the User ID or name). */
gboolean cm_server_auth_check_password    (const char                  *password,
                                           const char                  *user_id,
                                           const char                  *first_name,
                                           const char                  *last_name,
                                           const char                  *field,
                                           GError                     **error);

G_END_DECLS
