/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_TAP_H
#define KNIT_NET_TAP_H

#include "net/netdev.h"

/*
 * The tap backend behind NETDEV_TAP and NETDEV_BRIDGE (a bridge netdev
 * is a tap with br= required). netdev.c dispatches here.
 */

/* Name the kernel completes when the user gives no ifname=. */
#define TAP_NAME_PATTERN	"knit%d"

int tap_create(struct netdev **out, const struct netdev_cfg *cfg,
	       struct loop *loop);
void tap_destroy(struct netdev *nd);
int tap_fd(struct netdev *nd, unsigned int q);
void tap_set_kernel_datapath(struct netdev *nd, unsigned int q, bool on);
int tap_set_offloads(struct netdev *nd, const struct net_offloads *off);
/* The host's name for the tap, e.g. "knit0". */
const char *tap_ifname(struct netdev *nd);

#endif
