/* cm-application.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-application"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "cm-about.h"
#include "cm-account-settings-window.h"
#include "cm-application.h"
#include "cm-application-private.h"
#include "cm-practice-inbox.h"
#include "cm-practice.h"
#include "cm-preferences-window.h"
#include "cm-springboard-window.h"
#include "cm-window.h"

struct _CmApplication
{
  AdwApplication  parent_instance;

  /* owned, nullable: NULL when the schema is not installed */
  GSettings      *settings;
  /* owned, nullable: from --server or cm_application_set_server_url() */
  char           *server_url_override;
  /* owned, nullable: the last io.github.carsmechanic: link; may hold an
   * authorization code, so it is never logged */
  char           *pending_link;
  /* owned, nullable: the in-process back-end of practice mode */
  CmPractice     *practice;
  /* owned, nullable: the session of the window in front, whose state enables
   * app.account-settings */
  CmSession      *watched_session;
};

G_DEFINE_FINAL_TYPE (CmApplication, cm_application, ADW_TYPE_APPLICATION)

typedef enum {
  PROP_PENDING_LINK = 1,
  N_PROPS
} CmApplicationProperty;

static GParamSpec *obj_props[N_PROPS];

static void
cm_application_set_pending_link (CmApplication *self,
                                 const char    *link)
{
  if (g_strcmp0 (self->pending_link, link) == 0)
    return;

  g_free (self->pending_link);
  self->pending_link = g_strdup (link);
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_PENDING_LINK]);
}

static void
cm_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

/* The session of the window in front, for the keyring health in About. */
static CmSession *
get_active_session (CmApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (CM_IS_SPRINGBOARD_WINDOW (window))
    return cm_springboard_window_get_session (CM_SPRINGBOARD_WINDOW (window));
  if (CM_IS_WINDOW (window))
    return cm_window_get_session (CM_WINDOW (window));
  if (CM_IS_ACCOUNT_SETTINGS_WINDOW (window))
    return cm_account_settings_window_get_session (CM_ACCOUNT_SETTINGS_WINDOW (window));
  return NULL;
}

/* ---- app.account-settings: the signed-in account's settings (the State header's
 * "Settings"); enabled only while the window in front has somebody signed in. ---- */

static CmSession *
signed_in_session (CmApplication *self)
{
  CmSession *session = get_active_session (self);

  if (session == NULL || cm_session_get_state (session) != CM_SESSION_STATE_SIGNED_IN)
    return NULL;
  return session;
}

static void
update_account_settings_enabled (CmApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "account-settings");

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), signed_in_session (self) != NULL);
}

static void
on_active_window_cb (CmApplication *self)
{
  CmSession *session = get_active_session (self);

  if (session != self->watched_session)
    {
      if (self->watched_session != NULL)
        g_signal_handlers_disconnect_by_func (self->watched_session,
                                              update_account_settings_enabled, self);
      g_set_object (&self->watched_session, session);
      if (session != NULL)
        g_signal_connect_swapped (session, "notify::state",
                                  G_CALLBACK (update_account_settings_enabled), self);
    }
  update_account_settings_enabled (self);
}

static void
cm_application_account_settings_action (GSimpleAction *action,
                                        GVariant      *parameter,
                                        gpointer       user_data)
{
  CmApplication *self = CM_APPLICATION (user_data);
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));
  CmSession *session = signed_in_session (self);
  CmAccountSettingsWindow *settings;

  if (session == NULL || CM_IS_ACCOUNT_SETTINGS_WINDOW (active))
    return;
  settings = cm_account_settings_window_new (session);
  gtk_window_set_transient_for (GTK_WINDOW (settings), active);
  gtk_window_set_modal (GTK_WINDOW (settings), TRUE);
  gtk_window_set_application (GTK_WINDOW (settings), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (settings));
}

static void
cm_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  CmApplication *self = CM_APPLICATION (user_data);
  CmSession *session = get_active_session (self);

  /* Adds practice mode and keyring health to the debug information. */
  cm_about_present (self, session != NULL ? cm_session_get_credential_store (session) : NULL);
}

static void
cm_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  CmApplication *self = CM_APPLICATION (user_data);
  CmPreferencesWindow *preferences;

  if (self->settings == NULL)
    return;

  preferences = cm_preferences_window_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (preferences),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_set_modal (GTK_WINDOW (preferences), TRUE);
  gtk_window_present (GTK_WINDOW (preferences));
}

/* (transfer none) (nullable): the Practice Inbox window, when one is open */
static GtkWindow *
find_inbox (CmApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (CM_IS_PRACTICE_INBOX (l->data))
      return l->data;
  return NULL;
}

/* What the inbox shows is read: the badge goes, and so does the notification. */
static void
on_inbox_active_cb (GtkWindow     *inbox,
                    GParamSpec    *pspec,
                    CmApplication *self)
{
  if (gtk_window_is_active (inbox) && self->practice != NULL)
    cm_outbox_watch_mark_read (cm_practice_get_outbox_watch (self->practice));
}

static void
cm_application_practice_inbox_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  CmApplication *self = CM_APPLICATION (user_data);
  GtkWindow *inbox;

  if (self->practice == NULL)
    return;

  inbox = find_inbox (self);
  if (inbox == NULL)
    {
      inbox = GTK_WINDOW (cm_practice_inbox_new (cm_practice_get_outbox_watch (self->practice)));
      gtk_window_set_application (inbox, GTK_APPLICATION (self));
      g_signal_connect_object (inbox, "notify::is-active", G_CALLBACK (on_inbox_active_cb), self,
                               0);
    }
  gtk_window_present (inbox);
  cm_outbox_watch_mark_read (cm_practice_get_outbox_watch (self->practice));
}

/* Something arrived in the practice outbox: a notification, unless the inbox
 * is in front already (it shows it). */
static void
on_unread_cb (CmOutboxWatch *watch,
              GParamSpec    *pspec,
              CmApplication *self)
{
  guint n = cm_outbox_watch_get_n_unread (watch);
  GtkWindow *inbox = find_inbox (self);
  g_autoptr(GNotification) notification = NULL;

  if (n == 0)
    {
      g_application_withdraw_notification (G_APPLICATION (self), "practice-inbox");
      return;
    }
  if (inbox != NULL && gtk_window_is_active (inbox))
    {
      cm_outbox_watch_mark_read (watch);
      return;
    }

  /* Translators: a desktop notification; the Practice Inbox holds what practice mode "sent". */
  notification = g_notification_new (_("New message in the Practice Inbox"));
  g_notification_set_body (notification,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "An email or letter from the practice back-end is waiting.",
                                        "Emails or letters from the practice back-end are waiting.",
                                        n));
  g_notification_set_default_action (notification, "app.practice-inbox");
  g_application_send_notification (G_APPLICATION (self), "practice-inbox", notification);
}

static const GActionEntry app_actions[] = {
  { "quit", cm_application_quit_action, NULL, NULL, NULL, { 0 } },
  { "about", cm_application_about_action, NULL, NULL, NULL, { 0 } },
  { "preferences", cm_application_preferences_action, NULL, NULL, NULL, { 0 } },
  { "practice-inbox", cm_application_practice_inbox_action, NULL, NULL, NULL, { 0 } },
  { "account-settings", cm_application_account_settings_action, NULL, NULL, NULL, { 0 } },
};

/* ---- the shortcuts window, built on first use ----------------------------- */

/* GtkApplication would build gtk/help-overlay.ui for every window it gets, at
 * start (about 10 M instructions before the first frame, docs/benchmarks.md):
 * the file lives elsewhere, and each window's win.show-help-overlay builds it
 * when first asked. (With an action of that name in place,
 * gtk_application_window_set_help_overlay() adds none of its own.) */
static void
cm_application_show_help_overlay_action (GSimpleAction *action,
                                         GVariant      *parameter,
                                         gpointer       user_data)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (user_data);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = NULL;

      builder = gtk_builder_new_from_resource (RESOURCE_BASE_PATH "/ui/cm-shortcuts-window.ui");
      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

static void
cm_application_window_added (GtkApplication *application,
                             GtkWindow      *window)
{
  static const GActionEntry window_actions[] = {
    { "show-help-overlay", cm_application_show_help_overlay_action, NULL, NULL, NULL, { 0 } },
  };

  GTK_APPLICATION_CLASS (cm_application_parent_class)->window_added (application, window);

  if (GTK_IS_APPLICATION_WINDOW (window) &&
      gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) == NULL)
    g_action_map_add_action_entries (G_ACTION_MAP (window), window_actions,
                                     G_N_ELEMENTS (window_actions), window);
}

static gint
cm_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  CmApplication *self = CM_APPLICATION (application);
  const char *server_url = NULL;
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  /* Options are read in the process that was started: with an instance
   * already running, the URL applies only when this one becomes primary. */
  if (g_variant_dict_lookup (options, "server", "&s", &server_url))
    {
      if (!cm_application_check_server_url (server_url, &error))
        {
          /* Translators: %s is why the --server value was refused. */
          g_printerr (_("Cannot use --server: %s\n"), error->message);
          return EXIT_FAILURE;
        }
      cm_application_set_server_url (self, server_url);
    }

  return G_APPLICATION_CLASS (cm_application_parent_class)->handle_local_options (application,
                                                                                   options);
}

/* Practice mode: no back-end configured, so run the reference one in the app.
 * It starts after the window's first frame (cm_practice_start_async(), from
 * CmWindow): Welcome needs no back-end, and SQLite and the demo data would
 * cost the first frame 10-40 ms (docs/benchmarks.md). */
static void
cm_application_prepare_practice (CmApplication *self)
{
  g_autofree char *server_url = cm_application_dup_server_url (self);

  if (server_url != NULL || !cm_practice_is_available () || self->practice != NULL)
    return;

  self->practice = cm_practice_new (NULL);
  g_signal_connect_object (cm_practice_get_outbox_watch (self->practice), "notify::n-unread",
                           G_CALLBACK (on_unread_cb), self, 0);
}

static void
cm_application_startup (GApplication *application)
{
  CmApplication *self = CM_APPLICATION (application);
  static const char *quit_accels[] = { "<Primary>q", NULL };
  static const char *close_accels[] = { "<Primary>w", NULL };
  static const char *preferences_accels[] = { "<Primary>comma", NULL };
  static const char *help_overlay_accels[] = { "<Primary>question", NULL };

  /* Loads style.css from the resource base path (not the shortcuts window:
   * cm_application_window_added()). */
  G_APPLICATION_CLASS (cm_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         help_overlay_accels);

  self->settings = cm_application_lookup_settings ();

  cm_application_prepare_practice (self);
  /* The inbox shows what the practice back-end "sent"; without one it has nothing. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "practice-inbox")),
                               self->practice != NULL);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  g_signal_connect (self, "notify::active-window", G_CALLBACK (on_active_window_cb), NULL);
  update_account_settings_enabled (self);
}

static void
cm_application_shutdown (GApplication *application)
{
  CmApplication *self = CM_APPLICATION (application);

  G_APPLICATION_CLASS (cm_application_parent_class)->shutdown (application);

  if (self->practice != NULL)
    cm_practice_stop (self->practice);
}

static void
cm_application_activate (GApplication *application)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (application));
  if (window == NULL)
    window = GTK_WINDOW (cm_window_new (CM_APPLICATION (application)));

  gtk_window_present (window);
}

static void
cm_application_open (GApplication  *application,
                     GFile        **files,
                     gint           n_files,
                     const gchar   *hint)
{
  CmApplication *self = CM_APPLICATION (application);

  for (gint i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autofree char *scheme = g_uri_parse_scheme (uri);

      /* Never log the link itself: it may carry an authorization code. */
      if (g_strcmp0 (scheme, URI_SCHEME) == 0)
        cm_application_set_pending_link (self, uri);
      else
        g_debug ("Ignoring an argument that is not a %s: link", URI_SCHEME);
    }

  g_application_activate (application);
}

static void
cm_application_finalize (GObject *object)
{
  CmApplication *self = CM_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->server_url_override, g_free);
  g_clear_pointer (&self->pending_link, g_free);
  g_clear_object (&self->practice);
  if (self->watched_session != NULL)
    g_signal_handlers_disconnect_by_func (self->watched_session,
                                          update_account_settings_enabled, self);
  g_clear_object (&self->watched_session);

  G_OBJECT_CLASS (cm_application_parent_class)->finalize (object);
}

static void
cm_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CmApplication *self = CM_APPLICATION (object);

  switch ((CmApplicationProperty) prop_id)
    {
    case PROP_PENDING_LINK:
      g_value_set_string (value, self->pending_link);
      break;

    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_application_class_init (CmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->finalize = cm_application_finalize;
  object_class->get_property = cm_application_get_property;

  app_class->handle_local_options = cm_application_handle_local_options;
  app_class->startup = cm_application_startup;
  app_class->shutdown = cm_application_shutdown;
  app_class->activate = cm_application_activate;
  app_class->open = cm_application_open;
  gtk_app_class->window_added = cm_application_window_added;

  /**
   * CmApplication:pending-link:
   *
   * The last `io.github.carsmechanic:` link the app was opened with, until a
   * page takes it with cm_application_take_pending_link().
   */
  obj_props[PROP_PENDING_LINK] =
    g_param_spec_string ("pending-link", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, obj_props);
}

static void
cm_application_init (CmApplication *self)
{
  static const GOptionEntry entries[] = {
    { "server", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
      /* Translators: URL is the name of the value in --help; translate it the same way in both strings. */
      N_("Use the CARS e-Services back-end at URL instead of the configured one"), N_("URL") },
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  /* Translators: the command line synopsis after "cars-mechanic"; keep
   * “io.github.carsmechanic:” as it is, only LINK may be translated. */
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[io.github.carsmechanic:LINK]"));
}

/**
 * cm_application_new:
 * @application_id: the application id, normally `APP_ID`
 * @flags: extra flags, e.g. %G_APPLICATION_NON_UNIQUE in tests
 *
 * Returns: (transfer full): a new #CmApplication
 */
CmApplication *
cm_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  g_return_val_if_fail (g_application_id_is_valid (application_id), NULL);

  return g_object_new (CM_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags | G_APPLICATION_HANDLES_OPEN |
                                G_APPLICATION_CAN_OVERRIDE_APP_ID,
                       /* Explicit, so a .Devel app id finds the same resources. */
                       "resource-base-path", RESOURCE_BASE_PATH,
                       NULL);
}

/**
 * cm_application_lookup_settings:
 *
 * Returns: (transfer full) (nullable): the app's #GSettings, or %NULL with a
 *   warning when the schema is not installed (an uninstalled build run
 *   outside `meson devenv`), so the app still runs without saving state
 */
GSettings *
cm_application_lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_warning ("GSettings schema %s is not installed: settings will not be saved. "
                 "Run an uninstalled build with `meson devenv`.", APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

/**
 * cm_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings, once the app started up
 */
GSettings *
cm_application_get_settings (CmApplication *self)
{
  g_return_val_if_fail (CM_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * cm_application_dup_server_url:
 *
 * The back-end to use: `--server`, else the `server-url` key, else the
 * build-time default.
 *
 * Returns: (transfer full) (nullable): the URL, or %NULL for practice mode
 */
char *
cm_application_dup_server_url (CmApplication *self)
{
  g_autofree char *from_settings = NULL;

  g_return_val_if_fail (CM_IS_APPLICATION (self), NULL);

  if (self->server_url_override != NULL)
    return g_strdup (self->server_url_override);

  if (self->settings != NULL)
    from_settings = g_settings_get_string (self->settings, "server-url");
  if (from_settings != NULL && *from_settings != '\0')
    return g_steal_pointer (&from_settings);

  if (*DEFAULT_SERVER_URL != '\0')
    return g_strdup (DEFAULT_SERVER_URL);

  return NULL;
}

/**
 * cm_application_set_server_url:
 * @server_url: (nullable): a URL checked by cm_application_check_server_url(),
 *   or %NULL to go back to the configured one
 *
 * Overrides the configured back-end for this run only (not saved).
 */
void
cm_application_set_server_url (CmApplication *self,
                               const char    *server_url)
{
  g_return_if_fail (CM_IS_APPLICATION (self));

  g_free (self->server_url_override);
  self->server_url_override = g_strdup (server_url);
}

/**
 * cm_application_get_pending_link:
 *
 * Returns: (transfer none) (nullable): the link the app was last opened with
 */
const char *
cm_application_get_pending_link (CmApplication *self)
{
  g_return_val_if_fail (CM_IS_APPLICATION (self), NULL);

  return self->pending_link;
}

/**
 * cm_application_take_pending_link:
 *
 * Hands the pending link to the caller and clears it, so it is acted on once.
 *
 * Returns: (transfer full) (nullable): the link
 */
char *
cm_application_take_pending_link (CmApplication *self)
{
  char *link;

  g_return_val_if_fail (CM_IS_APPLICATION (self), NULL);

  if (self->pending_link == NULL)
    return NULL;

  link = g_steal_pointer (&self->pending_link);
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_PENDING_LINK]);

  return link;
}

/**
 * cm_application_dup_debug_info:
 *
 * The text of About > Troubleshooting > Debugging Information. It names
 * versions and the back-end host, never a secret: the URL loses any user
 * name, password, query and fragment. It is left in English on purpose, so
 * support staff can read what any user sends them.
 *
 * Returns: (transfer full): the debug information
 */
char *
cm_application_dup_debug_info (CmApplication *self)
{
  g_autoptr(GString) info = g_string_new (NULL);
  g_autofree char *server_url = NULL;
  g_autofree char *os_name = NULL;
  const char *app_id;

  g_return_val_if_fail (CM_IS_APPLICATION (self), NULL);

  app_id = g_application_get_application_id (G_APPLICATION (self));
  server_url = cm_application_dup_server_url (self);
  os_name = g_get_os_info (G_OS_INFO_KEY_PRETTY_NAME);

  g_string_append_printf (info, "CARS Mechanic %s (%s, profile %s)\n",
                          PACKAGE_VERSION, app_id ? app_id : APP_ID, PROFILE);
  if (server_url != NULL)
    {
      g_autofree char *safe_url = cm_application_sanitize_url (server_url);

      g_string_append_printf (info, "Back-end: %s\n", safe_url);
    }
  else
    {
      g_string_append (info, "Back-end: none, practice mode\n");
    }
  g_string_append_printf (info, "Operating system: %s\n", os_name ? os_name : "unknown");
  g_string_append_printf (info, "Flatpak: %s\n",
                          g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ? "yes" : "no");
  g_string_append_printf (info, "GLib: %u.%u.%u\n",
                          glib_major_version, glib_minor_version, glib_micro_version);
  g_string_append_printf (info, "GTK: %u.%u.%u\n",
                          gtk_get_major_version (), gtk_get_minor_version (),
                          gtk_get_micro_version ());
  g_string_append_printf (info, "libadwaita: %u.%u.%u\n",
                          adw_get_major_version (), adw_get_minor_version (),
                          adw_get_micro_version ());
  g_string_append_printf (info, "libsoup: %u.%u.%u\n",
                          soup_get_major_version (), soup_get_minor_version (),
                          soup_get_micro_version ());

  return g_string_free (g_steal_pointer (&info), FALSE);
}

/**
 * cm_application_check_server_url:
 * @server_url: what the user gave to `--server`
 * @error: set to a translated %G_OPTION_ERROR_BAD_VALUE when refused
 *
 * Accepts an absolute http or https URL with a host and without a user name
 * or password (credentials never travel in a URL). Whether plain http is
 * allowed for that host is for the API client to decide.
 *
 * Returns: %TRUE when @server_url can be used
 */
gboolean
cm_application_check_server_url (const char  *server_url,
                                 GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (server_url == NULL || *server_url == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The back-end URL is empty"));
      return FALSE;
    }

  /* GUri lets a space through in a host name; in a typed URL it is a typo. */
  for (const char *p = server_url; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      {
        g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                             _("The back-end URL must not contain spaces"));
        return FALSE;
      }

  uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The back-end URL is not a valid URL"));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The back-end URL must start with https:// or http://"));
      return FALSE;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The back-end URL has no host name"));
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The back-end URL must not contain a user name or password"));
      return FALSE;
    }

  return TRUE;
}

/**
 * cm_application_sanitize_url:
 * @url: any string
 *
 * Returns: (transfer full): @url without user name, password, query or
 *   fragment, safe for logs and debug information
 */
char *
cm_application_sanitize_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return g_strdup ("(not a valid URL)");

  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), g_uri_get_path (uri), NULL, NULL);
}

/**
 * cm_application_get_practice:
 *
 * Returns: (transfer none) (nullable): the practice back-end, when the app
 *   runs in practice mode; the window starts it after its first frame, and
 *   whoever needs it waits with cm_practice_start_async()
 */
CmPractice *
cm_application_get_practice (CmApplication *self)
{
  g_return_val_if_fail (CM_IS_APPLICATION (self), NULL);

  return self->practice;
}

/**
 * cm_application_dup_backend_url:
 *
 * Returns: (transfer full) (nullable): the configured back-end, else the
 *   practice one once started, else %NULL (none, or not started yet)
 */
char *
cm_application_dup_backend_url (CmApplication *self)
{
  char *url;

  g_return_val_if_fail (CM_IS_APPLICATION (self), NULL);

  url = cm_application_dup_server_url (self);
  if (url == NULL && self->practice != NULL && cm_practice_get_uri (self->practice) != NULL)
    url = g_strdup (cm_practice_get_uri (self->practice));

  return url;
}
