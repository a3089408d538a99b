/* cm-practice-process.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSubprocess *cm_practice_process_start (const char    *program,
                                        const char    *database,
                                        const char    *outbox_dir,
                                        guint          timeout_s,
                                        GCancellable  *cancellable,
                                        char         **uri,
                                        GError       **error);
void         cm_practice_process_watch (GSubprocess   *server,
                                        GCancellable  *cancellable);
void         cm_practice_process_stop  (GSubprocess   *server);

G_END_DECLS
