/* cm-server-db-private.h: the server's store, on SQLite or PostgreSQL (cm-db-driver.h is the
 * seam between them); every database call lives behind it.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CM_TYPE_SERVER_DB (cm_server_db_get_type ())

G_DECLARE_FINAL_TYPE (CmServerDb, cm_server_db, CM, SERVER_DB, GObject)

/* A fault of the storage rather than of the request (disk full, file read-only, I/O error,
 * busy past the timeout): the server answers 503 unavailable and keeps running. */
#define CM_SERVER_STORAGE_ERROR (cm_server_storage_error_quark ())

typedef enum
{
  CM_SERVER_STORAGE_ERROR_NO_SPACE,
  CM_SERVER_STORAGE_ERROR_READ_ONLY,
  CM_SERVER_STORAGE_ERROR_BUSY,
  CM_SERVER_STORAGE_ERROR_IO,
} CmServerStorageError;

GQuark cm_server_storage_error_quark (void);

/* The hashes of tokens, codes and PINs are this many bytes (crypto_generichash). */
#define CM_SERVER_DB_DIGEST_BYTES 32

typedef struct
{
  gint64  id;
  char   *user_id;
  char   *first_name;
  char   *middle_initial;
  char   *last_name;
  char   *suffix;
  char   *email;
  char   *work_phone;
  char   *mobile_phone;
  gboolean recovery_email;
  gboolean recovery_text;
  char   *password_hash;
} CmServerDbUser;

void cm_server_db_user_free (CmServerDbUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmServerDbUser, cm_server_db_user_free)

typedef struct
{
  gint64 id;
  gint64 user;
  gint64 created_at;
  gint64 last_used_at;
  gint64 idle_seconds;
  gint64 absolute_expires_at;
  gboolean revoked;
} CmServerDbSession;

typedef struct
{
  char *account_type;
  char *account_number;
  char *zip;
  char *name;
  char *city;
  char *email;              /* (nullable): mail only */
  char *mailing_address;
  char *status;
  char *certificate_expires; /* (nullable): YYYY-MM-DD */
  gint64 linked_at;          /* only in account lists */
} CmServerDbAccount;

void cm_server_db_account_free (CmServerDbAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmServerDbAccount, cm_server_db_account_free)

typedef struct
{
  gint64 id;
  gint64 expires_at;
  gboolean used;
  gboolean voided;
} CmServerDbCode;

typedef struct
{
  gint64 id;
  guint8 pin_hash[CM_SERVER_DB_DIGEST_BYTES];
  gint64 expires_at;
} CmServerDbReset;

CmServerDb *cm_server_db_new               (void);
gboolean    cm_server_db_open              (CmServerDb        *self,
                                            const char        *path,
                                            GError           **error);
void        cm_server_db_close             (CmServerDb        *self);
gboolean    cm_server_db_is_open           (CmServerDb        *self);
gboolean    cm_server_db_is_postgresql     (CmServerDb        *self);
gint64      cm_server_db_get_schema_version (CmServerDb       *self);

/* One transaction per state change: begin, the writes, then commit (or rollback). */
gboolean    cm_server_db_begin             (CmServerDb        *self,
                                            GError           **error);
gboolean    cm_server_db_commit            (CmServerDb        *self,
                                            GError           **error);
void        cm_server_db_rollback          (CmServerDb        *self);
gboolean    cm_server_db_begin_read        (CmServerDb        *self,
                                            GError           **error);
void        cm_server_db_end_read          (CmServerDb        *self);

/* Users */
gboolean    cm_server_db_user_exists       (CmServerDb        *self,
                                            const char        *user_id,
                                            gboolean          *exists,
                                            GError           **error);
gboolean    cm_server_db_insert_user       (CmServerDb        *self,
                                            const CmServerDbUser *user,
                                            gint64             now,
                                            gint64            *id,
                                            GError           **error);
gboolean    cm_server_db_insert_recovery_question (CmServerDb  *self,
                                            gint64             user,
                                            const char        *question,
                                            const guint8      *answer_hash,
                                            GError           **error);
/* Security answers stored before the server's key: @rekey turns each old digest into the
 * new one in place; call it in a transaction. */
typedef void (*CmServerDbRekeyFunc) (guint8 *digest, gpointer user_data);
gboolean    cm_server_db_rekey_answers     (CmServerDb        *self,
                                            CmServerDbRekeyFunc rekey,
                                            gpointer           user_data,
                                            guint             *n_rekeyed,
                                            GError           **error);
CmServerDbUser *cm_server_db_get_user      (CmServerDb        *self,
                                            const char        *user_id,
                                            GError           **error);
CmServerDbUser *cm_server_db_get_user_by_id (CmServerDb       *self,
                                            gint64             id,
                                            GError           **error);
gboolean    cm_server_db_set_password      (CmServerDb        *self,
                                            gint64             user,
                                            const char        *password_hash,
                                            gint64             now,
                                            GError           **error);
/* The newest @limit password hashes (the current one first). */
GStrv       cm_server_db_get_password_history (CmServerDb     *self,
                                            gint64             user,
                                            guint              limit,
                                            GError           **error);

/* Account settings (cm-server-db-account.c): the names, email and phones of @user->id; the
 * recovery switches; the security questions (their text, oldest first). */
gboolean    cm_server_db_update_profile    (CmServerDb        *self,
                                            const CmServerDbUser *user,
                                            GError           **error);
gboolean    cm_server_db_set_recovery      (CmServerDb        *self,
                                            gint64             user,
                                            gboolean           email,
                                            gboolean           text,
                                            GError           **error);
gboolean    cm_server_db_delete_recovery_questions (CmServerDb *self,
                                            gint64             user,
                                            GError           **error);
GStrv       cm_server_db_get_recovery_questions (CmServerDb   *self,
                                            gint64             user,
                                            GError           **error);

/* Attempt limits: one row per kind and keyed digest of a User ID, whether or not it exists.
 * What the fields mean and when they lapse is the caller's rule (cm-server-auth.c). */
typedef enum
{
  CM_SERVER_DB_LIMIT_SIGN_IN = 1,       /* wrong passwords, at sign-in and password change */
  CM_SERVER_DB_LIMIT_RESET_PIN = 2,     /* wrong reset PINs, whatever the PIN */
  CM_SERVER_DB_LIMIT_RESET_REQUEST = 3, /* PINs asked for */
} CmServerDbLimitKind;

typedef struct
{
  gint64 count;         /* failures (or requests) that still count */
  gint64 pending;       /* attempts admitted and not finished */
  gint64 locked_until;  /* 0 when not locked */
  gint64 updated_at;
} CmServerDbLimit;

/* All zero when there is no row. */
gboolean    cm_server_db_get_limit         (CmServerDb        *self,
                                            CmServerDbLimitKind kind,
                                            const guint8      *key,
                                            CmServerDbLimit   *limit,
                                            GError           **error);
/* An all-zero @limit deletes the row. */
gboolean    cm_server_db_set_limit         (CmServerDb        *self,
                                            CmServerDbLimitKind kind,
                                            const guint8      *key,
                                            const CmServerDbLimit *limit,
                                            GError           **error);
/* Deletes the rows last changed before @before that hold no lock at @now. */
gboolean    cm_server_db_prune_limits      (CmServerDb        *self,
                                            gint64             before,
                                            gint64             now,
                                            GError           **error);

/* Sessions */
gboolean    cm_server_db_insert_session    (CmServerDb        *self,
                                            const guint8      *token_hash,
                                            gint64             user,
                                            gint64             now,
                                            gint64             idle_seconds,
                                            gint64             absolute_expires_at,
                                            GError           **error);
/* Returns FALSE with no error when the token is unknown. */
gboolean    cm_server_db_get_session       (CmServerDb        *self,
                                            const guint8      *token_hash,
                                            CmServerDbSession *session,
                                            GError           **error);
gboolean    cm_server_db_touch_session     (CmServerDb        *self,
                                            gint64             id,
                                            gint64             now,
                                            GError           **error);
gboolean    cm_server_db_revoke_session    (CmServerDb        *self,
                                            gint64             id,
                                            gint64             now,
                                            GError           **error);
/* Revokes every live session of @user except @keep (0 for none). */
gboolean    cm_server_db_revoke_user_sessions (CmServerDb     *self,
                                            gint64             user,
                                            gint64             keep,
                                            gint64             now,
                                            GError           **error);

/* Verification challenges */
gboolean    cm_server_db_insert_challenge  (CmServerDb        *self,
                                            const char        *id,
                                            const char        *answer,
                                            gint64             expires_at,
                                            GError           **error);
/* Atomically marks the challenge used; @answer receives its answer when it was
 * unused and unexpired, NULL otherwise. */
gboolean    cm_server_db_take_challenge    (CmServerDb        *self,
                                            const char        *id,
                                            gint64             now,
                                            char             **answer,
                                            GError           **error);
gboolean    cm_server_db_peek_challenge    (CmServerDb        *self,
                                            const char        *id,
                                            gint64             now,
                                            char             **answer,
                                            GError           **error);

/* Password resets */
gboolean    cm_server_db_insert_reset      (CmServerDb        *self,
                                            gint64             user,
                                            const guint8      *pin_hash,
                                            gint64             now,
                                            gint64             expires_at,
                                            GError           **error);
/* The newest reset not used nor voided; FALSE with no error when there is none. */
gboolean    cm_server_db_get_reset         (CmServerDb        *self,
                                            gint64             user,
                                            CmServerDbReset   *reset,
                                            GError           **error);
gboolean    cm_server_db_use_reset         (CmServerDb        *self,
                                            gint64             id,
                                            gint64             now,
                                            gboolean          *used,
                                            GError           **error);

/* The State's registry */
gboolean    cm_server_db_upsert_registry   (CmServerDb        *self,
                                            const CmServerDbAccount *account,
                                            GError           **error);
gint64      cm_server_db_count_registry    (CmServerDb        *self,
                                            GError           **error);
CmServerDbAccount *cm_server_db_get_registry (CmServerDb      *self,
                                            const char        *account_type,
                                            const char        *account_number,
                                            GError           **error);

/* Access requests and authorization codes */
gboolean    cm_server_db_next_counter      (CmServerDb        *self,
                                            const char        *name,
                                            guint64           *value,
                                            GError           **error);
/* Voids the same user's older live codes for the account, then records the new one. */
gboolean    cm_server_db_insert_access_request (CmServerDb    *self,
                                            guint64            confirmation,
                                            gint64             user,
                                            const char        *account_type,
                                            const char        *account_number,
                                            const char        *delivery,
                                            const guint8      *code_hash,
                                            gint64             now,
                                            gint64             expires_at,
                                            GError           **error);
/* The creation time of the @nth newest access request after @since: by @user when
 * @account_type is NULL, else for that account by anyone; 0 when there are fewer than @nth.
 * For the daily limits. */
gboolean    cm_server_db_nth_recent_request (CmServerDb       *self,
                                            gint64             user,
                                            const char        *account_type,
                                            const char        *account_number,
                                            gint64             since,
                                            guint              nth,
                                            gint64            *created_at,
                                            GError           **error);
/* Only @user's own codes: a code sent for someone else's request is no code for @user.
 * @account_type and @account_number %NULL: the newest such code for any account. */
gboolean    cm_server_db_find_code         (CmServerDb        *self,
                                            gint64             user,
                                            const char        *account_type,
                                            const char        *account_number,
                                            const guint8      *code_hash,
                                            CmServerDbCode    *code,
                                            GError           **error);
/* The single-use step: one UPDATE ... WHERE used_at IS NULL; @taken tells whether it won. */
gboolean    cm_server_db_use_code          (CmServerDb        *self,
                                            gint64             id,
                                            gint64             now,
                                            gboolean          *taken,
                                            GError           **error);
gboolean    cm_server_db_get_code_lock     (CmServerDb        *self,
                                            gint64             user,
                                            const char        *account_type,
                                            const char        *account_number,
                                            gint64            *failures,
                                            gint64            *locked_until,
                                            GError           **error);
gboolean    cm_server_db_set_code_lock     (CmServerDb        *self,
                                            gint64             user,
                                            const char        *account_type,
                                            const char        *account_number,
                                            gint64             failures,
                                            gint64             locked_until,
                                            GError           **error);

/* Linked accounts */
gboolean    cm_server_db_has_access        (CmServerDb        *self,
                                            gint64             user,
                                            const char        *account_type,
                                            const char        *account_number,
                                            gboolean          *linked,
                                            GError           **error);
gboolean    cm_server_db_insert_access     (CmServerDb        *self,
                                            gint64             user,
                                            const char        *account_type,
                                            const char        *account_number,
                                            gint64             now,
                                            GError           **error);
gboolean    cm_server_db_delete_access     (CmServerDb        *self,
                                            gint64             user,
                                            const char        *account_type,
                                            const char        *account_number,
                                            gboolean          *deleted,
                                            GError           **error);
/* (element-type CmServerDbAccount) with linked_at set */
GPtrArray  *cm_server_db_list_access       (CmServerDb        *self,
                                            gint64             user,
                                            GError           **error);

/* Per-address rate limits: takes a token from @key's bucket, which holds @capacity and
 * refills @capacity a minute; @now in microseconds. *allowed: whether a token was taken;
 * *next_token_at: the microsecond from which the bucket can hold a whole token again (later
 * than @now when it holds less than one now, whether or not this call took one; no other
 * caller can make it sooner, only later). Not in a transaction: one statement, atomic on its
 * own. */
gboolean    cm_server_db_take_rate_token   (CmServerDb        *self,
                                            const char        *key,
                                            double             capacity,
                                            gint64             now,
                                            gboolean          *allowed,
                                            gint64            *next_token_at,
                                            GError           **error);
/* Deletes the buckets last used before @before (microseconds): they have refilled. */
gboolean    cm_server_db_prune_rate_buckets (CmServerDb       *self,
                                            gint64             before,
                                            GError           **error);
/* Tests: the buckets kept; -1 on error. */
gint64      cm_server_db_count_rate_buckets (CmServerDb       *self,
                                            GError           **error);

/* Tests and benchmarks: PRAGMA integrity_check gives "ok". */
gboolean    cm_server_db_check_integrity   (CmServerDb        *self,
                                            GError           **error);
/* Tests only: every write then fails as on a read-only store (SQLite's PRAGMA query_only,
 * PostgreSQL's default_transaction_read_only). */
gboolean    cm_server_db_set_query_only    (CmServerDb        *self,
                                            gboolean           query_only,
                                            GError           **error);

G_END_DECLS
