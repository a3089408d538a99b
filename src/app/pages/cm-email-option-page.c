/* cm-email-option-page.c: Request Code, EMAIL OPTION (the State's slide
 * 10): the code by email (to the masked address on record) or by mail (to
 * the masked mailing address on record), chosen with Yes / No, and the
 * choice confirmed once, when prompted, as the slide says.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-email-option-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-bidi.h"
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
  GtkLabel         *mail_label;

  GTask            *confirm_task;     /* while the confirmation is asked */
  AdwMessageDialog *confirm_dialog;   /* (nullable) */
  guint             lookup_serial;    /* the lookup the choices were made for */
};

G_DEFINE_FINAL_TYPE (CmEmailOptionPage, cm_email_option_page, CM_TYPE_ACCESS_STEP_PAGE)

/* CM_DELIVERY_EMAIL, CM_DELIVERY_MAIL, or NULL while not chosen. */
static const char *
chosen_delivery (CmEmailOptionPage *self)
{
  CmAccessRequest *request = cm_access_step_page_get_request (self);

  if (cm_access_request_get_mail_only (request) || gtk_toggle_button_get_active (self->no_button))
    return CM_DELIVERY_MAIL;
  if (gtk_toggle_button_get_active (self->yes_button))
    return CM_DELIVERY_EMAIL;
  return NULL;
}

static void
on_changed_cb (CmEmailOptionPage *self)
{
  CmAccessRequest *request = cm_access_step_page_get_request (self);
  const char *delivery = chosen_delivery (self);

  gtk_widget_set_visible (self->email_box, !cm_access_request_get_mail_only (request));
  cm_access_request_set_delivery (request, delivery);
  cm_page_set_complete (CM_PAGE (self), delivery != NULL);
}

/* What the Mailing Details say: where a letter goes, masked as the record allows. */
static char *
dup_mail_sentence (CmAccessRequest *request)
{
  const CmLookupResult *lookup = cm_access_request_get_lookup (request);
  g_autofree char *address = NULL;

  if (lookup == NULL || lookup->mailing_address_masked == NULL)
    return g_strdup (_("The authorization code will be mailed to the address on record."));
  address = cm_bidi_isolate_ltr (lookup->mailing_address_masked);
  /* Translators: %s is a mailing address with its street masked, such as
   * 7*** C****** D*, Lansing, MI 48909. */
  return g_strdup_printf (_("The authorization code will be mailed to the address on record: %s"),
                          address);
}

static void
clear_choices (CmEmailOptionPage *self)
{
  gtk_toggle_button_set_active (self->yes_button, FALSE);
  gtk_toggle_button_set_active (self->no_button, FALSE);
}

static void
cm_email_option_page_shown (CmPage *page)
{
  CmEmailOptionPage *self = CM_EMAIL_OPTION_PAGE (page);
  CmAccessRequest *request = cm_access_step_page_get_request (self);
  g_autofree char *email = cm_access_request_dup_email_sentence (request);
  g_autofree char *mail = dup_mail_sentence (request);

  /* Back keeps the choice; another account looked up asks again. */
  if (self->lookup_serial != cm_access_request_get_lookup_serial (request))
    {
      self->lookup_serial = cm_access_request_get_lookup_serial (request);
      clear_choices (self);
    }
  gtk_label_set_text (self->email_label, email);
  gtk_label_set_text (self->mail_label, mail);
  on_changed_cb (self);
}

static void
on_confirm_response_cb (AdwMessageDialog  *dialog,
                        const char        *response,
                        CmEmailOptionPage *self)
{
  GTask *task = g_steal_pointer (&self->confirm_task);

  self->confirm_dialog = NULL;
  if (task == NULL)
    return;
  if (g_strcmp0 (response, "confirm") == 0)
    g_task_return_boolean (task, TRUE);
  else
    /* Not confirmed: the step stays, quietly, with the choice as it was. */
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "not confirmed");
  g_object_unref (task);
}

/* The slide: "confirm your decision when prompted". */
static AdwMessageDialog *
confirm_dialog_new (CmEmailOptionPage *self,
                    gboolean           by_mail)
{
  CmAccessRequest *request = cm_access_step_page_get_request (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (by_mail)
    body = dup_mail_sentence (request);
  else
    {
      g_autofree char *email = cm_bidi_isolate_ltr (cm_access_request_get_email_masked (request));

      /* Translators: %s is the masked email address on record. */
      body = g_strdup_printf (_("The authorization code will be emailed to %s."), email);
    }
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                             : NULL,
                                                       by_mail ? _("Send the Code by Mail?")
                                                               : _("Send the Code by Email?"),
                                                       body));
  gtk_widget_set_name (GTK_WIDGET (dialog), "confirm-delivery-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    /* Translators: confirms how the code is sent */
                                    "confirm", _("C_onfirm"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "confirm", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "confirm");
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

static void
cm_email_option_page_apply_async (CmPage              *page,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  CmEmailOptionPage *self = CM_EMAIL_OPTION_PAGE (page);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  const char *delivery = chosen_delivery (self);

  if (delivery == NULL || self->confirm_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "nothing chosen");
      g_object_unref (task);
      return;
    }
  self->confirm_task = task;
  self->confirm_dialog = confirm_dialog_new (self, g_str_equal (delivery, CM_DELIVERY_MAIL));
  g_signal_connect_object (self->confirm_dialog, "response", G_CALLBACK (on_confirm_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (self->confirm_dialog));
}

static void
cm_email_option_page_reset (CmPage *page)
{
  clear_choices (CM_EMAIL_OPTION_PAGE (page));
}

static void
cm_email_option_page_dispose (GObject *object)
{
  CmEmailOptionPage *self = CM_EMAIL_OPTION_PAGE (object);

  if (self->confirm_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->confirm_dialog));
  self->confirm_dialog = NULL;
  if (self->confirm_task != NULL)
    {
      g_task_return_new_error (self->confirm_task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "closed");
      g_clear_object (&self->confirm_task);
    }

  G_OBJECT_CLASS (cm_email_option_page_parent_class)->dispose (object);
}

static void
cm_email_option_page_class_init (CmEmailOptionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  object_class->dispose = cm_email_option_page_dispose;
  page_class->shown = cm_email_option_page_shown;
  page_class->apply_async = cm_email_option_page_apply_async;
  page_class->reset = cm_email_option_page_reset;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/pages/cm-email-option-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmEmailOptionPage, email_box);
  gtk_widget_class_bind_template_child (widget_class, CmEmailOptionPage, email_label);
  gtk_widget_class_bind_template_child (widget_class, CmEmailOptionPage, yes_button);
  gtk_widget_class_bind_template_child (widget_class, CmEmailOptionPage, no_button);
  gtk_widget_class_bind_template_child (widget_class, CmEmailOptionPage, mail_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
}

static void
cm_email_option_page_init (CmEmailOptionPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cm_access_step_page_enter_presses_next (GTK_WIDGET (self->yes_button));
  cm_access_step_page_enter_presses_next (GTK_WIDGET (self->no_button));
}
