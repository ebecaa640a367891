/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_E1000_H
#define KNIT_HW_E1000_H

#include <pthread.h>

#include "hw/e1000_regs.h"
#include "hw/pci.h"
#include "net/gso.h"
#include "net/net.h"

/*
 * The Intel 82540EM (PCI 8086:100E) as Linux's e1000 driver drives it:
 * a register file in a 128 KiB memory BAR (and an I/O window onto it),
 * a Microwire EEPROM, an M88-style PHY behind MDIC, legacy receive
 * descriptors, legacy and extended (context/data) transmit descriptors
 * with checksum offload and TCP segmentation, INTx.
 *
 * Threads. Register accesses come from vCPU threads; frames and the
 * rings are handled on the main loop only: a TDT or RDT write signals
 * kick_efd and the loop does the work. lock guards everything below
 * (recursive: the back end may call straight back into receive() or
 * wake() while we send or wake it).
 *
 * Files: e1000.c registers, interrupts, PCI; e1000_rx.c receive and
 * filtering; e1000_tx.c transmit, offloads, TSO; e1000_eeprom.c and
 * e1000_phy.c the EEPROM and the PHY.
 */

struct guest_mem;
struct loop;
struct netdev;

/* ---- EEPROM (e1000_eeprom.c) ---- */

#define E1000_EEPROM_WORDS	64	/* 93C46: 6 address bits */
#define E1000_EEPROM_CSUM_WORD	0x3f
#define E1000_EEPROM_SUM	0xbaba	/* words 0x00-0x3f add up to this */

struct e1000_eeprom {
	u16 words[E1000_EEPROM_WORDS];
	u32 pins;		/* SK, CS, DI, FWE, REQ as last written */
	bool started;		/* saw the start bit while selected */
	u8 nbits;		/* opcode and address bits since then */
	u16 cmd;
	bool reading;		/* a READ is clocking data out */
	u8 addr;
	u32 out_bits;		/* data bits clocked out so far */
};

void e1000_eeprom_init(struct e1000_eeprom *ee, const u8 mac[6]);
u32 e1000_eeprom_eecd_read(const struct e1000_eeprom *ee);
void e1000_eeprom_eecd_write(struct e1000_eeprom *ee, u32 val);
/* An EERD write; returns what EERD reads afterwards. */
u32 e1000_eeprom_eerd(const struct e1000_eeprom *ee, u32 val);

/* ---- PHY (e1000_phy.c) ---- */

#define E1000_PHY_ADDR		1	/* where the driver looks for it */
#define E1000_PHY_REGS		32

struct e1000_phy {
	u16 regs[E1000_PHY_REGS];
	bool cable;		/* a link partner is there */
};

void e1000_phy_init(struct e1000_phy *phy);
/* PHY hardware reset (CTRL.PHY_RST): registers back to defaults. */
void e1000_phy_reset(struct e1000_phy *phy);
/* An MDIC write; returns what MDIC reads afterwards (READY set). */
u32 e1000_phy_mdic(struct e1000_phy *phy, u32 mdic);
/* Link up as the PHY reports it: a partner, powered, not isolated. */
bool e1000_phy_link(const struct e1000_phy *phy);
bool e1000_phy_loopback(const struct e1000_phy *phy);

/* ---- transmit state (e1000_tx.c) ---- */

#define E1000_TX_PKT_MAX	(65536 + 256)	/* a TSO packet and headers */
#define E1000_TX_MAX_DESCS	256	/* data descriptors in one packet */
#define E1000_TX_ARENA		(256 * 1024)	/* frames in one batch */
#define E1000_TX_BUDGET		1024	/* descriptors per loop turn */

/* The offload context of the last context descriptor. */
struct e1000_tx_ctx {
	u8 ipcss, ipcso;
	u16 ipcse;
	u8 tucss, tucso;
	u16 tucse;
	u8 tucmd;
	u8 hdrlen;
	u16 mss;
};

struct e1000_tx {
	struct e1000_tx_ctx ctx;
	/* The packet being gathered from data descriptors. */
	u8 *pkt;
	u32 len;
	u32 ndesc;
	bool started;		/* a first data descriptor was seen */
	bool drop;		/* bad buffer or too long: discard at EOP */
	bool ext;		/* extended (data) descriptors */
	bool tse;		/* segment it */
	u8 popts;
	bool ic;		/* legacy: insert a checksum */
	u8 cso, css;
	struct e1000_tx_ctx pctx;	/* context the packet was sent with */
	/* A finished packet going out, segment by segment for TSO. */
	bool sending;
	bool vle;
	u16 vlan;
	u32 seg_off;		/* payload bytes already segmented */
	u32 seg_idx;
	/* Outgoing frames; the back end may use them until its flush. */
	u8 *out;
	u32 out_used;
	bool held;		/* out[0, held_len) was refused: send first */
	u32 held_off, held_len;
	bool blocked;		/* the back end had no room: wait for wake */
	bool running;		/* e1000_tx_run is on the stack */
};

/* ---- the device ---- */

#define E1000_RX_FRAME_MAX	16384	/* longest frame taken, no FCS */

struct e1000 {
	struct pci_dev pci;
	char name[16];
	pthread_mutex_t lock;
	const struct guest_mem *mem;
	struct loop *loop;
	struct net_port port;
	int kick_efd;		/* TDT/RDT writes: work for the loop */
	bool kick_pending;	/* kick_efd signalled, not yet read */
	int timer_efd;		/* interrupt throttling (ITR) */
	u32 regs[E1000_REG_END / 4];
	u32 ioaddr;		/* the I/O window's IOADDR latch */
	u8 mac[6];
	struct e1000_eeprom eeprom;
	struct e1000_phy phy;
	bool link_reported;	/* link state the last LSC told */
	bool irq_level;		/* INTx as we last drove it */
	u64 irq_next_ns;	/* ITR: no assertion before this */
	bool timer_armed;
	bool rx_starved;	/* receive() said 0: wake the peer later */
	u8 *rx_buf;		/* a frame handed over in pieces */
	struct net_gso_rx gso;	/* frames a tap left for us to cut */
	struct e1000_tx tx;
};

/*
 * A NIC on bus, joined to nd's first port, its rings in mem, its work
 * on loop. -errno, with nothing left behind, on failure.
 */
int e1000_create(struct e1000 **out, unsigned int index, const u8 mac[6],
		 struct netdev *nd, struct pci_bus *bus,
		 struct irq_line *intx, const struct guest_mem *mem,
		 struct loop *loop);
void e1000_destroy(struct e1000 *d);
/* The cable: link up or down, with a link status change interrupt. */
void e1000_set_link(struct e1000 *d, bool up);

/* ---- between the e1000 files; d->lock held ---- */

static inline u32 e1000_reg(const struct e1000 *d, u32 off)
{
	return d->regs[off / 4];
}

void e1000_irq_raise(struct e1000 *d, u32 causes);
void e1000_stat_add(struct e1000 *d, u32 reg, u32 n);
void e1000_stat_add64(struct e1000 *d, u32 reg_lo, u64 n);
/* A counter of frame sizes: the 64, 127, ..., 1522 bins from base. */
void e1000_stat_size(struct e1000 *d, u32 base, u32 len);
bool e1000_link_up(const struct e1000 *d);
/* Bus mastering on: the device may read and write guest memory. */
bool e1000_dma_ok(const struct e1000 *d);
/* Transmitted frames come back to the receiver, none leave. */
bool e1000_loopback(const struct e1000 *d);
/* Ask the main loop to look at the rings. */
void e1000_kick(struct e1000 *d);

ssize_t e1000_rx_receive(struct e1000 *d, const struct iovec *iov,
			 int iovcnt);
/* A transmitted frame in loopback mode; lost when the ring is full. */
void e1000_rx_loopback(struct e1000 *d, const u8 *frame, size_t len);
/* The driver gave buffers back: wake a back end that had to wait. */
void e1000_rx_refilled(struct e1000 *d);

/*
 * Internet checksum: add len bytes at p to a partial sum (16-bit words
 * in network order, as the checksum defines them); fold it to 16 bits.
 */

int e1000_tx_init(struct e1000_tx *tx);
void e1000_tx_exit(struct e1000_tx *tx);
/* Drop what is half gathered or half sent (reset, TCTL.EN off). */
void e1000_tx_reset(struct e1000 *d);
/* Walk the transmit ring from TDH to TDT. */
void e1000_tx_run(struct e1000 *d);
/* The back end has room again. */
void e1000_tx_wake(struct e1000 *d);

#endif
