// SPDX-License-Identifier: GPL-2.0
#include <endian.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hw/virtio/virtqueue.h"

/*
 * Fake guest RAM: a 1 MiB region and, right after it, a 4 KiB one, so
 * that a range can straddle two regions that are adjacent in the guest
 * physical map but not on the host.
 */
#define RAM_GPA		0x100000ULL
#define RAM_SIZE	0x100000ULL
#define RAM2_GPA	(RAM_GPA + RAM_SIZE)
#define RAM2_SIZE	0x1000ULL

#define DESC_GPA	(RAM_GPA + 0x0000)	/* room for 1024 entries */
#define AVAIL_GPA	(RAM_GPA + 0x4000)
#define USED_GPA	(RAM_GPA + 0x5000)
#define IND_GPA		(RAM_GPA + 0x8000)	/* indirect tables */
#define BUF_GPA		(RAM_GPA + 0x10000)	/* data buffers */
#define BUF(n)		(BUF_GPA + (n) * 0x100ULL)

#define F_NEXT		1
#define F_WRITE		2
#define F_INDIRECT	4

struct fx {
	struct guest_mem mem;
	u8 *ram, *ram2;
	struct virtqueue vq;
	struct vq_chain chain;
	u16 size;
	u16 avail;	/* the driver's avail->idx */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->ram = aligned_alloc(4096, RAM_SIZE);
	f->ram2 = aligned_alloc(4096, RAM2_SIZE);
	assert_non_null(f->ram);
	assert_non_null(f->ram2);
	memset(f->ram, 0, RAM_SIZE);
	memset(f->ram2, 0, RAM2_SIZE);
	assert_int_equal(guest_mem_add(&f->mem, RAM_GPA, f->ram, RAM_SIZE), 0);
	assert_int_equal(guest_mem_add(&f->mem, RAM2_GPA, f->ram2, RAM2_SIZE),
			 0);
	vq_reset(&f->vq);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->ram);
	free(f->ram2);
	free(f);
	return 0;
}

static void *gp(struct fx *f, u64 gpa, u64 len)
{
	void *p = guest_ptr(&f->mem, gpa, len);

	assert_non_null(p);
	return p;
}

static void put16(struct fx *f, u64 gpa, u16 v)
{
	u16 le = htole16(v);

	memcpy(gp(f, gpa, 2), &le, 2);
}

static u16 get16(struct fx *f, u64 gpa)
{
	u16 le;

	memcpy(&le, gp(f, gpa, 2), 2);
	return le16toh(le);
}

static u32 get32(struct fx *f, u64 gpa)
{
	u32 le;

	memcpy(&le, gp(f, gpa, 4), 4);
	return le32toh(le);
}

static void put_desc(struct fx *f, u64 table, u16 i, u64 addr, u32 len,
		     u16 flags, u16 next)
{
	u8 *p = gp(f, table + 16ULL * i, 16);
	u64 a = htole64(addr);
	u32 l = htole32(len);
	u16 fl = htole16(flags), n = htole16(next);

	memcpy(p, &a, 8);
	memcpy(p + 8, &l, 4);
	memcpy(p + 12, &fl, 2);
	memcpy(p + 14, &n, 2);
}

static void set_desc(struct fx *f, u16 i, u64 addr, u32 len, u16 flags,
		     u16 next)
{
	put_desc(f, DESC_GPA, i, addr, len, flags, next);
}

/* Start a queue with both rings zeroed, as a driver would. */
static void start(struct fx *f, u16 size, bool event_idx, bool indirect)
{
	memset(gp(f, AVAIL_GPA, 0x1000), 0, 0x1000);
	memset(gp(f, USED_GPA, 0x3000), 0, 0x3000);
	f->size = size;
	f->avail = 0;
	assert_int_equal(vq_start(&f->vq, &f->mem, size, DESC_GPA, AVAIL_GPA,
				  USED_GPA, event_idx, indirect),
			 0);
}

static void avail_add(struct fx *f, u16 head)
{
	put16(f, AVAIL_GPA + 4 + 2ULL * (f->avail % f->size), head);
	f->avail++;
	put16(f, AVAIL_GPA + 2, f->avail);
}

static void set_avail_flags(struct fx *f, u16 flags)
{
	put16(f, AVAIL_GPA, flags);
}

static void set_used_event(struct fx *f, u16 v)
{
	put16(f, AVAIL_GPA + 4 + 2ULL * f->size, v);
}

static u16 used_flags(struct fx *f)
{
	return get16(f, USED_GPA);
}

static u16 used_idx(struct fx *f)
{
	return get16(f, USED_GPA + 2);
}

static u64 avail_event_gpa(struct fx *f)
{
	return USED_GPA + 4 + 8ULL * f->size;
}

static void assert_used_elem(struct fx *f, u16 idx, u32 id, u32 len)
{
	u64 e = USED_GPA + 4 + 8ULL * (idx % f->size);

	assert_int_equal(get32(f, e), id);
	assert_int_equal(get32(f, e + 4), len);
}

static void assert_iov(struct fx *f, unsigned int i, u64 gpa, size_t len)
{
	assert_ptr_equal(f->chain.iov[i].iov_base, gp(f, gpa, len));
	assert_int_equal(f->chain.iov[i].iov_len, len);
}

/*
 * A walk must give up once it has seen more descriptors than could be
 * there, not only when the segment array fills up (a hostile driver
 * should not buy VQ_MAX_SEGS of work with a two-entry loop). What a
 * failed pop leaves in the chain is not API; this peeks at it.
 */
static void assert_walk_bounded(struct fx *f, unsigned int max)
{
	assert_true(f->chain.nr_out + f->chain.nr_in <= max);
}

/* The next pop must find a malformed ring. */
static void assert_pop_breaks(struct fx *f)
{
	assert_false(vq_broken(&f->vq));
	assert_int_equal(vq_pop(&f->vq, &f->chain), -EIO);
	assert_true(vq_broken(&f->vq));
}

/* --- vq_start --- */

static void test_start_refusals(void **state)
{
	struct fx *f = *state;
	struct virtqueue *vq = &f->vq;
	const struct guest_mem *m = &f->mem;
	u64 used_len = 4 + 8 * 8 + 2;

	assert_int_equal(vq_start(vq, m, 0, DESC_GPA, AVAIL_GPA, USED_GPA,
				  false, false), -EINVAL);
	assert_int_equal(vq_start(vq, m, 3, DESC_GPA, AVAIL_GPA, USED_GPA,
				  false, false), -EINVAL);
	assert_int_equal(vq_start(vq, m, 2048, DESC_GPA, AVAIL_GPA, USED_GPA,
				  false, false), -EINVAL);
	assert_int_equal(vq_start(vq, NULL, 8, DESC_GPA, AVAIL_GPA, USED_GPA,
				  false, false), -EINVAL);
	/* Misaligned rings. */
	assert_int_equal(vq_start(vq, m, 8, DESC_GPA + 8, AVAIL_GPA, USED_GPA,
				  false, false), -EINVAL);
	assert_int_equal(vq_start(vq, m, 8, DESC_GPA, AVAIL_GPA + 1, USED_GPA,
				  false, false), -EINVAL);
	assert_int_equal(vq_start(vq, m, 8, DESC_GPA, AVAIL_GPA, USED_GPA + 2,
				  false, false), -EINVAL);
	/* Rings outside RAM, wholly or by their last bytes. */
	assert_int_equal(vq_start(vq, m, 8, 0x1000, AVAIL_GPA, USED_GPA,
				  false, false), -EINVAL);
	assert_int_equal(vq_start(vq, m, 8, DESC_GPA, RAM2_GPA + RAM2_SIZE - 20,
				  USED_GPA, false, false), -EINVAL);
	assert_int_equal(vq_start(vq, m, 8, DESC_GPA, AVAIL_GPA,
				  RAM2_GPA + RAM2_SIZE - used_len + 2, false,
				  false), -EINVAL);
	/* A refused queue stays disabled. */
	assert_false(vq->enabled);
	assert_false(vq_has_avail(vq));
	assert_int_equal(vq_pop(vq, &f->chain), 0);
	assert_int_equal(vq_push(vq, 0, 0), -EINVAL);

	/* The limits themselves are fine. */
	assert_int_equal(vq_start(vq, m, 8, DESC_GPA, AVAIL_GPA,
				  RAM2_GPA + RAM2_SIZE - used_len - 2, false,
				  false), 0);
	assert_int_equal(vq_start(vq, m, 1, DESC_GPA, AVAIL_GPA, USED_GPA,
				  false, false), 0);
	assert_int_equal(vq_start(vq, m, VQ_MAX_SIZE, DESC_GPA, AVAIL_GPA,
				  USED_GPA, true, true), 0);
	assert_true(vq->enabled);
}

/* --- normal operation --- */

static void test_single_chain(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	assert_false(vq_has_avail(&f->vq));
	assert_int_equal(vq_pop(&f->vq, &f->chain), 0);

	set_desc(f, 5, BUF(0), 100, 0, 0);
	avail_add(f, 5);
	assert_true(vq_has_avail(&f->vq));
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.head, 5);
	assert_int_equal(f->chain.nr_out, 1);
	assert_int_equal(f->chain.nr_in, 0);
	assert_int_equal(f->chain.out_len, 100);
	assert_int_equal(f->chain.in_len, 0);
	assert_iov(f, 0, BUF(0), 100);
	assert_false(vq_has_avail(&f->vq));
	assert_int_equal(vq_pop(&f->vq, &f->chain), 0);

	assert_int_equal(used_idx(f), 0);
	assert_int_equal(vq_push(&f->vq, 5, 0), 0);
	assert_int_equal(used_idx(f), 1);
	assert_used_elem(f, 0, 5, 0);
}

static void test_multi_desc_chain(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	set_desc(f, 0, BUF(0), 10, F_NEXT, 3);
	set_desc(f, 3, BUF(1), 20, F_NEXT, 5);
	set_desc(f, 5, BUF(2), 30, F_WRITE | F_NEXT, 7);
	set_desc(f, 7, BUF(3), 40, F_WRITE, 0);
	avail_add(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.head, 0);
	assert_int_equal(f->chain.nr_out, 2);
	assert_int_equal(f->chain.nr_in, 2);
	assert_int_equal(f->chain.out_len, 30);
	assert_int_equal(f->chain.in_len, 70);
	assert_iov(f, 0, BUF(0), 10);
	assert_iov(f, 1, BUF(1), 20);
	assert_iov(f, 2, BUF(2), 30);
	assert_iov(f, 3, BUF(3), 40);
	assert_int_equal(vq_push(&f->vq, 0, 70), 0);
	assert_used_elem(f, 0, 0, 70);

	/* A chain using every descriptor once is as long as it may be. */
	start(f, 4, false, false);
	set_desc(f, 2, BUF(0), 1, F_NEXT, 0);
	set_desc(f, 0, BUF(1), 1, F_NEXT, 3);
	set_desc(f, 3, BUF(2), 1, F_NEXT, 1);
	set_desc(f, 1, BUF(3), 1, F_WRITE, 0);
	avail_add(f, 2);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.nr_out, 3);
	assert_int_equal(f->chain.nr_in, 1);
}

static void test_indirect_table(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, true);
	/* WRITE on the descriptor naming a table means nothing. */
	set_desc(f, 2, IND_GPA, 3 * 16, F_INDIRECT | F_WRITE, 0);
	put_desc(f, IND_GPA, 0, BUF(0), 11, F_NEXT, 2);
	put_desc(f, IND_GPA, 2, BUF(1), 22, F_NEXT, 1);
	put_desc(f, IND_GPA, 1, BUF(2), 33, F_WRITE, 0);
	avail_add(f, 2);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.head, 2);
	assert_int_equal(f->chain.nr_out, 2);
	assert_int_equal(f->chain.nr_in, 1);
	assert_int_equal(f->chain.out_len, 33);
	assert_int_equal(f->chain.in_len, 33);
	assert_iov(f, 0, BUF(0), 11);
	assert_iov(f, 1, BUF(1), 22);
	assert_iov(f, 2, BUF(2), 33);

	/* Direct descriptors followed by one indirect one (2.7.5.3.2). */
	set_desc(f, 4, BUF(3), 44, F_NEXT, 6);
	set_desc(f, 6, IND_GPA + 0x100, 16, F_INDIRECT, 0);
	put_desc(f, IND_GPA + 0x100, 0, BUF(4), 55, F_WRITE, 0);
	avail_add(f, 4);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.head, 4);
	assert_int_equal(f->chain.nr_out, 1);
	assert_int_equal(f->chain.nr_in, 1);
	assert_iov(f, 0, BUF(3), 44);
	assert_iov(f, 1, BUF(4), 55);
	assert_false(vq_broken(&f->vq));
}

static void test_wraparound(void **state)
{
	struct fx *f = *state;
	const u16 start_idx = 0xfff0;
	unsigned int round, total = 0;

	start(f, 4, false, false);
	/* Resume a queue whose indices are near the 16-bit wrap. */
	f->avail = start_idx;
	put16(f, AVAIL_GPA + 2, start_idx);
	put16(f, USED_GPA + 2, start_idx);
	f->vq.last_avail = start_idx;
	f->vq.used_idx = start_idx;
	for (round = 0; round < 4; round++)
		set_desc(f, round, BUF(round), 10 + round, F_WRITE, 0);

	for (round = 0; round < 20; round++) {
		unsigned int n = round % 4 + 1, i; /* up to a full ring */

		for (i = 0; i < n; i++)
			avail_add(f, (round + i) % 4);
		for (i = 0; i < n; i++) {
			assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
			assert_int_equal(f->chain.head, (round + i) % 4);
			assert_int_equal(f->chain.in_len,
					 10 + (round + i) % 4);
		}
		assert_int_equal(vq_pop(&f->vq, &f->chain), 0);
		for (i = 0; i < n; i++) {
			u16 at = used_idx(f);

			assert_int_equal(vq_push(&f->vq, (round + i) % 4,
						 round * 100 + i), 0);
			assert_int_equal(used_idx(f), (u16)(at + 1));
			assert_used_elem(f, at, (round + i) % 4,
					 round * 100 + i);
		}
		total += n;
	}
	assert_true(total > 0x10000 - start_idx);
	assert_int_equal(used_idx(f), (u16)(start_idx + total));
	assert_int_equal(f->vq.last_avail, (u16)(start_idx + total));
	assert_false(vq_broken(&f->vq));
}

static void test_fill_flush_batch(void **state)
{
	struct fx *f = *state;
	u16 h;

	start(f, 8, false, false);
	for (h = 1; h <= 3; h++) {
		set_desc(f, h, BUF(h), 64, F_WRITE, 0);
		avail_add(f, h);
		assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	}
	/* Staged out of order; nothing is visible until the flush. */
	assert_int_equal(vq_fill(&f->vq, 3, 30, 2), 0);
	assert_int_equal(vq_fill(&f->vq, 1, 10, 0), 0);
	assert_int_equal(vq_fill(&f->vq, 2, 20, 1), 0);
	assert_int_equal(used_idx(f), 0);
	assert_int_equal(vq_flush(&f->vq, 3), 0);
	assert_int_equal(used_idx(f), 3);
	assert_used_elem(f, 0, 1, 10);
	assert_used_elem(f, 1, 2, 20);
	assert_used_elem(f, 2, 3, 30);

	/* Device mistakes are refused without breaking the queue. */
	assert_int_equal(vq_fill(&f->vq, 8, 0, 0), -EINVAL);
	assert_int_equal(vq_fill(&f->vq, 0, 0, 8), -EINVAL);
	assert_int_equal(vq_flush(&f->vq, 9), -EINVAL);
	assert_int_equal(used_idx(f), 3);
	assert_false(vq_broken(&f->vq));
}

static void test_event_idx_notify(void **state)
{
	struct fx *f = *state;

	start(f, 8, true, false);
	set_used_event(f, 5);
	/* Nothing signalled yet: the first push always notifies. */
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
	assert_true(vq_should_notify(&f->vq));
	/* used 1 -> 2 and 2 -> 5 do not pass used_event 5 ... */
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
	assert_false(vq_should_notify(&f->vq));
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
	assert_false(vq_should_notify(&f->vq));
	/* ... 5 -> 6 does. */
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
	assert_true(vq_should_notify(&f->vq));
	/* Passing the event in the middle of a batch counts too. */
	set_used_event(f, 6);
	assert_int_equal(vq_fill(&f->vq, 0, 0, 0), 0);
	assert_int_equal(vq_fill(&f->vq, 1, 0, 1), 0);
	assert_int_equal(vq_flush(&f->vq, 2), 0);
	assert_true(vq_should_notify(&f->vq));
	/* An event far ahead suppresses, and NO_INTERRUPT is ignored. */
	set_used_event(f, 20);
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
	assert_false(vq_should_notify(&f->vq));
	set_avail_flags(f, 1);
	set_used_event(f, 9);
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
	assert_true(vq_should_notify(&f->vq));
	/* Nothing pushed since the last interrupt: nothing to say. */
	assert_false(vq_should_notify(&f->vq));

	/* Across the 16-bit wrap. */
	start(f, 8, true, false);
	f->vq.used_idx = 0xfffe;
	set_used_event(f, 0xffff);
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);	/* 0xffff */
	assert_true(vq_should_notify(&f->vq));
	set_used_event(f, 0);
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);	/* 0x0000 */
	assert_false(vq_should_notify(&f->vq));
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);	/* 0x0001 */
	assert_true(vq_should_notify(&f->vq));
}

/* 2^16 entries without asking: signalled_used is stale, so notify. */
static void test_event_idx_lapped(void **state)
{
	struct fx *f = *state;
	int i;

	start(f, VQ_MAX_SIZE, true, false);
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
	assert_true(vq_should_notify(&f->vq));
	set_used_event(f, 0x8000);
	for (i = 0; i < 0x10000 / VQ_MAX_SIZE; i++)
		assert_int_equal(vq_flush(&f->vq, VQ_MAX_SIZE), 0);
	assert_int_equal(used_idx(f), 1);
	assert_true(vq_should_notify(&f->vq));
}

static void test_no_interrupt_flag(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	/* used_event means nothing without EVENT_IDX. */
	set_used_event(f, 100);
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
	assert_true(vq_should_notify(&f->vq));
	set_avail_flags(f, 1);
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
	assert_false(vq_should_notify(&f->vq));
	set_avail_flags(f, 0);
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
	assert_true(vq_should_notify(&f->vq));
}

static void test_set_notification(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	put16(f, avail_event_gpa(f), 0xabcd);
	vq_set_notification(&f->vq, false);
	assert_int_equal(used_flags(f), 1);
	vq_set_notification(&f->vq, false);
	assert_int_equal(used_flags(f), 1);
	vq_set_notification(&f->vq, true);
	assert_int_equal(used_flags(f), 0);
	assert_int_equal(get16(f, avail_event_gpa(f)), 0xabcd);
}

static void test_set_notification_event_idx(void **state)
{
	struct fx *f = *state;
	int i;

	start(f, 8, true, false);
	set_desc(f, 0, BUF(0), 1, 0, 0);
	for (i = 0; i < 3; i++) {
		avail_add(f, 0);
		assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	}
	put16(f, avail_event_gpa(f), 0xabcd);
	/* Disabling leaves avail_event alone; flags are never used. */
	vq_set_notification(&f->vq, false);
	assert_int_equal(get16(f, avail_event_gpa(f)), 0xabcd);
	assert_int_equal(used_flags(f), 0);
	vq_set_notification(&f->vq, true);
	assert_int_equal(get16(f, avail_event_gpa(f)), 3);
	assert_int_equal(used_flags(f), 0);
	/* Buffers that came in meanwhile are seen by the re-check. */
	avail_add(f, 0);
	assert_true(vq_has_avail(&f->vq));
}

/*
 * A device that leaves buffers on the ring (too few for its frame) and
 * waits for more must get the driver's next kick: avail_event is the
 * driver's index, so the next addition crosses it.
 */
static void test_set_notification_buffers_left(void **state)
{
	struct fx *f = *state;
	u16 event;
	int i;

	start(f, 8, true, false);
	set_desc(f, 0, BUF(0), 1, 0, 0);
	for (i = 0; i < 3; i++)
		avail_add(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	vq_unpop(&f->vq, 1);		/* not enough: hand it back */
	vq_set_notification(&f->vq, true);
	event = get16(f, avail_event_gpa(f));
	assert_int_equal(event, 3);
	/* The driver adds one more (3 -> 4): it must decide to kick. */
	assert_true((u16)(4 - event - 1) < (u16)(4 - 3));
}

static void test_unpop(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	set_desc(f, 1, BUF(1), 1, 0, 0);
	set_desc(f, 2, BUF(2), 2, 0, 0);
	avail_add(f, 1);
	avail_add(f, 2);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_false(vq_has_avail(&f->vq));
	vq_unpop(&f->vq, 1);
	assert_true(vq_has_avail(&f->vq));
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.head, 2);
	vq_unpop(&f->vq, 2);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.head, 1);
	assert_int_equal(f->chain.out_len, 1);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.head, 2);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 0);
}

static void test_chain_read_write(void **state)
{
	struct fx *f = *state;
	u8 buf[32];

	start(f, 8, false, false);
	memcpy(gp(f, BUF(0), 5), "abcde", 5);
	memcpy(gp(f, BUF(1), 7), "fghijkl", 7);
	memset(gp(f, BUF(2), 16), '.', 16);
	memset(gp(f, BUF(3), 16), '.', 16);
	set_desc(f, 0, BUF(0), 5, F_NEXT, 1);
	set_desc(f, 1, BUF(4), 0, F_NEXT, 2);
	set_desc(f, 2, BUF(1), 7, F_NEXT, 3);
	set_desc(f, 3, BUF(2), 3, F_WRITE | F_NEXT, 4);
	set_desc(f, 4, BUF(5), 0, F_WRITE | F_NEXT, 5);
	set_desc(f, 5, BUF(3), 10, F_WRITE, 0);
	avail_add(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.nr_out, 3);
	assert_int_equal(f->chain.nr_in, 3);

	memset(buf, 0, sizeof(buf));
	assert_int_equal(vq_chain_read(&f->chain, 0, buf, sizeof(buf)), 12);
	assert_memory_equal(buf, "abcdefghijkl", 12);
	assert_int_equal(vq_chain_read(&f->chain, 3, buf, 4), 4);
	assert_memory_equal(buf, "defg", 4);
	/* Skipping exactly the first buffer, past the empty one. */
	assert_int_equal(vq_chain_read(&f->chain, 5, buf, 2), 2);
	assert_memory_equal(buf, "fg", 2);
	assert_int_equal(vq_chain_read(&f->chain, 11, buf, 8), 1);
	assert_int_equal(buf[0], 'l');
	assert_int_equal(vq_chain_read(&f->chain, 12, buf, 8), 0);
	assert_int_equal(vq_chain_read(&f->chain, 100, buf, 8), 0);

	assert_int_equal(vq_chain_write(&f->chain, 2, "XYZUVWST", 8), 8);
	assert_memory_equal(gp(f, BUF(2), 4), "..X.", 4);
	assert_memory_equal(gp(f, BUF(3), 8), "YZUVWST.", 8);
	/* Writes stop at the end of the writable buffers. */
	assert_int_equal(vq_chain_write(&f->chain, 0,
					"0123456789abcdefghij", 20), 13);
	assert_memory_equal(gp(f, BUF(2), 4), "012.", 4);
	assert_memory_equal(gp(f, BUF(3), 11), "3456789abc.", 11);
	/* The readable buffers are left alone. */
	assert_memory_equal(gp(f, BUF(0), 5), "abcde", 5);
	assert_memory_equal(gp(f, BUF(1), 7), "fghijkl", 7);
}

/* --- hostile rings --- */

static void test_zero_length_buffers(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	/* A zero-length buffer's address is never used, even outside RAM. */
	set_desc(f, 0, 0xdead00000000ULL, 0, F_NEXT, 1);
	set_desc(f, 1, BUF(0), 0, F_NEXT, 2);
	set_desc(f, 2, ~0ULL, 0, F_WRITE, 0);
	avail_add(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.nr_out, 2);
	assert_int_equal(f->chain.nr_in, 1);
	assert_int_equal(f->chain.out_len, 0);
	assert_int_equal(f->chain.in_len, 0);
	assert_int_equal(f->chain.iov[0].iov_len, 0);
	assert_null(f->chain.iov[0].iov_base);
	assert_int_equal(f->chain.iov[2].iov_len, 0);
	assert_int_equal(vq_chain_write(&f->chain, 0, "x", 1), 0);
	assert_false(vq_broken(&f->vq));
}

static void test_desc_outside_ram(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	set_desc(f, 0, 0x1000, 16, 0, 0);
	avail_add(f, 0);
	assert_pop_breaks(f);
}

static void test_desc_partly_outside_ram(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	set_desc(f, 0, BUF(0), 8, F_NEXT, 1);
	set_desc(f, 1, RAM2_GPA + RAM2_SIZE - 8, 9, F_WRITE, 0);
	avail_add(f, 0);
	assert_pop_breaks(f);
}

static void test_desc_addr_len_wraps(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	set_desc(f, 0, ~0ULL - 7, 16, 0, 0);
	avail_add(f, 0);
	assert_pop_breaks(f);

	start(f, 8, false, false);
	set_desc(f, 0, BUF(0), 0xffffffff, 0, 0);
	avail_add(f, 0);
	assert_pop_breaks(f);
}

/* Adjacent guest regions are separate host mappings: refused, not split. */
static void test_desc_across_regions(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	set_desc(f, 0, RAM2_GPA - 8, 16, 0, 0);
	avail_add(f, 0);
	assert_pop_breaks(f);
}

static void test_desc_loop(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	set_desc(f, 0, BUF(0), 1, F_NEXT, 1);
	set_desc(f, 1, BUF(1), 1, F_NEXT, 0);
	avail_add(f, 0);
	assert_pop_breaks(f);
	assert_walk_bounded(f, 8);
}

static void test_chain_longer_than_queue(void **state)
{
	struct fx *f = *state;

	/* Five links in a four-entry table: the tail points at itself. */
	start(f, 4, false, false);
	set_desc(f, 0, BUF(0), 1, F_NEXT, 1);
	set_desc(f, 1, BUF(1), 1, F_NEXT, 2);
	set_desc(f, 2, BUF(2), 1, F_NEXT, 3);
	set_desc(f, 3, BUF(3), 1, F_NEXT, 3);
	avail_add(f, 0);
	assert_pop_breaks(f);
	assert_walk_bounded(f, 4);
}

static void test_next_out_of_table(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	set_desc(f, 0, BUF(0), 1, F_NEXT, 8);
	avail_add(f, 0);
	assert_pop_breaks(f);
}

static void test_avail_far_ahead(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	set_desc(f, 0, BUF(0), 1, 0, 0);
	put16(f, AVAIL_GPA + 2, 9);
	assert_pop_breaks(f);

	/* "Behind" is far ahead too, modulo 2^16. */
	start(f, 8, false, false);
	put16(f, AVAIL_GPA + 2, 0xffff);
	assert_pop_breaks(f);
}

static void test_head_out_of_table(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	avail_add(f, 8);
	assert_pop_breaks(f);

	start(f, 8, false, false);
	avail_add(f, 0xffff);
	assert_pop_breaks(f);
}

static void test_indirect_not_negotiated(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, false);
	set_desc(f, 0, IND_GPA, 16, F_INDIRECT, 0);
	put_desc(f, IND_GPA, 0, BUF(0), 1, 0, 0);
	avail_add(f, 0);
	assert_pop_breaks(f);
}

static void test_nested_indirect(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, true);
	set_desc(f, 0, IND_GPA, 32, F_INDIRECT, 0);
	put_desc(f, IND_GPA, 0, BUF(0), 1, F_NEXT, 1);
	put_desc(f, IND_GPA, 1, IND_GPA + 0x100, 16, F_INDIRECT, 0);
	put_desc(f, IND_GPA + 0x100, 0, BUF(1), 1, 0, 0);
	avail_add(f, 0);
	assert_pop_breaks(f);
}

/* One malformed indirect descriptor per case, each on a fresh queue. */
static void test_indirect_bad_tables(void **state)
{
	static const struct {
		u64 addr;
		u32 len;
		u16 flags;
	} cases[] = {
		{ 0x2000, 16, F_INDIRECT },		/* outside RAM */
		{ RAM2_GPA + RAM2_SIZE - 16, 32, F_INDIRECT }, /* partly */
		{ IND_GPA, 24, F_INDIRECT },		/* not 16 * n */
		{ IND_GPA, 8, F_INDIRECT },
		{ IND_GPA, 0, F_INDIRECT },		/* empty */
		{ IND_GPA, 16 * (VQ_MAX_SEGS + 1), F_INDIRECT },
		{ IND_GPA, 16, F_INDIRECT | F_NEXT },	/* 2.7.5.3.1 */
	};
	struct fx *f = *state;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		start(f, 8, false, true);
		set_desc(f, 0, cases[i].addr, cases[i].len, cases[i].flags, 1);
		set_desc(f, 1, BUF(1), 1, F_WRITE, 0);
		put_desc(f, IND_GPA, 0, BUF(0), 1, 0, 0);
		avail_add(f, 0);
		assert_pop_breaks(f);
	}
}

static void test_indirect_bad_links(void **state)
{
	struct fx *f = *state;

	/* A loop inside the table. */
	start(f, 8, false, true);
	set_desc(f, 0, IND_GPA, 48, F_INDIRECT, 0);
	put_desc(f, IND_GPA, 0, BUF(0), 1, F_NEXT, 1);
	put_desc(f, IND_GPA, 1, BUF(1), 1, F_NEXT, 2);
	put_desc(f, IND_GPA, 2, BUF(2), 1, F_NEXT, 1);
	avail_add(f, 0);
	assert_pop_breaks(f);
	assert_walk_bounded(f, 3);

	/* next beyond the table (but inside the queue size). */
	start(f, 8, false, true);
	set_desc(f, 0, IND_GPA, 32, F_INDIRECT, 0);
	put_desc(f, IND_GPA, 0, BUF(0), 1, F_NEXT, 2);
	put_desc(f, IND_GPA, 2, BUF(2), 1, 0, 0);
	avail_add(f, 0);
	assert_pop_breaks(f);

	/* A table entry outside RAM. */
	start(f, 8, false, true);
	set_desc(f, 0, IND_GPA, 16, F_INDIRECT, 0);
	put_desc(f, IND_GPA, 0, 0x3000, 1, 0, 0);
	avail_add(f, 0);
	assert_pop_breaks(f);
}

static void test_too_many_segments(void **state)
{
	struct fx *f = *state;
	unsigned int i;

	for (i = 0; i < VQ_MAX_SEGS; i++)
		put_desc(f, IND_GPA, i, BUF(0), 1,
			 i + 1 < VQ_MAX_SEGS ? F_NEXT : 0, i + 1);

	/* A full table on its own is the limit, and fine. */
	start(f, 4, false, true);
	set_desc(f, 0, IND_GPA, 16 * VQ_MAX_SEGS, F_INDIRECT, 0);
	avail_add(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.nr_out, VQ_MAX_SEGS);
	assert_int_equal(f->chain.out_len, VQ_MAX_SEGS);

	/* One direct descriptor more is one too many. */
	start(f, 4, false, true);
	set_desc(f, 0, BUF(1), 1, F_NEXT, 1);
	set_desc(f, 1, IND_GPA, 16 * VQ_MAX_SEGS, F_INDIRECT, 0);
	avail_add(f, 0);
	assert_pop_breaks(f);
}

static void test_readable_after_writable(void **state)
{
	struct fx *f = *state;

	start(f, 8, false, true);
	set_desc(f, 0, BUF(0), 1, F_WRITE | F_NEXT, 1);
	set_desc(f, 1, BUF(1), 1, 0, 0);
	avail_add(f, 0);
	assert_pop_breaks(f);

	/* The order holds across the switch into an indirect table. */
	start(f, 8, false, true);
	set_desc(f, 0, BUF(0), 1, F_WRITE | F_NEXT, 1);
	set_desc(f, 1, IND_GPA, 16, F_INDIRECT, 0);
	put_desc(f, IND_GPA, 0, BUF(1), 1, 0, 0);
	avail_add(f, 0);
	assert_pop_breaks(f);
}

static void check_broken_stays_broken(struct fx *f, bool event_idx)
{
	u8 before[4 + 8 * 8 + 2];
	const u16 last_avail = 1;

	start(f, 8, event_idx, false);
	set_desc(f, 0, BUF(0), 4, 0, 0);
	avail_add(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	avail_add(f, 8);		/* head out of table */
	avail_add(f, 0);
	assert_pop_breaks(f);
	assert_int_equal(f->vq.last_avail, last_avail);

	memcpy(before, gp(f, USED_GPA, sizeof(before)), sizeof(before));
	/* Even a ring that is fine again is not looked at. */
	put16(f, AVAIL_GPA + 4 + 2 * 1, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), -EIO);
	assert_int_equal(vq_push(&f->vq, 0, 4), -EIO);
	assert_int_equal(vq_fill(&f->vq, 0, 4, 0), -EIO);
	assert_int_equal(vq_flush(&f->vq, 1), -EIO);
	vq_set_notification(&f->vq, false);
	vq_set_notification(&f->vq, true);
	vq_unpop(&f->vq, 1);
	assert_int_equal(f->vq.last_avail, last_avail);
	assert_false(vq_has_avail(&f->vq));
	assert_true(vq_should_notify(&f->vq));
	assert_true(vq_broken(&f->vq));
	assert_memory_equal(before, gp(f, USED_GPA, sizeof(before)),
			    sizeof(before));

	/* vq_reset() and a new vq_start() bring it back. */
	vq_reset(&f->vq);
	assert_false(vq_broken(&f->vq));
	start(f, 8, event_idx, false);
	avail_add(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(vq_push(&f->vq, 0, 4), 0);
	assert_int_equal(used_idx(f), 1);
}

static void test_broken_stays_broken(void **state)
{
	check_broken_stays_broken(*state, false);
	check_broken_stays_broken(*state, true);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_start_refusals),
		T(test_single_chain),
		T(test_multi_desc_chain),
		T(test_indirect_table),
		T(test_wraparound),
		T(test_fill_flush_batch),
		T(test_event_idx_notify),
		T(test_set_notification_buffers_left),
		T(test_event_idx_lapped),
		T(test_no_interrupt_flag),
		T(test_set_notification),
		T(test_set_notification_event_idx),
		T(test_unpop),
		T(test_chain_read_write),
		T(test_zero_length_buffers),
		T(test_desc_outside_ram),
		T(test_desc_partly_outside_ram),
		T(test_desc_addr_len_wraps),
		T(test_desc_across_regions),
		T(test_desc_loop),
		T(test_chain_longer_than_queue),
		T(test_next_out_of_table),
		T(test_avail_far_ahead),
		T(test_head_out_of_table),
		T(test_indirect_not_negotiated),
		T(test_nested_indirect),
		T(test_indirect_bad_tables),
		T(test_indirect_bad_links),
		T(test_too_many_segments),
		T(test_readable_after_writable),
		T(test_broken_stays_broken),
	};

	return cmocka_run_group_tests_name("hw/virtio/virtqueue", tests, NULL,
					   NULL);
}
