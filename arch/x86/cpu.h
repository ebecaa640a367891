/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_X86_CPU_H
#define KNIT_X86_CPU_H

#include "kvm/vm.h"

struct kvm_cpuid2;

/* What KVM can offer a guest; fetched once per VM. */
struct kvm_cpuid2 *x86_cpuid_supported(int kvm_fd);
/* This vCPU's CPUID: the supported set with its own APIC id and counts. */
int x86_cpuid_apply(struct vcpu *vcpu, const struct kvm_cpuid2 *supported);

/* Identity-map the first 4 GiB with 2 MiB pages, and the boot GDT. */
int x86_write_boot_tables(const struct guest_mem *mem);
/* The boot CPU's state at a 64-bit (rsi = arg) or PVH 32-bit (ebx = arg) entry. */
int x86_regs_boot(struct vcpu *vcpu, u64 ip, u64 arg, bool entry32);
/* LINT0 as ExtINT and LINT1 as NMI, as a PC's firmware leaves them. */
int x86_lapic_init(struct vcpu *vcpu);

#endif
