// SPDX-License-Identifier: GPL-2.0
/* Where a VM's control socket lives; shared by `knit run` and its clients. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/control_path.h"
#include "knit/util.h"

static int fits(int n, size_t len)
{
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int control_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (geteuid() == 0)
		return fits(snprintf(buf, len, "/run/knit"), len);
	if (xdg && *xdg == '/')
		return fits(snprintf(buf, len, "%s/knit", xdg), len);
	return fits(snprintf(buf, len, "/tmp/knit-%u", (unsigned)geteuid()),
		    len);
}

int control_dir_create(const char *dir)
{
	struct stat st;
	int err;

	if (mkdir(dir, 0700) && errno != EEXIST) {
		err = errno;
		pr_err("cannot create the control socket directory %s: %s",
		       dir, strerror(err));
		return -err;
	}
	if (lstat(dir, &st)) {
		err = errno;
		pr_err("control socket directory %s: %s", dir, strerror(err));
		return -err;
	}
	/* /tmp is shared: a directory another user planted is not ours. */
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
		pr_err("control socket directory %s: not a directory owned by uid %u",
		       dir, (unsigned)geteuid());
		return -EPERM;
	}
	return 0;
}

int control_sock_path(const char *dir, const char *name, char *buf,
		      size_t len)
{
	struct sockaddr_un sun;
	int n;

	n = snprintf(buf, len, "%s/%s%s", dir, name, CONTROL_SOCK_SUFFIX);
	if (n < 0 || (size_t)n >= len || (size_t)n >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	return 0;
}

int control_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}
