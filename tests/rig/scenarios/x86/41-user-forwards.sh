# --netdev user with its options: hostname and domain by DHCP, TFTP,
# guestfwd to a command and to a TCP server on L1's loopback, and TCP and
# UDP hostfwd from L1 into L2, bytes compared end to end.
user_serve
printf 'HTTP/1.0 200 OK\r\nContent-Length: 9\r\n\r\ngfwd-cmd\n' >"$RIG_TMP/gfwd-reply"
gets="knit.get=http://10.0.2.100:80/x knit.get=http://10.0.2.101:8080/blob"
knit_start "user knit.serve=1 knit.tftp=10.0.2.2:boot.img $gets" \
	--netdev "user,id=u0,hostname=l2-guest,domainname=rig.test,tftp=$tftp_dir,hostfwd=tcp:127.0.0.1:7080-:80,hostfwd=udp::7001-:7001,hostfwd=tcp::7009-:7009,guestfwd=tcp:10.0.2.100:80-cmd:cat $RIG_TMP/gfwd-reply,guestfwd=tcp:10.0.2.101:8080-tcp:127.0.0.1:5004" \
	--device virtio-net,netdev=u0
wait_for_grep "$OUT" 'L2: user: serving' 120 "$knit_pid" ||
	fail "L2 did not get to serving"
l2_md5=$(user_line 'serving md5=')
timeout 20 wget -q -O "$RIG_TMP/fwd" http://127.0.0.1:7080/blob ||
	{ user_done 7009; fail "wget through hostfwd tcp 127.0.0.1:7080 failed"; }
fwd_md5=$(md5sum <"$RIG_TMP/fwd" | cut -d' ' -f1)
udp_reply=$(udp send 127.0.0.1 7001 rig-udp-42)
user_done 7009
wait_pid "$knit_pid" 60
user_unserve
expect_status 0
expect_lease eth0 10.0.2.15 10.0.2.2 10.0.2.3
user_line 'eth0 lease ' | grep -q 'hostname=l2-guest ' ||
	fail "hostname= did not reach L2: $(user_line 'eth0 lease ')"
user_line 'eth0 lease ' | grep -q 'domain=rig.test ' ||
	fail "domainname= did not reach L2: $(user_line 'eth0 lease ')"
[ -n "$l2_md5" ] && [ "$fwd_md5" = "$l2_md5" ] ||
	fail "hostfwd tcp: L1 got md5 $fwd_md5, L2 served '$l2_md5'"
[ "$udp_reply" = "echo:rig-udp-42" ] || fail "hostfwd udp: reply '$udp_reply'"
got=$(user_line 'tftp 10.0.2.2:boot.img md5=')
[ "$got" = "$l1_md5" ] || fail "tftp: L2 got md5 '$got', want $l1_md5 ($(user_line 'tftp '))"
got=$(get_md5 http://10.0.2.100:80/x)
want=$(printf 'gfwd-cmd\n' | md5sum | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "guestfwd cmd: L2 got '$got' ($(user_line 'get http://10.0.2.100'))"
got=$(get_md5 http://10.0.2.101:8080/blob)
[ "$got" = "$l1_md5" ] || fail "guestfwd tcp: L2 got '$got' ($(user_line 'get http://10.0.2.101'))"
pass
