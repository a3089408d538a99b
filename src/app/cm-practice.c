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

#include "cm-practice.h"
#ifdef CM_HAVE_PRACTICE
#include "cm-server.h"
#endif

struct _CmPractice
{
  GObject   parent_instance;

  /* owned */
  char     *data_dir;
  char     *outbox_dir;
  GObject  *server;      /* CmServer, nullable: NULL until started */
  CmOutboxWatch *watch;  /* nullable: NULL until started */
};

G_DEFINE_FINAL_TYPE (CmPractice, cm_practice, G_TYPE_OBJECT)

static void
cm_practice_dispose (GObject *object)
{
  CmPractice *self = CM_PRACTICE (object);

  cm_practice_stop (self);

  G_OBJECT_CLASS (cm_practice_parent_class)->dispose (object);
}

static void
cm_practice_finalize (GObject *object)
{
  CmPractice *self = CM_PRACTICE (object);

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

/**
 * cm_practice_start:
 *
 * Starts the back-end on 127.0.0.1, a free port, on its own thread, so the
 * GTK main loop never waits on SQLite or password hashing.
 */
gboolean
cm_practice_start (CmPractice  *self,
                   GError     **error)
{
#ifdef CM_HAVE_PRACTICE
  g_autoptr(CmServer) server = NULL;
  g_autofree char *database = NULL;

  g_return_val_if_fail (CM_IS_PRACTICE (self), FALSE);

  if (self->server != NULL)
    return TRUE;

  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: %s is a folder, the second %s why it could not be made. */
                   _("Cannot create the practice folder %s: %s"), self->data_dir,
                   g_strerror (saved_errno));
      return FALSE;
    }

  database = g_build_filename (self->data_dir, "practice.db", NULL);
  server = cm_server_new (database, self->outbox_dir);
  cm_server_set_demo_data (server, TRUE);
  if (!cm_server_start_in_thread (server, "127.0.0.1", 0, error))
    return FALSE;

  g_message ("Practice mode: back-end at %s", cm_server_get_uri (server));
  self->server = G_OBJECT (g_steal_pointer (&server));
  self->watch = cm_outbox_watch_new (self->outbox_dir);
  return TRUE;
#else
  g_return_val_if_fail (CM_IS_PRACTICE (self), FALSE);

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This build has no practice back-end"));
  return FALSE;
#endif
}

void
cm_practice_stop (CmPractice *self)
{
  g_return_if_fail (CM_IS_PRACTICE (self));

#ifdef CM_HAVE_PRACTICE
  if (self->server != NULL)
    cm_server_stop (CM_SERVER (self->server));
#endif
  g_clear_object (&self->server);
  g_clear_object (&self->watch);
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
 * Returns: (transfer none) (nullable): what arrived in the outbox since the
 *   inbox was last opened, once started
 */
CmOutboxWatch *
cm_practice_get_outbox_watch (CmPractice *self)
{
  g_return_val_if_fail (CM_IS_PRACTICE (self), NULL);

  return self->watch;
}
