/* cm-session.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cm-error.h"
#include "cm-session.h"
#include "cm-session-private.h"

struct _CmSession
{
  GObject            parent_instance;

  CmApiClient       *api_client;        /* (owned): holds the token, the one copy of it here */
  CmCredentialStore *credential_store;  /* (owned) */
  char              *credential_origin; /* (owned) (nullable): NULL keys the keyring on the URI */
  GListStore        *accounts;          /* (owned) of CmAccount */
  guint              accounts_generation; /* counts the changes of @accounts */
  guint              user_generation;     /* counts sign-outs and changes of user */

  CmSessionState     state;
  char              *user_id;           /* (owned) (nullable) */
  char              *first_name;        /* (owned) (nullable) */
  char              *last_name;         /* (owned) (nullable) */
  char              *email_masked;      /* (owned) (nullable) */
  GDateTime         *expires_at;        /* (owned) (nullable) */
  gboolean           remembered;
  gboolean           signing_out;

  guint              expiring_lead_time;
  guint              expiring_source_id;

  GPtrArray         *held_answers;      /* (owned) (nullable): cm_session_hold_refresh_answers() */
};

G_DEFINE_FINAL_TYPE (CmSession, cm_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (CmSessionState, cm_session_state,
  G_DEFINE_ENUM_VALUE (CM_SESSION_STATE_SIGNED_OUT, "signed-out"),
  G_DEFINE_ENUM_VALUE (CM_SESSION_STATE_SIGNING_IN, "signing-in"),
  G_DEFINE_ENUM_VALUE (CM_SESSION_STATE_SIGNED_IN, "signed-in"),
  G_DEFINE_ENUM_VALUE (CM_SESSION_STATE_EXPIRED, "expired"))

typedef enum
{
  PROP_API_CLIENT = 1,
  PROP_CREDENTIAL_STORE,
  PROP_STATE,
  PROP_USER_ID,
  PROP_FIRST_NAME,
  PROP_LAST_NAME,
  PROP_EMAIL_MASKED,
  PROP_EXPIRES_AT,
  PROP_REMEMBERED,
  PROP_ACCOUNTS,
  PROP_EXPIRING_LEAD_TIME,
  N_PROPS
} CmSessionProperty;

static GParamSpec *obj_props[N_PROPS];

enum
{
  SIGNAL_EXPIRED,
  SIGNAL_EXPIRING,
  SIGNAL_PASSWORD_RESET,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- State ---- */

static void
set_state (CmSession      *self,
           CmSessionState  state)
{
  if (self->state == state)
    return;
  g_debug ("state %d -> %d", self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_STATE]);
}

static void
set_string (CmSession         *self,
            char             **field,
            const char        *value,
            CmSessionProperty  prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[prop]);
}

static void
set_remembered (CmSession *self,
                gboolean   remembered)
{
  if (self->remembered == remembered)
    return;
  self->remembered = remembered;
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_REMEMBERED]);
}

static gboolean
expiring_cb (gpointer user_data)
{
  CmSession *self = user_data;

  self->expiring_source_id = 0;
  if (self->state == CM_SESSION_STATE_SIGNED_IN)
    g_signal_emit (self, signals[SIGNAL_EXPIRING], 0);
  return G_SOURCE_REMOVE;
}

static void
schedule_expiring (CmSession *self)
{
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan left;
  gint64 delay;

  g_clear_handle_id (&self->expiring_source_id, g_source_remove);

  if (self->expires_at == NULL || self->state != CM_SESSION_STATE_SIGNED_IN)
    return;

  now = g_date_time_new_now_utc ();
  left = g_date_time_difference (self->expires_at, now) / G_TIME_SPAN_SECOND;
  delay = left - (gint64) self->expiring_lead_time;

  /* The source holds no reference: dispose removes it. */
  if (delay <= 0)
    self->expiring_source_id = g_idle_add (expiring_cb, self);
  else
    self->expiring_source_id = g_timeout_add_seconds ((guint) MIN (delay, G_MAXUINT), expiring_cb,
                                                      self);
}

static void
set_expires_at (CmSession *self,
                GDateTime *expires_at)
{
  if (self->expires_at != expires_at &&
      (self->expires_at == NULL || expires_at == NULL ||
       !g_date_time_equal (self->expires_at, expires_at)))
    {
      g_clear_pointer (&self->expires_at, g_date_time_unref);
      self->expires_at = expires_at != NULL ? g_date_time_ref (expires_at) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_EXPIRES_AT]);
    }
  schedule_expiring (self);
}

static void
apply_user (CmSession            *self,
            const CmSignInResult *result)
{
  g_object_freeze_notify (G_OBJECT (self));

  /* Someone else's accounts must not show for a moment. */
  if (g_strcmp0 (self->user_id, result->user_id) != 0)
    {
      self->user_generation++;
      g_list_store_remove_all (self->accounts);
    }

  set_string (self, &self->user_id, result->user_id, PROP_USER_ID);
  set_string (self, &self->first_name, result->first_name, PROP_FIRST_NAME);
  set_string (self, &self->last_name, result->last_name, PROP_LAST_NAME);
  set_string (self, &self->email_masked, result->email_masked, PROP_EMAIL_MASKED);
  set_state (self, CM_SESSION_STATE_SIGNED_IN);
  set_expires_at (self, result->expires_at);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
clear_user (CmSession *self)
{
  g_object_freeze_notify (G_OBJECT (self));

  g_clear_handle_id (&self->expiring_source_id, g_source_remove);
  cm_api_client_set_token (self->api_client, NULL);
  self->user_generation++;
  g_list_store_remove_all (self->accounts);
  set_string (self, &self->user_id, NULL, PROP_USER_ID);
  set_string (self, &self->first_name, NULL, PROP_FIRST_NAME);
  set_string (self, &self->last_name, NULL, PROP_LAST_NAME);
  set_string (self, &self->email_masked, NULL, PROP_EMAIL_MASKED);
  set_expires_at (self, NULL);
  set_remembered (self, FALSE);
  set_state (self, CM_SESSION_STATE_SIGNED_OUT);

  g_object_thaw_notify (G_OBJECT (self));
}

/* What the keyring items of this session are filed under: the back-end's
 * URI, or the fixed origin of practice mode (docs/decisions.md). */
static const char *
server_key (CmSession *self)
{
  if (self->credential_origin != NULL)
    return self->credential_origin;
  return cm_api_client_get_base_uri (self->api_client);
}

static void
forget_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cm_credential_store_clear_finish (CM_CREDENTIAL_STORE (object), result, &error))
    g_debug ("could not forget a dead session: %s", error->message);
}

static void
on_api_client_session_expired_cb (CmSession   *self,
                                  CmApiClient *api_client)
{
  if (self->state != CM_SESSION_STATE_SIGNED_IN || self->signing_out)
    return;

  g_debug ("the back-end ended the session");
  g_clear_handle_id (&self->expiring_source_id, g_source_remove);
  cm_api_client_set_token (self->api_client, NULL);

  /* The remembered token is dead too; the callback holds nothing of ours. */
  if (self->remembered && self->user_id != NULL)
    cm_credential_store_clear_async (self->credential_store, server_key (self), self->user_id,
                                     NULL, forget_cb, NULL);
  set_remembered (self, FALSE);

  set_state (self, CM_SESSION_STATE_EXPIRED);
  g_signal_emit (self, signals[SIGNAL_EXPIRED], 0);
}

/* ---- Sign in ---- */

typedef struct
{
  char           *user_id;
  gboolean        remember;
  CmSessionState  previous_state;
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  g_free (data->user_id);
  g_free (data);
}

static void
sign_in_keyring_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (data->remember)
    ok = cm_credential_store_store_finish (CM_CREDENTIAL_STORE (object), result, &error);
  else
    ok = cm_credential_store_clear_finish (CM_CREDENTIAL_STORE (object), result, &error);

  /* Signed in either way; the UI reads "remembered" to say whether it will last. */
  if (!ok)
    g_debug ("keyring after sign-in: %s", error->message);
  set_remembered (self, ok && data->remember);

  g_task_return_boolean (task, TRUE);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr(CmSignInResult) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = cm_api_client_sign_in_finish (CM_API_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      set_state (self, data->previous_state);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cm_api_client_set_token (self->api_client, answer->token);
  apply_user (self, answer);

  if (data->remember)
    cm_credential_store_store_async (self->credential_store, server_key (self), answer->user_id,
                                     CM_CREDENTIAL_KIND_TOKEN, answer->token, NULL,
                                     sign_in_keyring_cb, g_steal_pointer (&task));
  else
    /* A session remembered earlier must not come back at the next start. */
    cm_credential_store_clear_async (self->credential_store, server_key (self), NULL, NULL,
                                     sign_in_keyring_cb, g_steal_pointer (&task));
}

/**
 * cm_session_sign_in_async:
 * @remember: keep the session in the keyring (the back-end also gives it a
 *   longer life); when %FALSE, a session remembered before is forgotten
 *
 * Signs in. On success the state is signed-in; on failure it goes back to
 * what it was (expired stays expired, so the UI keeps its form). A keyring
 * that does not work does not fail the sign-in: #CmSession:remembered stays
 * %FALSE. The password is never stored.
 */
void
cm_session_sign_in_async (CmSession           *self,
                          const char          *user_id,
                          const char          *password,
                          gboolean             remember,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignInData *data;

  g_return_if_fail (CM_IS_SESSION (self));
  g_return_if_fail (user_id != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_session_sign_in_async);

  data = g_new0 (SignInData, 1);
  data->user_id = g_strdup (user_id);
  data->remember = remember;
  data->previous_state = self->state == CM_SESSION_STATE_EXPIRED ?
                         CM_SESSION_STATE_EXPIRED : CM_SESSION_STATE_SIGNED_OUT;
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_data_free);

  set_state (self, CM_SESSION_STATE_SIGNING_IN);
  cm_api_client_sign_in_async (self->api_client, user_id, password, remember, cancellable,
                               sign_in_cb, g_steal_pointer (&task));
}

gboolean
cm_session_sign_in_finish (CmSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_session_sign_in_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Restore ---- */

static void
restore_check_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmSession *self = g_task_get_source_object (task);
  const char *user_id = g_task_get_task_data (task);
  g_autoptr(CmSignInResult) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = cm_api_client_get_current_session_finish (CM_API_CLIENT (object), result, &error);
  if (answer != NULL)
    {
      apply_user (self, answer);
      set_remembered (self, TRUE);
      g_task_return_boolean (task, TRUE);
      return;
    }

  clear_user (self);

  if (g_error_matches (error, CM_ERROR, CM_ERROR_SESSION_EXPIRED) ||
      g_error_matches (error, CM_ERROR, CM_ERROR_INVALID_CREDENTIALS))
    {
      /* Dead on the back-end: forget it, and start signed out without an error. */
      g_debug ("the remembered session is no longer valid");
      cm_credential_store_clear_async (self->credential_store, server_key (self), user_id, NULL,
                                       forget_cb, NULL);
      g_task_return_boolean (task, FALSE);
      return;
    }

  /* Offline or the like: keep the token for the next try, and say why. */
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
restore_lookup_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmSession *self = g_task_get_source_object (task);
  g_autofree char *user_id = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  char *token = NULL;

  if (!cm_credential_store_lookup_remembered_finish (CM_CREDENTIAL_STORE (object), result,
                                                     &user_id, &token, &error))
    {
      set_state (self, CM_SESSION_STATE_SIGNED_OUT);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        {
          /* No keyring is the same as nothing remembered here. */
          if (error != NULL)
            g_debug ("restore: %s", error->message);
          g_task_return_boolean (task, FALSE);
        }
      return;
    }

  cm_api_client_set_token (self->api_client, token);
  cm_secret_free (token);
  g_task_set_task_data (task, g_steal_pointer (&user_id), g_free);
  cm_api_client_get_current_session_async (self->api_client, cancellable, restore_check_cb,
                                           g_steal_pointer (&task));
}

/**
 * cm_session_restore_async:
 *
 * Looks up the session remembered for this back-end in the keyring and
 * checks it with `GET sessions/current`.
 */
void
cm_session_restore_async (CmSession           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CM_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_session_restore_async);

  set_state (self, CM_SESSION_STATE_SIGNING_IN);
  cm_credential_store_lookup_remembered_async (self->credential_store, server_key (self),
                                               cancellable, restore_lookup_cb,
                                               g_steal_pointer (&task));
}

/**
 * cm_session_restore_finish:
 *
 * Returns: %TRUE when signed in again. %FALSE with no error when nothing was
 *   remembered, the keyring is unusable or the back-end no longer knows the
 *   session (it is then forgotten); %FALSE with an error (e.g.
 *   CM_ERROR_NETWORK) when it could not be checked. The state is signed-out
 *   whenever the result is %FALSE.
 */
gboolean
cm_session_restore_finish (CmSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_session_restore_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Refresh ---- */

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmSession *self = g_task_get_source_object (task);
  g_autoptr(CmSignInResult) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = cm_api_client_get_current_session_finish (CM_API_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->state == CM_SESSION_STATE_SIGNED_IN)
    apply_user (self, answer);
  g_task_return_boolean (task, TRUE);
}

/**
 * cm_session_refresh_async:
 *
 * Asks the back-end about the session (`GET sessions/current`): updates the
 * user and #CmSession:expires-at, and moves a session the back-end ended to
 * expired. The UI calls it when the user answers #CmSession::expiring with
 * "stay signed in".
 */
void
cm_session_refresh_async (CmSession           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CM_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_session_refresh_async);
  cm_api_client_get_current_session_async (self->api_client, cancellable, refresh_cb,
                                           g_steal_pointer (&task));
}

gboolean
cm_session_refresh_finish (CmSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_session_refresh_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Accounts ---- */

/* The session's accounts now, as an array: what a refresh compares with. */
static GPtrArray *
snapshot_accounts (CmSession *self)
{
  GListModel *model = G_LIST_MODEL (self->accounts);
  guint n = g_list_model_get_n_items (model);
  GPtrArray *kept = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (kept, g_list_model_get_item (model, i));
  return kept;
}

/* How many accounts at the start and at the end of @listed are those of
 * @kept, unchanged: a refresh replaces only what is between. Any thread: an
 * account does not change once made. */
static void
find_changed_span (GPtrArray *kept,
                   GPtrArray *listed,
                   guint     *start,
                   guint     *end)
{
  guint s = 0, e = 0;

  while (s < kept->len && s < listed->len &&
         cm_account_equal (g_ptr_array_index (kept, s), g_ptr_array_index (listed, s)))
    s++;
  while (e < kept->len - s && e < listed->len - s &&
         cm_account_equal (g_ptr_array_index (kept, kept->len - 1 - e),
                           g_ptr_array_index (listed, listed->len - 1 - e)))
    e++;
  *start = s;
  *end = e;
}

/* One splice (a view sees one items-changed, not one per account) of
 * @listed between the @start and @end the session keeps; none when nothing
 * changed. */
static void
splice_changed (CmSession *self,
                GPtrArray *listed,
                guint      start,
                guint      end)
{
  guint n_kept = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  guint n_added = listed->len - start - end;

  if (n_kept - start - end > 0 || n_added > 0)
    /* An empty GPtrArray may have no pdata at all. */
    g_list_store_splice (self->accounts, start, n_kept - start - end,
                         n_added > 0 ? listed->pdata + start : NULL, n_added);
}

/**
 * cm_session_update_accounts:
 * @accounts: (element-type CmAccount): every linked account, as the back-end
 *   listed them
 *
 * What a refresh does with the accounts it lists, at once: the accounts at
 * the start and the end that did not change keep their objects, so a view
 * keeps its rows, focus and scroll position there, and a refresh that
 * brought nothing new (the usual one) changes nothing.
 */
void
cm_session_update_accounts (CmSession *self,
                            GPtrArray *accounts)
{
  g_autoptr(GPtrArray) kept = NULL;
  guint start, end;

  g_return_if_fail (CM_IS_SESSION (self));
  g_return_if_fail (accounts != NULL);

  kept = snapshot_accounts (self);
  find_changed_span (kept, accounts, &start, &end);
  splice_changed (self, accounts, start, end);
}

/* A refresh's comparison, on a worker thread: with 100,000 accounts,
 * comparing them takes about 20 ms and freeing those not kept about 50 ms
 * (docs/benchmarks.md). Even the references to the session's accounts that
 * the thread compares with are taken a part per turn of the main loop:
 * 8-16 ms for 100,000 at once. */
typedef struct
{
  CmSession *session;     /* (unowned): the refresh's task keeps it */
  GPtrArray *kept;        /* (owned) (nullable): the session's accounts when the list came */
  GPtrArray *listed;      /* (owned) (nullable) */
  guint      start;
  guint      end;
} AccountsDiff;

/* References taken per turn of the main loop: 2-3 ms. */
#define SNAPSHOT_PER_TURN 20000

static void
accounts_diff_free (AccountsDiff *diff)
{
  g_clear_pointer (&diff->kept, g_ptr_array_unref);
  g_clear_pointer (&diff->listed, g_ptr_array_unref);
  g_free (diff);
}

static void
diff_in_thread (GTask        *diff_task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AccountsDiff *diff = task_data;

  find_changed_span (diff->kept, diff->listed, &diff->start, &diff->end);
  g_task_return_boolean (diff_task, TRUE);
}

static void
drop_in_thread (GTask        *drop_task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AccountsDiff *diff = task_data;

  g_clear_pointer (&diff->kept, g_ptr_array_unref);
  g_clear_pointer (&diff->listed, g_ptr_array_unref);
  g_task_return_boolean (drop_task, TRUE);
}

/* What a refresh remembers of when it asked for the list. */
typedef struct
{
  guint user_generation;
  guint accounts_generation;
  guint asked;               /* times the list was asked for */
} RefreshData;

static void refresh_accounts_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data);

static void
ask_for_accounts (GTask *task)
{
  CmSession *self = g_task_get_source_object (task);
  RefreshData *data = g_task_get_task_data (task);

  data->user_generation = self->user_generation;
  data->accounts_generation = self->accounts_generation;
  data->asked++;
  cm_api_client_list_accounts_async (self->api_client, g_task_get_cancellable (task),
                                     refresh_accounts_cb, task);
}

/* On a worker thread: 100,000 accounts take about 50 ms to free. */
static void
drop_accounts_diff (AccountsDiff *diff)
{
  AccountsDiff *dropped = g_new0 (AccountsDiff, 1);
  g_autoptr(GTask) drop = g_task_new (NULL, NULL, NULL, NULL);

  dropped->kept = g_steal_pointer (&diff->kept);
  dropped->listed = g_steal_pointer (&diff->listed);
  g_task_set_source_tag (drop, drop_accounts_diff);
  g_task_set_task_data (drop, dropped, (GDestroyNotify) accounts_diff_free);
  g_task_run_in_thread (drop, drop_in_thread);
}

static void
accounts_diffed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmSession *self = g_task_get_source_object (task);
  RefreshData *data = g_task_get_task_data (task);
  AccountsDiff *diff = g_task_get_task_data (G_TASK (result));
  gboolean user_changed = data->user_generation != self->user_generation;
  gboolean accounts_changed = data->accounts_generation != self->accounts_generation;

  if (g_task_return_error_if_cancelled (task))
    {
      drop_accounts_diff (diff);
      return;
    }
  /* Signed out, or someone else signed in, since the list was asked for:
   * their accounts must not come back. */
  if (user_changed)
    {
      drop_accounts_diff (diff);
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* A link or an unlink since the list was asked for: it may not have it.
   * Ask once more; after that, take the list as it is. */
  if (accounts_changed && data->asked < 2)
    {
      drop_accounts_diff (diff);
      ask_for_accounts (g_steal_pointer (&task));
      return;
    }

  if (accounts_changed)
    cm_session_update_accounts (self, diff->listed);
  else
    splice_changed (self, diff->listed, diff->start, diff->end);
  drop_accounts_diff (diff);
  g_task_return_boolean (task, TRUE);
}

/* @diff_task's references to the session's accounts, a part per turn, then
 * the comparison on a worker thread. If the accounts change between two
 * parts, accounts_diffed_cb() sees it (RefreshData) and asks again. */
static gboolean
snapshot_step_cb (gpointer user_data)
{
  GTask *diff_task = user_data;
  AccountsDiff *diff = g_task_get_task_data (diff_task);
  GListModel *model = G_LIST_MODEL (diff->session->accounts);
  guint n = g_list_model_get_n_items (model);

  for (guint made = 0; diff->kept->len < n && made < SNAPSHOT_PER_TURN; made++)
    g_ptr_array_add (diff->kept, g_list_model_get_item (model, diff->kept->len));
  if (diff->kept->len < n)
    return G_SOURCE_CONTINUE;

  g_task_set_source_tag (diff_task, snapshot_step_cb);
  g_task_run_in_thread (diff_task, diff_in_thread);
  return G_SOURCE_REMOVE;
}

/* Takes @diff_task. */
static void
start_snapshot (GTask *diff_task)
{
  /* Less urgent than drawing, so the window draws between the parts. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, snapshot_step_cb, diff_task, g_object_unref);
}

static void
refresh_accounts_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmSession *self = g_task_get_source_object (task);
  GTask *diff_task;
  AccountsDiff *diff;
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts;

  accounts = cm_api_client_list_accounts_finish (CM_API_CLIENT (object), result, &error);
  if (accounts == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  diff = g_new0 (AccountsDiff, 1);
  diff->session = self;
  diff->kept = g_ptr_array_new_full (g_list_model_get_n_items (G_LIST_MODEL (self->accounts)),
                                     g_object_unref);
  diff->listed = accounts;
  diff_task = g_task_new (NULL, NULL, accounts_diffed_cb, g_steal_pointer (&task));
  g_task_set_task_data (diff_task, diff, (GDestroyNotify) accounts_diff_free);
  if (self->held_answers != NULL)
    g_ptr_array_add (self->held_answers, diff_task);
  else
    start_snapshot (diff_task);
}

void
cm_session_refresh_accounts_async (CmSession           *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CM_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_session_refresh_accounts_async);
  g_task_set_task_data (task, g_new0 (RefreshData, 1), g_free);
  ask_for_accounts (g_steal_pointer (&task));
}

gboolean
cm_session_refresh_accounts_finish (CmSession     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cm_session_refresh_accounts_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
find_account (CmSession  *self,
              const char *account_type,
              const char *account_number,
              guint      *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (cm_account_matches (account, account_type, account_number))
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
link_account_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmSession *self = g_task_get_source_object (task);
  g_autoptr(CmAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  guint position;

  account = cm_api_client_add_account_access_finish (CM_API_CLIENT (object), result, &error);
  if (account == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (find_account (self, cm_account_get_account_type (account),
                    cm_account_get_account_number (account), &position))
    g_list_store_splice (self->accounts, position, 1, (gpointer *) &account, 1);
  else
    g_list_store_append (self->accounts, account);

  g_task_return_pointer (task, g_steal_pointer (&account), g_object_unref);
}

/**
 * cm_session_link_account_async:
 *
 * @email: (nullable): where messages about this access go
 *
 * Adds account access with an authorization code (`POST account-access`)
 * and puts the account in #CmSession:accounts.
 */
void
cm_session_link_account_async (CmSession           *self,
                               const char          *authorization_code,
                               const char          *account_type,
                               const char          *account_number,
                               const char          *zip,
                               const char          *email,
                               gboolean             terms_accepted,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CM_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_session_link_account_async);
  cm_api_client_add_account_access_async (self->api_client, authorization_code, account_type,
                                          account_number, zip, email, terms_accepted, cancellable,
                                          link_account_cb, g_steal_pointer (&task));
}

/**
 * cm_session_link_account_finish:
 *
 * Returns: (transfer full) (nullable): the linked account
 */
CmAccount *
cm_session_link_account_finish (CmSession     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cm_session_link_account_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  char *account_type;
  char *account_number;
} UnlinkData;

static void
unlink_data_free (UnlinkData *data)
{
  g_free (data->account_type);
  g_free (data->account_number);
  g_free (data);
}

static void
unlink_account_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmSession *self = g_task_get_source_object (task);
  UnlinkData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint position;

  if (!cm_api_client_remove_account_finish (CM_API_CLIENT (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (find_account (self, data->account_type, data->account_number, &position))
    g_list_store_remove (self->accounts, position);
  g_task_return_boolean (task, TRUE);
}

void
cm_session_unlink_account_async (CmSession           *self,
                                 const char          *account_type,
                                 const char          *account_number,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  UnlinkData *data;

  g_return_if_fail (CM_IS_SESSION (self));
  g_return_if_fail (account_type != NULL);
  g_return_if_fail (account_number != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_session_unlink_account_async);
  data = g_new0 (UnlinkData, 1);
  data->account_type = g_strdup (account_type);
  data->account_number = g_strdup (account_number);
  g_task_set_task_data (task, data, (GDestroyNotify) unlink_data_free);

  cm_api_client_remove_account_async (self->api_client, account_type, account_number,
                                      cancellable, unlink_account_cb, g_steal_pointer (&task));
}

gboolean
cm_session_unlink_account_finish (CmSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cm_session_unlink_account_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Sign out ---- */

typedef struct
{
  char   *user_id;
  GError *error;  /* (owned) (nullable): the first thing that went wrong */
} SignOutData;

static void
sign_out_data_free (SignOutData *data)
{
  g_free (data->user_id);
  g_clear_error (&data->error);
  g_free (data);
}

static void
sign_out_keyring_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CmSession *self = g_task_get_source_object (task);
  SignOutData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!cm_credential_store_clear_finish (CM_CREDENTIAL_STORE (object), result, &error) &&
      data->error == NULL)
    data->error = g_steal_pointer (&error);

  self->signing_out = FALSE;
  clear_user (self);

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
sign_out_forget (GTask *task)
{
  CmSession *self = g_task_get_source_object (task);
  SignOutData *data = g_task_get_task_data (task);

  /* Not the caller's cancellable: the keyring is cleared even when the UI gives up. */
  cm_credential_store_clear_async (self->credential_store, server_key (self), data->user_id,
                                   NULL, sign_out_keyring_cb, task);
}

static void
sign_out_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  SignOutData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!cm_api_client_sign_out_finish (CM_API_CLIENT (object), result, &error) &&
      !g_error_matches (error, CM_ERROR, CM_ERROR_SESSION_EXPIRED) &&
      !g_error_matches (error, CM_ERROR, CM_ERROR_INVALID_CREDENTIALS))
    data->error = g_steal_pointer (&error);

  sign_out_forget (task);
}

/**
 * cm_session_sign_out_async:
 *
 * Logs off: ends the session on the back-end (`DELETE sessions/current`),
 * removes the user's secrets from the keyring, and clears the user and the
 * accounts. Everything local is cleared even when the back-end cannot be
 * reached; the error then says that it was not told (e.g. CM_ERROR_NETWORK).
 */
void
cm_session_sign_out_async (CmSession           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  SignOutData *data;

  g_return_if_fail (CM_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cm_session_sign_out_async);
  /* The local state is cleared whatever happens; report the outcome, not the cancellation. */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (SignOutData, 1);
  data->user_id = g_strdup (self->user_id);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_out_data_free);

  self->signing_out = TRUE;
  g_clear_handle_id (&self->expiring_source_id, g_source_remove);

  if (cm_api_client_has_token (self->api_client))
    cm_api_client_sign_out_async (self->api_client, cancellable, sign_out_cb, task);
  else
    sign_out_forget (task);
}

gboolean
cm_session_sign_out_finish (CmSession     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cm_session_sign_out_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ---- */

static void
cm_session_constructed (GObject *object)
{
  CmSession *self = CM_SESSION (object);

  G_OBJECT_CLASS (cm_session_parent_class)->constructed (object);

  g_assert (CM_IS_API_CLIENT (self->api_client));
  if (self->credential_store == NULL)
    self->credential_store = cm_credential_store_new ();

  g_signal_connect_object (self->api_client, "session-expired",
                           G_CALLBACK (on_api_client_session_expired_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
cm_session_dispose (GObject *object)
{
  CmSession *self = CM_SESSION (object);

  g_clear_handle_id (&self->expiring_source_id, g_source_remove);
  g_clear_object (&self->api_client);
  g_clear_object (&self->credential_store);
  g_clear_pointer (&self->credential_origin, g_free);
  /* A view may keep the store longer than the session. */
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (cm_session_parent_class)->dispose (object);
}

static void
cm_session_finalize (GObject *object)
{
  CmSession *self = CM_SESSION (object);

  g_free (self->user_id);
  g_free (self->first_name);
  g_free (self->last_name);
  g_free (self->email_masked);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  /* Empty: a held answer keeps its refresh, and so the session, alive. */
  g_clear_pointer (&self->held_answers, g_ptr_array_unref);

  G_OBJECT_CLASS (cm_session_parent_class)->finalize (object);
}

static void
cm_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CmSession *self = CM_SESSION (object);

  switch ((CmSessionProperty) prop_id)
    {
    case PROP_API_CLIENT:
      g_value_set_object (value, self->api_client);
      break;
    case PROP_CREDENTIAL_STORE:
      g_value_set_object (value, self->credential_store);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    case PROP_FIRST_NAME:
      g_value_set_string (value, self->first_name);
      break;
    case PROP_LAST_NAME:
      g_value_set_string (value, self->last_name);
      break;
    case PROP_EMAIL_MASKED:
      g_value_set_string (value, self->email_masked);
      break;
    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;
    case PROP_REMEMBERED:
      g_value_set_boolean (value, self->remembered);
      break;
    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;
    case PROP_EXPIRING_LEAD_TIME:
      g_value_set_uint (value, self->expiring_lead_time);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CmSession *self = CM_SESSION (object);

  switch ((CmSessionProperty) prop_id)
    {
    case PROP_API_CLIENT:
      self->api_client = g_value_dup_object (value);
      break;
    case PROP_CREDENTIAL_STORE:
      self->credential_store = g_value_dup_object (value);
      break;
    case PROP_EXPIRING_LEAD_TIME:
      cm_session_set_expiring_lead_time (self, g_value_get_uint (value));
      break;
    case PROP_STATE:
    case PROP_USER_ID:
    case PROP_FIRST_NAME:
    case PROP_LAST_NAME:
    case PROP_EMAIL_MASKED:
    case PROP_EXPIRES_AT:
    case PROP_REMEMBERED:
    case PROP_ACCOUNTS:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_session_class_init (CmSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = cm_session_constructed;
  object_class->dispose = cm_session_dispose;
  object_class->finalize = cm_session_finalize;
  object_class->get_property = cm_session_get_property;
  object_class->set_property = cm_session_set_property;

  obj_props[PROP_API_CLIENT] =
    g_param_spec_object ("api-client", NULL, NULL, CM_TYPE_API_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* NULL at construction means cm_credential_store_new(). */
  obj_props[PROP_CREDENTIAL_STORE] =
    g_param_spec_object ("credential-store", NULL, NULL, CM_TYPE_CREDENTIAL_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  obj_props[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CM_TYPE_SESSION_STATE, CM_SESSION_STATE_SIGNED_OUT,
                       ro);
  obj_props[PROP_USER_ID] = g_param_spec_string ("user-id", NULL, NULL, NULL, ro);
  obj_props[PROP_FIRST_NAME] = g_param_spec_string ("first-name", NULL, NULL, NULL, ro);
  obj_props[PROP_LAST_NAME] = g_param_spec_string ("last-name", NULL, NULL, NULL, ro);
  obj_props[PROP_EMAIL_MASKED] = g_param_spec_string ("email-masked", NULL, NULL, NULL, ro);
  obj_props[PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  obj_props[PROP_REMEMBERED] = g_param_spec_boolean ("remembered", NULL, NULL, FALSE, ro);
  obj_props[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  obj_props[PROP_EXPIRING_LEAD_TIME] =
    g_param_spec_uint ("expiring-lead-time", NULL, NULL, 0, G_MAXUINT,
                       CM_SESSION_DEFAULT_EXPIRING_LEAD_TIME,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, obj_props);

  /**
   * CmSession::expired:
   *
   * The back-end answered 401 `session_expired` to a call: the state is now
   * expired. The user, the accounts and whatever the UI holds stay.
   */
  signals[SIGNAL_EXPIRED] =
    g_signal_new ("expired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * CmSession::expiring:
   *
   * #CmSession:expiring-lead-time seconds before #CmSession:expires-at (as
   * last heard from the back-end). cm_session_refresh_async() finds out
   * whether it still holds.
   */
  signals[SIGNAL_EXPIRING] =
    g_signal_new ("expiring", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * CmSession::password-reset:
   * @user_id: the User ID whose password was reset
   *
   * A password reset succeeded (cm_session_note_password_reset()): the
   * back-end lifted the sign-in lock of @user_id, so whatever UI counts one
   * down stops.
   */
  signals[SIGNAL_PASSWORD_RESET] =
    g_signal_new ("password-reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
count_accounts_change_cb (CmSession *self)
{
  self->accounts_generation++;
}

static void
cm_session_init (CmSession *self)
{
  self->accounts = g_list_store_new (CM_TYPE_ACCOUNT);
  g_signal_connect_swapped (self->accounts, "items-changed",
                            G_CALLBACK (count_accounts_change_cb), self);
  self->expiring_lead_time = CM_SESSION_DEFAULT_EXPIRING_LEAD_TIME;
}

/* ---- Public API ---- */

/**
 * cm_session_new:
 * @api_client: the back-end
 * @credential_store: (nullable): the keyring, or %NULL for cm_credential_store_new()
 *
 * Returns: (transfer full): a signed-out session
 */
CmSession *
cm_session_new (CmApiClient       *api_client,
                CmCredentialStore *credential_store)
{
  g_return_val_if_fail (CM_IS_API_CLIENT (api_client), NULL);
  g_return_val_if_fail (credential_store == NULL || CM_IS_CREDENTIAL_STORE (credential_store),
                        NULL);

  return g_object_new (CM_TYPE_SESSION,
                       "api-client", api_client,
                       "credential-store", credential_store,
                       NULL);
}

/**
 * cm_session_get_api_client:
 *
 * Returns: (transfer none): the client; the wizard's pages call it directly
 */
CmApiClient *
cm_session_get_api_client (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), NULL);
  return self->api_client;
}

/**
 * cm_session_get_credential_store:
 *
 * Returns: (transfer none):
 */
CmCredentialStore *
cm_session_get_credential_store (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), NULL);
  return self->credential_store;
}

CmSessionState
cm_session_get_state (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), CM_SESSION_STATE_SIGNED_OUT);
  return self->state;
}

const char *
cm_session_get_user_id (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), NULL);
  return self->user_id;
}

/**
 * cm_session_get_first_name:
 *
 * Returns: (nullable): the signed-in person's first name, as the pages greet
 *   them; %NULL when nobody is signed in or it was left empty at sign-up
 */
const char *
cm_session_get_first_name (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), NULL);
  return self->first_name;
}

const char *
cm_session_get_last_name (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), NULL);
  return self->last_name;
}

const char *
cm_session_get_email_masked (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), NULL);
  return self->email_masked;
}

/**
 * cm_session_get_expires_at:
 *
 * Returns: (transfer none) (nullable):
 */
GDateTime *
cm_session_get_expires_at (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), NULL);
  return self->expires_at;
}

gboolean
cm_session_get_remembered (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), FALSE);
  return self->remembered;
}

/**
 * cm_session_get_accounts:
 *
 * Returns: (transfer none): a #GListModel of #CmAccount
 */
GListModel *
cm_session_get_accounts (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->accounts);
}

guint
cm_session_get_expiring_lead_time (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), 0);
  return self->expiring_lead_time;
}

void
cm_session_set_expiring_lead_time (CmSession *self,
                                   guint      seconds)
{
  g_return_if_fail (CM_IS_SESSION (self));

  if (self->expiring_lead_time == seconds)
    return;
  self->expiring_lead_time = seconds;
  schedule_expiring (self);
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_EXPIRING_LEAD_TIME]);
}

/**
 * cm_session_note_password_reset:
 * @user_id: the User ID whose password was just reset
 *
 * Tells the session's watchers (#CmSession::password-reset) that a reset
 * succeeded; the back-end clears the sign-in lock with it.
 */
void
cm_session_note_password_reset (CmSession  *self,
                                const char *user_id)
{
  g_return_if_fail (CM_IS_SESSION (self));
  g_return_if_fail (user_id != NULL);

  g_signal_emit (self, signals[SIGNAL_PASSWORD_RESET], 0, user_id);
}

/**
 * cm_session_set_credential_origin:
 * @origin: (nullable): what the keyring items are filed under, or %NULL for
 *   the back-end's URI
 *
 * Practice mode's back-end listens on a new loopback port at every start:
 * filed under that URI, a remembered session would never be found again.
 * Call before cm_session_restore_async(). A fixed origin must not look like
 * a URI (it starts with "practice:"), so no real back-end's lookup ever
 * returns a practice item, nor the other way round (docs/decisions.md).
 */
void
cm_session_set_credential_origin (CmSession  *self,
                                  const char *origin)
{
  g_return_if_fail (CM_IS_SESSION (self));
  g_return_if_fail (origin == NULL || g_str_has_prefix (origin, CM_SESSION_PRACTICE_ORIGIN));

  g_free (self->credential_origin);
  self->credential_origin = g_strdup (origin);
}

/* ---- For the tests (cm-session-private.h) ---- */

/**
 * cm_session_hold_refresh_answers:
 * @hold: %TRUE to hold, %FALSE to let the held ones go on
 *
 * Holds the lists that refreshes get from the back-end, before they are
 * compared with the accounts: a test signs out or links meanwhile, which a
 * slow comparison of many accounts would allow but nothing makes happen on
 * demand. Released, they go on in the order they came.
 */
void
cm_session_hold_refresh_answers (CmSession *self,
                                 gboolean   hold)
{
  g_autoptr(GPtrArray) held = NULL;

  g_return_if_fail (CM_IS_SESSION (self));

  if (hold)
    {
      if (self->held_answers == NULL)
        self->held_answers = g_ptr_array_new ();
      return;
    }
  held = g_steal_pointer (&self->held_answers);
  for (guint i = 0; held != NULL && i < held->len; i++)
    start_snapshot (g_ptr_array_index (held, i));
}

guint
cm_session_get_n_held_answers (CmSession *self)
{
  g_return_val_if_fail (CM_IS_SESSION (self), 0);

  return self->held_answers != NULL ? self->held_answers->len : 0;
}
