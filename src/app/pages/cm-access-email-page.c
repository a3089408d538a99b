/* cm-access-email-page.c: Add Account Access, EMAIL (the State's slide
 * 16): the email address for this access, which the mechanic confirms or
 * changes; checked with the sign-up rule (cm_validate_email()), shown in
 * full on the summary, and told of the access by the back-end. The masked
 * address on record for the account is shown beside it, for reference.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-email-page"

#include "config.h"

#include "cm-access-email-page.h"
#include "cm-validate.h"

struct _CmAccessEmailPage
{
  CmAccessStepPage  parent_instance;

  /* template widgets */
  GtkLabel         *email_label;
  AdwEntryRow      *email_row;
};

G_DEFINE_FINAL_TYPE (CmAccessEmailPage, cm_access_email_page, CM_TYPE_ACCESS_STEP_PAGE)

static const char *
typed_email (CmAccessEmailPage *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->email_row));
}

static void
on_changed_cb (CmAccessEmailPage *self)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (typed_email (self)));

  /* The rule's message comes at Next; an empty field cannot go on. */
  cm_page_set_complete (CM_PAGE (self), *trimmed != '\0');
}

static void
cm_access_email_page_apply_async (CmPage              *page,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  CmAccessEmailPage *self = CM_ACCESS_EMAIL_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *email = NULL;
  GError *error = NULL;

  /* The field keeps what was typed, with the rule's message on it. */
  if (!cm_validate_email (typed_email (self), &email, &error))
    {
      cm_access_step_page_return_task (CM_ACCESS_STEP_PAGE (self), task, error,
                                       GTK_WIDGET (self->email_row));
      return;
    }
  cm_access_request_set_access_email (cm_access_step_page_get_request (self),
                                      email != NULL ? email : typed_email (self));
  g_task_return_boolean (task, TRUE);
}

static void
cm_access_email_page_shown (CmPage *page)
{
  CmAccessEmailPage *self = CM_ACCESS_EMAIL_PAGE (page);
  g_autofree char *text = cm_access_request_dup_email_sentence (
                            cm_access_step_page_get_request (page));

  gtk_label_set_text (self->email_label, text);
  gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
}

static gboolean
cm_access_email_page_has_input (CmPage *page)
{
  return *typed_email (CM_ACCESS_EMAIL_PAGE (page)) != '\0';
}

static void
cm_access_email_page_reset (CmPage *page)
{
  CmAccessEmailPage *self = CM_ACCESS_EMAIL_PAGE (page);

  gtk_editable_set_text (GTK_EDITABLE (self->email_row), "");
  cm_access_request_set_access_email (cm_access_step_page_get_request (self), NULL);
}

static void
cm_access_email_page_class_init (CmAccessEmailPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  page_class->shown = cm_access_email_page_shown;
  page_class->apply_async = cm_access_email_page_apply_async;
  page_class->has_input = cm_access_email_page_has_input;
  page_class->reset = cm_access_email_page_reset;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/pages/cm-access-email-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmAccessEmailPage, email_label);
  gtk_widget_class_bind_template_child (widget_class, CmAccessEmailPage, email_row);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
}

static void
cm_access_email_page_init (CmAccessEmailPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cm_access_step_page_ltr_field (self->email_row);
}
