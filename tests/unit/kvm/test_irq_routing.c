// SPDX-License-Identifier: GPL-2.0
/* Runs against the host's /dev/kvm: the routing table lives in KVM. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <cmocka.h>

#include "kvm/irq_routing.h"
#include "tests/unit/kvm/vm_fd.h"

struct fixture {
	struct test_vm vm;
	struct irq_routing r;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	f->vm.kvm = f->vm.vm = f->vm.vcpu = -1;
	*state = f;
	test_vm_open(&f->vm);
	assert_int_equal(irq_routing_init(&f->r, f->vm.vm), 0);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	irq_routing_exit(&f->r);
	test_vm_close(&f->vm);
	test_free(f);
	return 0;
}

static const struct kvm_irq_routing_entry *route(struct irq_routing *r, u32 gsi,
						 u32 type, u32 chip)
{
	u32 i;

	for (i = 0; i < r->nr; i++) {
		const struct kvm_irq_routing_entry *e = &r->entries[i];

		if (e->gsi == gsi && e->type == type &&
		    (type != KVM_IRQ_ROUTING_IRQCHIP ||
		     e->u.irqchip.irqchip == chip))
			return e;
	}
	return NULL;
}

static void test_default_routes(void **state)
{
	struct fixture *f = *state;
	struct kvm_irq_level line = {.irq = 4, .level = 1};
	const struct kvm_irq_routing_entry *e;
	u32 gsi;

	assert_int_equal(f->r.nr, 24 + 16);
	assert_int_equal(f->r.nr_pins, 24);
	for (gsi = 0; gsi < 24; gsi++) {
		e = route(&f->r, gsi, KVM_IRQ_ROUTING_IRQCHIP,
			  KVM_IRQCHIP_IOAPIC);
		assert_non_null(e);
		assert_int_equal(e->u.irqchip.pin, gsi);
	}
	for (gsi = 0; gsi < 16; gsi++) {
		e = route(&f->r, gsi, KVM_IRQ_ROUTING_IRQCHIP,
			  gsi < 8 ? KVM_IRQCHIP_PIC_MASTER
				  : KVM_IRQCHIP_PIC_SLAVE);
		assert_non_null(e);
		assert_int_equal(e->u.irqchip.pin, gsi % 8);
	}
	/* The pins still work after KVM's default table was replaced. */
	assert_int_equal(ioctl(f->vm.vm, KVM_IRQ_LINE, &line), 0);
}

static void test_msi_gsis_from_24(void **state)
{
	struct fixture *f = *state;
	const struct kvm_irq_routing_entry *e;

	assert_int_equal(irq_routing_add_msi(&f->r, 0xfee00000, 0x41), 24);
	assert_int_equal(irq_routing_add_msi(&f->r, 0xfee01000, 0x42), 25);
	assert_int_equal(irq_routing_add_msi(&f->r, 0x1fee02000ULL, 0x43), 26);
	e = route(&f->r, 26, KVM_IRQ_ROUTING_MSI, 0);
	assert_non_null(e);
	assert_int_equal(e->u.msi.address_lo, 0xfee02000);
	assert_int_equal(e->u.msi.address_hi, 1);
	assert_int_equal(e->u.msi.data, 0x43);
	/* A freed GSI is handed out again; the others stay. */
	irq_routing_remove(&f->r, 25);
	assert_null(route(&f->r, 25, KVM_IRQ_ROUTING_MSI, 0));
	assert_non_null(route(&f->r, 26, KVM_IRQ_ROUTING_MSI, 0));
	assert_int_equal(irq_routing_add_msi(&f->r, 0xfee00000, 0x44), 25);
	assert_int_equal(irq_routing_add_msi(&f->r, 0xfee00000, 0x45), 27);
	assert_int_equal(f->r.nr, 40 + 4);
	/* Pins are not MSI routes: neither removed nor rewritten. */
	irq_routing_remove(&f->r, 4);
	assert_int_equal(f->r.nr, 40 + 4);
	assert_int_equal(irq_routing_set_msi(&f->r, 4, 0xfee00000, 1), -ENOENT);
}

static void test_set_msi(void **state)
{
	struct fixture *f = *state;
	const struct kvm_irq_routing_entry *e;
	int gsi = irq_routing_add_msi(&f->r, 0, 0);

	assert_true(gsi >= 24);
	assert_int_equal(irq_routing_set_msi(&f->r, gsi, 0xfee0100c, 0x4031),
			 0);
	e = route(&f->r, gsi, KVM_IRQ_ROUTING_MSI, 0);
	assert_int_equal(e->u.msi.address_lo, 0xfee0100c);
	assert_int_equal(e->u.msi.data, 0x4031);
	assert_int_equal(irq_routing_set_msi(&f->r, 999, 0xfee00000, 1),
			 -ENOENT);
}

/* A change KVM refuses leaves the table as KVM has it. */
static void test_refused_commit_rolls_back(void **state)
{
	struct fixture *f = *state;
	const struct kvm_irq_routing_entry *e;
	int gsi = irq_routing_add_msi(&f->r, 0xfee00000, 0x30);
	int vm = f->r.vm_fd;
	u32 nr = f->r.nr;

	f->r.vm_fd = eventfd(0, EFD_CLOEXEC); /* not a VM: KVM says no */
	assert_true(irq_routing_add_msi(&f->r, 0xfee00000, 0x31) < 0);
	assert_int_equal(f->r.nr, nr);
	assert_true(irq_routing_set_msi(&f->r, gsi, 0xfee00000, 0x32) < 0);
	e = route(&f->r, gsi, KVM_IRQ_ROUTING_MSI, 0);
	assert_int_equal(e->u.msi.data, 0x30);
	irq_routing_remove(&f->r, gsi);
	assert_non_null(route(&f->r, gsi, KVM_IRQ_ROUTING_MSI, 0));
	close(f->r.vm_fd);
	f->r.vm_fd = vm;
	/* Unchanged messages do not even reach KVM. */
	assert_int_equal(irq_routing_set_msi(&f->r, gsi, 0xfee00000, 0x30), 0);
}

static void test_table_full(void **state)
{
	struct fixture *f = *state;

	f->r.nr = IRQ_ROUTING_MAX;
	assert_int_equal(irq_routing_add_msi(&f->r, 0xfee00000, 0), -ENOSPC);
	f->r.nr = 40;
}

static void test_irqfd(void **state)
{
	struct fixture *f = *state;
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int gsi = irq_routing_add_msi(&f->r, 0xfee00000, 0x30);
	u64 one = 1;

	assert_true(efd >= 0 && gsi >= 24);
	assert_int_equal(irqfd_assign(f->vm.vm, efd, gsi), 0);
	/* KVM's irqfd consumes the count as it injects. */
	assert_int_equal(write(efd, &one, 8), 8);
	assert_int_equal(efd_take(efd), 0);
	assert_int_equal(irqfd_deassign(f->vm.vm, efd, gsi), 0);
	assert_int_equal(write(efd, &one, 8), 8);
	assert_int_equal(efd_take(efd), 1);
	assert_int_equal(irqfd_assign(-1, efd, gsi), -EBADF);
	close(efd);
}

static void test_signal_msi(void **state)
{
	struct fixture *f = *state;
	int vcpu;

	/* No vCPU takes it: the guest's choice, not an error. */
	assert_int_equal(irq_signal_msi(f->vm.vm, 0xfee00000, 0x30), 0);
	vcpu = ioctl(f->vm.vm, KVM_CREATE_VCPU, 0);
	assert_true(vcpu >= 0);
	assert_int_equal(irq_signal_msi(f->vm.vm, 0xfee00000, 0x30), 0);
	assert_int_equal(irq_signal_msi(-1, 0xfee00000, 0x30), -EBADF);
	close(vcpu);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_default_routes), T(test_msi_gsis_from_24),
		T(test_set_msi),	T(test_refused_commit_rolls_back),
		T(test_table_full),	T(test_irqfd),
		T(test_signal_msi),
	};

	return cmocka_run_group_tests_name("kvm/irq_routing", tests, NULL,
					   NULL);
}
