// SPDX-License-Identifier: GPL-2.0
/*
 * The device side of a split virtqueue (virtio 1.2, 2.7).
 *
 * The rings are shared with a driver we do not trust. The rules kept
 * throughout this file:
 *  - guest memory is reached only through guest_ptr(), which refuses any
 *    range not wholly inside one RAM region;
 *  - every field the driver writes is loaded exactly once into a local
 *    and checked there, so the driver cannot change it between the check
 *    and the use;
 *  - the first malformed thing seen marks the queue broken, and a broken
 *    queue touches guest memory no more until vq_reset().
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "hw/virtio/virtqueue.h"

/* Descriptor flags and ring flags (virtio 1.2, 2.7.5 - 2.7.8). */
#define VRING_DESC_F_NEXT		1
#define VRING_DESC_F_WRITE		2
#define VRING_DESC_F_INDIRECT		4
#define VRING_USED_F_NO_NOTIFY		1
#define VRING_AVAIL_F_NO_INTERRUPT	1

#define DESC_SIZE	16	/* le64 addr, le32 len, le16 flags, next */
#define USED_ELEM_SIZE	8	/* le32 id, le32 len */
#define RING_HDR	4	/* le16 flags, le16 idx before ring[] */

/* A descriptor as loaded from the guest, in host byte order. */
struct desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

/* Stop the compiler from re-reading guest memory in place of a copy. */
#define barrier() __asm__ __volatile__("" ::: "memory")

static int vq_fail(struct virtqueue *vq, const char *why)
{
	pr_warn("virtqueue: %s; queue marked broken", why);
	vq->broken = true;
	return -EIO;
}

static void *ring_ptr(const struct virtqueue *vq, u64 gpa, u64 len)
{
	return guest_ptr(vq->mem, gpa, len);
}

/*
 * The ring fields below were checked to be in RAM by vq_start(); the
 * NULL checks in the callers only guard against a memory map that
 * changed under an enabled queue.
 */
static u16 *avail_flags(const struct virtqueue *vq)
{
	return ring_ptr(vq, vq->avail_gpa, 2);
}

static u16 *avail_idx(const struct virtqueue *vq)
{
	return ring_ptr(vq, vq->avail_gpa + 2, 2);
}

static u16 *avail_ring(const struct virtqueue *vq, u16 i)
{
	return ring_ptr(vq, vq->avail_gpa + RING_HDR + 2ULL * i, 2);
}

static u16 *used_event(const struct virtqueue *vq)
{
	return avail_ring(vq, vq->size);
}

static u16 *used_flags(const struct virtqueue *vq)
{
	return ring_ptr(vq, vq->used_gpa, 2);
}

static u16 *used_idx(const struct virtqueue *vq)
{
	return ring_ptr(vq, vq->used_gpa + 2, 2);
}

static u32 *used_elem(const struct virtqueue *vq, u16 i)
{
	return ring_ptr(vq, vq->used_gpa + RING_HDR + (u64)USED_ELEM_SIZE * i,
			USED_ELEM_SIZE);
}

static u16 *avail_event(const struct virtqueue *vq)
{
	return ring_ptr(vq, vq->used_gpa + RING_HDR +
				    (u64)USED_ELEM_SIZE * vq->size, 2);
}

static u16 load16(const u16 *p, int order)
{
	return le16toh(__atomic_load_n(p, order));
}

static void store16(u16 *p, u16 v, int order)
{
	__atomic_store_n(p, htole16(v), order);
}

/* Copy one descriptor out of guest memory; 'src' may be unaligned. */
static void fetch_desc(struct desc *d, const void *src)
{
	u8 raw[DESC_SIZE];
	u64 addr;
	u32 len;
	u16 flags, next;

	memcpy(raw, src, sizeof(raw));
	barrier();
	memcpy(&addr, raw, 8);
	memcpy(&len, raw + 8, 4);
	memcpy(&flags, raw + 12, 2);
	memcpy(&next, raw + 14, 2);
	d->addr = le64toh(addr);
	d->len = le32toh(len);
	d->flags = le16toh(flags);
	d->next = le16toh(next);
}

void vq_reset(struct virtqueue *vq)
{
	memset(vq, 0, sizeof(*vq));
}

static bool is_pow2(u16 n)
{
	return n && !(n & (n - 1));
}

int vq_start(struct virtqueue *vq, const struct guest_mem *mem, u16 size,
	     u64 desc_gpa, u64 avail_gpa, u64 used_gpa, bool event_idx,
	     bool indirect)
{
	vq_reset(vq);
	if (!mem || !is_pow2(size) || size > VQ_MAX_SIZE)
		return -EINVAL;
	if (!IS_ALIGNED(desc_gpa, 16) || !IS_ALIGNED(avail_gpa, 2) ||
	    !IS_ALIGNED(used_gpa, 4))
		return -EINVAL;
	/* used_event and avail_event are counted whether negotiated or not. */
	if (!guest_range_ok(mem, desc_gpa, (u64)DESC_SIZE * size) ||
	    !guest_range_ok(mem, avail_gpa, RING_HDR + 2ULL * size + 2) ||
	    !guest_range_ok(mem, used_gpa,
			    RING_HDR + (u64)USED_ELEM_SIZE * size + 2))
		return -EINVAL;

	vq->mem = mem;
	vq->size = size;
	vq->desc_gpa = desc_gpa;
	vq->avail_gpa = avail_gpa;
	vq->used_gpa = used_gpa;
	vq->event_idx = event_idx;
	vq->indirect = indirect;
	vq->enabled = true;
	return 0;
}

/* Append one checked buffer to the chain. */
static int add_buffer(struct virtqueue *vq, struct vq_chain *chain,
		      const struct desc *d)
{
	unsigned int n = chain->nr_out + chain->nr_in;
	bool write = d->flags & VRING_DESC_F_WRITE;
	void *p = NULL;

	if (n == VQ_MAX_SEGS)
		return vq_fail(vq, "more than VQ_MAX_SEGS buffers in a chain");
	if (!write && chain->nr_in)
		return vq_fail(vq, "readable buffer after a writable one");
	/* A zero-length buffer is never dereferenced: any address will do. */
	if (d->len) {
		p = guest_ptr(vq->mem, d->addr, d->len);
		if (!p)
			return vq_fail(vq, "buffer outside guest RAM");
	}
	chain->iov[n].iov_base = p;
	chain->iov[n].iov_len = d->len;
	if (write) {
		chain->nr_in++;
		chain->in_len += d->len;
	} else {
		chain->nr_out++;
		chain->out_len += d->len;
	}
	return 0;
}

/*
 * Walk an indirect table. The table is a chain of its own, starting at
 * entry 0 with next indices relative to the table (2.7.5.3).
 */
static int walk_indirect(struct virtqueue *vq, struct vq_chain *chain,
			 const struct desc *ind)
{
	unsigned int n, count = 0;
	const u8 *table;
	u16 i = 0;
	int ret;

	if (!vq->indirect)
		return vq_fail(vq, "indirect descriptor not negotiated");
	/* 2.7.5.3.1: the driver MUST NOT set both INDIRECT and NEXT. */
	if (ind->flags & VRING_DESC_F_NEXT)
		return vq_fail(vq, "indirect descriptor with NEXT");
	if (!ind->len || ind->len % DESC_SIZE ||
	    ind->len / DESC_SIZE > VQ_MAX_SEGS)
		return vq_fail(vq, "bad indirect table length");
	table = guest_ptr(vq->mem, ind->addr, ind->len);
	if (!table)
		return vq_fail(vq, "indirect table outside guest RAM");
	n = ind->len / DESC_SIZE;

	for (;;) {
		struct desc d;

		if (++count > n)
			return vq_fail(vq, "loop in indirect table");
		fetch_desc(&d, table + (size_t)DESC_SIZE * i);
		if (d.flags & VRING_DESC_F_INDIRECT)
			return vq_fail(vq, "nested indirect table");
		ret = add_buffer(vq, chain, &d);
		if (ret)
			return ret;
		if (!(d.flags & VRING_DESC_F_NEXT))
			return 0;
		if (d.next >= n)
			return vq_fail(vq, "indirect next index out of table");
		i = d.next;
	}
}

/*
 * Walk the chain from 'head' in the descriptor table: zero or more
 * direct descriptors, optionally ending in one indirect descriptor
 * (2.7.5.3.2). The WRITE flag of an indirect descriptor is ignored.
 */
static int walk_chain(struct virtqueue *vq, struct vq_chain *chain, u16 head)
{
	unsigned int count = 0;
	u16 i = head;
	int ret;

	for (;;) {
		const void *p;
		struct desc d;

		/* Only 'size' descriptors exist: any more means a loop. */
		if (++count > vq->size)
			return vq_fail(vq, "descriptor chain loops");
		p = ring_ptr(vq, vq->desc_gpa + (u64)DESC_SIZE * i, DESC_SIZE);
		if (!p)
			return vq_fail(vq, "descriptor table left guest RAM");
		fetch_desc(&d, p);
		if (d.flags & VRING_DESC_F_INDIRECT)
			return walk_indirect(vq, chain, &d);
		ret = add_buffer(vq, chain, &d);
		if (ret)
			return ret;
		if (!(d.flags & VRING_DESC_F_NEXT))
			return 0;
		if (d.next >= vq->size)
			return vq_fail(vq, "next index out of table");
		i = d.next;
	}
}

int vq_pop(struct virtqueue *vq, struct vq_chain *chain)
{
	u16 *idx_p, *ring_p, avail, head;
	int ret;

	if (vq->broken)
		return -EIO;
	if (!vq->enabled)
		return 0;
	idx_p = avail_idx(vq);
	if (!idx_p)
		return vq_fail(vq, "avail ring left guest RAM");
	/* Acquire: the ring entries below were written before idx. */
	avail = load16(idx_p, __ATOMIC_ACQUIRE);
	if (avail == vq->last_avail)
		return 0;
	if ((u16)(avail - vq->last_avail) > vq->size)
		return vq_fail(vq, "avail idx too far ahead");
	ring_p = avail_ring(vq, vq->last_avail & (vq->size - 1));
	if (!ring_p)
		return vq_fail(vq, "avail ring left guest RAM");
	head = load16(ring_p, __ATOMIC_RELAXED);
	if (head >= vq->size)
		return vq_fail(vq, "head index out of table");

	chain->head = head;
	chain->nr_out = 0;
	chain->nr_in = 0;
	chain->out_len = 0;
	chain->in_len = 0;
	ret = walk_chain(vq, chain, head);
	if (ret)
		return ret;
	vq->last_avail++;
	return 1;
}

void vq_unpop(struct virtqueue *vq, u16 n)
{
	if (vq->broken || !vq->enabled)
		return;
	vq->last_avail -= n;
}

/* -EIO for a broken queue, -EINVAL for one that was never started. */
static int vq_usable(const struct virtqueue *vq)
{
	if (vq->broken)
		return -EIO;
	return vq->enabled ? 0 : -EINVAL;
}

int vq_fill(struct virtqueue *vq, u16 head, u32 len, u16 offset)
{
	int ret = vq_usable(vq);
	u32 *elem;

	if (ret)
		return ret;
	if (head >= vq->size || offset >= vq->size)
		return -EINVAL;
	elem = used_elem(vq, (u16)(vq->used_idx + offset) & (vq->size - 1));
	if (!elem)
		return vq_fail(vq, "used ring left guest RAM");
	__atomic_store_n(&elem[0], htole32(head), __ATOMIC_RELAXED);
	__atomic_store_n(&elem[1], htole32(len), __ATOMIC_RELAXED);
	return 0;
}

int vq_flush(struct virtqueue *vq, u16 n)
{
	int ret = vq_usable(vq);
	u16 *idx_p;

	if (ret)
		return ret;
	if (n > vq->size)
		return -EINVAL;
	idx_p = used_idx(vq);
	if (!idx_p)
		return vq_fail(vq, "used ring left guest RAM");
	vq->used_idx += n;
	/* Release: the driver must see the elements before the index. */
	store16(idx_p, vq->used_idx, __ATOMIC_RELEASE);
	/*
	 * After 2^16 entries without a vq_should_notify() the old
	 * signalled_used is ambiguous; notify next time to be safe.
	 */
	if ((u16)(vq->used_idx - vq->signalled_used) < n)
		vq->signalled_valid = false;
	return 0;
}

int vq_push(struct virtqueue *vq, u16 head, u32 len)
{
	int ret = vq_fill(vq, head, len, 0);

	return ret ? ret : vq_flush(vq, 1);
}

/* virtio 1.2, 2.7.10: has new_idx just passed event, coming from old? */
static bool need_event(u16 event, u16 new_idx, u16 old)
{
	return (u16)(new_idx - event - 1) < (u16)(new_idx - old);
}

bool vq_should_notify(struct virtqueue *vq)
{
	u16 *p, old, event;
	bool valid;

	if (vq->broken)
		return true;
	if (!vq->enabled)
		return false;
	/* Our used->idx store must be visible before we read the driver's. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!vq->event_idx) {
		p = avail_flags(vq);
		return !p || !(load16(p, __ATOMIC_RELAXED) &
			       VRING_AVAIL_F_NO_INTERRUPT);
	}

	old = vq->signalled_used;
	valid = vq->signalled_valid;
	vq->signalled_used = vq->used_idx;
	vq->signalled_valid = true;
	if (!valid)
		return true;
	p = used_event(vq);
	if (!p)
		return true;
	event = load16(p, __ATOMIC_RELAXED);
	return need_event(event, vq->used_idx, old);
}

void vq_set_notification(struct virtqueue *vq, bool enable)
{
	u16 *p, *q;

	if (vq->broken || !vq->enabled)
		return;
	if (vq->event_idx) {
		/*
		 * Disabling leaves avail_event where it was: the driver
		 * kicks at most once more, which is harmless.
		 */
		if (!enable)
			return;
		/*
		 * "Kick me for anything past what is there now": the
		 * driver's current index, not ours. A receive queue may hold
		 * buffers too few for the frame at hand; with avail_event
		 * left at our index, the driver's next additions would all
		 * lie past it and none would kick.
		 */
		p = avail_event(vq);
		q = avail_idx(vq);
		if (p && q)
			store16(p, load16(q, __ATOMIC_ACQUIRE),
				__ATOMIC_RELAXED);
	} else {
		u16 flags;

		p = used_flags(vq);
		if (!p)
			return;
		/* Only the device writes used->flags, so this is no race. */
		flags = load16(p, __ATOMIC_RELAXED);
		if (enable)
			flags &= ~VRING_USED_F_NO_NOTIFY;
		else
			flags |= VRING_USED_F_NO_NOTIFY;
		store16(p, flags, __ATOMIC_RELAXED);
	}
	/* The caller re-reads avail->idx next; order it after our store. */
	if (enable)
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

bool vq_has_avail(struct virtqueue *vq)
{
	u16 *p;

	if (vq->broken || !vq->enabled)
		return false;
	p = avail_idx(vq);
	return p && load16(p, __ATOMIC_ACQUIRE) != vq->last_avail;
}

size_t vq_chain_read(const struct vq_chain *chain, size_t skip, void *buf,
		     size_t len)
{
	size_t done = 0;
	unsigned int i;

	for (i = 0; i < chain->nr_out && done < len; i++) {
		const struct iovec *iov = &chain->iov[i];
		size_t n;

		if (skip >= iov->iov_len) {
			skip -= iov->iov_len;
			continue;
		}
		n = MIN(iov->iov_len - skip, len - done);
		memcpy((u8 *)buf + done, (const u8 *)iov->iov_base + skip, n);
		done += n;
		skip = 0;
	}
	return done;
}

size_t vq_chain_write(const struct vq_chain *chain, size_t skip,
		      const void *buf, size_t len)
{
	unsigned int end = chain->nr_out + chain->nr_in;
	size_t done = 0;
	unsigned int i;

	for (i = chain->nr_out; i < end && done < len; i++) {
		const struct iovec *iov = &chain->iov[i];
		size_t n;

		if (skip >= iov->iov_len) {
			skip -= iov->iov_len;
			continue;
		}
		n = MIN(iov->iov_len - skip, len - done);
		memcpy((u8 *)iov->iov_base + skip, (const u8 *)buf + done, n);
		done += n;
		skip = 0;
	}
	return done;
}
