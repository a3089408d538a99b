/* cm-server-signup.c: MILogin sign-up (POST users), its security questions and their keys.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-signup"

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

/* Each {question, answer} of @questions as a question and its keyed answer digest (GBytes)
 * appended to @pairs; the answer counts without case and outer white space. */
/* The app's rule (src/common): each answered, no question twice. Entries of another shape
 * are left to the loop below. */
static gboolean
check_questions (JsonArray  *questions,
                 GError    **error)
{
  guint n = json_array_get_length (questions);
  g_autofree const char **asked = g_new0 (const char *, n + 1);
  g_autofree const char **answers = g_new0 (const char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (questions, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (object == NULL ||
          !cm_json_get_string (object, CM_MEMBER_QUESTION, FALSE, &asked[i], NULL) ||
          !cm_json_get_string (object, CM_MEMBER_ANSWER, FALSE, &answers[i], NULL) ||
          asked[i] == NULL || answers[i] == NULL)
        return TRUE;
    }
  return cm_validate_security_questions (asked, answers, n, error);
}

gboolean
cm_server_auth_digest_questions (CmServerHash  *hash,
                                 JsonArray     *questions,
                                 const char    *user_id,
                                 GPtrArray     *pairs,
                                 GError       **error)
{
  if (json_array_get_length (questions) > MAX_RECOVERY_QUESTIONS)
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_INVALID_FIELD, CM_MEMBER_QUESTIONS, NULL));
      return FALSE;
    }
  if (!check_questions (questions, error))
    return FALSE;
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
      g_ptr_array_add (pairs, g_bytes_new (question, strlen (question) + 1));
      g_ptr_array_add (pairs, g_bytes_new (digest, sizeof digest));
    }
  return TRUE;
}

/* The recovery options as the account settings keep them (cm_validate_recovery_options ()):
 * at least one, and a PIN by text only with a mobile number. */
static gboolean
read_recovery (CmServerHash *hash,
               JsonObject  *recovery,
               const char  *user_id,
               const char  *mobile_phone,
               SignUp      *data,
               GError     **error)
{
  JsonArray *questions = NULL;

  if (recovery != NULL &&
      (!cm_json_get_boolean (recovery, CM_MEMBER_RECOVERY_EMAIL, FALSE,
                             &data->user->recovery_email, error) ||
       !cm_json_get_boolean (recovery, CM_MEMBER_RECOVERY_TEXT, FALSE,
                             &data->user->recovery_text, error) ||
       !cm_json_get_array (recovery, CM_MEMBER_QUESTIONS, FALSE, &questions, error)))
    return FALSE;
  if (questions != NULL &&
      !cm_server_auth_digest_questions (hash, questions, user_id, data->questions, error))
    return FALSE;

  return cm_validate_recovery_options (data->user->recovery_email, data->user->recovery_text,
                                       data->questions->len / 2, mobile_phone, error);
}

typedef struct
{
  JsonObject *recovery;
  const char *first_name, *middle_initial, *last_name, *suffix;
  const char *email, *email_confirm, *work_phone, *mobile_phone;
  const char *challenge_id, *answer;
  const char *user_id, *password, *password_confirm;
  gboolean    terms;
  /* cm_validate_*'s canonical forms (owned) */
  char       *email_normalized, *work_normalized, *mobile_normalized, *user_id_normalized;
} SignUpForm;

static void
sign_up_form_clear (SignUpForm *form)
{
  g_free (form->email_normalized);
  g_free (form->work_normalized);
  g_free (form->mobile_normalized);
  g_free (form->user_id_normalized);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SignUpForm, sign_up_form_clear)

static gboolean
read_sign_up (JsonObject  *body,
              SignUpForm  *f,
              GError     **error)
{
  JsonObject *profile = NULL, *challenge = NULL;

  return cm_json_get_object (body, CM_MEMBER_PROFILE, TRUE, &profile, error) &&
         cm_json_get_string (profile, CM_MEMBER_FIRST_NAME, FALSE, &f->first_name, error) &&
         cm_json_get_string (profile, CM_MEMBER_MIDDLE_INITIAL, FALSE, &f->middle_initial,
                             error) &&
         cm_json_get_string (profile, CM_MEMBER_LAST_NAME, TRUE, &f->last_name, error) &&
         cm_json_get_string (profile, CM_MEMBER_SUFFIX, FALSE, &f->suffix, error) &&
         cm_json_get_string (profile, CM_MEMBER_EMAIL, TRUE, &f->email, error) &&
         cm_json_get_string (profile, CM_MEMBER_EMAIL_CONFIRM, TRUE, &f->email_confirm, error) &&
         cm_json_get_string (profile, CM_MEMBER_WORK_PHONE, TRUE, &f->work_phone, error) &&
         cm_json_get_string (profile, CM_MEMBER_MOBILE_PHONE, FALSE, &f->mobile_phone, error) &&
         cm_json_get_object (body, CM_MEMBER_CHALLENGE, TRUE, &challenge, error) &&
         cm_json_get_string (challenge, CM_MEMBER_CHALLENGE_ID, TRUE, &f->challenge_id, error) &&
         cm_json_get_string (challenge, CM_MEMBER_ANSWER, TRUE, &f->answer, error) &&
         cm_json_get_boolean (body, CM_MEMBER_TERMS_ACCEPTED, TRUE, &f->terms, error) &&
         cm_json_get_string (body, CM_MEMBER_USER_ID, TRUE, &f->user_id, error) &&
         cm_json_get_string (body, CM_MEMBER_PASSWORD, TRUE, &f->password, error) &&
         cm_json_get_string (body, CM_MEMBER_PASSWORD_CONFIRM, TRUE, &f->password_confirm,
                             error) &&
         cm_json_get_object (body, CM_MEMBER_RECOVERY, FALSE, &f->recovery, error);
}

/* The State's rules for every field (src/common), the optional ones empty when missing;
 * the canonical forms are kept in @f. */
static gboolean
validate_sign_up (SignUpForm  *f,
                  GError     **error)
{
  if (f->first_name == NULL)
    f->first_name = "";
  if (f->middle_initial == NULL)
    f->middle_initial = "";
  if (f->suffix == NULL)
    f->suffix = "";
  if (f->mobile_phone == NULL)
    f->mobile_phone = "";

  if (!cm_validate_first_name (f->first_name, error) ||
      !cm_validate_middle_initial (f->middle_initial, error) ||
      !cm_validate_last_name (f->last_name, error) ||
      !cm_validate_suffix (f->suffix, error) ||
      !cm_validate_email (f->email, &f->email_normalized, error) ||
      !cm_validate_email_confirmation (f->email, f->email_confirm, error) ||
      !cm_validate_phone (f->work_phone, TRUE, CM_MEMBER_WORK_PHONE, &f->work_normalized,
                          error) ||
      !cm_validate_phone (f->mobile_phone, FALSE, CM_MEMBER_MOBILE_PHONE, &f->mobile_normalized,
                          error) ||
      !cm_validate_user_id (f->user_id, f->first_name, f->last_name, &f->user_id_normalized,
                            error) ||
      !cm_server_auth_check_password (f->password,
                                      f->user_id_normalized ? f->user_id_normalized : f->user_id,
                                      f->first_name, f->last_name, CM_MEMBER_PASSWORD, error) ||
      !cm_validate_password_confirmation (f->password, f->password_confirm, error))
    return FALSE;
  if (f->user_id_normalized == NULL)
    f->user_id_normalized = g_strdup (f->user_id);
  return TRUE;
}

/* The challenge is checked now and spent when the user is created, so that a weak password
 * does not cost the person a new question. A wrong answer spends it at once. FALSE when the
 * sign-up goes no further: with @error for a fault, else with the answer sent. */
static gboolean
challenge_passed (CmServerRequest  *request,
                  const SignUpForm *f,
                  GError          **error)
{
  CmServerDb *db = cm_server_get_db (request->server);
  gint64 now = cm_server_now (request->server);
  g_autofree char *expected = NULL;
  g_autofree char *given = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *spent = NULL;

  if (!cm_server_db_peek_challenge (db, f->challenge_id, now, &expected, error))
    return FALSE;
  /* The words are lower case and NFC (cm-challenge-words.c). Arabic has no case: NFC is
   * what lets a decomposed alef with hamza match. */
  folded = g_utf8_casefold (f->answer, -1);
  g_strstrip (folded);
  given = g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
  if (expected != NULL && given != NULL && strcmp (given, expected) == 0)
    return TRUE;
  if (expected != NULL &&
      !cm_server_db_take_challenge (db, f->challenge_id, now, &spent, error))
    return FALSE;
  cm_server_auth_reply_code (request, CM_ERROR_CHALLENGE_FAILED, CM_MEMBER_CHALLENGE);
  return FALSE;
}

static SignUp *
sign_up_new (CmServerRequest  *request,
             const SignUpForm *f)
{
  SignUp *data = g_new0 (SignUp, 1);

  data->request = cm_server_request_ref (request);
  data->challenge_id = g_strdup (f->challenge_id);
  data->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  data->user = g_new0 (CmServerDbUser, 1);
  data->user->user_id = g_strdup (f->user_id_normalized);
  data->user->first_name = g_strdup (f->first_name);
  data->user->middle_initial = g_strdup (f->middle_initial);
  data->user->last_name = g_strdup (f->last_name);
  data->user->suffix = g_strdup (f->suffix);
  data->user->email = g_strdup (f->email_normalized ? f->email_normalized : f->email);
  data->user->work_phone = g_strdup (f->work_normalized ? f->work_normalized : f->work_phone);
  data->user->mobile_phone = g_strdup (f->mobile_normalized ? f->mobile_normalized
                                                            : f->mobile_phone);
  return data;
}

void
cm_server_auth_sign_up (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  g_auto(SignUpForm) form = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean exists = FALSE;
  SignUp *data;

  if (!read_sign_up (request->body, &form, &error))
    goto fail;
  if (!form.terms)
    {
      cm_server_auth_reply_code (request, CM_ERROR_TERMS_NOT_ACCEPTED, CM_MEMBER_TERMS_ACCEPTED);
      return;
    }
  if (!validate_sign_up (&form, &error))
    goto fail;
  if (!challenge_passed (request, &form, &error))
    {
      if (error != NULL)
        goto fail;
      return;
    }

  if (!cm_server_db_user_exists (db, form.user_id_normalized, &exists, &error))
    goto fail;
  if (exists)
    {
      cm_server_auth_reply_code (request, CM_ERROR_USER_ID_TAKEN, CM_MEMBER_USER_ID);
      return;
    }

  data = sign_up_new (request, &form);
  if (!read_recovery (cm_server_get_hash (request->server), form.recovery,
                      form.user_id_normalized, data->user->mobile_phone, data, &error))
    {
      sign_up_free (data);
      goto fail;
    }

  cm_server_request_pause (request);
  cm_server_hash_password_async (cm_server_get_hash (request->server), form.password,
                                 sign_up_hashed_cb, data);
  return;

fail:
  cm_server_request_fail (request, error);
}

