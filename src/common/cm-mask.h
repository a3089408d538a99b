/* cm-mask.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The email on record as the slides show it: "E************L@EMAIL.COM".
 * Upper case; the first and last character of the local part, then always
 * twelve asterisks between them, so the mask does not tell the length; a
 * one-character local part shows that character and the asterisks. Returns
 * NULL for NULL or something that is not an address.
 */
char *cm_mask_email (const char *email);

/*
 * cm_mask_mailing_address:
 *
 * The street (the text before the first comma or line break) keeps the first
 * character of each word, the rest of each word becomes asterisks; the city,
 * state and ZIP after it stay, so the user can tell which address on record it
 * is without reading it. Returns NULL for NULL, empty or invalid UTF-8.
 */
char *cm_mask_mailing_address (const char *address);

G_END_DECLS
