// SPDX-License-Identifier: GPL-2.0
/*
 * The 82540EM's copper PHY, a Marvell 88E1011 (M88) at MDIO address 1,
 * reached through MDIC. It reports what Linux's e1000 driver looks for
 * before it calls the link up: its ID, link up with autonegotiation
 * complete at 1000 Mb/s full duplex, a link partner that advertises the
 * same. Autonegotiation completes at once; a reset bit clears itself.
 * Whether the far end is there is knit's to say (e1000_set_link).
 */
#include <string.h>

#include "hw/e1000.h"

/* IEEE 802.3 clause 22 registers and the M88 ones the driver touches. */
#define PHY_CTRL		0x00
#define PHY_STATUS		0x01
#define PHY_ID1			0x02
#define PHY_ID2			0x03
#define PHY_AN_ADV		0x04
#define PHY_LP_ABILITY		0x05
#define PHY_AN_EXP		0x06
#define PHY_NEXT_PAGE_TX	0x07
#define PHY_LP_NEXT_PAGE	0x08
#define PHY_1000T_CTRL		0x09
#define PHY_1000T_STATUS	0x0a
#define PHY_EXT_STATUS		0x0f
#define M88_SPEC_CTRL		0x10
#define M88_SPEC_STATUS		0x11
#define M88_INT_ENABLE		0x12
#define M88_INT_STATUS		0x13
#define M88_EXT_SPEC_CTRL	0x14
#define M88_RX_ERR_COUNT	0x15

#define CTRL_RESET		0x8000
#define CTRL_LOOPBACK		0x4000
#define CTRL_AN_ENABLE		0x1000
#define CTRL_POWER_DOWN		0x0800
#define CTRL_ISOLATE		0x0400
#define CTRL_AN_RESTART		0x0200

#define STATUS_LINK		0x0004
#define STATUS_AN_COMPLETE	0x0020
/* 10/100 half and full, extended status, preamble suppression, AN able. */
#define STATUS_ABILITIES	0x7949

#define M88_ID1			0x0141	/* Marvell OUI */
#define M88_ID2			0x0c20	/* 88E1011, revision 0 */

/* Power-on values of the registers the driver may write. */
static const u16 phy_defaults[E1000_PHY_REGS] = {
	[PHY_CTRL] = 0x1140,		/* AN on, full duplex, 1000 */
	[PHY_AN_ADV] = 0x01e1,		/* 10/100 half and full */
	[PHY_NEXT_PAGE_TX] = 0x2001,
	[PHY_1000T_CTRL] = 0x0300,	/* 1000 half and full */
	[M88_SPEC_CTRL] = 0x0068,
	[M88_EXT_SPEC_CTRL] = 0x0c60,
};

/* Registers that take writes; the others are status or reserved. */
static bool phy_writable(u8 reg)
{
	switch (reg) {
	case PHY_CTRL:
	case PHY_AN_ADV:
	case PHY_NEXT_PAGE_TX:
	case PHY_1000T_CTRL:
	case M88_SPEC_CTRL:
	case M88_INT_ENABLE:
	case M88_EXT_SPEC_CTRL:
		return true;
	default:
		/* 0x16-0x1f: page select, LED and vendor controls. */
		return reg >= 0x16;
	}
}

void e1000_phy_reset(struct e1000_phy *phy)
{
	memcpy(phy->regs, phy_defaults, sizeof(phy->regs));
}

void e1000_phy_init(struct e1000_phy *phy)
{
	e1000_phy_reset(phy);
	phy->cable = true;
}

bool e1000_phy_link(const struct e1000_phy *phy)
{
	return phy->cable &&
	       !(phy->regs[PHY_CTRL] & (CTRL_POWER_DOWN | CTRL_ISOLATE));
}

bool e1000_phy_loopback(const struct e1000_phy *phy)
{
	return phy->regs[PHY_CTRL] & CTRL_LOOPBACK;
}

static u16 phy_read(const struct e1000_phy *phy, u8 reg)
{
	bool link = e1000_phy_link(phy);
	bool an = phy->regs[PHY_CTRL] & CTRL_AN_ENABLE;

	switch (reg) {
	case PHY_STATUS:
		return STATUS_ABILITIES | (link ? STATUS_LINK : 0) |
		       (link && an ? STATUS_AN_COMPLETE : 0);
	case PHY_ID1:
		return M88_ID1;
	case PHY_ID2:
		return M88_ID2;
	case PHY_LP_ABILITY:
		/* Acknowledge, 10/100 half and full, 802.3. */
		return link && an ? 0x41e1 : 0;
	case PHY_AN_EXP:
		return link && an ? 0x0001 : 0;	/* partner can negotiate */
	case PHY_1000T_STATUS:
		/* Both receivers fine, partner does 1000 half and full. */
		return link ? 0x3c00 : 0;
	case PHY_EXT_STATUS:
		return 0x3000;			/* 1000BASE-T half and full */
	case M88_SPEC_STATUS:
		/* 1000 Mb/s, full duplex, resolved, link; short cable. */
		return link ? 0xac00 : 0;
	case PHY_LP_NEXT_PAGE:
	case M88_INT_STATUS:
	case M88_RX_ERR_COUNT:
		return 0;
	default:
		return phy_writable(reg) ? phy->regs[reg] : 0;
	}
}

static void phy_write(struct e1000_phy *phy, u8 reg, u16 val)
{
	if (!phy_writable(reg))
		return;
	if (reg == PHY_CTRL) {
		/*
		 * A software reset puts the control register back; the
		 * rest keeps what the driver set, for the reset is how it
		 * makes that take effect.
		 */
		if (val & CTRL_RESET) {
			phy->regs[PHY_CTRL] = phy_defaults[PHY_CTRL];
			return;
		}
		/* Negotiation is instant: the restart bit is done at once. */
		val &= ~CTRL_AN_RESTART;
	}
	phy->regs[reg] = val;
}

u32 e1000_phy_mdic(struct e1000_phy *phy, u32 mdic)
{
	u8 reg = mdic >> E1000_MDIC_REG_SHIFT & 0x1f;
	u8 addr = mdic >> E1000_MDIC_PHY_SHIFT & 0x1f;
	u32 op = mdic & (E1000_MDIC_OP_READ | E1000_MDIC_OP_WRITE);
	u32 out = mdic & ~(E1000_MDIC_READY | E1000_MDIC_ERROR);

	/* Nothing answers at another address; op 00 and 11 are invalid. */
	if (addr != E1000_PHY_ADDR ||
	    (op != E1000_MDIC_OP_READ && op != E1000_MDIC_OP_WRITE))
		return out | E1000_MDIC_READY | E1000_MDIC_ERROR;
	if (op == E1000_MDIC_OP_READ)
		out = (out & ~E1000_MDIC_DATA_MASK) | phy_read(phy, reg);
	else
		phy_write(phy, reg, mdic & E1000_MDIC_DATA_MASK);
	return out | E1000_MDIC_READY;
}
