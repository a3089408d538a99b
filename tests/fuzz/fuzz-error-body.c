/* fuzz-error-body.c: the client's reading of an error answer, cm_error_from_json().
 *
 * The first two bytes are the HTTP status (any 16-bit value, so also the ones
 * no server sends), the rest is the body as the client would parse it.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-fuzz"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cm-error.h"
#include "cm-error-private.h"
#include "cm-json.h"
#include "fuzz-common.h"

/* The message a mechanic reads: printable, and not a wall of text. */
static void
check_presentable (const GError *error)
{
  FUZZ_CHECK (error != NULL);
  FUZZ_CHECK (error->domain == CM_ERROR);
  FUZZ_CHECK (error->code >= 0 && error->code < CM_ERROR_N_CODES);
  FUZZ_CHECK (error->message != NULL && *error->message != '\0');
  FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
  for (const char *p = error->message; *p != '\0'; p = g_utf8_next_char (p))
    FUZZ_CHECK (!g_unichar_iscntrl (g_utf8_get_char (p)) || *p == '\n');
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) no_body = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(GError) back = NULL;
  const char *const *details;
  guint status;
  gsize n_details = 0;

  fuzz_setup_logging ();

  if (size < 2)
    return 0;
  status = data[0] | (data[1] << 8);
  node = cm_json_parse ((const char *) data + 2, size - 2, CM_JSON_MAX_BYTES,
                        CM_JSON_MAX_DEPTH, &parse_error);

  /* A body that does not parse is read as no body at all. */
  no_body = cm_error_from_json (NULL, status);
  check_presentable (no_body);
  FUZZ_CHECK (no_body->code == (int) cm_error_code_from_http_status (status));

  error = cm_error_from_json (node, status);
  check_presentable (error);

  details = cm_error_get_details (error);
  FUZZ_CHECK (details != NULL);
  for (; details[n_details] != NULL; n_details++)
    {
      FUZZ_CHECK (g_utf8_validate (details[n_details], -1, NULL));
      for (gsize j = 0; j < n_details; j++)
        FUZZ_CHECK (strcmp (details[j], details[n_details]) != 0);
    }
  FUZZ_CHECK (n_details <= 32);
  FUZZ_CHECK (cm_error_get_retry_after (error) >= -1);
  if (cm_error_get_field (error) != NULL)
    FUZZ_CHECK (g_utf8_validate (cm_error_get_field (error), -1, NULL));

  /* The wire name of a code, when it has one, reads back as the same code. */
  {
    const char *name = cm_error_code_to_string (error->code);
    CmError code;

    if (name != NULL && cm_error_code_from_string (name, &code))
      FUZZ_CHECK ((int) code == error->code);
    FUZZ_CHECK (cm_error_code_to_http_status (error->code) >= 400);
    FUZZ_CHECK (cm_error_code_get_message (error->code) != NULL);
  }

  /* What the server would send for this error, the client reads back the same way. */
  sent = cm_error_to_json (error);
  FUZZ_CHECK (sent != NULL && JSON_NODE_HOLDS_OBJECT (sent));
  {
    g_autofree char *text = NULL;
    g_autoptr(JsonNode) reparsed = NULL;
    gsize length = 0;

    text = cm_json_to_string (sent, &length);
    reparsed = cm_json_parse (text, length, CM_JSON_MAX_BYTES, CM_JSON_MAX_DEPTH, NULL);
    FUZZ_CHECK (reparsed != NULL);
    back = cm_error_from_json (reparsed, cm_error_code_to_http_status (error->code));
  }
  check_presentable (back);
  if (error->code < CM_ERROR_PROTOCOL)
    {
      const char *const *back_details = cm_error_get_details (back);
      gsize n_back = 0;

      FUZZ_CHECK (back->code == error->code);
      FUZZ_CHECK (g_strcmp0 (cm_error_get_field (back), cm_error_get_field (error)) == 0);
      FUZZ_CHECK (cm_error_get_retry_after (back) == cm_error_get_retry_after (error));
      for (; back_details[n_back] != NULL; n_back++)
        FUZZ_CHECK (n_back < n_details && strcmp (back_details[n_back], details[n_back]) == 0);
      FUZZ_CHECK (n_back == n_details);
    }
  else
    {
      /* Client-only codes never go on the wire: they are sent as internal. */
      FUZZ_CHECK (back->code == CM_ERROR_INTERNAL);
    }

  return 0;
}
