/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_NETDEV_H
#define KNIT_NET_NETDEV_H

#include "net/net.h"
#include "net/options.h"

struct loop;

/*
 * A network back end at run time: one net_port per queue pair, joined to
 * the NIC's port of the same queue. A netdev removes on destroy whatever
 * it created on the host (taps, bridges, addresses) and leaves alone what
 * was there before.
 */
struct netdev {
	const struct netdev_cfg *cfg;
	unsigned int nr_queues;
	struct net_port ports[NET_MAX_QUEUES];
	void *priv;		/* the backend's own state (struct tap_backend) */
};

/*
 * Create the backend cfg describes, with its fds polled on loop. Usage
 * errors (a name in use, br= not a bridge, a missing bridge without
 * create=on, no CAP_NET_ADMIN) print one line and return -EINVAL with the
 * host left unchanged; other failures return -errno.
 */
/*
 * For back ends with one queue pair and plain frames (user, sockets,
 * hubports): fill nd with its one port.
 */
void netdev_init_single(struct netdev *nd, const struct netdev_cfg *cfg,
			const struct net_port_ops *ops, void *priv);

int netdev_create(struct netdev **out, const struct netdev_cfg *cfg,
		  struct loop *loop);
void netdev_destroy(struct netdev *nd);

/* The tap fd of queue pair q, for vhost-net; -ENOTSUP for other types. */
int netdev_tap_fd(struct netdev *nd, unsigned int q);
/*
 * While on, the kernel (vhost-net) moves queue q's frames: the backend
 * stops reading that tap fd itself.
 */
void netdev_set_kernel_datapath(struct netdev *nd, unsigned int q, bool on);

/* set-link: take every queue pair's link down or up. */
void netdev_set_link(struct netdev *nd, bool up);

/* Offloads the guest negotiated, so the tap hands over only those. */
struct net_offloads {
	bool csum;		/* guest takes partial checksums */
	bool tso4;
	bool tso6;
	bool ecn;
	bool ufo;
};
int netdev_set_offloads(struct netdev *nd, const struct net_offloads *off);

#endif
