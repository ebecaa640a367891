/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_VIRTIO_VHOST_NET_H
#define KNIT_HW_VIRTIO_VHOST_NET_H

#include "hw/virtio/virtio.h"

/*
 * One in-kernel vhost-net worker for one queue pair of a virtio-net
 * device: it reads the rings directly, is kicked through the queues'
 * ioeventfds and interrupts through the transport's irqfds, and moves
 * frames to and from a tap fd.
 */
struct vhost_net {
	int fd;
	bool running;
};

#define VHOST_NET_DEV	"/dev/vhost-net"

/* Can this host do vhost-net at all (device node present and usable)? */
bool vhost_net_available(void);
/*
 * Hand queues rxq and txq of vdev (DRIVER_OK, rings set) to the kernel
 * with tap_fd as the back end. -errno when the kernel refuses; nothing
 * is left open then.
 */
int vhost_net_start(struct vhost_net *vh, struct virtio_dev *vdev, u16 rxq,
		    u16 txq, int tap_fd);
void vhost_net_stop(struct vhost_net *vh);

#endif
