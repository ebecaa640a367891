// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch/x86/boot.h"
#include "arch/x86/layout.h"
#include "firmware/boot_params.h"
#include "firmware/e820.h"
#include "firmware/pvh.h"
#include "knit/config.h"
#include "kvm/arch.h"

/* Nothing a sane kernel image is larger than. */
#define KERNEL_MAX_SIZE (512 * SZ_1M)
/* A relocatable kernel runs from at least here (LOAD_PHYSICAL_ADDR). */
#define KERNEL_MIN_RUN_ADDR (16 * SZ_1M)

u64 arch_ram_hole_start(void)
{
	return LAYOUT_MMIO_HOLE;
}

int boot_plan_initrd(u64 kernel_end, u64 limit, u64 initrd_size, u64 *gpa)
{
	u64 start;

	if (initrd_size > limit)
		return -ENOSPC;
	start = ALIGN_DOWN(limit - initrd_size, 4096ULL);
	if (start < kernel_end)
		return -ENOSPC;
	*gpa = start;
	return 0;
}

/*
 * Map the kernel file read-only rather than copy it: once it is loaded
 * its pages are dropped, so an 8 MiB bzImage does not stay in knit's
 * resident set for the life of the VM (--reboot faults them back in).
 */
static int map_file(const char *path, u8 **buf, size_t *size)
{
	struct stat st;
	void *p;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		goto out;
	}
	if (st.st_size > (off_t)KERNEL_MAX_SIZE) {
		ret = -EFBIG;
		goto out;
	}
	*size = st.st_size;
	*buf = NULL;
	if (!st.st_size)
		goto out;	/* the format check says what is wrong */
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		ret = -errno;
		goto out;
	}
	*buf = p;
out:
	close(fd);
	return ret;
}

static const char *file_error(int err)
{
	return err == -EINVAL ? "not a regular file" : strerror(-err);
}

static int check_initrd(const struct knit_config *cfg, struct x86_boot *b)
{
	struct stat st;
	int fd;

	fd = open(cfg->initrd, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		pr_err("cannot read initrd '%s' (-i/--initrd): %s", cfg->initrd,
		       strerror(errno));
		if (fd >= 0)
			close(fd);
		return -EINVAL;
	}
	close(fd);
	if (!S_ISREG(st.st_mode)) {
		pr_err("cannot read initrd '%s' (-i/--initrd): not a regular file",
		       cfg->initrd);
		return -EINVAL;
	}
	b->initrd_path = cfg->initrd;
	b->initrd_size = st.st_size;
	return 0;
}

static void size_str(char *buf, size_t len, u64 bytes)
{
	snprintf(buf, len, "%llu MiB",
		 (unsigned long long)((bytes + SZ_1M - 1) >> 20));
}

/* Decide where the kernel and initrd go, or say why they cannot. */
static int plan_memory(const struct knit_config *cfg, struct x86_boot *b)
{
	u64 low_end = MIN(cfg->mem_size, LAYOUT_MMIO_HOLE);
	u64 limit = low_end;
	char need[32], have[32];

	size_str(have, sizeof(have), cfg->mem_size);
	if (b->kernel_end > low_end) {
		size_str(need, sizeof(need), b->kernel_end);
		pr_err("kernel '%s' needs %s of RAM, more than -m/--mem gives (%s)",
		       cfg->kernel, need, have);
		return -EINVAL;
	}
	if (!b->initrd_size)
		return 0;
	if (b->format == KERNEL_BZIMAGE && b->bz.initrd_addr_max)
		limit = MIN(limit, (u64)b->bz.initrd_addr_max + 1);
	if (boot_plan_initrd(b->kernel_end, limit, b->initrd_size,
			     &b->initrd_gpa)) {
		size_str(need, sizeof(need), b->kernel_end + b->initrd_size);
		pr_err("kernel '%s' and initrd '%s' need %s of RAM, more than -m/--mem gives (%s)",
		       cfg->kernel, cfg->initrd, need, have);
		return -EINVAL;
	}
	return 0;
}

int arch_boot_check(const struct knit_config *cfg, void **boot)
{
	struct x86_boot *b = calloc(1, sizeof(*b));
	const char *why = NULL;
	size_t len;
	int ret;

	if (!b)
		return -ENOMEM;
	*boot = b;
	ret = map_file(cfg->kernel, &b->image, &b->image_size);
	if (ret) {
		pr_err("cannot read kernel '%s' (-k/--kernel): %s", cfg->kernel,
		       file_error(ret));
		return -EINVAL;
	}
	if (b->image_size >= 4 && !memcmp(b->image, "\177ELF", 4)) {
		b->format = KERNEL_ELF;
		ret = elf_parse(b->image, b->image_size, &b->elf, &why);
		b->kernel_end = b->elf.end;
		b->cmdline_size = LAYOUT_CMDLINE_MAX;
	} else {
		b->format = KERNEL_BZIMAGE;
		ret = bzimage_parse(b->image, b->image_size, &b->bz, &why);
		if (!ret) {
			u64 run = MAX(LAYOUT_KERNEL, KERNEL_MIN_RUN_ADDR);
			u64 pref = get_le64(b->image + BP_PREF_ADDRESS);

			if (pref > run && pref < LAYOUT_MMIO_HOLE)
				run = pref;
			b->kernel_end = run + b->bz.init_size;
			b->cmdline_size = MIN(b->bz.cmdline_size,
					      (u32)LAYOUT_CMDLINE_MAX);
		}
	}
	if (ret) {
		pr_err("kernel '%s' (-k/--kernel) is not a bootable x86-64 kernel: %s",
		       cfg->kernel, why);
		return -EINVAL;
	}

	b->cmdline = cfg->params ? cfg->params : "";
	len = strlen(b->cmdline) + 1;
	if (len > b->cmdline_size) {
		pr_err("command line (-p/--params) is %zu bytes, this kernel takes at most %u",
		       len - 1, b->cmdline_size - 1);
		return -EINVAL;
	}
	if (cfg->initrd && check_initrd(cfg, b))
		return -EINVAL;
	return plan_memory(cfg, b);
}

void arch_boot_free(void *boot)
{
	struct x86_boot *b = boot;

	if (!b)
		return;
	if (b->image)
		munmap(b->image, b->image_size);
	free(b);
}

static int load_initrd(struct x86_boot *b, const struct guest_mem *mem)
{
	u8 *dst = guest_ptr(mem, b->initrd_gpa, b->initrd_size);
	u64 done = 0;
	int fd, ret = 0;

	if (!dst)
		return -EFAULT;
	fd = open(b->initrd_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (done < b->initrd_size) {
		ssize_t n = read(fd, dst + done, b->initrd_size - done);

		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;	/* file shrank */
			break;
		}
		done += n;
	}
	close(fd);
	if (ret)
		pr_err("cannot load initrd '%s': %s", b->initrd_path,
		       strerror(-ret));
	return ret;
}

/* The guest has its copy now; give the file's pages back. */
static void drop_image(struct x86_boot *b)
{
	madvise(b->image, b->image_size, MADV_DONTNEED);
}

static int load_elf_segments(struct x86_boot *b, const struct guest_mem *mem)
{
	unsigned int i;

	for (i = 0; i < b->elf.nr_segments; i++) {
		const struct elf_segment *s = &b->elf.segments[i];
		u8 *dst = guest_ptr(mem, s->paddr, s->memsz);

		if (!dst) {
			pr_err("ELF segment at 0x%llx (+0x%llx) is outside guest RAM",
			       (unsigned long long)s->paddr,
			       (unsigned long long)s->memsz);
			return -EFAULT;
		}
		memcpy(dst, b->image + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	return 0;
}

int x86_boot_load(struct x86_boot *b, const struct guest_mem *mem,
		  u64 rsdp_gpa, u64 *entry_ip, u64 *entry_arg)
{
	struct boot_params_cfg bp = {
		.cmdline_gpa = LAYOUT_CMDLINE,
		.cmdline_size = strlen(b->cmdline) + 1,
		.initrd_gpa = b->initrd_gpa,
		.initrd_size = b->initrd_size,
		.rsdp_gpa = rsdp_gpa,
	};
	struct e820_map map;
	u8 *zp;
	int ret;

	ret = e820_build(&map, mem);
	if (ret)
		return ret;
	bp.e820 = &map;
	if (guest_write(mem, LAYOUT_CMDLINE, b->cmdline, bp.cmdline_size))
		return -EFAULT;
	if (b->initrd_size && load_initrd(b, mem))
		return -EIO;

	if (b->format == KERNEL_ELF) {
		ret = load_elf_segments(b, mem);
		if (ret)
			return ret;
		*entry_ip = b->elf.entry;
		*entry_arg = LAYOUT_PVH_INFO;
		ret = pvh_build(guest_ptr(mem, LAYOUT_PVH_INFO,
					  LAYOUT_PVH_INFO_SIZE),
				LAYOUT_PVH_INFO_SIZE, LAYOUT_PVH_INFO, &map,
				LAYOUT_CMDLINE, b->initrd_gpa, b->initrd_size,
				rsdp_gpa);
		drop_image(b);
		return ret < 0 ? ret : 0;
	}
	ret = guest_write(mem, LAYOUT_KERNEL, b->image + b->bz.setup_size,
			  b->bz.pm_size);
	if (ret)
		return ret;
	*entry_ip = LAYOUT_KERNEL + 0x200;	/* startup_64 */
	bp.setup_header = b->image + BP_HDR;
	bp.setup_header_len = b->bz.header_len;
	zp = guest_ptr(mem, LAYOUT_BOOT_PARAMS, BP_SIZE);
	*entry_arg = LAYOUT_BOOT_PARAMS;
	ret = boot_params_fill(zp, &bp);
	drop_image(b);
	return ret;
}
