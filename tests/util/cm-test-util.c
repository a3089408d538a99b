/* cm-test-util.c: what the test programs share; see cm-test-util.h.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cm-test-util.h"

char *
cm_test_make_tmp_dir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

void
cm_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  /* A link is removed, never followed. */
  if (dir != NULL && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        cm_test_remove_tree (child);
      }
  g_remove (path);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char *
cm_test_outbox_find (const char *dir,
                     const char *suffix,
                     const char *pattern)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (regex);
  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    if (suffix == NULL || g_str_has_suffix (name, suffix))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = names->len; i > 0; i--)
    {
      g_autofree char *path = g_build_filename (dir, names->pdata[i - 1], NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GMatchInfo) match = NULL;

      if (!g_file_get_contents (path, &contents, NULL, NULL))
        continue;
      if (g_regex_match (regex, contents, 0, &match))
        return g_match_info_fetch (match, 1);
    }
  return NULL;
}

static gboolean
wait_limit_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

void
cm_test_wait_until (CmTestCheck check,
                    gpointer    data)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (CM_TEST_WAIT_LIMIT_SECONDS, wait_limit_cb, &expired);

  while (!check (data) && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (!expired)
    g_source_remove (id);
  if (!check (data))
    g_error ("gave up waiting after %d s", CM_TEST_WAIT_LIMIT_SECONDS);
}

static gboolean
flag_is_set (gpointer data)
{
  return *(const gboolean *) data;
}

void
cm_test_wait_for (const gboolean *flag)
{
  cm_test_wait_until (flag_is_set, (gpointer) flag);
}

void
cm_test_flush_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
cm_test_async_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CmTestAsync *async = user_data;

  g_assert_false (async->done);
  async->result = g_object_ref (result);
  async->done = TRUE;
}

GAsyncResult *
cm_test_async_wait (CmTestAsync *async)
{
  cm_test_wait_for (&async->done);
  return async->result;
}

void
cm_test_async_clear (CmTestAsync *async)
{
  g_clear_object (&async->result);
  async->done = FALSE;
}

char *
cm_test_challenge_answer (const char * const *words,
                          const char         *letter)
{
  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    if (strstr (words[i], letter) != NULL)
      return g_strdup (words[i]);
  return NULL;
}
