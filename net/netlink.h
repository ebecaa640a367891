/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_NETLINK_H
#define KNIT_NET_NETLINK_H

#include <netinet/in.h>

#include "knit/util.h"

/*
 * Host link configuration over rtnetlink (libnl-route-3): the few steps
 * a tap or bridge backend needs. Links are named, not indexed, because
 * that is what the user wrote. All functions return 0 or -errno:
 * -ENODEV for a missing link, -EEXIST, -EPERM without CAP_NET_ADMIN.
 */

struct nl_sock;

int netlink_open(struct nl_sock **out);
void netlink_close(struct nl_sock *sk);

/* Ifindex (> 0) of the link called name, or -ENODEV. */
int netlink_link_index(struct nl_sock *sk, const char *name);
/* 1 if name is a bridge, 0 if some other kind of link, or -ENODEV. */
int netlink_link_is_bridge(struct nl_sock *sk, const char *name);
/* Ifindex of name's master (bridge), 0 when it has none. */
int netlink_link_master(struct nl_sock *sk, const char *name);
/* 1 if name is administratively up, 0 if down. */
int netlink_link_is_up(struct nl_sock *sk, const char *name);

/* A new bridge; -EEXIST if any link has that name already. */
int netlink_bridge_add(struct nl_sock *sk, const char *name);
int netlink_link_del(struct nl_sock *sk, const char *name);
int netlink_link_set_master(struct nl_sock *sk, const char *name,
			    const char *master);
int netlink_link_set_up(struct nl_sock *sk, const char *name, bool up);
int netlink_link_set_mtu(struct nl_sock *sk, const char *name,
			 unsigned int mtu);

int netlink_addr_add(struct nl_sock *sk, const char *name,
		     struct in_addr addr, unsigned int prefix);
int netlink_addr_del(struct nl_sock *sk, const char *name,
		     struct in_addr addr, unsigned int prefix);
/* 1 if name carries addr/prefix, 0 if not. */
int netlink_addr_has(struct nl_sock *sk, const char *name,
		     struct in_addr addr, unsigned int prefix);

#endif
