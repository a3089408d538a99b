/* test-server-transport.c: the back-end against a hostile network, on real loopback
 * sockets: file modes, idle and half-sent connections, descriptor exhaustion, rate limits
 * across many addresses and behind proxies, and request smuggling.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-server-transport"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server-test-util.h"

#define USER_ID_CHECK "GET /api/v1/milogin/user-ids/smithj0001 HTTP/1.1\r\nHost: x\r\n" \
                      "Connection: close\r\n"
#define HEALTH        "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
/* A rate that refills one request in ten seconds, so that a slow run (sanitizers, a busy
 * machine) counts the same. */
#define SLOW_RATE     6
static const ServerFixtureOptions slow_rate = { .rate_limit = SLOW_RATE };

/* ---- Helpers ---- */

/* 127.A.B.C for the @index-th client of a block: 250 addresses per /24. */
static char *
loopback_address (guint block,
                  guint index)
{
  return g_strdup_printf ("127.%u.%u.%u", block, index / 250, 1 + index % 250);
}

/* Loopback addresses other than 127.0.0.1 work on Linux; elsewhere the test is skipped. */
static gboolean
have_loopback_block (const char *uri)
{
  int fd = raw_connect (uri, "127.0.3.3");

  if (fd < 0)
    {
      g_test_skip ("Cannot connect from 127.0.3.3: loopback is not a /8 here");
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Whether the server closed @fd, without waiting. */
static gboolean
is_closed (int fd)
{
  char c;
  gssize n = recv (fd, &c, 1, MSG_DONTWAIT | MSG_PEEK);

  return n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR);
}

/* The status of the one answer to @request sent from @from. */
static guint
status_of (const char *uri,
           const char *from,
           const char *request)
{
  gboolean closed;
  g_autofree char *answer = raw_request (uri, from, request, &closed);

  if (!g_str_has_prefix (answer, "HTTP/1.1 "))
    return 0;
  return (guint) g_ascii_strtoull (answer + strlen ("HTTP/1.1 "), NULL, 10);
}

typedef struct
{
  char  *dir;
  char  *uri;
  GPid   pid;
  int    out_fd;
} Program;

static void
child_setup (gpointer data)
{
  struct rlimit *files = data;

  /* Between fork and exec: only async-signal-safe calls. The server goes with the test
   * when an assertion ends it. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (files != NULL)
    setrlimit (RLIMIT_NOFILE, files);
}

static gboolean
program_start (Program            *program,
               const char * const *args,
               struct rlimit      *files)
{
  program->dir = g_dir_make_tmp ("cm-server-transport-XXXXXX", NULL);
  g_assert_nonnull (program->dir);
  program->uri = server_spawn (program->dir, args, child_setup, files, &program->pid,
                               &program->out_fd);
  if (!g_str_has_prefix (program->uri, "http://"))
    {
      g_test_message ("cars-mechanic-server did not start with these options");
      return FALSE;
    }
  return TRUE;
}

static void
program_stop (Program *program)
{
  int status = 0;

  kill (program->pid, SIGTERM);
  g_assert_cmpint (waitpid (program->pid, &status, 0), ==, program->pid);
  g_spawn_close_pid (program->pid);
  close (program->out_fd);
  remove_tree (program->dir);
  g_free (program->dir);
  g_free (program->uri);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* CPU seconds (user + system) the process has used, from /proc. */
static double
cpu_seconds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", -1);
  /* Fields 14 and 15 of stat(5), counted from the state (field 3) here. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

static guint
open_descriptors (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", pid);
  GDir *dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_dir_close (dir);
  return n;
}

/* ---- Finding 2: file modes ---- */

static void
assert_mode (const char *path,
             guint       mode)
{
  struct stat st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  if ((st.st_mode & 0777) != mode)
    g_test_message ("%s is %03o", path, st.st_mode & 0777);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

/* Whether the user nobody can read @path (root only: setpriv drops to nobody). */
static gboolean
nobody_can_read (const char *path)
{
  const char *argv[] = { "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                         "--", "cat", path, NULL };
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status,
                               NULL));
  return g_spawn_check_wait_status (status, NULL);
}

static void
test_file_modes (void)
{
  ServerFixture f = { 0 };
  mode_t old = umask (0);
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autofree char *control = NULL;
  g_autofree char *sms = NULL;
  g_autofree char *setpriv = NULL;
  const char *name;
  GDir *dir;

  /* umask 0: whatever is owner-only is so by the server's doing. */
  server_fixture_setup (&f, NULL);
  server_sign_up (&f, "smithj1234", NULL);
  {
    g_autoptr(Reply) r = server_call (&f, "POST", "/api/v1/milogin/password-resets", NULL,
                                      "{\"user_id\":\"smithj1234\",\"method\":\"text\"}");
    g_assert_cmpuint (r->status, ==, 202);
  }
  sms = outbox_newest (f.outbox, "sms", NULL);
  g_assert_nonnull (sms);

  wal = g_strconcat (f.database, "-wal", NULL);
  shm = g_strconcat (f.database, "-shm", NULL);
  assert_mode (f.database, 0600);
  assert_mode (wal, 0600);
  assert_mode (shm, 0600);
  assert_mode (f.outbox, 0700);
  dir = g_dir_open (f.outbox, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f.outbox, name, NULL);

      assert_mode (path, 0600);
    }
  g_dir_close (dir);

  /* A second user: the folder open to all (allowed: nobody else can write in it), the
   * files still closed to them. A 0644 file beside them shows the check can succeed. */
  setpriv = g_find_program_in_path ("setpriv");
  if (geteuid () == 0 && setpriv != NULL)
    {
      g_assert_cmpint (g_chmod (f.dir, 0755), ==, 0);
      control = g_build_filename (f.dir, "control", NULL);
      g_assert_true (g_file_set_contents_full (control, "x", -1, G_FILE_SET_CONTENTS_NONE, 0644,
                                               NULL));
      g_assert_true (nobody_can_read (control));
      g_assert_false (nobody_can_read (f.database));
      g_assert_false (nobody_can_read (wal));
      g_assert_false (nobody_can_read (shm));
    }
  else
    {
      g_test_message ("Not root or no setpriv: the modes alone were checked");
    }
  server_fixture_teardown (&f, NULL);
  umask (old);
}

static void
test_unsafe_folder (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-server-transport-XXXXXX", NULL);
  g_autofree char *database = g_build_filename (dir, "server.db", NULL);
  g_autofree char *outbox = g_build_filename (dir, "outbox", NULL);
  g_autofree char *safe = g_build_filename (dir, "safe", NULL);
  g_autofree char *safe_database = g_build_filename (safe, "server.db", NULL);
  mode_t old = umask (0);

  /* A data folder others can write in: refused before any file is made. */
  g_assert_cmpint (g_chmod (dir, 0777), ==, 0);
  {
    g_autoptr(CmServer) server = cm_server_new (database, outbox);
    g_autoptr(GError) error = NULL;

    cm_server_set_hash_cost (server, CM_SERVER_HASH_COST_MINIMUM);
    g_assert_false (cm_server_start_in_thread (server, "127.0.0.1", 0, &error));
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, dir));
    g_assert_false (g_file_test (database, G_FILE_TEST_EXISTS));
  }

  /* A safe data folder, an outbox that the group can write in: refused too. */
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (safe, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (outbox, 0770), ==, 0);
  {
    g_autoptr(CmServer) server = cm_server_new (safe_database, outbox);
    g_autoptr(GError) error = NULL;

    cm_server_set_hash_cost (server, CM_SERVER_HASH_COST_MINIMUM);
    g_assert_false (cm_server_start_in_thread (server, "127.0.0.1", 0, &error));
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, outbox));
  }

  /* Fixed: it starts. */
  g_assert_cmpint (g_chmod (outbox, 0700), ==, 0);
  {
    g_autoptr(CmServer) server = cm_server_new (safe_database, outbox);
    g_autoptr(GError) error = NULL;

    cm_server_set_hash_cost (server, CM_SERVER_HASH_COST_MINIMUM);
    g_assert_true (cm_server_start_in_thread (server, "127.0.0.1", 0, &error));
    g_assert_no_error (error);
    cm_server_stop (server);
  }
  umask (old);
  remove_tree (dir);
}

/* ---- Finding 4: idle and half-sent connections ---- */

#define IDLE_SOCKETS 1100

static void
test_descriptors (void)
{
  struct rlimit own, files = { 1024, 1024 };
  Program program = { 0 };
  g_autofree int *fds = g_new (int, IDLE_SOCKETS);
  g_autofree char *answer = NULL;
  guint opened = 0;
  gboolean closed;
  gint64 start, deadline;
  double cpu_before, cpu_after;
  guint left;

  /* This process holds the 1,100 client ends. */
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &own), ==, 0);
  if (own.rlim_max != RLIM_INFINITY && own.rlim_max < IDLE_SOCKETS + 200)
    {
      g_test_skip ("The hard descriptor limit is too low for 1,100 client sockets");
      return;
    }
  own.rlim_cur = own.rlim_max;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &own), ==, 0);

  /* The server gets the common 1024, soft and hard. */
  g_assert_true (program_start (&program, NULL, &files));
  if (!have_loopback_block (program.uri))
    {
      program_stop (&program);
      return;
    }

  /* 110 addresses with 10 half-sent requests each (under any per-address cap). */
  for (guint i = 0; i < IDLE_SOCKETS; i++)
    {
      g_autofree char *from = loopback_address (1, i / 10);
      int fd = raw_connect (program.uri, from);

      if (fd < 0)
        {
          g_test_message ("connect %u: %s", i, g_strerror (errno));
          break;
        }
      raw_send (fd, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n");
      fds[opened++] = fd;
    }
  g_test_message ("%u idle sockets open", opened);
  g_assert_cmpuint (opened, ==, IDLE_SOCKETS);

  start = g_get_monotonic_time ();
  answer = raw_request (program.uri, NULL, HEALTH, &closed);
  g_test_message ("health answered after %.3f s: %.12s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, answer);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));

  /* And it does not spin: it waits for descriptors to come back. */
  cpu_before = cpu_seconds (program.pid);
  g_usleep (3 * G_USEC_PER_SEC);
  cpu_after = cpu_seconds (program.pid);
  g_test_message ("server CPU in 3 s with the sockets open: %.2f s", cpu_after - cpu_before);
  g_assert_cmpfloat (cpu_after - cpu_before, <, 1.0);

  /* Every connection is let go of once its client leaves (libsoup alone keeps a kept-alive
   * connection whose client left, descriptor included). */
  for (guint i = 0; i < opened; i++)
    close (fds[i]);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((left = open_descriptors (program.pid)) > 32 && g_get_monotonic_time () < deadline)
    g_usleep (100 * 1000);
  g_test_message ("server descriptors after the clients left: %u", left);
  g_assert_cmpuint (left, <=, 32);
  program_stop (&program);
}

/* Clients that leave a kept-alive connection after an answer: libsoup 3.2.3 alone keeps
 * each one, descriptor included. */
static void
test_keep_alive_release (void)
{
  Program program = { 0 };
  int fds[50];
  guint before, after = 0;
  gint64 deadline;

  g_assert_true (program_start (&program, NULL, NULL));
  /* Files opened on first use (SQLite's, GLib's workers) are not connections. */
  g_assert_cmpuint (status_of (program.uri, NULL, HEALTH), ==, 200);
  g_usleep (200 * 1000);
  before = open_descriptors (program.pid);
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    {
      fds[i] = raw_connect (program.uri, NULL);
      g_assert_cmpint (fds[i], >=, 0);
      raw_send (fds[i], "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
    }
  /* Each answered (and kept alive), then the client goes. */
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    {
      struct pollfd p = { .fd = fds[i], .events = POLLIN };

      g_assert_cmpint (poll (&p, 1, 20 * 1000), ==, 1);
      close (fds[i]);
    }
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((after = open_descriptors (program.pid)) > before && g_get_monotonic_time () < deadline)
    g_usleep (100 * 1000);
  g_test_message ("server descriptors: %u before, %u after 50 kept-alive clients left", before,
                  after);
  /* A few of slack for what a request may open for later; a leak is one per client. */
  g_assert_cmpuint (after, <=, before + 3);
  program_stop (&program);
}

static void
test_timeouts (void)
{
  const char *args[] = { "--header-timeout", "1", "--idle-timeout", "2", NULL };
  Program program = { 0 };
  g_autofree char *idle = NULL;
  gboolean closed;
  int silent, partial, slow, kept;
  gint64 deadline;

  g_assert_true (program_start (&program, args, NULL));

  silent = raw_connect (program.uri, NULL);
  partial = raw_connect (program.uri, NULL);
  slow = raw_connect (program.uri, NULL);
  kept = raw_connect (program.uri, NULL);
  raw_send (partial, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n");
  raw_send (kept, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");

  /* One byte every 200 ms: each byte is progress, but the whole head is late. */
  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  closed = FALSE;
  for (const char *p = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa"
                       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
       *p != '\0' && !closed && g_get_monotonic_time () < deadline; p++)
    {
      char c[2] = { *p, '\0' };

      raw_send (slow, c);
      g_usleep (200 * 1000);
      closed = is_closed (slow);
    }
  if (!closed)
    g_free (raw_read_all (slow, 10, &closed));
  g_assert_true (closed);

  g_free (raw_read_all (silent, 20, &closed));
  g_assert_true (closed);
  g_free (raw_read_all (partial, 20, &closed));
  g_assert_true (closed);
  /* Answered, kept alive, then closed when idle. */
  idle = raw_read_all (kept, 20, &closed);
  g_assert_true (g_str_has_prefix (idle, "HTTP/1.1 200"));
  g_assert_true (closed);

  close (silent);
  close (partial);
  close (slow);
  close (kept);
  program_stop (&program);
}

static void
test_per_address (void)
{
  const char *args[] = { "--max-connections-per-address", "4", NULL };
  Program program = { 0 };
  int fds[8];
  gboolean refused[8] = { FALSE };
  guint n_refused = 0;
  gint64 deadline;

  g_assert_true (program_start (&program, args, NULL));
  if (!have_loopback_block (program.uri))
    {
      program_stop (&program);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    {
      fds[i] = raw_connect (program.uri, "127.0.4.4");
      g_assert_cmpint (fds[i], >=, 0);
    }
  /* Four are closed at once by the server; the other four stay. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (n_refused < 4 && g_get_monotonic_time () < deadline)
    for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
      {
        if (refused[i])
          continue;
        if (is_closed (fds[i]))
          {
            refused[i] = TRUE;
            n_refused++;
          }
        g_usleep (10 * 1000);
      }
  g_test_message ("%u of 8 connections from one address closed", n_refused);
  g_assert_cmpuint (n_refused, ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    {
      if (!refused[i])
        g_assert_false (is_closed (fds[i]));
    }
  /* Another address is served meanwhile. */
  g_assert_cmpuint (status_of (program.uri, "127.0.4.5", HEALTH), ==, 200);
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    close (fds[i]);
  program_stop (&program);
}

/* A client that asks again the moment each answer ends holds one connection at a time,
 * however fast the server takes the next one: a connection counts against its address
 * only while it is open. (Counting it until its close completed refused such a client
 * once the server took dozens of them in one go.) */
static void
test_per_address_sequential (void)
{
  const char *args[] = { "--max-connections-per-address", "1", NULL };
  Program program = { 0 };
  guint refused = 0;

  g_assert_true (program_start (&program, args, NULL));
  for (guint i = 0; i < 500; i++)
    if (status_of (program.uri, NULL, HEALTH) != 200)
      refused++;
  g_test_message ("%u of 500 requests one after the other refused", refused);
  g_assert_cmpuint (refused, ==, 0);
  program_stop (&program);
}

/* ---- Finding 6: rate limits across addresses ---- */

/* 250 addresses of one /24, one sensitive request each: the network's bucket (ten times
 * one address's) runs out. */
static void
test_rate_limit_network (ServerFixture *f,
                         gconstpointer  data)
{
  guint limited = 0;

  if (!have_loopback_block (f->server_base))
    return;
  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *from = loopback_address (2, i);

      if (status_of (f->server_base, from, USER_ID_CHECK "\r\n") == 429)
        limited++;
    }
  g_test_message ("429 for %u of 250 requests from 250 addresses of one /24 (%u a minute "
                  "each)", limited, SLOW_RATE);
  g_assert_cmpuint (limited, >=, 150);
}

/* 10,000 other addresses do not reset a client that is out of tokens. */
static void
test_rate_limit_table (ServerFixture *f,
                       gconstpointer  data)
{
  guint status = 0;

  if (!have_loopback_block (f->server_base))
    return;
  /* (Some of these are limited by their /24: each still takes a place in the table.) */
  for (guint i = 0; i < 9999; i++)
    {
      g_autofree char *from = loopback_address (20, i);

      g_assert_cmpuint (status_of (f->server_base, from, USER_ID_CHECK "\r\n"), !=, 0);
    }
  for (guint i = 0; i < SLOW_RATE + 1; i++)
    status = status_of (f->server_base, "127.30.0.1", USER_ID_CHECK "\r\n");
  g_assert_cmpuint (status, ==, 429);
  g_assert_cmpuint (status_of (f->server_base, "127.30.1.1", USER_ID_CHECK "\r\n"), ==, 200);
  g_assert_cmpuint (status_of (f->server_base, "127.30.1.2", USER_ID_CHECK "\r\n"), ==, 200);
  status = status_of (f->server_base, "127.30.0.1", USER_ID_CHECK "\r\n");
  g_test_message ("after 10,001 other addresses the limited client gets %u", status);
  g_assert_cmpuint (status, ==, 429);
}

/* Sends @n user-ID checks from @from with a header line @before, the request's number in
 * hexadecimal, @after, and counts the 429s. */
static guint
count_limited (const char *uri,
               const char *from,
               const char *before,
               const char *after,
               guint       n)
{
  guint limited = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *line = g_strdup_printf ("%s%x%s", before, i + 1, after);
      g_autofree char *request = g_strconcat (USER_ID_CHECK, line, "\r\n\r\n", NULL);

      if (status_of (uri, from, request) == 429)
        limited++;
    }
  return limited;
}

static void
test_trusted_proxy (void)
{
  const char *args[] = { "--trusted-proxy", "127.0.0.1", "--trusted-proxy", "127.0.5.0/24",
                         "--rate-limit", G_STRINGIFY (SLOW_RATE), NULL };
  Program program = { 0 };
  guint limited;

  g_assert_true (program_start (&program, args, NULL));
  if (!have_loopback_block (program.uri))
    {
      program_stop (&program);
      return;
    }
  /* Through the proxy, 70 clients in 70 networks: each has its own buckets. */
  limited = count_limited (program.uri, "127.0.0.1", "X-Forwarded-For: 2001:db8:", "::1", 70);
  g_test_message ("distinct networks behind the proxy: %u of 70 limited", limited);
  g_assert_cmpuint (limited, ==, 0);
  /* 70 addresses of one /64: one client. */
  limited = count_limited (program.uri, "127.0.0.1", "X-Forwarded-For: 2001:db8:2:2::", "", 70);
  g_test_message ("one /64 behind the proxy: %u of 70 limited", limited);
  g_assert_cmpuint (limited, >=, 30);
  /* Forwarded (RFC 7239) when there is no X-Forwarded-For; a chain of trusted proxies. */
  limited = count_limited (program.uri, "127.0.5.9",
                           "Forwarded: for=\"[2001:db8:3:3::", "]:4711\", for=127.0.5.1", 70);
  g_test_message ("one /64 through two proxies (Forwarded): %u of 70 limited", limited);
  g_assert_cmpuint (limited, >=, 30);
  /* Not a trusted proxy: the header is ignored, the sender is the client. */
  limited = count_limited (program.uri, "127.0.6.6", "X-Forwarded-For: 198.51.100.", "", 70);
  g_test_message ("forged X-Forwarded-For from an untrusted peer: %u of 70 limited", limited);
  g_assert_cmpuint (limited, >=, 30);
  program_stop (&program);
}

/* A real IPv6 client (one address: loopback has no other in ::1's /64). */
static void
test_rate_limit_ipv6 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-server-transport-XXXXXX", NULL);
  g_autofree char *database = g_build_filename (dir, "server.db", NULL);
  g_autofree char *outbox = g_build_filename (dir, "outbox", NULL);
  g_autoptr(CmServer) server = cm_server_new (database, outbox);
  g_autoptr(GError) error = NULL;
  guint limited = 0;

  cm_server_set_hash_cost (server, CM_SERVER_HASH_COST_MINIMUM);
  cm_server_set_rate_limit (server, SLOW_RATE);
  if (!cm_server_start_in_thread (server, "::1", 0, &error))
    {
      g_test_message ("%s", error->message);
      g_test_skip ("No IPv6 loopback");
      remove_tree (dir);
      return;
    }
  for (guint i = 0; i < SLOW_RATE + 4; i++)
    if (status_of (cm_server_get_uri (server), "::1", USER_ID_CHECK "\r\n") == 429)
      limited++;
  g_assert_cmpuint (limited, >=, 3);
  cm_server_stop (server);
  remove_tree (dir);
}

/* ---- Finding 9: request smuggling ---- */

/* Would send a text message to smithj1234 if it ran. */
#define SMUGGLED "POST /api/v1/milogin/password-resets HTTP/1.1\r\nHost: x\r\n" \
                 "Content-Type: application/json\r\nContent-Length: 40\r\n\r\n" \
                 "{\"user_id\":\"smithj1234\",\"method\":\"text\"}\r\n"

static void
test_smuggling (ServerFixture *f,
                gconstpointer  data)
{
  g_autofree char *smuggled_length = g_strdup_printf ("%zu", strlen (SMUGGLED));
  g_autofree char *chunked_length = g_strdup_printf ("%zu", strlen ("0\r\n\r\n" SMUGGLED));
  const char *cases[] = {
    /* Two Content-Length: libsoup took the last. */
    "POST /api/v1/milogin/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    "Content-Length: LEN\r\nContent-Length: 0\r\n\r\n" SMUGGLED,
    /* A list. */
    "POST /api/v1/milogin/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    "Content-Length: 0, LEN\r\n\r\n" SMUGGLED,
    /* Content-Length and Transfer-Encoding. */
    "POST /api/v1/milogin/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    "Content-Length: LEN\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" SMUGGLED,
    /* A folded Transfer-Encoding. */
    "POST /api/v1/milogin/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    "Transfer-Encoding:\r\n chunked\r\nX-Length: LEN\r\n\r\n0\r\n\r\n" SMUGGLED,
    /* Another coding than chunked. */
    "POST /api/v1/milogin/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    "Transfer-Encoding: gzip, chunked\r\nX-Length: LEN\r\n\r\n0\r\n\r\n" SMUGGLED,
    /* A sign. */
    "POST /api/v1/milogin/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    "Content-Length: +0\r\nX-Length: LEN\r\n\r\n" SMUGGLED,
    /* obs-fold in any header. */
    "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Note: a\r\n b LEN\r\n\r\n" SMUGGLED,
    /* Bare LF line ends. */
    "GET /api/v1/health HTTP/1.1\nHost: x\nX-Length: LEN\n\n" SMUGGLED,
    /* A good request first: the second on the kept-alive connection is checked too. */
    "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
    "POST /api/v1/milogin/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    "Content-Length: LEN\r\nContent-Length: 0\r\n\r\n" SMUGGLED,
  };
  guint count;

  server_sign_up (f, "smithj1234", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *request = NULL;
      g_autofree char *answer = NULL;
      const char *refusal;
      gboolean closed = FALSE;
      gboolean good_first = i == G_N_ELEMENTS (cases) - 1;

      GString *text = g_string_new (cases[i]);

      /* LEN: where a body of the smuggled request would end. */
      g_string_replace (text, "LEN", strstr (cases[i], "chunked") != NULL ? chunked_length
                                                                            : smuggled_length, 0);
      request = g_string_free (text, FALSE);
      answer = raw_request (f->server_base, NULL, request, &closed);
      g_test_message ("case %u: %u answers, %s: %.12s", i, count_answers (answer),
                      closed ? "closed" : "open", answer);
      refusal = answer;
      if (good_first)
        {
          g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
          refusal = strstr (answer + 1, "HTTP/1.1 ");
          g_assert_nonnull (refusal);
        }
      g_assert_true (g_str_has_prefix (refusal, "HTTP/1.1 400"));
      g_assert_nonnull (strstr (refusal, "invalid_field"));
      g_assert_cmpuint (count_answers (answer), ==, good_first ? 2 : 1);
      g_assert_true (closed);
    }
  /* None of the smuggled password resets ran. */
  g_assert_null (outbox_newest (f->outbox, "sms", &count));
  g_assert_cmpuint (count, ==, 0);
}

/* What must keep working through the checks: keep-alive, pipelining, chunked bodies. */
static void
test_framing_allowed (ServerFixture *f,
                      gconstpointer  data)
{
  g_autofree char *pipelined = NULL;
  g_autofree char *chunked = NULL;
  gboolean closed;

  pipelined = raw_request (f->server_base, NULL,
                           "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
                           "\r\nGET /api/v1/health HTTP/1.1\r\nHost: x\r\n"
                           "Content-Length: 0\r\n\r\n" HEALTH, &closed);
  g_assert_cmpuint (count_answers (pipelined), ==, 3);
  g_assert_null (strstr (pipelined, "HTTP/1.1 400"));
  chunked = raw_request (f->server_base, NULL,
                         "POST /api/v1/milogin/sessions HTTP/1.1\r\nHost: x\r\n"
                         "Content-Type: application/json\r\ntransfer-encoding:  Chunked \r\n"
                         "Connection: close\r\n\r\n"
                         "b;note=1\r\n{\"user_id\":\r\n"
                         "19\r\n\"ghostg0000\",\"password\":\"\r\n"
                         "2\r\nx\"\r\n1\r\n}\r\n0\r\nX-Trailer: 1\r\n\r\n", &closed);
  g_test_message ("%.40s", chunked);
  g_assert_true (g_str_has_prefix (chunked, "HTTP/1.1 401"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/transport/file-modes", test_file_modes);
  g_test_add_func ("/server/transport/unsafe-folder", test_unsafe_folder);
  g_test_add_func ("/server/transport/descriptors", test_descriptors);
  g_test_add_func ("/server/transport/keep-alive-release", test_keep_alive_release);
  g_test_add_func ("/server/transport/timeouts", test_timeouts);
  g_test_add_func ("/server/transport/per-address", test_per_address);
  g_test_add_func ("/server/transport/per-address-sequential", test_per_address_sequential);
  g_test_add ("/server/transport/rate-limit-network", ServerFixture, &slow_rate,
              server_fixture_setup,
              test_rate_limit_network, server_fixture_teardown);
  g_test_add ("/server/transport/rate-limit-table", ServerFixture, &slow_rate,
              server_fixture_setup,
              test_rate_limit_table, server_fixture_teardown);
  g_test_add_func ("/server/transport/trusted-proxy", test_trusted_proxy);
  g_test_add_func ("/server/transport/rate-limit-ipv6", test_rate_limit_ipv6);
  g_test_add ("/server/transport/smuggling", ServerFixture, NULL, server_fixture_setup,
              test_smuggling, server_fixture_teardown);
  g_test_add ("/server/transport/framing-allowed", ServerFixture, NULL, server_fixture_setup,
              test_framing_allowed, server_fixture_teardown);
  return g_test_run ();
}
