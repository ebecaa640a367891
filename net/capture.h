/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_CAPTURE_H
#define KNIT_NET_CAPTURE_H

#include <stdio.h>
#include <sys/uio.h>

#include "knit/util.h"

/*
 * Packet capture of one netdev into a pcap file (QEMU's filter-dump):
 * every frame that crosses between the netdev and its NIC, both ways,
 * as plain Ethernet (a vnet header is left out).
 */

#define CAPTURE_DEFAULT_MAXLEN	65535

struct capture_cfg {
	char *id;		/* --object filter-dump,id=ID; NULL for --pcap */
	char *netdev;		/* the netdev watched */
	char *file;
	u32 maxlen;		/* bytes kept of each frame */
};

/*
 * --object filter-dump,id=ID,netdev=NETDEV,file=PATH[,maxlen=N] and
 * --pcap NETDEV=PATH. One line naming the bad part and -EINVAL on error.
 */
int capture_parse_object(const char *spec, struct capture_cfg *out);
int capture_parse_pcap(const char *spec, struct capture_cfg *out);
void capture_cfg_free(struct capture_cfg *cfg);

struct capture {
	FILE *f;
	u32 maxlen;
	u64 frames;
};

/* Create (truncate) the file and write the pcap header; -errno on failure. */
int capture_open(struct capture *cap, const char *path, u32 maxlen);
void capture_close(struct capture *cap);
/* One frame; skip bytes of vnet header at its start are left out. */
void capture_frame(struct capture *cap, const struct iovec *iov, int iovcnt,
		   size_t skip);

#endif
