// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "arch/x86/layout.h"
#include "firmware/e820.h"

static int e820_add(struct e820_map *map, u64 addr, u64 size, u32 type)
{
	if (map->nr == E820_MAX_ENTRIES)
		return -ENOSPC;
	map->entries[map->nr++] = (struct e820_entry){ addr, size, type };
	return 0;
}

/* Guests take the map as given; keep it in address order. */
static void e820_sort(struct e820_map *map)
{
	unsigned int i, j;

	for (i = 1; i < map->nr; i++) {
		struct e820_entry e = map->entries[i];

		for (j = i; j > 0 && map->entries[j - 1].addr > e.addr; j--)
			map->entries[j] = map->entries[j - 1];
		map->entries[j] = e;
	}
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
	/*
	 * Linux only trusts the MCFG's ECAM window if the map reserves it
	 * (arch/x86/pci/mmconfig-shared.c); it sits in the hole below 4G.
	 */
	if (!ret)
		ret = e820_add(map, LAYOUT_PCI_ECAM, LAYOUT_PCI_ECAM_SIZE,
			       E820_RESERVED);
	e820_sort(map);
	return ret;
}
