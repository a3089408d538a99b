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
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "cm-credential-store.h"
#include "cm-profile-page-private.h"
#ifdef CM_TEST_HAVE_SERVER
#include "cm-server.h"
#endif
#include "cm-session.h"
#include "cm-window-private.h"
#include "cm-wizard-private.h"

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

#ifdef CM_TEST_HAVE_SERVER
static gboolean
challenge_loaded_cb (gpointer data)
{
  return cm_profile_page_get_challenge_words (CM_PROFILE_PAGE (data)) != NULL;
}

/* The sign-up question: the back-end's words in this language (the client
 * sends Accept-Language), inside the app's translated sentence. */
static void
test_verification_question (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cm-test-locale-XXXXXX", &error);
  g_autofree char *outbox = g_build_filename (dir, "outbox", NULL);
  g_autoptr(CmServer) server = cm_server_new (":memory:", outbox);
  g_autoptr(CmApiClient) client = NULL;
  g_autoptr(CmCredentialStore) store = NULL;
  g_autoptr(CmSession) session = NULL;
  g_autoptr(CmSignUpForm) form = NULL;
  g_autofree char *list = NULL;
  const char * const *words;
  const char *question;
  GtkWidget *window;
  CmPage *profile;

  if (!have_display)
    {
      g_test_skip ("No display: run the suite inside scripts/headless-session");
      return;
    }

  g_assert_no_error (error);
  g_assert_true (cm_server_start (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  client = cm_api_client_new (cm_server_get_uri (server));
  store = cm_credential_store_new_for_backend (CM_CREDENTIAL_BACKEND_MEMORY);
  session = cm_session_new (client, store);
  form = cm_sign_up_form_new (NULL);
  profile = cm_profile_page_new (session, form);
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (profile));
  gtk_window_present (GTK_WINDOW (window));

  cm_profile_page_reload_challenge (CM_PROFILE_PAGE (profile));
  while (!challenge_loaded_cb (profile))
    g_main_context_iteration (NULL, TRUE);
  words = cm_profile_page_get_challenge_words (CM_PROFILE_PAGE (profile));
  question = gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (
    GTK_WIDGET (profile), CM_TYPE_PROFILE_PAGE, "question_label")));

  /* The words, joined with this language's separator, in the question. */
  list = g_strjoinv (expect_rtl () ? "، " : ", ", (char **) words);
  g_assert_nonnull (strstr (question, list));
  g_assert_nonnull (strstr (question, cm_profile_page_get_challenge_letter (
                                       CM_PROFILE_PAGE (profile))));
  for (guint i = 0; words[i] != NULL; i++)
    for (const char *p = words[i]; *p != '\0'; p = g_utf8_next_char (p))
      {
        GUnicodeScript script = g_unichar_get_script (g_utf8_get_char (p));

        /* Arabic words in Arabic; Spanish words in Latin letters, in a Spanish sentence. */
        g_assert_cmpint (script, ==, expect_rtl () ? G_UNICODE_SCRIPT_ARABIC
                                                   : G_UNICODE_SCRIPT_LATIN);
      }
  if (expect_rtl ())
    g_assert_true (g_str_has_prefix (question, "أي كلمة"));
  else
    g_assert_true (g_str_has_prefix (question, "¿Qué palabra"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
  cm_server_stop (server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_rmdir (outbox);
  g_rmdir (dir);
}
#endif

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
#ifdef CM_TEST_HAVE_SERVER
  /* Needs the back-end: not in a build without it (-Dserver=false). */
  g_test_add_func ("/locale/verification-question", test_verification_question);
#endif

  return g_test_run ();
}
