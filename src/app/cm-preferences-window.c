/* cm-preferences-window.c: the back-end URL (`server-url`), an extra CA file
 * (`ca-file`) and practice mode, which is simply "no back-end URL". Nothing
 * here is a secret. Changes apply the next time the app starts or signs in.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-application.h"
#include "cm-page.h"
#include "cm-plain-text.h"
#include "cm-preferences-window-private.h"

struct _CmPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template widgets */
  GtkWidget            *back_end_group;
  GtkSwitch            *practice_switch;
  AdwEntryRow          *url_row;
  AdwActionRow         *ca_row;
  GtkWidget            *ca_clear_button;
  GtkLabel             *error_label;

  /* owned */
  GSettings            *settings;
  GtkFileChooserNative *chooser;
  gboolean              updating;
};

G_DEFINE_FINAL_TYPE (CmPreferencesWindow, cm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
show_error (CmPreferencesWindow *self,
            const char          *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
sync_from_settings (CmPreferencesWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");
  g_autofree char *ca_file = g_settings_get_string (self->settings, "ca-file");
  gboolean practice = *url == '\0' && *DEFAULT_SERVER_URL == '\0';

  self->updating = TRUE;
  gtk_switch_set_active (self->practice_switch, practice);
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), *url != '\0' ? url : DEFAULT_SERVER_URL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !practice);
  adw_action_row_set_subtitle (self->ca_row, *ca_file != '\0' ? ca_file
                                                              : _("System certificates only"));
  gtk_widget_set_visible (self->ca_clear_button, *ca_file != '\0');
  self->updating = FALSE;
}

static void
on_apply_cb (CmPreferencesWindow *self)
{
  cm_preferences_window_apply_url (self, gtk_editable_get_text (GTK_EDITABLE (self->url_row)));
}

static void
on_practice_cb (CmPreferencesWindow *self)
{
  if (self->updating)
    return;
  cm_preferences_window_set_practice (self, gtk_switch_get_active (self->practice_switch));
}

static void
on_chooser_response_cb (GtkNativeDialog     *dialog,
                        int                  response,
                        CmPreferencesWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = file != NULL ? g_file_get_path (file) : NULL;
      if (path != NULL)
        cm_preferences_window_set_ca_file (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
on_choose_ca_cb (CmPreferencesWindow *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("PEM certificates"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Choose a CA Certificate"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"),
                                               _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_clear_ca_cb (CmPreferencesWindow *self)
{
  cm_preferences_window_set_ca_file (self, NULL);
}

static void
cm_preferences_window_dispose (GObject *object)
{
  CmPreferencesWindow *self = CM_PREFERENCES_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cm_preferences_window_parent_class)->dispose (object);
}

static void
cm_preferences_window_class_init (CmPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cm_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/carsmechanic/CarsMechanic/ui/"
                                               "cm-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CmPreferencesWindow, back_end_group);
  gtk_widget_class_bind_template_child (widget_class, CmPreferencesWindow, practice_switch);
  gtk_widget_class_bind_template_child (widget_class, CmPreferencesWindow, url_row);
  gtk_widget_class_bind_template_child (widget_class, CmPreferencesWindow, ca_row);
  gtk_widget_class_bind_template_child (widget_class, CmPreferencesWindow, ca_clear_button);
  gtk_widget_class_bind_template_child (widget_class, CmPreferencesWindow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_practice_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_ca_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_ca_cb);
}

static void
cm_preferences_window_init (CmPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Descriptions are markup in libadwaita 1.2: text goes through cm-plain-text. */
  cm_plain_set_description (self->back_end_group,
                            _("Changes apply the next time CARS Mechanic starts."));
  cm_widget_fix_mnemonic_names (GTK_WIDGET (self));
}

/**
 * cm_preferences_window_new:
 * @settings: the app's settings
 *
 * Returns: (transfer none): a new preferences window
 */
CmPreferencesWindow *
cm_preferences_window_new (GSettings *settings)
{
  CmPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CM_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed", G_CALLBACK (sync_from_settings), self,
                           G_CONNECT_SWAPPED);
  sync_from_settings (self);

  return self;
}

/**
 * cm_preferences_window_apply_url:
 * @url: what the user typed
 *
 * Saves @url as the back-end when cm_application_check_server_url() accepts
 * it; otherwise shows why and saves nothing.
 *
 * Returns: %TRUE when saved
 */
gboolean
cm_preferences_window_apply_url (CmPreferencesWindow *self,
                                 const char          *url)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (CM_IS_PREFERENCES_WINDOW (self), FALSE);

  stripped = g_strstrip (g_strdup (url != NULL ? url : ""));
  if (!cm_application_check_server_url (stripped, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }

  show_error (self, NULL);
  g_settings_set_string (self->settings, "server-url", stripped);
  return TRUE;
}

/**
 * cm_preferences_window_set_practice:
 *
 * Practice mode on empties `server-url`; off asks for a URL.
 */
void
cm_preferences_window_set_practice (CmPreferencesWindow *self,
                                    gboolean             practice)
{
  g_return_if_fail (CM_IS_PREFERENCES_WINDOW (self));

  if (practice)
    {
      show_error (self, NULL);
      g_settings_set_string (self->settings, "server-url", "");
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), TRUE);
  if (*gtk_editable_get_text (GTK_EDITABLE (self->url_row)) == '\0')
    show_error (self, _("Enter the back-end URL your office gave you, then press Enter."));
  else
    cm_preferences_window_apply_url (self, gtk_editable_get_text (GTK_EDITABLE (self->url_row)));
  gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
}

/**
 * cm_preferences_window_set_ca_file:
 * @path: (nullable): a PEM file, or %NULL for the system certificates only
 */
void
cm_preferences_window_set_ca_file (CmPreferencesWindow *self,
                                   const char          *path)
{
  g_return_if_fail (CM_IS_PREFERENCES_WINDOW (self));

  if (path != NULL && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      show_error (self, _("The CA certificate file does not exist."));
      return;
    }
  show_error (self, NULL);
  g_settings_set_string (self->settings, "ca-file", path != NULL ? path : "");
}

/**
 * cm_preferences_window_get_error:
 *
 * Returns: (nullable): the message shown, if any
 */
const char *
cm_preferences_window_get_error (CmPreferencesWindow *self)
{
  g_return_val_if_fail (CM_IS_PREFERENCES_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}
