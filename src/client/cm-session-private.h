/* cm-session-private.h: the calls of CmSession that only the tests call;
 * the app has cm-session.h.
 * (The developers' guide: test-only calls are not in the public header.)
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-session.h"

G_BEGIN_DECLS

const char        *cm_session_get_last_name           (CmSession            *self);
const char        *cm_session_get_email_masked        (CmSession            *self);
GDateTime         *cm_session_get_expires_at          (CmSession            *self);
guint              cm_session_get_expiring_lead_time  (CmSession            *self);
void               cm_session_set_expiring_lead_time  (CmSession            *self,
                                                       guint                 seconds);
/* What a refresh does with the accounts it lists; the tests and the
 * benchmarks give it accounts of their own. */
void               cm_session_update_accounts         (CmSession            *self,
                                                       GPtrArray            *accounts);
void               cm_session_hold_refresh_answers    (CmSession            *self,
                                                       gboolean              hold);
guint              cm_session_get_n_held_answers      (CmSession            *self);

G_END_DECLS
