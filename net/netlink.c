// SPDX-License-Identifier: GPL-2.0
/*
 * Link and address configuration through libnl-route-3. Each call asks
 * the kernel afresh instead of keeping a link cache, so what we see is
 * never stale: these run a handful of times per VM start and stop.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>

#include "net/netlink.h"

/* libnl speaks NLE_* codes; the rest of knit speaks errno. */
static int nl_errno(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return 0;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_OBJ_NOTFOUND:
	case NLE_NODEV:
		return -ENODEV;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_INVAL:
	case NLE_RANGE:
		return -EINVAL;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INTR:
		return -EINTR;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	case NLE_NOADDR:
		return -EADDRNOTAVAIL;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	default:
		return -EIO;
	}
}

int netlink_open(struct nl_sock **out)
{
	struct nl_sock *sk = nl_socket_alloc();
	int err;

	if (!sk)
		return -ENOMEM;
	err = nl_connect(sk, NETLINK_ROUTE);
	if (err < 0) {
		nl_socket_free(sk);
		return nl_errno(err);
	}
	*out = sk;
	return 0;
}

void netlink_close(struct nl_sock *sk)
{
	if (sk)
		nl_socket_free(sk);
}

static int link_get(struct nl_sock *sk, const char *name,
		    struct rtnl_link **link)
{
	return nl_errno(rtnl_link_get_kernel(sk, 0, name, link));
}

int netlink_link_index(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link;
	int ret = link_get(sk, name, &link);

	if (ret)
		return ret;
	ret = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return ret;
}

int netlink_link_is_bridge(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link;
	const char *type;
	int ret = link_get(sk, name, &link);

	if (ret)
		return ret;
	type = rtnl_link_get_type(link);
	ret = type && !strcmp(type, "bridge");
	rtnl_link_put(link);
	return ret;
}

int netlink_link_master(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link;
	int ret = link_get(sk, name, &link);

	if (ret)
		return ret;
	ret = rtnl_link_get_master(link);
	rtnl_link_put(link);
	return ret;
}

int netlink_link_is_up(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link;
	int ret = link_get(sk, name, &link);

	if (ret)
		return ret;
	ret = !!(rtnl_link_get_flags(link) & IFF_UP);
	rtnl_link_put(link);
	return ret;
}

int netlink_bridge_add(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link = rtnl_link_bridge_alloc();
	int ret;

	if (!link)
		return -ENOMEM;
	rtnl_link_set_name(link, name);
	/* EXCL: never adopt a bridge someone made a moment ago as ours. */
	ret = nl_errno(rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL));
	rtnl_link_put(link);
	return ret;
}

int netlink_link_del(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link = rtnl_link_alloc();
	int ret;

	if (!link)
		return -ENOMEM;
	rtnl_link_set_name(link, name);
	ret = nl_errno(rtnl_link_delete(sk, link));
	rtnl_link_put(link);
	return ret;
}

/*
 * Apply whatever fill() sets on an empty change request to the link
 * called name: only the attributes set are sent, the rest stay as is.
 */
static int link_change(struct nl_sock *sk, const char *name,
		       void (*fill)(struct rtnl_link *, unsigned long),
		       unsigned long arg)
{
	struct rtnl_link *orig, *change;
	int ret = link_get(sk, name, &orig);

	if (ret)
		return ret;
	change = rtnl_link_alloc();
	if (!change) {
		rtnl_link_put(orig);
		return -ENOMEM;
	}
	fill(change, arg);
	ret = nl_errno(rtnl_link_change(sk, orig, change, 0));
	rtnl_link_put(change);
	rtnl_link_put(orig);
	return ret;
}

static void fill_master(struct rtnl_link *link, unsigned long ifindex)
{
	rtnl_link_set_master(link, ifindex);
}

static void fill_up(struct rtnl_link *link, unsigned long up)
{
	if (up)
		rtnl_link_set_flags(link, IFF_UP);
	else
		rtnl_link_unset_flags(link, IFF_UP);
}

static void fill_mtu(struct rtnl_link *link, unsigned long mtu)
{
	rtnl_link_set_mtu(link, mtu);
}

int netlink_link_set_master(struct nl_sock *sk, const char *name,
			    const char *master)
{
	int ifindex = netlink_link_index(sk, master);

	if (ifindex < 0)
		return ifindex;
	return link_change(sk, name, fill_master, ifindex);
}

int netlink_link_set_up(struct nl_sock *sk, const char *name, bool up)
{
	return link_change(sk, name, fill_up, up);
}

int netlink_link_set_mtu(struct nl_sock *sk, const char *name,
			 unsigned int mtu)
{
	return link_change(sk, name, fill_mtu, mtu);
}

/* An rtnl_addr for addr/prefix on the link called name. */
static int addr_build(struct nl_sock *sk, const char *name,
		      struct in_addr addr, unsigned int prefix,
		      struct rtnl_addr **out)
{
	struct rtnl_addr *ra;
	struct nl_addr *local;
	int ifindex = netlink_link_index(sk, name);
	int ret;

	if (ifindex < 0)
		return ifindex;
	local = nl_addr_build(AF_INET, &addr, sizeof(addr));
	ra = rtnl_addr_alloc();
	if (!local || !ra) {
		nl_addr_put(local);
		rtnl_addr_put(ra);
		return -ENOMEM;
	}
	nl_addr_set_prefixlen(local, prefix);
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, AF_INET);
	ret = nl_errno(rtnl_addr_set_local(ra, local));
	nl_addr_put(local);
	if (ret) {
		rtnl_addr_put(ra);
		return ret;
	}
	*out = ra;
	return 0;
}

int netlink_addr_add(struct nl_sock *sk, const char *name,
		     struct in_addr addr, unsigned int prefix)
{
	struct rtnl_addr *ra;
	int ret = addr_build(sk, name, addr, prefix, &ra);

	if (ret)
		return ret;
	ret = nl_errno(rtnl_addr_add(sk, ra, NLM_F_EXCL));
	rtnl_addr_put(ra);
	return ret;
}

int netlink_addr_del(struct nl_sock *sk, const char *name,
		     struct in_addr addr, unsigned int prefix)
{
	struct rtnl_addr *ra;
	int ret = addr_build(sk, name, addr, prefix, &ra);

	if (ret)
		return ret;
	ret = nl_errno(rtnl_addr_delete(sk, ra, 0));
	rtnl_addr_put(ra);
	return ret;
}

int netlink_addr_has(struct nl_sock *sk, const char *name,
		     struct in_addr addr, unsigned int prefix)
{
	struct rtnl_addr *want;
	struct nl_cache *cache;
	struct nl_object *obj;
	int ret = addr_build(sk, name, addr, prefix, &want);

	if (ret)
		return ret;
	ret = nl_errno(rtnl_addr_alloc_cache(sk, &cache));
	if (ret) {
		rtnl_addr_put(want);
		return ret;
	}
	for (obj = nl_cache_get_first(cache); obj;
	     obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)obj;

		if (rtnl_addr_get_ifindex(ra) == rtnl_addr_get_ifindex(want) &&
		    rtnl_addr_get_prefixlen(ra) == (int)prefix &&
		    !nl_addr_cmp(rtnl_addr_get_local(ra),
				 rtnl_addr_get_local(want))) {
			ret = 1;
			break;
		}
	}
	nl_cache_free(cache);
	rtnl_addr_put(want);
	return ret;
}
