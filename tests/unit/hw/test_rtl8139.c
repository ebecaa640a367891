// SPDX-License-Identifier: GPL-2.0
/*
 * The RTL8139C+ driven as Linux's 8139too (C mode) and 8139cp (C+
 * mode) drive it: through PCI config space and its BARs, over fake
 * guest RAM and a fake back end. No VM and no vCPU: frames and rings
 * are handled when the test turns the main loop, as knit's main thread
 * would. Then the same device driven by a hostile guest.
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
#include "hw/rtl8139.h"
#include "knit/le.h"
#include "kvm/loop.h"
#include "kvm/memory.h"
#include "net/capture.h"
#include "net/netdev.h"
#include "net/options.h"
#include "tests/unit/stderr_capture.h"

#define RAM_SIZE	0x200000ULL
#define ECAM		0xe0000000ULL
#define MEM		0xc0000000ULL
#define MEM_SIZE	0x10000000ULL
#define IO		0xc000
#define IO_SIZE		0x4000

#define NDESC		64
#define TX_RING		0x1000ULL		/* C+: NDESC descriptors */
#define RX_RING		0x2000ULL
#define TALLY		0x3000ULL
#define BIG_RING	0x4000ULL		/* 1024 descriptors */
#define SLOT_BUF(i)	(0x20000ULL + (i) * 0x800ULL)
#define RXBUF		0x40000ULL		/* C mode, up to 64K + slack */
#define TXB(i)		(0x60000ULL + (i) * 0x800ULL)
#define RXB(i)		(0x80000ULL + (i) * 0x800ULL)
#define TX_DATA		0xa0000ULL		/* a LargeSend packet */
#define CANARY		0x1f0000ULL
#define OUTSIDE		0x80000000ULL		/* not RAM */

#define PEER_KEEP	64
#define FRAME_MAX	4096
#define STALE		0xa5		/* what old host buffers hold */

struct fake_peer {
	int frames;
	int refused;
	int wakes;
	int flushes;
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
	struct rtl8139 *d;
	u8 *ram;
	u64 bar0, bar1;
};

static const u8 nic_mac[6] = { 0x52, 0x54, 0x00, 0x81, 0x39, 0x01 };
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
}

static const struct net_port_ops peer_ops = {
	.receive = peer_receive,
	.wake = peer_wake,
	.flush = peer_flush,
};

/* ---- registers as the drivers reach them (memory BAR) ---- */

static void acc(struct fx *f, u32 off, void *b, u32 len, bool w)
{
	assert_true(bus_access(&f->mmio, f->bar1 + off, b, len, w));
}

static u8 rd8(struct fx *f, u32 off)
{
	u8 b = 0;

	acc(f, off, &b, 1, false);
	return b;
}

static u16 rd16(struct fx *f, u32 off)
{
	u8 b[2] = { 0 };

	acc(f, off, b, 2, false);
	return get_le16(b);
}

static u32 rd32(struct fx *f, u32 off)
{
	u8 b[4] = { 0 };

	acc(f, off, b, 4, false);
	return get_le32(b);
}

static void wr8(struct fx *f, u32 off, u8 v)
{
	acc(f, off, &v, 1, true);
}

static void wr16(struct fx *f, u32 off, u16 v)
{
	u8 b[2];

	put_le16(b, v);
	acc(f, off, b, 2, true);
}

static void wr32(struct fx *f, u32 off, u32 v)
{
	u8 b[4];

	put_le32(b, v);
	acc(f, off, b, 4, true);
}

static int run_loop(struct fx *f)
{
	int i;

	for (i = 0; i < 64 && loop_run_once(&f->loop, 0) > 0; i++)
		;
	return i;
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

/* The multicast hash bit the drivers compute: ether_crc() >> 26. */
static unsigned int hash_bit(const u8 *a)
{
	u32 crc = 0xffffffff;
	int i, j;

	for (i = 0; i < 6; i++) {
		u8 b = a[i];

		for (j = 0; j < 8; j++, b >>= 1) {
			u32 top = crc >> 31;

			crc <<= 1;
			if (top ^ (b & 1))
				crc ^= 0x04c11db7;
		}
	}
	return crc >> 26;
}

/* ---- set-up ---- */

static int setup_rev(void **state, u8 rev)
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
	f->ncfg.type = (enum netdev_type)-1;
	f->ncfg.id = "fake";
	f->ncfg.queues = 1;
	f->ncfg.fd = -1;
	f->nd.cfg = &f->ncfg;
	f->nd.nr_queues = 1;
	f->nd.ports[0] = (struct net_port){
		.name = "fake", .ops = &peer_ops, .opaque = &f->peer,
	};
	assert_int_equal(rtl8139_create(&f->d, 0, nic_mac, rev, &f->nd,
					&f->pci, &f->irq.line, &f->mem,
					&f->loop), 0);
	pci_config_write(&f->pci, f->d->pci.slot << 3, PCI_CFG_COMMAND, &cmd,
			 2);
	f->bar0 = f->d->pci.bars[0].addr;
	f->bar1 = f->d->pci.bars[1].addr;
	assert_true(f->bar0 && f->bar1);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_rev(state, RTL8139_REV_DEFAULT);
}

static int setup_c(void **state)
{
	return setup_rev(state, 0x10);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	rtl8139_destroy(f->d);
	pci_bus_exit(&f->pci);
	bus_exit(&f->pio);
	bus_exit(&f->mmio);
	loop_exit(&f->loop);
	free(f->ram);
	free(f);
	return 0;
}

#define RX_32K		(2u << RTL8139_RCR_RBLEN_SHIFT)
#define MASK_8139TOO	0xc07f	/* rtl8139_intr_mask */
#define MASK_8139CP	0x80ff	/* cp_intr_mask */

/* What rtl8139_hw_start() leaves: buffer set, units on, interrupts on. */
static void up_8139too(struct fx *f, u32 rcr)
{
	int i;

	wr8(f, RTL8139_CR, RTL8139_CR_RST);
	assert_int_equal(rd8(f, RTL8139_CR) & RTL8139_CR_RST, 0);
	wr8(f, RTL8139_9346CR, 0xc0);
	wr32(f, RTL8139_IDR0, get_le32(nic_mac));
	wr32(f, RTL8139_IDR0 + 4, get_le16(nic_mac + 4));
	wr32(f, RTL8139_RBSTART, RXBUF);
	wr8(f, RTL8139_CR, RTL8139_CR_RE | RTL8139_CR_TE);
	wr32(f, RTL8139_RCR, rcr);
	wr32(f, RTL8139_TCR, 0x03000680);
	wr8(f, RTL8139_9346CR, 0);
	for (i = 0; i < 4; i++)
		wr32(f, RTL8139_TSAD0 + 4 * i, SLOT_BUF(i));
	wr32(f, RTL8139_MPC, 0);
	wr16(f, RTL8139_MULINT, rd16(f, RTL8139_MULINT) & 0xf000);
	wr16(f, RTL8139_IMR, MASK_8139TOO);
	run_loop(f);
}

#define RCR_TOO (RX_32K | RTL8139_RCR_WRAP | RTL8139_RCR_AB | \
		 RTL8139_RCR_APM)

/* C+ descriptors, as 8139cp lays them out. */
static u8 *txd(struct fx *f, unsigned int i)
{
	return gpa(f, TX_RING + 16ULL * i);
}

static u8 *rxd(struct fx *f, unsigned int i)
{
	return gpa(f, RX_RING + 16ULL * i);
}

static void rx_refill(struct fx *f, unsigned int i, u32 size)
{
	u8 *d = rxd(f, i);

	put_le32(d + 4, 0);
	put_le64(d + 8, RXB(i));
	put_le32(d, RTL8139_DESC_OWN | size |
		    (i == NDESC - 1 ? RTL8139_DESC_EOR : 0));
}

/* What cp_init_hw() and cp_enable_irq() leave. */
static void up_8139cp(struct fx *f, u16 cpcr_extra)
{
	unsigned int i;

	memset(txd(f, 0), 0, 16 * NDESC);
	put_le32(txd(f, NDESC - 1), RTL8139_DESC_EOR);
	for (i = 0; i < NDESC; i++)
		rx_refill(f, i, 1536);
	wr8(f, RTL8139_CR, RTL8139_CR_RST);
	wr8(f, RTL8139_9346CR, 0xc0);
	wr32(f, RTL8139_IDR0, get_le32(nic_mac));
	wr32(f, RTL8139_IDR0 + 4, get_le16(nic_mac + 4));
	wr16(f, RTL8139_CPCR, RTL8139_CPCR_MULRW | RTL8139_CPCR_RXON |
			      RTL8139_CPCR_TXON | cpcr_extra);
	wr32(f, RTL8139_THPDS, 0);
	wr32(f, RTL8139_THPDS + 4, 0);
	wr32(f, RTL8139_RDSAR, RX_RING);
	wr32(f, RTL8139_RDSAR + 4, 0);
	wr32(f, RTL8139_TNPDS, TX_RING);
	wr32(f, RTL8139_TNPDS + 4, 0);
	wr8(f, RTL8139_CR, RTL8139_CR_RE | RTL8139_CR_TE);
	wr8(f, RTL8139_ETTHR, 0x06);
	wr32(f, RTL8139_RCR, 0xa400 | RTL8139_RCR_AB | RTL8139_RCR_APM);
	wr32(f, RTL8139_MAR0, 0);
	wr32(f, RTL8139_MAR0 + 4, 0);
	wr32(f, RTL8139_TCR, 0x03000600);
	wr16(f, RTL8139_MULINT, 0);
	wr8(f, RTL8139_9346CR, 0);
	wr16(f, RTL8139_IMR, MASK_8139CP);
	run_loop(f);
}

/* One C+ transmit descriptor, handed to the chip. */
static void tx_desc(struct fx *f, unsigned int i, u64 addr, u32 len,
		    u32 flags, u32 opts2)
{
	u8 *d = txd(f, i);

	put_le32(d + 4, opts2);
	put_le64(d + 8, addr);
	put_le32(d, RTL8139_DESC_OWN | flags | len |
		    (i == NDESC - 1 ? RTL8139_DESC_EOR : 0));
}

#define FSLS (RTL8139_DESC_FS | RTL8139_DESC_LS)

static void tx_poll(struct fx *f)
{
	wr8(f, RTL8139_TPPOLL, RTL8139_TPPOLL_NPQ);
	run_loop(f);
}

static u32 opts1_of(const u8 *d)
{
	return get_le32(d);
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
	buf[12] = 0x88;		/* an experimental EtherType */
	buf[13] = 0xb5;
	return len;
}

/* A C mode transmit: the frame into slot i's buffer, then its TSD. */
static void slot_send(struct fx *f, unsigned int i, const u8 *frame,
		      u32 len)
{
	memcpy(gpa(f, SLOT_BUF(i)), frame, len);
	wr32(f, RTL8139_TSD0 + 4 * i, (8 << 16) | len);
	run_loop(f);
}

/*
 * An IPv4/TCP frame at buf: 14 + 20 + 20 header bytes, then payload
 * bytes i * 7 (never STALE in a row). Checksums zero unless whole.
 */
#define HDR_LEN		54
static size_t make_tcp(u8 *buf, size_t payload, bool whole, u8 flags)
{
	u8 *ip = buf + 14, *tcp = ip + 20;
	size_t i, len = HDR_LEN + payload;
	u32 s;

	memset(buf, 0, HDR_LEN);
	memcpy(buf, other_mac, 6);
	memcpy(buf + 6, nic_mac, 6);
	be16_put(buf + 12, 0x0800);
	ip[0] = 0x45;
	be16_put(ip + 2, 20 + 20 + payload);
	be16_put(ip + 4, 0x1234);
	ip[8] = 64;
	ip[9] = 6;
	ip[12] = 10; ip[13] = 0; ip[14] = 2; ip[15] = 15;
	ip[16] = 10; ip[17] = 0; ip[18] = 2; ip[19] = 2;
	be16_put(tcp, 40000);
	be16_put(tcp + 2, 5201);
	be16_put(tcp + 4, 0x1000);	/* seq 0x10000000 */
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	be16_put(tcp + 14, 65535);
	for (i = 0; i < payload; i++)
		buf[HDR_LEN + i] = (i * 7) & 0x7f;
	if (!whole)
		return len;
	be16_put(ip + 10, ~fold16(sum16(ip, 20, 0)));
	s = sum16(ip + 12, 8, 6 + 20 + payload);
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

/* No run of four STALE bytes: nothing of an old host buffer got out. */
static bool no_stale(const u8 *p, size_t len)
{
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		run = p[i] == STALE ? run + 1 : 0;
		if (run >= 4)
			return false;
	}
	return true;
}

/* ================= identity, registers, EEPROM, PHY ================= */

static void test_pci_identity(void **state)
{
	struct fx *f = *state;
	u8 devfn = f->d->pci.slot << 3;
	u32 v = 0, bar = 0xffffffff;

	/* The chip says what it is: an 8139C+ in TCR, its revision. */
	assert_int_equal(rd32(f, RTL8139_TCR) & RTL8139_TCR_HWREV,
			 RTL8139_HWREV_8139CP);
	assert_int_equal(rd8(f, RTL8139_RERID), 0x20);
	pci_config_read(&f->pci, devfn, 0, &v, 4);
	assert_int_equal(v, 0x813910ec);
	pci_config_read(&f->pci, devfn, PCI_CFG_REVISION, &v, 4);
	assert_int_equal(v & 0xff, 0x20);	/* C+: 8139cp's, not 8139too */
	assert_int_equal(v >> 8, 0x020000);
	pci_config_read(&f->pci, devfn, PCI_CFG_SUBSYS_VENDOR, &v, 4);
	assert_int_equal(v, 0x813910ec);
	v = 0;
	pci_config_read(&f->pci, devfn, PCI_CFG_INT_PIN, &v, 1);
	assert_int_equal(v, 1);
	/* BAR0: 256 bytes of I/O; BAR1: 256 bytes of memory. */
	pci_config_write(&f->pci, devfn, PCI_CFG_BAR0, &bar, 4);
	pci_config_read(&f->pci, devfn, PCI_CFG_BAR0, &v, 4);
	assert_int_equal(v & 1, 1);
	assert_int_equal(~(v & ~3u) + 1, 0x100);
	pci_config_write(&f->pci, devfn, PCI_CFG_BAR0 + 4, &bar, 4);
	pci_config_read(&f->pci, devfn, PCI_CFG_BAR0 + 4, &v, 4);
	assert_int_equal(v & 1, 0);
	assert_int_equal(~(v & ~0xfu) + 1, 0x100);
}

/* revision 0x10: an RTL8139C for 8139too, with no C+ mode. */
static void test_revision_property(void **state)
{
	struct fx *f = *state;
	u32 v = 0;

	pci_config_read(&f->pci, f->d->pci.slot << 3, PCI_CFG_REVISION, &v, 1);
	assert_int_equal(v, 0x10);
	/* 8139too's table: 0x74000000 is "RTL-8139C". */
	assert_int_equal(rd32(f, RTL8139_TCR) & 0x7cc00000, 0x74000000);
	wr16(f, RTL8139_CPCR, RTL8139_CPCR_TXON | RTL8139_CPCR_RXON);
	assert_int_equal(rd16(f, RTL8139_CPCR), 0);
	/* 0x10-0x2f stay the four slots. */
	wr32(f, RTL8139_TSAD0 + 4, 0x1234);
	assert_int_equal(rd32(f, RTL8139_TSAD0 + 4), 0x1234);
}

static void test_registers_and_reset(void **state)
{
	struct fx *f = *state;
	u8 b[4] = { 0 };
	int i;

	/* The station address, loaded from the EEPROM at power-on. */
	assert_int_equal(rd32(f, RTL8139_IDR0), get_le32(nic_mac));
	assert_int_equal(rd16(f, RTL8139_IDR0 + 4), get_le16(nic_mac + 4));
	assert_int_equal(rd8(f, RTL8139_IDR0 + 3), nic_mac[3]);
	/* A wide access across registers: each gets its bytes. */
	assert_true(bus_access(&f->mmio, f->bar1 + RTL8139_CAPR, b, 4, false));
	assert_int_equal(get_le16(b), 0xfff0);		/* CAPR */
	assert_int_equal(get_le16(b + 2), 0);		/* CBR */
	/* Reset state: slots free, buffer empty, no interrupts. */
	for (i = 0; i < 4; i++)
		assert_int_equal(rd32(f, RTL8139_TSD0 + 4 * i) &
				 RTL8139_TSD_OWN, RTL8139_TSD_OWN);
	assert_int_equal(rd8(f, RTL8139_CR), RTL8139_CR_BUFE);
	wr32(f, RTL8139_MAR0, 0x11223344);
	wr16(f, RTL8139_IMR, 0xffff);
	assert_int_equal(rd16(f, RTL8139_IMR), RTL8139_INT_ALL);
	wr8(f, RTL8139_CR, RTL8139_CR_RE | RTL8139_CR_TE);
	wr16(f, RTL8139_CPCR, RTL8139_CPCR_TXON | 0x8000);
	assert_int_equal(rd16(f, RTL8139_CPCR), RTL8139_CPCR_TXON);
	wr8(f, RTL8139_CR, RTL8139_CR_RST);
	assert_int_equal(rd8(f, RTL8139_CR), RTL8139_CR_BUFE);
	assert_int_equal(rd16(f, RTL8139_IMR), 0);
	assert_int_equal(rd16(f, RTL8139_CPCR), 0);
	/* The multicast hash and the address survive a reset. */
	assert_int_equal(rd32(f, RTL8139_MAR0), 0x11223344);
	assert_int_equal(rd32(f, RTL8139_IDR0), get_le32(nic_mac));
	/* The version bits of TCR are read only. */
	wr32(f, RTL8139_TCR, 0xffffffff);
	assert_int_equal(rd32(f, RTL8139_TCR),
			 RTL8139_TCR_RW | RTL8139_HWREV_8139CP);
	/* CONFIG1 takes writes only with 9346CR in config mode. */
	wr8(f, RTL8139_CONFIG1, 0x20);
	assert_int_equal(rd8(f, RTL8139_CONFIG1) & 0x20, 0);
	wr8(f, RTL8139_9346CR, 0xc0);
	wr8(f, RTL8139_CONFIG1, 0x21);
	wr8(f, RTL8139_9346CR, 0);
	assert_int_equal(rd8(f, RTL8139_CONFIG1) & 0x21, 0x21);
	/* Plain registers keep what is written; MPC clears on a write. */
	wr16(f, RTL8139_INTRMIT, 0x1234);
	assert_int_equal(rd16(f, RTL8139_INTRMIT), 0x1234);
	wr32(f, RTL8139_MPC, 0xdead);
	assert_int_equal(rd32(f, RTL8139_MPC), 0);
	/* The I/O BAR reaches the same registers. */
	{
		u8 v = 0;

		assert_true(bus_access(&f->pio, f->bar0 + RTL8139_IDR0 + 1,
				       &v, 1, false));
		assert_int_equal(v, nic_mac[1]);
	}
	/* TCTR runs; a write restarts it. */
	wr32(f, RTL8139_TCTR, 0);
	assert_true(rd32(f, RTL8139_TCTR) < 33000000);
}

/* 8139too's and 8139cp's read_eeprom(): the bits through 9346CR. */
static u16 ee_read(struct fx *f, int location, int addr_len)
{
	int cmd = location | (6 << addr_len), i;
	u16 v = 0;

	wr8(f, RTL8139_9346CR, 0x80);
	wr8(f, RTL8139_9346CR, 0x88);
	for (i = 4 + addr_len; i >= 0; i--) {
		u8 dv = (cmd & (1 << i)) ? 0x02 : 0;

		wr8(f, RTL8139_9346CR, 0x88 | dv);
		wr8(f, RTL8139_9346CR, 0x88 | dv | 0x04);
	}
	wr8(f, RTL8139_9346CR, 0x88);
	for (i = 16; i > 0; i--) {
		wr8(f, RTL8139_9346CR, 0x88 | 0x04);
		v = v << 1 | (rd8(f, RTL8139_9346CR) & 1);
		wr8(f, RTL8139_9346CR, 0x88);
	}
	wr8(f, RTL8139_9346CR, 0);
	return v;
}

static void test_eeprom_mac(void **state)
{
	struct fx *f = *state;
	u8 mac[6];
	int i;

	/* The 93C56 probe must not find its signature: 6 address bits. */
	assert_int_not_equal(ee_read(f, 0, 8), 0x8129);
	for (i = 0; i < 3; i++)
		put_le16(mac + 2 * i, ee_read(f, 7 + i, 6));
	assert_memory_equal(mac, nic_mac, 6);
	assert_int_equal(ee_read(f, 0, 6), 0x8139);
	assert_int_equal(ee_read(f, 1, 6), 0x10ec);
	/* A deselect mid-command starts over cleanly. */
	wr8(f, RTL8139_9346CR, 0x8a);
	wr8(f, RTL8139_9346CR, 0x8e);
	wr8(f, RTL8139_9346CR, 0x80);
	assert_int_equal(ee_read(f, 8, 6), get_le16(nic_mac + 2));
	/* Out of programming mode the pins read 0. */
	wr8(f, RTL8139_9346CR, 0x0f);
	assert_int_equal(rd8(f, RTL8139_9346CR), 0);
	/* Auto-load puts the EEPROM's address back in IDR. */
	wr32(f, RTL8139_IDR0, 0);
	wr8(f, RTL8139_9346CR, 0x40);
	assert_int_equal(rd32(f, RTL8139_IDR0), get_le32(nic_mac));
	assert_int_equal(rd8(f, RTL8139_9346CR), 0);
}

static void test_phy_and_link(void **state)
{
	struct fx *f = *state;

	/* Link up, autonegotiation complete, a 100 full partner. */
	assert_int_equal(rd16(f, RTL8139_BMSR) & 0x0024, 0x0024);
	assert_true(rd16(f, RTL8139_BMCR) & 0x1000);
	assert_true(rd16(f, RTL8139_ANLPAR) & 0x0100);
	assert_true(rd16(f, RTL8139_ANAR) & 0x0100);
	assert_int_equal(rd8(f, RTL8139_MSR) & RTL8139_MSR_LINKB, 0);
	assert_true(rd16(f, RTL8139_CSCR) & RTL8139_CSCR_LINK_OK);
	/* BMCR reset and restart clear themselves; ANAR keeps a write. */
	wr16(f, RTL8139_ANAR, 0x0061);
	assert_int_equal(rd16(f, RTL8139_ANAR), 0x0061);
	wr16(f, RTL8139_BMCR, 0x1200);
	assert_int_equal(rd16(f, RTL8139_BMCR) & 0x0200, 0);
	wr16(f, RTL8139_BMCR, 0x8000);
	assert_int_equal(rd16(f, RTL8139_BMCR) & 0x8000, 0);
	assert_int_equal(rd16(f, RTL8139_ANAR), 0x05e1);
	/* Status registers do not take writes. */
	wr16(f, RTL8139_BMSR, 0);
	assert_true(rd16(f, RTL8139_BMSR) & 0x0004);
	/* The cable goes: BMSR, MSR, CSCR and a LinkChg interrupt say so. */
	wr16(f, RTL8139_IMR, RTL8139_INT_LINKCHG);
	rtl8139_set_link(f->d, false);
	assert_int_equal(rd16(f, RTL8139_BMSR) & 0x0024, 0);
	assert_true(rd8(f, RTL8139_MSR) & RTL8139_MSR_LINKB);
	assert_int_equal(rd16(f, RTL8139_ANLPAR), 0);
	assert_int_equal(f->irq.level, 1);
	assert_true(rd16(f, RTL8139_ISR) & RTL8139_INT_LINKCHG);
	assert_int_equal(rd16(f, RTL8139_CSCR),
			 RTL8139_CSCR_LINK_CHG);	/* latched ... */
	assert_int_equal(rd16(f, RTL8139_CSCR), 0);	/* ... until read */
	wr16(f, RTL8139_ISR, RTL8139_INT_LINKCHG);
	assert_int_equal(f->irq.level, 0);
	rtl8139_set_link(f->d, false);		/* no change, no cause */
	assert_int_equal(rd16(f, RTL8139_ISR), 0);
	rtl8139_set_link(f->d, true);
	assert_true(rd16(f, RTL8139_ISR) & RTL8139_INT_LINKCHG);
	assert_true(rd16(f, RTL8139_BMSR) & 0x0004);
}

static void test_interrupts(void **state)
{
	struct fx *f = *state;

	/* A cause is kept while masked and interrupts once unmasked. */
	wr8(f, RTL8139_TPPOLL, RTL8139_TPPOLL_FSWINT);
	assert_int_equal(rd16(f, RTL8139_ISR), RTL8139_INT_SWINT);
	assert_int_equal(f->irq.level, 0);
	wr16(f, RTL8139_IMR, RTL8139_INT_SWINT);
	assert_int_equal(f->irq.level, 1);
	wr16(f, RTL8139_IMR, 0);
	assert_int_equal(f->irq.level, 0);
	wr16(f, RTL8139_IMR, RTL8139_INT_SWINT | RTL8139_INT_ROK);
	assert_int_equal(f->irq.level, 1);
	/* Writing ones acknowledges them, zeros leave them; a byte too. */
	wr16(f, RTL8139_ISR, RTL8139_INT_ROK);
	assert_int_equal(rd16(f, RTL8139_ISR), RTL8139_INT_SWINT);
	wr8(f, RTL8139_ISR + 1, RTL8139_INT_SWINT >> 8);
	assert_int_equal(rd16(f, RTL8139_ISR), 0);
	assert_int_equal(f->irq.level, 0);
}

/* ================= C mode: 8139too ================= */

static void test_c_tx_slots(void **state)
{
	struct fx *f = *state;
	u8 frame[300];
	int i;

	up_8139too(f, RCR_TOO);
	for (i = 0; i < 6; i++) {
		unsigned int slot = i % 4;

		make_frame(frame, other_mac, sizeof(frame), i);
		slot_send(f, slot, frame, sizeof(frame));
		assert_int_equal(f->peer.frames, i + 1);
		assert_int_equal(f->peer.len[i], sizeof(frame));
		assert_memory_equal(f->peer.data[i], frame, sizeof(frame));
		/* Done: OWN and TOK, count and threshold kept. */
		assert_int_equal(rd32(f, RTL8139_TSD0 + 4 * slot),
				 RTL8139_TSD_OWN | RTL8139_TSD_TOK | 8 << 16 |
				 sizeof(frame));
		assert_true(rd16(f, RTL8139_ISR) & RTL8139_INT_TOK);
		assert_int_equal(f->irq.level, 1);
		wr16(f, RTL8139_ISR, RTL8139_INT_TOK);
	}
	assert_int_equal(rd16(f, RTL8139_TSAD), 0xf00f);
	/* A short frame goes out padded with zeros to 60 bytes. */
	make_frame(frame, other_mac, 42, 0x33);
	slot_send(f, 2, frame, 42);
	assert_int_equal(f->peer.len[6], 60);
	assert_memory_equal(f->peer.data[6], frame, 42);
	for (i = 42; i < 60; i++)
		assert_int_equal(f->peer.data[6][i], 0);
	/* A TSD written with OWN set sends nothing. */
	wr32(f, RTL8139_TSD0 + 4 * 3, RTL8139_TSD_OWN | 100);
	run_loop(f);
	assert_int_equal(f->peer.frames, 7);
}

static void test_c_tx_waits_for_te_and_backend(void **state)
{
	struct fx *f = *state;
	u8 frame[100];

	up_8139too(f, RCR_TOO);
	wr8(f, RTL8139_CR, RTL8139_CR_RE);
	make_frame(frame, other_mac, sizeof(frame), 1);
	slot_send(f, 0, frame, sizeof(frame));
	assert_int_equal(f->peer.frames, 0);
	assert_int_equal(rd32(f, RTL8139_TSD0) & RTL8139_TSD_OWN, 0);
	wr8(f, RTL8139_CR, RTL8139_CR_RE | RTL8139_CR_TE);
	run_loop(f);
	assert_int_equal(f->peer.frames, 1);
	/* A back end without room: the frame waits for its wake. */
	f->peer.answer_zero = true;
	slot_send(f, 1, frame, sizeof(frame));
	assert_int_equal(f->peer.refused, 1);
	slot_send(f, 2, frame, sizeof(frame));
	assert_int_equal(rd32(f, RTL8139_TSD0 + 8) & RTL8139_TSD_OWN, 0);
	f->peer.answer_zero = false;
	net_port_wake_peer(&f->nd.ports[0]);
	run_loop(f);
	assert_int_equal(f->peer.frames, 3);
	assert_true(rd32(f, RTL8139_TSD0 + 8) & RTL8139_TSD_TOK);
}

/* The frame at offset off of the C mode buffer: header and bytes. */
static void check_rx_at(struct fx *f, u32 off, const u8 *frame, u32 len,
			u16 status)
{
	u8 *h = gpa(f, RXBUF + off);

	assert_int_equal(get_le16(h), status);
	assert_int_equal(get_le16(h + 2), MAX(len, 60u) + 4);
	assert_memory_equal(h + 4, frame, len);
}

/* 8139too's rtl8139_rx(): past the frame, CAPR to 16 short of it. */
static u32 driver_consume(struct fx *f, u32 cur)
{
	u32 size = get_le16(gpa(f, RXBUF + cur % 32768 + 2));

	cur = (cur + size + 4 + 3) & ~3u;
	wr16(f, RTL8139_CAPR, (u16)(cur - 16));
	run_loop(f);
	return cur;
}

static void test_c_rx_buffer(void **state)
{
	struct fx *f = *state;
	u8 frame[200];
	u32 cur = 0;

	up_8139too(f, RCR_TOO);
	memset(gpa(f, RXBUF), 0xee, 0x10000);
	make_frame(frame, nic_mac, sizeof(frame), 0x5a);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	check_rx_at(f, 0, frame, sizeof(frame),
		    RTL8139_RXH_ROK | RTL8139_RXH_PAM);
	/* The FCS follows, as zeros; CBR moves to the next dword. */
	assert_int_equal(get_le32(gpa(f, RXBUF + 4 + sizeof(frame))), 0);
	assert_int_equal(rd16(f, RTL8139_CBR), ALIGN_UP(4 + 200 + 4, 4));
	assert_int_equal(rd8(f, RTL8139_CR) & RTL8139_CR_BUFE, 0);
	assert_true(rd16(f, RTL8139_ISR) & RTL8139_INT_ROK);
	assert_int_equal(f->irq.level, 1);
	/* A short frame, padded with zeros; an odd length aligned up. */
	make_frame(frame, bcast, 33, 0x11);
	assert_int_equal(inject(f, frame, 33), 33);
	check_rx_at(f, 208, frame, 33, RTL8139_RXH_ROK | RTL8139_RXH_BAR);
	assert_int_equal(get_le32(gpa(f, RXBUF + 208 + 4 + 56)), 0);
	assert_int_equal(rd16(f, RTL8139_CBR), 208 + 68);
	make_frame(frame, nic_mac, 61, 0x22);
	assert_int_equal(inject(f, frame, 61), 61);
	assert_int_equal(rd16(f, RTL8139_CBR), 276 + ALIGN_UP(4 + 65, 4));
	/* The driver reads them all: empty again. */
	cur = driver_consume(f, cur);
	cur = driver_consume(f, cur);
	assert_int_equal(rd8(f, RTL8139_CR) & RTL8139_CR_BUFE, 0);
	cur = driver_consume(f, cur);
	assert_int_equal(rd8(f, RTL8139_CR) & RTL8139_CR_BUFE,
			 RTL8139_CR_BUFE);
	assert_int_equal(rd16(f, RTL8139_CAPR), (u16)(cur - 16));
	/* Too long for the buffer's frames: dropped and counted. */
	{
		static u8 big[1600];

		make_frame(big, nic_mac, sizeof(big), 1);
		assert_int_equal(inject(f, big, sizeof(big)), sizeof(big));
		assert_int_equal(rd32(f, RTL8139_MPC), 1);
		assert_int_equal(rd16(f, RTL8139_CBR), cur % 32768);
	}
}

/* Move CBR and CAPR to offset off of an 8 KiB buffer with a filler. */
static void rx_park(struct fx *f, u32 off)
{
	u8 fill[1600];
	u32 cur = 0;

	while (cur + 1600 < off) {
		make_frame(fill, nic_mac, 1500, 0);
		assert_int_equal(inject(f, fill, 1500), 1500);
		cur = driver_consume(f, cur);
	}
	make_frame(fill, nic_mac, off - cur - 8, 0);
	assert_int_equal(inject(f, fill, off - cur - 8), off - cur - 8);
	cur = driver_consume(f, cur);
	assert_int_equal(cur, off);
	assert_int_equal(rd16(f, RTL8139_CBR), off);
}

static void test_c_rx_wrap(void **state)
{
	struct fx *f = *state;
	u8 frame[300];
	u32 first = 100 - 4;	/* frame bytes before the end */

	/* 8 KiB without WRAP: a frame over the end goes on at the start. */
	up_8139too(f, RTL8139_RCR_AB | RTL8139_RCR_APM);
	rx_park(f, 8192 - 100);
	memset(gpa(f, RXBUF), 0xee, 0x4000);
	make_frame(frame, nic_mac, sizeof(frame), 0x77);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(get_le16(gpa(f, RXBUF + 8192 - 100 + 2)), 304);
	assert_memory_equal(gpa(f, RXBUF + 8192 - 96), frame, first);
	assert_memory_equal(gpa(f, RXBUF), frame + first,
			    sizeof(frame) - first);
	/* Nothing written past the end of the 8 KiB. */
	assert_int_equal(*gpa(f, RXBUF + 8192), 0xee);
	assert_int_equal(rd16(f, RTL8139_CBR),
			 (8192 - 100 + ALIGN_UP(4 + 304, 4)) % 8192);

	/* With WRAP: written on past the end, the next frame after it. */
	up_8139too(f, RTL8139_RCR_WRAP | RTL8139_RCR_AB | RTL8139_RCR_APM);
	rx_park(f, 8192 - 100);
	memset(gpa(f, RXBUF), 0xee, 0x4000);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_memory_equal(gpa(f, RXBUF + 8192 - 96), frame, sizeof(frame));
	assert_int_equal(*gpa(f, RXBUF), 0xee);
	assert_int_equal(rd16(f, RTL8139_CBR), 8192 - 100 + 308 - 8192);
}

static void test_c_rx_overflow(void **state)
{
	struct fx *f = *state;
	u8 frame[1500], before[8192 + 16];
	u32 cur = 0, cbr;
	int n = 0;

	up_8139too(f, RTL8139_RCR_WRAP | RTL8139_RCR_AB | RTL8139_RCR_APM);
	make_frame(frame, nic_mac, sizeof(frame), 0x44);
	while (n < 10 && inject(f, frame, sizeof(frame)) == sizeof(frame))
		n++;
	/*
	 * Five frames of 1508 fit 8 KiB; the sixth would meet CAPR: the
	 * back end keeps it. Not missed, no RXOVW (8139too would count an
	 * error), and ROK stands for the driver to read.
	 */
	assert_int_equal(n, 5);
	assert_int_equal(rd32(f, RTL8139_MPC), 0);
	assert_int_equal(rd16(f, RTL8139_ISR) & RTL8139_INT_RXOVW, 0);
	assert_true(rd16(f, RTL8139_ISR) & RTL8139_INT_ROK);
	cbr = rd16(f, RTL8139_CBR);
	memcpy(before, gpa(f, RXBUF), sizeof(before));
	/* Nothing is written over unread frames. */
	assert_int_equal(inject(f, frame, sizeof(frame)), 0);
	assert_memory_equal(before, gpa(f, RXBUF), sizeof(before));
	assert_int_equal(rd16(f, RTL8139_CBR), cbr);
	/* The driver reads one: its CAPR write wakes the back end... */
	f->peer.wakes = 0;
	cur = driver_consume(f, cur);
	assert_true(f->peer.wakes >= 1);
	/* ...and the frame it kept now fits. */
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(rd32(f, RTL8139_MPC), 0);
	check_rx_at(f, cbr, frame, sizeof(frame),
		    RTL8139_RXH_ROK | RTL8139_RXH_PAM);
	/* Full again; a CAPR write that frees nothing changes nothing. */
	cbr = rd16(f, RTL8139_CBR);
	memcpy(before, gpa(f, RXBUF), sizeof(before));
	assert_int_equal(inject(f, frame, sizeof(frame)), 0);
	wr16(f, RTL8139_CAPR, (u16)(cur - 16));
	run_loop(f);
	assert_int_equal(inject(f, frame, sizeof(frame)), 0);
	assert_memory_equal(before, gpa(f, RXBUF), sizeof(before));
	assert_int_equal(rd16(f, RTL8139_CBR), cbr);
	assert_int_equal(rd32(f, RTL8139_MPC), 0);
}

/*
 * 8139too's poll reads the buffer only while ISR shows a receive bit,
 * and it acknowledges ROK after every frame it takes. When its budget
 * ends with frames still unread, an ROK acknowledged there must not
 * leave them behind: ROK comes back at once while the buffer holds
 * any, and stays off once it is empty.
 */
static void test_c_rx_ack_while_unread(void **state)
{
	struct fx *f = *state;
	u8 frame[300];
	u32 cur = 0;

	up_8139too(f, RTL8139_RCR_WRAP | RTL8139_RCR_AB | RTL8139_RCR_APM);
	make_frame(frame, nic_mac, sizeof(frame), 0x21);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_true(rd16(f, RTL8139_ISR) & RTL8139_INT_ROK);
	/* Take one, acknowledge: one is left, so ROK stands. */
	cur = driver_consume(f, cur);
	wr16(f, RTL8139_ISR, RTL8139_INT_ROK);
	assert_true(rd16(f, RTL8139_ISR) & RTL8139_INT_ROK);
	/* Other bits are acknowledged as usual. */
	wr16(f, RTL8139_ISR, RTL8139_INT_ROK | RTL8139_INT_RXOVW);
	assert_int_equal(rd16(f, RTL8139_ISR) & RTL8139_INT_RXOVW, 0);
	/* Take the last: the acknowledgement sticks. */
	cur = driver_consume(f, cur);
	assert_true(rd8(f, RTL8139_CR) & RTL8139_CR_BUFE);
	wr16(f, RTL8139_ISR, RTL8139_INT_ROK);
	assert_int_equal(rd16(f, RTL8139_ISR) & RTL8139_INT_ROK, 0);
}

/*
 * 8139too's rtl8139_rx_err(): a header it does not believe makes it
 * turn the receiver off and on, write RCR again and read on from
 * offset 0 (cur_rx = 0) without writing CAPR. The chip must start
 * there too, with the buffer empty.
 */
static void test_c_rx_err_restart(void **state)
{
	struct fx *f = *state;
	u8 frame[300];
	u8 cr;
	int i;

	up_8139too(f, RCR_TOO);
	make_frame(frame, nic_mac, sizeof(frame), 0x31);
	for (i = 0; i < 3; i++)
		assert_int_equal(inject(f, frame, sizeof(frame)),
				 sizeof(frame));
	driver_consume(f, 0);
	assert_int_not_equal(rd16(f, RTL8139_CBR), 0);
	cr = rd8(f, RTL8139_CR);
	wr8(f, RTL8139_CR, cr & ~RTL8139_CR_RE);
	wr8(f, RTL8139_CR, cr);
	wr32(f, RTL8139_RCR, RCR_TOO);
	run_loop(f);
	assert_int_equal(rd16(f, RTL8139_CBR), 0);
	assert_int_equal(rd8(f, RTL8139_CR) & RTL8139_CR_BUFE,
			 RTL8139_CR_BUFE);
	/* The next frame is where the driver looks for it. */
	memset(gpa(f, RXBUF), 0xee, 0x1000);
	make_frame(frame, nic_mac, sizeof(frame), 0x32);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	check_rx_at(f, 0, frame, sizeof(frame),
		    RTL8139_RXH_ROK | RTL8139_RXH_PAM);
	assert_int_equal(rd8(f, RTL8139_CR) & RTL8139_CR_BUFE, 0);
	/* And the driver's CAPR from there on means what it says. */
	driver_consume(f, 0);
	assert_int_equal(rd8(f, RTL8139_CR) & RTL8139_CR_BUFE,
			 RTL8139_CR_BUFE);
}

static void test_rx_filter(void **state)
{
	struct fx *f = *state;
	static const u8 mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
	static const u8 mcast2[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
	u8 frame[100];
	unsigned int bit = hash_bit(mcast);
	u32 cbr;

	up_8139too(f, RCR_TOO);
	/* Someone else's unicast: not taken. */
	make_frame(frame, other_mac, sizeof(frame), 1);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(rd16(f, RTL8139_CBR), 0);
	/* Multicast: only with AM and the address's bit in MAR. */
	make_frame(frame, mcast, sizeof(frame), 2);
	inject(f, frame, sizeof(frame));
	assert_int_equal(rd16(f, RTL8139_CBR), 0);
	wr32(f, RTL8139_RCR, RCR_TOO | RTL8139_RCR_AM);
	inject(f, frame, sizeof(frame));
	assert_int_equal(rd16(f, RTL8139_CBR), 0);
	wr8(f, RTL8139_MAR0 + bit / 8, 1 << (bit % 8));
	inject(f, frame, sizeof(frame));
	cbr = rd16(f, RTL8139_CBR);
	assert_int_not_equal(cbr, 0);
	check_rx_at(f, 0, frame, sizeof(frame),
		    RTL8139_RXH_ROK | RTL8139_RXH_MAR);
	if (hash_bit(mcast2) != bit) {
		make_frame(frame, mcast2, sizeof(frame), 3);
		inject(f, frame, sizeof(frame));
		assert_int_equal(rd16(f, RTL8139_CBR), cbr);
	}
	/* Broadcast: only with AB. */
	wr32(f, RTL8139_RCR, RX_32K | RTL8139_RCR_APM);
	make_frame(frame, bcast, sizeof(frame), 4);
	inject(f, frame, sizeof(frame));
	assert_int_equal(rd16(f, RTL8139_CBR), cbr);
	/* Promiscuous: any unicast, status without PAM. */
	wr32(f, RTL8139_RCR, RX_32K | RTL8139_RCR_AAP | RTL8139_RCR_APM);
	make_frame(frame, other_mac, sizeof(frame), 5);
	inject(f, frame, sizeof(frame));
	check_rx_at(f, cbr, frame, sizeof(frame), RTL8139_RXH_ROK);
	/* Our address but no APM (and no AAP): not taken. */
	wr32(f, RTL8139_RCR, RX_32K | RTL8139_RCR_AB);
	cbr = rd16(f, RTL8139_CBR);
	make_frame(frame, nic_mac, sizeof(frame), 6);
	inject(f, frame, sizeof(frame));
	assert_int_equal(rd16(f, RTL8139_CBR), cbr);
	/* A runt shorter than a header is never taken. */
	assert_int_equal(inject(f, frame, 10), 10);
	assert_int_equal(rd16(f, RTL8139_CBR), cbr);
}

static void test_c_loopback(void **state)
{
	struct fx *f = *state;
	u8 frame[100];

	up_8139too(f, RCR_TOO);
	wr32(f, RTL8139_TCR, rd32(f, RTL8139_TCR) | RTL8139_TCR_LBK);
	make_frame(frame, nic_mac, sizeof(frame), 9);
	slot_send(f, 0, frame, sizeof(frame));
	/* Back into our own buffer, not to the back end. */
	assert_int_equal(f->peer.frames, 0);
	check_rx_at(f, 0, frame, sizeof(frame),
		    RTL8139_RXH_ROK | RTL8139_RXH_PAM);
	assert_true(rd32(f, RTL8139_TSD0) & RTL8139_TSD_TOK);
	/* And the back end is not heard meanwhile. */
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(rd16(f, RTL8139_CBR), 108);
	/* A full buffer loses looped frames; it never loops forever. */
	{
		int i;

		for (i = 0; i < 400; i++)
			slot_send(f, i % 4, frame, sizeof(frame));
		assert_int_equal(f->peer.frames, 0);
		assert_true(rd32(f, RTL8139_MPC) > 0);
	}
}

/* ================= C+ mode: 8139cp ================= */

static void test_cp_tx_ring(void **state)
{
	struct fx *f = *state;
	u8 frame[400];
	unsigned int i;

	up_8139cp(f, RTL8139_CPCR_RXCSUM);
	for (i = 0; i < 3; i++) {
		make_frame(gpa(f, TXB(i)), other_mac, 200 + i, i + 1);
		tx_desc(f, i, TXB(i), 200 + i, FSLS, 0);
	}
	tx_poll(f);
	assert_int_equal(f->peer.frames, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(f->peer.len[i], 200 + i);
		assert_memory_equal(f->peer.data[i], gpa(f, TXB(i)), 200 + i);
		/* Handed back: OWN clear, the rest as it was. */
		assert_int_equal(opts1_of(txd(f, i)), FSLS | (200 + i));
	}
	assert_true(rd16(f, RTL8139_ISR) & RTL8139_INT_TOK);
	assert_int_equal(f->irq.level, 1);
	/* One frame over three descriptors: FS, a middle, LS. */
	make_frame(frame, other_mac, sizeof(frame), 0x42);
	memcpy(gpa(f, TXB(3)), frame, 100);
	memcpy(gpa(f, TXB(4)), frame + 100, 100);
	memcpy(gpa(f, TXB(5)), frame + 200, 200);
	tx_desc(f, 4, TXB(4), 100, 0, 0);
	tx_desc(f, 5, TXB(5), 200, RTL8139_DESC_LS, 0);
	tx_desc(f, 3, TXB(3), 100, RTL8139_DESC_FS, 0);
	tx_poll(f);
	assert_int_equal(f->peer.frames, 4);
	assert_int_equal(f->peer.len[3], sizeof(frame));
	assert_memory_equal(f->peer.data[3], frame, sizeof(frame));
	/* A descriptor not owned stops the walk: nothing more. */
	tx_poll(f);
	assert_int_equal(f->peer.frames, 4);
}

/*
 * TxPoll takes small packets (ACKs) at once: the descriptors come back
 * and TOK is up before the write returns, but the vCPU thread sends
 * nothing (net.h says why). The loop sends what was taken, even after
 * the guest reused its buffers.
 */
static void test_cp_tx_poll_small_taken_now(void **state)
{
	struct fx *f = *state;
	u8 sent[3][256];
	unsigned int i;

	up_8139cp(f, 0);
	for (i = 0; i < 3; i++) {
		make_frame(gpa(f, TXB(i)), other_mac, 200 + i, i + 1);
		memcpy(sent[i], gpa(f, TXB(i)), 200 + i);
		tx_desc(f, i, TXB(i), 200 + i, FSLS, 0);
	}
	wr8(f, RTL8139_TPPOLL, RTL8139_TPPOLL_NPQ);
	assert_int_equal(f->peer.frames, 0);
	for (i = 0; i < 3; i++)
		assert_false(opts1_of(txd(f, i)) & RTL8139_DESC_OWN);
	assert_true(rd16(f, RTL8139_ISR) & RTL8139_INT_TOK);
	for (i = 0; i < 3; i++)
		memset(gpa(f, TXB(i)), 0xee, 200 + i);
	run_loop(f);
	assert_int_equal(f->peer.frames, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(f->peer.len[i], 200 + i);
		assert_memory_equal(f->peer.data[i], sent[i], 200 + i);
	}
}

/*
 * A bigger packet is taken at TxPoll too, but its TOK waits for the
 * loop to send it: a streaming guest gets one interrupt per batch.
 */
static void test_cp_tx_poll_big_tok_late(void **state)
{
	struct fx *f = *state;
	unsigned int i;

	up_8139cp(f, 0);
	make_frame(gpa(f, TXB(0)), other_mac, 100, 1);
	tx_desc(f, 0, TXB(0), 100, FSLS, 0);
	make_frame(gpa(f, TXB(1)), other_mac, 1000, 2);
	tx_desc(f, 1, TXB(1), 1000, FSLS, 0);
	wr8(f, RTL8139_TPPOLL, RTL8139_TPPOLL_NPQ);
	for (i = 0; i < 2; i++)
		assert_false(opts1_of(txd(f, i)) & RTL8139_DESC_OWN);
	assert_int_equal(f->peer.frames, 0);
	assert_false(rd16(f, RTL8139_ISR) & RTL8139_INT_TOK);
	run_loop(f);
	assert_int_equal(f->peer.frames, 2);
	assert_int_equal(f->peer.len[1], 1000);
	assert_true(rd16(f, RTL8139_ISR) & RTL8139_INT_TOK);
}

static void test_cp_tx_ring_wrap(void **state)
{
	struct fx *f = *state;
	unsigned int i, n = 0;

	up_8139cp(f, 0);
	/* Walk the ring up to its last entry, then past EOR to 0. */
	for (i = 0; i < NDESC + 2; i++) {
		unsigned int k = i % NDESC;

		if (i == NDESC - 4) {
			f->peer.frames = 0;	/* keep the last few */
			n = 0;
		}
		make_frame(gpa(f, TXB(k)), other_mac, 64, i);
		tx_desc(f, k, TXB(k), 64, FSLS, 0);
		tx_poll(f);
		n++;
		assert_int_equal(f->peer.frames, n);
		assert_int_equal(f->peer.data[n - 1][14], i);
	}
	assert_int_equal(opts1_of(txd(f, NDESC - 1)),
			 FSLS | RTL8139_DESC_EOR | 64);
}

static void test_cp_rx_ring(void **state)
{
	struct fx *f = *state;
	u8 frame[300];
	unsigned int i;

	up_8139cp(f, 0);
	for (i = 0; i < NDESC + 3; i++) {
		unsigned int k = i % NDESC;
		u32 o;

		make_frame(frame, i % 2 ? bcast : nic_mac, sizeof(frame), i);
		assert_int_equal(inject(f, frame, sizeof(frame)),
				 sizeof(frame));
		o = opts1_of(rxd(f, k));
		assert_int_equal(o & RTL8139_DESC_OWN, 0);
		assert_int_equal(o & (FSLS | RTL8139_DESC_EOR),
				 FSLS | (k == NDESC - 1 ? RTL8139_DESC_EOR :
							  0));
		assert_int_equal(o & RTL8139_RXD_LEN, sizeof(frame) + 4);
		assert_int_equal(o & (RTL8139_RXD_BAR | RTL8139_RXD_PAM),
				 i % 2 ? RTL8139_RXD_BAR : RTL8139_RXD_PAM);
		assert_memory_equal(gpa(f, RXB(k)), frame, sizeof(frame));
		assert_int_equal(get_le32(gpa(f, RXB(k)) + sizeof(frame)), 0);
		/* 8139cp gives each back at once, as cp_rx_poll() does. */
		rx_refill(f, k, 1536);
	}
	assert_true(rd16(f, RTL8139_ISR) & RTL8139_INT_ROK);
}

static void test_cp_rx_no_descriptor_then_wake(void **state)
{
	struct fx *f = *state;
	u8 frame[100];
	unsigned int i;

	up_8139cp(f, 0);
	make_frame(frame, nic_mac, sizeof(frame), 1);
	for (i = 0; i < NDESC; i++)
		assert_int_equal(inject(f, frame, sizeof(frame)),
				 sizeof(frame));
	/* Ring full: RDU, the back end keeps the frame. */
	assert_int_equal(inject(f, frame, sizeof(frame)), 0);
	assert_true(rd16(f, RTL8139_ISR) & RTL8139_INT_RDU);
	assert_int_equal(rd32(f, RTL8139_MPC), 0);
	/* The driver refills and unmasks, as at the end of its poll. */
	f->peer.wakes = 0;
	rx_refill(f, 0, 1536);
	wr16(f, RTL8139_ISR, RTL8139_INT_RDU | RTL8139_INT_ROK);
	wr16(f, RTL8139_IMR, MASK_8139CP);
	run_loop(f);
	assert_true(f->peer.wakes >= 1);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(opts1_of(rxd(f, 0)) & RTL8139_DESC_OWN, 0);
	/* A frame bigger than the buffer is dropped, the ring untouched. */
	rx_refill(f, 1, 100);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_true(opts1_of(rxd(f, 1)) & RTL8139_DESC_OWN);
	assert_int_equal(rd32(f, RTL8139_MPC), 1);
}

static void test_cp_rx_checksum_and_vlan(void **state)
{
	struct fx *f = *state;
	u8 frame[200], tagged[204];
	size_t len = make_tcp(frame, 100, true, 0x18);
	u32 o;

	memcpy(frame, nic_mac, 6);
	up_8139cp(f, RTL8139_CPCR_RXCSUM | RTL8139_CPCR_RXVLAN);
	inject(f, frame, len);
	o = opts1_of(rxd(f, 0));
	assert_int_equal(o >> 16 & 3, RTL8139_RXD_PID_TCP);
	assert_int_equal(o & (RTL8139_RXD_IPF | RTL8139_RXD_TCPF), 0);
	/* A bad TCP checksum is flagged; 8139cp then checks it itself. */
	frame[HDR_LEN + 3] ^= 0x40;
	inject(f, frame, len);
	o = opts1_of(rxd(f, 1));
	assert_int_equal(o & (RTL8139_RXD_IPF | RTL8139_RXD_TCPF),
			 RTL8139_RXD_TCPF);
	frame[HDR_LEN + 3] ^= 0x40;
	/* A tagged frame: the tag stripped into opts2, byte-swapped. */
	memcpy(tagged, frame, 12);
	be16_put(tagged + 12, 0x8100);
	be16_put(tagged + 14, 0x2005);
	memcpy(tagged + 16, frame + 12, len - 12);
	inject(f, tagged, len + 4);
	o = opts1_of(rxd(f, 2));
	assert_int_equal(o & RTL8139_RXD_LEN, len + 4);
	assert_int_equal(get_le32(rxd(f, 2) + 4), RTL8139_RXD_TAVA | 0x0520);
	assert_memory_equal(gpa(f, RXB(2)), frame, len);
	assert_int_equal(o >> 16 & 3, RTL8139_RXD_PID_TCP);
	assert_int_equal(o & RTL8139_RXD_TCPF, 0);
}

/*
 * A tap with offloads on (net/gso.h): a 64 KiB-style TCP frame after a
 * vnet header reaches the ring as MSS-sized frames with whole checksums;
 * refused midway, it comes again and only the rest goes in.
 */
/* How many receive descriptors were done when the line last rose. */
static struct fx *irq_fx;
static int done_at_raise;

static void counting_irq_set(struct irq_line *line, int level)
{
	unsigned int i;

	if (level && !container_of(line, struct fake_irq, line)->level) {
		done_at_raise = 0;
		for (i = 3; i < 6; i++)
			done_at_raise += !(opts1_of(rxd(irq_fx, i)) &
					   RTL8139_DESC_OWN);
	}
	fake_irq_set(line, level);
}

static void test_cp_rx_tap_offloads(void **state)
{
	struct fx *f = *state;
	static u8 buf[12 + HDR_LEN + 3000];
	u8 *frame = buf + 12, *seg;
	size_t len = 12 + make_tcp(frame, 3000, false, 0x19), i;
	u32 o;

	memcpy(frame, nic_mac, 6);
	fake_vnet_tso4(buf, 1448);
	f->d->port.vnet_hdr = true;	/* as when the tap took the offloads */
	up_8139cp(f, RTL8139_CPCR_RXCSUM);
	/* Room for two of the three: the back end is told to keep it. */
	put_le32(rxd(f, 2), 0);
	assert_int_equal(inject(f, buf, len), 0);
	assert_int_equal(opts1_of(rxd(f, 2)), 0);
	rx_refill(f, 2, 1536);
	assert_int_equal(inject(f, buf, len), len);
	assert_true(opts1_of(rxd(f, 3)) & RTL8139_DESC_OWN);
	for (i = 0; i < 3; i++) {
		u32 chunk = i < 2 ? 1448 : 3000 - 2 * 1448;

		o = opts1_of(rxd(f, i));
		assert_int_equal(o & RTL8139_DESC_OWN, 0);
		assert_int_equal(o & RTL8139_RXD_LEN, HDR_LEN + chunk + 4);
		assert_int_equal(o >> 16 & 3, RTL8139_RXD_PID_TCP);
		assert_int_equal(o & (RTL8139_RXD_IPF | RTL8139_RXD_TCPF), 0);
		seg = gpa(f, RXB(i));
		assert_true(ip_csum_ok(seg));
		assert_true(tcp_csum_ok(seg, HDR_LEN + chunk));
		assert_int_equal(be32_at(seg + 38), 0x10000000 + i * 1448);
		/* FIN and PSH on the last segment only. */
		assert_int_equal(seg[47], i < 2 ? 0x10 : 0x19);
		assert_memory_equal(seg + HDR_LEN, frame + HDR_LEN + i * 1448,
				    chunk);
	}
	assert_int_equal(rd32(f, RTL8139_MPC), 0);
	/* The same again: one interrupt, raised once all three are in. */
	wr16(f, RTL8139_ISR, 0xffff);
	assert_int_equal(f->irq.level, 0);
	irq_fx = f;
	f->irq.line.set = counting_irq_set;
	assert_int_equal(inject(f, buf, len), len);
	assert_int_equal(f->irq.level, 1);
	assert_int_equal(done_at_raise, 3);
	/* A header the frame cannot back is dropped and counted. */
	put_le16(buf + 6, 0xfff0);
	buf[1] = 0;
	assert_int_equal(inject(f, buf, len), len);
	assert_true(opts1_of(rxd(f, 6)) & RTL8139_DESC_OWN);
	assert_int_equal(rd32(f, RTL8139_MPC), 1);
	/* A sender that flushes after each batch: the line waits for it. */
	f->irq.line.set = fake_irq_set;
	wr16(f, RTL8139_ISR, 0xffff);
	f->nd.ports[0].batches = true;
	memset(buf, 0, 12);
	assert_int_equal(inject(f, buf, 12 + 200), 12 + 200);
	assert_false(opts1_of(rxd(f, 6)) & RTL8139_DESC_OWN);
	assert_int_equal(f->irq.level, 0);
	net_port_flush_peer(&f->nd.ports[0]);
	assert_int_equal(f->irq.level, 1);
	f->nd.ports[0].batches = false;
	/* What the chip sends goes behind an empty vnet header. */
	make_frame(gpa(f, TXB(0)), other_mac, 100, 3);
	tx_desc(f, 0, TXB(0), 100, FSLS, 0);
	tx_poll(f);
	assert_int_equal(f->peer.frames, 1);
	assert_int_equal(f->peer.len[0], 12 + 100);
	for (i = 0; i < 12; i++)
		assert_int_equal(f->peer.data[0][i], 0);
	assert_memory_equal(f->peer.data[0] + 12, gpa(f, TXB(0)), 100);
}

static void test_cp_tx_checksum_offload(void **state)
{
	struct fx *f = *state;
	u8 *p = gpa(f, TXB(0)), *q;
	size_t len = make_tcp(p, 300, false, 0x18);

	up_8139cp(f, 0);
	/* What the stack leaves: the pseudo-header sum in the field. */
	be16_put(p + 14 + 20 + 16, 0x1234);
	tx_desc(f, 0, TXB(0), len, FSLS | RTL8139_TXD_IPCS | RTL8139_TXD_TCPCS,
		0);
	tx_poll(f);
	assert_int_equal(f->peer.frames, 1);
	assert_true(ip_csum_ok(f->peer.data[0]));
	assert_true(tcp_csum_ok(f->peer.data[0], f->peer.len[0]));
	/* UDP, and an Ethernet pad the IP length leaves out. */
	q = gpa(f, TXB(1));
	len = make_tcp(q, 30, false, 0);
	q[14 + 9] = 17;
	be16_put(q + 34 + 4, 8 + 30 + 12);
	be16_put(q + 16, 20 + 8 + 30);
	tx_desc(f, 1, TXB(1), len, FSLS | RTL8139_TXD_IPCS | RTL8139_TXD_UDPCS,
		0);
	tx_poll(f);
	assert_int_equal(f->peer.frames, 2);
	{
		const u8 *fr = f->peer.data[1];
		u32 s = sum16(fr + 26, 8, 17 + 38);

		assert_true(ip_csum_ok(fr));
		assert_int_equal(fold16(sum16(fr + 34, 38, s)), 0xffff);
	}
}

static void test_cp_tso(void **state)
{
	struct fx *f = *state;
	u8 *p = gpa(f, TX_DATA);
	size_t len = make_tcp(p, 3500, false, 0x19);	/* FIN|PSH|ACK */
	u32 seq = 0x10000000, mss = 1000;
	int i;

	up_8139cp(f, 0);
	/* Head and payload in two descriptors, as with a paged skb. */
	tx_desc(f, 1, TX_DATA + 100, len - 100,
		RTL8139_DESC_LS | RTL8139_TXD_LGSEN | mss << 16, 0);
	tx_desc(f, 0, TX_DATA, 100,
		RTL8139_DESC_FS | RTL8139_TXD_LGSEN | mss << 16, 0);
	tx_poll(f);
	assert_int_equal(f->peer.frames, 4);
	for (i = 0; i < 4; i++) {
		const u8 *fr = f->peer.data[i];
		u32 plen = i < 3 ? 1000 : 500;

		assert_int_equal(f->peer.len[i], HDR_LEN + plen);
		assert_int_equal(be16_at(fr + 16), 40 + plen);
		assert_int_equal(be16_at(fr + 18), 0x1234 + i);
		assert_int_equal(be32_at(fr + 38), seq + 1000 * i);
		assert_int_equal(fr[47] & 0x09, i < 3 ? 0 : 0x09);
		assert_true(ip_csum_ok(fr));
		assert_true(tcp_csum_ok(fr, f->peer.len[i]));
		assert_memory_equal(fr + HDR_LEN, p + HDR_LEN + 1000 * i, plen);
	}
	/* Status bits come back clean: the MSS does not read as TxError. */
	assert_int_equal(opts1_of(txd(f, 0)) & 0x0fff0000, 0);
	assert_int_equal(opts1_of(txd(f, 1)) & 0x0fff0000, 0);
	assert_false(rd16(f, RTL8139_ISR) & RTL8139_INT_TER);
}

static void test_cp_vlan_insert(void **state)
{
	struct fx *f = *state;

	up_8139cp(f, 0);
	make_frame(gpa(f, TXB(0)), other_mac, 100, 3);
	tx_desc(f, 0, TXB(0), 100, FSLS, RTL8139_TXD_TAGC | 0x0520);
	tx_poll(f);
	assert_int_equal(f->peer.len[0], 104);
	assert_int_equal(be16_at(f->peer.data[0] + 12), 0x8100);
	assert_int_equal(be16_at(f->peer.data[0] + 14), 0x2005);
	assert_memory_equal(f->peer.data[0] + 16, gpa(f, TXB(0)) + 12, 88);
}

static void test_cp_tally_dump(void **state)
{
	struct fx *f = *state;
	u8 frame[100], *t = gpa(f, TALLY);

	up_8139cp(f, 0);
	make_frame(gpa(f, TXB(0)), other_mac, 100, 3);
	tx_desc(f, 0, TXB(0), 100, FSLS, 0);
	tx_poll(f);
	make_frame(frame, bcast, sizeof(frame), 1);
	inject(f, frame, sizeof(frame));
	make_frame(frame, nic_mac, sizeof(frame), 1);
	inject(f, frame, sizeof(frame));
	/* cp_get_ethtool_stats(): address and command, poll, clear. */
	wr32(f, RTL8139_DTCCR + 4, 0);
	wr32(f, RTL8139_DTCCR, TALLY | RTL8139_DTCCR_CMD);
	run_loop(f);
	assert_int_equal(rd32(f, RTL8139_DTCCR) & RTL8139_DTCCR_CMD, 0);
	assert_int_equal(get_le64(t + 0), 1);		/* tx_ok */
	assert_int_equal(get_le64(t + 8), 2);		/* rx_ok */
	assert_int_equal(get_le64(t + 40), 1);		/* rx_ok_phys */
	assert_int_equal(get_le64(t + 48), 1);		/* rx_ok_bcast */
	/* Outside RAM: nothing written, the command still ends. */
	wr32(f, RTL8139_DTCCR + 4, 1);
	wr32(f, RTL8139_DTCCR, RTL8139_DTCCR_CMD);
	run_loop(f);
	assert_int_equal(rd32(f, RTL8139_DTCCR) & RTL8139_DTCCR_CMD, 0);
}

/* ================= hostile guests ================= */

static void test_hostile_c_tx_slots(void **state)
{
	struct fx *f = *state;
	u8 frame[100];

	up_8139too(f, RCR_TOO);
	make_frame(frame, other_mac, sizeof(frame), 1);
	memcpy(gpa(f, SLOT_BUF(0)), frame, sizeof(frame));
	/* Length 0, longer than a slot takes, a buffer outside RAM. */
	wr32(f, RTL8139_TSD0, 0);
	run_loop(f);
	assert_int_equal(rd32(f, RTL8139_TSD0) &
			 (RTL8139_TSD_OWN | RTL8139_TSD_TABT | RTL8139_TSD_TOK),
			 RTL8139_TSD_OWN | RTL8139_TSD_TABT);
	wr32(f, RTL8139_TSD0 + 4, 0x1fff);
	run_loop(f);
	assert_true(rd32(f, RTL8139_TSD0 + 4) & RTL8139_TSD_TABT);
	wr32(f, RTL8139_TSAD0 + 8, OUTSIDE);
	wr32(f, RTL8139_TSD0 + 8, 100);
	run_loop(f);
	assert_true(rd32(f, RTL8139_TSD0 + 8) & RTL8139_TSD_TABT);
	wr32(f, RTL8139_TSAD0 + 12, RAM_SIZE - 50);	/* runs off the end */
	wr32(f, RTL8139_TSD0 + 12, 100);
	run_loop(f);
	assert_true(rd32(f, RTL8139_TSD0 + 12) & RTL8139_TSD_TABT);
	assert_int_equal(f->peer.frames, 0);
	assert_true(rd16(f, RTL8139_ISR) & RTL8139_INT_TER);
	/* The driver recovers as 8139too does; the slot works again. */
	wr32(f, RTL8139_TCR, RTL8139_TCR_CLRABT);
	slot_send(f, 0, frame, sizeof(frame));
	assert_int_equal(f->peer.frames, 1);
}

static void test_hostile_c_rx_buffer(void **state)
{
	struct fx *f = *state;
	u8 frame[200];

	/* A buffer outside RAM, or running off its end: nothing written. */
	up_8139too(f, RCR_TOO);
	wr32(f, RTL8139_RBSTART, OUTSIDE);
	make_frame(frame, nic_mac, sizeof(frame), 1);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(rd16(f, RTL8139_CBR), 0);
	assert_int_equal(rd32(f, RTL8139_MPC), 1);
	wr32(f, RTL8139_RBSTART, RAM_SIZE - 100);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(rd16(f, RTL8139_CBR), 0);
	assert_int_equal(rd32(f, RTL8139_MPC), 2);
	/* CAPR anywhere: the free space is computed, never trusted. */
	wr32(f, RTL8139_RBSTART, RXBUF);
	wr16(f, RTL8139_CAPR, 0x1234);
	memset(gpa(f, RXBUF), 0xee, 0x10000);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	check_rx_at(f, 0, frame, sizeof(frame),
		    RTL8139_RXH_ROK | RTL8139_RXH_PAM);
	/* Written never past the 32K and its slack. */
	assert_int_equal(*gpa(f, RXBUF + 32768 + 2048), 0xee);
}

static void test_hostile_cp_buffers(void **state)
{
	struct fx *f = *state;
	u8 frame[100];

	up_8139cp(f, 0);
	/* Transmit: a buffer outside RAM; a zero-length packet. */
	tx_desc(f, 0, OUTSIDE, 100, FSLS, 0);
	tx_desc(f, 1, TXB(1), 0, FSLS, 0);
	tx_desc(f, 2, RAM_SIZE - 10, 100, FSLS, 0);
	tx_poll(f);
	assert_int_equal(f->peer.frames, 0);
	assert_int_equal(opts1_of(txd(f, 0)), FSLS | RTL8139_TXD_ERR | 100);
	assert_int_equal(opts1_of(txd(f, 1)), FSLS | RTL8139_TXD_ERR);
	assert_true(opts1_of(txd(f, 2)) & RTL8139_TXD_ERR);
	assert_true(rd16(f, RTL8139_ISR) & RTL8139_INT_TER);
	/* A middle piece with no FS before it: handed back, not sent. */
	tx_desc(f, 3, TXB(3), 100, RTL8139_DESC_LS, 0);
	tx_poll(f);
	assert_int_equal(f->peer.frames, 0);
	assert_int_equal(opts1_of(txd(f, 3)) & RTL8139_DESC_OWN, 0);
	/* Receive: a buffer outside RAM comes back with the error bit. */
	put_le64(rxd(f, 0) + 8, OUTSIDE);
	make_frame(frame, nic_mac, sizeof(frame), 1);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(opts1_of(rxd(f, 0)) & (RTL8139_DESC_OWN |
						RTL8139_RXD_RES),
			 RTL8139_RXD_RES);
	/* A zero-size buffer: the frame is dropped, the ring stays. */
	rx_refill(f, 1, 0);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_true(opts1_of(rxd(f, 1)) & RTL8139_DESC_OWN);
}

static void test_hostile_cp_rings(void **state)
{
	struct fx *f = *state;
	u8 frame[100];
	unsigned int i;

	up_8139cp(f, 0);
	/* Rings outside RAM: polled and fed, nothing happens. */
	wr32(f, RTL8139_TNPDS, 0);
	wr32(f, RTL8139_TNPDS + 4, 0x80);
	tx_poll(f);
	wr32(f, RTL8139_RDSAR + 4, 0x80);
	make_frame(frame, nic_mac, sizeof(frame), 1);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(rd32(f, RTL8139_MPC), 1);
	/* A ring ending where RAM ends: the walk stops there. */
	wr32(f, RTL8139_TNPDS + 4, 0);
	wr32(f, RTL8139_TNPDS, RAM_SIZE - 16);
	put_le64(gpa(f, RAM_SIZE - 8), TXB(0));
	put_le32(gpa(f, RAM_SIZE - 12), 0);
	make_frame(gpa(f, TXB(0)), other_mac, 64, 1);
	put_le32(gpa(f, RAM_SIZE - 16), RTL8139_DESC_OWN | FSLS | 64);
	tx_poll(f);
	assert_int_equal(f->peer.frames, 1);
	/* No EOR anywhere: the ring wraps after 1024 entries, no further. */
	memset(gpa(f, BIG_RING), 0, 16 * 1024 + 16);
	wr32(f, RTL8139_TNPDS, BIG_RING);
	for (i = 0; i < 1024; i++) {
		u8 *d = gpa(f, BIG_RING + 16ULL * i);

		put_le64(d + 8, TXB(0));
		put_le32(d, RTL8139_DESC_OWN | FSLS | 64);
	}
	put_le32(gpa(f, BIG_RING + 16ULL * 1024), RTL8139_DESC_OWN | FSLS | 64);
	f->peer.frames = 0;
	tx_poll(f);
	assert_int_equal(f->peer.frames, 1024);
	/* Entry 1024 is not part of the ring: never read. */
	assert_true(opts1_of(gpa(f, BIG_RING + 16ULL * 1024)) &
		    RTL8139_DESC_OWN);
	put_le32(gpa(f, BIG_RING), RTL8139_DESC_OWN | FSLS | 64);
	tx_poll(f);
	assert_int_equal(f->peer.frames, 1025);
}

/* Every descriptor owned, none with LS: bounded, nothing sent. */
static void test_hostile_cp_no_ls(void **state)
{
	struct fx *f = *state;
	unsigned int i;

	up_8139cp(f, 0);
	for (i = 0; i < NDESC; i++)
		tx_desc(f, i, TXB(i), 1000, i ? 0 : RTL8139_DESC_FS, 0);
	tx_poll(f);
	assert_int_equal(f->peer.frames, 0);
	for (i = 0; i < NDESC; i++)
		assert_int_equal(opts1_of(txd(f, i)) & RTL8139_DESC_OWN, 0);
	/* More pieces still: over the limit, the packet is dropped ... */
	for (i = 0; i < NDESC; i++)
		tx_desc(f, i, TXB(i), 1000, i == 10 ? RTL8139_DESC_LS : 0, 0);
	tx_poll(f);
	assert_int_equal(f->peer.frames, 0);
	assert_true(opts1_of(txd(f, 10)) & RTL8139_TXD_ERR);
	/* ... and the next packet goes out whole. */
	make_frame(gpa(f, TXB(11)), other_mac, 80, 5);
	tx_desc(f, 0, TXB(11), 80, FSLS, 0);
	tx_poll(f);
	assert_int_equal(f->peer.frames, 1);
	assert_int_equal(f->peer.len[0], 80);
}

/* A ring the guest keeps owned forever: each loop turn is bounded. */
static void test_hostile_cp_owned_forever(void **state)
{
	struct fx *f = *state;
	unsigned int i, turn;
	int before;

	up_8139cp(f, 0);
	wr32(f, RTL8139_TNPDS, BIG_RING);
	make_frame(gpa(f, TXB(0)), other_mac, 60, 1);
	for (turn = 0; turn < 6; turn++) {
		for (i = 0; i < 1024; i++) {
			u8 *d = gpa(f, BIG_RING + 16ULL * i);

			put_le64(d + 8, TXB(0));
			put_le32(d, RTL8139_DESC_OWN | FSLS | 60);
		}
		if (!turn) {
			/* The write takes what the FIFO holds, no more. */
			wr8(f, RTL8139_TPPOLL, RTL8139_TPPOLL_NPQ);
			assert_int_equal(f->peer.frames, 0);
			assert_false(get_le32(gpa(f, BIG_RING + 16ULL *
					(RTL8139_TX_STAGED - 1))) &
				     RTL8139_DESC_OWN);
			assert_true(get_le32(gpa(f, BIG_RING + 16ULL *
					RTL8139_TX_STAGED)) &
				    RTL8139_DESC_OWN);
		}
		before = f->peer.frames;
		assert_int_equal(loop_run_once(&f->loop, 0), 1);
		assert_int_equal(f->peer.frames - before,
				 RTL8139_TX_BUDGET + (turn ? 0 : RTL8139_TX_STAGED));
	}
	/* Another turn was asked for each time: the work goes on. */
	assert_true(loop_run_once(&f->loop, 0) > 0);
}

/*
 * CVE-2015-5165: header lengths that run past the packet. Old host
 * buffers are filled with STALE first; none of it may reach a frame,
 * and nothing longer than the packet may go out.
 */
static void test_hostile_offload_lengths(void **state)
{
	struct fx *f = *state;
	struct {
		u8 ihl_byte;
		u16 tot;
		u8 doff;
		u32 len;
		u32 flags;
	} cases[] = {
		{ 0x4f, 40, 5, 54, RTL8139_TXD_IPCS | RTL8139_TXD_TCPCS },
		{ 0x45, 0xffff, 5, 60, RTL8139_TXD_IPCS | RTL8139_TXD_TCPCS },
		{ 0x45, 3, 5, 60, RTL8139_TXD_IPCS | RTL8139_TXD_TCPCS },
		{ 0x45, 40, 15, 54, RTL8139_TXD_LGSEN | 100 << 16 },
		{ 0x4f, 40, 5, 70, RTL8139_TXD_LGSEN | 100 << 16 },
		{ 0x45, 0xffff, 5, 30, RTL8139_TXD_IPCS | RTL8139_TXD_UDPCS },
		{ 0x45, 40, 5, 54, RTL8139_TXD_LGSEN },	/* MSS 0 */
		{ 0x45, 2, 5, 200, RTL8139_TXD_LGSEN | 64 << 16 },
		{ 0x40, 0, 0, 20, RTL8139_TXD_LGSEN | 1 << 16 },
	};
	unsigned int i, k, sent = 0;

	up_8139cp(f, 0);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u8 *p = gpa(f, TXB(i));

		memset(f->d->tx.q[0].pkt, STALE, RTL8139_TX_PKT_MAX);
		memset(f->d->tx.out, STALE, RTL8139_TX_ARENA);
		make_tcp(p, 200, false, 0);
		p[14] = cases[i].ihl_byte;
		be16_put(p + 16, cases[i].tot);
		p[14 + 20 + 12] = cases[i].doff << 4;
		if (cases[i].flags & RTL8139_TXD_UDPCS)
			p[14 + 9] = 17;
		tx_desc(f, i, TXB(i), cases[i].len, FSLS | cases[i].flags, 0);
		tx_poll(f);
		for (k = sent; k < (unsigned int)f->peer.frames; k++) {
			u32 flen = f->peer.len[k];

			assert_true(no_stale(f->peer.data[k], flen));
			/* A frame, or a segment: its bytes are the guest's. */
			assert_true(flen <= MAX(cases[i].len, 60u));
			/* Past both checksum fields: as the guest wrote. */
			if (!(cases[i].flags & RTL8139_TXD_LGSEN) &&
			    cases[i].len > 52)
				assert_memory_equal(f->peer.data[k] + 52,
					p + 52, MIN(cases[i].len, 60u) - 52);
		}
		/* What does not parse as IPv4 goes out as it was written. */
		if (i == 0 || i == 5) {
			assert_int_equal(f->peer.frames, sent + 1);
			assert_memory_equal(f->peer.data[sent], p,
					    cases[i].len);
		}
		/* An IP length past the packet: summed over what is there. */
		if (i == 1) {
			const u8 *fr = f->peer.data[sent];
			u32 sum = sum16(fr + 26, 8, 6 + 26);

			assert_int_equal(fold16(sum16(fr + 34, 26, sum)),
					 0xffff);
		}
		sent = f->peer.frames;
	}
	/* Segmentation that does not fit was refused, with TxError. */
	assert_true(opts1_of(txd(f, 3)) & RTL8139_TXD_ERR);
	assert_true(opts1_of(txd(f, 4)) & RTL8139_TXD_ERR);
	assert_true(opts1_of(txd(f, 6)) & RTL8139_TXD_ERR);
	assert_true(opts1_of(txd(f, 8)) & RTL8139_TXD_ERR);
	/* A bogus IP length is not believed: cut by what was copied. */
	assert_false(opts1_of(txd(f, 7)) & RTL8139_TXD_ERR);
}

static void test_hostile_registers(void **state)
{
	struct fx *f = *state;
	u8 junk[8];
	unsigned int off;

	/* Every byte of the register file written with ones, then read. */
	memset(junk, 0xff, sizeof(junk));
	for (off = 0; off < RTL8139_REGS_SIZE; off++) {
		if (off == RTL8139_CR)
			continue;	/* a reset is tested elsewhere */
		bus_access(&f->mmio, f->bar1 + off, junk, 1, true);
	}
	for (off = 0; off < RTL8139_REGS_SIZE; off += 4)
		rd32(f, off);
	run_loop(f);
	/* Accesses past the file, or 8 bytes at its end, change nothing. */
	bus_access(&f->mmio, f->bar1 + 0xfc, junk, 8, true);
	assert_int_equal(f->peer.frames, 0);
	/* Still a working chip after a reset. */
	up_8139cp(f, 0);
	make_frame(gpa(f, TXB(0)), other_mac, 64, 1);
	tx_desc(f, 0, TXB(0), 64, FSLS, 0);
	tx_poll(f);
	assert_int_equal(f->peer.frames, 1);
}

static void test_bus_master_off(void **state)
{
	struct fx *f = *state;
	u16 cmd = PCI_CMD_IO | PCI_CMD_MEM;
	u8 frame[100];

	up_8139too(f, RCR_TOO);
	pci_config_write(&f->pci, f->d->pci.slot << 3, PCI_CFG_COMMAND, &cmd,
			 2);
	make_frame(frame, nic_mac, sizeof(frame), 1);
	slot_send(f, 0, frame, sizeof(frame));
	assert_int_equal(f->peer.frames, 0);
	assert_int_equal(inject(f, frame, sizeof(frame)), sizeof(frame));
	assert_int_equal(rd16(f, RTL8139_CBR), 0);
}

/* ================= the CLI ================= */

static void test_cli_rev(void **state)
{
	struct nic_cfg cfg;

	(void)state;
	assert_int_equal(nic_parse("rtl8139,netdev=n0,rev=0x10", &cfg), 0);
	assert_int_equal(cfg.model, NIC_RTL8139);
	assert_true(cfg.has_rev);
	assert_int_equal(cfg.rev, 0x10);
	assert_string_equal(nic_model_name(&cfg), "rtl8139");
	nic_cfg_free(&cfg);
	assert_int_equal(nic_parse("rtl8139,netdev=n0,rev=32", &cfg), 0);
	assert_int_equal(cfg.rev, 0x20);
	nic_cfg_free(&cfg);
	assert_int_equal(nic_parse("rtl8139,netdev=n0,rev=010", &cfg), 0);
	assert_int_equal(cfg.rev, 10);		/* decimal, not octal */
	nic_cfg_free(&cfg);
	assert_int_equal(nic_parse("rtl8139,netdev=n0", &cfg), 0);
	assert_false(cfg.has_rev);
	nic_cfg_free(&cfg);
	capture_start();
	assert_int_equal(nic_parse("rtl8139,netdev=n0,rev=0x100", &cfg),
			 -EINVAL);
	assert_int_equal(nic_parse("rtl8139,netdev=n0,rev=-1", &cfg),
			 -EINVAL);
	assert_int_equal(nic_parse("rtl8139,netdev=n0,rev=1x", &cfg),
			 -EINVAL);
	assert_int_equal(nic_parse("rtl8139,netdev=n0,rev=0x", &cfg),
			 -EINVAL);
	assert_int_equal(nic_parse("e1000,netdev=n0,rev=1", &cfg), -EINVAL);
	assert_int_equal(nic_parse("rtl8139,netdev=n0,transport=pci", &cfg),
			 -EINVAL);
	capture_end();
	assert_int_equal(lines(err), 6);
	assert_non_null(strstr(err, "rev=0x100 is not a PCI revision"));
	assert_non_null(strstr(err, "rev=1 is not a e1000 option"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
#define TC(t) cmocka_unit_test_setup_teardown(t, setup_c, teardown)
		T(test_pci_identity),
		TC(test_revision_property),
		T(test_registers_and_reset),
		T(test_eeprom_mac),
		TC(test_eeprom_mac),
		T(test_phy_and_link),
		T(test_interrupts),
		TC(test_c_tx_slots),
		TC(test_c_tx_waits_for_te_and_backend),
		TC(test_c_rx_buffer),
		TC(test_c_rx_wrap),
		TC(test_c_rx_overflow),
		TC(test_c_rx_ack_while_unread),
		TC(test_c_rx_err_restart),
		TC(test_rx_filter),
		TC(test_c_loopback),
		T(test_c_tx_slots),	/* a C+ chip in C mode */
		T(test_cp_tx_ring),
		T(test_cp_tx_poll_small_taken_now),
		T(test_cp_tx_poll_big_tok_late),
		T(test_cp_tx_ring_wrap),
		T(test_cp_rx_ring),
		T(test_cp_rx_no_descriptor_then_wake),
		T(test_cp_rx_checksum_and_vlan),
		T(test_cp_rx_tap_offloads),
		T(test_cp_tx_checksum_offload),
		T(test_cp_tso),
		T(test_cp_vlan_insert),
		T(test_cp_tally_dump),
		TC(test_hostile_c_tx_slots),
		TC(test_hostile_c_rx_buffer),
		T(test_hostile_cp_buffers),
		T(test_hostile_cp_rings),
		T(test_hostile_cp_no_ls),
		T(test_hostile_cp_owned_forever),
		T(test_hostile_offload_lengths),
		T(test_hostile_registers),
		TC(test_bus_master_off),
		cmocka_unit_test(test_cli_rev),
#undef TC
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
