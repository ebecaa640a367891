/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_RTL8139_REGS_H
#define KNIT_HW_RTL8139_REGS_H

/*
 * Realtek RTL8139C/RTL8139C+ register offsets, bits and descriptor
 * layouts, after the RTL8139C(L)+ datasheet and as Linux's 8139too and
 * 8139cp drivers use them. Only what knit's model uses or stores.
 */

/* ---- register offsets, the same in the I/O and the memory BAR ---- */
#define RTL8139_IDR0		0x00	/* station address, 6 bytes */
#define RTL8139_MAR0		0x08	/* multicast hash, 8 bytes */
#define RTL8139_TSD0		0x10	/* C mode: status of tx slots 0-3 */
#define RTL8139_DTCCR		0x10	/* C+ mode: tally dump, 64 bits */
#define RTL8139_TSAD0		0x20	/* C mode: buffers of tx slots 0-3 */
#define RTL8139_TNPDS		0x20	/* C+ mode: normal priority tx ring */
#define RTL8139_THPDS		0x28	/* C+ mode: high priority tx ring */
#define RTL8139_RBSTART		0x30	/* C mode: receive buffer */
#define RTL8139_ERBCR		0x34
#define RTL8139_ERSR		0x36
#define RTL8139_CR		0x37	/* command */
#define RTL8139_CAPR		0x38	/* where the driver reads, less 16 */
#define RTL8139_CBR		0x3a	/* where the chip writes next */
#define RTL8139_IMR		0x3c
#define RTL8139_ISR		0x3e
#define RTL8139_TCR		0x40
#define RTL8139_RCR		0x44
#define RTL8139_TCTR		0x48	/* free-running timer */
#define RTL8139_MPC		0x4c	/* missed packets, 24 bits */
#define RTL8139_9346CR		0x50	/* EEPROM pins, config lock */
#define RTL8139_CONFIG0		0x51
#define RTL8139_CONFIG1		0x52
#define RTL8139_TIMERINT	0x54
#define RTL8139_MSR		0x58	/* media status */
#define RTL8139_CONFIG3		0x59
#define RTL8139_CONFIG4		0x5a
#define RTL8139_HLTCLK		0x5b
#define RTL8139_MULINT		0x5c
#define RTL8139_RERID		0x5e
#define RTL8139_TSAD		0x60	/* summary of the four TSDs */
#define RTL8139_BMCR		0x62	/* the built-in PHY: 0x62-0x6b */
#define RTL8139_BMSR		0x64
#define RTL8139_ANAR		0x66
#define RTL8139_ANLPAR		0x68
#define RTL8139_ANER		0x6a
#define RTL8139_CSCR		0x74
#define RTL8139_CONFIG5		0xd8
#define RTL8139_TPPOLL		0xd9	/* C+ mode: tx poll */
#define RTL8139_CPCR		0xe0	/* C+ command */
#define RTL8139_INTRMIT		0xe2	/* interrupt mitigation */
#define RTL8139_RDSAR		0xe4	/* C+ mode: rx ring, 64 bits */
#define RTL8139_ETTHR		0xec
#define RTL8139_REGS_SIZE	0x100

/* ---- CR ---- */
#define RTL8139_CR_BUFE		0x01	/* receive buffer empty */
#define RTL8139_CR_TE		0x04
#define RTL8139_CR_RE		0x08
#define RTL8139_CR_RST		0x10

/* ---- ISR and IMR (C+ names where the bit means something else) ---- */
#define RTL8139_INT_ROK		0x0001
#define RTL8139_INT_RER		0x0002
#define RTL8139_INT_TOK		0x0004
#define RTL8139_INT_TER		0x0008
#define RTL8139_INT_RXOVW	0x0010	/* C mode: buffer overflow */
#define RTL8139_INT_RDU		0x0010	/* C+ mode: no rx descriptor */
#define RTL8139_INT_LINKCHG	0x0020	/* also packet underrun */
#define RTL8139_INT_FOVW	0x0040
#define RTL8139_INT_TDU		0x0080	/* C+ mode: tx ring ran empty */
#define RTL8139_INT_SWINT	0x0100
#define RTL8139_INT_LENCHG	0x2000
#define RTL8139_INT_TIMEOUT	0x4000
#define RTL8139_INT_SERR	0x8000
#define RTL8139_INT_ALL		0xe1ff

/* ---- TSD ---- */
#define RTL8139_TSD_SIZE	0x00001fff
#define RTL8139_TSD_OWN		0x00002000	/* DMA done: the slot is free */
#define RTL8139_TSD_TUN		0x00004000
#define RTL8139_TSD_TOK		0x00008000
#define RTL8139_TSD_ERTXTH	0x003f0000
#define RTL8139_TSD_TABT	0x40000000
#define RTL8139_TSD_MAX		1792	/* the longest frame a slot takes */

/* ---- TCR ---- */
#define RTL8139_TCR_CLRABT	0x00000001
#define RTL8139_TCR_LBK		0x00060000	/* 11: loopback */
#define RTL8139_TCR_HWREV	0x7cc00000
#define RTL8139_TCR_RW		0x030707f0	/* IFG, LBK, CRC, MXDMA, TXRR */
#define RTL8139_HWREV_8139C	0x74000000
#define RTL8139_HWREV_8139CP	0x74800000

/* ---- RCR ---- */
#define RTL8139_RCR_AAP		0x00000001	/* any physical address */
#define RTL8139_RCR_APM		0x00000002	/* our physical address */
#define RTL8139_RCR_AM		0x00000004	/* multicast through MAR */
#define RTL8139_RCR_AB		0x00000008	/* broadcast */
#define RTL8139_RCR_WRAP	0x00000080	/* go on past the end */
#define RTL8139_RCR_RBLEN_SHIFT	11
#define RTL8139_RCR_RBLEN_MASK	0x00001800

/* ---- receive buffer packet header (C mode) ---- */
#define RTL8139_RXH_ROK		0x0001
#define RTL8139_RXH_BAR		0x2000
#define RTL8139_RXH_PAM		0x4000
#define RTL8139_RXH_MAR		0x8000

/* ---- 9346CR ---- */
#define RTL8139_EEM_SHIFT	6
#define RTL8139_EEM_NORMAL	0
#define RTL8139_EEM_AUTOLOAD	1
#define RTL8139_EEM_PROGRAM	2	/* the EEPROM pins are the driver's */
#define RTL8139_EEM_CONFIG	3	/* CONFIG0-4 writable */
#define RTL8139_EE_CS		0x08
#define RTL8139_EE_SK		0x04
#define RTL8139_EE_DI		0x02
#define RTL8139_EE_DO		0x01

/* ---- CONFIG1, MSR, CSCR ---- */
#define RTL8139_CONFIG1_IOMAP	0x04
#define RTL8139_CONFIG1_MEMMAP	0x08
#define RTL8139_MSR_LINKB	0x04	/* link down */
#define RTL8139_MSR_AUX		0x10
#define RTL8139_CSCR_LINK_OK	0x0400
#define RTL8139_CSCR_LINK_CHG	0x0800

/* ---- TPPOLL ---- */
#define RTL8139_TPPOLL_FSWINT	0x01
#define RTL8139_TPPOLL_NPQ	0x40
#define RTL8139_TPPOLL_HPQ	0x80

/* ---- CPCR ---- */
#define RTL8139_CPCR_TXON	0x0001
#define RTL8139_CPCR_RXON	0x0002
#define RTL8139_CPCR_MULRW	0x0008
#define RTL8139_CPCR_DAC	0x0010
#define RTL8139_CPCR_RXCSUM	0x0020
#define RTL8139_CPCR_RXVLAN	0x0040
#define RTL8139_CPCR_RW		0x007b

/* ---- DTCCR ---- */
#define RTL8139_DTCCR_CMD	0x00000008	/* dump now; clears when done */
#define RTL8139_TALLY_SIZE	64

/* ---- C+ descriptors: opts1, opts2, a 64-bit buffer address ---- */
#define RTL8139_DESC_SIZE	16
#define RTL8139_DESC_OWN	0x80000000	/* the chip's to use */
#define RTL8139_DESC_EOR	0x40000000	/* last of the ring */
#define RTL8139_DESC_FS		0x20000000
#define RTL8139_DESC_LS		0x10000000
/* transmit opts1 */
#define RTL8139_TXD_LGSEN	0x08000000	/* LargeSend: TSO */
#define RTL8139_TXD_MSS_SHIFT	16
#define RTL8139_TXD_MSS_MASK	0x7ff
#define RTL8139_TXD_ERR		0x00800000
#define RTL8139_TXD_IPCS	0x00040000
#define RTL8139_TXD_UDPCS	0x00020000
#define RTL8139_TXD_TCPCS	0x00010000
#define RTL8139_TXD_LEN		0x0000ffff
/* transmit opts2 */
#define RTL8139_TXD_TAGC	0x00020000	/* insert the tag below */
/* receive opts1 */
#define RTL8139_RXD_MAR		0x04000000
#define RTL8139_RXD_PAM		0x02000000
#define RTL8139_RXD_BAR		0x01000000
#define RTL8139_RXD_RES		0x00100000	/* error summary */
#define RTL8139_RXD_PID_SHIFT	16
#define RTL8139_RXD_PID_TCP	1
#define RTL8139_RXD_PID_UDP	2
#define RTL8139_RXD_PID_IP	3
#define RTL8139_RXD_IPF		0x00008000
#define RTL8139_RXD_UDPF	0x00004000
#define RTL8139_RXD_TCPF	0x00002000
#define RTL8139_RXD_LEN		0x00001fff
/* receive opts2 */
#define RTL8139_RXD_TAVA	0x00010000	/* a tag was stripped */

#endif
