# Packet capture of a user-mode netdev while L2 pings its gateway: the
# pcap goes to the host, where 51-capture-tshark.host has tshark count
# the ICMP echoes against the ping's own tally.
pcap=$RIG_TMP/ping.pcap
rm -f "$pcap"
knit_run -k "$BZIMAGE" -i "$INITRD" -m "$MEM" -p "$PARAMS knit.test=user" \
	--netdev user,id=u0 --device virtio-net,netdev=u0 --pcap u0="$pcap"
expect_status 0
expect_grep "$OUT" 'L2: user: ping gateway 10.0.2.2 ok'
tally=$(tr -d '\r' <"$OUT" | sed -n 's/^L2: user: ping \([0-9]* packets transmitted\)/\1/p' | head -n1)
[ -n "$tally" ] || fail "no ping tally from L2"
[ -s "$pcap" ] || fail "no pcap written"
echo "$tally" >"$RIG_TMP/ping-tally"
export_file "$pcap"
export_file "$RIG_TMP/ping-tally"
pass
