// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

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

	/* Nobody listening: the frame is lost, as on an unplugged cable. */
	if (!peer || !peer->ops->receive)
		return -ENOTCONN;
	return peer->ops->receive(peer, iov, iovcnt);
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
