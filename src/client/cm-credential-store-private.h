/* cm-credential-store-private.h: the calls of CmCredentialStore that only the tests call;
 * the app has cm-credential-store.h.
 * (The developers' guide: test-only calls are not in the public header.)
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-credential-store.h"

G_BEGIN_DECLS

CmCredentialBackend  cm_credential_store_get_backend            (CmCredentialStore   *self);
void                 cm_credential_store_lookup_async           (CmCredentialStore   *self,
                                                                 const char          *server,
                                                                 const char          *user_id,
                                                                 CmCredentialKind     kind,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
char                *cm_credential_store_lookup_finish          (CmCredentialStore   *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);

G_END_DECLS
