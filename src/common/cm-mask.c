/* cm-mask.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-mask"

#include "config.h"

#include <string.h>

#include "cm-mask.h"

#define MASK_STARS "************"

char *
cm_mask_email (const char *email)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *domain = NULL;
  const char *at;
  const char *last_char;
  glong local_chars;

  if (email == NULL || !g_utf8_validate (email, -1, NULL))
    return NULL;

  trimmed = g_strstrip (g_strdup (email));
  at = strchr (trimmed, '@');
  if (at == NULL || at == trimmed || at[1] == '\0' || strchr (at + 1, '@') != NULL)
    return NULL;

  local_chars = g_utf8_strlen (trimmed, at - trimmed);
  first = g_utf8_strup (trimmed, g_utf8_next_char (trimmed) - trimmed);
  domain = g_utf8_strup (at + 1, -1);

  if (local_chars == 1)
    return g_strconcat (first, MASK_STARS, "@", domain, NULL);

  last_char = g_utf8_find_prev_char (trimmed, at);
  last = g_utf8_strup (last_char, at - last_char);
  return g_strconcat (first, MASK_STARS, last, "@", domain, NULL);
}

char *
cm_mask_mailing_address (const char *address)
{
  g_autofree char *trimmed = NULL;
  GString *masked;
  const char *end;
  gboolean word_start = TRUE;

  if (address == NULL || !g_utf8_validate (address, -1, NULL))
    return NULL;
  trimmed = g_strstrip (g_strdup (address));
  if (trimmed[0] == '\0')
    return NULL;

  end = trimmed + strcspn (trimmed, ",\n");
  masked = g_string_sized_new (strlen (trimmed));
  for (const char *p = trimmed; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        g_string_append_unichar (masked, c);
      else
        g_string_append_unichar (masked, word_start ? c : '*');
      word_start = g_unichar_isspace (c);
    }
  g_string_append (masked, end);
  return g_string_free (masked, FALSE);
}
