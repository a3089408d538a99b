/* cm-validate.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Every rule of the State's forms (docs/ui.md, "The State's rules"), once.
 * The pages call these for instant feedback and the server calls them to
 * enforce.
 *
 * Each validator returns TRUE when the input passes. On failure it sets a
 * CM_ERROR whose field (cm_error_get_field()) is the request member name and
 * whose details (cm_error_get_details()) name every rule that failed, e.g.
 * "too_short" and "not_enough_categories" together; the message is a
 * translated sentence about the first of them. Where the input has a
 * canonical form, @normalized (nullable) receives it on success (an empty
 * string for an empty optional field). NULL input counts as empty. Input
 * is trimmed of white space at both ends first (except passwords).
 *
 * An empty required field is CM_ERROR_MISSING_FIELD with the detail
 * "required". Otherwise the codes are: names, email, phone, ZIP and account
 * number CM_ERROR_INVALID_FIELD; email confirmation CM_ERROR_EMAIL_MISMATCH;
 * password CM_ERROR_WEAK_PASSWORD; password confirmation
 * CM_ERROR_PASSWORD_MISMATCH; User ID CM_ERROR_INVALID_USER_ID;
 * authorization code CM_ERROR_INVALID_CODE.
 *
 * Detail names (wire names, stable):
 *   required, too_long, invalid_characters,
 *   invalid_initial, invalid_suffix, invalid_email, invalid_phone, invalid_zip,
 *   mismatch (email and password confirmations),
 *   contains_space, wrong_format, last_name_mismatch, first_initial_mismatch,
 *   too_short, not_enough_categories, contains_user_id, contains_last_name,
 *   wrong_length
 * and, set only by the server: password_reused, common_password.
 *
 * Decisions:
 * - Names: letters of any script (combining accents included), spaces,
 *   apostrophes (' and ’), hyphens and periods, with at least one letter;
 *   at most CM_NAME_MAX_LENGTH characters. First name optional, last name
 *   required. Middle initial: one letter, optionally followed by a period.
 *   Suffix: Jr, Sr, II, III, IV or V, any case, with or without a final
 *   period (a generational suffix is what a name on a State record holds).
 * - Email: one @, non-empty local part and domain, a dot in the domain, no
 *   empty dot-separated part, no white space, control characters or any of
 *   <>()[]\,;:" (they would need quoting in the outbox's mail headers), at
 *   most CM_EMAIL_MAX_LENGTH characters. Normalized: trimmed, domain in lower
 *   case. The confirmation compares normalized forms without case.
 * - Phone: US numbers: digits with spaces, - . and one pair of parentheses
 *   around the area code, optionally preceded by "+1" or "1"; normalized to
 *   10 digits; the area code and the exchange cannot start with 0 or 1.
 *   Letters (e.g. "x123" extensions) are refused.
 * - ZIP: 48909, 48909-1234 or 489091234 (normalized to 48909-1234).
 * - User ID: ASCII letters, then exactly 4 digits, no white space inside
 *   (white space at the ends is dropped), any case; normalized to lower case.
 *   cm_validate_user_id() also checks the letters against the profile: the
 *   last name's letters (transliterated to ASCII: "Müller" gives "muller";
 *   spaces, hyphens, apostrophes and periods dropped), then the first name's
 *   initial. With no first name the User ID is the last name and 4 digits.
 *   A last name with no Latin letters at all is not checked (only the shape).
 * - Password: NFKC first; length in characters; categories A-Z, a-z, 0-9 and
 *   CM_PASSWORD_SPECIAL_CHARACTERS; any other printable character (space,
 *   other punctuation, letters outside A-Z) is allowed and counts in no
 *   category; control, invisible and unassigned characters are refused
 *   (invalid_characters). "Not based on the User ID": contains_user_id when
 *   the password contains the User ID, contains_last_name when it contains
 *   the last name (or the User ID's letters without the final initial), any
 *   case, comparing only the letters of both after transliteration (so
 *   "O'Brien#1" and "S.m.i.t.h" count); the last-name check applies only to
 *   names of at least 3 letters, else every password with "li" in it would
 *   be refused for Li. An empty password fails with CM_ERROR_MISSING_FIELD
 *   and the details required, too_short and not_enough_categories, so a
 *   checklist shows every row unmet. Servers hash and compare the
 *   cm_validate_normalize_password() form.
 * - Authorization code: white space and dashes are dropped, letters upper
 *   cased; characters outside CM_AUTHORIZATION_CODE_ALPHABET (such as 0, O,
 *   1, I, L) are refused with invalid_characters rather than guessed at,
 *   since none of them has a single obvious replacement.
 * - Confirmation numbers: 10 digits as D-DDD-DDD-DDD; a counter above
 *   9,999,999,999 gives NULL (wrapping would repeat numbers).
 */

#define CM_PASSWORD_MIN_LENGTH 8
#define CM_PASSWORD_MAX_LENGTH 128
#define CM_PASSWORD_MIN_CATEGORIES 3
/* The slide's exact list of special characters. */
#define CM_PASSWORD_SPECIAL_CHARACTERS "!$#,%@~^&*_-+=><"
#define CM_NAME_MAX_LENGTH 64
#define CM_EMAIL_MAX_LENGTH 254
/* The longest last name, its first initial and 4 digits */
#define CM_USER_ID_MAX_LENGTH (CM_NAME_MAX_LENGTH + 5)
#define CM_ACCOUNT_NUMBER_MAX_LENGTH 12
#define CM_AUTHORIZATION_CODE_LENGTH 12
/* The digits of a password reset PIN (the back-end sends "%06u"). */
#define CM_RESET_PIN_DIGITS 6
/* No 0/O, 1/I/L, so a code read aloud or from paper is not mistyped. */
#define CM_AUTHORIZATION_CODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

/**
 * CmPasswordRule:
 * @detail: the detail name reported when the rule fails
 * @label: the rule as the checklist shows it, marked with N_(); translate with _()
 *
 * The password guidelines in the order the slide lists them, so a page can
 * build its live checklist without copying the rules: at least 8 characters
 * (too_short), 3 of the 4 categories (not_enough_categories), not one of the
 * last 3 passwords (password_reused), not based on the User ID
 * (contains_user_id). A row is met when cm_validate_password() does not report
 * its detail; the "not based on the User ID" row also stands for
 * contains_last_name. Only the server knows the password history, so a page
 * shows the password_reused row as information, never as met or unmet.
 */
typedef struct
{
  const char *detail;
  const char *label;
} CmPasswordRule;

const CmPasswordRule *cm_validate_get_password_rules (gsize *n_rules);

gboolean  cm_validate_first_name          (const char  *value,
                                           GError     **error);
gboolean  cm_validate_middle_initial      (const char  *value,
                                           GError     **error);
gboolean  cm_validate_last_name           (const char  *value,
                                           GError     **error);
gboolean  cm_validate_suffix              (const char  *value,
                                           GError     **error);
gboolean  cm_validate_email               (const char  *value,
                                           char       **normalized,
                                           GError     **error);
gboolean  cm_validate_email_confirmation  (const char  *email,
                                           const char  *confirmation,
                                           GError     **error);
gboolean  cm_validate_phone               (const char  *value,
                                           gboolean     required,
                                           const char  *field,
                                           char       **normalized,
                                           GError     **error);
gboolean  cm_validate_zip                 (const char  *value,
                                           char       **normalized,
                                           GError     **error);
/* "smithj9999" for John Smith and 9999 (@four_digits <= 9999, printed as %04u);
 * NULL when the last name has no Latin letters. It passes cm_validate_user_id(). */
char     *cm_validate_propose_user_id     (const char  *first_name,
                                           const char  *last_name,
                                           guint        four_digits);
/* The shape only (for sign-in, and the availability check without a profile). */
gboolean  cm_validate_user_id_format      (const char  *user_id,
                                           char       **normalized,
                                           GError     **error);
gboolean  cm_validate_user_id             (const char  *user_id,
                                           const char  *first_name,
                                           const char  *last_name,
                                           char       **normalized,
                                           GError     **error);
/* NFKC; "" for NULL; NULL when not valid UTF-8. */
char     *cm_validate_normalize_password  (const char  *password);
/* @user_id and @last_name are nullable. The field is "password": a change or
 * reset sets "new_password" with cm_error_set_field(). */
gboolean  cm_validate_password            (const char  *password,
                                           const char  *user_id,
                                           const char  *last_name,
                                           GError     **error);
gboolean  cm_validate_password_confirmation (const char *password,
                                             const char *confirmation,
                                             GError    **error);
gboolean  cm_validate_account_number      (const char  *value,
                                           char       **normalized,
                                           GError     **error);
gboolean  cm_validate_authorization_code  (const char  *value,
                                           char       **normalized,
                                           GError     **error);
/* Recovery options of a MILogin account: at least one of a PIN by email, a PIN by text and
 * security questions (@n_questions of them) stays chosen (CM_ERROR_MISSING_FIELD, field
 * "recovery", detail required), and a PIN by text needs @mobile_phone (field
 * "mobile_phone"). */
gboolean  cm_validate_recovery_options    (gboolean     email,
                                           gboolean     text,
                                           guint        n_questions,
                                           const char  *mobile_phone,
                                           GError     **error);
/* Security questions as they are set up: @n_questions of @questions, each with its answer
 * in @answers; every answer given (detail "unanswered") and no question twice (detail
 * "repeated"); CM_ERROR_INVALID_FIELD, field "questions". */
gboolean  cm_validate_security_questions  (const char * const *questions,
                                           const char * const *answers,
                                           guint               n_questions,
                                           GError            **error);
gboolean  cm_validate_reset_pin           (const char  *value,
                                           char       **normalized,
                                           GError     **error);
/* "XXXX-XXXX-XXXX" from any accepted input form; NULL when not a valid code. */
char     *cm_format_authorization_code    (const char  *normalized);
/* "(517) 555-0100" for any accepted form of a phone number; anything else as it is. */
char     *cm_format_phone                 (const char  *value);
/* "0-000-021-028" for 21028; NULL above 9,999,999,999. */
char     *cm_format_confirmation_number   (guint64      counter);

G_END_DECLS
