// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hw/reset_ctl.h"
#include "fakes.h"

struct fixture {
	struct reset_ctl r;
	struct fake_stop stop;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	fake_stop_init(&f->stop);
	assert_int_equal(reset_ctl_init(&f->r, &f->stop.ctl), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	reset_ctl_exit(&f->r);
	test_free(f);
	return 0;
}

static void test_linux_reset(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(io_read8(&reset_ctl_ops, &f->r, 0), 0);
	/* reboot=pci writes 0x02 then 0x06; only the second resets. */
	io_write8(&reset_ctl_ops, &f->r, 0, RESET_CTL_SYS_RST);
	assert_int_equal(f->stop.calls, 0);
	assert_int_equal(io_read8(&reset_ctl_ops, &f->r, 0), RESET_CTL_SYS_RST);

	io_write8(&reset_ctl_ops, &f->r, 0,
		  RESET_CTL_SYS_RST | RESET_CTL_RST_CPU);
	assert_int_equal(f->stop.calls, 1);
	assert_int_equal(f->stop.why, STOP_RESET);
	/* RST_CPU is not kept. */
	assert_int_equal(io_read8(&reset_ctl_ops, &f->r, 0), RESET_CTL_SYS_RST);
}

static void test_bad_accesses(void **state)
{
	struct fixture *f = *state;
	u8 wide[2] = { RESET_CTL_RST_CPU, RESET_CTL_RST_CPU };

	io_write8(&reset_ctl_ops, &f->r, 1, RESET_CTL_RST_CPU);
	reset_ctl_ops.write(&f->r, 0, wide, 2);
	assert_int_equal(f->stop.calls, 0);
	assert_int_equal(io_read8(&reset_ctl_ops, &f->r, 1), 0xff);
	reset_ctl_ops.read(&f->r, 0, wide, 2);
	assert_int_equal(wide[0], 0xff);
	assert_int_equal(wide[1], 0xff);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_linux_reset),
		T(test_bad_accesses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
