#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crak-review: the order in which CRAK_IOC_RESTORE builds and fills
# sockets, the buffer sizes it leaves, and the sockets a checkpoint must
# refuse because the image cannot say where they were bound.
#
#   netns vtvaN: crak_review.py order: a UDP socket with 1500 datagrams
#   queued; a TCP listener without SO_REUSEADDR at descriptor 60, above
#   the connection it accepted (SO_RCVBUF set) and that connection's
#   client (SO_SNDBUF set), both queues full. `crak checkpoint --kill`,
#   then `crak restart --netns vtvbN` while crak_review.py flood sends
#   new datagrams to the UDP socket's address in vtvbN.
#
# Checks: the listener is rebuilt although a connection on its port comes
# first in the image; the 1500 recorded datagrams are read first, in
# order, before any datagram that arrived after the restore; SO_SNDBUF and
# SO_RCVBUF are the recorded values again once the queues are in; the
# stream goes on byte for byte; the listener accepts a new connection.
#
#   netns vtvcN: crak_review.py device: a UDP socket with SO_BINDTODEVICE,
#   one bound to fe80::1%d0, one holding a datagram from a link-local
#   source, one plain. `crak inspect` says which a checkpoint cannot take
#   (verdict device), `crak checkpoint` refuses the first by its
#   descriptor, and --skip-unsupported takes the plain one alone.

source "$(dirname "$0")/lib.sh"

A=vtva$VT_ID
B=vtvb$VT_ID
C=vtvc$VT_ID
D=$VT_TMP
PY=$D/crak_review.py
IMG=$D/order.img
chmod 0755 "$D"
cp "$VT_REPO/tests/selftests/crak_review.py" "$PY"
chmod 0755 "$PY"

for ns in "$A" "$B" "$C"; do
	if ! vt_netns "$ns" -4; then
		vt_fail "netns $ns"
		vt_done
	fi
done
ip netns exec "$C" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
	net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.lo.disable_ipv6=0

# --- Restore order, buffers ---
ip netns exec "$A" "$VT_PY" "$PY" order "$D" &
TPID=$!
vt_defer "kill $TPID"
if ! vt_wait_word "$D/order.json" sent; then
	vt_fail "crak_review.py order started"
	vt_done
fi
of() { jq -r ".$1" "$D/order.json"; }
vt_log "target: $(cat "$D/order.json")"

out=$("$CRAK" checkpoint --kill -o "$IMG" "$TPID" 2>&1)
vt_eq "checkpoint --kill: written" 0 "$?"
vt_log "$out"
{ wait "$TPID"; } 2>/dev/null

ip netns exec "$B" "$VT_PY" "$PY" flood "$D" &
FPID=$!
vt_defer "kill $FPID"
vt_defer "touch $D/stop"
vt_check "the flood runs" vt_wait_word "$D/flooding" yes
start=$(date +%s%N)
"$CRAK" restart --netns "$B" "$IMG" -- "$VT_PY" "$PY" restored "$D" \
	>"$D/restart.out" 2>&1
vt_eq "restart: a listener after a connection on its port" 0 "$?"
touch "$D/stop"
{ wait "$FPID"; } 2>/dev/null
vt_log "restart and checks: $((($(date +%s%N) - start) / 1000000)) ms"
sed 's/^/# /' "$D/restart.out"
vt_log "flood: $(cat "$D/flood.json" 2>/dev/null)"
vt_log "restored: $(cat "$D/restored.json" 2>/dev/null)"
rf() { jq -r ".$1" "$D/restored.json" 2>/dev/null; }

vt_eq "UDP: every recorded datagram read again" 1500 "$(rf olds)"
vt_eq "UDP: in their order" true "$(rf olds_in_order)"
vt_eq "UDP: none that came after the restore overtook them" true \
	"$(jq -r '.first_new == null or .first_new >= .olds' "$D/restored.json")"
vt_eq "TCP: SO_SNDBUF set by the user is the recorded value" \
	"$(of client_sndbuf)" "$(rf client_sndbuf)"
vt_eq "TCP: SO_RCVBUF set by the user is the recorded value" \
	"$(of accepted_rcvbuf)" "$(rf accepted_rcvbuf)"
vt_log "buffers not set by the user, before / after: client rcvbuf" \
	"$(of client_rcvbuf) / $(rf client_rcvbuf), accepted sndbuf" \
	"$(of accepted_sndbuf) / $(rf accepted_sndbuf)"
vt_eq "TCP: the stream goes on, byte for byte" "true $(of sent)" \
	"$(rf stream_ok) $(rf stream_bytes)"
vt_eq "TCP: the listener accepts a new connection" hello "$(rf listener)"

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
vt_log "target: $(cat "$D/device.json")"
vt_eq "a datagram from a link-local source is queued" true "$(df queued)"

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
vt_eq "... takes the plain socket alone" "$(df plain)" \
	"$(jq -r '[.sections[] | select(.socket) | .socket.fd] | join(" ")' \
		"$D/show.json")"
vt_done
