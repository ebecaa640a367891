# Three knit VMs on one multicast socket network: each pings the next
# (1 -> 2 -> 3 -> 1), so every VM both sends and answers. L1 has only its
# loopback, so the group lives there.
ip link set lo multicast on
ip route add 224.0.0.0/4 dev lo 2>/dev/null
for i in 1 2 3; do
	next=$((i % 3 + 1))
	"$KNIT" run -k "$BZIMAGE" -i "$INITRD" -m 192M \
		-p "$PARAMS knit.test=net knit.ip=10.5.0.$i/24 knit.peer=10.5.0.$next knit.wait=90 knit.hold=40" \
		--netdev socket,id=m0,mcast=230.0.0.1:12345,localaddr=127.0.0.1 \
		--device virtio-net,netdev=m0,mac=52:54:00:05:00:0$i \
		>"$RIG_TMP/vm$i.out" 2>"$RIG_TMP/vm$i.err" </dev/null &
	eval "pid$i=\$!"
done
for i in 1 2 3; do
	next=$((i % 3 + 1))
	OUT=$RIG_TMP/vm$i.out
	eval "knit_pid=\$pid$i"
	wait_for_grep "$OUT" 'L2: net: (done|no eth0)' 180 "$knit_pid" ||
		{ kill $pid1 $pid2 $pid3 2>/dev/null; fail "VM $i did not finish its network test: $(tail -n 3 "$RIG_TMP/vm$i.err" | tr '\n' ' ')"; }
	expect_grep "$OUT" "L2: net: ping 10.5.0.$next ok"
done
for i in 1 2 3; do
	eval "wait_pid \$pid$i 60"
	[ "$status" = 0 ] || fail "VM $i: knit exited $status"
done
pass
