/* cm-password-checklist.c
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The password guidelines of the slide as a live checklist, built from
 * cm_validate_get_password_rules() so no rule is copied here, plus a
 * strength meter from zxcvbn.
 */

#define G_LOG_DOMAIN "cm-password-checklist"

#include "config.h"

#include <glib/gi18n.h>
#include <zxcvbn.h>

#include "cm-error.h"
#include "cm-password-checklist-private.h"
#include "cm-validate.h"

typedef enum {
  RULE_UNMET,
  RULE_MET,
  RULE_INFO,
  RULE_FAILED,
} RuleState;

typedef struct
{
  const CmPasswordRule *rule;
  GtkWidget            *box;
  GtkImage             *icon;
  GtkLabel             *label;
  RuleState             state;
} Row;

struct _CmPasswordChecklist
{
  GtkBox       parent_instance;

  /* owned */
  GArray      *rows;      /* Row */

  /* borrowed children */
  GtkLevelBar *level_bar;
  GtkLabel    *strength_label;
  GtkLabel    *feedback_label;

  int          strength;  /* -1 when empty */
  gboolean     reused;
  gboolean     new_account;
};

G_DEFINE_FINAL_TYPE (CmPasswordChecklist, cm_password_checklist, GTK_TYPE_BOX)

typedef enum {
  PROP_NEW_ACCOUNT = 1,
  N_PROPS
} CmPasswordChecklistProperty;

static GParamSpec *obj_props[N_PROPS];

static gboolean
is_history_rule (const Row *row)
{
  return g_strcmp0 (row->rule->detail, "password_reused") == 0;
}

static void
row_set_state (Row       *row,
               RuleState  state)
{
  static const char *icons[] = {
    [RULE_UNMET] = "radio-symbolic",
    [RULE_MET] = "object-select-symbolic",
    [RULE_INFO] = "dialog-information-symbolic",
    [RULE_FAILED] = "dialog-error-symbolic",
  };
  const char *description = NULL;

  row->state = state;
  gtk_image_set_from_icon_name (row->icon, icons[state]);
  gtk_widget_remove_css_class (row->box, "success");
  gtk_widget_remove_css_class (row->box, "error");
  gtk_widget_remove_css_class (row->box, "dim-label");

  switch (state)
    {
    case RULE_UNMET:
      gtk_widget_add_css_class (row->box, "dim-label");
      /* Translators: read by a screen reader after a password rule. */
      description = _("Not met yet");
      break;
    case RULE_MET:
      gtk_widget_add_css_class (row->box, "success");
      /* Translators: read by a screen reader after a password rule. */
      description = _("Met");
      break;
    case RULE_INFO:
      /* Translators: read by a screen reader after the "last 3 passwords" rule. */
      description = _("Checked when you continue");
      break;
    case RULE_FAILED:
      gtk_widget_add_css_class (row->box, "error");
      /* Translators: read by a screen reader after a password rule. */
      description = _("Not met");
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (row->label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static const char *
strength_word (int score)
{
  switch (score)
    {
    /* Translators: password strength, as in "Strength: Very weak". */
    case 0: return C_("password strength", "Very weak");
    case 1: return C_("password strength", "Weak");
    case 2: return C_("password strength", "Fair");
    case 3: return C_("password strength", "Good");
    default: return C_("password strength", "Strong");
    }
}

static const char *
feedback_for (ZxcMatch_t *info)
{
  for (ZxcMatch_t *m = info; m != NULL; m = m->Next)
    {
      switch ((int) m->Type & ~MULTIPLE_MATCH)
        {
        case DICTIONARY_MATCH:
        case DICT_LEET_MATCH:
          return _("Common words are easy to guess, even with symbols swapped in.");
        case USER_MATCH:
        case USER_LEET_MATCH:
          return _("Avoid your name and User ID.");
        case REPEATS_MATCH:
          return _("Repeated characters are easy to guess.");
        case SEQUENCE_MATCH:
          return _("Sequences like “abc” or “1234” are easy to guess.");
        case SPATIAL_MATCH:
          return _("Keyboard patterns like “qwerty” are easy to guess.");
        case DATE_MATCH:
        case YEAR_MATCH:
          return _("Dates and years are easy to guess.");
        default:
          break;
        }
    }

  return NULL;
}

static void
update_strength (CmPasswordChecklist *self,
                 const char          *password,
                 const char          *user_id,
                 const char          *first_name,
                 const char          *last_name)
{
  const char *user_dict[4] = { NULL, };
  ZxcMatch_t *info = NULL;
  const char *feedback;
  g_autofree char *text = NULL;
  guint n = 0;
  double bits;

  if (password == NULL || *password == '\0')
    {
      self->strength = -1;
      gtk_level_bar_set_value (self->level_bar, 0);
      gtk_label_set_text (self->strength_label, "");
      gtk_label_set_text (self->feedback_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->feedback_label), FALSE);
      return;
    }

  if (user_id != NULL && *user_id != '\0')
    user_dict[n++] = user_id;
  if (first_name != NULL && *first_name != '\0')
    user_dict[n++] = first_name;
  if (last_name != NULL && *last_name != '\0')
    user_dict[n++] = last_name;

  bits = ZxcvbnMatch (password, user_dict, &info);
  /* zxcvbn's own score bands, from guesses (10^3, 10^6, 10^8, 10^10) in bits. */
  if (bits < 10)
    self->strength = 0;
  else if (bits < 20)
    self->strength = 1;
  else if (bits < 27)
    self->strength = 2;
  else if (bits < 33)
    self->strength = 3;
  else
    self->strength = 4;

  feedback = self->strength < 3 ? feedback_for (info) : NULL;
  ZxcvbnFreeInfo (info);

  gtk_level_bar_set_value (self->level_bar, self->strength + 1);
  /* Translators: %s is a word such as Weak or Strong. */
  text = g_strdup_printf (_("Strength: %s"), strength_word (self->strength));
  gtk_label_set_text (self->strength_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->level_bar),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                  strength_word (self->strength),
                                  -1);
  gtk_label_set_text (self->feedback_label, feedback ? feedback : "");
  gtk_widget_set_visible (GTK_WIDGET (self->feedback_label), feedback != NULL);
}

static void
cm_password_checklist_finalize (GObject *object)
{
  CmPasswordChecklist *self = CM_PASSWORD_CHECKLIST (object);

  g_clear_pointer (&self->rows, g_array_unref);

  G_OBJECT_CLASS (cm_password_checklist_parent_class)->finalize (object);
}

static void
cm_password_checklist_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CmPasswordChecklist *self = CM_PASSWORD_CHECKLIST (object);

  switch ((CmPasswordChecklistProperty) prop_id)
    {
    case PROP_NEW_ACCOUNT:
      g_value_set_boolean (value, self->new_account);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_password_checklist_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CmPasswordChecklist *self = CM_PASSWORD_CHECKLIST (object);

  switch ((CmPasswordChecklistProperty) prop_id)
    {
    case PROP_NEW_ACCOUNT:
      cm_password_checklist_set_new_account (self, g_value_get_boolean (value));
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_password_checklist_class_init (CmPasswordChecklistClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cm_password_checklist_finalize;
  object_class->get_property = cm_password_checklist_get_property;
  object_class->set_property = cm_password_checklist_set_property;

  /**
   * CmPasswordChecklist:new-account:
   *
   * The password of an account being created: it has no earlier passwords,
   * so the "last 3 passwords" guideline is not shown.
   */
  obj_props[PROP_NEW_ACCOUNT] =
    g_param_spec_boolean ("new-account", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, obj_props);
  gtk_widget_class_set_css_name (widget_class, "cm-password-checklist");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LIST);
}

static void
cm_password_checklist_init (CmPasswordChecklist *self)
{
  const CmPasswordRule *rules;
  GtkWidget *strength_box;
  GtkWidget *heading;
  gsize n_rules = 0;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  self->strength = -1;

  heading = gtk_label_new (_("Password guidelines"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (self), heading);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Password guidelines"), -1);

  rules = cm_validate_get_password_rules (&n_rules);
  for (gsize i = 0; i < n_rules; i++)
    {
      Row row = { 0, };

      row.rule = &rules[i];
      row.box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row.box),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(rules[i].label),
                                      -1);
      row.icon = GTK_IMAGE (gtk_image_new ());
      gtk_accessible_update_state (GTK_ACCESSIBLE (row.icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                                   -1);
      row.label = GTK_LABEL (gtk_label_new (_(rules[i].label)));
      gtk_label_set_wrap (row.label, TRUE);
      gtk_label_set_xalign (row.label, 0.0);
      gtk_widget_set_hexpand (GTK_WIDGET (row.label), TRUE);
      gtk_box_append (GTK_BOX (row.box), GTK_WIDGET (row.icon));
      gtk_box_append (GTK_BOX (row.box), GTK_WIDGET (row.label));
      gtk_widget_set_name (row.box, rules[i].detail);
      gtk_box_append (GTK_BOX (self), row.box);
      g_array_append_val (self->rows, row);
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      /* Only the server knows the history: information, never met or unmet. */
      row_set_state (row, g_strcmp0 (row->rule->detail, "password_reused") == 0 ? RULE_INFO
                                                                                : RULE_UNMET);
    }

  strength_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (strength_box, 6);
  self->level_bar = GTK_LEVEL_BAR (gtk_level_bar_new_for_interval (0, 5));
  gtk_level_bar_set_mode (self->level_bar, GTK_LEVEL_BAR_MODE_DISCRETE);
  gtk_level_bar_add_offset_value (self->level_bar, GTK_LEVEL_BAR_OFFSET_LOW, 2);
  gtk_level_bar_add_offset_value (self->level_bar, GTK_LEVEL_BAR_OFFSET_HIGH, 4);
  gtk_level_bar_add_offset_value (self->level_bar, GTK_LEVEL_BAR_OFFSET_FULL, 5);
  gtk_widget_set_hexpand (GTK_WIDGET (self->level_bar), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->level_bar), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->level_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password strength"),
                                  -1);
  self->strength_label = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_width_chars (self->strength_label, 16);
  gtk_label_set_xalign (self->strength_label, 0.0);
  /* The level bar says the same to screen readers (its value text). */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->strength_label),
                               GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (strength_box), GTK_WIDGET (self->level_bar));
  gtk_box_append (GTK_BOX (strength_box), GTK_WIDGET (self->strength_label));
  gtk_box_append (GTK_BOX (self), strength_box);

  self->feedback_label = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_wrap (self->feedback_label, TRUE);
  gtk_label_set_xalign (self->feedback_label, 0.0);
  gtk_widget_add_css_class (GTK_WIDGET (self->feedback_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->feedback_label), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->feedback_label), FALSE);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->feedback_label));
}

/**
 * cm_password_checklist_update:
 * @user_id: (nullable): the User ID the password must not be based on
 *
 * Ticks each rule that @password meets, as cm_validate_password() sees it.
 */
void
cm_password_checklist_update (CmPasswordChecklist *self,
                              const char          *password,
                              const char          *user_id,
                              const char          *first_name,
                              const char          *last_name)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CM_IS_PASSWORD_CHECKLIST (self));

  cm_validate_password (password, user_id, last_name, &error);
  self->reused = FALSE;

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);
      const char *detail = row->rule->detail;
      gboolean failed;

      if (g_strcmp0 (detail, "password_reused") == 0)
        {
          row_set_state (row, RULE_INFO);
          continue;
        }

      failed = cm_error_has_detail (error, detail);
      /* One row stands for both "not based on the User ID" details. */
      if (g_strcmp0 (detail, "contains_user_id") == 0)
        failed = failed || cm_error_has_detail (error, "contains_last_name");
      /* An empty password meets nothing yet. */
      if (password == NULL || *password == '\0')
        failed = TRUE;

      row_set_state (row, failed ? RULE_UNMET : RULE_MET);
    }

  update_strength (self, password, user_id, first_name, last_name);
}

/**
 * cm_password_checklist_get_rule_met:
 * @detail: a #CmPasswordRule detail name
 */
gboolean
cm_password_checklist_get_rule_met (CmPasswordChecklist *self,
                                    const char          *detail)
{
  g_return_val_if_fail (CM_IS_PASSWORD_CHECKLIST (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      if (g_strcmp0 (row->rule->detail, detail) == 0)
        return row->state == RULE_MET;
    }

  return FALSE;
}

/**
 * cm_password_checklist_get_all_met:
 *
 * Every rule the app can check is met (the history is the server's).
 */
gboolean
cm_password_checklist_get_all_met (CmPasswordChecklist *self)
{
  g_return_val_if_fail (CM_IS_PASSWORD_CHECKLIST (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      if (row->state == RULE_UNMET || row->state == RULE_FAILED)
        return FALSE;
    }

  return TRUE;
}

/**
 * cm_password_checklist_set_reused:
 *
 * Shows the back-end's answer that the password is one of the last 3.
 */
void
cm_password_checklist_set_reused (CmPasswordChecklist *self,
                                  gboolean             reused)
{
  g_return_if_fail (CM_IS_PASSWORD_CHECKLIST (self));

  self->reused = reused;
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      if (g_strcmp0 (row->rule->detail, "password_reused") == 0)
        row_set_state (row, reused ? RULE_FAILED : RULE_INFO);
    }
}

/**
 * cm_password_checklist_set_new_account:
 * @new_account: %TRUE for sign-up, where no password history exists
 */
void
cm_password_checklist_set_new_account (CmPasswordChecklist *self,
                                       gboolean             new_account)
{
  g_return_if_fail (CM_IS_PASSWORD_CHECKLIST (self));

  new_account = !!new_account;
  if (self->new_account == new_account)
    return;
  self->new_account = new_account;
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      if (is_history_rule (row))
        gtk_widget_set_visible (row->box, !new_account);
    }
  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_NEW_ACCOUNT]);
}

/**
 * cm_password_checklist_get_strength:
 *
 * Returns: 0 (very weak) to 4 (strong), or -1 with no password
 */
int
cm_password_checklist_get_strength (CmPasswordChecklist *self)
{
  g_return_val_if_fail (CM_IS_PASSWORD_CHECKLIST (self), -1);

  return self->strength;
}
