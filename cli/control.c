// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket's server side: claiming NAME.sock, accepting
 * clients and moving their bytes on the main event loop. Each client
 * has a bounded input buffer and at most one reply in flight; until the
 * reply is written, nothing more is read from that client.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/control.h"
#include "cli/control_path.h"
#include "kvm/loop.h"

struct control_client {
	struct control *ctl;
	unsigned int slot;		/* index in ctl->clients[] */
	int fd;
	u32 events;			/* what the loop watches for */
	bool eof;			/* the peer sends no more */
	char *out;			/* the reply being written, or NULL */
	size_t out_len;
	size_t out_off;
	struct ctl_linebuf in;
};

static void client_drop(struct control_client *c)
{
	loop_del(c->ctl->loop, c->fd);
	close(c->fd);
	c->ctl->clients[c->slot] = NULL;
	free(c->out);
	free(c);
}

/* Write what the socket takes now: 0, or -errno when the peer is gone. */
static int client_flush(struct control_client *c)
{
	ssize_t n;

	while (c->out) {
		n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		c->out_off += n;
		if (c->out_off == c->out_len) {
			free(c->out);
			c->out = NULL;
		}
	}
	return 0;
}

static int client_reply(struct control_client *c, char *reply)
{
	c->out = reply;
	c->out_len = strlen(reply);
	c->out_off = 0;
	return client_flush(c);
}

/* A request too long to hold: say so, as far as the socket takes it. */
static void client_too_long(struct control_client *c)
{
	struct ctl_error err;
	char *reply;

	ctl_error_set(&err, CTL_GENERIC_ERROR,
		      "request line longer than %d bytes; closing",
		      CTL_MAX_LINE);
	reply = ctl_reply_error(&err, NULL);
	if (reply)
		client_reply(c, reply);
}

/* Answer the complete lines held, while no reply waits to be written. */
static int client_serve(struct control_client *c)
{
	char *line, *reply;
	size_t len;
	int ret;

	while (!c->out) {
		ret = ctl_linebuf_next(&c->in, &line, &len);
		if (ret == -EMSGSIZE) {
			client_too_long(c);
			return ret;
		}
		if (ret <= 0)
			return 0;
		ret = ctl_handle_line(control_commands, control_nr_commands,
				      c->ctl, line, len, &reply);
		if (ret)
			return ret;
		if (reply && client_reply(c, reply))
			return -EPIPE;
	}
	return 0;
}

static int client_read(struct control_client *c)
{
	size_t room;
	char *buf;
	ssize_t n;

	buf = ctl_linebuf_space(&c->in, &room);
	n = recv(c->fd, buf, room, MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	if (n == 0)
		c->eof = true;
	ctl_linebuf_commit(&c->in, n);
	return 0;
}

static void client_event(void *opaque, u32 events);

/* Watch for what the client's state calls for; -errno to drop it. */
static int client_watch(struct control_client *c)
{
	u32 want = c->out ? EPOLLOUT : EPOLLIN;
	int ret;

	if (want == c->events)
		return 0;
	loop_del(c->ctl->loop, c->fd);
	ret = loop_add(c->ctl->loop, c->fd, want, client_event, c);
	c->events = want;
	return ret;
}

/* Events may be stale (a slot reused in one batch): all I/O is non-blocking. */
static void client_event(void *opaque, u32 events)
{
	struct control_client *c = opaque;

	if (events & EPOLLERR)
		goto drop;
	if (client_flush(c) || client_serve(c))
		goto drop;
	if (!c->out && !c->eof && (events & (EPOLLIN | EPOLLHUP))) {
		if (client_read(c) || client_serve(c))
			goto drop;
	}
	/* A half-closed client still gets the replies to what it sent. */
	if (c->eof && !c->out)
		goto drop;
	if (!client_watch(c))
		return;
drop:
	client_drop(c);
}

static void refuse(int fd)
{
	struct ctl_error err;
	char *reply;

	ctl_error_set(&err, CTL_GENERIC_ERROR,
		      "too many clients (at most %d); try again later",
		      CONTROL_MAX_CLIENTS);
	reply = ctl_reply_error(&err, NULL);
	if (reply)
		send(fd, reply, strlen(reply), MSG_NOSIGNAL | MSG_DONTWAIT);
	free(reply);
	close(fd);
}

static void client_new(struct control *ctl, int fd)
{
	struct control_client *c;
	unsigned int i;

	for (i = 0; i < CONTROL_MAX_CLIENTS; i++)
		if (!ctl->clients[i])
			break;
	if (i == CONTROL_MAX_CLIENTS) {
		refuse(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->ctl = ctl;
	c->slot = i;
	c->fd = fd;
	c->events = EPOLLIN;
	ctl_linebuf_init(&c->in);
	if (loop_add(ctl->loop, fd, EPOLLIN, client_event, c)) {
		close(fd);
		free(c);
		return;
	}
	ctl->clients[i] = c;
}

static void control_accept(void *opaque, u32 events)
{
	struct control *ctl = opaque;
	int fd;

	for (;;) {
		fd = accept4(ctl->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		client_new(ctl, fd);
	}
}

/*
 * Make path free for a new socket: a socket that answers belongs to a
 * running VM; one that refuses is left over from a VM that died.
 */
static int claim_path(const struct control *ctl)
{
	int fd = control_connect(ctl->path);

	if (fd >= 0) {
		close(fd);
		pr_err("--name %s: a VM of that name is running", ctl->name);
		return -EADDRINUSE;
	}
	if (fd == -ENOENT)
		return 0;
	if (fd == -ECONNREFUSED && (!unlink(ctl->path) || errno == ENOENT))
		return 0;
	pr_err("--name %s: cannot use %s: %s", ctl->name, ctl->path,
	       strerror(fd == -ECONNREFUSED ? errno : -fd));
	return -EEXIST;
}

static int listen_on(struct control *ctl)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, ret;

	strcpy(sun.sun_path, ctl->path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* Created 0600 from the start: no moment when others may connect. */
	old = umask(0177);
	ret = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (ret) {
		ret = -errno;
		close(fd);
		return ret;
	}
	if (listen(fd, CONTROL_MAX_CLIENTS)) {
		ret = -errno;
		unlink(ctl->path);
		close(fd);
		return ret;
	}
	ctl->fd = fd;
	return 0;
}

/* The name's check and its bind are one step for VMs started together. */
static int create_socket(struct control *ctl, const char *dir)
{
	int dfd, ret;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || flock(dfd, LOCK_EX)) {
		ret = -errno;
		pr_err("control socket directory %s: %s", dir, strerror(-ret));
		goto out;
	}
	ret = claim_path(ctl);
	if (ret)
		goto out;
	ret = listen_on(ctl);
	if (ret)
		pr_err("cannot serve the control socket %s: %s", ctl->path,
		       strerror(-ret));
out:
	if (dfd >= 0)
		close(dfd);	/* drops the lock */
	return ret;
}

int control_open(struct control *ctl, const struct knit_config *cfg,
		 struct netdev **nds, struct loop *loop)
{
	char dir[sizeof(ctl->path)];
	int n, ret;

	memset(ctl, 0, sizeof(*ctl));
	ctl->fd = -1;
	ctl->cfg = cfg;
	ctl->netdevs = nds;
	ctl->loop = loop;
	if (cfg->name)
		n = snprintf(ctl->name, sizeof(ctl->name), "%s", cfg->name);
	else
		n = snprintf(ctl->name, sizeof(ctl->name), "knit-%d", getpid());
	if (n < 0 || (size_t)n >= sizeof(ctl->name) ||
	    control_dir(dir, sizeof(dir)) ||
	    control_sock_path(dir, ctl->name, ctl->path, sizeof(ctl->path))) {
		pr_err("--name %s: too long for a control socket path (at most %zu bytes in all)",
		       cfg->name ? cfg->name : ctl->name,
		       sizeof(ctl->path) - 1);
		ctl->path[0] = '\0';
		return -ENAMETOOLONG;
	}
	ret = control_dir_create(dir);
	if (!ret)
		ret = create_socket(ctl, dir);
	if (ret) {
		ctl->path[0] = '\0';	/* not ours to remove */
		return ret;
	}
	ret = loop_add(loop, ctl->fd, EPOLLIN, control_accept, ctl);
	if (ret) {
		pr_err("cannot serve the control socket %s: %s", ctl->path,
		       strerror(-ret));
		control_close(ctl);
	}
	return ret;
}

void control_close(struct control *ctl)
{
	unsigned int i;

	/* Gone from the directory first: a client seeing EOF finds no file. */
	if (ctl->path[0])
		unlink(ctl->path);
	ctl->path[0] = '\0';
	if (ctl->fd >= 0) {
		loop_del(ctl->loop, ctl->fd);
		close(ctl->fd);
	}
	ctl->fd = -1;
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++)
		if (ctl->clients[i])
			client_drop(ctl->clients[i]);
}
