/* cm-window.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-application.h"
#include "cm-window.h"

struct _CmWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  GtkMenuButton        *primary_menu_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *placeholder_page;

  /* owned */
  GCancellable         *cancellable;
  /* owned, nullable: NULL when the schema is not installed */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (CmWindow, cm_window, ADW_TYPE_APPLICATION_WINDOW)

static void
cm_window_restore_state (CmWindow *self)
{
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
cm_window_save_state (CmWindow *self)
{
  int width;
  int height;
  gboolean maximized;

  if (self->settings == NULL)
    return;

  maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  g_settings_set_boolean (self->settings, "window-maximized", maximized);

  /* The default size follows the user's resizing, but only while the window
   * is neither maximized nor fullscreen: keep the last normal size then. */
  if (maximized || gtk_window_is_fullscreen (GTK_WINDOW (self)))
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_delay (self->settings);
      g_settings_set_int (self->settings, "window-width", MAX (width, 360));
      g_settings_set_int (self->settings, "window-height", MAX (height, 294));
      g_settings_apply (self->settings);
    }
}

static gboolean
cm_window_close_request (GtkWindow *window)
{
  cm_window_save_state (CM_WINDOW (window));

  return GTK_WINDOW_CLASS (cm_window_parent_class)->close_request (window);
}

static void
cm_window_constructed (GObject *object)
{
  CmWindow *self = CM_WINDOW (object);
  GtkApplication *app;

  G_OBJECT_CLASS (cm_window_parent_class)->constructed (object);

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (CM_IS_APPLICATION (app) && cm_application_get_settings (CM_APPLICATION (app)) != NULL)
    self->settings = g_object_ref (cm_application_get_settings (CM_APPLICATION (app)));
  else
    self->settings = cm_application_lookup_settings ();

  cm_window_restore_state (self);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

static void
cm_window_dispose (GObject *object)
{
  CmWindow *self = CM_WINDOW (object);

  /* Anything still in flight for this window must not outlive it. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cm_window_parent_class)->dispose (object);
}

static void
cm_window_class_init (CmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cm_window_constructed;
  object_class->dispose = cm_window_dispose;
  window_class->close_request = cm_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/cm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CmWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, placeholder_page);
}

static void
cm_window_init (CmWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cm_window_new:
 * @application: (nullable): the application; tests pass %NULL
 *
 * Returns: (transfer none): a new main window, owned by GTK's toplevel list
 */
CmWindow *
cm_window_new (CmApplication *application)
{
  g_return_val_if_fail (application == NULL || CM_IS_APPLICATION (application), NULL);

  return g_object_new (CM_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * cm_window_get_cancellable:
 *
 * Cancelled when the window is disposed: pass it to every async call made on
 * the window's behalf.
 *
 * Returns: (transfer none): the window's cancellable
 */
GCancellable *
cm_window_get_cancellable (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), NULL);

  return self->cancellable;
}

/**
 * cm_window_get_main_stack:
 *
 * The stack later issues add the wizard and the springboard to.
 *
 * Returns: (transfer none): the main stack
 */
GtkStack *
cm_window_get_main_stack (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), NULL);

  return self->main_stack;
}

/**
 * cm_window_add_toast:
 * @toast: (transfer full): the toast to show
 */
void
cm_window_add_toast (CmWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (CM_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
