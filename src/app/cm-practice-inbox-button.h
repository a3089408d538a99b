/* cm-practice-inbox-button.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cm-outbox-watch.h"

G_BEGIN_DECLS

#define CM_TYPE_PRACTICE_INBOX_BUTTON (cm_practice_inbox_button_get_type ())

G_DECLARE_FINAL_TYPE (CmPracticeInboxButton, cm_practice_inbox_button, CM, PRACTICE_INBOX_BUTTON,
                      GtkButton)

void cm_practice_inbox_button_set_watch (CmPracticeInboxButton *self,
                                         CmOutboxWatch         *watch);

G_END_DECLS
