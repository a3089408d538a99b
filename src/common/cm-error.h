/* cm-error.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CM_ERROR (cm_error_quark ())

/**
 * CmError:
 *
 * One code per error code of the contract (docs/openapi.yaml, schema
 * `Error`), then the few that only the client can meet (network, TLS,
 * keyring, a malformed answer). The contract's codes keep their wire names
 * through cm_error_code_to_string().
 */
typedef enum
{
  /* 400 */
  CM_ERROR_MALFORMED_JSON,
  CM_ERROR_MISSING_FIELD,
  CM_ERROR_INVALID_FIELD,
  /* 401 */
  CM_ERROR_INVALID_CREDENTIALS,
  CM_ERROR_SESSION_EXPIRED,
  /* 403 */
  CM_ERROR_TERMS_NOT_ACCEPTED,
  CM_ERROR_CHALLENGE_FAILED,
  /* 404 */
  CM_ERROR_NO_MATCHING_ACCOUNT,
  CM_ERROR_NOT_FOUND,
  /* 405, 415: transport-level refusals the server also answers in the error shape */
  CM_ERROR_METHOD_NOT_ALLOWED,
  CM_ERROR_UNSUPPORTED_MEDIA_TYPE,
  /* 409 */
  CM_ERROR_USER_ID_TAKEN,
  CM_ERROR_ALREADY_LINKED,
  CM_ERROR_PASSWORD_REUSED,
  /* 410 */
  CM_ERROR_CODE_EXPIRED,
  CM_ERROR_CODE_USED,
  /* 413 */
  CM_ERROR_BODY_TOO_LARGE,
  /* 422 */
  CM_ERROR_WEAK_PASSWORD,
  CM_ERROR_PASSWORD_MISMATCH,
  CM_ERROR_EMAIL_MISMATCH,
  CM_ERROR_INVALID_USER_ID,
  CM_ERROR_INVALID_CODE,
  /* 423 */
  CM_ERROR_ACCOUNT_LOCKED,
  /* 429 */
  CM_ERROR_RATE_LIMITED,
  /* 500, 503 */
  CM_ERROR_INTERNAL,
  CM_ERROR_UNAVAILABLE,
  /* Client side only: never sent by a server */
  CM_ERROR_PROTOCOL,       /* an answer that breaks the contract */
  CM_ERROR_NETWORK,        /* refused, reset, name not found */
  CM_ERROR_TIMEOUT,
  CM_ERROR_TLS,            /* certificate not trusted, or handshake failed */
  CM_ERROR_INSECURE_URL,   /* http:// to a host that is not loopback */
  CM_ERROR_KEYRING,
} CmError;

#define CM_ERROR_N_CODES (CM_ERROR_KEYRING + 1)

GQuark        cm_error_quark                 (void);

/* The contract's status for each code; the client-only codes give 5xx (502
 * protocol, 503 network, 504 timeout) and are never sent. (The wire names and the
 * code of a status alone are in cm-error-private.h: only the tests use them.) */
guint         cm_error_code_to_http_status   (CmError          code);
/* The translated sentence a mechanic reads; never NULL. */
const char   *cm_error_code_get_message      (CmError          code);
/* Whether trying the same request again later may work (network, timeout,
 * busy or failing back-end); FALSE for any other domain and for cancellation. */
gboolean      cm_error_is_transient          (const GError    *error);
char         *cm_error_format_wait           (CmError          code,
                                              gint64           seconds);

/*
 * Extra data carried by a CM_ERROR GError (an extended error domain, so
 * g_error_copy() keeps it). The getters accept an error of any domain and
 * then return NULL / an empty vector / -1; the setters need a CM_ERROR.
 * Details keep the order they were added in, without repeats; the vector is
 * NULL-terminated and never NULL. retry_after is in seconds, -1 when absent.
 */
const char   *cm_error_get_field             (const GError    *error);
void          cm_error_set_field             (GError          *error,
                                              const char      *field);
const char * const *cm_error_get_details     (const GError    *error);
void          cm_error_add_detail            (GError          *error,
                                              const char      *detail);
gboolean      cm_error_has_detail            (const GError    *error,
                                              const char      *detail);
gint64        cm_error_get_retry_after       (const GError    *error);
void          cm_error_set_retry_after       (GError          *error,
                                              gint64           seconds);

/* @message NULL: cm_error_code_get_message (code). */
GError       *cm_error_new                   (CmError          code,
                                              const char      *field,
                                              const char      *message);

/*
 * to_json(): {"error": {"code", "message", "field"?, "details"?, "retry_after"?}};
 * an error of another domain or with a client-only code is sent as
 * "internal" with the generic message, so internals never leak.
 * from_json(): never NULL. A known code gets the client's translated message
 * (the server's is ignored); an unknown code or a body of another shape gets
 * cm_error_code_from_http_status (@http_status), with the server's message
 * only for an unknown code and only when it is short and printable. Members
 * of the wrong type are skipped; at most 32 details are kept.
 */
JsonNode     *cm_error_to_json               (const GError    *error);
GError       *cm_error_from_json             (JsonNode        *node,
                                              guint            http_status);

G_END_DECLS
