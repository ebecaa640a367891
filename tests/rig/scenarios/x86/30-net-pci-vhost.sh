# virtio-net over PCI with vhost-net, on a bridge knit creates with
# host-ip: /sys/bus/pci lists the host bridge and the NIC with their IDs
# and classes, carrier, L2 pings L1 and L1 pings L2, 64 MiB each way over TCP
# arrive with the same md5, a vhost worker runs while the VM does, and
# once knit exits nothing of its is left in `ip link`.
before=$(links)
net_serve 64
knit_start "net knit.xfer=64 knit.hold=10" -m 512M \
	--netdev tap,id=n0,br=knbr0,create=on,host-ip=10.0.0.1/24,vhost=on \
	--device virtio-net,netdev=n0
expect_net_basics 240
expect_grep "$OUT" 'L2: net: pci 0000:00:00.0 0x8086:0x29c0 class=0x060000'
expect_grep "$OUT" 'L2: net: pci 0000:00:0[0-9a-f].0 0x1af4:0x1041 class=0x020000'
workers=$(vhost_workers)
ping -c 3 -W 5 10.0.0.2 >/dev/null 2>&1 || fail "L1 cannot ping L2 at 10.0.0.2"
wait_pid "$knit_pid" 60
expect_status 0
expect_net_xfer
net_unserve
[ "$workers" -ge 1 ] || fail "no vhost worker ran in L1 with vhost=on"
[ "$(links)" = "$before" ] || fail "links left behind: $(links | tr '\n' ' ')"
pass
