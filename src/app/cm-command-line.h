/* cm-command-line.h
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char **cm_command_line_take_links (int    argc,
                                   char **argv);
void   cm_command_line_free       (char **args);

G_END_DECLS
