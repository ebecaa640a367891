/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_FRAME_H
#define KNIT_NET_FRAME_H

#include <sys/types.h>
#include <sys/uio.h>

#include "knit/util.h"

/*
 * QEMU's framing of Ethernet frames on a byte stream (-netdev socket
 * listen=/connect=, -netdev stream, passt): each frame follows its
 * length, 4 bytes big-endian. Nothing else is on the wire, so a reader
 * that loses count cannot find the next frame again.
 */

#define FRAME_HDR_LEN	4
/* QEMU's NET_BUFSIZE: the largest frame it takes from a stream. */
#define FRAME_MAX	(4096 + 65536)

static inline void frame_put_len(u8 hdr[FRAME_HDR_LEN], u32 len)
{
	hdr[0] = len >> 24;
	hdr[1] = len >> 16;
	hdr[2] = len >> 8;
	hdr[3] = len;
}

static inline u32 frame_get_len(const u8 hdr[FRAME_HDR_LEN])
{
	return (u32)hdr[0] << 24 | (u32)hdr[1] << 16 | (u32)hdr[2] << 8 |
	       hdr[3];
}

/* Cuts a byte stream, read in chunks of any size, into frames. */
struct frame_reader {
	u8 hdr[FRAME_HDR_LEN];
	unsigned int hdr_got;	/* bytes of the length so far */
	bool in_body;		/* the length is in; reading the frame */
	bool broken;		/* a length over FRAME_MAX: lost count */
	u32 len;		/* of the frame under way */
	u32 got;		/* bytes of it in buf so far */
	u64 frames;		/* whole frames handed out */
	u64 empty;		/* zero lengths, skipped */
	u64 oversized;		/* lengths over FRAME_MAX */
	u8 buf[FRAME_MAX];	/* a frame that came in pieces */
};

/* Start a new stream; the counters are kept. */
void frame_reader_reset(struct frame_reader *r);

/*
 * Take bytes of the stream from data. Returns how many it consumed: all
 * of them, or up to the end of the first frame they complete, which is
 * then in *frame and *frame_len (pointing into data when it lay there
 * whole, else into r->buf; valid until the next call or reset). *frame
 * is NULL when no frame was completed. Zero lengths are counted and
 * skipped: they do not lose count. A length over FRAME_MAX is counted
 * and returns -EMSGSIZE, now and until reset: the stream is beyond
 * following.
 */
ssize_t frame_feed(struct frame_reader *r, const u8 *data, size_t len,
		   const u8 **frame, size_t *frame_len);

/*
 * Frames waiting to be written to a stream, each with its length in
 * front, in one bounded buffer. A frame goes in whole or not at all.
 */
struct frame_outq {
	u8 *buf;
	size_t size;
	size_t head, tail;	/* bytes [head, tail) wait */
	size_t head_left;	/* bytes of the frame at head not yet out */
	unsigned int frames;	/* frames not wholly out, the one at head too */
};

int frame_outq_init(struct frame_outq *q, size_t size);
void frame_outq_free(struct frame_outq *q);
static inline bool frame_outq_empty(const struct frame_outq *q)
{
	return q->head == q->tail;
}

/* Room for a frame of len bytes, its length included? */
bool frame_outq_fits(const struct frame_outq *q, size_t len);
/* Append length and frame; false when it does not fit (nothing queued). */
bool frame_outq_push(struct frame_outq *q, const struct iovec *iov,
		     int iovcnt);
/* The bytes waiting, to write out; then frame_outq_consume() what went. */
static inline const u8 *frame_outq_data(const struct frame_outq *q,
					size_t *len)
{
	*len = q->tail - q->head;
	return q->buf + q->head;
}

void frame_outq_consume(struct frame_outq *q, size_t n);
/* Throw away what waits; returns the number of frames not wholly out. */
unsigned int frame_outq_clear(struct frame_outq *q);

#endif
