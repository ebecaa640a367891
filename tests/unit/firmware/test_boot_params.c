// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "firmware/boot_params.h"
#include "firmware/e820.h"
#include "firmware/pvh.h"

static struct guest_mem mem_of(u64 low, u64 high)
{
	struct guest_mem m = { 0 };
	static u8 dummy;

	guest_mem_add(&m, 0, &dummy, low);
	if (high)
		guest_mem_add(&m, 4 * SZ_1G, &dummy, high);
	return m;
}

static void test_e820_layout(void **state)
{
	struct guest_mem m = mem_of(512 * SZ_1M, 0);
	struct e820_map map;

	assert_int_equal(e820_build(&map, &m), 0);
	assert_int_equal(map.nr, 4);
	assert_int_equal(map.entries[0].addr, 0);
	assert_int_equal(map.entries[0].size, 0x9fc00);
	assert_int_equal(map.entries[0].type, E820_RAM);
	assert_int_equal(map.entries[1].addr, 0x9fc00);
	assert_int_equal(map.entries[1].addr + map.entries[1].size, 0x100000);
	assert_int_equal(map.entries[1].type, E820_RESERVED);
	assert_int_equal(map.entries[2].addr, 0x100000);
	assert_int_equal(map.entries[2].addr + map.entries[2].size, 512 * SZ_1M);
	assert_int_equal(map.entries[2].type, E820_RAM);
	/* The PCI ECAM window, reserved so that Linux accepts the MCFG. */
	assert_int_equal(map.entries[3].addr, 0xe0000000);
	assert_int_equal(map.entries[3].size, SZ_1M);
	assert_int_equal(map.entries[3].type, E820_RESERVED);
}

static void test_e820_above_4g(void **state)
{
	struct guest_mem m = mem_of(3 * SZ_1G, SZ_1G);
	struct e820_map map;

	unsigned int i;

	assert_int_equal(e820_build(&map, &m), 0);
	assert_int_equal(map.nr, 5);
	/* Sorted: the ECAM window in the hole comes before RAM above 4G. */
	assert_int_equal(map.entries[3].addr, 0xe0000000);
	assert_int_equal(map.entries[3].type, E820_RESERVED);
	assert_int_equal(map.entries[4].addr, 4 * SZ_1G);
	assert_int_equal(map.entries[4].size, SZ_1G);
	assert_int_equal(map.entries[4].type, E820_RAM);
	/* Nothing may claim RAM in the 3G-4G hole. */
	assert_true(map.entries[2].addr + map.entries[2].size <= 3 * SZ_1G);
	for (i = 1; i < map.nr; i++)
		assert_true(map.entries[i - 1].addr + map.entries[i - 1].size <=
			    map.entries[i].addr);
}

static void test_e820_too_small(void **state)
{
	struct guest_mem m = mem_of(0x80000, 0);
	struct e820_map map;

	assert_int_equal(e820_build(&map, &m), -EINVAL);
}

static void test_zero_page(void **state)
{
	struct guest_mem m = mem_of(256 * SZ_1M, 0);
	static u8 zp[BP_SIZE], image[0x300];
	struct boot_params_cfg cfg = {
		.setup_header = image + BP_HDR,
		.setup_header_len = 0x70,
		.cmdline_gpa = 0x20000,
		.cmdline_size = 14,
		.initrd_gpa = 0x8000000,
		.initrd_size = 0x123456,
		.rsdp_gpa = 0xe0000,
	};
	struct e820_map map;
	int i;

	assert_int_equal(e820_build(&map, &m), 0);
	cfg.e820 = &map;
	put_le32(image + BP_HEADER, 0x53726448);
	put_le16(image + BP_VERSION, 0x020f);
	image[BP_LOADFLAGS] = 0x01;
	memset(zp, 0xcc, sizeof(zp));

	assert_int_equal(boot_params_fill(zp, &cfg), 0);
	assert_int_equal(get_le32(zp + BP_HEADER), 0x53726448);
	assert_int_equal(get_le16(zp + BP_VERSION), 0x020f);
	assert_int_equal(zp[BP_TYPE_OF_LOADER], 0xff);
	assert_int_equal(zp[BP_LOADFLAGS] & 0x81, 0x81);
	assert_int_equal(get_le32(zp + BP_CMD_LINE_PTR), 0x20000);
	assert_int_equal(get_le32(zp + BP_RAMDISK_IMAGE), 0x8000000);
	assert_int_equal(get_le32(zp + BP_RAMDISK_SIZE), 0x123456);
	assert_int_equal(get_le64(zp + BP_ACPI_RSDP_ADDR), 0xe0000);
	assert_int_equal(zp[BP_E820_ENTRIES], 4);	/* RAM, hole, RAM, ECAM */
	for (i = 0; i < 4; i++) {
		u8 *e = zp + BP_E820_TABLE + i * 20;

		assert_int_equal(get_le64(e), map.entries[i].addr);
		assert_int_equal(get_le64(e + 8), map.entries[i].size);
		assert_int_equal(get_le32(e + 16), map.entries[i].type);
	}
	/* Stale bytes are gone: what the loader did not set is zero. */
	assert_int_equal(zp[0], 0);
	assert_int_equal(zp[BP_E820_TABLE + 4 * 20], 0);
}

static void test_zero_page_rejects(void **state)
{
	static u8 zp[BP_SIZE], image[0x300];
	struct e820_map map = { .nr = 1 };
	struct boot_params_cfg cfg = {
		.setup_header = image, .setup_header_len = 0x70, .e820 = &map,
	};

	cfg.setup_header_len = BP_SIZE;
	assert_int_equal(boot_params_fill(zp, &cfg), -EINVAL);
	cfg.setup_header_len = 0x70;
	cfg.initrd_gpa = 0xfff00000;
	cfg.initrd_size = 0x200000;	/* ends above 4G: no 32-bit field */
	assert_int_equal(boot_params_fill(zp, &cfg), -EINVAL);
}

static void test_pvh_start_info(void **state)
{
	struct guest_mem m = mem_of(64 * SZ_1M, 0);
	struct pvh_start_info si;
	struct pvh_module mod;
	struct pvh_memmap_entry e;
	static u8 buf[0x1000];
	struct e820_map map;
	int used;

	assert_int_equal(e820_build(&map, &m), 0);
	used = pvh_build(buf, sizeof(buf), 0x6000, &map, 0x20000, 0x3000000,
			 4096, 0xe0000);
	assert_true(used > 0);
	memcpy(&si, buf, sizeof(si));
	assert_int_equal(si.magic, PVH_START_MAGIC);
	assert_int_equal(si.version, 1);
	assert_int_equal(si.cmdline_paddr, 0x20000);
	assert_int_equal(si.rsdp_paddr, 0xe0000);
	assert_int_equal(si.nr_modules, 1);
	memcpy(&mod, buf + (si.modlist_paddr - 0x6000), sizeof(mod));
	assert_int_equal(mod.paddr, 0x3000000);
	assert_int_equal(mod.size, 4096);
	assert_int_equal(si.memmap_entries, 4);
	memcpy(&e, buf + (si.memmap_paddr - 0x6000) + 2 * sizeof(e), sizeof(e));
	assert_int_equal(e.addr, 0x100000);
	assert_int_equal(e.type, E820_RAM);

	used = pvh_build(buf, sizeof(buf), 0x6000, &map, 0x20000, 0, 0, 0);
	memcpy(&si, buf, sizeof(si));
	assert_int_equal(si.nr_modules, 0);
	assert_int_equal(pvh_build(buf, 32, 0x6000, &map, 0, 0, 0, 0), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_e820_layout),
		cmocka_unit_test(test_e820_above_4g),
		cmocka_unit_test(test_e820_too_small),
		cmocka_unit_test(test_zero_page),
		cmocka_unit_test(test_zero_page_rejects),
		cmocka_unit_test(test_pvh_start_info),
	};

	return cmocka_run_group_tests_name("firmware/boot_params", tests, NULL,
					   NULL);
}
