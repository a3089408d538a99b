/* cm-api-client.h: the back-end of docs/openapi.yaml, seen from the app.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cm-account.h"
#include "cm-api-types.h"

G_BEGIN_DECLS

#define CM_TYPE_API_CLIENT (cm_api_client_get_type ())

G_DECLARE_FINAL_TYPE (CmApiClient, cm_api_client, CM, API_CLIENT, GObject)

/* Defaults; each is a property too. */
#define CM_API_CLIENT_DEFAULT_TIMEOUT            30                  /* seconds without progress */
#define CM_API_CLIENT_DEFAULT_REQUEST_TIMEOUT    60                  /* seconds in all */
#define CM_API_CLIENT_DEFAULT_MAX_RESPONSE_SIZE  (32 * 1024 * 1024)  /* bytes: 100,000 accounts */

CmApiClient  *cm_api_client_new                    (const char             *base_uri);
const char   *cm_api_client_get_base_uri           (CmApiClient            *self);
void          cm_api_client_set_token              (CmApiClient            *self,
                                                    const char             *token);
gboolean      cm_api_client_has_token              (CmApiClient            *self);
void          cm_api_client_set_ca_file            (CmApiClient            *self,
                                                    const char             *ca_file);

/* GET milogin/challenge */
void          cm_api_client_get_challenge_async    (CmApiClient            *self,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
CmChallenge  *cm_api_client_get_challenge_finish   (CmApiClient            *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

/* GET milogin/user-ids/{user_id} */
void          cm_api_client_check_user_id_async    (CmApiClient            *self,
                                                    const char             *user_id,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
gboolean      cm_api_client_check_user_id_finish   (CmApiClient            *self,
                                                    GAsyncResult           *result,
                                                    gboolean               *available,
                                                    GError                **error);

/* POST milogin/users; returns the new User ID */
void          cm_api_client_create_user_async      (CmApiClient            *self,
                                                    const CmSignUpRequest  *request,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
char         *cm_api_client_create_user_finish     (CmApiClient            *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

/* POST milogin/sessions. Does not keep the token: cm_api_client_set_token() does (CmSession
 * calls it). */
void          cm_api_client_sign_in_async          (CmApiClient            *self,
                                                    const char             *user_id,
                                                    const char             *password,
                                                    gboolean                remember,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
CmSignInResult *cm_api_client_sign_in_finish       (CmApiClient            *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

/* GET milogin/sessions/current (token NULL in the result) */
void          cm_api_client_get_current_session_async  (CmApiClient        *self,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
CmSignInResult *cm_api_client_get_current_session_finish (CmApiClient      *self,
                                                          GAsyncResult     *result,
                                                          GError          **error);

/* DELETE milogin/sessions/current */
void          cm_api_client_sign_out_async         (CmApiClient            *self,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
gboolean      cm_api_client_sign_out_finish        (CmApiClient            *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

/* PUT milogin/password */
void          cm_api_client_change_password_async  (CmApiClient            *self,
                                                    const char             *current_password,
                                                    const char             *new_password,
                                                    const char             *new_password_confirm,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
gboolean      cm_api_client_change_password_finish (CmApiClient            *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

/* GET milogin/profile: the signed-in user's account settings */
void          cm_api_client_get_profile_async      (CmApiClient            *self,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
CmAccountProfile *cm_api_client_get_profile_finish (CmApiClient            *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

/* PUT milogin/profile: the names, email and phones of @profile (its other fields unused) */
void          cm_api_client_update_profile_async   (CmApiClient            *self,
                                                    const CmAccountProfile *profile,
                                                    const char             *email_confirm,
                                                    const char             *current_password,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
CmAccountProfile *cm_api_client_update_profile_finish (CmApiClient         *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* PUT milogin/recovery-options; @questions and @answers are parallel NULL-terminated lists
 * that replace the security questions ({NULL}: none), or NULL to keep them */
void          cm_api_client_set_recovery_options_async  (CmApiClient         *self,
                                                         const char          *current_password,
                                                         gboolean             email,
                                                         gboolean             text,
                                                         const char * const  *questions,
                                                         const char * const  *answers,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
CmAccountProfile *cm_api_client_set_recovery_options_finish (CmApiClient     *self,
                                                             GAsyncResult    *result,
                                                             GError         **error);

/* POST milogin/password-resets; @method is CM_RESET_METHOD_EMAIL or _TEXT */
void          cm_api_client_request_password_reset_async  (CmApiClient     *self,
                                                           const char      *user_id,
                                                           const char      *method,
                                                           GCancellable    *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer         user_data);
gboolean      cm_api_client_request_password_reset_finish (CmApiClient     *self,
                                                           GAsyncResult    *result,
                                                           GError         **error);

/* POST milogin/password-resets/confirm */
void          cm_api_client_confirm_password_reset_async  (CmApiClient     *self,
                                                           const char      *user_id,
                                                           const char      *pin,
                                                           const char      *new_password,
                                                           const char      *new_password_confirm,
                                                           GCancellable    *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer         user_data);
gboolean      cm_api_client_confirm_password_reset_finish (CmApiClient     *self,
                                                           GAsyncResult    *result,
                                                           GError         **error);

/* GET cars/account-types; a GPtrArray of CmAccountType */
void          cm_api_client_get_account_types_async  (CmApiClient          *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray    *cm_api_client_get_account_types_finish (CmApiClient          *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* POST cars/account-lookups */
void          cm_api_client_lookup_account_async   (CmApiClient            *self,
                                                    const char             *account_type,
                                                    const char             *account_number,
                                                    const char             *zip,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
CmLookupResult *cm_api_client_lookup_account_finish (CmApiClient           *self,
                                                     GAsyncResult          *result,
                                                     GError               **error);

/* POST cars/access-requests; @delivery is CM_DELIVERY_EMAIL or _MAIL */
void          cm_api_client_request_access_async   (CmApiClient            *self,
                                                    const char             *account_type,
                                                    const char             *account_number,
                                                    const char             *zip,
                                                    const char             *delivery,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
CmAccessRequestResult *cm_api_client_request_access_finish (CmApiClient    *self,
                                                            GAsyncResult   *result,
                                                            GError        **error);

/* POST cars/authorization-code-checks: a wrong code counts against Submit's lock */
void          cm_api_client_check_code_async       (CmApiClient            *self,
                                                    const char             *authorization_code,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
gboolean      cm_api_client_check_code_finish      (CmApiClient            *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

/* POST cars/account-access; @email (nullable) is told of the access */
void          cm_api_client_add_account_access_async  (CmApiClient         *self,
                                                       const char          *authorization_code,
                                                       const char          *account_type,
                                                       const char          *account_number,
                                                       const char          *zip,
                                                       const char          *email,
                                                       gboolean             terms_accepted,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
CmAccount    *cm_api_client_add_account_access_finish (CmApiClient         *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* GET cars/accounts; a GPtrArray of CmAccount */
void          cm_api_client_list_accounts_async    (CmApiClient            *self,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
GPtrArray    *cm_api_client_list_accounts_finish   (CmApiClient            *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

/* DELETE cars/accounts/{account_type}/{account_number} */
void          cm_api_client_remove_account_async   (CmApiClient            *self,
                                                    const char             *account_type,
                                                    const char             *account_number,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
gboolean      cm_api_client_remove_account_finish  (CmApiClient            *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

G_END_DECLS
