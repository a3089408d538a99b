/* cm-rate-limiter-private.h: what the tests see of the rate limiter's front tier.
 *
 * Copyright 2026 The CARS Mechanic authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cm-rate-limiter.h"

G_BEGIN_DECLS

/* Buckets remembered as empty at most (CM_RATE_LIMITER_MAX_EMPTY by default; 0: none). */
void  cm_rate_limiter_set_max_empty     (CmRateLimiter *self,
                                         guint          max_empty);
/* Buckets remembered as empty now. */
guint cm_rate_limiter_get_n_empty       (CmRateLimiter *self);
/* The store's answers learned so far (cm_rate_limiter_learn()): each one a bucket write. */
void  cm_rate_limiter_get_store_answers (CmRateLimiter *self,
                                         guint         *allowed,
                                         guint         *refused);

G_END_DECLS
