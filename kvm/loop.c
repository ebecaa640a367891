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
	pthread_mutex_init(&loop->lock, NULL);
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	return loop->epfd < 0 ? -errno : 0;
}

void loop_exit(struct loop *loop)
{
	if (loop->epfd >= 0)
		close(loop->epfd);
	loop->epfd = -1;
	pthread_mutex_destroy(&loop->lock);
}

int loop_add(struct loop *loop, int fd, u32 events, loop_fn fn, void *opaque)
{
	struct epoll_event ev = { .events = events };
	int i, ret = 0;

	pthread_mutex_lock(&loop->lock);
	for (i = 0; i < LOOP_MAX_SOURCES; i++)
		if (loop->sources[i].fd < 0)
			break;
	if (i == LOOP_MAX_SOURCES) {
		ret = -ENOSPC;
		goto out;
	}
	/* Fill the slot first: the event may fire on another thread at once. */
	loop->sources[i] = (struct loop_source){ fd, fn, opaque };
	ev.data.ptr = &loop->sources[i];
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		ret = -errno;
		loop->sources[i].fd = -1;
	}
out:
	pthread_mutex_unlock(&loop->lock);
	return ret;
}

void loop_del(struct loop *loop, int fd)
{
	int i;

	pthread_mutex_lock(&loop->lock);
	for (i = 0; i < LOOP_MAX_SOURCES; i++) {
		if (loop->sources[i].fd != fd)
			continue;
		epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
		loop->sources[i].fd = -1;
	}
	pthread_mutex_unlock(&loop->lock);
}

int loop_run_once(struct loop *loop, int timeout_ms)
{
	struct epoll_event evs[16];
	int n, i;

	n = epoll_wait(loop->epfd, evs, ARRAY_SIZE(evs), timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++) {
		struct loop_source *src = evs[i].data.ptr, copy;

		/* A handler earlier in this batch may have removed it. */
		pthread_mutex_lock(&loop->lock);
		copy = *src;
		pthread_mutex_unlock(&loop->lock);
		if (copy.fd >= 0)
			copy.fn(copy.opaque, evs[i].events);
	}
	return n;
}
