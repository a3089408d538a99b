/* test-bidi.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-bidi"

#include "config.h"

#include "cm-bidi.h"

static void
test_bidi_isolate_ltr (void)
{
  g_autofree char *phone = cm_bidi_isolate_ltr ("(517) 555-0100");
  g_autofree char *empty = cm_bidi_isolate_ltr ("");
  g_autofree char *none = cm_bidi_isolate_ltr (NULL);

  g_assert_cmpstr (phone, ==, "\xe2\x81\xa6(517) 555-0100\xe2\x81\xa9");
  g_assert_true (g_utf8_validate (phone, -1, NULL));
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (none, ==, "");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bidi/isolate-ltr", test_bidi_isolate_ltr);

  return g_test_run ();
}
