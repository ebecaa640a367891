// SPDX-License-Identifier: GPL-2.0
/*
 * MSI-X against the host's /dev/kvm: routes and irqfds are KVM's. Each
 * message is a fixed interrupt to APIC id 0 whose data is the vector, so
 * a delivery shows in vCPU 0's IRR; an eventfd that KVM's irqfd has
 * consumed reads empty.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hw/msix.h"
#include "hw/pci.h"
#include "kvm/irq_routing.h"
#include "tests/unit/kvm/vm_fd.h"

#define NR 4
#define BAR_SIZE 0x4000
#define TABLE 0x2000
#define PBA 0x3000
#define BAR_ADDR 0xc0004000ULL
#define DEVFN (1 << 3)

#define CTRL_ENABLE 0x8000
#define CTRL_FMASK 0x4000

struct mdev {
	struct pci_dev pci;
	struct msix msix;
};

struct fixture {
	struct test_vm vm;
	struct irq_routing r;
	struct bus pio, mmio;
	struct pci_bus bus;
	struct mdev dev;
};

static void mbar_read(void *opaque, u64 off, void *data, u32 len)
{
	struct mdev *d = opaque;

	if (!msix_bar_read(&d->msix, off, data, len))
		memset(data, 0, len);
}

static void mbar_write(void *opaque, u64 off, const void *data, u32 len)
{
	struct mdev *d = opaque;

	msix_bar_write(&d->msix, off, data, len);
}

static const struct bus_ops mbar_ops = {mbar_read, mbar_write};

static void mcfg_write(struct pci_dev *dev, u32 off, const void *data, u32 len)
{
	struct mdev *d = container_of(dev, struct mdev, pci);

	msix_config_write(&d->msix, off, data, len);
}

static const struct pci_dev_ops mdev_ops = {.config_write = mcfg_write};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));
	struct pci_dev *p = &f->dev.pci;
	u32 v;

	f->vm.kvm = f->vm.vm = f->vm.vcpu = -1;
	*state = f;
	test_vm_open(&f->vm);
	test_vm_add_vcpu(&f->vm);
	assert_int_equal(irq_routing_init(&f->r, f->vm.vm), 0);
	bus_init(&f->pio, "pio");
	bus_init(&f->mmio, "mmio");
	assert_int_equal(pci_bus_init(&f->bus, &f->pio, &f->mmio, 0xe0000000,
				      0xc0000000, 0x10000000, 0xc000, 0x4000),
			 0);
	pci_dev_init(p, 0x1af4, 0x1041, 0x020000, 1, 0x1af4, 1);
	p->ops = &mdev_ops;
	assert_int_equal(pci_dev_add_bar(p, 0, BAR_SIZE, PCI_BAR_MEM64,
					 &mbar_ops, &f->dev),
			 0);
	assert_int_equal(msix_init(&f->dev.msix, p, &f->r, NR, 0, TABLE, PBA),
			 0);
	assert_int_equal(pci_bus_add(&f->bus, p, NULL), 1);
	/* Map the BAR where the tests expect it. */
	v = BAR_ADDR;
	pci_config_write(&f->bus, DEVFN, 0x10, &v, 4);
	v = PCI_CMD_MEM | PCI_CMD_MASTER;
	pci_config_write(&f->bus, DEVFN, 0x04, &v, 2);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->dev.msix.nr)
		msix_exit(&f->dev.msix);
	if (f->bus.pio)
		pci_bus_exit(&f->bus);
	bus_exit(&f->pio);
	bus_exit(&f->mmio);
	if (f->r.vm_fd > 0)
		irq_routing_exit(&f->r);
	test_vm_close(&f->vm);
	test_free(f);
	return 0;
}

static u32 rd32(struct fixture *f, u32 off)
{
	u32 v = 0;

	assert_true(bus_access(&f->mmio, BAR_ADDR + off, &v, 4, false));
	return v;
}

static void wr32(struct fixture *f, u32 off, u32 v)
{
	assert_true(bus_access(&f->mmio, BAR_ADDR + off, &v, 4, true));
}

static u32 entry(u16 v, u32 field)
{
	return TABLE + v * MSIX_ENTRY_SIZE + field;
}

/* Message Control through config space, as the guest writes it. */
static void set_ctrl(struct fixture *f, u16 ctrl)
{
	u32 off = f->dev.msix.cap + 2;
	u16 cur;

	pci_config_read(&f->bus, DEVFN, off, &cur, 2);
	cur = (cur & 0x07ff) | ctrl;
	pci_config_write(&f->bus, DEVFN, off, &cur, 2);
}

/* Message: fixed, physical, to APIC id 0; data is the vector. */
static void program(struct fixture *f, u16 v, u32 data)
{
	wr32(f, entry(v, 0), 0xfee00000);
	wr32(f, entry(v, 4), 0);
	wr32(f, entry(v, 8), data);
}

static bool pending(struct fixture *f, u16 v)
{
	return rd32(f, PBA) >> v & 1;
}

static const struct kvm_irq_routing_entry *route_of(struct fixture *f, u16 v)
{
	u32 i;

	for (i = 0; i < f->r.nr; i++)
		if (f->r.entries[i].gsi == (u32)f->dev.msix.vec[v].gsi)
			return &f->r.entries[i];
	return NULL;
}

static void test_capability(void **state)
{
	struct fixture *f = *state;
	int cap = f->dev.msix.cap;
	u32 v;

	assert_int_equal(f->dev.pci.config[0x34], cap);
	pci_config_read(&f->bus, DEVFN, cap, &v, 4);
	assert_int_equal(v & 0xff, 0x11);
	assert_int_equal(v >> 8 & 0xff, 0); /* last in chain */
	assert_int_equal(v >> 16, NR - 1);  /* disabled, size */
	pci_config_read(&f->bus, DEVFN, cap + 4, &v, 4);
	assert_int_equal(v, TABLE | 0);
	pci_config_read(&f->bus, DEVFN, cap + 8, &v, 4);
	assert_int_equal(v, PBA | 0);
	/* Only enable and function mask are writable. */
	v = 0xffffffff;
	pci_config_write(&f->bus, DEVFN, cap, &v, 4);
	pci_config_read(&f->bus, DEVFN, cap, &v, 4);
	assert_int_equal(v, (u32)(CTRL_ENABLE | CTRL_FMASK | (NR - 1)) << 16 |
				    0x11);
	assert_false(msix_enabled(&f->dev.msix)); /* function masked */
	set_ctrl(f, CTRL_ENABLE);
	assert_true(msix_enabled(&f->dev.msix));
	/* One route per vector, from GSI 24 up. */
	assert_int_equal(f->dev.msix.vec[0].gsi, 24);
	assert_int_equal(f->dev.msix.vec[NR - 1].gsi, 24 + NR - 1);
}

static void test_table_entries(void **state)
{
	struct fixture *f = *state;
	u64 q = 0;
	u16 w = 0;
	u16 v;

	for (v = 0; v < NR; v++)
		assert_int_equal(rd32(f, entry(v, 12)), 1); /* masked */
	wr32(f, entry(2, 0), 0xfee0100f);
	wr32(f, entry(2, 4), 0x12);
	wr32(f, entry(2, 8), 0x4041);
	wr32(f, entry(2, 12), 0xfffffffe); /* reserved bits, unmask */
	assert_int_equal(rd32(f, entry(2, 0)), 0xfee0100c);
	assert_int_equal(rd32(f, entry(2, 4)), 0x12);
	assert_int_equal(rd32(f, entry(2, 8)), 0x4041);
	assert_int_equal(rd32(f, entry(2, 12)), 0);
	/* Qword accesses cover two fields. */
	q = 0x000000aa00000055ULL;
	assert_true(bus_access(&f->mmio, BAR_ADDR + entry(1, 8), &q, 8, true));
	assert_int_equal(rd32(f, entry(1, 8)), 0x55);
	assert_int_equal(rd32(f, entry(1, 12)), 0); /* 0xaa & mask bit */
	q = 0;
	assert_true(bus_access(&f->mmio, BAR_ADDR + entry(2, 0), &q, 8, false));
	assert_true(q == 0x00000012fee0100cULL);
	/* Words and unaligned dwords are not table accesses. */
	w = 0x1234;
	assert_true(bus_access(&f->mmio, BAR_ADDR + entry(2, 8), &w, 2, true));
	assert_int_equal(rd32(f, entry(2, 8)), 0x4041);
	assert_true(bus_access(&f->mmio, BAR_ADDR + entry(2, 8), &w, 2, false));
	assert_int_equal(w, 0xffff);
	q = 0;
	assert_true(bus_access(&f->mmio, BAR_ADDR + entry(2, 4), &q, 8, false));
	assert_true(q == ~0ULL);
	/* Outside the table and PBA the device answers (0 here). */
	assert_int_equal(rd32(f, TABLE + NR * MSIX_ENTRY_SIZE), 0);
	assert_false(msix_bar_read(&f->dev.msix, 0, &q, 4));
}

static void test_masked_notify_pends(void **state)
{
	struct fixture *f = *state;
	int efd = msix_irqfd(&f->dev.msix, 1);

	program(f, 1, 0x41);
	set_ctrl(f, CTRL_ENABLE);
	msix_notify(&f->dev.msix, 1);
	assert_true(pending(f, 1));
	assert_false(pending(f, 0));
	assert_int_equal(efd_take(efd), 0); /* nothing sent */
	assert_false(irr_has(&f->vm, 0x41));
	/* The PBA is read-only. */
	wr32(f, PBA, 0);
	assert_true(pending(f, 1));
	/* Unmasking delivers it through KVM and clears the bit. */
	wr32(f, entry(1, 12), 0);
	assert_false(pending(f, 1));
	assert_true(test_vm_got(&f->vm, 0x41));
	assert_int_equal(efd_take(efd), 0);
	/* Unmasked: straight out, nothing pends. */
	wr32(f, entry(1, 8), 0x42);
	msix_notify(&f->dev.msix, 1);
	assert_false(pending(f, 1));
	assert_true(test_vm_got(&f->vm, 0x42));
	assert_int_equal(efd_take(efd), 0);
	/* Masked again: pends again. */
	wr32(f, entry(1, 12), 1);
	msix_notify(&f->dev.msix, 1);
	assert_true(pending(f, 1));
	/* No-vector and out-of-range are ignored. */
	msix_notify(&f->dev.msix, 0xffff);
	msix_notify(&f->dev.msix, NR);
	assert_int_equal(rd32(f, PBA), 1 << 1);
}

static void test_function_mask(void **state)
{
	struct fixture *f = *state;
	u16 v;

	for (v = 0; v < NR; v++) {
		program(f, v, 0x50 + v);
		wr32(f, entry(v, 12), 0);
	}
	set_ctrl(f, CTRL_ENABLE | CTRL_FMASK);
	msix_notify(&f->dev.msix, 0);
	msix_notify(&f->dev.msix, 3);
	assert_int_equal(rd32(f, PBA), 0x9);
	assert_false(irr_has(&f->vm, 0x50));
	/* The per-vector bits did not change. */
	assert_int_equal(rd32(f, entry(0, 12)), 0);
	set_ctrl(f, CTRL_ENABLE);
	assert_int_equal(rd32(f, PBA), 0);
	assert_true(test_vm_got(&f->vm, 0x50));
	assert_true(test_vm_got(&f->vm, 0x53));
	assert_false(irr_has(&f->vm, 0x51));
	for (v = 0; v < NR; v++)
		assert_int_equal(efd_take(msix_irqfd(&f->dev.msix, v)), 0);
}

static void test_enable_bit(void **state)
{
	struct fixture *f = *state;

	program(f, 2, 0x62);
	wr32(f, entry(2, 12), 0);
	assert_false(msix_enabled(&f->dev.msix));
	msix_notify(&f->dev.msix, 2);
	assert_true(pending(f, 2));
	assert_false(irr_has(&f->vm, 0x62));
	set_ctrl(f, CTRL_ENABLE);
	assert_true(msix_enabled(&f->dev.msix));
	assert_false(pending(f, 2));
	assert_true(test_vm_got(&f->vm, 0x62));
	/* Disabled again: vectors stop interrupting. */
	set_ctrl(f, 0);
	assert_false(msix_enabled(&f->dev.msix));
	msix_notify(&f->dev.msix, 2);
	assert_true(pending(f, 2));
}

static void test_route_updates(void **state)
{
	struct fixture *f = *state;
	const struct kvm_irq_routing_entry *e;

	/* A masked vector's message reaches KVM when it is unmasked. */
	program(f, 0, 0x70);
	set_ctrl(f, CTRL_ENABLE);
	e = route_of(f, 0);
	assert_non_null(e);
	assert_int_equal(e->type, KVM_IRQ_ROUTING_MSI);
	assert_int_equal(e->u.msi.data, 0);
	wr32(f, entry(0, 12), 0);
	e = route_of(f, 0);
	assert_int_equal(e->u.msi.address_lo, 0xfee00000);
	assert_int_equal(e->u.msi.data, 0x70);
	/* Rewritten while unmasked: the route follows at once. */
	wr32(f, entry(0, 4), 0x1);
	wr32(f, entry(0, 8), 0x71);
	e = route_of(f, 0);
	assert_int_equal(e->u.msi.address_hi, 1);
	assert_int_equal(e->u.msi.data, 0x71);
	wr32(f, entry(0, 4), 0);
	msix_notify(&f->dev.msix, 0);
	assert_true(test_vm_got(&f->vm, 0x71));
	assert_false(irr_has(&f->vm, 0x70));
}

static void test_irqfd_is_stable(void **state)
{
	struct fixture *f = *state;
	int efd = msix_irqfd(&f->dev.msix, 3);
	u64 one = 1;

	assert_true(efd >= 0);
	assert_int_equal(msix_irqfd(&f->dev.msix, NR), -1);
	assert_int_not_equal(msix_irqfd(&f->dev.msix, 2), efd);
	program(f, 3, 0x83);
	/* vhost signals while the vector is masked: the PBA shows it. */
	assert_int_equal(write(efd, &one, 8), 8);
	assert_true(pending(f, 3));
	/* A signal seen only at unmask time is not lost either. */
	set_ctrl(f, CTRL_ENABLE);
	assert_int_equal(write(efd, &one, 8), 8);
	wr32(f, entry(3, 12), 0);
	assert_false(pending(f, 3));
	assert_true(test_vm_got(&f->vm, 0x83));
	assert_int_equal(efd_take(efd), 0);
	assert_int_equal(msix_irqfd(&f->dev.msix, 3), efd);
	/* Unmasked, the kernel takes signals without knit. */
	wr32(f, entry(3, 8), 0x84);
	assert_int_equal(write(efd, &one, 8), 8);
	assert_true(test_vm_got(&f->vm, 0x84));
	assert_int_equal(efd_take(efd), 0);
	wr32(f, entry(3, 12), 1);
	wr32(f, entry(3, 12), 0);
	assert_int_equal(msix_irqfd(&f->dev.msix, 3), efd);
}

static void test_init_checks(void **state)
{
	struct fixture *f = *state;
	struct pci_dev d;
	struct msix m;

	pci_dev_init(&d, 1, 2, 0, 0, 0, 0);
	assert_int_equal(pci_dev_add_bar(&d, 2, 0x1000, 0, &mbar_ops, NULL), 0);
	assert_int_equal(msix_init(&m, &d, &f->r, 0, 2, 0, 0x800), -EINVAL);
	assert_int_equal(
		msix_init(&m, &d, &f->r, MSIX_MAX_VECTORS + 1, 2, 0, 0x800),
		-EINVAL);
	assert_int_equal(msix_init(&m, &d, &f->r, 4, 6, 0, 0x800), -EINVAL);
	assert_int_equal(msix_init(&m, &d, &f->r, 4, 2, 4, 0x800), -EINVAL);
	assert_int_equal(msix_init(&m, &d, &f->r, 4, 2, 0, 0x20), -EINVAL);
	assert_int_equal(msix_init(&m, &d, &f->r, 4, 2, 0xff8, 0x800), -EINVAL);
	assert_int_equal(msix_init(&m, &d, &f->r, 4, 2, 0, 0x800), 0);
	assert_int_equal(d.config[m.cap + 4], 2); /* BIR */
	msix_exit(&m);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_capability),	     T(test_table_entries),
		T(test_masked_notify_pends), T(test_function_mask),
		T(test_enable_bit),	     T(test_route_updates),
		T(test_irqfd_is_stable),     T(test_init_checks),
	};

	return cmocka_run_group_tests_name("hw/msix", tests, NULL, NULL);
}
