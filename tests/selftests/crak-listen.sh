#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crak-listen: TCP listeners move with the connections they have not
# accepted yet, in their order, with the bytes queued on them.
#
#   netns P (peer): bridge br0 10.9.0.1/24, fd09::1/64, ports vPA, vPB
#   netns A: vA 10.9.0.2/24, fd09::2/64: listen_crak.py target, two
#            listeners that never accept (IPv4 backlog 8, IPv6 backlog 4)
#   netns B: vB, the same addresses and MAC; vPB joins br0 only once the
#            restart is done
#   netns C: only the IPv4 address: a restart there fails half way
#
# Five clients in P (listen_crak.py CLIENTS): three to the IPv4 listener,
# two to the IPv6 one, some with bytes sent, one of each shut down for
# writing (CLOSE_WAIT children). `crak checkpoint --kill`, crak.ko
# reloaded; a restart in C fails on the IPv6 listener after the IPv4 one
# and its three children were built, and leaves nothing, silently; `crak
# restart --netns B` runs listen_crak.py server on the listeners: accept()
# returns the children in their order and states, each stream arrives
# exact and is echoed back exact to its client; a new connection to each
# listener works; the peer counts no reset and no failed attempt, and a
# capture of every RST on P's bridge, from before the first connection,
# holds none but the two the test then provokes as a control (a
# connection to a closed port of B, IPv4 and IPv6).

source "$(dirname "$0")/lib.sh"

P=vtlP$VT_ID
A=vtlA$VT_ID
B=vtlB$VT_ID
C=vtlC$VT_ID
D=$VT_TMP
PY=$D/listen_crak.py
IMG=$D/listen.img
MAC=02:c0:00:00:00:02
moddir=${VNIF_MODDIR:-}
chmod 0755 "$D"
cp "$VT_REPO/tests/selftests/listen_crak.py" "$VT_REPO/tests/selftests/crak_util.py" "$D"

# C: a veth pair alone, the IPv4 address on one end.
setup_c() {
	vt_netns "$C" &&
		ip -n "$C" link add d0 type veth peer name d1 &&
		ip -n "$C" addr add 10.9.0.2/24 dev d0 &&
		ip -n "$C" link set d1 up &&
		ip -n "$C" link set d0 up
}

if ! vt_two_hosts "$P" "$A" "$B" "$MAC" || ! setup_c; then
	vt_fail "namespaces, bridge and pairs"
	vt_done
fi
vt_ok "namespaces, bridge and pairs"
if ! vt_rst_capture "$P" br0 "$D/rst.pcap"; then
	vt_fail "RST capture on P's bridge" "$(cat "$D/rst.pcap.err")"
	vt_done
fi

ip netns exec "$A" "$VT_PY" "$PY" target "$D" &
TPID=$!
vt_defer "kill -9 $TPID"
if ! vt_wait_word "$D/listening.json" pid; then
	vt_fail "target listening"
	vt_done
fi
before_p=$(vt_tcp_counters "$P")
ip netns exec "$P" "$VT_PY" "$PY" peer "$D" &
PPID_=$!
vt_defer "kill -9 $PPID_"
if ! vt_wait_word "$D/peer_ready.json" ports; then
	vt_fail "five clients connected"
	vt_done
fi
vt_nap 0.5
ports=$(jq -r '.ports | map(tostring) | join(" ")' "$D/peer_ready.json")
vt_log "clients: ports $ports; A: $(ip netns exec "$A" ss -Htan | tr -s ' ' | tr '\n' ';')"
vt_eq "A: 3 and 2 connections wait in the accept queues" "3 2" \
	"$(ip netns exec "$A" ss -Htln | awk '{ print $2 }' | sort -rn | tr '\n' ' ' | sed 's/ $//')"

# The target cut off, checkpointed and killed quietly.
ip -n "$P" link set vPA down
out=$("$CRAK" checkpoint --kill -o "$IMG" "$TPID" 2>&1)
vt_eq "checkpoint --kill: written" 0 "$?"
vt_log "$out"
{ wait "$TPID"; } 2>/dev/null
vt_eq "the target is gone" 1 "$(kill -0 "$TPID" 2>/dev/null; echo $?)"
vt_eq "A: no socket left" "" "$(ip netns exec "$A" ss -Htan)"
vt_eq "A sent no reset" "0" \
	"$(vt_tcp_counters "$A" | grep -o 'OutRsts=[0-9]*' | cut -d= -f2)"

"$CRAK" show "$IMG" | sed 's/^/# /' | cut -c1-200
vt_check "crak show --json" bash -c "'$CRAK' show --json '$IMG' >'$D/show.json'"
vt_check "crak check --kernel" "$CRAK" check --kernel "$IMG"
js() { jq -r "$1" "$D/show.json" | tr '\n' ' ' | sed 's/ $//'; }
vt_eq "image: two listeners, backlog, children" \
	"tcp LISTEN 8 3 true tcp6 LISTEN 4 2 false" \
	"$(js '.sections[] | select(.socket) | .socket | "\(.kind) \(.state) \(.backlog) \(.children) \(.nodelay)"')"
vt_eq "image: the children in their order, states, bytes queued" \
	"$ports ESTABLISHED ESTABLISHED CLOSE_WAIT ESTABLISHED CLOSE_WAIT 3000 0 1500 2000 700" \
	"$(js '[.sections[] | select(.child) | .child] | (map(.pport) + map(.state) + map(.recv_bytes)) | map(tostring) | join(" ")')"
vt_eq "image: each child carries its listener's descriptor" \
	"$(jq -r '"\(.l4) \(.l4) \(.l4) \(.l6) \(.l6)"' "$D/listening.json")" \
	"$(js '[.sections[] | select(.child) | .child.fd] | map(tostring) | join(" ")')"

# Only the image carries state from here.
if [[ $moddir ]]; then
	vt_check "rmmod crak" rmmod crak
	vt_check "insmod crak again" insmod "$moddir/crak.ko"
else
	vt_log "no VNIF_MODDIR: crak.ko is not reloaded"
fi

# C has no IPv6 address: the IPv4 listener and its children are built,
# then the IPv6 listener's bind fails; nothing is left, nothing is sent.
err=$("$CRAK" restart --netns "$C" "$IMG" -- true 2>&1)
vt_eq "restart in C fails" 1 "$?"
vt_log "$err"
vt_check "... on the IPv6 listener's bind" grep -q "fd $(jq .l6 "$D/listening.json"): bind" <<<"$err"
vt_eq "... and leaves no socket in C" "" "$(ip netns exec "$C" ss -Htan)"
vt_eq "... and C sent no reset" "0" \
	"$(vt_tcp_counters "$C" | grep -o 'OutRsts=[0-9]*' | cut -d= -f2)"

"$CRAK" restart --verbose --netns "$B" "$IMG" -- "$VT_PY" "$PY" server "$D" \
	2>"$D/restart.err" &
RPID=$!
vt_defer "kill -9 $RPID"
for i in $(seq 600); do
	[[ -e $D/accepted.json ]] && break
	kill -0 "$RPID" 2>/dev/null || break
	vt_nap 0.1
done
vt_log "restart: $(cat "$D/restart.err")"
if ! [[ -e $D/accepted.json ]]; then
	vt_fail "restart: the server accepted its children"
	vt_done
fi
vt_log "accepted: $(cat "$D/accepted.json")"
vt_eq "restart: 2 sockets, 5 children's 7200 queued bytes" "2 sockets, 0 datagrams, 7200 bytes" \
	"$(grep -o '[0-9]* sockets, [0-9]* datagrams, [0-9]* bytes' "$D/restart.err")"
vt_eq "accept(): the children in their order, in their states" \
	"$ports 1 1 8 1 8" \
	"$(jq -r '.accepted | (map(.port) + map(.state)) | map(tostring) | join(" ")' "$D/accepted.json")"
vt_eq "the IPv4 listener kept TCP_NODELAY; no other child queued" "1 0" \
	"$(jq -r '"\(.backlog_nodelay_7200) \(.errors | length)"' "$D/accepted.json")"

ip -n "$P" link set vPB master br0
touch "$D/go"
vt_both_finished "$D" 120
vt_eq "server: each client's whole stream, exact, up to its FIN" \
	"4000:true 2500:true 1500:true 3200:true 700:true" \
	"$(jq -r '[.children[] | "\(.received):\(.exact)"] | join(" ")' "$D/server.json")"
vt_eq "peer: its stream echoed back, exact, up to the FIN" \
	"4000:true 2500:true 1500:true 3200:true 700:true" \
	"$(jq -r '[.conns[] | "\(.received):\(.exact)"] | join(" ")' "$D/peer.json")"
vt_eq "a new connection to each restored listener" \
	"new connection 4|new connection 6" \
	"$(jq -r '.new | join("|")' "$D/peer.json")"
vt_eq "no error on either side" "0 0" \
	"$(jq '.errors | length' "$D/peer.json") $(jq '.errors | length' "$D/server.json")"
after_p=$(vt_tcp_counters "$P")
vt_log "peer Tcp counters: before $before_p; after $after_p"
vt_eq "peer: no reset received or sent, no failed attempt" "$before_p" "$after_p"
vt_eq "B sent no reset" "0" \
	"$(vt_tcp_counters "$B" | grep -o 'OutRsts=[0-9]*' | cut -d= -f2)"
# The capture's control, once the resets are counted: B answers a
# connection to a closed port with one RST, over IPv4 and over IPv6; the
# capture must hold those two and no other.
vt_rst_control "$P" "$D/rst.pcap" 10.9.0.2 fd09::2
vt_done
