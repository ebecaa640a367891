// SPDX-License-Identifier: GPL-2.0
/*
 * The Internet checksum against a word-at-a-time reference: every length
 * and alignment, odd tails, sums carried across calls, and a header with
 * a known checksum.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net/inet_csum.h"

/* RFC 1071 done the slow way: big-endian 16-bit words, folded at once. */
static u16 ref_csum(const u8 *p, size_t len)
{
	u64 sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (u32)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static void fill(u8 *p, size_t len, unsigned int seed)
{
	size_t i;

	srand(seed);
	for (i = 0; i < len; i++)
		p[i] = rand();
}

static void test_every_length_and_alignment(void **state)
{
	u8 buf[300 + 8];
	size_t len, off;

	(void)state;
	fill(buf, sizeof(buf), 1);
	for (off = 0; off < 8; off++)
		for (len = 0; len <= 300; len++)
			assert_int_equal(inet_csum_fold(inet_csum_add(0, buf + off, len)),
					 ref_csum(buf + off, len));
}

/* All 0xff: the largest words, the most carries. */
static void test_carries(void **state)
{
	static u8 buf[65536];

	(void)state;
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(inet_csum_fold(inet_csum_add(0, buf, sizeof(buf))),
			 ref_csum(buf, sizeof(buf)));
	assert_int_equal(inet_csum_fold(inet_csum_add(0xfffffff0, buf, 1501)),
			 inet_csum_fold(0xfffffff0 % 0xffff +
					ref_csum(buf, 1501)));
}

/* A pseudo-header sum, then the segment, as the NICs chain them. */
static void test_chained(void **state)
{
	u8 buf[1500];
	u32 sum;

	(void)state;
	fill(buf, sizeof(buf), 2);
	sum = inet_csum_add(6 + 1480, buf, 8);
	sum = inet_csum_add(sum, buf + 20, 1480);
	assert_int_equal(inet_csum_fold(sum),
			 inet_csum_fold(6 + 1480 + ref_csum(buf, 8) +
					ref_csum(buf + 20, 1480)));
}

/* An IPv4 header whose checksum (0xb861) is right folds to 0xffff. */
static void test_ipv4_header(void **state)
{
	static const u8 hdr[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
	};
	u8 copy[20];

	(void)state;
	assert_int_equal(inet_csum_fold(inet_csum_add(0, hdr, 20)), 0xffff);
	memcpy(copy, hdr, 20);
	copy[10] = copy[11] = 0;
	assert_int_equal((u16)~inet_csum_fold(inet_csum_add(0, copy, 20)),
			 0xb861);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_length_and_alignment),
		cmocka_unit_test(test_carries),
		cmocka_unit_test(test_chained),
		cmocka_unit_test(test_ipv4_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
