// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/stats.h"

u64 stats_guest_rss_kib(const struct guest_mem *mem)
{
	long page = sysconf(_SC_PAGESIZE);
	u64 resident = 0;
	int i;

	for (i = 0; i < mem->nr; i++) {
		const struct guest_region *r = &mem->regions[i];
		size_t pages = r->size / page, j;
		unsigned char *vec = malloc(pages);

		if (!vec)
			continue;
		if (mincore(r->host, r->size, vec) == 0)
			for (j = 0; j < pages; j++)
				resident += vec[j] & 1;
		free(vec);
	}
	return resident * (page / 1024);
}

u64 stats_peak_rss_kib(void)
{
	unsigned long long kib = 0;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

void stats_print(const struct guest_mem *mem)
{
	u64 peak = stats_peak_rss_kib();
	u64 guest = stats_guest_rss_kib(mem);

	/*
	 * Guest RAM is never given back while the VM runs, so what is
	 * resident now is its peak; the rest of the peak is knit's own.
	 */
	pr_info("stats: peak-rss-kib=%llu guest-rss-kib=%llu vmm-rss-kib=%llu",
		(unsigned long long)peak, (unsigned long long)guest,
		(unsigned long long)(peak > guest ? peak - guest : 0));
}
