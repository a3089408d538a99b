/* cm-stepper.c: the row of step names above a multi-step flow (SELECT,
 * ACCOUNT INFO, ...), the current one highlighted, as on the slides.
 *
 * Names wrap between words, never inside one. When the row cannot fit even
 * so (six steps at 360 px, or longer words in Spanish), an AdwSqueezer shows
 * one line instead: "Step 2 of 6: ACCOUNT INFO", the words a screen reader
 * says for the indicator in either case.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-stepper"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cm-accessible.h"
#include "cm-stepper-private.h"

struct _CmStepper
{
  GtkWidget  parent_instance;

  /* owned */
  GPtrArray *labels;    /* GtkLabel, children of the box */
  GtkWidget *squeezer;  /* the box when it fits, else the compact label */
  GtkWidget *box;
  GtkWidget *compact;   /* "Step 2 of 6: ACCOUNT INFO" */
  guint      current;
};

G_DEFINE_FINAL_TYPE (CmStepper, cm_stepper, GTK_TYPE_WIDGET)

typedef enum {
  PROP_CURRENT = 1,
  N_PROPS
} CmStepperProperty;

static GParamSpec *obj_props[N_PROPS];

static void
update_accessible_label (CmStepper *self)
{
  GtkWidget *label;
  g_autofree char *text = NULL;

  if (self->labels->len == 0)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Steps"), -1);
      return;
    }

  label = g_ptr_array_index (self->labels, self->current);
  /* Translators: what a screen reader says for the step indicator, and what
   * a narrow window shows in place of the row of steps, e.g. "Step 2 of 3:
   * SECURITY SETUP"; %3$s is the step's name from the slides. */
  text = g_strdup_printf (_("Step %1$u of %2$u: %3$s"), self->current + 1, self->labels->len,
                          gtk_label_get_label (GTK_LABEL (label)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  gtk_label_set_label (GTK_LABEL (self->compact), text);
}

static void
update_labels (CmStepper *self)
{
  for (guint i = 0; i < self->labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (self->labels, i);

      if (i == self->current)
        {
          gtk_widget_add_css_class (label, "cm-step-current");
          gtk_widget_remove_css_class (label, "dim-label");
        }
      else
        {
          gtk_widget_remove_css_class (label, "cm-step-current");
          gtk_widget_add_css_class (label, "dim-label");
        }
      gtk_accessible_update_state (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_STATE_SELECTED,
                                   i == self->current, -1);
    }
  update_accessible_label (self);
}

/* Compact, the row of steps is not shown but would stay in the accessible tree,
 * six items nobody sees. */
static void
on_visible_child_cb (CmStepper *self)
{
  GtkWidget *children[] = { self->box, self->compact };

  cm_accessible_expose_only (adw_squeezer_get_visible_child (ADW_SQUEEZER (self->squeezer)),
                             children, G_N_ELEMENTS (children));
}

static void
cm_stepper_dispose (GObject *object)
{
  CmStepper *self = CM_STEPPER (object);

  if (self->squeezer != NULL)
    g_signal_handlers_disconnect_by_func (self->squeezer, on_visible_child_cb, self);
  g_clear_pointer (&self->squeezer, gtk_widget_unparent);
  self->box = self->compact = NULL;
  g_clear_pointer (&self->labels, g_ptr_array_unref);

  G_OBJECT_CLASS (cm_stepper_parent_class)->dispose (object);
}

static void
cm_stepper_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CmStepper *self = CM_STEPPER (object);

  switch ((CmStepperProperty) prop_id)
    {
    case PROP_CURRENT:
      g_value_set_uint (value, self->current);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_stepper_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CmStepper *self = CM_STEPPER (object);

  switch ((CmStepperProperty) prop_id)
    {
    case PROP_CURRENT:
      cm_stepper_set_current (self, g_value_get_uint (value));
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_stepper_class_init (CmStepperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_stepper_dispose;
  object_class->get_property = cm_stepper_get_property;
  object_class->set_property = cm_stepper_set_property;

  obj_props[PROP_CURRENT] =
    g_param_spec_uint ("current", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, obj_props);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cm-stepper");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LIST);
}

static void
cm_stepper_init (CmStepper *self)
{
  self->labels = g_ptr_array_new ();
  /* The first child whose minimum width fits is shown; no animation. */
  self->squeezer = adw_squeezer_new ();
  adw_squeezer_set_switch_threshold_policy (ADW_SQUEEZER (self->squeezer),
                                            ADW_FOLD_THRESHOLD_POLICY_MINIMUM);
  adw_squeezer_set_transition_type (ADW_SQUEEZER (self->squeezer),
                                    ADW_SQUEEZER_TRANSITION_TYPE_NONE);
  gtk_widget_set_parent (self->squeezer, GTK_WIDGET (self));
  /* A horizontal GtkBox follows the text direction, so RTL mirrors the order. */
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_halign (self->box, GTK_ALIGN_CENTER);
  adw_squeezer_add (ADW_SQUEEZER (self->squeezer), self->box);
  /* Not presented to screen readers: the indicator's own name says the same
   * (update_accessible_label()). */
  self->compact = g_object_new (GTK_TYPE_LABEL,
                                "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  gtk_widget_add_css_class (self->compact, "caption-heading");
  gtk_widget_add_css_class (self->compact, "cm-step-compact");
  gtk_label_set_wrap (GTK_LABEL (self->compact), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->compact), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (GTK_LABEL (self->compact), GTK_JUSTIFY_CENTER);
  adw_squeezer_add (ADW_SQUEEZER (self->squeezer), self->compact);
  g_signal_connect_swapped (self->squeezer, "notify::visible-child",
                            G_CALLBACK (on_visible_child_cb), self);
  on_visible_child_cb (self);
  update_accessible_label (self);
}

/**
 * cm_stepper_new:
 * @labels: (array zero-terminated=1): the translated step names
 *
 * Returns: (transfer floating): a new #CmStepper on its first step
 */
CmStepper *
cm_stepper_new (const char * const *labels)
{
  CmStepper *self = g_object_new (CM_TYPE_STEPPER, NULL);

  cm_stepper_set_steps (self, labels, 0);
  return self;
}

/**
 * cm_stepper_set_steps:
 * @labels: (array zero-terminated=1) (nullable): the translated step names
 * @current: the step to highlight
 *
 * Replaces the steps shown (the wizard shows the steps of the current flow).
 */
void
cm_stepper_set_steps (CmStepper          *self,
                      const char * const *labels,
                      guint               current)
{
  GtkWidget *child;

  g_return_if_fail (CM_IS_STEPPER (self));

  while ((child = gtk_widget_get_first_child (self->box)) != NULL)
    gtk_box_remove (GTK_BOX (self->box), child);
  g_ptr_array_set_size (self->labels, 0);

  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (labels[i]);

      gtk_widget_add_css_class (label, "caption-heading");
      /* Between words only: a row that needs more than that gives way to
       * the compact label. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_box_append (GTK_BOX (self->box), label);
      g_ptr_array_add (self->labels, label);
    }
  self->current = self->labels->len > 0 ? MIN (current, self->labels->len - 1) : 0;
  update_labels (self);
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_CURRENT]);
}

guint
cm_stepper_get_n_steps (CmStepper *self)
{
  g_return_val_if_fail (CM_IS_STEPPER (self), 0);

  return self->labels->len;
}

guint
cm_stepper_get_current (CmStepper *self)
{
  g_return_val_if_fail (CM_IS_STEPPER (self), 0);

  return self->current;
}

void
cm_stepper_set_current (CmStepper *self,
                        guint      current)
{
  g_return_if_fail (CM_IS_STEPPER (self));

  if (self->labels->len > 0)
    current = MIN (current, self->labels->len - 1);
  if (self->current == current)
    return;

  self->current = current;
  update_labels (self);
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_CURRENT]);
}

/* For the tests: the one line shown in place of the row, or NULL when the row is shown. */
const char *
cm_stepper_get_compact_text (CmStepper *self)
{
  g_return_val_if_fail (CM_IS_STEPPER (self), NULL);

  if (adw_squeezer_get_visible_child (ADW_SQUEEZER (self->squeezer)) != self->compact)
    return NULL;
  return gtk_label_get_label (GTK_LABEL (self->compact));
}
