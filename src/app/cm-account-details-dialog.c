/* cm-account-details-dialog.c: one linked account's details from the
 * springboard (Enter or a double click on its row): a row per field, Remove
 * Access… (the springboard asks first) and Close; Escape closes it too.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-account-details-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-account-details-dialog.h"
#include "cm-account-row.h"
#include "cm-bidi.h"
#include "cm-page.h"
#include "cm-plain-text.h"

struct _CmAccountDetailsDialog
{
  AdwWindow       parent_instance;

  /* template widgets */
  GtkLabel       *name_label;
  AdwActionRow   *type_row;
  AdwActionRow   *number_row;
  AdwActionRow   *city_row;
  AdwActionRow   *status_row;
  AdwActionRow   *linked_row;
  AdwActionRow   *expires_row;
  AdwToastOverlay *toast_overlay;

  /* owned */
  CmAccount      *account;
};

G_DEFINE_FINAL_TYPE (CmAccountDetailsDialog, cm_account_details_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_REMOVE_ACCESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_remove_clicked_cb (CmAccountDetailsDialog *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE_ACCESS], 0, self->account);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The number as the State writes it, without the marks that keep it left to right. */
static void
on_copy_number_clicked_cb (CmAccountDetailsDialog *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          cm_account_get_account_number (self->account));
  adw_toast_overlay_add_toast (self->toast_overlay,
                               cm_plain_toast_new (_("Account number copied")));
}

static void
cm_account_details_dialog_dispose (GObject *object)
{
  CmAccountDetailsDialog *self = CM_ACCOUNT_DETAILS_DIALOG (object);

  g_clear_object (&self->account);

  G_OBJECT_CLASS (cm_account_details_dialog_parent_class)->dispose (object);
}

static void
cm_account_details_dialog_class_init (CmAccountDetailsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_account_details_dialog_dispose;

  /**
   * CmAccountDetailsDialog::remove-access:
   * @account: the account shown
   *
   * Remove Access… was chosen; the dialog closes after the handlers ran.
   */
  signals[SIGNAL_REMOVE_ACCESS] = g_signal_new ("remove-access", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 1, CM_TYPE_ACCOUNT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/carsmechanic/CarsMechanic/ui/"
                                               "cm-account-details-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CmAccountDetailsDialog, name_label);
  gtk_widget_class_bind_template_child (widget_class, CmAccountDetailsDialog, type_row);
  gtk_widget_class_bind_template_child (widget_class, CmAccountDetailsDialog, number_row);
  gtk_widget_class_bind_template_child (widget_class, CmAccountDetailsDialog, city_row);
  gtk_widget_class_bind_template_child (widget_class, CmAccountDetailsDialog, status_row);
  gtk_widget_class_bind_template_child (widget_class, CmAccountDetailsDialog, linked_row);
  gtk_widget_class_bind_template_child (widget_class, CmAccountDetailsDialog, expires_row);
  gtk_widget_class_bind_template_child (widget_class, CmAccountDetailsDialog, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_number_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cm_account_details_dialog_init (CmAccountDetailsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cm_widget_fix_mnemonic_names (GTK_WIDGET (self));
}

/* A row shows its value, or goes when there is none. */
static void
set_row (AdwActionRow *row,
         const char   *value)
{
  gtk_widget_set_visible (GTK_WIDGET (row), value != NULL && *value != '\0');
  adw_action_row_set_subtitle (row, value != NULL ? value : "");
}

/**
 * cm_account_details_dialog_new:
 * @parent: the springboard
 * @account: the account to show
 *
 * Returns: (transfer none): a new dialog, not yet presented
 */
CmAccountDetailsDialog *
cm_account_details_dialog_new (GtkWindow *parent,
                               CmAccount *account)
{
  CmAccountDetailsDialog *self;
  g_autofree char *number = NULL;
  g_autofree char *linked = NULL;
  g_autofree char *expires = NULL;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CM_IS_ACCOUNT (account), NULL);

  self = g_object_new (CM_TYPE_ACCOUNT_DETAILS_DIALOG, "transient-for", parent, NULL);
  self->account = g_object_ref (account);
  /* An account number reads left to right in Arabic too. */
  number = cm_bidi_isolate_ltr (cm_account_get_account_number (account));
  linked = cm_account_format_date (cm_account_get_linked_at (account));
  expires = cm_account_format_date (cm_account_get_certificate_expires (account));

  gtk_window_set_title (GTK_WINDOW (self), cm_account_get_name (account));
  gtk_label_set_text (self->name_label, cm_account_get_name (account));
  set_row (self->type_row, cm_account_type_get_label (cm_account_get_account_type (account)));
  set_row (self->number_row, number);
  set_row (self->city_row, cm_account_get_city (account));
  set_row (self->status_row, cm_account_status_get_label (cm_account_get_status (account)));
  set_row (self->linked_row, linked);
  set_row (self->expires_row, expires);

  return self;
}
