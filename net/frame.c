// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's stream framing: a 4-byte big-endian length before each frame.
 * The reader takes the stream in whatever pieces recv() hands out, a
 * length split across reads included, and hands frames out in place
 * when they lie whole in one read. The output queue keeps frames a
 * socket could not take yet, bounded, so a slow peer costs memory only
 * up to that bound.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/frame.h"

void frame_reader_reset(struct frame_reader *r)
{
	r->hdr_got = 0;
	r->in_body = false;
	r->broken = false;
	r->len = 0;
	r->got = 0;
}

/* A frame is complete: hand it out and look for the next length. */
static void frame_done(struct frame_reader *r, const u8 *p, const u8 **frame,
		       size_t *frame_len)
{
	*frame = p;
	*frame_len = r->len;
	r->in_body = false;
	r->frames++;
}

ssize_t frame_feed(struct frame_reader *r, const u8 *data, size_t len,
		   const u8 **frame, size_t *frame_len)
{
	size_t used = 0, n;

	*frame = NULL;
	*frame_len = 0;
	if (r->broken)
		return -EMSGSIZE;
	while (used < len) {
		if (r->in_body) {
			n = MIN(r->len - r->got, len - used);
			memcpy(r->buf + r->got, data + used, n);
			r->got += n;
			used += n;
			if (r->got == r->len) {
				frame_done(r, r->buf, frame, frame_len);
				break;
			}
			continue;
		}
		n = MIN(FRAME_HDR_LEN - r->hdr_got, len - used);
		memcpy(r->hdr + r->hdr_got, data + used, n);
		r->hdr_got += n;
		used += n;
		if (r->hdr_got < FRAME_HDR_LEN)
			break;
		r->hdr_got = 0;
		r->len = frame_get_len(r->hdr);
		if (!r->len) {
			r->empty++;
			continue;
		}
		if (r->len > FRAME_MAX) {
			r->oversized++;
			r->broken = true;
			return -EMSGSIZE;
		}
		r->in_body = true;
		r->got = 0;
		/* The usual case: the whole frame is here, no copy. */
		if (len - used >= r->len) {
			frame_done(r, data + used, frame, frame_len);
			used += r->len;
			break;
		}
	}
	return used;
}

int frame_outq_init(struct frame_outq *q, size_t size)
{
	memset(q, 0, sizeof(*q));
	q->buf = malloc(size);
	if (!q->buf)
		return -ENOMEM;
	q->size = size;
	return 0;
}

void frame_outq_free(struct frame_outq *q)
{
	free(q->buf);
	q->buf = NULL;
	q->size = q->head = q->tail = q->head_left = 0;
	q->frames = 0;
}

bool frame_outq_fits(const struct frame_outq *q, size_t len)
{
	return len <= UINT32_MAX - FRAME_HDR_LEN &&
	       FRAME_HDR_LEN + len <= q->size - (q->tail - q->head);
}

bool frame_outq_push(struct frame_outq *q, const struct iovec *iov,
		     int iovcnt)
{
	size_t len = 0;
	int i;

	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	if (!frame_outq_fits(q, len))
		return false;
	if (q->tail + FRAME_HDR_LEN + len > q->size) {
		/* Move what waits to the front; it fits, as checked. */
		memmove(q->buf, q->buf + q->head, q->tail - q->head);
		q->tail -= q->head;
		q->head = 0;
	}
	if (frame_outq_empty(q))
		q->head_left = FRAME_HDR_LEN + len;
	frame_put_len(q->buf + q->tail, len);
	q->tail += FRAME_HDR_LEN;
	for (i = 0; i < iovcnt; i++) {
		memcpy(q->buf + q->tail, iov[i].iov_base, iov[i].iov_len);
		q->tail += iov[i].iov_len;
	}
	q->frames++;
	return true;
}

void frame_outq_consume(struct frame_outq *q, size_t n)
{
	n = MIN(n, q->tail - q->head);
	while (n) {
		size_t step = MIN(n, q->head_left);

		q->head += step;
		q->head_left -= step;
		n -= step;
		if (q->head_left)
			break;
		/* A frame went out whole; the next one starts at head. */
		q->frames--;
		if (q->head < q->tail)
			q->head_left = FRAME_HDR_LEN +
				       frame_get_len(q->buf + q->head);
	}
	if (frame_outq_empty(q))
		q->head = q->tail = 0;
}

unsigned int frame_outq_clear(struct frame_outq *q)
{
	unsigned int lost = q->frames;

	q->head = q->tail = q->head_left = 0;
	q->frames = 0;
	return lost;
}
