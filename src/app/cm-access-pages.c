/* cm-access-pages.c: the steps of Request Code and Add Account Access (the
 * State's slides 8-17) in one table, and what adds them to a CmWizard: the
 * main window's (after sign-in, entered from Account Access Options) and
 * CmAccessWindow's (from the springboard, or a link). docs/account-access.md.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-pages"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-code-page.h"
#include "cm-access-details-page.h"
#include "cm-access-email-page.h"
#include "cm-access-info-page.h"
#include "cm-access-pages.h"
#include "cm-access-summary-page.h"
#include "cm-access-type-page.h"
#include "cm-email-option-page.h"
#include "cm-request-confirmation-page.h"

typedef struct
{
  const char *name;        /* the wizard's page name */
  GType     (*get_type) (void);
  const char *flow;
  const char *step;        /* the slide's step name, translated when shown */
  const char *next_page;   /* NULL: the next one of the table */
} AccessPage;

/* Each flow ends on Account Access Options, when the wizard has it. */
static const AccessPage access_pages[] = {
  { "request-code-type", cm_access_type_page_get_type, CM_ACCESS_FLOW_REQUEST_CODE,
    N_("SELECT"), NULL },
  { "request-code-info", cm_access_info_page_get_type, CM_ACCESS_FLOW_REQUEST_CODE,
    N_("ACCOUNT INFO"), NULL },
  { "request-code-details", cm_access_details_page_get_type, CM_ACCESS_FLOW_REQUEST_CODE,
    N_("ACCOUNT DETAILS"), NULL },
  { "request-code-email", cm_email_option_page_get_type, CM_ACCESS_FLOW_REQUEST_CODE,
    N_("EMAIL OPTION"), NULL },
  { "request-code-summary", cm_access_summary_page_get_type, CM_ACCESS_FLOW_REQUEST_CODE,
    N_("SUMMARY"), NULL },
  { "request-code-confirmation", cm_request_confirmation_page_get_type,
    CM_ACCESS_FLOW_REQUEST_CODE, N_("CONFIRMATION"), "access-options" },
  { "add-access-code", cm_access_code_page_get_type, CM_ACCESS_FLOW_ADD_ACCESS,
    N_("AUTHORIZATION CODE"), NULL },
  { "add-access-info", cm_access_info_page_get_type, CM_ACCESS_FLOW_ADD_ACCESS,
    N_("ACCOUNT INFO"), NULL },
  { "add-access-email", cm_access_email_page_get_type, CM_ACCESS_FLOW_ADD_ACCESS,
    N_("EMAIL"), NULL },
  { "add-access-summary", cm_access_summary_page_get_type, CM_ACCESS_FLOW_ADD_ACCESS,
    N_("SUMMARY"), "access-options" },
};

static CmPage *
build_page_cb (CmWizard   *wizard,
               const char *name,
               gpointer    user_data)
{
  CmAccessRequest *request = g_object_get_data (G_OBJECT (wizard), "cm-access-request");

  for (guint i = 0; i < G_N_ELEMENTS (access_pages); i++)
    if (g_str_equal (access_pages[i].name, name))
      return CM_PAGE (cm_access_step_page_new (access_pages[i].get_type (), request,
                                               access_pages[i].flow,
                                               g_dgettext (GETTEXT_PACKAGE,
                                                           access_pages[i].step),
                                               access_pages[i].next_page));

  return NULL;
}

/**
 * cm_access_pages_add:
 * @request: what the steps share; the wizard keeps it
 * @flow: (nullable): only this flow's steps, or %NULL for both
 *
 * Adds the steps to @wizard, each built when first needed.
 */
void
cm_access_pages_add (CmWizard        *wizard,
                     CmAccessRequest *request,
                     const char      *flow)
{
  g_return_if_fail (CM_IS_WIZARD (wizard));
  g_return_if_fail (CM_IS_ACCESS_REQUEST (request));

  g_object_set_data_full (G_OBJECT (wizard), "cm-access-request", g_object_ref (request),
                          g_object_unref);
  /* The step indicator lists a flow's steps before they are built. */
  for (guint i = 0; i < G_N_ELEMENTS (access_pages); i++)
    if (flow == NULL || g_str_equal (flow, access_pages[i].flow))
      cm_wizard_add_flow_page_lazy (wizard, access_pages[i].name, access_pages[i].flow,
                                    g_dgettext (GETTEXT_PACKAGE, access_pages[i].step),
                                    build_page_cb, NULL);
}

/**
 * cm_access_pages_first_step:
 *
 * Returns: the name of @flow's first step
 */
const char *
cm_access_pages_first_step (const char *flow)
{
  for (guint i = 0; i < G_N_ELEMENTS (access_pages); i++)
    if (g_strcmp0 (flow, access_pages[i].flow) == 0)
      return access_pages[i].name;

  g_return_val_if_reached (NULL);
}

/**
 * cm_access_pages_open_link:
 * @uri: an `io.github.carsmechanic:` link, untrusted
 *
 * Shows AUTHORIZATION CODE with the link's code filled in. Nothing moves on
 * and nothing is sent: the user reads it and selects Next.
 *
 * Returns: %TRUE when the link held a valid code
 */
gboolean
cm_access_pages_open_link (CmWizard   *wizard,
                           const char *uri)
{
  const char *name = cm_access_pages_first_step (CM_ACCESS_FLOW_ADD_ACCESS);
  char *code = cm_add_access_parse_link (uri);
  CmPage *page;
  gboolean ok;

  if (code == NULL)
    return FALSE;

  page = cm_wizard_get_page (wizard, name);
  ok = page != NULL && cm_access_code_page_fill (CM_ACCESS_CODE_PAGE (page), code);
  cm_secret_free (code);
  if (ok && page != cm_wizard_get_current_page (wizard))
    cm_wizard_go_to (wizard, name);

  return ok;
}
