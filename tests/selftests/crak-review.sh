#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crak-review: the order in which CRAK_IOC_RESTORE builds and fills
# sockets, the buffer sizes it leaves, and the sockets a checkpoint must
# refuse because the image cannot say where they were bound.
#
#   netns vtvaN: crak_review.py order: a UDP socket with 1500 datagrams
#   queued; a TCP listener on 10.77.0.2 without SO_REUSEADDR at
#   descriptor 60, above the connection it accepted (SO_RCVBUF and
#   SO_SNDBUF set), whose peer runs in vtvpN, behind a vnif pair; neither
#   reads, both queues are full. `crak checkpoint --kill` (the pair
#   freezes), then `crak restart` in vtvaN again while crak_review.py
#   flood sends new datagrams to the UDP socket's address; the pair is
#   thawed once the sockets are built.
#
# Checks: the listener is rebuilt although a connection on its port comes
# first in the image; the 1500 recorded datagrams are read first, in
# order, before any datagram that arrived after the restore (a race: the
# flood, a few hundred datagrams a second in the emulated guest, does not
# hit the milliseconds the queue takes to fill in every run); SO_SNDBUF and
# SO_RCVBUF are the recorded values again once the queues are in; both
# streams go on byte for byte; the listener accepts a new connection.
#
#   netns vtvcN: crak_review.py device: a TCP listener a forked child has
#   too, a UDP socket with SO_BINDTODEVICE, one bound to fe80::1%d0, one
#   holding a datagram from a link-local source, one plain. `crak
#   inspect` says which a checkpoint cannot take (verdict device), `crak
#   checkpoint` refuses the first by its descriptor, --skip-unsupported
#   takes the listener and the plain one. CRAK_CKPT_KILL is EBUSY while
#   the target runs; stopped, it refuses the shared listener by its
#   descriptor, and with CRAK_CKPT_SKIP_UNSUPPORTED it kills the target
#   and leaves the listener to the other process.

source "$(dirname "$0")/lib.sh"

P=vtvp$VT_ID
A=vtva$VT_ID
C=vtvc$VT_ID
D=$VT_TMP
PY=$D/crak_review.py
IMG=$D/order.img
chmod 0755 "$D"
cp "$VT_REPO/tests/selftests/crak_review.py" "$VT_REPO/tests/selftests/crak_util.py" "$D"
chmod 0755 "$PY"

T0=$(date +%s%N)
stamp() { vt_log "at $((($(date +%s%N) - T0) / 1000000)) ms: $*"; }
for ns in "$P" "$A" "$C"; do
	if ! vt_netns "$ns" -4; then
		vt_fail "netns $ns"
vt_done
	fi
done
ip netns exec "$C" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
	net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.lo.disable_ipv6=0

# --- Restore order, buffers ---
if ! vt_pair "$P" vo "$A" vi 10.77.0; then
	vt_fail "vnif pair between $P and $A"
vt_done
fi
ip netns exec "$A" "$VT_PY" "$PY" order "$D" &
TPID=$!
vt_defer "kill $TPID"
ip netns exec "$P" "$VT_PY" "$PY" peer "$D" &
PEER=$!
vt_defer "kill $PEER"
if ! vt_wait_word "$D/order.json" sent || ! vt_wait_word "$D/peer.json" sent; then
	vt_fail "crak_review.py order and peer started"
vt_done
fi
of() { jq -r ".$1" "$D/order.json"; }
vt_log "target: $(cat "$D/order.json"), peer: $(cat "$D/peer.json")"

# The pair freezes: what the peer sends now waits for the restored socket.
stamp "checkpoint --kill"
out=$("$CRAK" checkpoint --kill -o "$IMG" "$TPID" 2>&1)
vt_eq "checkpoint --kill: written" 0 "$?"
vt_log "$out"
{ wait "$TPID"; } 2>/dev/null

# Restored in the same namespace: the target's ports are free again.
ip netns exec "$A" "$VT_PY" "$PY" flood "$D" &
FPID=$!
vt_defer "kill $FPID"
vt_defer "touch $D/stop"
vt_check "the flood runs" vt_wait_word "$D/flooding" yes
stamp "restart"
start=$(date +%s%N)
ip netns exec "$A" "$CRAK" restart --no-vnif "$IMG" -- "$VT_PY" "$PY" restored "$D" \
	>"$D/restart.out" 2>&1 &
RPID=$!
for i in $(seq 300); do
	[[ -e $D/built ]] || ! kill -0 "$RPID" 2>/dev/null && break
	sleep 0.1
done
stamp "built"
touch "$D/stop"
ip netns exec "$A" "$VNIF" thaw vi >/dev/null
touch "$D/thawed"
stamp "thawed"
wait "$RPID"
vt_eq "restart: a listener after a connection on its port" 0 "$?"
{ wait "$FPID"; } 2>/dev/null
stamp "restored"
vt_wait_word "$D/peer-result.json" ok
vt_log "restart and checks: $((($(date +%s%N) - start) / 1000000)) ms"
sed 's/^/# /' "$D/restart.out"
vt_log "flood: $(cat "$D/flood.json" 2>/dev/null)"
vt_log "restored: $(cat "$D/restored.json" 2>/dev/null)"
vt_log "peer: $(cat "$D/peer-result.json" 2>/dev/null)"
rf() { jq -r ".$1" "$D/restored.json" 2>/dev/null; }

vt_eq "UDP: every recorded datagram read again" 1500 "$(rf olds)"
vt_eq "UDP: in their order" true "$(rf olds_in_order)"
vt_eq "UDP: none that came after the restore overtook them" true \
	"$(jq -r '.first_new == null or .first_new >= .olds' "$D/restored.json")"
vt_eq "TCP: SO_SNDBUF set by the user is the recorded value" \
	"$(of sndbuf)" "$(rf sndbuf)"
vt_eq "TCP: SO_RCVBUF set by the user is the recorded value" \
	"$(of rcvbuf)" "$(rf rcvbuf)"
vt_eq "TCP: the peer's stream goes on, byte for byte" \
	"true $(jq -r .sent "$D/peer.json")" "$(rf stream_ok) $(rf stream_bytes)"
vt_eq "TCP: and the restored side's, to the peer" "true $(of sent)" \
	"$(jq -r '"\(.ok) \(.bytes)"' "$D/peer-result.json" 2>/dev/null)"
vt_eq "TCP: the listener accepts a new connection" hello "$(rf listener)"

stamp "device target"
# --- Bound to a device or a link-local address: refused ---
ip -n "$C" link add d0 type veth peer name d0p &&
	ip -n "$C" link set d0 up && ip -n "$C" link set d0p up &&
	ip -n "$C" addr add fe80::1/64 dev d0 nodad
vt_eq "d0 with fe80::1" 0 "$?"
ip netns exec "$C" "$VT_PY" "$PY" device "$D" &
DPID=$!
vt_defer "kill $DPID"
if ! vt_wait_word "$D/device.json" plain; then
	vt_fail "crak_review.py device started"
vt_done
fi
df() { jq -r ".$1" "$D/device.json"; }
vt_defer "kill $(df kid)"
vt_log "target: $(cat "$D/device.json")"
vt_eq "a datagram from a link-local source is queued" true "$(df queued)"

stamp "inspect"
"$CRAK" inspect --json "$DPID" >"$D/inspect.json"
vt_eq "inspect: succeeds" 0 "$?"
verdict() {
	jq -r --argjson fd "$1" \
		'.sockets[] | select(.fd == $fd) | "\(.checkpoint) \(.reason)"' \
		"$D/inspect.json"
}
vt_eq "inspect: SO_BINDTODEVICE cannot be taken" "false device" \
	"$(verdict "$(df device)")"
vt_eq "inspect: bound to a link-local address cannot be taken" \
	"false device" "$(verdict "$(df linklocal)")"
vt_eq "inspect: a plain socket can" "true null" "$(verdict "$(df plain)")"

vt_refuse "checkpoint: SO_BINDTODEVICE refused by its descriptor" \
	"fd $(df device): .*bound to a device" \
	"$CRAK" checkpoint -o "$D/device.img" "$DPID"
vt_check "checkpoint --skip-unsupported" \
	"$CRAK" checkpoint --skip-unsupported -o "$D/device.img" "$DPID"
"$CRAK" show --json "$D/device.img" >"$D/show.json"
vt_eq "... takes the shared listener and the plain socket alone" \
	"$(df shared) $(df plain)" \
	"$(jq -r '[.sections[] | select(.socket) | .socket.fd] | join(" ")' \
		"$D/show.json")"

stamp "kills"
# --- CRAK_CKPT_KILL: a running target, a shared listener ---
ip netns exec "$C" "$VT_PY" "$PY" kills "$D" "$DPID"
kj() { jq -r "$1" "$D/kills.json" 2>/dev/null; }
vt_log "kills: $(cat "$D/kills.json" 2>/dev/null)"
vt_eq "kill of a running target: EBUSY, still running" "EBUSY S" \
	"$(kj '"\(.running.errno) \(.running_state)"')"
vt_eq "kill with a listener another process has too: refused by fd" \
	"ENOTSUP $(df shared) T" \
	"$(kj '"\(.shared.errno) \(.shared.error_fd) \(.shared_state)"')"
vt_check "... saying why" grep -q "open elsewhere" <<<"$(kj .shared.error)"
vt_eq "kill, skipping what cannot be taken: the plain socket, killed" \
	"0 1 4 dead" \
	"$(kj '"\(.skip.errno) \(.skip.sockets) \(.skip.skipped) \(.skip_state)"')"
vt_eq "... the other process's listener still listens" 1 \
	"$(ip netns exec "$C" ss -Htln sport = :7405 | wc -l)"
stamp end
vt_done
