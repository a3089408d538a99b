/* fuzz-driver.c: replays files through a fuzz target without libFuzzer.
 *
 * Any compiler builds it, so the ordinary build replays every seed and every
 * saved crash on each landing. Arguments are files or directories (read one
 * level deep, in name order); each file is one TAP case.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-fuzz"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

/* Targets that need no set-up do not define it. */
__attribute__((weak)) int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  return 0;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
collect (GPtrArray  *files,
         const char *path)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  /* A target with no saved crash has no regressions/<target>/ folder. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      /* README files and the like explain a folder; they are not inputs. */
      if (name[0] == '.' || g_str_has_suffix (name, ".md"))
        continue;
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
    }
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (files, g_strdup (names->pdata[i]));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  int failed = 0;

  for (int i = 1; i < argc; i++)
    collect (files, argv[i]);

  LLVMFuzzerInitialize (&argc, &argv);

  printf ("TAP version 13\n1..%u\n", files->len);
  if (files->len == 0)
    printf ("# no inputs found\n");
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = files->pdata[i];
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          printf ("not ok %u %s # %s\n", i + 1, path, error->message);
          failed++;
          continue;
        }
      fflush (stdout);
      /* A crash aborts the whole run; meson then reports the case that was running. */
      fprintf (stderr, "# replaying %s\n", path);
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
      printf ("ok %u %s\n", i + 1, path);
    }

  return failed > 0 ? 1 : 0;
}
