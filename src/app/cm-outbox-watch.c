/* cm-outbox-watch.c: what arrived in the practice back-end's outbox since
 * the user last looked (docs/ui.md, "Practice mode"). The messages there
 * when the app starts count as read; each one that arrives after counts as
 * unread until cm_outbox_watch_mark_read() (the inbox was opened). The count
 * is the Practice Inbox button's badge, and a new one is a notification.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-outbox-watch"

#include "config.h"

#include <glib/gstdio.h>

#include "cm-outbox-watch-private.h"

/* A write arrives as several events: look once, a moment later. */
#define RESCAN_DELAY_MS 200

struct _CmOutboxWatch
{
  GObject       parent_instance;

  char         *dir;
  GFileMonitor *monitor;    /* (owned) (nullable) */
  GHashTable   *seen;       /* (owned): names already counted as read */
  guint         n_unread;
  guint         rescan_id;
};

G_DEFINE_FINAL_TYPE (CmOutboxWatch, cm_outbox_watch, G_TYPE_OBJECT)

typedef enum
{
  PROP_N_UNREAD = 1,
  N_PROPS
} CmOutboxWatchProperty;

static GParamSpec *obj_props[N_PROPS];

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * cm_outbox_watch_is_message:
 * @name: a file name in the outbox
 *
 * The one rule for which outbox files are messages: emails (`.eml`) and
 * letters (`.txt`); anything else there is not ours.
 */
gboolean
cm_outbox_watch_is_message (const char *name)
{
  return name != NULL && (g_str_has_suffix (name, ".eml") || g_str_has_suffix (name, ".txt"));
}

/* The names of the messages now in the outbox. */
static GPtrArray *
list_messages (CmOutboxWatch *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (cm_outbox_watch_is_message (name))
      g_ptr_array_add (names, g_strdup (name));

  return names;
}

static void
mark_all_seen (CmOutboxWatch *self)
{
  g_autoptr(GPtrArray) names = list_messages (self);

  for (guint i = 0; i < names->len; i++)
    g_hash_table_add (self->seen, g_strdup (g_ptr_array_index (names, i)));
}

static void
set_n_unread (CmOutboxWatch *self,
              guint          n_unread)
{
  if (self->n_unread == n_unread)
    return;
  self->n_unread = n_unread;
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_N_UNREAD]);
}

/**
 * cm_outbox_watch_rescan:
 *
 * Counts again now (the monitor does it by itself a moment after a change).
 */
void
cm_outbox_watch_rescan (CmOutboxWatch *self)
{
  g_autoptr(GPtrArray) names = NULL;
  guint count = 0;

  g_return_if_fail (CM_IS_OUTBOX_WATCH (self));

  g_clear_handle_id (&self->rescan_id, g_source_remove);
  names = list_messages (self);
  for (guint i = 0; i < names->len; i++)
    if (!g_hash_table_contains (self->seen, g_ptr_array_index (names, i)))
      count++;
  set_n_unread (self, count);
}

static gboolean
rescan_timeout_cb (gpointer user_data)
{
  CmOutboxWatch *self = user_data;

  self->rescan_id = 0;
  cm_outbox_watch_rescan (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
on_changed_cb (GFileMonitor      *monitor,
               GFile             *file,
               GFile             *other,
               GFileMonitorEvent  event,
               CmOutboxWatch     *self)
{
  if (self->rescan_id == 0)
    self->rescan_id = g_timeout_add (RESCAN_DELAY_MS, rescan_timeout_cb, self);
}

static void
cm_outbox_watch_dispose (GObject *object)
{
  CmOutboxWatch *self = CM_OUTBOX_WATCH (object);

  g_clear_handle_id (&self->rescan_id, g_source_remove);
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (cm_outbox_watch_parent_class)->dispose (object);
}

static void
cm_outbox_watch_finalize (GObject *object)
{
  CmOutboxWatch *self = CM_OUTBOX_WATCH (object);

  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_free (self->dir);

  G_OBJECT_CLASS (cm_outbox_watch_parent_class)->finalize (object);
}

static void
cm_outbox_watch_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CmOutboxWatch *self = CM_OUTBOX_WATCH (object);

  switch ((CmOutboxWatchProperty) prop_id)
    {
    case PROP_N_UNREAD:
      g_value_set_uint (value, self->n_unread);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_outbox_watch_class_init (CmOutboxWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cm_outbox_watch_dispose;
  object_class->finalize = cm_outbox_watch_finalize;
  object_class->get_property = cm_outbox_watch_get_property;

  /**
   * CmOutboxWatch:n-unread:
   *
   * The messages that arrived since the inbox was last opened.
   */
  obj_props[PROP_N_UNREAD] =
    g_param_spec_uint ("n-unread", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, obj_props);

  /**
   * CmOutboxWatch::changed:
   *
   * The outbox changed (a message came, or went), once a moment after the
   * folder's events settled.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
cm_outbox_watch_init (CmOutboxWatch *self)
{
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * cm_outbox_watch_new:
 * @dir: the outbox folder (made when missing)
 *
 * Returns: (transfer full): a watch that counts nothing yet
 */
CmOutboxWatch *
cm_outbox_watch_new (const char *dir)
{
  CmOutboxWatch *self;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (CM_TYPE_OUTBOX_WATCH, NULL);
  self->dir = g_strdup (dir);
  g_mkdir_with_parents (dir, 0700);
  mark_all_seen (self);
  file = g_file_new_for_path (dir);
  self->monitor = g_file_monitor_directory (file, G_FILE_MONITOR_NONE, NULL, &error);
  if (self->monitor != NULL)
    g_signal_connect_object (self->monitor, "changed", G_CALLBACK (on_changed_cb), self, 0);
  else
    g_warning ("Cannot watch the practice outbox: %s", error->message);

  return self;
}

const char *
cm_outbox_watch_get_dir (CmOutboxWatch *self)
{
  g_return_val_if_fail (CM_IS_OUTBOX_WATCH (self), NULL);

  return self->dir;
}

guint
cm_outbox_watch_get_n_unread (CmOutboxWatch *self)
{
  g_return_val_if_fail (CM_IS_OUTBOX_WATCH (self), 0);

  return self->n_unread;
}

/**
 * cm_outbox_watch_mark_read:
 *
 * Every message now in the outbox counts as read (the inbox shows them).
 */
void
cm_outbox_watch_mark_read (CmOutboxWatch *self)
{
  g_return_if_fail (CM_IS_OUTBOX_WATCH (self));

  mark_all_seen (self);
  set_n_unread (self, 0);
}
