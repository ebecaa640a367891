// SPDX-License-Identifier: GPL-2.0
/*
 * The NICs of a machine, built from --device options: each joined to the
 * netdev it names, placed on PCI or in a virtio-mmio window.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hw/nic.h"
#include "hw/virtio/mmio.h"
#include "kvm/vm.h"
#include "net/netdev.h"

static struct netdev *netdev_by_id(struct vm *vm, const char *id)
{
	unsigned int i;

	for (i = 0; i < vm->cfg->nr_netdevs; i++)
		if (!strcmp(vm->cfg->netdevs[i].id, id))
			return vm->netdevs[i];
	return NULL;
}

static int place(struct nics *nics, const struct nic_cfg *nc,
		 const struct nic_places *p, struct nic_slot *slot)
{
	memset(slot, 0, sizeof(*slot));
	slot->transport = nc->transport;
	if (nc->transport == NIC_TRANSPORT_MMIO) {
		if (nics->nr_mmio >= p->nr_mmio) {
			pr_err("--device virtio-net,netdev=%s,transport=mmio: at most %u NICs can use transport=mmio",
			       nc->netdev, p->nr_mmio);
			return -ENOSPC;
		}
		slot->mmio = p->mmio;
		slot->mmio_base = p->mmio_base +
				  (u64)nics->nr_mmio * VIRTIO_MMIO_SIZE;
		slot->mmio_gsi = p->mmio_gsis[nics->nr_mmio];
		nics->nr_mmio++;
		return 0;
	}
	slot->pci = p->pci;
	slot->routing = p->routing;
	slot->intx = p->intx;
	return 0;
}

/* An emulated NIC: one queue pair, no vhost, always on PCI. */
static int emulated_check(const struct nic_cfg *nc, const struct netdev *nd,
			  const char *model)
{
	if (nd->nr_queues > 1) {
		pr_err("--device %s,netdev=%s: the netdev has queues=%u; %s has one queue (use virtio-net)",
		       model, nc->netdev, nd->nr_queues, model);
		return -EINVAL;
	}
	if (nd->cfg->vhost == OPT_ON)
		pr_warn("--device %s,netdev=%s: vhost=on is for virtio-net; %s moves its frames in knit",
			model, nc->netdev, model);
	return 0;
}

static int create_emulated(struct nics *nics, unsigned int i,
			   const struct nic_cfg *nc, struct netdev *nd,
			   const u8 mac[6], struct vm *vm,
			   const struct nic_places *p)
{
	const char *model = nc->model == NIC_E1000 ? "e1000" : "rtl8139";
	u8 rev = nc->has_rev ? nc->rev : RTL8139_REV_DEFAULT;
	int ret;

	ret = emulated_check(nc, nd, model);
	if (ret)
		return ret;
	if (nc->model == NIC_E1000)
		ret = e1000_create(&nics->e1000[i], i, mac, nd, p->pci,
				   p->intx, &vm->mem, vm->loop);
	else
		ret = rtl8139_create(&nics->rtl8139[i], i, mac, rev, nd,
				     p->pci, p->intx, &vm->mem, vm->loop);
	if (ret)
		pr_err("--device %s,netdev=%s: cannot create the NIC: %s",
		       model, nc->netdev, strerror(-ret));
	return ret;
}

int nics_create(struct nics *nics, struct vm *vm, const struct nic_places *p)
{
	const struct knit_config *cfg = vm->cfg;
	unsigned int i;
	int ret;

	memset(nics, 0, sizeof(*nics));
	for (i = 0; i < cfg->nr_nics; i++) {
		const struct nic_cfg *nc = &cfg->nics[i];
		struct netdev *nd = netdev_by_id(vm, nc->netdev);
		struct nic_slot slot;
		u8 mac[6];

		if (!nd)
			return -ENODEV;	/* the CLI checked; cannot happen */
		if (nc->has_mac)
			memcpy(mac, nc->mac, 6);
		else
			nic_default_mac(cfg->name, i, mac);
		if (nc->model == NIC_E1000 || nc->model == NIC_RTL8139) {
			ret = create_emulated(nics, i, nc, nd, mac, vm, p);
			if (ret)
				return ret;
			nics->nr = i + 1;
			continue;
		}
		ret = place(nics, nc, p, &slot);
		if (!ret)
			ret = virtio_net_create(&nics->dev[i], i, mac, nd,
						nd->cfg->vhost, &slot, vm,
						vm->loop);
		if (ret) {
			pr_err("--device virtio-net,netdev=%s: cannot create the NIC: %s",
			       nc->netdev, strerror(-ret));
			return ret;
		}
		nics->nr = i + 1;
	}
	return 0;
}

void nics_destroy(struct nics *nics)
{
	unsigned int i;

	for (i = 0; i < nics->nr; i++) {
		virtio_net_destroy(nics->dev[i]);
		e1000_destroy(nics->e1000[i]);
		rtl8139_destroy(nics->rtl8139[i]);
	}
	nics->nr = 0;
}
