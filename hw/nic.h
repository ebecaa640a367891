/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_NIC_H
#define KNIT_HW_NIC_H

#include "hw/e1000.h"
#include "hw/rtl8139.h"
#include "hw/virtio/net.h"
#include "knit/config.h"

struct vm;

/* Where an architecture lets NICs sit. */
struct nic_places {
	struct pci_bus *pci;
	struct irq_routing *routing;
	struct irq_line *intx;		/* shared INTx line of PCI NICs */
	struct bus *mmio;
	u64 mmio_base;			/* virtio-mmio windows, one after another */
	const u32 *mmio_gsis;		/* and their interrupt lines */
	unsigned int nr_mmio;
};

struct nics {
	unsigned int nr;
	unsigned int nr_mmio;		/* windows used, from mmio_base up */
	/* NIC i is one of these, by its model; the others are NULL. */
	struct virtio_net *dev[KNIT_MAX_NICS];
	struct e1000 *e1000[KNIT_MAX_NICS];
	struct rtl8139 *rtl8139[KNIT_MAX_NICS];
};

/*
 * Build every --device NIC of vm->cfg, joined to its netdev. One line
 * and -errno on failure; what was built is left for nics_destroy().
 */
int nics_create(struct nics *nics, struct vm *vm, const struct nic_places *p);
void nics_destroy(struct nics *nics);

#endif
