// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/control.h"
#include "cli/options.h"
#include "cli/stats.h"
#include "kvm/arch.h"
#include "kvm/console.h"
#include "kvm/loop.h"
#include "kvm/vm.h"
#include "hw/virtio/vhost_net.h"
#include "net/hub.h"
#include "net/netdev.h"

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

/*
 * Network back ends live as long as knit (taps and bridges stay across a
 * guest reboot); NICs come and go with each machine.
 */
static int netdevs_create(const struct knit_config *cfg, struct loop *loop,
			  struct netdev **nds)
{
	unsigned int i;
	int ret;

	for (i = 0; i < cfg->nr_netdevs; i++) {
		const struct netdev_cfg *nc = &cfg->netdevs[i];

		bool vhost = nc->vhost != OPT_OFF && vhost_net_available();

		if (nc->vhost == OPT_ON && !vhost) {
			pr_err("--netdev id=%s: vhost=on, but %s cannot be opened",
			       nc->id, VHOST_NET_DEV);
			return -EINVAL;
		}
		ret = netdev_create(&nds[i], nc, loop);
		if (ret) {
			if (ret != -EINVAL)
				pr_err("--netdev id=%s: cannot create it: %s",
				       cfg->netdevs[i].id, strerror(-ret));
			return ret;
		}
		if (nc->vhost == OPT_AUTO && !vhost)
			pr_warn("--netdev id=%s: no usable %s; moving packets in user space",
				nc->id, VHOST_NET_DEV);
	}
	return 0;
}

/* Open each capture's pcap file and hang it on its netdev's ports. */
static int captures_open(const struct knit_config *cfg, struct netdev **nds,
			 struct capture *caps)
{
	unsigned int i, j, q;
	int ret;

	for (i = 0; i < cfg->nr_captures; i++) {
		const struct capture_cfg *c = &cfg->captures[i];

		ret = capture_open(&caps[i], c->file, c->maxlen);
		if (ret) {
			pr_err("capture of netdev %s: cannot write %s: %s",
			       c->netdev, c->file, strerror(-ret));
			return -EINVAL;
		}
		for (j = 0; j < cfg->nr_netdevs; j++) {
			if (strcmp(cfg->netdevs[j].id, c->netdev))
				continue;
			for (q = 0; q < nds[j]->nr_queues; q++)
				nds[j]->ports[q].capture = &caps[i];
		}
	}
	return 0;
}

static void captures_close(const struct knit_config *cfg,
			   struct capture *caps)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_captures; i++)
		capture_close(&caps[i]);
}

/* Join each hubport's netdev= back end to it (both exist by now). */
static void hubports_attach(const struct knit_config *cfg,
			    struct netdev **nds)
{
	unsigned int i, j;

	for (i = 0; i < cfg->nr_netdevs; i++) {
		if (!cfg->netdevs[i].hub_netdev)
			continue;
		for (j = 0; j < cfg->nr_netdevs; j++)
			if (!strcmp(cfg->netdevs[j].id,
				    cfg->netdevs[i].hub_netdev))
				hubport_attach(nds[i], nds[j]);
	}
}

static void netdevs_destroy(const struct knit_config *cfg,
			    struct netdev **nds)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_netdevs; i++) {
		if (nds[i])
			netdev_destroy(nds[i]);
		nds[i] = NULL;
	}
}

/* Run one boot of the machine; returns why it stopped. */
static enum stop_reason run_machine(const struct knit_config *cfg,
				    const struct kvm_host *host, void *boot,
				    struct console *con, struct loop *loop,
				    struct netdev **nds, struct control *ctl,
				    struct signal_source *sig, int *code)
{
	struct vm vm;
	enum stop_reason why = STOP_ERROR;
	bool stop_polled = false;

	*code = EXIT_RUNTIME;
	if (vm_create(&vm, cfg, host))
		return STOP_ERROR;
	vm.console = con;
	vm.loop = loop;
	vm.netdevs = nds;
	sig->vm = &vm;
	ctl->vm = &vm;
	if (arch_machine_build(&vm, boot) || vcpus_create(&vm))
		goto out_vm;
	if (loop_add(loop, vm.stop_efd, EPOLLIN, on_stop_event, NULL)) {
		pr_err("cannot set up the event loop");
		goto out_vm;
	}
	stop_polled = true;
	if (vcpus_start(&vm) == 0) {
		while (!vm_stopping(&vm))
			if (loop_run_once(loop, -1) < 0)
				vm_request_stop(&vm, STOP_ERROR, EXIT_RUNTIME);
	}
	vcpus_stop(&vm);
	why = vm.stop_reason;
	*code = vm.stop_code;
	if (cfg->stats)
		stats_print(&vm.mem);
out_vm:
	if (stop_polled)
		loop_del(loop, vm.stop_efd);
	sig->vm = NULL;
	ctl->vm = NULL;
	console_attach(con, NULL, NULL, NULL);
	vm_destroy(&vm);
	return why;
}

static int exit_status(enum stop_reason why, int code)
{
	switch (why) {
	case STOP_POWEROFF:
	case STOP_RESET:
	case STOP_QUIT:
	case STOP_CONTROL:
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
	struct netdev *nds[KNIT_MAX_NETDEVS] = { NULL };
	static struct capture caps[KNIT_MAX_CAPTURES];
	struct signal_source sig = { .fd = -1 };
	struct control ctl = { .fd = -1 };
	static struct knit_config cfg;
	struct loop loop = { .epfd = -1 };
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
	if (sig.fd < 0 || loop_init(&loop) < 0 ||
	    loop_add(&loop, sig.fd, EPOLLIN, signal_readable, &sig)) {
		pr_err("cannot set up signals or the event loop: %s",
		       strerror(errno));
		ret = EXIT_RUNTIME;
		goto out_boot;
	}
	/* Before anything changes on the host: a name in use is a usage error. */
	ret = control_open(&ctl, &cfg, nds, &loop);
	if (ret) {
		ret = ret == -EADDRINUSE || ret == -ENAMETOOLONG ?
			EXIT_USAGE : EXIT_RUNTIME;
		goto out_boot;
	}
	ret = netdevs_create(&cfg, &loop, nds);
	if (!ret)
		hubports_attach(&cfg, nds);
	if (!ret)
		ret = captures_open(&cfg, nds, caps);
	if (ret) {
		ret = ret == -EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
		goto out_net;
	}
	if (console_open(&con, STDIN_FILENO, STDOUT_FILENO) ||
	    console_add_to_loop(&con, &loop)) {
		pr_err("cannot set up the console: %s", strerror(errno));
		ret = EXIT_RUNTIME;
		goto out_net;
	}
	do {
		why = run_machine(&cfg, &host, boot, &con, &loop, nds, &ctl,
				  &sig, &code);
	} while (why == STOP_RESET && cfg.reboot && !sig.signo &&
		 !ctl.stop_requested);
	console_close(&con);
	ret = sig.signo ? 128 + sig.signo : exit_status(why, code);
out_net:
	netdevs_destroy(&cfg, nds);
	captures_close(&cfg, caps);
	/* Last, so that `knit stop` returns once the host is cleaned up. */
	control_close(&ctl);
out_boot:
	if (loop.epfd >= 0)
		loop_exit(&loop);
	if (sig.fd >= 0)
		close(sig.fd);
	arch_boot_free(boot);
out_host:
	kvm_host_close(&host);
	return ret;
}
