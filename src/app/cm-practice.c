/* cm-practice.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Practice mode (docs/ui.md, "Practice mode"): with no back-end configured,
 * the app starts the reference back-end, cars-mechanic-server, as a helper
 * process on loopback, with demo records and its own database and outbox in
 * the user's data folder. Nothing reaches the State. The practice inbox reads
 * the outbox.
 *
 * A process rather than a thread of the app: the app then never loads SQLite,
 * libsodium or the server's code (its first frame comes sooner, docs/benchmarks.md),
 * and the Argon2id hashes' memory is not the app's.
 */

#define G_LOG_DOMAIN "cm-practice"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cm-practice-private.h"
#include "cm-practice-process.h"

/* How long a start waits for the back-end's URI: a fresh database on a slow disk
 * takes well under a second. */
#define START_TIMEOUT_S 60

struct _CmPractice
{
  GObject       parent_instance;

  /* owned */
  char         *data_dir;
  char         *outbox_dir;
  GSubprocess  *server;        /* nullable: the running back-end */
  char         *uri;           /* nullable: its URI, while it runs */
  GCancellable *server_watch;  /* nullable: while it runs; cancelled when the app stops it */
  CmOutboxWatch *watch;        /* nullable: made on first use */
  guint         start_timeout_s;

  /* cm_practice_start_async(): a thread waits for the back-end to listen */
  GThread      *start_thread;  /* owned, nullable: while a start is in flight */
  guint         start_serial;  /* which start: a GThread's address can come again */
  GCancellable *start_cancellable;  /* owned, nullable: cancelled by cm_practice_stop() */
  GSubprocess  *starting;      /* owned, nullable: written by the thread before it ends */
  char         *starting_uri;  /* owned, nullable: likewise */
  GError       *thread_error;  /* owned, nullable: likewise */
  GPtrArray    *waiters;       /* owned: GTask, answered when the start ends */
  GMainContext *context;       /* owned, nullable: where the waiters are answered */
};

G_DEFINE_FINAL_TYPE (CmPractice, cm_practice, G_TYPE_OBJECT)

static void
cm_practice_dispose (GObject *object)
{
  CmPractice *self = CM_PRACTICE (object);

  cm_practice_stop (self);
  g_clear_object (&self->watch);

  G_OBJECT_CLASS (cm_practice_parent_class)->dispose (object);
}

static void
cm_practice_finalize (GObject *object)
{
  CmPractice *self = CM_PRACTICE (object);

  g_ptr_array_unref (self->waiters);
  g_free (self->data_dir);
  g_free (self->outbox_dir);

  G_OBJECT_CLASS (cm_practice_parent_class)->finalize (object);
}

static void
cm_practice_class_init (CmPracticeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cm_practice_dispose;
  object_class->finalize = cm_practice_finalize;
}

static void
cm_practice_init (CmPractice *self)
{
  self->waiters = g_ptr_array_new ();
  self->start_timeout_s = START_TIMEOUT_S;
}

/**
 * cm_practice_is_available:
 *
 * Returns: whether this build has the back-end needed for practice mode
 */
gboolean
cm_practice_is_available (void)
{
#ifdef CM_HAVE_PRACTICE
  return TRUE;
#else
  return FALSE;
#endif
}

/**
 * cm_practice_new:
 * @data_dir: (nullable): where the database and the outbox live; %NULL for
 *   `$XDG_DATA_HOME/cars-mechanic/practice`
 */
CmPractice *
cm_practice_new (const char *data_dir)
{
  CmPractice *self = g_object_new (CM_TYPE_PRACTICE, NULL);

  if (data_dir != NULL)
    self->data_dir = g_strdup (data_dir);
  else
    self->data_dir = g_build_filename (g_get_user_data_dir (), "cars-mechanic", "practice", NULL);
  self->outbox_dir = g_build_filename (self->data_dir, "outbox", NULL);

  return self;
}

#ifdef CM_HAVE_PRACTICE
/* The installed server, or the one CM_PRACTICE_SERVER names (the build tree's, for
 * scripts/run and the tests). */
static const char *
server_program (void)
{
  const char *program = g_getenv ("CM_PRACTICE_SERVER");

  return program != NULL && program[0] != '\0' ? program : PRACTICE_SERVER_PROGRAM;
}

static gboolean
make_folder (CmPractice  *self,
             GError     **error)
{
  int saved_errno;

  if (g_mkdir_with_parents (self->data_dir, 0700) == 0)
    return TRUE;
  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               /* Translators: %s is a folder, the second %s why it could not be made. */
               _("Cannot create the practice folder %s: %s"), self->data_dir,
               g_strerror (saved_errno));
  return FALSE;
}

/* The folder, then the back-end, until it listens (cm_practice_process_start()). */
static GSubprocess *
start_server (CmPractice    *self,
              const char    *program,
              GCancellable  *cancellable,
              char         **uri,
              GError       **error)
{
  g_autofree char *database = NULL;

  if (!make_folder (self, error))
    return NULL;
  database = g_build_filename (self->data_dir, "practice.db", NULL);
  return cm_practice_process_start (program, database, self->outbox_dir,
                                    self->start_timeout_s, cancellable, uri, error);
}

static void
set_started (CmPractice  *self,
             GSubprocess *server,
             char        *uri)
{
  g_message ("Practice mode: back-end at %s (process %s)", uri,
             g_subprocess_get_identifier (server));
  self->server = server;
  self->uri = uri;
  self->server_watch = g_cancellable_new ();
  cm_practice_process_watch (server, self->server_watch);
}

/* On the main thread, once the start thread is done: answer everyone waiting. */
static void
finish_start (CmPractice *self)
{
  g_autoptr(GPtrArray) waiters = NULL;
  g_autoptr(GError) error = NULL;

  /* First: the thread writes self->starting, self->starting_uri and self->thread_error. */
  g_thread_join (g_steal_pointer (&self->start_thread));
  waiters = g_steal_pointer (&self->waiters);
  error = g_steal_pointer (&self->thread_error);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->start_cancellable);
  self->waiters = g_ptr_array_new ();

  if (error == NULL)
    set_started (self, g_steal_pointer (&self->starting), g_steal_pointer (&self->starting_uri));
  for (guint i = 0; i < waiters->len; i++)
    {
      g_autoptr(GTask) task = waiters->pdata[i];

      if (error == NULL)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

/* A start thread that has ended, for the main thread to join. */
typedef struct
{
  CmPractice *self;     /* (owned) */
  guint       serial;   /* the start it was */
  char       *program;  /* (owned): read on the caller's thread, g_getenv() is not safe here */
} StartDone;

static void
start_done_free (gpointer data)
{
  StartDone *done = data;

  g_object_unref (done->self);
  g_free (done->program);
  g_free (done);
}

static gboolean
start_done_cb (gpointer user_data)
{
  StartDone *done = user_data;

  /* Only the start this thread was: cm_practice_stop() or cm_practice_start() may have
   * joined it already, and a later start may be in flight. */
  if (done->self->start_thread != NULL && done->self->start_serial == done->serial)
    finish_start (done->self);
  return G_SOURCE_REMOVE;
}

static gpointer
start_thread_func (gpointer user_data)
{
  StartDone *done = user_data;
  CmPractice *self = done->self;

  self->starting = start_server (self, done->program, self->start_cancellable,
                                 &self->starting_uri, &self->thread_error);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, start_done_cb, done,
                              start_done_free);
  return NULL;
}
#endif

/**
 * cm_practice_set_start_timeout:
 *
 * How long a start waits for the back-end's URI (60 s): for the tests.
 */
void
cm_practice_set_start_timeout (CmPractice *self,
                               guint       seconds)
{
  g_return_if_fail (CM_IS_PRACTICE (self));

  self->start_timeout_s = seconds;
}

/**
 * cm_practice_start:
 *
 * Starts the back-end on 127.0.0.1, a free port, and waits until it listens
 * (some 20 ms): for tests and callers off the main loop; the app uses
 * cm_practice_start_async().
 */
gboolean
cm_practice_start (CmPractice  *self,
                   GError     **error)
{
#ifdef CM_HAVE_PRACTICE
  GSubprocess *server;
  char *uri = NULL;

  g_return_val_if_fail (CM_IS_PRACTICE (self), FALSE);

  if (self->start_thread != NULL)
    finish_start (self);
  if (self->server != NULL)
    return TRUE;

  server = start_server (self, server_program (), NULL, &uri, error);
  if (server == NULL)
    return FALSE;

  set_started (self, server, uri);
  return TRUE;
#else
  g_return_val_if_fail (CM_IS_PRACTICE (self), FALSE);

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This build has no practice back-end"));
  return FALSE;
#endif
}

/**
 * cm_practice_start_async:
 * @cancellable: (nullable): when cancelled, this caller is answered
 *   %G_IO_ERROR_CANCELLED once the start ends; the start goes on
 *
 * Starts the back-end as cm_practice_start() does, without blocking the
 * caller's main loop: a thread waits for it. Any number of callers may wait;
 * once started, the answer comes at once (in a later turn of the loop).
 */
void
cm_practice_start_async (CmPractice          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CM_IS_PRACTICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_practice_start_async);

#ifdef CM_HAVE_PRACTICE
  if (self->server != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->start_thread == NULL)
    {
      StartDone *done = g_new0 (StartDone, 1);

      done->self = g_object_ref (self);
      done->serial = ++self->start_serial;
      self->context = g_main_context_ref_thread_default ();
      self->start_cancellable = g_cancellable_new ();
      done->program = g_strdup (server_program ());
      self->start_thread = g_thread_new ("cm-practice-start", start_thread_func, done);
    }
  g_ptr_array_add (self->waiters, g_steal_pointer (&task));
#else
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This build has no practice back-end"));
#endif
}

gboolean
cm_practice_start_finish (CmPractice    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_practice_start_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cm_practice_stop:
 *
 * Stops the back-end and waits until it has: some milliseconds, at shutdown.
 * A start in flight is given up (its callers are answered %G_IO_ERROR_CANCELLED
 * unless it had just ended), so a back-end that hangs cannot hang the app.
 */
void
cm_practice_stop (CmPractice *self)
{
  g_return_if_fail (CM_IS_PRACTICE (self));

#ifdef CM_HAVE_PRACTICE
  if (self->start_thread != NULL)
    {
      g_cancellable_cancel (self->start_cancellable);
      finish_start (self);
    }
  if (self->server != NULL)
    {
      g_cancellable_cancel (self->server_watch);
      cm_practice_process_stop (self->server);
    }
#endif
  g_clear_object (&self->server_watch);
  g_clear_object (&self->server);
  g_clear_pointer (&self->uri, g_free);
}

/**
 * cm_practice_get_uri:
 *
 * Returns: (nullable): the back-end's URI, once started
 */
const char *
cm_practice_get_uri (CmPractice *self)
{
  g_return_val_if_fail (CM_IS_PRACTICE (self), NULL);

  return self->uri;
}

const char *
cm_practice_get_data_dir (CmPractice *self)
{
  g_return_val_if_fail (CM_IS_PRACTICE (self), NULL);

  return self->data_dir;
}

/**
 * cm_practice_get_outbox_dir:
 *
 * Returns: the folder where the practice back-end writes its emails and letters
 */
const char *
cm_practice_get_outbox_dir (CmPractice *self)
{
  g_return_val_if_fail (CM_IS_PRACTICE (self), NULL);

  return self->outbox_dir;
}

/**
 * cm_practice_get_outbox_watch:
 *
 * Returns: (transfer none): what arrived in the outbox since the inbox was
 *   last opened; made on first use, so it counts before the back-end has
 *   started (which happens after the window's first frame)
 */
CmOutboxWatch *
cm_practice_get_outbox_watch (CmPractice *self)
{
  g_return_val_if_fail (CM_IS_PRACTICE (self), NULL);

  if (self->watch == NULL)
    self->watch = cm_outbox_watch_new (self->outbox_dir);
  return self->watch;
}
