/* test-error.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-error"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "cm-error.h"
#include "cm-error-private.h"
#include "cm-json.h"
#include "cm-protocol.h"
#include "test-helpers.h"

/* Every code of docs/openapi.yaml with its status, code by code. */
static const struct
{
  CmError     code;
  const char *name;
  guint       status;
} wire_codes[] = {
  { CM_ERROR_MALFORMED_JSON, "malformed_json", 400 },
  { CM_ERROR_MISSING_FIELD, "missing_field", 400 },
  { CM_ERROR_INVALID_FIELD, "invalid_field", 400 },
  { CM_ERROR_INVALID_CREDENTIALS, "invalid_credentials", 401 },
  { CM_ERROR_SESSION_EXPIRED, "session_expired", 401 },
  { CM_ERROR_TERMS_NOT_ACCEPTED, "terms_not_accepted", 403 },
  { CM_ERROR_CHALLENGE_FAILED, "challenge_failed", 403 },
  { CM_ERROR_NO_MATCHING_ACCOUNT, "no_matching_account", 404 },
  { CM_ERROR_NOT_FOUND, "not_found", 404 },
  { CM_ERROR_METHOD_NOT_ALLOWED, "method_not_allowed", 405 },
  { CM_ERROR_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", 415 },
  { CM_ERROR_USER_ID_TAKEN, "user_id_taken", 409 },
  { CM_ERROR_ALREADY_LINKED, "already_linked", 409 },
  { CM_ERROR_PASSWORD_REUSED, "password_reused", 409 },
  { CM_ERROR_CODE_EXPIRED, "code_expired", 410 },
  { CM_ERROR_CODE_USED, "code_used", 410 },
  { CM_ERROR_BODY_TOO_LARGE, "body_too_large", 413 },
  { CM_ERROR_WEAK_PASSWORD, "weak_password", 422 },
  { CM_ERROR_PASSWORD_MISMATCH, "password_mismatch", 422 },
  { CM_ERROR_EMAIL_MISMATCH, "email_mismatch", 422 },
  { CM_ERROR_INVALID_USER_ID, "invalid_user_id", 422 },
  { CM_ERROR_INVALID_CODE, "invalid_code", 422 },
  { CM_ERROR_ACCOUNT_LOCKED, "account_locked", 423 },
  { CM_ERROR_RATE_LIMITED, "rate_limited", 429 },
  { CM_ERROR_INTERNAL, "internal", 500 },
  { CM_ERROR_UNAVAILABLE, "unavailable", 503 },
};

static const CmError client_codes[] = {
  CM_ERROR_PROTOCOL, CM_ERROR_NETWORK, CM_ERROR_TIMEOUT, CM_ERROR_TLS, CM_ERROR_INSECURE_URL,
  CM_ERROR_KEYRING,
};

static void
test_codes_names (void)
{
  CmError code;

  g_assert_cmpuint (G_N_ELEMENTS (wire_codes) + G_N_ELEMENTS (client_codes), ==,
                    CM_ERROR_N_CODES);

  for (guint i = 0; i < G_N_ELEMENTS (wire_codes); i++)
    {
      g_assert_cmpstr (cm_error_code_to_string (wire_codes[i].code), ==, wire_codes[i].name);
      g_assert_true (cm_error_code_from_string (wire_codes[i].name, &code));
      g_assert_cmpint (code, ==, wire_codes[i].code);
    }

  /* Client-only codes have a name for logs, but are not accepted from a server */
  for (guint i = 0; i < G_N_ELEMENTS (client_codes); i++)
    {
      const char *name = cm_error_code_to_string (client_codes[i]);

      g_assert_nonnull (name);
      g_assert_false (cm_error_code_from_string (name, &code));
    }

  g_assert_false (cm_error_code_from_string ("no_such_code", &code));
  g_assert_false (cm_error_code_from_string ("", &code));
  g_assert_false (cm_error_code_from_string ("WEAK_PASSWORD", &code));
  g_assert_false (cm_error_code_from_string (NULL, &code));
  g_assert_true (cm_error_code_from_string ("weak_password", NULL));
  g_assert_null (cm_error_code_to_string ((CmError) 9999));
}

static void
test_codes_to_http (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (wire_codes); i++)
    g_assert_cmpuint (cm_error_code_to_http_status (wire_codes[i].code), ==,
                      wire_codes[i].status);

  /* Never sent, but a status all the same, and an error one */
  for (guint i = 0; i < G_N_ELEMENTS (client_codes); i++)
    {
      guint status = cm_error_code_to_http_status (client_codes[i]);

      g_assert_cmpuint (status, >=, 400);
      g_assert_cmpuint (status, <=, 599);
    }
}

static void
test_codes_from_http (void)
{
  const struct
  {
    guint   status;
    CmError code;
  } cases[] = {
    { 400, CM_ERROR_INVALID_FIELD },
    { 401, CM_ERROR_SESSION_EXPIRED },
    { 403, CM_ERROR_PROTOCOL },
    { 404, CM_ERROR_NOT_FOUND },
    { 405, CM_ERROR_METHOD_NOT_ALLOWED },
    { 408, CM_ERROR_TIMEOUT },
    { 409, CM_ERROR_PROTOCOL },
    { 410, CM_ERROR_CODE_EXPIRED },
    { 413, CM_ERROR_BODY_TOO_LARGE },
    { 415, CM_ERROR_UNSUPPORTED_MEDIA_TYPE },
    { 418, CM_ERROR_PROTOCOL },
    { 422, CM_ERROR_INVALID_FIELD },
    { 423, CM_ERROR_ACCOUNT_LOCKED },
    { 429, CM_ERROR_RATE_LIMITED },
    { 500, CM_ERROR_INTERNAL },
    { 501, CM_ERROR_INTERNAL },
    { 502, CM_ERROR_UNAVAILABLE },
    { 503, CM_ERROR_UNAVAILABLE },
    { 504, CM_ERROR_TIMEOUT },
    { 599, CM_ERROR_INTERNAL },
    { 200, CM_ERROR_PROTOCOL },
    { 302, CM_ERROR_PROTOCOL },
    { 0, CM_ERROR_PROTOCOL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("status %u", cases[i].status);
      g_assert_cmpint (cm_error_code_from_http_status (cases[i].status), ==, cases[i].code);
    }
}

static void
test_codes_messages (void)
{
  const char *fallback = cm_error_code_get_message ((CmError) 9999);

  for (guint code = 0; code < CM_ERROR_N_CODES; code++)
    {
      const char *message = cm_error_code_get_message (code);
      const char *name = cm_error_code_to_string (code);

      g_test_message ("code %s", name);
      g_assert_nonnull (message);
      g_assert_cmpstr (message, !=, fallback);
      /* A sentence for a mechanic: no wire names, no format directives */
      g_assert_true (g_str_has_suffix (message, "."));
      g_assert_null (strstr (message, name));
      g_assert_null (strchr (message, '%'));
    }
}

/* A lock (423) and a busy service (429) are worded apart, each with the time left. */
static void
test_codes_wait_wording (void)
{
  g_autofree char *locked = cm_error_format_wait (CM_ERROR_ACCOUNT_LOCKED, 125);
  g_autofree char *limited = cm_error_format_wait (CM_ERROR_RATE_LIMITED, 125);
  g_autofree char *zero = cm_error_format_wait (CM_ERROR_RATE_LIMITED, -5);

  g_assert_cmpstr (locked, !=, limited);
  g_assert_nonnull (strstr (locked, "2:05"));
  g_assert_nonnull (strstr (limited, "2:05"));
  g_assert_nonnull (strstr (locked, "locked"));
  g_assert_null (strstr (limited, "locked"));
  g_assert_nonnull (strstr (zero, "0:00"));
}

/* Retry is offered for these and only these. */
static void
test_codes_transient (void)
{
  const CmError transient[] = { CM_ERROR_NETWORK, CM_ERROR_TIMEOUT, CM_ERROR_UNAVAILABLE,
                                CM_ERROR_INTERNAL, CM_ERROR_RATE_LIMITED };
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");

  for (guint code = 0; code < CM_ERROR_N_CODES; code++)
    {
      g_autoptr(GError) error = cm_error_new (code, NULL, NULL);
      gboolean expected = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (transient); i++)
        expected = expected || transient[i] == (CmError) code;
      g_assert_cmpint (cm_error_is_transient (error), ==, expected);
    }
  g_assert_false (cm_error_is_transient (cancelled));
  g_assert_false (cm_error_is_transient (NULL));
}

static void
test_private_data (void)
{
  g_autoptr(GError) error = cm_error_new (CM_ERROR_WEAK_PASSWORD, "password", NULL);

  g_assert_error (error, CM_ERROR, CM_ERROR_WEAK_PASSWORD);
  g_assert_cmpstr (error->message, ==, cm_error_code_get_message (CM_ERROR_WEAK_PASSWORD));
  g_assert_cmpstr (cm_error_get_field (error), ==, "password");
  g_assert_cmpuint (g_strv_length ((char **) cm_error_get_details (error)), ==, 0);
  g_assert_cmpint (cm_error_get_retry_after (error), ==, -1);

  cm_error_add_detail (error, "too_short");
  cm_error_add_detail (error, "not_enough_categories");
  cm_error_add_detail (error, "too_short");  /* already there */
  assert_details (error, "too_short,not_enough_categories");
  g_assert_cmpstr (cm_error_get_details (error)[0], ==, "too_short");
  g_assert_cmpstr (cm_error_get_details (error)[1], ==, "not_enough_categories");
  g_assert_true (cm_error_has_detail (error, "too_short"));
  g_assert_false (cm_error_has_detail (error, "contains_user_id"));

  cm_error_set_field (error, "new_password");
  g_assert_cmpstr (cm_error_get_field (error), ==, "new_password");
  cm_error_set_field (error, NULL);
  g_assert_null (cm_error_get_field (error));

  cm_error_set_retry_after (error, 1800);
  g_assert_cmpint (cm_error_get_retry_after (error), ==, 1800);
  cm_error_set_retry_after (error, -5);
  g_assert_cmpint (cm_error_get_retry_after (error), ==, -1);
}

static void
test_private_set_error (void)
{
  g_autoptr(GError) error = NULL;

  /* Errors made the usual GLib ways also carry the private data */
  g_set_error (&error, CM_ERROR, CM_ERROR_ACCOUNT_LOCKED, "Locked for %d minutes", 30);
  g_assert_null (cm_error_get_field (error));
  g_assert_cmpint (cm_error_get_retry_after (error), ==, -1);
  cm_error_set_retry_after (error, 1800);
  cm_error_add_detail (error, "x");
  g_assert_cmpint (cm_error_get_retry_after (error), ==, 1800);
  assert_details (error, "x");
}

static void
test_private_copy (void)
{
  g_autoptr(GError) error = cm_error_new (CM_ERROR_ACCOUNT_LOCKED, "user_id", "Custom");
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) copy_of_copy = NULL;
  g_autoptr(GError) bare = cm_error_new (CM_ERROR_INTERNAL, NULL, NULL);
  g_autoptr(GError) bare_copy = NULL;

  cm_error_add_detail (error, "first");
  cm_error_add_detail (error, "second");
  cm_error_set_retry_after (error, 42);

  copy = g_error_copy (error);
  g_assert_error (copy, CM_ERROR, CM_ERROR_ACCOUNT_LOCKED);
  g_assert_cmpstr (copy->message, ==, "Custom");
  g_assert_cmpstr (cm_error_get_field (copy), ==, "user_id");
  assert_details (copy, "first,second");
  g_assert_cmpint (cm_error_get_retry_after (copy), ==, 42);

  /* The copy owns its data */
  cm_error_set_field (error, "other");
  cm_error_add_detail (error, "third");
  cm_error_set_retry_after (error, 7);
  g_clear_error (&error);
  g_assert_cmpstr (cm_error_get_field (copy), ==, "user_id");
  assert_details (copy, "first,second");
  g_assert_cmpint (cm_error_get_retry_after (copy), ==, 42);

  copy_of_copy = g_error_copy (copy);
  assert_details (copy_of_copy, "first,second");

  bare_copy = g_error_copy (bare);
  g_assert_null (cm_error_get_field (bare_copy));
  assert_details (bare_copy, NULL);
  g_assert_cmpint (cm_error_get_retry_after (bare_copy), ==, -1);
}

static void
test_private_other_domain (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  g_assert_null (cm_error_get_field (error));
  g_assert_nonnull (cm_error_get_details (error));
  g_assert_null (cm_error_get_details (error)[0]);
  g_assert_false (cm_error_has_detail (error, "x"));
  g_assert_cmpint (cm_error_get_retry_after (error), ==, -1);
  g_assert_null (cm_error_get_field (NULL));
}

/* ---- JSON ---- */

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = cm_json_parse (text, strlen (text), CM_JSON_MAX_BYTES, CM_JSON_MAX_DEPTH,
                                  &error);

  g_assert_no_error (error);
  return node;
}

static void
test_json_shape (void)
{
  g_autoptr(GError) error = cm_error_new (CM_ERROR_WEAK_PASSWORD, "password", "Too weak.");
  g_autoptr(GError) bare = cm_error_new (CM_ERROR_NOT_FOUND, NULL, "Gone.");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) bare_node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *bare_text = NULL;

  cm_error_add_detail (error, "too_short");
  cm_error_add_detail (error, "not_enough_categories");
  node = cm_error_to_json (error);
  text = cm_json_to_string (node, NULL);
  g_assert_cmpstr (text, ==,
                   "{\"error\":{\"code\":\"weak_password\",\"message\":\"Too weak.\","
                   "\"field\":\"password\","
                   "\"details\":[\"too_short\",\"not_enough_categories\"]}}");

  /* Optional members are left out, not null */
  bare_node = cm_error_to_json (bare);
  bare_text = cm_json_to_string (bare_node, NULL);
  g_assert_cmpstr (bare_text, ==, "{\"error\":{\"code\":\"not_found\",\"message\":\"Gone.\"}}");
}

static void
test_json_retry_after (void)
{
  g_autoptr(GError) error = cm_error_new (CM_ERROR_ACCOUNT_LOCKED, NULL, "Locked.");
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  cm_error_set_retry_after (error, 1800);
  node = cm_error_to_json (error);
  text = cm_json_to_string (node, NULL);
  g_assert_cmpstr (text, ==,
                   "{\"error\":{\"code\":\"account_locked\",\"message\":\"Locked.\","
                   "\"retry_after\":1800}}");
}

/* Nothing but "internal" and its generic message leaves for an error that is
 * not one of the contract's. */
static void
test_json_not_on_wire (void)
{
  const GError errors[] = {
    { G_IO_ERROR, G_IO_ERROR_FAILED, (char *) "open(/var/lib/secret.db): Permission denied" },
    { G_FILE_ERROR, G_FILE_ERROR_NOENT, (char *) "stack trace here" },
  };
  g_autoptr(GError) network = cm_error_new (CM_ERROR_NETWORK, "user_id", "DNS said no");
  g_autofree char *expected = NULL;

  expected = g_strdup_printf ("{\"error\":{\"code\":\"internal\",\"message\":\"%s\"}}",
                              cm_error_code_get_message (CM_ERROR_INTERNAL));

  for (guint i = 0; i < G_N_ELEMENTS (errors) + 1; i++)
    {
      const GError *error = i < G_N_ELEMENTS (errors) ? &errors[i] : network;
      g_autoptr(JsonNode) node = cm_error_to_json (error);
      g_autofree char *text = cm_json_to_string (node, NULL);

      g_assert_cmpstr (text, ==, expected);
    }
}

static void
test_json_round_trip (void)
{
  const struct
  {
    CmError     code;
    const char *field;
    const char *details;
    gint64      retry_after;
  } cases[] = {
    { CM_ERROR_WEAK_PASSWORD, "password", "too_short,not_enough_categories,contains_user_id", -1 },
    { CM_ERROR_INVALID_USER_ID, "user_id", "contains_space", -1 },
    { CM_ERROR_MISSING_FIELD, "last_name", "required", -1 },
    { CM_ERROR_ACCOUNT_LOCKED, NULL, NULL, 1800 },
    { CM_ERROR_RATE_LIMITED, NULL, NULL, 0 },
    { CM_ERROR_INVALID_CREDENTIALS, NULL, NULL, -1 },
    { CM_ERROR_NO_MATCHING_ACCOUNT, NULL, NULL, -1 },
    { CM_ERROR_INVALID_CODE, "authorization_code", "wrong_length", -1 },
    { CM_ERROR_UNAVAILABLE, NULL, NULL, 30 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = cm_error_new (cases[i].code, cases[i].field, "Server words.");
      g_autoptr(GError) back = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(JsonNode) parsed = NULL;
      g_auto(GStrv) details = g_strsplit (cases[i].details ? cases[i].details : "", ",", -1);
      g_autofree char *text = NULL;

      g_test_message ("code %s", cm_error_code_to_string (cases[i].code));
      for (guint j = 0; details[j] != NULL; j++)
        if (*details[j] != '\0')
          cm_error_add_detail (error, details[j]);
      cm_error_set_retry_after (error, cases[i].retry_after);

      node = cm_error_to_json (error);
      text = cm_json_to_string (node, NULL);
      parsed = parse (text);
      back = cm_error_from_json (parsed, cm_error_code_to_http_status (cases[i].code));

      g_assert_error (back, CM_ERROR, (gint) cases[i].code);
      /* A known code shows the client's own (translated) message */
      g_assert_cmpstr (back->message, ==, cm_error_code_get_message (cases[i].code));
      g_assert_cmpstr (cm_error_get_field (back), ==, cases[i].field);
      assert_details (back, cases[i].details);
      g_assert_cmpint (cm_error_get_retry_after (back), ==, cases[i].retry_after);
    }
}

static void
test_json_from_bodies (void)
{
  const struct
  {
    const char *body;     /* NULL: no body at all */
    guint       status;
    CmError     code;
    const char *message;  /* NULL: the client's message for the code */
    const char *field;
    const char *details;
    gint64      retry_after;
  } cases[] = {
    { NULL, 503, CM_ERROR_UNAVAILABLE, NULL, NULL, NULL, -1 },
    { NULL, 500, CM_ERROR_INTERNAL, NULL, NULL, NULL, -1 },
    { "[]", 400, CM_ERROR_INVALID_FIELD, NULL, NULL, NULL, -1 },
    { "\"oops\"", 404, CM_ERROR_NOT_FOUND, NULL, NULL, NULL, -1 },
    { "{}", 404, CM_ERROR_NOT_FOUND, NULL, NULL, NULL, -1 },
    { "{\"error\":\"x\"}", 500, CM_ERROR_INTERNAL, NULL, NULL, NULL, -1 },
    { "{\"error\":{}}", 429, CM_ERROR_RATE_LIMITED, NULL, NULL, NULL, -1 },
    { "{\"error\":{\"code\":5}}", 422, CM_ERROR_INVALID_FIELD, NULL, NULL, NULL, -1 },
    { "{\"error\":{\"code\":null,\"message\":\"Hi.\"}}", 401, CM_ERROR_SESSION_EXPIRED, NULL,
      NULL, NULL, -1 },
    /* Unknown code: the status decides, and the server's message is shown */
    { "{\"error\":{\"code\":\"brand_new\",\"message\":\"Try the new app.\"}}", 409,
      CM_ERROR_PROTOCOL, "Try the new app.", NULL, NULL, -1 },
    { "{\"error\":{\"code\":\"brand_new\",\"message\":\"Slow down.\",\"retry_after\":9}}", 429,
      CM_ERROR_RATE_LIMITED, "Slow down.", NULL, NULL, 9 },
    /* ... but not a message that is empty, has control characters or is not a string */
    { "{\"error\":{\"code\":\"brand_new\",\"message\":\"\"}}", 500, CM_ERROR_INTERNAL, NULL, NULL,
      NULL, -1 },
    { "{\"error\":{\"code\":\"brand_new\",\"message\":\"a\\u001b[2Jb\"}}", 500, CM_ERROR_INTERNAL,
      NULL, NULL, NULL, -1 },
    { "{\"error\":{\"code\":\"brand_new\",\"message\":[1]}}", 500, CM_ERROR_INTERNAL, NULL, NULL,
      NULL, -1 },
    /* A client-only name from a server is an unknown code */
    { "{\"error\":{\"code\":\"network\",\"message\":\"Hm.\"}}", 503, CM_ERROR_UNAVAILABLE, "Hm.",
      NULL, NULL, -1 },
    /* Known code: the server's message is not used (it could say "no such user") */
    { "{\"error\":{\"code\":\"invalid_credentials\",\"message\":\"No user smithj9999\"}}", 401,
      CM_ERROR_INVALID_CREDENTIALS, NULL, NULL, NULL, -1 },
    /* The code wins over the status */
    { "{\"error\":{\"code\":\"user_id_taken\"}}", 400, CM_ERROR_USER_ID_TAKEN, NULL, NULL, NULL,
      -1 },
    /* Members of the wrong type are skipped, the rest is kept */
    { "{\"error\":{\"code\":\"weak_password\",\"field\":7,"
      "\"details\":[\"too_short\",5,null,{},\"contains_user_id\"],\"retry_after\":\"10\"}}", 422,
      CM_ERROR_WEAK_PASSWORD, NULL, NULL, "too_short,contains_user_id", -1 },
    { "{\"error\":{\"code\":\"weak_password\",\"field\":\"password\",\"details\":\"too_short\"}}",
      422, CM_ERROR_WEAK_PASSWORD, NULL, "password", NULL, -1 },
    { "{\"error\":{\"code\":\"account_locked\",\"retry_after\":-1}}", 423,
      CM_ERROR_ACCOUNT_LOCKED, NULL, NULL, NULL, -1 },
    { "{\"error\":{\"code\":\"account_locked\",\"retry_after\":1.5}}", 423,
      CM_ERROR_ACCOUNT_LOCKED, NULL, NULL, NULL, -1 },
    { "{\"error\":{\"code\":\"account_locked\",\"retry_after\":1800.0}}", 423,
      CM_ERROR_ACCOUNT_LOCKED, NULL, NULL, NULL, 1800 },
    { "{\"error\":{\"code\":\"account_locked\",\"retry_after\":9007199254740991}}", 423,
      CM_ERROR_ACCOUNT_LOCKED, NULL, NULL, NULL, -1 },
    { "{\"error\":{\"code\":\"account_locked\",\"retry_after\":1800}}", 423,
      CM_ERROR_ACCOUNT_LOCKED, NULL, NULL, NULL, 1800 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("row %u", i);
      if (cases[i].body != NULL)
        node = parse (cases[i].body);
      error = cm_error_from_json (node, cases[i].status);

      g_assert_error (error, CM_ERROR, (gint) cases[i].code);
      g_assert_cmpstr (error->message, ==,
                       cases[i].message != NULL ? cases[i].message
                                                : cm_error_code_get_message (cases[i].code));
      g_assert_cmpstr (cm_error_get_field (error), ==, cases[i].field);
      assert_details (error, cases[i].details);
      g_assert_cmpint (cm_error_get_retry_after (error), ==, cases[i].retry_after);
    }
}

static void
test_json_from_too_many_details (void)
{
  g_autoptr(GString) body = g_string_new ("{\"error\":{\"code\":\"weak_password\",\"details\":[");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (body, "%s\"d%u\"", i > 0 ? "," : "", i);
  g_string_append (body, "]}}");

  node = parse (body->str);
  error = cm_error_from_json (node, 422);
  g_assert_error (error, CM_ERROR, CM_ERROR_WEAK_PASSWORD);
  g_assert_cmpuint (g_strv_length ((char **) cm_error_get_details (error)), <=, 32);
  g_assert_true (cm_error_has_detail (error, "d0"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error/codes/names", test_codes_names);
  g_test_add_func ("/error/codes/to-http-status", test_codes_to_http);
  g_test_add_func ("/error/codes/from-http-status", test_codes_from_http);
  g_test_add_func ("/error/codes/messages", test_codes_messages);
  g_test_add_func ("/error/codes/transient", test_codes_transient);
  g_test_add_func ("/error/codes/wait-wording", test_codes_wait_wording);
  g_test_add_func ("/error/private/data", test_private_data);
  g_test_add_func ("/error/private/set-error", test_private_set_error);
  g_test_add_func ("/error/private/copy", test_private_copy);
  g_test_add_func ("/error/private/other-domain", test_private_other_domain);
  g_test_add_func ("/error/json/shape", test_json_shape);
  g_test_add_func ("/error/json/retry-after", test_json_retry_after);
  g_test_add_func ("/error/json/not-on-wire", test_json_not_on_wire);
  g_test_add_func ("/error/json/round-trip", test_json_round_trip);
  g_test_add_func ("/error/json/from-bodies", test_json_from_bodies);
  g_test_add_func ("/error/json/from-too-many-details", test_json_from_too_many_details);

  return g_test_run ();
}
