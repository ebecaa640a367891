/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_X86_BOOT_H
#define KNIT_X86_BOOT_H

#include "knit/util.h"
#include "kvm/memory.h"

struct knit_config;

enum kernel_format {
	KERNEL_BZIMAGE,
	KERNEL_ELF,
};

/* What a bzImage's setup header says about loading it. */
struct bzimage_info {
	u16 version;
	u8 setup_sects;
	u32 setup_size;		/* (setup_sects + 1) * 512 */
	u32 pm_size;		/* protected-mode code after setup */
	u32 init_size;		/* memory the kernel needs from its load address */
	u32 initrd_addr_max;
	u32 cmdline_size;	/* longest command line, with the NUL */
	u32 header_len;		/* setup header bytes from 0x1f1 */
	u8 xloadflags;
};

#define ELF_MAX_SEGMENTS 16

struct elf_segment {
	u64 offset;
	u64 paddr;
	u64 filesz;
	u64 memsz;
};

struct elf_info {
	u64 entry;		/* PVH 32-bit entry point */
	bool pvh;		/* a PVH note was found */
	unsigned int nr_segments;
	struct elf_segment segments[ELF_MAX_SEGMENTS];
	u64 end;		/* highest paddr + memsz */
};

/* -EINVAL with *why set when buf is not a bootable kernel of that kind. */
int bzimage_parse(const u8 *buf, size_t size, struct bzimage_info *info,
		  const char **why);
int elf_parse(const u8 *buf, size_t size, struct elf_info *info,
	      const char **why);

/* A kernel read into memory and checked, with its initrd's size. */
struct x86_boot {
	enum kernel_format format;
	u8 *image;
	size_t image_size;
	struct bzimage_info bz;
	struct elf_info elf;
	const char *initrd_path;
	u64 initrd_size;
	u64 initrd_gpa;		/* planned */
	u64 kernel_end;		/* first byte above the kernel's footprint */
	const char *cmdline;
	u32 cmdline_size;	/* longest accepted, with the NUL */
};

/*
 * Where the initrd goes: as high as possible below limit (page aligned),
 * above kernel_end. -ENOSPC if it does not fit.
 */
int boot_plan_initrd(u64 kernel_end, u64 limit, u64 initrd_size, u64 *gpa);

int x86_boot_load(struct x86_boot *b, const struct guest_mem *mem,
		  u64 rsdp_gpa, u64 *entry_ip, u64 *entry_arg);

#endif
