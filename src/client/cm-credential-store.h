/* cm-credential-store.h: secrets in the keyring (libsecret), and nowhere else.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CM_TYPE_CREDENTIAL_STORE (cm_credential_store_get_type ())

G_DECLARE_FINAL_TYPE (CmCredentialStore, cm_credential_store, CM, CREDENTIAL_STORE, GObject)

/**
 * CmCredentialBackend:
 * @CM_CREDENTIAL_BACKEND_SECRET: libsecret (the Secret Service, e.g. gnome-keyring)
 * @CM_CREDENTIAL_BACKEND_MEMORY: a table in this process, for unit tests
 *   (chosen by `CM_CREDENTIAL_BACKEND=memory`)
 */
typedef enum
{
  CM_CREDENTIAL_BACKEND_SECRET,
  CM_CREDENTIAL_BACKEND_MEMORY,
} CmCredentialBackend;

/**
 * CmCredentialKind:
 * @CM_CREDENTIAL_KIND_TOKEN: a session token
 * @CM_CREDENTIAL_KIND_PASSWORD: the password, kept only when the user asks for it
 */
typedef enum
{
  CM_CREDENTIAL_KIND_TOKEN,
  CM_CREDENTIAL_KIND_PASSWORD,
} CmCredentialKind;

/**
 * CmCredentialHealth:
 * @CM_CREDENTIAL_HEALTH_WORKS: secrets can be stored
 * @CM_CREDENTIAL_HEALTH_NO_SERVICE: no Secret Service on the session bus (or no bus)
 * @CM_CREDENTIAL_HEALTH_LOCKED: the default collection is locked
 * @CM_CREDENTIAL_HEALTH_NO_COLLECTION: the service has no default collection
 */
typedef enum
{
  CM_CREDENTIAL_HEALTH_WORKS,
  CM_CREDENTIAL_HEALTH_NO_SERVICE,
  CM_CREDENTIAL_HEALTH_LOCKED,
  CM_CREDENTIAL_HEALTH_NO_COLLECTION,
} CmCredentialHealth;

CmCredentialStore   *cm_credential_store_new                    (void);
CmCredentialStore   *cm_credential_store_new_for_backend        (CmCredentialBackend  backend);

void                 cm_credential_store_store_async            (CmCredentialStore   *self,
                                                                 const char          *server,
                                                                 const char          *user_id,
                                                                 CmCredentialKind     kind,
                                                                 const char          *secret,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
gboolean             cm_credential_store_store_finish           (CmCredentialStore   *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);


void                 cm_credential_store_lookup_remembered_async  (CmCredentialStore *self,
                                                                   const char        *server,
                                                                   GCancellable      *cancellable,
                                                                   GAsyncReadyCallback callback,
                                                                   gpointer           user_data);
gboolean             cm_credential_store_lookup_remembered_finish (CmCredentialStore *self,
                                                                   GAsyncResult      *result,
                                                                   char             **user_id,
                                                                   char             **token,
                                                                   GError           **error);

void                 cm_credential_store_clear_async            (CmCredentialStore   *self,
                                                                 const char          *server,
                                                                 const char          *user_id,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
gboolean             cm_credential_store_clear_finish           (CmCredentialStore   *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);

void                 cm_credential_store_check_health_async     (CmCredentialStore   *self,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
CmCredentialHealth   cm_credential_store_check_health_finish    (CmCredentialStore   *self,
                                                                 GAsyncResult        *result);

G_END_DECLS
