/* cm-welcome-page.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journey's start (docs/ui.md, "The journey"): the kind of login, the
 * State's links, and whether the app talks to the State or practises.
 */

#define G_LOG_DOMAIN "cm-welcome-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-protocol.h"
#include "cm-welcome-page.h"

struct _CmWelcomePage
{
  CmPage          parent_instance;

  /* template widgets */
  GtkCheckButton *mechanic_check;
  GtkCheckButton *school_check;
  GtkWidget      *practice_box;
  GtkWidget      *no_server_box;

  CmBackendMode   mode;
  gboolean        backend_ready;
  /* owned, nullable: Next, waiting for the back-end to start */
  GTask          *waiting_apply;
};

G_DEFINE_FINAL_TYPE (CmWelcomePage, cm_welcome_page, CM_TYPE_PAGE)

/* Answers a Next that waited for the back-end: @error NULL to go on. */
static void
answer_waiting_apply (CmWelcomePage *self,
                      GError        *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->waiting_apply);

  if (task == NULL)
    g_clear_error (&error);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Nothing to apply; only the practice back-end may still be starting. */
static void
cm_welcome_page_apply_async (CmPage              *page,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  CmWelcomePage *self = CM_WELCOME_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  if (self->backend_ready)
    g_task_return_boolean (task, TRUE);
  else
    g_set_object (&self->waiting_apply, task);
}

static gboolean
cm_welcome_page_apply_finish (CmPage        *page,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cm_welcome_page_dispose (GObject *object)
{
  CmWelcomePage *self = CM_WELCOME_PAGE (object);

  answer_waiting_apply (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   "The page went away"));

  G_OBJECT_CLASS (cm_welcome_page_parent_class)->dispose (object);
}

static void
cm_welcome_page_class_init (CmWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  object_class->dispose = cm_welcome_page_dispose;
  page_class->apply_async = cm_welcome_page_apply_async;
  page_class->apply_finish = cm_welcome_page_apply_finish;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/pages/cm-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmWelcomePage, mechanic_check);
  gtk_widget_class_bind_template_child (widget_class, CmWelcomePage, school_check);
  gtk_widget_class_bind_template_child (widget_class, CmWelcomePage, practice_box);
  gtk_widget_class_bind_template_child (widget_class, CmWelcomePage, no_server_box);
}

static void
cm_welcome_page_init (CmWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->backend_ready = TRUE;

  cm_page_set_title (CM_PAGE (self), _("Welcome"));
  cm_welcome_page_set_backend_mode (self, CM_BACKEND_MODE_REMOTE);
}

CmPage *
cm_welcome_page_new (void)
{
  return g_object_new (CM_TYPE_WELCOME_PAGE, NULL);
}

/**
 * cm_welcome_page_set_backend_mode:
 *
 * Shows the practice notice, or says a back-end URL is needed (Next then
 * stays insensitive: there is nothing to sign in to).
 */
void
cm_welcome_page_set_backend_mode (CmWelcomePage *self,
                                  CmBackendMode  mode)
{
  g_return_if_fail (CM_IS_WELCOME_PAGE (self));

  self->mode = mode;
  gtk_widget_set_visible (self->practice_box, mode == CM_BACKEND_MODE_PRACTICE);
  gtk_widget_set_visible (self->no_server_box, mode == CM_BACKEND_MODE_NONE);
  cm_page_set_complete (CM_PAGE (self), mode != CM_BACKEND_MODE_NONE);
  /* No back-end after all (practice mode could not start): the page says so. */
  if (mode == CM_BACKEND_MODE_NONE)
    answer_waiting_apply (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                                                     _("No back-end to sign in with")));
}

/**
 * cm_welcome_page_set_backend_ready:
 * @ready: %FALSE while the back-end is starting (practice mode starts it
 *   after the first frame)
 *
 * Next waits (busy) until the back-end is ready, then goes on.
 */
void
cm_welcome_page_set_backend_ready (CmWelcomePage *self,
                                   gboolean       ready)
{
  g_return_if_fail (CM_IS_WELCOME_PAGE (self));

  self->backend_ready = ready;
  if (ready)
    answer_waiting_apply (self, NULL);
}

/**
 * cm_welcome_page_get_account_type:
 *
 * Returns: %CM_ACCOUNT_TYPE_MECHANIC or %CM_ACCOUNT_TYPE_MECHANIC_SCHOOL
 */
const char *
cm_welcome_page_get_account_type (CmWelcomePage *self)
{
  g_return_val_if_fail (CM_IS_WELCOME_PAGE (self), NULL);

  if (gtk_check_button_get_active (self->school_check))
    return CM_ACCOUNT_TYPE_MECHANIC_SCHOOL;

  return CM_ACCOUNT_TYPE_MECHANIC;
}

/**
 * cm_welcome_page_set_account_type:
 * @account_type: the kind of login to offer selected (the one chosen last time)
 */
void
cm_welcome_page_set_account_type (CmWelcomePage *self,
                                  const char    *account_type)
{
  g_return_if_fail (CM_IS_WELCOME_PAGE (self));

  if (g_strcmp0 (account_type, CM_ACCOUNT_TYPE_MECHANIC_SCHOOL) == 0)
    gtk_check_button_set_active (self->school_check, TRUE);
  else
    gtk_check_button_set_active (self->mechanic_check, TRUE);
}
