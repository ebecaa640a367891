// SPDX-License-Identifier: GPL-2.0
/*
 * MSI-X: the capability, the vector table and the pending-bit array.
 *
 * Every vector owns, for its whole life, a GSI routed to its message and
 * an eventfd. While the vector can interrupt (MSI-X enabled, function
 * and vector unmasked) the eventfd is bound to the GSI with KVM_IRQFD, so
 * a write to it from any thread, knit's or vhost's, becomes an MSI
 * without knit in the path. While it cannot, the binding is dropped and
 * the eventfd simply counts: a signal that arrives then is noticed when
 * the guest looks (a PBA read folds the count into the pending bit) or
 * when the vector wakes (the count is drained into pending, the irqfd
 * bound again, and a pending vector kicked once through it). The fd
 * never changes, so irqfd_changed is never called.
 *
 * Locking: msix->lock guards the table and pending bits; it nests inside
 * the PCI bus lock (config writes) and takes the routing lock inside.
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "hw/msix.h"
#include "hw/pci.h"
#include "knit/le.h"
#include "kvm/irq_routing.h"

#define PCI_CAP_ID_MSIX		0x11
#define MSIX_CAP_CTRL		2	/* offsets in the capability */
#define MSIX_CAP_TABLE		4
#define MSIX_CAP_PBA		8
#define MSIX_CAP_BODY		10	/* without the id/next pair */
#define MSIX_CTRL_ENABLE	0x8000
#define MSIX_CTRL_FMASK		0x4000
#define MSIX_ENTRY_MASKED	0x1
#define MSIX_NO_VECTOR		0xffff

static u32 pba_size(u16 nr)
{
	return ALIGN_UP((u32)nr, 64) / 8;
}

static bool vec_active(const struct msix *m, u16 v)
{
	return (m->ctrl & MSIX_CTRL_ENABLE) && !(m->ctrl & MSIX_CTRL_FMASK) &&
	       !(m->vec[v].ctrl & MSIX_ENTRY_MASKED);
}

static u64 vec_addr(const struct msix_vector *vec)
{
	return (u64)vec->addr_hi << 32 | vec->addr_lo;
}

static void efd_kick(int fd)
{
	u64 one = 1;

	/* Only a counter at its ceiling refuses, and it is pending then. */
	if (write(fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		pr_warn("MSI-X: cannot signal an eventfd: %s", strerror(errno));
}

/* Fold signals that came in while the irqfd was unbound into pending. */
static void vec_drain(struct msix_vector *vec)
{
	u64 count;

	if (read(vec->irqfd, &count, sizeof(count)) == sizeof(count))
		vec->pending = true;
}

static void vec_sleep(struct msix *m, u16 v)
{
	struct msix_vector *vec = &m->vec[v];

	irqfd_deassign(m->routing->vm_fd, vec->irqfd, vec->gsi);
}

/*
 * Drain before binding: a signal between the two is still seen, since
 * KVM checks the eventfd when it binds, at worst an extra interrupt.
 */
static void vec_wake(struct msix *m, u16 v)
{
	struct msix_vector *vec = &m->vec[v];
	int ret;

	ret = irq_routing_set_msi(m->routing, vec->gsi, vec_addr(vec),
				  vec->data);
	if (!ret) {
		vec_drain(vec);
		ret = irqfd_assign(m->routing->vm_fd, vec->irqfd, vec->gsi);
	}
	if (ret) {
		pr_warn("MSI-X: cannot wire vector %u: %s", v, strerror(-ret));
		return;
	}
	if (vec->pending) {
		vec->pending = false;
		efd_kick(vec->irqfd);
	}
}

static void vec_transition(struct msix *m, u16 v, bool was, bool now)
{
	if (was && !now)
		vec_sleep(m, v);
	else if (!was && now)
		vec_wake(m, v);
}

static void vec_free(struct msix *m)
{
	u16 v;

	for (v = 0; v < m->nr; v++) {
		struct msix_vector *vec = &m->vec[v];

		if (vec->irqfd >= 0)
			close(vec->irqfd);
		if (vec->gsi >= 0)
			irq_routing_remove(m->routing, vec->gsi);
		vec->irqfd = vec->gsi = -1;
	}
}

static int vec_alloc(struct msix *m)
{
	u16 v;

	for (v = 0; v < m->nr; v++) {
		m->vec[v].gsi = m->vec[v].irqfd = -1;
		m->vec[v].ctrl = MSIX_ENTRY_MASKED;	/* the reset state */
	}
	for (v = 0; v < m->nr; v++) {
		struct msix_vector *vec = &m->vec[v];

		vec->irqfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (vec->irqfd < 0)
			return -errno;
		vec->gsi = irq_routing_add_msi(m->routing, 0, 0);
		if (vec->gsi < 0)
			return vec->gsi;
	}
	return 0;
}

static int msix_check(const struct pci_dev *dev, u16 nr, int bar,
		      u32 table_off, u32 pba_off)
{
	u64 table_end = (u64)table_off + nr * MSIX_ENTRY_SIZE;
	u64 pba_end = (u64)pba_off + pba_size(nr);
	u64 size = bar >= 0 && bar < PCI_NR_BARS ? dev->bars[bar].size : 0;

	if (!nr || nr > MSIX_MAX_VECTORS || bar < 0 || bar >= PCI_NR_BARS)
		return -EINVAL;
	/* The low three bits of each offset register hold the BIR. */
	if (!IS_ALIGNED(table_off, 8) || !IS_ALIGNED(pba_off, 8))
		return -EINVAL;
	if (table_off < pba_end && pba_off < table_end)
		return -EINVAL;
	if (size && (table_end > size || pba_end > size))
		return -EINVAL;
	return 0;
}

int msix_init(struct msix *msix, struct pci_dev *dev, struct irq_routing *r,
	      u16 nr, int bar, u32 table_off, u32 pba_off)
{
	u8 body[MSIX_CAP_BODY];
	int ret, cap;

	ret = msix_check(dev, nr, bar, table_off, pba_off);
	if (ret || !r)
		return ret ? ret : -EINVAL;
	memset(msix, 0, sizeof(*msix));
	msix->dev = dev;
	msix->routing = r;
	msix->nr = nr;
	msix->bar = bar;
	msix->table_off = table_off;
	msix->pba_off = pba_off;
	ret = vec_alloc(msix);
	if (ret)
		goto fail;

	put_le16(body, nr - 1);		/* table size, N-1, bits 10:0 */
	put_le32(body + 2, table_off | bar);
	put_le32(body + 6, pba_off | bar);
	cap = pci_dev_add_cap(dev, PCI_CAP_ID_MSIX, body, sizeof(body));
	if (cap < 0) {
		ret = cap;
		goto fail;
	}
	msix->cap = cap;
	/* Only the enable and function-mask bits are the guest's to write. */
	dev->wmask[cap + MSIX_CAP_CTRL + 1] = (MSIX_CTRL_ENABLE |
					       MSIX_CTRL_FMASK) >> 8;
	pthread_mutex_init(&msix->lock, NULL);
	return 0;
fail:
	vec_free(msix);
	return ret;
}

void msix_exit(struct msix *msix)
{
	u16 v;

	for (v = 0; v < msix->nr; v++)
		if (vec_active(msix, v))
			vec_sleep(msix, v);
	vec_free(msix);
	pthread_mutex_destroy(&msix->lock);
}

bool msix_enabled(struct msix *msix)
{
	bool on;

	pthread_mutex_lock(&msix->lock);
	on = (msix->ctrl & MSIX_CTRL_ENABLE) && !(msix->ctrl & MSIX_CTRL_FMASK);
	pthread_mutex_unlock(&msix->lock);
	return on;
}

/*
 * Called from the device's config_write hook, under the PCI bus lock,
 * once pci.c has stored the writable bits: read them back from config.
 */
void msix_config_write(struct msix *msix, u32 offset, const void *data,
		       u32 len)
{
	u32 ctrl_off = msix->cap + MSIX_CAP_CTRL;
	bool was[MSIX_MAX_VECTORS];
	u16 ctrl, v;

	if (offset >= ctrl_off + 2 || offset + len <= ctrl_off)
		return;
	ctrl = (msix->dev->config[ctrl_off] |
		msix->dev->config[ctrl_off + 1] << 8) &
	       (MSIX_CTRL_ENABLE | MSIX_CTRL_FMASK);

	pthread_mutex_lock(&msix->lock);
	for (v = 0; v < msix->nr; v++)
		was[v] = vec_active(msix, v);
	msix->ctrl = ctrl;
	for (v = 0; v < msix->nr; v++)
		vec_transition(msix, v, was[v], vec_active(msix, v));
	pthread_mutex_unlock(&msix->lock);
}

static u32 entry_read(const struct msix_vector *vec, u32 field)
{
	switch (field) {
	case 0:
		return vec->addr_lo;
	case 4:
		return vec->addr_hi;
	case 8:
		return vec->data;
	default:
		return vec->ctrl;
	}
}

/*
 * The guest should mask a vector before it rewrites the message; if it
 * does not, the route follows each write so no message goes astray.
 */
static void entry_write(struct msix *m, u32 off, u32 val)
{
	struct msix_vector *vec = &m->vec[off / MSIX_ENTRY_SIZE];
	u16 v = off / MSIX_ENTRY_SIZE;
	bool was = vec_active(m, v);

	switch (off % MSIX_ENTRY_SIZE) {
	case 0:
		vec->addr_lo = val & ~3u;	/* dword aligned by definition */
		break;
	case 4:
		vec->addr_hi = val;
		break;
	case 8:
		vec->data = val;
		break;
	default:
		vec->ctrl = val & MSIX_ENTRY_MASKED;	/* the rest reserved */
		vec_transition(m, v, was, vec_active(m, v));
		return;
	}
	if (was)
		irq_routing_set_msi(m->routing, vec->gsi, vec_addr(vec),
				    vec->data);
}

/* Pending bits 64 at a time; unbound vectors first collect their fd. */
static u64 pba_qword(struct msix *m, u32 q)
{
	u64 bits = 0;
	u16 v;

	for (v = q * 64; v < m->nr && v < (q + 1) * 64; v++) {
		if (!vec_active(m, v))
			vec_drain(&m->vec[v]);
		if (m->vec[v].pending)
			bits |= 1ULL << (v % 64);
	}
	return bits;
}

static bool in_range(u64 off, u32 len, u32 start, u32 size)
{
	return off >= start && off + len <= (u64)start + size;
}

/* Table and PBA take aligned dword or qword accesses, nothing else. */
static bool size_ok(u64 off, u32 len)
{
	return (len == 4 || len == 8) && IS_ALIGNED(off, len);
}

bool msix_bar_read(struct msix *msix, u64 offset, void *data, u32 len)
{
	u32 table_size = msix->nr * MSIX_ENTRY_SIZE;
	u32 lo, hi;
	u64 q;

	if (in_range(offset, len, msix->table_off, table_size)) {
		u32 off = offset - msix->table_off;
		const struct msix_vector *vec = &msix->vec[off / 16];

		if (!size_ok(offset, len)) {
			memset(data, 0xff, len);
			return true;
		}
		pthread_mutex_lock(&msix->lock);
		lo = entry_read(vec, off % 16);
		hi = len == 8 ? entry_read(vec, off % 16 + 4) : 0;
		pthread_mutex_unlock(&msix->lock);
		memcpy(data, &lo, 4);
		if (len == 8)
			memcpy((u8 *)data + 4, &hi, 4);
		return true;
	}
	if (in_range(offset, len, msix->pba_off, pba_size(msix->nr))) {
		u32 off = offset - msix->pba_off;

		if (!size_ok(offset, len)) {
			memset(data, 0xff, len);
			return true;
		}
		pthread_mutex_lock(&msix->lock);
		q = pba_qword(msix, off / 8);
		pthread_mutex_unlock(&msix->lock);
		q >>= (off % 8) * 8;
		memcpy(data, &q, len);
		return true;
	}
	return false;
}

bool msix_bar_write(struct msix *msix, u64 offset, const void *data,
		    u32 len)
{
	u32 table_size = msix->nr * MSIX_ENTRY_SIZE;
	u32 off, val[2];

	if (in_range(offset, len, msix->pba_off, pba_size(msix->nr)))
		return true;		/* read-only */
	if (!in_range(offset, len, msix->table_off, table_size))
		return false;
	if (!size_ok(offset, len))
		return true;
	off = offset - msix->table_off;
	memcpy(val, data, len);
	pthread_mutex_lock(&msix->lock);
	entry_write(msix, off, val[0]);
	if (len == 8)
		entry_write(msix, off + 4, val[1]);
	pthread_mutex_unlock(&msix->lock);
	return true;
}

void msix_notify(struct msix *msix, u16 v)
{
	if (v == MSIX_NO_VECTOR || v >= msix->nr)
		return;
	pthread_mutex_lock(&msix->lock);
	if (vec_active(msix, v))
		efd_kick(msix->vec[v].irqfd);
	else
		msix->vec[v].pending = true;
	pthread_mutex_unlock(&msix->lock);
}

int msix_irqfd(struct msix *msix, u16 v)
{
	return v < msix->nr ? msix->vec[v].irqfd : -1;
}
