// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "firmware/e820.h"

static int e820_add(struct e820_map *map, u64 addr, u64 size, u32 type)
{
	if (map->nr == E820_MAX_ENTRIES)
		return -ENOSPC;
	map->entries[map->nr++] = (struct e820_entry){ addr, size, type };
	return 0;
}

int e820_build(struct e820_map *map, const struct guest_mem *mem)
{
	int i, ret = 0;

	memset(map, 0, sizeof(*map));
	for (i = 0; i < mem->nr && !ret; i++) {
		const struct guest_region *r = &mem->regions[i];

		if (r->gpa != 0) {
			ret = e820_add(map, r->gpa, r->size, E820_RAM);
			continue;
		}
		/* Linux needs the legacy hole; knit never makes RAM smaller. */
		if (r->size < E820_HIGH_RAM_START)
			return -EINVAL;
		ret = e820_add(map, 0, E820_LOW_RAM_END, E820_RAM);
		if (!ret)
			ret = e820_add(map, E820_LOW_RAM_END,
				       E820_HIGH_RAM_START - E820_LOW_RAM_END,
				       E820_RESERVED);
		if (!ret && r->size > E820_HIGH_RAM_START)
			ret = e820_add(map, E820_HIGH_RAM_START,
				       r->size - E820_HIGH_RAM_START, E820_RAM);
	}
	return ret;
}
