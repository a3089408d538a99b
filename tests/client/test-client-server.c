/* test-client-server.c: every CmApiClient call and CmSession against the real
 * CmServer, in-process on 127.0.0.1 port 0, with its demo records.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cm-test-util.h"
#include "cm-api-client.h"
#include "cm-api-client-private.h"
#include "cm-credential-store.h"
#include "cm-error.h"
#include "cm-error-private.h"
#include "cm-protocol.h"
#include "cm-server.h"
#include "cm-session.h"
#include "cm-session-private.h"

#define PASSWORD      "Tr4ctor!Lansing#42"
#define NEW_PASSWORD  "Wr3nch$Grand~Rapids"
#define USER_FIRST    "Emily"
#define USER_LAST     "Hall"
#define USER_ID       "halle1234"

typedef struct
{
  char              *dir;
  CmServer          *server;
  CmApiClient       *client;
  CmCredentialStore *store;
  CmSession         *session;
  CmTestAsync          async;
} Fixture;

/* ---- Setup ---- */

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *outbox = NULL;

  fixture->dir = cm_test_make_tmp_dir ("cm-client-server-XXXXXX");
  outbox = g_build_filename (fixture->dir, "outbox", NULL);

  fixture->server = cm_server_new (":memory:", outbox);
  cm_server_set_hash_cost (fixture->server, CM_SERVER_HASH_COST_MINIMUM);
  cm_server_set_demo_data (fixture->server, TRUE);
  cm_server_start (fixture->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);

  fixture->client = cm_api_client_new (cm_server_get_uri (fixture->server));
  fixture->store = cm_credential_store_new_for_backend (CM_CREDENTIAL_BACKEND_MEMORY);
  fixture->session = cm_session_new (fixture->client, fixture->store);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  cm_test_async_clear (&fixture->async);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->client);
  cm_test_flush_main_context ();
  cm_server_stop (fixture->server);
  cm_test_flush_main_context ();
  g_clear_object (&fixture->server);
  cm_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static GAsyncResult *
wait_result (Fixture *fixture)
{
  return cm_test_async_wait (&fixture->async);
}

#define START(fixture) (cm_test_async_clear (&(fixture)->async), &(fixture)->async)

/* ---- Helpers around the calls ---- */

static CmChallenge *
get_challenge (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  CmChallenge *challenge;

  cm_api_client_get_challenge_async (fixture->client, NULL, cm_test_async_cb, START (fixture));
  challenge = cm_api_client_get_challenge_finish (fixture->client, wait_result (fixture), &error);
  g_assert_no_error (error);
  return challenge;
}

static CmSignUpRequest *
sign_up_request (Fixture    *fixture,
                 const char *user_id,
                 const char *last_name)
{
  g_autoptr(CmChallenge) challenge = get_challenge (fixture);
  CmSignUpRequest *request = cm_sign_up_request_new ();

  request->first_name = g_strdup (USER_FIRST);
  request->last_name = g_strdup (last_name);
  request->email = g_strdup ("emily.hall@example.com");
  request->email_confirm = g_strdup ("emily.hall@example.com");
  request->work_phone = g_strdup ("517-555-0100");
  request->mobile_phone = g_strdup ("517-555-0101");
  request->challenge_id = g_strdup (challenge->challenge_id);
  request->challenge_answer = cm_test_challenge_answer ((const char * const *) challenge->words,
                                                        challenge->letter);
  g_assert_nonnull (request->challenge_answer);
  request->terms_accepted = TRUE;
  request->user_id = g_strdup (user_id);
  request->password = g_strdup (PASSWORD);
  request->password_confirm = g_strdup (PASSWORD);
  request->recovery_email = TRUE;
  request->recovery_text = TRUE;
  return request;
}

static char *
create_user (Fixture          *fixture,
             CmSignUpRequest  *request,
             GError          **error)
{
  cm_api_client_create_user_async (fixture->client, request, NULL, cm_test_async_cb,
                                   START (fixture));
  return cm_api_client_create_user_finish (fixture->client, wait_result (fixture), error);
}

static void
sign_up (Fixture *fixture)
{
  g_autoptr(CmSignUpRequest) request = sign_up_request (fixture, USER_ID, USER_LAST);
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = create_user (fixture, request, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (user_id, ==, USER_ID);
}

static CmSignInResult *
api_sign_in (Fixture     *fixture,
             const char  *user_id,
             const char  *password,
             GError     **error)
{
  cm_api_client_sign_in_async (fixture->client, user_id, password, FALSE, NULL, cm_test_async_cb,
                               START (fixture));
  return cm_api_client_sign_in_finish (fixture->client, wait_result (fixture), error);
}

/* Signs up and signs in on the client (not the session). */
static void
signed_in_client (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmSignInResult) result = NULL;

  sign_up (fixture);
  result = api_sign_in (fixture, USER_ID, PASSWORD, &error);
  g_assert_no_error (error);
  cm_api_client_set_token (fixture->client, result->token);
}

static void
session_sign_in (Fixture   *fixture,
                 CmSession *session,
                 gboolean   remember)
{
  g_autoptr(GError) error = NULL;

  cm_session_sign_in_async (session, USER_ID, PASSWORD, remember, NULL, cm_test_async_cb,
                            START (fixture));
  g_assert_true (cm_session_sign_in_finish (session, wait_result (fixture), &error));
  g_assert_no_error (error);
}

static CmSignInResult *
current_session (Fixture  *fixture,
                 GError  **error)
{
  cm_api_client_get_current_session_async (fixture->client, NULL, cm_test_async_cb,
                                           START (fixture));
  return cm_api_client_get_current_session_finish (fixture->client, wait_result (fixture), error);
}

/* The newest outbox file that matches @pattern; returns the first group. */
static char *
find_in_outbox (Fixture    *fixture,
                const char *pattern)
{
  return cm_test_outbox_find (cm_server_get_outbox_dir (fixture->server), NULL, pattern);
}

static CmAccessRequestResult *
request_access (Fixture     *fixture,
                const char  *account_type,
                const char  *account_number,
                const char  *zip,
                const char  *delivery,
                GError     **error)
{
  cm_api_client_request_access_async (fixture->client, account_type, account_number, zip,
                                      delivery, NULL, cm_test_async_cb, START (fixture));
  return cm_api_client_request_access_finish (fixture->client, wait_result (fixture), error);
}

static char *
request_code (Fixture    *fixture,
              const char *account_type,
              const char *account_number,
              const char *zip)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmAccessRequestResult) result =
    request_access (fixture, account_type, account_number, zip, CM_DELIVERY_EMAIL, &error);
  char *code;

  g_assert_no_error (error);
  code = find_in_outbox (fixture, "code=([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})");
  g_assert_nonnull (code);
  return code;
}

static CmAccount *
add_access (Fixture     *fixture,
            const char  *code,
            const char  *account_number,
            const char  *zip,
            gboolean     terms,
            GError     **error)
{
  cm_api_client_add_account_access_async (fixture->client, code, CM_ACCOUNT_TYPE_MECHANIC,
                                          account_number, zip, NULL, terms, NULL, cm_test_async_cb,
                                          START (fixture));
  return cm_api_client_add_account_access_finish (fixture->client, wait_result (fixture), error);
}

static GPtrArray *
list_accounts (Fixture  *fixture,
               GError  **error)
{
  cm_api_client_list_accounts_async (fixture->client, NULL, cm_test_async_cb, START (fixture));
  return cm_api_client_list_accounts_finish (fixture->client, wait_result (fixture), error);
}

static gboolean
remove_account (Fixture     *fixture,
                const char  *account_number,
                GError     **error)
{
  cm_api_client_remove_account_async (fixture->client, CM_ACCOUNT_TYPE_MECHANIC, account_number,
                                      NULL, cm_test_async_cb, START (fixture));
  return cm_api_client_remove_account_finish (fixture->client, wait_result (fixture), error);
}

/* ---- MILogin ---- */

static void
test_health (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *version = NULL;

  cm_api_client_get_health_async (fixture->client, NULL, cm_test_async_cb, START (fixture));
  g_assert_true (cm_api_client_get_health_finish (fixture->client, wait_result (fixture),
                                                  &status, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (status, ==, "ok");
  g_assert_nonnull (version);
}

static void
test_challenge (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(CmChallenge) challenge = get_challenge (fixture);
  g_autofree char *answer = cm_test_challenge_answer ((const char * const *) challenge->words,
                                                      challenge->letter);

  g_assert_cmpuint (g_strv_length (challenge->words), ==, 4);
  g_assert_cmpuint (strlen (challenge->letter), ==, 1);
  g_assert_nonnull (strstr (challenge->question, challenge->letter));
  g_assert_nonnull (answer);
}

static void
test_user_id (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean available = FALSE;

  cm_api_client_check_user_id_async (fixture->client, USER_ID, NULL, cm_test_async_cb,
                                     START (fixture));
  g_assert_true (cm_api_client_check_user_id_finish (fixture->client, wait_result (fixture),
                                                     &available, &error));
  g_assert_no_error (error);
  g_assert_true (available);

  sign_up (fixture);
  cm_api_client_check_user_id_async (fixture->client, USER_ID, NULL, cm_test_async_cb,
                                     START (fixture));
  g_assert_true (cm_api_client_check_user_id_finish (fixture->client, wait_result (fixture),
                                                     &available, &error));
  g_assert_no_error (error);
  g_assert_false (available);

  /* A space travels escaped, and the rule refuses it. */
  cm_api_client_check_user_id_async (fixture->client, "hall e1234", NULL, cm_test_async_cb,
                                     START (fixture));
  g_assert_false (cm_api_client_check_user_id_finish (fixture->client, wait_result (fixture),
                                                      &available, &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_INVALID_USER_ID);
}

typedef enum
{
  BREAK_TERMS,
  BREAK_CHALLENGE,
  BREAK_WEAK_PASSWORD,
  BREAK_PASSWORD_MISMATCH,
  BREAK_EMAIL_MISMATCH,
  BREAK_MISSING_EMAIL,
  BREAK_USER_ID,
  BREAK_TOO_LARGE,
} SignUpBreak;

typedef struct
{
  const char  *name;
  SignUpBreak  how;
  CmError      code;
  const char  *field;
} SignUpCase;

static const SignUpCase sign_up_cases[] = {
  { "terms-not-accepted", BREAK_TERMS, CM_ERROR_TERMS_NOT_ACCEPTED, "terms_accepted" },
  { "challenge-failed", BREAK_CHALLENGE, CM_ERROR_CHALLENGE_FAILED, "challenge" },
  { "weak-password", BREAK_WEAK_PASSWORD, CM_ERROR_WEAK_PASSWORD, "password" },
  { "password-mismatch", BREAK_PASSWORD_MISMATCH, CM_ERROR_PASSWORD_MISMATCH, NULL },
  { "email-mismatch", BREAK_EMAIL_MISMATCH, CM_ERROR_EMAIL_MISMATCH, NULL },
  { "missing-field", BREAK_MISSING_EMAIL, CM_ERROR_MISSING_FIELD, "email" },
  { "invalid-user-id", BREAK_USER_ID, CM_ERROR_INVALID_USER_ID, "user_id" },
  { "body-too-large", BREAK_TOO_LARGE, CM_ERROR_BODY_TOO_LARGE, NULL },
};

static void
test_sign_up_error (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const SignUpCase *c = user_data;
  g_autoptr(CmSignUpRequest) request = sign_up_request (fixture, USER_ID, USER_LAST);
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;

  switch (c->how)
    {
    case BREAK_TERMS:
      request->terms_accepted = FALSE;
      break;
    case BREAK_CHALLENGE:
      g_free (request->challenge_answer);
      request->challenge_answer = g_strdup ("zzzzzz");
      break;
    case BREAK_WEAK_PASSWORD:
      g_free (request->password);
      g_free (request->password_confirm);
      request->password = g_strdup ("abc");
      request->password_confirm = g_strdup ("abc");
      break;
    case BREAK_PASSWORD_MISMATCH:
      g_free (request->password_confirm);
      request->password_confirm = g_strdup (PASSWORD "x");
      break;
    case BREAK_EMAIL_MISMATCH:
      g_free (request->email_confirm);
      request->email_confirm = g_strdup ("emily.hal@example.com");
      break;
    case BREAK_MISSING_EMAIL:
      g_clear_pointer (&request->email, g_free);
      break;
    case BREAK_USER_ID:
      g_free (request->user_id);
      request->user_id = g_strdup ("hall e1234");
      break;
    case BREAK_TOO_LARGE:
      g_free (request->first_name);
      request->first_name = g_strnfill (70 * 1024, 'a');
      break;
    default:
      g_assert_not_reached ();
    }

  user_id = create_user (fixture, request, &error);
  g_assert_null (user_id);
  g_test_message ("%s: %s", cm_error_code_to_string (error->code), error->message);
  g_assert_error (error, CM_ERROR, (gint) c->code);
  if (c->field != NULL)
    g_assert_cmpstr (cm_error_get_field (error), ==, c->field);
  if (c->how == BREAK_WEAK_PASSWORD)
    {
      g_assert_true (cm_error_has_detail (error, "too_short"));
      g_assert_true (cm_error_has_detail (error, "not_enough_categories"));
    }
}

static void
test_sign_up_taken (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(CmSignUpRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;

  sign_up (fixture);
  request = sign_up_request (fixture, USER_ID, USER_LAST);
  user_id = create_user (fixture, request, &error);
  g_assert_error (error, CM_ERROR, CM_ERROR_USER_ID_TAKEN);
  g_assert_cmpstr (cm_error_get_field (error), ==, "user_id");
}

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmSignInResult) result = NULL;
  g_autoptr(CmSignInResult) current = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  sign_up (fixture);
  result = api_sign_in (fixture, USER_ID, PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result->token);
  g_assert_cmpuint (strlen (result->token), >=, 32);
  g_assert_cmpstr (result->user_id, ==, USER_ID);
  g_assert_cmpstr (result->first_name, ==, USER_FIRST);
  g_assert_cmpstr (result->last_name, ==, USER_LAST);
  g_assert_cmpstr (result->email_masked, ==, "E************L@EXAMPLE.COM");
  g_assert_cmpint (g_date_time_compare (result->expires_at, now), >, 0);

  /* Without the token: 401. */
  current = current_session (fixture, &error);
  g_assert_null (current);
  g_assert_error (error, CM_ERROR, CM_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);

  cm_api_client_set_token (fixture->client, result->token);
  current = current_session (fixture, &error);
  g_assert_no_error (error);
  g_assert_null (current->token);
  g_assert_cmpstr (current->user_id, ==, USER_ID);
}

static void
test_sign_in_wrong (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) unknown = NULL;
  g_autoptr(CmSignInResult) result = NULL;

  sign_up (fixture);
  result = api_sign_in (fixture, USER_ID, "Wrong!Password#1", &error);
  g_assert_null (result);
  g_assert_error (error, CM_ERROR, CM_ERROR_INVALID_CREDENTIALS);

  /* One message for an unknown user and for a wrong password. */
  result = api_sign_in (fixture, "nobodyx0000", "Wrong!Password#1", &unknown);
  g_assert_error (unknown, CM_ERROR, CM_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpstr (unknown->message, ==, error->message);
}

static void
test_sign_in_locked (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmSignInResult) result = NULL;

  sign_up (fixture);
  for (guint i = 0; i < 2; i++)
    {
      result = api_sign_in (fixture, USER_ID, "Wrong!Password#1", &error);
      g_assert_error (error, CM_ERROR, CM_ERROR_INVALID_CREDENTIALS);
      g_clear_error (&error);
    }
  /* The third failure locks, and says so at once. */
  result = api_sign_in (fixture, USER_ID, "Wrong!Password#1", &error);
  g_assert_error (error, CM_ERROR, CM_ERROR_ACCOUNT_LOCKED);
  g_clear_error (&error);

  /* Even the right password now. */
  result = api_sign_in (fixture, USER_ID, PASSWORD, &error);
  g_assert_null (result);
  g_assert_error (error, CM_ERROR, CM_ERROR_ACCOUNT_LOCKED);
  g_assert_cmpint (cm_error_get_retry_after (error), >, 0);
}

static void
test_rate_limited (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmSignInResult) result = NULL;

  cm_server_set_rate_limit (fixture->server, 2);
  for (guint i = 0; i < 2; i++)
    {
      result = api_sign_in (fixture, "nobodyx0000", "Wrong!Password#1", &error);
      g_assert_error (error, CM_ERROR, CM_ERROR_INVALID_CREDENTIALS);
      g_clear_error (&error);
    }
  result = api_sign_in (fixture, "nobodyx0000", "Wrong!Password#1", &error);
  g_assert_error (error, CM_ERROR, CM_ERROR_RATE_LIMITED);
  g_assert_cmpint (cm_error_get_retry_after (error), >, 0);
}

static void
test_sign_out (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmSignInResult) current = NULL;

  signed_in_client (fixture);
  cm_api_client_sign_out_async (fixture->client, NULL, cm_test_async_cb, START (fixture));
  g_assert_true (cm_api_client_sign_out_finish (fixture->client, wait_result (fixture), &error));
  g_assert_no_error (error);

  /* Revoked at once. */
  current = current_session (fixture, &error);
  g_assert_error (error, CM_ERROR, CM_ERROR_SESSION_EXPIRED);
}

static void
test_session_expires (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmSignInResult) current = NULL;

  signed_in_client (fixture);
  cm_server_advance_clock (fixture->server, 31 * 60);
  current = current_session (fixture, &error);
  g_assert_error (error, CM_ERROR, CM_ERROR_SESSION_EXPIRED);
}

static gboolean
change_password (Fixture     *fixture,
                 const char  *current,
                 const char  *new_password,
                 const char  *confirm,
                 GError     **error)
{
  cm_api_client_change_password_async (fixture->client, current, new_password, confirm, NULL,
                                       cm_test_async_cb, START (fixture));
  return cm_api_client_change_password_finish (fixture->client, wait_result (fixture), error);
}

static void
test_change_password (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmSignInResult) result = NULL;

  signed_in_client (fixture);

  g_assert_false (change_password (fixture, "Wrong!Password#1", NEW_PASSWORD, NEW_PASSWORD,
                                   &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_INVALID_CREDENTIALS);
  g_clear_error (&error);

  g_assert_false (change_password (fixture, PASSWORD, NEW_PASSWORD, NEW_PASSWORD "x", &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_PASSWORD_MISMATCH);
  g_clear_error (&error);

  g_assert_false (change_password (fixture, PASSWORD, PASSWORD, PASSWORD, &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_PASSWORD_REUSED);
  g_clear_error (&error);

  g_assert_true (change_password (fixture, PASSWORD, NEW_PASSWORD, NEW_PASSWORD, &error));
  g_assert_no_error (error);

  result = api_sign_in (fixture, USER_ID, NEW_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
}

static CmAccountProfile *
get_profile (Fixture  *fixture,
             GError  **error)
{
  cm_api_client_get_profile_async (fixture->client, NULL, cm_test_async_cb, START (fixture));
  return cm_api_client_get_profile_finish (fixture->client, wait_result (fixture), error);
}

static CmAccountProfile *
update_profile (Fixture                *fixture,
                const CmAccountProfile *profile,
                const char             *email_confirm,
                const char             *current,
                GError                **error)
{
  cm_api_client_update_profile_async (fixture->client, profile, email_confirm, current, NULL,
                                      cm_test_async_cb, START (fixture));
  return cm_api_client_update_profile_finish (fixture->client, wait_result (fixture), error);
}

static CmAccountProfile *
set_recovery (Fixture             *fixture,
              const char          *current,
              gboolean             email,
              gboolean             text,
              const char * const  *questions,
              const char * const  *answers,
              GError             **error)
{
  cm_api_client_set_recovery_options_async (fixture->client, current, email, text, questions,
                                            answers, NULL, cm_test_async_cb, START (fixture));
  return cm_api_client_set_recovery_options_finish (fixture->client, wait_result (fixture),
                                                    error);
}

/* The account settings: read, change with the current password, refusals on their field. */
static void
test_account_settings (Fixture       *fixture,
                       gconstpointer  user_data)
{
  const char *questions[] = { "Street you grew up on?", NULL };
  const char *answers[] = { "Saginaw", NULL };
  const char *none[] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CmAccountProfile) profile = NULL;
  g_autoptr(CmAccountProfile) changed = NULL;
  g_autoptr(CmAccountProfile) recovery = NULL;

  /* Signed out: the session is needed. */
  g_assert_null (get_profile (fixture, &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);

  signed_in_client (fixture);
  profile = get_profile (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->user_id, ==, USER_ID);
  g_assert_cmpstr (profile->email, ==, "emily.hall@example.com");
  g_assert_cmpstr (profile->mobile_phone, ==, "5175550101");
  g_assert_true (profile->recovery_email && profile->recovery_text);
  g_assert_cmpuint (g_strv_length (profile->questions), ==, 0);

  g_free (profile->email);
  profile->email = g_strdup ("e.hall@example.org");
  g_assert_null (update_profile (fixture, profile, "e.hall@example.com", PASSWORD, &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_EMAIL_MISMATCH);
  g_assert_cmpstr (cm_error_get_field (error), ==, CM_MEMBER_EMAIL_CONFIRM);
  g_clear_error (&error);
  g_assert_null (update_profile (fixture, profile, "e.hall@example.org", "Wrong!Password#1",
                                 &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpstr (cm_error_get_field (error), ==, CM_MEMBER_CURRENT_PASSWORD);
  g_clear_error (&error);
  changed = update_profile (fixture, profile, "e.hall@example.org", PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (changed->email, ==, "e.hall@example.org");

  /* No option left is refused; questions replace the PINs. */
  g_assert_null (set_recovery (fixture, PASSWORD, FALSE, FALSE, none, none, &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_MISSING_FIELD);
  g_assert_cmpstr (cm_error_get_field (error), ==, CM_MEMBER_RECOVERY);
  g_clear_error (&error);
  recovery = set_recovery (fixture, PASSWORD, FALSE, FALSE, questions, answers, &error);
  g_assert_no_error (error);
  g_assert_false (recovery->recovery_email || recovery->recovery_text);
  g_assert_cmpstrv (recovery->questions, questions);
}

static void
test_password_reset (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmSignInResult) result = NULL;
  g_autofree char *pin = NULL;

  sign_up (fixture);

  /* The same answer whether or not the user exists. */
  cm_api_client_request_password_reset_async (fixture->client, "nobodyx0000",
                                              CM_RESET_METHOD_EMAIL, NULL, cm_test_async_cb,
                                              START (fixture));
  g_assert_true (cm_api_client_request_password_reset_finish (fixture->client,
                                                              wait_result (fixture), &error));
  g_assert_no_error (error);

  cm_api_client_request_password_reset_async (fixture->client, USER_ID, CM_RESET_METHOD_EMAIL,
                                              NULL, cm_test_async_cb, START (fixture));
  g_assert_true (cm_api_client_request_password_reset_finish (fixture->client,
                                                              wait_result (fixture), &error));
  g_assert_no_error (error);
  pin = find_in_outbox (fixture, "PIN is ([0-9]{6})");
  g_assert_nonnull (pin);

  cm_api_client_confirm_password_reset_async (fixture->client, USER_ID,
                                              g_str_equal (pin, "000000") ? "111111" : "000000",
                                              NEW_PASSWORD, NEW_PASSWORD, NULL, cm_test_async_cb,
                                              START (fixture));
  g_assert_false (cm_api_client_confirm_password_reset_finish (fixture->client,
                                                               wait_result (fixture), &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_INVALID_CODE);
  g_clear_error (&error);

  cm_api_client_confirm_password_reset_async (fixture->client, USER_ID, pin, NEW_PASSWORD,
                                              NEW_PASSWORD, NULL, cm_test_async_cb,
                                              START (fixture));
  g_assert_true (cm_api_client_confirm_password_reset_finish (fixture->client,
                                                              wait_result (fixture), &error));
  g_assert_no_error (error);

  result = api_sign_in (fixture, USER_ID, NEW_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
}

/* ---- CARS ---- */

static void
test_account_types (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) types = NULL;
  gboolean mechanic = FALSE, school = FALSE;

  cm_api_client_get_account_types_async (fixture->client, NULL, cm_test_async_cb, START (fixture));
  types = cm_api_client_get_account_types_finish (fixture->client, wait_result (fixture), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < types->len; i++)
    {
      CmAccountType *type = types->pdata[i];

      g_assert_cmpstr (type->label, !=, "");
      g_assert_cmpstr (type->number_label, !=, "");
      mechanic |= g_str_equal (type->id, CM_ACCOUNT_TYPE_MECHANIC);
      school |= g_str_equal (type->id, CM_ACCOUNT_TYPE_MECHANIC_SCHOOL);
    }
  g_assert_true (mechanic);
  g_assert_true (school);
}

static CmLookupResult *
lookup (Fixture     *fixture,
        const char  *account_type,
        const char  *number,
        const char  *zip,
        GError     **error)
{
  cm_api_client_lookup_account_async (fixture->client, account_type, number, zip, NULL,
                                      cm_test_async_cb, START (fixture));
  return cm_api_client_lookup_account_finish (fixture->client, wait_result (fixture), error);
}

static void
test_lookup (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) wrong_number = NULL;
  g_autoptr(CmLookupResult) result = NULL;
  g_autoptr(CmLookupResult) no_email = NULL;

  signed_in_client (fixture);

  result = lookup (fixture, CM_ACCOUNT_TYPE_MECHANIC, "Z123456", "48909", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->account_number, ==, "Z123456");
  g_assert_nonnull (result->email_masked);
  g_assert_nonnull (strchr (result->email_masked, '*'));
  g_assert_false (result->mail_only);

  no_email = lookup (fixture, CM_ACCOUNT_TYPE_MECHANIC, "M654321", "49503", &error);
  g_assert_no_error (error);
  g_assert_null (no_email->email_masked);
  g_assert_true (no_email->mail_only);

  /* One message for a wrong ZIP and an unknown number. */
  g_clear_pointer (&result, cm_lookup_result_free);
  result = lookup (fixture, CM_ACCOUNT_TYPE_MECHANIC, "Z123456", "48910", &error);
  g_assert_error (error, CM_ERROR, CM_ERROR_NO_MATCHING_ACCOUNT);
  result = lookup (fixture, CM_ACCOUNT_TYPE_MECHANIC, "Z999999", "48909", &wrong_number);
  g_assert_error (wrong_number, CM_ERROR, CM_ERROR_NO_MATCHING_ACCOUNT);
  g_assert_cmpstr (wrong_number->message, ==, error->message);
}

static void
test_access_flow (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmAccessRequestResult) request = NULL;
  g_autoptr(CmAccount) account = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *code = NULL;

  signed_in_client (fixture);

  request = request_access (fixture, CM_ACCOUNT_TYPE_MECHANIC, "Z123456", "48909",
                            CM_DELIVERY_EMAIL, &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^[0-9]-[0-9]{3}-[0-9]{3}-[0-9]{3}$",
                                       request->confirmation_number, 0, 0));
  g_assert_cmpstr (request->delivery, ==, CM_DELIVERY_EMAIL);
  g_assert_nonnull (request->email_masked);
  code = find_in_outbox (fixture, "code=([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})");
  g_assert_nonnull (code);

  account = add_access (fixture, code, "Z123456", "48909", FALSE, &error);
  g_assert_error (error, CM_ERROR, CM_ERROR_TERMS_NOT_ACCEPTED);
  g_clear_error (&error);

  account = add_access (fixture, "2222-3333-4444", "Z123456", "48909", TRUE, &error);
  g_assert_error (error, CM_ERROR, CM_ERROR_INVALID_CODE);
  g_clear_error (&error);

  account = add_access (fixture, code, "Z123456", "48909", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cm_account_get_account_type (account), ==, CM_ACCOUNT_TYPE_MECHANIC);
  g_assert_cmpstr (cm_account_get_account_number (account), ==, "Z123456");
  g_assert_cmpstr (cm_account_get_name (account), ==, "Emily Hall");
  g_assert_cmpstr (cm_account_get_city (account), ==, "Lansing");
  g_assert_nonnull (cm_account_get_linked_at (account));
  g_clear_object (&account);

  /* The code is spent. */
  account = add_access (fixture, code, "Z123456", "48909", TRUE, &error);
  g_assert_nonnull (error);
  g_test_message ("reused code: %s", cm_error_code_to_string (error->code));
  g_assert_true (g_error_matches (error, CM_ERROR, CM_ERROR_CODE_USED) ||
                 g_error_matches (error, CM_ERROR, CM_ERROR_ALREADY_LINKED));
  g_clear_error (&error);

  accounts = list_accounts (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_true (cm_account_matches (accounts->pdata[0], CM_ACCOUNT_TYPE_MECHANIC, "Z123456"));
  g_clear_pointer (&accounts, g_ptr_array_unref);

  g_assert_true (remove_account (fixture, "Z123456", &error));
  g_assert_no_error (error);
  accounts = list_accounts (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);

  g_assert_false (remove_account (fixture, "Z123456", &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_NOT_FOUND);
}

static void
test_access_by_mail (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmAccessRequestResult) request = NULL;

  signed_in_client (fixture);
  request = request_access (fixture, CM_ACCOUNT_TYPE_MECHANIC, "M654321", "49503",
                            CM_DELIVERY_MAIL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request->delivery, ==, CM_DELIVERY_MAIL);
  g_assert_null (request->email_masked);
}

static void
test_access_already_linked (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmAccount) account = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  signed_in_client (fixture);
  first = request_code (fixture, CM_ACCOUNT_TYPE_MECHANIC, "Z123456", "48909");
  account = add_access (fixture, first, "Z123456", "48909", TRUE, &error);
  g_assert_no_error (error);
  g_clear_object (&account);

  second = request_code (fixture, CM_ACCOUNT_TYPE_MECHANIC, "Z123456", "48909");
  account = add_access (fixture, second, "Z123456", "48909", TRUE, &error);
  g_assert_error (error, CM_ERROR, CM_ERROR_ALREADY_LINKED);
}

static void
test_access_code_expired (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmAccount) account = NULL;
  g_autoptr(CmSignInResult) result = NULL;
  g_autofree char *code = NULL;

  signed_in_client (fixture);
  code = request_code (fixture, CM_ACCOUNT_TYPE_MECHANIC, "Z123456", "48909");

  /* An emailed code lasts 3 days; sign in again after the wait. */
  cm_server_advance_clock (fixture->server, 4 * 24 * 3600);
  result = api_sign_in (fixture, USER_ID, PASSWORD, &error);
  g_assert_no_error (error);
  cm_api_client_set_token (fixture->client, result->token);

  account = add_access (fixture, code, "Z123456", "48909", TRUE, &error);
  g_assert_error (error, CM_ERROR, CM_ERROR_CODE_EXPIRED);
}

static void
test_cars_needs_session (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = list_accounts (fixture, &error);

  g_assert_null (accounts);
  g_assert_error (error, CM_ERROR, CM_ERROR_SESSION_EXPIRED);
}

/* ---- CmSession ---- */

static void
on_notify_count_cb (GObject    *object,
                    GParamSpec *pspec,
                    guint      *count)
{
  (*count)++;
}

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *count)
{
  (*count)++;
}

static void
on_signal_count_cb (CmSession *session,
                    guint     *count)
{
  (*count)++;
}

static void
session_link_mechanic (Fixture    *fixture,
                       CmSession  *session,
                       const char *code,
                       const char *number,
                       const char *zip)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmAccount) account = NULL;

  cm_session_link_account_async (session, code, CM_ACCOUNT_TYPE_MECHANIC, number, zip,
                                 NULL, TRUE, NULL, cm_test_async_cb, START (fixture));
  account = cm_session_link_account_finish (session, wait_result (fixture), &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
}

static void
session_link (Fixture    *fixture,
              CmSession  *session,
              const char *code)
{
  session_link_mechanic (fixture, session, code, "Z123456", "48909");
}

static gboolean
answer_held_cb (gpointer data)
{
  return cm_session_get_n_held_answers (CM_SESSION (data)) > 0;
}

/* Signed in with Z123456 linked, a refresh started whose list from the
 * back-end is held before it is compared (cm_session_hold_refresh_answers()). */
static void
start_held_refresh (Fixture     *fixture,
                    CmTestAsync *refresh)
{
  g_autofree char *code = NULL;

  sign_up (fixture);
  session_sign_in (fixture, fixture->session, FALSE);
  code = request_code (fixture, CM_ACCOUNT_TYPE_MECHANIC, "Z123456", "48909");
  session_link (fixture, fixture->session, code);
  cm_session_hold_refresh_answers (fixture->session, TRUE);
  cm_session_refresh_accounts_async (fixture->session, NULL, cm_test_async_cb, refresh);
  cm_test_wait_until (answer_held_cb, fixture->session);
}

/* Lets the held list go on, and waits for the refresh to end well. */
static void
finish_held_refresh (Fixture     *fixture,
                     CmTestAsync *refresh)
{
  g_autoptr(GError) error = NULL;

  cm_session_hold_refresh_answers (fixture->session, FALSE);
  g_assert_true (cm_session_refresh_accounts_finish (fixture->session,
                                                     cm_test_async_wait (refresh), &error));
  g_assert_no_error (error);
  cm_test_async_clear (refresh);
  cm_test_flush_main_context ();
}

/* The list comes, then the user signs out before it is compared (as with a
 * slow comparison of many accounts): it is dropped, so the accounts of the
 * user who signed out never come back, for nobody or for the next user. */
static void
test_session_refresh_after_sign_out (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  GListModel *accounts = cm_session_get_accounts (fixture->session);
  CmTestAsync refresh = { 0 };
  g_autoptr(GError) error = NULL;

  start_held_refresh (fixture, &refresh);
  cm_session_sign_out_async (fixture->session, NULL, cm_test_async_cb, START (fixture));
  g_assert_true (cm_session_sign_out_finish (fixture->session, wait_result (fixture), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 0);

  finish_held_refresh (fixture, &refresh);
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 0);
}

/* The list comes, then an account is linked before it is compared: that
 * list may not have it, so the refresh asks again and keeps both. */
static void
test_session_refresh_after_link (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  GListModel *accounts = cm_session_get_accounts (fixture->session);
  CmTestAsync refresh = { 0 };
  g_autofree char *code = NULL;
  g_autoptr(CmAccount) first = NULL;
  g_autoptr(CmAccount) second = NULL;
  g_autofree char *numbers = NULL;

  start_held_refresh (fixture, &refresh);
  code = request_code (fixture, CM_ACCOUNT_TYPE_MECHANIC, "K632496", "48502");
  session_link_mechanic (fixture, fixture->session, code, "K632496", "48502");
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 2);

  finish_held_refresh (fixture, &refresh);
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 2);
  first = g_list_model_get_item (accounts, 0);
  second = g_list_model_get_item (accounts, 1);
  /* Both, in the back-end's order: by the time linked (to the second), then number. */
  numbers = g_strdup_printf ("%s %s", cm_account_get_account_number (first),
                             cm_account_get_account_number (second));
  g_assert_true (g_str_equal (numbers, "K632496 Z123456") ||
                 g_str_equal (numbers, "Z123456 K632496"));
}

static gboolean
session_restore (Fixture    *fixture,
                 CmSession  *session,
                 GError    **error)
{
  cm_session_restore_async (session, NULL, cm_test_async_cb, START (fixture));
  return cm_session_restore_finish (session, wait_result (fixture), error);
}

static void
test_session_lifecycle (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmSession) second = NULL;
  g_autofree char *code = NULL;
  GListModel *accounts = cm_session_get_accounts (fixture->session);
  CmSessionState state;
  guint state_changes = 0;
  guint items_changed = 0;
  g_autoptr(CmAccount) linked = NULL;
  g_autoptr(CmAccount) refreshed = NULL;

  sign_up (fixture);
  g_signal_connect (fixture->session, "notify::state", G_CALLBACK (on_notify_count_cb),
                    &state_changes);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_OUT);

  session_sign_in (fixture, fixture->session, TRUE);
  g_object_get (fixture->session, "state", &state, NULL);
  g_assert_cmpint (state, ==, CM_SESSION_STATE_SIGNED_IN);
  g_assert_cmpuint (state_changes, ==, 2);  /* signing-in, signed-in */
  g_assert_cmpstr (cm_session_get_user_id (fixture->session), ==, USER_ID);
  g_assert_cmpstr (cm_session_get_first_name (fixture->session), ==, USER_FIRST);
  g_assert_cmpstr (cm_session_get_last_name (fixture->session), ==, USER_LAST);
  g_assert_nonnull (cm_session_get_email_masked (fixture->session));
  g_assert_nonnull (cm_session_get_expires_at (fixture->session));
  g_assert_true (cm_session_get_remembered (fixture->session));

  /* Link through the session: the store follows. */
  code = request_code (fixture, CM_ACCOUNT_TYPE_MECHANIC, "Z123456", "48909");
  session_link (fixture, fixture->session, code);
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 1);

  /* A refresh that brings nothing new changes nothing: the account linked
   * keeps its object (cm_session_update_accounts()). */
  linked = g_list_model_get_item (accounts, 0);
  g_signal_connect (accounts, "items-changed", G_CALLBACK (on_items_changed_cb),
                    &items_changed);
  cm_session_refresh_accounts_async (fixture->session, NULL, cm_test_async_cb, START (fixture));
  g_assert_true (cm_session_refresh_accounts_finish (fixture->session, wait_result (fixture),
                                                     &error));
  g_assert_no_error (error);
  g_assert_cmpuint (items_changed, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 1);
  refreshed = g_list_model_get_item (accounts, 0);
  g_assert_true (refreshed == linked);

  /* The app starts again: a new session finds the remembered one. */
  second = cm_session_new (cm_api_client_new (cm_server_get_uri (fixture->server)),
                           fixture->store);
  g_object_unref (cm_session_get_api_client (second));  /* the session holds its own ref */
  g_assert_true (session_restore (fixture, second, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cm_session_get_state (second), ==, CM_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (cm_session_get_user_id (second), ==, USER_ID);
  g_assert_true (cm_session_get_remembered (second));

  /* Unlink. */
  cm_session_unlink_account_async (fixture->session, CM_ACCOUNT_TYPE_MECHANIC, "Z123456", NULL,
                                   cm_test_async_cb, START (fixture));
  g_assert_true (cm_session_unlink_account_finish (fixture->session, wait_result (fixture),
                                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 0);

  /* Log off: the back-end, the keyring and the local state. */
  cm_session_sign_out_async (fixture->session, NULL, cm_test_async_cb, START (fixture));
  g_assert_true (cm_session_sign_out_finish (fixture->session, wait_result (fixture), &error));
  g_assert_no_error (error);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_OUT);
  g_assert_null (cm_session_get_user_id (fixture->session));
  g_assert_false (cm_api_client_has_token (fixture->client));

  g_clear_object (&second);
  second = cm_session_new (cm_api_client_new (cm_server_get_uri (fixture->server)),
                           fixture->store);
  g_object_unref (cm_session_get_api_client (second));
  g_assert_false (session_restore (fixture, second, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cm_session_get_state (second), ==, CM_SESSION_STATE_SIGNED_OUT);
}

static void
test_session_not_remembered (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  sign_up (fixture);
  session_sign_in (fixture, fixture->session, TRUE);
  /* Signing in again without "remember" forgets the remembered session. */
  session_sign_in (fixture, fixture->session, FALSE);
  g_assert_false (cm_session_get_remembered (fixture->session));

  g_clear_object (&fixture->session);
  fixture->session = cm_session_new (fixture->client, fixture->store);
  g_assert_false (session_restore (fixture, fixture->session, &error));
  g_assert_no_error (error);
}

static void
test_session_sign_in_wrong (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  sign_up (fixture);
  cm_session_sign_in_async (fixture->session, USER_ID, "Wrong!Password#1", TRUE, NULL,
                            cm_test_async_cb, START (fixture));
  g_assert_false (cm_session_sign_in_finish (fixture->session, wait_result (fixture), &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_OUT);
}

static void
test_session_expired (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  guint expired = 0;

  sign_up (fixture);
  session_sign_in (fixture, fixture->session, TRUE);
  code = request_code (fixture, CM_ACCOUNT_TYPE_MECHANIC, "Z123456", "48909");
  session_link (fixture, fixture->session, code);
  g_signal_connect (fixture->session, "expired", G_CALLBACK (on_signal_count_cb), &expired);

  /* Remembered sessions last 7 days idle. */
  cm_server_advance_clock (fixture->server, 8 * 24 * 3600);
  cm_session_refresh_accounts_async (fixture->session, NULL, cm_test_async_cb, START (fixture));
  g_assert_false (cm_session_refresh_accounts_finish (fixture->session, wait_result (fixture),
                                                      &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);

  g_assert_cmpuint (expired, ==, 1);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_EXPIRED);
  /* Who it was and what was shown stay, for the re-authentication. */
  g_assert_cmpstr (cm_session_get_user_id (fixture->session), ==, USER_ID);
  g_assert_cmpuint (g_list_model_get_n_items (cm_session_get_accounts (fixture->session)), ==, 1);

  /* A failed re-authentication stays expired... */
  cm_session_sign_in_async (fixture->session, USER_ID, "Wrong!Password#1", TRUE, NULL,
                            cm_test_async_cb, START (fixture));
  g_assert_false (cm_session_sign_in_finish (fixture->session, wait_result (fixture), &error));
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_EXPIRED);
  g_clear_error (&error);

  /* ...a good one is signed in again. */
  session_sign_in (fixture, fixture->session, TRUE);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_IN);
  g_assert_cmpuint (expired, ==, 1);
}

static void
test_session_expiring (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  guint expiring = 0;

  sign_up (fixture);
  g_signal_connect (fixture->session, "expiring", G_CALLBACK (on_signal_count_cb), &expiring);
  session_sign_in (fixture, fixture->session, FALSE);
  cm_test_flush_main_context ();
  g_assert_cmpuint (expiring, ==, 0);

  /* A lead time longer than the session's life: announced at once. */
  cm_session_set_expiring_lead_time (fixture->session, 24 * 3600);
  while (expiring == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (expiring, ==, 1);

  /* Refresh asks the back-end and announces again from the new expiry. */
  cm_session_refresh_async (fixture->session, NULL, cm_test_async_cb, START (fixture));
  g_assert_true (cm_session_refresh_finish (fixture->session, wait_result (fixture), &error));
  g_assert_no_error (error);
  while (expiring == 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (expiring, ==, 2);
}

static void
test_session_sign_out_offline (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmSession) later = NULL;

  sign_up (fixture);
  session_sign_in (fixture, fixture->session, TRUE);

  /* The back-end is gone; log off still forgets everything here. */
  cm_server_stop (fixture->server);
  cm_session_sign_out_async (fixture->session, NULL, cm_test_async_cb, START (fixture));
  g_assert_false (cm_session_sign_out_finish (fixture->session, wait_result (fixture), &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_NETWORK);
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_SIGNED_OUT);
  g_assert_false (cm_api_client_has_token (fixture->client));
  g_clear_error (&error);

  later = cm_session_new (fixture->client, fixture->store);
  g_assert_false (session_restore (fixture, later, &error));
  g_assert_no_error (error);
}

static void
test_session_real_keyring (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmCredentialStore) keyring =
    cm_credential_store_new_for_backend (CM_CREDENTIAL_BACKEND_SECRET);
  g_autoptr(CmSession) session = cm_session_new (fixture->client, keyring);
  g_autoptr(CmSession) again = NULL;
  g_autoptr(CmApiClient) client = cm_api_client_new (cm_server_get_uri (fixture->server));

  sign_up (fixture);
  session_sign_in (fixture, session, TRUE);
  g_assert_true (cm_session_get_remembered (session));

  again = cm_session_new (client, keyring);
  g_assert_true (session_restore (fixture, again, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cm_session_get_user_id (again), ==, USER_ID);

  cm_session_sign_out_async (again, NULL, cm_test_async_cb, START (fixture));
  g_assert_true (cm_session_sign_out_finish (again, wait_result (fixture), &error));
  g_assert_no_error (error);
  g_clear_object (&again);

  again = cm_session_new (client, keyring);
  g_assert_false (session_restore (fixture, again, &error));
  g_assert_no_error (error);
}

/* Practice mode's fixed origin: a session remembered under it comes back
 * whatever port the back-end listens on, and a session keyed on the URI (a
 * real back-end's way) never finds it, nor the other way round. */
static void
test_session_credential_origin (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmApiClient) client = cm_api_client_new (cm_server_get_uri (fixture->server));
  g_autoptr(CmSession) practice = cm_session_new (fixture->client, fixture->store);
  g_autoptr(CmSession) by_uri = cm_session_new (client, fixture->store);
  g_autoptr(CmSession) again = cm_session_new (client, fixture->store);
  g_autofree char *user_id = NULL;
  char *token = NULL;

  sign_up (fixture);
  cm_session_set_credential_origin (practice, CM_SESSION_PRACTICE_ORIGIN "/tmp/practice");
  session_sign_in (fixture, practice, TRUE);
  g_assert_true (cm_session_get_remembered (practice));

  /* Filed under the origin, not under the back-end's URI. */
  cm_credential_store_lookup_remembered_async (fixture->store,
                                               cm_server_get_uri (fixture->server), NULL,
                                               cm_test_async_cb, START (fixture));
  g_assert_false (cm_credential_store_lookup_remembered_finish (fixture->store,
                                                                wait_result (fixture),
                                                                &user_id, &token, &error));
  g_assert_null (token);
  g_clear_error (&error);
  g_assert_false (session_restore (fixture, by_uri, &error));
  g_assert_no_error (error);

  /* The next start, keyed the same way, finds it. */
  cm_session_set_credential_origin (again, CM_SESSION_PRACTICE_ORIGIN "/tmp/practice");
  g_assert_true (session_restore (fixture, again, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cm_session_get_user_id (again), ==, USER_ID);
}

typedef struct
{
  guint emissions;
  guint position;
  guint removed;
  guint added;
} Change;

static void
on_change_cb (GListModel *model,
              guint       position,
              guint       removed,
              guint       added,
              Change     *change)
{
  change->emissions++;
  change->position = position;
  change->removed = removed;
  change->added = added;
}

/* Five accounts, Z000000 to Z000004, new objects each time; @status is the
 * status of Z000002, @skip the index of one left out (or -1). */
static GPtrArray *
five_accounts (const char *status,
               int         skip)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) linked = g_date_time_new_utc (2026, 1, 15, 12, 0, 0);

  for (int i = 0; i < 5; i++)
    {
      g_autofree char *number = g_strdup_printf ("Z%06d", i);

      if (i != skip)
        g_ptr_array_add (accounts, cm_account_new ("mechanic", number, "Garage",
                                                   i == 2 ? status : "active", "Lansing",
                                                   linked, NULL));
    }
  return accounts;
}

static CmAccount *
account_at (GListModel *model,
            guint       position)
{
  g_autoptr(CmAccount) account = g_list_model_get_item (model, position);

  return account;  /* the store keeps it */
}

/* A refresh splices only the span that changed, in one items-changed; the
 * accounts that did not change keep their objects (and so their rows). */
static void
test_session_update_accounts (Fixture       *fixture,
                              gconstpointer  user_data)
{
  GListModel *model = cm_session_get_accounts (fixture->session);
  g_autoptr(GPtrArray) first = five_accounts ("active", -1);
  g_autoptr(GPtrArray) same = five_accounts ("active", -1);
  g_autoptr(GPtrArray) suspended = five_accounts ("suspended", -1);
  g_autoptr(GPtrArray) fewer = five_accounts ("suspended", 3);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  Change change = { 0 };

  g_signal_connect (model, "items-changed", G_CALLBACK (on_change_cb), &change);
  cm_session_update_accounts (fixture->session, first);
  g_assert_cmpuint (change.emissions, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);

  /* The same accounts, as new objects: nothing changes. */
  cm_session_update_accounts (fixture->session, same);
  g_assert_cmpuint (change.emissions, ==, 1);
  for (guint i = 0; i < 5; i++)
    g_assert_true (account_at (model, i) == g_ptr_array_index (first, i));

  /* One status changed: that account alone. */
  cm_session_update_accounts (fixture->session, suspended);
  g_assert_cmpuint (change.emissions, ==, 2);
  g_assert_cmpuint (change.position, ==, 2);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 1);
  g_assert_true (account_at (model, 2) == g_ptr_array_index (suspended, 2));
  g_assert_cmpstr (cm_account_get_status (account_at (model, 2)), ==, "suspended");
  for (guint i = 0; i < 5; i++)
    if (i != 2)
      g_assert_true (account_at (model, i) == g_ptr_array_index (first, i));

  /* One unlinked elsewhere: out, the others stay. */
  cm_session_update_accounts (fixture->session, fewer);
  g_assert_cmpuint (change.emissions, ==, 3);
  g_assert_cmpuint (change.position, ==, 3);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_true (account_at (model, 3) == g_ptr_array_index (first, 4));

  /* None left. */
  cm_session_update_accounts (fixture->session, none);
  g_assert_cmpuint (change.emissions, ==, 4);
  g_assert_cmpuint (change.removed, ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/client-server/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("health", test_health);
  ADD ("challenge", test_challenge);
  ADD ("user-id", test_user_id);
  for (gsize i = 0; i < G_N_ELEMENTS (sign_up_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/client-server/sign-up/%s",
                                               sign_up_cases[i].name);

      g_test_add (path, Fixture, &sign_up_cases[i], fixture_setup, test_sign_up_error,
                  fixture_teardown);
    }
  ADD ("sign-up/user-id-taken", test_sign_up_taken);
  ADD ("sign-in/success", test_sign_in);
  ADD ("sign-in/invalid-credentials", test_sign_in_wrong);
  ADD ("sign-in/account-locked", test_sign_in_locked);
  ADD ("sign-in/rate-limited", test_rate_limited);
  ADD ("sign-out", test_sign_out);
  ADD ("session-expires", test_session_expires);
  ADD ("change-password", test_change_password);
  ADD ("account-settings", test_account_settings);
  ADD ("password-reset", test_password_reset);
  ADD ("account-types", test_account_types);
  ADD ("lookup", test_lookup);
  ADD ("access/flow", test_access_flow);
  ADD ("access/by-mail", test_access_by_mail);
  ADD ("access/already-linked", test_access_already_linked);
  ADD ("access/code-expired", test_access_code_expired);
  ADD ("access/needs-session", test_cars_needs_session);
  ADD ("session/lifecycle", test_session_lifecycle);
  ADD ("session/update-accounts", test_session_update_accounts);
  ADD ("session/refresh-after-sign-out", test_session_refresh_after_sign_out);
  ADD ("session/refresh-after-link", test_session_refresh_after_link);
  ADD ("session/not-remembered", test_session_not_remembered);
  ADD ("session/credential-origin", test_session_credential_origin);
  ADD ("session/sign-in-wrong", test_session_sign_in_wrong);
  ADD ("session/expired", test_session_expired);
  ADD ("session/expiring", test_session_expiring);
  ADD ("session/sign-out-offline", test_session_sign_out_offline);
  ADD ("session/real-keyring", test_session_real_keyring);

#undef ADD

  return g_test_run ();
}
