/* cm-confirmation-preview.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cm-confirmation-printer.h"

G_BEGIN_DECLS

#define CM_TYPE_CONFIRMATION_PREVIEW (cm_confirmation_preview_get_type ())

G_DECLARE_FINAL_TYPE (CmConfirmationPreview, cm_confirmation_preview, CM, CONFIRMATION_PREVIEW,
                      AdwWindow)

CmConfirmationPreview *cm_confirmation_preview_new (CmConfirmationPrinter *printer,
                                                    GtkWindow             *parent);

G_END_DECLS
