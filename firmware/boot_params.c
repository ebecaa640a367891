// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "firmware/boot_params.h"

int boot_params_fill(u8 *zp, const struct boot_params_cfg *cfg)
{
	const struct e820_map *map = cfg->e820;
	unsigned int i;

	if (cfg->setup_header_len > BP_SIZE - BP_HDR ||
	    map->nr > BP_E820_MAX || cfg->initrd_gpa + cfg->initrd_size > (1ULL << 32))
		return -EINVAL;

	memset(zp, 0, BP_SIZE);
	/* The loader hands the kernel its own setup header back, amended. */
	memcpy(zp + BP_HDR, cfg->setup_header, cfg->setup_header_len);

	zp[BP_TYPE_OF_LOADER] = 0xff;	/* "undefined" loader id */
	zp[BP_LOADFLAGS] |= LOADFLAG_LOADED_HIGH | LOADFLAG_CAN_USE_HEAP;
	put_le16(zp + BP_HEAP_END_PTR, 0xfe00 - 0x200);
	put_le32(zp + BP_CMD_LINE_PTR, cfg->cmdline_gpa);
	put_le32(zp + BP_CMDLINE_SIZE, cfg->cmdline_size);
	put_le32(zp + BP_RAMDISK_IMAGE, (u32)cfg->initrd_gpa);
	put_le32(zp + BP_RAMDISK_SIZE, (u32)cfg->initrd_size);
	put_le64(zp + BP_ACPI_RSDP_ADDR, cfg->rsdp_gpa);

	zp[BP_E820_ENTRIES] = map->nr;
	for (i = 0; i < map->nr; i++)
		memcpy(zp + BP_E820_TABLE + i * sizeof(struct e820_entry),
		       &map->entries[i], sizeof(struct e820_entry));
	return 0;
}
