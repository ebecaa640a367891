/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_BE_H
#define KNIT_BE_H

#include "knit/util.h"

/*
 * Big-endian (network order) fields in byte arrays: the headers of the
 * frames a NIC model parses and rewrites, whatever their alignment.
 */
static inline u16 get_be16(const u8 *p) { return p[0] << 8 | p[1]; }
static inline u32 get_be32(const u8 *p) { return (u32)get_be16(p) << 16 | get_be16(p + 2); }
static inline void put_be16(u8 *p, u16 v) { p[0] = v >> 8; p[1] = v; }
static inline void put_be32(u8 *p, u32 v) { put_be16(p, v >> 16); put_be16(p + 2, v); }

#endif
