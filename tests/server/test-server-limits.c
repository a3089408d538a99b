/* test-server-limits.c: the framing rules, the client keys and the rate buckets on their own.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-server-limits"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cm-http-guard-private.h"
#include "cm-db-driver.h"
#include "cm-rate-limiter-private.h"
#include "cm-server-db-private.h"

static const char *
check (const char *head)
{
  guint64 length;
  gboolean chunked;

  return cm_http_guard_check_head (head, strlen (head), &length, &chunked);
}

static void
test_head_rules (void)
{
  const struct { const char *head; const char *field; } cases[] = {
    { "GET / HTTP/1.1\r\nHost: x\r\n\r\n", NULL },
    { "\r\nGET / HTTP/1.0\r\n\r\n", NULL },
    { "POST / HTTP/1.1\r\ncontent-length:  12 \r\n\r\n", NULL },
    { "POST / HTTP/1.1\r\nTransfer-Encoding: CHUNKED\r\n\r\n", NULL },
    { "GET / HTTP/1.1\r\nX: caf\xc3\xa9\t\r\n\r\n", NULL },
    { "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", "Content-Length" },
    { "POST / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n", "Content-Length" },
    { "POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n", "Content-Length" },
    { "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "Content-Length" },
    { "POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n", "Content-Length" },
    { "POST / HTTP/1.1\r\nContent-Length: \r\n\r\n", "Content-Length" },
    { "POST / HTTP/1.1\r\nContent-Length: 1234567890123456789\r\n\r\n", "Content-Length" },
    { "POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
      "Transfer-Encoding" },
    { "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "Transfer-Encoding" },
    { "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
      "Transfer-Encoding" },
    { "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", "Transfer-Encoding" },
    { "POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n", "Transfer-Encoding" },
    /* Refused at its empty value, before the fold. */
    { "POST / HTTP/1.1\r\nTransfer-Encoding:\r\n chunked\r\n\r\n", "Transfer-Encoding" },
    { "POST / HTTP/1.1\r\nTransfer-Encoding: a\r\n chunked\r\n\r\n", "Transfer-Encoding" },
    { "POST / HTTP/1.1\r\nX: a\r\n Transfer-Encoding: chunked\r\n\r\n", "headers" },
    { "GET / HTTP/1.1\r\nX: a\r\n\tb\r\n\r\n", "headers" },
    { "GET / HTTP/1.1\nHost: x\r\n\r\n", "headers" },
    { "GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n", "headers" },
    { "GET / HTTP/1.1\r\nHost : x\r\n\r\n", "headers" },
    { "GET / HTTP/1.1\r\nX: a\x01\r\n\r\n", "headers" },
    { "GET / HTTP/1.1\r\nX-No-Colon\r\n\r\n", "headers" },
    { "GET  / HTTP/1.1\r\n\r\n", "headers" },
    { "GET / HTTP/2.0\r\n\r\n", "headers" },
    { "GET /\r\n\r\n", "headers" },
    { "\r\n\r\n", "headers" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *field = check (cases[i].head);

      if (g_strcmp0 (field, cases[i].field) != 0)
        g_error ("case %u: got %s, want %s", i, field, cases[i].field);
    }
}

/* What the guard passes on after @text arrives in two writes split at @split, read as
 * libsoup reads (without blocking, between the writes); *@refusal: its verdict. */
static char *
guard_passes (const char  *text,
              gsize        split,
              const char **refusal)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) base = NULL;
  g_autoptr(CmHttpGuard) guard = NULL;
  GString *passed = g_string_new (NULL);
  gsize length = strlen (text);
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  socket = g_socket_new_from_fd (fds[0], NULL);
  g_assert_nonnull (socket);
  base = g_socket_connection_factory_create_connection (socket);
  guard = cm_http_guard_new (G_IO_STREAM (base), NULL, NULL);
  for (guint part = 0; part < 2; part++)
    {
      const char *start = part == 0 ? text : text + split;
      gsize n = part == 0 ? split : length - split;
      char buffer[256];
      gssize got;

      g_assert_cmpint (write (fds[1], start, n), ==, (gssize) n);
      while ((got = g_pollable_input_stream_read_nonblocking (
                G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (G_IO_STREAM (guard))),
                buffer, sizeof buffer, NULL, NULL)) > 0)
        g_string_append_len (passed, buffer, got);
    }
  *refusal = cm_http_guard_get_refusal (guard);
  close (fds[1]);
  return g_string_free (passed, FALSE);
}

/* The guard reads whatever the network gives: a head split anywhere, even inside CRLF
 * CRLF, is checked as if it came whole; a bare LF is refused wherever it falls. */
static void
test_head_split_anywhere (void)
{
  const char *good = "\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                     "POST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi";
  const char *bare_lf = "GET /a HTTP/1.1\r\nHost: x\n\r\n";

  for (gsize split = 0; split <= strlen (good); split++)
    {
      const char *refusal = NULL;
      g_autofree char *passed = guard_passes (good, split, &refusal);

      g_assert_null (refusal);
      g_assert_cmpstr (passed, ==, good);
    }
  for (gsize split = 0; split <= strlen (bare_lf); split++)
    {
      const char *refusal = NULL;
      g_autofree char *passed = guard_passes (bare_lf, split, &refusal);

      /* Nothing of the refused head; the lone "\n" that ends the connection for libsoup
       * (cm-http-guard.c). */
      g_assert_cmpstr (refusal, ==, "headers");
      g_assert_cmpstr (passed, ==, "\n");
    }
}

/* Takes a token from @key's bucket (two a minute) at @now: 0 when allowed, else the
 * seconds to wait; *@empty_for: how long it then holds less than a token (microseconds). */
static gint64
take_token (CmServerDb *db,
            const char *key,
            gint64      now,
            gint64     *empty_for)
{
  g_autoptr(GError) error = NULL;
  gboolean allowed = FALSE;
  gint64 next_token_at = -1;

  g_assert_true (cm_server_db_take_rate_token (db, key, 2, now, &allowed, &next_token_at,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpint (next_token_at, >=, now);
  *empty_for = next_token_at - now;
  return allowed ? 0 : (next_token_at - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

/* The buckets are in the store: a second store object on the same database (another
 * instance) sees the tokens the first took. */
static void
test_store_buckets (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cm-limits-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "server.db", NULL);
  g_autoptr(CmServerDb) one = cm_server_db_new ();
  g_autoptr(CmServerDb) two = cm_server_db_new ();
  const gint64 minute = 60 * G_USEC_PER_SEC;
  const char * const suffixes[] = { "", "-wal", "-shm" };
  gint64 empty_for = -1;

  g_assert_no_error (error);
  g_assert_true (cm_server_db_open (one, path, &error));
  g_assert_no_error (error);
  g_assert_true (cm_server_db_open (two, path, &error));
  /* Two a minute: two tokens, then 30 s to wait for the next, whichever store asks. */
  g_assert_cmpint (take_token (one, "a", 0, &empty_for), ==, 0);
  g_assert_cmpint (empty_for, ==, 0);
  /* The last token taken: the answer says the bucket is empty for 30 s. */
  g_assert_cmpint (take_token (two, "a", 1, &empty_for), ==, 0);
  g_assert_cmpint (empty_for, >, 29 * G_USEC_PER_SEC);
  g_assert_cmpint (take_token (one, "a", 2, &empty_for), ==, 30);
  /* Another key has its own bucket. */
  g_assert_cmpint (take_token (two, "b", 2, &empty_for), ==, 0);
  /* Half a minute refills one token. */
  g_assert_cmpint (take_token (two, "a", minute / 2 + 2, &empty_for), ==, 0);
  g_assert_cmpint (take_token (one, "a", minute / 2 + 3, &empty_for), >, 0);
  /* Buckets unused for a minute have refilled and go; the rest stay. */
  g_assert_true (cm_server_db_prune_rate_buckets (one, minute / 2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cm_server_db_count_rate_buckets (two, &error), ==, 1);
  g_assert_cmpint (take_token (one, "b", minute, &empty_for), ==, 0);
  cm_server_db_close (one);
  cm_server_db_close (two);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (dir);
}

/* The front tier: what the store said, until it no longer holds; a clock set back forgets
 * it; at most the cap, the buckets refilled going first, then the oldest learned. */
static void
test_front_tier (void)
{
  g_autoptr(CmRateLimiter) limiter = cm_rate_limiter_new ();
  const gint64 s = G_USEC_PER_SEC;
  guint allowed, refused;

  /* Still a token in it: nothing to remember. */
  cm_rate_limiter_learn (limiter, "a", TRUE, 0, 0);
  g_assert_cmpint (cm_rate_limiter_known_wait (limiter, "a", 0), ==, 0);
  /* Its last token taken, or refused: empty until the answer's time, then asked again. */
  cm_rate_limiter_learn (limiter, "a", TRUE, 0, 10 * s);
  cm_rate_limiter_learn (limiter, "b", FALSE, 0, 5 * s);
  g_assert_cmpint (cm_rate_limiter_known_wait (limiter, "a", 1 * s), ==, 9 * s);
  g_assert_cmpint (cm_rate_limiter_known_wait (limiter, "b", 5 * s - 1), ==, 1);
  g_assert_cmpint (cm_rate_limiter_known_wait (limiter, "b", 5 * s), ==, 0);
  g_assert_cmpuint (cm_rate_limiter_get_n_empty (limiter), ==, 1);
  /* A wall clock set back two minutes: no bucket is empty that long, ask the store. */
  g_assert_cmpint (cm_rate_limiter_known_wait (limiter, "a", -120 * s), ==, 0);
  g_assert_cmpuint (cm_rate_limiter_get_n_empty (limiter), ==, 0);
  /* A token again: forgotten. */
  cm_rate_limiter_learn (limiter, "a", FALSE, 0, 10 * s);
  cm_rate_limiter_learn (limiter, "a", TRUE, 11 * s, 11 * s);
  g_assert_cmpuint (cm_rate_limiter_get_n_empty (limiter), ==, 0);

  /* A cap of 3: the oldest learned goes; learning again makes a bucket the newest. */
  cm_rate_limiter_set_max_empty (limiter, 3);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *key = g_strdup_printf ("k%u", i);

      cm_rate_limiter_learn (limiter, key, FALSE, 0, 30 * s);
      g_assert_cmpuint (cm_rate_limiter_get_n_empty (limiter), <=, 3);
    }
  g_assert_cmpint (cm_rate_limiter_known_wait (limiter, "k6", 0), ==, 0);
  g_assert_cmpint (cm_rate_limiter_known_wait (limiter, "k7", 0), ==, 30 * s);
  cm_rate_limiter_learn (limiter, "k7", FALSE, 1 * s, 31 * s);
  cm_rate_limiter_learn (limiter, "k10", FALSE, 1 * s, 31 * s);
  g_assert_cmpint (cm_rate_limiter_known_wait (limiter, "k8", 1 * s), ==, 0);
  g_assert_cmpint (cm_rate_limiter_known_wait (limiter, "k7", 1 * s), ==, 30 * s);
  /* Refilled buckets make room before any that is still empty. */
  cm_rate_limiter_learn (limiter, "k11", FALSE, 30 * s, 40 * s);
  g_assert_cmpint (cm_rate_limiter_known_wait (limiter, "k7", 30 * s), ==, 1 * s);
  g_assert_cmpint (cm_rate_limiter_known_wait (limiter, "k10", 30 * s), ==, 1 * s);
  g_assert_cmpint (cm_rate_limiter_known_wait (limiter, "k11", 30 * s), ==, 10 * s);
  /* 0: nothing remembered, every request asks the store. */
  cm_rate_limiter_set_max_empty (limiter, 0);
  g_assert_cmpuint (cm_rate_limiter_get_n_empty (limiter), ==, 0);
  cm_rate_limiter_learn (limiter, "k12", FALSE, 0, 30 * s);
  g_assert_cmpint (cm_rate_limiter_known_wait (limiter, "k12", 0), ==, 0);

  cm_rate_limiter_get_store_answers (limiter, &allowed, &refused);
  g_assert_cmpuint (allowed, ==, 3);
  g_assert_cmpuint (refused, ==, 16);
}

/* A connection string's password never reaches a log or an error. */
static void
test_mask_target (void)
{
  const struct { const char *target; const char *masked; gboolean postgresql; } cases[] = {
    { "postgresql://cars:s3cret@db.internal:5432/cars?sslmode=verify-full",
      "postgresql://cars:***@db.internal:5432/cars?sslmode=verify-full", TRUE },
    { "postgres://cars@db/cars", "postgres://cars@db/cars", TRUE },
    { "postgresql://db/cars?user=cars&password=s3cret&sslmode=require",
      "postgresql://db/cars?user=cars&password=***&sslmode=require", TRUE },
    { "host=db dbname=cars password=s3cret user=cars",
      "host=db dbname=cars password=*** user=cars", TRUE },
    { "/var/lib/cm/server.db", "/var/lib/cm/server.db", FALSE },
    { ":memory:", ":memory:", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = cm_db_mask_target (cases[i].target);

      g_assert_cmpstr (masked, ==, cases[i].masked);
      g_assert_null (strstr (masked, "s3cret"));
      g_assert_cmpint (cm_db_is_postgresql_target (cases[i].target), ==, cases[i].postgresql);
    }
}

static void
test_address_keys (void)
{
  const struct { const char *address; const char *host; const char *network; } cases[] = {
    { "203.0.113.77", "203.0.113.77/32", "203.0.113.0/24" },
    { "::ffff:203.0.113.77", "203.0.113.77/32", "203.0.113.0/24" },
    { "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64", "2001:db8:1::/48" },
    { "::1", "::/64", "::/48" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (cases[i].address);
      g_autofree char *host = NULL;
      g_autofree char *network = NULL;

      host = cm_rate_limiter_address_key (address, CM_RATE_LIMITER_HOST_PREFIX_V4,
                                          CM_RATE_LIMITER_HOST_PREFIX_V6);
      network = cm_rate_limiter_address_key (address, CM_RATE_LIMITER_NET_PREFIX_V4,
                                             CM_RATE_LIMITER_NET_PREFIX_V6);
      g_assert_cmpstr (host, ==, cases[i].host);
      g_assert_cmpstr (network, ==, cases[i].network);
    }
}

static void
test_forwarded (void)
{
  const char * const trusted[] = { "10.0.0.1", "10.1.0.0/16", NULL };
  g_autoptr(CmRateLimiter) limiter = cm_rate_limiter_new ();
  g_autoptr(GInetAddress) proxy = g_inet_address_new_from_string ("10.0.0.1");
  g_autoptr(GInetAddress) stranger = g_inet_address_new_from_string ("198.51.100.1");
  const struct { const char *xff; const char *forwarded; const char *client; } cases[] = {
    { "203.0.113.5", NULL, "203.0.113.5" },
    { "1.2.3.4, 203.0.113.5, 10.1.2.3", NULL, "203.0.113.5" },
    { "203.0.113.5:8080", NULL, "203.0.113.5" },
    { "garbage, 10.1.2.3", NULL, "10.1.2.3" },
    { NULL, "for=\"[2001:db8::1]:4711\";proto=https", "2001:db8::1" },
    { NULL, "for=unknown", "10.0.0.1" },
    { "203.0.113.5", "for=192.0.2.1", "203.0.113.5" },
    { NULL, NULL, "10.0.0.1" },
  };

  g_assert_true (cm_rate_limiter_set_trusted_proxies (limiter, trusted, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      g_autoptr(GInetAddress) client = NULL;
      g_autoptr(GInetAddress) direct = NULL;
      g_autofree char *text = NULL;

      if (cases[i].xff != NULL)
        soup_message_headers_append (headers, "X-Forwarded-For", cases[i].xff);
      if (cases[i].forwarded != NULL)
        soup_message_headers_append (headers, "Forwarded", cases[i].forwarded);
      client = cm_rate_limiter_client_address (limiter, proxy, headers);
      text = g_inet_address_to_string (client);
      g_assert_cmpstr (text, ==, cases[i].client);
      /* From anyone else the headers mean nothing. */
      direct = cm_rate_limiter_client_address (limiter, stranger, headers);
      g_assert_true (g_inet_address_equal (direct, stranger));
      soup_message_headers_unref (headers);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/limits/head-rules", test_head_rules);
  g_test_add_func ("/server/limits/head-split-anywhere", test_head_split_anywhere);
  g_test_add_func ("/server/limits/store-buckets", test_store_buckets);
  g_test_add_func ("/server/limits/front-tier", test_front_tier);
  g_test_add_func ("/server/limits/mask-target", test_mask_target);
  g_test_add_func ("/server/limits/address-keys", test_address_keys);
  g_test_add_func ("/server/limits/forwarded", test_forwarded);
  return g_test_run ();
}
