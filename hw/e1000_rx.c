// SPDX-License-Identifier: GPL-2.0
/*
 * 82540EM receive. A frame from the back end passes the address filter
 * (exact addresses RAL/RAH, the multicast table, broadcast, unicast and
 * multicast promiscuous, the VLAN filter), then goes into legacy receive
 * descriptors from RDH towards RDT: as many buffers of RCTL's size as it
 * takes, EOP on the last. It is padded with zeros to 60 bytes and,
 * unless RCTL.SECRC, followed by the 4-byte FCS the e1000 driver expects
 * to cut off; knit writes that FCS as zeros.
 *
 * When the ring has too few free descriptors the frame is refused (0):
 * the back end keeps it and is woken once the driver moves RDT. A ring
 * the frame can never fit, or one that is not in guest RAM, drops it.
 */
#include <string.h>

#include "knit/be.h"
#include "hw/e1000.h"
#include "hw/nic_frame.h"
#include "knit/le.h"
#include "kvm/memory.h"
#include "net/gso.h"
#include "net/inet_csum.h"

#define ETH_HLEN		14
#define ETH_ZLEN		60	/* shortest frame without FCS */
#define ETH_FCS_LEN		4
#define VLAN_HLEN		4
#define FRAME_MAX_STD		1518	/* without LPE, tag included, no FCS */

#define ETH_P_IP		0x0800
#define ETH_P_IPV6		0x86dd
#define IPPROTO_TCP_		6
#define IPPROTO_UDP_		17

#define RXD_STAT_TCPCS		0x20
#define RXD_STAT_IPCS		0x40
#define RXD_ERR_TCPE		0x20
#define RXD_ERR_IPE		0x40

static u32 rx_buf_size(u32 rctl)
{
	static const u32 sizes[2][4] = {
		{ 2048, 1024, 512, 256 },
		{ 2048, 16384, 8192, 4096 },	/* BSEX; 00 is reserved */
	};

	return sizes[!!(rctl & E1000_RCTL_BSEX)]
		    [(rctl & E1000_RCTL_BSIZE_MASK) >> E1000_RCTL_BSIZE_SHIFT];
}

/* ---- the address filter ---- */

static bool ra_match(const struct e1000 *d, const u8 *dst)
{
	u8 a[6];
	int i;

	for (i = 0; i < E1000_RA_ENTRIES; i++) {
		u32 lo = e1000_reg(d, E1000_RA + 8 * i);
		u32 hi = e1000_reg(d, E1000_RA + 8 * i + 4);

		/* Only valid entries that match the destination address. */
		if (!(hi & E1000_RAH_AV) || (hi & E1000_RAH_ASEL_MASK))
			continue;
		put_le32(a, lo);
		put_le16(a + 4, hi);
		if (!memcmp(a, dst, 6))
			return true;
	}
	return false;
}

/* RCTL.MO picks which 12 bits of the address index the 4096-bit table. */
static bool mta_match(const struct e1000 *d, const u8 *dst, u32 rctl)
{
	static const u8 shift[4] = { 4, 3, 2, 0 };
	u32 mo = (rctl & E1000_RCTL_MO_MASK) >> E1000_RCTL_MO_SHIFT;
	u32 h = (dst[4] >> shift[mo] | (u32)dst[5] << (8 - shift[mo])) & 0xfff;

	return e1000_reg(d, E1000_MTA + 4 * (h >> 5)) & (1u << (h & 31));
}

static bool vlan_pass(const struct e1000 *d, const u8 *f, size_t len,
		      u32 rctl)
{
	u16 vid;

	if (!(rctl & E1000_RCTL_VFE) || len < ETH_HLEN + VLAN_HLEN ||
	    get_be16(f + 12) != (e1000_reg(d, E1000_VET) & 0xffff))
		return true;
	vid = get_be16(f + 14) & 0xfff;
	return e1000_reg(d, E1000_VFTA + 4 * (vid >> 5)) & (1u << (vid & 31));
}

static bool rx_accept(const struct e1000 *d, const u8 *f, size_t len,
		      u32 rctl)
{
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	bool multi = f[0] & 1;

	if (!vlan_pass(d, f, len, rctl))
		return false;
	if ((rctl & E1000_RCTL_BAM) && !memcmp(f, bcast, 6))
		return true;
	if (rctl & (multi ? E1000_RCTL_MPE : E1000_RCTL_UPE))
		return true;
	if (ra_match(d, f))
		return true;
	return multi && mta_match(d, f, rctl);
}

/* ---- receive checksum offload ---- */

struct rx_csum {
	u8 status;
	u8 errors;
};

/*
 * TCP or UDP over len bytes at l4, given the pseudo-header sum so far;
 * a checksum known to be right (ok) is not summed again.
 */
static void l4_check(u32 rxcsum, struct rx_csum *c, u8 proto, u32 sum,
		     const u8 *l4, u32 len, bool v4, bool ok)
{
	if (!(rxcsum & E1000_RXCSUM_TUOFL))
		return;
	if (proto == IPPROTO_TCP_ ? len < 20 :
	    proto != IPPROTO_UDP_ || len < 8)
		return;
	/* UDP over IPv4 may go without a checksum. */
	if (proto == IPPROTO_UDP_ && v4 && !get_be16(l4 + 6))
		return;
	c->status |= RXD_STAT_TCPCS;
	if (ok)
		return;
	sum = inet_csum_add(sum + proto + len, l4, len);
	if (inet_csum_fold(sum) != 0xffff)
		c->errors |= RXD_ERR_TCPE;
}

static void csum_v4(u32 rxcsum, struct rx_csum *c, const u8 *ip, size_t room,
		    bool ok)
{
	u32 ihl, tot;

	if (room < 20 || ip[0] >> 4 != 4)
		return;
	ihl = (ip[0] & 0xf) * 4;
	tot = get_be16(ip + 2);
	if (ihl < 20 || tot < ihl || tot > room)
		return;
	if (rxcsum & E1000_RXCSUM_IPOFL) {
		c->status |= RXD_STAT_IPCS;
		if (inet_csum_fold(inet_csum_add(0, ip, ihl)) != 0xffff)
			c->errors |= RXD_ERR_IPE;
	}
	if (get_be16(ip + 6) & 0x3fff)
		return;		/* a fragment: no whole L4 to check */
	l4_check(rxcsum, c, ip[9], inet_csum_add(0, ip + 12, 8), ip + ihl,
		 tot - ihl, true, ok);
}

static void csum_v6(u32 rxcsum, struct rx_csum *c, const u8 *ip, size_t room,
		    bool ok)
{
	u32 plen;

	if (room < 40 || ip[0] >> 4 != 6)
		return;
	plen = get_be16(ip + 4);
	if (40 + plen > room)
		return;
	/* Extension headers are left to the driver. */
	l4_check(rxcsum, c, ip[6], inet_csum_add(0, ip + 8, 32), ip + 40,
		 plen, false, ok);
}

/*
 * Status and error bits of the EOP descriptor: which checksums were
 * checked and which were wrong, or IXSM when none was looked at. The
 * IP header's is always summed; TCP's and UDP's not when ok says the
 * back end vouches for them.
 */
static struct rx_csum rx_checksums(const struct e1000 *d, const u8 *f,
				   size_t len, bool ok)
{
	u32 rxcsum = e1000_reg(d, E1000_RXCSUM);
	struct rx_csum c = { 0, 0 };
	size_t l3 = ETH_HLEN;
	u16 type = get_be16(f + 12);

	if (type == (e1000_reg(d, E1000_VET) & 0xffff) &&
	    len >= ETH_HLEN + VLAN_HLEN) {
		type = get_be16(f + 16);
		l3 += VLAN_HLEN;
	}
	if (rxcsum & (E1000_RXCSUM_IPOFL | E1000_RXCSUM_TUOFL)) {
		if (type == ETH_P_IP)
			csum_v4(rxcsum, &c, f + l3, len - l3, ok);
		else if (type == ETH_P_IPV6)
			csum_v6(rxcsum, &c, f + l3, len - l3, ok);
	}
	if (!c.status)
		c.status = E1000_RXD_STAT_IXSM;
	return c;
}

/* ---- into the ring ---- */

enum rx_verdict {
	RX_DELIVERED,
	RX_FILTERED,
	RX_DROPPED,
	RX_NO_ROOM,
};

struct rx_ring {
	u8 *desc;		/* the whole ring, checked to be in RAM */
	u32 n, head, tail;
};

static bool ring_get(const struct e1000 *d, struct rx_ring *r)
{
	u32 rdlen = e1000_reg(d, E1000_RDLEN);
	u64 base = (u64)e1000_reg(d, E1000_RDBAH) << 32 |
		   e1000_reg(d, E1000_RDBAL);

	r->n = rdlen / E1000_DESC_SIZE;
	r->head = e1000_reg(d, E1000_RDH);
	r->tail = e1000_reg(d, E1000_RDT);
	if (!r->n || r->head >= r->n || r->tail >= r->n)
		return false;
	r->desc = guest_ptr(d->mem, base, rdlen);
	return r->desc != NULL;
}

static void rx_stats(struct e1000 *d, const u8 *f, u32 len)
{
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	e1000_stat_add(d, E1000_GPRC, 1);
	e1000_stat_add64(d, E1000_GORCL, len);
	e1000_stat_size(d, E1000_PRC64, len);
	if (!memcmp(f, bcast, 6))
		e1000_stat_add(d, E1000_BPRC, 1);
	else if (f[0] & 1)
		e1000_stat_add(d, E1000_MPRC, 1);
}

/* Descriptor bytes 8-15; the status byte last, once the rest is there. */
static void desc_done(u8 *desc, u32 len, u8 status, u8 errors, u16 special)
{
	put_le16(desc + E1000_RXD_LENGTH, len);
	put_le16(desc + E1000_RXD_CSUM, 0);
	desc[E1000_RXD_ERRORS] = errors;
	put_le16(desc + E1000_RXD_SPECIAL, special);
	__atomic_store_n(desc + E1000_RXD_STATUS, status, __ATOMIC_RELEASE);
}

static void ring_fill(struct e1000 *d, struct rx_ring *r,
		      const struct nic_rx_frame *s, u32 bufsz, u32 need,
		      struct rx_csum cs, u16 special, bool vp)
{
	u32 off = 0;
	bool bad = false;
	u32 i;

	for (i = 0; i < need; i++) {
		u8 *desc = r->desc + (size_t)r->head * E1000_DESC_SIZE;
		u32 chunk = MIN(bufsz, s->total - off);
		u8 *dst = guest_ptr(d->mem, get_le64(desc), chunk);
		u8 status = E1000_RXD_STAT_DD, errors = 0;

		/* A buffer outside RAM: nothing written, the frame failed. */
		if (dst)
			nic_rx_frame_copy(s, off, dst, chunk);
		else
			bad = true;
		off += chunk;
		if (i == need - 1) {
			status |= E1000_RXD_STAT_EOP | cs.status |
				  (vp ? E1000_RXD_STAT_VP : 0);
			errors = cs.errors | (bad ? E1000_RXD_ERR_RXE : 0);
		}
		desc_done(desc, chunk, status, errors, vp ? special : 0);
		r->head = (r->head + 1) % r->n;
	}
	d->regs[E1000_RDH / 4] = r->head;
}

static enum rx_verdict rx_place(struct e1000 *d, const u8 *f, size_t len,
				bool csum_ok)
{
	u32 rctl = e1000_reg(d, E1000_RCTL);
	u32 vet = e1000_reg(d, E1000_VET) & 0xffff;
	struct nic_rx_frame s;
	bool vp = false;
	u16 special = 0;
	struct rx_ring r;
	u32 bufsz, need, free_descs, thresh;

	if (len < ETH_HLEN)
		return RX_DROPPED;
	if (len > (rctl & E1000_RCTL_LPE ? E1000_RX_FRAME_MAX :
					   FRAME_MAX_STD)) {
		e1000_stat_add(d, E1000_ROC, 1);
		return RX_DROPPED;
	}
	if (!rx_accept(d, f, len, rctl))
		return RX_FILTERED;
	if ((e1000_reg(d, E1000_CTRL) & E1000_CTRL_VME) &&
	    len >= ETH_HLEN + VLAN_HLEN && get_be16(f + 12) == vet) {
		/* The tag goes into the descriptor, out of the frame. */
		vp = true;
		special = get_be16(f + 14);
	}
	nic_rx_frame_init(&s, f, len, vp, !(rctl & E1000_RCTL_SECRC));
	bufsz = rx_buf_size(rctl);
	need = (s.total + bufsz - 1) / bufsz;
	if (!ring_get(d, &r) || need > r.n - 1) {
		/* A ring that is not there, or too small for this frame. */
		e1000_stat_add(d, E1000_MPC, 1);
		e1000_irq_raise(d, E1000_ICR_RXO);
		return RX_DROPPED;
	}
	if ((r.tail + r.n - r.head) % r.n < need) {
		e1000_stat_add(d, E1000_RNBC, 1);
		return RX_NO_ROOM;
	}
	ring_fill(d, &r, &s, bufsz, need, rx_checksums(d, f, len, csum_ok),
		  special, vp);
	rx_stats(d, f, MAX(s.len[0] + s.len[1], (u32)ETH_ZLEN) + ETH_FCS_LEN);
	/* Few buffers left: tell the driver before it runs dry. */
	free_descs = (r.tail + r.n - r.head) % r.n;
	thresh = r.n >> (1 + ((rctl & E1000_RCTL_RDMTS_MASK) >>
			      E1000_RCTL_RDMTS_SHIFT));
	e1000_irq_raise(d, E1000_ICR_RXT0 |
			   (free_descs <= thresh ? E1000_ICR_RXDMT0 : 0));
	return RX_DELIVERED;
}

/* 1: delivered, filtered out or dropped; 0: no room, nothing written. */
static int rx_frame(struct e1000 *d, const u8 *f, size_t len, bool csum_ok)
{
	enum rx_verdict v = rx_place(d, f, len, csum_ok);

	if (v == RX_NO_ROOM)
		return 0;
	e1000_stat_add(d, E1000_TPR, 1);
	e1000_stat_add64(d, E1000_TORL, MAX(len, (size_t)ETH_ZLEN) +
			 ETH_FCS_LEN);
	return 1;
}

/* Frames reach the ring only with the receiver on and the link up. */
static bool rx_live(const struct e1000 *d)
{
	return (e1000_reg(d, E1000_RCTL) & E1000_RCTL_EN) &&
	       e1000_link_up(d) && e1000_dma_ok(d);
}

/* One plain frame from net_gso_receive(); false: no room for it. */
static bool rx_plain(void *opaque, const u8 *f, size_t len, bool csum_ok)
{
	struct e1000 *d = opaque;

	if (len > E1000_RX_FRAME_MAX) {
		e1000_stat_add(d, E1000_TPR, 1);
		e1000_stat_add(d, E1000_ROC, 1);
		return true;
	}
	return rx_frame(d, f, len, csum_ok);
}

ssize_t e1000_rx_receive(struct e1000 *d, const struct iovec *iov,
			 int iovcnt)
{
	/* With a tap's offloads (net/gso.h) frames come after a header. */
	size_t max = d->port.vnet_hdr ? NET_VNET_HDR_LEN + NET_GSO_FRAME_MAX :
					E1000_RX_FRAME_MAX;
	size_t total = 0, off = 0;
	const u8 *frame;
	int i, ret;

	for (i = 0; i < iovcnt; i++)
		total += iov[i].iov_len;
	/* In loopback the receiver hears only its own transmitter. */
	if (!rx_live(d) || e1000_loopback(d)) {
		d->gso.next = 0;
		return total;
	}
	if (total > max || (iovcnt > 1 && total > E1000_RX_FRAME_MAX)) {
		e1000_stat_add(d, E1000_TPR, 1);
		e1000_stat_add(d, E1000_ROC, 1);
		return total;
	}
	if (iovcnt == 1) {
		frame = iov[0].iov_base;
	} else {
		for (i = 0; i < iovcnt; i++) {
			memcpy(d->rx_buf + off, iov[i].iov_base,
			       iov[i].iov_len);
			off += iov[i].iov_len;
		}
		frame = d->rx_buf;
	}
	if (d->port.vnet_hdr) {
		ret = net_gso_receive(&d->gso, frame, total, rx_plain, d);
		if (ret < 0)
			e1000_stat_add(d, E1000_TPR, 1);
	} else {
		ret = rx_plain(d, frame, total, false);
	}
	if (!ret) {
		d->rx_starved = true;	/* the RDT write wakes the peer */
		return 0;
	}
	return total;
}

void e1000_rx_loopback(struct e1000 *d, const u8 *frame, size_t len)
{
	/* No back end to hold it: a frame without room is lost. */
	if (rx_live(d))
		rx_frame(d, frame, len, false);
}

void e1000_rx_refilled(struct e1000 *d)
{
	struct rx_ring r;

	if (!d->rx_starved)
		return;
	/*
	 * Wake the back end when its frame would be taken now, or dropped
	 * (receiver off, no usable ring): either way it must not wait.
	 */
	if (rx_live(d) && !e1000_loopback(d) && ring_get(d, &r) &&
	    r.head == r.tail)
		return;
	d->rx_starved = false;
	net_port_wake_peer(&d->port);
}
