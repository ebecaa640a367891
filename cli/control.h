/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_CLI_CONTROL_H
#define KNIT_CLI_CONTROL_H

#include <sys/un.h>

#include "cli/control_proto.h"
#include "knit/config.h"

struct loop;
struct netdev;
struct vm;
struct control_client;

#define CONTROL_MAX_CLIENTS	16

/*
 * A VM's control socket: a UNIX stream socket in the control directory
 * (cli/control_path.h), served by the main event loop for as long as
 * knit runs, across machine resets. Clients are non-blocking and served
 * one reply at a time each, so none can hold up the others or the guest.
 */
struct control {
	int fd;				/* the listening socket */
	char name[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct loop *loop;
	const struct knit_config *cfg;
	struct netdev **netdevs;	/* one per cfg->netdevs[] */
	struct vm *vm;			/* the machine running now, or NULL */
	bool stop_requested;		/* "stop" came: no reboot after this */
	struct control_client *clients[CONTROL_MAX_CLIENTS];
};

/*
 * Claim NAME.sock (cfg->name, or "knit-PID") and serve it on loop. A
 * name whose socket answers is taken: one line and -EADDRINUSE; a name
 * too long for a socket path: one line and -ENAMETOOLONG. Other
 * failures print one line and return -errno.
 */
int control_open(struct control *ctl, const struct knit_config *cfg,
		 struct netdev **nds, struct loop *loop);
/* Remove the socket file, then close the socket and every client. */
void control_close(struct control *ctl);

/* The commands a VM answers (cli/control_cmds.c). */
extern const struct ctl_command control_commands[];
extern const size_t control_nr_commands;

#endif
