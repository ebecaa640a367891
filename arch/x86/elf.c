// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "arch/x86/boot.h"

/* Xen's note type for the 32-bit PVH entry point. */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

/* Walk one PT_NOTE segment for the PVH entry; false if absent or bad. */
static bool find_pvh_entry(const u8 *buf, size_t size, const Elf64_Phdr *ph,
			   u64 *entry)
{
	u64 off = ph->p_offset, end;

	if (ph->p_filesz > size || off > size - ph->p_filesz)
		return false;
	end = off + ph->p_filesz;
	while (end - off >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		u64 name, desc, next;

		memcpy(&nh, buf + off, sizeof(nh));
		name = off + sizeof(nh);
		desc = name + ALIGN_UP((u64)nh.n_namesz, 4);
		next = desc + ALIGN_UP((u64)nh.n_descsz, 4);
		if (next > end || next <= off)
			return false;
		if (nh.n_type == XEN_ELFNOTE_PHYS32_ENTRY && nh.n_namesz == 4 &&
		    !memcmp(buf + name, "Xen", 4) &&
		    (nh.n_descsz == 4 || nh.n_descsz == 8)) {
			u32 lo;

			memcpy(&lo, buf + desc, 4);
			*entry = lo;
			return true;
		}
		off = next;
	}
	return false;
}

int elf_parse(const u8 *buf, size_t size, struct elf_info *info,
	      const char **why)
{
	Elf64_Ehdr eh;
	unsigned int i;

	memset(info, 0, sizeof(*info));
	if (size < sizeof(eh) || memcmp(buf, ELFMAG, SELFMAG)) {
		*why = "no ELF magic";
		return -EINVAL;
	}
	memcpy(&eh, buf, sizeof(eh));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64) {
		*why = "not a little-endian x86-64 ELF";
		return -EINVAL;
	}
	if (eh.e_type != ET_EXEC) {
		*why = "not an executable ELF";
		return -EINVAL;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || !eh.e_phnum ||
	    eh.e_phoff > size || (size - eh.e_phoff) / sizeof(Elf64_Phdr) < eh.e_phnum) {
		*why = "program headers out of the file";
		return -EINVAL;
	}
	info->entry = eh.e_entry;
	for (i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		struct elf_segment *s;

		memcpy(&ph, buf + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_NOTE && !info->pvh)
			info->pvh = find_pvh_entry(buf, size, &ph, &info->entry);
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_filesz > size ||
		    ph.p_offset > size - ph.p_filesz) {
			*why = "a loadable segment lies outside the file";
			return -EINVAL;
		}
		if (ph.p_paddr + ph.p_memsz < ph.p_paddr) {
			*why = "a loadable segment wraps around";
			return -EINVAL;
		}
		if (info->nr_segments == ELF_MAX_SEGMENTS) {
			*why = "too many loadable segments";
			return -EINVAL;
		}
		s = &info->segments[info->nr_segments++];
		*s = (struct elf_segment){ ph.p_offset, ph.p_paddr, ph.p_filesz,
					   ph.p_memsz };
		info->end = MAX(info->end, ph.p_paddr + ph.p_memsz);
	}
	if (!info->nr_segments) {
		*why = "no loadable segments";
		return -EINVAL;
	}
	/*
	 * Any static executable is an ELF; the PVH note is what says a
	 * kernel can be entered the way knit enters it.
	 */
	if (!info->pvh) {
		*why = "ELF without a PVH entry note (a kernel needs CONFIG_PVH=y)";
		return -EINVAL;
	}
	return 0;
}
