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
};

G_DEFINE_FINAL_TYPE (CmWelcomePage, cm_welcome_page, CM_TYPE_PAGE)

static void
cm_welcome_page_class_init (CmWelcomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

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
