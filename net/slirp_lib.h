/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_SLIRP_LIB_H
#define KNIT_NET_SLIRP_LIB_H

#include <slirp/libslirp.h>

/*
 * libslirp's functions, from the library loaded when the first
 * user-mode netdev is made (slirp_lib_load). Linked in, libslirp and the
 * glib it needs cost every VM 1.5 MiB of resident memory, used or not.
 */
struct slirp_lib {
	__typeof__(slirp_new) *new;
	__typeof__(slirp_cleanup) *cleanup;
	__typeof__(slirp_input) *input;
	__typeof__(slirp_pollfds_fill) *pollfds_fill;
	__typeof__(slirp_pollfds_poll) *pollfds_poll;
	__typeof__(slirp_handle_timer) *handle_timer;
	__typeof__(slirp_socket_can_recv) *socket_can_recv;
	__typeof__(slirp_socket_recv) *socket_recv;
	__typeof__(slirp_add_hostfwd) *add_hostfwd;
	__typeof__(slirp_remove_hostfwd) *remove_hostfwd;
	__typeof__(slirp_connection_info) *connection_info;
	__typeof__(slirp_add_exec) *add_exec;
	__typeof__(slirp_add_guestfwd) *add_guestfwd;
};

extern struct slirp_lib slirp_lib;

/*
 * Load libslirp once. 0 when its functions are in slirp_lib; else
 * -ENOENT, with what went wrong in why (size bytes).
 */
int slirp_lib_load(char *why, size_t size);

#endif
