/* cm-springboard-window.c: the CARS e-Services business account
 * "springboard" (the State's slide 18, docs/account-access.md): the linked
 * accounts in a GtkListView over a filter model, so thousands of rows stay
 * fast; search, details, remove access (asks first), Request Code and Add
 * Account Access for another account, Refresh and Log Off.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-springboard-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-window.h"
#include "cm-account-row.h"
#include "cm-expiry-dialog.h"
#include "cm-page.h"
#include "cm-plain-text.h"
#include "cm-springboard-window.h"

struct _CmSpringboardWindow
{
  AdwApplicationWindow  parent_instance;

  /* widgets (owned by the widget tree) */
  AdwToastOverlay      *toast_overlay;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkLabel             *welcome_label;
  GtkStack             *stack;
  GtkListView          *list_view;
  GtkWidget            *refresh_button;

  /* owned */
  CmSession            *session;
  GtkCustomFilter      *filter;
  GtkFilterListModel   *filter_model;
  GtkSingleSelection   *selection;
  GCancellable         *cancellable;
  char                 *search_folded;   /* nullable: the folded search text */
  GPtrArray            *spare_rows;      /* CmAccountRow the list view let go of */
  guint                 warm_up_id;      /* the idle that makes spare rows and search keys */
  guint                 warm_up_next;    /* the next account whose search key it makes */
};

/* GTK 4.8's list view makes a new row for every item a search or a refresh
 * brings in (up to about 200 at a time) before it destroys the rows of the
 * items that leave. Rows it lets go of are kept for the rows it asks for
 * next, and while the window is idle it makes enough of them for one such
 * change, so even the first search does not build rows. */
#define MAX_SPARE_ROWS 250
#define WARM_UP_ROWS 200
#define WARM_UP_ROWS_PER_IDLE 4
#define WARM_UP_KEYS_PER_IDLE 500

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

static GQuark
search_key_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("cm-springboard-search-key");
  return quark;
}

/* What a search compares: case-folded, then without accents and other
 * combining marks (compatibility decomposition), so "jose" finds "José",
 * "strasse" finds "Straße" and an Arabic word matches with or without its
 * diacritics. */
static char *
fold_for_search (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *decomposed = NULL;
  GString *out;

  if (g_str_is_ascii (folded))
    return g_steal_pointer (&folded);
  decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_steal_pointer (&folded);

  out = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* Everything a search can match in one account, folded once and kept on the
 * account: folding six fields of every account on every keystroke was most of
 * the filter's cost with 10,000 accounts. Fields are joined with a newline,
 * which nobody types into the search entry, so a match never spans two. */
static const char *
account_search_key (CmAccount *account)
{
  const char *key = g_object_get_qdata (G_OBJECT (account), search_key_quark ());

  if (key == NULL)
    {
      const char *status = cm_account_get_status (account);
      g_autofree char *joined = NULL;
      char *folded;

      joined = g_strjoin ("\n",
                          cm_account_get_account_number (account) ?: "",
                          cm_account_get_name (account) ?: "",
                          cm_account_get_city (account) ?: "",
                          status ?: "",
                          cm_account_status_get_label (status) ?: "",
                          cm_account_type_get_label (cm_account_get_account_type (account)) ?: "",
                          NULL);
      folded = fold_for_search (joined);
      g_object_set_qdata_full (G_OBJECT (account), search_key_quark (), folded, g_free);
      key = folded;
    }

  return key;
}

static gboolean
filter_account_cb (gpointer item,
                   gpointer user_data)
{
  CmSpringboardWindow *self = user_data;

  if (self->search_folded == NULL)
    return TRUE;

  return strstr (account_search_key (CM_ACCOUNT (item)), self->search_folded) != NULL;
}

static GtkWidget *
build_empty_page (void)
{
  GtkWidget *page = adw_status_page_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *request = gtk_button_new_with_mnemonic (_("_Request Code"));
  GtkWidget *add = gtk_button_new_with_mnemonic (_("_Add Account Access"));

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "contact-new-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("No Linked Accounts"));
  cm_plain_set_description (page, _("Request an authorization code for your account, then add "
                                    "account access with it."));
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (request), "win.request-code");
  gtk_widget_add_css_class (request, "pill");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "win.add-access");
  gtk_widget_add_css_class (add, "pill");
  gtk_widget_add_css_class (add, "suggested-action");
  gtk_box_append (GTK_BOX (buttons), request);
  gtk_box_append (GTK_BOX (buttons), add);
  adw_status_page_set_child (ADW_STATUS_PAGE (page), buttons);

  return page;
}

static GtkWidget *
build_no_results_page (void)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "system-search-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("No Results Found"));
  cm_plain_set_description (page, _("Try a different search."));

  return page;
}

/* The empty and no-results pages are made the first time they are shown:
 * most windows never show them, and measuring them (icons, wrapped
 * descriptions) made the window's first frame longer. */
static void
show_page (CmSpringboardWindow *self,
           const char          *name)
{
  if (gtk_stack_get_child_by_name (self->stack, name) == NULL)
    {
      GtkWidget *page = g_str_equal (name, "empty") ? build_empty_page ()
                                                    : build_no_results_page ();

      cm_widget_fix_mnemonic_names (page);
      gtk_stack_add_named (self->stack, page, name);
    }
  gtk_stack_set_visible_child_name (self->stack, name);
}

static void
update_view (CmSpringboardWindow *self)
{
  guint n_all = g_list_model_get_n_items (cm_session_get_accounts (self->session));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));

  if (n_all == 0)
    show_page (self, "empty");
  else if (n_shown == 0)
    show_page (self, "no-results");
  else
    show_page (self, "list");
}

static void
on_search_changed_cb (CmSpringboardWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *previous = g_steal_pointer (&self->search_folded);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  if (*stripped != '\0')
    self->search_folded = fold_for_search (stripped);
  /* The same search (a space typed, or the entry's own delayed signal after
   * cm_springboard_window_set_search_text()): nothing to filter again. */
  if (g_strcmp0 (previous, self->search_folded) == 0)
    return;
  /* Typing on only narrows the list: GTK then filters just what is still shown. */
  if (previous == NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->search_folded == NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else if (strstr (self->search_folded, previous) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (strstr (previous, self->search_folded) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  update_view (self);
}

/* The list view lets go of a row by taking it out of its list item (the
 * "teardown" signal comes after that, with the row gone). */
static void
on_row_parent_cb (CmSpringboardWindow *self,
                  GParamSpec          *pspec,
                  GtkWidget           *row)
{
  if (gtk_widget_get_parent (row) != NULL || self->spare_rows == NULL ||
      self->spare_rows->len >= MAX_SPARE_ROWS)
    return;

  g_ptr_array_add (self->spare_rows, g_object_ref (row));
}

static GtkWidget *
new_row (CmSpringboardWindow *self)
{
  GtkWidget *row = GTK_WIDGET (cm_account_row_new ());

  g_signal_connect_object (row, "notify::parent", G_CALLBACK (on_row_parent_cb), self,
                           G_CONNECT_SWAPPED);
  return row;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CmSpringboardWindow      *self)
{
  GtkWidget *row;

  if (self->spare_rows != NULL && self->spare_rows->len > 0)
    {
      row = g_ptr_array_steal_index_fast (self->spare_rows, self->spare_rows->len - 1);
      gtk_list_item_set_child (item, row);
      g_object_unref (row);
      return;
    }

  gtk_list_item_set_child (item, new_row (self));
}

/* While the window is idle: spare rows for the next change of the list (no
 * more than there are accounts), then the search key of every account, a few
 * at a time so no turn of the main loop takes long. */
static gboolean
warm_up_cb (gpointer data)
{
  CmSpringboardWindow *self = data;
  GListModel *accounts = cm_session_get_accounts (self->session);
  guint n = g_list_model_get_n_items (accounts);
  guint rows = MIN (n, WARM_UP_ROWS);

  if (self->spare_rows->len < rows)
    {
      for (guint i = 0; i < WARM_UP_ROWS_PER_IDLE && self->spare_rows->len < rows; i++)
        g_ptr_array_add (self->spare_rows, g_object_ref_sink (new_row (self)));
      return G_SOURCE_CONTINUE;
    }

  for (guint i = 0; i < WARM_UP_KEYS_PER_IDLE && self->warm_up_next < n; i++)
    {
      g_autoptr(CmAccount) account = g_list_model_get_item (accounts, self->warm_up_next++);

      account_search_key (account);
    }
  if (self->warm_up_next < n)
    return G_SOURCE_CONTINUE;

  self->warm_up_id = 0;
  return G_SOURCE_REMOVE;
}

static void
on_accounts_changed_cb (CmSpringboardWindow *self,
                        guint                position)
{
  self->warm_up_next = MIN (self->warm_up_next, position);
  if (self->warm_up_id == 0)
    self->warm_up_id = g_idle_add_full (G_PRIORITY_LOW, warm_up_cb, self, NULL);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  cm_account_row_set_account (CM_ACCOUNT_ROW (gtk_list_item_get_child (item)),
                              gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  cm_account_row_set_account (CM_ACCOUNT_ROW (gtk_list_item_get_child (item)), NULL);
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
on_details_response_cb (AdwMessageDialog    *dialog,
                        const char          *response,
                        CmSpringboardWindow *self)
{
  CmAccount *account = g_object_get_data (G_OBJECT (dialog), "cm-account");

  if (g_strcmp0 (response, "remove") == 0)
    cm_springboard_window_ask_remove (self, cm_account_get_account_type (account),
                                      cm_account_get_account_number (account));
}

static void
on_activate_cb (GtkListView         *list_view,
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

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CmSpringboardWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (self->refresh_button, TRUE);
  if (!cm_session_refresh_accounts_finish (CM_SESSION (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cm_springboard_window_add_toast (self, cm_plain_toast_new (error->message));
  update_view (self);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CmSpringboardWindow *self = CM_SPRINGBOARD_WINDOW (widget);

  gtk_widget_set_sensitive (self->refresh_button, FALSE);
  cm_session_refresh_accounts_async (self->session, self->cancellable, refresh_cb,
                                     g_object_ref (self));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CmSpringboardWindow *self = CM_SPRINGBOARD_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
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
on_items_changed_cb (CmSpringboardWindow *self)
{
  update_view (self);
}

/* ---- GObject ------------------------------------------------------------ */

/* A menu's popover is made when it first opens, not with the window. */
static void
create_menu_popup_cb (GtkMenuButton *button,
                      gpointer       menu)
{
  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

static GtkWidget *
build_content (CmSpringboardWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *title = adw_window_title_new (_("Springboard"), NULL);
  GtkWidget *add_button;
  GtkWidget *search_button;
  GtkWidget *menu_button;
  GtkWidget *log_off_button;
  GtkWidget *scrolled;
  GtkListItemFactory *factory;
  g_autoptr(GMenu) add_menu = g_menu_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);

  g_menu_append (add_menu, _("_Add Account Access"), "win.add-access");
  g_menu_append (add_menu, _("_Request Code"), "win.request-code");
  add_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (add_button), "list-add-symbolic");
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (add_button), create_menu_popup_cb,
                                         g_object_ref (add_menu), g_object_unref);
  gtk_widget_set_tooltip_text (add_button, _("Another Account"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (add_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Another Account"), -1);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), add_button);

  self->refresh_button = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->refresh_button), "win.refresh");
  gtk_widget_set_tooltip_text (self->refresh_button, _("Refresh"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->refresh_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Refresh"), -1);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->refresh_button);

  g_menu_append (section, _("_Preferences"), "app.preferences");
  {
    g_autoptr(GMenuItem) inbox = g_menu_item_new (_("Practice _Inbox"), "app.practice-inbox");

    g_menu_item_set_attribute (inbox, "hidden-when", "s", "action-disabled");
    g_menu_append_item (section, inbox);
  }
  g_menu_append (section, _("_Keyboard Shortcuts"), "win.show-help-overlay");
  g_menu_append (section, _("_About CARS Mechanic"), "app.about");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "open-menu-symbolic");
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (menu_button), create_menu_popup_cb,
                                         g_object_ref (menu), g_object_unref);
  gtk_menu_button_set_primary (GTK_MENU_BUTTON (menu_button), TRUE);
  gtk_widget_set_tooltip_text (menu_button, _("Main Menu"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Main Menu"), -1);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), menu_button);

  log_off_button = gtk_button_new_with_mnemonic (_("_Log Off"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (log_off_button), "win.log-off");
  gtk_widget_set_name (log_off_button, "log-off-button");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), log_off_button);

  search_button = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (search_button), "system-search-symbolic");
  gtk_widget_set_tooltip_text (search_button, _("Search"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (search_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search"), -1);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), search_button);
  gtk_box_append (GTK_BOX (box), header);

  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_search_entry_set_search_delay (self->search_entry, 150);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search Accounts"), -1);
  g_object_set (self->search_entry, "placeholder-text",
                _("Search by number, name, city or status"), NULL);
  gtk_widget_set_hexpand (GTK_WIDGET (self->search_entry), TRUE);
  g_signal_connect_swapped (self->search_entry, "search-changed",
                            G_CALLBACK (on_search_changed_cb), self);
  self->search_bar = GTK_SEARCH_BAR (gtk_search_bar_new ());
  gtk_search_bar_set_child (self->search_bar, GTK_WIDGET (self->search_entry));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  g_object_bind_property (search_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->search_bar));

  self->welcome_label = GTK_LABEL (gtk_label_new (
    _("Congratulations, you have reached your CARS e-Services business account "
      "“springboard.” This is where you will view and manage your business accounts "
      "associated with the Michigan Department of State. Always remember to log off when you "
      "are finished.")));
  gtk_label_set_wrap (self->welcome_label, TRUE);
  gtk_label_set_xalign (self->welcome_label, 0.0);
  gtk_widget_set_margin_top (GTK_WIDGET (self->welcome_label), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->welcome_label), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->welcome_label), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self->welcome_label), 18);
  gtk_widget_set_name (GTK_WIDGET (self->welcome_label), "welcome-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->welcome_label));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  self->list_view = GTK_LIST_VIEW (gtk_list_view_new (g_object_ref (GTK_SELECTION_MODEL (
                                                        self->selection)), factory));
  gtk_list_view_set_single_click_activate (self->list_view, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list_view), "rich-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Linked Accounts"), -1);
  g_signal_connect (self->list_view, "activate", G_CALLBACK (on_activate_cb), self);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list_view));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_stack_add_named (self->stack, scrolled, "list");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  self->toast_overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toast_overlay, box);

  return GTK_WIDGET (self->toast_overlay);
}

static void
cm_springboard_window_constructed (GObject *object)
{
  CmSpringboardWindow *self = CM_SPRINGBOARD_WINDOW (object);
  GListModel *accounts;

  G_OBJECT_CLASS (cm_springboard_window_parent_class)->constructed (object);

  g_assert (CM_IS_SESSION (self->session));
  accounts = cm_session_get_accounts (self->session);

  self->filter = gtk_custom_filter_new (filter_account_cb, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (accounts),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (accounts, "items-changed", G_CALLBACK (on_accounts_changed_cb), self,
                           G_CONNECT_SWAPPED);
  on_accounts_changed_cb (self, 0);
  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (on_items_changed_cb),
                           self, G_CONNECT_SWAPPED);

  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), build_content (self));
  cm_widget_fix_mnemonic_names (GTK_WIDGET (self));
  cm_expiry_watch (GTK_WINDOW (self), self->session, self->toast_overlay);
  update_view (self);
}

static void
cm_springboard_window_dispose (GObject *object)
{
  CmSpringboardWindow *self = CM_SPRINGBOARD_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* Before the list view goes: no row is kept for later then. */
  g_clear_handle_id (&self->warm_up_id, g_source_remove);
  g_clear_pointer (&self->spare_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cm_springboard_window_parent_class)->dispose (object);

  /* After the list view is gone: it holds the selection. */
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->session);
}

static void
cm_springboard_window_finalize (GObject *object)
{
  CmSpringboardWindow *self = CM_SPRINGBOARD_WINDOW (object);

  g_clear_pointer (&self->search_folded, g_free);

  G_OBJECT_CLASS (cm_springboard_window_parent_class)->finalize (object);
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

static void
cm_springboard_window_class_init (CmSpringboardWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cm_springboard_window_constructed;
  object_class->dispose = cm_springboard_window_dispose;
  object_class->finalize = cm_springboard_window_finalize;
  object_class->get_property = cm_springboard_window_get_property;
  object_class->set_property = cm_springboard_window_set_property;

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
  self->cancellable = g_cancellable_new ();
  self->spare_rows = g_ptr_array_new_with_free_func (g_object_unref);
  /* Translators: the title of the springboard window, as a window list shows it. */
  gtk_window_set_title (GTK_WINDOW (self), _("Springboard – CARS Mechanic"));
  gtk_window_set_default_size (GTK_WINDOW (self), 720, 640);
  gtk_widget_set_size_request (GTK_WIDGET (self), 360, 294);
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

  return G_LIST_MODEL (self->filter_model);
}

GtkListView *
cm_springboard_window_get_list_view (CmSpringboardWindow *self)
{
  g_return_val_if_fail (CM_IS_SPRINGBOARD_WINDOW (self), NULL);

  return self->list_view;
}

void
cm_springboard_window_set_search_text (CmSpringboardWindow *self,
                                       const char          *text)
{
  g_return_if_fail (CM_IS_SPRINGBOARD_WINDOW (self));

  gtk_search_bar_set_search_mode (self->search_bar, text != NULL && *text != '\0');
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
 * Returns: (transfer none): the details dialog
 */
GtkWidget *
cm_springboard_window_show_details (CmSpringboardWindow *self,
                                    CmAccount           *account)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *linked = NULL;
  g_autofree char *expires = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (CM_IS_SPRINGBOARD_WINDOW (self), NULL);
  g_return_val_if_fail (CM_IS_ACCOUNT (account), NULL);

  linked = cm_account_format_date (cm_account_get_linked_at (account));
  expires = cm_account_format_date (cm_account_get_certificate_expires (account));
  g_string_append_printf (body, "%s: %s\n", _("Account Type"),
                          cm_account_type_get_label (cm_account_get_account_type (account)));
  g_string_append_printf (body, "%s: %s\n", _("Account Number"),
                          cm_account_get_account_number (account));
  g_string_append_printf (body, "%s: %s\n", _("City"),
                          cm_account_get_city (account) ? cm_account_get_city (account) : "");
  g_string_append_printf (body, "%s: %s", _("Status"),
                          cm_account_status_get_label (cm_account_get_status (account)));
  if (linked != NULL)
    g_string_append_printf (body, "\n%s: %s", _("Linked Since"), linked);
  if (expires != NULL)
    g_string_append_printf (body, "\n%s: %s", _("Certificate Expires"), expires);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), cm_account_get_name (account), body->str);
  gtk_widget_set_name (dialog, "details-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "remove", _("_Remove Access…"),
                                    "close", _("_Close"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_object_set_data_full (G_OBJECT (dialog), "cm-account", g_object_ref (account),
                          g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_details_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
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
