// SPDX-License-Identifier: GPL-2.0
/*
 * The socket, stream and dgram back ends on real sockets of this host:
 * pairs of netdevs in one process (TCP on 127.0.0.1, UNIX streams, UDP,
 * UNIX datagrams, a multicast group on lo), each with a fake NIC port,
 * driven by running a kvm/loop.h loop by hand. Frames go both ways;
 * peers go away and come back; a raw socket plays a peer that sends
 * frames in pieces, bogus lengths, or does not read.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "kvm/loop.h"
#include "net/frame.h"
#include "net/netdev.h"
#include "net/socket.h"

#define MAX_ND		4
#define MAX_RX		512
#define WAIT_MS		5000

struct fake_nic {
	struct net_port port;
	int refuse;		/* receive() says "no room" this many times */
	unsigned int n;		/* frames taken */
	size_t len[MAX_RX];
	u8 *data[MAX_RX];
	unsigned int wakes;	/* the back end has room again */
};

struct t {
	struct loop loop;
	struct netdev_cfg cfg[MAX_ND];
	struct netdev *nd[MAX_ND];
	struct fake_nic nic[MAX_ND];
	int raw[MAX_ND];	/* the test's own sockets */
	char path[3][64];	/* UNIX socket paths, removed at the end */
};

#include "tests/unit/stderr_capture.h"

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run the loop until cond holds; fail after WAIT_MS. */
#define RUN_UNTIL(t, cond)                                                   \
	do {                                                                 \
		u64 end_ = now_ms() + WAIT_MS;                               \
		while (!(cond) && now_ms() < end_)                           \
			loop_run_once(&(t)->loop, 10);                       \
		if (!(cond))                                                 \
			fail_msg("line %d: timed out waiting for %s",        \
				 __LINE__, #cond);                           \
	} while (0)

static void run_for(struct t *t, unsigned int ms)
{
	u64 end = now_ms() + ms;

	while (now_ms() < end)
		loop_run_once(&t->loop, 5);
}

/* ---- the fake NIC ---- */

static ssize_t nic_receive(struct net_port *port, const struct iovec *iov,
			   int iovcnt)
{
	struct fake_nic *n = port->opaque;
	size_t len = 0, off = 0;
	int i;

	if (n->refuse > 0) {
		n->refuse--;
		return 0;
	}
	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	assert_true(n->n < MAX_RX);
	n->data[n->n] = malloc(len ? len : 1);
	assert_non_null(n->data[n->n]);
	for (i = 0; i < iovcnt; i++) {
		memcpy(n->data[n->n] + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	n->len[n->n++] = len;
	return len;
}

static void nic_wake(struct net_port *port)
{
	struct fake_nic *n = port->opaque;

	n->wakes++;
}

static const struct net_port_ops nic_ops = {
	.receive = nic_receive,
	.wake = nic_wake,
};

static void nic_clear(struct fake_nic *n)
{
	unsigned int i;

	for (i = 0; i < n->n; i++)
		free(n->data[i]);
	n->n = 0;
}

/* An Ethernet-looking frame of len bytes whose bytes say (tag, offset). */
static u8 pattern(unsigned int tag, size_t off)
{
	return (u8)(tag * 131 + off * 3 + 7);
}

static u8 *make_frame(unsigned int tag, size_t len)
{
	u8 *f = malloc(len);
	size_t i;

	assert_non_null(f);
	for (i = 0; i < len; i++)
		f[i] = pattern(tag, i);
	/* Broadcast destination, a 52:54:00 source: looks the part. */
	if (len >= 14) {
		memset(f, 0xff, 6);
		memcpy(f + 6, "\x52\x54\x00\x12\x34\x56", 6);
	}
	return f;
}

static void check_frame(const struct fake_nic *n, unsigned int i,
			unsigned int tag, size_t len)
{
	u8 *want = make_frame(tag, len);

	assert_true(i < n->n);
	assert_int_equal(n->len[i], len);
	assert_memory_equal(n->data[i], want, len);
	free(want);
}

/* The guest sends a frame: as a NIC does, one receive() then flush(). */
static ssize_t nic_tx(struct fake_nic *n, unsigned int tag, size_t len)
{
	u8 *f = make_frame(tag, len);
	struct iovec iov[2] = {
		{ f, len / 3 },
		{ f + len / 3, len - len / 3 },
	};
	ssize_t ret = net_port_send(&n->port, iov, 2);

	net_port_flush_peer(&n->port);
	free(f);
	return ret;
}

/* ---- netdevs ---- */

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));
	unsigned int i;

	assert_non_null(t);
	assert_int_equal(loop_init(&t->loop), 0);
	for (i = 0; i < MAX_ND; i++) {
		t->raw[i] = -1;
		t->cfg[i].fd = -1;
		t->nic[i].port = (struct net_port){
			.name = "nic",
			.ops = &nic_ops,
			.opaque = &t->nic[i],
		};
	}
	for (i = 0; i < ARRAY_SIZE(t->path); i++)
		snprintf(t->path[i], sizeof(t->path[i]),
			 "/tmp/knit-test-sock-%d-%u", getpid(), i);
	*state = t;
	return 0;
}

static void nd_destroy(struct t *t, unsigned int i)
{
	netdev_destroy(t->nd[i]);
	t->nd[i] = NULL;
	t->nic[i].port.peer = NULL;
	netdev_cfg_free(&t->cfg[i]);
}

static int teardown(void **state)
{
	struct t *t = *state;
	unsigned int i;

	for (i = 0; i < MAX_ND; i++) {
		if (t->nd[i])
			nd_destroy(t, i);
		if (t->raw[i] >= 0)
			close(t->raw[i]);
		nic_clear(&t->nic[i]);
	}
	for (i = 0; i < ARRAY_SIZE(t->path); i++)
		unlink(t->path[i]);
	loop_exit(&t->loop);
	free(t);
	return 0;
}

/* Parse spec (printf-style) and create netdev i on it: 0 or -errno. */
static __printf(3, 4) int nd_try(struct t *t, unsigned int i,
				 const char *fmt, ...)
{
	char spec[512];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(spec, sizeof(spec), fmt, ap);
	va_end(ap);
	ret = netdev_parse(spec, &t->cfg[i]);
	if (ret)
		fail_msg("netdev_parse(\"%s\") = %d", spec, ret);
	ret = netdev_create(&t->nd[i], &t->cfg[i], &t->loop);
	if (ret) {
		t->nd[i] = NULL;
		netdev_cfg_free(&t->cfg[i]);
		return ret;
	}
	assert_int_equal(t->nd[i]->nr_queues, 1);
	assert_false(t->nd[i]->ports[0].vnet_hdr);
	net_port_connect(&t->nic[i].port, &t->nd[i]->ports[0]);
	return 0;
}

#define ND(t, i, ...) assert_int_equal(nd_try(t, i, __VA_ARGS__), 0)

static struct socket_stats stats(struct t *t, unsigned int i)
{
	struct socket_stats st;

	socket_get_stats(t->nd[i], &st);
	return st;
}

static bool connected(struct t *t, unsigned int i)
{
	return t->nd[i] && stats(t, i).connected;
}

/* A port nobody uses now (type SOCK_STREAM or SOCK_DGRAM). */
static unsigned int free_port(int type)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, type, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

/*
 * Frames of these sizes from NIC a reach NIC b whole and in order, and
 * the other way round. tag0 keeps rounds apart.
 */
static void exchange(struct t *t, unsigned int a, unsigned int b,
		     const size_t *sizes, unsigned int n, unsigned int tag0)
{
	unsigned int i, dir;

	for (dir = 0; dir < 2; dir++) {
		unsigned int from = dir ? b : a, to = dir ? a : b;
		unsigned int base = t->nic[to].n;

		for (i = 0; i < n; i++)
			assert_int_equal(nic_tx(&t->nic[from], tag0 + i,
						sizes[i]),
					 sizes[i]);
		RUN_UNTIL(t, t->nic[to].n == base + n);
		for (i = 0; i < n; i++)
			check_frame(&t->nic[to], base + i, tag0 + i, sizes[i]);
	}
}

static const size_t stream_sizes[] = { 60, 1514, 42, 9014, 65536 + 18,
				       FRAME_MAX, 64 };
static const size_t dgram_sizes[] = { 60, 1514, 42, 9014, 65000, 64 };

/* ---- pairs ---- */

static void test_tcp_pair(void **state)
{
	struct t *t = *state;
	unsigned int port = free_port(SOCK_STREAM), i;
	struct socket_stats st;

	ND(t, 0, "socket,id=a,listen=127.0.0.1:%u", port);
	assert_false(connected(t, 0));
	ND(t, 1, "socket,id=b,connect=127.0.0.1:%u", port);
	/* The client is through at once; the server takes it in the loop. */
	assert_true(connected(t, 1));
	RUN_UNTIL(t, connected(t, 0));

	exchange(t, 0, 1, stream_sizes, ARRAY_SIZE(stream_sizes), 0);

	/* A burst larger than any socket buffer, in one batch. */
	for (i = 0; i < 100; i++)
		assert_true(nic_tx(&t->nic[0], 100 + i, 1000 + i * 7) > 0);
	RUN_UNTIL(t, t->nic[1].n == ARRAY_SIZE(stream_sizes) + 100);
	for (i = 0; i < 100; i++)
		check_frame(&t->nic[1], ARRAY_SIZE(stream_sizes) + i, 100 + i,
			    1000 + i * 7);

	st = stats(t, 0);
	assert_int_equal(st.tx_frames, ARRAY_SIZE(stream_sizes) + 100);
	assert_int_equal(st.rx_frames, ARRAY_SIZE(stream_sizes));
	assert_int_equal(st.tx_dropped, 0);
	assert_int_equal(st.rx_dropped, 0);
	assert_int_equal(st.connects, 1);
	assert_int_equal(st.disconnects, 0);

	/* Over QEMU's limit, the guest's frame is dropped here already. */
	assert_int_equal(nic_tx(&t->nic[0], 1, FRAME_MAX + 1), FRAME_MAX + 1);
	assert_int_equal(stats(t, 0).tx_dropped, 1);
}

static void test_unix_stream_pair(void **state)
{
	struct t *t = *state;

	ND(t, 0, "stream,id=a,server=on,addr.type=unix,addr.path=%s",
	   t->path[0]);
	assert_int_equal(access(t->path[0], F_OK), 0);
	ND(t, 1, "stream,id=b,server=off,addr.type=unix,addr.path=%s",
	   t->path[0]);
	assert_true(connected(t, 1));
	RUN_UNTIL(t, connected(t, 0));
	exchange(t, 0, 1, stream_sizes, ARRAY_SIZE(stream_sizes), 0);
	exchange(t, 1, 0, stream_sizes, ARRAY_SIZE(stream_sizes), 50);

	/* The server's socket goes with it. */
	nd_destroy(t, 0);
	assert_int_equal(access(t->path[0], F_OK), -1);
}

/* socket udp= on one side and dgram on the other: the same wire. */
static void test_udp_pair(void **state)
{
	struct t *t = *state;
	unsigned int p0 = free_port(SOCK_DGRAM), p1 = free_port(SOCK_DGRAM);

	ND(t, 0, "socket,id=a,udp=127.0.0.1:%u,localaddr=127.0.0.1:%u", p1,
	   p0);
	ND(t, 1,
	   "dgram,id=b,local.type=inet,local.host=127.0.0.1,local.port=%u,remote.type=inet,remote.host=127.0.0.1,remote.port=%u",
	   p1, p0);
	assert_true(connected(t, 0));
	exchange(t, 0, 1, dgram_sizes, ARRAY_SIZE(dgram_sizes), 0);
	assert_int_equal(stats(t, 1).rx_frames, ARRAY_SIZE(dgram_sizes));
	assert_int_equal(stats(t, 1).tx_frames, ARRAY_SIZE(dgram_sizes));

	/* No peer at all is no matter to UDP: the frame is gone. */
	nd_destroy(t, 1);
	assert_int_equal(nic_tx(&t->nic[0], 1, 60), 60);
	run_for(t, 20);
	assert_int_equal(stats(t, 0).tx_dropped, 0);
}

static void test_unix_dgram_pair(void **state)
{
	struct t *t = *state;

	ND(t, 0,
	   "dgram,id=a,local.type=unix,local.path=%s,remote.type=unix,remote.path=%s",
	   t->path[0], t->path[1]);
	/* Its peer is not there yet: frames are dropped and counted. */
	assert_int_equal(nic_tx(&t->nic[0], 1, 60), 60);
	assert_int_equal(stats(t, 0).tx_dropped, 1);

	ND(t, 1,
	   "dgram,id=b,local.type=unix,local.path=%s,remote.type=unix,remote.path=%s",
	   t->path[1], t->path[0]);
	exchange(t, 0, 1, dgram_sizes, ARRAY_SIZE(dgram_sizes), 0);

	nd_destroy(t, 1);
	assert_int_equal(access(t->path[1], F_OK), -1);
	assert_int_equal(nic_tx(&t->nic[0], 1, 60), 60);
	assert_int_equal(stats(t, 0).tx_dropped, 2);
}

/* Three VMs on one group on lo: each hears the others, never itself. */
static void test_mcast(void **state)
{
	struct t *t = *state;
	unsigned int port = free_port(SOCK_DGRAM), i;
	const char *group = "239.255.42.99";

	ND(t, 0, "socket,id=a,mcast=%s:%u,localaddr=127.0.0.1", group, port);
	ND(t, 1, "socket,id=b,mcast=%s:%u,localaddr=127.0.0.1", group, port);
	ND(t, 2,
	   "dgram,id=c,remote.type=inet,remote.host=%s,remote.port=%u,local.type=inet,local.host=127.0.0.1",
	   group, port);

	for (i = 0; i < 3; i++)
		assert_int_equal(nic_tx(&t->nic[i], i, 100 + i), 100 + i);
	RUN_UNTIL(t, t->nic[0].n == 2 && t->nic[1].n == 2 &&
			     t->nic[2].n == 2 && stats(t, 0).rx_echoes == 1 &&
			     stats(t, 1).rx_echoes == 1 &&
			     stats(t, 2).rx_echoes == 1);
	run_for(t, 50);
	for (i = 0; i < 3; i++) {
		unsigned int j, k = 0;

		assert_int_equal(t->nic[i].n, 2);
		for (j = 0; j < 3; j++)
			if (j != i)
				check_frame(&t->nic[i], k++, j, 100 + j);
	}
	/* The same frame from another VM is not taken for an echo. */
	assert_int_equal(nic_tx(&t->nic[0], 7, 60), 60);
	assert_int_equal(nic_tx(&t->nic[1], 7, 60), 60);
	RUN_UNTIL(t, t->nic[2].n == 4 && t->nic[0].n == 3 &&
			     t->nic[1].n == 3);
	check_frame(&t->nic[0], 2, 7, 60);
	check_frame(&t->nic[1], 2, 7, 60);
}

/* ---- the NIC is full ---- */

static void nic_full(struct t *t)
{
	unsigned int i;

	t->nic[1].refuse = 1;
	for (i = 0; i < 5; i++)
		assert_int_equal(nic_tx(&t->nic[0], i, 200 + i), 200 + i);
	/* The first frame was refused and is kept; nothing overtakes it. */
	RUN_UNTIL(t, t->nic[1].refuse == 0);
	run_for(t, 50);
	assert_int_equal(t->nic[1].n, 0);
	/* The NIC has room: everything comes, in order. */
	net_port_wake_peer(&t->nic[1].port);
	RUN_UNTIL(t, t->nic[1].n == 5);
	for (i = 0; i < 5; i++)
		check_frame(&t->nic[1], i, i, 200 + i);
	assert_int_equal(stats(t, 1).rx_dropped, 0);
	assert_int_equal(stats(t, 1).rx_frames, 5);
}

static void test_nic_full_stream(void **state)
{
	struct t *t = *state;

	ND(t, 0, "stream,id=a,server=on,addr.type=unix,addr.path=%s",
	   t->path[0]);
	ND(t, 1, "stream,id=b,addr.type=unix,addr.path=%s", t->path[0]);
	RUN_UNTIL(t, connected(t, 0));
	nic_full(t);
}

static void test_nic_full_dgram(void **state)
{
	struct t *t = *state;
	unsigned int p0 = free_port(SOCK_DGRAM), p1 = free_port(SOCK_DGRAM);

	ND(t, 0, "socket,id=a,udp=127.0.0.1:%u,localaddr=127.0.0.1:%u", p1,
	   p0);
	ND(t, 1, "socket,id=b,udp=127.0.0.1:%u,localaddr=127.0.0.1:%u", p0,
	   p1);
	nic_full(t);
}

/* ---- raw peers ---- */

static int raw_unix_connect(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	strcpy(a.sun_path, path);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

static void raw_send(int fd, const void *data, size_t len)
{
	assert_int_equal(send(fd, data, len, MSG_NOSIGNAL), len);
}

static void raw_send_frame(int fd, unsigned int tag, size_t len)
{
	u8 hdr[FRAME_HDR_LEN], *f = make_frame(tag, len);

	frame_put_len(hdr, len);
	raw_send(fd, hdr, sizeof(hdr));
	raw_send(fd, f, len);
	free(f);
}

/*
 * A peer sends frames in pieces: lengths split, bodies split, several
 * in one write, zero lengths between them.
 */
static void test_peer_pieces(void **state)
{
	struct t *t = *state;
	u8 hdr[FRAME_HDR_LEN], *f, buf[3 * (FRAME_HDR_LEN + 100)];
	size_t off = 0, cut;
	int fd;

	ND(t, 0, "stream,id=a,server=on,addr.type=unix,addr.path=%s",
	   t->path[0]);
	fd = t->raw[0] = raw_unix_connect(t->path[0]);
	RUN_UNTIL(t, connected(t, 0));

	/* The length a byte at a time, the body in three, the loop between. */
	f = make_frame(1, 300);
	frame_put_len(hdr, 300);
	for (cut = 0; cut < FRAME_HDR_LEN; cut++) {
		raw_send(fd, hdr + cut, 1);
		run_for(t, 5);
	}
	raw_send(fd, f, 100);
	run_for(t, 5);
	raw_send(fd, f + 100, 199);
	run_for(t, 5);
	assert_int_equal(t->nic[0].n, 0);
	raw_send(fd, f + 299, 1);
	free(f);
	RUN_UNTIL(t, t->nic[0].n == 1);
	check_frame(&t->nic[0], 0, 1, 300);

	/* A zero length, then three frames in one write. */
	frame_put_len(hdr, 0);
	raw_send(fd, hdr, sizeof(hdr));
	for (cut = 0; cut < 3; cut++) {
		f = make_frame(10 + cut, 100);
		frame_put_len(buf + off, 100);
		memcpy(buf + off + FRAME_HDR_LEN, f, 100);
		off += FRAME_HDR_LEN + 100;
		free(f);
	}
	raw_send(fd, buf, off);
	RUN_UNTIL(t, t->nic[0].n == 4);
	for (cut = 0; cut < 3; cut++)
		check_frame(&t->nic[0], 1 + cut, 10 + cut, 100);
	assert_int_equal(stats(t, 0).rx_empty, 1);
	assert_int_equal(stats(t, 0).rx_dropped, 1);
	assert_int_equal(stats(t, 0).rx_frames, 4);
	assert_true(connected(t, 0));
}

/*
 * A length over QEMU's limit: counted, the connection closed (the
 * stream cannot be followed after it), the next peer served.
 */
static void test_peer_oversized(void **state)
{
	struct t *t = *state;
	static const u32 bad[] = { FRAME_MAX + 1, 0x48545450 /* "HTTP" */ };
	u8 hdr[FRAME_HDR_LEN], c;
	struct socket_stats st;
	unsigned int i;
	int fd;

	ND(t, 0, "stream,id=a,server=on,addr.type=unix,addr.path=%s",
	   t->path[0]);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		fd = t->raw[0] = raw_unix_connect(t->path[0]);
		RUN_UNTIL(t, connected(t, 0));
		raw_send_frame(fd, 1, 60);
		RUN_UNTIL(t, t->nic[0].n == i + 1);

		frame_put_len(hdr, bad[i]);
		raw_send(fd, hdr, sizeof(hdr));
		raw_send(fd, "garbage", 7);
		RUN_UNTIL(t, !connected(t, 0));
		st = stats(t, 0);
		assert_int_equal(st.rx_oversized, i + 1);
		assert_int_equal(st.disconnects, i + 1);
		/* The peer sees its connection closed. */
		assert_int_equal(recv(fd, &c, 1, 0), 0);
		close(fd);
		t->raw[0] = -1;
		/* The guest's frames meanwhile are dropped and counted. */
		assert_int_equal(nic_tx(&t->nic[0], 1, 60), 60);
		assert_int_equal(stats(t, 0).tx_dropped, i + 1);
	}
	/* And the next peer is served as if nothing happened. */
	fd = t->raw[0] = raw_unix_connect(t->path[0]);
	RUN_UNTIL(t, connected(t, 0));
	raw_send_frame(fd, 5, 1514);
	RUN_UNTIL(t, t->nic[0].n == 3);
	check_frame(&t->nic[0], 2, 5, 1514);
}

/* A raw peer's side of a stream: what it read and has not cut yet. */
struct raw_reader {
	struct frame_reader r;
	u8 buf[8192];
	size_t have, off;
};

/* Read one frame as a raw stream peer, running the loop meanwhile. */
static void raw_recv_frame(struct t *t, int fd, struct raw_reader *rr,
			   unsigned int tag, size_t len)
{
	u8 *buf = rr->buf;
	size_t *have = &rr->have, *off = &rr->off;
	const u8 *frame = NULL;
	size_t flen;
	ssize_t n;
	u64 end = now_ms() + WAIT_MS;

	while (!frame) {
		if (*off == *have) {
			n = recv(fd, buf, sizeof(rr->buf), MSG_DONTWAIT);
			if (n <= 0) {
				assert_true(n < 0 && errno == EAGAIN);
				assert_true(now_ms() < end);
				loop_run_once(&t->loop, 5);
				continue;
			}
			*off = 0;
			*have = n;
		}
		n = frame_feed(&rr->r, buf + *off, *have - *off, &frame, &flen);
		assert_true(n >= 0);
		*off += n;
	}
	if (flen != len)
		fail_msg("frame %u: %zu bytes, wanted %zu", tag, flen, len);
	{
		u8 *want = make_frame(tag, len);

		assert_memory_equal(frame, want, len);
		free(want);
	}
}

/*
 * A peer that does not read: the output queue fills, receive() says 0
 * and the NIC keeps its frame; once the peer reads, the NIC is woken
 * and nothing was lost or reordered.
 */
static void test_backpressure(void **state)
{
	struct t *t = *state;
	struct raw_reader *r = calloc(1, sizeof(*r));
	unsigned int sent = 0, i;
	ssize_t ret = 1;
	int fd;

	assert_non_null(r);
	ND(t, 0, "stream,id=a,server=on,addr.type=unix,addr.path=%s",
	   t->path[0]);
	fd = t->raw[0] = raw_unix_connect(t->path[0]);
	RUN_UNTIL(t, connected(t, 0));

	while (sent < 400) {
		ret = nic_tx(&t->nic[0], sent, 60000);
		if (!ret)
			break;
		assert_int_equal(ret, 60000);
		sent++;
		run_for(t, 1);
	}
	assert_int_equal(ret, 0);
	assert_true(sent > 4);
	assert_int_equal(stats(t, 0).tx_dropped, 0);
	assert_int_equal(t->nic[0].wakes, 0);

	/* The peer reads: the NIC hears there is room, sends what it kept. */
	for (i = 0; i < sent; i++)
		raw_recv_frame(t, fd, r, i, 60000);
	RUN_UNTIL(t, t->nic[0].wakes == 1);
	assert_int_equal(nic_tx(&t->nic[0], sent, 60000), 60000);
	assert_int_equal(nic_tx(&t->nic[0], sent + 1, 60), 60);
	raw_recv_frame(t, fd, r, sent, 60000);
	raw_recv_frame(t, fd, r, sent + 1, 60);
	assert_int_equal(stats(t, 0).tx_frames, sent + 2);
	assert_int_equal(stats(t, 0).tx_dropped, 0);
	free(r);
}

/*
 * The peer goes while the NIC waits for room: the NIC is woken, what
 * waited is dropped and counted, and so is what the guest sends next.
 */
static void test_backpressure_peer_gone(void **state)
{
	struct t *t = *state;
	unsigned int sent = 0;
	u64 dropped;

	ND(t, 0, "stream,id=a,server=on,addr.type=unix,addr.path=%s",
	   t->path[0]);
	t->raw[0] = raw_unix_connect(t->path[0]);
	RUN_UNTIL(t, connected(t, 0));
	while (sent < 400 && nic_tx(&t->nic[0], sent, 60000))
		sent++;
	assert_true(sent < 400);

	capture_start();
	close(t->raw[0]);
	t->raw[0] = -1;
	RUN_UNTIL(t, t->nic[0].wakes == 1 && !connected(t, 0));
	capture_end();
	assert_int_equal(lines(err), 1);
	dropped = stats(t, 0).tx_dropped;
	assert_true(dropped >= 1);
	assert_int_equal(nic_tx(&t->nic[0], 1, 60000), 60000);
	assert_int_equal(stats(t, 0).tx_dropped, dropped + 1);
	assert_int_equal(stats(t, 0).disconnects, 1);
}

/* The server goes and comes back: a client with reconnect= follows. */
static void test_reconnect(void **state)
{
	struct t *t = *state;
	unsigned int port = free_port(SOCK_STREAM);
	struct socket_stats st;

	ND(t, 0, "socket,id=a,listen=127.0.0.1:%u", port);
	ND(t, 1,
	   "stream,id=b,addr.type=inet,addr.host=127.0.0.1,addr.port=%u,reconnect-ms=100",
	   port);
	RUN_UNTIL(t, connected(t, 0));
	exchange(t, 0, 1, stream_sizes, 3, 0);

	capture_start();
	nd_destroy(t, 0);
	RUN_UNTIL(t, !connected(t, 1));
	/* Meanwhile: the VM runs, its frames are dropped and counted. */
	assert_int_equal(nic_tx(&t->nic[1], 1, 60), 60);
	assert_int_equal(nic_tx(&t->nic[1], 2, 60), 60);
	run_for(t, 350);	/* a few refused attempts, quietly */
	capture_end();
	assert_int_equal(lines(err), 1);
	assert_non_null(strstr(err, "netdev b: the peer closed the connection; reconnecting to 127.0.0.1:"));
	st = stats(t, 1);
	assert_false(st.connected);
	assert_int_equal(st.disconnects, 1);
	assert_int_equal(st.tx_dropped, 2);

	ND(t, 0, "socket,id=a,listen=127.0.0.1:%u", port);
	RUN_UNTIL(t, connected(t, 1) && connected(t, 0));
	assert_int_equal(stats(t, 1).connects, 2);
	exchange(t, 0, 1, stream_sizes, ARRAY_SIZE(stream_sizes), 20);
}

/*
 * The client goes: the server keeps running, drops and counts, and
 * serves the next client; one client at a time, others wait their turn.
 */
static void test_server_next_peer(void **state)
{
	struct t *t = *state;
	u8 hdr[FRAME_HDR_LEN];
	struct raw_reader *r = calloc(1, sizeof(*r));
	int fd;

	assert_non_null(r);
	ND(t, 0, "socket,id=a,listen=127.0.0.1:%u",
	   free_port(SOCK_STREAM));
	ND(t, 1, "socket,id=b,connect=127.0.0.1:%u",
	   t->cfg[0].socket.addr.port);
	RUN_UNTIL(t, connected(t, 0));
	exchange(t, 0, 1, stream_sizes, 2, 0);

	nd_destroy(t, 1);
	RUN_UNTIL(t, !connected(t, 0));
	assert_int_equal(nic_tx(&t->nic[0], 1, 60), 60);
	assert_int_equal(stats(t, 0).tx_dropped, 1);

	ND(t, 1, "socket,id=b,connect=127.0.0.1:%u",
	   t->cfg[0].socket.addr.port);
	RUN_UNTIL(t, connected(t, 0));
	exchange(t, 0, 1, stream_sizes, 2, 30);

	/* A second client waits, hears nothing, until the first goes. */
	{
		struct sockaddr_in a = {
			.sin_family = AF_INET,
			.sin_port = htons(t->cfg[0].socket.addr.port),
			.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		};

		fd = t->raw[0] = socket(AF_INET, SOCK_STREAM, 0);
		assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)),
				 0);
	}
	assert_int_equal(nic_tx(&t->nic[0], 40, 60), 60);
	RUN_UNTIL(t, t->nic[1].n == 5);
	assert_int_equal(recv(fd, hdr, 1, MSG_DONTWAIT), -1);
	nd_destroy(t, 1);
	RUN_UNTIL(t, stats(t, 0).connects == 3 && connected(t, 0));
	assert_int_equal(nic_tx(&t->nic[0], 41, 70), 70);
	raw_recv_frame(t, fd, r, 41, 70);
	free(r);
}

/* A client without reconnect= whose server goes: alone, but running. */
static void test_client_alone(void **state)
{
	struct t *t = *state;

	ND(t, 0, "stream,id=a,server=on,addr.type=unix,addr.path=%s",
	   t->path[0]);
	ND(t, 1, "stream,id=b,addr.type=unix,addr.path=%s", t->path[0]);
	RUN_UNTIL(t, connected(t, 0));
	capture_start();
	nd_destroy(t, 0);
	RUN_UNTIL(t, !connected(t, 1));
	capture_end();
	assert_non_null(strstr(err, "frames to unix:"));
	assert_non_null(strstr(err, "are dropped from now on"));
	assert_int_equal(nic_tx(&t->nic[1], 1, 60), 60);
	run_for(t, 50);
	assert_false(connected(t, 1));
	assert_int_equal(stats(t, 1).tx_dropped, 1);
}

/* ---- set-up errors: one line, -EINVAL ---- */

static void bad_create(struct t *t, const char *spec, const char *want)
{
	int ret;

	capture_start();
	ret = nd_try(t, 3, "%s", spec);
	capture_end();
	if (ret != -EINVAL || lines(err) != 1 || !strstr(err, want))
		fail_msg("\"%s\": %d, printed \"%s\", wanted one line with \"%s\"",
			 spec, ret, err, want);
	assert_null(t->nd[3]);
}

static void test_create_errors(void **state)
{
	struct t *t = *state;
	unsigned int port = free_port(SOCK_STREAM);
	char spec[256];
	FILE *f;

	snprintf(spec, sizeof(spec), "socket,id=n,connect=127.0.0.1:%u", port);
	bad_create(t, spec, "netdev n: cannot connect to 127.0.0.1:");
	assert_non_null(strstr(err, "Connection refused"));

	snprintf(spec, sizeof(spec), "stream,id=n,addr.type=unix,addr.path=%s",
		 t->path[2]);
	bad_create(t, spec, "No such file or directory");

	ND(t, 0, "socket,id=a,listen=127.0.0.1:%u", port);
	snprintf(spec, sizeof(spec), "socket,id=n,listen=127.0.0.1:%u", port);
	bad_create(t, spec, "Address already in use");

	/* A file that is not a socket is not ours to replace. */
	f = fopen(t->path[1], "w");
	assert_non_null(f);
	fclose(f);
	snprintf(spec, sizeof(spec),
		 "stream,id=n,server=on,addr.type=unix,addr.path=%s",
		 t->path[1]);
	bad_create(t, spec, "exists and is not a socket");
	assert_int_equal(access(t->path[1], F_OK), 0);

	/* Nor is the socket of a running server... */
	ND(t, 1, "stream,id=s,server=on,addr.type=unix,addr.path=%s",
	   t->path[0]);
	snprintf(spec, sizeof(spec),
		 "stream,id=n,server=on,addr.type=unix,addr.path=%s",
		 t->path[0]);
	bad_create(t, spec, "is in use by a running program");
	/* ...but a dead one's is, as QEMU does it. */
	{
		int fd = raw_unix_connect(t->path[0]);

		close(fd);
	}
	nd_destroy(t, 1);
	{
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		strcpy(a.sun_path, t->path[0]);
		assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
		close(fd);	/* bound, never listened: stale */
	}
	ND(t, 1, "stream,id=s,server=on,addr.type=unix,addr.path=%s",
	   t->path[0]);

	bad_create(t, "socket,id=n,connect=no-such-host.invalid:1",
		   "cannot resolve no-such-host.invalid");
	bad_create(t, "socket,id=n,mcast=239.1.2.3:5000,localaddr=203.0.113.254",
		   "netdev n: cannot join 239.1.2.3:5000");

	/* With reconnect=, a missing server is no error: it may come. */
	capture_start();
	ND(t, 2, "socket,id=r,connect=127.0.0.1:%u,reconnect=1",
	   free_port(SOCK_STREAM));
	capture_end();
	assert_int_equal(lines(err), 1);
	assert_non_null(strstr(err, "trying every 1.000 s"));
	assert_false(connected(t, 2));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_tcp_pair),
		T(test_unix_stream_pair),
		T(test_udp_pair),
		T(test_unix_dgram_pair),
		T(test_mcast),
		T(test_nic_full_stream),
		T(test_nic_full_dgram),
		T(test_peer_pieces),
		T(test_peer_oversized),
		T(test_backpressure),
		T(test_backpressure_peer_gone),
		T(test_reconnect),
		T(test_server_next_peer),
		T(test_client_alone),
		T(test_create_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
