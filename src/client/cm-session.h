/* cm-session.h: who is signed in, and their linked accounts.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cm-account.h"
#include "cm-api-client.h"
#include "cm-credential-store.h"

G_BEGIN_DECLS

#define CM_TYPE_SESSION_STATE (cm_session_state_get_type ())
#define CM_TYPE_SESSION (cm_session_get_type ())

/**
 * CmSessionState:
 * @CM_SESSION_STATE_SIGNED_OUT: nobody is signed in
 * @CM_SESSION_STATE_SIGNING_IN: a sign-in or a restore is under way
 * @CM_SESSION_STATE_SIGNED_IN: a user is signed in
 * @CM_SESSION_STATE_EXPIRED: the back-end ended the session; the user and
 *   accounts stay, so the UI can ask for the password again without losing
 *   what the user typed
 */
typedef enum
{
  CM_SESSION_STATE_SIGNED_OUT,
  CM_SESSION_STATE_SIGNING_IN,
  CM_SESSION_STATE_SIGNED_IN,
  CM_SESSION_STATE_EXPIRED,
} CmSessionState;

GType cm_session_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (CmSession, cm_session, CM, SESSION, GObject)

#define CM_SESSION_DEFAULT_EXPIRING_LEAD_TIME 120  /* seconds */
/* The keyring origin of practice mode: never a back-end URI (docs/decisions.md). */
#define CM_SESSION_PRACTICE_ORIGIN "practice:"

CmSession         *cm_session_new                     (CmApiClient          *api_client,
                                                       CmCredentialStore    *credential_store);

CmApiClient       *cm_session_get_api_client          (CmSession            *self);
CmCredentialStore *cm_session_get_credential_store    (CmSession            *self);
CmSessionState     cm_session_get_state               (CmSession            *self);
const char        *cm_session_get_user_id             (CmSession            *self);
const char        *cm_session_get_first_name          (CmSession            *self);
gboolean           cm_session_get_remembered          (CmSession            *self);
GListModel        *cm_session_get_accounts            (CmSession            *self);

void               cm_session_sign_in_async           (CmSession            *self,
                                                       const char           *user_id,
                                                       const char           *password,
                                                       gboolean              remember,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           cm_session_sign_in_finish          (CmSession            *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void               cm_session_restore_async           (CmSession            *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           cm_session_restore_finish          (CmSession            *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void               cm_session_refresh_async           (CmSession            *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           cm_session_refresh_finish          (CmSession            *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void               cm_session_refresh_accounts_async  (CmSession            *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           cm_session_refresh_accounts_finish (CmSession            *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void               cm_session_link_account_async      (CmSession            *self,
                                                       const char           *authorization_code,
                                                       const char           *account_type,
                                                       const char           *account_number,
                                                       const char           *zip,
                                                       const char           *email,
                                                       gboolean              terms_accepted,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
CmAccount         *cm_session_link_account_finish     (CmSession            *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void               cm_session_unlink_account_async    (CmSession            *self,
                                                       const char           *account_type,
                                                       const char           *account_number,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           cm_session_unlink_account_finish   (CmSession            *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void               cm_session_sign_out_async          (CmSession            *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           cm_session_sign_out_finish         (CmSession            *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
void               cm_session_note_password_reset     (CmSession            *self,
                                                       const char           *user_id);
void               cm_session_set_credential_origin   (CmSession            *self,
                                                       const char           *origin);

G_END_DECLS
