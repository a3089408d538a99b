/* cm-command-line.c: the process's command line keeps no link.
 *
 * `cars-mechanic io.github.carsmechanic:/add-account-access?code=…` (a
 * launcher without D-Bus activation, a terminal) puts the authorization code
 * in argv, and the first instance runs on for hours: /proc/PID/cmdline is
 * readable by every local user, and `ps` shows it. main() hands GApplication
 * a copy and blanks the link in the original strings, which are the memory
 * the kernel reads cmdline from (adversary report, finding 12).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-command-line"

#include "config.h"

#include <string.h>

#include "cm-command-line.h"

/* What follows "io.github.carsmechanic:" in @arg, or NULL. Anywhere in the
 * argument and in any case: whatever the spelling, a code may follow. */
static char *
find_link_rest (char *arg)
{
  static const char prefix[] = URI_SCHEME ":";

  for (char *p = arg; *p != '\0'; p++)
    {
      if (g_ascii_strncasecmp (p, prefix, sizeof prefix - 1) == 0)
        return p + sizeof prefix - 1;
    }

  return NULL;
}

/**
 * cm_command_line_take_links:
 * @argc: main()'s argc
 * @argv: main()'s argv, changed in place
 *
 * Copies the arguments, then overwrites with NUL bytes what follows the
 * scheme of every link in @argv, so /proc/self/cmdline shows
 * `io.github.carsmechanic:` and nothing of the code. Call it first in main(),
 * and give GApplication the copy. Only the bytes of each string change: the
 * last NUL stays, so the kernel does not take it for setproctitle().
 *
 * Returns: (transfer full): the arguments as they were, for
 *   g_application_run(); free with cm_command_line_free()
 */
char **
cm_command_line_take_links (int    argc,
                            char **argv)
{
  char **args = g_new0 (char *, argc + 1);

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  for (int i = 1; i < argc; i++)
    {
      char *rest = find_link_rest (argv[i]);

      if (rest != NULL)
        explicit_bzero (rest, strlen (rest));
    }

  return args;
}

/**
 * cm_command_line_free:
 * @args: (nullable): from cm_command_line_take_links()
 *
 * Wipes the links in the copy too, then frees it.
 */
void
cm_command_line_free (char **args)
{
  if (args == NULL)
    return;

  for (char **arg = args; *arg != NULL; arg++)
    {
      char *rest = find_link_rest (*arg);

      if (rest != NULL)
        explicit_bzero (rest, strlen (rest));
    }
  g_strfreev (args);
}
