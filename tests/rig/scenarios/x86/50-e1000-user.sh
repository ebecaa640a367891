# An emulated Intel 82540EM (--nic user,model=e1000) under L2's stock
# e1000 driver: the driver binds, the MAC given is the one it sees, the
# link comes up, DHCP through user-mode networking gives a lease, and a
# 1 MiB fetch from L1's loopback arrives intact.
user_serve
knit_run -k "$BZIMAGE" -i "$INITRD" -m "$MEM" \
	-p "$PARAMS knit.test=user knit.get=http://10.0.2.2:5004/blob" \
	--nic user,model=e1000,mac=52:54:00:e1:00:01
user_unserve
expect_status 0
user_line 'eth0 mac=' | grep -q '^52:54:00:e1:00:01 driver=e1000$' ||
	fail "eth0: wanted the e1000 driver with 52:54:00:e1:00:01, got: $(user_line 'eth0 mac=')"
expect_lease eth0 10.0.2.15 10.0.2.2 10.0.2.3
expect_grep "$OUT" 'L2: user: ping gateway 10.0.2.2 ok'
got=$(get_md5 http://10.0.2.2:5004/blob)
[ "$got" = "$l1_md5" ] || fail "L2 fetched md5 '$got', L1 served $l1_md5"
pass
