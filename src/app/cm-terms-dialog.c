/* cm-terms-dialog.c: the terms, readable where they are accepted (sign-up's
 * profile and Add Account Access's summary): a dialog with the text,
 * selectable and scrolled, closed with Close or Escape.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-terms-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-terms-dialog.h"

static const char *
terms_text (CmTerms terms)
{
  if (terms == CM_TERMS_ACCOUNT_ACCESS)
    /* Translators: the terms of Add Account Access. Keep the meaning exact. */
    return _("1. You may add online access only to a CARS e-Services business account that "
             "you own or are authorized to manage for its owner.\n\n"
             "2. The authorization code is for you alone. Do not share it; it works once and "
             "only for the MILogin User ID that requested it.\n\n"
             "3. What you do through this access is done in the name of the business. Keep its "
             "records with the Michigan Department of State true and current.\n\n"
             "4. The State may record your use of this access to keep it secure, and may remove "
             "access that is misused.\n\n"
             "5. Messages about this access go to the email address you give here.\n\n"
             "6. These terms may change; the current terms are always shown here.");

  /* Translators: the terms of use of the sign-up page. Keep the meaning exact. */
  return _("1. MILogin and CARS e-Services are for conducting business with the Michigan "
           "Department of State. Use them only for your own business accounts or those you "
           "are authorized to manage.\n\n"
           "2. Keep your User ID and password to yourself. You are responsible for what is "
           "done with your account. Report a lost or stolen password at once by resetting it.\n\n"
           "3. The information you give must be true and complete. Giving false information "
           "may end your access and may be unlawful.\n\n"
           "4. The State may record your use of these services to keep them secure, and may "
           "suspend an account that is misused.\n\n"
           "5. Your personal information is used only to provide these services and as the "
           "law requires. It is not sold.\n\n"
           "6. These terms may change; the current terms are always shown here.");
}

/**
 * cm_terms_dialog_present:
 * @parent: a widget of the window the dialog belongs to
 *
 * Returns: (transfer none): the dialog shown, named "terms-dialog"
 */
AdwMessageDialog *
cm_terms_dialog_present (GtkWidget *parent,
                         CmTerms    terms)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  AdwMessageDialog *dialog;
  GtkWidget *label;
  GtkWidget *scrolled;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                             : NULL,
                                                       _("Terms & Conditions"), NULL));
  gtk_widget_set_name (GTK_WIDGET (dialog), "terms-dialog");
  label = gtk_label_new (terms_text (terms));
  gtk_widget_set_name (label, "terms-text");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 240);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  adw_message_dialog_set_extra_child (dialog, scrolled);
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
