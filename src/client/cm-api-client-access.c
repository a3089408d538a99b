/* cm-api-client-access.c: the Add Account Access calls of CmApiClient: account types,
 * lookups, access requests (CmApiRequest Code) and the access itself (docs/openapi.yaml, cars/).
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
account_type_from_object (JsonObject  *object,
                          GError     **error)
{
  return cm_account_type_new_from_json (object, error);
}

static gpointer
parse_account_types (JsonNode  *root,
                     GError   **error)
{
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, CM_ERROR, CM_ERROR_INVALID_FIELD, "the answer is not an array");
      return NULL;
    }

  return cm_api_answer_object_array (json_node_get_array (root), account_type_from_object,
                                     (GDestroyNotify) cm_account_type_free, "an account type",
                                     error);
}

static gpointer
parse_lookup (JsonNode  *root,
              GError   **error)
{
  JsonObject *object = cm_api_answer_object (root, error);

  return object != NULL ? cm_lookup_result_new_from_json (object, error) : NULL;
}

static gpointer
parse_access_request (JsonNode  *root,
                      GError   **error)
{
  JsonObject *object = cm_api_answer_object (root, error);

  return object != NULL ? cm_access_request_result_new_from_json (object, error) : NULL;
}

static gpointer
parse_account_access (JsonNode  *root,
                      GError   **error)
{
  JsonObject *object = cm_api_answer_object (root, error);
  JsonObject *account = NULL;

  if (object == NULL || !cm_json_get_object (object, CM_MEMBER_ACCOUNT, TRUE, &account, error))
    return NULL;
  return cm_account_new_from_json (account, error);
}

/* GET cars/account-types */

void
cm_api_client_get_account_types_async (CmApiClient         *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  cm_api_client_request_start (self, cm_api_client_get_account_types_async, "GET",
                               CM_PATH_ACCOUNT_TYPES, NULL, CM_API_REQUEST_IDEMPOTENT,
                               parse_account_types, (GDestroyNotify) g_ptr_array_unref, cancellable,
                               callback, user_data);
}

/**
 * cm_api_client_get_account_types_finish:
 *
 * Returns: (transfer full) (element-type CmAccountType) (nullable):
 */
GPtrArray *
cm_api_client_get_account_types_finish (CmApiClient   *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return cm_api_client_request_propagate (self, result, cm_api_client_get_account_types_async,
                                          error);
}

/* POST cars/account-lookups */

static GBytes *
account_body (const char *authorization_code,
              const char *account_type,
              const char *account_number,
              const char *zip,
              const char *delivery,
              const char *email,
              gboolean    with_terms,
              gboolean    terms_accepted)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (authorization_code != NULL)
    cm_client_builder_add_string (builder, CM_MEMBER_AUTHORIZATION_CODE, authorization_code);
  cm_client_builder_add_string (builder, CM_MEMBER_ACCOUNT_TYPE, account_type);
  cm_client_builder_add_string (builder, CM_MEMBER_ACCOUNT_NUMBER, account_number);
  cm_client_builder_add_string (builder, CM_MEMBER_ZIP, zip);
  if (delivery != NULL)
    cm_client_builder_add_string (builder, CM_MEMBER_DELIVERY, delivery);
  if (email != NULL)
    cm_client_builder_add_string (builder, CM_MEMBER_EMAIL, email);
  if (with_terms)
    cm_client_builder_add_boolean (builder, CM_MEMBER_TERMS_ACCEPTED, terms_accepted);
  json_builder_end_object (builder);

  return cm_api_body_from_builder (builder);
}

void
cm_api_client_lookup_account_async (CmApiClient         *self,
                                    const char          *account_type,
                                    const char          *account_number,
                                    const char          *zip,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));

  body = account_body (NULL, account_type, account_number, zip, NULL, NULL, FALSE, FALSE);
  cm_api_client_request_start (self, cm_api_client_lookup_account_async, "POST",
                               CM_PATH_ACCOUNT_LOOKUPS, body, CM_API_REQUEST_AUTH, parse_lookup,
                               (GDestroyNotify) cm_lookup_result_free, cancellable, callback,
                               user_data);
}

/**
 * cm_api_client_lookup_account_finish:
 *
 * Returns: (transfer full) (nullable): errors include CM_ERROR_NO_MATCHING_ACCOUNT
 */
CmLookupResult *
cm_api_client_lookup_account_finish (CmApiClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return cm_api_client_request_propagate (self, result, cm_api_client_lookup_account_async, error);
}

/* POST cars/access-requests */

void
cm_api_client_request_access_async (CmApiClient         *self,
                                    const char          *account_type,
                                    const char          *account_number,
                                    const char          *zip,
                                    const char          *delivery,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));
  g_return_if_fail (delivery != NULL);

  body = account_body (NULL, account_type, account_number, zip, delivery, NULL, FALSE, FALSE);
  cm_api_client_request_start (self, cm_api_client_request_access_async, "POST",
                               CM_PATH_ACCESS_REQUESTS, body, CM_API_REQUEST_AUTH,
                               parse_access_request, (GDestroyNotify) cm_access_request_result_free,
                               cancellable, callback, user_data);
}

/**
 * cm_api_client_request_access_finish:
 *
 * Returns: (transfer full) (nullable): the confirmation
 */
CmAccessRequestResult *
cm_api_client_request_access_finish (CmApiClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return cm_api_client_request_propagate (self, result, cm_api_client_request_access_async, error);
}

/* POST cars/authorization-code-checks */

void
cm_api_client_check_code_async (CmApiClient         *self,
                                const char          *authorization_code,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));
  g_return_if_fail (authorization_code != NULL);

  body = cm_api_body_from_strings (CM_MEMBER_AUTHORIZATION_CODE, authorization_code, NULL);
  cm_api_client_request_start (self, cm_api_client_check_code_async, "POST",
                               CM_PATH_CODE_CHECKS, body, CM_API_REQUEST_AUTH, NULL, NULL,
                               cancellable, callback, user_data);
}

/**
 * cm_api_client_check_code_finish:
 *
 * Returns: %TRUE for a code of the user's, unused and in date; else
 *   CM_ERROR_INVALID_CODE, _CODE_USED, _CODE_EXPIRED or _ACCOUNT_LOCKED
 */
gboolean
cm_api_client_check_code_finish (CmApiClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return cm_api_client_request_propagate_boolean (self, result, cm_api_client_check_code_async,
                                                  error);
}

/* POST cars/account-access */

void
cm_api_client_add_account_access_async (CmApiClient         *self,
                                        const char          *authorization_code,
                                        const char          *account_type,
                                        const char          *account_number,
                                        const char          *zip,
                                        const char          *email,
                                        gboolean             terms_accepted,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));
  g_return_if_fail (authorization_code != NULL);

  body = account_body (authorization_code, account_type, account_number, zip, NULL, email,
                       TRUE, terms_accepted);
  cm_api_client_request_start (self, cm_api_client_add_account_access_async, "POST",
                               CM_PATH_ACCOUNT_ACCESS, body, CM_API_REQUEST_AUTH,
                               parse_account_access, g_object_unref, cancellable, callback,
                               user_data);
}

/**
 * cm_api_client_add_account_access_finish:
 *
 * Returns: (transfer full) (nullable): the linked account
 */
CmAccount *
cm_api_client_add_account_access_finish (CmApiClient   *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return cm_api_client_request_propagate (self, result, cm_api_client_add_account_access_async,
                                          error);
}
