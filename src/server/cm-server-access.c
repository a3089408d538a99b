/* cm-server-access.c: CARS: account types, lookups, access requests, account access.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-server-access"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "cm-error.h"
#include "cm-json.h"
#include "cm-mask.h"
#include "cm-protocol.h"
#include "cm-server-private.h"
#include "cm-validate.h"

#define ZIP_DIGITS 5

static const struct
{
  const char *id;
  const char *label;
  const char *number_label;
} account_types[] = {
  { CM_ACCOUNT_TYPE_MECHANIC, N_("Mechanic"), N_("Mechanic Number") },
  { CM_ACCOUNT_TYPE_MECHANIC_SCHOOL, N_("Mechanic School"), N_("Mechanic School Number") },
};

static gboolean
is_account_type (const char *value)
{
  for (guint i = 0; i < G_N_ELEMENTS (account_types); i++)
    if (strcmp (value, account_types[i].id) == 0)
      return TRUE;
  return FALSE;
}

static const char *
account_type_label (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (account_types); i++)
    if (strcmp (id, account_types[i].id) == 0)
      return _(account_types[i].label);
  return id;
}

/* ZIP codes compare on their first five digits, so 48909-1234 matches 48909. */
static gboolean
zip_matches (const char *on_record,
             const char *given)
{
  return on_record != NULL && given != NULL &&
         strlen (on_record) >= ZIP_DIGITS && strlen (given) >= ZIP_DIGITS &&
         strncmp (on_record, given, ZIP_DIGITS) == 0;
}

/* An account as the API shows it, written as JSON text directly: building, writing and
 * freeing a JsonNode tree per account was a third of what GET accounts cost. */
static void
append_account (GString                 *out,
                const CmServerDbAccount *account)
{
  g_autofree char *linked = cm_server_format_time (account->linked_at);

  g_string_append_c (out, '{');
  cm_json_append_member (out, CM_MEMBER_ACCOUNT_TYPE, account->account_type);
  g_string_append_c (out, ',');
  cm_json_append_member (out, CM_MEMBER_ACCOUNT_NUMBER, account->account_number);
  g_string_append_c (out, ',');
  cm_json_append_member (out, CM_MEMBER_NAME, account->name);
  g_string_append_c (out, ',');
  cm_json_append_member (out, CM_MEMBER_STATUS, account->status);
  g_string_append_c (out, ',');
  cm_json_append_member (out, CM_MEMBER_CITY, account->city);
  g_string_append_c (out, ',');
  cm_json_append_member (out, CM_MEMBER_LINKED_AT, linked);
  if (account->certificate_expires != NULL && account->certificate_expires[0] != '\0')
    {
      g_string_append_c (out, ',');
      cm_json_append_member (out, CM_MEMBER_CERTIFICATE_EXPIRES, account->certificate_expires);
    }
  g_string_append_c (out, '}');
}

/* {"@name": account} */
static GString *
account_reply (const char              *name,
               const CmServerDbAccount *account)
{
  GString *out = g_string_sized_new (256);

  g_string_append_c (out, '{');
  cm_json_append_string (out, name);
  g_string_append_c (out, ':');
  append_account (out, account);
  g_string_append_c (out, '}');
  return out;
}

/* Reads account_type, account_number and zip, then finds the account with that ZIP.
 * Unknown number and wrong ZIP give the one error, no_matching_account. */
static CmServerDbAccount *
find_account (CmServerRequest  *request,
              GError          **error)
{
  CmServerDb *db = cm_server_get_db (request->server);
  const char *type = NULL, *number = NULL, *zip = NULL;
  g_autofree char *number_normalized = NULL;
  g_autofree char *zip_normalized = NULL;
  g_autoptr(CmServerDbAccount) account = NULL;

  if (!cm_json_get_string (request->body, CM_MEMBER_ACCOUNT_TYPE, TRUE, &type, error) ||
      !cm_json_get_string (request->body, CM_MEMBER_ACCOUNT_NUMBER, TRUE, &number, error) ||
      !cm_json_get_string (request->body, CM_MEMBER_ZIP, TRUE, &zip, error))
    return NULL;
  if (!is_account_type (type))
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_INVALID_FIELD, CM_MEMBER_ACCOUNT_TYPE,
                                              NULL));
      return NULL;
    }
  if (!cm_validate_account_number (number, &number_normalized, error) ||
      !cm_validate_zip (zip, &zip_normalized, error))
    return NULL;

  account = cm_server_db_get_registry (db, type,
                                       number_normalized ? number_normalized : number, error);
  if (account == NULL)
    {
      if (error == NULL || *error == NULL)
        g_propagate_error (error, cm_error_new (CM_ERROR_NO_MATCHING_ACCOUNT, NULL, NULL));
      return NULL;
    }
  if (!zip_matches (account->zip, zip_normalized ? zip_normalized : zip))
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_NO_MATCHING_ACCOUNT, NULL, NULL));
      return NULL;
    }
  return g_steal_pointer (&account);
}

/* ---- GET account-types ---- */

void
cm_server_access_account_types (CmServerRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (account_types); i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, CM_MEMBER_ID);
      json_builder_add_string_value (builder, account_types[i].id);
      json_builder_set_member_name (builder, CM_MEMBER_LABEL);
      json_builder_add_string_value (builder, _(account_types[i].label));
      json_builder_set_member_name (builder, CM_MEMBER_NUMBER_LABEL);
      json_builder_add_string_value (builder, _(account_types[i].number_label));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  cm_server_request_reply (request, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* ---- POST account-lookups ---- */

void
cm_server_access_lookup (CmServerRequest *request)
{
  g_autoptr(CmServerDbAccount) account = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *address = NULL;

  account = find_account (request, &error);
  if (account == NULL)
    {
      cm_server_request_fail (request, error);
      return;
    }
  masked = cm_mask_email (account->email);
  address = cm_mask_mailing_address (account->mailing_address);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_ACCOUNT_TYPE);
  json_builder_add_string_value (builder, account->account_type);
  json_builder_set_member_name (builder, CM_MEMBER_ACCOUNT_NUMBER);
  json_builder_add_string_value (builder, account->account_number);
  json_builder_set_member_name (builder, CM_MEMBER_EMAIL_MASKED);
  if (masked != NULL)
    json_builder_add_string_value (builder, masked);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, CM_MEMBER_MAIL_ONLY);
  json_builder_add_boolean_value (builder, masked == NULL);
  /* The slides' Account Details: the number and ZIP matched, so the business may be named
   * (the springboard shows the same); the street stays masked. */
  json_builder_set_member_name (builder, CM_MEMBER_NAME);
  json_builder_add_string_value (builder, account->name);
  json_builder_set_member_name (builder, CM_MEMBER_CITY);
  json_builder_add_string_value (builder, account->city);
  json_builder_set_member_name (builder, CM_MEMBER_MAILING_ADDRESS_MASKED);
  if (address != NULL)
    json_builder_add_string_value (builder, address);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  cm_server_request_reply (request, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* ---- POST access-requests ---- */

static char *
new_authorization_code (void)
{
  const char *alphabet = CM_AUTHORIZATION_CODE_ALPHABET;
  guint n = strlen (alphabet);
  char code[CM_AUTHORIZATION_CODE_LENGTH + 1];

  for (guint i = 0; i < CM_AUTHORIZATION_CODE_LENGTH; i++)
    code[i] = alphabet[randombytes_uniform (n)];
  code[CM_AUTHORIZATION_CODE_LENGTH] = '\0';
  return g_strdup (code);
}

/* A date and time a person reads in an email or a letter: the server does
 * not know the reader's time zone, so UTC, said so, in a form no locale
 * reads two ways ("2026-12-09 14:05 UTC"), not the API's ISO 8601 stamp. */
static char *
format_message_time (gint64 unix_time)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (unix_time);

  if (when == NULL)
    return g_strdup ("");
  return g_date_time_format (when, "%Y-%m-%d %H:%M UTC");
}

static char *
code_message (const CmServerDbAccount *account,
              const char              *formatted_code,
              const char              *confirmation,
              gint64                   expires_at,
              gboolean                 by_mail)
{
  g_autofree char *link = g_strdup_printf ("%s?%s=%s", CM_URI_ADD_ACCOUNT_ACCESS,
                                           CM_URI_PARAM_CODE, formatted_code);
  g_autofree char *expires = format_message_time (expires_at);
  g_autoptr(GString) text = g_string_new (NULL);

  /* Translators: the first lines of the authorization code email or letter; %s are the
   * account type (e.g. Mechanic), the account number and the business name. */
  g_string_append_printf (text, _("An authorization code was requested to add online access "
                                  "to the CARS e-Services account %s %s (%s)."),
                          account_type_label (account->account_type), account->account_number,
                          account->name);
  g_string_append (text, "\n\n");
  /* Translators: %s is the authorization code, XXXX-XXXX-XXXX */
  g_string_append_printf (text, _("Your authorization code: %s"), formatted_code);
  g_string_append (text, "\n\n");
  g_string_append (text, _("Open this link to add the account in CARS Mechanic, or type the "
                           "code in Add Account Access:"));
  g_string_append_printf (text, "\n%s\n\n", link);
  /* Translators: %s is a date and time in UTC, written 2026-12-09 14:05 UTC */
  g_string_append_printf (text, _("The code works once and expires on %s."), expires);
  g_string_append (text, "\n");
  /* Translators: %s is a confirmation number like 0-000-021-028 */
  g_string_append_printf (text, _("Confirmation number: %s"), confirmation);
  g_string_append (text, "\n\n");
  g_string_append (text, _("If you did not ask for this code, you can ignore this "
                           "message; nobody gets access without it."));
  if (by_mail)
    g_string_append (text, "\n");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The daily limits of code requests, checked inside the write transaction so that several
 * server processes on one database cannot both pass them. Returns FALSE with a 429
 * rate_limited (or a storage error) in @error. */
static gboolean
check_code_request_limits (CmServerRequest          *request,
                           const CmServerDbAccount  *account,
                           gint64                    now,
                           GError                  **error)
{
  CmServerDb *db = cm_server_get_db (request->server);
  gint64 since = now - CM_SERVER_CODE_REQUEST_WINDOW;
  gint64 by_user = 0, for_account = 0, oldest;
  guint per_user, per_account;
  GError *limited;

  cm_server_get_code_request_limits (request->server, &per_user, &per_account);
  if ((per_user > 0 &&
       !cm_server_db_nth_recent_request (db, request->user, NULL, NULL, since, per_user,
                                         &by_user, error)) ||
      (per_account > 0 &&
       !cm_server_db_nth_recent_request (db, 0, account->account_type,
                                         account->account_number, since, per_account,
                                         &for_account, error)))
    return FALSE;
  /* Allowed again once the request that filled the limit leaves the window. */
  oldest = MAX (by_user, for_account);
  if (oldest == 0)
    return TRUE;
  limited = cm_error_new (CM_ERROR_RATE_LIMITED, NULL, NULL);
  cm_error_set_retry_after (limited, MAX (1, oldest + CM_SERVER_CODE_REQUEST_WINDOW - now));
  g_propagate_error (error, limited);
  return FALSE;
}

/* The answer to a code request: its confirmation number, how it goes, the masked email. */
static JsonNode *
code_request_json (const CmServerDbAccount *account,
                   const char              *confirmation,
                   const char              *delivery,
                   gboolean                 by_mail)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *masked = by_mail ? NULL : cm_mask_email (account->email);
  const char *notice = by_mail
    ? _("The account authorization code necessary for granting you online access will be "
        "mailed to your address on file.")
    : _("The account authorization code necessary for granting you online access will be "
        "emailed to the address on file.");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, CM_MEMBER_CONFIRMATION_NUMBER);
  json_builder_add_string_value (builder, confirmation);
  json_builder_set_member_name (builder, CM_MEMBER_DELIVERY);
  json_builder_add_string_value (builder, delivery);
  json_builder_set_member_name (builder, CM_MEMBER_EMAIL_MASKED);
  if (masked != NULL)
    json_builder_add_string_value (builder, masked);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, CM_MEMBER_NOTICE);
  json_builder_add_string_value (builder, notice);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
cm_server_access_request_code (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  CmOutbox *outbox = cm_server_get_outbox (request->server);
  g_autoptr(CmServerDbAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *confirmation = NULL;
  g_autofree char *message = NULL;
  g_autofree char *path = NULL;
  const char *delivery = NULL;
  guint8 digest[CM_SERVER_DB_DIGEST_BYTES];
  gint64 now = cm_server_now (request->server);
  gint64 expires_at;
  guint64 counter;
  gboolean by_mail;

  account = find_account (request, &error);
  if (account == NULL)
    goto fail;
  if (!cm_json_get_string (request->body, CM_MEMBER_DELIVERY, TRUE, &delivery, &error))
    goto fail;
  if (strcmp (delivery, CM_DELIVERY_EMAIL) != 0 && strcmp (delivery, CM_DELIVERY_MAIL) != 0)
    {
      error = cm_error_new (CM_ERROR_INVALID_FIELD, CM_MEMBER_DELIVERY, NULL);
      goto fail;
    }
  by_mail = strcmp (delivery, CM_DELIVERY_MAIL) == 0;
  /* No email on record: only a letter can carry the code. */
  if (!by_mail && account->email == NULL)
    {
      error = cm_error_new (CM_ERROR_INVALID_FIELD, CM_MEMBER_DELIVERY, NULL);
      goto fail;
    }

  code = new_authorization_code ();
  formatted = cm_format_authorization_code (code);
  cm_server_hash_digest (code, digest);
  expires_at = now + (by_mail ? CM_SERVER_CODE_MAIL_SECONDS : CM_SERVER_CODE_EMAIL_SECONDS);

  if (!cm_server_db_begin (db, &error))
    goto fail;
  if (!check_code_request_limits (request, account, now, &error) ||
      !cm_server_db_next_counter (db, "confirmation_number", &counter, &error) ||
      !cm_server_db_insert_access_request (db, counter, request->user, account->account_type,
                                           account->account_number, delivery, digest, now,
                                           expires_at, &error))
    goto rollback;

  confirmation = cm_format_confirmation_number (counter);
  message = code_message (account, formatted, confirmation, expires_at, by_mail);
  if (by_mail)
    path = cm_outbox_send_letter (outbox, now, account->name, account->mailing_address,
                                  _("Your CARS e-Services authorization code"), message, &error);
  else
    path = cm_outbox_send_email (outbox, now, account->email,
                                 _("Your CARS e-Services authorization code"), message, &error);
  sodium_memzero (message, strlen (message));
  if (path == NULL)
    goto rollback;
  if (!cm_server_db_commit (db, &error))
    {
      cm_outbox_withdraw (outbox, path);
      goto rollback;
    }
  sodium_memzero (code, strlen (code));
  sodium_memzero (formatted, strlen (formatted));

  cm_server_request_reply (request, SOUP_STATUS_CREATED,
                           code_request_json (account, confirmation, delivery, by_mail));
  return;

rollback:
  cm_server_db_rollback (db);
fail:
  cm_server_request_fail (request, error);
}

/* ---- POST account-access and authorization-code-checks ---- */

/* Wrong codes are counted per user, whatever the account: the check at the code step
 * (which knows no account yet) and Submit share this one count, so the check is no
 * second way to guess (docs/server.md, "Authorization codes"). */
#define CODE_LOCK_ANY_ACCOUNT ""

static gboolean
count_code_failure (CmServerDb   *db,
                    gint64        user,
                    gint64        failures,
                    gint64        now,
                    GError      **error)
{
  failures++;
  return cm_server_db_set_code_lock (db, user, CODE_LOCK_ANY_ACCOUNT, CODE_LOCK_ANY_ACCOUNT,
                                     failures, failures >= CM_SERVER_CODE_MAX_FAILURES
                                     ? now + CM_SERVER_CODE_LOCK_SECONDS : 0,
                                     error);
}

/* Inside the caller's writing transaction: the wrong codes counted so far in *@failures,
 * or FALSE with account_locked while the user is locked out. */
static gboolean
read_code_lock (CmServerRequest  *request,
                gint64            now,
                gint64           *failures,
                GError          **error)
{
  gint64 locked_until;

  if (!cm_server_db_get_code_lock (cm_server_get_db (request->server), request->user,
                                   CODE_LOCK_ANY_ACCOUNT, CODE_LOCK_ANY_ACCOUNT, failures,
                                   &locked_until, error))
    return FALSE;
  if (locked_until != 0 && locked_until <= now)
    *failures = 0;
  if (locked_until > now)
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_ACCOUNT_LOCKED,
                                              CM_MEMBER_AUTHORIZATION_CODE, NULL));
      cm_error_set_retry_after (*error, locked_until - now);
      return FALSE;
    }
  return TRUE;
}

/* The user's newest code equal to @given, for @account or (NULL) any account; FALSE with
 * no error when there is none (a malformed code is none either). */
static gboolean
find_given_code (CmServerRequest          *request,
                 const CmServerDbAccount  *account,
                 const char               *given,
                 CmServerDbCode           *found,
                 GError                  **error)
{
  g_autofree char *code = NULL;
  guint8 digest[CM_SERVER_DB_DIGEST_BYTES];

  if (!cm_validate_authorization_code (given, &code, NULL) || code == NULL)
    return FALSE;
  cm_server_hash_digest (code, digest);
  sodium_memzero (code, strlen (code));
  return cm_server_db_find_code (cm_server_get_db (request->server), request->user,
                                 account != NULL ? account->account_type : NULL,
                                 account != NULL ? account->account_number : NULL,
                                 digest, found, error);
}

/* Used (410), voided or expired (410), or good to use. */
static gboolean
check_found_code (const CmServerDbCode  *found,
                  gint64                 now,
                  GError               **error)
{
  if (found->used)
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_CODE_USED, CM_MEMBER_AUTHORIZATION_CODE,
                                              NULL));
      return FALSE;
    }
  if (found->voided || found->expires_at <= now)
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_CODE_EXPIRED,
                                              CM_MEMBER_AUTHORIZATION_CODE, NULL));
      return FALSE;
    }
  return TRUE;
}

/* The code found is used (once, whichever request comes first) and the account linked; or
 * the refusal: used (410), voided or expired (410), already linked (409). */
static gboolean
use_found_code (CmServerRequest      *request,
                CmServerDbAccount    *account,
                const CmServerDbCode *found,
                gint64                now,
                GError              **error)
{
  CmServerDb *db = cm_server_get_db (request->server);
  gboolean linked = FALSE, taken = FALSE;

  if (!check_found_code (found, now, error))
    return FALSE;
  if (!cm_server_db_has_access (db, request->user, account->account_type,
                                account->account_number, &linked, error))
    return FALSE;
  if (linked)
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_ALREADY_LINKED, NULL, NULL));
      return FALSE;
    }
  if (!cm_server_db_use_code (db, found->id, now, &taken, error))
    return FALSE;
  if (!taken)
    {
      /* Another request spent it between our read and this write. */
      g_propagate_error (error, cm_error_new (CM_ERROR_CODE_USED, CM_MEMBER_AUTHORIZATION_CODE,
                                              NULL));
      return FALSE;
    }
  return cm_server_db_insert_access (db, request->user, account->account_type,
                                     account->account_number, now, error) &&
         cm_server_db_set_code_lock (db, request->user, CODE_LOCK_ANY_ACCOUNT,
                                     CODE_LOCK_ANY_ACCOUNT, 0, 0, error);
}

/* Inside the caller's writing transaction, so that the count of wrong codes read here is
 * the one written, whichever instance the guesses reach at once: the lock, the code, then
 * the link. A wrong code is counted (the caller commits it) and sets *@wrong. */
static gboolean
redeem_code (CmServerRequest   *request,
             CmServerDbAccount *account,
             const char        *given,
             gint64             now,
             gboolean          *wrong,
             GError           **error)
{
  CmServerDbCode found = { 0 };
  gint64 failures;

  *wrong = FALSE;
  if (!read_code_lock (request, now, &failures, error))
    return FALSE;
  /* A malformed code is a wrong try like any other. */
  if (find_given_code (request, account, given, &found, error))
    return use_found_code (request, account, &found, now, error);
  if (*error != NULL)
    return FALSE;
  *wrong = TRUE;
  return count_code_failure (cm_server_get_db (request->server), request->user, failures, now,
                             error);
}

/* The optional address for this access (the slides' Add Account Access, EMAIL): checked
 * with the sign-up rule; *@email stays NULL when none was given. */
static gboolean
read_access_email (CmServerRequest  *request,
                   char            **email,
                   GError          **error)
{
  const char *given = NULL;

  *email = NULL;
  if (!cm_json_get_string (request->body, CM_MEMBER_EMAIL, FALSE, &given, error))
    return FALSE;
  if (given == NULL)
    return TRUE;
  return cm_validate_email (given, email, error);
}

/* Tells @email that the access was added (no code in it), inside the caller's
 * transaction: *@path is withdrawn by the caller if the commit fails. */
static gboolean
send_access_notice (CmServerRequest          *request,
                    const CmServerDbAccount  *account,
                    const char               *email,
                    gint64                    now,
                    char                    **path,
                    GError                  **error)
{
  g_autofree char *body = NULL;

  *path = NULL;
  if (email == NULL)
    return TRUE;
  /* Translators: the email sent to the address given in Add Account Access; %s are the
   * account type (e.g. Mechanic), the account number and the business name. */
  body = g_strdup_printf (_("Online access to the CARS e-Services account %s %s (%s) was "
                            "added for your MILogin User ID. Messages about this access will "
                            "come to this address.\n\nIf you did not add it, contact the "
                            "Michigan Department of State."),
                          account_type_label (account->account_type), account->account_number,
                          account->name);
  *path = cm_outbox_send_email (cm_server_get_outbox (request->server), now, email,
                                /* Translators: the subject of the email above. */
                                _("CARS e-Services account access added"), body, error);
  return *path != NULL;
}

/* Redeems @given for @account, tells @email, commits; FALSE with the refusal in @error. */
static gboolean
add_access (CmServerRequest    *request,
            CmServerDbAccount  *account,
            const char         *given,
            const char         *email,
            gint64              now,
            GError            **error)
{
  CmServerDb *db = cm_server_get_db (request->server);
  g_autofree char *path = NULL;
  gboolean wrong = FALSE;

  if (!cm_server_db_begin (db, error))
    return FALSE;
  if (!redeem_code (request, account, given, now, &wrong, error) ||
      (!wrong && !send_access_notice (request, account, email, now, &path, error)) ||
      !cm_server_db_commit (db, error))
    {
      if (path != NULL)
        cm_outbox_withdraw (cm_server_get_outbox (request->server), path);
      cm_server_db_rollback (db);
      return FALSE;
    }
  if (wrong)
    {
      g_propagate_error (error, cm_error_new (CM_ERROR_INVALID_CODE,
                                              CM_MEMBER_AUTHORIZATION_CODE, NULL));
      return FALSE;
    }
  return TRUE;
}

void
cm_server_access_add (CmServerRequest *request)
{
  g_autoptr(CmServerDbAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  const char *given = NULL;
  gint64 now = cm_server_now (request->server);
  gboolean terms = FALSE;

  if (!cm_json_get_string (request->body, CM_MEMBER_AUTHORIZATION_CODE, TRUE, &given, &error) ||
      !cm_json_get_boolean (request->body, CM_MEMBER_TERMS_ACCEPTED, TRUE, &terms, &error) ||
      !read_access_email (request, &email, &error))
    goto fail;
  account = find_account (request, &error);
  if (account == NULL)
    goto fail;
  if (!terms)
    {
      error = cm_error_new (CM_ERROR_TERMS_NOT_ACCEPTED, CM_MEMBER_TERMS_ACCEPTED, NULL);
      goto fail;
    }
  if (!add_access (request, account, given, email, now, &error))
    goto fail;

  account->linked_at = now;
  cm_server_request_reply_text (request, SOUP_STATUS_CREATED,
                                account_reply (CM_MEMBER_ACCOUNT, account));
  return;

fail:
  cm_server_request_fail (request, error);
}

/* ---- POST authorization-code-checks ---- */

/* Whether a code is one of the user's, unused and in date, before any account is asked
 * (the code step). Nothing is used; a wrong code counts against the same lock as Submit,
 * in one writing transaction, and a right one does not clear the count. */
void
cm_server_access_check_code (CmServerRequest *request)
{
  CmServerDb *db = cm_server_get_db (request->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) commit_error = NULL;
  CmServerDbCode found = { 0 };
  const char *given = NULL;
  gint64 now = cm_server_now (request->server);
  gint64 failures = 0;
  gboolean ok = FALSE;

  if (!cm_json_get_string (request->body, CM_MEMBER_AUTHORIZATION_CODE, TRUE, &given, &error) ||
      !cm_server_db_begin (db, &error))
    goto fail;
  if (read_code_lock (request, now, &failures, &error))
    {
      if (find_given_code (request, NULL, given, &found, &error))
        ok = check_found_code (&found, now, &error);
      else if (error == NULL &&
               count_code_failure (db, request->user, failures, now, &error))
        error = cm_error_new (CM_ERROR_INVALID_CODE, CM_MEMBER_AUTHORIZATION_CODE, NULL);
    }
  /* A wrong code's count is kept, whatever the answer; a count not kept is no answer. */
  if (!cm_server_db_commit (db, &commit_error))
    {
      cm_server_db_rollback (db);
      g_clear_error (&error);
      error = g_steal_pointer (&commit_error);
      ok = FALSE;
    }
  if (!ok)
    goto fail;
  cm_server_request_reply (request, SOUP_STATUS_NO_CONTENT, NULL);
  return;

fail:
  cm_server_request_fail (request, error);
}

/* ---- GET accounts ---- */

void
cm_server_access_list (CmServerRequest *request)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  GString *out;

  accounts = cm_server_db_list_access (cm_server_get_db (request->server), request->user,
                                       &error);
  if (accounts == NULL)
    {
      cm_server_request_fail (request, error);
      return;
    }

  /* The busiest answer: written directly (append_account ()). */
  out = g_string_sized_new (64 + 256 * accounts->len);
  g_string_append_c (out, '{');
  cm_json_append_string (out, CM_MEMBER_ACCOUNTS);
  g_string_append (out, ":[");
  for (guint i = 0; i < accounts->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_account (out, accounts->pdata[i]);
    }
  g_string_append (out, "]}");
  cm_server_request_reply_text (request, SOUP_STATUS_OK, out);
}

/* ---- DELETE accounts/{type}/{number} ---- */

void
cm_server_access_remove (CmServerRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  gboolean deleted = FALSE;

  if (!is_account_type (request->params[0]) ||
      !cm_validate_account_number (request->params[1], &number, NULL))
    {
      error = cm_error_new (CM_ERROR_NOT_FOUND, NULL, NULL);
      goto fail;
    }
  if (!cm_server_db_delete_access (cm_server_get_db (request->server), request->user,
                                   request->params[0], number ? number : request->params[1],
                                   &deleted, &error))
    goto fail;
  if (!deleted)
    {
      error = cm_error_new (CM_ERROR_NOT_FOUND, NULL, NULL);
      goto fail;
    }
  cm_server_request_reply (request, SOUP_STATUS_NO_CONTENT, NULL);
  return;

fail:
  cm_server_request_fail (request, error);
}

/* ---- Registry CSV ---- */

static const char * const csv_columns[] = {
  "account_type", "account_number", "zip", "name", "city", "email", "mailing_address",
  "status", "certificate_expires",
};

/* One record of RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
static GPtrArray *
csv_read_record (const char **cursor,
                 const char  *end)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = *cursor;
  gboolean quoted = FALSE;

  while (p < end)
    {
      char c = *p++;

      if (quoted)
        {
          if (c == '"' && p < end && *p == '"')
            {
              g_string_append_c (field, '"');
              p++;
            }
          else if (c == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, c);
        }
      else if (c == '"')
        quoted = TRUE;
      else if (c == ',')
        {
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          field = g_string_new (NULL);
        }
      else if (c == '\n')
        break;
      else if (c != '\r')
        g_string_append_c (field, c);
    }
  g_ptr_array_add (fields, g_string_free (field, FALSE));
  *cursor = p;
  return fields;
}

/* The position of each of csv_columns in @header, -1 for the two that may be left out. */
static gboolean
csv_find_columns (GPtrArray  *header,
                  int        *index,
                  GError    **error)
{
  for (guint c = 0; c < G_N_ELEMENTS (csv_columns); c++)
    {
      index[c] = -1;
      for (guint i = 0; i < header->len; i++)
        if (g_strcmp0 (g_strstrip ((char *) header->pdata[i]), csv_columns[c]) == 0)
          index[c] = i;
      /* email and certificate_expires may be left out */
      if (index[c] < 0 && c != 5 && c != 8)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       /* Translators: %s is a CSV column name such as account_number */
                       _("The registry file has no “%s” column"), csv_columns[c]);
          return FALSE;
        }
    }
  return TRUE;
}

/* One line's values in the order of csv_columns, checked with the API's rules, into the
 * registry. */
static gboolean
csv_import_row (CmServerDb   *db,
                const char  **value,
                guint         line,
                GError      **error)
{
  g_autofree char *number = NULL, *zip = NULL, *email = NULL;
  g_autoptr(GError) local = NULL;
  CmServerDbAccount account = { 0 };

  if (!is_account_type (value[0]) ||
      !cm_validate_account_number (value[1], &number, &local) ||
      !cm_validate_zip (value[2], &zip, &local) ||
      value[3][0] == '\0' || value[4][0] == '\0' || value[6][0] == '\0' ||
      (value[5][0] != '\0' && !cm_validate_email (value[5], &email, &local)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %u is a line number in the CSV file */
                   _("Line %u of the registry file is not a valid account"), line);
      return FALSE;
    }

  account.account_type = (char *) value[0];
  account.account_number = number ? number : (char *) value[1];
  account.zip = zip ? zip : (char *) value[2];
  account.name = (char *) value[3];
  account.city = (char *) value[4];
  account.email = value[5][0] != '\0' ? (email ? email : (char *) value[5]) : NULL;
  account.mailing_address = (char *) value[6];
  account.status = value[7][0] != '\0' ? (char *) value[7] : (char *) "active";
  account.certificate_expires = value[8][0] != '\0' ? (char *) value[8] : NULL;
  return cm_server_db_upsert_registry (db, &account, error);
}

gboolean
cm_server_access_import_csv (CmServerDb  *db,
                             const char  *data,
                             gsize        length,
                             guint       *n_imported,
                             GError     **error)
{
  const char *cursor = data, *end = data + length;
  g_autoptr(GPtrArray) header = NULL;
  int index[G_N_ELEMENTS (csv_columns)];
  guint line = 1, n = 0;

  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The registry file is not UTF-8 text"));
      return FALSE;
    }

  header = csv_read_record (&cursor, end);
  if (!csv_find_columns (header, index, error))
    return FALSE;

  if (!cm_server_db_begin (db, error))
    return FALSE;
  while (cursor < end)
    {
      g_autoptr(GPtrArray) fields = csv_read_record (&cursor, end);
      const char *value[G_N_ELEMENTS (csv_columns)];

      line++;
      if (fields->len == 1 && ((char *) fields->pdata[0])[0] == '\0')
        continue;  /* blank line */
      for (guint c = 0; c < G_N_ELEMENTS (csv_columns); c++)
        {
          value[c] = index[c] >= 0 && (guint) index[c] < fields->len
                     ? g_strstrip ((char *) fields->pdata[index[c]]) : "";
        }

      if (!csv_import_row (db, value, line, error))
        {
          cm_server_db_rollback (db);
          return FALSE;
        }
      n++;
    }
  if (!cm_server_db_commit (db, error))
    {
      cm_server_db_rollback (db);
      return FALSE;
    }
  if (n_imported != NULL)
    *n_imported = n;
  return TRUE;
}
