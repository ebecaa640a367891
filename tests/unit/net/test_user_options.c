// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net/user_options.h"

static char err[512];

static u32 ip(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		fail_msg("test bug: %s", s);
	return a.s_addr;
}

static void assert_ip6(const struct in6_addr *a, const char *want)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, s, sizeof(s));
	assert_string_equal(s, want);
}

/*
 * Feed "key=value;key=value;..." to user_cfg_key, then user_cfg_finish,
 * as net/options.c does; ';' separates so values may hold ',' freely.
 * Returns the first non-zero result.
 */
static int feed(struct user_cfg *cfg, const char *spec)
{
	char *buf = strdup(spec), *item, *save = NULL, *eq;
	int ret = 0;

	assert_non_null(buf);
	user_cfg_init(cfg);
	err[0] = '\0';
	for (item = strtok_r(buf, ";", &save); item && !ret;
	     item = strtok_r(NULL, ";", &save)) {
		eq = strchr(item, '=');
		if (eq)
			*eq = '\0';
		ret = user_cfg_key(cfg, item, eq ? eq + 1 : NULL, err,
				   sizeof(err));
	}
	if (!ret)
		ret = user_cfg_finish(cfg, err, sizeof(err));
	free(buf);
	return ret;
}

static void good(const char *spec, struct user_cfg *cfg)
{
	int ret = feed(cfg, spec);

	if (ret)
		fail_msg("\"%s\" = %d: %s", spec, ret, err);
	assert_string_equal(err, "");
}

/* spec must fail with -EINVAL and one line that contains want. */
static void bad(const char *spec, const char *want)
{
	struct user_cfg cfg;
	int ret = feed(&cfg, spec);

	if (ret != -EINVAL || !strstr(err, want) || strchr(err, '\n'))
		fail_msg("\"%s\" = %d, said \"%s\", wanted one line with \"%s\"",
			 spec, ret, err, want);
	user_cfg_free(&cfg);
}

static void assert_defaults6(const struct user_cfg *cfg)
{
	assert_true(cfg->ipv6);
	assert_ip6(&cfg->ipv6_net, "fec0::");
	assert_int_equal(cfg->ipv6_prefix, 64);
	assert_ip6(&cfg->ipv6_host, "fec0::2");
	assert_ip6(&cfg->ipv6_dns, "fec0::3");
}

static void test_defaults(void **state)
{
	struct user_cfg cfg;

	good("", &cfg);
	assert_int_equal(cfg.net.s_addr, ip("10.0.2.0"));
	assert_int_equal(cfg.mask.s_addr, ip("255.255.255.0"));
	assert_int_equal(cfg.host.s_addr, ip("10.0.2.2"));
	assert_int_equal(cfg.dhcpstart.s_addr, ip("10.0.2.15"));
	assert_int_equal(cfg.dns.s_addr, ip("10.0.2.3"));
	assert_false(cfg.restrict_);
	assert_null(cfg.hostname);
	assert_null(cfg.domainname);
	assert_null(cfg.tftp);
	assert_null(cfg.tftp_server_name);
	assert_null(cfg.bootfile);
	assert_int_equal(cfg.nr_dnssearch, 0);
	assert_int_equal(cfg.nr_hostfwd, 0);
	assert_int_equal(cfg.nr_guestfwd, 0);
	assert_true(cfg.ipv4);
	assert_defaults6(&cfg);
	user_cfg_free(&cfg);

	/* init alone has the same values, before finish. */
	user_cfg_init(&cfg);
	assert_int_equal(cfg.host.s_addr, ip("10.0.2.2"));
	assert_int_equal(cfg.dns.s_addr, ip("10.0.2.3"));
	assert_defaults6(&cfg);
	user_cfg_free(&cfg);
}

static void check_net(const char *spec, const char *net, const char *mask,
		      const char *host, const char *dhcp, const char *dns)
{
	struct user_cfg cfg;

	good(spec, &cfg);
	if (cfg.net.s_addr != ip(net) || cfg.mask.s_addr != ip(mask) ||
	    cfg.host.s_addr != ip(host) || cfg.dhcpstart.s_addr != ip(dhcp) ||
	    cfg.dns.s_addr != ip(dns)) {
		char n[16], m[16], h[16], d[16], s[16];

		inet_ntop(AF_INET, &cfg.net, n, sizeof(n));
		inet_ntop(AF_INET, &cfg.mask, m, sizeof(m));
		inet_ntop(AF_INET, &cfg.host, h, sizeof(h));
		inet_ntop(AF_INET, &cfg.dhcpstart, d, sizeof(d));
		inet_ntop(AF_INET, &cfg.dns, s, sizeof(s));
		fail_msg("%s: got %s/%s host %s dhcp %s dns %s", spec, n, m, h,
			 d, s);
	}
	user_cfg_free(&cfg);
}

static void test_net(void **state)
{
	/* Prefix lengths; the address is masked to the network. */
	check_net("net=192.168.76.0/24", "192.168.76.0", "255.255.255.0",
		  "192.168.76.2", "192.168.76.15", "192.168.76.3");
	check_net("net=10.0.2.99/24", "10.0.2.0", "255.255.255.0",
		  "10.0.2.2", "10.0.2.15", "10.0.2.3");
	check_net("net=10.9.8.0/27", "10.9.8.0", "255.255.255.224",
		  "10.9.8.2", "10.9.8.15", "10.9.8.3");
	/* QEMU's defaults are 10.0.2.x seen through the mask... */
	check_net("net=10.0.0.0/8", "10.0.0.0", "255.0.0.0", "10.0.2.2",
		  "10.0.2.15", "10.0.2.3");
	check_net("net=172.20.0.0/16", "172.20.0.0", "255.255.0.0",
		  "172.20.2.2", "172.20.2.15", "172.20.2.3");
	check_net("net=10.1.4.0/22", "10.1.4.0", "255.255.252.0",
		  "10.1.6.2", "10.1.6.15", "10.1.6.3");
	/* ... which is net + x from /23 on. */
	check_net("net=10.1.4.0/23", "10.1.4.0", "255.255.254.0",
		  "10.1.4.2", "10.1.4.15", "10.1.4.3");
	check_net("net=0.0.0.0/0", "0.0.0.0", "0.0.0.0", "0.0.2.2",
		  "0.0.2.15", "0.0.2.3");

	/* Dotted masks. */
	check_net("net=10.0.2.0/255.255.255.0", "10.0.2.0", "255.255.255.0",
		  "10.0.2.2", "10.0.2.15", "10.0.2.3");
	check_net("net=10.7.31.0/255.255.240.0", "10.7.16.0",
		  "255.255.240.0", "10.7.18.2", "10.7.18.15", "10.7.18.3");
	check_net("net=10.0.2.0/255.255.255.248;dhcpstart=10.0.2.4",
		  "10.0.2.0", "255.255.255.248", "10.0.2.2", "10.0.2.4",
		  "10.0.2.3");
}

static void test_net_classful(void **state)
{
	static const struct {
		const char *addr, *net, *mask;
	} cases[] = {
		{ "10.1.2.3", "10.0.0.0", "255.0.0.0" },	/* class A */
		{ "127.0.0.1", "127.0.0.0", "255.0.0.0" },
		{ "172.16.5.0", "172.16.0.0", "255.240.0.0" },
		{ "172.31.9.9", "172.16.0.0", "255.240.0.0" },
		{ "172.32.1.0", "172.32.0.0", "255.255.0.0" },	/* class B */
		{ "128.1.2.3", "128.1.0.0", "255.255.0.0" },
		{ "191.255.1.0", "191.255.0.0", "255.255.0.0" },
		{ "192.168.76.0", "192.168.0.0", "255.255.0.0" },
		{ "198.18.7.0", "198.18.0.0", "255.254.0.0" },
		{ "198.19.1.0", "198.19.1.0", "255.255.255.240" },
		{ "224.1.2.0", "224.1.2.0", "255.255.255.0" },
		{ "192.0.2.99", "192.0.2.96", "255.255.255.240" },
	};
	struct user_cfg cfg;
	char spec[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		user_cfg_init(&cfg);
		snprintf(spec, sizeof(spec), "%s", cases[i].addr);
		assert_int_equal(user_cfg_key(&cfg, "net", spec, err,
					      sizeof(err)), 0);
		if (cfg.net.s_addr != ip(cases[i].net) ||
		    cfg.mask.s_addr != ip(cases[i].mask))
			fail_msg("net=%s: wrong network or mask", spec);
		user_cfg_free(&cfg);
	}

	check_net("net=10.1.2.3", "10.0.0.0", "255.0.0.0", "10.0.2.2",
		  "10.0.2.15", "10.0.2.3");
	check_net("net=192.168.76.0", "192.168.0.0", "255.255.0.0",
		  "192.168.2.2", "192.168.2.15", "192.168.2.3");
	check_net("net=172.17.0.0", "172.16.0.0", "255.240.0.0",
		  "172.16.2.2", "172.16.2.15", "172.16.2.3");
	/* The rest of class C is a /28 under QEMU: no room for .15. */
	bad("net=192.0.2.0",
	    "dhcpstart=192.0.2.15 (the default) is the broadcast address of net 192.0.2.0/28");
}

static void test_addresses(void **state)
{
	struct user_cfg cfg;

	good("host=10.0.2.1;dhcpstart=10.0.2.100;dns=10.0.2.254", &cfg);
	assert_int_equal(cfg.host.s_addr, ip("10.0.2.1"));
	assert_int_equal(cfg.dhcpstart.s_addr, ip("10.0.2.100"));
	assert_int_equal(cfg.dns.s_addr, ip("10.0.2.254"));
	user_cfg_free(&cfg);

	/* Given before net=, checked against the final net. */
	good("host=192.168.9.1;net=192.168.9.0/24", &cfg);
	assert_int_equal(cfg.host.s_addr, ip("192.168.9.1"));
	assert_int_equal(cfg.dhcpstart.s_addr, ip("192.168.9.15"));
	assert_int_equal(cfg.dns.s_addr, ip("192.168.9.3"));
	user_cfg_free(&cfg);

	/* Only what is not given takes a default. */
	good("net=10.5.0.0/16;dns=10.5.0.53", &cfg);
	assert_int_equal(cfg.host.s_addr, ip("10.5.2.2"));
	assert_int_equal(cfg.dhcpstart.s_addr, ip("10.5.2.15"));
	assert_int_equal(cfg.dns.s_addr, ip("10.5.0.53"));
	user_cfg_free(&cfg);
}

static void test_strings(void **state)
{
	static const struct {
		const char *val;
		bool on;
	} bools[] = {
		{ "on", true }, { "yes", true }, { "true", true },
		{ "y", true }, { "off", false }, { "no", false },
		{ "false", false }, { "n", false },
	};
	struct user_cfg cfg;
	char spec[64];
	unsigned int i;

	good("hostname=guest-1;domainname=example.test.;tftp=/srv/tftp dir;"
	     "tftp-server-name=boot.example.test;bootfile=pxelinux.0;"
	     "dnssearch=a.example;dnssearch=b_x.example;restrict=on", &cfg);
	assert_string_equal(cfg.hostname, "guest-1");
	assert_string_equal(cfg.domainname, "example.test.");
	assert_string_equal(cfg.tftp, "/srv/tftp dir");
	assert_string_equal(cfg.tftp_server_name, "boot.example.test");
	assert_string_equal(cfg.bootfile, "pxelinux.0");
	assert_int_equal(cfg.nr_dnssearch, 2);
	assert_string_equal(cfg.dnssearch[0], "a.example");
	assert_string_equal(cfg.dnssearch[1], "b_x.example");
	assert_true(cfg.restrict_);
	user_cfg_free(&cfg);

	for (i = 0; i < ARRAY_SIZE(bools); i++) {
		snprintf(spec, sizeof(spec), "restrict=%s", bools[i].val);
		good(spec, &cfg);
		assert_int_equal(cfg.restrict_, bools[i].on);
		user_cfg_free(&cfg);
	}

	/* The longest names that fit. */
	{
		char name[300], boot[200];

		memset(name, 'a', 63);
		strcpy(name + 63, ".");
		memset(name + 64, 'b', 63);
		strcpy(name + 127, ".");
		memset(name + 128, 'c', 63);
		strcpy(name + 191, ".");
		memset(name + 192, 'd', 61);		/* 253 in all */
		name[253] = '\0';
		memset(boot, 'f', 127);
		boot[127] = '\0';
		user_cfg_init(&cfg);
		assert_int_equal(user_cfg_key(&cfg, "hostname", name, err,
					      sizeof(err)), 0);
		assert_int_equal(user_cfg_key(&cfg, "bootfile", boot, err,
					      sizeof(err)), 0);
		assert_string_equal(cfg.hostname, name);
		user_cfg_free(&cfg);

		strcpy(name + 253, "d");
		user_cfg_init(&cfg);
		assert_int_equal(user_cfg_key(&cfg, "hostname", name, err,
					      sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "is not a domain name"));
		strcpy(boot + 127, "f");
		assert_int_equal(user_cfg_key(&cfg, "bootfile", boot, err,
					      sizeof(err)), -EINVAL);
		assert_string_equal(err,
				    "bootfile= is longer than 127 bytes (BOOTP's file field)");
		assert_null(cfg.bootfile);
		user_cfg_free(&cfg);
	}
}

static void test_hostfwd(void **state)
{
	struct user_cfg cfg;
	const struct user_hostfwd *f;

	good("hostfwd=tcp::2222-:22;hostfwd=udp:127.0.0.1:5353-10.0.2.15:53;"
	     "hostfwd=::8080-:80;hostfwd=tcp:0.0.0.0:65535-10.0.2.20:1",
	     &cfg);
	assert_int_equal(cfg.nr_hostfwd, 4);
	f = &cfg.hostfwd[0];
	assert_false(f->udp);
	assert_int_equal(f->host_addr.s_addr, htonl(INADDR_ANY));
	assert_int_equal(f->host_port, 2222);
	assert_int_equal(f->guest_addr.s_addr, 0);
	assert_int_equal(f->guest_port, 22);
	f = &cfg.hostfwd[1];
	assert_true(f->udp);
	assert_int_equal(f->host_addr.s_addr, ip("127.0.0.1"));
	assert_int_equal(f->host_port, 5353);
	assert_int_equal(f->guest_addr.s_addr, ip("10.0.2.15"));
	assert_int_equal(f->guest_port, 53);
	f = &cfg.hostfwd[2];
	assert_false(f->udp);	/* an empty protocol is tcp */
	assert_int_equal(f->host_port, 8080);
	assert_int_equal(f->guest_port, 80);
	f = &cfg.hostfwd[3];
	assert_int_equal(f->host_port, 65535);
	assert_int_equal(f->guest_addr.s_addr, ip("10.0.2.20"));
	assert_int_equal(f->guest_port, 1);
	user_cfg_free(&cfg);

	/* Same port, other protocol or other host address: two rules. */
	good("hostfwd=tcp::2222-:22;hostfwd=udp::2222-:22;"
	     "hostfwd=tcp:127.0.0.1:2222-:22", &cfg);
	assert_int_equal(cfg.nr_hostfwd, 3);
	user_cfg_free(&cfg);

	/* Leading zeros are still decimal. */
	good("hostfwd=tcp::02222-:022", &cfg);
	assert_int_equal(cfg.hostfwd[0].host_port, 2222);
	assert_int_equal(cfg.hostfwd[0].guest_port, 22);
	user_cfg_free(&cfg);
}

static void test_parse_hostfwd(void **state)
{
	static const struct {
		const char *rule, *want;
	} cases[] = {
		{ "tcp::0-:22", "host port 0 is not 1-65535" },
		{ "tcp::65536-:22", "host port 65536 is not 1-65535" },
		{ "tcp::22x-:22", "host port 22x is not 1-65535" },
		{ "tcp::-1-:22", "host port is missing" },
		{ "tcp::0x16-:22", "host port 0x16 is not 1-65535" },
		{ "tcp:: 22-:22", "host port  22 is not 1-65535" },
		{ "tcp::2222-:0", "guest port 0 is not 1-65535" },
		{ "tcp::2222-:65536", "guest port 65536 is not 1-65535" },
		{ "tcp::2222-:", "guest port is missing" },
		{ "tcp::2222-:+22", "guest port +22 is not 1-65535" },
		{ "tcp::2222", "no '-' between the host and guest sides" },
		{ "tcp::2222:22", "no '-' between" },
		{ "", "no '-' between" },
		{ "sctp::2222-:22", "protocol sctp is not tcp or udp" },
		{ "TCP::2222-:22", "protocol TCP is not tcp or udp" },
		{ "tcp:1.2.3:2222-:22",
		  "host address 1.2.3 is not an IPv4 address" },
		{ "tcp:localhost:2222-:22", "host address localhost is not" },
		{ "tcp:1.2.3.4:2222-10.0.2.256:22",
		  "guest address 10.0.2.256 is not an IPv4 address" },
		{ "tcp:[::1]:2222-:22", "host side tcp:[::1]:2222 is not" },
		{ "2222-:22",
		  "host side 2222 is not [tcp|udp]:[HOSTADDR]:HOSTPORT" },
		{ ":2222-:22", "host side :2222 is not" },
		{ "tcp:::2222-:22", "host side tcp:::2222 is not" },
		{ "tcp::2222-22",
		  "guest side 22 is not [GUESTADDR]:GUESTPORT" },
		{ "tcp::2222-a:b:22", "guest side a:b:22 is not" },
	};
	struct user_hostfwd f, keep;
	unsigned int i;
	int ret;

	assert_int_equal(user_parse_hostfwd("udp:127.0.0.1:6000-10.0.2.9:7000",
					    &f, err, sizeof(err)), 0);
	assert_true(f.udp);
	assert_int_equal(f.host_addr.s_addr, ip("127.0.0.1"));
	assert_int_equal(f.host_port, 6000);
	assert_int_equal(f.guest_addr.s_addr, ip("10.0.2.9"));
	assert_int_equal(f.guest_port, 7000);
	assert_int_equal(user_parse_hostfwd(":1.2.3.4:1-:1", &f, err,
					    sizeof(err)), 0);
	assert_false(f.udp);
	assert_int_equal(f.host_addr.s_addr, ip("1.2.3.4"));
	assert_int_equal(f.guest_addr.s_addr, 0);

	keep = f;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		ret = user_parse_hostfwd(cases[i].rule, &f, err, sizeof(err));
		if (ret != -EINVAL || !strstr(err, cases[i].want))
			fail_msg("\"%s\" = %d, said \"%s\", wanted \"%s\"",
				 cases[i].rule, ret, err, cases[i].want);
		/* Alone, the message is only what is wrong. */
		assert_null(strstr(err, "hostfwd="));
		assert_memory_equal(&f, &keep, sizeof(f));
	}

	/* A short err buffer is cut, not overrun; a NULL one is fine. */
	memset(err, 'x', sizeof(err));
	assert_int_equal(user_parse_hostfwd("tcp::0-:22", &f, err, 5), -EINVAL);
	assert_string_equal(err, "host");
	assert_int_equal(user_parse_hostfwd("tcp::0-:22", &f, NULL, 0),
			 -EINVAL);
}

static void test_guestfwd(void **state)
{
	struct user_cfg cfg;
	const struct user_guestfwd *g;

	good("guestfwd=tcp:10.0.2.100:8080-cmd:nc -q 1 example.org 80;"
	     "guestfwd=:10.0.2.101:4444-cmd:sh -c 'echo a:b-c && date';"
	     "guestfwd=tcp:10.0.2.102:5000-tcp:127.0.0.1:5001;"
	     "guestfwd=::6000-tcp:db.example:6001;"
	     "guestfwd=tcp:10.0.2.103:7000-tcp:[::1]:7001", &cfg);
	assert_int_equal(cfg.nr_guestfwd, 5);
	g = &cfg.guestfwd[0];
	assert_int_equal(g->addr.s_addr, ip("10.0.2.100"));
	assert_int_equal(g->port, 8080);
	assert_string_equal(g->cmd, "nc -q 1 example.org 80");
	assert_null(g->host);
	g = &cfg.guestfwd[1];
	assert_int_equal(g->port, 4444);
	assert_string_equal(g->cmd, "sh -c 'echo a:b-c && date'");
	g = &cfg.guestfwd[2];
	assert_null(g->cmd);
	assert_string_equal(g->host, "127.0.0.1");
	assert_int_equal(g->host_port, 5001);
	g = &cfg.guestfwd[3];
	assert_int_equal(g->addr.s_addr, 0);	/* libslirp picks */
	assert_int_equal(g->port, 6000);
	assert_string_equal(g->host, "db.example");
	assert_int_equal(g->host_port, 6001);
	g = &cfg.guestfwd[4];
	assert_string_equal(g->host, "::1");
	assert_int_equal(g->host_port, 7001);
	user_cfg_free(&cfg);
	assert_int_equal(cfg.nr_guestfwd, 0);

	/* Same port on other addresses is fine. */
	good("guestfwd=tcp:10.0.2.100:80-cmd:a;"
	     "guestfwd=tcp:10.0.2.101:80-cmd:b", &cfg);
	user_cfg_free(&cfg);
	/* Its address follows net= and the defaults it leaves. */
	good("net=192.168.5.0/24;guestfwd=tcp:192.168.5.9:80-cmd:x", &cfg);
	user_cfg_free(&cfg);
}

static void test_ipv6(void **state)
{
	struct user_cfg cfg;

	good("ipv6-net=fd00:1:2:3::/64", &cfg);
	assert_ip6(&cfg.ipv6_net, "fd00:1:2:3::");
	assert_int_equal(cfg.ipv6_prefix, 64);
	assert_ip6(&cfg.ipv6_host, "fd00:1:2:3::2");
	assert_ip6(&cfg.ipv6_dns, "fd00:1:2:3::3");
	user_cfg_free(&cfg);

	/* No length: 64. The address is masked to its prefix. */
	good("ipv6-net=fd00::1234", &cfg);
	assert_ip6(&cfg.ipv6_net, "fd00::");
	assert_int_equal(cfg.ipv6_prefix, 64);
	assert_ip6(&cfg.ipv6_host, "fd00::2");
	user_cfg_free(&cfg);
	good("ipv6-net=fd12:3456:789a::ffff/36", &cfg);
	assert_ip6(&cfg.ipv6_net, "fd12:3456:7000::");
	assert_int_equal(cfg.ipv6_prefix, 36);
	user_cfg_free(&cfg);
	good("ipv6-net=fd00::/126", &cfg);
	assert_ip6(&cfg.ipv6_host, "fd00::2");
	assert_ip6(&cfg.ipv6_dns, "fd00::3");
	user_cfg_free(&cfg);
	good("ipv6-net=::/1", &cfg);
	user_cfg_free(&cfg);

	/* QEMU's older spelling, in either order. */
	good("ipv6-prefixlen=48;ipv6-prefix=fd00:aa:bb::", &cfg);
	assert_ip6(&cfg.ipv6_net, "fd00:aa:bb::");
	assert_int_equal(cfg.ipv6_prefix, 48);
	assert_ip6(&cfg.ipv6_dns, "fd00:aa:bb::3");
	user_cfg_free(&cfg);
	good("ipv6-prefixlen=56", &cfg);
	assert_ip6(&cfg.ipv6_net, "fec0::");
	assert_int_equal(cfg.ipv6_prefix, 56);
	user_cfg_free(&cfg);

	good("ipv6-net=fd00::/64;ipv6-host=fd00::1;ipv6-dns=fd00::53", &cfg);
	assert_ip6(&cfg.ipv6_host, "fd00::1");
	assert_ip6(&cfg.ipv6_dns, "fd00::53");
	user_cfg_free(&cfg);
	good("ipv6-dns=fec0::ffff:1", &cfg);
	assert_ip6(&cfg.ipv6_host, "fec0::2");
	assert_ip6(&cfg.ipv6_dns, "fec0::ffff:1");
	user_cfg_free(&cfg);
}

static void test_protocols(void **state)
{
	struct user_cfg cfg;

	good("ipv4=on;ipv6=on", &cfg);
	assert_true(cfg.ipv4);
	assert_true(cfg.ipv6);
	user_cfg_free(&cfg);
	good("ipv6=off", &cfg);
	assert_true(cfg.ipv4);
	assert_false(cfg.ipv6);
	user_cfg_free(&cfg);
	good("ipv4=no;ipv6-net=fd00::/64", &cfg);
	assert_false(cfg.ipv4);
	assert_true(cfg.ipv6);
	user_cfg_free(&cfg);
	/* QEMU: one of them turned on alone means only that one. */
	good("ipv4=on", &cfg);
	assert_true(cfg.ipv4);
	assert_false(cfg.ipv6);
	user_cfg_free(&cfg);
	good("ipv6=true", &cfg);
	assert_false(cfg.ipv4);
	assert_true(cfg.ipv6);
	user_cfg_free(&cfg);
	good("ipv4=on;ipv6=off;net=10.3.0.0/16", &cfg);
	assert_false(cfg.ipv6);
	user_cfg_free(&cfg);
}

static void test_errors(void **state)
{
	static const struct {
		const char *spec;
		const char *want;
	} cases[] = {
		/* net= */
		{ "net=10.0.2.0/33",
		  "net=10.0.2.0/33: /33 is not a prefix length (0-32) or netmask" },
		{ "net=10.0.2.0/", "net=10.0.2.0/: / is not a prefix length" },
		{ "net=10.0.2.0/-1", "/-1 is not a prefix length" },
		{ "net=10.0.2.0/24x", "/24x is not a prefix length" },
		{ "net=10.0.2.0/255.255.0",
		  "/255.255.0 is not a prefix length" },
		{ "net=10.0.2.0/255.0.255.0",
		  "net=10.0.2.0/255.0.255.0: 255.0.255.0 is not a contiguous netmask" },
		{ "net=10.0.2.0/0.0.0.255", "0.0.0.255 is not a contiguous" },
		{ "net=10.0.2/24",
		  "net=10.0.2/24: 10.0.2 is not an IPv4 address" },
		{ "net=10.0.2.256", "10.0.2.256 is not an IPv4 address" },
		{ "net=/24", "net=/24:  is not an IPv4 address" },
		{ "net=fec0::/64", "fec0:: is not an IPv4 address" },
		{ "net=10.0.2.0/24/24", "/24/24 is not a prefix length" },
		{ "net=", "net= is empty" },
		{ "net=10.0.2.0/24;net=10.0.3.0/24",
		  "net=10.0.3.0/24: net= given twice" },
		/* host=, dhcpstart=, dns= */
		{ "host=10.0.2", "host=10.0.2 is not an IPv4 address" },
		{ "dns=x", "dns=x is not an IPv4 address" },
		{ "dhcpstart=10.0.2.15/24",
		  "dhcpstart=10.0.2.15/24 is not an IPv4" },
		{ "dhcpstart=10.0.3.15",
		  "dhcpstart=10.0.3.15 is outside net 10.0.2.0/24" },
		{ "host=10.0.3.2", "host=10.0.3.2 is outside net 10.0.2.0/24" },
		{ "dns=192.168.1.1",
		  "dns=192.168.1.1 is outside net 10.0.2.0/24" },
		{ "host=10.0.2.0",
		  "host=10.0.2.0 is the network address of net 10.0.2.0/24" },
		{ "dns=10.0.2.255",
		  "dns=10.0.2.255 is the broadcast address of net 10.0.2.0/24" },
		{ "dhcpstart=10.0.2.255",
		  "dhcpstart=10.0.2.255 is the broadcast" },
		{ "net=10.0.2.0/24;host=10.0.2.2;host=10.0.2.2",
		  "host= given twice" },
		{ "dns=10.0.2.3;dns=10.0.2.3",
		  "dns=10.0.2.3: dns= given twice" },
		/* the defaults, when net= leaves no room for them */
		{ "net=10.0.2.0/30",
		  "dns=10.0.2.3 (the default) is the broadcast address of net 10.0.2.0/30" },
		{ "net=10.0.2.0/31",
		  "host=10.0.2.0 (the default) is the network address of net 10.0.2.0/31" },
		{ "net=10.0.2.4/32",
		  "host=10.0.2.4 (the default) is the network address of net 10.0.2.4/32" },
		{ "net=10.0.2.0/29",
		  "dhcpstart=10.0.2.7 (the default) is the broadcast address of net 10.0.2.0/29" },
		/* host, dns and dhcpstart must differ */
		{ "dns=10.0.2.2",
		  "host=10.0.2.2 (the default) and dns=10.0.2.2 must differ" },
		{ "dhcpstart=10.0.2.2",
		  "host=10.0.2.2 (the default) and dhcpstart=10.0.2.2 must differ" },
		{ "dhcpstart=10.0.2.3",
		  "dns=10.0.2.3 (the default) and dhcpstart=10.0.2.3 must differ" },
		{ "host=10.0.2.15",
		  "host=10.0.2.15 and dhcpstart=10.0.2.15 (the default) must differ" },
		{ "host=10.0.2.9;dns=10.0.2.9",
		  "host=10.0.2.9 and dns=10.0.2.9 must differ" },
		/* booleans */
		{ "restrict=maybe", "restrict=maybe is not on or off" },
		{ "restrict=ON", "restrict=ON is not on or off" },
		{ "restrict=1", "restrict=1 is not on or off" },
		{ "restrict=", "restrict= is empty" },
		{ "restrict=on;restrict=off", "restrict= given twice" },
		{ "ipv4=y", "ipv4=y is not on or off" },
		{ "ipv6=n", "ipv6=n is not on or off" },
		{ "ipv4=on;ipv4=on", "ipv4= given twice" },
		/* names */
		{ "hostname=", "hostname= is empty" },
		{ "hostname=a b", "hostname=a b is not a domain name" },
		{ "hostname=a..b", "hostname=a..b is not a domain name" },
		{ "hostname=.a", "hostname=.a is not a domain name" },
		{ "hostname=.", "hostname=. is not a domain name" },
		{ "hostname=a/b", "hostname=a/b is not a domain name" },
		{ "hostname=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "is not a domain name" },	/* a 64-byte label */
		{ "hostname=a;hostname=b",
		  "hostname=b: hostname= given twice" },
		{ "domainname=", "domainname= is empty" },
		{ "domainname=ex ample",
		  "domainname=ex ample is not a domain name" },
		{ "domainname=a;domainname=a", "domainname= given twice" },
		{ "tftp-server-name=a:b",
		  "tftp-server-name=a:b is not a domain name" },
		{ "tftp-server-name=a;tftp-server-name=b",
		  "tftp-server-name= given twice" },
		{ "dnssearch=", "dnssearch= is empty" },
		{ "dnssearch=ok.example;dnssearch=bad name",
		  "dnssearch=bad name is not a domain name" },
		{ "tftp=", "tftp= is empty" },
		{ "tftp=/a;tftp=/b", "tftp=/b: tftp= given twice" },
		{ "bootfile=", "bootfile= is empty" },
		{ "bootfile=a;bootfile=b", "bootfile= given twice" },
		/* hostfwd= */
		{ "hostfwd=tcp::0-:22",
		  "hostfwd=tcp::0-:22: host port 0 is not 1-65535" },
		{ "hostfwd=tcp::70000-:22",
		  "hostfwd=tcp::70000-:22: host port 70000 is not 1-65535" },
		{ "hostfwd=tcp::65536-:22", "host port 65536 is not 1-65535" },
		{ "hostfwd=tcp::2222-:0",
		  "hostfwd=tcp::2222-:0: guest port 0 is not 1-65535" },
		{ "hostfwd=tcp::2222-:99999",
		  "guest port 99999 is not 1-65535" },
		{ "hostfwd=tcp::ssh-:22", "host port ssh is not 1-65535" },
		{ "hostfwd=tcp::2222:22",
		  "hostfwd=tcp::2222:22: no '-' between the host and guest sides" },
		{ "hostfwd=icmp::2222-:22",
		  "hostfwd=icmp::2222-:22: protocol icmp is not tcp or udp" },
		{ "hostfwd=tcp:300.1.1.1:2222-:22",
		  "host address 300.1.1.1 is not an IPv4 address" },
		{ "hostfwd=tcp::2222-10.0.2:22",
		  "guest address 10.0.2 is not an IPv4 address" },
		{ "hostfwd=", "hostfwd= is empty" },
		{ "hostfwd=tcp::2222-10.0.3.15:22",
		  "hostfwd=tcp::2222-10.0.3.15:22: guest address 10.0.3.15 is outside net 10.0.2.0/24" },
		{ "hostfwd=tcp::2222-10.0.2.255:22",
		  "guest address 10.0.2.255 is the broadcast address" },
		{ "hostfwd=tcp::2222-:22;hostfwd=:0.0.0.0:2222-:23",
		  "hostfwd=tcp::2222-:23: host side tcp::2222 is forwarded twice" },
		{ "hostfwd=udp:127.0.0.1:53-:53;hostfwd=udp:127.0.0.1:53-:54",
		  "host side udp:127.0.0.1:53 is forwarded twice" },
		{ "ipv4=off;hostfwd=tcp::2222-:22",
		  "hostfwd=tcp::2222-:22: forwards need IPv4, which is off" },
		/* guestfwd= */
		{ "guestfwd=tcp:10.0.2.100:8080",
		  "guestfwd=tcp:10.0.2.100:8080: no '-' before the target" },
		{ "guestfwd=udp:10.0.2.100:53-cmd:x",
		  "guestfwd=udp:10.0.2.100:53-cmd:x: protocol udp is not tcp" },
		{ "guestfwd=tcp:10.0.2.100:8080-cmd:", "cmd: has no command" },
		{ "guestfwd=tcp:10.0.2.100:8080-exec:ls",
		  "guestfwd=tcp:10.0.2.100:8080-exec:ls: exec:ls is not cmd:COMMAND or tcp:HOST:PORT" },
		{ "guestfwd=tcp:10.0.2.100:8080-tcp:127.0.0.1",
		  "tcp:127.0.0.1 has no port (tcp:HOST:PORT)" },
		{ "guestfwd=tcp:10.0.2.100:8080-tcp:127.0.0.1:0",
		  "port 0 is not 1-65535" },
		{ "guestfwd=tcp:10.0.2.100:8080-tcp::80",
		  " is not a host name or address" },
		{ "guestfwd=tcp:10.0.2.100:8080-tcp:a b:80",
		  "a b is not a host name or address" },
		{ "guestfwd=tcp:10.0.2.100:8080-tcp:[zz]:80",
		  "[zz] is not a host name or address" },
		{ "guestfwd=tcp:10.0.2.100:0-cmd:x",
		  "guestfwd=tcp:10.0.2.100:0-cmd:x: port 0 is not 1-65535" },
		{ "guestfwd=tcp:10.0.2.100:70000-cmd:x",
		  "port 70000 is not 1-65535" },
		{ "guestfwd=tcp:10.0.2.100:-cmd:x", "port is missing" },
		{ "guestfwd=tcp:10.0.2:80-cmd:x",
		  "address 10.0.2 is not an IPv4 address" },
		{ "guestfwd=10.0.2.100:80-cmd:x",
		  "10.0.2.100:80 is not [tcp]:[ADDR]:PORT" },
		{ "guestfwd=tcp:10.0.3.100:80-cmd:x",
		  "guestfwd= address 10.0.3.100 is outside net 10.0.2.0/24" },
		{ "guestfwd=tcp:10.0.2.2:80-cmd:x",
		  "guestfwd= address 10.0.2.2 is the host address (host=)" },
		{ "guestfwd=tcp:10.0.2.3:80-cmd:x",
		  "guestfwd= address 10.0.2.3 is the DNS address (dns=)" },
		{ "guestfwd=tcp:10.0.2.255:80-cmd:x",
		  "10.0.2.255 is the broadcast address" },
		{ "dns=10.0.2.4;guestfwd=tcp::80-cmd:x",
		  "guestfwd= address 10.0.2.4 (the default) is the DNS address" },
		{ "guestfwd=tcp:10.0.2.4:80-cmd:a;guestfwd=tcp::80-cmd:b",
		  "guestfwd= 10.0.2.4:80 is forwarded twice" },
		{ "ipv6=on;guestfwd=tcp:10.0.2.100:80-cmd:x",
		  "forwards need IPv4, which is off" },
		/* ipv4= and ipv6= */
		{ "ipv4=off;ipv6=off",
		  "ipv4=off and ipv6=off leave the guest no network" },
		{ "ipv6=no;ipv4=false", "ipv4=off and ipv6=off" },
		{ "ipv4=off;net=10.1.0.0/16",
		  "net= is given but IPv4 is off (ipv4=off)" },
		{ "ipv4=off;dhcpstart=10.0.2.20",
		  "dhcpstart= is given but IPv4 is off" },
		{ "ipv6=on;dns=10.0.2.4",
		  "dns= is given but IPv4 is off (ipv6=on alone means IPv6 only)" },
		{ "ipv6=off;ipv6-host=fec0::5",
		  "ipv6-host= is given but IPv6 is off (ipv6=off)" },
		{ "ipv4=on;ipv6-net=fd00::/64",
		  "ipv6-net= is given but IPv6 is off (ipv4=on alone means IPv4 only)" },
		/* IPv6 */
		{ "ipv6-net=fd00::/127",
		  "ipv6-net=fd00::/127: /127 is not a prefix length (1-126)" },
		{ "ipv6-net=fd00::/0", "/0 is not a prefix length (1-126)" },
		{ "ipv6-net=fd00::/", "/ is not a prefix length" },
		{ "ipv6-net=fd00::/x", "/x is not a prefix length" },
		{ "ipv6-net=fd00::g/64",
		  "ipv6-net=fd00::g/64: fd00::g is not an IPv6 address" },
		{ "ipv6-net=10.0.2.0/24", "10.0.2.0 is not an IPv6 address" },
		{ "ipv6-net=fd00::/64;ipv6-net=fd01::/64",
		  "ipv6-net= given twice" },
		{ "ipv6-prefix=fd00::;ipv6-net=fd01::/64",
		  "ipv6-net= and ipv6-prefix=/ipv6-prefixlen= exclude each other" },
		{ "ipv6-net=fd01::/64;ipv6-prefixlen=48",
		  "ipv6-prefixlen=48: ipv6-net= and ipv6-prefixlen= exclude each other" },
		{ "ipv6-net=fd01::/64;ipv6-prefix=fd00::",
		  "ipv6-net= and ipv6-prefix= exclude each other" },
		{ "ipv6-prefix=fd00::x",
		  "ipv6-prefix=fd00::x is not an IPv6 address" },
		{ "ipv6-prefixlen=127",
		  "ipv6-prefixlen=127 is not a prefix length (1-126)" },
		{ "ipv6-prefixlen=0",
		  "ipv6-prefixlen=0 is not a prefix length" },
		{ "ipv6-prefixlen=64;ipv6-prefixlen=64",
		  "ipv6-prefixlen= given twice" },
		{ "ipv6-host=fec0::x",
		  "ipv6-host=fec0::x is not an IPv6 address" },
		{ "ipv6-dns=10.0.2.3",
		  "ipv6-dns=10.0.2.3 is not an IPv6 address" },
		{ "ipv6-host=fd00::2",
		  "ipv6-host=fd00::2 is outside ipv6-net fec0::/64" },
		{ "ipv6-net=fd00::/64;ipv6-dns=fd00:0:0:1::3",
		  "ipv6-dns=fd00:0:0:1::3 is outside ipv6-net fd00::/64" },
		{ "ipv6-prefixlen=120;ipv6-host=fec0::1:2",
		  "ipv6-host=fec0::1:2 is outside ipv6-net fec0::/120" },
		/* a key with no value */
		{ "net", "net needs a value (net=...)" },
		{ "hostfwd", "hostfwd needs a value" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		bad(cases[i].spec, cases[i].want);
}

/* The exact lines, as net/options.c will print them after its prefix. */
static void test_error_lines(void **state)
{
	struct user_cfg cfg;

	user_cfg_init(&cfg);
	assert_int_equal(user_cfg_key(&cfg, "hostfwd", "tcp::70000-:22", err,
				      sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "hostfwd=tcp::70000-:22: host port 70000 is not 1-65535");
	assert_int_equal(user_cfg_key(&cfg, "net", "10.0.2.0/33", err,
				      sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "net=10.0.2.0/33: /33 is not a prefix length (0-32) or netmask");
	assert_int_equal(user_cfg_key(&cfg, "dhcpstart", "10.0.3.15", err,
				      sizeof(err)), 0);
	assert_int_equal(user_cfg_finish(&cfg, err, sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "dhcpstart=10.0.3.15 is outside net 10.0.2.0/24");
	user_cfg_free(&cfg);
}

static void test_unknown_keys(void **state)
{
	static const char *const keys[] = {
		"id", "type", "smb", "smbserver", "ip", "ipv6-nett", "Net",
		"", "hostfwd ", "model",
	};
	struct user_cfg cfg;
	unsigned int i;

	user_cfg_init(&cfg);
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		strcpy(err, "untouched");
		assert_int_equal(user_cfg_key(&cfg, keys[i], "x", err,
					      sizeof(err)), 1);
		assert_string_equal(err, "untouched");
		assert_int_equal(user_cfg_key(&cfg, keys[i], NULL, err,
					      sizeof(err)), 1);
		assert_string_equal(err, "untouched");
	}
	/* ... and nothing was taken. */
	assert_int_equal(user_cfg_finish(&cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.net.s_addr, ip("10.0.2.0"));
	user_cfg_free(&cfg);
}

static void test_limits(void **state)
{
	struct user_cfg cfg;
	char val[64];
	unsigned int i;

	user_cfg_init(&cfg);
	for (i = 0; i < USER_MAX_FWD; i++) {
		snprintf(val, sizeof(val), "tcp::%u-:22", 2000 + i);
		assert_int_equal(user_cfg_key(&cfg, "hostfwd", val, err,
					      sizeof(err)), 0);
		snprintf(val, sizeof(val), "tcp:10.0.2.100:%u-cmd:true",
			 1000 + i);
		assert_int_equal(user_cfg_key(&cfg, "guestfwd", val, err,
					      sizeof(err)), 0);
	}
	for (i = 0; i < USER_MAX_DNSSEARCH; i++) {
		snprintf(val, sizeof(val), "d%u.example", i);
		assert_int_equal(user_cfg_key(&cfg, "dnssearch", val, err,
					      sizeof(err)), 0);
	}
	assert_int_equal(user_cfg_key(&cfg, "hostfwd", "tcp::3000-:22", err,
				      sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "hostfwd=tcp::3000-:22: more than 16 hostfwd= rules");
	assert_int_equal(user_cfg_key(&cfg, "guestfwd",
				      "tcp:10.0.2.100:3000-cmd:true", err,
				      sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "more than 16 guestfwd= rules"));
	assert_int_equal(user_cfg_key(&cfg, "dnssearch", "more.example", err,
				      sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "dnssearch=more.example: more than 8 dnssearch= domains");
	assert_int_equal(cfg.nr_hostfwd, USER_MAX_FWD);
	assert_int_equal(cfg.nr_guestfwd, USER_MAX_FWD);
	assert_int_equal(cfg.nr_dnssearch, USER_MAX_DNSSEARCH);
	assert_int_equal(user_cfg_finish(&cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.dnssearch[7], "d7.example");
	user_cfg_free(&cfg);
}

static void test_cfg_free(void **state)
{
	struct user_cfg cfg;

	good("hostname=h;domainname=d;dnssearch=a;dnssearch=b;tftp=/t;"
	     "tftp-server-name=s;bootfile=f;hostfwd=tcp::1-:2;"
	     "guestfwd=tcp:10.0.2.100:1-cmd:c;"
	     "guestfwd=tcp:10.0.2.101:1-tcp:h:2;net=10.0.0.0/8", &cfg);
	user_cfg_free(&cfg);
	assert_null(cfg.hostname);
	assert_null(cfg.domainname);
	assert_null(cfg.tftp);
	assert_null(cfg.tftp_server_name);
	assert_null(cfg.bootfile);
	assert_int_equal(cfg.nr_dnssearch, 0);
	assert_int_equal(cfg.nr_hostfwd, 0);
	assert_int_equal(cfg.nr_guestfwd, 0);
	assert_int_equal(cfg.net.s_addr, ip("10.0.2.0"));
	/* Twice is harmless, and the struct takes keys again. */
	user_cfg_free(&cfg);
	assert_int_equal(user_cfg_key(&cfg, "hostname", "again", err,
				      sizeof(err)), 0);
	assert_string_equal(cfg.hostname, "again");
	user_cfg_free(&cfg);

	/* After a failed key or finish, free still frees all. */
	bad("hostname=h;guestfwd=tcp:10.0.2.100:1-cmd:c;"
	    "guestfwd=tcp:10.0.2.100:1-tcp:x:1", "forwarded twice");
	bad("dnssearch=a;dnssearch=b c", "is not a domain name");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_net),
		cmocka_unit_test(test_net_classful),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_hostfwd),
		cmocka_unit_test(test_parse_hostfwd),
		cmocka_unit_test(test_guestfwd),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_protocols),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_lines),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_cfg_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
