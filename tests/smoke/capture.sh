# SPDX-License-Identifier: GPL-2.0
# Smoke test of packet capture, sourced by run.sh after control.sh (uses
# its helpers). A VM with a user netdev and --pcap: a connection to a
# port forward makes libslirp ask for the guest's address (ARP), and
# tcpdump reads that frame back from the file. Then the bad inputs.

vm=smoke-cap-$$
sock=$ctl_dir/$vm.sock
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pcap=$tmp/cap.pcap

"$knit" run $K --name "$vm" -k "$bz" -p "echo" \
	--netdev "user,id=u0,hostfwd=tcp:127.0.0.1:$port-:22" \
	--device virtio-net,netdev=u0 --pcap "u0=$pcap" </dev/null \
	>"$tmp/vm.out" 2>"$tmp/vm.err" &
vmpid=$!
arp='ARP, Request who-has 10\.0\.2\.15 tell 10\.0\.2\.2'
if wait_for_sock "$sock"; then
	# The file is written frame by frame: wait (10 s at most) for the
	# ARP request, connecting again now and then, a loaded host may be slow.
	for i in $(seq 50); do
		[ $((i % 10)) = 1 ] && port_open "$port"
		tcpdump -nr "$pcap" 2>/dev/null | grep -Eq "$arp" && break
		sleep 0.2
	done
	ctl_run capture-stop 0 stop "$vm"
	wait $vmpid
	if ! command -v tcpdump >/dev/null; then
		ko capture-pcap "tcpdump is not installed"
	elif tcpdump -nr "$pcap" >"$tmp/out" 2>"$tmp/err"; then
		expect capture-pcap "$tmp/out" "$arp"
	else
		ko capture-pcap "tcpdump cannot read $pcap"
	fi
else
	ko capture-pcap "no $sock after 10 s"
	sed 's/^/    | /' "$tmp/vm.err"
	kill $vmpid 2>/dev/null
	wait $vmpid
fi

bad capture-vhost-on "capture of netdev t0: it has vhost=on" $K -k "$bz" \
	--netdev tap,id=t0,vhost=on --device virtio-net,netdev=t0 --pcap t0=$tmp/x.pcap
bad capture-no-netdev "capture of netdev n9: no --netdev with id=n9" $K -k "$bz" \
	--pcap n9=$tmp/x.pcap
bad capture-bad-file "capture of netdev u0: cannot write /nonexistent/x.pcap" \
	$K -k "$bz" --netdev user,id=u0 --device virtio-net,netdev=u0 \
	--pcap u0=/nonexistent/x.pcap
bad capture-bad-object "--object filter-dump,id=f0,netdev=u0: file= is missing" \
	$K -k "$bz" --object filter-dump,id=f0,netdev=u0
