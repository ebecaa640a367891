# SPDX-License-Identifier: GPL-2.0
# Image building for the nested rig; sourced by tests/rig/run.sh (bash).
# Everything downloaded or derived is cached under $cache
# (OBJTREE/tests/rig-cache): the Debian kernel package, unpacked, its
# vmlinux ELF and L2's initramfs. L1's initramfs is rebuilt on every run.

# The modules L1 loads, in dependency order (modinfo -F depends).
L1_MODULES="irqbypass kvm ccp kvm-amd vhost_iotlb vhost tun tap vhost_net llc stp bridge veth"
# The modules L2 may load (the stock kernel's virtio stack is modular).
L2_MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_mmio failover net_failover virtio_net e1000 mii 8139too 8139cp"

say() { echo "  $*"; }
die() { echo "rig: $*" >&2; exit 1; }

# kernel_fetch: sets $kdir (unpacked linux-image-*.deb), $kver, $vmlinuz.
kernel_fetch() {
	local pkg tmp
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	if [ -z "$pkg" ]; then
		# Offline: fall back to whatever kernel is cached.
		pkg=$(cd "$cache" && ls -d linux-image-*-amd64 2>/dev/null | sort -V | tail -n1)
		[ -n "$pkg" ] || die "cannot resolve linux-image-amd64 (apt-cache depends) and nothing is cached"
	fi
	kdir=$cache/$pkg
	if [ ! -e "$kdir/.done" ]; then
		say "APT     $pkg"
		rm -rf "$kdir" "$kdir.tmp"
		mkdir -p "$kdir.tmp"
		# _apt cannot write into most directories; download as root quietly.
		(cd "$kdir.tmp" && apt-get download -q "$pkg" 2>&1 |
			grep -v 'unsandboxed as root' >&2) || true
		ls "$kdir.tmp"/*.deb >/dev/null 2>&1 || die "apt-get download $pkg failed"
		say "UNPACK  $pkg"
		dpkg-deb -x "$kdir.tmp"/*.deb "$kdir.tmp/root" || die "dpkg-deb -x failed"
		mv "$kdir.tmp/root" "$kdir"
		rm -rf "$kdir.tmp"
		touch "$kdir/.done"
	fi
	kver=${pkg#linux-image-}
	vmlinuz=$kdir/boot/vmlinuz-$kver
	[ -f "$vmlinuz" ] || die "no $vmlinuz in $pkg"
}

# u32/u8 little-endian at byte offset $2 of file $1.
le_u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
le_u8() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }

# vmlinux_extract: sets $vmlinux, the ELF inside $vmlinuz's payload.
vmlinux_extract() {
	local setup_sects off len start magic dec
	vmlinux=$kdir/vmlinux
	[ -s "$vmlinux" ] && return 0
	[ "$(dd if="$vmlinuz" bs=1 skip=514 count=4 status=none)" = HdrS ] ||
		die "$vmlinuz has no HdrS setup header"
	setup_sects=$(le_u8 "$vmlinuz" $((0x1f1)))
	[ "$setup_sects" -eq 0 ] && setup_sects=4
	off=$(le_u32 "$vmlinuz" $((0x248)))
	len=$(le_u32 "$vmlinuz" $((0x24c)))
	start=$(((setup_sects + 1) * 512 + off))
	magic=$(od -An -tx1 -j "$start" -N6 "$vmlinuz" | tr -d ' \n')
	case "$magic" in
	fd377a585a00*) dec="xz -dc --single-stream" ;;
	28b52ffd*)     dec="zstd -dcq" ;;
	1f8b*)         dec="gzip -dc" ;;
	5d0000*)       dec="xz -dc --format=lzma" ;;
	425a68*)       dec="bzip2 -dc" ;;
	02214c18*)     dec="lz4 -dcq" ;;
	894c5a4f*)     dec="lzop -dc" ;;
	*)             die "unknown compressor (magic $magic) in $vmlinuz" ;;
	esac
	say "VMLINUX $kver (${dec%% *})"
	# The payload ends with the uncompressed size (4 bytes), which some
	# tools call trailing garbage; the ELF check below is what counts.
	dd if="$vmlinuz" bs=1M iflag=skip_bytes,count_bytes skip="$start" count="$len" \
		status=none | $dec >"$vmlinux.tmp" 2>"$vmlinux.log"
	[ "$(od -An -tx1 -N4 "$vmlinux.tmp" | tr -d ' ')" = 7f454c46 ] ||
		die "payload of $vmlinuz did not decompress to an ELF: $(head -c 300 "$vmlinux.log")"
	readelf -n "$vmlinux.tmp" | grep -Eq 'Xen.*(0x00000012|PHYS32_ENTRY)' ||
		die "$vmlinux has no XEN_ELFNOTE_PHYS32_ENTRY (PVH) note"
	mv "$vmlinux.tmp" "$vmlinux"
	rm -f "$vmlinux.log"
}

# cpio_pack DIR OUT [gzip]: newc archive of DIR, owned by root.
cpio_pack() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) |
		if [ "${3:-}" = gzip ]; then gzip -6; else cat; fi >"$2.tmp"
	mv "$2.tmp" "$2"
}

# l2_initrd [iperf]: sets $l2_initrd (busybox, tests/rig/l2/init and the
# L2 modules of $kdir, listed in load order in /lib/modules/order); with
# "iperf", $l2_initrd_iperf, the same plus iperf3 for the network bench.
l2_initrd() {
	local root m ko name=l2-initrd
	[ "${1:-}" = iperf ] && name=l2-initrd-iperf
	l2_initrd=$cache/l2-initrd.cpio.gz
	l2_initrd_iperf=$cache/l2-initrd-iperf.cpio.gz
	if [ -s "$cache/$name.cpio.gz" ] && [ "$cache/$name.cpio.gz" -nt "$rigdir/l2/init" ] &&
		[ "$cache/$name.cpio.gz" -nt /bin/busybox ] &&
		[ "$cache/$name.cpio.gz" -nt "$rigdir/images.sh" ] &&
		[ "$cache/$name.cpio.gz" -nt "$rigdir/tools/udp.c" ] &&
		[ "$cache/$name.cpio.gz" -nt "$kdir/.done" ]; then
		return 0
	fi
	say "CPIO    $name.cpio.gz"
	root=$cache/l2-root
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,root,lib/modules}
	cp /bin/busybox "$root/bin/busybox"
	for m in $L2_MODULES; do
		ko=$(find "$kdir/lib/modules/$kver/kernel" -name "$m.ko" | head -n1)
		[ -n "$ko" ] || die "module $m not found in $kdir"
		cp "$ko" "$root/lib/modules/$m.ko"
		echo "$m" >>"$root/lib/modules/order"
	done
	cp "$rigdir/l2/init" "$root/init"
	chmod 755 "$root/init"
	gcc -static -O2 -o "$root/bin/udp" "$rigdir/tools/udp.c" ||
		die "cannot build the udp helper"
	[ "$name" = l2-initrd-iperf ] && copy_bin "$root" /usr/bin/iperf3 /bin/iperf3
	cpio_pack "$root" "$cache/$name.cpio.gz" gzip
	rm -rf "$root"
}

# copy_bin ROOT FILE DEST: copy executable FILE to ROOT/DEST and the
# libraries ldd lists for it to the same paths under ROOT.
copy_bin() {
	local root=$1 f=$2 dest=$3 lib
	mkdir -p "$root$(dirname "$dest")"
	cp -L "$f" "$root$dest"
	for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

# l1_initrd MODE: sets $l1_initrd, an uncompressed cpio (TCG is slow at
# decompressing; QEMU only has to copy this).
l1_initrd() {
	local mode=$1 root m ko libgcc slirp
	l1_initrd=$cache/l1.cpio
	root=$cache/l1-root
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,root,lib/modules,rig/bin,rig/images,rig/l1,rig/scenarios}
	cp /bin/busybox "$root/bin/busybox"
	cp "$rigdir/l1/init" "$root/init"
	cp "$rigdir/l1/"*.sh "$root/rig/l1/"
	cp "$rigdir/lib.sh" "$root/rig/lib.sh"
	cp "$rigdir/scenarios/$arch/"*.sh "$root/rig/scenarios/"
	chmod 755 "$root/init" "$root"/rig/l1/*.sh

	: >"$root/rig/modules.order"
	for m in $L1_MODULES; do
		ko=$(find "$kdir/lib/modules/$kver/kernel" -name "$m.ko" -o -name "${m//-/_}.ko" | head -n1)
		[ -n "$ko" ] || die "module $m not found in $kdir"
		cp "$ko" "$root/lib/modules/$m.ko"
		echo "$m" >>"$root/rig/modules.order"
	done

	cp "$vmlinuz" "$root/rig/images/bzImage"
	cp "$l2_initrd" "$root/rig/images/initrd.cpio.gz"
	[ "$mode" = scenarios ] && cp "$vmlinux" "$root/rig/images/vmlinux"

	if [ -x "$knit" ]; then
		copy_bin "$root" "$knit" /rig/bin/knit
		# glibc's pthread_cancel dlopens libgcc_s.
		libgcc=$(ldconfig -p | awk '/libgcc_s.so.1 .*x86-64/ { print $NF; exit }')
		[ -n "$libgcc" ] && mkdir -p "$root$(dirname "$libgcc")" && cp -L "$libgcc" "$root$libgcc"
		# knit dlopens libslirp (and so glib) for user-mode networking.
		slirp=$(ldconfig -p | awk '/libslirp.so.0 .*x86-64/ { print $NF; exit }')
		[ -n "$slirp" ] || die "libslirp.so.0 is missing (scripts/deps.sh build installs it)"
		copy_bin "$root" "$slirp" "$slirp"
	fi

	if [ "$mode" = scenarios ]; then
		gcc -static -O2 -o "$root/rig/bin/nobody" "$rigdir/l1/nobody.c" ||
			die "cannot build the nobody helper"
		gcc -static -O2 -o "$root/rig/bin/udp" "$rigdir/tools/udp.c" ||
			die "cannot build the udp helper"
		# passt: a user-mode stack knit reaches over a stream socket.
		# Its sandbox pivots root, which the initramfs root refuses, so
		# it gets a tree of its own that 52-passt makes its root.
		copy_bin "$root/rig/passt-root" /usr/bin/passt /usr/bin/passt
		[ -x /usr/bin/passt.avx2 ] &&
			copy_bin "$root/rig/passt-root" /usr/bin/passt.avx2 /usr/bin/passt.avx2
	fi

	if [ "$mode" = bench ]; then
		copy_bin "$root" /usr/bin/iperf3 /usr/bin/iperf3
		cp "$l2_initrd_iperf" "$root/rig/images/initrd-iperf.cpio.gz"
	fi

	# QEMU in L1: the bench's peer, and a scenario's (knit and QEMU VMs
	# sharing a socket network).
	if [ "$mode" != demo ] || [ "${RIG_WITH_QEMU:-0}" = 1 ]; then
		copy_bin "$root" /usr/bin/qemu-system-x86_64 /usr/bin/qemu-system-x86_64
		mkdir -p "$root/usr/share"
		cp -a /usr/share/qemu /usr/share/seabios "$root/usr/share/"
	fi

	cpio_pack "$root" "$l1_initrd"
	say "CPIO    l1.cpio ($(($(stat -c %s "$l1_initrd") / 1048576)) MiB)"
	rm -rf "$root"
}
