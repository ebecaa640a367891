// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kvm/console.h"

static char got[1024];
static size_t got_len;
static size_t room = ~(size_t)0;	/* bytes the fake device still takes */
static int quits;

static size_t sink(void *opaque, const u8 *buf, size_t len)
{
	len = MIN(len, room);
	memcpy(got + got_len, buf, len);
	got_len += len;
	room -= len;
	return len;
}

static void on_stop(struct stop_ctl *ctl, enum stop_reason why, int code)
{
	assert_int_equal(why, STOP_QUIT);
	quits++;
}

static struct stop_ctl stop = { on_stop };

static void reset(struct console *con, bool tty)
{
	memset(con, 0, sizeof(*con));
	con->tty = tty;
	console_attach(con, &stop, sink, NULL);
	memset(got, 0, sizeof(got));
	got_len = 0;
	room = ~(size_t)0;
	quits = 0;
}

static void test_tty_escape(void **state)
{
	struct console con;

	reset(&con, true);
	console_feed(&con, (const u8 *)"ab\001\001cd", 6);
	assert_int_equal(got_len, 5);
	assert_memory_equal(got, "ab\001cd", 5);
	assert_int_equal(quits, 0);

	/* The escape split across two reads still works. */
	console_feed(&con, (const u8 *)"e\001", 2);
	console_feed(&con, (const u8 *)"x", 1);
	assert_int_equal(quits, 1);
	assert_memory_equal(got, "ab\001cde", 6);

	/* Ctrl-a + anything else is swallowed, the rest goes through. */
	reset(&con, true);
	console_feed(&con, (const u8 *)"\001qrs", 4);
	assert_memory_equal(got, "rs", 2);
	assert_int_equal(got_len, 2);
}

static void test_pipe_is_transparent(void **state)
{
	struct console con;

	reset(&con, false);
	console_feed(&con, (const u8 *)"a\001xb", 4);
	assert_int_equal(quits, 0);
	assert_int_equal(got_len, 4);
	assert_memory_equal(got, "a\001xb", 4);
}

static void test_refused_input_is_held(void **state)
{
	struct console con;
	u8 in[CONSOLE_CHUNK];
	size_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = 'a' + i % 26;
	reset(&con, true);
	room = 100;	/* the UART's FIFO fills up */
	console_feed(&con, in, sizeof(in));
	assert_int_equal(got_len, 100);
	assert_int_equal(con.held_len, sizeof(in) - 100);
	assert_false(console_push(&con));	/* still full */
	room = 50;
	assert_false(console_push(&con));
	assert_int_equal(got_len, 150);
	room = ~(size_t)0;
	assert_true(console_push(&con));
	assert_int_equal(con.held_len, 0);
	/* Every byte arrived, once, in order. */
	assert_int_equal(got_len, sizeof(in));
	assert_memory_equal(got, in, sizeof(in));

	/* With no device attached, held input is dropped, not kept forever. */
	room = 0;
	console_feed(&con, in, 10);
	assert_int_equal(con.held_len, 10);
	console_attach(&con, &stop, NULL, NULL);
	assert_true(console_push(&con));
	assert_int_equal(con.held_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tty_escape),
		cmocka_unit_test(test_pipe_is_transparent),
		cmocka_unit_test(test_refused_input_is_held),
	};

	return cmocka_run_group_tests_name("kvm/console", tests, NULL, NULL);
}
