// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/stats.h"
#include "kvm/arch.h"
#include "kvm/console.h"
#include "kvm/loop.h"
#include "kvm/vm.h"

/* Signals that end knit in order; the main loop reads them from a signalfd. */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void on_stop_event(void *opaque, u32 events)
{
	/* Nothing to read: vm->stop_reason says it all. */
}

static int block_stop_signals(sigset_t *set)
{
	size_t i;

	sigemptyset(set);
	for (i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaddset(set, stop_signals[i]);
	/* A closed console pipe must not kill the VMM mid-teardown. */
	signal(SIGPIPE, SIG_IGN);
	return pthread_sigmask(SIG_BLOCK, set, NULL);
}

struct signal_source {
	int fd;
	struct vm *vm;
	int signo;	/* first stop signal received; it ends knit, always */
};

static void signal_readable(void *opaque, u32 events)
{
	struct signal_source *src = opaque;
	struct signalfd_siginfo si;

	if (read(src->fd, &si, sizeof(si)) != sizeof(si))
		return;
	/*
	 * Remember it apart from the VM's stop reason: a guest reset seen
	 * in the same turn must not swallow it and reboot the machine.
	 */
	if (!src->signo)
		src->signo = si.ssi_signo;
	if (src->vm)
		vm_request_stop(src->vm, STOP_SIGNAL, 128 + si.ssi_signo);
}

/* Run one boot of the machine; returns why it stopped. */
static enum stop_reason run_machine(const struct knit_config *cfg,
				    const struct kvm_host *host, void *boot,
				    struct console *con,
				    struct signal_source *sig, int *code)
{
	struct loop loop;
	struct vm vm;
	enum stop_reason why = STOP_ERROR;

	*code = EXIT_RUNTIME;
	if (loop_init(&loop) < 0) {
		pr_err("cannot create the event loop: %s", strerror(errno));
		return STOP_ERROR;
	}
	if (vm_create(&vm, cfg, host))
		goto out_loop;
	vm.console = con;
	sig->vm = &vm;
	if (arch_machine_build(&vm, boot) || vcpus_create(&vm))
		goto out_vm;
	if (loop_add(&loop, vm.stop_efd, EPOLLIN, on_stop_event, NULL) ||
	    loop_add(&loop, sig->fd, EPOLLIN, signal_readable, sig) ||
	    console_add_to_loop(con, &loop)) {
		pr_err("cannot set up the event loop");
		goto out_vm;
	}
	if (vcpus_start(&vm) == 0) {
		while (!vm_stopping(&vm))
			if (loop_run_once(&loop, -1) < 0)
				vm_request_stop(&vm, STOP_ERROR, EXIT_RUNTIME);
	}
	vcpus_stop(&vm);
	why = vm.stop_reason;
	*code = vm.stop_code;
	if (cfg->stats)
		stats_print(&vm.mem);
out_vm:
	sig->vm = NULL;
	console_attach(con, NULL, NULL, NULL);
	vm_destroy(&vm);
out_loop:
	loop_exit(&loop);
	return why;
}

static int exit_status(enum stop_reason why, int code)
{
	switch (why) {
	case STOP_POWEROFF:
	case STOP_RESET:
	case STOP_QUIT:
		return 0;
	case STOP_DEBUG_EXIT:
	case STOP_SIGNAL:
		return code;
	default:
		return EXIT_RUNTIME;
	}
}

int cmd_run(int argc, char **argv)
{
	struct signal_source sig = { .fd = -1 };
	struct knit_config cfg;
	struct kvm_host host;
	struct console con;
	enum stop_reason why;
	void *boot = NULL;
	sigset_t set;
	int ret, code;

	ret = parse_run_options(argc, argv, &cfg);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;

	ret = kvm_host_open(&host, cfg.kvm_dev);
	if (ret)
		return (ret == -ENOENT || ret == -EACCES || ret == -EPERM) ?
			EXIT_USAGE : EXIT_RUNTIME;
	/* xAPIC ids and the MADT entries knit writes stop at 255. */
	if (host.max_vcpus > 255)
		host.max_vcpus = 255;
	if (cfg.nr_cpus > host.max_vcpus) {
		pr_err("invalid value '%u' for -c/--cpus: this host's KVM allows at most %u",
		       cfg.nr_cpus, host.max_vcpus);
		ret = EXIT_USAGE;
		goto out_host;
	}
	if (host.pvm && !cfg.allow_pvm) {
		pr_err("%s is PVM (KVM without VT-x/SVM): guests run by slow, incomplete emulation and Linux cannot boot; use the nested rig (make demo), or --allow-pvm for tiny test guests",
		       cfg.kvm_dev);
		ret = EXIT_RUNTIME;
		goto out_host;
	}
	if (arch_boot_check(&cfg, &boot)) {
		ret = EXIT_USAGE;
		goto out_host;
	}

	block_stop_signals(&set);
	sig.fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sig.fd < 0 || console_open(&con, STDIN_FILENO, STDOUT_FILENO)) {
		pr_err("cannot set up signals or the console: %s",
		       strerror(errno));
		ret = EXIT_RUNTIME;
		goto out_boot;
	}
	do {
		why = run_machine(&cfg, &host, boot, &con, &sig, &code);
	} while (why == STOP_RESET && cfg.reboot && !sig.signo);
	console_close(&con);
	ret = sig.signo ? 128 + sig.signo : exit_status(why, code);
out_boot:
	if (sig.fd >= 0)
		close(sig.fd);
	arch_boot_free(boot);
out_host:
	kvm_host_close(&host);
	return ret;
}
