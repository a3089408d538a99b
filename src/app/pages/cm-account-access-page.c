/* cm-account-access-page.c: Account Access Options (the State's slides 7-8,
 * docs/account-access.md), "Welcome, <user id>", Settings and Log Off, with
 * the two flows it leads to: Request Code and Add Account Access.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-account-access-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-account-access-page.h"

struct _CmAccountAccessPage
{
  CmPage             parent_instance;

  /* widgets (owned by the widget tree) */
  GtkStack          *stack;
  GtkLabel          *welcome_label;
  GtkLabel          *breadcrumb_label;
  CmRequestCodePage *request_code_page;
  CmAddAccessPage   *add_access_page;
  GtkLabel          *progress_label;

  /* owned */
  CmJourney         *journey;      /* nullable */
};

G_DEFINE_FINAL_TYPE (CmAccountAccessPage, cm_account_access_page, CM_TYPE_PAGE)

enum {
  SIGNAL_ACCOUNT_LINKED,
  SIGNAL_LOG_OFF,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_welcome (CmAccountAccessPage *self)
{
  CmSession *session = cm_page_get_session (CM_PAGE (self));
  const char *user_id = session != NULL ? cm_session_get_user_id (session) : NULL;
  g_autofree char *text = NULL;

  /* Translators: %s is the User ID, as on the slides ("Welcome, mechaniclogin"). */
  text = g_strdup_printf (_("Welcome, %s"), user_id != NULL ? user_id : "");
  gtk_label_set_text (self->welcome_label, text);
}

static void
show_view (CmAccountAccessPage *self,
           const char          *view)
{
  const char *crumb;

  if (g_strcmp0 (view, "request-code") == 0)
    crumb = _("Account Access Options › Request Account Access");
  else if (g_strcmp0 (view, "add-access") == 0)
    crumb = _("Account Access Options › Add Account Access");
  else
    crumb = _("Account Access Options");

  update_welcome (self);
  gtk_label_set_text (self->breadcrumb_label, crumb);
  gtk_stack_set_visible_child_name (self->stack, view);
}

static void
update_progress (CmAccountAccessPage *self)
{
  g_autofree char *summary = NULL;

  if (self->journey != NULL)
    summary = cm_journey_dup_summary (self->journey);
  gtk_label_set_text (self->progress_label, summary != NULL ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label), summary != NULL);
}

static void
on_submitted_cb (CmAccountAccessPage *self,
                 const char          *account_type,
                 const char          *account_number,
                 const char          *delivery,
                 const char          *confirmation_number)
{
  if (self->journey != NULL)
    cm_journey_add_request (self->journey, account_type, account_number, delivery,
                            confirmation_number);
  update_progress (self);
}

static void
on_flow_done_cb (CmAccountAccessPage *self)
{
  show_view (self, "options");
}

static void
on_account_linked_cb (CmAccountAccessPage *self,
                      CmAccount           *account)
{
  if (self->journey != NULL)
    cm_journey_mark_linked (self->journey, cm_account_get_account_type (account),
                            cm_account_get_account_number (account));
  update_progress (self);
  cm_page_reset (CM_PAGE (self->add_access_page));
  show_view (self, "options");
  g_signal_emit (self, signals[SIGNAL_ACCOUNT_LINKED], 0, account);
}

static void
on_log_off_clicked_cb (CmAccountAccessPage *self)
{
  g_signal_emit (self, signals[SIGNAL_LOG_OFF], 0);
}

static GtkWidget *
choice_button (const char *title,
               const char *explanation,
               const char *icon_name,
               const char *name)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *image = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *text = gtk_label_new (explanation);

  gtk_image_set_pixel_size (GTK_IMAGE (image), 48);
  gtk_widget_add_css_class (heading, "title-3");
  gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_xalign (GTK_LABEL (text), 0.0);
  gtk_box_append (GTK_BOX (texts), heading);
  gtk_box_append (GTK_BOX (texts), text);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "card");
  gtk_widget_add_css_class (button, "cm-choice");
  gtk_widget_set_name (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, explanation, -1);

  return button;
}

static GtkWidget *
build_options (CmAccountAccessPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *heading = gtk_label_new (_("Access Requests"));
  GtkWidget *request;
  GtkWidget *add;
  GtkWidget *clamp;
  GtkWidget *scrolled;

  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_add_css_class (heading, "title-1");
  gtk_box_append (GTK_BOX (box), heading);

  self->progress_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->progress_label, TRUE);
  gtk_label_set_xalign (self->progress_label, 0.0);
  gtk_widget_add_css_class (GTK_WIDGET (self->progress_label), "card");
  gtk_widget_add_css_class (GTK_WIDGET (self->progress_label), "cm-notice");
  gtk_widget_set_name (GTK_WIDGET (self->progress_label), "progress-label");
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->progress_label));

  request = choice_button (_("Request Code"),
                           _("Select Request Code if you do not have an authorization code. The "
                             "authorization code allows you to access your CARS e-Services "
                             "account."),
                           "mail-send-symbolic", "request-code-button");
  add = choice_button (_("Add Account Access"),
                       _("If you already have your authorization code, select Add Account "
                         "Access and enter it to gain account access."),
                       "contact-new-symbolic", "add-access-button");
  g_signal_connect_swapped (request, "clicked",
                            G_CALLBACK (cm_account_access_page_show_request_code), self);
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (cm_account_access_page_show_add_access),
                            self);
  gtk_box_append (GTK_BOX (box), request);
  gtk_box_append (GTK_BOX (box), add);

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);

  return scrolled;
}

static void
cm_account_access_page_constructed (GObject *object)
{
  CmAccountAccessPage *self = CM_ACCOUNT_ACCESS_PAGE (object);
  CmSession *session = cm_page_get_session (CM_PAGE (self));

  G_OBJECT_CLASS (cm_account_access_page_parent_class)->constructed (object);

  self->request_code_page = cm_request_code_page_new (session);
  self->add_access_page = cm_add_access_page_new (session);
  g_signal_connect_swapped (self->request_code_page, "finished", G_CALLBACK (on_flow_done_cb),
                            self);
  g_signal_connect_swapped (self->request_code_page, "submitted", G_CALLBACK (on_submitted_cb),
                            self);
  g_signal_connect_swapped (self->request_code_page, "cancelled", G_CALLBACK (on_flow_done_cb),
                            self);
  g_signal_connect_swapped (self->add_access_page, "cancelled", G_CALLBACK (on_flow_done_cb),
                            self);
  g_signal_connect_swapped (self->add_access_page, "account-linked",
                            G_CALLBACK (on_account_linked_cb), self);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->request_code_page), "request-code");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->add_access_page), "add-access");

  if (session != NULL)
    g_signal_connect_object (session, "notify::user-id", G_CALLBACK (update_welcome), self,
                             G_CONNECT_SWAPPED);
  show_view (self, "options");
}

static void
cm_account_access_page_dispose (GObject *object)
{
  CmAccountAccessPage *self = CM_ACCOUNT_ACCESS_PAGE (object);

  g_clear_object (&self->journey);

  G_OBJECT_CLASS (cm_account_access_page_parent_class)->dispose (object);
}

static void
cm_account_access_page_class_init (CmAccountAccessPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cm_account_access_page_constructed;
  object_class->dispose = cm_account_access_page_dispose;

  /**
   * CmAccountAccessPage::account-linked:
   * @account: the account just linked; the springboard comes next
   */
  signals[SIGNAL_ACCOUNT_LINKED] = g_signal_new ("account-linked", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, CM_TYPE_ACCOUNT);
  /**
   * CmAccountAccessPage::log-off:
   *
   * The user selected Log Off.
   */
  signals[SIGNAL_LOG_OFF] = g_signal_new ("log-off", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
cm_account_access_page_init (CmAccountAccessPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *settings;
  GtkWidget *log_off;

  cm_page_set_title (CM_PAGE (self), _("Account Access Options"));

  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  self->welcome_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->welcome_label), "heading");
  gtk_widget_set_name (GTK_WIDGET (self->welcome_label), "welcome-label");
  gtk_label_set_xalign (self->welcome_label, 0.0);
  gtk_label_set_ellipsize (self->welcome_label, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->welcome_label), TRUE);
  settings = gtk_button_new_with_mnemonic (_("_Settings"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (settings), "app.preferences");
  gtk_widget_add_css_class (settings, "flat");
  log_off = gtk_button_new_with_mnemonic (_("_Log Off"));
  gtk_widget_set_name (log_off, "log-off-button");
  g_signal_connect_swapped (log_off, "clicked", G_CALLBACK (on_log_off_clicked_cb), self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->welcome_label));
  gtk_box_append (GTK_BOX (bar), settings);
  gtk_box_append (GTK_BOX (bar), log_off);
  gtk_box_append (GTK_BOX (box), bar);

  self->breadcrumb_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->breadcrumb_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->breadcrumb_label), "caption");
  gtk_label_set_xalign (self->breadcrumb_label, 0.0);
  gtk_widget_set_margin_start (GTK_WIDGET (self->breadcrumb_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->breadcrumb_label), 12);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->breadcrumb_label));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_stack_add_named (self->stack, build_options (self), "options");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  adw_bin_set_child (ADW_BIN (self), box);
  cm_widget_fix_mnemonic_names (GTK_WIDGET (self));
}

/**
 * cm_account_access_page_new:
 * @session: the signed-in session
 *
 * Returns: (transfer floating): Account Access Options
 */
CmAccountAccessPage *
cm_account_access_page_new (CmSession *session)
{
  return g_object_new (CM_TYPE_ACCOUNT_ACCESS_PAGE, "session", session, NULL);
}

/**
 * cm_account_access_page_get_view:
 *
 * Returns: "options", "request-code" or "add-access"
 */
const char *
cm_account_access_page_get_view (CmAccountAccessPage *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT_ACCESS_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
cm_account_access_page_show_options (CmAccountAccessPage *self)
{
  g_return_if_fail (CM_IS_ACCOUNT_ACCESS_PAGE (self));

  show_view (self, "options");
}

void
cm_account_access_page_show_request_code (CmAccountAccessPage *self)
{
  g_return_if_fail (CM_IS_ACCOUNT_ACCESS_PAGE (self));

  if (g_strcmp0 (cm_request_code_page_get_step (self->request_code_page), "confirmation") == 0)
    cm_request_code_page_restart (self->request_code_page);
  show_view (self, "request-code");
}

void
cm_account_access_page_show_add_access (CmAccountAccessPage *self)
{
  g_return_if_fail (CM_IS_ACCOUNT_ACCESS_PAGE (self));

  show_view (self, "add-access");
}

/**
 * cm_account_access_page_open_link:
 * @uri: an `io.github.carsmechanic:` link, untrusted
 *
 * Opens Add Account Access with the link's code filled in. Nothing is sent.
 *
 * Returns: %TRUE when the link held a valid code
 */
gboolean
cm_account_access_page_open_link (CmAccountAccessPage *self,
                                  const char          *uri)
{
  g_return_val_if_fail (CM_IS_ACCOUNT_ACCESS_PAGE (self), FALSE);

  if (!cm_add_access_page_open_link (self->add_access_page, uri))
    return FALSE;
  show_view (self, "add-access");

  return TRUE;
}

/**
 * cm_account_access_page_set_journey:
 * @journey: (nullable): where requests and links are remembered
 */
void
cm_account_access_page_set_journey (CmAccountAccessPage *self,
                                    CmJourney           *journey)
{
  g_return_if_fail (CM_IS_ACCOUNT_ACCESS_PAGE (self));

  g_set_object (&self->journey, journey);
  update_progress (self);
}

/**
 * cm_account_access_page_get_progress:
 *
 * Returns: (nullable): the "where you stand" sentence shown, if any
 */
const char *
cm_account_access_page_get_progress (CmAccountAccessPage *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT_ACCESS_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->progress_label)))
    return NULL;
  return gtk_label_get_text (self->progress_label);
}

CmRequestCodePage *
cm_account_access_page_get_request_code_page (CmAccountAccessPage *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT_ACCESS_PAGE (self), NULL);

  return self->request_code_page;
}

CmAddAccessPage *
cm_account_access_page_get_add_access_page (CmAccountAccessPage *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT_ACCESS_PAGE (self), NULL);

  return self->add_access_page;
}
