// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "kvm/memory.h"

int guest_mem_add(struct guest_mem *mem, u64 gpa, void *host, u64 size)
{
	if (mem->nr == GUEST_MAX_REGIONS || !size || gpa + size < gpa)
		return -EINVAL;
	mem->regions[mem->nr++] = (struct guest_region){ gpa, size, host };
	mem->ram_size += size;
	return 0;
}

/*
 * Anonymous memory whose start is 2 MiB aligned. KVM maps a guest range
 * with a huge page only where guest and host addresses agree modulo the
 * huge page size; the guest regions start on 2 MiB boundaries, so the
 * host side must too, or every guest page costs its own nested fault.
 */
static void *map_aligned(u64 size)
{
	const u64 align = 2ULL << 20;
	u8 *p, *start;
	u64 head;

	p = mmap(NULL, size + align, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return p;
	start = (u8 *)ALIGN_UP((uintptr_t)p, align);
	head = start - p;
	if (head)
		munmap(p, head);
	munmap(start + size, align - head);
	return start;
}

int guest_mem_map(struct guest_mem *mem, u64 ram_size, u64 hole_start)
{
	u64 low = MIN(ram_size, hole_start);
	u64 high = ram_size - low;
	const u64 hole_end = 4 * SZ_1G;
	int i;

	memset(mem, 0, sizeof(*mem));
	mem->owned = true;
	for (i = 0; i < 2; i++) {
		u64 size = i ? high : low;
		void *p;

		if (!size)
			continue;
		/*
		 * NORESERVE: a guest touches what it uses, so a 4G VM
		 * that boots to a shell costs what the shell costs.
		 */
		p = map_aligned(size);
		if (p == MAP_FAILED) {
			int err = -errno;

			guest_mem_unmap(mem);
			return err;
		}
		madvise(p, size, MADV_HUGEPAGE);
		guest_mem_add(mem, i ? hole_end : 0, p, size);
	}
	return 0;
}

void guest_mem_unmap(struct guest_mem *mem)
{
	int i;

	if (mem->owned)
		for (i = 0; i < mem->nr; i++)
			munmap(mem->regions[i].host, mem->regions[i].size);
	memset(mem, 0, sizeof(*mem));
}

static const struct guest_region *find_region(const struct guest_mem *mem,
					      u64 gpa, u64 len)
{
	int i;

	for (i = 0; i < mem->nr; i++) {
		const struct guest_region *r = &mem->regions[i];

		/* Written so that no sum can wrap around. */
		if (gpa >= r->gpa && gpa - r->gpa < r->size &&
		    len <= r->size - (gpa - r->gpa))
			return r;
	}
	return NULL;
}

void *guest_ptr(const struct guest_mem *mem, u64 gpa, u64 len)
{
	const struct guest_region *r = find_region(mem, gpa, len ? len : 1);

	return r ? r->host + (gpa - r->gpa) : NULL;
}

bool guest_range_ok(const struct guest_mem *mem, u64 gpa, u64 len)
{
	return guest_ptr(mem, gpa, len) != NULL;
}

int guest_read(const struct guest_mem *mem, u64 gpa, void *buf, u64 len)
{
	void *p = guest_ptr(mem, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(buf, p, len);
	return 0;
}

int guest_write(const struct guest_mem *mem, u64 gpa, const void *buf, u64 len)
{
	void *p = guest_ptr(mem, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}
