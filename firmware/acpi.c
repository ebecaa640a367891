// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "firmware/acpi.h"
#include "firmware/boot_params.h"

/* Generic Address Structure, as FADT's register blocks use it. */
struct acpi_gas {
	u8 space_id;	/* 1: system I/O */
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;	/* 1: byte, 2: word, 3: dword */
	u64 address;
} __packed;

/* FADT, revision 6 layout (ACPI 6.x, 276 bytes). */
struct acpi_fadt {
	struct acpi_header h;
	u32 firmware_ctrl;
	u32 dsdt;
	u8 reserved0;
	u8 preferred_pm_profile;
	u16 sci_int;
	u32 smi_cmd;
	u8 acpi_enable;
	u8 acpi_disable;
	u8 s4bios_req;
	u8 pstate_cnt;
	u32 pm1a_evt_blk;
	u32 pm1b_evt_blk;
	u32 pm1a_cnt_blk;
	u32 pm1b_cnt_blk;
	u32 pm2_cnt_blk;
	u32 pm_tmr_blk;
	u32 gpe0_blk;
	u32 gpe1_blk;
	u8 pm1_evt_len;
	u8 pm1_cnt_len;
	u8 pm2_cnt_len;
	u8 pm_tmr_len;
	u8 gpe0_blk_len;
	u8 gpe1_blk_len;
	u8 gpe1_base;
	u8 cst_cnt;
	u16 p_lvl2_lat;
	u16 p_lvl3_lat;
	u16 flush_size;
	u16 flush_stride;
	u8 duty_offset;
	u8 duty_width;
	u8 day_alrm;
	u8 mon_alrm;
	u8 century;
	u16 iapc_boot_arch;
	u8 reserved1;
	u32 flags;
	struct acpi_gas reset_reg;
	u8 reset_value;
	u16 arm_boot_arch;
	u8 minor_version;
	u64 x_firmware_ctrl;
	u64 x_dsdt;
	struct acpi_gas x_pm1a_evt_blk;
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
	struct acpi_gas sleep_control_reg;
	struct acpi_gas sleep_status_reg;
	u64 hypervisor_vendor_id;
} __packed;

struct acpi_facs {
	char signature[4];
	u32 length;
	u32 hardware_signature;
	u32 firmware_waking_vector;
	u32 global_lock;
	u32 flags;
	u64 x_firmware_waking_vector;
	u8 version;
	u8 reserved[31];
} __packed;

#define FADT_WBINVD		(1u << 0)
#define FADT_PROC_C1		(1u << 2)
#define FADT_PWR_BUTTON		(1u << 4)	/* no fixed power button */
#define FADT_SLP_BUTTON		(1u << 5)	/* no fixed sleep button */
#define FADT_RESET_REG_SUP	(1u << 10)
#define BOOT_ARCH_LEGACY_DEVICES (1u << 0)
#define BOOT_ARCH_NO_VGA	(1u << 2)
#define MADT_PCAT_COMPAT	(1u << 0)
#define MADT_LAPIC		0
#define MADT_IOAPIC		1

#define FADT_CENTURY_INDEX	0x32	/* CMOS byte holding the century */

/* AML for: Name (_S5, Package (4) { S5, S5, Zero, Zero }) */
static size_t aml_s5(u8 *p, u8 slp_typ)
{
	static const u8 head[] = { 0x08, '_', 'S', '5', '_', 0x12 };
	size_t n = 0;

	memcpy(p, head, sizeof(head));
	n = sizeof(head);
	p[n++] = 8;	/* PkgLength: itself and the 7 bytes that follow */
	p[n++] = 4;	/* NumElements */
	p[n++] = 0x0a;	/* BytePrefix */
	p[n++] = slp_typ;
	p[n++] = 0x0a;
	p[n++] = slp_typ;
	p[n++] = 0x00;	/* ZeroOp */
	p[n++] = 0x00;
	return n;
}

u8 acpi_checksum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

static void acpi_header_init(struct acpi_header *h, const char *sig,
			     u32 length, u8 revision)
{
	memcpy(h->signature, sig, 4);
	h->length = length;
	h->revision = revision;
	memcpy(h->oem_id, "KNIT  ", 6);
	memcpy(h->oem_table_id, "KNITVM  ", 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, "KNIT", 4);
	h->creator_revision = 1;
}

static void acpi_seal(void *table)
{
	struct acpi_header *h = table;

	h->checksum = 0;
	h->checksum = -acpi_checksum(table, h->length);
}

static struct acpi_gas gas_io(u16 port, u8 bytes)
{
	return (struct acpi_gas){
		.space_id = 1,
		.bit_width = bytes * 8,
		.access_size = bytes == 4 ? 3 : bytes == 2 ? 2 : 1,
		.address = port,
	};
}

/* A bump allocator over the output buffer; every table 16-aligned. */
struct acpi_buf {
	u8 *base;
	size_t size;
	size_t used;
	u64 gpa;
	bool full;
};

static void *acpi_alloc(struct acpi_buf *b, size_t len, size_t align,
			u64 *gpa)
{
	size_t off = ALIGN_UP(b->used, align);

	if (off > b->size || len > b->size - off) {
		b->full = true;
		return NULL;
	}
	b->used = off + len;
	*gpa = b->gpa + off;
	return b->base + off;
}

static u64 build_fadt(struct acpi_buf *b, const struct acpi_cfg *cfg,
		      u64 facs, u64 dsdt)
{
	struct acpi_fadt *f;
	u64 gpa;

	f = acpi_alloc(b, sizeof(*f), 16, &gpa);
	if (!f)
		return 0;
	acpi_header_init(&f->h, "FACP", sizeof(*f), 6);
	f->firmware_ctrl = facs;
	f->dsdt = dsdt;
	f->x_firmware_ctrl = facs;
	f->x_dsdt = dsdt;
	f->sci_int = cfg->sci_irq;
	/* smi_cmd 0: the machine is always in ACPI mode, nothing to switch. */
	f->pm1a_evt_blk = cfg->pm1a_evt_port;
	f->pm1a_cnt_blk = cfg->pm1a_cnt_port;
	f->pm1_evt_len = 4;
	f->pm1_cnt_len = 2;
	f->x_pm1a_evt_blk = gas_io(cfg->pm1a_evt_port, 4);
	f->x_pm1a_evt_blk.access_size = 2;
	f->x_pm1a_cnt_blk = gas_io(cfg->pm1a_cnt_port, 2);
	f->p_lvl2_lat = 101;	/* > 100: C2 not supported */
	f->p_lvl3_lat = 1001;	/* > 1000: C3 not supported */
	f->century = FADT_CENTURY_INDEX;
	/*
	 * No 8042 flag: Linux then skips probing a keyboard that is not
	 * there (a boot-time cost); its reboot=k path writes port 0x64
	 * anyway, and the i8042 device answers that.
	 */
	f->iapc_boot_arch = BOOT_ARCH_LEGACY_DEVICES | BOOT_ARCH_NO_VGA;
	f->flags = FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON |
		   FADT_SLP_BUTTON | FADT_RESET_REG_SUP;
	f->reset_reg = gas_io(cfg->reset_port, 1);
	f->reset_value = cfg->reset_value;
	acpi_seal(f);
	return gpa;
}

static u64 build_facs(struct acpi_buf *b)
{
	struct acpi_facs *facs;
	u64 gpa;

	facs = acpi_alloc(b, sizeof(*facs), 64, &gpa);
	if (!facs)
		return 0;
	memcpy(facs->signature, "FACS", 4);
	facs->length = sizeof(*facs);
	facs->version = 2;
	return gpa;
}

static u64 build_dsdt(struct acpi_buf *b, const struct acpi_cfg *cfg)
{
	u8 aml[32];
	size_t aml_len = aml_s5(aml, cfg->s5_slp_typ);
	struct acpi_header *h;
	u64 gpa;

	h = acpi_alloc(b, sizeof(*h) + aml_len, 16, &gpa);
	if (!h)
		return 0;
	acpi_header_init(h, "DSDT", sizeof(*h) + aml_len, 2);
	memcpy(h + 1, aml, aml_len);
	acpi_seal(h);
	return gpa;
}

static u64 build_madt(struct acpi_buf *b, const struct acpi_cfg *cfg)
{
	size_t len = sizeof(struct acpi_header) + 8 + cfg->nr_cpus * 8 + 12;
	struct acpi_header *h;
	unsigned int i;
	u8 *p;
	u64 gpa;

	h = acpi_alloc(b, len, 16, &gpa);
	if (!h)
		return 0;
	acpi_header_init(h, "APIC", len, 5);
	p = (u8 *)(h + 1);
	put_le32(p, cfg->lapic_addr);
	put_le32(p + 4, MADT_PCAT_COMPAT);
	p += 8;
	for (i = 0; i < cfg->nr_cpus; i++, p += 8) {
		p[0] = MADT_LAPIC;
		p[1] = 8;
		p[2] = i;	/* ACPI processor UID */
		p[3] = i;	/* APIC id */
		put_le32(p + 4, 1);	/* enabled */
	}
	p[0] = MADT_IOAPIC;
	p[1] = 12;
	p[2] = cfg->ioapic_id;
	p[3] = 0;
	put_le32(p + 4, cfg->ioapic_addr);
	put_le32(p + 8, 0);	/* first GSI */
	acpi_seal(h);
	return gpa;
}

static u64 build_sdt(struct acpi_buf *b, const char *sig, const u64 *tables,
		     int n, size_t entry)
{
	size_t len = sizeof(struct acpi_header) + n * entry;
	struct acpi_header *h;
	u8 *p;
	u64 gpa;
	int i;

	h = acpi_alloc(b, len, 16, &gpa);
	if (!h)
		return 0;
	acpi_header_init(h, sig, len, 1);
	p = (u8 *)(h + 1);
	for (i = 0; i < n; i++, p += entry) {
		if (entry == 8)
			put_le64(p, tables[i]);
		else
			put_le32(p, tables[i]);
	}
	acpi_seal(h);
	return gpa;
}

int acpi_build(u8 *buf, size_t size, u64 gpa, const struct acpi_cfg *cfg)
{
	struct acpi_buf b = { .base = buf, .size = size, .gpa = gpa };
	u64 tables[ACPI_TABLES_MAX];
	struct acpi_rsdp *rsdp;
	u64 rsdp_gpa, facs, dsdt, xsdt, rsdt;
	int n = 0;

	if (gpa + size > (1ULL << 32) || !cfg->nr_cpus || cfg->nr_cpus > 255)
		return -EINVAL;
	memset(buf, 0, size);
	rsdp = acpi_alloc(&b, sizeof(*rsdp), 16, &rsdp_gpa);
	facs = build_facs(&b);
	dsdt = build_dsdt(&b, cfg);
	tables[n++] = build_fadt(&b, cfg, facs, dsdt);
	tables[n++] = build_madt(&b, cfg);
	xsdt = build_sdt(&b, "XSDT", tables, n, 8);
	rsdt = build_sdt(&b, "RSDT", tables, n, 4);
	if (b.full)
		return -ENOSPC;

	memcpy(rsdp->signature, "RSD PTR ", 8);
	memcpy(rsdp->oem_id, "KNIT  ", 6);
	rsdp->revision = 2;
	rsdp->rsdt_addr = rsdt;
	rsdp->length = sizeof(*rsdp);
	rsdp->xsdt_addr = xsdt;
	rsdp->checksum = -acpi_checksum(rsdp, 20);
	rsdp->ext_checksum = -acpi_checksum(rsdp, sizeof(*rsdp));
	return b.used;
}
