/* main.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-main"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "cm-application.h"
#include "cm-command-line.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CmApplication) app = NULL;
  const char *localedir;
  char **args;
  int status;

  /* Before anything else: a link's code must not stay readable in
   * /proc/PID/cmdline for as long as the app runs. */
  args = cm_command_line_take_links (argc, argv);

  localedir = g_getenv ("CM_LOCALEDIR");
  /* Text domain first, so option help and every string are translated.
   * CM_LOCALEDIR: the build tree's catalogues (scripts/run, meson devenv). */
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = cm_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);

  status = g_application_run (G_APPLICATION (app), argc, args);
  cm_command_line_free (args);

  return status;
}
