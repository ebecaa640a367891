# Bad network options: each gives one line naming the problem, exit 2,
# and leaves L1's links as they were.
ip link add name used0 type bridge || fail "cannot create used0"
before=$(links)

check() {	# REGEX ARGS...: knit run ARGS is refused with REGEX
	want=$1
	shift
	knit_run -k "$BZIMAGE" -m "$MEM" "$@"
	expect_usage_error "$want"
	[ "$(links)" = "$before" ] || fail "links changed after '$*': $(links | tr '\n' ' ')"
}

check 'used0.*(in use|exists)' --netdev tap,id=n0,ifname=used0 --device virtio-net,netdev=n0
check 'lo.*not a bridge' --netdev tap,id=n0,br=lo --device virtio-net,netdev=n0
check 'nobr0' --netdev tap,id=n0,br=nobr0 --device virtio-net,netdev=n0
check 'mac' --netdev tap,id=n0 --device virtio-net,netdev=n0,mac=52:54:00:zz:00:01
check 'mac' --netdev tap,id=n0 --device virtio-net,netdev=n0,mac=01:00:5e:00:00:01
check 'n9' --netdev tap,id=n0 --device virtio-net,netdev=n9
check 'queues' --netdev tap,id=n0,queues=0 --device virtio-net,netdev=n0

mv /dev/vhost-net /dev/vhost-net.away
check 'vhost' --netdev tap,id=n0,vhost=on --device virtio-net,netdev=n0
mv /dev/vhost-net.away /dev/vhost-net

chmod 666 /dev/kvm
/rig/bin/nobody "$KNIT" run -k "$BZIMAGE" -m "$MEM" --netdev tap,id=n0,br=used0 \
	--device virtio-net,netdev=n0 >"$OUT" 2>"$ERR" </dev/null
status=$?
chmod 600 /dev/kvm
expect_usage_error 'CAP_NET_ADMIN|permission'
ip link del used0
pass
