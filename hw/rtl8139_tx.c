// SPDX-License-Identifier: GPL-2.0
/*
 * RTL8139 transmit, both ways.
 *
 * C mode: four slots, each a buffer address (TSAD) and a status (TSD).
 * Writing a TSD with OWN clear and a byte count hands the slot's frame
 * to the chip; once it is sent, OWN and TOK are set and TOK is raised.
 * A count of 0 or over 1792, or a buffer outside RAM, aborts the slot
 * (OWN and TABT, TER).
 *
 * C+ mode: a ring of descriptors from TNPDS (normal) or THPDS (high
 * priority), walked when TPPOLL says so, up to the first descriptor the
 * chip does not own. FS to LS make one packet; the first descriptor
 * asks for the offloads: IP, TCP or UDP checksums (IPCS, TCPCS, UDPCS)
 * or LargeSend with its MSS, which cuts a TCP/IPv4 packet into
 * segments, each with its own IP length, ID and checksum and its own
 * TCP sequence number and checksum. opts2 may ask for a VLAN tag.
 * A ring has no length register: it ends at EOR, or after
 * RTL8139_RING_MAX descriptors.
 *
 * Every packet is copied out of guest memory once, into a buffer of
 * ours, before anything looks at it, and every header offset is
 * checked against what was copied: nothing past the packet is ever
 * read or sent. Frames are built in tx->out and handed to the back
 * end, which may use them until flush: the arena is reused only after
 * net_port_flush_peer() returns.
 *
 * TxPoll does not wait for the main loop: the vCPU thread that wrote it
 * walks the rings at once, hands the descriptors back and moves each
 * finished packet (its buffer, not its bytes) to a FIFO the loop sends
 * from. When every packet taken is small (a TCP ACK), TOK is raised
 * right there, so the guest's interrupt is pending as it resumes
 * instead of arriving later as a second exit; in the nested rig that
 * doubled 8139cp's host-to-guest throughput. A bigger packet's TOK
 * waits until the loop has sent it, so a guest sending a stream takes
 * one interrupt per batch, not one per packet. The vCPU thread never
 * calls the back end: sending from it made L2 triple-fault in the rig.
 * The FIFO is bounded; when it is full the loop walks the rest.
 *
 * Bounds: a packet is at most RTL8139_TX_PKT_MAX bytes and
 * RTL8139_TX_MAX_DESCS descriptors, or it is dropped (the rest of it
 * skipped up to its LS); one loop turn walks at most RTL8139_TX_BUDGET
 * descriptors and asks for another turn if more are waiting.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "knit/be.h"
#include "hw/rtl8139.h"
#include "knit/le.h"
#include "kvm/memory.h"
#include "net/inet_csum.h"

#define ETH_ALEN		6
#define ETH_HLEN		14
#define ETH_ZLEN		60
#define VLAN_HLEN		4
#define ETH_P_IP		0x0800
#define ETH_P_8021Q		0x8100
#define IPPROTO_TCP_		6
#define IPPROTO_UDP_		17
#define TCP_FIN			0x01
#define TCP_PSH			0x08
#define TCP_CWR			0x80

/* ---- the headers of a TCP or UDP over IPv4 packet ---- */

struct l3l4 {
	u32 ip;			/* offset of the IP header */
	u32 ihl;
	u32 l4;			/* offset of the TCP/UDP header */
	u32 l4len;		/* bytes from there to the packet's end */
	u8 proto;
};

/*
 * Find the IP header (after a VLAN tag if the packet has one) and what
 * follows it in f[0, len). The IP total length is believed only as far
 * as the packet goes. False when the packet is no IPv4, or its header
 * does not fit.
 */
static bool parse_ipv4(const u8 *f, u32 len, struct l3l4 *h)
{
	u32 tot;

	h->ip = ETH_HLEN;
	if (len >= ETH_HLEN + VLAN_HLEN && get_be16(f + 12) == ETH_P_8021Q)
		h->ip += VLAN_HLEN;
	if (len < h->ip + 20 || get_be16(f + h->ip - 2) != ETH_P_IP ||
	    f[h->ip] >> 4 != 4)
		return false;
	h->ihl = (f[h->ip] & 0xf) * 4;
	if (h->ihl < 20 || h->ip + h->ihl > len)
		return false;
	h->proto = f[h->ip + 9];
	h->l4 = h->ip + h->ihl;
	tot = get_be16(f + h->ip + 2);
	if (tot < h->ihl || tot > len - h->ip)
		tot = len - h->ip;
	h->l4len = tot - h->ihl;
	return true;
}

static void ip_csum(u8 *f, const struct l3l4 *h)
{
	put_be16(f + h->ip + 10, 0);
	put_be16(f + h->ip + 10,
		 ~inet_csum_fold(inet_csum_add(0, f + h->ip, h->ihl)));
}

/* The TCP or UDP checksum, from scratch, pseudo-header and all. */
static void l4_csum(u8 *f, const struct l3l4 *h)
{
	bool tcp = h->proto == IPPROTO_TCP_;
	u32 field = h->l4 + (tcp ? 16 : 6), sum;
	u16 c;

	if (h->l4len < (tcp ? 20u : 8u))
		return;
	put_be16(f + field, 0);
	sum = inet_csum_add(h->proto + h->l4len, f + h->ip + 12, 8);
	sum = inet_csum_add(sum, f + h->l4, h->l4len);
	c = ~inet_csum_fold(sum);
	/* In UDP a zero checksum means none; 0xffff is the same sum. */
	if (!tcp && !c)
		c = 0xffff;
	put_be16(f + field, c);
}

/* IPCS, TCPCS, UDPCS on a packet; what does not parse goes as it is. */
static void csum_offload(u8 *f, u32 len, u32 opts1)
{
	struct l3l4 h;

	if (!parse_ipv4(f, len, &h))
		return;
	if (opts1 & RTL8139_TXD_IPCS)
		ip_csum(f, &h);
	if (get_be16(f + h.ip + 6) & 0x3fff)
		return;		/* a fragment: no whole L4 to sum */
	if (((opts1 & RTL8139_TXD_TCPCS) && h.proto == IPPROTO_TCP_) ||
	    ((opts1 & RTL8139_TXD_UDPCS) && h.proto == IPPROTO_UDP_))
		l4_csum(f, &h);
}

/* ---- frames out ---- */

/*
 * Room in the arena for a frame of up to len bytes, with VLAN_HLEN
 * bytes free in front for a tag. A full arena is flushed first: the
 * back end is done with its frames when flush returns.
 */
static u8 *tx_room(struct rtl8139 *d, u32 len)
{
	struct rtl8139_tx *tx = &d->tx;
	u32 need = VLAN_HLEN + MAX(len, (u32)ETH_ZLEN);

	if (tx->out_used + need > RTL8139_TX_ARENA) {
		net_port_flush_peer(&d->port);
		tx->out_used = 0;
	}
	return tx->out + tx->out_used + VLAN_HLEN;
}

/*
 * Pad, tag and send the frame built at p (from tx_room). False when the
 * back end had no room: the frame is kept and goes first on wake.
 */
static bool tx_emit(struct rtl8139 *d, u8 *p, u32 len)
{
	struct rtl8139_tx *tx = &d->tx;
	u32 opts2 = tx->job.opts2;
	u8 *start = p;
	u16 tci;

	if (len < ETH_ZLEN) {
		memset(p + len, 0, ETH_ZLEN - len);
		len = ETH_ZLEN;
	}
	if (opts2 & RTL8139_TXD_TAGC) {
		/* The driver gives the tag byte-swapped, as opts2 is LE. */
		tci = opts2 & 0xffff;
		tci = tci << 8 | tci >> 8;
		start = p - VLAN_HLEN;
		memmove(start, p, 2 * ETH_ALEN);
		put_be16(start + 12, ETH_P_8021Q);
		put_be16(start + 14, tci);
		len += VLAN_HLEN;
	}
	if (!rtl8139_link_up(d))
		return true;	/* no link: the frame goes nowhere */
	d->tally.tx_ok++;
	if (rtl8139_loopback(d)) {
		rtl8139_rx_loopback(d, start, len);
		return true;
	}
	tx->out_used = (start - tx->out) + len;
	if (net_port_send_frame(&d->port, start, len) != 0)
		return true;
	tx->held = true;
	tx->held_off = start - tx->out;
	tx->held_len = len;
	tx->blocked = true;
	return false;
}

static bool send_held(struct rtl8139 *d)
{
	struct rtl8139_tx *tx = &d->tx;
	if (net_port_send_frame(&d->port, tx->out + tx->held_off,
				tx->held_len) == 0) {
		tx->blocked = true;
		return false;
	}
	tx->held = false;
	return true;
}

/* Can LargeSend cut this packet? Sets job->hdr. */
static bool tso_ok(struct rtl8139_tx_job *job)
{
	struct l3l4 h;
	u32 thl;

	if (!((job->opts1 >> RTL8139_TXD_MSS_SHIFT) & RTL8139_TXD_MSS_MASK))
		return false;
	if (!parse_ipv4(job->pkt, job->len, &h) ||
	    h.proto != IPPROTO_TCP_ || h.l4 + 20 > job->len)
		return false;
	thl = (job->pkt[h.l4 + 12] >> 4) * 4;
	if (thl < 20 || h.l4 + thl > job->len)
		return false;
	job->hdr = h.l4 + thl;
	return true;
}

/*
 * One LargeSend segment of flen bytes at p: the IP length, ID and
 * checksum, the TCP sequence number, flags and checksum.
 */
static void tso_fix(const struct rtl8139_tx_job *job, u8 *p, u32 flen,
		    bool last)
{
	struct l3l4 h;
	u8 *tcp;

	/* The headers are the packet's, already checked to fit. */
	parse_ipv4(p, flen, &h);
	put_be16(p + h.ip + 2, flen - h.ip);
	put_be16(p + h.ip + 4, get_be16(job->pkt + h.ip + 4) + job->seg_idx);
	h.l4len = flen - h.l4;
	tcp = p + h.l4;
	put_be32(tcp + 4, get_be32(job->pkt + h.l4 + 4) + job->seg_off);
	if (!last)
		tcp[13] &= ~(TCP_FIN | TCP_PSH);
	if (job->seg_idx)
		tcp[13] &= ~TCP_CWR;
	ip_csum(p, &h);
	l4_csum(p, &h);
}

/*
 * MSS-sized segments, each with its own copy of the headers. Progress
 * is kept in the job, so a back end that says stop resumes us where we
 * were. A packet of headers only is one segment.
 */
static bool send_tso(struct rtl8139 *d)
{
	struct rtl8139_tx_job *job = &d->tx.job;
	u32 mss = (job->opts1 >> RTL8139_TXD_MSS_SHIFT) & RTL8139_TXD_MSS_MASK;
	u32 pay = job->len - job->hdr;

	while (job->active) {
		u32 plen = MIN(mss, pay - job->seg_off);
		u32 flen = job->hdr + plen;
		u8 *p = tx_room(d, flen);

		memcpy(p, job->pkt, job->hdr);
		memcpy(p + job->hdr, job->pkt + job->hdr + job->seg_off, plen);
		tso_fix(job, p, flen, job->seg_off + plen >= pay);
		job->seg_off += plen;
		job->seg_idx++;
		if (job->seg_off >= pay)
			job->active = false;
		if (!tx_emit(d, p, flen))
			return false;
	}
	return true;
}

static bool send_plain(struct rtl8139 *d)
{
	struct rtl8139_tx_job *job = &d->tx.job;
	u8 *p = tx_room(d, job->len);

	memcpy(p, job->pkt, job->len);
	if (job->opts1 & (RTL8139_TXD_IPCS | RTL8139_TXD_TCPCS |
			  RTL8139_TXD_UDPCS))
		csum_offload(p, job->len, job->opts1);
	job->active = false;
	return tx_emit(d, p, job->len);
}

/* Send the job; false when the back end stopped us. */
static bool job_send(struct rtl8139 *d)
{
	if (d->tx.job.opts1 & RTL8139_TXD_LGSEN)
		return send_tso(d);
	return send_plain(d);
}

static void tx_error(struct rtl8139 *d)
{
	d->tally.tx_err++;
}

/* ---- C mode: the four slots ---- */

void rtl8139_tx_slot_write(struct rtl8139 *d, unsigned int i, u32 val)
{
	/* The status bits are the chip's; the driver sets count and OWN. */
	d->tsd[i] = val & (RTL8139_TSD_SIZE | RTL8139_TSD_ERTXTH |
			   RTL8139_TSD_OWN);
	if (val & RTL8139_TSD_OWN)
		return;
	d->tx.pending |= 1u << i;
	if (d->cr & RTL8139_CR_TE)
		rtl8139_kick(d);
}

/* Slot i: copy its frame and finish it; false if sending stopped. */
static bool slot_send(struct rtl8139 *d, unsigned int i, u16 *causes)
{
	struct rtl8139_tx *tx = &d->tx;
	u32 len = d->tsd[i] & RTL8139_TSD_SIZE;

	tx->pending &= ~(1u << i);
	if (!len || len > RTL8139_TSD_MAX ||
	    guest_read(d->mem, d->tsad[i], tx->slot_pkt, len)) {
		d->tsd[i] |= RTL8139_TSD_OWN | RTL8139_TSD_TABT;
		tx_error(d);
		if (d->tally.tx_abort < 0xffff)
			d->tally.tx_abort++;
		*causes |= RTL8139_INT_TER;
		return true;
	}
	/* Copied: the slot is the driver's again, whatever the back end. */
	d->tsd[i] |= RTL8139_TSD_OWN | RTL8139_TSD_TOK;
	*causes |= RTL8139_INT_TOK;
	tx->job = (struct rtl8139_tx_job){
		.active = true, .pkt = tx->slot_pkt, .len = len,
	};
	return job_send(d);
}

static u16 slots_walk(struct rtl8139 *d)
{
	struct rtl8139_tx *tx = &d->tx;
	u16 causes = 0;
	unsigned int n, i;

	/* Round the slots once, from the one after the last sent. */
	for (n = 0; n < RTL8139_TX_SLOTS && tx->pending; n++) {
		i = tx->next_slot;
		tx->next_slot = (i + 1) % RTL8139_TX_SLOTS;
		if ((tx->pending & (1u << i)) && !slot_send(d, i, &causes))
			break;
	}
	return causes;
}

/* ---- C+ mode: descriptor rings ---- */

static u32 ring_next(u32 idx, u32 opts1)
{
	if ((opts1 & RTL8139_DESC_EOR) || idx + 1 >= RTL8139_RING_MAX)
		return 0;
	return idx + 1;
}

/*
 * One descriptor into q's packet. Returns the opts1 to write back and
 * sets *done when it ended a packet that is to be sent.
 */
static u32 desc_gather(struct rtl8139 *d, struct rtl8139_txq *q, u32 opts1,
		       const u8 *desc, bool *done, u16 *causes)
{
	u32 blen = opts1 & RTL8139_TXD_LEN;
	/*
	 * Bits 16-27 come back as transmit status, no longer the offload
	 * request: an MSS left there would read as TxError.
	 */
	u32 back = opts1 & (RTL8139_DESC_EOR | RTL8139_DESC_FS |
			    RTL8139_DESC_LS | RTL8139_TXD_LEN);

	*done = false;
	if (opts1 & RTL8139_DESC_FS) {
		/* A packet left without its LS is given up. */
		q->started = true;
		q->drop = false;
		q->len = 0;
		q->ndesc = 0;
		q->opts1 = opts1;
		q->opts2 = get_le32(desc + 4);
	} else if (!q->started) {
		/* A middle piece of nothing: hand it back, send nothing. */
		return back;
	}
	if (++q->ndesc > RTL8139_TX_MAX_DESCS)
		q->drop = true;
	if (!q->drop && blen) {
		if (blen > RTL8139_TX_PKT_MAX - q->len ||
		    guest_read(d->mem, get_le64(desc + 8), q->pkt + q->len,
			       blen))
			q->drop = true;
		else
			q->len += blen;
	}
	if (!(opts1 & RTL8139_DESC_LS))
		return back;
	q->started = false;
	d->tx.job = (struct rtl8139_tx_job){
		.active = true, .pkt = q->pkt, .len = q->len,
		.opts1 = q->opts1, .opts2 = q->opts2,
	};
	if (!q->drop && q->len &&
	    (!(q->opts1 & RTL8139_TXD_LGSEN) || tso_ok(&d->tx.job))) {
		*done = true;
		*causes |= RTL8139_INT_TOK;
		return back;
	}
	d->tx.job.active = false;
	tx_error(d);
	*causes |= RTL8139_INT_TER;
	return back | RTL8139_TXD_ERR;
}

/* Up to this size a staged packet's TOK is raised as it is taken. */
#define RTL8139_STAGE_SMALL	256

static bool tx_staged_full(const struct rtl8139_tx *tx)
{
	return tx->staged_nr == RTL8139_TX_STAGED;
}

enum walk_end {
	WALK_DONE,		/* the ring has nothing more for us */
	WALK_MORE,		/* out of budget or staging room: another turn */
	WALK_BLOCKED,		/* the back end is full */
};

/* The finished packet in tx->job goes to the FIFO (room checked). */
static void job_stage(struct rtl8139 *d, struct rtl8139_txq *q)
{
	struct rtl8139_tx *tx = &d->tx;
	struct rtl8139_staged *e;
	u8 *buf;

	e = &tx->staged[(tx->staged_head + tx->staged_nr) % RTL8139_TX_STAGED];
	/* Trade buffers: the packet stays where it was gathered. */
	buf = e->buf;
	e->buf = q->pkt;
	q->pkt = buf;
	e->job = tx->job;
	e->job.pkt = e->buf;
	tx->job.active = false;
	tx->staged_nr++;
	if (e->job.len > RTL8139_STAGE_SMALL)
		tx->staged_big = true;
}

static enum walk_end ring_walk(struct rtl8139 *d, unsigned int qi,
			       u32 *budget, u16 *causes, bool stage)
{
	struct rtl8139_txq *q = &d->tx.q[qi];
	u64 base = (qi ? d->thpds : d->tnpds) &
		   ~(u64)(RTL8139_DESC_SIZE - 1);
	bool moved = false, done;
	u32 opts1, back, v;
	u8 desc[RTL8139_DESC_SIZE];
	u8 *slot;

	for (;;) {
		slot = guest_ptr(d->mem, base + (u64)q->idx * RTL8139_DESC_SIZE,
				 RTL8139_DESC_SIZE);
		if (!slot)
			return WALK_DONE;	/* a ring outside RAM */
		v = __atomic_load_n((u32 *)slot, __ATOMIC_ACQUIRE);
		opts1 = get_le32((u8 *)&v);
		if (!(opts1 & RTL8139_DESC_OWN))
			break;
		if (!*budget || (stage && tx_staged_full(&d->tx)))
			return WALK_MORE;
		(*budget)--;
		/* Read once: the guest may change it under us. */
		memcpy(desc, slot, sizeof(desc));
		put_le32(desc, opts1);
		back = desc_gather(d, q, opts1, desc, &done, causes);
		put_le32((u8 *)&v, back);
		__atomic_store_n((u32 *)slot, v, __ATOMIC_RELEASE);
		q->idx = ring_next(q->idx, opts1);
		moved = true;
		if (done && stage)
			job_stage(d, q);
		else if (done && !job_send(d))
			return WALK_BLOCKED;
	}
	if (moved)
		*causes |= RTL8139_INT_TDU;
	return WALK_DONE;
}

static u16 rings_walk(struct rtl8139 *d, bool stage)
{
	struct rtl8139_tx *tx = &d->tx;
	u32 budget = RTL8139_TX_BUDGET;
	u16 causes = 0;
	int qi;

	/* High priority first. */
	for (qi = 1; qi >= 0; qi--) {
		if (!tx->poll[qi])
			continue;
		switch (ring_walk(d, qi, &budget, &causes, stage)) {
		case WALK_DONE:
			tx->poll[qi] = false;
			break;
		case WALK_MORE:
			rtl8139_kick(d);	/* more next turn */
			return causes;
		case WALK_BLOCKED:
			return causes;
		}
	}
	return causes;
}

/* ---- running ---- */

/* The back end is done with every frame sent: the arena is free again. */
static void tx_flush(struct rtl8139 *d)
{
	struct rtl8139_tx *tx = &d->tx;

	if (tx->out_used)
		net_port_flush_peer(&d->port);
	if (tx->held) {
		memmove(tx->out, tx->out + tx->held_off, tx->held_len);
		tx->held_off = 0;
		tx->out_used = tx->held_len;
	} else {
		tx->out_used = 0;
	}
}

static u16 tx_walk(struct rtl8139 *d)
{
	if (!(d->cr & RTL8139_CR_TE) || !rtl8139_dma_ok(d))
		return 0;
	return rtl8139_cplus_tx(d) ? rings_walk(d, false) : slots_walk(d);
}

/* Go on with the job; a staged packet's entry is free once it is done. */
static bool job_resume(struct rtl8139 *d)
{
	struct rtl8139_tx *tx = &d->tx;
	bool ok = job_send(d);

	if (!tx->job.active && tx->job_staged) {
		tx->job_staged = false;
		tx->staged_head = (tx->staged_head + 1) % RTL8139_TX_STAGED;
		tx->staged_nr--;
	}
	return ok;
}

/* Send the staged packets, oldest first; false when the back end is full. */
static bool staged_send(struct rtl8139 *d)
{
	struct rtl8139_tx *tx = &d->tx;

	while (tx->staged_nr) {
		tx->job = tx->staged[tx->staged_head].job;
		tx->job_staged = true;
		if (!job_resume(d))
			return false;
	}
	return true;
}

void rtl8139_tx_stage(struct rtl8139 *d)
{
	struct rtl8139_tx *tx = &d->tx;
	u16 causes = 0;

	/*
	 * Gathering fills tx->job: while the loop is half-way through a
	 * job (or holds a refused frame) it walks the rings itself.
	 */
	if (!tx->running && !tx->job.active && !tx->held &&
	    (d->cr & RTL8139_CR_TE) && rtl8139_dma_ok(d) &&
	    rtl8139_cplus_tx(d))
		causes = rings_walk(d, true);
	if (tx->staged_nr || tx->poll[0] || tx->poll[1])
		rtl8139_kick(d);
	if (tx->staged_big) {
		tx->late_causes |= causes;
		causes = 0;
	}
	if (causes)
		rtl8139_irq_raise(d, causes);
}

void rtl8139_tx_run(struct rtl8139 *d)
{
	struct rtl8139_tx *tx = &d->tx;
	u16 causes = 0;

	if (tx->blocked || tx->running)
		return;
	tx->running = true;
	if ((!tx->held || send_held(d)) && (!tx->job.active || job_resume(d)) &&
	    staged_send(d))
		causes = tx_walk(d);
	if (!tx->staged_nr) {
		causes |= tx->late_causes;
		tx->late_causes = 0;
		tx->staged_big = false;
	}
	tx_flush(d);
	tx->running = false;
	/* A wake that came during the flush found us running. */
	if (!tx->blocked && (tx->held || tx->job.active))
		rtl8139_kick(d);
	if (causes)
		rtl8139_irq_raise(d, causes);
}

void rtl8139_tx_wake(struct rtl8139 *d)
{
	d->tx.blocked = false;
	rtl8139_tx_run(d);
}

void rtl8139_tx_reset(struct rtl8139 *d)
{
	struct rtl8139_tx *tx = &d->tx;
	unsigned int i;

	/* Frames already sent were flushed when their walk ended. */
	for (i = 0; i < ARRAY_SIZE(tx->q); i++) {
		tx->q[i].started = false;
		tx->q[i].idx = 0;
		tx->poll[i] = false;
	}
	tx->pending = 0;
	tx->next_slot = 0;
	tx->job.active = false;
	tx->job_staged = false;
	tx->staged_head = 0;
	tx->staged_nr = 0;
	tx->staged_big = false;
	tx->late_causes = 0;
	tx->held = false;
	tx->out_used = 0;
	/* blocked stays: the back end still owes us a wake. */
}

int rtl8139_tx_init(struct rtl8139_tx *tx)
{
	unsigned int i;

	memset(tx, 0, sizeof(*tx));
	tx->q[0].pkt = malloc(RTL8139_TX_PKT_MAX);
	tx->q[1].pkt = malloc(RTL8139_TX_PKT_MAX);
	tx->slot_pkt = malloc(RTL8139_TSD_MAX);
	tx->out = malloc(RTL8139_TX_ARENA);
	if (!tx->q[0].pkt || !tx->q[1].pkt || !tx->slot_pkt || !tx->out)
		goto fail;
	for (i = 0; i < RTL8139_TX_STAGED; i++) {
		tx->staged[i].buf = malloc(RTL8139_TX_PKT_MAX);
		if (!tx->staged[i].buf)
			goto fail;
	}
	return 0;
fail:
	rtl8139_tx_exit(tx);
	return -ENOMEM;
}

void rtl8139_tx_exit(struct rtl8139_tx *tx)
{
	unsigned int i;

	for (i = 0; i < RTL8139_TX_STAGED; i++) {
		free(tx->staged[i].buf);
		tx->staged[i].buf = NULL;
	}
	free(tx->q[0].pkt);
	free(tx->q[1].pkt);
	free(tx->slot_pkt);
	free(tx->out);
	tx->q[0].pkt = tx->q[1].pkt = tx->slot_pkt = tx->out = NULL;
}
