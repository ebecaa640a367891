/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_KVM_KVM_H
#define KNIT_KVM_KVM_H

#include "knit/util.h"

/* What the host's /dev/kvm is and can do; probed once per knit run. */
struct kvm_host {
	int fd;
	const char *path;
	unsigned int max_vcpus;
	int vcpu_mmap_size;
	bool pvm;	/* emulates guests in software (no VT-x/SVM) */
};

/*
 * Open and check the KVM device. On failure one line has been printed;
 * -ENOENT/-EACCES mean the node is missing or not ours (a usage problem),
 * anything else that this KVM lacks something knit needs.
 */
int kvm_host_open(struct kvm_host *host, const char *path);
void kvm_host_close(struct kvm_host *host);
/* True when the host's KVM runs guests by emulation (PVM). */
bool kvm_host_is_pvm(void);

#endif
