/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_OPTIONS_H
#define KNIT_NET_OPTIONS_H

#include <netinet/in.h>
#include <stdio.h>

#include "knit/util.h"
#include "net/socket_options.h"
#include "net/user_options.h"

/*
 * --netdev and --device as QEMU spells them: "TYPE,key=value,...", with
 * ",," standing for a literal comma inside a value. The parsers print one
 * line naming the bad part ("--netdev tap,...: queues=0: ...") and
 * return -EINVAL.
 */

enum netdev_type {
	NETDEV_TAP,		/* --netdev tap,id=ID[,ifname=][,br=]... */
	NETDEV_BRIDGE,		/* --netdev bridge,id=ID,br=BRIDGE */
	NETDEV_USER,		/* --netdev user,id=ID[,net=]... (libslirp) */
	NETDEV_SOCKET,		/* --netdev socket,id=ID,listen=|connect=|... */
	NETDEV_STREAM,		/* --netdev stream,id=ID,addr.type=... */
	NETDEV_DGRAM,		/* --netdev dgram,id=ID,remote.type=... */
	NETDEV_HUBPORT,		/* --netdev hubport,id=ID,hubid=N[,netdev=ND] */
};

enum opt_switch {
	OPT_AUTO,
	OPT_ON,
	OPT_OFF,
};

struct netdev_cfg {
	enum netdev_type type;
	char *id;
	char *ifname;		/* tap name; NULL lets the kernel pick */
	char *br;		/* bridge to enslave the tap to, or NULL */
	bool create;		/* create=on: make br if it is missing */
	bool has_host_ip;	/* host-ip=ADDR/LEN given */
	struct in_addr host_ip;	/* put on br (or on the tap without br) */
	unsigned int host_prefix;
	enum opt_switch vhost;	/* default OPT_AUTO */
	unsigned int queues;	/* default 1, at most NET_MAX_QUEUES */
	int fd;			/* fd=N: an open tap; -1 when absent */
	struct user_cfg user;	/* type user only */
	unsigned int hubid;	/* hubport: the hub it joins */
	bool has_hubid;
	char *hub_netdev;	/* hubport: a back end joined to it, or NULL */
	struct socket_cfg socket;	/* types socket, stream, dgram */
};

enum nic_model {
	NIC_VIRTIO_NET,
	NIC_E1000,		/* Intel 82540EM, always on PCI */
	NIC_RTL8139,		/* Realtek RTL8139C+, always on PCI */
};

enum nic_transport {
	NIC_TRANSPORT_PCI,	/* default */
	NIC_TRANSPORT_MMIO,
};

struct nic_cfg {
	enum nic_model model;
	char *netdev;		/* id of the backend it is joined to */
	bool has_mac;
	u8 mac[6];
	enum nic_transport transport;
	bool has_rev;		/* rtl8139: rev=N, its PCI revision */
	u8 rev;
};

int netdev_parse(const char *spec, struct netdev_cfg *out);
void netdev_cfg_free(struct netdev_cfg *cfg);
int nic_parse(const char *spec, struct nic_cfg *out);

#define NIC_SHORTCUT_NONE	1	/* --nic none */
#define NIC_SHORTCUT_HELP	2	/* model=help: the list was printed */
/*
 * --nic TYPE[,model=][,mac=][,transport=][,netdev keys]: a netdev and its
 * NIC at once; index numbers the --nic options for the generated id.
 * Returns 0, NIC_SHORTCUT_NONE, NIC_SHORTCUT_HELP or -EINVAL (one line
 * printed).
 */
int nic_shortcut_parse(const char *spec, unsigned int index,
		       struct netdev_cfg *nd, struct nic_cfg *nic);
/*
 * QEMU's legacy -net: "nic[,model=][,macaddr=][,netdev=][,vlan=N]" or a
 * back end "TYPE[,keys][,vlan=N][,name=]". Without netdev=, NICs and back
 * ends meet on hub N (vlan=N, default 0) through generated hubports.
 */
enum legacy_net_kind {
	LEGACY_NET_NIC,		/* nic: NIC set (and port, on a hub) */
	LEGACY_NET_BACKEND,	/* a back end: backend and its port set */
};

/* legacy_net_parse's returns besides 0 and -errno. */
#define LEGACY_NET_NONE_GIVEN	1	/* -net none */
#define LEGACY_NET_HELP		2	/* model=help: the list was printed */

struct legacy_net {
	enum legacy_net_kind kind;
	struct netdev_cfg backend;
	struct netdev_cfg port;	/* the hubport, when has_port */
	bool has_port;
	struct nic_cfg nic;
};

/* index numbers the -net options for the generated ids. */
int legacy_net_parse(const char *spec, unsigned int index,
		     struct legacy_net *out);
void legacy_net_free(struct legacy_net *ln);
const char *netdev_type_name(enum netdev_type type);
const char *nic_model_name(const struct nic_cfg *nc);
/* The NIC models, for --device help and --nic model=help. */
void nic_models_print(FILE *f);
void nic_cfg_free(struct nic_cfg *cfg);
/*
 * For the key parsers that write their one line into a caller's buffer
 * (user_options.c, socket_options.c): fill err, return -EINVAL; or say
 * "out of memory" and return -ENOMEM.
 */
__printf(3, 4) int opt_err(char *err, size_t errlen, const char *fmt, ...);
int opt_nomem(char *err, size_t errlen);
/* Plain decimal digits only, at most max: no sign, no spaces, no 0x. */
bool opt_parse_uint(const char *s, unsigned long max, unsigned long *out);
/* "52:54:00:12:34:56" -> mac; -EINVAL unless six hex pairs, unicast. */
int parse_mac(const char *s, u8 mac[6]);
/*
 * A locally administered 52:54:00:xx:xx:xx address: derived from the VM
 * name and NIC index when name is set (stable across runs), else random.
 */
void nic_default_mac(const char *vm_name, unsigned int index, u8 mac[6]);

#endif
