/* main.c: cars-mechanic-server, the reference back-end as a program.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-main"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cm-db-driver.h"
#include "cm-server.h"

static gboolean
on_signal_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_message ("Stopping on a signal");
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  GMainLoop *loop;
  guint      id;  /* the watch's source, 0 once it has ended */
} StdinWatch;

/* --stop-with-stdin: standard input closed, so whoever started us has ended (even by a
 * crash: the kernel closes the pipe). What is written to it is read and ignored. */
static gboolean
on_stdin_cb (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  StdinWatch *watch = user_data;
  char buffer[256];
  ssize_t n = read (fd, buffer, sizeof buffer);

  if (n > 0 || (n < 0 && (errno == EINTR || errno == EAGAIN)))
    return G_SOURCE_CONTINUE;
  g_message ("Stopping: standard input closed");
  g_main_loop_quit (watch->loop);
  watch->id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
parse_hash_cost (const char        *name,
                 CmServerHashCost  *cost)
{
  if (name == NULL || g_strcmp0 (name, "interactive") == 0)
    *cost = CM_SERVER_HASH_COST_INTERACTIVE;
  else if (g_strcmp0 (name, "moderate") == 0)
    *cost = CM_SERVER_HASH_COST_MODERATE;
  else if (g_strcmp0 (name, "minimum") == 0)
    *cost = CM_SERVER_HASH_COST_MINIMUM;
  else
    return FALSE;
  return TRUE;
}

/* Every connection is a descriptor: use all the process may have (the soft limit is often
 * 1024 while the hard one is far higher). The server keeps within it either way. */
static void
raise_file_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        g_debug ("Could not raise the file descriptor limit");
    }
}

/* A positive count from the command line, or the default when not given (-1). */
static gboolean
check_positive (int         value,
                const char *option)
{
  if (value == -1 || value > 0)
    return TRUE;
  /* Translators: %s is a command-line option such as --idle-timeout */
  g_printerr (_("%s takes a number greater than 0\n"), option);
  return FALSE;
}

typedef struct
{
  char    *database;
  char    *key_file;
  char    *outbox;
  char    *bind_address;
  char    *import;
  char    *tls_certificate;
  char    *tls_key;
  char    *hash_cost;
  GStrv    trusted_proxies;
  gboolean demo_data;
  gboolean stop_with_stdin;
  gboolean version;
  CmServerHashCost cost;
  int      port;
  int      rate_limit;
  int      max_connections;
  int      max_per_address;
  int      header_timeout;
  int      idle_timeout;
  int      codes_per_user;
  int      codes_per_account;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->database);
  g_free (o->key_file);
  g_free (o->outbox);
  g_free (o->bind_address);
  g_free (o->import);
  g_free (o->tls_certificate);
  g_free (o->tls_key);
  g_free (o->hash_cost);
  g_strfreev (o->trusted_proxies);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* Parses the command line into @o. Returns -1 to go on, else the exit status. */
static int
parse_options (Options  *o,
               int      *argc,
               char   ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &o->port,
      /* Translators: PORT, ADDRESS, FILE, DIR, COST, N and SECONDS below name the value an option takes in --help. */
      N_("TCP port to listen on (0 picks a free one; default 8080)"), N_("PORT") },
    { "bind", 'b', 0, G_OPTION_ARG_STRING, &o->bind_address,
      N_("IP address to listen on (default 127.0.0.1)"), N_("ADDRESS") },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &o->database,
      /* Translators: keep postgresql:// as it is */
      N_("SQLite database file (created when missing), or a PostgreSQL connection string "
         "(postgresql://USER@HOST/DATABASE) shared by several servers"), N_("FILE") },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &o->key_file,
      N_("The server’s secret key (created when missing; default: next to the SQLite "
         "file, or in the data folder for PostgreSQL); every server on one database needs "
         "the same"), N_("FILE") },
    { "outbox", 'o', 0, G_OPTION_ARG_FILENAME, &o->outbox,
      N_("Folder where emails, texts and letters are written"), N_("DIR") },
    { "demo-data", 0, 0, G_OPTION_ARG_NONE, &o->demo_data,
      N_("Load the demo records of the State’s registry"), NULL },
    { "import-registry", 0, 0, G_OPTION_ARG_FILENAME, &o->import,
      N_("Import the State’s registry from a CSV file, then serve"), N_("FILE") },
    { "tls-certificate", 0, 0, G_OPTION_ARG_FILENAME, &o->tls_certificate,
      N_("PEM certificate (chain) for HTTPS"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &o->tls_key,
      N_("PEM private key for HTTPS"), N_("FILE") },
    { "hash-cost", 0, 0, G_OPTION_ARG_STRING, &o->hash_cost,
      /* Translators: keep interactive, moderate and minimum in English: they are the values to type. */
      N_("Argon2id cost: interactive (default), moderate or minimum (tests only)"),
      N_("COST") },
    { "rate-limit", 0, 0, G_OPTION_ARG_INT, &o->rate_limit,
      N_("Sensitive requests per minute per client, an IPv4 address or IPv6 /64 "
         "(default 60; 0 turns it off)"),
      N_("N") },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &o->max_connections,
      N_("Connections open at once (default 4096, within the file descriptor limit)"),
      N_("N") },
    { "max-connections-per-address", 0, 0, G_OPTION_ARG_INT, &o->max_per_address,
      N_("Connections from one IPv4 address or IPv6 /64 (default 64)"), N_("N") },
    { "header-timeout", 0, 0, G_OPTION_ARG_INT, &o->header_timeout,
      N_("Seconds a client has to send a whole request (default 20)"), N_("SECONDS") },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &o->idle_timeout,
      N_("Seconds a connection may wait between requests (default 60)"), N_("SECONDS") },
    { "trusted-proxy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->trusted_proxies,
      /* Translators: keep X-Forwarded-For and Forwarded in English: they are header names */
      N_("Reverse proxy whose X-Forwarded-For or Forwarded header names the client "
         "(repeat for several; ADDRESS or ADDRESS/PREFIX)"), N_("ADDRESS") },
    { "code-requests-per-user", 0, 0, G_OPTION_ARG_INT, &o->codes_per_user,
      N_("Authorization code requests per user in any 24 hours (default 5; 0 turns it off)"),
      N_("N") },
    { "code-requests-per-account", 0, 0, G_OPTION_ARG_INT, &o->codes_per_account,
      N_("Authorization code requests per account in any 24 hours, whoever asks "
         "(default 10; 0 turns it off)"),
      N_("N") },
    { "stop-with-stdin", 0, 0, G_OPTION_ARG_NONE, &o->stop_with_stdin,
      N_("Stop when standard input closes (practice mode: the app holds the other end, "
         "so the server ends with the app)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &o->version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("The reference back-end of CARS Mechanic "
                                           "(MILogin and CARS e-Services, for practice "
                                           "and self-hosting)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  return -1;
}

/* Checks what the parser cannot and fills in the defaults. Returns -1 to go on, else the
 * exit status. */
static int
check_options (Options *o)
{
  g_autofree char *data_dir = NULL;

  if (o->version)
    {
      g_print ("cars-mechanic-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  /* A terminal would stop a background server on its first read (SIGTTIN), and a closed
   * descriptor 0 would be the next file the server opens. */
  if (o->stop_with_stdin && (isatty (STDIN_FILENO) || fcntl (STDIN_FILENO, F_GETFD) < 0))
    {
      g_printerr (_("--stop-with-stdin needs standard input to be a pipe or a file\n"));
      return 2;
    }
  if (o->port < 0 || o->port > 65535)
    {
      /* Translators: %d is the port number given on the command line */
      g_printerr (_("Port %d is out of range\n"), o->port);
      return 2;
    }
  if (!parse_hash_cost (o->hash_cost, &o->cost))
    {
      g_printerr (_("Unknown hash cost “%s”\n"), o->hash_cost);
      return 2;
    }
  if (!check_positive (o->max_connections, "--max-connections") ||
      !check_positive (o->max_per_address, "--max-connections-per-address") ||
      !check_positive (o->header_timeout, "--header-timeout") ||
      !check_positive (o->idle_timeout, "--idle-timeout"))
    return 2;
  if ((o->tls_certificate == NULL) != (o->tls_key == NULL))
    {
      g_printerr (_("--tls-certificate and --tls-key go together\n"));
      return 2;
    }

  data_dir = g_build_filename (g_get_user_data_dir (), "cars-mechanic-server", NULL);
  if (o->database == NULL)
    {
      g_mkdir_with_parents (data_dir, 0700);
      o->database = g_build_filename (data_dir, "server.db", NULL);
    }
  if (o->outbox == NULL)
    o->outbox = g_build_filename (data_dir, "outbox", NULL);
  if (o->key_file == NULL && cm_db_is_postgresql_target (o->database))
    {
      g_mkdir_with_parents (data_dir, 0700);
      o->key_file = g_build_filename (data_dir, "server.key", NULL);
    }
  return -1;
}

/* A server set up as @o says, or NULL when it cannot be (said on stderr). */
static CmServer *
configure_server (const Options *o)
{
  g_autoptr(CmServer) server = cm_server_new (o->database, o->outbox);
  g_autoptr(GError) error = NULL;

  cm_server_set_key_file (server, o->key_file);
  cm_server_set_hash_cost (server, o->cost);
  cm_server_set_demo_data (server, o->demo_data);
  if (o->rate_limit >= 0)
    cm_server_set_rate_limit (server, (guint) o->rate_limit);
  cm_server_set_connection_limits (server,
                                   o->max_connections > 0 ? (guint) o->max_connections
                                                          : CM_SERVER_MAX_CONNECTIONS_DEFAULT,
                                   o->max_per_address > 0 ? (guint) o->max_per_address
                                                          : CM_SERVER_MAX_PER_ADDRESS_DEFAULT);
  cm_server_set_timeouts (server,
                          o->header_timeout > 0 ? (guint) o->header_timeout
                                                : CM_SERVER_HEADER_TIMEOUT_DEFAULT,
                          o->idle_timeout > 0 ? (guint) o->idle_timeout
                                              : CM_SERVER_IDLE_TIMEOUT_DEFAULT);
  if (!cm_server_set_trusted_proxies (server, (const char * const *) o->trusted_proxies,
                                      &error))
    {
      /* Translators: %s is the reason */
      g_printerr (_("Bad --trusted-proxy: %s\n"), error->message);
      return NULL;
    }
  cm_server_set_code_request_limits (server, o->codes_per_user, o->codes_per_account);

  return g_steal_pointer (&server);
}

/* HTTPS when asked: FALSE when the certificate cannot be loaded (said on stderr). */
static gboolean
set_certificate (CmServer      *server,
                 const Options *o)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  if (o->tls_certificate == NULL)
    return TRUE;
  certificate = g_tls_certificate_new_from_files (o->tls_certificate, o->tls_key, &error);
  if (certificate == NULL)
    {
      /* Translators: %s is the error from the TLS library */
      g_printerr (_("Cannot load the TLS certificate: %s\n"), error->message);
      return FALSE;
    }
  cm_server_set_tls_certificate (server, certificate);
  return TRUE;
}

/* Imports the registry when asked, starts, serves until SIGINT or SIGTERM, stops. */
static int
run (CmServer      *server,
     const Options *o)
{
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  StdinWatch stdin_watch = { NULL, 0 };
  guint sigint_id, sigterm_id;

  if (o->import != NULL)
    {
      guint n = 0;

      if (!cm_server_import_registry (server, o->import, &n, &error))
        {
          /* Translators: the first %s is a file name, the second the reason */
          g_printerr (_("Cannot import %s: %s\n"), o->import, error->message);
          return 1;
        }
      g_message ("Imported %u registry records from %s", n, o->import);
    }

  if (!cm_server_start (server, o->bind_address, (guint) o->port, &error))
    {
      /* Translators: %s is the reason, e.g. the port is in use */
      g_printerr (_("Cannot start the server: %s\n"), error->message);
      return 1;
    }

  /* The one line on stdout: scripts and tests read the URL from it. */
  fprintf (stdout, "%s\n", cm_server_get_uri (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  stdin_watch.loop = loop;
  if (o->stop_with_stdin)
    stdin_watch.id = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin_cb,
                                    &stdin_watch);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&stdin_watch.id, g_source_remove);

  cm_server_stop (server);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(Options) o = { .port = 8080, .rate_limit = -1, .max_connections = -1,
                        .max_per_address = -1, .header_timeout = -1, .idle_timeout = -1,
                        .codes_per_user = -1, .codes_per_account = -1 };
  g_autoptr(CmServer) server = NULL;
  int status;

  /* Every log line on stderr, G_MESSAGES_DEBUG's too (GLib writes those to stdout):
   * stdout carries the URL alone, which the app's practice mode and scripts read. */
  g_log_writer_default_set_use_stderr (TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if ((status = parse_options (&o, &argc, &argv)) >= 0 || (status = check_options (&o)) >= 0)
    return status;
  server = configure_server (&o);
  if (server == NULL)
    return 2;
  raise_file_limit ();
  if (!set_certificate (server, &o))
    return 1;
  return run (server, &o);
}
