/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_CLI_CONTROL_PATH_H
#define KNIT_CLI_CONTROL_PATH_H

#include <stddef.h>

/*
 * Where control sockets live: $XDG_RUNTIME_DIR/knit for a user, /run/knit
 * for root, /tmp/knit-UID for a user without XDG_RUNTIME_DIR. A VM's
 * socket there is NAME.sock.
 */

#define CONTROL_SOCK_SUFFIX ".sock"

/* The directory's path into buf; -ENAMETOOLONG when it does not fit. */
int control_dir(char *buf, size_t len);
/*
 * Create the directory (mode 0700) when it is missing, and check that it
 * is a directory of ours, not a symlink or someone else's. -errno, with
 * one line printed, on failure.
 */
int control_dir_create(const char *dir);
/* dir/NAME.sock into buf; -ENAMETOOLONG when it cannot be a socket path. */
int control_sock_path(const char *dir, const char *name, char *buf,
		      size_t len);
/* A connected stream socket (close-on-exec) to path, or -errno. */
int control_connect(const char *path);

#endif
