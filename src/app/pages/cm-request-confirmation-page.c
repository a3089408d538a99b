/* cm-request-confirmation-page.c: Request Code's confirmation (the State's
 * slide 12): the confirmation number, Copy, Printable View, and OK (the
 * wizard's Next, relabelled), which ends the flow.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-request-confirmation-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-bidi.h"
#include "cm-confirmation-preview.h"
#include "cm-confirmation-printer.h"
#include "cm-plain-text.h"
#include "cm-protocol.h"
#include "cm-request-confirmation-page.h"

struct _CmRequestConfirmationPage
{
  CmAccessStepPage  parent_instance;

  /* template widgets */
  GtkLabel         *confirmation_label;
};

G_DEFINE_FINAL_TYPE (CmRequestConfirmationPage, cm_request_confirmation_page,
                     CM_TYPE_ACCESS_STEP_PAGE)

static void
on_copy_clicked_cb (CmRequestConfirmationPage *self)
{
  CmAccessRequest *request = cm_access_step_page_get_request (self);
  const char *number = cm_access_request_get_confirmation_number (request);

  if (number == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), number);
  cm_page_add_toast (CM_PAGE (self), cm_plain_toast_new (_("Confirmation number copied")));
}

/* The printed page's "what happens next", after how the code goes. */
static const char *
next_steps_text (CmAccessRequest *request)
{
  if (g_strcmp0 (cm_access_request_get_delivery (request), CM_DELIVERY_EMAIL) == 0)
    return _("Your authorization code will arrive by email; it works for 3 days. When it does, "
             "sign in to CARS e-Services and choose Add Account Access to enter it. Keep this "
             "confirmation number until then.");
  return _("Your authorization code will arrive by mail; it works for 30 days. When it does, "
           "sign in to CARS e-Services and choose Add Account Access to enter it. Keep this "
           "confirmation number until then.");
}

static void
on_print_clicked_cb (CmRequestConfirmationPage *self)
{
  CmAccessRequest *request = cm_access_step_page_get_request (self);
  g_autoptr(CmConfirmationPrinter) printer = cm_confirmation_printer_new (_("Confirmation"));
  g_autoptr(GPtrArray) lines = cm_access_request_dup_summary (request, CM_ACCESS_FLOW_REQUEST_CODE);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  cm_confirmation_printer_add_line (printer, NULL, gtk_label_get_text (self->confirmation_label));
  for (guint i = 0; i + 1 < lines->len; i += 2)
    cm_confirmation_printer_add_line (printer, g_ptr_array_index (lines, i),
                                      g_ptr_array_index (lines, i + 1));
  cm_confirmation_printer_add_line (printer, _("What Happens Next"), next_steps_text (request));
  gtk_window_present (GTK_WINDOW (cm_confirmation_preview_new (
                                    printer, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL)));
}

static void
cm_request_confirmation_page_shown (CmPage *page)
{
  CmRequestConfirmationPage *self = CM_REQUEST_CONFIRMATION_PAGE (page);
  CmAccessRequest *request = cm_access_step_page_get_request (self);
  const char *number = cm_access_request_get_confirmation_number (request);
  g_autofree char *isolated = cm_bidi_isolate_ltr (number != NULL ? number : "");
  g_autofree char *text = NULL;

  /* Translators: %s is a confirmation number such as 0-000-021-028. */
  text = g_strdup_printf (_("Your submission has been submitted and your confirmation number "
                            "is %s."), isolated);
  gtk_label_set_text (self->confirmation_label, text);
  cm_page_set_complete (page, number != NULL);
}

/* OK: the flow is over; its steps empty themselves. */
static void
cm_request_confirmation_page_apply_async (CmPage              *page,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (page, cancellable, callback, user_data);

  cm_access_request_finish_flow (cm_access_step_page_get_request (page),
                                 CM_ACCESS_FLOW_REQUEST_CODE);
  g_task_return_boolean (task, TRUE);
}

static void
cm_request_confirmation_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (cm_request_confirmation_page_parent_class)->constructed (object);

  /* The slide: "Account Access Options > Request Account Access > Confirmation". */
  cm_access_step_page_set_breadcrumb_last (CM_ACCESS_STEP_PAGE (object), _("Confirmation"));
}

static void
cm_request_confirmation_page_class_init (CmRequestConfirmationPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->constructed = cm_request_confirmation_page_constructed;
  page_class->shown = cm_request_confirmation_page_shown;
  page_class->apply_async = cm_request_confirmation_page_apply_async;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/pages/cm-request-confirmation-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmRequestConfirmationPage,
                                        confirmation_label);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_print_clicked_cb);
}

static void
cm_request_confirmation_page_init (CmRequestConfirmationPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Translators: the wizard's Next button on the confirmation, as on the slides. */
  cm_page_set_next_label (CM_PAGE (self), _("_OK"));
}

