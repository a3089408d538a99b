/* cm-state-header.c: the State's header on every signed-in page, as the
 * slides show it: Home, MI.gov, FAQs, Contact Us, "Welcome, <first name>",
 * Settings and Log Off (docs/ui.md, "The State's header"). The links open
 * in the browser; Settings is app.account-settings (the MILogin account,
 * not the app's Preferences) and Log Off is the window's win.log-off, so
 * one header serves the main window and the springboard. A narrow window
 * gets the welcome and one menu instead of a row that would not fit.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-state-header"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-page.h"
#include "cm-state-header-private.h"

struct _CmStateHeader
{
  AdwBin     parent_instance;

  /* template widgets */
  GtkLabel  *wide_welcome_label;
  GtkLabel  *narrow_welcome_label;

  /* owned, nullable */
  CmSession *session;
};

G_DEFINE_FINAL_TYPE (CmStateHeader, cm_state_header, ADW_TYPE_BIN)

/* The first name, as a person greets; the User ID when the back-end gave
 * no first name (it is optional at sign-up). */
static void
update_welcome (CmStateHeader *self)
{
  const char *name = NULL;
  g_autofree char *text = NULL;

  if (self->session != NULL)
    {
      name = cm_session_get_first_name (self->session);
      if (name == NULL || *name == '\0')
        name = cm_session_get_user_id (self->session);
    }
  /* Translators: %s is the signed-in person's first name ("Welcome, John"). */
  text = g_strdup_printf (_("Welcome, %s"), name != NULL ? name : "");
  gtk_label_set_text (self->wide_welcome_label, text);
  gtk_label_set_text (self->narrow_welcome_label, text);
}

static void
open_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                g_variant_get_string (parameter, NULL), GDK_CURRENT_TIME);
}

static void
cm_state_header_dispose (GObject *object)
{
  CmStateHeader *self = CM_STATE_HEADER (object);

  cm_state_header_set_session (self, NULL);

  G_OBJECT_CLASS (cm_state_header_parent_class)->dispose (object);
}

static void
cm_state_header_class_init (CmStateHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_state_header_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/cm-state-header.ui");
  gtk_widget_class_bind_template_child (widget_class, CmStateHeader, wide_welcome_label);
  gtk_widget_class_bind_template_child (widget_class, CmStateHeader, narrow_welcome_label);
  gtk_widget_class_install_action (widget_class, "state-header.open-link", "s",
                                   open_link_action);
  gtk_widget_class_set_css_name (widget_class, "cm-state-header");
}

static void
cm_state_header_init (CmStateHeader *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cm_widget_fix_mnemonic_names (GTK_WIDGET (self));
  update_welcome (self);
}

/**
 * cm_state_header_new:
 *
 * Returns: (transfer floating): a header greeting nobody until it has a session
 */
CmStateHeader *
cm_state_header_new (void)
{
  return g_object_new (CM_TYPE_STATE_HEADER, NULL);
}

/**
 * cm_state_header_set_session:
 * @session: (nullable): whose name the header greets
 */
void
cm_state_header_set_session (CmStateHeader *self,
                             CmSession     *session)
{
  g_return_if_fail (CM_IS_STATE_HEADER (self));
  g_return_if_fail (session == NULL || CM_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::first-name", G_CALLBACK (update_welcome), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::user-id", G_CALLBACK (update_welcome), self,
                               G_CONNECT_SWAPPED);
    }
  update_welcome (self);
}

/**
 * cm_state_header_get_welcome:
 *
 * Returns: the greeting shown, "Welcome, <first name>"
 */
const char *
cm_state_header_get_welcome (CmStateHeader *self)
{
  g_return_val_if_fail (CM_IS_STATE_HEADER (self), NULL);

  return gtk_label_get_text (self->wide_welcome_label);
}
