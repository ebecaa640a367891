#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in L1: boot the stock Debian kernel under knit with L2's console on
# the screen, with a virtio-net NIC on a bridge knit creates. L2 prints
# uname -a and its CPU count, brings eth0 up, pings L1, then powers off
# (rig.demo=shell on L1's command line: L2 gives a shell instead).

action=demo
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	rig.demo=*) action=${arg#rig.demo=} ;;
	esac
done
net="--netdev tap,id=n0,br=knbr0,create=on,host-ip=10.0.0.1/24 --device virtio-net,netdev=n0"
echo "RIG: demo: knit run -k bzImage -i initrd -m 256M -c 2 -p 'console=ttyS0 panic=-1 knit.test=$action' $net"
echo "------------------------------------------------------------------------"
t0=$(cut -d' ' -f1 /proc/uptime)
limit=180
[ "$action" = shell ] && limit=3600
# shellcheck disable=SC2086 # $net is a list of options
timeout -s KILL $limit /rig/bin/knit run -k /rig/images/bzImage -i /rig/images/initrd.cpio.gz \
	-m 256M -c 2 -p "console=ttyS0 panic=-1 knit.test=$action" $net --stats
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
echo "------------------------------------------------------------------------"
echo "RIG: demo: knit exited $rc after $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
