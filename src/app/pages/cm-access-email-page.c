/* cm-access-email-page.c: Add Account Access, EMAIL (the State's slide 16):
 * the masked email address on record for the account.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-email-page"

#include "config.h"

#include "cm-access-email-page.h"

struct _CmAccessEmailPage
{
  CmAccessStepPage  parent_instance;

  /* template widgets */
  GtkLabel         *email_label;
};

G_DEFINE_FINAL_TYPE (CmAccessEmailPage, cm_access_email_page, CM_TYPE_ACCESS_STEP_PAGE)

static void
cm_access_email_page_shown (CmPage *page)
{
  g_autofree char *text = cm_access_request_dup_email_sentence (
                            cm_access_step_page_get_request (page));

  gtk_label_set_text (CM_ACCESS_EMAIL_PAGE (page)->email_label, text);
}

static void
cm_access_email_page_class_init (CmAccessEmailPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  CM_PAGE_CLASS (klass)->shown = cm_access_email_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/pages/cm-access-email-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmAccessEmailPage, email_label);
}

static void
cm_access_email_page_init (CmAccessEmailPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cm_page_set_complete (CM_PAGE (self), TRUE);
}
