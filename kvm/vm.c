// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "kvm/arch.h"
#include "kvm/irq.h"
#include "kvm/vm.h"

static void vm_stop_cb(struct stop_ctl *ctl, enum stop_reason why, int code)
{
	vm_request_stop(container_of(ctl, struct vm, stop), why, code);
}

int vm_create(struct vm *vm, const struct knit_config *cfg,
	      const struct kvm_host *host)
{
	int ret;

	memset(vm, 0, sizeof(*vm));
	vm->cfg = cfg;
	vm->host = host;
	vm->fd = -1;
	vm->stop.request = vm_stop_cb;
	pthread_mutex_init(&vm->stop_lock, NULL);
	pthread_mutex_init(&vm->pause_lock, NULL);
	pthread_cond_init(&vm->pause_cond, NULL);
	pthread_cond_init(&vm->parked_cond, NULL);
	bus_init(&vm->pio, "pio");
	bus_init(&vm->mmio, "mmio");

	vm->stop_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vm->stop_efd < 0) {
		ret = -errno;
		goto fail;
	}
	do {
		vm->fd = ioctl(host->fd, KVM_CREATE_VM, 0);
	} while (vm->fd < 0 && errno == EINTR);
	if (vm->fd < 0) {
		ret = -errno;
		pr_err("KVM_CREATE_VM failed: %s", strerror(errno));
		goto fail;
	}
	ret = guest_mem_map(&vm->mem, cfg->mem_size, arch_ram_hole_start());
	if (ret) {
		pr_err("cannot map %llu MiB of guest RAM: %s",
		       (unsigned long long)(cfg->mem_size >> 20), strerror(-ret));
		goto fail;
	}
	ret = vm_map_memory(vm);
	if (ret)
		goto fail;
	return 0;
fail:
	vm_destroy(vm);
	return ret;
}

int vm_map_memory(struct vm *vm)
{
	int i;

	for (i = 0; i < vm->mem.nr; i++) {
		struct guest_region *r = &vm->mem.regions[i];
		struct kvm_userspace_memory_region slot = {
			.slot = i,
			.guest_phys_addr = r->gpa,
			.memory_size = r->size,
			.userspace_addr = (u64)(unsigned long)r->host,
		};

		if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0) {
			pr_err("KVM_SET_USER_MEMORY_REGION failed: %s",
			       strerror(errno));
			return -errno;
		}
	}
	return 0;
}

void vm_destroy(struct vm *vm)
{
	if (vm->vcpus)
		vcpus_destroy(vm);
	if (vm->arch)
		arch_machine_destroy(vm);
	if (vm->fd >= 0)
		close(vm->fd);
	vm->fd = -1;
	guest_mem_unmap(&vm->mem);
	bus_exit(&vm->pio);
	bus_exit(&vm->mmio);
	if (vm->stop_efd >= 0)
		close(vm->stop_efd);
	vm->stop_efd = -1;
	pthread_mutex_destroy(&vm->stop_lock);
	pthread_mutex_destroy(&vm->pause_lock);
	pthread_cond_destroy(&vm->pause_cond);
	pthread_cond_destroy(&vm->parked_cond);
}

int vm_irq_line(struct vm *vm, u32 gsi, int level)
{
	struct kvm_irq_level irq = { .irq = gsi, .level = level };

	if (ioctl(vm->fd, KVM_IRQ_LINE, &irq) < 0)
		return -errno;
	return 0;
}

static void vm_irq_line_set(struct irq_line *line, int level)
{
	vm_irq_line(line->ctx, line->gsi, level);
}

void vm_irq_line_init(struct vm *vm, struct irq_line *line, u32 gsi)
{
	line->set = vm_irq_line_set;
	line->gsi = gsi;
	line->ctx = vm;
}

void vm_request_stop(struct vm *vm, enum stop_reason why, int code)
{
	u64 one = 1;
	bool first;

	pthread_mutex_lock(&vm->stop_lock);
	first = vm->stop_reason == STOP_NONE;
	if (first) {
		vm->stop_reason = why;
		vm->stop_code = code;
	}
	pthread_mutex_unlock(&vm->stop_lock);
	if (first && write(vm->stop_efd, &one, sizeof(one)) < 0)
		pr_warn("cannot signal the main loop: %s", strerror(errno));
}

bool vm_stopping(struct vm *vm)
{
	bool stopping;

	pthread_mutex_lock(&vm->stop_lock);
	stopping = vm->stop_reason != STOP_NONE;
	pthread_mutex_unlock(&vm->stop_lock);
	return stopping;
}
