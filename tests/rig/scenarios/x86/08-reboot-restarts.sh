# With --reboot a guest reset boots the machine again instead of ending
# knit: L2 (knit.test=reboot) reaches /init a second time; SIGTERM then
# ends knit with 143.
knit_start reboot --reboot
boots() { grep -c 'L2: init reached' "$OUT"; }
waited=0
while [ "$(boots)" -lt 2 ]; do
	if [ "$waited" -ge $((2 * BOOT_TIMEOUT)) ] || ! kill -0 "$knit_pid" 2>/dev/null; then
		kill -KILL "$knit_pid" 2>/dev/null
		wait_pid "$knit_pid" 5
		fail "L2 reached /init $(boots) time(s), not twice (knit status $status)"
	fi
	sleep 1
	waited=$((waited + 1))
done
kill -TERM "$knit_pid"
wait_pid "$knit_pid" 20
expect_status 143
pass
