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
	.reset_value = 6, .ecam_base = 0xe0000000, .ecam_end_bus = 0,
	.pci_mem_base = 0xc0000000, .pci_mem_size = 0x10000000,
	.pci_io_base = 0xc000, .pci_io_size = 0x4000,
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
	const char *sigs[] = { "XSDT", "RSDT", "FACP", "APIC", "DSDT",
			       "MCFG" };
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

/* The PCI INTx IRQs come out level-triggered, active high. */
static void test_madt_level_overrides(void **state)
{
	struct acpi_cfg cfg = cfg4;
	unsigned int found = 0;
	u8 *madt, *e;

	cfg.nr_level_irqs = 2;
	cfg.level_irqs[0] = 10;
	cfg.level_irqs[1] = 11;
	assert_true(acpi_build(area, sizeof(area), BASE, &cfg) > 0);
	madt = find("APIC");
	assert_int_equal(acpi_checksum(madt, get_le32(madt + 4)), 0);
	for (e = madt + 44; e < madt + get_le32(madt + 4); e += e[1]) {
		assert_true(e[1] >= 2);
		if (e[0] != 2)
			continue;
		assert_int_equal(e[1], 10);
		assert_int_equal(e[2], 0);			/* ISA */
		assert_int_equal(e[3], 10 + found);		/* IRQ */
		assert_int_equal(get_le32(e + 4), 10 + found);	/* GSI */
		assert_int_equal(get_le16(e + 8), 0x000d);	/* high, level */
		found++;
	}
	assert_int_equal(found, 2);
	/* The MADT ends right after them. */
	assert_ptr_equal(e, madt + get_le32(madt + 4));
}

static bool rsdt_lists(u64 table)
{
	u8 *rsdt = at(get_le32(area + 16));
	u32 off;

	for (off = 36; off + 4 <= get_le32(rsdt + 4); off += 4)
		if (get_le32(rsdt + off) == table)
			return true;
	return false;
}

static void test_mcfg(void **state)
{
	struct acpi_cfg cfg = cfg4;
	u8 *mcfg;

	assert_true(acpi_build(area, sizeof(area), BASE, &cfg4) > 0);
	mcfg = find("MCFG");		/* through the XSDT */
	assert_non_null(mcfg);
	assert_true(rsdt_lists(BASE + (mcfg - area)));
	assert_int_equal(get_le32(mcfg + 4), 60);	/* one allocation */
	assert_int_equal(mcfg[8], 1);			/* revision */
	assert_int_equal(acpi_checksum(mcfg, 60), 0);
	assert_int_equal(get_le64(mcfg + 36), 0);	/* reserved */
	assert_int_equal(get_le64(mcfg + 44), 0xe0000000);
	assert_int_equal(get_le16(mcfg + 52), 0);	/* segment */
	assert_int_equal(mcfg[54], 0);			/* buses 0-0 */
	assert_int_equal(mcfg[55], 0);
	assert_int_equal(get_le32(mcfg + 56), 0);

	/* A machine without ECAM has no MCFG. */
	cfg.ecam_base = 0;
	assert_true(acpi_build(area, sizeof(area), BASE, &cfg) > 0);
	assert_null(find("MCFG"));
}

static u8 *memfind(u8 *hay, size_t n, const void *needle, size_t len)
{
	size_t i;

	for (i = 0; i + len <= n; i++)
		if (!memcmp(hay + i, needle, len))
			return hay + i;
	return NULL;
}

/* A PkgLength at p: its value and how many bytes it takes. */
static u32 pkglen(const u8 *p, int *bytes)
{
	*bytes = (p[0] >> 6) + 1;
	if (*bytes == 1)
		return p[0] & 0x3f;
	return (p[0] & 0xf) | p[1] << 4;	/* knit uses at most 2 */
}

static void test_dsdt_pci_host_bridge(void **state)
{
	static const u8 hid[] = { 0x08, '_', 'H', 'I', 'D', 0x0c,
				  0x41, 0xd0, 0x0a, 0x03 };
	struct acpi_cfg cfg = cfg4;
	u8 *dsdt, *scope, *mem, *io, *bus;
	u32 len;
	int n;

	assert_true(acpi_build(area, sizeof(area), BASE, &cfg4) > 0);
	dsdt = at(get_le32(find("FACP") + 40));
	len = get_le32(dsdt + 4);
	assert_int_equal(acpi_checksum(dsdt, len), 0);
	/* Scope (\_SB) runs to the end of the table and holds PCI0. */
	scope = memfind(dsdt + 36, len - 36, "\x10", 1);	/* ScopeOp */
	assert_non_null(scope);
	assert_int_equal(scope + 1 + pkglen(scope + 1, &n), dsdt + len);
	assert_memory_equal(scope + 1 + n, "\\_SB_\x5b\x82", 7);
	assert_non_null(memfind(dsdt, len, "PCI0", 4));
	assert_non_null(memfind(dsdt, len, hid, sizeof(hid)));
	/* Bus 0-0, then the I/O and memory windows as producers. */
	bus = memfind(dsdt, len, "\x88\x0d\x00\x02", 4);
	assert_non_null(bus);
	assert_int_equal(get_le16(bus + 10), 0);
	io = memfind(dsdt, len, "\x88\x0d\x00\x01", 4);
	assert_non_null(io);
	assert_int_equal(get_le16(io + 8), 0xc000);
	assert_int_equal(get_le16(io + 10), 0xffff);
	mem = memfind(dsdt, len, "\x87\x17\x00\x00", 4);
	assert_non_null(mem);
	assert_int_equal(get_le32(mem + 10), 0xc0000000);
	assert_int_equal(get_le32(mem + 14), 0xcfffffff);
	assert_int_equal(get_le32(mem + 22), 0x10000000);
	assert_memory_equal(mem + 26, "\x79\x00", 2);	/* end tag */

	/* No PCI: no PCI0. Windows past 4G or 64K are refused. */
	cfg.pci_mem_size = 0;
	assert_true(acpi_build(area, sizeof(area), BASE, &cfg) > 0);
	dsdt = at(get_le32(find("FACP") + 40));
	assert_null(memfind(dsdt, get_le32(dsdt + 4), "PCI0", 4));
	cfg = cfg4;
	cfg.pci_mem_base = 0xf8000000;
	assert_int_equal(acpi_build(area, sizeof(area), BASE, &cfg), -EINVAL);
	cfg = cfg4;
	cfg.pci_io_size = 0x4001;
	assert_int_equal(acpi_build(area, sizeof(area), BASE, &cfg), -EINVAL);
}

/* Each virtio-mmio window is a LNRO0005 device with its memory and IRQ. */
static void test_dsdt_virtio_mmio(void **state)
{
	struct acpi_cfg cfg = cfg4;
	u8 *dsdt, *p, *mem, *irq;
	u32 len, i;

	cfg.nr_virtio_mmio = 2;
	for (i = 0; i < 2; i++) {
		cfg.virtio_mmio[i].base = 0xd0000000 + i * 0x200;
		cfg.virtio_mmio[i].size = 0x200;
		cfg.virtio_mmio[i].gsi = 5 + i;
	}
	assert_true(acpi_build(area, sizeof(area), BASE, &cfg) > 0);
	dsdt = at(get_le32(find("FACP") + 40));
	len = get_le32(dsdt + 4);
	assert_int_equal(acpi_checksum(dsdt, len), 0);
	p = dsdt;
	for (i = 0; i < 2; i++) {
		char name[4] = { 'V', 'R', 'T', '0' + i };

		p = memfind(p, dsdt + len - p, name, 4);
		assert_non_null(p);
		assert_memory_equal(p + 4, "\x08_HID\x0dLNRO0005", 14);
		mem = memfind(p, dsdt + len - p, "\x86\x09\x00\x01", 4);
		assert_non_null(mem);
		assert_int_equal(get_le32(mem + 4), 0xd0000000 + i * 0x200);
		assert_int_equal(get_le32(mem + 8), 0x200);
		irq = mem + 12;
		assert_memory_equal(irq, "\x89\x06\x00\x03\x01", 5);
		assert_int_equal(get_le32(irq + 5), 5 + i);
		p = irq;
	}
	assert_null(memfind(dsdt, len, "VRT2", 4));
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
		cmocka_unit_test(test_madt_level_overrides),
		cmocka_unit_test(test_mcfg),
		cmocka_unit_test(test_dsdt_pci_host_bridge),
		cmocka_unit_test(test_dsdt_virtio_mmio),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests_name("firmware/acpi", tests, NULL, NULL);
}
