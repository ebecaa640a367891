// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <sys/mman.h>

#include "kvm/memory.h"

static u8 low[0x4000], high[0x2000];

static void setup_mem(struct guest_mem *m)
{
	memset(m, 0, sizeof(*m));
	assert_int_equal(guest_mem_add(m, 0, low, sizeof(low)), 0);
	assert_int_equal(guest_mem_add(m, 0x100000000ULL, high, sizeof(high)), 0);
}

static void test_inside(void **state)
{
	struct guest_mem m;
	u8 buf[4] = { 1, 2, 3, 4 };

	setup_mem(&m);
	assert_int_equal(m.ram_size, sizeof(low) + sizeof(high));
	assert_ptr_equal(guest_ptr(&m, 0x10, 4), low + 0x10);
	assert_ptr_equal(guest_ptr(&m, 0x100000000ULL + 8, 8), high + 8);
	assert_int_equal(guest_write(&m, 0x3ffc, buf, 4), 0);
	assert_memory_equal(low + 0x3ffc, buf, 4);
}

static void test_outside(void **state)
{
	struct guest_mem m;
	u8 buf[8];

	setup_mem(&m);
	memset(buf, 0xaa, sizeof(buf));
	/* Straddling the end of a region, or the gap between regions. */
	assert_null(guest_ptr(&m, 0x3ffd, 4));
	assert_int_equal(guest_read(&m, 0x3ffd, buf, 4), -EFAULT);
	assert_int_equal(guest_write(&m, 0x4000, buf, 1), -EFAULT);
	assert_null(guest_ptr(&m, 0xffffffffULL, 2));
	assert_null(guest_ptr(&m, 0x100000000ULL + sizeof(high), 1));
	/* Lengths and addresses chosen to wrap a naive sum. */
	assert_null(guest_ptr(&m, 0x10, ~0ULL));
	assert_null(guest_ptr(&m, ~0ULL, 2));
	assert_null(guest_ptr(&m, 0x100000000ULL + 8, ~0ULL - 4));
	assert_false(guest_range_ok(&m, 0, sizeof(low) + 1));
}

static void test_too_many_regions(void **state)
{
	struct guest_mem m = { 0 };
	int i;

	for (i = 0; i < GUEST_MAX_REGIONS; i++)
		assert_int_equal(guest_mem_add(&m, i * 0x10000ULL, low, 0x1000), 0);
	assert_int_equal(guest_mem_add(&m, 0x100000, low, 0x1000), -EINVAL);
	assert_int_equal(guest_mem_add(&(struct guest_mem){ 0 }, ~0ULL, low, 2),
			 -EINVAL);
}

static void test_map_splits_at_hole(void **state)
{
	struct guest_mem m;

	assert_int_equal(guest_mem_map(&m, 6 * SZ_1M, 4 * SZ_1M), 0);
	assert_int_equal(m.nr, 2);
	assert_int_equal(m.regions[0].gpa, 0);
	assert_int_equal(m.regions[0].size, 4 * SZ_1M);
	assert_int_equal(m.regions[1].gpa, 4 * SZ_1G);
	assert_int_equal(m.regions[1].size, 2 * SZ_1M);
	assert_non_null(guest_ptr(&m, 4 * SZ_1G + SZ_1M, 16));
	assert_null(guest_ptr(&m, 4 * SZ_1M, 1));
	guest_mem_unmap(&m);
	assert_int_equal(m.nr, 0);
}

/*
 * KVM can back a guest range with huge pages only where host and guest
 * addresses agree modulo 2 MiB: every region must start 2 MiB aligned.
 */
static void test_map_huge_page_aligned(void **state)
{
	struct guest_mem m;
	void *odd;
	int i, j;

	(void)state;
	/* A small mapping first, so the next one is not aligned by luck. */
	odd = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	assert_true(odd != MAP_FAILED);
	for (i = 0; i < 4; i++) {
		assert_int_equal(guest_mem_map(&m, (6 + i) * SZ_1M, 4 * SZ_1M), 0);
		for (j = 0; j < m.nr; j++) {
			u8 *h = m.regions[j].host;

			assert_int_equal((uintptr_t)h & (2 * SZ_1M - 1), 0);
			h[0] = 1;
			h[m.regions[j].size - 1] = 2;
		}
		guest_mem_unmap(&m);
	}
	munmap(odd, 3 * 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inside),
		cmocka_unit_test(test_outside),
		cmocka_unit_test(test_too_many_regions),
		cmocka_unit_test(test_map_splits_at_hole),
		cmocka_unit_test(test_map_huge_page_aligned),
	};

	return cmocka_run_group_tests_name("kvm/memory", tests, NULL, NULL);
}
