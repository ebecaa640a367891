// SPDX-License-Identifier: GPL-2.0
#include "knit/hash.h"

/* FNV-1a, 32 bit: small, stable and well spread for short keys. */
u32 fnv1a(u32 h, const void *data, size_t len)
{
	const u8 *p = data;

	while (len--) {
		h ^= *p++;
		h *= 16777619u;
	}
	return h;
}
