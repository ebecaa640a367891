/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_SOCKET_H
#define KNIT_NET_SOCKET_H

#include "net/netdev.h"

struct loop;

/*
 * --netdev socket, stream and dgram: plain Ethernet frames to another
 * VM, QEMU, passt or anything that speaks QEMU's framing, over a TCP or
 * UNIX stream (a 4-byte big-endian length before each frame) or over
 * UDP, multicast or UNIX datagrams (one frame per datagram). One queue
 * pair, no vnet header, no vhost.
 *
 * A missing peer does not stop the VM: frames to it are dropped and
 * counted, a server takes the next client, and a client with
 * reconnect= tries again every so often.
 */
int socket_create(struct netdev **out, const struct netdev_cfg *cfg,
		  struct loop *loop);
void socket_destroy(struct netdev *nd);

struct socket_stats {
	bool connected;		/* a peer now (datagrams: always) */
	u64 tx_frames;		/* guest -> peer, sent or queued */
	u64 tx_dropped;		/* no peer, send error, queued at a close */
	u64 rx_frames;		/* peer -> guest, taken by the NIC */
	u64 rx_dropped;		/* bad length or size, refused by the NIC */
	u64 rx_oversized;	/* of those: over FRAME_MAX */
	u64 rx_empty;		/* of those: zero length */
	u64 rx_echoes;		/* multicast: our own frames come back, skipped */
	u64 connects;		/* connections made or accepted */
	u64 disconnects;	/* connections lost or cut for a bad length */
};

void socket_get_stats(struct netdev *nd, struct socket_stats *st);

#endif
