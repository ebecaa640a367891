// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net driven as a guest driver would drive it, through the
 * virtio-mmio registers, over fake guest RAM and a fake back end. The
 * VM fd is real (the local /dev/kvm) because the transport binds irqfds
 * and ioeventfds; no vCPU ever runs.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <cmocka.h>
#include <linux/kvm.h>
#include <linux/virtio_net.h>

#include "hw/virtio/net.h"
#include "kvm/loop.h"
#include "kvm/vm.h"
#include "net/netdev.h"

#define RAM_SIZE	0x100000ULL
#define MMIO_BASE	0xd0000000ULL
#define QSIZE		16
#define RING(q)		(0x1000ULL + (q) * 0x2000)	/* desc; avail +0x100, used +0x200 */
#define BUF(q, i)	(0x20000ULL + (q) * 0x10000 + (i) * 0x800)

#define F_NEXT		1
#define F_WRITE		2

/* MMIO registers the test uses. */
#define R_FEATURES	0x010
#define R_FEATURES_SEL	0x014
#define R_DRV_FEATURES	0x020
#define R_DRV_FEAT_SEL	0x024
#define R_QUEUE_SEL	0x030
#define R_QUEUE_NUM	0x038
#define R_QUEUE_READY	0x044
#define R_INT_STATUS	0x060
#define R_INT_ACK	0x064
#define R_STATUS	0x070
#define R_DESC_LO	0x080
#define R_DRIVER_LO	0x090
#define R_DEVICE_LO	0x0a0
#define R_CONFIG	0x100

struct fake_peer {
	int frames;
	size_t last_len;
	u8 last[2048];
	int wakes;
	ssize_t answer;		/* what receive() returns; -1: the length */
	bool echo;		/* send each frame straight back, from inside receive() */
};

struct fx {
	int kvm_fd;
	struct vm vm;
	struct loop loop;
	struct bus mmio;
	u8 *ram;
	struct netdev_cfg ncfg;
	struct netdev nd;
	struct fake_peer peer;
	struct virtio_net *n;
	u16 avail[3];		/* driver's avail idx per queue */
	u16 used_seen[3];
};

static ssize_t peer_receive(struct net_port *port, const struct iovec *iov,
			    int cnt)
{
	struct fake_peer *p = port->opaque;
	size_t len = 0;
	int i;

	if (p->answer == 0)
		return 0;
	for (i = 0; i < cnt; i++) {
		if (len + iov[i].iov_len <= sizeof(p->last))
			memcpy(p->last + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	p->frames++;
	p->last_len = len;
	/* As a hub hands a frame back to the NIC that is sending it. */
	if (p->echo)
		net_port_send(port, iov, cnt);
	return len;
}

static void peer_wake(struct net_port *port)
{
	struct fake_peer *p = port->opaque;

	p->wakes++;
}

static const struct net_port_ops peer_ops = {
	.receive = peer_receive,
	.wake = peer_wake,
};

static u32 rd(struct fx *f, u64 off)
{
	u32 v = 0;

	assert_true(bus_access(&f->mmio, MMIO_BASE + off, &v, 4, false));
	return v;
}

static void wr(struct fx *f, u64 off, u32 v)
{
	assert_true(bus_access(&f->mmio, MMIO_BASE + off, &v, 4, true));
}

static void *gpa(struct fx *f, u64 a)
{
	return f->ram + a;
}

static void put_desc(struct fx *f, int q, u16 i, u64 addr, u32 len, u16 flags,
		     u16 next)
{
	u8 *d = gpa(f, RING(q) + 16ULL * i);
	u64 a = htole64(addr);
	u32 l = htole32(len);
	u16 fl = htole16(flags), nx = htole16(next);

	memcpy(d, &a, 8);
	memcpy(d + 8, &l, 4);
	memcpy(d + 12, &fl, 2);
	memcpy(d + 14, &nx, 2);
}

static void make_avail(struct fx *f, int q, u16 head)
{
	u16 *ring = gpa(f, RING(q) + 0x100);

	ring[2 + f->avail[q] % QSIZE] = htole16(head);
	f->avail[q]++;
	ring[1] = htole16(f->avail[q]);
}

static u16 used_idx(struct fx *f, int q)
{
	u16 *used = gpa(f, RING(q) + 0x200);

	return le16toh(used[1]);
}

static void used_elem(struct fx *f, int q, u16 slot, u32 *id, u32 *len)
{
	u32 *e = gpa(f, RING(q) + 0x200 + 4 + 8ULL * (slot % QSIZE));

	*id = le32toh(e[0]);
	*len = le32toh(e[1]);
}

static void kick(struct fx *f, int q)
{
	u64 one = 1;
	int efd = f->n->vdev->queues[q].kick_efd;

	assert_true(efd >= 0);
	assert_int_equal(write(efd, &one, 8), 8);
	while (loop_run_once(&f->loop, 0) > 0)
		;
}

static void setup_queue(struct fx *f, int q)
{
	wr(f, R_QUEUE_SEL, q);
	wr(f, R_QUEUE_NUM, QSIZE);
	wr(f, R_DESC_LO, RING(q));
	wr(f, R_DRIVER_LO, RING(q) + 0x100);
	wr(f, R_DEVICE_LO, RING(q) + 0x200);
	wr(f, R_QUEUE_READY, 1);
	assert_int_equal(rd(f, 0x044), 1);
}

/* The driver's side of initialisation (virtio 1.2, 3.1.1). */
static void driver_init(struct fx *f, u64 want)
{
	u64 offered;

	wr(f, R_STATUS, 0);
	wr(f, R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(f, R_FEATURES_SEL, 0);
	offered = rd(f, R_FEATURES);
	wr(f, R_FEATURES_SEL, 1);
	offered |= (u64)rd(f, R_FEATURES) << 32;
	assert_true((offered & want) == want);
	wr(f, R_DRV_FEAT_SEL, 0);
	wr(f, R_DRV_FEATURES, (u32)want);
	wr(f, R_DRV_FEAT_SEL, 1);
	wr(f, R_DRV_FEATURES, want >> 32);
	wr(f, R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			VIRTIO_STATUS_FEATURES_OK);
	assert_true(rd(f, R_STATUS) & VIRTIO_STATUS_FEATURES_OK);
	setup_queue(f, 0);
	setup_queue(f, 1);
	setup_queue(f, 2);
	wr(f, R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	assert_true(rd(f, R_STATUS) & VIRTIO_STATUS_DRIVER_OK);
	memset(f->avail, 0, sizeof(f->avail));
}

#define BASE_FEATURES ((1ULL << VIRTIO_F_VERSION_1) | \
		       (1ULL << VIRTIO_NET_F_MAC) | \
		       (1ULL << VIRTIO_NET_F_STATUS) | \
		       (1ULL << VIRTIO_NET_F_CTRL_VQ) | \
		       (1ULL << VIRTIO_NET_F_CTRL_RX) | \
		       (1ULL << VIRTIO_NET_F_CTRL_VLAN))
#define MRG (1ULL << VIRTIO_NET_F_MRG_RXBUF)

static const u8 nic_mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct nic_slot slot = {
		.transport = NIC_TRANSPORT_MMIO,
		.mmio_base = MMIO_BASE,
		.mmio_gsi = 5,
	};

	assert_non_null(f);
	f->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (f->kvm_fd < 0)
		fail_msg("this test needs /dev/kvm (for irqfd/ioeventfd): %s",
			 strerror(errno));
	f->vm.fd = ioctl(f->kvm_fd, KVM_CREATE_VM, 0);
	assert_true(f->vm.fd >= 0);
	assert_int_equal(ioctl(f->vm.fd, KVM_CREATE_IRQCHIP, 0), 0);
	f->ram = aligned_alloc(4096, RAM_SIZE);
	assert_non_null(f->ram);
	memset(f->ram, 0, RAM_SIZE);
	assert_int_equal(guest_mem_add(&f->vm.mem, 0, f->ram, RAM_SIZE), 0);
	assert_int_equal(loop_init(&f->loop), 0);
	bus_init(&f->mmio, "mmio");
	slot.mmio = &f->mmio;

	/* A back end of no known type: no offloads, no vhost. */
	f->ncfg.type = (enum netdev_type)-1;
	f->ncfg.id = "fake";
	f->ncfg.vhost = OPT_OFF;
	f->ncfg.queues = 1;
	f->ncfg.fd = -1;
	f->nd.cfg = &f->ncfg;
	f->nd.nr_queues = 1;
	f->nd.ports[0] = (struct net_port){
		.name = "fake", .ops = &peer_ops, .vnet_hdr = true,
		.opaque = &f->peer,
	};
	f->peer.answer = -1;
	assert_int_equal(virtio_net_create(&f->n, 0, nic_mac, &f->nd, OPT_OFF,
					   &slot, &f->vm, &f->loop), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	virtio_net_destroy(f->n);
	bus_exit(&f->mmio);
	loop_exit(&f->loop);
	close(f->vm.fd);
	close(f->kvm_fd);
	free(f->ram);
	free(f);
	return 0;
}

/* Deliver a frame (vnet header + Ethernet) from the back end. */
static ssize_t inject(struct fx *f, const u8 *dst, size_t frame_len, u8 fill)
{
	static u8 buf[4096];
	struct iovec iov = { buf, NET_VNET_HDR_LEN + frame_len };

	memset(buf, 0, NET_VNET_HDR_LEN);
	memset(buf + NET_VNET_HDR_LEN, fill, frame_len);
	memcpy(buf + NET_VNET_HDR_LEN, dst, 6);
	return net_port_send(&f->nd.ports[0], &iov, 1);
}

static void post_rx(struct fx *f, u16 i, u32 len)
{
	put_desc(f, 0, i, BUF(0, i), len, F_WRITE, 0);
	make_avail(f, 0, i);
}

static void test_config_space(void **state)
{
	struct fx *f = *state;
	u8 cfg[10];
	int i;

	for (i = 0; i < 10; i++) {
		u8 v = 0;

		assert_true(bus_access(&f->mmio, MMIO_BASE + R_CONFIG + i, &v, 1,
				       false));
		cfg[i] = v;
	}
	assert_memory_equal(cfg, nic_mac, 6);
	assert_int_equal(cfg[6] | cfg[7] << 8, VIRTIO_NET_S_LINK_UP);
	assert_int_equal(cfg[8] | cfg[9] << 8, 1);	/* one queue pair */
	assert_int_equal(rd(f, 0x000), 0x74726976);
	assert_int_equal(rd(f, 0x004), 2);
	assert_int_equal(rd(f, 0x008), 1);		/* network device */
}

static void test_features_without_version_1_refused(void **state)
{
	struct fx *f = *state;

	wr(f, R_STATUS, 0);
	wr(f, R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(f, R_DRV_FEAT_SEL, 0);
	wr(f, R_DRV_FEATURES, 1 << VIRTIO_NET_F_MAC);
	wr(f, R_DRV_FEAT_SEL, 1);
	wr(f, R_DRV_FEATURES, 0);
	wr(f, R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			VIRTIO_STATUS_FEATURES_OK);
	assert_false(rd(f, R_STATUS) & VIRTIO_STATUS_FEATURES_OK);
}

static void test_rx_mergeable(void **state)
{
	struct fx *f = *state;
	u32 id, len, total = NET_VNET_HDR_LEN + 150;
	u8 *first = gpa(f, BUF(0, 0));
	u16 i;

	driver_init(f, BASE_FEATURES | MRG);
	for (i = 0; i < 3; i++)
		post_rx(f, i, 64);
	assert_int_equal(inject(f, nic_mac, 150, 0x5a), total);
	assert_int_equal(used_idx(f, 0), 3);
	for (i = 0; i < 3; i++) {
		used_elem(f, 0, i, &id, &len);
		assert_int_equal(id, i);
		assert_int_equal(len, i < 2 ? 64 : total - 128);
	}
	/* num_buffers in the first buffer's header, then the frame. */
	assert_int_equal(first[10] | first[11] << 8, 3);
	assert_memory_equal(first + NET_VNET_HDR_LEN, nic_mac, 6);
	assert_int_equal(((u8 *)gpa(f, BUF(0, 2)))[total - 128 - 1], 0x5a);
	assert_true(rd(f, R_INT_STATUS) & 1);
}

static void test_rx_without_mrg_needs_one_buffer(void **state)
{
	struct fx *f = *state;
	u8 *buf = gpa(f, BUF(0, 1));
	u32 id, len;

	driver_init(f, BASE_FEATURES);
	/* Too small without MRG_RXBUF: returned empty, the frame dropped. */
	post_rx(f, 0, 64);
	assert_int_equal(inject(f, nic_mac, 150, 1), NET_VNET_HDR_LEN + 150);
	assert_int_equal(used_idx(f, 0), 1);
	used_elem(f, 0, 0, &id, &len);
	assert_int_equal(id, 0);
	assert_int_equal(len, 0);
	post_rx(f, 1, 2048);
	assert_int_equal(inject(f, nic_mac, 150, 2), NET_VNET_HDR_LEN + 150);
	assert_int_equal(used_idx(f, 0), 2);
	used_elem(f, 0, 1, &id, &len);
	assert_int_equal(id, 1);
	assert_int_equal(len, NET_VNET_HDR_LEN + 150);
	assert_int_equal(buf[10], 1);		/* num_buffers */
	assert_int_equal(buf[NET_VNET_HDR_LEN + 149], 2);
}

/* What a tap's readv() does with the buffers it was lent. */
static void scatter(const struct iovec *iov, int cnt, const u8 *src, size_t len)
{
	size_t k;
	int i;

	for (i = 0; i < cnt && len; i++) {
		k = MIN(len, iov[i].iov_len);
		memcpy(iov[i].iov_base, src, k);
		src += k;
		len -= k;
	}
}

/*
 * Lent buffers (rx_buffers/rx_commit): as many as cover what was asked,
 * the ones the frame filled go to the driver with num_buffers set, the
 * rest come back; a frame the filter refuses gives them all back; too
 * few buffers lend none.
 */
static void test_rx_direct(void **state)
{
	struct fx *f = *state;
	struct net_port *port = &f->n->ports[0];
	static u8 frame[3000];
	struct iovec iov[16];
	u8 *first = gpa(f, BUF(0, 0));
	u32 id, len;
	u16 i;
	int cnt;

	/* Before the driver is up nothing is lent. */
	assert_int_equal(port->ops->rx_buffers(port, iov, 16, 100), 0);
	driver_init(f, BASE_FEATURES | MRG);
	for (i = 0; i < 4; i++)
		post_rx(f, i, 2048);
	/* More than the ring holds: nothing lent, nothing consumed. */
	assert_int_equal(port->ops->rx_buffers(port, iov, 16, 9000), 0);
	cnt = port->ops->rx_buffers(port, iov, 16, 5000);
	assert_int_equal(cnt, 3);
	memset(frame, 0x6b, sizeof(frame));
	memset(frame, 0, NET_VNET_HDR_LEN);
	memcpy(frame + NET_VNET_HDR_LEN, nic_mac, 6);
	scatter(iov, cnt, frame, sizeof(frame));
	port->ops->rx_commit(port, sizeof(frame));
	assert_int_equal(used_idx(f, 0), 2);
	used_elem(f, 0, 0, &id, &len);
	assert_int_equal(id, 0);
	assert_int_equal(len, 2048);
	used_elem(f, 0, 1, &id, &len);
	assert_int_equal(id, 1);
	assert_int_equal(len, sizeof(frame) - 2048);
	assert_int_equal(first[10] | first[11] << 8, 2);
	assert_int_equal(((u8 *)gpa(f, BUF(0, 1)))[sizeof(frame) - 2048 - 1],
			 0x6b);
	assert_true(rd(f, R_INT_STATUS) & 1);
	/* Someone else's frame: the lent buffers all come back. */
	cnt = port->ops->rx_buffers(port, iov, 16, 100);
	assert_int_equal(cnt, 1);
	assert_ptr_equal(iov[0].iov_base, gpa(f, BUF(0, 2)));
	frame[NET_VNET_HDR_LEN] = 0x02;
	scatter(iov, cnt, frame, 200);
	port->ops->rx_commit(port, 200);
	assert_int_equal(used_idx(f, 0), 2);
	/* Nothing read: the same. Then the copy path takes buffer 2. */
	assert_int_equal(port->ops->rx_buffers(port, iov, 16, 100), 1);
	port->ops->rx_commit(port, 0);
	assert_int_equal(inject(f, nic_mac, 100, 3), NET_VNET_HDR_LEN + 100);
	assert_int_equal(used_idx(f, 0), 3);
	used_elem(f, 0, 2, &id, &len);
	assert_int_equal(id, 2);
	assert_int_equal(len, NET_VNET_HDR_LEN + 100);
}

/* A sender that flushes after each batch gets one interrupt per batch. */
static void test_rx_interrupt_per_batch(void **state)
{
	struct fx *f = *state;
	u16 i;

	driver_init(f, BASE_FEATURES | MRG);
	for (i = 0; i < 4; i++)
		post_rx(f, i, 2048);
	f->nd.ports[0].batches = true;
	assert_int_equal(inject(f, nic_mac, 100, 1), NET_VNET_HDR_LEN + 100);
	assert_int_equal(inject(f, nic_mac, 100, 2), NET_VNET_HDR_LEN + 100);
	assert_int_equal(used_idx(f, 0), 2);
	assert_false(rd(f, R_INT_STATUS) & 1);
	net_port_flush_peer(&f->nd.ports[0]);
	assert_true(rd(f, R_INT_STATUS) & 1);
	/* Without the promise, each frame interrupts at once. */
	wr(f, R_INT_ACK, 1);
	f->nd.ports[0].batches = false;
	assert_int_equal(inject(f, nic_mac, 100, 3), NET_VNET_HDR_LEN + 100);
	assert_true(rd(f, R_INT_STATUS) & 1);
}

static void test_rx_no_buffers_then_wake(void **state)
{
	struct fx *f = *state;

	driver_init(f, BASE_FEATURES | MRG);
	assert_int_equal(inject(f, nic_mac, 100, 3), 0);	/* no room */
	assert_int_equal(f->peer.wakes, 0);
	post_rx(f, 0, 2048);
	kick(f, 0);
	assert_int_equal(f->peer.wakes, 1);
	assert_int_equal(inject(f, nic_mac, 100, 3), NET_VNET_HDR_LEN + 100);
	assert_int_equal(used_idx(f, 0), 1);
}

/* set-link: status follows, the driver gets a config interrupt, frames stop. */
static void test_set_link(void **state)
{
	struct fx *f = *state;
	u32 gen;
	u8 st = 0xff;

	driver_init(f, BASE_FEATURES | MRG);
	post_rx(f, 0, 2048);
	kick(f, 0);
	wr(f, R_INT_ACK, rd(f, R_INT_STATUS));
	gen = rd(f, 0x0fc);			/* ConfigGeneration */

	net_port_set_link(&f->nd.ports[0], false);
	assert_true(bus_access(&f->mmio, MMIO_BASE + R_CONFIG + 6, &st, 1,
			       false));
	assert_int_equal(st & VIRTIO_NET_S_LINK_UP, 0);
	assert_true(rd(f, R_INT_STATUS) & 2);	/* configuration change */
	assert_int_not_equal(rd(f, 0x0fc), gen);
	/* While down, nothing crosses. */
	assert_int_equal(inject(f, nic_mac, 100, 3), -ENOLINK);
	assert_int_equal(used_idx(f, 0), 0);

	wr(f, R_INT_ACK, 2);
	net_port_set_link(&f->nd.ports[0], true);
	assert_true(bus_access(&f->mmio, MMIO_BASE + R_CONFIG + 6, &st, 1,
			       false));
	assert_int_equal(st & VIRTIO_NET_S_LINK_UP, VIRTIO_NET_S_LINK_UP);
	assert_true(rd(f, R_INT_STATUS) & 2);
	assert_int_equal(inject(f, nic_mac, 100, 3), NET_VNET_HDR_LEN + 100);
	assert_int_equal(used_idx(f, 0), 1);
}

/* A frame the back end held across a reset gets its wake at the first kick. */
static void test_rx_wake_after_reset(void **state)
{
	struct fx *f = *state;

	driver_init(f, BASE_FEATURES | MRG);
	assert_int_equal(inject(f, nic_mac, 100, 3), 0);	/* held */
	driver_init(f, BASE_FEATURES | MRG);			/* reset */
	post_rx(f, 0, 2048);
	kick(f, 0);
	assert_int_equal(f->peer.wakes, 1);
	kick(f, 0);						/* once only */
	assert_int_equal(f->peer.wakes, 1);
}

static void test_tx(void **state)
{
	struct fx *f = *state;
	u8 *hdr = gpa(f, BUF(1, 0)), *frame = gpa(f, BUF(1, 1));
	u32 id, len;

	driver_init(f, BASE_FEATURES);
	memset(hdr, 0, NET_VNET_HDR_LEN);
	memset(frame, 0x77, 60);
	put_desc(f, 1, 0, BUF(1, 0), NET_VNET_HDR_LEN, F_NEXT, 1);
	put_desc(f, 1, 1, BUF(1, 1), 60, 0, 0);
	make_avail(f, 1, 0);
	kick(f, 1);
	assert_int_equal(f->peer.frames, 1);
	assert_int_equal(f->peer.last_len, NET_VNET_HDR_LEN + 60);
	assert_int_equal(f->peer.last[NET_VNET_HDR_LEN + 59], 0x77);
	assert_int_equal(used_idx(f, 1), 1);
	used_elem(f, 1, 0, &id, &len);
	assert_int_equal(id, 0);
}

/*
 * A frame that comes back while the NIC is sending (through a hub, say)
 * lands in the receive ring, and the chain being sent is unharmed: the
 * driver gets its own descriptor id back.
 */
static void test_rx_during_tx(void **state)
{
	struct fx *f = *state;
	u8 *hdr = gpa(f, BUF(1, 2)), *frame = gpa(f, BUF(1, 3));
	u32 id, len;

	driver_init(f, BASE_FEATURES | MRG);
	post_rx(f, 0, 2048);
	kick(f, 0);
	f->peer.echo = true;
	memset(hdr, 0, NET_VNET_HDR_LEN);
	memset(frame, 0x55, 60);
	memcpy(frame, nic_mac, 6);
	put_desc(f, 1, 2, BUF(1, 2), NET_VNET_HDR_LEN, F_NEXT, 3);
	put_desc(f, 1, 3, BUF(1, 3), 60, 0, 0);
	make_avail(f, 1, 2);
	kick(f, 1);
	assert_int_equal(f->peer.frames, 1);
	assert_int_equal(used_idx(f, 1), 1);
	used_elem(f, 1, 0, &id, &len);
	assert_int_equal(id, 2);
	assert_int_equal(used_idx(f, 0), 1);
	used_elem(f, 0, 0, &id, &len);
	assert_int_equal(id, 0);
	assert_int_equal(len, NET_VNET_HDR_LEN + 60);
}

/* Queue 1 notified by its register write, as a guest without ioeventfd. */
static void post_tx_notify(struct fx *f, u8 fill, u32 len)
{
	u8 *frame = gpa(f, BUF(1, 0));

	memset(frame, 0, NET_VNET_HDR_LEN);
	memset(frame + NET_VNET_HDR_LEN, fill, len);
	put_desc(f, 1, 0, BUF(1, 0), NET_VNET_HDR_LEN + len, 0, 0);
	make_avail(f, 1, 0);
	wr(f, 0x050, 1);
}

static void run_loop(struct fx *f)
{
	while (loop_run_once(&f->loop, 0) > 0)
		;
}

/*
 * A notify write that no ioeventfd took (one of another width, or one
 * KVM refused to bind) still kicks the queue, through the loop.
 */
static void test_tx_notify_write_kicks(void **state)
{
	struct fx *f = *state;

	driver_init(f, BASE_FEATURES);
	post_tx_notify(f, 0x32, 60);
	assert_int_equal(f->peer.frames, 0);
	assert_int_equal(used_idx(f, 1), 0);
	run_loop(f);
	assert_int_equal(f->peer.frames, 1);
	assert_int_equal(f->peer.last[NET_VNET_HDR_LEN], 0x32);
	assert_int_equal(used_idx(f, 1), 1);
}

static void test_tx_blocked_until_wake(void **state)
{
	struct fx *f = *state;

	driver_init(f, BASE_FEATURES);
	put_desc(f, 1, 0, BUF(1, 0), NET_VNET_HDR_LEN + 60, 0, 0);
	make_avail(f, 1, 0);
	f->peer.answer = 0;
	kick(f, 1);
	assert_int_equal(used_idx(f, 1), 0);	/* kept for later */
	f->peer.answer = -1;
	f->n->ports[0].ops->wake(&f->n->ports[0]);
	assert_int_equal(f->peer.frames, 1);
	assert_int_equal(used_idx(f, 1), 1);
}

static void test_tx_hostile_chains_dropped(void **state)
{
	struct fx *f = *state;

	driver_init(f, BASE_FEATURES);
	/* Writable buffer in a transmit chain; then one too short. */
	put_desc(f, 1, 0, BUF(1, 0), 100, F_WRITE, 0);
	make_avail(f, 1, 0);
	put_desc(f, 1, 1, BUF(1, 1), 4, 0, 0);
	make_avail(f, 1, 1);
	kick(f, 1);
	assert_int_equal(f->peer.frames, 0);
	assert_int_equal(used_idx(f, 1), 2);	/* returned, not lost */
	assert_int_equal(f->n->tx_dropped, 2);
	assert_false(rd(f, R_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
}

static void test_rx_outside_ram_needs_reset(void **state)
{
	struct fx *f = *state;

	driver_init(f, BASE_FEATURES | MRG);
	put_desc(f, 0, 0, RAM_SIZE - 16, 64, F_WRITE, 0);	/* runs off RAM */
	make_avail(f, 0, 0);
	inject(f, nic_mac, 100, 9);
	assert_true(rd(f, R_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
	assert_true(rd(f, R_INT_STATUS) & 2);		/* config change */
	assert_int_equal(used_idx(f, 0), 0);
	/* A reset brings the device back. */
	driver_init(f, BASE_FEATURES | MRG);
	assert_false(rd(f, R_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
	post_rx(f, 0, 2048);
	inject(f, nic_mac, 100, 9);
	assert_int_equal(used_idx(f, 0), 1);
}

/* Send a control command; returns the ack byte. */
static u8 ctrl(struct fx *f, const u8 *cmd, u32 len)
{
	u8 *out = gpa(f, BUF(2, 0)), *ack = gpa(f, BUF(2, 1));
	u16 before = used_idx(f, 2);

	memcpy(out, cmd, len);
	*ack = 0xee;
	put_desc(f, 2, 0, BUF(2, 0), len, F_NEXT, 1);
	put_desc(f, 2, 1, BUF(2, 1), 1, F_WRITE, 0);
	make_avail(f, 2, 0);
	kick(f, 2);
	assert_int_equal(used_idx(f, 2), (u16)(before + 1));
	return *ack;
}

static void test_ctrl_rx_filter(void **state)
{
	struct fx *f = *state;
	static const u8 other[6] = { 0x52, 0x54, 0x00, 0x11, 0x22, 0x33 };
	u8 promisc_off[] = { VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC, 0 };
	u8 table[2 + 4 + 6 + 4] = { VIRTIO_NET_CTRL_MAC,
				    VIRTIO_NET_CTRL_MAC_TABLE_SET, 1, 0, 0, 0 };
	u8 bogus[] = { 42, 0 };
	u16 i;

	driver_init(f, BASE_FEATURES | MRG);
	for (i = 0; i < 4; i++)
		post_rx(f, i, 2048);
	assert_int_equal(ctrl(f, promisc_off, sizeof(promisc_off)), VIRTIO_NET_OK);
	inject(f, other, 60, 1);
	assert_int_equal(used_idx(f, 0), 0);		/* filtered */
	inject(f, nic_mac, 60, 1);
	assert_int_equal(used_idx(f, 0), 1);
	memcpy(table + 6, other, 6);			/* 1 unicast, 0 multicast */
	assert_int_equal(ctrl(f, table, sizeof(table)), VIRTIO_NET_OK);
	inject(f, other, 60, 1);
	assert_int_equal(used_idx(f, 0), 2);
	assert_int_equal(ctrl(f, bogus, sizeof(bogus)), VIRTIO_NET_ERR);
	/* A table whose count runs past the command is refused. */
	table[2] = 9;
	assert_int_equal(ctrl(f, table, sizeof(table)), VIRTIO_NET_ERR);
}

/* With EVENT_IDX the driver kicks only past avail_event; keep it current. */
static void test_ctrl_event_idx_keeps_kicks_coming(void **state)
{
	struct fx *f = *state;
	u8 promisc[] = { VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC, 1 };
	u16 *avail_event = gpa(f, RING(2) + 0x200 + 4 + 8 * QSIZE);
	int i;

	driver_init(f, BASE_FEATURES | (1ULL << VIRTIO_F_EVENT_IDX));
	for (i = 1; i <= 3; i++) {
		assert_int_equal(ctrl(f, promisc, sizeof(promisc)), VIRTIO_NET_OK);
		assert_int_equal(le16toh(*avail_event), i);
	}
}

static void test_filter_rules(void **state)
{
	struct vnet_rx_filter flt = { 0 };
	u8 frame[64] = { 0 };
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };

	memcpy(frame, bcast, 6);
	assert_true(vnet_rx_filter_accept(&flt, nic_mac, frame, 60));
	flt.nobcast = true;
	assert_false(vnet_rx_filter_accept(&flt, nic_mac, frame, 60));
	memcpy(frame, mcast, 6);
	assert_false(vnet_rx_filter_accept(&flt, nic_mac, frame, 60));
	flt.allmulti = true;
	assert_true(vnet_rx_filter_accept(&flt, nic_mac, frame, 60));
	flt.nomulti = true;
	assert_false(vnet_rx_filter_accept(&flt, nic_mac, frame, 60));
	/* VLAN 5 tagged frame passes only once VLAN 5 is allowed. */
	memcpy(frame, nic_mac, 6);
	frame[12] = 0x81;
	frame[13] = 0x00;
	frame[15] = 5;
	flt.vlan_filtering = true;
	assert_false(vnet_rx_filter_accept(&flt, nic_mac, frame, 60));
	flt.vlans[0] |= 1 << 5;
	assert_true(vnet_rx_filter_accept(&flt, nic_mac, frame, 60));
	assert_false(vnet_rx_filter_accept(&flt, nic_mac, frame, 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_config_space, setup, teardown),
		cmocka_unit_test_setup_teardown(test_features_without_version_1_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_mergeable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_without_mrg_needs_one_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_no_buffers_then_wake, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_direct, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_interrupt_per_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_wake_after_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_during_tx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_notify_write_kicks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_blocked_until_wake, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_hostile_chains_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_outside_ram_needs_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctrl_rx_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctrl_event_idx_keeps_kicks_coming, setup, teardown),
		cmocka_unit_test(test_filter_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
