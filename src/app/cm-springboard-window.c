/* cm-springboard-window.c: the CARS e-Services business account
 * "springboard" (the State's slide 18, docs/account-access.md): the linked
 * accounts in a one-column GtkGridView over a search model, so thousands of
 * rows stay fast; search, details, remove access (asks first), Request Code
 * and Add Account Access for another account, Refresh and Log Off. The
 * widgets are in data/ui/cm-springboard-window.ui, the search in
 * cm-account-search.c and the rows in cm-account-row-pool.c.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-springboard-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-window.h"
#include "cm-account-details-dialog.h"
#include "cm-practice-inbox-button.h"
#include "cm-account-search.h"
#include "cm-account-row.h"
#include "cm-account-row-pool.h"
#include "cm-expiry-dialog.h"
#include "cm-page.h"
#include "cm-plain-text.h"
#include "cm-springboard-window.h"
#include "cm-springboard-window-private.h"
#include "cm-state-header.h"

struct _CmSpringboardWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkMenuButton        *add_button;
  GtkMenuButton        *menu_button;
  GtkWidget            *refresh_button;
  GtkWidget            *search_clamp;
  GtkSearchEntry       *search_entry;
  GtkStack             *stack;
  GtkGridView          *account_grid;
  GtkWidget            *empty_page;
  GtkWidget            *no_results_page;
  GMenuModel           *add_menu;
  GMenuModel           *primary_menu;
  CmStateHeader        *state_header;

  /* owned */
  CmSession            *session;
  char                 *account_type;   /* nullable: the login kind */
  CmAccountSearch      *search;
  GtkSingleSelection   *selection;
  CmAccountRowPool     *row_pool;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (CmSpringboardWindow, cm_springboard_window, ADW_TYPE_APPLICATION_WINDOW)

typedef enum {
  PROP_SESSION = 1,
  N_PROPS
} CmSpringboardWindowProperty;

static GParamSpec *obj_props[N_PROPS];

enum {
  SIGNAL_LOGGED_OFF,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_view (CmSpringboardWindow *self)
{
  guint n_all = g_list_model_get_n_items (cm_session_get_accounts (self->session));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->search));
  /* A search that waits for the keys of accounts that just arrived has
   * not found nothing yet. */
  gboolean found_none = n_shown == 0 && !cm_account_search_is_waiting (self->search);
  const char *page = n_all == 0 ? "empty" : found_none ? "no-results" : "list";
  gboolean list_had_focus = gtk_widget_has_focus (GTK_WIDGET (self->account_grid)) ||
                            gtk_widget_get_focus_child (GTK_WIDGET (self->account_grid)) != NULL;

  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_widget_set_visible (self->search_clamp, n_all > 0);
  /* The focus must not stay on a page that left the screen. */
  if (list_had_focus && !g_str_equal (page, "list") &&
      !gtk_widget_child_focus (gtk_stack_get_visible_child (self->stack), GTK_DIR_TAB_FORWARD) &&
      gtk_widget_get_visible (self->search_clamp))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
on_search_changed_cb (CmSpringboardWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (cm_account_search_set_text (self->search, text))
    update_view (self);
}

/* Escape in the search entry empties it. */
static void
on_stop_search_cb (CmSpringboardWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Enter in the search entry goes to the first account found. */
static void
on_search_activate_cb (CmSpringboardWindow *self)
{
  on_search_changed_cb (self);
  cm_account_search_finish_waiting (self->search);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->search)) > 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->account_grid));
}

static CmAccount *
find_account (CmSpringboardWindow *self,
              const char          *account_type,
              const char          *account_number)
{
  GListModel *accounts = cm_session_get_accounts (self->session);
  guint n = g_list_model_get_n_items (accounts);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmAccount) account = g_list_model_get_item (accounts, i);

      if (cm_account_matches (account, account_type, account_number))
        return account;
    }

  return NULL;
}

/* ---- remove access ------------------------------------------------------ */

static void
unlink_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CmSpringboardWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cm_session_unlink_account_finish (CM_SESSION (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cm_springboard_window_add_toast (self, cm_plain_toast_new (error->message));
      return;
    }

  cm_springboard_window_add_toast (self, cm_plain_toast_new (_("Account access removed")));
  update_view (self);
}

static void
on_remove_response_cb (AdwMessageDialog    *dialog,
                       const char          *response,
                       CmSpringboardWindow *self)
{
  const char *type = g_object_get_data (G_OBJECT (dialog), "cm-type");
  const char *number = g_object_get_data (G_OBJECT (dialog), "cm-number");

  if (g_strcmp0 (response, "remove") != 0)
    return;

  cm_session_unlink_account_async (self->session, type, number, self->cancellable, unlink_cb,
                                   g_object_ref (self));
}

static void
remove_access_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  const char *type = NULL;
  const char *number = NULL;

  g_variant_get (parameter, "(&s&s)", &type, &number);
  cm_springboard_window_ask_remove (CM_SPRINGBOARD_WINDOW (widget), type, number);
}

/* ---- details ------------------------------------------------------------ */

static void
on_details_remove_cb (CmSpringboardWindow *self,
                      CmAccount           *account)
{
  cm_springboard_window_ask_remove (self, cm_account_get_account_type (account),
                                    cm_account_get_account_number (account));
}

static void
on_activate_cb (GtkGridView         *account_grid,
                guint                position,
                CmSpringboardWindow *self)
{
  g_autoptr(CmAccount) account = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (account != NULL)
    cm_springboard_window_show_details (self, account);
}

/* ---- flows for another account ------------------------------------------ */

static void
on_flow_linked_cb (CmSpringboardWindow *self,
                   CmAccount           *account)
{
  g_autofree char *text = NULL;

  /* Translators: %s is an account number. */
  text = g_strdup_printf (_("Access to %s added"), cm_account_get_account_number (account));
  cm_springboard_window_add_toast (self, cm_plain_toast_new (text));
  update_view (self);
}

static void
request_code_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  cm_springboard_window_open_flow (CM_SPRINGBOARD_WINDOW (widget), "request-code", NULL);
}

static void
add_access_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  cm_springboard_window_open_flow (CM_SPRINGBOARD_WINDOW (widget), "add-access", NULL);
}

/* ---- refresh, search, log off ------------------------------------------- */

/* While the accounts load: a spinner in place of the icon, and no second
 * Refresh (F5 included: the action is off). */
static void
set_refreshing (CmSpringboardWindow *self,
                gboolean             refreshing)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", !refreshing);
  if (refreshing)
    {
      GtkWidget *spinner = gtk_spinner_new ();

      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_button_set_child (GTK_BUTTON (self->refresh_button), spinner);
    }
  else
    {
      gtk_button_set_icon_name (GTK_BUTTON (self->refresh_button), "view-refresh-symbolic");
    }
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->refresh_button), GTK_ACCESSIBLE_STATE_BUSY,
                               refreshing, -1);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CmSpringboardWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cm_session_refresh_accounts_finish (CM_SESSION (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the window is going */

  set_refreshing (self, FALSE);
  if (error != NULL)
    {
      AdwToast *toast = cm_plain_toast_new (error->message);

      /* Translators: the button of a message saying the accounts could not be refreshed. */
      adw_toast_set_button_label (toast, _("_Retry"));
      adw_toast_set_action_name (toast, "win.refresh");
      cm_springboard_window_add_toast (self, toast);
    }
  update_view (self);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CmSpringboardWindow *self = CM_SPRINGBOARD_WINDOW (widget);

  set_refreshing (self, TRUE);
  cm_session_refresh_accounts_async (self->session, self->cancellable, refresh_cb,
                                     g_object_ref (self));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CmSpringboardWindow *self = CM_SPRINGBOARD_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
sign_out_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CmSpringboardWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Signed out locally either way; a back-end that cannot be reached only
   * means the token dies by itself later. */
  if (!cm_session_sign_out_finish (CM_SESSION (object), result, &error))
    g_debug ("Log off: %s", error->message);

  g_signal_emit (self, signals[SIGNAL_LOGGED_OFF], 0);
}

static void
log_off_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CmSpringboardWindow *self = CM_SPRINGBOARD_WINDOW (widget);

  gtk_widget_action_set_enabled (widget, "win.log-off", FALSE);
  /* Not self->cancellable: closing the window must not stop the log off. */
  cm_session_sign_out_async (self->session, NULL, sign_out_cb, g_object_ref (self));
}

static void
on_shown_accounts_changed_cb (CmSpringboardWindow *self)
{
  update_view (self);
}

/* ---- GObject ------------------------------------------------------------ */

/* Tab and Shift+Tab leave the list in one step. GTK 4.8's grid view moves
 * Tab from row to row (through every account, 10,000 presses for 10,000);
 * the arrows are for that. The window is where a Tab press starts moving the
 * focus, so the list is taken out of the focus chain for that one move. */
static gboolean
cm_springboard_window_focus (GtkWidget        *widget,
                             GtkDirectionType  direction)
{
  CmSpringboardWindow *self = CM_SPRINGBOARD_WINDOW (widget);
  GtkWidget *list = GTK_WIDGET (self->account_grid);
  gboolean moved;

  if ((direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD) ||
      gtk_widget_get_focus_child (list) == NULL)
    return GTK_WIDGET_CLASS (cm_springboard_window_parent_class)->focus (widget, direction);

  gtk_widget_set_can_focus (list, FALSE);
  moved = GTK_WIDGET_CLASS (cm_springboard_window_parent_class)->focus (widget, direction);
  gtk_widget_set_can_focus (list, TRUE);
  return moved;
}

static void
cm_springboard_window_constructed (GObject *object)
{
  CmSpringboardWindow *self = CM_SPRINGBOARD_WINDOW (object);
  GListModel *accounts;

  G_OBJECT_CLASS (cm_springboard_window_parent_class)->constructed (object);

  g_assert (CM_IS_SESSION (self->session));
  accounts = cm_session_get_accounts (self->session);
  cm_state_header_set_session (self->state_header, self->session);

  self->search = cm_account_search_new (accounts);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->search)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->search, "items-changed", G_CALLBACK (on_shown_accounts_changed_cb),
                           self, G_CONNECT_SWAPPED);
  /* A search that waited may find nothing, which changes no item. */
  g_signal_connect_object (self->search, "notify::waiting", G_CALLBACK (on_shown_accounts_changed_cb),
                           self, G_CONNECT_SWAPPED);
  self->row_pool = cm_account_row_pool_new (accounts);
  gtk_grid_view_set_factory (self->account_grid, cm_account_row_pool_get_factory (self->row_pool));
  gtk_grid_view_set_model (self->account_grid, GTK_SELECTION_MODEL (self->selection));

  cm_expiry_watch (GTK_WINDOW (self), self->session, self->toast_overlay);
  update_view (self);
}

static void
cm_springboard_window_dispose (GObject *object)
{
  CmSpringboardWindow *self = CM_SPRINGBOARD_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* Before the grid view goes: no row is kept for later then. */
  g_clear_object (&self->row_pool);

  G_OBJECT_CLASS (cm_springboard_window_parent_class)->dispose (object);

  /* After the grid view is gone: it holds the selection. */
  g_clear_object (&self->selection);
  g_clear_object (&self->search);
  g_clear_object (&self->session);
  g_clear_pointer (&self->account_type, g_free);
}

static void
cm_springboard_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CmSpringboardWindow *self = CM_SPRINGBOARD_WINDOW (object);

  switch ((CmSpringboardWindowProperty) prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_springboard_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CmSpringboardWindow *self = CM_SPRINGBOARD_WINDOW (object);

  switch ((CmSpringboardWindowProperty) prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Opening with accounts, the focus starts on the list: arrows move between
 * them, Enter opens one, and typing still searches (the search entry captures
 * keys from the whole window). A focused search entry is also not reported
 * over AT-SPI by GTK 4.8, so a screen reader would not know where it is. */
static void
cm_springboard_window_map (GtkWidget *widget)
{
  CmSpringboardWindow *self = CM_SPRINGBOARD_WINDOW (widget);

  GTK_WIDGET_CLASS (cm_springboard_window_parent_class)->map (widget);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->account_grid));
}

static void
cm_springboard_window_class_init (CmSpringboardWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cm_springboard_window_constructed;
  object_class->dispose = cm_springboard_window_dispose;
  object_class->get_property = cm_springboard_window_get_property;
  object_class->set_property = cm_springboard_window_set_property;
  widget_class->focus = cm_springboard_window_focus;
  widget_class->map = cm_springboard_window_map;

  obj_props[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, obj_props);

  /**
   * CmSpringboardWindow::logged-off:
   *
   * Log Off finished: the back-end session is revoked (when it could be
   * reached) and the keyring item removed. The app goes back to sign-in.
   */
  signals[SIGNAL_LOGGED_OFF] = g_signal_new ("logged-off", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/carsmechanic/CarsMechanic/ui/"
                                               "cm-springboard-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CmSpringboardWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CmSpringboardWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, CmSpringboardWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, CmSpringboardWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, CmSpringboardWindow, search_clamp);
  gtk_widget_class_bind_template_child (widget_class, CmSpringboardWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CmSpringboardWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CmSpringboardWindow, account_grid);
  gtk_widget_class_bind_template_child (widget_class, CmSpringboardWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CmSpringboardWindow, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, CmSpringboardWindow, add_menu);
  gtk_widget_class_bind_template_child (widget_class, CmSpringboardWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, CmSpringboardWindow, state_header);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_cb);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.log-off", NULL, log_off_action);
  gtk_widget_class_install_action (widget_class, "win.request-code", NULL, request_code_action);
  gtk_widget_class_install_action (widget_class, "win.add-access", NULL, add_access_action);
  gtk_widget_class_install_action (widget_class, "win.remove-access", "(ss)",
                                   remove_access_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search",
                                       NULL);
}

static void
cm_springboard_window_init (CmSpringboardWindow *self)
{
  g_type_ensure (CM_TYPE_PRACTICE_INBOX_BUTTON);
  g_type_ensure (CM_TYPE_STATE_HEADER);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  /* The menus' popovers are made when they first open, not with the window. */
  cm_menu_button_set_menu_model_on_open (self->add_button, G_MENU_MODEL (self->add_menu));
  cm_menu_button_set_menu_model_on_open (self->menu_button, G_MENU_MODEL (self->primary_menu));
  /* Typing anywhere in the window searches. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  /* Descriptions are markup in libadwaita 1.2: text goes through cm-plain-text. */
  cm_plain_set_description (self->empty_page,
                            _("Request an authorization code for your account, then add "
                              "account access with it."));
  cm_plain_set_description (self->no_results_page, _("Try a different search."));
  cm_widget_fix_mnemonic_names (GTK_WIDGET (self));
}

/**
 * cm_springboard_window_new:
 * @application: (nullable): the app
 * @session: a signed-in session
 *
 * Returns: (transfer none): a new springboard window
 */
CmSpringboardWindow *
cm_springboard_window_new (GtkApplication *application,
                           CmSession      *session)
{
  g_return_val_if_fail (CM_IS_SESSION (session), NULL);

  return g_object_new (CM_TYPE_SPRINGBOARD_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);
}

/**
 * cm_springboard_window_set_account_type:
 * @account_type: (nullable): the login kind, the type Request Code and Add
 *   Account Access start with
 */
void
cm_springboard_window_set_account_type (CmSpringboardWindow *self,
                                        const char          *account_type)
{
  g_return_if_fail (CM_IS_SPRINGBOARD_WINDOW (self));

  g_free (self->account_type);
  self->account_type = g_strdup (account_type);
}

CmSession *
cm_springboard_window_get_session (CmSpringboardWindow *self)
{
  g_return_val_if_fail (CM_IS_SPRINGBOARD_WINDOW (self), NULL);

  return self->session;
}

/**
 * cm_springboard_window_get_model:
 *
 * Returns: (transfer none): the accounts the list shows (after the search)
 */
GListModel *
cm_springboard_window_get_model (CmSpringboardWindow *self)
{
  g_return_val_if_fail (CM_IS_SPRINGBOARD_WINDOW (self), NULL);

  return G_LIST_MODEL (self->search);
}

GtkGridView *
cm_springboard_window_get_account_grid (CmSpringboardWindow *self)
{
  g_return_val_if_fail (CM_IS_SPRINGBOARD_WINDOW (self), NULL);

  return self->account_grid;
}

void
cm_springboard_window_set_search_text (CmSpringboardWindow *self,
                                       const char          *text)
{
  g_return_if_fail (CM_IS_SPRINGBOARD_WINDOW (self));

  /* Replacing the text empties the entry first, and a search entry reports an
   * empty text at once: that would show every account before the new search. */
  g_signal_handlers_block_by_func (self->search_entry, on_search_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  g_signal_handlers_unblock_by_func (self->search_entry, on_search_changed_cb, self);
  /* Apply now rather than after the entry's typing delay. */
  on_search_changed_cb (self);
}

/**
 * cm_springboard_window_get_view:
 *
 * Returns: "list", "empty" or "no-results"
 */
const char *
cm_springboard_window_get_view (CmSpringboardWindow *self)
{
  g_return_val_if_fail (CM_IS_SPRINGBOARD_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * cm_springboard_window_ask_remove:
 *
 * Asks whether to remove access to an account; only "Remove Access" removes it.
 *
 * Returns: (transfer none) (nullable): the question, an #AdwMessageDialog
 */
GtkWidget *
cm_springboard_window_ask_remove (CmSpringboardWindow *self,
                                  const char          *account_type,
                                  const char          *account_number)
{
  CmAccount *account;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (CM_IS_SPRINGBOARD_WINDOW (self), NULL);

  account = find_account (self, account_type, account_number);
  if (account == NULL)
    return NULL;

  /* Translators: %s is an account number. */
  heading = g_strdup_printf (_("Remove Access to %s?"), account_number);
  /* Translators: %s is the name on an account. */
  body = g_strdup_printf (_("You will no longer manage the account of %s here. To add it again "
                            "you will need a new authorization code."),
                          cm_account_get_name (account));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  gtk_widget_set_name (dialog, "remove-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove Access"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "cm-type", g_strdup (account_type), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "cm-number", g_strdup (account_number), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

/**
 * cm_springboard_window_show_details:
 *
 * Returns: (transfer none): the details dialog, a #CmAccountDetailsDialog
 */
GtkWidget *
cm_springboard_window_show_details (CmSpringboardWindow *self,
                                    CmAccount           *account)
{
  CmAccountDetailsDialog *dialog;

  g_return_val_if_fail (CM_IS_SPRINGBOARD_WINDOW (self), NULL);
  g_return_val_if_fail (CM_IS_ACCOUNT (account), NULL);

  dialog = cm_account_details_dialog_new (GTK_WINDOW (self), account);
  g_signal_connect_object (dialog, "remove-access", G_CALLBACK (on_details_remove_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WIDGET (dialog);
}

/**
 * cm_springboard_window_open_flow:
 * @flow: "request-code" or "add-access"
 * @link: (nullable): an `io.github.carsmechanic:` link whose code fills Add
 *   Account Access (untrusted; never submitted by itself)
 *
 * Opens Request Code or Add Account Access for another account, in a
 * #CmAccessWindow on the flow's first step.
 */
void
cm_springboard_window_open_flow (CmSpringboardWindow *self,
                                 const char          *flow,
                                 const char          *link)
{
  CmAccessWindow *window;

  g_return_if_fail (CM_IS_SPRINGBOARD_WINDOW (self));

  window = cm_access_window_new (GTK_WINDOW (self), self->session, flow);
  cm_access_window_set_account_type (window, self->account_type);
  if (link != NULL)
    cm_access_window_open_link (window, link);
  g_signal_connect_object (window, "account-linked", G_CALLBACK (on_flow_linked_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

void
cm_springboard_window_add_toast (CmSpringboardWindow *self,
                                 AdwToast            *toast)
{
  g_return_if_fail (CM_IS_SPRINGBOARD_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
