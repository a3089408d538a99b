/* cm-access-code-page.c: Add Account Access, AUTHORIZATION CODE (the
 * State's slide 14). The code is a secret: the request keeps it (wiped when
 * replaced or reset) and it is never logged. A link fills it in and never
 * moves on by itself. Next asks the back-end whether the code is good
 * (counted against Submit's lock, docs/server.md), so a wrong one is told
 * here.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-code-page"

#include "config.h"

#include "cm-access-code-page.h"
#include "cm-protocol.h"
#include "cm-validate.h"

struct _CmAccessCodePage
{
  CmAccessStepPage  parent_instance;

  /* template widgets */
  AdwEntryRow      *code_row;

};

G_DEFINE_FINAL_TYPE (CmAccessCodePage, cm_access_code_page, CM_TYPE_ACCESS_STEP_PAGE)

/* A code of the wrong shape says why on its field, before Next. */
static void
show_checks (CmPage *page)
{
  CmAccessCodePage *self = CM_ACCESS_CODE_PAGE (page);
  g_autoptr(GError) error = NULL;

  cm_validate_authorization_code (gtk_editable_get_text (GTK_EDITABLE (self->code_row)), NULL,
                                  &error);
  cm_page_show_check (CM_PAGE (self), GTK_WIDGET (self->code_row), error);
}

static void
on_changed_cb (CmAccessCodePage *self)
{
  /* The code's shape is cm-validate's rule; Next waits for it. */
  cm_page_set_complete (CM_PAGE (self),
                        cm_validate_authorization_code (
                          gtk_editable_get_text (GTK_EDITABLE (self->code_row)), NULL, NULL));
  cm_page_schedule_check (CM_PAGE (self), show_checks);
}

/* Shows the code the way the letter writes it: XXXX-XXXX-XXXX. */
static void
show_formatted (CmAccessCodePage *self,
                const char       *untrusted_code)
{
  char *normalized = NULL;
  char *formatted;

  if (!cm_validate_authorization_code (untrusted_code, &normalized, NULL))
    return;
  formatted = cm_format_authorization_code (normalized);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), formatted);
  cm_secret_free (formatted);
  cm_secret_free (normalized);
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmAccessCodePage *self = g_task_get_source_object (task);
  GError *error = NULL;

  /* The code stays in the field, with the back-end's message on it. */
  cm_access_request_finish (CM_ACCESS_REQUEST (object), result, &error);
  cm_access_step_page_return_task (CM_ACCESS_STEP_PAGE (self), task, error,
                                   GTK_WIDGET (self->code_row));
}

static void
cm_access_code_page_apply_async (CmPage              *page,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  CmAccessCodePage *self = CM_ACCESS_CODE_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->code_row));
  GError *error = NULL;

  if (!cm_validate_authorization_code (text, NULL, &error))
    {
      cm_access_step_page_return_task (CM_ACCESS_STEP_PAGE (self), task, error,
                                       GTK_WIDGET (self->code_row));
      return;
    }
  cm_access_request_set_code (cm_access_step_page_get_request (self), text);
  show_formatted (self, text);
  /* A wrong code is told here, on the code, not three steps later. */
  cm_access_request_check_code_async (cm_access_step_page_get_request (self), cancellable,
                                      checked_cb, g_steal_pointer (&task));
}

static void
cm_access_code_page_shown (CmPage *page)
{
  CmAccessCodePage *self = CM_ACCESS_CODE_PAGE (page);
  CmAccessRequest *request = cm_access_step_page_get_request (self);
  g_autofree char *message = cm_access_request_take_pending_error (request,
                                                                   CM_MEMBER_AUTHORIZATION_CODE);

  /* Submit found the code wrong and sent the user back here. */
  if (message != NULL)
    cm_page_set_field_error (page, GTK_WIDGET (self->code_row), message);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
}

static gboolean
cm_access_code_page_has_input (CmPage *page)
{
  return *gtk_editable_get_text (GTK_EDITABLE (CM_ACCESS_CODE_PAGE (page)->code_row)) != '\0';
}

static void
cm_access_code_page_reset (CmPage *page)
{
  CmAccessCodePage *self = CM_ACCESS_CODE_PAGE (page);

  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  cm_access_request_clear_code (cm_access_step_page_get_request (self));
}

static void
cm_access_code_page_class_init (CmAccessCodePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  page_class->shown = cm_access_code_page_shown;
  page_class->apply_async = cm_access_code_page_apply_async;
  page_class->has_input = cm_access_code_page_has_input;
  page_class->reset = cm_access_code_page_reset;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/pages/cm-access-code-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmAccessCodePage, code_row);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
}

static void
cm_access_code_page_init (CmAccessCodePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cm_access_step_page_ltr_field (self->code_row);
}

/**
 * cm_access_code_page_fill:
 * @untrusted_code: a code from a link, the clipboard or anywhere else
 *
 * Fills the code in when it is valid. Never moves on or submits.
 *
 * Returns: %TRUE when the code was valid and filled in
 */
gboolean
cm_access_code_page_fill (CmAccessCodePage *self,
                          const char       *untrusted_code)
{
  g_return_val_if_fail (CM_IS_ACCESS_CODE_PAGE (self), FALSE);

  if (untrusted_code == NULL || !cm_validate_authorization_code (untrusted_code, NULL, NULL))
    return FALSE;
  show_formatted (self, untrusted_code);
  return TRUE;
}
