/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_KVM_STOP_H
#define KNIT_KVM_STOP_H

/* Why a machine stops running; the first reason reported wins. */
enum stop_reason {
	STOP_NONE = 0,
	STOP_POWEROFF,	/* ACPI S5 and the like: exit 0 */
	STOP_RESET,	/* guest reset: exit 0, or restart with --reboot */
	STOP_DEBUG_EXIT, /* guest chose the exit status */
	STOP_SIGNAL,	/* SIGINT/SIGTERM: 128 + signal */
	STOP_ERROR,	/* triple fault, internal error, failed entry: 1 */
	STOP_QUIT,	/* the console escape sequence: 0 */
	STOP_CONTROL,	/* "stop" on the control socket: 0 */
};

struct stop_ctl {
	void (*request)(struct stop_ctl *ctl, enum stop_reason why, int code);
};

static inline void stop_request(struct stop_ctl *ctl, enum stop_reason why,
				int code)
{
	if (ctl && ctl->request)
		ctl->request(ctl, why, code);
}

#endif
