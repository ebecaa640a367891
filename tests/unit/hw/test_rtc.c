// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hw/rtc.h"
#include "fakes.h"

/* Saturday 2024-03-09 15:04:05 UTC. */
#define T0 ((time_t)1709996645)

/* The now() hook takes no argument, so the fake clock lives here. */
static time_t fake_time;

static time_t fake_now(void)
{
	return fake_time;
}

static int setup(void **state)
{
	struct rtc *r = test_calloc(1, sizeof(*r));

	fake_time = T0;
	assert_int_equal(rtc_init(r, fake_now), 0);
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	rtc_exit(*state);
	test_free(*state);
	return 0;
}

static u8 cmos_read(struct rtc *r, u8 idx)
{
	io_write8(&rtc_ops, r, RTC_PORT_INDEX, idx);
	return io_read8(&rtc_ops, r, RTC_PORT_DATA);
}

static void cmos_write(struct rtc *r, u8 idx, u8 val)
{
	io_write8(&rtc_ops, r, RTC_PORT_INDEX, idx);
	io_write8(&rtc_ops, r, RTC_PORT_DATA, val);
}

static void test_status_registers(void **state)
{
	struct rtc *r = *state;

	assert_int_equal(cmos_read(r, RTC_REG_A) & RTC_A_UIP, 0);
	assert_int_equal(cmos_read(r, RTC_REG_B), RTC_B_24H);
	assert_int_equal(cmos_read(r, RTC_REG_C), 0);
	assert_int_equal(cmos_read(r, RTC_REG_D), RTC_D_VRT);
	/* UIP, C and D cannot be written. */
	cmos_write(r, RTC_REG_A, 0xa6);
	assert_int_equal(cmos_read(r, RTC_REG_A), 0x26);
	cmos_write(r, RTC_REG_C, 0xff);
	cmos_write(r, RTC_REG_D, 0x00);
	assert_int_equal(cmos_read(r, RTC_REG_C), 0);
	assert_int_equal(cmos_read(r, RTC_REG_D), RTC_D_VRT);
}

static void test_time_bcd(void **state)
{
	struct rtc *r = *state;

	assert_int_equal(cmos_read(r, RTC_SECONDS), 0x05);
	assert_int_equal(cmos_read(r, RTC_MINUTES), 0x04);
	assert_int_equal(cmos_read(r, RTC_HOURS), 0x15);
	assert_int_equal(cmos_read(r, RTC_WEEKDAY), 7);
	assert_int_equal(cmos_read(r, RTC_MDAY), 0x09);
	assert_int_equal(cmos_read(r, RTC_MONTH), 0x03);
	assert_int_equal(cmos_read(r, RTC_YEAR), 0x24);
	assert_int_equal(cmos_read(r, RTC_CENTURY), 0x20);

	/* The clock follows the host's. */
	fake_time += 60;
	assert_int_equal(cmos_read(r, RTC_MINUTES), 0x05);
}

static void test_time_binary(void **state)
{
	struct rtc *r = *state;

	cmos_write(r, RTC_REG_B, RTC_B_24H | RTC_B_DM_BINARY);
	assert_int_equal(cmos_read(r, RTC_SECONDS), 5);
	assert_int_equal(cmos_read(r, RTC_HOURS), 15);
	assert_int_equal(cmos_read(r, RTC_MDAY), 9);
	assert_int_equal(cmos_read(r, RTC_MONTH), 3);
	assert_int_equal(cmos_read(r, RTC_YEAR), 24);
	assert_int_equal(cmos_read(r, RTC_CENTURY), 20);

	fake_time = 4102444798; /* 2099-12-31 23:59:58 */
	assert_int_equal(cmos_read(r, RTC_HOURS), 23);
	assert_int_equal(cmos_read(r, RTC_YEAR), 99);
}

static void test_12_hour(void **state)
{
	struct rtc *r = *state;

	cmos_write(r, RTC_REG_B, 0);
	assert_int_equal(cmos_read(r, RTC_HOURS), RTC_HOUR_PM | 0x03);
	cmos_write(r, RTC_REG_B, RTC_B_DM_BINARY);
	assert_int_equal(cmos_read(r, RTC_HOURS), RTC_HOUR_PM | 3);

	/* Midnight is 12 AM and noon 12 PM. */
	cmos_write(r, RTC_REG_B, 0);
	fake_time = T0 - 15 * 3600;
	assert_int_equal(cmos_read(r, RTC_HOURS), 0x12);
	fake_time = T0 - 3 * 3600;
	assert_int_equal(cmos_read(r, RTC_HOURS), RTC_HOUR_PM | 0x12);
	fake_time = T0 - 4 * 3600;
	assert_int_equal(cmos_read(r, RTC_HOURS), 0x11);
}

static void test_nvram(void **state)
{
	struct rtc *r = *state;

	for (int i = 0x0e; i < RTC_NVRAM_SIZE; i++)
		if (i != RTC_CENTURY)
			cmos_write(r, i, (u8)(i ^ 0xa5));
	for (int i = 0x0e; i < RTC_NVRAM_SIZE; i++)
		if (i != RTC_CENTURY)
			assert_int_equal(cmos_read(r, i), (u8)(i ^ 0xa5));

	/* Alarm bytes are plain storage too. */
	cmos_write(r, 0x01, 0x42);
	assert_int_equal(cmos_read(r, 0x01), 0x42);

	/* Bit 7 of the index is the NMI mask, not part of the address. */
	cmos_write(r, 0x80 | 0x20, 0x77);
	assert_int_equal(cmos_read(r, 0x20), 0x77);
	assert_int_equal(cmos_read(r, 0x80 | 0x20), 0x77);
}

static void test_set_time(void **state)
{
	struct rtc *r = *state;

	cmos_write(r, RTC_REG_B, RTC_B_SET | RTC_B_24H);
	cmos_write(r, RTC_SECONDS, 0x05);
	cmos_write(r, RTC_MINUTES, 0x04);
	cmos_write(r, RTC_HOURS, 0x03);
	cmos_write(r, RTC_MDAY, 0x02);
	cmos_write(r, RTC_MONTH, 0x01);
	cmos_write(r, RTC_YEAR, 0x30);
	/* Held: the written time does not run on. */
	fake_time += 100;
	assert_int_equal(cmos_read(r, RTC_SECONDS), 0x05);
	assert_int_equal(cmos_read(r, RTC_YEAR), 0x30);

	cmos_write(r, RTC_REG_B, RTC_B_24H);
	fake_time += 10;
	assert_int_equal(cmos_read(r, RTC_SECONDS), 0x15);
	assert_int_equal(cmos_read(r, RTC_MINUTES), 0x04);
	assert_int_equal(cmos_read(r, RTC_HOURS), 0x03);
	assert_int_equal(cmos_read(r, RTC_MDAY), 0x02);
	assert_int_equal(cmos_read(r, RTC_MONTH), 0x01);
	assert_int_equal(cmos_read(r, RTC_YEAR), 0x30);
	assert_int_equal(cmos_read(r, RTC_CENTURY), 0x20);
	/* 2030-01-02 was a Wednesday. */
	assert_int_equal(cmos_read(r, RTC_WEEKDAY), 4);
}

static void test_set_time_12h_binary(void **state)
{
	struct rtc *r = *state;

	cmos_write(r, RTC_REG_B, RTC_B_SET | RTC_B_DM_BINARY);
	cmos_write(r, RTC_HOURS, RTC_HOUR_PM | 1);
	cmos_write(r, RTC_CENTURY, 21);
	cmos_write(r, RTC_REG_B, RTC_B_DM_BINARY | RTC_B_24H);
	assert_int_equal(cmos_read(r, RTC_HOURS), 13);
	assert_int_equal(cmos_read(r, RTC_CENTURY), 21);
	assert_int_equal(cmos_read(r, RTC_YEAR), 24);
	assert_int_equal(cmos_read(r, RTC_MINUTES), 4);
}

static void test_bad_accesses(void **state)
{
	struct rtc *r = *state;
	u8 wide[2] = { RTC_SECONDS, 0x59 };

	/* The index port reads as nothing, the window ends at 2. */
	assert_int_equal(io_read8(&rtc_ops, r, RTC_PORT_INDEX), 0xff);
	assert_int_equal(io_read8(&rtc_ops, r, 2), 0xff);
	assert_int_equal(io_read8(&rtc_ops, r, ~0ULL), 0xff);
	io_write8(&rtc_ops, r, 5, 0x12);
	rtc_ops.write(r, RTC_PORT_INDEX, wide, 2);
	rtc_ops.read(r, RTC_PORT_INDEX, wide, 2);
	assert_int_equal(wide[0], 0xff);
	assert_int_equal(wide[1], 0xff);
	assert_int_equal(cmos_read(r, RTC_SECONDS), 0x05);
	/* Garbage time values neither crash nor stop the clock. */
	cmos_write(r, RTC_MONTH, 0xff);
	cmos_write(r, RTC_HOURS, 0xff);
	fake_time += 1;
	assert_int_equal(cmos_read(r, RTC_SECONDS), 0x06);
}

static void test_host_clock(void **state)
{
	struct rtc r;
	struct tm tm;
	time_t t = time(NULL);

	(void)state;
	gmtime_r(&t, &tm);
	assert_int_equal(rtc_init(&r, NULL), 0);
	io_write8(&rtc_ops, &r, RTC_PORT_INDEX, RTC_MONTH);
	assert_int_equal(io_read8(&rtc_ops, &r, RTC_PORT_DATA),
			 (tm.tm_mon + 1) / 10 << 4 | (tm.tm_mon + 1) % 10);
	rtc_exit(&r);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_status_registers),
		T(test_time_bcd),
		T(test_time_binary),
		T(test_12_hour),
		T(test_nvram),
		T(test_set_time),
		T(test_set_time_12h_binary),
		T(test_bad_accesses),
		cmocka_unit_test(test_host_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
