# No network option at all: knit gives the guest QEMU's default, user-mode
# networking behind virtio-net. L2 gets 10.0.2.15 by DHCP with gateway .2
# and DNS .3, pings the gateway, and reaches a server on L1's loopback
# through the gateway address.
user_serve
knit_run -k "$BZIMAGE" -i "$INITRD" -m "$MEM" \
	-p "$PARAMS knit.test=user knit.get=http://10.0.2.2:5004/blob"
user_unserve
expect_status 0
expect_lease eth0 10.0.2.15 10.0.2.2 10.0.2.3
expect_grep "$OUT" 'L2: user: ping gateway 10.0.2.2 ok'
got=$(get_md5 http://10.0.2.2:5004/blob)
[ "$got" = "$l1_md5" ] || fail "L2 fetched md5 '$got' from L1's loopback, served $l1_md5 ($(user_line 'get '))"
pass
