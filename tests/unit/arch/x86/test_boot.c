// SPDX-License-Identifier: GPL-2.0
/* bzImage and ELF header parsing, initrd placement; corrupt input too. */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/boot.h"
#include "firmware/boot_params.h"

static u8 img[0x2000];

static void make_bzimage(void)
{
	memset(img, 0, sizeof(img));
	img[BP_SETUP_SECTS] = 3;
	put_le16(img + BP_BOOT_FLAG, 0xaa55);
	img[BP_JUMP] = 0xeb;
	img[BP_JUMP + 1] = 0x6a;	/* header ends at 0x26c */
	put_le32(img + BP_HEADER, 0x53726448);
	put_le16(img + BP_VERSION, 0x020f);
	put_le32(img + BP_INITRD_ADDR_MAX, 0x7fffffff);
	put_le16(img + BP_XLOADFLAGS, XLF_KERNEL_64);
	put_le32(img + BP_CMDLINE_SIZE, 2047);
	put_le32(img + BP_INIT_SIZE, 0x800000);
}

static void test_bzimage_ok(void **state)
{
	struct bzimage_info bz;
	const char *why = NULL;

	make_bzimage();
	assert_int_equal(bzimage_parse(img, sizeof(img), &bz, &why), 0);
	assert_int_equal(bz.setup_size, 4 * 512);
	assert_int_equal(bz.pm_size, sizeof(img) - 4 * 512);
	assert_int_equal(bz.version, 0x020f);
	assert_int_equal(bz.cmdline_size, 2048);
	assert_int_equal(bz.init_size, 0x800000);
	assert_int_equal(bz.header_len, 0x26c - 0x1f1);
	assert_int_equal(bz.initrd_addr_max, 0x7fffffff);
}

static void expect_bad(size_t size)
{
	struct bzimage_info bz;
	const char *why = NULL;

	assert_int_equal(bzimage_parse(img, size, &bz, &why), -EINVAL);
	assert_non_null(why);
}

static void test_bzimage_corrupt(void **state)
{
	make_bzimage();
	expect_bad(0x100);			/* truncated */
	img[BP_HEADER] = 'X';
	expect_bad(sizeof(img));		/* no HdrS */
	make_bzimage();
	put_le16(img + BP_BOOT_FLAG, 0);
	expect_bad(sizeof(img));
	make_bzimage();
	put_le16(img + BP_VERSION, 0x0204);
	expect_bad(sizeof(img));		/* no 64-bit entry */
	make_bzimage();
	put_le16(img + BP_XLOADFLAGS, 0);
	expect_bad(sizeof(img));
	make_bzimage();
	img[BP_SETUP_SECTS] = 0xff;		/* setup past the end */
	expect_bad(sizeof(img));
	make_bzimage();
	img[BP_JUMP + 1] = 0xfe;		/* header length absurd */
	expect_bad(sizeof(img));
	make_bzimage();
	img[BP_JUMP + 1] = 0x10;		/* header too short */
	expect_bad(sizeof(img));
	make_bzimage();
	img[BP_SETUP_SECTS] = 0;		/* 0 means 4, per the protocol */
	{
		struct bzimage_info bz;
		const char *why;

		assert_int_equal(bzimage_parse(img, sizeof(img), &bz, &why), 0);
		assert_int_equal(bz.setup_size, 5 * 512);
	}
}

/* An ELF with one PT_LOAD and one PT_NOTE carrying the PVH entry. */
static size_t make_elf(u8 *buf, bool with_note)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(*eh));
	u8 *note = buf + 0x200;

	memset(buf, 0, 0x1000);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_entry = 0x1000000;
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;
	ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = 0x400,
			      .p_paddr = 0x1000000, .p_filesz = 0x800,
			      .p_memsz = 0x3000 };
	ph[1] = (Elf64_Phdr){ .p_type = with_note ? PT_NOTE : PT_NULL,
			      .p_offset = 0x200, .p_filesz = 20 };
	put_le32(note, 4);
	put_le32(note + 4, 4);
	put_le32(note + 8, 18);
	memcpy(note + 12, "Xen", 4);
	put_le32(note + 16, 0x1000123);
	return 0x1000;
}

static void test_elf_pvh(void **state)
{
	struct elf_info info;
	const char *why = NULL;
	size_t n = make_elf(img, true);

	assert_int_equal(elf_parse(img, n, &info, &why), 0);
	assert_true(info.pvh);
	assert_int_equal(info.entry, 0x1000123);
	assert_int_equal(info.nr_segments, 1);
	assert_int_equal(info.end, 0x1003000);

	/* A static executable is an ELF too, but no kernel knit can enter. */
	n = make_elf(img, false);
	assert_int_equal(elf_parse(img, n, &info, &why), -EINVAL);
	assert_non_null(why);
}

static void expect_bad_elf(size_t n)
{
	struct elf_info info;
	const char *why = NULL;

	assert_int_equal(elf_parse(img, n, &info, &why), -EINVAL);
	assert_non_null(why);
}

static void test_elf_corrupt(void **state)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof(*eh));
	size_t n;

	n = make_elf(img, true);
	expect_bad_elf(40);			/* truncated header */
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	expect_bad_elf(n);
	make_elf(img, true);
	eh->e_machine = EM_AARCH64;
	expect_bad_elf(n);
	make_elf(img, true);
	eh->e_type = ET_DYN;
	expect_bad_elf(n);
	make_elf(img, true);
	eh->e_phnum = 0xffff;			/* headers past the end */
	expect_bad_elf(n);
	make_elf(img, true);
	eh->e_phoff = ~0ULL - 8;
	expect_bad_elf(n);
	make_elf(img, true);
	ph[0].p_filesz = 0x10000;		/* segment past the end */
	expect_bad_elf(n);
	make_elf(img, true);
	ph[0].p_offset = ~0ULL;
	expect_bad_elf(n);
	make_elf(img, true);
	ph[0].p_filesz = ph[0].p_memsz + 1;
	expect_bad_elf(n);
	make_elf(img, true);
	ph[0].p_paddr = ~0ULL - 0x100;		/* wraps */
	expect_bad_elf(n);
	make_elf(img, true);
	ph[0].p_type = PT_NULL;			/* nothing to load */
	expect_bad_elf(n);

	/* A hostile note is not followed: no entry is found in it. */
	make_elf(img, true);
	put_le32(img + 0x200, 0xfffffff0);	/* namesz */
	expect_bad_elf(n);
	make_elf(img, true);
	ph[1].p_offset = n - 4;			/* note runs off the file */
	expect_bad_elf(n);
	make_elf(img, true);
	put_le32(img + 0x200 + 8, 17);		/* some other Xen note */
	expect_bad_elf(n);
}

static void test_initrd_plan(void **state)
{
	u64 gpa;

	assert_int_equal(boot_plan_initrd(0x2000000, 0x10000000, 0x100001, &gpa), 0);
	assert_int_equal(gpa % 4096, 0);
	assert_true(gpa + 0x100001 <= 0x10000000);
	assert_true(gpa >= 0x2000000);
	assert_int_equal(gpa, 0x10000000 - 0x101000);
	/* Exactly fits, then one page too many. */
	assert_int_equal(boot_plan_initrd(0x2000000, 0x3000000, 0x1000000, &gpa), 0);
	assert_int_equal(gpa, 0x2000000);
	assert_int_equal(boot_plan_initrd(0x2000000, 0x3000000, 0x1000001, &gpa),
			 -ENOSPC);
	assert_int_equal(boot_plan_initrd(0, 0x1000, 0x2000, &gpa), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bzimage_ok),
		cmocka_unit_test(test_bzimage_corrupt),
		cmocka_unit_test(test_elf_pvh),
		cmocka_unit_test(test_elf_corrupt),
		cmocka_unit_test(test_initrd_plan),
	};

	return cmocka_run_group_tests_name("arch/x86/boot", tests, NULL, NULL);
}
