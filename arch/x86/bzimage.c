// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

#include "arch/x86/boot.h"
#include "firmware/boot_params.h"

#define HDRS_MAGIC 0x53726448	/* "HdrS" */
#define BOOT_FLAG 0xaa55
/* 2.12 brought xloadflags, and with it the 64-bit entry point. */
#define MIN_BOOT_PROTOCOL 0x020c

int bzimage_parse(const u8 *buf, size_t size, struct bzimage_info *info,
		  const char **why)
{
	u32 setup_size;

	if (size < 0x300 || get_le32(buf + BP_HEADER) != HDRS_MAGIC) {
		*why = "no Linux boot header (HdrS)";
		return -EINVAL;
	}
	info->version = get_le16(buf + BP_VERSION);
	if (get_le16(buf + BP_BOOT_FLAG) != BOOT_FLAG) {
		*why = "boot sector signature 0xAA55 missing";
		return -EINVAL;
	}
	if (info->version < MIN_BOOT_PROTOCOL) {
		*why = "boot protocol older than 2.12, no 64-bit entry";
		return -EINVAL;
	}
	info->xloadflags = get_le16(buf + BP_XLOADFLAGS);
	if (!(info->xloadflags & XLF_KERNEL_64)) {
		*why = "not a 64-bit kernel (xloadflags)";
		return -EINVAL;
	}
	info->setup_sects = buf[BP_SETUP_SECTS] ? buf[BP_SETUP_SECTS] : 4;
	setup_size = (info->setup_sects + 1) * 512;
	if (setup_size >= size) {
		*why = "setup sectors run past the end of the file";
		return -EINVAL;
	}
	info->setup_size = setup_size;
	info->pm_size = size - setup_size;
	/* The header ends where the jump at 0x200 lands. */
	info->header_len = 0x202 + buf[BP_JUMP + 1] - BP_HDR;
	if (BP_HDR + info->header_len > size || info->header_len > 0x80 ||
	    info->header_len < BP_INIT_SIZE + 4 - BP_HDR) {
		*why = "setup header length out of range";
		return -EINVAL;
	}
	info->init_size = get_le32(buf + BP_INIT_SIZE);
	if (info->init_size < info->pm_size)
		info->init_size = info->pm_size;
	info->initrd_addr_max = get_le32(buf + BP_INITRD_ADDR_MAX);
	info->cmdline_size = get_le32(buf + BP_CMDLINE_SIZE) + 1;
	if (info->cmdline_size < 256)
		info->cmdline_size = 256;
	return 0;
}
