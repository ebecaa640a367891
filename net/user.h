/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_USER_H
#define KNIT_NET_USER_H

#include "net/netdev.h"
#include "net/user_options.h"

struct loop;

/*
 * --netdev user: a libslirp instance per netdev, its sockets and timers
 * run by knit's main loop. The guest sees a private network with a
 * gateway, DNS and DHCP; its connections leave through the host's
 * ordinary sockets, so no privilege is needed.
 */
int user_create(struct netdev **out, const struct netdev_cfg *cfg,
		struct loop *loop);
void user_destroy(struct netdev *nd);

/*
 * Add or remove a port forward while the VM runs. On failure err holds
 * one line saying why and the result is -EINVAL (or -ENOENT for remove
 * of a rule that is not there).
 */
int user_hostfwd_add(struct netdev *nd, const struct user_hostfwd *fwd,
		     char *err, size_t errlen);
int user_hostfwd_remove(struct netdev *nd, const struct user_hostfwd *fwd,
			char *err, size_t errlen);

/* libslirp's connection table (QEMU's `info usernet`), malloc'd text. */
char *user_info(struct netdev *nd);

#endif
