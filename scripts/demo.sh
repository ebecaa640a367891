#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a stock Debian kernel under knit, with its console on screen.
# Where this host's /dev/kvm has VT-x or SVM, knit runs right here; where
# it cannot boot Linux (a PVM /dev/kvm, see tests/rig/), knit runs inside
# the nested rig's L1 (tests/rig/run.sh OBJTREE demo).
#   scripts/demo.sh OBJTREE          the guest prints uname -a, CPUs, powers off
#   scripts/demo.sh OBJTREE shell    the guest gives a shell; `exit` powers off
set -u
case "$#:${2:-}" in
1:|2:shell) ;;
*) echo "usage: $0 OBJTREE [shell]" >&2; exit 2 ;;
esac
objtree=$(cd "$1" && pwd) || exit 2
action=${2:-demo}
rigdir=$(cd "$(dirname "$0")/../tests/rig" && pwd)

if [ -c /dev/kvm ] && [ ! -d /sys/module/kvm_pvm ] &&
	grep -qwE 'vmx|svm' /proc/cpuinfo; then
	cache=$objtree/tests/rig-cache
	mkdir -p "$cache"
	. "$rigdir/images.sh"
	kernel_fetch
	l2_initrd
	# A NIC on a bridge knit creates (and removes) with the host at
	# 192.168.254.1; the guest takes .2 and pings it.
	net="--netdev tap,id=n0,br=knitdemo0,create=on,host-ip=192.168.254.1/24 --device virtio-net,netdev=n0"
	echo "  RUN     knit run -k $(basename "$vmlinuz") -c 2 -m 256M $net (Ctrl-a x quits)"
	# shellcheck disable=SC2086 # $net is a list of options
	exec "$objtree/knit" run -k "$vmlinuz" -i "$l2_initrd" -m 256M -c 2 $net \
		-p "console=ttyS0 panic=-1 knit.test=$action knit.ip=192.168.254.2/24 knit.peer=192.168.254.1"
fi
[ "$action" = shell ] && export RIG_DEMO=shell
exec "$rigdir/run.sh" "$objtree" demo
