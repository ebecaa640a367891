// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 PC that knit builds: in-kernel irqchip and PIT, the legacy
 * devices Linux expects, ACPI tables, and the kernel loaded for a direct
 * boot. Every device is created here, explicitly, in one readable order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "arch/x86/boot.h"
#include "arch/x86/cpu.h"
#include "arch/x86/layout.h"
#include "firmware/acpi.h"
#include "hw/acpi_pm.h"
#include "hw/debug_exit.h"
#include "hw/i8042.h"
#include "hw/nic.h"
#include "hw/pci.h"
#include "hw/reset_ctl.h"
#include "hw/rtc.h"
#include "hw/serial.h"
#include "kvm/arch.h"
#include "kvm/console.h"
#include "kvm/irq.h"
#include "kvm/irq_routing.h"

struct x86_machine {
	struct kvm_cpuid2 *cpuid;
	u64 entry_ip;
	u64 entry_arg;
	bool entry32;

	struct irq_line com1_irq;
	struct serial com1;
	struct i8042 i8042;
	struct rtc rtc;
	struct debug_exit debug_exit;
	struct acpi_pm acpi_pm;
	struct reset_ctl reset_ctl;

	struct irq_routing routing;
	bool routing_ready;
	struct pci_bus pci;
	bool pci_ready;
	struct irq_line pci_intx[2];
	unsigned int pci_intx_next;
	struct nics nics;
};

static int create_irqchip(struct vm *vm)
{
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
	u64 identity = LAYOUT_IDENTITY_MAP;

	if (ioctl(vm->fd, KVM_SET_TSS_ADDR, (unsigned long)LAYOUT_TSS) < 0) {
		pr_err("KVM_SET_TSS_ADDR failed: %s", strerror(errno));
		return -errno;
	}
	/* Only VT-x uses it; SVM and PVM may refuse, which is harmless. */
	ioctl(vm->fd, KVM_SET_IDENTITY_MAP_ADDR, &identity);
	if (ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0) < 0) {
		pr_err("KVM_CREATE_IRQCHIP failed: %s", strerror(errno));
		return -errno;
	}
	if (ioctl(vm->fd, KVM_CREATE_PIT2, &pit) < 0) {
		pr_err("KVM_CREATE_PIT2 failed: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static size_t com1_input(void *opaque, const u8 *buf, size_t len)
{
	return serial_receive(opaque, buf, len);
}

struct pio_window {
	u16 port;
	u16 len;
	const struct bus_ops *ops;
	void *dev;
};

/* Does any device of this machine sit on PCI? */
static bool wants_pci(const struct knit_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_nics; i++)
		if (cfg->nics[i].transport == NIC_TRANSPORT_PCI)
			return true;
	return false;
}

/*
 * The GSI routing table (KVM's default pin routes, then MSI routes for
 * PCI devices) and PCI bus 0. The bus owns ports 0xcf8-0xcff, so the
 * reset control register at 0xcf9 is reached through it. A machine with
 * nothing on PCI has no bus at all, as QEMU's microvm: the guest's PCI
 * scan costs exits that, nested, add up to seconds of boot.
 */
static int create_pci(struct vm *vm, struct x86_machine *m)
{
	int ret;

	ret = irq_routing_init(&m->routing, vm->fd);
	if (ret)
		return ret;
	m->routing_ready = true;
	if (!wants_pci(vm->cfg)) {
		ret = bus_register(&vm->pio, PORT_RESET_CTL, 1, &reset_ctl_ops,
				   &m->reset_ctl);
		if (ret)
			pr_err("I/O port 0x%x claimed twice", PORT_RESET_CTL);
		return ret;
	}
	ret = pci_bus_init(&m->pci, &vm->pio, &vm->mmio, LAYOUT_PCI_ECAM,
			   LAYOUT_PCI_MEM, LAYOUT_PCI_MEM_SIZE, PORT_PCI_IO,
			   PORT_PCI_IO_SIZE);
	if (ret) {
		pr_err("cannot set up PCI bus 0: %s", strerror(-ret));
		return ret;
	}
	m->pci_ready = true;
	pci_bus_set_cf9(&m->pci, &reset_ctl_ops, &m->reset_ctl);
	vm_irq_line_init(vm, &m->pci_intx[0], IRQ_PCI_INTX_A);
	vm_irq_line_init(vm, &m->pci_intx[1], IRQ_PCI_INTX_B);
	return 0;
}

struct pci_bus *arch_pci_bus(struct vm *vm)
{
	struct x86_machine *m = vm->arch;

	return m && m->pci_ready ? &m->pci : NULL;
}

struct irq_routing *arch_irq_routing(struct vm *vm)
{
	struct x86_machine *m = vm->arch;

	return m && m->routing_ready ? &m->routing : NULL;
}

/* Devices take GSI 10 and 11 in turn; Linux reads them from INT_LINE. */
struct irq_line *arch_pci_intx(struct vm *vm)
{
	struct x86_machine *m = vm->arch;

	if (!m || !m->pci_ready)
		return NULL;
	return &m->pci_intx[m->pci_intx_next++ % ARRAY_SIZE(m->pci_intx)];
}

static int create_devices(struct vm *vm, struct x86_machine *m)
{
	const struct pio_window windows[] = {
		{ PORT_COM1, 8, &serial_ops, &m->com1 },
		{ PORT_I8042_DATA, 1, &i8042_data_ops, &m->i8042 },
		{ PORT_I8042_CMD, 1, &i8042_cmd_ops, &m->i8042 },
		{ PORT_RTC, 2, &rtc_ops, &m->rtc },
		{ PORT_DEBUG_EXIT, 1, &debug_exit_ops, &m->debug_exit },
		{ PORT_ACPI_PM1A_EVT, 4, &acpi_pm_evt_ops, &m->acpi_pm },
		{ PORT_ACPI_PM1A_CNT, 2, &acpi_pm_cnt_ops, &m->acpi_pm },
	};
	size_t i;
	int ret;

	vm_irq_line_init(vm, &m->com1_irq, IRQ_COM1);
	ret = serial_init(&m->com1, &m->com1_irq, console_write, vm->console);
	if (!ret)
		ret = i8042_init(&m->i8042, &vm->stop);
	if (!ret)
		ret = rtc_init(&m->rtc, NULL);
	if (!ret)
		ret = debug_exit_init(&m->debug_exit, &vm->stop);
	if (!ret)
		ret = acpi_pm_init(&m->acpi_pm, &vm->stop);
	if (!ret)
		ret = reset_ctl_init(&m->reset_ctl, &vm->stop);
	if (ret)
		return ret;
	console_attach(vm->console, &vm->stop, com1_input, &m->com1);

	for (i = 0; i < ARRAY_SIZE(windows); i++) {
		ret = bus_register(&vm->pio, windows[i].port, windows[i].len,
				   windows[i].ops, windows[i].dev);
		if (ret) {
			pr_err("I/O port 0x%x claimed twice", windows[i].port);
			return ret;
		}
	}
	return create_pci(vm, m);
}

static const u32 virtio_mmio_irqs[] = IRQS_VIRTIO_MMIO;

static int build_acpi(struct vm *vm, struct x86_machine *m)
{
	struct acpi_cfg cfg = {
		.nr_cpus = vm->cfg->nr_cpus,
		.lapic_addr = LAYOUT_LAPIC,
		.ioapic_addr = LAYOUT_IOAPIC,
		.ioapic_id = vm->cfg->nr_cpus,
		.sci_irq = IRQ_ACPI_SCI,
		.pm1a_evt_port = PORT_ACPI_PM1A_EVT,
		.pm1a_cnt_port = PORT_ACPI_PM1A_CNT,
		.s5_slp_typ = ACPI_PM_SLP_TYP_S5,
		.reset_port = PORT_RESET_CTL,
		.reset_value = 0x06,
		.ecam_base = LAYOUT_PCI_ECAM,
		.ecam_end_bus = 0,
		.pci_mem_base = LAYOUT_PCI_MEM,
		.pci_mem_size = LAYOUT_PCI_MEM_SIZE,
		.pci_io_base = PORT_PCI_IO,
		.pci_io_size = PORT_PCI_IO_SIZE,
		/* PCI INTx is level-triggered; say so, or Linux picks edge. */
		.nr_level_irqs = 2,
		.level_irqs = { IRQ_PCI_INTX_A, IRQ_PCI_INTX_B },
	};
	u8 *buf = guest_ptr(&vm->mem, LAYOUT_ACPI, LAYOUT_ACPI_SIZE);
	unsigned int i;
	int ret;

	/* No bus, no host bridge or MCFG for the guest to look at. */
	if (!m->pci_ready) {
		cfg.ecam_base = 0;
		cfg.pci_mem_size = 0;
		cfg.pci_io_size = 0;
		cfg.nr_level_irqs = 0;
	}

	/* Linux finds virtio-mmio devices through ACPI (LNRO0005). */
	cfg.nr_virtio_mmio = m->nics.nr_mmio;
	for (i = 0; i < m->nics.nr_mmio; i++) {
		cfg.virtio_mmio[i].base = LAYOUT_VIRTIO_MMIO +
					  i * VIRTIO_MMIO_SIZE;
		cfg.virtio_mmio[i].size = VIRTIO_MMIO_SIZE;
		cfg.virtio_mmio[i].gsi = virtio_mmio_irqs[i];
	}
	ret = buf ? acpi_build(buf, LAYOUT_ACPI_SIZE, LAYOUT_ACPI, &cfg) : -EFAULT;
	if (ret < 0)
		pr_err("cannot build ACPI tables: %s", strerror(-ret));
	return ret < 0 ? ret : 0;
}

static void nic_places(struct vm *vm, struct nic_places *p)
{
	memset(p, 0, sizeof(*p));
	p->mmio_base = LAYOUT_VIRTIO_MMIO;
	p->mmio_gsis = virtio_mmio_irqs;
	p->nr_mmio = ARRAY_SIZE(virtio_mmio_irqs);
	p->pci = arch_pci_bus(vm);
	p->routing = arch_irq_routing(vm);
	p->intx = arch_pci_intx(vm);
	p->mmio = &vm->mmio;
}

static int create_nics(struct vm *vm, struct x86_machine *m)
{
	struct nic_places p;

	nic_places(vm, &p);
	return nics_create(&m->nics, vm, &p);
}

int arch_machine_build(struct vm *vm, void *boot)
{
	struct x86_boot *b = boot;
	struct x86_machine *m;
	int ret;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	vm->arch = m;

	m->cpuid = x86_cpuid_supported(vm->host->fd);
	if (!m->cpuid)
		return -ENODEV;
	ret = create_irqchip(vm);
	if (!ret)
		ret = create_devices(vm, m);
	if (!ret)
		ret = create_nics(vm, m);
	if (!ret)
		ret = build_acpi(vm, m);
	if (!ret)
		ret = x86_write_boot_tables(&vm->mem);
	if (ret)
		return ret;
	/* The RSDP is the first thing in the ACPI area. */
	ret = x86_boot_load(b, &vm->mem, LAYOUT_ACPI, &m->entry_ip,
			    &m->entry_arg);
	if (ret) {
		pr_err("cannot load the kernel into guest memory: %s",
		       strerror(-ret));
		return ret;
	}
	m->entry32 = b->format == KERNEL_ELF;
	return 0;
}

void arch_machine_destroy(struct vm *vm)
{
	struct x86_machine *m = vm->arch;

	serial_exit(&m->com1);
	i8042_exit(&m->i8042);
	rtc_exit(&m->rtc);
	debug_exit_exit(&m->debug_exit);
	acpi_pm_exit(&m->acpi_pm);
	reset_ctl_exit(&m->reset_ctl);
	/* PCI devices go first; the bus and routes after them. */
	nics_destroy(&m->nics);
	if (m->pci_ready)
		pci_bus_exit(&m->pci);
	if (m->routing_ready)
		irq_routing_exit(&m->routing);
	free(m->cpuid);
	free(m);
	vm->arch = NULL;
}

int arch_vcpu_init(struct vcpu *vcpu)
{
	struct x86_machine *m = vcpu->vm->arch;
	int ret;

	ret = x86_cpuid_apply(vcpu, m->cpuid);
	if (!ret)
		ret = x86_lapic_init(vcpu);
	/* Other vCPUs wait for the guest's INIT/SIPI in the kernel's LAPIC. */
	if (!ret && vcpu->id == 0)
		ret = x86_regs_boot(vcpu, m->entry_ip, m->entry_arg,
				    m->entry32);
	return ret;
}
