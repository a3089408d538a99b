/* cm-sign-up-form.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the sign-up pages share (docs/ui.md, "The wizard"): the window owns
 * one form, the profile page writes into it, the security page reads it to
 * build the request, and neither page holds the other. The form also keeps
 * the draft in GSettings, so a closed window loses nothing.
 *
 * The form never holds a secret: the passwords and the recovery answers go
 * from the security page's own fields straight into the request (and the
 * questions stay with their answers). The draft holds the profile and the
 * User ID only.
 */

#define G_LOG_DOMAIN "cm-sign-up-form"

#include "config.h"

#include "cm-error.h"
#include "cm-protocol.h"
#include "cm-sign-up-form.h"

/* Saves wait for a pause in typing, as the profile's messages do. */
#define SAVE_DELAY_MS 600

typedef enum {
  TEXT_FIRST_NAME,
  TEXT_MIDDLE_INITIAL,
  TEXT_LAST_NAME,
  TEXT_SUFFIX,
  TEXT_EMAIL,
  TEXT_EMAIL_CONFIRM,
  TEXT_WORK_PHONE,
  TEXT_MOBILE_PHONE,
  TEXT_CHALLENGE_ID,
  TEXT_CHALLENGE_ANSWER,
  TEXT_USER_ID,
  N_TEXTS
} Text;

/* @member is the CmSignUpRequest member (and the wire's, and the draft's
 * key); @profile: a field of the profile page an error may name. */
static const struct {
  const char *property;
  const char *member;
  gboolean    profile;
  gboolean    draft;
} texts[N_TEXTS] = {
  { "first-name", CM_MEMBER_FIRST_NAME, TRUE, TRUE },
  { "middle-initial", CM_MEMBER_MIDDLE_INITIAL, TRUE, TRUE },
  { "last-name", CM_MEMBER_LAST_NAME, TRUE, TRUE },
  { "suffix", CM_MEMBER_SUFFIX, TRUE, TRUE },
  { "email", CM_MEMBER_EMAIL, TRUE, TRUE },
  { "email-confirm", CM_MEMBER_EMAIL_CONFIRM, TRUE, TRUE },
  { "work-phone", CM_MEMBER_WORK_PHONE, TRUE, TRUE },
  { "mobile-phone", CM_MEMBER_MOBILE_PHONE, TRUE, TRUE },
  { "challenge-id", CM_MEMBER_CHALLENGE_ID, FALSE, FALSE },
  { "challenge-answer", CM_SIGN_UP_FORM_CHALLENGE_ANSWER, FALSE, FALSE },
  { "user-id", CM_MEMBER_USER_ID, FALSE, TRUE },
};

struct _CmSignUpForm
{
  GObject    parent_instance;

  /* owned, nullable: no schema installed, or a test */
  GSettings *settings;
  /* owned, never NULL */
  char      *texts[N_TEXTS];
  gboolean   terms_accepted;
  gboolean   recovery_email;
  gboolean   recovery_text;

  guint      save_id;
};

G_DEFINE_FINAL_TYPE (CmSignUpForm, cm_sign_up_form, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FIRST_TEXT,
  PROP_TERMS_ACCEPTED = PROP_FIRST_TEXT + N_TEXTS,
  PROP_RECOVERY_EMAIL,
  PROP_RECOVERY_TEXT,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *obj_props[N_PROPS];

enum {
  SIGNAL_PROFILE_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static int
find_text (const char *member)
{
  for (guint i = 0; i < N_TEXTS; i++)
    if (g_strcmp0 (member, texts[i].member) == 0)
      return i;

  return -1;
}

static void
save_draft (CmSignUpForm *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (self->settings == NULL)
    return;

  for (guint i = 0; i < N_TEXTS; i++)
    if (texts[i].draft && *self->texts[i] != '\0')
      g_variant_builder_add (&builder, "{ss}", texts[i].member, self->texts[i]);
  g_settings_set_value (self->settings, "wizard-draft", g_variant_builder_end (&builder));
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  CmSignUpForm *self = CM_SIGN_UP_FORM (user_data);

  self->save_id = 0;
  save_draft (self);

  return G_SOURCE_REMOVE;
}

static void
set_text_at (CmSignUpForm *self,
             Text          text,
             const char   *value)
{
  if (value == NULL)
    value = "";
  if (g_str_equal (self->texts[text], value))
    return;

  g_free (self->texts[text]);
  self->texts[text] = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_FIRST_TEXT + text]);

  if (texts[text].draft && self->settings != NULL)
    {
      g_clear_handle_id (&self->save_id, g_source_remove);
      self->save_id = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
    }
}

static void
set_boolean (CmSignUpForm *self,
             gboolean     *field,
             guint         prop_id,
             gboolean      value)
{
  if (*field == !!value)
    return;

  *field = !!value;
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[prop_id]);
}

static void
restore_draft (CmSignUpForm *self)
{
  g_autoptr(GVariant) draft = NULL;

  if (self->settings == NULL)
    return;

  draft = g_settings_get_value (self->settings, "wizard-draft");
  for (guint i = 0; i < N_TEXTS; i++)
    {
      const char *value = NULL;

      if (texts[i].draft && g_variant_lookup (draft, texts[i].member, "&s", &value))
        {
          g_free (self->texts[i]);
          self->texts[i] = g_strdup (value);
        }
    }
}

static void
cm_sign_up_form_constructed (GObject *object)
{
  G_OBJECT_CLASS (cm_sign_up_form_parent_class)->constructed (object);

  restore_draft (CM_SIGN_UP_FORM (object));
}

static void
cm_sign_up_form_dispose (GObject *object)
{
  CmSignUpForm *self = CM_SIGN_UP_FORM (object);

  /* A window closed within a pause in typing still keeps the last keys. */
  if (self->save_id != 0)
    save_draft (self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cm_sign_up_form_parent_class)->dispose (object);
}

static void
cm_sign_up_form_finalize (GObject *object)
{
  CmSignUpForm *self = CM_SIGN_UP_FORM (object);

  for (guint i = 0; i < N_TEXTS; i++)
    g_free (self->texts[i]);

  G_OBJECT_CLASS (cm_sign_up_form_parent_class)->finalize (object);
}

static void
cm_sign_up_form_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CmSignUpForm *self = CM_SIGN_UP_FORM (object);

  if (prop_id >= PROP_FIRST_TEXT && prop_id < PROP_FIRST_TEXT + N_TEXTS)
    g_value_set_string (value, self->texts[prop_id - PROP_FIRST_TEXT]);
  else if (prop_id == PROP_TERMS_ACCEPTED)
    g_value_set_boolean (value, self->terms_accepted);
  else if (prop_id == PROP_RECOVERY_EMAIL)
    g_value_set_boolean (value, self->recovery_email);
  else if (prop_id == PROP_RECOVERY_TEXT)
    g_value_set_boolean (value, self->recovery_text);
  else if (prop_id == PROP_SETTINGS)
    g_value_set_object (value, self->settings);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cm_sign_up_form_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CmSignUpForm *self = CM_SIGN_UP_FORM (object);

  if (prop_id >= PROP_FIRST_TEXT && prop_id < PROP_FIRST_TEXT + N_TEXTS)
    set_text_at (self, prop_id - PROP_FIRST_TEXT, g_value_get_string (value));
  else if (prop_id == PROP_TERMS_ACCEPTED)
    set_boolean (self, &self->terms_accepted, prop_id, g_value_get_boolean (value));
  else if (prop_id == PROP_RECOVERY_EMAIL)
    set_boolean (self, &self->recovery_email, prop_id, g_value_get_boolean (value));
  else if (prop_id == PROP_RECOVERY_TEXT)
    set_boolean (self, &self->recovery_text, prop_id, g_value_get_boolean (value));
  else if (prop_id == PROP_SETTINGS)
    self->settings = g_value_dup_object (value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cm_sign_up_form_class_init (CmSignUpFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = cm_sign_up_form_constructed;
  object_class->dispose = cm_sign_up_form_dispose;
  object_class->finalize = cm_sign_up_form_finalize;
  object_class->get_property = cm_sign_up_form_get_property;
  object_class->set_property = cm_sign_up_form_set_property;

  /* One string property per text, named after the request's member
   * ("first-name" for first_name), so pages can bind their rows to it. */
  for (guint i = 0; i < N_TEXTS; i++)
    obj_props[PROP_FIRST_TEXT + i] = g_param_spec_string (texts[i].property, NULL, NULL, "",
                                                          flags);
  obj_props[PROP_TERMS_ACCEPTED] = g_param_spec_boolean ("terms-accepted", NULL, NULL, FALSE,
                                                         flags);
  obj_props[PROP_RECOVERY_EMAIL] = g_param_spec_boolean ("recovery-email", NULL, NULL, TRUE,
                                                         flags);
  obj_props[PROP_RECOVERY_TEXT] = g_param_spec_boolean ("recovery-text", NULL, NULL, FALSE,
                                                        flags);
  /**
   * CmSignUpForm:settings:
   *
   * Where the draft is kept; %NULL keeps none.
   */
  obj_props[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, obj_props);

  /**
   * CmSignUpForm::profile-error:
   * @field: the request member the error names, "challenge" for the
   *   verification question, "terms_accepted" for the terms
   * @message: the translated message
   *
   * The back-end refused a field of the profile page; that page shows it.
   */
  signals[SIGNAL_PROFILE_ERROR] =
    g_signal_new ("profile-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
cm_sign_up_form_init (CmSignUpForm *self)
{
  for (guint i = 0; i < N_TEXTS; i++)
    self->texts[i] = g_strdup ("");
  self->recovery_email = TRUE;
}

/**
 * cm_sign_up_form_new:
 * @settings: (nullable): where the draft is kept
 *
 * Returns: (transfer full): a form holding the saved draft, if any
 */
CmSignUpForm *
cm_sign_up_form_new (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CM_TYPE_SIGN_UP_FORM, "settings", settings, NULL);
}

/**
 * cm_sign_up_form_get_text:
 * @member: a text member of #CmSignUpRequest, e.g. "last_name"
 *
 * Returns: the text as typed (not stripped), "" when empty
 */
const char *
cm_sign_up_form_get_text (CmSignUpForm *self,
                          const char   *member)
{
  int text = find_text (member);

  g_return_val_if_fail (CM_IS_SIGN_UP_FORM (self), NULL);
  g_return_val_if_fail (text >= 0, NULL);

  return self->texts[text];
}

void
cm_sign_up_form_set_text (CmSignUpForm *self,
                          const char   *member,
                          const char   *value)
{
  int text = find_text (member);

  g_return_if_fail (CM_IS_SIGN_UP_FORM (self));
  g_return_if_fail (text >= 0);

  set_text_at (self, text, value);
}

/**
 * cm_sign_up_form_fill_request:
 *
 * Copies everything but the secrets into @request, stripped: the profile,
 * the verification answer, the terms, the User ID and the recovery choices.
 */
void
cm_sign_up_form_fill_request (CmSignUpForm    *self,
                              CmSignUpRequest *request)
{
  char **members[N_TEXTS];

  g_return_if_fail (CM_IS_SIGN_UP_FORM (self));
  g_return_if_fail (request != NULL);

    members[TEXT_FIRST_NAME] = &request->first_name;
  members[TEXT_MIDDLE_INITIAL] = &request->middle_initial;
  members[TEXT_LAST_NAME] = &request->last_name;
  members[TEXT_SUFFIX] = &request->suffix;
  members[TEXT_EMAIL] = &request->email;
  members[TEXT_EMAIL_CONFIRM] = &request->email_confirm;
  members[TEXT_WORK_PHONE] = &request->work_phone;
  members[TEXT_MOBILE_PHONE] = &request->mobile_phone;
  members[TEXT_CHALLENGE_ID] = &request->challenge_id;
  members[TEXT_CHALLENGE_ANSWER] = &request->challenge_answer;
  members[TEXT_USER_ID] = &request->user_id;

  for (guint i = 0; i < N_TEXTS; i++)
    {
      g_free (*members[i]);
      *members[i] = g_strstrip (g_strdup (self->texts[i]));
    }
  request->terms_accepted = self->terms_accepted;
  request->recovery_email = self->recovery_email;
  /* A PIN by text needs a number to text it to. */
  request->recovery_text = self->recovery_text && *request->mobile_phone != '\0';
}

/**
 * cm_sign_up_form_profile_field_of:
 * @error: an error from creating the account
 *
 * Returns: (nullable): the profile page's field @error is about (as
 *   #CmSignUpForm::profile-error names it), or %NULL
 */
const char *
cm_sign_up_form_profile_field_of (const GError *error)
{
  const char *field;

  g_return_val_if_fail (error != NULL, NULL);

  field = cm_error_get_field (error);
  if (g_error_matches (error, CM_ERROR, CM_ERROR_CHALLENGE_FAILED) ||
      g_strcmp0 (field, CM_MEMBER_CHALLENGE) == 0 || g_strcmp0 (field, CM_MEMBER_ANSWER) == 0 ||
      g_strcmp0 (field, CM_MEMBER_CHALLENGE_ID) == 0)
    return CM_MEMBER_CHALLENGE;

  if (g_error_matches (error, CM_ERROR, CM_ERROR_TERMS_NOT_ACCEPTED) ||
      g_strcmp0 (field, CM_MEMBER_TERMS_ACCEPTED) == 0)
    return CM_MEMBER_TERMS_ACCEPTED;

  for (guint i = 0; i < N_TEXTS; i++)
    if (texts[i].profile && g_strcmp0 (field, texts[i].member) == 0)
      return texts[i].member;

  return NULL;
}

/**
 * cm_sign_up_form_report_profile_error:
 * @field: what cm_sign_up_form_profile_field_of() returned
 * @message: the translated message
 *
 * Emits #CmSignUpForm::profile-error.
 */
void
cm_sign_up_form_report_profile_error (CmSignUpForm *self,
                                      const char   *field,
                                      const char   *message)
{
  g_return_if_fail (CM_IS_SIGN_UP_FORM (self));
  g_return_if_fail (field != NULL);

  g_signal_emit (self, signals[SIGNAL_PROFILE_ERROR], 0, field, message);
}

/**
 * cm_sign_up_form_forget_draft:
 *
 * Forgets the saved draft and step, keeping the fields (the account is
 * created: they are on their way to the back-end).
 */
void
cm_sign_up_form_forget_draft (CmSignUpForm *self)
{
  g_return_if_fail (CM_IS_SIGN_UP_FORM (self));

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (self->settings == NULL)
    return;

  g_settings_reset (self->settings, "wizard-draft");
  g_settings_reset (self->settings, "wizard-step");
}

/**
 * cm_sign_up_form_clear:
 *
 * Empties every field (the pages bound to them follow) and forgets the
 * saved draft and step: the user cancelled, or logged off.
 */
void
cm_sign_up_form_clear (CmSignUpForm *self)
{
  g_return_if_fail (CM_IS_SIGN_UP_FORM (self));

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < N_TEXTS; i++)
    set_text_at (self, i, "");
  set_boolean (self, &self->terms_accepted, PROP_TERMS_ACCEPTED, FALSE);
  set_boolean (self, &self->recovery_email, PROP_RECOVERY_EMAIL, TRUE);
  set_boolean (self, &self->recovery_text, PROP_RECOVERY_TEXT, FALSE);
  g_object_thaw_notify (G_OBJECT (self));

  cm_sign_up_form_forget_draft (self);
}
