// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fakes.h"
#include "hw/pci.h"

#define ECAM 0xe0000000ULL
#define MEM 0xc0000000ULL
#define MEM_SIZE 0x10000000ULL
#define IO 0xc000
#define IO_SIZE 0x4000
#define DEVFN(slot) ((slot) << 3)

/* A device that records what reaches its BARs and hooks. */
struct fdev {
	struct pci_dev pci;
	u64 offset;
	u32 value;
	int bar_reads, bar_writes;
	int moves, moved_bar;
	u64 moved_old[PCI_NR_BARS], moved_new[PCI_NR_BARS];
	int cfg_reads, cfg_writes;
	u32 cfg_offset;
};

struct rig {
	struct bus pio, mmio;
	struct pci_bus pci;
	struct fdev dev[2];
	struct fake_irq irq;
};

static void fbar_read(void *opaque, u64 offset, void *data, u32 len)
{
	struct fdev *f = opaque;

	f->bar_reads++;
	f->offset = offset;
	memset(data, 0xa5, len);
}

static void fbar_write(void *opaque, u64 offset, const void *data, u32 len)
{
	struct fdev *f = opaque;

	f->bar_writes++;
	f->offset = offset;
	f->value = 0;
	memcpy(&f->value, data, MIN(len, 4u));
}

static const struct bus_ops fbar_ops = {fbar_read, fbar_write};

static void fcfg_read(struct pci_dev *dev, u32 offset, void *data, u32 len)
{
	struct fdev *f = container_of(dev, struct fdev, pci);

	f->cfg_reads++;
	f->cfg_offset = offset;
	if (offset == 0xf0)
		memset(data, 0x77, len);
}

static void fcfg_write(struct pci_dev *dev, u32 offset, const void *data,
		       u32 len)
{
	struct fdev *f = container_of(dev, struct fdev, pci);

	f->cfg_writes++;
	f->cfg_offset = offset;
}

static void fbar_moved(struct pci_dev *dev, int bar, u64 old_addr, u64 new_addr)
{
	struct fdev *f = container_of(dev, struct fdev, pci);

	f->moves++;
	f->moved_bar = bar;
	f->moved_old[bar] = old_addr;
	f->moved_new[bar] = new_addr;
}

static const struct pci_dev_ops fdev_ops = {
	.config_read = fcfg_read,
	.config_write = fcfg_write,
	.bar_moved = fbar_moved,
};

/* BAR0: 4K mem; BAR2/3: 16K 64-bit mem; BAR4: 32 bytes of I/O. */
static void fdev_init(struct fdev *f, u16 device)
{
	struct pci_dev *d = &f->pci;

	memset(f, 0, sizeof(*f));
	pci_dev_init(d, 0x1234, device, 0x020000, 7, 0x1af4, 0x0042);
	d->ops = &fdev_ops;
	assert_int_equal(pci_dev_add_bar(d, 0, 0x1000, 0, &fbar_ops, f), 0);
	assert_int_equal(
		pci_dev_add_bar(d, 2, 0x4000, PCI_BAR_MEM64, &fbar_ops, f), 0);
	assert_int_equal(pci_dev_add_bar(d, 4, 32, PCI_BAR_IO, &fbar_ops, f),
			 0);
}

static int rig_setup(void **state)
{
	struct rig *r = test_calloc(1, sizeof(*r));

	bus_init(&r->pio, "pio");
	bus_init(&r->mmio, "mmio");
	assert_int_equal(pci_bus_init(&r->pci, &r->pio, &r->mmio, ECAM, MEM,
				      MEM_SIZE, IO, IO_SIZE),
			 0);
	fake_irq_init(&r->irq);
	r->irq.line.gsi = 11;
	fdev_init(&r->dev[0], 0x5678);
	fdev_init(&r->dev[1], 0x9abc);
	assert_int_equal(pci_bus_add(&r->pci, &r->dev[0].pci, &r->irq.line), 1);
	assert_int_equal(pci_bus_add(&r->pci, &r->dev[1].pci, &r->irq.line), 2);
	*state = r;
	return 0;
}

static int rig_teardown(void **state)
{
	struct rig *r = *state;

	pci_bus_exit(&r->pci);
	bus_exit(&r->pio);
	bus_exit(&r->mmio);
	test_free(r);
	return 0;
}

/* Config mechanism #1, the way a guest's driver does it. */
static u32 cf8_addr(u8 bus, u8 devfn, u32 reg)
{
	return 0x80000000u | bus << 16 | devfn << 8 | (reg & 0xfc);
}

static u32 cfc_read(struct rig *r, u8 devfn, u32 reg, u32 len)
{
	u32 a = cf8_addr(0, devfn, reg), v = 0;

	assert_true(bus_access(&r->pio, 0xcf8, &a, 4, true));
	assert_true(bus_access(&r->pio, 0xcfc + (reg & 3), &v, len, false));
	return v;
}

static void cfc_write(struct rig *r, u8 devfn, u32 reg, u32 v, u32 len)
{
	u32 a = cf8_addr(0, devfn, reg);

	assert_true(bus_access(&r->pio, 0xcf8, &a, 4, true));
	assert_true(bus_access(&r->pio, 0xcfc + (reg & 3), &v, len, true));
}

static u32 ecam_read(struct rig *r, u8 devfn, u32 reg, u32 len)
{
	u32 v = 0;

	assert_true(bus_access(&r->mmio, ECAM + (devfn << 12) + reg, &v, len,
			       false));
	return v;
}

static void ecam_write(struct rig *r, u8 devfn, u32 reg, u32 v, u32 len)
{
	assert_true(bus_access(&r->mmio, ECAM + (devfn << 12) + reg, &v, len,
			       true));
}

static void test_host_bridge_ids(void **state)
{
	struct rig *r = *state;
	u32 v = 0;

	assert_int_equal(cfc_read(r, 0, 0x00, 4), 0x29c08086);
	assert_int_equal(cfc_read(r, 0, 0x08, 4) >> 8, 0x060000);
	assert_int_equal(cfc_read(r, 0, 0x0c, 4) >> 16 & 0x7f, 0);
	assert_int_equal(cfc_read(r, 0, 0x06, 2) & PCI_STATUS_CAP_LIST, 0);
	/* CONFIG_ADDRESS reads back as written, low bits clear. */
	v = 0x80000003;
	bus_access(&r->pio, 0xcf8, &v, 4, true);
	bus_access(&r->pio, 0xcf8, &v, 4, false);
	assert_int_equal(v, 0x80000000);
}

static void test_absent_reads_all_ones(void **state)
{
	struct rig *r = *state;
	u32 a = 0x00000000, v = 0;

	assert_int_equal(cfc_read(r, DEVFN(5), 0, 4), 0xffffffff);
	assert_int_equal(cfc_read(r, DEVFN(31), 0x3c, 1), 0xff);
	/* Only function 0 exists; other buses are empty. */
	assert_int_equal(cfc_read(r, DEVFN(0) | 1, 0, 4), 0xffffffff);
	assert_int_equal(cfc_read(r, DEVFN(1) | 7, 0, 4), 0xffffffff);
	a = cf8_addr(1, 0, 0);
	bus_access(&r->pio, 0xcf8, &a, 4, true);
	bus_access(&r->pio, 0xcfc, &v, 4, false);
	assert_int_equal(v, 0xffffffff);
	/* With the enable bit clear CONFIG_DATA is not a config cycle. */
	a = 0;
	bus_access(&r->pio, 0xcf8, &a, 4, true);
	bus_access(&r->pio, 0xcfc, &v, 4, false);
	assert_int_equal(v, 0xffffffff);
	cfc_write(r, DEVFN(9), 0x04, 0xffff, 2); /* goes nowhere */
	assert_int_equal(ecam_read(r, DEVFN(9), 0, 4), 0xffffffff);
	assert_int_equal(ecam_read(r, DEVFN(9), 0x100, 4), 0xffffffff);
}

static void test_ecam_matches_cf8(void **state)
{
	struct rig *r = *state;
	u8 devfns[] = {DEVFN(0), DEVFN(1), DEVFN(2)};
	u32 reg;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(devfns); i++)
		for (reg = 0; reg < PCI_CFG_SIZE; reg += 4)
			assert_int_equal(ecam_read(r, devfns[i], reg, 4),
					 cfc_read(r, devfns[i], reg, 4));
	assert_int_equal(ecam_read(r, DEVFN(1), 0x02, 2), 0x5678);
	assert_int_equal(ecam_read(r, DEVFN(1), 0x09, 1), 0x00);
	/* Extended space of a present function reads 0, ignores writes. */
	assert_int_equal(ecam_read(r, DEVFN(1), 0x100, 4), 0);
	assert_int_equal(ecam_read(r, DEVFN(1), 0xffc, 4), 0);
	ecam_write(r, DEVFN(1), 0x100, 0x12345678, 4);
	assert_int_equal(ecam_read(r, DEVFN(1), 0x100, 4), 0);
	/* Writes through ECAM land where CF8/CFC sees them. */
	ecam_write(r, DEVFN(1), 0x3c, 0x5a, 1);
	assert_int_equal(cfc_read(r, DEVFN(1), 0x3c, 1), 0x5a);
}

static void test_bar_sizing(void **state)
{
	struct rig *r = *state;
	u8 d = DEVFN(1);
	u32 bar;

	for (bar = 0x10; bar <= 0x24; bar += 4)
		cfc_write(r, d, bar, 0xffffffff, 4);
	assert_int_equal(cfc_read(r, d, 0x10, 4), 0xfffff000);
	assert_int_equal(cfc_read(r, d, 0x14, 4), 0);	       /* unused */
	assert_int_equal(cfc_read(r, d, 0x18, 4), 0xffffc004); /* 64-bit */
	assert_int_equal(cfc_read(r, d, 0x1c, 4), 0xffffffff); /* its top */
	assert_int_equal(cfc_read(r, d, 0x20, 4), 0xffffffe1); /* I/O */
	assert_int_equal(cfc_read(r, d, 0x24, 4), 0);
	/* No expansion ROM. */
	cfc_write(r, d, 0x30, 0xffffffff, 4);
	assert_int_equal(cfc_read(r, d, 0x30, 4), 0);
	/* The host bridge has no BARs at all. */
	cfc_write(r, 0, 0x10, 0xffffffff, 4);
	assert_int_equal(cfc_read(r, 0, 0x10, 4), 0);
}

static void test_bar_placement(void **state)
{
	struct rig *r = *state;
	int i;

	for (i = 1; i <= 2; i++) {
		u32 b0 = cfc_read(r, DEVFN(i), 0x10, 4);
		u32 b2 = cfc_read(r, DEVFN(i), 0x18, 4);
		u32 b4 = cfc_read(r, DEVFN(i), 0x20, 4);

		assert_true(b0 >= MEM && b0 + 0x1000 <= MEM + MEM_SIZE);
		assert_int_equal(b0 & 0xfff, 0);
		assert_int_equal(b2 & 0x3fff, 0x4);
		assert_int_equal(cfc_read(r, DEVFN(i), 0x1c, 4), 0);
		b4 &= ~3u;
		assert_true(b4 >= IO && b4 + 32 <= IO + IO_SIZE);
		assert_int_equal(cfc_read(r, DEVFN(i), 0x20, 4) & 0x1f, 0x1);
	}
	assert_int_not_equal(cfc_read(r, DEVFN(1), 0x10, 4),
			     cfc_read(r, DEVFN(2), 0x10, 4));
	/* Nothing decodes until the guest turns decoding on. */
	assert_false(r->dev[0].pci.bars[0].mapped);
}

static void test_mem_decode_maps_and_moves(void **state)
{
	struct rig *r = *state;
	struct fdev *f = &r->dev[0];
	u64 bar0 = cfc_read(r, DEVFN(1), 0x10, 4) & ~0xfu;
	u64 moved = MEM + 0x01000000;
	u32 v = 0x11223344;

	assert_false(bus_access(&r->mmio, bar0 + 8, &v, 4, true));
	cfc_write(r, DEVFN(1), 0x04, PCI_CMD_MEM, 2);
	assert_true(bus_access(&r->mmio, bar0 + 8, &v, 4, true));
	assert_int_equal(f->bar_writes, 1);
	assert_int_equal(f->offset, 8);
	assert_int_equal(f->value, 0x11223344);
	assert_int_equal(f->moved_old[0], 0);
	assert_int_equal(f->moved_new[0], bar0);
	assert_int_equal(f->moves, 2); /* BAR0 and BAR2 */
	/* I/O decode is off: the I/O BAR stays dark. */
	assert_false(f->pci.bars[4].mapped);

	cfc_write(r, DEVFN(1), 0x10, moved, 4);
	assert_false(bus_access(&r->mmio, bar0 + 8, &v, 4, false));
	assert_true(bus_access(&r->mmio, moved + 0xffc, &v, 4, false));
	assert_int_equal(v, 0xa5a5a5a5);
	assert_int_equal(f->offset, 0xffc);
	assert_int_equal(f->moves, 3);
	assert_int_equal(f->moved_bar, 0);
	assert_int_equal(f->moved_old[0], bar0);
	assert_int_equal(f->moved_new[0], moved);

	/* Decode off: unmapped, and the device hears "not decoding". */
	cfc_write(r, DEVFN(1), 0x04, 0, 2);
	assert_false(bus_access(&r->mmio, moved, &v, 4, false));
	assert_int_equal(f->moved_old[0], moved);
	assert_int_equal(f->moved_new[0], 0);
	assert_int_equal(f->moved_new[2], 0);
	assert_false(f->pci.bars[0].mapped);
}

static void test_64bit_bar_above_4g(void **state)
{
	struct rig *r = *state;
	struct fdev *f = &r->dev[0];
	u64 high = 0x812340000ULL;
	u32 v = 0;

	cfc_write(r, DEVFN(1), 0x18, (u32)high, 4);
	cfc_write(r, DEVFN(1), 0x1c, high >> 32, 4);
	ecam_write(r, DEVFN(1), 0x04, PCI_CMD_MEM, 2);
	assert_true(f->pci.bars[2].mapped);
	assert_int_equal(f->pci.bars[2].addr, high);
	assert_true(bus_access(&r->mmio, high + 0x3ff8, &v, 8, false));
	assert_int_equal(f->offset, 0x3ff8);
	assert_false(bus_access(&r->mmio, high + 0x4000, &v, 4, false));
}

static void test_io_bar_moves_from_a_port_access(void **state)
{
	struct rig *r = *state;
	struct fdev *f = &r->dev[1];
	u32 v = 0x42;

	/*
	 * The config write arrives on the pio bus and maps a window on the
	 * same bus: this must not deadlock.
	 */
	cfc_write(r, DEVFN(2), 0x20, 0xd000, 4);
	cfc_write(r, DEVFN(2), 0x04, PCI_CMD_IO, 2);
	assert_int_equal(cfc_read(r, DEVFN(2), 0x20, 4), 0xd001);
	assert_true(bus_access(&r->pio, 0xd01f, &v, 1, true));
	assert_int_equal(f->offset, 0x1f);
	assert_int_equal(f->moved_bar, 4);
	cfc_write(r, DEVFN(2), 0x20, 0xe000, 4);
	assert_false(bus_access(&r->pio, 0xd000, &v, 1, true));
	assert_true(bus_access(&r->pio, 0xe000, &v, 1, true));
	/* Memory BARs stay dark: MEM decode is off. */
	assert_false(f->pci.bars[0].mapped);
}

static void test_hostile_bar_values(void **state)
{
	struct rig *r = *state;
	struct fdev *f = &r->dev[0];
	u32 v;

	/* An I/O range running past 64K cannot decode. */
	cfc_write(r, DEVFN(1), 0x20, 0x10000, 4);
	cfc_write(r, DEVFN(1), 0x04, PCI_CMD_IO | PCI_CMD_MEM, 2);
	assert_false(f->pci.bars[4].mapped);
	/* A BAR over the ECAM window stays dark; config still works. */
	cfc_write(r, DEVFN(1), 0x10, ECAM, 4);
	assert_false(f->pci.bars[0].mapped);
	assert_int_equal(ecam_read(r, DEVFN(1), 0, 4), 0x56781234);
	/* Two BARs on one address: the second loses, nothing breaks. */
	cfc_write(r, DEVFN(1), 0x10, MEM + 0x2000000, 4);
	assert_true(f->pci.bars[0].mapped);
	cfc_write(r, DEVFN(2), 0x04, PCI_CMD_MEM, 2);
	cfc_write(r, DEVFN(2), 0x10, MEM + 0x2000000, 4);
	assert_false(r->dev[1].pci.bars[0].mapped);
	v = 0;
	assert_true(bus_access(&r->mmio, MEM + 0x2000000, &v, 4, false));
	assert_int_equal(r->dev[0].bar_reads, 1);
}

static u8 cap_walk(struct rig *r, u8 devfn, u8 *ids, int max)
{
	u8 p = cfc_read(r, devfn, 0x34, 1);
	int n = 0;

	while (p && n < max) {
		ids[n++] = cfc_read(r, devfn, p, 1);
		p = cfc_read(r, devfn, p + 1, 1);
	}
	return n;
}

static void test_capability_chain(void **state)
{
	struct rig *r = *state;
	struct pci_dev *d = &r->dev[0].pci;
	u8 body[14] = {14, 1, 2, 3};
	u8 ids[8];
	int a, b;

	a = pci_dev_add_cap(d, 0x09, body, sizeof(body));
	b = pci_dev_add_cap(d, 0x05, body, 6);
	assert_int_equal(a, 0x40);
	assert_int_equal(b, 0x50); /* dword aligned after 16 bytes */
	assert_true(cfc_read(r, DEVFN(1), 0x06, 2) & PCI_STATUS_CAP_LIST);
	assert_int_equal(cap_walk(r, DEVFN(1), ids, 8), 2);
	assert_int_equal(ids[0], 0x09);
	assert_int_equal(ids[1], 0x05);
	assert_int_equal(cfc_read(r, DEVFN(1), 0x42, 1), 14);
	/* Capability headers are read-only. */
	cfc_write(r, DEVFN(1), 0x40, 0xffffffff, 4);
	assert_int_equal(cfc_read(r, DEVFN(1), 0x40, 2), 0x5009);
	/* Full space: -ENOSPC, the chain untouched. */
	while (pci_dev_add_cap(d, 0x09, body, sizeof(body)) >= 0)
		;
	assert_int_equal(pci_dev_add_cap(d, 0x09, body, 200), -ENOSPC);
	assert_true(cap_walk(r, DEVFN(1), ids, 8) <= 8);
}

static void test_read_only_header(void **state)
{
	struct rig *r = *state;
	u8 d = DEVFN(1);
	u32 reg;

	for (reg = 0x00; reg < 0x10; reg += 4)
		if (reg != 0x04 && reg != 0x0c)
			cfc_write(r, d, reg, 0, 4);
	cfc_write(r, d, 0x2c, 0, 4);
	cfc_write(r, d, 0x34, 0xff, 1);
	cfc_write(r, d, 0x3c, 0xffff, 2);
	assert_int_equal(cfc_read(r, d, 0x00, 4), 0x56781234);
	assert_int_equal(cfc_read(r, d, 0x08, 4), 0x02000007);
	assert_int_equal(cfc_read(r, d, 0x2c, 4), 0x00421af4);
	assert_int_equal(cfc_read(r, d, 0x34, 1), 0);
	/* Line is the guest's scratch, pin says INTA. */
	assert_int_equal(cfc_read(r, d, 0x3c, 2), 0x01ff);
	/* Command: only IO, MEM, MASTER and INTX_DISABLE stick. */
	cfc_write(r, d, 0x04, 0xffff, 2);
	assert_int_equal(cfc_read(r, d, 0x04, 2), 0x0407);
	/* Status bits are not the guest's to set. */
	cfc_write(r, d, 0x06, 0xffff, 2);
	assert_int_equal(cfc_read(r, d, 0x06, 2), 0);
}

static void test_intx(void **state)
{
	struct rig *r = *state;
	struct pci_dev *a = &r->dev[0].pci, *b = &r->dev[1].pci;

	assert_int_equal(cfc_read(r, DEVFN(1), 0x3c, 1), 11);
	assert_int_equal(cfc_read(r, DEVFN(1), 0x3d, 1), 1);
	pci_dev_set_intx(a, 1);
	assert_int_equal(r->irq.level, 1);
	assert_true(cfc_read(r, DEVFN(1), 0x06, 2) & PCI_STATUS_INTX);
	/* INTX_DISABLE drops the line but not the status bit. */
	cfc_write(r, DEVFN(1), 0x04, PCI_CMD_INTX_DISABLE, 2);
	assert_int_equal(r->irq.level, 0);
	assert_true(cfc_read(r, DEVFN(1), 0x06, 2) & PCI_STATUS_INTX);
	pci_dev_set_intx(a, 0);
	pci_dev_set_intx(a, 1);
	assert_int_equal(r->irq.level, 0);
	cfc_write(r, DEVFN(1), 0x04, 0, 2);
	assert_int_equal(r->irq.level, 1);
	/* The line is shared: it stays up while either device asserts. */
	pci_dev_set_intx(b, 1);
	pci_dev_set_intx(a, 0);
	assert_int_equal(r->irq.level, 1);
	assert_false(cfc_read(r, DEVFN(1), 0x06, 2) & PCI_STATUS_INTX);
	pci_dev_set_intx(b, 0);
	assert_int_equal(r->irq.level, 0);
	assert_int_equal(r->irq.raises, 2);
}

struct cf9 {
	int writes;
	u8 val;
};

static void cf9_write(void *opaque, u64 off, const void *data, u32 len)
{
	struct cf9 *c = opaque;

	c->writes++;
	c->val = *(const u8 *)data;
}

static const struct bus_ops cf9_ops = {.write = cf9_write};

static void test_odd_accesses(void **state)
{
	struct rig *r = *state;
	struct cf9 c = {0};
	u32 a = cf8_addr(0, DEVFN(1), 0), v = 0;
	u64 q = 0;

	/* Bytes and words anywhere inside CONFIG_DATA's dword. */
	assert_int_equal(cfc_read(r, DEVFN(1), 0x01, 1), 0x12);
	assert_int_equal(cfc_read(r, DEVFN(1), 0x01, 2), 0x7812);
	assert_int_equal(cfc_read(r, DEVFN(1), 0x03, 1), 0x56);
	cfc_write(r, DEVFN(1), 0x05, PCI_CMD_INTX_DISABLE >> 8, 1);
	assert_int_equal(cfc_read(r, DEVFN(1), 0x04, 2), PCI_CMD_INTX_DISABLE);
	/* Past the end of CONFIG_DATA: nobody's access. */
	bus_access(&r->pio, 0xcf8, &a, 4, true);
	assert_false(bus_access(&r->pio, 0xcfe, &v, 4, false));
	/* ECAM: a word across a dword boundary and a qword read nothing. */
	assert_int_equal(ecam_read(r, DEVFN(1), 0x03, 2), 0xffff);
	assert_true(
		bus_access(&r->mmio, ECAM + (DEVFN(1) << 12), &q, 8, false));
	assert_true(q == ~0ULL);
	ecam_write(r, DEVFN(1), 0x3b, 0xaaaa, 2);
	assert_int_equal(cfc_read(r, DEVFN(1), 0x3c, 1), 11);
	/* Bytes at 0xCF8-0xCFB are not CONFIG_ADDRESS; 0xCF9 is reset. */
	v = 0x12;
	bus_access(&r->pio, 0xcfb, &v, 1, true);
	bus_access(&r->pio, 0xcf8, &v, 4, false);
	assert_int_equal(v, cf8_addr(0, DEVFN(1), 0x3c));
	v = 0x06;
	bus_access(&r->pio, 0xcf9, &v, 1, true); /* no handler yet */
	pci_bus_set_cf9(&r->pci, &cf9_ops, &c);
	bus_access(&r->pio, 0xcf9, &v, 1, true);
	assert_int_equal(c.writes, 1);
	assert_int_equal(c.val, 0x06);
	v = 0x80000000;
	bus_access(&r->pio, 0xcf8, &v, 4, true);
	assert_int_equal(c.writes, 1);
	v = 0;
	bus_access(&r->pio, 0xcf9, &v, 1, false); /* no read hook */
	assert_int_equal(v & 0xff, 0xff);
}

static void test_device_hooks(void **state)
{
	struct rig *r = *state;
	struct fdev *f = &r->dev[0];

	cfc_read(r, DEVFN(1), 0x00, 4);
	cfc_write(r, DEVFN(1), 0x3c, 5, 1);
	assert_int_equal(f->cfg_reads + f->cfg_writes, 0);
	assert_int_equal(cfc_read(r, DEVFN(1), 0xf0, 4), 0x77777777);
	assert_int_equal(f->cfg_reads, 1);
	cfc_write(r, DEVFN(1), 0x80, 0x1234, 2);
	assert_int_equal(f->cfg_writes, 1);
	assert_int_equal(f->cfg_offset, 0x80);
	/* Not writable unless the device says so. */
	assert_int_equal(cfc_read(r, DEVFN(1), 0x80, 2), 0);
	f->pci.wmask[0x80] = 0xff;
	cfc_write(r, DEVFN(1), 0x80, 0x1234, 2);
	assert_int_equal(cfc_read(r, DEVFN(1), 0x80, 2), 0x34);
}

static void test_add_bar_checks(void **state)
{
	struct pci_dev d;

	pci_dev_init(&d, 1, 2, 0, 0, 0, 0);
	assert_int_equal(pci_dev_add_bar(&d, 6, 4096, 0, &fbar_ops, NULL),
			 -EINVAL);
	assert_int_equal(pci_dev_add_bar(&d, -1, 4096, 0, &fbar_ops, NULL),
			 -EINVAL);
	assert_int_equal(pci_dev_add_bar(&d, 0, 3000, 0, &fbar_ops, NULL),
			 -EINVAL);
	assert_int_equal(pci_dev_add_bar(&d, 0, 8, 0, &fbar_ops, NULL),
			 -EINVAL);
	assert_int_equal(
		pci_dev_add_bar(&d, 5, 4096, PCI_BAR_MEM64, &fbar_ops, NULL),
		-EINVAL);
	assert_int_equal(
		pci_dev_add_bar(&d, 0, 4096, PCI_BAR_IO, &fbar_ops, NULL),
		-EINVAL);
	assert_int_equal(pci_dev_add_bar(&d, 0, 1ULL << 32, 0, &fbar_ops, NULL),
			 -EINVAL);
	assert_int_equal(
		pci_dev_add_bar(&d, 1, 4096, PCI_BAR_MEM64, &fbar_ops, NULL),
		0);
	assert_int_equal(pci_dev_add_bar(&d, 2, 4096, 0, &fbar_ops, NULL),
			 -EBUSY);
	assert_int_equal(
		pci_dev_add_bar(&d, 0, 4096, PCI_BAR_MEM64, &fbar_ops, NULL),
		-EBUSY);
	assert_int_equal(pci_dev_add_bar(&d, 3, 1ULL << 32,
					 PCI_BAR_MEM64 | PCI_BAR_PREFETCH,
					 &fbar_ops, NULL),
			 0);
}

static void test_bus_full(void **state)
{
	struct rig *r = *state;
	static struct fdev more[PCI_MAX_SLOTS];
	struct pci_dev big;
	int i, ret;

	/* A BAR larger than the whole window does not fit. */
	pci_dev_init(&big, 1, 2, 0, 0, 0, 0);
	assert_int_equal(
		pci_dev_add_bar(&big, 0, 1ULL << 31, 0, &fbar_ops, NULL), 0);
	assert_int_equal(pci_bus_add(&r->pci, &big, NULL), -ENOSPC);
	for (i = 3; i < PCI_MAX_SLOTS; i++) {
		pci_dev_init(&more[i].pci, 1, i, 0, 0, 0, 0);
		ret = pci_bus_add(&r->pci, &more[i].pci, NULL);
		assert_int_equal(ret, i);
		assert_int_equal(cfc_read(r, DEVFN(i), 0x3d, 1), 0);
	}
	pci_dev_init(&more[0].pci, 1, 2, 0, 0, 0, 0);
	assert_int_equal(pci_bus_add(&r->pci, &more[0].pci, NULL), -ENOSPC);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, rig_setup, rig_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_host_bridge_ids),
		T(test_absent_reads_all_ones),
		T(test_ecam_matches_cf8),
		T(test_bar_sizing),
		T(test_bar_placement),
		T(test_mem_decode_maps_and_moves),
		T(test_64bit_bar_above_4g),
		T(test_io_bar_moves_from_a_port_access),
		T(test_hostile_bar_values),
		T(test_capability_chain),
		T(test_read_only_header),
		T(test_intx),
		T(test_odd_accesses),
		T(test_device_hooks),
		cmocka_unit_test(test_add_bar_checks),
		T(test_bus_full),
	};

	return cmocka_run_group_tests_name("hw/pci", tests, NULL, NULL);
}
