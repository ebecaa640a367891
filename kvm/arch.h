/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_KVM_ARCH_H
#define KNIT_KVM_ARCH_H

#include "kvm/vm.h"

/*
 * What each architecture supplies to the generic VM code. The machine
 * builder (arch_machine_build) reads the configuration and creates every
 * device explicitly, so start-up reads top to bottom in one place.
 */

/* Start of the MMIO hole below 4 GiB; RAM above it moves past 4 GiB. */
u64 arch_ram_hole_start(void);
/*
 * Check the kernel and initrd against the configuration before anything
 * is created: a usage error prints one line and returns -EINVAL.
 */
int arch_boot_check(const struct knit_config *cfg, void **boot);
void arch_boot_free(void *boot);
/* Irqchip, devices, kernel, firmware tables; the VM and RAM exist. */
int arch_machine_build(struct vm *vm, void *boot);
void arch_machine_destroy(struct vm *vm);
/* Per-vCPU set-up (CPUID, boot registers) before its thread starts. */
int arch_vcpu_init(struct vcpu *vcpu);
/* Print registers after a fatal exit, on stderr. */
void arch_vcpu_dump(struct vcpu *vcpu);

#endif
