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

/* The key for sign-in failures: the canonical User ID when it has the right shape, so that
 * "SmithJ9999" and "smithj9999" share one count, whether or not the user exists. */
static char *
user_id_key (const char *user_id)
{
  char *normalized = NULL;

  if (cm_validate_user_id_format (user_id, &normalized, NULL) && normalized != NULL)
    return normalized;
  g_free (normalized);
  return g_utf8_strdown (user_id, -1);
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

static gboolean
read_recovery (JsonObject  *recovery,
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
      /* Salted with the User ID so equal answers of two users differ. */
      keyed = g_strconcat (user_id, "\n", normalized, NULL);
      cm_server_hash_digest (keyed, digest);
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
  if (!read_recovery (recovery, user_id_normalized, data->user->mobile_phone, data, &error))
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
  char            *key;      /* the User ID the failures count against */
  gboolean         remember;
} SignIn;

static void
sign_in_free (SignIn *data)
{
  cm_server_request_unref (data->request);
  cm_server_db_user_free (data->user);
  g_free (data->key);
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
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expires = NULL;
  guint8 digest[CM_SERVER_DB_DIGEST_BYTES];
  gint64 failures, locked_until, idle, absolute;
  gboolean ok;

  ok = cm_server_hash_verify_finish (CM_SERVER_HASH (source), result, &error);
  if (error != NULL)
    goto fail;

  if (!ok || data->user == NULL)
    {
      if (!cm_server_db_get_sign_in_lock (db, data->key, &failures, &locked_until, &error))
        goto fail;
      if (locked_until != 0 && locked_until <= now)
        failures = 0;
      failures++;
      locked_until = failures >= CM_SERVER_SIGN_IN_MAX_FAILURES
                     ? now + CM_SERVER_SIGN_IN_LOCK_SECONDS : 0;
      if (!cm_server_db_set_sign_in_lock (db, data->key, failures, locked_until, &error))
        goto fail;
      if (locked_until != 0)
        {
          g_autoptr(GError) locked = cm_error_new (CM_ERROR_ACCOUNT_LOCKED, NULL, NULL);

          /* The attempt that locks says so at once, as MILogin does, so the user is not
           * sent to try a fourth time for nothing. Unknown User IDs lock the same way. */
          g_message ("Sign-in locked for a User ID after %" G_GINT64_FORMAT " failures", failures);
          cm_error_set_retry_after (locked, locked_until - now);
          cm_server_request_reply_error (request, locked);
        }
      else
        {
          reply_code (request, CM_ERROR_INVALID_CREDENTIALS, NULL);
        }
      sign_in_free (data);
      return;
    }

  idle = data->remember ? CM_SERVER_SESSION_REMEMBER_IDLE : CM_SERVER_SESSION_IDLE;
  absolute = now + (data->remember ? CM_SERVER_SESSION_REMEMBER_ABSOLUTE
                                   : CM_SERVER_SESSION_ABSOLUTE);
  token = new_token ();
  cm_server_hash_digest (token, digest);

  if (!cm_server_db_begin (db, &error))
    goto fail;
  if (!cm_server_db_clear_sign_in_lock (db, data->key, &error) ||
      !cm_server_db_insert_session (db, digest, data->user->id, now, idle, absolute, &error) ||
      !cm_server_db_commit (db, &error))
    {
      cm_server_db_rollback (db);
      goto fail;
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

fail:
  cm_server_request_fail (request, error);
  sign_in_free (data);
}

void
cm_server_auth_sign_in (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  const char *user_id = NULL, *password = NULL;
  g_autoptr(GError) error = NULL;
  gboolean remember = FALSE;
  gint64 failures, locked_until;
  gint64 now = cm_server_now (request->server);
  SignIn *data;

  if (!cm_json_get_string (request->body, CM_MEMBER_USER_ID, TRUE, &user_id, &error) ||
      !cm_json_get_string (request->body, CM_MEMBER_PASSWORD, TRUE, &password, &error) ||
      !cm_json_get_boolean (request->body, CM_MEMBER_REMEMBER, FALSE, &remember, &error))
    {
      cm_server_request_fail (request, error);
      return;
    }

  data = g_new0 (SignIn, 1);
  data->request = cm_server_request_ref (request);
  data->remember = remember;
  data->key = user_id_key (user_id);

  if (!cm_server_db_get_sign_in_lock (db, data->key, &failures, &locked_until, &error))
    goto fail;
  if (locked_until > now)
    {
      g_autoptr(GError) locked = cm_error_new (CM_ERROR_ACCOUNT_LOCKED, NULL, NULL);

      cm_error_set_retry_after (locked, locked_until - now);
      cm_server_request_reply_error (request, locked);
      sign_in_free (data);
      return;
    }

  data->user = cm_server_db_get_user (db, data->key, &error);
  if (error != NULL)
    goto fail;

  /* Known or not, the same Argon2id work happens (a dummy hash for strangers). */
  cm_server_request_pause (request);
  cm_server_hash_verify_async (cm_server_get_hash (request->server),
                               data->user != NULL ? data->user->password_hash : NULL,
                               password, sign_in_verified_cb, data);
  return;

fail:
  cm_server_request_fail (request, error);
  sign_in_free (data);
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
} PasswordChange;

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
  /* A new password ends every other session; a reset ends them all and the lockout. */
  if (!cm_server_db_set_password (db, data->user->id, hash, now, &error) ||
      !cm_server_db_revoke_user_sessions (db, data->user->id, data->reset ? 0 : request->session,
                                          now, &error) ||
      (data->reset != 0 && !cm_server_db_clear_sign_in_lock (db, data->user->user_id, &error)) ||
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
  g_autoptr(GError) error = NULL;

  if (!cm_server_hash_verify_finish (CM_SERVER_HASH (source), result, &error))
    {
      if (error == NULL)
        error = cm_error_new (CM_ERROR_INVALID_CREDENTIALS, CM_MEMBER_CURRENT_PASSWORD, NULL);
      cm_server_request_fail (data->request, error);
      password_change_free (data);
      return;
    }
  replace_password (data);
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

  data = g_new0 (PasswordChange, 1);
  data->request = cm_server_request_ref (request);
  data->new_password = g_strdup (new_password);
  data->user = g_steal_pointer (&user);
  cm_server_request_pause (request);
  cm_server_hash_verify_async (cm_server_get_hash (request->server), data->user->password_hash,
                               current, current_password_verified_cb, data);
  return;

fail:
  cm_server_request_fail (request, error);
}

/* ---- POST password-resets ---- */

void
cm_server_auth_reset_password (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  CmOutbox *outbox = cm_server_get_outbox (request->server);
  const char *user_id = NULL, *method = NULL;
  g_autoptr(CmServerDbUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  guint8 digest[CM_SERVER_DB_DIGEST_BYTES];
  gint64 now = cm_server_now (request->server);
  gboolean by_text;
  char pin[8];

  if (!cm_json_get_string (request->body, CM_MEMBER_USER_ID, TRUE, &user_id, &error) ||
      !cm_json_get_string (request->body, CM_MEMBER_METHOD, TRUE, &method, &error))
    goto fail;
  if (strcmp (method, CM_RESET_METHOD_EMAIL) != 0 && strcmp (method, CM_RESET_METHOD_TEXT) != 0)
    {
      error = cm_error_new (CM_ERROR_INVALID_FIELD, CM_MEMBER_METHOD, NULL);
      goto fail;
    }
  by_text = strcmp (method, CM_RESET_METHOD_TEXT) == 0;

  key = user_id_key (user_id);
  user = cm_server_db_get_user (db, key, &error);
  if (error != NULL)
    goto fail;
  /* Unknown user, or no mobile number for a text: the same 202, nothing sent. */
  if (user == NULL || (by_text && user->mobile_phone[0] == '\0'))
    {
      cm_server_request_reply (request, SOUP_STATUS_ACCEPTED, NULL);
      return;
    }

  g_snprintf (pin, sizeof pin, "%06u", randombytes_uniform (1000000));
  cm_server_hash_digest (pin, digest);
  /* Translators: the text of a password-reset message; %s is a six-digit PIN. */
  body = g_strdup_printf (_("Your MILogin password reset PIN is %s. It expires in 15 minutes. "
                            "If you did not ask for it, ignore this message."), pin);

  if (!cm_server_db_begin (db, &error))
    goto fail;
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
  cm_server_request_fail (request, error);
}

/* ---- POST password-resets/confirm ---- */

void
cm_server_auth_confirm_reset (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  const char *user_id = NULL, *pin = NULL, *new_password = NULL, *confirm = NULL;
  g_autoptr(CmServerDbUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  guint8 digest[CM_SERVER_DB_DIGEST_BYTES];
  CmServerDbReset reset = { 0 };
  gint64 now = cm_server_now (request->server);
  PasswordChange *data;
  gboolean pin_ok;

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

  pin_ok = strlen (pin) == 6 && strspn (pin, "0123456789") == 6;
  key = user_id_key (user_id);
  user = cm_server_db_get_user (db, key, &error);
  if (error != NULL)
    goto fail;
  if (user == NULL || !pin_ok)
    goto invalid;
  if (!cm_server_db_get_reset (db, user->id, &reset, &error))
    {
      if (error != NULL)
        goto fail;
      goto invalid;
    }
  if (reset.attempts >= CM_SERVER_RESET_MAX_ATTEMPTS)
    {
      error = cm_error_new (CM_ERROR_ACCOUNT_LOCKED, CM_MEMBER_PIN, NULL);
      cm_error_set_retry_after (error, MAX (1, reset.expires_at - now));
      goto fail;
    }
  if (reset.expires_at <= now)
    {
      error = cm_error_new (CM_ERROR_CODE_EXPIRED, CM_MEMBER_PIN, NULL);
      goto fail;
    }
  cm_server_hash_digest (pin, digest);
  if (sodium_memcmp (digest, reset.pin_hash, sizeof digest) != 0)
    {
      if (!cm_server_db_count_reset_attempt (db, reset.id, &error))
        goto fail;
      goto invalid;
    }

  if (!check_password (new_password, user->user_id, user->first_name, user->last_name,
                       CM_MEMBER_NEW_PASSWORD, &error))
    goto fail;

  data = g_new0 (PasswordChange, 1);
  data->request = cm_server_request_ref (request);
  data->new_password = g_strdup (new_password);
  data->user = g_steal_pointer (&user);
  data->reset = reset.id;
  replace_password (data);
  return;

invalid:
  error = cm_error_new (CM_ERROR_INVALID_CODE, CM_MEMBER_PIN, NULL);
fail:
  cm_server_request_fail (request, error);
}
