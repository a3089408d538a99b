/* cm-state-header.c: the State's header on every signed-in page, as the
 * slides show it: Home, MI.gov, FAQs, Contact Us, "Welcome, <first name>",
 * Settings and Log Off (docs/ui.md, "The State's header"). The links open
 * in the browser; Settings is app.account-settings (the MILogin account,
 * not the app's Preferences) and Log Off is the window's win.log-off, so
 * one header serves the main window and the springboard. The widest of three
 * layouts that fits is shown: all in one row, the links in a menu, or only
 * the greeting and one menu.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-state-header"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-accessible.h"
#include "cm-page.h"
#include "cm-state-header-private.h"

#define LINK_ACTION "state-header.open-link"

/* The State's links, in the slides' order. */
static const struct {
  const char *name;      /* the button's widget name, for tests */
  const char *label;     /* context "state header" */
  const char *uri;
  const char *where;     /* tooltip and accessible description */
} links[] = {
  /* Translators: a link of the State's header, to the Department of State's home page. */
  { "home-link", NC_("state header", "Home"), "https://www.michigan.gov/sos",
    N_("The Michigan Department of State’s home page, in your web browser") },
  /* Translators: a link of the State's header, the State's portal; keep "MI.gov". */
  { "mi-gov-link", NC_("state header", "MI.gov"), "https://www.michigan.gov/",
    N_("The State of Michigan’s portal, in your web browser") },
  { "faqs-link", NC_("state header", "FAQs"), "https://www.michigan.gov/sos/faqs",
    N_("Frequently asked questions, in your web browser") },
  { "contact-us-link", NC_("state header", "Contact Us"),
    "https://www.michigan.gov/sos/contact-us",
    N_("How to contact the Michigan Department of State, in your web browser") },
};

struct _CmStateHeader
{
  AdwBin         parent_instance;

  /* template widgets */
  AdwSqueezer   *squeezer;
  GtkWidget     *wide_box;
  GtkWidget     *links_box;
  GtkWidget     *medium_box;
  GtkWidget     *narrow_box;
  GtkMenuButton *links_menu_button;
  GtkMenuButton *narrow_menu_button;
  GtkLabel      *wide_welcome_label;
  GtkLabel      *medium_welcome_label;
  GtkLabel      *narrow_welcome_label;

  /* owned, nullable */
  CmSession     *session;
};

G_DEFINE_FINAL_TYPE (CmStateHeader, cm_state_header, ADW_TYPE_BIN)

/* The first name, as a person greets; the User ID when the back-end gave
 * no first name (it is optional at sign-up). */
static void
update_welcome (CmStateHeader *self)
{
  const char *name = NULL;
  g_autofree char *text = NULL;

  if (self->session != NULL)
    {
      name = cm_session_get_first_name (self->session);
      if (name == NULL || *name == '\0')
        name = cm_session_get_user_id (self->session);
    }
  /* Translators: %s is the signed-in person's first name ("Welcome, John"). */
  text = g_strdup_printf (_("Welcome, %s"), name != NULL ? name : "");
  gtk_label_set_text (self->wide_welcome_label, text);
  gtk_label_set_text (self->medium_welcome_label, text);
  gtk_label_set_text (self->narrow_welcome_label, text);
}

/* The squeezer keeps the layouts it does not show in the accessible tree: a
 * screen reader would read the greeting three times and find buttons nobody
 * sees. */
static void
on_visible_child_cb (CmStateHeader *self)
{
  GtkWidget *layouts[] = { self->wide_box, self->medium_box, self->narrow_box };

  cm_accessible_expose_only (adw_squeezer_get_visible_child (self->squeezer), layouts,
                             G_N_ELEMENTS (layouts));
}

static void
open_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                g_variant_get_string (parameter, NULL), GDK_CURRENT_TIME);
}

/* Only Log Off has a mnemonic (Alt+L, as before the header): the others
 * would take Alt keys the pages under them use (Alt+S is Submit). */
static GtkWidget *
new_button (const char *name,
            const char *label,
            gboolean    mnemonic,
            const char *action,
            GVariant   *target)
{
  GtkWidget *button = mnemonic ? gtk_button_new_with_mnemonic (label)
                               : gtk_button_new_with_label (label);

  gtk_widget_set_name (button, name);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (target != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  return button;
}

/* Settings and Log Off at the end of a layout that shows them. */
static void
append_account_buttons (GtkWidget *box)
{
  GtkWidget *settings = new_button ("settings-button", C_("state header", "Settings"), FALSE,
                                    "app.account-settings", NULL);

  gtk_widget_set_tooltip_text (settings, _("Your MILogin account: profile, password and "
                                           "recovery options"));
  gtk_widget_add_css_class (settings, "flat");
  gtk_box_append (GTK_BOX (box), settings);
  gtk_box_append (GTK_BOX (box), new_button ("log-off-button", C_("state header", "_Log Off"),
                                             TRUE, "win.log-off", NULL));
}

/* The link buttons of the wide layout, and the menus of the other two. */
static void
add_links (CmStateHeader *self)
{
  g_autoptr(GMenu) links_menu = g_menu_new ();
  g_autoptr(GMenu) account_menu = g_menu_new ();
  g_autoptr(GMenu) narrow_menu = g_menu_new ();

  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      const char *label = g_dpgettext2 (NULL, "state header", links[i].label);
      GtkWidget *button = new_button (links[i].name, label, FALSE, LINK_ACTION,
                                      g_variant_new_string (links[i].uri));
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _(links[i].where));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _(links[i].where),
                                      -1);
      gtk_box_append (GTK_BOX (self->links_box), button);

      g_menu_item_set_action_and_target_value (item, LINK_ACTION,
                                               g_variant_new_string (links[i].uri));
      g_menu_append_item (links_menu, item);
    }
  append_account_buttons (self->wide_box);
  append_account_buttons (self->medium_box);

  g_menu_append (account_menu, C_("state header", "Settings"), "app.account-settings");
  g_menu_append (account_menu, C_("state header", "Log Off"), "win.log-off");
  g_menu_append_section (narrow_menu, NULL, G_MENU_MODEL (links_menu));
  g_menu_append_section (narrow_menu, NULL, G_MENU_MODEL (account_menu));
  /* Their popovers are made when first opened (docs/benchmarks.md). */
  cm_menu_button_set_menu_model_on_open (self->links_menu_button, G_MENU_MODEL (links_menu));
  cm_menu_button_set_menu_model_on_open (self->narrow_menu_button, G_MENU_MODEL (narrow_menu));
}

static void
cm_state_header_dispose (GObject *object)
{
  CmStateHeader *self = CM_STATE_HEADER (object);

  cm_state_header_set_session (self, NULL);

  G_OBJECT_CLASS (cm_state_header_parent_class)->dispose (object);
}

static void
cm_state_header_class_init (CmStateHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_state_header_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/cm-state-header.ui");
  gtk_widget_class_bind_template_child (widget_class, CmStateHeader, squeezer);
  gtk_widget_class_bind_template_child (widget_class, CmStateHeader, wide_box);
  gtk_widget_class_bind_template_child (widget_class, CmStateHeader, links_box);
  gtk_widget_class_bind_template_child (widget_class, CmStateHeader, medium_box);
  gtk_widget_class_bind_template_child (widget_class, CmStateHeader, narrow_box);
  gtk_widget_class_bind_template_child (widget_class, CmStateHeader, links_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CmStateHeader, narrow_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CmStateHeader, wide_welcome_label);
  gtk_widget_class_bind_template_child (widget_class, CmStateHeader, medium_welcome_label);
  gtk_widget_class_bind_template_child (widget_class, CmStateHeader, narrow_welcome_label);
  gtk_widget_class_bind_template_callback (widget_class, on_visible_child_cb);
  gtk_widget_class_install_action (widget_class, LINK_ACTION, "s", open_link_action);
  gtk_widget_class_set_css_name (widget_class, "cm-state-header");
}

static void
cm_state_header_init (CmStateHeader *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_links (self);
  cm_widget_fix_mnemonic_names (GTK_WIDGET (self));
  on_visible_child_cb (self);
  update_welcome (self);
}

/**
 * cm_state_header_new:
 *
 * Returns: (transfer floating): a header greeting nobody until it has a session
 */
CmStateHeader *
cm_state_header_new (void)
{
  return g_object_new (CM_TYPE_STATE_HEADER, NULL);
}

/**
 * cm_state_header_set_session:
 * @session: (nullable): whose name the header greets
 */
void
cm_state_header_set_session (CmStateHeader *self,
                             CmSession     *session)
{
  g_return_if_fail (CM_IS_STATE_HEADER (self));
  g_return_if_fail (session == NULL || CM_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::first-name", G_CALLBACK (update_welcome), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::user-id", G_CALLBACK (update_welcome), self,
                               G_CONNECT_SWAPPED);
    }
  update_welcome (self);
}

/**
 * cm_state_header_get_welcome:
 *
 * Returns: the greeting shown, "Welcome, <first name>"
 */
const char *
cm_state_header_get_welcome (CmStateHeader *self)
{
  g_return_val_if_fail (CM_IS_STATE_HEADER (self), NULL);

  return gtk_label_get_text (self->wide_welcome_label);
}
