/* cm-access-request.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cm-journey.h"
#include "cm-session.h"

G_BEGIN_DECLS

#define CM_ACCESS_FLOW_REQUEST_CODE "request-code"
#define CM_ACCESS_FLOW_ADD_ACCESS   "add-access"

#define CM_TYPE_ACCESS_REQUEST (cm_access_request_get_type ())

G_DECLARE_FINAL_TYPE (CmAccessRequest, cm_access_request, CM, ACCESS_REQUEST, GObject)

CmAccessRequest      *cm_access_request_new                (CmSession        *session);
CmSession            *cm_access_request_get_session        (CmAccessRequest  *self);
void                  cm_access_request_set_session        (CmAccessRequest  *self,
                                                            CmSession        *session);
void                  cm_access_request_set_journey        (CmAccessRequest  *self,
                                                            CmJourney        *journey);

/* Account types, loaded once per sign-in and shared by both flows */
void                  cm_access_request_load_types         (CmAccessRequest  *self);
gboolean              cm_access_request_get_loading        (CmAccessRequest  *self);
GListModel           *cm_access_request_get_type_labels    (CmAccessRequest  *self);
const char           *cm_access_request_get_type_id        (CmAccessRequest  *self,
                                                            guint             index);
guint                 cm_access_request_get_type_index     (CmAccessRequest  *self);
void                  cm_access_request_set_type_index     (CmAccessRequest  *self,
                                                            guint             index);
void                  cm_access_request_set_preferred_type (CmAccessRequest  *self,
                                                            const char       *account_type);
void                  cm_access_request_select_preferred_type (CmAccessRequest *self);
const char           *cm_access_request_get_number_label   (CmAccessRequest  *self);

/* Ends a lookup, a Submit or a link */
gboolean              cm_access_request_finish             (CmAccessRequest  *self,
                                                            GAsyncResult     *result,
                                                            GError          **error);

/* ACCOUNT INFO: number and ZIP, already validated, checked by the back-end */
void                  cm_access_request_lookup_async       (CmAccessRequest  *self,
                                                            const char       *number,
                                                            const char       *zip,
                                                            GCancellable     *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer          user_data);
const CmLookupResult *cm_access_request_get_lookup         (CmAccessRequest  *self);
const char           *cm_access_request_get_type_label     (CmAccessRequest  *self);
const char           *cm_access_request_get_email_masked   (CmAccessRequest  *self);
char                 *cm_access_request_dup_email_sentence (CmAccessRequest  *self);
gboolean              cm_access_request_get_mail_only      (CmAccessRequest  *self);
guint                 cm_access_request_get_lookup_serial  (CmAccessRequest  *self);
void                  cm_access_request_clear_lookup       (CmAccessRequest  *self);

/* Request Code */
void                  cm_access_request_set_delivery       (CmAccessRequest  *self,
                                                            const char       *delivery);
void                  cm_access_request_submit_async       (CmAccessRequest  *self,
                                                            GCancellable     *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer          user_data);
const char           *cm_access_request_get_confirmation_number (CmAccessRequest *self);
const char           *cm_access_request_get_delivery       (CmAccessRequest  *self);

/* Add Account Access */
gboolean              cm_access_request_set_code           (CmAccessRequest  *self,
                                                            const char       *untrusted_code);
void                  cm_access_request_clear_code         (CmAccessRequest  *self);
void                  cm_access_request_check_code_async   (CmAccessRequest  *self,
                                                            GCancellable     *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer          user_data);
void                  cm_access_request_set_access_email   (CmAccessRequest  *self,
                                                            const char       *email);
void                  cm_access_request_link_async         (CmAccessRequest  *self,
                                                            gboolean          terms_accepted,
                                                            GCancellable     *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer          user_data);

/* A field error for a step the user is sent back to (a wrong code at Submit) */
void                  cm_access_request_set_pending_error  (CmAccessRequest  *self,
                                                            const char       *field,
                                                            const char       *message);
char                 *cm_access_request_take_pending_error (CmAccessRequest  *self,
                                                            const char       *field);

GPtrArray            *cm_access_request_dup_summary        (CmAccessRequest  *self,
                                                            const char       *flow);
void                  cm_access_request_finish_flow        (CmAccessRequest  *self,
                                                            const char       *flow);

char                 *cm_add_access_parse_link             (const char       *uri);

G_END_DECLS
