/* cm-journey.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CM_TYPE_JOURNEY (cm_journey_get_type ())

G_DECLARE_FINAL_TYPE (CmJourney, cm_journey, CM, JOURNEY, GObject)

CmJourney  *cm_journey_new            (const char          *data_dir,
                                       const char          *server,
                                       const char          *user_id);
void        cm_journey_add_request    (CmJourney           *self,
                                       const char          *account_type,
                                       const char          *account_number,
                                       const char          *delivery,
                                       const char          *confirmation_number);
void        cm_journey_mark_linked    (CmJourney           *self,
                                       const char          *account_type,
                                       const char          *account_number);
char       *cm_journey_dup_summary    (CmJourney           *self);

G_END_DECLS
