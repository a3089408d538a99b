/* cm-account-row.c: one linked business account in the springboard's list
 * (name; type, number and city; status; linked since; certificate expiry).
 * The list view recycles rows, so a row only swaps its account.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-account-row"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-account-row.h"
#include "cm-protocol.h"

struct _CmAccountRow
{
  GtkWidget  parent_instance;

  /* widgets (owned: the box is our only child) */
  GtkWidget *box;
  GtkLabel  *name_label;
  GtkLabel  *subtitle_label;
  GtkLabel  *status_label;
  GtkLabel  *dates_label;
  GtkWidget *remove_button;

  /* owned */
  CmAccount *account;
};

G_DEFINE_FINAL_TYPE (CmAccountRow, cm_account_row, GTK_TYPE_WIDGET)

typedef enum {
  PROP_ACCOUNT = 1,
  N_PROPS
} CmAccountRowProperty;

static GParamSpec *obj_props[N_PROPS];

/**
 * cm_account_type_get_label:
 *
 * Returns: the translated name of an account type id
 */
const char *
cm_account_type_get_label (const char *account_type)
{
  if (g_strcmp0 (account_type, CM_ACCOUNT_TYPE_MECHANIC) == 0)
    return _("Mechanic");
  if (g_strcmp0 (account_type, CM_ACCOUNT_TYPE_MECHANIC_SCHOOL) == 0)
    return _("Mechanic School");

  return account_type != NULL ? account_type : "";
}

/**
 * cm_account_status_get_label:
 *
 * Returns: the translated status of an account; an unknown one as the back-end sent it
 */
const char *
cm_account_status_get_label (const char *status)
{
  if (g_strcmp0 (status, "active") == 0)
    return C_("account status", "Active");
  if (g_strcmp0 (status, "suspended") == 0)
    return C_("account status", "Suspended");
  if (g_strcmp0 (status, "expired") == 0)
    return C_("account status", "Expired");
  if (g_strcmp0 (status, "revoked") == 0)
    return C_("account status", "Revoked");

  return status != NULL ? status : "";
}

/**
 * cm_account_format_date:
 * @date: (nullable):
 *
 * Returns: (transfer full) (nullable): the date in the user's locale
 */
char *
cm_account_format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;

  if (date == NULL)
    return NULL;
  local = g_date_time_to_local (date);

  return g_date_time_format (local, "%x");
}

static void
cm_account_row_dispose (GObject *object)
{
  CmAccountRow *self = CM_ACCOUNT_ROW (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (cm_account_row_parent_class)->dispose (object);
}

static void
cm_account_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CmAccountRow *self = CM_ACCOUNT_ROW (object);

  switch ((CmAccountRowProperty) prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_account_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CmAccountRow *self = CM_ACCOUNT_ROW (object);

  switch ((CmAccountRowProperty) prop_id)
    {
    case PROP_ACCOUNT:
      cm_account_row_set_account (self, g_value_get_object (value));
      break;
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cm_account_row_class_init (CmAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_account_row_dispose;
  object_class->get_property = cm_account_row_get_property;
  object_class->set_property = cm_account_row_set_property;

  obj_props[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, CM_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, obj_props);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cm-account-row");
}

static GtkLabel *
new_label (const char *style_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (style_class != NULL)
    gtk_widget_add_css_class (label, style_class);

  return GTK_LABEL (label);
}

/* Setting an action target on every bind costs a lookup through the action
 * muxer per row, and a list view rebinds hundreds of rows on each filter
 * change; the click is rare, so the account is looked up then. */
static void
on_remove_clicked_cb (CmAccountRow *self)
{
  if (self->account == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.remove-access", "(ss)",
                              cm_account_get_account_type (self->account),
                              cm_account_get_account_number (self->account));
}

static void
cm_account_row_init (CmAccountRow *self)
{
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *icon = gtk_image_new_from_icon_name ("emblem-documents-symbolic");

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (self->box, 9);
  gtk_widget_set_margin_bottom (self->box, 9);
  gtk_widget_set_margin_start (self->box, 12);
  gtk_widget_set_margin_end (self->box, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->name_label = new_label ("heading");
  self->subtitle_label = new_label (NULL);
  self->dates_label = new_label ("dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->dates_label), "caption");
  self->status_label = new_label ("cm-account-status");
  gtk_widget_set_valign (GTK_WIDGET (self->status_label), GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (texts, TRUE);

  gtk_image_set_icon_size (GTK_IMAGE (icon), GTK_ICON_SIZE_LARGE);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (texts), GTK_WIDGET (self->name_label));
  gtk_box_append (GTK_BOX (texts), GTK_WIDGET (self->subtitle_label));
  gtk_box_append (GTK_BOX (texts), GTK_WIDGET (self->dates_label));
  gtk_box_append (GTK_BOX (self->box), icon);
  gtk_box_append (GTK_BOX (self->box), texts);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->status_label));

  self->remove_button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_add_css_class (self->remove_button, "flat");
  gtk_widget_set_valign (self->remove_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->remove_button, _("Remove Access"));
  /* The action name is set with its target, in cm_account_row_set_account(). */
  gtk_box_append (GTK_BOX (self->box), self->remove_button);
  g_signal_connect_object (self->remove_button, "clicked", G_CALLBACK (on_remove_clicked_cb),
                           self, G_CONNECT_SWAPPED);
}

CmAccountRow *
cm_account_row_new (void)
{
  return g_object_new (CM_TYPE_ACCOUNT_ROW, NULL);
}

CmAccount *
cm_account_row_get_account (CmAccountRow *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT_ROW (self), NULL);

  return self->account;
}

void
cm_account_row_set_account (CmAccountRow *self,
                            CmAccount    *account)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *linked = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *dates = NULL;
  g_autofree char *label = NULL;
  const char *city;
  const char *type_label;

  g_return_if_fail (CM_IS_ACCOUNT_ROW (self));
  g_return_if_fail (account == NULL || CM_IS_ACCOUNT (account));

  if (!g_set_object (&self->account, account))
    return;

  if (account == NULL)
    {
      g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_ACCOUNT]);
      return;
    }

  city = cm_account_get_city (account);
  type_label = cm_account_type_get_label (cm_account_get_account_type (account));
  if (city != NULL && *city != '\0')
    /* Translators: type, number and city of an account: "Mechanic · Z123456 · Lansing". */
    subtitle = g_strdup_printf (_("%s · %s · %s"), type_label,
                                cm_account_get_account_number (account), city);
  else
    /* Translators: type and number of an account: "Mechanic · Z123456". */
    subtitle = g_strdup_printf (_("%s · %s"), type_label,
                                cm_account_get_account_number (account));

  linked = cm_account_format_date (cm_account_get_linked_at (account));
  expires = cm_account_format_date (cm_account_get_certificate_expires (account));
  if (linked != NULL && expires != NULL)
    /* Translators: two dates. */
    dates = g_strdup_printf (_("Linked since %s · Certificate expires %s"), linked, expires);
  else if (linked != NULL)
    /* Translators: %s is a date. */
    dates = g_strdup_printf (_("Linked since %s"), linked);

  gtk_label_set_text (self->name_label, cm_account_get_name (account));
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_label_set_text (self->status_label,
                      cm_account_status_get_label (cm_account_get_status (account)));
  gtk_label_set_text (self->dates_label, dates != NULL ? dates : "");
  gtk_widget_set_visible (GTK_WIDGET (self->dates_label), dates != NULL);

  /* The remove button names its account for a screen reader; the action gets the
   * account when clicked (on_remove_clicked_cb), not on every bind. */
  /* Translators: %s is an account number. */
  label = g_strdup_printf (_("Remove Access to %s"), cm_account_get_account_number (account));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_ACCOUNT]);
}
