# The same over the user-space data path (vhost=off, io_uring to the
# tap): carrier, pings both ways, 64 MiB each way intact, no vhost worker,
# nothing left behind.
before=$(links)
net_serve 64
knit_start "net knit.xfer=64 knit.hold=10" -m 512M \
	--netdev tap,id=n0,br=knbr0,create=on,host-ip=10.0.0.1/24,vhost=off \
	--device virtio-net,netdev=n0
expect_net_basics 240
workers=$(vhost_workers)
ping -c 3 -W 5 10.0.0.2 >/dev/null 2>&1 || fail "L1 cannot ping L2 at 10.0.0.2"
wait_pid "$knit_pid" 60
expect_status 0
expect_net_xfer
net_unserve
[ "$workers" -eq 0 ] || fail "$workers vhost workers ran with vhost=off"
[ "$(links)" = "$before" ] || fail "links left behind: $(links | tr '\n' ' ')"
pass
