// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "arch/x86/cpu.h"

#define CPUID_MAX_ENTRIES 256
#define CPUID_1_EDX_HTT (1u << 28)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_1_ECX_VMX (1u << 5)
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID_80000001_ECX_SVM (1u << 2)
#define KVM_CPUID_FEATURES 0x40000001
/* Only for VMMs that route MSIs with 15-bit destinations; knit does not. */
#define KVM_FEATURE_MSI_EXT_DEST_ID (1u << 15)

struct kvm_cpuid2 *x86_cpuid_supported(int kvm_fd)
{
	bool deadline = ioctl(kvm_fd, KVM_CHECK_EXTENSION,
			      KVM_CAP_TSC_DEADLINE_TIMER) > 0;
	unsigned int i;
	size_t size = sizeof(struct kvm_cpuid2) +
		      CPUID_MAX_ENTRIES * sizeof(struct kvm_cpuid_entry2);
	struct kvm_cpuid2 *c = calloc(1, size);

	if (!c)
		return NULL;
	c->nent = CPUID_MAX_ENTRIES;
	if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c) < 0) {
		pr_err("KVM_GET_SUPPORTED_CPUID failed: %s", strerror(errno));
		free(c);
		return NULL;
	}
	/*
	 * The in-kernel LAPIC emulates the TSC-deadline timer, but KVM
	 * reports it through a capability rather than in this list.
	 */
	for (i = 0; i < c->nent && deadline; i++)
		if (c->entries[i].function == 1)
			c->entries[i].ecx |= CPUID_1_ECX_TSC_DEADLINE;
	return c;
}

int x86_cpuid_apply(struct vcpu *vcpu, const struct kvm_cpuid2 *supported)
{
	size_t size = sizeof(*supported) +
		      supported->nent * sizeof(supported->entries[0]);
	unsigned int nr = vcpu->vm->nr_vcpus;
	struct kvm_cpuid2 *c = malloc(size);
	unsigned int i;
	int ret = 0;

	if (!c)
		return -ENOMEM;
	memcpy(c, supported, size);
	for (i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		switch (e->function) {
		case 1:
			/* Initial APIC id and logical CPU count. */
			e->ebx = (e->ebx & 0xffff) | (vcpu->id << 24) |
				 (MIN(nr, 255u) << 16);
			if (nr > 1)
				e->edx |= CPUID_1_EDX_HTT;
			/*
			 * KVM leaves this to the VMM. Without it Linux takes
			 * itself for bare metal: no kvm-clock, no PV
			 * features, and it calibrates the TSC against a PIT.
			 */
			e->ecx |= CPUID_1_ECX_HYPERVISOR;
			/*
			 * knit offers no nested virtualisation. Shown VT-x or
			 * SVM, Linux's reboot path turns it off through MSRs,
			 * work for the host that buys the guest nothing.
			 */
			e->ecx &= ~CPUID_1_ECX_VMX;
			break;
		case 0x80000001:
			e->ecx &= ~CPUID_80000001_ECX_SVM;
			break;
		case KVM_CPUID_FEATURES:
			e->eax &= ~KVM_FEATURE_MSI_EXT_DEST_ID;
			break;
		case 0xb:
		case 0x1f:
			e->edx = vcpu->id;	/* x2APIC id */
			break;
		}
	}
	if (ioctl(vcpu->fd, KVM_SET_CPUID2, c) < 0) {
		ret = -errno;
		pr_err("KVM_SET_CPUID2 on vCPU %u failed: %s", vcpu->id,
		       strerror(errno));
	}
	free(c);
	return ret;
}
