/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_FIRMWARE_ACPI_H
#define KNIT_FIRMWARE_ACPI_H

#include "knit/util.h"

/* What the tables describe; the machine builder fills it in. */
#define ACPI_MAX_VIRTIO_MMIO	8

struct acpi_cfg {
	unsigned int nr_cpus;	/* APIC ids 0..nr_cpus-1 */
	u32 lapic_addr;
	u32 ioapic_addr;
	u8 ioapic_id;
	u16 sci_irq;
	/*
	 * ISA IRQs that carry PCI INTx: level-triggered, active high (MADT
	 * interrupt source overrides), else Linux makes them edge-triggered
	 * as ISA IRQs are, and a line that stays asserted is never seen again.
	 */
	unsigned int nr_level_irqs;
	u8 level_irqs[4];
	u16 pm1a_evt_port;	/* 4 bytes: PM1_STS, PM1_EN */
	u16 pm1a_cnt_port;	/* 2 bytes: PM1_CNT */
	u8 s5_slp_typ;		/* SLP_TYP value that means power off */
	u16 reset_port;		/* FADT RESET_REG, an I/O port */
	u8 reset_value;
	u64 ecam_base;		/* PCI ECAM for segment 0; 0: no MCFG */
	u8 ecam_end_bus;	/* it covers buses 0..ecam_end_bus */
	/*
	 * PCI bus 0's host bridge (\_SB.PCI0) and the windows its BARs live
	 * in; pci_mem_size 0: no PCI. With ACPI, Linux x86 only scans a
	 * root bus the DSDT declares.
	 */
	u32 pci_mem_base;
	u32 pci_mem_size;
	u16 pci_io_base;
	u32 pci_io_size;
	/* virtio-mmio windows, each a \_SB.VRTn device (_HID LNRO0005). */
	unsigned int nr_virtio_mmio;
	struct {
		u32 base;
		u32 size;
		u32 gsi;	/* edge-triggered, active high */
	} virtio_mmio[ACPI_MAX_VIRTIO_MMIO];
};

struct acpi_header {
	char signature[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	char creator_id[4];
	u32 creator_revision;
} __packed;

struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	u8 checksum;		/* over the first 20 bytes */
	char oem_id[6];
	u8 revision;		/* 2: ACPI 2.0+, has the XSDT */
	u32 rsdt_addr;
	u32 length;
	u64 xsdt_addr;
	u8 ext_checksum;	/* over all 36 bytes */
	u8 reserved[3];
} __packed;

#define ACPI_TABLES_MAX 8

/*
 * Build RSDP, XSDT, RSDT, FADT, FACS, DSDT, MADT (and MCFG when the
 * machine has ECAM) into buf, which the
 * guest sees at gpa; the RSDP comes first (so gpa is its address, in the
 * BIOS area Linux scans). Returns the bytes used or -ENOSPC.
 */
int acpi_build(u8 *buf, size_t size, u64 gpa, const struct acpi_cfg *cfg);
/* Sum of len bytes, mod 256: 0 for a table with a right checksum. */
u8 acpi_checksum(const void *p, size_t len);

#endif
