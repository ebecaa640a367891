// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net (virtio 1.2, 5.1): queue pairs joined to a netdev's ports,
 * a control queue for the receive filter and the number of active pairs,
 * and, when the back end is a tap and the host has it, vhost-net doing
 * the data path in the kernel.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <linux/virtio_net.h>

#include "hw/virtio/net.h"
#include "net/netdev.h"
#include "kvm/vm.h"

#define VNET_QUEUE_SIZE		256
#define VNET_HDR_LEN		NET_VNET_HDR_LEN
#define VNET_FRAME_MAX		(VNET_HDR_LEN + 65535 + 64)
#define VNET_TX_BATCH		64
#define VNET_CTRL_MAX		(8 + 2 * (4 + 6 * 256))

#define VNET_CLASS_NETWORK	0x020000

struct vnet_config {
	u8 mac[6];
	u16 status;
	u16 max_virtqueue_pairs;
	u16 mtu;
} __packed;

static inline u16 rxq(u16 pair) { return 2 * pair; }
static inline u16 txq(u16 pair) { return 2 * pair + 1; }
static inline u16 ctrlq(const struct virtio_net *n) { return 2 * n->pairs; }

static u64 offered_features(const struct virtio_net *n, bool vnet_hdr)
{
	u64 f = (1ULL << VIRTIO_NET_F_MAC) | (1ULL << VIRTIO_NET_F_STATUS) |
		(1ULL << VIRTIO_NET_F_MRG_RXBUF) |
		(1ULL << VIRTIO_NET_F_CTRL_VQ) | (1ULL << VIRTIO_NET_F_CTRL_RX) |
		(1ULL << VIRTIO_NET_F_CTRL_VLAN) |
		(1ULL << VIRTIO_NET_F_CTRL_RX_EXTRA) |
		(1ULL << VIRTIO_NET_F_CTRL_MAC_ADDR) |
		(1ULL << VIRTIO_F_EVENT_IDX) | (1ULL << VIRTIO_F_INDIRECT_DESC);

	if (n->pairs > 1)
		f |= 1ULL << VIRTIO_NET_F_MQ;
	/* Offloads need a back end that takes the vnet header (a tap). */
	if (vnet_hdr)
		f |= (1ULL << VIRTIO_NET_F_CSUM) |
		     (1ULL << VIRTIO_NET_F_GUEST_CSUM) |
		     (1ULL << VIRTIO_NET_F_HOST_TSO4) |
		     (1ULL << VIRTIO_NET_F_HOST_TSO6) |
		     (1ULL << VIRTIO_NET_F_HOST_ECN) |
		     (1ULL << VIRTIO_NET_F_GUEST_TSO4) |
		     (1ULL << VIRTIO_NET_F_GUEST_TSO6) |
		     (1ULL << VIRTIO_NET_F_GUEST_ECN);
	return f;
}

/* ---- receive filter ---- */

static bool mac_in(const u8 (*table)[6], u32 nr, const u8 *mac)
{
	u32 i;

	for (i = 0; i < nr; i++)
		if (!memcmp(table[i], mac, 6))
			return true;
	return false;
}

bool vnet_rx_filter_accept(const struct vnet_rx_filter *f, const u8 *mac,
			   const u8 *frame, size_t len)
{
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const u8 *dst = frame;

	if (len < 14)
		return false;
	if (f->vlan_filtering && frame[12] == 0x81 && frame[13] == 0x00) {
		u16 vid;

		if (len < 18)
			return false;
		vid = ((frame[14] << 8) | frame[15]) & 0xfff;
		if (!(f->vlans[vid / 8] & (1 << (vid % 8))))
			return false;
	}
	if (f->promisc)
		return true;
	if (!memcmp(dst, bcast, 6))
		return !f->nobcast;
	if (dst[0] & 1) {
		if (f->nomulti)
			return false;
		return f->allmulti || f->multi_overflow ||
		       mac_in(f->multi, f->nr_multi, dst);
	}
	if (f->nouni)
		return false;
	return f->alluni || f->uni_overflow || !memcmp(dst, mac, 6) ||
	       mac_in(f->uni, f->nr_uni, dst);
}

static void filter_reset(struct virtio_net *n)
{
	memset(&n->filter, 0, sizeof(n->filter));
	n->filter.vlan_filtering =
		virtio_has_feature(n->vdev, VIRTIO_NET_F_CTRL_VLAN);
	/* Without CTRL_RX the driver cannot ask; let everything in. */
	n->filter.promisc = !virtio_has_feature(n->vdev, VIRTIO_NET_F_CTRL_RX);
}

/* ---- receive: a frame from the back end into the guest's buffers ---- */

static u8 *chain_byte(const struct vq_chain *c, size_t off)
{
	unsigned int i;

	for (i = c->nr_out; i < c->nr_out + c->nr_in; i++) {
		if (off < c->iov[i].iov_len)
			return (u8 *)c->iov[i].iov_base + off;
		off -= c->iov[i].iov_len;
	}
	return NULL;
}

/*
 * Frames went to the driver on pair's receive queue: interrupt it now,
 * or, when the sender flushes after each batch, once at its end.
 */
static void rx_notify(struct virtio_net *n, u16 pair)
{
	struct net_port *peer = n->ports[pair].peer;

	if (peer && peer->batches)
		n->rx_notify[pair] = true;
	else
		virtio_queue_notify(n->vdev, rxq(pair));
}

static void vnet_flush(struct net_port *port)
{
	struct virtio_net *n = port->opaque;
	u16 pair = port - n->ports;

	pthread_mutex_lock(&n->vdev->lock);
	if (n->rx_notify[pair]) {
		n->rx_notify[pair] = false;
		virtio_queue_notify(n->vdev, rxq(pair));
	}
	pthread_mutex_unlock(&n->vdev->lock);
}

/*
 * Place frame (header included) into as many chains as it needs. Returns
 * 1 when delivered or dropped, 0 when the ring lacks buffers (nothing is
 * consumed).
 */
static int rx_place(struct virtio_net *n, u16 q, const u8 *frame,
		    size_t total)
{
	struct virtqueue *vq = &n->vdev->queues[q].vq;
	bool mrg = virtio_has_feature(n->vdev, VIRTIO_NET_F_MRG_RXBUF);
	u8 *nb_lo = NULL, *nb_hi = NULL;
	size_t off = 0;
	u16 nbufs = 0;
	int ret;

	while (off < total) {
		struct vq_chain *c = n->rx_chain;
		size_t put;

		ret = vq_pop(vq, c);
		if (ret < 0)
			goto broken;
		if (ret == 0) {
			vq_unpop(vq, nbufs);
			return 0;
		}
		if (!c->nr_in || (!nbufs && c->in_len < VNET_HDR_LEN)) {
			/* A receive buffer the device cannot write into. */
			vq->broken = true;
			goto broken;
		}
		if (!mrg && c->in_len < total) {
			/*
			 * Without mergeable buffers a frame needs one buffer
			 * big enough. Hand this one back empty rather than
			 * keep it at the head of the ring for ever.
			 */
			vq_push(vq, c->head, 0);
			virtio_queue_notify(n->vdev, q);
			n->rx_dropped++;
			return 1;
		}
		if (!nbufs) {
			nb_lo = chain_byte(c, 10);
			nb_hi = chain_byte(c, 11);
		}
		put = vq_chain_write(c, 0, frame + off, total - off);
		vq_fill(vq, c->head, put, nbufs);
		nbufs++;
		off += put;
		if (!put && !mrg)
			break;
	}
	/* num_buffers, little endian, in the first buffer's header. */
	*nb_lo = nbufs & 0xff;
	*nb_hi = nbufs >> 8;
	vq_flush(vq, nbufs);
	rx_notify(n, q / 2);
	return 1;
broken:
	virtio_queue_broken(n->vdev, q);
	return 1;
}

static size_t flatten(u8 *buf, size_t size, const struct iovec *iov, int cnt,
		      size_t *total)
{
	size_t off = 0;
	int i;

	*total = 0;
	for (i = 0; i < cnt; i++)
		*total += iov[i].iov_len;
	if (*total > size)
		return 0;
	for (i = 0; i < cnt; i++) {
		memcpy(buf + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	return off;
}

static ssize_t vnet_receive(struct net_port *port, const struct iovec *iov,
			    int iovcnt)
{
	struct virtio_net *n = port->opaque;
	struct virtio_dev *vdev = n->vdev;
	u16 pair = port - n->ports;
	size_t hdr = port->peer && port->peer->vnet_hdr ? 0 : VNET_HDR_LEN;
	const u8 *frame;
	size_t total, len;
	ssize_t ret;
	int placed;

	pthread_mutex_lock(&vdev->lock);
	if (!hdr && iovcnt == 1) {
		/* The usual case (a tap's frame): no copy of our own. */
		frame = iov[0].iov_base;
		len = total = iov[0].iov_len;
	} else {
		frame = n->frame;
		len = flatten(n->frame + hdr, VNET_FRAME_MAX - hdr, iov,
			      iovcnt, &total);
	}
	ret = total;
	if (!(vdev->status & VIRTIO_STATUS_DRIVER_OK) ||
	    (vdev->status & VIRTIO_STATUS_NEEDS_RESET) ||
	    !vdev->queues[rxq(pair)].enabled || !len) {
		n->rx_dropped++;
		goto out;
	}
	/* A plain frame from a back end without offloads: empty header. */
	if (hdr)
		memset(n->frame, 0, VNET_HDR_LEN);
	len += hdr;
	if (len < VNET_HDR_LEN + 14 ||
	    !vnet_rx_filter_accept(&n->filter, n->mac, frame + VNET_HDR_LEN,
				   len - VNET_HDR_LEN))
		goto out;
	placed = rx_place(n, rxq(pair), frame, len);
	if (!placed) {
		/*
		 * Wait for buffers: ask for a kick, then look once more, as
		 * the driver may have added some before it saw the request.
		 */
		vq_set_notification(&vdev->queues[rxq(pair)].vq, true);
		placed = rx_place(n, rxq(pair), frame, len);
	}
	if (!placed) {
		n->rx_starved[pair] = true;	/* the rx kick wakes the peer */
		ret = 0;
	}
out:
	pthread_mutex_unlock(&vdev->lock);
	return ret;
}

/*
 * Receive without a copy: a tap reads the next frame straight into the
 * buffers popped here (rx_buffers), and rx_commit gives the ones it
 * filled to the driver, as rx_place would have. The device lock is held
 * from one to the other.
 */
#define VNET_DIRECT_CHAINS	64
#define VNET_DIRECT_IOV		128

struct vnet_direct {
	u16 pair;
	u16 nbufs;
	u16 heads[VNET_DIRECT_CHAINS];
	u32 lens[VNET_DIRECT_CHAINS];
	int nr_iov;
	struct iovec iov[VNET_DIRECT_IOV];
	u8 *nb_lo, *nb_hi;		/* num_buffers in the first buffer */
};

static int vnet_rx_buffers(struct net_port *port, struct iovec *iov, int max,
			   size_t want)
{
	struct virtio_net *n = port->opaque;
	struct virtio_dev *vdev = n->vdev;
	struct vnet_direct *d = n->direct;
	u16 pair = port - n->ports;
	struct virtqueue *vq = &vdev->queues[rxq(pair)].vq;
	bool mrg = virtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF);
	struct vq_chain *c = n->rx_chain;
	size_t covered = 0;
	unsigned int i;
	int ret;

	pthread_mutex_lock(&vdev->lock);
	if (!(vdev->status & VIRTIO_STATUS_DRIVER_OK) ||
	    (vdev->status & VIRTIO_STATUS_NEEDS_RESET) ||
	    !vdev->queues[rxq(pair)].enabled || !port->peer ||
	    !port->peer->vnet_hdr)
		goto none;
	d->pair = pair;
	d->nbufs = 0;
	d->nr_iov = 0;
	while (covered < want) {
		ret = vq_pop(vq, c);
		if (ret < 0) {
			virtio_queue_broken(vdev, rxq(pair));
			goto none;
		}
		if (ret == 0)
			goto back;	/* too few buffers: the copy path waits */
		if (!c->nr_in || (!d->nbufs && c->in_len < VNET_HDR_LEN)) {
			vq->broken = true;
			virtio_queue_broken(vdev, rxq(pair));
			goto none;
		}
		d->nbufs++;
		/* One buffer must take it all without mergeable buffers. */
		if ((!mrg && c->in_len < want) || d->nbufs > VNET_DIRECT_CHAINS ||
		    d->nr_iov + c->nr_in > (unsigned int)MIN(max, VNET_DIRECT_IOV))
			goto back;
		if (d->nbufs == 1) {
			d->nb_lo = chain_byte(c, 10);
			d->nb_hi = chain_byte(c, 11);
		}
		d->heads[d->nbufs - 1] = c->head;
		d->lens[d->nbufs - 1] = c->in_len;
		for (i = c->nr_out; i < c->nr_out + c->nr_in; i++)
			d->iov[d->nr_iov++] = c->iov[i];
		covered += c->in_len;
	}
	memcpy(iov, d->iov, d->nr_iov * sizeof(*iov));
	return d->nr_iov;	/* the lock stays held until rx_commit */
back:
	vq_unpop(vq, d->nbufs);
none:
	pthread_mutex_unlock(&vdev->lock);
	return 0;
}

/* The first n bytes of what was read into the lent buffers. */
static size_t direct_peek(const struct vnet_direct *d, u8 *buf, size_t n)
{
	size_t done = 0, k;
	int i;

	for (i = 0; i < d->nr_iov && done < n; i++) {
		k = MIN(n - done, d->iov[i].iov_len);
		memcpy(buf + done, d->iov[i].iov_base, k);
		done += k;
	}
	return done;
}

static void vnet_rx_commit(struct net_port *port, size_t len)
{
	struct virtio_net *n = port->opaque;
	struct virtio_dev *vdev = n->vdev;
	struct vnet_direct *d = n->direct;
	struct virtqueue *vq = &vdev->queues[rxq(d->pair)].vq;
	u8 head[VNET_HDR_LEN + 18] = { 0 };
	size_t seen, left = len;
	u16 used = 0;

	seen = direct_peek(d, head, MIN(len, sizeof(head)));
	if (len < VNET_HDR_LEN + 14 ||
	    !vnet_rx_filter_accept(&n->filter, n->mac, head + VNET_HDR_LEN,
				   seen - VNET_HDR_LEN)) {
		/* Nothing for the driver: the buffers go back unused. */
		vq_unpop(vq, d->nbufs);
		goto out;
	}
	while (left && used < d->nbufs) {
		u32 put = MIN(left, (size_t)d->lens[used]);

		vq_fill(vq, d->heads[used], put, used);
		left -= put;
		used++;
	}
	vq_unpop(vq, d->nbufs - used);
	*d->nb_lo = used & 0xff;
	*d->nb_hi = used >> 8;
	vq_flush(vq, used);
	rx_notify(n, d->pair);
out:
	pthread_mutex_unlock(&vdev->lock);
}

static void rx_kick(struct virtio_net *n, u16 pair)
{
	if (!n->rx_starved[pair])
		return;
	n->rx_starved[pair] = false;
	net_port_wake_peer(&n->ports[pair]);
}

/* ---- transmit: the guest's frames out to the back end ---- */

/* Send one chain; false when the peer has no room (chain not consumed). */
static bool tx_one(struct virtio_net *n, u16 pair, struct vq_chain *c)
{
	struct net_port *port = &n->ports[pair];
	struct iovec iov[VQ_MAX_SEGS];
	unsigned int i, cnt = 0;
	size_t skip = 0;
	ssize_t ret;

	if (c->nr_in || c->out_len < VNET_HDR_LEN + 14) {
		n->tx_dropped++;
		return true;
	}
	/* A back end without vnet headers gets the bare frame. */
	if (!(port->peer && port->peer->vnet_hdr))
		skip = VNET_HDR_LEN;
	for (i = 0; i < c->nr_out; i++) {
		size_t l = c->iov[i].iov_len;

		if (skip >= l) {
			skip -= l;
			continue;
		}
		iov[cnt].iov_base = (u8 *)c->iov[i].iov_base + skip;
		iov[cnt++].iov_len = l - skip;
		skip = 0;
	}
	ret = net_port_send(port, iov, cnt);
	if (ret == 0)
		return false;
	if (ret < 0)
		n->tx_dropped++;
	return true;
}

static void tx_kick(struct virtio_net *n, u16 pair)
{
	struct virtqueue *vq = &n->vdev->queues[txq(pair)].vq;
	u16 heads[VNET_TX_BATCH];
	u16 nr, i;
	int ret;

	if (n->tx_blocked[pair])
		return;
	for (;;) {
		vq_set_notification(vq, false);
		for (nr = 0; nr < VNET_TX_BATCH; nr++) {
			ret = vq_pop(vq, n->chain);
			if (ret <= 0)
				break;
			if (!tx_one(n, pair, n->chain)) {
				vq_unpop(vq, 1);
				n->tx_blocked[pair] = true;
				break;
			}
			heads[nr] = n->chain->head;
		}
		/*
		 * The back end must be done with the guest's buffers before
		 * they go back to the driver.
		 */
		net_port_flush_peer(&n->ports[pair]);
		for (i = 0; i < nr; i++)
			vq_fill(vq, heads[i], 0, i);
		if (nr) {
			vq_flush(vq, nr);
			virtio_queue_notify(n->vdev, txq(pair));
		}
		if (ret < 0) {
			virtio_queue_broken(n->vdev, txq(pair));
			return;
		}
		if (n->tx_blocked[pair])
			return;	/* resumed by vnet_wake() */
		if (nr == VNET_TX_BATCH)
			continue;
		vq_set_notification(vq, true);
		if (!vq_has_avail(vq))
			return;
	}
}

static void vnet_wake(struct net_port *port)
{
	struct virtio_net *n = port->opaque;
	u16 pair = port - n->ports;

	pthread_mutex_lock(&n->vdev->lock);
	n->tx_blocked[pair] = false;
	if (n->vdev->status & VIRTIO_STATUS_DRIVER_OK)
		tx_kick(n, pair);
	pthread_mutex_unlock(&n->vdev->lock);
}

/* The cable was pulled or plugged back: the guest sees carrier follow. */
static void vnet_link_changed(struct net_port *port, bool up)
{
	struct virtio_net *n = port->opaque;
	u16 status = up ? VIRTIO_NET_S_LINK_UP : 0;

	pthread_mutex_lock(&n->vdev->lock);
	if (n->status != status) {
		n->status = status;
		virtio_config_changed(n->vdev);
	}
	pthread_mutex_unlock(&n->vdev->lock);
}

static const struct net_port_ops vnet_port_ops = {
	.receive = vnet_receive,
	.wake = vnet_wake,
	.link_changed = vnet_link_changed,
	.flush = vnet_flush,
	.rx_buffers = vnet_rx_buffers,
	.rx_commit = vnet_rx_commit,
};

/* ---- control queue ---- */

static u8 ctrl_rx(struct virtio_net *n, u8 cmd, const u8 *d, size_t len)
{
	struct vnet_rx_filter *f = &n->filter;
	bool on;

	if (len != 1)
		return VIRTIO_NET_ERR;
	on = d[0];
	switch (cmd) {
	case VIRTIO_NET_CTRL_RX_PROMISC:  f->promisc = on; break;
	case VIRTIO_NET_CTRL_RX_ALLMULTI: f->allmulti = on; break;
	case VIRTIO_NET_CTRL_RX_ALLUNI:   f->alluni = on; break;
	case VIRTIO_NET_CTRL_RX_NOMULTI:  f->nomulti = on; break;
	case VIRTIO_NET_CTRL_RX_NOUNI:    f->nouni = on; break;
	case VIRTIO_NET_CTRL_RX_NOBCAST:  f->nobcast = on; break;
	default: return VIRTIO_NET_ERR;
	}
	return VIRTIO_NET_OK;
}

/* One MAC table: le32 count, then count addresses; returns bytes used. */
static size_t mac_table(const u8 *d, size_t len, u8 (*table)[6], u32 *nr,
			bool *overflow)
{
	u32 count;
	size_t need;

	if (len < 4)
		return 0;
	memcpy(&count, d, 4);
	count = le32toh(count);
	if (count > (len - 4) / 6)
		return 0;
	need = 4 + (size_t)count * 6;
	*overflow = count > VNET_MAC_FILTER_MAX;
	*nr = *overflow ? 0 : count;
	memcpy(table, d + 4, (size_t)*nr * 6);
	return need;
}

static u8 ctrl_mac(struct virtio_net *n, u8 cmd, const u8 *d, size_t len)
{
	struct vnet_rx_filter *f = &n->filter;
	size_t a, b;

	switch (cmd) {
	case VIRTIO_NET_CTRL_MAC_ADDR_SET:
		if (len != 6)
			return VIRTIO_NET_ERR;
		memcpy(n->mac, d, 6);
		return VIRTIO_NET_OK;
	case VIRTIO_NET_CTRL_MAC_TABLE_SET:
		a = mac_table(d, len, f->uni, &f->nr_uni, &f->uni_overflow);
		if (!a)
			return VIRTIO_NET_ERR;
		b = mac_table(d + a, len - a, f->multi, &f->nr_multi,
			      &f->multi_overflow);
		return b && a + b == len ? VIRTIO_NET_OK : VIRTIO_NET_ERR;
	default:
		return VIRTIO_NET_ERR;
	}
}

static u8 ctrl_vlan(struct virtio_net *n, u8 cmd, const u8 *d, size_t len)
{
	u16 vid;

	if (len != 2)
		return VIRTIO_NET_ERR;
	vid = (d[0] | d[1] << 8);
	if (vid >= 4096)
		return VIRTIO_NET_ERR;
	if (cmd == VIRTIO_NET_CTRL_VLAN_ADD)
		n->filter.vlans[vid / 8] |= 1 << (vid % 8);
	else if (cmd == VIRTIO_NET_CTRL_VLAN_DEL)
		n->filter.vlans[vid / 8] &= ~(1 << (vid % 8));
	else
		return VIRTIO_NET_ERR;
	return VIRTIO_NET_OK;
}

static u8 ctrl_mq(struct virtio_net *n, u8 cmd, const u8 *d, size_t len)
{
	u16 pairs;

	if (cmd != VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET || len != 2 ||
	    !virtio_has_feature(n->vdev, VIRTIO_NET_F_MQ))
		return VIRTIO_NET_ERR;
	pairs = d[0] | d[1] << 8;
	if (pairs < 1 || pairs > n->pairs)
		return VIRTIO_NET_ERR;
	n->active_pairs = pairs;
	return VIRTIO_NET_OK;
}

static u8 ctrl_command(struct virtio_net *n, const u8 *buf, size_t len)
{
	const u8 *d = buf + 2;

	if (len < 2)
		return VIRTIO_NET_ERR;
	len -= 2;
	switch (buf[0]) {
	case VIRTIO_NET_CTRL_RX:	return ctrl_rx(n, buf[1], d, len);
	case VIRTIO_NET_CTRL_MAC:	return ctrl_mac(n, buf[1], d, len);
	case VIRTIO_NET_CTRL_VLAN:	return ctrl_vlan(n, buf[1], d, len);
	case VIRTIO_NET_CTRL_MQ:	return ctrl_mq(n, buf[1], d, len);
	case VIRTIO_NET_CTRL_ANNOUNCE:	return VIRTIO_NET_OK;
	default:			return VIRTIO_NET_ERR;
	}
}

static void ctrl_kick(struct virtio_net *n)
{
	u16 q = ctrlq(n);
	struct virtqueue *vq = &n->vdev->queues[q].vq;
	static u8 buf[VNET_CTRL_MAX];
	struct vq_chain *c = n->chain;
	int ret;

	/*
	 * The driver spins until its command is answered, so a lost kick
	 * hangs the guest: after asking for kicks again (with EVENT_IDX
	 * the driver kicks only past avail_event), look once more for a
	 * command added before the request was visible.
	 */
	do {
		while ((ret = vq_pop(vq, c)) > 0) {
			u8 ack = VIRTIO_NET_ERR;
			size_t len = MIN(c->out_len, sizeof(buf));

			if (c->in_len >= 1 && c->out_len <= sizeof(buf)) {
				vq_chain_read(c, 0, buf, len);
				ack = ctrl_command(n, buf, len);
			}
			/* The ack is the last byte the driver gave us to write. */
			vq_chain_write(c, c->in_len ? c->in_len - 1 : 0, &ack,
				       c->in_len ? 1 : 0);
			vq_push(vq, c->head, c->in_len ? 1 : 0);
		}
		if (ret < 0) {
			virtio_queue_broken(n->vdev, q);
			return;
		}
		vq_set_notification(vq, true);
		virtio_queue_notify(n->vdev, q);
	} while (vq_has_avail(vq));
}

/* ---- virtio device ops ---- */

static void vnet_kick(struct virtio_dev *vdev, u16 q)
{
	struct virtio_net *n = vdev->priv;

	if (q == ctrlq(n))
		ctrl_kick(n);
	else if (q % 2)
		tx_kick(n, q / 2);
	else
		rx_kick(n, q / 2);
}

static void vnet_config_read(struct virtio_dev *vdev, u32 off, void *data,
			     u32 len)
{
	struct virtio_net *n = vdev->priv;
	struct vnet_config c = {
		.status = htole16(n->status),
		.max_virtqueue_pairs = htole16(n->pairs),
		.mtu = htole16(1500),
	};

	memcpy(c.mac, n->mac, 6);
	if (off < sizeof(c) && len <= sizeof(c) - off)
		memcpy(data, (u8 *)&c + off, len);
}

static void set_offloads(struct virtio_net *n)
{
	int ret;
	struct net_offloads off = {
		.csum = virtio_has_feature(n->vdev, VIRTIO_NET_F_GUEST_CSUM),
		.tso4 = virtio_has_feature(n->vdev, VIRTIO_NET_F_GUEST_TSO4),
		.tso6 = virtio_has_feature(n->vdev, VIRTIO_NET_F_GUEST_TSO6),
		.ecn = virtio_has_feature(n->vdev, VIRTIO_NET_F_GUEST_ECN),
	};

	/* TSO without checksum offload is meaningless to a tap. */
	if (!off.csum)
		off.tso4 = off.tso6 = off.ecn = false;
	ret = netdev_set_offloads(n->nd, &off);
	/* -ENOTSUP: a back end without offloads, nothing to set. */
	if (ret && ret != -ENOTSUP)
		pr_warn("%s: cannot set the back end's offloads", n->name);
}

static int start_vhost(struct virtio_net *n, u16 pair)
{
	struct virtio_dev *vdev = n->vdev;
	int fd = netdev_tap_fd(n->nd, pair);
	int ret;

	if (fd < 0)
		return fd;
	if (!vdev->queues[rxq(pair)].enabled || !vdev->queues[txq(pair)].enabled)
		return 0;	/* the driver does not use this pair */
	ret = vhost_net_start(&n->vhost[pair], vdev, rxq(pair), txq(pair), fd);
	if (ret)
		return ret;
	virtio_poll_kick(vdev, rxq(pair), false);
	virtio_poll_kick(vdev, txq(pair), false);
	netdev_set_kernel_datapath(n->nd, pair, true);
	return 0;
}

static void stop_vhost(struct virtio_net *n)
{
	u16 i;

	for (i = 0; i < n->pairs; i++) {
		if (!n->vhost[i].running)
			continue;
		vhost_net_stop(&n->vhost[i]);
		netdev_set_kernel_datapath(n->nd, i, false);
	}
}

static int vnet_start(struct virtio_dev *vdev)
{
	struct virtio_net *n = vdev->priv;
	u16 i;
	int ret;

	filter_reset(n);
	n->active_pairs = 1;
	set_offloads(n);
	/*
	 * The back end may hold a frame from before a reset or reboot and
	 * wait for a wake: give it one at the first rx kick, on the loop.
	 */
	for (i = 0; i < n->pairs; i++)
		n->rx_starved[i] = true;
	if (n->vhost_mode == OPT_OFF)
		return 0;
	for (i = 0; i < n->pairs; i++) {
		ret = start_vhost(n, i);
		if (!ret)
			continue;
		stop_vhost(n);
		if (n->vhost_mode == OPT_ON) {
			pr_err("%s: vhost-net refused queue pair %u: %s",
			       n->name, i, strerror(-ret));
			return ret;
		}
		pr_warn("%s: vhost-net refused queue pair %u (%s); moving packets in user space",
			n->name, i, strerror(-ret));
		break;
	}
	return 0;
}

static void vnet_stop(struct virtio_dev *vdev)
{
	struct virtio_net *n = vdev->priv;
	u16 i;

	stop_vhost(n);
	for (i = 0; i < n->pairs; i++) {
		n->tx_blocked[i] = false;
		n->rx_starved[i] = false;
	}
}

static const struct virtio_dev_ops vnet_ops = {
	.config_read = vnet_config_read,
	.start = vnet_start,
	.stop = vnet_stop,
	.kick = vnet_kick,
};

/* ---- creation ---- */

static int attach_transport(struct virtio_net *n, const struct nic_slot *slot)
{
	n->transport = slot->transport;
	if (slot->transport == NIC_TRANSPORT_MMIO)
		return virtio_mmio_init(&n->t.mmio, slot->mmio, slot->mmio_base,
					slot->mmio_gsi);
	return virtio_pci_init(&n->t.pci, slot->pci, slot->routing,
			       slot->intx, VNET_CLASS_NETWORK);
}

/* Unplug from the back end (it outlives the NIC) and free. */
static void free_nic(struct virtio_net *n)
{
	u16 i;

	for (i = 0; i < n->pairs; i++)
		if (n->ports[i].peer)
			n->ports[i].peer->peer = NULL;
	free(n->chain);
	free(n->rx_chain);
	free(n->direct);
	free(n->frame);
	free(n);
}

int virtio_net_create(struct virtio_net **out, unsigned int index,
		      const u8 mac[6], struct netdev *nd,
		      enum opt_switch vhost, const struct nic_slot *slot,
		      struct vm *vm, struct loop *loop)
{
	struct virtio_net *n;
	u16 i;
	int ret;

	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->chain = malloc(sizeof(*n->chain));
	n->rx_chain = malloc(sizeof(*n->rx_chain));
	n->frame = malloc(VNET_FRAME_MAX);
	n->direct = malloc(sizeof(*n->direct));
	if (!n->chain || !n->rx_chain || !n->frame || !n->direct) {
		ret = -ENOMEM;
		goto fail;
	}
	snprintf(n->name, sizeof(n->name), "nic%u", index);
	memcpy(n->mac, mac, 6);
	/* A link taken down before a reboot stays down. */
	n->status = nd->ports[0].link_down ? 0 : VIRTIO_NET_S_LINK_UP;
	n->nd = nd;
	n->pairs = nd->nr_queues;
	n->active_pairs = 1;
	n->vhost_mode = vhost;
	n->vdev = &n->t.pci.vdev;	/* same place in both transports */
	ret = virtio_dev_init(n->vdev, n->name, VIRTIO_ID_NET,
			      offered_features(n, nd->ports[0].vnet_hdr),
			      2 * n->pairs + 1, VNET_QUEUE_SIZE, &vnet_ops, vm,
			      loop);
	if (ret)
		goto fail;
	n->vdev->priv = n;
	for (i = 0; i < n->pairs; i++) {
		n->ports[i] = (struct net_port){
			.name = n->name,
			.ops = &vnet_port_ops,
			.vnet_hdr = true,
			.opaque = n,
		};
		net_port_connect(&n->ports[i], &nd->ports[i]);
	}
	ret = attach_transport(n, slot);
	if (ret)
		goto fail;
	*out = n;
	return 0;
fail:
	free_nic(n);
	return ret;
}

void virtio_net_destroy(struct virtio_net *n)
{
	if (!n)
		return;
	virtio_dev_exit(n->vdev);
	if (n->transport == NIC_TRANSPORT_MMIO)
		virtio_mmio_exit(&n->t.mmio);
	else
		virtio_pci_exit(&n->t.pci);
	free_nic(n);
}
