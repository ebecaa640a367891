/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_ACPI_PM_H
#define KNIT_HW_ACPI_PM_H

#include <pthread.h>

#include "knit/util.h"
#include "kvm/bus.h"
#include "kvm/stop.h"

/* The sleep type knit's DSDT gives \_S5 (soft off). */
#define ACPI_PM_SLP_TYP_S5	5

/* Event block: PM1_STS at 0, PM1_EN at 2, 16 bits each. */
#define ACPI_PM1_STS		0
#define ACPI_PM1_EN		2
#define ACPI_PM1_EVT_LEN	4
/* Control block: PM1_CNT at 0. */
#define ACPI_PM1_CNT		0
#define ACPI_PM1_CNT_LEN	2

#define ACPI_PM1_CNT_SCI_EN	0x0001
#define ACPI_PM1_CNT_GBL_RLS	0x0004	/* write-only */
#define ACPI_PM1_CNT_SLP_TYP_SHIFT 10
#define ACPI_PM1_CNT_SLP_TYP	(7 << ACPI_PM1_CNT_SLP_TYP_SHIFT)
#define ACPI_PM1_CNT_SLP_EN	0x2000	/* write-only */

/*
 * ACPI fixed-hardware PM1a event and control blocks. Only the sleep
 * control does anything: entering S5 powers the machine off. There is no
 * SCI; the status and enable bits are plain storage.
 */
struct acpi_pm {
	pthread_mutex_t lock;
	struct stop_ctl *stop;
	u16 sts;
	u16 en;
	u16 cnt;
	bool warned;	/* about an unsupported sleep state, once */
};

int acpi_pm_init(struct acpi_pm *pm, struct stop_ctl *stop);
void acpi_pm_exit(struct acpi_pm *pm);

/* opaque is the struct acpi_pm; 1- and 2-byte accesses. */
extern const struct bus_ops acpi_pm_evt_ops;	/* ACPI_PM1_EVT_LEN bytes */
extern const struct bus_ops acpi_pm_cnt_ops;	/* ACPI_PM1_CNT_LEN bytes */

#endif
