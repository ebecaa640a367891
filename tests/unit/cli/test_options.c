// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cli/options.h"

static void test_sizes(void **state)
{
	u64 v;

	assert_int_equal(parse_size("512M", &v), 0);
	assert_int_equal(v, 512ULL << 20);
	assert_int_equal(parse_size("2G", &v), 0);
	assert_int_equal(v, 2ULL << 30);
	assert_int_equal(parse_size("64k", &v), 0);
	assert_int_equal(v, 64ULL << 10);
	assert_int_equal(parse_size("1048576", &v), 0);
	assert_int_equal(v, 1048576);
	assert_int_equal(parse_size("256MiB", &v), 0);
	assert_int_equal(v, 256ULL << 20);
	assert_int_equal(parse_size("1GB", &v), 0);
	assert_int_equal(v, 1ULL << 30);
}

static void test_bad_sizes(void **state)
{
	u64 v = 42;

	assert_int_equal(parse_size("", &v), -EINVAL);
	assert_int_equal(parse_size("M", &v), -EINVAL);
	assert_int_equal(parse_size("12Q", &v), -EINVAL);
	assert_int_equal(parse_size("-1G", &v), -EINVAL);
	assert_int_equal(parse_size(" 1G", &v), -EINVAL);
	assert_int_equal(parse_size("1G1", &v), -EINVAL);
	assert_int_equal(parse_size("1MX", &v), -EINVAL);
	assert_int_equal(parse_size("99999999999999999999", &v), -ERANGE);
	assert_int_equal(parse_size("99999999999T", &v), -ERANGE);
	assert_int_equal(v, 42);	/* untouched on failure */
}

static void test_uint(void **state)
{
	unsigned int v;

	assert_int_equal(parse_uint("4", 1, 8, &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(parse_uint("0", 1, 8, &v), -ERANGE);
	assert_int_equal(parse_uint("9", 1, 8, &v), -ERANGE);
	assert_int_equal(parse_uint("2x", 1, 8, &v), -EINVAL);
	assert_int_equal(parse_uint("", 1, 8, &v), -EINVAL);
	assert_int_equal(parse_uint("-1", 1, 8, &v), -EINVAL);
}

#define ARGV(...) ((char *[]){ "run", __VA_ARGS__, NULL })
#define ARGC(a) ((int)(sizeof(a) / sizeof(char *)) - 1)

static int parse(char **argv, struct knit_config *cfg)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return parse_run_options(argc, argv, cfg);
}

static void test_run_short_and_long(void **state)
{
	struct knit_config cfg;

	assert_int_equal(parse(ARGV("-k", "bz", "-i", "rd", "-p", "console=ttyS0",
				    "-m", "512M", "-c", "2", "--name", "vm1"),
			       &cfg), 0);
	assert_string_equal(cfg.kernel, "bz");
	assert_string_equal(cfg.initrd, "rd");
	assert_string_equal(cfg.params, "console=ttyS0");
	assert_int_equal(cfg.mem_size, 512ULL << 20);
	assert_int_equal(cfg.nr_cpus, 2);
	assert_string_equal(cfg.name, "vm1");
	assert_false(cfg.reboot);

	assert_int_equal(parse(ARGV("--kernel", "k", "--initrd", "i",
				    "--params=a b", "--mem", "1G", "--cpus=3",
				    "--reboot"), &cfg), 0);
	assert_string_equal(cfg.kernel, "k");
	assert_string_equal(cfg.params, "a b");
	assert_int_equal(cfg.mem_size, 1ULL << 30);
	assert_int_equal(cfg.nr_cpus, 3);
	assert_true(cfg.reboot);
}

static void test_run_defaults(void **state)
{
	struct knit_config cfg;

	assert_int_equal(parse(ARGV("-k", "bz"), &cfg), 0);
	assert_int_equal(cfg.mem_size, KNIT_DEFAULT_MEM);
	assert_int_equal(cfg.nr_cpus, 1);
	assert_null(cfg.initrd);
	assert_string_equal(cfg.kvm_dev, "/dev/kvm");
}

static void test_run_errors(void **state)
{
	struct knit_config cfg;

	assert_int_equal(parse(ARGV("-i", "rd"), &cfg), -EINVAL);
	assert_int_equal(parse(ARGV("-k", "bz", "-m", "0"), &cfg), -EINVAL);
	assert_int_equal(parse(ARGV("-k", "bz", "-m", "12Q"), &cfg), -EINVAL);
	assert_int_equal(parse(ARGV("-k", "bz", "-m", "1M"), &cfg), -EINVAL);
	assert_int_equal(parse(ARGV("-k", "bz", "-c", "0"), &cfg), -EINVAL);
	assert_int_equal(parse(ARGV("-k", "bz", "-c", "many"), &cfg), -EINVAL);
	assert_int_equal(parse(ARGV("-k", "bz", "-c", "100000"), &cfg), -EINVAL);
	assert_int_equal(parse(ARGV("-k", "bz", "--bogus"), &cfg), -EINVAL);
	assert_int_equal(parse(ARGV("-k", "bz", "-x"), &cfg), -EINVAL);
	assert_int_equal(parse(ARGV("-k", "bz", "extra"), &cfg), -EINVAL);
	assert_int_equal(parse(ARGV("-k"), &cfg), -EINVAL);
	assert_int_equal(parse(ARGV("-k", "bz", "--name", "a/b"), &cfg), -EINVAL);
}

/* No network option: QEMU's default, --nic user with virtio-net. */
static void test_run_default_nic(void **state)
{
	struct knit_config cfg;

	assert_int_equal(parse(ARGV("-k", "bz"), &cfg), 0);
	assert_int_equal(cfg.nr_netdevs, 1);
	assert_int_equal(cfg.netdevs[0].type, NETDEV_USER);
	assert_int_equal(cfg.nr_nics, 1);
	assert_int_equal(cfg.nics[0].model, NIC_VIRTIO_NET);
	assert_string_equal(cfg.nics[0].netdev, cfg.netdevs[0].id);

	/* Its MAC is settled at parse time, stable for a named VM. */
	assert_true(cfg.nics[0].has_mac);
	assert_int_equal(cfg.nics[0].mac[0], 0x52);
	assert_int_equal(parse(ARGV("-k", "bz", "--name", "m1"), &cfg), 0);
	{
		u8 first[6];

		memcpy(first, cfg.nics[0].mac, 6);
		assert_int_equal(parse(ARGV("-k", "bz", "--name", "m1"), &cfg), 0);
		assert_memory_equal(first, cfg.nics[0].mac, 6);
	}

	assert_int_equal(parse(ARGV("-k", "bz", "--nodefaults"), &cfg), 0);
	assert_int_equal(cfg.nr_netdevs, 0);
	assert_int_equal(cfg.nr_nics, 0);
	assert_int_equal(parse(ARGV("-k", "bz", "--net", "none"), &cfg), 0);
	assert_int_equal(cfg.nr_nics, 0);
	assert_int_equal(parse(ARGV("-k", "bz", "-nic", "none"), &cfg), 0);
	assert_int_equal(cfg.nr_nics, 0);

	/* Any network option replaces the default. */
	assert_int_equal(parse(ARGV("-k", "bz", "--netdev", "tap,id=t0",
				    "--device", "virtio-net,netdev=t0"), &cfg), 0);
	assert_int_equal(cfg.nr_netdevs, 1);
	assert_int_equal(cfg.netdevs[0].type, NETDEV_TAP);
	assert_int_equal(parse(ARGV("-k", "bz", "--nic", "user,net=10.1.0.0/24",
				    "-nic", "user"), &cfg), 0);
	assert_int_equal(cfg.nr_netdevs, 2);
	assert_int_equal(cfg.nr_nics, 2);
	assert_string_not_equal(cfg.netdevs[0].id, cfg.netdevs[1].id);

	/* Hubports: netdev= must be a back end that serves nothing else. */
	assert_int_equal(parse(ARGV("-k", "bz", "--netdev", "user,id=u0",
				    "--netdev", "hubport,id=h0,hubid=0,netdev=u0",
				    "--netdev", "hubport,id=h1,hubid=0",
				    "--device", "virtio-net,netdev=h1"), &cfg), 0);
	assert_int_equal(parse(ARGV("-k", "bz", "--netdev", "hubport,id=h0,hubid=0,netdev=u9",
				    "--netdev", "hubport,id=h1,hubid=0",
				    "--device", "virtio-net,netdev=h1"), &cfg), -EINVAL);
	assert_int_equal(parse(ARGV("-k", "bz", "--netdev", "user,id=u0",
				    "--netdev", "hubport,id=h0,hubid=0,netdev=u0",
				    "--device", "virtio-net,netdev=u0"), &cfg), -EINVAL);
	assert_int_equal(parse(ARGV("-k", "bz", "--netdev", "hubport,id=h1,hubid=0",
				    "--netdev", "hubport,id=h0,hubid=0,netdev=h1",
				    "--device", "virtio-net,netdev=h1"), &cfg), -EINVAL);

	assert_int_equal(parse(ARGV("-k", "bz", "--net", "none", "--nic", "user"),
			       &cfg), -EINVAL);
	/* QEMU's legacy -net: NIC and back end meet on hub 0. */
	assert_int_equal(parse(ARGV("-k", "bz", "-net", "nic,model=e1000",
				    "-net", "user"), &cfg), 0);
	assert_int_equal(cfg.nr_nics, 1);
	assert_int_equal(cfg.nics[0].model, NIC_E1000);
	assert_string_equal(cfg.nics[0].netdev, "hub0port0");
	assert_int_equal(cfg.nr_netdevs, 3);
	assert_int_equal(cfg.netdevs[0].type, NETDEV_HUBPORT);
	assert_int_equal(cfg.netdevs[1].type, NETDEV_USER);
	assert_string_equal(cfg.netdevs[1].id, "user.1");
	assert_string_equal(cfg.netdevs[2].hub_netdev, "user.1");
	assert_int_equal(cfg.netdevs[2].hubid, 0);
	/* Two hubs: vlan=1 is apart from vlan=0. */
	assert_int_equal(parse(ARGV("-k", "bz", "-net", "nic", "-net", "user",
				    "-net", "nic,vlan=1",
				    "-net", "user,vlan=1,net=10.1.0.0/24"), &cfg), 0);
	assert_int_equal(cfg.nr_nics, 2);
	assert_int_equal(cfg.nr_netdevs, 6);
	assert_int_equal(cfg.netdevs[5].hubid, 1);
	assert_string_equal(cfg.netdevs[5].hub_netdev, "user.3");
	/* A -net name clashing with a --netdev id. */
	assert_int_equal(parse(ARGV("-k", "bz", "--netdev", "user,id=u0",
				    "-net", "user,name=u0"), &cfg), -EINVAL);
	assert_int_equal(parse(ARGV("-k", "bz", "-net", "nic,model=help"), &cfg), 1);
	assert_int_equal(parse(ARGV("-k", "bz", "--nic", "model=help"), &cfg), 1);
	assert_int_equal(parse(ARGV("-k", "bz", "--device", "help"), &cfg), 1);
	assert_int_equal(parse(ARGV("-k", "bz", "--nic", "user,model=help"), &cfg), 1);
}

static void test_run_help(void **state)
{
	struct knit_config cfg;

	assert_int_equal(parse(ARGV("--help"), &cfg), 1);
	assert_int_equal(parse(ARGV("-h"), &cfg), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_bad_sizes),
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_run_short_and_long),
		cmocka_unit_test(test_run_defaults),
		cmocka_unit_test(test_run_errors),
		cmocka_unit_test(test_run_help),
		cmocka_unit_test(test_run_default_nic),
	};

	return cmocka_run_group_tests_name("cli/options", tests, NULL, NULL);
}
