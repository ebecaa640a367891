# Two knit VMs on a stream socket (server and client over a UNIX path).
# Killing the client leaves the server's VM running, and `knit info`
# shows it without a peer; a new client with reconnect= gets through.
sock=$RIG_TMP/link.sock
knit_start "net knit.ip=10.7.0.1/24 knit.peer=10.7.0.2 knit.wait=120 knit.hold=120" \
	-m 192M --name rig-srv \
	--netdev stream,id=s0,server=on,addr.type=unix,addr.path=$sock \
	--device virtio-net,netdev=s0,mac=52:54:00:07:00:01
srv=$knit_pid
SRV_OUT=$OUT SRV_ERR=$ERR
# cli_run HOLD: start a client VM; failures from here on show its output.
cli_run() {
	OUT=$RIG_TMP/cli.out ERR=$RIG_TMP/cli.err
	"$KNIT" run -k "$BZIMAGE" -i "$INITRD" -m 192M \
		-p "$PARAMS knit.test=net knit.ip=10.7.0.2/24 knit.peer=10.7.0.1 knit.wait=120 knit.hold=$1" \
		--netdev stream,id=s0,server=off,addr.type=unix,addr.path=$sock,reconnect=1 \
		--device virtio-net,netdev=s0,mac=52:54:00:07:00:02 \
		>"$OUT" 2>"$ERR" </dev/null &
	cli=$!
}
n=0
while [ ! -S "$sock" ] && [ $n -lt 50 ]; do sleep 0.2; n=$((n + 1)); done
cli_run 60
wait_for_grep "$OUT" 'L2: net: (done|no eth0)' 180 "$cli" || fail "client VM did not finish"
expect_grep "$OUT" 'L2: net: ping 10.7.0.1 ok'
kill -KILL $cli
wait $cli 2>/dev/null
OUT=$SRV_OUT ERR=$SRV_ERR
sleep 3
kill -0 $srv 2>/dev/null || fail "the server VM died with its peer"
# info network says the peer is gone (frames meanwhile are counted).
"$KNIT" info rig-srv network >"$RIG_TMP/info" || fail "knit info rig-srv network failed"
grep -q '^ \\ s0: index=0,type=stream,peer=none,tx=[1-9][0-9]*,' "$RIG_TMP/info" ||
	fail "info network without a peer: $(cat "$RIG_TMP/info")"
# A second client: the server takes it and frames flow again.
cli_run 5
wait_for_grep "$OUT" 'L2: net: (done|no eth0)' 180 "$cli" || fail "second client did not finish"
expect_grep "$OUT" 'L2: net: ping 10.7.0.1 ok'
"$KNIT" info rig-srv network >"$RIG_TMP/info" || fail "knit info rig-srv network failed"
grep -q '^ \\ s0: index=0,type=stream,peer=connected,tx=[1-9][0-9]*,tx_dropped=[0-9]*,rx=[1-9]' "$RIG_TMP/info" ||
	fail "info network with the second client: $(cat "$RIG_TMP/info")"
wait_pid $cli 60
"$KNIT" stop rig-srv || fail "knit stop of the server failed"
wait_pid $srv 30
OUT=$SRV_OUT ERR=$SRV_ERR
expect_status 0
pass
