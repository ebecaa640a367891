/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_FIRMWARE_PVH_H
#define KNIT_FIRMWARE_PVH_H

#include "firmware/e820.h"

/* The PVH boot ABI's start_info (Xen's hvm_start_info, version 1). */
#define PVH_START_MAGIC 0x336ec578

struct pvh_start_info {
	u32 magic;
	u32 version;
	u32 flags;
	u32 nr_modules;
	u64 modlist_paddr;
	u64 cmdline_paddr;
	u64 rsdp_paddr;
	u64 memmap_paddr;
	u32 memmap_entries;
	u32 reserved;
} __packed;

struct pvh_module {
	u64 paddr;
	u64 size;
	u64 cmdline_paddr;
	u64 reserved;
} __packed;

struct pvh_memmap_entry {
	u64 addr;
	u64 size;
	u32 type;
	u32 reserved;
} __packed;

/*
 * Lay out start_info, then the module list, then the memory map, in one
 * buffer that the guest will find at gpa. Returns the bytes used.
 */
int pvh_build(u8 *buf, size_t size, u64 gpa, const struct e820_map *map,
	      u64 cmdline_gpa, u64 initrd_gpa, u64 initrd_size, u64 rsdp_gpa);

#endif
