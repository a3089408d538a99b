/* cm-access-flow.c: helpers of cm-access-flow-private.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-flow"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-flow-private.h"
#include "cm-page.h"
#include "cm-plain-text.h"

/* One "Label : value" line of a summary, as on the slides. */
GtkWidget *
cm_access_flow_summary_row (const char *label,
                            const char *value)
{
  GtkWidget *row = cm_plain_row_new (ADW_TYPE_ACTION_ROW);
  GtkWidget *value_label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  /* A wrapping label asks for little width; wrap only what cannot fit on one line. */
  if (g_utf8_strlen (value, -1) > 32)
    {
      gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
      gtk_label_set_width_chars (GTK_LABEL (value_label), 24);
      gtk_label_set_max_width_chars (GTK_LABEL (value_label), 40);
    }
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (value_label), 1.0);
  gtk_widget_set_hexpand (value_label, TRUE);
  gtk_widget_set_halign (value_label, GTK_ALIGN_END);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value_label);
  g_object_set_data (G_OBJECT (row), "cm-value", value_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, value, -1);

  return row;
}

GtkWidget *
cm_access_flow_nav_button (const char *label,
                           const char *name,
                           const char *style_class)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_name (button, name);
  if (style_class != NULL)
    gtk_widget_add_css_class (button, style_class);
  cm_widget_fix_mnemonic_names (button);

  return button;
}

/* GTK 4.8 names a button with a mnemonic "_Next Next" (the raw label plus the
 * label child); dropping the property leaves the words on screen. */
void
cm_access_flow_set_label (GtkWidget  *button,
                          const char *label)
{
  if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), label) == 0)
    return;
  gtk_button_set_label (GTK_BUTTON (button), label);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* A check box whose text wraps, so a narrow window still fits it. A label
 * of its own (gtk_check_button_set_child) would lose the check box's
 * accessible action in GTK 4.8: wrap the built-in one instead. */
GtkWidget *
cm_access_flow_check_button (const char *label,
                             const char *name)
{
  GtkWidget *check = gtk_check_button_new_with_label (label);

  for (GtkWidget *child = gtk_widget_get_first_child (check); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      {
        gtk_label_set_wrap (GTK_LABEL (child), TRUE);
        gtk_label_set_xalign (GTK_LABEL (child), 0.0);
      }
  gtk_widget_set_name (check, name);

  return check;
}

/* A step: a heading, the slide's explanation, then what the caller appends. */
GtkWidget *
cm_access_flow_step_box (const char *heading,
                         const char *explanation)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *title = gtk_label_new (heading);

  gtk_widget_add_css_class (title, "title-2");
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_box_append (GTK_BOX (box), title);
  if (explanation != NULL)
    {
      GtkWidget *text = gtk_label_new (explanation);

      gtk_label_set_wrap (GTK_LABEL (text), TRUE);
      gtk_label_set_xalign (GTK_LABEL (text), 0.0);
      gtk_box_append (GTK_BOX (box), text);
    }

  return box;
}

/* Cancellation is the user's own doing: nothing to show. */
void
cm_access_flow_show_error (GtkLabel     *error_label,
                           const GError *error)
{
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_widget_set_visible (GTK_WIDGET (error_label), FALSE);
      return;
    }

  gtk_label_set_text (error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
}

static void
on_discard_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  GtkWidget *page = user_data;
  GCallback discard_cb = g_object_get_data (G_OBJECT (dialog), "cm-discard-cb");

  if (g_strcmp0 (response, "discard") == 0)
    ((void (*) (GtkWidget *)) discard_cb) (page);
}

/* Cancel with something typed asks first. */
void
cm_access_flow_ask_discard (GtkWidget *page,
                            GCallback  discard_cb)
{
  GtkRoot *root = gtk_widget_get_root (page);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Discard What You Entered?"),
                                   _("The information entered in this request will be lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_object_set_data (G_OBJECT (dialog), "cm-discard-cb", (gpointer) discard_cb);
  gtk_widget_set_name (dialog, "discard-dialog");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response_cb), page, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
