/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_FIRMWARE_E820_H
#define KNIT_FIRMWARE_E820_H

#include "kvm/memory.h"

#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3
#define E820_MAX_ENTRIES 16

/* Low RAM ends where the BIOS's extended data area would start. */
#define E820_LOW_RAM_END 0x9fc00ULL
#define E820_HIGH_RAM_START 0x100000ULL

struct e820_entry {
	u64 addr;
	u64 size;
	u32 type;
} __packed;

struct e820_map {
	struct e820_entry entries[E820_MAX_ENTRIES];
	unsigned int nr;
};

/*
 * The map a PC firmware would report for this RAM: the first region is
 * split around the legacy 640K-1M area (reserved: it holds the ACPI
 * tables), every other region is plain RAM, and the PCI ECAM window
 * (arch/x86/layout.h) is reserved. Entries are sorted by address.
 */
int e820_build(struct e820_map *map, const struct guest_mem *mem);

#endif
