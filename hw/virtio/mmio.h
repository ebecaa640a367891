/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_VIRTIO_MMIO_H
#define KNIT_HW_VIRTIO_MMIO_H

#include "hw/virtio/virtio.h"
#include "kvm/bus.h"

#define VIRTIO_MMIO_SIZE	0x200

/*
 * A virtio device on the MMIO bus (virtio-mmio version 2), with one
 * interrupt line signalled through an irqfd. Linux finds it through
 * "virtio_mmio.device=SIZE@BASE:IRQ" on the command line.
 */
struct virtio_mmio {
	struct virtio_dev vdev;		/* set up by the device model first */
	u64 base;
	u32 gsi;
	int irq_efd;		/* bound to gsi with KVM_IRQFD */
	int call_efd;		/* vhost signals here; knit sets the ISR */
	bool call_polled;
};

int virtio_mmio_init(struct virtio_mmio *vm_dev, struct bus *mmio, u64 base,
		     u32 gsi);
void virtio_mmio_exit(struct virtio_mmio *vm_dev);
/* The kernel parameter that announces the device. */
int virtio_mmio_cmdline(const struct virtio_mmio *vm_dev, char *buf,
			size_t size);

#endif
