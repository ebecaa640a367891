// SPDX-License-Identifier: GPL-2.0
/*
 * virtio over PCI, modern interface only (virtio 1.2, 4.1): one 64-bit
 * memory BAR holds the common configuration, ISR, device configuration,
 * notify area and the MSI-X table, each announced by a vendor capability.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "hw/virtio/pci.h"
#include "kvm/vm.h"

#define VPCI_BAR		4
#define VPCI_BAR_SIZE		0x8000
#define VPCI_COMMON		0x0000
#define VPCI_COMMON_SIZE	0x40
#define VPCI_ISR		0x1000
#define VPCI_DEVICE		0x2000
#define VPCI_DEVICE_SIZE	0x1000
#define VPCI_NOTIFY		0x3000
#define VPCI_NOTIFY_MULT	4
#define VPCI_MSIX_TABLE		0x4000
#define VPCI_MSIX_PBA		0x5000

#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4

#define PCI_CAP_ID_VNDR		0x09
#define PCI_VENDOR_REDHAT_QUMRANET	0x1af4
#define PCI_DEVICE_VIRTIO_MODERN	0x1040

/* A virtio capability without its id/next bytes (pci_dev_add_cap adds). */
struct vpci_cap_body {
	u8 cap_len;
	u8 cfg_type;
	u8 bar;
	u8 id;
	u8 pad[2];
	u32 offset;
	u32 length;
	u32 notify_mult;	/* notify capability only */
} __packed;

static int add_cap(struct pci_dev *dev, u8 type, u32 offset, u32 length)
{
	struct vpci_cap_body c = {
		.cfg_type = type,
		.bar = VPCI_BAR,
		.offset = offset,
		.length = length,
		.notify_mult = VPCI_NOTIFY_MULT,
	};
	u32 body = type == VIRTIO_PCI_CAP_NOTIFY_CFG ? sizeof(c) : sizeof(c) - 4;

	c.cap_len = body + 2;
	return pci_dev_add_cap(dev, PCI_CAP_ID_VNDR, &c, body) < 0 ? -ENOSPC : 0;
}

/* The common configuration as the driver reads it, little endian. */
struct vpci_common {
	u32 device_feature_select;
	u32 device_feature;
	u32 driver_feature_select;
	u32 driver_feature;
	u16 config_msix_vector;
	u16 num_queues;
	u8 device_status;
	u8 config_generation;
	u16 queue_select;
	u16 queue_size;
	u16 queue_msix_vector;
	u16 queue_enable;
	u16 queue_notify_off;
	u64 queue_desc;
	u64 queue_driver;
	u64 queue_device;
	u16 queue_notify_data;
	u16 queue_reset;
} __packed;

static void common_snapshot(struct virtio_dev *vdev, struct vpci_common *c)
{
	struct virtio_queue *q = NULL;

	memset(c, 0, sizeof(*c));
	if (vdev->queue_sel < vdev->nr_queues)
		q = &vdev->queues[vdev->queue_sel];
	c->device_feature_select = vdev->features_sel;
	c->device_feature = virtio_read_features(vdev);
	c->driver_feature_select = vdev->guest_features_sel;
	if (vdev->guest_features_sel <= 1)
		c->driver_feature = vdev->guest_features >>
				    (32 * vdev->guest_features_sel);
	c->config_msix_vector = vdev->config_vector;
	c->num_queues = vdev->nr_queues;
	c->device_status = vdev->status;
	c->config_generation = vdev->config_generation;
	c->queue_select = vdev->queue_sel;
	if (!q)
		return;
	c->queue_size = q->size;
	c->queue_msix_vector = q->vector;
	c->queue_enable = q->enabled;
	c->queue_notify_off = vdev->queue_sel;
	c->queue_desc = q->desc;
	c->queue_driver = q->driver;
	c->queue_device = q->device;
	c->queue_notify_data = vdev->queue_sel;
}

#define FIELD(f) offsetof(struct vpci_common, f), sizeof(((struct vpci_common *)0)->f)

static bool touched(u64 off, u32 len, size_t foff, size_t flen)
{
	return off < foff + flen && foff < off + len;
}

static u16 checked_vector(struct virtio_pci *vp, u16 v)
{
	return v < vp->msix.nr ? v : VIRTIO_NO_VECTOR;
}

/* Apply what a write changed, field by field; any access size works. */
static void common_apply(struct virtio_pci *vp, const struct vpci_common *c,
			 u64 off, u32 len)
{
	struct virtio_dev *vdev = &vp->vdev;
	struct virtio_queue *q = NULL;
	bool live = vdev->status & VIRTIO_STATUS_DRIVER_OK;

	if (touched(off, len, FIELD(device_feature_select)))
		vdev->features_sel = c->device_feature_select;
	if (touched(off, len, FIELD(driver_feature_select)))
		vdev->guest_features_sel = c->driver_feature_select;
	if (touched(off, len, FIELD(driver_feature)))
		virtio_write_features(vdev, c->driver_feature);
	if (touched(off, len, FIELD(config_msix_vector)))
		vdev->config_vector = checked_vector(vp, c->config_msix_vector);
	if (touched(off, len, FIELD(queue_select)))
		vdev->queue_sel = c->queue_select;
	if (vdev->queue_sel < vdev->nr_queues)
		q = &vdev->queues[vdev->queue_sel];
	/* A live or enabled queue's set-up is frozen until reset. */
	if (q && !q->enabled && !live) {
		if (touched(off, len, FIELD(queue_size)) &&
		    c->queue_size && c->queue_size <= q->max_size)
			q->size = c->queue_size;
		if (touched(off, len, FIELD(queue_desc)))
			q->desc = c->queue_desc;
		if (touched(off, len, FIELD(queue_driver)))
			q->driver = c->queue_driver;
		if (touched(off, len, FIELD(queue_device)))
			q->device = c->queue_device;
	}
	if (q && touched(off, len, FIELD(queue_msix_vector)))
		q->vector = checked_vector(vp, c->queue_msix_vector);
	if (q && !q->enabled && touched(off, len, FIELD(queue_enable)) &&
	    c->queue_enable == 1)
		virtio_queue_enable(vdev, vdev->queue_sel);
	if (touched(off, len, FIELD(device_status)))
		virtio_write_status(vdev, c->device_status);
}

static void common_read(struct virtio_pci *vp, u64 off, void *data, u32 len)
{
	struct vpci_common c;

	common_snapshot(&vp->vdev, &c);
	memcpy(data, (u8 *)&c + off, len);
}

static void common_write(struct virtio_pci *vp, u64 off, const void *data,
			 u32 len)
{
	struct vpci_common c;

	common_snapshot(&vp->vdev, &c);
	memcpy((u8 *)&c + off, data, len);
	common_apply(vp, &c, off, len);
}

static void isr_read(struct virtio_pci *vp, void *data, u32 len)
{
	u32 isr = __atomic_exchange_n(&vp->vdev.isr, 0, __ATOMIC_SEQ_CST);

	/* Reading the ISR acknowledges it and drops INTx. */
	memset(data, 0, len);
	*(u8 *)data = isr;
	pci_dev_set_intx(&vp->pci, 0);
}

static void bar_read(void *opaque, u64 off, void *data, u32 len)
{
	struct virtio_pci *vp = opaque;
	struct virtio_dev *vdev = &vp->vdev;

	memset(data, 0, len);
	if (msix_bar_read(&vp->msix, off, data, len))
		return;
	pthread_mutex_lock(&vdev->lock);
	if (off + len <= VPCI_COMMON + sizeof(struct vpci_common))
		common_read(vp, off - VPCI_COMMON, data, len);
	else if (off == VPCI_ISR)
		isr_read(vp, data, len);
	else if (off >= VPCI_DEVICE && off + len <= VPCI_DEVICE + VPCI_DEVICE_SIZE &&
		 vdev->ops->config_read)
		vdev->ops->config_read(vdev, off - VPCI_DEVICE, data, len);
	pthread_mutex_unlock(&vdev->lock);
}

static void bar_write(void *opaque, u64 off, const void *data, u32 len)
{
	struct virtio_pci *vp = opaque;
	struct virtio_dev *vdev = &vp->vdev;

	if (msix_bar_write(&vp->msix, off, data, len))
		return;
	pthread_mutex_lock(&vdev->lock);
	if (off + len <= VPCI_COMMON + sizeof(struct vpci_common))
		common_write(vp, off - VPCI_COMMON, data, len);
	else if (off >= VPCI_DEVICE && off + len <= VPCI_DEVICE + VPCI_DEVICE_SIZE &&
		 vdev->ops->config_write)
		vdev->ops->config_write(vdev, off - VPCI_DEVICE, data, len);
	else if (off >= VPCI_NOTIFY &&
		 off < VPCI_NOTIFY + (u64)vdev->nr_queues * VPCI_NOTIFY_MULT)
		virtio_notify_write(vdev, (off - VPCI_NOTIFY) / VPCI_NOTIFY_MULT);
	pthread_mutex_unlock(&vdev->lock);
}

static const struct bus_ops vpci_bar_ops = {
	.read = bar_read,
	.write = bar_write,
};

static void vpci_notify_queue(struct virtio_dev *vdev, u16 q)
{
	struct virtio_pci *vp = vdev->transport;

	if (msix_enabled(&vp->msix)) {
		msix_notify(&vp->msix, vdev->queues[q].vector);
		return;
	}
	__atomic_fetch_or(&vdev->isr, 1, __ATOMIC_SEQ_CST);
	pci_dev_set_intx(&vp->pci, 1);
}

static void vpci_notify_config(struct virtio_dev *vdev)
{
	struct virtio_pci *vp = vdev->transport;

	if (msix_enabled(&vp->msix)) {
		msix_notify(&vp->msix, vdev->config_vector);
		return;
	}
	__atomic_fetch_or(&vdev->isr, 2, __ATOMIC_SEQ_CST);
	pci_dev_set_intx(&vp->pci, 1);
}

static int vpci_queue_irqfd(struct virtio_dev *vdev, u16 q)
{
	struct virtio_pci *vp = vdev->transport;
	u16 v = vdev->queues[q].vector;

	/* INTx needs the ISR bit set by knit: no direct path for vhost. */
	if (!msix_enabled(&vp->msix) || v == VIRTIO_NO_VECTOR)
		return -1;
	return msix_irqfd(&vp->msix, v);
}

static int ioeventfd(struct vm *vm, u64 addr, int efd, bool on)
{
	struct kvm_ioeventfd io = {
		.addr = addr,
		.len = 2,
		.fd = efd,
		.flags = on ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN,
	};

	return ioctl(vm->fd, KVM_IOEVENTFD, &io) < 0 ? -errno : 0;
}

static int vpci_bind_kick(struct virtio_dev *vdev, u16 q, int efd, bool on)
{
	struct virtio_pci *vp = vdev->transport;
	u64 base = vp->pci.bars[VPCI_BAR].addr;

	if (!vp->pci.bars[VPCI_BAR].mapped)
		return on ? -ENXIO : 0;
	return ioeventfd(vdev->vm, base + VPCI_NOTIFY + q * VPCI_NOTIFY_MULT,
			 efd, on);
}

static const struct virtio_transport_ops vpci_transport_ops = {
	.notify_queue = vpci_notify_queue,
	.notify_config = vpci_notify_config,
	.queue_irqfd = vpci_queue_irqfd,
	.bind_kick = vpci_bind_kick,
};

static void vpci_config_write(struct pci_dev *dev, u32 offset,
			      const void *data, u32 len)
{
	struct virtio_pci *vp = dev->opaque;

	msix_config_write(&vp->msix, offset, data, len);
}

/* The guest moved the BAR: the notify ioeventfds follow it. */
static void vpci_bar_moved(struct pci_dev *dev, int bar, u64 old_addr,
			   u64 new_addr)
{
	struct virtio_pci *vp = dev->opaque;
	struct virtio_dev *vdev = &vp->vdev;
	u16 i;

	if (bar != VPCI_BAR)
		return;
	pthread_mutex_lock(&vdev->lock);
	for (i = 0; i < vdev->nr_queues; i++) {
		int efd = vdev->queues[i].kick_efd;

		if (efd < 0)
			continue;
		if (old_addr)
			ioeventfd(vdev->vm, old_addr + VPCI_NOTIFY +
				  i * VPCI_NOTIFY_MULT, efd, false);
		if (new_addr)
			ioeventfd(vdev->vm, new_addr + VPCI_NOTIFY +
				  i * VPCI_NOTIFY_MULT, efd, true);
	}
	pthread_mutex_unlock(&vdev->lock);
}

static const struct pci_dev_ops vpci_dev_ops = {
	.config_write = vpci_config_write,
	.bar_moved = vpci_bar_moved,
};

int virtio_pci_init(struct virtio_pci *vp, struct pci_bus *bus,
		    struct irq_routing *routing, struct irq_line *intx,
		    u32 class_code)
{
	struct virtio_dev *vdev = &vp->vdev;
	struct pci_dev *dev = &vp->pci;
	u16 vectors = vdev->nr_queues + 1;
	int ret;

	vdev->transport = vp;
	vdev->tops = &vpci_transport_ops;
	pci_dev_init(dev, PCI_VENDOR_REDHAT_QUMRANET,
		     PCI_DEVICE_VIRTIO_MODERN + vdev->device_id, class_code, 1,
		     PCI_VENDOR_REDHAT_QUMRANET, 0x40 + vdev->device_id);
	dev->ops = &vpci_dev_ops;
	dev->opaque = vp;
	ret = pci_dev_add_bar(dev, VPCI_BAR, VPCI_BAR_SIZE,
			      PCI_BAR_MEM64 | PCI_BAR_PREFETCH, &vpci_bar_ops, vp);
	if (!ret)
		ret = add_cap(dev, VIRTIO_PCI_CAP_COMMON_CFG, VPCI_COMMON,
			      VPCI_COMMON_SIZE);
	if (!ret)
		ret = add_cap(dev, VIRTIO_PCI_CAP_ISR_CFG, VPCI_ISR, 1);
	if (!ret)
		ret = add_cap(dev, VIRTIO_PCI_CAP_DEVICE_CFG, VPCI_DEVICE,
			      VPCI_DEVICE_SIZE);
	if (!ret)
		ret = add_cap(dev, VIRTIO_PCI_CAP_NOTIFY_CFG, VPCI_NOTIFY,
			      vdev->nr_queues * VPCI_NOTIFY_MULT);
	if (!ret)
		ret = msix_init(&vp->msix, dev, routing, vectors, VPCI_BAR,
				VPCI_MSIX_TABLE, VPCI_MSIX_PBA);
	if (!ret) {
		ret = pci_bus_add(bus, dev, intx);
		ret = ret < 0 ? ret : 0;
	}
	return ret;
}

void virtio_pci_exit(struct virtio_pci *vp)
{
	pci_bus_remove(&vp->pci);
	msix_exit(&vp->msix);
}
