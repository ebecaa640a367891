// SPDX-License-Identifier: GPL-2.0
/*
 * The tap backend against the real host: taps, bridges and addresses
 * are created and must be gone again afterwards. Needs root and
 * /dev/net/tun; without them every run FAILS (a skip would read as a
 * pass in CI). Names are "kt<pid><letter>" so parallel runs never meet,
 * and each test's teardown removes every such link even after a failed
 * assertion.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "kvm/loop.h"
#include "net/netdev.h"
#include "net/netlink.h"
#include "net/tap.h"

#define ETH_P_TEST	0x88b5	/* IEEE local experimental ethertype */
#define MAX_ND		3
#define BIG		6000	/* bytes of a frame past TAP_DIRECT_MIN */

struct fake_peer {
	struct net_port port;
	int refuse;		/* receive() says "no room" this many times */
	int frames;		/* test frames taken */
	int flushes;
	u8 last[2048];
	size_t last_len;
};

struct t {
	struct loop loop;
	struct nl_sock *nl;
	struct netdev *nd[MAX_ND];
	struct netdev_cfg cfg[MAX_ND];
	char tap[IFNAMSIZ], tap2[IFNAMSIZ], br[IFNAMSIZ], other[IFNAMSIZ];
	int fds[4];		/* test's own fds, closed on teardown */
	struct fake_peer peer;
};

static char prefix[10];		/* "kt<pid>", pid_max is 7 digits */

/* ---- helpers ---- */

static bool link_exists(const char *name)
{
	return if_nametoindex(name) != 0;
}

static void names(struct t *t)
{
	snprintf(t->tap, IFNAMSIZ, "%sa", prefix);
	snprintf(t->tap2, IFNAMSIZ, "%sc", prefix);
	snprintf(t->br, IFNAMSIZ, "%sb", prefix);
	snprintf(t->other, IFNAMSIZ, "%so", prefix);
}

/* A /24 per process so parallel runs use distinct addresses. */
static struct in_addr test_ip(int net, int host)
{
	struct in_addr a;

	a.s_addr = htonl(10u << 24 | net << 16 | (getpid() % 250) << 8 | host);
	return a;
}

static void cfg_tap(struct netdev_cfg *cfg, const char *ifname)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->type = NETDEV_TAP;
	cfg->id = "n0";
	cfg->ifname = (char *)ifname;
	cfg->vhost = OPT_OFF;
	cfg->queues = 1;
	cfg->fd = -1;
}

static int keep_fd(struct t *t, int fd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t->fds); i++) {
		if (t->fds[i] < 0) {
			t->fds[i] = fd;
			return fd;
		}
	}
	fail_msg("too many test fds");
	return -1;
}

/* 12 zero bytes of vnet header, then a broadcast frame of ETH_P_TEST. */
static size_t make_frame(u8 *buf, bool vnet, u8 tag)
{
	size_t off = vnet ? NET_VNET_HDR_LEN : 0;
	struct ether_header *eh = (void *)(buf + off);
	unsigned int i;

	memset(buf, 0, off);
	memset(eh->ether_dhost, 0xff, 6);
	memcpy(eh->ether_shost, "\x52\x54\x00\x12\x34\x56", 6);
	eh->ether_type = htons(ETH_P_TEST);
	for (i = 0; i < 100; i++)
		buf[off + sizeof(*eh) + i] = tag + i;
	return off + sizeof(*eh) + 100;
}

/* An AF_PACKET socket that sees ETH_P_TEST frames on ifname. */
static int packet_socket(struct t *t, const char *ifname)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_TEST),
		.sll_ifindex = if_nametoindex(ifname),
	};
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_TEST));

	assert_true(s >= 0);
	keep_fd(t, s);
	assert_int_not_equal(sll.sll_ifindex, 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sll, sizeof(sll)), 0);
	return s;
}

static ssize_t peer_receive(struct net_port *port, const struct iovec *iov,
			    int iovcnt)
{
	struct fake_peer *p = container_of(port, struct fake_peer, port);
	size_t len = 0, off = 0;
	u8 buf[sizeof(p->last)];
	int i;

	for (i = 0; i < iovcnt; i++) {
		if (off + iov[i].iov_len <= sizeof(buf))
			memcpy(buf + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	len = off;
	/* The host sends its own traffic (IPv6 solicitations): skip it. */
	if (len < NET_VNET_HDR_LEN + 14 || len > sizeof(buf) ||
	    buf[NET_VNET_HDR_LEN + 12] != ETH_P_TEST >> 8 ||
	    buf[NET_VNET_HDR_LEN + 13] != (ETH_P_TEST & 0xff))
		return len;
	if (p->refuse) {
		p->refuse--;
		return 0;
	}
	memcpy(p->last, buf, len);
	p->last_len = len;
	p->frames++;
	return len;
}

static void peer_flush(struct net_port *port)
{
	container_of(port, struct fake_peer, port)->flushes++;
}

static const struct net_port_ops peer_ops = {
	.receive = peer_receive,
	.flush = peer_flush,
};

static void peer_attach(struct t *t, struct netdev *nd, unsigned int q)
{
	t->peer.port = (struct net_port){
		.name = "nic0",
		.ops = &peer_ops,
		.vnet_hdr = true,
	};
	net_port_connect(&t->peer.port, &nd->ports[q]);
}

/* Run the loop until the peer has n frames, for at most ~2 s. */
static void run_until(struct t *t, int n)
{
	int i;

	for (i = 0; i < 40 && t->peer.frames < n; i++)
		assert_true(loop_run_once(&t->loop, 50) >= 0);
}

/*
 * Inject a frame of len bytes on the host side (it goes out of the tap
 * to us): make_frame()'s, longer (byte 14 + i is tag + i).
 */
static void host_send_len(int s, const char *ifname, size_t len, u8 tag)
{
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_TEST),
		.sll_ifindex = if_nametoindex(ifname),
		.sll_halen = 6,
		.sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	static u8 frame[BIG];
	size_t i;

	make_frame(frame, false, tag);
	for (i = 14; i < len; i++)
		frame[i] = tag + (i - 14);
	assert_int_equal(sendto(s, frame, len, 0, (struct sockaddr *)&to,
				sizeof(to)), len);
}

static void host_send(int s, const char *ifname, u8 tag)
{
	u8 frame[256];

	host_send_len(s, ifname, make_frame(frame, false, tag), tag);
}

static void assert_peer_got(struct t *t, u8 tag)
{
	u8 want[256];
	size_t len = make_frame(want, false, tag);

	assert_int_equal(t->peer.last_len, NET_VNET_HDR_LEN + len);
	assert_memory_equal(t->peer.last + NET_VNET_HDR_LEN, want, len);
}

/* ---- fixtures ---- */

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));
	unsigned int i;

	if (!t)
		return -1;
	for (i = 0; i < ARRAY_SIZE(t->fds); i++)
		t->fds[i] = -1;
	names(t);
	if (loop_init(&t->loop) || netlink_open(&t->nl)) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

/* Remove every link of ours, whatever state a failed test left. */
static void remove_our_links(struct nl_sock *nl)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	size_t n = strlen(prefix);

	for (i = ifs; i && i->if_index; i++) {
		if (!strncmp(i->if_name, prefix, n) &&
		    i->if_name[n] >= 'a' && i->if_name[n] <= 'z' &&
		    !i->if_name[n + 1])
			netlink_link_del(nl, i->if_name);
	}
	if (ifs)
		if_freenameindex(ifs);
}

static int teardown(void **state)
{
	struct t *t = *state;
	unsigned int i;

	for (i = 0; i < MAX_ND; i++)
		netdev_destroy(t->nd[i]);
	for (i = 0; i < ARRAY_SIZE(t->fds); i++)
		if (t->fds[i] >= 0)
			close(t->fds[i]);
	remove_our_links(t->nl);
	netlink_close(t->nl);
	loop_exit(&t->loop);
	free(t);
	return 0;
}

static void create_ok(struct t *t, int i)
{
	int ret = netdev_create(&t->nd[i], &t->cfg[i], &t->loop);

	if (ret)
		fail_msg("netdev_create: %s", strerror(-ret));
}

static void destroy(struct t *t, int i)
{
	netdev_destroy(t->nd[i]);
	t->nd[i] = NULL;
}

/* ---- tests ---- */

static void test_tap_named(void **state)
{
	struct t *t = *state;

	cfg_tap(&t->cfg[0], t->tap);
	create_ok(t, 0);
	assert_true(link_exists(t->tap));
	assert_string_equal(tap_ifname(t->nd[0]), t->tap);
	assert_int_equal(netlink_link_is_up(t->nl, t->tap), 1);
	assert_int_equal(netlink_link_is_bridge(t->nl, t->tap), 0);
	assert_int_equal(netlink_link_master(t->nl, t->tap), 0);
	assert_int_equal(t->nd[0]->nr_queues, 1);
	assert_true(netdev_tap_fd(t->nd[0], 0) >= 0);
	assert_int_equal(netdev_tap_fd(t->nd[0], 1), -EINVAL);
	assert_true(t->nd[0]->ports[0].vnet_hdr);

	destroy(t, 0);
	assert_false(link_exists(t->tap));
}

static void test_tap_default_name(void **state)
{
	struct t *t = *state;
	char name[IFNAMSIZ];

	cfg_tap(&t->cfg[0], NULL);
	create_ok(t, 0);
	snprintf(name, sizeof(name), "%s", tap_ifname(t->nd[0]));
	assert_memory_equal(name, "knit", 4);
	assert_true(link_exists(name));
	destroy(t, 0);
	assert_false(link_exists(name));
}

static void test_name_in_use(void **state)
{
	struct t *t = *state;
	int fd;

	/* In use by a tap of ours... */
	cfg_tap(&t->cfg[0], t->tap);
	create_ok(t, 0);
	fd = netdev_tap_fd(t->nd[0], 0);
	cfg_tap(&t->cfg[1], t->tap);
	assert_int_equal(netdev_create(&t->nd[1], &t->cfg[1], &t->loop),
			 -EINVAL);
	assert_null(t->nd[1]);
	assert_true(link_exists(t->tap));
	assert_int_equal(netlink_link_is_up(t->nl, t->tap), 1);
	assert_true(fcntl(fd, F_GETFD) >= 0);

	/* ... or by a bridge someone else made: left as it was. */
	assert_int_equal(netlink_bridge_add(t->nl, t->other), 0);
	cfg_tap(&t->cfg[2], t->other);
	assert_int_equal(netdev_create(&t->nd[2], &t->cfg[2], &t->loop),
			 -EINVAL);
	assert_int_equal(netlink_link_is_bridge(t->nl, t->other), 1);
	assert_int_equal(netlink_link_is_up(t->nl, t->other), 0);
}

static void test_br_not_bridge(void **state)
{
	struct t *t = *state;

	cfg_tap(&t->cfg[0], t->tap);
	create_ok(t, 0);
	cfg_tap(&t->cfg[1], t->tap2);
	t->cfg[1].br = t->tap;
	assert_int_equal(netdev_create(&t->nd[1], &t->cfg[1], &t->loop),
			 -EINVAL);
	assert_false(link_exists(t->tap2));
	assert_int_equal(netlink_link_master(t->nl, t->tap), 0);

	/* create=on does not turn a non-bridge into one either. */
	t->cfg[1].create = true;
	assert_int_equal(netdev_create(&t->nd[1], &t->cfg[1], &t->loop),
			 -EINVAL);
	assert_false(link_exists(t->tap2));
}

static void test_missing_bridge(void **state)
{
	struct t *t = *state;

	cfg_tap(&t->cfg[0], t->tap);
	t->cfg[0].br = t->br;
	assert_int_equal(netdev_create(&t->nd[0], &t->cfg[0], &t->loop),
			 -EINVAL);
	assert_false(link_exists(t->tap));
	assert_false(link_exists(t->br));

	/* The bridge netdev type says the same. */
	cfg_tap(&t->cfg[1], NULL);
	t->cfg[1].type = NETDEV_BRIDGE;
	t->cfg[1].br = t->br;
	assert_int_equal(netdev_create(&t->nd[1], &t->cfg[1], &t->loop),
			 -EINVAL);
	assert_false(link_exists(t->br));
}

static void test_create_bridge(void **state)
{
	struct t *t = *state;
	struct in_addr ip = test_ip(213, 1);

	cfg_tap(&t->cfg[0], t->tap);
	t->cfg[0].br = t->br;
	t->cfg[0].create = true;
	t->cfg[0].has_host_ip = true;
	t->cfg[0].host_ip = ip;
	t->cfg[0].host_prefix = 24;
	create_ok(t, 0);

	assert_int_equal(netlink_link_is_bridge(t->nl, t->br), 1);
	assert_int_equal(netlink_link_is_up(t->nl, t->br), 1);
	assert_int_equal(netlink_link_is_up(t->nl, t->tap), 1);
	assert_int_equal(netlink_link_master(t->nl, t->tap),
			 netlink_link_index(t->nl, t->br));
	assert_int_equal(netlink_addr_has(t->nl, t->br, ip, 24), 1);
	assert_int_equal(netlink_addr_has(t->nl, t->tap, ip, 24), 0);

	destroy(t, 0);
	assert_false(link_exists(t->tap));
	assert_false(link_exists(t->br));
}

static void test_bridge_type_kernel_name(void **state)
{
	struct t *t = *state;
	char name[IFNAMSIZ];

	cfg_tap(&t->cfg[0], NULL);
	t->cfg[0].type = NETDEV_BRIDGE;
	t->cfg[0].br = t->br;
	t->cfg[0].create = true;
	create_ok(t, 0);
	snprintf(name, sizeof(name), "%s", tap_ifname(t->nd[0]));
	assert_int_equal(netlink_link_master(t->nl, name),
			 netlink_link_index(t->nl, t->br));
	destroy(t, 0);
	assert_false(link_exists(name));
	assert_false(link_exists(t->br));
}

static void test_existing_bridge_kept(void **state)
{
	struct t *t = *state;
	struct in_addr theirs = test_ip(214, 1), ours = test_ip(215, 1);

	assert_int_equal(netlink_bridge_add(t->nl, t->br), 0);
	assert_int_equal(netlink_addr_add(t->nl, t->br, theirs, 24), 0);

	cfg_tap(&t->cfg[0], t->tap);
	t->cfg[0].br = t->br;
	t->cfg[0].has_host_ip = true;
	t->cfg[0].host_ip = ours;
	t->cfg[0].host_prefix = 24;
	create_ok(t, 0);
	assert_int_equal(netlink_link_master(t->nl, t->tap),
			 netlink_link_index(t->nl, t->br));
	assert_int_equal(netlink_addr_has(t->nl, t->br, ours, 24), 1);
	/* The bridge stays as its owner left it: down here. */
	assert_int_equal(netlink_link_is_up(t->nl, t->br), 0);

	/* host-ip= naming an address already there: not ours to remove. */
	cfg_tap(&t->cfg[1], t->tap2);
	t->cfg[1].br = t->br;
	t->cfg[1].has_host_ip = true;
	t->cfg[1].host_ip = theirs;
	t->cfg[1].host_prefix = 24;
	create_ok(t, 1);

	destroy(t, 0);
	destroy(t, 1);
	assert_false(link_exists(t->tap));
	assert_false(link_exists(t->tap2));
	assert_int_equal(netlink_link_is_bridge(t->nl, t->br), 1);
	assert_int_equal(netlink_addr_has(t->nl, t->br, theirs, 24), 1);
	assert_int_equal(netlink_addr_has(t->nl, t->br, ours, 24), 0);
}

/*
 * A failure at the last step (the kernel refuses a /33 the parser would
 * have caught) undoes the tap and the bridge made before it.
 */
static void test_undo_on_failure(void **state)
{
	struct t *t = *state;
	int ret;

	cfg_tap(&t->cfg[0], t->tap);
	t->cfg[0].br = t->br;
	t->cfg[0].create = true;
	t->cfg[0].has_host_ip = true;
	t->cfg[0].host_ip = test_ip(216, 1);
	t->cfg[0].host_prefix = 33;
	ret = netdev_create(&t->nd[0], &t->cfg[0], &t->loop);
	assert_true(ret < 0);
	assert_null(t->nd[0]);
	assert_false(link_exists(t->tap));
	assert_false(link_exists(t->br));

	/* Same on a bridge of someone else's: it stays, without our port. */
	assert_int_equal(netlink_bridge_add(t->nl, t->br), 0);
	t->cfg[0].create = false;
	ret = netdev_create(&t->nd[0], &t->cfg[0], &t->loop);
	assert_true(ret < 0);
	assert_false(link_exists(t->tap));
	assert_int_equal(netlink_link_is_bridge(t->nl, t->br), 1);
}

static void test_multiqueue(void **state)
{
	struct t *t = *state;
	int fd0, fd1;

	cfg_tap(&t->cfg[0], t->tap);
	t->cfg[0].queues = 2;
	create_ok(t, 0);
	assert_int_equal(t->nd[0]->nr_queues, 2);
	fd0 = netdev_tap_fd(t->nd[0], 0);
	fd1 = netdev_tap_fd(t->nd[0], 1);
	assert_true(fd0 >= 0);
	assert_true(fd1 >= 0);
	assert_int_not_equal(fd0, fd1);
	assert_int_equal(netdev_tap_fd(t->nd[0], 2), -EINVAL);
	assert_ptr_not_equal(&t->nd[0]->ports[0], &t->nd[0]->ports[1]);
	destroy(t, 0);
	assert_false(link_exists(t->tap));
}

/* The packet socket s sees frame (vnet header first) come out of the tap. */
static void assert_tap_sent(int s, const u8 *frame, size_t len)
{
	struct pollfd pfd = { .fd = s, .events = POLLIN };
	u8 got[256];

	assert_int_equal(poll(&pfd, 1, 2000), 1);
	assert_int_equal(recv(s, got, sizeof(got), 0), len - NET_VNET_HDR_LEN);
	assert_memory_equal(got, frame + NET_VNET_HDR_LEN,
			    len - NET_VNET_HDR_LEN);
}

/* Guest -> host: receive() + flush() comes out on the tap. */
static void test_tx(void **state)
{
	struct t *t = *state;
	u8 frame[256];
	struct iovec iov[2];
	size_t len;
	int s, i;

	cfg_tap(&t->cfg[0], t->tap);
	create_ok(t, 0);
	peer_attach(t, t->nd[0], 0);
	s = packet_socket(t, t->tap);

	/* A batch of three, split over two iovecs, sent by one flush. */
	len = make_frame(frame, true, 0x40);
	iov[0] = (struct iovec){ frame, 20 };
	iov[1] = (struct iovec){ frame + 20, len - 20 };
	for (i = 0; i < 3; i++)
		assert_int_equal(net_port_send(&t->peer.port, iov, 2), len);
	net_port_flush_peer(&t->peer.port);

	for (i = 0; i < 3; i++)
		assert_tap_sent(s, frame, len);
	/* The completions come back through the loop; nothing breaks. */
	loop_run_once(&t->loop, 100);
}

/*
 * One frame per flush, as a guest's ACKs go: each comes out, and more of
 * them than there are write slots, so every slot comes back.
 */
static void test_tx_lone_frames(void **state)
{
	struct t *t = *state;
	u8 frame[256];
	struct iovec iov;
	size_t len;
	int s, i;

	cfg_tap(&t->cfg[0], t->tap);
	create_ok(t, 0);
	peer_attach(t, t->nd[0], 0);
	s = packet_socket(t, t->tap);

	for (i = 0; i < 100; i++) {
		len = make_frame(frame, true, i);
		iov = (struct iovec){ frame, len };
		assert_int_equal(net_port_send(&t->peer.port, &iov, 1), len);
		net_port_flush_peer(&t->peer.port);
		assert_tap_sent(s, frame, len);
	}
}

/* Host -> guest: a frame sent on the tap reaches the peer port. */
static void test_rx(void **state)
{
	struct t *t = *state;
	int s;

	cfg_tap(&t->cfg[0], t->tap);
	create_ok(t, 0);
	peer_attach(t, t->nd[0], 0);
	s = packet_socket(t, t->tap);

	host_send(s, t->tap, 0x10);
	run_until(t, 1);
	assert_int_equal(t->peer.frames, 1);
	assert_peer_got(t, 0x10);
	assert_true(t->peer.flushes >= 1);
}

/* A peer without rx room: the frame waits for its wake(), not lost. */
static void test_rx_no_room(void **state)
{
	struct t *t = *state;
	int s, i;

	cfg_tap(&t->cfg[0], t->tap);
	create_ok(t, 0);
	peer_attach(t, t->nd[0], 0);
	s = packet_socket(t, t->tap);

	t->peer.refuse = 1;
	host_send(s, t->tap, 0x20);
	host_send(s, t->tap, 0x30);
	for (i = 0; i < 40 && t->peer.refuse; i++)
		loop_run_once(&t->loop, 50);
	assert_int_equal(t->peer.refuse, 0);
	/* Polling stopped: the loop does not hand over anything more. */
	loop_run_once(&t->loop, 200);
	assert_int_equal(t->peer.frames, 0);

	net_port_wake_peer(&t->peer.port);
	assert_true(t->peer.frames >= 1);
	assert_peer_got(t, t->peer.frames == 1 ? 0x20 : 0x30);
	run_until(t, 2);
	assert_int_equal(t->peer.frames, 2);
	assert_peer_got(t, 0x30);
}

/* ---- reading straight into a peer's buffers ---- */

struct direct_peer {
	struct net_port port;
	int copied;		/* test frames through receive() */
	int lent;		/* test frames read into lent buffers */
	u8 buf[70000];		/* lent as three pieces */
	u8 last[70000];
	size_t last_len;
};

static bool is_test_frame(const u8 *f, size_t len)
{
	return len >= NET_VNET_HDR_LEN + 14 &&
	       f[NET_VNET_HDR_LEN + 12] == ETH_P_TEST >> 8 &&
	       f[NET_VNET_HDR_LEN + 13] == (ETH_P_TEST & 0xff);
}

static ssize_t direct_receive(struct net_port *port, const struct iovec *iov,
			      int iovcnt)
{
	struct direct_peer *p = container_of(port, struct direct_peer, port);
	size_t off = 0;
	int i;

	for (i = 0; i < iovcnt; i++) {
		assert_true(off + iov[i].iov_len <= sizeof(p->last));
		memcpy(p->last + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	if (is_test_frame(p->last, off)) {
		p->last_len = off;
		p->copied++;
	}
	return off;
}

static int direct_buffers(struct net_port *port, struct iovec *iov, int max,
			  size_t want)
{
	struct direct_peer *p = container_of(port, struct direct_peer, port);

	assert_true(max >= 3);
	assert_true(want <= sizeof(p->buf));
	iov[0] = (struct iovec){ p->buf, 100 };
	iov[1] = (struct iovec){ p->buf + 100, 1000 };
	iov[2] = (struct iovec){ p->buf + 1100, sizeof(p->buf) - 1100 };
	return 3;
}

static void direct_commit(struct net_port *port, size_t len)
{
	struct direct_peer *p = container_of(port, struct direct_peer, port);

	if (!len || !is_test_frame(p->buf, len))
		return;
	memcpy(p->last, p->buf, len);
	p->last_len = len;
	p->lent++;
}

static const struct net_port_ops direct_ops = {
	.receive = direct_receive,
	.rx_buffers = direct_buffers,
	.rx_commit = direct_commit,
};


static void expect_frame(struct direct_peer *p, size_t len, u8 tag)
{
	size_t i;

	assert_int_equal(p->last_len, NET_VNET_HDR_LEN + len);
	for (i = 14; i < len; i++)
		if (p->last[NET_VNET_HDR_LEN + i] != (u8)(tag + (i - 14)))
			fail_msg("byte %zu of frame %u differs", i, tag);
}

static void quiet_ipv6(const char *ifname)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 ifname);
	f = fopen(path, "w");
	if (f) {
		fputs("1", f);
		fclose(f);
	}
}

static void run_until_frames(struct t *t, struct direct_peer *p, int n)
{
	int i;

	for (i = 0; i < 40 && p->copied + p->lent < n; i++)
		assert_true(loop_run_once(&t->loop, 50) >= 0);
	assert_int_equal(p->copied + p->lent, n);
}

/*
 * Big frames go straight into the peer's lent buffers once the last one
 * read was big; small ones, and the first big one, by copy.
 */
static void test_rx_direct(void **state)
{
	struct t *t = *state;
	static struct direct_peer p;
	struct ifreq ifr = { 0 };
	int s;

	cfg_tap(&t->cfg[0], t->tap);
	create_ok(t, 0);
	memset(&p, 0, sizeof(p));
	p.port = (struct net_port){
		.name = "nic0", .ops = &direct_ops, .vnet_hdr = true,
	};
	net_port_connect(&p.port, &t->nd[0]->ports[0]);
	s = packet_socket(t, t->tap);
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", t->tap);
	ifr.ifr_mtu = 9000;
	assert_int_equal(ioctl(s, SIOCSIFMTU, &ifr), 0);
	/*
	 * The host's own small frames (IPv6 solicitations) would switch the
	 * tap back to copying between ours: no IPv6 here, and what it sent
	 * already is drained.
	 */
	quiet_ipv6(t->tap);
	loop_run_once(&t->loop, 100);
	p.copied = p.lent = 0;

	host_send_len(s, t->tap, BIG, 1);
	run_until_frames(t, &p, 1);
	assert_int_equal(p.copied, 1);
	expect_frame(&p, BIG, 1);
	host_send_len(s, t->tap, BIG, 2);
	run_until_frames(t, &p, 2);
	assert_int_equal(p.lent, 1);
	expect_frame(&p, BIG, 2);
	/* A small one after a big one is read straight in too... */
	host_send_len(s, t->tap, 200, 3);
	run_until_frames(t, &p, 3);
	assert_int_equal(p.lent, 2);
	expect_frame(&p, 200, 3);
	/* ...and the next small one is copied. */
	host_send_len(s, t->tap, 200, 4);
	run_until_frames(t, &p, 4);
	assert_int_equal(p.copied, 2);
	expect_frame(&p, 200, 4);
}

/* While vhost owns a queue the backend does not read its fd. */
static void test_kernel_datapath(void **state)
{
	struct t *t = *state;
	int s;

	cfg_tap(&t->cfg[0], t->tap);
	create_ok(t, 0);
	peer_attach(t, t->nd[0], 0);
	s = packet_socket(t, t->tap);

	netdev_set_kernel_datapath(t->nd[0], 0, true);
	host_send(s, t->tap, 0x50);
	loop_run_once(&t->loop, 200);
	assert_int_equal(t->peer.frames, 0);
	netdev_set_kernel_datapath(t->nd[0], 0, false);
	run_until(t, 1);
	assert_int_equal(t->peer.frames, 1);
	assert_peer_got(t, 0x50);
}

static void test_offloads(void **state)
{
	struct t *t = *state;
	struct net_offloads off = { 0 };

	cfg_tap(&t->cfg[0], t->tap);
	create_ok(t, 0);
	assert_int_equal(netdev_set_offloads(t->nd[0], &off), 0);
	off = (struct net_offloads){ .csum = true, .tso4 = true, .tso6 = true,
				     .ecn = true };
	assert_int_equal(netdev_set_offloads(t->nd[0], &off), 0);
	off.ufo = true;
	assert_int_equal(netdev_set_offloads(t->nd[0], &off), 0);
	off = (struct net_offloads){ .tso4 = true };
	assert_int_equal(netdev_set_offloads(t->nd[0], &off), -EINVAL);
}

/* fd=N: used as it is, and left open and in place on destroy. */
static void test_fd(void **state)
{
	struct t *t = *state;
	struct ifreq ifr = { 0 };
	int fd, pfd[2];

	fd = keep_fd(t, open("/dev/net/tun", O_RDWR | O_CLOEXEC));
	assert_true(fd >= 0);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", t->tap);
	assert_int_equal(ioctl(fd, TUNSETIFF, &ifr), 0);

	cfg_tap(&t->cfg[0], NULL);
	t->cfg[0].fd = fd;
	create_ok(t, 0);
	assert_int_equal(netdev_tap_fd(t->nd[0], 0), fd);
	assert_string_equal(tap_ifname(t->nd[0]), t->tap);
	assert_true(t->nd[0]->ports[0].vnet_hdr);
	destroy(t, 0);
	assert_true(fcntl(fd, F_GETFD) >= 0);
	assert_true(link_exists(t->tap));

	/* Not a tap at all. */
	assert_int_equal(pipe2(pfd, O_CLOEXEC), 0);
	keep_fd(t, pfd[0]);
	keep_fd(t, pfd[1]);
	cfg_tap(&t->cfg[1], NULL);
	t->cfg[1].fd = pfd[0];
	assert_int_equal(netdev_create(&t->nd[1], &t->cfg[1], &t->loop),
			 -EINVAL);
}

/* Without CAP_NET_ADMIN: one line, -EINVAL, nothing left behind. */
static void test_no_cap(void **state)
{
	struct t *t = *state;
	int status;
	pid_t pid;

	/*
	 * The child leaves by exit(), not _exit(), so libnl's destructors
	 * run and valgrind sees no leak; nothing may sit in stdio buffers.
	 */
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct __user_cap_header_struct hdr = {
			_LINUX_CAPABILITY_VERSION_3, 0
		};
		struct __user_cap_data_struct data[2];
		u32 drop = ~(1u << CAP_NET_ADMIN);
		struct netdev *nd = NULL;
		int ret;

		if (syscall(SYS_capget, &hdr, data))
			exit(10);
		data[0].effective &= drop;
		data[0].permitted &= drop;
		data[0].inheritable &= drop;
		if (syscall(SYS_capset, &hdr, data))
			exit(11);
		cfg_tap(&t->cfg[0], t->tap);
		t->cfg[0].br = t->br;
		t->cfg[0].create = true;
		ret = netdev_create(&nd, &t->cfg[0], &t->loop);
		exit(ret == -EINVAL && !nd ? 0 : 12);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_false(link_exists(t->tap));
	assert_false(link_exists(t->br));
}

/* Stands in for every test when the host cannot run them. */
static const char *no_host_reason;

static void test_host_ready(void **state)
{
	fail_msg("test_tap needs the real host: %s", no_host_reason);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_tap_named),
		T(test_tap_default_name),
		T(test_name_in_use),
		T(test_br_not_bridge),
		T(test_missing_bridge),
		T(test_create_bridge),
		T(test_bridge_type_kernel_name),
		T(test_existing_bridge_kept),
		T(test_undo_on_failure),
		T(test_multiqueue),
		T(test_tx),
		T(test_tx_lone_frames),
		T(test_rx),
		T(test_rx_no_room),
		T(test_rx_direct),
		T(test_kernel_datapath),
		T(test_offloads),
		T(test_fd),
		T(test_no_cap),
	};
	const struct CMUnitTest not_ready[] = {
		cmocka_unit_test(test_host_ready),
	};
	int fd;

	snprintf(prefix, sizeof(prefix), "kt%u", getpid() % 10000000u);
	if (geteuid() != 0) {
		no_host_reason = "run it as root (it creates taps and bridges)";
	} else {
		fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
		if (fd < 0)
			no_host_reason = "cannot open /dev/net/tun";
		else
			close(fd);
	}
	if (no_host_reason)
		return cmocka_run_group_tests(not_ready, NULL, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
