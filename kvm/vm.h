/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_KVM_VM_H
#define KNIT_KVM_VM_H

#include <pthread.h>

#include "knit/config.h"
#include "kvm/bus.h"
#include "kvm/kvm.h"
#include "kvm/memory.h"
#include "kvm/stop.h"

struct kvm_run;
struct vm;
struct console;
struct irq_line;
struct loop;
struct netdev;

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	bool started;
};

/*
 * One virtual machine: its KVM handle, RAM, buses and vCPUs. The arch
 * code hangs its own machine state (devices, firmware) off arch.
 */
struct vm {
	const struct knit_config *cfg;
	const struct kvm_host *host;
	int fd;
	struct guest_mem mem;
	struct bus pio;
	struct bus mmio;
	unsigned int nr_vcpus;
	struct vcpu *vcpus;
	void *arch;
	struct console *console;	/* host end of the guest console */
	struct loop *loop;		/* the main thread's event loop */
	struct netdev **netdevs;	/* one per cfg->netdevs[], made by run */

	/* Pause: vCPU threads park on pause_cond while paused is set. */
	pthread_mutex_t pause_lock;
	pthread_cond_t pause_cond;	/* vCPUs wait here */
	pthread_cond_t parked_cond;	/* vm_pause waits for them here */
	bool paused;
	unsigned int nr_parked;

	struct stop_ctl stop;
	pthread_mutex_t stop_lock;
	enum stop_reason stop_reason;
	int stop_code;
	int stop_efd;	/* readable once a stop was requested */
};

int vm_create(struct vm *vm, const struct knit_config *cfg,
	      const struct kvm_host *host);
void vm_destroy(struct vm *vm);
/* Register guest RAM with KVM, one slot per region. */
int vm_map_memory(struct vm *vm);
/* Raise or lower a GSI of the in-kernel irqchip. */
int vm_irq_line(struct vm *vm, u32 gsi, int level);
/* An irq_line wired to a GSI of this VM. */
void vm_irq_line_init(struct vm *vm, struct irq_line *line, u32 gsi);

/* Record why the machine stops and wake everyone; first reason wins. */
void vm_request_stop(struct vm *vm, enum stop_reason why, int code);
bool vm_stopping(struct vm *vm);

int vcpus_create(struct vm *vm);
int vcpus_start(struct vm *vm);
/* Kick every vCPU out of KVM_RUN and join its thread. */
void vcpus_stop(struct vm *vm);
void vcpus_destroy(struct vm *vm);
/*
 * Park every vCPU outside KVM_RUN, and let them run again. vm_pause
 * returns once all have parked (or a stop came). Devices keep running:
 * frames may still land in guest memory, as on a real machine.
 */
void vm_pause(struct vm *vm);
void vm_resume(struct vm *vm);
bool vm_paused(struct vm *vm);

#endif
