/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_NET_H
#define KNIT_NET_NET_H

#include <sys/types.h>
#include <sys/uio.h>

#include "knit/util.h"

/*
 * Where a NIC (front end) and a netdev (back end) meet. Each side is a
 * net_port; two connected ports are each other's peer, and a frame sent
 * on one is received by the other. A hub or a capture filter is just
 * another pair of ports in between.
 *
 * Frames may begin with a virtio-net header (struct virtio_net_hdr_v1,
 * 12 bytes: checksum and segmentation offload) when both ports say
 * vnet_hdr; otherwise they are plain Ethernet frames.
 *
 * All data-path calls happen on the main loop thread. (Sending from a
 * vCPU thread at the guest's doorbell was tried for rtl8139: in the
 * nested rig it made L2 triple-fault in 4 of 10 transfers, and it
 * stalls the vCPU for as long as a large send takes.)
 */

#define NET_VNET_HDR_LEN	12
#define NET_MAX_QUEUES		8	/* queue pairs per NIC or netdev */

struct net_port;
struct capture;

struct net_port_ops {
	/*
	 * Take one frame from the peer. Return its length when taken (or
	 * dropped on purpose), 0 when the port has no room now: the sender
	 * keeps the frame and waits for its wake() call.
	 */
	ssize_t (*receive)(struct net_port *port, const struct iovec *iov,
			   int iovcnt);
	/* The peer has room again after a 0 from its receive(). */
	void (*wake)(struct net_port *port);
	/*
	 * The peer finished a batch of receive() calls: a port that queues
	 * frames (io_uring) submits them now. The buffers handed to
	 * receive() stay valid until flush() returns, and no longer: a
	 * port that queues frames is done with them when it returns. A
	 * sender calls flush before it reuses them. May be NULL.
	 */
	void (*flush)(struct net_port *port);
	/* The peer's link went down or came up (set-link). May be NULL. */
	void (*link_changed)(struct net_port *port, bool up);
	/*
	 * For a peer that reads frames straight into this port's buffers
	 * (a tap into a guest's receive queue), sparing a copy. May be
	 * NULL. rx_buffers() fills iov (max entries) with room for want
	 * bytes and returns the entry count, or 0 when it cannot now (the
	 * peer then uses receive()). Each count above 0 is followed by one
	 * rx_commit() with the bytes written there: 0 hands them back.
	 */
	int (*rx_buffers)(struct net_port *port, struct iovec *iov, int max,
			  size_t want);
	void (*rx_commit)(struct net_port *port, size_t len);
};

struct net_port {
	const char *name;		/* for messages: "net0", "nic0" */
	const struct net_port_ops *ops;
	struct net_port *peer;
	bool vnet_hdr;			/* this side handles a vnet header */
	/*
	 * This side calls flush on its peer after every batch of sends,
	 * so the peer may keep work for the batch's end (one interrupt
	 * for the guest instead of one per frame).
	 */
	bool batches;
	void *opaque;
	struct capture *capture;	/* frames both ways go to a pcap */
	bool link_down;			/* set-link off: frames are dropped */
};

void net_port_connect(struct net_port *a, struct net_port *b);
/* Send a frame to port's peer; 0 for "no room, wait for wake". */
ssize_t net_port_send(struct net_port *port, const struct iovec *iov,
		      int iovcnt);
/*
 * Send a plain Ethernet frame; a port that takes vnet headers (a NIC
 * that has a tap's offloads cut for it, net/gso.h) puts an empty one
 * in front.
 */
ssize_t net_port_send_frame(struct net_port *port, const void *frame,
			    size_t len);
/* End of a batch of sends from port. */
void net_port_flush_peer(struct net_port *port);
/* Tell port's peer that port has room again. */
void net_port_wake_peer(struct net_port *port);
/*
 * Take port's link down or up, as pulling a cable: while down, frames
 * either way are dropped, and the peer hears of each change.
 */
void net_port_set_link(struct net_port *port, bool up);

#endif
