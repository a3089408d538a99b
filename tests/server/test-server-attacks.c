/* test-server-attacks.c: the adversary report's attacks on MILogin, replayed against the real
 * server over loopback (findings 1, 2, 3, 7, 10, 11 and 14).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-server-attacks"

#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cm-rate-limiter-private.h"
#include "cm-server-private.h"
#include "cm-validate.h"
#include "server-test-util.h"

#define USER "smithj1234"
#define PASSWORD "Tr4ffic-Lights!"
#define SIGN_IN "/api/v1/milogin/sessions"
#define RESETS "/api/v1/milogin/password-resets"
#define CONFIRM "/api/v1/milogin/password-resets/confirm"
#define N_WRONG 39

typedef void (*FixtureFunc) (ServerFixture *, gconstpointer);

/* Argon2id at its real cost, so that guesses sent together are hashed together. */
static const ServerFixtureOptions interactive = { .real_hash_cost = TRUE };

static void
add (const char           *path,
     const ServerFixtureOptions *options,
     FixtureFunc           func)
{
  g_test_add (path, ServerFixture, options, server_fixture_setup, func, server_fixture_teardown);
}

static guint
post_status (ServerFixture *f,
             const char    *path,
             const char    *token,
             const char    *body)
{
  g_autoptr(Reply) reply = server_call (f, "POST", path, token, body);

  return reply->status;
}

static void
wait_for_hashes (ServerFixture *f)
{
  CmServerHash *hash = cm_server_get_hash (f->server);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (cm_server_hash_get_pending (hash) > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
}

/* ---- Finding 1: parallel guesses against the 3-try lock ---- */

static void
test_parallel_guesses (ServerFixture *f,
                       gconstpointer  data)
{
  CmServerHash *hash = cm_server_get_hash (f->server);
  const char *right[] = { "{\"user_id\":\"" USER "\",\"password\":\"" PASSWORD "\"}", NULL };
  g_autoptr(GPtrArray) wrong = g_ptr_array_new_with_free_func (g_free);
  ParallelReply replies[N_WRONG];
  ParallelReply last;
  ParallelCalls *calls;
  guint n401 = 0, n423 = 0, n503 = 0;
  gint64 deadline;

  server_sign_up (f, USER, PASSWORD);
  wait_for_hashes (f);
  for (guint i = 0; i < N_WRONG; i++)
    g_ptr_array_add (wrong, g_strdup_printf ("{\"user_id\":\"" USER "\","
                                             "\"password\":\"Wrong-Guess-%02u\"}", i));
  g_ptr_array_add (wrong, NULL);

  /* 39 wrong guesses at once; the right one goes while they are still being hashed, once
   * each is either answered or waiting for its hash: it is the 40th guess, in any order. */
  calls = server_post_parallel (f, SIGN_IN, (const char * const *) wrong->pdata);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (parallel_answered (calls) + cm_server_hash_get_pending (hash) < N_WRONG)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (500);
    }
  parallel_finish (server_post_parallel (f, SIGN_IN, right), &last);
  parallel_finish (calls, replies);

  for (guint i = 0; i < N_WRONG; i++)
    {
      switch (replies[i].status)
        {
        case 401:
          n401++;
          break;
        case 423:
          n423++;
          break;
        case 503:
          /* Tries all in flight: come back shortly, says the header. */
          n503++;
          g_assert_cmpint (replies[i].retry_after, >=, 1);
          break;
        default:
          g_error ("a wrong guess was answered %u", replies[i].status);
        }
    }
  g_test_message ("39 wrong + 1 right at once: %u x 401, %u x 423, %u x 503; the right one %u",
                  n401, n423, n503, last.status);
  /* Three tries: two are told 401, the third is told the User ID is locked. */
  g_assert_cmpuint (n401, ==, CM_SERVER_SIGN_IN_MAX_FAILURES - 1);
  g_assert_cmpuint (n423, >=, 1);
  g_assert_cmpuint (last.status, !=, 201);
  g_assert_true (last.status == 423 || last.status == 503);

  /* And it stays locked: no success came to clear it. */
  wait_for_hashes (f);
  g_assert_cmpuint (post_status (f, SIGN_IN, NULL, right[0]), ==, 423);
}

/* The flood of finding 1 from many User IDs: the hash queue is bounded, and whoever finds it
 * full is told when to come back instead of waiting behind everybody. */
static void
test_hash_queue_bound (ServerFixture *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  ParallelReply replies[16];
  guint n401 = 0, n503 = 0;

  cm_server_hash_set_max_pending (cm_server_get_hash (f->server), 4);
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    g_ptr_array_add (bodies, g_strdup_printf ("{\"user_id\":\"floodf%04u\","
                                              "\"password\":\"Wrong-Pass1\"}", i));
  g_ptr_array_add (bodies, NULL);
  parallel_finish (server_post_parallel (f, SIGN_IN, (const char * const *) bodies->pdata),
                   replies);
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      if (replies[i].status == 503)
        {
          n503++;
          g_assert_cmpint (replies[i].retry_after, >=, 1);
        }
      else
        {
          g_assert_cmpuint (replies[i].status, ==, 401);
          n401++;
        }
    }
  g_test_message ("16 User IDs at once, queue of 4: %u x 401, %u x 503", n401, n503);
  g_assert_cmpuint (n401, >=, 4);
  g_assert_cmpuint (n503, >=, 1);
}

/* Attempts admitted by a process that died before their hash was done hold the User ID's
 * tries for a while (503), never for good. */
static void
test_crash_leftovers (ServerFixture *f,
                      gconstpointer  data)
{
  const char *right = "{\"user_id\":\"" USER "\",\"password\":\"" PASSWORD "\"}";
  g_autoptr(Reply) busy = NULL;

  server_sign_up (f, USER, PASSWORD);
  g_assert_cmpuint (post_status (f, SIGN_IN, NULL,
                                 "{\"user_id\":\"" USER "\",\"password\":\"Wrong-Pass1\"}"),
                    ==, 401);
  /* What a SIGKILL during three hashes leaves. */
  database_exec (f, "UPDATE attempt_limits SET pending = 3");
  busy = server_call (f, "POST", SIGN_IN, NULL, right);
  g_assert_cmpuint (busy->status, ==, 503);
  g_assert_cmpstr (reply_error_code (busy), ==, "unavailable");
  g_assert_nonnull (soup_message_headers_get_one (busy->headers, "Retry-After"));

  cm_server_advance_clock (f->server, CM_SERVER_ATTEMPT_STALE_SECONDS);
  g_assert_cmpuint (post_status (f, SIGN_IN, NULL, right), ==, 201);
}

/* ---- Finding 2: reset PINs and security answers under the server's key ---- */

static void
test_keyed_digests (ServerFixture *f,
                    gconstpointer  data)
{
  g_autofree char *key_path = g_strconcat (f->database, ".key", NULL);
  g_autofree char *mail = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) rekeyed = NULL;
  const char *old_answer = USER "\nford falcon";
  guint8 digest[32];
  g_autofree char *sql = NULL;
  char hex[65];
  struct stat st;

  server_sign_up (f, USER, PASSWORD);
  g_assert_cmpuint (post_status (f, RESETS, NULL,
                                 "{\"user_id\":\"" USER "\",\"method\":\"email\"}"), ==, 202);
  mail = outbox_newest (f->outbox, "email", NULL);
  pin = find_pin (mail);
  g_assert_nonnull (pin);

  /* A reader of the database tries every PIN under the old unkeyed BLAKE2b: none matches. */
  stored = database_query_blob (f, "SELECT pin_hash FROM password_resets ORDER BY id DESC");
  g_assert_cmpuint (g_bytes_get_size (stored), ==, sizeof digest);
  for (guint i = 0; i < 1000000; i++)
    {
      char guess[8];

      g_snprintf (guess, sizeof guess, "%06u", i);
      crypto_generichash (digest, sizeof digest, (const guint8 *) guess, 6, NULL, 0);
      if (memcmp (digest, g_bytes_get_data (stored, NULL), sizeof digest) == 0)
        g_error ("the stored digest is the unkeyed BLAKE2b of PIN %s (sent: %s)", guess, pin);
    }

  /* Nor is the security answer its old digest (salted with the User ID only). */
  answer = database_query_blob (f, "SELECT answer_hash FROM recovery_questions");
  crypto_generichash (digest, sizeof digest, (const guint8 *) old_answer, strlen (old_answer),
                      NULL, 0);
  g_assert_cmpuint (g_bytes_get_size (answer), ==, sizeof digest);
  g_assert_true (memcmp (digest, g_bytes_get_data (answer, NULL), sizeof digest) != 0);

  /* The key: its own file next to the database, 0600 although the umask is 0. */
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, 32);

  /* An answer stored the old way is re-keyed at the next start, to what a new one gets; the
   * key survives the restart, and so does the PIN. */
  sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
  sql = g_strdup_printf ("UPDATE recovery_questions SET answer_hash = x'%s', answer_keyed = 0",
                         hex);
  database_exec (f, sql);
  server_fixture_restart (f, data);
  rekeyed = database_query_blob (f, "SELECT answer_hash FROM recovery_questions");
  g_assert_true (g_bytes_equal (rekeyed, answer));
  g_assert_cmpint (database_query_int (f, "SELECT answer_keyed FROM recovery_questions"), ==, 1);

  body = server_reset_body (USER, pin);
  g_assert_cmpuint (post_status (f, CONFIRM, NULL, body), ==, 204);
}

/* ---- Finding 3: PIN guesses across PINs, and PIN requests ---- */

static void
test_reset_pin_guesses (ServerFixture *f,
                        gconstpointer  data)
{
  const char *who[] = { "{\"user_id\":\"" USER "\",\"method\":\"email\"}",
                        "{\"user_id\":\"ghostg0000\",\"method\":\"email\"}" };
  JsonObject *refused[2] = { NULL, NULL };
  g_autoptr(Reply) refused_known = NULL;
  g_autoptr(Reply) refused_unknown = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *body = NULL;
  guint sent;
  guint guesses = 0;

  server_sign_up (f, USER, PASSWORD);

  /* Three PINs an hour per User ID, then 429: the same for a User ID nobody has. */
  for (guint w = 0; w < G_N_ELEMENTS (who); w++)
    {
      Reply *reply;

      for (guint i = 0; i < CM_SERVER_RESET_MAX_REQUESTS; i++)
        g_assert_cmpuint (post_status (f, RESETS, NULL, who[w]), ==, 202);
      reply = server_call (f, "POST", RESETS, NULL, who[w]);
      g_test_message ("%s: request %u answered %u", who[w], CM_SERVER_RESET_MAX_REQUESTS + 1,
                      reply->status);
      g_assert_cmpuint (reply->status, ==, 429);
      g_assert_cmpstr (reply_error_code (reply), ==, "rate_limited");
      g_assert_cmpint (g_ascii_strtoll (soup_message_headers_get_one (reply->headers,
                                                                      "Retry-After"),
                                        NULL, 10), >, 3500);
      *(w == 0 ? &refused_known : &refused_unknown) = reply;
      refused[w] = json_object_get_object_member (reply_object (reply), "error");
    }
  /* The same answer; retry_after may differ by the second that passed between the two. */
  g_assert_cmpstr (json_object_get_string_member (refused[0], "message"), ==,
                   json_object_get_string_member (refused[1], "message"));
  g_assert_cmpint (ABS (json_object_get_int_member (refused[0], "retry_after") -
                        json_object_get_int_member (refused[1], "retry_after")), <=, 1);
  g_assert_cmpuint (json_object_get_size (refused[0]), ==, json_object_get_size (refused[1]));
  g_free (outbox_newest (f->outbox, "email", &sent));
  g_assert_cmpuint (sent, ==, CM_SERVER_RESET_MAX_REQUESTS);

  /* Wrong PINs count per User ID whatever the PIN: a new PIN starts no new count. */
  cm_server_advance_clock (f->server, 61 * 60);
  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *mail = NULL;

      g_assert_cmpuint (post_status (f, RESETS, NULL, who[0]), ==, 202);
      mail = outbox_newest (f->outbox, "email", NULL);
      g_free (pin);
      pin = find_pin (mail);
      for (guint i = 0; i < (round == 0 ? 3 : 2); i++)
        {
          g_autofree char *guess = g_strdup_printf ("%06u", (guint) (g_ascii_strtoull (pin, NULL,
                                                                                    10)
                                                                 + 1 + i) % 1000000);
          g_autofree char *wrong = server_reset_body (USER, guess);
          g_autoptr(Reply) reply = server_call (f, "POST", CONFIRM, NULL, wrong);

          g_assert_cmpuint (reply->status, ==, 422);
          g_assert_cmpstr (reply_error_code (reply), ==, "invalid_code");
          guesses++;
        }
    }
  g_assert_cmpuint (guesses, ==, CM_SERVER_RESET_PIN_MAX_FAILURES);
  body = server_reset_body (USER, pin);
  {
    g_autoptr(Reply) reply = server_call (f, "POST", CONFIRM, NULL, body);

    g_test_message ("the right PIN after 3 + 2 wrong ones on two PINs: %u", reply->status);
    g_assert_cmpuint (reply->status, ==, 423);
    g_assert_cmpstr (reply_error_code (reply), ==, "account_locked");
  }
}

/* ---- Finding 7: guessing the current password through a password change ---- */

static void
test_password_change_guesses (ServerFixture *f,
                              gconstpointer  data)
{
  const char *wrong = "{\"current_password\":\"Wrong-Pass1\",\"new_password\":\"Second-Gear22\","
                      "\"new_password_confirm\":\"Second-Gear22\"}";
  const char *right = "{\"current_password\":\"" PASSWORD "\",\"new_password\":\"Second-Gear22\","
                      "\"new_password_confirm\":\"Second-Gear22\"}";
  g_autofree char *token = NULL;
  guint statuses[4];

  server_sign_up (f, USER, PASSWORD);
  token = server_sign_in (f, USER, PASSWORD);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(Reply) reply = server_call (f, "PUT", "/api/v1/milogin/password", token,
                                            i < 3 ? wrong : right);

      statuses[i] = reply->status;
    }
  g_test_message ("3 wrong current passwords then the right one: %u %u %u %u", statuses[0],
                  statuses[1], statuses[2], statuses[3]);
  g_assert_cmpuint (statuses[0], ==, 401);
  g_assert_cmpuint (statuses[1], ==, 401);
  g_assert_cmpuint (statuses[2], ==, 423);
  g_assert_cmpuint (statuses[3], ==, 423);
  /* The same lock as sign-in's. */
  g_assert_cmpuint (post_status (f, SIGN_IN, NULL,
                                 "{\"user_id\":\"" USER "\",\"password\":\"" PASSWORD "\"}"),
                    ==, 423);
}

/* The current password asked again by the account settings (profile, recovery options,
 * password), guessed in parallel on all three at once: no more tries than sign-in gives, the
 * right one sent meanwhile does not get through, and the User ID stays locked. */
#define PROFILE_PATH "/api/v1/milogin/profile"
#define RECOVERY "/api/v1/milogin/recovery-options"
#define PASSWORD_PATH "/api/v1/milogin/password"
#define N_PER_PATH 13

static ParallelCalls *
send_wrong_reauth (ServerFixture *f,
                   const char    *path,
                   const char    *token,
                   const char    *rest)
{
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < N_PER_PATH; i++)
    g_ptr_array_add (bodies, g_strdup_printf ("{\"current_password\":\"Wrong-Guess-%02u\",%s",
                                              i, rest));
  g_ptr_array_add (bodies, NULL);
  return server_send_parallel_as (f, "PUT", path, token, (const char * const *) bodies->pdata);
}

static void
test_parallel_reauth_guesses (ServerFixture *f,
                              gconstpointer  data)
{
  CmServerHash *hash = cm_server_get_hash (f->server);
  const char *paths[] = { PROFILE_PATH, RECOVERY, PASSWORD_PATH };
  /* What follows the wrong current password in each body: valid otherwise. */
  const char *rests[] = {
    ("\"first_name\":\"John\","
     "\"last_name\":\"Smith\",\"email\":\"j@example.com\",\"email_confirm\":\"j@example.com\","
     "\"work_phone\":\"517-555-0100\",\"mobile_phone\":\"517-555-0101\"}"),
    "\"email\":true,\"text\":false}",
    ("\"new_password\":\"Second-Gear22\","
     "\"new_password_confirm\":\"Second-Gear22\"}"),
  };
  const char *right[] = { "{\"current_password\":\"" PASSWORD "\",\"email\":true,"
                          "\"text\":false}", NULL };
  ParallelCalls *calls[G_N_ELEMENTS (paths)];
  ParallelReply replies[G_N_ELEMENTS (paths)][N_PER_PATH];
  ParallelReply last;
  g_autofree char *token = NULL;
  guint n401 = 0, n423 = 0, n503 = 0;
  gint64 deadline;

  server_sign_up (f, USER, PASSWORD);
  token = server_sign_in (f, USER, PASSWORD);
  wait_for_hashes (f);
  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    calls[p] = send_wrong_reauth (f, paths[p], token, rests[p]);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (parallel_answered (calls[0]) + parallel_answered (calls[1]) +
         parallel_answered (calls[2]) + cm_server_hash_get_pending (hash) <
         G_N_ELEMENTS (paths) * N_PER_PATH)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (500);
    }
  parallel_finish (server_send_parallel_as (f, "PUT", RECOVERY, token, right), &last);
  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    parallel_finish (calls[p], replies[p]);

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    for (guint i = 0; i < N_PER_PATH; i++)
      {
        if (replies[p][i].status == 401)
          n401++;
        else if (replies[p][i].status == 423)
          n423++;
        else if (replies[p][i].status == 503 && replies[p][i].retry_after >= 1)
          n503++;
        else
          g_error ("a wrong current password on %s was answered %u", paths[p],
                   replies[p][i].status);
      }
  g_test_message ("39 wrong current passwords on 3 endpoints + 1 right at once: %u x 401, "
                  "%u x 423, %u x 503; the right one %u", n401, n423, n503, last.status);
  g_assert_cmpuint (n401, ==, CM_SERVER_SIGN_IN_MAX_FAILURES - 1);
  g_assert_cmpuint (n423, >=, 1);
  g_assert_true (last.status == 423 || last.status == 503);

  /* The same lock as sign-in's, and it holds. */
  wait_for_hashes (f);
  g_assert_cmpuint (post_status (f, SIGN_IN, NULL,
                                 "{\"user_id\":\"" USER "\",\"password\":\"" PASSWORD "\"}"),
                    ==, 423);
}

/* ---- Finding 10: a reset request does the same work whoever asks ---- */

static void
reset_statuses (ServerFixture *f,
                guint         *statuses)
{
  const char *bodies[] = {
    "{\"user_id\":\"" USER "\",\"method\":\"email\"}",       /* known */
    "{\"user_id\":\"ghostg0000\",\"method\":\"email\"}",     /* unknown */
    "{\"user_id\":\"smithj5678\",\"method\":\"text\"}",      /* no mobile number */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    statuses[i] = post_status (f, RESETS, NULL, bodies[i]);
  g_test_message ("known, unknown, no mobile: %u %u %u", statuses[0], statuses[1], statuses[2]);
}

static void
test_reset_same_work (ServerFixture *f,
                      gconstpointer  data)
{
  CmServerDb *db = cm_server_get_db (f->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(GString) body = NULL;
  g_autofree char *away = g_strconcat (f->outbox, ".away", NULL);
  guint statuses[3];
  guint sent;

  server_sign_up (f, USER, PASSWORD);
  /* John Smith again, with no mobile number. */
  challenge = server_solve_challenge (f, &answer);
  plain = sign_up_body (challenge, answer, "smithj5678", PASSWORD, PASSWORD, TRUE);
  body = g_string_new (plain);
  g_assert_cmpuint (g_string_replace (body, "\"mobile_phone\":\"517-555-0101\"",
                                      "\"mobile_phone\":\"\"", 1), ==, 1);
  g_assert_cmpuint (g_string_replace (body, "\"text\":true", "\"text\":false", 1), ==, 1);
  g_assert_cmpuint (post_status (f, "/api/v1/milogin/users", NULL, body->str), ==, 201);

  /* A database that takes no writes: the same answer, since the same transaction runs. */
  g_assert_true (cm_server_db_set_query_only (db, TRUE, &error));
  g_assert_no_error (error);
  reset_statuses (f, statuses);
  g_assert_true (cm_server_db_set_query_only (db, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (statuses[0], ==, 503);
  g_assert_cmpuint (statuses[1], ==, statuses[0]);
  g_assert_cmpuint (statuses[2], ==, statuses[0]);

  /* An outbox where no file can be made, even by root: the same answer, since the same
   * durable write runs. */
  g_assert_cmpint (g_rename (f->outbox, away), ==, 0);
  g_assert_cmpint (symlink ("/proc", f->outbox), ==, 0);
  reset_statuses (f, statuses);
  g_assert_cmpint (g_unlink (f->outbox), ==, 0);
  g_assert_cmpint (g_rename (away, f->outbox), ==, 0);
  g_assert_cmpuint (statuses[0], ==, 503);
  g_assert_cmpuint (statuses[1], ==, statuses[0]);
  g_assert_cmpuint (statuses[2], ==, statuses[0]);

  /* Storage working: 202 for all three, each counted, one message sent and nothing else. */
  reset_statuses (f, statuses);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    g_assert_cmpuint (statuses[i], ==, 202);
  g_assert_cmpint (database_query_int (f, "SELECT COUNT(*) FROM attempt_limits WHERE kind = 3"),
                   ==, 3);
  g_free (outbox_newest (f->outbox, "email", &sent));
  g_assert_cmpuint (sent, ==, 1);
  g_free (outbox_newest (f->outbox, "sms", &sent));
  g_assert_cmpuint (sent, ==, 0);
}

/* ---- Finding 11: the lock table stays small ---- */

static void
test_lock_table_bounded (ServerFixture *f,
                         gconstpointer  data)
{
  g_autofree char *long_id = g_strnfill (60000, 'a');
  g_autofree char *long_body = g_strdup_printf ("{\"user_id\":\"%s\","
                                                "\"password\":\"Wrong-Pass1\"}", long_id);
  gint64 before, grown;

  /* 20 failures with 60 KB User IDs store nothing of them. */
  before = database_used_bytes (f);
  for (guint i = 0; i < 20; i++)
    {
      long_body[strlen ("{\"user_id\":\"")] = 'a' + i;
      g_assert_cmpuint (post_status (f, SIGN_IN, NULL, long_body), ==, 401);
    }
  grown = database_used_bytes (f) - before;
  g_test_message ("20 failures with 60 KB User IDs: the database grew by %" G_GINT64_FORMAT
                  " bytes", grown);
  g_assert_cmpint (grown, <, 64 * 1024);

  /* Other User IDs get rows of one small size, gone once nothing in them counts. */
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"user_id\":\"ghostg%04u\","
                                               "\"password\":\"Wrong-Pass1\"}", i);

      g_assert_cmpuint (post_status (f, SIGN_IN, NULL, body), ==, 401);
    }
  g_assert_cmpint (database_query_int (f, "SELECT COUNT(*) FROM attempt_limits"), ==, 30);
  g_assert_cmpint (database_query_int (f, "SELECT MAX(length(key)) FROM attempt_limits"), ==,
                   32);
  cm_server_advance_clock (f->server, 61 * 60);
  g_assert_cmpuint (post_status (f, SIGN_IN, NULL,
                                 "{\"user_id\":\"ghostg9999\",\"password\":\"Wrong-Pass1\"}"),
                    ==, 401);
  g_assert_cmpint (database_query_int (f, "SELECT COUNT(*) FROM attempt_limits"), ==, 1);
}

/* ---- Finding 14: a flood past the rate limit writes the store per request ---- */

/* Behind a "proxy" at 127.0.0.1, so that X-Forwarded-For names any client. */
static const ServerFixtureOptions six_a_minute = {
  .rate_limit = 6, .trusted_proxy = "127.0.0.1"
};
/* One a minute, 50 empty buckets remembered at most. */
static const ServerFixtureOptions one_a_minute = {
  .rate_limit = 1, .trusted_proxy = "127.0.0.1", .max_empty_buckets = 50
};

/* The store's answers for the buckets (each one a bucket write). */
typedef struct
{
  guint allowed;
  guint refused;
} StoreAnswers;

/* A User ID check (rate-limited) from @client: its status; *retry_after its Retry-After. */
static guint
check_from (ServerFixture *f,
            const char    *client,
            gint64        *retry_after)
{
  g_autofree char *request = g_strdup_printf ("GET /api/v1/milogin/user-ids/smithj0001 HTTP/1.1"
                                              "\r\nHost: x\r\nConnection: close\r\n"
                                              "X-Forwarded-For: %s\r\n\r\n", client);

  return raw_request_status (f->server_base, "127.0.0.1", request, retry_after);
}

/* The store's answers since @last, which becomes now. */
static StoreAnswers
store_answers_since (ServerFixture *f,
                     StoreAnswers  *last)
{
  StoreAnswers now, since;

  cm_rate_limiter_get_store_answers (cm_server_get_limiter (f->server), &now.allowed,
                                     &now.refused);
  since.allowed = now.allowed - last->allowed;
  since.refused = now.refused - last->refused;
  *last = now;
  return since;
}

/* 200 requests from one client at 6 a minute, then one from each of 250 addresses of one
 * /24 (60 a minute): every refused request was one store write (a commit and a flush under
 * the store's one write lock), so a cheap flood starved every instance's sign-ups. Once the
 * store has said a bucket is empty, it is not asked again until the bucket can hold a token:
 * a request the store allows costs its writes as before, a refused one none (at most one per
 * token refilled meanwhile, should the run be slow). */
static void
test_rate_limit_flood (ServerFixture *f,
                       gconstpointer  data)
{
  StoreAnswers last = { 0 }, answers;
  guint ok = 0, limited = 0;
  gint64 retry_after = -1;

  for (guint i = 0; i < 200; i++)
    {
      guint status = check_from (f, "203.0.113.7", &retry_after);

      g_assert_true (status == 200 || status == 429);
      ok += status == 200;
      /* What the client is told is the store's: a token in 10 s at most. */
      if (status == 429)
        g_assert_true (retry_after >= 1 && retry_after <= 10);
    }
  answers = store_answers_since (f, &last);
  g_test_message ("one client, 200 requests: %u answered 200; store answers: %u allowed, "
                  "%u refused", ok, answers.allowed, answers.refused);
  g_assert_cmpuint (ok, >=, 6);
  g_assert_cmpuint (answers.allowed, ==, 2 * ok);   /* its own bucket and its network's */
  g_assert_cmpuint (answers.refused, <=, ok - 6 + 1);

  ok = 0;
  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *client = g_strdup_printf ("198.51.100.%u", i + 1);
      guint status = check_from (f, client, NULL);

      ok += status == 200;
      limited += status == 429;
    }
  answers = store_answers_since (f, &last);
  g_test_message ("250 addresses of one /24: %u allowed, %u limited; store answers: %u "
                  "allowed, %u refused", ok, limited, answers.allowed, answers.refused);
  g_assert_cmpuint (ok + limited, ==, 250);
  g_assert_cmpuint (limited, >=, 150);
  g_assert_cmpuint (ok, >=, 60);
  g_assert_cmpuint (answers.allowed, ==, 2 * ok);
  g_assert_cmpuint (answers.refused, <=, ok - 60 + 1);
}

/* An attacker with many networks (IPv6 /48s are cheap) empties a bucket in each: what this
 * process remembers stays at its cap (50 here), and a client it forgot is still refused by
 * the store, at the price of one write, then remembered again. */
static void
test_rate_limit_front_bounded (ServerFixture *f,
                               gconstpointer  data)
{
  CmRateLimiter *limiter = cm_server_get_limiter (f->server);
  StoreAnswers last = { 0 }, answers;

  /* One a minute: each client's first request empties its bucket. */
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < 300; i++)
      {
        g_autofree char *client = g_strdup_printf ("2001:db8:%x::1", i + 1);

        g_assert_cmpuint (check_from (f, client, NULL), ==, round == 0 ? 200 : 429);
        g_assert_cmpuint (cm_rate_limiter_get_n_empty (limiter), <=, 50);
      }
  g_test_message ("300 clients in 300 networks, twice: %u buckets remembered as empty",
                  cm_rate_limiter_get_n_empty (limiter));
  g_assert_cmpuint (cm_rate_limiter_get_n_empty (limiter), >, 0);

  store_answers_since (f, &last);
  for (guint i = 0; i < 100; i++)
    g_assert_cmpuint (check_from (f, "2001:db8:1::1", NULL), ==, 429);
  answers = store_answers_since (f, &last);
  g_test_message ("a forgotten client, 100 more requests: %u store answers refused",
                  answers.refused);
  g_assert_cmpuint (answers.allowed, ==, 0);
  g_assert_cmpuint (answers.refused, <=, 1);
}

/* ---- Authorization codes: the code step's check is no second way to guess ---- */

#define CODE_CHECKS "/api/v1/cars/authorization-code-checks"
#define ACCOUNT_ACCESS "/api/v1/cars/account-access"
#define N_CODE_GUESSES 24

static const ServerFixtureOptions unlimited = { .no_rate_limit = TRUE };

/* A well-formed code that is not the one sent. */
static char *
wrong_code (guint i)
{
  const char *alphabet = CM_AUTHORIZATION_CODE_ALPHABET;
  guint n = strlen (alphabet);

  return g_strdup_printf ("WXYZ-WXYZ-%c%c%c2", alphabet[i % n], alphabet[(i / n) % n],
                          alphabet[(i * 7) % n]);
}

/* Signs USER in and has a code sent by email for Z123456; returns the code. */
static char *
code_for_z123456 (ServerFixture  *f,
                  char          **token)
{
  g_autoptr(Reply) reply = NULL;
  g_autofree char *mail = NULL;

  server_sign_up (f, USER, PASSWORD);
  *token = server_sign_in (f, USER, PASSWORD);
  reply = server_call (f, "POST", "/api/v1/cars/access-requests", *token,
                       "{\"account_type\":\"mechanic\",\"account_number\":\"Z123456\","
                       "\"zip\":\"48909\",\"delivery\":\"email\"}");
  g_assert_cmpuint (reply->status, ==, 201);
  mail = outbox_newest (f->outbox, "email", NULL);
  return find_code (mail);
}

static char *
check_body (const char *code)
{
  return g_strdup_printf ("{\"authorization_code\":\"%s\"}", code);
}

static char *
submit_body (const char *code)
{
  return g_strdup_printf ("{\"authorization_code\":\"%s\",\"account_type\":\"mechanic\","
                          "\"account_number\":\"Z123456\",\"zip\":\"48909\","
                          "\"terms_accepted\":true}", code);
}

/* Wrong codes sent at once, half to the check and half to Submit: together they are
 * counted once each against one lock, so exactly CM_SERVER_CODE_MAX_FAILURES are told
 * "wrong" and the rest "locked"; then even the right code is refused by both. */
static void
test_parallel_code_checks (ServerFixture *f,
                           gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *right = code_for_z123456 (f, &token);
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) submits = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *right_check = check_body (right);
  g_autofree char *right_submit = submit_body (right);
  ParallelReply replies[N_CODE_GUESSES];
  ParallelCalls *check_calls, *submit_calls;
  guint wrong = 0, locked = 0;

  for (guint i = 0; i < N_CODE_GUESSES; i++)
    {
      g_autofree char *code = wrong_code (i);

      g_ptr_array_add (i % 2 ? submits : checks, i % 2 ? submit_body (code) : check_body (code));
    }
  g_ptr_array_add (checks, NULL);
  g_ptr_array_add (submits, NULL);
  check_calls = server_post_parallel_as (f, CODE_CHECKS, token,
                                         (const char * const *) checks->pdata);
  submit_calls = server_post_parallel_as (f, ACCOUNT_ACCESS, token,
                                          (const char * const *) submits->pdata);
  parallel_finish (check_calls, replies);
  parallel_finish (submit_calls, replies + N_CODE_GUESSES / 2);

  for (guint i = 0; i < N_CODE_GUESSES; i++)
    {
      if (replies[i].status == 422)
        wrong++;
      else if (replies[i].status == 423 || replies[i].status == 503)
        locked++;
      else
        g_error ("a wrong code was answered %u", replies[i].status);
    }
  g_test_message ("%u wrong codes at once to the check and Submit: %u x 422, %u refused",
                  N_CODE_GUESSES, wrong, locked);
  g_assert_cmpuint (wrong, ==, CM_SERVER_CODE_MAX_FAILURES);
  g_assert_cmpuint (post_status (f, CODE_CHECKS, token, right_check), ==, 423);
  g_assert_cmpuint (post_status (f, ACCOUNT_ACCESS, token, right_submit), ==, 423);
}

/* A right code checked between wrong ones does not clear the count (else a user could
 * guess without end by checking their own code in between), and checking spends nothing. */
static void
test_code_check_keeps_count (ServerFixture *f,
                             gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *right = code_for_z123456 (f, &token);
  g_autofree char *right_check = check_body (right);

  for (guint i = 0; i < CM_SERVER_CODE_MAX_FAILURES - 1; i++)
    {
      g_autofree char *code = wrong_code (i);
      g_autofree char *body = check_body (code);

      g_assert_cmpuint (post_status (f, CODE_CHECKS, token, body), ==, 422);
      g_assert_cmpuint (post_status (f, CODE_CHECKS, token, right_check), ==, 204);
    }
  {
    g_autofree char *code = wrong_code (99);
    g_autofree char *body = submit_body (code);

    /* The fifth wrong code, at Submit, locks the check too. */
    g_assert_cmpuint (post_status (f, ACCOUNT_ACCESS, token, body), ==, 422);
  }
  g_assert_cmpuint (post_status (f, CODE_CHECKS, token, right_check), ==, 423);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* The key file must be 0600 whatever the umask. */
  umask (0);
  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  add ("/server/attacks/parallel-guesses", &interactive, test_parallel_guesses);
  add ("/server/attacks/hash-queue-bound", &interactive, test_hash_queue_bound);
  add ("/server/attacks/crash-leftovers", NULL, test_crash_leftovers);
  add ("/server/attacks/keyed-digests", NULL, test_keyed_digests);
  add ("/server/attacks/parallel-code-checks", &unlimited, test_parallel_code_checks);
  add ("/server/attacks/code-check-keeps-count", &unlimited, test_code_check_keeps_count);
  add ("/server/attacks/reset-pin-guesses", NULL, test_reset_pin_guesses);
  add ("/server/attacks/password-change-guesses", NULL, test_password_change_guesses);
  add ("/server/attacks/parallel-reauth-guesses", &interactive, test_parallel_reauth_guesses);
  add ("/server/attacks/reset-same-work", NULL, test_reset_same_work);
  add ("/server/attacks/lock-table-bounded", NULL, test_lock_table_bounded);
  add ("/server/attacks/rate-limit-flood", &six_a_minute, test_rate_limit_flood);
  add ("/server/attacks/rate-limit-front-bounded", &one_a_minute,
       test_rate_limit_front_bounded);
  return g_test_run ();
}
