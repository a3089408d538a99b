/* test-window.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app skeleton: resources, CmWindow drawing in both text directions,
 * window state in GSettings, the window's cancellable, the wizard's pages
 * built lazily, the sign-up form they share, and CmApplication's actions, links, --server check and debug
 * information.
 *
 * Set CM_SCREENSHOT_DIR to keep window-ltr.png and window-rtl.png.
 */

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>

#include <glib/gstdio.h>

#include "cm-account-details-dialog.h"
#include "cm-account-settings-window.h"
#include "cm-application.h"
#include "cm-application-private.h"
#include "cm-confirmation-preview.h"
#include "cm-practice.h"
#include "cm-practice-inbox.h"
#include "cm-springboard-window.h"
#include "cm-window-private.h"
#include "cm-wizard-private.h"
#include "shortcut-test-util.h"

static gboolean have_display;

/* The wizard's steps, in order. */
static const char *wizard_steps[] = {
  "welcome", "sign-in", "forgot-password", "profile", "security",
  /* Request Code and Add Account Access (cm-access-pages.c), entered from the hub */
  "request-code-type", "request-code-info", "request-code-details", "request-code-email",
  "request-code-summary",
  "request-code-confirmation", "add-access-code", "add-access-info", "add-access-email",
  "add-access-summary", "access-options",
};

static gboolean
skip_without_display (void)
{
  if (!have_display)
    g_test_skip ("No display: run the suite inside scripts/headless-session");

  return !have_display;
}

/* Runs the main context until nothing is pending, so that one test's
 * idles and frame callbacks never run inside the next one. */
static void
flush_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
destroy_window (GtkWindow *window)
{
  gtk_window_destroy (window);
  flush_main_context ();
}

static GSettings *
new_reset_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  return settings;
}

static GdkTexture *
render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_assert_nonnull (renderer);

  return gsk_renderer_render_texture (renderer, node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* Counts the distinct colours of a sample of pixels: a blank or failed
 * rendering has one. */
static guint
count_colours (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pixels = g_malloc (stride * height);
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);

  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < height; y += 2)
    for (int x = 0; x < width; x += 2)
      {
        guint32 pixel;

        memcpy (&pixel, pixels + y * stride + x * 4, 4);
        g_hash_table_add (colours, GUINT_TO_POINTER (pixel));
      }

  return g_hash_table_size (colours);
}

static void
maybe_save_screenshot (GdkTexture *texture,
                       const char *name)
{
  const char *dir = g_getenv ("CM_SCREENSHOT_DIR");
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    return;

  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

static CmWindow *
present_new_window (void)
{
  CmWindow *window = cm_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  return window;
}

/* ---- the test environment ---------------------------------------------- */

/* tests/meson.build sets GDK_DEBUG=gl-disable: with it GDK never loads Mesa's EGL,
 * GLX or DRI driver. A driver EGL loads and unloads at start leaves an allocation
 * that LeakSanitizer reports on CPUs whose CPUID shows an L3 cache (docs/decisions.md),
 * so a GTK test that maps one can fail on one machine and pass on another. */
static void
test_environment_no_gl_driver (void)
{
  static const char *drivers[] = { "libEGL_mesa", "libGLX_mesa", "_dri.so", "libvulkan" };
  g_autofree char *maps = NULL;
  g_autoptr(GError) error = NULL;
  CmWindow *window;

  if (skip_without_display ())
    return;

  window = present_new_window ();
  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (drivers); i++)
    {
      if (strstr (maps, drivers[i]) != NULL)
        g_error ("A GL driver (%s) is mapped after a window was drawn: run the test "
                 "with the environment tests/meson.build sets (GDK_DEBUG=gl-disable)",
                 drivers[i]);
    }
  destroy_window (GTK_WINDOW (window));
}

/* ---- resources ---------------------------------------------------------- */

static void
test_resources_registered (void)
{
  static const char *paths[] = {
    "/ui/cm-window.ui",
    "/ui/cm-wizard.ui",
    "/ui/pages/cm-sign-in-page.ui",
    "/ui/pages/cm-profile-page.ui",
    "/ui/pages/cm-security-page.ui",
    "/style.css",
    "/ui/cm-shortcuts-window.ui",
    "/icons/scalable/apps/" BASE_APP_ID ".svg",
    "/icons/symbolic/apps/" BASE_APP_ID "-symbolic.svg",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *path = g_strconcat (RESOURCE_BASE_PATH, paths[i], NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (bytes), >, 0);
    }
}

/* ---- window ------------------------------------------------------------- */

static void
test_window_draws (void)
{
  CmWindow *window;
  AdwHeaderBar *header_bar;
  GtkWidget *title_widget;
  GtkStack *stack;
  g_autoptr(GdkTexture) texture = NULL;

  if (skip_without_display ())
    return;

  window = present_new_window ();

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "CARS Mechanic");
  header_bar = ADW_HEADER_BAR (gtk_widget_get_template_child (GTK_WIDGET (window), CM_TYPE_WINDOW,
                                                              "header_bar"));
  title_widget = adw_header_bar_get_title_widget (header_bar);
  g_assert_true (ADW_IS_WINDOW_TITLE (title_widget));
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (title_widget)), ==,
                   "CARS Mechanic");

  stack = cm_window_get_main_stack (window);
  /* Without a back-end (no application here) the wizard shows its welcome page. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "wizard");
  g_assert_true (CM_IS_WIZARD (gtk_stack_get_visible_child (stack)));
  g_assert_true (gtk_widget_get_mapped (gtk_stack_get_visible_child (stack)));
  g_assert_cmpstr (cm_wizard_get_current_name (cm_window_get_wizard (window)), ==, "welcome");
  g_assert_null (cm_window_get_session (window));

  texture = render_widget (GTK_WIDGET (window));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, gtk_widget_get_width (GTK_WIDGET (window)));
  g_assert_cmpint (gdk_texture_get_height (texture), ==,
                   gtk_widget_get_height (GTK_WIDGET (window)));
  g_assert_cmpint (gdk_texture_get_width (texture), >=, 360);
  g_assert_cmpuint (count_colours (texture), >, 10);
  maybe_save_screenshot (texture, "window-ltr.png");

  destroy_window (GTK_WINDOW (window));
}

static void
test_window_rtl (void)
{
  CmWindow *window;
  GtkWidget *menu_button;
  graphene_point_t origin;
  g_autoptr(GdkTexture) texture = NULL;

  if (skip_without_display ())
    return;

  /* What GTK does for a language whose catalogue translates "default:LTR" as
   * "default:RTL"; there is no Arabic catalogue yet, so set it directly. */
  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  window = present_new_window ();

  /* The wizard's menu button packs at the end, which is the left in RTL. */
  menu_button = GTK_WIDGET (gtk_widget_get_template_child (
                              GTK_WIDGET (cm_window_get_wizard (window)), CM_TYPE_WIZARD,
                              "menu_button"));
  g_assert_true (gtk_widget_get_visible (menu_button));
  g_assert_true (gtk_widget_compute_point (menu_button, GTK_WIDGET (window),
                                           &GRAPHENE_POINT_INIT (0, 0), &origin));
  g_assert_cmpfloat (origin.x, <, gtk_widget_get_width (GTK_WIDGET (window)) / 2.0);

  texture = render_widget (GTK_WIDGET (window));
  g_assert_cmpuint (count_colours (texture), >, 10);
  maybe_save_screenshot (texture, "window-rtl.png");

  destroy_window (GTK_WINDOW (window));
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

static void
test_window_state_restored_and_saved (void)
{
  g_autoptr(GSettings) settings = NULL;
  CmWindow *window;
  int width, height;

  if (skip_without_display ())
    return;

  settings = new_reset_settings ();
  g_settings_set_int (settings, "window-width", 800);
  g_settings_set_int (settings, "window-height", 600);

  window = cm_window_new (NULL);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 800);
  g_assert_cmpint (height, ==, 600);

  /* Closing saves the size, as after the user resized the window. Only a
   * realized window emits close-request, so show it first. */
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 500);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_window_close (GTK_WINDOW (window));
  flush_main_context ();

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 500);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

static void
test_window_cancellable_cancelled_on_destroy (void)
{
  g_autoptr(GCancellable) cancellable = NULL;
  CmWindow *window;

  if (skip_without_display ())
    return;

  window = cm_window_new (NULL);
  cancellable = g_object_ref (cm_window_get_cancellable (window));
  g_assert_false (g_cancellable_is_cancelled (cancellable));

  destroy_window (GTK_WINDOW (window));
  g_assert_true (g_cancellable_is_cancelled (cancellable));
}

static void
assert_only_welcome_built (CmWizard *wizard)
{
  g_assert_nonnull (cm_wizard_peek_page (wizard, "welcome"));
  for (guint i = 1; i < G_N_ELEMENTS (wizard_steps); i++)
    {
      g_test_message ("%s is not built yet", wizard_steps[i]);
      g_assert_null (cm_wizard_peek_page (wizard, wizard_steps[i]));
    }
}

static void
test_window_lazy_pages (void)
{
  static const char *visited_steps[] = { "welcome", "sign-in", "forgot-password", "profile", NULL };
  CmWindow *window;
  CmWizard *wizard;
  GtkStack *stack;
  g_autoptr(GListModel) stack_pages = NULL;

  if (skip_without_display ())
    return;

  /* Before the main loop runs, and still when shown but not yet drawn, the
   * window has built the page it starts on and no other. */
  window = cm_window_new (NULL);
  wizard = cm_window_get_wizard (window);
  stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (wizard), CM_TYPE_WIZARD,
                                                    "stack"));
  stack_pages = G_LIST_MODEL (gtk_stack_get_pages (stack));
  g_assert_cmpstr (cm_wizard_get_current_name (wizard), ==, "welcome");
  assert_only_welcome_built (wizard);
  /* One place per step all the same. */
  g_assert_cmpuint (g_list_model_get_n_items (stack_pages), ==, G_N_ELEMENTS (wizard_steps));
  gtk_window_present (GTK_WINDOW (window));
  assert_only_welcome_built (wizard);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* Navigating builds what it needs (Sign Up, Forgot password, Back). */
  g_assert_true (cm_wizard_go_to (wizard, "sign-in"));
  g_assert_cmpstr (cm_wizard_get_current_name (wizard), ==, "sign-in");
  g_assert_true (cm_wizard_go_to (wizard, "forgot-password"));
  g_assert_cmpstr (cm_wizard_get_current_name (wizard), ==, "forgot-password");
  g_assert_true (cm_wizard_back (wizard));
  g_assert_true (cm_wizard_go_to (wizard, "profile"));
  g_assert_cmpstr (cm_wizard_get_current_name (wizard), ==, "profile");
  g_assert_true (cm_wizard_back (wizard));
  g_assert_cmpstr (cm_wizard_get_current_name (wizard), ==, "sign-in");

  /* The stack shows the page; the pages visited are built, in their places,
   * and the others are not, even once the loop is idle. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  flush_main_context ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (cm_wizard_get_current_page (wizard))));
  for (guint i = 0; i < G_N_ELEMENTS (wizard_steps); i++)
    {
      CmPage *page = cm_wizard_peek_page (wizard, wizard_steps[i]);
      g_autoptr(GObject) stack_page = g_list_model_get_item (stack_pages, i);
      gboolean visited = g_strv_contains (visited_steps, wizard_steps[i]);

      g_test_message ("%s: visited %d", wizard_steps[i], visited);
      g_assert_cmpint (page != NULL, ==, visited);
      if (page == NULL)
        continue;
      g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (page)), ==, wizard_steps[i]);
      g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (page),
                                             gtk_stack_page_get_child (GTK_STACK_PAGE (stack_page))));
      /* Only the page on screen is visible. */
      g_assert_cmpint (gtk_widget_is_visible (GTK_WIDGET (page)), ==,
                       page == cm_wizard_get_current_page (wizard));
    }

  destroy_window (GTK_WINDOW (window));
}

static void
test_window_cancel_forgets_draft (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GVariant) draft = NULL;
  g_autofree char *step = NULL;
  CmWindow *window;
  CmWizard *wizard;

  if (skip_without_display ())
    return;

  /* A draft from an earlier sign-up; this time the user cancels on Sign In,
   * before any sign-up page is built: the window's form forgets it all the
   * same. */
  settings = new_reset_settings ();
  g_settings_set_value (settings, "wizard-draft", g_variant_new_parsed ("{'city': 'Lansing'}"));
  window = cm_window_new (NULL);
  wizard = cm_window_get_wizard (window);
  g_assert_true (cm_wizard_go_to (wizard, "sign-in"));
  cm_wizard_cancel (wizard);

  g_assert_cmpstr (cm_wizard_get_current_name (wizard), ==, "welcome");
  g_assert_null (cm_wizard_peek_page (wizard, "profile"));
  draft = g_settings_get_value (settings, "wizard-draft");
  g_assert_cmpuint (g_variant_n_children (draft), ==, 0);
  step = g_settings_get_string (settings, "wizard-step");
  g_assert_cmpstr (step, ==, "");

  destroy_window (GTK_WINDOW (window));
}

/* The security page is built from the sign-up form alone: it needs no
 * profile page, and shows the User ID the form restored from the draft. */
static void
test_window_security_without_profile (void)
{
  g_autoptr(GSettings) settings = NULL;
  CmWindow *window;
  CmWizard *wizard;
  CmPage *security;
  GObject *user_id_row;

  if (skip_without_display ())
    return;

  settings = new_reset_settings ();
  g_settings_set_value (settings, "wizard-draft",
                        g_variant_new_parsed ("{'last_name': 'Smith', 'user_id': 'smithj1234'}"));
  window = cm_window_new (NULL);
  wizard = cm_window_get_wizard (window);
  g_assert_true (cm_wizard_go_to (wizard, "security"));

  security = cm_wizard_peek_page (wizard, "security");
  g_assert_nonnull (security);
  g_assert_null (cm_wizard_peek_page (wizard, "profile"));
  user_id_row = gtk_widget_get_template_child (GTK_WIDGET (security), G_OBJECT_TYPE (security),
                                               "user_id_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (user_id_row)), ==, "smithj1234");

  destroy_window (GTK_WINDOW (window));
}

/* ---- application -------------------------------------------------------- */

static void
test_application_server_url_check (void)
{
  static const struct {
    const char *url;
    gboolean    valid;
  } cases[] = {
    { "https://cars.example.org", TRUE },
    { "https://cars.example.org:8443/api/", TRUE },
    { "http://127.0.0.1:8080", TRUE },
    { "HTTPS://CARS.EXAMPLE.ORG", TRUE },
    { "", FALSE },
    { "cars.example.org", FALSE },
    { "ftp://cars.example.org", FALSE },
    { "file:///etc/passwd", FALSE },
    { "https://", FALSE },
    { "https://mechanic:hunter2@cars.example.org", FALSE },
    { "https://exa mple.org", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean valid = cm_application_check_server_url (cases[i].url, &error);

      g_test_message ("'%s' should be %s", cases[i].url, cases[i].valid ? "valid" : "refused");
      g_assert_cmpint (valid, ==, cases[i].valid);
      if (valid)
        g_assert_no_error (error);
      else
        g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
    }
}

static void
test_application_sanitize_url (void)
{
  static const struct {
    const char *url;
    const char *expected;
  } cases[] = {
    { "https://cars.example.org/api", "https://cars.example.org/api" },
    { "https://user:secret@cars.example.org:8443/api?token=abc#frag",
      "https://cars.example.org:8443/api" },
    { "not a url", "(not a valid URL)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *safe = cm_application_sanitize_url (cases[i].url);

      g_assert_cmpstr (safe, ==, cases[i].expected);
    }
}

static void
test_application_debug_info (void)
{
  g_autoptr(CmApplication) app = NULL;
  g_autofree char *practice = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *gtk_line = NULL;

  app = cm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);

  /* Not started up: no settings, and the build default is practice mode. */
  practice = cm_application_dup_debug_info (app);
  if (*DEFAULT_SERVER_URL == '\0')
    g_assert_nonnull (strstr (practice, "practice mode"));
  g_assert_nonnull (strstr (practice, PACKAGE_VERSION));
  gtk_line = g_strdup_printf ("GTK: %u.%u.", gtk_get_major_version (), gtk_get_minor_version ());
  g_assert_nonnull (strstr (practice, gtk_line));
  g_assert_nonnull (strstr (practice, "libadwaita: 1."));
  g_assert_nonnull (strstr (practice, "libsoup: 3."));
  g_assert_nonnull (strstr (practice, "GLib: 2."));

  /* Secrets in a URL never reach the debug information. */
  cm_application_set_server_url (app, "https://mechanic:hunter2@cars.example.org/api?token=s3cr3t");
  remote = cm_application_dup_debug_info (app);
  g_assert_nonnull (strstr (remote, "Back-end: https://cars.example.org/api\n"));
  g_assert_null (strstr (remote, "hunter2"));
  g_assert_null (strstr (remote, "s3cr3t"));
  g_assert_null (strstr (remote, "practice mode"));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_application_links_and_actions (void)
{
  g_autoptr(CmApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  GFile *files[2];
  GtkWindow *main_window;
  GtkShortcutsWindow *help_overlay;
  GList *windows;
  guint notified = 0;
  guint n_before;

  if (skip_without_display ())
    return;

  app = cm_application_new (APP_ID ".Test", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (cm_application_get_settings (app));

  g_signal_connect (app, "notify::pending-link", G_CALLBACK (count_notify_cb), &notified);

  /* Opening a link keeps ours, ignores the rest, and shows the window. */
  files[0] = g_file_new_for_uri (URI_SCHEME ":/add-account-access?code=ABCD-EFGH-JKLM");
  files[1] = g_file_new_for_path ("/tmp/not-a-link.txt");
  g_application_open (G_APPLICATION (app), files, G_N_ELEMENTS (files), "");
  g_object_unref (files[0]);
  g_object_unref (files[1]);

  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (cm_application_get_pending_link (app), ==,
                   URI_SCHEME ":/add-account-access?code=ABCD-EFGH-JKLM");
  main_window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (CM_IS_WINDOW (main_window));

  /* Practice mode (no server-url): its back-end starts after the window's
   * first frame, and the window's session talks to it once it is up. A build
   * without the server (-Dserver=false) has no practice mode. */
  if (!cm_practice_is_available ())
    g_assert_null (cm_application_get_practice (app));
  else
    {
      gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

      g_assert_nonnull (cm_application_get_practice (app));
      g_assert_null (cm_practice_get_uri (cm_application_get_practice (app)));
      g_assert_null (cm_window_get_session (CM_WINDOW (main_window)));
      /* Not a timing check: only a bound, so a start that never comes fails. */
      while (cm_window_get_session (CM_WINDOW (main_window)) == NULL &&
             g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_assert_nonnull (cm_window_get_session (CM_WINDOW (main_window)));
      g_assert_cmpstr (cm_api_client_get_base_uri (cm_session_get_api_client (
                         cm_window_get_session (CM_WINDOW (main_window)))), ==,
                       cm_practice_get_uri (cm_application_get_practice (app)));
    }

  link = cm_application_take_pending_link (app);
  g_assert_cmpstr (link, ==, URI_SCHEME ":/add-account-access?code=ABCD-EFGH-JKLM");
  g_assert_null (cm_application_get_pending_link (app));
  g_assert_cmpuint (notified, ==, 2);

  /* Activating again reuses the window. */
  g_application_activate (G_APPLICATION (app));
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == main_window);

  /* The shortcuts work through actions that exist. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "practice-inbox"));
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                  "app.quit");
    g_assert_true (g_strv_contains ((const char * const *) accels, "<Primary>q") ||
                   g_strv_contains ((const char * const *) accels, "<Control>q"));
  }

  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                  "window.close");
    g_assert_true (g_strv_contains ((const char * const *) accels, "<Primary>w") ||
                   g_strv_contains ((const char * const *) accels, "<Control>w"));
  }

  /* The Keyboard Shortcuts item of the menu (and Ctrl+?) opens the help
   * overlay, built only then. */
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                  "win.show-help-overlay");
    g_assert_true (g_strv_contains ((const char * const *) accels, "<Primary>question") ||
                   g_strv_contains ((const char * const *) accels, "<Control>question"));
  }
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (main_window)));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (main_window), "show-help-overlay"));
  g_action_group_activate_action (G_ACTION_GROUP (main_window), "show-help-overlay", NULL);
  help_overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (main_window));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (help_overlay));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (help_overlay)));
  gtk_widget_set_visible (GTK_WIDGET (help_overlay), FALSE);

  /* About opens a window over the main one. */
  n_before = g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  /* About first asks the keyring how it is (for the debug information). */
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))) == n_before &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_cmpuint (g_list_length (windows), ==, n_before + 1);
  g_assert_true (ADW_IS_ABOUT_WINDOW (windows->data));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (windows->data)) == main_window);

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));
  flush_main_context ();
}

/* ---- the shortcuts window lists every shortcut --------------------------- */

/* What our classes add, without what GTK and libadwaita give their parents. */
static void
add_class_shortcuts (GtkWidget  *widget,
                     GHashTable *registered)
{
  GType type = G_OBJECT_TYPE (widget);

  if (g_str_has_prefix (g_type_name (type), "Cm"))
    {
      g_autoptr(GHashTable) own = shortcut_test_keys_of (widget);
      g_autoptr(GHashTable) base = NULL;
      GtkWidget *plain;
      GHashTableIter iter;
      gpointer key;

      while (g_str_has_prefix (g_type_name (type), "Cm"))
        type = g_type_parent (type);
      if (G_TYPE_IS_ABSTRACT (type))
        {
          /* GtkWidget itself: no bindings to inherit. */
          base = g_hash_table_new (g_str_hash, g_str_equal);
        }
      else
        {
          plain = g_object_ref_sink (g_object_new (type, NULL));
          base = shortcut_test_keys_of (plain);
          if (GTK_IS_WINDOW (plain))
            gtk_window_destroy (GTK_WINDOW (plain));
          g_object_unref (plain);
        }

      g_hash_table_iter_init (&iter, own);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (base, key))
          g_hash_table_add (registered, g_strdup (key));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    add_class_shortcuts (child, registered);
}

static void
add_app_accels (GtkApplication *app,
                GHashTable     *registered)
{
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (app);

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (app, actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          guint keyval;
          GdkModifierType modifiers;

          g_assert_true (gtk_accelerator_parse (accels[j], &keyval, &modifiers));
          g_hash_table_add (registered, shortcut_test_key (keyval, modifiers, actions[i]));
        }
    }
}

/* The overlay's entries as keys: an entry with an action-name shows the
 * application's accelerators of that action (GtkShortcutsWindow fills them
 * in), an entry with written-out keys shows those, with "?" for the action. */
static void
add_overlay_entries (GtkWidget      *widget,
                     GtkApplication *app,
                     gboolean        in_section,
                     GPtrArray      *entries)
{
  /* Only the sections: the window's search page holds copies of the entries. */
  in_section = in_section || GTK_IS_SHORTCUTS_SECTION (widget);
  if (in_section && GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *action = NULL;
      g_autofree char *accelerator = NULL;
      g_auto(GStrv) accels = NULL;

      g_object_get (widget, "action-name", &action, "accelerator", &accelerator, NULL);
      if (action != NULL)
        accels = gtk_application_get_accels_for_action (app, action);
      else
        accels = g_strsplit (accelerator, " ", -1);
      /* An entry that would show no key is a shortcut that does not exist. */
      g_assert_nonnull (accels[0]);
      for (guint i = 0; accels[i] != NULL; i++)
        {
          guint keyval;
          GdkModifierType modifiers;

          g_assert_true (gtk_accelerator_parse (accels[i], &keyval, &modifiers));
          g_ptr_array_add (entries, shortcut_test_key (keyval, modifiers, action ? action : "?"));
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    add_overlay_entries (child, app, in_section, entries);
}

/* "F5 win.refresh" -> "F5 ?": how an entry with written-out keys reads it. */
static char *
without_action (const char *key)
{
  return g_strdup_printf ("%.*s ?", (int) (strchr (key, ' ') - key), key);
}

static GPtrArray *
registered_shortcuts (CmApplication *app)
{
  g_autoptr(CmOutboxWatch) watch = NULL;
  g_autoptr(GHashTable) registered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  g_autofree char *dir = g_dir_make_tmp ("cm-shortcuts-XXXXXX", NULL);
  g_autoptr(CmApiClient) client = cm_api_client_new ("http://127.0.0.1:9/");
  g_autoptr(CmCredentialStore) store =
    cm_credential_store_new_for_backend (CM_CREDENTIAL_BACKEND_MEMORY);
  g_autoptr(CmSession) session = cm_session_new (client, store);
  g_autoptr(CmAccount) account = cm_account_new ("mechanic", "Z123456", "Emily Hall", "active",
                                                 "Lansing", NULL, NULL);
  GtkWindow *main_window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GtkWindow *windows[6];
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  /* Every window of the app, as built: their classes' own bindings. */
  windows[0] = main_window;
  windows[1] = GTK_WINDOW (cm_springboard_window_new (NULL, session));
  watch = cm_outbox_watch_new (dir);
  windows[2] = GTK_WINDOW (cm_practice_inbox_new (watch));
  windows[3] = GTK_WINDOW (cm_account_details_dialog_new (main_window, account));
  windows[4] = GTK_WINDOW (cm_account_settings_window_new (session));
  /* Printable View: its bindings are its class's, no page needs drawing. */
  windows[5] = GTK_WINDOW (g_object_ref_sink (g_object_new (CM_TYPE_CONFIRMATION_PREVIEW, NULL)));
  add_app_accels (GTK_APPLICATION (app), registered);
  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    add_class_shortcuts (GTK_WIDGET (windows[i]), registered);
  for (guint i = 1; i < G_N_ELEMENTS (windows); i++)
    gtk_window_destroy (windows[i]);
  g_object_unref (windows[5]);
  g_rmdir (dir);

  g_hash_table_iter_init (&iter, registered);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, g_strdup (key));
  return keys;
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

static char *
join_sorted (GPtrArray *keys)
{
  g_ptr_array_sort (keys, compare_strings);
  g_ptr_array_add (keys, NULL);
  return g_strjoinv ("\n", (char **) keys->pdata);
}

/* The shortcuts window lists every key the app registers (application
 * accelerators and the bindings of our widget classes) and no other, so that
 * it cannot drift from them again. F10 is GTK's own (the primary menu). */
static void
test_shortcuts_overlay_lists_every_shortcut (void)
{
  g_autoptr(CmApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) registered = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) app_accels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  g_autoptr(GtkBuilder) builder = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *listed_text = NULL;
  GtkWidget *overlay;

  if (skip_without_display ())
    return;

  app = cm_application_new (APP_ID ".Shortcuts", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  registered = registered_shortcuts (app);

  builder = gtk_builder_new_from_resource (RESOURCE_BASE_PATH "/ui/cm-shortcuts-window.ui");
  overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  add_overlay_entries (overlay, GTK_APPLICATION (app), FALSE, listed);
  gtk_window_destroy (GTK_WINDOW (overlay));

  /* Application accelerators by action; widget bindings by key (the overlay
   * names what they do in words). */
  add_app_accels (GTK_APPLICATION (app), app_accels);
  for (guint i = 0; i < registered->len; i++)
    {
      const char *key = g_ptr_array_index (registered, i);

      g_ptr_array_add (expected, g_hash_table_contains (app_accels, key) ? g_strdup (key)
                                                                           : without_action (key));
    }
  g_ptr_array_add (expected, g_strdup ("F10 ?"));

  expected_text = join_sorted (expected);
  listed_text = join_sorted (listed);
  g_assert_cmpstr (listed_text, ==, expected_text);

  while (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL)
    gtk_window_destroy (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  flush_main_context ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Not gtk_test_init(): it exits the whole program when there is no display. */
  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

      /* A CmApplication adds the resource icons to the theme; windows made
       * without one need it done here. */
      gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                        RESOURCE_BASE_PATH "/icons");
    }

  g_test_add_func ("/app/resources/registered", test_resources_registered);
  g_test_add_func ("/app/environment/no-gl-driver", test_environment_no_gl_driver);
  g_test_add_func ("/app/window/draws", test_window_draws);
  g_test_add_func ("/app/window/rtl", test_window_rtl);
  g_test_add_func ("/app/window/state-restored-and-saved", test_window_state_restored_and_saved);
  g_test_add_func ("/app/window/cancellable-cancelled-on-destroy",
                   test_window_cancellable_cancelled_on_destroy);
  g_test_add_func ("/app/window/lazy-pages", test_window_lazy_pages);
  g_test_add_func ("/app/window/cancel-forgets-draft", test_window_cancel_forgets_draft);
  g_test_add_func ("/app/window/security-without-profile", test_window_security_without_profile);
  g_test_add_func ("/app/application/server-url-check", test_application_server_url_check);
  g_test_add_func ("/app/application/sanitize-url", test_application_sanitize_url);
  g_test_add_func ("/app/application/debug-info", test_application_debug_info);
  g_test_add_func ("/app/application/links-and-actions", test_application_links_and_actions);
  g_test_add_func ("/app/shortcuts/overlay-lists-every-shortcut",
                   test_shortcuts_overlay_lists_every_shortcut);

  return g_test_run ();
}
