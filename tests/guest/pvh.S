/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny guest booted through the PVH entry note: 32-bit protected mode,
 * paging off, start_info in %ebx. It checks the magic, prints the command
 * line and the first line of the initrd module on COM1, then exits through
 * the debug-exit port with the digit that follows "exit=" on its command
 * line (0 if none).
 */
#define COM1 0x3f8
#define DEBUG_EXIT 0x501
#define PVH_MAGIC 0x336ec578

	.section .note.GNU-stack, "", @progbits
	.section .note.Xen, "a"
	.balign 4
	.long 4, 4, 18			/* namesz, descsz, PHYS32_ENTRY */
	.asciz "Xen"
	.long pvh_start

	.text
	.code32
	.globl pvh_start
pvh_start:
	mov $stack_top, %esp
	cmpl $PVH_MAGIC, (%ebx)
	jne bad_magic

	mov $msg_hello, %esi
	call puts
	mov 24(%ebx), %esi		/* cmdline_paddr */
	call puts
	mov $msg_initrd, %esi
	call puts
	cmpl $0, 12(%ebx)		/* nr_modules */
	je 2f
	mov 16(%ebx), %edx		/* modlist_paddr */
	mov (%edx), %esi		/* module paddr */
	mov 8(%edx), %ecx		/* module size */
1:	test %ecx, %ecx
	jz 2f
	movb (%esi), %al
	cmp $'\n', %al
	je 2f
	call putc
	inc %esi
	dec %ecx
	jmp 1b
2:	mov $msg_nl, %esi
	call puts

	/* Exit status: the digit after "exit=" in the command line. */
	mov 24(%ebx), %esi
	xor %eax, %eax
3:	cmpb $0, (%esi)
	je 5f
	cmpl $0x74697865, (%esi)	/* "exit" */
	jne 4f
	cmpb $'=', 4(%esi)
	jne 4f
	movzbl 5(%esi), %eax
	sub $'0', %eax
	jmp 5f
4:	inc %esi
	jmp 3b
5:	mov $DEBUG_EXIT, %dx
	outb %al, %dx
	jmp .

bad_magic:
	mov $msg_bad, %esi
	call puts
	mov $DEBUG_EXIT, %dx
	mov $99, %al
	outb %al, %dx
	jmp .

/* putc: %al to COM1, polling the transmitter. */
putc:
	push %edx
	push %eax
	mov $COM1 + 5, %dx
6:	inb %dx, %al
	test $0x20, %al
	jz 6b
	pop %eax
	mov $COM1, %dx
	outb %al, %dx
	pop %edx
	ret

/* puts: the NUL-terminated string at %esi (preserved). */
puts:
	push %esi
7:	movb (%esi), %al
	test %al, %al
	jz 8f
	call putc
	inc %esi
	jmp 7b
8:	pop %esi
	ret

	.section .rodata
msg_hello:	.asciz "knit-guest: hello from PVH, cmdline="
msg_initrd:	.asciz "\nknit-guest: initrd="
msg_nl:		.asciz "\n"
msg_bad:	.asciz "knit-guest: bad start_info magic\n"

	.bss
	.balign 16
	.space 4096
stack_top:
