// SPDX-License-Identifier: GPL-2.0
/*
 * Software segmentation and checksum completion for frames from a tap
 * (see gso.h). The vnet header is struct virtio_net_hdr (virtio 1.2,
 * 5.1.6), little-endian: flags, gso_type, hdr_len, gso_size, csum_start,
 * csum_offset. Only what knit asks the tap for arrives: TCP over IPv4
 * and IPv6 (TUN_F_TSO4, TUN_F_TSO6) and partial checksums (TUN_F_CSUM).
 * Every offset comes from the frame or its header and is checked
 * against the frame's length before use.
 */
#include <errno.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/virtio_net.h>

#include "knit/be.h"
#include "knit/le.h"
#include "net/gso.h"
#include "net/inet_csum.h"
#include "net/net.h"

#define VLAN_HLEN	4
#define IPV6_HLEN	40
#define PROTO_TCP	6
#define TCP_FIN		0x01
#define TCP_PSH		0x08
#define TCP_CWR		0x80

/* Where IP starts and which IP it is, past one VLAN tag at most. */
static int l3_of(const u8 *f, size_t len, u32 *l3, u16 *type)
{
	if (len < ETH_HLEN)
		return -EINVAL;
	*l3 = ETH_HLEN;
	*type = get_be16(f + 12);
	if (*type == ETH_P_8021Q) {
		if (len < ETH_HLEN + VLAN_HLEN)
			return -EINVAL;
		*l3 += VLAN_HLEN;
		*type = get_be16(f + 16);
	}
	return 0;
}

static int parse_tcp(struct net_gso *g, u8 gso_type)
{
	const u8 *f = g->frame;
	u32 doff, payload;
	u16 type;

	if (l3_of(f, g->len, &g->l3, &type))
		return -EINVAL;
	if (gso_type == VIRTIO_NET_HDR_GSO_TCPV4) {
		u32 ihl;

		if (type != ETH_P_IP || g->len < g->l3 + 20 ||
		    f[g->l3] >> 4 != 4 || f[g->l3 + 9] != PROTO_TCP)
			return -EINVAL;
		ihl = (f[g->l3] & 0xf) * 4;
		if (ihl < 20)
			return -EINVAL;
		g->l4 = g->l3 + ihl;
	} else {
		/* No extension headers: tun's TSO6 frames come without. */
		if (type != ETH_P_IPV6 || g->len < g->l3 + IPV6_HLEN ||
		    f[g->l3] >> 4 != 6 || f[g->l3 + 6] != PROTO_TCP)
			return -EINVAL;
		g->v6 = true;
		g->l4 = g->l3 + IPV6_HLEN;
	}
	if (g->len < g->l4 + 20)
		return -EINVAL;
	doff = (f[g->l4 + 12] >> 4) * 4;
	if (doff < 20 || g->len < g->l4 + doff)
		return -EINVAL;
	g->hdr_len = g->l4 + doff;
	payload = g->len - g->hdr_len;
	g->segment = true;
	g->nr_frames = payload ? (payload + g->mss - 1) / g->mss : 1;
	return g->nr_frames;
}

int net_gso_parse(struct net_gso *g, const u8 *buf, size_t len)
{
	u8 flags, gso_type;

	memset(g, 0, sizeof(*g));
	if (len < NET_VNET_HDR_LEN)
		return -EINVAL;
	flags = buf[0];
	gso_type = buf[1] & ~VIRTIO_NET_HDR_GSO_ECN;
	g->frame = buf + NET_VNET_HDR_LEN;
	g->len = len - NET_VNET_HDR_LEN;
	g->nr_frames = 1;
	g->csum_ok = flags & VIRTIO_NET_HDR_F_DATA_VALID;
	if (gso_type != VIRTIO_NET_HDR_GSO_NONE) {
		if (gso_type != VIRTIO_NET_HDR_GSO_TCPV4 &&
		    gso_type != VIRTIO_NET_HDR_GSO_TCPV6)
			return -EINVAL;
		g->mss = get_le16(buf + 4);
		if (!g->mss)
			return -EINVAL;
		g->csum_ok = true;	/* every segment's are made here */
		return parse_tcp(g, gso_type);
	}
	if (flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		g->csum_start = get_le16(buf + 6);
		g->csum_offset = get_le16(buf + 8);
		if (g->csum_start >= g->len ||
		    g->csum_offset > g->len - g->csum_start - 2 ||
		    g->len - g->csum_start < 2)
			return -EINVAL;
		g->partial = true;
		g->csum_ok = true;
	}
	return 1;
}

/* The TCP checksum of the segment at out: pseudo-header and all. */
static void tcp_csum(const struct net_gso *g, u8 *out, u32 len)
{
	u32 tcp_len = len - g->l4, sum;
	u16 c;

	put_be16(out + g->l4 + 16, 0);
	if (g->v6)
		sum = inet_csum_add(PROTO_TCP + tcp_len, out + g->l3 + 8, 32);
	else
		sum = inet_csum_add(PROTO_TCP + tcp_len, out + g->l3 + 12, 8);
	sum = inet_csum_add(sum, out + g->l4, tcp_len);
	c = ~inet_csum_fold(sum);
	put_be16(out + g->l4 + 16, c);
}

static size_t segment(const struct net_gso *g, unsigned int i, u8 *out,
		      size_t size)
{
	u32 off = i * g->mss, chunk = MIN(g->mss, g->len - g->hdr_len - off);
	u32 len = g->hdr_len + chunk;
	u8 *ip = out + g->l3, *tcp = out + g->l4;
	u8 tflags;

	if (len > size)
		return 0;
	memcpy(out, g->frame, g->hdr_len);
	memcpy(out + g->hdr_len, g->frame + g->hdr_len + off, chunk);
	if (g->v6) {
		put_be16(ip + 4, len - g->l4);
	} else {
		put_be16(ip + 2, len - g->l3);
		put_be16(ip + 4, get_be16(ip + 4) + i);
		put_be16(ip + 10, 0);
		put_be16(ip + 10,
			 ~inet_csum_fold(inet_csum_add(0, ip, g->l4 - g->l3)));
	}
	put_be32(tcp + 4, get_be32(tcp + 4) + off);
	tflags = tcp[13];
	if (i + 1 < g->nr_frames)
		tflags &= ~(TCP_FIN | TCP_PSH);
	if (i)
		tflags &= ~TCP_CWR;
	tcp[13] = tflags;
	tcp_csum(g, out, len);
	return len;
}

size_t net_gso_frame(const struct net_gso *g, unsigned int i, u8 *out,
		     size_t size)
{
	u32 at;
	u16 c;

	if (i >= g->nr_frames)
		return 0;
	if (g->segment)
		return segment(g, i, out, size);
	if (g->len > size)
		return 0;
	memcpy(out, g->frame, g->len);
	if (g->partial) {
		/* The field holds the pseudo-header's sum: it is summed too. */
		at = g->csum_start + g->csum_offset;
		c = ~inet_csum_fold(inet_csum_add(0, out + g->csum_start,
						  g->len - g->csum_start));
		/* 0 and 0xffff are the same sum; UDP reads 0 as "none". */
		put_be16(out + at, c ? c : 0xffff);
	}
	return g->len;
}

/*
 * Partial checksums and TCP segmentation over IPv4 and IPv6: what a tap
 * then hands over is cut and finished here, not in the host kernel.
 */
const struct net_offloads net_gso_offloads = {
	.csum = true,
	.tso4 = true,
	.tso6 = true,
	.ecn = true,
};

int net_gso_receive(struct net_gso_rx *rx, const u8 *buf, size_t len,
		    net_gso_deliver_fn deliver, void *opaque)
{
	struct net_gso g;
	unsigned int i;
	size_t n;

	if (net_gso_parse(&g, buf, len) < 0) {
		rx->next = 0;
		return -EINVAL;
	}
	if (net_gso_as_is(&g))
		return deliver(opaque, g.frame, g.len, g.csum_ok);
	for (i = rx->next; i < g.nr_frames; i++) {
		n = net_gso_frame(&g, i, rx->seg, rx->seg_size);
		if (!n)
			continue;	/* longer than any frame the NIC takes */
		if (!deliver(opaque, rx->seg, n, true)) {
			rx->next = i;
			return 0;
		}
	}
	rx->next = 0;
	return 1;
}
