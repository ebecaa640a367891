// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: knit COMMAND [options]\n"
		   "\n"
		   "A lightweight virtual machine monitor on Linux KVM.\n"
		   "\n"
		   "commands:\n"
		   "  run        boot a kernel in a new VM (knit run --help)\n"
		   "  list       the running VMs: name, pid, running or paused\n"
		   "  stop NAME  stop a VM in order (its knit run exits 0)\n"
		   "  pause NAME, resume NAME\n"
		   "             park the VM's vCPUs, and let them run again\n"
		   "  hostfwd NAME add|remove RULE [--netdev ID]\n"
		   "             add or remove a port forward of a user netdev\n"
		   "  info NAME network|usernet\n"
		   "             the VM's NICs and back ends, or the connections\n"
		   "             of its user netdevs\n"
		   "  set-link NAME NETDEV on|off\n"
		   "             plug or pull the cable between NETDEV and its NIC\n"
		   "             (knit list --help says more)\n"
		   "\n"
		   "  -h, --help     this text\n"
		   "  -v, --version  print the version\n");
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "-v") || !strcmp(cmd, "--version") ||
	    !strcmp(cmd, "version")) {
		printf("knit %s\n", KNIT_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "stop"))
		return cmd_stop(argc - 1, argv + 1);
	if (!strcmp(cmd, "pause"))
		return cmd_pause(argc - 1, argv + 1);
	if (!strcmp(cmd, "resume"))
		return cmd_resume(argc - 1, argv + 1);
	if (!strcmp(cmd, "hostfwd"))
		return cmd_hostfwd(argc - 1, argv + 1);
	if (!strcmp(cmd, "info"))
		return cmd_info(argc - 1, argv + 1);
	if (!strcmp(cmd, "set-link"))
		return cmd_set_link(argc - 1, argv + 1);
	pr_err("unknown command '%s' (see knit --help)", cmd);
	return 2;
}
