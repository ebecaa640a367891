// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kvm/bus.h"

struct rec {
	u64 offset;
	u32 len;
	u32 value;
	int writes;
};

static void rec_read(void *opaque, u64 offset, void *data, u32 len)
{
	struct rec *r = opaque;

	r->offset = offset;
	memset(data, 0x5a, len);
}

static void rec_write(void *opaque, u64 offset, const void *data, u32 len)
{
	struct rec *r = opaque;

	r->offset = offset;
	r->len = len;
	r->value = 0;
	memcpy(&r->value, data, MIN(len, 4u));
	r->writes++;
}

static const struct bus_ops rec_ops = { rec_read, rec_write };

static void test_dispatch(void **state)
{
	struct rec a = { 0 }, b = { 0 };
	struct bus bus;
	u32 v = 0x1234;
	u8 byte;

	bus_init(&bus, "test");
	assert_int_equal(bus_register(&bus, 0x3f8, 8, &rec_ops, &a), 0);
	assert_int_equal(bus_register(&bus, 0x60, 1, &rec_ops, &b), 0);
	assert_true(bus_access(&bus, 0x3fb, &v, 2, true));
	assert_int_equal(a.offset, 3);
	assert_int_equal(a.len, 2);
	assert_int_equal(a.value, 0x1234);
	assert_int_equal(b.writes, 0);
	assert_true(bus_access(&bus, 0x60, &byte, 1, false));
	assert_int_equal(byte, 0x5a);
	bus_exit(&bus);
}

static void test_unclaimed_and_straddling(void **state)
{
	struct rec a = { 0 };
	struct bus bus;
	u32 v = 0;

	bus_init(&bus, "test");
	assert_int_equal(bus_register(&bus, 0x100, 4, &rec_ops, &a), 0);
	assert_false(bus_access(&bus, 0x104, &v, 1, false));
	assert_int_equal(v & 0xff, 0xff);
	/* An access that runs off the end of a window is nobody's. */
	assert_false(bus_access(&bus, 0x102, &v, 4, true));
	assert_int_equal(a.writes, 0);
	bus_exit(&bus);
}

static void test_overlap_refused(void **state)
{
	struct rec a = { 0 };
	struct bus bus;
	int i;

	bus_init(&bus, "test");
	assert_int_equal(bus_register(&bus, 0x100, 0x10, &rec_ops, &a), 0);
	assert_int_equal(bus_register(&bus, 0x10f, 1, &rec_ops, &a), -EEXIST);
	assert_int_equal(bus_register(&bus, 0xf8, 0x10, &rec_ops, &a), -EEXIST);
	assert_int_equal(bus_register(&bus, 0x0, 0x1000, &rec_ops, &a), -EEXIST);
	assert_int_equal(bus_register(&bus, 0x110, 1, &rec_ops, &a), 0);
	assert_int_equal(bus_register(&bus, 0, 0, &rec_ops, &a), -EINVAL);
	assert_int_equal(bus_register(&bus, ~0ULL, 2, &rec_ops, &a), -EINVAL);
	/* Growth past the first allocation keeps the order. */
	for (i = 0; i < 40; i++)
		assert_int_equal(bus_register(&bus, 0x1000 + (39 - i) * 4, 4,
					      &rec_ops, &a), 0);
	for (i = 1; i < (int)bus.nr; i++)
		assert_true(bus.ranges[i - 1].base < bus.ranges[i].base);
	bus_exit(&bus);
}

static void test_unregister(void **state)
{
	struct rec a = { 0 }, b = { 0 };
	struct bus bus;
	u32 v = 0;

	bus_init(&bus, "test");
	assert_int_equal(bus_register(&bus, 0x100, 0x10, &rec_ops, &a), 0);
	assert_int_equal(bus_register(&bus, 0x200, 0x10, &rec_ops, &b), 0);
	assert_int_equal(bus_unregister(&bus, 0x108), -ENOENT);
	assert_int_equal(bus_unregister(&bus, 0x100), 0);
	assert_int_equal(bus_unregister(&bus, 0x100), -ENOENT);
	assert_false(bus_access(&bus, 0x100, &v, 4, true));
	assert_int_equal(a.writes, 0);
	assert_true(bus_access(&bus, 0x200, &v, 4, true));
	assert_int_equal(b.writes, 1);
	/* The freed space can be claimed again. */
	assert_int_equal(bus_register(&bus, 0xf8, 0x10, &rec_ops, &a), 0);
	bus_exit(&bus);
}

/* A handler that moves its own window, as a PCI I/O BAR write does. */
struct mover {
	struct bus *bus;
	u64 base;
	int writes;
};

static void mover_write(void *opaque, u64 offset, const void *data, u32 len)
{
	struct mover *m = opaque;
	static const struct bus_ops ops;

	m->writes++;
	assert_int_equal(bus_unregister(m->bus, m->base), 0);
	m->base += 0x100;
	assert_int_equal(bus_register(m->bus, m->base, 4, &ops, m), 0);
}

static const struct bus_ops mover_ops = { .write = mover_write };

static void test_handler_may_change_its_bus(void **state)
{
	struct bus bus;
	struct mover m = { .bus = &bus, .base = 0x1000 };
	u32 v = 0;

	bus_init(&bus, "test");
	assert_int_equal(bus_register(&bus, 0x1000, 4, &mover_ops, &m), 0);
	/* Would deadlock if bus_access held the lock across the call. */
	assert_true(bus_access(&bus, 0x1000, &v, 4, true));
	assert_int_equal(m.writes, 1);
	assert_false(bus_access(&bus, 0x1000, &v, 4, true));
	assert_true(bus_access(&bus, 0x1100, &v, 4, true));
	assert_int_equal(m.writes, 1);	/* the new window's ops are empty */
	bus_exit(&bus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_unclaimed_and_straddling),
		cmocka_unit_test(test_overlap_refused),
		cmocka_unit_test(test_unregister),
		cmocka_unit_test(test_handler_may_change_its_bus),
	};

	return cmocka_run_group_tests_name("kvm/bus", tests, NULL, NULL);
}
