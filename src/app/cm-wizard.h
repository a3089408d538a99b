/* cm-wizard.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cm-page.h"
#include "cm-stepper.h"

G_BEGIN_DECLS

#define CM_TYPE_WIZARD (cm_wizard_get_type ())

G_DECLARE_FINAL_TYPE (CmWizard, cm_wizard, CM, WIZARD, GtkBox)

/**
 * CmWizardPageFactory:
 * @wizard: the wizard that needs the page
 * @name: the name the page was added with
 * @user_data: what cm_wizard_add_page_lazy() was given
 *
 * Builds a page added with cm_wizard_add_page_lazy(), once, when it is first
 * needed. It may ask the wizard for another page (cm_wizard_get_page()).
 *
 * Returns: (transfer floating): the new page
 */
typedef CmPage *(*CmWizardPageFactory) (CmWizard   *wizard,
                                        const char *name,
                                        gpointer    user_data);

CmWizard   *cm_wizard_new              (void);
void        cm_wizard_add_page         (CmWizard            *self,
                                        const char          *name,
                                        CmPage              *page);
void        cm_wizard_add_page_lazy    (CmWizard            *self,
                                        const char          *name,
                                        CmWizardPageFactory  factory,
                                        gpointer             user_data);
void        cm_wizard_add_flow_page_lazy (CmWizard            *self,
                                          const char          *name,
                                          const char          *flow,
                                          const char          *step,
                                          CmWizardPageFactory  factory,
                                          gpointer             user_data);
CmPage     *cm_wizard_get_page         (CmWizard   *self,
                                        const char *name);
CmPage     *cm_wizard_get_current_page (CmWizard   *self);
const char *cm_wizard_get_current_name (CmWizard   *self);
gboolean    cm_wizard_go_to            (CmWizard   *self,
                                        const char *name);
void        cm_wizard_reset            (CmWizard   *self);
void        cm_wizard_set_menu_model   (CmWizard   *self,
                                        GMenuModel *menu_model);
void        cm_wizard_set_banner       (CmWizard   *self,
                                        GtkWidget  *banner);
void        cm_wizard_add_toast        (CmWizard   *self,
                                        AdwToast   *toast);

G_END_DECLS
