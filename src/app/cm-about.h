/* cm-about.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cm-application.h"
#include "cm-credential-store.h"

G_BEGIN_DECLS

const char *cm_about_describe_health  (CmCredentialHealth  health);
void        cm_about_present          (CmApplication      *application,
                                       CmCredentialStore  *store);

G_END_DECLS
