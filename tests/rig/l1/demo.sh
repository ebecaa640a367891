#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in L1: boot the stock Debian kernel under knit with L2's console on
# the screen. L2 prints uname -a and its CPU count, then powers off
# (rig.demo=shell on L1's command line: L2 gives a shell instead).

action=demo
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	rig.demo=*) action=${arg#rig.demo=} ;;
	esac
done
echo "RIG: demo: knit run -k bzImage -i initrd -m 256M -c 2 -p 'console=ttyS0 panic=-1 knit.test=$action'"
echo "------------------------------------------------------------------------"
t0=$(cut -d' ' -f1 /proc/uptime)
limit=120
[ "$action" = shell ] && limit=3600
timeout -s KILL $limit /rig/bin/knit run -k /rig/images/bzImage -i /rig/images/initrd.cpio.gz \
	-m 256M -c 2 -p "console=ttyS0 panic=-1 knit.test=$action" --stats
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
echo "------------------------------------------------------------------------"
echo "RIG: demo: knit exited $rc after $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
