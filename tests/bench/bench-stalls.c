/* bench-stalls.c: the longest main-loop stall while the app signs in, lists
 * accounts and talks to the keyring.
 *
 * The practice back-end runs as in the app (CmPractice: its own thread, demo
 * data, Argon2id at INTERACTIVE cost); the session uses the real keyring of
 * the session (libsecret). A springboard window shows the session's accounts
 * and its frame clock keeps painting. Two clocks watch the main loop:
 *  - a 1 ms timeout at G_PRIORITY_HIGH records the largest gap between its
 *    dispatches, and the phase that was running then;
 *  - the frame clock's after-paint records the largest gap between frames.
 * Every gap over 16 ms is logged to stderr with its phase, the main thread's
 * CPU time and context switches in it (CPU time near the gap: our code ran;
 * involuntary switches: another process had the core), and a backtrace of
 * the main thread taken by a sampler thread while the stall lasts. Prints:
 *   stall PHASE watchdog-max-ms frame-max-ms
 *   stall-max watchdog-max-ms PHASE
 *   frame-max frame-max-ms PHASE
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-bench"
/* RUSAGE_THREAD */
#define _GNU_SOURCE

#include "config.h"

#include <execinfo.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bench-util.h"
#include "cm-journey.h"
#include "cm-journey-private.h"
#include "cm-practice-private.h"
#include "cm-springboard-window.h"
#include "cm-test-util.h"
#include "cm-validate.h"

#define STALL_MS 16
#define BENCH_USER "smithj4242"
/* A throw-away account on a throw-away back-end; never printed. */
#define BENCH_PASSWORD "Tr4ctor!Gear-Bench"

typedef struct
{
  const char *name;
  gint64      watchdog_max;  /* µs */
  gint64      frame_max;     /* µs */
} Phase;

static GPtrArray *phases;     /* Phase, in order of first use */
static Phase *current;
static gint64 last_tick;
static gint64 last_frame;
static struct rusage last_usage;
/* For the sampler thread. */
static pthread_t main_thread;
static gint64 tick_at;    /* atomic copy of last_tick */
static gint sampled;      /* a backtrace was taken for this stall */
static gint stopping;

static void
sample_handler (int signum)
{
  void *frames[48];
  int n = backtrace (frames, G_N_ELEMENTS (frames));
  static const char header[] = "stall: main thread backtrace:\n";

  /* Only async-signal-safe calls here. */
  if (write (STDERR_FILENO, header, sizeof header - 1) < 0)
    return;
  backtrace_symbols_fd (frames, n, STDERR_FILENO);
}

/* Takes one backtrace of the main thread when it has not ticked for 12 ms. */
static gpointer
sampler_thread (gpointer data)
{
  while (!g_atomic_int_get (&stopping))
    {
      gint64 since = g_get_monotonic_time () - __atomic_load_n (&tick_at, __ATOMIC_RELAXED);

      if (since > 12000 && g_atomic_int_compare_and_exchange (&sampled, 0, 1))
        pthread_kill (main_thread, SIGUSR2);
      g_usleep (2000);
    }
  return NULL;
}

static Phase *
phase_lookup (const char *name)
{
  Phase *phase;

  for (guint i = 0; i < phases->len; i++)
    {
      phase = g_ptr_array_index (phases, i);
      if (g_str_equal (phase->name, name))
        return phase;
    }
  phase = g_new0 (Phase, 1);
  phase->name = name;
  g_ptr_array_add (phases, phase);
  return phase;
}

/* Enters @name: gaps seen from now on belong to it. */
static void
phase_enter (const char *name)
{
  /* One turn of the loop first: a synchronous call of the phase before
   * shows up as a late watchdog tick, and is counted there. */
  if (current != NULL)
    g_main_context_iteration (NULL, FALSE);
  current = phase_lookup (name);
}

static void
note_gap (const char *clock,
          gint64     gap,
          gint64    *max)
{
  if (gap > *max)
    *max = gap;
  if (gap > STALL_MS * 1000)
    g_printerr ("stall: %s gap %.1f ms in %s\n", clock, gap / 1000.0, current->name);
}

static double
tv_ms (struct timeval tv)
{
  return tv.tv_sec * 1000.0 + tv.tv_usec / 1000.0;
}

static gboolean
watchdog_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 gap = now - last_tick - 1000;
  struct rusage usage;

  /* The timeout asks for 1 ms between dispatches; anything more is a stall. */
  getrusage (RUSAGE_THREAD, &usage);
  note_gap ("watchdog", gap, &current->watchdog_max);
  if (gap > STALL_MS * 1000)
    g_printerr ("stall:   main thread CPU %.1f ms (user %.1f, sys %.1f), "
                "switches: %ld voluntary, %ld involuntary\n",
                tv_ms (usage.ru_utime) + tv_ms (usage.ru_stime)
                - tv_ms (last_usage.ru_utime) - tv_ms (last_usage.ru_stime),
                tv_ms (usage.ru_utime) - tv_ms (last_usage.ru_utime),
                tv_ms (usage.ru_stime) - tv_ms (last_usage.ru_stime),
                usage.ru_nvcsw - last_usage.ru_nvcsw, usage.ru_nivcsw - last_usage.ru_nivcsw);
  last_usage = usage;
  last_tick = now;
  __atomic_store_n (&tick_at, now, __ATOMIC_RELAXED);
  g_atomic_int_set (&sampled, 0);
  return G_SOURCE_CONTINUE;
}

static void
frame_after_paint_cb (GdkFrameClock *clock)
{
  gint64 now = g_get_monotonic_time ();

  /* A frame is due every 16.7 ms at 60 Hz; a later one is a dropped frame. */
  if (last_frame != 0)
    note_gap ("frame", now - last_frame - 16667, &current->frame_max);
  last_frame = now;
}

/* Restarts both clocks, e.g. after a pause that is not part of the app. */
static void
clocks_reset (void)
{
  last_tick = g_get_monotonic_time ();
  __atomic_store_n (&tick_at, last_tick, __ATOMIC_RELAXED);
  getrusage (RUSAGE_THREAD, &last_usage);
  last_frame = 0;
}

typedef struct
{
  GAsyncResult *result;
} Async;

static void
async_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  ((Async *) user_data)->result = g_object_ref (result);
}

static GAsyncResult *
async_wait (Async *async)
{
  g_clear_object (&async->result);
  while (async->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return async->result;
}

static void
check (gboolean    ok,
       GError     *error,
       const char *what)
{
  if (!ok)
    g_error ("%s failed: %s", what, error != NULL ? error->message : "no error");
}

/* Until the journey file is written (on a worker thread: the watchdog counts
 * only what the main thread does meanwhile). */
static void
journey_flush (CmJourney *journey)
{
  Async async = { NULL };
  g_autoptr(GError) error = NULL;

  cm_journey_flush_async (journey, NULL, async_cb, &async);
  check (cm_journey_flush_finish (journey, async_wait (&async), &error), error, "journey");
  g_clear_object (&async.result);
}

/* The code in the newest outbox email (bench plumbing, not the app). */
static char *
read_code (const char *outbox)
{
  char *code = cm_test_outbox_find (outbox, ".eml",
                                    "code=([" CM_AUTHORIZATION_CODE_ALPHABET "]{4}-["
                                    CM_AUTHORIZATION_CODE_ALPHABET "]{4}-["
                                    CM_AUTHORIZATION_CODE_ALPHABET "]{4})");

  if (code == NULL)
    g_error ("no code in the outbox");
  return code;
}

static void
sign_up (CmApiClient *client)
{
  Async async = { NULL };
  g_autoptr(CmChallenge) challenge = NULL;
  g_autoptr(CmSignUpRequest) request = cm_sign_up_request_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;

  phase_enter ("sign-up");
  cm_api_client_get_challenge_async (client, NULL, async_cb, &async);
  challenge = cm_api_client_get_challenge_finish (client, async_wait (&async), &error);
  check (challenge != NULL, error, "challenge");

  request->first_name = g_strdup ("John");
  request->last_name = g_strdup ("Smith");
  request->email = g_strdup ("john.smith@example.com");
  request->email_confirm = g_strdup ("john.smith@example.com");
  request->work_phone = g_strdup ("517-555-0100");
  request->challenge_id = g_strdup (challenge->challenge_id);
  request->challenge_answer = cm_test_challenge_answer ((const char * const *) challenge->words,
                                                        challenge->letter);
  request->terms_accepted = TRUE;
  request->user_id = g_strdup (BENCH_USER);
  request->password = g_strdup (BENCH_PASSWORD);
  request->password_confirm = g_strdup (BENCH_PASSWORD);
  request->recovery_email = TRUE;
  cm_api_client_create_user_async (client, request, NULL, async_cb, &async);
  user_id = cm_api_client_create_user_finish (client, async_wait (&async), &error);
  check (user_id != NULL, error, "sign-up");
  g_clear_object (&async.result);
}

static void
sign_in (CmSession *session)
{
  Async async = { NULL };
  g_autoptr(GError) error = NULL;

  phase_enter ("sign-in (remember: keyring store)");
  cm_session_sign_in_async (session, BENCH_USER, BENCH_PASSWORD, TRUE, NULL, async_cb, &async);
  check (cm_session_sign_in_finish (session, async_wait (&async), &error), error, "sign-in");
  g_clear_object (&async.result);
}

static void
link_account (CmSession  *session,
              CmPractice *practice,
              const char *type,
              const char *number,
              const char *zip)
{
  CmApiClient *client = cm_session_get_api_client (session);
  Async async = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CmAccessRequestResult) requested = NULL;
  g_autoptr(CmAccount) account = NULL;
  g_autofree char *code = NULL;
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "cars-mechanic", NULL);
  g_autoptr(CmJourney) journey = NULL;

  /* What the account access page records, as cm-window.c makes it. */
  journey = cm_journey_new (data_dir, cm_api_client_get_base_uri (client),
                            cm_session_get_user_id (session));

  phase_enter ("request code");
  cm_api_client_request_access_async (client, type, number, zip, "email", NULL, async_cb,
                                      &async);
  requested = cm_api_client_request_access_finish (client, async_wait (&async), &error);
  check (requested != NULL, error, "request access");
  phase_enter ("bench: read the outbox");
  code = read_code (cm_practice_get_outbox_dir (practice));
  clocks_reset ();
  phase_enter ("journey: remember the request (file)");
  cm_journey_add_request (journey, type, number, "email", requested->confirmation_number);
  journey_flush (journey);

  phase_enter ("link account");
  cm_session_link_account_async (session, code, type, number, zip, NULL, TRUE, NULL, async_cb, &async);
  account = cm_session_link_account_finish (session, async_wait (&async), &error);
  check (account != NULL, error, "link account");
  g_clear_object (&async.result);
  phase_enter ("journey: remember the link (file)");
  cm_journey_mark_linked (journey, type, number);
  journey_flush (journey);
}

static void
refresh_accounts (CmSession *session)
{
  Async async = { NULL };
  g_autoptr(GError) error = NULL;

  phase_enter ("list accounts (refresh)");
  cm_session_refresh_accounts_async (session, NULL, async_cb, &async);
  check (cm_session_refresh_accounts_finish (session, async_wait (&async), &error), error,
         "list accounts");
  g_clear_object (&async.result);
}

static void
restore (CmSession *session)
{
  Async async = { NULL };
  g_autoptr(GError) error = NULL;

  phase_enter ("restore (keyring lookup)");
  cm_session_restore_async (session, NULL, async_cb, &async);
  check (cm_session_restore_finish (session, async_wait (&async), &error), error, "restore");
  g_clear_object (&async.result);
}

static void
refresh (CmSession *session)
{
  Async async = { NULL };
  g_autoptr(GError) error = NULL;

  phase_enter ("refresh session");
  cm_session_refresh_async (session, NULL, async_cb, &async);
  check (cm_session_refresh_finish (session, async_wait (&async), &error), error, "refresh");
  g_clear_object (&async.result);
}

static void
sign_out (CmSession *session)
{
  Async async = { NULL };
  g_autoptr(GError) error = NULL;

  phase_enter ("sign-out (keyring clear)");
  cm_session_sign_out_async (session, NULL, async_cb, &async);
  check (cm_session_sign_out_finish (session, async_wait (&async), &error), error, "sign-out");
  g_clear_object (&async.result);
}

/* A session as the app makes one at start: a client for the back-end and the keyring. */
static CmSession *
new_session (const char *uri)
{
  g_autoptr(CmApiClient) client = cm_api_client_new (uri);
  g_autoptr(CmCredentialStore) store = cm_credential_store_new ();

  return cm_session_new (client, store);
}

/* The frame-gap clock follows one window at a time. */
static void
start_painting (GtkWindow *window)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (window)));

  last_frame = 0;
  g_signal_connect (clock, "after-paint", G_CALLBACK (frame_after_paint_cb), NULL);
  gdk_frame_clock_begin_updating (clock);
}

static void
stop_painting (GtkWindow *window)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (window)));

  gdk_frame_clock_end_updating (clock);
  g_signal_handlers_disconnect_by_func (clock, frame_after_paint_cb, NULL);
  last_frame = 0;
}

/* The app's main window stands in for the first window of the process: its
 * first frame (fonts, icon theme, styles set up once per process) is what
 * app-start measures, not a stall of the journey. It paints continuously
 * until the springboard opens. */
/* A bare AdwWindow with a header bar at the app's default size, presented
 * and drawn once. */
static GtkWindow *
present_bare_window (void)
{
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_default_size (window, 720, 640);
  gtk_window_present (window);
  bench_wait_for_frame (GTK_WIDGET (window));
  return window;
}

static GtkWindow *
open_first_window (void)
{
  GtkWindow *window;

  phase_enter ("bench: the first window of the process (app-start measures it)");
  window = present_bare_window ();
  start_painting (window);
  bench_settle (100);
  return window;
}

/* The baseline of opening a window: a bare AdwWindow of the same size, its
 * first frame, then closed again. */
static void
open_bare_window (void)
{
  GtkWindow *window;

  phase_enter ("bench: open a bare window (baseline)");
  window = present_bare_window ();
  bench_settle (100);
  gtk_window_destroy (window);
  bench_settle (50);
}

/* The springboard of @session, painting continuously. */
static GtkWindow *
open_springboard (CmSession *session)
{
  GtkWindow *window;

  phase_enter ("open springboard");
  window = GTK_WINDOW (cm_springboard_window_new (NULL, session));
  gtk_window_present (window);
  bench_wait_for_frame (GTK_WIDGET (window));
  start_painting (window);
  /* The frames right after the first (the list fills in) belong here too. */
  bench_settle (100);
  return window;
}

static void
close_springboard (GtkWindow *window)
{
  phase_enter ("close springboard");
  stop_painting (window);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmPractice) practice = NULL;
  g_autoptr(CmSession) session = NULL;
  g_autofree char *dir = NULL;
  GtkWindow *first_window;
  GtkWindow *window;
  GSource *watchdog;
  GThread *sampler = NULL;
  void *warm[4];
  Phase *worst = NULL, *worst_frame = NULL;
  guint runs = bench_runs (5);
  gint64 start;

  gtk_init ();
  adw_init ();
  phases = g_ptr_array_new_with_free_func (g_free);

  watchdog = g_timeout_source_new (1);
  g_source_set_priority (watchdog, G_PRIORITY_HIGH);
  g_source_set_callback (watchdog, watchdog_cb, NULL, NULL);
  g_source_attach (watchdog, NULL);
  phase_enter ("practice start");
  clocks_reset ();
  if (g_getenv ("BENCH_BACKTRACE") != NULL)
    {
      /* backtrace() loads libgcc on first use: not in a signal handler. */
      backtrace (warm, G_N_ELEMENTS (warm));
      main_thread = pthread_self ();
      signal (SIGUSR2, sample_handler);
      sampler = g_thread_new ("stall-sampler", sampler_thread, NULL);
    }

  /* Practice start blocks until the back-end listens: before any window, so
   * it is start-up time (app-start), not a stall; measured and shown apart. */
  dir = g_dir_make_tmp ("cm-bench-stalls-XXXXXX", &error);
  check (dir != NULL, error, "temporary folder");
  practice = cm_practice_new (dir);
  start = g_get_monotonic_time ();
  check (cm_practice_start (practice, &error), error, "practice start");
  g_print ("practice-start %.2f\n", (g_get_monotonic_time () - start) / 1000.0);

  session = new_session (cm_practice_get_uri (practice));
  clocks_reset ();
  first_window = open_first_window ();
  sign_up (cm_session_get_api_client (session));
  sign_in (session);
  link_account (session, practice, "mechanic", "Z123456", "48909");
  link_account (session, practice, "mechanic_school", "S100200", "48197");
  refresh_accounts (session);
  /* As in the app: the springboard opens once the accounts are listed. */
  stop_painting (first_window);
  window = open_springboard (session);

  for (guint r = 0; r < runs; r++)
    {
      /* Next start of the app: a new session restores from the keyring. */
      close_springboard (window);
      open_bare_window ();
      g_clear_object (&session);
      session = new_session (cm_practice_get_uri (practice));
      restore (session);
      window = open_springboard (session);
      refresh (session);
      refresh_accounts (session);
      sign_out (session);
      bench_settle (100);
      sign_in (session);
      refresh_accounts (session);
      bench_settle (100);
    }
  phase_enter ("idle");
  bench_settle (300);
  close_springboard (window);
  gtk_window_destroy (first_window);
  sign_out (session);

  for (guint i = 0; i < phases->len; i++)
    {
      Phase *phase = g_ptr_array_index (phases, i);

      g_print ("stall %s|%.2f|%.2f\n", phase->name, phase->watchdog_max / 1000.0,
               phase->frame_max / 1000.0);
      if (g_str_has_prefix (phase->name, "bench:"))
        continue;
      if (worst == NULL || phase->watchdog_max > worst->watchdog_max)
        worst = phase;
      if (worst_frame == NULL || phase->frame_max > worst_frame->frame_max)
        worst_frame = phase;
    }
  g_print ("stall-max %.2f|%s\n", worst->watchdog_max / 1000.0, worst->name);
  g_print ("frame-max %.2f|%s\n", worst_frame->frame_max / 1000.0, worst_frame->name);
  /* The app process's own peak (the practice back-end's hashes are in its process). */
  g_print ("peak-rss-kib %ld\n", bench_status_kib ("VmHWM"));

  if (sampler != NULL)
    {
      g_atomic_int_set (&stopping, 1);
      g_thread_join (sampler);
    }
  g_source_destroy (watchdog);
  g_source_unref (watchdog);
  g_clear_object (&session);
  cm_practice_stop (practice);
  cm_test_remove_tree (dir);
  g_ptr_array_unref (phases);

  return EXIT_SUCCESS;
}
