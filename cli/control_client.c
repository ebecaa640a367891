// SPDX-License-Identifier: GPL-2.0
/*
 * `knit list`, `knit stop`, `knit hostfwd`, `knit info`: clients of a
 * running VM's control socket. Each connects, sends one request line,
 * reads one reply line and prints what it says.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli/commands.h"
#include "cli/control_path.h"

#define REPLY_TIMEOUT_S		10	/* a VM answers at once, or is wedged */
#define LIST_TIMEOUT_S		2	/* a wedged VM must not stall list */
#define STOP_TIMEOUT_S		30	/* teardown: vCPUs, taps, bridges */
#define MAX_REPLY		(64 << 20)

static const char control_usage[] =
	"usage: knit list\n"
	"       knit stop NAME\n"
	"       knit pause NAME\n"
	"       knit resume NAME\n"
	"       knit hostfwd NAME add|remove RULE [--netdev ID]\n"
	"       knit info NAME network\n"
	"       knit info NAME usernet [--netdev ID]\n"
	"       knit set-link NAME NETDEV on|off\n"
	"\n"
	"Talk to the VM `knit run --name NAME` started (knit-PID without\n"
	"--name), through its control socket: NAME.sock in\n"
	"$XDG_RUNTIME_DIR/knit (/run/knit for root, /tmp/knit-UID without\n"
	"XDG_RUNTIME_DIR).\n"
	"\n"
	"  list      the running VMs, one per line: name, pid, and running\n"
	"            or paused\n"
	"  stop      stop the VM in order; its `knit run` exits 0\n"
	"  pause     stop the guest's vCPUs where they are (its clock goes on)\n"
	"  resume    let a paused guest run again\n"
	"  hostfwd   add or remove a port forward of a user netdev; RULE is\n"
	"            [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT as\n"
	"            in --netdev user,hostfwd=; --netdev may be left out when\n"
	"            the VM has one user netdev\n"
	"  info      network: each NIC, its model and MAC, and its back end;\n"
	"            usernet: the connections of each user netdev\n"
	"  set-link  take the link between NETDEV and its NIC down (off) or\n"
	"            up (on): the guest sees its carrier go and come back\n";

static void timeouts(int fd, int seconds)
{
	struct timeval tv = { .tv_sec = seconds };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int connect_vm(const char *name, bool quiet)
{
	char dir[108], path[108];
	int fd;

	if (control_dir(dir, sizeof(dir)) ||
	    control_sock_path(dir, name, path, sizeof(path)))
		fd = -ENOENT;
	else
		fd = control_connect(path);
	if (fd >= 0 || quiet)
		return fd;
	if (fd == -ENOENT || fd == -ECONNREFUSED)
		pr_err("no VM named %s", name);
	else
		pr_err("cannot reach VM %s at %s: %s", name, path,
		       strerror(-fd));
	return fd;
}

static int send_request(int fd, const char *execute, struct json_object *args)
{
	struct json_object *req = json_object_new_object();
	const char *s;
	char *line;
	size_t off = 0, len;
	ssize_t n;
	int ret = -ENOMEM;

	if (!req)
		return -ENOMEM;
	json_object_object_add(req, "execute", json_object_new_string(execute));
	if (args)
		json_object_object_add(req, "arguments", json_object_get(args));
	s = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	if (!s || asprintf(&line, "%s\n", s) < 0)
		goto out;
	len = strlen(line);
	ret = 0;
	while (off < len) {
		n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		off += n;
	}
	free(line);
out:
	json_object_put(req);
	return ret;
}

/* One line from fd, malloc'd and NUL-terminated without its newline. */
static int read_reply(int fd, char **out)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *p;
	ssize_t n;
	int err;

	for (;;) {
		if (cap - len < 4096) {
			err = -EMSGSIZE;
			cap = cap ? cap * 2 : 8192;
			if (cap > MAX_REPLY)
				break;
			err = -ENOMEM;
			p = realloc(buf, cap);
			if (!p)
				break;
			buf = p;
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n == 0 ? -ECONNRESET :
			      errno == EAGAIN ? -ETIMEDOUT : -errno;
			break;
		}
		p = memchr(buf + len, '\n', n);
		len += n;
		if (p) {
			*p = '\0';
			*out = buf;
			return 0;
		}
	}
	free(buf);
	return err;
}

/*
 * Ask VM name to execute a command: 0 with *ret its "return" value (to
 * json_object_put), or an exit status with one line printed (unless
 * quiet).
 */
static int call(const char *name, const char *execute,
		struct json_object *args, int timeout_s, bool quiet,
		struct json_object **ret, int *fdp)
{
	struct json_object *reply = NULL, *v, *e, *desc;
	char *line = NULL;
	int fd, err;

	*ret = NULL;
	fd = connect_vm(name, quiet);
	if (fd < 0)
		return EXIT_RUNTIME;
	timeouts(fd, timeout_s);
	err = send_request(fd, execute, args);
	if (!err)
		err = read_reply(fd, &line);
	if (err) {
		if (!quiet)
			pr_err("VM %s: %s", name, err == -ETIMEDOUT ?
			       "no answer (wedged?)" : strerror(-err));
		goto fail;
	}
	reply = json_tokener_parse(line);
	if (reply && json_object_object_get_ex(reply, "return", &v)) {
		*ret = json_object_get(v);
		json_object_put(reply);
		free(line);
		if (fdp)
			*fdp = fd;
		else
			close(fd);
		return 0;
	}
	if (!quiet && reply && json_object_object_get_ex(reply, "error", &e) &&
	    json_object_object_get_ex(e, "desc", &desc))
		pr_err("%s", json_object_get_string(desc));
	else if (!quiet)
		pr_err("VM %s: unexpected reply: %.200s", name, line);
fail:
	json_object_put(reply);
	free(line);
	close(fd);
	return EXIT_RUNTIME;
}

static bool want_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

static int usage_error(const char *cmd, const char *what)
{
	pr_err("%s: %s (see knit %s --help)", cmd, what, cmd);
	return EXIT_USAGE;
}

static bool valid_name(const char *name)
{
	return *name && !strchr(name, '/');
}

/*
 * Split argv[1..] into positionals and --netdev ID; argv[0] is the
 * command. Returns the count of positionals, or -1 after a usage line.
 */
static int split_args(int argc, char **argv, const char **pos, int max,
		      const char **netdev)
{
	int i, n = 0;

	*netdev = NULL;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--netdev") || !strcmp(a, "-netdev")) {
			if (++i == argc) {
				usage_error(argv[0], "--netdev needs an ID");
				return -1;
			}
			*netdev = argv[i];
		} else if (!strncmp(a, "--netdev=", 9)) {
			*netdev = a + 9;
		} else if (a[0] == '-' && a[1]) {
			pr_err("%s: unknown option '%s' (see knit %s --help)",
			       argv[0], a, argv[0]);
			return -1;
		} else if (n == max) {
			pr_err("%s: unexpected argument '%s' (see knit %s --help)",
			       argv[0], a, argv[0]);
			return -1;
		} else {
			pos[n++] = a;
		}
	}
	if (n && !valid_name(pos[0])) {
		pr_err("%s: invalid VM name '%s': must be non-empty, without '/'",
		       argv[0], pos[0]);
		return -1;
	}
	return n;
}

/* ---- knit list ---- */

struct vm_entry {
	char *name;
	int pid;
	char status[16];	/* running or paused */
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct vm_entry *)a)->name,
		      ((const struct vm_entry *)b)->name);
}

/* Ask the VM behind a socket file for its name and pid. */
static int query_name(const char *file, struct vm_entry *e)
{
	size_t len = strlen(file) - strlen(CONTROL_SOCK_SUFFIX);
	struct json_object *ret, *name, *pid;
	char *sock_name = strndup(file, len);
	int err;

	if (!sock_name)
		return -ENOMEM;
	err = call(sock_name, "query-name", NULL, LIST_TIMEOUT_S, true, &ret,
		   NULL);
	free(sock_name);
	if (err)
		return -ENOENT;
	err = -EPROTO;
	if (json_object_object_get_ex(ret, "name", &name) &&
	    json_object_object_get_ex(ret, "pid", &pid)) {
		e->name = strdup(json_object_get_string(name));
		e->pid = json_object_get_int(pid);
		snprintf(e->status, sizeof(e->status), "%s",
			 json_object_object_get_ex(ret, "status", &name) ?
			 json_object_get_string(name) : "running");
		err = e->name ? 0 : -ENOMEM;
	}
	json_object_put(ret);
	return err;
}

static bool is_sock_name(const char *f)
{
	size_t n = strlen(f), s = strlen(CONTROL_SOCK_SUFFIX);

	return n > s && !strcmp(f + n - s, CONTROL_SOCK_SUFFIX);
}

int cmd_list(int argc, char **argv)
{
	struct vm_entry *vms = NULL, *p;
	size_t nr = 0, i;
	int width = 0;
	struct dirent *de;
	char dir[108];
	DIR *d;

	if (want_help(argc, argv)) {
		fputs(control_usage, stdout);
		return 0;
	}
	if (argc > 1)
		return usage_error("list", "takes no arguments");
	if (control_dir(dir, sizeof(dir)))
		return 0;
	d = opendir(dir);
	if (!d)
		return 0;	/* no VM ever ran here */
	while ((de = readdir(d))) {
		if (!is_sock_name(de->d_name))
			continue;
		p = realloc(vms, (nr + 1) * sizeof(*vms));
		if (!p)
			break;
		vms = p;
		/* A stale socket (its VM died) is skipped without a word. */
		if (query_name(de->d_name, &vms[nr]))
			continue;
		width = MAX(width, (int)strlen(vms[nr].name));
		nr++;
	}
	closedir(d);
	qsort(vms, nr, sizeof(*vms), by_name);
	for (i = 0; i < nr; i++) {
		printf("%-*s %-7d %s\n", width, vms[i].name, vms[i].pid,
		       vms[i].status);
		free(vms[i].name);
	}
	free(vms);
	return 0;
}

/* ---- knit stop ---- */

int cmd_stop(int argc, char **argv)
{
	const char *pos[1], *netdev;
	struct json_object *ret;
	int n, fd, status;
	char c;

	if (want_help(argc, argv)) {
		fputs(control_usage, stdout);
		return 0;
	}
	n = split_args(argc, argv, pos, 1, &netdev);
	if (n < 0)
		return EXIT_USAGE;
	if (n < 1)
		return usage_error("stop", "missing NAME");
	if (netdev)
		return usage_error("stop", "takes no --netdev");
	status = call(pos[0], "stop", NULL, REPLY_TIMEOUT_S, false, &ret, &fd);
	if (status)
		return status;
	json_object_put(ret);
	/* The VM closes the socket once it is gone: wait for that. */
	timeouts(fd, STOP_TIMEOUT_S);
	while ((n = recv(fd, &c, 1, 0)) > 0 || (n < 0 && errno == EINTR))
		;
	close(fd);
	if (n < 0 && errno == EAGAIN) {
		pr_err("VM %s: still stopping after %d s", pos[0],
		       STOP_TIMEOUT_S);
		return EXIT_RUNTIME;
	}
	return 0;
}

/* ---- knit pause, knit resume ---- */

static int pause_or_resume(int argc, char **argv, const char *what)
{
	const char *pos[1], *netdev;
	struct json_object *ret;
	int n, status;

	if (want_help(argc, argv)) {
		fputs(control_usage, stdout);
		return 0;
	}
	n = split_args(argc, argv, pos, 1, &netdev);
	if (n < 0)
		return EXIT_USAGE;
	if (n < 1)
		return usage_error(what, "missing NAME");
	if (netdev)
		return usage_error(what, "takes no --netdev");
	status = call(pos[0], what, NULL, REPLY_TIMEOUT_S, false, &ret, NULL);
	json_object_put(ret);
	return status;
}

int cmd_pause(int argc, char **argv)
{
	return pause_or_resume(argc, argv, "pause");
}

int cmd_resume(int argc, char **argv)
{
	return pause_or_resume(argc, argv, "resume");
}

/* ---- knit hostfwd ---- */

int cmd_hostfwd(int argc, char **argv)
{
	const char *pos[3], *netdev, *execute;
	struct json_object *args, *ret;
	int n, status;

	if (want_help(argc, argv)) {
		fputs(control_usage, stdout);
		return 0;
	}
	n = split_args(argc, argv, pos, 3, &netdev);
	if (n < 0)
		return EXIT_USAGE;
	if (n < 1)
		return usage_error("hostfwd", "missing NAME");
	if (n < 2)
		return usage_error("hostfwd", "missing add or remove");
	if (!strcmp(pos[1], "add"))
		execute = "hostfwd-add";
	else if (!strcmp(pos[1], "remove"))
		execute = "hostfwd-remove";
	else
		return usage_error("hostfwd", "expected add or remove");
	if (n < 3)
		return usage_error("hostfwd", "missing RULE");
	args = json_object_new_object();
	if (!args)
		return EXIT_RUNTIME;
	if (netdev)
		json_object_object_add(args, "netdev",
				       json_object_new_string(netdev));
	json_object_object_add(args, "rule", json_object_new_string(pos[2]));
	status = call(pos[0], execute, args, REPLY_TIMEOUT_S, false, &ret,
		      NULL);
	json_object_put(args);
	json_object_put(ret);
	return status;
}

/* ---- knit info ---- */

int cmd_info(int argc, char **argv)
{
	struct json_object *args = NULL, *ret;
	const char *pos[2], *netdev;
	int n, status;

	if (want_help(argc, argv)) {
		fputs(control_usage, stdout);
		return 0;
	}
	n = split_args(argc, argv, pos, 2, &netdev);
	if (n < 0)
		return EXIT_USAGE;
	if (n < 1)
		return usage_error("info", "missing NAME");
	if (n < 2)
		return usage_error("info", "missing what to show (network or usernet)");
	if (!strcmp(pos[1], "network")) {
		if (netdev)
			return usage_error("info", "network takes no --netdev");
		status = call(pos[0], "info-network", NULL, REPLY_TIMEOUT_S,
			      false, &ret, NULL);
		if (status)
			return status;
		fputs(json_object_get_string(ret), stdout);
		json_object_put(ret);
		return 0;
	}
	if (strcmp(pos[1], "usernet"))
		return usage_error("info", "can show network or usernet");
	if (netdev) {
		args = json_object_new_object();
		if (!args)
			return EXIT_RUNTIME;
		json_object_object_add(args, "netdev",
				       json_object_new_string(netdev));
	}
	status = call(pos[0], "info-usernet", args, REPLY_TIMEOUT_S, false,
		      &ret, NULL);
	json_object_put(args);
	if (status)
		return status;
	fputs(json_object_get_string(ret), stdout);
	json_object_put(ret);
	return 0;
}

/* ---- knit set-link ---- */

int cmd_set_link(int argc, char **argv)
{
	struct json_object *args, *ret;
	const char *pos[3], *netdev;
	int n, status;
	bool up;

	if (want_help(argc, argv)) {
		fputs(control_usage, stdout);
		return 0;
	}
	n = split_args(argc, argv, pos, 3, &netdev);
	if (n < 0)
		return EXIT_USAGE;
	if (netdev)
		return usage_error("set-link", "takes no --netdev (NETDEV is its second argument)");
	if (n < 1)
		return usage_error("set-link", "missing NAME");
	if (n < 2)
		return usage_error("set-link", "missing NETDEV");
	if (n < 3)
		return usage_error("set-link", "missing on or off");
	if (!strcmp(pos[2], "on"))
		up = true;
	else if (!strcmp(pos[2], "off"))
		up = false;
	else
		return usage_error("set-link", "expected on or off");
	args = json_object_new_object();
	if (!args)
		return EXIT_RUNTIME;
	json_object_object_add(args, "name", json_object_new_string(pos[1]));
	json_object_object_add(args, "up", json_object_new_boolean(up));
	status = call(pos[0], "set-link", args, REPLY_TIMEOUT_S, false, &ret,
		      NULL);
	json_object_put(args);
	json_object_put(ret);
	return status;
}
