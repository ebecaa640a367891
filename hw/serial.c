// SPDX-License-Identifier: GPL-2.0
/*
 * A 16550A UART as Linux's 8250 driver expects to find it on a PC.
 * Transmission is instant: a byte written to THR goes to the host (or,
 * in loopback, to the receive buffer) before the write returns, so THR
 * and the transmitter are always empty.
 */
#include <errno.h>
#include <string.h>

#include "hw/serial.h"

/* The modem lines a host console offers: carrier, data set ready, CTS. */
#define SERIAL_HOST_LINES (UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS)

static u8 serial_modem_lines(const struct serial *s)
{
	u8 lines = 0;

	if (!(s->mcr & UART_MCR_LOOP))
		return SERIAL_HOST_LINES;

	/* Loopback wires the modem outputs back to the inputs. */
	if (s->mcr & UART_MCR_RTS)
		lines |= UART_MSR_CTS;
	if (s->mcr & UART_MCR_DTR)
		lines |= UART_MSR_DSR;
	if (s->mcr & UART_MCR_OUT1)
		lines |= UART_MSR_RI;
	if (s->mcr & UART_MCR_OUT2)
		lines |= UART_MSR_DCD;
	return lines;
}

/* Latch delta bits for modem lines that changed since last looked at. */
static void serial_update_msr(struct serial *s)
{
	u8 lines = serial_modem_lines(s);
	u8 changed = lines ^ s->msr_lines;

	if (changed & UART_MSR_CTS)
		s->msr_delta |= UART_MSR_DCTS;
	if (changed & UART_MSR_DSR)
		s->msr_delta |= UART_MSR_DDSR;
	if (changed & UART_MSR_DCD)
		s->msr_delta |= UART_MSR_DDCD;
	/* TERI flags only the trailing edge of ring indicator. */
	if ((changed & UART_MSR_RI) && !(lines & UART_MSR_RI))
		s->msr_delta |= UART_MSR_TERI;
	s->msr_lines = lines;
}

/* The highest-priority pending interrupt, as IIR's low bits encode it. */
static u8 serial_iir_id(const struct serial *s)
{
	if ((s->ier & UART_IER_RLSI) && s->lsr_err)
		return UART_IIR_RLSI;
	if ((s->ier & UART_IER_RDI) && s->rx_len)
		return UART_IIR_RDI;
	if ((s->ier & UART_IER_THRI) && s->thr_irq)
		return UART_IIR_THRI;
	if ((s->ier & UART_IER_MSI) && s->msr_delta)
		return UART_IIR_MSI;
	return UART_IIR_NO_INT;
}

static void serial_update_irq(struct serial *s)
{
	/* On a PC, OUT2 enables the buffer between the UART and the PIC. */
	bool level = serial_iir_id(s) != UART_IIR_NO_INT &&
		     (s->mcr & UART_MCR_OUT2);

	if (level != s->irq_level) {
		s->irq_level = level;
		irq_line_set(s->irq, level);
	}
}

static void serial_rx_clear(struct serial *s)
{
	s->rx_head = 0;
	s->rx_len = 0;
}

static bool serial_rx_push(struct serial *s, u8 byte)
{
	if (s->rx_len == SERIAL_RX_SIZE)
		return false;
	s->rx_buf[(s->rx_head + s->rx_len) % SERIAL_RX_SIZE] = byte;
	s->rx_len++;
	return true;
}

static u8 serial_read_rx(struct serial *s)
{
	if (s->rx_len) {
		s->rbr = s->rx_buf[s->rx_head];
		s->rx_head = (s->rx_head + 1) % SERIAL_RX_SIZE;
		s->rx_len--;
	}
	return s->rbr;
}

static u8 serial_read_iir(struct serial *s)
{
	u8 id = serial_iir_id(s);

	/* Reading IIR acknowledges THR-empty, but only when it is shown. */
	if (id == UART_IIR_THRI)
		s->thr_irq = false;
	if (s->fcr & UART_FCR_ENABLE)
		id |= UART_IIR_FIFO;
	return id;
}

static u8 serial_read_lsr(struct serial *s)
{
	u8 val = s->lsr_err | UART_LSR_THRE | UART_LSR_TEMT;

	if (s->rx_len)
		val |= UART_LSR_DR;
	s->lsr_err = 0;
	return val;
}

static u8 serial_read_msr(struct serial *s)
{
	u8 val;

	serial_update_msr(s);
	val = s->msr_lines | s->msr_delta;
	s->msr_delta = 0;
	return val;
}

static u8 serial_read_reg(struct serial *s, u64 offset)
{
	bool dlab = s->lcr & UART_LCR_DLAB;

	switch (offset) {
	case UART_RX:
		return dlab ? s->dll : serial_read_rx(s);
	case UART_IER:
		return dlab ? s->dlm : s->ier;
	case UART_IIR:
		return serial_read_iir(s);
	case UART_LCR:
		return s->lcr;
	case UART_MCR:
		return s->mcr;
	case UART_LSR:
		return serial_read_lsr(s);
	case UART_MSR:
		return serial_read_msr(s);
	case UART_SCR:
		return s->scr;
	}
	return 0xff;
}

static void serial_write_tx(struct serial *s, u8 byte)
{
	if (!(s->mcr & UART_MCR_LOOP)) {
		if (s->out)
			s->out(s->opaque, &byte, 1);
	} else if (!serial_rx_push(s, byte)) {
		s->lsr_err |= UART_LSR_OE;
	}
	/*
	 * The write acknowledged THR-empty, but the byte left at once, so
	 * THR is empty again and the interrupt is due again, as it would be
	 * on hardware once the shift register took the byte.
	 */
	s->thr_irq = true;
}

static void serial_write_ier(struct serial *s, u8 val)
{
	/* The top nibble is reserved on a 16550A; Linux checks it reads 0. */
	val &= UART_IER_RDI | UART_IER_THRI | UART_IER_RLSI | UART_IER_MSI;
	if ((val & UART_IER_THRI) && !(s->ier & UART_IER_THRI))
		s->thr_irq = true;
	s->ier = val;
}

static void serial_write_fcr(struct serial *s, u8 val)
{
	/* Turning the FIFOs on or off empties them. */
	if ((val ^ s->fcr) & UART_FCR_ENABLE)
		serial_rx_clear(s);
	/* With the enable bit clear, the other bits are not written. */
	if (!(val & UART_FCR_ENABLE)) {
		s->fcr = 0;
		return;
	}
	if (val & UART_FCR_CLR_RX)
		serial_rx_clear(s);
	/* The clear bits self-clear; the transmit side is always empty. */
	s->fcr = val & (UART_FCR_ENABLE | UART_FCR_DMA | UART_FCR_TRIG);
}

static void serial_write_reg(struct serial *s, u64 offset, u8 val)
{
	bool dlab = s->lcr & UART_LCR_DLAB;

	switch (offset) {
	case UART_TX:
		if (dlab)
			s->dll = val;
		else
			serial_write_tx(s, val);
		break;
	case UART_IER:
		if (dlab)
			s->dlm = val;
		else
			serial_write_ier(s, val);
		break;
	case UART_FCR:
		serial_write_fcr(s, val);
		break;
	case UART_LCR:
		s->lcr = val;
		break;
	case UART_MCR:
		/* Bits 5-7 are reserved and read as 0. */
		s->mcr = val & 0x1f;
		serial_update_msr(s);
		break;
	case UART_SCR:
		s->scr = val;
		break;
	}
	/* LSR and MSR are read-only; writes to them are dropped. */
}

static void serial_read(void *opaque, u64 offset, void *data, u32 len)
{
	struct serial *s = opaque;

	memset(data, 0xff, len);
	if (len != 1 || offset >= UART_NR_REGS)
		return;

	pthread_mutex_lock(&s->lock);
	*(u8 *)data = serial_read_reg(s, offset);
	serial_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

static void serial_write(void *opaque, u64 offset, const void *data, u32 len)
{
	struct serial *s = opaque;

	if (len != 1 || offset >= UART_NR_REGS)
		return;

	pthread_mutex_lock(&s->lock);
	serial_write_reg(s, offset, *(const u8 *)data);
	serial_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

const struct bus_ops serial_ops = {
	.read = serial_read,
	.write = serial_write,
};

size_t serial_receive(struct serial *s, const u8 *buf, size_t len)
{
	size_t n = 0;

	pthread_mutex_lock(&s->lock);
	if (!(s->mcr & UART_MCR_LOOP)) {
		while (n < len && serial_rx_push(s, buf[n]))
			n++;
		serial_update_irq(s);
	}
	pthread_mutex_unlock(&s->lock);
	return n;
}

int serial_init(struct serial *s, struct irq_line *irq, serial_out_fn out,
		void *opaque)
{
	int ret;

	memset(s, 0, sizeof(*s));
	ret = pthread_mutex_init(&s->lock, NULL);
	if (ret)
		return -ret;

	s->irq = irq;
	s->out = out;
	s->opaque = opaque;
	/* The divisor is undefined at power-on; 12 is 9600 baud, a PC's. */
	s->dll = 12;
	s->msr_lines = serial_modem_lines(s);
	return 0;
}

void serial_exit(struct serial *s)
{
	if (s->irq_level) {
		s->irq_level = false;
		irq_line_set(s->irq, 0);
	}
	pthread_mutex_destroy(&s->lock);
}
