/* cm-practice-inbox.c: in practice mode, the emails and letters the
 * in-process back-end "sent" (its outbox folder), newest first, with a
 * viewer. The authorization code's link is a button that opens Add Account
 * Access with the code filled in. A CmOutboxWatch keeps the list current.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-practice-inbox"

#include "config.h"

#include <glib/gi18n.h>

#include "cm-access-request.h"
#include "cm-outbox-watch.h"
#include "cm-page.h"
#include "cm-plain-text.h"
#include "cm-practice-inbox-private.h"
#include "cm-protocol.h"

/* Outbox files are small; anything bigger is not ours. */
#define MAX_MESSAGE_SIZE (256 * 1024)

typedef struct
{
  char   *path;
  char   *name;
  char   *title;
  char   *text;
  char   *link;     /* nullable: a valid Add Account Access link */
  gint64  mtime;
} Message;

struct _CmPracticeInbox
{
  AdwWindow     parent_instance;

  /* template widgets */
  GtkListBox   *list;
  GtkStack     *stack;
  GtkWidget    *empty_page;
  AdwLeaflet   *leaflet;
  GtkWidget    *back_button;
  GtkWidget    *list_page;
  GtkWidget    *viewer_page;
  GtkTextView  *viewer;
  GtkWidget    *link_button;

  /* owned */
  char         *outbox_dir;
  CmOutboxWatch *watch;      /* tells when the outbox changed */
  GPtrArray    *messages;     /* Message, newest first */
  guint         folded_id;    /* the idle that shows or hides the back button */
  gint          shown;        /* index in messages, -1 for none */
};

G_DEFINE_FINAL_TYPE (CmPracticeInbox, cm_practice_inbox, ADW_TYPE_WINDOW)

enum {
  SIGNAL_LINK_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
message_free (Message *message)
{
  g_free (message->path);
  g_free (message->name);
  g_free (message->title);
  g_free (message->text);
  g_free (message->link);
  g_free (message);
}

static gint
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const Message *ma = *(const Message **) a;
  const Message *mb = *(const Message **) b;

  if (ma->mtime != mb->mtime)
    return ma->mtime > mb->mtime ? -1 : 1;
  /* The outbox names start with a time stamp and a sequence number. */
  return -g_strcmp0 (ma->name, mb->name);
}

static char *
find_header (const char *text,
             const char *header)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gsize header_len = strlen (header);

  for (guint i = 0; lines[i] != NULL && *g_strchomp (lines[i]) != '\0'; i++)
    if (g_ascii_strncasecmp (lines[i], header, header_len) == 0 && lines[i][header_len] == ':')
      return g_strstrip (g_strdup (lines[i] + header_len + 1));

  return NULL;
}

static char *
find_link (const char *text)
{
  const char *start = strstr (text, CM_URI_ADD_ACCOUNT_ACCESS);
  g_autofree char *candidate = NULL;
  g_autofree char *code = NULL;

  if (start == NULL)
    return NULL;
  candidate = g_strndup (start, strcspn (start, " \t\r\n<>\""));
  /* Only a link that holds a valid code becomes a button. */
  code = cm_add_access_parse_link (candidate);
  if (code == NULL)
    return NULL;

  return g_steal_pointer (&candidate);
}

/* The outbox writes a header that is not plain ASCII as RFC 2047 encoded
 * words (=?UTF-8?B?...?=): an Arabic subject, for one. Decodes the UTF-8
 * base64 ones; anything else stays as it is. */
static char *
decode_header (const char *value)
{
  GString *out = g_string_new (NULL);
  const char *p = value;

  while (*p != '\0')
    {
      const char *start = g_strstr_len (p, -1, "=?");
      const char *end;
      g_autofree char *encoded = NULL;
      g_autofree guchar *decoded = NULL;
      gsize length = 0;

      if (start == NULL || g_ascii_strncasecmp (start, "=?UTF-8?B?", 10) != 0 ||
          (end = strstr (start + 10, "?=")) == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, start - p);
      encoded = g_strndup (start + 10, end - (start + 10));
      decoded = g_base64_decode (encoded, &length);
      if (g_utf8_validate ((const char *) decoded, length, NULL))
        g_string_append_len (out, (const char *) decoded, length);
      else
        g_string_append_len (out, start, end + 2 - start);
      p = end + 2;
    }
  return g_string_free (out, FALSE);
}

static char *
find_decoded_header (const char *text,
                     const char *header)
{
  g_autofree char *value = find_header (text, header);

  return value != NULL ? decode_header (value) : NULL;
}

static Message *
read_message (const char *dir,
              const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_auto(GStrv) crlf = NULL;
  gsize length = 0;
  Message *message;
  gboolean is_email = g_str_has_suffix (name, ".eml");

  if (!cm_outbox_watch_is_message (name))
    return NULL;
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info == NULL || g_file_info_get_size (info) > MAX_MESSAGE_SIZE)
    return NULL;
  if (!g_file_get_contents (path, &contents, &length, NULL) ||
      !g_utf8_validate (contents, length, NULL))
    return NULL;

  message = g_new0 (Message, 1);
  message->path = g_steal_pointer (&path);
  message->name = g_strdup (name);
  crlf = g_strsplit (contents, "\r\n", -1);
  message->text = g_strjoinv ("\n", crlf);
  message->mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  message->link = find_link (message->text);
  if (is_email)
    {
      g_autofree char *subject = find_decoded_header (message->text, "Subject");
      g_autofree char *from = find_decoded_header (message->text, "From");
      g_autofree char *to = find_decoded_header (message->text, "To");
      g_autofree char *date = find_header (message->text, "Date");
      const char *body = strstr (message->text, "\n\n");
      char *shown;

      /* Show what a mail program shows: four headers, then the body. */
      shown = g_strdup_printf ("%s %s\n%s %s\n%s %s\n%s %s\n\n%s",
                               _("From:"), from != NULL ? from : "",
                               _("To:"), to != NULL ? to : "",
                               _("Date:"), date != NULL ? date : "",
                               _("Subject:"), subject != NULL ? subject : "",
                               body != NULL ? body + 2 : message->text);
      g_free (message->text);
      message->text = shown;

      /* Translators: %s is an email's subject. */
      message->title = g_strdup_printf (_("Email: %s"), subject != NULL ? subject : "");
    }
  else
    {
      /* Translators: a letter sent by postal mail, as opposed to an email. */
      message->title = g_strdup (_("Letter"));
    }

  return message;
}

static void
show_message (CmPracticeInbox *self,
              gint             index)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->viewer);
  Message *message;

  self->shown = index;
  if (index < 0 || (guint) index >= self->messages->len)
    {
      self->shown = -1;
      gtk_text_buffer_set_text (buffer, "", -1);
      gtk_widget_set_visible (self->link_button, FALSE);
      return;
    }

  message = g_ptr_array_index (self->messages, index);
  gtk_text_buffer_set_text (buffer, message->text, -1);
  gtk_widget_set_visible (self->link_button, message->link != NULL);
}

static void
on_row_selected_cb (GtkListBox      *list,
                    GtkListBoxRow   *row,
                    CmPracticeInbox *self)
{
  show_message (self, row != NULL ? gtk_list_box_row_get_index (row) : -1);
}

/* A click or Enter on a message shows it, also when only one side fits. */
static void
on_row_activated_cb (CmPracticeInbox *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->viewer_page);
  gtk_widget_grab_focus (GTK_WIDGET (self->viewer));
}

static gboolean
update_back_button_cb (gpointer data)
{
  CmPracticeInbox *self = data;

  self->folded_id = 0;
  gtk_widget_set_visible (self->back_button,
                          adw_leaflet_get_folded (self->leaflet) &&
                          adw_leaflet_get_visible_child (self->leaflet) == self->viewer_page);
  return G_SOURCE_REMOVE;
}

/* The back button shows when only the message fits. The leaflet folds while
 * it is allocated: showing the button right then would change the header
 * bar in the middle of that layout. */
static void
on_folded_cb (CmPracticeInbox *self)
{
  if (self->folded_id == 0)
    self->folded_id = g_idle_add (update_back_button_cb, self);
}

static void
on_back_clicked_cb (CmPracticeInbox *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);

  adw_leaflet_set_visible_child (self->leaflet, self->list_page);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
on_link_clicked_cb (CmPracticeInbox *self)
{
  Message *message;

  if (self->shown < 0)
    return;
  message = g_ptr_array_index (self->messages, self->shown);
  if (message->link != NULL)
    g_signal_emit (self, signals[SIGNAL_LINK_ACTIVATED], 0, message->link);
}

static void
cm_practice_inbox_real_link_activated (CmPracticeInbox *self,
                                       const char      *link)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GFile) file = NULL;

  /* The same way the desktop hands the link over: GApplication::open. */
  if (app == NULL)
    return;
  file = g_file_new_for_uri (link);
  g_application_open (G_APPLICATION (app), &file, 1, "");
}

void
cm_practice_inbox_reload (CmPracticeInbox *self)
{
  g_autoptr(GDir) dir = NULL;
  g_autofree char *shown_name = NULL;
  const char *name;
  GtkWidget *child;
  gint select = -1;

  g_return_if_fail (CM_IS_PRACTICE_INBOX (self));

  if (self->shown >= 0)
    shown_name = g_strdup (((Message *) g_ptr_array_index (self->messages, self->shown))->name);

  g_ptr_array_set_size (self->messages, 0);
  dir = g_dir_open (self->outbox_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      Message *message = read_message (self->outbox_dir, name);

      if (message != NULL)
        g_ptr_array_add (self->messages, message);
    }
  g_ptr_array_sort (self->messages, compare_newest_first);

  self->shown = -1;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < self->messages->len; i++)
    {
      Message *message = g_ptr_array_index (self->messages, i);
      GtkWidget *row = cm_plain_row_new (ADW_TYPE_ACTION_ROW);
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (message->mtime);
      g_autofree char *subtitle = g_date_time_format (when, "%x %X");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), message->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      /* Activatable (AdwActionRow is not, by default): a click or Enter shows
       * the message when the list and the message take turns. */
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (self->list, row);
      if (g_strcmp0 (message->name, shown_name) == 0)
        select = (gint) i;
    }

  gtk_stack_set_visible_child_name (self->stack, self->messages->len > 0 ? "messages" : "empty");
  if (select < 0 && self->messages->len > 0)
    select = 0;
  if (select >= 0)
    gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, select));
  show_message (self, select);
}

static void
cm_practice_inbox_dispose (GObject *object)
{
  CmPracticeInbox *self = CM_PRACTICE_INBOX (object);

  g_clear_handle_id (&self->folded_id, g_source_remove);
  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  g_clear_object (&self->watch);
  /* The list box selects nothing as its rows go, after the viewer went. */
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);

  G_OBJECT_CLASS (cm_practice_inbox_parent_class)->dispose (object);
}

static void
cm_practice_inbox_finalize (GObject *object)
{
  CmPracticeInbox *self = CM_PRACTICE_INBOX (object);

  g_clear_pointer (&self->messages, g_ptr_array_unref);
  g_clear_pointer (&self->outbox_dir, g_free);

  G_OBJECT_CLASS (cm_practice_inbox_parent_class)->finalize (object);
}

static void
cm_practice_inbox_class_init (CmPracticeInboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cm_practice_inbox_dispose;
  object_class->finalize = cm_practice_inbox_finalize;

  /**
   * CmPracticeInbox::link-activated:
   * @link: the `io.github.carsmechanic:` link of the shown message
   *
   * The default handler opens the link in the app (GApplication::open).
   */
  signals[SIGNAL_LINK_ACTIVATED] =
    g_signal_new_class_handler ("link-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (cm_practice_inbox_real_link_activated),
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/carsmechanic/CarsMechanic/ui/"
                                               "cm-practice-inbox.ui");
  gtk_widget_class_bind_template_child (widget_class, CmPracticeInbox, list);
  gtk_widget_class_bind_template_child (widget_class, CmPracticeInbox, stack);
  gtk_widget_class_bind_template_child (widget_class, CmPracticeInbox, viewer);
  gtk_widget_class_bind_template_child (widget_class, CmPracticeInbox, link_button);
  gtk_widget_class_bind_template_child (widget_class, CmPracticeInbox, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CmPracticeInbox, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CmPracticeInbox, back_button);
  gtk_widget_class_bind_template_child (widget_class, CmPracticeInbox, list_page);
  gtk_widget_class_bind_template_child (widget_class, CmPracticeInbox, viewer_page);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_link_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_cb);

  /* A window of its own that only shows things: Escape closes it, as a dialog. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cm_practice_inbox_init (CmPracticeInbox *self)
{
  self->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) message_free);
  self->shown = -1;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Descriptions are markup in libadwaita 1.2: text goes through cm-plain-text. */
  cm_plain_set_description (self->empty_page,
                            _("Request an authorization code: the email or letter with the "
                              "code shows up here."));
  cm_widget_fix_mnemonic_names (GTK_WIDGET (self));
}

/**
 * cm_practice_inbox_new:
 * @watch: the watch on the practice back-end's outbox (the app has one, for its badge)
 *
 * Returns: (transfer none): a new inbox window (owned by GTK's toplevels)
 */
CmPracticeInbox *
cm_practice_inbox_new (CmOutboxWatch *watch)
{
  CmPracticeInbox *self;

  g_return_val_if_fail (CM_IS_OUTBOX_WATCH (watch), NULL);

  self = g_object_new (CM_TYPE_PRACTICE_INBOX, NULL);
  self->outbox_dir = g_strdup (cm_outbox_watch_get_dir (watch));
  /* The list follows the folder, once a moment after each change. */
  self->watch = g_object_ref (watch);
  g_signal_connect_object (self->watch, "changed", G_CALLBACK (cm_practice_inbox_reload), self,
                           G_CONNECT_SWAPPED);
  cm_practice_inbox_reload (self);

  return self;
}

guint
cm_practice_inbox_get_n_messages (CmPracticeInbox *self)
{
  g_return_val_if_fail (CM_IS_PRACTICE_INBOX (self), 0);

  return self->messages->len;
}

gboolean
cm_practice_inbox_select (CmPracticeInbox *self,
                          guint            index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (CM_IS_PRACTICE_INBOX (self), FALSE);

  row = gtk_list_box_get_row_at_index (self->list, index);
  if (row == NULL)
    return FALSE;
  gtk_list_box_select_row (self->list, row);

  return TRUE;
}

/**
 * cm_practice_inbox_get_shown_text:
 *
 * Returns: (nullable): the text of the message in the viewer
 */
const char *
cm_practice_inbox_get_shown_text (CmPracticeInbox *self)
{
  g_return_val_if_fail (CM_IS_PRACTICE_INBOX (self), NULL);

  if (self->shown < 0)
    return NULL;
  return ((Message *) g_ptr_array_index (self->messages, self->shown))->text;
}

/**
 * cm_practice_inbox_get_shown_link:
 *
 * Returns: (nullable): the Add Account Access link of the shown message
 */
const char *
cm_practice_inbox_get_shown_link (CmPracticeInbox *self)
{
  g_return_val_if_fail (CM_IS_PRACTICE_INBOX (self), NULL);

  if (self->shown < 0)
    return NULL;
  return ((Message *) g_ptr_array_index (self->messages, self->shown))->link;
}
