// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket server in one thread: the test is the client and
 * turns the event loop itself between its reads and writes. Sockets go
 * to the real control directory under names "unit-PID-..." that no VM
 * uses, and are checked gone afterwards.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/control.h"
#include "cli/control_path.h"
#include "kvm/loop.h"

struct t {
	struct knit_config cfg;
	struct netdev *nds[KNIT_MAX_NETDEVS];
	struct control ctl;
	struct loop loop;
	char name[64];
	char path[108];
};

static int setup(void **state)
{
	static unsigned int seq;
	struct t *t = calloc(1, sizeof(*t));
	char dir[108];

	assert_non_null(t);
	assert_int_equal(loop_init(&t->loop), 0);
	snprintf(t->name, sizeof(t->name), "unit-%d-%u", getpid(), seq++);
	t->cfg.name = t->name;
	t->ctl.fd = -1;
	assert_int_equal(control_dir(dir, sizeof(dir)), 0);
	assert_int_equal(control_sock_path(dir, t->name, t->path,
					   sizeof(t->path)), 0);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	control_close(&t->ctl);
	unlink(t->path);
	loop_exit(&t->loop);
	free(t);
	return 0;
}

static void open_ok(struct t *t)
{
	assert_int_equal(control_open(&t->ctl, &t->cfg, t->nds, &t->loop), 0);
}

static int client(struct t *t)
{
	struct timeval tv = { .tv_sec = 5 };
	int fd = control_connect(t->path);

	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* Turn the loop until fd has n more lines (or EOF); they go into buf. */
static size_t pump(struct t *t, int fd, int n, char *buf, size_t size)
{
	size_t len = 0;
	int i, lines = 0;
	ssize_t r;

	for (i = 0; i < 200 && lines < n; i++) {
		loop_run_once(&t->loop, 10);
		r = recv(fd, buf + len, size - 1 - len, MSG_DONTWAIT);
		if (r == 0 || (r < 0 && errno != EAGAIN))
			break;
		if (r < 0)
			continue;
		for (ssize_t k = 0; k < r; k++)
			lines += buf[len + k] == '\n';
		len += r;
	}
	buf[len] = '\0';
	return len;
}

static void say(int fd, const char *s)
{
	assert_int_equal(send(fd, s, strlen(s), MSG_NOSIGNAL), strlen(s));
}

/* Has the server closed fd? Turns the loop a little first. */
static bool closed(struct t *t, int fd)
{
	char c;
	int i;
	ssize_t r;

	for (i = 0; i < 100; i++) {
		loop_run_once(&t->loop, 10);
		r = recv(fd, &c, 1, MSG_DONTWAIT);
		if (r == 0 || (r < 0 && errno != EAGAIN))
			return true;
	}
	return false;
}

static void test_socket_file(void **state)
{
	struct t *t = *state;
	struct control other;
	struct stat st;
	char dir[108];

	open_ok(t);
	assert_int_equal(stat(t->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(control_dir(dir, sizeof(dir)), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);

	/* The name is taken while this one answers. */
	assert_int_equal(control_open(&other, &t->cfg, t->nds, &t->loop),
			 -EADDRINUSE);
	control_close(&other);
	assert_int_equal(stat(t->path, &st), 0);

	control_close(&t->ctl);
	assert_int_equal(stat(t->path, &st), -1);
	assert_int_equal(errno, ENOENT);
}

static void test_stale_socket(void **state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct t *t = *state;
	char buf[256];
	int fd;

	/* A socket file nobody listens on: what a killed VM leaves. */
	strcpy(sun.sun_path, t->path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	assert_int_equal(control_connect(t->path), -ECONNREFUSED);

	open_ok(t);
	fd = client(t);
	say(fd, "{\"execute\":\"query-name\"}\n");
	pump(t, fd, 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, t->name));
	close(fd);
}

static void test_default_name(void **state)
{
	struct t *t = *state;
	char want[32];

	t->cfg.name = NULL;
	open_ok(t);
	snprintf(want, sizeof(want), "/knit-%d.sock", getpid());
	assert_non_null(strstr(t->ctl.path, want));
	assert_int_equal(access(t->ctl.path, F_OK), 0);
}

static void test_name_too_long(void **state)
{
	struct t *t = *state;
	char name[200];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	t->cfg.name = name;
	assert_int_equal(control_open(&t->ctl, &t->cfg, t->nds, &t->loop),
			 -ENAMETOOLONG);
	t->cfg.name = t->name;
}

static void test_pipelined_and_split(void **state)
{
	struct t *t = *state;
	char buf[1024];
	int fd;

	open_ok(t);
	fd = client(t);
	/* Two requests and half a third in one write. */
	say(fd, "{\"execute\":\"query-name\",\"id\":1}\n"
		"{\"execute\":\"nope\",\"id\":2}\n{\"execute\":\"query-na");
	pump(t, fd, 2, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"id\":1}\n"));
	assert_non_null(strstr(buf, "CommandNotFound"));
	assert_null(strstr(buf, "\"id\":3"));
	say(fd, "me\",\"id\":3}\r\n");
	pump(t, fd, 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"id\":3}\n"));

	/* Garbage gets an error and the connection stays. */
	say(fd, "{not json\n");
	pump(t, fd, 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, "JSON parse error"));
	say(fd, "{\"execute\":\"query-name\"}\n");
	pump(t, fd, 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"return\""));

	/* Half-closed: the answer still comes, then the server hangs up. */
	say(fd, "{\"execute\":\"query-name\",\"id\":4}\n");
	shutdown(fd, SHUT_WR);
	pump(t, fd, 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"id\":4}\n"));
	assert_true(closed(t, fd));
	close(fd);
}

static void test_line_too_long(void **state)
{
	struct t *t = *state;
	static char big[CTL_MAX_LINE + 100];
	char buf[1024];
	int fd, other;

	open_ok(t);
	fd = client(t);
	other = client(t);
	memset(big, 'x', sizeof(big));
	assert_int_equal(send(fd, big, sizeof(big), MSG_DONTWAIT),
			 sizeof(big));
	pump(t, fd, 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, "longer than"));
	assert_true(closed(t, fd));
	close(fd);

	/* The others are not disturbed. */
	say(other, "{\"execute\":\"query-name\"}\n");
	pump(t, other, 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"return\""));
	close(other);
}

static void test_many_clients(void **state)
{
	struct t *t = *state;
	int fds[CONTROL_MAX_CLIENTS], extra, i;
	char buf[1024];

	open_ok(t);
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		fds[i] = client(t);
		loop_run_once(&t->loop, 10);
	}
	extra = client(t);
	pump(t, extra, 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, "too many clients"));
	assert_true(closed(t, extra));
	close(extra);

	/* Silent clients hold their places; the last one is still served. */
	say(fds[CONTROL_MAX_CLIENTS - 1], "{\"execute\":\"query-name\"}\n");
	pump(t, fds[CONTROL_MAX_CLIENTS - 1], 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"return\""));

	/* One gone: a newcomer takes its place. */
	close(fds[0]);
	for (i = 0; i < 5; i++)
		loop_run_once(&t->loop, 10);
	fds[0] = client(t);
	say(fds[0], "{\"execute\":\"query-name\"}\n");
	pump(t, fds[0], 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"return\""));

	/* Closing the server hangs up on everyone and removes the file. */
	control_close(&t->ctl);
	assert_int_equal(access(t->path, F_OK), -1);
	for (i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		assert_int_equal(recv(fds[i], buf, sizeof(buf), MSG_DONTWAIT),
				 0);
		close(fds[i]);
	}
}

/* A client that sends without reading is held back, not the others. */
static void test_reader_that_never_reads(void **state)
{
	static const char req[] = "{\"execute\":\"query-commands\"}\n";
	const size_t req_len = sizeof(req) - 1;
	struct t *t = *state;
	size_t sent = 0, got = 0;
	char chunk[64 * sizeof(req)], buf[4096];
	int flood, fd, i;
	ssize_t n;

	for (i = 0; i < 64; i++)
		memcpy(chunk + i * req_len, req, req_len);
	open_ok(t);
	flood = client(t);
	fd = client(t);
	/* Until the server stops reading: its replies fill flood's buffer. */
	for (i = 0; i < 10000; i++) {
		n = send(flood, chunk, 64 * req_len, MSG_DONTWAIT);
		if (n < 0)
			break;
		sent += n;
		loop_run_once(&t->loop, 0);
	}
	assert_true(n < 0 && errno == EAGAIN);
	say(fd, "{\"execute\":\"query-name\"}\n");
	pump(t, fd, 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"return\""));

	/* Every request is answered once the flooder reads. */
	for (i = 0; i < 100000 && got < sent / req_len; i++) {
		loop_run_once(&t->loop, 0);
		while ((n = recv(flood, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
			for (ssize_t k = 0; k < n; k++)
				got += buf[k] == '\n';
	}
	assert_int_equal(got, sent / req_len);
	close(flood);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_socket_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stale_socket, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_default_name, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_name_too_long, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pipelined_and_split,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_too_long, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_many_clients, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reader_that_never_reads,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
