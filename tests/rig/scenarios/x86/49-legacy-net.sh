# QEMU's legacy -net syntax: "-net nic -net user" meet on hub 0, and
# vlan=1 is a second hub with its own user-mode network, so eth0 and
# eth1 get their leases from different networks.
knit_run -k "$BZIMAGE" -i "$INITRD" -m "$MEM" -p "$PARAMS knit.test=user" \
	-net nic,macaddr=52:54:00:49:00:01 -net user \
	-net nic,vlan=1,macaddr=52:54:00:49:00:02 \
	-net user,vlan=1,net=10.1.0.0/24
expect_status 0
expect_lease eth0 10.0.2.15 10.0.2.2 10.0.2.3
expect_lease eth1 10.1.0.15 10.1.0.2 10.1.0.3
expect_grep "$OUT" 'L2: user: ping gateway 10.0.2.2 ok'
pass
