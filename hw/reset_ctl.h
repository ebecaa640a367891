/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_RESET_CTL_H
#define KNIT_HW_RESET_CTL_H

#include <pthread.h>

#include "knit/util.h"
#include "kvm/bus.h"
#include "kvm/stop.h"

#define RESET_CTL_SYS_RST	0x02	/* hard reset; kept, not acted on */
#define RESET_CTL_RST_CPU	0x04	/* writing 1 resets the machine */
#define RESET_CTL_FULL_RST	0x08

/* The reset control register at 0xcf9, the FADT's RESET_REG. */
struct reset_ctl {
	pthread_mutex_t lock;
	struct stop_ctl *stop;
	u8 val;
};

int reset_ctl_init(struct reset_ctl *r, struct stop_ctl *stop);
void reset_ctl_exit(struct reset_ctl *r);

/* A 1-byte window; opaque is the struct reset_ctl. */
extern const struct bus_ops reset_ctl_ops;

#endif
