/* cm-email-option-page.c: Request Code, ACCOUNT DETAILS / EMAIL OPTION (the
 * State's slide 10): the code by email (to the masked address on record) or
 * by mail, the mailing notice confirmed with a check box.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-email-option-page"

#include "config.h"

#include "cm-email-option-page.h"
#include "cm-protocol.h"

struct _CmEmailOptionPage
{
  CmAccessStepPage  parent_instance;

  /* template widgets */
  GtkWidget        *email_box;
  GtkLabel         *email_label;
  GtkToggleButton  *yes_button;
  GtkToggleButton  *no_button;
  GtkWidget        *mail_box;
  GtkCheckButton   *mail_check;

  guint             lookup_serial;    /* the lookup the choices were made for */
};

G_DEFINE_FINAL_TYPE (CmEmailOptionPage, cm_email_option_page, CM_TYPE_ACCESS_STEP_PAGE)

static void
on_changed_cb (CmEmailOptionPage *self)
{
  CmAccessRequest *request = cm_access_step_page_get_request (self);
  gboolean mail_only = cm_access_request_get_mail_only (request);
  gboolean by_mail = mail_only || gtk_toggle_button_get_active (self->no_button);
  const char *delivery = NULL;

  if (!mail_only && gtk_toggle_button_get_active (self->yes_button))
    delivery = CM_DELIVERY_EMAIL;
  else if (by_mail && gtk_check_button_get_active (self->mail_check))
    delivery = CM_DELIVERY_MAIL;

  gtk_widget_set_visible (self->email_box, !mail_only);
  gtk_widget_set_visible (self->mail_box, by_mail);
  cm_access_request_set_delivery (request, delivery);
  cm_page_set_complete (CM_PAGE (self), delivery != NULL);
}

static void
clear_choices (CmEmailOptionPage *self)
{
  gtk_toggle_button_set_active (self->yes_button, FALSE);
  gtk_toggle_button_set_active (self->no_button, FALSE);
  gtk_check_button_set_active (self->mail_check, FALSE);
}

static void
cm_email_option_page_shown (CmPage *page)
{
  CmEmailOptionPage *self = CM_EMAIL_OPTION_PAGE (page);
  CmAccessRequest *request = cm_access_step_page_get_request (self);
  g_autofree char *text = cm_access_request_dup_email_sentence (request);

  /* Back keeps the choice; another account looked up asks again. */
  if (self->lookup_serial != cm_access_request_get_lookup_serial (request))
    {
      self->lookup_serial = cm_access_request_get_lookup_serial (request);
      clear_choices (self);
    }
  gtk_label_set_text (self->email_label, text);
  on_changed_cb (self);
}

static void
cm_email_option_page_reset (CmPage *page)
{
  clear_choices (CM_EMAIL_OPTION_PAGE (page));
}

static void
cm_email_option_page_class_init (CmEmailOptionPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  page_class->shown = cm_email_option_page_shown;
  page_class->reset = cm_email_option_page_reset;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/pages/cm-email-option-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmEmailOptionPage, email_box);
  gtk_widget_class_bind_template_child (widget_class, CmEmailOptionPage, email_label);
  gtk_widget_class_bind_template_child (widget_class, CmEmailOptionPage, yes_button);
  gtk_widget_class_bind_template_child (widget_class, CmEmailOptionPage, no_button);
  gtk_widget_class_bind_template_child (widget_class, CmEmailOptionPage, mail_box);
  gtk_widget_class_bind_template_child (widget_class, CmEmailOptionPage, mail_check);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
}

static void
cm_email_option_page_init (CmEmailOptionPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cm_access_step_page_wrap_check (self->mail_check);
  cm_access_step_page_enter_presses_next (GTK_WIDGET (self->yes_button));
  cm_access_step_page_enter_presses_next (GTK_WIDGET (self->no_button));
  cm_access_step_page_enter_presses_next (GTK_WIDGET (self->mail_check));
}
