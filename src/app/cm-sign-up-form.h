/* cm-sign-up-form.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cm-api-types.h"

G_BEGIN_DECLS

/* The form's name for CmSignUpRequest's challenge_answer (the wire calls it
 * "answer", inside "challenge"). */
#define CM_SIGN_UP_FORM_CHALLENGE_ANSWER "challenge_answer"

#define CM_TYPE_SIGN_UP_FORM (cm_sign_up_form_get_type ())

G_DECLARE_FINAL_TYPE (CmSignUpForm, cm_sign_up_form, CM, SIGN_UP_FORM, GObject)

CmSignUpForm *cm_sign_up_form_new          (GSettings       *settings);
const char   *cm_sign_up_form_get_text     (CmSignUpForm    *self,
                                            const char      *member);
void          cm_sign_up_form_set_text     (CmSignUpForm    *self,
                                            const char      *member,
                                            const char      *value);
void          cm_sign_up_form_fill_request (CmSignUpForm    *self,
                                            CmSignUpRequest *request);
const char   *cm_sign_up_form_profile_field_of (const GError *error);
void          cm_sign_up_form_report_profile_error (CmSignUpForm *self,
                                                    const char   *field,
                                                    const char   *message);
void          cm_sign_up_form_forget_draft (CmSignUpForm    *self);
void          cm_sign_up_form_clear        (CmSignUpForm    *self);

G_END_DECLS
