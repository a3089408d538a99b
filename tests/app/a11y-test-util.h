/* a11y-test-util.h: keyboard and screen reader checks shared by the app's
 * tests: a Tab walk and "no control named twice". The accessible checks
 * need GTK's test backend (GTK_A11Y=test before gtk_init()).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

/* What Tab does in a GtkWindow: the next focusable widget, wrapping round. */
static inline GtkWidget *
a11y_press_tab (GtkWindow *window)
{
  if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
    {
      gtk_window_set_focus (window, NULL);
      gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
    }
  return gtk_root_get_focus (GTK_ROOT (window));
}

/* Tab from the window's start round to the first stop again (at most
 * @max_stops presses); every stop is inside @window.
 * Returns: (transfer container): the widgets that had the focus, in order */
static inline GPtrArray *
a11y_tab_walk (GtkWindow *window,
               guint      max_stops)
{
  GPtrArray *stops = g_ptr_array_new ();

  gtk_window_set_focus (window, NULL);
  for (guint i = 0; i < max_stops; i++)
    {
      GtkWidget *focus = a11y_press_tab (window);

      g_assert_nonnull (focus);
      g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (window)));
      if (stops->len > 0 && focus == g_ptr_array_index (stops, 0))
        return stops;
      g_test_message ("Tab %u: %s %s", i, G_OBJECT_TYPE_NAME (focus), gtk_widget_get_name (focus));
      g_ptr_array_add (stops, focus);
    }
  g_error ("Tab did not come back to its first stop in %u presses", max_stops);
  return stops;
}

/* Whether one of @stops is @widget or inside it. */
static inline gboolean
a11y_stops_reach (GPtrArray *stops,
                  GtkWidget *widget)
{
  for (guint i = 0; i < stops->len; i++)
    {
      GtkWidget *stop = g_ptr_array_index (stops, i);

      if (stop == widget || gtk_widget_is_ancestor (stop, widget))
        return TRUE;
    }
  return FALSE;
}

static inline void
a11y_collect_labels (GtkWidget *widget,
                     GPtrArray *labels)
{
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    g_ptr_array_add (labels, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    a11y_collect_labels (child, labels);
}

static inline guint
a11y_check_named_once (GtkWidget *widget,
                       GPtrArray *labels)
{
  guint n = 1;

  /* An icon button is labelled by its image, which has no words: that is fine. */
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) &&
      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                        GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    for (guint i = 0; i < labels->len; i++)
      {
        g_autofree char *differs = gtk_test_accessible_check_relation (
          GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
          g_ptr_array_index (labels, i), NULL);

        if (differs == NULL)
          g_error ("%s %s has a label and is labelled by \"%s\" too: named twice",
                   G_OBJECT_TYPE_NAME (widget), gtk_widget_get_name (widget),
                   gtk_label_get_text (g_ptr_array_index (labels, i)));
      }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += a11y_check_named_once (child, labels);
  return n;
}

/* GTK 4.8 joins a widget's label property and the text of the label it is
 * labelled by into one name ("Practice Mode Practice Mode"): no widget
 * under @widget may have both. Returns how many widgets it looked at. */
static inline guint
a11y_assert_named_once (GtkWidget *widget)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  a11y_collect_labels (widget, labels);
  g_assert_cmpuint (labels->len, >, 0);
  return a11y_check_named_once (widget, labels);
}
