// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "firmware/pvh.h"

int pvh_build(u8 *buf, size_t size, u64 gpa, const struct e820_map *map,
	      u64 cmdline_gpa, u64 initrd_gpa, u64 initrd_size, u64 rsdp_gpa)
{
	struct pvh_start_info si = {
		.magic = PVH_START_MAGIC,
		.version = 1,
		.cmdline_paddr = cmdline_gpa,
		.rsdp_paddr = rsdp_gpa,
	};
	struct pvh_module mod = { .paddr = initrd_gpa, .size = initrd_size };
	size_t off = sizeof(si);
	unsigned int i;

	if (size < sizeof(si) + sizeof(mod) + map->nr * sizeof(struct pvh_memmap_entry))
		return -ENOSPC;
	memset(buf, 0, size);
	if (initrd_size) {
		si.nr_modules = 1;
		si.modlist_paddr = gpa + off;
		memcpy(buf + off, &mod, sizeof(mod));
		off += sizeof(mod);
	}
	si.memmap_paddr = gpa + off;
	si.memmap_entries = map->nr;
	for (i = 0; i < map->nr; i++) {
		struct pvh_memmap_entry e = {
			.addr = map->entries[i].addr,
			.size = map->entries[i].size,
			.type = map->entries[i].type,
		};

		memcpy(buf + off, &e, sizeof(e));
		off += sizeof(e);
	}
	memcpy(buf, &si, sizeof(si));
	return off;
}
