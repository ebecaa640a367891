// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hw/serial.h"
#include "fakes.h"

struct fixture {
	struct serial s;
	struct fake_irq irq;
	u8 out[64];
	size_t out_len;
	int out_calls;
};

static void record_out(void *opaque, const u8 *buf, size_t len)
{
	struct fixture *f = opaque;

	f->out_calls++;
	for (size_t i = 0; i < len && f->out_len < sizeof(f->out); i++)
		f->out[f->out_len++] = buf[i];
}

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	fake_irq_init(&f->irq);
	assert_int_equal(serial_init(&f->s, &f->irq.line, record_out, f), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	/* Whatever a test did, the line only ever moved on real changes. */
	assert_int_equal(f->irq.redundant, 0);
	serial_exit(&f->s);
	test_free(f);
	return 0;
}

static u8 rd(struct fixture *f, u64 reg)
{
	return io_read8(&serial_ops, &f->s, reg);
}

static void wr(struct fixture *f, u64 reg, u8 val)
{
	io_write8(&serial_ops, &f->s, reg, val);
}

static void test_reset_values(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(rd(f, UART_IER), 0x00);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_NO_INT);
	assert_int_equal(rd(f, UART_LCR), 0x00);
	assert_int_equal(rd(f, UART_MCR), 0x00);
	assert_int_equal(rd(f, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
	/* A host console looks like a connected modem, with no changes. */
	assert_int_equal(rd(f, UART_MSR),
			 UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS);
	assert_int_equal(rd(f, UART_SCR), 0x00);
	assert_int_equal(f->irq.calls, 0);
	assert_int_equal(f->irq.level, 0);
}

static void test_divisor_latch(void **state)
{
	struct fixture *f = *state;

	wr(f, UART_IER, UART_IER_RDI | UART_IER_RLSI);
	wr(f, UART_LCR, UART_LCR_DLAB | 0x03);
	wr(f, UART_DLL, 0x01);
	wr(f, UART_DLM, 0x02);
	assert_int_equal(rd(f, UART_DLL), 0x01);
	assert_int_equal(rd(f, UART_DLM), 0x02);
	assert_int_equal(rd(f, UART_LCR), UART_LCR_DLAB | 0x03);
	/* Writing the divisor must not transmit. */
	assert_int_equal(f->out_calls, 0);

	wr(f, UART_LCR, 0x03);
	assert_int_equal(rd(f, UART_IER), UART_IER_RDI | UART_IER_RLSI);
	wr(f, UART_LCR, UART_LCR_DLAB);
	assert_int_equal(rd(f, UART_DLL), 0x01);
	assert_int_equal(rd(f, UART_DLM), 0x02);
}

static void test_thr_goes_out(void **state)
{
	struct fixture *f = *state;

	wr(f, UART_TX, 'h');
	wr(f, UART_TX, 'i');
	assert_int_equal(f->out_len, 2);
	assert_memory_equal(f->out, "hi", 2);
	assert_int_equal(rd(f, UART_LSR) & (UART_LSR_THRE | UART_LSR_TEMT),
			 UART_LSR_THRE | UART_LSR_TEMT);
	/* Nothing comes back on the receive side outside loopback. */
	assert_int_equal(rd(f, UART_LSR) & UART_LSR_DR, 0);
}

static void test_receive_raises_irq(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(serial_receive(&f->s, (const u8 *)"ab", 2), 2);
	assert_true(rd(f, UART_LSR) & UART_LSR_DR);
	/* Interrupt not enabled: no IIR source, no line. */
	assert_int_equal(rd(f, UART_IIR), UART_IIR_NO_INT);
	assert_int_equal(f->irq.calls, 0);

	wr(f, UART_IER, UART_IER_RDI);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_RDI);
	/* OUT2 gates the line to the PIC, as on a PC. */
	assert_int_equal(f->irq.level, 0);
	wr(f, UART_MCR, UART_MCR_OUT2);
	assert_int_equal(f->irq.level, 1);

	assert_int_equal(rd(f, UART_RX), 'a');
	assert_int_equal(f->irq.level, 1);
	assert_int_equal(rd(f, UART_RX), 'b');
	assert_int_equal(f->irq.level, 0);
	assert_int_equal(rd(f, UART_LSR) & UART_LSR_DR, 0);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_NO_INT);

	/* New data raises the line again. */
	assert_int_equal(serial_receive(&f->s, (const u8 *)"c", 1), 1);
	assert_int_equal(f->irq.level, 1);
	assert_int_equal(f->irq.raises, 2);
	wr(f, UART_MCR, 0);
	assert_int_equal(f->irq.level, 0);
}

/* Fill the receive side through loopback until it overruns. */
static void overrun_in_loopback(struct fixture *f)
{
	for (int i = 0; i <= SERIAL_RX_SIZE; i++)
		wr(f, UART_TX, (u8)i);
}

static void test_iir_priorities(void **state)
{
	struct fixture *f = *state;

	/* Loopback changes DSR and DCD (host lines -> MCR), a modem delta. */
	wr(f, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2 | UART_MCR_RTS);
	overrun_in_loopback(f);
	wr(f, UART_IER, UART_IER_RDI | UART_IER_THRI | UART_IER_RLSI |
			UART_IER_MSI);
	assert_int_equal(f->irq.level, 1);

	assert_int_equal(rd(f, UART_IIR), UART_IIR_RLSI);
	assert_true(rd(f, UART_LSR) & UART_LSR_OE);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_RDI);
	/* Reading IIR while it showed rx data left THR-empty pending. */
	for (int i = 0; i < SERIAL_RX_SIZE; i++)
		assert_int_equal(rd(f, UART_RX), (u8)i);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_THRI);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_MSI);
	assert_true(rd(f, UART_MSR) & UART_MSR_DELTAS);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_NO_INT);
	assert_int_equal(f->irq.level, 0);
	assert_int_equal(f->out_calls, 0);
}

static void test_thri_cleared_by_iir_read(void **state)
{
	struct fixture *f = *state;

	wr(f, UART_MCR, UART_MCR_OUT2);
	wr(f, UART_IER, UART_IER_THRI);
	assert_int_equal(f->irq.level, 1);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_THRI);
	assert_int_equal(f->irq.level, 0);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_NO_INT);

	/* Rewriting ETBEI while set does not re-arm it... */
	wr(f, UART_IER, UART_IER_THRI);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_NO_INT);
	/* ...but 0 -> 1 does (Linux's THRE test relies on it). */
	wr(f, UART_IER, 0);
	wr(f, UART_IER, UART_IER_THRI);
	assert_int_equal(f->irq.level, 1);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_THRI);

	/* A transmitted byte empties THR again: the interrupt returns. */
	wr(f, UART_TX, 'x');
	assert_int_equal(f->irq.level, 1);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_THRI);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_NO_INT);
	assert_int_equal(f->irq.level, 0);
}

static void test_loopback(void **state)
{
	struct fixture *f = *state;

	/* Linux's probe: RTS and OUT2 in loopback must read CTS and DCD. */
	wr(f, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2 | UART_MCR_RTS);
	assert_int_equal(rd(f, UART_MSR) & 0xf0, UART_MSR_DCD | UART_MSR_CTS);
	wr(f, UART_MCR, UART_MCR_LOOP | UART_MCR_DTR | UART_MCR_OUT1);
	assert_int_equal(rd(f, UART_MSR),
			 UART_MSR_DSR | UART_MSR_RI | UART_MSR_DCTS |
			 UART_MSR_DDSR | UART_MSR_DDCD);
	/* Dropping OUT1 is RI's trailing edge. */
	wr(f, UART_MCR, UART_MCR_LOOP | UART_MCR_DTR);
	assert_int_equal(rd(f, UART_MSR), UART_MSR_DSR | UART_MSR_TERI);
	assert_int_equal(rd(f, UART_MSR), UART_MSR_DSR);

	wr(f, UART_TX, 'z');
	assert_int_equal(f->out_calls, 0);
	assert_true(rd(f, UART_LSR) & UART_LSR_DR);
	assert_int_equal(rd(f, UART_RX), 'z');
	/* The receiver is cut off from the host while looping back. */
	assert_int_equal(serial_receive(&f->s, (const u8 *)"q", 1), 0);

	wr(f, UART_MCR, 0);
	assert_int_equal(serial_receive(&f->s, (const u8 *)"q", 1), 1);
	wr(f, UART_TX, 'y');
	assert_int_equal(f->out_calls, 1);
	assert_int_equal(f->out[0], 'y');
	assert_int_equal(rd(f, UART_RX), 'q');
}

static void test_loopback_overrun(void **state)
{
	struct fixture *f = *state;

	wr(f, UART_MCR, UART_MCR_LOOP);
	overrun_in_loopback(f);
	assert_int_equal(rd(f, UART_LSR) & (UART_LSR_OE | UART_LSR_DR),
			 UART_LSR_OE | UART_LSR_DR);
	/* The error bits clear on read; the data stays. */
	assert_int_equal(rd(f, UART_LSR) & (UART_LSR_OE | UART_LSR_DR),
			 UART_LSR_DR);
}

static void test_fifo_detection(void **state)
{
	struct fixture *f = *state;

	/* Linux's scratch test: IER's top nibble reads back 0. */
	wr(f, UART_IER, 0xff);
	assert_int_equal(rd(f, UART_IER), 0x0f);
	wr(f, UART_IER, 0);

	wr(f, UART_FCR, UART_FCR_ENABLE);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_FIFO | UART_IIR_NO_INT);
	/* No EFR behind IIR with LCR=0xbf, nor the 16750's 64-byte bit. */
	wr(f, UART_LCR, 0xbf);
	assert_int_not_equal(rd(f, UART_IIR), 0);
	wr(f, UART_LCR, 0);
	wr(f, UART_FCR, UART_FCR_ENABLE | 0x20);
	assert_int_equal(rd(f, UART_IIR) & 0x20, 0);

	wr(f, UART_FCR, 0);
	assert_int_equal(rd(f, UART_IIR), UART_IIR_NO_INT);
}

static void test_fcr_clears_rx(void **state)
{
	struct fixture *f = *state;

	wr(f, UART_FCR, UART_FCR_ENABLE);
	assert_int_equal(serial_receive(&f->s, (const u8 *)"abc", 3), 3);
	/* Writing FCR without the clear bit keeps the data. */
	wr(f, UART_FCR, UART_FCR_ENABLE | UART_FCR_TRIG);
	assert_true(rd(f, UART_LSR) & UART_LSR_DR);
	wr(f, UART_FCR, UART_FCR_ENABLE | UART_FCR_CLR_RX);
	assert_int_equal(rd(f, UART_LSR) & UART_LSR_DR, 0);

	/* So does switching the FIFOs off. */
	assert_int_equal(serial_receive(&f->s, (const u8 *)"d", 1), 1);
	wr(f, UART_FCR, 0);
	assert_int_equal(rd(f, UART_LSR) & UART_LSR_DR, 0);
}

static void test_receive_buffer_full(void **state)
{
	struct fixture *f = *state;
	u8 buf[SERIAL_RX_SIZE + 100];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i * 7);
	assert_int_equal(serial_receive(&f->s, buf, sizeof(buf)),
			 SERIAL_RX_SIZE);
	assert_int_equal(serial_receive(&f->s, buf, 1), 0);
	/* Nothing refused was lost as an overrun. */
	assert_int_equal(rd(f, UART_LSR) & UART_LSR_OE, 0);

	assert_int_equal(rd(f, UART_RX), buf[0]);
	assert_int_equal(serial_receive(&f->s, &buf[SERIAL_RX_SIZE], 2), 1);
	/* Order survives the ring wrapping round. */
	for (size_t i = 1; i <= SERIAL_RX_SIZE; i++)
		assert_int_equal(rd(f, UART_RX), buf[i]);
	assert_int_equal(rd(f, UART_LSR) & UART_LSR_DR, 0);
}

static void test_bad_accesses(void **state)
{
	struct fixture *f = *state;
	u8 wide[8];
	const u64 bad[] = { UART_NR_REGS, 0x100, ~0ULL };

	assert_int_equal(serial_receive(&f->s, (const u8 *)"k", 1), 1);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(rd(f, bad[i]), 0xff);
		wr(f, bad[i], 0x5a);
	}
	/* Only byte accesses reach the registers. */
	memset(wide, 0, sizeof(wide));
	serial_ops.read(&f->s, UART_RX, wide, 2);
	assert_int_equal(wide[0], 0xff);
	assert_int_equal(wide[1], 0xff);
	serial_ops.write(&f->s, UART_TX, wide, 4);
	serial_ops.write(&f->s, UART_SCR, wide, 8);
	assert_int_equal(f->out_calls, 0);
	assert_int_equal(rd(f, UART_SCR), 0);
	assert_int_equal(rd(f, UART_RX), 'k');
}

static void test_null_out_and_irq(void **state)
{
	struct serial s;

	(void)state;
	assert_int_equal(serial_init(&s, NULL, NULL, NULL), 0);
	io_write8(&serial_ops, &s, UART_MCR, UART_MCR_OUT2);
	io_write8(&serial_ops, &s, UART_IER, UART_IER_THRI);
	io_write8(&serial_ops, &s, UART_TX, 'a');
	assert_int_equal(io_read8(&serial_ops, &s, UART_IIR), UART_IIR_THRI);
	serial_exit(&s);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reset_values),
		T(test_divisor_latch),
		T(test_thr_goes_out),
		T(test_receive_raises_irq),
		T(test_iir_priorities),
		T(test_thri_cleared_by_iir_read),
		T(test_loopback),
		T(test_loopback_overrun),
		T(test_fifo_detection),
		T(test_fcr_clears_rx),
		T(test_receive_buffer_full),
		T(test_bad_accesses),
		cmocka_unit_test(test_null_out_and_irq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
