#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages a make target needs, only when missing.
#   deps.sh build   compiler, pkg-config, cmocka, libnl, liburing
#   deps.sh rig     QEMU and the tools that build the nested rig's images
set -e

case "$1" in
build) pkgs="gcc make pkg-config libcmocka-dev binutils libnl-3-dev libnl-route-3-dev liburing-dev tcpdump libslirp-dev libglib2.0-dev libjson-c-dev" ;;
rig)   pkgs="qemu-system-x86 busybox-static cpio kmod xz-utils zstd gzip dpkg-dev iperf3 passt tshark" ;;
*)     echo "usage: $0 build|rig" >&2; exit 2 ;;
esac

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "knit: missing Debian packages:$missing (run as root, or apt-get install them)" >&2
	exit 1
fi
echo "  APT    $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends $missing >/dev/null
