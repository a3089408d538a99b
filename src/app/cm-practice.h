/* cm-practice.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cm-outbox-watch.h"

G_BEGIN_DECLS

#define CM_TYPE_PRACTICE (cm_practice_get_type ())

G_DECLARE_FINAL_TYPE (CmPractice, cm_practice, CM, PRACTICE, GObject)

gboolean    cm_practice_is_available    (void);
CmPractice *cm_practice_new             (const char  *data_dir);
void        cm_practice_start_async     (CmPractice           *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean    cm_practice_start_finish    (CmPractice           *self,
                                         GAsyncResult         *result,
                                         GError              **error);
void        cm_practice_stop            (CmPractice  *self);
const char *cm_practice_get_uri         (CmPractice  *self);
const char *cm_practice_get_outbox_dir  (CmPractice  *self);
const char *cm_practice_get_data_dir    (CmPractice  *self);
CmOutboxWatch *cm_practice_get_outbox_watch (CmPractice *self);

G_END_DECLS
