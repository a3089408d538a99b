/* cm-server-hash.c: Argon2id on a worker pool, so the main loop never waits on a hash.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-hash"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "cm-error.h"
#include "cm-server-db-private.h"
#include "cm-server-hash-private.h"
#include "cm-validate.h"

struct _CmServerHash
{
  GObject           parent_instance;

  CmServerHashCost  cost;
  GThreadPool      *pool;         /* (owned) */
  guint             pending;      /* atomic */

  GMutex            dummy_lock;
  char             *dummy_hash;   /* (owned) (nullable): made on first use, on a worker */
};

G_DEFINE_FINAL_TYPE (CmServerHash, cm_server_hash, G_TYPE_OBJECT)

typedef enum
{
  JOB_HASH,
  JOB_VERIFY,
  JOB_REPLACE,
} JobKind;

typedef struct
{
  JobKind  kind;
  char    *password;   /* (owned): wiped on free */
  char    *stored;     /* (owned) (nullable) */
  GStrv    history;    /* (owned) (nullable) */
} Job;

/* Hashed and compared in the NFKC form the rules were checked in, so a password
 * typed with full-width or composed characters on another keyboard still matches.
 * The JSON layer refuses invalid UTF-8, so normalisation only fails for callers
 * that bypass it; they get the bytes as they are. */
static char *
job_password (const char *password)
{
  char *normalized = cm_validate_normalize_password (password);

  return normalized != NULL ? normalized : g_strdup (password);
}

static void
job_free (Job *job)
{
  if (job->password != NULL)
    {
      sodium_memzero (job->password, strlen (job->password));
      g_free (job->password);
    }
  g_free (job->stored);
  g_strfreev (job->history);
  g_free (job);
}

static void
get_limits (CmServerHashCost  cost,
            unsigned long long *opslimit,
            size_t           *memlimit)
{
  switch (cost)
    {
    case CM_SERVER_HASH_COST_MODERATE:
      *opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
      *memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
      break;
    case CM_SERVER_HASH_COST_MINIMUM:
      *opslimit = crypto_pwhash_OPSLIMIT_MIN;
      *memlimit = crypto_pwhash_MEMLIMIT_MIN;
      break;
    case CM_SERVER_HASH_COST_INTERACTIVE:
    default:
      *opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      *memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      break;
    }
}

static char *
hash_now (CmServerHashCost   cost,
          const char        *password,
          GError           **error)
{
  char out[crypto_pwhash_STRBYTES];
  unsigned long long opslimit;
  size_t memlimit;

  get_limits (cost, &opslimit, &memlimit);
  if (crypto_pwhash_str_alg (out, password, strlen (password), opslimit, memlimit,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      /* Only out of memory gets here. */
      g_set_error_literal (error, CM_ERROR, CM_ERROR_UNAVAILABLE, "hashing failed");
      return NULL;
    }
  return g_strdup (out);
}

static gboolean
verify_now (const char *stored,
            const char *password)
{
  return crypto_pwhash_str_verify (stored, password, strlen (password)) == 0;
}

static const char *
get_dummy_hash (CmServerHash *self)
{
  const char *dummy;

  g_mutex_lock (&self->dummy_lock);
  if (self->dummy_hash == NULL)
    {
      guint8 random[32];
      char text[65];

      randombytes_buf (random, sizeof random);
      sodium_bin2hex (text, sizeof text, random, sizeof random);
      self->dummy_hash = hash_now (self->cost, text, NULL);
    }
  dummy = self->dummy_hash;
  g_mutex_unlock (&self->dummy_lock);
  return dummy;
}

static void
run_job (gpointer data,
         gpointer pool_data)
{
  GTask *task = data;
  CmServerHash *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  char *hash;
  GMainContext *context;

  switch (job->kind)
    {
    case JOB_HASH:
      hash = hash_now (self->cost, job->password, &error);
      if (hash == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, hash, g_free);
      break;

    case JOB_VERIFY:
      if (job->stored != NULL)
        {
          g_task_return_boolean (task, verify_now (job->stored, job->password));
        }
      else
        {
          const char *dummy = get_dummy_hash (self);

          /* Same work as a real verify, and never a match. */
          if (dummy != NULL)
            verify_now (dummy, job->password);
          g_task_return_boolean (task, FALSE);
        }
      break;

    case JOB_REPLACE:
      for (guint i = 0; job->history != NULL && job->history[i] != NULL; i++)
        {
          if (verify_now (job->history[i], job->password))
            {
              g_task_return_error (task, cm_error_new (CM_ERROR_PASSWORD_REUSED,
                                                       "new_password", NULL));
              goto out;
            }
        }
      hash = hash_now (self->cost, job->password, &error);
      if (hash == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, hash, g_free);
      break;

    default:
      g_assert_not_reached ();
    }

out:
  context = g_main_context_ref (g_task_get_context (task));
  /* Drop our ref before the count, so no worker ever holds the last ref on @self
   * once cm_server_hash_get_pending() says 0. */
  g_object_unref (task);
  g_atomic_int_dec_and_test (&self->pending);
  /* cm_server_stop() may be blocked in an iteration waiting for the count to
   * reach 0; the task's own wake-up may have come before the decrement. */
  g_main_context_wakeup (context);
  g_main_context_unref (context);
}

static void
cm_server_hash_finalize (GObject *object)
{
  CmServerHash *self = CM_SERVER_HASH (object);

  /* The pool holds a ref on every queued task, and each task on us, so it is empty here. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_free (self->dummy_hash);
  g_mutex_clear (&self->dummy_lock);

  G_OBJECT_CLASS (cm_server_hash_parent_class)->finalize (object);
}

static void
cm_server_hash_class_init (CmServerHashClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cm_server_hash_finalize;
}

static void
cm_server_hash_init (CmServerHash *self)
{
  g_mutex_init (&self->dummy_lock);
  /* One hash per core: Argon2id is memory-hard, more threads only add memory. */
  self->pool = g_thread_pool_new (run_job, self, MAX (1, (gint) g_get_num_processors ()),
                                  FALSE, NULL);
}

CmServerHash *
cm_server_hash_new (CmServerHashCost cost)
{
  CmServerHash *self = g_object_new (CM_TYPE_SERVER_HASH, NULL);

  self->cost = cost;
  return self;
}

CmServerHashCost
cm_server_hash_get_cost (CmServerHash *self)
{
  g_return_val_if_fail (CM_IS_SERVER_HASH (self), CM_SERVER_HASH_COST_INTERACTIVE);
  return self->cost;
}

guint
cm_server_hash_get_pending (CmServerHash *self)
{
  g_return_val_if_fail (CM_IS_SERVER_HASH (self), 0);
  return (guint) g_atomic_int_get (&self->pending);
}

static void
push_job (CmServerHash        *self,
          Job                 *job,
          gpointer             source_tag,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_atomic_int_inc (&self->pending);
  g_thread_pool_push (self->pool, task, NULL);
}

void
cm_server_hash_password_async (CmServerHash        *self,
                               const char          *password,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Job *job;

  g_return_if_fail (CM_IS_SERVER_HASH (self));
  g_return_if_fail (password != NULL);

  job = g_new0 (Job, 1);
  job->kind = JOB_HASH;
  job->password = job_password (password);
  push_job (self, job, cm_server_hash_password_async, callback, user_data);
}

char *
cm_server_hash_password_finish (CmServerHash  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_server_hash_password_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cm_server_hash_verify_async (CmServerHash        *self,
                             const char          *stored,
                             const char          *password,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Job *job;

  g_return_if_fail (CM_IS_SERVER_HASH (self));
  g_return_if_fail (password != NULL);

  job = g_new0 (Job, 1);
  job->kind = JOB_VERIFY;
  job->password = job_password (password);
  job->stored = g_strdup (stored);
  push_job (self, job, cm_server_hash_verify_async, callback, user_data);
}

gboolean
cm_server_hash_verify_finish (CmServerHash  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_server_hash_verify_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cm_server_hash_replace_async (CmServerHash        *self,
                              const char * const  *history,
                              const char          *password,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Job *job;

  g_return_if_fail (CM_IS_SERVER_HASH (self));
  g_return_if_fail (password != NULL);

  job = g_new0 (Job, 1);
  job->kind = JOB_REPLACE;
  job->password = job_password (password);
  job->history = g_strdupv ((char **) history);
  push_job (self, job, cm_server_hash_replace_async, callback, user_data);
}

char *
cm_server_hash_replace_finish (CmServerHash  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_server_hash_replace_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cm_server_hash_digest (const char *secret,
                       guint8     *digest)
{
  crypto_generichash (digest, CM_SERVER_DB_DIGEST_BYTES, (const guint8 *) secret,
                      strlen (secret), NULL, 0);
}
