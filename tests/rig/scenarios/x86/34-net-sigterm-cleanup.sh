# A knit with a named tap on a bridge it created: while it runs, kt0 is
# enslaved to knbr1, which has host-ip; SIGTERM ends knit with 143 and
# both links are gone.
before=$(links)
knit_start "net knit.ip=10.0.1.2/24 knit.peer=10.0.1.1 knit.hold=300" \
	--netdev tap,id=n0,ifname=kt0,br=knbr1,create=on,host-ip=10.0.1.1/24 \
	--device virtio-net,netdev=n0
expect_net_basics 120
ip -o link show kt0 | grep -q 'master knbr1' || fail "kt0 is not enslaved to knbr1: $(ip -o link show kt0)"
ip -o addr show knbr1 | grep -q '10.0.1.1/24' || fail "knbr1 lacks 10.0.1.1/24"
kill -TERM "$knit_pid"
wait_pid "$knit_pid" 20
expect_status 143
[ "$(links)" = "$before" ] || fail "links left behind after SIGTERM: $(links | tr '\n' ' ')"
pass
