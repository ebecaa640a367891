/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal bzImage: a setup header that passes knit's checks, then a
 * 64-bit entry point 0x200 bytes into the protected-mode part, as the
 * Linux boot protocol places startup_64.
 */
	.section .note.GNU-stack, "", @progbits
	.section .setup, "a"
	.code16
	.org 0x1f1
	.byte 1				/* setup_sects: 1 + boot sector */
	.word 0				/* root_flags */
	.long 0				/* syssize */
	.word 0, 0, 0			/* ram_size, vid_mode, root_dev */
	.word 0xaa55			/* boot_flag */
	.byte 0xeb, hdr_end - jump_end	/* jump over the header */
jump_end:
	.ascii "HdrS"
	.word 0x020c			/* boot protocol 2.12 */
	.org 0x22c
	.long 0x7fffffff		/* initrd_addr_max */
	.long 0x200000			/* kernel_alignment */
	.byte 0, 0			/* relocatable, min_alignment */
	.word 1				/* xloadflags: XLF_KERNEL_64 */
	.long 2047			/* cmdline_size */
	.org 0x258
	.quad 0x100000			/* pref_address */
	.long 0x100000			/* init_size */
hdr_end:
	.org 0x400

	.section .text.head, "ax"
	.code64
	.org 0x200
	.globl startup_64
startup_64:
	lea stack_top(%rip), %rsp
	mov %rsi, %rdi
	call guest_main
1:	hlt
	jmp 1b

	.bss
	.balign 16
	.space 8192
stack_top:
