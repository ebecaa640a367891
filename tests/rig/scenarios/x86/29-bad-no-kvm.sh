# Without /dev/kvm knit says so. The scenario hides /dev/kvm with an empty
# /dev in a private mount namespace, so nothing else is disturbed.
: >"$OUT"
echo "\$ unshare -m: tmpfs on /dev; knit run -k $BZIMAGE -m $MEM" >"$RIG_TMP/$SCENARIO.cmd"
unshare -m --propagation private sh -c 'mount -t tmpfs none /dev && exec "$@"' sh \
	timeout -s KILL 20 "$KNIT" run -k "$BZIMAGE" -m "$MEM" \
	>"$OUT" 2>"$ERR" </dev/null
status=$?
grep -q 'unshare\|mount' "$ERR" && ! grep -q '^knit: ' "$ERR" &&
	fail "could not hide /dev/kvm: $(head -n1 "$ERR")"
expect_usage_error '/dev/kvm'
pass
