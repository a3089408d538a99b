/* cm-page.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-error.h"
#include "cm-field-error-row.h"
#include "cm-page-private.h"
#include "cm-plain-text.h"

typedef struct
{
  /* owned */
  char         *title;
  char         *next_page;
  char         *flow;
  char         *step;
  char         *next_label;
  CmSession    *session;         /* nullable */
  GSettings    *settings;        /* nullable */
  GCancellable *apply_cancellable;  /* nullable: set while applying */
  /* row (borrowed) -> the GtkListBoxRow holding its message (borrowed, in the list) */
  GHashTable   *field_errors;
  /* cm_page_schedule_check(): the pause in typing before the page's check */
  guint         check_id;
  CmPageCheckFunc check;

  guint         complete : 1;
  guint         busy : 1;
} CmPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CmPage, cm_page, ADW_TYPE_BIN)

typedef enum {
  PROP_TITLE = 1,
  PROP_COMPLETE,
  PROP_BUSY,
  PROP_NEXT_PAGE,
  PROP_SESSION,
  PROP_SETTINGS,
  PROP_FLOW,
  PROP_STEP,
  PROP_NEXT_LABEL,
  N_PROPS
} CmPageProperty;

static GParamSpec *obj_props[N_PROPS];

static void
cm_page_dispose (GObject *object)
{
  CmPage *self = CM_PAGE (object);
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  /* An apply still in flight must not call back into a dead page. */
  if (priv->apply_cancellable != NULL)
    g_cancellable_cancel (priv->apply_cancellable);
  g_clear_object (&priv->apply_cancellable);
  g_clear_handle_id (&priv->check_id, g_source_remove);
  g_clear_pointer (&priv->field_errors, g_hash_table_unref);
  g_clear_object (&priv->session);
  g_clear_object (&priv->settings);

  G_OBJECT_CLASS (cm_page_parent_class)->dispose (object);
}

static void
cm_page_finalize (GObject *object)
{
  CmPage *self = CM_PAGE (object);
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_clear_pointer (&priv->title, g_free);
  g_clear_pointer (&priv->next_page, g_free);
  g_clear_pointer (&priv->flow, g_free);
  g_clear_pointer (&priv->step, g_free);
  g_clear_pointer (&priv->next_label, g_free);

  G_OBJECT_CLASS (cm_page_parent_class)->finalize (object);
}

static void
cm_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CmPage *self = CM_PAGE (object);
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  switch ((CmPageProperty) prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, priv->complete);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, priv->busy);
      break;
    case PROP_NEXT_PAGE:
      g_value_set_string (value, priv->next_page);
      break;
    case PROP_SESSION:
      g_value_set_object (value, priv->session);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, priv->settings);
      break;
    case PROP_FLOW:
      g_value_set_string (value, priv->flow);
      break;
    case PROP_STEP:
      g_value_set_string (value, priv->step);
      break;
    case PROP_NEXT_LABEL:
      g_value_set_string (value, priv->next_label);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CmPage *self = CM_PAGE (object);
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  switch ((CmPageProperty) prop_id)
    {
    case PROP_TITLE:
      cm_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_COMPLETE:
      cm_page_set_complete (self, g_value_get_boolean (value));
      break;
    case PROP_BUSY:
      cm_page_set_busy (self, g_value_get_boolean (value));
      break;
    case PROP_NEXT_PAGE:
      cm_page_set_next_page (self, g_value_get_string (value));
      break;
    case PROP_SESSION:
      priv->session = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      priv->settings = g_value_dup_object (value);
      break;
    case PROP_FLOW:
      priv->flow = g_value_dup_string (value);
      break;
    case PROP_STEP:
      priv->step = g_value_dup_string (value);
      break;
    case PROP_NEXT_LABEL:
      cm_page_set_next_label (self, g_value_get_string (value));
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_page_class_init (CmPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cm_page_dispose;
  object_class->finalize = cm_page_finalize;
  object_class->get_property = cm_page_get_property;
  object_class->set_property = cm_page_set_property;
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_GROUP);

  obj_props[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  obj_props[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  obj_props[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * CmPage:next-page:
   *
   * The name of the page Next goes to, when it is not simply the next visible one.
   */
  obj_props[PROP_NEXT_PAGE] =
    g_param_spec_string ("next-page", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  obj_props[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  obj_props[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CmPage:flow:
   *
   * The flow the page is a step of ("sign-up", "request-code", ...), or
   * %NULL for a page that stands alone. The wizard's step indicator lists
   * the steps of the current page's flow.
   */
  obj_props[PROP_FLOW] =
    g_param_spec_string ("flow", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CmPage:step:
   *
   * The slide's name for this step, translated ("ACCOUNT INFO"), shown by
   * the step indicator; %NULL for a page outside any flow.
   */
  obj_props[PROP_STEP] =
    g_param_spec_string ("step", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * CmPage:next-label:
   *
   * What the wizard's Next button says on this page, with a mnemonic
   * ("_Submit", "_OK"); %NULL for "Next".
   */
  obj_props[PROP_NEXT_LABEL] =
    g_param_spec_string ("next-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, obj_props);
}

static void
cm_page_init (CmPage *self)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  priv->field_errors = g_hash_table_new (NULL, NULL);
}

const char *
cm_page_get_title (CmPage *self)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_val_if_fail (CM_IS_PAGE (self), NULL);

  return priv->title;
}

void
cm_page_set_title (CmPage     *self,
                   const char *title)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_if_fail (CM_IS_PAGE (self));

  if (g_strcmp0 (priv->title, title) == 0)
    return;

  g_free (priv->title);
  priv->title = g_strdup (title);
  /* Screen readers (and the AT-SPI tests) find a page by its title. */
  if (title != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                    -1);
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_TITLE]);
}

gboolean
cm_page_get_complete (CmPage *self)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_val_if_fail (CM_IS_PAGE (self), FALSE);

  return priv->complete;
}

void
cm_page_set_complete (CmPage   *self,
                      gboolean  complete)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_if_fail (CM_IS_PAGE (self));

  complete = !!complete;
  if (priv->complete == complete)
    return;

  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_COMPLETE]);
}

gboolean
cm_page_get_busy (CmPage *self)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_val_if_fail (CM_IS_PAGE (self), FALSE);

  return priv->busy;
}

void
cm_page_set_busy (CmPage   *self,
                  gboolean  busy)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_if_fail (CM_IS_PAGE (self));

  busy = !!busy;
  if (priv->busy == busy)
    return;

  priv->busy = busy;
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_BUSY]);
}

const char *
cm_page_get_next_page (CmPage *self)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_val_if_fail (CM_IS_PAGE (self), NULL);

  return priv->next_page;
}

void
cm_page_set_next_page (CmPage     *self,
                       const char *next_page)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_if_fail (CM_IS_PAGE (self));

  if (g_strcmp0 (priv->next_page, next_page) == 0)
    return;

  g_free (priv->next_page);
  priv->next_page = g_strdup (next_page);
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_NEXT_PAGE]);
}

/**
 * cm_page_get_next_label:
 *
 * Returns: (nullable): what Next says on this page, %NULL for "Next"
 */
const char *
cm_page_get_next_label (CmPage *self)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_val_if_fail (CM_IS_PAGE (self), NULL);

  return priv->next_label;
}

void
cm_page_set_next_label (CmPage     *self,
                        const char *next_label)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_if_fail (CM_IS_PAGE (self));

  if (g_strcmp0 (priv->next_label, next_label) == 0)
    return;

  g_free (priv->next_label);
  priv->next_label = g_strdup (next_label);
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_NEXT_LABEL]);
}

/**
 * cm_page_get_flow:
 *
 * Returns: (nullable): the flow the page is a step of
 */
const char *
cm_page_get_flow (CmPage *self)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_val_if_fail (CM_IS_PAGE (self), NULL);

  return priv->flow;
}

/**
 * cm_page_get_step:
 *
 * Returns: (nullable): the slide's name for the step, translated
 */
const char *
cm_page_get_step (CmPage *self)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_val_if_fail (CM_IS_PAGE (self), NULL);

  return priv->step;
}

/**
 * cm_page_get_session:
 *
 * Returns: (transfer none) (nullable): the session the page works with
 */
CmSession *
cm_page_get_session (CmPage *self)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_val_if_fail (CM_IS_PAGE (self), NULL);

  return priv->session;
}

/**
 * cm_page_get_settings:
 *
 * Returns: (transfer none) (nullable): where the page keeps its draft
 */
GSettings *
cm_page_get_settings (CmPage *self)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_val_if_fail (CM_IS_PAGE (self), NULL);

  return priv->settings;
}

void
cm_page_shown (CmPage *self)
{
  g_return_if_fail (CM_IS_PAGE (self));

  if (CM_PAGE_GET_CLASS (self)->shown != NULL)
    CM_PAGE_GET_CLASS (self)->shown (self);
}

gboolean
cm_page_has_input (CmPage *self)
{
  g_return_val_if_fail (CM_IS_PAGE (self), FALSE);

  if (CM_PAGE_GET_CLASS (self)->has_input != NULL)
    return CM_PAGE_GET_CLASS (self)->has_input (self);

  return FALSE;
}

void
cm_page_reset (CmPage *self)
{
  g_return_if_fail (CM_IS_PAGE (self));

  cm_page_cancel_check (self);
  cm_page_clear_field_errors (self);
  if (CM_PAGE_GET_CLASS (self)->reset != NULL)
    CM_PAGE_GET_CLASS (self)->reset (self);
}

/* ---- apply -------------------------------------------------------------- */

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CmPage *self = CM_PAGE (object);
  g_autoptr(GTask) task = user_data;
  CmPagePrivate *priv = cm_page_get_instance_private (self);
  g_autoptr(GError) error = NULL;

  g_clear_object (&priv->apply_cancellable);
  cm_page_set_busy (self, FALSE);

  if (!CM_PAGE_GET_CLASS (self)->apply_finish (self, result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_outer_cancelled_cb (GCancellable *outer,
                       GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

/**
 * cm_page_apply_async:
 *
 * Runs the page's @apply_async with a cancellable of its own (cancelled when
 * the page is disposed or @cancellable is), keeping #CmPage:busy set meanwhile.
 */
void
cm_page_apply_async (CmPage              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CM_IS_PAGE (self));
  g_return_if_fail (priv->apply_cancellable == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_page_apply_async);

  if (CM_PAGE_GET_CLASS (self)->apply_async == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  priv->apply_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (on_outer_cancelled_cb),
                           g_object_ref (priv->apply_cancellable), g_object_unref);
  cm_page_set_busy (self, TRUE);
  cm_page_clear_field_errors (self);
  CM_PAGE_GET_CLASS (self)->apply_async (self, priv->apply_cancellable, apply_cb,
                                         g_steal_pointer (&task));
}

gboolean
cm_page_apply_finish (CmPage        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (CM_IS_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_page_apply_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- helpers ------------------------------------------------------------ */

/**
 * cm_page_add_toast:
 * @toast: (transfer full):
 *
 * Shows @toast in the nearest #AdwToastOverlay above the page (the wizard's).
 */
void
cm_page_add_toast (CmPage   *self,
                   AdwToast *toast)
{
  GtkWidget *overlay;

  g_return_if_fail (CM_IS_PAGE (self));

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      g_debug ("No toast overlay: %s", adw_toast_get_title (toast));
      g_object_unref (toast);
      return;
    }

  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/**
 * cm_page_show_error_toast:
 * @with_retry: offer Retry, which presses Next again
 *
 * For errors that name no field: a back-end that is down or slow, a keyring
 * failure. Cancellation is never shown.
 */
void
cm_page_show_error_toast (CmPage       *self,
                          const GError *error,
                          gboolean      with_retry)
{
  AdwToast *toast;

  g_return_if_fail (CM_IS_PAGE (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  toast = cm_plain_toast_new (error->message);
  adw_toast_set_timeout (toast, with_retry ? 0 : 5);
  if (with_retry)
    {
      /* Translators: the button of a message saying the back-end did not answer. */
      adw_toast_set_button_label (toast, _("_Retry"));
      adw_toast_set_action_name (toast, "wizard.next");
    }
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  cm_page_add_toast (self, toast);
}

/**
 * cm_page_set_field_error:
 * @row: a row of the page, usually an #AdwEntryRow in a boxed list
 * @message: (nullable): the message, or %NULL to clear it
 *
 * Marks @row as invalid and shows @message under it (cm_field_errors_show()).
 */
void
cm_page_set_field_error (CmPage     *self,
                         GtkWidget  *row,
                         const char *message)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_if_fail (CM_IS_PAGE (self));
  g_return_if_fail (GTK_IS_WIDGET (row));

  cm_field_errors_show (priv->field_errors, row, message);
}

static gboolean
scheduled_check_cb (gpointer user_data)
{
  CmPage *self = CM_PAGE (user_data);
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  priv->check_id = 0;
  priv->check (self);
  return G_SOURCE_REMOVE;
}

/**
 * cm_page_schedule_check:
 * @check: what shows the page's verdicts (with cm_page_show_check())
 *
 * Calls @check once the user has paused typing for CM_PAGE_VALIDATE_DELAY_MS
 * (messages wait for a pause, as in gnome-initial-setup): each call starts
 * the pause again. A reset or cm_page_cancel_check() drops it.
 */
void
cm_page_schedule_check (CmPage          *self,
                        CmPageCheckFunc  check)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_if_fail (CM_IS_PAGE (self));
  g_return_if_fail (check != NULL);

  g_clear_handle_id (&priv->check_id, g_source_remove);
  priv->check = check;
  priv->check_id = g_timeout_add (CM_PAGE_VALIDATE_DELAY_MS, scheduled_check_cb, self);
}

void
cm_page_cancel_check (CmPage *self)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_if_fail (CM_IS_PAGE (self));

  g_clear_handle_id (&priv->check_id, g_source_remove);
}

/**
 * cm_page_show_check:
 * @row: an editable row of the page
 * @error: (nullable): why a validator refused the row's text, or %NULL when it passed
 *
 * Shows a validator's verdict on @row as the user types: the message, or
 * none. A row still empty says nothing (nobody wants red before typing).
 */
void
cm_page_show_check (CmPage       *self,
                    GtkWidget    *row,
                    const GError *error)
{
  g_return_if_fail (CM_IS_PAGE (self));
  g_return_if_fail (GTK_IS_EDITABLE (row));

  if (*gtk_editable_get_text (GTK_EDITABLE (row)) == '\0')
    return;
  cm_page_set_field_error (self, row, error != NULL ? error->message : NULL);
}

void
cm_page_clear_field_errors (CmPage *self)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_if_fail (CM_IS_PAGE (self));

  if (priv->field_errors != NULL)
    cm_field_errors_clear (priv->field_errors);
}

/* The first of @rows in the order of the tree under @widget (the layout's). */
static GtkWidget *
first_in_tree (GtkWidget  *widget,
               GHashTable *rows)
{
  if (g_hash_table_contains (rows, widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = first_in_tree (child, rows);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/**
 * cm_page_focus_first_error:
 *
 * Moves focus to the first field in error, in the order of the layout
 * (a scrolled page scrolls it into view).
 *
 * Returns: %FALSE when no field is in error
 */
gboolean
cm_page_focus_first_error (CmPage *self)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);
  GtkWidget *row;

  g_return_val_if_fail (CM_IS_PAGE (self), FALSE);

  if (priv->field_errors == NULL || g_hash_table_size (priv->field_errors) == 0)
    return FALSE;

  row = first_in_tree (GTK_WIDGET (self), priv->field_errors);
  return row != NULL && gtk_widget_grab_focus (row);
}

/**
 * cm_page_focus_first_field:
 *
 * Moves focus to the first control of the page that takes it, as Tab from
 * the top of the page would.
 *
 * Returns: %FALSE when nothing on the page takes focus (or the page is in
 *   no window)
 */
gboolean
cm_page_focus_first_field (CmPage *self)
{
  GtkRoot *root;

  g_return_val_if_fail (CM_IS_PAGE (self), FALSE);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (root == NULL)
    return FALSE;

  /* From nowhere, so Tab starts at the top of the page. */
  gtk_root_set_focus (root, NULL);
  return gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

/**
 * cm_page_get_field_error:
 * @row: a row of the page
 *
 * Returns: (transfer none) (nullable): the widget showing @row's message
 *   (a row under it, or @row itself with a tooltip), %NULL without one
 */
GtkWidget *
cm_page_get_field_error (CmPage    *self,
                         GtkWidget *row)
{
  CmPagePrivate *priv = cm_page_get_instance_private (self);

  g_return_val_if_fail (CM_IS_PAGE (self), NULL);

  return priv->field_errors != NULL ? g_hash_table_lookup (priv->field_errors, row) : NULL;
}

/**
 * cm_widget_fix_mnemonic_names:
 * @widget: the top of a widget tree
 *
 * GTK 4.8 gives a button with a mnemonic label two accessible names, joined:
 * its raw label ("_Next") as the label property, plus the text of the label
 * child it is labelled by ("Next"), so AT-SPI reads "_Next Next". Dropping
 * the property leaves the visible words, which is what the slides call each
 * control. Also names password reveal buttons ("Show Password", "Hide
 * Password"), hides libadwaita's decorative row icons from screen readers
 * and makes every text field of a page activate the default.
 */
static void
name_reveal_button (GtkButton *button)
{
  /* The icon shows what a click does next. */
  gboolean reveals = g_strcmp0 (gtk_button_get_icon_name (button), "view-conceal-symbolic") != 0;

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  reveals ? _("Show Password") : _("Hide Password"),
                                  -1);
}

static gboolean
in_password_row (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (ADW_IS_PASSWORD_ENTRY_ROW (w))
      return TRUE;

  return FALSE;
}

static gboolean
in_row (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (ADW_IS_PREFERENCES_ROW (w))
      return TRUE;

  return FALSE;
}

/* libadwaita 1.2's reveal button has only an icon, so AT-SPI reads
 * "GtkImage": name it for what it does. */
static void
fix_reveal_buttons (GtkWidget *widget)
{
  const char *icon;

  if (!GTK_IS_BUTTON (widget) || !in_password_row (widget) ||
      g_object_get_data (G_OBJECT (widget), "cm-reveal-named") != NULL)
    return;

  icon = gtk_button_get_icon_name (GTK_BUTTON (widget));
  if (g_strcmp0 (icon, "view-reveal-symbolic") != 0 &&
      g_strcmp0 (icon, "view-conceal-symbolic") != 0)
    return;

  g_object_set_data (G_OBJECT (widget), "cm-reveal-named", GINT_TO_POINTER (TRUE));
  name_reveal_button (GTK_BUTTON (widget));
  g_signal_connect (widget, "notify::icon-name", G_CALLBACK (name_reveal_button), NULL);
}

static gboolean
hide_from_screen_readers (gpointer widget)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  return G_SOURCE_REMOVE;
}

/* gtk_widget_map () unhides a widget after its map handlers ran: hide it
 * again first thing after, before the main loop answers a screen reader. */
static void
hide_again_once_mapped (GtkWidget *widget)
{
  g_idle_add_full (G_PRIORITY_HIGH, hide_from_screen_readers, g_object_ref (widget),
                   g_object_unref);
}

/* libadwaita 1.2's rows draw unnamed icons of their own (the entry row's
 * pencil, the combo row's arrow) that AT-SPI reads as "GtkImage". They only
 * decorate a row already named by its title: hide them from screen readers,
 * also each time libadwaita shows one again. */
static void
hide_row_icons (GtkWidget *widget)
{
  if (!GTK_IS_IMAGE (widget) ||
      !in_row (widget) ||
      gtk_widget_get_ancestor (widget, GTK_TYPE_BUTTON) != NULL ||
      g_object_get_data (G_OBJECT (widget), "cm-icon-hidden") != NULL)
    return;

  g_object_set_data (G_OBJECT (widget), "cm-icon-hidden", GINT_TO_POINTER (TRUE));
  hide_from_screen_readers (widget);
  g_signal_connect (widget, "map", G_CALLBACK (hide_again_once_mapped), NULL);
}

/* Enter in any field of a page presses the default widget (Next), as in
 * the fields a page forgot to mark. */
static void
activate_default (GtkWidget *widget)
{
  if (GTK_IS_TEXT (widget))
    gtk_text_set_activates_default (GTK_TEXT (widget), TRUE);
}

void
cm_widget_fix_mnemonic_names (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  fix_reveal_buttons (widget);
  hide_row_icons (widget);
  if (gtk_widget_get_ancestor (widget, CM_TYPE_PAGE) != NULL)
    activate_default (widget);

  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget)) &&
      gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cm_widget_fix_mnemonic_names (child);
}

static void
create_menu_popup_cb (GtkMenuButton *button,
                      gpointer       menu_model)
{
  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu_model));
}

/**
 * cm_menu_button_set_menu_model_on_open:
 * @menu_model: (nullable): the menu
 *
 * As gtk_menu_button_set_menu_model(), but the popover is made when the menu
 * first opens (a click, Enter, F10): a window's first frame does not show it,
 * and each costs about 3 M instructions (docs/benchmarks.md, "Issue 16").
 */
void
cm_menu_button_set_menu_model_on_open (GtkMenuButton *button,
                                       GMenuModel    *menu_model)
{
  g_return_if_fail (GTK_IS_MENU_BUTTON (button));
  g_return_if_fail (menu_model == NULL || G_IS_MENU_MODEL (menu_model));

  gtk_menu_button_set_menu_model (button, NULL);
  if (menu_model == NULL)
    gtk_menu_button_set_create_popup_func (button, NULL, NULL, NULL);
  else
    gtk_menu_button_set_create_popup_func (button, create_menu_popup_cb,
                                           g_object_ref (menu_model), g_object_unref);
}

/**
 * cm_entry_row_set_placeholder:
 * @text: what the empty field shows once the row's title has moved up
 *
 * AdwEntryRow 1.2 has no placeholder of its own; its text widget has one.
 */
void
cm_entry_row_set_placeholder (AdwEntryRow *row,
                              const char  *text)
{
  GtkEditable *delegate;

  g_return_if_fail (ADW_IS_ENTRY_ROW (row));

  delegate = gtk_editable_get_delegate (GTK_EDITABLE (row));
  if (!GTK_IS_TEXT (delegate))
    return;
  gtk_text_set_placeholder_text (GTK_TEXT (delegate), text);
  /* On the typed text's baseline, under the row's title, not centred over it. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (delegate)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      gtk_widget_set_valign (child, GTK_ALIGN_END);
}
