/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_HW_PCI_H
#define KNIT_HW_PCI_H

#include <pthread.h>

#include "knit/util.h"
#include "kvm/bus.h"
#include "kvm/irq.h"

/*
 * PCI bus 0 of a knit machine: a host bridge at 00.0, config space through
 * ports 0xCF8/0xCFC and an ECAM window, and BARs placed by knit in a
 * memory window below 4 GiB. A device is a struct pci_dev with an ops
 * table; pci.c handles the standard header (IDs, command, BAR sizing and
 * moves, interrupt line/pin, capability list) and hands the rest to the
 * device.
 */

#define PCI_CFG_SIZE		256	/* conventional config space */
#define PCI_ECAM_SIZE		4096	/* per function in ECAM; rest reads 0 */
#define PCI_MAX_SLOTS		32
#define PCI_NR_BARS		6

#define PCI_BAR_IO		0x1	/* flags for pci_dev_add_bar() */
#define PCI_BAR_MEM64		0x4
#define PCI_BAR_PREFETCH	0x8

/* Type-0 header registers and the bits pci.c acts on. */
#define PCI_CFG_VENDOR_ID	0x00
#define PCI_CFG_DEVICE_ID	0x02
#define PCI_CFG_COMMAND		0x04
#define PCI_CFG_STATUS		0x06
#define PCI_CFG_REVISION	0x08
#define PCI_CFG_CLASS		0x09	/* prog-if, subclass, class */
#define PCI_CFG_CACHE_LINE	0x0c
#define PCI_CFG_LATENCY		0x0d
#define PCI_CFG_HEADER_TYPE	0x0e
#define PCI_CFG_BAR0		0x10
#define PCI_CFG_SUBSYS_VENDOR	0x2c
#define PCI_CFG_SUBSYS_ID	0x2e
#define PCI_CFG_ROM		0x30
#define PCI_CFG_CAP_PTR		0x34
#define PCI_CFG_INT_LINE	0x3c
#define PCI_CFG_INT_PIN		0x3d
#define PCI_CFG_HEADER_END	0x40	/* capabilities start here */

#define PCI_CMD_IO		0x0001
#define PCI_CMD_MEM		0x0002
#define PCI_CMD_MASTER		0x0004
#define PCI_CMD_INTX_DISABLE	0x0400
#define PCI_STATUS_INTX		0x0008
#define PCI_STATUS_CAP_LIST	0x0010

struct pci_dev;

struct pci_dev_ops {
	/*
	 * Config accesses at offsets pci.c does not handle itself (past the
	 * standard header: device-specific capability contents). Writes to
	 * bytes marked writable are already stored in config[]; this hook
	 * sees them afterwards. Either may be NULL.
	 */
	void (*config_read)(struct pci_dev *dev, u32 offset, void *data,
			    u32 len);
	void (*config_write)(struct pci_dev *dev, u32 offset,
			     const void *data, u32 len);
	/*
	 * A BAR moved (or decoding was switched: addr 0 means "not
	 * decoding"); devices with ioeventfds in that BAR re-register them.
	 */
	void (*bar_moved)(struct pci_dev *dev, int bar, u64 old_addr,
			  u64 new_addr);
};

struct pci_bar {
	u64 size;		/* power of two; 0: BAR unused */
	u32 flags;		/* PCI_BAR_* */
	u64 addr;		/* where it decodes now */
	bool mapped;		/* registered on a bus at addr */
	const struct bus_ops *ops;	/* offsets relative to the BAR */
	void *opaque;
};

struct pci_dev {
	u8 config[PCI_CFG_SIZE];
	u8 wmask[PCI_CFG_SIZE];	/* bits the guest may change */
	struct pci_bar bars[PCI_NR_BARS];
	u8 slot;		/* device number on bus 0 */
	u8 cap_end;		/* where the next capability goes */
	struct irq_line *intx;	/* INTx line, or NULL */
	const struct pci_dev_ops *ops;
	void *opaque;
	struct pci_bus *bus;
};

struct pci_bus {
	struct pci_dev *slots[PCI_MAX_SLOTS];
	struct pci_dev host_bridge;
	struct bus *pio;
	struct bus *mmio;
	u32 cf8;		/* CONFIG_ADDRESS latch */
	u64 ecam_base;
	u64 mem_base, mem_next, mem_end;	/* window for memory BARs */
	u32 io_next, io_end;			/* window for I/O BARs */
	pthread_mutex_t lock;
	/*
	 * Leaf lock for INTx: devices raise it from their own threads with
	 * their own locks held, so it cannot wait for lock (held across
	 * device hooks). Guards the command/status bytes and the lines.
	 */
	pthread_mutex_t intx_lock;
	/* Byte accesses to port 0xCF9 (PC reset control), or NULL. */
	const struct bus_ops *cf9_ops;
	void *cf9_opaque;
};

/*
 * Set up bus 0 with its host bridge, claim 0xCF8-0xCFF on pio and the
 * ECAM window [ecam_base, +1 MiB) on mmio; memory BARs are placed in
 * [mem_base, mem_base + mem_size), I/O BARs in [io_base, io_base+io_size).
 */
int pci_bus_init(struct pci_bus *bus, struct bus *pio, struct bus *mmio,
		 u64 ecam_base, u64 mem_base, u64 mem_size, u32 io_base,
		 u32 io_size);
void pci_bus_exit(struct pci_bus *bus);
/*
 * 0xCF9 sits inside CONFIG_ADDRESS; on a PC it is the reset control
 * register, reached by byte accesses. The machine hands its handler here
 * since the bus owns the whole 0xCF8-0xCFF window.
 */
void pci_bus_set_cf9(struct pci_bus *bus, const struct bus_ops *ops,
		     void *opaque);

/* Fill a type-0 header; class is the 24-bit class code. */
void pci_dev_init(struct pci_dev *dev, u16 vendor, u16 device, u32 class,
		  u8 revision, u16 subsys_vendor, u16 subsys_id);
/* Declare BAR bar (size a power of two, at least 16) and its accessors. */
int pci_dev_add_bar(struct pci_dev *dev, int bar, u64 size, u32 flags,
		    const struct bus_ops *ops, void *opaque);
/*
 * Append a capability: id, then body (len bytes, without the id/next
 * pair). Returns the capability's offset, or -ENOSPC.
 */
int pci_dev_add_cap(struct pci_dev *dev, u8 id, const void *body, u32 len);
/*
 * Put dev in the first free slot, place its BARs, enable nothing until
 * the guest sets the command register. gsi is its INTx line (pin A), or
 * NULL for none. Returns the slot or -ENOSPC.
 */
/* Off the bus before the device is freed (vCPUs stopped). */
void pci_bus_remove(struct pci_dev *dev);
int pci_bus_add(struct pci_bus *bus, struct pci_dev *dev,
		struct irq_line *intx);

/* Raise or lower INTx, honouring the command register's disable bit. */
void pci_dev_set_intx(struct pci_dev *dev, int level);

/* Config space access as the guest sees it (bus 0, devfn, offset). */
void pci_config_read(struct pci_bus *bus, u8 devfn, u32 offset, void *data,
		     u32 len);
void pci_config_write(struct pci_bus *bus, u8 devfn, u32 offset,
		      const void *data, u32 len);

#endif
