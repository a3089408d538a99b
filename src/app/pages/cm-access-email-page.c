/* cm-access-email-page.c: Add Account Access, EMAIL (the State's slide 16):
 * the masked email address on record for the account.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-email-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-email-page.h"
#include "cm-bidi.h"

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
  CmAccessEmailPage *self = CM_ACCESS_EMAIL_PAGE (page);
  CmAccessRequest *request = cm_access_step_page_get_request (self);
  const char *email = cm_access_request_get_email_masked (request);
  g_autofree char *isolated = email != NULL ? cm_bidi_isolate_ltr (email) : NULL;
  g_autofree char *text = NULL;

  if (isolated != NULL)
    /* Translators: %s is a masked email address such as E************L@EMAIL.COM. */
    text = g_strdup_printf (_("The email address on record is %s"), isolated);
  else
    text = g_strdup (_("There is no email address on record for this account."));
  gtk_label_set_text (self->email_label, text);
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
