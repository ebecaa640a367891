# A bridge that existed before knit (with its own address) is used as it
# is and left in place after knit exits; only knit's tap goes away.
ip link add name exbr0 type bridge || fail "cannot create exbr0"
ip addr add 10.0.9.1/24 dev exbr0
ip link set exbr0 up
before=$(links)
knit_start "net knit.ip=10.0.9.2/24 knit.peer=10.0.9.1 knit.hold=3" \
	--netdev bridge,id=n0,br=exbr0 --device virtio-net,netdev=n0
expect_net_basics 120
wait_pid "$knit_pid" 60
expect_status 0
after=$(links)
addr=$(ip -o addr show exbr0)
ip link del exbr0
[ "$after" = "$before" ] || fail "links changed: $(echo $after)"
echo "$addr" | grep -q '10.0.9.1/24' || fail "exbr0 lost its address"
pass
