// SPDX-License-Identifier: GPL-2.0
/*
 * Hubs: a list of hubports per hub number, kept here for the process.
 * All frames move on the main loop thread.
 */
#include <errno.h>
#include <stdlib.h>

#include "net/hub.h"

struct hubport {
	struct netdev nd;
	unsigned int hubid;
	struct hubport *next;	/* every hubport, of every hub */
	u64 dropped;
};

static struct hubport *hubports;

static struct hubport *to_hubport(struct netdev *nd)
{
	return container_of(nd, struct hubport, nd);
}

/* A frame from this port's peer: out through every other port of the hub. */
static ssize_t hub_receive(struct net_port *port, const struct iovec *iov,
			   int iovcnt)
{
	struct hubport *from = port->opaque, *p;
	ssize_t len = 0;
	int i;

	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	for (p = hubports; p; p = p->next) {
		if (p == from || p->hubid != from->hubid)
			continue;
		if (net_port_send(&p->nd.ports[0], iov, iovcnt) <= 0)
			p->dropped++;
	}
	/* Senders that queue (io_uring) are told the batch is over. */
	for (p = hubports; p; p = p->next)
		if (p != from && p->hubid == from->hubid)
			net_port_flush_peer(&p->nd.ports[0]);
	return len;
}

static const struct net_port_ops hub_port_ops = {
	.receive = hub_receive,
};

int hubport_create(struct netdev **out, const struct netdev_cfg *cfg)
{
	struct hubport *hp = calloc(1, sizeof(*hp));

	if (!hp)
		return -ENOMEM;
	hp->hubid = cfg->hubid;
	netdev_init_single(&hp->nd, cfg, &hub_port_ops, hp);
	hp->next = hubports;
	hubports = hp;
	*out = &hp->nd;
	return 0;
}

void hubport_destroy(struct netdev *nd)
{
	struct hubport *hp = to_hubport(nd), **pp;

	for (pp = &hubports; *pp; pp = &(*pp)->next) {
		if (*pp == hp) {
			*pp = hp->next;
			break;
		}
	}
	/*
	 * Its peer is left alone: netdevs go at knit's exit, all at once,
	 * with the loop stopped, and a back end may be gone already.
	 */
	free(hp);
}

void hubport_attach(struct netdev *hp, struct netdev *nd)
{
	net_port_connect(&hp->ports[0], &nd->ports[0]);
}
