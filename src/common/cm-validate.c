/* cm-validate.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-validate"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cm-error.h"
#include "cm-protocol.h"
#include "cm-validate.h"

/* Below this length a last name is too common a substring to refuse ("Li", "Ng"). */
#define LAST_NAME_MIN_CHECK_LENGTH 3
#define CONFIRMATION_NUMBER_MAX G_GUINT64_CONSTANT (9999999999)

/* ---- helpers ---- */

/* Collects the failed rules of one field; the message is that of the first. */
typedef struct
{
  CmError     code;
  const char *field;
  GPtrArray  *details;  /* static strings */
  char       *message;  /* (owned) (nullable) */
} Failures;

static void
failures_init (Failures   *f,
               CmError     code,
               const char *field)
{
  f->code = code;
  f->field = field;
  f->details = g_ptr_array_new ();
  f->message = NULL;
}

/* Takes @message; the first failure's message wins. */
static void
failures_add (Failures   *f,
              const char *detail,
              char       *message)
{
  g_ptr_array_add (f->details, (gpointer) detail);
  if (f->message == NULL)
    f->message = message;
  else
    g_free (message);
}

/* Reports (when there is anything to report) and frees; returns whether all passed. */
static gboolean
failures_finish (Failures  *f,
                 GError   **error)
{
  gboolean ok = f->details->len == 0;

  if (!ok && error != NULL)
    {
      GError *e = cm_error_new (f->code, f->field, f->message);

      for (guint i = 0; i < f->details->len; i++)
        cm_error_add_detail (e, g_ptr_array_index (f->details, i));
      g_propagate_error (error, e);
    }

  g_ptr_array_unref (f->details);
  g_free (f->message);
  return ok;
}

static gboolean
report_required (CmError      code,
                 const char  *field,
                 const char  *message,
                 GError     **error)
{
  Failures f;

  failures_init (&f, code, field);
  failures_add (&f, "required", g_strdup (message));
  return failures_finish (&f, error);
}

/* A copy with white space (any Unicode space) removed at both ends, or NULL
 * when @value is not valid UTF-8. NULL counts as empty. */
static char *
trim_dup (const char *value)
{
  const char *start;
  const char *end;

  if (value == NULL)
    return g_strdup ("");
  if (!g_utf8_validate (value, -1, NULL))
    return NULL;

  start = value;
  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, end - start);
}

static void
set_normalized (char       **normalized,
                const char  *value)
{
  if (normalized != NULL)
    *normalized = g_strdup (value);
}

static char *
too_long_message (guint max)
{
  /* Translators: %u is a number of characters */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Use at most %u character.",
                                       "Use at most %u characters.", max), max);
}

/*
 * The letters a-z of @name, lower case, after transliteration to ASCII
 * ("Müller" -> "muller", "O'Brien-Day" -> "obrienday"), at most
 * CM_NAME_MAX_LENGTH of them. This is how a name appears in a User ID.
 */
static char *
letters_key (const char *name,
             gsize       max_letters)
{
  g_autofree char *trimmed = trim_dup (name);
  g_autofree char *nfc = NULL;
  g_autofree char *ascii = NULL;
  GString *key;

  if (trimmed == NULL || *trimmed == '\0')
    return g_strdup ("");

  nfc = g_utf8_normalize (trimmed, -1, G_NORMALIZE_NFC);
  ascii = g_str_to_ascii (nfc, "C");
  key = g_string_new (NULL);
  for (const char *p = ascii; *p != '\0' && key->len < max_letters; p++)
    {
      if (g_ascii_isalpha (*p))
        g_string_append_c (key, g_ascii_tolower (*p));
    }
  return g_string_free (key, FALSE);
}

static char *
name_key (const char *name)
{
  return letters_key (name, CM_NAME_MAX_LENGTH);
}

/* ---- names ---- */

static gboolean
is_apostrophe (gunichar c)
{
  /* U+2019 is what many keyboards and phones type for an apostrophe. */
  return c == '\'' || c == 0x2019;
}

static gboolean
validate_name (const char  *value,
               const char  *field,
               gboolean     required,
               const char  *required_message,
               GError     **error)
{
  g_autofree char *trimmed = trim_dup (value);
  g_autofree char *nfc = NULL;
  gboolean has_letter = FALSE;
  gboolean bad = FALSE;
  gunichar prev = 0;
  Failures f;

  if (trimmed != NULL && *trimmed == '\0')
    return required ? report_required (CM_ERROR_MISSING_FIELD, field, required_message, error)
                    : TRUE;

  failures_init (&f, CM_ERROR_INVALID_FIELD, field);

  if (trimmed == NULL)
    {
      bad = TRUE;
    }
  else
    {
      nfc = g_utf8_normalize (trimmed, -1, G_NORMALIZE_NFC);
      for (const char *p = nfc; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (g_unichar_isalpha (c))
            has_letter = TRUE;
          else if (g_unichar_ismark (c) && prev != 0 &&
                   (g_unichar_isalpha (prev) || g_unichar_ismark (prev)))
            ; /* a combining accent on a letter that has no precomposed form */
          else if (!(c == ' ' || c == '-' || c == '.' || is_apostrophe (c)))
            bad = TRUE;
          prev = c;
        }
    }

  if (bad || !has_letter)
    failures_add (&f, "invalid_characters",
                  g_strdup (_("Use only letters, spaces, apostrophes ('), hyphens (-) "
                              "and periods (.).")));
  if (nfc != NULL && g_utf8_strlen (nfc, -1) > CM_NAME_MAX_LENGTH)
    failures_add (&f, "too_long", too_long_message (CM_NAME_MAX_LENGTH));

  return failures_finish (&f, error);
}

gboolean
cm_validate_first_name (const char  *value,
                        GError     **error)
{
  return validate_name (value, CM_MEMBER_FIRST_NAME, FALSE, NULL, error);
}

gboolean
cm_validate_last_name (const char  *value,
                       GError     **error)
{
  return validate_name (value, CM_MEMBER_LAST_NAME, TRUE, _("Please enter your last name."),
                        error);
}

gboolean
cm_validate_middle_initial (const char  *value,
                            GError     **error)
{
  g_autofree char *trimmed = trim_dup (value);
  g_autofree char *nfc = NULL;
  gboolean ok = FALSE;
  Failures f;

  if (trimmed != NULL && *trimmed == '\0')
    return TRUE;

  if (trimmed != NULL)
    {
      const char *p;

      nfc = g_utf8_normalize (trimmed, -1, G_NORMALIZE_NFC);
      p = nfc;
      if (g_unichar_isalpha (g_utf8_get_char (p)))
        {
          p = g_utf8_next_char (p);
          if (*p == '.')
            p++;
          ok = *p == '\0';
        }
    }

  failures_init (&f, CM_ERROR_INVALID_FIELD, CM_MEMBER_MIDDLE_INITIAL);
  if (!ok)
    failures_add (&f, "invalid_initial",
                  /* Translators: an example of a middle initial */
                  g_strdup (_("Enter one letter, such as J.")));
  return failures_finish (&f, error);
}

gboolean
cm_validate_suffix (const char  *value,
                    GError     **error)
{
  static const char * const known[] = { "jr", "sr", "ii", "iii", "iv", "v" };
  g_autofree char *trimmed = trim_dup (value);
  gboolean ok = FALSE;
  Failures f;

  if (trimmed != NULL && *trimmed == '\0')
    return TRUE;

  if (trimmed != NULL)
    {
      gsize len = strlen (trimmed);

      if (len > 0 && trimmed[len - 1] == '.')
        trimmed[--len] = '\0';
      for (guint i = 0; i < G_N_ELEMENTS (known) && !ok; i++)
        ok = g_ascii_strcasecmp (trimmed, known[i]) == 0;
    }

  failures_init (&f, CM_ERROR_INVALID_FIELD, CM_MEMBER_SUFFIX);
  if (!ok)
    failures_add (&f, "invalid_suffix",
                  /* Translators: name suffixes as written in English names; keep them as is */
                  g_strdup (_("Choose one of Jr, Sr, II, III, IV or V, or leave it empty.")));
  return failures_finish (&f, error);
}

/* ---- email ---- */

/* Trimmed, with the domain in lower case; NULL when not valid UTF-8. */
static char *
normalize_email (const char *value)
{
  g_autofree char *trimmed = trim_dup (value);
  g_autofree char *domain = NULL;
  char *at;

  if (trimmed == NULL)
    return NULL;
  at = strrchr (trimmed, '@');
  if (at == NULL)
    return g_steal_pointer (&trimmed);

  domain = g_utf8_strdown (at + 1, -1);
  *at = '\0';
  return g_strconcat (trimmed, "@", domain, NULL);
}

static gboolean
email_shape_ok (const char *email)
{
  const char *at = strchr (email, '@');
  const char *domain;

  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;

  domain = at + 1;
  if (*domain == '\0' || strchr (domain, '.') == NULL)
    return FALSE;
  /* No empty dot-separated part, in the local part or the domain */
  if (email[0] == '.' || at[-1] == '.' || domain[0] == '.' ||
      domain[strlen (domain) - 1] == '.' || strstr (email, "..") != NULL)
    return FALSE;

  for (const char *p = email; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* No spaces or control characters; and none of the characters that
       * would need quoting in a mail header, which the outbox writes. */
      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) ||
          (c < 0x80 && strchr ("<>()[]\\,;:\"", (int) c) != NULL))
        return FALSE;
    }
  return TRUE;
}

gboolean
cm_validate_email (const char  *value,
                   char       **normalized,
                   GError     **error)
{
  g_autofree char *email = normalize_email (value);
  Failures f;

  if (email != NULL && *email == '\0')
    return report_required (CM_ERROR_MISSING_FIELD, CM_MEMBER_EMAIL,
                            _("Please enter your email address."), error);

  failures_init (&f, CM_ERROR_INVALID_FIELD, CM_MEMBER_EMAIL);
  if (email == NULL || !email_shape_ok (email))
    failures_add (&f, "invalid_email",
                  /* Translators: an example email address; keep it in this form */
                  g_strdup (_("Enter an email address such as name@example.com.")));
  if (email != NULL && g_utf8_strlen (email, -1) > CM_EMAIL_MAX_LENGTH)
    failures_add (&f, "too_long", too_long_message (CM_EMAIL_MAX_LENGTH));

  if (!failures_finish (&f, error))
    return FALSE;
  set_normalized (normalized, email);
  return TRUE;
}

gboolean
cm_validate_email_confirmation (const char  *email,
                                const char  *confirmation,
                                GError     **error)
{
  g_autofree char *a = normalize_email (email);
  g_autofree char *b = normalize_email (confirmation);
  g_autofree char *a_folded = NULL;
  g_autofree char *b_folded = NULL;
  Failures f;

  if (b != NULL && *b == '\0')
    return report_required (CM_ERROR_MISSING_FIELD, CM_MEMBER_EMAIL_CONFIRM,
                            _("Please enter your email address again."), error);

  if (a != NULL)
    a_folded = g_utf8_casefold (a, -1);
  if (b != NULL)
    b_folded = g_utf8_casefold (b, -1);

  failures_init (&f, CM_ERROR_EMAIL_MISMATCH, CM_MEMBER_EMAIL_CONFIRM);
  if (a_folded == NULL || b_folded == NULL || strcmp (a_folded, b_folded) != 0)
    failures_add (&f, "mismatch", g_strdup (cm_error_code_get_message (CM_ERROR_EMAIL_MISMATCH)));
  return failures_finish (&f, error);
}

/* ---- phone and ZIP ---- */

/* Reads a phone number as typed into @digits, without the country code 1. Sets
 * *bad_characters for a character no phone number has, *bad_number for a form
 * that is not a 10-digit US number. */
static void
scan_phone (const char *trimmed,
            GString    *digits,
            gboolean   *bad_characters,
            gboolean   *bad_number)
{
  gboolean has_plus = FALSE;
  int open_paren = -1;   /* digits seen before '(' */
  int close_paren = -1;  /* digits seen before ')' */

  for (const char *p = trimmed; *p != '\0'; p++)
    {
      char c = *p;

      if (g_ascii_isdigit (c))
        g_string_append_c (digits, c);
      else if (c == '+' && p == trimmed)
        has_plus = TRUE;
      else if (c == '(' && open_paren < 0)
        open_paren = (int) digits->len;
      else if (c == ')' && close_paren < 0)
        close_paren = (int) digits->len;
      else if (c == ' ' || c == '-' || c == '.')
        ;
      else if (c == '(' || c == ')' || c == '+')
        *bad_number = TRUE;
      else
        *bad_characters = TRUE;
    }

  /* The parentheses, if any, hold the area code. */
  if ((open_paren < 0) != (close_paren < 0) ||
      (open_paren >= 0 && close_paren - open_paren != 3))
    *bad_number = TRUE;

  /* Country code 1 only, written "+1" or "1" */
  if (digits->len == 11 && digits->str[0] == '1')
    {
      g_string_erase (digits, 0, 1);
      if (open_paren >= 0)
        {
          open_paren--;
          close_paren--;
        }
    }
  else if (has_plus)
    {
      *bad_number = TRUE;
    }

  if (digits->len != 10 || open_paren > 0)
    *bad_number = TRUE;
  /* NANP: neither the area code nor the exchange starts with 0 or 1. */
  else if (digits->str[0] < '2' || digits->str[3] < '2')
    *bad_number = TRUE;
}

gboolean
cm_validate_phone (const char  *value,
                   gboolean     required,
                   const char  *field,
                   char       **normalized,
                   GError     **error)
{
  g_autofree char *trimmed = trim_dup (value);
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean bad_characters = FALSE;
  gboolean bad_number = FALSE;
  Failures f;

  g_return_val_if_fail (field != NULL, FALSE);

  if (trimmed != NULL && *trimmed == '\0')
    {
      if (required)
        return report_required (CM_ERROR_MISSING_FIELD, field,
                                _("Please enter a phone number."), error);
      set_normalized (normalized, "");
      return TRUE;
    }

  if (trimmed == NULL)
    bad_characters = TRUE;
  scan_phone (trimmed != NULL ? trimmed : "", digits, &bad_characters, &bad_number);

  failures_init (&f, CM_ERROR_INVALID_FIELD, field);
  if (bad_characters)
    failures_add (&f, "invalid_characters",
                  g_strdup (_("Use only numbers, spaces and the characters ( ) - . in a phone "
                              "number.")));
  if (bad_number)
    failures_add (&f, "invalid_phone",
                  /* Translators: an example US phone number; keep its form */
                  g_strdup (_("Enter a 10-digit US phone number, such as (517) 555-0100.")));
  if (!failures_finish (&f, error))
    return FALSE;

  set_normalized (normalized, digits->str);
  return TRUE;
}

gboolean
cm_validate_zip (const char  *value,
                 char       **normalized,
                 GError     **error)
{
  g_autofree char *trimmed = trim_dup (value);
  g_autofree char *result = NULL;
  gsize len;
  Failures f;

  if (trimmed != NULL && *trimmed == '\0')
    return report_required (CM_ERROR_MISSING_FIELD, CM_MEMBER_ZIP,
                            _("Please enter the ZIP code."), error);

  len = trimmed != NULL ? strlen (trimmed) : 0;
  if (trimmed != NULL && (len == 5 || len == 9 || (len == 10 && trimmed[5] == '-')))
    {
      gboolean digits_ok = TRUE;

      for (gsize i = 0; i < len; i++)
        {
          if (!(g_ascii_isdigit (trimmed[i]) || (i == 5 && len == 10)))
            digits_ok = FALSE;
        }
      if (digits_ok && len == 5)
        result = g_strdup (trimmed);
      else if (digits_ok && len == 9)
        result = g_strdup_printf ("%.5s-%s", trimmed, trimmed + 5);
      else if (digits_ok)
        result = g_strdup (trimmed);
    }

  failures_init (&f, CM_ERROR_INVALID_FIELD, CM_MEMBER_ZIP);
  if (result == NULL)
    failures_add (&f, "invalid_zip",
                  /* Translators: example ZIP codes; keep their form */
                  g_strdup (_("Enter a 5-digit ZIP code, such as 48909, or ZIP+4, such as "
                              "48909-1234.")));
  if (!failures_finish (&f, error))
    return FALSE;

  set_normalized (normalized, result);
  return TRUE;
}

/* ---- User ID ---- */

char *
cm_validate_propose_user_id (const char *first_name,
                             const char *last_name,
                             guint       four_digits)
{
  g_autofree char *last = name_key (last_name);
  g_autofree char *first = name_key (first_name);

  g_return_val_if_fail (four_digits <= 9999, NULL);

  if (*last == '\0')
    return NULL;

  first[MIN (strlen (first), 1)] = '\0';
  return g_strdup_printf ("%s%s%04u", last, first, four_digits);
}

/* Adds the shape failures to @f; on success returns the lower-case User ID. */
static char *
check_user_id_format (const char *trimmed,
                      Failures   *f)
{
  g_autoptr(GString) compact = g_string_new (NULL);
  gboolean has_space = FALSE;
  gsize letters = 0;
  gsize digits = 0;
  gboolean shape_ok = TRUE;

  for (const char *p = trimmed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        has_space = TRUE;
      else
        g_string_append_unichar (compact, c);
    }

  /* letters a-z (any case), then exactly 4 digits */
  for (gsize i = 0; i < compact->len; i++)
    {
      char c = compact->str[i];

      if (g_ascii_isalpha (c) && digits == 0)
        letters++;
      else if (g_ascii_isdigit (c) && letters > 0)
        digits++;
      else
        shape_ok = FALSE;
    }
  if (letters == 0 || digits != 4)
    shape_ok = FALSE;

  if (has_space)
    failures_add (f, "contains_space", g_strdup (_("The User ID cannot contain spaces.")));
  if (!shape_ok)
    failures_add (f, "wrong_format",
                  g_strdup (cm_error_code_get_message (CM_ERROR_INVALID_USER_ID)));
  if (g_utf8_strlen (compact->str, -1) > CM_USER_ID_MAX_LENGTH)
    failures_add (f, "too_long", too_long_message (CM_USER_ID_MAX_LENGTH));

  if (f->details->len > 0)
    return NULL;
  return g_ascii_strdown (compact->str, -1);
}

gboolean
cm_validate_user_id_format (const char  *user_id,
                            char       **normalized,
                            GError     **error)
{
  return cm_validate_user_id (user_id, NULL, NULL, normalized, error);
}

gboolean
cm_validate_user_id (const char  *user_id,
                     const char  *first_name,
                     const char  *last_name,
                     char       **normalized,
                     GError     **error)
{
  g_autofree char *trimmed = trim_dup (user_id);
  g_autofree char *result = NULL;
  g_autofree char *last = NULL;
  g_autofree char *first = NULL;
  Failures f;

  if (trimmed != NULL && *trimmed == '\0')
    return report_required (CM_ERROR_MISSING_FIELD, CM_MEMBER_USER_ID,
                            _("Please enter a User ID."), error);

  failures_init (&f, CM_ERROR_INVALID_USER_ID, CM_MEMBER_USER_ID);
  if (trimmed == NULL)
    failures_add (&f, "wrong_format",
                  g_strdup (cm_error_code_get_message (CM_ERROR_INVALID_USER_ID)));
  else
    result = check_user_id_format (trimmed, &f);

  last = name_key (last_name);
  first = name_key (first_name);
  first[MIN (strlen (first), 1)] = '\0';

  /* A last name with no Latin letters at all cannot be checked, only the shape. */
  if (result != NULL && *last != '\0')
    {
      gsize n_letters = strlen (result) - 4;
      g_autofree char *letters = g_strndup (result, n_letters);
      g_autofree char *example = g_strdup_printf ("%s%s9999", last, first);
      g_autofree char *message = NULL;

      /* Translators: %s is an example User ID made from the user's own names, e.g. smithj9999 */
      message = g_strdup_printf (_("The User ID must be your last name and first initial, then "
                                   "any 4 numbers, such as %s."), example);

      if (g_str_has_prefix (letters, last))
        {
          if (strcmp (letters + strlen (last), first) != 0)
            failures_add (&f, "first_initial_mismatch", g_strdup (message));
        }
      else
        {
          failures_add (&f, "last_name_mismatch", g_strdup (message));
          if (*first != '\0' && letters[n_letters - 1] != first[0])
            failures_add (&f, "first_initial_mismatch", NULL);
        }
    }

  if (!failures_finish (&f, error))
    return FALSE;
  set_normalized (normalized, result);
  return TRUE;
}

/* ---- password ---- */

static const CmPasswordRule password_rules[] = {
  {
    "too_short",
    /* Translators: a password guideline, shown in a checklist */
    N_("At least 8 characters"),
  },
  {
    "not_enough_categories",
    /* Translators: a password guideline, shown in a checklist; keep the special characters
     * exactly as they are */
    N_("Characters from 3 of these 4 groups: upper case A-Z, lower case a-z, numbers 0-9, "
       "special characters ! $ # , % @ ~ ^ & * _ - + = > <"),
  },
  {
    "password_reused",
    /* Translators: a password guideline, shown in a checklist; only the server can check it */
    N_("Not one of your last 3 passwords"),
  },
  {
    "contains_user_id",
    /* Translators: a password guideline, shown in a checklist */
    N_("Not based on your User ID"),
  },
};

const CmPasswordRule *
cm_validate_get_password_rules (gsize *n_rules)
{
  if (n_rules != NULL)
    *n_rules = G_N_ELEMENTS (password_rules);
  return password_rules;
}

char *
cm_validate_normalize_password (const char *password)
{
  if (password == NULL)
    return g_strdup ("");
  /* g_utf8_normalize() trusts its input: it passes code points beyond U+10FFFF
   * and reads overlong forms as other characters. */
  if (!g_utf8_validate (password, -1, NULL))
    return NULL;
  return g_utf8_normalize (password, -1, G_NORMALIZE_NFKC);
}

/* Control, invisible and unassigned characters cannot be typed reliably
 * (or seen), so they are refused; any other character is allowed and simply
 * counts in none of the four categories. */
static gboolean
is_refused_password_char (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
    case G_UNICODE_CONNECT_PUNCTUATION:
    case G_UNICODE_DASH_PUNCTUATION:
    case G_UNICODE_CLOSE_PUNCTUATION:
    case G_UNICODE_FINAL_PUNCTUATION:
    case G_UNICODE_INITIAL_PUNCTUATION:
    case G_UNICODE_OTHER_PUNCTUATION:
    case G_UNICODE_OPEN_PUNCTUATION:
    case G_UNICODE_CURRENCY_SYMBOL:
    case G_UNICODE_MODIFIER_SYMBOL:
    case G_UNICODE_MATH_SYMBOL:
    case G_UNICODE_OTHER_SYMBOL:
    case G_UNICODE_SPACE_SEPARATOR:
    default:
      return FALSE;
    }
}

/* Whether @haystack (already folded) contains @needle, for a needle long enough. */
static gboolean
contains_key (const char *haystack,
              const char *needle,
              gsize       min_length)
{
  return needle != NULL && strlen (needle) >= min_length && strstr (haystack, needle) != NULL;
}

/* The rules on what a password is made of: characters, length, groups of characters. */
static void
check_password_composition (Failures   *f,
                            const char *norm,
                            glong       length)
{
  gboolean bad_characters = FALSE;
  gboolean has_upper = FALSE, has_lower = FALSE, has_digit = FALSE, has_special = FALSE;

  for (const char *p = norm; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 'A' && c <= 'Z')
        has_upper = TRUE;
      else if (c >= 'a' && c <= 'z')
        has_lower = TRUE;
      else if (c >= '0' && c <= '9')
        has_digit = TRUE;
      else if (c < 0x80 && c != 0 && strchr (CM_PASSWORD_SPECIAL_CHARACTERS, (int) c) != NULL)
        has_special = TRUE;
      else if (is_refused_password_char (c))
        bad_characters = TRUE;
    }

  if (bad_characters)
    failures_add (f, "invalid_characters",
                  g_strdup (_("The password cannot contain control or invisible characters.")));
  if (length < CM_PASSWORD_MIN_LENGTH)
    failures_add (f, "too_short",
                  /* Translators: %u is a number of characters */
                  g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Use at least %u character.",
                                                "Use at least %u characters.",
                                                CM_PASSWORD_MIN_LENGTH),
                                   CM_PASSWORD_MIN_LENGTH));
  if (length > CM_PASSWORD_MAX_LENGTH)
    failures_add (f, "too_long", too_long_message (CM_PASSWORD_MAX_LENGTH));
  if (has_upper + has_lower + has_digit + has_special < CM_PASSWORD_MIN_CATEGORIES)
    failures_add (f, "not_enough_categories",
                  g_strdup (_("Use characters from at least 3 of the 4 groups: upper case "
                              "letters, lower case letters, numbers and special characters.")));
}

/* "Not based on the User ID": compared without case, and also after
 * transliteration so that "Müller" is found in "MULLER..." and the reverse. */
static void
check_password_names (Failures   *f,
                      const char *norm,
                      const char *user_id,
                      const char *last_name)
{
  g_autofree char *folded = g_utf8_casefold (norm, -1);
  g_autofree char *ascii = g_str_to_ascii (norm, "C");
  g_autofree char *uid = trim_dup (user_id);
  g_autofree char *uid_last = NULL;
  g_autofree char *last = NULL;
  g_autofree char *letters = NULL;

  for (char *p = ascii; *p != '\0'; p++)
    *p = g_ascii_tolower (*p);

  if (uid != NULL && *uid != '\0')
    {
      g_autofree char *uid_folded = g_utf8_casefold (uid, -1);
      gsize n = 0;

      if (strstr (folded, uid_folded) != NULL || strstr (ascii, uid_folded) != NULL)
        failures_add (f, "contains_user_id",
                      g_strdup (_("The password cannot contain your User ID or your last "
                                  "name.")));

      /* The User ID's letters without the final one (the first initial) are the last name. */
      while (g_ascii_isalpha (uid_folded[n]))
        n++;
      if (n > 1)
        uid_last = g_strndup (uid_folded, n - 1);
    }

  /* Names are compared letters only, so "O'Brien#1" is found for O'Brien. */
  letters = letters_key (norm, G_MAXSIZE);
  last = name_key (last_name);
  if (contains_key (letters, last, LAST_NAME_MIN_CHECK_LENGTH) ||
      contains_key (letters, uid_last, LAST_NAME_MIN_CHECK_LENGTH))
    failures_add (f, "contains_last_name",
                  g_strdup (_("The password cannot contain your User ID or your last name.")));
}

gboolean
cm_validate_password (const char  *password,
                      const char  *user_id,
                      const char  *last_name,
                      GError     **error)
{
  g_autofree char *norm = cm_validate_normalize_password (password);
  glong length;
  Failures f;

  failures_init (&f, CM_ERROR_WEAK_PASSWORD, CM_MEMBER_PASSWORD);

  if (norm == NULL)
    {
      failures_add (&f, "invalid_characters",
                    g_strdup (_("The password cannot contain control or invisible characters.")));
      return failures_finish (&f, error);
    }

  length = g_utf8_strlen (norm, -1);
  if (length == 0)
    {
      /* Every rule row of a checklist must show as failing for an empty password. */
      f.code = CM_ERROR_MISSING_FIELD;
      failures_add (&f, "required", g_strdup (_("Please enter a password.")));
      failures_add (&f, "too_short", NULL);
      failures_add (&f, "not_enough_categories", NULL);
      return failures_finish (&f, error);
    }

  check_password_composition (&f, norm, length);
  check_password_names (&f, norm, user_id, last_name);
  return failures_finish (&f, error);
}

gboolean
cm_validate_password_confirmation (const char  *password,
                                   const char  *confirmation,
                                   GError     **error)
{
  g_autofree char *a = cm_validate_normalize_password (password);
  g_autofree char *b = cm_validate_normalize_password (confirmation);
  Failures f;

  if (b != NULL && *b == '\0')
    return report_required (CM_ERROR_MISSING_FIELD, CM_MEMBER_PASSWORD_CONFIRM,
                            _("Please enter the password again."), error);

  failures_init (&f, CM_ERROR_PASSWORD_MISMATCH, CM_MEMBER_PASSWORD_CONFIRM);
  if (a == NULL || b == NULL || strcmp (a, b) != 0)
    failures_add (&f, "mismatch",
                  g_strdup (cm_error_code_get_message (CM_ERROR_PASSWORD_MISMATCH)));
  return failures_finish (&f, error);
}

/* ---- account number, authorization code, confirmation number ---- */

gboolean
cm_validate_account_number (const char  *value,
                            char       **normalized,
                            GError     **error)
{
  g_autofree char *trimmed = trim_dup (value);
  gboolean bad = trimmed == NULL;
  Failures f;

  if (trimmed != NULL && *trimmed == '\0')
    return report_required (CM_ERROR_MISSING_FIELD, CM_MEMBER_ACCOUNT_NUMBER,
                            _("Please enter the account number."), error);

  for (char *p = trimmed; p != NULL && *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        *p = g_ascii_toupper (*p);
      else
        bad = TRUE;
    }

  failures_init (&f, CM_ERROR_INVALID_FIELD, CM_MEMBER_ACCOUNT_NUMBER);
  if (bad)
    failures_add (&f, "invalid_characters",
                  g_strdup (_("Use only letters and numbers in the account number, with no "
                              "spaces.")));
  if (trimmed != NULL && g_utf8_strlen (trimmed, -1) > CM_ACCOUNT_NUMBER_MAX_LENGTH)
    failures_add (&f, "too_long", too_long_message (CM_ACCOUNT_NUMBER_MAX_LENGTH));
  if (!failures_finish (&f, error))
    return FALSE;

  set_normalized (normalized, trimmed);
  return TRUE;
}

gboolean
cm_validate_authorization_code (const char  *value,
                                char       **normalized,
                                GError     **error)
{
  g_autoptr(GString) code = g_string_new (NULL);
  gboolean bad = FALSE;
  Failures f;

  if (value != NULL && !g_utf8_validate (value, -1, NULL))
    {
      bad = TRUE;
      value = NULL;
    }

  for (const char *p = value; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '-' || g_unichar_isspace (c))
        continue;
      if (c < 0x80 && strchr (CM_AUTHORIZATION_CODE_ALPHABET, g_ascii_toupper ((char) c)) != NULL)
        g_string_append_c (code, g_ascii_toupper ((char) c));
      else
        {
          bad = TRUE;
          g_string_append_unichar (code, c);
        }
    }

  if (!bad && code->len == 0)
    return report_required (CM_ERROR_MISSING_FIELD, CM_MEMBER_AUTHORIZATION_CODE,
                            _("Please enter the authorization code."), error);

  failures_init (&f, CM_ERROR_INVALID_CODE, CM_MEMBER_AUTHORIZATION_CODE);
  if (bad)
    failures_add (&f, "invalid_characters",
                  g_strdup (_("An authorization code has only letters and numbers, and never "
                              "the characters 0, O, 1, I or L. Please check the code.")));
  if (g_utf8_strlen (code->str, -1) != CM_AUTHORIZATION_CODE_LENGTH)
    failures_add (&f, "wrong_length",
                  /* Translators: %u is a number of characters (12) */
                  g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "An authorization code has %u character.",
                                                "An authorization code has %u characters.",
                                                CM_AUTHORIZATION_CODE_LENGTH),
                                   CM_AUTHORIZATION_CODE_LENGTH));
  if (!failures_finish (&f, error))
    return FALSE;

  set_normalized (normalized, code->str);
  return TRUE;
}

gboolean
cm_validate_security_questions (const char * const  *questions,
                                const char * const  *answers,
                                guint                n_questions,
                                GError             **error)
{
  gboolean unanswered = FALSE, repeated = FALSE;
  Failures f;

  for (guint i = 0; i < n_questions; i++)
    {
      g_autofree char *answer = g_strstrip (g_strdup (answers[i] != NULL ? answers[i] : ""));

      unanswered |= *answer == '\0';
      for (guint j = 0; j < i; j++)
        repeated |= g_strcmp0 (questions[i], questions[j]) == 0;
    }

  failures_init (&f, CM_ERROR_INVALID_FIELD, CM_MEMBER_QUESTIONS);
  if (unanswered)
    failures_add (&f, "unanswered", g_strdup (_("Enter an answer to each question.")));
  if (repeated)
    failures_add (&f, "repeated", g_strdup (_("Choose two different questions.")));
  return failures_finish (&f, error);
}

/* The password reset PIN: CM_RESET_PIN_DIGITS digits (spaces allowed, as a
 * text message may group them); @normalized gets the digits alone, what the
 * back-end compares. Its shape only: the back-end says if it is right. */
gboolean
cm_validate_reset_pin (const char  *value,
                       char       **normalized,
                       GError     **error)
{
  g_autoptr(GString) pin = g_string_new (NULL);
  guint digits = 0;
  gboolean bad = value != NULL && !g_utf8_validate (value, -1, NULL);
  Failures f;

  for (const char *p = value; !bad && p != NULL && *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          digits++;
          g_string_append_c (pin, *p);
        }
      else if (!g_ascii_isspace (*p))
        bad = TRUE;
    }

  if (!bad && digits == 0)
    return report_required (CM_ERROR_MISSING_FIELD, CM_MEMBER_PIN,
                            _("Please enter the PIN from the message we sent."), error);

  failures_init (&f, CM_ERROR_INVALID_CODE, CM_MEMBER_PIN);
  if (bad || digits != CM_RESET_PIN_DIGITS)
    failures_add (&f, "wrong_format",
                  /* Translators: %u is a number of digits (6) */
                  g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "The PIN is %u digit, with no letters.",
                                                "The PIN is %u digits, with no letters.",
                                                CM_RESET_PIN_DIGITS),
                                   CM_RESET_PIN_DIGITS));
  if (!failures_finish (&f, error))
    return FALSE;

  set_normalized (normalized, pin->str);
  return TRUE;
}

char *
cm_format_authorization_code (const char *normalized)
{
  g_autofree char *code = NULL;

  if (!cm_validate_authorization_code (normalized, &code, NULL))
    return NULL;
  return g_strdup_printf ("%.4s-%.4s-%.4s", code, code + 4, code + 8);
}

char *
cm_format_confirmation_number (guint64 counter)
{
  char digits[11];

  if (counter > CONFIRMATION_NUMBER_MAX)
    return NULL;

  g_snprintf (digits, sizeof digits, "%010" G_GUINT64_FORMAT, counter);
  return g_strdup_printf ("%.1s-%.3s-%.3s-%.3s", digits, digits + 1, digits + 4, digits + 7);
}

/* ---- recovery options ---- */

gboolean
cm_validate_recovery_options (gboolean     email,
                              gboolean     text,
                              guint        n_questions,
                              const char  *mobile_phone,
                              GError     **error)
{
  g_autofree char *mobile = trim_dup (mobile_phone);

  if (!email && !text && n_questions == 0)
    return report_required (CM_ERROR_MISSING_FIELD, CM_MEMBER_RECOVERY,
                            _("Keep at least one way to recover your password."), error);
  /* A PIN by text needs a number to text it to. */
  if (text && (mobile == NULL || mobile[0] == '\0'))
    return report_required (CM_ERROR_MISSING_FIELD, CM_MEMBER_MOBILE_PHONE,
                            _("A PIN by text message needs a mobile number."), error);
  return TRUE;
}

char *
cm_format_phone (const char *value)
{
  g_autofree char *digits = NULL;

  if (!cm_validate_phone (value, TRUE, CM_MEMBER_WORK_PHONE, &digits, NULL))
    return g_strdup (value != NULL ? value : "");
  return g_strdup_printf ("(%.3s) %.3s-%.4s", digits, digits + 3, digits + 6);
}
