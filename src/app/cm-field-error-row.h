/* cm-field-error-row.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CM_TYPE_FIELD_ERROR_ROW (cm_field_error_row_get_type ())

G_DECLARE_FINAL_TYPE (CmFieldErrorRow, cm_field_error_row, CM, FIELD_ERROR_ROW,
                      AdwPreferencesRow)

GtkWidget *cm_field_error_row_new       (const char      *message);
GtkWidget *cm_field_error_row_get_label (CmFieldErrorRow *self);

/* The fields in error of a page or window: @shown maps each row in error to its message
 * row (or to itself when the message is its tooltip); made with g_hash_table_new (NULL,
 * NULL) by the owner. */
void       cm_field_errors_show         (GHashTable      *shown,
                                         GtkWidget       *row,
                                         const char      *message);
void       cm_field_errors_clear        (GHashTable      *shown);

G_END_DECLS
