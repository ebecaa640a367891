#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in L1: boot the same L2 kernel and initramfs to /init (then power
# off) under knit and under QEMU (-M microvm -accel kvm), alternating,
# $RUNS times each; print each wall time from exec to exit, the medians,
# the ratio knit/qemu and knit's vmm-rss-kib from --stats.
# Lines for the host: "RIG: bench ..." and "RIG: BENCH key=value ...".

RUNS=${RUNS:-3}
MEM=256M
K=/rig/images/bzImage
I=/rig/images/initrd.cpio.gz
P="console=ttyS0 quiet panic=-1 knit.test=poweroff"
T=/tmp/bench
mkdir -p $T
errors=0

now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# run_one NAME N CMD...: time CMD, check L2 reached /init and CMD exited 0.
run_one() {
	name=$1 n=$2
	shift 2
	t0=$(now)
	timeout -s KILL 120 "$@" >$T/$name.$n.out 2>$T/$name.$n.err </dev/null
	rc=$?
	t1=$(now)
	s=$(elapsed "$t0" "$t1")
	if [ $rc -eq 0 ] && grep -q 'L2: init reached' $T/$name.$n.out; then
		echo "$s" >>$T/$name.times
		extra=
		[ "$name" = knit ] && {
			rss=$(sed -n 's/^knit: stats: .*vmm-rss-kib=\(-\{0,1\}[0-9]*\).*/\1/p' $T/$name.$n.err)
			[ -n "$rss" ] && echo "$rss" >>$T/knit.rss
			extra=" vmm-rss-kib=${rss:-?}"
		}
		echo "RIG: bench $name run $n: ${s} s$extra"
	else
		errors=$((errors + 1))
		echo "RIG: bench $name run $n: FAILED (exit $rc after $s s)"
		tail -n 15 $T/$name.$n.out $T/$name.$n.err | tr -d '\r' | sed 's/^/RIG|   /'
	fi
}

if [ ! -x /rig/bin/knit ]; then
	echo "RIG: bench knit: not in L1"
	errors=$((errors + 1))
fi
if [ ! -x /usr/bin/qemu-system-x86_64 ]; then
	echo "RIG: bench qemu: not in L1"
	errors=$((errors + 1))
fi

i=1
while [ $i -le "$RUNS" ]; do
	[ -x /rig/bin/knit ] &&
		run_one knit $i /rig/bin/knit run -k $K -i $I -m $MEM -c 1 -p "$P" --stats
	[ -x /usr/bin/qemu-system-x86_64 ] &&
		run_one qemu $i qemu-system-x86_64 -M microvm -accel kvm -cpu host \
			-m $MEM -smp 1 -L /usr/share/qemu -nodefaults -no-user-config \
			-nographic -no-reboot -serial stdio -monitor none \
			-kernel $K -initrd $I -append "$P"
	i=$((i + 1))
done

knit_med=$(median <$T/knit.times 2>/dev/null)
qemu_med=$(median <$T/qemu.times 2>/dev/null)
rss_med=$(median <$T/knit.rss 2>/dev/null)
ratio=
[ -n "$knit_med" ] && [ -n "$qemu_med" ] &&
	ratio=$(awk -v a="$knit_med" -v b="$qemu_med" 'BEGIN { printf "%.2f", a / b }')
echo "RIG: BENCH knit-median-s=${knit_med:-none} qemu-median-s=${qemu_med:-none}" \
	"ratio=${ratio:-none} knit-vmm-rss-kib=${rss_med:-none} errors=$errors"
