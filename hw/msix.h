/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_MSIX_H
#define KNIT_HW_MSIX_H

#include <pthread.h>

#include "knit/util.h"

struct pci_dev;
struct irq_routing;

/*
 * MSI-X for one PCI function: the capability, the vector table and the
 * pending-bit array, which live in one of the device's BARs (the device's
 * BAR accessors pass those ranges to msix_table_read/write). Each vector
 * has a KVM GSI routed to its message and an irqfd, so both knit's own
 * threads (msix_notify) and the kernel (vhost writes msix_irqfd) can
 * signal it. A masked vector (or function) does not interrupt; its
 * pending bit is set and the message goes out when it is unmasked.
 */

#define MSIX_MAX_VECTORS	64
#define MSIX_ENTRY_SIZE		16

struct msix_vector {
	u32 addr_lo, addr_hi, data, ctrl;	/* the table entry */
	int gsi;		/* KVM route for this message, -1: none */
	int irqfd;		/* eventfd bound to gsi while unmasked */
	bool pending;
};

struct msix {
	struct pci_dev *dev;
	struct irq_routing *routing;
	u16 nr;
	int cap;		/* offset of the capability in config space */
	int bar;
	u32 table_off;		/* in the BAR */
	u32 pba_off;
	struct msix_vector vec[MSIX_MAX_VECTORS];
	u16 ctrl;		/* Message Control's enable and mask bits */
	pthread_mutex_t lock;
	/* hook: a vector's irqfd changed (vhost must be told); may be NULL */
	void (*irqfd_changed)(void *opaque, u16 vector);
	void *opaque;
};

/*
 * Add the MSI-X capability to dev with nr vectors, table at table_off
 * and PBA at pba_off in BAR bar (the caller sizes the BAR to hold them:
 * nr * 16 bytes of table, nr/64 rounded up * 8 of PBA).
 */
int msix_init(struct msix *msix, struct pci_dev *dev, struct irq_routing *r,
	      u16 nr, int bar, u32 table_off, u32 pba_off);
void msix_exit(struct msix *msix);
/* Is MSI-X on (enable bit set, function not masked)? */
bool msix_enabled(struct msix *msix);
/* The device's config_write hook passes its writes here first. */
void msix_config_write(struct msix *msix, u32 offset, const void *data,
		       u32 len);
/* BAR accesses inside [table_off, +nr*16) and [pba_off, +...). */
bool msix_bar_read(struct msix *msix, u64 offset, void *data, u32 len);
bool msix_bar_write(struct msix *msix, u64 offset, const void *data,
		    u32 len);
/* Signal vector v (0xffff, VIRTIO_MSI_NO_VECTOR, does nothing). */
void msix_notify(struct msix *msix, u16 v);
/* An eventfd that signals vector v (for vhost's call fd), or -1. */
int msix_irqfd(struct msix *msix, u16 v);

#endif
