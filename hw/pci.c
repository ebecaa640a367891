// SPDX-License-Identifier: GPL-2.0
/*
 * PCI bus 0: config mechanism #1 (0xCF8/0xCFC), an ECAM window, the
 * standard type-0 header of every device, BAR sizing and moves, INTx.
 *
 * Locking. Config accesses come from vCPU threads through two doors, the
 * 0xCF8-0xCFF ports on the pio bus and the ECAM window on the mmio bus;
 * bus->lock makes each access, and the BAR moves it causes, one step.
 * Moving a BAR calls bus_register/bus_unregister, which take that bus's
 * rwlock for writing. That is safe even for an I/O BAR moved by a config
 * write that itself arrived on the pio bus, because bus_access drops its
 * read lock before it calls a handler (see kvm/bus.h). Lock order:
 * bus->lock, then whatever a device hook takes (its own lock, MSI-X),
 * then the buses' rwlocks; intx_lock is innermost and nothing but
 * irq_line_set runs under it.
 */
#include <errno.h>
#include <string.h>

#include "hw/pci.h"
#include "knit/le.h"

#define HOST_BRIDGE_VENDOR	0x8086	/* 82G33/P35 MCH, as Q35 has it: */
#define HOST_BRIDGE_DEVICE	0x29c0	/* no Linux quirk or ECAM probe */
#define HOST_BRIDGE_CLASS	0x060000

#define PORT_CF8		0xcf8	/* CONFIG_ADDRESS; CONFIG_DATA at +4 */
#define CF8_ENABLE		0x80000000u
#define ECAM_BUS_SIZE		(PCI_MAX_SLOTS * 8 * PCI_ECAM_SIZE)
#define IO_SPACE_END		0x10000ULL

static bool overlaps(u32 off, u32 len, u32 reg, u32 reg_len)
{
	return off < reg + reg_len && reg < off + len;
}

void pci_dev_init(struct pci_dev *dev, u16 vendor, u16 device, u32 class,
		  u8 revision, u16 subsys_vendor, u16 subsys_id)
{
	u8 *c = dev->config;

	memset(dev, 0, sizeof(*dev));
	put_le16(c + PCI_CFG_VENDOR_ID, vendor);
	put_le16(c + PCI_CFG_DEVICE_ID, device);
	c[PCI_CFG_REVISION] = revision;
	c[PCI_CFG_CLASS] = class;
	c[PCI_CFG_CLASS + 1] = class >> 8;
	c[PCI_CFG_CLASS + 2] = class >> 16;
	put_le16(c + PCI_CFG_SUBSYS_VENDOR, subsys_vendor);
	put_le16(c + PCI_CFG_SUBSYS_ID, subsys_id);
	put_le16(dev->wmask + PCI_CFG_COMMAND, PCI_CMD_IO | PCI_CMD_MEM |
		  PCI_CMD_MASTER | PCI_CMD_INTX_DISABLE);
	/* Scratch registers to knit; firmware and Linux write them. */
	dev->wmask[PCI_CFG_CACHE_LINE] = 0xff;
	dev->wmask[PCI_CFG_LATENCY] = 0xff;
	dev->wmask[PCI_CFG_INT_LINE] = 0xff;
	dev->cap_end = PCI_CFG_HEADER_END;
}

/* A BAR register is taken by a BAR or by the upper half of a 64-bit one. */
static bool bar_reg_taken(const struct pci_dev *dev, int i)
{
	return dev->bars[i].size ||
	       get_le32(dev->wmask + PCI_CFG_BAR0 + 4 * i);
}

static int bar_check(const struct pci_dev *dev, int i, u64 size, u32 flags)
{
	bool is64 = flags & PCI_BAR_MEM64;

	if (i < 0 || i >= PCI_NR_BARS || (is64 && i == PCI_NR_BARS - 1))
		return -EINVAL;
	if (size < 16 || (size & (size - 1)))
		return -EINVAL;
	if (flags & ~(PCI_BAR_IO | PCI_BAR_MEM64 | PCI_BAR_PREFETCH))
		return -EINVAL;
	if ((flags & PCI_BAR_IO) && (flags != PCI_BAR_IO || size > 256))
		return -EINVAL;
	if (!is64 && size > (1ULL << 31))
		return -EINVAL;
	if (bar_reg_taken(dev, i) || (is64 && bar_reg_taken(dev, i + 1)))
		return -EBUSY;
	return 0;
}

/*
 * The read-only low bits of a BAR are its flags (PCI_BAR_* match the
 * register's encoding), the address bits below the size are read-only
 * zeros: so a guest that writes all-ones reads back ~(size - 1) | flags
 * without any special case.
 */
int pci_dev_add_bar(struct pci_dev *dev, int i, u64 size, u32 flags,
		    const struct bus_ops *ops, void *opaque)
{
	u32 reg = PCI_CFG_BAR0 + 4 * i;
	u64 mask = ~(size - 1);
	int ret;

	ret = bar_check(dev, i, size, flags);
	if (ret)
		return ret;
	if (!ops)
		return -EINVAL;
	dev->bars[i] = (struct pci_bar){
		.size = size, .flags = flags, .ops = ops, .opaque = opaque,
	};
	put_le32(dev->config + reg, flags);
	put_le32(dev->wmask + reg, (u32)mask & (flags & PCI_BAR_IO ? ~3u :
						   ~0xfu));
	if (flags & PCI_BAR_MEM64)
		put_le32(dev->wmask + reg + 4, mask >> 32);
	return 0;
}

int pci_dev_add_cap(struct pci_dev *dev, u8 id, const void *body, u32 len)
{
	u32 off = MAX(dev->cap_end, (u32)PCI_CFG_HEADER_END);
	u8 *link = &dev->config[PCI_CFG_CAP_PTR];
	int hops = 0;

	if (len > PCI_CFG_SIZE || off + 2 + len > PCI_CFG_SIZE)
		return -ENOSPC;
	dev->config[off] = id;
	dev->config[off + 1] = 0;
	memcpy(&dev->config[off + 2], body, len);
	/* Chains knit built end in 0; hops only guards against a bad one. */
	while (*link && hops++ < PCI_CFG_SIZE / 4)
		link = &dev->config[*link + 1];
	*link = off;
	dev->config[PCI_CFG_STATUS] |= PCI_STATUS_CAP_LIST;
	dev->cap_end = ALIGN_UP(off + 2 + len, 4);
	return off;
}

static struct bus *bar_bus(const struct pci_dev *dev, int i)
{
	return dev->bars[i].flags & PCI_BAR_IO ? dev->bus->pio : dev->bus->mmio;
}

static u64 bar_reg_addr(const struct pci_dev *dev, int i)
{
	const u8 *reg = dev->config + PCI_CFG_BAR0 + 4 * i;
	u32 flags = dev->bars[i].flags;

	if (flags & PCI_BAR_IO)
		return get_le32(reg) & ~3u;
	if (flags & PCI_BAR_MEM64)
		return (get_le32(reg) & ~0xfu) | (u64)get_le32(reg + 4) << 32;
	return get_le32(reg) & ~0xfu;
}

/*
 * Where BAR i decodes given the header as it is now: 0 when its decode
 * bit is off, it holds no address, or the address cannot be mapped
 * (wraps around, or an I/O range past 64K). Half-written 64-bit BARs
 * and sizing with decode left on land at odd addresses for a moment;
 * hardware decodes those too.
 */
static u64 bar_target(const struct pci_dev *dev, int i)
{
	const struct pci_bar *bar = &dev->bars[i];
	u16 cmd = get_le16(dev->config + PCI_CFG_COMMAND);
	bool io = bar->flags & PCI_BAR_IO;
	u64 addr = bar_reg_addr(dev, i);

	if (!bar->size || !addr || !(cmd & (io ? PCI_CMD_IO : PCI_CMD_MEM)))
		return 0;
	if (addr + bar->size - 1 < addr)
		return 0;
	if (io && addr + bar->size > IO_SPACE_END)
		return 0;
	return addr;
}

/* Make BAR i's bus window match the header; call with bus->lock held. */
static void bar_update(struct pci_dev *dev, int i)
{
	struct pci_bar *bar = &dev->bars[i];
	u64 target = bar_target(dev, i);
	u64 old = bar->mapped ? bar->addr : 0;

	if (old == target)
		return;
	if (bar->mapped)
		bus_unregister(bar_bus(dev, i), bar->addr);
	bar->mapped = false;
	bar->addr = 0;
	/* A BAR put over another window stays dark, like a decode clash. */
	if (target && !bus_register(bar_bus(dev, i), target, bar->size,
				    bar->ops, bar->opaque)) {
		bar->mapped = true;
		bar->addr = target;
	}
	if (old != bar->addr && dev->ops && dev->ops->bar_moved)
		dev->ops->bar_moved(dev, i, old, bar->addr);
}

static void bars_update(struct pci_dev *dev)
{
	int i;

	for (i = 0; i < PCI_NR_BARS; i++)
		if (dev->bars[i].size)
			bar_update(dev, i);
}

static bool intx_asserted(const struct pci_dev *dev)
{
	return (dev->config[PCI_CFG_STATUS] & PCI_STATUS_INTX) &&
	       !(get_le16(dev->config + PCI_CFG_COMMAND) &
		 PCI_CMD_INTX_DISABLE);
}

/*
 * Devices on one line share it as a wired OR: the line is high while any
 * of them asserts. Call with intx_lock held.
 */
static void intx_update(struct pci_bus *bus, struct irq_line *line)
{
	int level = 0;
	int i;

	if (!line)
		return;
	for (i = 0; i < PCI_MAX_SLOTS; i++) {
		struct pci_dev *d = bus->slots[i];

		if (d && d->intx == line && intx_asserted(d))
			level = 1;
	}
	irq_line_set(line, level);
}

void pci_dev_set_intx(struct pci_dev *dev, int level)
{
	struct pci_bus *bus = dev->bus;
	u8 *status = &dev->config[PCI_CFG_STATUS];
	u8 want = level ? PCI_STATUS_INTX : 0;

	if (!bus)
		return;
	pthread_mutex_lock(&bus->intx_lock);
	if ((*status & PCI_STATUS_INTX) != want) {
		*status = (*status & ~PCI_STATUS_INTX) | want;
		intx_update(bus, dev->intx);
	}
	pthread_mutex_unlock(&bus->intx_lock);
}

static struct pci_dev *dev_at(struct pci_bus *bus, u8 devfn)
{
	/* Every knit device is single-function. */
	if (devfn & 7)
		return NULL;
	return bus->slots[devfn >> 3];
}

/* 1, 2 or 4 bytes inside one dword: anything else is not a config cycle. */
static bool access_ok(u32 offset, u32 len)
{
	return (len == 1 || len == 2 || len == 4) && (offset & 3) + len <= 4;
}

void pci_config_read(struct pci_bus *bus, u8 devfn, u32 offset, void *data,
		     u32 len)
{
	struct pci_dev *dev = dev_at(bus, devfn);

	if (!dev || !access_ok(offset, len) || offset >= PCI_ECAM_SIZE) {
		memset(data, 0xff, len);
		return;
	}
	if (offset >= PCI_CFG_SIZE) {
		memset(data, 0, len);
		return;
	}
	pthread_mutex_lock(&bus->lock);
	pthread_mutex_lock(&bus->intx_lock);
	memcpy(data, &dev->config[offset], len);
	pthread_mutex_unlock(&bus->intx_lock);
	if (offset >= PCI_CFG_HEADER_END && dev->ops && dev->ops->config_read)
		dev->ops->config_read(dev, offset, data, len);
	pthread_mutex_unlock(&bus->lock);
}

static void store_masked(struct pci_bus *bus, struct pci_dev *dev, u32 offset,
			 const u8 *src, u32 len)
{
	u32 i;

	pthread_mutex_lock(&bus->intx_lock);
	for (i = 0; i < len; i++) {
		u8 m = dev->wmask[offset + i];
		u8 *b = &dev->config[offset + i];

		*b = (*b & ~m) | (src[i] & m);
	}
	if (overlaps(offset, len, PCI_CFG_COMMAND, 2))
		intx_update(bus, dev->intx);
	pthread_mutex_unlock(&bus->intx_lock);
}

/* The BAR whose register holds offset (the lower one for a 64-bit pair). */
static int bar_of(const struct pci_dev *dev, u32 offset)
{
	int i = (offset - PCI_CFG_BAR0) / 4;

	if (i > 0 && (dev->bars[i - 1].flags & PCI_BAR_MEM64))
		return i - 1;
	return i;
}

void pci_config_write(struct pci_bus *bus, u8 devfn, u32 offset,
		      const void *data, u32 len)
{
	struct pci_dev *dev = dev_at(bus, devfn);

	if (!dev || !access_ok(offset, len) || offset >= PCI_CFG_SIZE)
		return;
	pthread_mutex_lock(&bus->lock);
	store_masked(bus, dev, offset, data, len);
	if (overlaps(offset, len, PCI_CFG_COMMAND, 2))
		bars_update(dev);
	else if (overlaps(offset, len, PCI_CFG_BAR0, 4 * PCI_NR_BARS))
		bar_update(dev, bar_of(dev, offset));
	if (offset >= PCI_CFG_HEADER_END && dev->ops && dev->ops->config_write)
		dev->ops->config_write(dev, offset, data, len);
	pthread_mutex_unlock(&bus->lock);
}

/* Offsets from 0xCF8: 0-3 CONFIG_ADDRESS, 4-7 CONFIG_DATA. */
static bool cfc_target(struct pci_bus *bus, u64 port_off, u8 *devfn,
		       u32 *reg)
{
	u32 cf8;

	pthread_mutex_lock(&bus->lock);
	cf8 = bus->cf8;
	pthread_mutex_unlock(&bus->lock);
	/* Bus 0 is the only bus; bits 27:24 (AMD's extended reg) ignored. */
	if (!(cf8 & CF8_ENABLE) || ((cf8 >> 16) & 0xff))
		return false;
	*devfn = cf8 >> 8;
	*reg = (cf8 & 0xfc) + (u32)(port_off - 4);
	return true;
}

static void cf8_read(void *opaque, u64 off, void *data, u32 len)
{
	struct pci_bus *bus = opaque;
	u8 devfn;
	u32 reg;

	if (off >= 4) {
		if (cfc_target(bus, off, &devfn, &reg))
			pci_config_read(bus, devfn, reg, data, len);
		else
			memset(data, 0xff, len);
		return;
	}
	/* Only a whole dword at 0xCF8 is CONFIG_ADDRESS. */
	if (off == 0 && len == 4) {
		pthread_mutex_lock(&bus->lock);
		put_le32(data, bus->cf8);
		pthread_mutex_unlock(&bus->lock);
	} else if (off == 1 && len == 1 && bus->cf9_ops &&
		   bus->cf9_ops->read) {
		bus->cf9_ops->read(bus->cf9_opaque, 0, data, len);
	} else {
		memset(data, 0xff, len);
	}
}

static void cf8_write(void *opaque, u64 off, const void *data, u32 len)
{
	struct pci_bus *bus = opaque;
	u8 devfn;
	u32 reg;

	if (off >= 4) {
		if (cfc_target(bus, off, &devfn, &reg))
			pci_config_write(bus, devfn, reg, data, len);
		return;
	}
	if (off == 0 && len == 4) {
		pthread_mutex_lock(&bus->lock);
		bus->cf8 = get_le32(data) & ~3u;
		pthread_mutex_unlock(&bus->lock);
	} else if (off == 1 && len == 1 && bus->cf9_ops &&
		   bus->cf9_ops->write) {
		bus->cf9_ops->write(bus->cf9_opaque, 0, data, len);
	}
}

static const struct bus_ops cf8_ops = {
	.read = cf8_read,
	.write = cf8_write,
};

/* ECAM offset: device/function in bits 19:12, register in 11:0. */
static void ecam_read(void *opaque, u64 off, void *data, u32 len)
{
	pci_config_read(opaque, off >> 12, off & 0xfff, data, len);
}

static void ecam_write(void *opaque, u64 off, const void *data, u32 len)
{
	pci_config_write(opaque, off >> 12, off & 0xfff, data, len);
}

static const struct bus_ops ecam_ops = {
	.read = ecam_read,
	.write = ecam_write,
};

static int pci_bus_claim(struct pci_bus *bus)
{
	int ret;

	ret = bus_register(bus->pio, PORT_CF8, 8, &cf8_ops, bus);
	if (ret) {
		pr_err("PCI: ports 0xcf8-0xcff are taken");
		return ret;
	}
	ret = bus_register(bus->mmio, bus->ecam_base, ECAM_BUS_SIZE,
			   &ecam_ops, bus);
	if (ret) {
		pr_err("PCI: ECAM window at 0x%llx is taken",
		       (unsigned long long)bus->ecam_base);
		bus_unregister(bus->pio, PORT_CF8);
	}
	return ret;
}

int pci_bus_init(struct pci_bus *bus, struct bus *pio, struct bus *mmio,
		 u64 ecam_base, u64 mem_base, u64 mem_size, u32 io_base,
		 u32 io_size)
{
	bool bad = mem_base + mem_size < mem_base ||
		   (u64)io_base + io_size > IO_SPACE_END ||
		   !IS_ALIGNED(ecam_base, ECAM_BUS_SIZE);
	int ret;

	if (bad)
		return -EINVAL;
	memset(bus, 0, sizeof(*bus));
	bus->pio = pio;
	bus->mmio = mmio;
	bus->ecam_base = ecam_base;
	bus->mem_base = bus->mem_next = mem_base;
	bus->mem_end = mem_base + mem_size;
	bus->io_next = io_base;
	bus->io_end = io_base + io_size;
	pci_dev_init(&bus->host_bridge, HOST_BRIDGE_VENDOR, HOST_BRIDGE_DEVICE,
		     HOST_BRIDGE_CLASS, 0, 0, 0);
	bus->host_bridge.bus = bus;
	bus->slots[0] = &bus->host_bridge;
	pthread_mutex_init(&bus->lock, NULL);
	pthread_mutex_init(&bus->intx_lock, NULL);
	ret = pci_bus_claim(bus);
	if (ret) {
		pthread_mutex_destroy(&bus->lock);
		pthread_mutex_destroy(&bus->intx_lock);
	}
	return ret;
}

/*
 * Take a device off its bus before it is freed: the bus would look at
 * its BARs again when it goes (pci_bus_exit). The vCPUs are stopped.
 */
void pci_bus_remove(struct pci_dev *dev)
{
	struct pci_bus *bus = dev->bus;
	int i;

	if (!bus)
		return;
	pci_dev_set_intx(dev, 0);
	pthread_mutex_lock(&bus->lock);
	for (i = 0; i < PCI_NR_BARS; i++) {
		struct pci_bar *bar = &dev->bars[i];

		if (!bar->mapped)
			continue;
		bus_unregister(bar->flags & PCI_BAR_IO ? bus->pio : bus->mmio,
			       bar->addr);
		bar->mapped = false;
	}
	pthread_mutex_lock(&bus->intx_lock);
	if (bus->slots[dev->slot] == dev)
		bus->slots[dev->slot] = NULL;
	pthread_mutex_unlock(&bus->intx_lock);
	pthread_mutex_unlock(&bus->lock);
	dev->bus = NULL;
}

/* Call once the vCPUs are stopped: handlers may run until then. */
void pci_bus_exit(struct pci_bus *bus)
{
	int s, i;

	for (s = 0; s < PCI_MAX_SLOTS; s++) {
		struct pci_dev *dev = bus->slots[s];

		for (i = 0; dev && i < PCI_NR_BARS; i++)
			if (dev->bars[i].mapped)
				bus_unregister(bar_bus(dev, i),
					       dev->bars[i].addr);
	}
	bus_unregister(bus->pio, PORT_CF8);
	bus_unregister(bus->mmio, bus->ecam_base);
	pthread_mutex_destroy(&bus->lock);
	pthread_mutex_destroy(&bus->intx_lock);
}

/* Set while the machine is built, before any vCPU can reach the ports. */
void pci_bus_set_cf9(struct pci_bus *bus, const struct bus_ops *ops,
		     void *opaque)
{
	bus->cf9_ops = ops;
	bus->cf9_opaque = opaque;
}

/* Give each BAR a naturally aligned home in its window; none on -ENOSPC. */
static int place_bars(struct pci_bus *bus, struct pci_dev *dev)
{
	u64 mem_next = bus->mem_next;
	u64 io_next = bus->io_next;
	int i;

	for (i = 0; i < PCI_NR_BARS; i++) {
		struct pci_bar *bar = &dev->bars[i];
		u8 *reg = dev->config + PCI_CFG_BAR0 + 4 * i;
		u64 addr;

		if (!bar->size)
			continue;
		if (bar->flags & PCI_BAR_IO) {
			addr = ALIGN_UP(io_next, bar->size);
			if (addr + bar->size > bus->io_end)
				return -ENOSPC;
			io_next = addr + bar->size;
		} else {
			addr = ALIGN_UP(mem_next, bar->size);
			if (addr < mem_next || addr + bar->size > bus->mem_end)
				return -ENOSPC;
			mem_next = addr + bar->size;
		}
		put_le32(reg, (u32)addr | bar->flags);
		if (bar->flags & PCI_BAR_MEM64)
			put_le32(reg + 4, addr >> 32);
	}
	bus->mem_next = mem_next;
	bus->io_next = io_next;
	return 0;
}

int pci_bus_add(struct pci_bus *bus, struct pci_dev *dev,
		struct irq_line *intx)
{
	int slot, ret;

	pthread_mutex_lock(&bus->lock);
	for (slot = 1; slot < PCI_MAX_SLOTS && bus->slots[slot]; slot++)
		;
	ret = slot < PCI_MAX_SLOTS ? place_bars(bus, dev) : -ENOSPC;
	if (ret)
		goto out;
	dev->slot = slot;
	dev->bus = bus;
	dev->intx = intx;
	if (intx) {
		dev->config[PCI_CFG_INT_PIN] = 1;	/* INTA# */
		dev->config[PCI_CFG_INT_LINE] = intx->gsi;
	}
	pthread_mutex_lock(&bus->intx_lock);
	bus->slots[slot] = dev;
	pthread_mutex_unlock(&bus->intx_lock);
	ret = slot;
out:
	pthread_mutex_unlock(&bus->lock);
	return ret;
}
