# virtio-net over virtio-mmio (transport=mmio) with the MAC given:
# L2 sees that MAC and carrier, and pings L1 both ways.
before=$(links)
knit_start "net knit.hold=8" \
	--netdev tap,id=n0,br=knbr0,create=on,host-ip=10.0.0.1/24 \
	--device virtio-net,netdev=n0,transport=mmio,mac=52:54:00:12:34:56
expect_net_basics 120
net_line 'eth0 ' | grep -q 'mac=52:54:00:12:34:56' ||
	fail "L2's eth0 does not have the MAC given: $(net_line 'eth0 ')"
ping -c 3 -W 5 10.0.0.2 >/dev/null 2>&1 || fail "L1 cannot ping L2 at 10.0.0.2"
wait_pid "$knit_pid" 60
expect_status 0
[ "$(links)" = "$before" ] || fail "links left behind: $(links | tr '\n' ' ')"
pass
