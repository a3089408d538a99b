/* cm-access-details-page.c: Request Code, ACCOUNT DETAILS (the State's
 * slide 10): the business the number and ZIP matched, its name, type and
 * city as the lookup gave them, before anything is requested, so the
 * mechanic sees which facility the code will be for.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-details-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-details-page.h"
#include "cm-bidi.h"

struct _CmAccessDetailsPage
{
  CmAccessStepPage  parent_instance;

  /* template widgets */
  GtkListBox       *details_group;

  GPtrArray        *rows;     /* borrowed rows in details_group */
};

G_DEFINE_FINAL_TYPE (CmAccessDetailsPage, cm_access_details_page, CM_TYPE_ACCESS_STEP_PAGE)

static void
add_row (CmAccessDetailsPage *self,
         const char          *label,
         const char          *value)
{
  GtkWidget *row = cm_access_step_page_value_row_new (label, value != NULL ? value : "");

  gtk_list_box_append (self->details_group, row);
  g_ptr_array_add (self->rows, row);
}

static void
cm_access_details_page_shown (CmPage *page)
{
  CmAccessDetailsPage *self = CM_ACCESS_DETAILS_PAGE (page);
  CmAccessRequest *request = cm_access_step_page_get_request (self);
  const CmLookupResult *lookup = cm_access_request_get_lookup (request);
  g_autofree char *number = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->details_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  cm_page_set_complete (page, lookup != NULL);
  if (lookup == NULL)
    return;

  number = cm_bidi_isolate_ltr (lookup->account_number);
  add_row (self, _("Name"), lookup->name);
  add_row (self, _("Account Type"), cm_access_request_get_type_label (request));
  add_row (self, cm_access_request_get_number_label (request), number);
  add_row (self, _("City"), lookup->city);
}

static void
cm_access_details_page_finalize (GObject *object)
{
  g_clear_pointer (&CM_ACCESS_DETAILS_PAGE (object)->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cm_access_details_page_parent_class)->finalize (object);
}

static void
cm_access_details_page_class_init (CmAccessDetailsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cm_access_details_page_finalize;
  CM_PAGE_CLASS (klass)->shown = cm_access_details_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/pages/cm-access-details-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmAccessDetailsPage, details_group);
}

static void
cm_access_details_page_init (CmAccessDetailsPage *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The rows take focus (to be read) but do nothing: Enter there goes on. */
  cm_access_step_page_enter_presses_next (GTK_WIDGET (self->details_group));
}
