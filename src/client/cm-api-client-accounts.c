/* cm-api-client-accounts.c: the linked accounts of the springboard: list and remove
 * (docs/openapi.yaml, cars/accounts).
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
account_from_object (JsonObject  *object,
                     GError     **error)
{
  return cm_account_new_from_json (object, error);
}

static gpointer
parse_accounts (JsonNode  *root,
                GError   **error)
{
  JsonObject *object = cm_api_answer_object (root, error);
  JsonArray *array = NULL;

  if (object == NULL || !cm_json_get_array (object, CM_MEMBER_ACCOUNTS, TRUE, &array, error))
    return NULL;
  return cm_api_answer_object_array (array, account_from_object, g_object_unref, "an account",
                                     error);
}

/* GET cars/accounts */

void
cm_api_client_list_accounts_async (CmApiClient         *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (CM_IS_API_CLIENT (self));

  cm_api_client_request_start (self, cm_api_client_list_accounts_async, "GET", CM_PATH_ACCOUNTS,
                               NULL, CM_API_REQUEST_AUTH | CM_API_REQUEST_IDEMPOTENT,
                               parse_accounts, (GDestroyNotify) g_ptr_array_unref, cancellable,
                               callback, user_data);
}

/**
 * cm_api_client_list_accounts_finish:
 *
 * Returns: (transfer full) (element-type CmAccount) (nullable):
 */
GPtrArray *
cm_api_client_list_accounts_finish (CmApiClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return cm_api_client_request_propagate (self, result, cm_api_client_list_accounts_async, error);
}

/* DELETE cars/accounts/{account_type}/{account_number} */

void
cm_api_client_remove_account_async (CmApiClient         *self,
                                    const char          *account_type,
                                    const char          *account_number,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *type = NULL;
  g_autofree char *number = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CM_IS_API_CLIENT (self));
  g_return_if_fail (account_type != NULL);
  g_return_if_fail (account_number != NULL);

  type = g_uri_escape_string (account_type, NULL, FALSE);
  number = g_uri_escape_string (account_number, NULL, FALSE);
  path = g_strconcat (CM_PATH_ACCOUNTS "/", type, "/", number, NULL);
  cm_api_client_request_start (self, cm_api_client_remove_account_async, "DELETE", path, NULL,
                               CM_API_REQUEST_AUTH, NULL, NULL, cancellable, callback, user_data);
}

gboolean
cm_api_client_remove_account_finish (CmApiClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return cm_api_client_request_propagate_boolean (self, result, cm_api_client_remove_account_async,
                                                  error);
}
