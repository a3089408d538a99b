/* cm-client-private.h: helpers shared by the files of libcm-client.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* An RFC 3339 time member; the same absent/null and wrong-type rules as cm_json_get_*. */
gboolean  cm_client_json_get_time  (JsonObject   *object,
                                    const char   *member,
                                    gboolean      required,
                                    GDateTime   **out,
                                    GError      **error);
/* Like cm_json_get_string, but copies; a JSON null is accepted and leaves NULL. */
gboolean  cm_client_json_dup_string (JsonObject  *object,
                                     const char  *member,
                                     gboolean     required,
                                     char       **out,
                                     GError     **error);

/* A member of the object being built; a NULL string is a JSON null. */
void      cm_client_builder_add_string  (JsonBuilder *builder,
                                         const char  *member,
                                         const char  *value);
void      cm_client_builder_add_boolean (JsonBuilder *builder,
                                         const char  *member,
                                         gboolean     value);

/* The Accept-Language value CmApiClient sends, from locale names such as
 * g_get_language_names() gives; NULL when none is left (only "C"). */
char     *cm_api_client_build_accept_language (const char * const *language_names);

G_END_DECLS

#include "cm-api-types.h"

G_BEGIN_DECLS

/* Parsers of the answers in docs/openapi.yaml; errors are MISSING_FIELD or INVALID_FIELD
 * (CmApiClient turns them into CM_ERROR_PROTOCOL). */
CmChallenge           *cm_challenge_new_from_json             (JsonObject  *object,
                                                               GError     **error);
CmSignInResult        *cm_sign_in_result_new_from_json        (JsonObject  *object,
                                                               gboolean     with_token,
                                                               GError     **error);
CmAccountType         *cm_account_type_new_from_json          (JsonObject  *object,
                                                               GError     **error);
CmLookupResult        *cm_lookup_result_new_from_json         (JsonObject  *object,
                                                               GError     **error);
CmAccessRequestResult *cm_access_request_result_new_from_json (JsonObject  *object,
                                                               GError     **error);
JsonNode              *cm_sign_up_request_to_json             (const CmSignUpRequest *request);
CmAccountProfile      *cm_account_profile_new_from_json       (JsonObject  *object,
                                                               GError     **error);
/* "questions": [{question, answer}...] from two parallel NULL-terminated lists (nullable). */
void                   cm_client_builder_add_questions        (JsonBuilder        *builder,
                                                               const char * const *questions,
                                                               const char * const *answers);

G_END_DECLS
