/* test-state-header.c: the login kind carried from Welcome to the sign-in
 * title, the access flows' account type and the number's name; the State's
 * header (Home, MI.gov, FAQs, Contact Us, "Welcome, <first name>", Settings,
 * Log Off) on the signed-in pages of the main window and on the springboard;
 * and dates in local time. Against the real back-end in-process.
 *
 * CM_SCREENSHOT_DIR keeps the pictures of /state-header/screens (LANG-WIDTH-
 * NAME.png); CM_SCREENS_LANGUAGE=ar draws them in Arabic.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "access-test-util.h"
#include "cm-access-request.h"
#include "cm-access-step-page.h"
#include "cm-access-window-private.h"
#include "cm-account-row.h"
#include "cm-application.h"
#include "cm-protocol.h"
#include "cm-springboard-window-private.h"
#include "cm-state-header-private.h"
#include "cm-welcome-page.h"
#include "cm-window-private.h"
#include "cm-wizard.h"

typedef struct
{
  const char *account_type;
  const char *sign_in_title;
  const char *type_label;
  const char *number_label;
} KindCase;

static const KindCase mechanic_case = {
  CM_ACCOUNT_TYPE_MECHANIC, "Mechanic Login", "Mechanic", "Mechanic Number",
};
static const KindCase school_case = {
  CM_ACCOUNT_TYPE_MECHANIC_SCHOOL, "Mechanic School Login", "Mechanic School",
  "Mechanic School Number",
};

/* ---- helpers ------------------------------------------------------------ */

static gboolean
is_state_header (GtkWidget     *widget,
                 gconstpointer  data)
{
  return CM_IS_STATE_HEADER (widget);
}

static CmStateHeader *
find_header (GtkWidget *root)
{
  GtkWidget *header = access_find_if (root, is_state_header, NULL);

  g_assert_nonnull (header);
  return CM_STATE_HEADER (header);
}

static gboolean
on_wizard_cb (gpointer data)
{
  GtkStack *stack = cm_window_get_main_stack (CM_WINDOW (data));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "wizard") == 0;
}

/* The main window, on Welcome once the (absent) remembered session is checked. */
static CmWindow *
open_window (AccessFixture *fixture,
             int            width)
{
  CmWindow *window = cm_window_new_for_session (NULL, fixture->session);

  gtk_window_set_default_size (GTK_WINDOW (window), width, 720);
  gtk_window_present (GTK_WINDOW (window));
  access_test_wait (on_wizard_cb, window);
  g_assert_cmpstr (cm_wizard_get_current_name (cm_window_get_wizard (window)), ==, "welcome");
  return window;
}

/* As a person does: the radio button on Welcome, then Next to sign-in. */
static void
choose_kind (CmWindow   *window,
             const char *account_type)
{
  CmWizard *wizard = cm_window_get_wizard (window);
  const char *check = g_strcmp0 (account_type, CM_ACCOUNT_TYPE_MECHANIC_SCHOOL) == 0
                      ? "school_check" : "mechanic_check";
  GObject *button = gtk_widget_get_template_child (GTK_WIDGET (cm_wizard_get_page (wizard,
                                                                                   "welcome")),
                                                   CM_TYPE_WELCOME_PAGE, check);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (button), TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  access_flush ();
  g_assert_cmpstr (cm_wizard_get_current_name (wizard), ==, "sign-in");
}

static gboolean
types_loaded_cb (gpointer data)
{
  return cm_access_request_get_type_index (CM_ACCESS_REQUEST (data)) != GTK_INVALID_LIST_POSITION;
}

/* The type @page's request starts with, once the back-end listed them. */
static const char *
preselected_type (CmPage *page)
{
  CmAccessRequest *request = cm_access_step_page_get_request (page);

  access_test_wait (types_loaded_cb, request);
  return cm_access_request_get_type_id (request, cm_access_request_get_type_index (request));
}

static const char *
welcome_of (GtkWidget *root)
{
  return cm_state_header_get_welcome (find_header (root));
}

/* ---- the login kind ----------------------------------------------------- */

static void
assert_request_code_type (CmWizard       *wizard,
                          const KindCase *kind)
{
  CmPage *page;
  GtkWidget *row;

  g_assert_true (cm_wizard_go_to (wizard, "request-code-type"));
  page = cm_wizard_get_current_page (wizard);
  g_assert_cmpstr (preselected_type (page), ==, kind->account_type);
  /* The list shows it selected, the row named by the type's id. */
  row = access_get (GTK_WIDGET (page), kind->account_type);
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (row)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   kind->type_label);
}

static void
assert_info_words (CmWizard       *wizard,
                   const char     *info_page,
                   const KindCase *kind)
{
  CmPage *page = cm_wizard_get_page (wizard, info_page);
  g_autofree char *explanation = g_strdup_printf ("Enter your %s and ZIP code.",
                                                  kind->number_label);

  g_assert_cmpstr (preselected_type (page), ==, kind->account_type);
  g_assert_cmpstr (adw_preferences_row_get_title (
                     ADW_PREFERENCES_ROW (access_get (GTK_WIDGET (page), "number-row"))), ==,
                   kind->number_label);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (
                     GTK_WIDGET (page), G_OBJECT_TYPE (page), "explanation_label"))), ==,
                   explanation);
}

/* Welcome's choice titles sign-in, and is the type Request Code and Add
 * Account Access start with, with its number's name; it is kept for the
 * next start. */
static void
test_login_kind (AccessFixture *fixture,
                 gconstpointer  data)
{
  const KindCase *kind = data;
  CmWindow *window = open_window (fixture, 1024);
  CmWizard *wizard = cm_window_get_wizard (window);
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *kept = NULL;

  choose_kind (window, kind->account_type);
  g_assert_cmpstr (cm_page_get_title (cm_wizard_get_current_page (wizard)), ==,
                   kind->sign_in_title);

  access_sign_up_and_in (fixture, FALSE);
  g_assert_true (cm_wizard_go_to (wizard, "access-options"));
  assert_request_code_type (wizard, kind);
  assert_info_words (wizard, "request-code-info", kind);
  assert_info_words (wizard, "add-access-info", kind);

  settings = cm_application_lookup_settings ();
  g_assert_nonnull (settings);
  kept = g_settings_get_string (settings, "login-kind");
  g_assert_cmpstr (kept, ==, kind->account_type);
}

/* ---- the header ----------------------------------------------------------- */

static gboolean
hidden_cb (gpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (data));
}

/* Not on the MILogin pages; on the hub and every access step, greeting the
 * person by first name. */
static void
test_header_on_signed_in_pages (AccessFixture *fixture,
                                gconstpointer  data)
{
  CmWindow *window = open_window (fixture, 1024);
  CmWizard *wizard = cm_window_get_wizard (window);
  CmStateHeader *header = find_header (GTK_WIDGET (window));

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (header)));
  choose_kind (window, CM_ACCOUNT_TYPE_MECHANIC);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (header)));

  access_sign_up_and_in (fixture, FALSE);
  g_assert_true (cm_wizard_go_to (wizard, "access-options"));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (header)));
  g_assert_cmpstr (welcome_of (GTK_WIDGET (window)), ==, "Welcome, John");
  for (const char * const *name = (const char *[]) { "request-code-type", "add-access-code",
                                                     NULL };
       *name != NULL; name++)
    {
      g_assert_true (cm_wizard_go_to (wizard, *name));
      g_assert_true (gtk_widget_is_visible (GTK_WIDGET (header)));
    }

  /* Log Off is the window's own; the sign-in page comes back without it. */
  access_click (GTK_WIDGET (header), "log-off-button");
  access_test_wait (hidden_cb, header);
  g_assert_cmpint (cm_session_get_state (fixture->session), !=, CM_SESSION_STATE_SIGNED_IN);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (header)));
}

static gboolean
is_preferences_actionable (GtkWidget     *widget,
                           gconstpointer  data)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                    "app.preferences") == 0;
}

/* Settings is the MILogin account's (app.account-settings); nothing on the
 * signed-in pages opens the app's Preferences (only the main menu does). */
static void
test_settings_not_preferences (AccessFixture *fixture,
                               gconstpointer  data)
{
  CmWindow *window = open_window (fixture, 1024);
  CmWizard *wizard = cm_window_get_wizard (window);
  GtkWidget *settings;

  choose_kind (window, CM_ACCOUNT_TYPE_MECHANIC);
  access_sign_up_and_in (fixture, FALSE);
  g_assert_true (cm_wizard_go_to (wizard, "access-options"));
  settings = access_get (GTK_WIDGET (find_header (GTK_WIDGET (window))), "settings-button");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (settings)), ==,
                   "app.account-settings");
  g_assert_null (access_find_if (GTK_WIDGET (cm_wizard_get_current_page (wizard)),
                                 is_preferences_actionable, NULL));
  g_assert_null (access_find_if (GTK_WIDGET (find_header (GTK_WIDGET (window))),
                                 is_preferences_actionable, NULL));
}

/* The springboard has the same header; its flows start with the login kind. */
static void
test_springboard_header (AccessFixture *fixture,
                         gconstpointer  data)
{
  CmSpringboardWindow *springboard;
  CmStateHeader *header;
  GtkWindow *flow_window;
  CmWizard *flow_wizard;

  access_sign_up_and_in (fixture, FALSE);
  springboard = cm_springboard_window_new (NULL, fixture->session);
  cm_springboard_window_set_account_type (springboard, CM_ACCOUNT_TYPE_MECHANIC_SCHOOL);
  gtk_window_set_default_size (GTK_WINDOW (springboard), 1024, 720);
  gtk_window_present (GTK_WINDOW (springboard));
  access_flush ();

  header = find_header (GTK_WIDGET (springboard));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (header)));
  g_assert_cmpstr (welcome_of (GTK_WIDGET (springboard)), ==, "Welcome, John");
  g_assert_cmpstr (gtk_actionable_get_action_name (
                     GTK_ACTIONABLE (access_get (GTK_WIDGET (header), "log-off-button"))), ==,
                   "win.log-off");
  g_assert_true (gtk_widget_is_sensitive (access_get (GTK_WIDGET (header), "log-off-button")));

  cm_springboard_window_open_flow (springboard, CM_ACCESS_FLOW_REQUEST_CODE, NULL);
  flow_window = access_find_toplevel (CM_ACCESS_FLOW_REQUEST_CODE);
  g_assert_nonnull (flow_window);
  flow_wizard = cm_access_window_get_wizard (CM_ACCESS_WINDOW (flow_window));
  g_assert_cmpstr (preselected_type (cm_wizard_get_current_page (flow_wizard)), ==,
                   CM_ACCOUNT_TYPE_MECHANIC_SCHOOL);
}

static gboolean
mapped_cb (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* Narrower than its middle layout: the welcome and one menu, the header
 * fitting well under 360 px; the links, Settings and Log Off are in the
 * menu, which Tab reaches. (On its own in a window: the pages under it have
 * minimum widths of their own.) */
static void
test_narrow (AccessFixture *fixture,
             gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  CmStateHeader *header = cm_state_header_new ();
  GtkWidget *menu_button;
  GMenuModel *model;
  g_autoptr(GMenuModel) links = NULL;
  g_autoptr(GMenuModel) account = NULL;
  int minimum;

  access_sign_up_and_in (fixture, FALSE);
  cm_state_header_set_session (header, fixture->session);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (header));
  gtk_window_set_default_size (GTK_WINDOW (window), 240, 100);
  gtk_window_present (GTK_WINDOW (window));
  menu_button = access_get (GTK_WIDGET (header), "state-header-menu-button");
  access_test_wait (mapped_cb, menu_button);
  gtk_test_widget_wait_for_draw (window);

  g_assert_false (gtk_widget_get_mapped (access_get (GTK_WIDGET (header), "state-header-wide")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (access_get (GTK_WIDGET (header),
                                                              "narrow-welcome-label"))), ==,
                   "Welcome, John");
  /* Nor is the wide row in the accessible tree: no second greeting to read. */
  gtk_test_accessible_assert_state (access_get (GTK_WIDGET (header), "state-header-wide"),
                                    GTK_ACCESSIBLE_STATE_HIDDEN, TRUE);
  gtk_test_accessible_assert_state (access_get (GTK_WIDGET (header), "state-header-medium"),
                                    GTK_ACCESSIBLE_STATE_HIDDEN, TRUE);
  gtk_test_accessible_assert_state (access_get (GTK_WIDGET (header), "state-header-narrow"),
                                    GTK_ACCESSIBLE_STATE_HIDDEN, FALSE);
  gtk_widget_measure (GTK_WIDGET (header), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                      NULL);
  g_assert_cmpint (minimum, <=, 360);

  g_assert_true (gtk_widget_get_focusable (menu_button) ||
                 gtk_widget_get_focusable (gtk_widget_get_first_child (menu_button)));
  /* The menu is made when it first opens, as a click opens it. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
  model = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (menu_button));
  /* Home, MI.gov, FAQs, Contact Us; Settings, Log Off. */
  g_assert_cmpint (g_menu_model_get_n_items (model), ==, 2);
  links = g_menu_model_get_item_link (model, 0, G_MENU_LINK_SECTION);
  account = g_menu_model_get_item_link (model, 1, G_MENU_LINK_SECTION);
  g_assert_cmpint (g_menu_model_get_n_items (links), ==, 4);
  g_assert_cmpint (g_menu_model_get_n_items (account), ==, 2);
}

static gboolean
is_mapped_named (GtkWidget     *widget,
                 gconstpointer  name)
{
  return gtk_widget_get_mapped (widget) && g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

/* The main window's default width (720 px): the links go into a menu, while
 * the greeting, Settings and Log Off stay in words. */
static void
test_medium (AccessFixture *fixture,
             gconstpointer  data)
{
  CmWindow *window = open_window (fixture, 720);
  CmStateHeader *header = find_header (GTK_WIDGET (window));
  GtkWidget *medium;

  choose_kind (window, CM_ACCOUNT_TYPE_MECHANIC);
  access_sign_up_and_in (fixture, FALSE);
  g_assert_true (cm_wizard_go_to (cm_window_get_wizard (window), "access-options"));
  medium = access_get (GTK_WIDGET (header), "state-header-medium");
  access_test_wait (mapped_cb, medium);

  g_assert_nonnull (access_find_if (medium, is_mapped_named, "log-off-button"));
  g_assert_nonnull (access_find_if (medium, is_mapped_named, "settings-button"));
  g_assert_nonnull (access_find_if (medium, is_mapped_named, "state-header-links-button"));
  g_assert_null (access_find_if (GTK_WIDGET (header), is_mapped_named, "home-link"));
  gtk_test_accessible_assert_state (access_get (GTK_WIDGET (header), "state-header-wide"),
                                    GTK_ACCESSIBLE_STATE_HIDDEN, TRUE);
  gtk_menu_button_popup (GTK_MENU_BUTTON (access_get (medium, "state-header-links-button")));
  g_assert_cmpint (g_menu_model_get_n_items (gtk_menu_button_get_menu_model (
                     GTK_MENU_BUTTON (access_get (medium, "state-header-links-button")))), ==, 4);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (access_get (medium, "state-header-links-button")));
}

/* Wide: every link in words, each a button Tab reaches, named by its words. */
static void
test_wide_links (AccessFixture *fixture,
                 gconstpointer  data)
{
  static const char *links[] = { "home-link", "mi-gov-link", "faqs-link", "contact-us-link",
                                 "settings-button", "log-off-button" };
  static const char *words[] = { "Home", "MI.gov", "FAQs", "Contact Us", "Settings", "Log Off" };
  CmSpringboardWindow *springboard;
  CmStateHeader *header;

  access_sign_up_and_in (fixture, FALSE);
  springboard = cm_springboard_window_new (NULL, fixture->session);
  gtk_window_set_default_size (GTK_WINDOW (springboard), 1280, 720);
  gtk_window_present (GTK_WINDOW (springboard));
  header = find_header (GTK_WIDGET (springboard));
  access_test_wait (mapped_cb, access_get (GTK_WIDGET (header), "state-header-wide"));

  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      GtkWidget *button = access_get (GTK_WIDGET (header), links[i]);
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (button));

      g_assert_true (gtk_widget_get_mapped (button));
      g_assert_true (gtk_widget_get_focusable (button));
      g_assert_true (GTK_IS_LABEL (label));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, words[i]);
      gtk_test_accessible_assert_role (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_ROLE_BUTTON);
      /* The four links say where they go; a screen reader reads it after the name. */
      if (i < 4)
        g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button),
                                                         GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
    }
  g_assert_cmpstr (gtk_actionable_get_action_name (
                     GTK_ACTIONABLE (access_get (GTK_WIDGET (header), "mi-gov-link"))), ==,
                   "state-header.open-link");
}

/* ---- dates ---------------------------------------------------------------- */

/* TZ is America/Detroit for this test (tests/app/meson.build): 03:00 UTC on
 * 9 December is still 8 December there, and the date is the user's. */
static void
test_local_dates (void)
{
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2026, 12, 9, 3, 0, 0);
  g_autofree char *text = NULL;
  char *saved = g_strdup (setlocale (LC_TIME, NULL));

  setlocale (LC_TIME, "C.UTF-8");
  text = cm_account_format_date (utc);
  setlocale (LC_TIME, saved);
  g_free (saved);
  g_assert_cmpstr (text, ==, "12/08/26");
}

/* ---- pictures ------------------------------------------------------------- */

static void
shoot (GtkWindow  *window,
       int         width,
       const char *name)
{
  const char *dir = g_getenv ("CM_SCREENSHOT_DIR");
  const char *lang = g_getenv ("CM_SCREENS_LANGUAGE");
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    return;
  file = g_strdup_printf ("%s-%d-%s.png", lang != NULL ? lang : "en", width, name);
  path = g_build_filename (dir, file, NULL);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  access_save_png (GTK_WIDGET (window), path);
  g_test_message ("Saved %s", path);
}

/* The pages this header and the login kind touch, for a person to look at. */
static void
test_screens (AccessFixture *fixture,
              gconstpointer  data)
{
  int width = GPOINTER_TO_INT (data);
  CmWindow *window = open_window (fixture, width);
  CmWizard *wizard = cm_window_get_wizard (window);
  CmSpringboardWindow *springboard;
  CmPage *page;

  gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_widget_get_template_child (
                                 GTK_WIDGET (cm_wizard_get_page (wizard, "welcome")),
                                 CM_TYPE_WELCOME_PAGE, "school_check")), TRUE);
  shoot (GTK_WINDOW (window), width, "welcome");
  choose_kind (window, CM_ACCOUNT_TYPE_MECHANIC_SCHOOL);
  shoot (GTK_WINDOW (window), width, "sign-in");
  g_assert_true (cm_wizard_go_to (wizard, "profile"));
  shoot (GTK_WINDOW (window), width, "profile");
  g_assert_true (cm_wizard_go_to (wizard, "security"));
  shoot (GTK_WINDOW (window), width, "security");

  access_sign_up_and_in (fixture, FALSE);
  g_assert_true (cm_wizard_go_to (wizard, "access-options"));
  shoot (GTK_WINDOW (window), width, "hub");
  g_assert_true (cm_wizard_go_to (wizard, "request-code-type"));
  page = cm_wizard_get_current_page (wizard);
  g_assert_cmpstr (preselected_type (page), ==, CM_ACCOUNT_TYPE_MECHANIC_SCHOOL);
  shoot (GTK_WINDOW (window), width, "request-code-type");
  g_assert_true (cm_wizard_go_to (wizard, "add-access-info"));
  shoot (GTK_WINDOW (window), width, "add-access-info");

  springboard = cm_springboard_window_new (NULL, fixture->session);
  gtk_window_set_default_size (GTK_WINDOW (springboard), width, 640);
  gtk_window_present (GTK_WINDOW (springboard));
  access_flush ();
  shoot (GTK_WINDOW (springboard), width, "springboard");
}

int
main (int   argc,
      char *argv[])
{
  const char *language;

  g_setenv ("GTK_A11Y", "test", TRUE);
  language = access_test_use_screens_language ();
  if (!access_test_init (&argc, &argv))
    return g_test_run ();

#define ADD(path, data, func) \
  g_test_add (path, AccessFixture, data, access_fixture_setup, func, access_fixture_teardown)

  if (language == NULL)
    {
      ADD ("/state-header/login-kind/mechanic", &mechanic_case, test_login_kind);
      ADD ("/state-header/login-kind/mechanic-school", &school_case, test_login_kind);
      ADD ("/state-header/on-signed-in-pages", NULL, test_header_on_signed_in_pages);
      ADD ("/state-header/settings-is-not-preferences", NULL, test_settings_not_preferences);
      ADD ("/state-header/springboard", NULL, test_springboard_header);
      ADD ("/state-header/narrow", NULL, test_narrow);
      ADD ("/state-header/medium", NULL, test_medium);
      ADD ("/state-header/wide-links", NULL, test_wide_links);
      g_test_add_func ("/state-header/dates-in-local-time", test_local_dates);
    }
  ADD ("/state-header/screens/360", GINT_TO_POINTER (360), test_screens);
  ADD ("/state-header/screens/720", GINT_TO_POINTER (720), test_screens);
  ADD ("/state-header/screens/1280", GINT_TO_POINTER (1280), test_screens);

  return g_test_run ();
}
