// SPDX-License-Identifier: GPL-2.0
/*
 * The time registers are not stored: each read converts the current
 * time (host clock plus the guest's offset) into the format register B
 * asks for. An update never appears to be in progress.
 */
#include <errno.h>
#include <string.h>

#include "hw/rtc.h"

static time_t rtc_host_now(void)
{
	return time(NULL);
}

static bool rtc_is_time_reg(u8 idx)
{
	switch (idx) {
	case RTC_SECONDS:
	case RTC_MINUTES:
	case RTC_HOURS:
	case RTC_WEEKDAY:
	case RTC_MDAY:
	case RTC_MONTH:
	case RTC_YEAR:
	case RTC_CENTURY:
		return true;
	}
	return false;
}

static bool rtc_binary(const struct rtc *r)
{
	return r->cmos[RTC_REG_B] & RTC_B_DM_BINARY;
}

static u8 rtc_encode(const struct rtc *r, int val)
{
	if (rtc_binary(r))
		return val;
	return (val / 10) << 4 | val % 10;
}

static int rtc_decode(const struct rtc *r, u8 val)
{
	if (rtc_binary(r))
		return val;
	return (val >> 4) * 10 + (val & 0x0f);
}

static u8 rtc_encode_hour(const struct rtc *r, int hour)
{
	int h12 = hour % 12;

	if (r->cmos[RTC_REG_B] & RTC_B_24H)
		return rtc_encode(r, hour);
	/* 12-hour clocks count 12, 1, ..., 11, with PM in bit 7. */
	return rtc_encode(r, h12 ? h12 : 12) | (hour >= 12 ? RTC_HOUR_PM : 0);
}

static int rtc_decode_hour(const struct rtc *r, u8 val)
{
	int hour;

	if (r->cmos[RTC_REG_B] & RTC_B_24H)
		return rtc_decode(r, val);
	hour = rtc_decode(r, val & ~RTC_HOUR_PM) % 12;
	return val & RTC_HOUR_PM ? hour + 12 : hour;
}

/* The time the guest sees now, broken down. */
static void rtc_get_tm(struct rtc *r, struct tm *tm)
{
	time_t t;

	if (r->cmos[RTC_REG_B] & RTC_B_SET) {
		*tm = r->held;
		return;
	}
	t = r->now() + r->offset;
	if (!gmtime_r(&t, tm))
		memset(tm, 0, sizeof(*tm));
}

static u8 rtc_read_time(struct rtc *r, u8 idx)
{
	struct tm tm;
	int year;

	rtc_get_tm(r, &tm);
	year = tm.tm_year + 1900;
	switch (idx) {
	case RTC_SECONDS:
		return rtc_encode(r, tm.tm_sec);
	case RTC_MINUTES:
		return rtc_encode(r, tm.tm_min);
	case RTC_HOURS:
		return rtc_encode_hour(r, tm.tm_hour);
	case RTC_WEEKDAY:
		return rtc_encode(r, tm.tm_wday + 1);
	case RTC_MDAY:
		return rtc_encode(r, tm.tm_mday);
	case RTC_MONTH:
		return rtc_encode(r, tm.tm_mon + 1);
	case RTC_YEAR:
		return rtc_encode(r, year % 100);
	case RTC_CENTURY:
		return rtc_encode(r, year / 100 % 100);
	}
	return 0xff;
}

/* Make the guest clock read tm from now on. */
static void rtc_set_offset(struct rtc *r, struct tm *tm)
{
	/* timegm normalises out-of-range fields the guest may write. */
	r->offset = timegm(tm) - r->now();
}

static void rtc_write_time(struct rtc *r, u8 idx, u8 val)
{
	struct tm tm;
	int year;

	rtc_get_tm(r, &tm);
	year = tm.tm_year + 1900;
	switch (idx) {
	case RTC_SECONDS:
		tm.tm_sec = rtc_decode(r, val);
		break;
	case RTC_MINUTES:
		tm.tm_min = rtc_decode(r, val);
		break;
	case RTC_HOURS:
		tm.tm_hour = rtc_decode_hour(r, val);
		break;
	case RTC_WEEKDAY:
		/* Derived from the date; Linux never relies on writing it. */
		return;
	case RTC_MDAY:
		tm.tm_mday = rtc_decode(r, val);
		break;
	case RTC_MONTH:
		tm.tm_mon = rtc_decode(r, val) - 1;
		break;
	case RTC_YEAR:
		year = year / 100 * 100 + rtc_decode(r, val);
		break;
	case RTC_CENTURY:
		year = rtc_decode(r, val) * 100 + year % 100;
		break;
	}
	tm.tm_year = year - 1900;

	if (r->cmos[RTC_REG_B] & RTC_B_SET) {
		/* Normalise now so reads while held show a real date. */
		time_t t = timegm(&tm);

		if (gmtime_r(&t, &tm))
			r->held = tm;
	} else {
		rtc_set_offset(r, &tm);
	}
}

static void rtc_write_b(struct rtc *r, u8 val)
{
	u8 old = r->cmos[RTC_REG_B];

	if (!(old & RTC_B_SET) && (val & RTC_B_SET))
		rtc_get_tm(r, &r->held);
	else if ((old & RTC_B_SET) && !(val & RTC_B_SET))
		rtc_set_offset(r, &r->held);
	r->cmos[RTC_REG_B] = val;
}

static u8 rtc_read_reg(struct rtc *r, u8 idx)
{
	if (rtc_is_time_reg(idx))
		return rtc_read_time(r, idx);
	switch (idx) {
	case RTC_REG_A:
		return r->cmos[idx] & ~RTC_A_UIP;
	case RTC_REG_C:
		/* No interrupt sources, so no flags to report or clear. */
		return 0;
	case RTC_REG_D:
		return RTC_D_VRT;
	}
	return r->cmos[idx];
}

static void rtc_write_reg(struct rtc *r, u8 idx, u8 val)
{
	if (rtc_is_time_reg(idx)) {
		rtc_write_time(r, idx, val);
		return;
	}
	switch (idx) {
	case RTC_REG_A:
		r->cmos[idx] = val & ~RTC_A_UIP;
		break;
	case RTC_REG_B:
		rtc_write_b(r, val);
		break;
	case RTC_REG_C:
	case RTC_REG_D:
		break;	/* read-only */
	default:
		r->cmos[idx] = val;
		break;
	}
}

static void rtc_read(void *opaque, u64 offset, void *data, u32 len)
{
	struct rtc *r = opaque;

	/* The index port is write-only; it reads as an empty bus. */
	memset(data, 0xff, len);
	if (offset != RTC_PORT_DATA || len != 1)
		return;

	pthread_mutex_lock(&r->lock);
	*(u8 *)data = rtc_read_reg(r, r->index);
	pthread_mutex_unlock(&r->lock);
}

static void rtc_write(void *opaque, u64 offset, const void *data, u32 len)
{
	struct rtc *r = opaque;
	u8 val;

	if (len != 1)
		return;
	val = *(const u8 *)data;

	pthread_mutex_lock(&r->lock);
	if (offset == RTC_PORT_INDEX)
		/* Bit 7 masks NMIs on a PC; there is nothing to mask here. */
		r->index = val & (RTC_NVRAM_SIZE - 1);
	else if (offset == RTC_PORT_DATA)
		rtc_write_reg(r, r->index, val);
	pthread_mutex_unlock(&r->lock);
}

const struct bus_ops rtc_ops = {
	.read = rtc_read,
	.write = rtc_write,
};

int rtc_init(struct rtc *r, time_t (*now)(void))
{
	int ret;

	memset(r, 0, sizeof(*r));
	ret = pthread_mutex_init(&r->lock, NULL);
	if (ret)
		return -ret;

	r->now = now ? now : rtc_host_now;
	/* 32.768 kHz time base, 1024 Hz periodic rate: the usual setting. */
	r->cmos[RTC_REG_A] = 0x26;
	r->cmos[RTC_REG_B] = RTC_B_24H;
	return 0;
}

void rtc_exit(struct rtc *r)
{
	pthread_mutex_destroy(&r->lock);
}
