// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "hw/debug_exit.h"

static void debug_exit_read(void *opaque, u64 offset, void *data, u32 len)
{
	memset(data, 0xff, len);
}

static void debug_exit_write(void *opaque, u64 offset, const void *data,
			     u32 len)
{
	struct debug_exit *d = opaque;

	if (!len)
		return;
	/* Port data is little-endian, so the first byte is the low one. */
	stop_request(d->stop, STOP_DEBUG_EXIT, *(const u8 *)data);
}

const struct bus_ops debug_exit_ops = {
	.read = debug_exit_read,
	.write = debug_exit_write,
};

int debug_exit_init(struct debug_exit *d, struct stop_ctl *stop)
{
	d->stop = stop;
	return 0;
}

void debug_exit_exit(struct debug_exit *d)
{
	d->stop = NULL;
}
