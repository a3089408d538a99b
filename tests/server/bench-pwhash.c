/* bench-pwhash.c: the raw Argon2id verify rate, for scripts/bench to compare sign-ins with.
 * Usage: bench-pwhash interactive|moderate|minimum SECONDS THREADS
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-pwhash"

#include "config.h"

#include <glib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static char stored[crypto_pwhash_STRBYTES];
static gint64 deadline;
static guint done;

static gpointer
worker (gpointer data)
{
  const char *password = "Tr4ffic-Lights!";

  while (g_get_monotonic_time () < deadline)
    {
      if (crypto_pwhash_str_verify (stored, password, strlen (password)) != 0)
        g_error ("verify failed");
      g_atomic_int_inc (&done);
    }
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  const char *cost = argc > 1 ? argv[1] : "interactive";
  double seconds = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 5.0;
  guint threads = argc > 3 ? (guint) atoi (argv[3]) : g_get_num_processors ();
  unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  GThread **pool;
  gint64 start;

  if (sodium_init () < 0)
    return 1;
  if (strcmp (cost, "moderate") == 0)
    {
      ops = crypto_pwhash_OPSLIMIT_MODERATE;
      mem = crypto_pwhash_MEMLIMIT_MODERATE;
    }
  else if (strcmp (cost, "minimum") == 0)
    {
      ops = crypto_pwhash_OPSLIMIT_MIN;
      mem = crypto_pwhash_MEMLIMIT_MIN;
    }
  if (crypto_pwhash_str_alg (stored, "Tr4ffic-Lights!", strlen ("Tr4ffic-Lights!"), ops, mem,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    return 1;

  threads = MAX (1, threads);
  pool = g_new0 (GThread *, threads);
  start = g_get_monotonic_time ();
  deadline = start + (gint64) (seconds * G_USEC_PER_SEC);
  for (guint i = 0; i < threads; i++)
    pool[i] = g_thread_new ("verify", worker, NULL);
  for (guint i = 0; i < threads; i++)
    g_thread_join (pool[i]);
  printf ("%.1f\n", done / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC));
  g_free (pool);
  return 0;
}
