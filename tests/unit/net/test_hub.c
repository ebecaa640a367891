// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "net/hub.h"

struct member {
	struct net_port port;
	int frames;
	size_t last_len;
	u8 last[64];
	ssize_t answer;		/* 0: no room; else take it */
};

static ssize_t member_receive(struct net_port *port, const struct iovec *iov,
			      int iovcnt)
{
	struct member *m = port->opaque;
	size_t len = 0;
	int i;

	if (!m->answer)
		return 0;
	for (i = 0; i < iovcnt; i++) {
		memcpy(m->last + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	m->last_len = len;
	m->frames++;
	return len;
}

static const struct net_port_ops member_ops = { .receive = member_receive };

static void member_init(struct member *m, const char *name)
{
	memset(m, 0, sizeof(*m));
	m->port = (struct net_port){ .name = name, .ops = &member_ops,
				     .opaque = m };
	m->answer = 1;
}

static struct netdev_cfg hub_cfg(const char *id, unsigned int hubid)
{
	struct netdev_cfg c = { .type = NETDEV_HUBPORT, .hubid = hubid };

	c.id = (char *)id;
	return c;
}

/* Three ports on hub 0, one on hub 1: each frame reaches the others of its hub. */
static void test_hub_forwards(void **state)
{
	struct netdev_cfg c0 = hub_cfg("h0", 0), c1 = hub_cfg("h1", 0),
			  c2 = hub_cfg("h2", 0), c3 = hub_cfg("h3", 1);
	struct netdev *h0, *h1, *h2, *h3;
	struct member a, b, c, d;
	u8 frame[20] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3 };
	struct iovec iov[2] = { { frame, 8 }, { frame + 8, 12 } };

	member_init(&a, "a");
	member_init(&b, "b");
	member_init(&c, "c");
	member_init(&d, "d");
	assert_int_equal(hubport_create(&h0, &c0), 0);
	assert_int_equal(hubport_create(&h1, &c1), 0);
	assert_int_equal(hubport_create(&h2, &c2), 0);
	assert_int_equal(hubport_create(&h3, &c3), 0);
	net_port_connect(&a.port, &h0->ports[0]);
	net_port_connect(&b.port, &h1->ports[0]);
	net_port_connect(&c.port, &h2->ports[0]);
	net_port_connect(&d.port, &h3->ports[0]);

	assert_int_equal(net_port_send(&a.port, iov, 2), 20);
	assert_int_equal(a.frames, 0);		/* not back to the sender */
	assert_int_equal(b.frames, 1);
	assert_int_equal(c.frames, 1);
	assert_int_equal(d.frames, 0);		/* another hub */
	assert_int_equal(b.last_len, 20);
	assert_memory_equal(c.last, frame, 20);

	/* A member with no room loses the frame; the others still get it. */
	b.answer = 0;
	assert_int_equal(net_port_send(&c.port, iov, 2), 20);
	assert_int_equal(a.frames, 1);
	assert_int_equal(b.frames, 1);

	/* A back end joined with netdev= is a member like a NIC. */
	assert_int_equal(net_port_send(&d.port, iov, 1), 8);
	assert_int_equal(a.frames + b.frames + c.frames, 3);

	hubport_destroy(h0);
	hubport_destroy(h1);
	hubport_destroy(h2);
	hubport_destroy(h3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hub_forwards),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
