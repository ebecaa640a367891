// SPDX-License-Identifier: GPL-2.0
/*
 * pcap files: the classic format tcpdump and tshark read (magic
 * 0xa1b2c3d4 in host order, version 2.4, microsecond stamps, link type
 * 1 for Ethernet). Each record is written and flushed at once, so the
 * file can be read while the VM runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "net/capture.h"

#define PCAP_MAGIC		0xa1b2c3d4
#define PCAP_LINKTYPE_ETHERNET	1

struct pcap_file_header {
	u32 magic;
	u16 version_major;
	u16 version_minor;
	s32 thiszone;
	u32 sigfigs;
	u32 snaplen;
	u32 linktype;
};

struct pcap_record_header {
	u32 ts_sec;
	u32 ts_usec;
	u32 incl_len;
	u32 orig_len;
};

int capture_open(struct capture *cap, const char *path, u32 maxlen)
{
	struct pcap_file_header h = {
		.magic = PCAP_MAGIC,
		.version_major = 2,
		.version_minor = 4,
		.snaplen = maxlen,
		.linktype = PCAP_LINKTYPE_ETHERNET,
	};
	int fd, err;

	memset(cap, 0, sizeof(*cap));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	cap->f = fdopen(fd, "w");
	if (!cap->f) {
		err = -errno;
		close(fd);
		return err;
	}
	cap->maxlen = maxlen;
	if (fwrite(&h, sizeof(h), 1, cap->f) != 1 || fflush(cap->f)) {
		err = -errno;
		capture_close(cap);
		return err ? err : -EIO;
	}
	return 0;
}

void capture_close(struct capture *cap)
{
	if (cap->f)
		fclose(cap->f);
	cap->f = NULL;
}

void capture_frame(struct capture *cap, const struct iovec *iov, int iovcnt,
		   size_t skip)
{
	struct pcap_record_header r;
	struct timeval tv;
	size_t len = 0, left;
	int i;

	if (!cap->f)
		return;
	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	if (len <= skip)
		return;
	len -= skip;
	gettimeofday(&tv, NULL);
	r.ts_sec = tv.tv_sec;
	r.ts_usec = tv.tv_usec;
	r.orig_len = len;
	r.incl_len = MIN(len, (size_t)cap->maxlen);
	fwrite(&r, sizeof(r), 1, cap->f);
	left = r.incl_len;
	for (i = 0; i < iovcnt && left; i++) {
		const u8 *p = iov[i].iov_base;
		size_t n = iov[i].iov_len;

		if (skip >= n) {
			skip -= n;
			continue;
		}
		p += skip;
		n -= skip;
		skip = 0;
		n = MIN(n, left);
		fwrite(p, 1, n, cap->f);
		left -= n;
	}
	fflush(cap->f);
	cap->frames++;
}
