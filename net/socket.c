// SPDX-License-Identifier: GPL-2.0
/*
 * Back ends that join VMs over host sockets, framed as QEMU frames them:
 * --netdev socket (listen=, connect=, mcast=, udp=), stream and dgram.
 * Everything runs on the main loop and nothing blocks it: sockets are
 * non-blocking, connects complete in the loop, reconnects wait on a
 * timerfd.
 *
 * Streams (listen, connect): a 4-byte big-endian length before each
 * frame (net/frame.c).
 *  - Guest -> peer: receive() appends the frame to a bounded output
 *    queue (SOCK_OUTQ_SIZE); flush(), at the end of the NIC's batch,
 *    writes the queue out in one send(). What the socket does not take
 *    waits for EPOLLOUT. When a frame does not fit, receive() says 0 and
 *    the NIC keeps it; it is woken once the queue has room for the
 *    largest frame again. So a slow peer slows the guest down, as a
 *    full tap would, rather than losing frames.
 *  - Peer -> guest: recv() in chunks, cut into frames; a frame that lay
 *    whole in one chunk goes to the NIC in place. When the NIC has no
 *    room the frame is kept, the socket is not read, and the NIC's
 *    wake() resumes.
 *  - A length over FRAME_MAX (QEMU's limit, 64 KiB + 4 KiB) is counted
 *    and the connection closed: after a bogus length the stream cannot
 *    be followed, and QEMU closes it too. A zero length is counted and
 *    skipped; it does not lose count.
 *  - When the peer goes, or the connection is cut, what waited in the
 *    output queue is dropped and counted, and so is every frame from the
 *    guest until a new peer is there: a server takes the next client
 *    (one at a time; others wait in the backlog), a client with
 *    reconnect= tries every so many seconds, a client without stays
 *    alone. The VM runs on in any case.
 *
 * Datagrams (mcast, udp, dgram): one frame per datagram, sent straight
 * from receive() with the NIC's buffers. A datagram socket that is full
 * drops the frame and counts it (datagrams may be lost anyway); the NIC
 * is never held. Datagrams over FRAME_MAX or empty are dropped and
 * counted. On a multicast group our own frames come back
 * (IP_MULTICAST_LOOP is on so that VMs on one host hear each other):
 * they are recognised by a hash of the last frames sent and skipped, so
 * a guest never sees its own frames.
 *
 * All wakes of the NIC for transmit go through an eventfd on the loop,
 * never from inside the NIC's own receive() or flush() call.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include "knit/hash.h"
#include "kvm/loop.h"
#include "net/frame.h"
#include "net/socket.h"

#define SOCK_OUTQ_SIZE	(4 * (FRAME_HDR_LEN + FRAME_MAX))
#define SOCK_RX_READS	4	/* stream chunks per wakeup before yielding */
#define SOCK_RX_BUDGET	64	/* datagrams per wakeup before yielding */
#define SOCK_MAX_ADDRS	4	/* addresses a client tries, in order */
#define SOCK_BACKLOG	4
#define SOCK_CONNECT_WAIT_MS 3000	/* at start-up, for a refusal to come */
#define ECHO_SLOTS	64	/* multicast frames sent, remembered */

enum sock_state {
	SOCK_DOWN,		/* no peer */
	SOCK_CONNECTING,	/* client: connect() under way */
	SOCK_UP,		/* a peer; datagram sockets always */
};

struct sock_addr {
	struct sockaddr_storage sa;
	socklen_t len;
};

struct echo_slot {
	u32 hash;
	u32 len;		/* 0: free */
};

struct sock_backend {
	struct netdev nd;
	const struct netdev_cfg *cfg;
	const struct socket_cfg *sc;
	struct loop *loop;
	bool stream;		/* LISTEN or CONNECT */
	char where[160];	/* the address, for messages */

	struct sock_addr addrs[SOCK_MAX_ADDRS];	/* peer, group or listener */
	unsigned int nr_addrs;
	struct sock_addr local;			/* datagrams: bound */
	const char *unlink_path;	/* a UNIX path we bound, removed at the end */

	enum sock_state state;
	bool started;		/* create() is over: connections are news */
	bool told;		/* said the peer is away; quiet till it is back */
	unsigned int addr_idx;	/* the address a connect() under way is to */
	int fd;			/* connection or datagram socket, or -1 */
	u32 fd_events;		/* what the loop polls fd for; 0: not in it */
	int listen_fd;
	bool listen_polled;
	int timer_fd;		/* reconnect= */
	int kick_fd;		/* an eventfd: wake the NIC from the loop */

	/* peer -> guest */
	u8 *rx_buf;		/* a stream chunk or a datagram */
	size_t rx_off, rx_len;	/* stream: bytes of rx_buf not yet fed */
	struct frame_reader *reader;
	bool rx_held;		/* a frame the NIC had no room for */
	const u8 *held;
	size_t held_len;

	/* guest -> peer */
	struct frame_outq outq;
	bool tx_blocked;	/* receive() said 0: wake the NIC on room */
	struct echo_slot echo[ECHO_SLOTS];
	unsigned int echo_next;

	struct socket_stats st;
};

static struct sock_backend *to_sock(struct netdev *nd)
{
	return container_of(nd, struct sock_backend, nd);
}

static __printf(2, 3) int sock_usage(struct sock_backend *be,
				     const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("netdev %s: %s", be->cfg->id, msg);
	return -EINVAL;
}

static size_t iov_size(const struct iovec *iov, int iovcnt)
{
	size_t len = 0;
	int i;

	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	return len;
}

/* ---- polling ---- */

static void sock_ready(void *opaque, u32 events);
static void sock_accept(void *opaque, u32 events);

static void sock_poll_listener(struct sock_backend *be)
{
	bool want = be->listen_fd >= 0 && be->state == SOCK_DOWN;

	if (want == be->listen_polled)
		return;
	if (!want) {
		loop_del(be->loop, be->listen_fd);
		be->listen_polled = false;
	} else if (!loop_add(be->loop, be->listen_fd, EPOLLIN, sock_accept,
			     be)) {
		be->listen_polled = true;
	} else {
		pr_err("netdev %s: cannot poll the listening socket",
		       be->cfg->id);
	}
}

/* Poll fd for what we can use now; the listener while there is no peer. */
static void sock_poll(struct sock_backend *be)
{
	u32 want = 0;

	if (be->fd >= 0 && be->state == SOCK_CONNECTING) {
		want = EPOLLOUT;
	} else if (be->fd >= 0) {
		if (!be->rx_held)
			want |= EPOLLIN;
		if (!frame_outq_empty(&be->outq) || be->tx_blocked)
			want |= EPOLLOUT;
	}
	if (want != be->fd_events) {
		if (be->fd_events)
			loop_del(be->loop, be->fd);
		be->fd_events = 0;
		if (want && !loop_add(be->loop, be->fd, want, sock_ready, be))
			be->fd_events = want;
		else if (want)
			pr_err("netdev %s: cannot poll its socket",
			       be->cfg->id);
	}
	sock_poll_listener(be);
}

/* Wake the NIC from the loop, not from inside one of its calls. */
static void sock_kick(struct sock_backend *be)
{
	eventfd_write(be->kick_fd, 1);
}

static void sock_kicked(void *opaque, u32 events)
{
	struct sock_backend *be = opaque;
	eventfd_t v;

	eventfd_read(be->kick_fd, &v);
	if (be->tx_blocked) {
		be->tx_blocked = false;
		sock_poll(be);
		net_port_wake_peer(&be->nd.ports[0]);
	}
}

/* ---- connections ---- */

static void fmt_sockaddr(const struct sock_addr *a, char *buf, size_t len)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	const struct sockaddr_un *un = (const void *)&a->sa;

	if (a->sa.ss_family == AF_UNIX) {
		snprintf(buf, len, "unix:%s",
			 a->len > offsetof(struct sockaddr_un, sun_path) &&
					 un->sun_path[0] ?
				 un->sun_path :
				 "(unnamed)");
		return;
	}
	if (getnameinfo((const struct sockaddr *)&a->sa, a->len, host,
			sizeof(host), serv, sizeof(serv),
			NI_NUMERICHOST | NI_NUMERICSERV)) {
		snprintf(buf, len, "(unknown)");
		return;
	}
	snprintf(buf, len, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host,
		 serv);
}

static void sock_arm_reconnect(struct sock_backend *be)
{
	unsigned int ms = be->sc->reconnect_ms;
	struct itimerspec its = {
		.it_value = { .tv_sec = ms / 1000,
			      .tv_nsec = (long)(ms % 1000) * 1000000 },
	};

	if (be->timer_fd >= 0)
		timerfd_settime(be->timer_fd, 0, &its, NULL);
}

/* A peer is there: peer names it for a server (NULL: a UNIX client). */
static void sock_up(struct sock_backend *be, int fd, const char *peer)
{
	int one = 1;

	be->fd = fd;
	be->state = SOCK_UP;
	be->rx_off = be->rx_len = 0;
	be->rx_held = false;
	frame_reader_reset(be->reader);
	if (be->addrs[0].sa.ss_family != AF_UNIX)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	be->st.connects++;
	be->told = false;
	if (be->started && be->sc->mode == SOCKET_LISTEN)
		pr_info("netdev %s: a peer connected %s %s", be->cfg->id,
			peer ? "from" : "on", peer ? peer : be->where);
	else if (be->started)
		pr_info("netdev %s: connected to %s", be->cfg->id, be->where);
	sock_poll(be);
}

/* The connection is gone (why: for the message); the VM carries on. */
static void sock_down(struct sock_backend *be, const char *why)
{
	bool client = be->sc->mode == SOCKET_CONNECT;

	if (be->fd_events)
		loop_del(be->loop, be->fd);
	be->fd_events = 0;
	if (be->fd >= 0)
		close(be->fd);
	be->fd = -1;
	be->st.tx_dropped += frame_outq_clear(&be->outq);
	if (be->rx_held)
		be->st.rx_dropped++;
	be->rx_held = false;
	be->st.disconnects++;
	be->state = SOCK_DOWN;
	if (!client)
		pr_warn("netdev %s: %s; waiting for the next peer on %s",
			be->cfg->id, why, be->where);
	else if (be->sc->reconnect_ms)
		pr_warn("netdev %s: %s; reconnecting to %s every %u.%03u s",
			be->cfg->id, why, be->where,
			be->sc->reconnect_ms / 1000,
			be->sc->reconnect_ms % 1000);
	else
		pr_warn("netdev %s: %s; frames to %s are dropped from now on",
			be->cfg->id, why, be->where);
	be->told = true;
	if (client)
		sock_arm_reconnect(be);
	/* The NIC may be waiting for room: it is told to send and drop. */
	if (be->tx_blocked)
		sock_kick(be);
	sock_poll(be);
}

/* Wait up to ms for a connect() under way: 0, -errno, or -EINPROGRESS. */
static int connect_wait(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0;

	if (poll(&p, 1, ms) <= 0)
		return -EINPROGRESS;	/* the loop sees it through */
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -errno;
	return -err;
}

/*
 * Connect to the addresses from i on, in turn, until one does not
 * refuse; wait_ms lets a refusal come in before giving up on one (at
 * start-up only: the loop never waits). 0 when connected or under way;
 * else -errno from the last address.
 */
static int sock_connect_from(struct sock_backend *be, unsigned int i,
			     int wait_ms)
{
	int fd, err = -ECONNREFUSED;

	for (; i < be->nr_addrs; i++) {
		const struct sock_addr *a = &be->addrs[i];

		fd = socket(a->sa.ss_family,
			    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		err = connect(fd, (const struct sockaddr *)&a->sa, a->len) ?
			      -errno : 0;
		if (err == -EINPROGRESS && wait_ms)
			err = connect_wait(fd, wait_ms);
		if (!err) {
			sock_up(be, fd, NULL);
			return 0;
		}
		if (err == -EINPROGRESS) {
			be->fd = fd;
			be->addr_idx = i;
			be->state = SOCK_CONNECTING;
			sock_poll(be);
			return 0;
		}
		close(fd);
	}
	return err;
}

/* Every address refused (err): try again later, or give up. */
static void sock_retry_later(struct sock_backend *be, int err)
{
	if (!be->told && be->sc->reconnect_ms)
		pr_warn("netdev %s: cannot connect to %s: %s; trying every %u.%03u s",
			be->cfg->id, be->where, strerror(err),
			be->sc->reconnect_ms / 1000,
			be->sc->reconnect_ms % 1000);
	else if (!be->told)
		pr_warn("netdev %s: cannot connect to %s: %s; frames to it are dropped",
			be->cfg->id, be->where, strerror(err));
	be->told = true;
	sock_arm_reconnect(be);
}

/* connect() finished in the loop, one way or the other. */
static void sock_connected(struct sock_backend *be)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(be->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (!err) {
		sock_up(be, be->fd, NULL);
		return;
	}
	if (be->fd_events)
		loop_del(be->loop, be->fd);
	be->fd_events = 0;
	close(be->fd);
	be->fd = -1;
	be->state = SOCK_DOWN;
	if (be->addr_idx + 1 < be->nr_addrs)
		err = -sock_connect_from(be, be->addr_idx + 1, 0);
	if (err)
		sock_retry_later(be, err);
	sock_poll(be);
}

static void sock_timer(void *opaque, u32 events)
{
	struct sock_backend *be = opaque;
	u64 n;
	int err;

	if (read(be->timer_fd, &n, sizeof(n)) < 0 || be->state != SOCK_DOWN)
		return;
	/* Quiet while the peer stays away: one line said we retry. */
	err = -sock_connect_from(be, 0, 0);
	if (err)
		sock_retry_later(be, err);
}

static void sock_accept(void *opaque, u32 events)
{
	struct sock_backend *be = opaque;
	struct sock_addr peer = { .len = sizeof(peer.sa) };
	char name[160];
	int fd;

	fd = accept4(be->listen_fd, (struct sockaddr *)&peer.sa, &peer.len,
		     SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (be->state != SOCK_DOWN) {
		close(fd);	/* not polled then; only a race */
		return;
	}
	fmt_sockaddr(&peer, name, sizeof(name));
	/* A UNIX client has no name; the socket's path says more. */
	sock_up(be, fd, peer.sa.ss_family == AF_UNIX ? NULL : name);
}

/* ---- peer -> guest ---- */

/* Hand the held frame to the NIC; false when it has no room (kept). */
static bool sock_deliver(struct sock_backend *be)
{
	struct iovec iov = { (void *)be->held, be->held_len };
	ssize_t ret = net_port_send(&be->nd.ports[0], &iov, 1);

	if (ret == 0)
		return false;
	if (ret < 0)
		be->st.rx_dropped++;
	else
		be->st.rx_frames++;
	be->rx_held = false;
	return true;
}

static void stream_rx(struct sock_backend *be)
{
	unsigned int reads = SOCK_RX_READS, sent = 0;
	u64 empty = be->reader->empty;
	const u8 *frame;
	size_t len;
	ssize_t n;

	while (be->state == SOCK_UP) {
		if (be->rx_held) {
			if (!sock_deliver(be))
				break;
			sent++;
		}
		if (be->rx_off == be->rx_len) {
			if (!reads--)
				break;
			n = recv(be->fd, be->rx_buf, FRAME_MAX, MSG_DONTWAIT);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				break;
			if (n <= 0) {
				sock_down(be, n ? strerror(errno) :
						  "the peer closed the connection");
				break;
			}
			be->rx_off = 0;
			be->rx_len = n;
		}
		n = frame_feed(be->reader, be->rx_buf + be->rx_off,
			       be->rx_len - be->rx_off, &frame, &len);
		if (n < 0) {
			char why[128];

			be->st.rx_dropped++;
			snprintf(why, sizeof(why),
				 "the peer sent a frame length of %u (at most %d): the stream cannot be followed",
				 be->reader->len, FRAME_MAX);
			sock_down(be, why);
			break;
		}
		be->rx_off += n;
		if (frame) {
			be->held = frame;
			be->held_len = len;
			be->rx_held = true;
		}
	}
	if (sent)
		net_port_flush_peer(&be->nd.ports[0]);
	/* Zero lengths were skipped: dropped, as far as the guest goes. */
	be->st.rx_dropped += be->reader->empty - empty;
	be->st.rx_empty = be->reader->empty;
	be->st.rx_oversized = be->reader->oversized;
	sock_poll(be);
}


static void echo_remember(struct sock_backend *be, const struct iovec *iov,
			  int iovcnt, size_t len)
{
	u32 h = FNV1A_SEED;
	int i;

	for (i = 0; i < iovcnt; i++)
		h = fnv1a(h, iov[i].iov_base, iov[i].iov_len);
	be->echo[be->echo_next] = (struct echo_slot){ h, len };
	be->echo_next = (be->echo_next + 1) % ECHO_SLOTS;
}

/* One of our own frames, back from the group? Each is taken once. */
static bool echo_match(struct sock_backend *be, const u8 *data, size_t len)
{
	u32 h = fnv1a(FNV1A_SEED, data, len);
	unsigned int i;

	for (i = 0; i < ECHO_SLOTS; i++) {
		struct echo_slot *e = &be->echo[i];

		if (e->len == len && e->hash == h) {
			e->len = 0;
			return true;
		}
	}
	return false;
}

static void dgram_rx(struct sock_backend *be)
{
	unsigned int budget = SOCK_RX_BUDGET, sent = 0;
	ssize_t n;

	while (budget--) {
		if (!be->rx_held) {
			n = recv(be->fd, be->rx_buf, FRAME_MAX,
				 MSG_DONTWAIT | MSG_TRUNC);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				break;	/* EAGAIN, or an error now cleared */
			if (n > FRAME_MAX || !n) {
				be->st.rx_dropped++;
				if (n)
					be->st.rx_oversized++;
				else
					be->st.rx_empty++;
				continue;
			}
			if (be->sc->mode == SOCKET_MCAST &&
			    echo_match(be, be->rx_buf, n)) {
				be->st.rx_echoes++;
				continue;
			}
			be->held = be->rx_buf;
			be->held_len = n;
			be->rx_held = true;
		}
		if (!sock_deliver(be))
			break;
		sent++;
	}
	if (sent)
		net_port_flush_peer(&be->nd.ports[0]);
	sock_poll(be);
}

/* ---- guest -> peer ---- */

/* Write out what waits; wake the NIC (from the loop) once there is room. */
static void stream_tx(struct sock_backend *be)
{
	const u8 *data;
	size_t len;
	ssize_t n;

	while (be->state == SOCK_UP && !frame_outq_empty(&be->outq)) {
		data = frame_outq_data(&be->outq, &len);
		n = send(be->fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0) {
			sock_down(be, strerror(errno));
			return;
		}
		frame_outq_consume(&be->outq, n);
	}
	if (be->tx_blocked && frame_outq_fits(&be->outq, FRAME_MAX))
		sock_kick(be);
	sock_poll(be);
}

static ssize_t dgram_tx(struct sock_backend *be, const struct iovec *iov,
			int iovcnt, size_t len)
{
	struct msghdr m = {
		.msg_name = &be->addrs[0].sa,
		.msg_namelen = be->addrs[0].len,
		.msg_iov = (struct iovec *)iov,
		.msg_iovlen = iovcnt,
	};

	if (sendmsg(be->fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		be->st.tx_dropped++;
		return len;
	}
	if (be->sc->mode == SOCKET_MCAST)
		echo_remember(be, iov, iovcnt, len);
	be->st.tx_frames++;
	return len;
}

static ssize_t sock_receive(struct net_port *port, const struct iovec *iov,
			    int iovcnt)
{
	struct sock_backend *be = port->opaque;
	size_t len = iov_size(iov, iovcnt);

	if (len > FRAME_MAX || !len || be->state != SOCK_UP) {
		be->st.tx_dropped++;
		return len;
	}
	if (!be->stream)
		return dgram_tx(be, iov, iovcnt, len);
	if (!frame_outq_push(&be->outq, iov, iovcnt)) {
		/* Make room, then try once more; else the NIC waits. */
		stream_tx(be);
		if (be->state != SOCK_UP) {
			be->st.tx_dropped++;
			return len;
		}
		if (!frame_outq_push(&be->outq, iov, iovcnt)) {
			be->tx_blocked = true;
			sock_poll(be);
			return 0;
		}
	}
	be->st.tx_frames++;
	return len;
}

static void sock_flush(struct net_port *port)
{
	struct sock_backend *be = port->opaque;

	if (be->stream)
		stream_tx(be);
}

/* The NIC has room again: hand over the kept frame, then read on. */
static void sock_wake(struct net_port *port)
{
	struct sock_backend *be = port->opaque;

	if (!be->rx_held || be->state != SOCK_UP)
		return;
	if (be->stream)
		stream_rx(be);
	else
		dgram_rx(be);
}

static void sock_ready(void *opaque, u32 events)
{
	struct sock_backend *be = opaque;

	if (be->state == SOCK_CONNECTING) {
		sock_connected(be);
		return;
	}
	if (be->state != SOCK_UP)
		return;
	if (!be->stream) {
		dgram_rx(be);
		return;
	}
	if (events & EPOLLOUT)
		stream_tx(be);
	/* Reading finds an error or the end; a held frame cannot wait it. */
	if (be->state == SOCK_UP && be->rx_held &&
	    (events & (EPOLLERR | EPOLLHUP)))
		sock_down(be, "the connection broke");
	else if (be->state == SOCK_UP && !be->rx_held &&
		 (events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
		stream_rx(be);
}

static const struct net_port_ops sock_port_ops = {
	.receive = sock_receive,
	.wake = sock_wake,
	.flush = sock_flush,
};

/* ---- set-up ---- */

static int unix_addr(struct sock_backend *be, const char *path,
		     struct sock_addr *out)
{
	struct sockaddr_un *un = (struct sockaddr_un *)&out->sa;

	if (strlen(path) >= sizeof(un->sun_path))
		return sock_usage(be, "%s: the path is too long for a UNIX socket",
				  path);
	memset(out, 0, sizeof(*out));
	un->sun_family = AF_UNIX;
	strcpy(un->sun_path, path);
	out->len = offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
	return 0;
}

/*
 * Up to max addresses of a (family: AF_UNSPEC, or the one a bound end
 * already has). An empty host is any IPv4 address (or IPv6 when family
 * says so).
 */
static int inet_addrs(struct sock_backend *be, const struct socket_addr *a,
		      int family, struct sock_addr *out, unsigned int max,
		      unsigned int *nr)
{
	struct addrinfo hints = {
		.ai_family = family,
		.ai_socktype = be->stream ? SOCK_STREAM : SOCK_DGRAM,
		.ai_flags = AI_NUMERICSERV,
	};
	struct addrinfo *res, *ai;
	const char *host = a->host;
	char port[8];
	int ret;

	if (!host || !*host) {
		host = NULL;
		hints.ai_flags |= AI_PASSIVE;
		if (family == AF_UNSPEC)
			hints.ai_family = AF_INET;
	}
	snprintf(port, sizeof(port), "%u", a->port);
	ret = getaddrinfo(host, port, &hints, &res);
	if (ret)
		return sock_usage(be, "cannot resolve %s: %s", a->host,
				  gai_strerror(ret));
	*nr = 0;
	for (ai = res; ai && *nr < max; ai = ai->ai_next) {
		if (ai->ai_addrlen > sizeof(out[*nr].sa))
			continue;
		memcpy(&out[*nr].sa, ai->ai_addr, ai->ai_addrlen);
		out[*nr].len = ai->ai_addrlen;
		(*nr)++;
	}
	freeaddrinfo(res);
	if (!*nr)
		return sock_usage(be, "%s has no address", a->host);
	return 0;
}

static int resolve(struct sock_backend *be, const struct socket_addr *a,
		   int family, struct sock_addr *out, unsigned int max,
		   unsigned int *nr)
{
	if (a->type == SOCKET_ADDR_UNIX) {
		*nr = 1;
		return unix_addr(be, a->path, out);
	}
	return inet_addrs(be, a, family, out, max, nr);
}

/*
 * A UNIX path to bind: a socket left there (by an earlier run) goes, as
 * QEMU does it; anything else there is not ours to remove.
 */
static int unix_prepare(struct sock_backend *be, const struct sock_addr *a,
			const char *path, int type)
{
	struct stat st;
	int fd, live;

	if (lstat(path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode))
		return sock_usage(be, "%s exists and is not a socket", path);
	/* One that answers belongs to someone running: not ours to take. */
	fd = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	live = fd >= 0 && !connect(fd, (const struct sockaddr *)&a->sa, a->len);
	if (fd >= 0)
		close(fd);
	if (live)
		return sock_usage(be, "%s is in use by a running program", path);
	if (unlink(path) < 0)
		return sock_usage(be, "cannot remove the old socket %s: %s",
				  path, strerror(errno));
	return 0;
}

/* A socket bound to a (and unlinked at the end when it is a path). */
static int bound_socket(struct sock_backend *be, const struct sock_addr *a,
			const char *path, int type, int *out)
{
	int one = 1, fd, ret;
	char name[160];

	if (path && unix_prepare(be, a, path, type))
		return -EINVAL;
	fd = socket(a->sa.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (a->sa.ss_family != AF_UNIX)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&a->sa, a->len) < 0) {
		ret = errno;
		close(fd);
		fmt_sockaddr(a, name, sizeof(name));
		return sock_usage(be, "cannot bind %s: %s", name,
				  strerror(ret));
	}
	if (path)
		be->unlink_path = path;
	*out = fd;
	return 0;
}

static int sock_start_listen(struct sock_backend *be)
{
	const struct socket_addr *a = &be->sc->addr;
	int ret;

	ret = resolve(be, a, AF_UNSPEC, be->addrs, 1, &be->nr_addrs);
	if (!ret)
		ret = bound_socket(be, &be->addrs[0],
				   a->type == SOCKET_ADDR_UNIX ? a->path : NULL,
				   SOCK_STREAM, &be->listen_fd);
	if (ret)
		return ret;
	if (listen(be->listen_fd, SOCK_BACKLOG) < 0)
		return sock_usage(be, "cannot listen on %s: %s", be->where,
				  strerror(errno));
	sock_poll(be);
	return 0;
}

static int sock_start_connect(struct sock_backend *be)
{
	int ret;

	ret = resolve(be, &be->sc->addr, AF_UNSPEC, be->addrs, SOCK_MAX_ADDRS,
		      &be->nr_addrs);
	if (ret)
		return ret;
	if (be->sc->reconnect_ms) {
		be->timer_fd = timerfd_create(CLOCK_MONOTONIC,
					      TFD_NONBLOCK | TFD_CLOEXEC);
		if (be->timer_fd < 0)
			return -errno;
		ret = loop_add(be->loop, be->timer_fd, EPOLLIN, sock_timer, be);
		if (ret) {
			close(be->timer_fd);
			be->timer_fd = -1;
			return ret;
		}
	}
	ret = sock_connect_from(be, 0, SOCK_CONNECT_WAIT_MS);
	if (!ret)
		return 0;
	if (!be->sc->reconnect_ms)
		return sock_usage(be, "cannot connect to %s: %s", be->where,
				  strerror(-ret));
	/* The peer may come later: the VM starts without it. */
	sock_retry_later(be, -ret);
	return 0;
}

static int mcast_join(struct sock_backend *be)
{
	const struct sockaddr_in *group = (const void *)&be->addrs[0].sa;
	struct ip_mreq mreq = { .imr_multiaddr = group->sin_addr };
	struct in_addr ifaddr = { .s_addr = htonl(INADDR_ANY) };
	int one = 1, ttl = 1;

	if (be->sc->local.type == SOCKET_ADDR_INET &&
	    inet_pton(AF_INET, be->sc->local.host, &ifaddr) != 1)
		return sock_usage(be, "%s is not an IPv4 address",
				  be->sc->local.host);
	mreq.imr_interface = ifaddr;
	if (setsockopt(be->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
		       sizeof(mreq)) < 0)
		return sock_usage(be, "cannot join %s: %s", be->where,
				  strerror(errno));
	/* Other VMs on this host hear us; our own echo is skipped. */
	setsockopt(be->fd, IPPROTO_IP, IP_MULTICAST_LOOP, &one, sizeof(one));
	setsockopt(be->fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl));
	if (ifaddr.s_addr != htonl(INADDR_ANY) &&
	    setsockopt(be->fd, IPPROTO_IP, IP_MULTICAST_IF, &ifaddr,
		       sizeof(ifaddr)) < 0)
		return sock_usage(be, "cannot send to %s from %s: %s",
				  be->where, be->sc->local.host,
				  strerror(errno));
	return 0;
}

/* Both ends of udp=/dgram, of one family; an empty local host is any. */
static int udp_resolve(struct sock_backend *be)
{
	const struct socket_cfg *sc = be->sc;
	unsigned int nr;
	int ret;

	if (sc->local.type == SOCKET_ADDR_INET && !*sc->local.host) {
		ret = resolve(be, &sc->addr, AF_UNSPEC, be->addrs, 1,
			      &be->nr_addrs);
		if (!ret)
			ret = resolve(be, &sc->local,
				      be->addrs[0].sa.ss_family, &be->local, 1,
				      &nr);
		return ret;
	}
	ret = resolve(be, &sc->local, AF_UNSPEC, &be->local, 1, &nr);
	if (!ret)
		ret = resolve(be, &sc->addr, be->local.sa.ss_family, be->addrs,
			      1, &be->nr_addrs);
	return ret;
}

static int sock_start_dgram(struct sock_backend *be)
{
	const struct socket_cfg *sc = be->sc;
	int ret;

	if (sc->mode == SOCKET_MCAST) {
		ret = resolve(be, &sc->addr, AF_INET, be->addrs, 1,
			      &be->nr_addrs);
		/* Bound to the group itself: only its datagrams come in. */
		if (!ret)
			ret = bound_socket(be, &be->addrs[0], NULL, SOCK_DGRAM,
					   &be->fd);
		if (!ret)
			ret = mcast_join(be);
	} else {
		ret = udp_resolve(be);
		if (!ret)
			ret = bound_socket(be, &be->local,
					   sc->local.type == SOCKET_ADDR_UNIX ?
						   sc->local.path : NULL,
					   SOCK_DGRAM, &be->fd);
	}
	if (ret)
		return ret;
	be->state = SOCK_UP;
	sock_poll(be);
	return 0;
}

static void sock_undo(struct sock_backend *be)
{
	if (be->fd_events)
		loop_del(be->loop, be->fd);
	if (be->fd >= 0)
		close(be->fd);
	if (be->listen_polled)
		loop_del(be->loop, be->listen_fd);
	if (be->listen_fd >= 0)
		close(be->listen_fd);
	if (be->timer_fd >= 0) {
		loop_del(be->loop, be->timer_fd);
		close(be->timer_fd);
	}
	if (be->kick_fd >= 0) {
		loop_del(be->loop, be->kick_fd);
		close(be->kick_fd);
	}
	if (be->unlink_path)
		unlink(be->unlink_path);
	frame_outq_free(&be->outq);
	free(be->reader);
	free(be->rx_buf);
	free(be);
}

static int sock_start(struct sock_backend *be)
{
	int ret;

	be->rx_buf = malloc(FRAME_MAX);
	if (!be->rx_buf)
		return -ENOMEM;
	if (be->stream) {
		be->reader = calloc(1, sizeof(*be->reader));
		if (!be->reader)
			return -ENOMEM;
		ret = frame_outq_init(&be->outq, SOCK_OUTQ_SIZE);
		if (ret)
			return ret;
	}
	be->kick_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (be->kick_fd < 0)
		return -errno;
	ret = loop_add(be->loop, be->kick_fd, EPOLLIN, sock_kicked, be);
	if (ret) {
		close(be->kick_fd);
		be->kick_fd = -1;
		return ret;
	}
	switch (be->sc->mode) {
	case SOCKET_LISTEN:
		return sock_start_listen(be);
	case SOCKET_CONNECT:
		return sock_start_connect(be);
	case SOCKET_MCAST:
	case SOCKET_UDP:
		return sock_start_dgram(be);
	case SOCKET_MODE_NONE:
		break;
	}
	return sock_usage(be, "no socket mode (the options were not finished)");
}

int socket_create(struct netdev **out, const struct netdev_cfg *cfg,
		  struct loop *loop)
{
	struct sock_backend *be = calloc(1, sizeof(*be));
	int ret;

	if (!be)
		return -ENOMEM;
	be->cfg = cfg;
	be->sc = &cfg->socket;
	be->loop = loop;
	be->stream = be->sc->mode == SOCKET_LISTEN ||
		     be->sc->mode == SOCKET_CONNECT;
	be->fd = be->listen_fd = be->timer_fd = be->kick_fd = -1;
	socket_addr_format(&be->sc->addr, be->where, sizeof(be->where));
	netdev_init_single(&be->nd, cfg, &sock_port_ops, be);
	ret = sock_start(be);
	if (ret) {
		sock_undo(be);
		return ret;
	}
	be->started = true;
	*out = &be->nd;
	return 0;
}

void socket_destroy(struct netdev *nd)
{
	if (nd)
		sock_undo(to_sock(nd));
}

void socket_get_stats(struct netdev *nd, struct socket_stats *st)
{
	struct sock_backend *be = to_sock(nd);

	*st = be->st;
	st->connected = be->state == SOCK_UP;
}
