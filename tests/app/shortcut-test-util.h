/* shortcut-test-util.h: the key bindings a widget carries, as text the tests
 * compare: "Escape wizard.back", "<Control>f win.search" (one spelling per
 * key, gtk_accelerator_name()'s).
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

/* "<Control>F5 win.refresh": one key and what it does. */
static inline char *
shortcut_test_key (guint            keyval,
                   GdkModifierType  modifiers,
                   const char      *action)
{
  g_autofree char *accel = gtk_accelerator_name (keyval, modifiers);

  return g_strdup_printf ("%s %s", accel, action);
}

static inline void
shortcut_test_add_trigger (GtkShortcutTrigger *trigger,
                           const char         *action,
                           GHashTable         *keys)
{
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    {
      GtkKeyvalTrigger *keyval = GTK_KEYVAL_TRIGGER (trigger);

      g_hash_table_add (keys, shortcut_test_key (gtk_keyval_trigger_get_keyval (keyval),
                                                 gtk_keyval_trigger_get_modifiers (keyval),
                                                 action));
    }
  else if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    {
      GtkAlternativeTrigger *alternative = GTK_ALTERNATIVE_TRIGGER (trigger);

      shortcut_test_add_trigger (gtk_alternative_trigger_get_first (alternative), action, keys);
      shortcut_test_add_trigger (gtk_alternative_trigger_get_second (alternative), action, keys);
    }
  /* Mnemonics (Alt+letter) are the labels' own. */
}

/* Returns: (transfer full): the keys of @widget's own shortcut controllers
 * (its class's bindings, its parents' included) */
static inline GHashTable *
shortcut_test_keys_of (GtkWidget *widget)
{
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          g_autofree char *name = GTK_IS_NAMED_ACTION (action)
                                  ? g_strdup (gtk_named_action_get_action_name (
                                                GTK_NAMED_ACTION (action)))
                                  : gtk_shortcut_action_to_string (action);

          shortcut_test_add_trigger (gtk_shortcut_get_trigger (shortcut), name, keys);
        }
    }
  return keys;
}
