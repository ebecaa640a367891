/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_SERIAL_H
#define KNIT_HW_SERIAL_H

#include <pthread.h>

#include "knit/util.h"
#include "kvm/bus.h"
#include "kvm/irq.h"

/* 16550A register offsets; DLAB in LCR turns 0 and 1 into the divisor. */
#define UART_RX		0	/* receive buffer (read) */
#define UART_TX		0	/* transmit holding (write) */
#define UART_DLL	0	/* divisor latch low (DLAB) */
#define UART_IER	1
#define UART_DLM	1	/* divisor latch high (DLAB) */
#define UART_IIR	2	/* read */
#define UART_FCR	2	/* write */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7
#define UART_NR_REGS	8

#define UART_IER_RDI	0x01	/* received data available */
#define UART_IER_THRI	0x02	/* transmit holding register empty */
#define UART_IER_RLSI	0x04	/* receiver line status */
#define UART_IER_MSI	0x08	/* modem status */

#define UART_IIR_NO_INT	0x01
#define UART_IIR_MSI	0x00
#define UART_IIR_THRI	0x02
#define UART_IIR_RDI	0x04
#define UART_IIR_RLSI	0x06
#define UART_IIR_FIFO	0xc0	/* both bits set: a 16550A with FIFOs on */

#define UART_FCR_ENABLE	0x01
#define UART_FCR_CLR_RX	0x02
#define UART_FCR_CLR_TX	0x04
#define UART_FCR_DMA	0x08
#define UART_FCR_TRIG	0xc0

#define UART_LCR_DLAB	0x80

#define UART_MCR_DTR	0x01
#define UART_MCR_RTS	0x02
#define UART_MCR_OUT1	0x04
#define UART_MCR_OUT2	0x08
#define UART_MCR_LOOP	0x10

#define UART_LSR_DR	0x01
#define UART_LSR_OE	0x02
#define UART_LSR_PE	0x04
#define UART_LSR_FE	0x08
#define UART_LSR_BI	0x10
#define UART_LSR_THRE	0x20
#define UART_LSR_TEMT	0x40
#define UART_LSR_ERRORS	(UART_LSR_OE | UART_LSR_PE | UART_LSR_FE | UART_LSR_BI)

#define UART_MSR_DCTS	0x01
#define UART_MSR_DDSR	0x02
#define UART_MSR_TERI	0x04
#define UART_MSR_DDCD	0x08
#define UART_MSR_CTS	0x10
#define UART_MSR_DSR	0x20
#define UART_MSR_RI	0x40
#define UART_MSR_DCD	0x80
#define UART_MSR_DELTAS	0x0f

/* Host bytes the guest has not read yet; more are refused, not dropped. */
#define SERIAL_RX_SIZE	1024

/*
 * Where transmitted bytes go. Called on a vCPU thread with the device
 * lock held, so it must not call back into the same serial device.
 */
typedef void (*serial_out_fn)(void *opaque, const u8 *buf, size_t len);

struct serial {
	pthread_mutex_t lock;
	struct irq_line *irq;
	serial_out_fn out;
	void *opaque;

	u8 ier;
	u8 lcr;
	u8 mcr;
	u8 fcr;
	u8 scr;
	u8 dll;
	u8 dlm;
	u8 lsr_err;	/* latched LSR error bits, cleared by reading LSR */
	u8 msr_lines;	/* MSR status bits (high nibble) as last seen */
	u8 msr_delta;	/* MSR delta bits, cleared by reading MSR */
	u8 rbr;		/* last byte the guest read */
	bool thr_irq;	/* THR-empty interrupt pending */
	bool irq_level;	/* level last driven on irq */

	u8 rx_buf[SERIAL_RX_SIZE];
	size_t rx_head;
	size_t rx_len;
};

int serial_init(struct serial *s, struct irq_line *irq, serial_out_fn out,
		void *opaque);
void serial_exit(struct serial *s);

/*
 * Queue host bytes for the guest. Returns how many were taken: fewer than
 * len when the receive buffer is full or the guest has the UART in
 * loopback (its receiver is then cut off from the line); offer the rest
 * again later.
 */
size_t serial_receive(struct serial *s, const u8 *buf, size_t len);

/* An 8-byte window; opaque is the struct serial. Byte accesses only. */
extern const struct bus_ops serial_ops;

#endif
