/* cm-confirmation-printer-private.h: what the tests reach in cm-confirmation-printer that the app does not use
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-confirmation-printer.h"

G_BEGIN_DECLS

void                   cm_confirmation_printer_set_date   (CmConfirmationPrinter *self,
                                                           GDateTime             *date);
gboolean               cm_confirmation_printer_export_pdf (CmConfirmationPrinter *self,
                                                           const char            *filename,
                                                           GError               **error);

G_END_DECLS
