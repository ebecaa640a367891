#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in L1: boot the same L2 kernel and initramfs to /init (then power
# off) under knit and under QEMU (-M microvm -accel kvm), alternating,
# $RUNS times each, timing each from exec to exit and taking knit's
# vmm-rss-kib from --stats. Then iperf3 throughput, knit vs QEMU:
# virtio-net on a tap (with and without vhost), the emulated e1000 and
# rtl8139 on the same tap, and virtio-net on user-mode networking
# through a hostfwd (see below).
#
# Every run is a step with an id (boot.knit.1, net.qemu.e1000.2, ...)
# that prints one "RIG: BENCH-RAW ID key=value..." line, or
# "RIG: BENCH-RAW ID failed"; run.sh on the host takes the medians and
# ratios from these. When L1 wedges midway, run.sh boots a fresh one
# with rig.done= listing the steps that reported, and they are skipped.
# "RIG: BENCH-END" says every step ran. RIG_RUNS (rig.runs=) and
# RIG_PARTS (rig.parts=, a comma list of boot vhost-on vhost-off e1000
# rtl8139 user) narrow the bench down.

RUNS=${RIG_RUNS:-3}
PARTS=$(echo "${RIG_PARTS:-boot,vhost-on,vhost-off,e1000,rtl8139,user}" | tr , " ")
MEM=256M
K=/rig/images/bzImage
I=/rig/images/initrd.cpio.gz
P="console=ttyS0 quiet panic=-1 knit.test=poweroff"
T=/tmp/bench
mkdir -p $T /tmp/rig

# want PART: the bench includes PART.
want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
# begin_step ID: false if an earlier L1 ran step ID already; else ID is
# the step running now (heartbeat.sh names it if L1 falls sick).
begin_step() {
	case ",${RIG_DONE:-}," in *",$1,"*) return 1 ;; esac
	echo "$1" >/tmp/rig/current
}
raw() { echo "RIG: BENCH-RAW $*"; }

now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# boot_one VMM N CMD...: step boot.VMM.N; time CMD, check L2 reached
# /init and CMD exited 0.
boot_one() {
	vmm=$1 n=$2 id=boot.$1.$2
	shift 2
	begin_step $id || return
	t0=$(now)
	timeout -s KILL 120 "$@" >$T/$id.out 2>$T/$id.err </dev/null
	rc=$?
	t1=$(now)
	s=$(elapsed "$t0" "$t1")
	if [ $rc -eq 0 ] && grep -q 'L2: init reached' $T/$id.out; then
		extra=
		[ "$vmm" = knit ] && {
			rss=$(sed -n 's/^knit: stats: .*vmm-rss-kib=\(-\{0,1\}[0-9]*\).*/\1/p' $T/$id.err)
			extra=" rss=${rss:-none}"
		}
		raw "$id s=$s$extra"
	else
		raw "$id failed"
		echo "RIG: bench $id: FAILED (exit $rc after $s s)"
		tail -n 15 $T/$id.out $T/$id.err | tr -d '\r' | sed 's/^/RIG|   /'
	fi
}

[ -x /rig/bin/knit ] || echo "RIG: bench knit: not in L1"
[ -x /usr/bin/qemu-system-x86_64 ] || echo "RIG: bench qemu: not in L1"

i=1
while want boot && [ $i -le "$RUNS" ]; do
	boot_one knit $i /rig/bin/knit run -k $K -i $I -m $MEM -c 1 -p "$P" \
		--nodefaults --stats
	boot_one qemu $i qemu-system-x86_64 -M microvm -accel kvm -cpu host \
		-m $MEM -smp 1 -L /usr/share/qemu -nodefaults -no-user-config \
		-nographic -no-reboot -serial stdio -monitor none \
		-kernel $K -initrd $I -append "$P"
	i=$((i + 1))
done

# ---- network: iperf3 over virtio-net + tap + bridge, knit vs QEMU ----
#
# L2 runs an iperf3 server; L1 (10.0.0.1 on bridge knbr0) measures
# host-to-guest and, with -R, guest-to-host, IPERF_SECONDS each. QEMU gets
# the same kernel, initramfs, tap-on-bridge and vhost setting, with
# virtio-net-pci on microvm's PCIe. Runs last 10 s: under the rig, one
# second can carry three times the next (vhost guest-to-host, under
# either VMM), and 5 s runs left the medians to chance.
IPERF_SECONDS=${IPERF_SECONDS:-10}
NI=/rig/images/initrd-iperf.cpio.gz
NP="console=ttyS0 quiet panic=-1 knit.test=iperf"
MAC=52:54:00:00:be:0c

ip link add name knbr0 type bridge
ip addr add 10.0.0.1/24 dev knbr0
ip link set knbr0 up

# mbits DIRECTION-FLAG LOG: one iperf3 run against L2; prints Mbit/s or
# nothing (iperf3's output is kept in LOG).
mbits() {
	timeout -s KILL $((IPERF_SECONDS + 30)) iperf3 -c 10.0.0.2 -t "$IPERF_SECONDS" \
		-f m $1 >"$2" 2>&1
	awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") v = $i } END { if (v != "") print v }' "$2"
}

# stop_vmm PID ID: end step ID's VMM. One that outlives SIGKILL is stuck
# in L1's kernel and would hang wait for good (the likeliest reading of
# a QEMU rtl8139 step that once stalled a bench): give this L1 up, so
# that a fresh one runs the steps left.
stop_vmm() {
	kill -TERM $1 2>/dev/null
	sleep 1
	kill -KILL $1 2>/dev/null
	t=0
	while [ $t -lt 50 ]; do
		case $(sed 's/.*) //' /proc/$1/stat 2>/dev/null | cut -d' ' -f1) in
		''|Z) wait $1 2>/dev/null; return ;;
		esac
		sleep 0.2
		t=$((t + 1))
	done
	echo "RIG: bench $2: the VMM outlived SIGKILL; this L1 gives up"
	exit 1
}

# net_one VMM KIND N: boot VMM's guest with NIC KIND (vhost-on and
# vhost-off: virtio-net; e1000, rtl8139: the emulated NICs, whose frames
# the VMM moves itself), measure both ways, stop it.
net_one() {
	vmm=$1 kind=$2 n=$3 id=net.$1.$2.$3
	out=$T/$id.out
	begin_step $id || return
	case $kind in
	vhost-on)  vh=on dev=virtio-net qdev=virtio-net-pci ;;
	vhost-off) vh=off dev=virtio-net qdev=virtio-net-pci ;;
	*)         vh=off dev=$kind qdev=$kind ;;
	esac
	# Every guest has the same MAC and address; forget the last one's.
	ip neigh flush dev knbr0 2>/dev/null
	case $vmm in
	knit)
		/rig/bin/knit run -k $K -i $NI -m $MEM -p "$NP" \
			--netdev tap,id=n0,br=knbr0,vhost=$vh \
			--device $dev,netdev=n0,mac=$MAC >$out 2>&1 </dev/null &
		;;
	qemu)
		qemu-system-x86_64 -M microvm,pcie=on,rtc=on -accel kvm -cpu host \
			-m $MEM -smp 1 -L /usr/share/qemu -nodefaults -no-user-config \
			-nographic -no-reboot -serial stdio -monitor none \
			-kernel $K -initrd $NI -append "$NP" \
			-netdev tap,id=n0,ifname=qtap0,script=no,downscript=no,vhost=$vh \
			-device $qdev,netdev=n0,mac=$MAC,romfile= \
			>$out 2>&1 </dev/null &
		;;
	esac
	pid=$!
	w=0
	while [ $w -lt 600 ] && ! grep -q 'L2: iperf ready' $out 2>/dev/null; do
		[ "$vmm" = qemu ] && [ -e /sys/class/net/qtap0 ] &&
			! [ -e /sys/class/net/qtap0/master ] &&
			ip link set qtap0 master knbr0 && ip link set qtap0 up
		kill -0 $pid 2>/dev/null || break
		sleep 0.2
		w=$((w + 1))
	done
	h2g= g2h=
	if grep -q 'L2: iperf ready' $out; then
		sleep 1	# the iperf3 server's listen follows the marker
		h2g=$(mbits "" $T/$id.h2g)
		g2h=$(mbits -R $T/$id.g2h)
	fi
	stop_vmm $pid $id
	if [ -n "$h2g" ] && [ -n "$g2h" ]; then
		raw "$id h2g=$h2g g2h=$g2h"
	else
		raw "$id failed"
		echo "RIG: bench $id: FAILED (host-to-guest ${h2g:-failed}, guest-to-host ${g2h:-failed})"
		tail -n 10 $out | tr -d '\r' | sed 's/^/RIG|   /'
		for dir in h2g g2h; do
			[ -s $T/$id.$dir ] && tail -n 3 $T/$id.$dir | sed "s/^/RIG|   iperf3 $dir: /"
		done
	fi
}

if [ -x /usr/bin/iperf3 ] && [ -e $NI ]; then
	i=1
	while [ $i -le "$RUNS" ]; do
		for kind in vhost-on vhost-off e1000 rtl8139; do
			want $kind || continue
			net_one knit $kind $i
			net_one qemu $kind $i
		done
		i=$((i + 1))
	done
else
	echo "RIG: bench net: iperf3 or its initramfs is not in L1"
fi

# ---- user-mode networking: iperf3 through a hostfwd, knit vs QEMU ----
#
# Both VMMs run libslirp with hostfwd tcp:127.0.0.1:5201-:5201; L2 takes
# 10.0.2.15 (QEMU's first DHCP address) and runs the iperf3 server. L1
# measures guest-to-host (-R: L2 sends) and host-to-guest through the
# forward.
UP="console=ttyS0 quiet panic=-1 knit.test=iperf knit.ip=10.0.2.15/24 knit.peer=10.0.2.2"
FWD=tcp:127.0.0.1:5201-:5201

# user_mbits DIRECTION-FLAG: one iperf3 run through the forward.
user_mbits() {
	timeout -s KILL $((IPERF_SECONDS + 30)) iperf3 -c 127.0.0.1 -t "$IPERF_SECONDS" \
		-f m $1 2>/dev/null | awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") v = $i } END { if (v != "") print v }'
}

user_one() {
	vmm=$1 n=$2 id=user.$1.$2
	out=$T/$id.out
	begin_step $id || return
	case $vmm in
	knit)
		/rig/bin/knit run -k $K -i $NI -m $MEM -p "$UP" \
			--nic user,hostfwd=$FWD,mac=$MAC >$out 2>&1 </dev/null &
		;;
	qemu)
		qemu-system-x86_64 -M microvm,pcie=on,rtc=on -accel kvm -cpu host \
			-m $MEM -smp 1 -L /usr/share/qemu -nodefaults -no-user-config \
			-nographic -no-reboot -serial stdio -monitor none \
			-kernel $K -initrd $NI -append "$UP" \
			-netdev user,id=n0,hostfwd=$FWD \
			-device virtio-net-pci,netdev=n0,mac=$MAC,romfile= \
			>$out 2>&1 </dev/null &
		;;
	esac
	pid=$!
	w=0
	while [ $w -lt 600 ] && ! grep -q 'L2: iperf ready' $out 2>/dev/null; do
		kill -0 $pid 2>/dev/null || break
		sleep 0.2
		w=$((w + 1))
	done
	h2g= g2h=
	if grep -q 'L2: iperf ready' $out; then
		sleep 1	# the iperf3 server's listen follows the marker
		g2h=$(user_mbits -R)
		h2g=$(user_mbits "")
	fi
	stop_vmm $pid $id
	if [ -n "$h2g" ] && [ -n "$g2h" ]; then
		raw "$id h2g=$h2g g2h=$g2h"
	else
		raw "$id failed"
		echo "RIG: bench $id: FAILED"
		tail -n 10 $out | tr -d '\r' | sed 's/^/RIG|   /'
	fi
}

if want user && [ -x /usr/bin/iperf3 ] && [ -e $NI ]; then
	i=1
	while [ $i -le "$RUNS" ]; do
		user_one knit $i
		user_one qemu $i
		i=$((i + 1))
	done
fi
echo "RIG: BENCH-END"
