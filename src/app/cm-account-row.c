/* cm-account-row.c: one linked business account in the springboard's list
 * (name; type, number and city; status; linked since; certificate expiry).
 *
 * GTK 4.8's grid view (the springboard's list is one column of it) makes and
 * binds 33 rows at a time, and makes new ones whenever a search changes the
 * rows (docs/benchmarks.md), so a row is kept cheap: its children sit
 * directly in it, laid out by hand (no boxes), the row draws its two icons
 * itself, only the three texts that can be long ellipsize, the texts of an
 * account are made once per account, and what is the same for every row
 * (tooltip, classes) is set once, in its template (data/ui/cm-account-row.ui).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-account-row"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cm-account-row.h"
#include "cm-account-row-private.h"
#include "cm-bidi.h"
#include "cm-protocol.h"

/* The layout, in logical pixels (the row's margins are in its .ui). */
#define COLUMN_SPACING 12
#define LINE_SPACING   3
#define ICON_SIZE     32    /* GTK_ICON_SIZE_LARGE in Adwaita */
#define BUTTON_ICON_SIZE 16

struct _CmAccountRow
{
  GtkWidget  parent_instance;

  /* children, in reading order (owned: unparented in dispose) */
  GtkLabel  *name_label;
  GtkLabel  *subtitle_label;
  GtkLabel  *dates_label;
  GtkLabel  *status_label;
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

/* What a row shows of one account, made once per account and kept on it: a
 * row is bound to an account again each time it scrolls into view or a search
 * brings it back. */
typedef struct
{
  char *subtitle;
  char *dates;           /* nullable */
  char *remove_label;
  char *accessible_name;
} RowTexts;

static void
row_texts_free (gpointer data)
{
  RowTexts *texts = data;

  g_free (texts->subtitle);
  g_free (texts->dates);
  g_free (texts->remove_label);
  g_free (texts->accessible_name);
  g_free (texts);
}

static GQuark
row_texts_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("cm-account-row-texts");
  return quark;
}

/* What a screen reader says for the row: number, name, city and status. */
static char *
dup_accessible_name (CmAccount *account,
                     const char *number)
{
  const char *city = cm_account_get_city (account);
  const char *status = cm_account_status_get_label (cm_account_get_status (account));

  if (city != NULL && *city != '\0')
    /* Translators: how a screen reader names one linked account: its number, the
     * name on it, its city and its status: "Z123456, Emily Hall, Lansing, Active". */
    return g_strdup_printf (_("%s, %s, %s, %s"), number, cm_account_get_name (account), city,
                            status);
  /* Translators: how a screen reader names one linked account with no city: its
   * number, the name on it and its status: "Z123456, Emily Hall, Active". */
  return g_strdup_printf (_("%s, %s, %s"), number, cm_account_get_name (account), status);
}

static char *
dup_subtitle (CmAccount  *account,
              const char *number)
{
  const char *city = cm_account_get_city (account);
  const char *type_label = cm_account_type_get_label (cm_account_get_account_type (account));

  if (city != NULL && *city != '\0')
    /* Translators: type, number and city of an account: "Mechanic · Z123456 · Lansing". */
    return g_strdup_printf (_("%s · %s · %s"), type_label, number, city);
  /* Translators: type and number of an account: "Mechanic · Z123456". */
  return g_strdup_printf (_("%s · %s"), type_label, number);
}

static const RowTexts *
row_texts_get (CmAccount *account)
{
  RowTexts *texts = g_object_get_qdata (G_OBJECT (account), row_texts_quark ());
  g_autofree char *linked = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *number = NULL;

  if (texts != NULL)
    return texts;

  texts = g_new0 (RowTexts, 1);
  /* An account number reads left to right inside an Arabic sentence too. */
  number = cm_bidi_isolate_ltr (cm_account_get_account_number (account));
  texts->subtitle = dup_subtitle (account, number);
  texts->accessible_name = dup_accessible_name (account, number);

  linked = cm_account_format_date (cm_account_get_linked_at (account));
  expires = cm_account_format_date (cm_account_get_certificate_expires (account));
  if (linked != NULL && expires != NULL)
    /* Translators: two dates. */
    texts->dates = g_strdup_printf (_("Linked since %s · Certificate expires %s"), linked,
                                    expires);
  else if (linked != NULL)
    /* Translators: %s is a date. */
    texts->dates = g_strdup_printf (_("Linked since %s"), linked);

  /* Translators: %s is an account number. */
  texts->remove_label = g_strdup_printf (_("Remove Access to %s"), number);

  g_object_set_qdata_full (G_OBJECT (account), row_texts_quark (), texts, row_texts_free);
  return texts;
}

/* ---- layout ------------------------------------------------------------- */

/* The texts ellipsize, so they add nothing to the row's width: the list gives
 * every row its whole width anyway. Measuring them across would lay each one
 * out twice more (GtkLabel measures its widest and its narrowest layout on
 * every call), for a figure nothing uses. */
static void
cm_account_row_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  CmAccountRow *self = CM_ACCOUNT_ROW (widget);
  GtkWidget *ends[] = { GTK_WIDGET (self->status_label), self->remove_button };
  int min = ICON_SIZE, nat = ICON_SIZE;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
        {
          int child_min, child_nat;

          gtk_widget_measure (ends[i], orientation, -1, &child_min, &child_nat, NULL, NULL);
          min += child_min;
          nat += child_nat;
        }
      /* Between the icon, the texts, the status and the button. */
      min += 3 * COLUMN_SPACING;
      nat += 3 * COLUMN_SPACING;
    }
  else
    {
      GtkWidget *lines[] = { GTK_WIDGET (self->name_label), GTK_WIDGET (self->subtitle_label),
                             GTK_WIDGET (self->dates_label) };
      int texts = 0;

      for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
        {
          int child_nat;

          if (!gtk_widget_get_visible (lines[i]))
            continue;
          gtk_widget_measure (lines[i], orientation, -1, NULL, &child_nat, NULL, NULL);
          texts += (texts > 0 ? LINE_SPACING : 0) + child_nat;
        }
      nat = MAX (nat, texts);
      for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
        {
          int child_nat;

          gtk_widget_measure (ends[i], orientation, -1, NULL, &child_nat, NULL, NULL);
          nat = MAX (nat, child_nat);
        }
      min = nat;
    }

  *minimum = min;
  *natural = nat;
  *minimum_baseline = -1;
  *natural_baseline = -1;
}

/* Allocates @child at @x, counted from the start (the left, or the right in a
 * right to left language); a @height below 0 means its natural height,
 * centred in the row. */
static void
allocate_child (GtkWidget *child,
                gboolean   rtl,
                int        row_width,
                int        row_height,
                int        x,
                int        y,
                int        width,
                int        height)
{
  if (height < 0)
    {
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
      y = (row_height - height) / 2;
    }
  gtk_widget_size_allocate (child,
                            &(GtkAllocation) { rtl ? row_width - x - width : x, y,
                                               width, height },
                            -1);
}

static void
cm_account_row_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  CmAccountRow *self = CM_ACCOUNT_ROW (widget);
  GtkWidget *lines[] = { GTK_WIDGET (self->name_label), GTK_WIDGET (self->subtitle_label),
                         GTK_WIDGET (self->dates_label) };
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int status_width, button_width, texts_x, texts_width;
  int line_heights[G_N_ELEMENTS (lines)] = { 0 };
  int texts_height = 0;
  int y;

  gtk_widget_measure (GTK_WIDGET (self->status_label), GTK_ORIENTATION_HORIZONTAL, -1, NULL,
                      &status_width, NULL, NULL);
  gtk_widget_measure (self->remove_button, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &button_width,
                      NULL, NULL);
  texts_x = ICON_SIZE + COLUMN_SPACING;
  texts_width = MAX (0, width - texts_x - COLUMN_SPACING - status_width - COLUMN_SPACING -
                        button_width);

  allocate_child (GTK_WIDGET (self->status_label), rtl, width, height,
                  width - button_width - COLUMN_SPACING - status_width, 0, status_width, -1);
  allocate_child (self->remove_button, rtl, width, height, width - button_width, 0,
                  button_width, -1);

  /* The texts, one under the other, centred as a block. */
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      if (!gtk_widget_get_visible (lines[i]))
        continue;
      gtk_widget_measure (lines[i], GTK_ORIENTATION_VERTICAL, -1, NULL, &line_heights[i], NULL,
                          NULL);
      texts_height += (texts_height > 0 ? LINE_SPACING : 0) + line_heights[i];
    }
  y = MAX (0, (height - texts_height) / 2);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      if (!gtk_widget_get_visible (lines[i]))
        continue;
      allocate_child (lines[i], rtl, width, height, texts_x, y, texts_width, line_heights[i]);
      y += line_heights[i] + LINE_SPACING;
    }
}

/* A symbolic icon in @widget's colour, its top left corner at (@x, @y). */
static void
snapshot_icon (GtkWidget   *widget,
               GtkSnapshot *snapshot,
               const char  *icon_name,
               int          size,
               float        x,
               float        y)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  g_autoptr(GtkIconPaintable) icon = NULL;
  GdkRGBA color;

  icon = gtk_icon_theme_lookup_icon (theme, icon_name, NULL, size,
                                     gtk_widget_get_scale_factor (widget),
                                     gtk_widget_get_direction (widget), 0);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot, size, size,
                                            &color, 1);
  gtk_snapshot_restore (snapshot);
}

/* The icons are drawn here rather than by GtkImage children: GTK 4.8's
 * GtkImage asks Pango for font metrics when it is first measured (two per
 * row, as much as the rest of a row's setup), and each child is one more CSS
 * node to style whenever the grid view takes the row into a new list item. */
static void
cm_account_row_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  CmAccountRow *self = CM_ACCOUNT_ROW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  graphene_rect_t button;

  GTK_WIDGET_CLASS (cm_account_row_parent_class)->snapshot (widget, snapshot);

  snapshot_icon (widget, snapshot, "emblem-documents-symbolic", ICON_SIZE,
                 gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL ? width - ICON_SIZE : 0,
                 (height - ICON_SIZE) / 2);
  /* The remove button's icon, over the middle of the button. */
  if (gtk_widget_compute_bounds (self->remove_button, widget, &button))
    snapshot_icon (self->remove_button, snapshot, "user-trash-symbolic", BUTTON_ICON_SIZE,
                   roundf (button.origin.x + (button.size.width - BUTTON_ICON_SIZE) / 2),
                   roundf (button.origin.y + (button.size.height - BUTTON_ICON_SIZE) / 2));
}

static GtkSizeRequestMode
cm_account_row_get_request_mode (GtkWidget *widget)
{
  /* The texts do not wrap: the height does not depend on the width. */
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

/* ---- GObject ------------------------------------------------------------ */

static void
cm_account_row_dispose (GObject *object)
{
  CmAccountRow *self = CM_ACCOUNT_ROW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->name_label = NULL;
  self->subtitle_label = NULL;
  self->dates_label = NULL;
  self->status_label = NULL;
  self->remove_button = NULL;
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

/* Setting an action target on every bind costs a lookup through the action
 * muxer per row, and the grid view rebinds dozens of rows on each filter
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
cm_account_row_class_init (CmAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_account_row_dispose;
  object_class->get_property = cm_account_row_get_property;
  object_class->set_property = cm_account_row_set_property;
  widget_class->measure = cm_account_row_measure;
  widget_class->size_allocate = cm_account_row_size_allocate;
  widget_class->snapshot = cm_account_row_snapshot;
  widget_class->get_request_mode = cm_account_row_get_request_mode;

  obj_props[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, CM_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, obj_props);

  gtk_widget_class_set_css_name (widget_class, "cm-account-row");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/carsmechanic/CarsMechanic/ui/"
                                               "cm-account-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CmAccountRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CmAccountRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, CmAccountRow, dates_label);
  gtk_widget_class_bind_template_child (widget_class, CmAccountRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, CmAccountRow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked_cb);
}

static void
cm_account_row_init (CmAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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
  const RowTexts *texts;

  g_return_if_fail (CM_IS_ACCOUNT_ROW (self));
  g_return_if_fail (account == NULL || CM_IS_ACCOUNT (account));

  if (!g_set_object (&self->account, account))
    return;

  /* Unbound: the texts stay until the next account, which replaces them all. */
  if (account != NULL)
    {
      texts = row_texts_get (account);
      gtk_label_set_text (self->name_label, cm_account_get_name (account));
      gtk_label_set_text (self->subtitle_label, texts->subtitle);
      gtk_label_set_text (self->status_label,
                          cm_account_status_get_label (cm_account_get_status (account)));
      gtk_label_set_text (self->dates_label, texts->dates != NULL ? texts->dates : "");
      gtk_widget_set_visible (GTK_WIDGET (self->dates_label), texts->dates != NULL);
      /* The remove button names its account for a screen reader; the action gets the
       * account when clicked (on_remove_clicked_cb), not on every bind. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, texts->remove_label, -1);
    }

  g_object_notify_by_pspec (G_OBJECT (self), obj_props[PROP_ACCOUNT]);
}

/**
 * cm_account_row_get_accessible_name:
 *
 * Returns: (nullable): what a screen reader calls the row's account (number,
 *   name, city, status), for the list item that holds the row
 */
const char *
cm_account_row_get_accessible_name (CmAccountRow *self)
{
  g_return_val_if_fail (CM_IS_ACCOUNT_ROW (self), NULL);

  if (self->account == NULL)
    return NULL;
  return row_texts_get (self->account)->accessible_name;
}
