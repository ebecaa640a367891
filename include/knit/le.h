/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_LE_H
#define KNIT_LE_H

#include "knit/util.h"

/*
 * Little-endian fields in byte arrays (firmware tables, config space),
 * whatever their alignment.
 */
static inline u16 get_le16(const u8 *p) { return p[0] | p[1] << 8; }
static inline u32 get_le32(const u8 *p) { return get_le16(p) | (u32)get_le16(p + 2) << 16; }
static inline u64 get_le64(const u8 *p) { return get_le32(p) | (u64)get_le32(p + 4) << 32; }
static inline void put_le16(u8 *p, u16 v) { p[0] = v; p[1] = v >> 8; }
static inline void put_le32(u8 *p, u32 v) { put_le16(p, v); put_le16(p + 2, v >> 16); }
static inline void put_le64(u8 *p, u64 v) { put_le32(p, v); put_le32(p + 4, v >> 32); }

#endif
