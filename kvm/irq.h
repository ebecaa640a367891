/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_KVM_IRQ_H
#define KNIT_KVM_IRQ_H

#include "knit/util.h"

/*
 * An interrupt line as a device sees it: the device says high or low and
 * whoever wired it decides what that means (KVM_IRQ_LINE on a GSI in a
 * VM, a recorder in a unit test).
 */
struct irq_line {
	void (*set)(struct irq_line *line, int level);
	u32 gsi;
	void *ctx;
};

static inline void irq_line_set(struct irq_line *line, int level)
{
	if (line && line->set)
		line->set(line, level);
}

#endif
