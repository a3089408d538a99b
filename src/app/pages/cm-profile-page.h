/* cm-profile-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-api-types.h"
#include "cm-page.h"

G_BEGIN_DECLS

/* The flow of the sign-up pages (CmPage:flow). */
#define CM_SIGN_UP_FLOW "sign-up"

#define CM_TYPE_PROFILE_PAGE (cm_profile_page_get_type ())

G_DECLARE_FINAL_TYPE (CmProfilePage, cm_profile_page, CM, PROFILE_PAGE, CmPage)

CmPage     *cm_profile_page_new             (CmSession       *session,
                                             GSettings       *settings);
const char *cm_profile_page_get_first_name  (CmProfilePage   *self);
const char *cm_profile_page_get_last_name   (CmProfilePage   *self);
void        cm_profile_page_fill_request    (CmProfilePage   *self,
                                             CmSignUpRequest *request);
gboolean    cm_profile_page_show_error      (CmProfilePage   *self,
                                             const GError    *error);
void        cm_profile_page_reload_challenge (CmProfilePage  *self);
void        cm_profile_page_clear_draft     (CmProfilePage   *self);
void        cm_profile_page_forget_saved_draft (GSettings    *settings);
const char * const *cm_profile_page_get_challenge_words (CmProfilePage *self);
const char *cm_profile_page_get_challenge_letter (CmProfilePage *self);
gboolean    cm_profile_page_choose_word     (CmProfilePage   *self,
                                             const char      *word);

G_END_DECLS
