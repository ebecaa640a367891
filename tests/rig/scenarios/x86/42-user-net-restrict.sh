# --nic user with net=, dhcpstart= and restrict=on: the lease follows the
# addresses given; L2 cannot reach L1's loopback through the host address,
# yet a hostfwd into L2 still works. A second user netdev, with its own
# net= and dns=, is its own network.
user_serve
knit_start "user knit.serve=1 knit.get=http://192.168.76.2:5004/blob" \
	--nic user,net=192.168.76.0/24,dhcpstart=192.168.76.9,restrict=on,hostfwd=tcp:127.0.0.1:7080-:80,hostfwd=tcp::7009-:7009 \
	--nic user,model=virtio-net-pci,net=10.9.0.0/16,dns=10.9.0.53
wait_for_grep "$OUT" 'L2: user: serving' 120 "$knit_pid" ||
	fail "L2 did not get to serving"
l2_md5=$(user_line 'serving md5=')
timeout 20 wget -q -O "$RIG_TMP/fwd" http://127.0.0.1:7080/blob
fwd_md5=$(md5sum <"$RIG_TMP/fwd" | cut -d' ' -f1)
user_done 7009
wait_pid "$knit_pid" 60
user_unserve
expect_status 0
# restrict=on: libslirp (as in QEMU) offers no router or DNS by DHCP.
user_line 'eth0 lease ' | grep -q 'ip=192.168.76.9 ' ||
	fail "eth0 lease: wanted ip=192.168.76.9, got: $(user_line 'eth0 lease ')"
# dhcpstart and host default to .15 and .2 of 10.0.2.x within the mask,
# as in QEMU; dns= as given.
expect_lease eth1 10.9.2.15 10.9.2.2 10.9.0.53
user_line 'get http://192.168.76.2:5004/blob ' | grep -q failed ||
	fail "restrict=on: L2 reached L1's loopback: $(user_line 'get ')"
[ -n "$l2_md5" ] && [ "$fwd_md5" = "$l2_md5" ] ||
	fail "hostfwd with restrict=on: L1 got md5 $fwd_md5, L2 served '$l2_md5'"
pass
