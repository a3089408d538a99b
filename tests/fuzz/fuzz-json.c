/* fuzz-json.c: cm_json_parse() and every cm_json_get_*() on what it returns.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-fuzz"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cm-error.h"
#include "cm-json.h"
#include "fuzz-common.h"

static void walk_node (JsonNode *node, guint depth);

/* A failed getter names the member and uses one of the two documented codes. */
static void
check_result (gboolean     ok,
              GError      *error,
              const char  *member)
{
  if (ok)
    {
      FUZZ_CHECK (error == NULL);
      return;
    }
  FUZZ_CHECK (error != NULL);
  FUZZ_CHECK (error->domain == CM_ERROR);
  FUZZ_CHECK (error->code == CM_ERROR_MISSING_FIELD || error->code == CM_ERROR_INVALID_FIELD);
  FUZZ_CHECK (g_strcmp0 (cm_error_get_field (error), member) == 0);
  FUZZ_CHECK (error->message != NULL && g_utf8_validate (error->message, -1, NULL));
}

static void
try_getters (JsonObject *object,
             const char *member,
             guint       depth)
{
  static const gint64 ranges[][2] = {
    { G_MININT64, G_MAXINT64 },
    { 0, 100 },
    { -1, 1 },
    { 7, 7 },
  };
  gboolean required;

  for (required = FALSE; required <= TRUE; required++)
    {
      GError *error = NULL;
      const char *string = NULL;
      gboolean boolean = FALSE;
      JsonObject *child = NULL;
      JsonArray *array = NULL;
      gboolean ok;

      ok = cm_json_get_string (object, member, required, &string, &error);
      check_result (ok, error, member);
      /* A string that passed never holds invalid UTF-8 (the parser refuses it). */
      if (ok && string != NULL)
        FUZZ_CHECK (g_utf8_validate (string, -1, NULL));
      g_clear_error (&error);

      ok = cm_json_get_boolean (object, member, required, &boolean, &error);
      check_result (ok, error, member);
      g_clear_error (&error);

      for (gsize i = 0; i < G_N_ELEMENTS (ranges); i++)
        {
          gint64 value = G_MININT64 + 7;   /* a marker: absent optional leaves it */

          ok = cm_json_get_int (object, member, required, ranges[i][0], ranges[i][1],
                                &value, &error);
          check_result (ok, error, member);
          if (ok && value != G_MININT64 + 7)
            {
              FUZZ_CHECK (value >= ranges[i][0] && value <= ranges[i][1]);
              FUZZ_CHECK (value >= -G_GINT64_CONSTANT (9007199254740991) &&
                          value <= G_GINT64_CONSTANT (9007199254740991));
            }
          g_clear_error (&error);
        }

      ok = cm_json_get_object (object, member, required, &child, &error);
      check_result (ok, error, member);
      g_clear_error (&error);

      ok = cm_json_get_array (object, member, required, &array, &error);
      check_result (ok, error, member);
      g_clear_error (&error);
    }

  walk_node (json_object_get_member (object, member), depth + 1);
}

static void
walk_node (JsonNode *node,
           guint     depth)
{
  FUZZ_CHECK (depth <= CM_JSON_MAX_DEPTH + 1);

  if (node == NULL)
    return;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        try_getters (object, l->data, depth);
      /* A member that is not there: required fails, optional leaves *out alone. */
      try_getters (object, "no such member", depth);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        walk_node (json_array_get_element (array, i), depth + 1);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);

      FUZZ_CHECK (s != NULL && g_utf8_validate (s, -1, NULL));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) object = NULL;

  fuzz_setup_logging ();

  node = cm_json_parse ((const char *) data, size, CM_JSON_MAX_BYTES, CM_JSON_MAX_DEPTH, &error);
  FUZZ_CHECK ((node == NULL) == (error != NULL));
  if (error != NULL)
    {
      FUZZ_CHECK (error->domain == CM_ERROR);
      FUZZ_CHECK (error->code == CM_ERROR_MALFORMED_JSON || error->code == CM_ERROR_BODY_TOO_LARGE);
      FUZZ_CHECK (size > CM_JSON_MAX_BYTES || error->code == CM_ERROR_MALFORMED_JSON);
    }
  else
    {
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) again = NULL;
      g_autoptr(GError) again_error = NULL;
      gsize length = 0;

      FUZZ_CHECK (size <= CM_JSON_MAX_BYTES);
      FUZZ_CHECK (memchr (data, '\0', size) == NULL);
      walk_node (node, 0);

      /* What we accept, we can write back, and what we write, we accept. */
      text = cm_json_to_string (node, &length);
      FUZZ_CHECK (text != NULL && strlen (text) == length);
      again = cm_json_parse (text, length, G_MAXSIZE, CM_JSON_MAX_DEPTH, &again_error);
      if (again == NULL)
        g_printerr ("re-parse failed: %s\n", again_error->message);
      FUZZ_CHECK (again != NULL);
      FUZZ_CHECK (json_node_equal (node, again));
    }

  /* The entry point for request bodies: the same caps, and an object at the top. */
  g_clear_error (&error);
  object = cm_json_parse_object ((const char *) data, size, &error);
  FUZZ_CHECK ((object == NULL) == (error != NULL));
  if (object != NULL)
    FUZZ_CHECK (node != NULL && JSON_NODE_HOLDS_OBJECT (node));

  return 0;
}
