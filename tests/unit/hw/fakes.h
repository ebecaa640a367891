/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recording stand-ins for what a device is wired to, and byte/word
 * accessors that go through a device's bus_ops as a vCPU would.
 */
#ifndef KNIT_TESTS_UNIT_HW_FAKES_H
#define KNIT_TESTS_UNIT_HW_FAKES_H

#include <string.h>

#include "knit/util.h"
#include "kvm/bus.h"
#include "kvm/irq.h"
#include "kvm/stop.h"

struct fake_irq {
	struct irq_line line;
	int level;
	int raises;	/* 0 -> 1 transitions seen */
	int calls;
	int redundant;	/* calls that did not change the level */
};

static inline void fake_irq_set(struct irq_line *line, int level)
{
	struct fake_irq *f = container_of(line, struct fake_irq, line);

	f->calls++;
	if (!!level == f->level)
		f->redundant++;
	else if (level)
		f->raises++;
	f->level = !!level;
}

static inline void fake_irq_init(struct fake_irq *f)
{
	memset(f, 0, sizeof(*f));
	f->line.set = fake_irq_set;
}

struct fake_stop {
	struct stop_ctl ctl;
	int calls;
	enum stop_reason why;
	int code;
};

static inline void fake_stop_request(struct stop_ctl *ctl,
				     enum stop_reason why, int code)
{
	struct fake_stop *f = container_of(ctl, struct fake_stop, ctl);

	f->calls++;
	f->why = why;
	f->code = code;
}

static inline void fake_stop_init(struct fake_stop *f)
{
	memset(f, 0, sizeof(*f));
	f->ctl.request = fake_stop_request;
}

static inline u8 io_read8(const struct bus_ops *ops, void *dev, u64 off)
{
	u8 v = 0;

	ops->read(dev, off, &v, 1);
	return v;
}

static inline void io_write8(const struct bus_ops *ops, void *dev, u64 off,
			     u8 v)
{
	ops->write(dev, off, &v, 1);
}

/* Little-endian like the x86 port I/O data KVM hands over. */
static inline u16 io_read16(const struct bus_ops *ops, void *dev, u64 off)
{
	u8 b[2] = { 0, 0 };

	ops->read(dev, off, b, 2);
	return b[0] | b[1] << 8;
}

static inline void io_write16(const struct bus_ops *ops, void *dev, u64 off,
			      u16 v)
{
	u8 b[2] = { v & 0xff, v >> 8 };

	ops->write(dev, off, b, 2);
}

/*
 * The vnet header a tap with TSO4 puts before a TCP/IPv4 frame of
 * 14 + 20 + 20 header bytes, cut at mss (virtio 1.2, 5.1.6).
 */
static inline void fake_vnet_tso4(u8 hdr[12], u16 mss)
{
	memset(hdr, 0, 12);
	hdr[0] = 1;		/* VIRTIO_NET_HDR_F_NEEDS_CSUM */
	hdr[1] = 1;		/* VIRTIO_NET_HDR_GSO_TCPV4 */
	hdr[4] = mss;
	hdr[5] = mss >> 8;
	hdr[6] = 34;		/* csum_start: the TCP header */
	hdr[8] = 16;		/* csum_offset: its checksum field */
}

#endif
