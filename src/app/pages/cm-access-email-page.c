/* cm-access-email-page.c: Add Account Access, EMAIL (the State's slide
 * 16): the email address for this access, which the mechanic confirms or
 * changes; checked with the sign-up rule (cm_validate_email()), shown in
 * full on the summary, and told of the access by the back-end. The masked
 * address on record for the account is shown beside it, for reference.
 * The field starts with the signed-in user's own address (GET milogin/profile),
 * fetched when the step is first shown empty; what the mechanic typed is never
 * replaced, and without the profile the field simply stays empty.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-email-page"

#include "config.h"

#include "cm-access-email-page-private.h"
#include "cm-validate.h"

struct _CmAccessEmailPage
{
  CmAccessStepPage  parent_instance;

  /* template widgets */
  GtkLabel         *email_label;
  AdwEntryRow      *email_row;

  /* owned */
  GCancellable     *profile_cancellable;  /* while the profile is fetched */
  char             *prefilled;            /* the profile's address, not typed; never logged */
  gboolean          profile_asked;        /* once per flow */
};

G_DEFINE_FINAL_TYPE (CmAccessEmailPage, cm_access_email_page, CM_TYPE_ACCESS_STEP_PAGE)

static const char *
typed_email (CmAccessEmailPage *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->email_row));
}

static void
on_changed_cb (CmAccessEmailPage *self)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (typed_email (self)));

  /* The rule's message comes at Next; an empty field cannot go on. */
  cm_page_set_complete (CM_PAGE (self), *trimmed != '\0');
}

static void
cm_access_email_page_apply_async (CmPage              *page,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  CmAccessEmailPage *self = CM_ACCESS_EMAIL_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *email = NULL;
  GError *error = NULL;

  /* The field keeps what was typed, with the rule's message on it. */
  if (!cm_validate_email (typed_email (self), &email, &error))
    {
      cm_access_step_page_return_task (CM_ACCESS_STEP_PAGE (self), task, error,
                                       GTK_WIDGET (self->email_row));
      return;
    }
  cm_access_request_set_access_email (cm_access_step_page_get_request (self), email);
  g_task_return_boolean (task, TRUE);
}

static void
cancel_profile (CmAccessEmailPage *self)
{
  if (self->profile_cancellable != NULL)
    g_cancellable_cancel (self->profile_cancellable);
  g_clear_object (&self->profile_cancellable);
}

static void
profile_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CmAccessEmailPage) self = user_data;
  g_autoptr(CmAccountProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = cm_api_client_get_profile_finish (CM_API_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->profile_cancellable);
  if (profile == NULL)
    {
      /* Quiet: the mechanic types the address as before. */
      g_debug ("No profile to fill EMAIL with: %s", error->message);
      return;
    }
  /* Whatever was typed meanwhile stays. */
  if (profile->email == NULL || *typed_email (self) != '\0')
    return;
  g_free (self->prefilled);
  self->prefilled = g_strdup (profile->email);
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), self->prefilled);
  /* Selected, as a field with text is when it takes the focus: typing replaces it. */
  gtk_editable_select_region (GTK_EDITABLE (self->email_row), 0, -1);
}

static void
fetch_profile (CmAccessEmailPage *self)
{
  CmSession *session = cm_access_request_get_session (cm_access_step_page_get_request (self));

  if (self->profile_asked || *typed_email (self) != '\0' || session == NULL ||
      cm_session_get_state (session) != CM_SESSION_STATE_SIGNED_IN)
    return;
  self->profile_asked = TRUE;
  self->profile_cancellable = g_cancellable_new ();
  cm_api_client_get_profile_async (cm_session_get_api_client (session),
                                   self->profile_cancellable, profile_cb, g_object_ref (self));
}

static void
cm_access_email_page_shown (CmPage *page)
{
  CmAccessEmailPage *self = CM_ACCESS_EMAIL_PAGE (page);
  g_autofree char *text = cm_access_request_dup_email_sentence (
                            cm_access_step_page_get_request (page));

  gtk_label_set_text (self->email_label, text);
  gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
  fetch_profile (self);
}

/* The address filled in from the profile is not something Cancel throws away. */
static gboolean
cm_access_email_page_has_input (CmPage *page)
{
  CmAccessEmailPage *self = CM_ACCESS_EMAIL_PAGE (page);

  return *typed_email (self) != '\0' && g_strcmp0 (typed_email (self), self->prefilled) != 0;
}

static void
cm_access_email_page_reset (CmPage *page)
{
  CmAccessEmailPage *self = CM_ACCESS_EMAIL_PAGE (page);

  cancel_profile (self);
  self->profile_asked = FALSE;
  g_clear_pointer (&self->prefilled, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), "");
  cm_access_request_set_access_email (cm_access_step_page_get_request (self), NULL);
}

gboolean
cm_access_email_page_get_fetching (CmAccessEmailPage *self)
{
  g_return_val_if_fail (CM_IS_ACCESS_EMAIL_PAGE (self), FALSE);

  return self->profile_cancellable != NULL;
}

static void
cm_access_email_page_dispose (GObject *object)
{
  cancel_profile (CM_ACCESS_EMAIL_PAGE (object));

  G_OBJECT_CLASS (cm_access_email_page_parent_class)->dispose (object);
}

static void
cm_access_email_page_finalize (GObject *object)
{
  g_free (CM_ACCESS_EMAIL_PAGE (object)->prefilled);

  G_OBJECT_CLASS (cm_access_email_page_parent_class)->finalize (object);
}

static void
cm_access_email_page_class_init (CmAccessEmailPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  object_class->dispose = cm_access_email_page_dispose;
  object_class->finalize = cm_access_email_page_finalize;

  page_class->shown = cm_access_email_page_shown;
  page_class->apply_async = cm_access_email_page_apply_async;
  page_class->has_input = cm_access_email_page_has_input;
  page_class->reset = cm_access_email_page_reset;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/pages/cm-access-email-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmAccessEmailPage, email_label);
  gtk_widget_class_bind_template_child (widget_class, CmAccessEmailPage, email_row);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
}

static void
cm_access_email_page_init (CmAccessEmailPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cm_access_step_page_ltr_field (self->email_row);
}
