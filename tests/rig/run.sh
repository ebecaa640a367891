#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The nested rig: boot a Debian kernel (L1) under QEMU TCG with emulated
# AMD SVM, so that L1 has a real /dev/kvm, and run knit in it against a
# stock Debian kernel (L2). See /work/shared/docs/rig.md for the why.
#
#   tests/rig/run.sh OBJTREE scenarios   every tests/rig/scenarios/x86/*.sh
#   tests/rig/run.sh OBJTREE bench       knit vs QEMU microvm, boot to /init
#   tests/rig/run.sh OBJTREE demo        a Debian guest booting under knit
#
# knit comes from OBJTREE/knit (KNIT=path overrides). Images are cached in
# OBJTREE/tests/rig-cache; L1's console of the last run is saved there as
# last-console.log. Environment: RIG_TIMEOUT (seconds for the whole L1 run),
# RIG_IDLE (seconds of console silence that mean L1 is wedged),
# RIG_DEMO=shell (demo: a shell in L2), RIG_NO_KNIT=1 (run without knit), RIG_WITH_QEMU=1 (put QEMU in L1 in
# every mode; KNIT=tests/rig/stand-in/knit needs it), to check the rig.
# Bench only: RIG_RUNS (runs of each, default 3), RIG_PARTS (a comma list
# of boot,vhost-on,vhost-off,e1000,rtl8139,user; default all).
set -u
set -o pipefail

usage() { echo "usage: $0 OBJTREE scenarios|bench|demo" >&2; exit 2; }
[ $# -eq 2 ] || usage
objtree=$(cd "$1" 2>/dev/null && pwd) || { echo "rig: no directory $1" >&2; exit 2; }
mode=$2
case "$mode" in scenarios|bench|demo) ;; *) usage ;; esac

rigdir=$(cd "$(dirname "$0")" && pwd)
arch=x86
cache=$objtree/tests/rig-cache
knit=${KNIT:-$objtree/knit}
console=$cache/last-console.log
mkdir -p "$cache"

. "$rigdir/images.sh"

if [ ! -x "$knit" ] && [ "${RIG_NO_KNIT:-0}" != 1 ]; then
	die "$knit is not built (make first; RIG_NO_KNIT=1 checks the rig alone)"
fi
for tool in qemu-system-x86_64 busybox cpio dpkg-deb apt-get readelf timeout flock gcc; do
	command -v "$tool" >/dev/null || die "$tool is missing (scripts/deps.sh rig installs it)"
done
ldd /bin/busybox >/dev/null 2>&1 && die "/bin/busybox is not static (install busybox-static)"

# One rig at a time on this machine: it keeps both cores busy.
exec 9>/tmp/knit-rig.lock
flock -n 9 || {
	say "WAIT    another rig run holds /tmp/knit-rig.lock"
	flock -w 1800 9 || die "gave up waiting for /tmp/knit-rig.lock"
}

t_start=$(date +%s.%N)
kernel_fetch
[ "$mode" = scenarios ] && vmlinux_extract
l2_initrd
[ "$mode" = bench ] && l2_initrd iperf
l1_initrd "$mode"
t_images=$(date +%s.%N)

# A last resort: a wedged or sick L1 is caught sooner (heartbeat.sh). The
# scenarios take about 11 min in one L1; 3 runs of one that fails cost
# up to 15 more.
case "$mode" in
scenarios) timeout_s=${RIG_TIMEOUT:-1800} ;;
bench)     timeout_s=${RIG_TIMEOUT:-2400} ;;
demo)      timeout_s=${RIG_TIMEOUT:-300}
	   [ "${RIG_DEMO:-}" = shell ] && timeout_s=${RIG_TIMEOUT:-3600} ;;
esac

qemu_cmd=(qemu-system-x86_64 -accel tcg,thread=multi -cpu EPYC -smp 2 -m 2048
	-no-reboot -kernel "$vmlinuz" -initrd "$l1_initrd")
l1_append="console=ttyS0 quiet panic=-1 rig.mode=$mode rig.demo=${RIG_DEMO:-demo}"
[ "$mode" = bench ] && l1_append+=" rig.runs=${RIG_RUNS:-3} rig.parts=${RIG_PARTS:-boot,vhost-on,vhost-off,e1000,rtl8139,user}"

say "L1      $kver, rig.mode=$mode, timeout ${timeout_s}s"
if [ "$mode" = demo ]; then
	# The whole console on screen; -nographic so a person can type (and
	# leave with Ctrl-A x); --foreground so QEMU may read the terminal.
	timeout --foreground -k 10 "$timeout_s" "${qemu_cmd[@]}" -append "$l1_append" \
		-nographic 2>"$cache/qemu-l1.err" | tee "$console"
	rc=${PIPESTATUS[0]}
	[ "$rc" -eq 124 ] && die "L1 timed out after ${timeout_s}s"
	tr -d '\r' <"$console" | grep -q '^RIG: demo: knit exited 0 ' || exit 1
	exit 0
fi

# L1 prints a heartbeat every 15 s from user space; if no line of the rig's
# own (heartbeat or result) comes for RIG_IDLE seconds, L1 is wedged: stop
# QEMU rather than wait for the timeout. Kernel messages do not count: a
# soft-locked L1 keeps printing watchdog reports and nothing else.
idle_s=${RIG_IDLE:-90}
: >"$console"

console_tail() {
	echo "rig: last lines of L1's console ($console):"
	grep -v '^RIG-HB' "$console" | tail -n 25 | sed 's/^/  > /'
	# QEMU's own complaints, minus the TCG feature warnings every run has.
	grep -v "TCG doesn't support requested feature" "$cache/qemu-l1.err" | tail -n 10 |
		sed 's/^/  qemu: /'
}

# Boot L1 once with extra kernel parameters; its console is appended to
# $console. Sets l1_status (0 fine, 1 wedged, timed out or failed).
boot_l1() {
	local watchdog rc
	rm -f "$cache/qemu-l1.pid" "$cache/l1-wedged"
	(
		last=$(grep -c '^RIG' "$console") quiet=0
		while sleep 5; do
			pid=$(cat "$cache/qemu-l1.pid" 2>/dev/null) || continue
			kill -0 "$pid" 2>/dev/null || exit 0
			lines=$(grep -c '^RIG' "$console")
			if [ "$lines" != "$last" ]; then last=$lines quiet=0; continue; fi
			quiet=$((quiet + 5))
			if [ "$quiet" -ge "$idle_s" ]; then
				touch "$cache/l1-wedged"
				kill -TERM "$pid"
				exit 0
			fi
		done
	) &
	watchdog=$!

	# Show the rig's lines as they come; keep the whole console.
	timeout -k 10 "$timeout_s" "${qemu_cmd[@]}" -append "$l1_append $1" \
		-display none -serial stdio -monitor none \
		-pidfile "$cache/qemu-l1.pid" </dev/null 2>"$cache/qemu-l1.err" |
		sed -u 's/\r//g' | tee -a "$console" |
		grep --line-buffered '^RIG[:|]' | sed -u 's/^RIG: //; s/^RIG|/  |/'
	rc=${PIPESTATUS[0]}
	kill "$watchdog" 2>/dev/null
	wait "$watchdog" 2>/dev/null

	l1_status=1
	if [ -e "$cache/l1-wedged" ]; then
		echo "rig: no heartbeat from L1 for ${idle_s}s (L1 wedged); stopped it"
		console_tail
	elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "rig: L1 timed out after ${timeout_s}s"
		console_tail
	elif [ "$rc" -ne 0 ]; then
		echo "rig: QEMU (L1) exited $rc"
		console_tail
	else
		l1_status=0
	fi
}

# Scenarios that reported a result so far, comma-separated.
reported() {
	sed -n 's/^RIG: \(PASS\|FAIL\) \([^ :]*\).*/\2/p' "$console" | paste -sd, -
}

boot_l1 ""
status=$l1_status
if [ "$mode" = scenarios ]; then
	# The emulated SVM under TCG now and then wedges L1 itself (seen
	# with and without knit's changes, as a new L2 starts), or panics
	# its kernel (a stack overflow in nested page-fault handling, seen
	# once with a knit and a QEMU guest running side by side), or stalls
	# it or stops one CPU's timer (L1-SICK, see l1/scenarios.sh and
	# l1/heartbeat.sh). Boot a fresh L1 for the scenarios that have no
	# result yet, at most three times; a scenario that brings L1 down
	# every time still fails.
	expected=$(ls "$rigdir/scenarios/$arch/"*.sh | wc -l)
	for restart in 1 2 3; do
		done_list=$(reported)
		n_done=$(printf '%s' "$done_list" | tr ',' '\n' | grep -c .)
		[ "$n_done" -lt "$expected" ] || break
		# The scenario the last L1 stopped at for a stall, if it did.
		sick=$(awk '/^RIG: L1 up/ { s = "" }
			/^RIG: L1-SICK / { s = $3; sub(/:$/, "", s) } END { print s }' "$console")
		if [ "$l1_status" = 0 ] && [ -n "$sick" ]; then
			echo "rig: L1's kernel fell sick during $sick; its verdict waits for a fresh L1"
		elif [ "$l1_status" = 0 ]; then
			echo "rig: L1 ended before every scenario reported (its kernel crashed?)"
			console_tail
		fi
		echo "rig: restarting L1 ($restart of 3) for the $((expected - n_done)) scenarios without a result"
		boot_l1 "rig.done=$done_list"
		status=$l1_status
	done
fi
if [ "$mode" = bench ]; then
	# The same for the bench: a fresh L1 runs the steps that have not
	# reported (see l1/bench.sh), at most twice.
	for restart in 1 2; do
		grep -q '^RIG: BENCH-END' "$console" && break
		done_list=$(sed -n 's/^RIG: BENCH-RAW \([^ ]*\) .*/\1/p' "$console" | paste -sd, -)
		echo "rig: restarting L1 ($restart of 2) for the bench steps without a figure"
		boot_l1 "rig.done=$done_list"
		status=$l1_status
	done
fi
t_end=$(date +%s.%N)
grep -q '^RIG: L1 up .*/dev/kvm present' "$console" || {
	echo "rig: L1 has no /dev/kvm"
	status=1
}

times=$(awk -v a="$t_start" -v b="$t_images" -v c="$t_end" \
	'BEGIN { printf "images %.1f s, L1 run %.1f s", b - a, c - b }')

# files_of NAME DIR: rebuild in DIR the files scenario NAME exported
# (lib.sh export_file); a retried scenario's last copy wins.
files_of() {
	awk -v name="$1" -v dir="$2" '
		$1 == "RIG-FILE" && index($2, name "/") == 1 {
			f = substr($2, length(name) + 2)
			if ($3 == "begin") { data[f] = ""; seen[f] = 1 }
			else if (seen[f]) data[f] = data[f] $3 "\n"
		}
		END { for (f in data) printf "%s", data[f] > (dir "/" f ".b64") }
	' "$console"
	for b in "$2"/*.b64; do
		[ -e "$b" ] || continue
		base64 -d "$b" >"${b%.b64}" || return 1
		rm -f "$b"
	done
}

# Host checks: NN-name.host runs here on what scenario NN-name (which
# must have passed in L1) exported, with tools L1 lacks (tshark). Sets
# host_passed and host_failed.
host_checks() {
	local h name dir out
	host_passed=0 host_failed=0
	for h in "$rigdir/scenarios/$arch/"*.host; do
		[ -e "$h" ] || continue
		name=$(basename "$h" .host)
		dir=$cache/rig-files/$name
		rm -rf "$dir"
		mkdir -p "$dir"
		if ! grep -q "^RIG: PASS $name " "$console"; then
			echo "FAIL $name (host check): the scenario did not pass in L1"
			host_failed=$((host_failed + 1))
			continue
		fi
		if files_of "$name" "$dir" && out=$(bash "$h" "$dir" 2>&1); then
			echo "PASS $name (host check: $(printf '%s' "$out" | tail -n1))"
			host_passed=$((host_passed + 1))
		else
			echo "FAIL $name (host check): $(printf '%s' "$out" | tail -n1)"
			printf '%s\n' "$out" | sed 's/^/  |   /'
			host_failed=$((host_failed + 1))
		fi
	done
}

# bench_report CONSOLE: medians of the BENCH-RAW figures, knit/QEMU
# ratios, the targets; false if a step failed or never ran.
bench_report() {
	awk -v runs="${RIG_RUNS:-3}" -v parts="${RIG_PARTS:-boot,vhost-on,vhost-off,e1000,rtl8139,user}" '
	function median(key,   n, i, j, t, v) {
		n = cnt[key]
		if (!n) return "none"
		for (i = 1; i <= n; i++) v[i] = val[key, i]
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
			}
		return v[int((n + 1) / 2)]
	}
	function ratio(a, b) {
		return (a == "none" || b == "none" || b + 0 == 0) ? "none" : sprintf("%.2f", a / b)
	}
	function pair(label, what, dir,   k, q) {
		k = median(what ".knit." dir); q = median(what ".qemu." dir)
		printf "  %-13s dir=%s knit-mbits=%s qemu-mbits=%s ratio=%s\n", label, dir, k, q, ratio(k, q)
	}
	$1 == "RIG:" && $2 == "BENCH-RAW" {
		id = $3; seen[id] = 1
		n = split(id, p, ".")
		what = p[1] (n == 4 ? "." p[3] : "")
		vmm = p[2]
		if ($4 == "failed") { failed++; next }
		for (i = 4; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[2] == "none") continue
			key = what "." vmm "." kv[1]
			val[key, ++cnt[key]] = kv[2]
		}
	}
	END {
		np = split(parts, want, ",")
		for (i = 1; i <= np; i++) {
			w = want[i]
			for (r = 1; r <= runs; r++)
				for (m = 0; m < 2; m++) {
					vmm = m ? "qemu" : "knit"
					id = (w == "boot" || w == "user") ? w "." vmm "." r : "net." vmm "." w "." r
					if (!(id in seen)) missing++
				}
			has[w] = 1
		}
		if (has["boot"]) {
			k = median("boot.knit.s"); q = median("boot.qemu.s")
			print "rig: bench (boot to /init and power off, median wall time in L1):"
			printf "  knit-median-s=%s qemu-median-s=%s ratio=%s knit-vmm-rss-kib=%s\n",
				k, q, ratio(k, q), median("boot.knit.rss")
			print "  (targets: ratio <= 0.6, knit-vmm-rss-kib < 4096)"
		}
		if (has["vhost-on"] || has["vhost-off"]) {
			print "rig: bench (iperf3 over virtio-net + tap + bridge, median Mbit/s, knit/QEMU):"
			for (v = 0; v < 2; v++) {
				w = v ? "vhost-off" : "vhost-on"
				if (!has[w]) continue
				pair(substr(w, 1, 5) "=" substr(w, 7), "net." w, "g2h")
				pair(substr(w, 1, 5) "=" substr(w, 7), "net." w, "h2g")
			}
			print "  (targets: ratio >= 1.0 with vhost=on, >= 1.2 with vhost=off)"
			# How near knit'"'"'s user-space path comes to the in-kernel one:
			# what the data path itself could still gain.
			if (has["vhost-on"] && has["vhost-off"])
				printf "  knit vhost=off/vhost=on: g2h=%s h2g=%s\n",
					ratio(median("net.vhost-off.knit.g2h"), median("net.vhost-on.knit.g2h")),
					ratio(median("net.vhost-off.knit.h2g"), median("net.vhost-on.knit.h2g"))
		}
		if (has["e1000"] || has["rtl8139"]) {
			print "rig: bench (iperf3 over the emulated NICs on the same tap, median Mbit/s, knit/QEMU):"
			for (v = 0; v < 2; v++) {
				w = v ? "rtl8139" : "e1000"
				if (!has[w]) continue
				pair("model=" w, "net." w, "g2h")
				pair("model=" w, "net." w, "h2g")
			}
			print "  (target: ratio >= 1.0 for each model)"
		}
		if (has["user"]) {
			print "rig: bench (iperf3 through a user-mode hostfwd, median Mbit/s, knit/QEMU):"
			pair("user", "user", "g2h")
			pair("user", "user", "h2g")
			print "  (target: ratio >= 1.0 guest-to-host)"
		}
		printf "rig: bench steps: %d failed, %d without a figure\n", failed, missing
		exit (failed || missing) ? 1 : 0
	}' "$1"
}

case "$mode" in
scenarios)
	host_checks
	expected=$(ls "$rigdir/scenarios/$arch/"*.sh | wc -l)
	passed=$(grep -c '^RIG: PASS ' "$console")
	failed=$(grep -c '^RIG: FAIL ' "$console")
	if [ $((passed + failed)) -ne "$expected" ]; then
		echo "rig: $((passed + failed)) results for $expected scenarios (L1 crashed or timed out?);" \
			"counting the missing ones as failed"
		[ "$status" -eq 0 ] && console_tail
		failed=$((expected - passed))
		status=1
	fi
	passed=$((passed + host_passed))
	failed=$((failed + host_failed))
	[ "$failed" -eq 0 ] || status=1
	echo "rig: $times"
	# Passed on a later run: a RETRY or L1-SICK line, then a PASS for it.
	retried=$(awk '/^RIG: (RETRY|L1-SICK) / { k = $3; sub(/:$/, "", k); r[k] = 1 }
		/^RIG: PASS / && r[$3] { n++ } END { print n + 0 }' "$console")
	echo "rig: $passed passed ($retried of them on a later run), $failed failed"
	;;
bench)
	echo "rig: $times"
	bench_report "$console" || status=1
	;;
esac
exit $status
