/* cm-access-step-page.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-access-request.h"
#include "cm-page.h"

G_BEGIN_DECLS

#define CM_TYPE_ACCESS_STEP_PAGE (cm_access_step_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (CmAccessStepPage, cm_access_step_page, CM, ACCESS_STEP_PAGE, CmPage)

struct _CmAccessStepPageClass
{
  CmPageClass parent_class;

  gpointer padding[4];
};

CmAccessStepPage *cm_access_step_page_new         (GType             type,
                                                   CmAccessRequest  *request,
                                                   const char       *flow,
                                                   const char       *step,
                                                   const char       *next_page);
/* These two take any step page, so subclasses call them without a cast. */
CmAccessRequest  *cm_access_step_page_get_request (gpointer          page);
gboolean          cm_access_step_page_is_add_access (gpointer        page);
void              cm_access_step_page_show_error  (CmAccessStepPage *self,
                                                   const GError     *error,
                                                   GtkWidget        *field);
void              cm_access_step_page_return_task (CmAccessStepPage *self,
                                                   GTask            *task,
                                                   GError           *error,
                                                   GtkWidget        *field);

void              cm_access_step_page_set_breadcrumb_last (CmAccessStepPage *self,
                                                   const char       *last);
GtkWidget        *cm_access_step_page_value_row_new (const char     *label,
                                                   const char       *value);
void              cm_access_step_page_wrap_check  (GtkCheckButton   *check);
void              cm_access_step_page_enter_presses_next (GtkWidget *control);
void              cm_access_step_page_ltr_field   (AdwEntryRow      *row);

G_END_DECLS
