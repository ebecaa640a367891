// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"

int parse_size(const char *s, u64 *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -ERANGE;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	case '\0': break;
	default: return -EINVAL;
	}
	/* QEMU accepts "512MB" and "512MiB" too; so do we. */
	if (shift && (!strcmp(end, "B") || !strcmp(end, "iB")))
		end += strlen(end);
	if (*end)
		return -EINVAL;
	if (shift && v > (ULLONG_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

int parse_uint(const char *s, unsigned int min, unsigned int max,
	       unsigned int *out)
{
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

void print_run_usage(void)
{
	printf("usage: knit run -k KERNEL [options]\n"
	       "\n"
	       "Boot a Linux kernel directly on /dev/kvm.\n"
	       "\n"
	       "  -k, --kernel FILE     bzImage or vmlinux ELF (PVH entry) to boot\n"
	       "  -i, --initrd FILE     initial ramdisk\n"
	       "  -p, --params STRING   kernel command line\n"
	       "  -m, --mem SIZE        guest RAM, with K/M/G suffix (default 256M)\n"
	       "  -c, --cpus N          number of vCPUs (default 1)\n"
	       "      --name NAME       name of this VM\n"
	       "      --reboot          restart the guest when it resets (default: exit 0)\n"
	       "      --stats           print memory figures on stderr at exit\n"
	       "      --kvm-dev PATH    KVM device node (default /dev/kvm)\n"
	       "      --allow-pvm       run on a PVM /dev/kvm (emulated; tiny test guests only)\n"
	       "      --netdev tap,id=ID[,ifname=NAME][,br=BRIDGE][,create=on][,host-ip=A.B.C.D/LEN]\n"
	       "                  [,vhost=on|off|auto][,queues=N][,fd=N]\n"
	       "      --netdev bridge,id=ID,br=BRIDGE\n"
	       "                        a network back end, as QEMU's -netdev\n"
	       "      --device virtio-net,netdev=ID[,mac=52:54:00:xx:xx:xx][,transport=pci|mmio]\n"
	       "                        a NIC joined to back end ID, as QEMU's -device\n"
	       "      --netdev user,id=ID[,net=A.B.C.D/M][,host=][,dhcpstart=][,dns=][,restrict=on]\n"
	       "                  [,hostname=][,domainname=][,dnssearch=]...[,tftp=DIR][,bootfile=]\n"
	       "                  [,hostfwd=[tcp|udp]:[HADDR]:HPORT-[GADDR]:GPORT]...\n"
	       "                  [,guestfwd=[tcp]:[ADDR]:PORT-cmd:COMMAND|-tcp:HOST:PORT]...\n"
	       "                  [,ipv4=on|off][,ipv6=on|off][,ipv6-net=][,ipv6-host=][,ipv6-dns=]\n"
	       "                        user-mode networking (libslirp), no privileges needed\n"
	       "      --netdev socket,id=ID,listen=[HOST]:PORT|connect=HOST:PORT|mcast=MADDR:PORT[,localaddr=]\n"
	       "                  |udp=HOST:PORT,localaddr=HOST:PORT\n"
	       "      --netdev stream,id=ID,server=on|off,addr.type=inet|unix,addr.host=,addr.port=\n"
	       "                  |addr.path=PATH[,reconnect=SECONDS]\n"
	       "      --netdev dgram,id=ID,remote.type=inet|unix,...[,local.type=...]\n"
	       "                        VMs joined over sockets, framed as QEMU frames them\n"
	       "      --netdev hubport,id=ID,hubid=N[,netdev=ND]\n"
	       "                        a port of hub N: frames from its NIC (or from back end\n"
	       "                        ND) go to every other port of the hub\n"
	       "      --nic TYPE[,model=MODEL][,mac=MAC][,NETDEV OPTIONS]\n"
	       "                        a netdev of TYPE and a NIC on it; --nic none: no NIC\n"
	       "      --net none        no network at all\n"
	       "  -net nic[,model=MODEL][,macaddr=MAC][,vlan=N | ,netdev=ID]\n"
	       "  -net TYPE[,NETDEV OPTIONS][,vlan=N][,name=ID]\n"
	       "                        QEMU's legacy form: NICs and back ends given without\n"
	       "                        netdev= meet on hub N (vlan=N, default 0)\n"
	       "      --nodefaults      no default devices (the default is --nic user)\n"
	       "      --device help     list the NIC models\n"
	       "      --object filter-dump,id=ID,netdev=NETDEV,file=PATH[,maxlen=N]\n"
	       "      --pcap NETDEV=PATH\n"
	       "                        write the frames of NETDEV, both ways, to a pcap file;\n"
	       "                        that netdev then moves packets in user space (no vhost),\n"
	       "                        so that knit sees every frame\n"
	       "  -h, --help            this text\n"
	       "\n"
	       "The console is COM1 on standard input/output. On a terminal, Ctrl-a x\n"
	       "quits and Ctrl-a Ctrl-a sends Ctrl-a.\n"
	       "Exit status: 0 on guest power-off or reset, the byte a guest writes to\n"
	       "I/O port 0x501, 1 on a guest crash or VMM failure, 2 on bad usage,\n"
	       "128+N on signal N.\n");
}

enum {
	OPT_NAME = 0x100,
	OPT_REBOOT,
	OPT_STATS,
	OPT_KVM_DEV,
	OPT_ALLOW_PVM,
	OPT_NETDEV,
	OPT_DEVICE,
	OPT_NIC,
	OPT_NET,
	OPT_NODEFAULTS,
	OPT_OBJECT,
	OPT_PCAP,
};

static const struct option run_longopts[] = {
	{ "kernel", required_argument, NULL, 'k' },
	{ "initrd", required_argument, NULL, 'i' },
	{ "params", required_argument, NULL, 'p' },
	{ "mem", required_argument, NULL, 'm' },
	{ "cpus", required_argument, NULL, 'c' },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "reboot", no_argument, NULL, OPT_REBOOT },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "kvm-dev", required_argument, NULL, OPT_KVM_DEV },
	{ "allow-pvm", no_argument, NULL, OPT_ALLOW_PVM },
	{ "netdev", required_argument, NULL, OPT_NETDEV },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "nic", required_argument, NULL, OPT_NIC },
	{ "net", required_argument, NULL, OPT_NET },
	{ "nodefaults", no_argument, NULL, OPT_NODEFAULTS },
	{ "object", required_argument, NULL, OPT_OBJECT },
	{ "pcap", required_argument, NULL, OPT_PCAP },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The largest -c we accept before asking KVM; KVM's own limit is checked later. */
#define CLI_MAX_CPUS 4096

static int bad_value(const char *opt, const char *val, const char *why)
{
	pr_err("invalid value '%s' for %s: %s", val, opt, why);
	return -EINVAL;
}

static int add_netdev(struct knit_config *cfg, const char *spec)
{
	if (cfg->nr_netdevs == KNIT_MAX_NETDEVS) {
		pr_err("too many --netdev options (at most %d)", KNIT_MAX_NETDEVS);
		return -EINVAL;
	}
	return netdev_parse(spec, &cfg->netdevs[cfg->nr_netdevs++]);
}

static int add_device(struct knit_config *cfg, const char *spec)
{
	if (!strcmp(spec, "help")) {
		nic_models_print(stdout);
		return 1;
	}
	if (cfg->nr_nics == KNIT_MAX_NICS) {
		pr_err("too many --device options (at most %d)", KNIT_MAX_NICS);
		return -EINVAL;
	}
	return nic_parse(spec, &cfg->nics[cfg->nr_nics++]);
}

static int add_capture(struct knit_config *cfg, const char *spec, bool pcap)
{
	struct capture_cfg *c = &cfg->captures[cfg->nr_captures];
	int ret;

	if (cfg->nr_captures == KNIT_MAX_CAPTURES) {
		pr_err("too many captures (at most %d)", KNIT_MAX_CAPTURES);
		return -EINVAL;
	}
	ret = pcap ? capture_parse_pcap(spec, c) : capture_parse_object(spec, c);
	if (!ret)
		cfg->nr_captures++;
	return ret;
}

/*
 * Each capture watches an existing netdev, one capture per netdev. With
 * vhost the kernel moves the frames where knit cannot see them, so a
 * captured netdev uses the user-space path; vhost=on says otherwise.
 */
static int check_captures(struct knit_config *cfg)
{
	unsigned int i, j;

	for (i = 0; i < cfg->nr_captures; i++) {
		struct capture_cfg *c = &cfg->captures[i];
		struct netdev_cfg *nd = NULL;

		for (j = 0; j < cfg->nr_netdevs; j++)
			if (!strcmp(cfg->netdevs[j].id, c->netdev))
				nd = &cfg->netdevs[j];
		if (!nd) {
			pr_err("capture of netdev %s: no --netdev with id=%s",
			       c->netdev, c->netdev);
			return -EINVAL;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(cfg->captures[j].netdev, c->netdev)) {
				pr_err("netdev %s is captured twice", c->netdev);
				return -EINVAL;
			}
		if (nd->vhost == OPT_ON) {
			pr_err("capture of netdev %s: it has vhost=on, and vhost-net moves frames where knit cannot see them (use vhost=off or auto)",
			       c->netdev);
			return -EINVAL;
		}
		nd->vhost = OPT_OFF;
	}
	return 0;
}

/*
 * Each NIC's MAC is settled once, here: a random one (no --name) stays
 * the same across guest reboots, and `knit info NAME network` shows it.
 */
static void fill_macs(struct knit_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_nics; i++) {
		if (cfg->nics[i].has_mac)
			continue;
		nic_default_mac(cfg->name, i, cfg->nics[i].mac);
		cfg->nics[i].has_mac = true;
	}
}

/* --nic: a netdev and its NIC in one option. */
static int add_nic(struct knit_config *cfg, const char *spec)
{
	struct netdev_cfg *nd = &cfg->netdevs[cfg->nr_netdevs];
	struct nic_cfg *nic = &cfg->nics[cfg->nr_nics];
	int ret;

	if (cfg->nr_netdevs == KNIT_MAX_NETDEVS ||
	    cfg->nr_nics == KNIT_MAX_NICS) {
		pr_err("--nic %s: too many network devices (at most %d)", spec,
		       KNIT_MAX_NICS);
		return -EINVAL;
	}
	ret = nic_shortcut_parse(spec, cfg->nr_nic_opts++, nd, nic);
	if (ret == NIC_SHORTCUT_NONE) {
		cfg->no_net = true;
		return 0;
	}
	if (ret == NIC_SHORTCUT_HELP)
		return 1;
	if (ret)
		return ret;
	cfg->nr_netdevs++;
	cfg->nr_nics++;
	return 0;
}

/*
 * -net: QEMU's legacy form. A NIC or back end without netdev= joins hub
 * vlan=N (0 by default) through a generated hubport.
 */
static int add_net(struct knit_config *cfg, const char *spec)
{
	struct legacy_net ln;
	unsigned int need_nd;
	int ret;

	ret = legacy_net_parse(spec, cfg->nr_net_opts++, &ln);
	if (ret == LEGACY_NET_NONE_GIVEN) {
		cfg->no_net = true;
		return 0;
	}
	if (ret == LEGACY_NET_HELP)
		return 1;
	if (ret)
		return ret;
	need_nd = ln.has_port + (ln.kind == LEGACY_NET_BACKEND);
	if (cfg->nr_netdevs + need_nd > KNIT_MAX_NETDEVS ||
	    (ln.kind == LEGACY_NET_NIC && cfg->nr_nics == KNIT_MAX_NICS)) {
		pr_err("-net %s: too many network devices (at most %d netdevs and %d NICs)",
		       spec, KNIT_MAX_NETDEVS, KNIT_MAX_NICS);
		legacy_net_free(&ln);
		return -EINVAL;
	}
	if (ln.kind == LEGACY_NET_BACKEND)
		cfg->netdevs[cfg->nr_netdevs++] = ln.backend;
	if (ln.has_port)
		cfg->netdevs[cfg->nr_netdevs++] = ln.port;
	if (ln.kind == LEGACY_NET_NIC)
		cfg->nics[cfg->nr_nics++] = ln.nic;
	return 0;
}

/*
 * With no network option at all a VM gets what QEMU gives it: user-mode
 * networking behind a virtio-net NIC.
 */
static int add_default_nic(struct knit_config *cfg)
{
	if (cfg->nodefaults || cfg->no_net || cfg->nr_netdevs ||
	    cfg->nr_nics || cfg->nr_nic_opts || cfg->nr_net_opts)
		return 0;
	return add_nic(cfg, "user");
}

static const struct netdev_cfg *find_netdev(const struct knit_config *cfg,
					    const char *id)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_netdevs; i++)
		if (!strcmp(cfg->netdevs[i].id, id))
			return &cfg->netdevs[i];
	return NULL;
}

/* The hubport whose netdev= is id, if any. */
static const struct netdev_cfg *hubport_of(const struct knit_config *cfg,
					   const char *id)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_netdevs; i++)
		if (cfg->netdevs[i].hub_netdev &&
		    !strcmp(cfg->netdevs[i].hub_netdev, id))
			return &cfg->netdevs[i];
	return NULL;
}

/*
 * A hubport's netdev= names an existing back end that is not a hubport,
 * serves no NIC and sits on no other hubport.
 */
static int check_hubports(const struct knit_config *cfg)
{
	unsigned int i, j;

	for (i = 0; i < cfg->nr_netdevs; i++) {
		const struct netdev_cfg *hp = &cfg->netdevs[i];
		const struct netdev_cfg *nd;

		if (!hp->hub_netdev)
			continue;
		nd = find_netdev(cfg, hp->hub_netdev);
		if (!nd) {
			pr_err("--netdev hubport,id=%s: no --netdev with id=%s",
			       hp->id, hp->hub_netdev);
			return -EINVAL;
		}
		if (nd->type == NETDEV_HUBPORT) {
			pr_err("--netdev hubport,id=%s: netdev=%s is a hubport itself",
			       hp->id, nd->id);
			return -EINVAL;
		}
		if (nd->queues > 1) {
			pr_err("--netdev hubport,id=%s: netdev=%s has queues=%u; a hub has one",
			       hp->id, nd->id, nd->queues);
			return -EINVAL;
		}
		for (j = 0; j < cfg->nr_nics; j++)
			if (!strcmp(cfg->nics[j].netdev, nd->id)) {
				pr_err("--netdev hubport,id=%s: netdev=%s already serves a NIC",
				       hp->id, nd->id);
				return -EINVAL;
			}
		for (j = 0; j < i; j++)
			if (cfg->netdevs[j].hub_netdev &&
			    !strcmp(cfg->netdevs[j].hub_netdev, nd->id)) {
				pr_err("--netdev hubport,id=%s: netdev=%s is on hubport %s already",
				       hp->id, nd->id, cfg->netdevs[j].id);
				return -EINVAL;
			}
	}
	return 0;
}

/* Each NIC names an existing netdev, and no netdev serves two NICs. */
static int check_network(const struct knit_config *cfg)
{
	unsigned int i, j;

	for (i = 0; i < cfg->nr_netdevs; i++) {
		for (j = 0; j < i; j++)
			if (!strcmp(cfg->netdevs[i].id, cfg->netdevs[j].id)) {
				pr_err("--netdev id=%s is used twice",
				       cfg->netdevs[i].id);
				return -EINVAL;
			}
		if (cfg->netdevs[i].queues > cfg->nr_cpus) {
			pr_err("--netdev id=%s: queues=%u is more than the %u vCPUs (-c)",
			       cfg->netdevs[i].id, cfg->netdevs[i].queues,
			       cfg->nr_cpus);
			return -EINVAL;
		}
	}
	for (i = 0; i < cfg->nr_nics; i++) {
		const char *id = cfg->nics[i].netdev;

		if (!find_netdev(cfg, id)) {
			pr_err("--device netdev=%s: no --netdev with id=%s", id, id);
			return -EINVAL;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(cfg->nics[j].netdev, id)) {
				pr_err("--device netdev=%s: that netdev already serves another NIC",
				       id);
				return -EINVAL;
			}
	}
	if (check_hubports(cfg))
		return -EINVAL;
	for (i = 0; i < cfg->nr_netdevs; i++) {
		for (j = 0; j < cfg->nr_nics; j++)
			if (!strcmp(cfg->nics[j].netdev, cfg->netdevs[i].id))
				break;
		/* A back end on a hubport, or a hubport with one, has no NIC. */
		if (cfg->netdevs[i].hub_netdev ||
		    hubport_of(cfg, cfg->netdevs[i].id))
			continue;
		if (j == cfg->nr_nics)
			pr_warn("--netdev id=%s has no NIC (--device ...,netdev=%s)",
				cfg->netdevs[i].id, cfg->netdevs[i].id);
	}
	return 0;
}

/* QEMU users type -netdev and -device with one dash; accept that. */
static void qemu_spellings(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-netdev"))
			argv[i] = "--netdev";
		else if (!strcmp(argv[i], "-device"))
			argv[i] = "--device";
		else if (!strcmp(argv[i], "-nic"))
			argv[i] = "--nic";
		else if (!strcmp(argv[i], "-net"))
			argv[i] = "--net";
		else if (!strcmp(argv[i], "-nodefaults"))
			argv[i] = "--nodefaults";
	}
}

int parse_run_options(int argc, char **argv, struct knit_config *cfg)
{
	int c, ret;

	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_size = KNIT_DEFAULT_MEM;
	cfg->nr_cpus = KNIT_DEFAULT_CPUS;
	cfg->kvm_dev = "/dev/kvm";

	optind = 0;	/* full reset: parse may run more than once */
	opterr = 0;
	qemu_spellings(argc, argv);
	while ((c = getopt_long(argc, argv, ":k:i:p:m:c:h", run_longopts,
				NULL)) != -1) {
		switch (c) {
		case 'k': cfg->kernel = optarg; break;
		case 'i': cfg->initrd = optarg; break;
		case 'p': cfg->params = optarg; break;
		case OPT_NAME:
			if (!*optarg || strchr(optarg, '/'))
				return bad_value("--name", optarg,
						 "must be non-empty, without '/'");
			cfg->name = optarg;
			break;
		case OPT_REBOOT: cfg->reboot = true; break;
		case OPT_STATS: cfg->stats = true; break;
		case OPT_KVM_DEV: cfg->kvm_dev = optarg; break;
		case OPT_ALLOW_PVM: cfg->allow_pvm = true; break;
		case OPT_NETDEV:
			if (add_netdev(cfg, optarg))
				return -EINVAL;
			break;
		case OPT_DEVICE:
			ret = add_device(cfg, optarg);
			if (ret)
				return ret < 0 ? -EINVAL : 1;
			break;
		case OPT_NIC:
			ret = add_nic(cfg, optarg);
			if (ret)
				return ret < 0 ? -EINVAL : 1;
			break;
		case OPT_NET:
			ret = add_net(cfg, optarg);
			if (ret)
				return ret < 0 ? -EINVAL : 1;
			break;
		case OPT_NODEFAULTS: cfg->nodefaults = true; break;
		case OPT_OBJECT:
		case OPT_PCAP:
			if (add_capture(cfg, optarg, c == OPT_PCAP))
				return -EINVAL;
			break;
		case 'm':
			ret = parse_size(optarg, &cfg->mem_size);
			if (ret == -ERANGE)
				return bad_value("-m/--mem", optarg, "too large");
			if (ret)
				return bad_value("-m/--mem", optarg,
						 "expected a size like 512M or 2G");
			if (cfg->mem_size < 2 * SZ_1M)
				return bad_value("-m/--mem", optarg,
						 "at least 2M of RAM is needed");
			if (cfg->mem_size > SZ_1G * 1024)
				return bad_value("-m/--mem", optarg,
						 "more than 1T is not supported");
			break;
		case 'c':
			ret = parse_uint(optarg, 1, CLI_MAX_CPUS, &cfg->nr_cpus);
			if (ret == -ERANGE)
				return bad_value("-c/--cpus", optarg,
						 "must be between 1 and the host's KVM limit");
			if (ret)
				return bad_value("-c/--cpus", optarg,
						 "expected a number of CPUs");
			break;
		case 'h':
			print_run_usage();
			return 1;
		case ':':
			pr_err("option '%s' needs a value (see knit run --help)",
			       argv[optind - 1]);
			return -EINVAL;
		default:
			pr_err("unknown option '%s' (see knit run --help)",
			       argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		pr_err("unexpected argument '%s' (see knit run --help)",
		       argv[optind]);
		return -EINVAL;
	}
	if (!cfg->kernel) {
		pr_err("no kernel given: use -k/--kernel FILE");
		return -EINVAL;
	}
	if (cfg->no_net && (cfg->nr_netdevs || cfg->nr_nics)) {
		pr_err("--net none / --nic none exclude the other network options");
		return -EINVAL;
	}
	if (add_default_nic(cfg))
		return -EINVAL;
	ret = check_network(cfg);
	if (!ret)
		ret = check_captures(cfg);
	if (!ret)
		fill_macs(cfg);
	return ret;
}
