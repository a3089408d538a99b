/* test-account-access.c: Account Access Options, Request Code, Add Account
 * Access, the io.github.carsmechanic: link and the printable confirmation,
 * against the real back-end running in-process.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "access-test-util.h"
#include "cm-account-access-page.h"
#include "cm-add-access-page.h"
#include "cm-confirmation-printer.h"
#include "cm-expiry-dialog.h"
#include "cm-request-code-page.h"
#include "cm-journey-private.h"

static GtkWidget *
present (GtkWidget *page)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), page);
  adw_window_set_content (ADW_WINDOW (window), overlay);
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 720);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

typedef struct
{
  GtkWidget  *page;
  const char *step;
} StepWait;

static gboolean
request_step_is_cb (gpointer data)
{
  StepWait *wait = data;

  return g_strcmp0 (cm_request_code_page_get_step (CM_REQUEST_CODE_PAGE (wait->page)),
                    wait->step) == 0;
}

static gboolean
add_step_is_cb (gpointer data)
{
  StepWait *wait = data;

  return g_strcmp0 (cm_add_access_page_get_step (CM_ADD_ACCESS_PAGE (wait->page)),
                    wait->step) == 0;
}

static void
wait_request_step (GtkWidget  *page,
                   const char *step)
{
  StepWait wait = { page, step };

  access_test_wait (request_step_is_cb, &wait);
}

static void
wait_add_step (GtkWidget  *page,
               const char *step)
{
  StepWait wait = { page, step };

  access_test_wait (add_step_is_cb, &wait);
}

static gboolean
is_sensitive_cb (gpointer data)
{
  return gtk_widget_is_sensitive (GTK_WIDGET (data));
}

/* Next turns sensitive once the account types arrived. */
static void
wait_types_loaded (GtkWidget *page)
{
  access_test_wait (is_sensitive_cb, access_get (page, "next-button"));
}

static gboolean
combo_filled_cb (gpointer data)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (data));

  return model != NULL && g_list_model_get_n_items (model) > 0;
}

static void
wait_combo_filled (GtkWidget *page)
{
  access_test_wait (combo_filled_cb, access_get (page, "type-row"));
}

static gboolean
error_visible_cb (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (data));
}

static char *
summary_text (GtkWidget *page)
{
  GtkWidget *group = access_get (page, "summary-group");
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
      /* Push children in reverse so the rows come out in order. */
      for (GtkWidget *child = gtk_widget_get_last_child (widget); child != NULL;
           child = gtk_widget_get_prev_sibling (child))
        g_ptr_array_add (stack, child);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
assert_confirmation_number (const char *number)
{
  g_assert_nonnull (number);
  g_assert_true (g_regex_match_simple ("^[0-9]-[0-9]{3}-[0-9]{3}-[0-9]{3}$", number, 0, 0));
}

static void
on_flag_cb (GtkWidget *page,
            gboolean  *flag)
{
  *flag = TRUE;
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
  GtkWidget *page;

  access_sign_up_and_in (fixture, FALSE);
  page = GTK_WIDGET (cm_account_access_page_new (fixture->session));
  present (page);

  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (access_get (page, "welcome-label"))), ==,
                   "Welcome, smithj1234");
  g_assert_cmpstr (cm_account_access_page_get_view (CM_ACCOUNT_ACCESS_PAGE (page)), ==,
                   "options");
  access_click (page, "request-code-button");
  g_assert_cmpstr (cm_account_access_page_get_view (CM_ACCOUNT_ACCESS_PAGE (page)), ==,
                   "request-code");
  cm_account_access_page_show_options (CM_ACCOUNT_ACCESS_PAGE (page));
  access_click (page, "add-access-button");
  g_assert_cmpstr (cm_account_access_page_get_view (CM_ACCOUNT_ACCESS_PAGE (page)), ==,
                   "add-access");
}

/* ---- Request Code ------------------------------------------------------- */

static void
test_request_code_email (AccessFixture *fixture,
                         gconstpointer  data)
{
  GtkWidget *page;
  g_autofree char *summary = NULL;
  g_autofree char *email = NULL;
  g_autofree char *code = NULL;
  const char *text;

  access_sign_up_and_in (fixture, FALSE);
  page = GTK_WIDGET (cm_request_code_page_new (fixture->session));
  present (page);
  wait_types_loaded (page);

  g_assert_cmpstr (cm_request_code_page_get_step (CM_REQUEST_CODE_PAGE (page)), ==, "select");
  access_click (page, "next-button");
  g_assert_cmpstr (cm_request_code_page_get_step (CM_REQUEST_CODE_PAGE (page)), ==, "info");
  g_assert_false (gtk_widget_is_sensitive (access_get (page, "next-button")));
  access_type (page, "number-row", "z123456");
  access_type (page, "zip-row", "48909");
  access_click (page, "next-button");
  wait_request_step (page, "details");

  text = gtk_label_get_text (GTK_LABEL (access_get (page, "email-label")));
  g_assert_true (g_str_has_prefix (text, "The email address on record is "));
  /* Masked: the address itself never shows. */
  g_assert_null (strstr (text, "emily.hall@example.com"));
  g_assert_false (gtk_widget_is_sensitive (access_get (page, "next-button")));
  access_click (page, "yes-button");
  access_click (page, "next-button");
  g_assert_cmpstr (cm_request_code_page_get_step (CM_REQUEST_CODE_PAGE (page)), ==, "summary");

  summary = summary_text (page);
  g_assert_true (g_str_has_prefix (summary,
                                   "Username: smithj1234\n"
                                   "Action: Requesting an Account Authorization Code\n"
                                   "Account Type: Mechanic\n"
                                   "Account Number: Z123456\n"
                                   "Notice: "));
  g_assert_nonnull (strstr (summary, "emailed"));

  access_click (page, "next-button");   /* Submit */
  wait_request_step (page, "confirmation");
  assert_confirmation_number (cm_request_code_page_get_confirmation_number (
                                CM_REQUEST_CODE_PAGE (page)));
  text = gtk_label_get_text (GTK_LABEL (access_get (page, "confirmation-label")));
  g_assert_true (g_str_has_prefix (text, "Your submission has been submitted and your "
                                         "confirmation number is "));
  g_assert_nonnull (strstr (text, cm_request_code_page_get_confirmation_number (
                                    CM_REQUEST_CODE_PAGE (page))));

  email = access_read_newest_outbox (fixture, ".eml");
  g_assert_nonnull (email);
  code = access_extract_code (email);
  g_assert_nonnull (code);
}

static void
test_request_code_mail (AccessFixture *fixture,
                        gconstpointer  data)
{
  GtkWidget *page;
  g_autofree char *summary = NULL;
  g_autofree char *letter = NULL;
  gboolean finished = FALSE;

  access_sign_up_and_in (fixture, FALSE);
  page = GTK_WIDGET (cm_request_code_page_new (fixture->session));
  g_signal_connect (page, "finished", G_CALLBACK (on_flag_cb), &finished);
  present (page);
  wait_types_loaded (page);

  access_click (page, "next-button");
  /* Walter Kowalski has no email on record: mail only. */
  access_type (page, "number-row", "M654321");
  access_type (page, "zip-row", "49503");
  access_click (page, "next-button");
  wait_request_step (page, "details");

  g_assert_false (gtk_widget_is_visible (access_get (page, "yes-button")));
  g_assert_true (gtk_widget_is_visible (access_get (page, "mail-confirm")));
  /* The mailing notice must be confirmed first. */
  g_assert_false (gtk_widget_is_sensitive (access_get (page, "next-button")));
  access_click (page, "mail-confirm");
  access_click (page, "next-button");

  summary = summary_text (page);
  g_assert_cmpstr (summary, ==,
                   "Username: smithj1234\n"
                   "Action: Requesting an Account Authorization Code\n"
                   "Account Type: Mechanic\n"
                   "Account Number: M654321\n"
                   "Notice: The account authorization code necessary for granting you online "
                   "access will be mailed to your address on file.\n");
  access_click (page, "next-button");
  wait_request_step (page, "confirmation");
  assert_confirmation_number (cm_request_code_page_get_confirmation_number (
                                CM_REQUEST_CODE_PAGE (page)));
  letter = access_read_newest_outbox (fixture, ".txt");
  g_assert_nonnull (letter);
  g_assert_nonnull (strstr (letter, "io.github.carsmechanic:/add-account-access?code="));

  /* The confirmation has OK and no Cancel, Back or Next. */
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (access_get (page,
                                                                             "next-button"))));
  g_assert_false (finished);
  access_click (page, "ok-button");
  g_assert_true (finished);
}

static void
test_request_code_email_declined (AccessFixture *fixture,
                                  gconstpointer  data)
{
  GtkWidget *page;
  g_autofree char *summary = NULL;

  access_sign_up_and_in (fixture, FALSE);
  page = GTK_WIDGET (cm_request_code_page_new (fixture->session));
  present (page);
  wait_types_loaded (page);
  access_click (page, "next-button");
  access_type (page, "number-row", "Z123456");
  access_type (page, "zip-row", "48909");
  access_click (page, "next-button");
  wait_request_step (page, "details");

  /* No: the mailing notice appears and must be confirmed. */
  access_click (page, "no-button");
  g_assert_true (gtk_widget_is_visible (access_get (page, "mail-confirm")));
  g_assert_false (gtk_widget_is_sensitive (access_get (page, "next-button")));
  access_click (page, "mail-confirm");
  access_click (page, "next-button");
  summary = summary_text (page);
  g_assert_nonnull (strstr (summary, "mailed to your address on file"));
}

static void
test_request_code_mismatch (AccessFixture *fixture,
                            gconstpointer  data)
{
  GtkWidget *page;
  GtkWidget *error_label;
  g_autofree char *wrong_zip = NULL;
  g_autofree char *unknown = NULL;

  access_sign_up_and_in (fixture, FALSE);
  page = GTK_WIDGET (cm_request_code_page_new (fixture->session));
  present (page);
  wait_types_loaded (page);
  access_click (page, "next-button");
  error_label = access_get (page, "error-label");

  access_type (page, "number-row", "Z123456");
  access_type (page, "zip-row", "49503");
  access_click (page, "next-button");
  access_test_wait (error_visible_cb, error_label);
  g_assert_cmpstr (cm_request_code_page_get_step (CM_REQUEST_CODE_PAGE (page)), ==, "info");
  wrong_zip = g_strdup (gtk_label_get_text (GTK_LABEL (error_label)));

  access_type (page, "number-row", "Z999999");
  access_type (page, "zip-row", "48909");
  g_assert_false (gtk_widget_get_visible (error_label));
  access_click (page, "next-button");
  access_test_wait (error_visible_cb, error_label);
  unknown = g_strdup (gtk_label_get_text (GTK_LABEL (error_label)));

  /* One message for both: nobody learns which numbers exist. */
  g_assert_cmpstr (wrong_zip, ==, unknown);
  g_assert_cmpstr (cm_request_code_page_get_step (CM_REQUEST_CODE_PAGE (page)), ==, "info");
}

static void
test_request_code_back_keeps_input (AccessFixture *fixture,
                                    gconstpointer  data)
{
  GtkWidget *page;

  access_sign_up_and_in (fixture, FALSE);
  page = GTK_WIDGET (cm_request_code_page_new (fixture->session));
  present (page);
  wait_types_loaded (page);
  access_click (page, "next-button");
  access_type (page, "number-row", "Z123456");
  access_type (page, "zip-row", "48909");
  access_click (page, "next-button");
  wait_request_step (page, "details");

  access_click (page, "back-button");
  g_assert_cmpstr (cm_request_code_page_get_step (CM_REQUEST_CODE_PAGE (page)), ==, "info");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (access_get (page, "number-row"))), ==,
                   "Z123456");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (access_get (page, "zip-row"))), ==,
                   "48909");
  access_click (page, "back-button");
  g_assert_cmpstr (cm_request_code_page_get_step (CM_REQUEST_CODE_PAGE (page)), ==, "select");
  g_assert_false (gtk_widget_is_sensitive (access_get (page, "back-button")));
}


static void
test_request_code_cancel_asks (AccessFixture *fixture,
                               gconstpointer  data)
{
  GtkWidget *page;
  GtkWindow *dialog;
  gboolean cancelled = FALSE;

  access_sign_up_and_in (fixture, FALSE);
  page = GTK_WIDGET (cm_request_code_page_new (fixture->session));
  g_signal_connect (page, "cancelled", G_CALLBACK (on_flag_cb), &cancelled);
  present (page);
  wait_types_loaded (page);

  /* Nothing typed: Cancel leaves at once. */
  access_click (page, "cancel-button");
  g_assert_true (cancelled);
  g_assert_null (access_find_toplevel ("discard-dialog"));

  cancelled = FALSE;
  access_click (page, "next-button");
  access_type (page, "number-row", "Z123456");
  access_click (page, "cancel-button");
  dialog = access_find_toplevel ("discard-dialog");
  g_assert_nonnull (dialog);
  g_assert_false (cancelled);

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  gtk_window_destroy (dialog);
  g_assert_false (cancelled);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (access_get (page, "number-row"))), ==,
                   "Z123456");

  access_click (page, "cancel-button");
  dialog = access_find_toplevel ("discard-dialog");
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "discard");
  gtk_window_destroy (dialog);
  g_assert_true (cancelled);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (access_get (page, "number-row"))), ==,
                   "");
}

/* ---- Add Account Access ------------------------------------------------- */

static void
on_linked_cb (GtkWidget  *page,
              CmAccount  *account,
              CmAccount **out)
{
  *out = g_object_ref (account);
}

static void
test_add_access_terms_gate (AccessFixture *fixture,
                            gconstpointer  data)
{
  GtkWidget *page;
  g_autofree char *code = NULL;
  g_autofree char *pasted = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(CmAccount) linked = NULL;
  CmAccount *account;
  GListModel *accounts;

  access_sign_up_and_in (fixture, FALSE);
  code = access_request_code (fixture, "Z123456", "48909", "email");
  g_assert_nonnull (code);

  page = GTK_WIDGET (cm_add_access_page_new (fixture->session));
  g_signal_connect (page, "account-linked", G_CALLBACK (on_linked_cb), &linked);
  present (page);

  g_assert_false (gtk_widget_is_sensitive (access_get (page, "next-button")));
  /* Pasted the way people paste: lower case, spaces, no dashes. */
  pasted = g_ascii_strdown (code, -1);
  g_strdelimit (pasted, "-", ' ');
  access_type (page, "code-row", pasted);
  access_click (page, "next-button");
  g_assert_cmpstr (cm_add_access_page_get_step (CM_ADD_ACCESS_PAGE (page)), ==, "info");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (access_get (page, "code-row"))), ==,
                   code);

  wait_combo_filled (page);
  g_assert_false (gtk_widget_is_sensitive (access_get (page, "next-button")));
  access_type (page, "number-row", "Z123456");
  access_type (page, "zip-row", "48909");
  access_click (page, "next-button");
  wait_add_step (page, "email");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (access_get (page,
                                                                              "email-label"))),
                                   "The email address on record is "));
  access_click (page, "next-button");
  g_assert_cmpstr (cm_add_access_page_get_step (CM_ADD_ACCESS_PAGE (page)), ==, "summary");

  summary = summary_text (page);
  g_assert_true (g_str_has_prefix (summary,
                                   "Username: smithj1234\n"
                                   "Action: Adding Account Access\n"
                                   "Account Type: Mechanic\n"
                                   "E-Mail Address: "));
  g_assert_null (strstr (summary, "emily.hall@example.com"));

  /* The Terms gate: Submit stays insensitive until the box is checked. */
  g_assert_false (gtk_widget_is_sensitive (access_get (page, "next-button")));
  access_click (page, "terms-check");
  g_assert_true (gtk_widget_is_sensitive (access_get (page, "next-button")));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (access_get (page, "terms-check")), FALSE);
  g_assert_false (gtk_widget_is_sensitive (access_get (page, "next-button")));
  access_click (page, "terms-check");
  access_click (page, "next-button");

  access_test_wait (pointer_set_cb, &linked);
  g_assert_cmpstr (cm_account_get_account_number (linked), ==, "Z123456");
  accounts = cm_session_get_accounts (fixture->session);
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 1);
  account = g_list_model_get_item (accounts, 0);
  g_assert_cmpstr (cm_account_get_account_number (account), ==, "Z123456");
  g_object_unref (account);
}

static void
test_add_access_wrong_code (AccessFixture *fixture,
                            gconstpointer  data)
{
  GtkWidget *page;
  g_autofree char *code = NULL;

  access_sign_up_and_in (fixture, FALSE);
  code = access_request_code (fixture, "Z123456", "48909", "email");
  page = GTK_WIDGET (cm_add_access_page_new (fixture->session));
  present (page);

  /* Not a code at all: Next stays insensitive. */
  access_type (page, "code-row", "hello");
  g_assert_false (gtk_widget_is_sensitive (access_get (page, "next-button")));
  /* A well-formed code that is not the one sent. */
  access_type (page, "code-row", g_str_equal (code, "2222-2222-2222") ? "3333-3333-3333"
                                                                      : "2222-2222-2222");
  access_click (page, "next-button");
  wait_combo_filled (page);
  access_type (page, "number-row", "Z123456");
  access_type (page, "zip-row", "48909");
  access_click (page, "next-button");
  wait_add_step (page, "email");
  access_click (page, "next-button");
  access_click (page, "terms-check");
  access_click (page, "next-button");
  access_test_wait (error_visible_cb, access_get (page, "error-label"));
  g_assert_cmpstr (cm_add_access_page_get_step (CM_ADD_ACCESS_PAGE (page)), ==, "summary");
  g_assert_cmpuint (g_list_model_get_n_items (cm_session_get_accounts (fixture->session)), ==, 0);
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
  GtkWidget *access;
  GtkWidget *page;
  g_autofree char *code = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *text = NULL;

  access_sign_up_and_in (fixture, FALSE);
  code = access_request_code (fixture, "Z123456", "48909", "email");
  text = access_read_newest_outbox (fixture, ".eml");
  /* The link exactly as the email carries it. */
  uri = g_strdup (strstr (text, "io.github.carsmechanic:"));
  uri[strcspn (uri, " \r\n>")] = '\0';

  access = GTK_WIDGET (cm_account_access_page_new (fixture->session));
  present (access);
  g_assert_false (cm_account_access_page_open_link (CM_ACCOUNT_ACCESS_PAGE (access),
                                                    "io.github.carsmechanic:/add-account-access"
                                                    "?code=nonsense"));
  g_assert_cmpstr (cm_account_access_page_get_view (CM_ACCOUNT_ACCESS_PAGE (access)), ==,
                   "options");

  g_assert_true (cm_account_access_page_open_link (CM_ACCOUNT_ACCESS_PAGE (access), uri));
  g_assert_cmpstr (cm_account_access_page_get_view (CM_ACCOUNT_ACCESS_PAGE (access)), ==,
                   "add-access");
  page = GTK_WIDGET (cm_account_access_page_get_add_access_page (CM_ACCOUNT_ACCESS_PAGE (access)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (access_get (page, "code-row"))), ==,
                   code);

  /* Let anything that might run, run: the link never submits by itself. */
  access_flush ();
  g_assert_cmpstr (cm_add_access_page_get_step (CM_ADD_ACCESS_PAGE (page)), ==, "code");
  g_assert_true (gtk_widget_is_sensitive (access_get (page, "next-button")));
  g_assert_cmpuint (g_list_model_get_n_items (cm_session_get_accounts (fixture->session)), ==, 0);
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
  GtkWidget *page;
  GtkWidget *window;
  GtkWindow *dialog;
  GtkWidget *entry;

  access_sign_up_and_in (fixture, FALSE);
  page = GTK_WIDGET (cm_request_code_page_new (fixture->session));
  window = present (page);
  cm_expiry_watch (GTK_WINDOW (window), fixture->session,
                   ADW_TOAST_OVERLAY (gtk_widget_get_parent (page)));
  wait_types_loaded (page);
  access_click (page, "next-button");
  access_type (page, "number-row", "Z123456");
  access_type (page, "zip-row", "48909");

  /* Past the 12 hours a session lives in all: the next call finds it ended. */
  cm_server_advance_clock (fixture->server, 13 * 60 * 60);
  access_click (page, "next-button");
  access_test_wait (toplevel_shown_cb, "expiry-dialog");
  dialog = access_find_toplevel ("expiry-dialog");
  g_assert_cmpint (cm_session_get_state (fixture->session), ==, CM_SESSION_STATE_EXPIRED);

  entry = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  g_assert_true (GTK_IS_EDITABLE (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), ACCESS_TEST_PASSWORD);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "sign-in");
  gtk_window_destroy (dialog);
  access_test_wait (signed_in_cb, fixture->session);

  /* Exactly where the user was, with what they typed; the old error is gone. */
  g_assert_false (gtk_widget_get_visible (access_get (page, "error-label")));
  g_assert_cmpstr (cm_request_code_page_get_step (CM_REQUEST_CODE_PAGE (page)), ==, "info");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (access_get (page, "number-row"))), ==,
                   "Z123456");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (access_get (page, "zip-row"))), ==,
                   "48909");
  access_click (page, "next-button");
  wait_request_step (page, "details");
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
  GtkWidget *access;
  CmRequestCodePage *request;
  CmAddAccessPage *add;
  const char *progress;

  access_sign_up_and_in (fixture, FALSE);
  journey = cm_journey_new (fixture->dir, cm_server_get_uri (fixture->server), "smithj1234");
  access = GTK_WIDGET (cm_account_access_page_new (fixture->session));
  cm_account_access_page_set_journey (CM_ACCOUNT_ACCESS_PAGE (access), journey);
  present (access);
  /* A new user is told the first step. */
  g_assert_nonnull (strstr (cm_account_access_page_get_progress (CM_ACCOUNT_ACCESS_PAGE (access)),
                            "request an authorization code"));

  /* What the Request Code flow emits when the back-end accepted a request. */
  request = cm_account_access_page_get_request_code_page (CM_ACCOUNT_ACCESS_PAGE (access));
  g_signal_emit_by_name (request, "submitted", "mechanic", "M654321", "mail", "0-000-021-028");
  progress = cm_account_access_page_get_progress (CM_ACCOUNT_ACCESS_PAGE (access));
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
  add = cm_account_access_page_get_add_access_page (CM_ACCOUNT_ACCESS_PAGE (access));
  g_signal_emit_by_name (add, "account-linked", account);
  g_assert_cmpuint (cm_journey_get_n_pending (journey), ==, 0);
  g_assert_null (cm_account_access_page_get_progress (CM_ACCOUNT_ACCESS_PAGE (access)));
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

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add (path, AccessFixture, NULL, access_fixture_setup, func, access_fixture_teardown)

  ADD ("/account-access/options/welcome", test_options_welcome);
  ADD ("/account-access/request-code/email", test_request_code_email);
  ADD ("/account-access/request-code/mail-only", test_request_code_mail);
  ADD ("/account-access/request-code/email-declined", test_request_code_email_declined);
  ADD ("/account-access/request-code/mismatch-one-message", test_request_code_mismatch);
  ADD ("/account-access/request-code/back-keeps-input", test_request_code_back_keeps_input);
  ADD ("/account-access/request-code/cancel-asks-first", test_request_code_cancel_asks);
  ADD ("/account-access/add-access/terms-gate", test_add_access_terms_gate);
  ADD ("/account-access/add-access/wrong-code", test_add_access_wrong_code);
  ADD ("/account-access/link/fills-code-never-submits", test_link_fills_code);
  ADD ("/account-access/journey/remembers-requests", test_journey_remembers);
  g_test_add_func ("/account-access/journey/coalesces-writes", test_journey_coalesces_writes);
  g_test_add_func ("/account-access/journey/write-error", test_journey_write_error);
  ADD ("/account-access/expiry/sign-in-keeps-fields", test_expiry_keeps_fields);
  g_test_add_func ("/account-access/link/parse", test_link_parse);
  g_test_add_func ("/account-access/print/pdf", test_print_pdf);

  return g_test_run ();
}
