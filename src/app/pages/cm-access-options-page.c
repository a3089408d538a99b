/* cm-access-options-page.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * flow.md section 4, for now only its header: "Welcome, <user id>" and Log
 * Off. The next issue adds Request Code and Add Account Access.
 */

#define G_LOG_DOMAIN "cm-access-options-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-options-page.h"

struct _CmAccessOptionsPage
{
  CmPage         parent_instance;

  /* template widgets */
  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (CmAccessOptionsPage, cm_access_options_page, CM_TYPE_PAGE)

static void
cm_access_options_page_shown (CmPage *page)
{
  CmAccessOptionsPage *self = CM_ACCESS_OPTIONS_PAGE (page);
  CmSession *session = cm_page_get_session (page);
  const char *user_id = session ? cm_session_get_user_id (session) : NULL;
  g_autofree char *title = NULL;

  /* Translators: the header of the account access options; %s is a User ID. */
  title = g_strdup_printf (_("Welcome, %s"), user_id ? user_id : "");
  adw_status_page_set_title (self->status_page, title);
}

static void
cm_access_options_page_class_init (CmAccessOptionsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  page_class->shown = cm_access_options_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/pages/cm-access-options-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmAccessOptionsPage, status_page);
}

static void
cm_access_options_page_init (CmAccessOptionsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  cm_page_set_title (CM_PAGE (self), _("Account Access Options"));
}

CmPage *
cm_access_options_page_new (CmSession *session)
{
  return g_object_new (CM_TYPE_ACCESS_OPTIONS_PAGE,
                       "session", session,
                       NULL);
}
