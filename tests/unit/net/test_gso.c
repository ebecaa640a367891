// SPDX-License-Identifier: GPL-2.0
/*
 * Software segmentation and checksum completion for frames from a tap:
 * TCP over IPv4 and IPv6 cut at the MSS with every header field and
 * checksum checked from scratch, partial checksums finished, and vnet
 * headers that do not fit their frames refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/virtio_net.h>

#include "knit/be.h"
#include "net/gso.h"
#include "net/inet_csum.h"
#include "net/net.h"

#define HDR	NET_VNET_HDR_LEN
#define PAYLOAD	2500

static u8 buf[HDR + 14 + 40 + 32 + PAYLOAD];
static u8 out[4096];

static void vnet(u8 flags, u8 type, u16 gso_size, u16 start, u16 off)
{
	memset(buf, 0, HDR);
	buf[0] = flags;
	buf[1] = type;
	buf[4] = gso_size;
	buf[5] = gso_size >> 8;
	buf[6] = start;
	buf[7] = start >> 8;
	buf[8] = off;
	buf[9] = off >> 8;
}

/* Ethernet + IPv4 (or IPv6) + TCP with 12 bytes of options + payload. */
static size_t tcp_frame(bool v6, size_t payload)
{
	u8 *f = buf + HDR, *ip = f + 14, *tcp;
	size_t i, l3len = v6 ? 40 : 20;

	memset(f, 0, 14 + l3len + 32);
	memset(f, 0x52, 12);
	put_be16(f + 12, v6 ? 0x86dd : 0x0800);
	if (v6) {
		ip[0] = 0x60;
		put_be16(ip + 4, 32 + payload);
		ip[6] = 6;
		ip[7] = 64;
		for (i = 0; i < 32; i++)
			ip[8 + i] = i + 1;
	} else {
		ip[0] = 0x45;
		put_be16(ip + 2, 20 + 32 + payload);
		put_be16(ip + 4, 0x1234);
		ip[8] = 64;
		ip[9] = 6;
		put_be32(ip + 12, 0x0a000001);
		put_be32(ip + 16, 0x0a000002);
	}
	tcp = ip + l3len;
	put_be16(tcp, 5201);
	put_be16(tcp + 2, 40000);
	put_be32(tcp + 4, 0xfffffc00);	/* wraps within the super-frame */
	tcp[12] = 8 << 4;
	tcp[13] = 0x80 | 0x10 | 0x08 | 0x01;	/* CWR ACK PSH FIN */
	for (i = 0; i < payload; i++)
		tcp[32 + i] = i * 7 + 3;
	return HDR + 14 + l3len + 32 + payload;
}

static u16 tcp_sum(const u8 *f, size_t len, bool v6)
{
	const u8 *ip = f + 14;
	u32 l4 = 14 + (v6 ? 40 : 20), sum;

	sum = v6 ? inet_csum_add(6 + len - l4, ip + 8, 32) :
		   inet_csum_add(6 + len - l4, ip + 12, 8);
	return inet_csum_fold(inet_csum_add(sum, f + l4, len - l4));
}

static void check_segments(bool v6, u16 mss)
{
	struct net_gso g;
	size_t len = tcp_frame(v6, PAYLOAD), flen;
	u32 l4 = 14 + (v6 ? 40 : 20), hdr = l4 + 32, n, i, got = 0;

	vnet(VIRTIO_NET_HDR_F_NEEDS_CSUM,
	     v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4, mss,
	     l4, 16);
	n = (PAYLOAD + mss - 1) / mss;
	assert_int_equal(net_gso_parse(&g, buf, len), n);
	assert_false(net_gso_as_is(&g));
	assert_true(g.csum_ok);
	for (i = 0; i < n; i++) {
		const u8 *ip = out + 14, *tcp = out + l4;
		u32 chunk = i + 1 < n ? mss : PAYLOAD - i * mss;

		memset(out, 0xee, sizeof(out));
		flen = net_gso_frame(&g, i, out, sizeof(out));
		assert_int_equal(flen, hdr + chunk);
		if (v6) {
			assert_int_equal(get_be16(ip + 4), 32 + chunk);
		} else {
			assert_int_equal(get_be16(ip + 2), 20 + 32 + chunk);
			assert_int_equal(get_be16(ip + 4), 0x1234 + i);
			assert_int_equal(inet_csum_fold(inet_csum_add(0, ip, 20)),
					 0xffff);
		}
		assert_int_equal(get_be32(tcp + 4), (u32)(0xfffffc00 + i * mss));
		assert_int_equal(tcp[13] & 0x80, i ? 0 : 0x80);
		assert_int_equal(tcp[13] & 0x09, i + 1 < n ? 0 : 0x09);
		assert_int_equal(tcp[13] & 0x10, 0x10);
		/* Options ride along; the payload is this segment's share. */
		assert_memory_equal(tcp + 20, buf + HDR + l4 + 20, 12);
		assert_memory_equal(out + hdr, buf + HDR + hdr + i * mss, chunk);
		assert_int_equal(tcp_sum(out, flen, v6), 0xffff);
		got += chunk;
	}
	assert_int_equal(got, PAYLOAD);
	assert_int_equal(net_gso_frame(&g, n, out, sizeof(out)), 0);
}

static void test_tcp4_segments(void **state)
{
	(void)state;
	check_segments(false, 1000);
	check_segments(false, 1448);
	check_segments(false, PAYLOAD);
}

static void test_tcp6_segments(void **state)
{
	(void)state;
	check_segments(true, 1000);
	check_segments(true, 1428);
}

/* A segment larger than the caller's buffer is not written past it. */
static void test_segment_too_big(void **state)
{
	struct net_gso g;
	size_t len = tcp_frame(false, PAYLOAD);

	(void)state;
	vnet(VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV4, 1448, 34, 16);
	assert_int_equal(net_gso_parse(&g, buf, len), 2);
	memset(out, 0xee, sizeof(out));
	assert_int_equal(net_gso_frame(&g, 0, out, 1000), 0);
	assert_int_equal(out[0], 0xee);
}

/* A UDP datagram whose checksum field holds the pseudo-header's sum. */
static void test_partial_csum(void **state)
{
	struct net_gso g;
	u8 *f = buf + HDR, *ip = f + 14, *udp = ip + 20;
	size_t i, dlen = 333, len = HDR + 14 + 20 + 8 + dlen;
	u32 sum;

	(void)state;
	tcp_frame(false, 0);
	ip[9] = 17;
	put_be16(ip + 2, 20 + 8 + dlen);
	put_be16(udp + 4, 8 + dlen);
	for (i = 0; i < dlen; i++)
		udp[8 + i] = i ^ 0x5a;
	sum = inet_csum_add(17 + 8 + dlen, ip + 12, 8);
	put_be16(udp + 6, inet_csum_fold(sum));
	vnet(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 34, 6);
	assert_int_equal(net_gso_parse(&g, buf, len), 1);
	assert_true(g.csum_ok);
	assert_int_equal(net_gso_frame(&g, 0, out, sizeof(out)), len - HDR);
	sum = inet_csum_add(17 + 8 + dlen, out + 14 + 12, 8);
	assert_int_equal(inet_csum_fold(inet_csum_add(sum, out + 34, 8 + dlen)),
			 0xffff);
}

static void test_plain(void **state)
{
	struct net_gso g;
	size_t len = tcp_frame(false, 100);

	(void)state;
	vnet(0, 0, 0, 0, 0);
	assert_int_equal(net_gso_parse(&g, buf, len), 1);
	assert_true(net_gso_as_is(&g));
	assert_false(g.csum_ok);
	assert_ptr_equal(g.frame, buf + HDR);
	assert_int_equal(g.len, len - HDR);
	vnet(VIRTIO_NET_HDR_F_DATA_VALID, 0, 0, 0, 0);
	assert_int_equal(net_gso_parse(&g, buf, len), 1);
	assert_true(g.csum_ok);
}

/* Headers that promise more than the frame has are refused. */
static void test_hostile_headers(void **state)
{
	struct net_gso g;
	size_t len = tcp_frame(false, 100);

	(void)state;
	assert_int_equal(net_gso_parse(&g, buf, HDR - 1), -EINVAL);
	vnet(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, len - HDR, 0);
	assert_int_equal(net_gso_parse(&g, buf, len), -EINVAL);
	vnet(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 34, len - HDR - 34 - 1);
	assert_int_equal(net_gso_parse(&g, buf, len), -EINVAL);
	vnet(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0xffff, 0xffff);
	assert_int_equal(net_gso_parse(&g, buf, len), -EINVAL);
	/* No MSS, UDP fragmentation offload, the wrong IP for the type. */
	vnet(0, VIRTIO_NET_HDR_GSO_TCPV4, 0, 0, 0);
	assert_int_equal(net_gso_parse(&g, buf, len), -EINVAL);
	vnet(0, VIRTIO_NET_HDR_GSO_UDP, 1000, 0, 0);
	assert_int_equal(net_gso_parse(&g, buf, len), -EINVAL);
	vnet(0, VIRTIO_NET_HDR_GSO_TCPV6, 1000, 0, 0);
	assert_int_equal(net_gso_parse(&g, buf, len), -EINVAL);
	/* TCP header cut short, a data offset past the frame, ihl < 5. */
	vnet(0, VIRTIO_NET_HDR_GSO_TCPV4, 1000, 0, 0);
	assert_int_equal(net_gso_parse(&g, buf, HDR + 14 + 20 + 19), -EINVAL);
	buf[HDR + 14 + 20 + 12] = 15 << 4;
	assert_int_equal(net_gso_parse(&g, buf, HDR + 14 + 20 + 40), -EINVAL);
	tcp_frame(false, 100);
	buf[HDR + 14] = 0x44;
	assert_int_equal(net_gso_parse(&g, buf, len), -EINVAL);
	/* Not even an Ethernet header. */
	assert_int_equal(net_gso_parse(&g, buf, HDR + 10), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp4_segments),
		cmocka_unit_test(test_tcp6_segments),
		cmocka_unit_test(test_segment_too_big),
		cmocka_unit_test(test_partial_csum),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_hostile_headers),
	};

	return cmocka_run_group_tests_name("net/gso", tests, NULL, NULL);
}
