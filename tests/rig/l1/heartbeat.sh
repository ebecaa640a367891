#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in L1, in the background: "RIG-HB uptime cpuN" every 15 s from each
# CPU, so run.sh can tell a wedged L1 from a slow scenario; and a watch on
# each CPU's timer.
#
# Under the emulated SVM one CPU of L1 now and then stops taking timer
# interrupts (RCU has reported "timer wakeup didn't happen" for it). L1
# still runs, but whatever sleeps on that CPU never wakes: an L2 whose
# vCPU is there freezes, and so can the `timeout` meant to end the
# scenario. So a watcher is pinned to each CPU: every 15 s it prints the
# heartbeat, notes that its CPU woke it, and looks at the others' notes.
# When one has not beaten for $STALE s, it prints
#   RIG: L1-SICK name: CPU n's timer stopped ...
# (name is the scenario or bench step running, the first word of
# /tmp/rig/current), then that CPU's timer state, and ends L1, so that
# run.sh gives what had no result to a fresh L1. The same when a
# scenario outlives the deadline scenarios.sh wrote after its name there
# (its own timeout did not end it), with L1's processes.

STALE=60
BEATS=/tmp/rig/beat
mkdir -p "$BEATS"
# Each watcher's sleep must stay on its own CPU.
echo 0 >/proc/sys/kernel/timer_migration 2>/dev/null

now() {
	cut -d. -f1 /proc/uptime
}

# timer_state CPU: the lines of /proc/timer_list that show whether CPU's
# clock event device is still armed, with the local timer interrupt
# counts of every CPU.
timer_state() {
	awk -v cpu="$1" '
		/^now at / { print }
		/^cpu: / { in_cpu = ($2 == cpu) }
		in_cpu && /^ *\.(expires_next|hres_active|nr_events|nr_retries|nr_hangs|tick_stopped|idle_jiffies|last_tick)/ { print }
		/^Tick Device: / { in_cpu = 0; dev = 0 }
		/^Per CPU device: / { dev = ($4 == cpu) }
		dev && /^(Clock Event Device| *mode| *next_event| *set_next_event)/ { print }
	' /proc/timer_list
	grep -E '^ *LOC:' /proc/interrupts
}

# tasks: L1's user processes (pid, parent, state, name, where they
# wait), with the kernel stacks of those in uninterruptible sleep.
tasks() {
	for p in /proc/[0-9]*; do
		[ -e "$p/exe" ] || continue
		st=$(sed -n 's/^State:\t\(.\).*/\1/p' "$p/status")
		echo "${p#/proc/} $(sed -n 's/^PPid:\t//p' "$p/status") $st $(cat "$p/comm") $(cat "$p/wchan")"
		[ "$st" = D ] && head -n 12 "$p/stack"
	done 2>/dev/null
}

# sick REASON CMD...: say so, show what CMD finds, give this L1 up.
sick() {
	mkdir "$BEATS/sick" 2>/dev/null || exit 0	# the other watcher said it
	echo "RIG: L1-SICK ${name:--}: $1"
	shift
	"$@" | head -n 60 | sed 's/^/RIG|   L1: /'
	# Not poweroff: it waits for every CPU, and a CPU that lost its
	# timer may take no interrupt at all (seen: poweroff soft-locked).
	# An immediate reboot ends QEMU (-no-reboot); first let the console
	# drain.
	sleep 2
	echo b >/proc/sysrq-trigger
	exit 1
}

# watch CPU: the watcher pinned to CPU.
watch() {
	while :; do
		t=$(now)
		# Renamed into place, so that a reader never sees it empty.
		echo "$t" >"$BEATS/$1.new" && mv "$BEATS/$1.new" "$BEATS/$1"
		echo "RIG-HB $(cut -d' ' -f1 /proc/uptime) cpu$1"
		name= deadline=
		read -r name deadline 2>/dev/null </tmp/rig/current
		for c in $cpus; do
			last=$(cat "$BEATS/$c")
			[ $((t - last)) -ge "$STALE" ] &&
				sick "CPU $c's timer stopped (its watcher last woke at $last s, now $t s)" \
					timer_state "$c"
		done
		[ -n "$deadline" ] && [ "$t" -gt "$deadline" ] &&
			sick "still running at $t s, past its timeout (due to end by $deadline s)" tasks
		sleep 15
	done
}

# watch CPU CPUS...: this is CPU's watcher (nproc counts only CPU there).
if [ "${1:-}" = watch ]; then
	shift
	c=$1
	shift
	cpus=$*
	watch "$c"
	exit
fi
cpus=$(seq 0 $(($(nproc) - 1)))
t=$(now)
for c in $cpus; do
	echo "$t" >"$BEATS/$c"
done
for c in $cpus; do
	taskset -c "$c" "$0" watch "$c" $cpus &
done
