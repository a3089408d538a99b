/* cm-server-password.c: MILogin password change and reset (PIN request and confirm).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-password"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>
#include <zxcvbn.h>

#include "cm-challenge-words.h"
#include "cm-error.h"
#include "cm-json.h"
#include "cm-mask.h"
#include "cm-protocol.h"
#include "cm-server-auth-private.h"
#include "cm-validate.h"

/* The PIN is made with "%06u" below. */
G_STATIC_ASSERT (CM_RESET_PIN_DIGITS == 6);

#define MAX_RECOVERY_QUESTIONS 5
#define MAX_RECOVERY_TEXT 256

/* ---- Password change and reset: the common end ---- */

typedef struct
{
  CmServerRequest *request;      /* (owned) */
  CmServerDbUser  *user;         /* (owned) */
  char            *new_password; /* (owned): wiped */
  gint64           reset;        /* the reset being used, or 0 for a change */
  guint8           key[CM_SERVER_DB_DIGEST_BYTES];  /* the user's attempt limits */
} PasswordChange;

static PasswordChange *
password_change_new (CmServerRequest *request,
                     CmServerDbUser  *user,
                     const char      *new_password)
{
  PasswordChange *data = g_new0 (PasswordChange, 1);

  data->request = cm_server_request_ref (request);
  data->new_password = g_strdup (new_password);
  data->user = user;
  cm_server_auth_user_id_key (request->server, user->user_id, data->key);
  return data;
}

static void
password_change_free (PasswordChange *data)
{
  cm_server_request_unref (data->request);
  cm_server_db_user_free (data->user);
  if (data->new_password != NULL)
    sodium_memzero (data->new_password, strlen (data->new_password));
  g_free (data->new_password);
  g_free (data);
}

static void
password_replaced_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  PasswordChange *data = user_data;
  CmServerRequest *request = data->request;
  CmServerDb *db = cm_server_get_db (request->server);
  gint64 now = cm_server_now (request->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  gboolean used = TRUE;

  hash = cm_server_hash_replace_finish (CM_SERVER_HASH (source), result, &error);
  if (hash == NULL)
    goto fail;

  if (!cm_server_db_begin (db, &error))
    goto fail;
  if (data->reset != 0 && !cm_server_db_use_reset (db, data->reset, now, &used, &error))
    goto rollback;
  if (!used)
    {
      error = cm_error_new (CM_ERROR_CODE_USED, CM_MEMBER_PIN, NULL);
      goto rollback;
    }
  /* A new password ends every other session; a reset ends them all, the sign-in lock and
   * the count of wrong PINs. */
  if (!cm_server_db_set_password (db, data->user->id, hash, now, &error) ||
      !cm_server_db_revoke_user_sessions (db, data->user->id, data->reset ? 0 : request->session,
                                          now, &error) ||
      (data->reset != 0 &&
       (!cm_server_auth_limit_clear (db, &cm_server_auth_sign_in_rule, data->key, now, &error) ||
        !cm_server_auth_limit_clear (db, &cm_server_auth_reset_pin_rule, data->key, now,
                                     &error))) ||
      !cm_server_db_commit (db, &error))
    goto rollback;

  g_message ("Password changed for %s", data->user->user_id);
  cm_server_request_reply (request, SOUP_STATUS_NO_CONTENT, NULL);
  password_change_free (data);
  return;

rollback:
  cm_server_db_rollback (db);
fail:
  cm_server_request_fail (request, error);
  password_change_free (data);
}

static void
replace_password (PasswordChange *data)
{
  CmServerDb *db = cm_server_get_db (data->request->server);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) history = NULL;

  history = cm_server_db_get_password_history (db, data->user->id, CM_SERVER_PASSWORD_HISTORY,
                                               &error);
  if (history == NULL)
    {
      cm_server_request_fail (data->request, error);
      password_change_free (data);
      return;
    }
  if (!data->request->paused)
    cm_server_request_pause (data->request);
  cm_server_hash_replace_async (cm_server_get_hash (data->request->server),
                                (const char * const *) history, data->new_password,
                                password_replaced_cb, data);
}

/* ---- PUT password ---- */

static void
current_password_right (CmServerRequest *request,
                        gpointer         data)
{
  replace_password (data);
}

void
cm_server_auth_change_password (CmServerRequest *request)
{
  const char *current = NULL, *new_password = NULL, *confirm = NULL;
  g_autoptr(CmServerDbUser) user = NULL;
  g_autoptr(GError) error = NULL;
  PasswordChange *data;

  if (!cm_json_get_string (request->body, CM_MEMBER_CURRENT_PASSWORD, TRUE, &current, &error) ||
      !cm_json_get_string (request->body, CM_MEMBER_NEW_PASSWORD, TRUE, &new_password, &error) ||
      !cm_json_get_string (request->body, CM_MEMBER_NEW_PASSWORD_CONFIRM, TRUE, &confirm,
                           &error))
    goto fail;

  user = cm_server_auth_signed_in_user (request);
  if (user == NULL)
    return;
  if (!cm_server_auth_check_password (new_password, user->user_id, user->first_name,
                                      user->last_name, CM_MEMBER_NEW_PASSWORD, &error))
    goto fail;
  if (!cm_validate_password_confirmation (new_password, confirm, &error))
    {
      cm_error_set_field (error, CM_MEMBER_NEW_PASSWORD_CONFIRM);
      goto fail;
    }

  data = password_change_new (request, g_steal_pointer (&user), new_password);
  cm_server_auth_verify_current_password (request, data->user, current, current_password_right,
                                          data, (GDestroyNotify) password_change_free);
  return;

fail:
  cm_server_request_fail (request, error);
}

/* ---- POST password-resets ---- */

/* Known user, unknown user, or no mobile number for a text: the same work before the same 202
 * (the count, a PIN and its digest, one transaction, one durable message write; for nobody the
 * message is rehearsed rather than sent), so neither the answer nor its time tells who exists.
 * A 202 still means the PIN is on disk. */
/* Records the PIN and sends it, inside the caller's transaction; when there is nobody to
 * send it to, does the same work with nothing written (cm_outbox_rehearse()), so the time
 * taken tells nothing. *@path: the message written, NULL when rehearsed. */
static gboolean
deliver_pin (CmServer              *server,
             const CmServerDbUser  *user,
             gboolean               by_text,
             const guint8          *digest,
             const char            *body,
             char                 **path,
             GError               **error)
{
  CmOutbox *outbox = cm_server_get_outbox (server);
  gint64 now = cm_server_now (server);

  *path = NULL;
  if (user == NULL || (by_text && user->mobile_phone[0] == '\0'))
    return cm_outbox_rehearse (outbox, body, error);
  if (!cm_server_db_insert_reset (cm_server_get_db (server), user->id, digest, now,
                                  now + CM_SERVER_RESET_SECONDS, error))
    return FALSE;
  if (by_text)
    *path = cm_outbox_send_text (outbox, now, user->mobile_phone, body, error);
  else
    *path = cm_outbox_send_email (outbox, now, user->email,
                                  _("Your MILogin password reset PIN"), body, error);
  return *path != NULL;
}

/* The User ID and how the PIN goes ("email" or "text"). */
static gboolean
read_reset_request (JsonObject  *body,
                    const char **user_id,
                    gboolean    *by_text,
                    GError     **error)
{
  const char *method = NULL;

  if (!cm_json_get_string (body, CM_MEMBER_USER_ID, TRUE, user_id, error) ||
      !cm_json_get_string (body, CM_MEMBER_METHOD, TRUE, &method, error))
    return FALSE;
  if (strcmp (method, CM_RESET_METHOD_EMAIL) != 0 && strcmp (method, CM_RESET_METHOD_TEXT) != 0)
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_INVALID_FIELD, CM_MEMBER_METHOD, NULL));
      return FALSE;
    }
  *by_text = strcmp (method, CM_RESET_METHOD_TEXT) == 0;
  return TRUE;
}

void
cm_server_auth_reset_password (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  CmOutbox *outbox = cm_server_get_outbox (request->server);
  const char *user_id = NULL;
  g_autoptr(CmServerDbUser) user = NULL;
  g_autoptr(GError) refusal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  guint8 key[CM_SERVER_DB_DIGEST_BYTES];
  guint8 digest[CM_SERVER_DB_DIGEST_BYTES];
  gint64 now = cm_server_now (request->server);
  CmServerDbLimit limit;
  gboolean by_text;
  char pin[8] = { 0 };

  if (!read_reset_request (request->body, &user_id, &by_text, &error))
    goto fail;
  /* Too long to be anybody's: nobody to count nor to hide. */
  canonical = cm_server_auth_canonical_user_id (user_id);
  if (canonical == NULL)
    {
      cm_server_request_reply (request, SOUP_STATUS_ACCEPTED, NULL);
      return;
    }
  cm_server_auth_user_id_key (request->server, canonical, key);

  g_snprintf (pin, sizeof pin, "%06u", randombytes_uniform (1000000));
  cm_server_hash_keyed_digest (cm_server_get_hash (request->server),
                               CM_SERVER_HASH_PURPOSE_RESET_PIN, pin, strlen (pin), digest);
  /* Translators: the text of a password-reset message; %s is a six-digit PIN. */
  body = g_strdup_printf (_("Your MILogin password reset PIN is %s. It expires in 15 minutes. "
                            "If you did not ask for it, ignore this message."), pin);

  if (!cm_server_db_begin (db, &error))
    goto fail;
  /* Requests are counted per User ID, known or not, so the limit tells nothing either. */
  if (!cm_server_db_prune_limits (db, now - CM_SERVER_AUTH_LIMIT_RETAIN_SECONDS, now, &error) ||
      !cm_server_auth_limit_load (db, &cm_server_auth_reset_request_rule, key, now, &limit,
                                  &refusal, &error))
    goto rollback;
  if (refusal != NULL)
    {
      error = g_steal_pointer (&refusal);
      goto rollback;
    }
  user = cm_server_db_get_user (db, canonical, &error);
  if (error != NULL ||
      !cm_server_auth_limit_count (db, &cm_server_auth_reset_request_rule, key, now, &limit,
                                   &error))
    goto rollback;

  if (!deliver_pin (request->server, user, by_text, digest, body, &path, &error))
    goto rollback;
  if (!cm_server_db_commit (db, &error))
    {
      cm_outbox_withdraw (outbox, path);
      goto rollback;
    }
  sodium_memzero (pin, sizeof pin);
  sodium_memzero (body, strlen (body));
  cm_server_request_reply (request, SOUP_STATUS_ACCEPTED, NULL);
  return;

rollback:
  cm_server_db_rollback (db);
fail:
  sodium_memzero (pin, sizeof pin);
  if (body != NULL)
    sodium_memzero (body, strlen (body));
  cm_server_request_fail (request, error);
}

/* ---- POST password-resets/confirm ---- */

/* The User ID, the PIN and the new password, typed the same twice. */
static gboolean
read_reset_confirmation (JsonObject  *body,
                         const char **user_id,
                         const char **pin,
                         const char **new_password,
                         GError     **error)
{
  const char *confirm = NULL;

  if (!cm_json_get_string (body, CM_MEMBER_USER_ID, TRUE, user_id, error) ||
      !cm_json_get_string (body, CM_MEMBER_PIN, TRUE, pin, error) ||
      !cm_json_get_string (body, CM_MEMBER_NEW_PASSWORD, TRUE, new_password, error) ||
      !cm_json_get_string (body, CM_MEMBER_NEW_PASSWORD_CONFIRM, TRUE, &confirm, error))
    return FALSE;
  if (!cm_validate_password_confirmation (*new_password, confirm, error))
    {
      cm_error_set_field (*error, CM_MEMBER_NEW_PASSWORD_CONFIRM);
      return FALSE;
    }
  return TRUE;
}

void
cm_server_auth_confirm_reset (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  const char *user_id = NULL, *pin = NULL, *new_password = NULL;
  g_autoptr(CmServerDbUser) user = NULL;
  g_autoptr(GError) refusal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *digits = NULL;
  guint8 key[CM_SERVER_DB_DIGEST_BYTES];
  guint8 digest[CM_SERVER_DB_DIGEST_BYTES];
  CmServerDbReset reset = { 0 };
  CmServerDbLimit limit;
  gint64 now = cm_server_now (request->server);
  PasswordChange *data;
  gboolean right;

  if (!read_reset_confirmation (request->body, &user_id, &pin, &new_password, &error))
    goto fail;
  canonical = cm_server_auth_canonical_user_id (user_id);
  if (canonical == NULL)
    goto invalid;
  cm_server_auth_user_id_key (request->server, canonical, key);
  /* The digits alone, by the app's rule ("123 456" as a text message groups them); a PIN
   * of another shape is compared as sent, so it is wrong and counted like any other. */
  if (!cm_validate_reset_pin (pin, &digits, NULL))
    digits = g_strdup (pin);
  cm_server_hash_keyed_digest (cm_server_get_hash (request->server),
                               CM_SERVER_HASH_PURPOSE_RESET_PIN, digits, strlen (digits), digest);

  /* Wrong PINs count per User ID, known or not and whatever PIN they were for, in the
   * transaction that compares: asking for a new PIN starts no new count. */
  if (!cm_server_db_begin (db, &error))
    goto fail;
  if (!cm_server_auth_limit_load (db, &cm_server_auth_reset_pin_rule, key, now, &limit, &refusal,
                                  &error))
    goto rollback;
  if (refusal != NULL)
    {
      error = g_steal_pointer (&refusal);
      goto rollback;
    }
  user = cm_server_db_get_user (db, canonical, &error);
  if (error != NULL)
    goto rollback;
  right = user != NULL && cm_server_db_get_reset (db, user->id, &reset, &error) &&
          cm_validate_reset_pin (pin, NULL, NULL) &&
          sodium_memcmp (digest, reset.pin_hash, sizeof digest) == 0;
  if (error != NULL ||
      (!right && !cm_server_auth_limit_count (db, &cm_server_auth_reset_pin_rule, key, now,
                                              &limit, &error)) ||
      !cm_server_db_commit (db, &error))
    goto rollback;
  if (!right)
    goto invalid;
  if (reset.expires_at <= now)
    {
      error = cm_error_new (CM_ERROR_CODE_EXPIRED, CM_MEMBER_PIN, NULL);
      goto fail;
    }

  if (!cm_server_auth_check_password (new_password, user->user_id, user->first_name,
                                      user->last_name, CM_MEMBER_NEW_PASSWORD, &error))
    goto fail;

  data = password_change_new (request, g_steal_pointer (&user), new_password);
  data->reset = reset.id;
  replace_password (data);
  return;

rollback:
  cm_server_db_rollback (db);
  goto fail;
invalid:
  error = cm_error_new (CM_ERROR_INVALID_CODE, CM_MEMBER_PIN, NULL);
fail:
  cm_server_request_fail (request, error);
}
