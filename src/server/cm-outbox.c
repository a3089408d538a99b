/* cm-outbox.c: emails as RFC 5322 .eml files, texts and letters as plain text.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cm-outbox"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "cm-outbox-private.h"

#define FROM_ADDRESS "Michigan Department of State (CARS e-Services) <no-reply@cars-mechanic.invalid>"

struct _CmOutbox
{
  GObject  parent_instance;

  char      *directory;   /* (owned) */
  guint      sequence;    /* keeps names unique within one second */
  guint      writes;
  GPtrArray *rehearsals;  /* (owned) (element-type filename): to remove */
};

/* Rehearsal files go in batches, every this many writes of any kind: removing a file costs
 * the next flush more than making one, and that cost must not fall on the rehearsal. */
#define SWEEP_EVERY 32

G_DEFINE_FINAL_TYPE (CmOutbox, cm_outbox, G_TYPE_OBJECT)

static void
remove_rehearsals (CmOutbox *self)
{
  for (guint i = 0; i < self->rehearsals->len; i++)
    g_unlink (self->rehearsals->pdata[i]);
  g_ptr_array_set_size (self->rehearsals, 0);
}

static void
cm_outbox_finalize (GObject *object)
{
  CmOutbox *self = CM_OUTBOX (object);

  remove_rehearsals (self);
  g_ptr_array_unref (self->rehearsals);
  g_free (self->directory);

  G_OBJECT_CLASS (cm_outbox_parent_class)->finalize (object);
}

static void
cm_outbox_class_init (CmOutboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cm_outbox_finalize;
}

static void
cm_outbox_init (CmOutbox *self)
{
  self->rehearsals = g_ptr_array_new_with_free_func (g_free);
}

CmOutbox *
cm_outbox_new (const char *directory)
{
  CmOutbox *self = g_object_new (CM_TYPE_OUTBOX, NULL);

  self->directory = g_strdup (directory);
  return self;
}

const char *
cm_outbox_get_directory (CmOutbox *self)
{
  g_return_val_if_fail (CM_IS_OUTBOX (self), NULL);
  return self->directory;
}

gboolean
cm_outbox_ensure (CmOutbox  *self,
                  GError   **error)
{
  g_return_val_if_fail (CM_IS_OUTBOX (self), FALSE);

  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    {
      int saved_errno = errno;

      /* G_FILE_ERROR, as a write that fails: the server answers either with 503, a storage
       * fault that ends when the folder is back (ENOTDIR, EACCES, ENOSPC...). */
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create the outbox %s: %s", self->directory, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* RFC 5322 wants English day and month names whatever the locale. */
static char *
format_rfc5322_date (gint64 now)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (now);

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d +0000",
                          days[g_date_time_get_day_of_week (dt) - 1],
                          g_date_time_get_day_of_month (dt),
                          months[g_date_time_get_month (dt) - 1],
                          g_date_time_get_year (dt),
                          g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt),
                          g_date_time_get_second (dt));
}

/* An RFC 2047 encoded word when the header holds anything but printable ASCII. */
static char *
encode_header (const char *value)
{
  g_autofree char *base64 = NULL;

  for (const char *p = value; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || (guchar) *p > 0x7e)
        {
          base64 = g_base64_encode ((const guchar *) value, strlen (value));
          return g_strdup_printf ("=?UTF-8?B?%s?=", base64);
        }
    }
  return g_strdup (value);
}

/* Header values come from our records; a line break in one must not add a header. */
static char *
single_line (const char *value)
{
  char *copy = g_strdup (value != NULL ? value : "");

  g_strdelimit (copy, "\r\n", ' ');
  return copy;
}

static char *
new_path (CmOutbox   *self,
          gint64      now,
          const char *kind,
          const char *extension)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (now);
  g_autofree char *stamp = g_date_time_format (dt, "%Y%m%dT%H%M%SZ");
  g_autofree char *name = NULL;
  guint8 random[4];
  char hex[9];

  randombytes_buf (random, sizeof random);
  sodium_bin2hex (hex, sizeof hex, random, sizeof random);
  name = g_strdup_printf ("%s-%04u-%s-%s.%s", stamp, ++self->sequence % 10000, kind, hex,
                          extension);
  return g_build_filename (self->directory, name, NULL);
}

static char *
write_file (CmOutbox    *self,
            char        *path,
            const char  *contents,
            GError     **error)
{
  g_autofree char *owned_path = path;

  if (!cm_outbox_ensure (self, error))
    return NULL;
  if (++self->writes % SWEEP_EVERY == 0)
    remove_rehearsals (self);
  /* DURABLE: the file is on disk before the transaction that sent it commits. */
  if (!g_file_set_contents_full (owned_path, contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    return NULL;
  g_debug ("Outbox: wrote %s", owned_path);
  return g_steal_pointer (&owned_path);
}

static char *
crlf (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv ("\r\n", lines);
}

char *
cm_outbox_send_email (CmOutbox    *self,
                      gint64       now,
                      const char  *to,
                      const char  *subject,
                      const char  *body,
                      GError     **error)
{
  g_autofree char *date = format_rfc5322_date (now);
  g_autofree char *to_line = single_line (to);
  g_autofree char *subject_line = single_line (subject);
  g_autofree char *subject_encoded = encode_header (subject_line);
  g_autofree char *body_crlf = crlf (body);
  g_autofree char *message = NULL;
  guint8 random[16];
  char hex[33];

  g_return_val_if_fail (CM_IS_OUTBOX (self), NULL);

  randombytes_buf (random, sizeof random);
  sodium_bin2hex (hex, sizeof hex, random, sizeof random);
  message = g_strdup_printf ("Date: %s\r\n"
                             "Message-ID: <%s@cars-mechanic.invalid>\r\n"
                             "From: %s\r\n"
                             "To: %s\r\n"
                             "Subject: %s\r\n"
                             "MIME-Version: 1.0\r\n"
                             "Content-Type: text/plain; charset=UTF-8\r\n"
                             "Content-Transfer-Encoding: 8bit\r\n"
                             "\r\n"
                             "%s\r\n",
                             date, hex, FROM_ADDRESS, to_line, subject_encoded, body_crlf);
  return write_file (self, new_path (self, now, "email", "eml"), message, error);
}

char *
cm_outbox_send_letter (CmOutbox    *self,
                       gint64       now,
                       const char  *name,
                       const char  *mailing_address,
                       const char  *subject,
                       const char  *body,
                       GError     **error)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (now);
  g_autofree char *date = g_date_time_format (dt, "%Y-%m-%d");
  g_autofree char *letter = NULL;

  g_return_val_if_fail (CM_IS_OUTBOX (self), NULL);

  letter = g_strdup_printf ("Michigan Department of State\n"
                            "CARS e-Services\n"
                            "\n"
                            "%s\n"
                            "\n"
                            "%s\n"
                            "%s\n"
                            "\n"
                            "%s\n"
                            "\n"
                            "%s\n",
                            date, name, mailing_address, subject, body);
  return write_file (self, new_path (self, now, "letter", "txt"), letter, error);
}

char *
cm_outbox_send_text (CmOutbox    *self,
                     gint64       now,
                     const char  *phone,
                     const char  *body,
                     GError     **error)
{
  g_autofree char *date = format_rfc5322_date (now);
  g_autofree char *phone_line = single_line (phone);
  g_autofree char *text = NULL;

  g_return_val_if_fail (CM_IS_OUTBOX (self), NULL);

  text = g_strdup_printf ("To: %s\nDate: %s\n\n%s\n", phone_line, date, body);
  return write_file (self, new_path (self, now, "sms", "txt"), text, error);
}

gboolean
cm_outbox_rehearse (CmOutbox    *self,
                    const char  *contents,
                    GError     **error)
{
  g_autofree char *named = NULL;
  g_autofree char *name = NULL;
  char *path;

  g_return_val_if_fail (CM_IS_OUTBOX (self), FALSE);

  /* A new file, as a message makes one, but hidden: no reader of the outbox lists it. */
  named = new_path (self, 0, "rehearsal", "tmp");
  name = g_path_get_basename (named);
  path = write_file (self, g_strconcat (self->directory, G_DIR_SEPARATOR_S ".", name, NULL),
                     contents, error);
  if (path == NULL)
    return FALSE;
  g_ptr_array_add (self->rehearsals, path);
  return TRUE;
}

void
cm_outbox_withdraw (CmOutbox   *self,
                    const char *path)
{
  g_return_if_fail (CM_IS_OUTBOX (self));

  if (path != NULL && g_unlink (path) != 0)
    g_warning ("Could not withdraw %s from the outbox", path);
}
