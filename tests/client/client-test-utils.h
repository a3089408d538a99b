/* client-test-utils.h: waiting for async results in the client tests.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

/* A bound on a wait, so that a bug ends in a failure rather than a hung suite. */
#define TEST_WAIT_LIMIT_SECONDS 25

static inline gboolean
test_wait_limit_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the thread-default main context until *flag is TRUE. */
static inline void
test_wait_for (const gboolean *flag)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (TEST_WAIT_LIMIT_SECONDS, test_wait_limit_cb, &expired);

  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (!expired)
    g_source_remove (id);
  if (!*flag)
    g_error ("gave up waiting after %d s", TEST_WAIT_LIMIT_SECONDS);
}

/* Collects one GAsyncResult. */
typedef struct
{
  GAsyncResult *result;
  gboolean      done;
} TestAsync;

static inline void
test_async_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  TestAsync *async = user_data;

  g_assert_false (async->done);
  async->result = g_object_ref (result);
  async->done = TRUE;
}

static inline GAsyncResult *
test_async_wait (TestAsync *async)
{
  test_wait_for (&async->done);
  return async->result;
}

static inline void
test_async_clear (TestAsync *async)
{
  g_clear_object (&async->result);
  async->done = FALSE;
}

/* Lets pending idles and I/O callbacks run. */
static inline void
test_flush_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
