/* cm-access-window.c: Request Code or Add Account Access for another
 * account, from the springboard (or a link while it is open): the same step
 * pages in a CmWizard of their own, in a small modal window that closes when
 * the flow finishes or is cancelled.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-window"

#include "config.h"

#include "cm-access-pages.h"
#include "cm-access-request.h"
#include "cm-access-window-private.h"

struct _CmAccessWindow
{
  AdwWindow        parent_instance;

  /* template widgets */
  CmWizard        *wizard;

  /* owned */
  CmAccessRequest *request;
};

G_DEFINE_FINAL_TYPE (CmAccessWindow, cm_access_window, ADW_TYPE_WINDOW)

enum {
  SIGNAL_ACCOUNT_LINKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
close_idle_cb (gpointer user_data)
{
  gtk_window_destroy (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

/* The flow finished or was cancelled. Not from inside the wizard's own
 * callback chain: once it has returned. */
static void
on_done_cb (CmAccessWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
}


static void
on_account_linked_cb (CmAccessWindow *self,
                      CmAccount      *account)
{
  g_signal_emit (self, signals[SIGNAL_ACCOUNT_LINKED], 0, account);
}

static void
cm_access_window_dispose (GObject *object)
{
  CmAccessWindow *self = CM_ACCESS_WINDOW (object);

  if (self->request != NULL)
    g_signal_handlers_disconnect_by_data (self->request, self);
  g_clear_object (&self->request);

  G_OBJECT_CLASS (cm_access_window_parent_class)->dispose (object);
}

static void
cm_access_window_class_init (CmAccessWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_access_window_dispose;

  /**
   * CmAccessWindow::account-linked:
   * @account: the account Add Account Access linked
   */
  signals[SIGNAL_ACCOUNT_LINKED] = g_signal_new ("account-linked", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, CM_TYPE_ACCOUNT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/cm-access-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CmAccessWindow, wizard);
  gtk_widget_class_bind_template_callback (widget_class, on_done_cb);
}

static void
cm_access_window_init (CmAccessWindow *self)
{
  g_type_ensure (CM_TYPE_WIZARD);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cm_access_window_new:
 * @parent: the springboard
 * @flow: CM_ACCESS_FLOW_REQUEST_CODE or CM_ACCESS_FLOW_ADD_ACCESS
 *
 * Returns: (transfer none): a new window on @flow's first step, owned by
 *   GTK's toplevel list; present it
 */
CmAccessWindow *
cm_access_window_new (GtkWindow  *parent,
                      CmSession  *session,
                      const char *flow)
{
  CmAccessWindow *self;

  g_return_val_if_fail (CM_IS_SESSION (session), NULL);

  self = g_object_new (CM_TYPE_ACCESS_WINDOW, "transient-for", parent, NULL);
  gtk_widget_set_name (GTK_WIDGET (self), flow);
  self->request = cm_access_request_new (session);
  g_signal_connect_object (self->request, "finished", G_CALLBACK (on_done_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->request, "account-linked", G_CALLBACK (on_account_linked_cb),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  /* Only this flow: its first step is the wizard's first page. */
  cm_access_pages_add (self->wizard, self->request, flow);
  gtk_window_set_title (GTK_WINDOW (self),
                        cm_page_get_title (cm_wizard_get_current_page (self->wizard)));

  return self;
}

/**
 * cm_access_window_set_account_type:
 * @account_type: (nullable): the login kind: the type the flow starts with
 */
void
cm_access_window_set_account_type (CmAccessWindow *self,
                                   const char     *account_type)
{
  g_return_if_fail (CM_IS_ACCESS_WINDOW (self));

  cm_access_request_set_preferred_type (self->request, account_type);
}

/**
 * cm_access_window_open_link:
 * @uri: an `io.github.carsmechanic:` link, untrusted
 *
 * Fills the link's code in on AUTHORIZATION CODE; never submits.
 *
 * Returns: %TRUE when the link held a valid code
 */
gboolean
cm_access_window_open_link (CmAccessWindow *self,
                            const char     *uri)
{
  g_return_val_if_fail (CM_IS_ACCESS_WINDOW (self), FALSE);

  return cm_access_pages_open_link (self->wizard, uri);
}

/**
 * cm_access_window_get_wizard:
 *
 * Returns: (transfer none): the wizard holding the flow's steps
 */
CmWizard *
cm_access_window_get_wizard (CmAccessWindow *self)
{
  g_return_val_if_fail (CM_IS_ACCESS_WINDOW (self), NULL);

  return self->wizard;
}
