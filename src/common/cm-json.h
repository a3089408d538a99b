/* cm-json.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The contract refuses a request body over 64 KiB with 413 (docs/openapi.yaml). */
#define CM_JSON_MAX_BYTES (64 * 1024)
/* Deep enough for every shape in the contract, shallow enough that json-glib's
 * recursion is safe. */
#define CM_JSON_MAX_DEPTH 16

/*
 * Safe JSON: the byte cap and the nesting cap are checked on the raw text
 * before json-glib sees it (json-glib 1.6 has no depth limit), and duplicate
 * member names, invalid UTF-8 and strings holding U+0000 are refused.
 * Errors are CM_ERROR_BODY_TOO_LARGE or CM_ERROR_MALFORMED_JSON.
 *
 * The pre-scan is a strict RFC 8259 checker: no comments, no BOM, no text
 * after the value, no lone surrogate escapes. Member names are compared
 * after decoding escapes ("a" and "\u0061" are duplicates), in every object.
 * An integer literal beyond ±(2^53 - 1) is refused outright: json-glib would
 * wrap it silently, and identifiers travel as strings anyway. @data need not
 * end with a NUL; a NUL byte within @length is refused. The nodes returned
 * are immutable. cm_json_parse_object() applies the contract's limits
 * (CM_JSON_MAX_BYTES, CM_JSON_MAX_DEPTH) and wants an object at the top.
 */
JsonNode     *cm_json_parse          (const char  *data,
                                      gsize        length,
                                      gsize        max_bytes,
                                      guint        max_depth,
                                      GError     **error);
JsonObject   *cm_json_parse_object   (const char  *data,
                                      gsize        length,
                                      GError     **error);

/*
 * Type-checked getters. A member that is absent (or null) when @required is
 * CM_ERROR_MISSING_FIELD; a member of the wrong type is CM_ERROR_INVALID_FIELD;
 * both carry @member as the field. An absent optional member leaves *out
 * untouched and returns TRUE. Strings are borrowed from @object.
 */
gboolean      cm_json_get_string     (JsonObject  *object,
                                      const char  *member,
                                      gboolean     required,
                                      const char **out,
                                      GError     **error);
gboolean      cm_json_get_boolean    (JsonObject  *object,
                                      const char  *member,
                                      gboolean     required,
                                      gboolean    *out,
                                      GError     **error);
/* Integers are accepted only within [min, max] (inclusive) and ±(2^53 - 1); a
 * double with no fractional part (3.0, 3e2) counts as an integer; a string
 * of digits does not. Identifiers travel as strings. */
gboolean      cm_json_get_int        (JsonObject  *object,
                                      const char  *member,
                                      gboolean     required,
                                      gint64       min,
                                      gint64       max,
                                      gint64      *out,
                                      GError     **error);
gboolean      cm_json_get_object     (JsonObject  *object,
                                      const char  *member,
                                      gboolean     required,
                                      JsonObject **out,
                                      GError     **error);
gboolean      cm_json_get_array      (JsonObject  *object,
                                      const char  *member,
                                      gboolean     required,
                                      JsonArray  **out,
                                      GError     **error);

char         *cm_json_to_string      (JsonNode    *node,
                                      gsize       *length);
void          cm_json_append_string  (GString     *out,
                                      const char  *value);
void          cm_json_append_member  (GString     *out,
                                      const char  *name,
                                      const char  *value);

G_END_DECLS
