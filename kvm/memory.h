/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_KVM_MEMORY_H
#define KNIT_KVM_MEMORY_H

#include "knit/util.h"

#define GUEST_MAX_REGIONS 4

struct guest_region {
	u64 gpa;
	u64 size;
	u8 *host;
};

/*
 * Guest RAM as a few contiguous regions. Device and loader code reach it
 * only through the helpers below, which refuse any range that is not
 * wholly inside one region; nothing outside this file adds a guest
 * physical address to a host pointer.
 */
struct guest_mem {
	struct guest_region regions[GUEST_MAX_REGIONS];
	int nr;
	u64 ram_size;	/* sum of region sizes */
	bool owned;	/* mapped by guest_mem_map(), unmapped on exit */
};

/* Map ram_size bytes of anonymous memory split around [hole_start, 4G). */
int guest_mem_map(struct guest_mem *mem, u64 ram_size, u64 hole_start);
void guest_mem_unmap(struct guest_mem *mem);
/* Describe caller-owned buffers as guest memory (unit tests, loaders). */
int guest_mem_add(struct guest_mem *mem, u64 gpa, void *host, u64 size);

/* Host pointer for [gpa, gpa+len), or NULL if any byte is outside RAM. */
void *guest_ptr(const struct guest_mem *mem, u64 gpa, u64 len);
/* 0 or -EFAULT; nothing is copied on failure. */
int guest_read(const struct guest_mem *mem, u64 gpa, void *buf, u64 len);
int guest_write(const struct guest_mem *mem, u64 gpa, const void *buf, u64 len);
bool guest_range_ok(const struct guest_mem *mem, u64 gpa, u64 len);

#endif
