/* fuzz-common.h: the libFuzzer entry points, shared by every target and fuzz-driver.c.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

G_BEGIN_DECLS

/* Called once before the first input; optional (weak in fuzz-driver.c). */
int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
/* One input; returns 0. A broken invariant aborts, so libFuzzer keeps the input. */
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* Like g_assert(), but never compiled out (G_DISABLE_ASSERT) and never a mere warning. */
#define FUZZ_CHECK(expr) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      { \
        g_printerr ("%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #expr); \
        abort (); \
      } \
  } G_STMT_END

static inline void
fuzz_log_handler (const char     *domain,
                  GLogLevelFlags  level,
                  const char     *message,
                  gpointer        user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      fprintf (stderr, "%s: %s\n", domain != NULL ? domain : "(null)", message);
      abort ();
    }
}

/* A warning or a critical (a g_return_if_fail) is a bug the input found: abort so the
 * fuzzer keeps the input. Messages and debug output are dropped: millions of runs. */
static inline void
fuzz_setup_logging (void)
{
  static gboolean done;

  if (G_LIKELY (done))
    return;
  done = TRUE;
  g_log_set_default_handler (fuzz_log_handler, NULL);
}

G_END_DECLS
