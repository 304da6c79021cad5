#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crak-checkpoint-udp: CRAK_IOC_CHECKPOINT takes a running process's UDP
# sockets and every datagram queued on them, exactly, and takes nothing
# away from the process.
#
#   netns vtciN: udp_target.py (root) with an IPv4 socket (options set,
#   non-blocking, inheritable), a dual-stack IPv6 socket, a connected
#   IPv6-only socket, and a bound TCP socket (CLOSE); nine datagrams queued from
#   distinct sources (addresses, ports, IPv4 to the dual-stack socket),
#   one empty, one of 60000 bytes.
#
# Checks: the TCP socket makes the checkpoint fail naming its fd, and
# --skip-unsupported leaves it out; `crak show --json` has the process,
# each socket with its options, each datagram in order with its exact
# source and SHA-256; crak.ko's codec accepts the image (check --kernel);
# a first buffer too small goes through ENOSPC; the process then still
# reads every datagram, unchanged; nobody without CAP_SYS_PTRACE is
# refused on root's process.

source "$(dirname "$0")/lib.sh"

NS=vtci$VT_ID
PY=$VT_TMP/udp_target.py
READY=$VT_TMP/ready.json
DRAINED=$VT_TMP/drained.json
IMG=$VT_TMP/udp.img
JSON=$VT_TMP/show.json

chmod 0755 "$VT_TMP"
cp "$VT_REPO/tests/selftests/udp_target.py" "$PY"
chmod 0644 "$PY"

if ! vt_netns "$NS"; then
	vt_fail "netns"
	vt_done
fi
ip netns exec "$NS" "$VT_PY" "$PY" "$READY" "$DRAINED" &
PID=$!
vt_defer "kill $PID"
if ! vt_wait_word "$READY" sent; then
	vt_fail "udp_target.py started"
	vt_done
fi
fd() { jq -r --arg n "$1" '.[$n].fd' "$READY"; }

# The TCP socket in CLOSE: refused by name, unless left out.
vt_refuse "a TCP socket fails the checkpoint, naming its fd" \
	"cannot checkpoint $PID: fd $(fd tcp): TCP socket not connected \\(CLOSE\\)" \
	"$CRAK" checkpoint -o "$IMG" "$PID"
vt_eq "nothing written on failure" no "$([[ -e $IMG ]] && echo yes || echo no)"

start=$(date +%s%N)
out=$("$CRAK" checkpoint --skip-unsupported -o "$IMG" "$PID" 2>&1)
rc=$?
end=$(date +%s%N)
vt_eq "--skip-unsupported: written" 0 "$rc"
vt_log "$out"
vt_log "checkpoint: $(( (end - start) / 1000000 )) ms wall (tool start included), image $(stat -c %s "$IMG") bytes"
vt_check "--skip-unsupported: the left-out socket is counted" \
	grep -q "1 socket left out" <<<"$out"
vt_eq "image mode 0600" 600 "$(stat -c %a "$IMG")"
vt_check "crak show --json" bash -c "'$CRAK' show --json '$IMG' >'$JSON'"
"$CRAK" show "$IMG" | sed 's/^/# /' | cut -c1-160

vt_eq "TASK: pid, command, 3 sockets" "$PID python3 3" \
	"$(jq -r '.sections[] | select(.task) | .task | "\(.pid) \(.comm) \(.sockets)"' "$JSON")"
vt_eq "TASK: start time of the process (clock ticks)" \
	"$(awk '{ print $22 }' "/proc/$PID/stat")" \
	"$(jq -r ".sections[] | select(.task) | .task.start_time_ns / (1000000000 / $(getconf CLK_TCK)) | floor" "$JSON")"
vt_eq "SOCK sections: the three UDP sockets, in fd order" \
	"$(fd u4) $(fd u6) $(fd uc)" \
	"$(jq -r '[.sections[] | select(.socket) | .socket.fd] | join(" ")' "$JSON")"

sk() { jq -r --argjson fd "$1" ".sections[] | select(.socket.fd == \$fd) | .socket | $2" "$JSON"; }
vt_eq "IPv4 socket: address, state, descriptor flags" \
	"udp UNCONN 127.0.0.1 5000 true false" \
	"$(sk "$(fd u4)" '"\(.kind) \(.state) \(.local) \(.lport) \(.nonblock) \(.cloexec)"')"
vt_eq "IPv4 socket: options as set" \
	"true true true 300000 true 80000 3 119 1 16 9 true" \
	"$(sk "$(fd u4)" '"\(.reuseaddr) \(.broadcast) \(.rcvbuf_set) \(.rcvbuf) \(.sndbuf_set) \(.sndbuf) \(.priority) \(.mark) \(.rcvlowat) \(.tos) \(.ttl) \(.freebind)"')"
vt_eq "IPv6 socket: dual stack on [::]:5001, reuseport, tclass, hops" \
	"udp6 UNCONN :: 5001 false true 32 7 false true" \
	"$(sk "$(fd u6)" '"\(.kind) \(.state) \(.local) \(.lport) \(.v6only) \(.reuseport) \(.tclass) \(.hops) \(.nonblock) \(.cloexec)"')"
vt_eq "connected IPv6 socket: [::1]:5002 to [::1]:5003, v6only" \
	"ESTAB ::1 5002 ::1 5003 true" \
	"$(sk "$(fd uc)" '"\(.state) \(.local) \(.lport) \(.peer) \(.pport) \(.v6only)"')"

# Every datagram, in order, with its exact source and bytes.
want=$(jq -r '.sent[] | "\(.fd) \(.src) \(.sport) \(.len) \(.sha256)"' "$READY")
got=$(jq -r '.sections[] | select(.queue) | .queue as $q | $q.datagrams[] |
	"\($q.fd) \(.src) \(.sport) \(.length) \(.sha256)"' "$JSON")
vt_eq "every datagram in order: source, port, length, SHA-256 (9)" "$want" "$got"
[[ $want == "$got" ]] || diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
vt_eq "the IPv4 datagram on the dual-stack socket is recorded as IPv4" \
	"inet 127.0.0.1 6101" \
	"$(jq -r '.sections[] | select(.queue) | .queue.datagrams[] | select(.sport == 6101) | "\(.family) \(.src) \(.sport)"' "$JSON")"
vt_eq "SOCK counts agree with the queues" \
	"$(jq -r '[.sections[] | select(.queue) | .queue.count] | join(" ")' "$JSON")" \
	"$(jq -r '[.sections[] | select(.socket) | .socket.datagrams] | join(" ")' "$JSON")"

vt_check "crak.ko's codec accepts the image (check --kernel)" \
	"$CRAK" check --kernel "$IMG"

# ENOSPC: a 4 KiB first buffer, then the length the module asked for.
vt_check "first buffer too small: asked again at the needed length" \
	env CRAK_CHECKPOINT_BUFFER=4096 "$CRAK" checkpoint -s -o "$VT_TMP/small.img" "$PID"
vt_eq "same image either way (the queues did not change)" \
	"$(jq -c '[.sections[] | select(.queue) | .queue]' "$JSON")" \
	"$("$CRAK" show --json "$VT_TMP/small.img" | jq -c '[.sections[] | select(.queue) | .queue]')"

# Permissions, through a 0666 copy of the device node.
devnum=$(cat /sys/class/misc/crak/dev)
mkdir -m 0755 "$VT_TMP/dev"
NODE=$VT_TMP/dev/crak
mknod -m 0666 "$NODE" c "${devnum%:*}" "${devnum#*:}"
mkdir -m 1777 "$VT_TMP/out"
vt_refuse "nobody with CAP_CHECKPOINT_RESTORE, root's process: EPERM" \
	"you may not checkpoint $PID" \
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all,+checkpoint_restore --ambient-caps=-all,+checkpoint_restore \
	"$CRAK" checkpoint -s --device "$NODE" -o "$VT_TMP/out/x.img" "$PID"

# The process still has every datagram, unchanged.
kill -USR1 "$PID"
if vt_wait_word "$DRAINED" '\['; then
	drained=$(jq -r '.[] | "\(.fd) \(.src) \(.sport) \(.len) \(.sha256)"' "$DRAINED")
	vt_eq "the process reads all its datagrams afterwards, unchanged" "$want" "$drained"
else
	vt_fail "the process drained its sockets"
fi
vt_check "checkpoint after the drain" \
	"$CRAK" checkpoint -s -o "$VT_TMP/empty.img" "$PID"
vt_eq "after the drain: no datagram left" 0 \
	"$("$CRAK" show --json "$VT_TMP/empty.img" | jq '[.sections[] | select(.queue) | .queue.count] | add')"

kill "$PID" && wait "$PID" 2>/dev/null
vt_refuse "a process that is gone: ESRCH" "no process $PID" \
	"$CRAK" checkpoint -o "$IMG.2" "$PID"
vt_done
