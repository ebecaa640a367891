// SPDX-License-Identifier: GPL-2.0
/*
 * Realtek RTL8139C+: the register file, interrupts, reset, link
 * changes, the tally counter dump, the PCI face (256 bytes of registers
 * in an I/O BAR and again in a memory BAR, INTx) and the joins to the
 * main loop and the back end. Receive and transmit live in
 * rtl8139_rx.c and rtl8139_tx.c, the EEPROM and PHY in
 * rtl8139_eeprom.c and rtl8139_phy.c.
 *
 * Registers are 8, 16 or 32 bits wide and the drivers use accesses of
 * each width, some narrower than the register. An access is cut into
 * the registers it touches; each is read (with its side effects) or
 * written once, a write knowing which of its bytes were written.
 *
 * 0x10-0x2f are the four TSD and TSAD slots of C mode; once C+
 * transmit is on (CPCR TxOn) they are DTCCR, TNPDS and THPDS instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "hw/rtl8139.h"
#include "knit/le.h"
#include "kvm/loop.h"
#include "kvm/memory.h"
#include "net/netdev.h"

#define RTL8139_VENDOR		0x10ec
#define RTL8139_DEVICE		0x8139
#define RTL8139_CLASS_ETHERNET	0x020000
#define RTL8139_IO_BAR		0
#define RTL8139_MEM_BAR		1
#define RTL8139_TCTR_MHZ	33	/* the timer counts PCI clocks */

/* ---- helpers for the other rtl8139 files ---- */

bool rtl8139_link_up(const struct rtl8139 *d)
{
	return rtl8139_phy_link(&d->phy);
}

bool rtl8139_dma_ok(const struct rtl8139 *d)
{
	u8 cmd = __atomic_load_n(&d->pci.config[PCI_CFG_COMMAND],
				 __ATOMIC_RELAXED);

	return cmd & PCI_CMD_MASTER;
}

bool rtl8139_loopback(const struct rtl8139 *d)
{
	return (d->tcr & RTL8139_TCR_LBK) == RTL8139_TCR_LBK;
}

bool rtl8139_cplus_tx(const struct rtl8139 *d)
{
	return d->cplus && (d->cpcr & RTL8139_CPCR_TXON);
}

bool rtl8139_cplus_rx(const struct rtl8139 *d)
{
	return d->cplus && (d->cpcr & RTL8139_CPCR_RXON);
}

void rtl8139_kick(struct rtl8139 *d)
{
	u64 one = 1;

	/* One signal until the loop takes it: it looks at everything. */
	if (d->kick_pending)
		return;
	if (write(d->kick_efd, &one, sizeof(one)) == sizeof(one))
		d->kick_pending = true;
}

void rtl8139_missed(struct rtl8139 *d)
{
	/* MPC has 24 bits and sticks at the top. */
	if (d->mpc < 0xffffff)
		d->mpc++;
	if (d->tally.missed < 0xffff)
		d->tally.missed++;
}

/* ---- interrupts ---- */

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void irq_update(struct rtl8139 *d)
{
	bool want = d->isr & d->imr;

	if (d->irq_hold || want == d->irq_level)
		return;
	d->irq_level = want;
	pci_dev_set_intx(&d->pci, want);
}

void rtl8139_irq_raise(struct rtl8139 *d, u16 causes)
{
	d->isr |= causes & RTL8139_INT_ALL;
	irq_update(d);
}

void rtl8139_irq_hold(struct rtl8139 *d, bool hold)
{
	d->irq_hold = hold;
	if (!hold)
		irq_update(d);
}

/* Tell the driver when the link it sees changed. */
static void link_check(struct rtl8139 *d)
{
	bool up = rtl8139_link_up(d);

	if (up == d->link_reported)
		return;
	d->link_reported = up;
	d->cscr_latch |= RTL8139_CSCR_LINK_CHG;
	rtl8139_irq_raise(d, RTL8139_INT_LINKCHG);
}

/* ---- reset ---- */

/*
 * CR.RST: transmitter and receiver off, the slots free, the receive
 * buffer empty, no rings, no interrupts. The station address, the
 * multicast hash, RCR and TCR stay.
 */
static void soft_reset(struct rtl8139 *d)
{
	unsigned int i;

	d->cr = 0;
	d->imr = 0;
	d->isr = 0;
	d->cpcr = 0;
	for (i = 0; i < RTL8139_TX_SLOTS; i++)
		d->tsd[i] = RTL8139_TSD_OWN;
	d->capr = 0xfff0;	/* reads as the offset 0 less 16 */
	d->cbr = 0;
	d->rx_idx = 0;
	d->mpc = 0;
	d->dump_pending = false;
	d->dtccr &= ~(u64)RTL8139_DTCCR_CMD;
	rtl8139_tx_reset(d);
	irq_update(d);
	/* A back end may hold a frame from before: wake it soon. */
	d->rx_starved = true;
}

/* Power-on: everything, and the station address from the EEPROM. */
static void hard_reset(struct rtl8139 *d)
{
	memset(d->regs, 0, sizeof(d->regs));
	d->gso.next = 0;
	rtl8139_eeprom_mac(&d->eeprom, d->regs + RTL8139_IDR0);
	d->regs[RTL8139_CONFIG1] = 0;
	d->tcr = 0;
	d->rcr = 0;
	d->rbstart = 0;
	d->tnpds = d->thpds = d->rdsar = d->dtccr = 0;
	memset(d->tsad, 0, sizeof(d->tsad));
	memset(&d->tally, 0, sizeof(d->tally));
	d->tctr_base_ns = now_ns();
	soft_reset(d);
}

/* ---- the tally counter dump (C+ mode) ---- */

static void tally_dump(struct rtl8139 *d)
{
	const struct rtl8139_tally *t = &d->tally;
	u8 b[RTL8139_TALLY_SIZE];
	u64 addr = d->dtccr & ~(u64)(RTL8139_TALLY_SIZE - 1);

	put_le64(b + 0, t->tx_ok);
	put_le64(b + 8, t->rx_ok);
	put_le64(b + 16, t->tx_err);
	put_le32(b + 24, t->rx_err);
	put_le16(b + 28, t->missed);
	put_le16(b + 30, t->align);
	put_le32(b + 32, t->tx_one_col);
	put_le32(b + 36, t->tx_multi_col);
	put_le64(b + 40, t->rx_phys);
	put_le64(b + 48, t->rx_bcast);
	put_le32(b + 56, t->rx_mcast);
	put_le16(b + 60, t->tx_abort);
	put_le16(b + 62, t->tx_underrun);
	/* A block outside RAM is not written; the command ends anyway. */
	if (rtl8139_dma_ok(d))
		guest_write(d->mem, addr, b, sizeof(b));
	d->dtccr &= ~(u64)RTL8139_DTCCR_CMD;
	d->dump_pending = false;
}

/* ---- register reads ---- */

/* How wide the register starting at base is; 1 for plain bytes. */
static unsigned int reg_width(u32 base)
{
	switch (base) {
	case RTL8139_RBSTART: case RTL8139_TCR: case RTL8139_RCR:
	case RTL8139_TCTR: case RTL8139_MPC: case RTL8139_TIMERINT:
	case RTL8139_RDSAR: case RTL8139_RDSAR + 4:
		return 4;
	case RTL8139_ERBCR: case RTL8139_CAPR: case RTL8139_CBR:
	case RTL8139_IMR: case RTL8139_ISR: case RTL8139_MULINT:
	case RTL8139_TSAD: case RTL8139_BMCR: case RTL8139_BMSR:
	case RTL8139_ANAR: case RTL8139_ANLPAR: case RTL8139_ANER:
	case RTL8139_CSCR: case RTL8139_CPCR: case RTL8139_INTRMIT:
		return 2;
	}
	if (base >= RTL8139_TSD0 && base < RTL8139_RBSTART && !(base & 3))
		return 4;
	return 1;
}

/* The register that byte off belongs to. */
static u32 reg_base(u32 off, unsigned int *width)
{
	if (reg_width(off & ~3u) == 4) {
		*width = 4;
		return off & ~3u;
	}
	if (reg_width(off & ~1u) == 2) {
		*width = 2;
		return off & ~1u;
	}
	*width = 1;
	return off;
}

static u32 plain_get(const struct rtl8139 *d, u32 base, unsigned int w)
{
	u32 v = 0;
	unsigned int i;

	for (i = 0; i < w; i++)
		v |= (u32)d->regs[base + i] << (8 * i);
	return v;
}

static void plain_put(struct rtl8139 *d, u32 base, unsigned int w, u32 val,
		      u32 mask)
{
	unsigned int i;

	for (i = 0; i < w; i++)
		if (mask >> (8 * i) & 0xff)
			d->regs[base + i] = val >> (8 * i);
}

/* The low (base == lo) or high dword of a 64-bit register. */
static u32 half_get(u64 r, u32 base, u32 lo)
{
	return base == lo ? (u32)r : (u32)(r >> 32);
}

static u32 merge(u32 old, u32 val, u32 mask)
{
	return (old & ~mask) | (val & mask);
}

static void half_put(u64 *r, u32 base, u32 lo, u32 val, u32 mask)
{
	u32 v = merge(half_get(*r, base, lo), val, mask);

	if (base == lo)
		*r = (*r & ~0xffffffffULL) | v;
	else
		*r = (*r & 0xffffffffULL) | (u64)v << 32;
}

static u16 tsad_summary(const struct rtl8139 *d)
{
	u16 v = 0;
	unsigned int i;

	for (i = 0; i < RTL8139_TX_SLOTS; i++) {
		if (d->tsd[i] & RTL8139_TSD_TOK)
			v |= 0x1000 << i;
		if (d->tsd[i] & RTL8139_TSD_TUN)
			v |= 0x0100 << i;
		if (d->tsd[i] & RTL8139_TSD_TABT)
			v |= 0x0010 << i;
		if (d->tsd[i] & RTL8139_TSD_OWN)
			v |= 0x0001 << i;
	}
	return v;
}

static u32 slots_read(struct rtl8139 *d, u32 base)
{
	if (rtl8139_cplus_tx(d)) {
		if (base < RTL8139_TNPDS)
			return half_get(d->dtccr, base, RTL8139_DTCCR);
		if (base < RTL8139_THPDS)
			return half_get(d->tnpds, base, RTL8139_TNPDS);
		return half_get(d->thpds, base, RTL8139_THPDS);
	}
	if (base < RTL8139_TSAD0)
		return d->tsd[(base - RTL8139_TSD0) / 4];
	return d->tsad[(base - RTL8139_TSAD0) / 4];
}

static u32 reg_read(struct rtl8139 *d, u32 base, unsigned int w)
{
	u16 v;

	if (base >= RTL8139_TSD0 && base < RTL8139_RBSTART)
		return slots_read(d, base);
	switch (base) {
	case RTL8139_RBSTART:
		return d->rbstart;
	case RTL8139_ERBCR: case RTL8139_ERSR:
		return 0;	/* no early receive */
	case RTL8139_CR:
		return d->cr | (rtl8139_rx_buf_empty(d) ? RTL8139_CR_BUFE : 0);
	case RTL8139_CAPR:
		return d->capr;
	case RTL8139_CBR:
		return d->cbr;
	case RTL8139_IMR:
		return d->imr;
	case RTL8139_ISR:
		return d->isr;
	case RTL8139_TCR:
		return d->tcr | (d->cplus ? RTL8139_HWREV_8139CP :
					    RTL8139_HWREV_8139C);
	case RTL8139_RCR:
		return d->rcr;
	case RTL8139_TCTR:
		return (now_ns() - d->tctr_base_ns) * RTL8139_TCTR_MHZ / 1000;
	case RTL8139_MPC:
		return d->mpc;
	case RTL8139_9346CR:
		return rtl8139_eeprom_read(&d->eeprom);
	case RTL8139_CONFIG1:
		return d->regs[base] | RTL8139_CONFIG1_IOMAP |
		       RTL8139_CONFIG1_MEMMAP;
	case RTL8139_MSR:
		return RTL8139_MSR_AUX |
		       (rtl8139_link_up(d) ? 0 : RTL8139_MSR_LINKB);
	case RTL8139_RERID:
		return d->revision;
	case RTL8139_TSAD:
		return tsad_summary(d);
	case RTL8139_BMCR: case RTL8139_BMSR: case RTL8139_ANAR:
	case RTL8139_ANLPAR: case RTL8139_ANER:
		return rtl8139_phy_read(&d->phy, base);
	case RTL8139_CSCR:
		/* The change bit is latched until the driver has seen it. */
		v = d->cscr_latch |
		    (rtl8139_link_up(d) ? RTL8139_CSCR_LINK_OK : 0);
		d->cscr_latch = 0;
		return v;
	case RTL8139_TPPOLL:
		return 0;
	case RTL8139_CPCR:
		return d->cplus ? d->cpcr : 0;
	case RTL8139_RDSAR: case RTL8139_RDSAR + 4:
		return half_get(d->rdsar, base, RTL8139_RDSAR);
	}
	return plain_get(d, base, w);
}

/* ---- register writes ---- */

static void slots_write(struct rtl8139 *d, u32 base, u32 val, u32 mask)
{
	u32 *r;

	if (rtl8139_cplus_tx(d)) {
		if (base < RTL8139_TNPDS) {
			half_put(&d->dtccr, base, RTL8139_DTCCR, val, mask);
			if (base == RTL8139_DTCCR &&
			    (d->dtccr & RTL8139_DTCCR_CMD)) {
				d->dump_pending = true;
				rtl8139_kick(d);
			}
			return;
		}
		/* A ring (re)placed: the chip starts at its first entry. */
		if (base < RTL8139_THPDS) {
			half_put(&d->tnpds, base, RTL8139_TNPDS, val, mask);
			d->tx.q[0].idx = 0;
		} else {
			half_put(&d->thpds, base, RTL8139_THPDS, val, mask);
			d->tx.q[1].idx = 0;
		}
		return;
	}
	if (base < RTL8139_TSAD0) {
		unsigned int i = (base - RTL8139_TSD0) / 4;

		rtl8139_tx_slot_write(d, i, merge(d->tsd[i], val, mask));
		return;
	}
	r = &d->tsad[(base - RTL8139_TSAD0) / 4];
	*r = merge(*r, val, mask);
}

static void cr_write(struct rtl8139 *d, u8 val)
{
	u8 old = d->cr;

	if (val & RTL8139_CR_RST) {
		soft_reset(d);	/* the bit clears itself at once */
		return;
	}
	d->cr = val & (RTL8139_CR_TE | RTL8139_CR_RE);
	if (!(d->cr & RTL8139_CR_TE) && (old & RTL8139_CR_TE))
		rtl8139_tx_reset(d);
	/*
	 * A receiver switched back on starts at the top of an empty
	 * buffer: 8139too's rtl8139_rx_err() turns RE off and on and
	 * reads on from offset 0 without writing CAPR.
	 */
	if ((d->cr & RTL8139_CR_RE) && !(old & RTL8139_CR_RE)) {
		d->cbr = 0;
		d->capr = 0xfff0;
	}
	/* Slots written before, or a frame held back, may go now. */
	if ((d->cr & RTL8139_CR_TE) || d->rx_starved)
		rtl8139_kick(d);
}

static void eeprom_write(struct rtl8139 *d, u8 val)
{
	if (val >> RTL8139_EEM_SHIFT == RTL8139_EEM_AUTOLOAD) {
		/* Load the station address again, then back to normal. */
		rtl8139_eeprom_mac(&d->eeprom, d->regs + RTL8139_IDR0);
		val &= ~(3u << RTL8139_EEM_SHIFT);
	}
	rtl8139_eeprom_write(&d->eeprom, val);
}

static bool config_unlocked(const struct rtl8139 *d)
{
	return d->eeprom.mode == RTL8139_EEM_CONFIG;
}

static void cpcr_write(struct rtl8139 *d, u16 val)
{
	u16 old = d->cpcr;

	if (!d->cplus)
		return;		/* an RTL8139C has no C+ mode */
	d->cpcr = val & RTL8139_CPCR_RW;
	if ((old ^ d->cpcr) & RTL8139_CPCR_TXON)
		rtl8139_tx_reset(d);
	if (d->rx_starved)
		rtl8139_kick(d);
}

/*
 * The driver acknowledging or unmasking receive interrupts is how a C+
 * driver says it gave descriptors back (it has no doorbell): a back
 * end waiting for room gets another look.
 */
static void maybe_refilled(struct rtl8139 *d)
{
	if (d->rx_starved)
		rtl8139_kick(d);
}

static void tppoll_write(struct rtl8139 *d, u8 val)
{
	if (val & RTL8139_TPPOLL_FSWINT)
		rtl8139_irq_raise(d, RTL8139_INT_SWINT);
	if (!rtl8139_cplus_tx(d))
		return;
	if (val & RTL8139_TPPOLL_NPQ)
		d->tx.poll[0] = true;
	if (val & RTL8139_TPPOLL_HPQ)
		d->tx.poll[1] = true;
	if (val & (RTL8139_TPPOLL_NPQ | RTL8139_TPPOLL_HPQ))
		rtl8139_tx_stage(d);
}

static void reg_write(struct rtl8139 *d, u32 base, unsigned int w, u32 val,
		      u32 mask)
{
	if (base >= RTL8139_TSD0 && base < RTL8139_RBSTART) {
		slots_write(d, base, val, mask);
		return;
	}
	switch (base) {
	case RTL8139_RBSTART:
		d->rbstart = merge(d->rbstart, val, mask);
		return;
	case RTL8139_CR:
		cr_write(d, val);
		return;
	case RTL8139_CAPR:
		d->capr = merge(d->capr, val, mask);
		if (d->rx_starved)
			rtl8139_kick(d);
		return;
	case RTL8139_IMR:
		d->imr = merge(d->imr, val, mask) & RTL8139_INT_ALL;
		irq_update(d);
		maybe_refilled(d);
		return;
	case RTL8139_ISR:
		d->isr &= ~(val & mask);	/* ones acknowledge */
		/*
		 * 8139too acknowledges ROK after each frame it takes and
		 * reads the buffer only while ISR shows a receive bit: an
		 * ROK cleared while frames wait would strand them when its
		 * budget runs out. It stands until the buffer is empty.
		 */
		if ((val & mask & RTL8139_INT_ROK) && (d->cr & RTL8139_CR_RE) &&
		    !rtl8139_cplus_rx(d) && !rtl8139_rx_buf_empty(d))
			d->isr |= RTL8139_INT_ROK;
		irq_update(d);
		maybe_refilled(d);
		return;
	case RTL8139_TCR:
		d->tcr = merge(d->tcr, val, mask) & RTL8139_TCR_RW;
		return;
	case RTL8139_RCR:
		d->rcr = merge(d->rcr, val, mask);
		maybe_refilled(d);
		return;
	case RTL8139_TCTR:
		d->tctr_base_ns = now_ns();	/* any write restarts it */
		return;
	case RTL8139_MPC:
		d->mpc = 0;
		return;
	case RTL8139_9346CR:
		eeprom_write(d, val);
		return;
	case RTL8139_CONFIG1: case RTL8139_CONFIG3: case RTL8139_CONFIG4:
		if (config_unlocked(d))
			d->regs[base] = val;
		return;
	case RTL8139_BMCR: case RTL8139_ANAR:
		rtl8139_phy_write(&d->phy, base,
				  merge(rtl8139_phy_read(&d->phy, base), val,
					mask));
		return;
	case RTL8139_TPPOLL:
		tppoll_write(d, val);
		return;
	case RTL8139_CPCR:
		cpcr_write(d, merge(d->cpcr, val, mask));
		return;
	case RTL8139_RDSAR: case RTL8139_RDSAR + 4:
		half_put(&d->rdsar, base, RTL8139_RDSAR, val, mask);
		d->rx_idx = 0;
		return;
	case RTL8139_ERBCR: case RTL8139_ERSR: case RTL8139_CBR:
	case RTL8139_CONFIG0: case RTL8139_MSR: case RTL8139_HLTCLK:
	case RTL8139_RERID: case RTL8139_TSAD: case RTL8139_BMSR:
	case RTL8139_ANLPAR: case RTL8139_ANER: case RTL8139_CSCR:
		return;		/* read only, or status */
	}
	plain_put(d, base, w, val, mask);
}

/* ---- the BARs ---- */

/* Both BARs reach the same registers; accesses of 1 to 8 bytes. */
static void regs_access(struct rtl8139 *d, u64 off, u8 *data, u32 len,
			bool write)
{
	u32 pos, end;

	if (!write)
		memset(data, 0, len);
	if (!len || len > 8 || off >= RTL8139_REGS_SIZE ||
	    off + len > RTL8139_REGS_SIZE)
		return;
	end = off + len;
	pthread_mutex_lock(&d->lock);
	for (pos = off; pos < end;) {
		unsigned int w, i;
		u32 base = reg_base(pos, &w);
		u32 n = MIN(base + w, end) - pos;
		u32 shift = (pos - base) * 8;
		u32 val = 0, mask = 0;

		if (write) {
			for (i = 0; i < n; i++) {
				val |= (u32)data[pos - off + i]
				       << (shift + 8 * i);
				mask |= 0xffu << (shift + 8 * i);
			}
			reg_write(d, base, w, val, mask);
		} else {
			val = reg_read(d, base, w);
			for (i = 0; i < n; i++)
				data[pos - off + i] = val >> (shift + 8 * i);
		}
		pos += n;
	}
	pthread_mutex_unlock(&d->lock);
}

static void bar_read(void *opaque, u64 off, void *data, u32 len)
{
	regs_access(opaque, off, data, len, false);
}

static void bar_write(void *opaque, u64 off, const void *data, u32 len)
{
	regs_access(opaque, off, (u8 *)data, len, true);
}

static const struct bus_ops rtl8139_bar_ops = {
	.read = bar_read,
	.write = bar_write,
};

/* ---- the main loop's side ---- */

static void on_kick(void *opaque, u32 events)
{
	struct rtl8139 *d = opaque;
	u64 n;

	/* Nothing to read is no reason to skip a look at the rings. */
	if (read(d->kick_efd, &n, sizeof(n)) < 0)
		n = 0;
	pthread_mutex_lock(&d->lock);
	d->kick_pending = false;
	if (d->dump_pending)
		tally_dump(d);
	rtl8139_tx_run(d);
	rtl8139_rx_refilled(d);
	pthread_mutex_unlock(&d->lock);
}

static ssize_t port_receive(struct net_port *port, const struct iovec *iov,
			    int iovcnt)
{
	struct rtl8139 *d = port->opaque;
	ssize_t ret;

	pthread_mutex_lock(&d->lock);
	ret = rtl8139_rx_receive(d, iov, iovcnt);
	pthread_mutex_unlock(&d->lock);
	return ret;
}

static void port_wake(struct net_port *port)
{
	struct rtl8139 *d = port->opaque;

	pthread_mutex_lock(&d->lock);
	rtl8139_tx_wake(d);
	pthread_mutex_unlock(&d->lock);
}

void rtl8139_set_link(struct rtl8139 *d, bool up)
{
	pthread_mutex_lock(&d->lock);
	d->phy.cable = up;
	link_check(d);
	pthread_mutex_unlock(&d->lock);
}

static void port_link_changed(struct net_port *port, bool up)
{
	rtl8139_set_link(port->opaque, up);
}

/* The sender's batch is over: the interrupt held for it may go. */
static void port_flush(struct net_port *port)
{
	struct rtl8139 *d = port->opaque;

	pthread_mutex_lock(&d->lock);
	if (d->irq_hold)
		rtl8139_irq_hold(d, false);
	pthread_mutex_unlock(&d->lock);
}

static const struct net_port_ops rtl8139_port_ops = {
	.receive = port_receive,
	.wake = port_wake,
	.flush = port_flush,
	.link_changed = port_link_changed,
};

/* ---- creation ---- */

static void free_dev(struct rtl8139 *d)
{
	if (d->kick_efd >= 0) {
		loop_del(d->loop, d->kick_efd);
		close(d->kick_efd);
	}
	rtl8139_tx_exit(&d->tx);
	free(d->rx_buf);
	free(d->gso.seg);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

static int setup_kick(struct rtl8139 *d)
{
	int ret;

	d->kick_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->kick_efd < 0)
		return -errno;
	ret = loop_add(d->loop, d->kick_efd, EPOLLIN, on_kick, d);
	if (ret) {
		close(d->kick_efd);
		d->kick_efd = -1;
	}
	return ret;
}

static int setup_pci(struct rtl8139 *d, struct pci_bus *bus,
		     struct irq_line *intx)
{
	struct pci_dev *dev = &d->pci;
	int ret;

	pci_dev_init(dev, RTL8139_VENDOR, RTL8139_DEVICE,
		     RTL8139_CLASS_ETHERNET, d->revision, RTL8139_VENDOR,
		     RTL8139_DEVICE);
	dev->opaque = d;
	ret = pci_dev_add_bar(dev, RTL8139_IO_BAR, RTL8139_REGS_SIZE,
			      PCI_BAR_IO, &rtl8139_bar_ops, d);
	if (!ret)
		ret = pci_dev_add_bar(dev, RTL8139_MEM_BAR, RTL8139_REGS_SIZE,
				      0, &rtl8139_bar_ops, d);
	if (!ret) {
		ret = pci_bus_add(bus, dev, intx);
		ret = ret < 0 ? ret : 0;
	}
	return ret;
}

int rtl8139_create(struct rtl8139 **out, unsigned int index, const u8 mac[6],
		   u8 revision, struct netdev *nd, struct pci_bus *bus,
		   struct irq_line *intx, const struct guest_mem *mem,
		   struct loop *loop)
{
	static const struct net_offloads none;
	pthread_mutexattr_t attr;
	struct rtl8139 *d;
	bool offloads;
	int ret;

	if (!bus)
		return -ENODEV;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->kick_efd = -1;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&d->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	snprintf(d->name, sizeof(d->name), "nic%u", index);
	d->mem = mem;
	d->loop = loop;
	d->revision = revision;
	d->cplus = revision >= RTL8139_REV_CPLUS;
	rtl8139_eeprom_init(&d->eeprom, mac, revision);
	rtl8139_phy_init(&d->phy);
	/* A link taken down before a reboot stays down. */
	d->phy.cable = !nd->ports[0].link_down;
	d->link_reported = rtl8139_link_up(d);
	d->rx_buf = malloc(RTL8139_RX_FRAME_MAX);
	d->gso.seg = malloc(RTL8139_RX_FRAME_MAX);
	d->gso.seg_size = RTL8139_RX_FRAME_MAX;
	ret = d->rx_buf && d->gso.seg ? rtl8139_tx_init(&d->tx) : -ENOMEM;
	if (!ret)
		ret = setup_kick(d);
	if (ret)
		goto fail;
	hard_reset(d);
	/*
	 * A tap hands over TCP segments of up to 64 KiB with partial
	 * checksums, cut and finished here (net/gso.h): the host kernel
	 * then need not do it frame by frame. Other back ends, or a tap
	 * that cannot, give plain frames. So does a chip without C+
	 * (8139too): a cut 64 KiB frame overflows its 32 KiB buffer every
	 * time, and in the rig 8139too then stalled now and then.
	 */
	offloads = d->cplus && !netdev_set_offloads(nd, &net_gso_offloads);
	if (!offloads) {
		ret = netdev_set_offloads(nd, &none);
		if (ret && ret != -ENOTSUP)
			pr_warn("%s: cannot turn off the back end's offloads",
				d->name);
	}
	/* Last: a device on the bus cannot be taken off it again. */
	ret = setup_pci(d, bus, intx);
	if (ret)
		goto fail;
	d->port = (struct net_port){
		.name = d->name,
		.ops = &rtl8139_port_ops,
		.vnet_hdr = offloads,
		.opaque = d,
	};
	net_port_connect(&d->port, &nd->ports[0]);
	*out = d;
	return 0;
fail:
	free_dev(d);
	return ret;
}

void rtl8139_destroy(struct rtl8139 *d)
{
	if (!d)
		return;
	pci_bus_remove(&d->pci);
	/* The back end outlives the NIC: unplug from it. */
	if (d->port.peer)
		d->port.peer->peer = NULL;
	free_dev(d);
}
