/* cm-plain-text.c: text into the libadwaita 1.2 widgets that read their
 * text as Pango markup (toasts, rows, status page and group descriptions).
 *
 * Error messages, account names, types, cities, masked emails, file names and
 * links come from the back-end, the disk or a URI: as markup, `<a href>`
 * becomes a live link, `<span size="xx-large">` a shout, and `R&D <broken`
 * an empty row and a warning. Every such widget in the app is made here, so
 * the rule lives in one place (tests/app/check-plain-text.py keeps it so).
 * Translated literals go through the same door: a translator's "&" would
 * break a markup row just the same.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-plain-text"

#include "config.h"

#include "cm-plain-text.h"

/* NULL stays NULL (it clears a description). */
static char *
escape (const char *text)
{
  return text != NULL ? g_markup_escape_text (text, -1) : NULL;
}

/**
 * cm_plain_toast_new:
 * @text: what the toast says, shown as it is
 *
 * AdwToast 1.2 has no markup switch (use-markup came in 1.4): the title is
 * escaped instead, so adw_toast_get_title() returns the escaped text.
 *
 * Returns: (transfer full): a new toast
 */
AdwToast *
cm_plain_toast_new (const char *text)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  escaped = escape (text);
  return adw_toast_new (escaped);
}

/**
 * cm_plain_row_new:
 * @row_type: #AdwActionRow, #AdwEntryRow, #AdwComboRow or another
 *   #AdwPreferencesRow type
 *
 * Returns: (transfer floating) (type AdwPreferencesRow): a new row whose
 *   title and subtitle are text, not markup
 */
gpointer
cm_plain_row_new (GType row_type)
{
  g_return_val_if_fail (g_type_is_a (row_type, ADW_TYPE_PREFERENCES_ROW), NULL);

  return g_object_new (row_type, "use-markup", FALSE, NULL);
}

/**
 * cm_plain_set_description:
 * @widget: an #AdwStatusPage or an #AdwPreferencesGroup
 * @text: (nullable): the description, shown as it is; %NULL for none
 *
 * Their descriptions are markup with no switch in 1.2.
 */
void
cm_plain_set_description (GtkWidget  *widget,
                          const char *text)
{
  g_autofree char *escaped = escape (text);

  g_return_if_fail (ADW_IS_STATUS_PAGE (widget) || ADW_IS_PREFERENCES_GROUP (widget));

  g_object_set (widget, "description", escaped, NULL);
}
