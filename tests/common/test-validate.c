/* test-validate.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-validate"

#include "config.h"

#include <string.h>

#include "cm-error.h"
#include "cm-protocol.h"
#include "cm-validate.h"
#include "test-helpers.h"

/* One row: the input, then either the normalized form (on success; NULL to
 * skip that check) or the error code and its details. */
typedef struct
{
  const char *input;
  gboolean    ok;
  const char *normalized;
  CmError     code;
  const char *details;
} Case;

#define PASS(in, norm) { in, TRUE, norm, 0, NULL }
#define FAIL(in, code, details) { in, FALSE, NULL, code, details }

typedef gboolean (*ValidateFunc) (const char  *input,
                                  char       **normalized,
                                  GError     **error);

static void
run_cases (ValidateFunc  func,
           const char   *field,
           const Case   *cases,
           gsize         n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      const Case *c = &cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = NULL;
      gboolean ok;

      /* Rows are named by index only: some hold passwords. */
      g_test_message ("row %" G_GSIZE_FORMAT, i);
      ok = func (c->input, &normalized, &error);

      if (c->ok)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          if (c->normalized != NULL)
            g_assert_cmpstr (normalized, ==, c->normalized);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CM_ERROR, (gint) c->code);
          g_assert_cmpstr (cm_error_get_field (error), ==, field);
          g_assert_nonnull (error->message);
          g_assert_cmpstr (error->message, !=, "");
          assert_details (error, c->details);
          g_assert_null (normalized);
        }
    }
}

#define RUN(func, field, cases) run_cases (func, field, cases, G_N_ELEMENTS (cases))

/* ---- adapters to the common signature ---- */

static gboolean
first_name (const char *in, char **norm, GError **error)
{
  return cm_validate_first_name (in, error);
}

static gboolean
last_name (const char *in, char **norm, GError **error)
{
  return cm_validate_last_name (in, error);
}

static gboolean
middle_initial (const char *in, char **norm, GError **error)
{
  return cm_validate_middle_initial (in, error);
}

static gboolean
suffix (const char *in, char **norm, GError **error)
{
  return cm_validate_suffix (in, error);
}

static gboolean
work_phone (const char *in, char **norm, GError **error)
{
  return cm_validate_phone (in, TRUE, CM_MEMBER_WORK_PHONE, norm, error);
}

static gboolean
mobile_phone (const char *in, char **norm, GError **error)
{
  return cm_validate_phone (in, FALSE, CM_MEMBER_MOBILE_PHONE, norm, error);
}

static gboolean
user_id_john_smith (const char *in, char **norm, GError **error)
{
  return cm_validate_user_id (in, "John", "Smith", norm, error);
}

static gboolean
password_smith (const char *in, char **norm, GError **error)
{
  return cm_validate_password (in, "smithj9999", "Smith", error);
}

/* ---- names ---- */

static void
test_first_name (void)
{
  g_autofree char *max = g_strnfill (CM_NAME_MAX_LENGTH, 'a');
  g_autofree char *over = g_strnfill (CM_NAME_MAX_LENGTH + 1, 'a');
  g_autofree char *digits = g_strnfill (CM_NAME_MAX_LENGTH + 6, '1');
  const Case cases[] = {
    PASS (NULL, NULL),
    PASS ("", NULL),
    PASS ("   ", NULL),
    PASS ("John", NULL),
    PASS ("  John ", NULL),
    PASS ("Mary-Jane", NULL),
    PASS ("Mary Jane", NULL),
    PASS ("D'Andre", NULL),
    PASS ("D\u2019Andre", NULL),
    PASS ("St. John", NULL),
    PASS ("Jos\u00e9", NULL),
    PASS ("Jose\u0301", NULL),          /* decomposed accent */
    PASS ("Zo\u00eb", NULL),
    PASS ("\u03a3\u03c9\u03ba\u03c1\u03ac\u03c4\u03b7\u03c2", NULL),
    PASS (max, NULL),
    FAIL ("J0hn", CM_ERROR_INVALID_FIELD, "invalid_characters"),
    FAIL ("John!", CM_ERROR_INVALID_FIELD, "invalid_characters"),
    FAIL ("<script>", CM_ERROR_INVALID_FIELD, "invalid_characters"),
    FAIL ("John\tSmith", CM_ERROR_INVALID_FIELD, "invalid_characters"),
    FAIL ("---", CM_ERROR_INVALID_FIELD, "invalid_characters"),
    FAIL ("\u0301a", CM_ERROR_INVALID_FIELD, "invalid_characters"),
    FAIL ("Jo\xff", CM_ERROR_INVALID_FIELD, "invalid_characters"),
    FAIL (over, CM_ERROR_INVALID_FIELD, "too_long"),
    FAIL (digits, CM_ERROR_INVALID_FIELD, "invalid_characters,too_long"),
  };

  RUN (first_name, CM_MEMBER_FIRST_NAME, cases);
}

static void
test_last_name (void)
{
  const Case cases[] = {
    PASS ("Smith", NULL),
    PASS ("van der Berg", NULL),
    PASS ("O'Brien-Day", NULL),
    PASS ("M\u00fcller", NULL),
    PASS ("\u738b", NULL),
    FAIL (NULL, CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("", CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("  \u00a0 ", CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("Smith3", CM_ERROR_INVALID_FIELD, "invalid_characters"),
    FAIL ("Smith_Jones", CM_ERROR_INVALID_FIELD, "invalid_characters"),
  };

  RUN (last_name, CM_MEMBER_LAST_NAME, cases);
}

static void
test_middle_initial (void)
{
  const Case cases[] = {
    PASS (NULL, NULL),
    PASS ("", NULL),
    PASS ("Q", NULL),
    PASS ("q.", NULL),
    PASS (" Q ", NULL),
    PASS ("\u00c9", NULL),
    FAIL ("QR", CM_ERROR_INVALID_FIELD, "invalid_initial"),
    FAIL ("1", CM_ERROR_INVALID_FIELD, "invalid_initial"),
    FAIL (".", CM_ERROR_INVALID_FIELD, "invalid_initial"),
    FAIL ("Q..", CM_ERROR_INVALID_FIELD, "invalid_initial"),
    FAIL ("Q R", CM_ERROR_INVALID_FIELD, "invalid_initial"),
  };

  RUN (middle_initial, CM_MEMBER_MIDDLE_INITIAL, cases);
}

static void
test_suffix (void)
{
  const Case cases[] = {
    PASS (NULL, NULL),
    PASS ("", NULL),
    PASS ("Jr", NULL),
    PASS ("jr.", NULL),
    PASS ("SR", NULL),
    PASS ("Sr.", NULL),
    PASS ("II", NULL),
    PASS ("iii", NULL),
    PASS ("IV", NULL),
    PASS ("V", NULL),
    PASS ("v.", NULL),
    PASS (" III ", NULL),
    FAIL ("Esq", CM_ERROR_INVALID_FIELD, "invalid_suffix"),
    FAIL ("VI", CM_ERROR_INVALID_FIELD, "invalid_suffix"),
    FAIL ("Jr..", CM_ERROR_INVALID_FIELD, "invalid_suffix"),
    FAIL ("Junior", CM_ERROR_INVALID_FIELD, "invalid_suffix"),
    FAIL (".", CM_ERROR_INVALID_FIELD, "invalid_suffix"),
  };

  RUN (suffix, CM_MEMBER_SUFFIX, cases);
}

/* ---- email ---- */

static void
test_email (void)
{
  g_autofree char *local = g_strnfill (64, 'a');
  g_autofree char *label = g_strnfill (60, 'b');
  /* 64 + 1 + 4 * 61 - 1 + 4 = 312 would be too long; build exactly 254 and 255 */
  g_autofree char *domain_ok = g_strdup_printf ("%s.%s.%s.%.*s.com", label, label, label,
                                                254 - 64 - 1 - 3 * 61 - 4, label);
  g_autofree char *max = g_strdup_printf ("%s@%s", local, domain_ok);
  g_autofree char *over = g_strdup_printf ("a%s", max);
  const Case cases[] = {
    PASS ("john.smith@example.com", "john.smith@example.com"),
    PASS ("  John.Smith@Example.COM ", "John.Smith@example.com"),
    PASS ("e@email.com", "e@email.com"),
    PASS ("first+tag@mail.example.org", "first+tag@mail.example.org"),
    PASS ("\u013cuba@example.lv", "\u013cuba@example.lv"),
    PASS (max, max),
    FAIL (NULL, CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("", CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("johnexample.com", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL ("john@@example.com", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL ("a@b@example.com", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL ("@example.com", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL ("john@", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL ("john@localhost", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL ("john smith@example.com", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL ("john@example..com", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL (".john@example.com", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL ("john.@example.com", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL ("john@example.com.", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL ("john@.example.com", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL ("john\r\nBcc: x@example.com", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL ("<john>@example.com", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL ("john,jane@example.com", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL ("j\xffn@example.com", CM_ERROR_INVALID_FIELD, "invalid_email"),
    FAIL (over, CM_ERROR_INVALID_FIELD, "too_long"),
  };

  g_assert_cmpuint (strlen (max), ==, CM_EMAIL_MAX_LENGTH);
  RUN (cm_validate_email, CM_MEMBER_EMAIL, cases);
}

static void
test_email_confirmation (void)
{
  const struct
  {
    const char *email;
    const char *confirmation;
    gboolean    ok;
    CmError     code;
    const char *details;
  } cases[] = {
    { "john@example.com", "john@example.com", TRUE, 0, NULL },
    { "john@example.com", "JOHN@EXAMPLE.COM", TRUE, 0, NULL },
    { " john@example.com", "john@Example.com  ", TRUE, 0, NULL },
    { "john@example.com", "jon@example.com", FALSE, CM_ERROR_EMAIL_MISMATCH, "mismatch" },
    { "john@example.com", "john@example.org", FALSE, CM_ERROR_EMAIL_MISMATCH, "mismatch" },
    { "john@example.com", "", FALSE, CM_ERROR_MISSING_FIELD, "required" },
    { "john@example.com", NULL, FALSE, CM_ERROR_MISSING_FIELD, "required" },
    { "", "john@example.com", FALSE, CM_ERROR_EMAIL_MISMATCH, "mismatch" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("row %u", i);
      ok = cm_validate_email_confirmation (cases[i].email, cases[i].confirmation, &error);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        {
          g_assert_no_error (error);
          continue;
        }
      g_assert_error (error, CM_ERROR, (gint) cases[i].code);
      g_assert_cmpstr (cm_error_get_field (error), ==, CM_MEMBER_EMAIL_CONFIRM);
      assert_details (error, cases[i].details);
    }
}

/* ---- phone and ZIP ---- */

static void
test_phone_formats (void)
{
  const Case cases[] = {
    PASS ("(517) 555-0100", "5175550100"),
    PASS ("517-555-0100", "5175550100"),
    PASS ("517.555.0100", "5175550100"),
    PASS ("5175550100", "5175550100"),
    PASS ("+1 517 555 0100", "5175550100"),
    PASS ("1-517-555-0100", "5175550100"),
    PASS ("(517)555-0100", "5175550100"),
    PASS ("+1 (517) 555-0100", "5175550100"),
    PASS (" 517 555 0100 ", "5175550100"),
    PASS ("989-555-0199", "9895550199"),
  };

  RUN (work_phone, CM_MEMBER_WORK_PHONE, cases);
}

static void
test_phone_invalid (void)
{
  const Case cases[] = {
    FAIL (NULL, CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("", CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("517-555-010", CM_ERROR_INVALID_FIELD, "invalid_phone"),
    FAIL ("517-555-01000", CM_ERROR_INVALID_FIELD, "invalid_phone"),
    FAIL ("017-555-0100", CM_ERROR_INVALID_FIELD, "invalid_phone"),
    FAIL ("117-555-0100", CM_ERROR_INVALID_FIELD, "invalid_phone"),
    FAIL ("517-055-0100", CM_ERROR_INVALID_FIELD, "invalid_phone"),
    FAIL ("517-155-0100", CM_ERROR_INVALID_FIELD, "invalid_phone"),
    FAIL ("2-517-555-0100", CM_ERROR_INVALID_FIELD, "invalid_phone"),
    FAIL ("+44 20 7946 0958", CM_ERROR_INVALID_FIELD, "invalid_phone"),
    FAIL ("+1+5175550100", CM_ERROR_INVALID_FIELD, "invalid_phone"),
    FAIL ("517) 555-0100", CM_ERROR_INVALID_FIELD, "invalid_phone"),
    FAIL ("(5175) 55-0100", CM_ERROR_INVALID_FIELD, "invalid_phone"),
    FAIL ("517 (555) 0100", CM_ERROR_INVALID_FIELD, "invalid_phone"),
    FAIL ("517-555-O100", CM_ERROR_INVALID_FIELD, "invalid_characters,invalid_phone"),
    FAIL ("1-800-FLOWERS", CM_ERROR_INVALID_FIELD, "invalid_characters,invalid_phone"),
    FAIL ("5175550100 x12", CM_ERROR_INVALID_FIELD, "invalid_characters,invalid_phone"),
    FAIL ("517/555/0100", CM_ERROR_INVALID_FIELD, "invalid_characters"),
  };

  RUN (work_phone, CM_MEMBER_WORK_PHONE, cases);
}

static void
test_phone_optional (void)
{
  const Case cases[] = {
    PASS (NULL, ""),
    PASS ("", ""),
    PASS ("  ", ""),
    PASS ("(517) 555-0100", "5175550100"),
    FAIL ("12", CM_ERROR_INVALID_FIELD, "invalid_phone"),
  };

  RUN (mobile_phone, CM_MEMBER_MOBILE_PHONE, cases);
}

static void
test_zip (void)
{
  const Case cases[] = {
    PASS ("48909", "48909"),
    PASS ("48909-1234", "48909-1234"),
    PASS ("489091234", "48909-1234"),
    PASS (" 48909 ", "48909"),
    FAIL (NULL, CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("", CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("4890", CM_ERROR_INVALID_FIELD, "invalid_zip"),
    FAIL ("489090", CM_ERROR_INVALID_FIELD, "invalid_zip"),
    FAIL ("48909-123", CM_ERROR_INVALID_FIELD, "invalid_zip"),
    FAIL ("4890A", CM_ERROR_INVALID_FIELD, "invalid_zip"),
    FAIL ("48909 1234", CM_ERROR_INVALID_FIELD, "invalid_zip"),
    FAIL ("48909--1234", CM_ERROR_INVALID_FIELD, "invalid_zip"),
    FAIL ("-489091234", CM_ERROR_INVALID_FIELD, "invalid_zip"),
    FAIL ("4890912345", CM_ERROR_INVALID_FIELD, "invalid_zip"),
  };

  RUN (cm_validate_zip, CM_MEMBER_ZIP, cases);
}

/* ---- User ID ---- */

static void
test_user_id_format (void)
{
  g_autofree char *letters = g_strnfill (CM_USER_ID_MAX_LENGTH - 3, 'a');
  g_autofree char *too_long = g_strdup_printf ("%s1234", letters);
  const Case cases[] = {
    PASS ("smithj9999", "smithj9999"),
    PASS ("SmithJ9999", "smithj9999"),
    PASS (" smithj9999 ", "smithj9999"),
    PASS ("a0000", "a0000"),
    FAIL (NULL, CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("", CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("smith j9999", CM_ERROR_INVALID_USER_ID, "contains_space"),
    FAIL ("smith\tj9999", CM_ERROR_INVALID_USER_ID, "contains_space"),
    FAIL ("smith j999", CM_ERROR_INVALID_USER_ID, "contains_space,wrong_format"),
    FAIL ("smithj999", CM_ERROR_INVALID_USER_ID, "wrong_format"),
    FAIL ("smithj99999", CM_ERROR_INVALID_USER_ID, "wrong_format"),
    FAIL ("9999smithj", CM_ERROR_INVALID_USER_ID, "wrong_format"),
    FAIL ("smithj-9999", CM_ERROR_INVALID_USER_ID, "wrong_format"),
    FAIL ("smi9thj9999", CM_ERROR_INVALID_USER_ID, "wrong_format"),
    FAIL ("smithj", CM_ERROR_INVALID_USER_ID, "wrong_format"),
    FAIL ("1234", CM_ERROR_INVALID_USER_ID, "wrong_format"),
    FAIL ("m\u00fcllerj9999", CM_ERROR_INVALID_USER_ID, "wrong_format"),
    FAIL ("smithj\xff" "9999", CM_ERROR_INVALID_USER_ID, "wrong_format"),
    FAIL (too_long, CM_ERROR_INVALID_USER_ID, "too_long"),
  };

  RUN (cm_validate_user_id_format, CM_MEMBER_USER_ID, cases);
}

/* The slide: "John Smith and using 9999 ... smithj9999"; "User ID cannot contain space". */
static void
test_user_id_slide_example (void)
{
  const Case cases[] = {
    PASS ("smithj9999", "smithj9999"),
    PASS ("SmithJ9999", "smithj9999"),
    PASS ("SMITHJ9999", "smithj9999"),
    PASS ("smithj0000", "smithj0000"),
    FAIL ("smith j9999", CM_ERROR_INVALID_USER_ID, "contains_space"),
    FAIL ("jonesj9999", CM_ERROR_INVALID_USER_ID, "last_name_mismatch"),
    FAIL ("smithk9999", CM_ERROR_INVALID_USER_ID, "first_initial_mismatch"),
    FAIL ("smithj999", CM_ERROR_INVALID_USER_ID, "wrong_format"),
    FAIL ("smith9999", CM_ERROR_INVALID_USER_ID, "first_initial_mismatch"),
    FAIL ("smithjj9999", CM_ERROR_INVALID_USER_ID, "first_initial_mismatch"),
    FAIL ("jonesk9999", CM_ERROR_INVALID_USER_ID, "last_name_mismatch,first_initial_mismatch"),
    FAIL ("jsmith9999", CM_ERROR_INVALID_USER_ID, "last_name_mismatch,first_initial_mismatch"),
  };

  RUN (user_id_john_smith, CM_MEMBER_USER_ID, cases);
}

static void
test_user_id_profile (void)
{
  const struct
  {
    const char *first;
    const char *last;
    const char *user_id;
    const char *details;  /* NULL: passes */
  } cases[] = {
    { "Jos\u00e9", "M\u00fcller-L\u00fcdenscheidt", "MullerLudenscheidtJ1234", NULL },
    { "Mary", "O'Brien", "obrienm0001", NULL },
    { "Mary", "O\u2019Brien", "obrienm0001", NULL },
    { "Se\u00e1n", "\u00d3 Ceallaigh", "oceallaighs1234", NULL },
    { "John", "van der Berg", "vanderbergj1234", NULL },
    { "John", "van der Berg", "vanj1234", "last_name_mismatch" },
    { "\u00c9mile", "Zola", "zolae1234", NULL },
    /* No first name: the User ID is the last name and 4 digits */
    { "", "Smith", "smith9999", NULL },
    { NULL, "Smith", "smith9999", NULL },
    { "", "Smith", "smithj9999", "first_initial_mismatch" },
    /* No Latin letters in the last name: only the shape is checked */
    { "John", "\u738b", "wangj1234", NULL },
    { "Li", "Li", "lil1234", NULL },
    { "Li", "Li", "lij1234", "first_initial_mismatch" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("row %u", i);
      ok = cm_validate_user_id (cases[i].user_id, cases[i].first, cases[i].last, NULL, &error);
      if (cases[i].details == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CM_ERROR, CM_ERROR_INVALID_USER_ID);
          assert_details (error, cases[i].details);
        }
    }
}

static void
test_user_id_propose (void)
{
  const struct
  {
    const char *first;
    const char *last;
    guint       digits;
    const char *expected;
  } cases[] = {
    { "John", "Smith", 9999, "smithj9999" },
    { "John", "Smith", 7, "smithj0007" },
    { "John", "Smith", 0, "smithj0000" },
    { "", "Smith", 42, "smith0042" },
    { NULL, "Smith", 42, "smith0042" },
    { "Jos\u00e9", "M\u00fcller", 1, "mullerj0001" },
    { "mary", "O'Brien-Day", 1234, "obriendaym1234" },
    { " John ", " Smith ", 1, "smithj0001" },
    { "John", "", 1, NULL },
    { "John", NULL, 1, NULL },
    { "John", "\u738b", 1, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *proposal = NULL;

      g_test_message ("row %u", i);
      proposal = cm_validate_propose_user_id (cases[i].first, cases[i].last, cases[i].digits);
      g_assert_cmpstr (proposal, ==, cases[i].expected);

      /* A proposal always passes the check against the same profile. */
      if (proposal != NULL)
        {
          g_autoptr(GError) error = NULL;

          g_assert_true (cm_validate_user_id (proposal, cases[i].first, cases[i].last, NULL,
                                              &error));
          g_assert_no_error (error);
        }
    }
}

static void
test_user_id_propose_long_name (void)
{
  g_autofree char *last = g_strnfill (CM_NAME_MAX_LENGTH, 'z');
  g_autofree char *proposal = cm_validate_propose_user_id ("Ann", last, 1);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (proposal);
  g_assert_cmpuint (strlen (proposal), ==, CM_USER_ID_MAX_LENGTH);
  g_assert_true (cm_validate_user_id (proposal, "Ann", last, NULL, &error));
  g_assert_no_error (error);
}

/* ---- password ---- */

static void
test_password_length (void)
{
  g_autofree char *filler_ok = g_strnfill (CM_PASSWORD_MAX_LENGTH - 3, 'x');
  g_autofree char *filler_over = g_strnfill (CM_PASSWORD_MAX_LENGTH - 2, 'x');
  g_autofree char *max = g_strdup_printf ("Aa1%s", filler_ok);
  g_autofree char *over = g_strdup_printf ("Aa1%s", filler_over);
  const Case cases[] = {
    PASS ("Tr0ub4do", NULL),
    PASS (max, NULL),
    PASS ("\u00e9\u00e9\u00e9\u00e9\u00e9Ab1", NULL),  /* 8 characters, 11 bytes */
    FAIL ("Tr0ub4d", CM_ERROR_WEAK_PASSWORD, "too_short"),
    FAIL ("Ab1!", CM_ERROR_WEAK_PASSWORD, "too_short"),
    FAIL ("\u00e9\u00e9\u00e9\u00e9Ab1", CM_ERROR_WEAK_PASSWORD, "too_short"),
    FAIL (over, CM_ERROR_WEAK_PASSWORD, "too_long"),
    FAIL ("", CM_ERROR_MISSING_FIELD, "required,too_short,not_enough_categories"),
    FAIL (NULL, CM_ERROR_MISSING_FIELD, "required,too_short,not_enough_categories"),
  };

  RUN (password_smith, CM_MEMBER_PASSWORD, cases);
}

static void
test_password_categories (void)
{
  const Case cases[] = {
    PASS ("Tr0ub4dor", NULL),      /* upper, lower, digit */
    PASS ("tr0ub4dor&", NULL),     /* lower, digit, special */
    PASS ("TR0UB4DOR&", NULL),     /* upper, digit, special */
    PASS ("Troubador&", NULL),     /* upper, lower, special */
    PASS ("Tr0ub4dor&3", NULL),    /* all four */
    PASS ("Pass word1", NULL),     /* a space is allowed, in no category */
    PASS ("P\u00e4ssw\u00f6rd1", NULL),
    FAIL ("troubadour", CM_ERROR_WEAK_PASSWORD, "not_enough_categories"),
    FAIL ("troubad0ur", CM_ERROR_WEAK_PASSWORD, "not_enough_categories"),
    FAIL ("TROUBADOUR", CM_ERROR_WEAK_PASSWORD, "not_enough_categories"),
    FAIL ("12345678&", CM_ERROR_WEAK_PASSWORD, "not_enough_categories"),
    /* letters outside A-Z and a-z count in no category */
    FAIL ("\u00c4\u00d6\u00dc\u00e4\u00f6\u00fc12", CM_ERROR_WEAK_PASSWORD,
          "not_enough_categories"),
    FAIL ("troubadour?.", CM_ERROR_WEAK_PASSWORD, "not_enough_categories"),
  };

  RUN (password_smith, CM_MEMBER_PASSWORD, cases);
}

/* The slide's list, "! $ # , % @ ~ ^ & * _ - + = > <", one by one: each makes a
 * third category; any other punctuation does not. */
static void
test_password_special_characters (void)
{
  const char *others[] = { "?", ".", "/", "(", ")", "'", "\"", ";", ":", "[", "]", "{", "}",
                           "|", "\\", "`", " ", "\u00e9", "\u20ac", "\u00a1" };

  g_assert_cmpstr (CM_PASSWORD_SPECIAL_CHARACTERS, ==, "!$#,%@~^&*_-+=><");

  for (const char *c = CM_PASSWORD_SPECIAL_CHARACTERS; *c != '\0'; c++)
    {
      g_autofree char *password = g_strdup_printf ("Abcdefgh%c", *c);
      g_autoptr(GError) error = NULL;

      g_test_message ("special character %c", *c);
      g_assert_true (cm_validate_password (password, "smithj9999", "Smith", &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autofree char *password = g_strdup_printf ("Abcdefgh%s", others[i]);
      g_autoptr(GError) error = NULL;

      g_test_message ("other character %u", i);
      g_assert_false (cm_validate_password (password, "smithj9999", "Smith", &error));
      g_assert_error (error, CM_ERROR, CM_ERROR_WEAK_PASSWORD);
      assert_details (error, "not_enough_categories");
    }
}

static void
test_password_user_id (void)
{
  const struct
  {
    const char *password;
    const char *user_id;
    const char *last_name;
    const char *details;  /* NULL: passes */
  } cases[] = {
    { "Smithj9999!", "smithj9999", "Smith", "contains_user_id,contains_last_name" },
    { "xSMITHJ9999x", "smithj9999", "Smith", "contains_user_id,contains_last_name" },
    { "MrSmith#2024", "smithj9999", "Smith", "contains_last_name" },
    { "mr.sMiTh#2024", "smithj9999", "Smith", "contains_last_name" },
    { "Sm1th#2024a", "smithj9999", "Smith", NULL },
    /* Short last names are not checked: "Li" is in too many words */
    { "Lime&Cola1", "lij1234", "Li", NULL },
    { "xLij1234!", "lij1234", "Li", "contains_user_id" },
    /* Diacritics: compared after transliteration, in both directions */
    { "M\u00fcller#2024", "mullerj1234", "M\u00fcller", "contains_last_name" },
    { "MULLER#2024x", "mullerj1234", "M\u00fcller", "contains_last_name" },
    /* Compared letters only: punctuation inside the name does not hide it */
    { "O'Brien#2024", "obrienm0001", "O'Brien", "contains_last_name" },
    { "S.m.i.t.h#2024", "smithj9999", "Smith", "contains_last_name" },
    { "Obrien#2024", "obrienm0001", "O'Brien", "contains_last_name" },
    /* Without a last name, the User ID's letters stand for it */
    { "Smith#2024", "smithj9999", NULL, "contains_last_name" },
    { "Smith#2024", NULL, "Smith", "contains_last_name" },
    /* Nothing to compare with */
    { "Smithj9999!", NULL, NULL, NULL },
    { "Tr0ub4dor&3", "smithj9999", "Smith", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("row %u", i);
      ok = cm_validate_password (cases[i].password, cases[i].user_id, cases[i].last_name, &error);
      if (cases[i].details == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CM_ERROR, CM_ERROR_WEAK_PASSWORD);
          g_assert_cmpstr (cm_error_get_field (error), ==, CM_MEMBER_PASSWORD);
          assert_details (error, cases[i].details);
        }
    }
}

static void
test_password_characters (void)
{
  const Case cases[] = {
    /* NFKC: full-width letters become ASCII and count in their categories */
    PASS ("\uff21\uff22\uff23def\uff11\uff12", NULL),
    /* NFKC: the ligature "ﬁ" is two characters, so this is long enough */
    PASS ("\ufb01\ufb01\ufb01\ufb011A", NULL),
    FAIL ("Passw\x01rd1", CM_ERROR_WEAK_PASSWORD, "invalid_characters"),
    FAIL ("Pass\u200bword1", CM_ERROR_WEAK_PASSWORD, "invalid_characters"),
    FAIL ("Pass\nword1", CM_ERROR_WEAK_PASSWORD, "invalid_characters"),
    FAIL ("\xff\xfe" "Abc12345", CM_ERROR_WEAK_PASSWORD, "invalid_characters"),
  };

  RUN (password_smith, CM_MEMBER_PASSWORD, cases);
}

/* Every failed rule is reported together, for the checklist. */
static void
test_password_all_failures (void)
{
  const Case cases[] = {
    FAIL ("smith", CM_ERROR_WEAK_PASSWORD, "too_short,not_enough_categories,contains_last_name"),
    FAIL ("Smithj9999", CM_ERROR_WEAK_PASSWORD, "contains_user_id,contains_last_name"),
    FAIL ("a\x02", CM_ERROR_WEAK_PASSWORD, "invalid_characters,too_short,not_enough_categories"),
  };

  RUN (password_smith, CM_MEMBER_PASSWORD, cases);
}

static void
test_password_rules (void)
{
  const char *expected[] = { "too_short", "not_enough_categories", "password_reused",
                             "contains_user_id" };
  const CmPasswordRule *rules;
  gsize n = 0;

  rules = cm_validate_get_password_rules (&n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpstr (rules[i].detail, ==, expected[i]);
      g_assert_nonnull (rules[i].label);
      g_assert_cmpstr (rules[i].label, !=, "");
    }

  /* The categories row shows the slide's special characters, every one */
  for (const char *c = CM_PASSWORD_SPECIAL_CHARACTERS; *c != '\0'; c++)
    g_assert_nonnull (strchr (rules[1].label, *c));
}

static void
test_password_confirmation (void)
{
  const struct
  {
    const char *password;
    const char *confirmation;
    CmError     code;
    const char *details;  /* NULL: passes */
  } cases[] = {
    { "Tr0ub4dor&3", "Tr0ub4dor&3", 0, NULL },
    { "\uff21\uff22\uff23def1!", "ABCdef1!", 0, NULL },
    { "Tr0ub4dor&3", "tr0ub4dor&3", CM_ERROR_PASSWORD_MISMATCH, "mismatch" },
    { "Tr0ub4dor&3", "Tr0ub4dor&3 ", CM_ERROR_PASSWORD_MISMATCH, "mismatch" },
    { "Tr0ub4dor&3", "", CM_ERROR_MISSING_FIELD, "required" },
    { "Tr0ub4dor&3", NULL, CM_ERROR_MISSING_FIELD, "required" },
    { "Tr0ub4dor&3", "\xff", CM_ERROR_PASSWORD_MISMATCH, "mismatch" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("row %u", i);
      ok = cm_validate_password_confirmation (cases[i].password, cases[i].confirmation, &error);
      if (cases[i].details == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CM_ERROR, (gint) cases[i].code);
          g_assert_cmpstr (cm_error_get_field (error), ==, CM_MEMBER_PASSWORD_CONFIRM);
          assert_details (error, cases[i].details);
        }
    }
}

static void
test_password_normalize (void)
{
  g_autofree char *fullwidth = cm_validate_normalize_password ("\uff21b1");
  g_autofree char *empty = cm_validate_normalize_password (NULL);
  g_autofree char *invalid = cm_validate_normalize_password ("\xff");

  g_assert_cmpstr (fullwidth, ==, "Ab1");
  g_assert_cmpstr (empty, ==, "");
  g_assert_null (invalid);
}

/* ---- account number, authorization code, confirmation number ---- */

static void
test_account_number (void)
{
  const Case cases[] = {
    PASS ("Z123456", "Z123456"),
    PASS (" z123456 ", "Z123456"),
    PASS ("a", "A"),
    PASS ("123456789012", "123456789012"),
    FAIL (NULL, CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("", CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("1234567890123", CM_ERROR_INVALID_FIELD, "too_long"),
    FAIL ("Z123 456", CM_ERROR_INVALID_FIELD, "invalid_characters"),
    FAIL ("Z-123456", CM_ERROR_INVALID_FIELD, "invalid_characters"),
    FAIL ("\u017d123", CM_ERROR_INVALID_FIELD, "invalid_characters"),
    FAIL ("Z12345678901!", CM_ERROR_INVALID_FIELD, "invalid_characters,too_long"),
  };

  RUN (cm_validate_account_number, CM_MEMBER_ACCOUNT_NUMBER, cases);
}


/* The PIN's shape is said on its field at once; whether it is right is the back-end's. */
static void
test_reset_pin (void)
{
  const Case cases[] = {
    PASS ("123456", "123456"),
    /* Grouped as a text message may show it: the back-end compares the digits. */
    PASS (" 123 456\n", "123456"),
    PASS ("000000", "000000"),
    FAIL (NULL, CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("", CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("  ", CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("12345", CM_ERROR_INVALID_CODE, "wrong_format"),
    FAIL ("1234567", CM_ERROR_INVALID_CODE, "wrong_format"),
    FAIL ("12345a", CM_ERROR_INVALID_CODE, "wrong_format"),
    FAIL ("abc", CM_ERROR_INVALID_CODE, "wrong_format"),
    FAIL ("\u0661\u0662\u0663\u0664\u0665\u0666", CM_ERROR_INVALID_CODE, "wrong_format"),
  };

  RUN (cm_validate_reset_pin, CM_MEMBER_PIN, cases);
}

static void
test_authorization_code (void)
{
  const Case cases[] = {
    PASS ("ABCD-EFGH-JKMN", "ABCDEFGHJKMN"),
    PASS ("abcd efgh jkmn", "ABCDEFGHJKMN"),
    PASS ("ABCDEFGHJKMN", "ABCDEFGHJKMN"),
    PASS (" abcd-efgh-jkmn\n", "ABCDEFGHJKMN"),
    PASS ("23456789PQRS", "23456789PQRS"),
    PASS ("TUVW-XYZ2-3456", "TUVWXYZ23456"),
    FAIL (NULL, CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("", CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("- -", CM_ERROR_MISSING_FIELD, "required"),
    FAIL ("ABCD-EFGH-JKM", CM_ERROR_INVALID_CODE, "wrong_length"),
    FAIL ("ABCD-EFGH-JKMNP", CM_ERROR_INVALID_CODE, "wrong_length"),
    /* The alphabet has none of 0, O, 1, I, L: refused, not guessed at */
    FAIL ("ABCD-EFGH-JKM0", CM_ERROR_INVALID_CODE, "invalid_characters"),
    FAIL ("ABCD-EFGH-JKMO", CM_ERROR_INVALID_CODE, "invalid_characters"),
    FAIL ("ABCD-EFGH-JKM1", CM_ERROR_INVALID_CODE, "invalid_characters"),
    FAIL ("ABCD-EFGH-JKMI", CM_ERROR_INVALID_CODE, "invalid_characters"),
    FAIL ("ABCD-EFGH-JKML", CM_ERROR_INVALID_CODE, "invalid_characters"),
    FAIL ("abcd-efgh-jkml", CM_ERROR_INVALID_CODE, "invalid_characters"),
    FAIL ("\u00c4BCD-EFGH-JKMN", CM_ERROR_INVALID_CODE, "invalid_characters"),
    FAIL ("ABCD_EFGH_JKMN", CM_ERROR_INVALID_CODE, "invalid_characters,wrong_length"),
  };

  RUN (cm_validate_authorization_code, CM_MEMBER_AUTHORIZATION_CODE, cases);
}

static void
test_authorization_code_format (void)
{
  const struct
  {
    const char *input;
    const char *expected;
  } cases[] = {
    { "ABCDEFGHJKMN", "ABCD-EFGH-JKMN" },
    { "abcd efgh jkmn", "ABCD-EFGH-JKMN" },
    { "ABCD-EFGH-JKMN", "ABCD-EFGH-JKMN" },
    { "ABC", NULL },
    { "ABCD-EFGH-JKM0", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *formatted = cm_format_authorization_code (cases[i].input);

      g_assert_cmpstr (formatted, ==, cases[i].expected);
    }
}

static void
test_confirmation_number (void)
{
  const struct
  {
    guint64     counter;
    const char *expected;
  } cases[] = {
    { 21028, "0-000-021-028" },  /* the slide's */
    { 0, "0-000-000-000" },
    { 1, "0-000-000-001" },
    { 1234567890, "1-234-567-890" },
    { G_GUINT64_CONSTANT (9999999999), "9-999-999-999" },
    { G_GUINT64_CONSTANT (10000000000), NULL },
    { G_MAXUINT64, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *formatted = cm_format_confirmation_number (cases[i].counter);

      g_assert_cmpstr (formatted, ==, cases[i].expected);
    }
}

static void
test_format_phone (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "5175550100", "(517) 555-0100" },
    { "+1 517.555.0100", "(517) 555-0100" },
    { "", "" },
    { "555-0100", "555-0100" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *formatted = cm_format_phone (cases[i].in);

      g_assert_cmpstr (formatted, ==, cases[i].out);
    }
}

static void
test_recovery_options (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cm_validate_recovery_options (TRUE, FALSE, 0, "", NULL));
  g_assert_true (cm_validate_recovery_options (FALSE, FALSE, 1, NULL, NULL));
  g_assert_true (cm_validate_recovery_options (FALSE, TRUE, 0, " 5175550101 ", NULL));
  g_assert_false (cm_validate_recovery_options (FALSE, FALSE, 0, "5175550101", &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_MISSING_FIELD);
  g_assert_cmpstr (cm_error_get_field (error), ==, "recovery");
  g_assert_true (cm_error_has_detail (error, "required"));
  g_clear_error (&error);
  g_assert_false (cm_validate_recovery_options (FALSE, TRUE, 0, "  ", &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_MISSING_FIELD);
  g_assert_cmpstr (cm_error_get_field (error), ==, "mobile_phone");
}

/* Security questions: each answered, none twice (the settings, sign-up and the server). */
static void
test_security_questions (void)
{
  const char *two[] = { "What was the name of your first pet?", "In what city were you born?" };
  const char *same[] = { "What was the name of your first pet?",
                         "What was the name of your first pet?" };
  const char *answered[] = { "Rex", "Lansing" };
  const char *blank[] = { "Rex", "  " };
  g_autoptr(GError) error = NULL;

  g_assert_true (cm_validate_security_questions (two, answered, 2, &error));
  g_assert_no_error (error);
  g_assert_true (cm_validate_security_questions (NULL, NULL, 0, &error));

  g_assert_false (cm_validate_security_questions (two, blank, 2, &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_INVALID_FIELD);
  g_assert_cmpstr (cm_error_get_field (error), ==, CM_MEMBER_QUESTIONS);
  assert_details (error, "unanswered");
  g_clear_error (&error);

  g_assert_false (cm_validate_security_questions (same, answered, 2, &error));
  g_assert_error (error, CM_ERROR, CM_ERROR_INVALID_FIELD);
  assert_details (error, "repeated");
  g_clear_error (&error);

  g_assert_false (cm_validate_security_questions (same, blank, 2, &error));
  assert_details (error, "unanswered,repeated");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/name/first", test_first_name);
  g_test_add_func ("/validate/name/last", test_last_name);
  g_test_add_func ("/validate/name/middle-initial", test_middle_initial);
  g_test_add_func ("/validate/name/suffix", test_suffix);
  g_test_add_func ("/validate/email/address", test_email);
  g_test_add_func ("/validate/email/confirmation", test_email_confirmation);
  g_test_add_func ("/validate/phone/formats", test_phone_formats);
  g_test_add_func ("/validate/phone/invalid", test_phone_invalid);
  g_test_add_func ("/validate/phone/optional", test_phone_optional);
  g_test_add_func ("/validate/zip", test_zip);
  g_test_add_func ("/validate/reset-pin", test_reset_pin);
  g_test_add_func ("/validate/user-id/format", test_user_id_format);
  g_test_add_func ("/validate/user-id/slide-example", test_user_id_slide_example);
  g_test_add_func ("/validate/user-id/profile", test_user_id_profile);
  g_test_add_func ("/validate/user-id/propose", test_user_id_propose);
  g_test_add_func ("/validate/user-id/propose-long-name", test_user_id_propose_long_name);
  g_test_add_func ("/validate/password/length", test_password_length);
  g_test_add_func ("/validate/password/categories", test_password_categories);
  g_test_add_func ("/validate/password/special-characters", test_password_special_characters);
  g_test_add_func ("/validate/password/user-id", test_password_user_id);
  g_test_add_func ("/validate/password/characters", test_password_characters);
  g_test_add_func ("/validate/password/all-failures", test_password_all_failures);
  g_test_add_func ("/validate/password/rules", test_password_rules);
  g_test_add_func ("/validate/password/confirmation", test_password_confirmation);
  g_test_add_func ("/validate/password/normalize", test_password_normalize);
  g_test_add_func ("/validate/account-number", test_account_number);
  g_test_add_func ("/validate/authorization-code/input", test_authorization_code);
  g_test_add_func ("/validate/authorization-code/format", test_authorization_code_format);
  g_test_add_func ("/validate/confirmation-number", test_confirmation_number);
  g_test_add_func ("/validate/phone/format", test_format_phone);
  g_test_add_func ("/validate/recovery-options", test_recovery_options);
  g_test_add_func ("/validate/security-questions", test_security_questions);

  return g_test_run ();
}
