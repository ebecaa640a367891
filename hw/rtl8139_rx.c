// SPDX-License-Identifier: GPL-2.0
/*
 * RTL8139 receive. A frame from the back end passes the address filter
 * (RCR: broadcast AB, multicast AM through the 64-bit hash in MAR0-7,
 * our own address APM, any unicast AAP), is padded with zeros to 60
 * bytes and followed by a 4-byte FCS (zeros: the drivers cut it off),
 * and lands in one of two places.
 *
 * C mode: the receive ring buffer at RBSTART, 8, 16, 32 or 64 KiB by
 * RCR. Each frame goes at CBR behind a 4-byte header (status, then the
 * length with the FCS), and CBR moves on to the next dword. The driver
 * reads up to CAPR + 16. A frame that would reach unread bytes waits
 * in the back end, without RXOVW (8139too counts each as an error);
 * ROK stands while the buffer holds frames, so the driver reads, and
 * its CAPR write gets the frame another look. (The chip would drop it;
 * behind a tap, a drop costs a TCP retransmission and seconds.) With
 * RCR.WRAP (and less than 64 KiB) a frame running past the end is
 * written on past it, into the slack the driver keeps there; without,
 * it continues at the start.
 *
 * C+ mode: descriptors from RDSAR, the next one the chip owns taking
 * the whole frame (FS and LS), with the checksums it checked and the
 * VLAN tag it stripped. With no descriptor free, RDU is raised and the
 * back end waits; the driver's next interrupt acknowledgement or unmask
 * gets another look, as the driver has no doorbell.
 *
 * Every guest address is checked: a buffer outside RAM is not written
 * (C+: the descriptor comes back with its error bit), a ring outside
 * RAM drops the frame.
 */
#include <string.h>

#include "knit/be.h"
#include "hw/nic_frame.h"
#include "hw/rtl8139.h"
#include "knit/le.h"
#include "kvm/memory.h"
#include "net/gso.h"
#include "net/inet_csum.h"

#define ETH_ALEN		6
#define ETH_HLEN		14
#define ETH_ZLEN		60
#define ETH_FCS_LEN		4
#define VLAN_HLEN		4
#define ETH_P_IP		0x0800
#define ETH_P_8021Q		0x8100
#define IPPROTO_TCP_		6
#define IPPROTO_UDP_		17

#define RX_HDR_LEN		4
/* The longest frame 8139too takes from the buffer, FCS not counted. */
#define RX_C_FRAME_MAX		1536

static u16 swab16(u16 v)
{
	return v << 8 | v >> 8;
}

/* ---- the address filter ---- */

enum rx_class {
	RX_REJECT,
	RX_UNICAST,		/* ours */
	RX_PROMISC,		/* someone else's, taken by AAP */
	RX_BROADCAST,
	RX_MULTICAST,
};

/*
 * The hash bit of a multicast address: the top six bits of the
 * big-endian Ethernet CRC of the address, which are the low six of the
 * reflected CRC, in reverse order.
 */
static unsigned int mar_bit(const u8 *dst)
{
	u32 crc = 0xffffffff;
	unsigned int i, j, bit = 0;

	for (i = 0; i < ETH_ALEN; i++) {
		crc ^= dst[i];
		for (j = 0; j < 8; j++)
			crc = crc >> 1 ^ (crc & 1 ? 0xedb88320 : 0);
	}
	for (i = 0; i < 6; i++)
		bit = bit << 1 | (crc >> i & 1);
	return bit;
}

static enum rx_class rx_classify(const struct rtl8139 *d, const u8 *dst)
{
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff,
					    0xff };
	unsigned int bit;

	if (!memcmp(dst, bcast, ETH_ALEN))
		return d->rcr & RTL8139_RCR_AB ? RX_BROADCAST : RX_REJECT;
	if (dst[0] & 1) {
		bit = mar_bit(dst);
		if ((d->rcr & RTL8139_RCR_AM) &&
		    (d->regs[RTL8139_MAR0 + bit / 8] & (1u << (bit % 8))))
			return RX_MULTICAST;
		return RX_REJECT;
	}
	if ((d->rcr & RTL8139_RCR_APM) &&
	    !memcmp(dst, d->regs + RTL8139_IDR0, ETH_ALEN))
		return RX_UNICAST;
	return d->rcr & RTL8139_RCR_AAP ? RX_PROMISC : RX_REJECT;
}

static void rx_count(struct rtl8139 *d, enum rx_class cls)
{
	struct rtl8139_tally *t = &d->tally;

	t->rx_ok++;
	if (cls == RX_UNICAST || cls == RX_PROMISC)
		t->rx_phys++;
	else if (cls == RX_BROADCAST)
		t->rx_bcast++;
	else if (t->rx_mcast < 0xffffffff)
		t->rx_mcast++;
}

static void rx_error(struct rtl8139 *d)
{
	if (d->tally.rx_err < 0xffffffff)
		d->tally.rx_err++;
}

/* Copy [off, off + n) of the frame to guest memory at gpa (checked). */
static void frame_to_guest(struct rtl8139 *d, const struct nic_rx_frame *fr,
			   u32 off, u64 gpa, u32 n)
{
	u8 *dst = guest_ptr(d->mem, gpa, n);

	if (dst)
		nic_rx_frame_copy(fr, off, dst, n);
}

enum rx_verdict {
	RX_DELIVERED,
	RX_DROPPED,
	RX_NO_ROOM,
};

/* ---- C mode: the receive ring buffer ---- */

u32 rtl8139_rx_buf_size(const struct rtl8139 *d)
{
	return 8192u << ((d->rcr & RTL8139_RCR_RBLEN_MASK) >>
			 RTL8139_RCR_RBLEN_SHIFT);
}

/* Where the driver reads next, and how many bytes it has to read. */
static u32 buf_read_off(const struct rtl8139 *d)
{
	return (u16)(d->capr + 16) & (rtl8139_rx_buf_size(d) - 1);
}

static u32 buf_unread(const struct rtl8139 *d)
{
	return (d->cbr - buf_read_off(d)) & (rtl8139_rx_buf_size(d) - 1);
}

bool rtl8139_rx_buf_empty(const struct rtl8139 *d)
{
	return !buf_unread(d);
}

static u16 header_status(enum rx_class cls)
{
	switch (cls) {
	case RX_UNICAST:
		return RTL8139_RXH_ROK | RTL8139_RXH_PAM;
	case RX_BROADCAST:
		return RTL8139_RXH_ROK | RTL8139_RXH_BAR;
	case RX_MULTICAST:
		return RTL8139_RXH_ROK | RTL8139_RXH_MAR;
	default:
		return RTL8139_RXH_ROK;
	}
}

/*
 * n bytes at offset pos of the buffer, split at its end unless wrap
 * says to write on past it. Returns false if any of it is outside RAM.
 */
static bool buf_span_ok(const struct rtl8139 *d, u32 pos, u32 n, bool wrap)
{
	u32 size = rtl8139_rx_buf_size(d), first;

	first = wrap ? n : MIN(n, size - pos);
	return guest_range_ok(d->mem, (u64)d->rbstart + pos, first) &&
	       (first == n ||
		guest_range_ok(d->mem, d->rbstart, n - first));
}

static enum rx_verdict buf_put(struct rtl8139 *d, const u8 *f, u32 len,
			       enum rx_class cls)
{
	u32 size = rtl8139_rx_buf_size(d), pos = d->cbr & (size - 1);
	bool wrap = (d->rcr & RTL8139_RCR_WRAP) && size < 65536;
	struct nic_rx_frame fr;
	u32 need, first;
	u8 hdr[RX_HDR_LEN];

	if (len > RX_C_FRAME_MAX) {
		rtl8139_missed(d);
		return RX_DROPPED;
	}
	nic_rx_frame_init(&fr, f, len, false, true);
	need = ALIGN_UP(RX_HDR_LEN + fr.total, 4);
	/* Never so full that CBR meets the read offset: that is empty. */
	if (need >= size - buf_unread(d))
		return RX_NO_ROOM;
	if (!buf_span_ok(d, pos, RX_HDR_LEN + fr.total, wrap)) {
		rtl8139_missed(d);
		return RX_DROPPED;
	}
	/* The frame first, then its header, at pos (a dword boundary). */
	first = wrap ? fr.total : MIN(fr.total, size - pos - RX_HDR_LEN);
	frame_to_guest(d, &fr, 0, (u64)d->rbstart + pos + RX_HDR_LEN, first);
	if (first < fr.total)
		frame_to_guest(d, &fr, first, d->rbstart, fr.total - first);
	put_le16(hdr, header_status(cls));
	put_le16(hdr + 2, fr.total);
	guest_write(d->mem, (u64)d->rbstart + pos, hdr, sizeof(hdr));
	d->cbr = (pos + need) & (size - 1);
	return RX_DELIVERED;
}

/* ---- C+ mode: the receive descriptor ring ---- */

/*
 * Protocol and failure bits of opts1 for the checksums of an IPv4
 * packet: type is its EtherType, room the bytes from ip to the end.
 * A TCP or UDP checksum known to be right (ok) is not summed again; the
 * IP header's 20 bytes always are.
 */
static u32 csum_bits(u16 type, const u8 *ip, u32 room, bool ok)
{
	const u8 *l4;
	u32 ihl, tot, l4len, sum, bits = 0;
	u8 proto;

	if (type != ETH_P_IP || room < 20 || ip[0] >> 4 != 4)
		return 0;
	ihl = (ip[0] & 0xf) * 4;
	tot = get_be16(ip + 2);
	if (ihl < 20 || tot < ihl || tot > room)
		return 0;
	if (inet_csum_fold(inet_csum_add(0, ip, ihl)) != 0xffff)
		bits |= RTL8139_RXD_IPF;
	proto = ip[9];
	l4 = ip + ihl;
	l4len = tot - ihl;
	if ((get_be16(ip + 6) & 0x3fff) ||
	    (proto == IPPROTO_TCP_ ? l4len < 20 :
	     proto != IPPROTO_UDP_ || l4len < 8))
		return bits | RTL8139_RXD_PID_IP << RTL8139_RXD_PID_SHIFT;
	if (ok) {
		sum = 0xffff;
	} else {
		sum = inet_csum_add(proto + l4len, ip + 12, 8);
		sum = inet_csum_fold(inet_csum_add(sum, l4, l4len));
	}
	if (proto == IPPROTO_TCP_)
		return bits | RTL8139_RXD_PID_TCP << RTL8139_RXD_PID_SHIFT |
		       (sum != 0xffff ? RTL8139_RXD_TCPF : 0);
	/* UDP may go without a checksum. */
	return bits | RTL8139_RXD_PID_UDP << RTL8139_RXD_PID_SHIFT |
	       (get_be16(l4 + 6) && sum != 0xffff ? RTL8139_RXD_UDPF : 0);
}

static u32 class_bits(enum rx_class cls)
{
	switch (cls) {
	case RX_UNICAST:
		return RTL8139_RXD_PAM;
	case RX_BROADCAST:
		return RTL8139_RXD_BAR;
	case RX_MULTICAST:
		return RTL8139_RXD_MAR;
	default:
		return 0;
	}
}

static u32 ring_next(u32 idx, u32 opts1)
{
	if ((opts1 & RTL8139_DESC_EOR) || idx + 1 >= RTL8139_RING_MAX)
		return 0;
	return idx + 1;
}

/* Hand a descriptor back: opts2 first, opts1 (without OWN) last. */
static void desc_done(u8 *desc, u32 opts1, u32 opts2)
{
	u32 v;

	put_le32(desc + 4, opts2);
	put_le32((u8 *)&v, opts1);
	__atomic_store_n((u32 *)desc, v, __ATOMIC_RELEASE);
}

static enum rx_verdict ring_put(struct rtl8139 *d, const u8 *f, u32 len,
				enum rx_class cls, bool csum_ok)
{
	u64 gpa = (d->rdsar & ~(u64)(RTL8139_DESC_SIZE - 1)) +
		  (u64)d->rx_idx * RTL8139_DESC_SIZE;
	u8 *desc = guest_ptr(d->mem, gpa, RTL8139_DESC_SIZE);
	bool strip = false;
	struct nic_rx_frame fr;
	u32 opts1, opts2 = 0, status;
	u64 buf;

	if (!desc) {
		rtl8139_missed(d);
		return RX_DROPPED;
	}
	opts1 = __atomic_load_n((u32 *)desc, __ATOMIC_ACQUIRE);
	opts1 = get_le32((u8 *)&opts1);
	if (!(opts1 & RTL8139_DESC_OWN)) {
		rtl8139_irq_raise(d, RTL8139_INT_RDU);
		return RX_NO_ROOM;
	}
	if ((d->cpcr & RTL8139_CPCR_RXVLAN) &&
	    len >= ETH_HLEN + VLAN_HLEN && get_be16(f + 12) == ETH_P_8021Q) {
		strip = true;
		opts2 = RTL8139_RXD_TAVA | swab16(get_be16(f + 14));
	}
	nic_rx_frame_init(&fr, f, len, strip, true);
	if (fr.total > (opts1 & RTL8139_RXD_LEN)) {
		/* The drivers size buffers for whole frames: no chaining. */
		rtl8139_missed(d);
		return RX_DROPPED;
	}
	buf = get_le64(desc + 8);
	status = (opts1 & RTL8139_DESC_EOR) | RTL8139_DESC_FS |
		 RTL8139_DESC_LS;
	if (!guest_range_ok(d->mem, buf, fr.total)) {
		rx_error(d);
		status |= RTL8139_RXD_RES;
	} else {
		frame_to_guest(d, &fr, 0, buf, fr.total);
		status |= class_bits(cls) | fr.total;
		if ((d->cpcr & RTL8139_CPCR_RXCSUM) && !strip)
			status |= csum_bits(get_be16(f + 12), f + ETH_HLEN,
					    len - ETH_HLEN, csum_ok);
		else if (d->cpcr & RTL8139_CPCR_RXCSUM)
			status |= csum_bits(get_be16(f + 16), f + ETH_HLEN + 4,
					    len - ETH_HLEN - VLAN_HLEN, csum_ok);
	}
	desc_done(desc, status, opts2);
	d->rx_idx = ring_next(d->rx_idx, opts1);
	return status & RTL8139_RXD_RES ? RX_DROPPED : RX_DELIVERED;
}

/* ---- both ---- */

static bool rx_live(const struct rtl8139 *d)
{
	return (d->cr & RTL8139_CR_RE) && rtl8139_link_up(d) &&
	       rtl8139_dma_ok(d);
}

static enum rx_verdict rx_frame(struct rtl8139 *d, const u8 *f, size_t len,
				bool csum_ok)
{
	enum rx_class cls;
	enum rx_verdict v;

	if (len < ETH_HLEN)
		return RX_DROPPED;
	cls = rx_classify(d, f);
	if (cls == RX_REJECT)
		return RX_DROPPED;
	if (rtl8139_cplus_rx(d))
		v = ring_put(d, f, len, cls, csum_ok);
	else
		v = buf_put(d, f, len, cls);
	if (v == RX_DELIVERED) {
		rx_count(d, cls);
		rtl8139_irq_raise(d, RTL8139_INT_ROK);
	}
	return v;
}

/* One plain frame from net_gso_receive(); false: no room for it. */
static bool rx_plain(void *opaque, const u8 *f, size_t len, bool csum_ok)
{
	struct rtl8139 *d = opaque;

	if (len > RTL8139_RX_FRAME_MAX) {
		rtl8139_missed(d);
		return true;
	}
	return rx_frame(d, f, len, csum_ok) != RX_NO_ROOM;
}

ssize_t rtl8139_rx_receive(struct rtl8139 *d, const struct iovec *iov,
			   int iovcnt)
{
	/* With a tap's offloads (net/gso.h) frames come after a header. */
	size_t max = d->port.vnet_hdr ? NET_VNET_HDR_LEN + NET_GSO_FRAME_MAX :
					RTL8139_RX_FRAME_MAX;
	size_t total = 0, off = 0;
	const u8 *frame;
	int i, ret;

	for (i = 0; i < iovcnt; i++)
		total += iov[i].iov_len;
	/* In loopback the receiver hears only its own transmitter. */
	if (!rx_live(d) || rtl8139_loopback(d)) {
		d->gso.next = 0;
		return total;
	}
	if (total > max || (iovcnt > 1 && total > RTL8139_RX_FRAME_MAX)) {
		rtl8139_missed(d);
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
	/*
	 * With a tap's offloads the interrupt waits for the end of the
	 * burst, or of the sender's batch when it flushes after each
	 * (net.h batches).
	 */
	if (d->port.vnet_hdr) {
		rtl8139_irq_hold(d, true);
		ret = net_gso_receive(&d->gso, frame, total, rx_plain, d);
		if (ret < 0)
			rtl8139_missed(d);
	} else {
		ret = rx_plain(d, frame, total, false);
	}
	if (!ret) {
		/* No flush may follow: the driver must hear of it now. */
		if (d->irq_hold)
			rtl8139_irq_hold(d, false);
		d->rx_starved = true;	/* CAPR, an ack or an unmask wakes it */
		return 0;
	}
	if (d->irq_hold && (!d->port.peer || !d->port.peer->batches))
		rtl8139_irq_hold(d, false);
	return total;
}

void rtl8139_rx_loopback(struct rtl8139 *d, const u8 *frame, size_t len)
{
	/* No back end to hold it: a frame without room is lost. */
	if (rx_live(d) && len <= RTL8139_RX_FRAME_MAX &&
	    rx_frame(d, frame, len, false) == RX_NO_ROOM)
		rtl8139_missed(d);
}

void rtl8139_rx_refilled(struct rtl8139 *d)
{
	if (!d->rx_starved)
		return;
	/* The peer sends again; if there is still no room, we say so. */
	d->rx_starved = false;
	net_port_wake_peer(&d->port);
}
