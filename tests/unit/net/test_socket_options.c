// SPDX-License-Identifier: GPL-2.0
/*
 * --netdev socket, stream and dgram, parsed the whole way as the CLI
 * does it (net/options.c routes the keys to net/socket_options.c): each
 * good spelling and what it means, and each bad value rejected with one
 * line that repeats the option and names the bad part.
 */
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

static void good(const char *spec, struct netdev_cfg *cfg)
{
	int ret;

	capture_start();
	ret = netdev_parse(spec, cfg);
	capture_end();
	if (ret)
		fail_msg("netdev_parse(\"%s\") = %d: %s", spec, ret, err);
	assert_string_equal(err, "");
	/* No kernel data path and one queue pair, whatever the mode. */
	assert_int_equal(cfg->vhost, OPT_OFF);
	assert_int_equal(cfg->queues, 1);
}

/* spec fails with one line: "knit: --netdev SPEC: ...want..." */
static void bad(const char *spec, const char *want)
{
	struct netdev_cfg cfg;
	char head[1024];
	int ret;

	capture_start();
	ret = netdev_parse(spec, &cfg);
	capture_end();
	if (ret != -EINVAL || lines(err) != 1 || !strstr(err, want))
		fail_msg("netdev_parse(\"%s\") = %d, printed \"%s\", wanted one line with \"%s\"",
			 spec, ret, err, want);
	snprintf(head, sizeof(head), "knit: --netdev %s: ", spec);
	assert_memory_equal(err, head, strlen(head));
	/* Nothing is left to free after a failure. */
	assert_null(cfg.id);
	assert_null(cfg.socket.addr.host);
	assert_null(cfg.socket.addr.path);
	assert_null(cfg.socket.local.host);
	assert_null(cfg.socket.localaddr);
	netdev_cfg_free(&cfg);
}

static void assert_inet(const struct socket_addr *a, const char *host,
			u16 port)
{
	assert_int_equal(a->type, SOCKET_ADDR_INET);
	assert_non_null(a->host);
	assert_string_equal(a->host, host);
	assert_int_equal(a->port, port);
	assert_null(a->path);
}

static void assert_unix(const struct socket_addr *a, const char *path)
{
	assert_int_equal(a->type, SOCKET_ADDR_UNIX);
	assert_non_null(a->path);
	assert_string_equal(a->path, path);
	assert_null(a->host);
}

/* ---- socket ---- */

static void test_socket_listen(void **state)
{
	struct netdev_cfg cfg;

	good("socket,id=n0,listen=:5555", &cfg);
	assert_int_equal(cfg.type, NETDEV_SOCKET);
	assert_string_equal(cfg.id, "n0");
	assert_int_equal(cfg.socket.kind, SOCKET_KIND_SOCKET);
	assert_int_equal(cfg.socket.mode, SOCKET_LISTEN);
	assert_inet(&cfg.socket.addr, "", 5555);
	assert_int_equal(cfg.socket.local.type, SOCKET_ADDR_NONE);
	assert_int_equal(cfg.socket.reconnect_ms, 0);
	netdev_cfg_free(&cfg);

	good("socket,id=n0,listen=127.0.0.1:1", &cfg);
	assert_inet(&cfg.socket.addr, "127.0.0.1", 1);
	netdev_cfg_free(&cfg);

	good("type=socket,listen=[::1]:65535,id=a.b-c_d", &cfg);
	assert_int_equal(cfg.socket.mode, SOCKET_LISTEN);
	assert_inet(&cfg.socket.addr, "::1", 65535);
	assert_string_equal(cfg.id, "a.b-c_d");
	netdev_cfg_free(&cfg);

	good("socket,id=n0,listen=host-1.example.org:80", &cfg);
	assert_inet(&cfg.socket.addr, "host-1.example.org", 80);
	netdev_cfg_free(&cfg);
}

static void test_socket_connect(void **state)
{
	struct netdev_cfg cfg;

	good("socket,id=n0,connect=127.0.0.1:5555", &cfg);
	assert_int_equal(cfg.socket.mode, SOCKET_CONNECT);
	assert_inet(&cfg.socket.addr, "127.0.0.1", 5555);
	assert_int_equal(cfg.socket.reconnect_ms, 0);
	netdev_cfg_free(&cfg);

	good("socket,id=n0,connect=localhost:5555,reconnect=5", &cfg);
	assert_inet(&cfg.socket.addr, "localhost", 5555);
	assert_int_equal(cfg.socket.reconnect_ms, 5000);
	netdev_cfg_free(&cfg);

	good("socket,id=n0,connect=[fe80::1]:9,reconnect-ms=250", &cfg);
	assert_inet(&cfg.socket.addr, "fe80::1", 9);
	assert_int_equal(cfg.socket.reconnect_ms, 250);
	netdev_cfg_free(&cfg);

	good("socket,id=n0,connect=h:1,reconnect=0", &cfg);
	assert_int_equal(cfg.socket.reconnect_ms, 0);
	netdev_cfg_free(&cfg);

	good("socket,id=n0,connect=h:1,reconnect=86400", &cfg);
	assert_int_equal(cfg.socket.reconnect_ms, 86400000);
	netdev_cfg_free(&cfg);
}

static void test_socket_mcast(void **state)
{
	struct netdev_cfg cfg;

	good("socket,id=n0,mcast=230.0.0.1:1234", &cfg);
	assert_int_equal(cfg.socket.mode, SOCKET_MCAST);
	assert_inet(&cfg.socket.addr, "230.0.0.1", 1234);
	assert_int_equal(cfg.socket.local.type, SOCKET_ADDR_NONE);
	netdev_cfg_free(&cfg);

	good("socket,id=n0,mcast=239.255.255.255:1,localaddr=192.168.1.2",
	     &cfg);
	assert_int_equal(cfg.socket.mode, SOCKET_MCAST);
	assert_inet(&cfg.socket.local, "192.168.1.2", 0);
	netdev_cfg_free(&cfg);

	good("socket,id=n0,localaddr=127.0.0.1,mcast=224.0.0.251:5353", &cfg);
	assert_inet(&cfg.socket.addr, "224.0.0.251", 5353);
	assert_inet(&cfg.socket.local, "127.0.0.1", 0);
	netdev_cfg_free(&cfg);
}

static void test_socket_udp(void **state)
{
	struct netdev_cfg cfg;

	good("socket,id=n0,udp=10.0.0.2:5000,localaddr=:5001", &cfg);
	assert_int_equal(cfg.socket.mode, SOCKET_UDP);
	assert_inet(&cfg.socket.addr, "10.0.0.2", 5000);
	assert_inet(&cfg.socket.local, "", 5001);
	netdev_cfg_free(&cfg);

	good("socket,id=n0,localaddr=10.0.0.1:5001,udp=peer:5000", &cfg);
	assert_inet(&cfg.socket.addr, "peer", 5000);
	assert_inet(&cfg.socket.local, "10.0.0.1", 5001);
	netdev_cfg_free(&cfg);

	good("socket,id=n0,udp=[::1]:5000,localaddr=[::1]:5001", &cfg);
	assert_inet(&cfg.socket.addr, "::1", 5000);
	assert_inet(&cfg.socket.local, "::1", 5001);
	netdev_cfg_free(&cfg);
}

static void test_socket_bad(void **state)
{
	/* One way to connect, exactly. */
	bad("socket,id=n0", "one of listen=, connect=, mcast= or udp= is needed");
	bad("socket,id=n0,listen=:1,connect=h:2",
	    "listen= and connect= exclude each other");
	bad("socket,id=n0,connect=h:2,listen=:1",
	    "listen= and connect= exclude each other");
	bad("socket,id=n0,mcast=230.0.0.1:1,udp=h:2,localaddr=:3",
	    "mcast= and udp= exclude each other");
	bad("socket,id=n0,listen=:1,listen=:2", "listen=:2: listen= given twice");

	/* Ports. */
	bad("socket,id=n0,listen=5555", "listen=5555: the port is missing");
	bad("socket,id=n0,listen=:", "listen=:: the port is missing");
	bad("socket,id=n0,connect=h:", "connect=h:: the port is missing");
	bad("socket,id=n0,listen=:0", "listen=:0: port 0 is not 1-65535");
	bad("socket,id=n0,listen=:65536",
	    "listen=:65536: port 65536 is not 1-65535");
	bad("socket,id=n0,listen=:-1", "port -1 is not 1-65535");
	bad("socket,id=n0,listen=:55x", "port 55x is not 1-65535");
	bad("socket,id=n0,listen=: 55", "port  55 is not 1-65535");
	bad("socket,id=n0,listen=:0x10", "port 0x10 is not 1-65535");

	/* Hosts. */
	bad("socket,id=n0,connect=:5555", "connect=:5555: the host is missing");
	bad("socket,id=n0,udp=:5555,localaddr=:1",
	    "udp=:5555: the host is missing");
	bad("socket,id=n0,connect=bad_host:1",
	    "bad_host is not a host name or address");
	bad("socket,id=n0,connect=256.1.1.1:1",
	    "256.1.1.1 is not a host name or address");
	bad("socket,id=n0,connect=1.2.3:1", "1.2.3 is not a host name or address");
	bad("socket,id=n0,connect=a..b:1", "a..b is not a host name or address");
	bad("socket,id=n0,connect=-a:1", "-a is not a host name or address");
	bad("socket,id=n0,connect=::1:5555",
	    "an IPv6 address goes in brackets");
	bad("socket,id=n0,connect=[]:5555", "[] is not an IPv6 address");
	bad("socket,id=n0,connect=[foo]:5555",
	    "foo is not a host name or address");
	bad("socket,id=n0,connect=[1.2.3.4]:5555",
	    "1.2.3.4 is not a host name or address");

	/* mcast= and localaddr=. */
	bad("socket,id=n0,mcast=10.0.0.1:1234",
	    "mcast=10.0.0.1:1234: 10.0.0.1 is not an IPv4 multicast address");
	bad("socket,id=n0,mcast=foo:1234", "foo is not an IPv4 multicast address");
	bad("socket,id=n0,mcast=[ff02::1]:1234",
	    "ff02::1 is not an IPv4 multicast address");
	bad("socket,id=n0,mcast=230.0.0.1:0", "port 0 is not 1-65535");
	bad("socket,id=n0,mcast=230.0.0.1:1,localaddr=foo",
	    "localaddr=foo is not an IPv4 address");
	bad("socket,id=n0,mcast=230.0.0.1:1,localaddr=1.2.3.4:5",
	    "localaddr=1.2.3.4:5 is not an IPv4 address");
	bad("socket,id=n0,udp=10.0.0.1:5000", "udp= needs localaddr=");
	bad("socket,id=n0,udp=10.0.0.1:5000,localaddr=5001",
	    "localaddr=5001: the port is missing");
	bad("socket,id=n0,udp=10.0.0.1:5000,localaddr=:0",
	    "localaddr=:0: port 0 is not 1-65535");
	bad("socket,id=n0,udp=10.0.0.1:5000,localaddr=x_y:1",
	    "x_y is not a host name or address");
	bad("socket,id=n0,listen=:5555,localaddr=1.2.3.4",
	    "localaddr=1.2.3.4 goes with mcast= or udp= only");
	bad("socket,id=n0,connect=h:5555,localaddr=:1",
	    "localaddr=:1 goes with mcast= or udp= only");

	/* reconnect=. */
	bad("socket,id=n0,listen=:5555,reconnect=1",
	    "reconnect= goes with connect= only");
	bad("socket,id=n0,mcast=230.0.0.1:1,reconnect-ms=1",
	    "reconnect-ms= goes with connect= only");
	bad("socket,id=n0,connect=h:1,reconnect=x",
	    "reconnect=x is not a number of seconds (0-86400)");
	bad("socket,id=n0,connect=h:1,reconnect=86401",
	    "reconnect=86401 is not a number of seconds");
	bad("socket,id=n0,connect=h:1,reconnect=-1",
	    "reconnect=-1 is not a number of seconds");
	bad("socket,id=n0,connect=h:1,reconnect-ms=1.5",
	    "reconnect-ms=1.5 is not a number of milliseconds (0-86400000)");
	bad("socket,id=n0,connect=h:1,reconnect=1,reconnect=2",
	    "reconnect= given twice");
	bad("socket,id=n0,connect=h:1,reconnect=1,reconnect-ms=2",
	    "reconnect= and reconnect-ms= exclude each other");

	/* Spelling. */
	bad("socket,id=n0,listen", "listen needs a value (listen=...)");
	bad("socket,id=n0,listen=", "listen= is empty");
	bad("socket,id=n0,listen=:1,", "empty item");
	bad("socket,listen=:1", "id= is missing");
	bad("socket,id=0n,listen=:1", "id=0n is not an id");
	bad("socket,id=n0,listen=:1,fd=3", "fd=3 is not a socket option");
	bad("socket,id=n0,listen=:1,queues=2", "queues=2 is not a socket option");
	bad("socket,id=n0,listen=:1,vhost=on", "vhost=on is not a socket option");
	bad("socket,id=n0,listen=:1,server=on",
	    "server=on is not a socket option");
	bad("socket,id=n0,listen=:1,addr.type=inet",
	    "addr.type=inet is not a socket option");
	bad("socket,id=n0,listen=:1,net=10.0.0.0/8",
	    "net=10.0.0.0/8 is not a socket option");
	bad("sockets,id=n0",
	    "sockets is not a netdev type (tap, bridge, user, socket, stream, dgram, hubport)");
}

/* ---- stream ---- */

static void test_stream(void **state)
{
	struct netdev_cfg cfg;

	good("stream,id=n0,server=off,addr.type=unix,addr.path=/run/passt.sock",
	     &cfg);
	assert_int_equal(cfg.type, NETDEV_STREAM);
	assert_int_equal(cfg.socket.kind, SOCKET_KIND_STREAM);
	assert_int_equal(cfg.socket.mode, SOCKET_CONNECT);
	assert_unix(&cfg.socket.addr, "/run/passt.sock");
	netdev_cfg_free(&cfg);

	/* A client unless server=on. */
	good("stream,id=n0,addr.type=inet,addr.host=localhost,addr.port=5555,reconnect=2",
	     &cfg);
	assert_int_equal(cfg.socket.mode, SOCKET_CONNECT);
	assert_inet(&cfg.socket.addr, "localhost", 5555);
	assert_int_equal(cfg.socket.reconnect_ms, 2000);
	netdev_cfg_free(&cfg);

	good("stream,id=n0,server=on,addr.type=inet,addr.host=0.0.0.0,addr.port=5555",
	     &cfg);
	assert_int_equal(cfg.socket.mode, SOCKET_LISTEN);
	assert_inet(&cfg.socket.addr, "0.0.0.0", 5555);
	netdev_cfg_free(&cfg);

	/* A server may leave the host out: any. Keys in any order. */
	good("stream,addr.port=7,server=yes,id=n0,addr.type=inet", &cfg);
	assert_int_equal(cfg.socket.mode, SOCKET_LISTEN);
	assert_inet(&cfg.socket.addr, "", 7);
	netdev_cfg_free(&cfg);

	good("stream,id=n0,server=on,addr.type=inet,addr.host=,addr.port=7",
	     &cfg);
	assert_inet(&cfg.socket.addr, "", 7);
	netdev_cfg_free(&cfg);

	good("stream,id=n0,addr.type=inet,addr.host=::1,addr.port=7,reconnect-ms=100",
	     &cfg);
	assert_inet(&cfg.socket.addr, "::1", 7);
	assert_int_equal(cfg.socket.reconnect_ms, 100);
	netdev_cfg_free(&cfg);

	good("stream,id=n0,server=true,addr.type=unix,addr.path=x,,y", &cfg);
	assert_int_equal(cfg.socket.mode, SOCKET_LISTEN);
	assert_unix(&cfg.socket.addr, "x,y");
	netdev_cfg_free(&cfg);
}

static void test_stream_bad(void **state)
{
	char spec[400], path[SOCKET_PATH_MAX + 2];

	bad("stream,id=n0", "addr.type= is missing");
	bad("stream,id=n0,server=on", "addr.type= is missing");
	bad("stream,id=n0,addr.type=fd,addr.str=3",
	    "addr.type=fd is not inet or unix");
	bad("stream,id=n0,addr.type=vsock", "addr.type=vsock is not inet or unix");
	bad("stream,id=n0,addr.type=", "addr.type= is not inet or unix");
	bad("stream,id=n0,addr.type", "addr.type needs a value");
	bad("stream,id=n0,addr.type=inet,addr.type=unix",
	    "addr.type= given twice");
	bad("stream,id=n0,addr.type=inet,addr.port=1", "addr.host= is missing");
	bad("stream,id=n0,addr.type=inet,addr.host=,addr.port=1",
	    "addr.host= is missing");
	bad("stream,id=n0,addr.type=inet,addr.host=h", "addr.port= is missing");
	bad("stream,id=n0,server=on,addr.type=inet", "addr.port= is missing");
	bad("stream,id=n0,addr.type=inet,addr.host=h,addr.port=0",
	    "addr.port=0 is not a port (1-65535)");
	bad("stream,id=n0,addr.type=inet,addr.host=h,addr.port=65536",
	    "addr.port=65536 is not a port (1-65535)");
	bad("stream,id=n0,addr.type=inet,addr.host=h,addr.port=",
	    "addr.port= is empty");
	bad("stream,id=n0,addr.type=inet,addr.host=h,addr.port=http",
	    "addr.port=http is not a port");
	bad("stream,id=n0,addr.type=inet,addr.host=bad..host,addr.port=1",
	    "addr.host=bad..host is not a host name or address");
	bad("stream,id=n0,addr.type=inet,addr.host=[::1],addr.port=1",
	    "addr.host=[::1] is not a host name or address");
	bad("stream,id=n0,addr.type=unix", "addr.path= is missing");
	bad("stream,id=n0,addr.type=unix,addr.path=", "addr.path= is empty");
	bad("stream,id=n0,addr.type=unix,addr.path=/x,addr.host=h",
	    "addr.host= goes with addr.type=inet, not unix");
	bad("stream,id=n0,addr.type=unix,addr.path=/x,addr.port=1",
	    "addr.port= goes with addr.type=inet, not unix");
	bad("stream,id=n0,addr.type=inet,addr.host=h,addr.port=1,addr.path=/x",
	    "addr.path= goes with addr.type=unix, not inet");
	bad("stream,id=n0,addr.host=h,addr.port=1",
	    "addr.host= needs addr.type= (inet or unix)");
	bad("stream,id=n0,addr.path=/x", "addr.path= needs addr.type=");
	bad("stream,id=n0,server=on,addr.type=unix,addr.path=/x,reconnect=1",
	    "reconnect= goes with server=off only");
	bad("stream,id=n0,server=on,addr.type=unix,addr.path=/x,reconnect-ms=1",
	    "reconnect-ms= goes with server=off only");
	bad("stream,id=n0,server=maybe,addr.type=unix,addr.path=/x",
	    "server=maybe is not on or off");
	bad("stream,id=n0,addr.type=unix,addr.path=/x,reconnect=y",
	    "reconnect=y is not a number of seconds");

	/* 107 bytes fit a sockaddr_un; 108 do not. */
	memset(path, 'p', SOCKET_PATH_MAX + 1);
	path[0] = '/';
	path[SOCKET_PATH_MAX + 1] = '\0';
	snprintf(spec, sizeof(spec),
		 "stream,id=n0,addr.type=unix,addr.path=%s", path);
	bad(spec, "is longer than a UNIX socket path may be (107 bytes)");
	path[SOCKET_PATH_MAX] = '\0';
	snprintf(spec, sizeof(spec),
		 "stream,id=n0,addr.type=unix,addr.path=%s", path);
	{
		struct netdev_cfg cfg;

		good(spec, &cfg);
		assert_int_equal(strlen(cfg.socket.addr.path), SOCKET_PATH_MAX);
		netdev_cfg_free(&cfg);
	}

	/* Other types' keys. */
	bad("stream,id=n0,listen=:1", "listen=:1 is not a stream option");
	bad("stream,id=n0,addr.type=unix,addr.path=/x,localaddr=:1",
	    "localaddr=:1 is not a stream option");
	bad("stream,id=n0,remote.type=inet", "remote.type=inet is not a stream option");
	bad("stream,id=n0,addr.foo=1", "addr.foo=1 is not a stream option");
	bad("stream,id=n0,addr.=1", "addr.=1 is not a stream option");
	bad("stream,id=n0,addr.type=unix,addr.path=/x,addr.abstract=on",
	    "addr.abstract=on is not a stream option");
	bad("stream,id=n0,addr.type=unix,addr.path=/x,queues=2",
	    "queues=2 is not a stream option");
}

/* ---- dgram ---- */

static void test_dgram(void **state)
{
	struct netdev_cfg cfg;

	/* A multicast remote: a group, local (the interface) optional. */
	good("dgram,id=n0,remote.type=inet,remote.host=230.0.0.1,remote.port=1234",
	     &cfg);
	assert_int_equal(cfg.type, NETDEV_DGRAM);
	assert_int_equal(cfg.socket.kind, SOCKET_KIND_DGRAM);
	assert_int_equal(cfg.socket.mode, SOCKET_MCAST);
	assert_inet(&cfg.socket.addr, "230.0.0.1", 1234);
	assert_int_equal(cfg.socket.local.type, SOCKET_ADDR_NONE);
	netdev_cfg_free(&cfg);

	good("dgram,id=n0,remote.type=inet,remote.host=230.0.0.1,remote.port=1234,local.type=inet,local.host=127.0.0.1",
	     &cfg);
	assert_int_equal(cfg.socket.mode, SOCKET_MCAST);
	assert_inet(&cfg.socket.local, "127.0.0.1", 0);
	netdev_cfg_free(&cfg);

	/* local.port= as QEMU's type system asks for it: ignored. */
	good("dgram,id=n0,remote.type=inet,remote.host=230.0.0.1,remote.port=1234,local.type=inet,local.host=127.0.0.1,local.port=99",
	     &cfg);
	assert_inet(&cfg.socket.local, "127.0.0.1", 0);
	netdev_cfg_free(&cfg);

	/* Unicast: both ends. */
	good("dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=5000,remote.type=inet,remote.host=127.0.0.1,remote.port=5001",
	     &cfg);
	assert_int_equal(cfg.socket.mode, SOCKET_UDP);
	assert_inet(&cfg.socket.addr, "127.0.0.1", 5001);
	assert_inet(&cfg.socket.local, "127.0.0.1", 5000);
	netdev_cfg_free(&cfg);

	good("dgram,id=n0,local.type=inet,local.port=5000,remote.type=inet,remote.host=peer,remote.port=5001",
	     &cfg);
	assert_inet(&cfg.socket.local, "", 5000);
	netdev_cfg_free(&cfg);

	good("dgram,id=n0,local.type=unix,local.path=/tmp/a,remote.type=unix,remote.path=/tmp/b",
	     &cfg);
	assert_int_equal(cfg.socket.mode, SOCKET_UDP);
	assert_unix(&cfg.socket.local, "/tmp/a");
	assert_unix(&cfg.socket.addr, "/tmp/b");
	netdev_cfg_free(&cfg);
}

static void test_dgram_bad(void **state)
{
	bad("dgram,id=n0", "remote.type= and local.type= are missing");
	bad("dgram,id=n0,remote.type=inet,remote.host=10.0.0.1,remote.port=1",
	    "local.type= is missing (dgram needs a local address unless remote.host= is a multicast group)");
	bad("dgram,id=n0,local.type=inet,local.port=1", "remote.type= is missing");
	bad("dgram,id=n0,local.type=unix,local.path=/a",
	    "remote.type= is missing");
	bad("dgram,id=n0,remote.type=inet,remote.host=10.0.0.1,remote.port=1,local.type=unix,local.path=/a",
	    "remote.type=inet and local.type=unix differ");
	bad("dgram,id=n0,remote.type=unix,remote.path=/b,local.type=inet,local.port=1",
	    "remote.type=unix and local.type=inet differ");
	bad("dgram,id=n0,remote.type=inet,remote.host=230.0.0.1,remote.port=1,local.type=unix,local.path=/a",
	    "local.type=unix does not go with a multicast remote.host=230.0.0.1");
	bad("dgram,id=n0,remote.type=inet,remote.host=230.0.0.1,remote.port=1,local.type=inet,local.host=foo",
	    "local.host=foo is not an IPv4 address");
	bad("dgram,id=n0,remote.type=inet,remote.host=230.0.0.1,remote.port=1,local.type=inet",
	    "local.host= is not an IPv4 address");
	bad("dgram,id=n0,remote.type=inet,remote.host=10.0.0.1,remote.port=1,local.type=inet,local.host=127.0.0.1",
	    "local.port= is missing");
	bad("dgram,id=n0,remote.type=inet,remote.host=10.0.0.1,local.type=inet,local.port=1",
	    "remote.port= is missing");
	bad("dgram,id=n0,remote.type=inet,remote.port=1,local.type=inet,local.port=1",
	    "remote.host= is missing");
	bad("dgram,id=n0,remote.type=inet,remote.host=,remote.port=1,local.type=inet,local.port=1",
	    "remote.host= is missing");
	bad("dgram,id=n0,remote.type=unix,local.type=unix,local.path=/a",
	    "remote.path= is missing");
	bad("dgram,id=n0,remote.type=unix,remote.path=/b,local.type=unix",
	    "local.path= is missing");
	bad("dgram,id=n0,remote.host=h,remote.port=1,local.type=inet,local.port=1",
	    "remote.host= needs remote.type=");
	bad("dgram,id=n0,remote.type=inet,remote.host=230.0.0.1,remote.port=1,local.path=/a",
	    "local.path= needs local.type=");
	bad("dgram,id=n0,remote.type=inet,remote.host=h,remote.port=99999",
	    "remote.port=99999 is not a port (1-65535)");
	bad("dgram,id=n0,remote.type=inet,remote.host=h..,remote.port=1",
	    "remote.host=h.. is not a host name or address");
	bad("dgram,id=n0,remote.type=tcp", "remote.type=tcp is not inet or unix");
	bad("dgram,id=n0,local.type=unix,local.path=/a,local.path=/b",
	    "local.path= given twice");
	bad("dgram,id=n0,addr.type=inet", "addr.type=inet is not a dgram option");
	bad("dgram,id=n0,reconnect=1", "reconnect=1 is not a dgram option");
	bad("dgram,id=n0,server=on", "server=on is not a dgram option");
	bad("dgram,id=n0,mcast=230.0.0.1:1", "mcast=230.0.0.1:1 is not a dgram option");
}

/* ---- the rest ---- */

/* --nic TYPE,...: the NIC's keys come out, the rest is the netdev. */
static void test_nic_shortcut(void **state)
{
	struct netdev_cfg nd;
	struct nic_cfg nic;
	int ret;

	capture_start();
	ret = nic_shortcut_parse("stream,addr.type=unix,addr.path=/p,mac=52:54:00:00:00:01",
				 3, &nd, &nic);
	capture_end();
	assert_int_equal(ret, 0);
	assert_string_equal(err, "");
	assert_int_equal(nd.type, NETDEV_STREAM);
	assert_string_equal(nd.id, "__nic3");
	assert_string_equal(nic.netdev, "__nic3");
	assert_true(nic.has_mac);
	assert_int_equal(nd.socket.mode, SOCKET_CONNECT);
	assert_unix(&nd.socket.addr, "/p");
	assert_int_equal(nd.vhost, OPT_OFF);
	netdev_cfg_free(&nd);
	nic_cfg_free(&nic);

	capture_start();
	ret = nic_shortcut_parse("socket,model=virtio,connect=h:1", 0, &nd,
				 &nic);
	capture_end();
	assert_int_equal(ret, 0);
	assert_int_equal(nd.socket.mode, SOCKET_CONNECT);
	netdev_cfg_free(&nd);
	nic_cfg_free(&nic);

	capture_start();
	ret = nic_shortcut_parse("socket,listen=:0", 0, &nd, &nic);
	capture_end();
	assert_int_equal(ret, -EINVAL);
	assert_int_equal(lines(err), 1);
	assert_non_null(strstr(err, "knit: --nic socket,listen=:0: listen=:0: port 0"));
}

/* The parser alone, as other callers may use it. */
static void test_cfg_direct(void **state)
{
	struct socket_cfg cfg;
	char e[256];

	socket_cfg_init(&cfg, SOCKET_KIND_SOCKET);
	assert_int_equal(socket_cfg_key(&cfg, "bogus", "1", e, sizeof(e)), 1);
	assert_int_equal(socket_cfg_key(&cfg, "addr.type", "inet", e,
					sizeof(e)),
			 1);
	assert_int_equal(socket_cfg_key(&cfg, "connect", "h:1", e, sizeof(e)),
			 0);
	assert_int_equal(socket_cfg_finish(&cfg, e, sizeof(e)), 0);
	assert_int_equal(cfg.mode, SOCKET_CONNECT);
	socket_cfg_free(&cfg);
	assert_null(cfg.addr.host);

	/* A failed key leaves everything to free to socket_cfg_free. */
	socket_cfg_init(&cfg, SOCKET_KIND_DGRAM);
	assert_int_equal(socket_cfg_key(&cfg, "local.path", "/a", e, sizeof(e)),
			 0);
	assert_int_equal(socket_cfg_key(&cfg, "local.path", "/b", e, sizeof(e)),
			 -EINVAL);
	assert_string_equal(e, "local.path=/b: local.path= given twice");
	socket_cfg_free(&cfg);
}

static void test_addr_format(void **state)
{
	struct socket_addr a = { .type = SOCKET_ADDR_INET, .host = "10.0.0.1",
				 .port = 5555 };
	char buf[160];

	socket_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.1:5555");
	a.host = "::1";
	socket_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "[::1]:5555");
	a.host = "";
	socket_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "0.0.0.0:5555");
	a = (struct socket_addr){ .type = SOCKET_ADDR_UNIX, .path = "/run/s" };
	socket_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "unix:/run/s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_socket_listen),
		cmocka_unit_test(test_socket_connect),
		cmocka_unit_test(test_socket_mcast),
		cmocka_unit_test(test_socket_udp),
		cmocka_unit_test(test_socket_bad),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_stream_bad),
		cmocka_unit_test(test_dgram),
		cmocka_unit_test(test_dgram_bad),
		cmocka_unit_test(test_nic_shortcut),
		cmocka_unit_test(test_cfg_direct),
		cmocka_unit_test(test_addr_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
