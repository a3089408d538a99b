/* cm-terms-dialog.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum {
  CM_TERMS_SIGN_UP,         /* MILogin sign-up's terms & conditions */
  CM_TERMS_ACCOUNT_ACCESS,  /* Add Account Access's Terms & Conditions */
} CmTerms;

AdwMessageDialog *cm_terms_dialog_present (GtkWidget *parent,
                                           CmTerms    terms);

G_END_DECLS
