/* cm-api-client-private.h: what the files of CmApiClient share (cm-api-client.c and
 * cm-api-client-{request,answer,milogin,access,account,accounts}.c). Not for callers outside
 * libcm-client: they have cm-api-client.h.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cm-api-client.h"

G_BEGIN_DECLS

struct _CmApiClient
{
  GObject      parent_instance;

  SoupSession *session;            /* (owned) */
  char        *base_uri;           /* (owned) */
  GUri        *base;               /* (owned) (nullable): NULL when base_uri is refused */
  GError      *uri_error;          /* (owned) (nullable): why base_uri is refused */
  char        *token;              /* (owned) (nullable): secret, wiped on free */
  char        *ca_file;            /* (owned) (nullable) */
  GError      *ca_error;           /* (owned) (nullable): why ca_file could not be used */
  guint        request_timeout;
  gsize        max_response_size;
  char        *accept_language;    /* (owned) (nullable): NULL when the language is C */
};

/* Emits CmApiClient::session-expired (cm-api-client-request.c, on a 401 session_expired). */
void          cm_api_client_emit_session_expired (CmApiClient *self);

/* ---- One request (cm-api-client-request.c) ---- */

/* Turns the JSON of a 2xx answer into the call's result; NULL with an error if it does not fit. */
typedef gpointer (*CmApiParseFunc) (JsonNode  *root,
                                    GError   **error);

typedef enum
{
  CM_API_REQUEST_NONE        = 0,
  CM_API_REQUEST_AUTH        = 1 << 0,  /* send the bearer token */
  CM_API_REQUEST_IDEMPOTENT  = 1 << 1,  /* may be repeated after a connection failure */
} CmApiRequestFlags;

typedef struct
{
  const char        *method;          /* static */
  char              *path;            /* (owned): for the log; never holds a secret */
  GUri              *uri;             /* (owned) */
  GBytes            *body;            /* (owned) (nullable): wiped on free */
  CmApiRequestFlags  flags;
  CmApiParseFunc     parse;           /* (nullable): NULL when the answer has no body we need */
  GDestroyNotify     result_free;
  guint              attempt;
  SoupMessage       *msg;             /* (owned) (nullable) */
  GInputStream      *stream;          /* (owned) (nullable) */
  GByteArray        *buffer;          /* (owned) (nullable) */
  goffset            content_length;  /* -1 when the answer does not say */
  GCancellable      *cancellable;     /* (owned): ours, cancelled by the caller's or the deadline */
  GCancellable      *caller_cancellable; /* (owned) (nullable) */
  gulong             caller_cancelled_id;
  GSource           *deadline;        /* (owned) (nullable) */
  GSource           *retry_wait;      /* (owned) (nullable) */
  gboolean           timed_out;
} CmApiRequest;

/* Starts @method @path (under the base URL) as a GTask tagged @source_tag; its result is
 * what @parse returns (freed with @result_free), or TRUE when @parse is NULL. */
void          cm_api_client_request_start   (CmApiClient         *self,
                                             gpointer             source_tag,
                                             const char          *method,
                                             const char          *path,
                                             GBytes              *body,
                                             CmApiRequestFlags    flags,
                                             CmApiParseFunc       parse,
                                             GDestroyNotify       result_free,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gpointer      cm_api_client_request_propagate         (CmApiClient   *self,
                                                       GAsyncResult  *result,
                                                       gpointer       source_tag,
                                                       GError       **error);
gboolean      cm_api_client_request_propagate_boolean (CmApiClient   *self,
                                                       GAsyncResult  *result,
                                                       gpointer       source_tag,
                                                       GError       **error);

/* Request bodies. They can hold passwords, codes and PINs: the bytes are wiped when
 * libsoup lets go. (The builder helpers are in cm-client-private.h.) */
GBytes       *cm_api_body_from_node         (JsonNode    *root);
GBytes       *cm_api_body_from_builder      (JsonBuilder *builder);
/* An object of string members: member, value (NULL: a JSON null), ..., then NULL. */
GBytes       *cm_api_body_from_strings      (const char  *first_member,
                                             ...) G_GNUC_NULL_TERMINATED;

/* ---- Answers (cm-api-client-answer.c) ---- */

/* A transport error as a translated CM_ERROR; a cancellation by the caller passes through. */
GError       *cm_api_transport_error        (CmApiClient  *self,
                                             CmApiRequest *req,
                                             const GError *error,
                                             gboolean      during_body);
/* An answer that could not be read (CM_ERROR_PROTOCOL); @cause only goes to the debug log. */
GError       *cm_api_protocol_error         (CmApiClient  *self,
                                             CmApiRequest *req,
                                             const GError *cause);
GError       *cm_api_too_large_error        (CmApiClient  *self,
                                             CmApiRequest *req);
/* The CM_ERROR of a non-2xx answer, with its Retry-After. */
GError       *cm_api_error_from_answer      (CmApiClient  *self,
                                             CmApiRequest *req,
                                             guint         status);

/* The object an answer must be, or NULL with CM_ERROR_INVALID_FIELD. */
JsonObject   *cm_api_answer_object          (JsonNode    *root,
                                             GError     **error);
/* Each object of @array through @parse_object into a GPtrArray that frees with
 * @element_free; NULL with CM_ERROR_INVALID_FIELD when an element is not an object
 * ("@what is not an object"), or @parse_object's error. */
GPtrArray    *cm_api_answer_object_array    (JsonArray      *array,
                                             gpointer      (*parse_object) (JsonObject  *object,
                                                                            GError     **error),
                                             GDestroyNotify  element_free,
                                             const char     *what,
                                             GError        **error);

/* ---- Only the tests call these ---- */

/* The client's settings besides the base URL, the token and the CA file (properties too). */
gboolean      cm_api_client_check_uri              (const char             *uri,
                                                    GError                **error);
const char   *cm_api_client_get_ca_file            (CmApiClient            *self);
guint         cm_api_client_get_timeout            (CmApiClient            *self);
void          cm_api_client_set_timeout            (CmApiClient            *self,
                                                    guint                   seconds);
guint         cm_api_client_get_request_timeout    (CmApiClient            *self);
void          cm_api_client_set_request_timeout    (CmApiClient            *self,
                                                    guint                   seconds);
gsize         cm_api_client_get_max_response_size  (CmApiClient            *self);
void          cm_api_client_set_max_response_size  (CmApiClient            *self,
                                                    gsize                   max_bytes);
/* GET health */
void          cm_api_client_get_health_async       (CmApiClient            *self,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
gboolean      cm_api_client_get_health_finish      (CmApiClient            *self,
                                                    GAsyncResult           *result,
                                                    char                  **status,
                                                    char                  **version,
                                                    GError                **error);

G_END_DECLS
