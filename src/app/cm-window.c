/* cm-window.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-pages.h"
#include "cm-access-window.h"
#include "cm-account-access-page.h"
#include "cm-application.h"
#include "cm-credential-store.h"
#include "cm-expiry-dialog.h"
#include "cm-forgot-password-page.h"
#include "cm-page.h"
#include "cm-plain-text.h"
#include "cm-practice.h"
#include "cm-protocol.h"
#include "cm-profile-page.h"
#include "cm-security-page.h"
#include "cm-sign-in-page.h"
#include "cm-sign-up-form.h"
#include "cm-springboard-window.h"
#include "cm-state-header.h"
#include "cm-welcome-page.h"
#include "cm-window-private.h"
#include "cm-wizard.h"

struct _CmWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  GtkMenuButton        *primary_menu_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *placeholder_page;
  GMenuModel           *primary_menu;

  /* owned */
  GCancellable         *cancellable;
  /* owned, nullable: NULL when the schema is not installed */
  GSettings            *settings;
  /* owned, nullable: NULL when there is no back-end at all */
  CmSession            *session;
  /* owned: what the sign-up pages share, and its draft */
  CmSignUpForm         *sign_up_form;
  /* owned, nullable (no session): what the access flows' steps share */
  CmAccessRequest      *access_request;

  /* owned, nullable: the login kind chosen on Welcome (CM_ACCOUNT_TYPE_*) */
  char                 *account_type;

  /* borrowed: a child of main_stack */
  CmWizard             *wizard;
  CmWelcomePage        *welcome_page;
  /* borrowed: the wizard's banner, on the signed-in pages only */
  CmStateHeader        *state_header;
  /* borrowed, nullable: the springboard while it is open (GTK owns toplevels) */
  CmSpringboardWindow  *springboard;

  CmBackendMode         backend_mode;
  /* "Signing You In…" only when a restore takes a while */
  guint                 loading_id;
  /* the first frame: practice mode's back-end and the loading page wait for it */
  gulong                first_paint_id;
  gboolean              painted;
  gboolean              restoring;
};

/* How long a restore runs before "Signing You In…" replaces Welcome: the
 * keyring says "nothing here" well within it, and the page's spinner costs
 * librsvg (7 MiB) the moment it is drawn. */
#define LOADING_PAGE_DELAY_MS 300

G_DEFINE_FINAL_TYPE (CmWindow, cm_window, ADW_TYPE_APPLICATION_WINDOW)

typedef enum {
  PROP_SESSION = 1,
  N_PROPS
} CmWindowProperty;

static GParamSpec *obj_props[N_PROPS];

/* The sign-up steps a closed window comes back to. */
static const char *resumable_steps[] = { "profile", "security", NULL };

/* The wizard's last page. Like every page but Welcome it is built on first
 * use (build_access_page_cb()), so ask the wizard each time. */
static CmAccountAccessPage *
get_access_page (CmWindow *self)
{
  return CM_ACCOUNT_ACCESS_PAGE (cm_wizard_get_page (self->wizard, "access-options"));
}

/* Only the child on screen may take focus or be read: a GtkStack keeps its
 * other children in the accessible tree, so they are hidden once the
 * crossfade ends (as the wizard does with its pages). */
static void
hide_other_main_children (CmWindow *self)
{
  GtkWidget *shown = gtk_stack_get_visible_child (self->main_stack);

  if (gtk_stack_get_transition_running (self->main_stack))
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->main_stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_visible (child, child == shown);
}

static void
show_main_child (CmWindow   *self,
                 const char *name)
{
  GtkWidget *child = gtk_stack_get_child_by_name (self->main_stack, name);

  gtk_widget_set_visible (child, TRUE);
  gtk_stack_set_visible_child (self->main_stack, child);
  hide_other_main_children (self);
}

static void
show_wizard (CmWindow *self)
{
  show_main_child (self, "wizard");
}

static void show_access (CmWindow *self);

static void
on_springboard_logged_off_cb (CmWindow            *self,
                              CmSpringboardWindow *springboard)
{
  /* Not the close handler's business any more: this is a log off. */
  g_signal_handlers_disconnect_by_data (springboard, self);
  self->springboard = NULL;
  gtk_window_destroy (GTK_WINDOW (springboard));

  cm_wizard_reset (self->wizard);
  cm_sign_up_form_clear (self->sign_up_form);
  cm_wizard_go_to (self->wizard, "sign-in");
  show_wizard (self);
  gtk_window_present (GTK_WINDOW (self));
  cm_wizard_add_toast (self->wizard, cm_plain_toast_new (_("You are logged off.")));
}

/* Closing the springboard closes the app, as closing the main window would. */
static void
on_springboard_destroy_cb (CmWindow  *self,
                           GtkWidget *springboard)
{
  self->springboard = NULL;
  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
open_springboard (CmWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (self->springboard == NULL)
    {
      self->springboard = cm_springboard_window_new (app, self->session);
      cm_springboard_window_set_account_type (self->springboard, self->account_type);
      g_signal_connect_object (self->springboard, "logged-off",
                               G_CALLBACK (on_springboard_logged_off_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->springboard, "destroy",
                               G_CALLBACK (on_springboard_destroy_cb), self, G_CONNECT_SWAPPED);
    }
  gtk_window_present (GTK_WINDOW (self->springboard));
  /* The sign-in window waits hidden, for Log Off. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/* An io.github.carsmechanic: link, once someone is signed in. The link is
 * untrusted: the page takes only a valid code from it, and never submits. */
static void
handle_pending_link (CmWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *link = NULL;
  gboolean ok;

  if (!CM_IS_APPLICATION (app) || cm_application_get_pending_link (CM_APPLICATION (app)) == NULL)
    return;

  if (self->session == NULL || cm_session_get_state (self->session) != CM_SESSION_STATE_SIGNED_IN)
    {
      /* After sign-in; say why the sign-in page is shown. */
      cm_wizard_add_toast (self->wizard,
                           cm_plain_toast_new (_("Sign in to add account access with the code "
                                                 "from your email or letter.")));
      return;
    }

  link = cm_application_take_pending_link (CM_APPLICATION (app));
  if (self->springboard != NULL)
    {
      char *code = cm_add_access_parse_link (link);

      ok = code != NULL;
      cm_secret_free (code);
      if (ok)
        cm_springboard_window_open_flow (self->springboard, "add-access", link);
    }
  else
    {
      show_access (self);
      ok = cm_access_pages_open_link (self->wizard, link);
      gtk_window_present (GTK_WINDOW (self));
    }
  if (!ok)
    {
      AdwToast *toast;

      toast = cm_plain_toast_new (_("The link does not hold a valid authorization code."));

      if (self->springboard != NULL)
        cm_springboard_window_add_toast (self->springboard, toast);
      else
        cm_wizard_add_toast (self->wizard, toast);
    }
}

static void
accounts_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CmWindow *self;
  g_autoptr(GError) error = NULL;

  if (!cm_session_refresh_accounts_finish (CM_SESSION (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CM_WINDOW (user_data);
  if (error != NULL)
    g_debug ("Could not list the accounts: %s", error->message);

  /* A user with linked accounts belongs on the springboard; the link, if
   * any, then opens Add Account Access there. */
  if (g_list_model_get_n_items (cm_session_get_accounts (self->session)) > 0)
    open_springboard (self);
  handle_pending_link (self);
}

static CmJourney *
new_journey (CmWindow *self)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "cars-mechanic", NULL);

  return cm_journey_new (dir,
                         cm_api_client_get_base_uri (cm_session_get_api_client (self->session)),
                         cm_session_get_user_id (self->session));
}

/* Signed in (or restored): Account Access Options, or the springboard. */
static void
on_signed_in (CmWindow *self)
{
  g_autoptr(CmJourney) journey = new_journey (self);
  CmAccountAccessPage *access_page = get_access_page (self);

  cm_account_access_page_set_journey (access_page, journey);
  cm_session_refresh_accounts_async (self->session, self->cancellable, accounts_cb, self);
}

static void
show_access (CmWindow *self)
{
  if (g_strcmp0 (cm_wizard_get_current_name (self->wizard), "access-options") != 0)
    cm_wizard_go_to (self->wizard, "access-options");
  show_wizard (self);
}

static void
on_account_linked_cb (CmWindow  *self,
                      CmAccount *account)
{
  open_springboard (self);
}

static void
on_pending_link_cb (CmWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (CM_IS_APPLICATION (app) && cm_application_get_pending_link (CM_APPLICATION (app)) != NULL)
    handle_pending_link (self);
}

/* The MILogin pages: before sign-in, so without the State's header. */
static const char *milogin_pages[] = {
  "welcome", "sign-in", "forgot-password", "profile", "security", NULL
};

static void
update_state_header (CmWindow *self)
{
  const char *name;
  gboolean signed_in;

  /* A session outliving the window may still notify once it is disposed. */
  if (self->wizard == NULL || self->state_header == NULL)
    return;
  name = cm_wizard_get_current_name (self->wizard);
  signed_in = self->session != NULL &&
              cm_session_get_state (self->session) == CM_SESSION_STATE_SIGNED_IN;

  gtk_widget_set_visible (GTK_WIDGET (self->state_header),
                          signed_in && name != NULL && !g_strv_contains (milogin_pages, name));
}

/* The login kind titles the sign-in page and is the type both access flows
 * start with, here and on the springboard; it is kept for the next start. */
static void
set_account_type (CmWindow   *self,
                  const char *account_type)
{
  /* Back to sign-in with the same choice keeps a type picked in the flows since. */
  if (g_strcmp0 (self->account_type, account_type) == 0)
    return;
  g_free (self->account_type);
  self->account_type = g_strdup (account_type);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "login-kind", account_type);
  cm_sign_in_page_set_account_type (CM_SIGN_IN_PAGE (cm_wizard_get_page (self->wizard,
                                                                         "sign-in")),
                                    account_type);
  cm_access_request_set_preferred_type (self->access_request, account_type);
  if (self->springboard != NULL)
    cm_springboard_window_set_account_type (self->springboard, account_type);
}

static void
on_wizard_current_page_cb (CmWindow *self)
{
  const char *name = cm_wizard_get_current_name (self->wizard);

  update_state_header (self);
  /* Leaving Welcome: the choice made there. */
  if (g_strcmp0 (name, "sign-in") == 0)
    set_account_type (self, cm_welcome_page_get_account_type (
                        CM_WELCOME_PAGE (cm_wizard_get_page (self->wizard, "welcome"))));

  if (self->settings == NULL || name == NULL)
    return;

  /* Only the sign-up steps are worth resuming; the draft itself is saved
   * by the profile and security pages as the user types. */
  if (g_strv_contains (resumable_steps, name))
    g_settings_set_string (self->settings, "wizard-step", name);
  else if (!g_str_equal (name, "access-options"))
    g_settings_set_string (self->settings, "wizard-step", "");

  if (g_str_equal (name, "access-options") && self->session != NULL &&
      cm_session_get_state (self->session) == CM_SESSION_STATE_SIGNED_IN)
    on_signed_in (self);
}

static void
on_wizard_cancelled_cb (CmWindow *self)
{
  /* The sign-up pages clear the form when reset; they may not be built. */
  cm_sign_up_form_clear (self->sign_up_form);
}

static void
resume_wizard (CmWindow *self)
{
  g_autofree char *step = NULL;
  CmPage *profile;

  show_wizard (self);

  if (self->settings == NULL || self->session == NULL)
    return;

  step = g_settings_get_string (self->settings, "wizard-step");
  g_debug ("Resuming the wizard at step “%s”", step);
  /* The user may have started from Welcome while the restore ran. */
  if (!g_strv_contains (resumable_steps, step) ||
      g_strcmp0 (cm_wizard_get_current_name (self->wizard), "welcome") != 0)
    return;

  /* Walk the same path the user took, so Back works as before. */
  cm_wizard_go_to (self->wizard, "sign-in");
  cm_wizard_go_to (self->wizard, "profile");
  profile = cm_wizard_get_page (self->wizard, "profile");
  if (g_str_equal (step, "security") && cm_page_get_complete (profile))
    cm_wizard_go_to (self->wizard, "security");
}

static void
restore_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CmWindow *self;
  g_autoptr(GError) error = NULL;
  gboolean restored;

  restored = cm_session_restore_finish (CM_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CM_WINDOW (user_data);
  self->restoring = FALSE;
  g_clear_handle_id (&self->loading_id, g_source_remove);
  if (restored)
    {
      /* Arriving on the page runs on_signed_in(). */
      show_access (self);
      return;
    }

  if (error != NULL)
    {
      AdwToast *toast = cm_plain_toast_new (error->message);

      g_debug ("Could not restore the session: %s", error->message);
      adw_toast_set_timeout (toast, 0);
      cm_wizard_add_toast (self->wizard, toast);
    }

  resume_wizard (self);
}

static void
sign_out_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CmWindow *self;
  g_autoptr(GError) error = NULL;

  if (!cm_session_sign_out_finish (CM_SESSION (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CM_WINDOW (user_data);
  cm_wizard_reset (self->wizard);
  cm_sign_up_form_clear (self->sign_up_form);
  cm_wizard_go_to (self->wizard, "sign-in");
  show_wizard (self);

  if (error != NULL)
    {
      /* Translators: %s says why the back-end could not be told. */
      g_autofree char *text = g_strdup_printf (_("Logged off on this computer, but the "
                                                 "back-end was not told: %s"), error->message);

      cm_wizard_add_toast (self->wizard, cm_plain_toast_new (text));
    }
  else
    {
      cm_wizard_add_toast (self->wizard, cm_plain_toast_new (_("You are logged off.")));
    }
}

static void
cm_window_log_off (CmWindow *self)
{
  if (self->session == NULL)
    return;

  cm_session_sign_out_async (self->session, self->cancellable, sign_out_cb, self);
}

static void
cm_window_sign_out_action (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  cm_window_log_off (CM_WINDOW (user_data));
}

/* ---- the wizard's pages, built when first needed ------------------------- */

static CmPage *
build_sign_in_page_cb (CmWizard   *wizard,
                       const char *name,
                       gpointer    user_data)
{
  CmWindow *self = CM_WINDOW (user_data);
  CmPage *page = cm_sign_in_page_new (self->session, self->settings);

  cm_sign_in_page_set_account_type (CM_SIGN_IN_PAGE (page), self->account_type);
  return page;
}

static CmPage *
build_forgot_password_page_cb (CmWizard   *wizard,
                               const char *name,
                               gpointer    user_data)
{
  CmWindow *self = CM_WINDOW (user_data);

  return cm_forgot_password_page_new (self->session, self->settings);
}

static CmPage *
build_profile_page_cb (CmWizard   *wizard,
                       const char *name,
                       gpointer    user_data)
{
  CmWindow *self = CM_WINDOW (user_data);

  return cm_profile_page_new (self->session, self->sign_up_form);
}

static CmPage *
build_security_page_cb (CmWizard   *wizard,
                        const char *name,
                        gpointer    user_data)
{
  CmWindow *self = CM_WINDOW (user_data);

  /* The profile comes from the form: the profile page need not exist. */
  return cm_security_page_new (self->session, self->settings, self->sign_up_form);
}

static CmPage *
build_access_page_cb (CmWizard   *wizard,
                      const char *name,
                      gpointer    user_data)
{
  CmWindow *self = CM_WINDOW (user_data);
  CmAccountAccessPage *access_page = cm_account_access_page_new (self->access_request);

  g_signal_connect_object (access_page, "account-linked",
                           G_CALLBACK (on_account_linked_cb), self, G_CONNECT_SWAPPED);

  return CM_PAGE (access_page);
}

/* The MILogin pages built on first use, in the wizard's order; @step is the
 * sign-up step of a page of that flow (listed before the page is built). The
 * access flows' steps and Account Access Options follow them. */
static const struct {
  const char          *name;
  const char          *step;
  CmWizardPageFactory  factory;
} lazy_pages[] = {
  { "sign-in", NULL, build_sign_in_page_cb },
  { "forgot-password", NULL, build_forgot_password_page_cb },
  /* Translators: a step of signing up, as the slides write it. */
  { "profile", N_("PROFILE"), build_profile_page_cb },
  /* Translators: a step of signing up, as the slides write it. */
  { "security", N_("SECURITY SETUP"), build_security_page_cb },
};

/* What the wizard's parts need of the session; practice mode's comes only
 * once its back-end is up, after the first frame (practice_cb()). */
static void
attach_session (CmWindow *self)
{
  if (cm_access_request_get_session (self->access_request) == NULL)
    cm_access_request_set_session (self->access_request, self->session);
  cm_state_header_set_session (self->state_header, self->session);
  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (update_state_header),
                           self, G_CONNECT_SWAPPED);
}

static void
cm_window_build_wizard (CmWindow *self)
{
  CmPage *welcome;

  self->sign_up_form = cm_sign_up_form_new (self->settings);
  self->wizard = cm_wizard_new ();
  cm_wizard_set_menu_model (self->wizard, self->primary_menu);

  /* Only Welcome before the first frame. A restored session, a resumed
   * sign-up or a link goes to its page with cm_wizard_go_to(), which builds
   * it; the rest follow in idles once the wizard is on screen. */
  welcome = cm_welcome_page_new ();
  self->welcome_page = CM_WELCOME_PAGE (welcome);
  cm_welcome_page_set_backend_mode (CM_WELCOME_PAGE (welcome), self->backend_mode);
  cm_welcome_page_set_account_type (CM_WELCOME_PAGE (welcome), self->account_type);
  cm_wizard_add_page (self->wizard, "welcome", welcome);
  for (guint i = 0; i < G_N_ELEMENTS (lazy_pages); i++)
    {
      if (lazy_pages[i].step != NULL)
        cm_wizard_add_flow_page_lazy (self->wizard, lazy_pages[i].name, CM_SIGN_UP_FLOW,
                                      _(lazy_pages[i].step), lazy_pages[i].factory, self);
      else
        cm_wizard_add_page_lazy (self->wizard, lazy_pages[i].name, lazy_pages[i].factory, self);
    }
  /* Request Code and Add Account Access, entered from Account Access Options;
   * that page is added last, so it is the end of the wizard. */
  self->access_request = cm_access_request_new (self->session);
  cm_access_request_set_preferred_type (self->access_request, self->account_type);
  cm_access_pages_add (self->wizard, self->access_request, NULL);
  cm_wizard_add_page_lazy (self->wizard, "access-options", build_access_page_cb, self);

  g_signal_connect_object (self->wizard, "notify::current-page",
                           G_CALLBACK (on_wizard_current_page_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->wizard, "cancelled",
                           G_CALLBACK (on_wizard_cancelled_cb), self, G_CONNECT_SWAPPED);

  self->state_header = cm_state_header_new ();
  cm_wizard_set_banner (self->wizard, GTK_WIDGET (self->state_header));
  if (self->session != NULL)
    attach_session (self);
  update_state_header (self);
  gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->wizard), "wizard");
}

static CmSession *
new_session_for_url (CmWindow   *self,
                     const char *url)
{
  g_autoptr(CmApiClient) api_client = NULL;
  g_autoptr(CmCredentialStore) credential_store = NULL;

  api_client = cm_api_client_new (url);
  credential_store = cm_credential_store_new ();
  /* A self-hosted back-end may use its own certificate authority (Preferences). */
  if (self->settings != NULL)
    {
      g_autofree char *ca_file = g_settings_get_string (self->settings, "ca-file");

      if (*ca_file != '\0')
        cm_api_client_set_ca_file (api_client, ca_file);
    }

  return cm_session_new (api_client, credential_store);
}

/* ---- the session, the restore and practice mode's back-end ---------------- */

static gboolean
show_loading_cb (gpointer user_data)
{
  CmWindow *self = CM_WINDOW (user_data);

  self->loading_id = 0;
  /* Not once the user started on the wizard. */
  if (g_strcmp0 (cm_wizard_get_current_name (self->wizard), "welcome") == 0)
    show_main_child (self, "loading");
  return G_SOURCE_REMOVE;
}

/* Counted from the first frame: a slow first frame (GL under load) would
 * otherwise draw the loading page, and load librsvg for its spinner, on
 * every start. */
static void
schedule_loading_page (CmWindow *self)
{
  if (!self->painted || !self->restoring || self->loading_id != 0)
    return;
  self->loading_id = g_timeout_add (LOADING_PAGE_DELAY_MS, show_loading_cb, self);
  g_source_set_name_by_id (self->loading_id, "[cm] CmWindow loading page");
}

/* The session exists: watch its expiry and restore a remembered sign-in. */
static void
start_session (CmWindow *self)
{
  cm_expiry_watch (GTK_WINDOW (self), self->session, self->toast_overlay);
  self->restoring = TRUE;
  schedule_loading_page (self);
  cm_session_restore_async (self->session, self->cancellable, restore_cb, self);
}

static void
practice_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CmPractice *practice = CM_PRACTICE (object);
  CmWindow *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *origin = NULL;

  if (!cm_practice_start_finish (practice, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CM_WINDOW (user_data);
  if (error != NULL)
    {
      g_warning ("Cannot start the practice back-end: %s", error->message);
      self->backend_mode = CM_BACKEND_MODE_NONE;
      cm_welcome_page_set_backend_mode (self->welcome_page, self->backend_mode);
      return;
    }

  origin = g_strconcat (CM_SESSION_PRACTICE_ORIGIN, cm_practice_get_data_dir (practice), NULL);
  self->session = new_session_for_url (self, cm_practice_get_uri (practice));
  /* Not the loopback URI: its port changes at every start (docs/decisions.md). */
  cm_session_set_credential_origin (self->session, origin);
  attach_session (self);
  cm_welcome_page_set_backend_ready (self->welcome_page, TRUE);
  start_session (self);
}

static void
on_first_paint_cb (CmWindow      *self,
                   GdkFrameClock *frame_clock)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  g_clear_signal_handler (&self->first_paint_id, frame_clock);
  /* Disposed meanwhile. */
  if (self->cancellable == NULL)
    return;
  self->painted = TRUE;
  schedule_loading_page (self);
  /* Practice mode: Welcome needs no back-end, so it starts after the first
   * frame (10-40 ms less before it, docs/benchmarks.md); Next waits for it. */
  if (self->session == NULL && self->backend_mode == CM_BACKEND_MODE_PRACTICE &&
      CM_IS_APPLICATION (app) && cm_application_get_practice (CM_APPLICATION (app)) != NULL)
    cm_practice_start_async (cm_application_get_practice (CM_APPLICATION (app)),
                             self->cancellable, practice_cb, self);
}

static void
on_first_map_cb (CmWindow *self)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  g_signal_handlers_disconnect_by_func (self, on_first_map_cb, self);
  self->first_paint_id = g_signal_connect_object (frame_clock, "after-paint",
                                                  G_CALLBACK (on_first_paint_cb), self,
                                                  G_CONNECT_SWAPPED);
}

static void
cm_window_restore_state (CmWindow *self)
{
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
cm_window_save_state (CmWindow *self)
{
  int width;
  int height;
  gboolean maximized;

  if (self->settings == NULL)
    return;

  maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  g_settings_set_boolean (self->settings, "window-maximized", maximized);

  /* The default size follows the user's resizing, but only while the window
   * is neither maximized nor fullscreen: keep the last normal size then. */
  if (maximized || gtk_window_is_fullscreen (GTK_WINDOW (self)))
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_delay (self->settings);
      g_settings_set_int (self->settings, "window-width", MAX (width, 360));
      g_settings_set_int (self->settings, "window-height", MAX (height, 294));
      g_settings_apply (self->settings);
    }
}

static gboolean
cm_window_close_request (GtkWindow *window)
{
  cm_window_save_state (CM_WINDOW (window));

  return GTK_WINDOW_CLASS (cm_window_parent_class)->close_request (window);
}

static void
cm_window_constructed (GObject *object)
{
  CmWindow *self = CM_WINDOW (object);
  GtkApplication *app;

  G_OBJECT_CLASS (cm_window_parent_class)->constructed (object);

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (CM_IS_APPLICATION (app) && cm_application_get_settings (CM_APPLICATION (app)) != NULL)
    self->settings = g_object_ref (cm_application_get_settings (CM_APPLICATION (app)));
  else
    self->settings = cm_application_lookup_settings ();

  cm_window_restore_state (self);
  self->account_type = self->settings != NULL
                       ? g_settings_get_string (self->settings, "login-kind")
                       : g_strdup (CM_ACCOUNT_TYPE_MECHANIC);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

/* Runs once the application property is set: GObject sets non-construct
 * properties such as GtkWindow:application only after constructed(). */
static void
cm_window_start (CmWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (CM_IS_APPLICATION (app) && cm_application_get_settings (CM_APPLICATION (app)) != NULL)
    g_set_object (&self->settings, cm_application_get_settings (CM_APPLICATION (app)));

  /* Where the app talks to: a session given by the caller (tests), the
   * configured back-end, the practice one, or none at all. */
  if (self->session != NULL)
    {
      self->backend_mode = CM_BACKEND_MODE_REMOTE;
    }
  else if (CM_IS_APPLICATION (app))
    {
      g_autofree char *url = cm_application_dup_server_url (CM_APPLICATION (app));

      /* Practice mode's session comes once its back-end is up (practice_cb()). */
      if (url != NULL)
        self->session = new_session_for_url (self, url);
      if (self->session != NULL)
        self->backend_mode = CM_BACKEND_MODE_REMOTE;
      else if (cm_application_get_practice (CM_APPLICATION (app)) != NULL)
        self->backend_mode = CM_BACKEND_MODE_PRACTICE;
      else
        self->backend_mode = CM_BACKEND_MODE_NONE;
    }
  else
    {
      self->backend_mode = CM_BACKEND_MODE_NONE;
    }

  cm_window_build_wizard (self);

  if (CM_IS_APPLICATION (app))
    g_signal_connect_object (app, "notify::pending-link", G_CALLBACK (on_pending_link_cb), self,
                             G_CONNECT_SWAPPED);

  /* Welcome at once: a restore shows its own page only if it takes a while. */
  show_wizard (self);
  g_signal_connect (self, "map", G_CALLBACK (on_first_map_cb), self);
  if (self->session != NULL)
    start_session (self);
  else if (self->backend_mode == CM_BACKEND_MODE_PRACTICE)
    cm_welcome_page_set_backend_ready (self->welcome_page, FALSE);
}

static void
cm_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CmWindow *self = CM_WINDOW (object);

  switch ((CmWindowProperty) prop_id)
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
cm_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CmWindow *self = CM_WINDOW (object);

  switch ((CmWindowProperty) prop_id)
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
cm_window_dispose (GObject *object)
{
  CmWindow *self = CM_WINDOW (object);

  /* The pages going away must not overwrite the saved step. */
  if (self->wizard != NULL)
    g_signal_handlers_disconnect_by_data (self->wizard, self);
  /* The springboard is a window of its own; it goes with the sign-in one. */
  if (self->springboard != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->springboard, self);
      gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->springboard)));
    }

  g_clear_handle_id (&self->loading_id, g_source_remove);
  /* Anything still in flight for this window must not outlive it. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->access_request);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->sign_up_form);
  g_clear_pointer (&self->account_type, g_free);
  self->wizard = NULL;
  self->welcome_page = NULL;
  self->state_header = NULL;

  G_OBJECT_CLASS (cm_window_parent_class)->dispose (object);
}

static void
cm_window_class_init (CmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cm_window_constructed;
  object_class->dispose = cm_window_dispose;
  object_class->get_property = cm_window_get_property;
  object_class->set_property = cm_window_set_property;
  window_class->close_request = cm_window_close_request;

  /**
   * CmWindow:session:
   *
   * The session to use; %NULL (the default) makes one for the app's back-end.
   */
  obj_props[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, obj_props);


  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/cm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CmWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, placeholder_page);
  gtk_widget_class_bind_template_child (widget_class, CmWindow, primary_menu);
}

static void
cm_window_init (CmWindow *self)
{
  static const GActionEntry win_actions[] = {
    { "sign-out", cm_window_sign_out_action, NULL, NULL, NULL, { 0 } },
    /* The name the expiry dialog and the springboard use for the same thing. */
    { "log-off", cm_window_sign_out_action, NULL, NULL, NULL, { 0 } },
  };

  self->cancellable = g_cancellable_new ();

  g_type_ensure (CM_TYPE_WIZARD);
  gtk_widget_init_template (GTK_WIDGET (self));
  cm_menu_button_set_menu_model_on_open (self->primary_menu_button, self->primary_menu);
  cm_widget_fix_mnemonic_names (GTK_WIDGET (self->main_stack));
  g_signal_connect_object (self->main_stack, "notify::transition-running",
                           G_CALLBACK (hide_other_main_children), self, G_CONNECT_SWAPPED);
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);
}

/**
 * cm_window_new:
 * @application: (nullable): the application; tests pass %NULL
 *
 * Returns: (transfer none): a new main window, owned by GTK's toplevel list
 */
CmWindow *
cm_window_new (CmApplication *application)
{
  CmWindow *self;

  g_return_val_if_fail (application == NULL || CM_IS_APPLICATION (application), NULL);

  self = g_object_new (CM_TYPE_WINDOW,
                       "application", application,
                       NULL);

  cm_window_start (self);
  return self;
}

/**
 * cm_window_new_for_session:
 * @application: (nullable): the application
 * @session: the session to sign in with (tests pass one on their own back-end)
 *
 * Returns: (transfer none): a new main window
 */
CmWindow *
cm_window_new_for_session (CmApplication *application,
                           CmSession     *session)
{
  CmWindow *self;

  g_return_val_if_fail (application == NULL || CM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (CM_IS_SESSION (session), NULL);

  self = g_object_new (CM_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);

  cm_window_start (self);
  return self;
}

/**
 * cm_window_get_session:
 *
 * Returns: (transfer none) (nullable): the session, %NULL without a back-end
 */
CmSession *
cm_window_get_session (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), NULL);

  return self->session;
}

/**
 * cm_window_get_wizard:
 *
 * Returns: (transfer none): the sign-in and sign-up wizard
 */
CmWizard *
cm_window_get_wizard (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), NULL);

  return self->wizard;
}

/**
 * cm_window_get_cancellable:
 *
 * Cancelled when the window is disposed: pass it to every async call made on
 * the window's behalf.
 *
 * Returns: (transfer none): the window's cancellable
 */
GCancellable *
cm_window_get_cancellable (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), NULL);

  return self->cancellable;
}

/**
 * cm_window_get_access_request:
 *
 * Returns: (transfer none): what the window's access flows share
 */
CmAccessRequest *
cm_window_get_access_request (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), NULL);

  return self->access_request;
}

/**
 * cm_window_get_main_stack:
 *
 * The stack later issues add the wizard and the springboard to.
 *
 * Returns: (transfer none): the main stack
 */
GtkStack *
cm_window_get_main_stack (CmWindow *self)
{
  g_return_val_if_fail (CM_IS_WINDOW (self), NULL);

  return self->main_stack;
}

/**
 * cm_window_add_toast:
 * @toast: (transfer full): the toast to show
 */
void
cm_window_add_toast (CmWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (CM_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
