// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hw/debug_exit.h"
#include "fakes.h"

static void test_byte_write_exits(void **state)
{
	struct debug_exit d;
	struct fake_stop stop;

	(void)state;
	fake_stop_init(&stop);
	assert_int_equal(debug_exit_init(&d, &stop.ctl), 0);
	io_write8(&debug_exit_ops, &d, 0, 42);
	assert_int_equal(stop.calls, 1);
	assert_int_equal(stop.why, STOP_DEBUG_EXIT);
	assert_int_equal(stop.code, 42);
	debug_exit_exit(&d);
}

static void test_wide_write_keeps_low_byte(void **state)
{
	struct debug_exit d;
	struct fake_stop stop;
	/* 0x12345681 as a 32-bit port write delivers it little-endian. */
	const u8 val[4] = { 0x81, 0x56, 0x34, 0x12 };

	(void)state;
	fake_stop_init(&stop);
	debug_exit_init(&d, &stop.ctl);
	debug_exit_ops.write(&d, 0, val, 4);
	assert_int_equal(stop.calls, 1);
	assert_int_equal(stop.why, STOP_DEBUG_EXIT);
	assert_int_equal(stop.code, 0x81);

	io_write16(&debug_exit_ops, &d, 0, 0x0100);
	assert_int_equal(stop.calls, 2);
	assert_int_equal(stop.code, 0);
	debug_exit_exit(&d);
}

static void test_reads_all_ones(void **state)
{
	struct debug_exit d;
	struct fake_stop stop;
	u8 buf[4] = { 0 };

	(void)state;
	fake_stop_init(&stop);
	debug_exit_init(&d, &stop.ctl);
	debug_exit_ops.read(&d, 0, buf, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(buf[i], 0xff);
	assert_int_equal(stop.calls, 0);
	debug_exit_exit(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_byte_write_exits),
		cmocka_unit_test(test_wide_write_keeps_low_byte),
		cmocka_unit_test(test_reads_all_ones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
