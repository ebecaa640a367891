// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny 64-bit guest booted as a bzImage. It reads what knit handed it
 * (boot_params, e820, command line, initrd, ACPI tables, the PCI host
 * bridge) the way Linux would, prints what it found on COM1, then does
 * what its command line asks: exit=N, poweroff, reset, cf9, echo,
 * echoes, crash.
 */
#include <stddef.h>
#include <stdint.h>

#include "io.h"

#define DEBUG_EXIT 0x501

static void puts_(const char *s)
{
	while (*s)
		putc_com1(*s++);
}

/* Console input: echo one line back, upper-cased. */
static void echo_line(void)
{
	int c;

	puts_("knit-guest: echo>");
	while ((c = getc_com1()) != '\n' && c != '\r')
		putc_com1(c >= 'a' && c <= 'z' ? c - 32 : c);
	puts_("\n");
}

static void putx(uint64_t v)
{
	char buf[17];
	int i = 16;

	buf[i] = 0;
	do {
		buf[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	puts_(&buf[i]);
}

static void putn(uint64_t v)
{
	char buf[21];
	int i = 20;

	buf[i] = 0;
	do {
		buf[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	puts_(&buf[i]);
}

static uint32_t rd32(uint64_t a) { return *(volatile uint32_t *)a; }
static uint64_t rd64(uint64_t a) { return *(volatile uint64_t *)a; }

static int memeq(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	while (n--)
		if (*x++ != *y++)
			return 0;
	return 1;
}

static uint8_t sum(uint64_t a, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *(uint8_t *)a++;
	return s;
}

static void quit(int code)
{
	outb(DEBUG_EXIT, code);
	for (;;)
		;
}

/* The value after "key=" in the command line, or NULL. */
static const char *param(const char *cmdline, const char *key)
{
	size_t n = 0;

	while (key[n])
		n++;
	for (const char *p = cmdline; *p; p++)
		if ((p == cmdline || p[-1] == ' ') && memeq(p, key, n) &&
		    p[n] == '=')
			return p + n + 1;
	return NULL;
}

static int has_word(const char *cmdline, const char *w)
{
	size_t n = 0;

	while (w[n])
		n++;
	for (const char *p = cmdline; *p; p++)
		if ((p == cmdline || p[-1] == ' ') && memeq(p, w, n) &&
		    (p[n] == ' ' || p[n] == 0))
			return 1;
	return 0;
}

static unsigned int atou(const char *s)
{
	unsigned int v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + *s++ - '0';
	return v;
}

static uint64_t find_table(uint64_t xsdt, const char *sig)
{
	uint32_t len = rd32(xsdt + 4);

	for (uint64_t e = xsdt + 36; e + 8 <= xsdt + len; e += 8)
		if (memeq((void *)rd64(e), sig, 4))
			return rd64(e);
	return 0;
}

/*
 * Bus 0 device 0 the two ways Linux reads it: config mechanism #1, and
 * the ECAM window the MCFG table points to.
 */
static void check_pci(uint64_t xsdt)
{
	uint64_t mcfg = xsdt ? find_table(xsdt, "MCFG") : 0;
	uint64_t ecam = mcfg ? rd64(mcfg + 44) : 0;

	outl(0xcf8, 0x80000000);
	puts_("knit-guest: pci 00.0 id=");
	putx(inl(0xcfc));
	puts_(" ecam=");
	if (ecam && !sum(mcfg, rd32(mcfg + 4)))
		putx(rd32(ecam));
	else
		puts_("none");
	puts_(" mcfg=");
	putx(ecam);
	puts_("\n");
}

static uint64_t check_acpi(uint64_t bp, uint16_t *pm1a_cnt)
{
	uint64_t rsdp = rd64(bp + 0x070), xsdt, madt, fadt;
	int cpus = 0;

	if (!rsdp || !memeq((void *)rsdp, "RSD PTR ", 8) || sum(rsdp, 20) ||
	    sum(rsdp, 36)) {
		puts_("knit-guest: acpi=bad-rsdp\n");
		return 0;
	}
	xsdt = rd64(rsdp + 24);
	if (sum(xsdt, rd32(xsdt + 4))) {
		puts_("knit-guest: acpi=bad-xsdt\n");
		return 0;
	}
	madt = find_table(xsdt, "APIC");
	fadt = find_table(xsdt, "FACP");
	if (!madt || !fadt || sum(madt, rd32(madt + 4)) ||
	    sum(fadt, rd32(fadt + 4))) {
		puts_("knit-guest: acpi=bad-tables\n");
		return 0;
	}
	for (uint64_t e = madt + 44; e < madt + rd32(madt + 4);
	     e += *(uint8_t *)(e + 1))
		if (*(uint8_t *)e == 0 && (rd32(e + 4) & 1))
			cpus++;
	*pm1a_cnt = rd32(fadt + 64);
	puts_("knit-guest: acpi=ok cpus=");
	putn(cpus);
	puts_("\n");
	check_pci(xsdt);
	return fadt;
}

void guest_main(uint64_t bp);

void guest_main(uint64_t bp)
{
	const char *cmdline = (const char *)(uint64_t)rd32(bp + 0x228);
	uint64_t initrd = rd32(bp + 0x218), initrd_len = rd32(bp + 0x21c);
	uint8_t nr = *(uint8_t *)(bp + 0x1e8);
	uint64_t ram = 0;
	uint16_t pm1a_cnt = 0;
	const char *v;

	puts_("knit-guest: hello from a 64-bit bzImage\n");
	for (int i = 0; i < nr; i++) {
		uint64_t e = bp + 0x2d0 + i * 20;

		if (rd32(e + 16) == 1)
			ram += rd64(e + 8);
	}
	puts_("knit-guest: e820 entries=");
	putn(nr);
	puts_(" ram-kib=");
	putn(ram >> 10);
	puts_("\nknit-guest: cmdline=");
	puts_(cmdline);
	puts_("\nknit-guest: initrd=");
	for (uint64_t i = 0; i < initrd_len && i < 64; i++) {
		char c = *(char *)(initrd + i);

		if (c == '\n')
			break;
		putc_com1(c);
	}
	puts_("\n");
	check_acpi(bp, &pm1a_cnt);

	if (has_word(cmdline, "echo"))
		echo_line();
	/* echoes: every line, for ever (a guest to pause and resume). */
	while (has_word(cmdline, "echoes"))
		echo_line();
	if (has_word(cmdline, "poweroff") && pm1a_cnt)
		outw(pm1a_cnt, 5 << 10 | 1 << 13);	/* SLP_TYP=S5, SLP_EN */
	if (has_word(cmdline, "reset"))
		outb(0x64, 0xfe);
	if (has_word(cmdline, "cf9"))
		outb(0xcf9, 0x06);
	if (has_word(cmdline, "crash")) {
		/* No IDT: the breakpoint becomes a triple fault. */
		struct { uint16_t limit; uint64_t base; } __attribute__((packed))
			idt = { 0, 0 };
		__asm__ volatile("lidt %0; int3" : : "m"(idt));
	}
	v = param(cmdline, "exit");
	quit(v ? atou(v) : 0);
}
