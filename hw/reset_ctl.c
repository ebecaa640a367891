// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "hw/reset_ctl.h"

static void reset_ctl_read(void *opaque, u64 offset, void *data, u32 len)
{
	struct reset_ctl *r = opaque;

	memset(data, 0xff, len);
	if (offset != 0 || len != 1)
		return;

	pthread_mutex_lock(&r->lock);
	*(u8 *)data = r->val;
	pthread_mutex_unlock(&r->lock);
}

static void reset_ctl_write(void *opaque, u64 offset, const void *data,
			    u32 len)
{
	struct reset_ctl *r = opaque;
	u8 val;

	if (offset != 0 || len != 1)
		return;
	val = *(const u8 *)data;

	/* RST_CPU acts on the write and is not kept. */
	pthread_mutex_lock(&r->lock);
	r->val = val & ~RESET_CTL_RST_CPU;
	pthread_mutex_unlock(&r->lock);

	if (val & RESET_CTL_RST_CPU)
		stop_request(r->stop, STOP_RESET, 0);
}

const struct bus_ops reset_ctl_ops = {
	.read = reset_ctl_read,
	.write = reset_ctl_write,
};

int reset_ctl_init(struct reset_ctl *r, struct stop_ctl *stop)
{
	int ret;

	memset(r, 0, sizeof(*r));
	ret = pthread_mutex_init(&r->lock, NULL);
	if (ret)
		return -ret;
	r->stop = stop;
	return 0;
}

void reset_ctl_exit(struct reset_ctl *r)
{
	pthread_mutex_destroy(&r->lock);
}
