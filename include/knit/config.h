/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_CONFIG_H
#define KNIT_CONFIG_H

#include "knit/util.h"
#include "net/capture.h"
#include "net/options.h"

#define KNIT_DEFAULT_MEM (256 * SZ_1M)
#define KNIT_DEFAULT_CPUS 1
#define KNIT_MAX_NETDEVS 8
#define KNIT_MAX_NICS 8
#define KNIT_MAX_CAPTURES 8

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
	bool nodefaults;	/* --nodefaults: no default NIC */
	bool no_net;		/* --nic none or --net none */
	unsigned int nr_nic_opts;	/* --nic options seen */
	unsigned int nr_net_opts;	/* -net options seen */
	unsigned int nr_netdevs;
	struct netdev_cfg netdevs[KNIT_MAX_NETDEVS];
	unsigned int nr_nics;
	struct nic_cfg nics[KNIT_MAX_NICS];
	unsigned int nr_captures;
	struct capture_cfg captures[KNIT_MAX_CAPTURES];
};

#endif
