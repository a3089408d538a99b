/* cm-challenge-words.c: the words of the sign-up question, per language, and the
 * choice of four words and a letter.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-challenge-words"

#include "config.h"

#include <libsoup/soup.h>
#include <sodium.h>
#include <string.h>

#include "cm-challenge-words-private.h"

/* Plain, distinct, lower-case words for the verification question. */
static const char * const words_en[] = {
  "carload", "exact", "assail", "portfolio", "engine", "brake", "garage", "wrench",
  "piston", "gasket", "clutch", "muffler", "battery", "license", "highway", "bridge",
  "window", "mirror", "signal", "anchor", "meadow", "orchard", "harbor", "lantern",
  "pencil", "basket", "candle", "ladder", "marble", "pepper", "quartz", "rocket",
  "saddle", "tunnel", "velvet", "walnut", "yellow", "zipper", "bucket", "cotton",
  "dinner", "forest", "guitar", "hammer", "island", "jacket", "kettle", "lemon",
  "magnet", "napkin", "oyster", "parrot", "rabbit", "salmon", "ticket", "umpire",
  "violin", "wagon", "blanket", "compass", "diamond", "feather", "glacier", "helmet",
  "journey", "kingdom", "lobster", "mustard", "notebook", "octagon", "pyramid", "quiver",
  "river", "spruce", "thunder", "uniform", "volcano", "whistle", "crystal", "dolphin",
};

/* TODO: the Spanish and Arabic lists want a native speaker's review.
 * Spanish: common nouns without accents or ñ, so every letter is a plain one. */
static const char * const words_es[] = {
  "casa", "mesa", "perro", "gato", "libro", "puerta", "ventana", "coche",
  "rueda", "motor", "freno", "camino", "puente", "cielo", "nube", "lluvia",
  "fuego", "agua", "piedra", "flor", "hoja", "playa", "monte", "barco",
  "tren", "reloj", "llave", "silla", "cama", "papel", "queso", "leche",
  "pan", "fruta", "naranja", "manzana", "caballo", "campo", "ciudad", "calle",
  "tienda", "taller", "espejo", "martillo", "tornillo",
};

/* Arabic: common nouns in standard spelling, without diacritics. */
static const char * const words_ar[] = {
  "بيت", "باب", "كتاب", "قلم", "شمس", "قمر", "بحر", "نهر",
  "جبل", "شجرة", "وردة", "مدرسة", "سيارة", "طريق", "مفتاح", "نافذة",
  "كرسي", "طاولة", "ماء", "خبز", "حليب", "تفاحة", "برتقال", "سمك",
  "قطة", "كلب", "حصان", "طائر", "سماء", "أرض", "نجمة", "مطر",
  "ثلج", "ريح", "نار", "مدينة", "سوق", "مصباح", "ساعة", "هاتف",
  "محرك", "عجلة", "جسر",
};

/* English first: it is the fallback. */
static const CmChallengeWords lists[] = {
  { "en", words_en, G_N_ELEMENTS (words_en) },
  { "es", words_es, G_N_ELEMENTS (words_es) },
  { "ar", words_ar, G_N_ELEMENTS (words_ar) },
};

/**
 * cm_challenge_words_get_all:
 * @n_lists: (out): how many lists
 *
 * Returns: (transfer none) (array length=n_lists): every list, English first
 */
const CmChallengeWords *
cm_challenge_words_get_all (guint *n_lists)
{
  *n_lists = G_N_ELEMENTS (lists);
  return lists;
}

/**
 * cm_challenge_words_for_accept_language:
 * @accept_language: (nullable): the request's `Accept-Language` value
 *
 * Returns: (transfer none): the list of the most wanted language (by q, then order)
 *   that has one; English when none has, or without a header
 */
const CmChallengeWords *
cm_challenge_words_for_accept_language (const char *accept_language)
{
  GSList *wanted;
  const CmChallengeWords *found = NULL;

  if (accept_language == NULL)
    return &lists[0];

  /* Sorted by q; q=0 ("not this one") is left out. */
  wanted = soup_header_parse_quality_list (accept_language, NULL);
  for (GSList *l = wanted; l != NULL && found == NULL; l = l->next)
    {
      const char *tag = l->data;
      gsize primary = strcspn (tag, "-_");

      for (guint i = 0; i < G_N_ELEMENTS (lists) && found == NULL; i++)
        {
          if (primary == strlen (lists[i].language) &&
              g_ascii_strncasecmp (tag, lists[i].language, primary) == 0)
            found = &lists[i];
        }
    }
  soup_header_free_list (wanted);

  return found != NULL ? found : &lists[0];
}

static gboolean
holds_char (const char *word,
            gunichar    c)
{
  return g_utf8_strchr (word, -1, c) != NULL;
}

/**
 * cm_challenge_words_pick:
 * @list: the words to choose from
 * @words: (out caller-allocates) (array fixed-size=4): CM_CHALLENGE_N_WORDS different
 *   words of @list
 * @letter: (out caller-allocates): CM_CHALLENGE_LETTER_SIZE bytes for one character, as
 *   UTF-8, that only the answer holds
 *
 * Letters are characters, not bytes: an Arabic letter is two bytes.
 *
 * Returns: (transfer none): the answer, one of @words
 */
const char *
cm_challenge_words_pick (const CmChallengeWords  *list,
                         const char             **words,
                         char                    *letter)
{
  const char *answer = NULL;

  g_return_val_if_fail (list->n_words >= CM_CHALLENGE_N_WORDS, NULL);

  while (answer == NULL)
    {
      for (guint i = 0; i < CM_CHALLENGE_N_WORDS; i++)
        {
          gboolean again;

          do
            {
              words[i] = list->words[randombytes_uniform (list->n_words)];
              again = FALSE;
              for (guint j = 0; j < i; j++)
                again |= words[j] == words[i];
            }
          while (again);
        }
      for (guint attempt = 0; attempt < 8 && answer == NULL; attempt++)
        {
          const char *word = words[randombytes_uniform (CM_CHALLENGE_N_WORDS)];
          glong n_chars = g_utf8_strlen (word, -1);
          gunichar c = g_utf8_get_char (g_utf8_offset_to_pointer (word,
                                                                  randombytes_uniform (n_chars)));
          guint holders = 0;

          for (guint i = 0; i < CM_CHALLENGE_N_WORDS; i++)
            holders += holds_char (words[i], c);
          if (holders == 1)
            {
              letter[g_unichar_to_utf8 (c, letter)] = '\0';
              answer = word;
            }
        }
    }

  return answer;
}
