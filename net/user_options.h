/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_USER_OPTIONS_H
#define KNIT_NET_USER_OPTIONS_H

#include <netinet/in.h>
#include <stdbool.h>

#include "knit/util.h"

/*
 * The keys of --netdev user (QEMU's -netdev user) and the rules between
 * them. Addresses are in network byte order, as libslirp takes them.
 */

#define USER_MAX_FWD		16	/* hostfwd= or guestfwd= per netdev */
#define USER_MAX_DNSSEARCH	8

/* hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT */
struct user_hostfwd {
	bool udp;
	struct in_addr host_addr;	/* INADDR_ANY when left out */
	u16 host_port;			/* 1-65535 */
	struct in_addr guest_addr;	/* 0 when left out: the first DHCP address */
	u16 guest_port;			/* 1-65535 */
};

/* guestfwd=[tcp]:ADDR:PORT-cmd:COMMAND | ...-tcp:HOST:PORT */
struct user_guestfwd {
	struct in_addr addr;		/* 0 when left out: libslirp picks */
	u16 port;
	char *cmd;			/* cmd:COMMAND, or NULL */
	char *host;			/* tcp:HOST:PORT: HOST (name or address) */
	u16 host_port;
};

struct user_cfg {
	struct in_addr net;		/* default 10.0.2.0 */
	struct in_addr mask;		/* default 255.255.255.0 */
	/* QEMU's defaults: 10.0.2.x through mask, net + x on a /24 */
	struct in_addr host;		/* default net + 2 */
	struct in_addr dhcpstart;	/* default net + 15 */
	struct in_addr dns;		/* default net + 3 */
	bool restrict_;			/* restrict=on: no way out but forwards */
	char *hostname;			/* DHCP option 12 */
	char *domainname;		/* DHCP option 15 */
	unsigned int nr_dnssearch;
	char *dnssearch[USER_MAX_DNSSEARCH];
	unsigned int nr_hostfwd;
	struct user_hostfwd hostfwd[USER_MAX_FWD];
	unsigned int nr_guestfwd;
	struct user_guestfwd guestfwd[USER_MAX_FWD];
	char *tftp;			/* directory served by TFTP */
	char *tftp_server_name;		/* DHCP option 66 */
	char *bootfile;			/* DHCP boot file name */
	bool ipv4;			/* default on */
	bool ipv6;			/* default on */
	struct in6_addr ipv6_net;	/* default fec0:: */
	u8 ipv6_prefix;			/* default 64 */
	struct in6_addr ipv6_host;	/* default prefix::2 */
	struct in6_addr ipv6_dns;	/* default prefix::3 */
	unsigned int given;		/* private: the keys seen so far */
};

/* Defaults, as QEMU has them. */
void user_cfg_init(struct user_cfg *cfg);
void user_cfg_free(struct user_cfg *cfg);

/*
 * One key=value of --netdev user. Returns 1 when key is not a user key
 * (the caller reports it), 0 when taken, and otherwise writes one line
 * into err (what is wrong, naming the part: "hostfwd=tcp::0-:22: host
 * port 0 is not 1-65535") and returns -EINVAL.
 */
int user_cfg_key(struct user_cfg *cfg, const char *key, const char *val,
		 char *err, size_t errlen);

/*
 * Rules across keys, once all are in: fills the defaults that depend on
 * net= (host, dhcpstart, dns, ipv6 ones) for keys not given, then checks
 * that host, dhcpstart and dns lie inside net and are not its network or
 * broadcast address, and that ipv4 and ipv6 are not both off. Same
 * return convention as user_cfg_key (never 1).
 */
int user_cfg_finish(struct user_cfg *cfg, char *err, size_t errlen);

/*
 * A hostfwd rule alone, as `knit hostfwd NAME add|remove RULE` takes it
 * (the same syntax as the hostfwd= value). Same convention.
 */
int user_parse_hostfwd(const char *rule, struct user_hostfwd *out, char *err,
		       size_t errlen);

#endif
