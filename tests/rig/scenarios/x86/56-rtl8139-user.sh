# Both RTL8139 drivers on user-mode networking: QEMU's legacy
# "-net nic,model=rtl8139 -net user" gives 8139cp a DHCP lease and a
# 1 MiB fetch from L1's loopback arrives intact; rev=0x10 does the same
# for 8139too.
user_serve
knit_run -k "$BZIMAGE" -i "$INITRD" -m "$MEM" \
	-p "$PARAMS knit.test=user knit.get=http://10.0.2.2:5004/blob" \
	-net nic,model=rtl8139,macaddr=52:54:00:81:39:03 -net user
cp_get=$(get_md5 http://10.0.2.2:5004/blob)
expect_status 0
user_line 'eth0 mac=' | grep -q '^52:54:00:81:39:03 driver=8139cp$' ||
	fail "eth0: wanted 8139cp with 52:54:00:81:39:03, got: $(user_line 'eth0 mac=')"
expect_lease eth0 10.0.2.15 10.0.2.2 10.0.2.3
[ "$cp_get" = "$l1_md5" ] || fail "8139cp: L2 fetched md5 '$cp_get', L1 served $l1_md5"
knit_run -k "$BZIMAGE" -i "$INITRD" -m "$MEM" \
	-p "$PARAMS knit.test=user knit.get=http://10.0.2.2:5004/blob" \
	--netdev user,id=u0 --device rtl8139,netdev=u0,rev=0x10,mac=52:54:00:81:39:04
too_get=$(get_md5 http://10.0.2.2:5004/blob)
user_unserve
expect_status 0
user_line 'eth0 mac=' | grep -q '^52:54:00:81:39:04 driver=8139too$' ||
	fail "eth0: wanted 8139too with 52:54:00:81:39:04, got: $(user_line 'eth0 mac=')"
expect_lease eth0 10.0.2.15 10.0.2.2 10.0.2.3
[ "$too_get" = "$l1_md5" ] || fail "8139too: L2 fetched md5 '$too_get', L1 served $l1_md5"
pass
