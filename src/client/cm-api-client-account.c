/* cm-api-client-account.c: the signed-in user's MILogin account settings: the profile and
 * the recovery options (docs/openapi.yaml, milogin/profile and milogin/recovery-options).
 * The password change is in cm-api-client-milogin.c.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-api-client"

#include "config.h"

#include "cm-api-client.h"
#include "cm-api-client-private.h"
#include "cm-client-private.h"
#include "cm-protocol.h"

static gpointer
parse_profile (JsonNode  *root,
               GError   **error)
{
  JsonObject *object = cm_api_answer_object (root, error);

  return object != NULL ? cm_account_profile_new_from_json (object, error) : NULL;
}

/* GET milogin/profile */

void
cm_api_client_get_profile_async (CmApiClient         *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  cm_api_client_request_start (self, cm_api_client_get_profile_async, "GET", CM_PATH_PROFILE,
                               NULL, CM_API_REQUEST_AUTH | CM_API_REQUEST_IDEMPOTENT,
                               parse_profile, (GDestroyNotify) cm_account_profile_free,
                               cancellable, callback, user_data);
}

/**
 * cm_api_client_get_profile_finish:
 *
 * Returns: (transfer full) (nullable):
 */
CmAccountProfile *
cm_api_client_get_profile_finish (CmApiClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return cm_api_client_request_propagate (self, result, cm_api_client_get_profile_async, error);
}

/* PUT milogin/profile */

void
cm_api_client_update_profile_async (CmApiClient            *self,
                                    const CmAccountProfile *profile,
                                    const char             *email_confirm,
                                    const char             *current_password,
                                    GCancellable           *cancellable,
                                    GAsyncReadyCallback     callback,
                                    gpointer                user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));
  g_return_if_fail (profile != NULL);

  body = cm_api_body_from_strings (CM_MEMBER_CURRENT_PASSWORD, current_password,
                                   CM_MEMBER_FIRST_NAME, profile->first_name,
                                   CM_MEMBER_LAST_NAME, profile->last_name,
                                   CM_MEMBER_EMAIL, profile->email,
                                   CM_MEMBER_EMAIL_CONFIRM, email_confirm,
                                   CM_MEMBER_WORK_PHONE, profile->work_phone,
                                   CM_MEMBER_MOBILE_PHONE, profile->mobile_phone, NULL);
  cm_api_client_request_start (self, cm_api_client_update_profile_async, "PUT", CM_PATH_PROFILE,
                               body, CM_API_REQUEST_AUTH, parse_profile,
                               (GDestroyNotify) cm_account_profile_free, cancellable, callback,
                               user_data);
}

/**
 * cm_api_client_update_profile_finish:
 *
 * Returns: (transfer full) (nullable): the account as it now is; errors carry the field
 *   (current_password for a wrong password, then CM_ERROR_ACCOUNT_LOCKED)
 */
CmAccountProfile *
cm_api_client_update_profile_finish (CmApiClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return cm_api_client_request_propagate (self, result, cm_api_client_update_profile_async,
                                          error);
}

/* PUT milogin/recovery-options */

void
cm_api_client_set_recovery_options_async (CmApiClient         *self,
                                          const char          *current_password,
                                          gboolean             email,
                                          gboolean             text,
                                          const char * const  *questions,
                                          const char * const  *answers,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));

  json_builder_begin_object (builder);
  cm_client_builder_add_string (builder, CM_MEMBER_CURRENT_PASSWORD, current_password);
  cm_client_builder_add_boolean (builder, CM_MEMBER_RECOVERY_EMAIL, email);
  cm_client_builder_add_boolean (builder, CM_MEMBER_RECOVERY_TEXT, text);
  /* No list: the questions stay as they are. */
  if (questions != NULL)
    cm_client_builder_add_questions (builder, questions, answers);
  json_builder_end_object (builder);
  body = cm_api_body_from_builder (builder);
  cm_api_client_request_start (self, cm_api_client_set_recovery_options_async, "PUT",
                               CM_PATH_RECOVERY_OPTIONS, body, CM_API_REQUEST_AUTH, parse_profile,
                               (GDestroyNotify) cm_account_profile_free, cancellable, callback,
                               user_data);
}

/**
 * cm_api_client_set_recovery_options_finish:
 *
 * Returns: (transfer full) (nullable): the account as it now is
 */
CmAccountProfile *
cm_api_client_set_recovery_options_finish (CmApiClient   *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return cm_api_client_request_propagate (self, result,
                                          cm_api_client_set_recovery_options_async, error);
}
