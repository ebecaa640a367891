// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's stream framing, without sockets: a stream of length-prefixed
 * frames cut at every point, lengths split across reads, zero and
 * oversized lengths, and the bounded output queue.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net/frame.h"

#define MAX_FRAMES	256

/* What a reader handed out, copied, in order. */
struct got {
	unsigned int n;
	size_t len[MAX_FRAMES];
	u8 *data[MAX_FRAMES];
	bool in_place[MAX_FRAMES];	/* pointed into the fed bytes */
};

static void got_free(struct got *g)
{
	unsigned int i;

	for (i = 0; i < g->n; i++)
		free(g->data[i]);
	g->n = 0;
}

/* Feed one read's worth; collect every frame it completes. */
static int feed(struct frame_reader *r, const u8 *data, size_t len,
		struct got *g)
{
	const u8 *frame;
	size_t flen;
	ssize_t n;

	while (len) {
		n = frame_feed(r, data, len, &frame, &flen);
		if (n < 0)
			return n;
		assert_true((size_t)n <= len);
		if (frame) {
			assert_true(g->n < MAX_FRAMES);
			g->data[g->n] = malloc(flen);
			assert_non_null(g->data[g->n]);
			memcpy(g->data[g->n], frame, flen);
			g->len[g->n] = flen;
			g->in_place[g->n] = frame >= data && frame < data + len;
			g->n++;
		} else {
			/* No frame: everything must have been taken. */
			assert_int_equal(n, len);
		}
		data += n;
		len -= n;
	}
	return 0;
}

static struct frame_reader *reader_new(void)
{
	struct frame_reader *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	return r;
}

/* Frame i of a test stream: its bytes are a pattern of (i, offset). */
static u8 pattern(unsigned int i, size_t off)
{
	return (u8)(i * 37 + off * 7 + 1);
}

/* A stream of frames of the given lengths; returns its length. */
static size_t make_stream(u8 *buf, const size_t *lens, unsigned int n)
{
	size_t off = 0, j;
	unsigned int i;

	for (i = 0; i < n; i++) {
		frame_put_len(buf + off, lens[i]);
		off += FRAME_HDR_LEN;
		for (j = 0; j < lens[i]; j++)
			buf[off + j] = pattern(i, j);
		off += lens[i];
	}
	return off;
}

/*
 * g holds exactly the frames first..n-1 of lens, with zero lengths
 * skipped.
 */
static void check_frames_from(const struct got *g, const size_t *lens,
			      unsigned int first, unsigned int n)
{
	unsigned int i, k = 0;
	size_t j;

	for (i = first; i < n; i++) {
		if (!lens[i])
			continue;
		assert_true(k < g->n);
		assert_int_equal(g->len[k], lens[i]);
		for (j = 0; j < lens[i]; j++)
			if (g->data[k][j] != pattern(i, j))
				fail_msg("frame %u byte %zu: %02x, wanted %02x",
					 i, j, g->data[k][j], pattern(i, j));
		k++;
	}
	assert_int_equal(g->n, k);
}

static void check_frames(const struct got *g, const size_t *lens,
			 unsigned int n)
{
	check_frames_from(g, lens, 0, n);
}

static void test_len_bytes(void **state)
{
	u8 h[FRAME_HDR_LEN];

	frame_put_len(h, 0x01020304);
	assert_memory_equal(h, "\x01\x02\x03\x04", 4);
	assert_int_equal(frame_get_len(h), 0x01020304);
	frame_put_len(h, 60);
	assert_memory_equal(h, "\x00\x00\x00\x3c", 4);
	assert_int_equal(frame_get_len((const u8 *)"\xff\xff\xff\xff"),
			 0xffffffffu);
}

/* Several frames in one read: one at a time, in place, no copy. */
static void test_frames_in_one_read(void **state)
{
	static const size_t lens[] = { 60, 1, 1514, 42 };
	struct frame_reader *r = reader_new();
	struct got g = { 0 };
	u8 buf[2048];
	size_t len = make_stream(buf, lens, 4);
	const u8 *frame;
	size_t flen;
	unsigned int i;

	/* Each call stops at the end of a frame. */
	assert_int_equal(frame_feed(r, buf, len, &frame, &flen),
			 FRAME_HDR_LEN + 60);
	assert_ptr_equal(frame, buf + FRAME_HDR_LEN);
	assert_int_equal(flen, 60);

	assert_int_equal(feed(r, buf + FRAME_HDR_LEN + 60,
			      len - FRAME_HDR_LEN - 60, &g),
			 0);
	assert_int_equal(g.n, 3);
	for (i = 0; i < g.n; i++)
		assert_true(g.in_place[i]);
	check_frames_from(&g, lens, 1, 4);
	assert_int_equal(r->frames, 4);
	assert_int_equal(r->empty, 0);
	assert_int_equal(r->oversized, 0);
	got_free(&g);
	free(r);
}

/*
 * The same stream cut in two at every byte, and in three at every
 * pair of points: the same frames come out, whatever the cut.
 */
static void test_split_everywhere(void **state)
{
	static const size_t lens[] = { 60, 1, 300, 0, 17 };
	static const size_t small[] = { 5, 1, 0, 9 };
	struct frame_reader *r = reader_new();
	struct got g = { 0 };
	u8 buf[512];
	size_t len = make_stream(buf, lens, ARRAY_SIZE(lens)), i, j;

	for (i = 0; i <= len; i++) {
		assert_int_equal(feed(r, buf, i, &g), 0);
		assert_int_equal(feed(r, buf + i, len - i, &g), 0);
		check_frames(&g, lens, ARRAY_SIZE(lens));
		/* Between frames again: no leftover state. */
		assert_false(r->in_body);
		assert_int_equal(r->hdr_got, 0);
		got_free(&g);
	}
	assert_int_equal(r->empty, len + 1);

	len = make_stream(buf, small, ARRAY_SIZE(small));
	for (i = 0; i <= len; i++) {
		for (j = i; j <= len; j++) {
			assert_int_equal(feed(r, buf, i, &g), 0);
			assert_int_equal(feed(r, buf + i, j - i, &g), 0);
			assert_int_equal(feed(r, buf + j, len - j, &g), 0);
			check_frames(&g, small, ARRAY_SIZE(small));
			got_free(&g);
		}
	}
	free(r);
}

/* One byte per read: every length is split at each of its bytes. */
static void test_byte_by_byte(void **state)
{
	static const size_t lens[] = { 60, 256, 1, 65536 };
	struct frame_reader *r = reader_new();
	struct got g = { 0 };
	u8 *buf = malloc(70000);
	size_t len, i;

	assert_non_null(buf);
	len = make_stream(buf, lens, ARRAY_SIZE(lens));
	for (i = 0; i < len; i++)
		assert_int_equal(feed(r, buf + i, 1, &g), 0);
	check_frames(&g, lens, ARRAY_SIZE(lens));
	/* None lay whole in a read: all came from the reader's buffer. */
	for (i = 0; i < g.n; i++)
		assert_false(g.in_place[i]);
	got_free(&g);
	free(buf);
	free(r);
}

/* The length alone in a read, split 1+3, 2+2, 3+1, then the body. */
static void test_length_split(void **state)
{
	static const size_t lens[] = { 100 };
	struct frame_reader *r = reader_new();
	struct got g = { 0 };
	u8 buf[128];
	size_t cut;

	make_stream(buf, lens, 1);
	for (cut = 1; cut < FRAME_HDR_LEN; cut++) {
		assert_int_equal(feed(r, buf, cut, &g), 0);
		assert_int_equal(r->hdr_got, cut);
		assert_int_equal(feed(r, buf + cut, FRAME_HDR_LEN - cut, &g),
				 0);
		assert_true(r->in_body);
		assert_int_equal(r->len, 100);
		assert_int_equal(g.n, 0);
		assert_int_equal(feed(r, buf + FRAME_HDR_LEN, 50, &g), 0);
		assert_int_equal(g.n, 0);
		assert_int_equal(feed(r, buf + FRAME_HDR_LEN + 50, 50, &g), 0);
		check_frames(&g, lens, 1);
		got_free(&g);
	}
	free(r);
}

/* Zero lengths are skipped and counted; the stream stays in step. */
static void test_zero_length(void **state)
{
	static const size_t lens[] = { 0, 0, 60, 0 };
	struct frame_reader *r = reader_new();
	struct got g = { 0 };
	u8 buf[128];
	size_t len = make_stream(buf, lens, ARRAY_SIZE(lens));

	assert_int_equal(feed(r, buf, len, &g), 0);
	check_frames(&g, lens, ARRAY_SIZE(lens));
	assert_int_equal(r->empty, 3);
	assert_int_equal(r->frames, 1);
	got_free(&g);
	free(r);
}

/*
 * The largest frame QEMU takes is taken; one byte more is counted and
 * the stream given up on until reset, however it is fed.
 */
static void test_oversized(void **state)
{
	size_t lens[] = { FRAME_MAX };
	struct frame_reader *r = reader_new();
	struct got g = { 0 };
	u8 *buf = malloc(FRAME_HDR_LEN + FRAME_MAX + 64);
	const u8 *frame;
	size_t len, flen;
	static const u32 bad[] = { FRAME_MAX + 1, 0x48545450 /* "HTTP" */,
				   0xffffffff };
	unsigned int i;

	assert_non_null(buf);
	len = make_stream(buf, lens, 1);
	assert_int_equal(feed(r, buf, len, &g), 0);
	check_frames(&g, lens, 1);
	got_free(&g);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		frame_put_len(buf, bad[i]);
		memset(buf + FRAME_HDR_LEN, 0xaa, 64);
		/* Its length split across two reads, too. */
		assert_int_equal(frame_feed(r, buf, 2, &frame, &flen), 2);
		assert_int_equal(frame_feed(r, buf + 2, 60, &frame, &flen),
				 -EMSGSIZE);
		assert_null(frame);
		assert_int_equal(r->oversized, i + 1);
		assert_true(r->broken);
		/* Nothing more is taken: the bytes after it mean nothing. */
		assert_int_equal(frame_feed(r, buf + 4, 10, &frame, &flen),
				 -EMSGSIZE);
		assert_int_equal(r->oversized, i + 1);

		/* A new connection starts clean; the counts stay. */
		frame_reader_reset(r);
		lens[0] = 10;
		len = make_stream(buf, lens, 1);
		assert_int_equal(feed(r, buf, len, &g), 0);
		check_frames(&g, lens, 1);
		got_free(&g);
	}
	assert_int_equal(r->frames, 4);
	free(buf);
	free(r);
}

/* ---- the output queue ---- */

static void push(struct frame_outq *q, unsigned int i, size_t len, bool ok)
{
	u8 *data = malloc(len + 1);
	struct iovec iov[2];
	size_t j, half = len / 2;

	assert_non_null(data);
	for (j = 0; j < len; j++)
		data[j] = pattern(i, j);
	/* Two pieces, as a NIC's descriptor chain may give it. */
	iov[0] = (struct iovec){ data, half };
	iov[1] = (struct iovec){ data + half, len - half };
	assert_int_equal(frame_outq_push(q, iov, 2), ok);
	free(data);
}

/* Read n bytes of the queue through a reader, as the peer would. */
static void drain(struct frame_outq *q, struct frame_reader *r, size_t n,
		  struct got *g)
{
	const u8 *data;
	size_t len;

	data = frame_outq_data(q, &len);
	n = MIN(n, len);
	assert_int_equal(feed(r, data, n, g), 0);
	frame_outq_consume(q, n);
}

static void test_outq(void **state)
{
	static const size_t lens[] = { 100, 200, 50, 300, 80, 1 };
	struct frame_reader *r = reader_new();
	struct frame_outq q;
	struct got g = { 0 };
	size_t size = 4 * (FRAME_HDR_LEN + 100);

	assert_int_equal(frame_outq_init(&q, size), 0);
	assert_true(frame_outq_empty(&q));
	assert_true(frame_outq_fits(&q, size - FRAME_HDR_LEN));
	assert_false(frame_outq_fits(&q, size - FRAME_HDR_LEN + 1));

	push(&q, 0, lens[0], true);
	push(&q, 1, lens[1], true);
	assert_int_equal(q.frames, 2);
	/* 308 of 416 used: 50 + 4 fits, 300 does not, and is not queued. */
	push(&q, 3, lens[3], false);
	assert_int_equal(q.frames, 2);
	push(&q, 2, lens[2], true);
	assert_int_equal(q.frames, 3);

	/* Part of the first frame goes out: it still counts as waiting. */
	drain(&q, r, 30, &g);
	assert_int_equal(q.frames, 3);
	assert_int_equal(g.n, 0);
	/* The rest of it and a split of the second's length. */
	drain(&q, r, FRAME_HDR_LEN + 100 - 30 + 2, &g);
	assert_int_equal(q.frames, 2);
	assert_int_equal(g.n, 1);

	/* 256 bytes wait: still no room for 200 more. */
	push(&q, 3, lens[3] - 100, false);
	drain(&q, r, 300, &g);
	assert_int_equal(q.frames, 0);
	assert_true(frame_outq_empty(&q));
	push(&q, 3, lens[3], true);
	push(&q, 4, lens[4], true);
	drain(&q, r, 7, &g);
	push(&q, 5, lens[5], true);
	drain(&q, r, size, &g);
	check_frames(&g, lens, ARRAY_SIZE(lens));
	assert_true(frame_outq_empty(&q));
	got_free(&g);
	frame_outq_free(&q);
	free(r);
}

/* Compaction keeps the bytes in order, whatever the offsets. */
static void test_outq_wraps(void **state)
{
	struct frame_reader *r = reader_new();
	struct frame_outq q;
	struct got g = { 0 };
	size_t lens[MAX_FRAMES];
	unsigned int round, n = 0, moved = 0;

	assert_int_equal(frame_outq_init(&q, 1000), 0);
	for (round = 0; round < 200; round++) {
		size_t len = 1 + (round * 97) % 400;

		if (!frame_outq_fits(&q, len)) {
			drain(&q, r, 1 + round % 300, &g);
			continue;
		}
		/* Fits, but only once what waits moves to the front. */
		if (q.tail + FRAME_HDR_LEN + len > q.size)
			moved++;
		/* pattern(n, ...) so that check_frames() can follow. */
		push(&q, n, len, true);
		lens[n++] = len;
		assert_true(n < MAX_FRAMES);
	}
	drain(&q, r, 1000, &g);
	check_frames(&g, lens, n);
	assert_true(moved > 0);
	got_free(&g);
	frame_outq_free(&q);
	free(r);
}

/* Frames not wholly out when the connection goes are counted. */
static void test_outq_clear(void **state)
{
	struct frame_reader *r = reader_new();
	struct frame_outq q;
	struct got g = { 0 };

	assert_int_equal(frame_outq_init(&q, 4096), 0);
	assert_int_equal(frame_outq_clear(&q), 0);
	push(&q, 0, 10, true);
	push(&q, 1, 20, true);
	push(&q, 2, 30, true);
	drain(&q, r, FRAME_HDR_LEN + 10 + 3, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(frame_outq_clear(&q), 2);
	assert_true(frame_outq_empty(&q));
	assert_int_equal(q.frames, 0);
	/* Usable again from the start. */
	push(&q, 0, 10, true);
	assert_int_equal(q.frames, 1);
	got_free(&g);
	frame_outq_free(&q);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_len_bytes),
		cmocka_unit_test(test_frames_in_one_read),
		cmocka_unit_test(test_split_everywhere),
		cmocka_unit_test(test_byte_by_byte),
		cmocka_unit_test(test_length_split),
		cmocka_unit_test(test_zero_length),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_outq),
		cmocka_unit_test(test_outq_wraps),
		cmocka_unit_test(test_outq_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
