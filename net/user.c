// SPDX-License-Identifier: GPL-2.0
/*
 * User-mode networking: one libslirp instance per --netdev user.
 *
 * libslirp is driven the poll(2) way: before each wait it names the
 * sockets it wants watched and how long it may sleep; after the wait it
 * is told what fired. It joins knit's main loop as a loop poller, so its
 * sockets, its timers and the guest's frames all run on the main thread.
 *
 * Frames from the guest arrive through receive() while the NIC is busy
 * with its own transmit ring; anything libslirp answers at that moment
 * goes to a queue that is drained at the end of the NIC's batch
 * (flush), never back into the NIC from inside its own call. The same
 * queue holds frames while the NIC has no receive buffers, up to
 * USER_QUEUE_MAX; beyond that frames are dropped and TCP resends.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>


#include "kvm/loop.h"
#include "net/slirp_lib.h"
#include "net/user.h"

#define USER_QUEUE_MAX	1024	/* frames waiting for the NIC */
#define USER_FRAME_MAX	65536
#define USER_TIMERS	8

struct user_backend;

struct user_frame {
	size_t len;
	u8 data[];
};

struct user_timer {
	bool used;
	bool armed;
	int64_t expire_ms;
	SlirpTimerCb cb;		/* timer_new() style */
	void *cb_opaque;
	SlirpTimerId id;		/* timer_new_opaque() style */
	bool by_id;
	struct user_backend *be;
};

/* guestfwd=...-tcp:HOST:PORT: the guest's stream relayed to a host socket. */
struct user_tcpfwd {
	struct user_backend *be;
	const struct user_guestfwd *cfg;
	struct in_addr addr;		/* as libslirp settled it */
	int fd;
	bool polled;			/* fd is a loop source */
};

struct user_backend {
	struct netdev nd;
	const struct netdev_cfg *cfg;
	struct loop *loop;
	Slirp *slirp;
	bool in_input;			/* inside slirp_lib.input() */
	bool nic_full;			/* the NIC said "no room" */
	bool notified;			/* a guestfwd socket has room */
	struct user_frame *queue[USER_QUEUE_MAX];
	unsigned int q_head, q_len;
	u64 rx_dropped;
	struct user_timer timers[USER_TIMERS];
	unsigned int nr_tcpfwd;
	struct user_tcpfwd tcpfwd[USER_MAX_FWD];
	u8 buf[USER_FRAME_MAX];		/* a guest frame made contiguous */
};

static struct user_backend *to_user(struct netdev *nd)
{
	return container_of(nd, struct user_backend, nd);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- host -> guest ---- */

static bool deliver(struct user_backend *be, const void *data, size_t len)
{
	struct iovec iov = { (void *)data, len };

	return net_port_send(&be->nd.ports[0], &iov, 1) != 0;
}

static void queue_drain(struct user_backend *be)
{
	while (be->q_len && !be->in_input) {
		struct user_frame *f = be->queue[be->q_head];

		if (!deliver(be, f->data, f->len)) {
			be->nic_full = true;
			return;
		}
		free(f);
		be->q_head = (be->q_head + 1) % USER_QUEUE_MAX;
		be->q_len--;
	}
}

static bool enqueue(struct user_backend *be, const void *data, size_t len)
{
	struct user_frame *f;

	if (be->q_len == USER_QUEUE_MAX)
		return false;
	f = malloc(sizeof(*f) + len);
	if (!f)
		return false;
	f->len = len;
	memcpy(f->data, data, len);
	be->queue[(be->q_head + be->q_len) % USER_QUEUE_MAX] = f;
	be->q_len++;
	return true;
}

/* libslirp has a frame for the guest. */
static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
	struct user_backend *be = opaque;

	/* Keep order: once anything waits, everything waits behind it. */
	if (!be->in_input && !be->q_len && !be->nic_full &&
	    deliver(be, buf, len))
		return len;
	if (!be->in_input && !be->q_len)
		be->nic_full = true;
	if (!enqueue(be, buf, len))
		be->rx_dropped++;
	return len;
}

static void user_wake(struct net_port *port)
{
	struct user_backend *be = port->opaque;

	be->nic_full = false;
	queue_drain(be);
}

/* ---- guest -> host ---- */

static ssize_t user_receive(struct net_port *port, const struct iovec *iov,
			    int iovcnt)
{
	struct user_backend *be = port->opaque;
	size_t len = 0;
	int i;

	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > sizeof(be->buf) - len)
			return len + iov[i].iov_len;	/* too big: dropped */
		memcpy(be->buf + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	be->in_input = true;
	slirp_lib.input(be->slirp, be->buf, len);
	be->in_input = false;
	return len;
}

static void user_flush(struct net_port *port)
{
	struct user_backend *be = port->opaque;

	if (!be->nic_full)
		queue_drain(be);
}

static const struct net_port_ops user_port_ops = {
	.receive = user_receive,
	.wake = user_wake,
	.flush = user_flush,
};

/* ---- libslirp's callbacks ---- */

static void cb_guest_error(const char *msg, void *opaque)
{
	struct user_backend *be = opaque;

	pr_warn("netdev %s: guest error: %s", be->cfg->id, msg);
}

static int64_t cb_clock_get_ns(void *opaque)
{
	return now_ns();
}

static struct user_timer *timer_alloc(struct user_backend *be)
{
	unsigned int i;

	for (i = 0; i < USER_TIMERS; i++) {
		if (!be->timers[i].used) {
			memset(&be->timers[i], 0, sizeof(be->timers[i]));
			be->timers[i].used = true;
			be->timers[i].be = be;
			return &be->timers[i];
		}
	}
	pr_warn("netdev %s: libslirp wants more than %d timers",
		be->cfg->id, USER_TIMERS);
	return NULL;
}

static void *cb_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	struct user_timer *t = timer_alloc(opaque);

	if (t) {
		t->cb = cb;
		t->cb_opaque = cb_opaque;
	}
	return t;
}

static void *cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque,
				 void *opaque)
{
	struct user_timer *t = timer_alloc(opaque);

	if (t) {
		t->by_id = true;
		t->id = id;
		t->cb_opaque = cb_opaque;
	}
	return t;
}

static void cb_timer_free(void *timer, void *opaque)
{
	struct user_timer *t = timer;

	if (t)
		t->used = t->armed = false;
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	struct user_timer *t = timer;

	if (t) {
		t->expire_ms = expire_ms;
		t->armed = true;
	}
}

/* Sockets are handed over at every prepare(); nothing to keep here. */
static void cb_register_poll_fd(int fd, void *opaque)
{
}

static void cb_unregister_poll_fd(int fd, void *opaque)
{
}

static void tcpfwd_pump(struct user_tcpfwd *t);

/*
 * A guestfwd connection in the guest has room again. libslirp calls this
 * from inside its own processing, where feeding it data is not safe:
 * note it, and pump at the next dispatch.
 */
static void cb_notify(void *opaque)
{
	struct user_backend *be = opaque;

	be->notified = true;
}

static void tcpfwd_resume(struct user_backend *be)
{
	unsigned int i;

	be->notified = false;
	for (i = 0; i < be->nr_tcpfwd; i++)
		if (be->tcpfwd[i].fd >= 0 && !be->tcpfwd[i].polled)
			tcpfwd_pump(&be->tcpfwd[i]);
}

static const SlirpCb user_callbacks = {
	.send_packet = cb_send_packet,
	.guest_error = cb_guest_error,
	.clock_get_ns = cb_clock_get_ns,
	.timer_new = cb_timer_new,
	.timer_free = cb_timer_free,
	.timer_mod = cb_timer_mod,
	.register_poll_fd = cb_register_poll_fd,
	.unregister_poll_fd = cb_unregister_poll_fd,
	.notify = cb_notify,
	.timer_new_opaque = cb_timer_new_opaque,
};

/* ---- the poller ---- */

static int cb_add_poll(int fd, int events, void *opaque)
{
	struct loop *loop = opaque;
	short ev = 0;

	if (events & SLIRP_POLL_IN)
		ev |= POLLIN;
	if (events & SLIRP_POLL_OUT)
		ev |= POLLOUT;
	if (events & SLIRP_POLL_PRI)
		ev |= POLLPRI;
	return loop_poll_fd(loop, fd, ev);
}

static int cb_get_revents(int idx, void *opaque)
{
	short rev = loop_poll_revents(opaque, idx);
	int ev = 0;

	if (rev & POLLIN)
		ev |= SLIRP_POLL_IN;
	if (rev & POLLOUT)
		ev |= SLIRP_POLL_OUT;
	if (rev & POLLPRI)
		ev |= SLIRP_POLL_PRI;
	if (rev & (POLLERR | POLLNVAL))
		ev |= SLIRP_POLL_ERR;
	if (rev & POLLHUP)
		ev |= SLIRP_POLL_HUP;
	return ev;
}

static void user_prepare(struct loop *loop, void *opaque, int *timeout_ms)
{
	struct user_backend *be = opaque;
	int64_t now = now_ns() / 1000000;
	uint32_t t = *timeout_ms < 0 ? UINT32_MAX : (uint32_t)*timeout_ms;
	unsigned int i;

	slirp_lib.pollfds_fill(be->slirp, &t, cb_add_poll, loop);
	for (i = 0; i < USER_TIMERS; i++) {
		const struct user_timer *tm = &be->timers[i];
		int64_t left;

		if (!tm->used || !tm->armed)
			continue;
		left = tm->expire_ms - now;
		if (left < 0)
			left = 0;
		if ((uint64_t)left < t)
			t = left;
	}
	if ((be->q_len && !be->nic_full) || be->notified)
		t = 0;
	*timeout_ms = t == UINT32_MAX ? -1 : (int)MIN(t, (uint32_t)INT32_MAX);
}

static void user_dispatch(struct loop *loop, void *opaque, bool poll_error)
{
	struct user_backend *be = opaque;
	int64_t now = now_ns() / 1000000;
	unsigned int i;

	slirp_lib.pollfds_poll(be->slirp, poll_error, cb_get_revents, loop);
	for (i = 0; i < USER_TIMERS; i++) {
		struct user_timer *tm = &be->timers[i];

		if (!tm->used || !tm->armed || tm->expire_ms > now)
			continue;
		tm->armed = false;
		if (tm->by_id)
			slirp_lib.handle_timer(be->slirp, tm->id, tm->cb_opaque);
		else
			tm->cb(tm->cb_opaque);
	}
	if (be->notified)
		tcpfwd_resume(be);
	if (!be->nic_full)
		queue_drain(be);
}

/* ---- guestfwd to a host TCP server ---- */

static void tcpfwd_close(struct user_tcpfwd *t)
{
	if (t->fd < 0)
		return;
	if (t->polled)
		loop_del(t->be->loop, t->fd);
	close(t->fd);
	t->fd = -1;
	t->polled = false;
}

static void tcpfwd_readable(void *opaque, u32 events);

/* Move what the host sent into the guest connection, as room allows. */
static void tcpfwd_pump(struct user_tcpfwd *t)
{
	struct user_backend *be = t->be;
	u8 buf[16384];
	size_t room;
	ssize_t n;

	for (;;) {
		room = slirp_lib.socket_can_recv(be->slirp, t->addr, t->cfg->port);
		if (!room) {
			/* Wait for cb_notify rather than spin on a full socket. */
			if (t->polled) {
				loop_del(be->loop, t->fd);
				t->polled = false;
			}
			return;
		}
		n = recv(t->fd, buf, MIN(room, sizeof(buf)), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0) {
			/* The server closed: the next guest write reconnects. */
			tcpfwd_close(t);
			return;
		}
		slirp_lib.socket_recv(be->slirp, t->addr, t->cfg->port, buf, n);
	}
	if (!t->polled &&
	    !loop_add(be->loop, t->fd, EPOLLIN, tcpfwd_readable, t))
		t->polled = true;
}

static void tcpfwd_readable(void *opaque, u32 events)
{
	tcpfwd_pump(opaque);
}

static int tcpfwd_connect(struct user_tcpfwd *t)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	char port[8];
	int fd = -1;

	snprintf(port, sizeof(port), "%u", t->cfg->host_port);
	if (getaddrinfo(t->cfg->host, port, &hints, &res))
		return -1;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0)
			continue;
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen))
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return -1;
	t->fd = fd;
	tcpfwd_pump(t);
	return 0;
}

/* The guest wrote to ADDR:PORT: pass it to the host server. */
static ssize_t tcpfwd_write(const void *buf, size_t len, void *opaque)
{
	struct user_tcpfwd *t = opaque;
	size_t off = 0;
	ssize_t n;

	if (t->fd < 0 && tcpfwd_connect(t)) {
		pr_warn("netdev %s: guestfwd to %s:%u: cannot connect: %s",
			t->be->cfg->id, t->cfg->host, t->cfg->host_port,
			strerror(errno));
		return -1;
	}
	while (off < len) {
		n = send(t->fd, (const u8 *)buf + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tcpfwd_close(t);
			return -1;
		}
		off += n;
	}
	return len;
}

/* ---- set-up ---- */

static __printf(2, 3) int user_usage(struct user_backend *be,
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

static void fmt_hostfwd(const struct user_hostfwd *f, char *s, size_t n)
{
	char h[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN] = "";

	inet_ntop(AF_INET, &f->host_addr, h, sizeof(h));
	if (f->guest_addr.s_addr)
		inet_ntop(AF_INET, &f->guest_addr, g, sizeof(g));
	snprintf(s, n, "%s:%s:%u-%s:%u", f->udp ? "udp" : "tcp", h,
		 f->host_port, g, f->guest_port);
}

int user_hostfwd_add(struct netdev *nd, const struct user_hostfwd *fwd,
		     char *err, size_t errlen)
{
	struct user_backend *be = to_user(nd);
	struct in_addr guest = fwd->guest_addr;
	char rule[96];

	if (!guest.s_addr)
		guest = be->cfg->user.dhcpstart;
	errno = 0;
	if (!slirp_lib.add_hostfwd(be->slirp, fwd->udp, fwd->host_addr,
			       fwd->host_port, guest, fwd->guest_port))
		return 0;
	fmt_hostfwd(fwd, rule, sizeof(rule));
	snprintf(err, errlen, "hostfwd=%s: cannot listen on host port %u%s%s",
		 rule, fwd->host_port, errno ? ": " : " (in use?)",
		 errno ? strerror(errno) : "");
	return -EINVAL;
}

int user_hostfwd_remove(struct netdev *nd, const struct user_hostfwd *fwd,
			char *err, size_t errlen)
{
	struct user_backend *be = to_user(nd);
	char rule[96];

	if (!slirp_lib.remove_hostfwd(be->slirp, fwd->udp, fwd->host_addr,
				  fwd->host_port))
		return 0;
	fmt_hostfwd(fwd, rule, sizeof(rule));
	snprintf(err, errlen, "hostfwd=%s: no such forward", rule);
	return -ENOENT;
}

char *user_info(struct netdev *nd)
{
	return slirp_lib.connection_info(to_user(nd)->slirp);
}

static int add_guestfwd(struct user_backend *be, const struct user_guestfwd *g)
{
	struct in_addr addr = g->addr;
	char a[INET_ADDRSTRLEN];
	struct user_tcpfwd *t;

	inet_ntop(AF_INET, &g->addr, a, sizeof(a));
	if (g->cmd) {
		if (slirp_lib.add_exec(be->slirp, g->cmd, &addr, g->port) < 0)
			return user_usage(be, "guestfwd=tcp:%s:%u-cmd:%s: address and port taken or not in the guest network",
					  a, g->port, g->cmd);
		return 0;
	}
	t = &be->tcpfwd[be->nr_tcpfwd];
	*t = (struct user_tcpfwd){ .be = be, .cfg = g, .fd = -1 };
	if (slirp_lib.add_guestfwd(be->slirp, tcpfwd_write, t, &addr, g->port) < 0)
		return user_usage(be, "guestfwd=tcp:%s:%u-tcp:%s:%u: address and port taken or not in the guest network",
				  a, g->port, g->host, g->host_port);
	t->addr = addr;
	be->nr_tcpfwd++;
	return 0;
}

static int user_start(struct user_backend *be)
{
	const struct user_cfg *u = &be->cfg->user;
	const char *search[USER_MAX_DNSSEARCH + 1] = { NULL };
	SlirpConfig sc = { .version = 4 };
	char err[256];
	unsigned int i;
	int ret;

	for (i = 0; i < u->nr_dnssearch; i++)
		search[i] = u->dnssearch[i];
	sc.restricted = u->restrict_;
	sc.in_enabled = u->ipv4;
	sc.vnetwork = u->net;
	sc.vnetmask = u->mask;
	sc.vhost = u->host;
	sc.in6_enabled = u->ipv6;
	sc.vprefix_addr6 = u->ipv6_net;
	sc.vprefix_len = u->ipv6_prefix;
	sc.vhost6 = u->ipv6_host;
	sc.vhostname = u->hostname;
	sc.tftp_server_name = u->tftp_server_name;
	sc.tftp_path = u->tftp;
	sc.bootfile = u->bootfile;
	sc.vdhcp_start = u->dhcpstart;
	sc.vnameserver = u->dns;
	sc.vnameserver6 = u->ipv6_dns;
	sc.vdnssearch = u->nr_dnssearch ? search : NULL;
	sc.vdomainname = u->domainname;

	ret = slirp_lib_load(err, sizeof(err));
	if (ret)
		return user_usage(be, "%s", err);
	be->slirp = slirp_lib.new(&sc, &user_callbacks, be);
	if (!be->slirp)
		return user_usage(be, "libslirp refused the configuration");

	for (i = 0; i < u->nr_hostfwd; i++) {
		ret = user_hostfwd_add(&be->nd, &u->hostfwd[i], err,
				       sizeof(err));
		if (ret)
			return user_usage(be, "%s", err);
	}
	for (i = 0; i < u->nr_guestfwd; i++) {
		ret = add_guestfwd(be, &u->guestfwd[i]);
		if (ret)
			return ret;
	}
	return loop_add_poller(be->loop, &(struct loop_poller){
					 .prepare = user_prepare,
					 .dispatch = user_dispatch,
					 .opaque = be });
}

static void user_undo(struct user_backend *be)
{
	unsigned int i;

	loop_del_poller(be->loop, be);
	for (i = 0; i < be->nr_tcpfwd; i++)
		tcpfwd_close(&be->tcpfwd[i]);
	/* libslirp closes its sockets and ends guestfwd commands. */
	if (be->slirp)
		slirp_lib.cleanup(be->slirp);
	while (be->q_len) {
		free(be->queue[be->q_head]);
		be->q_head = (be->q_head + 1) % USER_QUEUE_MAX;
		be->q_len--;
	}
	free(be);
}

int user_create(struct netdev **out, const struct netdev_cfg *cfg,
		struct loop *loop)
{
	struct user_backend *be = calloc(1, sizeof(*be));
	int ret;

	if (!be)
		return -ENOMEM;
	be->cfg = cfg;
	be->loop = loop;
	netdev_init_single(&be->nd, cfg, &user_port_ops, be);
	ret = user_start(be);
	if (ret) {
		user_undo(be);
		return ret;
	}
	*out = &be->nd;
	return 0;
}

void user_destroy(struct netdev *nd)
{
	if (nd)
		user_undo(to_user(nd));
}
