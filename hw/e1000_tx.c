// SPDX-License-Identifier: GPL-2.0
/*
 * 82540EM transmit: the ring from TDH to TDT, three descriptor formats.
 * A legacy descriptor carries data and, optionally, one checksum to
 * insert (CSS/CSO). A context descriptor carries no data: it sets the
 * offsets for the IP and TCP/UDP checksums and, for TCP segmentation,
 * the header length and MSS. Data descriptors carry data and say which
 * of those to apply (POPTS) and whether to segment (TSE).
 *
 * Every packet is copied out of guest memory once, into tx->pkt, before
 * anything looks at it, so the guest cannot change it under us, and its
 * descriptors can be written back at once. Frames are then built in
 * tx->out and handed to the back end, which may use them until flush:
 * the arena is reused only after net_port_flush_peer() returns.
 *
 * Bounds: a packet is at most E1000_TX_PKT_MAX bytes and
 * E1000_TX_MAX_DESCS data descriptors, or it is dropped (the rest of it
 * skipped up to its EOP); one loop turn walks at most E1000_TX_BUDGET
 * descriptors and asks for another turn if more are waiting.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "knit/be.h"
#include "hw/e1000.h"
#include "knit/le.h"
#include "kvm/memory.h"
#include "net/inet_csum.h"

#define ETH_ZLEN		60
#define ETH_FCS_LEN		4
#define VLAN_HLEN		4
#define TCP_FIN			0x01
#define TCP_PSH			0x08

/* ---- checksums ---- */

/* Where a checksum range ends: cse is inclusive, 0 means the end. */
static u32 csum_end(u16 cse, u32 len)
{
	return cse ? MIN((u32)cse + 1, len) : len;
}

/*
 * The checksum of f[start, end), plus extra, stored at off. An IP
 * header checksum is computed over a zeroed field; a TCP/UDP one over
 * what is there (the pseudo-header sum the driver put in). Ranges that
 * do not fit the frame are not acted on.
 */
static void csum_insert(u8 *f, u32 len, u32 start, u32 end, u32 off,
			u32 extra, bool zero_first, bool udp)
{
	u16 c;

	if (start >= end || end > len || off + 2 > len)
		return;
	if (zero_first)
		put_be16(f + off, 0);
	c = ~inet_csum_fold(inet_csum_add(extra, f + start, end - start));
	/* In UDP a zero checksum means none; 0xffff is the same sum. */
	if (udp && !c)
		c = 0xffff;
	put_be16(f + off, c);
}

/* ---- frames out ---- */

static void tx_stats(struct e1000 *d, const u8 *f, u32 len)
{
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	u32 wire = MAX(len, (u32)ETH_ZLEN) + ETH_FCS_LEN;

	e1000_stat_add(d, E1000_TPT, 1);
	e1000_stat_add(d, E1000_GPTC, 1);
	e1000_stat_add64(d, E1000_GOTCL, wire);
	e1000_stat_add64(d, E1000_TOTL, wire);
	e1000_stat_size(d, E1000_PTC64, wire);
	if (len >= 6 && !memcmp(f, bcast, 6))
		e1000_stat_add(d, E1000_BPTC, 1);
	else if (len && (f[0] & 1))
		e1000_stat_add(d, E1000_MPTC, 1);
}

/*
 * Room in the arena for a frame of up to len bytes, with VLAN_HLEN
 * bytes free in front for a tag. A full arena is flushed first: the
 * back end is done with its frames when flush returns.
 */
static u8 *tx_room(struct e1000 *d, u32 len)
{
	struct e1000_tx *tx = &d->tx;
	u32 need = VLAN_HLEN + MAX(len, (u32)ETH_ZLEN);

	if (tx->out_used + need > E1000_TX_ARENA) {
		net_port_flush_peer(&d->port);
		tx->out_used = 0;
	}
	return tx->out + tx->out_used + VLAN_HLEN;
}

/*
 * Pad, tag and send the frame built at p (from tx_room). False when the
 * back end had no room: the frame is kept and goes first on wake.
 */
static bool tx_emit(struct e1000 *d, u8 *p, u32 len)
{
	struct e1000_tx *tx = &d->tx;
	u8 *start = p;

	if ((e1000_reg(d, E1000_TCTL) & E1000_TCTL_PSP) && len < ETH_ZLEN) {
		memset(p + len, 0, ETH_ZLEN - len);
		len = ETH_ZLEN;
	}
	if (tx->vle && (e1000_reg(d, E1000_CTRL) & E1000_CTRL_VME) &&
	    len >= 12) {
		start = p - VLAN_HLEN;
		memmove(start, p, 12);
		put_be16(start + 12, e1000_reg(d, E1000_VET));
		put_be16(start + 14, tx->vlan);
		len += VLAN_HLEN;
	}
	if (!e1000_link_up(d))
		return true;	/* no link: the frame goes nowhere */
	tx_stats(d, start, len);
	if (e1000_loopback(d)) {
		e1000_rx_loopback(d, start, len);
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

static bool send_held(struct e1000 *d)
{
	struct e1000_tx *tx = &d->tx;
	if (net_port_send_frame(&d->port, tx->out + tx->held_off,
				tx->held_len) == 0) {
		tx->blocked = true;
		return false;
	}
	tx->held = false;
	return true;
}

/* A packet as it is, with the checksums the descriptors ask for. */
static bool send_plain(struct e1000 *d)
{
	struct e1000_tx *tx = &d->tx;
	const struct e1000_tx_ctx *c = &tx->pctx;
	u32 len = tx->len;
	u8 *p = tx_room(d, len);

	memcpy(p, tx->pkt, len);
	if (!tx->ext) {
		if (tx->ic)
			csum_insert(p, len, tx->css, len, tx->cso, 0, false,
				    false);
	} else {
		if (tx->popts & E1000_TXD_POPTS_IXSM)
			csum_insert(p, len, c->ipcss, csum_end(c->ipcse, len),
				    c->ipcso, 0, true, false);
		if (tx->popts & E1000_TXD_POPTS_TXSM)
			csum_insert(p, len, c->tucss, csum_end(c->tucse, len),
				    c->tucso, 0, false,
				    !(c->tucmd & E1000_TXD_TUCMD_TCP));
	}
	return tx_emit(d, p, len);
}

/* Can the context segment this packet without writing past a header? */
static bool tso_ok(const struct e1000_tx *tx)
{
	const struct e1000_tx_ctx *c = &tx->pctx;
	bool v4 = c->tucmd & E1000_TXD_TUCMD_IP;
	bool tcp = c->tucmd & E1000_TXD_TUCMD_TCP;
	u32 hdr = c->hdrlen;

	if (!c->mss || hdr > tx->len)
		return false;
	if (c->ipcss + (v4 ? 20u : 40u) > hdr ||
	    c->tucss + (tcp ? 20u : 8u) > hdr)
		return false;
	if ((tx->popts & E1000_TXD_POPTS_IXSM) && c->ipcso + 2u > hdr)
		return false;
	if ((tx->popts & E1000_TXD_POPTS_TXSM) && c->tucso + 2u > hdr)
		return false;
	return true;
}

/*
 * The headers of one segment: IP length and ID (IPv4) or payload
 * length (IPv6), TCP sequence number and flags or UDP length, then the
 * checksums, the TCP/UDP one with this segment's length added to the
 * pseudo-header sum the driver left in the field.
 */
static void tso_fix(const struct e1000_tx *tx, u8 *p, u32 flen, bool last)
{
	const struct e1000_tx_ctx *c = &tx->pctx;
	bool tcp = c->tucmd & E1000_TXD_TUCMD_TCP;
	u8 *ip = p + c->ipcss, *l4 = p + c->tucss;
	u32 l4len = flen - c->tucss;

	if (c->tucmd & E1000_TXD_TUCMD_IP) {
		put_be16(ip + 2, flen - c->ipcss);
		put_be16(ip + 4, get_be16(tx->pkt + c->ipcss + 4) + tx->seg_idx);
	} else {
		put_be16(ip + 4, flen - c->ipcss - 40);
	}
	if (tcp) {
		put_be32(l4 + 4, get_be32(tx->pkt + c->tucss + 4) + tx->seg_off);
		if (!last)
			l4[13] &= ~(TCP_FIN | TCP_PSH);
	} else {
		put_be16(l4 + 4, l4len);
	}
	if (tx->popts & E1000_TXD_POPTS_IXSM)
		csum_insert(p, flen, c->ipcss, csum_end(c->ipcse, flen),
			    c->ipcso, 0, true, false);
	if (tx->popts & E1000_TXD_POPTS_TXSM)
		csum_insert(p, flen, c->tucss, flen, c->tucso, l4len, false,
			    !tcp);
}

/*
 * MSS-sized segments, each with its own copy of the headers. Progress
 * is kept in tx, so a back end that says stop resumes us where we were.
 */
static bool send_tso(struct e1000 *d)
{
	struct e1000_tx *tx = &d->tx;
	u32 hdr = tx->pctx.hdrlen, pay = tx->len - hdr;

	while (tx->sending) {
		u32 plen = MIN((u32)tx->pctx.mss, pay - tx->seg_off);
		u32 flen = hdr + plen;
		u8 *p = tx_room(d, flen);

		memcpy(p, tx->pkt, hdr);
		memcpy(p + hdr, tx->pkt + hdr + tx->seg_off, plen);
		tso_fix(tx, p, flen, tx->seg_off + plen >= pay);
		tx->seg_off += plen;
		tx->seg_idx++;
		if (tx->seg_off >= pay)
			tx->sending = false;
		if (!tx_emit(d, p, flen))
			return false;
	}
	return true;
}

/*
 * Send the finished packet; false when the back end stopped us. A frame
 * it refused is held and counts as sent here: it goes first on wake.
 */
static bool tx_send(struct e1000 *d)
{
	if (d->tx.tse)
		return send_tso(d);
	d->tx.sending = false;
	return send_plain(d);
}

/* ---- descriptors in ---- */

static void tx_context(struct e1000_tx *tx, const u8 *desc)
{
	struct e1000_tx_ctx *c = &tx->ctx;

	c->ipcss = desc[0];
	c->ipcso = desc[1];
	c->ipcse = get_le16(desc + 2);
	c->tucss = desc[4];
	c->tucso = desc[5];
	c->tucse = get_le16(desc + 6);
	c->tucmd = desc[11];
	c->hdrlen = desc[13];
	c->mss = get_le16(desc + 14);
}

/* The first descriptor of a packet says how it is to be sent. */
static void tx_first(struct e1000_tx *tx, const u8 *desc, bool ext)
{
	u8 cmd = desc[11];

	tx->started = true;
	tx->drop = false;
	tx->len = 0;
	tx->ndesc = 0;
	tx->ext = ext;
	tx->tse = ext && (cmd & E1000_TXD_CMD_TSE);
	tx->popts = ext ? desc[13] : 0;
	tx->ic = !ext && (cmd & E1000_TXD_CMD_IC);
	tx->cso = desc[10];
	tx->css = desc[13];
	tx->pctx = tx->ctx;
}

static void tx_data(struct e1000 *d, const u8 *desc, u32 len, bool ext)
{
	struct e1000_tx *tx = &d->tx;
	u8 cmd = desc[11];

	if (!tx->started)
		tx_first(tx, desc, ext);
	/* Too many pieces or too many bytes: skip the rest to the EOP. */
	if (++tx->ndesc > E1000_TX_MAX_DESCS)
		tx->drop = true;
	if (!tx->drop && len) {
		if (len > E1000_TX_PKT_MAX - tx->len ||
		    guest_read(d->mem, get_le64(desc), tx->pkt + tx->len, len))
			tx->drop = true;
		else
			tx->len += len;
	}
	if (!(cmd & E1000_TXD_CMD_EOP))
		return;
	tx->started = false;
	if (tx->drop || !tx->len)
		return;
	tx->vle = cmd & E1000_TXD_CMD_VLE;
	tx->vlan = get_le16(desc + 14);
	tx->seg_off = 0;
	tx->seg_idx = 0;
	if (tx->tse) {
		if (!tso_ok(tx)) {
			e1000_stat_add(d, E1000_TSCTFC, 1);
			return;
		}
		e1000_stat_add(d, E1000_TSCTC, 1);
	}
	tx->sending = true;
}

/* One descriptor, read once; true when it asked for a write-back. */
static bool tx_desc(struct e1000 *d, u8 *slot)
{
	u8 desc[E1000_DESC_SIZE];
	u32 lower;
	u8 cmd;

	memcpy(desc, slot, sizeof(desc));
	lower = get_le32(desc + 8);
	cmd = desc[11];
	if (!(cmd & E1000_TXD_CMD_DEXT))
		tx_data(d, desc, lower & 0xffff, false);
	else if ((lower >> 20 & 0xf) == E1000_TXD_DTYP_CTX)
		tx_context(&d->tx, desc);
	else if ((lower >> 20 & 0xf) == E1000_TXD_DTYP_DATA)
		tx_data(d, desc, lower & 0xfffff, true);
	if (!(cmd & (E1000_TXD_CMD_RS | E1000_TXD_CMD_RPS)))
		return false;
	/* The data is copied already: the driver may have it back. */
	__atomic_store_n(slot + 12, E1000_TXD_STAT_DD, __ATOMIC_RELEASE);
	return true;
}

/* The ring as the registers describe it, or NULL if it is not usable. */
static u8 *tx_ring(struct e1000 *d, u32 *n)
{
	u32 tdlen = e1000_reg(d, E1000_TDLEN);
	u64 base = (u64)e1000_reg(d, E1000_TDBAH) << 32 |
		   e1000_reg(d, E1000_TDBAL);

	*n = tdlen / E1000_DESC_SIZE;
	if (!*n || e1000_reg(d, E1000_TDH) >= *n ||
	    e1000_reg(d, E1000_TDT) >= *n)
		return NULL;
	return guest_ptr(d->mem, base, tdlen);
}

/* The back end is done with every frame sent: the arena is free again. */
static void tx_flush(struct e1000 *d)
{
	struct e1000_tx *tx = &d->tx;

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

static u32 tx_walk(struct e1000 *d)
{
	struct e1000_tx *tx = &d->tx;
	u32 n, head, budget = E1000_TX_BUDGET, causes = 0;
	bool moved = false;
	u8 *ring;

	if (!(e1000_reg(d, E1000_TCTL) & E1000_TCTL_EN) || !e1000_dma_ok(d))
		return 0;
	ring = tx_ring(d, &n);
	if (!ring)
		return 0;
	head = e1000_reg(d, E1000_TDH);
	while (head != e1000_reg(d, E1000_TDT)) {
		if (!budget--) {
			e1000_kick(d);	/* more next turn */
			return causes;
		}
		if (tx_desc(d, ring + (size_t)head * E1000_DESC_SIZE))
			causes |= E1000_ICR_TXDW;
		head = (head + 1) % n;
		d->regs[E1000_TDH / 4] = head;
		moved = true;
		if (tx->sending && !tx_send(d))
			return causes;
	}
	return causes | (moved ? E1000_ICR_TXQE : 0);
}

void e1000_tx_run(struct e1000 *d)
{
	struct e1000_tx *tx = &d->tx;
	u32 causes = 0;

	if (tx->blocked || tx->running)
		return;
	tx->running = true;
	if ((!tx->held || send_held(d)) && (!tx->sending || tx_send(d)))
		causes = tx_walk(d);
	tx_flush(d);
	tx->running = false;
	/* A wake that came during the flush found us running. */
	if (!tx->blocked && (tx->held || tx->sending))
		e1000_kick(d);
	if (causes)
		e1000_irq_raise(d, causes);
}

void e1000_tx_wake(struct e1000 *d)
{
	d->tx.blocked = false;
	e1000_tx_run(d);
}

void e1000_tx_reset(struct e1000 *d)
{
	struct e1000_tx *tx = &d->tx;

	/* Frames already sent were flushed when their walk ended. */
	tx->started = false;
	tx->sending = false;
	tx->held = false;
	tx->out_used = 0;
	memset(&tx->ctx, 0, sizeof(tx->ctx));
	/* blocked stays: the back end still owes us a wake. */
}

int e1000_tx_init(struct e1000_tx *tx)
{
	memset(tx, 0, sizeof(*tx));
	tx->pkt = malloc(E1000_TX_PKT_MAX);
	tx->out = malloc(E1000_TX_ARENA);
	if (!tx->pkt || !tx->out) {
		e1000_tx_exit(tx);
		return -ENOMEM;
	}
	return 0;
}

void e1000_tx_exit(struct e1000_tx *tx)
{
	free(tx->pkt);
	free(tx->out);
	tx->pkt = tx->out = NULL;
}
