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
#include "cm-server-private.h"
#include "cm-validate.h"

#define MAX_RECOVERY_QUESTIONS 5
#define MAX_RECOVERY_TEXT 256

/* ---- Shared helpers ---- */

static void
reply_code (CmServerRequest *request,
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
static char *
canonical_user_id (const char *user_id)
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
static void
user_id_key (CmServer   *server,
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

typedef struct
{
  CmServerDbLimitKind kind;
  gint64              max;      /* events that lock */
  gint64              seconds;  /* how long a lock lasts, and how long an event counts */
  CmError             locked;   /* the answer while locked */
  const char         *field;
} LimitRule;

static const LimitRule sign_in_rule = {
  CM_SERVER_DB_LIMIT_SIGN_IN, CM_SERVER_SIGN_IN_MAX_FAILURES, CM_SERVER_SIGN_IN_LOCK_SECONDS,
  CM_ERROR_ACCOUNT_LOCKED, NULL
};
static const LimitRule reset_pin_rule = {
  CM_SERVER_DB_LIMIT_RESET_PIN, CM_SERVER_RESET_PIN_MAX_FAILURES,
  CM_SERVER_RESET_PIN_LOCK_SECONDS, CM_ERROR_ACCOUNT_LOCKED, CM_MEMBER_PIN
};
static const LimitRule reset_request_rule = {
  CM_SERVER_DB_LIMIT_RESET_REQUEST, CM_SERVER_RESET_MAX_REQUESTS,
  CM_SERVER_RESET_REQUEST_SECONDS, CM_ERROR_RATE_LIMITED, NULL
};

/* No row is of use after the longest period: they are pruned then. */
#define LIMIT_RETAIN_SECONDS MAX (CM_SERVER_SIGN_IN_LOCK_SECONDS, \
                                  MAX (CM_SERVER_RESET_PIN_LOCK_SECONDS, \
                                       CM_SERVER_RESET_REQUEST_SECONDS))

/* Reads a row and forgets what no longer counts: an expired lock with the events before it,
 * events older than the period, and attempts left pending by a process that died, so that no
 * crash can lock anybody for good. Then @refusal is set when the row is locked. */
static gboolean
limit_load (CmServerDb       *db,
            const LimitRule  *rule,
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
static gboolean
limit_count (CmServerDb       *db,
             const LimitRule  *rule,
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
static gboolean
limit_clear (CmServerDb       *db,
             const LimitRule  *rule,
             const guint8     *key,
             gint64            now,
             GError          **error)
{
  CmServerDbLimit limit;

  if (!limit_load (db, rule, key, now, &limit, NULL, error))
    return FALSE;
  limit.count = limit.locked_until = 0;
  return cm_server_db_set_limit (db, rule->kind, key, &limit, error);
}

/* A password guess (sign-in or password change) is admitted, and counted as pending, in one
 * transaction before any hash starts: no more guesses run at once than the tries left, so
 * parallel requests cannot get more than the limit. A locked User ID is refused (423), one
 * whose tries are all in flight asked to come back shortly (503). Pruning here keeps the
 * table to the User IDs tried in the last hour. */
static gboolean
guess_admit (CmServerDb    *db,
             const guint8  *key,
             gint64         now,
             GError       **error)
{
  CmServerDbLimit limit;
  GError *refusal = NULL;

  if (!cm_server_db_begin (db, error))
    return FALSE;
  if (!cm_server_db_prune_limits (db, now - LIMIT_RETAIN_SECONDS, now, error) ||
      !limit_load (db, &sign_in_rule, key, now, &limit, &refusal, error))
    goto rollback;
  if (refusal == NULL && limit.count + limit.pending >= sign_in_rule.max)
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
  if (!cm_server_db_set_limit (db, sign_in_rule.kind, key, &limit, error) ||
      !cm_server_db_commit (db, error))
    goto rollback;
  return TRUE;

rollback:
  cm_server_db_rollback (db);
  return FALSE;
}

typedef enum
{
  GUESS_NOT_RUN,   /* the hash failed or was refused: only the pending attempt goes */
  GUESS_WRONG,
  GUESS_RIGHT,
} GuessOutcome;

/* Ends an admitted guess, inside the caller's transaction. The lock is read again here, so a
 * right password never opens a User ID that was locked meanwhile. @verdict is the answer when
 * it is not a success: 401 with @field, or 423 (the failure that locks says so at once, as
 * MILogin does, so nobody is sent to try a fourth time for nothing). */
static gboolean
guess_finish (CmServerDb    *db,
              const guint8  *key,
              gint64         now,
              GuessOutcome   outcome,
              const char    *field,
              GError       **verdict,
              GError       **error)
{
  CmServerDbLimit limit;

  if (!limit_load (db, &sign_in_rule, key, now, &limit, outcome == GUESS_RIGHT ? verdict : NULL,
                   error))
    return FALSE;
  limit.pending = MAX (0, limit.pending - 1);
  switch (outcome)
    {
    case GUESS_WRONG:
      if (!limit_count (db, &sign_in_rule, key, now, &limit, error))
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
  return cm_server_db_set_limit (db, sign_in_rule.kind, key, &limit, error);
}

/* The State's rules through cm-validate, then zxcvbn for what they let through. */
static gboolean
check_password (const char  *password,
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

/* ---- POST users ---- */

typedef struct
{
  CmServerRequest *request;     /* (owned) */
  CmServerDbUser  *user;        /* (owned) */
  char            *challenge_id;
  GPtrArray       *questions;   /* (owned) question, digest pairs as GBytes */
} SignUp;

static void
sign_up_free (SignUp *data)
{
  cm_server_request_unref (data->request);
  cm_server_db_user_free (data->user);
  g_free (data->challenge_id);
  g_clear_pointer (&data->questions, g_ptr_array_unref);
  g_free (data);
}

static void
sign_up_hashed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SignUp *data = user_data;
  CmServerRequest *request = data->request;
  CmServerDb *db = cm_server_get_db (request->server);
  gint64 now = cm_server_now (request->server);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  gint64 id;

  data->user->password_hash = cm_server_hash_password_finish (CM_SERVER_HASH (source), result,
                                                              &error);
  if (data->user->password_hash == NULL)
    goto fail;

  if (!cm_server_db_begin (db, &error))
    goto fail;
  /* The challenge is spent in the same transaction that creates the user. */
  if (!cm_server_db_take_challenge (db, data->challenge_id, now, &answer, &error))
    goto rollback;
  if (answer == NULL)
    {
      error = cm_error_new (CM_ERROR_CHALLENGE_FAILED, CM_MEMBER_CHALLENGE, NULL);
      goto rollback;
    }
  if (!cm_server_db_insert_user (db, data->user, now, &id, &error))
    goto rollback;
  for (guint i = 0; i + 1 < data->questions->len; i += 2)
    {
      if (!cm_server_db_insert_recovery_question (db, id,
                                                  g_bytes_get_data (data->questions->pdata[i],
                                                                    NULL),
                                                  g_bytes_get_data (data->questions->pdata[i + 1],
                                                                    NULL),
                                                  &error))
        goto rollback;
    }
  if (!cm_server_db_commit (db, &error))
    goto rollback;

  g_message ("New user %s", data->user->user_id);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_USER_ID);
  json_builder_add_string_value (builder, data->user->user_id);
  json_builder_end_object (builder);
  cm_server_request_reply (request, SOUP_STATUS_CREATED, json_builder_get_root (builder));
  sign_up_free (data);
  return;

rollback:
  cm_server_db_rollback (db);
fail:
  cm_server_request_fail (request, error);
  sign_up_free (data);
}

/* The old digest of a security answer (salted with the User ID so equal answers of two users
 * differ) under the server's key. Answers stored before the key existed hold the inner
 * digest, and get the outer one at start (cm_server_auth_rekey_answers()). */
static void
key_answer_digest (guint8   *digest,
                   gpointer  hash)
{
  guint8 keyed[CM_SERVER_DB_DIGEST_BYTES];

  cm_server_hash_keyed_digest (hash, CM_SERVER_HASH_PURPOSE_RECOVERY_ANSWER, digest,
                               CM_SERVER_DB_DIGEST_BYTES, keyed);
  memcpy (digest, keyed, sizeof keyed);
}

gboolean
cm_server_auth_rekey_answers (CmServerDb    *db,
                              CmServerHash  *hash,
                              GError       **error)
{
  guint n = 0;

  if (!cm_server_db_begin (db, error))
    return FALSE;
  if (!cm_server_db_rekey_answers (db, key_answer_digest, hash, &n, error) ||
      !cm_server_db_commit (db, error))
    {
      cm_server_db_rollback (db);
      return FALSE;
    }
  if (n > 0)
    g_message ("Security answers now under the server's key: %u", n);
  return TRUE;
}

static gboolean
read_recovery (CmServerHash *hash,
               JsonObject  *recovery,
               const char  *user_id,
               const char  *mobile_phone,
               SignUp      *data,
               GError     **error)
{
  JsonArray *questions = NULL;

  if (recovery == NULL)
    return TRUE;
  if (!cm_json_get_boolean (recovery, CM_MEMBER_RECOVERY_EMAIL, FALSE,
                            &data->user->recovery_email, error) ||
      !cm_json_get_boolean (recovery, CM_MEMBER_RECOVERY_TEXT, FALSE,
                            &data->user->recovery_text, error) ||
      !cm_json_get_array (recovery, CM_MEMBER_QUESTIONS, FALSE, &questions, error))
    return FALSE;

  /* A PIN by text needs a number to text it to. */
  if (data->user->recovery_text && (mobile_phone == NULL || mobile_phone[0] == '\0'))
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_MISSING_FIELD, CM_MEMBER_MOBILE_PHONE,
                                              NULL));
      return FALSE;
    }

  if (questions == NULL)
    return TRUE;
  if (json_array_get_length (questions) > MAX_RECOVERY_QUESTIONS)
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_INVALID_FIELD, CM_MEMBER_QUESTIONS, NULL));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (questions); i++)
    {
      JsonNode *node = json_array_get_element (questions, i);
      const char *question = NULL, *answer = NULL;
      g_autofree char *normalized = NULL;
      g_autofree char *keyed = NULL;
      guint8 digest[CM_SERVER_DB_DIGEST_BYTES];

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_propagate_error (error, cm_error_new (CM_ERROR_INVALID_FIELD, CM_MEMBER_QUESTIONS,
                                                  NULL));
          return FALSE;
        }
      if (!cm_json_get_string (json_node_get_object (node), CM_MEMBER_QUESTION, TRUE,
                               &question, error) ||
          !cm_json_get_string (json_node_get_object (node), CM_MEMBER_ANSWER, TRUE,
                               &answer, error))
        return FALSE;
      normalized = g_utf8_casefold (answer, -1);
      g_strstrip (normalized);
      if (question[0] == '\0' || normalized[0] == '\0' ||
          g_utf8_strlen (question, -1) > MAX_RECOVERY_TEXT ||
          g_utf8_strlen (answer, -1) > MAX_RECOVERY_TEXT)
        {
          g_propagate_error (error, cm_error_new (CM_ERROR_INVALID_FIELD, CM_MEMBER_QUESTIONS,
                                                  NULL));
          return FALSE;
        }
      keyed = g_strconcat (user_id, "\n", normalized, NULL);
      cm_server_hash_digest (keyed, digest);
      key_answer_digest (digest, hash);
      sodium_memzero (keyed, strlen (keyed));
      g_ptr_array_add (data->questions, g_bytes_new (question, strlen (question) + 1));
      g_ptr_array_add (data->questions, g_bytes_new (digest, sizeof digest));
    }
  return TRUE;
}

void
cm_server_auth_sign_up (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  JsonObject *body = request->body;
  JsonObject *profile = NULL, *challenge = NULL, *recovery = NULL;
  const char *first_name = NULL, *middle_initial = NULL, *last_name = NULL, *suffix = NULL;
  const char *email = NULL, *email_confirm = NULL, *work_phone = NULL, *mobile_phone = NULL;
  const char *challenge_id = NULL, *answer = NULL;
  const char *user_id = NULL, *password = NULL, *password_confirm = NULL;
  g_autofree char *email_normalized = NULL;
  g_autofree char *work_normalized = NULL;
  g_autofree char *mobile_normalized = NULL;
  g_autofree char *user_id_normalized = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *given = NULL;
  g_autofree char *folded = NULL;
  g_autoptr(GError) error = NULL;
  gboolean terms = FALSE;
  gboolean exists = FALSE;
  SignUp *data;

  if (!cm_json_get_object (body, CM_MEMBER_PROFILE, TRUE, &profile, &error) ||
      !cm_json_get_string (profile, CM_MEMBER_FIRST_NAME, FALSE, &first_name, &error) ||
      !cm_json_get_string (profile, CM_MEMBER_MIDDLE_INITIAL, FALSE, &middle_initial, &error) ||
      !cm_json_get_string (profile, CM_MEMBER_LAST_NAME, TRUE, &last_name, &error) ||
      !cm_json_get_string (profile, CM_MEMBER_SUFFIX, FALSE, &suffix, &error) ||
      !cm_json_get_string (profile, CM_MEMBER_EMAIL, TRUE, &email, &error) ||
      !cm_json_get_string (profile, CM_MEMBER_EMAIL_CONFIRM, TRUE, &email_confirm, &error) ||
      !cm_json_get_string (profile, CM_MEMBER_WORK_PHONE, TRUE, &work_phone, &error) ||
      !cm_json_get_string (profile, CM_MEMBER_MOBILE_PHONE, FALSE, &mobile_phone, &error) ||
      !cm_json_get_object (body, CM_MEMBER_CHALLENGE, TRUE, &challenge, &error) ||
      !cm_json_get_string (challenge, CM_MEMBER_CHALLENGE_ID, TRUE, &challenge_id, &error) ||
      !cm_json_get_string (challenge, CM_MEMBER_ANSWER, TRUE, &answer, &error) ||
      !cm_json_get_boolean (body, CM_MEMBER_TERMS_ACCEPTED, TRUE, &terms, &error) ||
      !cm_json_get_string (body, CM_MEMBER_USER_ID, TRUE, &user_id, &error) ||
      !cm_json_get_string (body, CM_MEMBER_PASSWORD, TRUE, &password, &error) ||
      !cm_json_get_string (body, CM_MEMBER_PASSWORD_CONFIRM, TRUE, &password_confirm, &error) ||
      !cm_json_get_object (body, CM_MEMBER_RECOVERY, FALSE, &recovery, &error))
    goto fail;

  if (!terms)
    {
      reply_code (request, CM_ERROR_TERMS_NOT_ACCEPTED, CM_MEMBER_TERMS_ACCEPTED);
      return;
    }

  if (first_name == NULL)
    first_name = "";
  if (middle_initial == NULL)
    middle_initial = "";
  if (suffix == NULL)
    suffix = "";
  if (mobile_phone == NULL)
    mobile_phone = "";

  if (!cm_validate_first_name (first_name, &error) ||
      !cm_validate_middle_initial (middle_initial, &error) ||
      !cm_validate_last_name (last_name, &error) ||
      !cm_validate_suffix (suffix, &error) ||
      !cm_validate_email (email, &email_normalized, &error) ||
      !cm_validate_email_confirmation (email, email_confirm, &error) ||
      !cm_validate_phone (work_phone, TRUE, CM_MEMBER_WORK_PHONE, &work_normalized, &error) ||
      !cm_validate_phone (mobile_phone, FALSE, CM_MEMBER_MOBILE_PHONE, &mobile_normalized,
                          &error) ||
      !cm_validate_user_id (user_id, first_name, last_name, &user_id_normalized, &error) ||
      !check_password (password, user_id_normalized ? user_id_normalized : user_id, first_name,
                       last_name, CM_MEMBER_PASSWORD, &error) ||
      !cm_validate_password_confirmation (password, password_confirm, &error))
    goto fail;
  if (user_id_normalized == NULL)
    user_id_normalized = g_strdup (user_id);

  /* The challenge is checked now and spent when the user is created, so that a weak
   * password does not cost the person a new question. A wrong answer spends it at once. */
  if (!cm_server_db_peek_challenge (db, challenge_id, cm_server_now (request->server),
                                    &expected, &error))
    goto fail;
  /* The words are lower case and NFC (cm-challenge-words.c). Arabic has no case: NFC is
   * what lets a decomposed alef with hamza match. */
  folded = g_utf8_casefold (answer, -1);
  g_strstrip (folded);
  given = g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
  if (expected == NULL || given == NULL || strcmp (given, expected) != 0)
    {
      g_autofree char *spent = NULL;

      if (expected != NULL &&
          !cm_server_db_take_challenge (db, challenge_id, cm_server_now (request->server),
                                        &spent, &error))
        goto fail;
      reply_code (request, CM_ERROR_CHALLENGE_FAILED, CM_MEMBER_CHALLENGE);
      return;
    }

  if (!cm_server_db_user_exists (db, user_id_normalized, &exists, &error))
    goto fail;
  if (exists)
    {
      reply_code (request, CM_ERROR_USER_ID_TAKEN, CM_MEMBER_USER_ID);
      return;
    }

  data = g_new0 (SignUp, 1);
  data->request = cm_server_request_ref (request);
  data->challenge_id = g_strdup (challenge_id);
  data->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  data->user = g_new0 (CmServerDbUser, 1);
  data->user->user_id = g_strdup (user_id_normalized);
  data->user->first_name = g_strdup (first_name);
  data->user->middle_initial = g_strdup (middle_initial);
  data->user->last_name = g_strdup (last_name);
  data->user->suffix = g_strdup (suffix);
  data->user->email = g_strdup (email_normalized ? email_normalized : email);
  data->user->work_phone = g_strdup (work_normalized ? work_normalized : work_phone);
  data->user->mobile_phone = g_strdup (mobile_normalized ? mobile_normalized : mobile_phone);
  if (!read_recovery (cm_server_get_hash (request->server), recovery, user_id_normalized, data->user->mobile_phone, data, &error))
    {
      sign_up_free (data);
      goto fail;
    }

  cm_server_request_pause (request);
  cm_server_hash_password_async (cm_server_get_hash (request->server), password,
                                 sign_up_hashed_cb, data);
  return;

fail:
  cm_server_request_fail (request, error);
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
  GuessOutcome outcome;
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
  if (!guess_finish (db, data->key, now, outcome, NULL, &verdict, &error))
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
  canonical = canonical_user_id (user_id);
  if (canonical == NULL)
    {
      reply_code (request, CM_ERROR_INVALID_CREDENTIALS, NULL);
      return;
    }

  data = g_new0 (SignIn, 1);
  data->request = cm_server_request_ref (request);
  data->remember = remember;
  user_id_key (request->server, canonical, data->key);

  data->user = cm_server_db_get_user (db, canonical, &error);
  if (error != NULL || !guess_admit (db, data->key, cm_server_now (request->server), &error))
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

void
cm_server_auth_session (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  g_autoptr(CmServerDbUser) user = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expires = NULL;

  user = cm_server_db_get_user_by_id (db, request->user, &error);
  if (user == NULL)
    {
      if (error == NULL)
        error = cm_error_new (CM_ERROR_SESSION_EXPIRED, NULL, NULL);
      cm_server_request_fail (request, error);
      return;
    }

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

/* ---- Password change and reset: the common end ---- */

typedef struct
{
  CmServerRequest *request;      /* (owned) */
  CmServerDbUser  *user;         /* (owned) */
  char            *new_password; /* (owned): wiped */
  gint64           reset;        /* the reset being used, or 0 for a change */
  guint8           key[CM_SERVER_DB_DIGEST_BYTES];  /* the user's attempt limits */
} PasswordChange;

static PasswordChange *
password_change_new (CmServerRequest *request,
                     CmServerDbUser  *user,
                     const char      *new_password)
{
  PasswordChange *data = g_new0 (PasswordChange, 1);

  data->request = cm_server_request_ref (request);
  data->new_password = g_strdup (new_password);
  data->user = user;
  user_id_key (request->server, user->user_id, data->key);
  return data;
}

static void
password_change_free (PasswordChange *data)
{
  cm_server_request_unref (data->request);
  cm_server_db_user_free (data->user);
  if (data->new_password != NULL)
    sodium_memzero (data->new_password, strlen (data->new_password));
  g_free (data->new_password);
  g_free (data);
}

static void
password_replaced_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  PasswordChange *data = user_data;
  CmServerRequest *request = data->request;
  CmServerDb *db = cm_server_get_db (request->server);
  gint64 now = cm_server_now (request->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  gboolean used = TRUE;

  hash = cm_server_hash_replace_finish (CM_SERVER_HASH (source), result, &error);
  if (hash == NULL)
    goto fail;

  if (!cm_server_db_begin (db, &error))
    goto fail;
  if (data->reset != 0 && !cm_server_db_use_reset (db, data->reset, now, &used, &error))
    goto rollback;
  if (!used)
    {
      error = cm_error_new (CM_ERROR_CODE_USED, CM_MEMBER_PIN, NULL);
      goto rollback;
    }
  /* A new password ends every other session; a reset ends them all, the sign-in lock and
   * the count of wrong PINs. */
  if (!cm_server_db_set_password (db, data->user->id, hash, now, &error) ||
      !cm_server_db_revoke_user_sessions (db, data->user->id, data->reset ? 0 : request->session,
                                          now, &error) ||
      (data->reset != 0 && (!limit_clear (db, &sign_in_rule, data->key, now, &error) ||
                            !limit_clear (db, &reset_pin_rule, data->key, now, &error))) ||
      !cm_server_db_commit (db, &error))
    goto rollback;

  g_message ("Password changed for %s", data->user->user_id);
  cm_server_request_reply (request, SOUP_STATUS_NO_CONTENT, NULL);
  password_change_free (data);
  return;

rollback:
  cm_server_db_rollback (db);
fail:
  cm_server_request_fail (request, error);
  password_change_free (data);
}

static void
replace_password (PasswordChange *data)
{
  CmServerDb *db = cm_server_get_db (data->request->server);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) history = NULL;

  history = cm_server_db_get_password_history (db, data->user->id, CM_SERVER_PASSWORD_HISTORY,
                                               &error);
  if (history == NULL)
    {
      cm_server_request_fail (data->request, error);
      password_change_free (data);
      return;
    }
  if (!data->request->paused)
    cm_server_request_pause (data->request);
  cm_server_hash_replace_async (cm_server_get_hash (data->request->server),
                                (const char * const *) history, data->new_password,
                                password_replaced_cb, data);
}

/* ---- PUT password ---- */

static void
current_password_verified_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  PasswordChange *data = user_data;
  CmServerDb *db = cm_server_get_db (data->request->server);
  g_autoptr(GError) hash_error = NULL;
  g_autoptr(GError) verdict = NULL;
  g_autoptr(GError) error = NULL;
  GuessOutcome outcome;
  gboolean ok;

  /* A guess at the current password counts toward the sign-in lock like a sign-in. */
  ok = cm_server_hash_verify_finish (CM_SERVER_HASH (source), result, &hash_error);
  outcome = hash_error != NULL ? GUESS_NOT_RUN : ok ? GUESS_RIGHT : GUESS_WRONG;
  if (!cm_server_db_begin (db, &error))
    goto fail;
  if (!guess_finish (db, data->key, cm_server_now (data->request->server), outcome,
                     CM_MEMBER_CURRENT_PASSWORD, &verdict, &error) ||
      !cm_server_db_commit (db, &error))
    {
      cm_server_db_rollback (db);
      goto fail;
    }
  if (hash_error != NULL || verdict != NULL)
    {
      cm_server_request_fail (data->request, hash_error != NULL ? hash_error : verdict);
      password_change_free (data);
      return;
    }
  replace_password (data);
  return;

fail:
  cm_server_request_fail (data->request, error);
  password_change_free (data);
}

void
cm_server_auth_change_password (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  const char *current = NULL, *new_password = NULL, *confirm = NULL;
  g_autoptr(CmServerDbUser) user = NULL;
  g_autoptr(GError) error = NULL;
  PasswordChange *data;

  if (!cm_json_get_string (request->body, CM_MEMBER_CURRENT_PASSWORD, TRUE, &current, &error) ||
      !cm_json_get_string (request->body, CM_MEMBER_NEW_PASSWORD, TRUE, &new_password, &error) ||
      !cm_json_get_string (request->body, CM_MEMBER_NEW_PASSWORD_CONFIRM, TRUE, &confirm,
                           &error))
    goto fail;

  user = cm_server_db_get_user_by_id (db, request->user, &error);
  if (user == NULL)
    {
      if (error == NULL)
        error = cm_error_new (CM_ERROR_SESSION_EXPIRED, NULL, NULL);
      goto fail;
    }
  if (!check_password (new_password, user->user_id, user->first_name, user->last_name,
                       CM_MEMBER_NEW_PASSWORD, &error))
    goto fail;
  if (!cm_validate_password_confirmation (new_password, confirm, &error))
    {
      cm_error_set_field (error, CM_MEMBER_NEW_PASSWORD_CONFIRM);
      goto fail;
    }

  data = password_change_new (request, g_steal_pointer (&user), new_password);
  if (!guess_admit (db, data->key, cm_server_now (request->server), &error))
    {
      password_change_free (data);
      goto fail;
    }
  cm_server_request_pause (request);
  cm_server_hash_verify_async (cm_server_get_hash (request->server), data->user->password_hash,
                               current, current_password_verified_cb, data);
  return;

fail:
  cm_server_request_fail (request, error);
}

/* ---- POST password-resets ---- */

/* Known user, unknown user, or no mobile number for a text: the same work before the same 202
 * (the count, a PIN and its digest, one transaction, one durable message write; for nobody the
 * message is rehearsed rather than sent), so neither the answer nor its time tells who exists.
 * A 202 still means the PIN is on disk. */
void
cm_server_auth_reset_password (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  CmOutbox *outbox = cm_server_get_outbox (request->server);
  const char *user_id = NULL, *method = NULL;
  g_autoptr(CmServerDbUser) user = NULL;
  g_autoptr(GError) refusal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  guint8 key[CM_SERVER_DB_DIGEST_BYTES];
  guint8 digest[CM_SERVER_DB_DIGEST_BYTES];
  gint64 now = cm_server_now (request->server);
  CmServerDbLimit limit;
  gboolean by_text, deliver;
  char pin[8] = { 0 };

  if (!cm_json_get_string (request->body, CM_MEMBER_USER_ID, TRUE, &user_id, &error) ||
      !cm_json_get_string (request->body, CM_MEMBER_METHOD, TRUE, &method, &error))
    goto fail;
  if (strcmp (method, CM_RESET_METHOD_EMAIL) != 0 && strcmp (method, CM_RESET_METHOD_TEXT) != 0)
    {
      error = cm_error_new (CM_ERROR_INVALID_FIELD, CM_MEMBER_METHOD, NULL);
      goto fail;
    }
  by_text = strcmp (method, CM_RESET_METHOD_TEXT) == 0;
  /* Too long to be anybody's: nobody to count nor to hide. */
  canonical = canonical_user_id (user_id);
  if (canonical == NULL)
    {
      cm_server_request_reply (request, SOUP_STATUS_ACCEPTED, NULL);
      return;
    }
  user_id_key (request->server, canonical, key);

  g_snprintf (pin, sizeof pin, "%06u", randombytes_uniform (1000000));
  cm_server_hash_keyed_digest (cm_server_get_hash (request->server),
                               CM_SERVER_HASH_PURPOSE_RESET_PIN, pin, strlen (pin), digest);
  /* Translators: the text of a password-reset message; %s is a six-digit PIN. */
  body = g_strdup_printf (_("Your MILogin password reset PIN is %s. It expires in 15 minutes. "
                            "If you did not ask for it, ignore this message."), pin);

  if (!cm_server_db_begin (db, &error))
    goto fail;
  /* Requests are counted per User ID, known or not, so the limit tells nothing either. */
  if (!cm_server_db_prune_limits (db, now - LIMIT_RETAIN_SECONDS, now, &error) ||
      !limit_load (db, &reset_request_rule, key, now, &limit, &refusal, &error))
    goto rollback;
  if (refusal != NULL)
    {
      error = g_steal_pointer (&refusal);
      goto rollback;
    }
  user = cm_server_db_get_user (db, canonical, &error);
  if (error != NULL || !limit_count (db, &reset_request_rule, key, now, &limit, &error))
    goto rollback;

  deliver = user != NULL && !(by_text && user->mobile_phone[0] == '\0');
  if (!deliver)
    {
      if (!cm_outbox_rehearse (outbox, body, &error))
        goto rollback;
    }
  else
    {
      if (!cm_server_db_insert_reset (db, user->id, digest, now, now + CM_SERVER_RESET_SECONDS,
                                      &error))
        goto rollback;
      if (by_text)
        path = cm_outbox_send_text (outbox, now, user->mobile_phone, body, &error);
      else
        path = cm_outbox_send_email (outbox, now, user->email,
                                     _("Your MILogin password reset PIN"), body, &error);
      if (path == NULL)
        goto rollback;
    }
  if (!cm_server_db_commit (db, &error))
    {
      cm_outbox_withdraw (outbox, path);
      goto rollback;
    }
  sodium_memzero (pin, sizeof pin);
  sodium_memzero (body, strlen (body));
  cm_server_request_reply (request, SOUP_STATUS_ACCEPTED, NULL);
  return;

rollback:
  cm_server_db_rollback (db);
fail:
  sodium_memzero (pin, sizeof pin);
  if (body != NULL)
    sodium_memzero (body, strlen (body));
  cm_server_request_fail (request, error);
}

/* ---- POST password-resets/confirm ---- */

void
cm_server_auth_confirm_reset (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  const char *user_id = NULL, *pin = NULL, *new_password = NULL, *confirm = NULL;
  g_autoptr(CmServerDbUser) user = NULL;
  g_autoptr(GError) refusal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  guint8 key[CM_SERVER_DB_DIGEST_BYTES];
  guint8 digest[CM_SERVER_DB_DIGEST_BYTES];
  CmServerDbReset reset = { 0 };
  CmServerDbLimit limit;
  gint64 now = cm_server_now (request->server);
  PasswordChange *data;
  gboolean right;

  if (!cm_json_get_string (request->body, CM_MEMBER_USER_ID, TRUE, &user_id, &error) ||
      !cm_json_get_string (request->body, CM_MEMBER_PIN, TRUE, &pin, &error) ||
      !cm_json_get_string (request->body, CM_MEMBER_NEW_PASSWORD, TRUE, &new_password, &error) ||
      !cm_json_get_string (request->body, CM_MEMBER_NEW_PASSWORD_CONFIRM, TRUE, &confirm,
                           &error))
    goto fail;
  if (!cm_validate_password_confirmation (new_password, confirm, &error))
    {
      cm_error_set_field (error, CM_MEMBER_NEW_PASSWORD_CONFIRM);
      goto fail;
    }
  canonical = canonical_user_id (user_id);
  if (canonical == NULL)
    goto invalid;
  user_id_key (request->server, canonical, key);
  cm_server_hash_keyed_digest (cm_server_get_hash (request->server),
                               CM_SERVER_HASH_PURPOSE_RESET_PIN, pin, strlen (pin), digest);

  /* Wrong PINs count per User ID, known or not and whatever PIN they were for, in the
   * transaction that compares: asking for a new PIN starts no new count. */
  if (!cm_server_db_begin (db, &error))
    goto fail;
  if (!limit_load (db, &reset_pin_rule, key, now, &limit, &refusal, &error))
    goto rollback;
  if (refusal != NULL)
    {
      error = g_steal_pointer (&refusal);
      goto rollback;
    }
  user = cm_server_db_get_user (db, canonical, &error);
  if (error != NULL)
    goto rollback;
  right = user != NULL && cm_server_db_get_reset (db, user->id, &reset, &error) &&
          strlen (pin) == 6 && strspn (pin, "0123456789") == 6 &&
          sodium_memcmp (digest, reset.pin_hash, sizeof digest) == 0;
  if (error != NULL || (!right && !limit_count (db, &reset_pin_rule, key, now, &limit, &error)) ||
      !cm_server_db_commit (db, &error))
    goto rollback;
  if (!right)
    goto invalid;
  if (reset.expires_at <= now)
    {
      error = cm_error_new (CM_ERROR_CODE_EXPIRED, CM_MEMBER_PIN, NULL);
      goto fail;
    }

  if (!check_password (new_password, user->user_id, user->first_name, user->last_name,
                       CM_MEMBER_NEW_PASSWORD, &error))
    goto fail;

  data = password_change_new (request, g_steal_pointer (&user), new_password);
  data->reset = reset.id;
  replace_password (data);
  return;

rollback:
  cm_server_db_rollback (db);
  goto fail;
invalid:
  error = cm_error_new (CM_ERROR_INVALID_CODE, CM_MEMBER_PIN, NULL);
fail:
  cm_server_request_fail (request, error);
}
