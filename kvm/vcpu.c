// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "kvm/arch.h"
#include "kvm/vm.h"

/* Sent to a vCPU thread to pull it out of KVM_RUN. */
#define SIG_VCPU_KICK SIGUSR1

static void kick_handler(int sig)
{
	(void)sig;
}

int vcpus_create(struct vm *vm)
{
	unsigned int i;
	int ret;

	vm->nr_vcpus = vm->cfg->nr_cpus;
	vm->vcpus = calloc(vm->nr_vcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		return -ENOMEM;
	for (i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i].fd = -1;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vm->vcpus[i];
		void *run;

		vcpu->vm = vm;
		vcpu->id = i;
		vcpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, i);
		if (vcpu->fd < 0) {
			ret = -errno;
			pr_err("KVM_CREATE_VCPU %u failed: %s", i, strerror(errno));
			return ret;
		}
		run = mmap(NULL, vm->host->vcpu_mmap_size,
			   PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd, 0);
		if (run == MAP_FAILED) {
			ret = -errno;
			pr_err("mmap of vCPU %u state failed: %s", i,
			       strerror(errno));
			return ret;
		}
		vcpu->run = run;
		ret = arch_vcpu_init(vcpu);
		if (ret)
			return ret;
	}
	return 0;
}

static void vcpu_io(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	u8 *data = (u8 *)run + run->io.data_offset;
	bool write = run->io.direction == KVM_EXIT_IO_OUT;
	u32 i;

	/* String I/O (rep outsb) hands us count items back to back. */
	for (i = 0; i < run->io.count; i++) {
		bus_access(&vcpu->vm->pio, run->io.port, data, run->io.size,
			   write);
		data += run->io.size;
	}
}

static void vcpu_fatal(struct vcpu *vcpu, const char *fmt, ...) __printf(2, 3);

static void vcpu_fatal(struct vcpu *vcpu, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	/* Only the first failing vCPU reports, so the dump is not mixed. */
	if (vm_stopping(vcpu->vm))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("vCPU %u: %s", vcpu->id, msg);
	arch_vcpu_dump(vcpu);
	vm_request_stop(vcpu->vm, STOP_ERROR, 1);
}

/* Returns false when the vCPU must stop running. */
static bool vcpu_handle_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		vcpu_io(vcpu);
		return true;
	case KVM_EXIT_MMIO:
		bus_access(&vcpu->vm->mmio, run->mmio.phys_addr, run->mmio.data,
			   run->mmio.len, run->mmio.is_write);
		return true;
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_HLT:
		/* Only without an in-kernel LAPIC; a halted lone CPU is dead. */
		vcpu_fatal(vcpu, "halted with interrupts off");
		return false;
	case KVM_EXIT_SHUTDOWN:
		vcpu_fatal(vcpu, "guest triple fault (shutdown)");
		return false;
	case KVM_EXIT_FAIL_ENTRY:
		vcpu_fatal(vcpu, "KVM failed to enter the guest (hardware reason 0x%llx)",
			   (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		return false;
	case KVM_EXIT_INTERNAL_ERROR:
		vcpu_fatal(vcpu, "KVM internal error, suberror %u",
			   run->internal.suberror);
		return false;
	case KVM_EXIT_SYSTEM_EVENT:
		switch (run->system_event.type) {
		case KVM_SYSTEM_EVENT_SHUTDOWN:
			vm_request_stop(vcpu->vm, STOP_POWEROFF, 0);
			break;
		case KVM_SYSTEM_EVENT_RESET:
			vm_request_stop(vcpu->vm, STOP_RESET, 0);
			break;
		default:
			vcpu_fatal(vcpu, "guest crashed (system event %u)",
				   run->system_event.type);
		}
		return false;
	default:
		vcpu_fatal(vcpu, "unhandled KVM exit reason %u",
			   run->exit_reason);
		return false;
	}
}

/* Wait, outside KVM_RUN, until the VM is resumed or stops. */
static void vcpu_park(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;

	pthread_mutex_lock(&vm->pause_lock);
	vm->nr_parked++;
	pthread_cond_broadcast(&vm->parked_cond);
	while (vm->paused && !vm_stopping(vm))
		pthread_cond_wait(&vm->pause_cond, &vm->pause_lock);
	vm->nr_parked--;
	/* A stop sets immediate_exit too: leave it for the stop to act on. */
	if (!vm_stopping(vm))
		vcpu->run->immediate_exit = 0;
	pthread_mutex_unlock(&vm->pause_lock);
}

static unsigned int vcpus_started(const struct vm *vm)
{
	unsigned int i, n = 0;

	for (i = 0; i < vm->nr_vcpus; i++)
		n += vm->vcpus[i].started;
	return n;
}

void vm_pause(struct vm *vm)
{
	struct timespec deadline;
	unsigned int i;

	pthread_mutex_lock(&vm->pause_lock);
	if (vm->paused) {
		pthread_mutex_unlock(&vm->pause_lock);
		return;
	}
	__atomic_store_n(&vm->paused, true, __ATOMIC_RELEASE);
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vm->vcpus[i];

		if (!vcpu->started)
			continue;
		vcpu->run->immediate_exit = 1;
		pthread_kill(vcpu->thread, SIG_VCPU_KICK);
	}
	/* A vCPU stuck in a device handler must not hang the caller. */
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 2;
	while (vm->nr_parked < vcpus_started(vm) && !vm_stopping(vm))
		if (pthread_cond_timedwait(&vm->parked_cond, &vm->pause_lock,
					   &deadline))
			break;
	pthread_mutex_unlock(&vm->pause_lock);
}

void vm_resume(struct vm *vm)
{
	pthread_mutex_lock(&vm->pause_lock);
	__atomic_store_n(&vm->paused, false, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&vm->pause_cond);
	pthread_mutex_unlock(&vm->pause_lock);
}

bool vm_paused(struct vm *vm)
{
	bool p;

	pthread_mutex_lock(&vm->pause_lock);
	p = vm->paused;
	pthread_mutex_unlock(&vm->pause_lock);
	return p;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;
	sigset_t set;

	/* Every signal but the kick goes to the main thread. */
	sigfillset(&set);
	sigdelset(&set, SIG_VCPU_KICK);
	pthread_sigmask(SIG_SETMASK, &set, NULL);

	while (!vm_stopping(vcpu->vm)) {
		if (__atomic_load_n(&vcpu->vm->paused, __ATOMIC_ACQUIRE))
			vcpu_park(vcpu);
		if (ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			vcpu_fatal(vcpu, "KVM_RUN failed: %s", strerror(errno));
			break;
		}
		if (!vcpu_handle_exit(vcpu))
			break;
	}
	return NULL;
}

/*
 * 1 MiB is plenty for device emulation, and a stack under 2 MiB cannot
 * hold a transparent huge page: with THP "always" the default 8 MiB
 * stack puts 2 MiB of RSS behind every vCPU thread.
 */
#define VCPU_STACK_SIZE	(1u << 20)

int vcpus_start(struct vm *vm)
{
	struct sigaction sa = { .sa_handler = kick_handler };
	pthread_attr_t attr;
	unsigned int i;
	int ret;

	sigemptyset(&sa.sa_mask);
	sigaction(SIG_VCPU_KICK, &sa, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, VCPU_STACK_SIZE);
	for (i = 0; i < vm->nr_vcpus; i++) {
		ret = pthread_create(&vm->vcpus[i].thread, &attr, vcpu_thread,
				     &vm->vcpus[i]);
		if (ret) {
			pr_err("cannot start vCPU %u thread: %s", i,
			       strerror(ret));
			vm_request_stop(vm, STOP_ERROR, 1);
			pthread_attr_destroy(&attr);
			return -ret;
		}
		vm->vcpus[i].started = true;
	}
	pthread_attr_destroy(&attr);
	return 0;
}

void vcpus_stop(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vm->vcpus[i];

		if (!vcpu->started)
			continue;
		/*
		 * immediate_exit covers the window between the thread's
		 * stop check and its next KVM_RUN; the signal covers a
		 * vCPU already inside it.
		 */
		vcpu->run->immediate_exit = 1;
		pthread_kill(vcpu->thread, SIG_VCPU_KICK);
	}
	/* Parked vCPUs see the stop once woken. */
	pthread_mutex_lock(&vm->pause_lock);
	pthread_cond_broadcast(&vm->pause_cond);
	pthread_mutex_unlock(&vm->pause_lock);
	for (i = 0; i < vm->nr_vcpus; i++) {
		if (!vm->vcpus[i].started)
			continue;
		pthread_join(vm->vcpus[i].thread, NULL);
		vm->vcpus[i].started = false;
	}
}

void vcpus_destroy(struct vm *vm)
{
	unsigned int i;

	vcpus_stop(vm);
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *vcpu = &vm->vcpus[i];

		if (vcpu->run)
			munmap(vcpu->run, vm->host->vcpu_mmap_size);
		if (vcpu->fd >= 0)
			close(vcpu->fd);
	}
	free(vm->vcpus);
	vm->vcpus = NULL;
}
