/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_SOCKET_OPTIONS_H
#define KNIT_NET_SOCKET_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "knit/util.h"

/*
 * The keys of the back ends that join VMs over host sockets, as QEMU
 * spells them:
 *
 *   --netdev socket,id=ID,listen=[HOST]:PORT | connect=HOST:PORT
 *                        | mcast=MADDR:PORT[,localaddr=ADDR]
 *                        | udp=HOST:PORT,localaddr=[HOST]:PORT
 *   --netdev stream,id=ID[,server=on|off],addr.type=inet|unix,
 *                   addr.host=H,addr.port=P | addr.path=PATH
 *                   [,reconnect=SECONDS | reconnect-ms=MS]
 *   --netdev dgram,id=ID,remote.type=inet|unix,remote.host=,remote.port=
 *                  | remote.path=[,local.type=...,local.host=,
 *                  local.port= | local.path=]
 *
 * All three come down to one of four ways of moving frames (mode).
 */

/* sizeof(sockaddr_un.sun_path) less its NUL */
#define SOCKET_PATH_MAX		107
#define SOCKET_RECONNECT_MAX	86400	/* seconds */

enum socket_kind {
	SOCKET_KIND_SOCKET,	/* --netdev socket */
	SOCKET_KIND_STREAM,	/* --netdev stream */
	SOCKET_KIND_DGRAM,	/* --netdev dgram */
};

enum socket_mode {
	SOCKET_MODE_NONE,	/* before socket_cfg_finish() */
	SOCKET_LISTEN,		/* stream server, one peer at a time */
	SOCKET_CONNECT,		/* stream client */
	SOCKET_MCAST,		/* datagrams to and from a multicast group */
	SOCKET_UDP,		/* datagrams from local to remote, inet or unix */
};

enum socket_addr_type {
	SOCKET_ADDR_NONE,	/* not given */
	SOCKET_ADDR_INET,	/* host and port */
	SOCKET_ADDR_UNIX,	/* path */
};

struct socket_addr {
	enum socket_addr_type type;
	char *host;		/* a name or an IPv4/IPv6 address; "" is any */
	u16 port;		/* 0 where no port is needed */
	char *path;		/* unix: at most SOCKET_PATH_MAX bytes */
	unsigned int given;	/* private: the keys seen */
};

struct socket_cfg {
	enum socket_kind kind;
	enum socket_mode mode;
	/*
	 * LISTEN: where to listen ("" host: every IPv4 address);
	 * CONNECT: the server; MCAST: the group; UDP: the remote end.
	 */
	struct socket_addr addr;
	/*
	 * UDP: the address to bind ("" host: any); MCAST: the interface
	 * to join on and send from (host only), or type NONE.
	 */
	struct socket_addr local;
	unsigned int reconnect_ms;	/* CONNECT: retry period, 0 never */
	/* private: the parse under way */
	unsigned int given;
	char *localaddr;		/* socket's localaddr=, read at finish */
};

void socket_cfg_init(struct socket_cfg *cfg, enum socket_kind kind);
void socket_cfg_free(struct socket_cfg *cfg);

/*
 * One key=value (val NULL when there was no '='). Returns 1 when key is
 * not one of kind's keys (the caller reports it), 0 when taken, and
 * otherwise writes one line into err naming the key and the bad part
 * ("listen=:0: port 0 is not 1-65535") and returns -EINVAL.
 */
int socket_cfg_key(struct socket_cfg *cfg, const char *key, const char *val,
		   char *err, size_t errlen);

/*
 * Rules across keys once all are in: exactly one way to connect, the
 * parts each needs, none that it does not take. Sets cfg->mode. Same
 * return convention as socket_cfg_key (never 1).
 */
int socket_cfg_finish(struct socket_cfg *cfg, char *err, size_t errlen);

/* For messages: "127.0.0.1:5555", "[::1]:5555", "unix:/run/x.sock" */
void socket_addr_format(const struct socket_addr *a, char *buf, size_t len);

#endif
