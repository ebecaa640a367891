// SPDX-License-Identifier: GPL-2.0
/*
 * Setting up a vhost-net worker (Linux's drivers/vhost/net.c) through its
 * ioctls: owner, features, the guest memory table, the two rings, their
 * kick and call eventfds, then the tap as back end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vhost.h>
#include <linux/virtio_net.h>

#include "hw/virtio/vhost_net.h"
#include "kvm/vm.h"

/* Guest features that change how vhost walks rings or fills headers. */
#define VHOST_FEATURE_MASK ((1ULL << VIRTIO_F_VERSION_1) | \
			    (1ULL << VIRTIO_F_EVENT_IDX) | \
			    (1ULL << VIRTIO_F_INDIRECT_DESC) | \
			    (1ULL << VIRTIO_NET_F_MRG_RXBUF))

bool vhost_net_available(void)
{
	int fd = open(VHOST_NET_DEV, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int set_mem_table(int fd, const struct guest_mem *mem)
{
	struct vhost_memory *table;
	int i, ret;

	table = calloc(1, sizeof(*table) +
			  mem->nr * sizeof(struct vhost_memory_region));
	if (!table)
		return -ENOMEM;
	table->nregions = mem->nr;
	for (i = 0; i < mem->nr; i++) {
		table->regions[i].guest_phys_addr = mem->regions[i].gpa;
		table->regions[i].memory_size = mem->regions[i].size;
		table->regions[i].userspace_addr =
			(u64)(unsigned long)mem->regions[i].host;
	}
	ret = ioctl(fd, VHOST_SET_MEM_TABLE, table) < 0 ? -errno : 0;
	free(table);
	return ret;
}

/* The ring of virtio queue q becomes vhost ring idx. */
static int set_vring(int fd, struct virtio_dev *vdev, u16 q, unsigned int idx)
{
	struct virtio_queue *vq = &vdev->queues[q];
	struct virtqueue *r = &vq->vq;
	const struct guest_mem *mem = &vdev->vm->mem;
	struct vhost_vring_state num = { idx, r->size };
	struct vhost_vring_state base = { idx, r->last_avail };
	struct vhost_vring_addr addr = { .index = idx };
	struct vhost_vring_file kick = { idx, vq->kick_efd };
	struct vhost_vring_file call = { idx, -1 };
	void *desc, *avail, *used;

	/* vq_start checked these ranges; look them up the checked way. */
	desc = guest_ptr(mem, r->desc_gpa, 16ULL * r->size);
	avail = guest_ptr(mem, r->avail_gpa, 6 + 2ULL * r->size);
	used = guest_ptr(mem, r->used_gpa, 6 + 8ULL * r->size);
	if (!r->enabled || !desc || !avail || !used || vq->kick_efd < 0)
		return -EINVAL;
	call.fd = vdev->tops->queue_irqfd(vdev, q);
	if (call.fd < 0)
		return -ENOTSUP;
	addr.desc_user_addr = (u64)(unsigned long)desc;
	addr.avail_user_addr = (u64)(unsigned long)avail;
	addr.used_user_addr = (u64)(unsigned long)used;
	if (ioctl(fd, VHOST_SET_VRING_NUM, &num) < 0 ||
	    ioctl(fd, VHOST_SET_VRING_BASE, &base) < 0 ||
	    ioctl(fd, VHOST_SET_VRING_ADDR, &addr) < 0 ||
	    ioctl(fd, VHOST_SET_VRING_KICK, &kick) < 0 ||
	    ioctl(fd, VHOST_SET_VRING_CALL, &call) < 0)
		return -errno;
	return 0;
}

int vhost_net_start(struct vhost_net *vh, struct virtio_dev *vdev, u16 rxq,
		    u16 txq, int tap_fd)
{
	struct vhost_vring_file backend = { .fd = tap_fd };
	u64 features;
	int ret;

	vh->running = false;
	vh->fd = open(VHOST_NET_DEV, O_RDWR | O_CLOEXEC);
	if (vh->fd < 0)
		return -errno;
	if (ioctl(vh->fd, VHOST_SET_OWNER) < 0 ||
	    ioctl(vh->fd, VHOST_GET_FEATURES, &features) < 0) {
		ret = -errno;
		goto fail;
	}
	/* The tap, not vhost, carries the vnet header (hdr size 12). */
	features &= vdev->guest_features & VHOST_FEATURE_MASK;
	if ((vdev->guest_features & VHOST_FEATURE_MASK) != features) {
		ret = -ENOTSUP;
		goto fail;
	}
	if (ioctl(vh->fd, VHOST_SET_FEATURES, &features) < 0) {
		ret = -errno;
		goto fail;
	}
	ret = set_mem_table(vh->fd, &vdev->vm->mem);
	if (!ret)
		ret = set_vring(vh->fd, vdev, rxq, 0);
	if (!ret)
		ret = set_vring(vh->fd, vdev, txq, 1);
	if (ret)
		goto fail;
	for (backend.index = 0; backend.index < 2; backend.index++) {
		if (ioctl(vh->fd, VHOST_NET_SET_BACKEND, &backend) < 0) {
			ret = -errno;
			goto fail;
		}
	}
	vh->running = true;
	return 0;
fail:
	close(vh->fd);
	vh->fd = -1;
	return ret;
}

void vhost_net_stop(struct vhost_net *vh)
{
	struct vhost_vring_file backend = { .fd = -1 };

	if (!vh->running)
		return;
	for (backend.index = 0; backend.index < 2; backend.index++)
		ioctl(vh->fd, VHOST_NET_SET_BACKEND, &backend);
	close(vh->fd);
	vh->fd = -1;
	vh->running = false;
}
