/* cm-protocol.h: the paths and member names of docs/openapi.yaml, once.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CM_API_PREFIX                    "/api/v1"

/* Paths, relative to the back-end's base URL. */
#define CM_PATH_HEALTH                   CM_API_PREFIX "/health"
#define CM_PATH_CHALLENGE                CM_API_PREFIX "/milogin/challenge"
/* + "/{user_id}" */
#define CM_PATH_USER_IDS                 CM_API_PREFIX "/milogin/user-ids"
#define CM_PATH_USERS                    CM_API_PREFIX "/milogin/users"
#define CM_PATH_SESSIONS                 CM_API_PREFIX "/milogin/sessions"
#define CM_PATH_SESSION_CURRENT          CM_API_PREFIX "/milogin/sessions/current"
#define CM_PATH_PASSWORD                 CM_API_PREFIX "/milogin/password"
#define CM_PATH_PASSWORD_RESETS          CM_API_PREFIX "/milogin/password-resets"
#define CM_PATH_PASSWORD_RESETS_CONFIRM  CM_API_PREFIX "/milogin/password-resets/confirm"
/* The signed-in user's account settings */
#define CM_PATH_PROFILE                  CM_API_PREFIX "/milogin/profile"
#define CM_PATH_RECOVERY_OPTIONS         CM_API_PREFIX "/milogin/recovery-options"
#define CM_PATH_ACCOUNT_TYPES            CM_API_PREFIX "/cars/account-types"
#define CM_PATH_ACCOUNT_LOOKUPS          CM_API_PREFIX "/cars/account-lookups"
#define CM_PATH_ACCESS_REQUESTS          CM_API_PREFIX "/cars/access-requests"
#define CM_PATH_ACCOUNT_ACCESS           CM_API_PREFIX "/cars/account-access"
#define CM_PATH_CODE_CHECKS              CM_API_PREFIX "/cars/authorization-code-checks"
/* + "/{account_type}/{account_number}" */
#define CM_PATH_ACCOUNTS                 CM_API_PREFIX "/cars/accounts"

#define CM_CONTENT_TYPE_JSON             "application/json"
#define CM_HEADER_AUTHORIZATION          "Authorization"
#define CM_HEADER_RETRY_AFTER            "Retry-After"
#define CM_BEARER_PREFIX                 "Bearer "

/* The link in the emails and letters: it opens Add Account Access with the code
 * filled in (docs/packaging.md, "The link scheme"). */
#define CM_URI_ADD_ACCOUNT_ACCESS        "io.github.carsmechanic:/add-account-access"
#define CM_URI_PARAM_CODE                "code"

/* Enumerated values */
#define CM_ACCOUNT_TYPE_MECHANIC         "mechanic"
#define CM_ACCOUNT_TYPE_MECHANIC_SCHOOL  "mechanic_school"
#define CM_DELIVERY_EMAIL                "email"
#define CM_DELIVERY_MAIL                 "mail"
#define CM_RESET_METHOD_EMAIL            "email"
#define CM_RESET_METHOD_TEXT             "text"

/* Member names */
#define CM_MEMBER_ERROR                  "error"
#define CM_MEMBER_CODE                   "code"
#define CM_MEMBER_MESSAGE                "message"
#define CM_MEMBER_FIELD                  "field"
#define CM_MEMBER_DETAILS                "details"
#define CM_MEMBER_RETRY_AFTER            "retry_after"

#define CM_MEMBER_STATUS                 "status"
#define CM_MEMBER_VERSION                "version"

#define CM_MEMBER_CHALLENGE_ID           "challenge_id"
#define CM_MEMBER_QUESTION               "question"
#define CM_MEMBER_WORDS                  "words"
#define CM_MEMBER_LETTER                 "letter"
#define CM_MEMBER_ANSWER                 "answer"
#define CM_MEMBER_CHALLENGE              "challenge"

#define CM_MEMBER_USER_ID                "user_id"
#define CM_MEMBER_AVAILABLE              "available"

#define CM_MEMBER_PROFILE                "profile"
#define CM_MEMBER_FIRST_NAME             "first_name"
#define CM_MEMBER_MIDDLE_INITIAL         "middle_initial"
#define CM_MEMBER_LAST_NAME              "last_name"
#define CM_MEMBER_SUFFIX                 "suffix"
#define CM_MEMBER_EMAIL                  "email"
#define CM_MEMBER_EMAIL_CONFIRM          "email_confirm"
#define CM_MEMBER_WORK_PHONE             "work_phone"
#define CM_MEMBER_MOBILE_PHONE           "mobile_phone"
#define CM_MEMBER_TERMS_ACCEPTED         "terms_accepted"
#define CM_MEMBER_PASSWORD               "password"
#define CM_MEMBER_PASSWORD_CONFIRM       "password_confirm"
#define CM_MEMBER_RECOVERY               "recovery"
#define CM_MEMBER_RECOVERY_EMAIL         "email"
#define CM_MEMBER_RECOVERY_TEXT          "text"
#define CM_MEMBER_QUESTIONS              "questions"

#define CM_MEMBER_REMEMBER               "remember"
#define CM_MEMBER_TOKEN                  "token"
#define CM_MEMBER_EXPIRES_AT             "expires_at"
#define CM_MEMBER_USER                   "user"
#define CM_MEMBER_EMAIL_MASKED           "email_masked"

#define CM_MEMBER_CURRENT_PASSWORD       "current_password"
#define CM_MEMBER_NEW_PASSWORD           "new_password"
#define CM_MEMBER_NEW_PASSWORD_CONFIRM   "new_password_confirm"
#define CM_MEMBER_METHOD                 "method"
#define CM_MEMBER_PIN                    "pin"

#define CM_MEMBER_ID                     "id"
#define CM_MEMBER_LABEL                  "label"
#define CM_MEMBER_NUMBER_LABEL           "number_label"
#define CM_MEMBER_ACCOUNT_TYPE           "account_type"
#define CM_MEMBER_ACCOUNT_NUMBER         "account_number"
#define CM_MEMBER_ZIP                    "zip"
#define CM_MEMBER_MAIL_ONLY              "mail_only"
#define CM_MEMBER_DELIVERY               "delivery"
#define CM_MEMBER_CONFIRMATION_NUMBER    "confirmation_number"
#define CM_MEMBER_NOTICE                 "notice"
#define CM_MEMBER_AUTHORIZATION_CODE     "authorization_code"
#define CM_MEMBER_ACCOUNT                "account"
#define CM_MEMBER_ACCOUNTS               "accounts"
#define CM_MEMBER_NAME                   "name"
#define CM_MEMBER_CITY                   "city"
#define CM_MEMBER_MAILING_ADDRESS_MASKED "mailing_address_masked"
#define CM_MEMBER_LINKED_AT              "linked_at"
#define CM_MEMBER_CERTIFICATE_EXPIRES    "certificate_expires"

G_END_DECLS
