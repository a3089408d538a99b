/* cm-server-auth.c: MILogin: challenge, users, sessions, passwords, resets, lockout.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-auth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>
#include <zxcvbn.h>

#include "cm-challenge-words.h"
#include "cm-error.h"
#include "cm-json.h"
#include "cm-mask.h"
#include "cm-protocol.h"
#include "cm-server-auth-private.h"
#include "cm-validate.h"

#define MAX_RECOVERY_QUESTIONS 5
#define MAX_RECOVERY_TEXT 256

/* ---- Shared helpers ---- */

void
cm_server_auth_reply_code (CmServerRequest *request,
                           CmError          code,
                           const char      *field)
{
  g_autoptr(GError) error = cm_error_new (code, field, NULL);

  cm_server_request_reply_error (request, error);
}

static JsonNode *
user_json (const CmServerDbUser *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *masked = cm_mask_email (user->email);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_USER_ID);
  json_builder_add_string_value (builder, user->user_id);
  json_builder_set_member_name (builder, CM_MEMBER_FIRST_NAME);
  json_builder_add_string_value (builder, user->first_name);
  json_builder_set_member_name (builder, CM_MEMBER_LAST_NAME);
  json_builder_add_string_value (builder, user->last_name);
  json_builder_set_member_name (builder, CM_MEMBER_EMAIL_MASKED);
  if (masked != NULL)
    json_builder_add_string_value (builder, masked);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The canonical User ID when it has the right shape, so that "SmithJ9999" and "smithj9999"
 * are one user and share one count, whether or not the user exists; NULL when it is too long
 * to be anybody's (nothing is counted for it). */
char *
cm_server_auth_canonical_user_id (const char *user_id)
{
  char *canonical = NULL;

  if (!cm_validate_user_id_format (user_id, &canonical, NULL) || canonical == NULL)
    {
      g_free (canonical);
      if (strlen (user_id) > 4 * CM_USER_ID_MAX_LENGTH)
        return NULL;
      canonical = g_utf8_strdown (user_id, -1);
    }
  if (g_utf8_strlen (canonical, -1) > CM_USER_ID_MAX_LENGTH)
    g_clear_pointer (&canonical, g_free);
  return canonical;
}

/* The key of a User ID's attempt limits: a keyed digest, so every row has the same small size
 * and the table names nobody. */
void
cm_server_auth_user_id_key (CmServer   *server,
                            const char *canonical,
                            guint8     *key)
{
  cm_server_hash_keyed_digest (cm_server_get_hash (server), CM_SERVER_HASH_PURPOSE_USER_ID,
                               canonical, strlen (canonical), key);
}

/* ---- Attempt limits ----
 *
 * One rule for every count: max events within a period lock for that period. The count lives
 * in the database and changes only inside a transaction that reads it first, so concurrent
 * requests, and several processes on one database, see each other's attempts. */


const CmServerAuthLimitRule cm_server_auth_sign_in_rule = {
  CM_SERVER_DB_LIMIT_SIGN_IN, CM_SERVER_SIGN_IN_MAX_FAILURES, CM_SERVER_SIGN_IN_LOCK_SECONDS,
  CM_ERROR_ACCOUNT_LOCKED, NULL
};
const CmServerAuthLimitRule cm_server_auth_reset_pin_rule = {
  CM_SERVER_DB_LIMIT_RESET_PIN, CM_SERVER_RESET_PIN_MAX_FAILURES,
  CM_SERVER_RESET_PIN_LOCK_SECONDS, CM_ERROR_ACCOUNT_LOCKED, CM_MEMBER_PIN
};
const CmServerAuthLimitRule cm_server_auth_reset_request_rule = {
  CM_SERVER_DB_LIMIT_RESET_REQUEST, CM_SERVER_RESET_MAX_REQUESTS,
  CM_SERVER_RESET_REQUEST_SECONDS, CM_ERROR_RATE_LIMITED, NULL
};


/* Reads a row and forgets what no longer counts: an expired lock with the events before it,
 * events older than the period, and attempts left pending by a process that died, so that no
 * crash can lock anybody for good. Then @refusal is set when the row is locked. */
gboolean
cm_server_auth_limit_load (CmServerDb       *db,
                           const CmServerAuthLimitRule  *rule,
                           const guint8     *key,
                           gint64            now,
                           CmServerDbLimit  *limit,
                           GError          **refusal,
                           GError          **error)
{
  if (!cm_server_db_get_limit (db, rule->kind, key, limit, error))
    return FALSE;
  if (limit->locked_until != 0 && limit->locked_until <= now)
    limit->locked_until = limit->count = 0;
  if (limit->locked_until == 0 && limit->updated_at + rule->seconds <= now)
    limit->count = 0;
  if (limit->updated_at + CM_SERVER_ATTEMPT_STALE_SECONDS <= now)
    limit->pending = 0;
  if (limit->locked_until > now && refusal != NULL)
    {
      *refusal = cm_error_new (rule->locked, rule->field, NULL);
      cm_error_set_retry_after (*refusal, limit->locked_until - now);
    }
  return TRUE;
}

/* Counts one event; the one that reaches the maximum locks. */
gboolean
cm_server_auth_limit_count (CmServerDb       *db,
                            const CmServerAuthLimitRule  *rule,
                            const guint8     *key,
                            gint64            now,
                            CmServerDbLimit  *limit,
                            GError          **error)
{
  limit->count++;
  if (limit->count >= rule->max)
    {
      limit->locked_until = now + rule->seconds;
      g_message ("Locked a User ID (limit %d) after %" G_GINT64_FORMAT " events",
                 rule->kind, limit->count);
    }
  limit->updated_at = now;
  return cm_server_db_set_limit (db, rule->kind, key, limit, error);
}

/* Forgets the events and the lock (after a password reset); attempts in flight stay counted. */
gboolean
cm_server_auth_limit_clear (CmServerDb       *db,
                            const CmServerAuthLimitRule  *rule,
                            const guint8     *key,
                            gint64            now,
                            GError          **error)
{
  CmServerDbLimit limit;

  if (!cm_server_auth_limit_load (db, rule, key, now, &limit, NULL, error))
    return FALSE;
  limit.count = limit.locked_until = 0;
  return cm_server_db_set_limit (db, rule->kind, key, &limit, error);
}

/* A password guess (sign-in or password change) is admitted, and counted as pending, in one
 * transaction before any hash starts: no more guesses run at once than the tries left, so
 * parallel requests cannot get more than the limit. A locked User ID is refused (423), one
 * whose tries are all in flight asked to come back shortly (503). Pruning here keeps the
 * table to the User IDs tried in the last hour. */
gboolean
cm_server_auth_guess_admit (CmServerDb    *db,
                            const guint8  *key,
                            gint64         now,
                            GError       **error)
{
  CmServerDbLimit limit;
  GError *refusal = NULL;

  if (!cm_server_db_begin (db, error))
    return FALSE;
  if (!cm_server_db_prune_limits (db, now - CM_SERVER_AUTH_LIMIT_RETAIN_SECONDS, now, error) ||
      !cm_server_auth_limit_load (db, &cm_server_auth_sign_in_rule, key, now, &limit, &refusal,
                                  error))
    goto rollback;
  if (refusal == NULL && limit.count + limit.pending >= cm_server_auth_sign_in_rule.max)
    {
      refusal = cm_error_new (CM_ERROR_UNAVAILABLE, NULL, NULL);
      cm_error_set_retry_after (refusal, CM_SERVER_HASH_RETRY_SECONDS);
    }
  if (refusal != NULL)
    {
      g_propagate_error (error, refusal);
      goto rollback;
    }
  limit.pending++;
  limit.updated_at = now;
  if (!cm_server_db_set_limit (db, cm_server_auth_sign_in_rule.kind, key, &limit, error) ||
      !cm_server_db_commit (db, error))
    goto rollback;
  return TRUE;

rollback:
  cm_server_db_rollback (db);
  return FALSE;
}

/* Ends an admitted guess, inside the caller's transaction. The lock is read again here, so a
 * right password never opens a User ID that was locked meanwhile. @verdict is the answer when
 * it is not a success: 401 with @field, or 423 (the failure that locks says so at once, as
 * MILogin does, so nobody is sent to try a fourth time for nothing). */
gboolean
cm_server_auth_guess_finish (CmServerDb    *db,
                             const guint8  *key,
                             gint64         now,
                             CmServerAuthGuess   outcome,
                             const char    *field,
                             GError       **verdict,
                             GError       **error)
{
  CmServerDbLimit limit;

  if (!cm_server_auth_limit_load (db, &cm_server_auth_sign_in_rule, key, now, &limit,
                                  outcome == GUESS_RIGHT ? verdict : NULL, error))
    return FALSE;
  limit.pending = MAX (0, limit.pending - 1);
  switch (outcome)
    {
    case GUESS_WRONG:
      if (!cm_server_auth_limit_count (db, &cm_server_auth_sign_in_rule, key, now, &limit, error))
        return FALSE;
      if (limit.locked_until > now)
        {
          *verdict = cm_error_new (CM_ERROR_ACCOUNT_LOCKED, NULL, NULL);
          cm_error_set_retry_after (*verdict, limit.locked_until - now);
        }
      else
        {
          *verdict = cm_error_new (CM_ERROR_INVALID_CREDENTIALS, field, NULL);
        }
      return TRUE;
    case GUESS_RIGHT:
      if (*verdict == NULL)
        limit.count = 0;
      break;
    case GUESS_NOT_RUN:
    default:
      break;
    }
  limit.updated_at = now;
  return cm_server_db_set_limit (db, cm_server_auth_sign_in_rule.kind, key, &limit, error);
}

/* ---- The current password asked again (password change, profile, recovery options) ---- */

typedef struct
{
  CmServerRequest           *request;  /* (owned) */
  guint8                     key[CM_SERVER_DB_DIGEST_BYTES];
  CmServerAuthVerifiedFunc   verified;
  gpointer                   data;
  GDestroyNotify             data_free;
} CurrentPassword;

static void
current_password_free (CurrentPassword *check)
{
  cm_server_request_unref (check->request);
  if (check->data_free != NULL && check->data != NULL)
    check->data_free (check->data);
  g_free (check);
}

static void
current_password_verified_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  CurrentPassword *check = user_data;
  CmServerRequest *request = check->request;
  CmServerDb *db = cm_server_get_db (request->server);
  g_autoptr(GError) hash_error = NULL;
  g_autoptr(GError) verdict = NULL;
  g_autoptr(GError) error = NULL;
  CmServerAuthGuess outcome;
  gboolean ok;

  ok = cm_server_hash_verify_finish (CM_SERVER_HASH (source), result, &hash_error);
  outcome = hash_error != NULL ? GUESS_NOT_RUN : ok ? GUESS_RIGHT : GUESS_WRONG;
  if (!cm_server_db_begin (db, &error))
    goto fail;
  if (!cm_server_auth_guess_finish (db, check->key, cm_server_now (request->server), outcome,
                                    CM_MEMBER_CURRENT_PASSWORD, &verdict, &error) ||
      !cm_server_db_commit (db, &error))
    {
      cm_server_db_rollback (db);
      goto fail;
    }
  if (hash_error != NULL || verdict != NULL)
    {
      cm_server_request_fail (request, hash_error != NULL ? hash_error : verdict);
      current_password_free (check);
      return;
    }
  check->verified (request, g_steal_pointer (&check->data));
  current_password_free (check);
  return;

fail:
  cm_server_request_fail (request, error);
  current_password_free (check);
}

/* A guess at the current password counts toward the sign-in lock like a sign-in, admitted
 * before its hash like one, so parallel guesses get no more tries than sign-in gives. */
void
cm_server_auth_verify_current_password (CmServerRequest          *request,
                                        const CmServerDbUser     *user,
                                        const char               *current_password,
                                        CmServerAuthVerifiedFunc  verified,
                                        gpointer                  data,
                                        GDestroyNotify            data_free)
{
  CmServerDb *db = cm_server_get_db (request->server);
  CurrentPassword *check = g_new0 (CurrentPassword, 1);
  g_autoptr(GError) error = NULL;

  check->request = cm_server_request_ref (request);
  check->verified = verified;
  check->data = data;
  check->data_free = data_free;
  cm_server_auth_user_id_key (request->server, user->user_id, check->key);
  if (!cm_server_auth_guess_admit (db, check->key, cm_server_now (request->server), &error))
    {
      cm_server_request_fail (request, error);
      current_password_free (check);
      return;
    }
  if (!request->paused)
    cm_server_request_pause (request);
  cm_server_hash_verify_async (cm_server_get_hash (request->server), user->password_hash,
                               current_password, current_password_verified_cb, check);
}

/* The State's rules through cm-validate, then zxcvbn for what they let through. */
gboolean
cm_server_auth_check_password (const char  *password,
                               const char  *user_id,
                               const char  *first_name,
                               const char  *last_name,
                               const char  *field,
                               GError     **error)
{
  g_autoptr(GError) local = NULL;
  const char *dict[4] = { user_id, last_name, first_name, NULL };
  double entropy;

  if (first_name == NULL || first_name[0] == '\0')
    dict[2] = NULL;
  cm_validate_password (password, user_id, last_name, &local);
  entropy = ZxcvbnMatch (password, dict, NULL);
  if (entropy < CM_SERVER_MIN_PASSWORD_ENTROPY)
    {
      if (local == NULL)
        local = cm_error_new (CM_ERROR_WEAK_PASSWORD, field, NULL);
      if (!cm_error_has_detail (local, "common_password"))
        cm_error_add_detail (local, "common_password");
    }
  if (local != NULL)
    {
      if (local->domain == CM_ERROR && local->code == CM_ERROR_WEAK_PASSWORD)
        cm_error_set_field (local, field);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static char *
new_token (void)
{
  guint8 random[32];
  char text[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (random, sizeof random);
  sodium_bin2base64 (text, sizeof text, random, sizeof random,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (random, sizeof random);
  return g_strdup (text);
}

/* ---- Authentication of a request ---- */

gboolean
cm_server_auth_authenticate (CmServerRequest  *request,
                             GError          **error)
{
  CmServerDb *db = cm_server_get_db (request->server);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *value = soup_message_headers_get_one (headers, CM_HEADER_AUTHORIZATION);
  g_autoptr(GError) local = NULL;
  CmServerDbSession session = { 0 };
  guint8 digest[CM_SERVER_DB_DIGEST_BYTES];
  gint64 now = cm_server_now (request->server);
  const char *token;

  if (value == NULL || g_ascii_strncasecmp (value, CM_BEARER_PREFIX,
                                            strlen (CM_BEARER_PREFIX)) != 0)
    goto expired;
  token = value + strlen (CM_BEARER_PREFIX);
  if (token[0] == '\0' || strlen (token) > 128)
    goto expired;

  cm_server_hash_digest (token, digest);
  if (!cm_server_db_get_session (db, digest, &session, &local))
    {
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      goto expired;
    }
  if (session.revoked || now >= session.absolute_expires_at ||
      now >= session.last_used_at + session.idle_seconds)
    goto expired;

  if (now - session.last_used_at >= CM_SERVER_SESSION_TOUCH_SECONDS)
    {
      /* When the storage cannot take writes (disk full, read-only), reads still work: the
       * idle clock then just starts from the last write that did. */
      if (cm_server_db_touch_session (db, session.id, now, &local))
        session.last_used_at = now;
      else if (local->domain == CM_SERVER_STORAGE_ERROR)
        g_debug ("Session not touched: %s", local->message);
      else
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_clear_error (&local);
    }

  request->user = session.user;
  request->session = session.id;
  request->session_expires_at = MIN (session.last_used_at + session.idle_seconds,
                                     session.absolute_expires_at);
  return TRUE;

expired:
  g_propagate_error (error, cm_error_new (CM_ERROR_SESSION_EXPIRED, NULL, NULL));
  return FALSE;
}

/* ---- GET challenge ---- */

void
cm_server_auth_challenge (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *question = NULL;
  g_autofree char *joined = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const CmChallengeWords *list;
  const char *words[CM_CHALLENGE_N_WORDS];
  char letter[CM_CHALLENGE_LETTER_SIZE];
  const char *answer;
  guint8 random[16];
  char id[33];

  /* Four different words in the person's language and a letter that only one of them holds.
   * The question itself is in the server's language: gettext has one per process. */
  list = cm_challenge_words_for_accept_language (soup_message_headers_get_list (headers,
                                                                                "Accept-Language"));
  answer = cm_challenge_words_pick (list, words, letter);

  randombytes_buf (random, sizeof random);
  sodium_bin2hex (id, sizeof id, random, sizeof random);
  if (!cm_server_db_insert_challenge (db, id, answer,
                                      cm_server_now (request->server) + CM_SERVER_CHALLENGE_SECONDS,
                                      &error))
    {
      cm_server_request_fail (request, error);
      return;
    }

  joined = g_strdup_printf ("%s, %s, %s, %s", words[0], words[1], words[2], words[3]);
  /* Translators: the verification question of the sign-up form; the first placeholder
   * is a list of four words, the second a letter. */
  question = g_strdup_printf (_("Which word from list “%s” contains the letter “%s”?"),
                              joined, letter);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_CHALLENGE_ID);
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, CM_MEMBER_QUESTION);
  json_builder_add_string_value (builder, question);
  json_builder_set_member_name (builder, CM_MEMBER_WORDS);
  json_builder_begin_array (builder);
  for (guint i = 0; i < CM_CHALLENGE_N_WORDS; i++)
    json_builder_add_string_value (builder, words[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, CM_MEMBER_LETTER);
  json_builder_add_string_value (builder, letter);
  json_builder_end_object (builder);
  cm_server_request_reply (request, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* ---- GET user-ids/{user_id} ---- */

void
cm_server_auth_user_id (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  gboolean exists = FALSE;

  if (!cm_validate_user_id_format (request->params[0], &normalized, &error))
    {
      cm_server_request_fail (request, error);
      return;
    }
  if (normalized == NULL)
    normalized = g_strdup (request->params[0]);
  if (!cm_server_db_user_exists (db, normalized, &exists, &error))
    {
      cm_server_request_fail (request, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_USER_ID);
  json_builder_add_string_value (builder, normalized);
  json_builder_set_member_name (builder, CM_MEMBER_AVAILABLE);
  json_builder_add_boolean_value (builder, !exists);
  json_builder_end_object (builder);
  cm_server_request_reply (request, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* ---- POST sessions ---- */

typedef struct
{
  CmServerRequest *request;  /* (owned) */
  CmServerDbUser  *user;     /* (owned) (nullable) */
  guint8           key[CM_SERVER_DB_DIGEST_BYTES];  /* whose attempt limit counts this */
  gboolean         remember;
} SignIn;

static void
sign_in_free (SignIn *data)
{
  cm_server_request_unref (data->request);
  cm_server_db_user_free (data->user);
  g_free (data);
}

static void
sign_in_verified_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SignIn *data = user_data;
  CmServerRequest *request = data->request;
  CmServerDb *db = cm_server_get_db (request->server);
  gint64 now = cm_server_now (request->server);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) hash_error = NULL;
  g_autoptr(GError) verdict = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expires = NULL;
  guint8 digest[CM_SERVER_DB_DIGEST_BYTES];
  gint64 idle, absolute;
  CmServerAuthGuess outcome;
  gboolean ok;

  ok = cm_server_hash_verify_finish (CM_SERVER_HASH (source), result, &hash_error);
  if (hash_error != NULL)
    outcome = GUESS_NOT_RUN;
  else
    outcome = ok && data->user != NULL ? GUESS_RIGHT : GUESS_WRONG;

  idle = data->remember ? CM_SERVER_SESSION_REMEMBER_IDLE : CM_SERVER_SESSION_IDLE;
  absolute = now + (data->remember ? CM_SERVER_SESSION_REMEMBER_ABSOLUTE
                                   : CM_SERVER_SESSION_ABSOLUTE);

  /* The attempt ends, and the session is made, in one transaction with the lock read again. */
  if (!cm_server_db_begin (db, &error))
    goto fail;
  if (!cm_server_auth_guess_finish (db, data->key, now, outcome, NULL, &verdict, &error))
    goto rollback;
  if (hash_error == NULL && verdict == NULL)
    {
      token = new_token ();
      cm_server_hash_digest (token, digest);
      if (!cm_server_db_insert_session (db, digest, data->user->id, now, idle, absolute, &error))
        goto rollback;
    }
  if (!cm_server_db_commit (db, &error))
    goto rollback;

  if (hash_error != NULL || verdict != NULL)
    {
      cm_server_request_fail (request, hash_error != NULL ? hash_error : verdict);
      sign_in_free (data);
      return;
    }

  expires = cm_server_format_time (MIN (now + idle, absolute));
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_TOKEN);
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, CM_MEMBER_EXPIRES_AT);
  json_builder_add_string_value (builder, expires);
  json_builder_set_member_name (builder, CM_MEMBER_USER);
  json_builder_add_value (builder, user_json (data->user));
  json_builder_end_object (builder);
  sodium_memzero (token, strlen (token));
  cm_server_request_reply (request, SOUP_STATUS_CREATED, json_builder_get_root (builder));
  sign_in_free (data);
  return;

rollback:
  cm_server_db_rollback (db);
fail:
  if (token != NULL)
    sodium_memzero (token, strlen (token));
  cm_server_request_fail (request, error);
  sign_in_free (data);
}

void
cm_server_auth_sign_in (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  const char *user_id = NULL, *password = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  gboolean remember = FALSE;
  SignIn *data;

  if (!cm_json_get_string (request->body, CM_MEMBER_USER_ID, TRUE, &user_id, &error) ||
      !cm_json_get_string (request->body, CM_MEMBER_PASSWORD, TRUE, &password, &error) ||
      !cm_json_get_boolean (request->body, CM_MEMBER_REMEMBER, FALSE, &remember, &error))
    {
      cm_server_request_fail (request, error);
      return;
    }

  /* Nobody has a User ID that long: the answer of a wrong password, and nothing stored. */
  canonical = cm_server_auth_canonical_user_id (user_id);
  if (canonical == NULL)
    {
      cm_server_auth_reply_code (request, CM_ERROR_INVALID_CREDENTIALS, NULL);
      return;
    }

  data = g_new0 (SignIn, 1);
  data->request = cm_server_request_ref (request);
  data->remember = remember;
  cm_server_auth_user_id_key (request->server, canonical, data->key);

  data->user = cm_server_db_get_user (db, canonical, &error);
  if (error != NULL ||
      !cm_server_auth_guess_admit (db, data->key, cm_server_now (request->server), &error))
    {
      cm_server_request_fail (request, error);
      sign_in_free (data);
      return;
    }

  /* Known or not, the same Argon2id work happens (a dummy hash for strangers). */
  cm_server_request_pause (request);
  cm_server_hash_verify_async (cm_server_get_hash (request->server),
                               data->user != NULL ? data->user->password_hash : NULL,
                               password, sign_in_verified_cb, data);
}

/* ---- sessions/current ---- */

CmServerDbUser *
cm_server_auth_signed_in_user (CmServerRequest *request)
{
  g_autoptr(GError) error = NULL;
  CmServerDbUser *user;

  user = cm_server_db_get_user_by_id (cm_server_get_db (request->server), request->user, &error);
  if (user == NULL)
    {
      if (error == NULL)
        error = cm_error_new (CM_ERROR_SESSION_EXPIRED, NULL, NULL);
      cm_server_request_fail (request, error);
    }
  return user;
}

void
cm_server_auth_session (CmServerRequest *request)
{
  g_autoptr(CmServerDbUser) user = cm_server_auth_signed_in_user (request);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *expires = NULL;

  if (user == NULL)
    return;

  expires = cm_server_format_time (request->session_expires_at);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_USER);
  json_builder_add_value (builder, user_json (user));
  json_builder_set_member_name (builder, CM_MEMBER_EXPIRES_AT);
  json_builder_add_string_value (builder, expires);
  json_builder_end_object (builder);
  cm_server_request_reply (request, SOUP_STATUS_OK, json_builder_get_root (builder));
}

void
cm_server_auth_sign_out (CmServerRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!cm_server_db_revoke_session (cm_server_get_db (request->server), request->session,
                                    cm_server_now (request->server), &error))
    {
      cm_server_request_fail (request, error);
      return;
    }
  cm_server_request_reply (request, SOUP_STATUS_NO_CONTENT, NULL);
}

