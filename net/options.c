// SPDX-License-Identifier: GPL-2.0
/*
 * --netdev and --device parsing, in the "TYPE,key=value,..." form QEMU
 * users already type. Every rejection is one pr_err() line that repeats
 * the option as given and names the offending key=value, then -EINVAL.
 *
 * The type comes first, bare ("tap,...") or as QEMU also spells it
 * ("type=tap,..."; "driver=virtio-net,..." for --device).
 *
 * Decisions beyond QEMU's own rules:
 *  - bridge takes id, br (required), create, host-ip, vhost and queues;
 *    ifname= and fd= are refused there: its tap gets a kernel-chosen
 *    name, and an fd= tap is not ours to enslave (use tap,ifname=,br=).
 *  - fd= is an already configured tap: it excludes every key that would
 *    configure the host (ifname, br, create, host-ip) and queues > 1.
 *  - create=on without br= is refused: there is nothing to create.
 *  - Booleans take on/off, yes/no, true/false; vhost also auto.
 *  - id= and netdev= follow QEMU's id rule: a letter, then letters,
 *    digits, '-', '.' or '_'.
 *  - A MAC must be six colon-separated hex pairs, unicast and not zero.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "knit/hash.h"
#include "net/capture.h"
#include "net/net.h"
#include "net/options.h"

struct parse_ctx {
	const char *opt;	/* "--netdev" or "--device" */
	const char *spec;	/* as the user typed it */
};

/* One line: the option as typed, then what is wrong with it. */
static __printf(2, 3) int bad(const struct parse_ctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("%s %s: %s", c->opt, c->spec, msg);
	return -EINVAL;
}

struct item {
	const char *key;
	const char *val;	/* NULL when the item has no '=' */
};

struct items {
	char *buf;		/* the spec unescaped, items NUL-separated */
	struct item *v;
	unsigned int n;
};

static void items_free(struct items *it)
{
	free(it->buf);
	free(it->v);
}

/*
 * Split spec at single commas, turning ",," into a literal comma, then
 * each item at its first '='. Item 0 is the type.
 */
static int items_split(const char *spec, struct items *it)
{
	size_t len = strlen(spec), i;
	unsigned int max = 1;
	char *out, *start;

	for (i = 0; i < len; i++)
		max += spec[i] == ',';
	it->buf = malloc(len + 1);
	it->v = calloc(max, sizeof(*it->v));
	it->n = 0;
	if (!it->buf || !it->v) {
		items_free(it);
		return -ENOMEM;
	}

	out = start = it->buf;
	for (i = 0;; i++) {
		if (spec[i] == ',' && spec[i + 1] == ',') {
			*out++ = ',';
			i++;
			continue;
		}
		if (spec[i] && spec[i] != ',') {
			*out++ = spec[i];
			continue;
		}
		*out++ = '\0';
		it->v[it->n++].key = start;
		start = out;
		if (!spec[i])
			break;
	}

	for (i = 0; i < it->n; i++) {
		char *eq = strchr(it->v[i].key, '=');

		if (eq) {
			*eq = '\0';
			it->v[i].val = eq + 1;
		}
	}
	return 0;
}

static bool id_ok(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return false;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-._", *s))
			return false;
	return true;
}

/* The kernel's own rule (dev_valid_name), minus '%' patterns. */
static bool ifname_chars_ok(const char *s)
{
	if (!*s || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || *s == '%' ||
		    isspace((unsigned char)*s))
			return false;
	return true;
}

static int parse_ifname(const struct parse_ctx *c, const struct item *it,
			char **out)
{
	if (strlen(it->val) > IFNAMSIZ - 1)
		return bad(c, "%s=%s is longer than %d characters", it->key,
			   it->val, IFNAMSIZ - 1);
	if (!ifname_chars_ok(it->val))
		return bad(c, "%s=%s is not an interface name", it->key,
			   it->val);
	*out = strdup(it->val);
	return *out ? 0 : -ENOMEM;
}

static int parse_id(const struct parse_ctx *c, const struct item *it,
		    char **out)
{
	if (!id_ok(it->val))
		return bad(c,
			   "%s=%s is not an id (a letter, then letters, digits, '-', '.', '_')",
			   it->key, it->val);
	*out = strdup(it->val);
	return *out ? 0 : -ENOMEM;
}

static int parse_switch(const struct parse_ctx *c, const struct item *it,
			bool allow_auto, enum opt_switch *out)
{
	static const char *const on[] = { "on", "yes", "true" };
	static const char *const off[] = { "off", "no", "false" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(on); i++) {
		if (!strcmp(it->val, on[i])) {
			*out = OPT_ON;
			return 0;
		}
		if (!strcmp(it->val, off[i])) {
			*out = OPT_OFF;
			return 0;
		}
	}
	if (allow_auto && !strcmp(it->val, "auto")) {
		*out = OPT_AUTO;
		return 0;
	}
	return bad(c, "%s=%s is not %s", it->key, it->val,
		   allow_auto ? "on, off or auto" : "on or off");
}

bool opt_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		v = v * 10 + (*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

static int parse_host_ip(const struct parse_ctx *c, const struct item *it,
			 struct netdev_cfg *cfg)
{
	const char *slash = strchr(it->val, '/');
	char addr[INET_ADDRSTRLEN];
	unsigned long len;
	size_t n;

	n = slash ? (size_t)(slash - it->val) : 0;
	if (!slash || n >= sizeof(addr))
		return bad(c, "%s=%s is not an address/prefix (A.B.C.D/LEN)",
			   it->key, it->val);
	memcpy(addr, it->val, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET, addr, &cfg->host_ip) != 1)
		return bad(c, "%s=%s: %s is not an IPv4 address", it->key,
			   it->val, addr);
	if (!opt_parse_uint(slash + 1, 32, &len))
		return bad(c, "%s=%s: /%s is not a prefix length (0-32)",
			   it->key, it->val, slash + 1);
	cfg->host_prefix = len;
	cfg->has_host_ip = true;
	return 0;
}

enum netdev_key {
	NK_ID,
	NK_IFNAME,
	NK_BR,
	NK_CREATE,
	NK_HOST_IP,
	NK_VHOST,
	NK_QUEUES,
	NK_FD,
	NK_HUBID,
	NK_NETDEV,
};

#define T_TAP		(1u << NETDEV_TAP)
#define T_BRIDGE	(1u << NETDEV_BRIDGE)
#define T_USER		(1u << NETDEV_USER)
#define T_SOCKET	(1u << NETDEV_SOCKET)
#define T_STREAM	(1u << NETDEV_STREAM)
#define T_DGRAM		(1u << NETDEV_DGRAM)
#define T_SOCKETS	(T_SOCKET | T_STREAM | T_DGRAM)
#define T_HUBPORT	(1u << NETDEV_HUBPORT)

static const struct {
	const char *name;
	unsigned int types;	/* which netdev types take it */
} netdev_keys[] = {
	[NK_ID]		= { "id", T_TAP | T_BRIDGE | T_USER | T_SOCKETS | T_HUBPORT },
	[NK_IFNAME]	= { "ifname", T_TAP },
	[NK_BR]		= { "br", T_TAP | T_BRIDGE },
	[NK_CREATE]	= { "create", T_TAP | T_BRIDGE },
	[NK_HOST_IP]	= { "host-ip", T_TAP | T_BRIDGE },
	[NK_VHOST]	= { "vhost", T_TAP | T_BRIDGE },
	[NK_QUEUES]	= { "queues", T_TAP | T_BRIDGE },
	[NK_FD]		= { "fd", T_TAP },
	[NK_HUBID]	= { "hubid", T_HUBPORT },
	[NK_NETDEV]	= { "netdev", T_HUBPORT },
};

static const char *const netdev_type_names[] = {
	[NETDEV_TAP] = "tap",
	[NETDEV_BRIDGE] = "bridge",
	[NETDEV_USER] = "user",
	[NETDEV_SOCKET] = "socket",
	[NETDEV_STREAM] = "stream",
	[NETDEV_DGRAM] = "dgram",
	[NETDEV_HUBPORT] = "hubport",
};

/* The back ends whose keys net/socket_options.c parses. */
static bool is_socket_type(enum netdev_type type)
{
	return (1u << type) & T_SOCKETS;
}

static enum socket_kind socket_kind_of(enum netdev_type type)
{
	if (type == NETDEV_STREAM)
		return SOCKET_KIND_STREAM;
	if (type == NETDEV_DGRAM)
		return SOCKET_KIND_DGRAM;
	return SOCKET_KIND_SOCKET;
}

static int netdev_key(const struct parse_ctx *c, const struct item *it,
		      struct netdev_cfg *cfg, enum netdev_key k)
{
	enum opt_switch sw;
	unsigned long v;
	int ret;

	switch (k) {
	case NK_ID:
		free(cfg->id);	/* --nic's generated id gives way */
		cfg->id = NULL;
		return parse_id(c, it, &cfg->id);
	case NK_IFNAME:
		return parse_ifname(c, it, &cfg->ifname);
	case NK_BR:
		return parse_ifname(c, it, &cfg->br);
	case NK_CREATE:
		ret = parse_switch(c, it, false, &sw);
		cfg->create = sw == OPT_ON;
		return ret;
	case NK_HOST_IP:
		return parse_host_ip(c, it, cfg);
	case NK_VHOST:
		return parse_switch(c, it, true, &cfg->vhost);
	case NK_QUEUES:
		if (!opt_parse_uint(it->val, NET_MAX_QUEUES, &v) || !v)
			return bad(c, "%s=%s is not a queue count (1-%d)",
				   it->key, it->val, NET_MAX_QUEUES);
		cfg->queues = v;
		return 0;
	case NK_HUBID:
		if (!opt_parse_uint(it->val, 1u << 30, &v))
			return bad(c, "%s=%s is not a hub number", it->key,
				   it->val);
		cfg->hubid = v;
		cfg->has_hubid = true;
		return 0;
	case NK_NETDEV:
		return parse_id(c, it, &cfg->hub_netdev);
	case NK_FD:
		if (!opt_parse_uint(it->val, 1 << 30, &v))
			return bad(c, "%s=%s is not a file descriptor number",
				   it->key, it->val);
		cfg->fd = v;
		return 0;
	}
	return -EINVAL;
}

/*
 * The first item names the type, bare as users write it or, as QEMU
 * also allows, spelled type=TYPE.
 */
static const char *first_item_type(const struct item *it, const char *key)
{
	if (!it->val)
		return it->key;
	if (!strcmp(it->key, key))
		return it->val;
	return NULL;
}

#define NETDEV_TYPES	"tap, bridge, user, socket, stream, dgram, hubport"

static int netdev_type(const struct parse_ctx *c, const struct item *it,
		       enum netdev_type *type)
{
	const char *s = first_item_type(it, "type");
	unsigned int i;

	for (i = 0; s && i < ARRAY_SIZE(netdev_type_names); i++) {
		if (!strcmp(s, netdev_type_names[i])) {
			*type = i;
			return 0;
		}
	}
	if (s)
		return bad(c, "%s is not a netdev type (%s)", s, NETDEV_TYPES);
	return bad(c, "%s=%s is not a netdev type (%s)", it->key, it->val,
		   NETDEV_TYPES);
}

/* Rules that span keys, checked once all keys are in. */
static int netdev_check(const struct parse_ctx *c, struct netdev_cfg *cfg)
{
	char err[256];

	if (!cfg->id)
		return bad(c, "id= is missing");
	if (cfg->type == NETDEV_USER) {
		if (user_cfg_finish(&cfg->user, err,
				    sizeof(err)))
			return bad(c, "%s", err);
		return 0;
	}
	if (is_socket_type(cfg->type)) {
		if (socket_cfg_finish(&cfg->socket, err, sizeof(err)))
			return bad(c, "%s", err);
		return 0;
	}
	if (cfg->type == NETDEV_HUBPORT) {
		if (!cfg->has_hubid)
			return bad(c, "hubid= is missing");
		if (cfg->hub_netdev && !strcmp(cfg->hub_netdev, cfg->id))
			return bad(c, "netdev=%s is the hubport itself",
				   cfg->hub_netdev);
		return 0;
	}
	if (cfg->type == NETDEV_BRIDGE && !cfg->br)
		return bad(c, "br= is missing");
	if (cfg->create && !cfg->br)
		return bad(c, "create=on needs br=");
	if (cfg->ifname && cfg->br && !strcmp(cfg->ifname, cfg->br))
		return bad(c, "ifname=%s and br=%s name the same link",
			   cfg->ifname, cfg->br);
	if (cfg->fd < 0)
		return 0;
	if (cfg->ifname)
		return bad(c, "fd=%d and ifname=%s exclude each other",
			   cfg->fd, cfg->ifname);
	if (cfg->br)
		return bad(c, "fd=%d and br=%s exclude each other", cfg->fd,
			   cfg->br);
	if (cfg->has_host_ip)
		return bad(c, "fd=%d and host-ip= exclude each other (fd= is configured already)",
			   cfg->fd);
	if (cfg->queues > 1)
		return bad(c, "fd=%d and queues=%u exclude each other (one fd is one queue)",
			   cfg->fd, cfg->queues);
	return 0;
}

static int netdev_items(const struct parse_ctx *c, const struct items *it,
			struct netdev_cfg *cfg)
{
	const char *type = netdev_type_names[cfg->type];
	unsigned int seen = 0, i, k;
	char err[256];
	int ret;

	for (i = 1; i < it->n; i++) {
		const struct item *item = &it->v[i];

		if (!*item->key)
			return bad(c, "empty item (a stray ',')");
		for (k = 0; k < ARRAY_SIZE(netdev_keys); k++)
			if (!strcmp(item->key, netdev_keys[k].name))
				break;
		if (cfg->type == NETDEV_USER && k != NK_ID) {
			/* The user keys have their own parser. */
			ret = user_cfg_key(&cfg->user, item->key, item->val,
					   err, sizeof(err));
			if (ret < 0)
				return bad(c, "%s", err);
			if (!ret)
				continue;
			k = ARRAY_SIZE(netdev_keys);
		}
		if (is_socket_type(cfg->type) && k != NK_ID) {
			/* So do socket's, stream's and dgram's. */
			ret = socket_cfg_key(&cfg->socket, item->key, item->val,
					     err, sizeof(err));
			if (ret < 0)
				return bad(c, "%s", err);
			if (!ret)
				continue;
			k = ARRAY_SIZE(netdev_keys);
		}
		if (k == ARRAY_SIZE(netdev_keys) ||
		    !(netdev_keys[k].types & (1u << cfg->type)))
			return bad(c, "%s%s%s is not a %s option", item->key,
				   item->val ? "=" : "",
				   item->val ? item->val : "", type);
		if (!item->val)
			return bad(c, "%s needs a value (%s=...)", item->key,
				   item->key);
		if (seen & (1u << k))
			return bad(c, "%s=%s: %s= given twice", item->key,
				   item->val, item->key);
		seen |= 1u << k;
		ret = netdev_key(c, item, cfg, k);
		if (ret)
			return ret;
	}
	return netdev_check(c, cfg);
}

static void netdev_cfg_init(struct netdev_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->vhost = OPT_AUTO;
	cfg->queues = 1;
	cfg->fd = -1;
	user_cfg_init(&cfg->user);
	socket_cfg_init(&cfg->socket, SOCKET_KIND_SOCKET);
}

/* id, when set, is the netdev's id unless the items give one. */
static int netdev_parse_items(const struct parse_ctx *c,
			      const struct items *it, const char *id,
			      struct netdev_cfg *out)
{
	int ret;

	netdev_cfg_init(out);
	ret = netdev_type(c, &it->v[0], &out->type);
	/* libslirp, host sockets and hubs have no kernel data path. */
	if (!ret && (out->type == NETDEV_USER || out->type == NETDEV_HUBPORT ||
		     is_socket_type(out->type)))
		out->vhost = OPT_OFF;
	if (!ret)
		out->socket.kind = socket_kind_of(out->type);
	if (!ret && id) {
		out->id = strdup(id);
		if (!out->id)
			ret = -ENOMEM;
	}
	if (!ret)
		ret = netdev_items(c, it, out);
	if (ret) {
		netdev_cfg_free(out);
		netdev_cfg_init(out);
	}
	return ret;
}

int netdev_parse(const char *spec, struct netdev_cfg *out)
{
	struct parse_ctx c = { "--netdev", spec };
	struct items it;
	int ret;

	ret = items_split(spec, &it);
	if (ret)
		return ret;
	ret = netdev_parse_items(&c, &it, NULL, out);
	items_free(&it);
	return ret;
}

void netdev_cfg_free(struct netdev_cfg *cfg)
{
	free(cfg->id);
	free(cfg->ifname);
	free(cfg->br);
	free(cfg->hub_netdev);
	cfg->id = cfg->ifname = cfg->br = cfg->hub_netdev = NULL;
	user_cfg_free(&cfg->user);
	socket_cfg_free(&cfg->socket);
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower((unsigned char)ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

int parse_mac(const char *s, u8 mac[6])
{
	static const u8 zero[6];
	u8 m[6];
	int i, hi, lo;

	for (i = 0; i < 6; i++, s += 3) {
		hi = hex_digit(s[0]);
		lo = hi < 0 ? -1 : hex_digit(s[1]);
		if (lo < 0 || s[2] != (i == 5 ? '\0' : ':'))
			return -EINVAL;
		m[i] = hi << 4 | lo;
	}
	/* A NIC's own address must be unicast and not all zero. */
	if ((m[0] & 1) || !memcmp(m, zero, 6))
		return -EINVAL;
	memcpy(mac, m, 6);
	return 0;
}


void nic_default_mac(const char *vm_name, unsigned int index, u8 mac[6])
{
	u8 tail[3];
	u32 h;

	if (vm_name) {
		u8 idx[4] = { index, index >> 8, index >> 16, index >> 24 };

		/* The NUL keeps ("ab", 1) and ("a", ...) from colliding. */
		h = fnv1a(FNV1A_SEED, vm_name, strlen(vm_name) + 1);
		h = fnv1a(h, idx, sizeof(idx));
		tail[0] = h >> 16;
		tail[1] = h >> 8;
		tail[2] = h;
	} else if (getrandom(tail, sizeof(tail), 0) != sizeof(tail)) {
		/* Only before the entropy pool is up; any spread will do. */
		h = fnv1a(FNV1A_SEED, &index, sizeof(index)) ^ getpid() ^
		    (u32)time(NULL);
		tail[0] = h >> 16;
		tail[1] = h >> 8;
		tail[2] = h;
	}
	/* 52:54:00 is what guests and users expect from a KVM host. */
	mac[0] = 0x52;
	mac[1] = 0x54;
	mac[2] = 0x00;
	memcpy(mac + 3, tail, 3);
}

static const struct {
	const char *name;
	enum nic_model model;
	bool fixed_transport;
	enum nic_transport transport;
} nic_types[] = {
	{ "virtio-net", NIC_VIRTIO_NET, false, NIC_TRANSPORT_PCI },
	{ "virtio-net-pci", NIC_VIRTIO_NET, true, NIC_TRANSPORT_PCI },
	{ "virtio-net-device", NIC_VIRTIO_NET, true, NIC_TRANSPORT_MMIO },
	{ "e1000", NIC_E1000, true, NIC_TRANSPORT_PCI },
	{ "e1000-82540em", NIC_E1000, true, NIC_TRANSPORT_PCI },	/* QEMU's */
	{ "rtl8139", NIC_RTL8139, true, NIC_TRANSPORT_PCI },
};

static const char *const transport_names[] = {
	[NIC_TRANSPORT_PCI] = "pci",
	[NIC_TRANSPORT_MMIO] = "mmio",
};

static int nic_transport(const struct parse_ctx *c, const struct item *it,
			 unsigned int type, struct nic_cfg *cfg)
{
	unsigned int i;

	/* An emulated NIC is a PCI card: there is nothing to choose. */
	if (nic_types[type].model != NIC_VIRTIO_NET)
		return bad(c, "%s=%s is not a %s option", it->key, it->val,
			   nic_types[type].name);
	for (i = 0; i < ARRAY_SIZE(transport_names); i++)
		if (!strcmp(it->val, transport_names[i]))
			break;
	if (i == ARRAY_SIZE(transport_names))
		return bad(c, "%s=%s is not pci or mmio", it->key, it->val);
	if (nic_types[type].fixed_transport &&
	    nic_types[type].transport != i)
		return bad(c, "%s=%s contradicts %s", it->key, it->val,
			   nic_types[type].name);
	cfg->transport = i;
	return 0;
}

static int nic_type(const struct parse_ctx *c, const struct item *it,
		    unsigned int *type)
{
	const char *s = first_item_type(it, "driver");
	unsigned int i;

	for (i = 0; s && i < ARRAY_SIZE(nic_types); i++) {
		if (!strcmp(s, nic_types[i].name)) {
			*type = i;
			return 0;
		}
	}
	if (s)
		return bad(c, "%s is not a device type (--device help lists them)",
			   s);
	return bad(c, "%s=%s is not a device type (--device help lists them)",
		   it->key, it->val);
}

/* rtl8139's rev=: its PCI revision, 0-255, decimal or 0x hex. */
static int nic_rev(const struct parse_ctx *c, const struct item *it,
		   unsigned int type, struct nic_cfg *cfg)
{
	unsigned long v;
	char *end;

	if (nic_types[type].model != NIC_RTL8139)
		return bad(c, "%s=%s is not a %s option", it->key, it->val,
			   nic_types[type].name);
	/* 0x for hex; a leading 0 alone is no octal here. */
	errno = 0;
	if (it->val[0] == '0' && (it->val[1] == 'x' || it->val[1] == 'X') &&
	    isxdigit((unsigned char)it->val[2]))
		v = strtoul(it->val + 2, &end, 16);
	else
		v = strtoul(it->val, &end, 10);
	if (!isdigit((unsigned char)it->val[0]) || *end || errno ||
	    v > 0xff)
		return bad(c, "%s=%s is not a PCI revision (0-255, or 0x00-0xff)",
			   it->key, it->val);
	cfg->has_rev = true;
	cfg->rev = v;
	return 0;
}

static int nic_items(const struct parse_ctx *c, const struct items *it,
		     unsigned int type, struct nic_cfg *cfg)
{
	static const char *const keys[] = { "netdev", "mac", "transport",
					    "rev" };
	unsigned int seen = 0, i, k;
	int ret;

	for (i = 1; i < it->n; i++) {
		const struct item *item = &it->v[i];

		if (!*item->key)
			return bad(c, "empty item (a stray ',')");
		for (k = 0; k < ARRAY_SIZE(keys); k++)
			if (!strcmp(item->key, keys[k]))
				break;
		if (k == ARRAY_SIZE(keys))
			return bad(c, "%s%s%s is not a %s option", item->key,
				   item->val ? "=" : "",
				   item->val ? item->val : "",
				   nic_types[type].name);
		if (!item->val)
			return bad(c, "%s needs a value (%s=...)", item->key,
				   item->key);
		if (seen & (1u << k))
			return bad(c, "%s=%s: %s= given twice", item->key,
				   item->val, item->key);
		seen |= 1u << k;

		if (k == 0) {
			ret = parse_id(c, item, &cfg->netdev);
		} else if (k == 1) {
			ret = parse_mac(item->val, cfg->mac);
			if (ret)
				ret = bad(c, "%s=%s is not a unicast MAC address (52:54:00:12:34:56)",
					  item->key, item->val);
			cfg->has_mac = !ret;
		} else if (k == 2) {
			ret = nic_transport(c, item, type, cfg);
		} else {
			ret = nic_rev(c, item, type, cfg);
		}
		if (ret)
			return ret;
	}
	if (!cfg->netdev)
		return bad(c, "netdev= is missing");
	return 0;
}

int nic_parse(const char *spec, struct nic_cfg *out)
{
	struct parse_ctx c = { "--device", spec };
	struct items it;
	unsigned int type = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = items_split(spec, &it);
	if (ret)
		return ret;
	ret = nic_type(&c, &it.v[0], &type);
	if (!ret) {
		out->model = nic_types[type].model;
		out->transport = nic_types[type].transport;
		ret = nic_items(&c, &it, type, out);
	}
	items_free(&it);
	if (ret) {
		nic_cfg_free(out);
		memset(out, 0, sizeof(*out));
	}
	return ret;
}

void nic_cfg_free(struct nic_cfg *cfg)
{
	free(cfg->netdev);
	cfg->netdev = NULL;
}

static int nic_model_by_name(const char *s)
{
	unsigned int i;

	/* QEMU's -nic also takes the short "virtio". */
	if (!strcmp(s, "virtio"))
		return 0;
	for (i = 0; i < ARRAY_SIZE(nic_types); i++)
		if (!strcmp(s, nic_types[i].name))
			return i;
	return -1;
}

void nic_models_print(FILE *f)
{
	unsigned int i;

	fprintf(f, "NIC models (--device MODEL,... or --nic TYPE,model=MODEL):\n");
	for (i = 0; i < ARRAY_SIZE(nic_types); i++)
		fprintf(f, "  %s\n", nic_types[i].name);
}

/*
 * --nic TYPE[,model=M][,mac=MAC][,transport=T][,netdev keys...]: QEMU's
 * shortcut for a netdev and the NIC joined to it. The NIC's keys are
 * taken out; the rest is a --netdev of TYPE whose id, unless given, is
 * "__nicN": no --netdev id can start with '_', so it cannot clash.
 */
int nic_shortcut_parse(const char *spec, unsigned int index,
		       struct netdev_cfg *nd, struct nic_cfg *nic)
{
	struct parse_ctx c = { "--nic", spec };
	struct items it, rest = { 0 };
	int model = 0, ret;
	char id[16];
	unsigned int i;
	const char *transport = NULL;

	memset(nic, 0, sizeof(*nic));
	ret = items_split(spec, &it);
	if (ret)
		return ret;
	rest.v = calloc(it.n, sizeof(*rest.v));
	if (!rest.v) {
		items_free(&it);
		return -ENOMEM;
	}
	rest.v[rest.n++] = it.v[0];
	if (!strcmp(it.v[0].key, "model") && it.v[0].val &&
	    !strcmp(it.v[0].val, "help")) {
		nic_models_print(stdout);
		ret = NIC_SHORTCUT_HELP;
		goto out;
	}
	if (!strcmp(it.v[0].key, "none") && !it.v[0].val) {
		ret = it.n == 1 ? NIC_SHORTCUT_NONE :
				  bad(&c, "none takes no options");
		goto out;
	}
	for (i = 1; i < it.n && !ret; i++) {
		const struct item *item = &it.v[i];

		if (item->val && !strcmp(item->key, "model")) {
			if (!strcmp(item->val, "help")) {
				nic_models_print(stdout);
				ret = NIC_SHORTCUT_HELP;
				goto out;
			}
			model = nic_model_by_name(item->val);
			if (model < 0)
				ret = bad(&c, "model=%s is not a NIC model (--nic model=help lists them)",
					  item->val);
		} else if (item->val && !strcmp(item->key, "mac")) {
			if (parse_mac(item->val, nic->mac))
				ret = bad(&c, "mac=%s is not a unicast MAC address (52:54:00:12:34:56)",
					  item->val);
			nic->has_mac = true;
		} else if (item->val && !strcmp(item->key, "transport")) {
			transport = item->val;
		} else {
			rest.v[rest.n++] = *item;
		}
	}
	if (ret)
		goto out;
	nic->model = nic_types[model].model;
	nic->transport = nic_types[model].transport;
	if (transport) {
		struct item t = { "transport", transport };

		ret = nic_transport(&c, &t, model, nic);
		if (ret)
			goto out;
	}
	snprintf(id, sizeof(id), "__nic%u", index);
	ret = netdev_parse_items(&c, &rest, id, nd);
	if (ret)
		goto out;
	nic->netdev = strdup(nd->id);
	if (!nic->netdev) {
		netdev_cfg_free(nd);
		ret = -ENOMEM;
	}
out:
	free(rest.v);
	items_free(&it);
	return ret;
}

/* ---- QEMU's legacy -net ---- */

static int legacy_vlan(const struct parse_ctx *c, const struct item *item,
		       unsigned int *vlan)
{
	unsigned long v;

	if (!item->val || !opt_parse_uint(item->val, 1u << 30, &v))
		return bad(c, "vlan=%s is not a hub number",
			   item->val ? item->val : "");
	*vlan = v;
	return 0;
}

/* The hubport that joins a -net NIC or back end to hub vlan. */
static int legacy_port(unsigned int vlan, unsigned int index,
		       const char *backend, struct netdev_cfg *port)
{
	char id[40];

	netdev_cfg_init(port);
	port->type = NETDEV_HUBPORT;
	port->vhost = OPT_OFF;
	port->hubid = vlan;
	port->has_hubid = true;
	snprintf(id, sizeof(id), "hub%uport%u", vlan, index);
	port->id = strdup(id);
	if (backend)
		port->hub_netdev = strdup(backend);
	if (!port->id || (backend && !port->hub_netdev)) {
		netdev_cfg_free(port);
		return -ENOMEM;
	}
	return 0;
}

static int legacy_nic(const struct parse_ctx *c, const struct items *it,
		      unsigned int index, struct legacy_net *out)
{
	unsigned int vlan = 0, i;
	bool has_vlan = false;
	int model = 0, ret = 0;

	for (i = 1; i < it->n && !ret; i++) {
		const struct item *item = &it->v[i];

		if (!strcmp(item->key, "model") && item->val) {
			if (!strcmp(item->val, "help")) {
				nic_models_print(stdout);
				return LEGACY_NET_HELP;
			}
			model = nic_model_by_name(item->val);
			if (model < 0)
				ret = bad(c, "model=%s is not a NIC model (-net nic,model=help lists them)",
					  item->val);
		} else if ((!strcmp(item->key, "macaddr") ||
			    !strcmp(item->key, "mac")) && item->val) {
			if (parse_mac(item->val, out->nic.mac))
				ret = bad(c, "%s=%s is not a unicast MAC address (52:54:00:12:34:56)",
					  item->key, item->val);
			out->nic.has_mac = true;
		} else if (!strcmp(item->key, "vlan")) {
			ret = legacy_vlan(c, item, &vlan);
			has_vlan = true;
		} else if (!strcmp(item->key, "netdev") && item->val) {
			ret = parse_id(c, item, &out->nic.netdev);
		} else if (!strcmp(item->key, "name") && item->val) {
			/* QEMU's label for info network: ours are generated. */
		} else {
			ret = bad(c, "%s%s%s is not a -net nic option (model=, macaddr=, netdev=, vlan=, name=)",
				  item->key, item->val ? "=" : "",
				  item->val ? item->val : "");
		}
	}
	if (!ret && has_vlan && out->nic.netdev)
		ret = bad(c, "vlan= and netdev= exclude each other");
	if (ret)
		return ret;
	out->nic.model = nic_types[model].model;
	out->nic.transport = nic_types[model].transport;
	out->kind = LEGACY_NET_NIC;
	if (out->nic.netdev)
		return 0;
	/* No netdev=: the NIC sits on hub vlan, through a port of its own. */
	ret = legacy_port(vlan, index, NULL, &out->port);
	if (!ret)
		out->nic.netdev = strdup(out->port.id);
	if (!ret && !out->nic.netdev)
		ret = -ENOMEM;
	if (!ret)
		out->has_port = true;
	return ret;
}

static int legacy_backend(const struct parse_ctx *c, const struct items *it,
			  unsigned int index, struct legacy_net *out)
{
	struct items rest = { 0 };
	const char *name = NULL;
	unsigned int vlan = 0, i;
	char id[40];
	int ret = 0;

	if (!strcmp(it->v[0].key, "hubport") || it->v[0].val)
		return bad(c, "%s is not a -net type (nic, none, or a back end: user, tap, bridge, socket, stream, dgram)",
			   it->v[0].key);
	rest.v = calloc(it->n, sizeof(*rest.v));
	if (!rest.v)
		return -ENOMEM;
	rest.v[rest.n++] = it->v[0];
	for (i = 1; i < it->n && !ret; i++) {
		const struct item *item = &it->v[i];

		if (!strcmp(item->key, "vlan"))
			ret = legacy_vlan(c, item, &vlan);
		else if (!strcmp(item->key, "name") && item->val)
			name = item->val;
		else
			rest.v[rest.n++] = *item;
	}
	if (!ret && name && !id_ok(name))
		ret = bad(c, "name=%s: a name starts with a letter and has letters, digits, '-', '.' or '_'",
			  name);
	if (!ret) {
		/* QEMU's names: TYPE.N, and hubHportN for its hub port. */
		snprintf(id, sizeof(id), "%s.%u", it->v[0].key, index);
		ret = netdev_parse_items(c, &rest, name ? name : id,
					 &out->backend);
	}
	free(rest.v);
	if (ret)
		return ret;
	out->kind = LEGACY_NET_BACKEND;
	ret = legacy_port(vlan, index, out->backend.id, &out->port);
	if (ret) {
		netdev_cfg_free(&out->backend);
		return ret;
	}
	out->has_port = true;
	return 0;
}

int legacy_net_parse(const char *spec, unsigned int index,
		     struct legacy_net *out)
{
	struct parse_ctx c = { "-net", spec };
	struct items it;
	int ret;

	memset(out, 0, sizeof(*out));
	netdev_cfg_init(&out->backend);
	netdev_cfg_init(&out->port);
	ret = items_split(spec, &it);
	if (ret)
		return ret;
	if (!strcmp(it.v[0].key, "none") && !it.v[0].val)
		ret = it.n == 1 ? LEGACY_NET_NONE_GIVEN :
				  bad(&c, "none takes no options");
	else if (!strcmp(it.v[0].key, "nic") && !it.v[0].val)
		ret = legacy_nic(&c, &it, index, out);
	else
		ret = legacy_backend(&c, &it, index, out);
	items_free(&it);
	if (ret)
		legacy_net_free(out);
	return ret;
}

void legacy_net_free(struct legacy_net *ln)
{
	netdev_cfg_free(&ln->backend);
	netdev_cfg_free(&ln->port);
	nic_cfg_free(&ln->nic);
	ln->has_port = false;
}

/* ---- --object filter-dump and --pcap ---- */

static int capture_check_file(const struct parse_ctx *c, const char *key,
			      const char *val, struct capture_cfg *cfg)
{
	if (!*val)
		return bad(c, "%s= is empty", key);
	cfg->file = strdup(val);
	return cfg->file ? 0 : -ENOMEM;
}

int capture_parse_object(const char *spec, struct capture_cfg *out)
{
	struct parse_ctx c = { "--object", spec };
	static const char *const keys[] = { "id", "netdev", "file", "maxlen" };
	unsigned int seen = 0, i, k;
	struct items it;
	unsigned long v;
	int ret;

	memset(out, 0, sizeof(*out));
	out->maxlen = CAPTURE_DEFAULT_MAXLEN;
	ret = items_split(spec, &it);
	if (ret)
		return ret;
	if (strcmp(first_item_type(&it.v[0], "qom-type") ?: "", "filter-dump")) {
		ret = bad(&c, "only filter-dump objects exist");
		goto out;
	}
	for (i = 1; i < it.n && !ret; i++) {
		const struct item *item = &it.v[i];

		for (k = 0; k < ARRAY_SIZE(keys); k++)
			if (!strcmp(item->key, keys[k]))
				break;
		if (k == ARRAY_SIZE(keys)) {
			ret = bad(&c, "%s is not a filter-dump option", item->key);
			break;
		}
		if (!item->val) {
			ret = bad(&c, "%s needs a value (%s=...)", item->key,
				  item->key);
			break;
		}
		if (seen & (1u << k)) {
			ret = bad(&c, "%s= given twice", item->key);
			break;
		}
		seen |= 1u << k;
		switch (k) {
		case 0: ret = parse_id(&c, item, &out->id); break;
		case 1: ret = parse_id(&c, item, &out->netdev); break;
		case 2: ret = capture_check_file(&c, item->key, item->val, out); break;
		case 3:
			if (!opt_parse_uint(item->val, 1u << 30, &v) || v < 14)
				ret = bad(&c, "maxlen=%s is not a byte count (14 or more)",
					  item->val);
			else
				out->maxlen = v;
			break;
		}
	}
	if (!ret && !out->id)
		ret = bad(&c, "id= is missing");
	if (!ret && !out->netdev)
		ret = bad(&c, "netdev= is missing");
	if (!ret && !out->file)
		ret = bad(&c, "file= is missing");
out:
	items_free(&it);
	if (ret)
		capture_cfg_free(out);
	return ret;
}

int capture_parse_pcap(const char *spec, struct capture_cfg *out)
{
	struct parse_ctx c = { "--pcap", spec };
	const char *eq = strchr(spec, '=');
	int ret;

	memset(out, 0, sizeof(*out));
	out->maxlen = CAPTURE_DEFAULT_MAXLEN;
	if (!eq)
		return bad(&c, "expected NETDEV=FILE");
	out->netdev = strndup(spec, eq - spec);
	if (!out->netdev)
		return -ENOMEM;
	/* The generated ids of --nic ("__nic0") are fine here too. */
	if (strncmp(out->netdev, "__nic", 5) && !id_ok(out->netdev)) {
		ret = bad(&c, "%s is not a netdev id", out->netdev);
		capture_cfg_free(out);
		return ret;
	}
	ret = capture_check_file(&c, "file", eq + 1, out);
	if (ret)
		capture_cfg_free(out);
	return ret;
}

void capture_cfg_free(struct capture_cfg *cfg)
{
	free(cfg->id);
	free(cfg->netdev);
	free(cfg->file);
	cfg->id = cfg->netdev = cfg->file = NULL;
}

const char *netdev_type_name(enum netdev_type type)
{
	return type < ARRAY_SIZE(netdev_type_names) ? netdev_type_names[type] :
						       "?";
}

/* The name QEMU's `info network` would give: the model and its bus. */
const char *nic_model_name(const struct nic_cfg *nc)
{
	if (nc->model == NIC_E1000)
		return "e1000";
	if (nc->model == NIC_RTL8139)
		return "rtl8139";
	return nc->transport == NIC_TRANSPORT_MMIO ? "virtio-net-device" :
						     "virtio-net-pci";
}

int opt_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int opt_nomem(char *err, size_t errlen)
{
	opt_err(err, errlen, "out of memory");
	return -ENOMEM;
}
