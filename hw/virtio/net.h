/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_VIRTIO_NET_H
#define KNIT_HW_VIRTIO_NET_H

#include "hw/virtio/mmio.h"
#include "hw/virtio/pci.h"
#include "hw/virtio/vhost_net.h"
#include "net/net.h"
#include "net/options.h"

struct netdev;

/* Where the machine puts a NIC: the PCI bus, or an MMIO window + GSI. */
struct nic_slot {
	enum nic_transport transport;
	struct pci_bus *pci;
	struct irq_routing *routing;
	struct irq_line *intx;
	struct bus *mmio;
	u64 mmio_base;
	u32 mmio_gsi;
};

#define VNET_MAC_FILTER_MAX	64

/* The receive filter the driver programs through the control queue. */
struct vnet_rx_filter {
	bool promisc, allmulti, alluni;
	bool nomulti, nouni, nobcast;
	bool vlan_filtering;		/* CTRL_VLAN negotiated */
	u32 nr_uni, nr_multi;
	bool uni_overflow, multi_overflow;
	u8 uni[VNET_MAC_FILTER_MAX][6];
	u8 multi[VNET_MAC_FILTER_MAX][6];
	u8 vlans[4096 / 8];
};

struct vnet_direct;

struct virtio_net {
	union {
		struct virtio_pci pci;
		struct virtio_mmio mmio;
	} t;				/* both start with their virtio_dev */
	struct virtio_dev *vdev;
	enum nic_transport transport;
	char name[16];
	u8 mac[6];
	u16 status;			/* VIRTIO_NET_S_* in config space */
	u16 pairs;			/* queue pairs offered */
	u16 active_pairs;		/* as set by VQ_PAIRS_SET */
	struct netdev *nd;
	enum opt_switch vhost_mode;
	struct vhost_net vhost[NET_MAX_QUEUES];
	struct net_port ports[NET_MAX_QUEUES];
	bool tx_blocked[NET_MAX_QUEUES];	/* peer had no room */
	bool rx_starved[NET_MAX_QUEUES];	/* a frame found no buffer */
	bool rx_notify[NET_MAX_QUEUES];		/* for the sender's flush */
	struct vnet_rx_filter filter;
	struct vq_chain *chain;		/* scratch for tx and ctrl, main loop only */
	/*
	 * Receive has its own: a frame may come in while this NIC sends
	 * (a hub, or a back end that answers at once, hands it back).
	 */
	struct vq_chain *rx_chain;
	u8 *frame;			/* scratch for one received frame */
	struct vnet_direct *direct;	/* buffers lent by rx_buffers() */
	u64 rx_dropped, tx_dropped;
};

int virtio_net_create(struct virtio_net **out, unsigned int index,
		      const u8 mac[6], struct netdev *nd,
		      enum opt_switch vhost, const struct nic_slot *slot,
		      struct vm *vm, struct loop *loop);
void virtio_net_destroy(struct virtio_net *n);

/* Would the filter let this frame (starting at the Ethernet header) in? */
bool vnet_rx_filter_accept(const struct vnet_rx_filter *f, const u8 *mac,
			   const u8 *frame, size_t len);

#endif
