// SPDX-License-Identifier: GPL-2.0
/*
 * The netdev API, dispatched by backend type: taps (a bridge netdev is a
 * tap that must join a bridge), user-mode networking, and host sockets
 * (socket, stream, dgram).
 */
#include <errno.h>

#include "net/netdev.h"
#include "net/socket.h"
#include "net/hub.h"
#include "net/tap.h"
#include "net/user.h"

static bool is_tap(const struct netdev_cfg *cfg)
{
	return cfg->type == NETDEV_TAP || cfg->type == NETDEV_BRIDGE;
}

static bool is_socket(const struct netdev_cfg *cfg)
{
	return cfg->type == NETDEV_SOCKET || cfg->type == NETDEV_STREAM ||
	       cfg->type == NETDEV_DGRAM;
}

void netdev_init_single(struct netdev *nd, const struct netdev_cfg *cfg,
			const struct net_port_ops *ops, void *priv)
{
	nd->cfg = cfg;
	nd->nr_queues = 1;
	nd->priv = priv;
	nd->ports[0] = (struct net_port){
		.name = cfg->id,
		.ops = ops,
		.vnet_hdr = false,
		.opaque = priv,
	};
}

int netdev_create(struct netdev **out, const struct netdev_cfg *cfg,
		  struct loop *loop)
{
	if (is_tap(cfg))
		return tap_create(out, cfg, loop);
	if (cfg->type == NETDEV_USER)
		return user_create(out, cfg, loop);
	if (cfg->type == NETDEV_HUBPORT)
		return hubport_create(out, cfg);
	if (is_socket(cfg))
		return socket_create(out, cfg, loop);
	pr_err("netdev %s: unknown backend type %d", cfg->id, cfg->type);
	return -EINVAL;
}

void netdev_destroy(struct netdev *nd)
{
	if (nd && is_tap(nd->cfg))
		tap_destroy(nd);
	else if (nd && nd->cfg->type == NETDEV_USER)
		user_destroy(nd);
	else if (nd && nd->cfg->type == NETDEV_HUBPORT)
		hubport_destroy(nd);
	else if (nd && is_socket(nd->cfg))
		socket_destroy(nd);
}

int netdev_tap_fd(struct netdev *nd, unsigned int q)
{
	if (!is_tap(nd->cfg))
		return -ENOTSUP;
	return tap_fd(nd, q);
}

void netdev_set_kernel_datapath(struct netdev *nd, unsigned int q, bool on)
{
	if (is_tap(nd->cfg))
		tap_set_kernel_datapath(nd, q, on);
}

int netdev_set_offloads(struct netdev *nd, const struct net_offloads *off)
{
	if (!is_tap(nd->cfg))
		return -ENOTSUP;
	return tap_set_offloads(nd, off);
}

void netdev_set_link(struct netdev *nd, bool up)
{
	unsigned int q;

	for (q = 0; q < nd->nr_queues; q++)
		net_port_set_link(&nd->ports[q], up);
}
