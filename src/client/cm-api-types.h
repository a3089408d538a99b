/* cm-api-types.h: the plain results (and the sign-up request) of CmApiClient.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * CmChallenge:
 * @challenge_id: to send back with the answer
 * @question: e.g. Which word from the list contains the letter "p"?
 * @words: (array zero-terminated=1): the words to choose from
 * @letter: the letter the question is about
 *
 * The verification question of the sign-up profile page.
 */
typedef struct
{
  char  *challenge_id;
  char  *question;
  char **words;
  char  *letter;
} CmChallenge;

/**
 * CmSignInResult:
 * @token: (nullable): the bearer token; %NULL in the answer of
 *   cm_api_client_get_current_session_finish(), which does not repeat it
 * @expires_at: when the session ends unless it is used again
 * @user_id: the User ID as the back-end spells it
 * @first_name: (nullable):
 * @last_name: (nullable):
 * @email_masked: (nullable): e.g. "E************L@EMAIL.COM"
 *
 * Who is signed in. Free with cm_sign_in_result_free(), which wipes the token.
 */
typedef struct
{
  char      *token;
  GDateTime *expires_at;
  char      *user_id;
  char      *first_name;
  char      *last_name;
  char      *email_masked;
} CmSignInResult;

/**
 * CmAccountType:
 * @id: "mechanic" or "mechanic_school" (CM_ACCOUNT_TYPE_*)
 * @label: what the list shows, e.g. "Mechanic"
 * @number_label: what the number entry is called, e.g. "Mechanic Number"
 */
typedef struct
{
  char *id;
  char *label;
  char *number_label;
} CmAccountType;

/**
 * CmLookupResult:
 * @email_masked: (nullable): the masked email on record, %NULL when there is none
 * @mail_only: %TRUE when the code can only be sent by mail
 * @name: the business or school on record
 * @city: its city
 * @mailing_address_masked: (nullable): the street masked, city, state and ZIP in full
 */
typedef struct
{
  char     *account_type;
  char     *account_number;
  char     *email_masked;
  gboolean  mail_only;
  char     *name;
  char     *city;
  char     *mailing_address_masked;
} CmLookupResult;

/**
 * CmAccessRequestResult:
 * @confirmation_number: e.g. "0-000-021-028"
 * @delivery: CM_DELIVERY_EMAIL or CM_DELIVERY_MAIL
 * @email_masked: (nullable):
 * @notice: how the code will arrive, as the server words it
 */
typedef struct
{
  char *confirmation_number;
  char *delivery;
  char *email_masked;
  char *notice;
} CmAccessRequestResult;

/**
 * CmSignUpRequest:
 *
 * Everything `POST milogin/users` takes. Allocate with cm_sign_up_request_new()
 * and fill the fields (each owned, g_strdup'd); free with
 * cm_sign_up_request_free(), which wipes the passwords and answers.
 * @security_questions and @security_answers are parallel, %NULL-terminated
 * (or %NULL when the user chose no questions).
 */
typedef struct
{
  char      *first_name;
  char      *middle_initial;
  char      *last_name;
  char      *suffix;
  char      *email;
  char      *email_confirm;
  char      *work_phone;
  char      *mobile_phone;
  char      *challenge_id;
  char      *challenge_answer;
  gboolean   terms_accepted;
  char      *user_id;
  char      *password;
  char      *password_confirm;
  gboolean   recovery_email;
  gboolean   recovery_text;
  char     **security_questions;
  char     **security_answers;
} CmSignUpRequest;

void              cm_challenge_free               (CmChallenge            *challenge);
void              cm_sign_in_result_free          (CmSignInResult         *result);
void              cm_account_type_free            (CmAccountType          *account_type);
void              cm_lookup_result_free           (CmLookupResult         *result);
void              cm_access_request_result_free   (CmAccessRequestResult  *result);
CmSignUpRequest  *cm_sign_up_request_new          (void);
void              cm_sign_up_request_free         (CmSignUpRequest        *request);

/* Overwrites a secret string before freeing it. */
void              cm_secret_free                  (char                   *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmChallenge, cm_challenge_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmSignInResult, cm_sign_in_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmAccountType, cm_account_type_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmLookupResult, cm_lookup_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmAccessRequestResult, cm_access_request_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmSignUpRequest, cm_sign_up_request_free)

/**
 * CmAccountProfile:
 * @user_id: the User ID (not changed by the settings)
 * @first_name, @last_name, @email: as the back-end keeps them
 * @work_phone, @mobile_phone: 10 digits; @mobile_phone may be ""
 * @recovery_email, @recovery_text: a reset PIN by email, by text
 * @questions: (array zero-terminated=1): the text of each security question
 *
 * The signed-in user's MILogin account settings (GET milogin/profile). Free with
 * cm_account_profile_free().
 */
typedef struct
{
  char      *user_id;
  char      *first_name;
  char      *last_name;
  char      *email;
  char      *work_phone;
  char      *mobile_phone;
  gboolean   recovery_email;
  gboolean   recovery_text;
  char     **questions;
} CmAccountProfile;

void              cm_account_profile_free         (CmAccountProfile       *profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmAccountProfile, cm_account_profile_free)

G_END_DECLS
