/* cm-confirmation-printer.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CM_TYPE_CONFIRMATION_PRINTER (cm_confirmation_printer_get_type ())

G_DECLARE_FINAL_TYPE (CmConfirmationPrinter, cm_confirmation_printer, CM, CONFIRMATION_PRINTER,
                      GObject)

CmConfirmationPrinter *cm_confirmation_printer_new       (const char             *title);
void                   cm_confirmation_printer_add_line  (CmConfirmationPrinter  *self,
                                                          const char             *label,
                                                          const char             *value);
GtkPrintOperation     *cm_confirmation_printer_create_operation (CmConfirmationPrinter *self);
char                  *cm_confirmation_printer_draw_page (CmConfirmationPrinter  *self,
                                                          cairo_t                *cr,
                                                          double                  width);
void                   cm_confirmation_printer_show      (CmConfirmationPrinter  *self,
                                                          GtkWindow              *parent);

G_END_DECLS
