// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket's commands, run through the protocol layer as a
 * client's line would be, against real user netdevs (libslirp) on
 * loopback ports (and real hubports and sockets) and a stand-in VM that only records its stop request.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/control.h"
#include "kvm/loop.h"
#include "kvm/vm.h"
#include "net/netdev.h"

struct t {
	struct knit_config cfg;
	struct netdev *nds[KNIT_MAX_NETDEVS];
	struct control ctl;
	struct loop loop;
	int fake_tap;		/* stands in for a tap netdev: never touched */
};

/* Netdevs from --netdev specs; user ones real, tap ones stand-ins. */
static struct t *setup(const char *const *specs, unsigned int n)
{
	struct t *t = calloc(1, sizeof(*t));
	unsigned int i;

	assert_non_null(t);
	assert_int_equal(loop_init(&t->loop), 0);
	for (i = 0; i < n; i++) {
		struct netdev_cfg *nc = &t->cfg.netdevs[i];

		assert_int_equal(netdev_parse(specs[i], nc), 0);
		if (nc->type != NETDEV_TAP && nc->type != NETDEV_BRIDGE)
			assert_int_equal(netdev_create(&t->nds[i], nc,
						       &t->loop), 0);
		else
			t->nds[i] = (struct netdev *)&t->fake_tap;
	}
	t->cfg.nr_netdevs = n;
	t->ctl.cfg = &t->cfg;
	t->ctl.netdevs = t->nds;
	t->ctl.loop = &t->loop;
	t->ctl.fd = -1;
	strcpy(t->ctl.name, "unit-vm");
	return t;
}

static void teardown(struct t *t)
{
	unsigned int i;

	for (i = 0; i < t->cfg.nr_netdevs; i++) {
		if (t->cfg.netdevs[i].type != NETDEV_TAP &&
		    t->cfg.netdevs[i].type != NETDEV_BRIDGE)
			netdev_destroy(t->nds[i]);
		netdev_cfg_free(&t->cfg.netdevs[i]);
	}
	loop_exit(&t->loop);
	free(t);
}

/* Send line as a client would; the reply, to free. */
static char *request(struct t *t, const char *line)
{
	char *reply;

	assert_int_equal(ctl_handle_line(control_commands, control_nr_commands,
					 &t->ctl, line, strlen(line), &reply),
			 0);
	assert_non_null(reply);
	return reply;
}

static void expect(struct t *t, const char *line, const char *want)
{
	char *reply = request(t, line);

	if (!strstr(reply, want))
		fail_msg("%s: reply %s lacks %s", line, reply, want);
	free(reply);
}

static void expect_ok(struct t *t, const char *line)
{
	char *reply = request(t, line);

	if (strncmp(reply, "{\"return\":", 10))
		fail_msg("%s: reply %s", line, reply);
	free(reply);
}

/* A loopback port nothing listens on now. */
static u16 free_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	return ntohs(sin.sin_port);
}

static bool port_open(u16 port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bool ok;

	assert_true(fd >= 0);
	ok = connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(fd);
	return ok;
}

static void test_query_name(void **state)
{
	struct t *t = setup(NULL, 0);
	char want[64];

	snprintf(want, sizeof(want),
		 "{\"return\":{\"name\":\"unit-vm\",\"pid\":%d,\"status\":\"running\"}}\n",
		 getpid());
	expect(t, "{\"execute\":\"query-name\"}", want);
	expect(t, "{\"execute\":\"query-commands\"}", "\"hostfwd-remove\"");
	/* Between two boots there is nothing to pause. */
	expect(t, "{\"execute\":\"pause\"}", "the VM is not running");
	expect(t, "{\"execute\":\"resume\"}", "the VM is not running");
	teardown(t);
}

static void test_info_network(void **state)
{
	char dgram[160], *reply;
	const char *specs[] = {
		"user,id=u0",
		"hubport,id=h0,hubid=2,netdev=u0",
		"hubport,id=h1,hubid=2",
		"hubport,id=h2,hubid=0",
		dgram,
	};
	struct t *t;

	snprintf(dgram, sizeof(dgram),
		 "dgram,id=d0,remote.type=inet,remote.host=127.0.0.1,remote.port=%u,local.type=inet,local.host=127.0.0.1,local.port=%u",
		 free_port(), free_port());
	t = setup(specs, ARRAY_SIZE(specs));
	t->cfg.nr_nics = 2;
	t->cfg.nics[0] = (struct nic_cfg){ .model = NIC_VIRTIO_NET,
					   .netdev = "h1",
					   .mac = { 0x52, 0x54, 0, 1, 2, 3 } };
	t->cfg.nics[1] = (struct nic_cfg){ .model = NIC_E1000,
					   .netdev = "d0",
					   .mac = { 0x52, 0x54, 0, 1, 2, 4 } };
	reply = request(t, "{\"execute\":\"info-network\"}");
	/* The JSON string escapes newlines and the backslash of " \ ". */
	if (!strstr(reply,
		    "nic0: index=0,type=nic,model=virtio-net-pci,macaddr=52:54:00:01:02:03\\n"
		    " \\\\ h1: index=0,type=hubport,hubid=2\\n"
		    "nic1: index=1,type=nic,model=e1000,macaddr=52:54:00:01:02:04\\n"
		    " \\\\ d0: index=0,type=dgram,peer=connected,tx=0,tx_dropped=0,rx=0,rx_dropped=0\\n"
		    "hub 0\\n"
		    " \\\\ h2: (nothing joined)\\n"
		    "hub 2\\n"
		    " \\\\ h0: u0: index=0,type=user\\n"
		    " \\\\ h1: nic0: index=0,type=nic,model=virtio-net-pci,macaddr=52:54:00:01:02:03\\n"))
		fail_msg("info-network: %s", reply);
	free(reply);
	t->cfg.nr_nics = 0;
	teardown(t);
}

static void test_stop(void **state)
{
	struct t *t = setup(NULL, 0);
	struct vm vm;

	/* Between two boots there is no machine: the request is kept. */
	expect(t, "{\"execute\":\"stop\"}", "{\"return\":{}}\n");
	assert_true(t->ctl.stop_requested);

	memset(&vm, 0, sizeof(vm));
	pthread_mutex_init(&vm.stop_lock, NULL);
	vm.stop_efd = eventfd(0, EFD_CLOEXEC);
	assert_true(vm.stop_efd >= 0);
	t->ctl.vm = &vm;
	t->ctl.stop_requested = false;
	expect(t, "{\"execute\":\"stop\",\"id\":1}", "{\"return\":{},\"id\":1}\n");
	assert_true(t->ctl.stop_requested);
	assert_true(vm_stopping(&vm));
	assert_int_equal(vm.stop_reason, STOP_CONTROL);
	assert_int_equal(vm.stop_code, 0);
	close(vm.stop_efd);
	pthread_mutex_destroy(&vm.stop_lock);
	expect(t, "{\"execute\":\"stop\",\"arguments\":{\"now\":true}}",
	       "unexpected argument \\\"now\\\"");
	teardown(t);
}

static void test_hostfwd(void **state)
{
	static const char *const specs[] = { "tap,id=t0", "user,id=u0" };
	struct t *t = setup(specs, 2);
	u16 port = free_port();
	char add[160], remove[160], want[64];

	snprintf(add, sizeof(add),
		 "{\"execute\":\"hostfwd-add\",\"arguments\":{\"rule\":\"tcp:127.0.0.1:%u-:22\"}}",
		 port);
	snprintf(remove, sizeof(remove),
		 "{\"execute\":\"hostfwd-remove\",\"arguments\":{\"netdev\":\"u0\",\"rule\":\"tcp:127.0.0.1:%u-:22\"}}",
		 port);
	assert_false(port_open(port));
	expect(t, add, "{\"return\":{}}\n");
	assert_true(port_open(port));

	/* The table lists it, under its netdev's header. */
	snprintf(want, sizeof(want), "127.0.0.1 %5u", port);
	expect(t, "{\"execute\":\"info-usernet\"}", "\"netdev u0:\\n");
	expect(t, "{\"execute\":\"info-usernet\"}", "TCP[HOST_FORWARD]");
	expect(t, "{\"execute\":\"info-usernet\",\"arguments\":{\"netdev\":\"u0\"}}",
	       want);

	/* The port is taken now: the netdev's own one-line reason. */
	expect(t, add, "cannot listen on host port");
	expect(t, remove, "{\"return\":{}}\n");
	assert_false(port_open(port));
	expect(t, remove, "no such forward");
	teardown(t);
}

static void test_hostfwd_errors(void **state)
{
	static const char *const specs[] = { "tap,id=t0", "user,id=u0",
					     "user,id=u1" };
	struct t *t = setup(specs, 3), *none;

	expect(t, "{\"execute\":\"hostfwd-add\",\"arguments\":{\"rule\":\"tcp::2222-:22\"}}",
	       "this VM has 2 user netdevs");
	expect(t, "{\"execute\":\"hostfwd-add\",\"arguments\":{\"netdev\":\"t0\",\"rule\":\"tcp::2222-:22\"}}",
	       "netdev t0 is not a user netdev");
	expect(t, "{\"execute\":\"hostfwd-add\",\"arguments\":{\"netdev\":\"zz\",\"rule\":\"tcp::2222-:22\"}}",
	       "no netdev zz");
	expect(t, "{\"execute\":\"hostfwd-add\",\"arguments\":{\"netdev\":\"u1\",\"rule\":\"tcp::0-:22\"}}",
	       "rule tcp::0-:22: host port 0");
	expect(t, "{\"execute\":\"hostfwd-add\",\"arguments\":{\"netdev\":\"u1\",\"rule\":\"2222:22\"}}",
	       "rule 2222:22: ");
	expect(t, "{\"execute\":\"hostfwd-remove\",\"arguments\":{\"netdev\":\"u1\"}}",
	       "missing argument \\\"rule\\\"");
	expect(t, "{\"execute\":\"info-usernet\",\"arguments\":{\"netdev\":\"t0\"}}",
	       "not a user netdev");
	/* Both netdevs, each under its header. */
	expect_ok(t, "{\"execute\":\"info-usernet\"}");
	expect(t, "{\"execute\":\"info-usernet\"}", "netdev u1:");
	teardown(t);

	none = setup(specs, 1);
	expect(none, "{\"execute\":\"hostfwd-add\",\"arguments\":{\"rule\":\"tcp::2222-:22\"}}",
	       "this VM has no user netdev");
	expect(none, "{\"execute\":\"info-usernet\"}", "{\"return\":\"\"}");
	teardown(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_name),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_info_network),
		cmocka_unit_test(test_hostfwd),
		cmocka_unit_test(test_hostfwd_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
