/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_VIRTIO_VIRTIO_H
#define KNIT_HW_VIRTIO_VIRTIO_H

#include <pthread.h>

#include "hw/virtio/virtqueue.h"

/*
 * A virtio 1.x device, apart from its transport. The device model (net)
 * fills ops; a transport (PCI or MMIO) turns the driver's register
 * accesses into calls on this struct and delivers its interrupts.
 */

/* Device status bits (virtio 1.2, 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE	1
#define VIRTIO_STATUS_DRIVER		2
#define VIRTIO_STATUS_DRIVER_OK		4
#define VIRTIO_STATUS_FEATURES_OK	8
#define VIRTIO_STATUS_NEEDS_RESET	64
#define VIRTIO_STATUS_FAILED		128

#define VIRTIO_F_VERSION_1		32
#define VIRTIO_NO_VECTOR		0xffff

#define VIRTIO_MAX_QUEUES		(2 * 8 + 1)

struct virtio_dev;
struct loop;
struct vm;

struct virtio_dev_ops {
	/* Read or write the device-specific configuration. */
	void (*config_read)(struct virtio_dev *vdev, u32 offset, void *data,
			    u32 len);
	void (*config_write)(struct virtio_dev *vdev, u32 offset,
			     const void *data, u32 len);
	/* DRIVER_OK: the rings are set; start moving data. */
	int (*start)(struct virtio_dev *vdev);
	/* The driver reset the device (or knit is tearing down). */
	void (*stop)(struct virtio_dev *vdev);
	/* Queue q was kicked; called on the main loop thread. */
	void (*kick)(struct virtio_dev *vdev, u16 q);
};

struct virtio_transport_ops {
	/* Interrupt the driver for queue q, or for a config change. */
	void (*notify_queue)(struct virtio_dev *vdev, u16 q);
	void (*notify_config)(struct virtio_dev *vdev);
	/* An eventfd that interrupts for queue q (vhost's call fd). */
	int (*queue_irqfd)(struct virtio_dev *vdev, u16 q);
	/*
	 * Bind efd to the guest's notify write for queue q (KVM ioeventfd),
	 * or unbind it (efd -1).
	 */
	int (*bind_kick)(struct virtio_dev *vdev, u16 q, int efd, bool on);
};

struct virtio_queue {
	u16 max_size;
	u16 size;		/* as the driver set it */
	bool enabled;		/* queue_enable written 1 */
	u16 vector;		/* MSI-X vector (PCI) */
	u64 desc, driver, device;	/* ring addresses */
	int kick_efd;		/* signalled by KVM on the driver's notify */
	bool kick_polled;	/* kick_efd is on the main loop */
	struct virtqueue vq;
};

struct virtio_dev {
	const char *name;
	u32 device_id;
	u64 host_features;	/* offered */
	u64 guest_features;	/* accepted by the driver */
	u32 features_sel, guest_features_sel;
	u8 status;
	u8 config_generation;
	u16 config_vector;
	u32 isr;		/* INTx / MMIO interrupt status */
	u16 nr_queues;
	u16 queue_sel;
	struct virtio_queue queues[VIRTIO_MAX_QUEUES];
	const struct virtio_dev_ops *ops;
	const struct virtio_transport_ops *tops;
	void *transport;
	struct vm *vm;
	struct loop *loop;
	pthread_mutex_t lock;	/* taken by every entry point below */
	void *priv;		/* the device model */
};

int virtio_dev_init(struct virtio_dev *vdev, const char *name, u32 device_id,
		    u64 features, u16 nr_queues, u16 queue_size,
		    const struct virtio_dev_ops *ops, struct vm *vm,
		    struct loop *loop);
void virtio_dev_exit(struct virtio_dev *vdev);

/* Register accesses common to both transports; vdev->lock held. */
u32 virtio_read_features(struct virtio_dev *vdev);
void virtio_write_features(struct virtio_dev *vdev, u32 value);
void virtio_write_status(struct virtio_dev *vdev, u8 status);
/* Set the ring of the selected queue and enable it; false if refused. */
bool virtio_queue_enable(struct virtio_dev *vdev, u16 q);
void virtio_reset(struct virtio_dev *vdev);

static inline bool virtio_has_feature(const struct virtio_dev *vdev, int bit)
{
	return vdev->guest_features & (1ULL << bit);
}

/*
 * Interrupt the driver for queue q if the ring says it wants one. For
 * device models on the data path.
 */
void virtio_queue_notify(struct virtio_dev *vdev, u16 q);
/* A hostile ring broke queue q: NEEDS_RESET and a config interrupt. */
void virtio_queue_broken(struct virtio_dev *vdev, u16 q);
/* The device's config space changed: new generation, interrupt the driver. */
void virtio_config_changed(struct virtio_dev *vdev);

/* Kick eventfds: poll them on the main loop (user-space path) or not. */
void virtio_poll_kick(struct virtio_dev *vdev, u16 q, bool on);
/*
 * The transport saw the driver's notify write for queue q: no ioeventfd
 * took it (an access of another width, or KVM refused the binding).
 */
void virtio_notify_write(struct virtio_dev *vdev, u16 q);

#endif
