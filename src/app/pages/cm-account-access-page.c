/* cm-account-access-page.c: Account Access Options (the State's slides 7-8,
 * docs/account-access.md), the hub: the "where you stand" notice and the
 * two large choices, which go to the first step of Request Code or Add Account Access (wizard.go-to).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-account-access-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-account-access-page-private.h"

struct _CmAccountAccessPage
{
  CmPage           parent_instance;

  /* template widgets */
  GtkLabel        *progress_label;

  /* owned */
  CmAccessRequest *request;
  CmJourney       *journey;      /* nullable */
};

G_DEFINE_FINAL_TYPE (CmAccountAccessPage, cm_account_access_page, CM_TYPE_PAGE)

enum {
  SIGNAL_ACCOUNT_LINKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_progress (CmAccountAccessPage *self)
{
  g_autofree char *summary = NULL;

  if (self->journey != NULL)
    summary = cm_journey_dup_summary (self->journey);
  gtk_label_set_text (self->progress_label, summary != NULL ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label), summary != NULL);
}

static void
on_account_linked_cb (CmAccountAccessPage *self,
                      CmAccount           *account)
{
  update_progress (self);
  g_signal_emit (self, signals[SIGNAL_ACCOUNT_LINKED], 0, account);
}

static void
cm_account_access_page_shown (CmPage *page)
{
  update_progress (CM_ACCOUNT_ACCESS_PAGE (page));
}

static void
cm_account_access_page_dispose (GObject *object)
{
  CmAccountAccessPage *self = CM_ACCOUNT_ACCESS_PAGE (object);

  g_clear_object (&self->journey);
  g_clear_object (&self->request);

  G_OBJECT_CLASS (cm_account_access_page_parent_class)->dispose (object);
}

static void
cm_account_access_page_class_init (CmAccountAccessPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_account_access_page_dispose;
  CM_PAGE_CLASS (klass)->shown = cm_account_access_page_shown;

  /**
   * CmAccountAccessPage::account-linked:
   * @account: the account just linked; the springboard comes next
   */
  signals[SIGNAL_ACCOUNT_LINKED] = g_signal_new ("account-linked", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, CM_TYPE_ACCOUNT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/pages/cm-account-access-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmAccountAccessPage, progress_label);
}

static void
cm_account_access_page_init (CmAccountAccessPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cm_account_access_page_new:
 * @request: what the access flows share; its session is the signed-in one
 *
 * Returns: (transfer floating): Account Access Options
 */
CmAccountAccessPage *
cm_account_access_page_new (CmAccessRequest *request)
{
  CmAccountAccessPage *self;

  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (request), NULL);

  self = g_object_new (CM_TYPE_ACCOUNT_ACCESS_PAGE, "session",
                       cm_access_request_get_session (request), NULL);
  self->request = g_object_ref (request);
  /* After the request's own handlers, which update the journey. */
  g_signal_connect_object (request, "submitted", G_CALLBACK (update_progress), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (request, "account-linked", G_CALLBACK (on_account_linked_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  return self;
}

/**
 * cm_account_access_page_set_journey:
 * @journey: (nullable): where requests and links are remembered
 */
void
cm_account_access_page_set_journey (CmAccountAccessPage *self,
                                    CmJourney           *journey)
{
  g_return_if_fail (CM_IS_ACCOUNT_ACCESS_PAGE (self));

  g_set_object (&self->journey, journey);
  cm_access_request_set_journey (self->request, journey);
  update_progress (self);
}

/**
 * cm_account_access_page_get_progress:
 *
 * Returns: (nullable): the "where you stand" sentence shown, if any
 */
const char *
cm_account_access_page_get_progress (CmAccountAccessPage *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT_ACCESS_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->progress_label)))
    return NULL;
  return gtk_label_get_text (self->progress_label);
}
