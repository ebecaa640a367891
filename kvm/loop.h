/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_KVM_LOOP_H
#define KNIT_KVM_LOOP_H

#include <poll.h>
#include <pthread.h>

#include "knit/util.h"

#define LOOP_MAX_SOURCES 128

typedef void (*loop_fn)(void *opaque, u32 events);

struct loop_source {
	int fd;
	loop_fn fn;
	void *opaque;
};

#define LOOP_MAX_POLLERS 8
#define LOOP_MAX_POLLFDS 256

struct loop;

/*
 * A library that wants poll(2) semantics (libslirp: a new set of fds and
 * a timeout before every wait, their revents after it) joins the loop
 * as a poller. prepare() adds fds with loop_poll_fd() and may lower
 * *timeout_ms; dispatch() reads the results with loop_poll_revents().
 * Pollers live on the main thread only and are added before vCPUs run.
 */
struct loop_poller {
	void (*prepare)(struct loop *loop, void *opaque, int *timeout_ms);
	void (*dispatch)(struct loop *loop, void *opaque, bool poll_error);
	void *opaque;
};

/*
 * The main thread's event loop: file descriptors and their handlers.
 * vCPU threads never run here; devices that need the main thread's
 * attention signal an eventfd that is a source. Sources may be added and
 * removed from any thread (a device starting on a vCPU thread does).
 */
struct loop {
	int epfd;
	pthread_mutex_t lock;	/* guards sources[] */
	struct loop_source sources[LOOP_MAX_SOURCES];
	unsigned int nr_pollers;
	struct loop_poller pollers[LOOP_MAX_POLLERS];
	unsigned int nr_pollfds;	/* [0] is epfd itself */
	struct pollfd pollfds[LOOP_MAX_POLLFDS];
};

int loop_init(struct loop *loop);
void loop_exit(struct loop *loop);
int loop_add(struct loop *loop, int fd, u32 events, loop_fn fn, void *opaque);
void loop_del(struct loop *loop, int fd);
int loop_add_poller(struct loop *loop, const struct loop_poller *p);
void loop_del_poller(struct loop *loop, void *opaque);
/* From prepare(): watch fd for events (POLLIN...); returns its index or -1. */
int loop_poll_fd(struct loop *loop, int fd, short events);
/* From dispatch(): what poll() reported for the index loop_poll_fd gave. */
short loop_poll_revents(const struct loop *loop, int idx);
/* Wait up to timeout_ms (-1: forever) and dispatch what is ready. */
int loop_run_once(struct loop *loop, int timeout_ms);

#endif
