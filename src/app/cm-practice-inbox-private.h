/* cm-practice-inbox-private.h: what the tests drive directly; the app
 * itself uses only cm-practice-inbox.h.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-practice-inbox.h"

G_BEGIN_DECLS

guint            cm_practice_inbox_get_n_messages  (CmPracticeInbox *self);
gboolean         cm_practice_inbox_select          (CmPracticeInbox *self,
                                                    guint            index);
const char      *cm_practice_inbox_get_shown_text  (CmPracticeInbox *self);
const char      *cm_practice_inbox_get_shown_link  (CmPracticeInbox *self);
void             cm_practice_inbox_reload          (CmPracticeInbox *self);

G_END_DECLS
