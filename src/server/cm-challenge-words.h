/* cm-challenge-words.h: the words of the sign-up question, per language.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CM_CHALLENGE_N_WORDS 4
/* One character as UTF-8, with its terminating NUL. */
#define CM_CHALLENGE_LETTER_SIZE 7

typedef struct
{
  const char         *language;  /* "en", "es", "ar" */
  const char * const *words;     /* distinct, lower case, NFC, no spaces */
  guint               n_words;
} CmChallengeWords;

const CmChallengeWords *cm_challenge_words_for_accept_language (const char  *accept_language);
/* Four different words of @list and a character that only the answer (returned) holds. */
const char             *cm_challenge_words_pick                (const CmChallengeWords *list,
                                                                const char  **words,
                                                                char         *letter);

G_END_DECLS
