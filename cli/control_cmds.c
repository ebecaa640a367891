// SPDX-License-Identifier: GPL-2.0
/*
 * What a VM answers on its control socket. A command is one entry in
 * control_commands[]: its name, its arguments and a handler; the
 * protocol layer has checked the arguments before the handler runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/control.h"
#include "kvm/vm.h"
#include "net/netdev.h"
#include "net/socket.h"
#include "net/user.h"

static int no_memory(struct ctl_error *err)
{
	ctl_error_set(err, CTL_GENERIC_ERROR, "out of memory");
	return -ENOMEM;
}

static int cmd_query_name(void *ctx, const struct ctl_request *req,
			  struct json_object **ret, struct ctl_error *err)
{
	struct control *ctl = ctx;
	struct json_object *o = json_object_new_object();

	if (!o)
		return no_memory(err);
	json_object_object_add(o, "name", json_object_new_string(ctl->name));
	json_object_object_add(o, "pid", json_object_new_int(getpid()));
	json_object_object_add(o, "status", json_object_new_string(
			ctl->vm && vm_paused(ctl->vm) ? "paused" : "running"));
	*ret = o;
	return 0;
}

static int cmd_query_commands(void *ctx, const struct ctl_request *req,
			      struct json_object **ret, struct ctl_error *err)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	if (!a)
		return no_memory(err);
	for (i = 0; i < control_nr_commands; i++)
		json_object_array_add(a, json_object_new_string(
						 control_commands[i].name));
	*ret = a;
	return 0;
}

/* As SIGTERM, but knit then exits 0. */
static int cmd_stop(void *ctx, const struct ctl_request *req,
		    struct json_object **ret, struct ctl_error *err)
{
	struct control *ctl = ctx;

	ctl->stop_requested = true;
	if (ctl->vm)
		vm_request_stop(ctl->vm, STOP_CONTROL, 0);
	return 0;
}

/*
 * pause parks the vCPUs (the guest's clock keeps going, as on QEMU's
 * stop); resume lets them run. Either is a no-op when already so.
 */
static int cmd_pause(void *ctx, const struct ctl_request *req,
		     struct json_object **ret, struct ctl_error *err)
{
	struct control *ctl = ctx;

	if (!ctl->vm) {
		ctl_error_set(err, CTL_GENERIC_ERROR, "the VM is not running");
		return -ENODEV;
	}
	vm_pause(ctl->vm);
	return 0;
}

static int cmd_resume(void *ctx, const struct ctl_request *req,
		      struct json_object **ret, struct ctl_error *err)
{
	struct control *ctl = ctx;

	if (!ctl->vm) {
		ctl_error_set(err, CTL_GENERIC_ERROR, "the VM is not running");
		return -ENODEV;
	}
	vm_resume(ctl->vm);
	return 0;
}

/*
 * The user netdev called id, or with id NULL the only one there is (as
 * QEMU's hostfwd_add, whose netdev id is optional).
 */
static struct netdev *user_netdev(struct control *ctl, const char *id,
				  struct ctl_error *err)
{
	const struct knit_config *cfg = ctl->cfg;
	struct netdev *found = NULL;
	unsigned int i, n = 0;

	for (i = 0; i < cfg->nr_netdevs; i++) {
		const struct netdev_cfg *nc = &cfg->netdevs[i];

		if (!ctl->netdevs[i])
			continue;
		if (id && strcmp(nc->id, id))
			continue;
		if (id && nc->type != NETDEV_USER) {
			ctl_error_set(err, CTL_GENERIC_ERROR,
				      "netdev %s is not a user netdev", id);
			return NULL;
		}
		if (nc->type == NETDEV_USER) {
			found = ctl->netdevs[i];
			n++;
		}
	}
	if (id && !found)
		ctl_error_set(err, CTL_GENERIC_ERROR, "no netdev %s", id);
	else if (!n)
		ctl_error_set(err, CTL_GENERIC_ERROR,
			      "this VM has no user netdev");
	else if (n > 1)
		ctl_error_set(err, CTL_GENERIC_ERROR,
			      "this VM has %u user netdevs: say which with \"netdev\"",
			      n);
	return n == 1 ? found : NULL;
}

static int parse_rule(const char *rule, struct user_hostfwd *fwd,
		      struct ctl_error *err)
{
	char msg[256];
	int ret;

	ret = user_parse_hostfwd(rule, fwd, msg, sizeof(msg));
	if (ret)
		ctl_error_set(err, CTL_GENERIC_ERROR, "rule %s: %s", rule, msg);
	return ret;
}

static int hostfwd(struct control *ctl, const struct ctl_request *req,
		   bool remove, struct ctl_error *err)
{
	const char *rule = ctl_arg_str(req, "rule");
	struct user_hostfwd fwd;
	struct netdev *nd;
	char msg[256];
	int ret;

	nd = user_netdev(ctl, ctl_arg_str(req, "netdev"), err);
	if (!nd)
		return -ENOENT;
	ret = parse_rule(rule, &fwd, err);
	if (ret)
		return ret;
	if (remove)
		ret = user_hostfwd_remove(nd, &fwd, msg, sizeof(msg));
	else
		ret = user_hostfwd_add(nd, &fwd, msg, sizeof(msg));
	if (ret)
		ctl_error_set(err, CTL_GENERIC_ERROR, "%s", msg);
	return ret;
}

static int cmd_hostfwd_add(void *ctx, const struct ctl_request *req,
			   struct json_object **ret, struct ctl_error *err)
{
	return hostfwd(ctx, req, false, err);
}

static int cmd_hostfwd_remove(void *ctx, const struct ctl_request *req,
			      struct json_object **ret, struct ctl_error *err)
{
	return hostfwd(ctx, req, true, err);
}

/* QEMU's `info usernet`: a header line per user netdev, then its table. */
static int cmd_info_usernet(void *ctx, const struct ctl_request *req,
			    struct json_object **ret, struct ctl_error *err)
{
	const char *want = ctl_arg_str(req, "netdev");
	struct control *ctl = ctx;
	const struct knit_config *cfg = ctl->cfg;
	char *text, *all = NULL;
	unsigned int i;
	size_t len;
	FILE *f;

	if (want && !user_netdev(ctl, want, err))
		return -ENOENT;
	f = open_memstream(&all, &len);
	if (!f)
		return no_memory(err);
	for (i = 0; i < cfg->nr_netdevs; i++) {
		const struct netdev_cfg *nc = &cfg->netdevs[i];

		if (!ctl->netdevs[i] || nc->type != NETDEV_USER ||
		    (want && strcmp(want, nc->id)))
			continue;
		text = user_info(ctl->netdevs[i]);
		fprintf(f, "netdev %s:\n%s", nc->id, text ? text : "");
		free(text);
	}
	if (fclose(f)) {
		free(all);
		return no_memory(err);
	}
	*ret = json_object_new_string_len(all, len);
	free(all);
	return *ret ? 0 : no_memory(err);
}

/* QEMU's set_link: the cable between netdev "name" and its NIC. */
static int cmd_set_link(void *ctx, const struct ctl_request *req,
			struct json_object **ret, struct ctl_error *err)
{
	const char *name = ctl_arg_str(req, "name");
	struct control *ctl = ctx;
	const struct knit_config *cfg = ctl->cfg;
	struct json_object *up;
	unsigned int i;

	json_object_object_get_ex(req->args, "up", &up);
	for (i = 0; i < cfg->nr_netdevs; i++) {
		if (!ctl->netdevs[i] || strcmp(cfg->netdevs[i].id, name))
			continue;
		netdev_set_link(ctl->netdevs[i], json_object_get_boolean(up));
		return 0;
	}
	ctl_error_set(err, CTL_GENERIC_ERROR, "no netdev %s", name);
	return -ENOENT;
}

/* One back end, after its "ID: " as `info network` shows it. */
static void describe_netdev(FILE *f, struct control *ctl, unsigned int j)
{
	const struct netdev_cfg *nd = &ctl->cfg->netdevs[j];
	struct netdev *dev = ctl->netdevs[j];
	struct socket_stats st;

	fprintf(f, "index=0,type=%s", netdev_type_name(nd->type));
	if (nd->type == NETDEV_HUBPORT)
		fprintf(f, ",hubid=%u", nd->hubid);
	if (dev && dev->ports[0].link_down)
		fprintf(f, ",link=down");
	if (dev && (nd->type == NETDEV_SOCKET || nd->type == NETDEV_STREAM ||
		    nd->type == NETDEV_DGRAM)) {
		/* Frames meet no peer while it is gone: say how many. */
		socket_get_stats(dev, &st);
		fprintf(f, ",peer=%s,tx=%llu,tx_dropped=%llu,rx=%llu,rx_dropped=%llu",
			st.connected ? "connected" : "none",
			(unsigned long long)st.tx_frames,
			(unsigned long long)st.tx_dropped,
			(unsigned long long)st.rx_frames,
			(unsigned long long)st.rx_dropped);
	}
	fprintf(f, "\n");
}

static void describe_nic(FILE *f, const struct knit_config *cfg, unsigned int i)
{
	const struct nic_cfg *nc = &cfg->nics[i];
	const u8 *m = nc->mac;

	fprintf(f, "nic%u: index=%u,type=nic,model=%s,macaddr=%02x:%02x:%02x:%02x:%02x:%02x\n",
		i, i, nic_model_name(nc), m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* Each hub once, lowest id first, with what sits on each of its ports. */
static void describe_hubs(FILE *f, struct control *ctl)
{
	const struct knit_config *cfg = ctl->cfg;
	unsigned int i, j, k, hub = 0, prev = 0;
	bool any = false;

	for (;;) {
		bool found = false;

		/* The next hub id above the last one shown. */
		for (i = 0; i < cfg->nr_netdevs; i++) {
			const struct netdev_cfg *nd = &cfg->netdevs[i];

			if (nd->type != NETDEV_HUBPORT ||
			    (any && nd->hubid <= prev))
				continue;
			if (!found || nd->hubid < hub)
				hub = nd->hubid;
			found = true;
		}
		if (!found)
			return;
		fprintf(f, "hub %u\n", hub);
		for (i = 0; i < cfg->nr_netdevs; i++) {
			const struct netdev_cfg *hp = &cfg->netdevs[i];

			if (hp->type != NETDEV_HUBPORT || hp->hubid != hub)
				continue;
			fprintf(f, " \\ %s: ", hp->id);
			for (k = 0; k < cfg->nr_nics; k++)
				if (!strcmp(cfg->nics[k].netdev, hp->id))
					break;
			if (k < cfg->nr_nics) {
				describe_nic(f, cfg, k);
				continue;
			}
			for (j = 0; j < cfg->nr_netdevs; j++)
				if (hp->hub_netdev &&
				    !strcmp(cfg->netdevs[j].id, hp->hub_netdev))
					break;
			if (j < cfg->nr_netdevs) {
				fprintf(f, "%s: ", cfg->netdevs[j].id);
				describe_netdev(f, ctl, j);
			} else {
				fprintf(f, "(nothing joined)\n");
			}
		}
		prev = hub;
		any = true;
	}
}

/*
 * QEMU's `info network`: each NIC with its model and MAC, and under it
 * the back end it is joined to (knit joins every NIC to one netdev);
 * then each hub with what sits on its ports.
 */
static int cmd_info_network(void *ctx, const struct ctl_request *req,
			    struct json_object **ret, struct ctl_error *err)
{
	struct control *ctl = ctx;
	const struct knit_config *cfg = ctl->cfg;
	char *all = NULL;
	unsigned int i, j;
	size_t len;
	FILE *f;

	f = open_memstream(&all, &len);
	if (!f)
		return no_memory(err);
	for (i = 0; i < cfg->nr_nics; i++) {
		describe_nic(f, cfg, i);
		for (j = 0; j < cfg->nr_netdevs; j++) {
			if (strcmp(cfg->netdevs[j].id, cfg->nics[i].netdev))
				continue;
			fprintf(f, " \\ %s: ", cfg->netdevs[j].id);
			describe_netdev(f, ctl, j);
		}
	}
	describe_hubs(f, ctl);
	if (fclose(f)) {
		free(all);
		return no_memory(err);
	}
	*ret = json_object_new_string_len(all ? all : "", all ? len : 0);
	free(all);
	return *ret ? 0 : no_memory(err);
}

#define ARG(n, t, r)	{ .name = (n), .type = json_type_##t, .required = (r) }

const struct ctl_command control_commands[] = {
	{ "query-name", cmd_query_name, { { 0 } } },
	{ "query-commands", cmd_query_commands, { { 0 } } },
	{ "stop", cmd_stop, { { 0 } } },
	{ "pause", cmd_pause, { { 0 } } },
	{ "resume", cmd_resume, { { 0 } } },
	{ "hostfwd-add", cmd_hostfwd_add,
	  { ARG("netdev", string, false), ARG("rule", string, true) } },
	{ "hostfwd-remove", cmd_hostfwd_remove,
	  { ARG("netdev", string, false), ARG("rule", string, true) } },
	{ "info-usernet", cmd_info_usernet,
	  { ARG("netdev", string, false) } },
	{ "info-network", cmd_info_network, { { 0 } } },
	{ "set-link", cmd_set_link,
	  { ARG("name", string, true), ARG("up", boolean, true) } },
};

const size_t control_nr_commands = ARRAY_SIZE(control_commands);
