/* cm-server-account.c: the signed-in user's MILogin account settings: GET and PUT profile,
 * PUT recovery-options. A change asks the current password again, counted like a sign-in
 * (cm_server_auth_verify_current_password()).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-account"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cm-error.h"
#include "cm-json.h"
#include "cm-protocol.h"
#include "cm-server-auth-private.h"
#include "cm-validate.h"

/* A change waiting for the current password. Only the part asked for is written, on the
 * user as read again in the change's transaction: a profile change and a recovery change
 * at the same time each keep the other's. */
typedef struct
{
  CmServerDbUser *user;       /* (owned): as read, with the asked part changed */
  gboolean        profile;    /* the part: the profile, else the recovery options */
  GPtrArray      *questions;  /* (owned) (nullable): question, digest pairs; NULL keeps them */
} AccountChange;

static void
account_change_free (AccountChange *change)
{
  cm_server_db_user_free (change->user);
  g_clear_pointer (&change->questions, g_ptr_array_unref);
  g_free (change);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_recovery (JsonBuilder          *builder,
              const CmServerDbUser *user,
              const char * const   *questions)
{
  json_builder_set_member_name (builder, CM_MEMBER_RECOVERY);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_RECOVERY_EMAIL);
  json_builder_add_boolean_value (builder, user->recovery_email);
  json_builder_set_member_name (builder, CM_MEMBER_RECOVERY_TEXT);
  json_builder_add_boolean_value (builder, user->recovery_text);
  json_builder_set_member_name (builder, CM_MEMBER_QUESTIONS);
  json_builder_begin_array (builder);
  for (guint i = 0; questions[i] != NULL; i++)
    json_builder_add_string_value (builder, questions[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/* The Profile of docs/openapi.yaml: what the settings show (never a password or an answer). */
static void
reply_profile (CmServerRequest      *request,
               const CmServerDbUser *user,
               const char * const   *questions)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, CM_MEMBER_USER_ID, user->user_id);
  add_string (builder, CM_MEMBER_FIRST_NAME, user->first_name);
  add_string (builder, CM_MEMBER_LAST_NAME, user->last_name);
  add_string (builder, CM_MEMBER_EMAIL, user->email);
  add_string (builder, CM_MEMBER_WORK_PHONE, user->work_phone);
  add_string (builder, CM_MEMBER_MOBILE_PHONE, user->mobile_phone);
  add_recovery (builder, user, questions);
  json_builder_end_object (builder);
  cm_server_request_reply (request, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* The questions stored for @user, as told to the settings. */
static GStrv
stored_questions (CmServerRequest  *request,
                  gint64            user,
                  GError          **error)
{
  return cm_server_db_get_recovery_questions (cm_server_get_db (request->server), user, error);
}

/* The recovery rule (src/common) on @user with @n_questions questions. */
static gboolean
check_recovery (const CmServerDbUser  *user,
                guint                  n_questions,
                GError               **error)
{
  return cm_validate_recovery_options (user->recovery_email, user->recovery_text, n_questions,
                                       user->mobile_phone, error);
}

/* ---- GET profile ---- */

void
cm_server_account_get_profile (CmServerRequest *request)
{
  g_autoptr(CmServerDbUser) user = cm_server_auth_signed_in_user (request);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) questions = NULL;

  if (user == NULL)
    return;
  questions = stored_questions (request, user->id, &error);
  if (questions == NULL)
    cm_server_request_fail (request, error);
  else
    reply_profile (request, user, (const char * const *) questions);
}

/* ---- The change, once the current password is right ---- */

/* Whoever took over a session and its password would next move the email, to reset the
 * password there: the old address hears of it, in the change's transaction. */
static gboolean
tell_old_email (CmServerRequest  *request,
                const char       *old_email,
                const char       *new_email,
                char            **path,
                GError          **error)
{
  g_autofree char *body = NULL;

  /* Translators: an email to the old address after a change; %s is the new one. */
  body = g_strdup_printf (_("The email address of your MILogin account was changed to %s. "
                            "If you did not change it, call the MILogin help desk at once."),
                          new_email);
  *path = cm_outbox_send_email (cm_server_get_outbox (request->server),
                                cm_server_now (request->server), old_email,
                                /* Translators: the subject of the email above. */
                                _("Your MILogin email address was changed"), body, error);
  return *path != NULL;
}

/* The asked part of @change on @user, as read in the transaction. */
static void
take_asked_part (CmServerDbUser      *user,
                 const AccountChange *change)
{
  const CmServerDbUser *asked = change->user;

  if (change->profile)
    {
      g_free (user->first_name);
      user->first_name = g_strdup (asked->first_name);
      g_free (user->last_name);
      user->last_name = g_strdup (asked->last_name);
      g_free (user->email);
      user->email = g_strdup (asked->email);
      g_free (user->work_phone);
      user->work_phone = g_strdup (asked->work_phone);
      g_free (user->mobile_phone);
      user->mobile_phone = g_strdup (asked->mobile_phone);
    }
  else
    {
      user->recovery_email = asked->recovery_email;
      user->recovery_text = asked->recovery_text;
    }
}

/* The questions as they will be: the new ones' texts, else those stored. */
static GStrv
questions_after (CmServerRequest      *request,
                 const AccountChange  *change,
                 GError              **error)
{
  g_autoptr(GStrvBuilder) texts = NULL;

  if (change->questions == NULL)
    return stored_questions (request, change->user->id, error);
  texts = g_strv_builder_new ();
  for (guint i = 0; i + 1 < change->questions->len; i += 2)
    g_strv_builder_add (texts, g_bytes_get_data (change->questions->pdata[i], NULL));
  return g_strv_builder_end (texts);
}

/* Writes @user and the new questions; the rule is checked again on what will be stored. */
static gboolean
write_change (CmServerDb           *db,
              const CmServerDbUser *user,
              const AccountChange  *change,
              const char * const   *questions,
              GError              **error)
{
  if (!check_recovery (user, g_strv_length ((GStrv) questions), error) ||
      !cm_server_db_update_profile (db, user, error) ||
      !cm_server_db_set_recovery (db, user->id, user->recovery_email, user->recovery_text,
                                  error))
    return FALSE;
  if (change->questions == NULL)
    return TRUE;
  if (!cm_server_db_delete_recovery_questions (db, user->id, error))
    return FALSE;
  for (guint i = 0; i + 1 < change->questions->len; i += 2)
    if (!cm_server_db_insert_recovery_question (db, user->id,
                                                g_bytes_get_data (change->questions->pdata[i],
                                                                  NULL),
                                                g_bytes_get_data (change->questions->pdata[i + 1],
                                                                  NULL),
                                                error))
      return FALSE;
  return TRUE;
}

static void
account_change_verified (CmServerRequest *request,
                         gpointer         data)
{
  AccountChange *change = data;
  CmServerDb *db = cm_server_get_db (request->server);
  g_autoptr(CmServerDbUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_email = NULL;
  g_autofree char *notice = NULL;
  g_auto(GStrv) questions = NULL;

  if (!cm_server_db_begin (db, &error))
    goto fail;
  user = cm_server_db_get_user_by_id (db, change->user->id, &error);
  if (user == NULL)
    {
      if (error == NULL)
        error = cm_error_new (CM_ERROR_SESSION_EXPIRED, NULL, NULL);
      goto rollback;
    }
  if (change->profile && g_ascii_strcasecmp (user->email, change->user->email) != 0)
    old_email = g_strdup (user->email);
  take_asked_part (user, change);
  questions = questions_after (request, change, &error);
  if (questions == NULL ||
      !write_change (db, user, change, (const char * const *) questions, &error) ||
      (old_email != NULL && !tell_old_email (request, old_email, user->email, &notice, &error)) ||
      !cm_server_db_commit (db, &error))
    goto rollback;

  g_message ("Account settings changed for %s", user->user_id);
  reply_profile (request, user, (const char * const *) questions);
  account_change_free (change);
  return;

rollback:
  /* Nothing was changed: the old address hears of nothing. */
  if (notice != NULL)
    cm_outbox_withdraw (cm_server_get_outbox (request->server), notice);
  cm_server_db_rollback (db);
fail:
  cm_server_request_fail (request, error);
  account_change_free (change);
}

static void
replace (char       **field,
         const char  *value)
{
  g_free (*field);
  *field = g_strdup (value != NULL ? value : "");
}

/* ---- PUT profile ---- */

typedef struct
{
  const char *current, *first_name, *last_name, *email, *email_confirm;
  const char *work_phone, *mobile_phone;
} ProfileForm;

static gboolean
read_profile (JsonObject   *body,
              ProfileForm  *f,
              GError      **error)
{
  return cm_json_get_string (body, CM_MEMBER_CURRENT_PASSWORD, TRUE, &f->current, error) &&
         cm_json_get_string (body, CM_MEMBER_FIRST_NAME, FALSE, &f->first_name, error) &&
         cm_json_get_string (body, CM_MEMBER_LAST_NAME, TRUE, &f->last_name, error) &&
         cm_json_get_string (body, CM_MEMBER_EMAIL, TRUE, &f->email, error) &&
         cm_json_get_string (body, CM_MEMBER_EMAIL_CONFIRM, TRUE, &f->email_confirm, error) &&
         cm_json_get_string (body, CM_MEMBER_WORK_PHONE, TRUE, &f->work_phone, error) &&
         cm_json_get_string (body, CM_MEMBER_MOBILE_PHONE, FALSE, &f->mobile_phone, error);
}

void
cm_server_account_update_profile (CmServerRequest *request)
{
  g_autoptr(CmServerDbUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL, *work = NULL, *mobile = NULL;
  g_auto(GStrv) questions = NULL;
  ProfileForm f = { 0 };
  AccountChange *change;

  if (!read_profile (request->body, &f, &error) ||
      !cm_validate_first_name (f.first_name, &error) ||
      !cm_validate_last_name (f.last_name, &error) ||
      !cm_validate_email (f.email, &email, &error) ||
      !cm_validate_email_confirmation (f.email, f.email_confirm, &error) ||
      !cm_validate_phone (f.work_phone, TRUE, CM_MEMBER_WORK_PHONE, &work, &error) ||
      !cm_validate_phone (f.mobile_phone, FALSE, CM_MEMBER_MOBILE_PHONE, &mobile, &error))
    goto fail;
  user = cm_server_auth_signed_in_user (request);
  if (user == NULL)
    return;
  replace (&user->first_name, f.first_name);
  g_strstrip (user->first_name);
  replace (&user->last_name, f.last_name);
  g_strstrip (user->last_name);
  replace (&user->email, email);
  replace (&user->work_phone, work);
  replace (&user->mobile_phone, mobile);
  /* Taking the mobile number away would leave a PIN by text with nowhere to go: said
   * before a password try is spent, and checked again when the change is written. */
  questions = stored_questions (request, user->id, &error);
  if (questions == NULL || !check_recovery (user, g_strv_length (questions), &error))
    goto fail;

  change = g_new0 (AccountChange, 1);
  change->profile = TRUE;
  change->user = g_steal_pointer (&user);
  cm_server_auth_verify_current_password (request, change->user, f.current,
                                          account_change_verified, change,
                                          (GDestroyNotify) account_change_free);
  return;

fail:
  cm_server_request_fail (request, error);
}

/* ---- PUT recovery-options ---- */

void
cm_server_account_set_recovery_options (CmServerRequest *request)
{
  g_autoptr(CmServerDbUser) user = NULL;
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *questions = NULL;
  const char *current = NULL;
  gboolean email = FALSE, text = FALSE;
  guint n_questions;
  AccountChange *change;

  if (!cm_json_get_string (request->body, CM_MEMBER_CURRENT_PASSWORD, TRUE, &current, &error) ||
      !cm_json_get_boolean (request->body, CM_MEMBER_RECOVERY_EMAIL, TRUE, &email, &error) ||
      !cm_json_get_boolean (request->body, CM_MEMBER_RECOVERY_TEXT, TRUE, &text, &error) ||
      !cm_json_get_array (request->body, CM_MEMBER_QUESTIONS, FALSE, &questions, &error))
    goto fail;
  user = cm_server_auth_signed_in_user (request);
  if (user == NULL)
    return;
  if (questions != NULL)
    {
      pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      if (!cm_server_auth_digest_questions (cm_server_get_hash (request->server), questions,
                                            user->user_id, pairs, &error))
        goto fail;
      n_questions = pairs->len / 2;
    }
  else
    {
      g_auto(GStrv) stored = stored_questions (request, user->id, &error);

      if (stored == NULL)
        goto fail;
      n_questions = g_strv_length (stored);
    }
  user->recovery_email = email;
  user->recovery_text = text;
  if (!check_recovery (user, n_questions, &error))
    goto fail;

  change = g_new0 (AccountChange, 1);
  change->user = g_steal_pointer (&user);
  change->questions = g_steal_pointer (&pairs);
  cm_server_auth_verify_current_password (request, change->user, current,
                                          account_change_verified, change,
                                          (GDestroyNotify) account_change_free);
  return;

fail:
  cm_server_request_fail (request, error);
}
