// SPDX-License-Identifier: GPL-2.0
/*
 * The tap backend: a /dev/net/tun tap per netdev (one fd per queue
 * pair), optionally enslaved to a bridge, with the host configured over
 * netlink. Whatever this file adds to the host it removes again, on
 * failure midway as on destroy; what was there before is left alone.
 *
 * Guest -> host: receive() notes each frame's buffers in a per-queue
 * slot; flush() submits the whole batch as io_uring writes at once, or
 * writes a lone frame with writev(), which costs less than a submission
 * (before Linux 6.3 io_uring hands each tun write to a worker thread).
 * When every slot is in flight receive() says 0 (no room), and the
 * peer is woken from the loop once completions free a slot. A write
 * that fails (EAGAIN included: tun never blocks writers in practice,
 * its socket send buffer is unlimited) drops that frame and counts it.
 *
 * Host -> guest: plain reads in a loop on the readable tap fd; io_uring
 * reads would need a 64 KiB buffer posted per read in flight and would
 * still complete with -EAGAIN on a non-blocking tap. While frames run
 * big (a TCP stream with offloads), readv() puts them straight into
 * buffers the peer lends (a guest's receive queue), with no copy of
 * knit's own; small ones are read into the queue's buffer and handed
 * over, which costs less than lending room for 64 KiB. When the peer
 * has no room the frame stays in the queue's buffer, the fd leaves the
 * loop, and the peer's wake() delivers it and resumes polling.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdarg.h>
#include <stdio.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm/loop.h"
#include "net/netlink.h"
#include "net/tap.h"

#define TAP_TX_SLOTS	64	/* guest frames in flight per queue */
#define TAP_RX_BUDGET	64	/* frames per wakeup before yielding */
/* vnet header + Ethernet + VLAN tag + the largest (TSO) IP packet */
#define TAP_FRAME_MAX	(NET_VNET_HDR_LEN + 14 + 4 + 65535)
/* Frames from this size on are read straight into the peer's buffers. */
#define TAP_DIRECT_MIN	4096
#define TAP_DIRECT_IOV	128

struct tap_backend;

#define TAP_SLOT_SEGS	65	/* a vnet header gap + 64 segments */

/* One queued write: the sender's buffers, used in place until flush. */
struct tap_slot {
	struct tap_queue *q;
	int nr_iov;
	struct iovec iov[TAP_SLOT_SEGS];
};

struct tap_queue {
	struct tap_backend *tap;
	unsigned int index;
	int fd;
	bool polled;		/* fd is a loop source */
	bool kernel;		/* vhost-net moves this queue's frames */
	bool rx_held;		/* rx_buf holds a frame the peer refused */
	bool tx_blocked;	/* receive() said 0: wake the peer later */
	u8 *rx_buf;
	size_t rx_len;
	size_t last_len;	/* of the last frame read, either way */
	struct tap_slot slots[TAP_TX_SLOTS];
	unsigned int free[TAP_TX_SLOTS];	/* indices of idle slots */
	unsigned int nr_free;
	u64 tx_dropped;
	u64 rx_dropped;
};

struct tap_backend {
	struct netdev nd;
	const struct netdev_cfg *cfg;
	struct loop *loop;
	struct nl_sock *nl;
	char ifname[IFNAMSIZ];
	bool own_fds;		/* false for fd=: not ours to close */
	bool make_br;		/* br= is missing and create=on */
	bool created_br;
	bool added_addr;	/* host-ip= we put on a bridge that stays */
	bool ring_ok;		/* io_uring works; else plain writev() */
	bool ring_polled;
	unsigned int inflight;
	/* Slots filled since the last flush, not yet on the ring. */
	unsigned int nr_pending;
	struct tap_slot *pending[TAP_TX_SLOTS * NET_MAX_QUEUES];
	struct io_uring ring;
	struct tap_queue q[NET_MAX_QUEUES];
};

static struct tap_backend *to_tap(struct netdev *nd)
{
	return container_of(nd, struct tap_backend, nd);
}

/* A usage error for the user: one line, -EINVAL. */
static __printf(2, 3) int tap_usage(struct tap_backend *tap,
				    const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("netdev %s: %s", tap->cfg->id, msg);
	return -EINVAL;
}

/*
 * A host operation failed. EPERM/EACCES mean the user lacks the
 * capability and EINVAL that the kernel refused a value they gave: both
 * are theirs to fix, so one line and -EINVAL. Anything else goes back
 * as -errno for the caller to report, as netdev.h promises.
 */
static int tap_host_err(struct tap_backend *tap, int err, const char *what,
			const char *name)
{
	if (err == -EPERM || err == -EACCES) {
		pr_err("netdev %s: cannot %s %s: needs CAP_NET_ADMIN (run knit as root)",
		       tap->cfg->id, what, name);
		return -EINVAL;
	}
	if (err == -EINVAL)
		pr_err("netdev %s: cannot %s %s: %s", tap->cfg->id, what, name,
		       strerror(-err));
	return err;
}

/* ---- guest -> host ---- */

static void tap_slot_put(struct tap_slot *s)
{
	struct tap_queue *q = s->q;

	q->free[q->nr_free++] = s - q->slots;
}

static void tap_reap(struct tap_backend *tap)
{
	struct io_uring_cqe *cqe;
	unsigned int head, n = 0;

	io_uring_for_each_cqe(&tap->ring, head, cqe) {
		struct tap_slot *s = io_uring_cqe_get_data(cqe);
		struct tap_queue *q;

		n++;
		if (!s)
			continue;	/* tap_wake_later's no-op */
		q = s->q;
		if (cqe->res < 0)
			q->tx_dropped++;
		tap_slot_put(s);
	}
	io_uring_cq_advance(&tap->ring, n);
	tap->inflight -= n;
}

/* A completion came in while the loop waited: maybe someone can go on. */
static void tap_ring_ready(void *opaque, u32 events)
{
	struct tap_backend *tap = opaque;
	unsigned int i;

	tap_reap(tap);
	for (i = 0; i < tap->nd.nr_queues; i++) {
		struct tap_queue *q = &tap->q[i];

		if (q->tx_blocked && q->nr_free) {
			q->tx_blocked = false;
			net_port_wake_peer(&tap->nd.ports[i]);
		}
	}
}

/* The pending slots become io_uring writes (not yet submitted). */
static void tap_queue_pending(struct tap_backend *tap)
{
	struct io_uring_sqe *sqe;
	unsigned int i;

	for (i = 0; i < tap->nr_pending; i++) {
		struct tap_slot *s = tap->pending[i];

		/* The SQ has room for every slot; this is belt and braces. */
		sqe = io_uring_get_sqe(&tap->ring);
		if (!sqe) {
			s->q->tx_dropped++;
			tap_slot_put(s);
			continue;
		}
		io_uring_prep_writev(sqe, s->q->fd, s->iov, s->nr_iov, 0);
		io_uring_sqe_set_data(sqe, s);
		tap->inflight++;
	}
	tap->nr_pending = 0;
}

static struct tap_slot *tap_slot_get(struct tap_queue *q)
{
	struct tap_backend *tap = q->tap;

	if (!q->nr_free)
		tap_reap(tap);
	if (!q->nr_free && tap->nr_pending)
		tap_queue_pending(tap);
	if (!q->nr_free && io_uring_sq_ready(&tap->ring)) {
		/* Often frees slots: tun writes complete fast, if not inline. */
		io_uring_submit(&tap->ring);
		tap_reap(tap);
	}
	if (!q->nr_free)
		return NULL;
	return &q->slots[q->free[--q->nr_free]];
}

static size_t iov_size(const struct iovec *iov, int iovcnt)
{
	size_t len = 0;
	int i;

	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	return len;
}

/*
 * Bytes of vnet header to add (guest -> host: zeros, no offload asked)
 * or to strip (host -> guest) for a peer that does not use one.
 */
static size_t hdr_gap(struct net_port *port)
{
	return port->peer && !port->peer->vnet_hdr ? NET_VNET_HDR_LEN : 0;
}

/* No io_uring here: write at once, nothing to batch. */
static ssize_t tap_write_now(struct tap_queue *q, struct net_port *port,
			     const struct iovec *iov, int iovcnt, size_t len)
{
	static const u8 zero_hdr[NET_VNET_HDR_LEN];
	struct iovec v[1 + 64];
	int n = 0;

	if (iovcnt > 64) {
		q->tx_dropped++;
		return len;
	}
	if (hdr_gap(port))
		v[n++] = (struct iovec){ (void *)zero_hdr, sizeof(zero_hdr) };
	memcpy(v + n, iov, iovcnt * sizeof(*iov));
	if (writev(q->fd, v, n + iovcnt) < 0)
		q->tx_dropped++;
	return len;
}

static ssize_t tap_receive(struct net_port *port, const struct iovec *iov,
			   int iovcnt)
{
	static const u8 zero_hdr[NET_VNET_HDR_LEN];
	struct tap_queue *q = port->opaque;
	struct tap_backend *tap = q->tap;
	size_t len = iov_size(iov, iovcnt), pad = hdr_gap(port);
	struct tap_slot *s;
	int n = 0;

	if (len + pad > TAP_FRAME_MAX || iovcnt > TAP_SLOT_SEGS - 1) {
		q->tx_dropped++;
		return len;
	}
	if (!tap->ring_ok)
		return tap_write_now(q, port, iov, iovcnt, len);

	s = tap_slot_get(q);
	if (!s) {
		q->tx_blocked = true;
		return 0;
	}
	/*
	 * No copy: the sender's buffers stay valid until our flush()
	 * returns (net.h), and flush waits for the writes.
	 */
	if (pad)
		s->iov[n++] = (struct iovec){ (void *)zero_hdr, pad };
	memcpy(s->iov + n, iov, iovcnt * sizeof(*iov));
	s->nr_iov = n + iovcnt;
	tap->pending[tap->nr_pending++] = s;
	return len;
}

/*
 * A peer told "no room" waits for a wake, which tap_ring_ready gives
 * when completions come in. Slots freed by a flush's own reaping leave
 * nothing for it to see: post a no-op, whose completion makes the ring
 * readable, so the loop wakes the peer soon, and not from inside the
 * peer's own flush.
 */
static void tap_wake_later(struct tap_backend *tap)
{
	struct io_uring_sqe *sqe;
	unsigned int i;

	for (i = 0; i < tap->nd.nr_queues; i++)
		if (tap->q[i].tx_blocked && tap->q[i].nr_free)
			break;
	if (i == tap->nd.nr_queues)
		return;
	sqe = io_uring_get_sqe(&tap->ring);
	if (!sqe)
		return;
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data(sqe, NULL);
	tap->inflight++;
	io_uring_submit(&tap->ring);
}

/*
 * Submit the batch in one go and wait for it. (Since Linux 6.3 tun
 * writes complete inline; before, io_uring hands them to a worker.)
 * A lone frame with nothing else in flight, as a guest's ACK usually
 * is, goes out by writev() instead: no submission, no worker.
 */
static void tap_flush(struct net_port *port)
{
	struct tap_queue *q = port->opaque;
	struct tap_backend *tap = q->tap;

	if (!tap->ring_ok)
		return;
	if (tap->nr_pending == 1 && !tap->inflight) {
		struct tap_slot *s = tap->pending[0];

		tap->nr_pending = 0;
		if (writev(s->q->fd, s->iov, s->nr_iov) < 0)
			s->q->tx_dropped++;
		tap_slot_put(s);
	}
	tap_queue_pending(tap);
	if (tap->inflight) {
		io_uring_submit_and_wait(&tap->ring, tap->inflight);
		tap_reap(tap);
	}
	tap_wake_later(tap);
}

/* ---- host -> guest ---- */

static void tap_rx_ready(void *opaque, u32 events);

/* Poll the queue's fd while we may read it: on, no vhost, no frame kept. */
static int tap_poll(struct tap_queue *q, bool on)
{
	struct tap_backend *tap = q->tap;
	int ret;

	if (!on || q->kernel || q->rx_held) {
		if (q->polled)
			loop_del(tap->loop, q->fd);
		q->polled = false;
		return 0;
	}
	if (q->polled)
		return 0;
	ret = loop_add(tap->loop, q->fd, EPOLLIN, tap_rx_ready, q);
	q->polled = !ret;
	return ret;
}

/* At run time nobody else will report it: a queue that went deaf. */
static void tap_resume(struct tap_queue *q)
{
	int ret = tap_poll(q, true);

	if (ret)
		pr_err("netdev %s: cannot poll %s queue %u: %s",
		       q->tap->cfg->id, q->tap->ifname, q->index,
		       strerror(-ret));
}

/* Hand rx_buf to the peer; false when it has no room (frame kept). */
static bool tap_deliver(struct tap_queue *q, struct net_port *port)
{
	size_t skip = hdr_gap(port);
	struct iovec iov;
	ssize_t ret;

	if (q->rx_len < skip) {
		q->rx_dropped++;
		return true;
	}
	iov = (struct iovec){ q->rx_buf + skip, q->rx_len - skip };
	ret = net_port_send(port, &iov, 1);
	if (ret == 0)
		return false;
	if (ret < 0)
		q->rx_dropped++;
	return true;
}

/* Next frame from the tap into rx_buf; false when there is none. */
static bool tap_read(struct tap_queue *q)
{
	ssize_t n;

	do {
		n = read(q->fd, q->rx_buf, TAP_FRAME_MAX);
	} while (n < 0 && errno == EINTR);
	if (n > 0) {
		q->rx_len = n;
		return true;
	}
	if (n < 0 && errno != EAGAIN) {
		/* The link went away under us: stop spinning on it. */
		pr_err("netdev %s: reading %s: %s", q->tap->cfg->id,
		       q->tap->ifname, strerror(errno));
		tap_poll(q, false);
	}
	return false;
}

/*
 * The next frame straight into the peer's buffers, when it lends them
 * (net.h rx_buffers) and frames run big: 1 when one came, 0 when none
 * is waiting, -1 to take the copy path instead. Small frames go by copy,
 * as lending room for 64 KiB would cost more than copying them.
 */
static int tap_read_direct(struct tap_queue *q, struct net_port *port)
{
	struct net_port *peer = port->peer;
	struct iovec iov[TAP_DIRECT_IOV];
	ssize_t n;
	int cnt;

	if (q->last_len < TAP_DIRECT_MIN || !peer || !peer->ops->rx_buffers ||
	    hdr_gap(port) || port->capture || peer->capture ||
	    port->link_down || peer->link_down)
		return -1;
	cnt = peer->ops->rx_buffers(peer, iov, TAP_DIRECT_IOV, TAP_FRAME_MAX);
	if (cnt <= 0)
		return -1;
	do {
		n = readv(q->fd, iov, cnt);
	} while (n < 0 && errno == EINTR);
	peer->ops->rx_commit(peer, n > 0 ? n : 0);
	if (n > 0) {
		q->last_len = n;
		return 1;
	}
	if (n < 0 && errno != EAGAIN) {
		pr_err("netdev %s: reading %s: %s", q->tap->cfg->id,
		       q->tap->ifname, strerror(errno));
		tap_poll(q, false);
	}
	return 0;
}

static void tap_rx(struct tap_queue *q)
{
	struct net_port *port = &q->tap->nd.ports[q->index];
	unsigned int budget = TAP_RX_BUDGET, sent = 0;
	int direct;

	while (budget--) {
		if (!q->rx_held) {
			direct = tap_read_direct(q, port);
			if (direct > 0) {
				sent++;
				continue;
			}
			if (!direct || !tap_read(q))
				break;
			q->last_len = q->rx_len;
		}
		q->rx_held = !tap_deliver(q, port);
		if (q->rx_held) {
			tap_poll(q, false);
			break;
		}
		sent++;
	}
	if (sent)
		net_port_flush_peer(port);
}

static void tap_rx_ready(void *opaque, u32 events)
{
	tap_rx(opaque);
}

/* The peer has rx room again: hand over the kept frame, then poll. */
static void tap_wake(struct net_port *port)
{
	struct tap_queue *q = port->opaque;

	if (q->kernel)
		return;
	if (q->rx_held)
		tap_rx(q);
	/* Still no room: stay off the loop until the next wake. */
	if (!q->rx_held)
		tap_resume(q);
}

static const struct net_port_ops tap_port_ops = {
	.receive = tap_receive,
	.wake = tap_wake,
	.flush = tap_flush,
};

/* ---- host set-up ---- */

/* Refuse early, before anything on the host changes. */
static int tap_check_names(struct tap_backend *tap)
{
	const struct netdev_cfg *cfg = tap->cfg;
	int ret;

	if (cfg->ifname) {
		ret = netlink_link_index(tap->nl, cfg->ifname);
		if (ret >= 0)
			return tap_usage(tap, "tap name %s is already in use",
					 cfg->ifname);
		if (ret != -ENODEV)
			return tap_host_err(tap, ret, "look up", cfg->ifname);
	}
	if (!cfg->br)
		return 0;
	ret = netlink_link_is_bridge(tap->nl, cfg->br);
	if (ret == 1)
		return 0;
	if (ret == 0)
		return tap_usage(tap, "br=%s is not a bridge", cfg->br);
	if (ret != -ENODEV)
		return tap_host_err(tap, ret, "look up", cfg->br);
	if (!cfg->create)
		return tap_usage(tap, "bridge %s does not exist (create=on makes it)",
				 cfg->br);
	tap->make_br = true;
	return 0;
}

static int tap_open_queue(struct tap_backend *tap, unsigned int i)
{
	const struct netdev_cfg *cfg = tap->cfg;
	struct ifreq ifr = { 0 };
	int fd, hdr = NET_VNET_HDR_LEN;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return tap_usage(tap, "no /dev/net/tun (is the tun module loaded?)");
	if (fd < 0)
		return tap_host_err(tap, -errno, "open", "/dev/net/tun");
	tap->q[i].fd = fd;

	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (tap->nd.nr_queues > 1)
		ifr.ifr_flags |= IFF_MULTI_QUEUE;
	if (i == 0) {
		/* EXCL: a tap that appeared since the check is not ours. */
		ifr.ifr_flags |= IFF_TUN_EXCL;
		strcpy(ifr.ifr_name,
		       cfg->ifname ? cfg->ifname : TAP_NAME_PATTERN);
	} else {
		strcpy(ifr.ifr_name, tap->ifname);
	}
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		if (errno == EBUSY && i == 0)
			return tap_usage(tap, "tap name %s is already in use",
					 ifr.ifr_name);
		return tap_host_err(tap, -errno, "create tap", ifr.ifr_name);
	}
	if (i == 0)
		memcpy(tap->ifname, ifr.ifr_name, IFNAMSIZ);

	/* Not persistent: the tap goes away with our last fd. */
	if ((i == 0 && ioctl(fd, TUNSETPERSIST, 0) < 0) ||
	    ioctl(fd, TUNSETVNETHDRSZ, &hdr) < 0)
		return tap_host_err(tap, -errno, "configure", tap->ifname);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	/* virtio 1.0 headers are little-endian whatever the host is. */
	hdr = 1;
	if (ioctl(fd, TUNSETVNETLE, &hdr) < 0)
		return tap_host_err(tap, -errno, "configure", tap->ifname);
#endif
	return 0;
}

static int tap_join_bridge(struct tap_backend *tap)
{
	const char *br = tap->cfg->br;
	int ret;

	if (tap->make_br) {
		ret = netlink_bridge_add(tap->nl, br);
		if (ret)
			return tap_host_err(tap, ret, "create bridge", br);
		tap->created_br = true;
		ret = netlink_link_set_up(tap->nl, br, true);
		if (ret)
			return tap_host_err(tap, ret, "bring up", br);
	}
	ret = netlink_link_set_master(tap->nl, tap->ifname, br);
	if (ret)
		return tap_host_err(tap, ret, "add a port to", br);
	return 0;
}

static int tap_add_addr(struct tap_backend *tap)
{
	const struct netdev_cfg *cfg = tap->cfg;
	const char *dev = cfg->br ? cfg->br : tap->ifname;
	int ret;

	ret = netlink_addr_add(tap->nl, dev, cfg->host_ip, cfg->host_prefix);
	/* Already there: someone else's, so it stays when we go. */
	if (ret == -EEXIST)
		return 0;
	if (ret)
		return tap_host_err(tap, ret, "add host-ip to", dev);
	/* Ours, and on a link that outlives us: remove it on destroy. */
	tap->added_addr = cfg->br && !tap->created_br;
	return 0;
}

static int tap_setup_host(struct tap_backend *tap)
{
	const struct netdev_cfg *cfg = tap->cfg;
	unsigned int i;
	int ret;

	tap->own_fds = true;
	ret = netlink_open(&tap->nl);
	if (ret)
		return tap_host_err(tap, ret, "open", "rtnetlink");
	ret = tap_check_names(tap);
	for (i = 0; !ret && i < tap->nd.nr_queues; i++)
		ret = tap_open_queue(tap, i);
	if (!ret && cfg->br)
		ret = tap_join_bridge(tap);
	if (!ret) {
		ret = netlink_link_set_up(tap->nl, tap->ifname, true);
		if (ret)
			ret = tap_host_err(tap, ret, "bring up", tap->ifname);
	}
	if (!ret && cfg->has_host_ip)
		ret = tap_add_addr(tap);
	return ret;
}

/* fd=N: a tap someone else made and configured; only check it. */
static int tap_adopt_fd(struct tap_backend *tap)
{
	int fd = tap->cfg->fd, hdr = NET_VNET_HDR_LEN, fl;
	struct ifreq ifr = { 0 };

	if (ioctl(fd, TUNGETIFF, &ifr) < 0)
		return tap_usage(tap, "fd=%d is not a tap (%s)", fd,
				 strerror(errno));
	if (!(ifr.ifr_flags & IFF_TAP) || !(ifr.ifr_flags & IFF_NO_PI))
		return tap_usage(tap, "fd=%d is not a tap without packet info (IFF_TAP|IFF_NO_PI)",
				 fd);
	memcpy(tap->ifname, ifr.ifr_name, IFNAMSIZ);
	tap->ifname[IFNAMSIZ - 1] = '\0';
	tap->nd.ports[0].vnet_hdr = ifr.ifr_flags & IFF_VNET_HDR;
	/* Our side of the fd only: header size and non-blocking reads. */
	if (tap->nd.ports[0].vnet_hdr && ioctl(fd, TUNSETVNETHDRSZ, &hdr) < 0)
		return tap_host_err(tap, -errno, "set the vnet header size of",
				    tap->ifname);
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return tap_host_err(tap, -errno, "make non-blocking",
				    tap->ifname);
	tap->q[0].fd = fd;
	return 0;
}

/* ---- data path set-up and tear-down ---- */

static int tap_datapath_init(struct tap_backend *tap)
{
	unsigned int i, s;
	int ret;

	ret = io_uring_queue_init(TAP_TX_SLOTS * tap->nd.nr_queues,
				  &tap->ring, 0);
	if (ret) {
		/* Seccomp or sysctl may forbid io_uring: writev() works too. */
		pr_warn("netdev %s: no io_uring (%s), writing frames one by one",
			tap->cfg->id, strerror(-ret));
	} else {
		tap->ring_ok = true;
		ret = loop_add(tap->loop, tap->ring.ring_fd, EPOLLIN,
			       tap_ring_ready, tap);
		if (ret)
			return ret;
		tap->ring_polled = true;
	}

	for (i = 0; i < tap->nd.nr_queues; i++) {
		struct tap_queue *q = &tap->q[i];

		q->rx_buf = malloc(TAP_FRAME_MAX);
		if (!q->rx_buf)
			return -ENOMEM;
		for (s = 0; s < TAP_TX_SLOTS; s++) {
			q->slots[s].q = q;
			q->free[s] = s;
		}
		q->nr_free = TAP_TX_SLOTS;
		ret = tap_poll(q, true);
		if (ret)
			return ret;
	}
	return 0;
}

/* Let frames already handed to the kernel finish before closing fds. */
static void tap_ring_drain(struct tap_backend *tap)
{
	struct io_uring_cqe *cqe;

	tap_queue_pending(tap);
	if (io_uring_sq_ready(&tap->ring))
		io_uring_submit(&tap->ring);
	while (tap->inflight) {
		if (io_uring_wait_cqe(&tap->ring, &cqe) < 0)
			break;
		tap_reap(tap);
	}
}

/* Undo whatever tap_create got through, in reverse order. */
static void tap_undo(struct tap_backend *tap)
{
	const struct netdev_cfg *cfg = tap->cfg;
	unsigned int i;
	int ret;

	for (i = 0; i < NET_MAX_QUEUES; i++)
		tap_poll(&tap->q[i], false);
	if (tap->ring_polled)
		loop_del(tap->loop, tap->ring.ring_fd);
	if (tap->ring_ok) {
		tap_ring_drain(tap);
		io_uring_queue_exit(&tap->ring);
	}
	if (tap->added_addr) {
		ret = netlink_addr_del(tap->nl, cfg->br, cfg->host_ip,
				       cfg->host_prefix);
		if (ret && ret != -EADDRNOTAVAIL)
			pr_warn("netdev %s: cannot remove host-ip from %s: %s",
				cfg->id, cfg->br, strerror(-ret));
	}
	/* Closing the last fd unregisters the tap and frees its port. */
	for (i = 0; i < NET_MAX_QUEUES; i++) {
		if (tap->own_fds && tap->q[i].fd >= 0)
			close(tap->q[i].fd);
		free(tap->q[i].rx_buf);
	}
	if (tap->created_br) {
		ret = netlink_link_del(tap->nl, cfg->br);
		if (ret)
			pr_warn("netdev %s: cannot remove bridge %s: %s",
				cfg->id, cfg->br, strerror(-ret));
	}
	netlink_close(tap->nl);
	free(tap);
}

int tap_create(struct netdev **out, const struct netdev_cfg *cfg,
	       struct loop *loop)
{
	struct tap_backend *tap = calloc(1, sizeof(*tap));
	unsigned int i;
	int ret;

	if (!tap)
		return -ENOMEM;
	tap->cfg = cfg;
	tap->loop = loop;
	tap->nd.cfg = cfg;
	tap->nd.nr_queues = cfg->fd >= 0 ? 1 : MAX(cfg->queues, 1u);
	tap->nd.priv = tap;
	for (i = 0; i < NET_MAX_QUEUES; i++) {
		tap->q[i].tap = tap;
		tap->q[i].index = i;
		tap->q[i].fd = -1;
		tap->nd.ports[i] = (struct net_port){
			.name = cfg->id,
			.ops = &tap_port_ops,
			.vnet_hdr = true,
			.batches = true,	/* tap_rx() flushes */
			.opaque = &tap->q[i],
		};
	}

	if (cfg->type == NETDEV_BRIDGE && !cfg->br)
		ret = tap_usage(tap, "br= is missing");
	else if (cfg->fd >= 0)
		ret = tap_adopt_fd(tap);
	else
		ret = tap_setup_host(tap);
	if (!ret)
		ret = tap_datapath_init(tap);
	if (ret) {
		tap_undo(tap);
		return ret;
	}
	*out = &tap->nd;
	return 0;
}

void tap_destroy(struct netdev *nd)
{
	tap_undo(to_tap(nd));
}

int tap_fd(struct netdev *nd, unsigned int q)
{
	if (q >= nd->nr_queues)
		return -EINVAL;
	return to_tap(nd)->q[q].fd;
}

const char *tap_ifname(struct netdev *nd)
{
	return to_tap(nd)->ifname;
}

void tap_set_kernel_datapath(struct netdev *nd, unsigned int qi, bool on)
{
	struct tap_queue *q;

	if (qi >= nd->nr_queues)
		return;
	q = &to_tap(nd)->q[qi];
	q->kernel = on;
	if (on && q->rx_held) {
		/* vhost owns the queue now; the kept frame has no way in. */
		q->rx_held = false;
		q->rx_dropped++;
	}
	if (on)
		tap_poll(q, false);
	else
		tap_resume(q);
}

int tap_set_offloads(struct netdev *nd, const struct net_offloads *off)
{
	struct tap_backend *tap = to_tap(nd);
	unsigned int flags = 0;

	if (off->csum)
		flags |= TUN_F_CSUM;
	if (off->tso4)
		flags |= TUN_F_TSO4;
	if (off->tso6)
		flags |= TUN_F_TSO6;
	if (off->ecn)
		flags |= TUN_F_TSO_ECN;
	if (off->ufo)
		flags |= TUN_F_UFO;
	/* Segmentation without partial checksums is not a thing tun does. */
	if ((flags & ~TUN_F_CSUM) && !(flags & TUN_F_CSUM))
		return -EINVAL;
	/* A device-wide setting: any queue's fd will do. */
	if (ioctl(tap->q[0].fd, TUNSETOFFLOAD, flags) < 0)
		return -errno;
	return 0;
}
