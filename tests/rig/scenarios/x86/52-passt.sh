# passt as knit's user-mode stack: knit joins passt's UNIX socket as a
# stream client (the framing QEMU uses with passt). L2 gets passt's DHCP
# lease, a copy of L1's address on the link with the default route, and
# fetches a blob from L1's loopback through the gateway address, which
# passt maps to the host.
dir=$RIG_TMP/passt
rm -rf "$dir"
mkdir -p "$dir"
chmod 777 "$dir"	# passt runs as nobody once started
# passt's sandbox needs a root that is a mount of its own (it pivots
# the root; L1's initramfs root refuses that), and a user namespace,
# which a chrooted process may not make. So passt gets its own mount
# namespace in which a tmpfs with its tree (/rig/passt-root), moved over
# "/", is the root, as switch_root does; $dir is bound in for the socket.
proot=/tmp/passt-root
mkdir -p "$proot"
user_serve
# passt copies its addresses from the link with the default route: a
# bridge of L1's stands in for an uplink.
ip link add name rigp0 type bridge
ip addr add 10.55.0.1/24 dev rigp0
ip link set rigp0 up
ip route add default via 10.55.0.254 dev rigp0
passt_done() {
	[ -n "$passt_pid" ] && kill "$passt_pid" 2>/dev/null
	ip route del default via 10.55.0.254 dev rigp0 2>/dev/null
	ip link del rigp0 2>/dev/null
	user_unserve
}
unshare -m sh -c '
	mount -t tmpfs tmpfs "$1" && cp -a /rig/passt-root/. "$1/" &&
	mkdir -p "$1/dev" "$1/proc" "$1/tmp" "$1/sock" &&
	mount --bind /dev "$1/dev" && mount -t proc proc "$1/proc" &&
	mount --bind "$2" "$1/sock" && cd "$1" && mount --move . / &&
	exec chroot . /usr/bin/passt -f -e -q --runas 65534:65534 \
		-s /sock/passt.sock' sh "$proot" "$dir" >"$dir/passt.log" 2>&1 &
passt_pid=$!
n=0
while [ ! -S "$dir/passt.sock" ] && [ $n -lt 100 ]; do sleep 0.2; n=$((n + 1)); done
[ -S "$dir/passt.sock" ] || { passt_done; fail "passt made no socket: $(grep -v syslog "$dir/passt.log" | tail -n 4 | tr "\n" " ")"; }
knit_run -k "$BZIMAGE" -i "$INITRD" -m "$MEM" \
	-p "$PARAMS knit.test=user knit.get=http://10.55.0.254:5004/blob" \
	--netdev stream,id=p0,server=off,addr.type=unix,addr.path="$dir/passt.sock" \
	--device virtio-net,netdev=p0,mac=52:54:00:52:00:01
got=$(get_md5 http://10.55.0.254:5004/blob)
lease=$(user_line 'eth0 lease ')
passt_done
[ "$status" = 0 ] || fail "knit exited $status; passt said: $(grep -v syslog "$dir/passt.log" | tail -n 4 | tr '\n' ' ')"
echo "$lease" | grep -q 'ip=10.55.0.1 .*router=10.55.0.254 ' ||
	fail "eth0 lease from passt: wanted ip=10.55.0.1 and router=10.55.0.254, got: $lease"
[ "$got" = "$l1_md5" ] || fail "L2 fetched md5 '$got' through passt, L1 served $l1_md5"
pass
