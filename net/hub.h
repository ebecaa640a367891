/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_HUB_H
#define KNIT_NET_HUB_H

#include "net/netdev.h"

/*
 * Hubs (QEMU's hubport netdevs): every port of hub N passes each frame
 * it takes from its peer (a NIC, or a back end joined with netdev=) to
 * the peers of all the other ports of hub N. Frames are plain Ethernet;
 * a peer with no room loses the frame, as on a real hub.
 */
int hubport_create(struct netdev **out, const struct netdev_cfg *cfg);
void hubport_destroy(struct netdev *nd);
/* Join back end nd (a hubport's netdev=) to hubport hp. */
void hubport_attach(struct netdev *hp, struct netdev *nd);

#endif
