/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_KVM_CONSOLE_H
#define KNIT_KVM_CONSOLE_H

#include <termios.h>

#include "knit/util.h"
#include "kvm/stop.h"

struct loop;

/* Ctrl-a, then x to quit; Ctrl-a twice sends one Ctrl-a to the guest. */
#define CONSOLE_ESCAPE 0x01
/* Input read at once; what the device refuses waits here, not lost. */
#define CONSOLE_CHUNK 256
/* How often held input is offered again while the device is full. */
#define CONSOLE_RETRY_MS 10

/*
 * The host side of the guest's console: standard input and output. On a
 * terminal, input is raw and the escape sequence is ours; from a pipe or
 * a file, bytes pass untouched and end of input just stops reading.
 */
struct console {
	int in_fd;
	int out_fd;
	bool tty;
	bool in_escape;
	bool in_eof;
	bool in_file;	/* stdin is a regular file: read on the timer */
	struct termios saved;
	struct loop *loop;
	u8 held[CONSOLE_CHUNK];	/* filtered input the device has not taken */
	size_t held_len;
	int retry_fd;		/* timerfd, armed while input is held */
	struct stop_ctl *stop;	/* where the quit sequence goes */
	/* Where input goes; returns how many bytes the device took. */
	size_t (*input)(void *opaque, const u8 *buf, size_t len);
	void *input_opaque;
};

int console_open(struct console *con, int in_fd, int out_fd);
void console_close(struct console *con);
/* Guest output: written in full to out_fd (safe from any thread). */
void console_write(void *con, const u8 *buf, size_t len);
/* Route input to a device (NULL to drop it) and quits to stop. */
void console_attach(struct console *con, struct stop_ctl *stop,
		    size_t (*input)(void *, const u8 *, size_t), void *opaque);
/*
 * Handle at most CONSOLE_CHUNK bytes typed on the host: escape processing,
 * then the device. Bytes the device refuses are held for console_push.
 */
void console_feed(struct console *con, const u8 *buf, size_t len);
/* Offer held input to the device again; true when nothing is left. */
bool console_push(struct console *con);
int console_add_to_loop(struct console *con, struct loop *loop);

#endif
