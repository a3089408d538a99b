/* cm-accessible.c: what a screen reader may find, beyond what GTK 4.8 decides.
 *
 * GTK 4.8 presents every visible widget to assistive technologies, mapped or
 * not. The containers that show one child of several (AdwSqueezer,
 * AdwPreferencesWindow's pages) leave the others visible, so a screen reader
 * would read a greeting three times or find fields nobody sees. Only the page
 * on screen may be read: the containers' owners mark the rest hidden here.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-accessible"

#include "config.h"

#include "cm-accessible.h"

/**
 * cm_accessible_expose_only:
 * @shown: (nullable): the one of @candidates on screen
 * @candidates: (array length=n_candidates): the children of one container
 *
 * Marks every one of @candidates but @shown %GTK_ACCESSIBLE_STATE_HIDDEN, and
 * @shown not: call it at the start and whenever the container shows another.
 */
void
cm_accessible_expose_only (GtkWidget        *shown,
                           GtkWidget *const *candidates,
                           gsize             n_candidates)
{
  for (gsize i = 0; i < n_candidates; i++)
    gtk_accessible_update_state (GTK_ACCESSIBLE (candidates[i]), GTK_ACCESSIBLE_STATE_HIDDEN,
                                 candidates[i] != shown, -1);
}
