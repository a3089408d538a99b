/* cm-journey-private.h: the calls of CmJourney that only the tests call;
 * the app has cm-journey.h.
 * (The developers' guide: test-only calls are not in the public header.)
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-journey.h"

G_BEGIN_DECLS

const char *cm_journey_get_path       (CmJourney           *self);
guint       cm_journey_get_n_pending  (CmJourney           *self);
void        cm_journey_flush_async    (CmJourney           *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    cm_journey_flush_finish   (CmJourney           *self,
                                       GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
