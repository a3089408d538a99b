/* cm-state-header.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cm-session.h"

G_BEGIN_DECLS

#define CM_TYPE_STATE_HEADER (cm_state_header_get_type ())

G_DECLARE_FINAL_TYPE (CmStateHeader, cm_state_header, CM, STATE_HEADER, AdwBin)

CmStateHeader *cm_state_header_new          (void);
void           cm_state_header_set_session  (CmStateHeader *self,
                                             CmSession     *session);

G_END_DECLS
