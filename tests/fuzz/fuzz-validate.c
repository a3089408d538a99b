/* fuzz-validate.c: every validator and formatter of cm-validate.h and cm-mask.h.
 *
 * The input is split at newlines into fields: first name, middle initial, last
 * name, suffix, email, phone, ZIP, User ID, password, account number,
 * authorization code; the code field is also read as a password reset PIN. Each field goes through every validator that could
 * receive it and a few that should refuse it, and the documented invariants
 * of the normalized forms are checked.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-fuzz"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cm-error.h"
#include "cm-mask.h"
#include "cm-validate.h"
#include "fuzz-common.h"

enum
{
  F_FIRST,
  F_MIDDLE,
  F_LAST,
  F_SUFFIX,
  F_EMAIL,
  F_PHONE,
  F_ZIP,
  F_USER_ID,
  F_PASSWORD,
  F_ACCOUNT,
  F_CODE,
  N_FIELDS
};

/* A validator either passes with no error, or fails with a CM_ERROR that names
 * its field and at least one rule, and a readable message. */
/* @error is a pointer so that it is read after the call in the first argument: the order
 * in which C evaluates arguments is unspecified (gcc reads the second one first). */
static gboolean
check (gboolean   ok,
       GError   **error_location)
{
  GError *error = *error_location;

  if (ok)
    {
      FUZZ_CHECK (error == NULL);
      return TRUE;
    }
  FUZZ_CHECK (error != NULL);
  FUZZ_CHECK (error->domain == CM_ERROR);
  FUZZ_CHECK (error->code >= 0 && error->code < CM_ERROR_N_CODES);
  FUZZ_CHECK (error->message != NULL && *error->message != '\0');
  FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
  FUZZ_CHECK (cm_error_get_field (error) != NULL);
  FUZZ_CHECK (cm_error_get_details (error)[0] != NULL);
  return FALSE;
}

static gboolean
all_chars_in (const char *s,
              const char *set)
{
  for (; *s != '\0'; s++)
    if (strchr (set, *s) == NULL)
      return FALSE;
  return TRUE;
}

static void
fuzz_names (char **f)
{
  g_autoptr(GError) error = NULL;

  check (cm_validate_first_name (f[F_FIRST], &error), &error);
  g_clear_error (&error);
  check (cm_validate_middle_initial (f[F_MIDDLE], &error), &error);
  g_clear_error (&error);
  check (cm_validate_last_name (f[F_LAST], &error), &error);
  g_clear_error (&error);
  check (cm_validate_suffix (f[F_SUFFIX], &error), &error);
  g_clear_error (&error);
  /* Fields in the wrong place must be judged just as safely. */
  check (cm_validate_last_name (f[F_EMAIL], &error), &error);
  g_clear_error (&error);
  check (cm_validate_suffix (f[F_LAST], &error), &error);
}

static void
fuzz_email (char **f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *again = NULL;
  g_autofree char *mask = NULL;

  if (!check (cm_validate_email (f[F_EMAIL], &normalized, &error), &error))
    {
      g_clear_error (&error);
      check (cm_validate_email_confirmation (f[F_EMAIL], f[F_FIRST], &error), &error);
      mask = cm_mask_email (f[F_EMAIL]);
      FUZZ_CHECK (mask == NULL || g_utf8_validate (mask, -1, NULL));
      return;
    }

  FUZZ_CHECK (normalized != NULL && g_utf8_validate (normalized, -1, NULL));
  FUZZ_CHECK (g_utf8_strlen (normalized, -1) <= CM_EMAIL_MAX_LENGTH);
  FUZZ_CHECK (cm_validate_email (normalized, &again, NULL));
  FUZZ_CHECK (g_strcmp0 (normalized, again) == 0);
  FUZZ_CHECK (cm_validate_email_confirmation (f[F_EMAIL], normalized, NULL));
  FUZZ_CHECK (cm_validate_email_confirmation (normalized, f[F_EMAIL], NULL));
  check (cm_validate_email_confirmation (f[F_EMAIL], f[F_ZIP], &error), &error);

  mask = cm_mask_email (normalized);
  FUZZ_CHECK (mask != NULL && g_utf8_validate (mask, -1, NULL));
  FUZZ_CHECK (strstr (mask, "************") != NULL);
  FUZZ_CHECK (strchr (mask, '@') != NULL);
}

static void
fuzz_phone (char **f)
{
  for (int required = 0; required <= 1; required++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = NULL;
      g_autofree char *again = NULL;

      if (!check (cm_validate_phone (f[F_PHONE], required, "work_phone", &normalized, &error),
                  &error))
        {
          FUZZ_CHECK (g_strcmp0 (cm_error_get_field (error), "work_phone") == 0);
          continue;
        }
      FUZZ_CHECK (normalized != NULL);
      if (*normalized == '\0')
        {
          FUZZ_CHECK (!required);
          continue;
        }
      /* A US number: 10 digits, area code and exchange not starting with 0 or 1. */
      FUZZ_CHECK (strlen (normalized) == 10);
      FUZZ_CHECK (all_chars_in (normalized, "0123456789"));
      FUZZ_CHECK (normalized[0] >= '2' && normalized[3] >= '2');
      FUZZ_CHECK (cm_validate_phone (normalized, TRUE, "mobile_phone", &again, NULL));
      FUZZ_CHECK (g_strcmp0 (normalized, again) == 0);
    }
}

static void
fuzz_zip (char **f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *again = NULL;

  if (!check (cm_validate_zip (f[F_ZIP], &normalized, &error), &error))
    return;
  FUZZ_CHECK (normalized != NULL);
  FUZZ_CHECK (strlen (normalized) == 5 || (strlen (normalized) == 10 && normalized[5] == '-'));
  FUZZ_CHECK (g_ascii_isdigit (normalized[0]) && g_ascii_isdigit (normalized[4]));
  FUZZ_CHECK (cm_validate_zip (normalized, &again, NULL));
  FUZZ_CHECK (g_strcmp0 (normalized, again) == 0);
}

/* Lower-case ASCII letters, then exactly 4 digits. */
static gboolean
is_user_id_shape (const char *s)
{
  gsize len = strlen (s);
  gsize i;

  if (len < 5 || len > CM_USER_ID_MAX_LENGTH)
    return FALSE;
  for (i = 0; i < len - 4; i++)
    if (!g_ascii_islower (s[i]))
      return FALSE;
  for (; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static void
fuzz_user_id (char  **f,
              guint   four_digits)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *format_normalized = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *proposed = NULL;
  gboolean format_ok;

  format_ok = check (cm_validate_user_id_format (f[F_USER_ID], &format_normalized, &error), &error);
  g_clear_error (&error);
  if (format_ok)
    {
      g_autofree char *again = NULL;

      FUZZ_CHECK (format_normalized != NULL && is_user_id_shape (format_normalized));
      FUZZ_CHECK (cm_validate_user_id_format (format_normalized, &again, NULL));
      FUZZ_CHECK (g_strcmp0 (format_normalized, again) == 0);
    }

  if (check (cm_validate_user_id (f[F_USER_ID], f[F_FIRST], f[F_LAST], &normalized, &error),
             &error))
    {
      /* The profile check only narrows the shape check. */
      FUZZ_CHECK (format_ok);
      FUZZ_CHECK (g_strcmp0 (normalized, format_normalized) == 0);
    }

  /* A proposal always passes the check it was made for. */
  proposed = cm_validate_propose_user_id (f[F_FIRST], f[F_LAST], four_digits);
  if (proposed != NULL)
    {
      g_autofree char *again = NULL;
      g_autoptr(GError) proposal_error = NULL;

      FUZZ_CHECK (is_user_id_shape (proposed));
      if (!cm_validate_user_id (proposed, f[F_FIRST], f[F_LAST], &again, &proposal_error))
        g_printerr ("proposal refused: %s\n", proposal_error->message);
      FUZZ_CHECK (proposal_error == NULL);
      FUZZ_CHECK (g_strcmp0 (proposed, again) == 0);
    }
}

static void
fuzz_password (char **f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *nfkc = NULL;
  const char *password = f[F_PASSWORD];
  gsize n_rules = 0;
  const CmPasswordRule *rules = cm_validate_get_password_rules (&n_rules);

  FUZZ_CHECK (rules != NULL && n_rules > 0);
  for (gsize i = 0; i < n_rules; i++)
    FUZZ_CHECK (rules[i].detail != NULL && rules[i].label != NULL);

  nfkc = cm_validate_normalize_password (password);
  FUZZ_CHECK ((nfkc == NULL) == (password != NULL && !g_utf8_validate (password, -1, NULL)));

  if (check (cm_validate_password (password, f[F_USER_ID], f[F_LAST], &error), &error))
    {
      glong length;

      FUZZ_CHECK (nfkc != NULL);
      length = g_utf8_strlen (nfkc, -1);
      FUZZ_CHECK (length >= CM_PASSWORD_MIN_LENGTH && length <= CM_PASSWORD_MAX_LENGTH);
      FUZZ_CHECK (cm_validate_password_confirmation (password, password, NULL));
    }
  g_clear_error (&error);
  check (cm_validate_password (password, NULL, NULL, &error), &error);
  g_clear_error (&error);
  check (cm_validate_password_confirmation (password, f[F_CODE], &error), &error);
  g_clear_error (&error);

  if (nfkc != NULL && *nfkc != '\0')
    FUZZ_CHECK (cm_validate_password_confirmation (password, password, NULL));
}

static void
fuzz_account_number (char **f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *again = NULL;

  if (!check (cm_validate_account_number (f[F_ACCOUNT], &normalized, &error), &error))
    return;
  FUZZ_CHECK (normalized != NULL && *normalized != '\0');
  FUZZ_CHECK (strlen (normalized) <= CM_ACCOUNT_NUMBER_MAX_LENGTH);
  FUZZ_CHECK (all_chars_in (normalized, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
  FUZZ_CHECK (cm_validate_account_number (normalized, &again, NULL));
  FUZZ_CHECK (g_strcmp0 (normalized, again) == 0);
}

static void
fuzz_authorization_code (const char *input)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *formatted_again = NULL;
  g_autofree char *from_formatted = NULL;
  g_autofree char *from_input = NULL;

  formatted = cm_format_authorization_code (input);
  if (!check (cm_validate_authorization_code (input, &normalized, &error), &error))
    {
      FUZZ_CHECK (formatted == NULL);
      return;
    }

  FUZZ_CHECK (normalized != NULL && strlen (normalized) == CM_AUTHORIZATION_CODE_LENGTH);
  FUZZ_CHECK (all_chars_in (normalized, CM_AUTHORIZATION_CODE_ALPHABET));

  /* The printed form: 14 characters, XXXX-XXXX-XXXX, and it reads back the same. */
  FUZZ_CHECK (formatted != NULL && strlen (formatted) == 14);
  FUZZ_CHECK (formatted[4] == '-' && formatted[9] == '-');
  FUZZ_CHECK (cm_validate_authorization_code (formatted, &from_formatted, NULL));
  FUZZ_CHECK (g_strcmp0 (from_formatted, normalized) == 0);
  formatted_again = cm_format_authorization_code (normalized);
  FUZZ_CHECK (g_strcmp0 (formatted, formatted_again) == 0);
  from_input = g_strdup (normalized);
  FUZZ_CHECK (cm_validate_authorization_code (from_input, NULL, NULL));
}

/* A PIN passes only as exactly CM_RESET_PIN_DIGITS ASCII digits among spaces. */
static void
fuzz_reset_pin (const char *input)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  guint digits = 0;
  gboolean other = FALSE;

  for (const char *p = input; p != NULL && *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (!g_ascii_isspace (*p))
        other = TRUE;
    }
  if (check (cm_validate_reset_pin (input, &normalized, &error), &error))
    FUZZ_CHECK (!other && digits == CM_RESET_PIN_DIGITS && normalized != NULL &&
                strlen (normalized) == CM_RESET_PIN_DIGITS &&
                strspn (normalized, "0123456789") == CM_RESET_PIN_DIGITS);
  else
    FUZZ_CHECK (other || digits != CM_RESET_PIN_DIGITS);
}

static void
fuzz_confirmation_number (guint64 counter)
{
  g_autofree char *number = cm_format_confirmation_number (counter);

  if (counter > G_GUINT64_CONSTANT (9999999999))
    {
      FUZZ_CHECK (number == NULL);
      return;
    }
  FUZZ_CHECK (number != NULL && strlen (number) == 13);
  FUZZ_CHECK (number[1] == '-' && number[5] == '-' && number[9] == '-');
  FUZZ_CHECK (g_ascii_strtoull (number, NULL, 10) == counter / G_GUINT64_CONSTANT (1000000000));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  char *f[N_FIELDS] = { NULL, };
  const char *p;
  const char *end;
  guint64 counter = 0;
  guint four_digits;

  fuzz_setup_logging ();

  if (data == NULL)
    data = (const uint8_t *) "";
  p = (const char *) data;
  end = p + size;

  /* Missing trailing fields stay NULL, which every validator treats as empty. */
  for (int i = 0; i < N_FIELDS && p <= end; i++)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl != NULL ? nl : end;

      f[i] = g_strndup (p, stop - p);
      p = stop + 1;
    }

  if (size > 0)
    memcpy (&counter, data, MIN (size, sizeof counter));
  four_digits = (guint) (counter % 10000);

  fuzz_names (f);
  fuzz_email (f);
  fuzz_phone (f);
  fuzz_zip (f);
  fuzz_user_id (f, four_digits);
  fuzz_password (f);
  fuzz_account_number (f);
  fuzz_authorization_code (f[F_CODE]);
  fuzz_reset_pin (f[F_CODE]);
  /* The whole input as one code too: dashes and spaces are where most of the work is. */
  if (size < 256)
    {
      g_autofree char *whole = g_strndup ((const char *) data, size);

      fuzz_authorization_code (whole);
    }
  fuzz_confirmation_number (counter);
  fuzz_confirmation_number (counter % G_GUINT64_CONSTANT (10000000000));

  for (int i = 0; i < N_FIELDS; i++)
    g_free (f[i]);
  return 0;
}
