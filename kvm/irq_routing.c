// SPDX-License-Identifier: GPL-2.0
/*
 * The VM's GSI routing table. KVM has no call to add or drop one route:
 * KVM_SET_GSI_ROUTING swaps in a whole table, and the first call throws
 * away KVM's built-in default for the irqchip pins. So knit keeps the
 * whole table here, starting with the same pin routes KVM would have,
 * and commits it after every change; a change KVM refuses is undone so
 * that this copy always matches what KVM holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm/irq_routing.h"

#define IOAPIC_PINS	24
#define PIC_PINS	16	/* 0-7 on the master, 8-15 on the slave */

static int routing_commit(struct irq_routing *r)
{
	struct kvm_irq_routing *table;
	size_t size = r->nr * sizeof(r->entries[0]);
	int ret = 0;

	table = calloc(1, sizeof(*table) + size);
	if (!table)
		return -ENOMEM;
	table->nr = r->nr;
	memcpy(table->entries, r->entries, size);
	if (ioctl(r->vm_fd, KVM_SET_GSI_ROUTING, table) < 0)
		ret = -errno;
	free(table);
	return ret;
}

static void add_irqchip(struct irq_routing *r, u32 gsi, u32 chip, u32 pin)
{
	struct kvm_irq_routing_entry *e = &r->entries[r->nr++];

	memset(e, 0, sizeof(*e));
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_IRQCHIP;
	e->u.irqchip.irqchip = chip;
	e->u.irqchip.pin = pin;
}

int irq_routing_init(struct irq_routing *r, int vm_fd)
{
	u32 i;
	int ret;

	memset(r, 0, sizeof(*r));
	r->vm_fd = vm_fd;
	r->nr_pins = IOAPIC_PINS;
	r->next_gsi = IOAPIC_PINS;
	for (i = 0; i < PIC_PINS; i++)
		add_irqchip(r, i, i < 8 ? KVM_IRQCHIP_PIC_MASTER :
				KVM_IRQCHIP_PIC_SLAVE, i % 8);
	for (i = 0; i < IOAPIC_PINS; i++)
		add_irqchip(r, i, KVM_IRQCHIP_IOAPIC, i);
	ret = pthread_mutex_init(&r->lock, NULL);
	if (ret)
		return -ret;
	ret = routing_commit(r);
	if (ret) {
		pr_err("KVM_SET_GSI_ROUTING failed: %s", strerror(-ret));
		pthread_mutex_destroy(&r->lock);
	}
	return ret;
}

void irq_routing_exit(struct irq_routing *r)
{
	pthread_mutex_destroy(&r->lock);
}

static struct kvm_irq_routing_entry *find_msi(struct irq_routing *r, u32 gsi)
{
	u32 i;

	for (i = 0; i < r->nr; i++)
		if (r->entries[i].gsi == gsi &&
		    r->entries[i].type == KVM_IRQ_ROUTING_MSI)
			return &r->entries[i];
	return NULL;
}

static bool gsi_in_use(struct irq_routing *r, u32 gsi)
{
	u32 i;

	for (i = 0; i < r->nr; i++)
		if (r->entries[i].gsi == gsi)
			return true;
	return false;
}

static void msi_fill(struct kvm_irq_routing_entry *e, u32 gsi, u64 addr,
		     u32 data)
{
	memset(e, 0, sizeof(*e));
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_MSI;
	e->u.msi.address_lo = (u32)addr;
	e->u.msi.address_hi = addr >> 32;
	e->u.msi.data = data;
}

/*
 * GSIs below next_gsi (and above the pins) are all taken, so the search
 * starts there; a removed GSI pulls next_gsi back and is handed out again,
 * which keeps GSI numbers small however often vectors come and go.
 */
int irq_routing_add_msi(struct irq_routing *r, u64 addr, u32 data)
{
	u32 gsi;
	int ret;

	pthread_mutex_lock(&r->lock);
	if (r->nr == IRQ_ROUTING_MAX) {
		ret = -ENOSPC;
		goto out;
	}
	for (gsi = r->next_gsi; gsi_in_use(r, gsi); gsi++)
		;
	msi_fill(&r->entries[r->nr++], gsi, addr, data);
	ret = routing_commit(r);
	if (ret) {
		r->nr--;
		goto out;
	}
	r->next_gsi = gsi + 1;
	ret = gsi;
out:
	pthread_mutex_unlock(&r->lock);
	return ret;
}

int irq_routing_set_msi(struct irq_routing *r, u32 gsi, u64 addr, u32 data)
{
	struct kvm_irq_routing_entry *e, old;
	int ret = 0;

	pthread_mutex_lock(&r->lock);
	e = find_msi(r, gsi);
	if (!e) {
		ret = -ENOENT;
		goto out;
	}
	old = *e;
	msi_fill(e, gsi, addr, data);
	/* Unmasking re-states the message; an unchanged one costs nothing. */
	if (!memcmp(&old, e, sizeof(old)))
		goto out;
	ret = routing_commit(r);
	if (ret)
		*e = old;
out:
	pthread_mutex_unlock(&r->lock);
	return ret;
}

void irq_routing_remove(struct irq_routing *r, u32 gsi)
{
	struct kvm_irq_routing_entry *e, old;
	int ret;

	pthread_mutex_lock(&r->lock);
	e = find_msi(r, gsi);
	if (!e)
		goto out;
	/* KVM does not care about the order, so the last entry fills in. */
	old = *e;
	*e = r->entries[--r->nr];
	ret = routing_commit(r);
	if (ret) {
		pr_warn("cannot drop the route of GSI %u: %s", gsi,
			strerror(-ret));
		r->entries[r->nr++] = *e;
		*e = old;
		goto out;
	}
	if (gsi < r->next_gsi)
		r->next_gsi = gsi;
out:
	pthread_mutex_unlock(&r->lock);
}

static int irqfd_ioctl(int vm_fd, int efd, u32 gsi, u32 flags)
{
	struct kvm_irqfd irqfd = { .fd = efd, .gsi = gsi, .flags = flags };

	if (ioctl(vm_fd, KVM_IRQFD, &irqfd) < 0)
		return -errno;
	return 0;
}

int irqfd_assign(int vm_fd, int efd, u32 gsi)
{
	return irqfd_ioctl(vm_fd, efd, gsi, 0);
}

int irqfd_deassign(int vm_fd, int efd, u32 gsi)
{
	return irqfd_ioctl(vm_fd, efd, gsi, KVM_IRQFD_FLAG_DEASSIGN);
}

/*
 * KVM returns how many vCPUs took the message. Neither 0 (the guest
 * masked it) nor "no vCPU matched" (a bare -1 from the kernel, which
 * arrives as EPERM) is knit's failure: the guest chose the address.
 */
int irq_signal_msi(int vm_fd, u64 addr, u32 data)
{
	struct kvm_msi msi = {
		.address_lo = (u32)addr,
		.address_hi = addr >> 32,
		.data = data,
	};
	int ret;

	ret = ioctl(vm_fd, KVM_SIGNAL_MSI, &msi);
	if (ret < 0 && errno != EPERM)
		return -errno;
	return 0;
}
