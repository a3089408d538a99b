/* bench-app-start.c: the app's real start path (what src/app/main.c does:
 * text domain, cm_application_new, g_application_run), with the first frame
 * of its first window hooked. Prints the time of that frame and the peak RSS,
 * and quits. With no --server and no server-url setting the app starts in
 * practice mode, as scripts/run does.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-bench"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "bench-util.h"
#include "cm-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CmApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = cm_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  bench_hook_first_frame (GTK_APPLICATION (app));

  return g_application_run (G_APPLICATION (app), argc, argv);
}
