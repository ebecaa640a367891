/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_VIRTIO_PCI_H
#define KNIT_HW_VIRTIO_PCI_H

#include "hw/msix.h"
#include "hw/pci.h"
#include "hw/virtio/virtio.h"

struct irq_routing;

/* A virtio device on the PCI bus (modern interface, MSI-X, INTx). */
struct virtio_pci {
	struct virtio_dev vdev;		/* set up by the device model first */
	struct pci_dev pci;
	struct msix msix;
};

/* Put vp->vdev (already initialised) on bus; class_code as in PCI. */
int virtio_pci_init(struct virtio_pci *vp, struct pci_bus *bus,
		    struct irq_routing *routing, struct irq_line *intx,
		    u32 class_code);
void virtio_pci_exit(struct virtio_pci *vp);

#endif
