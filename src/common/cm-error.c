/* cm-error.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-error"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cm-error.h"
#include "cm-error-private.h"
#include "cm-json.h"
#include "cm-protocol.h"

/* A message from a server that does not know our codes is shown as is, so keep it short. */
#define SERVER_MESSAGE_MAX_CHARS 500
#define DETAILS_MAX 32
#define RETRY_AFTER_MAX (G_GINT64_CONSTANT (366) * 24 * 60 * 60)

typedef struct
{
  char      *field;        /* (owned) (nullable) */
  GPtrArray *details;      /* (owned) (nullable): char*, NULL-terminated */
  gint64     retry_after;  /* -1 when absent */
} CmErrorPrivate;

static void
cm_error_private_init (CmErrorPrivate *priv)
{
  priv->field = NULL;
  priv->details = NULL;
  priv->retry_after = -1;
}

static void
cm_error_private_copy (const CmErrorPrivate *src,
                       CmErrorPrivate       *dest)
{
  dest->field = g_strdup (src->field);
  dest->retry_after = src->retry_after;
  if (src->details != NULL)
    {
      dest->details = g_ptr_array_new_null_terminated (src->details->len, g_free, TRUE);
      for (guint i = 0; i < src->details->len; i++)
        g_ptr_array_add (dest->details, g_strdup (g_ptr_array_index (src->details, i)));
    }
}

static void
cm_error_private_clear (CmErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
  g_clear_pointer (&priv->details, g_ptr_array_unref);
}

G_DEFINE_EXTENDED_ERROR (CmError, cm_error)

typedef struct
{
  CmError     code;
  const char *name;
  guint       status;
  gboolean    on_wire;  /* FALSE for the client-only codes */
} CodeInfo;

/* Ordered like the enum, checked by the tests. */
static const CodeInfo codes[] = {
  { CM_ERROR_MALFORMED_JSON, "malformed_json", 400, TRUE },
  { CM_ERROR_MISSING_FIELD, "missing_field", 400, TRUE },
  { CM_ERROR_INVALID_FIELD, "invalid_field", 400, TRUE },
  { CM_ERROR_INVALID_CREDENTIALS, "invalid_credentials", 401, TRUE },
  { CM_ERROR_SESSION_EXPIRED, "session_expired", 401, TRUE },
  { CM_ERROR_TERMS_NOT_ACCEPTED, "terms_not_accepted", 403, TRUE },
  { CM_ERROR_CHALLENGE_FAILED, "challenge_failed", 403, TRUE },
  { CM_ERROR_NO_MATCHING_ACCOUNT, "no_matching_account", 404, TRUE },
  { CM_ERROR_NOT_FOUND, "not_found", 404, TRUE },
  { CM_ERROR_METHOD_NOT_ALLOWED, "method_not_allowed", 405, TRUE },
  { CM_ERROR_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", 415, TRUE },
  { CM_ERROR_USER_ID_TAKEN, "user_id_taken", 409, TRUE },
  { CM_ERROR_ALREADY_LINKED, "already_linked", 409, TRUE },
  { CM_ERROR_PASSWORD_REUSED, "password_reused", 409, TRUE },
  { CM_ERROR_CODE_EXPIRED, "code_expired", 410, TRUE },
  { CM_ERROR_CODE_USED, "code_used", 410, TRUE },
  { CM_ERROR_BODY_TOO_LARGE, "body_too_large", 413, TRUE },
  { CM_ERROR_WEAK_PASSWORD, "weak_password", 422, TRUE },
  { CM_ERROR_PASSWORD_MISMATCH, "password_mismatch", 422, TRUE },
  { CM_ERROR_EMAIL_MISMATCH, "email_mismatch", 422, TRUE },
  { CM_ERROR_INVALID_USER_ID, "invalid_user_id", 422, TRUE },
  { CM_ERROR_INVALID_CODE, "invalid_code", 422, TRUE },
  { CM_ERROR_ACCOUNT_LOCKED, "account_locked", 423, TRUE },
  { CM_ERROR_RATE_LIMITED, "rate_limited", 429, TRUE },
  { CM_ERROR_INTERNAL, "internal", 500, TRUE },
  { CM_ERROR_UNAVAILABLE, "unavailable", 503, TRUE },
  { CM_ERROR_PROTOCOL, "protocol", 502, FALSE },
  { CM_ERROR_NETWORK, "network", 503, FALSE },
  { CM_ERROR_TIMEOUT, "timeout", 504, FALSE },
  { CM_ERROR_TLS, "tls", 502, FALSE },
  { CM_ERROR_INSECURE_URL, "insecure_url", 400, FALSE },
  { CM_ERROR_KEYRING, "keyring", 500, FALSE },
};

G_STATIC_ASSERT (G_N_ELEMENTS (codes) == CM_ERROR_N_CODES);

static const CodeInfo *
lookup_code (CmError code)
{
  if ((guint) code >= G_N_ELEMENTS (codes))
    return NULL;
  g_assert (codes[code].code == code);
  return &codes[code];
}

/**
 * cm_error_code_to_string:
 * @code: a #CmError
 *
 * Returns: the wire name of @code ("weak_password"); the client-only codes
 *   get a name too ("network"), for logs. NULL for a value out of range.
 */
const char *
cm_error_code_to_string (CmError code)
{
  const CodeInfo *info = lookup_code (code);

  return info != NULL ? info->name : NULL;
}

/**
 * cm_error_code_from_string:
 * @name: a wire name
 * @code: (out) (optional): the code
 *
 * Only the contract's codes (the `Error` schema of docs/openapi.yaml) are
 * recognised: a server never sends the client-only ones, so "network" in a
 * body is an unknown code.
 *
 * Returns: whether @name is one of the contract's error codes
 */
gboolean
cm_error_code_from_string (const char *name,
                           CmError    *code)
{
  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      if (codes[i].on_wire && g_str_equal (codes[i].name, name))
        {
          if (code != NULL)
            *code = codes[i].code;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * cm_error_code_to_http_status:
 * @code: a #CmError
 *
 * Returns: the status docs/openapi.yaml gives the code. The client-only
 *   codes, which are never sent, map to a plausible status (502 for a bad
 *   answer, 503 for the network, 504 for a timeout).
 */
guint
cm_error_code_to_http_status (CmError code)
{
  const CodeInfo *info = lookup_code (code);

  return info != NULL ? info->status : 500;
}

/**
 * cm_error_code_from_http_status:
 * @status: an HTTP status
 *
 * The code to use when an answer carries no usable error body (or an unknown
 * code): the general code of the status where there is one (400
 * invalid_field, 401 session_expired, 404 not_found, 422 invalid_field, 5xx
 * internal or unavailable), else CM_ERROR_PROTOCOL, which is also what a
 * status that is not an error at all gives.
 */
CmError
cm_error_code_from_http_status (guint status)
{
  switch (status)
    {
    case 400:
    case 422:
      return CM_ERROR_INVALID_FIELD;
    case 401:
      return CM_ERROR_SESSION_EXPIRED;
    case 404:
      return CM_ERROR_NOT_FOUND;
    case 405:
      return CM_ERROR_METHOD_NOT_ALLOWED;
    case 408:
    case 504:
      return CM_ERROR_TIMEOUT;
    case 410:
      return CM_ERROR_CODE_EXPIRED;
    case 413:
      return CM_ERROR_BODY_TOO_LARGE;
    case 415:
      return CM_ERROR_UNSUPPORTED_MEDIA_TYPE;
    case 423:
      return CM_ERROR_ACCOUNT_LOCKED;
    case 429:
      return CM_ERROR_RATE_LIMITED;
    case 502:
    case 503:
      return CM_ERROR_UNAVAILABLE;
    default:
      if (status >= 500 && status <= 599)
        return CM_ERROR_INTERNAL;
      /* 403, 409 and the rest: nothing general enough to say */
      return CM_ERROR_PROTOCOL;
    }
}

/**
 * cm_error_code_get_message:
 * @code: a #CmError
 *
 * Returns: the translated message a mechanic reads for @code
 */
const char *
cm_error_code_get_message (CmError code)
{
  switch (code)
    {
    case CM_ERROR_MALFORMED_JSON:
      return _("The server could not read the request. Please try again.");
    case CM_ERROR_MISSING_FIELD:
      return _("Please fill in all the required fields.");
    case CM_ERROR_INVALID_FIELD:
      return _("Some of the information entered is not valid. Please check it and try again.");
    case CM_ERROR_INVALID_CREDENTIALS:
      /* Translators: the same message for an unknown User ID and a wrong password, on purpose */
      return _("The User ID or password is not correct.");
    case CM_ERROR_SESSION_EXPIRED:
      return _("You have been signed out. Please sign in again.");
    case CM_ERROR_TERMS_NOT_ACCEPTED:
      return _("Please read and accept the terms and conditions to continue.");
    case CM_ERROR_CHALLENGE_FAILED:
      return _("The answer to the verification question is not correct. "
               "Please answer the new question.");
    case CM_ERROR_NO_MATCHING_ACCOUNT:
      /* Translators: the same message for an unknown number and a wrong ZIP code, on purpose */
      return _("No account matches this number and ZIP code. Please check both and try again.");
    case CM_ERROR_NOT_FOUND:
      return _("This item could not be found. It may have been removed.");
    case CM_ERROR_METHOD_NOT_ALLOWED:
    case CM_ERROR_UNSUPPORTED_MEDIA_TYPE:
      return _("The server did not accept the request. Updating the app may help.");
    case CM_ERROR_USER_ID_TAKEN:
      return _("This User ID is already taken. Please choose other numbers.");
    case CM_ERROR_ALREADY_LINKED:
      return _("This account is already linked to your User ID.");
    case CM_ERROR_PASSWORD_REUSED:
      return _("This password is one of your last 3 passwords. Please choose a new one.");
    case CM_ERROR_CODE_EXPIRED:
      return _("This authorization code has expired. Please request a new code.");
    case CM_ERROR_CODE_USED:
      return _("This authorization code has already been used. Please request a new code.");
    case CM_ERROR_BODY_TOO_LARGE:
      return _("Too much information was sent at once. Please shorten what you entered.");
    case CM_ERROR_WEAK_PASSWORD:
      return _("The password does not follow the password guidelines.");
    case CM_ERROR_PASSWORD_MISMATCH:
      return _("The passwords do not match.");
    case CM_ERROR_EMAIL_MISMATCH:
      return _("The email addresses do not match.");
    case CM_ERROR_INVALID_USER_ID:
      /* Translators: keep the example User ID as is */
      return _("The User ID must be your last name, your first initial and any 4 numbers, "
               "with no spaces (for example smithj9999).");
    case CM_ERROR_INVALID_CODE:
      return _("The authorization code is not correct. Please check it and try again.");
    case CM_ERROR_ACCOUNT_LOCKED:
      return _("Access is locked for now after too many failed attempts. "
               "Please try again later.");
    case CM_ERROR_RATE_LIMITED:
      return _("Too many requests in a short time. Please wait a moment and try again.");
    case CM_ERROR_INTERNAL:
      return _("Something went wrong on the server. Please try again later.");
    case CM_ERROR_UNAVAILABLE:
      return _("The service is not available right now. Please try again later.");
    case CM_ERROR_PROTOCOL:
      return _("The server sent an answer this app does not understand. "
               "Updating the app may help.");
    case CM_ERROR_NETWORK:
      return _("The server could not be reached. Please check your internet connection.");
    case CM_ERROR_TIMEOUT:
      return _("The server took too long to answer. Please try again.");
    case CM_ERROR_TLS:
      return _("A secure connection to the server could not be made.");
    case CM_ERROR_INSECURE_URL:
      /* Translators: "https://" is the start of a web address, keep it as is */
      return _("This server address is not secure. Please use an address that starts with "
               "https://.");
    case CM_ERROR_KEYRING:
      return _("Your saved sign-in could not be read or stored. You may need to sign in again.");
    default:
      return _("Something went wrong. Please try again.");
    }
}

/**
 * cm_error_format_wait:
 * @code: CM_ERROR_ACCOUNT_LOCKED (423) or CM_ERROR_RATE_LIMITED (429)
 * @seconds: the seconds left to wait
 *
 * The one wording of a wait, kept apart for the two refusals that make one:
 * a lock after failed attempts is not the same news as a busy service.
 *
 * Returns: (transfer full): the translated sentence with the time left
 */
char *
cm_error_format_wait (CmError code,
                      gint64  seconds)
{
  int minutes = (int) (MAX (seconds, 0) / 60);
  int rest = (int) (MAX (seconds, 0) % 60);

  if (code == CM_ERROR_ACCOUNT_LOCKED)
    /* Translators: %d:%02d are minutes and seconds until sign-in is allowed again. */
    return g_strdup_printf (_("Sign-in is locked after too many failed attempts. "
                              "You can try again in %d:%02d."), minutes, rest);

  /* Translators: %d:%02d are minutes and seconds; the service asked the app to slow down. */
  return g_strdup_printf (_("Too many requests in a short time. You can try again in %d:%02d."),
                          minutes, rest);
}

static CmErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != CM_ERROR)
    return NULL;
  return cm_error_get_private (error);
}

/**
 * cm_error_is_transient:
 * @error: (nullable): a #GError
 *
 * The one rule for "Retry may help": the back-end could not be reached, took
 * too long, was busy or failed on its side. Everything else (a refusal, TLS,
 * cancellation, another domain) fails the same way again.
 *
 * Returns: %TRUE when the same request may work later
 */
gboolean
cm_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != CM_ERROR)
    return FALSE;

  return error->code == CM_ERROR_NETWORK || error->code == CM_ERROR_TIMEOUT ||
         error->code == CM_ERROR_UNAVAILABLE || error->code == CM_ERROR_INTERNAL ||
         error->code == CM_ERROR_RATE_LIMITED;
}

/**
 * cm_error_get_field:
 * @error: a #GError
 *
 * Returns: (nullable): the request member the error is about, or NULL (also for
 *   an error of another domain)
 */
const char *
cm_error_get_field (const GError *error)
{
  CmErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->field : NULL;
}

void
cm_error_set_field (GError     *error,
                    const char *field)
{
  CmErrorPrivate *priv = get_private (error);
  char *old;

  g_return_if_fail (priv != NULL);

  old = priv->field;
  priv->field = g_strdup (field);
  g_free (old);
}

/**
 * cm_error_get_details:
 * @error: a #GError
 *
 * Returns: (transfer none): the detail names in the order they were added,
 *   NULL-terminated; an empty vector, never NULL, when there are none or
 *   @error is of another domain
 */
const char * const *
cm_error_get_details (const GError *error)
{
  static const char * const empty[] = { NULL };
  CmErrorPrivate *priv = get_private (error);

  if (priv == NULL || priv->details == NULL || priv->details->len == 0)
    return empty;
  return (const char * const *) priv->details->pdata;
}

/* Adding a detail that is already there does nothing. */
void
cm_error_add_detail (GError     *error,
                     const char *detail)
{
  CmErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);
  g_return_if_fail (detail != NULL);

  if (cm_error_has_detail (error, detail))
    return;
  if (priv->details == NULL)
    priv->details = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  g_ptr_array_add (priv->details, g_strdup (detail));
}

gboolean
cm_error_has_detail (const GError *error,
                     const char   *detail)
{
  const char * const *details = cm_error_get_details (error);

  g_return_val_if_fail (detail != NULL, FALSE);

  return g_strv_contains (details, detail);
}

/**
 * cm_error_get_retry_after:
 * @error: a #GError
 *
 * Returns: seconds to wait before trying again, or -1 when not known
 */
gint64
cm_error_get_retry_after (const GError *error)
{
  CmErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->retry_after : -1;
}

/* A negative @seconds clears it. */
void
cm_error_set_retry_after (GError *error,
                          gint64  seconds)
{
  CmErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);

  priv->retry_after = seconds < 0 ? -1 : seconds;
}

/**
 * cm_error_new:
 * @code: a #CmError
 * @field: (nullable): the request member name the error is about
 * @message: (nullable): the message, or NULL for cm_error_code_get_message()
 *
 * Returns: (transfer full): a new CM_ERROR
 */
GError *
cm_error_new (CmError     code,
              const char *field,
              const char *message)
{
  GError *error;

  error = g_error_new_literal (CM_ERROR, code,
                               message != NULL ? message : cm_error_code_get_message (code));
  if (field != NULL)
    cm_error_set_field (error, field);
  return error;
}

/**
 * cm_error_to_json:
 * @error: a #GError
 *
 * Builds the contract's error body `{"error": {"code", "message", "field"?,
 * "details"?, "retry_after"?}}`. An error of another domain, or with a
 * client-only code, becomes "internal" with the generic message, so no
 * internals leak; otherwise the error's own message is sent.
 *
 * Returns: (transfer full): the body
 */
JsonNode *
cm_error_to_json (const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const CodeInfo *info = NULL;
  const char * const *details;
  const char *field;
  const char *message;
  gint64 retry_after;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == CM_ERROR)
    info = lookup_code (error->code);
  if (info == NULL || !info->on_wire)
    {
      info = lookup_code (CM_ERROR_INTERNAL);
      message = cm_error_code_get_message (CM_ERROR_INTERNAL);
      field = NULL;
      details = NULL;
      retry_after = -1;
    }
  else
    {
      message = error->message;
      field = cm_error_get_field (error);
      details = cm_error_get_details (error);
      retry_after = cm_error_get_retry_after (error);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_ERROR);
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, CM_MEMBER_CODE);
  json_builder_add_string_value (builder, info->name);
  json_builder_set_member_name (builder, CM_MEMBER_MESSAGE);
  json_builder_add_string_value (builder, message != NULL ? message : "");

  if (field != NULL)
    {
      json_builder_set_member_name (builder, CM_MEMBER_FIELD);
      json_builder_add_string_value (builder, field);
    }

  if (details != NULL && details[0] != NULL)
    {
      json_builder_set_member_name (builder, CM_MEMBER_DETAILS);
      json_builder_begin_array (builder);
      for (guint i = 0; details[i] != NULL; i++)
        json_builder_add_string_value (builder, details[i]);
      json_builder_end_array (builder);
    }

  if (retry_after >= 0)
    {
      json_builder_set_member_name (builder, CM_MEMBER_RETRY_AFTER);
      json_builder_add_int_value (builder, retry_after);
    }

  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
is_presentable (const char *message)
{
  if (message == NULL || *message == '\0')
    return FALSE;
  if (!g_utf8_validate (message, -1, NULL))
    return FALSE;
  if (g_utf8_strlen (message, -1) > SERVER_MESSAGE_MAX_CHARS)
    return FALSE;
  for (const char *p = message; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        return FALSE;
    }
  return TRUE;
}

/**
 * cm_error_from_json:
 * @node: (nullable): a parsed answer body, ideally `{"error": {...}}`
 * @http_status: the answer's status
 *
 * Turns an error answer into a CM_ERROR. A known code gets the client's own
 * translated message; an unknown code, or a body that is not the error shape,
 * gets cm_error_code_from_http_status(), with the server's message only when
 * the body had an unknown code and a short, printable message. Members of the
 * wrong type are ignored rather than failing.
 *
 * Returns: (transfer full): a new CM_ERROR, never NULL
 */
GError *
cm_error_from_json (JsonNode *node,
                    guint     http_status)
{
  JsonObject *root;
  JsonObject *body = NULL;
  JsonArray *details = NULL;
  const char *name = NULL;
  const char *message = NULL;
  const char *field = NULL;
  gint64 retry_after = -1;
  CmError code;
  GError *error;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return cm_error_new (cm_error_code_from_http_status (http_status), NULL, NULL);

  root = json_node_get_object (node);
  if (!cm_json_get_object (root, CM_MEMBER_ERROR, TRUE, &body, NULL) ||
      !cm_json_get_string (body, CM_MEMBER_CODE, TRUE, &name, NULL))
    return cm_error_new (cm_error_code_from_http_status (http_status), NULL, NULL);

  /* Each optional member is read on its own: a bad one does not spoil the rest. */
  if (!cm_json_get_string (body, CM_MEMBER_MESSAGE, FALSE, &message, NULL))
    message = NULL;
  if (!cm_json_get_string (body, CM_MEMBER_FIELD, FALSE, &field, NULL))
    field = NULL;
  if (!cm_json_get_array (body, CM_MEMBER_DETAILS, FALSE, &details, NULL))
    details = NULL;
  if (!cm_json_get_int (body, CM_MEMBER_RETRY_AFTER, FALSE, 0, RETRY_AFTER_MAX,
                        &retry_after, NULL))
    retry_after = -1;

  if (cm_error_code_from_string (name, &code))
    error = cm_error_new (code, NULL, NULL);
  else
    error = cm_error_new (cm_error_code_from_http_status (http_status), NULL,
                          is_presentable (message) ? message : NULL);

  if (field != NULL && *field != '\0')
    cm_error_set_field (error, field);

  if (details != NULL)
    {
      guint n = MIN (json_array_get_length (details), DETAILS_MAX);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *item = json_array_get_element (details, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            cm_error_add_detail (error, json_node_get_string (item));
        }
    }

  cm_error_set_retry_after (error, retry_after);

  return error;
}
