/* cm-outbox-watch.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CM_TYPE_OUTBOX_WATCH (cm_outbox_watch_get_type ())

G_DECLARE_FINAL_TYPE (CmOutboxWatch, cm_outbox_watch, CM, OUTBOX_WATCH, GObject)

gboolean       cm_outbox_watch_is_message    (const char    *name);
CmOutboxWatch *cm_outbox_watch_new           (const char    *dir);
const char    *cm_outbox_watch_get_dir       (CmOutboxWatch *self);
guint          cm_outbox_watch_get_n_unread  (CmOutboxWatch *self);
void           cm_outbox_watch_mark_read     (CmOutboxWatch *self);

G_END_DECLS
