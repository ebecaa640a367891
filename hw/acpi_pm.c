// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "hw/acpi_pm.h"

/*
 * The blocks are little-endian byte arrays of 16-bit registers, so each
 * access is handled a byte at a time: a byte or word at any offset
 * inside the block then does what it would on hardware.
 */
static bool acpi_pm_access_ok(u64 offset, u32 len, u64 size)
{
	return (len == 1 || len == 2) && offset < size && len <= size - offset;
}

static u8 reg_byte(u16 reg, u64 off)
{
	return reg >> (off % 2 * 8);
}

static u16 reg_set_byte(u16 reg, u64 off, u8 byte)
{
	unsigned int shift = off % 2 * 8;

	return (reg & ~(0xff << shift)) | byte << shift;
}

static void acpi_pm_evt_read(void *opaque, u64 offset, void *data, u32 len)
{
	struct acpi_pm *pm = opaque;
	u8 *out = data;

	memset(data, 0xff, len);
	if (!acpi_pm_access_ok(offset, len, ACPI_PM1_EVT_LEN))
		return;

	pthread_mutex_lock(&pm->lock);
	for (u32 i = 0; i < len; i++) {
		u64 off = offset + i;

		out[i] = reg_byte(off < ACPI_PM1_EN ? pm->sts : pm->en, off);
	}
	pthread_mutex_unlock(&pm->lock);
}

static void acpi_pm_evt_write(void *opaque, u64 offset, const void *data,
			      u32 len)
{
	struct acpi_pm *pm = opaque;
	const u8 *in = data;

	if (!acpi_pm_access_ok(offset, len, ACPI_PM1_EVT_LEN))
		return;

	pthread_mutex_lock(&pm->lock);
	for (u32 i = 0; i < len; i++) {
		u64 off = offset + i;

		/* Status bits are cleared by writing 1 to them. */
		if (off < ACPI_PM1_EN)
			pm->sts &= ~reg_set_byte(0, off, in[i]);
		else
			pm->en = reg_set_byte(pm->en, off, in[i]);
	}
	pthread_mutex_unlock(&pm->lock);
}

static u16 acpi_pm_cnt_value(const struct acpi_pm *pm)
{
	/* No legacy (non-ACPI) mode: the SCI is always enabled. */
	return pm->cnt | ACPI_PM1_CNT_SCI_EN;
}

static void acpi_pm_cnt_read(void *opaque, u64 offset, void *data, u32 len)
{
	struct acpi_pm *pm = opaque;
	u8 *out = data;

	memset(data, 0xff, len);
	if (!acpi_pm_access_ok(offset, len, ACPI_PM1_CNT_LEN))
		return;

	pthread_mutex_lock(&pm->lock);
	for (u32 i = 0; i < len; i++)
		out[i] = reg_byte(acpi_pm_cnt_value(pm), offset + i);
	pthread_mutex_unlock(&pm->lock);
}

/* Act on a PM1_CNT write that set SLP_EN. */
static void acpi_pm_sleep(struct acpi_pm *pm, unsigned int typ)
{
	bool warn;

	if (typ == ACPI_PM_SLP_TYP_S5) {
		stop_request(pm->stop, STOP_POWEROFF, 0);
		return;
	}

	pthread_mutex_lock(&pm->lock);
	warn = !pm->warned;
	pm->warned = true;
	pthread_mutex_unlock(&pm->lock);
	if (warn)
		pr_warn("guest asked for ACPI sleep type %u; only S5 (%u) is supported, ignoring",
			typ, ACPI_PM_SLP_TYP_S5);
}

static void acpi_pm_cnt_write(void *opaque, u64 offset, const void *data,
			      u32 len)
{
	struct acpi_pm *pm = opaque;
	const u8 *in = data;
	u16 val;

	if (!acpi_pm_access_ok(offset, len, ACPI_PM1_CNT_LEN))
		return;

	pthread_mutex_lock(&pm->lock);
	val = pm->cnt;
	for (u32 i = 0; i < len; i++)
		val = reg_set_byte(val, offset + i, in[i]);
	/* Write-only bits act now and are never seen again. */
	pm->cnt = val & ~(ACPI_PM1_CNT_SLP_EN | ACPI_PM1_CNT_GBL_RLS);
	pthread_mutex_unlock(&pm->lock);

	/* Outside the lock: stopping may wait for vCPUs that want it. */
	if (val & ACPI_PM1_CNT_SLP_EN)
		acpi_pm_sleep(pm, (val & ACPI_PM1_CNT_SLP_TYP) >>
				  ACPI_PM1_CNT_SLP_TYP_SHIFT);
}

const struct bus_ops acpi_pm_evt_ops = {
	.read = acpi_pm_evt_read,
	.write = acpi_pm_evt_write,
};

const struct bus_ops acpi_pm_cnt_ops = {
	.read = acpi_pm_cnt_read,
	.write = acpi_pm_cnt_write,
};

int acpi_pm_init(struct acpi_pm *pm, struct stop_ctl *stop)
{
	int ret;

	memset(pm, 0, sizeof(*pm));
	ret = pthread_mutex_init(&pm->lock, NULL);
	if (ret)
		return -ret;
	pm->stop = stop;
	return 0;
}

void acpi_pm_exit(struct acpi_pm *pm)
{
	pthread_mutex_destroy(&pm->lock);
}
