/* cm-api-client-milogin.c: the MILogin calls of CmApiClient: the sign-up question, User IDs,
 * sign-up, sessions and passwords (docs/openapi.yaml, milogin/).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-api-client"

#include "config.h"

#include "cm-api-client.h"
#include "cm-api-client-private.h"
#include "cm-client-private.h"
#include "cm-error.h"
#include "cm-json.h"
#include "cm-protocol.h"

static gpointer
parse_challenge (JsonNode  *root,
                 GError   **error)
{
  JsonObject *object = cm_api_answer_object (root, error);

  return object != NULL ? cm_challenge_new_from_json (object, error) : NULL;
}

static gpointer
parse_user_id_available (JsonNode  *root,
                         GError   **error)
{
  JsonObject *object = cm_api_answer_object (root, error);
  gboolean available = FALSE;

  if (object == NULL ||
      !cm_json_get_boolean (object, CM_MEMBER_AVAILABLE, TRUE, &available, error))
    return NULL;

  return g_memdup2 (&available, sizeof available);
}

static gpointer
parse_user_id (JsonNode  *root,
               GError   **error)
{
  JsonObject *object = cm_api_answer_object (root, error);
  char *user_id = NULL;

  if (object == NULL ||
      !cm_client_json_dup_string (object, CM_MEMBER_USER_ID, TRUE, &user_id, error))
    return NULL;
  return user_id;
}

static gpointer
parse_sign_in (JsonNode  *root,
               GError   **error)
{
  JsonObject *object = cm_api_answer_object (root, error);

  return object != NULL ? cm_sign_in_result_new_from_json (object, TRUE, error) : NULL;
}

static gpointer
parse_current_session (JsonNode  *root,
                       GError   **error)
{
  JsonObject *object = cm_api_answer_object (root, error);

  return object != NULL ? cm_sign_in_result_new_from_json (object, FALSE, error) : NULL;
}

/* GET milogin/challenge */

void
cm_api_client_get_challenge_async (CmApiClient         *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  cm_api_client_request_start (self, cm_api_client_get_challenge_async, "GET", CM_PATH_CHALLENGE,
                               NULL, CM_API_REQUEST_IDEMPOTENT, parse_challenge,
                               (GDestroyNotify) cm_challenge_free, cancellable, callback,
                               user_data);
}

/**
 * cm_api_client_get_challenge_finish:
 *
 * Returns: (transfer full) (nullable):
 */
CmChallenge *
cm_api_client_get_challenge_finish (CmApiClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return cm_api_client_request_propagate (self, result, cm_api_client_get_challenge_async, error);
}

/* GET milogin/user-ids/{user_id} */

void
cm_api_client_check_user_id_async (CmApiClient         *self,
                                   const char          *user_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));
  g_return_if_fail (user_id != NULL);

  escaped = g_uri_escape_string (user_id, NULL, FALSE);
  path = g_strconcat (CM_PATH_USER_IDS "/", escaped, NULL);
  cm_api_client_request_start (self, cm_api_client_check_user_id_async, "GET", path, NULL,
                               CM_API_REQUEST_IDEMPOTENT, parse_user_id_available, g_free,
                               cancellable, callback, user_data);
}

/**
 * cm_api_client_check_user_id_finish:
 * @available: (out): whether nobody has the User ID yet
 *
 * Returns: %FALSE on error, e.g. CM_ERROR_INVALID_USER_ID
 */
gboolean
cm_api_client_check_user_id_finish (CmApiClient   *self,
                                    GAsyncResult  *result,
                                    gboolean      *available,
                                    GError       **error)
{
  g_autofree gboolean *value = cm_api_client_request_propagate (self, result,
                                                  cm_api_client_check_user_id_async, error);

  if (value == NULL)
    return FALSE;
  if (available != NULL)
    *available = *value;
  return TRUE;
}

/* POST milogin/users */

void
cm_api_client_create_user_async (CmApiClient           *self,
                                 const CmSignUpRequest *request,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));
  g_return_if_fail (request != NULL);

  root = cm_sign_up_request_to_json (request);
  body = cm_api_body_from_node (root);
  cm_api_client_request_start (self, cm_api_client_create_user_async, "POST", CM_PATH_USERS, body,
                               CM_API_REQUEST_NONE, parse_user_id, g_free, cancellable, callback,
                               user_data);
}

/**
 * cm_api_client_create_user_finish:
 *
 * Returns: (transfer full) (nullable): the new User ID
 */
char *
cm_api_client_create_user_finish (CmApiClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return cm_api_client_request_propagate (self, result, cm_api_client_create_user_async, error);
}

/* POST milogin/sessions */

void
cm_api_client_sign_in_async (CmApiClient         *self,
                             const char          *user_id,
                             const char          *password,
                             gboolean             remember,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));
  g_return_if_fail (user_id != NULL);
  g_return_if_fail (password != NULL);

  json_builder_begin_object (builder);
  cm_client_builder_add_string (builder, CM_MEMBER_USER_ID, user_id);
  cm_client_builder_add_string (builder, CM_MEMBER_PASSWORD, password);
  cm_client_builder_add_boolean (builder, CM_MEMBER_REMEMBER, remember);
  json_builder_end_object (builder);
  body = cm_api_body_from_builder (builder);

  cm_api_client_request_start (self, cm_api_client_sign_in_async, "POST", CM_PATH_SESSIONS, body,
                               CM_API_REQUEST_NONE, parse_sign_in,
                               (GDestroyNotify) cm_sign_in_result_free, cancellable, callback,
                               user_data);
}

/**
 * cm_api_client_sign_in_finish:
 *
 * Returns: (transfer full) (nullable): the token and the user; errors include
 *   CM_ERROR_INVALID_CREDENTIALS, CM_ERROR_ACCOUNT_LOCKED (with retry-after)
 *   and CM_ERROR_RATE_LIMITED
 */
CmSignInResult *
cm_api_client_sign_in_finish (CmApiClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return cm_api_client_request_propagate (self, result, cm_api_client_sign_in_async, error);
}

/* GET milogin/sessions/current */

void
cm_api_client_get_current_session_async (CmApiClient         *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  cm_api_client_request_start (self, cm_api_client_get_current_session_async, "GET",
                               CM_PATH_SESSION_CURRENT, NULL,
                               CM_API_REQUEST_AUTH | CM_API_REQUEST_IDEMPOTENT,
                               parse_current_session, (GDestroyNotify) cm_sign_in_result_free,
                               cancellable, callback, user_data);
}

/**
 * cm_api_client_get_current_session_finish:
 *
 * Returns: (transfer full) (nullable): the user and expiry; its token is %NULL
 */
CmSignInResult *
cm_api_client_get_current_session_finish (CmApiClient   *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return cm_api_client_request_propagate (self, result, cm_api_client_get_current_session_async,
                                          error);
}

/* DELETE milogin/sessions/current */

void
cm_api_client_sign_out_async (CmApiClient         *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  cm_api_client_request_start (self, cm_api_client_sign_out_async, "DELETE",
                               CM_PATH_SESSION_CURRENT, NULL, CM_API_REQUEST_AUTH, NULL, NULL,
                               cancellable, callback, user_data);
}

gboolean
cm_api_client_sign_out_finish (CmApiClient   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return cm_api_client_request_propagate_boolean (self, result, cm_api_client_sign_out_async,
                                                  error);
}

/* PUT milogin/password */

void
cm_api_client_change_password_async (CmApiClient         *self,
                                     const char          *current_password,
                                     const char          *new_password,
                                     const char          *new_password_confirm,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));

  body = cm_api_body_from_strings (CM_MEMBER_CURRENT_PASSWORD, current_password,
                                   CM_MEMBER_NEW_PASSWORD, new_password,
                                   CM_MEMBER_NEW_PASSWORD_CONFIRM, new_password_confirm, NULL);

  cm_api_client_request_start (self, cm_api_client_change_password_async, "PUT", CM_PATH_PASSWORD,
                               body, CM_API_REQUEST_AUTH, NULL, NULL, cancellable, callback,
                               user_data);
}

gboolean
cm_api_client_change_password_finish (CmApiClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return cm_api_client_request_propagate_boolean (self, result, cm_api_client_change_password_async,
                                                  error);
}

/* POST milogin/password-resets */

void
cm_api_client_request_password_reset_async (CmApiClient         *self,
                                             const char          *user_id,
                                             const char          *method,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));

  body = cm_api_body_from_strings (CM_MEMBER_USER_ID, user_id, CM_MEMBER_METHOD, method, NULL);

  cm_api_client_request_start (self, cm_api_client_request_password_reset_async, "POST",
                               CM_PATH_PASSWORD_RESETS, body, CM_API_REQUEST_NONE, NULL, NULL,
                               cancellable, callback, user_data);
}

gboolean
cm_api_client_request_password_reset_finish (CmApiClient   *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return cm_api_client_request_propagate_boolean (self, result,
                                                  cm_api_client_request_password_reset_async,
                                                  error);
}

/* POST milogin/password-resets/confirm */

void
cm_api_client_confirm_password_reset_async (CmApiClient         *self,
                                            const char          *user_id,
                                            const char          *pin,
                                            const char          *new_password,
                                            const char          *new_password_confirm,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));

  body = cm_api_body_from_strings (CM_MEMBER_USER_ID, user_id, CM_MEMBER_PIN, pin,
                                   CM_MEMBER_NEW_PASSWORD, new_password,
                                   CM_MEMBER_NEW_PASSWORD_CONFIRM, new_password_confirm, NULL);

  cm_api_client_request_start (self, cm_api_client_confirm_password_reset_async, "POST",
                               CM_PATH_PASSWORD_RESETS_CONFIRM, body, CM_API_REQUEST_NONE, NULL,
                               NULL, cancellable, callback, user_data);
}

gboolean
cm_api_client_confirm_password_reset_finish (CmApiClient   *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return cm_api_client_request_propagate_boolean (self, result,
                                                  cm_api_client_confirm_password_reset_async,
                                                  error);
}
