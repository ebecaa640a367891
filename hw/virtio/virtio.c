// SPDX-License-Identifier: GPL-2.0
/*
 * What every virtio device does the same way whatever its transport:
 * feature negotiation, the status state machine, queue set-up, kicks
 * through eventfds and interrupts through the transport.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "hw/virtio/virtio.h"
#include "kvm/loop.h"
#include "kvm/vm.h"

int virtio_dev_init(struct virtio_dev *vdev, const char *name, u32 device_id,
		    u64 features, u16 nr_queues, u16 queue_size,
		    const struct virtio_dev_ops *ops, struct vm *vm,
		    struct loop *loop)
{
	pthread_mutexattr_t attr;
	u16 i;

	if (nr_queues > VIRTIO_MAX_QUEUES || queue_size > VQ_MAX_SIZE)
		return -EINVAL;
	memset(vdev, 0, sizeof(*vdev));
	vdev->name = name;
	vdev->device_id = device_id;
	vdev->host_features = features | (1ULL << VIRTIO_F_VERSION_1);
	vdev->nr_queues = nr_queues;
	vdev->ops = ops;
	vdev->vm = vm;
	vdev->loop = loop;
	vdev->config_vector = VIRTIO_NO_VECTOR;
	/*
	 * Recursive: a device holding it may call into its peer, which may
	 * call straight back (a backend flushing held frames on wake).
	 */
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&vdev->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	for (i = 0; i < nr_queues; i++) {
		struct virtio_queue *q = &vdev->queues[i];

		q->max_size = queue_size;
		q->size = queue_size;
		q->vector = VIRTIO_NO_VECTOR;
		q->kick_efd = -1;
		vq_reset(&q->vq);
	}
	return 0;
}

void virtio_dev_exit(struct virtio_dev *vdev)
{
	pthread_mutex_lock(&vdev->lock);
	virtio_reset(vdev);
	pthread_mutex_unlock(&vdev->lock);
	pthread_mutex_destroy(&vdev->lock);
}

u32 virtio_read_features(struct virtio_dev *vdev)
{
	if (vdev->features_sel > 1)
		return 0;
	return vdev->host_features >> (32 * vdev->features_sel);
}

void virtio_write_features(struct virtio_dev *vdev, u32 value)
{
	u32 shift = 32 * vdev->guest_features_sel;

	/* Features are frozen once FEATURES_OK is set (virtio 1.2, 3.1.1). */
	if (vdev->guest_features_sel > 1 ||
	    (vdev->status & VIRTIO_STATUS_FEATURES_OK))
		return;
	vdev->guest_features &= ~(0xffffffffULL << shift);
	vdev->guest_features |= (u64)value << shift;
}

/*
 * Every kick eventfd of a device shares this handler: whichever fired,
 * look at all of them (reads are non-blocking) under the device lock.
 */
static void on_kick(void *opaque, u32 events)
{
	struct virtio_dev *vdev = opaque;
	u16 i;

	pthread_mutex_lock(&vdev->lock);
	for (i = 0; i < vdev->nr_queues; i++) {
		struct virtio_queue *q = &vdev->queues[i];
		u64 count;

		if (q->kick_efd < 0 || !q->kick_polled)
			continue;
		if (read(q->kick_efd, &count, sizeof(count)) != sizeof(count))
			continue;
		if ((vdev->status & VIRTIO_STATUS_DRIVER_OK) && vdev->ops->kick)
			vdev->ops->kick(vdev, i);
	}
	pthread_mutex_unlock(&vdev->lock);
}

void virtio_poll_kick(struct virtio_dev *vdev, u16 q, bool on)
{
	struct virtio_queue *vq = &vdev->queues[q];

	if (vq->kick_efd < 0 || vq->kick_polled == on)
		return;
	if (on) {
		if (loop_add(vdev->loop, vq->kick_efd, EPOLLIN, on_kick, vdev))
			return;
	} else {
		loop_del(vdev->loop, vq->kick_efd);
	}
	vq->kick_polled = on;
}

static void kicks_unbind(struct virtio_dev *vdev)
{
	u16 i;

	for (i = 0; i < vdev->nr_queues; i++) {
		struct virtio_queue *q = &vdev->queues[i];

		if (q->kick_efd < 0)
			continue;
		virtio_poll_kick(vdev, i, false);
		vdev->tops->bind_kick(vdev, i, q->kick_efd, false);
		close(q->kick_efd);
		q->kick_efd = -1;
	}
}

/* Every enabled queue gets an ioeventfd, polled until a device says not. */
static int kicks_bind(struct virtio_dev *vdev)
{
	u16 i;
	int ret;

	for (i = 0; i < vdev->nr_queues; i++) {
		struct virtio_queue *q = &vdev->queues[i];

		if (!q->enabled)
			continue;
		q->kick_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (q->kick_efd < 0)
			return -errno;
		ret = vdev->tops->bind_kick(vdev, i, q->kick_efd, true);
		if (ret) {
			close(q->kick_efd);
			q->kick_efd = -1;
			return ret;
		}
		virtio_poll_kick(vdev, i, true);
	}
	return 0;
}

void virtio_notify_write(struct virtio_dev *vdev, u16 qi)
{
	struct virtio_queue *q;
	u64 one = 1;

	if (qi >= vdev->nr_queues || !(vdev->status & VIRTIO_STATUS_DRIVER_OK))
		return;
	q = &vdev->queues[qi];
	if (!q->enabled || q->kick_efd < 0)
		return;
	/* The loop serves it, as if KVM had signalled the eventfd. */
	if (write(q->kick_efd, &one, sizeof(one)) != sizeof(one))
		pr_warn("%s: queue %u: lost a kick", vdev->name, qi);
}

void virtio_reset(struct virtio_dev *vdev)
{
	u16 i;

	if ((vdev->status & VIRTIO_STATUS_DRIVER_OK) && vdev->ops->stop)
		vdev->ops->stop(vdev);
	kicks_unbind(vdev);
	for (i = 0; i < vdev->nr_queues; i++) {
		struct virtio_queue *q = &vdev->queues[i];

		q->size = q->max_size;
		q->enabled = false;
		q->vector = VIRTIO_NO_VECTOR;
		q->desc = q->driver = q->device = 0;
		vq_reset(&q->vq);
	}
	vdev->status = 0;
	vdev->guest_features = 0;
	vdev->features_sel = vdev->guest_features_sel = 0;
	vdev->queue_sel = 0;
	vdev->config_vector = VIRTIO_NO_VECTOR;
	__atomic_store_n(&vdev->isr, 0, __ATOMIC_SEQ_CST);
}

static bool features_acceptable(struct virtio_dev *vdev)
{
	if (vdev->guest_features & ~vdev->host_features)
		return false;
	/* knit offers no legacy interface. */
	return virtio_has_feature(vdev, VIRTIO_F_VERSION_1);
}

static void driver_ok(struct virtio_dev *vdev)
{
	int ret = kicks_bind(vdev);

	if (!ret && vdev->ops->start)
		ret = vdev->ops->start(vdev);
	if (ret) {
		pr_err("%s: cannot start the device: %s", vdev->name,
		       strerror(-ret));
		kicks_unbind(vdev);
		vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
		vdev->tops->notify_config(vdev);
	}
}

void virtio_write_status(struct virtio_dev *vdev, u8 status)
{
	u8 old = vdev->status;

	if (!status) {
		virtio_reset(vdev);
		return;
	}
	if ((status & VIRTIO_STATUS_FEATURES_OK) &&
	    !(old & VIRTIO_STATUS_FEATURES_OK) && !features_acceptable(vdev))
		status &= ~VIRTIO_STATUS_FEATURES_OK;
	/* The driver cannot set NEEDS_RESET, and cannot clear bits but by 0. */
	status = (status & ~VIRTIO_STATUS_NEEDS_RESET) | old;
	vdev->status = status;
	if ((status & VIRTIO_STATUS_DRIVER_OK) &&
	    !(old & VIRTIO_STATUS_DRIVER_OK)) {
		if (status & VIRTIO_STATUS_FEATURES_OK)
			driver_ok(vdev);
		else
			vdev->status &= ~VIRTIO_STATUS_DRIVER_OK;
	}
}

bool virtio_queue_enable(struct virtio_dev *vdev, u16 qi)
{
	struct virtio_queue *q;
	int ret;

	if (qi >= vdev->nr_queues)
		return false;
	q = &vdev->queues[qi];
	ret = vq_start(&q->vq, &vdev->vm->mem, q->size, q->desc, q->driver,
		       q->device, virtio_has_feature(vdev, VIRTIO_F_EVENT_IDX),
		       virtio_has_feature(vdev, VIRTIO_F_INDIRECT_DESC));
	if (ret) {
		pr_warn("%s: queue %u: the driver's ring is not usable",
			vdev->name, qi);
		return false;
	}
	q->enabled = true;
	return true;
}

void virtio_queue_notify(struct virtio_dev *vdev, u16 q)
{
	if (vq_should_notify(&vdev->queues[q].vq))
		vdev->tops->notify_queue(vdev, q);
}

void virtio_config_changed(struct virtio_dev *vdev)
{
	vdev->config_generation++;
	if (vdev->status & VIRTIO_STATUS_DRIVER_OK)
		vdev->tops->notify_config(vdev);
}

void virtio_queue_broken(struct virtio_dev *vdev, u16 q)
{
	if (vdev->status & VIRTIO_STATUS_NEEDS_RESET)
		return;
	pr_warn("%s: queue %u: malformed ring from the guest; device needs reset",
		vdev->name, q);
	vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
	vdev->config_generation++;
	vdev->tops->notify_config(vdev);
}
