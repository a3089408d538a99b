/* cm-practice-inbox.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cm-outbox-watch.h"

G_BEGIN_DECLS

#define CM_TYPE_PRACTICE_INBOX (cm_practice_inbox_get_type ())

G_DECLARE_FINAL_TYPE (CmPracticeInbox, cm_practice_inbox, CM, PRACTICE_INBOX, AdwWindow)

CmPracticeInbox *cm_practice_inbox_new             (CmOutboxWatch   *watch);

G_END_DECLS
