/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_GSO_H
#define KNIT_NET_GSO_H

#include <stddef.h>

#include "knit/util.h"
#include "net/netdev.h"

/*
 * Frames from a tap with offloads on, for a NIC that has none: a frame
 * after a vnet header may be a TCP segment of up to 64 KiB to cut into
 * MSS-sized frames, or carry a partial checksum to finish. Taking them
 * this way spares the host kernel segmenting and checksumming every
 * frame before the tap; the work is done here instead, once, while the
 * frames are copied for the guest.
 */
/* The longest frame after a vnet header: Ethernet, a VLAN tag, 64 KiB of IP. */
#define NET_GSO_FRAME_MAX	(14 + 4 + 65535)

struct net_gso {
	const u8 *frame;	/* after the vnet header */
	size_t len;
	bool segment;		/* TCP segmentation */
	bool v6;
	bool partial;		/* a checksum to finish at csum_start */
	bool csum_ok;		/* the host vouches for the checksums */
	u32 l3, l4, hdr_len;	/* IP and TCP header offsets, headers' end */
	u32 mss;
	u32 csum_start, csum_offset;
	unsigned int nr_frames;
};

/*
 * Read the vnet header at buf (NET_VNET_HDR_LEN bytes, then the frame).
 * Returns the number of plain frames to make (at least 1), or -EINVAL
 * for a header the frame cannot back, or an offload knit does not take.
 */
int net_gso_parse(struct net_gso *g, const u8 *buf, size_t len);

/* True when the frame goes as it is: no segments, no checksum to do. */
static inline bool net_gso_as_is(const struct net_gso *g)
{
	return !g->segment && !g->partial;
}

/*
 * Write plain frame i (< nr_frames) to out, size bytes at most. Returns
 * its length, or 0 when it does not fit. Checksums in it are complete.
 */
size_t net_gso_frame(const struct net_gso *g, unsigned int i, u8 *out,
		     size_t size);

/* What a NIC without offloads asks of a tap (see gso.c). */
extern const struct net_offloads net_gso_offloads;

/*
 * A NIC's receive side for frames with vnet headers: one plain frame at
 * a time in seg, and how many frames of a refused one went through
 * already. The sender keeps a refused frame and offers it again (net.h),
 * so those are skipped then instead of reaching the guest twice.
 */
struct net_gso_rx {
	u8 *seg;
	size_t seg_size;
	unsigned int next;
};

/*
 * deliver: put one plain frame in the guest; false when the NIC has no
 * room for it. csum_ok says its checksums are known to be right.
 */
typedef bool (*net_gso_deliver_fn)(void *opaque, const u8 *frame, size_t len,
				   bool csum_ok);

/*
 * Hand the frame at buf (vnet header first) to deliver, cut as needed.
 * Returns 1 when it was all taken, 0 when the NIC had no room (offer it
 * again later), -EINVAL when its header does not fit it (dropped).
 */
int net_gso_receive(struct net_gso_rx *rx, const u8 *buf, size_t len,
		    net_gso_deliver_fn deliver, void *opaque);

#endif
