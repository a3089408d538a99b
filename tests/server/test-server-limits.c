/* test-server-limits.c: the framing rules, the client keys and the rate buckets on their own.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-server-limits"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cm-http-guard.h"
#include "cm-db-driver.h"
#include "cm-rate-limiter.h"
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
  gint64 wait = -1;

  g_assert_no_error (error);
  g_assert_true (cm_server_db_open (one, path, &error));
  g_assert_no_error (error);
  g_assert_true (cm_server_db_open (two, path, &error));
  /* Two a minute: two tokens, then 30 s to wait for the next, whichever store asks. */
  g_assert_true (cm_server_db_take_rate_token (one, "a", 2, 0, &wait, &error));
  g_assert_cmpint (wait, ==, 0);
  g_assert_true (cm_server_db_take_rate_token (two, "a", 2, 1, &wait, &error));
  g_assert_cmpint (wait, ==, 0);
  g_assert_true (cm_server_db_take_rate_token (one, "a", 2, 2, &wait, &error));
  g_assert_cmpint (wait, ==, 30);
  /* Another key has its own bucket. */
  g_assert_true (cm_server_db_take_rate_token (two, "b", 2, 2, &wait, &error));
  g_assert_cmpint (wait, ==, 0);
  /* Half a minute refills one token. */
  g_assert_true (cm_server_db_take_rate_token (two, "a", 2, minute / 2 + 2, &wait, &error));
  g_assert_cmpint (wait, ==, 0);
  g_assert_true (cm_server_db_take_rate_token (one, "a", 2, minute / 2 + 3, &wait, &error));
  g_assert_cmpint (wait, >, 0);
  /* Buckets unused for a minute have refilled and go; the rest stay. */
  g_assert_true (cm_server_db_prune_rate_buckets (one, minute / 2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cm_server_db_count_rate_buckets (two, &error), ==, 1);
  g_assert_true (cm_server_db_take_rate_token (one, "b", 2, minute, &wait, &error));
  g_assert_cmpint (wait, ==, 0);
  cm_server_db_close (one);
  cm_server_db_close (two);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (dir);
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
  g_test_add_func ("/server/limits/store-buckets", test_store_buckets);
  g_test_add_func ("/server/limits/mask-target", test_mask_target);
  g_test_add_func ("/server/limits/address-keys", test_address_keys);
  g_test_add_func ("/server/limits/forwarded", test_forwarded);
  return g_test_run ();
}
