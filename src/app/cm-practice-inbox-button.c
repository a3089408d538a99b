/* cm-practice-inbox-button.c: in practice mode, the header button that opens
 * the Practice Inbox (app.practice-inbox), with a badge that counts what
 * arrived since the inbox was last opened. Hidden outside practice mode.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-practice-inbox-button"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-application.h"
#include "cm-practice-inbox-button.h"

/* More than this shows as "99+": the badge stays small. */
#define BADGE_MAX 99

struct _CmPracticeInboxButton
{
  GtkButton      parent_instance;

  /* template widgets */
  GtkLabel      *badge;

  /* owned */
  CmOutboxWatch *watch;   /* (nullable): none outside practice mode */
};

G_DEFINE_FINAL_TYPE (CmPracticeInboxButton, cm_practice_inbox_button, GTK_TYPE_BUTTON)

static void
update_badge (CmPracticeInboxButton *self)
{
  guint n = self->watch != NULL ? cm_outbox_watch_get_n_unread (self->watch) : 0;
  g_autofree char *count = NULL;
  g_autofree char *name = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self), self->watch != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->badge), n > 0);
  if (n > BADGE_MAX)
    /* Translators: the badge of the Practice Inbox button, for more than 99 messages. */
    count = g_strdup_printf (_("%u+"), BADGE_MAX);
  else
    count = g_strdup_printf ("%u", n);
  gtk_label_set_text (self->badge, count);

  if (n == 0)
    name = g_strdup (_("Practice Inbox"));
  else
    /* Translators: the accessible name of the Practice Inbox button; %u counts new messages. */
    name = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Practice Inbox, %u new message",
                                         "Practice Inbox, %u new messages", n), n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), name);
}

/**
 * cm_practice_inbox_button_set_watch:
 * @watch: (nullable): the practice outbox, or %NULL outside practice mode
 *
 * The button finds its application's watch by itself when it goes into a
 * window of a #CmApplication; tests and other windows set it here.
 */
void
cm_practice_inbox_button_set_watch (CmPracticeInboxButton *self,
                                    CmOutboxWatch         *watch)
{
  g_return_if_fail (CM_IS_PRACTICE_INBOX_BUTTON (self));
  g_return_if_fail (watch == NULL || CM_IS_OUTBOX_WATCH (watch));

  if (self->watch == watch)
    return;
  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  g_set_object (&self->watch, watch);
  if (watch != NULL)
    g_signal_connect_object (watch, "notify::n-unread", G_CALLBACK (update_badge), self,
                             G_CONNECT_SWAPPED);
  update_badge (self);
}

/* The watch of the application of the window the button is in, if any. */
static void
find_watch (CmPracticeInboxButton *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = NULL;
  CmPractice *practice;

  if (self->watch != NULL)
    return;
  if (GTK_IS_WINDOW (root))
    app = gtk_window_get_application (GTK_WINDOW (root));
  practice = CM_IS_APPLICATION (app) ? cm_application_get_practice (CM_APPLICATION (app)) : NULL;
  if (practice != NULL)
    cm_practice_inbox_button_set_watch (self, cm_practice_get_outbox_watch (practice));
}

static void
cm_practice_inbox_button_root (GtkWidget *widget)
{
  CmPracticeInboxButton *self = CM_PRACTICE_INBOX_BUTTON (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (cm_practice_inbox_button_parent_class)->root (widget);

  find_watch (self);
  root = gtk_widget_get_root (widget);
  /* A window built from a template has its content before its application. */
  if (self->watch == NULL && GTK_IS_WINDOW (root))
    g_signal_connect_object (root, "notify::application", G_CALLBACK (find_watch), self,
                             G_CONNECT_SWAPPED);
}

static void
cm_practice_inbox_button_dispose (GObject *object)
{
  CmPracticeInboxButton *self = CM_PRACTICE_INBOX_BUTTON (object);

  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  g_clear_object (&self->watch);

  G_OBJECT_CLASS (cm_practice_inbox_button_parent_class)->dispose (object);
}

static void
cm_practice_inbox_button_class_init (CmPracticeInboxButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_practice_inbox_button_dispose;
  widget_class->root = cm_practice_inbox_button_root;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/ui/cm-practice-inbox-button.ui");
  gtk_widget_class_bind_template_child (widget_class, CmPracticeInboxButton, badge);
}

static void
cm_practice_inbox_button_init (CmPracticeInboxButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
