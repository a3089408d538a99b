/* test-json.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-json"

#include "config.h"

#include <string.h>

#include "cm-error.h"
#include "cm-json.h"
#include "cm-json-private.h"

static JsonNode *
parse_default (const char  *text,
               gsize        length,
               GError     **error)
{
  return cm_json_parse (text, length, CM_JSON_MAX_BYTES, CM_JSON_MAX_DEPTH, error);
}

static void
assert_parses (const char *text,
               gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse_default (text, length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
}

static void
assert_refused (const char *text,
                gsize       length,
                CmError     code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse_default (text, length, &error);

  g_assert_null (node);
  g_assert_error (error, CM_ERROR, (gint) code);
  g_assert_cmpstr (error->message, ==, cm_error_code_get_message (code));
}

static void
test_parse_valid (void)
{
  const char *cases[] = {
    "{}",
    "[]",
    "0",
    "-0",
    "1.5e3",
    "1E-2",
    "-12.5e+3",
    "\"x\"",
    "\"\"",
    "true",
    "false",
    "null",
    " \t\r\n{\"a\":[1,2,{\"b\":null}]} \n",
    "{\"a\":\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\"}",
    "{\"\u00e9t\u00e9\":\"\u738b\"}",
    /* The same name in different objects is fine, and names differ by case */
    "{\"a\":{\"a\":1},\"b\":{\"a\":1}}",
    "[{\"a\":1},{\"a\":2}]",
    "{\"a\":1,\"A\":2}",
    /* NFC-equal but different code points: different names in JSON */
    "{\"\u00e9\":1,\"e\\u0301\":2}",
    "[9007199254740991,-9007199254740991]",
    "[1e30,123456789012345678901234567890.5]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("row %u", i);
      assert_parses (cases[i], strlen (cases[i]));
    }
}

static void
test_parse_malformed (void)
{
  const char *cases[] = {
    "",
    "   ",
    "{",
    "}",
    "[",
    "]",
    "[1,]",
    "[,1]",
    "[1 2]",
    "{\"a\" 1}",
    "{\"a\":}",
    "{\"a\":1,}",
    "{,}",
    "{a:1}",
    "{'a':1}",
    "{\"a\":1 \"b\":2}",
    "{\"a\"}",
    "[01]",
    "[1.]",
    "[.5]",
    "[1e]",
    "[+1]",
    "[-]",
    "[0x10]",
    "[NaN]",
    "[Infinity]",
    "[tru]",
    "[True]",
    "[nul]",
    "[true false]",
    "{} {}",
    "[1]x",
    "1 2",
    "/* comment */ {}",
    "{} // comment",
    "\"\\x41\"",
    "\"\\u12\"",
    "\"\\u12G4\"",
    "\"a\nb\"",
    "\"a\tb\"",
    "\"unterminated",
    "\"\\",
    "\xef\xbb\xbf{}",   /* a byte order mark */
    "[\"\\ud800\"]",     /* lone surrogates */
    "[\"\\udc00\"]",
    "[\"\\ud800\\u0041\"]",
    "[\"\\ud800x\"]",
    "[1]]",
    "[[1]",
    "{\"a\":[1}",
    "[1}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("row %u", i);
      assert_refused (cases[i], strlen (cases[i]), CM_ERROR_MALFORMED_JSON);
    }
}

/* json-glib would cut these strings short at the NUL */
static void
test_parse_nul (void)
{
  const char *cases[] = {
    "[\"\\u0000\"]",
    "[\"abc\\u0000def\"]",
    "{\"a\\u0000b\":1}",
    "{\"x\":{\"y\":[\"\\u0000\"]}}",
  };
  const char raw_nul[] = "[\"a\0b\"]";
  const char trailing_nul[] = "[1]\0";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("row %u", i);
      assert_refused (cases[i], strlen (cases[i]), CM_ERROR_MALFORMED_JSON);
    }

  /* A raw NUL byte, inside a string or after the value */
  assert_refused (raw_nul, sizeof raw_nul - 1, CM_ERROR_MALFORMED_JSON);
  assert_refused (trailing_nul, sizeof trailing_nul - 1, CM_ERROR_MALFORMED_JSON);

  /* An escaped "\\u0000" text (backslash, then u0000) is not a NUL */
  assert_parses ("[\"\\\\u0000\"]", strlen ("[\"\\\\u0000\"]"));
}

static void
test_parse_invalid_utf8 (void)
{
  const char *cases[] = {
    "[\"\xff\"]",
    "[\"\xc3\"]",            /* truncated sequence */
    "[\"\xc0\xaf\"]",        /* overlong '/' */
    "[\"\xed\xa0\x80\"]",    /* an encoded surrogate */
    "[\"\xf4\x90\x80\x80\"]", /* beyond U+10FFFF */
    "{\"\xff\":1}",
    "[1]\xff",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("row %u", i);
      assert_refused (cases[i], strlen (cases[i]), CM_ERROR_MALFORMED_JSON);
    }
}

static void
test_parse_duplicates (void)
{
  const char *cases[] = {
    "{\"a\":1,\"a\":2}",
    "{\"a\":1,\"b\":2,\"a\":1}",
    "{\"a\":1,\"\\u0061\":2}",
    "{\"\\u0061\":1,\"a\":2}",
    "{\"\u00e9\":1,\"\\u00e9\":2}",
    "{\"\\/\":1,\"/\":2}",
    "{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}",
    "{\"x\":{\"a\":1,\"b\":{\"c\":1,\"c\":2}}}",
    "[{\"a\":1},{\"a\":1,\"a\":1}]",
    "{\"x\":[[{\"k\":{},\"k\":[]}]]}",
    "{\"error\":{\"code\":\"internal\",\"code\":\"weak_password\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("row %u", i);
      assert_refused (cases[i], strlen (cases[i]), CM_ERROR_MALFORMED_JSON);
    }
}

static char *
nested (guint       depth,
        const char *open,
        const char *inner,
        const char *close)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, open);
  g_string_append (s, inner);
  for (guint i = 0; i < depth; i++)
    g_string_append (s, close);
  return g_string_free (s, FALSE);
}

static void
test_parse_depth (void)
{
  g_autofree char *arrays_ok = nested (CM_JSON_MAX_DEPTH, "[", "1", "]");
  g_autofree char *arrays_over = nested (CM_JSON_MAX_DEPTH + 1, "[", "1", "]");
  /* CM_JSON_MAX_DEPTH - 1 objects around an empty one: CM_JSON_MAX_DEPTH levels */
  g_autofree char *objects_ok = nested (CM_JSON_MAX_DEPTH - 1, "{\"a\":", "{}", "}");
  g_autofree char *objects_over = nested (CM_JSON_MAX_DEPTH + 1, "{\"a\":", "1", "}");
  g_autofree char *deep = g_strnfill (10000, '[');
  g_autofree char *deep_closed = nested (10000, "[", "", "]");
  g_autofree char *deep_objects = nested (5000, "{\"a\":", "1", "}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  assert_parses (arrays_ok, strlen (arrays_ok));
  assert_parses (objects_ok, strlen (objects_ok));
  assert_refused (arrays_over, strlen (arrays_over), CM_ERROR_MALFORMED_JSON);
  assert_refused (objects_over, strlen (objects_over), CM_ERROR_MALFORMED_JSON);

  /* Hostile: 10000 '[' inside 64 KiB, which would crash json-glib */
  g_assert_cmpuint (strlen (deep), <, CM_JSON_MAX_BYTES);
  assert_refused (deep, strlen (deep), CM_ERROR_MALFORMED_JSON);
  assert_refused (deep_closed, strlen (deep_closed), CM_ERROR_MALFORMED_JSON);
  assert_refused (deep_objects, strlen (deep_objects), CM_ERROR_MALFORMED_JSON);

  /* The cap is the caller's */
  node = cm_json_parse (arrays_over, strlen (arrays_over), CM_JSON_MAX_BYTES,
                        CM_JSON_MAX_DEPTH + 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_clear_pointer (&node, json_node_unref);
  node = cm_json_parse ("[]", 2, CM_JSON_MAX_BYTES, 0, &error);
  g_assert_error (error, CM_ERROR, CM_ERROR_MALFORMED_JSON);
  g_assert_null (node);
}

static void
test_parse_size (void)
{
  g_autofree char *exact = g_malloc (CM_JSON_MAX_BYTES);
  g_autofree char *over = g_malloc (CM_JSON_MAX_BYTES + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* A valid document of exactly the cap, then one byte more */
  memset (exact, ' ', CM_JSON_MAX_BYTES);
  memcpy (exact, "{}", 2);
  assert_parses (exact, CM_JSON_MAX_BYTES);

  memset (over, ' ', CM_JSON_MAX_BYTES + 1);
  memcpy (over, "{}", 2);
  assert_refused (over, CM_JSON_MAX_BYTES + 1, CM_ERROR_BODY_TOO_LARGE);

  /* The size is checked first, even on garbage */
  node = cm_json_parse ("\xff\xff\xff\xff", 4, 3, CM_JSON_MAX_DEPTH, &error);
  g_assert_error (error, CM_ERROR, CM_ERROR_BODY_TOO_LARGE);
  g_assert_null (node);
}

static void
test_parse_big_integers (void)
{
  const char *refused[] = {
    "[9007199254740992]",
    "[-9007199254740992]",
    "[9223372036854775807]",
    "[9223372036854775808]",
    "[18446744073709551615]",
    "[18446744073709551616]",
    "[99999999999999999999999999]",
    "{\"id\":123456789012345678}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_test_message ("row %u", i);
      assert_refused (refused[i], strlen (refused[i]), CM_ERROR_MALFORMED_JSON);
    }
}

static void
test_parse_length (void)
{
  const char *text = "{\"a\":1}garbage";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  char *copy;

  /* Only @length bytes are read; the data need not end with a NUL */
  assert_parses (text, 7);
  assert_refused (text, strlen (text), CM_ERROR_MALFORMED_JSON);

  copy = g_memdup2 ("[1,2]", 5);  /* no terminating NUL: ASan catches over-reads */
  node = cm_json_parse (copy, 5, CM_JSON_MAX_BYTES, CM_JSON_MAX_DEPTH, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 2);
  g_free (copy);

  g_clear_pointer (&node, json_node_unref);
  copy = g_memdup2 ("\"abc", 4);
  node = cm_json_parse (copy, 4, CM_JSON_MAX_BYTES, CM_JSON_MAX_DEPTH, &error);
  g_assert_error (error, CM_ERROR, CM_ERROR_MALFORMED_JSON);
  g_assert_null (node);
  g_free (copy);
}

static void
test_parse_object (void)
{
  const char *refused[] = { "[]", "1", "\"{}\"", "null", "" };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;

  object = cm_json_parse_object ("{\"a\":1}", 7, &error);
  g_assert_no_error (error);
  g_assert_nonnull (object);
  g_assert_true (json_object_has_member (object, "a"));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonObject) refused_object = NULL;

      refused_object = cm_json_parse_object (refused[i], strlen (refused[i]), &local_error);
      g_assert_null (refused_object);
      g_assert_error (local_error, CM_ERROR, CM_ERROR_MALFORMED_JSON);
    }
}

/* ---- getters ---- */

static const char getter_doc[] =
  "{\"s\":\"x\",\"empty\":\"\",\"n\":null,\"i\":5,\"d\":2.5,\"di\":3.0,\"de\":3e2,\"neg\":-7,"
  "\"b\":true,\"o\":{\"k\":1},\"a\":[1],\"five\":\"5\",\"big\":9007199254740991,"
  "\"huge\":1e300}";

typedef enum
{
  GET_STRING,
  GET_BOOLEAN,
  GET_INT,
  GET_OBJECT,
  GET_ARRAY,
} Getter;

typedef struct
{
  Getter      getter;
  const char *member;
  gboolean    required;
  gint64      min;
  gint64      max;
  gboolean    ok;
  gboolean    touched;  /* on success: whether *out was set */
  CmError     code;     /* on failure */
} GetCase;

static void
test_getters (void)
{
  const GetCase cases[] = {
    { GET_STRING, "s", TRUE, 0, 0, TRUE, TRUE, 0 },
    { GET_STRING, "empty", TRUE, 0, 0, TRUE, TRUE, 0 },
    { GET_STRING, "n", FALSE, 0, 0, TRUE, FALSE, 0 },
    { GET_STRING, "n", TRUE, 0, 0, FALSE, FALSE, CM_ERROR_MISSING_FIELD },
    { GET_STRING, "absent", FALSE, 0, 0, TRUE, FALSE, 0 },
    { GET_STRING, "absent", TRUE, 0, 0, FALSE, FALSE, CM_ERROR_MISSING_FIELD },
    { GET_STRING, "i", TRUE, 0, 0, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_STRING, "i", FALSE, 0, 0, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_STRING, "b", TRUE, 0, 0, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_STRING, "o", TRUE, 0, 0, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_STRING, "a", TRUE, 0, 0, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_BOOLEAN, "b", TRUE, 0, 0, TRUE, TRUE, 0 },
    { GET_BOOLEAN, "absent", FALSE, 0, 0, TRUE, FALSE, 0 },
    { GET_BOOLEAN, "absent", TRUE, 0, 0, FALSE, FALSE, CM_ERROR_MISSING_FIELD },
    { GET_BOOLEAN, "s", TRUE, 0, 0, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_BOOLEAN, "i", TRUE, 0, 0, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_INT, "i", TRUE, 0, 10, TRUE, TRUE, 0 },
    { GET_INT, "i", TRUE, 5, 5, TRUE, TRUE, 0 },
    { GET_INT, "i", TRUE, 6, 10, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_INT, "i", TRUE, 0, 4, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_INT, "neg", TRUE, -10, 0, TRUE, TRUE, 0 },
    { GET_INT, "neg", TRUE, 0, 10, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_INT, "d", TRUE, 0, 10, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_INT, "di", TRUE, 0, 10, TRUE, TRUE, 0 },
    { GET_INT, "de", TRUE, 0, 1000, TRUE, TRUE, 0 },
    { GET_INT, "de", TRUE, 0, 299, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_INT, "huge", TRUE, G_MININT64, G_MAXINT64, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_INT, "big", TRUE, 0, G_MAXINT64, TRUE, TRUE, 0 },
    { GET_INT, "big", TRUE, 0, 100, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_INT, "five", TRUE, 0, 10, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_INT, "s", TRUE, 0, 10, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_INT, "b", TRUE, 0, 10, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_INT, "n", TRUE, 0, 10, FALSE, FALSE, CM_ERROR_MISSING_FIELD },
    { GET_INT, "n", FALSE, 0, 10, TRUE, FALSE, 0 },
    { GET_OBJECT, "o", TRUE, 0, 0, TRUE, TRUE, 0 },
    { GET_OBJECT, "a", TRUE, 0, 0, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_OBJECT, "s", TRUE, 0, 0, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_OBJECT, "absent", FALSE, 0, 0, TRUE, FALSE, 0 },
    { GET_OBJECT, "absent", TRUE, 0, 0, FALSE, FALSE, CM_ERROR_MISSING_FIELD },
    { GET_ARRAY, "a", TRUE, 0, 0, TRUE, TRUE, 0 },
    { GET_ARRAY, "o", TRUE, 0, 0, FALSE, FALSE, CM_ERROR_INVALID_FIELD },
    { GET_ARRAY, "absent", FALSE, 0, 0, TRUE, FALSE, 0 },
    { GET_ARRAY, "n", TRUE, 0, 0, FALSE, FALSE, CM_ERROR_MISSING_FIELD },
  };
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonObject) object = cm_json_parse_object (getter_doc, strlen (getter_doc),
                                                       &parse_error);

  g_assert_no_error (parse_error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const GetCase *c = &cases[i];
      g_autoptr(GError) error = NULL;
      /* Sentinels, to see whether the getter wrote */
      const char *s = "untouched";
      gboolean b = 42;
      gint64 n = 4242;
      JsonObject *o = (JsonObject *) &s;
      JsonArray *a = (JsonArray *) &s;
      gboolean ok = FALSE;
      gboolean touched = FALSE;

      g_test_message ("row %u: %s", i, c->member);
      switch (c->getter)
        {
        case GET_STRING:
          ok = cm_json_get_string (object, c->member, c->required, &s, &error);
          touched = g_strcmp0 (s, "untouched") != 0;
          break;
        case GET_BOOLEAN:
          ok = cm_json_get_boolean (object, c->member, c->required, &b, &error);
          touched = b != 42;
          break;
        case GET_INT:
          ok = cm_json_get_int (object, c->member, c->required, c->min, c->max, &n, &error);
          touched = n != 4242;
          break;
        case GET_OBJECT:
          ok = cm_json_get_object (object, c->member, c->required, &o, &error);
          touched = o != (JsonObject *) &s;
          break;
        case GET_ARRAY:
          ok = cm_json_get_array (object, c->member, c->required, &a, &error);
          touched = a != (JsonArray *) &s;
          break;
        default:
          g_assert_not_reached ();
        }

      g_assert_cmpint (ok, ==, c->ok);
      if (c->ok)
        {
          g_assert_no_error (error);
          g_assert_cmpint (touched, ==, c->touched);
        }
      else
        {
          g_assert_error (error, CM_ERROR, (gint) c->code);
          g_assert_cmpstr (cm_error_get_field (error), ==, c->member);
          g_assert_false (touched);
        }
    }
}

static void
test_getter_values (void)
{
  g_autoptr(JsonObject) object = cm_json_parse_object (getter_doc, strlen (getter_doc), NULL);
  const char *s = NULL;
  gboolean b = FALSE;
  gint64 n = 0;
  JsonObject *o = NULL;
  JsonArray *a = NULL;

  g_assert_nonnull (object);
  g_assert_true (cm_json_get_string (object, "s", TRUE, &s, NULL));
  g_assert_cmpstr (s, ==, "x");
  g_assert_true (cm_json_get_boolean (object, "b", TRUE, &b, NULL));
  g_assert_true (b);
  g_assert_true (cm_json_get_int (object, "neg", TRUE, -10, 10, &n, NULL));
  g_assert_cmpint (n, ==, -7);
  g_assert_true (cm_json_get_int (object, "de", TRUE, 0, 1000, &n, NULL));
  g_assert_cmpint (n, ==, 300);
  g_assert_true (cm_json_get_int (object, "big", TRUE, 0, G_MAXINT64, &n, NULL));
  g_assert_cmpint (n, ==, G_GINT64_CONSTANT (9007199254740991));
  g_assert_true (cm_json_get_object (object, "o", TRUE, &o, NULL));
  g_assert_true (json_object_has_member (o, "k"));
  g_assert_true (cm_json_get_array (object, "a", TRUE, &a, NULL));
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
}

/* Written directly, read back the same: quotes, backslashes, every control character,
 * non-ASCII; bytes that are not UTF-8 come back as U+FFFD; NULL is null. */
static void
test_append_string (void)
{
  g_autoptr(GString) control = g_string_new (NULL);
  const char *values[] = {
    "", "plain", "O'Brien \"Jr\" \\ / caf\u00e9 \u738b \U0001F527", "\t\r\n\b\f\x7f",
    "a\"", "\\", "\"\"",
  };

  for (char c = 1; c < 0x20; c++)
    g_string_append_c (control, c);
  for (gsize i = 0; i <= G_N_ELEMENTS (values); i++)
    {
      const char *value = i < G_N_ELEMENTS (values) ? values[i] : control->str;
      g_autoptr(GString) out = g_string_new ("{");
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;
      const char *back = NULL;

      cm_json_append_member (out, "v", value);
      g_string_append_c (out, '}');
      node = parse_default (out->str, out->len, &error);
      g_assert_no_error (error);
      g_assert_true (cm_json_get_string (json_node_get_object (node), "v", TRUE, &back, &error));
      g_assert_cmpstr (back, ==, value);
    }

  {
    g_autoptr(GString) out = g_string_new (NULL);

    cm_json_append_string (out, "ok \xff\xfe end");
    g_assert_cmpstr (out->str, ==, "\"ok \xef\xbf\xbd\xef\xbf\xbd end\"");
    g_string_truncate (out, 0);
    cm_json_append_string (out, NULL);
    g_assert_cmpstr (out->str, ==, "null");
  }
}

static void
test_to_string (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) back = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  gsize length = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "O'Brien \"Jr\" \u00e9\u738b\n\\");
  json_builder_set_member_name (builder, "n");
  json_builder_add_int_value (builder, 42);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  text = cm_json_to_string (node, &length);
  g_assert_cmpuint (length, ==, strlen (text));

  /* What we write, we read back */
  back = parse_default (text, length, &error);
  g_assert_no_error (error);
  again = cm_json_to_string (back, NULL);
  g_assert_cmpstr (again, ==, text);

  bytes = cm_json_to_bytes (node);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, length);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), length, text, length);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/parse/valid", test_parse_valid);
  g_test_add_func ("/json/parse/malformed", test_parse_malformed);
  g_test_add_func ("/json/parse/nul", test_parse_nul);
  g_test_add_func ("/json/parse/invalid-utf8", test_parse_invalid_utf8);
  g_test_add_func ("/json/parse/duplicate-names", test_parse_duplicates);
  g_test_add_func ("/json/parse/depth", test_parse_depth);
  g_test_add_func ("/json/parse/size", test_parse_size);
  g_test_add_func ("/json/parse/big-integers", test_parse_big_integers);
  g_test_add_func ("/json/parse/length", test_parse_length);
  g_test_add_func ("/json/parse/object", test_parse_object);
  g_test_add_func ("/json/get/types", test_getters);
  g_test_add_func ("/json/get/values", test_getter_values);
  g_test_add_func ("/json/to-string", test_to_string);
  g_test_add_func ("/json/append-string", test_append_string);

  return g_test_run ();
}
