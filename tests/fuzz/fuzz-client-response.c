/* fuzz-client-response.c: the client's parsing of every answer of docs/openapi.yaml.
 *
 * Byte 0 picks the endpoint whose answer the rest is read as, bytes 1-2 are the HTTP
 * status for an error answer, the rest is the body. It goes through cm_json_parse() with
 * the client's caps, then the parser of cm-client-private.h for that endpoint (or
 * cm_account_new_from_json() for each account of a list, or cm_error_from_json()).
 *
 * Not covered here: the transport side of CmApiClient (statuses, content types, sizes,
 * retries); that needs a hook in src/client (docs/fuzzing.md).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-fuzz"

#include "config.h"

#include <string.h>

#include "cm-account.h"
#include "cm-api-client.h"
#include "cm-client-private.h"
#include "cm-error.h"
#include "cm-json.h"
#include "cm-protocol.h"
#include "fuzz-common.h"

/* A parser either returns a result and no error, or NULL and a field error. */
static void
check_parse (gconstpointer  result,
             GError        *error)
{
  if (result != NULL)
    {
      FUZZ_CHECK (error == NULL);
      return;
    }
  FUZZ_CHECK (error != NULL && error->domain == CM_ERROR);
  FUZZ_CHECK (error->code == CM_ERROR_MISSING_FIELD || error->code == CM_ERROR_INVALID_FIELD);
  FUZZ_CHECK (cm_error_get_field (error) != NULL);
  FUZZ_CHECK (error->message != NULL && g_utf8_validate (error->message, -1, NULL));
}

static void
check_string (const char *s,
              gboolean    required)
{
  if (s == NULL)
    {
      FUZZ_CHECK (!required);
      return;
    }
  FUZZ_CHECK (g_utf8_validate (s, -1, NULL));
}

static void
parse_challenge (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmChallenge) challenge = cm_challenge_new_from_json (object, &error);

  check_parse (challenge, error);
  if (challenge == NULL)
    return;
  check_string (challenge->challenge_id, TRUE);
  check_string (challenge->question, TRUE);
  check_string (challenge->letter, TRUE);
  FUZZ_CHECK (challenge->words != NULL);
  for (char **w = challenge->words; *w != NULL; w++)
    check_string (*w, TRUE);
}

static void
parse_sign_in (JsonObject *object,
               gboolean    with_token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmSignInResult) result = cm_sign_in_result_new_from_json (object, with_token, &error);

  check_parse (result, error);
  if (result == NULL)
    return;
  if (with_token)
    check_string (result->token, TRUE);
  else
    FUZZ_CHECK (result->token == NULL);
  FUZZ_CHECK (result->expires_at != NULL);
  check_string (result->user_id, TRUE);
  check_string (result->first_name, FALSE);
  check_string (result->last_name, FALSE);
  check_string (result->email_masked, FALSE);
}

static void
parse_account_type (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmAccountType) type = cm_account_type_new_from_json (object, &error);

  check_parse (type, error);
  if (type == NULL)
    return;
  check_string (type->id, TRUE);
  check_string (type->label, TRUE);
  check_string (type->number_label, TRUE);
}

static void
parse_lookup (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmLookupResult) result = cm_lookup_result_new_from_json (object, &error);

  check_parse (result, error);
  if (result == NULL)
    return;
  check_string (result->account_type, TRUE);
  check_string (result->account_number, TRUE);
  check_string (result->email_masked, FALSE);
  FUZZ_CHECK (result->mail_only == TRUE || result->mail_only == FALSE);
}

static void
parse_access_request (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmAccessRequestResult) result = cm_access_request_result_new_from_json (object,
                                                                                    &error);

  check_parse (result, error);
  if (result == NULL)
    return;
  check_string (result->confirmation_number, TRUE);
  check_string (result->delivery, TRUE);
  check_string (result->email_masked, FALSE);
  check_string (result->notice, FALSE);
}

static void
parse_account (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmAccount) account = cm_account_new_from_json (object, &error);

  check_parse (account, error);
  if (account == NULL)
    return;
  check_string (cm_account_get_account_type (account), TRUE);
  check_string (cm_account_get_account_number (account), TRUE);
  check_string (cm_account_get_name (account), FALSE);
  check_string (cm_account_get_status (account), FALSE);
  check_string (cm_account_get_city (account), FALSE);
  FUZZ_CHECK (cm_account_matches (account, cm_account_get_account_type (account),
                                  cm_account_get_account_number (account)));
}

/* Each element of a list that is an object, as the client walks `[...]` or `{accounts:[...]}`. */
static void
parse_each (JsonArray *array,
            void     (*parse) (JsonObject *object))
{
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        parse (json_node_get_object (node));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = NULL;
  guint endpoint;
  guint status;

  fuzz_setup_logging ();
  if (size < 3)
    return 0;
  endpoint = data[0];
  status = data[1] | (data[2] << 8);
  root = cm_json_parse ((const char *) data + 3, size - 3, CM_API_CLIENT_DEFAULT_MAX_RESPONSE_SIZE,
                        CM_JSON_MAX_DEPTH, NULL);
  if (root == NULL)
    return 0;
  if (JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);

  switch (endpoint % 10)
    {
    case 0:
      if (object != NULL)
        parse_challenge (object);
      break;
    case 1:
    case 2:
      if (object != NULL)
        parse_sign_in (object, endpoint % 10 == 1);
      break;
    case 3:
      if (JSON_NODE_HOLDS_ARRAY (root))
        parse_each (json_node_get_array (root), parse_account_type);
      break;
    case 4:
      if (object != NULL)
        parse_lookup (object);
      break;
    case 5:
      if (object != NULL)
        parse_access_request (object);
      break;
    case 6:
      {
        JsonArray *accounts = NULL;

        if (object != NULL &&
            cm_json_get_array (object, CM_MEMBER_ACCOUNTS, TRUE, &accounts, NULL))
          parse_each (accounts, parse_account);
      }
      break;
    case 7:
      {
        JsonObject *account = NULL;

        if (object != NULL &&
            cm_json_get_object (object, CM_MEMBER_ACCOUNT, TRUE, &account, NULL))
          parse_account (account);
      }
      break;
    default:
      {
        g_autoptr(GError) error = cm_error_from_json (root, status);

        FUZZ_CHECK (error != NULL && error->domain == CM_ERROR);
        FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
      }
      break;
    }

  return 0;
}
