// SPDX-License-Identifier: GPL-2.0
/*
 * The RTL8139's built-in 10/100 PHY. Its MII registers sit in the
 * chip's own register file (BMCR 0x62, BMSR 0x64, ANAR 0x66, ANLPAR
 * 0x68, ANER 0x6a), where both Linux drivers map MII registers 0, 1, 4,
 * 5 and 6 for the generic MII code: that code wants the link up in
 * BMSR and, for full duplex, a partner's abilities in ANLPAR.
 *
 * Autonegotiation completes at once; reset and restart clear
 * themselves. Whether the far end is there is knit's to say.
 */
#include "hw/rtl8139.h"

#define BMCR_RESET		0x8000
#define BMCR_SPEED100		0x2000
#define BMCR_ANENABLE		0x1000
#define BMCR_FULLDPLX		0x0100
#define BMCR_RW			(BMCR_SPEED100 | BMCR_ANENABLE | \
				 BMCR_FULLDPLX)

/* 100 full and half, 10 full and half, AN able, extended registers. */
#define BMSR_ABILITIES		0x7809
#define BMSR_LSTATUS		0x0004
#define BMSR_ANEGCOMPLETE	0x0020

#define ANAR_DEFAULT		0x05e1	/* pause, 10/100 half and full */
#define ANAR_RW			0x2de1
#define ANLPAR_ACK		0x4000
#define ANER_LPANABLE		0x0001

void rtl8139_phy_init(struct rtl8139_phy *phy)
{
	phy->bmcr = BMCR_ANENABLE | BMCR_SPEED100 | BMCR_FULLDPLX;
	phy->anar = ANAR_DEFAULT;
}

bool rtl8139_phy_link(const struct rtl8139_phy *phy)
{
	return phy->cable;
}

u16 rtl8139_phy_read(const struct rtl8139_phy *phy, u32 off)
{
	bool link = rtl8139_phy_link(phy);

	switch (off) {
	case RTL8139_BMCR:
		return phy->bmcr;
	case RTL8139_BMSR:
		return BMSR_ABILITIES | (link ? BMSR_LSTATUS : 0) |
		       (link && (phy->bmcr & BMCR_ANENABLE) ?
				BMSR_ANEGCOMPLETE : 0);
	case RTL8139_ANAR:
		return phy->anar;
	case RTL8139_ANLPAR:
		/* A partner like us, which saw our page. */
		return link ? ANLPAR_ACK | ANAR_DEFAULT : 0;
	case RTL8139_ANER:
		return link ? ANER_LPANABLE : 0;
	}
	return 0;
}

void rtl8139_phy_write(struct rtl8139_phy *phy, u32 off, u16 val)
{
	bool cable = phy->cable;

	switch (off) {
	case RTL8139_BMCR:
		if (val & BMCR_RESET) {
			rtl8139_phy_init(phy);
			phy->cable = cable;
			return;
		}
		/* A restart is over as soon as it is asked for. */
		phy->bmcr = val & BMCR_RW;
		return;
	case RTL8139_ANAR:
		phy->anar = (val & ANAR_RW) | 0x0001;	/* IEEE 802.3 */
		return;
	}
}
