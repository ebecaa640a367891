// SPDX-License-Identifier: GPL-2.0
/*
 * The 82540EM's serial EEPROM: 64 16-bit words on a Microwire bus that
 * the driver bit-bangs through EECD (select, clock, data in, data out),
 * and the EERD shortcut that reads one word in a single access.
 *
 * A read is: select, a start bit (1), opcode 10, six address bits, each
 * sampled on a rising clock; then the EEPROM drives a dummy 0 and, on
 * each further rising clock, the next data bit, most significant first,
 * running on into the following words. Deselecting ends the command.
 * Only READ is modelled: the image is read-only, other commands are
 * clocked in and ignored.
 */
#include <string.h>

#include "hw/e1000.h"

#define EE_ADDR_BITS		6
#define EE_CMD_BITS		(2 + EE_ADDR_BITS)	/* opcode, address */
#define EE_OP_READ		0x2

/* Word offsets the e1000 driver reads. */
#define EE_SUBSYS_ID		0x0b
#define EE_SUBSYS_VENDOR	0x0c
#define EE_DEVICE_ID		0x0d
#define EE_VENDOR_ID		0x0e
#define EE_INIT_CTRL2		0x0f	/* flow control: none */

#define EE_PINS_RW	(E1000_EECD_SK | E1000_EECD_CS | E1000_EECD_DI | \
			 E1000_EECD_FWE_MASK | E1000_EECD_REQ)

void e1000_eeprom_init(struct e1000_eeprom *ee, const u8 mac[6])
{
	u16 sum = 0;
	int i;

	memset(ee, 0, sizeof(*ee));
	for (i = 0; i < 3; i++)
		ee->words[i] = mac[2 * i] | mac[2 * i + 1] << 8;
	ee->words[EE_SUBSYS_ID] = 0x001e;	/* PRO/1000 MT Desktop */
	ee->words[EE_SUBSYS_VENDOR] = 0x8086;
	ee->words[EE_DEVICE_ID] = 0x100e;
	ee->words[EE_VENDOR_ID] = 0x8086;
	ee->words[EE_INIT_CTRL2] = 0x0000;
	for (i = 0; i < E1000_EEPROM_CSUM_WORD; i++)
		sum += ee->words[i];
	ee->words[E1000_EEPROM_CSUM_WORD] = E1000_EEPROM_SUM - sum;
	ee->pins = E1000_EECD_FWE_DIS;
}

static void shift_reset(struct e1000_eeprom *ee)
{
	ee->started = false;
	ee->reading = false;
	ee->nbits = 0;
	ee->cmd = 0;
	ee->out_bits = 0;
}

/* A rising clock edge while selected. */
static void clock_edge(struct e1000_eeprom *ee, bool di)
{
	if (ee->reading) {
		/* Bounded by the counter's width; the address wraps. */
		if (ee->out_bits < 0xffffffffu)
			ee->out_bits++;
		return;
	}
	if (!ee->started) {
		ee->started = di;	/* leading zeros are not a command */
		return;
	}
	if (ee->nbits >= EE_CMD_BITS)
		return;		/* a command we ignore: wait for deselect */
	ee->cmd = ee->cmd << 1 | di;
	if (++ee->nbits < EE_CMD_BITS)
		return;
	if (ee->cmd >> EE_ADDR_BITS == EE_OP_READ) {
		ee->reading = true;
		ee->addr = ee->cmd & (E1000_EEPROM_WORDS - 1);
		ee->out_bits = 0;
	}
}

void e1000_eeprom_eecd_write(struct e1000_eeprom *ee, u32 val)
{
	u32 old = ee->pins;

	ee->pins = val & EE_PINS_RW;
	if (!(val & E1000_EECD_CS) || !(old & E1000_EECD_CS)) {
		/* Deselected, or freshly selected: a new command starts. */
		shift_reset(ee);
		return;
	}
	if (!(old & E1000_EECD_SK) && (val & E1000_EECD_SK))
		clock_edge(ee, val & E1000_EECD_DI);
}

static bool data_out(const struct e1000_eeprom *ee)
{
	u32 k;
	u16 word;

	if (!ee->reading || !(ee->pins & E1000_EECD_CS) || !ee->out_bits)
		return false;	/* idle, or the dummy zero */
	k = ee->out_bits - 1;
	word = ee->words[(ee->addr + k / 16) % E1000_EEPROM_WORDS];
	return word >> (15 - k % 16) & 1;
}

u32 e1000_eeprom_eecd_read(const struct e1000_eeprom *ee)
{
	u32 v = ee->pins | E1000_EECD_PRES;

	/* Nobody else wants the pins: a request is granted at once. */
	if (v & E1000_EECD_REQ)
		v |= E1000_EECD_GNT;
	if (data_out(ee))
		v |= E1000_EECD_DO;
	return v;
}

u32 e1000_eeprom_eerd(const struct e1000_eeprom *ee, u32 val)
{
	u32 addr = val >> E1000_EERD_ADDR_SHIFT & 0xff;
	u16 data = 0;

	if (!(val & E1000_EERD_START))
		return val & ~E1000_EERD_DONE;
	if (addr < E1000_EEPROM_WORDS)
		data = ee->words[addr];
	return (u32)data << E1000_EERD_DATA_SHIFT |
	       addr << E1000_EERD_ADDR_SHIFT | E1000_EERD_DONE;
}
