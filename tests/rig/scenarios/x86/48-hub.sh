# A hub joins two NICs of one VM and a user-mode back end: QEMU's
# hubport netdevs. Both NICs get their DHCP lease from the one libslirp
# through the hub (.15 and .16), and the guest reaches the gateway.
knit_run -k "$BZIMAGE" -i "$INITRD" -m "$MEM" -p "$PARAMS knit.test=user" \
	--netdev user,id=u0 \
	--netdev hubport,id=h0,hubid=0,netdev=u0 \
	--netdev hubport,id=h1,hubid=0 --netdev hubport,id=h2,hubid=0 \
	--device virtio-net,netdev=h1,mac=52:54:00:48:00:01 \
	--device virtio-net,netdev=h2,mac=52:54:00:48:00:02
expect_status 0
expect_lease eth0 10.0.2.15 10.0.2.2 10.0.2.3
expect_lease eth1 10.0.2.16 10.0.2.2 10.0.2.3
expect_grep "$OUT" 'L2: user: ping gateway 10.0.2.2 ok'
pass
