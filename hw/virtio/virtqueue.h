/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_VIRTIO_VIRTQUEUE_H
#define KNIT_HW_VIRTIO_VIRTQUEUE_H

#include <sys/uio.h>

#include "knit/util.h"
#include "kvm/memory.h"

/*
 * A split virtqueue (virtio 1.2, 2.7) as the device side walks it. The
 * rings live in guest memory and everything read from them is hostile:
 * every descriptor is checked against guest RAM before a device sees it,
 * and a malformed ring marks the queue broken instead of being trusted.
 * A broken queue does nothing until vq_reset(); the transport then tells
 * the driver with DEVICE_NEEDS_RESET.
 */

#define VQ_MAX_SIZE	1024	/* largest queue a knit device offers */
#define VQ_MAX_SEGS	VQ_MAX_SIZE	/* longest chain, indirect included */

/* Feature bits the engine implements (virtio 1.2, 6). */
#define VIRTIO_F_INDIRECT_DESC	28
#define VIRTIO_F_EVENT_IDX	29

struct virtqueue {
	const struct guest_mem *mem;
	u16 size;		/* entries; a power of two, 1..VQ_MAX_SIZE */
	u64 desc_gpa;		/* descriptor table, 16 * size bytes */
	u64 avail_gpa;		/* driver area: flags, idx, ring[], used_event */
	u64 used_gpa;		/* device area: flags, idx, ring[], avail_event */
	bool event_idx;		/* VIRTIO_F_EVENT_IDX negotiated */
	bool indirect;		/* VIRTIO_F_INDIRECT_DESC negotiated */
	bool enabled;		/* vq_start() succeeded, no vq_reset() since */
	bool broken;		/* hostile ring seen; see vq_broken() */

	u16 last_avail;		/* next avail ring entry to take */
	u16 used_idx;		/* our copy of used->idx */
	u16 signalled_used;	/* used->idx at the last interrupt */
	bool signalled_valid;	/* signalled_used means something */
};

/*
 * One descriptor chain taken from the avail ring, checked: iov[0..nr_out)
 * are buffers the device reads, iov[nr_out..nr_out+nr_in) buffers it
 * writes, each a host pointer wholly inside guest RAM.
 */
struct vq_chain {
	u16 head;		/* give back to vq_push() */
	unsigned int nr_out;
	unsigned int nr_in;
	size_t out_len;		/* bytes in the readable buffers */
	size_t in_len;		/* bytes in the writable buffers */
	struct iovec iov[VQ_MAX_SEGS];
};

/* Forget everything; the queue is disabled until vq_start(). */
void vq_reset(struct virtqueue *vq);
/*
 * Check the addresses and size the driver configured and enable the
 * queue; -EINVAL (queue stays disabled) when the size is not a power of
 * two up to VQ_MAX_SIZE, or a ring is misaligned or not wholly in RAM.
 */
int vq_start(struct virtqueue *vq, const struct guest_mem *mem, u16 size,
	     u64 desc_gpa, u64 avail_gpa, u64 used_gpa, bool event_idx,
	     bool indirect);
/*
 * Take the next available chain: 1 with *chain filled, 0 when the ring
 * is empty, -EIO when the ring is malformed (descriptor outside RAM, a
 * loop or a chain longer than the queue, an indirect table that is
 * empty, misaligned, nested or too long, a readable buffer after a
 * writable one, avail->idx more than size entries ahead). -EIO marks the
 * queue broken; later calls return -EIO at once. Zero-length buffers
 * are legal and appear as zero-length iovecs.
 */
int vq_pop(struct virtqueue *vq, struct vq_chain *chain);
/* Put back the last n chains taken, unused (the device has no room). */
void vq_unpop(struct virtqueue *vq, u16 n);
/*
 * Return a used chain with the number of bytes written into it. vq_fill
 * stages entry 'offset' past the current used index; vq_flush publishes
 * n staged entries at once (mergeable rx buffers need that). vq_push is
 * fill + flush of one.
 */
int vq_fill(struct virtqueue *vq, u16 head, u32 len, u16 offset);
int vq_flush(struct virtqueue *vq, u16 n);
int vq_push(struct virtqueue *vq, u16 head, u32 len);
/*
 * After pushing: should the driver get an interrupt? Honours
 * VRING_AVAIL_F_NO_INTERRUPT, or used_event with EVENT_IDX. Returns true
 * for a broken queue too, so the driver sees the error promptly.
 */
bool vq_should_notify(struct virtqueue *vq);
/*
 * Ask the driver to kick (true) or not to bother (false) when it adds
 * buffers: VRING_USED_F_NO_NOTIFY, or avail_event with EVENT_IDX. After
 * enabling, the caller must look at the ring again (vq_has_avail), since
 * buffers may have arrived in between.
 */
void vq_set_notification(struct virtqueue *vq, bool enable);
/* Are chains waiting? false for a disabled or broken queue. */
bool vq_has_avail(struct virtqueue *vq);
static inline bool vq_broken(const struct virtqueue *vq)
{
	return vq->broken;
}

/* Copy between a chain's buffers and a flat buffer; return bytes copied. */
size_t vq_chain_read(const struct vq_chain *chain, size_t skip, void *buf,
		     size_t len);
size_t vq_chain_write(const struct vq_chain *chain, size_t skip,
		      const void *buf, size_t len);

#endif
