// SPDX-License-Identifier: GPL-2.0
/*
 * The RTL8139's 93C46 serial EEPROM: 64 words the driver reaches by
 * putting 9346CR in programming mode (EEM = 10) and bit-banging chip
 * select, clock and data in, reading data out in bit 0.
 *
 * A READ is a start bit (1), opcode 10 and six address bits, each taken
 * on a rising clock while selected. The EEPROM answers with a dummy 0
 * and then, one per rising clock, the word's bits from the top, running
 * on into the next words for as long as the clock runs. That is how the
 * drivers' first probe, which clocks eight address bits to tell a
 * 93C56 from a 93C46, reads two bits of word 0 early and fails to find
 * the 93C56 signature. Deselecting ends a command. The image is read
 * only: other commands are clocked in and ignored, and a selected,
 * idle EEPROM reports ready.
 *
 * What the drivers take from it: the station address in words 7-9,
 * low byte first.
 */
#include <string.h>

#include "hw/rtl8139.h"

#define EE_ADDR_BITS		6
#define EE_CMD_BITS		(2 + EE_ADDR_BITS)	/* opcode, address */
#define EE_OP_READ		0x2

#define EE_ID			0x00
#define EE_VENDOR		0x01
#define EE_DEVICE		0x02
#define EE_SUBSYS_VENDOR	0x03
#define EE_SUBSYS_ID		0x04
#define EE_REVISION		0x05
#define EE_MAC			0x07	/* words 7, 8, 9 */

void rtl8139_eeprom_init(struct rtl8139_eeprom *ee, const u8 mac[6],
			 u8 revision)
{
	int i;

	memset(ee, 0, sizeof(*ee));
	ee->words[EE_ID] = 0x8139;
	ee->words[EE_VENDOR] = 0x10ec;
	ee->words[EE_DEVICE] = 0x8139;
	ee->words[EE_SUBSYS_VENDOR] = 0x10ec;
	ee->words[EE_SUBSYS_ID] = 0x8139;
	ee->words[EE_REVISION] = revision;
	for (i = 0; i < 3; i++)
		ee->words[EE_MAC + i] = mac[2 * i] | mac[2 * i + 1] << 8;
}

void rtl8139_eeprom_mac(const struct rtl8139_eeprom *ee, u8 mac[6])
{
	int i;

	for (i = 0; i < 3; i++) {
		mac[2 * i] = ee->words[EE_MAC + i];
		mac[2 * i + 1] = ee->words[EE_MAC + i] >> 8;
	}
}

static void command_reset(struct rtl8139_eeprom *ee)
{
	ee->started = false;
	ee->reading = false;
	ee->nbits = 0;
	ee->cmd = 0;
	ee->out_bits = 0;
}

/* A rising clock while selected. */
static void clock_rise(struct rtl8139_eeprom *ee, bool di)
{
	if (ee->reading) {
		/* Saturate rather than wrap; the word address wraps. */
		if (ee->out_bits < 0xffffffffu)
			ee->out_bits++;
		return;
	}
	if (!ee->started) {
		ee->started = di;	/* zeros before the start bit */
		return;
	}
	if (ee->nbits >= EE_CMD_BITS)
		return;		/* an ignored command: wait for deselect */
	ee->cmd = ee->cmd << 1 | di;
	if (++ee->nbits < EE_CMD_BITS)
		return;
	if (ee->cmd >> EE_ADDR_BITS == EE_OP_READ) {
		ee->reading = true;
		ee->addr = ee->cmd & (RTL8139_EEPROM_WORDS - 1);
		ee->out_bits = 0;
	}
}

void rtl8139_eeprom_write(struct rtl8139_eeprom *ee, u8 val)
{
	u8 old = ee->pins;
	u8 pins = val & (RTL8139_EE_CS | RTL8139_EE_SK | RTL8139_EE_DI);

	ee->mode = val >> RTL8139_EEM_SHIFT;
	if (ee->mode != RTL8139_EEM_PROGRAM)
		pins = 0;	/* the pins are the chip's own */
	ee->pins = pins;
	if (!(pins & RTL8139_EE_CS) || !(old & RTL8139_EE_CS)) {
		/* Deselected, or freshly selected: a new command starts. */
		command_reset(ee);
		return;
	}
	if (!(old & RTL8139_EE_SK) && (pins & RTL8139_EE_SK))
		clock_rise(ee, pins & RTL8139_EE_DI);
}

static bool data_out(const struct rtl8139_eeprom *ee)
{
	u32 k;
	u16 word;

	if (!(ee->pins & RTL8139_EE_CS))
		return false;
	if (!ee->reading)
		return !ee->started;	/* idle and selected: ready */
	if (!ee->out_bits)
		return false;		/* the dummy zero */
	k = ee->out_bits - 1;
	word = ee->words[(ee->addr + k / 16) % RTL8139_EEPROM_WORDS];
	return word >> (15 - k % 16) & 1;
}

u8 rtl8139_eeprom_read(const struct rtl8139_eeprom *ee)
{
	u8 v = ee->mode << RTL8139_EEM_SHIFT;

	if (ee->mode != RTL8139_EEM_PROGRAM)
		return v;
	return v | ee->pins | (data_out(ee) ? RTL8139_EE_DO : 0);
}
