#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in L1: every scenario in /rig/scenarios, in name order, each in its
# own shell with lib.sh sourced. Prints one line per scenario:
#   RIG: PASS name (T s)
#   RIG: FAIL name: reason (T s)
# followed, on failure, by "RIG|" lines with the end of knit's output; a
# scenario that failed and was run again first prints, for each failure,
#   RIG: RETRY name: reason (T s)
# and files a scenario exported follow its result as "RIG-FILE" lines.
# RIG_DONE (comma-separated names) lists scenarios an earlier L1 boot
# already reported; they are not run again. A scenario that fails while
# L1's own kernel reports a stall gets neither line but
#   RIG: L1-SICK name: reason (T s)
# and this L1 stops, so that run.sh runs it again in a fresh one
# (heartbeat.sh does the same when one of L1's CPUs loses its timer, or
# when a scenario outlives its timeout).

RIG_TMP=/tmp/rig
# A scenario that runs longer than this is killed and fails.
SCENARIO_TIMEOUT=${SCENARIO_TIMEOUT:-300}
mkdir -p "$RIG_TMP"

# Leave no knit (nor a stand-in's QEMU, nor a server) behind to disturb
# the next run.
cleanup() {
	for p in /proc/[0-9]*; do
		case "$(cat "$p/comm" 2>/dev/null)" in
		knit|qemu-system-x86|httpd|nc|udp|passt*) kill -KILL "${p#/proc/}" 2>/dev/null ;;
		esac
	done
}

# L1's latest complaint about itself: an RCU stall or a soft lockup, as
# the emulated SVM causes now and then (a CPU's timer stops, L1 crawls).
# The last such line is compared, not a count, as the log wraps.
l1_stall() {
	dmesg | grep -E 'rcu: INFO: .*detected stall|watchdog: BUG: soft lockup' | tail -n 1
}

# run_scenario FILE NAME: run it; sets $result, $took and $sick (L1
# reported a stall meanwhile).
run_scenario() {
	rm -rf "$RIG_TMP/$2.result" "$RIG_TMP/$2.tail" "$RIG_TMP/$2.export"
	stall0=$(l1_stall)
	t0=$(cut -d' ' -f1 /proc/uptime)
	# For heartbeat.sh, should the timeout below fail to end it.
	echo "$2 $((${t0%.*} + SCENARIO_TIMEOUT + 30))" >"$RIG_TMP/current"
	SCENARIO=$2 timeout -s KILL "$SCENARIO_TIMEOUT" \
		sh -c '. /rig/lib.sh && . "$1"' sh "$1" </dev/null >"$RIG_TMP/$2.log" 2>&1
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s", b - a }')
	result=$(cat "$RIG_TMP/$2.result" 2>/dev/null)
	[ -n "$result" ] || result="fail: no result (scenario exited $rc)"
	sick=
	[ "$(l1_stall)" != "$stall0" ] && sick=1
}

# sick_exit NAME: the scenario failed while L1 stalled; no verdict here.
sick_exit() {
	echo "RIG: L1-SICK $1:${result#fail:} ($took)"
	show_failure "$1"
	echo "RIG|   L1: $(l1_stall)"
	cleanup
	exit 1
}

# Files a scenario exported (lib.sh's export_file), base64 on the
# console for the host: a "begin" line, then the data lines.
export_files() {
	for f in "$RIG_TMP/$1.export"/*; do
		[ -f "$f" ] || continue
		echo "RIG-FILE $1/${f##*/} begin"
		base64 "$f" | sed "s|^|RIG-FILE $1/${f##*/} |"
	done
}

show_failure() {
	[ -s "$RIG_TMP/$1.tail" ] && cat "$RIG_TMP/$1.tail"
	[ -s "$RIG_TMP/$1.log" ] && tail -n 10 "$RIG_TMP/$1.log" | sed 's/^/RIG|   sh: /'
}

# The nested guests now and then stall or triple-fault under emulation
# (seen with QEMU as L2's VMM too; 8139too's scenario, the hardest on
# the rig, in up to a quarter of its runs), so a failed scenario runs
# up to $ATTEMPTS times. Each failure but the last is printed in full as
# RETRY; failing every time is a FAIL.
ATTEMPTS=3
for f in /rig/scenarios/*.sh; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .sh)
	case ",${RIG_DONE:-}," in *",$name,"*) continue ;; esac
	run_scenario "$f" "$name"
	n=1
	while [ "$result" != pass ]; do
		[ -n "$sick" ] && sick_exit "$name"
		[ "$n" -lt "$ATTEMPTS" ] || break
		echo "RIG: RETRY $name:${result#fail:} ($took)"
		show_failure "$name"
		cleanup
		run_scenario "$f" "$name"
		n=$((n + 1))
	done
	case "$result" in
	pass)   echo "RIG: PASS $name ($took)" ;;
	*)      echo "RIG: FAIL $name:${result#fail:} ($took)" ;;
	esac
	export_files "$name"
	[ "$result" = pass ] && continue
	show_failure "$name"
	cleanup
done
exit 0
