// SPDX-License-Identifier: GPL-2.0
/* The received frame as an emulated NIC writes it to the guest. */
#include <string.h>

#include "hw/nic_frame.h"

#define ETH_ADDRS	12	/* destination and source MAC */
#define VLAN_TAG	4
#define ETH_MIN		60	/* without FCS */
#define ETH_FCS		4

void nic_rx_frame_init(struct nic_rx_frame *fr, const u8 *f, u32 len,
		       bool strip_tag, bool fcs)
{
	memset(fr, 0, sizeof(*fr));
	fr->piece[0] = f;
	fr->len[0] = len;
	if (strip_tag) {
		fr->len[0] = ETH_ADDRS;
		fr->piece[1] = f + ETH_ADDRS + VLAN_TAG;
		fr->len[1] = len - ETH_ADDRS - VLAN_TAG;
	}
	fr->total = MAX(fr->len[0] + fr->len[1], (u32)ETH_MIN) +
		    (fcs ? ETH_FCS : 0);
}

void nic_rx_frame_copy(const struct nic_rx_frame *fr, u32 off, u8 *dst,
		       u32 n)
{
	u32 done = 0, c;
	int i;

	for (i = 0; i < 2 && done < n; i++) {
		if (off >= fr->len[i]) {
			off -= fr->len[i];
			continue;
		}
		c = MIN(fr->len[i] - off, n - done);
		memcpy(dst + done, fr->piece[i] + off, c);
		done += c;
		off = 0;
	}
	memset(dst + done, 0, n - done);
}
