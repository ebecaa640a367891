# SIGTERM to a running knit ends it with 143 and leaves no knit behind.
knit_start hang
wait_for_grep "$OUT" 'L2: hanging' "$BOOT_TIMEOUT" "$knit_pid" || {
	kill -KILL "$knit_pid" 2>/dev/null
	wait_pid "$knit_pid" 5
	fail "L2 never reached /init (knit status $status)"
}
kill -TERM "$knit_pid"
wait_pid "$knit_pid" 20
expect_status 143
sleep 0.5
! knit_alive || fail "a knit process is still running after SIGTERM"
pass
