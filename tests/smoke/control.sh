# SPDX-License-Identifier: GPL-2.0
# Smoke test of the control socket, sourced by run.sh (its knit, K, bz,
# tmp, ok, ko, bad): a named VM whose guest idles (echo, with no input)
# is listed, refuses its name to a second VM, gets a port forward added,
# shown and removed, shrugs off raw garbage and stops on request.

if [ "$(id -u)" = 0 ]; then
	ctl_dir=/run/knit
elif [ -n "${XDG_RUNTIME_DIR:-}" ]; then
	ctl_dir=$XDG_RUNTIME_DIR/knit
else
	ctl_dir=/tmp/knit-$(id -u)
fi

# wait_for_sock PATH: up to 10 s for knit to serve it
wait_for_sock() {
	local i
	for i in $(seq 100); do
		[ -S "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# port_open PORT: does something accept TCP connections on 127.0.0.1:PORT?
port_open() {
	timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# ctl_run NAME WANT_STATUS knit-args...: a knit client command, output
# in $tmp/out and $tmp/err
ctl_run() {
	local name=$1 want=$2 got
	shift 2
	timeout 60 "$knit" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$want" ]; then
		ko "$name" "knit $* exited $got, expected $want"
		return 1
	fi
	return 0
}

# ctl_err NAME WANT_STATUS REGEX knit-args...: fails with one line on stderr
ctl_err() {
	local name=$1 want=$2 re=$3
	shift 3
	ctl_run "$name" "$want" "$@" || return
	if [ "$(wc -l <"$tmp/err")" != 1 ] || [ -s "$tmp/out" ]; then
		ko "$name" "expected one line on stderr and nothing on stdout"
		return
	fi
	expect "$name" "$tmp/err" "$re"
}

vm=smoke-$$
sock=$ctl_dir/$vm.sock
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
rule=tcp:127.0.0.1:$port-:22

# No network option: the VM has the default user netdev.
"$knit" run $K --name "$vm" -k "$bz" -p "echo" </dev/null \
	>"$tmp/vm.out" 2>"$tmp/vm.err" &
vmpid=$!
if ! wait_for_sock "$sock"; then
	ko control-socket "no $sock after 10 s"
	sed 's/^/    | /' "$tmp/vm.err"
else
	ok control-socket
fi

ctl_run control-list 0 list &&
expect control-list "$tmp/out" "^$vm +$vmpid +running\$"

mode=$(stat -c %a "$sock" 2>/dev/null)
dmode=$(stat -c %a "$ctl_dir" 2>/dev/null)
if [ "$mode" = 600 ] && [ "$dmode" = 700 ]; then ok control-socket-mode
else ko control-socket-mode "socket mode $mode, directory mode $dmode"; fi

# A second VM of the same name: one line, exit 2, the first untouched.
bad control-name-taken "^knit: --name $vm: a VM of that name is running\$" \
	$K --name "$vm" -k "$bz" -p "poweroff"
if [ -S "$sock" ] && kill -0 $vmpid 2>/dev/null; then ok control-name-kept
else ko control-name-kept "first VM or its socket gone"; fi

if port_open "$port"; then
	ko control-hostfwd "port $port was open before the forward"
else
	ctl_run control-hostfwd 0 hostfwd "$vm" add "$rule" &&
	if port_open "$port"; then ok control-hostfwd
	else ko control-hostfwd "127.0.0.1:$port does not accept connections"; fi
fi

ctl_run control-info-usernet 0 info "$vm" usernet &&
expect control-info-usernet "$tmp/out" '^netdev [^ ]+:$' \
	"TCP\[HOST_FORWARD\] .* 127\.0\.0\.1 +$port .* 22 "

ctl_run control-hostfwd-remove 0 hostfwd "$vm" remove "$rule" &&
if port_open "$port"; then ko control-hostfwd-remove "port $port still open"
else ok control-hostfwd-remove; fi

ctl_err control-error-from-vm 1 "^knit: hostfwd=.*:$port-.*: no such forward\$" \
	hostfwd "$vm" remove "$rule"
ctl_err control-bad-rule 1 "^knit: rule tcp::0-:22: host port 0" \
	hostfwd "$vm" add tcp::0-:22
ctl_err control-no-such-vm 1 "^knit: no VM named nosuch-$$\$" stop "nosuch-$$"
ctl_err control-usage 2 "^knit: hostfwd: missing RULE" hostfwd "$vm" add

# Raw lines, as any client may send them: each gets an error object,
# the connection and the VM carry on.
python3 - "$sock" >"$tmp/out" 2>"$tmp/err" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(b'{not json\n{"execute":"nope"}\n[1,2]\n'
          b'{"execute":"hostfwd-add"}\n{"execute":"query-name"}\n')
buf = b''
while buf.count(b'\n') < 5:
    d = s.recv(4096)
    if not d:
        break
    buf += d
sys.stdout.write(buf.decode())
EOF
if [ "$(grep -c '^{"error":{"class":"[A-Za-z]*","desc":"[^"]' "$tmp/out")" = 4 ] &&
   grep -q '^{"error":{"class":"CommandNotFound"' "$tmp/out" &&
   grep -q "^{\"return\":{\"name\":\"$vm\",\"pid\":$vmpid,\"status\":\"running\"}}\$" "$tmp/out" &&
   kill -0 $vmpid 2>/dev/null; then
	ok control-raw-garbage
else
	ko control-raw-garbage "expected four error objects and a reply"
fi

# set-link on the default netdev (--nic user's id is __nic0); the guest
# side is checked by unit tests and the rig.
ctl_run control-set-link 0 set-link "$vm" __nic0 off &&
ctl_run control-info-network 0 info "$vm" network &&
expect control-info-network "$tmp/out" \
	'^nic0: index=0,type=nic,model=virtio-net-pci,macaddr=52:54:00(:[0-9a-f]{2}){3}$' \
	'^ \\ __nic0: index=0,type=user,link=down$' &&
ctl_run control-set-link 0 set-link "$vm" __nic0 on && ok control-set-link
ctl_err control-set-link-no-netdev 1 "^knit: no netdev nosuch\$" \
	set-link "$vm" nosuch off
ctl_err control-set-link-usage 2 "^knit: set-link: expected on or off" \
	set-link "$vm" __nic0 maybe

# Stop: knit run exits 0, the socket is gone when `knit stop` returns.
ctl_run control-stop 0 stop "$vm" &&
if [ -e "$sock" ]; then ko control-stop "$sock still there"
else ok control-stop; fi
timeout 30 tail --pid=$vmpid -f /dev/null || kill -TERM $vmpid
wait $vmpid
st=$?
if [ "$st" = 0 ]; then ok control-stop-status
else ko control-stop-status "knit run exited $st"; fi

# SIGTERM removes the socket of an unnamed VM (knit-PID) too.
"$knit" run $K -k "$bz" -p "echo" </dev/null >/dev/null 2>"$tmp/err" &
pid=$!
if wait_for_sock "$ctl_dir/knit-$pid.sock"; then
	kill -TERM $pid
	wait $pid
	st=$?
	if [ "$st" = 143 ] && [ ! -e "$ctl_dir/knit-$pid.sock" ]; then
		ok control-sigterm-cleanup
	else
		ko control-sigterm-cleanup "status $st, socket left: $(ls "$ctl_dir")"
	fi
else
	ko control-sigterm-cleanup "no knit-$pid.sock"
	kill -TERM $pid
	wait $pid
fi

# Pause and resume: a paused guest reads no console input (its vCPU is
# parked), resumed it echoes what waited in the UART.
pvm=smoke-pause-$$
rm -f "$tmp/pin"
mkfifo "$tmp/pin"
"$knit" run $K --name "$pvm" -k "$bz" -p "echoes" <"$tmp/pin" \
	>"$tmp/pause.out" 2>"$tmp/pause.err" &
ppid=$!
exec 7>"$tmp/pin"
if ! wait_for_sock "$ctl_dir/$pvm.sock"; then
	ko control-pause "no $pvm.sock after 10 s"
else
	printf 'one\n' >&7
	for i in $(seq 50); do
		grep -q 'echo>ONE' "$tmp/pause.out" && break
		sleep 0.1
	done
	ctl_run control-pause 0 pause "$pvm" &&
	ctl_run control-pause-list 0 list &&
	expect control-pause-list "$tmp/out" "^$pvm +$ppid +paused\$" &&
	printf 'two\n' >&7 && sleep 1 &&
	if grep -q 'echo>TWO' "$tmp/pause.out"; then
		ko control-pause "a paused guest echoed its input"
	elif ! grep -q 'echo>ONE' "$tmp/pause.out"; then
		ko control-pause "the guest never echoed before the pause"
	else
		ok control-pause
	fi
	ctl_run control-resume 0 resume "$pvm" &&
	for i in $(seq 50); do
		grep -q 'echo>TWO' "$tmp/pause.out" && break
		sleep 0.1
	done
	if grep -q 'echo>TWO' "$tmp/pause.out"; then ok control-resume
	else ko control-resume "no echo of the input after resume"; fi
	ctl_err control-pause-usage 2 "^knit: pause: missing NAME" pause
	ctl_run control-pause-stop 0 stop "$pvm"
fi
exec 7>&-
timeout 30 tail --pid=$ppid -f /dev/null || kill -TERM $ppid
wait $ppid
rm -f "$tmp/pin"

# A socket left by a VM that died is skipped by list and reclaimed by run.
stale=smoke-stale-$$
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
	"$ctl_dir/$stale.sock"
ctl_run control-stale-list 0 list &&
if grep -q "$stale" "$tmp/out" || [ -s "$tmp/err" ]; then
	ko control-stale-list "stale socket listed or complained about"
else
	ok control-stale-list
fi
run control-stale-reclaimed 0 $K --name "$stale" -k "$bz" -p "poweroff" &&
if [ -e "$ctl_dir/$stale.sock" ]; then ko control-stale-reclaimed "socket left"
else ok control-stale-reclaimed; fi
rm -f "$ctl_dir/$stale.sock"
