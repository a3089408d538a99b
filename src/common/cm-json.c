/* cm-json.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-json"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cm-error.h"
#include "cm-json.h"
#include "cm-json-private.h"

/* Integers beyond 2^53 lose precision in many JSON readers, and json-glib 1.6
 * wraps those beyond 2^64 silently, so no such number is trusted. */
#define SAFE_INTEGER_MAX G_GINT64_CONSTANT (9007199254740991)

/*
 * The pre-scan: a strict JSON (RFC 8259) checker over the raw text, so that
 * json-glib only ever sees well-formed input of bounded depth, and so that
 * what json-glib would hide (a duplicate name, "\u0000" cutting a string short,
 * a wrapped integer) is refused first.
 */

typedef enum
{
  EXPECT_VALUE,            /* top level, after ':' or after ',' in an array */
  EXPECT_VALUE_OR_END,     /* after '[' */
  EXPECT_NAME,             /* after ',' in an object */
  EXPECT_NAME_OR_END,      /* after '{' */
  EXPECT_COLON,
  EXPECT_COMMA_OR_END,     /* after a value inside a container */
  EXPECT_NOTHING,          /* after the top-level value */
} ScanState;

typedef struct
{
  gboolean    is_object;
  GHashTable *names;  /* (owned) (nullable): the decoded member names seen so far */
} Level;

typedef struct
{
  const char *p;
  const char *end;
  GArray     *levels;  /* Level */
  ScanState   state;
  GString    *name;    /* scratch buffer for a decoded member name */
} Scanner;

static void
level_clear (gpointer data)
{
  Level *level = data;

  g_clear_pointer (&level->names, g_hash_table_unref);
}

static gboolean
scan_fail (GError    **error,
           const char *reason)
{
  /* The reason is for logs; the user-facing message is the code's. */
  g_debug ("Refusing JSON: %s", reason);
  g_set_error_literal (error, CM_ERROR, CM_ERROR_MALFORMED_JSON,
                       cm_error_code_get_message (CM_ERROR_MALFORMED_JSON));
  return FALSE;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Scanner  *s,
           gunichar *out)
{
  gunichar value = 0;

  if (s->end - s->p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int digit = hex_value (s->p[i]);

      if (digit < 0)
        return FALSE;
      value = (value << 4) | (gunichar) digit;
    }
  s->p += 4;
  *out = value;
  return TRUE;
}

/* s->p is just after the opening quote. When @decoded is not NULL the decoded
 * text is stored there, for member names. The text is valid UTF-8 already. */
static gboolean
scan_string (Scanner  *s,
             GString  *decoded,
             GError  **error)
{
  if (decoded != NULL)
    g_string_truncate (decoded, 0);

  while (s->p < s->end)
    {
      guchar c = (guchar) *s->p;
      gunichar ch;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return scan_fail (error, "control character in a string");
      if (c != '\\')
        {
          if (decoded != NULL)
            g_string_append_c (decoded, (char) c);
          s->p++;
          continue;
        }

      s->p++;
      if (s->p >= s->end)
        break;
      c = (guchar) *s->p++;
      switch (c)
        {
        case '"': ch = '"'; break;
        case '\\': ch = '\\'; break;
        case '/': ch = '/'; break;
        case 'b': ch = '\b'; break;
        case 'f': ch = '\f'; break;
        case 'n': ch = '\n'; break;
        case 'r': ch = '\r'; break;
        case 't': ch = '\t'; break;
        case 'u':
          if (!read_hex4 (s, &ch))
            return scan_fail (error, "bad \\u escape");
          if (ch == 0)
            return scan_fail (error, "\\u0000 in a string");
          if (ch >= 0xDC00 && ch <= 0xDFFF)
            return scan_fail (error, "lone low surrogate");
          if (ch >= 0xD800 && ch <= 0xDBFF)
            {
              gunichar low;

              if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                return scan_fail (error, "lone high surrogate");
              s->p += 2;
              if (!read_hex4 (s, &low) || low < 0xDC00 || low > 0xDFFF)
                return scan_fail (error, "bad surrogate pair");
              ch = 0x10000 + ((ch - 0xD800) << 10) + (low - 0xDC00);
            }
          break;
        default:
          return scan_fail (error, "bad escape");
        }
      if (decoded != NULL)
        g_string_append_unichar (decoded, ch);
    }

  return scan_fail (error, "unterminated string");
}

static gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? ; an integer (no fraction, no
 * exponent) must fit in ±(2^53 - 1). */
static gboolean
scan_number (Scanner  *s,
             GError  **error)
{
  const char *start = s->p;
  const char *digits;
  gboolean is_integer = TRUE;

  if (s->p < s->end && *s->p == '-')
    s->p++;
  digits = s->p;
  if (s->p >= s->end || !is_digit (*s->p))
    return scan_fail (error, "bad number");
  if (*s->p == '0')
    s->p++;
  else
    while (s->p < s->end && is_digit (*s->p))
      s->p++;

  if (s->p < s->end && *s->p == '.')
    {
      is_integer = FALSE;
      s->p++;
      if (s->p >= s->end || !is_digit (*s->p))
        return scan_fail (error, "bad fraction");
      while (s->p < s->end && is_digit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      is_integer = FALSE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !is_digit (*s->p))
        return scan_fail (error, "bad exponent");
      while (s->p < s->end && is_digit (*s->p))
        s->p++;
    }

  if (!is_integer)
    {
      /* json-glib would read 1e999 as infinity, which nothing can write back. */
      g_autofree char *text = g_strndup (start, (gsize) (s->p - start));

      if (!isfinite (g_ascii_strtod (text, NULL)))
        return scan_fail (error, "number out of range");
    }
  else
    {
      gsize n_digits = (gsize) (s->p - digits);
      guint64 value = 0;

      if (n_digits > 16)
        return scan_fail (error, "integer too large");
      for (const char *d = digits; d < s->p; d++)
        value = value * 10 + (guint64) (*d - '0');
      if (value > (guint64) SAFE_INTEGER_MAX)
        return scan_fail (error, "integer too large");
    }

  return TRUE;
}

static gboolean
scan_literal (Scanner    *s,
              const char *word,
              GError    **error)
{
  gsize len = strlen (word);

  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return scan_fail (error, "bad literal");
  s->p += len;
  return TRUE;
}

static Level *
top_level (Scanner *s)
{
  if (s->levels->len == 0)
    return NULL;
  return &g_array_index (s->levels, Level, s->levels->len - 1);
}

/* The state after a complete value, depending on what encloses it. */
static void
after_value (Scanner *s)
{
  s->state = s->levels->len == 0 ? EXPECT_NOTHING : EXPECT_COMMA_OR_END;
}

static gboolean
scan (Scanner  *s,
      guint     max_depth,
      GError  **error)
{
  while (s->p < s->end)
    {
      char c = *s->p;
      Level *level;

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        {
          s->p++;
          continue;
        }

      level = top_level (s);

      switch (s->state)
        {
        case EXPECT_NOTHING:
          return scan_fail (error, "text after the value");

        case EXPECT_COLON:
          if (c != ':')
            return scan_fail (error, "expected ':'");
          s->p++;
          s->state = EXPECT_VALUE;
          continue;

        case EXPECT_COMMA_OR_END:
          g_assert (level != NULL);
          if (c == ',')
            {
              s->p++;
              s->state = level->is_object ? EXPECT_NAME : EXPECT_VALUE;
              continue;
            }
          if ((c == '}' && level->is_object) || (c == ']' && !level->is_object))
            {
              s->p++;
              g_array_set_size (s->levels, s->levels->len - 1);
              after_value (s);
              continue;
            }
          return scan_fail (error, "expected ',' or the end of the container");

        case EXPECT_NAME_OR_END:
        case EXPECT_NAME:
          g_assert (level != NULL && level->is_object);
          if (c == '}' && s->state == EXPECT_NAME_OR_END)
            {
              s->p++;
              g_array_set_size (s->levels, s->levels->len - 1);
              after_value (s);
              continue;
            }
          if (c != '"')
            return scan_fail (error, "expected a member name");
          s->p++;
          if (!scan_string (s, s->name, error))
            return FALSE;
          if (level->names == NULL)
            level->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          /* Compared decoded, so "a" and "\u0061" are the same name. */
          if (!g_hash_table_add (level->names, g_strndup (s->name->str, s->name->len)))
            return scan_fail (error, "duplicate member name");
          s->state = EXPECT_COLON;
          continue;

        case EXPECT_VALUE_OR_END:
          if (c == ']')
            {
              s->p++;
              g_array_set_size (s->levels, s->levels->len - 1);
              after_value (s);
              continue;
            }
          G_GNUC_FALLTHROUGH;
        case EXPECT_VALUE:
          if (c == '{' || c == '[')
            {
              Level new_level = { c == '{', NULL };

              if (s->levels->len >= max_depth)
                return scan_fail (error, "nested too deep");
              g_array_append_val (s->levels, new_level);
              s->p++;
              s->state = c == '{' ? EXPECT_NAME_OR_END : EXPECT_VALUE_OR_END;
              continue;
            }
          if (c == '"')
            {
              s->p++;
              if (!scan_string (s, NULL, error))
                return FALSE;
            }
          else if (c == '-' || is_digit (c))
            {
              if (!scan_number (s, error))
                return FALSE;
            }
          else if (c == 't')
            {
              if (!scan_literal (s, "true", error))
                return FALSE;
            }
          else if (c == 'f')
            {
              if (!scan_literal (s, "false", error))
                return FALSE;
            }
          else if (c == 'n')
            {
              if (!scan_literal (s, "null", error))
                return FALSE;
            }
          else
            {
              return scan_fail (error, "expected a value");
            }
          after_value (s);
          continue;

        default:
          g_assert_not_reached ();
        }
    }

  if (s->state != EXPECT_NOTHING)
    return scan_fail (error, "incomplete text");
  return TRUE;
}

static gboolean
prescan (const char  *data,
         gsize        length,
         guint        max_depth,
         GError     **error)
{
  Scanner s = { 0, };
  gboolean ok;

  /* Also refuses a NUL byte anywhere. */
  if (!g_utf8_validate_len (data, length, NULL))
    return scan_fail (error, "invalid UTF-8");

  s.p = data;
  s.end = data + length;
  s.state = EXPECT_VALUE;
  s.levels = g_array_sized_new (FALSE, FALSE, sizeof (Level), MIN (max_depth, 64));
  g_array_set_clear_func (s.levels, level_clear);
  s.name = g_string_new (NULL);

  ok = scan (&s, max_depth, error);

  g_array_unref (s.levels);
  g_string_free (s.name, TRUE);
  return ok;
}

/**
 * cm_json_parse:
 * @data: (array length=length): the raw text, not necessarily NUL-terminated
 * @length: its length in bytes
 * @max_bytes: refuse more than this many bytes
 * @max_depth: refuse more than this many nested arrays and objects
 * @error: CM_ERROR_BODY_TOO_LARGE or CM_ERROR_MALFORMED_JSON
 *
 * Parses strict JSON (RFC 8259 text, any value at the top level).
 *
 * Returns: (transfer full): the root node, immutable
 */
JsonNode *
cm_json_parse (const char  *data,
               gsize        length,
               gsize        max_bytes,
               guint        max_depth,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > max_bytes)
    {
      g_set_error_literal (error, CM_ERROR, CM_ERROR_BODY_TOO_LARGE,
                           cm_error_code_get_message (CM_ERROR_BODY_TOO_LARGE));
      return NULL;
    }

  if (data == NULL)
    data = "";
  if (!prescan (data, length, max_depth, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      scan_fail (error, local_error->message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    scan_fail (error, "empty document");
  return root;
}

/**
 * cm_json_parse_object:
 * @data: (array length=length): the raw text
 * @length: its length in bytes
 * @error: CM_ERROR_BODY_TOO_LARGE or CM_ERROR_MALFORMED_JSON
 *
 * cm_json_parse() with the contract's limits (CM_JSON_MAX_BYTES,
 * CM_JSON_MAX_DEPTH), for a body that must be an object.
 *
 * Returns: (transfer full): the object
 */
JsonObject *
cm_json_parse_object (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  root = cm_json_parse (data, length, CM_JSON_MAX_BYTES, CM_JSON_MAX_DEPTH, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      scan_fail (error, "not an object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/* The member, or NULL after reporting a missing one (or when absent and optional). */
static JsonNode *
get_member (JsonObject  *object,
            const char  *member,
            gboolean     required,
            gboolean    *ok,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *ok = TRUE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_propagate_error (error, cm_error_new (CM_ERROR_MISSING_FIELD, member, NULL));
          *ok = FALSE;
        }
      return NULL;
    }
  return node;
}

static gboolean
wrong_type (const char  *member,
            GError     **error)
{
  g_propagate_error (error, cm_error_new (CM_ERROR_INVALID_FIELD, member, NULL));
  return FALSE;
}

static gboolean
holds_value_of_type (JsonNode *node,
                     GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
cm_json_get_string (JsonObject  *object,
                    const char  *member,
                    gboolean     required,
                    const char **out,
                    GError     **error)
{
  JsonNode *node;
  gboolean ok;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = get_member (object, member, required, &ok, error);
  if (node == NULL)
    return ok;
  if (!holds_value_of_type (node, G_TYPE_STRING))
    return wrong_type (member, error);

  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
cm_json_get_boolean (JsonObject  *object,
                     const char  *member,
                     gboolean     required,
                     gboolean    *out,
                     GError     **error)
{
  JsonNode *node;
  gboolean ok;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = get_member (object, member, required, &ok, error);
  if (node == NULL)
    return ok;
  if (!holds_value_of_type (node, G_TYPE_BOOLEAN))
    return wrong_type (member, error);

  *out = json_node_get_boolean (node);
  return TRUE;
}

/**
 * cm_json_get_int:
 *
 * Accepts a JSON integer, or a number with no fractional part written as
 * a double (`3.0`, `3e2`), within [@min, @max] and within ±(2^53 - 1). A
 * string holding digits is refused: identifiers travel as strings and are
 * read with cm_json_get_string().
 */
gboolean
cm_json_get_int (JsonObject  *object,
                 const char  *member,
                 gboolean     required,
                 gint64       min,
                 gint64       max,
                 gint64      *out,
                 GError     **error)
{
  JsonNode *node;
  gboolean ok;
  gint64 value;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (min <= max, FALSE);

  node = get_member (object, member, required, &ok, error);
  if (node == NULL)
    return ok;

  if (holds_value_of_type (node, G_TYPE_INT64))
    {
      value = json_node_get_int (node);
      if (value > SAFE_INTEGER_MAX || value < -SAFE_INTEGER_MAX)
        return wrong_type (member, error);
    }
  else if (holds_value_of_type (node, G_TYPE_DOUBLE))
    {
      double d = json_node_get_double (node);

      if (!isfinite (d) || d != floor (d) ||
          d > (double) SAFE_INTEGER_MAX || d < -(double) SAFE_INTEGER_MAX)
        return wrong_type (member, error);
      value = (gint64) d;
    }
  else
    {
      return wrong_type (member, error);
    }

  if (value < min || value > max)
    return wrong_type (member, error);

  *out = value;
  return TRUE;
}

gboolean
cm_json_get_object (JsonObject  *object,
                    const char  *member,
                    gboolean     required,
                    JsonObject **out,
                    GError     **error)
{
  JsonNode *node;
  gboolean ok;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = get_member (object, member, required, &ok, error);
  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (member, error);

  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
cm_json_get_array (JsonObject  *object,
                   const char  *member,
                   gboolean     required,
                   JsonArray  **out,
                   GError     **error)
{
  JsonNode *node;
  gboolean ok;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = get_member (object, member, required, &ok, error);
  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (member, error);

  *out = json_node_get_array (node);
  return TRUE;
}

/* json-glib 1.6 appends ".0" to every double printed without a '.', which
 * turns 1e+20 into the invalid 1e+20.0: drop that suffix after an exponent,
 * outside strings. Non-finite doubles cannot reach here (the parser refuses
 * them and nothing of ours builds them). */
static void
repair_exponents (char *text)
{
  gboolean in_string = FALSE;
  char *out = text;

  for (const char *p = text; *p != '\0'; p++)
    {
      *out++ = *p;
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            *out++ = *++p;
          else if (*p == '"')
            in_string = FALSE;
          continue;
        }
      if (*p == '"')
        {
          in_string = TRUE;
          continue;
        }
      if ((*p == 'e' || *p == 'E') && p > text && is_digit (p[-1]))
        {
          if (p[1] == '+' || p[1] == '-')
            *out++ = *++p;
          while (is_digit (p[1]))
            *out++ = *++p;
          if (p[1] == '.' && p[2] == '0' && !is_digit (p[3]))
            p += 2;
        }
    }
  *out = '\0';
}

/**
 * cm_json_to_string:
 * @node: a node
 * @length: (out) (optional): the length in bytes
 *
 * Returns: (transfer full): compact JSON text
 */
char *
cm_json_to_string (JsonNode *node,
                   gsize    *length)
{
  char *text;

  g_return_val_if_fail (node != NULL, NULL);

  text = json_to_string (node, FALSE);
  repair_exponents (text);
  if (length != NULL)
    *length = strlen (text);
  return text;
}

/**
 * cm_json_append_string:
 * @out: JSON text being written
 * @value: (nullable): UTF-8 text; bytes that are not are written as U+FFFD
 *
 * Appends @value as a JSON string (null for %NULL), escaped as RFC 8259 asks:
 * for an answer written directly, with no JsonNode tree to build, walk and free.
 * cm_json_parse() reads back exactly @value.
 */
void
cm_json_append_string (GString    *out,
                       const char *value)
{
  g_autofree char *valid = NULL;
  const char *run;
  const char *p;

  g_return_if_fail (out != NULL);

  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  if (!g_utf8_validate (value, -1, NULL))
    value = valid = g_utf8_make_valid (value, -1);

  g_string_append_c (out, '"');
  /* Unescaped runs are copied whole. */
  for (run = p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:   g_string_append_printf (out, "\\u%04x", c); break;
        }
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

/**
 * cm_json_append_member:
 * @out: JSON text being written, inside an object
 * @name: the member's name
 * @value: (nullable): its string value
 *
 * Appends `"name":"value"` (cm_json_append_string() for both); the caller writes
 * the braces and commas.
 */
void
cm_json_append_member (GString    *out,
                       const char *name,
                       const char *value)
{
  cm_json_append_string (out, name);
  g_string_append_c (out, ':');
  cm_json_append_string (out, value);
}

GBytes *
cm_json_to_bytes (JsonNode *node)
{
  gsize length;
  char *text;

  g_return_val_if_fail (node != NULL, NULL);

  text = cm_json_to_string (node, &length);
  return g_bytes_new_take (text, length);
}
