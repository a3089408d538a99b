/* cm-expiry-dialog.c: what a window does when the session nears its end (a
 * toast with "Stay Signed In") and when it ended (a dialog that asks for the
 * password again). Nothing in the window changes, so the user goes on
 * exactly where they were, with every field intact.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-expiry-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-expiry-dialog.h"
#include "cm-plain-text.h"

/* The warning on screen, kept on its overlay so that the end of the
 * session can take it away. */
#define EXPIRING_TOAST_KEY "cm-expiring-toast"
/* The dialog on screen, kept on its window for the same reason. */
#define EXPIRY_DIALOG_KEY "cm-expiry-dialog"

typedef struct
{
  GtkWindow *window;    /* (owned) */
  CmSession *session;   /* (owned) */
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  g_clear_object (&data->window);
  g_clear_object (&data->session);
  g_free (data);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  SignInData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!cm_session_sign_in_finish (CM_SESSION (object), result, &error) &&
      gtk_widget_get_root (GTK_WIDGET (data->window)) != NULL)
    cm_expiry_dialog_present (data->window, data->session, error->message);

  sign_in_data_free (data);
}

static void
on_response_cb (AdwMessageDialog *dialog,
                const char       *response,
                gpointer          user_data)
{
  GtkWindow *window = GTK_WINDOW (user_data);
  CmSession *session = g_object_get_data (G_OBJECT (dialog), "cm-session");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "cm-password");
  SignInData *data;

  if (g_strcmp0 (response, "sign-in") == 0)
    {
      data = g_new0 (SignInData, 1);
      data->window = g_object_ref (window);
      data->session = g_object_ref (session);
      cm_session_sign_in_async (session, cm_session_get_user_id (session),
                                gtk_editable_get_text (entry),
                                cm_session_get_remembered (session), NULL, sign_in_cb, data);
      gtk_editable_set_text (entry, "");
    }
  else
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.log-off", NULL);
    }
}

static void
on_password_activate_cb (GtkWidget *entry,
                         gpointer   user_data)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (user_data), "sign-in");
  /* Not gtk_window_close(): that would answer with the close response, Log Off. */
  gtk_window_destroy (GTK_WINDOW (user_data));
}

static void
on_dialog_destroy_cb (GtkWidget *dialog,
                      GtkWindow *window)
{
  if (g_object_get_data (G_OBJECT (window), EXPIRY_DIALOG_KEY) == dialog)
    g_object_set_data (G_OBJECT (window), EXPIRY_DIALOG_KEY, NULL);
}

static void
remember_dialog (GtkWindow *window,
                 GtkWidget *dialog)
{
  g_object_set_data (G_OBJECT (window), EXPIRY_DIALOG_KEY, dialog);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_dialog_destroy_cb), window, 0);
}

/**
 * cm_expiry_dialog_present:
 * @window: the window the user was working in
 * @session: the expired session
 * @error_message: (nullable): why the last try failed
 *
 * Asks for the password again. "Log Off" activates `win.log-off` on @window.
 *
 * Returns: (transfer none): the dialog
 */
GtkWidget *
cm_expiry_dialog_present (GtkWindow  *window,
                          CmSession  *session,
                          const char *error_message)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);
  g_return_val_if_fail (CM_IS_SESSION (session), NULL);

  /* Translators: %s is the User ID. */
  body = g_strdup_printf (_("For your security, you were signed out. Enter the password of %s "
                            "to continue where you left off."),
                          cm_session_get_user_id (session));
  dialog = adw_message_dialog_new (window, _("Session Expired"), body);
  gtk_widget_set_name (dialog, "expiry-dialog");
  /* A GtkEntry, not a GtkPasswordEntry: in GTK 4.8 the latter keeps a caps-lock
   * handler on the keyboard after a focused entry is destroyed with its dialog. */
  entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Password"), -1);
  if (error_message != NULL)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *label = gtk_label_new (error_message);

      gtk_widget_add_css_class (label, "error");
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      /* Read with the field, not only once when the dialog opens. */
      gtk_accessible_update_relation (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                      label, NULL, -1);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), entry);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
    }
  else
    {
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
    }
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "log-off", _("_Log Off"),
                                    "sign-in", _("_Sign In"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-in",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "sign-in");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "log-off");
  g_object_set_data_full (G_OBJECT (dialog), "cm-session", g_object_ref (session),
                          g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "cm-password", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response_cb), window, 0);
  g_signal_connect (entry, "activate", G_CALLBACK (on_password_activate_cb), dialog);
  remember_dialog (window, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);

  return dialog;
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cm_session_refresh_finish (CM_SESSION (object), result, &error))
    g_debug ("Could not extend the session: %s", error->message);
}

static void
on_stay_signed_in_cb (AdwToast  *toast,
                      CmSession *session)
{
  cm_session_refresh_async (session, NULL, refresh_cb, NULL);
}

static void
on_expiring_toast_dismissed_cb (AdwToast        *toast,
                                AdwToastOverlay *overlay)
{
  if (g_object_get_data (G_OBJECT (overlay), EXPIRING_TOAST_KEY) == toast)
    g_object_set_data (G_OBJECT (overlay), EXPIRING_TOAST_KEY, NULL);
}

static void
dismiss_expiring_toast (AdwToastOverlay *overlay)
{
  AdwToast *toast = g_object_get_data (G_OBJECT (overlay), EXPIRING_TOAST_KEY);

  if (toast != NULL)
    adw_toast_dismiss (toast);
}

static void
on_expiring_cb (CmSession *session,
                gpointer   user_data)
{
  AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (user_data);
  AdwToast *toast = cm_plain_toast_new (_("You will be signed out soon for inactivity"));

  /* One warning at a time. */
  dismiss_expiring_toast (overlay);
  g_object_set_data_full (G_OBJECT (overlay), EXPIRING_TOAST_KEY, g_object_ref (toast),
                          g_object_unref);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_expiring_toast_dismissed_cb),
                           overlay, 0);

  adw_toast_set_button_label (toast, _("_Stay Signed In"));
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_stay_signed_in_cb), session,
                           0);
  adw_toast_overlay_add_toast (overlay, toast);
}

static void
on_expired_cb (CmSession *session,
               gpointer   user_data)
{
  GtkWindow *window = GTK_WINDOW (user_data);

  if (gtk_widget_get_visible (GTK_WIDGET (window)))
    cm_expiry_dialog_present (window, session, NULL);
}

/* "Signed out soon" is only true while signed in: an expired session has its
 * dialog, and a signed-out one has nothing left to warn about. */
static void
on_state_cb (CmSession  *session,
             GParamSpec *pspec,
             gpointer    user_data)
{
  if (cm_session_get_state (session) != CM_SESSION_STATE_SIGNED_IN)
    dismiss_expiring_toast (ADW_TOAST_OVERLAY (user_data));
}

/* A dialog still asking for the password of a session that was logged off
 * (elsewhere) goes; an idle, as the dialog may be inside its own response. */
static gboolean
destroy_dialog_idle_cb (gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(GtkWindow) dialog = g_weak_ref_get (ref);

  if (dialog != NULL)
    gtk_window_destroy (dialog);
  g_weak_ref_clear (ref);
  g_free (ref);
  return G_SOURCE_REMOVE;
}

static void
on_state_window_cb (CmSession  *session,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  GObject *dialog = g_object_get_data (G_OBJECT (user_data), EXPIRY_DIALOG_KEY);
  GWeakRef *ref;

  if (cm_session_get_state (session) != CM_SESSION_STATE_SIGNED_OUT || dialog == NULL)
    return;

  g_object_set_data (G_OBJECT (user_data), EXPIRY_DIALOG_KEY, NULL);
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, dialog);
  g_idle_add (destroy_dialog_idle_cb, ref);
}

/**
 * cm_expiry_watch:
 * @window: where the dialog goes; must have a `win.log-off` action
 * @session: the session to follow
 * @overlay: where the warning toast goes
 *
 * Follows #CmSession::expiring and #CmSession::expired for as long as
 * @window lives.
 */
void
cm_expiry_watch (GtkWindow       *window,
                 CmSession       *session,
                 AdwToastOverlay *overlay)
{
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (CM_IS_SESSION (session));
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));

  g_signal_connect_object (session, "expiring", G_CALLBACK (on_expiring_cb), overlay, 0);
  g_signal_connect_object (session, "expired", G_CALLBACK (on_expired_cb), window, 0);
  g_signal_connect_object (session, "notify::state", G_CALLBACK (on_state_cb), overlay, 0);
  g_signal_connect_object (session, "notify::state", G_CALLBACK (on_state_window_cb), window, 0);
}
