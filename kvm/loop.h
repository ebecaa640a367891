/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_KVM_LOOP_H
#define KNIT_KVM_LOOP_H

#include <pthread.h>

#include "knit/util.h"

#define LOOP_MAX_SOURCES 128

typedef void (*loop_fn)(void *opaque, u32 events);

struct loop_source {
	int fd;
	loop_fn fn;
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
};

int loop_init(struct loop *loop);
void loop_exit(struct loop *loop);
int loop_add(struct loop *loop, int fd, u32 events, loop_fn fn, void *opaque);
void loop_del(struct loop *loop, int fd);
/* Wait up to timeout_ms (-1: forever) and dispatch what is ready. */
int loop_run_once(struct loop *loop, int timeout_ms);

#endif
