// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "kvm/kvm.h"

struct required_cap {
	int cap;
	const char *name;
};

/* Capabilities every machine knit builds relies on. */
static const struct required_cap required_caps[] = {
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
	{ KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP" },
	{ KVM_CAP_IRQ_ROUTING, "KVM_CAP_IRQ_ROUTING" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
#ifdef __x86_64__
	{ KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR" },
	{ KVM_CAP_PIT2, "KVM_CAP_PIT2" },
	{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
#endif
};

bool kvm_host_is_pvm(void)
{
	char line[4096];
	bool hw = false;
	FILE *f;

	/* The PVM module is the direct evidence. */
	if (access("/sys/module/kvm_pvm", F_OK) == 0)
		return true;
#ifdef __x86_64__
	/*
	 * Without VT-x or SVM in the CPU flags, a /dev/kvm can only be
	 * emulating, whatever its module is called.
	 */
	f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		hw = strstr(line, " vmx") || strstr(line, " svm");
		break;
	}
	fclose(f);
	return !hw;
#else
	(void)line; (void)hw; (void)f;
	return false;
#endif
}

int kvm_host_open(struct kvm_host *host, const char *path)
{
	size_t i;
	int ret;

	memset(host, 0, sizeof(*host));
	host->path = path;
	host->fd = open(path, O_RDWR | O_CLOEXEC);
	if (host->fd < 0) {
		ret = -errno;
		if (ret == -ENOENT)
			pr_err("cannot open %s: no such device node (is the kvm module loaded?)",
			       path);
		else if (ret == -EACCES || ret == -EPERM)
			pr_err("cannot open %s: permission denied (add yourself to the kvm group)",
			       path);
		else
			pr_err("cannot open %s: %s", path, strerror(-ret));
		return ret;
	}

	ret = ioctl(host->fd, KVM_GET_API_VERSION, 0);
	if (ret != KVM_API_VERSION) {
		pr_err("%s: KVM API version %d, knit needs %d", path, ret,
		       KVM_API_VERSION);
		goto fail;
	}
	for (i = 0; i < ARRAY_SIZE(required_caps); i++) {
		if (ioctl(host->fd, KVM_CHECK_EXTENSION,
			  required_caps[i].cap) <= 0) {
			pr_err("%s: this KVM lacks %s", path,
			       required_caps[i].name);
			goto fail;
		}
	}
	ret = ioctl(host->fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	if (ret <= 0)
		ret = ioctl(host->fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
	host->max_vcpus = ret > 0 ? ret : 1;
	host->vcpu_mmap_size = ioctl(host->fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (host->vcpu_mmap_size <= 0) {
		pr_err("%s: KVM_GET_VCPU_MMAP_SIZE failed", path);
		goto fail;
	}
	host->pvm = kvm_host_is_pvm();
	return 0;
fail:
	close(host->fd);
	host->fd = -1;
	return -ENOTSUP;
}

void kvm_host_close(struct kvm_host *host)
{
	if (host->fd >= 0)
		close(host->fd);
	host->fd = -1;
}
