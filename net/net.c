// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

#include "net/capture.h"
#include "net/net.h"

void net_port_connect(struct net_port *a, struct net_port *b)
{
	a->peer = b;
	b->peer = a;
}

ssize_t net_port_send(struct net_port *port, const struct iovec *iov,
		      int iovcnt)
{
	struct net_port *peer = port->peer;

	struct capture *cap;
	ssize_t ret;

	/* Nobody listening: the frame is lost, as on an unplugged cable. */
	if (!peer || !peer->ops->receive)
		return -ENOTCONN;
	if (port->link_down || peer->link_down)
		return -ENOLINK;
	ret = peer->ops->receive(peer, iov, iovcnt);
	/* A frame the peer refused for now comes again: record it then. */
	cap = port->capture ? port->capture : peer->capture;
	if (cap && ret > 0)
		capture_frame(cap, iov, iovcnt,
			      port->vnet_hdr && peer->vnet_hdr ?
				      NET_VNET_HDR_LEN : 0);
	return ret;
}

ssize_t net_port_send_frame(struct net_port *port, const void *frame,
			    size_t len)
{
	static const u8 none[NET_VNET_HDR_LEN];
	struct iovec iov[2] = {
		{ (void *)none, sizeof(none) },
		{ (void *)frame, len },
	};

	if (!port->vnet_hdr)
		return net_port_send(port, iov + 1, 1);
	return net_port_send(port, iov, 2);
}

void net_port_flush_peer(struct net_port *port)
{
	if (port->peer && port->peer->ops->flush)
		port->peer->ops->flush(port->peer);
}

void net_port_wake_peer(struct net_port *port)
{
	if (port->peer && port->peer->ops->wake)
		port->peer->ops->wake(port->peer);
}

void net_port_set_link(struct net_port *port, bool up)
{
	if (port->link_down == !up)
		return;
	port->link_down = !up;
	if (port->peer && port->peer->ops->link_changed)
		port->peer->ops->link_changed(port->peer, up);
}
