/* bench-util.h: what the app benchmarks share: the first frame of a window,
 * waiting for the next frame, peak RSS, medians.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <adwaita.h>

/* A field of /proc/self/status in KiB (VmHWM is the peak RSS), or -1. */
static inline long
bench_status_kib (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, key);
  if (line == NULL)
    return -1;
  return strtol (line + strlen (key), NULL, 10);
}

/* ---- app-start: the first frame drawn after the window is mapped ---------- */

static inline void
bench_first_after_paint_cb (GdkFrameClock *clock,
                            GtkWindow     *window)
{
  /* CLOCK_MONOTONIC, the clock the runner reads before it starts us. */
  gint64 now = g_get_monotonic_time ();
  GApplication *application = G_APPLICATION (gtk_window_get_application (window));

  g_signal_handlers_disconnect_by_func (clock, bench_first_after_paint_cb, window);
  g_print ("first-frame-us=%" G_GINT64_FORMAT " peak-rss-kib=%ld\n", now,
           bench_status_kib ("VmHWM"));
  fflush (stdout);
  /* BENCH_EXIT_AT_FRAME: end here, so that an instruction count (valgrind
   * callgrind) stops at the first frame, not after what follows it (practice
   * mode's back-end starts after it) or the shutdown. */
  if (g_getenv ("BENCH_EXIT_AT_FRAME") != NULL)
    _exit (0);
  /* BENCH_NO_QUIT: keep running, for the outside timer (bench-startup-timer),
   * which measures the memory after a settle time and then ends the process. */
  if (application != NULL && g_getenv ("BENCH_NO_QUIT") == NULL)
    g_application_quit (application);
}

static inline void
bench_window_mapped_cb (GtkWidget *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  g_signal_handlers_disconnect_by_func (window, bench_window_mapped_cb, NULL);
  g_signal_connect (gdk_surface_get_frame_clock (surface), "after-paint",
                    G_CALLBACK (bench_first_after_paint_cb), window);
}

static inline void
bench_window_added_cb (GtkApplication *application,
                       GtkWindow      *window)
{
  /* Only the first window: a dialog opened later is not start-up. */
  g_signal_handlers_disconnect_by_func (application, bench_window_added_cb, NULL);
  g_signal_connect_after (window, "map", G_CALLBACK (bench_window_mapped_cb), NULL);
}

/* Prints the time of the first frame of @application's first window and the
 * peak RSS then, and quits. */
static inline void
bench_hook_first_frame (GtkApplication *application)
{
  g_signal_connect (application, "window-added", G_CALLBACK (bench_window_added_cb), NULL);
}

/* ---- in-process: run until the next frame of a widget is painted --------- */

typedef struct
{
  gboolean painted;
  gint64   at;
  gint64   begun;   /* before-paint of the same frame, 0 if not seen */
} BenchFrame;

static inline void
bench_frame_before_paint_cb (GdkFrameClock *clock,
                             BenchFrame    *frame)
{
  if (!frame->painted)
    frame->begun = g_get_monotonic_time ();
}

static inline void
bench_frame_after_paint_cb (GdkFrameClock *clock,
                            BenchFrame    *frame)
{
  if (!frame->painted)
    {
      frame->painted = TRUE;
      frame->at = g_get_monotonic_time ();
    }
}

/* Asks for a frame of @widget's window and runs the main loop until it is
 * painted; returns the time (µs, monotonic) of its after-paint, and in
 * @work_us (optional) how long that frame took from its before-paint (the
 * wait for the frame clock's tick left out). */
static inline gint64
bench_wait_for_frame_work (GtkWidget *widget,
                           gint64    *work_us)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkFrameClock *clock;
  BenchFrame frame = { FALSE, 0, 0 };
  gulong before_id, after_id;

  while (native == NULL || !gtk_widget_get_mapped (GTK_WIDGET (native)))
    {
      g_main_context_iteration (NULL, TRUE);
      native = gtk_widget_get_native (widget);
    }
  clock = gdk_surface_get_frame_clock (gtk_native_get_surface (native));
  before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (bench_frame_before_paint_cb),
                                &frame);
  after_id = g_signal_connect (clock, "after-paint", G_CALLBACK (bench_frame_after_paint_cb),
                               &frame);
  gtk_widget_queue_draw (widget);
  while (!frame.painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, before_id);
  g_signal_handler_disconnect (clock, after_id);
  if (work_us != NULL)
    *work_us = frame.begun != 0 ? frame.at - frame.begun : 0;

  return frame.at;
}

static inline gint64
bench_wait_for_frame (GtkWidget *widget)
{
  return bench_wait_for_frame_work (widget, NULL);
}

/* Runs the main loop for @ms milliseconds. */
static inline gboolean
bench_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static inline void
bench_settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, bench_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static inline int
bench_cmp_double (const void *a,
                  const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Sorts @values in place; returns the median. */
static inline double
bench_median (double *values,
              guint   n)
{
  qsort (values, n, sizeof (double), bench_cmp_double);
  if (n == 0)
    return 0;
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static inline guint
bench_runs (guint fallback)
{
  const char *runs = g_getenv ("BENCH_RUNS");
  guint n = runs != NULL ? (guint) strtoul (runs, NULL, 10) : 0;

  return n > 0 ? n : fallback;
}
