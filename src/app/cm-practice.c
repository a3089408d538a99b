/* cm-practice.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Practice mode (docs/ui.md, "Practice mode"): with no back-end configured,
 * the reference back-end runs inside the app, on loopback, on a thread of
 * its own, with demo records and its own database and outbox. Nothing reaches
 * the State. The practice inbox (next issue) reads the outbox.
 */

#define G_LOG_DOMAIN "cm-practice"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cm-practice-private.h"
#ifdef CM_HAVE_PRACTICE
#include "cm-server.h"
#endif

struct _CmPractice
{
  GObject       parent_instance;

  /* owned */
  char         *data_dir;
  char         *outbox_dir;
  GObject      *server;        /* CmServer, nullable: NULL until started */
  CmOutboxWatch *watch;        /* nullable: made on first use */

  /* cm_practice_start_async(): the start runs on a thread of its own */
  GThread      *start_thread;  /* owned, nullable: while a start is in flight */
  GObject      *starting;      /* owned, nullable: the CmServer it starts */
  GError       *thread_error;  /* owned, nullable: written by the thread before it ends */
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
/* The folder, and a server not started yet. */
static CmServer *
new_server (CmPractice  *self,
            GError     **error)
{
  g_autofree char *database = NULL;
  CmServer *server;

  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: %s is a folder, the second %s why it could not be made. */
                   _("Cannot create the practice folder %s: %s"), self->data_dir,
                   g_strerror (saved_errno));
      return NULL;
    }

  database = g_build_filename (self->data_dir, "practice.db", NULL);
  server = cm_server_new (database, self->outbox_dir);
  cm_server_set_demo_data (server, TRUE);
  return server;
}

static void
set_started (CmPractice *self,
             CmServer   *server)
{
  g_message ("Practice mode: back-end at %s", cm_server_get_uri (server));
  self->server = G_OBJECT (g_object_ref (server));
}

/* On the main thread, once the start thread is done: answer everyone waiting. */
static void
finish_start (CmPractice *self)
{
  g_autoptr(GPtrArray) waiters = NULL;
  g_autoptr(GObject) server = NULL;
  g_autoptr(GError) error = NULL;

  /* First: the thread reads self->starting and writes self->thread_error. */
  g_thread_join (g_steal_pointer (&self->start_thread));
  waiters = g_steal_pointer (&self->waiters);
  server = g_steal_pointer (&self->starting);
  error = g_steal_pointer (&self->thread_error);
  g_clear_pointer (&self->context, g_main_context_unref);
  self->waiters = g_ptr_array_new ();

  if (error == NULL)
    set_started (self, CM_SERVER (server));
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
  CmPractice *self;    /* (owned) */
  GThread    *thread;  /* (unowned): compared, never used */
} StartDone;

static void
start_done_free (gpointer data)
{
  StartDone *done = data;

  g_object_unref (done->self);
  g_free (done);
}

static gboolean
start_done_cb (gpointer user_data)
{
  StartDone *done = user_data;

  /* Only the start this thread was: cm_practice_stop() or cm_practice_start() may have
   * joined it already, and a later start may be in flight. */
  if (done->self->start_thread == done->thread)
    finish_start (done->self);
  return G_SOURCE_REMOVE;
}

static gpointer
start_thread_func (gpointer user_data)
{
  CmPractice *self = CM_PRACTICE (user_data);
  StartDone *done = g_new0 (StartDone, 1);

  /* Opens the database, migrates it, imports the demo data, listens: 10 ms
   * of CPU, and up to 40 ms of waiting on a fresh database (fdatasync). */
  cm_server_start_in_thread (CM_SERVER (self->starting), "127.0.0.1", 0, &self->thread_error);
  done->self = g_object_ref (self);
  done->thread = g_thread_self ();
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, start_done_cb, done,
                              start_done_free);
  return NULL;
}
#endif

/**
 * cm_practice_start:
 *
 * Starts the back-end on 127.0.0.1, a free port, on its own thread, and
 * waits until it listens (up to some 40 ms on a fresh database): for tests
 * and callers off the main loop; the app uses cm_practice_start_async().
 */
gboolean
cm_practice_start (CmPractice  *self,
                   GError     **error)
{
#ifdef CM_HAVE_PRACTICE
  g_autoptr(CmServer) server = NULL;

  g_return_val_if_fail (CM_IS_PRACTICE (self), FALSE);

  if (self->start_thread != NULL)
    finish_start (self);
  if (self->server != NULL)
    return TRUE;

  server = new_server (self, error);
  if (server == NULL || !cm_server_start_in_thread (server, "127.0.0.1", 0, error))
    return FALSE;

  set_started (self, server);
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
#ifdef CM_HAVE_PRACTICE
  g_autoptr(GError) error = NULL;
  CmServer *server;
#endif

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
      server = new_server (self, &error);
      if (server == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      self->starting = G_OBJECT (server);
      self->context = g_main_context_ref_thread_default ();
      self->start_thread = g_thread_new ("cm-practice-start", start_thread_func, self);
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

void
cm_practice_stop (CmPractice *self)
{
  g_return_if_fail (CM_IS_PRACTICE (self));

#ifdef CM_HAVE_PRACTICE
  /* A start in flight ends first (at most some 40 ms, at shutdown). */
  if (self->start_thread != NULL)
    finish_start (self);
  if (self->server != NULL)
    cm_server_stop (CM_SERVER (self->server));
#endif
  g_clear_object (&self->server);
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

#ifdef CM_HAVE_PRACTICE
  if (self->server != NULL)
    return cm_server_get_uri (CM_SERVER (self->server));
#endif
  return NULL;
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
