/* test-server-api.c: every endpoint of docs/openapi.yaml over real HTTP against the
 * in-process server.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-server-api"

#include "config.h"

#include <string.h>

#include "cm-challenge-words-private.h"
#include "cm-server-private.h"
#include "server-test-util.h"

#define USER "smithj1234"
#define USER_B "smithj5678"
#define USER_C "smithj9012"
#define PASSWORD "Tr4ffic-Lights!"
#define LOOKUP_Z123456 "{\"account_type\":\"mechanic\",\"account_number\":\"Z123456\",\"zip\":\"48909\"}"

typedef void (*FixtureFunc) (ServerFixture *, gconstpointer);

static void
add (const char  *path,
     FixtureFunc  func)
{
  g_test_add (path, ServerFixture, NULL, server_fixture_setup, func, server_fixture_teardown);
}

static char *
signed_in (ServerFixture *f)
{
  server_sign_up (f, USER, PASSWORD);
  return server_sign_in (f, USER, PASSWORD);
}

static void
expect_error (ServerFixture *f,
              const char    *method,
              const char    *path,
              const char    *token,
              const char    *body,
              guint          status,
              const char    *code)
{
  g_autoptr(Reply) reply = server_call (f, method, path, token, body);

  if (reply->status != status)
    g_test_message ("%s %s: %.*s", method, path, (int) g_bytes_get_size (reply->body),
                    (const char *) g_bytes_get_data (reply->body, NULL));
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (reply_error_code (reply), ==, code);
}

/* ---- health, challenge, user ids ---- */

static void
test_health (ServerFixture *f,
             gconstpointer  data)
{
  g_autoptr(Reply) reply = server_call (f, "GET", "/api/v1/health", NULL, NULL);

  g_assert_cmpuint (reply->status, ==, 200);
  assert_shape (reply_object (reply), "status:s version:s");
  g_assert_cmpstr (json_object_get_string_member (reply_object (reply), "status"), ==, "ok");
}

static void
test_challenge (ServerFixture *f,
                gconstpointer  data)
{
  g_autofree char *answer1 = NULL;
  g_autofree char *answer2 = NULL;
  g_autofree char *id1 = server_solve_challenge (f, &answer1);
  g_autofree char *id2 = server_solve_challenge (f, &answer2);

  g_assert_cmpstr (id1, !=, id2);
}

/* GET challenge with an Accept-Language header (none when NULL); checks the shape and that the
 * letter is one character that exactly one word holds. Returns the challenge id. */
static char *
get_challenge (ServerFixture  *f,
               const char     *accept_language,
               GStrv          *words_out,
               char          **answer_out)
{
  g_autofree char *url = g_strconcat (f->base, "/api/v1/milogin/challenge", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  JsonObject *object;
  JsonArray *array;
  const char *letter;
  gunichar c;
  char *answer = NULL;

  if (accept_language != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language",
                                  accept_language);
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             g_bytes_get_size (body), &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  assert_shape (object, "challenge_id:s question:s words:a letter:s");

  letter = json_object_get_string_member (object, "letter");
  g_assert_true (g_utf8_validate (letter, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (letter, -1), ==, 1);
  c = g_utf8_get_char (letter);
  g_assert_nonnull (strstr (json_object_get_string_member (object, "question"), letter));

  array = json_object_get_array_member (object, "words");
  g_assert_cmpuint (json_array_get_length (array), ==, CM_CHALLENGE_N_WORDS);
  for (guint i = 0; i < CM_CHALLENGE_N_WORDS; i++)
    {
      const char *word = json_array_get_string_element (array, i);

      g_strv_builder_add (words, word);
      /* As characters: a byte of a two-byte Arabic letter must not count. */
      if (g_utf8_strchr (word, -1, c) != NULL)
        {
          g_assert_null (answer);
          answer = g_strdup (word);
        }
    }
  g_assert_nonnull (answer);

  *words_out = g_strv_builder_end (words);
  *answer_out = answer;
  return g_strdup (json_object_get_string_member (object, "challenge_id"));
}

static const CmChallengeWords *
find_list (const char *language)
{
  guint n_lists;
  const CmChallengeWords *lists = cm_challenge_words_get_all (&n_lists);

  for (guint i = 0; i < n_lists; i++)
    {
      if (strcmp (lists[i].language, language) == 0)
        return &lists[i];
    }
  g_assert_not_reached ();
}

static gboolean
list_has (const CmChallengeWords *list,
          const char             *word)
{
  for (guint i = 0; i < list->n_words; i++)
    {
      if (strcmp (list->words[i], word) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_challenge_language (ServerFixture *f,
                         gconstpointer  data)
{
  const struct {
    const char *accept_language;  /* NULL: no header */
    const char *language;
  } cases[] = {
    { "es-MX,es;q=0.9", "es" },
    { "ar", "ar" },
    { "ar-EG, ar;q=0.9, en;q=0.8", "ar" },
    { "fr", "en" },
    { NULL, "en" },
    { "en-US,en;q=0.9", "en" },
    /* By q, not by order; q=0 means "not this one". */
    { "fr;q=1, ar;q=0.5, es;q=0.8", "es" },
    { "es;q=0, ar", "ar" },
    { "ES_mx", "es" },
    { "*", "en" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const CmChallengeWords *list = find_list (cases[i].language);

      /* The words and the letter are random: a few rounds each. */
      for (guint round = 0; round < 5; round++)
        {
          g_auto(GStrv) words = NULL;
          g_autofree char *answer = NULL;
          g_autofree char *id = get_challenge (f, cases[i].accept_language, &words, &answer);

          g_assert_true (id != NULL && *id != '\0');
          for (guint w = 0; words[w] != NULL; w++)
            {
              if (!list_has (list, words[w]))
                g_test_message ("%s: “%s” is not in the %s list",
                                cases[i].accept_language, words[w], list->language);
              g_assert_true (list_has (list, words[w]));
            }
        }
    }
}

/* Every list: enough distinct, lower-case, NFC words without spaces or diacritics. */
static void
test_challenge_word_lists (void)
{
  guint n_lists;
  const CmChallengeWords *lists = cm_challenge_words_get_all (&n_lists);

  g_assert_cmpuint (n_lists, ==, 3);
  g_assert_cmpstr (lists[0].language, ==, "en");
  for (guint l = 0; l < n_lists; l++)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      g_assert_cmpuint (lists[l].n_words, >=, 40);
      for (guint i = 0; i < lists[l].n_words; i++)
        {
          const char *word = lists[l].words[i];
          g_autofree char *nfc = NULL;
          g_autofree char *folded = NULL;

          g_assert_true (g_utf8_validate (word, -1, NULL));
          nfc = g_utf8_normalize (word, -1, G_NORMALIZE_NFC);
          folded = g_utf8_casefold (word, -1);
          g_assert_cmpstr (nfc, ==, word);
          g_assert_cmpstr (folded, ==, word);
          g_assert_true (g_hash_table_add (seen, (gpointer) word));
          for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
            {
              gunichar c = g_utf8_get_char (p);

              g_assert_true (g_unichar_isalpha (c));
              g_assert_false (g_unichar_ismark (c));
              if (strcmp (lists[l].language, "ar") != 0)
                g_assert_true (c >= 'a' && c <= 'z');
              else
                g_assert_cmpint (g_unichar_get_script (c), ==, G_UNICODE_SCRIPT_ARABIC);
            }
        }
    }
}

static void
test_user_ids (ServerFixture *f,
               gconstpointer  data)
{
  g_autoptr(Reply) free_id = server_call (f, "GET", "/api/v1/milogin/user-ids/smithj1234",
                                          NULL, NULL);
  g_autoptr(Reply) taken = NULL;

  g_assert_cmpuint (free_id->status, ==, 200);
  assert_shape (reply_object (free_id), "user_id:s available:b");
  g_assert_true (json_object_get_boolean_member (reply_object (free_id), "available"));

  server_sign_up (f, USER, PASSWORD);
  taken = server_call (f, "GET", "/api/v1/milogin/user-ids/smithj1234", NULL, NULL);
  g_assert_cmpuint (taken->status, ==, 200);
  g_assert_false (json_object_get_boolean_member (reply_object (taken), "available"));

  expect_error (f, "GET", "/api/v1/milogin/user-ids/smith%20j1234", NULL, NULL, 422,
                "invalid_user_id");
  expect_error (f, "GET", "/api/v1/milogin/user-ids/%20", NULL, NULL, 400, "missing_field");
}

/* ---- sign up ---- */

static void
test_sign_up_errors (ServerFixture *f,
                     gconstpointer  data)
{
  g_autofree char *answer = NULL;
  g_autofree char *id = server_solve_challenge (f, &answer);
  struct {
    const char *user_id, *password, *confirm;
    gboolean terms;
    guint status;
    const char *code;
  } cases[] = {
    { USER, PASSWORD, PASSWORD, FALSE, 403, "terms_not_accepted" },
    { "jonesj1234", PASSWORD, PASSWORD, TRUE, 422, "invalid_user_id" },
    { USER, "short1!", "short1!", TRUE, 422, "weak_password" },
    { USER, "Password1!", "Password1!", TRUE, 422, "weak_password" },
    { USER, PASSWORD, "Tr4ffic-Lights?", TRUE, 422, "password_mismatch" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = sign_up_body (id, answer, cases[i].user_id, cases[i].password,
                                            cases[i].confirm, cases[i].terms);

      expect_error (f, "POST", "/api/v1/milogin/users", NULL, body, cases[i].status,
                    cases[i].code);
    }

  /* The details name the rules: the zxcvbn one for a guessable password. */
  {
    g_autofree char *body = sign_up_body (id, answer, USER, "Password1!", "Password1!", TRUE);
    g_autoptr(Reply) reply = server_call (f, "POST", "/api/v1/milogin/users", NULL, body);
    JsonObject *error = json_object_get_object_member (reply_object (reply), "error");
    JsonArray *details = json_object_get_array_member (error, "details");
    gboolean common = FALSE;

    g_assert_cmpstr (json_object_get_string_member (error, "field"), ==, "password");
    for (guint i = 0; i < json_array_get_length (details); i++)
      common |= g_strcmp0 (json_array_get_string_element (details, i), "common_password") == 0;
    g_assert_true (common);
  }

  /* Missing and mistyped members. */
  expect_error (f, "POST", "/api/v1/milogin/users", NULL, "{}", 400, "missing_field");
  expect_error (f, "POST", "/api/v1/milogin/users", NULL,
                "{\"profile\":[],\"challenge\":{}}", 400, "invalid_field");
  {
    g_autofree char *body = sign_up_body (id, answer, USER, PASSWORD, PASSWORD, TRUE);
    char *mismatch = strstr (body, "\"email_confirm\":\"john");

    g_assert_nonnull (mismatch);
    memcpy (mismatch + strlen ("\"email_confirm\":\""), "jane", 4);
    expect_error (f, "POST", "/api/v1/milogin/users", NULL, body, 422, "email_mismatch");
  }

  /* Validation failures did not spend the challenge: it still works. */
  {
    g_autofree char *body = sign_up_body (id, answer, USER, PASSWORD, PASSWORD, TRUE);
    g_autoptr(Reply) reply = server_call (f, "POST", "/api/v1/milogin/users", NULL, body);

    g_assert_cmpuint (reply->status, ==, 201);
    /* ... but only once. */
    expect_error (f, "POST", "/api/v1/milogin/users", NULL, body, 403, "challenge_failed");
  }

  /* Taken User ID (fresh challenge). */
  {
    g_autofree char *answer2 = NULL;
    g_autofree char *id2 = server_solve_challenge (f, &answer2);
    g_autofree char *body = sign_up_body (id2, answer2, "SMITHJ1234", PASSWORD, PASSWORD, TRUE);

    expect_error (f, "POST", "/api/v1/milogin/users", NULL, body, 409, "user_id_taken");
  }
}

static void
test_sign_up_challenge (ServerFixture *f,
                        gconstpointer  data)
{
  g_autofree char *answer = NULL;
  g_autofree char *id = server_solve_challenge (f, &answer);
  g_autofree char *wrong = sign_up_body (id, "nothing", USER, PASSWORD, PASSWORD, TRUE);
  g_autofree char *right = sign_up_body (id, answer, USER, PASSWORD, PASSWORD, TRUE);
  g_autofree char *unknown = sign_up_body ("0123", answer, USER, PASSWORD, PASSWORD, TRUE);
  g_autofree char *answer2 = NULL;
  g_autofree char *id2 = server_solve_challenge (f, &answer2);
  g_autofree char *late = sign_up_body (id2, answer2, USER, PASSWORD, PASSWORD, TRUE);

  expect_error (f, "POST", "/api/v1/milogin/users", NULL, wrong, 403, "challenge_failed");
  /* A wrong answer spends the challenge: the right one no longer helps. */
  expect_error (f, "POST", "/api/v1/milogin/users", NULL, right, 403, "challenge_failed");
  expect_error (f, "POST", "/api/v1/milogin/users", NULL, unknown, 403, "challenge_failed");
  /* Challenges expire. */
  cm_server_advance_clock (f->server, 16 * 60);
  expect_error (f, "POST", "/api/v1/milogin/users", NULL, late, 403, "challenge_failed");
}

/* The answer check works on UTF-8 words: Arabic, sent as is and decomposed. */
static void
test_sign_up_challenge_arabic (ServerFixture *f,
                               gconstpointer  data)
{
  g_auto(GStrv) words = NULL;
  g_auto(GStrv) words2 = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *answer2 = NULL;
  g_autofree char *id = get_challenge (f, "ar", &words, &answer);
  g_autofree char *id2 = get_challenge (f, "ar", &words2, &answer2);
  g_autofree char *decomposed = g_utf8_normalize (answer2, -1, G_NORMALIZE_NFD);
  const char *other = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *right = NULL;
  g_autoptr(Reply) reply = NULL;

  for (guint i = 0; words[i] != NULL && other == NULL; i++)
    {
      if (strcmp (words[i], answer) != 0)
        other = words[i];
    }
  wrong = sign_up_body (id, other, USER, PASSWORD, PASSWORD, TRUE);
  expect_error (f, "POST", "/api/v1/milogin/users", NULL, wrong, 403, "challenge_failed");

  right = sign_up_body (id2, decomposed, USER, PASSWORD, PASSWORD, TRUE);
  reply = server_call (f, "POST", "/api/v1/milogin/users", NULL, right);
  g_assert_cmpuint (reply->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (reply_object (reply), "user_id"), ==, USER);
}

/* ---- sessions ---- */

static void
test_sign_in (ServerFixture *f,
              gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autoptr(Reply) current = server_call (f, "GET", "/api/v1/milogin/sessions/current", token,
                                          NULL);
  JsonObject *user;

  g_assert_cmpuint (current->status, ==, 200);
  assert_shape (reply_object (current), "user:o expires_at:s");
  user = json_object_get_object_member (reply_object (current), "user");
  assert_shape (user, "user_id:s first_name:s last_name:s email_masked:s?");
  g_assert_cmpstr (json_object_get_string_member (user, "user_id"), ==, USER);
  g_assert_cmpstr (json_object_get_string_member (user, "email_masked"), ==,
                   "J************H@EXAMPLE.COM");

  expect_error (f, "POST", "/api/v1/milogin/sessions", NULL,
                "{\"user_id\":\"smithj1234\",\"password\":\"Wrong-Pass1\"}", 401,
                "invalid_credentials");
  expect_error (f, "POST", "/api/v1/milogin/sessions", NULL,
                "{\"user_id\":\"nobodyx0000\",\"password\":\"Wrong-Pass1\"}", 401,
                "invalid_credentials");
  expect_error (f, "POST", "/api/v1/milogin/sessions", NULL, "{\"user_id\":\"smithj1234\"}",
                400, "missing_field");
  expect_error (f, "POST", "/api/v1/milogin/sessions", NULL,
                "{\"user_id\":\"smithj1234\",\"password\":7}", 400, "invalid_field");
  expect_error (f, "GET", "/api/v1/milogin/sessions/current", NULL, NULL, 401,
                "session_expired");
  expect_error (f, "GET", "/api/v1/milogin/sessions/current", "not-a-token", NULL, 401,
                "session_expired");
}

static void
test_sign_in_same_message (ServerFixture *f,
                           gconstpointer  data)
{
  g_autoptr(Reply) known = NULL;
  g_autoptr(Reply) unknown = NULL;

  server_sign_up (f, USER, PASSWORD);
  known = server_call (f, "POST", "/api/v1/milogin/sessions", NULL,
                       "{\"user_id\":\"smithj1234\",\"password\":\"Wrong-Pass1\"}");
  unknown = server_call (f, "POST", "/api/v1/milogin/sessions", NULL,
                         "{\"user_id\":\"jonesj1234\",\"password\":\"Wrong-Pass1\"}");
  g_assert_true (g_bytes_equal (known->body, unknown->body));
}

static void
test_lockout (ServerFixture *f,
              gconstpointer  data)
{
  const char *wrong = "{\"user_id\":\"smithj1234\",\"password\":\"Wrong-Pass1\"}";
  const char *right = "{\"user_id\":\"SmithJ1234\",\"password\":\"" PASSWORD "\"}";
  g_autoptr(Reply) locked = NULL;
  g_autoptr(Reply) after = NULL;
  JsonObject *error;

  server_sign_up (f, USER, PASSWORD);
  for (guint i = 0; i < 2; i++)
    expect_error (f, "POST", "/api/v1/milogin/sessions", NULL, wrong, 401,
                  "invalid_credentials");
  /* The third failure locks, and says so at once. */
  expect_error (f, "POST", "/api/v1/milogin/sessions", NULL, wrong, 423, "account_locked");

  /* Locked, even with the right password, for 30 minutes. */
  locked = server_call (f, "POST", "/api/v1/milogin/sessions", NULL, right);
  g_assert_cmpuint (locked->status, ==, 423);
  g_assert_cmpstr (reply_error_code (locked), ==, "account_locked");
  error = json_object_get_object_member (reply_object (locked), "error");
  g_assert_cmpint (json_object_get_int_member (error, "retry_after"), >, 29 * 60);
  g_assert_cmpint (json_object_get_int_member (error, "retry_after"), <=, 30 * 60);

  cm_server_advance_clock (f->server, 29 * 60);
  expect_error (f, "POST", "/api/v1/milogin/sessions", NULL, right, 423, "account_locked");
  cm_server_advance_clock (f->server, 2 * 60);
  after = server_call (f, "POST", "/api/v1/milogin/sessions", NULL, right);
  g_assert_cmpuint (after->status, ==, 201);

  /* Unknown User IDs lock the same way. */
  for (guint i = 0; i < 2; i++)
    expect_error (f, "POST", "/api/v1/milogin/sessions", NULL,
                  "{\"user_id\":\"ghostg0000\",\"password\":\"Wrong-Pass1\"}", 401,
                  "invalid_credentials");
  expect_error (f, "POST", "/api/v1/milogin/sessions", NULL,
                "{\"user_id\":\"ghostg0000\",\"password\":\"Wrong-Pass1\"}", 423,
                "account_locked");
}

static void
test_session_expiry (ServerFixture *f,
                     gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autofree char *remembered = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(Reply) sign_in = NULL;

  /* Idle: 30 minutes. */
  cm_server_advance_clock (f->server, 20 * 60);
  {
    g_autoptr(Reply) r = server_call (f, "GET", "/api/v1/milogin/sessions/current", token, NULL);
    g_assert_cmpuint (r->status, ==, 200);
  }
  cm_server_advance_clock (f->server, 31 * 60);
  expect_error (f, "GET", "/api/v1/milogin/sessions/current", token, NULL, 401,
                "session_expired");

  /* Absolute: 12 hours however busy. */
  kept = server_sign_in (f, USER, PASSWORD);
  for (guint i = 0; i < 35; i++)
    {
      g_autoptr(Reply) r = NULL;

      cm_server_advance_clock (f->server, 20 * 60);
      r = server_call (f, "GET", "/api/v1/cars/accounts", kept, NULL);
      g_assert_cmpuint (r->status, ==, 200);
    }
  cm_server_advance_clock (f->server, 20 * 60);
  expect_error (f, "GET", "/api/v1/cars/accounts", kept, NULL, 401, "session_expired");

  /* Remember: 7 days idle. */
  sign_in = server_call (f, "POST", "/api/v1/milogin/sessions", NULL,
                         "{\"user_id\":\"smithj1234\",\"password\":\"" PASSWORD "\","
                         "\"remember\":true}");
  g_assert_cmpuint (sign_in->status, ==, 201);
  remembered = g_strdup (json_object_get_string_member (reply_object (sign_in), "token"));
  cm_server_advance_clock (f->server, 6 * 24 * 3600);
  {
    g_autoptr(Reply) r = server_call (f, "GET", "/api/v1/milogin/sessions/current", remembered,
                                      NULL);
    g_assert_cmpuint (r->status, ==, 200);
  }
  cm_server_advance_clock (f->server, 8 * 24 * 3600);
  expect_error (f, "GET", "/api/v1/milogin/sessions/current", remembered, NULL, 401,
                "session_expired");
}

static void
test_sign_out (ServerFixture *f,
               gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autoptr(Reply) out = server_call (f, "DELETE", "/api/v1/milogin/sessions/current", token,
                                      NULL);

  g_assert_cmpuint (out->status, ==, 204);
  g_assert_cmpuint (g_bytes_get_size (out->body), ==, 0);
  expect_error (f, "GET", "/api/v1/milogin/sessions/current", token, NULL, 401,
                "session_expired");
  expect_error (f, "DELETE", "/api/v1/milogin/sessions/current", token, NULL, 401,
                "session_expired");
}

/* ---- passwords ---- */

static void
test_change_password (ServerFixture *f,
                      gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autofree char *other = server_sign_in (f, USER, PASSWORD);
  const char *passwords[] = { "Second-Gear22", "Third-Gear333", "Fourth-Gear4444" };
  g_autofree char *fresh = NULL;
  char body[512];

  expect_error (f, "PUT", "/api/v1/milogin/password", token,
                "{\"current_password\":\"Wrong-Pass1\",\"new_password\":\"Second-Gear22\","
                "\"new_password_confirm\":\"Second-Gear22\"}", 401, "invalid_credentials");
  expect_error (f, "PUT", "/api/v1/milogin/password", token,
                "{\"current_password\":\"" PASSWORD "\",\"new_password\":\"abc\","
                "\"new_password_confirm\":\"abc\"}", 422, "weak_password");
  expect_error (f, "PUT", "/api/v1/milogin/password", token,
                "{\"current_password\":\"" PASSWORD "\",\"new_password\":\"Smithj1234-xyz!\","
                "\"new_password_confirm\":\"Smithj1234-xyz!\"}", 422, "weak_password");
  expect_error (f, "PUT", "/api/v1/milogin/password", token,
                "{\"current_password\":\"" PASSWORD "\",\"new_password\":\"Second-Gear22\","
                "\"new_password_confirm\":\"Second-Gear23\"}", 422, "password_mismatch");
  expect_error (f, "PUT", "/api/v1/milogin/password", token,
                "{\"current_password\":\"" PASSWORD "\",\"new_password\":\"" PASSWORD "\","
                "\"new_password_confirm\":\"" PASSWORD "\"}", 409, "password_reused");
  expect_error (f, "PUT", "/api/v1/milogin/password", NULL, "{}", 401, "session_expired");

  /* Three changes; the first password is then out of the history of 3 and usable again. */
  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      g_autoptr(Reply) r = NULL;

      g_snprintf (body, sizeof body, "{\"current_password\":\"%s\",\"new_password\":\"%s\","
                  "\"new_password_confirm\":\"%s\"}", i == 0 ? PASSWORD : passwords[i - 1],
                  passwords[i], passwords[i]);
      r = server_call (f, "PUT", "/api/v1/milogin/password", token, body);
      g_assert_cmpuint (r->status, ==, 204);
    }
  /* Second-Gear22 is one of the last 3. */
  g_snprintf (body, sizeof body, "{\"current_password\":\"Fourth-Gear4444\","
              "\"new_password\":\"Second-Gear22\",\"new_password_confirm\":\"Second-Gear22\"}");
  expect_error (f, "PUT", "/api/v1/milogin/password", token, body, 409, "password_reused");
  g_snprintf (body, sizeof body, "{\"current_password\":\"Fourth-Gear4444\","
              "\"new_password\":\"" PASSWORD "\",\"new_password_confirm\":\"" PASSWORD "\"}");
  {
    g_autoptr(Reply) r = server_call (f, "PUT", "/api/v1/milogin/password", token, body);
    g_assert_cmpuint (r->status, ==, 204);
  }

  /* The other session ended with the change; this one goes on. */
  expect_error (f, "GET", "/api/v1/milogin/sessions/current", other, NULL, 401,
                "session_expired");
  {
    g_autoptr(Reply) r = server_call (f, "GET", "/api/v1/milogin/sessions/current", token, NULL);
    g_assert_cmpuint (r->status, ==, 200);
  }
  fresh = server_sign_in (f, USER, PASSWORD);
  g_assert_nonnull (fresh);
}

/* The slide's rule: not one of the last 3 passwords, the current one among them. */
static void
test_password_last_three (ServerFixture *f,
                          gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  const char *second = "{\"current_password\":\"" PASSWORD "\",\"new_password\":\"Second-Gear22\","
                       "\"new_password_confirm\":\"Second-Gear22\"}";
  const char *third = "{\"current_password\":\"Second-Gear22\",\"new_password\":\"Third-Gear333\","
                      "\"new_password_confirm\":\"Third-Gear333\"}";
  g_autoptr(Reply) r1 = server_call (f, "PUT", "/api/v1/milogin/password", token, second);
  g_autoptr(Reply) r2 = server_call (f, "PUT", "/api/v1/milogin/password", token, third);

  g_assert_cmpuint (r1->status, ==, 204);
  g_assert_cmpuint (r2->status, ==, 204);
  /* The first password is now the third newest: refused, on the new password's field. */
  {
    g_autoptr(Reply) r = server_call (f, "PUT", "/api/v1/milogin/password", token,
                                      "{\"current_password\":\"Third-Gear333\","
                                      "\"new_password\":\"" PASSWORD "\","
                                      "\"new_password_confirm\":\"" PASSWORD "\"}");
    JsonObject *error = json_object_get_object_member (reply_object (r), "error");

    g_assert_cmpuint (r->status, ==, 409);
    g_assert_cmpstr (reply_error_code (r), ==, "password_reused");
    g_assert_cmpstr (json_object_get_string_member (error, "field"), ==, "new_password");
  }
}

#define PROFILE_PATH "/api/v1/milogin/profile"
#define RECOVERY_PATH "/api/v1/milogin/recovery-options"
#define PROFILE_BODY(current, email, confirm, mobile) \
  "{\"current_password\":\"" current "\",\"first_name\":\"Johnny\",\"last_name\":\"Smith\"," \
  "\"email\":\"" email "\",\"email_confirm\":\"" confirm "\",\"work_phone\":\"(517) 555-0199\"," \
  "\"mobile_phone\":\"" mobile "\"}"

static JsonObject *
get_profile (ServerFixture *f,
             const char    *token,
             Reply        **reply)
{
  *reply = server_call (f, "GET", PROFILE_PATH, token, NULL);
  g_assert_cmpuint ((*reply)->status, ==, 200);
  assert_shape (reply_object (*reply), "user_id:s first_name:s last_name:s email:s work_phone:s "
                "mobile_phone:s recovery:o");
  return reply_object (*reply);
}

static void
test_profile (ServerFixture *f,
              gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autoptr(Reply) before = NULL;
  g_autoptr(Reply) after = NULL;
  g_autoptr(Reply) changed = NULL;
  JsonObject *profile = get_profile (f, token, &before);
  JsonObject *recovery = json_object_get_object_member (profile, "recovery");

  g_assert_cmpstr (json_object_get_string_member (profile, "email"), ==, "john.smith@example.com");
  g_assert_cmpstr (json_object_get_string_member (profile, "mobile_phone"), ==, "5175550101");
  g_assert_true (json_object_get_boolean_member (recovery, "email"));
  g_assert_true (json_object_get_boolean_member (recovery, "text"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (recovery, "questions")),
                    ==, 1);

  /* Auth required; bad input refused on its field before any password is checked. */
  expect_error (f, "GET", PROFILE_PATH, NULL, NULL, 401, "session_expired");
  expect_error (f, "PUT", PROFILE_PATH, NULL,
                PROFILE_BODY (PASSWORD, "j@example.com", "j@example.com", ""), 401,
                "session_expired");
  expect_error (f, "PUT", PROFILE_PATH, token,
                PROFILE_BODY (PASSWORD, "j@example", "j@example", ""), 400, "invalid_field");
  expect_error (f, "PUT", PROFILE_PATH, token,
                PROFILE_BODY (PASSWORD, "j@example.com", "k@example.com", ""), 422,
                "email_mismatch");
  expect_error (f, "PUT", PROFILE_PATH, token, "{\"first_name\":\"John\"}", 400, "missing_field");
  /* A PIN by text is on: the mobile number cannot go. */
  expect_error (f, "PUT", PROFILE_PATH, token,
                PROFILE_BODY (PASSWORD, "j@example.com", "j@example.com", ""), 400,
                "missing_field");
  /* The current password asked again, counted like a sign-in. */
  expect_error (f, "PUT", PROFILE_PATH, token,
                PROFILE_BODY ("Wrong-Pass1", "j@example.com", "J@Example.com", "517 555 0102"),
                401, "invalid_credentials");

  changed = server_call (f, "PUT", PROFILE_PATH, token,
                         PROFILE_BODY (PASSWORD, "j@Example.COM", "J@example.com",
                                       "517 555 0102"));
  g_assert_cmpuint (changed->status, ==, 200);
  profile = get_profile (f, token, &after);
  g_assert_cmpstr (json_object_get_string_member (profile, "first_name"), ==, "Johnny");
  g_assert_cmpstr (json_object_get_string_member (profile, "email"), ==, "j@example.com");
  g_assert_cmpstr (json_object_get_string_member (profile, "work_phone"), ==, "5175550199");
  g_assert_cmpstr (json_object_get_string_member (profile, "mobile_phone"), ==, "5175550102");
  g_assert_true (json_object_equal (profile, reply_object (changed)));

  /* The old address hears that the email moved, and where to. */
  {
    g_autofree char *notice = outbox_newest (f->outbox, "email", NULL);

    g_assert_nonnull (notice);
    g_assert_nonnull (strstr (notice, "To: john.smith@example.com\r\n"));
    g_assert_nonnull (strstr (notice, "j@example.com"));
  }
}

/* A profile change and a recovery change at once: each is checked against the password
 * (off the main loop) from the same moment, and each writes only its own part, on the
 * user as it is then: neither takes the other back. */
static void
test_profile_and_recovery_at_once (ServerFixture *f,
                                   gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  const char *profile_body[] = {
    PROFILE_BODY (PASSWORD, "john.smith@example.com", "john.smith@example.com",
                  "517 555 0101"), NULL };
  const char *recovery_body[] = {
    "{\"current_password\":\"" PASSWORD "\",\"email\":true,\"text\":false}", NULL };
  ParallelCalls *profile_call, *recovery_call;
  ParallelReply replies[2];
  g_autoptr(Reply) after = NULL;
  JsonObject *profile;

  profile_call = server_send_parallel_as (f, "PUT", PROFILE_PATH, token, profile_body);
  recovery_call = server_send_parallel_as (f, "PUT", RECOVERY_PATH, token, recovery_body);
  parallel_finish (profile_call, &replies[0]);
  parallel_finish (recovery_call, &replies[1]);
  g_assert_cmpuint (replies[0].status, ==, 200);
  g_assert_cmpuint (replies[1].status, ==, 200);

  profile = get_profile (f, token, &after);
  g_assert_cmpstr (json_object_get_string_member (profile, "first_name"), ==, "Johnny");
  g_assert_false (json_object_get_boolean_member (
                    json_object_get_object_member (profile, "recovery"), "text"));
}

/* @body with its recovery options replaced by @recovery (NULL: none sent). */
static char *
with_recovery (const char *body,
               const char *recovery)
{
  const char *start = strstr (body, ",\"recovery\":");
  g_autoptr(GString) changed = NULL;

  g_assert_nonnull (start);
  changed = g_string_new_len (body, start - body);
  if (recovery != NULL)
    g_string_append_printf (changed, ",\"recovery\":%s", recovery);
  g_string_append_c (changed, '}');
  return g_string_free (g_steal_pointer (&changed), FALSE);
}

static void
expect_field_error (ServerFixture *f,
                    const char    *body,
                    const char    *field)
{
  g_autoptr(Reply) reply = server_call (f, "POST", "/api/v1/milogin/users", NULL, body);
  JsonObject *error = json_object_get_object_member (reply_object (reply), "error");

  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "missing_field");
  g_assert_cmpstr (json_object_get_string_member (error, "field"), ==, field);
}

/* Sign-up keeps the rule of the account settings (PUT recovery-options): at least one
 * recovery option, and a PIN by text only with a mobile number; the same error code. */
static void
test_sign_up_recovery_options (ServerFixture *f,
                               gconstpointer  data)
{
  g_autofree char *answer = NULL;
  g_autofree char *id = server_solve_challenge (f, &answer);
  g_autofree char *body = sign_up_body (id, answer, USER, PASSWORD, PASSWORD, TRUE);
  g_autofree char *none = with_recovery (body, "{\"email\":false,\"text\":false,"
                                               "\"questions\":[]}");
  g_autofree char *absent = with_recovery (body, NULL);
  g_autofree char *text_only = with_recovery (body, "{\"text\":true}");
  g_autofree char *questions_only = with_recovery (body, "{\"questions\":[{\"question\":"
                                                         "\"First car?\",\"answer\":\"Ford\"}]}");
  g_autoptr(GString) no_mobile = g_string_new (text_only);
  g_autoptr(Reply) created = NULL;

  expect_field_error (f, none, "recovery");
  expect_field_error (f, absent, "recovery");
  g_assert_cmpuint (g_string_replace (no_mobile, "\"mobile_phone\":\"517-555-0101\"",
                                      "\"mobile_phone\":\"\"", 1), ==, 1);
  expect_field_error (f, no_mobile->str, "mobile_phone");

  /* Refused, the challenge was not spent: one option (questions alone) is enough. */
  created = server_call (f, "POST", "/api/v1/milogin/users", NULL, questions_only);
  g_assert_cmpuint (created->status, ==, 201);
}

static void
test_recovery_options (ServerFixture *f,
                       gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autoptr(Reply) changed = NULL;
  g_autoptr(Reply) after = NULL;
  JsonObject *recovery;

  expect_error (f, "PUT", RECOVERY_PATH, NULL, "{\"current_password\":\"" PASSWORD "\","
                "\"email\":true,\"text\":false}", 401, "session_expired");
  expect_error (f, "PUT", RECOVERY_PATH, token, "{\"current_password\":\"" PASSWORD "\","
                "\"email\":\"yes\",\"text\":false}", 400, "invalid_field");
  /* At least one stays: none left is refused, and so is an empty question. */
  expect_error (f, "PUT", RECOVERY_PATH, token, "{\"current_password\":\"" PASSWORD "\","
                "\"email\":false,\"text\":false,\"questions\":[]}", 400, "missing_field");
  expect_error (f, "PUT", RECOVERY_PATH, token, "{\"current_password\":\"" PASSWORD "\","
                "\"email\":false,\"text\":false,\"questions\":[{\"question\":\"Pet?\","
                "\"answer\":\" \"}]}", 400, "invalid_field");
  /* The same question twice is refused, as the app refuses it (cm_validate_security_questions). */
  expect_error (f, "PUT", RECOVERY_PATH, token, "{\"current_password\":\"" PASSWORD "\","
                "\"email\":false,\"text\":false,\"questions\":[{\"question\":\"Pet?\","
                "\"answer\":\"Rex\"},{\"question\":\"Pet?\",\"answer\":\"Max\"}]}", 400,
                "invalid_field");
  expect_error (f, "PUT", RECOVERY_PATH, token, "{\"current_password\":\"Wrong-Pass1\","
                "\"email\":true,\"text\":false}", 401, "invalid_credentials");

  /* Questions kept when not sent: email off, text off, the one question stays. */
  changed = server_call (f, "PUT", RECOVERY_PATH, token, "{\"current_password\":\"" PASSWORD
                         "\",\"email\":false,\"text\":false}");
  g_assert_cmpuint (changed->status, ==, 200);
  recovery = json_object_get_object_member (reply_object (changed), "recovery");
  g_assert_false (json_object_get_boolean_member (recovery, "email"));
  g_assert_false (json_object_get_boolean_member (recovery, "text"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (recovery, "questions")),
                    ==, 1);
  /* Replaced: the new question is what a reset would ask. */
  {
    g_autoptr(Reply) r = server_call (f, "PUT", RECOVERY_PATH, token,
                                      "{\"current_password\":\"" PASSWORD "\",\"email\":true,"
                                      "\"text\":false,\"questions\":[{\"question\":\"First pet?\","
                                      "\"answer\":\"Rex\"}]}");
    g_assert_cmpuint (r->status, ==, 200);
  }
  recovery = json_object_get_object_member (get_profile (f, token, &after), "recovery");
  g_assert_true (json_object_get_boolean_member (recovery, "email"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (recovery, "questions")),
                    ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (recovery,
                                                                                "questions"), 0),
                   ==, "First pet?");
}

static void
test_password_reset (ServerFixture *f,
                     gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autofree char *mail = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *sms = NULL;
  g_autofree char *sms_pin = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *body = NULL;
  guint count;

  /* Unknown users get the same 202 and nothing is sent. */
  {
    g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/milogin/password-resets", NULL,
                                      "{\"user_id\":\"ghostg0000\",\"method\":\"email\"}");
    g_assert_cmpuint (r->status, ==, 202);
    g_assert_null (outbox_newest (f->outbox, "email", &count));
  }
  expect_error (f, "POST", "/api/v1/milogin/password-resets", NULL,
                "{\"user_id\":\"smithj1234\",\"method\":\"pigeon\"}", 400, "invalid_field");
  expect_error (f, "POST", "/api/v1/milogin/password-resets", NULL, "{\"method\":\"email\"}",
                400, "missing_field");

  /* By text: an "sms" file in the outbox. */
  {
    g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/milogin/password-resets", NULL,
                                      "{\"user_id\":\"smithj1234\",\"method\":\"text\"}");
    g_assert_cmpuint (r->status, ==, 202);
  }
  sms = outbox_newest (f->outbox, "sms", NULL);
  g_assert_nonnull (sms);
  sms_pin = find_pin (sms);
  g_assert_nonnull (sms_pin);

  /* By email: a newer PIN voids the texted one. */
  {
    g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/milogin/password-resets", NULL,
                                      "{\"user_id\":\"smithj1234\",\"method\":\"email\"}");
    g_assert_cmpuint (r->status, ==, 202);
  }
  mail = outbox_newest (f->outbox, "email", &count);
  g_assert_nonnull (mail);
  g_assert_cmpuint (count, ==, 1);
  g_assert_nonnull (strstr (mail, "To: john.smith@example.com\r\n"));
  pin = find_pin (mail);
  g_assert_nonnull (pin);

  if (g_strcmp0 (sms_pin, pin) != 0)
    {
      body = g_strdup_printf ("{\"user_id\":\"smithj1234\",\"pin\":\"%s\","
                              "\"new_password\":\"Brand-New-Pass9\","
                              "\"new_password_confirm\":\"Brand-New-Pass9\"}", sms_pin);
      expect_error (f, "POST", "/api/v1/milogin/password-resets/confirm", NULL, body, 422,
                    "invalid_code");
      g_clear_pointer (&body, g_free);
    }
  expect_error (f, "POST", "/api/v1/milogin/password-resets/confirm", NULL,
                "{\"user_id\":\"smithj1234\",\"pin\":\"12345\",\"new_password\":\"Brand-New-Pass9\","
                "\"new_password_confirm\":\"Brand-New-Pass9\"}", 422, "invalid_code");
  expect_error (f, "POST", "/api/v1/milogin/password-resets/confirm", NULL,
                "{\"user_id\":\"smithj1234\",\"pin\":\"123456\",\"new_password\":\"Brand-New-Pass9\","
                "\"new_password_confirm\":\"Brand-New-Pass8\"}", 422, "password_mismatch");

  body = g_strdup_printf ("{\"user_id\":\"smithj1234\",\"pin\":\"%s\","
                          "\"new_password\":\"" PASSWORD "\","
                          "\"new_password_confirm\":\"" PASSWORD "\"}", pin);
  expect_error (f, "POST", "/api/v1/milogin/password-resets/confirm", NULL, body, 409,
                "password_reused");
  g_free (body);
  body = g_strdup_printf ("{\"user_id\":\"smithj1234\",\"pin\":\"%s\","
                          "\"new_password\":\"Brand-New-Pass9\","
                          "\"new_password_confirm\":\"Brand-New-Pass9\"}", pin);
  {
    g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/milogin/password-resets/confirm",
                                      NULL, body);
    g_assert_cmpuint (r->status, ==, 204);
  }
  /* Single use; and every session ended. */
  expect_error (f, "POST", "/api/v1/milogin/password-resets/confirm", NULL, body, 422,
                "invalid_code");
  expect_error (f, "GET", "/api/v1/milogin/sessions/current", token, NULL, 401,
                "session_expired");
  fresh = server_sign_in (f, USER, "Brand-New-Pass9");
  g_assert_nonnull (fresh);
}

#define RESET_BODY "{\"user_id\":\"smithj1234\",\"pin\":\"%s\"," \
                   "\"new_password\":\"Brand-New-Pass9\"," \
                   "\"new_password_confirm\":\"Brand-New-Pass9\"}"

/* Asks a reset PIN by email for USER and reads it from the outbox. */
static char *
request_reset_pin (ServerFixture *f)
{
  g_autofree char *mail = NULL;
  char *pin;

  {
    g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/milogin/password-resets", NULL,
                                      "{\"user_id\":\"smithj1234\",\"method\":\"email\"}");
    g_assert_cmpuint (r->status, ==, 202);
  }
  mail = outbox_newest (f->outbox, "email", NULL);
  pin = find_pin (mail);
  g_assert_nonnull (pin);
  return pin;
}

static void
test_password_reset_limits (ServerFixture *f,
                            gconstpointer  data)
{
  g_autofree char *pin = NULL;
  g_autofree char *body = NULL;

  server_sign_up (f, USER, PASSWORD);
  pin = request_reset_pin (f);

  /* Expired after 15 minutes. */
  cm_server_advance_clock (f->server, 16 * 60);
  body = g_strdup_printf (RESET_BODY, pin);
  expect_error (f, "POST", "/api/v1/milogin/password-resets/confirm", NULL, body, 410,
                "code_expired");

  /* Five wrong tries, then locked even with the right PIN. */
  g_free (pin);
  pin = request_reset_pin (f);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *guess = g_strdup_printf ("%06u", (guint) (g_ascii_strtoull (pin, NULL, 10)
                                                                 + 1 + i) % 1000000);
      g_autofree char *b = g_strdup_printf (RESET_BODY, guess);

      expect_error (f, "POST", "/api/v1/milogin/password-resets/confirm", NULL, b, 422,
                    "invalid_code");
    }
  g_free (body);
  body = g_strdup_printf (RESET_BODY, pin);
  expect_error (f, "POST", "/api/v1/milogin/password-resets/confirm", NULL, body, 423,
                "account_locked");
}

/* A successful reset lifts the sign-in lock of its User ID at once: the app
 * drops its countdown on the same news (cm-server-password.c). */
static void
test_password_reset_ends_lockout (ServerFixture *f,
                                  gconstpointer  data)
{
  g_autofree char *pin = NULL;
  g_autofree char *body = NULL;
  g_autofree char *token = NULL;

  server_sign_up (f, USER, PASSWORD);
  for (guint i = 1; i < CM_SERVER_SIGN_IN_MAX_FAILURES; i++)
    expect_error (f, "POST", "/api/v1/milogin/sessions", NULL,
                  "{\"user_id\":\"smithj1234\",\"password\":\"Wrong-Pass1\"}", 401,
                  "invalid_credentials");
  expect_error (f, "POST", "/api/v1/milogin/sessions", NULL,
                "{\"user_id\":\"smithj1234\",\"password\":\"Wrong-Pass1\"}", 423,
                "account_locked");
  body = g_strdup_printf ("{\"user_id\":\"smithj1234\",\"password\":\"%s\"}", PASSWORD);
  expect_error (f, "POST", "/api/v1/milogin/sessions", NULL, body, 423, "account_locked");
  g_clear_pointer (&body, g_free);

  pin = request_reset_pin (f);
  body = g_strdup_printf (RESET_BODY, pin);
  {
    g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/milogin/password-resets/confirm",
                                      NULL, body);
    g_assert_cmpuint (r->status, ==, 204);
  }

  /* No wait for the lock's period: the new password signs in now. */
  token = server_sign_in (f, USER, "Brand-New-Pass9");
  g_assert_nonnull (token);
}

/* ---- CARS ---- */

static void
test_account_types (ServerFixture *f,
                    gconstpointer  data)
{
  g_autoptr(Reply) reply = server_call (f, "GET", "/api/v1/cars/account-types", NULL, NULL);
  JsonArray *types;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (reply->json));
  types = json_node_get_array (reply->json);
  g_assert_cmpuint (json_array_get_length (types), ==, 2);
  for (guint i = 0; i < 2; i++)
    assert_shape (json_array_get_object_element (types, i), "id:s label:s number_label:s");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (types, 0), "id"),
                   ==, "mechanic");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (types, 1), "id"),
                   ==, "mechanic_school");
}

static void
test_lookup (ServerFixture *f,
             gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autoptr(Reply) email = server_call (f, "POST", "/api/v1/cars/account-lookups", token,
                                        LOOKUP_Z123456);
  g_autoptr(Reply) mail = server_call (f, "POST", "/api/v1/cars/account-lookups", token,
                                       "{\"account_type\":\"mechanic\","
                                       "\"account_number\":\"m654321\",\"zip\":\"49503\"}");
  g_autoptr(Reply) wrong_zip = NULL;
  g_autoptr(Reply) unknown = NULL;

  g_assert_cmpuint (email->status, ==, 200);
  assert_shape (reply_object (email), "account_type:s account_number:s email_masked:s? mail_only:b "
                                      "name:s city:s mailing_address_masked:s?");
  g_assert_cmpstr (json_object_get_string_member (reply_object (email), "email_masked"), ==,
                   "E************L@EXAMPLE.COM");
  /* Account Details: the business named, the street masked. */
  g_assert_cmpstr (json_object_get_string_member (reply_object (email), "name"), ==,
                   "Emily Hall");
  g_assert_cmpstr (json_object_get_string_member (reply_object (email), "city"), ==, "Lansing");
  g_assert_cmpstr (json_object_get_string_member (reply_object (email), "mailing_address_masked"),
                   ==, "7*** C****** D*, Lansing, MI 48909");
  g_assert_false (json_object_get_boolean_member (reply_object (email), "mail_only"));

  g_assert_cmpuint (mail->status, ==, 200);
  g_assert_true (json_object_get_null_member (reply_object (mail), "email_masked"));
  g_assert_true (json_object_get_boolean_member (reply_object (mail), "mail_only"));
  g_assert_cmpstr (json_object_get_string_member (reply_object (mail), "account_number"), ==,
                   "M654321");

  /* One answer for a wrong ZIP and an unknown number. */
  wrong_zip = server_call (f, "POST", "/api/v1/cars/account-lookups", token,
                           "{\"account_type\":\"mechanic\",\"account_number\":\"Z123456\","
                           "\"zip\":\"48910\"}");
  unknown = server_call (f, "POST", "/api/v1/cars/account-lookups", token,
                         "{\"account_type\":\"mechanic\",\"account_number\":\"Z999999\","
                         "\"zip\":\"48909\"}");
  g_assert_cmpuint (wrong_zip->status, ==, 404);
  g_assert_cmpstr (reply_error_code (wrong_zip), ==, "no_matching_account");
  g_assert_true (g_bytes_equal (wrong_zip->body, unknown->body));

  expect_error (f, "POST", "/api/v1/cars/account-lookups", token,
                "{\"account_type\":\"plumber\",\"account_number\":\"Z123456\",\"zip\":\"48909\"}",
                400, "invalid_field");
  expect_error (f, "POST", "/api/v1/cars/account-lookups", token,
                "{\"account_type\":\"mechanic\",\"account_number\":\"Z123456\"}", 400,
                "missing_field");
  expect_error (f, "POST", "/api/v1/cars/account-lookups", NULL, LOOKUP_Z123456, 401,
                "session_expired");
}

static char *
request_code (ServerFixture *f,
              const char    *token,
              const char    *number,
              const char    *zip,
              const char    *delivery)
{
  g_autofree char *body = g_strdup_printf ("{\"account_type\":\"mechanic\","
                                           "\"account_number\":\"%s\",\"zip\":\"%s\","
                                           "\"delivery\":\"%s\"}", number, zip, delivery);
  g_autoptr(Reply) reply = server_call (f, "POST", "/api/v1/cars/access-requests", token, body);
  g_autofree char *message = NULL;
  g_autoptr(GRegex) confirmation = g_regex_new ("^[0-9]-[0-9]{3}-[0-9]{3}-[0-9]{3}$", 0, 0, NULL);
  JsonObject *object;

  g_assert_cmpuint (reply->status, ==, 201);
  object = reply_object (reply);
  assert_shape (object, "confirmation_number:s delivery:s email_masked:s? notice:s");
  g_assert_true (g_regex_match (confirmation,
                                json_object_get_string_member (object, "confirmation_number"),
                                0, NULL));
  g_assert_cmpstr (json_object_get_string_member (object, "delivery"), ==, delivery);
  message = outbox_newest (f->outbox, strcmp (delivery, "email") == 0 ? "email" : "letter", NULL);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, json_object_get_string_member (object,
                                                                    "confirmation_number")));
  return find_code (message);
}

static void
test_access_request (ServerFixture *f,
                     gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autofree char *code = request_code (f, token, "Z123456", "48909", "email");
  g_autofree char *mail = outbox_newest (f->outbox, "email", NULL);
  g_autofree char *link = g_strdup_printf ("io.github.carsmechanic:/add-account-access?code=%s",
                                           code);
  g_autofree char *letter_code = NULL;
  g_autofree char *letter = NULL;
  const char *headers[] = { "Date: ", "Message-ID: <", "From: ", "To: emily.hall@example.com",
                            "Subject: ", "MIME-Version: 1.0",
                            "Content-Type: text/plain; charset=UTF-8",
                            "Content-Transfer-Encoding: 8bit" };

  g_assert_nonnull (code);
  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    g_assert_nonnull (strstr (mail, headers[i]));
  g_assert_nonnull (strstr (mail, "\r\n\r\n"));
  g_assert_nonnull (strstr (mail, link));
  /* The expiry as a person reads it, in UTC and saying so; not an ISO stamp. */
  {
    g_autoptr(GRegex) expiry = g_regex_new ("expires on [0-9]{4}-[0-9]{2}-[0-9]{2} "
                                            "[0-9]{2}:[0-9]{2} UTC\\.", 0, 0, NULL);

    g_assert_true (g_regex_match (expiry, mail, 0, NULL));
    g_assert_null (strstr (mail, "Z."));
  }

  letter_code = request_code (f, token, "M654321", "49503", "mail");
  letter = outbox_newest (f->outbox, "letter", NULL);
  g_assert_nonnull (letter_code);
  g_assert_nonnull (strstr (letter, "412 Division Ave S, Grand Rapids, MI 49503"));
  g_assert_nonnull (strstr (letter, "io.github.carsmechanic:/add-account-access?code="));

  /* No email on record: email delivery is refused. */
  expect_error (f, "POST", "/api/v1/cars/access-requests", token,
                "{\"account_type\":\"mechanic\",\"account_number\":\"M654321\","
                "\"zip\":\"49503\",\"delivery\":\"email\"}", 400, "invalid_field");
  expect_error (f, "POST", "/api/v1/cars/access-requests", token,
                "{\"account_type\":\"mechanic\",\"account_number\":\"Z123456\","
                "\"zip\":\"48909\",\"delivery\":\"fax\"}", 400, "invalid_field");
  expect_error (f, "POST", "/api/v1/cars/access-requests", token,
                "{\"account_type\":\"mechanic\",\"account_number\":\"Z123456\","
                "\"zip\":\"11111\",\"delivery\":\"email\"}", 404, "no_matching_account");
  expect_error (f, "POST", "/api/v1/cars/access-requests", NULL,
                "{\"account_type\":\"mechanic\",\"account_number\":\"Z123456\","
                "\"zip\":\"48909\",\"delivery\":\"email\"}", 401, "session_expired");
}

static char *
access_body (const char *code,
             const char *number,
             const char *zip,
             gboolean    terms)
{
  return g_strdup_printf ("{\"authorization_code\":\"%s\",\"account_type\":\"mechanic\","
                          "\"account_number\":\"%s\",\"zip\":\"%s\",\"terms_accepted\":%s}",
                          code, number, zip, terms ? "true" : "false");
}

static void
test_account_access (ServerFixture *f,
                     gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autofree char *old_code = request_code (f, token, "Z123456", "48909", "email");
  g_autofree char *code = request_code (f, token, "Z123456", "48909", "email");
  g_autofree char *body = access_body (code, "Z123456", "48909", TRUE);
  g_autofree char *old_body = access_body (old_code, "Z123456", "48909", TRUE);
  g_autofree char *no_terms = access_body (code, "Z123456", "48909", FALSE);
  g_autofree char *wrong_zip = access_body (code, "Z123456", "48910", TRUE);
  g_autoptr(Reply) added = NULL;
  JsonObject *account;

  expect_error (f, "POST", "/api/v1/cars/account-access", token, no_terms, 403,
                "terms_not_accepted");
  expect_error (f, "POST", "/api/v1/cars/account-access", token, wrong_zip, 404,
                "no_matching_account");
  /* The newer request voided the older code. */
  expect_error (f, "POST", "/api/v1/cars/account-access", token, old_body, 410, "code_expired");

  added = server_call (f, "POST", "/api/v1/cars/account-access", token, body);
  g_assert_cmpuint (added->status, ==, 201);
  assert_shape (reply_object (added), "account:o");
  account = json_object_get_object_member (reply_object (added), "account");
  assert_shape (account, "account_type:s account_number:s name:s status:s city:s linked_at:s "
                         "certificate_expires:s-");
  g_assert_cmpstr (json_object_get_string_member (account, "name"), ==, "Emily Hall");
  g_assert_cmpstr (json_object_get_string_member (account, "certificate_expires"), ==,
                   "2027-06-30");
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$",
                                       json_object_get_string_member (account, "linked_at"),
                                       0, 0));

  expect_error (f, "POST", "/api/v1/cars/account-access", token, body, 410, "code_used");

  /* A code for an account already linked. */
  {
    g_autofree char *again = request_code (f, token, "Z123456", "48909", "email");
    g_autofree char *again_body = access_body (again, "Z123456", "48909", TRUE);

    expect_error (f, "POST", "/api/v1/cars/account-access", token, again_body, 409,
                  "already_linked");
  }
}

/* The code step's check: a right code is told good and stays usable; used, expired and
 * wrong codes get Submit's answers; only the user's own codes are codes. */
static void
test_code_check (ServerFixture *f,
                 gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autofree char *code = request_code (f, token, "Z123456", "48909", "email");
  g_autofree char *check = g_strdup_printf ("{\"authorization_code\":\"%s\"}", code);
  g_autofree char *lower = g_ascii_strdown (check, -1);
  g_autofree char *body = access_body (code, "Z123456", "48909", TRUE);
  g_autofree char *other = NULL;

  {
    g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/cars/authorization-code-checks", token,
                                      lower);
    g_assert_cmpuint (r->status, ==, 204);
  }
  expect_error (f, "POST", "/api/v1/cars/authorization-code-checks", token,
                "{\"authorization_code\":\"2345-6789-ABCD\"}", 422, "invalid_code");
  expect_error (f, "POST", "/api/v1/cars/authorization-code-checks", token,
                "{\"authorization_code\":\"not a code\"}", 422, "invalid_code");
  expect_error (f, "POST", "/api/v1/cars/authorization-code-checks", token, "{}", 400,
                "missing_field");
  expect_error (f, "POST", "/api/v1/cars/authorization-code-checks", NULL, check, 401,
                "session_expired");

  /* Another user's view of the same code: no code at all. */
  server_sign_up (f, USER_B, PASSWORD);
  other = server_sign_in (f, USER_B, PASSWORD);
  expect_error (f, "POST", "/api/v1/cars/authorization-code-checks", other, check, 422,
                "invalid_code");

  {
    g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/cars/account-access", token, body);
    g_assert_cmpuint (r->status, ==, 201);
  }
  expect_error (f, "POST", "/api/v1/cars/authorization-code-checks", token, check, 410,
                "code_used");
}

/* Add Account Access's EMAIL: the address given is told of the access (never the code);
 * a malformed one is refused before anything is used. */
static void
test_access_email (ServerFixture *f,
                   gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autofree char *code = request_code (f, token, "Z123456", "48909", "email");
  g_autofree char *bad = g_strdup_printf ("{\"authorization_code\":\"%s\","
                                          "\"account_type\":\"mechanic\","
                                          "\"account_number\":\"Z123456\",\"zip\":\"48909\","
                                          "\"terms_accepted\":true,\"email\":\"not an address\"}",
                                          code);
  g_autofree char *good = g_strdup_printf ("{\"authorization_code\":\"%s\","
                                           "\"account_type\":\"mechanic\","
                                           "\"account_number\":\"Z123456\",\"zip\":\"48909\","
                                           "\"terms_accepted\":true,"
                                           "\"email\":\"testemail@testemail.com\"}", code);
  g_autofree char *notice = NULL;
  guint before = 0, after = 0;

  g_free (outbox_newest (f->outbox, "email", &before));
  expect_error (f, "POST", "/api/v1/cars/account-access", token, bad, 400, "invalid_field");
  {
    g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/cars/account-access", token, good);
    g_assert_cmpuint (r->status, ==, 201);
  }
  notice = outbox_newest (f->outbox, "email", &after);
  g_assert_cmpuint (after, ==, before + 1);
  g_assert_nonnull (strstr (notice, "To: testemail@testemail.com"));
  g_assert_nonnull (strstr (notice, "Z123456"));
  g_assert_null (strstr (notice, code));
}

static void
test_code_limits (ServerFixture *f,
                  gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autofree char *emailed = request_code (f, token, "Z123456", "48909", "email");
  g_autofree char *mailed = request_code (f, token, "M654321", "49503", "mail");
  g_autofree char *emailed_body = access_body (emailed, "Z123456", "48909", TRUE);
  g_autofree char *mailed_body = access_body (mailed, "M654321", "49503", TRUE);
  g_autofree char *right = NULL;

  /* Emailed codes live 3 days, mailed ones 30. */
  cm_server_advance_clock (f->server, 3 * 24 * 3600 + 60);
  g_free (token);
  token = server_sign_in (f, USER, PASSWORD);
  expect_error (f, "POST", "/api/v1/cars/account-access", token, emailed_body, 410,
                "code_expired");
  {
    g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/cars/account-access", token,
                                      mailed_body);
    g_assert_cmpuint (r->status, ==, 201);
  }

  /* Five wrong tries per account, then 423 even for the right code. */
  right = request_code (f, token, "Z123456", "48909", "email");
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *b = access_body (i % 2 ? "2345-6789-ABCD" : "not a code", "Z123456",
                                        "48909", TRUE);

      expect_error (f, "POST", "/api/v1/cars/account-access", token, b, 422, "invalid_code");
    }
  g_free (emailed_body);
  emailed_body = access_body (right, "Z123456", "48909", TRUE);
  expect_error (f, "POST", "/api/v1/cars/account-access", token, emailed_body, 423,
                "account_locked");
  cm_server_advance_clock (f->server, 31 * 60);
  g_free (token);
  token = server_sign_in (f, USER, PASSWORD);
  {
    g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/cars/account-access", token,
                                      emailed_body);
    g_assert_cmpuint (r->status, ==, 201);
  }
}

static void
assert_added (ServerFixture *f,
              const char    *token,
              const char    *body)
{
  g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/cars/account-access", token, body);

  if (r->status != 201)
    g_test_message ("account-access: %.*s", (int) g_bytes_get_size (r->body),
                    (const char *) g_bytes_get_data (r->body, NULL));
  g_assert_cmpuint (r->status, ==, 201);
}

/* A refused code request: 429 with Retry-After (and retry_after) at most a day, and no
 * message sent. */
static void
expect_code_request_limited (ServerFixture *f,
                             const char    *token,
                             const char    *number,
                             const char    *zip)
{
  g_autofree char *body = g_strdup_printf ("{\"account_type\":\"mechanic\","
                                           "\"account_number\":\"%s\",\"zip\":\"%s\","
                                           "\"delivery\":\"mail\"}", number, zip);
  g_autoptr(Reply) r = NULL;
  guint before, after;
  guint64 retry;

  g_free (outbox_newest (f->outbox, "letter", &before));
  r = server_call (f, "POST", "/api/v1/cars/access-requests", token, body);
  g_free (outbox_newest (f->outbox, "letter", &after));
  g_assert_cmpuint (r->status, ==, 429);
  g_assert_cmpstr (reply_error_code (r), ==, "rate_limited");
  retry = g_ascii_strtoull (soup_message_headers_get_one (r->headers, "Retry-After"), NULL, 10);
  g_assert_cmpuint (retry, >=, 1);
  g_assert_cmpuint (retry, <=, 24 * 3600);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (reply_object (r), "error"), "retry_after"),
                   ==, (gint64) retry);
  g_assert_cmpuint (after, ==, before);
}

/* Adversary report, finding 5: a request voids only the same user's older codes, a code works
 * only for the user who asked for it, and code requests are limited per user and per account
 * (5 and 10 in any 24 hours). */
static void
test_codes_per_user (ServerFixture *f,
                     gconstpointer  data)
{
  g_autofree char *token_a = signed_in (f);
  g_autofree char *token_b = NULL;
  g_autofree char *token_c = NULL;
  g_autofree char *code_a = request_code (f, token_a, "M654321", "49503", "mail");
  g_autofree char *code_b = NULL;
  g_autofree char *body_a = access_body (code_a, "M654321", "49503", TRUE);
  g_autofree char *body_b = NULL;
  /* what A and B leave of the account's limit for Z123456 */
  guint left_for_c = CM_SERVER_CODE_REQUESTS_PER_ACCOUNT -
                     2 * (CM_SERVER_CODE_REQUESTS_PER_USER - 1);

  server_sign_up (f, USER_B, PASSWORD);
  token_b = server_sign_in (f, USER_B, PASSWORD);
  code_b = request_code (f, token_b, "M654321", "49503", "mail");
  body_b = access_body (code_b, "M654321", "49503", TRUE);

  /* B's request left A's 30-day letter valid, and A's code is no code for B. */
  expect_error (f, "POST", "/api/v1/cars/account-access", token_b, body_a, 422,
                "invalid_code");
  assert_added (f, token_a, body_a);
  assert_added (f, token_b, body_b);

  /* Per user, counted in the database: a second server on the same database, as a second
   * process would be, counts the first one's requests. A has made 1; 4 more, then 429. */
  {
    g_autofree char *outbox = g_build_filename (f->dir, "outbox-2", NULL);
    g_autoptr(CmServer) server = cm_server_new (f->database, outbox);
    g_autoptr(GError) error = NULL;
    const char *uri;
    ServerFixture other = *f;

    server_fixture_set_key (f, server);
    cm_server_set_hash_cost (server, CM_SERVER_HASH_COST_MINIMUM);
    g_assert_true (cm_server_start_in_thread (server, "127.0.0.1", 0, &error));
    g_assert_no_error (error);
    uri = cm_server_get_uri (server);
    other.base = g_strndup (uri, strlen (uri) - 1);
    other.outbox = outbox;
    for (guint i = 0; i < CM_SERVER_CODE_REQUESTS_PER_USER - 1; i++)
      g_free (request_code (i % 2 ? f : &other, token_a, "Z123456", "48909", "mail"));
    expect_code_request_limited (&other, token_a, "Z123456", "48909");
    expect_code_request_limited (f, token_a, "Z123456", "48909");
    cm_server_stop (server);
    g_free (other.base);
  }

  /* Per account, whoever asks: B adds 4 (8 for Z123456), C 2 (10), then C is refused for
   * Z123456 with 2 of its own 5 used, and still served for another account. */
  for (guint i = 0; i < CM_SERVER_CODE_REQUESTS_PER_USER - 1; i++)
    g_free (request_code (f, token_b, "Z123456", "48909", "mail"));
  server_sign_up (f, USER_C, PASSWORD);
  token_c = server_sign_in (f, USER_C, PASSWORD);
  g_assert_cmpuint (left_for_c, <, CM_SERVER_CODE_REQUESTS_PER_USER);
  for (guint i = 0; i < left_for_c; i++)
    g_free (request_code (f, token_c, "Z123456", "48909", "mail"));
  expect_code_request_limited (f, token_c, "Z123456", "48909");
  g_free (request_code (f, token_c, "M654321", "49503", "mail"));

  /* A day later both limits have passed. */
  cm_server_advance_clock (f->server, 24 * 3600);
  g_free (token_a);
  token_a = server_sign_in (f, USER, PASSWORD);
  g_free (request_code (f, token_a, "Z123456", "48909", "mail"));
}

static void
test_accounts (ServerFixture *f,
               gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autofree char *code = request_code (f, token, "M654321", "49503", "mail");
  g_autofree char *body = access_body (code, "M654321", "49503", TRUE);
  g_autoptr(Reply) empty = server_call (f, "GET", "/api/v1/cars/accounts", token, NULL);
  g_autoptr(Reply) added = server_call (f, "POST", "/api/v1/cars/account-access", token, body);
  g_autoptr(Reply) one = server_call (f, "GET", "/api/v1/cars/accounts", token, NULL);
  g_autoptr(Reply) removed = NULL;
  g_autoptr(Reply) none = NULL;
  JsonArray *accounts;

  g_assert_cmpuint (empty->status, ==, 200);
  assert_shape (reply_object (empty), "accounts:a");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (empty),
                                                                         "accounts")), ==, 0);
  g_assert_cmpuint (added->status, ==, 201);
  accounts = json_object_get_array_member (reply_object (one), "accounts");
  g_assert_cmpuint (json_array_get_length (accounts), ==, 1);
  assert_shape (json_array_get_object_element (accounts, 0),
                "account_type:s account_number:s name:s status:s city:s linked_at:s "
                "certificate_expires:s-");

  expect_error (f, "DELETE", "/api/v1/cars/accounts/mechanic/Z123456", token, NULL, 404,
                "not_found");
  expect_error (f, "DELETE", "/api/v1/cars/accounts/plumber/M654321", token, NULL, 404,
                "not_found");
  removed = server_call (f, "DELETE", "/api/v1/cars/accounts/mechanic/M654321", token, NULL);
  g_assert_cmpuint (removed->status, ==, 204);
  none = server_call (f, "GET", "/api/v1/cars/accounts", token, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (none),
                                                                         "accounts")), ==, 0);
  expect_error (f, "DELETE", "/api/v1/cars/accounts/mechanic/M654321", token, NULL, 404,
                "not_found");
  expect_error (f, "GET", "/api/v1/cars/accounts", NULL, NULL, 401, "session_expired");
}

/* The whole journey, sign-up to a linked account (docs/ui.md, "The journey"), as issue 3
 * lists it. */
static void
test_journey (ServerFixture *f,
              gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *mail = NULL;
  g_autofree char *code = NULL;
  g_autofree char *body = NULL;

  server_sign_up (f, USER, PASSWORD);
  token = server_sign_in (f, USER, PASSWORD);
  {
    g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/cars/account-lookups", token,
                                      LOOKUP_Z123456);
    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/cars/access-requests", token,
                                      "{\"account_type\":\"mechanic\","
                                      "\"account_number\":\"Z123456\",\"zip\":\"48909\","
                                      "\"delivery\":\"email\"}");
    g_assert_cmpuint (r->status, ==, 201);
  }
  mail = outbox_newest (f->outbox, "email", NULL);
  g_assert_nonnull (mail);
  code = find_code (mail);
  g_assert_nonnull (code);
  body = access_body (code, "Z123456", "48909", TRUE);
  {
    g_autoptr(Reply) r = server_call (f, "POST", "/api/v1/cars/account-access", token, body);
    g_assert_cmpuint (r->status, ==, 201);
  }
  {
    g_autoptr(Reply) r = server_call (f, "GET", "/api/v1/cars/accounts", token, NULL);
    JsonArray *accounts = json_object_get_array_member (reply_object (r), "accounts");

    g_assert_cmpuint (json_array_get_length (accounts), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (accounts, 0),
                                                    "account_number"), ==, "Z123456");
  }
  expect_error (f, "POST", "/api/v1/cars/account-access", token, body, 410, "code_used");
  {
    g_autoptr(Reply) r = server_call (f, "DELETE", "/api/v1/milogin/sessions/current", token,
                                      NULL);
    g_assert_cmpuint (r->status, ==, 204);
  }
  expect_error (f, "GET", "/api/v1/cars/accounts", token, NULL, 401, "session_expired");
}

/* ---- abuse ---- */

static const ServerFixtureOptions slow_rate_limit = { .rate_per_minute = 6 };

static void
test_rate_limit (ServerFixture *f,
                 gconstpointer  data)
{
  const ServerFixtureOptions *options = data;
  g_autoptr(Reply) limited = NULL;
  guint64 retry;

  /* The whole burst is spent long before one token comes back (one every 10 s at 6 a
   * minute), however slow the run (sanitizers, the contract validator in front). */
  for (guint i = 0; i < options->rate_per_minute; i++)
    {
      g_autoptr(Reply) r = server_call (f, "GET", "/api/v1/milogin/user-ids/smithj1234", NULL,
                                        NULL);
      g_assert_cmpuint (r->status, ==, 200);
    }
  limited = server_call (f, "POST", "/api/v1/milogin/sessions", NULL,
                         "{\"user_id\":\"smithj1234\",\"password\":\"x\"}");
  g_assert_cmpuint (limited->status, ==, 429);
  g_assert_cmpstr (reply_error_code (limited), ==, "rate_limited");
  retry = g_ascii_strtoull (soup_message_headers_get_one (limited->headers, "Retry-After"),
                            NULL, 10);
  g_assert_cmpuint (retry, >=, 1);
  g_assert_cmpuint (retry, <=, 60);

  /* Cheap reads are not limited. */
  {
    g_autoptr(Reply) r = server_call (f, "GET", "/api/v1/health", NULL, NULL);
    g_assert_cmpuint (r->status, ==, 200);
  }
  cm_server_advance_clock (f->server, (gint64) retry);
  {
    g_autoptr(Reply) r = server_call (f, "GET", "/api/v1/milogin/user-ids/smithj1234", NULL,
                                      NULL);
    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_not_found (ServerFixture *f,
                gconstpointer  data)
{
  expect_error (f, "GET", "/", NULL, NULL, 404, "not_found");
  expect_error (f, "GET", "/api/v1/nothing", NULL, NULL, 404, "not_found");
  expect_error (f, "GET", "/api/v1/health/extra", NULL, NULL, 404, "not_found");
  expect_error (f, "GET", "/api/v1/milogin/user-ids/", NULL, NULL, 404, "not_found");
  expect_error (f, "DELETE", "/api/v1/cars/accounts/mechanic", NULL, NULL, 404, "not_found");
}

static void
test_method_not_allowed (ServerFixture *f,
                         gconstpointer  data)
{
  struct { const char *method, *path, *allow; } cases[] = {
    { "POST", "/api/v1/health", "GET" },
    { "PUT", "/api/v1/milogin/sessions/current", "GET, DELETE" },
    { "GET", "/api/v1/milogin/sessions", "POST" },
    { "DELETE", "/api/v1/cars/accounts", "GET" },
    { "GET", "/api/v1/milogin/password", "PUT" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) r = server_call (f, cases[i].method, cases[i].path, NULL,
                                        strcmp (cases[i].method, "GET") ? "{}" : NULL);

      g_assert_cmpuint (r->status, ==, 405);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Allow"), ==, cases[i].allow);
      reply_error_code (r);
    }
}

static void
test_hostile_json (ServerFixture *f,
                   gconstpointer  data)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  const char *bodies[] = {
    "", "{", "nonsense", "[1,2,3]", "\"text\"", "{\"user_id\":\"a\",\"user_id\":\"b\"}",
    "{\"user_id\":\"smith\\u0000j1234\",\"password\":\"x\"}", "{\"a\":1}garbage",
  };
  const char invalid_utf8[] = "{\"user_id\":\"\xc3\x28\",\"password\":\"x\"}";

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (deep, '[');
  /* The contract validator parses and re-serializes JSON bodies (and answers bad JSON
   * itself), so these bytes must reach the server directly. */
  f->direct = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    expect_error (f, "POST", "/api/v1/milogin/sessions", NULL, bodies[i], 400, "malformed_json");
  expect_error (f, "POST", "/api/v1/milogin/sessions", NULL, deep->str, 400, "malformed_json");
  expect_error (f, "POST", "/api/v1/milogin/sessions", NULL, invalid_utf8, 400,
                "malformed_json");
  f->direct = FALSE;

  {
    g_autoptr(Reply) r = server_call_raw (f, "POST", "/api/v1/milogin/sessions", "text/plain",
                                          "{}", -1);
    g_assert_cmpuint (r->status, ==, 415);
    g_assert_cmpstr (reply_error_code (r), ==, "unsupported_media_type");
  }
  {
    g_autoptr(Reply) r = server_call_raw (f, "POST", "/api/v1/milogin/sessions",
                                          "application/json; charset=latin1", "{}", -1);
    g_assert_cmpuint (r->status, ==, 415);
  }
  {
    g_autoptr(Reply) r = server_call_raw (f, "POST", "/api/v1/milogin/sessions",
                                          "application/json; charset=utf-8",
                                          "{\"user_id\":\"ghostg0000\",\"password\":\"x\"}", -1);
    g_assert_cmpuint (r->status, ==, 401);
  }
  test_health (f, NULL);
}

/* Sends raw bytes and returns what came back (up to the first 4 KiB). */
static char *
raw_exchange (ServerFixture *f,
              const char    *request,
              gsize          length)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (f->server_base, G_URI_FLAGS_NONE, NULL);
  GOutputStream *out;
  GInputStream *in;
  char buffer[4096];
  gsize got = 0;
  gssize n;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri),
                                                NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 10);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  /* The server may hang up before it all went: that is allowed. */
  g_output_stream_write_all (out, request, length, NULL, NULL, NULL);
  while (got < sizeof buffer - 1 &&
         (n = g_input_stream_read (in, buffer + got, sizeof buffer - 1 - got, NULL, NULL)) > 0)
    got += n;
  buffer[got] = '\0';
  return g_strdup (buffer);
}

/* A 204 leaves the connection open for the next request (libsoup 3.2.3 closed it, and a
 * client that does not retry, like the contract validator, failed its next request). */
static void
test_keep_alive_after_no_content (ServerFixture *f,
                                  gconstpointer  data)
{
  g_autofree char *token = signed_in (f);
  g_autofree char *requests = NULL;
  g_autofree char *answers = NULL;
  const char *second;

  requests = g_strdup_printf ("DELETE /api/v1/milogin/sessions/current HTTP/1.1\r\n"
                              "Host: x\r\nAuthorization: Bearer %s\r\n\r\n"
                              "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"
                              "Connection: close\r\n\r\n", token);
  answers = raw_exchange (f, requests, strlen (requests));
  g_assert_true (g_str_has_prefix (answers, "HTTP/1.1 204"));
  second = strstr (answers + 1, "HTTP/1.1 ");
  g_assert_nonnull (second);
  g_assert_true (g_str_has_prefix (second, "HTTP/1.1 200"));
}

static void
test_body_too_large (ServerFixture *f,
                     gconstpointer  data)
{
  g_autofree char *announced = NULL;
  g_autofree char *big = g_malloc (70 * 1024);
  g_autoptr(GString) chunked = g_string_new (NULL);
  g_autofree char *chunked_answer = NULL;
  g_autofree char *garbage_answer = NULL;
  guint8 garbage[512];

  /* A Content-Length over 64 KiB is refused from the headers alone: no body is sent. */
  announced = raw_exchange (f, "POST /api/v1/milogin/sessions HTTP/1.1\r\nHost: x\r\n"
                               "Content-Type: application/json\r\n"
                               "Content-Length: 100000000\r\n\r\n", strlen (
                               "POST /api/v1/milogin/sessions HTTP/1.1\r\nHost: x\r\n"
                               "Content-Type: application/json\r\n"
                               "Content-Length: 100000000\r\n\r\n"));
  g_assert_true (g_str_has_prefix (announced, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (announced, "body_too_large"));

  /* A chunked body is bounded as it comes. */
  memset (big, 'a', 70 * 1024);
  g_string_append (chunked, "POST /api/v1/milogin/sessions HTTP/1.1\r\nHost: x\r\n"
                            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  for (guint i = 0; i < 70; i++)
    {
      g_string_append_printf (chunked, "400\r\n");
      g_string_append_len (chunked, big, 1024);
      g_string_append (chunked, "\r\n");
    }
  g_string_append (chunked, "0\r\n\r\n");
  chunked_answer = raw_exchange (f, chunked->str, chunked->len);
  g_assert_true (g_str_has_prefix (chunked_answer, "HTTP/1.1 413"));

  /* Libsoup's own client, a length-announced body just over the cap (directly: the contract
   * validator would refuse it as bad JSON itself). */
  f->direct = TRUE;
  {
    g_autoptr(Reply) r = server_call_raw (f, "POST", "/api/v1/milogin/sessions",
                                          "application/json", big, 64 * 1024 + 1);
    g_assert_cmpuint (r->status, ==, 413);
    g_assert_cmpstr (reply_error_code (r), ==, "body_too_large");
  }
  f->direct = FALSE;

  /* Valid JSON over the cap goes through the validator too, which checks the 413. */
  {
    g_autoptr(GString) json = g_string_new ("{\"user_id\":\"");
    g_autoptr(Reply) r = NULL;

    g_string_append_len (json, big, 64 * 1024);
    g_string_append (json, "\",\"password\":\"x\"}");
    r = server_call (f, "POST", "/api/v1/milogin/sessions", NULL, json->str);
    g_assert_cmpuint (r->status, ==, 413);
    g_assert_cmpstr (reply_error_code (r), ==, "body_too_large");
  }

  /* Garbage instead of HTTP. */
  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (guint8) g_test_rand_int_range (0, 256);
  garbage_answer = raw_exchange (f, (const char *) garbage, sizeof garbage);
  g_test_message ("garbage answered %zu bytes", strlen (garbage_answer));

  test_health (f, NULL);
}

/* RFC 3339 in UTC, for the years a GDateTime can hold; outside them, the epoch. */
static void
test_format_time (void)
{
  static const struct
  {
    gint64      unix_time;
    const char *text;
  } cases[] = {
    { 0, "1970-01-01T00:00:00Z" },
    { 1767225600, "2026-01-01T00:00:00Z" },
    { 1803859199, "2027-02-28T23:59:59Z" },
    { 1709164800, "2024-02-29T00:00:00Z" },
    { -1, "1969-12-31T23:59:59Z" },
    { G_GINT64_CONSTANT (253402300799), "9999-12-31T23:59:59Z" },
    { G_GINT64_CONSTANT (253402300800), "1970-01-01T00:00:00Z" },
    { G_MININT64, "1970-01-01T00:00:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cm_server_format_time (cases[i].unix_time);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/format-time", test_format_time);
  add ("/server/health", test_health);
  add ("/server/challenge", test_challenge);
  add ("/server/challenge/language", test_challenge_language);
  g_test_add_func ("/server/challenge/word-lists", test_challenge_word_lists);
  add ("/server/user-ids", test_user_ids);
  add ("/server/sign-up/errors", test_sign_up_errors);
  add ("/server/sign-up/challenge", test_sign_up_challenge);
  add ("/server/sign-up/challenge-arabic", test_sign_up_challenge_arabic);
  add ("/server/sign-up/recovery-options", test_sign_up_recovery_options);
  add ("/server/sign-in", test_sign_in);
  add ("/server/sign-in/same-message", test_sign_in_same_message);
  add ("/server/sign-in/lockout", test_lockout);
  add ("/server/session/expiry", test_session_expiry);
  add ("/server/session/sign-out", test_sign_out);
  add ("/server/password/change", test_change_password);
  add ("/server/password/last-three", test_password_last_three);
  add ("/server/account/profile", test_profile);
  add ("/server/account/profile-and-recovery-at-once", test_profile_and_recovery_at_once);
  add ("/server/account/recovery-options", test_recovery_options);
  add ("/server/password/reset", test_password_reset);
  add ("/server/password/reset-limits", test_password_reset_limits);
  add ("/server/password/reset-ends-lockout", test_password_reset_ends_lockout);
  add ("/server/cars/account-types", test_account_types);
  add ("/server/cars/lookup", test_lookup);
  add ("/server/cars/code-check", test_code_check);
  add ("/server/cars/access-email", test_access_email);
  add ("/server/cars/access-request", test_access_request);
  add ("/server/cars/account-access", test_account_access);
  add ("/server/cars/code-limits", test_code_limits);
  add ("/server/cars/codes-per-user", test_codes_per_user);
  add ("/server/cars/accounts", test_accounts);
  add ("/server/journey", test_journey);
  g_test_add ("/server/abuse/rate-limit", ServerFixture, &slow_rate_limit, server_fixture_setup,
              test_rate_limit, server_fixture_teardown);
  add ("/server/abuse/not-found", test_not_found);
  add ("/server/abuse/method-not-allowed", test_method_not_allowed);
  add ("/server/abuse/json", test_hostile_json);
  add ("/server/abuse/body-too-large", test_body_too_large);
  add ("/server/keep-alive-after-204", test_keep_alive_after_no_content);

  return g_test_run ();
}
