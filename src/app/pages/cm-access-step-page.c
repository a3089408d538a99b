/* cm-access-step-page.c: what every step of Request Code and Add Account
 * Access is: a CmPage of the one wizard with the window's CmAccessRequest,
 * titled after its flow and named after its step for screen readers,
 * emptied when its flow finishes, with errors shown on the field they
 * concern, and Enter on its choices pressing Next.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-step-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-step-page.h"
#include "cm-error.h"
#include "cm-plain-text.h"

typedef struct
{
  CmAccessRequest *request;
  GtkLabel        *breadcrumb;
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

/* The steps of a flow share the title, so a screen reader (and the AT-SPI
 * test) would hear the same name on each: the page's name adds the step.
 * cm_page_set_title() set the label to the title alone; this replaces it. */
static void
set_accessible_label (CmAccessStepPage *self)
{
  const char *step = cm_page_get_step (CM_PAGE (self));
  g_autofree char *label = NULL;

  if (step == NULL)
    return;
  /* Translators: a step's name for screen readers: the flow's title, then
   * the step as the step indicator shows it, e.g. "Add Account Access:
   * ACCOUNT INFO". Reorder the two if your language needs it. */
  label = g_strdup_printf (C_("step page name", "%1$s: %2$s"),
                           cm_page_get_title (CM_PAGE (self)), step);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/* The slides' trail above each step, "Account Access Options > Request
 * Account Access", over the page's own content. */
static void
add_breadcrumb (CmAccessStepPage *self)
{
  CmAccessStepPagePrivate *priv = cm_access_step_page_get_instance_private (self);
  GtkWidget *content = adw_bin_get_child (ADW_BIN (self));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *clamp = adw_clamp_new ();

  priv->breadcrumb = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (priv->breadcrumb), "breadcrumb");
  gtk_label_set_wrap (priv->breadcrumb, TRUE);
  gtk_label_set_xalign (priv->breadcrumb, 0.0);
  gtk_widget_set_margin_top (GTK_WIDGET (priv->breadcrumb), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (priv->breadcrumb), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (priv->breadcrumb), 12);
  gtk_widget_add_css_class (GTK_WIDGET (priv->breadcrumb), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (priv->breadcrumb), "caption");
  cm_access_step_page_set_breadcrumb_last (self, NULL);

  if (content != NULL)
    {
      g_object_ref (content);
      adw_bin_set_child (ADW_BIN (self), NULL);
    }
  /* Lined up with the steps' content, clamped as wide. */
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (priv->breadcrumb));
  gtk_box_append (GTK_BOX (box), clamp);
  if (content != NULL)
    {
      gtk_widget_set_vexpand (content, TRUE);
      gtk_box_append (GTK_BOX (box), content);
      g_object_unref (content);
    }
  adw_bin_set_child (ADW_BIN (self), box);
}

/**
 * cm_access_step_page_set_breadcrumb_last:
 * @last: (nullable): a last place after the flow's title ("Confirmation")
 */
void
cm_access_step_page_set_breadcrumb_last (CmAccessStepPage *self,
                                         const char       *last)
{
  CmAccessStepPagePrivate *priv = cm_access_step_page_get_instance_private (self);
  g_autofree char *trail = NULL;

  /* Translators: the trail above each step, as on the slides: "Account
   * Access Options > Request Account Access"; %s is the flow's title. */
  trail = g_strdup_printf (_("Account Access Options \u203a %s"),
                           cm_page_get_title (CM_PAGE (self)));
  if (last != NULL)
    {
      g_autofree char *longer = NULL;

      /* Translators: one more place on the trail: "%1$s > Confirmation". */
      longer = g_strdup_printf (_("%1$s \u203a %2$s"), trail, last);
      g_free (trail);
      trail = g_steal_pointer (&longer);
    }
  gtk_label_set_text (priv->breadcrumb, trail);
}

/**
 * cm_access_step_page_value_row_new:
 *
 * One "Label : value" row, as on the slides' summaries; @value is text, not
 * markup, and selectable.
 *
 * Returns: (transfer floating): an #AdwActionRow
 */
GtkWidget *
cm_access_step_page_value_row_new (const char *label,
                                   const char *value)
{
  GtkWidget *row = cm_plain_row_new (ADW_TYPE_ACTION_ROW);
  GtkWidget *value_label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  /* A wrapping label asks for little width; wrap only what cannot fit on one line. */
  if (g_utf8_strlen (value, -1) > 32)
    {
      gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
      gtk_label_set_width_chars (GTK_LABEL (value_label), 24);
      gtk_label_set_max_width_chars (GTK_LABEL (value_label), 40);
    }
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (value_label), 1.0);
  gtk_widget_set_hexpand (value_label, TRUE);
  gtk_widget_set_halign (value_label, GTK_ALIGN_END);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value_label);
  g_object_set_data (G_OBJECT (row), "cm-value", value_label);
  /* The row's title names it already (a label too would read it twice). */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, value,
                                  -1);

  return row;
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
  set_accessible_label (self);
  add_breadcrumb (self);
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

/* Every step's apply ends its GTask with a boolean (see
 * cm_access_step_page_return_task()); the steps inherit this. */
static gboolean
cm_access_step_page_apply_finish (CmPage        *page,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cm_access_step_page_class_init (CmAccessStepPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  CM_PAGE_CLASS (klass)->apply_finish = cm_access_step_page_apply_finish;

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
 * @page: a #CmAccessStepPage
 *
 * Returns: (transfer none): what the steps share
 */
CmAccessRequest *
cm_access_step_page_get_request (gpointer page)
{
  CmAccessStepPagePrivate *priv;

  g_return_val_if_fail (CM_IS_ACCESS_STEP_PAGE (page), NULL);

  priv = cm_access_step_page_get_instance_private (page);
  return priv->request;
}

/**
 * cm_access_step_page_is_add_access:
 * @page: a #CmAccessStepPage
 *
 * Returns: whether @page is a step of Add Account Access (else Request Code)
 */
gboolean
cm_access_step_page_is_add_access (gpointer page)
{
  g_return_val_if_fail (CM_IS_ACCESS_STEP_PAGE (page), FALSE);

  return g_strcmp0 (cm_page_get_flow (page), CM_ACCESS_FLOW_ADD_ACCESS) == 0;
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
  if (field != NULL && !cm_error_is_transient (error) &&
      !g_error_matches (error, CM_ERROR, CM_ERROR_SESSION_EXPIRED))
    cm_page_set_field_error (CM_PAGE (self), field, error->message);
  else
    cm_page_show_error_toast (CM_PAGE (self), error, cm_error_is_transient (error));
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

static gboolean
on_enter_pressed_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     gpointer               user_data)
{
  GtkWidget *control = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkRoot *root = gtk_widget_get_root (control);
  GtkWidget *next;

  if ((keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter) ||
      (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return GDK_EVENT_PROPAGATE;

  /* The window's default widget, the wizard's Next, as Enter in an entry
   * presses it: insensitive while the page is not complete, when Enter then
   * does nothing rather than change the choice. */
  next = GTK_IS_WINDOW (root) ? gtk_window_get_default_widget (GTK_WINDOW (root)) : NULL;
  if (next != NULL && gtk_widget_is_sensitive (next))
    gtk_widget_activate (next);
  return GDK_EVENT_STOP;
}

/**
 * cm_access_step_page_enter_presses_next:
 * @control: a check box, a toggle button, a list of choices, a combo row,
 *   or a list of read-only rows (the list box would take Enter)
 *
 * Enter on @control presses the window's default widget, the wizard's Next
 * (when the page is complete), as Enter in an entry does (entries activate
 * the default, cm_widget_fix_mnemonic_names()). Only Space (and the arrows,
 * in a list) changes the choice: GTK would let Enter toggle or pick, so the
 * key stops here.
 */
void
cm_access_step_page_enter_presses_next (GtkWidget *control)
{
  GtkEventController *keys;

  g_return_if_fail (GTK_IS_WIDGET (control));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (keys, "cm-enter-presses-next");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_enter_pressed_cb), NULL);
  gtk_widget_add_controller (control, keys);
}

/**
 * cm_access_step_page_ltr_field:
 * @row: an entry for a number, a ZIP code or a code
 *
 * Numbers and codes read left to right in every language. GTK would place
 * "Z123456" at the left of an Arabic row (a Latin letter makes it LTR) and
 * "48909" at the right (digits alone take the row's direction): in a right
 * to left layout the field is LTR and kept at the row's start (the right),
 * under its title, so the rows line up.
 */
void
cm_access_step_page_ltr_field (AdwEntryRow *row)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (row));

  g_return_if_fail (ADW_IS_ENTRY_ROW (row));

  if (text == NULL || gtk_widget_get_direction (GTK_WIDGET (row)) != GTK_TEXT_DIR_RTL)
    return;
  gtk_widget_set_direction (GTK_WIDGET (text), GTK_TEXT_DIR_LTR);
  gtk_editable_set_alignment (text, 1.0);
}
