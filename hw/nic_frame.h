/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_NIC_FRAME_H
#define KNIT_HW_NIC_FRAME_H

#include <stdbool.h>

#include "knit/util.h"

/*
 * What an emulated NIC hands the guest for a received frame: the frame,
 * with its VLAN tag cut out when the NIC strips it, padded to the
 * Ethernet minimum, then the FCS if the NIC keeps one; padding and FCS
 * are zeros, never what the guest's buffer or ours held before.
 */
struct nic_rx_frame {
	const u8 *piece[2];	/* the frame, around a tag cut out of it */
	u32 len[2];
	u32 total;		/* bytes the guest gets */
};

/* f[0, len) with len >= 16 when strip_tag: the tag at bytes 12-15. */
void nic_rx_frame_init(struct nic_rx_frame *fr, const u8 *f, u32 len,
		       bool strip_tag, bool fcs);
/* Bytes [off, off + n) of what the guest gets, into dst. */
void nic_rx_frame_copy(const struct nic_rx_frame *fr, u32 off, u8 *dst,
		       u32 n);

#endif
