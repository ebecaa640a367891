// SPDX-License-Identifier: GPL-2.0
/*
 * The Internet checksum. It runs over every byte a NIC model offloads
 * for its guest, so it takes 32 bits at a time: ones' complement sums do
 * not care about byte order (RFC 1071, 2(B)), so the data is added as
 * native words into 64 bits, folded, and turned into network order once.
 */
#include <endian.h>
#include <string.h>

#include "net/inet_csum.h"

u32 inet_csum_add(u32 sum, const u8 *p, size_t len)
{
	u64 acc = 0;
	u32 w;
	u16 h;

	for (; len >= 4; p += 4, len -= 4) {
		memcpy(&w, p, 4);
		acc += w;
	}
	if (len >= 2) {
		memcpy(&h, p, 2);
		acc += h;
		p += 2;
		len -= 2;
	}
	if (len) {
		u8 tail[2] = { p[0], 0 };

		memcpy(&h, tail, 2);
		acc += h;
	}
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	/* Folded to 16 bits: sum stays far from overflow for any caller. */
	sum = (sum & 0xffff) + (sum >> 16);
	return sum + be16toh((u16)acc);
}

u16 inet_csum_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}
