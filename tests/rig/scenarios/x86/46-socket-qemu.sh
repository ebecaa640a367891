# A knit VM and a QEMU VM (Debian's qemu-system-x86_64 -accel kvm in L1)
# on a listen/connect socket pair: each pings the other.
port=12346
"$KNIT" run -k "$BZIMAGE" -i "$INITRD" -m 192M \
	-p "$PARAMS knit.test=net knit.ip=10.6.0.1/24 knit.peer=10.6.0.2 knit.wait=120 knit.hold=40" \
	--netdev socket,id=s0,listen=127.0.0.1:$port \
	--device virtio-net,netdev=s0,mac=52:54:00:06:00:01 \
	>"$RIG_TMP/knit.out" 2>"$RIG_TMP/knit.err" </dev/null &
kpid=$!
# QEMU starts once knit's L2 is up: the two booting side by side have
# crashed L1's kernel (its stack overflowed in nested page-fault
# handling, in a vCPU thread's KVM_RUN, knit's or QEMU's).
wait_for_grep "$RIG_TMP/knit.out" 'L2: init reached' 120 "$kpid" ||
	{ kill $kpid 2>/dev/null; fail "the knit VM did not reach /init"; }
qemu-system-x86_64 -M microvm,pcie=on,rtc=on -accel kvm -cpu host -m 192M \
	-L /usr/share/qemu -nodefaults -no-user-config -nographic -no-reboot \
	-serial stdio -monitor none -kernel "$BZIMAGE" -initrd "$INITRD" \
	-append "$PARAMS knit.test=net knit.ip=10.6.0.2/24 knit.peer=10.6.0.1 knit.wait=120 knit.hold=40" \
	-netdev socket,id=s0,connect=127.0.0.1:$port \
	-device virtio-net-pci,netdev=s0,mac=52:54:00:06:00:02,romfile= \
	>"$RIG_TMP/qemu.out" 2>"$RIG_TMP/qemu.err" </dev/null &
qpid=$!
for vm in knit qemu; do
	OUT=$RIG_TMP/$vm.out
	[ $vm = knit ] && knit_pid=$kpid peer=10.6.0.2 || knit_pid=$qpid peer=10.6.0.1
	wait_for_grep "$OUT" 'L2: net: (done|no eth0)' 240 "$knit_pid" ||
		{ kill $kpid $qpid 2>/dev/null; fail "the $vm VM did not finish its network test"; }
	grep -q "L2: net: ping $peer ok" "$OUT" || {
		kill $kpid $qpid 2>/dev/null
		fail "the $vm VM cannot ping $peer; QEMU said: $(tail -n 5 "$RIG_TMP/qemu.err" "$RIG_TMP/qemu.out" | tr -d '\r' | tr '\n' ' ')"
	}
done
wait_pid $kpid 60
[ "$status" = 0 ] || fail "knit exited $status"
wait_pid $qpid 60
pass
