// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/control_proto.h"

/* ---- requests ---- */

static int parse(const char *line, struct ctl_request *req,
		 struct ctl_error *err)
{
	return ctl_request_parse(line, strlen(line), req, err);
}

static void test_parse_good(void **state)
{
	struct ctl_request req;
	struct ctl_error err;

	assert_int_equal(parse("{\"execute\":\"stop\"}", &req, &err), 0);
	assert_string_equal(req.execute, "stop");
	assert_null(req.args);
	assert_null(req.id);
	ctl_request_free(&req);

	assert_int_equal(parse(" { \"id\": [1, \"a\"], \"execute\": \"hostfwd-add\","
			       " \"arguments\": {\"netdev\":\"u0\",\"rule\":\"tcp::2222-:22\"} } ",
			       &req, &err), 0);
	assert_string_equal(req.execute, "hostfwd-add");
	assert_non_null(req.args);
	assert_non_null(req.id);
	assert_string_equal(ctl_arg_str(&req, "netdev"), "u0");
	assert_string_equal(ctl_arg_str(&req, "rule"), "tcp::2222-:22");
	assert_null(ctl_arg_str(&req, "other"));
	ctl_request_free(&req);
}

static void expect_bad(const char *line, size_t len, const char *desc)
{
	struct ctl_request req;
	struct ctl_error err = { 0 };

	assert_int_equal(ctl_request_parse(line, len, &req, &err), -EINVAL);
	assert_string_equal(err.class, CTL_GENERIC_ERROR);
	if (!strstr(err.desc, desc))
		fail_msg("'%s': error '%s' lacks '%s'", line, err.desc, desc);
	ctl_request_free(&req);
}

static void expect_bad_str(const char *line, const char *desc)
{
	expect_bad(line, strlen(line), desc);
}

static void test_parse_malformed(void **state)
{
	static const char nul[] = "{\"execute\":\"stop\"}\0{}";
	static const char *const bad[] = {
		"{bad json", "{\"execute\":", "", "   ", "{\"execute\":\"stop\"} x",
		"{\"execute\":\"stop\"}{}", "{\"execute\":\"stop\",}", "tru",
		"\xff\xfe", "{\"execute\":\"st\\qop\"}",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		expect_bad_str(bad[i], "JSON parse error");
	expect_bad(nul, sizeof(nul) - 1, "NUL byte");
}

static void test_parse_not_object(void **state)
{
	static const char *const bad[] = {
		"[1,2]", "12", "null", "\"stop\"", "true",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		expect_bad_str(bad[i], "must be a JSON object");
}

static void test_parse_bad_members(void **state)
{
	static const char *const no_exec[] = {
		"{}", "{\"execute\":7}", "{\"execute\":null}",
		"{\"arguments\":{}}",
	};
	struct ctl_request req;
	struct ctl_error err;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(no_exec); i++)
		expect_bad_str(no_exec[i], "needs \"execute\"");
	expect_bad_str("{\"execute\":\"stop\",\"arguments\":[]}",
		       "\"arguments\" must be a JSON object");
	expect_bad_str("{\"execute\":\"stop\",\"exec\":1}",
		       "unexpected member \"exec\"");

	/* The id survives a failure, so the error can carry it. */
	assert_int_equal(parse("{\"id\":5,\"execute\":1}", &req, &err),
			 -EINVAL);
	assert_non_null(req.id);
	assert_int_equal(json_object_get_int(req.id), 5);
	ctl_request_free(&req);
}

/* ---- replies ---- */

static void test_reply_return(void **state)
{
	struct json_object *o, *id;
	char *line;

	line = ctl_reply_return(NULL, NULL);
	assert_string_equal(line, "{\"return\":{}}\n");
	free(line);

	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string("vm/1"));
	json_object_object_add(o, "pid", json_object_new_int(42));
	id = json_object_new_string("abc");
	line = ctl_reply_return(o, id);
	assert_string_equal(line,
		"{\"return\":{\"name\":\"vm/1\",\"pid\":42},\"id\":\"abc\"}\n");
	free(line);
	json_object_put(id);

	/* A multi-line text stays one reply line. */
	line = ctl_reply_return(json_object_new_string("a\nb\n"), NULL);
	assert_string_equal(line, "{\"return\":\"a\\nb\\n\"}\n");
	free(line);
}

static void test_reply_error(void **state)
{
	struct ctl_error err;
	char *line;

	ctl_error_set(&err, CTL_GENERIC_ERROR, "port %d: \"%s\"", 80, "x");
	line = ctl_reply_error(&err, NULL);
	assert_string_equal(line,
		"{\"error\":{\"class\":\"GenericError\",\"desc\":\"port 80: \\\"x\\\"\"}}\n");
	free(line);
}

/* ---- dispatch ---- */

static int fake_echo(void *ctx, const struct ctl_request *req,
		     struct json_object **ret, struct ctl_error *err)
{
	const char *opt = ctl_arg_str(req, "opt");

	(*(int *)ctx)++;
	*ret = json_object_new_string(opt ? opt : ctl_arg_str(req, "req"));
	return 0;
}

static int fake_fail(void *ctx, const struct ctl_request *req,
		     struct json_object **ret, struct ctl_error *err)
{
	ctl_error_set(err, CTL_GENERIC_ERROR, "it failed");
	return -EIO;
}

static int fake_empty(void *ctx, const struct ctl_request *req,
		      struct json_object **ret, struct ctl_error *err)
{
	return 0;
}

static const struct ctl_command fake_table[] = {
	{ "echo", fake_echo,
	  { { "req", json_type_string, true },
	    { "opt", json_type_string, false },
	    { "flag", json_type_boolean, false } } },
	{ "fail", fake_fail, { { 0 } } },
	{ "empty", fake_empty, { { 0 } } },
};

static void expect_reply(const char *line, const char *want, int calls)
{
	int n = 0;
	char *reply;

	assert_int_equal(ctl_handle_line(fake_table, ARRAY_SIZE(fake_table),
					 &n, line, strlen(line), &reply), 0);
	if (!want) {
		assert_null(reply);
	} else {
		assert_non_null(reply);
		if (strcmp(reply, want))
			fail_msg("'%s': reply %s, expected %s", line, reply,
				 want);
	}
	assert_int_equal(n, calls);
	free(reply);
}

static void test_dispatch(void **state)
{
	expect_reply("{\"execute\":\"echo\",\"arguments\":{\"req\":\"hi\"}}",
		     "{\"return\":\"hi\"}\n", 1);
	expect_reply("{\"execute\":\"echo\",\"id\":3,\"arguments\":"
		     "{\"req\":\"a\",\"opt\":\"b\",\"flag\":true}}",
		     "{\"return\":\"b\",\"id\":3}\n", 1);
	expect_reply("{\"execute\":\"empty\"}", "{\"return\":{}}\n", 0);
	expect_reply("{\"execute\":\"empty\",\"arguments\":{}}",
		     "{\"return\":{}}\n", 0);
	expect_reply("{\"execute\":\"fail\",\"id\":\"x\"}",
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"it failed\"},\"id\":\"x\"}\n",
		     0);
	/* Blank lines get no reply at all. */
	expect_reply("", NULL, 0);
	expect_reply(" \t ", NULL, 0);
}

static void test_dispatch_errors(void **state)
{
	expect_reply("{\"execute\":\"nope\",\"id\":1}",
		     "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":\"unknown command \\\"nope\\\"\"},\"id\":1}\n",
		     0);
	expect_reply("{\"execute\":\"echo\"}",
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"echo: missing argument \\\"req\\\"\"}}\n",
		     0);
	expect_reply("{\"execute\":\"echo\",\"arguments\":{\"opt\":\"b\"}}",
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"echo: missing argument \\\"req\\\"\"}}\n",
		     0);
	expect_reply("{\"execute\":\"echo\",\"arguments\":{\"req\":1}}",
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"echo: argument \\\"req\\\" must be a string\"}}\n",
		     0);
	expect_reply("{\"execute\":\"echo\",\"arguments\":{\"req\":\"a\",\"flag\":\"yes\"}}",
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"echo: argument \\\"flag\\\" must be a boolean\"}}\n",
		     0);
	expect_reply("{\"execute\":\"empty\",\"arguments\":{\"x\":1}}",
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"empty: unexpected argument \\\"x\\\"\"}}\n",
		     0);
	expect_reply("{oops",
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"JSON parse error at byte 1: quoted object property name expected\"}}\n",
		     0);
}

/* ---- line buffering ---- */

/* Copy s into the buffer as one read(2) would. */
static void feed(struct ctl_linebuf *lb, const char *s, size_t n)
{
	size_t room;
	char *p = ctl_linebuf_space(lb, &room);

	assert_true(n <= room);
	memcpy(p, s, n);
	ctl_linebuf_commit(lb, n);
}

static void feed_str(struct ctl_linebuf *lb, const char *s)
{
	feed(lb, s, strlen(s));
}

static void expect_line(struct ctl_linebuf *lb, const char *want)
{
	size_t len;
	char *line;

	assert_int_equal(ctl_linebuf_next(lb, &line, &len), 1);
	assert_string_equal(line, want);
	assert_int_equal(len, strlen(want));
}

static void expect_none(struct ctl_linebuf *lb)
{
	size_t len;
	char *line;

	assert_int_equal(ctl_linebuf_next(lb, &line, &len), 0);
}

static void test_lines_two_in_one_read(void **state)
{
	static struct ctl_linebuf lb;

	ctl_linebuf_init(&lb);
	feed_str(&lb, "{\"execute\":\"a\"}\n{\"execute\":\"b\"}\r\n{\"exe");
	expect_line(&lb, "{\"execute\":\"a\"}");
	expect_line(&lb, "{\"execute\":\"b\"}");
	expect_none(&lb);
	assert_int_equal(ctl_linebuf_pending(&lb), 5);
	feed_str(&lb, "cute\":\"c\"}\n\n");
	expect_line(&lb, "{\"execute\":\"c\"}");
	expect_line(&lb, "");
	expect_none(&lb);
	assert_int_equal(ctl_linebuf_pending(&lb), 0);
}

static void test_lines_split_reads(void **state)
{
	static const char req[] = "{\"execute\":\"query-name\"}\n";
	static struct ctl_linebuf lb;
	size_t i;

	ctl_linebuf_init(&lb);
	/* One byte per read: no line until its newline. */
	for (i = 0; i < sizeof(req) - 2; i++) {
		feed(&lb, req + i, 1);
		expect_none(&lb);
	}
	feed(&lb, req + i, 1);
	expect_line(&lb, "{\"execute\":\"query-name\"}");
	expect_none(&lb);

	/* A lone \r at a read's end is part of the line until \n comes. */
	feed(&lb, "abc\r", 4);
	expect_none(&lb);
	feed(&lb, "\n", 1);
	expect_line(&lb, "abc");
}

static void test_lines_too_long(void **state)
{
	static struct ctl_linebuf lb;
	static char big[CTL_MAX_LINE];
	size_t len;
	char *line;

	/* The longest line that fits: CTL_MAX_LINE bytes, newline included. */
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	ctl_linebuf_init(&lb);
	feed(&lb, "ab\n", 3);
	expect_line(&lb, "ab");
	feed(&lb, big, sizeof(big) - 10);
	expect_none(&lb);
	feed(&lb, big + sizeof(big) - 10, 10);
	assert_int_equal(ctl_linebuf_next(&lb, &line, &len), 1);
	assert_int_equal(len, CTL_MAX_LINE - 1);

	/* One byte more and it can never end. */
	big[sizeof(big) - 1] = 'x';
	ctl_linebuf_init(&lb);
	feed(&lb, big, 100);
	expect_none(&lb);
	feed(&lb, big, sizeof(big) - 100);
	assert_int_equal(ctl_linebuf_next(&lb, &line, &len), -EMSGSIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_not_object),
		cmocka_unit_test(test_parse_bad_members),
		cmocka_unit_test(test_reply_return),
		cmocka_unit_test(test_reply_error),
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_dispatch_errors),
		cmocka_unit_test(test_lines_two_in_one_read),
		cmocka_unit_test(test_lines_split_reads),
		cmocka_unit_test(test_lines_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
