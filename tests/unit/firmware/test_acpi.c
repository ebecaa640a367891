// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "firmware/acpi.h"
#include "firmware/boot_params.h"

#define BASE 0xe0000ULL
static u8 area[0x20000];

static const struct acpi_cfg cfg4 = {
	.nr_cpus = 4, .lapic_addr = 0xfee00000, .ioapic_addr = 0xfec00000,
	.ioapic_id = 4, .sci_irq = 9, .pm1a_evt_port = 0x600,
	.pm1a_cnt_port = 0x604, .s5_slp_typ = 5, .reset_port = 0xcf9,
	.reset_value = 6,
};

static u8 *at(u64 gpa)
{
	assert_true(gpa >= BASE && gpa < BASE + sizeof(area));
	return area + (gpa - BASE);
}

static u8 *find(const char *sig)
{
	u8 *xsdt = at(get_le64(area + 24));
	u32 len = get_le32(xsdt + 4);
	u32 off;

	for (off = 36; off + 8 <= len; off += 8) {
		u8 *t = at(get_le64(xsdt + off));

		if (!memcmp(t, sig, 4))
			return t;
	}
	return NULL;
}

static void test_rsdp(void **state)
{
	int used = acpi_build(area, sizeof(area), BASE, &cfg4);

	assert_true(used > 0);
	assert_memory_equal(area, "RSD PTR ", 8);
	assert_int_equal(acpi_checksum(area, 20), 0);
	assert_int_equal(acpi_checksum(area, 36), 0);
	assert_int_equal(area[15], 2);
	assert_memory_equal(at(get_le32(area + 16)), "RSDT", 4);
	assert_memory_equal(at(get_le64(area + 24)), "XSDT", 4);
}

static void test_every_table_sums_to_zero(void **state)
{
	const char *sigs[] = { "XSDT", "RSDT", "FACP", "APIC", "DSDT" };
	u8 *fadt;
	size_t i;

	assert_true(acpi_build(area, sizeof(area), BASE, &cfg4) > 0);
	fadt = find("FACP");
	assert_non_null(fadt);
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		u8 *t;

		if (!strcmp(sigs[i], "XSDT"))
			t = at(get_le64(area + 24));
		else if (!strcmp(sigs[i], "RSDT"))
			t = at(get_le32(area + 16));
		else if (!strcmp(sigs[i], "DSDT"))
			t = at(get_le64(fadt + 140));
		else
			t = find(sigs[i]);
		assert_non_null(t);
		assert_memory_equal(t, sigs[i], 4);
		assert_int_equal(acpi_checksum(t, get_le32(t + 4)), 0);
	}
}

static void test_fadt_fields(void **state)
{
	u8 *fadt, *facs, *dsdt;

	assert_true(acpi_build(area, sizeof(area), BASE, &cfg4) > 0);
	fadt = find("FACP");
	assert_int_equal(get_le32(fadt + 4), 276);
	assert_int_equal(get_le16(fadt + 46), 9);		/* SCI_INT */
	assert_int_equal(get_le32(fadt + 48), 0);		/* no SMI_CMD */
	assert_int_equal(get_le32(fadt + 56), 0x600);		/* PM1a_EVT */
	assert_int_equal(get_le32(fadt + 64), 0x604);		/* PM1a_CNT */
	assert_int_equal(fadt[88], 4);
	assert_int_equal(fadt[89], 2);
	assert_true(get_le32(fadt + 112) & (1u << 10));	/* RESET_REG_SUP */
	assert_int_equal(fadt[116], 1);			/* reset: I/O */
	assert_int_equal(get_le64(fadt + 120), 0xcf9);
	assert_int_equal(fadt[128], 6);
	facs = at(get_le32(fadt + 36));
	assert_memory_equal(facs, "FACS", 4);
	assert_int_equal((get_le32(fadt + 36)) % 64, 0);
	assert_int_equal(get_le64(fadt + 132), get_le32(fadt + 36));
	dsdt = at(get_le32(fadt + 40));
	assert_int_equal(get_le64(fadt + 140), get_le32(fadt + 40));
	/* \_S5 package with SLP_TYP 5 for both PM1a and PM1b. */
	assert_memory_equal(dsdt + 36, "\x08_S5_\x12\x08\x04\x0a\x05\x0a\x05", 12);
}

static void test_madt_lists_every_cpu(void **state)
{
	struct acpi_cfg cfg = cfg4;
	unsigned int n;

	for (n = 1; n <= 255; n += 127) {
		u8 *madt, *e;
		unsigned int cpus = 0, ioapics = 0;

		cfg.nr_cpus = n;
		cfg.ioapic_id = n;
		assert_true(acpi_build(area, sizeof(area), BASE, &cfg) > 0);
		madt = find("APIC");
		assert_int_equal(get_le32(madt + 36), 0xfee00000);
		for (e = madt + 44; e < madt + get_le32(madt + 4); e += e[1]) {
			assert_true(e[1] >= 2);
			if (e[0] == 0) {
				assert_int_equal(e[3], cpus);	/* APIC id */
				assert_int_equal(get_le32(e + 4) & 1, 1);
				cpus++;
			} else if (e[0] == 1) {
				assert_int_equal(get_le32(e + 4), 0xfec00000);
				assert_int_equal(e[2], n);
				ioapics++;
			}
		}
		assert_int_equal(cpus, n);
		assert_int_equal(ioapics, 1);
	}
}

static void test_limits(void **state)
{
	struct acpi_cfg cfg = cfg4;

	assert_int_equal(acpi_build(area, 64, BASE, &cfg4), -ENOSPC);
	cfg.nr_cpus = 0;
	assert_int_equal(acpi_build(area, sizeof(area), BASE, &cfg), -EINVAL);
	cfg.nr_cpus = 256;
	assert_int_equal(acpi_build(area, sizeof(area), BASE, &cfg), -EINVAL);
	assert_int_equal(acpi_build(area, sizeof(area), 0xfffff000ULL, &cfg4),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsdp),
		cmocka_unit_test(test_every_table_sums_to_zero),
		cmocka_unit_test(test_fadt_fields),
		cmocka_unit_test(test_madt_lists_every_cpu),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests_name("firmware/acpi", tests, NULL, NULL);
}
