// SPDX-License-Identifier: GPL-2.0
/*
 * libslirp on demand: dlopen()ed by the first user-mode netdev, so a VM
 * without one never maps it (nor glib and pcre2 behind it).
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include "knit/util.h"
#include "net/slirp_lib.h"

#define SLIRP_SONAME	"libslirp.so.0"

struct slirp_lib slirp_lib;

static void *lib;

static int find(void **fn, const char *name, char *why, size_t size)
{
	*fn = dlsym(lib, name);
	if (*fn)
		return 0;
	snprintf(why, size, "%s has no %s", SLIRP_SONAME, name);
	return -ENOENT;
}

int slirp_lib_load(char *why, size_t size)
{
	struct {
		void **fn;
		const char *name;
	} syms[] = {
		{ (void **)&slirp_lib.new, "slirp_new" },
		{ (void **)&slirp_lib.cleanup, "slirp_cleanup" },
		{ (void **)&slirp_lib.input, "slirp_input" },
		{ (void **)&slirp_lib.pollfds_fill, "slirp_pollfds_fill" },
		{ (void **)&slirp_lib.pollfds_poll, "slirp_pollfds_poll" },
		{ (void **)&slirp_lib.handle_timer, "slirp_handle_timer" },
		{ (void **)&slirp_lib.socket_can_recv, "slirp_socket_can_recv" },
		{ (void **)&slirp_lib.socket_recv, "slirp_socket_recv" },
		{ (void **)&slirp_lib.add_hostfwd, "slirp_add_hostfwd" },
		{ (void **)&slirp_lib.remove_hostfwd, "slirp_remove_hostfwd" },
		{ (void **)&slirp_lib.connection_info, "slirp_connection_info" },
		{ (void **)&slirp_lib.add_exec, "slirp_add_exec" },
		{ (void **)&slirp_lib.add_guestfwd, "slirp_add_guestfwd" },
	};
	unsigned int i;

	if (lib)
		return 0;
	lib = dlopen(SLIRP_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(why, size, "cannot load %s (Debian package libslirp0): %s",
			 SLIRP_SONAME, dlerror());
		return -ENOENT;
	}
	for (i = 0; i < ARRAY_SIZE(syms); i++) {
		if (find(syms[i].fn, syms[i].name, why, size)) {
			dlclose(lib);
			lib = NULL;
			return -ENOENT;
		}
	}
	return 0;
}
