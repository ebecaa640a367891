/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_RTC_H
#define KNIT_HW_RTC_H

#include <pthread.h>
#include <time.h>

#include "knit/util.h"
#include "kvm/bus.h"

/* Window offsets: 0x70 and 0x71 on a PC. */
#define RTC_PORT_INDEX	0
#define RTC_PORT_DATA	1

/* CMOS register indices. */
#define RTC_SECONDS	0x00
#define RTC_MINUTES	0x02
#define RTC_HOURS	0x04
#define RTC_WEEKDAY	0x06	/* 1 = Sunday */
#define RTC_MDAY	0x07
#define RTC_MONTH	0x08
#define RTC_YEAR	0x09	/* year within the century */
#define RTC_REG_A	0x0a
#define RTC_REG_B	0x0b
#define RTC_REG_C	0x0c
#define RTC_REG_D	0x0d
#define RTC_CENTURY	0x32	/* where knit's FADT says the century is */
#define RTC_NVRAM_SIZE	128

#define RTC_A_UIP	0x80	/* update in progress */
#define RTC_B_SET	0x80	/* clock held while the guest sets it */
#define RTC_B_DM_BINARY	0x04	/* binary, not BCD */
#define RTC_B_24H	0x02
#define RTC_D_VRT	0x80	/* battery good */
#define RTC_HOUR_PM	0x80	/* in 12-hour mode */

/*
 * An MC146818 clock and its NVRAM. The clock runs on the host's UTC plus
 * whatever offset the guest set; it raises no interrupts.
 */
struct rtc {
	pthread_mutex_t lock;
	time_t (*now)(void);
	time_t offset;		/* guest clock minus host clock, seconds */
	struct tm held;		/* the clock while B.SET stops it */
	u8 index;
	u8 cmos[RTC_NVRAM_SIZE];
};

/* now == NULL reads the host clock; tests pass a fixed time. */
int rtc_init(struct rtc *r, time_t (*now)(void));
void rtc_exit(struct rtc *r);

/* A 2-byte window (index, data); opaque is the struct rtc. */
extern const struct bus_ops rtc_ops;

#endif
