/* cm-about.c: About CARS Mechanic, with debugging information for support
 * staff: versions, back-end, practice mode and whether the keyring works.
 * Never a secret: no token, password, code or full URL query. AdwAboutWindow
 * shows it under Troubleshooting with its own Copy button.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-about"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-about.h"

/**
 * cm_about_describe_health:
 *
 * Returns: the keyring's state in English (debug information is for support
 *   staff and stays untranslated, like cm_application_dup_debug_info())
 */
const char *
cm_about_describe_health (CmCredentialHealth health)
{
  switch (health)
    {
    case CM_CREDENTIAL_HEALTH_WORKS:
      return "works";
    case CM_CREDENTIAL_HEALTH_NO_SERVICE:
      return "no Secret Service on the session bus";
    case CM_CREDENTIAL_HEALTH_LOCKED:
      return "default collection locked";
    case CM_CREDENTIAL_HEALTH_NO_COLLECTION:
      return "no default collection";
    default:
      return "unknown";
    }
}

/**
 * cm_about_dup_debug_info:
 *
 * Returns: (transfer full): the app's debug information plus the keyring's
 */
char *
cm_about_dup_debug_info (CmApplication      *application,
                         CmCredentialHealth  health)
{
  g_autofree char *base = NULL;
  g_autofree char *server_url = NULL;

  g_return_val_if_fail (CM_IS_APPLICATION (application), NULL);

  base = cm_application_dup_debug_info (application);
  server_url = cm_application_dup_server_url (application);

  return g_strdup_printf ("%sPractice mode: %s\nKeyring: %s\n", base,
                          server_url == NULL ? "on" : "off",
                          cm_about_describe_health (health));
}

static void
show_about (CmApplication      *application,
            CmCredentialHealth  health)
{
  g_autoptr(GtkBuilder) builder = NULL;
  g_autofree char *debug_info = cm_about_dup_debug_info (application, health);
  GtkWindow *about;

  builder = gtk_builder_new_from_resource ("/io/github/carsmechanic/CarsMechanic/ui/cm-about.ui");
  about = GTK_WINDOW (gtk_builder_get_object (builder, "about"));
  g_object_set (about,
                "application", application,
                "transient-for",
                gtk_application_get_active_window (GTK_APPLICATION (application)),
                "application-icon", BASE_APP_ID,
                "version", PACKAGE_VERSION,
                /* A legal notice: the same in every language. */
                "copyright", "© 2026 The CARS Mechanic authors",
                "debug-info", debug_info,
                NULL);
  gtk_window_present (about);
}

static void
health_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CmApplication) application = user_data;

  show_about (application,
              cm_credential_store_check_health_finish (CM_CREDENTIAL_STORE (object), result));
}

/**
 * cm_about_present:
 * @store: (nullable): the credential store whose health to report
 *
 * Checks the keyring (quickly, without storing anything) and shows About.
 */
void
cm_about_present (CmApplication     *application,
                  CmCredentialStore *store)
{
  g_return_if_fail (CM_IS_APPLICATION (application));

  if (store == NULL)
    {
      show_about (application, CM_CREDENTIAL_HEALTH_NO_SERVICE);
      return;
    }
  cm_credential_store_check_health_async (store, NULL, health_cb, g_object_ref (application));
}
