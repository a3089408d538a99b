/* cm-outbox-private.h: where the server's emails, texts and letters go.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CM_TYPE_OUTBOX (cm_outbox_get_type ())

G_DECLARE_FINAL_TYPE (CmOutbox, cm_outbox, CM, OUTBOX, GObject)

CmOutbox   *cm_outbox_new          (const char  *directory);
const char *cm_outbox_get_directory (CmOutbox   *self);
/* Creates the folder (0700) when missing. Every error of the outbox is a G_FILE_ERROR. */
gboolean    cm_outbox_ensure       (CmOutbox    *self,
                                    GError     **error);

/* Each returns the path of the file written (durably), or NULL. */
char       *cm_outbox_send_email   (CmOutbox    *self,
                                    gint64       now,
                                    const char  *to,
                                    const char  *subject,
                                    const char  *body,
                                    GError     **error);
char       *cm_outbox_send_letter  (CmOutbox    *self,
                                    gint64       now,
                                    const char  *name,
                                    const char  *mailing_address,
                                    const char  *subject,
                                    const char  *body,
                                    GError     **error);
char       *cm_outbox_send_text    (CmOutbox    *self,
                                    gint64       now,
                                    const char  *phone,
                                    const char  *body,
                                    GError     **error);
/* Withdraws a message whose transaction did not commit. */
/* The work of sending @contents, for nothing: the same durable write to a new hidden file
 * (removed later, in a batch with others); for answers that must not tell whether a message
 * went. */
gboolean    cm_outbox_rehearse     (CmOutbox    *self,
                                    const char  *contents,
                                    GError     **error);
void        cm_outbox_withdraw     (CmOutbox    *self,
                                    const char  *path);

G_END_DECLS
