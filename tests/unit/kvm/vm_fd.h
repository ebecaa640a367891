/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For unit tests that need the kernel's side of the KVM API (routing,
 * irqfd): a VM with an in-kernel irqchip, or a test that fails and says
 * why. They never pass without /dev/kvm.
 */
#ifndef KNIT_TESTS_UNIT_KVM_VM_FD_H
#define KNIT_TESTS_UNIT_KVM_VM_FD_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

struct test_vm {
	int kvm;
	int vm;
	int vcpu; /* -1 until test_vm_add_vcpu */
};

/* Call from a test or fixture: on failure cmocka records the reason. */
static inline void test_vm_open(struct test_vm *t)
{
	t->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (t->kvm < 0)
		fail_msg("cannot open /dev/kvm (%s): this test needs a real "
			 "KVM VM fd",
			 strerror(errno));
	t->vm = ioctl(t->kvm, KVM_CREATE_VM, 0);
	if (t->vm < 0)
		fail_msg("KVM_CREATE_VM failed: %s", strerror(errno));
	if (ioctl(t->vm, KVM_CREATE_IRQCHIP, 0) < 0)
		fail_msg("KVM_CREATE_IRQCHIP failed: %s", strerror(errno));
	t->vcpu = -1;
}

#define LAPIC_SVR 0xf0
#define LAPIC_SVR_ON 0x100
#define LAPIC_IRR 0x200

/*
 * vCPU 0 with its local APIC software-enabled, so that a fixed MSI to
 * APIC id 0 (address 0xfee00000, data = vector) lands in its IRR. The
 * vCPU never runs, so the IRR keeps every vector that arrived.
 */
static inline void test_vm_add_vcpu(struct test_vm *t)
{
	struct kvm_lapic_state lapic;

	t->vcpu = ioctl(t->vm, KVM_CREATE_VCPU, 0);
	if (t->vcpu < 0)
		fail_msg("KVM_CREATE_VCPU failed: %s", strerror(errno));
	if (ioctl(t->vcpu, KVM_GET_LAPIC, &lapic) < 0)
		fail_msg("KVM_GET_LAPIC failed: %s", strerror(errno));
	lapic.regs[LAPIC_SVR + 1] |= LAPIC_SVR_ON >> 8;
	if (ioctl(t->vcpu, KVM_SET_LAPIC, &lapic) < 0)
		fail_msg("KVM_SET_LAPIC failed: %s", strerror(errno));
}

static inline bool irr_has(struct test_vm *t, unsigned int vector)
{
	struct kvm_lapic_state lapic;

	if (ioctl(t->vcpu, KVM_GET_LAPIC, &lapic) < 0)
		fail_msg("KVM_GET_LAPIC failed: %s", strerror(errno));
	return lapic.regs[LAPIC_IRR + vector / 32 * 16 + vector % 32 / 8] >>
		       (vector % 8) &
	       1;
}

/* Was vector delivered? irqfd may inject from a kernel worker: wait. */
static inline bool test_vm_got(struct test_vm *t, unsigned int vector)
{
	struct timespec ms = {0, 1000000};
	int i;

	for (i = 0; i < 200; i++) {
		if (irr_has(t, vector))
			return true;
		nanosleep(&ms, NULL);
	}
	return false;
}

static inline void test_vm_close(struct test_vm *t)
{
	if (t->vcpu >= 0)
		close(t->vcpu);
	if (t->vm >= 0)
		close(t->vm);
	if (t->kvm >= 0)
		close(t->kvm);
	t->vcpu = t->vm = t->kvm = -1;
}

/* What an eventfd holds, draining it: 0 when KVM's irqfd took it. */
static inline unsigned long long efd_take(int fd)
{
	unsigned long long count = 0;

	if (read(fd, &count, sizeof(count)) != sizeof(count))
		return 0;
	return count;
}

#endif
