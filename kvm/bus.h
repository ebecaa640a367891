/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_KVM_BUS_H
#define KNIT_KVM_BUS_H

#include <pthread.h>

#include "knit/util.h"

/*
 * A device claims a window of port I/O or MMIO space with a pair of
 * callbacks. Offsets are relative to the window base; len is 1, 2, 4 or 8.
 * Callbacks run on vCPU threads, so devices with state lock it themselves.
 *
 * bus_access looks the window up under the read lock and drops it before
 * the callback runs, so a callback may itself register or unregister
 * windows on the same bus (a PCI config write that moves an I/O BAR does
 * just that from a port I/O exit). The price: a callback can still run
 * on a window for an access that looked it up just before bus_unregister
 * returned, so an owner keeps its opaque alive for the machine's life
 * (moving a window never frees anything).
 */
struct bus_ops {
	void (*read)(void *opaque, u64 offset, void *data, u32 len);
	void (*write)(void *opaque, u64 offset, const void *data, u32 len);
};

struct bus_range {
	u64 base;
	u64 len;
	const struct bus_ops *ops;
	void *opaque;
};

struct bus {
	const char *name;
	struct bus_range *ranges; /* sorted by base, never overlapping */
	size_t nr;
	size_t cap;
	pthread_rwlock_t lock;
};

void bus_init(struct bus *bus, const char *name);
void bus_exit(struct bus *bus);
/* -EEXIST if the window overlaps one already claimed. */
int bus_register(struct bus *bus, u64 base, u64 len,
		 const struct bus_ops *ops, void *opaque);
/* Drop the window that starts at base; -ENOENT if there is none. */
int bus_unregister(struct bus *bus, u64 base);
/*
 * Dispatch an access; returns false when no device claims addr, in which
 * case a read fills data with all-ones, as an empty ISA/PCI slot would.
 */
bool bus_access(struct bus *bus, u64 addr, void *data, u32 len, bool is_write);

#endif
