/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_FIRMWARE_BOOT_PARAMS_H
#define KNIT_FIRMWARE_BOOT_PARAMS_H

#include "firmware/e820.h"
#include "knit/le.h"

/*
 * The x86 Linux boot protocol's "zero page" (Documentation/x86/boot.rst
 * and zero-page.rst): offsets of the fields knit reads or writes.
 */
#define BP_SIZE			4096
#define BP_ACPI_RSDP_ADDR	0x070
#define BP_EXT_RAMDISK_IMAGE	0x0c0
#define BP_EXT_RAMDISK_SIZE	0x0c4
#define BP_EXT_CMD_LINE_PTR	0x0c8
#define BP_E820_ENTRIES		0x1e8
#define BP_HDR			0x1f1	/* setup header, as in the image */
#define BP_SETUP_SECTS		0x1f1
#define BP_BOOT_FLAG		0x1fe
#define BP_JUMP			0x200
#define BP_HEADER		0x202
#define BP_VERSION		0x206
#define BP_TYPE_OF_LOADER	0x210
#define BP_LOADFLAGS		0x211
#define BP_CODE32_START		0x214
#define BP_RAMDISK_IMAGE	0x218
#define BP_RAMDISK_SIZE		0x21c
#define BP_HEAP_END_PTR		0x224
#define BP_CMD_LINE_PTR		0x228
#define BP_INITRD_ADDR_MAX	0x22c
#define BP_KERNEL_ALIGNMENT	0x230
#define BP_RELOCATABLE		0x234
#define BP_XLOADFLAGS		0x236
#define BP_CMDLINE_SIZE		0x238
#define BP_PAYLOAD_OFFSET	0x248
#define BP_PAYLOAD_LENGTH	0x24c
#define BP_PREF_ADDRESS		0x258
#define BP_INIT_SIZE		0x260
#define BP_E820_TABLE		0x2d0
#define BP_E820_MAX		128

#define LOADFLAG_LOADED_HIGH	0x01
#define LOADFLAG_CAN_USE_HEAP	0x80
#define XLF_KERNEL_64		0x01

struct boot_params_cfg {
	const u8 *setup_header;	/* the image's bytes from BP_HDR on */
	size_t setup_header_len;
	u32 cmdline_gpa;
	u32 cmdline_size;	/* including the NUL */
	u64 initrd_gpa;
	u64 initrd_size;
	u64 rsdp_gpa;
	const struct e820_map *e820;
};

/* Fill a zero page as a boot loader hands it to a 64-bit entry point. */
int boot_params_fill(u8 *zp, const struct boot_params_cfg *cfg);


#endif
