/* cm-test-util.h: what the test programs share (tests/util, libcm-test-util): temporary
 * folders, bounded waits on the main loop, one async result, the outbox, the sign-up
 * question. GLib and GIO only, so that every test, fuzz target and benchmark can link it.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A bound on a wait, so that a bug ends in a failure rather than a hung suite. */
#define CM_TEST_WAIT_LIMIT_SECONDS 25

/* ---- Files ---- */

/* A new folder under the temporary directory (g_dir_make_tmp); aborts the test if none. */
char         *cm_test_make_tmp_dir        (const char     *tmpl);
/* Removes @path and everything below it; no error if it is gone already. */
void          cm_test_remove_tree         (const char     *path);
/* The first group of @pattern in the newest file of @dir (names start with a sortable
 * time, as in the back-end's outbox) whose name ends with @suffix (NULL: any) and whose
 * text matches; NULL if none does. */
char         *cm_test_outbox_find         (const char     *dir,
                                           const char     *suffix,
                                           const char     *pattern);

/* ---- Waiting on the main loop ---- */

typedef gboolean (*CmTestCheck) (gpointer data);

/* Runs the thread-default main context until @check is TRUE; fails the test after
 * CM_TEST_WAIT_LIMIT_SECONDS. */
void          cm_test_wait_until          (CmTestCheck     check,
                                           gpointer        data);
/* The same until *flag is TRUE. */
void          cm_test_wait_for            (const gboolean *flag);
/* Lets pending idles and I/O callbacks run. */
void          cm_test_flush_main_context  (void);

/* Collects one GAsyncResult. */
typedef struct
{
  GAsyncResult *result;
  gboolean      done;
} CmTestAsync;

/* A GAsyncReadyCallback; @user_data is a CmTestAsync that has not had its result yet. */
void          cm_test_async_cb            (GObject        *object,
                                           GAsyncResult   *result,
                                           gpointer        user_data);
/* Waits (bounded) for the result; it stays owned by @async. */
GAsyncResult *cm_test_async_wait          (CmTestAsync    *async);
/* Drops the result, ready for the next call. */
void          cm_test_async_clear         (CmTestAsync    *async);

/* ---- The back-end's sign-up question ---- */

/* The word of @words that holds @letter, as a person would answer; NULL if none does. */
char         *cm_test_challenge_answer    (const char * const *words,
                                           const char         *letter);

G_END_DECLS
