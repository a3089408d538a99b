/* cm-wizard.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gnome-initial-setup's assistant (docs/ui.md, "The wizard") on a GtkStack:
 * Next applies the current page and moves on only when that succeeded; Back
 * never applies. Only the current page is visible: the others are hidden once
 * the slide ends, so they take no focus, mnemonic, pointer or key and are not
 * exposed to screen readers.
 *
 * Each step is a slot: an AdwBin in the stack, made when the step is added,
 * holding the page once it is built. A lazy page (cm_wizard_add_page_lazy())
 * is built when something needs it (shown, or looked for by Next), not ahead
 * of time: the first frame measures, and memory holds, only the pages used
 * (docs/ui.md, "Lazy pages").
 */

#define G_LOG_DOMAIN "cm-wizard"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-practice-inbox-button.h"
#include "cm-wizard-private.h"

typedef struct
{
  char                *name;
  char                *flow;       /* (nullable): known before the page is built */
  char                *step;       /* (nullable): likewise */
  GtkWidget           *frame;      /* the stack's child (borrowed) */
  CmPage              *page;       /* (nullable): the frame's child, once built */
  CmWizardPageFactory  factory;    /* (nullable): until the page is built */
  gpointer             user_data;
  gboolean             building;
} Slot;

struct _CmWizard
{
  GtkBox           parent_instance;

  /* template widgets */
  AdwHeaderBar    *header_bar;
  AdwBin          *banner_bin;
  GtkLabel        *title_label;
  CmStepper       *stepper;
  GtkWidget       *back_button;
  GtkWidget       *cancel_button;
  GtkWidget       *next_button;
  GtkMenuButton   *menu_button;
  GtkSpinner      *spinner;
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;

  /* owned */
  GBindingGroup   *page_bindings;
  GSignalGroup    *page_signals;
  GPtrArray       *slots;         /* Slot, in the order added */
  GPtrArray       *history;       /* CmPage (borrowed: in the stack) */
  GCancellable    *cancellable;

  /* borrowed */
  CmPage          *current;
  CmPage          *applying;

  /* borrowed: for the slot cm_wizard_add_flow_page_lazy() is adding */
  const char      *pending_flow;
  const char      *pending_step;
};

G_DEFINE_FINAL_TYPE (CmWizard, cm_wizard, GTK_TYPE_BOX)

typedef enum {
  PROP_CURRENT_PAGE = 1,
  N_PROPS
} CmWizardProperty;

static GParamSpec *obj_props[N_PROPS];

enum {
  SIGNAL_CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
slot_free (gpointer data)
{
  Slot *slot = data;

  g_free (slot->name);
  g_free (slot->flow);
  g_free (slot->step);
  g_free (slot);
}

static guint
n_slots (CmWizard *self)
{
  /* None once disposed. */
  return self->slots != NULL ? self->slots->len : 0;
}

static Slot *
nth_slot (CmWizard *self,
          guint     i)
{
  return g_ptr_array_index (self->slots, i);
}

static Slot *
find_slot (CmWizard   *self,
           const char *name)
{
  for (guint i = 0; i < n_slots (self); i++)
    if (g_strcmp0 (nth_slot (self, i)->name, name) == 0)
      return nth_slot (self, i);

  return NULL;
}

static int
page_index (CmWizard *self,
            CmPage   *page)
{
  if (page == NULL)
    return -1;

  for (guint i = 0; i < n_slots (self); i++)
    if (nth_slot (self, i)->page == page)
      return (int) i;

  return -1;
}

static gboolean
is_final (CmWizard *self,
          CmPage   *page)
{
  guint n = n_slots (self);

  /* A step of a flow never ends the wizard, even when it was added last. */
  return n > 1 && page != NULL && cm_page_get_flow (page) == NULL &&
         nth_slot (self, n - 1)->page == page;
}

static const char *
page_flow (CmPage *page)
{
  return page != NULL ? cm_page_get_flow (page) : NULL;
}

static void
attach_page (CmWizard *self,
             Slot     *slot,
             CmPage   *page)
{
  gtk_widget_set_name (GTK_WIDGET (page), slot->name);
  gtk_widget_set_hexpand (GTK_WIDGET (page), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (page), TRUE);
  adw_bin_set_child (ADW_BIN (slot->frame), GTK_WIDGET (page));
  slot->page = page;
  cm_widget_fix_mnemonic_names (GTK_WIDGET (page));
}

/* Builds the page of @slot if it is lazy and not built yet. */
static CmPage *
ensure_page (CmWizard *self,
             Slot     *slot)
{
  CmPage *page;
  gint64 start;

  if (slot->page != NULL || slot->factory == NULL)
    return slot->page;

  if (slot->building)
    {
      g_critical ("Wizard page %s needs itself to be built", slot->name);
      return NULL;
    }

  slot->building = TRUE;
  start = g_get_monotonic_time ();
  page = slot->factory (self, slot->name, slot->user_data);
  slot->building = FALSE;
  slot->factory = NULL;

  if (!CM_IS_PAGE (page))
    {
      g_critical ("The factory of wizard page %s made no page", slot->name);
      return NULL;
    }

  attach_page (self, slot, page);
  g_debug ("Built page %s in %.1f ms", slot->name, (g_get_monotonic_time () - start) / 1000.0);
  return page;
}

static Slot *
add_slot (CmWizard   *self,
          const char *name)
{
  Slot *slot = g_new0 (Slot, 1);

  if (find_slot (self, name) != NULL)
    g_warning ("Two wizard pages called %s", name);

  slot->name = g_strdup (name);
  /* Empty until its page is built, and hidden until it is current: the
   * first layout measures nothing here. */
  slot->frame = adw_bin_new ();
  gtk_widget_set_hexpand (slot->frame, TRUE);
  gtk_widget_set_vexpand (slot->frame, TRUE);
  gtk_widget_set_visible (slot->frame, FALSE);
  gtk_stack_add_named (self->stack, slot->frame, name);
  g_ptr_array_add (self->slots, slot);

  return slot;
}

/* Next is the window's default wherever it shows, so Enter in a field (which
 * activates the default) presses it. GTK drops a hidden widget as the
 * default, and Next hides on the final page: entering a flow from there
 * (Account Access Options) shows it again, so set it again. */
static void
keep_next_default (CmWizard *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root) && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      gtk_widget_get_visible (self->next_button) &&
      gtk_window_get_default_widget (GTK_WINDOW (root)) != self->next_button)
    gtk_window_set_default_widget (GTK_WINDOW (root), self->next_button);
}

static void
update_buttons (CmWizard *self)
{
  CmPage *page = self->current;
  gboolean busy = page != NULL && (cm_page_get_busy (page) || self->applying != NULL);
  gboolean complete = page != NULL && cm_page_get_complete (page);
  gboolean final = page != NULL && is_final (self, page);
  const char *next_label = page != NULL ? cm_page_get_next_label (page) : NULL;

  /* A page may call Next "Submit" or "OK"; GTK 4.8 would name it "_OK OK". */
  next_label = next_label != NULL ? next_label : _("_Next");
  if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (self->next_button)), next_label) != 0)
    {
      gtk_button_set_label (GTK_BUTTON (self->next_button), next_label);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->next_button),
                                     GTK_ACCESSIBLE_PROPERTY_LABEL);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", complete && !busy && !final);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back",
                                 self->history->len > 0 && self->applying == NULL && !final);
  gtk_widget_set_visible (self->back_button, self->history->len > 0 && !final);
  gtk_widget_set_visible (self->next_button, !final);
  /* In a flow, Cancel leaves the flow even with nowhere to go back to
   * (CmWizard::cancelled). */
  gtk_widget_set_visible (self->cancel_button,
                          (self->history->len > 0 || page_flow (page) != NULL) && !final);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  keep_next_default (self);
}

static void
on_page_state_changed_cb (CmWizard *self)
{
  update_buttons (self);
}

/* ---- what is on screen -------------------------------------------------- */

static const char *
slot_flow (Slot *slot)
{
  return slot->page != NULL ? cm_page_get_flow (slot->page) : slot->flow;
}

static const char *
slot_step (Slot *slot)
{
  return slot->page != NULL ? cm_page_get_step (slot->page) : slot->step;
}

/* The step names of the current page's flow, in the order added. */
static void
update_stepper (CmWizard *self)
{
  const char *flow = page_flow (self->current);
  g_autoptr(GPtrArray) steps = g_ptr_array_new ();
  guint current_step = 0;

  for (guint i = 0; flow != NULL && i < n_slots (self); i++)
    {
      Slot *slot = nth_slot (self, i);

      if (g_strcmp0 (slot_flow (slot), flow) != 0 || slot_step (slot) == NULL)
        continue;
      if (slot->page != NULL && slot->page == self->current)
        current_step = steps->len;
      g_ptr_array_add (steps, (gpointer) slot_step (slot));
    }
  g_ptr_array_add (steps, NULL);

  cm_stepper_set_steps (self->stepper, (const char * const *) steps->pdata, current_step);
  gtk_widget_set_visible (GTK_WIDGET (self->stepper), steps->len > 1);
}

/* Only the current page may take focus, pointer, mnemonics or be read. */
static void
hide_other_frames (CmWizard *self)
{
  int current = page_index (self, self->current);

  for (guint i = 0; i < n_slots (self); i++)
    gtk_widget_set_visible (nth_slot (self, i)->frame, (int) i == current);
}

static void
on_transition_running_cb (CmWizard *self)
{
  if (self->slots != NULL && !gtk_stack_get_transition_running (self->stack))
    hide_other_frames (self);
}

static GtkStackTransitionType
choose_transition (CmWizard *self,
                   gboolean  forward,
                   gboolean  animate)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));
  gboolean animations = TRUE;

  g_object_get (settings, "gtk-enable-animations", &animations, NULL);
  if (!animate || !animations || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return GTK_STACK_TRANSITION_TYPE_NONE;

  /* Forward slides the way the text reads. */
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    forward = !forward;

  return forward ? GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT : GTK_STACK_TRANSITION_TYPE_SLIDE_RIGHT;
}

static GtkScrolledWindow *
find_scrolled_window (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return GTK_SCROLLED_WINDOW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scrolled_window (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Arriving on a page: its top on screen, focus on its first field. */
static void
focus_page (CmWizard *self,
            CmPage   *page)
{
  GtkScrolledWindow *scrolled = find_scrolled_window (GTK_WIDGET (page));

  cm_page_focus_first_field (page);
  if (scrolled != NULL)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (scrolled), 0.0);
}

static void
show_frame (CmWizard *self,
            CmPage   *page,
            gboolean  forward,
            gboolean  animate)
{
  GtkWidget *frame = nth_slot (self, page_index (self, page))->frame;

  /* The page leaving takes no focus or pointer while it slides away. */
  for (guint i = 0; i < n_slots (self); i++)
    {
      gtk_widget_set_can_focus (nth_slot (self, i)->frame, nth_slot (self, i)->frame == frame);
      gtk_widget_set_can_target (nth_slot (self, i)->frame, nth_slot (self, i)->frame == frame);
    }

  gtk_widget_set_visible (frame, TRUE);
  gtk_stack_set_transition_type (self->stack, choose_transition (self, forward, animate));
  gtk_stack_set_visible_child (self->stack, frame);
  if (!gtk_stack_get_transition_running (self->stack))
    hide_other_frames (self);
}

static void
set_current (CmWizard *self,
             CmPage   *page,
             gboolean  forward,
             gboolean  animate)
{
  if (self->current == page)
    return;

  self->current = page;
  g_binding_group_set_source (self->page_bindings, page);
  g_signal_group_set_target (self->page_signals, page);

  if (page != NULL)
    {
      show_frame (self, page, forward, animate);
      if (is_final (self, page))
        g_ptr_array_set_size (self->history, 0);
    }

  update_stepper (self);
  update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_CURRENT_PAGE]);

  if (page != NULL)
    {
      cm_page_shown (page);
      focus_page (self, page);
    }
}

/* Goes to @page, remembering where we came from; going to a page already in
 * the history (a loop such as Forgot password -> Sign in) cuts it there. */
static void
move_forward_to (CmWizard *self,
                 CmPage   *page)
{
  guint i;

  if (page == NULL || page == self->current)
    return;

  if (g_ptr_array_find (self->history, page, &i))
    g_ptr_array_set_size (self->history, i);
  else if (self->current != NULL)
    g_ptr_array_add (self->history, self->current);

  set_current (self, page, TRUE, TRUE);
}

static CmPage *
find_next_page (CmWizard *self)
{
  const char *next_name = cm_page_get_next_page (self->current);
  int index;

  if (next_name != NULL)
    return cm_wizard_get_page (self, next_name);

  /* Hidden pages are skipped, as in gnome-initial-setup; a lazy page is built
   * to find out whether it is hidden. */
  index = page_index (self, self->current);
  for (guint i = index + 1; i < n_slots (self); i++)
    {
      CmPage *page = ensure_page (self, nth_slot (self, i));

      if (page != NULL && gtk_widget_get_visible (GTK_WIDGET (page)))
        return page;
    }

  return NULL;
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CmPage *page = CM_PAGE (object);
  g_autoptr(CmWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean applied;

  applied = cm_page_apply_finish (page, result, &error);
  if (self->applying == page)
    self->applying = NULL;

  /* Disposed meanwhile (the apply was cancelled). */
  if (self->history == NULL)
    return;

  if (!applied)
    {
      /* The page shows its own errors on its fields; the wizard stays. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Page %s did not apply: %s", gtk_widget_get_name (GTK_WIDGET (page)),
                 error->message);
      update_buttons (self);
      if (page == self->current)
        cm_page_focus_first_error (page);
      return;
    }

  if (page == self->current)
    move_forward_to (self, find_next_page (self));
  update_buttons (self);
}

/* ---- actions ------------------------------------------------------------ */

static void
wizard_next_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  cm_wizard_next (CM_WIZARD (widget));
}

static void
wizard_back_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  cm_wizard_back (CM_WIZARD (widget));
}

static void
wizard_cancel_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  cm_wizard_cancel (CM_WIZARD (widget));
}

static void
wizard_go_to_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  cm_wizard_go_to (CM_WIZARD (widget), g_variant_get_string (parameter, NULL));
}

/* ---- Cancel ------------------------------------------------------------- */

static void
cancel_apply (CmWizard *self)
{
  if (self->applying == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->applying = NULL;
}

/* Whether a page built so far, of @flow (or of any flow when %NULL), holds
 * something typed. A page not built yet holds nothing. */
static gboolean
has_input (CmWizard   *self,
           const char *flow)
{
  for (guint i = 0; i < n_slots (self); i++)
    {
      CmPage *page = nth_slot (self, i)->page;

      if (page != NULL && (flow == NULL || g_strcmp0 (cm_page_get_flow (page), flow) == 0) &&
          cm_page_has_input (page))
        return TRUE;
    }

  return FALSE;
}

/* Leaves the current flow for the page it was entered from: the newest page
 * in the history outside the flow. Returns %FALSE when there is none. */
static gboolean
leave_flow (CmWizard   *self,
            const char *flow)
{
  cancel_apply (self);
  for (guint i = 0; i < n_slots (self); i++)
    {
      CmPage *page = nth_slot (self, i)->page;

      if (page != NULL && g_strcmp0 (cm_page_get_flow (page), flow) == 0)
        cm_page_reset (page);
    }

  for (guint i = self->history->len; i > 0; i--)
    {
      CmPage *origin = g_ptr_array_index (self->history, i - 1);

      if (g_strcmp0 (cm_page_get_flow (origin), flow) != 0)
        {
          g_ptr_array_set_size (self->history, i - 1);
          set_current (self, origin, FALSE, TRUE);
          update_buttons (self);
          return TRUE;
        }
    }

  update_buttons (self);
  return FALSE;
}

static void
really_cancel (CmWizard *self)
{
  g_autofree char *flow = g_strdup (page_flow (self->current));

  if (flow != NULL && leave_flow (self, flow))
    return;

  if (flow == NULL)
    cm_wizard_reset (self);
  g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
}

static void
on_cancel_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       CmWizard         *self)
{
  if (g_strcmp0 (response, "discard") == 0)
    really_cancel (self);
}

static void
ask_before_cancel (CmWizard *self)
{
  AdwMessageDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                             : NULL,
                                                       _("Discard What You Typed?"),
                                                       _("The information entered so far will "
                                                         "be cleared.")));
  adw_message_dialog_add_responses (dialog,
                                    /* Translators: keeps the wizard as it is. */
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response_cb), self, 0);
  cm_widget_fix_mnemonic_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- GObject ------------------------------------------------------------ */

/* GTK 4.8 drops a hidden default widget only at the window's next frame, and
 * setting it again before then does not stop that: Next hidden on Account
 * Access Options and shown again on the flow's first page within one frame
 * (a quick Enter, or a test) left the window with no default. So whenever
 * the window's default changes, Next takes it back if it shows. */
static void
cm_wizard_root (GtkWidget *widget)
{
  GtkRoot *root;

  GTK_WIDGET_CLASS (cm_wizard_parent_class)->root (widget);
  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    g_signal_connect_object (root, "notify::default-widget", G_CALLBACK (keep_next_default),
                             widget, G_CONNECT_SWAPPED);
}

static void
cm_wizard_unroot (GtkWidget *widget)
{
  g_signal_handlers_disconnect_by_func (gtk_widget_get_root (widget), keep_next_default,
                                        widget);
  GTK_WIDGET_CLASS (cm_wizard_parent_class)->unroot (widget);
}

static void
cm_wizard_map (GtkWidget *widget)
{
  CmWizard *self = CM_WIZARD (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (cm_wizard_parent_class)->map (widget);

  /* Enter in an entry that activates the default presses Next. */
  keep_next_default (self);
  root = gtk_widget_get_root (widget);

  /* Shown (the window opens, or comes back from the springboard): the page
   * was made current while nothing could take focus. */
  if (GTK_IS_WINDOW (root) && self->current != NULL)
    {
      GtkWidget *focus = gtk_root_get_focus (root);

      if (focus == NULL || !gtk_widget_is_ancestor (focus, widget))
        focus_page (self, self->current);
    }
}

static void
cm_wizard_dispose (GObject *object)
{
  CmWizard *self = CM_WIZARD (object);

  g_cancellable_cancel (self->cancellable);
  self->current = NULL;
  self->applying = NULL;
  if (self->page_bindings != NULL)
    g_binding_group_set_source (self->page_bindings, NULL);
  if (self->page_signals != NULL)
    g_signal_group_set_target (self->page_signals, NULL);
  g_clear_object (&self->page_bindings);
  g_clear_object (&self->page_signals);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_pointer (&self->slots, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (object), CM_TYPE_WIZARD);

  G_OBJECT_CLASS (cm_wizard_parent_class)->dispose (object);
}

static void
cm_wizard_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CmWizard *self = CM_WIZARD (object);

  switch ((CmWizardProperty) prop_id)
    {
    case PROP_CURRENT_PAGE:
      g_value_set_object (value, self->current);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_wizard_class_init (CmWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_wizard_dispose;
  object_class->get_property = cm_wizard_get_property;
  widget_class->map = cm_wizard_map;
  widget_class->root = cm_wizard_root;
  widget_class->unroot = cm_wizard_unroot;

  obj_props[PROP_CURRENT_PAGE] =
    g_param_spec_object ("current-page", NULL, NULL, CM_TYPE_PAGE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, obj_props);

  /**
   * CmWizard::cancelled:
   *
   * The user cancelled (and confirmed when something was typed). Outside
   * any flow the pages were reset and the wizard is back on its first page;
   * in a flow entered from no other page of the wizard, the flow's pages
   * were reset and whoever holds the wizard decides where to go (the
   * springboard closes its window). Cancel in a flow entered from another
   * page goes back there and emits nothing.
   */
  signals[SIGNAL_CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/cm-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, CmWizard, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CmWizard, banner_bin);
  gtk_widget_class_bind_template_child (widget_class, CmWizard, title_label);
  gtk_widget_class_bind_template_child (widget_class, CmWizard, stepper);
  gtk_widget_class_bind_template_child (widget_class, CmWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, CmWizard, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CmWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, CmWizard, menu_button);
  gtk_widget_class_bind_template_child (widget_class, CmWizard, spinner);
  gtk_widget_class_bind_template_child (widget_class, CmWizard, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CmWizard, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_transition_running_cb);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, wizard_next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, wizard_back_action);
  gtk_widget_class_install_action (widget_class, "wizard.cancel", NULL, wizard_cancel_action);
  gtk_widget_class_install_action (widget_class, "wizard.go-to", "s", wizard_go_to_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "wizard.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "wizard.back", NULL);
}

static void
cm_wizard_init (CmWizard *self)
{
  self->slots = g_ptr_array_new_with_free_func (slot_free);
  self->history = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();

  g_type_ensure (CM_TYPE_STEPPER);
  g_type_ensure (CM_TYPE_PRACTICE_INBOX_BUTTON);
  gtk_widget_init_template (GTK_WIDGET (self));
  cm_widget_fix_mnemonic_names (GTK_WIDGET (self->header_bar));

  self->page_bindings = g_binding_group_new ();
  g_binding_group_bind (self->page_bindings, "title", self->title_label, "label",
                        G_BINDING_SYNC_CREATE);

  self->page_signals = g_signal_group_new (CM_TYPE_PAGE);
  g_signal_group_connect_swapped (self->page_signals, "notify::complete",
                                  G_CALLBACK (on_page_state_changed_cb), self);
  g_signal_group_connect_swapped (self->page_signals, "notify::busy",
                                  G_CALLBACK (on_page_state_changed_cb), self);

  update_buttons (self);
}

/* ---- public ------------------------------------------------------------- */

CmWizard *
cm_wizard_new (void)
{
  return g_object_new (CM_TYPE_WIZARD, NULL);
}

/**
 * cm_wizard_add_page:
 * @name: how cm_wizard_go_to() and #CmPage:next-page call it
 *
 * Appends @page. The first page added is shown first; the last one is the
 * end of the wizard (no Back, Next or Cancel there).
 */
void
cm_wizard_add_page (CmWizard   *self,
                    const char *name,
                    CmPage     *page)
{
  g_return_if_fail (CM_IS_WIZARD (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (CM_IS_PAGE (page));

  attach_page (self, add_slot (self, name), page);

  if (self->current == NULL)
    {
      set_current (self, page, TRUE, FALSE);
      return;
    }

  update_stepper (self);
  update_buttons (self);
}

/**
 * cm_wizard_add_page_lazy:
 * @name: how cm_wizard_go_to() and #CmPage:next-page call it
 * @factory: builds the page, at most once
 * @user_data: for @factory; it must outlive the wizard
 *
 * Appends a step whose page @factory builds only when it is needed: shown,
 * looked for by Next or asked for with cm_wizard_get_page(); never ahead of
 * time (each page is 1-2 MiB, docs/benchmarks.md). The first page added is
 * built at once, since it is shown first.
 */
void
cm_wizard_add_page_lazy (CmWizard            *self,
                         const char          *name,
                         CmWizardPageFactory  factory,
                         gpointer             user_data)
{
  Slot *slot;

  g_return_if_fail (CM_IS_WIZARD (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (factory != NULL);

  slot = add_slot (self, name);
  slot->factory = factory;
  slot->user_data = user_data;
  slot->flow = g_strdup (self->pending_flow);
  slot->step = g_strdup (self->pending_step);

  if (self->current == NULL)
    {
      CmPage *page = ensure_page (self, slot);

      if (page != NULL)
        set_current (self, page, TRUE, FALSE);
    }
  else
    {
      update_stepper (self);
      update_buttons (self);
    }
}

/**
 * cm_wizard_add_flow_page_lazy:
 * @flow: (nullable): the #CmPage:flow the page will have
 * @step: (nullable): the #CmPage:step the page will have, translated
 *
 * Like cm_wizard_add_page_lazy(), for a page of a flow: the step indicator
 * lists the step before the page is built. The page built must have the
 * same flow and step.
 */
void
cm_wizard_add_flow_page_lazy (CmWizard            *self,
                              const char          *name,
                              const char          *flow,
                              const char          *step,
                              CmWizardPageFactory  factory,
                              gpointer             user_data)
{
  g_return_if_fail (CM_IS_WIZARD (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (factory != NULL);

  /* Known before the page is added, so the first update already lists it. */
  self->pending_flow = flow;
  self->pending_step = step;
  cm_wizard_add_page_lazy (self, name, factory, user_data);
  self->pending_flow = NULL;
  self->pending_step = NULL;
}

/**
 * cm_wizard_get_page:
 *
 * Builds the page first when it was added lazily and is not built yet.
 *
 * Returns: (transfer none) (nullable): the page called @name
 */
CmPage *
cm_wizard_get_page (CmWizard   *self,
                    const char *name)
{
  Slot *slot;

  g_return_val_if_fail (CM_IS_WIZARD (self), NULL);

  slot = find_slot (self, name);
  return slot != NULL ? ensure_page (self, slot) : NULL;
}

/**
 * cm_wizard_peek_page:
 *
 * Like cm_wizard_get_page(), but never builds a page.
 *
 * Returns: (transfer none) (nullable): the page called @name, when built
 */
CmPage *
cm_wizard_peek_page (CmWizard   *self,
                     const char *name)
{
  Slot *slot;

  g_return_val_if_fail (CM_IS_WIZARD (self), NULL);

  slot = find_slot (self, name);
  return slot != NULL ? slot->page : NULL;
}

/**
 * cm_wizard_get_current_page:
 *
 * Returns: (transfer none) (nullable): the page on screen
 */
CmPage *
cm_wizard_get_current_page (CmWizard *self)
{
  g_return_val_if_fail (CM_IS_WIZARD (self), NULL);

  return self->current;
}

const char *
cm_wizard_get_current_name (CmWizard *self)
{
  g_return_val_if_fail (CM_IS_WIZARD (self), NULL);

  return self->current ? gtk_widget_get_name (GTK_WIDGET (self->current)) : NULL;
}

/**
 * cm_wizard_go_to:
 *
 * Shows the page called @name without applying the current one (Sign Up,
 * Forgot password, a restored draft). Back returns here.
 *
 * Returns: %FALSE when there is no such page
 */
gboolean
cm_wizard_go_to (CmWizard   *self,
                 const char *name)
{
  CmPage *page;

  g_return_val_if_fail (CM_IS_WIZARD (self), FALSE);

  page = cm_wizard_get_page (self, name);
  if (page == NULL)
    {
      g_warning ("No wizard page called %s", name);
      return FALSE;
    }

  if (self->applying != NULL)
    return FALSE;

  move_forward_to (self, page);
  return TRUE;
}

/**
 * cm_wizard_next:
 *
 * Applies the current page when it is complete and not busy, then moves to
 * its #CmPage:next-page or the next visible page.
 */
void
cm_wizard_next (CmWizard *self)
{
  g_return_if_fail (CM_IS_WIZARD (self));

  if (self->current == NULL || self->applying != NULL)
    return;
  if (!cm_page_get_complete (self->current) || cm_page_get_busy (self->current))
    return;
  if (is_final (self, self->current))
    return;

  /* Nothing to apply: move on at once, without a round trip through the loop. */
  if (CM_PAGE_GET_CLASS (self->current)->apply_async == NULL)
    {
      move_forward_to (self, find_next_page (self));
      return;
    }

  self->applying = self->current;
  update_buttons (self);
  cm_page_apply_async (self->current, self->cancellable, apply_cb, g_object_ref (self));
}

/**
 * cm_wizard_back:
 *
 * Goes back to the page the user came from, never applying anything.
 *
 * Returns: %TRUE when it moved
 */
gboolean
cm_wizard_back (CmWizard *self)
{
  CmPage *previous;

  g_return_val_if_fail (CM_IS_WIZARD (self), FALSE);

  if (self->history->len == 0 || self->applying != NULL || is_final (self, self->current))
    return FALSE;

  previous = g_ptr_array_steal_index (self->history, self->history->len - 1);
  set_current (self, previous, FALSE, TRUE);
  return TRUE;
}

/**
 * cm_wizard_cancel:
 *
 * Asks first when a page of the current flow (or, outside any flow, any
 * page) holds something the user typed. In a flow, resets the flow's pages
 * and goes back to the page the flow was entered from, or emits
 * #CmWizard::cancelled when there is none. Outside any flow, resets every
 * page, goes back to the first one and emits #CmWizard::cancelled.
 */
void
cm_wizard_cancel (CmWizard *self)
{
  g_return_if_fail (CM_IS_WIZARD (self));

  if (has_input (self, page_flow (self->current)))
    ask_before_cancel (self);
  else
    really_cancel (self);
}

/**
 * cm_wizard_reset:
 *
 * Empties every page built so far (the others are empty) and shows the
 * first one, with no history.
 */
void
cm_wizard_reset (CmWizard *self)
{
  g_return_if_fail (CM_IS_WIZARD (self));

  cancel_apply (self);
  for (guint i = 0; i < n_slots (self); i++)
    if (nth_slot (self, i)->page != NULL)
      cm_page_reset (nth_slot (self, i)->page);

  g_ptr_array_set_size (self->history, 0);
  if (n_slots (self) > 0 && nth_slot (self, 0)->page != NULL)
    set_current (self, nth_slot (self, 0)->page, FALSE, FALSE);
  update_buttons (self);
}

void
cm_wizard_set_menu_model (CmWizard   *self,
                          GMenuModel *menu_model)
{
  g_return_if_fail (CM_IS_WIZARD (self));

  cm_menu_button_set_menu_model_on_open (self->menu_button, menu_model);
  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), menu_model != NULL);
}

/**
 * cm_wizard_set_banner:
 * @banner: (nullable): a widget shown under the header bar on every page,
 *   such as the State's header once signed in; %NULL for none
 */
void
cm_wizard_set_banner (CmWizard  *self,
                      GtkWidget *banner)
{
  g_return_if_fail (CM_IS_WIZARD (self));
  g_return_if_fail (banner == NULL || GTK_IS_WIDGET (banner));

  adw_bin_set_child (self->banner_bin, banner);
}

/**
 * cm_wizard_add_toast:
 * @toast: (transfer full):
 */
void
cm_wizard_add_toast (CmWizard *self,
                     AdwToast *toast)
{
  g_return_if_fail (CM_IS_WIZARD (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * cm_wizard_get_next_button:
 *
 * Returns: (transfer none): the Next button, the window's default widget
 */
GtkWidget *
cm_wizard_get_next_button (CmWizard *self)
{
  g_return_val_if_fail (CM_IS_WIZARD (self), NULL);

  return self->next_button;
}

/**
 * cm_wizard_get_applying:
 *
 * Returns: whether a Next is under way (the current page is applying)
 */
gboolean
cm_wizard_get_applying (CmWizard *self)
{
  g_return_val_if_fail (CM_IS_WIZARD (self), FALSE);

  return self->applying != NULL;
}
