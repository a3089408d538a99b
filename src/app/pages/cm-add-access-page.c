/* cm-add-access-page.c: Add Account Access (the State's slides 13-17,
 * docs/account-access.md): AUTHORIZATION CODE, ACCOUNT INFO, EMAIL, SUMMARY.
 * Submit stays insensitive until the Terms & Conditions box is checked. The
 * link in the email or letter lands here with the code filled in, and never
 * submits.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-add-access-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-flow-private.h"
#include "cm-add-access-page.h"
#include "cm-error.h"
#include "cm-plain-text.h"
#include "cm-protocol.h"
#include "cm-stepper.h"
#include "cm-validate.h"

typedef enum {
  STEP_CODE,
  STEP_INFO,
  STEP_EMAIL,
  STEP_SUMMARY,
} Step;

static const char *step_names[] = { "code", "info", "email", "summary" };

struct _CmAddAccessPage
{
  CmPage               parent_instance;

  /* widgets (owned by the widget tree) */
  CmStepper           *stepper;
  GtkStack            *stack;
  GtkLabel            *error_label;
  AdwEntryRow         *code_row;
  AdwComboRow         *type_row;
  GtkStringList       *type_labels;
  AdwEntryRow         *number_row;
  AdwEntryRow         *zip_row;
  GtkLabel            *email_label;
  AdwPreferencesGroup *summary_group;
  GPtrArray           *summary_rows;      /* borrowed rows in summary_group */
  GtkCheckButton      *terms_check;
  GtkWidget           *back_button;
  GtkWidget           *next_button;

  /* owned */
  GCancellable        *cancellable;
  GPtrArray           *types;             /* CmAccountType */
  gboolean             loading_types;
  CmLookupResult      *lookup;
  char                *code;              /* normalised; a secret: never logged */
  char                *number;
  char                *zip;
  Step                 step;
};

G_DEFINE_FINAL_TYPE (CmAddAccessPage, cm_add_access_page, CM_TYPE_PAGE)

enum {
  SIGNAL_ACCOUNT_LINKED,
  SIGNAL_CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static CmAccountType *
get_selected_type (CmAddAccessPage *self)
{
  guint index = adw_combo_row_get_selected (self->type_row);

  if (self->types == NULL || index == GTK_INVALID_LIST_POSITION || index >= self->types->len)
    return NULL;

  return g_ptr_array_index (self->types, index);
}

static gboolean
code_is_valid (CmAddAccessPage *self)
{
  return cm_validate_authorization_code (gtk_editable_get_text (GTK_EDITABLE (self->code_row)),
                                         NULL, NULL);
}

static void
update_buttons (CmAddAccessPage *self)
{
  gboolean busy = cm_page_get_busy (CM_PAGE (self));
  gboolean ready = FALSE;

  switch (self->step)
    {
    case STEP_CODE:
      ready = code_is_valid (self);
      break;
    case STEP_INFO:
      ready = get_selected_type (self) != NULL &&
              *gtk_editable_get_text (GTK_EDITABLE (self->number_row)) != '\0' &&
              *gtk_editable_get_text (GTK_EDITABLE (self->zip_row)) != '\0';
      break;
    case STEP_EMAIL:
      ready = TRUE;
      break;
    case STEP_SUMMARY:
      /* The slide: "or you won't be able to continue". */
      ready = gtk_check_button_get_active (self->terms_check);
      break;
    default:
      break;
    }

  gtk_widget_set_sensitive (self->next_button, ready && !busy);
  gtk_widget_set_sensitive (self->back_button, self->step != STEP_CODE && !busy);
  cm_access_flow_set_label (self->next_button,
                            self->step == STEP_SUMMARY ? _("_Submit") : _("_Next"));
  cm_page_set_complete (CM_PAGE (self), self->step == STEP_SUMMARY && ready);
}

static void
go_to_step (CmAddAccessPage *self,
            Step             step)
{
  self->step = step;
  gtk_stack_set_visible_child_name (self->stack, step_names[step]);
  cm_stepper_set_current (self->stepper, step);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update_buttons (self);
}

static void
set_busy (CmAddAccessPage *self,
          gboolean         busy)
{
  cm_page_set_busy (CM_PAGE (self), busy);
  update_buttons (self);
}

static const char *
email_on_record (CmAddAccessPage *self)
{
  if (self->lookup == NULL || self->lookup->email_masked == NULL)
    return _("None on record");

  return self->lookup->email_masked;
}

static void
fill_summary (CmAddAccessPage *self)
{
  CmSession *session = cm_page_get_session (CM_PAGE (self));
  CmAccountType *type = get_selected_type (self);
  const char *labels[4];
  const char *values[4];

  for (guint i = 0; i < self->summary_rows->len; i++)
    adw_preferences_group_remove (self->summary_group, g_ptr_array_index (self->summary_rows, i));
  g_ptr_array_set_size (self->summary_rows, 0);

  labels[0] = _("Username");
  values[0] = session != NULL ? cm_session_get_user_id (session) : "";
  labels[1] = _("Action");
  values[1] = _("Adding Account Access");
  labels[2] = _("Account Type");
  values[2] = type != NULL ? type->label : "";
  labels[3] = _("E-Mail Address");
  values[3] = email_on_record (self);

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
  CmAddAccessPage *self = user_data;
  g_autoptr(CmLookupResult) lookup = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

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
  if (self->lookup->email_masked != NULL)
    /* Translators: %s is a masked email address such as E************L@EMAIL.COM. */
    text = g_strdup_printf (_("The email address on record is %s"), self->lookup->email_masked);
  else
    text = g_strdup (_("There is no email address on record for this account."));
  gtk_label_set_text (self->email_label, text);
  go_to_step (self, STEP_EMAIL);
}

static void
link_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CmAddAccessPage *self = user_data;
  g_autoptr(CmAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = cm_session_link_account_finish (CM_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (account == NULL)
    {
      cm_access_flow_show_error (self->error_label, error);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_ACCOUNT_LINKED], 0, account);
}

static void
on_next_clicked_cb (CmAddAccessPage *self)
{
  CmSession *session = cm_page_get_session (CM_PAGE (self));
  CmAccountType *type = get_selected_type (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *number = NULL;
  g_autofree char *zip = NULL;
  g_autofree char *formatted = NULL;

  if (!gtk_widget_get_sensitive (self->next_button))
    return;

  switch (self->step)
    {
    case STEP_CODE:
      if (!cm_validate_authorization_code (gtk_editable_get_text (GTK_EDITABLE (self->code_row)),
                                           &code, &error))
        {
          cm_access_flow_show_error (self->error_label, error);
          return;
        }
      formatted = cm_format_authorization_code (code);
      gtk_editable_set_text (GTK_EDITABLE (self->code_row), formatted);
      cm_secret_free (self->code);
      self->code = g_steal_pointer (&code);
      go_to_step (self, STEP_INFO);
      gtk_widget_grab_focus (GTK_WIDGET (self->number_row));
      break;

    case STEP_INFO:
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
      cm_api_client_lookup_account_async (cm_session_get_api_client (session), type->id,
                                          self->number, self->zip, self->cancellable, lookup_cb,
                                          self);
      break;

    case STEP_EMAIL:
      fill_summary (self);
      go_to_step (self, STEP_SUMMARY);
      break;

    case STEP_SUMMARY:
      set_busy (self, TRUE);
      cm_session_link_account_async (session, self->code, type->id, self->number, self->zip,
                                     gtk_check_button_get_active (self->terms_check),
                                     self->cancellable, link_cb, self);
      break;

    default:
      break;
    }
}

static void
on_back_clicked_cb (CmAddAccessPage *self)
{
  if (self->step == STEP_CODE)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, FALSE);
  go_to_step (self, self->step - 1);
}

static void
discard_cb (GtkWidget *page)
{
  CmAddAccessPage *self = CM_ADD_ACCESS_PAGE (page);

  cm_page_reset (CM_PAGE (self));
  g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
}

static void
on_cancel_clicked_cb (CmAddAccessPage *self)
{
  if (cm_page_has_input (CM_PAGE (self)))
    cm_access_flow_ask_discard (GTK_WIDGET (self), G_CALLBACK (discard_cb));
  else
    discard_cb (GTK_WIDGET (self));
}

static void
on_changed_cb (CmAddAccessPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update_buttons (self);
}

static void
types_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CmAddAccessPage *self = user_data;
  g_autoptr(GPtrArray) types = NULL;
  g_autoptr(GError) error = NULL;

  types = cm_api_client_get_account_types_finish (CM_API_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading_types = FALSE;
  if (types == NULL)
    {
      cm_access_flow_show_error (self->error_label, error);
      return;
    }

  g_clear_pointer (&self->types, g_ptr_array_unref);
  self->types = g_steal_pointer (&types);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_string_list_splice (self->type_labels, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->type_labels)), NULL);
  for (guint i = 0; i < self->types->len; i++)
    gtk_string_list_append (self->type_labels,
                            ((CmAccountType *) g_ptr_array_index (self->types, i))->label);
  adw_combo_row_set_selected (self->type_row, 0);
  update_buttons (self);
}

static void
load_types (CmAddAccessPage *self)
{
  CmSession *session = cm_page_get_session (CM_PAGE (self));

  /* The list needs a signed-in session; the page asks again when it is shown. */
  if (session == NULL || cm_session_get_state (session) != CM_SESSION_STATE_SIGNED_IN ||
      self->loading_types)
    return;
  self->loading_types = TRUE;
  cm_api_client_get_account_types_async (cm_session_get_api_client (session), self->cancellable,
                                         types_cb, self);
}

/* After the expiry dialog signed the user in again, "signed out" is old news. */
static void
on_session_state_cb (CmAddAccessPage *self)
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
cm_add_access_page_has_input (CmPage *page)
{
  CmAddAccessPage *self = CM_ADD_ACCESS_PAGE (page);

  return *gtk_editable_get_text (GTK_EDITABLE (self->code_row)) != '\0' ||
         *gtk_editable_get_text (GTK_EDITABLE (self->number_row)) != '\0' ||
         *gtk_editable_get_text (GTK_EDITABLE (self->zip_row)) != '\0';
}

static void
cm_add_access_page_reset (CmPage *page)
{
  CmAddAccessPage *self = CM_ADD_ACCESS_PAGE (page);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->number_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->zip_row), "");
  gtk_check_button_set_active (self->terms_check, FALSE);
  g_clear_pointer (&self->lookup, cm_lookup_result_free);
  g_clear_pointer (&self->code, cm_secret_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->zip, g_free);
  cm_page_set_busy (page, FALSE);
  go_to_step (self, STEP_CODE);
}

static GtkWidget *
build_code_step (CmAddAccessPage *self)
{
  GtkWidget *box = cm_access_flow_step_box (_("Authorization Code"),
                                            _("Enter your authorization code that you received "
                                              "by email or mail and then select Next."));
  GtkWidget *list = gtk_list_box_new ();

  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  self->code_row = cm_plain_row_new (ADW_TYPE_ENTRY_ROW);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->code_row), _("Authorization Code"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->code_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Authorization Code"), -1);
  gtk_widget_set_name (GTK_WIDGET (self->code_row), "code-row");
  g_signal_connect_swapped (self->code_row, "changed", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->code_row, "entry-activated", G_CALLBACK (on_next_clicked_cb),
                            self);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->code_row));
  gtk_box_append (GTK_BOX (box), list);

  return box;
}

static GtkWidget *
build_info_step (CmAddAccessPage *self)
{
  GtkWidget *box = cm_access_flow_step_box (_("Account Info"),
                                            _("Enter your Mechanic Number and ZIP code."));
  GtkWidget *list = gtk_list_box_new ();

  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  self->type_labels = gtk_string_list_new (NULL);
  self->type_row = cm_plain_row_new (ADW_TYPE_COMBO_ROW);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->type_row), _("Account Type"));
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (self->type_labels));
  g_object_unref (self->type_labels);   /* the row holds it */
  gtk_widget_set_name (GTK_WIDGET (self->type_row), "type-row");
  g_signal_connect_swapped (self->type_row, "notify::selected", G_CALLBACK (on_changed_cb), self);
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
  g_signal_connect_swapped (self->number_row, "changed", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->zip_row, "changed", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->zip_row, "entry-activated", G_CALLBACK (on_next_clicked_cb),
                            self);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->type_row));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->number_row));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->zip_row));
  gtk_box_append (GTK_BOX (box), list);

  return box;
}

static GtkWidget *
build_email_step (CmAddAccessPage *self)
{
  GtkWidget *box = cm_access_flow_step_box (_("Email"),
                                            _("Check the email address on record for this "
                                              "account, then select Next."));

  self->email_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->email_label, TRUE);
  gtk_label_set_xalign (self->email_label, 0.0);
  gtk_widget_add_css_class (GTK_WIDGET (self->email_label), "heading");
  gtk_widget_set_name (GTK_WIDGET (self->email_label), "email-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->email_label));

  return box;
}

static GtkWidget *
build_summary_step (CmAddAccessPage *self)
{
  GtkWidget *box = cm_access_flow_step_box (_("Summary"),
                                            _("Make sure to agree to the Terms & Conditions by "
                                              "selecting the check box or you won't be able to "
                                              "continue. If all of the information is correct, "
                                              "select Submit."));

  self->summary_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  gtk_widget_set_name (GTK_WIDGET (self->summary_group), "summary-group");
  self->terms_check = GTK_CHECK_BUTTON (
    cm_access_flow_check_button (_("I agree to the Terms & Conditions"), "terms-check"));
  g_signal_connect_swapped (self->terms_check, "toggled", G_CALLBACK (on_changed_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->summary_group));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->terms_check));

  return box;
}

static void
cm_add_access_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (cm_add_access_page_parent_class)->constructed (object);

  if (cm_page_get_session (CM_PAGE (object)) != NULL)
    g_signal_connect_object (cm_page_get_session (CM_PAGE (object)), "notify::state",
                             G_CALLBACK (on_session_state_cb), object, G_CONNECT_SWAPPED);

  load_types (CM_ADD_ACCESS_PAGE (object));
}

static void
cm_add_access_page_dispose (GObject *object)
{
  CmAddAccessPage *self = CM_ADD_ACCESS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cm_add_access_page_parent_class)->dispose (object);
}

static void
cm_add_access_page_finalize (GObject *object)
{
  CmAddAccessPage *self = CM_ADD_ACCESS_PAGE (object);

  g_clear_pointer (&self->types, g_ptr_array_unref);
  g_clear_pointer (&self->summary_rows, g_ptr_array_unref);
  g_clear_pointer (&self->lookup, cm_lookup_result_free);
  g_clear_pointer (&self->code, cm_secret_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->zip, g_free);

  G_OBJECT_CLASS (cm_add_access_page_parent_class)->finalize (object);
}

static void
cm_add_access_page_class_init (CmAddAccessPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CmPageClass *page_class = CM_PAGE_CLASS (klass);

  object_class->constructed = cm_add_access_page_constructed;
  object_class->dispose = cm_add_access_page_dispose;
  object_class->finalize = cm_add_access_page_finalize;
  page_class->has_input = cm_add_access_page_has_input;
  page_class->reset = cm_add_access_page_reset;

  /**
   * CmAddAccessPage::account-linked:
   * @account: the account the back-end linked
   */
  signals[SIGNAL_ACCOUNT_LINKED] = g_signal_new ("account-linked", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, CM_TYPE_ACCOUNT);
  signals[SIGNAL_CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);
}

static void
cm_add_access_page_init (CmAddAccessPage *self)
{
  static const char *steps[] = {
    N_("AUTHORIZATION CODE"), N_("ACCOUNT INFO"), N_("EMAIL"), N_("SUMMARY"), NULL
  };
  const char *translated[G_N_ELEMENTS (steps)];
  GtkWidget *box;
  GtkWidget *nav;
  GtkWidget *cancel;
  GtkWidget *clamp;
  GtkWidget *scrolled;
  GtkWidget *heading;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    translated[i] = steps[i] != NULL ? g_dgettext (GETTEXT_PACKAGE, steps[i]) : NULL;

  self->cancellable = g_cancellable_new ();
  self->summary_rows = g_ptr_array_new ();
  cm_page_set_title (CM_PAGE (self), _("Add Account Access"));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  heading = gtk_label_new (_("Enter Your Account Authorization Code to Gain Account Access"));
  gtk_widget_add_css_class (heading, "title-1");
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_label_set_justify (GTK_LABEL (heading), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), heading);

  self->stepper = cm_stepper_new (translated);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stepper));

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_set_name (GTK_WIDGET (self->error_label), "error-label");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_vhomogeneous (self->stack, FALSE);
  gtk_stack_set_hhomogeneous (self->stack, FALSE);
  gtk_stack_add_named (self->stack, build_code_step (self), "code");
  gtk_stack_add_named (self->stack, build_info_step (self), "info");
  gtk_stack_add_named (self->stack, build_email_step (self), "email");
  gtk_stack_add_named (self->stack, build_summary_step (self), "summary");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  nav = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  cancel = cm_access_flow_nav_button (_("_Cancel"), "cancel-button", NULL);
  self->back_button = cm_access_flow_nav_button (_("_Back"), "back-button", NULL);
  self->next_button = cm_access_flow_nav_button (_("_Next"), "next-button", "suggested-action");
  gtk_widget_set_hexpand (self->back_button, TRUE);
  gtk_widget_set_halign (self->back_button, GTK_ALIGN_END);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (on_cancel_clicked_cb), self);
  g_signal_connect_swapped (self->back_button, "clicked", G_CALLBACK (on_back_clicked_cb), self);
  g_signal_connect_swapped (self->next_button, "clicked", G_CALLBACK (on_next_clicked_cb), self);
  gtk_box_append (GTK_BOX (nav), cancel);
  gtk_box_append (GTK_BOX (nav), self->back_button);
  gtk_box_append (GTK_BOX (nav), self->next_button);
  gtk_box_append (GTK_BOX (box), nav);

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

  go_to_step (self, STEP_CODE);
}

/**
 * cm_add_access_page_new:
 * @session: the signed-in session
 *
 * Returns: (transfer floating): the Add Account Access flow, on its first step
 */
CmAddAccessPage *
cm_add_access_page_new (CmSession *session)
{
  return g_object_new (CM_TYPE_ADD_ACCESS_PAGE, "session", session, NULL);
}

/**
 * cm_add_access_page_get_step:
 *
 * Returns: "code", "info", "email" or "summary"
 */
const char *
cm_add_access_page_get_step (CmAddAccessPage *self)
{
  g_return_val_if_fail (CM_IS_ADD_ACCESS_PAGE (self), NULL);

  return step_names[self->step];
}

/**
 * cm_add_access_page_set_code:
 * @untrusted_code: a code from a link, the clipboard or anywhere else
 *
 * Starts the flow again on its first step with the code filled in, when it
 * is a valid code. Never moves on or submits by itself.
 *
 * Returns: %TRUE when the code was valid and filled in
 */
gboolean
cm_add_access_page_set_code (CmAddAccessPage *self,
                             const char      *untrusted_code)
{
  g_autofree char *normalized = NULL;
  g_autofree char *formatted = NULL;

  g_return_val_if_fail (CM_IS_ADD_ACCESS_PAGE (self), FALSE);

  if (untrusted_code == NULL ||
      !cm_validate_authorization_code (untrusted_code, &normalized, NULL))
    return FALSE;

  formatted = cm_format_authorization_code (normalized);
  cm_secret_free (g_steal_pointer (&normalized));
  go_to_step (self, STEP_CODE);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), formatted);
  cm_secret_free (g_steal_pointer (&formatted));

  return TRUE;
}

/**
 * cm_add_access_parse_link:
 * @uri: (nullable): an `io.github.carsmechanic:` link, untrusted
 *
 * Reads the authorization code out of an Add Account Access link. Anything
 * else in the link (other parameters, a fragment, a host) is ignored; a link
 * to another place or with a code that is not valid gives %NULL.
 *
 * Returns: (transfer full) (nullable): the normalised code
 */
char *
cm_add_access_parse_link (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *expected_path = NULL;
  const char *query;
  const char *code;
  char *normalized = NULL;

  if (uri == NULL)
    return NULL;

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL || g_strcmp0 (g_uri_get_scheme (parsed), URI_SCHEME) != 0)
    return NULL;

  /* CM_URI_ADD_ACCESS is "scheme:/path"; compare the path part only. */
  expected_path = g_strdup (strchr (CM_URI_ADD_ACCOUNT_ACCESS, ':') + 1);
  if (g_strcmp0 (g_uri_get_path (parsed), expected_path) != 0)
    return NULL;

  query = g_uri_get_query (parsed);
  if (query == NULL)
    return NULL;
  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    return NULL;

  code = g_hash_table_lookup (params, CM_URI_PARAM_CODE);
  if (code == NULL || !cm_validate_authorization_code (code, &normalized, NULL))
    return NULL;

  return normalized;
}

/**
 * cm_add_access_page_open_link:
 * @uri: an `io.github.carsmechanic:` link, untrusted
 *
 * Returns: %TRUE when the link held a valid code, now filled in
 */
gboolean
cm_add_access_page_open_link (CmAddAccessPage *self,
                              const char      *uri)
{
  g_autofree char *code = NULL;
  gboolean ok;

  g_return_val_if_fail (CM_IS_ADD_ACCESS_PAGE (self), FALSE);

  code = cm_add_access_parse_link (uri);
  if (code == NULL)
    return FALSE;
  ok = cm_add_access_page_set_code (self, code);
  cm_secret_free (g_steal_pointer (&code));

  return ok;
}

/**
 * cm_add_access_page_restart:
 *
 * Empties the flow, for another account.
 */
void
cm_add_access_page_restart (CmAddAccessPage *self)
{
  g_return_if_fail (CM_IS_ADD_ACCESS_PAGE (self));

  cm_page_reset (CM_PAGE (self));
  if (self->types == NULL)
    load_types (self);
}
