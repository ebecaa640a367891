# SPDX-License-Identifier: GPL-2.0
# Helpers for the rig's scenarios. Sourced (busybox sh, inside L1) by
# l1/scenarios.sh before each tests/rig/scenarios/<arch>/NN-name.sh, with
# SCENARIO set to NN-name. A scenario ends by calling `pass` or `fail REASON`.
#
# What a scenario can use:
#   $KNIT      knit in L1             $BZIMAGE  the stock Debian bzImage
#   $VMLINUX   the same kernel as an uncompressed ELF (PVH entry)
#   $INITRD    L2's initramfs         $MEM      guest RAM for boots (256M)
#   $PARAMS    "console=ttyS0 quiet panic=-1" (add knit.test=ACTION)
#   $OUT $ERR  where knit_run put knit's stdout and stderr
#   $status    knit's exit status after knit_run

KNIT=${KNIT:-/rig/bin/knit}
BZIMAGE=${BZIMAGE:-/rig/images/bzImage}
VMLINUX=${VMLINUX:-/rig/images/vmlinux}
INITRD=${INITRD:-/rig/images/initrd.cpio.gz}
MEM=${MEM:-256M}
PARAMS=${PARAMS:-"console=ttyS0 quiet panic=-1"}
RIG_TMP=${RIG_TMP:-/tmp/rig}
# A boot that takes longer than this (seconds) is killed and fails.
BOOT_TIMEOUT=${BOOT_TIMEOUT:-90}

OUT=$RIG_TMP/$SCENARIO.out
ERR=$RIG_TMP/$SCENARIO.err
status=
mkdir -p "$RIG_TMP"

# Seconds since L1 booted, with hundredths.
uptime_s() {
	cut -d' ' -f1 /proc/uptime
}

# knit_run ARGS...: run `knit run ARGS`, stdout to $OUT, stderr to $ERR,
# killed (status 137) after $BOOT_TIMEOUT seconds; sets $status.
knit_run() {
	: >"$OUT"
	: >"$ERR"
	echo "\$ knit run$(quote "$@")" >"$RIG_TMP/$SCENARIO.cmd"
	timeout -s KILL "$BOOT_TIMEOUT" "$KNIT" run "$@" >"$OUT" 2>"$ERR" </dev/null
	status=$?
}

# knit_boot ACTION [KNIT ARGS...]: boot the bzImage with L2's initramfs and
# knit.test=ACTION (see l2/init).
knit_boot() {
	action=$1
	shift
	knit_run -k "$BZIMAGE" -i "$INITRD" -m "$MEM" \
		-p "$PARAMS knit.test=$action" "$@"
}

# knit_start ACTION [KNIT ARGS...]: like knit_boot, in the background;
# sets $knit_pid.
knit_start() {
	action=$1
	shift
	: >"$OUT"
	: >"$ERR"
	echo "\$ knit run$(quote -k "$BZIMAGE" -i "$INITRD" -m "$MEM" \
		-p "$PARAMS knit.test=$action" "$@") &" >"$RIG_TMP/$SCENARIO.cmd"
	"$KNIT" run -k "$BZIMAGE" -i "$INITRD" -m "$MEM" \
		-p "$PARAMS knit.test=$action" "$@" >"$OUT" 2>"$ERR" </dev/null &
	knit_pid=$!
}

# wait_for_grep FILE REGEX SECONDS [PID]: wait until FILE has a line
# matching REGEX; false after SECONDS, or as soon as process PID is gone.
wait_for_grep() {
	deadline=$(($(cut -d. -f1 /proc/uptime) + $3))
	while ! grep -Eq -- "$2" "$1" 2>/dev/null; do
		[ "$(cut -d. -f1 /proc/uptime)" -ge "$deadline" ] && return 1
		[ -z "$4" ] || kill -0 "$4" 2>/dev/null || return 1
		sleep 0.2
	done
}

# quote ARGS...: the arguments, quoted where needed, for a log line.
quote() {
	for a in "$@"; do
		case "$a" in
		*[!A-Za-z0-9_./=:,+-]*|'') printf " '%s'" "$a" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
}

# wait_pid PID SECONDS: wait for a background job; kill it with SIGKILL
# after SECONDS. Sets $status.
wait_pid() {
	(sleep "$2"; kill -KILL "$1" 2>/dev/null) &
	watchdog=$!
	wait "$1"
	status=$?
	kill "$watchdog" 2>/dev/null
	wait "$watchdog" 2>/dev/null
	return 0
}

expect_status() {
	[ "$status" = "$1" ] && return 0
	case "$status" in
	137) fail "knit was killed (timeout after ${BOOT_TIMEOUT}s?), expected exit $1" ;;
	*)   fail "knit exited $status, expected $1" ;;
	esac
}

# expect_grep FILE REGEX: FILE has a line matching the extended REGEX.
expect_grep() {
	grep -Eq -- "$2" "$1" || fail "no line matching /$2/ in $(basename "$1")"
}

expect_no_grep() {
	! grep -Eq -- "$2" "$1" || fail "unexpected /$2/ in $(basename "$1"): $(grep -Em1 -- "$2" "$1")"
}

# expect_marker [CPUS]: L2's /init printed its marker (with CPUS online).
expect_marker() {
	marker=$(tr -d '\r' <"$OUT" | grep -m1 'L2: init reached')
	[ -n "$marker" ] || fail "L2 never reached /init"
	[ -z "$1" ] || [ "${marker##*L2: init reached }" = "cpus=$1" ] ||
		fail "wanted L2 with cpus=$1, saw: $marker"
}

# expect_usage_error REGEX: knit exited 2 with exactly one line on stderr,
# prefixed "knit: ", matching REGEX (extended, case-insensitive).
expect_usage_error() {
	expect_status 2
	lines=$(wc -l <"$ERR")
	[ "$lines" -eq 1 ] || fail "wanted one line on stderr, got $lines"
	grep -q '^knit: ' "$ERR" || fail "stderr line lacks the 'knit: ' prefix"
	grep -Eiq -- "$1" "$ERR" || fail "stderr does not mention /$1/: $(cat "$ERR")"
}

# knit_alive: true while a process named knit exists.
knit_alive() {
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = knit ] && return 0
	done
	return 1
}

# Show the end of knit's output, so a CI log says why.
show_tail() {
	[ -f "$RIG_TMP/$SCENARIO.cmd" ] && sed 's/^/RIG|   /' "$RIG_TMP/$SCENARIO.cmd"
	for f in "$OUT" "$ERR"; do
		[ -s "$f" ] || continue
		echo "RIG|   --- last lines of $(basename "$f") ---"
		tail -n "${TAIL_LINES:-15}" "$f" | tr -d '\r' | sed 's/^/RIG|   /'
	done
}

# knit_threads: for a knit still running, what each thread does and how
# busy it is over a second. Guest time counts as user time: a vCPU thread
# in KVM_RUN (syscall 16) with a full second of it, under an L2 that has
# gone silent, means L2 spins without exits.
knit_threads() {
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = knit ] || continue
		# State, utime and stime: fields 1, 12 and 13 after comm's ")".
		before=$(for t in "$p"/task/*; do
			echo "${t##*/} $(sed 's/.*) //' "$t/stat" | cut -d' ' -f12,13)"
		done 2>/dev/null)
		sleep 1
		for t in "$p"/task/*; do
			set -- $(sed 's/.*) //' "$t/stat" | cut -d' ' -f1,12,13) \
				$(echo "$before" | grep "^${t##*/} ")
			echo "RIG|   knit thread ${t##*/}: state $1, wchan $(cat "$t/wchan")," \
				"syscall $(cut -d' ' -f1 "$t/syscall"); in 1 s: user" \
				"$(($2 - ${5:-$2})) ticks, system $(($3 - ${6:-$3}))"
		done 2>/dev/null
	done
}

# export_file FILE: hand FILE to the host as $SCENARIO/NAME. The rig
# prints it (base64) on the console after the scenario's result, and
# tests/rig/run.sh rebuilds it for the scenario's host check
# (NN-name.host), which runs where tools L1 lacks (tshark) are.
export_file() {
	mkdir -p "$RIG_TMP/$SCENARIO.export"
	cp "$1" "$RIG_TMP/$SCENARIO.export/"
}

pass() {
	echo pass >"$RIG_TMP/$SCENARIO.result"
	exit 0
}

fail() {
	echo "fail: $*" >"$RIG_TMP/$SCENARIO.result"
	{ show_tail; knit_threads; } >"$RIG_TMP/$SCENARIO.tail"
	exit 1
}

# ---- networking ----

# links: the names of L1's network links, sorted, one per line.
links() {
	ip -o link show | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p' | sort
}

# net_serve MIB: a MIB-MiB random blob served over HTTP on L1's 10.0.0.1
# port 5002 (busybox httpd, bound to all addresses), and an nc on port
# 5001 that stores what L2 sends in $RIG_TMP/recv. Sets $blob_md5.
net_serve() {
	mkdir -p "$RIG_TMP/www"
	dd if=/dev/urandom of="$RIG_TMP/www/blob" bs=1M count="$1" 2>/dev/null
	blob_md5=$(md5sum "$RIG_TMP/www/blob" | cut -d' ' -f1)
	rm -f "$RIG_TMP/recv" "$RIG_TMP/hold"
	httpd -p 5002 -h "$RIG_TMP/www"
	# nc quits at the end of its input: give it one that stays open
	# (fd 8, the FIFO's writer, held by this shell) and never sends.
	mkfifo "$RIG_TMP/hold"
	nc -l -p 5001 >"$RIG_TMP/recv" <"$RIG_TMP/hold" &
	nc_pid=$!
	exec 8>"$RIG_TMP/hold"
}

net_unserve() {
	exec 8>&-
	kill "$nc_pid" 2>/dev/null
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = httpd ] && kill "${p#/proc/}" 2>/dev/null
	done
	rm -rf "$RIG_TMP/www" "$RIG_TMP/recv" "$RIG_TMP/hold"
}

# net_line KEY: the value L2 printed as "L2: net: KEY..." (first match).
net_line() {
	tr -d '\r' <"$OUT" | sed -n "s/^L2: net: $1//p" | head -n1
}

# expect_net_basics: L2 saw its NIC with carrier and pinged L1.
expect_net_basics() {
	wait_for_grep "$OUT" 'L2: net: (done|no eth0)' "${1:-120}" "$knit_pid" ||
		fail "L2 did not finish its network test"
	expect_no_grep "$OUT" 'L2: net: no eth0'
	net_line 'eth0 ' | grep -q 'carrier=1' || fail "eth0 has no carrier: $(net_line 'eth0 ')"
	expect_grep "$OUT" 'L2: net: ping [0-9.]+ ok'
}

# expect_net_xfer: what L2 fetched and sent arrived with the same md5.
expect_net_xfer() {
	got=$(net_line 'received md5=')
	[ "$got" = "$blob_md5" ] || fail "L2 received md5 '$got', L1 served $blob_md5"
	sent=$(net_line 'sent md5=')
	wait_pid "$nc_pid" 10
	recv=$(md5sum "$RIG_TMP/recv" | cut -d' ' -f1)
	[ -n "$sent" ] && [ "$sent" = "$recv" ] ||
		fail "L2 sent md5 '$sent', L1 received $recv ($(wc -c <"$RIG_TMP/recv") bytes)"
}

# nic_filters BRIDGE: L1's half of L2's knit.filters=1 test: multicast
# to the group L2 joined arrives whole; frames to a foreign MAC do not
# get through the NIC until eth0 is promiscuous, then they all do.
nic_filters() {
	wait_for_grep "$OUT" 'L2: net: filters ready' 150 "$knit_pid" ||
		fail "L2 did not get to its filter test"
	/rig/bin/udp blast 239.7.7.7 5010 20 10.0.0.1
	/rig/bin/udp frames "$1" 52:54:00:99:99:99 20
	wait_for_grep "$OUT" 'L2: net: promisc on' 60 "$knit_pid" ||
		fail "L2 did not turn promiscuous"
	/rig/bin/udp frames "$1" 52:54:00:99:99:99 20
	wait_for_grep "$OUT" 'L2: net: promisc rx=' 60 "$knit_pid" ||
		fail "L2 did not report its promiscuous count"
	l=$(net_line 'mcast joined=')
	joined=${l%% *}
	rx1=${l##*rx=}
	rx2=$(net_line 'promisc rx=')
	[ "$joined" = 20 ] || fail "L2 got $joined of 20 datagrams to the group it joined"
	# The 20 joined datagrams, a little background (ARP, IPv6), but not
	# the 20 foreign frames.
	[ "$rx1" -lt 35 ] || fail "not promiscuous, eth0 took $rx1 frames: the foreign ones got through"
	[ "$rx2" -ge 20 ] || fail "promiscuous, eth0 took $rx2 frames: wanted the 20 foreign ones"
}

# nic_bridge_test DEVICE MAC PCI_ID DRIVER: an emulated NIC (--device
# DEVICE, with MAC) on a bridge knit creates: L2's stock DRIVER binds (the
# NIC is PCI_ID, as vendor:device), sees MAC, gets carrier, pings; 16 MiB
# each way over TCP arrive whole; the receive filter passes (nic_filters);
# nothing of knit's is left in `ip link` afterwards.
nic_bridge_test() {
	before=$(links)
	net_serve 16
	knit_start "net knit.xfer=16 knit.filters=1 knit.hold=3" \
		--netdev tap,id=n0,br=knbr0,create=on,host-ip=10.0.0.1/24 \
		--device "$1,netdev=n0,mac=$2"
	nic_filters knbr0
	expect_net_basics 240
	expect_grep "$OUT" "L2: net: pci 0000:00:0[0-9a-f].0 $3 class=0x020000"
	net_line 'eth0 mac=' | grep -q "^$2 .* driver=$4\$" ||
		fail "eth0: wanted MAC $2 and driver $4, L2 saw: $(net_line 'eth0 mac=')"
	wait_pid "$knit_pid" 120
	expect_status 0
	expect_net_xfer
	net_unserve
	[ "$(links)" = "$before" ] || fail "links left behind: $(links | tr '\n' ' ')"
}

# vhost_workers: how many vhost kernel threads run in L1.
vhost_workers() {
	n=0
	for p in /proc/[0-9]*; do
		case "$(cat "$p/comm" 2>/dev/null)" in vhost-*) n=$((n + 1)) ;; esac
	done
	echo $n
}

# ---- user-mode networking ----

# user_line KEY: the rest of L2's first "L2: user: KEY..." line.
user_line() {
	tr -d "\r" <"$OUT" | sed -n "s|^L2: user: $1||p" | head -n1
}

# expect_lease IFACE IP ROUTER DNS: L2 got this DHCP lease on IFACE.
expect_lease() {
	l=$(user_line "$1 lease ")
	[ -n "$l" ] || fail "no DHCP lease on $1 in L2: $(user_line "$1 no lease")"
	echo "$l" | grep -q "ip=$2 " || fail "$1 lease: wanted ip=$2, got: $l"
	echo "$l" | grep -q "router=$3 " || fail "$1 lease: wanted router=$3, got: $l"
	echo "$l" | grep -q "dns=$4 " || fail "$1 lease: wanted dns=$4, got: $l"
}

# user_serve: a random blob on L1's loopback, HTTP port 5004 (busybox
# httpd), and a TFTP directory; sets $l1_md5 and $tftp_dir.
user_serve() {
	mkdir -p "$RIG_TMP/www" "$RIG_TMP/tftp"
	dd if=/dev/urandom of="$RIG_TMP/www/blob" bs=1k count=1024 2>/dev/null
	l1_md5=$(md5sum <"$RIG_TMP/www/blob" | cut -d' ' -f1)
	cp "$RIG_TMP/www/blob" "$RIG_TMP/tftp/boot.img"
	tftp_dir=$RIG_TMP/tftp
	httpd -p 127.0.0.1:5004 -h "$RIG_TMP/www"
}

user_unserve() {
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = httpd ] && kill "${p#/proc/}" 2>/dev/null
	done
	rm -rf "$RIG_TMP/www" "$RIG_TMP/tftp"
}

# user_done PORT: tell a serving L2 (knit.serve=1) through the hostfwd on
# L1's PORT that L1 is finished, so it powers off.
user_done() {
	echo done | timeout 5 nc 127.0.0.1 "$1" >/dev/null 2>&1
}

# get_md5 URL: the md5 of what L2 fetched from URL (knit.get=URL), or "".
get_md5() {
	l=$(user_line "get $1 md5=")
	echo "${l%% *}"
}
