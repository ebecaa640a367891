// SPDX-License-Identifier: GPL-2.0
/*
 * The modern virtio-pci transport as a driver finds it: IDs and class in
 * config space, the vendor capabilities pointing into the BAR, and the
 * common configuration there. A virtio-net device on a fake back end
 * stands behind it; the VM fd is real (MSI-X routes, ioeventfds).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/virtio_net.h>

#include "hw/virtio/net.h"
#include "kvm/irq_routing.h"
#include "kvm/loop.h"
#include "kvm/vm.h"
#include "net/netdev.h"
#include "../../kvm/vm_fd.h"

#define CFG(dev, off)	(0x80000000u | ((dev) << 11) | (off))

struct fx {
	struct test_vm tvm;
	struct vm vm;
	struct loop loop;
	struct bus pio, mmio;
	struct irq_routing routing;
	struct pci_bus pci;
	u8 *ram;
	struct netdev_cfg ncfg;
	struct netdev nd;
	struct virtio_net *n;
	u64 bar;		/* where the virtio BAR decodes */
	u32 common, isr, device, notify, mult;
};

static ssize_t sink(struct net_port *port, const struct iovec *iov, int cnt)
{
	return 1;
}

static const struct net_port_ops sink_ops = { .receive = sink };

static u32 cfg_read(struct fx *f, u8 slot, u32 off, u32 len)
{
	u32 addr = CFG(slot, off & ~3u), v = 0;

	assert_true(bus_access(&f->pio, 0xcf8, &addr, 4, true));
	assert_true(bus_access(&f->pio, 0xcfc + (off & 3), &v, len, false));
	return v;
}

static void cfg_write(struct fx *f, u8 slot, u32 off, u32 v, u32 len)
{
	u32 addr = CFG(slot, off & ~3u);

	assert_true(bus_access(&f->pio, 0xcf8, &addr, 4, true));
	assert_true(bus_access(&f->pio, 0xcfc + (off & 3), &v, len, true));
}

static u32 bar_read(struct fx *f, u64 off, u32 len)
{
	u64 v = 0;

	assert_true(bus_access(&f->mmio, f->bar + off, &v, len, false));
	return v;
}

static void bar_write(struct fx *f, u64 off, u32 v, u32 len)
{
	assert_true(bus_access(&f->mmio, f->bar + off, &v, len, true));
}

/* Walk the capability list for the virtio structures, as Linux does. */
static void find_caps(struct fx *f, u8 slot)
{
	u8 at = cfg_read(f, slot, 0x34, 1);
	int guard = 0;

	while (at && guard++ < 48) {
		u8 id = cfg_read(f, slot, at, 1);

		if (id == 0x09) {
			u8 type = cfg_read(f, slot, at + 3, 1);
			u8 bar = cfg_read(f, slot, at + 4, 1);
			u32 off = cfg_read(f, slot, at + 8, 4);

			assert_int_equal(bar, 4);
			switch (type) {
			case 1: f->common = off; break;
			case 2:
				f->notify = off;
				f->mult = cfg_read(f, slot, at + 16, 4);
				break;
			case 3: f->isr = off; break;
			case 4: f->device = off; break;
			}
		}
		at = cfg_read(f, slot, at + 1, 1);
	}
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct nic_slot slot = { .transport = NIC_TRANSPORT_PCI };
	static const u8 mac[6] = { 0x52, 0x54, 0x00, 1, 2, 3 };
	u32 lo, hi;

	assert_non_null(f);
	test_vm_open(&f->tvm);
	f->vm.fd = f->tvm.vm;
	f->ram = calloc(1, 0x100000);
	assert_non_null(f->ram);
	assert_int_equal(guest_mem_add(&f->vm.mem, 0, f->ram, 0x100000), 0);
	assert_int_equal(loop_init(&f->loop), 0);
	bus_init(&f->pio, "pio");
	bus_init(&f->mmio, "mmio");
	assert_int_equal(irq_routing_init(&f->routing, f->vm.fd), 0);
	assert_int_equal(pci_bus_init(&f->pci, &f->pio, &f->mmio, 0xe0000000,
				      0xc0000000, 0x10000000, 0xc000, 0x4000), 0);
	f->ncfg.type = (enum netdev_type)-1;
	f->ncfg.vhost = OPT_OFF;
	f->ncfg.fd = -1;
	f->nd.cfg = &f->ncfg;
	f->nd.nr_queues = 2;
	f->nd.ports[0] = (struct net_port){ .ops = &sink_ops, .vnet_hdr = true };
	f->nd.ports[1] = (struct net_port){ .ops = &sink_ops, .vnet_hdr = true };
	slot.pci = &f->pci;
	slot.routing = &f->routing;
	assert_int_equal(virtio_net_create(&f->n, 0, mac, &f->nd, OPT_OFF,
					   &slot, &f->vm, &f->loop), 0);
	/* Slot 1 (the host bridge is 0); decode memory, find the BAR. */
	cfg_write(f, 1, 0x04, 0x6, 2);
	lo = cfg_read(f, 1, 0x20, 4);
	hi = cfg_read(f, 1, 0x24, 4);
	f->bar = ((u64)hi << 32) | (lo & ~0xfu);
	find_caps(f, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	virtio_net_destroy(f->n);
	pci_bus_exit(&f->pci);
	irq_routing_exit(&f->routing);
	bus_exit(&f->pio);
	bus_exit(&f->mmio);
	loop_exit(&f->loop);
	close(f->tvm.vm);
	close(f->tvm.kvm);
	free(f->ram);
	free(f);
	return 0;
}

static void test_ids_and_class(void **state)
{
	struct fx *f = *state;

	assert_int_equal(cfg_read(f, 1, 0x00, 2), 0x1af4);
	assert_int_equal(cfg_read(f, 1, 0x02, 2), 0x1041);	/* modern net */
	assert_int_equal(cfg_read(f, 1, 0x08, 4) >> 8, 0x020000);
	assert_int_equal(cfg_read(f, 1, 0x08, 1), 1);		/* revision */
	assert_int_equal(cfg_read(f, 1, 0x2c, 2), 0x1af4);
	assert_true(cfg_read(f, 1, 0x2e, 2) >= 0x40);
	assert_true(cfg_read(f, 1, 0x06, 2) & 0x10);		/* has caps */
	assert_int_equal(cfg_read(f, 1, 0x20, 4) & 0x6, 0x4);	/* 64-bit */
}

static void test_caps_point_into_the_bar(void **state)
{
	struct fx *f = *state;

	assert_true(f->bar >= 0xc0000000 && f->bar < 0xd0000000);
	assert_int_not_equal(f->device, 0);
	assert_int_not_equal(f->isr, 0);
	assert_int_not_equal(f->notify, 0);
	assert_int_equal(f->mult, 4);
	/* The device configuration starts with the MAC. */
	assert_int_equal(bar_read(f, f->device, 1), 0x52);
	assert_int_equal(bar_read(f, f->device + 5, 1), 3);
}

static void test_common_config(void **state)
{
	struct fx *f = *state;
	u32 c = f->common;

	/* 2 queue pairs + control queue; MQ offered with two pairs. */
	assert_int_equal(bar_read(f, c + 0x12, 2), 5);
	bar_write(f, c + 0x00, 0, 4);
	assert_true(bar_read(f, c + 0x04, 4) & (1u << VIRTIO_NET_F_MQ));
	bar_write(f, c + 0x00, 1, 4);
	assert_int_equal(bar_read(f, c + 0x04, 4), 1);		/* VERSION_1 */
	bar_write(f, c + 0x00, 2, 4);
	assert_int_equal(bar_read(f, c + 0x04, 4), 0);

	/* Queue 3: its size, notify offset, ring addresses in two halves. */
	bar_write(f, c + 0x16, 3, 2);
	assert_int_equal(bar_read(f, c + 0x18, 2), 256);
	assert_int_equal(bar_read(f, c + 0x1e, 2), 3);
	bar_write(f, c + 0x18, 64, 2);
	assert_int_equal(bar_read(f, c + 0x18, 2), 64);
	bar_write(f, c + 0x18, 512, 2);			/* over the max */
	assert_int_equal(bar_read(f, c + 0x18, 2), 64);
	bar_write(f, c + 0x20, 0x1000, 4);
	bar_write(f, c + 0x24, 0, 4);
	assert_int_equal(bar_read(f, c + 0x20, 4), 0x1000);
	/* An MSI-X vector the function lacks reads back as NO_VECTOR. */
	bar_write(f, c + 0x1a, 1, 2);
	assert_int_equal(bar_read(f, c + 0x1a, 2), 1);
	bar_write(f, c + 0x1a, 200, 2);
	assert_int_equal(bar_read(f, c + 0x1a, 2), 0xffff);
	/* A queue index past the last reads as absent (size 0). */
	bar_write(f, c + 0x16, 9, 2);
	assert_int_equal(bar_read(f, c + 0x18, 2), 0);
}

static void test_status_and_reset(void **state)
{
	struct fx *f = *state;
	u32 c = f->common;

	bar_write(f, c + 0x14, 3, 1);
	/* Without VERSION_1 FEATURES_OK does not stick. */
	bar_write(f, c + 0x14, 3 | 8, 1);
	assert_int_equal(bar_read(f, c + 0x14, 1), 3);
	bar_write(f, c + 0x08, 1, 4);
	bar_write(f, c + 0x0c, 1, 4);			/* VERSION_1 */
	bar_write(f, c + 0x14, 3 | 8, 1);
	assert_int_equal(bar_read(f, c + 0x14, 1), 3 | 8);
	/* Writing 0 resets everything the driver set. */
	bar_write(f, c + 0x14, 0, 1);
	assert_int_equal(bar_read(f, c + 0x14, 1), 0);
	bar_write(f, c + 0x08, 1, 4);
	assert_int_equal(bar_read(f, c + 0x0c, 4), 0);
}

static void test_hostile_bar_accesses(void **state)
{
	struct fx *f = *state;

	/* Past the common config, odd sizes, the notify area: no effect. */
	assert_int_equal(bar_read(f, f->common + 0x3c, 4), 0);
	bar_write(f, f->common + 0x3e, 0xffffffff, 4);
	bar_write(f, f->device + 0xffe, 0xffffffff, 4);
	bar_write(f, f->notify + 4 * 7, 1, 2);
	assert_int_equal(bar_read(f, f->device, 1), 0x52);
	/* Reading the ISR clears it. */
	f->n->vdev->isr = 3;
	assert_int_equal(bar_read(f, f->isr, 1), 3);
	assert_int_equal(bar_read(f, f->isr, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ids_and_class, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caps_point_into_the_bar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_common_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_and_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_bar_accesses, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
