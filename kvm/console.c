// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "kvm/console.h"
#include "kvm/loop.h"

int console_open(struct console *con, int in_fd, int out_fd)
{
	struct termios raw;

	*con = (struct console){ .in_fd = in_fd, .out_fd = out_fd };
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

static void console_deliver(struct console *con, const u8 *buf, size_t len)
{
	/* A full receive FIFO drops input, as a real UART overruns. */
	if (len && con->input)
		con->input(con->input_opaque, buf, len);
}

void console_feed(struct console *con, const u8 *buf, size_t len)
{
	size_t i, start = 0;

	if (!con->tty) {
		console_deliver(con, buf, len);
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
				console_deliver(con, &buf[i], 1);
			continue;
		}
		if (buf[i] == CONSOLE_ESCAPE) {
			console_deliver(con, buf + start, i - start);
			con->in_escape = true;
			start = i + 1;
		}
	}
	if (start < len)
		console_deliver(con, buf + start, len - start);
}

static void console_readable(void *opaque, u32 events)
{
	struct console *con = opaque;
	u8 buf[256];
	ssize_t n;

	n = read(con->in_fd, buf, sizeof(buf));
	if (n > 0) {
		console_feed(con, buf, n);
		return;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	/* End of input is not the end of the guest: stop listening. */
	con->in_eof = true;
	if (con->loop)
		loop_del(con->loop, con->in_fd);
}

int console_add_to_loop(struct console *con, struct loop *loop)
{
	int ret;

	if (con->in_eof)
		return 0;
	con->loop = loop;
	ret = loop_add(loop, con->in_fd, EPOLLIN, console_readable, con);
	/* epoll refuses regular files and /dev/null: treat them as read out. */
	if (ret == -EPERM) {
		con->in_eof = true;
		return 0;
	}
	return ret;
}
