// SPDX-License-Identifier: GPL-2.0
/*
 * virtio over MMIO, version 2 (virtio 1.2, 4.2): a 512-byte register
 * window with the device configuration at 0x100, one interrupt line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "hw/virtio/mmio.h"
#include "kvm/irq_routing.h"
#include "kvm/loop.h"
#include "kvm/vm.h"

#define VMMIO_MAGIC		0x000
#define VMMIO_VERSION		0x004
#define VMMIO_DEVICE_ID		0x008
#define VMMIO_VENDOR_ID		0x00c
#define VMMIO_DEV_FEATURES	0x010
#define VMMIO_DEV_FEATURES_SEL	0x014
#define VMMIO_DRV_FEATURES	0x020
#define VMMIO_DRV_FEATURES_SEL	0x024
#define VMMIO_QUEUE_SEL		0x030
#define VMMIO_QUEUE_NUM_MAX	0x034
#define VMMIO_QUEUE_NUM		0x038
#define VMMIO_QUEUE_READY	0x044
#define VMMIO_QUEUE_NOTIFY	0x050
#define VMMIO_INT_STATUS	0x060
#define VMMIO_INT_ACK		0x064
#define VMMIO_STATUS		0x070
#define VMMIO_QUEUE_DESC_LO	0x080
#define VMMIO_QUEUE_DESC_HI	0x084
#define VMMIO_QUEUE_DRIVER_LO	0x090
#define VMMIO_QUEUE_DRIVER_HI	0x094
#define VMMIO_QUEUE_DEVICE_LO	0x0a0
#define VMMIO_QUEUE_DEVICE_HI	0x0a4
#define VMMIO_CONFIG_GEN	0x0fc
#define VMMIO_CONFIG		0x100

#define VMMIO_MAGIC_VALUE	0x74726976	/* "virt" */
#define VMMIO_VENDOR_KNIT	0x54494e4b	/* "KNIT" */

static struct virtio_queue *selected(struct virtio_dev *vdev)
{
	return vdev->queue_sel < vdev->nr_queues ?
	       &vdev->queues[vdev->queue_sel] : NULL;
}

static u32 reg_read(struct virtio_dev *vdev, u64 off)
{
	struct virtio_queue *q = selected(vdev);

	switch (off) {
	case VMMIO_MAGIC:	return VMMIO_MAGIC_VALUE;
	case VMMIO_VERSION:	return 2;
	case VMMIO_DEVICE_ID:	return vdev->device_id;
	case VMMIO_VENDOR_ID:	return VMMIO_VENDOR_KNIT;
	case VMMIO_DEV_FEATURES: return virtio_read_features(vdev);
	case VMMIO_QUEUE_NUM_MAX: return q ? q->max_size : 0;
	case VMMIO_QUEUE_READY:	return q ? q->enabled : 0;
	case VMMIO_INT_STATUS:	return __atomic_load_n(&vdev->isr, __ATOMIC_SEQ_CST);
	case VMMIO_STATUS:	return vdev->status;
	case VMMIO_CONFIG_GEN:	return vdev->config_generation;
	default:		return 0;
	}
}

/* Ring addresses come in 32-bit halves; keep the other half. */
static void set_half(u64 *v, u64 off, u32 value)
{
	if (off & 4)
		*v = (*v & 0xffffffffULL) | ((u64)value << 32);
	else
		*v = (*v & ~0xffffffffULL) | value;
}

static void reg_write(struct virtio_dev *vdev, u64 off, u32 value)
{
	struct virtio_queue *q = selected(vdev);
	bool frozen = !q || q->enabled ||
		      (vdev->status & VIRTIO_STATUS_DRIVER_OK);

	switch (off) {
	case VMMIO_DEV_FEATURES_SEL: vdev->features_sel = value; break;
	case VMMIO_DRV_FEATURES_SEL: vdev->guest_features_sel = value; break;
	case VMMIO_DRV_FEATURES: virtio_write_features(vdev, value); break;
	case VMMIO_QUEUE_SEL:	vdev->queue_sel = value; break;
	case VMMIO_QUEUE_NUM:
		if (!frozen && value && value <= q->max_size)
			q->size = value;
		break;
	case VMMIO_QUEUE_READY:
		if (q && value == 1 && !q->enabled)
			virtio_queue_enable(vdev, vdev->queue_sel);
		break;
	case VMMIO_INT_ACK:
		__atomic_fetch_and(&vdev->isr, ~value, __ATOMIC_SEQ_CST);
		break;
	case VMMIO_STATUS:	virtio_write_status(vdev, value); break;
	case VMMIO_QUEUE_NOTIFY:
		if (value < vdev->nr_queues)
			virtio_notify_write(vdev, value);
		break;
	case VMMIO_QUEUE_DESC_LO: case VMMIO_QUEUE_DESC_HI:
		if (!frozen)
			set_half(&q->desc, off, value);
		break;
	case VMMIO_QUEUE_DRIVER_LO: case VMMIO_QUEUE_DRIVER_HI:
		if (!frozen)
			set_half(&q->driver, off, value);
		break;
	case VMMIO_QUEUE_DEVICE_LO: case VMMIO_QUEUE_DEVICE_HI:
		if (!frozen)
			set_half(&q->device, off, value);
		break;
	default:
		/* Read-only registers. */
		break;
	}
}

static void vmmio_read(void *opaque, u64 off, void *data, u32 len)
{
	struct virtio_mmio *m = opaque;
	struct virtio_dev *vdev = &m->vdev;
	u32 v;

	memset(data, 0, len);
	pthread_mutex_lock(&vdev->lock);
	if (off >= VMMIO_CONFIG) {
		if (vdev->ops->config_read)
			vdev->ops->config_read(vdev, off - VMMIO_CONFIG, data, len);
	} else if (len == 4 && IS_ALIGNED(off, 4)) {
		v = reg_read(vdev, off);
		memcpy(data, &v, 4);
	}
	pthread_mutex_unlock(&vdev->lock);
}

static void vmmio_write(void *opaque, u64 off, const void *data, u32 len)
{
	struct virtio_mmio *m = opaque;
	struct virtio_dev *vdev = &m->vdev;
	u32 v;

	pthread_mutex_lock(&vdev->lock);
	if (off >= VMMIO_CONFIG) {
		if (vdev->ops->config_write)
			vdev->ops->config_write(vdev, off - VMMIO_CONFIG, data, len);
	} else if (len == 4 && IS_ALIGNED(off, 4)) {
		/* Registers are 32-bit only (virtio 1.2, 4.2.2.2). */
		memcpy(&v, data, 4);
		reg_write(vdev, off, v);
	}
	pthread_mutex_unlock(&vdev->lock);
}

static const struct bus_ops vmmio_ops = {
	.read = vmmio_read,
	.write = vmmio_write,
};

static void raise_irq(struct virtio_mmio *m, u32 bit)
{
	u64 one = 1;

	__atomic_fetch_or(&m->vdev.isr, bit, __ATOMIC_SEQ_CST);
	if (write(m->irq_efd, &one, sizeof(one)) < 0)
		pr_warn("%s: cannot signal the interrupt: %s", m->vdev.name,
			strerror(errno));
}

static void vmmio_notify_queue(struct virtio_dev *vdev, u16 q)
{
	raise_irq(vdev->transport, 1);
}

static void vmmio_notify_config(struct virtio_dev *vdev)
{
	raise_irq(vdev->transport, 2);
}

/* vhost signalled: the driver looks at the ISR, so knit must set it. */
static void call_readable(void *opaque, u32 events)
{
	struct virtio_mmio *m = opaque;
	u64 count;

	if (read(m->call_efd, &count, sizeof(count)) == sizeof(count))
		raise_irq(m, 1);
}

static int vmmio_queue_irqfd(struct virtio_dev *vdev, u16 q)
{
	struct virtio_mmio *m = vdev->transport;

	if (!m->call_polled) {
		if (loop_add(vdev->loop, m->call_efd, EPOLLIN, call_readable, m))
			return -1;
		m->call_polled = true;
	}
	return m->call_efd;
}

static int vmmio_bind_kick(struct virtio_dev *vdev, u16 q, int efd, bool on)
{
	struct virtio_mmio *m = vdev->transport;
	struct kvm_ioeventfd io = {
		.addr = m->base + VMMIO_QUEUE_NOTIFY,
		.len = 4,
		.datamatch = q,
		.fd = efd,
		.flags = KVM_IOEVENTFD_FLAG_DATAMATCH |
			 (on ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN),
	};

	return ioctl(vdev->vm->fd, KVM_IOEVENTFD, &io) < 0 ? -errno : 0;
}

static const struct virtio_transport_ops vmmio_transport_ops = {
	.notify_queue = vmmio_notify_queue,
	.notify_config = vmmio_notify_config,
	.queue_irqfd = vmmio_queue_irqfd,
	.bind_kick = vmmio_bind_kick,
};

int virtio_mmio_init(struct virtio_mmio *m, struct bus *mmio, u64 base,
		     u32 gsi)
{
	struct virtio_dev *vdev = &m->vdev;
	int ret;

	m->base = base;
	m->gsi = gsi;
	m->call_polled = false;
	vdev->transport = m;
	vdev->tops = &vmmio_transport_ops;
	m->irq_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	m->call_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (m->irq_efd < 0 || m->call_efd < 0) {
		ret = -errno;
		goto fail;
	}
	ret = irqfd_assign(vdev->vm->fd, m->irq_efd, gsi);
	if (ret)
		goto fail;
	ret = bus_register(mmio, base, VIRTIO_MMIO_SIZE, &vmmio_ops, m);
	if (ret) {
		irqfd_deassign(vdev->vm->fd, m->irq_efd, gsi);
		goto fail;
	}
	return 0;
fail:
	if (m->irq_efd >= 0)
		close(m->irq_efd);
	if (m->call_efd >= 0)
		close(m->call_efd);
	m->irq_efd = m->call_efd = -1;
	return ret;
}

void virtio_mmio_exit(struct virtio_mmio *m)
{
	if (m->call_polled)
		loop_del(m->vdev.loop, m->call_efd);
	if (m->irq_efd >= 0) {
		irqfd_deassign(m->vdev.vm->fd, m->irq_efd, m->gsi);
		close(m->irq_efd);
	}
	if (m->call_efd >= 0)
		close(m->call_efd);
	m->irq_efd = m->call_efd = -1;
}

int virtio_mmio_cmdline(const struct virtio_mmio *m, char *buf, size_t size)
{
	int n = snprintf(buf, size, "virtio_mmio.device=%u@0x%llx:%u",
			 VIRTIO_MMIO_SIZE, (unsigned long long)m->base, m->gsi);

	return n < 0 || (size_t)n >= size ? -ENOSPC : 0;
}
