/* cm-server-hash-private.h: Argon2id off the main loop.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cm-server.h"

G_BEGIN_DECLS

#define CM_TYPE_SERVER_HASH (cm_server_hash_get_type ())

G_DECLARE_FINAL_TYPE (CmServerHash, cm_server_hash, CM, SERVER_HASH, GObject)

CmServerHash *cm_server_hash_new             (CmServerHashCost     cost);
CmServerHashCost cm_server_hash_get_cost     (CmServerHash        *self);
/* How many jobs are queued or running. */
guint         cm_server_hash_get_pending     (CmServerHash        *self);

/* Hashes @password; the result is a crypto_pwhash_str() string. */
void          cm_server_hash_password_async  (CmServerHash        *self,
                                              const char          *password,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
char         *cm_server_hash_password_finish (CmServerHash        *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Verifies @password against @stored, or against a dummy hash of the same cost when
 * @stored is NULL, so an unknown user takes as long as a known one. */
void          cm_server_hash_verify_async    (CmServerHash        *self,
                                              const char          *stored,
                                              const char          *password,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      cm_server_hash_verify_finish   (CmServerHash        *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* A password change: fails with CM_ERROR_PASSWORD_REUSED when @password matches one
 * of @history, else returns the new hash. */
void          cm_server_hash_replace_async   (CmServerHash        *self,
                                              const char * const  *history,
                                              const char          *password,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
char         *cm_server_hash_replace_finish  (CmServerHash        *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* A keyed digest for high-entropy secrets (tokens, codes, PINs): no Argon2 needed. */
void          cm_server_hash_digest          (const char          *secret,
                                              guint8              *digest);

G_END_DECLS
