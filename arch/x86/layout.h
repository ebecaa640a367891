/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_X86_LAYOUT_H
#define KNIT_X86_LAYOUT_H

/*
 * Where knit puts things in a guest's low memory. Everything below 1 MiB
 * except the 640K-1M hole is RAM the kernel may reuse once booted.
 */
#define LAYOUT_GDT		0x0500ULL	/* boot GDT, 4 entries */
#define LAYOUT_PVH_INFO		0x6000ULL	/* PVH start_info + memmap */
#define LAYOUT_PVH_INFO_SIZE	0x1000ULL
#define LAYOUT_BOOT_PARAMS	0x7000ULL	/* zero page */
#define LAYOUT_PML4		0x9000ULL	/* identity page tables: */
#define LAYOUT_PDPT		0xa000ULL	/* PML4, PDPT, 4 PDs = 4 GiB */
#define LAYOUT_PD		0xb000ULL
#define LAYOUT_CMDLINE		0x20000ULL
#define LAYOUT_CMDLINE_MAX	0x10000ULL
#define LAYOUT_ACPI		0xe0000ULL	/* RSDP where Linux scans */
#define LAYOUT_ACPI_SIZE	0x20000ULL
#define LAYOUT_KERNEL		0x100000ULL	/* bzImage protected-mode code */

#define LAYOUT_MMIO_HOLE	0xc0000000ULL	/* 3G-4G: no RAM */
#define LAYOUT_PCI_MEM		0xc0000000ULL	/* PCI memory BARs */
#define LAYOUT_PCI_MEM_SIZE	0x10000000ULL
#define LAYOUT_VIRTIO_MMIO	0xd0000000ULL	/* virtio-mmio devices */
#define LAYOUT_VIRTIO_MMIO_SIZE	0x01000000ULL
#define LAYOUT_PCI_ECAM		0xe0000000ULL	/* bus 0 only: 1 MiB */
#define LAYOUT_PCI_ECAM_SIZE	0x00100000ULL
#define LAYOUT_IOAPIC		0xfec00000ULL
#define LAYOUT_LAPIC		0xfee00000ULL
#define LAYOUT_TSS		0xfffbd000ULL	/* KVM_SET_TSS_ADDR, 3 pages */
#define LAYOUT_IDENTITY_MAP	0xfffbc000ULL

/* Legacy I/O ports of the devices every knit PC has. */
#define PORT_I8042_DATA		0x60
#define PORT_I8042_CMD		0x64
#define PORT_RTC		0x70
#define PORT_COM1		0x3f8
#define PORT_DEBUG_EXIT		0x501
#define PORT_ACPI_PM1A_EVT	0x600
#define PORT_ACPI_PM1A_CNT	0x604
#define PORT_RESET_CTL		0xcf9	/* inside the PCI 0xcf8-0xcff ports */
#define PORT_PCI_IO		0xc000	/* PCI I/O BARs: 0xc000-0xffff */
#define PORT_PCI_IO_SIZE	0x4000

#define IRQ_COM1		4
#define IRQ_ACPI_SCI		9
#define IRQ_PCI_INTX_A		10	/* PCI INTx, shared, as ISA IRQs */
#define IRQ_PCI_INTX_B		11
/* ISA lines left for virtio-mmio devices (edge-triggered, no sharing). */
#define IRQS_VIRTIO_MMIO	{ 5, 6, 7, 3, 14, 15 }

/* Boot GDT selectors, as the Linux boot protocol expects them. */
#define BOOT_CS			0x10
#define BOOT_DS			0x18

#endif
