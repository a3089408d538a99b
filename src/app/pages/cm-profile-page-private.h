/* cm-profile-page-private.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the page itself and the tests: the verification question, as a user
 * would see and answer it.
 */

#pragma once

#include "cm-profile-page.h"

G_BEGIN_DECLS

void        cm_profile_page_reload_challenge (CmProfilePage  *self);
const char * const *cm_profile_page_get_challenge_words (CmProfilePage *self);
const char *cm_profile_page_get_challenge_letter (CmProfilePage *self);
gboolean    cm_profile_page_choose_word     (CmProfilePage   *self,
                                             const char      *word);

G_END_DECLS
