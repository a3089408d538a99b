/* cm-access-step-page.c: what every step of Request Code and Add Account
 * Access is: a CmPage of the one wizard with the window's CmAccessRequest,
 * titled after its flow, emptied when its flow finishes, with errors shown
 * on the field they concern.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-step-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-step-page.h"
#include "cm-error.h"

typedef struct
{
  CmAccessRequest *request;
} CmAccessStepPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CmAccessStepPage, cm_access_step_page, CM_TYPE_PAGE)

typedef enum {
  PROP_REQUEST = 1,
  N_PROPS
} CmAccessStepPageProperty;

static GParamSpec *obj_props[N_PROPS];

static void
on_finished_cb (CmAccessStepPage *self,
                const char       *flow)
{
  if (g_strcmp0 (flow, cm_page_get_flow (CM_PAGE (self))) == 0)
    cm_page_reset (CM_PAGE (self));
}

static void
cm_access_step_page_constructed (GObject *object)
{
  CmAccessStepPage *self = CM_ACCESS_STEP_PAGE (object);
  CmAccessStepPagePrivate *priv = cm_access_step_page_get_instance_private (self);

  G_OBJECT_CLASS (cm_access_step_page_parent_class)->constructed (object);

  /* The header names the flow; the step indicator names the step. */
  cm_page_set_title (CM_PAGE (self), cm_access_step_page_is_add_access (self)
                                     ? _("Add Account Access") : _("Request Account Access"));
  g_signal_connect_object (priv->request, "finished", G_CALLBACK (on_finished_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
cm_access_step_page_dispose (GObject *object)
{
  CmAccessStepPage *self = CM_ACCESS_STEP_PAGE (object);
  CmAccessStepPagePrivate *priv = cm_access_step_page_get_instance_private (self);

  g_clear_object (&priv->request);

  G_OBJECT_CLASS (cm_access_step_page_parent_class)->dispose (object);
}

static void
cm_access_step_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CmAccessStepPage *self = CM_ACCESS_STEP_PAGE (object);
  CmAccessStepPagePrivate *priv = cm_access_step_page_get_instance_private (self);

  switch ((CmAccessStepPageProperty) prop_id)
    {
    case PROP_REQUEST:
      g_value_set_object (value, priv->request);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_access_step_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CmAccessStepPage *self = CM_ACCESS_STEP_PAGE (object);
  CmAccessStepPagePrivate *priv = cm_access_step_page_get_instance_private (self);

  switch ((CmAccessStepPageProperty) prop_id)
    {
    case PROP_REQUEST:
      priv->request = g_value_dup_object (value);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_access_step_page_class_init (CmAccessStepPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cm_access_step_page_constructed;
  object_class->dispose = cm_access_step_page_dispose;
  object_class->get_property = cm_access_step_page_get_property;
  object_class->set_property = cm_access_step_page_set_property;

  obj_props[PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL, CM_TYPE_ACCESS_REQUEST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, obj_props);
}

static void
cm_access_step_page_init (CmAccessStepPage *self)
{
}

/**
 * cm_access_step_page_new:
 * @type: a #CmAccessStepPage type
 * @flow: CM_ACCESS_FLOW_REQUEST_CODE or CM_ACCESS_FLOW_ADD_ACCESS
 * @step: the slide's name for the step, translated
 * @next_page: (nullable): where Next goes, when not the next page added
 *
 * Returns: (transfer floating): a new step page
 */
CmAccessStepPage *
cm_access_step_page_new (GType            type,
                         CmAccessRequest *request,
                         const char      *flow,
                         const char      *step,
                         const char      *next_page)
{
  g_return_val_if_fail (g_type_is_a (type, CM_TYPE_ACCESS_STEP_PAGE), NULL);
  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (request), NULL);

  return g_object_new (type,
                       "request", request,
                       "session", cm_access_request_get_session (request),
                       "flow", flow,
                       "step", step,
                       "next-page", next_page,
                       NULL);
}

/**
 * cm_access_step_page_get_request:
 *
 * Returns: (transfer none): what the steps share
 */
CmAccessRequest *
cm_access_step_page_get_request (CmAccessStepPage *self)
{
  CmAccessStepPagePrivate *priv = cm_access_step_page_get_instance_private (self);

  g_return_val_if_fail (CM_IS_ACCESS_STEP_PAGE (self), NULL);

  return priv->request;
}

gboolean
cm_access_step_page_is_add_access (CmAccessStepPage *self)
{
  g_return_val_if_fail (CM_IS_ACCESS_STEP_PAGE (self), FALSE);

  return g_strcmp0 (cm_page_get_flow (CM_PAGE (self)), CM_ACCESS_FLOW_ADD_ACCESS) == 0;
}

static gboolean
is_transient (const GError *error)
{
  return error->domain == CM_ERROR &&
         (error->code == CM_ERROR_NETWORK || error->code == CM_ERROR_TIMEOUT ||
          error->code == CM_ERROR_UNAVAILABLE || error->code == CM_ERROR_INTERNAL ||
          error->code == CM_ERROR_RATE_LIMITED);
}

/**
 * cm_access_step_page_show_error:
 * @field: (nullable): the row the error is about
 *
 * On @field when there is one (a mismatch, a wrong code), else a toast, with
 * Retry when trying again may help. Cancellation shows nothing.
 */
void
cm_access_step_page_show_error (CmAccessStepPage *self,
                                const GError     *error,
                                GtkWidget        *field)
{
  g_return_if_fail (CM_IS_ACCESS_STEP_PAGE (self));

  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (field != NULL && !is_transient (error) && error->code != CM_ERROR_SESSION_EXPIRED)
    cm_page_set_field_error (CM_PAGE (self), field, error->message);
  else
    cm_page_show_error_toast (CM_PAGE (self), error, is_transient (error));
}

/**
 * cm_access_step_page_return_task:
 * @error: (transfer full) (nullable): why the step stays, or %NULL to move on
 * @field: (nullable): the row @error is about
 *
 * Ends an apply: shows @error (cm_access_step_page_show_error()) and
 * returns it, or returns %TRUE.
 */
void
cm_access_step_page_return_task (CmAccessStepPage *self,
                                 GTask            *task,
                                 GError           *error,
                                 GtkWidget        *field)
{
  if (error == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  cm_access_step_page_show_error (self, error, field);
  g_task_return_error (task, error);
}

/**
 * cm_access_step_page_wrap_check:
 *
 * Lets a check box's text wrap, so a narrow window still fits it. A label of
 * its own (gtk_check_button_set_child) would lose the check box's accessible
 * action in GTK 4.8: wrap the built-in one instead.
 */
void
cm_access_step_page_wrap_check (GtkCheckButton *check)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (check)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      {
        gtk_label_set_wrap (GTK_LABEL (child), TRUE);
        gtk_label_set_xalign (GTK_LABEL (child), 0.0);
      }
}
