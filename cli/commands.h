/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_CLI_COMMANDS_H
#define KNIT_CLI_COMMANDS_H

#include "knit/util.h"

/* Exit statuses shared by every command. */
#define EXIT_RUNTIME 1	/* the VMM or the guest failed */
#define EXIT_USAGE 2	/* bad option, value or input file */

int cmd_run(int argc, char **argv);
/* Clients of a running VM's control socket (cli/control_client.c). */
int cmd_list(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_hostfwd(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_set_link(int argc, char **argv);

#endif
