// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of --netdev user, with QEMU's meanings and defaults, so that a
 * QEMU command line gives the guest the same addresses under knit. Every
 * rejection is one line in err naming the key and the bad part, then
 * -EINVAL; nothing is printed here.
 *
 * QEMU's rules kept as they are:
 *  - net=ADDR without a mask takes QEMU's classful table (classful_mask()),
 *    so net=192.168.76.0 is 192.168.0.0/16 as it is under QEMU.
 *  - The defaults of host, dhcpstart, dns (and of a guestfwd address) are
 *    10.0.2.2, .15, .3 (and .4) seen through the mask: net + 2 on a /24,
 *    10.0.2.2 itself on net=10.0.0.0/8.
 *  - dns, host and dhcpstart must differ from one another.
 *  - ipv4=on alone means IPv4 only, ipv6=on alone IPv6 only; both off is
 *    refused, and so are IPv4 (IPv6) addresses with IPv4 (IPv6) off.
 *  - guestfwd takes only tcp, and its address must be inside net and be
 *    neither host nor dns (libslirp's own rule, checked here up front).
 *
 * Decisions beyond QEMU's own rules:
 *  - Addresses are dotted quads (inet_pton), not inet_aton's short forms;
 *    ports are plain decimal, 1-65535, host ports too.
 *  - A dotted netmask must be contiguous; a prefix length may be 0-32.
 *  - host, dhcpstart, dns and given forward addresses may not be the
 *    network or broadcast address of net.
 *  - ipv6-net= (ipv6-prefix=) is masked to its prefix length, like net=;
 *    the length is 1-126, and ipv6-net= excludes ipv6-prefix= and
 *    ipv6-prefixlen=.
 *  - hostname, domainname, dnssearch and tftp-server-name must be domain
 *    names (labels of 1-63 letters, digits, '-' or '_'; 253 bytes at
 *    most); bootfile must fit BOOTP's 128-byte file field; no value may
 *    be empty.
 *  - The same hostfwd host side (or guestfwd address and port) twice is
 *    refused; so are forwards with IPv4 off, which cannot work.
 *  - user_parse_hostfwd() writes only what is wrong ("host port 0 is not
 *    1-65535"): the caller knows the rule and how it was typed.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/options.h"
#include "net/user_options.h"

#define HOSTFWD_SYNTAX	"[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT"
#define GUESTFWD_SYNTAX	"[tcp]:[ADDR]:PORT-cmd:COMMAND or -tcp:HOST:PORT"
#define NAME_MAX_LEN	253	/* a domain name, without its final dot */
#define BOOTFILE_MAX	127	/* BOOTP's file field, less its NUL */

enum user_key {
	UK_NET,
	UK_HOST,
	UK_DHCPSTART,
	UK_DNS,
	UK_RESTRICT,
	UK_HOSTNAME,
	UK_DOMAINNAME,
	UK_DNSSEARCH,
	UK_HOSTFWD,
	UK_GUESTFWD,
	UK_TFTP,
	UK_TFTP_SERVER_NAME,
	UK_BOOTFILE,
	UK_IPV4,
	UK_IPV6,
	UK_IPV6_NET,
	UK_IPV6_PREFIX,
	UK_IPV6_PREFIXLEN,
	UK_IPV6_HOST,
	UK_IPV6_DNS,
	UK_NR,
};

static const struct {
	const char *name;
	bool repeats;
} user_keys[UK_NR] = {
	[UK_NET]		= { "net" },
	[UK_HOST]		= { "host" },
	[UK_DHCPSTART]		= { "dhcpstart" },
	[UK_DNS]		= { "dns" },
	[UK_RESTRICT]		= { "restrict" },
	[UK_HOSTNAME]		= { "hostname" },
	[UK_DOMAINNAME]		= { "domainname" },
	[UK_DNSSEARCH]		= { "dnssearch", true },
	[UK_HOSTFWD]		= { "hostfwd", true },
	[UK_GUESTFWD]		= { "guestfwd", true },
	[UK_TFTP]		= { "tftp" },
	[UK_TFTP_SERVER_NAME]	= { "tftp-server-name" },
	[UK_BOOTFILE]		= { "bootfile" },
	[UK_IPV4]		= { "ipv4" },
	[UK_IPV6]		= { "ipv6" },
	[UK_IPV6_NET]		= { "ipv6-net" },
	[UK_IPV6_PREFIX]	= { "ipv6-prefix" },
	[UK_IPV6_PREFIXLEN]	= { "ipv6-prefixlen" },
	[UK_IPV6_HOST]		= { "ipv6-host" },
	[UK_IPV6_DNS]		= { "ipv6-dns" },
};

#define GIVEN(k)	(1u << (k))



static bool parse_port(const char *s, u16 *port)
{
	unsigned long v;

	if (!opt_parse_uint(s, 65535, &v) || !v)
		return false;
	*port = v;
	return true;
}

static bool parse_ip4(const char *s, struct in_addr *out)
{
	return inet_pton(AF_INET, s, out) == 1;
}

static bool parse_ip6(const char *s, struct in6_addr *out)
{
	return inet_pton(AF_INET6, s, out) == 1;
}

/* Host order, for arithmetic on addresses. */
static u32 h32(struct in_addr a)
{
	return ntohl(a.s_addr);
}

static struct in_addr n32(u32 v)
{
	struct in_addr a = { .s_addr = htonl(v) };

	return a;
}

static unsigned int mask_len(struct in_addr mask)
{
	return __builtin_popcount(h32(mask));
}

/* Ones, then zeros: 255.255.240.0, not 255.0.255.0. */
static bool mask_contiguous(u32 mask)
{
	return !(~mask & (~mask + 1));
}

static u32 prefix_mask(unsigned int len)
{
	return len ? 0xffffffffu << (32 - len) : 0;
}

/*
 * QEMU's choice of mask for net=ADDR without one, kept as QEMU has it so
 * that a command line means the same network under knit.
 */
static u32 classful_mask(u32 a)
{
	if (!(a & 0x80000000))
		return 0xff000000;		/* class A */
	if ((a & 0xfff00000) == 0xac100000)
		return 0xfff00000;		/* 172.16.0.0/12 */
	if ((a & 0xc0000000) == 0x80000000)
		return 0xffff0000;		/* class B */
	if ((a & 0xffff0000) == 0xc0a80000)
		return 0xffff0000;		/* 192.168.0.0/16 */
	if ((a & 0xffff0000) == 0xc6120000)
		return 0xfffe0000;		/* /15, but only 198.18 gets it */
	if ((a & 0xe0000000) == 0xe0000000)
		return 0xffffff00;		/* multicast and class E */
	return 0xfffffff0;			/* the rest of class C */
}

/* QEMU's default for an address: 10.0.2.low as seen through the mask. */
static struct in_addr net_default(const struct user_cfg *cfg, u32 low)
{
	return n32(h32(cfg->net) | (low & ~h32(cfg->mask)));
}

static bool domain_ok(const char *s)
{
	size_t len = strlen(s), label = 0;

	if (len && s[len - 1] == '.')
		len--;
	if (!len || len > NAME_MAX_LEN)
		return false;
	for (; len; s++, len--) {
		if (*s == '.') {
			if (!label)
				return false;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

static int take_string(const char *val, char **out, char *err,
		       size_t errlen)
{
	free(*out);
	*out = strdup(val);
	return *out ? 0 : opt_nomem(err, errlen);
}

static int parse_name(const char *key, const char *val, char **out,
		      char *err, size_t errlen)
{
	if (!domain_ok(val))
		return opt_err(err, errlen,
			   "%s=%s is not a domain name (labels of 1-63 letters, digits, '-' or '_'; %d bytes at most)",
			   key, val, NAME_MAX_LEN);
	return take_string(val, out, err, errlen);
}

static int parse_bool(const char *key, const char *val, bool y_n, bool *out,
		      char *err, size_t errlen)
{
	static const char *const on[] = { "on", "yes", "true", "y" };
	static const char *const off[] = { "off", "no", "false", "n" };
	unsigned int i, n = y_n ? 4 : 3;

	for (i = 0; i < n; i++) {
		if (!strcmp(val, on[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(val, off[i])) {
			*out = false;
			return 0;
		}
	}
	return opt_err(err, errlen, "%s=%s is not on or off", key, val);
}

/* The first n bytes of s into buf, if they fit. */
static bool copy_part(char *buf, size_t size, const char *s, size_t n)
{
	if (n >= size)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return true;
}

/* net=ADDR[/LEN|/MASK] */
static int parse_net(const char *val, struct user_cfg *cfg, char *err,
		     size_t errlen)
{
	const char *slash = strchr(val, '/');
	size_t n = slash ? (size_t)(slash - val) : strlen(val);
	char addr[INET_ADDRSTRLEN];
	struct in_addr a, m;
	unsigned long len;

	if (!copy_part(addr, sizeof(addr), val, n) || !parse_ip4(addr, &a))
		return opt_err(err, errlen, "net=%s: %.*s is not an IPv4 address",
			   val, (int)n, val);
	if (!slash) {
		m = n32(classful_mask(h32(a)));
	} else if (opt_parse_uint(slash + 1, 32, &len)) {
		m = n32(prefix_mask(len));
	} else if (parse_ip4(slash + 1, &m)) {
		if (!mask_contiguous(h32(m)))
			return opt_err(err, errlen,
				   "net=%s: %s is not a contiguous netmask",
				   val, slash + 1);
	} else {
		return opt_err(err, errlen,
			   "net=%s: /%s is not a prefix length (0-32) or netmask",
			   val, slash + 1);
	}
	cfg->mask = m;
	cfg->net.s_addr = a.s_addr & m.s_addr;
	return 0;
}

/* LEN of ipv6-net=ADDR/LEN or ipv6-prefixlen=LEN */
static bool parse_prefix6(const char *s, u8 *out)
{
	unsigned long len;

	if (!opt_parse_uint(s, 126, &len) || !len)
		return false;
	*out = len;
	return true;
}

/* ipv6-net=ADDR[/LEN], LEN 64 when left out, as QEMU has it. */
static int parse_net6(const char *val, struct user_cfg *cfg, char *err,
		      size_t errlen)
{
	const char *slash = strchr(val, '/');
	size_t n = slash ? (size_t)(slash - val) : strlen(val);
	char addr[INET6_ADDRSTRLEN];
	struct in6_addr a;
	u8 len = 64;

	if (!copy_part(addr, sizeof(addr), val, n) || !parse_ip6(addr, &a))
		return opt_err(err, errlen,
			   "ipv6-net=%s: %.*s is not an IPv6 address", val,
			   (int)n, val);
	if (slash && !parse_prefix6(slash + 1, &len))
		return opt_err(err, errlen,
			   "ipv6-net=%s: /%s is not a prefix length (1-126)",
			   val, slash + 1);
	cfg->ipv6_net = a;
	cfg->ipv6_prefix = len;
	return 0;
}

/*
 * Split s at its first '-' (no address or port holds one; a command
 * may) and the part before it at ':' into nf fields. Returns the text
 * after the '-', or NULL when there is none; *ok says whether the part
 * before had exactly nf - 1 colons.
 */
static char *split_rule(char *s, char **f, unsigned int nf, bool *ok)
{
	char *dash = strchr(s, '-');
	unsigned int i;

	if (!dash)
		return NULL;
	*dash = '\0';
	for (i = 0; i < nf; i++) {
		f[i] = s;
		s = strchr(s, ':');
		if (!s)
			break;
		if (i + 1 < nf)
			*s++ = '\0';
	}
	*ok = i + 1 == nf && !s;
	return dash + 1;
}

/* The host side of a rule, as typed: the text before the first '-'. */
static int left_part(const char *rule)
{
	const char *dash = strchr(rule, '-');

	return dash ? (int)(dash - rule) : (int)strlen(rule);
}

/*
 * The fields of a hostfwd rule: f[] the host side split at ':', guest
 * the text after the '-'.
 */
static int hostfwd_fields(char **f, char *guest, struct user_hostfwd *fwd,
			  char *err, size_t errlen)
{
	char *port = strchr(guest, ':');

	if (!port || strchr(port + 1, ':'))
		return opt_err(err, errlen,
			   "guest side %s is not [GUESTADDR]:GUESTPORT", guest);
	*port++ = '\0';
	if (!strcmp(f[0], "udp"))
		fwd->udp = true;
	else if (*f[0] && strcmp(f[0], "tcp"))
		return opt_err(err, errlen, "protocol %s is not tcp or udp", f[0]);
	if (*f[1] && !parse_ip4(f[1], &fwd->host_addr))
		return opt_err(err, errlen,
			   "host address %s is not an IPv4 address", f[1]);
	if (!*f[2])
		return opt_err(err, errlen, "host port is missing");
	if (!parse_port(f[2], &fwd->host_port))
		return opt_err(err, errlen, "host port %s is not 1-65535", f[2]);
	if (*guest && !parse_ip4(guest, &fwd->guest_addr))
		return opt_err(err, errlen,
			   "guest address %s is not an IPv4 address", guest);
	if (!*port)
		return opt_err(err, errlen, "guest port is missing");
	if (!parse_port(port, &fwd->guest_port))
		return opt_err(err, errlen, "guest port %s is not 1-65535", port);
	return 0;
}

/* Writes only the problem into err, not the rule: the caller has that. */
int user_parse_hostfwd(const char *rule, struct user_hostfwd *out, char *err,
		       size_t errlen)
{
	struct user_hostfwd fwd = { .host_addr.s_addr = htonl(INADDR_ANY) };
	char *buf, *f[3], *guest;
	bool ok = false;
	int ret;

	buf = strdup(rule);
	if (!buf)
		return opt_nomem(err, errlen);
	guest = split_rule(buf, f, 3, &ok);
	if (!guest)
		ret = opt_err(err, errlen,
			  "no '-' between the host and guest sides (%s)",
			  HOSTFWD_SYNTAX);
	else if (!ok)
		ret = opt_err(err, errlen,
			  "host side %.*s is not [tcp|udp]:[HOSTADDR]:HOSTPORT",
			  left_part(rule), rule);
	else
		ret = hostfwd_fields(f, guest, &fwd, err, errlen);
	if (!ret)
		*out = fwd;
	free(buf);
	return ret;
}

static int add_hostfwd(struct user_cfg *cfg, const char *val, char *err,
		       size_t errlen)
{
	char msg[256];
	int ret;

	if (cfg->nr_hostfwd == USER_MAX_FWD)
		return opt_err(err, errlen,
			   "hostfwd=%s: more than %d hostfwd= rules", val,
			   USER_MAX_FWD);
	ret = user_parse_hostfwd(val, &cfg->hostfwd[cfg->nr_hostfwd], msg,
				 sizeof(msg));
	if (ret == -EINVAL)
		return opt_err(err, errlen, "hostfwd=%s: %s", val, msg);
	if (ret)
		return opt_nomem(err, errlen);
	cfg->nr_hostfwd++;
	return 0;
}

static bool host_name_ok(const char *s)
{
	struct in_addr a;

	return parse_ip4(s, &a) || domain_ok(s);
}

/* The target of a guestfwd: cmd:COMMAND or tcp:HOST:PORT. */
static int guestfwd_target(const char *val, const char *t,
			   struct user_guestfwd *fwd, char *err, size_t errlen)
{
	const char *colon, *host;
	size_t n;

	if (!strncmp(t, "cmd:", 4)) {
		if (!t[4])
			return opt_err(err, errlen,
				   "guestfwd=%s: cmd: has no command", val);
		fwd->cmd = strdup(t + 4);
		return fwd->cmd ? 0 : opt_nomem(err, errlen);
	}
	if (strncmp(t, "tcp:", 4))
		return opt_err(err, errlen,
			   "guestfwd=%s: %s is not cmd:COMMAND or tcp:HOST:PORT",
			   val, t);

	host = t + 4;
	colon = strrchr(host, ':');
	if (!colon)
		return opt_err(err, errlen,
			   "guestfwd=%s: %s has no port (tcp:HOST:PORT)", val,
			   t);
	if (!parse_port(colon + 1, &fwd->host_port))
		return opt_err(err, errlen,
			   "guestfwd=%s: port %s is not 1-65535", val,
			   colon + 1);
	n = colon - host;
	/* An IPv6 address comes in brackets: tcp:[::1]:PORT. */
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		struct in6_addr a6;

		fwd->host = strndup(host + 1, n - 2);
		if (!fwd->host)
			return opt_nomem(err, errlen);
		if (parse_ip6(fwd->host, &a6))
			return 0;
	} else {
		fwd->host = strndup(host, n);
		if (!fwd->host)
			return opt_nomem(err, errlen);
		if (host_name_ok(fwd->host))
			return 0;
	}
	return opt_err(err, errlen,
		   "guestfwd=%s: %.*s is not a host name or address", val,
		   (int)n, host);
}

/* f[] the part before the '-' split at ':', target the text after it. */
static int guestfwd_fields(const char *val, char **f, const char *target,
			   struct user_guestfwd *fwd, char *err, size_t errlen)
{
	if (*f[0] && strcmp(f[0], "tcp"))
		return opt_err(err, errlen,
			   "guestfwd=%s: protocol %s is not tcp (the only one guestfwd takes)",
			   val, f[0]);
	if (*f[1] && !parse_ip4(f[1], &fwd->addr))
		return opt_err(err, errlen,
			   "guestfwd=%s: address %s is not an IPv4 address",
			   val, f[1]);
	if (!*f[2])
		return opt_err(err, errlen, "guestfwd=%s: port is missing", val);
	if (!parse_port(f[2], &fwd->port))
		return opt_err(err, errlen, "guestfwd=%s: port %s is not 1-65535",
			   val, f[2]);
	return guestfwd_target(val, target, fwd, err, errlen);
}

/* guestfwd=[tcp]:[ADDR]:PORT-cmd:COMMAND | ...-tcp:HOST:PORT */
static int add_guestfwd(struct user_cfg *cfg, const char *val, char *err,
			size_t errlen)
{
	struct user_guestfwd fwd = { 0 };
	char *buf, *f[3], *right;
	bool ok = false;
	int ret;

	if (cfg->nr_guestfwd == USER_MAX_FWD)
		return opt_err(err, errlen,
			   "guestfwd=%s: more than %d guestfwd= rules", val,
			   USER_MAX_FWD);
	buf = strdup(val);
	if (!buf)
		return opt_nomem(err, errlen);
	right = split_rule(buf, f, 3, &ok);
	if (!right)
		ret = opt_err(err, errlen,
			  "guestfwd=%s: no '-' before the target (%s)", val,
			  GUESTFWD_SYNTAX);
	else if (!ok)
		ret = opt_err(err, errlen,
			  "guestfwd=%s: %.*s is not [tcp]:[ADDR]:PORT", val,
			  left_part(val), val);
	else	/* the target as typed, its ':'s kept */
		ret = guestfwd_fields(val, f, val + (right - buf), &fwd, err,
				      errlen);
	free(buf);
	if (ret) {
		free(fwd.cmd);
		free(fwd.host);
		return ret;
	}
	cfg->guestfwd[cfg->nr_guestfwd++] = fwd;
	return 0;
}

static int add_dnssearch(struct user_cfg *cfg, const char *val, char *err,
			 size_t errlen)
{
	int ret;

	if (cfg->nr_dnssearch == USER_MAX_DNSSEARCH)
		return opt_err(err, errlen,
			   "dnssearch=%s: more than %d dnssearch= domains", val,
			   USER_MAX_DNSSEARCH);
	ret = parse_name("dnssearch", val, &cfg->dnssearch[cfg->nr_dnssearch],
			 err, errlen);
	if (!ret)
		cfg->nr_dnssearch++;
	return ret;
}

static int parse_addr4(const char *key, const char *val, struct in_addr *out,
		       char *err, size_t errlen)
{
	if (!parse_ip4(val, out))
		return opt_err(err, errlen, "%s=%s is not an IPv4 address", key,
			   val);
	return 0;
}

static int parse_addr6(const char *key, const char *val, struct in6_addr *out,
		       char *err, size_t errlen)
{
	if (!parse_ip6(val, out))
		return opt_err(err, errlen, "%s=%s is not an IPv6 address", key,
			   val);
	return 0;
}

static int user_key(struct user_cfg *cfg, enum user_key k, const char *val,
		    char *err, size_t errlen)
{
	const char *key = user_keys[k].name;

	switch (k) {
	case UK_NET:
		return parse_net(val, cfg, err, errlen);
	case UK_HOST:
		return parse_addr4(key, val, &cfg->host, err, errlen);
	case UK_DHCPSTART:
		return parse_addr4(key, val, &cfg->dhcpstart, err, errlen);
	case UK_DNS:
		return parse_addr4(key, val, &cfg->dns, err, errlen);
	case UK_RESTRICT:
		/* y and n: what QEMU's restrict= took before on/off. */
		return parse_bool(key, val, true, &cfg->restrict_, err,
				  errlen);
	case UK_HOSTNAME:
		return parse_name(key, val, &cfg->hostname, err, errlen);
	case UK_DOMAINNAME:
		return parse_name(key, val, &cfg->domainname, err, errlen);
	case UK_DNSSEARCH:
		return add_dnssearch(cfg, val, err, errlen);
	case UK_HOSTFWD:
		return add_hostfwd(cfg, val, err, errlen);
	case UK_GUESTFWD:
		return add_guestfwd(cfg, val, err, errlen);
	case UK_TFTP:
		return take_string(val, &cfg->tftp, err, errlen);
	case UK_TFTP_SERVER_NAME:
		return parse_name(key, val, &cfg->tftp_server_name, err,
				  errlen);
	case UK_BOOTFILE:
		if (strlen(val) > BOOTFILE_MAX)
			return opt_err(err, errlen,
				   "bootfile= is longer than %d bytes (BOOTP's file field)",
				   BOOTFILE_MAX);
		return take_string(val, &cfg->bootfile, err, errlen);
	case UK_IPV4:
		return parse_bool(key, val, false, &cfg->ipv4, err, errlen);
	case UK_IPV6:
		return parse_bool(key, val, false, &cfg->ipv6, err, errlen);
	case UK_IPV6_NET:
		return parse_net6(val, cfg, err, errlen);
	case UK_IPV6_PREFIX:
		return parse_addr6(key, val, &cfg->ipv6_net, err, errlen);
	case UK_IPV6_PREFIXLEN:
		if (!parse_prefix6(val, &cfg->ipv6_prefix))
			return opt_err(err, errlen,
				   "ipv6-prefixlen=%s is not a prefix length (1-126)",
				   val);
		return 0;
	case UK_IPV6_HOST:
		return parse_addr6(key, val, &cfg->ipv6_host, err, errlen);
	case UK_IPV6_DNS:
		return parse_addr6(key, val, &cfg->ipv6_dns, err, errlen);
	case UK_NR:
		break;
	}
	return -EINVAL;
}

int user_cfg_key(struct user_cfg *cfg, const char *key, const char *val,
		 char *err, size_t errlen)
{
	unsigned int k;
	int ret;

	for (k = 0; k < UK_NR; k++)
		if (!strcmp(key, user_keys[k].name))
			break;
	if (k == UK_NR)
		return 1;
	if (!val)
		return opt_err(err, errlen, "%s needs a value (%s=...)", key, key);
	if ((cfg->given & GIVEN(k)) && !user_keys[k].repeats)
		return opt_err(err, errlen, "%s=%s: %s= given twice", key, val,
			   key);
	if (k == UK_IPV6_NET &&
	    (cfg->given & (GIVEN(UK_IPV6_PREFIX) | GIVEN(UK_IPV6_PREFIXLEN))))
		return opt_err(err, errlen,
			   "ipv6-net=%s: ipv6-net= and ipv6-prefix=/ipv6-prefixlen= exclude each other",
			   val);
	if ((k == UK_IPV6_PREFIX || k == UK_IPV6_PREFIXLEN) &&
	    (cfg->given & GIVEN(UK_IPV6_NET)))
		return opt_err(err, errlen,
			   "%s=%s: ipv6-net= and %s= exclude each other", key,
			   val, key);
	if (!*val)
		return opt_err(err, errlen, "%s= is empty", key);
	ret = user_key(cfg, k, val, err, errlen);
	if (!ret)
		cfg->given |= GIVEN(k);
	return ret;
}

static const char *ip4_str(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static const char *ip6_str(const struct in6_addr *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

/* "10.0.2.0/24", for messages */
static const char *net_str(const struct user_cfg *cfg, char *buf,
			   size_t len)
{
	char a[INET_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u", ip4_str(cfg->net, a), mask_len(cfg->mask));
	return buf;
}

/* What is wrong with addr as an address on net, or NULL. */
static const char *in_net_problem(const struct user_cfg *cfg,
				  struct in_addr addr)
{
	u32 a = h32(addr), m = h32(cfg->mask), n = h32(cfg->net);

	if ((a & m) != n)
		return "is outside net";
	if (a == n)
		return "is the network address of net";
	if (a == (n | ~m))
		return "is the broadcast address of net";
	return NULL;
}

static const char *dflt(const struct user_cfg *cfg, enum user_key k)
{
	return cfg->given & GIVEN(k) ? "" : " (the default)";
}

/* host, dhcpstart or dns: inside net, neither its network nor broadcast. */
static int check_addr4(const struct user_cfg *cfg, enum user_key k,
		       struct in_addr addr, char *err, size_t errlen)
{
	const char *problem = in_net_problem(cfg, addr);
	char a[INET_ADDRSTRLEN], net[32];

	if (!problem)
		return 0;
	return opt_err(err, errlen, "%s=%s%s %s %s", user_keys[k].name,
		   ip4_str(addr, a), dflt(cfg, k), problem,
		   net_str(cfg, net, sizeof(net)));
}

/* QEMU's rule: host, dns and dhcpstart are three different addresses. */
static int check_distinct(const struct user_cfg *cfg, enum user_key k1,
			  struct in_addr a1, enum user_key k2,
			  struct in_addr a2, char *err, size_t errlen)
{
	char a[INET_ADDRSTRLEN];

	if (a1.s_addr != a2.s_addr)
		return 0;
	ip4_str(a1, a);
	return opt_err(err, errlen, "%s=%s%s and %s=%s%s must differ",
		   user_keys[k1].name, a, dflt(cfg, k1), user_keys[k2].name, a,
		   dflt(cfg, k2));
}

static int check_ipv4(struct user_cfg *cfg, char *err, size_t errlen)
{
	if (!(cfg->given & GIVEN(UK_HOST)))
		cfg->host = net_default(cfg, 0x0202);
	if (!(cfg->given & GIVEN(UK_DHCPSTART)))
		cfg->dhcpstart = net_default(cfg, 0x020f);
	if (!(cfg->given & GIVEN(UK_DNS)))
		cfg->dns = net_default(cfg, 0x0203);

	if (check_addr4(cfg, UK_HOST, cfg->host, err, errlen) ||
	    check_addr4(cfg, UK_DNS, cfg->dns, err, errlen) ||
	    check_addr4(cfg, UK_DHCPSTART, cfg->dhcpstart, err, errlen))
		return -EINVAL;
	if (check_distinct(cfg, UK_HOST, cfg->host, UK_DNS, cfg->dns, err,
			   errlen) ||
	    check_distinct(cfg, UK_HOST, cfg->host, UK_DHCPSTART,
			   cfg->dhcpstart, err, errlen) ||
	    check_distinct(cfg, UK_DNS, cfg->dns, UK_DHCPSTART,
			   cfg->dhcpstart, err, errlen))
		return -EINVAL;
	return 0;
}

/* "tcp::2222-:22" back from its parts, for messages. */
static void hostfwd_str(const struct user_hostfwd *f, char *buf, size_t len)
{
	char h[INET_ADDRSTRLEN] = "", g[INET_ADDRSTRLEN] = "";

	if (f->host_addr.s_addr != htonl(INADDR_ANY))
		ip4_str(f->host_addr, h);
	if (f->guest_addr.s_addr)
		ip4_str(f->guest_addr, g);
	snprintf(buf, len, "%s:%s:%u-%s:%u", f->udp ? "udp" : "tcp", h,
		 f->host_port, g, f->guest_port);
}

static int check_hostfwds(const struct user_cfg *cfg, char *err,
			  size_t errlen)
{
	char rule[80], net[32], a[INET_ADDRSTRLEN];
	const struct user_hostfwd *f, *o;
	const char *problem;
	unsigned int i, j;

	for (i = 0; i < cfg->nr_hostfwd; i++) {
		f = &cfg->hostfwd[i];
		hostfwd_str(f, rule, sizeof(rule));
		if (!cfg->ipv4)
			return opt_err(err, errlen,
				   "hostfwd=%s: forwards need IPv4, which is off",
				   rule);
		problem = f->guest_addr.s_addr ?
			  in_net_problem(cfg, f->guest_addr) : NULL;
		if (problem)
			return opt_err(err, errlen,
				   "hostfwd=%s: guest address %s %s %s", rule,
				   ip4_str(f->guest_addr, a), problem,
				   net_str(cfg, net, sizeof(net)));
		for (j = 0; j < i; j++) {
			o = &cfg->hostfwd[j];
			if (o->udp == f->udp && o->host_port == f->host_port &&
			    o->host_addr.s_addr == f->host_addr.s_addr)
				return opt_err(err, errlen,
					   "hostfwd=%s: host side %s:%s:%u is forwarded twice",
					   rule, f->udp ? "udp" : "tcp",
					   f->host_addr.s_addr ?
					   ip4_str(f->host_addr, a) : "",
					   f->host_port);
		}
	}
	return 0;
}

/*
 * libslirp's rules for a guestfwd address, which it takes from net when
 * left out: inside net, and neither the host nor the DNS address.
 */
static int check_guestfwds(const struct user_cfg *cfg, char *err,
			   size_t errlen)
{
	char a[INET_ADDRSTRLEN], net[32];
	struct in_addr addr, other;
	const char *problem, *how;
	unsigned int i, j;
	u16 port;

	for (i = 0; i < cfg->nr_guestfwd; i++) {
		addr = cfg->guestfwd[i].addr;
		port = cfg->guestfwd[i].port;
		how = addr.s_addr ? "" : " (the default)";
		if (!addr.s_addr)
			addr = net_default(cfg, 0x0204);
		ip4_str(addr, a);
		if (!cfg->ipv4)
			return opt_err(err, errlen,
				   "guestfwd= to %s:%u: forwards need IPv4, which is off",
				   a, port);
		problem = in_net_problem(cfg, addr);
		if (problem)
			return opt_err(err, errlen,
				   "guestfwd= address %s%s %s %s", a, how,
				   problem, net_str(cfg, net, sizeof(net)));
		if (addr.s_addr == cfg->host.s_addr)
			return opt_err(err, errlen,
				   "guestfwd= address %s%s is the host address (host=)",
				   a, how);
		if (addr.s_addr == cfg->dns.s_addr)
			return opt_err(err, errlen,
				   "guestfwd= address %s%s is the DNS address (dns=)",
				   a, how);
		for (j = 0; j < i; j++) {
			other = cfg->guestfwd[j].addr;
			if (!other.s_addr)
				other = net_default(cfg, 0x0204);
			if (other.s_addr == addr.s_addr &&
			    cfg->guestfwd[j].port == port)
				return opt_err(err, errlen,
					   "guestfwd= %s:%u is forwarded twice",
					   a, port);
		}
	}
	return 0;
}

static bool in6_net(const struct in6_addr *a, const struct in6_addr *net,
		    unsigned int len)
{
	unsigned int i, bits;

	for (i = 0; i < 16; i++) {
		bits = MIN(len, 8u);
		if ((a->s6_addr[i] ^ net->s6_addr[i]) & (u8)(0xff00 >> bits))
			return false;
		len -= bits;
	}
	return true;
}

static void mask6(struct in6_addr *a, unsigned int len)
{
	unsigned int i, bits;

	for (i = 0; i < 16; i++) {
		bits = MIN(len, 8u);
		a->s6_addr[i] &= (u8)(0xff00 >> bits);
		len -= bits;
	}
}

static int check_addr6(const struct user_cfg *cfg, enum user_key k,
		       const struct in6_addr *addr, char *err, size_t errlen)
{
	char a[INET6_ADDRSTRLEN], n[INET6_ADDRSTRLEN];

	if (in6_net(addr, &cfg->ipv6_net, cfg->ipv6_prefix))
		return 0;
	return opt_err(err, errlen, "%s=%s is outside ipv6-net %s/%u",
		   user_keys[k].name, ip6_str(addr, a),
		   ip6_str(&cfg->ipv6_net, n), cfg->ipv6_prefix);
}

static int check_ipv6(struct user_cfg *cfg, char *err, size_t errlen)
{
	mask6(&cfg->ipv6_net, cfg->ipv6_prefix);
	if (!(cfg->given & GIVEN(UK_IPV6_HOST))) {
		cfg->ipv6_host = cfg->ipv6_net;
		cfg->ipv6_host.s6_addr[15] |= 2;
	}
	if (!(cfg->given & GIVEN(UK_IPV6_DNS))) {
		cfg->ipv6_dns = cfg->ipv6_net;
		cfg->ipv6_dns.s6_addr[15] |= 3;
	}
	if (check_addr6(cfg, UK_IPV6_HOST, &cfg->ipv6_host, err, errlen) ||
	    check_addr6(cfg, UK_IPV6_DNS, &cfg->ipv6_dns, err, errlen))
		return -EINVAL;
	return 0;
}

/* The first key of keys given, or UK_NR. */
static enum user_key first_given(const struct user_cfg *cfg,
				 unsigned int keys)
{
	unsigned int k;

	for (k = 0; k < UK_NR; k++)
		if (cfg->given & keys & GIVEN(k))
			return k;
	return UK_NR;
}

/*
 * QEMU's reading of ipv4= and ipv6=: either one turned on alone means
 * that protocol only; off means off; neither given means both.
 */
static int check_protocols(struct user_cfg *cfg, char *err, size_t errlen)
{
	static const unsigned int v4_keys = GIVEN(UK_NET) | GIVEN(UK_HOST) |
		GIVEN(UK_DHCPSTART) | GIVEN(UK_DNS);
	static const unsigned int v6_keys = GIVEN(UK_IPV6_NET) |
		GIVEN(UK_IPV6_PREFIX) | GIVEN(UK_IPV6_PREFIXLEN) |
		GIVEN(UK_IPV6_HOST) | GIVEN(UK_IPV6_DNS);
	bool has4 = cfg->given & GIVEN(UK_IPV4);
	bool has6 = cfg->given & GIVEN(UK_IPV6);
	enum user_key k;

	if (!has4 && has6 && cfg->ipv6)
		cfg->ipv4 = false;
	if (!has6 && has4 && cfg->ipv4)
		cfg->ipv6 = false;
	if (!cfg->ipv4 && !cfg->ipv6)
		return opt_err(err, errlen,
			   "ipv4=off and ipv6=off leave the guest no network");

	k = first_given(cfg, v4_keys);
	if (!cfg->ipv4 && k != UK_NR)
		return opt_err(err, errlen, "%s= is given but IPv4 is off (%s)",
			   user_keys[k].name,
			   has4 ? "ipv4=off" : "ipv6=on alone means IPv6 only");
	k = first_given(cfg, v6_keys);
	if (!cfg->ipv6 && k != UK_NR)
		return opt_err(err, errlen, "%s= is given but IPv6 is off (%s)",
			   user_keys[k].name,
			   has6 ? "ipv6=off" : "ipv4=on alone means IPv4 only");
	return 0;
}

int user_cfg_finish(struct user_cfg *cfg, char *err, size_t errlen)
{
	if (check_protocols(cfg, err, errlen) ||
	    check_ipv4(cfg, err, errlen) ||
	    check_hostfwds(cfg, err, errlen) ||
	    check_guestfwds(cfg, err, errlen) ||
	    check_ipv6(cfg, err, errlen))
		return -EINVAL;
	return 0;
}

void user_cfg_init(struct user_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->net = n32(0x0a000200);
	cfg->mask = n32(0xffffff00);
	cfg->host = n32(0x0a000202);
	cfg->dhcpstart = n32(0x0a00020f);
	cfg->dns = n32(0x0a000203);
	cfg->ipv4 = true;
	cfg->ipv6 = true;
	inet_pton(AF_INET6, "fec0::", &cfg->ipv6_net);
	cfg->ipv6_prefix = 64;
	inet_pton(AF_INET6, "fec0::2", &cfg->ipv6_host);
	inet_pton(AF_INET6, "fec0::3", &cfg->ipv6_dns);
}

void user_cfg_free(struct user_cfg *cfg)
{
	unsigned int i;

	free(cfg->hostname);
	free(cfg->domainname);
	for (i = 0; i < cfg->nr_dnssearch; i++)
		free(cfg->dnssearch[i]);
	for (i = 0; i < cfg->nr_guestfwd; i++) {
		free(cfg->guestfwd[i].cmd);
		free(cfg->guestfwd[i].host);
	}
	free(cfg->tftp);
	free(cfg->tftp_server_name);
	free(cfg->bootfile);
	user_cfg_init(cfg);
}
