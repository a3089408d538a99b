/* test-locale.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app under a translated language, with the catalogues just built:
 * meson runs this once with LANGUAGE=ar (right to left) and once with
 * LANGUAGE=es (left to right); CM_EXPECT_DIRECTION says which to expect.
 */

#define G_LOG_DOMAIN "test-locale"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "cm-window.h"
#include "cm-wizard.h"

static gboolean have_display;

static gboolean
expect_rtl (void)
{
  return g_strcmp0 (g_getenv ("CM_EXPECT_DIRECTION"), "rtl") == 0;
}

static void
test_catalogue_loaded (void)
{
  /* Our own catalogue, from the build tree: the wizard's button is translated. */
  g_assert_cmpstr (_("_Next"), !=, "_Next");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "_Next"), ==, _("_Next"));
}

static void
test_layout_direction (void)
{
  CmWindow *window;
  GtkWidget *next_button;
  graphene_point_t origin;
  double middle;

  if (!have_display)
    {
      g_test_skip ("No display: run the suite inside scripts/headless-session");
      return;
    }

  g_assert_cmpint (gtk_widget_get_default_direction (), ==,
                   expect_rtl () ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);

  window = cm_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* Next packs at the end of the header bar: the right in English, the left in Arabic. */
  next_button = cm_wizard_get_next_button (cm_window_get_wizard (window));
  g_assert_true (gtk_widget_get_mapped (next_button));
  g_assert_true (gtk_widget_compute_point (next_button, GTK_WIDGET (window),
                                           &GRAPHENE_POINT_INIT (0, 0), &origin));
  middle = gtk_widget_get_width (GTK_WIDGET (window)) / 2.0;
  if (expect_rtl ())
    g_assert_cmpfloat (origin.x, <, middle);
  else
    g_assert_cmpfloat (origin.x, >, middle);
  g_assert_cmpint (gtk_widget_get_direction (next_button), ==,
                   expect_rtl () ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *po_dir = g_build_filename (g_getenv ("CM_BUILD_DIR"), "po", NULL);

  /* What main.c does, with the catalogues of the build tree instead of LOCALEDIR. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, po_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
    }

  g_test_add_func ("/locale/catalogue-loaded", test_catalogue_loaded);
  g_test_add_func ("/locale/layout-direction", test_layout_direction);

  return g_test_run ();
}
