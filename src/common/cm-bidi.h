/* cm-bidi.h: text that must read left to right inside a right-to-left
 * sentence (numbers, codes, phone numbers, emails, character lists).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* U+2066 LEFT-TO-RIGHT ISOLATE and U+2069 POP DIRECTIONAL ISOLATE, for
 * translators and format strings that isolate a part themselves. */
#define CM_BIDI_LRI "\u2066"
#define CM_BIDI_PDI "\u2069"

char *cm_bidi_isolate_ltr (const char *text);

G_END_DECLS
