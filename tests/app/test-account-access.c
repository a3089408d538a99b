/* test-account-access.c: Account Access Options and the steps of Request
 * Code and Add Account Access, driven through the one wizard, the link and
 * the printable confirmation, against the real back-end running in-process.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "a11y-test-util.h"
#include "access-test-util.h"
#include "cm-access-email-page-private.h"
#include "cm-access-pages.h"
#include "cm-access-request-private.h"
#include "cm-access-window-private.h"
#include "cm-account-access-page-private.h"
#include "cm-confirmation-printer-private.h"
#include "cm-expiry-dialog.h"
#include "cm-bidi.h"
#include "cm-springboard-window.h"
#include "cm-stepper-private.h"
#include "cm-validate.h"
#include "cm-journey-private.h"
#include "cm-wizard-private.h"

/* The wizard as CmWindow builds it after sign-in: the steps, then the hub. */
typedef struct
{
  CmWizard        *wizard;
  CmAccessRequest *request;
  CmPage          *hub;
} Flow;

static void
flow_open (Flow          *flow,
           AccessFixture *fixture)
{
  GtkWidget *window = adw_window_new ();

  flow->request = cm_access_request_new (fixture->session);
  flow->wizard = cm_wizard_new ();
  cm_access_pages_add (flow->wizard, flow->request, NULL);
  flow->hub = CM_PAGE (cm_account_access_page_new (flow->request));
  cm_wizard_add_page (flow->wizard, "access-options", flow->hub);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (flow->wizard));
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (cm_wizard_go_to (flow->wizard, "access-options"));
  g_object_unref (flow->request);   /* the wizard keeps it */
}

static GtkWidget *
page_widget (Flow       *flow,
             const char *page,
             const char *name)
{
  return access_get (GTK_WIDGET (cm_wizard_get_page (flow->wizard, page)), name);
}

static gboolean
next_ready_cb (gpointer data)
{
  CmWizard *wizard = data;

  return gtk_widget_is_sensitive (cm_wizard_get_next_button (wizard)) &&
         !cm_wizard_get_applying (wizard);
}

static gboolean
not_applying_cb (gpointer data)
{
  return !cm_wizard_get_applying (CM_WIZARD (data));
}

/* Presses Next (Submit, OK) and waits for the wizard to settle. */
static void
press_next (Flow *flow)
{
  access_test_wait (next_ready_cb, flow->wizard);
  g_signal_emit_by_name (cm_wizard_get_next_button (flow->wizard), "clicked");
  access_test_wait (not_applying_cb, flow->wizard);
  access_flush ();
}

static void
assert_on (Flow       *flow,
           const char *name)
{
  g_assert_cmpstr (cm_wizard_get_current_name (flow->wizard), ==, name);
}

static char *
rows_text (GtkWidget  *page,
           const char *group_name)
{
  GtkWidget *group = access_get (page, group_name);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  /* Rows are AdwActionRows with the value in a suffix label kept as "cm-value". */
  g_ptr_array_add (stack, group);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);
      GtkWidget *value = g_object_get_data (G_OBJECT (widget), "cm-value");

      if (ADW_IS_ACTION_ROW (widget) && value != NULL)
        g_string_append_printf (text, "%s: %s\n",
                                adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                                gtk_label_get_text (GTK_LABEL (value)));
      for (GtkWidget *child = gtk_widget_get_last_child (widget); child != NULL;
           child = gtk_widget_get_prev_sibling (child))
        g_ptr_array_add (stack, child);
    }
  /* Numbers and emails are isolated left to right: compare the words. */
  g_string_replace (text, CM_BIDI_LRI, "", 0);
  g_string_replace (text, CM_BIDI_PDI, "", 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
summary_text (GtkWidget *page)
{
  return rows_text (page, "summary-group");
}

static void
assert_confirmation_number (const char *number)
{
  g_assert_nonnull (number);
  g_assert_true (g_regex_match_simple ("^[0-9]-[0-9]{3}-[0-9]{3}-[0-9]{3}$", number, 0, 0));
}

/* The message under a field, as cm_page_set_field_error() shows it. */
static const char *
field_error (GtkWidget *row)
{
  GtkWidget *next = gtk_widget_get_next_sibling (row);

  if (next == NULL || !gtk_widget_has_css_class (next, "cm-field-error-row"))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (next))));
}

static gboolean
field_error_cb (gpointer data)
{
  return field_error (GTK_WIDGET (data)) != NULL;
}

static GtkWindow *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* Screen readers tell the steps of a flow apart by the page's name. */
static void
assert_step_name (Flow       *flow,
                  const char *expected)
{
  CmPage *page = cm_wizard_get_current_page (flow->wizard);

  /* The screens run in Arabic too, where the names are translated. */
  if (g_getenv ("CM_SCREENS_LANGUAGE") != NULL)
    return;
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (page), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       expected);
}

static void
collect_mnemonics (GtkWidget *widget,
                   CmPage    *current,
                   GArray    *keys)
{
  if (!gtk_widget_get_visible (widget) || (CM_IS_PAGE (widget) && CM_PAGE (widget) != current))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)))
    {
      guint key = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));

      for (guint i = 0; i < keys->len; i++)
        if (g_array_index (keys, guint, i) == key)
          g_error ("Mnemonic %s used twice (\"%s\")", gdk_keyval_name (key),
                   gtk_label_get_label (GTK_LABEL (widget)));
      g_array_append_val (keys, key);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, current, keys);
}

/* The header's Back, Cancel and Next and the page on screen: no key twice. */
static void
assert_mnemonics_unique (Flow *flow)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (guint));

  collect_mnemonics (GTK_WIDGET (flow->wizard), cm_wizard_get_current_page (flow->wizard),
                     keys);
}

typedef struct
{
  CmWizard   *wizard;
  const char *name;
} PageWait;

static gboolean
on_page_cb (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (cm_wizard_get_current_name (wait->wizard), wait->name) == 0 &&
         !cm_wizard_get_applying (wait->wizard);
}

/* Whether Enter on @control reaches a "cm-enter-presses-next" key
 * controller (a choice, cm_access_step_page_enter_presses_next()), which
 * GTK runs in the capture phase, before the control sees the key. */
static gboolean
enter_to_controller (GtkWidget *control)
{
  gboolean handled = FALSE;

  for (GtkWidget *w = control; w != NULL && !handled; w = gtk_widget_get_parent (w))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (w);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GtkEventController) keys = g_list_model_get_item (controllers, i);

          if (g_strcmp0 (gtk_event_controller_get_name (keys), "cm-enter-presses-next") == 0)
            g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
        }
    }
  return handled;
}

/* Enter on @control as GTK hands it on: to a choice's key controller, to an
 * entry's text (which activates the window's default), to a focused button,
 * to a list box's row, or else to the window (its Enter binding activates
 * the default). Then
 * waits for the wizard to show @expected (Next animates before it clicks).
 * Next is the window's default on every step. */
static void
send_enter (Flow      *flow,
            GtkWidget *control)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (flow->wizard)));

  if (gtk_widget_get_visible (cm_wizard_get_next_button (flow->wizard)))
    g_assert_true (gtk_window_get_default_widget (window) ==
                   cm_wizard_get_next_button (flow->wizard));
  if (GTK_IS_EDITABLE (control) && gtk_editable_get_delegate (GTK_EDITABLE (control)) != NULL)
    control = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (control)));

  if (enter_to_controller (control))
    ;
  else if (GTK_IS_TEXT (control))
    {
      g_assert_true (gtk_text_get_activates_default (GTK_TEXT (control)));
      /* What GtkText's Enter binding emits. */
      g_signal_emit_by_name (control, "activate");
    }
  else if (GTK_IS_BUTTON (control))
    gtk_widget_activate (control);
  else if (gtk_widget_get_ancestor (control, GTK_TYPE_LIST_BOX) != NULL)
    /* A list box's Enter binding: it activates the row, not the default. */
    g_signal_emit_by_name (gtk_widget_get_ancestor (control, GTK_TYPE_LIST_BOX),
                           "activate-cursor-row");
  else
    g_signal_emit_by_name (window, "activate-default");
}

static void
press_enter_on (Flow       *flow,
                GtkWidget  *control,
                const char *expected)
{
  PageWait wait = { flow->wizard, expected };

  send_enter (flow, control);
  access_test_wait (on_page_cb, &wait);
  access_flush ();
}

static gboolean
dialog_shown_cb (gpointer data)
{
  return find_message_dialog () != NULL;
}

/* EMAIL OPTION's Next asks to confirm the choice once: the dialog, with
 * @response given (or, %NULL, Enter: its default), then where the wizard goes. */
static void
answer_delivery (Flow       *flow,
                 const char *response,
                 const char *expected)
{
  PageWait wait = { flow->wizard, expected };
  GtkWindow *dialog;

  access_test_wait (dialog_shown_cb, NULL);
  dialog = find_message_dialog ();
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (dialog)), ==, "confirm-delivery-dialog");
  if (response != NULL)
    {
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
      gtk_window_destroy (dialog);
    }
  else
    g_signal_emit_by_name (dialog, "activate-default");
  access_test_wait (on_page_cb, &wait);
  access_flush ();
  g_assert_null (find_message_dialog ());
}

/* Next on EMAIL OPTION, confirmed. */
static void
press_next_confirmed (Flow *flow)
{
  access_test_wait (next_ready_cb, flow->wizard);
  g_signal_emit_by_name (cm_wizard_get_next_button (flow->wizard), "clicked");
  answer_delivery (flow, "confirm", "request-code-summary");
}

/* Enter where the keyboard focus is. */
static void
press_enter (Flow       *flow,
             const char *expected)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (flow->wizard));
  GtkWidget *focus = gtk_root_get_focus (root);

  g_assert_nonnull (focus);
  g_test_message ("Enter on %s %s", G_OBJECT_TYPE_NAME (focus), gtk_widget_get_name (focus));
  press_enter_on (flow, focus, expected);
}

/* From the hub to ACCOUNT INFO, with the types loaded and Mechanic selected. */
static void
request_code_to_info (Flow       *flow,
                      const char *number,
                      const char *zip)
{
  access_click (GTK_WIDGET (flow->hub), "request-code-button");
  assert_on (flow, "request-code-type");
  assert_step_name (flow, "Request Account Access: SELECT");
  assert_mnemonics_unique (flow);
  access_test_wait (next_ready_cb, flow->wizard);
  /* Enter on the list of types goes on with the type selected. */
  press_enter_on (flow, access_get (GTK_WIDGET (cm_wizard_get_current_page (flow->wizard)),
                                    "types-list"), "request-code-info");
  assert_on (flow, "request-code-info");
  assert_step_name (flow, "Request Account Access: ACCOUNT INFO");
  assert_mnemonics_unique (flow);
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow->wizard)), "number-row", number);
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow->wizard)), "zip-row", zip);
}

/* From ACCOUNT INFO through ACCOUNT DETAILS to EMAIL OPTION. */
static void
info_to_email_option (Flow *flow)
{
  press_next (flow);
  assert_on (flow, "request-code-details");
  assert_step_name (flow, "Request Account Access: ACCOUNT DETAILS");
  assert_mnemonics_unique (flow);
  press_next (flow);
  assert_on (flow, "request-code-email");
}

static gboolean
pointer_set_cb (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* ---- Account Access Options --------------------------------------------- */

static void
test_options_welcome (AccessFixture *fixture,
                      gconstpointer  data)
{
  Flow flow;

  access_sign_up_and_in (fixture, FALSE);
  flow_open (&flow, fixture);

  /* The welcome, Settings and Log Off are the window's State header now
   * (test-state-header.c), not the hub's own. */
  g_assert_null (access_find (GTK_WIDGET (flow.hub), "welcome-label"));
  /* The hub ends the wizard: no Back, Next or Cancel there. */
  g_assert_false (gtk_widget_get_visible (cm_wizard_get_next_button (flow.wizard)));
  access_click (GTK_WIDGET (flow.hub), "request-code-button");
  assert_on (&flow, "request-code-type");
  g_assert_cmpstr (cm_page_get_step (cm_wizard_get_current_page (flow.wizard)), ==, "SELECT");
  g_assert_cmpstr (cm_page_get_flow (cm_wizard_get_current_page (flow.wizard)), ==,
                   "request-code");
  g_assert_true (cm_wizard_back (flow.wizard));
  assert_on (&flow, "access-options");
  access_click (GTK_WIDGET (flow.hub), "add-access-button");
  assert_on (&flow, "add-access-code");
  g_assert_cmpstr (cm_page_get_step (cm_wizard_get_current_page (flow.wizard)), ==,
                   "AUTHORIZATION CODE");
}

/* ---- Request Code ------------------------------------------------------- */

static void
test_request_code_email (AccessFixture *fixture,
                         gconstpointer  data)
{
  Flow flow;
  g_autofree char *summary = NULL;
  g_autofree char *email = NULL;
  g_autofree char *code = NULL;
  const char *text;
  const char *number;

  access_sign_up_and_in (fixture, FALSE);
  flow_open (&flow, fixture);
  request_code_to_info (&flow, "z123456", "48909");
  /* Enter in the ZIP field presses Next, as on every step after the first. */
  press_enter_on (&flow, page_widget (&flow, "request-code-info", "zip-row"),
                  "request-code-details");
  press_next (&flow);

  text = gtk_label_get_text (GTK_LABEL (page_widget (&flow, "request-code-email",
                                                     "email-label")));
  g_assert_true (g_str_has_prefix (text, "The email address on record is "));
  /* Masked: the address itself never shows. */
  g_assert_null (strstr (text, "emily.hall@example.com"));
  g_assert_false (gtk_widget_is_sensitive (cm_wizard_get_next_button (flow.wizard)));
  access_click (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)), "yes-button");
  press_next_confirmed (&flow);
  assert_on (&flow, "request-code-summary");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (cm_wizard_get_next_button (flow.wizard))),
                   ==, "_Submit");

  summary = summary_text (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)));
  g_assert_true (g_str_has_prefix (summary,
                                   "User ID: smithj1234\n"
                                   "Action: Requesting an Account Authorization Code\n"
                                   "Account Type: Mechanic\n"
                                   "Account Number: Z123456\n"
                                   "Notice: "));
  g_assert_nonnull (strstr (summary, "emailed"));

  press_next (&flow);   /* Submit */
  assert_on (&flow, "request-code-confirmation");
  assert_step_name (&flow, "Request Account Access: CONFIRMATION");
  /* Copy and Printable View next to the header's Back, Cancel and OK. */
  assert_mnemonics_unique (&flow);
  number = cm_access_request_get_confirmation_number (flow.request);
  assert_confirmation_number (number);
  text = gtk_label_get_text (GTK_LABEL (page_widget (&flow, "request-code-confirmation",
                                                     "confirmation-label")));
  g_assert_true (g_str_has_prefix (text, "Your submission has been submitted and your "
                                         "confirmation number is "));
  g_assert_nonnull (strstr (text, number));
  /* The slide's trail ends with Confirmation. */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page_widget (&flow, "request-code-confirmation",
                                                               "breadcrumb"))), ==,
                   "Account Access Options \u203a Request Account Access \u203a Confirmation");
  /* Printable View is a preview of the page, with Print… there; Escape closes it. */
  access_click (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)), "print-button");
  {
    GtkWindow *preview = access_find_toplevel ("print-preview");

    g_assert_nonnull (preview);
    g_assert_true (gtk_window_get_modal (preview));
    g_assert_nonnull (access_find (GTK_WIDGET (preview), "preview-print-button"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preview), "window.close", NULL));
    access_flush ();
    g_assert_null (access_find_toplevel ("print-preview"));
  }

  email = access_read_newest_outbox (fixture, ".eml");
  g_assert_nonnull (email);
  code = access_extract_code (email);
  g_assert_nonnull (code);

  /* OK ends the flow on the hub, emptied for another request. */
  press_next (&flow);
  assert_on (&flow, "access-options");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_widget (&flow, "request-code-info",
                                                                     "number-row"))), ==, "");
}

static void
test_request_code_mail (AccessFixture *fixture,
                        gconstpointer  data)
{
  Flow flow;
  g_autofree char *summary = NULL;
  g_autofree char *letter = NULL;

  access_sign_up_and_in (fixture, FALSE);
  flow_open (&flow, fixture);
  /* Walter Kowalski has no email on record: mail only. */
  request_code_to_info (&flow, "M654321", "49503");
  info_to_email_option (&flow);

  g_assert_false (gtk_widget_is_visible (page_widget (&flow, "request-code-email",
                                                      "yes-button")));
  /* The mailing address, masked, under Mailing Details; no box to tick, never "token". */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page_widget (&flow, "request-code-email",
                                                                "mail-label"))), ==,
                   "The authorization code will be mailed to the address on record: "
                   CM_BIDI_LRI "4** D******* A** S, Grand Rapids, MI 49503" CM_BIDI_PDI);
  g_assert_null (access_find (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)),
                              "mail-confirm"));
  press_next_confirmed (&flow);

  summary = summary_text (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)));
  g_assert_cmpstr (summary, ==,
                   "User ID: smithj1234\n"
                   "Action: Requesting an Account Authorization Code\n"
                   "Account Type: Mechanic\n"
                   "Account Number: M654321\n"
                   "Notice: The account authorization code necessary for granting you online "
                   "access will be mailed to your address on file.\n");
  press_next (&flow);
  assert_on (&flow, "request-code-confirmation");
  assert_confirmation_number (cm_access_request_get_confirmation_number (flow.request));
  letter = access_read_newest_outbox (fixture, ".txt");
  g_assert_nonnull (letter);
  g_assert_nonnull (strstr (letter, "io.github.carsmechanic:/add-account-access?code="));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (cm_wizard_get_next_button (flow.wizard))),
                   ==, "_OK");
}

static void
test_request_code_email_declined (AccessFixture *fixture,
                                  gconstpointer  data)
{
  Flow flow;
  g_autofree char *summary = NULL;
  GtkWidget *page;

  access_sign_up_and_in (fixture, FALSE);
  flow_open (&flow, fixture);
  request_code_to_info (&flow, "Z123456", "48909");
  info_to_email_option (&flow);
  page = GTK_WIDGET (cm_wizard_get_current_page (flow.wizard));

  assert_step_name (&flow, "Request Account Access: EMAIL OPTION");
  assert_mnemonics_unique (&flow);
  g_assert_false (gtk_widget_is_sensitive (cm_wizard_get_next_button (flow.wizard)));
  /* Enter on a choice does not pick it, nor move on while nothing is chosen. */
  press_enter_on (&flow, access_get (page, "no-button"), "request-code-email");
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (access_get (page,
                                                                               "no-button"))));
  /* No is the mail: chosen at once, no box to tick. */
  access_click (page, "no-button");
  g_assert_true (gtk_widget_is_sensitive (cm_wizard_get_next_button (flow.wizard)));
  /* Asked to confirm, Cancel stays with the choice as it was. */
  send_enter (&flow, access_get (page, "no-button"));
  answer_delivery (&flow, "cancel", "request-code-email");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (access_get (page,
                                                                              "no-button"))));
  send_enter (&flow, access_get (page, "no-button"));
  answer_delivery (&flow, "confirm", "request-code-summary");
  assert_step_name (&flow, "Request Account Access: SUMMARY");
  assert_mnemonics_unique (&flow);
  summary = summary_text (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)));
  g_assert_nonnull (strstr (summary, "mailed to your address on file"));
}

static void
test_request_code_mismatch (AccessFixture *fixture,
                            gconstpointer  data)
{
  Flow flow;
  GtkWidget *page;
  g_autofree char *wrong_zip = NULL;
  g_autofree char *unknown = NULL;

  access_sign_up_and_in (fixture, FALSE);
  flow_open (&flow, fixture);
  request_code_to_info (&flow, "Z123456", "49503");
  page = GTK_WIDGET (cm_wizard_get_current_page (flow.wizard));
  press_next (&flow);
  access_test_wait (field_error_cb, access_get (page, "zip-row"));
  assert_on (&flow, "request-code-info");
  wrong_zip = g_strdup (field_error (access_get (page, "zip-row")));

  access_type (page, "number-row", "Z999999");
  access_type (page, "zip-row", "48909");
  /* Editing the field takes the old message away. */
  g_assert_null (field_error (access_get (page, "zip-row")));
  press_next (&flow);
  access_test_wait (field_error_cb, access_get (page, "zip-row"));
  unknown = g_strdup (field_error (access_get (page, "zip-row")));

  /* One message for both: nobody learns which numbers exist. */
  g_assert_cmpstr (wrong_zip, ==, unknown);
  assert_on (&flow, "request-code-info");
}

static void
test_request_code_back_keeps_input (AccessFixture *fixture,
                                    gconstpointer  data)
{
  Flow flow;

  access_sign_up_and_in (fixture, FALSE);
  flow_open (&flow, fixture);
  request_code_to_info (&flow, "Z123456", "48909");
  info_to_email_option (&flow);

  g_assert_true (cm_wizard_back (flow.wizard));
  assert_on (&flow, "request-code-details");
  g_assert_true (cm_wizard_back (flow.wizard));
  assert_on (&flow, "request-code-info");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_widget (&flow, "request-code-info",
                                                                     "number-row"))), ==,
                   "Z123456");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_widget (&flow, "request-code-info",
                                                                     "zip-row"))), ==, "48909");
  g_assert_true (cm_wizard_back (flow.wizard));
  assert_on (&flow, "request-code-type");
  g_assert_true (cm_wizard_back (flow.wizard));
  assert_on (&flow, "access-options");
}

static void
test_request_code_cancel_asks (AccessFixture *fixture,
                               gconstpointer  data)
{
  Flow flow;
  GtkWindow *dialog;

  access_sign_up_and_in (fixture, FALSE);
  flow_open (&flow, fixture);

  /* Nothing typed: Cancel returns to the hub at once. */
  access_click (GTK_WIDGET (flow.hub), "request-code-button");
  press_next (&flow);
  cm_wizard_cancel (flow.wizard);
  g_assert_null (find_message_dialog ());
  assert_on (&flow, "access-options");

  request_code_to_info (&flow, "Z123456", "");
  cm_wizard_cancel (flow.wizard);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  gtk_window_destroy (dialog);
  assert_on (&flow, "request-code-info");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_widget (&flow, "request-code-info",
                                                                     "number-row"))), ==,
                   "Z123456");

  cm_wizard_cancel (flow.wizard);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "discard");
  gtk_window_destroy (dialog);
  assert_on (&flow, "access-options");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_widget (&flow, "request-code-info",
                                                                     "number-row"))), ==, "");
}

/* ---- Add Account Access ------------------------------------------------- */

static void
on_linked_cb (CmAccessRequest  *request,
              CmAccount        *account,
              CmAccount       **out)
{
  *out = g_object_ref (account);
}

/* From the hub to EMAIL with @code, for Z123456 / 48909. Nothing runs once
 * EMAIL is shown: the profile that fills its field is still on its way. */
static void
add_access_to_email (Flow       *flow,
                     const char *code)
{
  access_click (GTK_WIDGET (flow->hub), "add-access-button");
  assert_step_name (flow, "Add Account Access: AUTHORIZATION CODE");
  assert_mnemonics_unique (flow);
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow->wizard)), "code-row", code);
  press_next (flow);
  assert_on (flow, "add-access-info");
  assert_step_name (flow, "Add Account Access: ACCOUNT INFO");
  assert_mnemonics_unique (flow);
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow->wizard)), "number-row", "Z123456");
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow->wizard)), "zip-row", "48909");
  access_test_wait (next_ready_cb, flow->wizard);
  g_signal_emit_by_name (cm_wizard_get_next_button (flow->wizard), "clicked");
  access_test_wait (not_applying_cb, flow->wizard);
  assert_on (flow, "add-access-email");
}

/* From the hub to SUMMARY with @code, for Z123456 / 48909. */
static void
add_access_to_summary (Flow       *flow,
                       const char *code)
{
  add_access_to_email (flow, code);
  access_flush ();
  assert_step_name (flow, "Add Account Access: EMAIL");
  assert_mnemonics_unique (flow);
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow->wizard)), "access-email-row",
               "testemail@testemail.com");
  press_next (flow);
  assert_on (flow, "add-access-summary");
}

static void
test_add_access_terms_gate (AccessFixture *fixture,
                            gconstpointer  data)
{
  Flow flow;
  g_autofree char *code = NULL;
  g_autofree char *spaced = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(CmAccount) account = NULL;
  GtkWidget *page;

  access_sign_up_and_in (fixture, FALSE);
  code = access_request_code (fixture, "Z123456", "48909", "email");
  g_assert_nonnull (code);
  flow_open (&flow, fixture);
  g_signal_connect (flow.request, "account-linked", G_CALLBACK (on_linked_cb), &account);

  /* Pasted in lower case with spaces: cm-validate normalises it. */
  spaced = g_ascii_strdown (code, -1);
  g_strdelimit (spaced, "-", ' ');
  add_access_to_summary (&flow, spaced);
  page = GTK_WIDGET (cm_wizard_get_current_page (flow.wizard));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_widget (&flow, "add-access-code",
                                                                     "code-row"))), ==, code);
  summary = summary_text (page);
  /* As on the slide, the address in full; and the code, read back. */
  g_assert_true (g_str_has_prefix (summary, "User ID: smithj1234\n"
                                            "Action: Adding Account Access\n"
                                            "Account Type: Mechanic\n"
                                            "Email Address: testemail@testemail.com\n"));
  {
    g_autofree char *expected = g_strdup_printf ("Authorization Code: %s\n", code);

    g_assert_true (g_str_has_suffix (summary, expected));
  }

  /* Each control is named by its visible words once: the box by its label
   * property alone, the Yes/No buttons by their label child alone (no
   * "_Yes Yes"). */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (access_get (page, "terms-check")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "I agree to the Terms & Conditions");
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (access_get (page,
                                                                                "terms-check")),
                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY));
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *button = page_widget (&flow, "request-code-email",
                                       i == 0 ? "yes-button" : "no-button");

      g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button),
                                                        GTK_ACCESSIBLE_PROPERTY_LABEL));
      g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (button),
                                                       GTK_ACCESSIBLE_RELATION_LABELLED_BY));
    }
  assert_step_name (&flow, "Add Account Access: SUMMARY");
  assert_mnemonics_unique (&flow);
  /* Submit waits for the Terms & Conditions box; Enter does not tick it. */
  g_assert_false (gtk_widget_is_sensitive (cm_wizard_get_next_button (flow.wizard)));
  press_enter_on (&flow, access_get (page, "terms-check"), "add-access-summary");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (access_get (page,
                                                                             "terms-check"))));
  /* The terms are readable where they are accepted, by keyboard too (a button). */
  g_assert_true (gtk_widget_get_focusable (access_get (page, "terms-button")) ||
                 gtk_widget_get_focus_on_click (access_get (page, "terms-button")));
  access_click (page, "terms-button");
  {
    GtkWindow *terms = access_find_toplevel ("terms-dialog");

    g_assert_nonnull (terms);
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (access_get (GTK_WIDGET (terms),
                                                                         "terms-text"))),
                              "authorization code is for you alone"));
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (terms), "close");
    gtk_window_destroy (terms);
  }
  access_click (page, "terms-check");
  g_assert_true (gtk_widget_is_sensitive (cm_wizard_get_next_button (flow.wizard)));
  press_enter_on (&flow, access_get (page, "terms-check"), "access-options");   /* Submit */
  access_test_wait (pointer_set_cb, &account);
  /* The address given was told of the access, without the code. */
  {
    g_autofree char *notice = access_read_newest_outbox (fixture, ".eml");

    g_assert_nonnull (strstr (notice, "To: testemail@testemail.com"));
    g_assert_null (strstr (notice, code));
  }
  g_assert_cmpstr (cm_account_get_account_number (account), ==, "Z123456");
  g_assert_cmpuint (g_list_model_get_n_items (cm_session_get_accounts (fixture->session)), ==, 1);
  assert_on (&flow, "access-options");
  /* The flow is emptied, the code wiped with it. */
  g_assert_false (cm_access_request_has_code (flow.request));
}

/* The row of steps lists a flow's steps before they are built, as
 * CmAccessWindow holds them (only the first step is built at once). */
static void
test_steps_listed_before_built (AccessFixture *fixture,
                                gconstpointer  data)
{
  g_autoptr(CmAccessRequest) request = cm_access_request_new (fixture->session);
  CmWizard *wizard = g_object_ref_sink (cm_wizard_new ());
  GtkWidget *stepper;

  cm_access_pages_add (wizard, request, CM_ACCESS_FLOW_ADD_ACCESS);
  stepper = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (wizard), CM_TYPE_WIZARD,
                                                       "stepper"));
  g_assert_cmpstr (cm_wizard_get_current_name (wizard), ==, "add-access-code");
  g_assert_null (cm_wizard_peek_page (wizard, "add-access-summary"));
  g_assert_true (gtk_widget_get_visible (stepper));
  g_assert_cmpuint (cm_stepper_get_n_steps (CM_STEPPER (stepper)), ==, 4);
  g_assert_cmpuint (cm_stepper_get_current (CM_STEPPER (stepper)), ==, 0);
  gtk_test_accessible_assert_property (stepper, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Step 1 of 4: AUTHORIZATION CODE");
  g_object_unref (wizard);

  /* Request Code: SELECT, ACCOUNT INFO, ACCOUNT DETAILS, EMAIL OPTION,
   * SUMMARY, CONFIRMATION. */
  wizard = g_object_ref_sink (cm_wizard_new ());
  cm_access_pages_add (wizard, request, CM_ACCESS_FLOW_REQUEST_CODE);
  stepper = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (wizard), CM_TYPE_WIZARD,
                                                       "stepper"));
  g_assert_cmpuint (cm_stepper_get_n_steps (CM_STEPPER (stepper)), ==, 6);
  g_assert_true (cm_wizard_go_to (wizard, "request-code-confirmation"));
  gtk_test_accessible_assert_property (stepper, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Step 6 of 6: CONFIRMATION");
  g_object_unref (wizard);
}

/* ---- Keyboard ----------------------------------------------------------- */

/* Tab until the focus is on @target or inside it. */
static GtkWidget *
tab_to (Flow      *flow,
        GtkWidget *target)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (flow->wizard)));

  for (guint i = 0; i < 40; i++)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

      if (focus != NULL && (focus == target || gtk_widget_is_ancestor (focus, target)))
        return focus;
      a11y_press_tab (window);
    }
  g_error ("Tab never reached %s %s", G_OBJECT_TYPE_NAME (target), gtk_widget_get_name (target));
  return NULL;
}

/* Tab to the field @name of the step on screen and type @text there. */
static void
tab_and_type (Flow       *flow,
              const char *name,
              const char *text)
{
  GtkWidget *page = GTK_WIDGET (cm_wizard_get_current_page (flow->wizard));
  GtkWidget *focus = tab_to (flow, access_get (page, name));

  g_assert_true (GTK_IS_EDITABLE (focus));
  gtk_editable_set_text (GTK_EDITABLE (focus), text);
}

/* Space on the choice @name of the step on screen (after Tab to it), which
 * completes the step; a button clicks once its press has shown. */
static void
tab_and_space (Flow       *flow,
               const char *name)
{
  GtkWidget *page = GTK_WIDGET (cm_wizard_get_current_page (flow->wizard));

  g_assert_true (gtk_widget_activate (tab_to (flow, access_get (page, name))));
  access_test_wait (next_ready_cb, flow->wizard);
}

/* Both flows by keys alone, from the hub and back: Tab moves, Space picks,
 * Enter on a complete step moves on (through the window's default, Next). */
/* Next is the window's default on every step, also when it hid (Account
 * Access Options) and showed again (a flow's first page) within one frame:
 * GTK 4.8 drops a hidden default at the next frame, even one set again. */
static void
test_next_stays_default (AccessFixture *fixture,
                         gconstpointer  data)
{
  Flow flow;
  GtkWindow *window;
  GtkWidget *next;

  access_sign_up_and_in (fixture, FALSE);
  flow_open (&flow, fixture);
  window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (flow.wizard)));
  next = cm_wizard_get_next_button (flow.wizard);
  access_click (GTK_WIDGET (flow.hub), "request-code-button");
  assert_on (&flow, "request-code-type");
  access_flush ();
  g_assert_true (gtk_window_get_default_widget (window) == next);

  /* Back to the options and into the other flow, with no frame between. */
  g_assert_true (cm_wizard_back (flow.wizard));
  assert_on (&flow, "access-options");
  g_assert_false (gtk_widget_get_visible (next));
  access_click (GTK_WIDGET (flow.hub), "add-access-button");
  assert_on (&flow, "add-access-code");
  g_assert_true (gtk_widget_get_visible (next));

  /* Two frames: GTK unsets a hidden default in the first. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (gtk_window_get_default_widget (window) == next);
}

/* The account types arrive after ACCOUNT TYPE took focus (nothing on it
 * could take it then): focus goes to the type picked, not to the page's
 * scrolled window, where a screen reader would read nothing. */
static void
test_type_takes_focus (AccessFixture *fixture,
                       gconstpointer  data)
{
  Flow flow;
  GtkWidget *focus;
  GtkWidget *types_list;

  access_sign_up_and_in (fixture, FALSE);
  flow_open (&flow, fixture);
  access_click (GTK_WIDGET (flow.hub), "request-code-button");
  assert_on (&flow, "request-code-type");
  types_list = access_get (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)), "types-list");
  g_assert_null (gtk_widget_get_first_child (types_list));
  access_test_wait (next_ready_cb, flow.wizard);

  focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (flow.wizard)));
  g_assert_nonnull (focus);
  g_assert_true (GTK_IS_LIST_BOX_ROW (focus));
  g_assert_true (GTK_LIST_BOX_ROW (focus) ==
                 gtk_list_box_get_selected_row (GTK_LIST_BOX (types_list)));
}

static void
test_keyboard_walk (AccessFixture *fixture,
                    gconstpointer  data)
{
  Flow flow;
  g_autofree char *mail = NULL;
  g_autofree char *code = NULL;
  g_autoptr(CmAccount) account = NULL;

  access_sign_up_and_in (fixture, FALSE);
  flow_open (&flow, fixture);
  g_signal_connect (flow.request, "account-linked", G_CALLBACK (on_linked_cb), &account);

  /* Request Code: the hub's button, the type (Mechanic is selected once the
   * types load), the account, email, Submit, then OK. */
  press_enter_on (&flow, tab_to (&flow, access_get (GTK_WIDGET (flow.hub),
                                                     "request-code-button")),
                  "request-code-type");
  access_test_wait (next_ready_cb, flow.wizard);
  press_enter (&flow, "request-code-info");
  tab_and_type (&flow, "number-row", "Z123456");
  tab_and_type (&flow, "zip-row", "48909");
  press_enter (&flow, "request-code-details");
  press_enter (&flow, "request-code-email");
  tab_and_space (&flow, "yes-button");
  /* Enter asks to confirm; Enter there is Confirm, the dialog's default. */
  send_enter (&flow, gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (flow.wizard))));
  answer_delivery (&flow, NULL, "request-code-summary");
  press_enter (&flow, "request-code-confirmation");
  /* Copy and Printable View come first: Tab on to OK. */
  press_enter_on (&flow, tab_to (&flow, cm_wizard_get_next_button (flow.wizard)),
                  "access-options");

  /* Add Account Access with the code just emailed: the code, the account,
   * the email on record, the terms, Submit. */
  mail = access_read_newest_outbox (fixture, ".eml");
  code = access_extract_code (mail);
  g_assert_nonnull (code);
  press_enter_on (&flow, tab_to (&flow, access_get (GTK_WIDGET (flow.hub), "add-access-button")),
                  "add-access-code");
  tab_and_type (&flow, "code-row", code);
  press_enter (&flow, "add-access-info");
  tab_and_type (&flow, "number-row", "Z123456");
  tab_and_type (&flow, "zip-row", "48909");
  press_enter (&flow, "add-access-email");
  tab_and_type (&flow, "access-email-row", "testemail@testemail.com");
  press_enter (&flow, "add-access-summary");
  tab_and_space (&flow, "terms-check");
  press_enter (&flow, "access-options");
  access_test_wait (pointer_set_cb, &account);
  g_assert_cmpstr (cm_account_get_account_number (account), ==, "Z123456");
}

/* A wrong code of the right shape is told on AUTHORIZATION CODE, where it
 * was typed, when leaving it (not three steps later), and stays there. */
static void
test_add_access_wrong_code (AccessFixture *fixture,
                            gconstpointer  data)
{
  Flow flow;
  g_autofree char *code = NULL;
  const char *wrong;
  GtkWidget *code_row;

  access_sign_up_and_in (fixture, FALSE);
  code = access_request_code (fixture, "Z123456", "48909", "email");
  flow_open (&flow, fixture);
  wrong = g_str_equal (code, "2222-2222-2222") ? "3333-3333-3333" : "2222-2222-2222";
  access_click (GTK_WIDGET (flow.hub), "add-access-button");
  code_row = page_widget (&flow, "add-access-code", "code-row");
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)), "code-row", wrong);
  press_next (&flow);

  access_test_wait (field_error_cb, code_row);
  assert_on (&flow, "add-access-code");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (code_row)), ==, wrong);
  g_assert_cmpuint (g_list_model_get_n_items (cm_session_get_accounts (fixture->session)), ==, 0);

  /* The right code then goes on, the message gone. */
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)), "code-row", code);
  g_assert_null (field_error (code_row));
  press_next (&flow);
  assert_on (&flow, "add-access-info");
}

/* EMAIL: the address for this access is checked with the sign-up rule; a
 * bad one stays in the field with the message on it; Back keeps it, a
 * change shows on the summary. */
static void
test_add_access_email_step (AccessFixture *fixture,
                            gconstpointer  data)
{
  Flow flow;
  g_autofree char *code = NULL;
  g_autofree char *summary = NULL;
  GtkWidget *email_row;

  access_sign_up_and_in (fixture, FALSE);
  code = access_request_code (fixture, "Z123456", "48909", "email");
  flow_open (&flow, fixture);
  add_access_to_summary (&flow, code);
  summary = summary_text (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)));
  g_assert_nonnull (strstr (summary, "Email Address: testemail@testemail.com\n"));

  g_assert_true (cm_wizard_back (flow.wizard));
  assert_on (&flow, "add-access-email");
  email_row = page_widget (&flow, "add-access-email", "access-email-row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (email_row)), ==,
                   "testemail@testemail.com");
  /* The masked address on record is shown beside it, for reference. */
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (
                                     page_widget (&flow, "add-access-email", "email-label"))),
                                   "The email address on record is "));

  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)), "access-email-row",
               "not an address");
  press_next (&flow);
  access_test_wait (field_error_cb, email_row);
  assert_on (&flow, "add-access-email");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (email_row)), ==, "not an address");

  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)), "access-email-row",
               "shop@example.org");
  press_next (&flow);
  assert_on (&flow, "add-access-summary");
  g_free (summary);
  summary = summary_text (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)));
  g_assert_nonnull (strstr (summary, "Email Address: shop@example.org\n"));
  g_assert_null (strstr (summary, "testemail"));
}

static gboolean
email_fetched_cb (gpointer data)
{
  return !cm_access_email_page_get_fetching (data);
}

/* Runs until EMAIL's profile fetch is over; returns the field. */
static GtkWidget *
wait_email_fetched (Flow *flow)
{
  CmPage *page = cm_wizard_get_page (flow->wizard, "add-access-email");

  access_test_wait (email_fetched_cb, page);
  return access_get (GTK_WIDGET (page), "access-email-row");
}

static const char *
email_summary_line (Flow *flow)
{
  GtkWidget *page = GTK_WIDGET (cm_wizard_get_page (flow->wizard, "add-access-summary"));
  char *summary = summary_text (page);

  g_object_set_data_full (G_OBJECT (page), "test-summary", summary, g_free);
  return strstr (summary, "Email Address: ");
}

/* Signed in, a code requested, on EMAIL, its profile fetch just started. */
static void
open_email_step (Flow          *flow,
                 AccessFixture *fixture)
{
  g_autofree char *code = NULL;

  access_sign_up_and_in (fixture, FALSE);
  code = access_request_code (fixture, "Z123456", "48909", "email");
  flow_open (flow, fixture);
  add_access_to_email (flow, code);
}

/* EMAIL starts with the account's own address (from milogin/profile), which
 * is not input that Cancel would throw away; Next takes it to the summary; a
 * change is kept by Back and Next and is not filled over. */
static void
test_add_access_email_prefilled (AccessFixture *fixture,
                                 gconstpointer  data)
{
  Flow flow;
  GtkWidget *email_row;

  open_email_step (&flow, fixture);
  email_row = wait_email_fetched (&flow);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (email_row)), ==,
                   "john.smith@example.com");
  g_assert_false (cm_page_has_input (cm_wizard_get_current_page (flow.wizard)));
  /* Selected, so that typing replaces it. */
  {
    int start, end;

    g_assert_true (gtk_editable_get_selection_bounds (GTK_EDITABLE (email_row), &start, &end));
    g_assert_cmpint (start, ==, 0);
    g_assert_cmpint (end, ==, g_utf8_strlen ("john.smith@example.com", -1));
  }

  press_next (&flow);
  assert_on (&flow, "add-access-summary");
  g_assert_true (g_str_has_prefix (email_summary_line (&flow),
                                   "Email Address: john.smith@example.com\n"));

  g_assert_true (cm_wizard_back (flow.wizard));
  assert_on (&flow, "add-access-email");
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)), "access-email-row",
               "shop@example.org");
  g_assert_true (cm_page_has_input (cm_wizard_get_current_page (flow.wizard)));
  press_next (&flow);
  g_assert_true (g_str_has_prefix (email_summary_line (&flow),
                                   "Email Address: shop@example.org\n"));
  g_assert_true (cm_wizard_back (flow.wizard));
  g_assert_false (cm_access_email_page_get_fetching (
                    CM_ACCESS_EMAIL_PAGE (cm_wizard_get_current_page (flow.wizard))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (email_row)), ==, "shop@example.org");
}

/* An address typed while the profile is on its way stays as typed. */
static void
test_add_access_email_typed_first (AccessFixture *fixture,
                                   gconstpointer  data)
{
  Flow flow;
  GtkWidget *email_row;

  open_email_step (&flow, fixture);
  g_assert_true (cm_access_email_page_get_fetching (
                   CM_ACCESS_EMAIL_PAGE (cm_wizard_get_current_page (flow.wizard))));
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)), "access-email-row",
               "shop@example.org");
  email_row = wait_email_fetched (&flow);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (email_row)), ==, "shop@example.org");

  press_next (&flow);
  assert_on (&flow, "add-access-summary");
  g_assert_true (g_str_has_prefix (email_summary_line (&flow),
                                   "Email Address: shop@example.org\n"));
}

/* ACCOUNT DETAILS names the business the number and ZIP matched, for both
 * account types, before anything is requested. */
static void
test_request_code_details (AccessFixture *fixture,
                           gconstpointer  data)
{
  Flow flow;
  g_autofree char *mechanic = NULL;
  g_autofree char *school = NULL;

  access_sign_up_and_in (fixture, FALSE);
  flow_open (&flow, fixture);
  request_code_to_info (&flow, "Z123456", "48909");
  press_next (&flow);
  assert_on (&flow, "request-code-details");
  mechanic = rows_text (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)), "details-group");
  g_assert_cmpstr (mechanic, ==, "Name: Emily Hall\n"
                                 "Account Type: Mechanic\n"
                                 "Mechanic Number: Z123456\n"
                                 "City: Lansing\n");
  /* Nothing requested yet: no code sent. */
  g_assert_null (cm_access_request_get_confirmation_number (flow.request));

  g_assert_true (cm_wizard_back (flow.wizard));
  g_assert_true (cm_wizard_back (flow.wizard));
  assert_on (&flow, "request-code-type");
  cm_access_request_set_type_index (flow.request, 1);
  press_next (&flow);
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)), "number-row", "S100200");
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)), "zip-row", "48197");
  press_next (&flow);
  assert_on (&flow, "request-code-details");
  school = rows_text (GTK_WIDGET (cm_wizard_get_current_page (flow.wizard)), "details-group");
  g_assert_cmpstr (school, ==, "Name: Washtenaw Automotive Technology School\n"
                               "Account Type: Mechanic School\n"
                               "Mechanic School Number: S100200\n"
                               "City: Ypsilanti\n");
}

/* A code of the wrong shape says why on its field before Next; a right one clears it. */
static void
test_add_access_malformed_code_message (AccessFixture *fixture,
                                        gconstpointer  data)
{
  Flow flow;
  GtkWidget *code_row;
  g_autoptr(GError) error = NULL;

  access_sign_up_and_in (fixture, FALSE);
  flow_open (&flow, fixture);
  access_click (GTK_WIDGET (flow.hub), "add-access-button");
  assert_on (&flow, "add-access-code");
  code_row = page_widget (&flow, "add-access-code", "code-row");

  gtk_editable_set_text (GTK_EDITABLE (code_row), "ABCD-EFGH-JK1");
  access_test_wait (field_error_cb, code_row);
  g_assert_false (cm_validate_authorization_code ("ABCD-EFGH-JK1", NULL, &error));
  g_assert_cmpstr (field_error (code_row), ==, error->message);
  g_assert_true (gtk_widget_has_css_class (code_row, "error"));
  g_assert_false (gtk_widget_get_sensitive (cm_wizard_get_next_button (flow.wizard)));

  gtk_editable_set_text (GTK_EDITABLE (code_row), "ABCD-EFGH-JKMN");
  g_assert_null (field_error (code_row));
  g_assert_true (gtk_widget_get_sensitive (cm_wizard_get_next_button (flow.wizard)));
}

/* ---- The link ----------------------------------------------------------- */

typedef struct
{
  const char *uri;
  const char *code;   /* NULL: refused */
} LinkCase;

static const LinkCase link_cases[] = {
  { "io.github.carsmechanic:/add-account-access?code=ABCD-EFGH-JKMN", "ABCDEFGHJKMN" },
  { "io.github.carsmechanic:/add-account-access?code=abcd-efgh-jkmn", "ABCDEFGHJKMN" },
  { "io.github.carsmechanic:/add-account-access?code=ABCDEFGHJKMN&submit=1", "ABCDEFGHJKMN" },
  { "io.github.carsmechanic:/add-account-access?utm=x&code=ABCD-EFGH-JKMN#frag", "ABCDEFGHJKMN" },
  { "io.github.carsmechanic:/add-account-access", NULL },
  { "io.github.carsmechanic:/add-account-access?code=", NULL },
  { "io.github.carsmechanic:/add-account-access?code=ABCD-EFGH-JKM0", NULL },
  { "io.github.carsmechanic:/add-account-access?code=ABCD-EFGH-JKMN%00X", NULL },
  { "io.github.carsmechanic:/add-account-access?code=%3Cscript%3E", NULL },
  { "io.github.carsmechanic:/remove-account?code=ABCD-EFGH-JKMN", NULL },
  { "https://example.com/add-account-access?code=ABCD-EFGH-JKMN", NULL },
  { "not a uri", NULL },
  { "", NULL },
};

static void
test_link_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (link_cases); i++)
    {
      g_autofree char *code = cm_add_access_parse_link (link_cases[i].uri);

      g_test_message ("case %u", i);
      g_assert_cmpstr (code, ==, link_cases[i].code);
    }
}

static void
test_link_fills_code (AccessFixture *fixture,
                      gconstpointer  data)
{
  Flow flow;
  g_autofree char *code = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *text = NULL;

  access_sign_up_and_in (fixture, FALSE);
  code = access_request_code (fixture, "Z123456", "48909", "email");
  text = access_read_newest_outbox (fixture, ".eml");
  /* The link exactly as the email carries it. */
  uri = g_strdup (strstr (text, "io.github.carsmechanic:"));
  uri[strcspn (uri, " \r\n>")] = '\0';

  flow_open (&flow, fixture);
  g_assert_false (cm_access_pages_open_link (flow.wizard, "io.github.carsmechanic:"
                                                          "/add-account-access?code=nonsense"));
  assert_on (&flow, "access-options");

  g_assert_true (cm_access_pages_open_link (flow.wizard, uri));
  assert_on (&flow, "add-access-code");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_widget (&flow, "add-access-code",
                                                                     "code-row"))), ==, code);

  /* Let anything that might run, run: the link never submits by itself. */
  access_flush ();
  assert_on (&flow, "add-access-code");
  g_assert_true (gtk_widget_is_sensitive (cm_wizard_get_next_button (flow.wizard)));
  g_assert_cmpuint (g_list_model_get_n_items (cm_session_get_accounts (fixture->session)), ==, 0);
}

/* ---- From the springboard ----------------------------------------------- */

static void
test_springboard_window (AccessFixture *fixture,
                         gconstpointer  data)
{
  CmSpringboardWindow *springboard;
  GtkWindow *window;
  CmWizard *wizard;
  g_autofree char *code = NULL;
  g_autofree char *uri = NULL;

  access_sign_up_and_in (fixture, FALSE);
  code = access_request_code (fixture, "Z123456", "48909", "email");
  springboard = cm_springboard_window_new (NULL, fixture->session);
  gtk_window_present (GTK_WINDOW (springboard));

  /* Request Code: the same steps in a modal window; Cancel with nothing
   * typed and nowhere to return to closes it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (springboard), "win.request-code", NULL));
  window = access_find_toplevel ("request-code");
  g_assert_nonnull (window);
  g_assert_true (gtk_window_get_modal (window));
  wizard = cm_access_window_get_wizard (CM_ACCESS_WINDOW (window));
  g_assert_cmpstr (cm_wizard_get_current_name (wizard), ==, "request-code-type");
  access_test_wait (next_ready_cb, wizard);
  cm_wizard_next (wizard);
  g_assert_cmpstr (cm_wizard_get_current_name (wizard), ==, "request-code-info");
  cm_wizard_cancel (wizard);
  access_flush ();
  g_assert_null (access_find_toplevel ("request-code"));

  /* A link fills the code on the first step and sends nothing. */
  uri = g_strdup_printf ("io.github.carsmechanic:/add-account-access?code=%s", code);
  cm_springboard_window_open_flow (springboard, "add-access", uri);
  window = access_find_toplevel ("add-access");
  g_assert_nonnull (window);
  wizard = cm_access_window_get_wizard (CM_ACCESS_WINDOW (window));
  g_assert_cmpstr (cm_wizard_get_current_name (wizard), ==, "add-access-code");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (access_get (GTK_WIDGET (window),
                                                                    "code-row"))), ==, code);
  access_flush ();
  g_assert_cmpstr (cm_wizard_get_current_name (wizard), ==, "add-access-code");
  g_assert_cmpuint (g_list_model_get_n_items (cm_session_get_accounts (fixture->session)), ==, 0);
}

/* ---- Every step at a phone's and a desktop's width ---------------------- */

typedef struct
{
  AccessFixture *fixture;
  const char    *out_dir;
  int            width;
  GtkWindow     *window;
  int            target;
} Shots;

/* On failure: which widgets ask for more than @width, deepest last. */
static void
print_wide (GtkWidget *widget,
            int        width,
            int        depth)
{
  int minimum;

  if (!gtk_widget_get_visible (widget))
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum <= width)
    return;
  g_test_message ("%*s%s %s: %d px%s%s", depth, "", G_OBJECT_TYPE_NAME (widget),
                  gtk_widget_get_name (widget), minimum, GTK_IS_LABEL (widget) ? " " : "",
                  GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : "");
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    print_wide (child, width - 24, depth + 1);
}

static gboolean
resized_cb (gpointer data)
{
  Shots *shots = data;

  return gtk_widget_get_width (GTK_WIDGET (shots->window)) <= shots->target;
}

/* Checks that the step on screen in @wizard, and the wizard's header with
 * it, fit in the width asked for (nothing forces a 360 px window wider),
 * then saves the window as OUT_DIR/LANG-WIDTH-@name.png for a person to
 * look at (CM_SCREENSHOT_DIR, else the fixture's folder). */
static void
shoot (Shots      *shots,
       CmWizard   *wizard,
       const char *name)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (wizard)));
  GtkWidget *page = GTK_WIDGET (cm_wizard_get_current_page (wizard));
  const char *lang = g_getenv ("CM_SCREENS_LANGUAGE");
  g_autofree char *file = g_strdup_printf ("%s-%d-%s.png", lang != NULL ? lang : "en",
                                           shots->width, name);
  g_autofree char *path = g_build_filename (shots->out_dir, file, NULL);
  int minimum;

  /* GTK keeps a window as wide as it once had to be (the header with its
   * spinner): ask for the width again, as a change, so that it shrinks. */
  gtk_window_set_default_size (window, shots->width - 1, 720);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_window_set_default_size (window, shots->width, 720);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  access_flush ();
  gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum > shots->width)
    {
      print_wide (page, shots->width, 0);
      g_error ("%s needs %d px, more than %d", name, minimum, shots->width);
    }
  /* The header (Back, Cancel, Next or Submit, the menu) fits too. */
  gtk_widget_measure (gtk_window_get_child (window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  if (minimum > shots->width)
    {
      print_wide (gtk_window_get_child (window), shots->width, 0);
      g_error ("The window on %s needs %d px, more than %d", name, minimum, shots->width);
    }
  shots->window = window;
  shots->target = shots->width;
  access_test_wait (resized_cb, shots);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  access_save_png (GTK_WIDGET (window), path);
  g_test_message ("Saved %s", path);
}

/* A dialog or window of the flow, saved as it is for a person to look at. */
static void
shoot_window (Shots      *shots,
              GtkWindow  *window,
              const char *name)
{
  const char *lang = g_getenv ("CM_SCREENS_LANGUAGE");
  g_autofree char *file = g_strdup_printf ("%s-%d-%s.png", lang != NULL ? lang : "en",
                                           shots->width, name);
  g_autofree char *path = g_build_filename (shots->out_dir, file, NULL);

  g_assert_nonnull (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  access_flush ();
  access_save_png (GTK_WIDGET (window), path);
  g_test_message ("Saved %s", path);
}

static void
shoot_request_code (Shots *shots,
                    Flow  *flow)
{
  request_code_to_info (flow, "Z123456", "48909");
  shoot (shots, flow->wizard, "request-code-info");
  press_next (flow);
  shoot (shots, flow->wizard, "request-code-details");
  press_next (flow);
  access_click (GTK_WIDGET (cm_wizard_get_current_page (flow->wizard)), "no-button");
  shoot (shots, flow->wizard, "request-code-email");
  g_signal_emit_by_name (cm_wizard_get_next_button (flow->wizard), "clicked");
  access_test_wait (dialog_shown_cb, NULL);
  shoot_window (shots, find_message_dialog (), "request-code-confirm-dialog");
  answer_delivery (flow, "confirm", "request-code-summary");
  shoot (shots, flow->wizard, "request-code-summary");
  press_next (flow);
  assert_on (flow, "request-code-confirmation");
  shoot (shots, flow->wizard, "request-code-confirmation");
  access_click (GTK_WIDGET (cm_wizard_get_current_page (flow->wizard)), "print-button");
  shoot_window (shots, access_find_toplevel ("print-preview"), "request-code-print-preview");
  gtk_window_destroy (access_find_toplevel ("print-preview"));
  press_next (flow);
}

static void
shoot_add_access (Shots      *shots,
                  Flow       *flow,
                  const char *code)
{
  GtkWidget *page;

  access_click (GTK_WIDGET (flow->hub), "add-access-button");
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow->wizard)), "code-row", code);
  shoot (shots, flow->wizard, "add-access-code");
  press_next (flow);
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow->wizard)), "number-row", "Z123456");
  access_type (GTK_WIDGET (cm_wizard_get_current_page (flow->wizard)), "zip-row", "48909");
  shoot (shots, flow->wizard, "add-access-info");
  press_next (flow);
  /* As the slide shows it: the account's own address, filled in. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (wait_email_fetched (flow))), ==,
                   "john.smith@example.com");
  shoot (shots, flow->wizard, "add-access-email");
  press_next (flow);
  page = GTK_WIDGET (cm_wizard_get_current_page (flow->wizard));
  access_click (page, "terms-check");
  shoot (shots, flow->wizard, "add-access-summary");
  access_click (page, "terms-button");
  shoot_window (shots, access_find_toplevel ("terms-dialog"), "add-access-terms-dialog");
  gtk_window_destroy (access_find_toplevel ("terms-dialog"));
}

static void
test_screens (AccessFixture *fixture,
              gconstpointer  data)
{
  const char *dir = g_getenv ("CM_SCREENSHOT_DIR");
  Shots shots = { fixture, NULL, GPOINTER_TO_INT (data), NULL, 0 };
  g_autofree char *tmp_dir = g_build_filename (fixture->dir, "screens", NULL);
  g_autofree char *code = NULL;
  g_autofree char *letter = NULL;
  CmSpringboardWindow *springboard;
  GtkWindow *window;
  Flow flow;

  shots.out_dir = dir != NULL && *dir != '\0' ? dir : tmp_dir;
  g_assert_cmpint (g_mkdir_with_parents (shots.out_dir, 0755), ==, 0);
  access_sign_up_and_in (fixture, FALSE);
  code = access_request_code (fixture, "Z123456", "48909", "email");

  flow_open (&flow, fixture);
  shoot (&shots, flow.wizard, "hub");
  access_click (GTK_WIDGET (flow.hub), "request-code-button");
  access_test_wait (next_ready_cb, flow.wizard);
  shoot (&shots, flow.wizard, "request-code-type");
  g_assert_true (cm_wizard_go_to (flow.wizard, "access-options"));
  shoot_request_code (&shots, &flow);
  /* That request (by mail) voided the first code: the letter's is the one. */
  g_free (code);
  letter = access_read_newest_outbox (fixture, ".txt");
  code = access_extract_code (letter);
  shoot_add_access (&shots, &flow, code);

  springboard = cm_springboard_window_new (NULL, fixture->session);
  gtk_window_present (GTK_WINDOW (springboard));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (springboard), "win.request-code", NULL));
  window = access_find_toplevel ("request-code");
  g_assert_nonnull (window);
  access_test_wait (next_ready_cb, cm_access_window_get_wizard (CM_ACCESS_WINDOW (window)));
  shoot (&shots, cm_access_window_get_wizard (CM_ACCESS_WINDOW (window)),
         "springboard-access-window");
}

/* ---- Session expiry ----------------------------------------------------- */

static gboolean
toplevel_shown_cb (gpointer data)
{
  return access_find_toplevel (data) != NULL;
}

static gboolean
signed_in_cb (gpointer data)
{
  return cm_session_get_state (CM_SESSION (data)) == CM_SESSION_STATE_SIGNED_IN;
}

static void
test_expiry_keeps_fields (AccessFixture *fixture,
                          gconstpointer  data)
{
  Flow flow;
  GtkWindow *dialog;
  GtkWidget *entry;
  GtkWidget *window;

  access_sign_up_and_in (fixture, FALSE);
  flow_open (&flow, fixture);
  window = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (flow.wizard)));
  cm_expiry_watch (GTK_WINDOW (window), fixture->session,
                   ADW_TOAST_OVERLAY (gtk_widget_get_ancestor (GTK_WIDGET (flow.hub),
                                                               ADW_TYPE_TOAST_OVERLAY)));
  request_code_to_info (&flow, "Z123456", "48909");

  /* Past the 12 hours a session lives in all: the next call finds it ended. */
  cm_server_advance_clock (fixture->server, 13 * 60 * 60);
  press_next (&flow);
  access_test_wait (toplevel_shown_cb, "expiry-dialog");
  dialog = access_find_toplevel ("expiry-dialog");
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_EXPIRED);

  entry = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  g_assert_true (GTK_IS_EDITABLE (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), ACCESS_TEST_PASSWORD);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "sign-in");
  gtk_window_destroy (dialog);
  access_test_wait (signed_in_cb, fixture->session);

  /* Exactly where the user was, with what they typed. */
  assert_on (&flow, "request-code-info");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_widget (&flow, "request-code-info",
                                                                     "number-row"))), ==,
                   "Z123456");
  press_next (&flow);
  assert_on (&flow, "request-code-details");
}

/* ---- Journey progress --------------------------------------------------- */

/* Waits until the journey file holds every change; FALSE with @error if the
 * last write failed. */
static gboolean
journey_flush_with_error (CmJourney  *journey,
                          GError    **error)
{
  AccessAsync async = { NULL };
  gboolean ok;

  cm_journey_flush_async (journey, NULL, access_async_cb, &async);
  ok = cm_journey_flush_finish (journey, access_async_wait (&async), error);
  g_object_unref (async.result);

  return ok;
}

static void
journey_flush (CmJourney *journey)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (journey_flush_with_error (journey, &error));
  g_assert_no_error (error);
}

/* Changes made while a write is under way all reach the file, newest last. */
static void
test_journey_coalesces_writes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-journey-XXXXXX", NULL);
  g_autoptr(CmJourney) journey = cm_journey_new (dir, "http://127.0.0.1:1/", "smithj1234");
  g_autoptr(CmJourney) again = NULL;
  g_autofree char *summary = NULL;

  cm_journey_add_request (journey, "mechanic", "M100001", "email", "0-000-000-001");
  cm_journey_add_request (journey, "mechanic", "M100002", "mail", "0-000-000-002");
  cm_journey_add_request (journey, "mechanic", "M100001", "mail", "0-000-000-003");
  cm_journey_mark_linked (journey, "mechanic", "M100002");
  journey_flush (journey);
  /* Nothing is due: a second flush completes at once. */
  journey_flush (journey);

  again = cm_journey_new (dir, "http://127.0.0.1:1/", "smithj1234");
  g_assert_cmpuint (cm_journey_get_n_pending (again), ==, 1);
  summary = cm_journey_dup_summary (again);
  g_assert_nonnull (strstr (summary, "M100001"));
  g_assert_nonnull (strstr (summary, "0-000-000-003"));

  g_assert_cmpint (g_remove (cm_journey_get_path (again)), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A folder that cannot be written loses only the reminder: the journey keeps
 * it in memory, warns, and the flush reports the error. */
static void
test_journey_write_error (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cm-journey-XXXXXX", NULL);
  g_autofree char *blocked = g_build_filename (dir, "not-a-folder", NULL);
  g_autoptr(CmJourney) journey = NULL;
  g_autoptr(GError) error = NULL;

  /* A file where the data folder should be: nothing can be created in it. */
  g_assert_true (g_file_set_contents (blocked, "", 0, NULL));
  journey = cm_journey_new (blocked, "http://127.0.0.1:1/", "smithj1234");
  g_test_expect_message ("cm-journey", G_LOG_LEVEL_WARNING, "Cannot remember the journey*");
  cm_journey_add_request (journey, "mechanic", "M100001", "email", "0-000-000-001");
  g_assert_false (journey_flush_with_error (journey, &error));
  g_assert_nonnull (error);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (cm_journey_get_n_pending (journey), ==, 1);

  g_assert_cmpint (g_remove (blocked), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_journey_remembers (AccessFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(CmJourney) journey = NULL;
  g_autoptr(CmJourney) again = NULL;
  g_autoptr(CmAccount) account = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *contents = NULL;
  CmAccountAccessPage *hub;
  Flow flow;
  const char *progress;

  access_sign_up_and_in (fixture, FALSE);
  journey = cm_journey_new (fixture->dir, cm_server_get_uri (fixture->server), "smithj1234");
  flow_open (&flow, fixture);
  hub = CM_ACCOUNT_ACCESS_PAGE (flow.hub);
  cm_account_access_page_set_journey (hub, journey);
  /* A new user is told the first step. */
  g_assert_nonnull (strstr (cm_account_access_page_get_progress (hub),
                            "request an authorization code"));

  /* What the request emits when the back-end accepted a request. */
  g_signal_emit_by_name (flow.request, "submitted", "mechanic", "M654321", "mail",
                         "0-000-021-028");
  progress = cm_account_access_page_get_progress (hub);
  g_assert_nonnull (strstr (progress, "by mail"));
  g_assert_nonnull (strstr (progress, "M654321"));
  g_assert_nonnull (strstr (progress, "0-000-021-028"));

  /* The file is written off the main loop; the next start picks up there,
   * and the file holds nothing secret. */
  journey_flush (journey);
  again = cm_journey_new (fixture->dir, cm_server_get_uri (fixture->server), "smithj1234");
  g_assert_cmpuint (cm_journey_get_n_pending (again), ==, 1);
  summary = cm_journey_dup_summary (again);
  g_assert_nonnull (strstr (summary, "0-000-021-028"));
  g_assert_true (g_file_get_contents (cm_journey_get_path (again), &contents, NULL, NULL));
  g_assert_null (strstr (contents, ACCESS_TEST_PASSWORD));
  g_assert_null (strstr (contents, "token"));

  /* Another user on the same computer has a journey of their own. */
  g_clear_object (&again);
  again = cm_journey_new (fixture->dir, cm_server_get_uri (fixture->server), "doej0001");
  g_assert_cmpuint (cm_journey_get_n_pending (again), ==, 0);

  /* Linking the account ends the wait. */
  account = cm_account_new ("mechanic", "M654321", "Walter Kowalski", "active", "Grand Rapids",
                            NULL, NULL);
  g_signal_emit_by_name (flow.request, "account-linked", account);
  g_assert_cmpuint (cm_journey_get_n_pending (journey), ==, 0);
  g_assert_null (cm_account_access_page_get_progress (hub));
}

/* ---- Printing ----------------------------------------------------------- */

static void
test_print_pdf (void)
{
  g_autoptr(CmConfirmationPrinter) printer = cm_confirmation_printer_new ("Confirmation");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cm-print-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "confirmation.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *tail = NULL;
  gsize length = 0;

  cm_confirmation_printer_add_line (printer, NULL, "Your submission has been submitted and "
                                                   "your confirmation number is 0-000-021-028.");
  cm_confirmation_printer_add_line (printer, "Account Number", "Z123456 <&>");
  g_assert_true (cm_confirmation_printer_export_pdf (printer, path, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 500);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  /* A complete PDF ends with its trailer (the body has NUL bytes: look at the tail only). */
  tail = g_strndup (contents + length - 16, 16);
  g_assert_nonnull (strstr (tail, "%%EOF"));

  g_unlink (path);
  g_rmdir (dir);
}

/* Printable View's page, drawn by the printer's own code onto a surface:
 * the State's header, the date in the user's locale, the confirmation
 * number and what happens next. */
static void
test_print_page (void)
{
  g_autoptr(CmConfirmationPrinter) printer = cm_confirmation_printer_new ("Confirmation");
  g_autoptr(GDateTime) date = g_date_time_new_local (2026, 12, 6, 10, 0, 0);
  g_autofree char *day = g_date_time_format (date, "%x");
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 672, 400);
  cairo_t *cr = cairo_create (surface);
  g_autofree char *text = NULL;
  const guint8 *pixels;
  guint dark = 0;

  cm_confirmation_printer_set_date (printer, date);
  cm_confirmation_printer_add_line (printer, NULL, "Your submission has been submitted and "
                                                   "your confirmation number is 0-000-021-028.");
  cm_confirmation_printer_add_line (printer, "What Happens Next", "Your code will arrive.");
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  text = cm_confirmation_printer_draw_page (printer, cr, 672);
  cairo_surface_flush (surface);

  g_assert_true (g_str_has_prefix (text, "Michigan Department of State\nCARS e-Services\n"));
  g_assert_nonnull (strstr (text, day));
  g_assert_nonnull (strstr (text, "Confirmation\n"));
  g_assert_nonnull (strstr (text, "0-000-021-028"));
  g_assert_nonnull (strstr (text, "What Happens Next: Your code will arrive."));
  /* Something was drawn: dark pixels in the header's band. */
  pixels = cairo_image_surface_get_data (surface);
  for (int y = 0; y < 40; y++)
    for (int x = 0; x < 300; x++)
      if (pixels[y * cairo_image_surface_get_stride (surface) + 4 * x] < 128)
        dark++;
  g_assert_cmpuint (dark, >, 50);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* The x of the character at byte @index of @layout's text. */
static int
char_x (PangoLayout *layout,
        const char  *text,
        const char  *at)
{
  PangoRectangle pos;

  pango_layout_index_to_pos (layout, at - text, &pos);
  /* A right-to-left character's rectangle runs leftwards from x. */
  return MIN (pos.x, pos.x + pos.width);
}

/* In Arabic the printed sentence runs right to left and the confirmation number in it left
 * to right, whole, where the sentence puts it: Arabic text on its right, the full stop on its
 * left. The sentence is po/ar.po's, built as the confirmation step builds it (the number
 * isolated with cm_bidi_isolate_ltr()). */
static void
test_print_page_rtl (void)
{
  g_autoptr(CmConfirmationPrinter) printer = cm_confirmation_printer_new ("Confirmation");
  g_autofree char *number = cm_bidi_isolate_ltr ("0-000-021-028");
  g_autofree char *sentence = g_strdup_printf ("\u062a\u0645 \u0625\u0631\u0633\u0627\u0644 "
                                               "\u0637\u0644\u0628\u0643\u060c \u0648\u0631"
                                               "\u0642\u0645 \u0627\u0644\u062a\u0623\u0643"
                                               "\u064a\u062f \u0627\u0644\u062e\u0627\u0635 "
                                               "\u0628\u0643 \u0647\u0648 %s.", number);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 672, 400);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(PangoLayout) layout = NULL;
  const char *text;
  const char *digits;
  const char *stop;
  int line, last_line;

  cm_confirmation_printer_add_line (printer, NULL, sentence);
  layout = cm_confirmation_printer_create_layout (printer, cr, 672, NULL);
  text = pango_layout_get_text (layout);
  digits = strstr (text, "0-000-021-028");
  g_assert_nonnull (digits);
  stop = strstr (digits, CM_BIDI_PDI ".");
  g_assert_nonnull (stop);
  stop += strlen (CM_BIDI_PDI);

  /* Left to right, on one line. */
  pango_layout_index_to_line_x (layout, digits - text, FALSE, &line, NULL);
  for (const char *c = digits; c + 1 < digits + strlen ("0-000-021-028"); c++)
    g_assert_cmpint (char_x (layout, text, c), <, char_x (layout, text, c + 1));
  pango_layout_index_to_line_x (layout, stop - 1 - text, FALSE, &last_line, NULL);
  g_assert_cmpint (line, ==, last_line);
  /* The sentence around it right to left: "is" (the word before) on the right, the stop on
   * the left. */
  g_assert_cmpint (char_x (layout, text, g_utf8_prev_char (digits - strlen (CM_BIDI_LRI) - 1)),
                   >, char_x (layout, text, digits + strlen ("0-000-021-028") - 1));
  g_assert_cmpint (char_x (layout, text, stop), <, char_x (layout, text, digits));

  if (g_getenv ("CM_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *path = g_build_filename (g_getenv ("CM_SCREENSHOT_DIR"),
                                                "print-page-rtl.png", NULL);

      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      g_free (cm_confirmation_printer_draw_page (printer, cr, 672));
      g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GTK_A11Y", "test", TRUE);
  /* meson's test-access-screens-ar and -es */
  access_test_use_screens_language ();
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* meson's test-access-screens-es: GNOME's header (a close button only), see there. */
  if (g_getenv ("CM_SCREENS_DECORATION_LAYOUT") != NULL)
    g_object_set (gtk_settings_get_default (), "gtk-decoration-layout",
                  g_getenv ("CM_SCREENS_DECORATION_LAYOUT"), NULL);

#define ADD(path, func) \
  g_test_add (path, AccessFixture, NULL, access_fixture_setup, func, access_fixture_teardown)

  g_test_add ("/account-access/screens/360", AccessFixture, GINT_TO_POINTER (360),
              access_fixture_setup, test_screens, access_fixture_teardown);
  g_test_add ("/account-access/screens/1280", AccessFixture, GINT_TO_POINTER (1280),
              access_fixture_setup, test_screens, access_fixture_teardown);
  ADD ("/account-access/options/welcome", test_options_welcome);
  ADD ("/account-access/request-code/email", test_request_code_email);
  ADD ("/account-access/request-code/mail-only", test_request_code_mail);
  ADD ("/account-access/request-code/email-declined", test_request_code_email_declined);
  ADD ("/account-access/request-code/mismatch-one-message", test_request_code_mismatch);
  ADD ("/account-access/request-code/back-keeps-input", test_request_code_back_keeps_input);
  ADD ("/account-access/request-code/cancel-asks-first", test_request_code_cancel_asks);
  ADD ("/account-access/add-access/terms-gate", test_add_access_terms_gate);
  ADD ("/account-access/add-access/wrong-code", test_add_access_wrong_code);
  ADD ("/account-access/add-access/email-step", test_add_access_email_step);
  ADD ("/account-access/add-access/email-prefilled", test_add_access_email_prefilled);
  ADD ("/account-access/add-access/email-typed-first", test_add_access_email_typed_first);
  ADD ("/account-access/request-code/details-both-types", test_request_code_details);
  ADD ("/account-access/add-access/malformed-code-message",
       test_add_access_malformed_code_message);
  ADD ("/account-access/keyboard/both-flows", test_keyboard_walk);
  ADD ("/account-access/keyboard/next-stays-default", test_next_stays_default);
  ADD ("/account-access/keyboard/type-takes-focus", test_type_takes_focus);
  ADD ("/account-access/steps/listed-before-built", test_steps_listed_before_built);
  ADD ("/account-access/link/fills-code-never-submits", test_link_fills_code);
  ADD ("/account-access/springboard/access-window", test_springboard_window);
  ADD ("/account-access/journey/remembers-requests", test_journey_remembers);
  g_test_add_func ("/account-access/journey/coalesces-writes", test_journey_coalesces_writes);
  g_test_add_func ("/account-access/journey/write-error", test_journey_write_error);
  ADD ("/account-access/expiry/sign-in-keeps-fields", test_expiry_keeps_fields);
  g_test_add_func ("/account-access/link/parse", test_link_parse);
  g_test_add_func ("/account-access/print/pdf", test_print_pdf);
  g_test_add_func ("/account-access/print/page", test_print_page);
  g_test_add_func ("/account-access/print/page-rtl", test_print_page_rtl);

  return g_test_run ();
}
