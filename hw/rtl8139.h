/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_RTL8139_H
#define KNIT_HW_RTL8139_H

#include <pthread.h>

#include "hw/pci.h"
#include "hw/rtl8139_regs.h"
#include "net/gso.h"
#include "net/net.h"

/*
 * The Realtek RTL8139C+ (PCI 10ec:8139) as Linux's 8139too and 8139cp
 * drivers drive it: 256 bytes of registers in an I/O BAR (0) and a
 * memory BAR (1), a 93C46 EEPROM behind 9346CR, the built-in PHY at
 * 0x62, INTx. Two ways to move frames:
 *
 *  - C mode (8139too): four transmit slots (TSD/TSAD) and one receive
 *    ring buffer (RBSTART, CAPR/CBR) that frames are written into one
 *    after another, each behind a 4-byte header;
 *  - C+ mode (8139cp, CPCR TxOn/RxOn): rings of 16-byte descriptors
 *    with an OWN bit, transmit checksum offload and LargeSend (TSO),
 *    receive checksums and VLAN tag stripping, a tally counter dump.
 *
 * The PCI revision says which: 8139too refuses revision 0x20 and up
 * ("use 8139cp"), 8139cp refuses anything below; knit's default is
 * 0x20. Below 0x20 the chip is an RTL8139C and has no C+ mode.
 *
 * Threads. Register accesses come from vCPU threads; frames, rings,
 * descriptors and the tally dump are handled on the main loop only: a
 * TSD, TPPOLL or DTCCR write signals kick_efd and the loop does the
 * work. lock guards everything below (recursive: the back end may call
 * straight back into receive() or wake() while we send or wake it).
 *
 * Files: rtl8139.c registers, interrupts, reset, PCI; rtl8139_rx.c
 * receive and filtering; rtl8139_tx.c transmit, offloads, TSO;
 * rtl8139_eeprom.c and rtl8139_phy.c the EEPROM and the PHY.
 */

struct guest_mem;
struct loop;
struct netdev;

#define RTL8139_REV_CPLUS	0x20	/* first revision with C+ mode */
#define RTL8139_REV_DEFAULT	RTL8139_REV_CPLUS

/* ---- EEPROM (rtl8139_eeprom.c) ---- */

#define RTL8139_EEPROM_WORDS	64	/* 93C46: 6 address bits */

struct rtl8139_eeprom {
	u16 words[RTL8139_EEPROM_WORDS];
	u8 mode;		/* 9346CR EEM1:0 */
	u8 pins;		/* CS, SK, DI as last written */
	bool started;		/* saw the start bit while selected */
	u8 nbits;		/* opcode and address bits since then */
	u16 cmd;
	bool reading;		/* a READ is clocking data out */
	u8 addr;
	u32 out_bits;		/* data bits clocked out so far */
};

void rtl8139_eeprom_init(struct rtl8139_eeprom *ee, const u8 mac[6],
			 u8 revision);
u8 rtl8139_eeprom_read(const struct rtl8139_eeprom *ee);
void rtl8139_eeprom_write(struct rtl8139_eeprom *ee, u8 val);
/* The station address as the chip loads it from the EEPROM. */
void rtl8139_eeprom_mac(const struct rtl8139_eeprom *ee, u8 mac[6]);

/* ---- PHY (rtl8139_phy.c) ---- */

struct rtl8139_phy {
	u16 bmcr;
	u16 anar;
	bool cable;		/* a link partner is there */
};

void rtl8139_phy_init(struct rtl8139_phy *phy);
/* off is the register's offset in the chip, RTL8139_BMCR..ANER. */
u16 rtl8139_phy_read(const struct rtl8139_phy *phy, u32 off);
void rtl8139_phy_write(struct rtl8139_phy *phy, u32 off, u16 val);
bool rtl8139_phy_link(const struct rtl8139_phy *phy);

/* ---- transmit state (rtl8139_tx.c) ---- */

#define RTL8139_TX_PKT_MAX	(65536 + 256)	/* a LargeSend packet */
#define RTL8139_TX_MAX_DESCS	64	/* descriptors in one packet */
#define RTL8139_TX_ARENA	(256 * 1024)	/* frames in one batch */
#define RTL8139_TX_BUDGET	256	/* C+ descriptors per loop turn */
#define RTL8139_RING_MAX	1024	/* descriptors in a ring, EOR or not */
#define RTL8139_TX_SLOTS	4
#define RTL8139_TX_STAGED	8	/* C+ packets taken at TxPoll */

/* A C+ transmit ring and the packet being gathered from it. */
struct rtl8139_txq {
	u32 idx;		/* next descriptor */
	bool started;		/* FS seen, LS not yet */
	bool drop;		/* bad buffer or too long: discard at LS */
	u32 ndesc;
	u32 opts1;		/* of the first descriptor: the offloads */
	u32 opts2;
	u32 len;
	u8 *pkt;
};

/* A finished packet going out, segment by segment for LargeSend. */
struct rtl8139_tx_job {
	bool active;
	const u8 *pkt;
	u32 len;
	u32 opts1;		/* LGSEN, MSS, IPCS/UDPCS/TCPCS */
	u32 opts2;		/* TAGC and the tag */
	u32 hdr;		/* LargeSend: Ethernet, IP and TCP headers */
	u32 seg_off;		/* payload bytes already segmented */
	u32 seg_idx;
};

/* A C+ packet taken off its ring at TxPoll, waiting for the loop. */
struct rtl8139_staged {
	struct rtl8139_tx_job job;	/* job.pkt is buf */
	u8 *buf;			/* RTL8139_TX_PKT_MAX bytes */
};

struct rtl8139_tx {
	struct rtl8139_txq q[2];	/* normal and high priority */
	/* A FIFO of packets taken at TxPoll, not yet sent. */
	struct rtl8139_staged staged[RTL8139_TX_STAGED];
	u8 staged_head, staged_nr;
	bool job_staged;	/* job is staged[staged_head]'s */
	bool staged_big;	/* the FIFO holds a packet that is not small */
	u16 late_causes;	/* raised once the FIFO is sent */
	u8 *slot_pkt;		/* a C mode frame */
	u8 pending;		/* C mode slots written, not yet sent */
	u8 next_slot;		/* where the round of slots starts */
	bool poll[2];		/* TPPOLL asked for ring q */
	struct rtl8139_tx_job job;
	/* Outgoing frames; the back end may use them until its flush. */
	u8 *out;
	u32 out_used;
	bool held;		/* out[held_off, +held_len) was refused */
	u32 held_off, held_len;
	bool blocked;		/* the back end had no room: wait for wake */
	bool running;		/* rtl8139_tx_run is on the stack */
};

/* ---- statistics, as the C+ tally dump lays them out ---- */

struct rtl8139_tally {
	u64 tx_ok;
	u64 rx_ok;
	u64 tx_err;
	u32 rx_err;
	u16 missed;
	u16 align;
	u32 tx_one_col;
	u32 tx_multi_col;
	u64 rx_phys;
	u64 rx_bcast;
	u32 rx_mcast;
	u16 tx_abort;
	u16 tx_underrun;
};

/* ---- the device ---- */

#define RTL8139_RX_FRAME_MAX	16384	/* longest frame taken, no FCS */

struct rtl8139 {
	struct pci_dev pci;
	char name[16];
	pthread_mutex_t lock;
	const struct guest_mem *mem;
	struct loop *loop;
	struct net_port port;
	int kick_efd;		/* TSD/TPPOLL/DTCCR/CAPR: work for the loop */
	bool kick_pending;	/* kick_efd signalled, not yet read */
	u8 revision;
	bool cplus;		/* revision 0x20 and up: C+ mode exists */
	u8 regs[RTL8139_REGS_SIZE];	/* registers kept as written */
	u8 cr;			/* TE, RE */
	u16 imr, isr;
	u32 tcr, rcr;
	u32 mpc;
	u16 cpcr;
	u32 tsd[RTL8139_TX_SLOTS];
	u32 tsad[RTL8139_TX_SLOTS];
	u64 dtccr;
	u64 tnpds, thpds, rdsar;
	u32 rbstart;
	u16 capr;		/* as written: the read offset less 16 */
	u16 cbr;		/* where the next frame goes */
	u32 rx_idx;		/* C+ mode: next receive descriptor */
	u16 cscr_latch;		/* LINK_CHG until read */
	u64 tctr_base_ns;	/* TCTR counts from here */
	bool dump_pending;	/* a DTCCR dump for the loop */
	struct rtl8139_eeprom eeprom;
	struct rtl8139_phy phy;
	struct rtl8139_tally tally;
	bool link_reported;	/* link state the last LINKCHG told */
	bool irq_level;		/* INTx as we last drove it */
	bool irq_hold;		/* see rtl8139_irq_hold() */
	bool rx_starved;	/* receive() said 0: wake the peer later */
	u8 *rx_buf;		/* a frame handed over in pieces */
	struct net_gso_rx gso;	/* frames a tap left for us to cut */
	struct rtl8139_tx tx;
};

/*
 * A NIC of PCI revision revision on bus, joined to nd's first port, its
 * buffers in mem, its work on loop. -errno, with nothing left behind,
 * on failure.
 */
int rtl8139_create(struct rtl8139 **out, unsigned int index, const u8 mac[6],
		   u8 revision, struct netdev *nd, struct pci_bus *bus,
		   struct irq_line *intx, const struct guest_mem *mem,
		   struct loop *loop);
void rtl8139_destroy(struct rtl8139 *d);
/* The cable: link up or down, with a link change interrupt. */
void rtl8139_set_link(struct rtl8139 *d, bool up);

/* ---- between the rtl8139 files; d->lock held ---- */

void rtl8139_irq_raise(struct rtl8139 *d, u16 causes);
/*
 * While held, causes gather in ISR without moving the interrupt line:
 * a burst of frames (a segmented TCP frame) then costs the driver one
 * interrupt, not one per frame. Letting go drives the line.
 */
void rtl8139_irq_hold(struct rtl8139 *d, bool hold);
bool rtl8139_link_up(const struct rtl8139 *d);
/* Bus mastering on: the device may read and write guest memory. */
bool rtl8139_dma_ok(const struct rtl8139 *d);
/* TCR loopback: transmitted frames come back, none leave. */
bool rtl8139_loopback(const struct rtl8139 *d);
bool rtl8139_cplus_tx(const struct rtl8139 *d);
bool rtl8139_cplus_rx(const struct rtl8139 *d);
/* Ask the main loop to look at the rings. */
void rtl8139_kick(struct rtl8139 *d);
void rtl8139_missed(struct rtl8139 *d);

/* C mode receive buffer: its size from RCR, and whether it is empty. */
u32 rtl8139_rx_buf_size(const struct rtl8139 *d);
bool rtl8139_rx_buf_empty(const struct rtl8139 *d);
ssize_t rtl8139_rx_receive(struct rtl8139 *d, const struct iovec *iov,
			   int iovcnt);
/* A transmitted frame in loopback mode; lost when there is no room. */
void rtl8139_rx_loopback(struct rtl8139 *d, const u8 *frame, size_t len);
/* The driver may have made room: wake a back end that had to wait. */
void rtl8139_rx_refilled(struct rtl8139 *d);

/* Internet checksum of len bytes at p added to sum; fold to 16 bits. */

int rtl8139_tx_init(struct rtl8139_tx *tx);
void rtl8139_tx_exit(struct rtl8139_tx *tx);
/* Drop what is half gathered or half sent (reset, transmitter off). */
void rtl8139_tx_reset(struct rtl8139 *d);
/* A C mode TSD write: slot i goes out when its OWN bit is clear. */
void rtl8139_tx_slot_write(struct rtl8139 *d, unsigned int i, u32 val);
/* Send what the slots and the polled rings hold. */
void rtl8139_tx_run(struct rtl8139 *d);
/* The back end has room again. */
void rtl8139_tx_wake(struct rtl8139 *d);
/*
 * TxPoll, on the vCPU thread: take the packets off the C+ rings now and
 * leave the sending to the loop (rtl8139_tx.c says why).
 */
void rtl8139_tx_stage(struct rtl8139 *d);

#endif
