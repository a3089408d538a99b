/* cm-request-code-page.c: Request an Account Authorization Code (the
 * State's slides 8-12, docs/account-access.md): SELECT, ACCOUNT INFO,
 * ACCOUNT DETAILS, EMAIL OPTION, SUMMARY, then the confirmation. One page
 * with steps of its own, so it can sit in the wizard or in the springboard's
 * dialog alike.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-request-code-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-flow-private.h"
#include "cm-confirmation-printer.h"
#include "cm-error.h"
#include "cm-plain-text.h"
#include "cm-protocol.h"
#include "cm-request-code-page.h"
#include "cm-stepper.h"
#include "cm-validate.h"

typedef enum {
  STEP_SELECT,
  STEP_INFO,
  STEP_DETAILS,
  STEP_SUMMARY,
  STEP_CONFIRMATION,
} Step;

static const char *step_names[] = { "select", "info", "details", "summary", "confirmation" };

struct _CmRequestCodePage
{
  CmPage                 parent_instance;

  /* widgets (owned by the widget tree) */
  CmStepper             *stepper;
  GtkStack              *stack;
  GtkLabel              *error_label;
  GtkListBox            *types_list;
  GtkWidget             *types_spinner;
  AdwEntryRow           *number_row;
  AdwEntryRow           *zip_row;
  GtkWidget             *email_box;
  GtkLabel              *email_label;
  GtkToggleButton       *yes_button;
  GtkToggleButton       *no_button;
  GtkWidget             *mail_box;
  GtkCheckButton        *mail_confirm;
  AdwPreferencesGroup   *summary_group;
  GPtrArray             *summary_rows;    /* borrowed rows in summary_group */
  GtkLabel              *confirmation_label;
  GtkWidget             *cancel_button;
  GtkWidget             *back_button;
  GtkWidget             *next_button;
  GtkWidget             *nav_box;
  GtkWidget             *ok_button;

  /* owned */
  GCancellable          *cancellable;
  GPtrArray             *types;           /* CmAccountType */
  gboolean               loading_types;
  CmLookupResult        *lookup;
  CmAccessRequestResult *result;
  char                  *number;
  char                  *zip;
  Step                   step;
};

G_DEFINE_FINAL_TYPE (CmRequestCodePage, cm_request_code_page, CM_TYPE_PAGE)

enum {
  SIGNAL_SUBMITTED,
  SIGNAL_FINISHED,
  SIGNAL_CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void load_types (CmRequestCodePage *self);

static CmAccountType *
get_selected_type (CmRequestCodePage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->types_list);
  int index;

  if (row == NULL || self->types == NULL)
    return NULL;
  index = gtk_list_box_row_get_index (row);
  if (index < 0 || (guint) index >= self->types->len)
    return NULL;

  return g_ptr_array_index (self->types, index);
}

static const char *
get_delivery (CmRequestCodePage *self)
{
  if (self->lookup == NULL)
    return NULL;
  if (!self->lookup->mail_only && self->lookup->email_masked != NULL &&
      gtk_toggle_button_get_active (self->yes_button))
    return CM_DELIVERY_EMAIL;
  if ((self->lookup->mail_only || self->lookup->email_masked == NULL ||
       gtk_toggle_button_get_active (self->no_button)) &&
      gtk_check_button_get_active (self->mail_confirm))
    return CM_DELIVERY_MAIL;

  return NULL;
}

static void
update_buttons (CmRequestCodePage *self)
{
  gboolean busy = cm_page_get_busy (CM_PAGE (self));
  gboolean ready = FALSE;
  gboolean mail_chosen;

  switch (self->step)
    {
    case STEP_SELECT:
      ready = get_selected_type (self) != NULL;
      break;
    case STEP_INFO:
      ready = *gtk_editable_get_text (GTK_EDITABLE (self->number_row)) != '\0' &&
              *gtk_editable_get_text (GTK_EDITABLE (self->zip_row)) != '\0';
      break;
    case STEP_DETAILS:
      mail_chosen = self->lookup != NULL &&
                    (self->lookup->mail_only || self->lookup->email_masked == NULL ||
                     gtk_toggle_button_get_active (self->no_button));
      gtk_widget_set_visible (self->mail_box, mail_chosen);
      ready = get_delivery (self) != NULL;
      break;
    case STEP_SUMMARY:
      ready = TRUE;
      break;
    case STEP_CONFIRMATION:
    default:
      break;
    }

  gtk_widget_set_sensitive (self->next_button, ready && !busy);
  gtk_widget_set_sensitive (self->back_button, self->step != STEP_SELECT && !busy);
  cm_access_flow_set_label (self->next_button,
                            self->step == STEP_SUMMARY ? _("_Submit") : _("_Next"));
  gtk_widget_set_visible (self->nav_box, self->step != STEP_CONFIRMATION);
  cm_page_set_complete (CM_PAGE (self), self->step == STEP_CONFIRMATION);
}

static void
go_to_step (CmRequestCodePage *self,
            Step               step)
{
  self->step = step;
  gtk_stack_set_visible_child_name (self->stack, step_names[step]);
  cm_stepper_set_current (self->stepper, MIN (step, STEP_SUMMARY) + (step >= STEP_DETAILS));
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update_buttons (self);
}

static void
set_busy (CmRequestCodePage *self,
          gboolean           busy)
{
  cm_page_set_busy (CM_PAGE (self), busy);
  update_buttons (self);
}

static void
fill_details (CmRequestCodePage *self)
{
  gboolean has_email = !self->lookup->mail_only && self->lookup->email_masked != NULL;

  gtk_widget_set_visible (self->email_box, has_email);
  if (has_email)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is a masked email address such as E************L@EMAIL.COM. */
      text = g_strdup_printf (_("The email address on record is %s"), self->lookup->email_masked);
      gtk_label_set_text (self->email_label, text);
    }
  gtk_toggle_button_set_active (self->yes_button, FALSE);
  gtk_toggle_button_set_active (self->no_button, FALSE);
  gtk_check_button_set_active (self->mail_confirm, FALSE);
}

static void
fill_summary (CmRequestCodePage *self)
{
  CmSession *session = cm_page_get_session (CM_PAGE (self));
  CmAccountType *type = get_selected_type (self);
  const char *delivery = get_delivery (self);
  g_autofree char *notice = NULL;
  const char *labels[5];
  const char *values[5];

  for (guint i = 0; i < self->summary_rows->len; i++)
    adw_preferences_group_remove (self->summary_group, g_ptr_array_index (self->summary_rows, i));
  g_ptr_array_set_size (self->summary_rows, 0);

  if (g_strcmp0 (delivery, CM_DELIVERY_EMAIL) == 0)
    /* Translators: %s is the masked email address on record. */
    notice = g_strdup_printf (_("The account authorization code necessary for granting you "
                                "online access will be emailed to %s."),
                              self->lookup->email_masked);
  else
    notice = g_strdup (_("The account authorization code necessary for granting you online "
                         "access will be mailed to your address on file."));

  labels[0] = _("Username");
  values[0] = session != NULL ? cm_session_get_user_id (session) : "";
  labels[1] = _("Action");
  values[1] = _("Requesting an Account Authorization Code");
  labels[2] = _("Account Type");
  values[2] = type != NULL ? type->label : "";
  labels[3] = _("Account Number");
  values[3] = self->number;
  labels[4] = _("Notice");
  values[4] = notice;

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      GtkWidget *row = cm_access_flow_summary_row (labels[i], values[i] != NULL ? values[i] : "");

      adw_preferences_group_add (self->summary_group, row);
      g_ptr_array_add (self->summary_rows, row);
    }
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CmRequestCodePage *self = user_data;
  g_autoptr(CmLookupResult) lookup = NULL;
  g_autoptr(GError) error = NULL;

  lookup = cm_api_client_lookup_account_finish (CM_API_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (lookup == NULL)
    {
      cm_access_flow_show_error (self->error_label, error);
      return;
    }

  g_clear_pointer (&self->lookup, cm_lookup_result_free);
  self->lookup = g_steal_pointer (&lookup);
  fill_details (self);
  go_to_step (self, STEP_DETAILS);
}

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CmRequestCodePage *self = user_data;
  g_autoptr(CmAccessRequestResult) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  request = cm_api_client_request_access_finish (CM_API_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (request == NULL)
    {
      cm_access_flow_show_error (self->error_label, error);
      return;
    }

  g_clear_pointer (&self->result, cm_access_request_result_free);
  self->result = g_steal_pointer (&request);
  /* Translators: %s is a confirmation number such as 0-000-021-028. */
  text = g_strdup_printf (_("Your submission has been submitted and your confirmation number "
                            "is %s."), self->result->confirmation_number);
  gtk_label_set_text (self->confirmation_label, text);
  go_to_step (self, STEP_CONFIRMATION);
  g_signal_emit (self, signals[SIGNAL_SUBMITTED], 0, get_selected_type (self)->id, self->number,
                 self->result->delivery, self->result->confirmation_number);
  /* Not the selectable label: focus would select all of its text. */
  gtk_widget_grab_focus (self->ok_button);
}

static void
on_next_clicked_cb (CmRequestCodePage *self)
{
  CmSession *session = cm_page_get_session (CM_PAGE (self));
  CmApiClient *client = session != NULL ? cm_session_get_api_client (session) : NULL;
  CmAccountType *type = get_selected_type (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *zip = NULL;

  if (!gtk_widget_get_sensitive (self->next_button))
    return;

  switch (self->step)
    {
    case STEP_SELECT:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->number_row), type->number_label);
      go_to_step (self, STEP_INFO);
      gtk_widget_grab_focus (GTK_WIDGET (self->number_row));
      break;

    case STEP_INFO:
      /* The rules live in cm-validate; the page only asks them. */
      if (!cm_validate_account_number (gtk_editable_get_text (GTK_EDITABLE (self->number_row)),
                                       &number, &error) ||
          !cm_validate_zip (gtk_editable_get_text (GTK_EDITABLE (self->zip_row)), &zip, &error))
        {
          cm_access_flow_show_error (self->error_label, error);
          return;
        }
      g_free (self->number);
      self->number = g_steal_pointer (&number);
      g_free (self->zip);
      self->zip = g_steal_pointer (&zip);
      set_busy (self, TRUE);
      cm_api_client_lookup_account_async (client, type->id, self->number, self->zip,
                                          self->cancellable, lookup_cb, self);
      break;

    case STEP_DETAILS:
      fill_summary (self);
      go_to_step (self, STEP_SUMMARY);
      break;

    case STEP_SUMMARY:
      set_busy (self, TRUE);
      cm_api_client_request_access_async (client, type->id, self->number, self->zip,
                                          get_delivery (self), self->cancellable, request_cb,
                                          self);
      break;

    case STEP_CONFIRMATION:
    default:
      break;
    }
}

static void
on_back_clicked_cb (CmRequestCodePage *self)
{
  if (self->step == STEP_SELECT || self->step == STEP_CONFIRMATION)
    return;
  /* Back keeps what was typed; it only cancels a request in flight. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, FALSE);
  go_to_step (self, self->step - 1);
}

static void
discard_cb (GtkWidget *page)
{
  CmRequestCodePage *self = CM_REQUEST_CODE_PAGE (page);

  cm_page_reset (CM_PAGE (self));
  g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
}

static void
on_cancel_clicked_cb (CmRequestCodePage *self)
{
  if (cm_page_has_input (CM_PAGE (self)))
    cm_access_flow_ask_discard (GTK_WIDGET (self), G_CALLBACK (discard_cb));
  else
    discard_cb (GTK_WIDGET (self));
}

static void
on_ok_clicked_cb (CmRequestCodePage *self)
{
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
on_copy_clicked_cb (CmRequestCodePage *self)
{
  AdwToast *toast;

  if (self->result == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          self->result->confirmation_number);
  toast = cm_plain_toast_new (_("Confirmation number copied"));
  cm_page_add_toast (CM_PAGE (self), toast);
}

static CmConfirmationPrinter *
create_printer (CmRequestCodePage *self)
{
  CmConfirmationPrinter *printer = cm_confirmation_printer_new (_("Confirmation"));

  cm_confirmation_printer_add_line (printer, NULL, gtk_label_get_text (self->confirmation_label));
  for (guint i = 0; i < self->summary_rows->len; i++)
    {
      AdwActionRow *row = g_ptr_array_index (self->summary_rows, i);
      GtkWidget *value = g_object_get_data (G_OBJECT (row), "cm-value");

      cm_confirmation_printer_add_line (printer,
                                        adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                        value != NULL ? gtk_label_get_text (GTK_LABEL (value))
                                                      : "");
    }

  return printer;
}

static void
on_print_clicked_cb (CmRequestCodePage *self)
{
  g_autoptr(CmConfirmationPrinter) printer = create_printer (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  cm_confirmation_printer_show (printer, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
}

static void
on_type_selected_cb (CmRequestCodePage *self)
{
  update_buttons (self);
}

static void
on_entry_changed_cb (CmRequestCodePage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update_buttons (self);
}

static void
on_choice_toggled_cb (CmRequestCodePage *self)
{
  update_buttons (self);
}

static void
types_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CmRequestCodePage *self = user_data;
  g_autoptr(GPtrArray) types = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  types = cm_api_client_get_account_types_finish (CM_API_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading_types = FALSE;

  gtk_widget_set_visible (self->types_spinner, FALSE);
  set_busy (self, FALSE);
  if (types == NULL)
    {
      cm_access_flow_show_error (self->error_label, error);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->types_list))) != NULL)
    gtk_list_box_remove (self->types_list, child);
  g_clear_pointer (&self->types, g_ptr_array_unref);
  self->types = g_steal_pointer (&types);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);

  for (guint i = 0; i < self->types->len; i++)
    {
      CmAccountType *type = g_ptr_array_index (self->types, i);
      GtkWidget *row = cm_plain_row_new (ADW_TYPE_ACTION_ROW);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), type->label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_name (row, type->id);
      gtk_list_box_append (self->types_list, row);
    }
  /* Mechanic is what nearly everyone picks (the slide's first step). */
  if (self->types->len > 0)
    gtk_list_box_select_row (self->types_list, gtk_list_box_get_row_at_index (self->types_list, 0));
  update_buttons (self);
}

static void
load_types (CmRequestCodePage *self)
{
  CmSession *session = cm_page_get_session (CM_PAGE (self));

  /* The list needs a signed-in session; the page asks again when it is shown. */
  if (session == NULL || cm_session_get_state (session) != CM_SESSION_STATE_SIGNED_IN ||
      self->loading_types)
    return;
  self->loading_types = TRUE;
  gtk_widget_set_visible (self->types_spinner, TRUE);
  set_busy (self, TRUE);
  cm_api_client_get_account_types_async (cm_session_get_api_client (session), self->cancellable,
                                         types_cb, self);
}

/* After the expiry dialog signed the user in again, "signed out" is old news. */
static void
on_session_state_cb (CmRequestCodePage *self)
{
  CmSession *session = cm_page_get_session (CM_PAGE (self));

  if (cm_session_get_state (session) != CM_SESSION_STATE_SIGNED_IN)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  /* Built before sign-in, the page gets its account types now. */
  if (self->types == NULL)
    load_types (self);
}

static gboolean
cm_request_code_page_has_input (CmPage *page)
{
  CmRequestCodePage *self = CM_REQUEST_CODE_PAGE (page);

  return self->step != STEP_CONFIRMATION &&
         (*gtk_editable_get_text (GTK_EDITABLE (self->number_row)) != '\0' ||
          *gtk_editable_get_text (GTK_EDITABLE (self->zip_row)) != '\0');
}

static void
cm_request_code_page_reset (CmPage *page)
{
  CmRequestCodePage *self = CM_REQUEST_CODE_PAGE (page);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_editable_set_text (GTK_EDITABLE (self->number_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->zip_row), "");
  g_clear_pointer (&self->lookup, cm_lookup_result_free);
  g_clear_pointer (&self->result, cm_access_request_result_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->zip, g_free);
  cm_page_set_busy (page, FALSE);
  go_to_step (self, STEP_SELECT);
}

static GtkWidget *
build_select_step (CmRequestCodePage *self)
{
  GtkWidget *box = cm_access_flow_step_box (_("Account Type"),
                                            _("Select the type of account to request an "
                                              "authorization code for, then select Next."));

  self->types_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->types_list), "boxed-list");
  gtk_widget_set_name (GTK_WIDGET (self->types_list), "types-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->types_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Account Type"), -1);
  g_signal_connect_swapped (self->types_list, "selected-rows-changed",
                            G_CALLBACK (on_type_selected_cb), self);
  self->types_spinner = gtk_spinner_new ();
  gtk_spinner_set_spinning (GTK_SPINNER (self->types_spinner), TRUE);
  gtk_box_append (GTK_BOX (box), self->types_spinner);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->types_list));

  return box;
}

static GtkWidget *
build_info_step (CmRequestCodePage *self)
{
  GtkWidget *box = cm_access_flow_step_box (_("Account Info"),
                                            _("Enter your Mechanic Number and ZIP code."));
  GtkWidget *list = gtk_list_box_new ();

  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  self->number_row = cm_plain_row_new (ADW_TYPE_ENTRY_ROW);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->number_row), _("Mechanic Number"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->number_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Mechanic Number"), -1);
  gtk_widget_set_name (GTK_WIDGET (self->number_row), "number-row");
  self->zip_row = cm_plain_row_new (ADW_TYPE_ENTRY_ROW);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->zip_row), _("ZIP Code"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->zip_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("ZIP Code"), -1);
  gtk_widget_set_name (GTK_WIDGET (self->zip_row), "zip-row");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->number_row));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->zip_row));
  g_signal_connect_swapped (self->number_row, "changed", G_CALLBACK (on_entry_changed_cb), self);
  g_signal_connect_swapped (self->zip_row, "changed", G_CALLBACK (on_entry_changed_cb), self);
  g_signal_connect_swapped (self->zip_row, "entry-activated", G_CALLBACK (on_next_clicked_cb),
                            self);
  gtk_box_append (GTK_BOX (box), list);

  return box;
}

static GtkWidget *
build_details_step (CmRequestCodePage *self)
{
  GtkWidget *box = cm_access_flow_step_box (_("Email Option"),
                                            _("Indicate if you would like to receive your "
                                              "authorization code by email or mail and confirm "
                                              "your decision when prompted."));
  GtkWidget *question;
  GtkWidget *buttons;
  GtkWidget *mail_label;

  self->email_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->email_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->email_label, TRUE);
  gtk_label_set_xalign (self->email_label, 0.0);
  gtk_widget_set_name (GTK_WIDGET (self->email_label), "email-label");
  question = gtk_label_new (_("Would you like to receive your authorization code by email?"));
  gtk_label_set_wrap (GTK_LABEL (question), TRUE);
  gtk_label_set_xalign (GTK_LABEL (question), 0.0);
  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->yes_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_mnemonic (_("_Yes")));
  gtk_widget_set_name (GTK_WIDGET (self->yes_button), "yes-button");
  self->no_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_mnemonic (_("N_o")));
  gtk_widget_set_name (GTK_WIDGET (self->no_button), "no-button");
  gtk_toggle_button_set_group (self->no_button, self->yes_button);
  g_signal_connect_swapped (self->yes_button, "toggled", G_CALLBACK (on_choice_toggled_cb), self);
  g_signal_connect_swapped (self->no_button, "toggled", G_CALLBACK (on_choice_toggled_cb), self);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->yes_button));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->no_button));
  gtk_box_append (GTK_BOX (self->email_box), GTK_WIDGET (self->email_label));
  gtk_box_append (GTK_BOX (self->email_box), question);
  gtk_box_append (GTK_BOX (self->email_box), buttons);
  gtk_box_append (GTK_BOX (box), self->email_box);

  self->mail_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  mail_label = gtk_label_new (_("The token will be mailed to the address on record"));
  gtk_widget_add_css_class (mail_label, "heading");
  gtk_label_set_wrap (GTK_LABEL (mail_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (mail_label), 0.0);
  self->mail_confirm = GTK_CHECK_BUTTON (
    cm_access_flow_check_button (_("Send the code by mail to the address on record"),
                                 "mail-confirm"));
  g_signal_connect_swapped (self->mail_confirm, "toggled", G_CALLBACK (on_choice_toggled_cb),
                            self);
  gtk_box_append (GTK_BOX (self->mail_box), mail_label);
  gtk_box_append (GTK_BOX (self->mail_box), GTK_WIDGET (self->mail_confirm));
  gtk_widget_set_visible (self->mail_box, FALSE);
  gtk_box_append (GTK_BOX (box), self->mail_box);

  return box;
}

static GtkWidget *
build_summary_step (CmRequestCodePage *self)
{
  GtkWidget *box = cm_access_flow_step_box (_("Summary"),
                                            _("If all of the information is correct, select "
                                              "Submit."));

  self->summary_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  gtk_widget_set_name (GTK_WIDGET (self->summary_group), "summary-group");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->summary_group));

  return box;
}

static GtkWidget *
build_confirmation_step (CmRequestCodePage *self)
{
  GtkWidget *box = cm_access_flow_step_box (_("Confirmation"), NULL);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *copy = cm_access_flow_nav_button (_("_Copy"), "copy-button", NULL);
  GtkWidget *print = cm_access_flow_nav_button (_("_Printable View"), "print-button", NULL);
  GtkWidget *ok = cm_access_flow_nav_button (_("_OK"), "ok-button", "suggested-action");
  GtkWidget *next = gtk_label_new (_("To continue, you must have your authorization code. "
                                     "Choose Add Account Access when it arrives."));

  self->confirmation_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->confirmation_label, TRUE);
  gtk_label_set_selectable (self->confirmation_label, TRUE);
  gtk_label_set_xalign (self->confirmation_label, 0.0);
  gtk_widget_set_name (GTK_WIDGET (self->confirmation_label), "confirmation-label");
  gtk_label_set_wrap (GTK_LABEL (next), TRUE);
  gtk_label_set_xalign (GTK_LABEL (next), 0.0);
  gtk_widget_add_css_class (next, "dim-label");
  gtk_widget_set_tooltip_text (copy, _("Copy the confirmation number"));
  gtk_widget_set_tooltip_text (print, _("Print the confirmation or save it as a PDF"));
  g_signal_connect_swapped (copy, "clicked", G_CALLBACK (on_copy_clicked_cb), self);
  g_signal_connect_swapped (print, "clicked", G_CALLBACK (on_print_clicked_cb), self);
  g_signal_connect_swapped (ok, "clicked", G_CALLBACK (on_ok_clicked_cb), self);
  self->ok_button = ok;
  gtk_widget_set_hexpand (ok, TRUE);
  gtk_widget_set_halign (ok, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), copy);
  gtk_box_append (GTK_BOX (buttons), print);
  gtk_box_append (GTK_BOX (buttons), ok);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->confirmation_label));
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_box_append (GTK_BOX (box), next);

  return box;
}

static void
cm_request_code_page_constructed (GObject *object)
{
  CmRequestCodePage *self = CM_REQUEST_CODE_PAGE (object);

  G_OBJECT_CLASS (cm_request_code_page_parent_class)->constructed (object);

  if (cm_page_get_session (CM_PAGE (object)) != NULL)
    g_signal_connect_object (cm_page_get_session (CM_PAGE (object)), "notify::state",
                             G_CALLBACK (on_session_state_cb), object, G_CONNECT_SWAPPED);

  load_types (self);
}

static void
cm_request_code_page_dispose (GObject *object)
{
  CmRequestCodePage *self = CM_REQUEST_CODE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cm_request_code_page_parent_class)->dispose (object);
}

static void
cm_request_code_page_finalize (GObject *object)
{
  CmRequestCodePage *self = CM_REQUEST_CODE_PAGE (object);

  g_clear_pointer (&self->types, g_ptr_array_unref);
  g_clear_pointer (&self->summary_rows, g_ptr_array_unref);
  g_clear_pointer (&self->lookup, cm_lookup_result_free);
  g_clear_pointer (&self->result, cm_access_request_result_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->zip, g_free);

  G_OBJECT_CLASS (cm_request_code_page_parent_class)->finalize (object);
}

static void
cm_request_code_page_class_init (CmRequestCodePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  object_class->constructed = cm_request_code_page_constructed;
  object_class->dispose = cm_request_code_page_dispose;
  object_class->finalize = cm_request_code_page_finalize;
  page_class->has_input = cm_request_code_page_has_input;
  page_class->reset = cm_request_code_page_reset;

  /**
   * CmRequestCodePage::submitted:
   * @account_type: e.g. "mechanic"
   * @account_number: e.g. "Z123456"
   * @delivery: "email" or "mail"
   * @confirmation_number: e.g. "0-000-021-028"
   *
   * The back-end accepted the request (to remember it in the journey).
   */
  signals[SIGNAL_SUBMITTED] = g_signal_new ("submitted", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING,
                                            G_TYPE_STRING, G_TYPE_STRING);
  /**
   * CmRequestCodePage::finished:
   *
   * The user read the confirmation and selected OK.
   */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  /**
   * CmRequestCodePage::cancelled:
   *
   * The user left the flow with Cancel (after confirming, when something was entered).
   */
  signals[SIGNAL_CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);
}

static void
cm_request_code_page_init (CmRequestCodePage *self)
{
  static const char *steps[] = {
    N_("SELECT"), N_("ACCOUNT INFO"), N_("ACCOUNT DETAILS"), N_("EMAIL OPTION"), N_("SUMMARY"),
    NULL
  };
  const char *translated[G_N_ELEMENTS (steps)];
  GtkWidget *box;
  GtkWidget *clamp;
  GtkWidget *scrolled;
  GtkWidget *heading;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    translated[i] = steps[i] != NULL ? g_dgettext (GETTEXT_PACKAGE, steps[i]) : NULL;

  self->cancellable = g_cancellable_new ();
  self->summary_rows = g_ptr_array_new ();
  cm_page_set_title (CM_PAGE (self), _("Request Account Access"));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  heading = gtk_label_new (_("Request an Account Authorization Code"));
  gtk_widget_add_css_class (heading, "title-1");
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_box_append (GTK_BOX (box), heading);

  self->stepper = cm_stepper_new (translated);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stepper));

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_set_name (GTK_WIDGET (self->error_label), "error-label");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Error"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_vhomogeneous (self->stack, FALSE);
  gtk_stack_set_hhomogeneous (self->stack, FALSE);
  gtk_stack_add_named (self->stack, build_select_step (self), "select");
  gtk_stack_add_named (self->stack, build_info_step (self), "info");
  gtk_stack_add_named (self->stack, build_details_step (self), "details");
  gtk_stack_add_named (self->stack, build_summary_step (self), "summary");
  gtk_stack_add_named (self->stack, build_confirmation_step (self), "confirmation");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  self->nav_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->cancel_button = cm_access_flow_nav_button (_("_Cancel"), "cancel-button", NULL);
  self->back_button = cm_access_flow_nav_button (_("_Back"), "back-button", NULL);
  self->next_button = cm_access_flow_nav_button (_("_Next"), "next-button", "suggested-action");
  gtk_widget_set_hexpand (self->back_button, TRUE);
  gtk_widget_set_halign (self->back_button, GTK_ALIGN_END);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked_cb),
                            self);
  g_signal_connect_swapped (self->back_button, "clicked", G_CALLBACK (on_back_clicked_cb), self);
  g_signal_connect_swapped (self->next_button, "clicked", G_CALLBACK (on_next_clicked_cb), self);
  gtk_box_append (GTK_BOX (self->nav_box), self->cancel_button);
  gtk_box_append (GTK_BOX (self->nav_box), self->back_button);
  gtk_box_append (GTK_BOX (self->nav_box), self->next_button);
  gtk_box_append (GTK_BOX (box), self->nav_box);

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);
  adw_bin_set_child (ADW_BIN (self), scrolled);
  cm_widget_fix_mnemonic_names (GTK_WIDGET (self));

  go_to_step (self, STEP_SELECT);
}

/**
 * cm_request_code_page_new:
 * @session: the signed-in session
 *
 * Returns: (transfer floating): the Request Code flow, on its first step
 */
CmRequestCodePage *
cm_request_code_page_new (CmSession *session)
{
  return g_object_new (CM_TYPE_REQUEST_CODE_PAGE, "session", session, NULL);
}

/**
 * cm_request_code_page_get_step:
 *
 * Returns: "select", "info", "details", "summary" or "confirmation"
 */
const char *
cm_request_code_page_get_step (CmRequestCodePage *self)
{
  g_return_val_if_fail (CM_IS_REQUEST_CODE_PAGE (self), NULL);

  return step_names[self->step];
}

/**
 * cm_request_code_page_get_confirmation_number:
 *
 * Returns: (nullable): the confirmation number, once submitted
 */
const char *
cm_request_code_page_get_confirmation_number (CmRequestCodePage *self)
{
  g_return_val_if_fail (CM_IS_REQUEST_CODE_PAGE (self), NULL);

  return self->result != NULL ? self->result->confirmation_number : NULL;
}

/**
 * cm_request_code_page_restart:
 *
 * Empties the flow and loads the account types again, for another request.
 */
void
cm_request_code_page_restart (CmRequestCodePage *self)
{
  g_return_if_fail (CM_IS_REQUEST_CODE_PAGE (self));

  cm_page_reset (CM_PAGE (self));
  load_types (self);
}
