/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_I8042_H
#define KNIT_HW_I8042_H

#include <pthread.h>

#include "knit/util.h"
#include "kvm/bus.h"
#include "kvm/stop.h"

/* Status register (read at the command port, 0x64 on a PC). */
#define I8042_STR_OBF		0x01	/* output buffer full */
#define I8042_STR_IBF		0x02	/* input buffer full; never, here */
#define I8042_STR_SYSFLAG	0x04	/* copy of CTR bit 2 */
#define I8042_STR_CMDDAT	0x08	/* last write was to the command port */
#define I8042_STR_KEYLOCK	0x10	/* set: keyboard not inhibited */

/* Controller configuration byte ("command byte"). */
#define I8042_CTR_KBDINT	0x01
#define I8042_CTR_AUXINT	0x02
#define I8042_CTR_SYSFLAG	0x04
#define I8042_CTR_KBDDIS	0x10
#define I8042_CTR_AUXDIS	0x20
#define I8042_CTR_XLATE		0x40

/* Output port: bit 0 low holds the CPU in reset, bit 1 is the A20 gate. */
#define I8042_OUT_RESET		0x01
#define I8042_OUT_A20		0x02

#define I8042_CMD_READ_CTR	0x20
#define I8042_CMD_WRITE_CTR	0x60
#define I8042_CMD_AUX_DISABLE	0xa7
#define I8042_CMD_AUX_ENABLE	0xa8
#define I8042_CMD_SELF_TEST	0xaa
#define I8042_CMD_KBD_TEST	0xab
#define I8042_CMD_KBD_DISABLE	0xad
#define I8042_CMD_KBD_ENABLE	0xae
#define I8042_CMD_READ_OUTPORT	0xd0
#define I8042_CMD_WRITE_OUTPORT	0xd1
#define I8042_CMD_PULSE_RESET	0xfe

/*
 * A PS/2 controller with nothing plugged in: enough for Linux to probe it
 * and to reset the machine through it. There is no keyboard, no mouse and
 * no interrupt; bytes sent to the (absent) keyboard are dropped.
 */
struct i8042 {
	pthread_mutex_t lock;
	struct stop_ctl *stop;
	u8 ctr;		/* configuration byte */
	u8 outport;
	u8 obuf;	/* byte for the guest; valid while obf */
	bool obf;
	u8 pending;	/* command waiting for its data byte, or 0 */
	bool last_cmd;	/* last write went to the command port */
};

int i8042_init(struct i8042 *k, struct stop_ctl *stop);
void i8042_exit(struct i8042 *k);

/* One-byte windows; opaque is the struct i8042 for both. */
extern const struct bus_ops i8042_data_ops;	/* 0x60 */
extern const struct bus_ops i8042_cmd_ops;	/* 0x64 */

#endif
