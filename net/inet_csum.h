/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_NET_INET_CSUM_H
#define KNIT_NET_INET_CSUM_H

#include <stddef.h>

#include "knit/util.h"

/*
 * The Internet checksum (RFC 1071) for the NICs that compute or check
 * IP, TCP and UDP checksums for their guests. inet_csum_add() adds len
 * bytes at p, as 16-bit big-endian words (an odd last byte is the high
 * half of one), to a running sum; inet_csum_fold() folds a sum to 16
 * bits. The checksum field is ~fold(sum); data with a correct checksum
 * folds to 0xffff.
 */
u32 inet_csum_add(u32 sum, const u8 *p, size_t len);
u16 inet_csum_fold(u32 sum);

#endif
