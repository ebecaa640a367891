#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in L1: every scenario in /rig/scenarios, in name order, each in its
# own shell with lib.sh sourced. Prints one line per scenario:
#   RIG: PASS name (T s)
#   RIG: FAIL name: reason (T s)
# followed, on failure, by "RIG|" lines with the end of knit's output.
# RIG_DONE (comma-separated names) lists scenarios an earlier L1 boot
# already reported; they are not run again.

RIG_TMP=/tmp/rig
# A scenario that runs longer than this is killed and fails.
SCENARIO_TIMEOUT=${SCENARIO_TIMEOUT:-300}
mkdir -p "$RIG_TMP"

for f in /rig/scenarios/*.sh; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .sh)
	case ",${RIG_DONE:-}," in *",$name,"*) continue ;; esac
	rm -f "$RIG_TMP/$name.result" "$RIG_TMP/$name.tail"
	t0=$(cut -d' ' -f1 /proc/uptime)
	SCENARIO=$name timeout -s KILL "$SCENARIO_TIMEOUT" \
		sh -c '. /rig/lib.sh && . "$1"' sh "$f" </dev/null >"$RIG_TMP/$name.log" 2>&1
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s", b - a }')
	result=$(cat "$RIG_TMP/$name.result" 2>/dev/null)
	case "$result" in
	pass)   echo "RIG: PASS $name ($took)" ;;
	fail:*) echo "RIG: FAIL $name:${result#fail:} ($took)" ;;
	*)      echo "RIG: FAIL $name: no result (scenario exited $rc) ($took)" ;;
	esac
	[ "$result" = pass ] && continue
	[ -s "$RIG_TMP/$name.tail" ] && cat "$RIG_TMP/$name.tail"
	[ -s "$RIG_TMP/$name.log" ] && tail -n 10 "$RIG_TMP/$name.log" | sed 's/^/RIG|   sh: /'
	# Leave no knit (nor a stand-in's QEMU) behind to disturb the next one.
	for p in /proc/[0-9]*; do
		case "$(cat "$p/comm" 2>/dev/null)" in
		knit|qemu-system-x86|httpd|nc) kill -KILL "${p#/proc/}" 2>/dev/null ;;
		esac
	done
done
exit 0
