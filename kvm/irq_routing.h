/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_KVM_IRQ_ROUTING_H
#define KNIT_KVM_IRQ_ROUTING_H

#include <pthread.h>
#include <linux/kvm.h>

#include "knit/util.h"

/*
 * The VM's GSI routing table. KVM_SET_GSI_ROUTING replaces the whole
 * table, so knit keeps it here: the default IOAPIC (and PIC) pins, plus
 * one MSI route per MSI-X vector in use, committed after each change.
 */

#define IRQ_ROUTING_MAX		1024

struct irq_routing {
	int vm_fd;
	u32 nr_pins;		/* GSIs 0..nr_pins-1 are IOAPIC pins */
	u32 next_gsi;
	u32 nr;
	struct kvm_irq_routing_entry entries[IRQ_ROUTING_MAX];
	pthread_mutex_t lock;
};

/* Default routes for 24 IOAPIC pins (and PIC for 0-15), committed. */
int irq_routing_init(struct irq_routing *r, int vm_fd);
void irq_routing_exit(struct irq_routing *r);
/* A new GSI routed to an MSI message; returns the GSI or -errno. */
int irq_routing_add_msi(struct irq_routing *r, u64 addr, u32 data);
int irq_routing_set_msi(struct irq_routing *r, u32 gsi, u64 addr, u32 data);
void irq_routing_remove(struct irq_routing *r, u32 gsi);

/* Bind eventfd efd to gsi (KVM_IRQFD), or unbind it. */
int irqfd_assign(int vm_fd, int efd, u32 gsi);
int irqfd_deassign(int vm_fd, int efd, u32 gsi);
/* Inject an MSI once, from user space (KVM_SIGNAL_MSI). */
int irq_signal_msi(int vm_fd, u64 addr, u32 data);

#endif
