// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hw/acpi_pm.h"
#include "fakes.h"

struct fixture {
	struct acpi_pm pm;
	struct fake_stop stop;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	fake_stop_init(&f->stop);
	assert_int_equal(acpi_pm_init(&f->pm, &f->stop.ctl), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	acpi_pm_exit(&f->pm);
	test_free(f);
	return 0;
}

static u16 slp(unsigned int typ)
{
	return typ << ACPI_PM1_CNT_SLP_TYP_SHIFT | ACPI_PM1_CNT_SLP_EN;
}

static void test_cnt_reads_sci_en(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(io_read16(&acpi_pm_cnt_ops, &f->pm, ACPI_PM1_CNT),
			 ACPI_PM1_CNT_SCI_EN);
	/* Even if the guest tries to turn it off. */
	io_write16(&acpi_pm_cnt_ops, &f->pm, ACPI_PM1_CNT, 0);
	assert_int_equal(io_read8(&acpi_pm_cnt_ops, &f->pm, 0),
			 ACPI_PM1_CNT_SCI_EN);
}

static void test_s5_powers_off(void **state)
{
	struct fixture *f = *state;
	u16 typ = ACPI_PM_SLP_TYP_S5 << ACPI_PM1_CNT_SLP_TYP_SHIFT;

	/* Linux writes SLP_TYP first, then SLP_TYP | SLP_EN. */
	io_write16(&acpi_pm_cnt_ops, &f->pm, ACPI_PM1_CNT, typ);
	assert_int_equal(f->stop.calls, 0);
	assert_int_equal(io_read16(&acpi_pm_cnt_ops, &f->pm, ACPI_PM1_CNT),
			 typ | ACPI_PM1_CNT_SCI_EN);

	io_write16(&acpi_pm_cnt_ops, &f->pm, ACPI_PM1_CNT,
		   slp(ACPI_PM_SLP_TYP_S5));
	assert_int_equal(f->stop.calls, 1);
	assert_int_equal(f->stop.why, STOP_POWEROFF);
	/* SLP_EN is write-only. */
	assert_int_equal(io_read16(&acpi_pm_cnt_ops, &f->pm, ACPI_PM1_CNT),
			 typ | ACPI_PM1_CNT_SCI_EN);
}

static void test_s5_by_byte_write(void **state)
{
	struct fixture *f = *state;

	/* SLP_TYP and SLP_EN both live in the high byte. */
	io_write8(&acpi_pm_cnt_ops, &f->pm, 1, slp(ACPI_PM_SLP_TYP_S5) >> 8);
	assert_int_equal(f->stop.calls, 1);
	assert_int_equal(f->stop.why, STOP_POWEROFF);
}

static void test_other_sleep_types_ignored(void **state)
{
	struct fixture *f = *state;

	io_write16(&acpi_pm_cnt_ops, &f->pm, ACPI_PM1_CNT, slp(1));
	io_write16(&acpi_pm_cnt_ops, &f->pm, ACPI_PM1_CNT, slp(3));
	assert_int_equal(f->stop.calls, 0);
	assert_true(f->pm.warned);
	/* S5's type without SLP_EN does nothing either. */
	io_write16(&acpi_pm_cnt_ops, &f->pm, ACPI_PM1_CNT,
		   ACPI_PM_SLP_TYP_S5 << ACPI_PM1_CNT_SLP_TYP_SHIFT);
	assert_int_equal(f->stop.calls, 0);
}

static void test_evt_block(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(io_read16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_STS), 0);
	assert_int_equal(io_read16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_EN), 0);

	io_write16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_EN, 0x0120);
	assert_int_equal(io_read16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_EN),
			 0x0120);
	io_write8(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_EN + 1, 0x00);
	assert_int_equal(io_read16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_EN),
			 0x0020);
	/* Writing status never sets a bit. */
	io_write16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_STS, 0xffff);
	assert_int_equal(io_read16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_STS), 0);
}

static void test_sts_write_one_to_clear(void **state)
{
	struct fixture *f = *state;

	/* As if the machine had woken and the power button been pressed. */
	f->pm.sts = 0x8100;
	assert_int_equal(io_read16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_STS),
			 0x8100);
	assert_int_equal(io_read8(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_STS + 1),
			 0x81);
	io_write16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_STS, 0x0100);
	assert_int_equal(io_read16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_STS),
			 0x8000);
	io_write16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_STS, 0x0000);
	assert_int_equal(io_read16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_STS),
			 0x8000);
	io_write8(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_STS + 1, 0x80);
	assert_int_equal(io_read16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_STS), 0);
	/* Enable bits are untouched by status writes. */
	assert_int_equal(io_read16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_EN), 0);
}

static void test_bad_accesses(void **state)
{
	struct fixture *f = *state;
	u8 buf[8];

	assert_int_equal(io_read16(&acpi_pm_evt_ops, &f->pm, 3), 0xffff);
	assert_int_equal(io_read8(&acpi_pm_evt_ops, &f->pm, 4), 0xff);
	assert_int_equal(io_read16(&acpi_pm_cnt_ops, &f->pm, 1), 0xffff);
	assert_int_equal(io_read8(&acpi_pm_cnt_ops, &f->pm, ~0ULL), 0xff);
	memset(buf, 0xff, sizeof(buf));
	acpi_pm_cnt_ops.write(&f->pm, 0, buf, 4);
	acpi_pm_cnt_ops.write(&f->pm, 0, buf, 8);
	io_write16(&acpi_pm_cnt_ops, &f->pm, ~0ULL, slp(5));
	io_write16(&acpi_pm_evt_ops, &f->pm, 3, 0xffff);
	assert_int_equal(f->stop.calls, 0);
	assert_int_equal(io_read16(&acpi_pm_evt_ops, &f->pm, ACPI_PM1_EN), 0);
	memset(buf, 0, sizeof(buf));
	acpi_pm_evt_ops.read(&f->pm, 0, buf, 4);
	assert_int_equal(buf[0], 0xff);
	assert_int_equal(buf[3], 0xff);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_cnt_reads_sci_en),
		T(test_s5_powers_off),
		T(test_s5_by_byte_write),
		T(test_other_sleep_types_ignored),
		T(test_evt_block),
		T(test_sts_write_one_to_clear),
		T(test_bad_accesses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
