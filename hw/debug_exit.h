/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_DEBUG_EXIT_H
#define KNIT_HW_DEBUG_EXIT_H

#include "knit/util.h"
#include "kvm/bus.h"
#include "kvm/stop.h"

/*
 * knit's test exit port: a guest write of any width ends the run with
 * the low byte of the value as knit's exit status (unlike QEMU's
 * isa-debug-exit, which reports (value << 1) | 1).
 */
struct debug_exit {
	struct stop_ctl *stop;
};

int debug_exit_init(struct debug_exit *d, struct stop_ctl *stop);
void debug_exit_exit(struct debug_exit *d);

/* Any window size; opaque is the struct debug_exit. Reads give all-ones. */
extern const struct bus_ops debug_exit_ops;

#endif
