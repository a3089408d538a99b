/* cm-practice-process.c: practice mode's back-end, cars-mechanic-server, as a child
 * process of the app (docs/architecture.md, "Practice mode").
 *
 * It listens on 127.0.0.1, a free port, and prints its URI as the one line on its
 * standard output once ready. Its standard input is a pipe only the app holds, and
 * --stop-with-stdin ends it when that closes: when the app ends, even by a crash.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-practice"

#include "config.h"

#include <errno.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cm-practice-process.h"

/* How long a stopping back-end may take before it is killed. */
#define STOP_TIMEOUT_MS 5000
/* Longer is not a URI. */
#define LINE_MAX_BYTES 256

/* The first line @fd gives, without its newline. Polls with a deadline, and with
 * @cancellable, so that a back-end that hangs cannot hang its caller. NULL, with
 * @error unset, when the output ends first or the line is too long. */
static char *
read_first_line (int            fd,
                 guint          timeout_s,
                 GCancellable  *cancellable,
                 GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  g_autoptr(GString) line = g_string_new (NULL);
  GPollFD fds[2] = { { fd, G_IO_IN | G_IO_HUP | G_IO_ERR, 0 }, { -1, 0, 0 } };
  guint n_fds = g_cancellable_make_pollfd (cancellable, &fds[1]) ? 2 : 1;
  char *newline = NULL;

  while (newline == NULL && line->len < LINE_MAX_BYTES)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      char buffer[LINE_MAX_BYTES];
      ssize_t n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      if (left <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       /* Translators: %u is a number of seconds */
                       ngettext ("The practice back-end did not start within %u second",
                                 "The practice back-end did not start within %u seconds",
                                 timeout_s),
                       timeout_s);
          break;
        }
      fds[0].revents = 0;
      if (g_poll (fds, n_fds, (int) MIN (left / 1000 + 1, G_MAXINT)) <= 0 ||
          fds[0].revents == 0)
        continue;
      n = read (fd, buffer, sizeof buffer);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n <= 0)
        break;
      g_string_append_len (line, buffer, n);
      newline = memchr (line->str, '\n', line->len);
    }
  if (n_fds == 2)
    g_cancellable_release_fd (cancellable);
  if (newline == NULL)
    return NULL;
  g_string_truncate (line, newline - line->str);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/**
 * cm_practice_process_start:
 * @program: the server program
 * @timeout_s: how long to wait for its URI
 * @cancellable: (nullable): gives the start up
 * @uri: (out): its URI, `http://127.0.0.1:PORT/`
 *
 * Starts the back-end and waits until it listens: some 20 ms (docs/benchmarks.md), on a
 * thread of the caller's, never the main loop.
 *
 * Returns: (transfer full) (nullable): the process, or %NULL and @error
 */
GSubprocess *
cm_practice_process_start (const char    *program,
                           const char    *database,
                           const char    *outbox_dir,
                           guint          timeout_s,
                           GCancellable  *cancellable,
                           char         **uri,
                           GError       **error)
{
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *line = NULL;
  int fd;

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                             &local, program, "--bind", "127.0.0.1", "--port", "0",
                             "--database", database, "--outbox", outbox_dir,
                             "--demo-data", "--stop-with-stdin", NULL);
  if (server == NULL)
    goto fail;

  fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (g_subprocess_get_stdout_pipe (server)));
  line = read_first_line (fd, timeout_s, cancellable, &local);
  if (line != NULL && g_str_has_prefix (line, "http://127.0.0.1:") &&
      g_uri_is_valid (line, G_URI_FLAGS_NONE, NULL))
    {
      *uri = g_steal_pointer (&line);
      return g_steal_pointer (&server);
    }
  cm_practice_process_stop (server);
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

fail:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               /* Translators: %s is why, e.g. a system error about running a program */
               _("The practice back-end did not start: %s"),
               local != NULL ? local->message
               : line == NULL
                 /* Translators: the reason in “The practice back-end did not start: %s”
                  * when its program quit before it was ready */
                 ? _("it ended at once; its reason is in the app’s log")
                 /* Translators: likewise, when its program printed something else than
                  * the address it listens on */
                 : _("it did not say where it listens"));
  return NULL;
}

static void
ended_unexpectedly_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GSubprocess *server = G_SUBPROCESS (object);

  if (!g_subprocess_wait_finish (server, result, NULL))
    return;
  if (g_subprocess_get_if_signaled (server))
    g_warning ("The practice back-end ended on signal %d; practice mode has no back-end "
               "until the app starts again", g_subprocess_get_term_sig (server));
  else
    g_warning ("The practice back-end ended with status %d; practice mode has no back-end "
               "until the app starts again", g_subprocess_get_exit_status (server));
}

/**
 * cm_practice_process_watch:
 * @cancellable: cancelled before the app stops it
 *
 * Says in the log when the back-end ends by itself (a crash, the OOM killer): the app's
 * requests would otherwise just find nobody listening.
 */
void
cm_practice_process_watch (GSubprocess  *server,
                           GCancellable *cancellable)
{
  g_subprocess_wait_async (server, cancellable, ended_unexpectedly_cb, NULL);
}

static void
stopped_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *ended = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *ended = TRUE;
}

static gboolean
stop_timeout_cb (gpointer user_data)
{
  g_warning ("The practice back-end did not stop in %d ms: killed", STOP_TIMEOUT_MS);
  g_subprocess_force_exit (G_SUBPROCESS (user_data));
  return G_SOURCE_REMOVE;
}

/**
 * cm_practice_process_stop:
 *
 * Asks the back-end to stop (SIGTERM) and waits for it, killing it after
 * STOP_TIMEOUT_MS: on a context of its own, so nothing of the app's runs meanwhile.
 * Some milliseconds, at shutdown.
 */
void
cm_practice_process_stop (GSubprocess *server)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new (STOP_TIMEOUT_MS);
  gboolean ended = FALSE;

  g_main_context_push_thread_default (context);
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait_async (server, NULL, stopped_cb, &ended);
  g_source_set_callback (timeout, stop_timeout_cb, server, NULL);
  g_source_attach (timeout, context);
  while (!ended)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);
}
