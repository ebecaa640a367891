# Bad --netdev user / --nic options: one line naming the part, exit 2.
check() {	# REGEX ARGS...: knit run ARGS is refused with REGEX
	want=$1
	shift
	knit_run -k "$BZIMAGE" -m "$MEM" "$@"
	expect_usage_error "$want"
}

check 'bogus' --netdev user,id=u0,bogus=1 --device virtio-net,netdev=u0
check 'net=10.0.2.0/33' --nic user,net=10.0.2.0/33
check 'host=10.0.2.x' --nic user,host=10.0.2.x
check '65536' --nic user,hostfwd=tcp::65536-:22
check 'port 0|0 is not' --nic user,hostfwd=tcp::2222-:0
check 'dhcpstart' --nic user,dhcpstart=10.0.3.15
check 'model=e9' --nic user,model=e9
# A host port already taken by a listener in L1.
nc -l -p 7555 </dev/null >/dev/null 2>&1 &
nc_pid=$!
sleep 0.3
check '7555' --nic user,hostfwd=tcp::7555-:22
kill "$nc_pid" 2>/dev/null
pass
