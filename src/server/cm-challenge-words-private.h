/* cm-challenge-words-private.h: what the tests reach in cm-challenge-words that the app does not use
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-challenge-words.h"

G_BEGIN_DECLS

const CmChallengeWords *cm_challenge_words_get_all             (guint       *n_lists);

G_END_DECLS
