// SPDX-License-Identifier: GPL-2.0
/*
 * An 8042 keyboard controller with no devices behind it. Commands take
 * effect at once, so the input buffer is never full and a guest polling
 * for it to drain (as Linux does before pulsing reset) never waits.
 */
#include <errno.h>
#include <string.h>

#include "hw/i8042.h"

static void i8042_respond(struct i8042 *k, u8 val)
{
	k->obuf = val;
	k->obf = true;
}

/* Output port bit 0 low means reset; returns whether to request one. */
static bool i8042_write_outport(struct i8042 *k, u8 val)
{
	k->outport = val;
	return !(val & I8042_OUT_RESET);
}

/* Runs one command; returns true when it asks for a machine reset. */
static bool i8042_command(struct i8042 *k, u8 cmd)
{
	k->pending = 0;
	switch (cmd) {
	case I8042_CMD_READ_CTR:
		i8042_respond(k, k->ctr);
		break;
	case I8042_CMD_WRITE_CTR:
	case I8042_CMD_WRITE_OUTPORT:
		k->pending = cmd;
		break;
	case I8042_CMD_AUX_DISABLE:
		k->ctr |= I8042_CTR_AUXDIS;
		break;
	case I8042_CMD_AUX_ENABLE:
		k->ctr &= ~I8042_CTR_AUXDIS;
		break;
	case I8042_CMD_SELF_TEST:
		i8042_respond(k, 0x55);
		break;
	case I8042_CMD_KBD_TEST:
		/* 0 means the clock and data lines are fine. */
		i8042_respond(k, 0x00);
		break;
	case I8042_CMD_KBD_DISABLE:
		k->ctr |= I8042_CTR_KBDDIS;
		break;
	case I8042_CMD_KBD_ENABLE:
		k->ctr &= ~I8042_CTR_KBDDIS;
		break;
	case I8042_CMD_READ_OUTPORT:
		i8042_respond(k, k->outport);
		break;
	default:
		/*
		 * 0xf0-0xff pulse the output port bits whose command bit is
		 * clear; bit 0 is the reset line (0xfe is the usual one).
		 */
		if (cmd >= 0xf0 && !(cmd & I8042_OUT_RESET))
			return true;
		break;
	}
	return false;
}

/* A data-port write: a command's argument, or a byte for the keyboard. */
static bool i8042_data(struct i8042 *k, u8 val)
{
	u8 cmd = k->pending;

	k->pending = 0;
	switch (cmd) {
	case I8042_CMD_WRITE_CTR:
		k->ctr = val;
		break;
	case I8042_CMD_WRITE_OUTPORT:
		return i8042_write_outport(k, val);
	}
	/* No keyboard is attached, so anything else goes nowhere. */
	return false;
}

static u8 i8042_status(const struct i8042 *k)
{
	u8 val = I8042_STR_KEYLOCK;

	if (k->obf)
		val |= I8042_STR_OBF;
	if (k->ctr & I8042_CTR_SYSFLAG)
		val |= I8042_STR_SYSFLAG;
	if (k->last_cmd)
		val |= I8042_STR_CMDDAT;
	return val;
}

static void i8042_read_data(void *opaque, u64 offset, void *data, u32 len)
{
	struct i8042 *k = opaque;

	memset(data, 0xff, len);
	if (offset != 0 || len != 1)
		return;

	pthread_mutex_lock(&k->lock);
	/* An empty buffer reads as whatever was last in it. */
	*(u8 *)data = k->obuf;
	k->obf = false;
	pthread_mutex_unlock(&k->lock);
}

static void i8042_read_status(void *opaque, u64 offset, void *data, u32 len)
{
	struct i8042 *k = opaque;

	memset(data, 0xff, len);
	if (offset != 0 || len != 1)
		return;

	pthread_mutex_lock(&k->lock);
	*(u8 *)data = i8042_status(k);
	pthread_mutex_unlock(&k->lock);
}

static void i8042_write(struct i8042 *k, u8 val, bool is_cmd)
{
	bool reset;

	pthread_mutex_lock(&k->lock);
	k->last_cmd = is_cmd;
	reset = is_cmd ? i8042_command(k, val) : i8042_data(k, val);
	pthread_mutex_unlock(&k->lock);

	/* Outside the lock: stopping may wait for vCPUs that want it. */
	if (reset)
		stop_request(k->stop, STOP_RESET, 0);
}

static void i8042_write_data(void *opaque, u64 offset, const void *data,
			     u32 len)
{
	if (offset == 0 && len == 1)
		i8042_write(opaque, *(const u8 *)data, false);
}

static void i8042_write_cmd(void *opaque, u64 offset, const void *data,
			    u32 len)
{
	if (offset == 0 && len == 1)
		i8042_write(opaque, *(const u8 *)data, true);
}

const struct bus_ops i8042_data_ops = {
	.read = i8042_read_data,
	.write = i8042_write_data,
};

const struct bus_ops i8042_cmd_ops = {
	.read = i8042_read_status,
	.write = i8042_write_cmd,
};

int i8042_init(struct i8042 *k, struct stop_ctl *stop)
{
	int ret;

	memset(k, 0, sizeof(*k));
	ret = pthread_mutex_init(&k->lock, NULL);
	if (ret)
		return -ret;

	k->stop = stop;
	/* What a PC BIOS leaves: POST passed, scancode translation on. */
	k->ctr = I8042_CTR_SYSFLAG | I8042_CTR_XLATE;
	k->outport = I8042_OUT_RESET | I8042_OUT_A20;
	return 0;
}

void i8042_exit(struct i8042 *k)
{
	pthread_mutex_destroy(&k->lock);
}
