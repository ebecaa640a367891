// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hw/i8042.h"
#include "fakes.h"

struct fixture {
	struct i8042 k;
	struct fake_stop stop;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	fake_stop_init(&f->stop);
	assert_int_equal(i8042_init(&f->k, &f->stop.ctl), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	i8042_exit(&f->k);
	test_free(f);
	return 0;
}

static u8 status(struct fixture *f)
{
	return io_read8(&i8042_cmd_ops, &f->k, 0);
}

static void cmd(struct fixture *f, u8 c)
{
	io_write8(&i8042_cmd_ops, &f->k, 0, c);
}

static u8 data_in(struct fixture *f)
{
	return io_read8(&i8042_data_ops, &f->k, 0);
}

static void data_out(struct fixture *f, u8 v)
{
	io_write8(&i8042_data_ops, &f->k, 0, v);
}

/* Send a command and collect its one-byte answer, checking OBF. */
static u8 query(struct fixture *f, u8 c)
{
	u8 v;

	cmd(f, c);
	assert_true(status(f) & I8042_STR_OBF);
	v = data_in(f);
	assert_false(status(f) & I8042_STR_OBF);
	return v;
}

static void test_status_after_init(void **state)
{
	struct fixture *f = *state;
	u8 st = status(f);

	/* Linux takes 0xff for "no controller". */
	assert_int_not_equal(st, 0xff);
	assert_false(st & (I8042_STR_OBF | I8042_STR_IBF));
	assert_true(st & I8042_STR_SYSFLAG);
}

static void test_self_tests(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(query(f, I8042_CMD_SELF_TEST), 0x55);
	assert_int_equal(query(f, I8042_CMD_KBD_TEST), 0x00);
	assert_true(status(f) & I8042_STR_CMDDAT);
	assert_int_equal(f->stop.calls, 0);
}

static void test_config_byte(void **state)
{
	struct fixture *f = *state;
	u8 ctr = query(f, I8042_CMD_READ_CTR);

	assert_int_equal(ctr, I8042_CTR_SYSFLAG | I8042_CTR_XLATE);
	cmd(f, I8042_CMD_WRITE_CTR);
	data_out(f, 0x41);
	assert_false(status(f) & I8042_STR_CMDDAT);
	assert_int_equal(query(f, I8042_CMD_READ_CTR), 0x41);
	/* The system flag in the status follows the config byte. */
	assert_false(status(f) & I8042_STR_SYSFLAG);

	cmd(f, I8042_CMD_KBD_DISABLE);
	cmd(f, I8042_CMD_AUX_DISABLE);
	assert_int_equal(query(f, I8042_CMD_READ_CTR),
			 0x41 | I8042_CTR_KBDDIS | I8042_CTR_AUXDIS);
	cmd(f, I8042_CMD_KBD_ENABLE);
	assert_int_equal(query(f, I8042_CMD_READ_CTR), 0x41 | I8042_CTR_AUXDIS);
	cmd(f, I8042_CMD_AUX_ENABLE);
	assert_int_equal(query(f, I8042_CMD_READ_CTR), 0x41);

	/* Without a pending command, a data byte is for the keyboard. */
	data_out(f, 0x00);
	assert_int_equal(query(f, I8042_CMD_READ_CTR), 0x41);
	assert_false(status(f) & I8042_STR_OBF);
}

static void test_output_port(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(query(f, I8042_CMD_READ_OUTPORT),
			 I8042_OUT_RESET | I8042_OUT_A20);
	cmd(f, I8042_CMD_WRITE_OUTPORT);
	data_out(f, I8042_OUT_RESET);
	assert_int_equal(query(f, I8042_CMD_READ_OUTPORT), I8042_OUT_RESET);
	assert_int_equal(f->stop.calls, 0);
}

static void test_reset_by_output_port(void **state)
{
	struct fixture *f = *state;

	cmd(f, I8042_CMD_WRITE_OUTPORT);
	data_out(f, I8042_OUT_A20);
	assert_int_equal(f->stop.calls, 1);
	assert_int_equal(f->stop.why, STOP_RESET);
}

static void test_reset_by_pulse(void **state)
{
	struct fixture *f = *state;
	int polls = 0;

	/* reboot=k: wait for the input buffer to drain, then 0xfe. */
	while (status(f) & I8042_STR_IBF)
		assert_true(++polls < 16);
	cmd(f, I8042_CMD_PULSE_RESET);
	assert_int_equal(f->stop.calls, 1);
	assert_int_equal(f->stop.why, STOP_RESET);
	assert_int_equal(f->stop.code, 0);

	/* Pulsing other lines (bit 0 set) is not a reset. */
	cmd(f, 0xff);
	assert_int_equal(f->stop.calls, 1);
}

static void test_command_cancels_argument(void **state)
{
	struct fixture *f = *state;

	cmd(f, I8042_CMD_WRITE_OUTPORT);
	cmd(f, I8042_CMD_KBD_ENABLE);
	/* The output port command was abandoned; this byte goes nowhere. */
	data_out(f, 0x00);
	assert_int_equal(f->stop.calls, 0);
	assert_int_equal(query(f, I8042_CMD_READ_OUTPORT),
			 I8042_OUT_RESET | I8042_OUT_A20);
}

static void test_bad_accesses(void **state)
{
	struct fixture *f = *state;
	u8 wide[4] = { 0xfe, 0xfe, 0xfe, 0xfe };

	assert_int_equal(io_read8(&i8042_cmd_ops, &f->k, 1), 0xff);
	assert_int_equal(io_read8(&i8042_data_ops, &f->k, ~0ULL), 0xff);
	io_write8(&i8042_cmd_ops, &f->k, 3, I8042_CMD_PULSE_RESET);
	i8042_cmd_ops.write(&f->k, 0, wide, 2);
	assert_int_equal(f->stop.calls, 0);
	i8042_data_ops.read(&f->k, 0, wide, 4);
	assert_int_equal(wide[0], 0xff);
	assert_int_equal(wide[3], 0xff);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_status_after_init),
		T(test_self_tests),
		T(test_config_byte),
		T(test_output_port),
		T(test_reset_by_output_port),
		T(test_reset_by_pulse),
		T(test_command_cancels_argument),
		T(test_bad_accesses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
