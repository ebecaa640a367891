# The control socket on a running VM: `knit list` shows it, set-link off
# makes the guest see NO-CARRIER and on brings it back, `knit stop` ends
# it with status 0 and removes its socket.
knit_start "carrier" --name rig-link --nic user
wait_for_grep "$OUT" 'L2: carrier=1' 120 "$knit_pid" || fail "L2 never saw carrier"
"$KNIT" list | grep -q "^rig-link  *$knit_pid  *running$" || fail "knit list: $("$KNIT" list)"
"$KNIT" set-link rig-link __nic0 off || fail "knit set-link off failed"
wait_for_grep "$OUT" 'L2: carrier=0' 30 "$knit_pid" || fail "L2 did not lose carrier"
"$KNIT" set-link rig-link __nic0 on || fail "knit set-link on failed"
# carrier=1, carrier=0, then carrier=1 again.
ups() { tr -d '\r' <"$OUT" | grep -c 'L2: carrier=1'; }
n=0
while [ "$(ups)" -lt 2 ] && [ $n -lt 150 ]; do
	sleep 0.2
	n=$((n + 1))
done
[ "$(ups)" -ge 2 ] || fail "L2 did not get carrier back"
"$KNIT" stop rig-link || fail "knit stop failed"
wait_pid "$knit_pid" 30
expect_status 0
[ ! -e /run/knit/rig-link.sock ] || fail "the control socket is still there"
pass
