/* cm-sign-in-page.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MILogin sign-in (docs/ui.md, "The journey"). One generic message for a
 * wrong User ID or password, so nobody learns which User IDs exist; a
 * lockout counts down from retry_after; the User ID stays after any error.
 */

#define G_LOG_DOMAIN "cm-sign-in-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-error.h"
#include "cm-protocol.h"
#include "cm-sign-in-page-private.h"

struct _CmSignInPage
{
  CmPage            parent_instance;

  /* template widgets */
  AdwEntryRow      *user_id_row;
  AdwEntryRow      *password_row;
  GtkSwitch        *remember_switch;
  GtkWidget        *lockout_box;
  GtkLabel         *lockout_label;
  GtkWidget        *lockout_help_label;

  guint             countdown_id;
  gint64            locked_until;    /* monotonic µs; 0 when not locked */
  CmError           lock_code;       /* 423 or 429: what the countdown says */
};

G_DEFINE_FINAL_TYPE (CmSignInPage, cm_sign_in_page, CM_TYPE_PAGE)

static gboolean
is_locked (CmSignInPage *self)
{
  return self->locked_until > g_get_monotonic_time ();
}

static void
update_complete (CmSignInPage *self)
{
  const char *user_id = gtk_editable_get_text (GTK_EDITABLE (self->user_id_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  cm_page_set_complete (CM_PAGE (self), *user_id != '\0' && *password != '\0' &&
                                        !is_locked (self));
}

static void
stop_countdown (CmSignInPage *self)
{
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  self->locked_until = 0;
  gtk_widget_set_visible (self->lockout_box, FALSE);
  update_complete (self);
}

static gboolean
countdown_tick_cb (gpointer user_data)
{
  CmSignInPage *self = CM_SIGN_IN_PAGE (user_data);
  gint64 left = cm_sign_in_page_get_locked_seconds (self);
  g_autofree char *text = NULL;

  if (left <= 0)
    {
      self->countdown_id = 0;
      stop_countdown (self);
      return G_SOURCE_REMOVE;
    }

  text = cm_error_format_wait (self->lock_code, left);
  gtk_label_set_text (self->lockout_label, text);
  return G_SOURCE_CONTINUE;
}

static void
start_countdown (CmSignInPage *self,
                 CmError       code,
                 gint64        seconds)
{
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  self->lock_code = code;
  gtk_widget_set_visible (self->lockout_help_label, code == CM_ERROR_ACCOUNT_LOCKED);
  self->locked_until = g_get_monotonic_time () + MAX (seconds, 1) * G_USEC_PER_SEC;
  gtk_widget_set_visible (self->lockout_box, TRUE);
  countdown_tick_cb (self);
  self->countdown_id = g_timeout_add_seconds (1, countdown_tick_cb, self);
  update_complete (self);
}

static void
on_row_changed_cb (CmSignInPage *self)
{
  update_complete (self);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmSignInPage *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  GSettings *settings;

  if (!cm_session_sign_in_finish (CM_SESSION (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      if (g_error_matches (error, CM_ERROR, CM_ERROR_ACCOUNT_LOCKED) ||
          g_error_matches (error, CM_ERROR, CM_ERROR_RATE_LIMITED))
        {
          gint64 retry_after = cm_error_get_retry_after (error);

          start_countdown (self, error->code, retry_after > 0 ? retry_after : 60);
        }
      else if (g_error_matches (error, CM_ERROR, CM_ERROR_INVALID_CREDENTIALS) ||
               g_strcmp0 (cm_error_get_field (error), "password") == 0)
        {
          /* One message whether the User ID or the password was wrong. */
          cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->password_row),
                                   error->message);
        }
      else if (g_strcmp0 (cm_error_get_field (error), "user_id") == 0)
        {
          cm_page_set_field_error (CM_PAGE (self), GTK_WIDGET (self->user_id_row),
                                   error->message);
        }
      else
        {
          cm_page_show_error_toast (CM_PAGE (self), error, cm_error_is_transient (error));
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  settings = cm_page_get_settings (CM_PAGE (self));
  if (settings != NULL)
    g_settings_set_string (settings, "last-user-id",
                           cm_session_get_user_id (CM_SESSION (object)));

  /* The password has done its job: it does not stay in a widget. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  g_task_return_boolean (task, TRUE);
}

static void
cm_sign_in_page_apply_async (CmPage              *page,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  CmSignInPage *self = CM_SIGN_IN_PAGE (page);
  g_autoptr(GTask) task = NULL;
  g_autofree char *user_id = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_sign_in_page_apply_async);

  user_id = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_id_row))));
  cm_session_sign_in_async (cm_page_get_session (page), user_id,
                            gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                            gtk_switch_get_active (self->remember_switch),
                            cancellable, sign_in_cb, g_steal_pointer (&task));
}

static gboolean
cm_sign_in_page_apply_finish (CmPage        *page,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, page), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_sign_in_page_apply_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cm_sign_in_page_shown (CmPage *page)
{
  CmSignInPage *self = CM_SIGN_IN_PAGE (page);
  GSettings *settings = cm_page_get_settings (page);
  const char *user_id = gtk_editable_get_text (GTK_EDITABLE (self->user_id_row));

  /* Offer the User ID of the last sign-in (or of a password reset). */
  if (*user_id == '\0' && settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (settings, "last-user-id");

      gtk_editable_set_text (GTK_EDITABLE (self->user_id_row), last);
    }

  if (*gtk_editable_get_text (GTK_EDITABLE (self->user_id_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->user_id_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static gboolean
cm_sign_in_page_has_input (CmPage *page)
{
  CmSignInPage *self = CM_SIGN_IN_PAGE (page);

  return *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0';
}

static void
cm_sign_in_page_reset (CmPage *page)
{
  CmSignInPage *self = CM_SIGN_IN_PAGE (page);

  /* The User ID is not a secret and is kept; the password never is. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
}

/* A reset lifts the back-end's lock (cm-server-password.c): the countdown goes with it. */
static void
on_password_reset_cb (CmSignInPage *self,
                      const char   *user_id)
{
  stop_countdown (self);
  cm_page_clear_field_errors (CM_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->user_id_row), user_id);
}

static void
cm_sign_in_page_constructed (GObject *object)
{
  CmSignInPage *self = CM_SIGN_IN_PAGE (object);
  CmSession *session;

  G_OBJECT_CLASS (cm_sign_in_page_parent_class)->constructed (object);

  session = cm_page_get_session (CM_PAGE (self));
  if (session != NULL)
    g_signal_connect_object (session, "password-reset", G_CALLBACK (on_password_reset_cb), self,
                             G_CONNECT_SWAPPED);
}

static void
cm_sign_in_page_dispose (GObject *object)
{
  CmSignInPage *self = CM_SIGN_IN_PAGE (object);

  g_clear_handle_id (&self->countdown_id, g_source_remove);

  G_OBJECT_CLASS (cm_sign_in_page_parent_class)->dispose (object);
}

static void
cm_sign_in_page_class_init (CmSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  object_class->constructed = cm_sign_in_page_constructed;
  object_class->dispose = cm_sign_in_page_dispose;
  page_class->apply_async = cm_sign_in_page_apply_async;
  page_class->apply_finish = cm_sign_in_page_apply_finish;
  page_class->shown = cm_sign_in_page_shown;
  page_class->has_input = cm_sign_in_page_has_input;
  page_class->reset = cm_sign_in_page_reset;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/pages/cm-sign-in-page.ui");
  gtk_widget_class_bind_template_child_full (widget_class, "sign_in_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "sign_up_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "forgot_button", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, CmSignInPage, user_id_row);
  gtk_widget_class_bind_template_child (widget_class, CmSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, CmSignInPage, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, CmSignInPage, lockout_box);
  gtk_widget_class_bind_template_child (widget_class, CmSignInPage, lockout_label);
  gtk_widget_class_bind_template_child (widget_class, CmSignInPage, lockout_help_label);
  gtk_widget_class_bind_template_callback (widget_class, on_row_changed_cb);
}

static void
cm_sign_in_page_init (CmSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  cm_sign_in_page_set_account_type (self, CM_ACCOUNT_TYPE_MECHANIC);
  /* Signed in, the user goes on to Account Access Options (docs/ui.md, "The journey"). */
  cm_page_set_next_page (CM_PAGE (self), "access-options");
  update_complete (self);
}

CmPage *
cm_sign_in_page_new (CmSession *session,
                     GSettings *settings)
{
  return g_object_new (CM_TYPE_SIGN_IN_PAGE,
                       "session", session,
                       "settings", settings,
                       NULL);
}

/**
 * cm_sign_in_page_set_account_type:
 * @account_type: the kind of login chosen on Welcome, %CM_ACCOUNT_TYPE_MECHANIC
 *   or %CM_ACCOUNT_TYPE_MECHANIC_SCHOOL
 *
 * Titles the page as the State's site does for that kind of login.
 */
void
cm_sign_in_page_set_account_type (CmSignInPage *self,
                                  const char   *account_type)
{
  g_return_if_fail (CM_IS_SIGN_IN_PAGE (self));

  if (g_strcmp0 (account_type, CM_ACCOUNT_TYPE_MECHANIC_SCHOOL) == 0)
    /* Translators: the title of the sign-in page for a school, the name of the State's link. */
    cm_page_set_title (CM_PAGE (self), _("Mechanic School Login"));
  else
    /* Translators: the title of the sign-in page, the name of the State's link. */
    cm_page_set_title (CM_PAGE (self), _("Mechanic Login"));
}

/**
 * cm_sign_in_page_get_locked_seconds:
 *
 * Returns: the seconds left in a lockout, 0 when sign-in is allowed
 */
gint64
cm_sign_in_page_get_locked_seconds (CmSignInPage *self)
{
  gint64 left;

  g_return_val_if_fail (CM_IS_SIGN_IN_PAGE (self), 0);

  left = self->locked_until - g_get_monotonic_time ();
  if (self->locked_until == 0 || left <= 0)
    return 0;

  return (left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}
