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
	loop->nr_pollers = 0;
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

int loop_add_poller(struct loop *loop, const struct loop_poller *p)
{
	if (loop->nr_pollers == LOOP_MAX_POLLERS)
		return -ENOSPC;
	loop->pollers[loop->nr_pollers++] = *p;
	return 0;
}

void loop_del_poller(struct loop *loop, void *opaque)
{
	unsigned int i;

	for (i = 0; i < loop->nr_pollers; i++) {
		if (loop->pollers[i].opaque != opaque)
			continue;
		loop->pollers[i] = loop->pollers[--loop->nr_pollers];
		return;
	}
}

int loop_poll_fd(struct loop *loop, int fd, short events)
{
	if (loop->nr_pollfds == LOOP_MAX_POLLFDS)
		return -1;
	loop->pollfds[loop->nr_pollfds] =
		(struct pollfd){ .fd = fd, .events = events };
	return loop->nr_pollfds++;
}

short loop_poll_revents(const struct loop *loop, int idx)
{
	if (idx <= 0 || (unsigned int)idx >= loop->nr_pollfds)
		return 0;
	return loop->pollfds[idx].revents;
}

static int dispatch_epoll(struct loop *loop, int timeout_ms)
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

/*
 * With pollers, one poll(2) waits on the epoll fd (readable when any
 * source is ready) and on the pollers' fds together.
 */
int loop_run_once(struct loop *loop, int timeout_ms)
{
	unsigned int i;
	int n, ret = 0;
	bool err;

	if (!loop->nr_pollers)
		return dispatch_epoll(loop, timeout_ms);

	loop->pollfds[0] = (struct pollfd){ .fd = loop->epfd, .events = POLLIN };
	loop->nr_pollfds = 1;
	for (i = 0; i < loop->nr_pollers; i++)
		loop->pollers[i].prepare(loop, loop->pollers[i].opaque,
					 &timeout_ms);
	n = poll(loop->pollfds, loop->nr_pollfds, timeout_ms);
	err = n < 0 && errno != EINTR;
	if (n < 0 && errno == EINTR) {
		/* Nothing is ready; the pollers still see no events. */
		for (i = 0; i < loop->nr_pollfds; i++)
			loop->pollfds[i].revents = 0;
	}
	if (n > 0 && loop->pollfds[0].revents)
		ret = dispatch_epoll(loop, 0);
	/* Timers of a poller run in dispatch, whether fds fired or not. */
	for (i = 0; i < loop->nr_pollers; i++)
		loop->pollers[i].dispatch(loop, loop->pollers[i].opaque, err);
	return ret < 0 ? ret : n < 0 ? 0 : n;
}
