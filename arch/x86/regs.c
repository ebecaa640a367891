// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "arch/x86/cpu.h"
#include "arch/x86/layout.h"
#include "kvm/arch.h"

#define CR0_PE (1ULL << 0)
#define CR0_ET (1ULL << 4)
#define CR0_PG (1ULL << 31)
#define CR4_PAE (1ULL << 5)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)

#define PTE_PRESENT (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_PS (1ULL << 7)

#define APIC_LVT0 0x350
#define APIC_LVT1 0x360
#define APIC_MODE_NMI 0x4
#define APIC_MODE_EXTINT 0x7

/* Flat descriptors: null, null, code at BOOT_CS, data at BOOT_DS. */
static const u64 boot_gdt[] = {
	0,
	0,
	0x00af9b000000ffffULL,	/* 64-bit code, for the 64-bit entry */
	0x00cf93000000ffffULL,	/* data, 4 GiB */
	0x00cf9b000000ffffULL,	/* 32-bit code, for the PVH entry */
};
#define BOOT_CS32 0x20

int x86_write_boot_tables(const struct guest_mem *mem)
{
	u64 pml4 = LAYOUT_PDPT | PTE_PRESENT | PTE_RW;
	u64 pdpt[4], pd[512];
	int i, j;

	if (guest_write(mem, LAYOUT_GDT, boot_gdt, sizeof(boot_gdt)) ||
	    guest_write(mem, LAYOUT_PML4, &pml4, sizeof(pml4)))
		return -EFAULT;
	for (i = 0; i < 4; i++) {
		pdpt[i] = (LAYOUT_PD + i * 0x1000) | PTE_PRESENT | PTE_RW;
		for (j = 0; j < 512; j++)
			pd[j] = (((u64)i << 30) + ((u64)j << 21)) | PTE_PRESENT |
				PTE_RW | PTE_PS;
		if (guest_write(mem, LAYOUT_PD + i * 0x1000, pd, sizeof(pd)))
			return -EFAULT;
	}
	return guest_write(mem, LAYOUT_PDPT, pdpt, sizeof(pdpt));
}

static struct kvm_segment flat_segment(u16 sel, u8 type, bool code64)
{
	return (struct kvm_segment){
		.base = 0,
		.limit = 0xffffffff,
		.selector = sel,
		.type = type,
		.present = 1,
		.s = 1,
		.l = code64,
		.db = !code64,
		.g = 1,
	};
}

int x86_regs_boot(struct vcpu *vcpu, u64 ip, u64 arg, bool entry32)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rflags = 2, .rip = ip };
	struct kvm_fpu fpu = { .fcw = 0x37f, .mxcsr = 0x1f80 };
	struct kvm_segment data = flat_segment(BOOT_DS, 3, false);

	if (ioctl(vcpu->fd, KVM_GET_SREGS, &sregs) < 0)
		return -errno;
	sregs.gdt.base = LAYOUT_GDT;
	sregs.gdt.limit = sizeof(boot_gdt) - 1;
	sregs.idt.base = 0;
	sregs.idt.limit = 0;
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
	/* A busy 32-bit TSS: VT-x refuses to enter without a usable TR. */
	sregs.tr = (struct kvm_segment){ .limit = 0x67, .type = 11,
					 .present = 1 };
	if (entry32) {
		/* PVH: protected mode, paging off, start_info in ebx. */
		sregs.cs = flat_segment(BOOT_CS32, 11, false);
		sregs.cr0 = CR0_PE | CR0_ET;
		sregs.cr4 = 0;
		sregs.efer = 0;
		regs.rbx = arg;
	} else {
		sregs.cs = flat_segment(BOOT_CS, 11, true);
		sregs.cr0 = CR0_PE | CR0_ET | CR0_PG;
		sregs.cr3 = LAYOUT_PML4;
		sregs.cr4 = CR4_PAE;
		sregs.efer = EFER_LME | EFER_LMA;
		regs.rsi = arg;
	}
	if (ioctl(vcpu->fd, KVM_SET_SREGS, &sregs) < 0 ||
	    ioctl(vcpu->fd, KVM_SET_REGS, &regs) < 0 ||
	    ioctl(vcpu->fd, KVM_SET_FPU, &fpu) < 0) {
		pr_err("cannot set vCPU %u boot registers: %s", vcpu->id,
		       strerror(errno));
		return -errno;
	}
	return 0;
}

static void lvt_set_mode(struct kvm_lapic_state *l, int reg, u32 mode)
{
	u32 v;

	memcpy(&v, &l->regs[reg], 4);
	v = (v & ~0x700u) | (mode << 8);
	memcpy(&l->regs[reg], &v, 4);
}

int x86_lapic_init(struct vcpu *vcpu)
{
	struct kvm_lapic_state l;

	if (ioctl(vcpu->fd, KVM_GET_LAPIC, &l) < 0)
		return -errno;
	lvt_set_mode(&l, APIC_LVT0, APIC_MODE_EXTINT);
	lvt_set_mode(&l, APIC_LVT1, APIC_MODE_NMI);
	if (ioctl(vcpu->fd, KVM_SET_LAPIC, &l) < 0)
		return -errno;
	return 0;
}

void arch_vcpu_dump(struct vcpu *vcpu)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	if (ioctl(vcpu->fd, KVM_GET_REGS, &r) < 0 ||
	    ioctl(vcpu->fd, KVM_GET_SREGS, &s) < 0) {
		fprintf(stderr, "  (registers unavailable: %s)\n",
			strerror(errno));
		return;
	}
	fprintf(stderr,
		"  rip %016llx  rsp %016llx  rflags %08llx\n"
		"  rax %016llx  rbx %016llx  rcx %016llx  rdx %016llx\n"
		"  rsi %016llx  rdi %016llx  rbp %016llx\n"
		"  cr0 %016llx  cr2 %016llx  cr3 %016llx  cr4 %016llx  efer %llx\n"
		"  cs %04x (base %llx, l %d, db %d)  ss %04x  gdt %llx/%x  idt %llx/%x\n",
		r.rip, r.rsp, r.rflags, r.rax, r.rbx, r.rcx, r.rdx, r.rsi,
		r.rdi, r.rbp, s.cr0, s.cr2, s.cr3, s.cr4, s.efer,
		s.cs.selector, s.cs.base, s.cs.l, s.cs.db, s.ss.selector,
		s.gdt.base, s.gdt.limit, s.idt.base, s.idt.limit);
}
