/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_KVM_ARCH_H
#define KNIT_KVM_ARCH_H

#include "kvm/vm.h"

struct irq_line;
struct irq_routing;
struct pci_bus;

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
/*
 * What device code needs from the machine once arch_machine_build has
 * made it: PCI bus 0, the VM's GSI routing table (for MSI routes), and
 * an INTx line for the next PCI device (a few GSIs, shared).
 */
struct pci_bus *arch_pci_bus(struct vm *vm);
struct irq_routing *arch_irq_routing(struct vm *vm);
struct irq_line *arch_pci_intx(struct vm *vm);
/* Per-vCPU set-up (CPUID, boot registers) before its thread starts. */
int arch_vcpu_init(struct vcpu *vcpu);
/* Print registers after a fatal exit, on stderr. */
void arch_vcpu_dump(struct vcpu *vcpu);

#endif
