/* cm-server-hash.c: Argon2id on a worker pool, so the main loop never waits on a hash.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-hash"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
  guint             max_pending;  /* atomic */

  /* The server's secret for the keyed digests (cm_server_hash_load_key()). */
  guint8            key[CM_SERVER_HASH_KEY_BYTES];
  gboolean          has_key;

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
  sodium_memzero (self->key, sizeof self->key);

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
  self->max_pending = CM_SERVER_HASH_QUEUE_PER_THREAD * MAX (1, g_get_num_processors ());
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

void
cm_server_hash_set_max_pending (CmServerHash *self,
                                guint         max_pending)
{
  g_return_if_fail (CM_IS_SERVER_HASH (self));
  g_return_if_fail (max_pending > 0);
  g_atomic_int_set (&self->max_pending, max_pending);
}

static void
push_job (CmServerHash        *self,
          Job                 *job,
          gpointer             source_tag,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task;

  /* A full queue refuses at once rather than make everyone wait behind a flood. Only the
   * server's thread pushes, so the count cannot pass the bound between test and increment. */
  if ((guint) g_atomic_int_get (&self->pending) >= (guint) g_atomic_int_get (&self->max_pending))
    {
      GError *error = cm_error_new (CM_ERROR_UNAVAILABLE, NULL, NULL);

      cm_error_set_retry_after (error, CM_SERVER_HASH_RETRY_SECONDS);
      job_free (job);
      g_task_report_error (self, callback, user_data, source_tag, error);
      return;
    }

  task = g_task_new (self, NULL, callback, user_data);
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

/* ---- The server's key ---- */

static gboolean set_file_error (GError     **error,
                                int          saved_errno,
                                const char  *format,
                                ...) G_GNUC_PRINTF (3, 4);

static gboolean
set_file_error (GError     **error,
                int          saved_errno,
                const char  *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), message);
  return FALSE;
}

static gboolean
read_key (const char  *path,
          guint8      *key,
          GError     **error)
{
  struct stat st;
  gssize n;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  int saved_errno = errno;

  if (fd < 0)
    /* Translators: the first %s is a file name, the second the reason */
    return set_file_error (error, saved_errno, _("Cannot open the key file %s: %s"), path,
                           g_strerror (saved_errno));
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size != CM_SERVER_HASH_KEY_BYTES)
    {
      close (fd);
      /* Translators: %s is a file name, %d a number of bytes (32) */
      return set_file_error (error, EINVAL, _("The key file %s is not a %d-byte file"), path,
                             CM_SERVER_HASH_KEY_BYTES);
    }
  if ((st.st_mode & 077) != 0)
    g_message ("The key file %s can be read by others; it should be mode 0600", path);
  do
    n = read (fd, key, CM_SERVER_HASH_KEY_BYTES);
  while (n < 0 && errno == EINTR);
  saved_errno = n < 0 ? errno : EIO;
  close (fd);
  if (n != CM_SERVER_HASH_KEY_BYTES)
    {
      sodium_memzero (key, CM_SERVER_HASH_KEY_BYTES);
      /* Translators: the first %s is a file name, the second the reason */
      return set_file_error (error, saved_errno, _("Cannot read the key file %s: %s"), path,
                             g_strerror (saved_errno));
    }
  return TRUE;
}

/* Written whole to a temporary file (O_CREAT | O_EXCL, 0600 whatever the umask), then linked
 * to its name: link() fails if another process made one first, and nobody ever reads a key
 * half written. A crash leaves at most a stray temporary file. */
static gboolean
create_key (const char  *path,
            GError     **error)
{
  g_autofree char *tmp = NULL;
  guint8 key[CM_SERVER_HASH_KEY_BYTES];
  int saved_errno = 0;
  gboolean ok;
  gssize n;
  int fd;

  randombytes_buf (key, sizeof key);
  tmp = g_strdup_printf ("%s.%08x.tmp", path, randombytes_random ());
  fd = open (tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      sodium_memzero (key, sizeof key);
      /* Translators: the first %s is a file name, the second the reason */
      return set_file_error (error, saved_errno, _("Cannot create the key file %s: %s"), tmp,
                             g_strerror (saved_errno));
    }
  do
    n = write (fd, key, sizeof key);
  while (n < 0 && errno == EINTR);
  sodium_memzero (key, sizeof key);
  ok = fchmod (fd, 0600) == 0 && n == (gssize) sizeof key && fsync (fd) == 0;
  if (!ok)
    saved_errno = n >= 0 && n != (gssize) sizeof key ? ENOSPC : errno;
  if (close (fd) != 0 && ok)
    {
      ok = FALSE;
      saved_errno = errno;
    }
  if (ok && link (tmp, path) != 0 && errno != EEXIST)
    {
      ok = FALSE;
      saved_errno = errno;
    }
  g_unlink (tmp);
  if (!ok)
    /* Translators: the first %s is a file name, the second the reason */
    return set_file_error (error, saved_errno, _("Cannot write the key file %s: %s"), path,
                           g_strerror (saved_errno));
  return TRUE;
}

gboolean
cm_server_hash_load_key (CmServerHash  *self,
                         const char    *database_path,
                         GError       **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CM_IS_SERVER_HASH (self), FALSE);
  g_return_val_if_fail (database_path != NULL, FALSE);

  /* A database in memory lives as long as the process: so does its key. */
  if (g_strcmp0 (database_path, ":memory:") == 0)
    {
      randombytes_buf (self->key, sizeof self->key);
      self->has_key = TRUE;
      return TRUE;
    }

  path = g_strconcat (database_path, CM_SERVER_HASH_KEY_SUFFIX, NULL);
  return cm_server_hash_load_key_file (self, path, error);
}

/* The key in @path, created when missing. Instances that share a store must share it. */
gboolean
cm_server_hash_load_key_file (CmServerHash  *self,
                              const char    *path,
                              GError       **error)
{
  g_return_val_if_fail (CM_IS_SERVER_HASH (self), FALSE);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!create_key (path, error))
        return FALSE;
      g_message ("Created the key file %s", path);
    }
  self->has_key = read_key (path, self->key, error);
  return self->has_key;
}

void
cm_server_hash_keyed_digest (CmServerHash       *self,
                             CmServerHashPurpose purpose,
                             const void         *data,
                             gsize               length,
                             guint8             *digest)
{
  static const char * const purposes[] = { "user-id", "reset-pin", "recovery-answer" };
  crypto_generichash_state state;

  g_return_if_fail (CM_IS_SERVER_HASH (self));
  g_return_if_fail (purpose < G_N_ELEMENTS (purposes));
  g_assert (self->has_key);

  /* The purpose keeps the digests of one use from ever standing in for another's. */
  crypto_generichash_init (&state, self->key, sizeof self->key, CM_SERVER_DB_DIGEST_BYTES);
  crypto_generichash_update (&state, (const guint8 *) purposes[purpose],
                             strlen (purposes[purpose]) + 1);
  crypto_generichash_update (&state, data, length);
  crypto_generichash_final (&state, digest, CM_SERVER_DB_DIGEST_BYTES);
}
