// SPDX-License-Identifier: GPL-2.0
/*
 * Intel 82540EM: the register file, interrupt causes and their
 * throttling, reset, the PCI face (a 128 KiB memory BAR and a 32-byte
 * I/O window onto the same registers, INTx) and the joins to the main
 * loop and the back end. Receive and transmit live in e1000_rx.c and
 * e1000_tx.c, the EEPROM and PHY in e1000_eeprom.c and e1000_phy.c.
 *
 * Registers are 32 bits wide and the driver reaches them with 32-bit
 * accesses; a narrower read gets its bytes of the register (with the
 * register's read side effects), a narrower write is dropped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "hw/e1000.h"
#include "knit/le.h"
#include "kvm/loop.h"
#include "net/netdev.h"

#define E1000_VENDOR		0x8086
#define E1000_DEVICE		0x100e	/* 82540EM */
#define E1000_REVISION		0x03
#define E1000_SUBSYS_ID		0x001e	/* PRO/1000 MT Desktop Adapter */
#define E1000_CLASS_ETHERNET	0x020000
#define E1000_MMIO_BAR		0
#define E1000_MMIO_SIZE		0x20000
#define E1000_IO_BAR		1
#define E1000_IO_SIZE		0x20
#define E1000_ITR_UNIT_NS	256

/* ---- helpers for the other e1000 files ---- */

static u32 *reg_ptr(struct e1000 *d, u32 off)
{
	return &d->regs[off / 4];
}

void e1000_stat_add(struct e1000 *d, u32 reg, u32 n)
{
	u32 *r = reg_ptr(d, reg);

	/* Counters stick at their maximum rather than wrap. */
	*r = *r > 0xffffffffu - n ? 0xffffffffu : *r + n;
}

void e1000_stat_add64(struct e1000 *d, u32 reg_lo, u64 n)
{
	u32 *lo = reg_ptr(d, reg_lo), *hi = reg_ptr(d, reg_lo + 4);
	u64 v = (u64)*hi << 32 | *lo;

	v = v > ~0ULL - n ? ~0ULL : v + n;
	*lo = v;
	*hi = v >> 32;
}

void e1000_stat_size(struct e1000 *d, u32 base, u32 len)
{
	static const u32 bins[] = { 64, 127, 255, 511, 1023, 1522 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bins); i++) {
		if (len <= bins[i]) {
			e1000_stat_add(d, base + 4 * i, 1);
			return;
		}
	}
}

bool e1000_link_up(const struct e1000 *d)
{
	return e1000_phy_link(&d->phy);
}

bool e1000_dma_ok(const struct e1000 *d)
{
	u8 cmd = __atomic_load_n(&d->pci.config[PCI_CFG_COMMAND],
				 __ATOMIC_RELAXED);

	return cmd & PCI_CMD_MASTER;
}

bool e1000_loopback(const struct e1000 *d)
{
	return (e1000_reg(d, E1000_RCTL) & E1000_RCTL_LBM_MASK) ||
	       e1000_phy_loopback(&d->phy);
}

void e1000_kick(struct e1000 *d)
{
	u64 one = 1;

	/* One signal until the loop takes it: it reads the rings then. */
	if (d->kick_pending)
		return;
	/* Only EAGAIN at a counter near 2^64 can fail: a kick is pending. */
	if (write(d->kick_efd, &one, sizeof(one)) == sizeof(one))
		d->kick_pending = true;
}

/* ---- interrupts ---- */

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void timer_arm(struct e1000 *d, u64 when_ns)
{
	struct itimerspec its = {
		.it_value = {
			.tv_sec = when_ns / 1000000000ULL,
			.tv_nsec = when_ns % 1000000000ULL,
		},
	};

	if (d->timer_armed)
		return;
	if (!timerfd_settime(d->timer_efd, TFD_TIMER_ABSTIME, &its, NULL))
		d->timer_armed = true;
}

/*
 * INTx follows ICR & IMS. ITR sets the least time between two
 * assertions (in 256 ns units): a cause that comes sooner waits for the
 * timer. Causes gather in ICR meanwhile, so one interrupt covers them.
 */
static void irq_update(struct e1000 *d)
{
	bool want = e1000_reg(d, E1000_ICR) & e1000_reg(d, E1000_IMS);
	u32 itr = e1000_reg(d, E1000_ITR) & 0xffff;
	u64 now;

	if (!want) {
		if (d->irq_level) {
			d->irq_level = false;
			pci_dev_set_intx(&d->pci, 0);
		}
		return;
	}
	if (d->irq_level)
		return;
	if (itr) {
		now = now_ns();
		if (now < d->irq_next_ns) {
			timer_arm(d, d->irq_next_ns);
			return;
		}
		d->irq_next_ns = now + (u64)itr * E1000_ITR_UNIT_NS;
	}
	d->irq_level = true;
	pci_dev_set_intx(&d->pci, 1);
}

void e1000_irq_raise(struct e1000 *d, u32 causes)
{
	*reg_ptr(d, E1000_ICR) |= causes & E1000_ICR_ALL;
	irq_update(d);
}

/* Tell the driver when the link it sees changed. */
static void link_check(struct e1000 *d)
{
	bool up = e1000_link_up(d);

	if (up == d->link_reported)
		return;
	d->link_reported = up;
	e1000_irq_raise(d, E1000_ICR_LSC);
}

/* ---- reset ---- */

static void e1000_reset(struct e1000 *d)
{
	u32 *ra = reg_ptr(d, E1000_RA);

	d->gso.next = 0;
	memset(d->regs, 0, sizeof(d->regs));
	*reg_ptr(d, E1000_CTRL) = E1000_CTRL_FD | E1000_CTRL_SLU |
				  E1000_CTRL_SPEED_1000;
	*reg_ptr(d, E1000_VET) = 0x8100;
	*reg_ptr(d, E1000_PBA) = 0x00100030;	/* 16K tx, 48K rx */
	*reg_ptr(d, E1000_RXCSUM) = E1000_RXCSUM_IPOFL | E1000_RXCSUM_TUOFL;
	/* The MAC loads receive address 0 from the EEPROM. */
	ra[0] = get_le32(d->mac);
	ra[1] = get_le16(d->mac + 4) | E1000_RAH_AV;
	e1000_eeprom_eecd_write(&d->eeprom, E1000_EECD_FWE_DIS);
	d->irq_next_ns = 0;
	irq_update(d);
	e1000_tx_reset(d);
	/* A back end may hold a frame from before: wake it at the first RDT. */
	d->rx_starved = true;
}

/* ---- register reads and writes ---- */

static bool in_range(u32 off, u32 base, u32 size)
{
	return off >= base && off < base + size;
}

/* Registers kept as written, with no side effect. */
static bool reg_plain(u32 off)
{
	switch (off) {
	case E1000_CTRL_EXT: case E1000_FLA: case E1000_FCAL:
	case E1000_FCAH: case E1000_FCT: case E1000_VET: case E1000_FCTTV:
	case E1000_TXCW: case E1000_RXCW: case E1000_TIPG: case E1000_AIT:
	case E1000_LEDCTL: case E1000_PBA: case E1000_FCRTL: case E1000_FCRTH:
	case E1000_RDFH: case E1000_RDFT: case E1000_RDFHS: case E1000_RDFTS:
	case E1000_RDFPC: case E1000_RDTR: case E1000_RXDCTL: case E1000_RADV:
	case E1000_RSRPD: case E1000_TXDMAC: case E1000_TDFH: case E1000_TDFT:
	case E1000_TDFHS: case E1000_TDFTS: case E1000_TDFPC: case E1000_TIDV:
	case E1000_TXDCTL: case E1000_TADV: case E1000_TSPMT:
	case E1000_RXCSUM: case E1000_WUC: case E1000_WUFC: case E1000_WUS:
	case E1000_MANC: case E1000_IPAV: case E1000_WUPL:
		return true;
	}
	return in_range(off, E1000_MTA, 4 * E1000_MTA_ENTRIES) ||
	       in_range(off, E1000_RA, 8 * E1000_RA_ENTRIES) ||
	       in_range(off, E1000_VFTA, 4 * E1000_VFTA_ENTRIES) ||
	       in_range(off, E1000_IP4AT, 0x20) ||
	       in_range(off, E1000_IP6AT, 0x10) ||
	       in_range(off, E1000_WUPM, 0x80) ||
	       in_range(off, E1000_FFLT, 0x20);
}

static u32 status_read(const struct e1000 *d)
{
	if (!e1000_link_up(d))
		return 0;
	return E1000_STATUS_LU | E1000_STATUS_FD | E1000_STATUS_SPEED_1000;
}

/* Statistics clear on read; a 64-bit pair when its high half is read. */
static u32 stat_read(struct e1000 *d, u32 off)
{
	u32 v = e1000_reg(d, off);

	switch (off) {
	case E1000_GORCL: case E1000_GOTCL: case E1000_TORL: case E1000_TOTL:
		return v;
	case E1000_GORCH: case E1000_GOTCH: case E1000_TORH: case E1000_TOTH:
		*reg_ptr(d, off - 4) = 0;
		break;
	}
	*reg_ptr(d, off) = 0;
	return v;
}

static u32 reg_read(struct e1000 *d, u32 off)
{
	u32 v;

	switch (off) {
	case E1000_CTRL: case E1000_EERD: case E1000_MDIC: case E1000_ITR:
	case E1000_IMS: case E1000_RCTL: case E1000_TCTL: case E1000_RDBAL:
	case E1000_RDBAH: case E1000_RDLEN: case E1000_RDH: case E1000_RDT:
	case E1000_TDBAL: case E1000_TDBAH: case E1000_TDLEN: case E1000_TDH:
	case E1000_TDT:
		return e1000_reg(d, off);
	case E1000_STATUS:
		return status_read(d);
	case E1000_EECD:
		return e1000_eeprom_eecd_read(&d->eeprom);
	case E1000_ICR:
		/* Reading acknowledges every cause at once. */
		v = e1000_reg(d, E1000_ICR);
		*reg_ptr(d, E1000_ICR) = 0;
		irq_update(d);
		return v;
	}
	if (in_range(off, E1000_STATS, E1000_STATS_END - E1000_STATS))
		return stat_read(d, off);
	return reg_plain(off) ? e1000_reg(d, off) : 0;
}

static void ctrl_write(struct e1000 *d, u32 val)
{
	if (val & E1000_CTRL_RST) {
		/* Self-clearing; PCI config and the PHY are not touched. */
		e1000_reset(d);
		return;
	}
	if (val & E1000_CTRL_PHY_RST)
		e1000_phy_reset(&d->phy);
	*reg_ptr(d, E1000_CTRL) = val;
	link_check(d);
}

static void reg_write(struct e1000 *d, u32 off, u32 val)
{
	u32 *r;

	if (off >= E1000_REG_END)
		return;
	r = reg_ptr(d, off);

	switch (off) {
	case E1000_CTRL:
		ctrl_write(d, val);
		return;
	case E1000_EECD:
		e1000_eeprom_eecd_write(&d->eeprom, val);
		return;
	case E1000_EERD:
		*r = e1000_eeprom_eerd(&d->eeprom, val);
		return;
	case E1000_MDIC:
		*r = e1000_phy_mdic(&d->phy, val);
		if (val & E1000_MDIC_INT_EN)
			e1000_irq_raise(d, E1000_ICR_MDAC);
		link_check(d);
		return;
	case E1000_ICR:
		*r &= ~val;		/* writing ones acknowledges them */
		irq_update(d);
		return;
	case E1000_ICS:
		e1000_irq_raise(d, val);
		return;
	case E1000_IMS:
		*reg_ptr(d, E1000_IMS) |= val & E1000_ICR_ALL;
		irq_update(d);
		return;
	case E1000_IMC:
		*reg_ptr(d, E1000_IMS) &= ~val;
		irq_update(d);
		return;
	case E1000_ITR:
		*r = val & 0xffff;
		irq_update(d);
		return;
	case E1000_RCTL:
		/* On, the held frame may fit; off, it is dropped: wake. */
		*r = val;
		if (d->rx_starved)
			e1000_kick(d);
		return;
	case E1000_TCTL:
		*r = val;
		if (val & E1000_TCTL_EN)
			e1000_kick(d);
		else
			e1000_tx_reset(d);
		return;
	case E1000_RDBAL:
	case E1000_TDBAL:
		*r = val & ~0xfu;	/* rings are 16-byte aligned */
		return;
	case E1000_RDLEN:
	case E1000_TDLEN:
		*r = val & 0xfff80;	/* a multiple of 128 bytes */
		return;
	case E1000_RDBAH:
	case E1000_TDBAH:
	case E1000_RDH:
	case E1000_TDH:
		*r = off == E1000_RDBAH || off == E1000_TDBAH ? val :
							      val & 0xffff;
		return;
	case E1000_RDT:
		*r = val & 0xffff;
		if (d->rx_starved)
			e1000_kick(d);
		return;
	case E1000_TDT:
		*r = val & 0xffff;
		if (e1000_reg(d, E1000_TCTL) & E1000_TCTL_EN)
			e1000_kick(d);
		return;
	}
	if (reg_plain(off))
		*r = val;
}

/* ---- the BARs ---- */

/* Bytes [off, off + len) of 32-bit register reads, little endian. */
static void regs_read(struct e1000 *d, u64 off, void *data, u32 len)
{
	u8 buf[8];
	u32 base = off & ~3ULL, i;

	memset(data, 0, len);
	if (off >= E1000_MMIO_SIZE || (off & 3) + len > 8)
		return;
	pthread_mutex_lock(&d->lock);
	put_le32(buf, reg_read(d, base));
	if ((off & 3) + len > 4 && base + 4 < E1000_MMIO_SIZE)
		put_le32(buf + 4, reg_read(d, base + 4));
	else
		memset(buf + 4, 0, 4);
	pthread_mutex_unlock(&d->lock);
	for (i = 0; i < len; i++)
		((u8 *)data)[i] = buf[(off & 3) + i];
}

static void regs_write(struct e1000 *d, u64 off, const void *data, u32 len)
{
	const u8 *b = data;

	if (off >= E1000_MMIO_SIZE || (off & 3) || (len != 4 && len != 8))
		return;
	pthread_mutex_lock(&d->lock);
	reg_write(d, off, get_le32(b));
	if (len == 8 && off + 4 < E1000_MMIO_SIZE)
		reg_write(d, off + 4, get_le32(b + 4));
	pthread_mutex_unlock(&d->lock);
}

static void mmio_read(void *opaque, u64 off, void *data, u32 len)
{
	regs_read(opaque, off, data, len);
}

static void mmio_write(void *opaque, u64 off, const void *data, u32 len)
{
	regs_write(opaque, off, data, len);
}

static const struct bus_ops e1000_mmio_ops = {
	.read = mmio_read,
	.write = mmio_write,
};

/*
 * The I/O window: IOADDR names a register, IODATA reaches it. Both take
 * whole dwords only; the rest of the window reads 0.
 */
static void io_read(void *opaque, u64 off, void *data, u32 len)
{
	struct e1000 *d = opaque;
	u32 addr;

	memset(data, 0, len);
	if (off == E1000_IOADDR && len == 4) {
		pthread_mutex_lock(&d->lock);
		put_le32(data, d->ioaddr);
		pthread_mutex_unlock(&d->lock);
	} else if (off == E1000_IODATA && len == 4) {
		pthread_mutex_lock(&d->lock);
		addr = d->ioaddr;
		pthread_mutex_unlock(&d->lock);
		regs_read(d, addr, data, 4);
	}
}

static void io_write(void *opaque, u64 off, const void *data, u32 len)
{
	struct e1000 *d = opaque;
	u32 addr;

	if (len != 4)
		return;
	if (off == E1000_IOADDR) {
		pthread_mutex_lock(&d->lock);
		d->ioaddr = get_le32(data) & E1000_IOADDR_MASK;
		pthread_mutex_unlock(&d->lock);
	} else if (off == E1000_IODATA) {
		pthread_mutex_lock(&d->lock);
		addr = d->ioaddr;
		pthread_mutex_unlock(&d->lock);
		regs_write(d, addr, data, 4);
	}
}

static const struct bus_ops e1000_io_ops = {
	.read = io_read,
	.write = io_write,
};

/* ---- the main loop's side ---- */

/* A TDT or RDT write (or a back end's wake) left work for the loop. */
static void on_kick(void *opaque, u32 events)
{
	struct e1000 *d = opaque;
	u64 n;

	/* Nothing to read is no reason to skip a look at the rings. */
	if (read(d->kick_efd, &n, sizeof(n)) < 0)
		n = 0;
	pthread_mutex_lock(&d->lock);
	d->kick_pending = false;
	e1000_tx_run(d);
	e1000_rx_refilled(d);
	pthread_mutex_unlock(&d->lock);
}

static void on_timer(void *opaque, u32 events)
{
	struct e1000 *d = opaque;
	u64 n;

	if (read(d->timer_efd, &n, sizeof(n)) < 0)
		n = 0;
	pthread_mutex_lock(&d->lock);
	d->timer_armed = false;
	irq_update(d);
	pthread_mutex_unlock(&d->lock);
}

static ssize_t port_receive(struct net_port *port, const struct iovec *iov,
			    int iovcnt)
{
	struct e1000 *d = port->opaque;
	ssize_t ret;

	pthread_mutex_lock(&d->lock);
	ret = e1000_rx_receive(d, iov, iovcnt);
	pthread_mutex_unlock(&d->lock);
	return ret;
}

static void port_wake(struct net_port *port)
{
	struct e1000 *d = port->opaque;

	pthread_mutex_lock(&d->lock);
	e1000_tx_wake(d);
	pthread_mutex_unlock(&d->lock);
}

void e1000_set_link(struct e1000 *d, bool up)
{
	pthread_mutex_lock(&d->lock);
	d->phy.cable = up;
	link_check(d);
	pthread_mutex_unlock(&d->lock);
}

/* The back end's cable was pulled or plugged back (set-link). */
static void port_link_changed(struct net_port *port, bool up)
{
	e1000_set_link(port->opaque, up);
}

static const struct net_port_ops e1000_port_ops = {
	.receive = port_receive,
	.wake = port_wake,
	.link_changed = port_link_changed,
};

/* ---- creation ---- */

static void free_dev(struct e1000 *d)
{
	if (d->kick_efd >= 0) {
		loop_del(d->loop, d->kick_efd);
		close(d->kick_efd);
	}
	if (d->timer_efd >= 0) {
		loop_del(d->loop, d->timer_efd);
		close(d->timer_efd);
	}
	e1000_tx_exit(&d->tx);
	free(d->rx_buf);
	free(d->gso.seg);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

static int setup_fds(struct e1000 *d)
{
	int ret;

	d->kick_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->kick_efd < 0)
		return -errno;
	d->timer_efd = timerfd_create(CLOCK_MONOTONIC,
				      TFD_CLOEXEC | TFD_NONBLOCK);
	if (d->timer_efd < 0)
		return -errno;
	ret = loop_add(d->loop, d->kick_efd, EPOLLIN, on_kick, d);
	if (ret)
		return ret;
	ret = loop_add(d->loop, d->timer_efd, EPOLLIN, on_timer, d);
	if (ret)
		loop_del(d->loop, d->kick_efd);
	return ret;
}

static int setup_pci(struct e1000 *d, struct pci_bus *bus,
		     struct irq_line *intx)
{
	struct pci_dev *dev = &d->pci;
	int ret;

	pci_dev_init(dev, E1000_VENDOR, E1000_DEVICE, E1000_CLASS_ETHERNET,
		     E1000_REVISION, E1000_VENDOR, E1000_SUBSYS_ID);
	dev->opaque = d;
	ret = pci_dev_add_bar(dev, E1000_MMIO_BAR, E1000_MMIO_SIZE, 0,
			      &e1000_mmio_ops, d);
	if (!ret)
		ret = pci_dev_add_bar(dev, E1000_IO_BAR, E1000_IO_SIZE,
				      PCI_BAR_IO, &e1000_io_ops, d);
	if (!ret) {
		ret = pci_bus_add(bus, dev, intx);
		ret = ret < 0 ? ret : 0;
	}
	return ret;
}

int e1000_create(struct e1000 **out, unsigned int index, const u8 mac[6],
		 struct netdev *nd, struct pci_bus *bus,
		 struct irq_line *intx, const struct guest_mem *mem,
		 struct loop *loop)
{
	static const struct net_offloads none;
	pthread_mutexattr_t attr;
	struct e1000 *d;
	bool offloads;
	int ret;

	if (!bus)
		return -ENODEV;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->kick_efd = d->timer_efd = -1;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&d->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	snprintf(d->name, sizeof(d->name), "nic%u", index);
	d->mem = mem;
	d->loop = loop;
	memcpy(d->mac, mac, 6);
	e1000_eeprom_init(&d->eeprom, mac);
	e1000_phy_init(&d->phy);
	/* A link taken down before a reboot stays down. */
	d->phy.cable = !nd->ports[0].link_down;
	d->link_reported = e1000_link_up(d);
	d->rx_buf = malloc(E1000_RX_FRAME_MAX);
	d->gso.seg = malloc(E1000_RX_FRAME_MAX);
	d->gso.seg_size = E1000_RX_FRAME_MAX;
	ret = d->rx_buf && d->gso.seg ? e1000_tx_init(&d->tx) : -ENOMEM;
	if (!ret)
		ret = setup_fds(d);
	if (ret)
		goto fail;
	e1000_reset(d);
	/*
	 * A tap hands over TCP segments of up to 64 KiB with partial
	 * checksums, cut and finished here (net/gso.h): the host kernel
	 * then need not do it frame by frame. Other back ends, or a tap
	 * that cannot, give plain frames.
	 */
	offloads = !netdev_set_offloads(nd, &net_gso_offloads);
	if (!offloads) {
		ret = netdev_set_offloads(nd, &none);
		if (ret && ret != -ENOTSUP)
			pr_warn("%s: cannot turn off the back end's offloads",
				d->name);
	}
	/* Last: a device on the bus cannot be taken off it again. */
	ret = setup_pci(d, bus, intx);
	if (ret)
		goto fail;
	d->port = (struct net_port){
		.name = d->name,
		.ops = &e1000_port_ops,
		.vnet_hdr = offloads,
		.opaque = d,
	};
	net_port_connect(&d->port, &nd->ports[0]);
	*out = d;
	return 0;
fail:
	free_dev(d);
	return ret;
}

void e1000_destroy(struct e1000 *d)
{
	if (!d)
		return;
	pci_bus_remove(&d->pci);
	/* The back end outlives the NIC: unplug from it. */
	if (d->port.peer)
		d->port.peer->peer = NULL;
	free_dev(d);
}
