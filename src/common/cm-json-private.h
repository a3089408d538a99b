/* cm-json-private.h: the JSON helpers that only the tests call;
 * the app has cm-json.h.
 * (The developers' guide: test-only calls are not in the public header.)
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-json.h"

G_BEGIN_DECLS

GBytes       *cm_json_to_bytes       (JsonNode    *node);

G_END_DECLS
