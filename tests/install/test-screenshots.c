/* test-screenshots.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The AppStream screenshots, taken from the real windows against the real
 * back-end running in-process with its demo registry: the welcome page, the
 * sign-in page, the security setup page with its live checklist and the
 * springboard with linked demo accounts. Each is drawn at a fixed size in the
 * light style.
 *
 * scripts/screenshots sets CM_SCREENSHOT_DIR=data/screenshots; without it the
 * PNGs go to a temporary folder and are only checked, so the suite notices
 * when a page the metainfo shows can no longer be reached.
 *
 * The passwords typed are sample test data and only ever drawn as dots.
 */

#define G_LOG_DOMAIN "test-screenshots"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

#include "access-test-util.h"
#include "cm-profile-page-private.h"
#include "cm-security-page-private.h"
#include "cm-springboard-window-private.h"
#include "cm-window-private.h"
#include "cm-wizard-private.h"

/* Logical pixels; AppStream and Flathub suggest at most about 1000x700.
 * CM_SCREENSHOT_WIDTH asks for another width (scripts/screenshots DIR takes
 * 360 and 1280): a window cannot be narrower than its content, so the shot
 * is then as wide as the window could be. */
#define SHOT_WIDTH_DEFAULT 1000
#define SHOT_HEIGHT 700

static int shot_width = SHOT_WIDTH_DEFAULT;

/* Test data, not a real secret: shown only as dots. */
#define SAMPLE_PASSWORD "Sample-Torque8"

typedef struct
{
  AccessFixture  access;
  char          *out_dir;      /* where the PNGs go */
  CmWindow      *window;
} Fixture;

/* ---- helpers ------------------------------------------------------------ */

static gboolean
window_at_shot_size_cb (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) >= shot_width &&
         gtk_widget_get_height (GTK_WIDGET (data)) == SHOT_HEIGHT;
}

static void
present_at_shot_size (GtkWindow *window)
{
  int dw, dh;

  gtk_window_set_default_size (window, shot_width, SHOT_HEIGHT);
  gtk_window_present (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  /* Without a compositor the default size also holds the client-side
   * decorations' border: grow the window by that much, once. */
  dw = MAX (0, shot_width - gtk_widget_get_width (GTK_WIDGET (window)));
  dh = SHOT_HEIGHT - gtk_widget_get_height (GTK_WIDGET (window));
  if (dw != 0 || dh != 0)
    gtk_window_set_default_size (window, shot_width + dw, SHOT_HEIGHT + dh);
  access_test_wait (window_at_shot_size_cb, window);
}

/* Renders @window as it is on screen into OUT_DIR/@name.png, and checks the
 * file reads back at the fixed size. */
static void
save_shot (Fixture    *fixture,
           GtkWindow  *window,
           const char *name)
{
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkTexture) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (fixture->out_dir, file_name, NULL);
  int width, height;

  access_flush ();
  gtk_test_widget_wait_for_draw (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >=, shot_width);
  g_assert_cmpint (height, ==, SHOT_HEIGHT);
  if (width != shot_width)
    g_test_message ("%s: asked for %d px, the window is %d px wide", name, shot_width, width);

  access_save_png (widget, path);

  saved = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (saved), ==, width);
  g_assert_cmpint (gdk_texture_get_height (saved), ==, SHOT_HEIGHT);
  g_test_message ("Saved %s", path);
}

static CmWizard *
wizard (Fixture *fixture)
{
  return cm_window_get_wizard (fixture->window);
}

static CmPage *
page (Fixture    *fixture,
      const char *name)
{
  CmPage *p = cm_wizard_get_page (wizard (fixture), name);

  g_assert_nonnull (p);
  return p;
}

static GtkWidget *
child (CmPage     *p,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (p), G_OBJECT_TYPE (p), name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static void
type (CmPage     *p,
      const char *row,
      const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (p, row)), text);
}

static void
go_to (Fixture    *fixture,
       const char *name)
{
  g_assert_true (cm_wizard_go_to (wizard (fixture), name));
  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, name);
}

static gboolean
not_applying_cb (gpointer data)
{
  Fixture *fixture = data;

  return !cm_page_get_busy (cm_wizard_get_current_page (wizard (fixture))) &&
         !cm_wizard_get_applying (wizard (fixture));
}

static gboolean
challenge_loaded_cb (gpointer data)
{
  return cm_profile_page_get_challenge_words (CM_PROFILE_PAGE (data)) != NULL;
}

static gboolean
availability_known_cb (gpointer data)
{
  CmAvailability a = cm_security_page_get_availability (CM_SECURITY_PAGE (data));

  return a == CM_AVAILABILITY_AVAILABLE || a == CM_AVAILABILITY_TAKEN ||
         a == CM_AVAILABILITY_FAILED;
}

/* The profile page filled in as a mechanic would, then Next. */
static void
fill_profile_and_continue (Fixture *fixture)
{
  CmPage *profile = page (fixture, "profile");
  const char * const *words;
  const char *letter;
  const char *word = NULL;
  GtkWidget *next;

  access_test_wait (challenge_loaded_cb, profile);
  type (profile, "first_name_row", "John");
  type (profile, "last_name_row", "Smith");
  type (profile, "email_row", "john.smith@example.com");
  type (profile, "email_confirm_row", "john.smith@example.com");
  type (profile, "work_phone_row", "517-555-0142");
  words = cm_profile_page_get_challenge_words (CM_PROFILE_PAGE (profile));
  letter = cm_profile_page_get_challenge_letter (CM_PROFILE_PAGE (profile));
  for (guint i = 0; words[i] != NULL && word == NULL; i++)
    if (strstr (words[i], letter) != NULL)
      word = words[i];
  g_assert_nonnull (word);
  g_assert_true (cm_profile_page_choose_word (CM_PROFILE_PAGE (profile), word));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (profile, "terms_check")), TRUE);

  next = cm_wizard_get_next_button (wizard (fixture));
  g_assert_true (gtk_widget_get_sensitive (next));
  save_shot (fixture, GTK_WINDOW (fixture->window), "profile");
  g_signal_emit_by_name (next, "clicked");
  access_test_wait (not_applying_cb, fixture);
}

/* Requests a code for a demo account by email and links it with the code
 * from the back-end's outbox, as the Add Account Access page would. */
static void
link_demo_account (Fixture    *fixture,
                   const char *account_type,
                   const char *number,
                   const char *zip)
{
  AccessFixture *access = &fixture->access;
  AccessAsync async = { NULL };
  g_autoptr(CmAccessRequestResult) requested = NULL;
  g_autoptr(CmAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mail = NULL;
  g_autofree char *code = NULL;

  cm_api_client_request_access_async (access->client, account_type, number, zip, "email", NULL,
                                      access_async_cb, &async);
  requested = cm_api_client_request_access_finish (access->client, access_async_wait (&async),
                                                   &error);
  g_assert_no_error (error);
  g_clear_object (&async.result);
  mail = access_read_newest_outbox (access, ".eml");
  code = access_extract_code (mail);
  g_assert_nonnull (code);

  cm_session_link_account_async (access->session, code, account_type, number, zip, NULL, TRUE,
                                 NULL, access_async_cb, &async);
  account = cm_session_link_account_finish (access->session, access_async_wait (&async),
                                            &error);
  g_assert_no_error (error);
  g_clear_object (&async.result);
  g_assert_cmpstr (cm_account_get_account_number (account), ==, number);
}

/* ---- fixture ------------------------------------------------------------ */

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const char *dir = g_getenv ("CM_SCREENSHOT_DIR");

  access_fixture_setup (&fixture->access, data);
  /* Without CM_SCREENSHOT_DIR, inside the fixture's folder: removed with it. */
  if (dir != NULL && *dir != '\0')
    fixture->out_dir = g_strdup (dir);
  else
    fixture->out_dir = g_build_filename (fixture->access.dir, "screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->out_dir, 0755), ==, 0);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  /* Destroys every toplevel and removes the temporary folder (and PNGs in it). */
  access_fixture_teardown (&fixture->access, data);
  fixture->window = NULL;
  g_clear_pointer (&fixture->out_dir, g_free);
}

/* ---- the screenshots ---------------------------------------------------- */

static void
test_wizard_pages (Fixture       *fixture,
                   gconstpointer  data)
{
  CmPage *sign_in;
  CmPage *security;

  fixture->window = cm_window_new_for_session (NULL, fixture->access.session);
  present_at_shot_size (GTK_WINDOW (fixture->window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (cm_window_get_main_stack (fixture->window)),
                   ==, "wizard");

  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "welcome");
  save_shot (fixture, GTK_WINDOW (fixture->window), "welcome");

  go_to (fixture, "sign-in");
  sign_in = page (fixture, "sign-in");
  type (sign_in, "user_id_row", "smithj1234");
  type (sign_in, "password_row", SAMPLE_PASSWORD);
  g_assert_true (gtk_widget_get_sensitive (child (sign_in, "sign_in_button")));
  gtk_widget_grab_focus (child (sign_in, "sign_in_button"));
  save_shot (fixture, GTK_WINDOW (fixture->window), "sign-in");

  /* The security page is reached the way a new user reaches it. */
  go_to (fixture, "welcome");
  go_to (fixture, "profile");
  fill_profile_and_continue (fixture);
  g_assert_cmpstr (cm_wizard_get_current_name (wizard (fixture)), ==, "security");
  security = page (fixture, "security");
  type (security, "user_id_row", "smithj1234");
  access_test_wait (availability_known_cb, security);
  g_assert_cmpint (cm_security_page_get_availability (CM_SECURITY_PAGE (security)), ==,
                   CM_AVAILABILITY_AVAILABLE);
  /* The checklist ticks the rules as the password is typed. */
  type (security, "password_row", SAMPLE_PASSWORD);
  type (security, "confirm_row", SAMPLE_PASSWORD);
  access_flush ();
  g_assert_true (gtk_widget_get_sensitive (cm_wizard_get_next_button (wizard (fixture))));
  gtk_widget_grab_focus (cm_wizard_get_next_button (wizard (fixture)));
  save_shot (fixture, GTK_WINDOW (fixture->window), "security");
}

static void
test_springboard (Fixture       *fixture,
                  gconstpointer  data)
{
  CmSpringboardWindow *springboard;

  access_sign_up_and_in (&fixture->access, FALSE);
  link_demo_account (fixture, "mechanic", "Z123456", "48909");
  link_demo_account (fixture, "mechanic_school", "S100200", "48197");
  link_demo_account (fixture, "mechanic", "K632496", "48502");
  link_demo_account (fixture, "mechanic", "L673443", "48150");

  springboard = cm_springboard_window_new (NULL, fixture->access.session);
  present_at_shot_size (GTK_WINDOW (springboard));
  g_assert_cmpstr (cm_springboard_window_get_view (springboard), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (cm_springboard_window_get_model (springboard)),
                    ==, 4);
  save_shot (fixture, GTK_WINDOW (springboard), "springboard");
}

int
main (int   argc,
      char *argv[])
{
  AdwStyleManager *style;

  /* What main.c does: CM_LOCALEDIR gives the build tree's catalogues, so
   * scripts/screenshots DIR can draw the pages in Arabic too. */
  if (g_getenv ("CM_LOCALEDIR") != NULL)
    {
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("CM_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("CM_SCREENSHOT_WIDTH") != NULL)
    shot_width = MAX (1, atoi (g_getenv ("CM_SCREENSHOT_WIDTH")));

  if (!gtk_init_check ())
    {
      g_test_skip ("No display: run it inside scripts/headless-session");
      return g_test_run ();
    }
  adw_init ();

  /* What a GNOME session gives the app: Cantarell (when installed), only a
   * close button, the light style, our style sheet and icons; and no
   * animations to wait for. */
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-font-name", "Cantarell 11",
                "gtk-decoration-layout", "appmenu:close",
                NULL);
  style = adw_style_manager_get_default ();
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_BASE_PATH "/icons");
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_BASE_PATH "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add ("/screenshots/wizard-pages", Fixture, NULL,
              fixture_setup, test_wizard_pages, fixture_teardown);
  g_test_add ("/screenshots/springboard", Fixture, NULL,
              fixture_setup, test_springboard, fixture_teardown);

  return g_test_run ();
}
