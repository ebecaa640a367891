// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "net/net.h"
#include "net/options.h"

#include "tests/unit/stderr_capture.h"

/*
 * spec must fail with exactly one line that repeats the option as given
 * and contains want.
 */
static void bad_netdev(const char *spec, const char *want)
{
	struct netdev_cfg cfg;
	char head[512];
	int ret;

	capture_start();
	ret = netdev_parse(spec, &cfg);
	capture_end();
	if (ret != -EINVAL || lines(err) != 1 || !strstr(err, want))
		fail_msg("netdev_parse(\"%s\") = %d, printed \"%s\", wanted one line with \"%s\"",
			 spec, ret, err, want);
	snprintf(head, sizeof(head), "knit: --netdev %s: ", spec);
	assert_memory_equal(err, head, strlen(head));
	/* A failed parse leaves nothing to free and the defaults in. */
	assert_null(cfg.id);
	assert_null(cfg.ifname);
	assert_null(cfg.br);
	assert_int_equal(cfg.fd, -1);
	netdev_cfg_free(&cfg);
}

static void bad_nic(const char *spec, const char *want)
{
	struct nic_cfg cfg;
	char head[512];
	int ret;

	capture_start();
	ret = nic_parse(spec, &cfg);
	capture_end();
	if (ret != -EINVAL || lines(err) != 1 || !strstr(err, want))
		fail_msg("nic_parse(\"%s\") = %d, printed \"%s\", wanted one line with \"%s\"",
			 spec, ret, err, want);
	snprintf(head, sizeof(head), "knit: --device %s: ", spec);
	assert_memory_equal(err, head, strlen(head));
	assert_null(cfg.netdev);
	nic_cfg_free(&cfg);
}

static void good_netdev(const char *spec, struct netdev_cfg *cfg)
{
	int ret;

	capture_start();
	ret = netdev_parse(spec, cfg);
	capture_end();
	if (ret)
		fail_msg("netdev_parse(\"%s\") = %d: %s", spec, ret, err);
	assert_string_equal(err, "");
}

static void test_netdev_defaults(void **state)
{
	struct netdev_cfg cfg;

	good_netdev("tap,id=n0", &cfg);
	assert_int_equal(cfg.type, NETDEV_TAP);
	assert_string_equal(cfg.id, "n0");
	assert_null(cfg.ifname);
	assert_null(cfg.br);
	assert_false(cfg.create);
	assert_false(cfg.has_host_ip);
	assert_int_equal(cfg.vhost, OPT_AUTO);
	assert_int_equal(cfg.queues, 1);
	assert_int_equal(cfg.fd, -1);
	netdev_cfg_free(&cfg);
	assert_null(cfg.id);

	/* QEMU's spelled-out form of the type. */
	good_netdev("type=bridge,id=b,br=x", &cfg);
	assert_int_equal(cfg.type, NETDEV_BRIDGE);
	netdev_cfg_free(&cfg);
}

static void test_netdev_tap_keys(void **state)
{
	struct netdev_cfg cfg;

	good_netdev("tap,id=net-0.a_b,ifname=kt0123456789abc,br=br0,create=on,"
		    "host-ip=10.1.2.3/24,vhost=on,queues=8", &cfg);
	assert_int_equal(cfg.type, NETDEV_TAP);
	assert_string_equal(cfg.id, "net-0.a_b");
	assert_string_equal(cfg.ifname, "kt0123456789abc");	/* 15 chars */
	assert_string_equal(cfg.br, "br0");
	assert_true(cfg.create);
	assert_true(cfg.has_host_ip);
	assert_int_equal(cfg.host_ip.s_addr, inet_addr("10.1.2.3"));
	assert_int_equal(cfg.host_prefix, 24);
	assert_int_equal(cfg.vhost, OPT_ON);
	assert_int_equal(cfg.queues, 8);
	assert_int_equal(cfg.fd, -1);
	netdev_cfg_free(&cfg);

	/* Keys in any order; the bounds of host-ip's prefix. */
	good_netdev("tap,host-ip=192.168.0.1/32,queues=1,id=x", &cfg);
	assert_int_equal(cfg.host_prefix, 32);
	assert_int_equal(cfg.queues, 1);
	netdev_cfg_free(&cfg);
	good_netdev("tap,id=x,host-ip=0.0.0.0/0", &cfg);
	assert_int_equal(cfg.host_prefix, 0);
	netdev_cfg_free(&cfg);

	good_netdev("tap,id=x,fd=7,vhost=off", &cfg);
	assert_int_equal(cfg.fd, 7);
	assert_int_equal(cfg.vhost, OPT_OFF);
	netdev_cfg_free(&cfg);
	good_netdev("tap,id=x,fd=0", &cfg);
	assert_int_equal(cfg.fd, 0);
	netdev_cfg_free(&cfg);
}

static void test_netdev_switches(void **state)
{
	static const struct {
		const char *spec;
		enum opt_switch vhost;
		bool create;
	} cases[] = {
		{ "tap,id=x,vhost=auto", OPT_AUTO, false },
		{ "tap,id=x,vhost=off", OPT_OFF, false },
		{ "tap,id=x,vhost=no", OPT_OFF, false },
		{ "tap,id=x,vhost=false", OPT_OFF, false },
		{ "tap,id=x,vhost=yes", OPT_ON, false },
		{ "tap,id=x,vhost=true", OPT_ON, false },
		{ "tap,id=x,br=b,create=off", OPT_AUTO, false },
		{ "tap,id=x,br=b,create=yes", OPT_AUTO, true },
		{ "tap,id=x,br=b,create=true", OPT_AUTO, true },
	};
	struct netdev_cfg cfg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		good_netdev(cases[i].spec, &cfg);
		assert_int_equal(cfg.vhost, cases[i].vhost);
		assert_int_equal(cfg.create, cases[i].create);
		netdev_cfg_free(&cfg);
	}
}

static void test_netdev_bridge(void **state)
{
	struct netdev_cfg cfg;

	good_netdev("bridge,id=b0,br=virbr0", &cfg);
	assert_int_equal(cfg.type, NETDEV_BRIDGE);
	assert_string_equal(cfg.id, "b0");
	assert_string_equal(cfg.br, "virbr0");
	assert_null(cfg.ifname);
	assert_int_equal(cfg.queues, 1);
	assert_int_equal(cfg.vhost, OPT_AUTO);
	assert_int_equal(cfg.fd, -1);
	netdev_cfg_free(&cfg);

	good_netdev("bridge,br=kb,id=b0,create=on,host-ip=10.0.0.1/8,queues=2,vhost=off",
		    &cfg);
	assert_true(cfg.create);
	assert_true(cfg.has_host_ip);
	assert_int_equal(cfg.host_prefix, 8);
	assert_int_equal(cfg.queues, 2);
	assert_int_equal(cfg.vhost, OPT_OFF);
	netdev_cfg_free(&cfg);
}

static void test_netdev_escapes(void **state)
{
	struct netdev_cfg cfg;

	/* ",," is a comma inside a value, not a separator. */
	good_netdev("tap,id=x,ifname=a,,b", &cfg);
	assert_string_equal(cfg.ifname, "a,b");
	netdev_cfg_free(&cfg);
	good_netdev("tap,ifname=,,,,,id=x", &cfg);
	assert_string_equal(cfg.ifname, ",,");
	assert_string_equal(cfg.id, "x");
	netdev_cfg_free(&cfg);
	good_netdev("tap,br=b,,,id=x", &cfg);
	assert_string_equal(cfg.br, "b,");
	netdev_cfg_free(&cfg);

	/* The error repeats the spec as typed, the value unescaped. */
	bad_netdev("ta,,p,id=x", "ta,p is not a netdev type");
	bad_netdev("tap,id=x,br=x,,,", "empty item");
	bad_netdev("tap,id=x,if,,name=a", "if,name=a is not a tap option");
}

static void test_netdev_errors(void **state)
{
	static const struct {
		const char *spec;
		const char *want;
	} cases[] = {
		/* types, ids, keys */
		{ "", " is not a netdev type" },
		{ "vde,id=n0", "vde is not a netdev type (tap, bridge, user, socket, stream, dgram, hubport)" },
		{ "type=vde,id=n0", "vde is not a netdev type" },
		{ "user,id=u0,vhost=on", "vhost=on is not a user option" },
		{ "user,id=u0,ifname=x", "ifname=x is not a user option" },
		{ "user,id=u0,bogus=1", "bogus=1 is not a user option" },
		{ "user,id=u0,restrict", "restrict needs a value" },
		{ "user,id=u0,hostfwd=tcp::0-:22", "host port 0" },
		{ "user,id=u0,dhcpstart=10.0.3.15", "dhcpstart=10.0.3.15" },
		{ "kind=tap,id=n0", "kind=tap is not a netdev type" },
		{ "tap", "id= is missing" },
		{ "tap,ifname=kt0", "id= is missing" },
		{ "tap,id=", "id= is not an id" },
		{ "tap,id=0n", "id=0n is not an id" },
		{ "tap,id=a b", "id=a b is not an id" },
		{ "tap,id=n0,foo=1", "foo=1 is not a tap option" },
		{ "tap,id=n0,macaddr=52:54:00:00:00:01",
		  "macaddr=52:54:00:00:00:01 is not a tap option" },
		{ "tap,id=n0,vhost", "vhost needs a value" },
		{ "tap,id=n0,", "empty item" },
		{ "tap,,id=n0", "tap,id=n0 is not a netdev type" },
		{ "tap,id=n0,id=n1", "id=n1: id= given twice" },
		{ "tap,id=n0,queues=2,queues=2", "queues=2: queues= given twice" },
		{ "tap,id=n0,ifname=a,ifname=a", "ifname= given twice" },
		/* bridge */
		{ "bridge,id=b0", "br= is missing" },
		{ "bridge,id=b0,br=x,ifname=t", "ifname=t is not a bridge option" },
		{ "bridge,id=b0,br=x,fd=3", "fd=3 is not a bridge option" },
		{ "bridge,br=x", "id= is missing" },
		/* switches */
		{ "tap,id=n0,vhost=maybe", "vhost=maybe is not on, off or auto" },
		{ "tap,id=n0,vhost=", "vhost= is not on, off or auto" },
		{ "tap,id=n0,vhost=ON", "vhost=ON is not on, off or auto" },
		{ "tap,id=n0,br=b,create=auto", "create=auto is not on or off" },
		{ "tap,id=n0,br=b,create=1", "create=1 is not on or off" },
		{ "tap,id=n0,create=on", "create=on needs br=" },
		/* queues */
		{ "tap,id=n0,queues=0", "queues=0 is not a queue count (1-8)" },
		{ "tap,id=n0,queues=9", "queues=9 is not a queue count (1-8)" },
		{ "tap,id=n0,queues=-1", "queues=-1 is not a queue count" },
		{ "tap,id=n0,queues=+2", "queues=+2 is not a queue count" },
		{ "tap,id=n0,queues=2x", "queues=2x is not a queue count" },
		{ "tap,id=n0,queues=", "queues= is not a queue count" },
		{ "tap,id=n0,queues=99999999999999999999",
		  "is not a queue count" },
		/* names */
		{ "tap,id=n0,ifname=kt0123456789abcd",
		  "ifname=kt0123456789abcd is longer than 15 characters" },
		{ "tap,id=n0,ifname=", "ifname= is not an interface name" },
		{ "tap,id=n0,ifname=a/b", "ifname=a/b is not an interface name" },
		{ "tap,id=n0,ifname=a:b", "ifname=a:b is not an interface name" },
		{ "tap,id=n0,ifname=a b", "ifname=a b is not an interface name" },
		{ "tap,id=n0,ifname=..", "ifname=.. is not an interface name" },
		{ "tap,id=n0,ifname=tap%d", "ifname=tap%d is not an interface name" },
		{ "tap,id=n0,br=", "br= is not an interface name" },
		{ "tap,id=n0,br=0123456789abcdef", "br=0123456789abcdef is longer than 15" },
		{ "tap,id=n0,ifname=x,br=x", "ifname=x and br=x name the same link" },
		/* host-ip */
		{ "tap,id=n0,host-ip=10.0.0.1", "host-ip=10.0.0.1 is not an address/prefix" },
		{ "tap,id=n0,host-ip=10.0.0.1/33", "host-ip=10.0.0.1/33: /33 is not a prefix length (0-32)" },
		{ "tap,id=n0,host-ip=10.0.0.1/", "/ is not a prefix length" },
		{ "tap,id=n0,host-ip=10.0.0.1/-1", "/-1 is not a prefix length" },
		{ "tap,id=n0,host-ip=10.0.0.1/2x", "/2x is not a prefix length" },
		{ "tap,id=n0,host-ip=10.0.0/24", "10.0.0 is not an IPv4 address" },
		{ "tap,id=n0,host-ip=10.0.0.256/24", "10.0.0.256 is not an IPv4 address" },
		{ "tap,id=n0,host-ip=/24", "host-ip=/24:  is not an IPv4 address" },
		{ "tap,id=n0,host-ip=fe80::1/64", "fe80::1 is not an IPv4 address" },
		{ "tap,id=n0,host-ip=", "host-ip= is not an address/prefix" },
		/* fd */
		{ "tap,id=n0,fd=x", "fd=x is not a file descriptor number" },
		{ "tap,id=n0,fd=-1", "fd=-1 is not a file descriptor number" },
		{ "tap,id=n0,fd=", "fd= is not a file descriptor number" },
		{ "tap,id=n0,fd=3,ifname=kt0", "fd=3 and ifname=kt0 exclude each other" },
		{ "tap,id=n0,ifname=kt0,fd=3", "fd=3 and ifname=kt0 exclude each other" },
		{ "tap,id=n0,fd=3,br=br0", "fd=3 and br=br0 exclude each other" },
		{ "tap,id=n0,fd=3,host-ip=10.0.0.1/24", "fd=3 and host-ip= exclude each other" },
		{ "tap,id=n0,fd=3,queues=2", "fd=3 and queues=2 exclude each other" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		bad_netdev(cases[i].spec, cases[i].want);
}

/* The exact line users see, as in the brief. */
static void test_netdev_error_line(void **state)
{
	struct netdev_cfg cfg;

	capture_start();
	assert_int_equal(netdev_parse("tap,id=n0,queues=0", &cfg), -EINVAL);
	capture_end();
	assert_string_equal(err,
			    "knit: --netdev tap,id=n0,queues=0: queues=0 is not a queue count (1-8)\n");
}

static void test_nic(void **state)
{
	struct nic_cfg cfg;
	static const u8 mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };

	assert_int_equal(nic_parse("virtio-net,netdev=n0", &cfg), 0);
	assert_int_equal(cfg.model, NIC_VIRTIO_NET);
	assert_string_equal(cfg.netdev, "n0");
	assert_false(cfg.has_mac);
	assert_int_equal(cfg.transport, NIC_TRANSPORT_PCI);
	nic_cfg_free(&cfg);
	assert_null(cfg.netdev);

	assert_int_equal(nic_parse("virtio-net,mac=52:54:00:AB:cd:EF,transport=mmio,netdev=n1",
				   &cfg), 0);
	assert_string_equal(cfg.netdev, "n1");
	assert_true(cfg.has_mac);
	assert_memory_equal(cfg.mac, mac, 6);
	assert_int_equal(cfg.transport, NIC_TRANSPORT_MMIO);
	nic_cfg_free(&cfg);

	assert_int_equal(nic_parse("virtio-net,netdev=n0,transport=pci", &cfg), 0);
	assert_int_equal(cfg.transport, NIC_TRANSPORT_PCI);
	nic_cfg_free(&cfg);

	/* QEMU's names pick the transport. */
	assert_int_equal(nic_parse("virtio-net-pci,netdev=n0", &cfg), 0);
	assert_int_equal(cfg.model, NIC_VIRTIO_NET);
	assert_int_equal(cfg.transport, NIC_TRANSPORT_PCI);
	nic_cfg_free(&cfg);
	assert_int_equal(nic_parse("virtio-net-device,netdev=n0", &cfg), 0);
	assert_int_equal(cfg.transport, NIC_TRANSPORT_MMIO);
	nic_cfg_free(&cfg);
	assert_int_equal(nic_parse("driver=virtio-net-device,netdev=n0", &cfg), 0);
	assert_int_equal(cfg.transport, NIC_TRANSPORT_MMIO);
	nic_cfg_free(&cfg);
	/* ... and agreeing with them is fine. */
	assert_int_equal(nic_parse("virtio-net-device,netdev=n0,transport=mmio", &cfg), 0);
	assert_int_equal(cfg.transport, NIC_TRANSPORT_MMIO);
	nic_cfg_free(&cfg);

	/* The emulated Intel card, under QEMU's two names; always PCI. */
	assert_int_equal(nic_parse("e1000,netdev=n0,mac=52:54:00:ab:cd:ef", &cfg), 0);
	assert_int_equal(cfg.model, NIC_E1000);
	assert_int_equal(cfg.transport, NIC_TRANSPORT_PCI);
	assert_memory_equal(cfg.mac, mac, 6);
	nic_cfg_free(&cfg);
	assert_int_equal(nic_parse("driver=e1000-82540em,netdev=n0", &cfg), 0);
	assert_int_equal(cfg.model, NIC_E1000);
	nic_cfg_free(&cfg);
}


/* --netdev user: the user keys reach user_cfg, the id stays ours. */
static void test_netdev_user(void **state)
{
	struct netdev_cfg cfg;

	assert_int_equal(netdev_parse("user,id=u0,net=192.168.76.0/24,hostfwd=udp::5353-:53,restrict=on",
				      &cfg), 0);
	assert_int_equal(cfg.type, NETDEV_USER);
	assert_string_equal(cfg.id, "u0");
	assert_int_equal(cfg.vhost, OPT_OFF);
	assert_int_equal(cfg.queues, 1);
	assert_int_equal(cfg.user.net.s_addr, inet_addr("192.168.76.0"));
	assert_int_equal(cfg.user.dhcpstart.s_addr, inet_addr("192.168.76.15"));
	assert_true(cfg.user.restrict_);
	assert_int_equal(cfg.user.nr_hostfwd, 1);
	assert_true(cfg.user.hostfwd[0].udp);
	assert_int_equal(cfg.user.hostfwd[0].host_port, 5353);
	netdev_cfg_free(&cfg);

	assert_int_equal(netdev_parse("type=user,id=u1", &cfg), 0);
	assert_int_equal(cfg.user.net.s_addr, inet_addr("10.0.2.0"));
	assert_int_equal(cfg.user.host.s_addr, inet_addr("10.0.2.2"));
	assert_int_equal(cfg.user.dns.s_addr, inet_addr("10.0.2.3"));
	netdev_cfg_free(&cfg);
	bad_netdev("user", "id= is missing");
}

/* --nic TYPE,...: a netdev and its NIC at once. */
static void test_netdev_hubport(void **state)
{
	struct netdev_cfg cfg;

	assert_int_equal(netdev_parse("hubport,id=h0,hubid=3", &cfg), 0);
	assert_int_equal(cfg.type, NETDEV_HUBPORT);
	assert_int_equal(cfg.hubid, 3);
	assert_null(cfg.hub_netdev);
	assert_int_equal(cfg.vhost, OPT_OFF);
	netdev_cfg_free(&cfg);
	assert_int_equal(netdev_parse("hubport,id=h1,hubid=0,netdev=u0", &cfg), 0);
	assert_int_equal(cfg.hubid, 0);
	assert_string_equal(cfg.hub_netdev, "u0");
	netdev_cfg_free(&cfg);
	bad_netdev("hubport,id=h0", "hubid= is missing");
	bad_netdev("hubport,id=h0,hubid=x", "hubid=x is not a hub number");
	bad_netdev("hubport,id=h0,hubid=1,netdev=h0", "netdev=h0 is the hubport itself");
	bad_netdev("hubport,id=h0,hubid=1,br=x", "br=x is not a hubport option");
}

static void test_nic_shortcut(void **state)
{
	struct netdev_cfg nd;
	struct nic_cfg nic;
	int ret;

	assert_int_equal(nic_shortcut_parse("user,hostfwd=tcp::2222-:22,model=virtio-net-device,mac=52:54:00:aa:bb:cc",
					    3, &nd, &nic), 0);
	assert_int_equal(nd.type, NETDEV_USER);
	assert_string_equal(nd.id, "__nic3");
	assert_string_equal(nic.netdev, "__nic3");
	assert_int_equal(nic.model, NIC_VIRTIO_NET);
	assert_int_equal(nic.transport, NIC_TRANSPORT_MMIO);
	assert_true(nic.has_mac);
	assert_int_equal(nic.mac[5], 0xcc);
	assert_int_equal(nd.user.nr_hostfwd, 1);
	assert_int_equal(nd.user.hostfwd[0].guest_port, 22);
	netdev_cfg_free(&nd);
	nic_cfg_free(&nic);

	/* id= given: it names the netdev; tap keys pass through. */
	assert_int_equal(nic_shortcut_parse("tap,id=t0,ifname=kt7,model=virtio", 0,
					    &nd, &nic), 0);
	assert_string_equal(nd.id, "t0");
	assert_string_equal(nd.ifname, "kt7");
	assert_string_equal(nic.netdev, "t0");
	assert_int_equal(nic.transport, NIC_TRANSPORT_PCI);
	netdev_cfg_free(&nd);
	nic_cfg_free(&nic);

	/* --nic user,model=e1000: QEMU's PC default NIC on user mode. */
	assert_int_equal(nic_shortcut_parse("user,model=e1000", 1, &nd, &nic), 0);
	assert_int_equal(nd.type, NETDEV_USER);
	assert_int_equal(nic.model, NIC_E1000);
	assert_int_equal(nic.transport, NIC_TRANSPORT_PCI);
	assert_string_equal(nic.netdev, "__nic1");
	netdev_cfg_free(&nd);
	nic_cfg_free(&nic);
	capture_start();
	ret = nic_shortcut_parse("user,model=e1000,transport=mmio", 0, &nd, &nic);
	capture_end();
	assert_int_equal(ret, -EINVAL);
	assert_non_null(strstr(err, "transport=mmio is not a e1000 option"));

	assert_int_equal(nic_shortcut_parse("none", 0, &nd, &nic),
			 NIC_SHORTCUT_NONE);

	capture_start();
	ret = nic_shortcut_parse("user,model=e9", 0, &nd, &nic);
	capture_end();
	assert_int_equal(ret, -EINVAL);
	assert_int_equal(lines(err), 1);
	assert_non_null(strstr(err, "--nic user,model=e9: model=e9 is not a NIC model"));

	capture_start();
	ret = nic_shortcut_parse("user,net=10.0.2.0/40", 0, &nd, &nic);
	capture_end();
	assert_int_equal(ret, -EINVAL);
	assert_int_equal(lines(err), 1);
	assert_non_null(strstr(err, "--nic user,net=10.0.2.0/40: "));
	assert_non_null(strstr(err, "/40"));
	assert_null(nic.netdev);

	capture_start();
	ret = nic_shortcut_parse("none,model=virtio", 0, &nd, &nic);
	capture_end();
	assert_int_equal(ret, -EINVAL);
	assert_non_null(strstr(err, "none takes no options"));
}

/* -net SPEC must fail with one line naming it and containing want. */
static void bad_legacy(const char *spec, const char *want)
{
	struct legacy_net ln;
	char head[512];
	int ret;

	capture_start();
	ret = legacy_net_parse(spec, 0, &ln);
	capture_end();
	if (ret != -EINVAL || lines(err) != 1 || !strstr(err, want))
		fail_msg("legacy_net_parse(\"%s\") = %d, printed \"%s\", wanted one line with \"%s\"",
			 spec, ret, err, want);
	snprintf(head, sizeof(head), "knit: -net %s: ", spec);
	assert_memory_equal(err, head, strlen(head));
	assert_null(ln.nic.netdev);
	assert_null(ln.backend.id);
	assert_null(ln.port.id);
}

static void test_legacy_net(void **state)
{
	struct legacy_net ln;

	/* A NIC with no netdev= gets a port on hub vlan=N. */
	assert_int_equal(legacy_net_parse("nic,model=e1000,macaddr=52:54:00:0a:0b:0c,vlan=2",
					  4, &ln), 0);
	assert_int_equal(ln.kind, LEGACY_NET_NIC);
	assert_int_equal(ln.nic.model, NIC_E1000);
	assert_true(ln.nic.has_mac);
	assert_int_equal(ln.nic.mac[5], 0x0c);
	assert_true(ln.has_port);
	assert_int_equal(ln.port.type, NETDEV_HUBPORT);
	assert_int_equal(ln.port.hubid, 2);
	assert_null(ln.port.hub_netdev);
	assert_string_equal(ln.port.id, "hub2port4");
	assert_string_equal(ln.nic.netdev, "hub2port4");
	legacy_net_free(&ln);

	/* Plain "nic": virtio-net on hub 0. */
	assert_int_equal(legacy_net_parse("nic", 0, &ln), 0);
	assert_int_equal(ln.nic.model, NIC_VIRTIO_NET);
	assert_int_equal(ln.port.hubid, 0);
	assert_string_equal(ln.nic.netdev, "hub0port0");
	legacy_net_free(&ln);

	/* netdev= joins the NIC straight to that back end, no hub. */
	assert_int_equal(legacy_net_parse("nic,netdev=n1,model=virtio", 1, &ln), 0);
	assert_false(ln.has_port);
	assert_string_equal(ln.nic.netdev, "n1");
	legacy_net_free(&ln);

	/* A back end: TYPE.N on its own port of hub vlan. */
	assert_int_equal(legacy_net_parse("user,hostfwd=tcp::2222-:22,vlan=1", 3,
					  &ln), 0);
	assert_int_equal(ln.kind, LEGACY_NET_BACKEND);
	assert_int_equal(ln.backend.type, NETDEV_USER);
	assert_string_equal(ln.backend.id, "user.3");
	assert_int_equal(ln.backend.user.nr_hostfwd, 1);
	assert_true(ln.has_port);
	assert_int_equal(ln.port.hubid, 1);
	assert_string_equal(ln.port.id, "hub1port3");
	assert_string_equal(ln.port.hub_netdev, "user.3");
	legacy_net_free(&ln);

	/* name= names the back end. */
	assert_int_equal(legacy_net_parse("socket,mcast=230.0.0.1:1234,name=lan", 0,
					  &ln), 0);
	assert_int_equal(ln.backend.type, NETDEV_SOCKET);
	assert_string_equal(ln.backend.id, "lan");
	assert_string_equal(ln.port.hub_netdev, "lan");
	assert_int_equal(ln.port.hubid, 0);
	legacy_net_free(&ln);

	assert_int_equal(legacy_net_parse("none", 0, &ln), LEGACY_NET_NONE_GIVEN);

	bad_legacy("none,vlan=1", "none takes no options");
	bad_legacy("nic,model=e9", "model=e9 is not a NIC model");
	bad_legacy("nic,vlan=x", "vlan=x is not a hub number");
	bad_legacy("nic,vlan=-1", "vlan=-1 is not a hub number");
	bad_legacy("nic,vlan=1,netdev=n0", "vlan= and netdev= exclude each other");
	bad_legacy("nic,macaddr=01:00:5e:00:00:01", "macaddr=01:00:5e:00:00:01 is not a unicast MAC");
	bad_legacy("nic,speed=10", "speed=10 is not a -net nic option");
	bad_legacy("hubport,hubid=1", "hubport is not a -net type");
	bad_legacy("foo", "foo is not a netdev type");
	bad_legacy("user,vlan=1,name=9x", "name=9x");
	bad_legacy("user,vlan=1,net=10.0.2.0/40", "/40");
	bad_legacy("tap,vlan=0,queues=0", "queues=0");
}

static void test_nic_errors(void **state)
{
	static const struct {
		const char *spec;
		const char *want;
	} cases[] = {
		{ "ne2k_pci,netdev=n0", "ne2k_pci is not a device type" },
		{ "driver=ne2k_pci,netdev=n0", "ne2k_pci is not a device type" },
		{ "e1000,netdev=n0,transport=pci", "transport=pci is not a e1000 option" },
		{ "e1000-82540em,netdev=n0,transport=mmio",
		  "transport=mmio is not a e1000-82540em option" },
		{ "model=virtio-net,netdev=n0", "model=virtio-net is not a device type" },
		{ "", " is not a device type" },
		{ "virtio-net", "netdev= is missing" },
		{ "virtio-net,mac=52:54:00:00:00:01", "netdev= is missing" },
		{ "virtio-net,netdev=", "netdev= is not an id" },
		{ "virtio-net,netdev=n0,netdev=n1", "netdev=n1: netdev= given twice" },
		{ "virtio-net,netdev=n0,foo=bar", "foo=bar is not a virtio-net option" },
		{ "virtio-net-pci,netdev=n0,bus=pci.0", "bus=pci.0 is not a virtio-net-pci option" },
		{ "virtio-net,netdev=n0,mac", "mac needs a value" },
		{ "virtio-net,netdev=n0,", "empty item" },
		{ "virtio-net,netdev=n0,mac=53:54:00:00:00:01",
		  "mac=53:54:00:00:00:01 is not a unicast MAC address" },
		{ "virtio-net,netdev=n0,mac=52:54:00:00:00",
		  "mac=52:54:00:00:00 is not a unicast MAC address" },
		{ "virtio-net,netdev=n0,mac=52:54:00:00:00:01,mac=52:54:00:00:00:01",
		  "mac= given twice" },
		{ "virtio-net,netdev=n0,transport=ccw", "transport=ccw is not pci or mmio" },
		{ "virtio-net,netdev=n0,transport=pci,transport=pci", "transport= given twice" },
		{ "virtio-net-pci,netdev=n0,transport=mmio",
		  "transport=mmio contradicts virtio-net-pci" },
		{ "virtio-net-device,netdev=n0,transport=pci",
		  "transport=pci contradicts virtio-net-device" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		bad_nic(cases[i].spec, cases[i].want);
}

static void test_parse_mac(void **state)
{
	static const char *const bad[] = {
		"", "52:54:00:12:34", "52:54:00:12:34:56:78", "52:54:00:12:34:5",
		"52:54:00:12:34:567", "52-54-00-12-34-56", "525400123456",
		"52:54:00:12:34:5g", " 52:54:00:12:34:56", "52:54:00:12:34:56 ",
		"5:254:00:12:34:56", "52:54:00:12:34:56:",
		"01:00:5e:00:00:01",	/* multicast */
		"ff:ff:ff:ff:ff:ff",	/* broadcast */
		"00:00:00:00:00:00",
	};
	static const u8 want[6] = { 0x52, 0x54, 0x00, 0x12, 0xab, 0xcd };
	u8 mac[6] = { 1, 2, 3, 4, 5, 6 }, keep[6];
	unsigned int i;

	assert_int_equal(parse_mac("52:54:00:12:ab:cd", mac), 0);
	assert_memory_equal(mac, want, 6);
	assert_int_equal(parse_mac("52:54:00:12:AB:Cd", mac), 0);
	assert_memory_equal(mac, want, 6);
	assert_int_equal(parse_mac("02:00:00:00:00:01", mac), 0);
	assert_int_equal(mac[0], 0x02);

	memcpy(keep, mac, 6);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (parse_mac(bad[i], mac) != -EINVAL)
			fail_msg("parse_mac(\"%s\") accepted", bad[i]);
		assert_memory_equal(mac, keep, 6);	/* untouched */
	}
}

static void assert_kvm_mac(const u8 mac[6])
{
	assert_int_equal(mac[0], 0x52);
	assert_int_equal(mac[1], 0x54);
	assert_int_equal(mac[2], 0x00);
	assert_int_equal(mac[0] & 1, 0);	/* unicast */
	assert_int_equal(mac[0] & 2, 2);	/* locally administered */
}

static void test_default_mac(void **state)
{
	u8 a[6], b[6], c[6], d[6], r1[6], r2[6];

	nic_default_mac("web", 0, a);
	nic_default_mac("web", 0, b);
	nic_default_mac("web", 1, c);
	nic_default_mac("db", 0, d);
	assert_kvm_mac(a);
	assert_kvm_mac(c);
	assert_kvm_mac(d);
	assert_memory_equal(a, b, 6);			/* stable */
	assert_memory_not_equal(a, c, 6);		/* per NIC */
	assert_memory_not_equal(a, d, 6);		/* per VM */
	/* Name and index must not run into each other. */
	nic_default_mac("web1", 0, b);
	assert_memory_not_equal(b, c, 6);
	assert_memory_not_equal(b, a, 6);

	nic_default_mac(NULL, 0, r1);
	nic_default_mac(NULL, 0, r2);
	assert_kvm_mac(r1);
	assert_kvm_mac(r2);
	/* Random tails: a clash is a 1 in 2^24 event. */
	assert_memory_not_equal(r1 + 3, r2 + 3, 3);
	/* A default MAC is one parse_mac accepts. */
	{
		char s[18];
		u8 back[6];

		snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", a[0],
			 a[1], a[2], a[3], a[4], a[5]);
		assert_int_equal(parse_mac(s, back), 0);
		assert_memory_equal(back, a, 6);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_netdev_defaults),
		cmocka_unit_test(test_netdev_tap_keys),
		cmocka_unit_test(test_netdev_switches),
		cmocka_unit_test(test_netdev_bridge),
		cmocka_unit_test(test_netdev_escapes),
		cmocka_unit_test(test_netdev_errors),
		cmocka_unit_test(test_netdev_error_line),
		cmocka_unit_test(test_nic),
		cmocka_unit_test(test_nic_errors),
		cmocka_unit_test(test_netdev_user),
		cmocka_unit_test(test_nic_shortcut),
		cmocka_unit_test(test_legacy_net),
		cmocka_unit_test(test_netdev_hubport),
		cmocka_unit_test(test_parse_mac),
		cmocka_unit_test(test_default_mac),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
