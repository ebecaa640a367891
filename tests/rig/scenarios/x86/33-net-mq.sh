# queues=2 with 2 vCPUs: L2 sees 2 queue pairs and each of its four
# queues interrupts (traffic went through all of them), with vhost.
before=$(links)
knit_start "net knit.hold=5" -c 2 \
	--netdev tap,id=n0,br=knbr0,create=on,host-ip=10.0.0.1/24,queues=2 \
	--device virtio-net,netdev=n0
expect_net_basics 150
q=$(net_line 'eth0 ' | sed 's/.*queues=//; s/ driver=.*//')
[ "$q" = "rx-0 rx-1 tx-0 tx-1 " ] || fail "L2 has queues '$q', wanted rx-0 rx-1 tx-0 tx-1"
for name in input.0 input.1 output.0 output.1; do
	n=$(tr -d '\r' <"$OUT" | sed -n "s/^L2: net: irq virtio[0-9]*-$name //p" | head -n1)
	[ -n "$n" ] && [ "$n" -gt 0 ] || fail "queue $name saw no interrupts (${n:-none listed})"
done
[ "$(vhost_workers)" -ge 2 ] || fail "wanted a vhost worker per queue pair, saw $(vhost_workers)"
wait_pid "$knit_pid" 60
expect_status 0
[ "$(links)" = "$before" ] || fail "links left behind: $(links | tr '\n' ' ')"
pass
