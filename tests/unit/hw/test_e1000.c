// SPDX-License-Identifier: GPL-2.0
/*
 * The 82540EM driven as Linux's e1000 driver drives it: through PCI
 * config space and its BARs, over fake guest RAM and a fake back end.
 * No VM and no vCPU: the rings are handled when the test turns the
 * main loop, as knit's main thread would.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fakes.h"
#include "hw/e1000.h"
#include "knit/le.h"
#include "kvm/loop.h"
#include "kvm/memory.h"
#include "net/netdev.h"

#define RAM_SIZE	0x200000ULL
#define ECAM		0xe0000000ULL
#define MEM		0xc0000000ULL
#define MEM_SIZE	0x10000000ULL
#define IO		0xc000
#define IO_SIZE		0x4000

#define NDESC		64
#define TX_RING		0x1000ULL		/* NDESC descriptors */
#define RX_RING		0x2000ULL
#define BIG_RING	0x4000ULL		/* up to 4096 descriptors */
#define TX_BUF(i)	(0x20000ULL + (i) * 0x800ULL)
#define TX_DATA		0x60000ULL		/* a TSO packet's payload */
#define RX_BUF(i)	(0x100000ULL + (i) * 0x800ULL)
#define CANARY		0x1f0000ULL		/* must never be written */
#define OUTSIDE		0x80000000ULL		/* not RAM */

#define PEER_KEEP	64
#define FRAME_MAX	4096

struct fake_peer {
	int frames;		/* taken */
	int refused;		/* said 0 */
	int wakes;
	int flushes;
	int unflushed;		/* taken since the last flush */
	bool answer_zero;
	size_t len[PEER_KEEP];
	u8 data[PEER_KEEP][FRAME_MAX];
};

struct fx {
	struct guest_mem mem;
	struct loop loop;
	struct bus pio, mmio;
	struct pci_bus pci;
	struct fake_irq irq;
	struct netdev_cfg ncfg;
	struct netdev nd;
	struct fake_peer peer;
	struct e1000 *d;
	u8 *ram;
	u64 bar0, bar1;
};

static const u8 nic_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const u8 other_mac[6] = { 0x52, 0x54, 0x00, 0x99, 0x88, 0x77 };
static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* ---- the fake back end ---- */

static ssize_t peer_receive(struct net_port *port, const struct iovec *iov,
			    int cnt)
{
	struct fake_peer *p = port->opaque;
	size_t len = 0;
	int i;

	if (p->answer_zero) {
		p->refused++;
		return 0;
	}
	for (i = 0; i < cnt; i++) {
		if (p->frames < PEER_KEEP && len + iov[i].iov_len <= FRAME_MAX)
			memcpy(p->data[p->frames] + len, iov[i].iov_base,
			       iov[i].iov_len);
		len += iov[i].iov_len;
	}
	if (p->frames < PEER_KEEP)
		p->len[p->frames] = len;
	p->frames++;
	p->unflushed++;
	return len;
}

static void peer_wake(struct net_port *port)
{
	struct fake_peer *p = port->opaque;

	p->wakes++;
}

static void peer_flush(struct net_port *port)
{
	struct fake_peer *p = port->opaque;

	p->flushes++;
	p->unflushed = 0;
}

static const struct net_port_ops peer_ops = {
	.receive = peer_receive,
	.wake = peer_wake,
	.flush = peer_flush,
};

/* ---- registers as the driver reaches them ---- */

static u32 rd(struct fx *f, u32 off)
{
	u8 b[4] = { 0 };

	assert_true(bus_access(&f->mmio, f->bar0 + off, b, 4, false));
	return get_le32(b);
}

static void wr(struct fx *f, u32 off, u32 v)
{
	u8 b[4];

	put_le32(b, v);
	assert_true(bus_access(&f->mmio, f->bar0 + off, b, 4, true));
}

static u32 io_rd(struct fx *f, u32 off)
{
	u8 b[4] = { 0 };

	assert_true(bus_access(&f->pio, f->bar1 + off, b, 4, false));
	return get_le32(b);
}

static void io_wr(struct fx *f, u32 off, u32 v)
{
	u8 b[4];

	put_le32(b, v);
	assert_true(bus_access(&f->pio, f->bar1 + off, b, 4, true));
}

static void run_loop(struct fx *f)
{
	int i;

	for (i = 0; i < 64 && loop_run_once(&f->loop, 0) > 0; i++)
		;
}

static u8 *gpa(struct fx *f, u64 a)
{
	return f->ram + a;
}

static u16 be16_at(const u8 *p)
{
	return p[0] << 8 | p[1];
}

static u32 be32_at(const u8 *p)
{
	return (u32)be16_at(p) << 16 | be16_at(p + 2);
}

static void be16_put(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* An independent checksum for checking: plain 16-bit words. */
static u32 sum16(const u8 *p, size_t n, u32 s)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += p[i] << 8 | p[i + 1];
	if (n & 1)
		s += p[n - 1] << 8;
	return s;
}

static u16 fold16(u32 s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

/* ---- set-up ---- */

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	u16 cmd = PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_MASTER;

	assert_non_null(f);
	f->ram = aligned_alloc(4096, RAM_SIZE);
	assert_non_null(f->ram);
	memset(f->ram, 0, RAM_SIZE);
	assert_int_equal(guest_mem_add(&f->mem, 0, f->ram, RAM_SIZE), 0);
	assert_int_equal(loop_init(&f->loop), 0);
	bus_init(&f->pio, "pio");
	bus_init(&f->mmio, "mmio");
	assert_int_equal(pci_bus_init(&f->pci, &f->pio, &f->mmio, ECAM, MEM,
				      MEM_SIZE, IO, IO_SIZE), 0);
	fake_irq_init(&f->irq);
	f->irq.line.gsi = 11;

	/* A back end of no known type: no offloads to turn off. */
	f->ncfg.type = (enum netdev_type)-1;
	f->ncfg.id = "fake";
	f->ncfg.queues = 1;
	f->ncfg.fd = -1;
	f->nd.cfg = &f->ncfg;
	f->nd.nr_queues = 1;
	f->nd.ports[0] = (struct net_port){
		.name = "fake", .ops = &peer_ops, .opaque = &f->peer,
	};
	assert_int_equal(e1000_create(&f->d, 0, nic_mac, &f->nd, &f->pci,
				      &f->irq.line, &f->mem, &f->loop), 0);
	pci_config_write(&f->pci, f->d->pci.slot << 3, PCI_CFG_COMMAND, &cmd,
			 2);
	f->bar0 = f->d->pci.bars[0].addr;
	f->bar1 = f->d->pci.bars[1].addr;
	assert_true(f->bar0 && f->bar1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	e1000_destroy(f->d);
	pci_bus_exit(&f->pci);
	bus_exit(&f->pio);
	bus_exit(&f->mmio);
	loop_exit(&f->loop);
	free(f->ram);
	free(f);
	return 0;
}

#define IMS_LINUX (E1000_ICR_RXT0 | E1000_ICR_TXDW | E1000_ICR_RXDMT0 | \
		   E1000_ICR_RXSEQ | E1000_ICR_LSC)

/* What e1000_configure() leaves: rings set, units on, interrupts on. */
static void driver_up(struct fx *f, u32 rctl_extra)
{
	wr(f, E1000_CTRL, rd(f, E1000_CTRL) | E1000_CTRL_RST);
	wr(f, E1000_IMC, 0xffffffff);
	rd(f, E1000_ICR);
	wr(f, E1000_TDLEN, NDESC * 16);
	wr(f, E1000_TDBAH, 0);
	wr(f, E1000_TDBAL, TX_RING);
	wr(f, E1000_TDT, 0);
	wr(f, E1000_TDH, 0);
	wr(f, E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP);
	wr(f, E1000_RDLEN, NDESC * 16);
	wr(f, E1000_RDBAH, 0);
	wr(f, E1000_RDBAL, RX_RING);
	wr(f, E1000_RDT, 0);
	wr(f, E1000_RDH, 0);
	wr(f, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_BAM | rctl_extra);
	wr(f, E1000_IMS, IMS_LINUX);
	run_loop(f);
}

/* ---- receive helpers ---- */

static void rx_post(struct fx *f, u16 first, u16 count)
{
	u16 i;

	for (i = first; i < first + count; i++) {
		u8 *d = gpa(f, RX_RING + 16ULL * (i % NDESC));

		memset(d, 0, 16);
		put_le64(d, RX_BUF(i % NDESC));
		memset(gpa(f, RX_BUF(i % NDESC)), 0xee, 0x800);
	}
	wr(f, E1000_RDT, (first + count) % NDESC);
	run_loop(f);
}

static u8 *rx_desc(struct fx *f, u16 i)
{
	return gpa(f, RX_RING + 16ULL * i);
}

static ssize_t inject(struct fx *f, const u8 *frame, size_t len)
{
	struct iovec iov = { (void *)frame, len };

	return net_port_send(&f->nd.ports[0], &iov, 1);
}

static size_t make_frame(u8 *buf, const u8 *dst, size_t len, u8 fill)
{
	memset(buf, fill, len);
	memcpy(buf, dst, 6);
	memcpy(buf + 6, other_mac, 6);
	buf[12] = 0x88;		/* an experimental ethertype */
	buf[13] = 0xb5;
	return len;
}

/* ---- transmit helpers ---- */

static void tx_legacy(struct fx *f, u16 i, u64 addr, u16 len, u8 cmd,
		      u8 cso, u8 css, u16 special)
{
	u8 *d = gpa(f, TX_RING + 16ULL * i);

	put_le64(d, addr);
	put_le32(d + 8, len | (u32)cso << 16 | (u32)cmd << 24);
	put_le32(d + 12, (u32)css << 8 | (u32)special << 16);
}

struct ctx {
	u8 ipcss, ipcso;
	u16 ipcse;
	u8 tucss, tucso;
	u16 tucse;
	u8 tucmd;
	u32 paylen;
	u8 hdrlen;
	u16 mss;
};

static void tx_ctx(struct fx *f, u16 i, const struct ctx *c)
{
	u8 *d = gpa(f, TX_RING + 16ULL * i);

	d[0] = c->ipcss;
	d[1] = c->ipcso;
	put_le16(d + 2, c->ipcse);
	d[4] = c->tucss;
	d[5] = c->tucso;
	put_le16(d + 6, c->tucse);
	put_le32(d + 8, (c->paylen & 0xfffff) |
			(u32)(c->tucmd | E1000_TXD_CMD_DEXT) << 24);
	put_le32(d + 12, (u32)c->hdrlen << 8 | (u32)c->mss << 16);
}

static void tx_data(struct fx *f, u16 i, u64 addr, u32 len, u8 dcmd,
		    u8 popts)
{
	u8 *d = gpa(f, TX_RING + 16ULL * i);

	put_le64(d, addr);
	put_le32(d + 8, (len & 0xfffff) | 1u << 20 |
			(u32)(dcmd | E1000_TXD_CMD_DEXT) << 24);
	put_le32(d + 12, (u32)popts << 8);
}

static u8 tx_status(struct fx *f, u16 i)
{
	return gpa(f, TX_RING + 16ULL * i)[12];
}

static void tx_kick(struct fx *f, u16 tdt)
{
	wr(f, E1000_TDT, tdt);
	run_loop(f);
}

#define EOP_RS (E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS)

/*
 * An IPv4/TCP frame at buf: 14 + 20 + 20 header bytes, then payload
 * bytes i & 0xff. Checksums left as a TSO driver leaves them when tso:
 * IP length and checksum 0, the TCP field the pseudo-header sum without
 * length; else whole and correct.
 */
#define HDR_LEN		54
static size_t make_tcp(u8 *buf, size_t payload, bool tso, u8 flags)
{
	u8 *ip = buf + 14, *tcp = ip + 20;
	size_t i, len = HDR_LEN + payload;
	u32 s;

	memset(buf, 0, HDR_LEN);
	memcpy(buf, other_mac, 6);
	memcpy(buf + 6, nic_mac, 6);
	be16_put(buf + 12, 0x0800);
	ip[0] = 0x45;
	be16_put(ip + 2, tso ? 0 : 20 + 20 + payload);
	be16_put(ip + 4, 0x1234);	/* ID */
	ip[8] = 64;
	ip[9] = 6;
	ip[12] = 10; ip[13] = 0; ip[14] = 2; ip[15] = 15;
	ip[16] = 10; ip[17] = 0; ip[18] = 2; ip[19] = 2;
	be16_put(tcp, 40000);
	be16_put(tcp + 2, 5201);
	be16_put(tcp + 4, 0x1000);	/* seq 0x10000000 */
	be16_put(tcp + 6, 0);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	be16_put(tcp + 14, 65535);
	for (i = 0; i < payload; i++)
		buf[HDR_LEN + i] = i & 0xff;
	/* Pseudo header: addresses and protocol, length only if whole. */
	s = sum16(ip + 12, 8, 6 + (tso ? 0 : 20 + payload));
	if (tso) {
		be16_put(tcp + 16, fold16(s));
		return len;
	}
	be16_put(ip + 10, ~fold16(sum16(ip, 20, 0)));
	be16_put(tcp + 16, ~fold16(sum16(tcp, 20 + payload, s)));
	return len;
}

static bool ip_csum_ok(const u8 *frame)
{
	return fold16(sum16(frame + 14, 20, 0)) == 0xffff;
}

static bool tcp_csum_ok(const u8 *frame, size_t len)
{
	const u8 *ip = frame + 14;
	u32 l4 = be16_at(ip + 2) - 20;
	u32 s = sum16(ip + 12, 8, 6 + l4);

	assert_true(14 + 20 + l4 <= len);
	return fold16(sum16(ip + 20, l4, s)) == 0xffff;
}

/* ================= tests ================= */

static void test_pci_identity(void **state)
{
	struct fx *f = *state;
	u8 devfn = f->d->pci.slot << 3;
	u32 v = 0, bar = 0xffffffff;

	pci_config_read(&f->pci, devfn, 0, &v, 4);
	assert_int_equal(v, 0x100e8086);
	pci_config_read(&f->pci, devfn, PCI_CFG_REVISION, &v, 4);
	assert_int_equal(v >> 8, 0x020000);	/* Ethernet controller */
	pci_config_read(&f->pci, devfn, PCI_CFG_SUBSYS_VENDOR, &v, 4);
	assert_int_equal(v, 0x001e8086);
	v = 0;
	pci_config_read(&f->pci, devfn, PCI_CFG_INT_PIN, &v, 1);
	assert_int_equal(v, 1);			/* INTA#, no MSI */
	/* BAR0: 128 KiB of 32-bit memory; BAR1: an I/O window. */
	pci_config_write(&f->pci, devfn, PCI_CFG_BAR0, &bar, 4);
	pci_config_read(&f->pci, devfn, PCI_CFG_BAR0, &v, 4);
	assert_int_equal(v, 0xfffe0000);
	pci_config_write(&f->pci, devfn, PCI_CFG_BAR0 + 4, &bar, 4);
	pci_config_read(&f->pci, devfn, PCI_CFG_BAR0 + 4, &v, 4);
	assert_int_equal(v & 1, 1);
	assert_int_equal(~(v & ~3u) + 1, 0x20);
}

/* The driver's Microwire read, bit by bit through EECD. */
static void ee_shift_out(struct fx *f, u32 *e, u16 data, int count)
{
	u16 mask = 1 << (count - 1);

	*e &= ~E1000_EECD_DO;
	while (mask) {
		*e &= ~E1000_EECD_DI;
		if (data & mask)
			*e |= E1000_EECD_DI;
		wr(f, E1000_EECD, *e);
		wr(f, E1000_EECD, *e | E1000_EECD_SK);
		wr(f, E1000_EECD, *e);
		mask >>= 1;
	}
	*e &= ~E1000_EECD_DI;
	wr(f, E1000_EECD, *e);
}

static u16 ee_read(struct fx *f, u8 addr)
{
	u32 e = rd(f, E1000_EECD);
	u16 data = 0;
	int i;

	assert_true(e & E1000_EECD_PRES);
	assert_false(e & E1000_EECD_SIZE);	/* 64 words, 6 address bits */
	e |= E1000_EECD_REQ;
	wr(f, E1000_EECD, e);
	assert_true(rd(f, E1000_EECD) & E1000_EECD_GNT);
	e &= ~(E1000_EECD_DI | E1000_EECD_SK);
	wr(f, E1000_EECD, e);
	e |= E1000_EECD_CS;
	wr(f, E1000_EECD, e);
	ee_shift_out(f, &e, 0x6, 3);		/* start bit, READ */
	ee_shift_out(f, &e, addr, 6);
	for (i = 0; i < 16; i++) {
		data <<= 1;
		wr(f, E1000_EECD, e | E1000_EECD_SK);
		if (rd(f, E1000_EECD) & E1000_EECD_DO)
			data |= 1;
		wr(f, E1000_EECD, e);
	}
	e &= ~(E1000_EECD_CS | E1000_EECD_DI);
	wr(f, E1000_EECD, e);
	wr(f, E1000_EECD, e | E1000_EECD_SK);
	wr(f, E1000_EECD, e);
	wr(f, E1000_EECD, e & ~E1000_EECD_REQ);
	return data;
}

static void test_eeprom_checksum_and_mac(void **state)
{
	struct fx *f = *state;
	u16 words[64], sum = 0;
	u32 eerd;
	int i;

	for (i = 0; i < 64; i++) {
		words[i] = ee_read(f, i);
		sum += words[i];
	}
	assert_int_equal(sum, 0xbaba);
	for (i = 0; i < 3; i++)
		assert_int_equal(words[i], get_le16(nic_mac + 2 * i));
	assert_int_equal(words[0x0d], 0x100e);
	assert_int_equal(words[0x0e], 0x8086);
	/* The one-access path reads the same words. */
	wr(f, E1000_EERD, 1 << 8 | E1000_EERD_START);
	eerd = rd(f, E1000_EERD);
	assert_true(eerd & E1000_EERD_DONE);
	assert_int_equal(eerd >> 16, words[1]);
	/* A deselect in the middle of a command starts over cleanly. */
	wr(f, E1000_EECD, E1000_EECD_CS);
	wr(f, E1000_EECD, E1000_EECD_CS | E1000_EECD_DI | E1000_EECD_SK);
	wr(f, E1000_EECD, 0);
	assert_int_equal(ee_read(f, 2), words[2]);
}

static u32 mdic(struct fx *f, u32 op, u8 phy, u8 reg, u16 data)
{
	u32 v;
	int i;

	wr(f, E1000_MDIC, op | (u32)phy << 21 | (u32)reg << 16 | data);
	for (i = 0; i < 64; i++) {
		v = rd(f, E1000_MDIC);
		if (v & E1000_MDIC_READY)
			return v;
	}
	fail_msg("MDIC never ready");
	return 0;
}

#define PHY_RD(f, reg) (mdic(f, E1000_MDIC_OP_READ, 1, reg, 0) & 0xffff)

static void test_phy(void **state)
{
	struct fx *f = *state;
	u32 v;

	/* M88E1011 as the driver matches it: ID 0x01410c20, revision 0. */
	assert_int_equal(PHY_RD(f, 2), 0x0141);
	assert_int_equal(PHY_RD(f, 3) & 0xfff0, 0x0c20);
	/* Link up, autonegotiation complete; 1000 full in M88 status. */
	assert_int_equal(PHY_RD(f, 1) & 0x0024, 0x0024);
	assert_int_equal(PHY_RD(f, 0x11) & 0xec00, 0xac00);
	assert_true(PHY_RD(f, 5));	/* a link partner answered */
	/* Nothing at another address. */
	v = mdic(f, E1000_MDIC_OP_READ, 2, 1, 0);
	assert_true(v & E1000_MDIC_ERROR);
	v = mdic(f, E1000_MDIC_OP_READ, 1, 1, 0);
	assert_false(v & E1000_MDIC_ERROR);
	/*
	 * Writable registers keep what is written, through a software
	 * reset (which clears itself and power-down); a hardware reset
	 * (CTRL.PHY_RST) restores them.
	 */
	mdic(f, E1000_MDIC_OP_WRITE, 1, 4, 0x0de1);
	assert_int_equal(PHY_RD(f, 4), 0x0de1);
	mdic(f, E1000_MDIC_OP_WRITE, 1, 0, PHY_RD(f, 0) | 0x8800);
	assert_int_equal(PHY_RD(f, 0), 0x1140);
	assert_int_equal(PHY_RD(f, 4), 0x0de1);
	wr(f, E1000_CTRL, rd(f, E1000_CTRL) | E1000_CTRL_PHY_RST);
	wr(f, E1000_CTRL, rd(f, E1000_CTRL) & ~E1000_CTRL_PHY_RST);
	assert_int_equal(PHY_RD(f, 4), 0x01e1);
	/* Restart autonegotiation: done at once. */
	mdic(f, E1000_MDIC_OP_WRITE, 1, 0, PHY_RD(f, 0) | 0x1200);
	assert_int_equal(PHY_RD(f, 0) & 0x0200, 0);
	assert_true(PHY_RD(f, 1) & 0x0020);
	/* Read-only ones do not change. */
	mdic(f, E1000_MDIC_OP_WRITE, 1, 2, 0x1234);
	assert_int_equal(PHY_RD(f, 2), 0x0141);
	/* An MDIC with I set raises MDAC. */
	wr(f, E1000_IMS, E1000_ICR_MDAC);
	mdic(f, E1000_MDIC_OP_READ | E1000_MDIC_INT_EN, 1, 1, 0);
	assert_int_equal(f->irq.level, 1);
	assert_true(rd(f, E1000_ICR) & E1000_ICR_MDAC);
}

static void test_status_and_link_changes(void **state)
{
	struct fx *f = *state;
	u32 s = rd(f, E1000_STATUS);

	assert_true(s & E1000_STATUS_LU);
	assert_true(s & E1000_STATUS_FD);
	assert_int_equal(s & 0xc0, E1000_STATUS_SPEED_1000);
	assert_int_equal(s & 0x20, 0);		/* copper, not TBI */
	wr(f, E1000_IMS, E1000_ICR_LSC);
	e1000_set_link(f->d, false);
	assert_false(rd(f, E1000_STATUS) & E1000_STATUS_LU);
	assert_int_equal(PHY_RD(f, 1) & 0x0024, 0);
	assert_int_equal(f->irq.level, 1);
	assert_int_equal(rd(f, E1000_ICR), E1000_ICR_LSC);
	assert_int_equal(f->irq.level, 0);
	e1000_set_link(f->d, false);		/* no change, no cause */
	assert_int_equal(rd(f, E1000_ICR), 0);
	e1000_set_link(f->d, true);
	assert_true(rd(f, E1000_ICR) & E1000_ICR_LSC);
	assert_true(rd(f, E1000_STATUS) & E1000_STATUS_LU);
	/* Powering the PHY down takes the link down too. */
	mdic(f, E1000_MDIC_OP_WRITE, 1, 0, PHY_RD(f, 0) | 0x0800);
	assert_false(rd(f, E1000_STATUS) & E1000_STATUS_LU);
	assert_true(rd(f, E1000_ICR) & E1000_ICR_LSC);
	mdic(f, E1000_MDIC_OP_WRITE, 1, 0, PHY_RD(f, 0) & ~0x0800);
	assert_true(rd(f, E1000_STATUS) & E1000_STATUS_LU);
}

static void test_interrupt_cause_and_mask(void **state)
{
	struct fx *f = *state;

	wr(f, E1000_IMC, 0xffffffff);
	rd(f, E1000_ICR);
	/* A masked cause is recorded but does not interrupt. */
	wr(f, E1000_ICS, E1000_ICR_RXT0);
	assert_int_equal(f->irq.level, 0);
	wr(f, E1000_IMS, E1000_ICR_RXT0);
	assert_int_equal(rd(f, E1000_IMS), E1000_ICR_RXT0);
	assert_int_equal(f->irq.level, 1);
	/* IMC masks it again: the line drops, the cause stays. */
	wr(f, E1000_IMC, E1000_ICR_RXT0);
	assert_int_equal(f->irq.level, 0);
	assert_int_equal(rd(f, E1000_IMS), 0);
	wr(f, E1000_IMS, E1000_ICR_RXT0 | E1000_ICR_LSC);
	assert_int_equal(f->irq.level, 1);
	/* Reading ICR returns and clears every cause. */
	wr(f, E1000_ICS, E1000_ICR_TXDW);
	assert_int_equal(rd(f, E1000_ICR), E1000_ICR_RXT0 | E1000_ICR_TXDW);
	assert_int_equal(f->irq.level, 0);
	assert_int_equal(rd(f, E1000_ICR), 0);
	/* Writing ones to ICR clears those. */
	wr(f, E1000_ICS, E1000_ICR_LSC | E1000_ICR_RXT0);
	wr(f, E1000_ICR, E1000_ICR_LSC);
	assert_int_equal(rd(f, E1000_ICR), E1000_ICR_RXT0);
	/* Bits the chip has not are not set by ICS. */
	wr(f, E1000_ICS, 0x80000000);
	assert_int_equal(rd(f, E1000_ICR), 0);
}

static void test_itr_throttles(void **state)
{
	struct fx *f = *state;
	int i;

	wr(f, E1000_IMS, E1000_ICR_RXT0);
	wr(f, E1000_ITR, 3906);			/* ~1 ms between interrupts */
	assert_int_equal(rd(f, E1000_ITR), 3906);
	wr(f, E1000_ICS, E1000_ICR_RXT0);
	assert_int_equal(f->irq.level, 1);
	rd(f, E1000_ICR);
	assert_int_equal(f->irq.level, 0);
	/* Too soon: the cause waits in ICR for the throttle timer. */
	wr(f, E1000_ICS, E1000_ICR_RXT0);
	assert_int_equal(f->irq.level, 0);
	for (i = 0; i < 100 && !f->irq.level; i++)
		loop_run_once(&f->loop, 10);
	assert_int_equal(f->irq.level, 1);
	assert_int_equal(rd(f, E1000_ICR), E1000_ICR_RXT0);
	/* ITR 0: no throttling. */
	wr(f, E1000_ITR, 0);
	wr(f, E1000_ICS, E1000_ICR_RXT0);
	assert_int_equal(f->irq.level, 1);
}

static void test_io_window_and_reset(void **state)
{
	struct fx *f = *state;

	/* IOADDR picks a register, IODATA reaches it. */
	io_wr(f, 0, E1000_STATUS);
	assert_int_equal(io_rd(f, 0), E1000_STATUS);
	assert_true(io_rd(f, 4) & E1000_STATUS_LU);
	wr(f, E1000_RA, 0x11111111);
	wr(f, E1000_IMS, E1000_ICR_LSC);
	wr(f, E1000_MTA + 8, 0xffff);
	wr(f, E1000_ITR, 100);
	/* The driver resets through the I/O window on the 82540. */
	io_wr(f, 0, E1000_CTRL);
	io_wr(f, 4, rd(f, E1000_CTRL) | E1000_CTRL_RST);
	assert_int_equal(rd(f, E1000_CTRL) & E1000_CTRL_RST, 0);
	assert_int_equal(rd(f, E1000_IMS), 0);
	assert_int_equal(rd(f, E1000_MTA + 8), 0);
	assert_int_equal(rd(f, E1000_ITR), 0);
	/* Receive address 0 comes back from the EEPROM, valid. */
	assert_int_equal(rd(f, E1000_RA), get_le32(nic_mac));
	assert_int_equal(rd(f, E1000_RA + 4),
			 get_le16(nic_mac + 4) | E1000_RAH_AV);
	assert_int_equal(rd(f, E1000_VET), 0x8100);
	/* Odd sizes: narrow reads see bytes of the register. */
	{
		u8 b = 0;

		assert_true(bus_access(&f->mmio, f->bar0 + E1000_RA + 1, &b, 1,
				       false));
		assert_int_equal(b, nic_mac[1]);
	}
	/* Unknown registers read 0 and ignore writes. */
	wr(f, 0x1234, 0xdeadbeef);
	assert_int_equal(rd(f, 0x1234), 0);
	wr(f, 0x1fff0, 0xdeadbeef);
	assert_int_equal(rd(f, 0x1fff0), 0);
	io_wr(f, 0, 0xffffffff);
	assert_int_equal(io_rd(f, 4), 0);
}

static void test_rx_one_buffer(void **state)
{
	struct fx *f = *state;
	u8 frame[200];
	u8 *d = rx_desc(f, 0);

	driver_up(f, 0);
	rx_post(f, 0, 8);
	make_frame(frame, nic_mac, sizeof(frame), 0x5a);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(d[E1000_RXD_STATUS] & 3,
			 E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP);
	assert_int_equal(d[E1000_RXD_ERRORS], 0);
	/* The FCS follows, as the driver expects to cut it off: zeros. */
	assert_int_equal(get_le16(d + E1000_RXD_LENGTH), sizeof(frame) + 4);
	assert_memory_equal(gpa(f, RX_BUF(0)), frame, sizeof(frame));
	assert_int_equal(get_le32(gpa(f, RX_BUF(0)) + sizeof(frame)), 0);
	assert_int_equal(rd(f, E1000_RDH), 1);
	assert_int_equal(f->irq.level, 1);
	assert_true(rd(f, E1000_ICR) & E1000_ICR_RXT0);
	/* With SECRC the length is the frame's. */
	wr(f, E1000_RCTL, rd(f, E1000_RCTL) | E1000_RCTL_SECRC);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(get_le16(rx_desc(f, 1) + E1000_RXD_LENGTH),
			 sizeof(frame));
	/* Statistics count it and clear on read. */
	assert_int_equal(rd(f, E1000_GPRC), 2);
	assert_int_equal(rd(f, E1000_GPRC), 0);
	assert_int_equal(rd(f, E1000_TPR), 2);
	assert_int_equal(rd(f, E1000_GORCL), 2 * (sizeof(frame) + 4));
	assert_int_equal(rd(f, E1000_GORCL), 2 * (sizeof(frame) + 4));
	assert_int_equal(rd(f, E1000_GORCH), 0);	/* clears the pair */
	assert_int_equal(rd(f, E1000_GORCL), 0);
	assert_int_equal(rd(f, E1000_PRC255), 2);
}

static void test_rx_short_frame_padded(void **state)
{
	struct fx *f = *state;
	u8 frame[42];
	u8 *buf = gpa(f, RX_BUF(0));

	driver_up(f, 0);
	rx_post(f, 0, 4);
	make_frame(frame, bcast, sizeof(frame), 0x11);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(get_le16(rx_desc(f, 0) + E1000_RXD_LENGTH), 64);
	assert_memory_equal(buf, frame, sizeof(frame));
	/* Padding and FCS are zeros, not what the buffer held (0xee). */
	for (size_t i = sizeof(frame); i < 64; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(buf[64], 0xee);
	assert_int_equal(rd(f, E1000_BPRC), 1);
}

static void test_rx_several_descriptors(void **state)
{
	struct fx *f = *state;
	static u8 frame[1000];
	u8 *d;
	int i;

	/* 256-byte buffers, long packets allowed: 1000 + 4 takes four. */
	driver_up(f, E1000_RCTL_LPE | 3 << E1000_RCTL_BSIZE_SHIFT);
	rx_post(f, 0, 8);
	make_frame(frame, nic_mac, sizeof(frame), 0);
	for (i = 14; i < (int)sizeof(frame); i++)
		frame[i] = i;
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	for (i = 0; i < 4; i++) {
		d = rx_desc(f, i);
		assert_int_equal(d[E1000_RXD_STATUS] & E1000_RXD_STAT_DD,
				 E1000_RXD_STAT_DD);
		assert_int_equal(!!(d[E1000_RXD_STATUS] & E1000_RXD_STAT_EOP),
				 i == 3);
		assert_int_equal(get_le16(d + E1000_RXD_LENGTH),
				 i < 3 ? 256 : 1004 - 768);
		assert_memory_equal(gpa(f, RX_BUF(i)), frame + 256 * i,
				    i < 3 ? 256 : 1000 - 768);
	}
	assert_int_equal(rx_desc(f, 4)[E1000_RXD_STATUS], 0);
	assert_int_equal(rd(f, E1000_RDH), 4);
	/* The next takes the other four; then the ring is empty: wait. */
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(rd(f, E1000_RDH), 8);
	assert_int_equal(inject(f, frame, 100), 0);
	assert_int_equal(rd(f, E1000_RDH), 8);
}

static void test_rx_no_buffers_then_wake(void **state)
{
	struct fx *f = *state;
	u8 frame[100];

	driver_up(f, 0);
	f->peer.wakes = 0;
	make_frame(frame, nic_mac, sizeof(frame), 1);
	/* No descriptors: refused, nothing written, the sender keeps it. */
	assert_int_equal(inject(f, frame, sizeof(frame)), 0);
	assert_int_equal(rx_desc(f, 0)[E1000_RXD_STATUS], 0);
	assert_int_equal(f->peer.wakes, 0);
	/* The driver moves RDT: the main loop wakes the back end. */
	rx_post(f, 0, 2);
	assert_int_equal(f->peer.wakes, 1);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(rd(f, E1000_RDH), 1);
	/* No second wake without a second refusal. */
	rx_post(f, 2, 2);
	assert_int_equal(f->peer.wakes, 1);
}

static void test_rx_filters(void **state)
{
	struct fx *f = *state;
	static const u8 mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
	u8 frame[64];
	u32 h;

	driver_up(f, 0);
	rx_post(f, 0, NDESC - 1);
	/* Our address and broadcast pass; others do not. */
	make_frame(frame, nic_mac, 64, 0);
	inject(f, frame, 64);
	assert_int_equal(rd(f, E1000_RDH), 1);
	make_frame(frame, other_mac, 64, 0);
	assert_int_equal(inject(f, frame, 64), 64);	/* taken, dropped */
	assert_int_equal(rd(f, E1000_RDH), 1);
	make_frame(frame, bcast, 64, 0);
	inject(f, frame, 64);
	assert_int_equal(rd(f, E1000_RDH), 2);
	/* Without BAM broadcast is like any multicast: the table decides. */
	wr(f, E1000_RCTL, rd(f, E1000_RCTL) & ~E1000_RCTL_BAM);
	inject(f, frame, 64);
	assert_int_equal(rd(f, E1000_RDH), 2);
	/* A second exact address in RAR 1; dropped again when not valid. */
	wr(f, E1000_RA + 8, get_le32(other_mac));
	wr(f, E1000_RA + 12, get_le16(other_mac + 4) | E1000_RAH_AV);
	make_frame(frame, other_mac, 64, 0);
	inject(f, frame, 64);
	assert_int_equal(rd(f, E1000_RDH), 3);
	wr(f, E1000_RA + 12, get_le16(other_mac + 4));
	inject(f, frame, 64);
	assert_int_equal(rd(f, E1000_RDH), 3);
	/* Unicast promiscuous takes it. */
	wr(f, E1000_RCTL, rd(f, E1000_RCTL) | E1000_RCTL_UPE);
	inject(f, frame, 64);
	assert_int_equal(rd(f, E1000_RDH), 4);
	wr(f, E1000_RCTL, rd(f, E1000_RCTL) & ~E1000_RCTL_UPE);
	/* Multicast: the hash of bits 47:36 (MO 0) picks an MTA bit. */
	make_frame(frame, mcast, 64, 0);
	inject(f, frame, 64);
	assert_int_equal(rd(f, E1000_RDH), 4);
	h = (mcast[4] >> 4 | mcast[5] << 4) & 0xfff;
	wr(f, E1000_MTA + 4 * (h >> 5), 1u << (h & 31));
	inject(f, frame, 64);
	assert_int_equal(rd(f, E1000_RDH), 5);
	/* MO 3 hashes bits 43:32: another bit, so no match now. */
	wr(f, E1000_RCTL, rd(f, E1000_RCTL) | 3 << E1000_RCTL_MO_SHIFT);
	inject(f, frame, 64);
	assert_int_equal(rd(f, E1000_RDH), 5);
	h = (mcast[4] | mcast[5] << 8) & 0xfff;
	wr(f, E1000_MTA + 4 * (h >> 5), 1u << (h & 31));
	inject(f, frame, 64);
	assert_int_equal(rd(f, E1000_RDH), 6);
	/* Multicast promiscuous takes any group. */
	wr(f, E1000_MTA + 4 * (h >> 5), 0);
	wr(f, E1000_RCTL, rd(f, E1000_RCTL) | E1000_RCTL_MPE);
	inject(f, frame, 64);
	assert_int_equal(rd(f, E1000_RDH), 7);
	assert_int_equal(rd(f, E1000_MPRC), 3);
	/* Receiver off: frames are taken and dropped. */
	wr(f, E1000_RCTL, 0);
	assert_int_equal(inject(f, frame, 64), 64);
	assert_int_equal(rd(f, E1000_RDH), 7);
}

static void test_rx_vlan(void **state)
{
	struct fx *f = *state;
	u8 frame[100], *buf = gpa(f, RX_BUF(0));
	u8 *d = rx_desc(f, 0);

	driver_up(f, 0);
	rx_post(f, 0, 4);
	make_frame(frame, nic_mac, sizeof(frame), 7);
	be16_put(frame + 12, 0x8100);
	be16_put(frame + 14, 0x2005);		/* priority 1, VLAN 5 */
	be16_put(frame + 16, 0x0800);
	/* VME: the tag moves into the descriptor. */
	wr(f, E1000_CTRL, rd(f, E1000_CTRL) | E1000_CTRL_VME);
	inject(f, frame, sizeof(frame));
	assert_true(d[E1000_RXD_STATUS] & E1000_RXD_STAT_VP);
	assert_int_equal(get_le16(d + E1000_RXD_SPECIAL), 0x2005);
	assert_int_equal(get_le16(d + E1000_RXD_LENGTH), sizeof(frame));
	assert_memory_equal(buf, frame, 12);
	assert_memory_equal(buf + 12, frame + 16, sizeof(frame) - 16);
	/* VFE: VLAN 5 not in the table, dropped; then let in. */
	wr(f, E1000_RCTL, rd(f, E1000_RCTL) | E1000_RCTL_VFE);
	inject(f, frame, sizeof(frame));
	assert_int_equal(rd(f, E1000_RDH), 1);
	wr(f, E1000_VFTA, 1 << 5);
	inject(f, frame, sizeof(frame));
	assert_int_equal(rd(f, E1000_RDH), 2);
}

static void test_rx_checksum_offload(void **state)
{
	struct fx *f = *state;
	static u8 frame[HDR_LEN + 300];
	u8 *d;

	driver_up(f, 0);
	rx_post(f, 0, 4);
	memcpy(frame, nic_mac, 6);
	make_tcp(frame, 300, false, 0x18);
	memcpy(frame, nic_mac, 6);
	wr(f, E1000_RXCSUM, E1000_RXCSUM_TUOFL | E1000_RXCSUM_IPOFL);
	inject(f, frame, sizeof(frame));
	d = rx_desc(f, 0);
	assert_int_equal(d[E1000_RXD_STATUS] & 0x64, 0x60);	/* TCPCS IPCS */
	assert_int_equal(d[E1000_RXD_ERRORS], 0);
	/* A flipped payload byte: TCPE, and the frame still arrives. */
	frame[HDR_LEN + 7] ^= 1;
	inject(f, frame, sizeof(frame));
	d = rx_desc(f, 1);
	assert_int_equal(d[E1000_RXD_ERRORS], 0x20);
	assert_true(d[E1000_RXD_STATUS] & E1000_RXD_STAT_EOP);
	/* Offload off: IXSM, the driver checks for itself. */
	wr(f, E1000_RXCSUM, 0);
	inject(f, frame, sizeof(frame));
	assert_true(rx_desc(f, 2)[E1000_RXD_STATUS] & E1000_RXD_STAT_IXSM);
}

/*
 * A tap with offloads on (net/gso.h): a TCP frame of three MSS after a
 * vnet header lands as three frames with whole checksums, checked or
 * not; refused midway, it comes again and only the rest goes in. What
 * the NIC sends goes behind an empty header.
 */
static void test_rx_tap_offloads(void **state)
{
	struct fx *f = *state;
	static u8 buf[12 + HDR_LEN + 3000];
	u8 *frame = buf + 12, *d, *seg;
	size_t len = 12 + make_tcp(frame, 3000, true, 0x19), i;

	memcpy(frame, nic_mac, 6);
	fake_vnet_tso4(buf, 1448);
	f->d->port.vnet_hdr = true;	/* as when the tap took the offloads */
	driver_up(f, 0);
	wr(f, E1000_RXCSUM, E1000_RXCSUM_TUOFL | E1000_RXCSUM_IPOFL);
	rx_post(f, 0, 2);
	assert_int_equal(inject(f, buf, len), 0);
	assert_int_equal(rd(f, E1000_RDH), 2);
	rx_post(f, 2, 2);
	assert_int_equal(inject(f, buf, len), len);
	assert_int_equal(rd(f, E1000_RDH), 3);
	for (i = 0; i < 3; i++) {
		u32 chunk = i < 2 ? 1448 : 3000 - 2 * 1448;

		d = rx_desc(f, i);
		seg = gpa(f, RX_BUF(i));
		assert_int_equal(get_le16(d + E1000_RXD_LENGTH),
				 HDR_LEN + chunk + 4);
		assert_int_equal(d[E1000_RXD_STATUS] & 0x64, 0x60);
		assert_int_equal(d[E1000_RXD_ERRORS], 0);
		assert_true(ip_csum_ok(seg));
		assert_true(tcp_csum_ok(seg, HDR_LEN + chunk));
		assert_int_equal(be16_at(seg + 16), 20 + 20 + chunk);
		assert_int_equal(be32_at(seg + 38), 0x10000000 + i * 1448);
		assert_int_equal(seg[47], i < 2 ? 0x10 : 0x19);
		assert_memory_equal(seg + HDR_LEN, frame + HDR_LEN + i * 1448,
				    chunk);
	}
	/* A header the frame cannot back: dropped, nothing written. */
	put_le16(buf + 6, 0xfff0);
	buf[1] = 0;
	assert_int_equal(inject(f, buf, len), len);
	assert_int_equal(rd(f, E1000_RDH), 3);
	make_frame(gpa(f, TX_BUF(0)), other_mac, 100, 3);
	tx_legacy(f, 0, TX_BUF(0), 100, EOP_RS, 0, 0, 0);
	tx_kick(f, 1);
	assert_int_equal(f->peer.frames, 1);
	assert_int_equal(f->peer.len[0], 12 + 100);
	for (i = 0; i < 12; i++)
		assert_int_equal(f->peer.data[0][i], 0);
	assert_memory_equal(f->peer.data[0] + 12, gpa(f, TX_BUF(0)), 100);
}

static void test_rx_oversize_dropped(void **state)
{
	struct fx *f = *state;
	static u8 frame[1600];

	driver_up(f, 0);
	rx_post(f, 0, 4);
	make_frame(frame, nic_mac, sizeof(frame), 3);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(rd(f, E1000_RDH), 0);
	assert_int_equal(rd(f, E1000_ROC), 1);
	/* With LPE it spans the 2048-byte buffer no more than one. */
	wr(f, E1000_RCTL, rd(f, E1000_RCTL) | E1000_RCTL_LPE);
	inject(f, frame, sizeof(frame));
	assert_int_equal(rd(f, E1000_RDH), 1);
}

/* ---- transmit ---- */

static void test_tx_legacy(void **state)
{
	struct fx *f = *state;
	u8 *a = gpa(f, TX_BUF(0)), *b = gpa(f, TX_BUF(1));

	driver_up(f, 0);
	make_frame(a, other_mac, 30, 0xa1);
	memset(b, 0xb2, 70);
	/* One packet over two descriptors; RS on the EOP one. */
	tx_legacy(f, 0, TX_BUF(0), 30, E1000_TXD_CMD_IFCS, 0, 0, 0);
	tx_legacy(f, 1, TX_BUF(1), 70, EOP_RS, 0, 0, 0);
	tx_kick(f, 2);
	assert_int_equal(f->peer.frames, 1);
	assert_int_equal(f->peer.len[0], 100);
	assert_memory_equal(f->peer.data[0], a, 30);
	assert_memory_equal(f->peer.data[0] + 30, b, 70);
	assert_int_equal(f->peer.unflushed, 0);		/* flushed */
	assert_int_equal(tx_status(f, 0), 0);
	assert_int_equal(tx_status(f, 1) & E1000_TXD_STAT_DD, 1);
	assert_int_equal(rd(f, E1000_TDH), 2);
	assert_int_equal(f->irq.level, 1);
	assert_int_equal(rd(f, E1000_ICR) & (E1000_ICR_TXDW | E1000_ICR_TXQE),
			 E1000_ICR_TXDW | E1000_ICR_TXQE);
	assert_int_equal(rd(f, E1000_GPTC), 1);
	assert_int_equal(rd(f, E1000_GOTCL), 104);
	assert_int_equal(rd(f, E1000_TPT), 1);
	/* Ring wrap: the last slot, then slot 0 again. */
	wr(f, E1000_TDH, NDESC - 1);
	wr(f, E1000_TDT, NDESC - 1);
	tx_legacy(f, NDESC - 1, TX_BUF(0), 60, EOP_RS, 0, 0, 0);
	tx_legacy(f, 0, TX_BUF(1), 60, EOP_RS, 0, 0, 0);
	tx_kick(f, 1);
	assert_int_equal(f->peer.frames, 3);
	assert_int_equal(rd(f, E1000_TDH), 1);
	/* Transmitter off: nothing goes. */
	wr(f, E1000_TCTL, 0);
	tx_legacy(f, 1, TX_BUF(1), 60, EOP_RS, 0, 0, 0);
	tx_kick(f, 2);
	assert_int_equal(f->peer.frames, 3);
}

static void test_tx_legacy_checksum_and_padding(void **state)
{
	struct fx *f = *state;
	u8 *a = gpa(f, TX_BUF(0));
	u32 s;

	driver_up(f, 0);
	/* A big frame first, so the arena holds old bytes... */
	memset(a, 0xaa, 1500);
	tx_legacy(f, 0, TX_BUF(0), 1500, EOP_RS, 0, 0, 0);
	tx_kick(f, 1);
	/* ...then, in the same place, 40 bytes with a checksum from 14. */
	make_frame(a + 2048, other_mac, 40, 0x33);
	memset(a + 2048 + 34, 0, 2);
	tx_legacy(f, 1, TX_BUF(0) + 2048, 40, EOP_RS | E1000_TXD_CMD_IC, 34,
		  14, 0);
	tx_kick(f, 2);
	assert_int_equal(f->peer.frames, 2);
	/* Padded to 60 with zeros (TCTL.PSP), not with the 0xaa before. */
	assert_int_equal(f->peer.len[1], 60);
	for (int i = 40; i < 60; i++)
		assert_int_equal(f->peer.data[1][i], 0);
	s = sum16(f->peer.data[1] + 14, 40 - 14, 0);
	assert_int_equal(fold16(s), 0xffff);
}

static void test_tx_checksum_offload(void **state)
{
	struct fx *f = *state;
	u8 *a = gpa(f, TX_BUF(0));
	struct ctx c = { .tucss = 34, .tucso = 34 + 16,
			 .tucmd = E1000_TXD_TUCMD_TCP };
	size_t len = make_tcp(a, 500, false, 0x18);
	u8 *ip = a + 14;
	u32 s = sum16(ip + 12, 8, 6 + 520);

	driver_up(f, 0);
	/* As for CHECKSUM_PARTIAL: pseudo-header sum in the TCP field. */
	be16_put(a + 34 + 16, fold16(s));
	tx_ctx(f, 0, &c);
	tx_data(f, 1, TX_BUF(0), 100, 0, E1000_TXD_POPTS_TXSM);
	tx_data(f, 2, TX_BUF(0) + 100, len - 100, EOP_RS,
		E1000_TXD_POPTS_TXSM);
	tx_kick(f, 3);
	assert_int_equal(f->peer.frames, 1);
	assert_int_equal(f->peer.len[0], len);
	assert_true(tcp_csum_ok(f->peer.data[0], len));
	assert_memory_equal(f->peer.data[0] + HDR_LEN, a + HDR_LEN, 500);
	/* IP header checksum too (IXSM), over a field the guest left bad. */
	be16_put(ip + 10, 0xbeef);
	c.ipcss = 14;
	c.ipcso = 24;
	c.ipcse = 33;
	c.tucmd |= E1000_TXD_TUCMD_IP;
	tx_ctx(f, 3, &c);
	tx_data(f, 4, TX_BUF(0), len, EOP_RS,
		E1000_TXD_POPTS_TXSM | E1000_TXD_POPTS_IXSM);
	tx_kick(f, 5);
	assert_int_equal(f->peer.frames, 2);
	assert_true(ip_csum_ok(f->peer.data[1]));
	assert_true(tcp_csum_ok(f->peer.data[1], len));
	/* The guest's buffer is not written. */
	assert_int_equal(be16_at(ip + 10), 0xbeef);
}

/* One TSO packet: 3000 bytes of payload in MSS 1000 segments. */
static void tso_packet(struct fx *f, u16 first, size_t payload, u16 mss,
		       u8 flags)
{
	u8 *a = gpa(f, TX_DATA);
	struct ctx c = {
		.ipcss = 14, .ipcso = 24, .ipcse = 33,
		.tucss = 34, .tucso = 50,
		.tucmd = E1000_TXD_TUCMD_TCP | E1000_TXD_TUCMD_IP |
			 E1000_TXD_CMD_TSE,
		.paylen = payload, .hdrlen = HDR_LEN, .mss = mss,
	};
	u8 popts = E1000_TXD_POPTS_TXSM | E1000_TXD_POPTS_IXSM;

	make_tcp(a, payload, true, flags);
	tx_ctx(f, first, &c);
	/* Headers in one buffer, the payload in two more. */
	tx_data(f, first + 1, TX_DATA, HDR_LEN, E1000_TXD_CMD_TSE, popts);
	tx_data(f, first + 2, TX_DATA + HDR_LEN, 1234, E1000_TXD_CMD_TSE,
		popts);
	tx_data(f, first + 3, TX_DATA + HDR_LEN + 1234, payload - 1234,
		EOP_RS | E1000_TXD_CMD_TSE, popts);
}

static void check_tso_segments(struct fx *f, int first, int n,
			       size_t payload, u16 mss, u8 flags)
{
	const u8 *src = gpa(f, TX_DATA) + HDR_LEN;
	size_t off = 0;
	int i;

	for (i = 0; i < n; i++) {
		const u8 *fr = f->peer.data[first + i];
		size_t plen = payload - off < mss ? payload - off : mss;
		u8 want_flags = i == n - 1 ? flags : flags & ~0x09;

		assert_int_equal(f->peer.len[first + i], HDR_LEN + plen);
		assert_int_equal(be16_at(fr + 14 + 2), 40 + plen);
		assert_int_equal(be16_at(fr + 14 + 4), 0x1234 + i);
		assert_int_equal(be32_at(fr + 34 + 4), 0x10000000 + off);
		assert_int_equal(fr[34 + 13], want_flags);
		assert_true(ip_csum_ok(fr));
		assert_true(tcp_csum_ok(fr, f->peer.len[first + i]));
		assert_memory_equal(fr + HDR_LEN, src + off, plen);
		off += plen;
	}
	assert_int_equal(off, payload);
}

static void test_tx_tso(void **state)
{
	struct fx *f = *state;

	driver_up(f, 0);
	tso_packet(f, 0, 3000, 1000, 0x19);	/* ACK PSH FIN */
	tx_kick(f, 4);
	assert_int_equal(f->peer.frames, 3);
	check_tso_segments(f, 0, 3, 3000, 1000, 0x19);
	assert_int_equal(tx_status(f, 3) & E1000_TXD_STAT_DD, 1);
	assert_int_equal(rd(f, E1000_TSCTC), 1);
	assert_int_equal(rd(f, E1000_GPTC), 3);
	/* An uneven tail, and a 64 KiB packet as Linux sends them. */
	tso_packet(f, 4, 2500, 1448, 0x10);
	tx_kick(f, 8);
	assert_int_equal(f->peer.frames, 5);
	check_tso_segments(f, 3, 2, 2500, 1448, 0x10);
	tso_packet(f, 8, 65535 - HDR_LEN, 1448, 0x18);
	tx_kick(f, 12);
	assert_int_equal(f->peer.frames, 5 + 46);
	check_tso_segments(f, 5, 46, 65535 - HDR_LEN, 1448, 0x18);
}

static void test_tx_tso_ipv6(void **state)
{
	struct fx *f = *state;
	u8 *a = gpa(f, TX_DATA), *ip = a + 14, *tcp = ip + 40;
	struct ctx c = {
		.ipcss = 14, .tucss = 54, .tucso = 54 + 16,
		.tucmd = E1000_TXD_TUCMD_TCP | E1000_TXD_CMD_TSE,
		.hdrlen = 74, .mss = 500,
	};
	u32 s;
	int i;

	driver_up(f, 0);
	memset(a, 0, 74);
	be16_put(a + 12, 0x86dd);
	ip[0] = 0x60;
	ip[6] = 6;
	ip[7] = 64;
	ip[23] = 1;		/* ::1 -> ::2 */
	ip[39] = 2;
	tcp[12] = 5 << 4;
	tcp[13] = 0x10;
	for (i = 0; i < 1200; i++)
		a[74 + i] = i * 7;
	be16_put(tcp + 16, fold16(sum16(ip + 8, 32, 6)));
	tx_ctx(f, 0, &c);
	tx_data(f, 1, TX_DATA, 74 + 1200, EOP_RS | E1000_TXD_CMD_TSE,
		E1000_TXD_POPTS_TXSM);
	tx_kick(f, 2);
	assert_int_equal(f->peer.frames, 3);
	for (i = 0; i < 3; i++) {
		const u8 *fr = f->peer.data[i];
		u32 plen = i < 2 ? 500 : 200;

		assert_int_equal(be16_at(fr + 14 + 4), 20 + plen);
		assert_int_equal(be32_at(fr + 54 + 4), 500 * i);
		s = sum16(fr + 14 + 8, 32, 6 + 20 + plen);
		assert_int_equal(fold16(sum16(fr + 54, 20 + plen, s)), 0xffff);
	}
}

static void test_tx_vlan_insert(void **state)
{
	struct fx *f = *state;
	u8 *a = gpa(f, TX_BUF(0)), *d = gpa(f, TX_RING);

	driver_up(f, 0);
	wr(f, E1000_CTRL, rd(f, E1000_CTRL) | E1000_CTRL_VME);
	make_frame(a, other_mac, 80, 0x44);
	tx_legacy(f, 0, TX_BUF(0), 80, EOP_RS | E1000_TXD_CMD_VLE, 0, 0, 0);
	put_le16(d + 14, 0x0007);
	tx_kick(f, 1);
	assert_int_equal(f->peer.len[0], 84);
	assert_memory_equal(f->peer.data[0], a, 12);
	assert_int_equal(be16_at(f->peer.data[0] + 12), 0x8100);
	assert_int_equal(be16_at(f->peer.data[0] + 14), 7);
	assert_memory_equal(f->peer.data[0] + 16, a + 12, 68);
}

static void test_tx_backend_full(void **state)
{
	struct fx *f = *state;
	int i;

	driver_up(f, 0);
	for (i = 0; i < 4; i++) {
		make_frame(gpa(f, TX_BUF(i)), other_mac, 100, i);
		tx_legacy(f, i, TX_BUF(i), 100, EOP_RS, 0, 0, 0);
	}
	f->peer.answer_zero = true;
	tx_kick(f, 4);
	/* The first was refused and held; the walk stopped there. */
	assert_int_equal(f->peer.frames, 0);
	assert_int_equal(f->peer.refused, 1);
	assert_int_equal(rd(f, E1000_TDH), 1);
	/* TDT writes while blocked do not spin. */
	tx_kick(f, 4);
	assert_int_equal(f->peer.refused, 1);
	/* The back end wakes us: all four, in order. */
	f->peer.answer_zero = false;
	net_port_wake_peer(&f->nd.ports[0]);
	run_loop(f);
	assert_int_equal(f->peer.frames, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(f->peer.data[i][14], i);
	assert_int_equal(rd(f, E1000_TDH), 4);
	/* A TSO packet stopped between segments resumes at the next one. */
	tso_packet(f, 4, 3000, 1000, 0x18);
	f->peer.answer_zero = true;
	tx_kick(f, 8);
	f->peer.answer_zero = false;
	net_port_wake_peer(&f->nd.ports[0]);
	run_loop(f);
	assert_int_equal(f->peer.frames, 7);
	check_tso_segments(f, 4, 3, 3000, 1000, 0x18);
}

static void test_tx_budget(void **state)
{
	struct fx *f = *state;
	u32 n = 2000, i;

	driver_up(f, 0);
	wr(f, E1000_TDLEN, 4096 * 16);
	wr(f, E1000_TDBAL, BIG_RING);
	make_frame(gpa(f, TX_BUF(0)), other_mac, 60, 0);
	for (i = 0; i < n; i++) {
		u8 *d = gpa(f, BIG_RING + 16ULL * i);

		put_le64(d, TX_BUF(0));
		put_le32(d + 8, 60 | (u32)EOP_RS << 24);
		put_le32(d + 12, 0);
	}
	wr(f, E1000_TDT, n);
	/* One loop turn does a bounded share and asks for another. */
	loop_run_once(&f->loop, 0);
	assert_int_equal(rd(f, E1000_TDH), E1000_TX_BUDGET);
	run_loop(f);
	assert_int_equal(rd(f, E1000_TDH), n);
	assert_int_equal(f->peer.frames, n);
}

static void test_loopback_mode(void **state)
{
	struct fx *f = *state;
	u8 *a = gpa(f, TX_BUF(0)), frame[80];

	driver_up(f, 1 << 6);			/* RCTL.LBM: MAC loopback */
	make_frame(a, nic_mac, 80, 0x42);
	tx_legacy(f, 0, TX_BUF(0), 80, EOP_RS, 0, 0, 0);
	/* No receive buffers: the looped frame is lost, nothing hangs. */
	tx_kick(f, 1);
	assert_int_equal(f->peer.frames, 0);
	assert_int_equal(rd(f, E1000_TDH), 1);
	rx_post(f, 0, 4);
	tx_legacy(f, 1, TX_BUF(0), 80, EOP_RS, 0, 0, 0);
	tx_kick(f, 2);
	assert_int_equal(f->peer.frames, 0);
	assert_int_equal(rd(f, E1000_RDH), 1);
	assert_memory_equal(gpa(f, RX_BUF(0)), a, 80);
	/* Frames from the wire do not reach a looped-back receiver. */
	make_frame(frame, nic_mac, 80, 1);
	assert_int_equal(inject(f, frame, 80), 80);
	assert_int_equal(rd(f, E1000_RDH), 1);
	/* Out of loopback it all works as before. */
	wr(f, E1000_RCTL, rd(f, E1000_RCTL) & ~E1000_RCTL_LBM_MASK);
	tx_legacy(f, 2, TX_BUF(0), 80, EOP_RS, 0, 0, 0);
	tx_kick(f, 3);
	assert_int_equal(f->peer.frames, 1);
	inject(f, frame, 80);
	assert_int_equal(rd(f, E1000_RDH), 2);
}

/* ---- hostile guests ---- */

static void test_hostile_rx_buffer_outside_ram(void **state)
{
	struct fx *f = *state;
	u8 frame[700];
	u8 *d;

	/* 256-byte buffers: 700 + 4 bytes take three. */
	driver_up(f, E1000_RCTL_LPE | 3 << E1000_RCTL_BSIZE_SHIFT);
	rx_post(f, 0, 8);
	/* The middle buffer of three is outside RAM, one straddles its end. */
	put_le64(rx_desc(f, 1), OUTSIDE);
	put_le64(rx_desc(f, 2), RAM_SIZE - 100);
	memset(gpa(f, RAM_SIZE - 200), 0x77, 200);
	make_frame(frame, nic_mac, sizeof(frame), 9);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	/* Consumed, the frame marked bad on its EOP descriptor. */
	d = rx_desc(f, 1);
	assert_int_equal(d[E1000_RXD_STATUS], E1000_RXD_STAT_DD);
	d = rx_desc(f, 2);
	assert_true(d[E1000_RXD_STATUS] & E1000_RXD_STAT_EOP);
	assert_int_equal(d[E1000_RXD_ERRORS] & E1000_RXD_ERR_RXE,
			 E1000_RXD_ERR_RXE);
	/* The straddling buffer was not written at all. */
	for (int i = 0; i < 100; i++)
		assert_int_equal(gpa(f, RAM_SIZE - 100)[i], 0x77);
	/* The device goes on: the next frame is fine. */
	inject(f, frame, 100);
	d = rx_desc(f, 3);
	assert_int_equal(d[E1000_RXD_STATUS] & 3, 3);
	assert_int_equal(d[E1000_RXD_ERRORS], 0);
}

static void test_hostile_rx_ring(void **state)
{
	struct fx *f = *state;
	u8 frame[100];

	driver_up(f, 0);
	make_frame(frame, nic_mac, sizeof(frame), 2);
	/* Ring outside RAM: dropped (not held), an overrun reported. */
	wr(f, E1000_RDBAL, 0xfffff000);
	wr(f, E1000_RDT, 4);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_true(rd(f, E1000_ICR) & E1000_ICR_RXO);
	assert_int_equal(rd(f, E1000_MPC), 1);
	/* A ring straddling the end of RAM is as bad. */
	wr(f, E1000_RDBAL, RAM_SIZE - 512);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	/* RDLEN 0, or not a multiple of 128 (the low bits are dropped). */
	wr(f, E1000_RDBAL, RX_RING);
	wr(f, E1000_RDLEN, 0);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	wr(f, E1000_RDLEN, 100);
	assert_int_equal(rd(f, E1000_RDLEN), 0);
	wr(f, E1000_RDLEN, 200);
	assert_int_equal(rd(f, E1000_RDLEN), 128);
	/* Head or tail beyond the ring. */
	wr(f, E1000_RDLEN, NDESC * 16);
	wr(f, E1000_RDT, NDESC + 5);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	wr(f, E1000_RDT, 0);
	wr(f, E1000_RDH, 0xffff);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	/* A ring too small for the frame ever: dropped, not held. */
	wr(f, E1000_RDH, 0);
	wr(f, E1000_RDLEN, 128);		/* 8 descriptors of 256 */
	wr(f, E1000_RCTL, rd(f, E1000_RCTL) | E1000_RCTL_LPE |
			  3 << E1000_RCTL_BSIZE_SHIFT);
	rx_post(f, 0, 7);
	{
		static u8 big[4000];

		make_frame(big, nic_mac, sizeof(big), 1);
		assert_int_equal(inject(f, big, sizeof(big)), sizeof(big));
	}
	assert_int_equal(rd(f, E1000_RDH), 0);
	/* Nothing landed outside the buffers; a sane ring works again. */
	for (int i = 0; i < 64; i++)
		assert_int_equal(gpa(f, CANARY)[i], 0);
	inject(f, frame, sizeof(frame));
	assert_int_equal(rd(f, E1000_RDH), 1);
}

static void test_hostile_tx_buffers(void **state)
{
	struct fx *f = *state;
	u8 *d = gpa(f, TX_RING);

	driver_up(f, 0);
	make_frame(gpa(f, TX_BUF(0)), other_mac, 100, 0x10);
	/* A buffer outside RAM, one straddling its end: dropped. */
	tx_legacy(f, 0, OUTSIDE, 100, EOP_RS, 0, 0, 0);
	tx_legacy(f, 1, TX_BUF(0), 50, 0, 0, 0, 0);
	tx_legacy(f, 2, RAM_SIZE - 10, 100, EOP_RS, 0, 0, 0);
	/* Lengths 0 carry nothing; a packet of only those is no frame. */
	tx_legacy(f, 3, OUTSIDE, 0, EOP_RS, 0, 0, 0);
	/* An extended descriptor claiming 1 MiB - 1: too long, dropped. */
	tx_data(f, 4, 0, 0xfffff, EOP_RS, 0);
	/* A good one after all that. */
	tx_legacy(f, 5, TX_BUF(0), 0, 0, 0, 0, 0);
	tx_legacy(f, 6, TX_BUF(0), 100, EOP_RS, 0, 0, 0);
	tx_kick(f, 7);
	assert_int_equal(f->peer.frames, 1);
	assert_int_equal(f->peer.len[0], 100);
	assert_int_equal(f->peer.data[0][20], 0x10);
	/* Every descriptor was written back, the ring is drained. */
	assert_int_equal(rd(f, E1000_TDH), 7);
	assert_int_equal(d[16 * 0 + 12] & 1, 1);
	assert_int_equal(d[16 * 4 + 12] & 1, 1);
}

static void test_hostile_tx_ring(void **state)
{
	struct fx *f = *state;

	driver_up(f, 0);
	make_frame(gpa(f, TX_BUF(0)), other_mac, 100, 0x10);
	tx_legacy(f, 0, TX_BUF(0), 100, EOP_RS, 0, 0, 0);
	/* TDLEN 0: no ring, nothing moves, nothing hangs. */
	wr(f, E1000_TDLEN, 0);
	tx_kick(f, 1);
	assert_int_equal(f->peer.frames, 0);
	assert_int_equal(rd(f, E1000_TDH), 0);
	/* Tail beyond the ring. */
	wr(f, E1000_TDLEN, NDESC * 16);
	tx_kick(f, NDESC + 3);
	assert_int_equal(f->peer.frames, 0);
	/* Ring outside RAM. */
	wr(f, E1000_TDBAL, 0xfffff000);
	tx_kick(f, 1);
	assert_int_equal(f->peer.frames, 0);
	/* Put right, it works. */
	wr(f, E1000_TDBAL, TX_RING);
	tx_kick(f, 1);
	assert_int_equal(f->peer.frames, 1);
}

static void test_hostile_tx_no_eop(void **state)
{
	struct fx *f = *state;
	u32 i, n = 600;

	driver_up(f, 0);
	wr(f, E1000_TDLEN, 4096 * 16);
	wr(f, E1000_TDBAL, BIG_RING);
	make_frame(gpa(f, TX_BUF(0)), other_mac, 1500, 0x66);
	/* 600 descriptors of 1500 bytes, none with EOP, then one EOP. */
	for (i = 0; i <= n; i++) {
		u8 *d = gpa(f, BIG_RING + 16ULL * i);
		u8 cmd = i == n ? EOP_RS : E1000_TXD_CMD_RS;

		put_le64(d, TX_BUF(0));
		put_le32(d + 8, 1500 | (u32)cmd << 24);
		put_le32(d + 12, 0);
	}
	wr(f, E1000_TDT, n + 1);
	run_loop(f);
	/* Bounded: all consumed, the over-long chain dropped. */
	assert_int_equal(rd(f, E1000_TDH), n + 1);
	assert_int_equal(f->peer.frames, 0);
	/* A chain without EOP at the end of what is posted just waits. */
	for (i = n + 1; i < n + 3; i++) {
		u8 *d = gpa(f, BIG_RING + 16ULL * i);

		put_le64(d, TX_BUF(0));
		put_le32(d + 8, 100 | (u32)E1000_TXD_CMD_RS << 24);
	}
	wr(f, E1000_TDT, n + 3);
	run_loop(f);
	assert_int_equal(f->peer.frames, 0);
	/* Its EOP comes later: the packet is the three pieces. */
	put_le64(gpa(f, BIG_RING + 16ULL * (n + 3)), TX_BUF(0));
	put_le32(gpa(f, BIG_RING + 16ULL * (n + 3)) + 8,
		 100 | (u32)EOP_RS << 24);
	wr(f, E1000_TDT, n + 4);
	run_loop(f);
	assert_int_equal(f->peer.frames, 1);
	assert_int_equal(f->peer.len[0], 300);
}

static void test_hostile_tso(void **state)
{
	struct fx *f = *state;
	struct ctx c = {
		.ipcss = 14, .ipcso = 24, .ipcse = 33,
		.tucss = 34, .tucso = 50,
		.tucmd = E1000_TXD_TUCMD_TCP | E1000_TXD_TUCMD_IP |
			 E1000_TXD_CMD_TSE,
		.hdrlen = HDR_LEN, .mss = 0,
	};
	u8 popts = E1000_TXD_POPTS_TXSM | E1000_TXD_POPTS_IXSM;
	u16 i = 0;

	driver_up(f, 0);
	make_tcp(gpa(f, TX_DATA), 2000, true, 0x10);
	/* MSS 0. */
	tx_ctx(f, i++, &c);
	tx_data(f, i++, TX_DATA, HDR_LEN + 2000, EOP_RS | E1000_TXD_CMD_TSE,
		popts);
	/* Header length past the data. */
	c.mss = 1000;
	c.hdrlen = 255;
	tx_ctx(f, i++, &c);
	tx_data(f, i++, TX_DATA, 100, EOP_RS | E1000_TXD_CMD_TSE, popts);
	/* Checksum and header offsets beyond the header. */
	c.hdrlen = HDR_LEN;
	c.tucss = 50;
	tx_ctx(f, i++, &c);
	tx_data(f, i++, TX_DATA, HDR_LEN + 2000, EOP_RS | E1000_TXD_CMD_TSE,
		popts);
	c.tucss = 34;
	c.tucso = 200;
	tx_ctx(f, i++, &c);
	tx_data(f, i++, TX_DATA, HDR_LEN + 2000, EOP_RS | E1000_TXD_CMD_TSE,
		popts);
	/* MSS 1: bounded, 2000 tiny segments of one payload byte each. */
	c.tucso = 50;
	c.mss = 1;
	tx_ctx(f, i++, &c);
	tx_data(f, i++, TX_DATA, HDR_LEN + 2000, EOP_RS | E1000_TXD_CMD_TSE,
		popts);
	tx_kick(f, i);
	assert_int_equal(rd(f, E1000_TDH), i);
	assert_int_equal(rd(f, E1000_TSCTFC), 4);
	assert_int_equal(f->peer.frames, 2000);
	assert_int_equal(f->peer.len[0], 60);	/* 55 bytes, padded */
	for (int k = HDR_LEN + 1; k < 60; k++)
		assert_int_equal(f->peer.data[0][k], 0);
	/* A sane packet goes out whole afterwards. */
	tso_packet(f, i, 3000, 1000, 0x18);
	tx_kick(f, i + 4);
	assert_int_equal(f->peer.frames, 2003);
}

static void test_bus_master_off(void **state)
{
	struct fx *f = *state;
	u16 cmd = PCI_CMD_IO | PCI_CMD_MEM;
	u8 frame[100];

	driver_up(f, 0);
	rx_post(f, 0, 4);
	tx_legacy(f, 0, TX_BUF(0), 100, EOP_RS, 0, 0, 0);
	pci_config_write(&f->pci, f->d->pci.slot << 3, PCI_CFG_COMMAND, &cmd,
			 2);
	tx_kick(f, 1);
	assert_int_equal(f->peer.frames, 0);
	assert_int_equal(rd(f, E1000_TDH), 0);
	make_frame(frame, nic_mac, 100, 1);
	assert_int_equal(inject(f, frame, 100), 100);
	assert_int_equal(rd(f, E1000_RDH), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
		T(test_pci_identity),
		T(test_eeprom_checksum_and_mac),
		T(test_phy),
		T(test_status_and_link_changes),
		T(test_interrupt_cause_and_mask),
		T(test_itr_throttles),
		T(test_io_window_and_reset),
		T(test_rx_one_buffer),
		T(test_rx_short_frame_padded),
		T(test_rx_several_descriptors),
		T(test_rx_no_buffers_then_wake),
		T(test_rx_filters),
		T(test_rx_vlan),
		T(test_rx_checksum_offload),
		T(test_rx_tap_offloads),
		T(test_rx_oversize_dropped),
		T(test_tx_legacy),
		T(test_tx_legacy_checksum_and_padding),
		T(test_tx_checksum_offload),
		T(test_tx_tso),
		T(test_tx_tso_ipv6),
		T(test_tx_vlan_insert),
		T(test_tx_backend_full),
		T(test_tx_budget),
		T(test_loopback_mode),
		T(test_hostile_rx_buffer_outside_ram),
		T(test_hostile_rx_ring),
		T(test_hostile_tx_buffers),
		T(test_hostile_tx_ring),
		T(test_hostile_tx_no_eop),
		T(test_hostile_tso),
		T(test_bus_master_off),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
