// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sys/epoll.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "kvm/console.h"
#include "kvm/loop.h"

int console_open(struct console *con, int in_fd, int out_fd)
{
	struct termios raw;

	*con = (struct console){ .in_fd = in_fd, .out_fd = out_fd };
	con->retry_fd = timerfd_create(CLOCK_MONOTONIC,
				       TFD_CLOEXEC | TFD_NONBLOCK);
	if (con->retry_fd < 0)
		return -errno;
	con->tty = isatty(in_fd) && tcgetattr(in_fd, &con->saved) == 0;
	if (!con->tty)
		return 0;
	/*
	 * Raw, so that Ctrl-c and friends reach the guest, as on a serial
	 * line; the escape sequence is how a user gets out.
	 */
	raw = con->saved;
	cfmakeraw(&raw);
	raw.c_oflag |= OPOST | ONLCR;
	if (tcsetattr(in_fd, TCSANOW, &raw) < 0)
		return -errno;
	return 0;
}

void console_close(struct console *con)
{
	if (con->tty)
		tcsetattr(con->in_fd, TCSANOW, &con->saved);
	con->tty = false;
	if (con->retry_fd >= 0)
		close(con->retry_fd);
	con->retry_fd = -1;
}

void console_write(void *opaque, const u8 *buf, size_t len)
{
	struct console *con = opaque;

	while (len) {
		ssize_t n = write(con->out_fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* output closed: the guest talks to nobody */
		buf += n;
		len -= n;
	}
}

void console_attach(struct console *con, struct stop_ctl *stop,
		    size_t (*input)(void *, const u8 *, size_t), void *opaque)
{
	con->stop = stop;
	con->input = input;
	con->input_opaque = opaque;
}

static void console_hold(struct console *con, const u8 *buf, size_t len)
{
	len = MIN(len, sizeof(con->held) - con->held_len);
	memcpy(con->held + con->held_len, buf, len);
	con->held_len += len;
}

bool console_push(struct console *con)
{
	size_t n;

	if (!con->input) {
		con->held_len = 0;	/* no device: nowhere to send it */
		return true;
	}
	n = con->input(con->input_opaque, con->held, con->held_len);
	n = MIN(n, con->held_len);
	memmove(con->held, con->held + n, con->held_len - n);
	con->held_len -= n;
	return con->held_len == 0;
}

void console_feed(struct console *con, const u8 *buf, size_t len)
{
	size_t i, start = 0;

	if (!con->tty) {
		console_hold(con, buf, len);
		console_push(con);
		return;
	}
	for (i = 0; i < len; i++) {
		if (con->in_escape) {
			con->in_escape = false;
			start = i + 1;
			if (buf[i] == 'x' || buf[i] == 'X') {
				stop_request(con->stop, STOP_QUIT, 0);
				return;
			}
			if (buf[i] == CONSOLE_ESCAPE)
				console_hold(con, &buf[i], 1);
			continue;
		}
		if (buf[i] == CONSOLE_ESCAPE) {
			console_hold(con, buf + start, i - start);
			con->in_escape = true;
			start = i + 1;
		}
	}
	if (start < len)
		console_hold(con, buf + start, len - start);
	console_push(con);
}

static void console_readable(void *opaque, u32 events);

static void arm_retry(struct console *con, bool on)
{
	struct itimerspec its = { 0 };

	if (on) {
		its.it_value.tv_nsec = CONSOLE_RETRY_MS * 1000000L;
		its.it_interval = its.it_value;
	}
	timerfd_settime(con->retry_fd, 0, &its, NULL);
}

/*
 * While the device is full, stop reading the host (so the pipe or the
 * terminal holds the rest) and offer what is held every few ms.
 */
static void console_retry(void *opaque, u32 events)
{
	struct console *con = opaque;
	u64 ticks;

	if (read(con->retry_fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return;
	if (!console_push(con))
		return;
	if (con->in_file) {
		/* A file is always "readable": take a chunk per tick. */
		console_readable(con, EPOLLIN);
		return;
	}
	arm_retry(con, false);
	loop_del(con->loop, con->retry_fd);
	if (!con->in_eof &&
	    loop_add(con->loop, con->in_fd, EPOLLIN, console_readable, con))
		con->in_eof = true;
}

static void console_readable(void *opaque, u32 events)
{
	struct console *con = opaque;
	u8 buf[CONSOLE_CHUNK];
	ssize_t n;

	n = read(con->in_fd, buf, sizeof(buf));
	if (n > 0) {
		console_feed(con, buf, n);
		if (con->in_file)
			return;	/* the retry timer keeps reading it */
		if (con->held_len && con->loop &&
		    loop_add(con->loop, con->retry_fd, EPOLLIN, console_retry,
			     con) == 0) {
			loop_del(con->loop, con->in_fd);
			arm_retry(con, true);
		}
		return;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	/* End of input is not the end of the guest: stop listening. */
	con->in_eof = true;
	if (con->in_file) {
		arm_retry(con, false);
		loop_del(con->loop, con->retry_fd);
	} else if (con->loop) {
		loop_del(con->loop, con->in_fd);
	}
}

int console_add_to_loop(struct console *con, struct loop *loop)
{
	struct stat st;
	int ret;

	con->loop = loop;
	/* Input held over from a previous boot goes first. */
	if (con->held_len || (con->in_file && !con->in_eof)) {
		arm_retry(con, true);
		return loop_add(loop, con->retry_fd, EPOLLIN, console_retry, con);
	}
	if (con->in_eof)
		return 0;
	ret = loop_add(loop, con->in_fd, EPOLLIN, console_readable, con);
	if (ret != -EPERM)
		return ret;
	/*
	 * epoll refuses regular files and /dev/null. A file is read on the
	 * retry timer, at the guest's pace; anything else counts as read out.
	 */
	if (fstat(con->in_fd, &st) == 0 && S_ISREG(st.st_mode)) {
		con->in_file = true;
		arm_retry(con, true);
		return loop_add(loop, con->retry_fd, EPOLLIN, console_retry, con);
	}
	con->in_eof = true;
	return 0;
}
