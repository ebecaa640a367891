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
#define MADT_ISO		2	/* interrupt source override */
#define MADT_ISO_HIGH_LEVEL	0x000d	/* active high, level-triggered */

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

/*
 * A little AML writer: bytes go into buf, and a package's PkgLength is
 * filled in when the package is closed, once its size is known.
 */
#define AML_MAX		1024

struct aml {
	u8 buf[AML_MAX];
	size_t n;
	bool full;
};

static void aml_bytes(struct aml *a, const void *p, size_t len)
{
	if (a->full || len > AML_MAX - a->n) {
		a->full = true;
		return;
	}
	memcpy(a->buf + a->n, p, len);
	a->n += len;
}

/* Reserve a two-byte PkgLength; aml_close shrinks it if one will do. */
static size_t aml_open(struct aml *a)
{
	static const u8 room[2];

	aml_bytes(a, room, sizeof(room));
	return a->n - 2;
}

static void aml_close(struct aml *a, size_t at)
{
	size_t body = a->n - at - 2;

	if (a->full)
		return;
	if (body + 1 < 64) {
		a->buf[at] = body + 1;
		memmove(a->buf + at + 1, a->buf + at + 2, body);
		a->n--;
	} else {
		/* Low nibble in the lead byte, the rest in the next. */
		a->buf[at] = 0x40 | ((body + 2) & 0xf);
		a->buf[at + 1] = (body + 2) >> 4;
	}
}

/* Word address space descriptor: a bus number or I/O window we decode. */
static size_t crs_word(u8 *p, u8 type, u8 type_flags, u16 min, u16 max)
{
	p[0] = 0x88;
	put_le16(p + 1, 13);
	p[3] = type;		/* 1: I/O, 2: bus numbers */
	p[4] = 0x0c;		/* producer, min and max fixed */
	p[5] = type_flags;
	put_le16(p + 6, 0);	/* granularity */
	put_le16(p + 8, min);
	put_le16(p + 10, max);
	put_le16(p + 12, 0);	/* translation */
	put_le16(p + 14, max - min + 1);
	return 16;
}

/* DWord address space descriptor: a 32-bit memory window. */
static size_t crs_dword_mem(u8 *p, u32 min, u32 max)
{
	p[0] = 0x87;
	put_le16(p + 1, 23);
	p[3] = 0;		/* memory */
	p[4] = 0x0c;		/* producer, min and max fixed */
	p[5] = 0x01;		/* read-write, not cacheable */
	put_le32(p + 6, 0);
	put_le32(p + 10, min);
	put_le32(p + 14, max);
	put_le32(p + 18, 0);
	put_le32(p + 22, max - min + 1);
	return 26;
}

/* I/O port descriptor, 16-bit decode: ports the bridge itself uses. */
static size_t crs_io(u8 *p, u16 port, u8 len)
{
	p[0] = 0x47;
	p[1] = 1;
	put_le16(p + 2, port);
	put_le16(p + 4, port);
	p[6] = 1;		/* alignment */
	p[7] = len;
	return 8;
}

static size_t pci0_crs(u8 *p, const struct acpi_cfg *cfg)
{
	size_t n = 0;

	n += crs_word(p + n, 2, 0, 0, cfg->ecam_end_bus);
	n += crs_io(p + n, 0xcf8, 8);
	if (cfg->pci_io_size)
		n += crs_word(p + n, 1, 0x03, cfg->pci_io_base,
			      cfg->pci_io_base + cfg->pci_io_size - 1);
	n += crs_dword_mem(p + n, cfg->pci_mem_base,
			   cfg->pci_mem_base + cfg->pci_mem_size - 1);
	p[n++] = 0x79;		/* end tag, checksum 0: not checked */
	p[n++] = 0;
	return n;
}

/*
 * Scope (\_SB) { Device (PCI0) { Name (_HID, EisaId ("PNP0A03"))
 * Name (_UID, Zero) Name (_CRS, ResourceTemplate () { bus numbers,
 * ports 0xCF8-0xCFF, the I/O and memory BAR windows }) } }
 * With ACPI on, Linux x86 scans only root buses the DSDT declares. No
 * _PRT: Linux then takes INTx from each device's interrupt line.
 */
static void aml_pci0(struct aml *a, const struct acpi_cfg *cfg)
{
	static const u8 device_op[] = { 0x5b, 0x82 };
	static const u8 hid[] = { 0x08, '_', 'H', 'I', 'D', 0x0c,
				  0x41, 0xd0, 0x0a, 0x03 };
	static const u8 uid[] = { 0x08, '_', 'U', 'I', 'D', 0x00 };
	static const u8 crs_name[] = { 0x08, '_', 'C', 'R', 'S', 0x11 };
	static const u8 scope_op = 0x10;
	u8 crs[96];
	u8 crs_len = pci0_crs(crs, cfg);
	size_t scope, dev, buf;

	aml_bytes(a, &scope_op, 1);
	scope = aml_open(a);
	aml_bytes(a, "\\_SB_", 5);
	aml_bytes(a, device_op, sizeof(device_op));
	dev = aml_open(a);
	aml_bytes(a, "PCI0", 4);
	aml_bytes(a, hid, sizeof(hid));
	aml_bytes(a, uid, sizeof(uid));
	aml_bytes(a, crs_name, sizeof(crs_name));
	buf = aml_open(a);
	aml_bytes(a, (const u8[]){ 0x0a, crs_len }, 2);	/* BufferSize */
	aml_bytes(a, crs, crs_len);
	aml_close(a, buf);
	aml_close(a, dev);
	aml_close(a, scope);
}

/*
 * Scope (\_SB) { Device (VRTn) { Name (_HID, "LNRO0005") Name (_UID, n)
 * Name (_CRS, ResourceTemplate () { Memory32Fixed (ReadWrite, base,
 * size) Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) {gsi}
 * }) } }: how Linux's virtio_mmio driver finds a device through ACPI.
 */
static void aml_virtio_mmio(struct aml *a, unsigned int n, u32 base,
			    u32 size, u32 gsi)
{
	static const u8 device_op[] = { 0x5b, 0x82 };
	static const u8 hid[] = { 0x08, '_', 'H', 'I', 'D', 0x0d,
				  'L', 'N', 'R', 'O', '0', '0', '0', '5', 0 };
	static const u8 crs_name[] = { 0x08, '_', 'C', 'R', 'S', 0x11 };
	static const u8 scope_op = 0x10;
	u8 uid[] = { 0x08, '_', 'U', 'I', 'D', 0x0a, n };
	char name[4] = { 'V', 'R', 'T', '0' + n };
	u8 crs[23];
	size_t scope, dev, buf;

	crs[0] = 0x86;			/* Memory32Fixed */
	put_le16(crs + 1, 9);
	crs[3] = 1;			/* read-write */
	put_le32(crs + 4, base);
	put_le32(crs + 8, size);
	crs[12] = 0x89;			/* extended interrupt */
	put_le16(crs + 13, 6);
	crs[15] = 0x03;			/* consumer, edge, high, exclusive */
	crs[16] = 1;
	put_le32(crs + 17, gsi);
	crs[21] = 0x79;			/* end tag */
	crs[22] = 0;

	aml_bytes(a, &scope_op, 1);
	scope = aml_open(a);
	aml_bytes(a, "\\_SB_", 5);
	aml_bytes(a, device_op, sizeof(device_op));
	dev = aml_open(a);
	aml_bytes(a, name, 4);
	aml_bytes(a, hid, sizeof(hid));
	aml_bytes(a, uid, sizeof(uid));
	aml_bytes(a, crs_name, sizeof(crs_name));
	buf = aml_open(a);
	aml_bytes(a, (const u8[]){ 0x0a, sizeof(crs) }, 2);	/* BufferSize */
	aml_bytes(a, crs, sizeof(crs));
	aml_close(a, buf);
	aml_close(a, dev);
	aml_close(a, scope);
}

static u64 build_dsdt(struct acpi_buf *b, const struct acpi_cfg *cfg)
{
	struct aml aml = { .n = 0 };
	struct acpi_header *h;
	unsigned int i;
	u64 gpa;

	aml.n = aml_s5(aml.buf, cfg->s5_slp_typ);
	if (cfg->pci_mem_size)
		aml_pci0(&aml, cfg);
	for (i = 0; i < cfg->nr_virtio_mmio && i < ACPI_MAX_VIRTIO_MMIO; i++)
		aml_virtio_mmio(&aml, i, cfg->virtio_mmio[i].base,
				cfg->virtio_mmio[i].size,
				cfg->virtio_mmio[i].gsi);
	if (aml.full) {
		b->full = true;
		return 0;
	}
	h = acpi_alloc(b, sizeof(*h) + aml.n, 16, &gpa);
	if (!h)
		return 0;
	acpi_header_init(h, "DSDT", sizeof(*h) + aml.n, 2);
	memcpy(h + 1, aml.buf, aml.n);
	acpi_seal(h);
	return gpa;
}

static u64 build_madt(struct acpi_buf *b, const struct acpi_cfg *cfg)
{
	unsigned int nr_iso = MIN(cfg->nr_level_irqs,
				  (unsigned int)ARRAY_SIZE(cfg->level_irqs));
	size_t len = sizeof(struct acpi_header) + 8 + cfg->nr_cpus * 8 + 12 +
		     nr_iso * 10;
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
	p += 12;
	for (i = 0; i < nr_iso; i++, p += 10) {
		p[0] = MADT_ISO;
		p[1] = 10;
		p[2] = 0;	/* ISA */
		p[3] = cfg->level_irqs[i];
		put_le32(p + 4, cfg->level_irqs[i]);	/* GSI: identity */
		put_le16(p + 8, MADT_ISO_HIGH_LEVEL);
	}
	acpi_seal(h);
	return gpa;
}

/* MCFG: where PCI config space is memory mapped (ECAM), one segment. */
static u64 build_mcfg(struct acpi_buf *b, const struct acpi_cfg *cfg)
{
	size_t len = sizeof(struct acpi_header) + 8 + 16;
	struct acpi_header *h;
	u8 *p;
	u64 gpa;

	h = acpi_alloc(b, len, 16, &gpa);
	if (!h)
		return 0;
	acpi_header_init(h, "MCFG", len, 1);
	p = (u8 *)(h + 1) + 8;	/* 8 reserved bytes, then the allocation */
	put_le64(p, cfg->ecam_base);
	put_le16(p + 8, 0);	/* segment */
	p[10] = 0;		/* first bus */
	p[11] = cfg->ecam_end_bus;
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

static bool pci_windows_ok(const struct acpi_cfg *cfg)
{
	return (u64)cfg->pci_mem_base + cfg->pci_mem_size <= (1ULL << 32) &&
	       (u32)cfg->pci_io_base + cfg->pci_io_size <= 0x10000 &&
	       cfg->pci_io_size < 0x10000;
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
	if (cfg->pci_mem_size && !pci_windows_ok(cfg))
		return -EINVAL;
	memset(buf, 0, size);
	rsdp = acpi_alloc(&b, sizeof(*rsdp), 16, &rsdp_gpa);
	facs = build_facs(&b);
	dsdt = build_dsdt(&b, cfg);
	tables[n++] = build_fadt(&b, cfg, facs, dsdt);
	tables[n++] = build_madt(&b, cfg);
	if (cfg->ecam_base)
		tables[n++] = build_mcfg(&b, cfg);
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
