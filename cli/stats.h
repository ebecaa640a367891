/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_CLI_STATS_H
#define KNIT_CLI_STATS_H

#include "kvm/memory.h"

/* Resident guest RAM in KiB, counted page by page with mincore(2). */
u64 stats_guest_rss_kib(const struct guest_mem *mem);
/* knit's peak RSS (VmHWM) in KiB, 0 if unknown. */
u64 stats_peak_rss_kib(void);
/* One line on stderr: peak RSS, resident guest RAM and their difference. */
void stats_print(const struct guest_mem *mem);

#endif
