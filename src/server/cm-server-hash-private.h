/* cm-server-hash-private.h: Argon2id off the main loop.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cm-server.h"
#include "cm-server-db-private.h"

G_BEGIN_DECLS

#define CM_TYPE_SERVER_HASH (cm_server_hash_get_type ())

G_DECLARE_FINAL_TYPE (CmServerHash, cm_server_hash, CM, SERVER_HASH, GObject)

CmServerHash *cm_server_hash_new             (CmServerHashCost     cost);
CmServerHashCost cm_server_hash_get_cost     (CmServerHash        *self);
/* How many jobs are queued or running. */
guint         cm_server_hash_get_pending     (CmServerHash        *self);

/* Jobs queued or running at most, per worker thread: past it a job fails at once with
 * CM_ERROR_UNAVAILABLE and a retry_after of CM_SERVER_HASH_RETRY_SECONDS. */
#define CM_SERVER_HASH_QUEUE_PER_THREAD 16
#define CM_SERVER_HASH_RETRY_SECONDS    2
/* Tests: another bound for the whole queue. */
void          cm_server_hash_set_max_pending (CmServerHash        *self,
                                              guint                max_pending);

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

/* A digest for high-entropy secrets (tokens, codes): no key nor Argon2 needed. */
void          cm_server_hash_digest          (const char          *secret,
                                              guint8              *digest);

/* The server's secret: DATABASE.key, 32 random bytes made (mode 0600) on first start; for
 * ":memory:" a key that lives as long as the process. Low-entropy secrets (reset PINs,
 * security answers) and the keys of the attempt limits are digested with it, so a copy of
 * the database alone cannot be searched for them. */
#define CM_SERVER_HASH_KEY_BYTES  32
#define CM_SERVER_HASH_KEY_SUFFIX ".key"

typedef enum
{
  CM_SERVER_HASH_PURPOSE_USER_ID,
  CM_SERVER_HASH_PURPOSE_RESET_PIN,
  CM_SERVER_HASH_PURPOSE_RECOVERY_ANSWER,
} CmServerHashPurpose;

gboolean      cm_server_hash_load_key        (CmServerHash        *self,
                                              const char          *database_path,
                                              GError             **error);
gboolean      cm_server_hash_load_key_file   (CmServerHash        *self,
                                              const char          *path,
                                              GError             **error);
/* Keyed BLAKE2b of @data, CM_SERVER_DB_DIGEST_BYTES long; needs the key loaded. */
void          cm_server_hash_keyed_digest    (CmServerHash        *self,
                                              CmServerHashPurpose  purpose,
                                              const void          *data,
                                              gsize                length,
                                              guint8              *digest);

G_END_DECLS
