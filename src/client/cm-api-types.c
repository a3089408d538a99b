/* cm-api-types.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-api-types"

#include "config.h"

#include <string.h>

#include "cm-api-types.h"
#include "cm-client-private.h"
#include "cm-error.h"
#include "cm-json.h"
#include "cm-protocol.h"

void
cm_secret_free (char *secret)
{
  if (secret == NULL)
    return;

  /* explicit_bzero would be better, but a volatile loop is not optimised away either. */
  for (volatile char *p = secret; *p != '\0'; p++)
    *p = '\0';
  g_free (secret);
}

static void
secret_strv_free (char **strv)
{
  if (strv == NULL)
    return;
  for (char **p = strv; *p != NULL; p++)
    cm_secret_free (*p);
  g_free (strv);
}

void
cm_challenge_free (CmChallenge *challenge)
{
  if (challenge == NULL)
    return;
  g_free (challenge->challenge_id);
  g_free (challenge->question);
  g_strfreev (challenge->words);
  g_free (challenge->letter);
  g_free (challenge);
}

void
cm_sign_in_result_free (CmSignInResult *result)
{
  if (result == NULL)
    return;
  cm_secret_free (result->token);
  g_clear_pointer (&result->expires_at, g_date_time_unref);
  g_free (result->user_id);
  g_free (result->first_name);
  g_free (result->last_name);
  g_free (result->email_masked);
  g_free (result);
}

void
cm_account_type_free (CmAccountType *account_type)
{
  if (account_type == NULL)
    return;
  g_free (account_type->id);
  g_free (account_type->label);
  g_free (account_type->number_label);
  g_free (account_type);
}

void
cm_lookup_result_free (CmLookupResult *result)
{
  if (result == NULL)
    return;
  g_free (result->account_type);
  g_free (result->account_number);
  g_free (result->email_masked);
  g_free (result->name);
  g_free (result->city);
  g_free (result->mailing_address_masked);
  g_free (result);
}

void
cm_access_request_result_free (CmAccessRequestResult *result)
{
  if (result == NULL)
    return;
  g_free (result->confirmation_number);
  g_free (result->delivery);
  g_free (result->email_masked);
  g_free (result->notice);
  g_free (result);
}

CmSignUpRequest *
cm_sign_up_request_new (void)
{
  return g_new0 (CmSignUpRequest, 1);
}

void
cm_sign_up_request_free (CmSignUpRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->first_name);
  g_free (request->middle_initial);
  g_free (request->last_name);
  g_free (request->suffix);
  g_free (request->email);
  g_free (request->email_confirm);
  g_free (request->work_phone);
  g_free (request->mobile_phone);
  g_free (request->challenge_id);
  g_free (request->challenge_answer);
  g_free (request->user_id);
  cm_secret_free (request->password);
  cm_secret_free (request->password_confirm);
  g_strfreev (request->security_questions);
  secret_strv_free (request->security_answers);
  g_free (request);
}

/* ---- JSON helpers ---- */

gboolean
cm_client_json_dup_string (JsonObject  *object,
                           const char  *member,
                           gboolean     required,
                           char       **out,
                           GError     **error)
{
  const char *value = NULL;

  if (!required && json_object_has_member (object, member) &&
      json_object_get_null_member (object, member))
    {
      *out = NULL;
      return TRUE;
    }

  if (!cm_json_get_string (object, member, required, &value, error))
    return FALSE;

  *out = g_strdup (value);
  return TRUE;
}

gboolean
cm_client_json_get_time (JsonObject  *object,
                         const char  *member,
                         gboolean     required,
                         GDateTime  **out,
                         GError     **error)
{
  g_autofree char *text = NULL;
  GDateTime *time;

  if (!cm_client_json_dup_string (object, member, required, &text, error))
    return FALSE;

  if (text == NULL)
    {
      *out = NULL;
      return TRUE;
    }

  /* RFC 3339 always carries an offset, so no default zone is needed. A plain date
   * (certificate_expires is one) reads as its midnight UTC. */
  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL && strlen (text) == 10 && g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                                                                  text, 0, 0))
    {
      g_autofree char *midnight = g_strconcat (text, "T00:00:00Z", NULL);

      time = g_date_time_new_from_iso8601 (midnight, NULL);
    }
  if (time == NULL)
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_INVALID_FIELD, member,
                                              "not an RFC 3339 time"));
      return FALSE;
    }

  *out = time;
  return TRUE;
}

static char **
dup_string_array (JsonObject  *object,
                  const char  *member,
                  GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array = NULL;
  guint n;

  if (!cm_json_get_array (object, member, TRUE, &array, error))
    return NULL;

  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_propagate_error (error, cm_error_new (CM_ERROR_INVALID_FIELD, member,
                                                  "not a list of strings"));
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (node));
    }

  return g_strv_builder_end (builder);
}

/* ---- Parsers ---- */

CmChallenge *
cm_challenge_new_from_json (JsonObject  *object,
                            GError     **error)
{
  g_autoptr(CmChallenge) challenge = g_new0 (CmChallenge, 1);

  if (!cm_client_json_dup_string (object, CM_MEMBER_CHALLENGE_ID, TRUE,
                                  &challenge->challenge_id, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_QUESTION, TRUE, &challenge->question, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_LETTER, TRUE, &challenge->letter, error))
    return NULL;

  challenge->words = dup_string_array (object, CM_MEMBER_WORDS, error);
  if (challenge->words == NULL)
    return NULL;

  return g_steal_pointer (&challenge);
}

CmSignInResult *
cm_sign_in_result_new_from_json (JsonObject  *object,
                                 gboolean     with_token,
                                 GError     **error)
{
  g_autoptr(CmSignInResult) result = g_new0 (CmSignInResult, 1);
  JsonObject *user = NULL;

  if (with_token &&
      !cm_client_json_dup_string (object, CM_MEMBER_TOKEN, TRUE, &result->token, error))
    return NULL;

  if (!cm_client_json_get_time (object, CM_MEMBER_EXPIRES_AT, TRUE, &result->expires_at, error) ||
      !cm_json_get_object (object, CM_MEMBER_USER, TRUE, &user, error) ||
      !cm_client_json_dup_string (user, CM_MEMBER_USER_ID, TRUE, &result->user_id, error) ||
      !cm_client_json_dup_string (user, CM_MEMBER_FIRST_NAME, FALSE, &result->first_name, error) ||
      !cm_client_json_dup_string (user, CM_MEMBER_LAST_NAME, FALSE, &result->last_name, error) ||
      !cm_client_json_dup_string (user, CM_MEMBER_EMAIL_MASKED, FALSE, &result->email_masked,
                                  error))
    return NULL;

  return g_steal_pointer (&result);
}

CmAccountType *
cm_account_type_new_from_json (JsonObject  *object,
                               GError     **error)
{
  g_autoptr(CmAccountType) type = g_new0 (CmAccountType, 1);

  if (!cm_client_json_dup_string (object, CM_MEMBER_ID, TRUE, &type->id, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_LABEL, TRUE, &type->label, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_NUMBER_LABEL, TRUE, &type->number_label,
                                  error))
    return NULL;

  return g_steal_pointer (&type);
}

CmLookupResult *
cm_lookup_result_new_from_json (JsonObject  *object,
                                GError     **error)
{
  g_autoptr(CmLookupResult) result = g_new0 (CmLookupResult, 1);

  if (!cm_client_json_dup_string (object, CM_MEMBER_ACCOUNT_TYPE, TRUE, &result->account_type,
                                  error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_ACCOUNT_NUMBER, TRUE,
                                  &result->account_number, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_EMAIL_MASKED, FALSE, &result->email_masked,
                                  error) ||
      !cm_json_get_boolean (object, CM_MEMBER_MAIL_ONLY, TRUE, &result->mail_only, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_NAME, TRUE, &result->name, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_CITY, TRUE, &result->city, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_MAILING_ADDRESS_MASKED, FALSE,
                                  &result->mailing_address_masked, error))
    return NULL;

  return g_steal_pointer (&result);
}

CmAccessRequestResult *
cm_access_request_result_new_from_json (JsonObject  *object,
                                        GError     **error)
{
  g_autoptr(CmAccessRequestResult) result = g_new0 (CmAccessRequestResult, 1);

  if (!cm_client_json_dup_string (object, CM_MEMBER_CONFIRMATION_NUMBER, TRUE,
                                  &result->confirmation_number, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_DELIVERY, TRUE, &result->delivery, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_EMAIL_MASKED, FALSE, &result->email_masked,
                                  error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_NOTICE, FALSE, &result->notice, error))
    return NULL;

  return g_steal_pointer (&result);
}

JsonNode *
cm_sign_up_request_to_json (const CmSignUpRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, CM_MEMBER_PROFILE);
  json_builder_begin_object (builder);
  cm_client_builder_add_string (builder, CM_MEMBER_FIRST_NAME, request->first_name);
  cm_client_builder_add_string (builder, CM_MEMBER_MIDDLE_INITIAL, request->middle_initial);
  cm_client_builder_add_string (builder, CM_MEMBER_LAST_NAME, request->last_name);
  cm_client_builder_add_string (builder, CM_MEMBER_SUFFIX, request->suffix);
  cm_client_builder_add_string (builder, CM_MEMBER_EMAIL, request->email);
  cm_client_builder_add_string (builder, CM_MEMBER_EMAIL_CONFIRM, request->email_confirm);
  cm_client_builder_add_string (builder, CM_MEMBER_WORK_PHONE, request->work_phone);
  cm_client_builder_add_string (builder, CM_MEMBER_MOBILE_PHONE, request->mobile_phone);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, CM_MEMBER_CHALLENGE);
  json_builder_begin_object (builder);
  cm_client_builder_add_string (builder, CM_MEMBER_CHALLENGE_ID, request->challenge_id);
  cm_client_builder_add_string (builder, CM_MEMBER_ANSWER, request->challenge_answer);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, CM_MEMBER_TERMS_ACCEPTED);
  json_builder_add_boolean_value (builder, request->terms_accepted);
  cm_client_builder_add_string (builder, CM_MEMBER_USER_ID, request->user_id);
  cm_client_builder_add_string (builder, CM_MEMBER_PASSWORD, request->password);
  cm_client_builder_add_string (builder, CM_MEMBER_PASSWORD_CONFIRM, request->password_confirm);

  json_builder_set_member_name (builder, CM_MEMBER_RECOVERY);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_RECOVERY_EMAIL);
  json_builder_add_boolean_value (builder, request->recovery_email);
  json_builder_set_member_name (builder, CM_MEMBER_RECOVERY_TEXT);
  json_builder_add_boolean_value (builder, request->recovery_text);
  cm_client_builder_add_questions (builder, (const char * const *) request->security_questions,
                                   (const char * const *) request->security_answers);
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

void
cm_client_builder_add_questions (JsonBuilder        *builder,
                                 const char * const *questions,
                                 const char * const *answers)
{
  json_builder_set_member_name (builder, CM_MEMBER_QUESTIONS);
  json_builder_begin_array (builder);
  for (guint i = 0; questions != NULL && questions[i] != NULL &&
                    answers != NULL && answers[i] != NULL; i++)
    {
      json_builder_begin_object (builder);
      cm_client_builder_add_string (builder, CM_MEMBER_QUESTION, questions[i]);
      cm_client_builder_add_string (builder, CM_MEMBER_ANSWER, answers[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

void
cm_account_profile_free (CmAccountProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->user_id);
  g_free (profile->first_name);
  g_free (profile->last_name);
  g_free (profile->email);
  g_free (profile->work_phone);
  g_free (profile->mobile_phone);
  g_strfreev (profile->questions);
  g_free (profile);
}

CmAccountProfile *
cm_account_profile_new_from_json (JsonObject  *object,
                                  GError     **error)
{
  g_autoptr(CmAccountProfile) profile = g_new0 (CmAccountProfile, 1);
  JsonObject *recovery = NULL;

  if (!cm_client_json_dup_string (object, CM_MEMBER_USER_ID, TRUE, &profile->user_id, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_FIRST_NAME, TRUE, &profile->first_name,
                                  error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_LAST_NAME, TRUE, &profile->last_name, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_EMAIL, TRUE, &profile->email, error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_WORK_PHONE, TRUE, &profile->work_phone,
                                  error) ||
      !cm_client_json_dup_string (object, CM_MEMBER_MOBILE_PHONE, TRUE, &profile->mobile_phone,
                                  error) ||
      !cm_json_get_object (object, CM_MEMBER_RECOVERY, TRUE, &recovery, error) ||
      !cm_json_get_boolean (recovery, CM_MEMBER_RECOVERY_EMAIL, TRUE, &profile->recovery_email,
                            error) ||
      !cm_json_get_boolean (recovery, CM_MEMBER_RECOVERY_TEXT, TRUE, &profile->recovery_text,
                            error))
    return NULL;
  profile->questions = dup_string_array (recovery, CM_MEMBER_QUESTIONS, error);
  if (profile->questions == NULL)
    return NULL;
  return g_steal_pointer (&profile);
}
