/* cm-access-request.c: what the Request Code and Add Account Access steps
 * share (docs/account-access.md): the account types, the number and ZIP
 * checked by the back-end, the delivery choice, the authorization code (a
 * secret, wiped), the confirmation. The window owns one; every step page
 * gets it at construction and never holds another page.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-access-request"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-request-private.h"
#include "cm-bidi.h"
#include "cm-protocol.h"
#include "cm-validate.h"

struct _CmAccessRequest
{
  GObject                parent_instance;

  /* owned */
  CmSession             *session;
  CmJourney             *journey;        /* nullable */
  GCancellable          *types_cancellable;
  GPtrArray             *types;          /* CmAccountType, nullable until loaded */
  GtkStringList         *type_labels;
  CmLookupResult        *lookup;         /* nullable */
  CmAccessRequestResult *result;         /* nullable: once submitted */
  char                  *number;
  char                  *zip;
  char                  *delivery;
  char                  *code;           /* normalised; a secret: wiped, never logged */
  char                  *access_email;   /* Add Account Access's EMAIL, validated */
  char                  *pending_field;
  char                  *pending_message;
  char                  *preferred_type; /* the login kind chosen on Welcome */
  guint                  type_index;
  guint                  lookup_serial;
  guint                  loading : 1;
};

G_DEFINE_FINAL_TYPE (CmAccessRequest, cm_access_request, G_TYPE_OBJECT)

typedef enum {
  PROP_LOADING = 1,
  PROP_TYPE_INDEX,
  PROP_LOOKUP_SERIAL,
  N_PROPS
} CmAccessRequestProperty;

static GParamSpec *obj_props[N_PROPS];

enum {
  SIGNAL_LOAD_FAILED,
  SIGNAL_SUBMITTED,
  SIGNAL_ACCOUNT_LINKED,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_loading (CmAccessRequest *self,
             gboolean         loading)
{
  if (self->loading == !!loading)
    return;
  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_LOADING]);
}

static void
types_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CmAccessRequest) self = user_data;
  g_autoptr(GPtrArray) types = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  types = cm_api_client_get_account_types_finish (CM_API_CLIENT (object), result, &error);
  g_clear_object (&self->types_cancellable);
  set_loading (self, FALSE);
  if (types == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[SIGNAL_LOAD_FAILED], 0, error);
      return;
    }

  g_clear_pointer (&self->types, g_ptr_array_unref);
  self->types = g_steal_pointer (&types);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->type_labels));
  {
    g_autofree const char **labels = g_new0 (const char *, self->types->len + 1);

    for (guint i = 0; i < self->types->len; i++)
      labels[i] = ((CmAccountType *) g_ptr_array_index (self->types, i))->label;
    gtk_string_list_splice (self->type_labels, 0, n, labels);
  }
  cm_access_request_select_preferred_type (self);
}

/**
 * cm_access_request_load_types:
 *
 * Loads the account types once a session is signed in; does nothing while
 * they load or once they are here.
 */
void
cm_access_request_load_types (CmAccessRequest *self)
{
  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));

  if (self->types != NULL || self->types_cancellable != NULL || self->session == NULL ||
      cm_session_get_state (self->session) != CM_SESSION_STATE_SIGNED_IN)
    return;

  self->types_cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  cm_api_client_get_account_types_async (cm_session_get_api_client (self->session),
                                         self->types_cancellable, types_cb,
                                         g_object_ref (self));
}

/* Built before sign-in (or signed in again after expiry): load them now. */
static void
on_session_state_cb (CmAccessRequest *self)
{
  cm_access_request_load_types (self);
}

static void
record_request_cb (CmAccessRequest *self,
                   const char      *account_type,
                   const char      *account_number,
                   const char      *delivery,
                   const char      *confirmation_number)
{
  if (self->journey != NULL)
    cm_journey_add_request (self->journey, account_type, account_number, delivery,
                            confirmation_number);
}

static void
record_linked_cb (CmAccessRequest *self,
                  CmAccount       *account)
{
  if (self->journey != NULL)
    cm_journey_mark_linked (self->journey, cm_account_get_account_type (account),
                            cm_account_get_account_number (account));
}

static void
cm_access_request_dispose (GObject *object)
{
  CmAccessRequest *self = CM_ACCESS_REQUEST (object);

  if (self->types_cancellable != NULL)
    g_cancellable_cancel (self->types_cancellable);
  g_clear_object (&self->types_cancellable);
  g_clear_object (&self->journey);
  g_clear_object (&self->session);
  g_clear_object (&self->type_labels);

  G_OBJECT_CLASS (cm_access_request_parent_class)->dispose (object);
}

static void
cm_access_request_finalize (GObject *object)
{
  CmAccessRequest *self = CM_ACCESS_REQUEST (object);

  g_clear_pointer (&self->types, g_ptr_array_unref);
  g_clear_pointer (&self->lookup, cm_lookup_result_free);
  g_clear_pointer (&self->result, cm_access_request_result_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->zip, g_free);
  g_clear_pointer (&self->delivery, g_free);
  g_clear_pointer (&self->code, cm_secret_free);
  g_clear_pointer (&self->access_email, g_free);
  g_clear_pointer (&self->pending_field, g_free);
  g_clear_pointer (&self->pending_message, g_free);
  g_clear_pointer (&self->preferred_type, g_free);

  G_OBJECT_CLASS (cm_access_request_parent_class)->finalize (object);
}

static void
cm_access_request_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CmAccessRequest *self = CM_ACCESS_REQUEST (object);

  switch ((CmAccessRequestProperty) prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_TYPE_INDEX:
      g_value_set_uint (value, self->type_index);
      break;
    case PROP_LOOKUP_SERIAL:
      g_value_set_uint (value, self->lookup_serial);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_access_request_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CmAccessRequest *self = CM_ACCESS_REQUEST (object);

  switch ((CmAccessRequestProperty) prop_id)
    {
    case PROP_TYPE_INDEX:
      cm_access_request_set_type_index (self, g_value_get_uint (value));
      break;
    case PROP_LOADING:
    case PROP_LOOKUP_SERIAL:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_access_request_class_init (CmAccessRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->dispose = cm_access_request_dispose;
  object_class->finalize = cm_access_request_finalize;
  object_class->get_property = cm_access_request_get_property;
  object_class->set_property = cm_access_request_set_property;

  obj_props[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The selected account type, an index into the type labels. */
  obj_props[PROP_TYPE_INDEX] =
    g_param_spec_uint ("type-index", NULL, NULL, 0, G_MAXUINT, GTK_INVALID_LIST_POSITION,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Changes with each new lookup, so the later steps know to start over. */
  obj_props[PROP_LOOKUP_SERIAL] =
    g_param_spec_uint ("lookup-serial", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, obj_props);

  signals[SIGNAL_LOAD_FAILED] =
    g_signal_new ("load-failed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
  /**
   * CmAccessRequest::submitted:
   *
   * The back-end accepted a code request; the default handler remembers it
   * in the journey.
   */
  signals[SIGNAL_SUBMITTED] =
    g_signal_new_class_handler ("submitted", type, G_SIGNAL_RUN_FIRST,
                                G_CALLBACK (record_request_cb), NULL, NULL, NULL,
                                G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                G_TYPE_STRING);
  signals[SIGNAL_ACCOUNT_LINKED] =
    g_signal_new_class_handler ("account-linked", type, G_SIGNAL_RUN_FIRST,
                                G_CALLBACK (record_linked_cb), NULL, NULL, NULL,
                                G_TYPE_NONE, 1, CM_TYPE_ACCOUNT);
  /**
   * CmAccessRequest::finished:
   * @flow: the flow that reached its end (OK, or the account linked)
   *
   * Its step pages empty themselves; a window that hosts only that flow closes.
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cm_access_request_init (CmAccessRequest *self)
{
  self->type_labels = gtk_string_list_new (NULL);
  self->type_index = GTK_INVALID_LIST_POSITION;
}

/**
 * cm_access_request_new:
 * @session: (nullable): the session whose user asks; %NULL without a
 *   back-end (nobody reaches the steps then)
 *
 * Returns: (transfer full): a new, empty request
 */
CmAccessRequest *
cm_access_request_new (CmSession *session)
{
  CmAccessRequest *self;

  g_return_val_if_fail (session == NULL || CM_IS_SESSION (session), NULL);

  self = g_object_new (CM_TYPE_ACCESS_REQUEST, NULL);
  if (session != NULL)
    cm_access_request_set_session (self, session);

  return self;
}

/**
 * cm_access_request_set_session:
 * @session: the session whose user asks
 *
 * Gives a request made without one its session, once: practice mode's
 * session exists only when its back-end has started, after the first frame.
 */
void
cm_access_request_set_session (CmAccessRequest *self,
                               CmSession       *session)
{
  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));
  g_return_if_fail (CM_IS_SESSION (session));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  g_signal_connect_object (session, "notify::state", G_CALLBACK (on_session_state_cb), self,
                           G_CONNECT_SWAPPED);
  cm_access_request_load_types (self);
}

CmSession *
cm_access_request_get_session (CmAccessRequest *self)
{
  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), NULL);

  return self->session;
}

/**
 * cm_access_request_set_journey:
 * @journey: (nullable): where requests and links are remembered
 */
void
cm_access_request_set_journey (CmAccessRequest *self,
                               CmJourney       *journey)
{
  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));

  g_set_object (&self->journey, journey);
}

gboolean
cm_access_request_get_loading (CmAccessRequest *self)
{
  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), FALSE);

  return self->loading;
}

/**
 * cm_access_request_get_type_labels:
 *
 * Returns: (transfer none): the account types' labels, a #GtkStringList
 */
GListModel *
cm_access_request_get_type_labels (CmAccessRequest *self)
{
  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), NULL);

  return G_LIST_MODEL (self->type_labels);
}

static CmAccountType *
nth_type (CmAccessRequest *self,
          guint            index)
{
  if (self->types == NULL || index >= self->types->len)
    return NULL;

  return g_ptr_array_index (self->types, index);
}

/**
 * cm_access_request_get_type_id:
 *
 * Returns: (nullable): the id of the @index-th type ("mechanic")
 */
const char *
cm_access_request_get_type_id (CmAccessRequest *self,
                               guint            index)
{
  CmAccountType *type;

  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), NULL);

  type = nth_type (self, index);
  return type != NULL ? type->id : NULL;
}

guint
cm_access_request_get_type_index (CmAccessRequest *self)
{
  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), GTK_INVALID_LIST_POSITION);

  return self->type_index;
}

void
cm_access_request_set_type_index (CmAccessRequest *self,
                                  guint            index)
{
  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));

  if (nth_type (self, index) == NULL)
    index = GTK_INVALID_LIST_POSITION;
  if (self->type_index == index)
    return;
  self->type_index = index;
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_TYPE_INDEX]);
}

/**
 * cm_access_request_set_preferred_type:
 * @account_type: the kind of login chosen on Welcome ("mechanic_school")
 *
 * The type both flows start with, selected now if the types are here.
 */
void
cm_access_request_set_preferred_type (CmAccessRequest *self,
                                      const char      *account_type)
{
  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));

  g_free (self->preferred_type);
  self->preferred_type = g_strdup (account_type);
  cm_access_request_select_preferred_type (self);
}

/**
 * cm_access_request_select_preferred_type:
 *
 * Selects the type of the login kind, or the first listed (Mechanic, the
 * slide's choice) when the back-end does not list it.
 */
void
cm_access_request_select_preferred_type (CmAccessRequest *self)
{
  guint index = 0;

  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));

  if (self->types == NULL)
    return;
  for (guint i = 0; i < self->types->len; i++)
    if (g_strcmp0 (((CmAccountType *) g_ptr_array_index (self->types, i))->id,
                   self->preferred_type) == 0)
      index = i;
  cm_access_request_set_type_index (self, index);
}

/**
 * cm_access_request_get_number_label:
 *
 * Returns: what the selected type calls its number ("Mechanic Number")
 */
const char *
cm_access_request_get_number_label (CmAccessRequest *self)
{
  CmAccountType *type;

  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), NULL);

  type = nth_type (self, self->type_index);
  if (type != NULL && type->number_label != NULL)
    return type->number_label;
  /* Until the back-end lists the types, the login kind's word. */
  if (g_strcmp0 (self->preferred_type, CM_ACCOUNT_TYPE_MECHANIC_SCHOOL) == 0)
    return _("Mechanic School Number");
  return _("Mechanic Number");
}

/* ---- calls to the back-end ---------------------------------------------- */

/* The lookup, Submit and link: each a GTask ended by cm_access_request_finish(). */
static GTask *
call_new (CmAccessRequest     *self,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

/* Ends @task with @error when the call gave no @value. */
static gboolean
call_failed (GTask    *task,
             gpointer  value,
             GError   *error)
{
  if (value != NULL)
    return FALSE;
  g_task_return_error (task, error);
  return TRUE;
}

/**
 * cm_access_request_finish:
 *
 * Ends cm_access_request_lookup_async(), cm_access_request_submit_async()
 * or cm_access_request_link_async(): what they learnt is kept in @self.
 *
 * Returns: %FALSE with @error when the back-end refused or was not reached
 */
gboolean
cm_access_request_finish (CmAccessRequest  *self,
                          GAsyncResult     *result,
                          GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- lookup ------------------------------------------------------------- */

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmAccessRequest *self = g_task_get_source_object (task);
  CmLookupResult *lookup;
  GError *error = NULL;

  lookup = cm_api_client_lookup_account_finish (CM_API_CLIENT (object), result, &error);
  if (call_failed (task, lookup, error))
    return;

  g_clear_pointer (&self->lookup, cm_lookup_result_free);
  self->lookup = lookup;
  g_free (self->number);
  self->number = g_strdup (g_task_get_task_data (task));
  g_free (self->zip);
  self->zip = g_strdup (g_object_get_data (G_OBJECT (task), "cm-zip"));
  /* A new account: its delivery is chosen again. */
  g_clear_pointer (&self->delivery, g_free);
  self->lookup_serial++;
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_LOOKUP_SERIAL]);
  g_task_return_boolean (task, TRUE);
}

/**
 * cm_access_request_lookup_async:
 * @number: the account number, normalised by cm_validate_account_number()
 * @zip: the ZIP code, normalised by cm_validate_zip()
 *
 * Asks the back-end whether @number and @zip match an account of the
 * selected type. A mismatch is CM_ERROR_NO_MATCHING_ACCOUNT with one message,
 * whichever of the two is wrong.
 */
void
cm_access_request_lookup_async (CmAccessRequest     *self,
                                const char          *number,
                                const char          *zip,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));

  task = call_new (self, cm_access_request_lookup_async, cancellable, callback, user_data);
  g_task_set_task_data (task, g_strdup (number), g_free);
  g_object_set_data_full (G_OBJECT (task), "cm-zip", g_strdup (zip), g_free);
  cm_api_client_lookup_account_async (cm_session_get_api_client (self->session),
                                      cm_access_request_get_type_id (self, self->type_index),
                                      number, zip, cancellable, lookup_cb, task);
}

/**
 * cm_access_request_get_email_masked:
 *
 * Returns: (nullable): the masked email on record for the account looked up
 */
const char *
cm_access_request_get_email_masked (CmAccessRequest *self)
{
  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), NULL);

  return self->lookup != NULL ? self->lookup->email_masked : NULL;
}

/**
 * cm_access_request_dup_email_sentence:
 *
 * What EMAIL OPTION and Add Account Access's EMAIL say about the address on
 * record: the masked address, isolated left to right, or that there is none.
 *
 * Returns: (transfer full): a sentence
 */
char *
cm_access_request_dup_email_sentence (CmAccessRequest *self)
{
  const char *email = cm_access_request_get_email_masked (self);
  g_autofree char *isolated = NULL;

  if (email == NULL)
    return g_strdup (_("There is no email address on record for this account."));
  isolated = cm_bidi_isolate_ltr (email);
  /* Translators: %s is a masked email address such as E************L@EMAIL.COM. */
  return g_strdup_printf (_("The email address on record is %s"), isolated);
}

/**
 * cm_access_request_get_lookup:
 *
 * Returns: (nullable): what the back-end said of the account looked up
 *   (name, city, the masked addresses), for ACCOUNT DETAILS
 */
const CmLookupResult *
cm_access_request_get_lookup (CmAccessRequest *self)
{
  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), NULL);

  return self->lookup;
}

/* The selected type's label ("Mechanic"), or NULL before the types are loaded. */
const char *
cm_access_request_get_type_label (CmAccessRequest *self)
{
  CmAccountType *type;

  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), NULL);

  type = nth_type (self, self->type_index);
  return type != NULL ? type->label : NULL;
}

/* TRUE when the code can only go by mail: the back-end says so, or no email. */
gboolean
cm_access_request_get_mail_only (CmAccessRequest *self)
{
  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), TRUE);

  return self->lookup == NULL || self->lookup->mail_only || self->lookup->email_masked == NULL;
}

guint
cm_access_request_get_lookup_serial (CmAccessRequest *self)
{
  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), 0);

  return self->lookup_serial;
}

void
cm_access_request_clear_lookup (CmAccessRequest *self)
{
  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));

  g_clear_pointer (&self->lookup, cm_lookup_result_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->zip, g_free);
  g_clear_pointer (&self->delivery, g_free);
  g_clear_pointer (&self->result, cm_access_request_result_free);
}

/* ---- Request Code ------------------------------------------------------- */

/**
 * cm_access_request_set_delivery:
 * @delivery: (nullable): CM_DELIVERY_EMAIL, CM_DELIVERY_MAIL (confirmed), or
 *   %NULL while the user has not decided
 */
void
cm_access_request_set_delivery (CmAccessRequest *self,
                                const char      *delivery)
{
  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));

  g_free (self->delivery);
  self->delivery = g_strdup (delivery);
}

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmAccessRequest *self = g_task_get_source_object (task);
  CmAccessRequestResult *request;
  GError *error = NULL;

  request = cm_api_client_request_access_finish (CM_API_CLIENT (object), result, &error);
  if (call_failed (task, request, error))
    return;

  g_clear_pointer (&self->result, cm_access_request_result_free);
  self->result = request;
  g_signal_emit (self, signals[SIGNAL_SUBMITTED], 0,
                 cm_access_request_get_type_id (self, self->type_index), self->number,
                 request->delivery, request->confirmation_number);
  g_task_return_boolean (task, TRUE);
}

/* Submit on Request Code's SUMMARY. */
void
cm_access_request_submit_async (CmAccessRequest     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));

  task = call_new (self, cm_access_request_submit_async, cancellable, callback, user_data);
  cm_api_client_request_access_async (cm_session_get_api_client (self->session),
                                      cm_access_request_get_type_id (self, self->type_index),
                                      self->number, self->zip, self->delivery, cancellable,
                                      request_cb, task);
}

/* How the code goes: as submitted, or as chosen so far (nullable). */
const char *
cm_access_request_get_delivery (CmAccessRequest *self)
{
  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), NULL);

  return self->result != NULL ? self->result->delivery : self->delivery;
}

/**
 * cm_access_request_get_confirmation_number:
 *
 * Returns: (nullable): the confirmation number, once submitted
 */
const char *
cm_access_request_get_confirmation_number (CmAccessRequest *self)
{
  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), NULL);

  return self->result != NULL ? self->result->confirmation_number : NULL;
}

/* ---- Add Account Access ------------------------------------------------- */

/**
 * cm_access_request_set_code:
 * @untrusted_code: typed, pasted or from a link
 *
 * Keeps the code when cm_validate_authorization_code() accepts it (wiping
 * the one before); the code is never logged.
 *
 * Returns: %TRUE when the code was valid
 */
gboolean
cm_access_request_set_code (CmAccessRequest *self,
                            const char      *untrusted_code)
{
  char *normalized = NULL;

  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), FALSE);

  if (untrusted_code == NULL ||
      !cm_validate_authorization_code (untrusted_code, &normalized, NULL))
    return FALSE;

  cm_secret_free (self->code);
  self->code = normalized;
  return TRUE;
}

gboolean
cm_access_request_has_code (CmAccessRequest *self)
{
  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), FALSE);

  return self->code != NULL;
}

void
cm_access_request_clear_code (CmAccessRequest *self)
{
  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));

  g_clear_pointer (&self->code, cm_secret_free);
}

static void
link_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmAccessRequest *self = g_task_get_source_object (task);
  g_autoptr(CmAccount) account = NULL;
  GError *error = NULL;

  account = cm_session_link_account_finish (CM_SESSION (object), result, &error);
  if (call_failed (task, account, error))
    return;

  g_signal_emit (self, signals[SIGNAL_ACCOUNT_LINKED], 0, account);
  g_task_return_boolean (task, TRUE);
}

/* Submit on Add Account Access's SUMMARY; the back-end refuses
 * @terms_accepted FALSE as well. */
void
cm_access_request_link_async (CmAccessRequest     *self,
                              gboolean             terms_accepted,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));

  task = call_new (self, cm_access_request_link_async, cancellable, callback, user_data);
  cm_session_link_account_async (self->session, self->code,
                                 cm_access_request_get_type_id (self, self->type_index),
                                 self->number, self->zip, self->access_email, terms_accepted,
                                 cancellable, link_cb, task);
}

static void
check_code_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!cm_api_client_check_code_finish (CM_API_CLIENT (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cm_access_request_check_code_async:
 *
 * Leaving AUTHORIZATION CODE: asks the back-end whether the code kept by
 * cm_access_request_set_code() is one of the user's, unused and in date.
 * A wrong code counts against the same lock as Submit (docs/server.md).
 * Ends with cm_access_request_finish().
 */
void
cm_access_request_check_code_async (CmAccessRequest     *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));
  g_return_if_fail (self->code != NULL);

  task = call_new (self, cm_access_request_check_code_async, cancellable, callback, user_data);
  cm_api_client_check_code_async (cm_session_get_api_client (self->session), self->code,
                                  cancellable, check_code_cb, task);
}

/**
 * cm_access_request_set_access_email:
 * @email: (nullable): where messages about this access go, normalised by
 *   cm_validate_email(), or %NULL
 */
void
cm_access_request_set_access_email (CmAccessRequest *self,
                                    const char      *email)
{
  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));

  g_free (self->access_email);
  self->access_email = g_strdup (email);
}

/* ---- shared by the steps ------------------------------------------------ */

void
cm_access_request_set_pending_error (CmAccessRequest *self,
                                     const char      *field,
                                     const char      *message)
{
  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));

  g_free (self->pending_field);
  self->pending_field = g_strdup (field);
  g_free (self->pending_message);
  self->pending_message = g_strdup (message);
}

/**
 * cm_access_request_take_pending_error:
 *
 * Returns: (transfer full) (nullable): the message waiting for @field, once
 */
char *
cm_access_request_take_pending_error (CmAccessRequest *self,
                                      const char      *field)
{
  g_return_val_if_fail (CM_IS_ACCESS_REQUEST (self), NULL);

  if (g_strcmp0 (self->pending_field, field) != 0)
    return NULL;
  g_clear_pointer (&self->pending_field, g_free);
  return g_steal_pointer (&self->pending_message);
}

static void
add_line (GPtrArray  *lines,
          const char *label,
          const char *value)
{
  g_ptr_array_add (lines, g_strdup (label));
  g_ptr_array_add (lines, g_strdup (value != NULL ? value : ""));
}

/* Add Account Access: the address given on EMAIL, in full as on the slide, and the
 * code (the user typed it and reads it back; it is shown, never logged). */
static void
add_access_lines (CmAccessRequest *self,
                  GPtrArray       *lines)
{
  g_autofree char *email = self->access_email != NULL
                           ? cm_bidi_isolate_ltr (self->access_email) : NULL;
  char *formatted = self->code != NULL ? cm_format_authorization_code (self->code) : NULL;
  char *code = formatted != NULL ? cm_bidi_isolate_ltr (formatted) : NULL;

  /* "Email Address", the app's word, where the slide says "E-Mail Address". */
  add_line (lines, _("Email Address"),
            /* Translators: the value of Email Address in the summary when none was given. */
            email != NULL ? email : _("None given"));
  add_line (lines, _("Authorization Code"), code);
  cm_secret_free (formatted);
  cm_secret_free (code);
}

/**
 * cm_access_request_dup_summary:
 * @flow: CM_ACCESS_FLOW_REQUEST_CODE or CM_ACCESS_FLOW_ADD_ACCESS
 *
 * The SUMMARY step's lines, as on the slides, for the page and for
 * Printable View. Numbers and emails are isolated left to right.
 *
 * Returns: (transfer container) (element-type utf8): label, value, label, ...
 */
GPtrArray *
cm_access_request_dup_summary (CmAccessRequest *self,
                               const char      *flow)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  CmAccountType *type = nth_type (self, self->type_index);
  const char *email = cm_access_request_get_email_masked (self);
  g_autofree char *number = cm_bidi_isolate_ltr (self->number != NULL ? self->number : "");

  g_autofree char *isolated_email = email != NULL ? cm_bidi_isolate_ltr (email) : NULL;
  g_autofree char *notice = NULL;
  gboolean request = g_strcmp0 (flow, CM_ACCESS_FLOW_REQUEST_CODE) == 0;

  /* "User ID" where the slide's summary says "Username": one word for one thing. */
  add_line (lines, _("User ID"), cm_session_get_user_id (self->session));
  add_line (lines, _("Action"), request ? _("Requesting an Account Authorization Code")
                                        : _("Adding Account Access"));
  add_line (lines, _("Account Type"), type != NULL ? type->label : NULL);
  if (!request)
    {
      add_access_lines (self, lines);
      return lines;
    }

  add_line (lines, _("Account Number"), number);
  if (g_strcmp0 (self->delivery, CM_DELIVERY_EMAIL) == 0)
    /* Translators: %s is the masked email address on record. */
    notice = g_strdup_printf (_("The account authorization code necessary for granting you "
                                "online access will be emailed to %s."), isolated_email);
  else
    notice = g_strdup (_("The account authorization code necessary for granting you online "
                         "access will be mailed to your address on file."));
  add_line (lines, _("Notice"), notice);

  return lines;
}

/**
 * cm_access_request_finish_flow:
 *
 * @flow reached its end: its steps empty themselves (#CmAccessRequest::finished).
 */
void
cm_access_request_finish_flow (CmAccessRequest *self,
                               const char      *flow)
{
  g_return_if_fail (CM_IS_ACCESS_REQUEST (self));

  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, flow);
}

/**
 * cm_add_access_parse_link:
 * @uri: (nullable): an `io.github.carsmechanic:` link, untrusted
 *
 * Reads the authorization code out of an Add Account Access link. Anything
 * else in the link (other parameters, a fragment, a host) is ignored; a link
 * to another place or with a code that is not valid gives %NULL.
 *
 * Returns: (transfer full) (nullable): the normalised code; free it with
 *   cm_secret_free()
 */
char *
cm_add_access_parse_link (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *query;
  const char *code;
  char *normalized = NULL;

  if (uri == NULL)
    return NULL;

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL || g_strcmp0 (g_uri_get_scheme (parsed), URI_SCHEME) != 0)
    return NULL;

  /* CM_URI_ADD_ACCOUNT_ACCESS is "scheme:/path"; compare the path part only. */
  if (g_strcmp0 (g_uri_get_path (parsed), strchr (CM_URI_ADD_ACCOUNT_ACCESS, ':') + 1) != 0)
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
