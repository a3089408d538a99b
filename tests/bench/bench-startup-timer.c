/* bench-startup-timer.c: times a program's start from outside it (issue 16).
 *
 * An X client that watches X DAMAGE on the root window and the new top-level
 * windows, starts PROGRAM (fork + exec, nothing hooked in it), and records,
 * in ms from just before fork() (CLOCK_MONOTONIC):
 *   map-ms    MapNotify of the first top-level window whose _NET_WM_PID is
 *             the child's;
 *   paint-ms  that window's first damage: the X server painting the
 *             background pixel GDK gives every X11 window, at map;
 *   frame-ms  the next damage inside it: the first frame the program drew
 *             (the figure of `scripts/bench startup`).
 * At frame-ms it reads the child's CPU time (all threads, schedstat), peak
 * RSS (VmHWM) and RSS (VmRSS); after --settle ms the same again, then the
 * child gets SIGTERM and wait4() gives its ru_maxrss.
 *
 * Usage: bench-startup-timer [--settle MS] [--timeout MS] [--unset NAME]...
 *          [--log FILE] [--dump DIR] [--any-window] -- PROGRAM [ARGS...]
 *   --settle MS   how long the program runs after its first frame (1000)
 *   --timeout MS  give up when it has drawn no window by then (30000)
 *   --unset NAME  unset NAME in the program's environment (e.g. GSK_RENDERER,
 *                 which scripts/headless-session sets)
 *   --log FILE    the program's stdout and stderr (default /dev/null)
 *   --any-window  count any top-level window, not only those whose _NET_WM_PID
 *                 is the child's (PROGRAM is a wrapper such as strace or perf)
 *   --dump DIR    at the first frame and after the settle time, stop the
 *                 program (SIGSTOP), copy its status, smaps_rollup and smaps
 *                 into DIR/frame and DIR/settled, and let it go on
 * BENCH_TIMER_VERBOSE=1 prints every map and damage on stderr.
 *
 * Prints one line of key=value pairs on stdout.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>

#define MAX_WINDOWS 64
#define MAX_UNSET   16

typedef struct
{
  Window id;
  int    x, y, width, height;
  int    mapped;
  int    ours;
  int    painted;   /* the X server painted its background at map */
} Toplevel;

typedef struct
{
  /* options */
  long        settle_ms;
  long        timeout_ms;
  const char *unset[MAX_UNSET];
  int         n_unset;
  const char *log;
  const char *dump;
  int         any_window;
  char      **argv;
  /* X */
  Display    *dpy;
  Window      root;
  int         damage_event;
  Damage      damage;
  Atom        net_wm_pid;
  Toplevel    windows[MAX_WINDOWS];
  int         n_windows;
  /* the run */
  pid_t       pid;
  double      t0;
  double      map_ms;     /* first map of a window of the child, or -1 */
  double      paint_ms;   /* its first damage: the X server's background paint */
  double      frame_ms;   /* the next damage in it: the program's first frame */
  double      cpu_ms;     /* CPU time of the child (all threads) then */
  int         exited;
  int         status;
  struct rusage usage;
} Timer;

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
die (const char *message)
{
  fprintf (stderr, "bench-startup-timer: %s\n", message);
  exit (2);
}

static void
parse_args (Timer *t,
            int    argc,
            char **argv)
{
  int i;

  t->settle_ms = 1000;
  t->timeout_ms = 30000;
  for (i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      const char *value = i + 1 < argc ? argv[i + 1] : NULL;

      if (strcmp (arg, "--") == 0)
        break;
      if (strcmp (arg, "--any-window") == 0)
        {
          t->any_window = 1;
          continue;
        }
      if (value == NULL)
        die ("an option needs a value; usage: [options] -- PROGRAM [ARGS...]");
      if (strcmp (arg, "--settle") == 0)
        t->settle_ms = strtol (value, NULL, 10);
      else if (strcmp (arg, "--timeout") == 0)
        t->timeout_ms = strtol (value, NULL, 10);
      else if (strcmp (arg, "--unset") == 0 && t->n_unset < MAX_UNSET)
        t->unset[t->n_unset++] = value;
      else if (strcmp (arg, "--log") == 0)
        t->log = value;
      else if (strcmp (arg, "--dump") == 0)
        t->dump = value;

      else
        die ("unknown option");
      i++;
    }
  if (i + 1 >= argc)
    die ("usage: bench-startup-timer [options] -- PROGRAM [ARGS...]");
  t->argv = argv + i + 1;
}

/* ---- X: the windows of the child, and DAMAGE on the root window ---------- */

static void
open_display (Timer *t)
{
  int error_base;

  t->dpy = XOpenDisplay (NULL);
  if (t->dpy == NULL)
    die ("cannot open the display (DISPLAY)");
  if (!XDamageQueryExtension (t->dpy, &t->damage_event, &error_base))
    die ("the X server has no DAMAGE extension");
  t->root = DefaultRootWindow (t->dpy);
  t->net_wm_pid = XInternAtom (t->dpy, "_NET_WM_PID", False);
  /* New top-level windows (CreateNotify), their moves and maps. */
  XSelectInput (t->dpy, t->root, SubstructureNotifyMask);
  /* Damage on the root window covers what any window draws on the screen; raw
   * rectangles, so each one can be matched to a window. */
  t->damage = XDamageCreate (t->dpy, t->root, XDamageReportRawRectangles);
  XSync (t->dpy, False);
}

static Toplevel *
find_window (Timer  *t,
             Window  id)
{
  for (int i = 0; i < t->n_windows; i++)
    if (t->windows[i].id == id)
      return &t->windows[i];
  return NULL;
}

static long
window_pid (Timer  *t,
            Window  id)
{
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  long pid = -1;

  if (XGetWindowProperty (t->dpy, id, t->net_wm_pid, 0, 1, False, XA_CARDINAL, &type, &format,
                          &n, &after, &data) == Success && data != NULL)
    {
      if (type == XA_CARDINAL && format == 32 && n == 1)
        pid = *(long *) data;
      XFree (data);
    }
  return pid;
}

static int
intersects (const Toplevel   *w,
            const XRectangle *r)
{
  return r->x < w->x + w->width && w->x < r->x + r->width &&
         r->y < w->y + w->height && w->y < r->y + r->height;
}

static void on_first_frame (Timer *t);

static int
is_whole (const Toplevel   *w,
          const XRectangle *r)
{
  return r->x == w->x && r->y == w->y && r->width == w->width && r->height == w->height;
}

/* GDK gives its X11 windows a background pixel, so mapping one makes the X
 * server paint it: that is the window's first damage (map-ms). The next
 * damage inside it is the program's own first frame (frame-ms). */
static void
handle_damage (Timer              *t,
               XDamageNotifyEvent *e)
{
  if (getenv ("BENCH_TIMER_VERBOSE") != NULL)
    fprintf (stderr, "%.2f damage %d,%d %dx%d\n", now_ms () - t->t0, e->area.x, e->area.y,
             e->area.width, e->area.height);
  for (int i = 0; i < t->n_windows; i++)
    {
      Toplevel *w = &t->windows[i];

      if (!w->mapped || !w->ours || !intersects (w, &e->area))
        continue;
      if (!w->painted && is_whole (w, &e->area))
        {
          w->painted = 1;
          if (t->paint_ms < 0)
            t->paint_ms = now_ms () - t->t0;
        }
      else
        {
          t->frame_ms = now_ms () - t->t0;
          on_first_frame (t);
        }
      return;
    }
}

static void
handle_event (Timer  *t,
              XEvent *event)
{
  Toplevel *w;

  if (event->type == CreateNotify && event->xcreatewindow.parent == t->root &&
      t->n_windows < MAX_WINDOWS)
    {
      XCreateWindowEvent *e = &event->xcreatewindow;

      t->windows[t->n_windows++] = (Toplevel) { e->window, e->x, e->y, e->width, e->height,
                                                0, 0, 0 };
    }
  else if (event->type == ConfigureNotify && (w = find_window (t, event->xconfigure.window)))
    {
      w->x = event->xconfigure.x;
      w->y = event->xconfigure.y;
      w->width = event->xconfigure.width;
      w->height = event->xconfigure.height;
    }
  else if (event->type == MapNotify && (w = find_window (t, event->xmap.window)))
    {
      w->mapped = 1;
      w->ours = t->any_window || window_pid (t, w->id) == t->pid;
      if (getenv ("BENCH_TIMER_VERBOSE"))
        fprintf (stderr, "%.2f map %lx %d,%d %dx%d ours=%d\n", now_ms () - t->t0, w->id, w->x,
                 w->y, w->width, w->height, w->ours);
      if (w->ours && t->map_ms < 0)
        t->map_ms = now_ms () - t->t0;
    }
  else if (event->type == UnmapNotify && (w = find_window (t, event->xunmap.window)))
    w->mapped = 0;
  else if (event->type == t->damage_event + XDamageNotify && t->frame_ms < 0)
    handle_damage (t, (XDamageNotifyEvent *) event);
}

/* ---- the child ------------------------------------------------------------ */

static void
start_child (Timer *t)
{
  t->t0 = now_ms ();
  t->pid = fork ();
  if (t->pid < 0)
    die ("fork failed");
  if (t->pid == 0)
    {
      int fd = open (t->log != NULL ? t->log : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);

      if (fd >= 0)
        {
          dup2 (fd, STDOUT_FILENO);
          dup2 (fd, STDERR_FILENO);
          close (fd);
        }
      close (ConnectionNumber (t->dpy));
      for (int i = 0; i < t->n_unset; i++)
        unsetenv (t->unset[i]);
      execvp (t->argv[0], t->argv);
      fprintf (stderr, "bench-startup-timer: cannot run %s: %s\n", t->argv[0], strerror (errno));
      _exit (127);
    }
}

static int
reap_child (Timer *t,
            int    options)
{
  pid_t done;

  if (t->exited)
    return 1;
  done = wait4 (t->pid, &t->status, options, &t->usage);
  if (done == t->pid)
    t->exited = 1;
  return t->exited;
}

/* A field of /proc/PID/status in KiB, or -1. */
static long
status_kib (pid_t       pid,
            const char *field)
{
  char path[64], line[256];
  size_t len = strlen (field);
  long value = -1;
  FILE *f;

  snprintf (path, sizeof path, "/proc/%d/status", (int) pid);
  f = fopen (path, "r");
  if (f == NULL)
    return -1;
  while (fgets (line, sizeof line, f) != NULL)
    if (strncmp (line, field, len) == 0 && line[len] == ':')
      {
        value = strtol (line + len + 1, NULL, 10);
        break;
      }
  fclose (f);
  return value;
}

/* CPU time of every thread of @pid so far (schedstat: ns on a CPU), in ms. */
static double
cpu_time_ms (pid_t pid)
{
  char path[64];
  struct dirent *entry;
  double total = 0;
  DIR *dir;

  snprintf (path, sizeof path, "/proc/%d/task", (int) pid);
  dir = opendir (path);
  if (dir == NULL)
    return -1;
  while ((entry = readdir (dir)) != NULL)
    {
      char stat_path[384];
      unsigned long long ns;
      FILE *f;

      if (entry->d_name[0] == '.')
        continue;
      snprintf (stat_path, sizeof stat_path, "%s/%s/schedstat", path, entry->d_name);
      f = fopen (stat_path, "r");
      if (f != NULL && fscanf (f, "%llu", &ns) == 1)
        total += ns / 1e6;
      if (f != NULL)
        fclose (f);
    }
  closedir (dir);
  return total;
}

static void
copy_proc_file (pid_t       pid,
                const char *name,
                const char *dir)
{
  char from[64], to[4096], buffer[65536];
  ssize_t n;
  int in, out;

  snprintf (from, sizeof from, "/proc/%d/%s", (int) pid, name);
  snprintf (to, sizeof to, "%s/%s", dir, name);
  in = open (from, O_RDONLY);
  out = open (to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  while (in >= 0 && out >= 0 && (n = read (in, buffer, sizeof buffer)) > 0)
    if (write (out, buffer, n) != n)
      break;
  if (in >= 0)
    close (in);
  if (out >= 0)
    close (out);
}

/* Copies the memory maps of the stopped child into DUMP/@when. */
static void
dump_proc (Timer      *t,
           const char *when)
{
  char dir[4096];

  snprintf (dir, sizeof dir, "%s/%s", t->dump, when);
  kill (t->pid, SIGSTOP);
  mkdir (t->dump, 0755);
  mkdir (dir, 0755);
  copy_proc_file (t->pid, "status", dir);
  copy_proc_file (t->pid, "smaps_rollup", dir);
  copy_proc_file (t->pid, "smaps", dir);
  kill (t->pid, SIGCONT);
}

static long hwm_first = -1, rss_first = -1;

static void
on_first_frame (Timer *t)
{
  t->cpu_ms = cpu_time_ms (t->pid);
  hwm_first = status_kib (t->pid, "VmHWM");
  rss_first = status_kib (t->pid, "VmRSS");
  if (t->dump != NULL)
    dump_proc (t, "frame");
}

/* Handles X events until @until (ms since fork), the first damage when
 * @stop_at_damage, or the child's exit. */
static void
run_until (Timer  *t,
           double  until,
           int     stop_at_damage)
{
  struct pollfd fd = { ConnectionNumber (t->dpy), POLLIN, 0 };

  for (;;)
    {
      double left;

      while (XPending (t->dpy))
        {
          XEvent event;

          XNextEvent (t->dpy, &event);
          handle_event (t, &event);
        }
      if ((stop_at_damage && t->frame_ms >= 0) || reap_child (t, WNOHANG))
        return;
      left = until - (now_ms () - t->t0);
      if (left <= 0)
        return;
      /* Wake at least every 10 ms to notice the child's exit. */
      poll (&fd, 1, left < 10 ? (int) left + 1 : 10);
    }
}

static void
stop_child (Timer *t)
{
  if (reap_child (t, WNOHANG))
    return;
  kill (t->pid, SIGTERM);
  for (int i = 0; i < 300 && !reap_child (t, WNOHANG); i++)
    usleep (10000);
  if (!t->exited)
    {
      kill (t->pid, SIGKILL);
      reap_child (t, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  Timer t = { 0 };
  long hwm_settled, rss_settled;

  parse_args (&t, argc, argv);
  t.map_ms = t.paint_ms = t.frame_ms = -1;
  open_display (&t);
  start_child (&t);
  run_until (&t, t.timeout_ms, 1);
  if (t.frame_ms < 0)
    {
      /* paint-ms alone: the window was mapped but never drawn. */
      stop_child (&t);
      fprintf (stderr, "bench-startup-timer: %s %s in %ld ms (status %d)\n", t.argv[0],
               t.exited ? "exited before a window of it was damaged" : "drew no window",
               t.timeout_ms, t.status);
      return 1;
    }
  run_until (&t, t.frame_ms + t.settle_ms, 0);
  hwm_settled = status_kib (t.pid, "VmHWM");
  rss_settled = status_kib (t.pid, "VmRSS");
  if (t.dump != NULL && !t.exited)
    dump_proc (&t, "settled");
  stop_child (&t);
  printf ("frame-ms=%.2f paint-ms=%.2f map-ms=%.2f cpu-ms=%.1f hwm-frame-kib=%ld "
          "rss-frame-kib=%ld hwm-settled-kib=%ld rss-settled-kib=%ld maxrss-kib=%ld t0-us=%.0f\n",
          t.frame_ms, t.paint_ms, t.map_ms, t.cpu_ms, hwm_first, rss_first, hwm_settled,
          rss_settled, t.usage.ru_maxrss, t.t0 * 1e3);
  XCloseDisplay (t.dpy);
  return 0;
}
