/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_CONFIG_H
#define KNIT_CONFIG_H

#include "knit/util.h"

#define KNIT_DEFAULT_MEM (256 * SZ_1M)
#define KNIT_DEFAULT_CPUS 1

/* Everything `knit run` was asked to build, as parsed from its options. */
struct knit_config {
	const char *kernel;
	const char *initrd;
	const char *params;
	const char *name;
	u64 mem_size;
	unsigned int nr_cpus;
	bool reboot;	/* restart on guest reset instead of exiting */
	bool stats;	/* print memory figures on exit */
	bool allow_pvm;	/* run even on an emulating (PVM) /dev/kvm */
	const char *kvm_dev;
};

#endif
