// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of --netdev socket, stream and dgram, with QEMU's meanings, so
 * that a QEMU command line joins the same network under knit. Every
 * rejection is one line in err naming the key and the bad part, then
 * -EINVAL; nothing is printed here.
 *
 * QEMU's rules kept as they are:
 *  - socket takes exactly one of listen=, connect=, mcast=, udp=;
 *    localaddr= goes with mcast= (an interface address) and is required
 *    with udp= (the HOST:PORT to bind); mcast= must be an IPv4
 *    multicast group.
 *  - stream is a client unless server=on; reconnect= is for clients.
 *  - dgram with a multicast remote.host joins that group (local is then
 *    optional: the interface); otherwise it needs local and remote of
 *    the same type.
 *
 * Decisions beyond QEMU's own rules:
 *  - Hosts are an IPv4 or IPv6 address or a host name (labels of 1-63
 *    letters, digits or '-'; 253 bytes at most); "1.2.3" and "256.0.0.1"
 *    are neither. In socket's HOST:PORT an IPv6 address is bracketed.
 *  - Ports are plain decimal 1-65535, listening ports too (no port 0:
 *    nobody could tell the peer which port it got).
 *  - A host may be left empty only where it means "any address": a
 *    listener, or the local end of udp=/dgram.
 *  - reconnect= also goes with socket's connect= (QEMU has it on
 *    stream only); reconnect-ms= (newer QEMU) is taken too, and the
 *    two exclude each other. 0 means no reconnecting, at most a day.
 *  - dgram's local.port= is taken and ignored with a multicast remote,
 *    as QEMU's type system asks for it there.
 *  - Keys are taken once each; addr.type=fd and the tuning keys
 *    (addr.numeric, keep-alive, abstract, ...) are not supported.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/options.h"
#include "net/socket_options.h"

#define HOST_MAX_LEN	253

enum socket_key {
	/* socket */
	SK_LISTEN,
	SK_CONNECT,
	SK_MCAST,
	SK_UDP,
	SK_LOCALADDR,
	/* stream */
	SK_SERVER,
	SK_RECONNECT,
	SK_RECONNECT_MS,
	SK_NR,
};

#define K_SOCKET	(1u << SOCKET_KIND_SOCKET)
#define K_STREAM	(1u << SOCKET_KIND_STREAM)
#define K_DGRAM		(1u << SOCKET_KIND_DGRAM)

static const struct {
	const char *name;
	unsigned int kinds;
} socket_keys[SK_NR] = {
	[SK_LISTEN]		= { "listen", K_SOCKET },
	[SK_CONNECT]		= { "connect", K_SOCKET },
	[SK_MCAST]		= { "mcast", K_SOCKET },
	[SK_UDP]		= { "udp", K_SOCKET },
	[SK_LOCALADDR]		= { "localaddr", K_SOCKET },
	[SK_SERVER]		= { "server", K_STREAM },
	[SK_RECONNECT]		= { "reconnect", K_SOCKET | K_STREAM },
	[SK_RECONNECT_MS]	= { "reconnect-ms", K_SOCKET | K_STREAM },
};

/* The parts of an address key: addr.type, remote.host, local.path... */
enum addr_field {
	AK_TYPE,
	AK_HOST,
	AK_PORT,
	AK_PATH,
	AK_NR,
};

static const char *const addr_fields[AK_NR] = {
	[AK_TYPE] = "type",
	[AK_HOST] = "host",
	[AK_PORT] = "port",
	[AK_PATH] = "path",
};

#define GIVEN(k)	(1u << (k))
/* cfg->given bit of the server= value; only meaningful when SK_SERVER */
#define SERVER_ON	(1u << 31)


static int take_string(const char *val, size_t n, char **out, char *err,
		       size_t errlen)
{
	free(*out);
	*out = strndup(val, n);
	return *out ? 0 : opt_nomem(err, errlen);
}

void socket_cfg_init(struct socket_cfg *cfg, enum socket_kind kind)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->kind = kind;
}

static void addr_free(struct socket_addr *a)
{
	free(a->host);
	free(a->path);
	memset(a, 0, sizeof(*a));
}

void socket_cfg_free(struct socket_cfg *cfg)
{
	addr_free(&cfg->addr);
	addr_free(&cfg->local);
	free(cfg->localaddr);
	cfg->localaddr = NULL;
}

/* ---- values ---- */

static bool ip4_ok(const char *s)
{
	struct in_addr a;

	return inet_pton(AF_INET, s, &a) == 1;
}

static bool ip6_ok(const char *s)
{
	struct in6_addr a;

	return inet_pton(AF_INET6, s, &a) == 1;
}

static bool mcast4_ok(const char *s)
{
	struct in_addr a;

	return inet_pton(AF_INET, s, &a) == 1 && IN_MULTICAST(ntohl(a.s_addr));
}

/* A host name, or an address; digits and dots alone must be an address. */
static bool host_ok(const char *s)
{
	size_t len = strlen(s), label = 0;
	bool digits_dots = true;
	const char *p;

	if (ip4_ok(s) || ip6_ok(s))
		return true;
	if (len && s[len - 1] == '.')
		len--;
	if (!len || len > HOST_MAX_LEN)
		return false;
	for (p = s; p < s + len; p++) {
		if (*p == '.') {
			if (!label || p[-1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-')
			return false;
		if (*p == '-' && !label)
			return false;
		if (!isdigit((unsigned char)*p))
			digits_dots = false;
		if (++label > 63)
			return false;
	}
	return label && !digits_dots && p[-1] != '-';
}

static bool parse_port(const char *s, u16 *port)
{
	unsigned long v;

	if (!opt_parse_uint(s, 65535, &v) || !v)
		return false;
	*port = v;
	return true;
}

/*
 * [HOST]:PORT into a; HOST may be "[IPv6]" and is left empty only when
 * empty_host allows it.
 */
static int parse_host_port(const char *key, const char *val, bool empty_host,
			   struct socket_addr *a, char *err, size_t errlen)
{
	const char *colon = strrchr(val, ':'), *host = val;
	size_t n;

	if (!colon)
		return opt_err(err, errlen, "%s=%s: the port is missing (HOST:PORT)",
			   key, val);
	n = colon - val;
	if (n >= 2 && val[0] == '[' && val[n - 1] == ']') {
		host++;
		n -= 2;
		if (!n)
			return opt_err(err, errlen,
				   "%s=%s: [] is not an IPv6 address", key, val);
	} else if (memchr(val, ':', n)) {
		return opt_err(err, errlen,
			   "%s=%s: an IPv6 address goes in brackets ([::1]:PORT)",
			   key, val);
	}
	if (!*(colon + 1))
		return opt_err(err, errlen, "%s=%s: the port is missing (HOST:PORT)",
			   key, val);
	if (!parse_port(colon + 1, &a->port))
		return opt_err(err, errlen, "%s=%s: port %s is not 1-65535", key, val,
			   colon + 1);
	if (!n && !empty_host)
		return opt_err(err, errlen, "%s=%s: the host is missing (HOST:PORT)",
			   key, val);
	if (take_string(host, n, &a->host, err, errlen))
		return -ENOMEM;
	if (n && (host != val ? !ip6_ok(a->host) : !host_ok(a->host)))
		return opt_err(err, errlen, "%s=%s: %s is not a host name or address",
			   key, val, a->host);
	a->type = SOCKET_ADDR_INET;
	return 0;
}

static int parse_reconnect(const char *key, const char *val,
			   unsigned long scale, struct socket_cfg *cfg,
			   char *err, size_t errlen)
{
	unsigned long v;

	if (!opt_parse_uint(val, SOCKET_RECONNECT_MAX * 1000 / scale, &v))
		return opt_err(err, errlen, "%s=%s is not a number of %s (0-%lu)",
			   key, val, scale == 1000 ? "seconds" : "milliseconds",
			   SOCKET_RECONNECT_MAX * 1000 / scale);
	cfg->reconnect_ms = v * scale;
	return 0;
}

static int parse_server(const char *val, struct socket_cfg *cfg, char *err,
			size_t errlen)
{
	static const char *const on[] = { "on", "yes", "true" };
	static const char *const off[] = { "off", "no", "false" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(on); i++) {
		if (!strcmp(val, on[i])) {
			cfg->given |= SERVER_ON;
			return 0;
		}
		if (!strcmp(val, off[i]))
			return 0;
	}
	return opt_err(err, errlen, "server=%s is not on or off", val);
}

/* mcast=MADDR:PORT: an IPv4 group, nothing else. */
static int parse_mcast(const char *val, struct socket_cfg *cfg, char *err,
		       size_t errlen)
{
	int ret = parse_host_port("mcast", val, false, &cfg->addr, err, errlen);

	if (ret)
		return ret;
	if (!mcast4_ok(cfg->addr.host))
		return opt_err(err, errlen,
			   "mcast=%s: %s is not an IPv4 multicast address (224.0.0.0-239.255.255.255)",
			   val, cfg->addr.host);
	return 0;
}

static int socket_key(struct socket_cfg *cfg, enum socket_key k,
		      const char *key, const char *val, char *err,
		      size_t errlen)
{
	switch (k) {
	case SK_LISTEN:
		return parse_host_port(key, val, true, &cfg->addr, err, errlen);
	case SK_CONNECT:
	case SK_UDP:
		return parse_host_port(key, val, false, &cfg->addr, err,
				       errlen);
	case SK_MCAST:
		return parse_mcast(val, cfg, err, errlen);
	case SK_LOCALADDR:
		/* ADDR or HOST:PORT: which one depends on mcast= or udp=. */
		return take_string(val, strlen(val), &cfg->localaddr, err,
				   errlen);
	case SK_SERVER:
		return parse_server(val, cfg, err, errlen);
	case SK_RECONNECT:
		return parse_reconnect(key, val, 1000, cfg, err, errlen);
	case SK_RECONNECT_MS:
		return parse_reconnect(key, val, 1, cfg, err, errlen);
	case SK_NR:
		break;
	}
	return 1;
}

/* ---- addr.*, remote.*, local.* ---- */

/* The address a dotted key belongs to, or NULL when kind has none. */
static struct socket_addr *addr_of(struct socket_cfg *cfg, const char *key,
				   size_t n)
{
	if (cfg->kind == SOCKET_KIND_STREAM && n == 4 &&
	    !strncmp(key, "addr", 4))
		return &cfg->addr;
	if (cfg->kind == SOCKET_KIND_DGRAM && n == 6 &&
	    !strncmp(key, "remote", 6))
		return &cfg->addr;
	if (cfg->kind == SOCKET_KIND_DGRAM && n == 5 &&
	    !strncmp(key, "local", 5))
		return &cfg->local;
	return NULL;
}

static int addr_field(struct socket_addr *a, enum addr_field f,
		      const char *key, const char *val, char *err,
		      size_t errlen)
{
	switch (f) {
	case AK_TYPE:
		if (!strcmp(val, "inet"))
			a->type = SOCKET_ADDR_INET;
		else if (!strcmp(val, "unix"))
			a->type = SOCKET_ADDR_UNIX;
		else
			return opt_err(err, errlen, "%s=%s is not inet or unix",
				   key, val);
		return 0;
	case AK_HOST:
		/* Empty is "any"; whether that may be is for finish. */
		if (*val && !host_ok(val))
			return opt_err(err, errlen,
				   "%s=%s is not a host name or address", key,
				   val);
		return take_string(val, strlen(val), &a->host, err, errlen);
	case AK_PORT:
		if (!*val)
			return opt_err(err, errlen, "%s= is empty (a port, 1-65535)",
				   key);
		if (!parse_port(val, &a->port))
			return opt_err(err, errlen, "%s=%s is not a port (1-65535)",
				   key, val);
		return 0;
	case AK_PATH:
		if (!*val)
			return opt_err(err, errlen, "%s= is empty", key);
		if (strlen(val) > SOCKET_PATH_MAX)
			return opt_err(err, errlen,
				   "%s=%s is longer than a UNIX socket path may be (%d bytes)",
				   key, val, SOCKET_PATH_MAX);
		return take_string(val, strlen(val), &a->path, err, errlen);
	case AK_NR:
		break;
	}
	return 1;
}

/* "addr.port" and friends; 1 when key is not one. */
static int addr_key(struct socket_cfg *cfg, const char *key, const char *val,
		    char *err, size_t errlen)
{
	const char *dot = strchr(key, '.');
	struct socket_addr *a;
	unsigned int f;
	int ret;

	if (!dot)
		return 1;
	a = addr_of(cfg, key, dot - key);
	for (f = 0; a && f < AK_NR; f++)
		if (!strcmp(dot + 1, addr_fields[f]))
			break;
	if (!a || f == AK_NR)
		return 1;
	if (!val)
		return opt_err(err, errlen, "%s needs a value (%s=...)", key, key);
	if (a->given & GIVEN(f))
		return opt_err(err, errlen, "%s=%s: %s= given twice", key, val, key);
	ret = addr_field(a, f, key, val, err, errlen);
	if (!ret)
		a->given |= GIVEN(f);
	return ret;
}

int socket_cfg_key(struct socket_cfg *cfg, const char *key, const char *val,
		   char *err, size_t errlen)
{
	unsigned int k;
	int ret;

	for (k = 0; k < SK_NR; k++)
		if (!strcmp(key, socket_keys[k].name) &&
		    (socket_keys[k].kinds & (1u << cfg->kind)))
			break;
	if (k == SK_NR)
		return addr_key(cfg, key, val, err, errlen);
	if (!val)
		return opt_err(err, errlen, "%s needs a value (%s=...)", key, key);
	if (cfg->given & GIVEN(k))
		return opt_err(err, errlen, "%s=%s: %s= given twice", key, val, key);
	if (!*val)
		return opt_err(err, errlen, "%s= is empty", key);
	if ((k == SK_RECONNECT && (cfg->given & GIVEN(SK_RECONNECT_MS))) ||
	    (k == SK_RECONNECT_MS && (cfg->given & GIVEN(SK_RECONNECT))))
		return opt_err(err, errlen,
			   "%s=%s: reconnect= and reconnect-ms= exclude each other",
			   key, val);
	ret = socket_key(cfg, k, key, val, err, errlen);
	if (!ret)
		cfg->given |= GIVEN(k);
	return ret;
}

/* ---- rules across keys ---- */

static int finish_socket(struct socket_cfg *cfg, char *err, size_t errlen)
{
	static const enum socket_key modes[] = { SK_LISTEN, SK_CONNECT,
						 SK_MCAST, SK_UDP };
	static const enum socket_mode mode_of[] = { SOCKET_LISTEN,
						    SOCKET_CONNECT,
						    SOCKET_MCAST, SOCKET_UDP };
	int first = -1;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		if (!(cfg->given & GIVEN(modes[i])))
			continue;
		if (first >= 0)
			return opt_err(err, errlen, "%s= and %s= exclude each other",
				   socket_keys[modes[first]].name,
				   socket_keys[modes[i]].name);
		first = i;
	}
	if (first < 0)
		return opt_err(err, errlen,
			   "one of listen=, connect=, mcast= or udp= is needed");
	cfg->mode = mode_of[first];

	if ((cfg->given & (GIVEN(SK_RECONNECT) | GIVEN(SK_RECONNECT_MS))) &&
	    cfg->mode != SOCKET_CONNECT)
		return opt_err(err, errlen, "%s= goes with connect= only",
			   cfg->given & GIVEN(SK_RECONNECT) ? "reconnect" :
							      "reconnect-ms");
	if (cfg->localaddr && cfg->mode != SOCKET_MCAST &&
	    cfg->mode != SOCKET_UDP)
		return opt_err(err, errlen,
			   "localaddr=%s goes with mcast= or udp= only",
			   cfg->localaddr);
	if (cfg->mode == SOCKET_UDP) {
		if (!cfg->localaddr)
			return opt_err(err, errlen,
				   "udp= needs localaddr=[HOST]:PORT to bind");
		return parse_host_port("localaddr", cfg->localaddr, true,
				       &cfg->local, err, errlen);
	}
	if (cfg->mode == SOCKET_MCAST && cfg->localaddr) {
		if (!ip4_ok(cfg->localaddr))
			return opt_err(err, errlen,
				   "localaddr=%s is not an IPv4 address (the interface to join mcast= on)",
				   cfg->localaddr);
		cfg->local.type = SOCKET_ADDR_INET;
		return take_string(cfg->localaddr, strlen(cfg->localaddr),
				   &cfg->local.host, err, errlen);
	}
	return 0;
}

/*
 * The keys given for address a (prefix "addr", "remote", "local") fit
 * its type; need_host: a client end, whose host may not be "any".
 */
static int check_addr(struct socket_addr *a, const char *prefix,
		      bool need_host, bool need_port, char *err,
		      size_t errlen)
{
	if (!(a->given & GIVEN(AK_TYPE))) {
		unsigned int f;

		for (f = 0; f < AK_NR; f++)
			if (a->given & GIVEN(f))
				return opt_err(err, errlen,
					   "%s.%s= needs %s.type= (inet or unix)",
					   prefix, addr_fields[f], prefix);
		return 0;
	}
	if (a->type == SOCKET_ADDR_UNIX) {
		if (a->given & (GIVEN(AK_HOST) | GIVEN(AK_PORT)))
			return opt_err(err, errlen,
				   "%s.%s= goes with %s.type=inet, not unix",
				   prefix,
				   a->given & GIVEN(AK_HOST) ? "host" : "port",
				   prefix);
		if (!a->path)
			return opt_err(err, errlen, "%s.path= is missing", prefix);
		return 0;
	}
	if (a->given & GIVEN(AK_PATH))
		return opt_err(err, errlen,
			   "%s.path= goes with %s.type=unix, not inet", prefix,
			   prefix);
	if (need_host && (!a->host || !*a->host))
		return opt_err(err, errlen, "%s.host= is missing", prefix);
	if (need_port && !a->port)
		return opt_err(err, errlen, "%s.port= is missing", prefix);
	if (!a->host) {
		a->host = strdup("");
		if (!a->host)
			return opt_nomem(err, errlen);
	}
	return 0;
}

static int finish_stream(struct socket_cfg *cfg, char *err, size_t errlen)
{
	bool server = cfg->given & SERVER_ON;
	int ret;

	if (!cfg->addr.given)
		return opt_err(err, errlen,
			   "addr.type= is missing (inet with addr.host= and addr.port=, or unix with addr.path=)");
	ret = check_addr(&cfg->addr, "addr", !server, true, err, errlen);
	if (ret)
		return ret;
	if (server &&
	    (cfg->given & (GIVEN(SK_RECONNECT) | GIVEN(SK_RECONNECT_MS))))
		return opt_err(err, errlen,
			   "%s= goes with server=off only (a server waits for its next client)",
			   cfg->given & GIVEN(SK_RECONNECT) ? "reconnect" :
							      "reconnect-ms");
	cfg->mode = server ? SOCKET_LISTEN : SOCKET_CONNECT;
	return 0;
}

static int finish_dgram(struct socket_cfg *cfg, char *err, size_t errlen)
{
	struct socket_addr *r = &cfg->addr, *l = &cfg->local;
	bool has_r = r->given & GIVEN(AK_TYPE);
	bool has_l = l->given & GIVEN(AK_TYPE);
	int ret;

	ret = check_addr(r, "remote", true, true, err, errlen);
	if (!ret)
		ret = check_addr(l, "local", false, false, err, errlen);
	if (ret)
		return ret;
	if (!has_r && !has_l)
		return opt_err(err, errlen,
			   "remote.type= and local.type= are missing (inet or unix)");
	if (has_r && r->type == SOCKET_ADDR_INET && mcast4_ok(r->host)) {
		/* A group: local, if any, names the interface. */
		if (has_l && l->type != SOCKET_ADDR_INET)
			return opt_err(err, errlen,
				   "local.type=unix does not go with a multicast remote.host=%s",
				   r->host);
		if (has_l && !ip4_ok(l->host))
			return opt_err(err, errlen,
				   "local.host=%s is not an IPv4 address (the interface to join %s on)",
				   l->host, r->host);
		l->port = 0;
		cfg->mode = SOCKET_MCAST;
		return 0;
	}
	if (!has_l)
		return opt_err(err, errlen,
			   "local.type= is missing (dgram needs a local address unless remote.host= is a multicast group)");
	if (!has_r)
		return opt_err(err, errlen, "remote.type= is missing");
	if (r->type != l->type)
		return opt_err(err, errlen,
			   "remote.type=%s and local.type=%s differ",
			   r->type == SOCKET_ADDR_INET ? "inet" : "unix",
			   l->type == SOCKET_ADDR_INET ? "inet" : "unix");
	if (l->type == SOCKET_ADDR_INET && !l->port)
		return opt_err(err, errlen, "local.port= is missing");
	cfg->mode = SOCKET_UDP;
	return 0;
}

int socket_cfg_finish(struct socket_cfg *cfg, char *err, size_t errlen)
{
	switch (cfg->kind) {
	case SOCKET_KIND_SOCKET:
		return finish_socket(cfg, err, errlen);
	case SOCKET_KIND_STREAM:
		return finish_stream(cfg, err, errlen);
	case SOCKET_KIND_DGRAM:
		return finish_dgram(cfg, err, errlen);
	}
	return opt_err(err, errlen, "unknown socket kind %d", cfg->kind);
}

void socket_addr_format(const struct socket_addr *a, char *buf, size_t len)
{
	const char *host;

	if (a->type == SOCKET_ADDR_UNIX) {
		snprintf(buf, len, "unix:%s", a->path);
		return;
	}
	host = a->host && *a->host ? a->host : "0.0.0.0";
	if (strchr(host, ':'))
		snprintf(buf, len, "[%s]:%u", host, a->port);
	else
		snprintf(buf, len, "%s:%u", host, a->port);
}
