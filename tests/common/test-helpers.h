/* test-helpers.h: assertions shared by the common tests
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cm-error.h"

/* @expected: comma-separated detail names, in any order; NULL or "" for none. */
static inline void
assert_details (const GError *error,
                const char   *expected)
{
  g_auto(GStrv) want = g_strsplit (expected != NULL ? expected : "", ",", -1);
  const char * const *got = cm_error_get_details (error);
  guint n_want = 0;

  for (guint i = 0; want[i] != NULL; i++)
    {
      if (*want[i] == '\0')
        continue;
      n_want++;
      if (!cm_error_has_detail (error, want[i]))
        {
          g_autofree char *have = g_strjoinv (",", (char **) got);

          g_test_message ("missing detail %s (have: %s)", want[i], have);
          g_assert_true (cm_error_has_detail (error, want[i]));
        }
    }

  if (g_strv_length ((char **) got) != n_want)
    {
      g_autofree char *have = g_strjoinv (",", (char **) got);

      g_test_message ("expected details %s, have %s", expected, have);
      g_assert_cmpuint (g_strv_length ((char **) got), ==, n_want);
    }
}
