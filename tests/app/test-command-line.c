/* test-command-line.c: a link's authorization code does not stay in the
 * process's command line (adversary report, finding 12).
 *
 * The built app is started as a launcher without D-Bus activation would,
 * `cars-mechanic LINK`, and /proc/PID/cmdline is read once the app owns its
 * name on the bus (main() has run by then); its output with every debug
 * message on must not hold the code either.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include "cm-command-line.h"
#include "cm-protocol.h"

#define CODE      "K7QM-2XWP-9HTR"
#define LINK      URI_SCHEME ":/add-account-access?code=" CODE
#define WAIT_US   (20 * G_USEC_PER_SEC)

/* @data as ps shows a command line: NULs as spaces, so strstr() sees it all. */
static char *
flatten (const char *data,
         gsize       length)
{
  char *flat = g_malloc (length + 1);

  for (gsize i = 0; i < length; i++)
    flat[i] = data[i] == '\0' ? ' ' : data[i];
  flat[length] = '\0';

  return flat;
}

/* The code as it may be spelled, as in the secrets sweep of the e2e test. */
static void
assert_no_code (const char *what,
                const char *data,
                gsize       length)
{
  static const char *spellings[] = { CODE, "K7QM2XWP9HTR", "k7qm-2xwp-9htr", "k7qm2xwp9htr",
                                     "K7QM 2XWP 9HTR" };
  g_autofree char *flat = flatten (data, length);

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      if (strstr (flat, spellings[i]) != NULL)
        g_error ("%s holds the code as %s", what, spellings[i]);
    }
}

static void
test_copy_keeps_link (void)
{
  /* Writable strings, as main()'s are. */
  char arg0[] = "cars-mechanic";
  char arg1[] = "--server=http://127.0.0.1:1/";
  char arg2[] = LINK;
  char arg3[] = "  IO.GitHub.CarsMechanic:/add-account-access?CODE=" CODE;
  char *argv[] = { arg0, arg1, arg2, arg3, NULL };
  char **args;

  args = cm_command_line_take_links (4, argv);

  /* GApplication gets everything as it was. */
  g_assert_cmpstr (args[0], ==, "cars-mechanic");
  g_assert_cmpstr (args[1], ==, "--server=http://127.0.0.1:1/");
  g_assert_cmpstr (args[2], ==, LINK);
  g_assert_cmpstr (args[3], ==, "  IO.GitHub.CarsMechanic:/add-account-access?CODE=" CODE);
  g_assert_null (args[4]);

  /* The original keeps the scheme and the other arguments, and only NULs
   * where the rest of each link was, up to its own end. */
  g_assert_cmpstr (arg0, ==, "cars-mechanic");
  g_assert_cmpstr (arg1, ==, "--server=http://127.0.0.1:1/");
  g_assert_cmpstr (arg2, ==, URI_SCHEME ":");
  g_assert_cmpstr (arg3, ==, "  IO.GitHub.CarsMechanic:");
  for (gsize i = strlen (URI_SCHEME ":"); i < sizeof arg2; i++)
    g_assert_cmpint (arg2[i], ==, '\0');
  assert_no_code ("the scrubbed argv", arg2, sizeof arg2);
  assert_no_code ("the scrubbed argv", arg3, sizeof arg3);

  cm_command_line_free (args);
}

/* The app ends with the test, even when an assertion ends the test first. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

typedef struct
{
  gboolean  done;
  GBytes   *output;
} Output;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Output *output = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_finish (G_SUBPROCESS (object), result, &output->output, NULL,
                                   &error);
  g_assert_no_error (error);
  output->done = TRUE;
}

static void
test_proc_cmdline (void)
{
  const char *binary = g_getenv ("CM_APP_BINARY");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) app = NULL;
  g_autofree char *home = NULL;
  g_autofree char *app_id = NULL;
  g_autofree char *app_id_arg = NULL;
  g_autofree char *cmdline_path = NULL;
  g_autofree char *cmdline = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *rm = NULL;
  gsize cmdline_length = 0;
  Output output = { FALSE, NULL };
  const char *text;
  gsize text_length = 0;
  gint64 deadline;

  if (binary == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("needs CM_APP_BINARY and a display (scripts/headless-session)");
      return;
    }
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  /* An app id of its own (another test may run the app), a home of its own,
   * and a back-end that is not there, so nothing starts in practice mode. */
  app_id = g_strdup_printf ("%s.TestCommandLine%u", APP_ID, (guint) getpid ());
  app_id_arg = g_strconcat ("--gapplication-app-id=", app_id, NULL);
  home = g_dir_make_tmp ("cm-command-line-XXXXXX", &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "CM_CREDENTIAL_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  app = g_subprocess_launcher_spawn (launcher, &error, binary, app_id_arg,
                                     "--server=http://127.0.0.1:1/", LINK, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_async (app, NULL, NULL, communicate_cb, &output);

  /* The name is taken in g_application_run(), after main() scrubbed argv. */
  deadline = g_get_monotonic_time () + WAIT_US;
  while (!name_has_owner (bus, app_id) && g_get_monotonic_time () < deadline)
    {
      g_assert_false (output.done);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20 * 1000);
    }
  g_assert_true (name_has_owner (bus, app_id));

  cmdline_path = g_strdup_printf ("/proc/%s/cmdline", g_subprocess_get_identifier (app));
  g_assert_true (g_file_get_contents (cmdline_path, &cmdline, &cmdline_length, &error));
  g_assert_no_error (error);
  shown = flatten (cmdline, cmdline_length);
  /* It can see: the other arguments and the scheme are there. */
  g_assert_nonnull (strstr (shown, "--server=http://127.0.0.1:1/"));
  g_assert_nonnull (strstr (shown, URI_SCHEME ":"));
  assert_no_code ("/proc/PID/cmdline", cmdline, cmdline_length);

  /* Our own child, ended by its PID. */
  g_subprocess_send_signal (app, SIGTERM);
  while (!output.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (output.output);
  text = g_bytes_get_data (output.output, &text_length);
  /* It can see here too: the app logged its start-up. */
  g_free (shown);
  shown = flatten (text, text_length);
  g_assert_nonnull (strstr (shown, "DEBUG"));
  assert_no_code ("the app's output", text, text_length);
  g_bytes_unref (output.output);

  rm = g_strdup_printf ("rm -rf '%s'", home);
  g_assert_cmpint (system (rm), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/command-line/copy-keeps-link", test_copy_keeps_link);
  g_test_add_func ("/command-line/proc-cmdline", test_proc_cmdline);

  return g_test_run ();
}
