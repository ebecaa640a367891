#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Local KVM smoke test: tiny purpose-built guests on this host's /dev/kvm.
# They end with an OUT (debug-exit, ACPI PM1, i8042, 0xCF9), never HLT,
# since an in-kernel irqchip sleeps a halted vCPU instead of exiting.
#   run.sh KNIT GUESTDIR
set -u
knit=$1
guests=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

if [ ! -c /dev/kvm ]; then
	echo "smoke: FAIL no /dev/kvm on this host"
	echo "smoke: 0 passed, 1 failed"
	exit 1
fi

printf 'initrd-first-line\nsecond line\n' >"$tmp/initrd"

ok() { echo "smoke: PASS $1"; pass=$((pass + 1)); }
ko() {
	echo "smoke: FAIL $1: $2"
	sed 's/^/    | /' "$tmp/out" "$tmp/err" | tail -n 20
	fail=$((fail + 1))
}

# run NAME EXPECTED_STATUS knit-args... ; output in $tmp/out, $tmp/err
run() {
	local name=$1 want=$2 got
	shift 2
	if [ "${STDIN:-}" = - ]; then
		timeout 60 "$knit" run "$@" >"$tmp/out" 2>"$tmp/err"
	else
		timeout 60 "$knit" run "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	fi
	got=$?
	if [ "$got" != "$want" ]; then
		ko "$name" "exit status $got, expected $want"
		return 1
	fi
	return 0
}

# expect NAME FILE REGEX...: every regex must match a line of FILE
expect() {
	local name=$1 file=$2 re
	shift 2
	for re in "$@"; do
		if ! grep -Eq -- "$re" "$file"; then
			ko "$name" "no line matching '$re'"
			return 1
		fi
	done
	ok "$name"
}

bz=$guests/bzimage
pvh=$guests/pvh
K="--allow-pvm -m 64M"

# A NIC on PCI (a real tap on this host: root needed) brings PCI bus 0.
run bzimage-boot 7 $K -k "$bz" -i "$tmp/initrd" -p "hello world exit=7" \
	--netdev tap,id=n0,vhost=off --device virtio-net,netdev=n0 &&
expect bzimage-boot "$tmp/out" \
	'^knit-guest: hello from a 64-bit bzImage' \
	'^knit-guest: e820 entries=4 ram-kib=65151$' \
	'^knit-guest: cmdline=hello world exit=7$' \
	'^knit-guest: initrd=initrd-first-line$' \
	'^knit-guest: acpi=ok cpus=1$' \
	'^knit-guest: pci 00.0 id=29c08086 ecam=29c08086 mcfg=e0000000$'

run smp-tables 0 $K -c 3 --nodefaults -k "$bz" -p "x" &&
expect smp-tables "$tmp/out" '^knit-guest: acpi=ok cpus=3$' \
	'^knit-guest: pci 00.0 id=ffffffff ecam=none mcfg=0$'

run ram-above-4g 0 --allow-pvm -m 3200M -k "$bz" &&
expect ram-above-4g "$tmp/out" '^knit-guest: e820 entries=5 ram-kib=3276415$'

run pvh-elf 5 $K -k "$pvh" -i "$tmp/initrd" -p "pvh exit=5" &&
expect pvh-elf "$tmp/out" \
	'^knit-guest: hello from PVH, cmdline=pvh exit=5$' \
	'^knit-guest: initrd=initrd-first-line$'

for how in poweroff reset cf9; do
	run "$how" 0 $K -k "$bz" -p "$how exit=9" &&
		expect "$how" "$tmp/out" '^knit-guest: acpi=ok'
done

run debug-exit-255 255 $K -k "$bz" -p "exit=255" && ok debug-exit-255

# Console input from a pipe reaches the guest's UART.
printf 'typed text\n' | STDIN=- run console-input 0 $K -k "$bz" -p "echo" &&
expect console-input "$tmp/out" '^knit-guest: echo>TYPED TEXT$'

# Standard input may be a file, read at the guest's pace.
printf 'from a file\n' >"$tmp/in"
STDIN=- run console-input-file 0 $K -k "$bz" -p "echo" <"$tmp/in" &&
expect console-input-file "$tmp/out" '^knit-guest: echo>FROM A FILE$'

# More input than the UART buffers: the rest waits in knit, none is lost
# or repeated (the guest upper-cases each byte it reads).
head -c 5000 /dev/zero | tr '\0' q >"$tmp/big"
echo >>"$tmp/big"
cat "$tmp/big" | STDIN=- run console-input-large 0 $K -k "$bz" -p "echo" &&
if [ "$(tr -cd Q <"$tmp/out" | wc -c)" = 5000 ]; then ok console-input-large
else ko console-input-large "$(tr -cd Q <"$tmp/out" | wc -c) of 5000 bytes echoed"; fi

# A guest that destroys itself: one line naming the failure, a register dump.
run guest-crash 1 $K -k "$bz" -p "crash" &&
expect guest-crash "$tmp/err" '^knit: vCPU 0: (guest triple fault|KVM internal error)' \
	'^  rip [0-9a-f]{16}'

# --reboot restarts on reset: the guest prints its banner twice or more
# before the time-out stops knit with SIGTERM.
timeout --preserve-status -k 10 -s TERM 4 "$knit" run $K --reboot -k "$bz" -p "reset" \
	</dev/null >"$tmp/out" 2>"$tmp/err"
st=$?
n=$(grep -c '^knit-guest: hello' "$tmp/out")
if [ "$st" = 143 ] && [ "$n" -ge 2 ]; then ok reboot-restarts
else ko reboot-restarts "status $st after $n boots"; fi

# SIGTERM: orderly exit 143, the terminal and nothing else left behind.
"$knit" run $K -k "$bz" -p "echo" </dev/zero >"$tmp/out" 2>"$tmp/err" &
pid=$!
sleep 2
kill -TERM $pid
wait $pid
st=$?
if [ "$st" = 143 ] && ! kill -0 $pid 2>/dev/null; then ok sigterm
else ko sigterm "status $st"; fi

# libslirp (and glib behind it) is mapped only by a VM with user-mode
# networking: --nodefaults leaves it out, the default NIC brings it in.
slirp_mapped() {
	"$knit" run $K "$@" -k "$bz" -p "echo" </dev/zero >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	sleep 1
	grep -c 'libslirp' /proc/$pid/maps 2>/dev/null
	kill -TERM $pid
	wait $pid
}
n_off=$(slirp_mapped --nodefaults)
n_on=$(slirp_mapped)
if [ "${n_off:-x}" = 0 ] && [ "${n_on:-0}" -gt 0 ]; then ok slirp-on-demand
else ko slirp-on-demand "libslirp mappings: ${n_off:-none} with --nodefaults, ${n_on:-none} with user networking"; fi

# --stats reports knit's own memory apart from the guest's.
run stats 0 $K --stats -k "$bz" -p "poweroff" &&
expect stats "$tmp/err" '^knit: stats: peak-rss-kib=[0-9]+ guest-rss-kib=[0-9]+ vmm-rss-kib=[0-9]+$'

# Bad input: exit 2 and one line that names what was wrong.
bad() {
	local name=$1 re=$2
	shift 2
	run "bad-$name" 2 "$@" || return
	if [ "$(wc -l <"$tmp/err")" != 1 ]; then
		ko "bad-$name" "expected one line on stderr"
		return
	fi
	expect "bad-$name" "$tmp/err" "$re"
}
printf 'not a kernel\n' >"$tmp/text"
bad missing-kernel "cannot read kernel '/nonexistent'" $K -k /nonexistent
bad not-a-kernel "kernel '$tmp/text'.*not a bootable" $K -k "$tmp/text"
bad directory-kernel "not a regular file" $K -k /
bad not-pvh-elf "without a PVH entry note" $K -k "$guests/bzimage.elf"
bad missing-initrd "cannot read initrd '/nonexistent'" $K -k "$bz" -i /nonexistent
bad mem-zero "invalid value '0' for -m" $K -k "$bz" -m 0
bad mem-garbage "invalid value '12Q' for -m" $K -k "$bz" -m 12Q
bad cpus-zero "invalid value '0' for -c" $K -k "$bz" -c 0
bad cpus-many "invalid value '10000' for -c" $K -k "$bz" -c 10000
bad unknown-option "unknown option '--frobnicate'" $K -k "$bz" --frobnicate
bad no-kernel "no kernel given" $K
bad too-small "need .* more than -m/--mem" --allow-pvm -m 17M -k "$bz" -i /bin/bash
bad params-too-long "command line .* at most 2047" $K -k "$bz" -p "$(head -c 3000 /dev/zero | tr '\0' x)"
bad no-kvm "cannot open /nonexistent/kvm" $K --kvm-dev /nonexistent/kvm -k "$bz"

# The PVM host check: without --allow-pvm a PVM host is refused at once.
if [ -d /sys/module/kvm_pvm ]; then
	run pvm-refused 1 -k "$bz" -m 64M &&
	expect pvm-refused "$tmp/err" 'is PVM'
fi

# The control socket: knit list, stop, hostfwd, info.
. "$(dirname "$0")/control.sh"
# Packet capture to a pcap file (uses control.sh's helpers).
. "$(dirname "$0")/capture.sh"

leftover=$(pgrep -x knit | wc -l)
[ "$leftover" = 0 ] && ok no-leftover-processes || ko no-leftover-processes "$leftover running"

echo "smoke: $pass passed, $fail failed"
[ "$fail" = 0 ]
