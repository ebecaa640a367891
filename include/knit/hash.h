/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HASH_H
#define KNIT_HASH_H

#include "knit/util.h"

#define FNV1A_SEED	2166136261u

/* Continue an FNV-1a hash h (start from FNV1A_SEED) over data. */
u32 fnv1a(u32 h, const void *data, size_t len);

#endif
