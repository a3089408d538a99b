/* cm-bidi.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cm-bidi.h"

/**
 * cm_bidi_isolate_ltr:
 * @text: (nullable): UTF-8 text that reads left to right, such as
 *   "(517) 555-0100", "1-234-567-890" or an email address
 *
 * Wraps @text in a left-to-right isolate, so that inside an Arabic sentence
 * "(517) 555-0100" does not come out as "0100-555 (517)". The isolate also
 * keeps the surrounding sentence's direction from leaking into @text.
 * Empty or %NULL text gets no marks.
 *
 * Returns: (transfer full): the isolated text, "" for %NULL
 */
char *
cm_bidi_isolate_ltr (const char *text)
{
  if (text == NULL || *text == '\0')
    return g_strdup ("");

  return g_strconcat (CM_BIDI_LRI, text, CM_BIDI_PDI, NULL);
}
