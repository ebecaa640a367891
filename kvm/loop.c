// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "kvm/loop.h"

int loop_init(struct loop *loop)
{
	int i;

	for (i = 0; i < LOOP_MAX_SOURCES; i++)
		loop->sources[i].fd = -1;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	return loop->epfd < 0 ? -errno : 0;
}

void loop_exit(struct loop *loop)
{
	if (loop->epfd >= 0)
		close(loop->epfd);
	loop->epfd = -1;
}

int loop_add(struct loop *loop, int fd, u32 events, loop_fn fn, void *opaque)
{
	struct epoll_event ev = { .events = events };
	int i;

	for (i = 0; i < LOOP_MAX_SOURCES; i++)
		if (loop->sources[i].fd < 0)
			break;
	if (i == LOOP_MAX_SOURCES)
		return -ENOSPC;
	ev.data.ptr = &loop->sources[i];
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	loop->sources[i] = (struct loop_source){ fd, fn, opaque };
	return 0;
}

void loop_del(struct loop *loop, int fd)
{
	int i;

	for (i = 0; i < LOOP_MAX_SOURCES; i++) {
		if (loop->sources[i].fd != fd)
			continue;
		epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
		loop->sources[i].fd = -1;
	}
}

int loop_run_once(struct loop *loop, int timeout_ms)
{
	struct epoll_event evs[8];
	int n, i;

	n = epoll_wait(loop->epfd, evs, ARRAY_SIZE(evs), timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++) {
		struct loop_source *src = evs[i].data.ptr;

		/* A handler earlier in this batch may have removed it. */
		if (src->fd >= 0)
			src->fn(src->opaque, evs[i].events);
	}
	return n;
}
