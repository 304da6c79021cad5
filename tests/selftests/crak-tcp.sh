#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crak-tcp: a server's TCP connections checkpointed in one namespace and
# restored in another that took its address over, while the peer keeps
# them open: byte-exact streams both ways, and no reset.
#
#   netns P (peer): bridge br0 10.9.0.1/24, fd09::1/64, ports vPA, vPB
#   netns A: vA 10.9.0.2/24, fd09::2/64: tcp_crak.py target, the server
#   netns B: vB, the same addresses and MAC; vPB joins br0 only once the
#            restore is done, so that B cannot answer the peer before.
#
# Six connections (tcp_crak.py CONNS): IPv4 and IPv6 ESTABLISHED with
# bytes in both queues (the peer does not read, the server reads part),
# CLOSE_WAIT, FIN_WAIT1, FIN_WAIT2, LAST_ACK.
#
# Checks: `crak checkpoint` takes them, and `crak show --json` has each
# state and byte counts equal to what SIOCINQ/SIOCOUTQ said; then, the
# server stopped and A cut off, CRAK_IOC_CHECKPOINT with CRAK_CKPT_KILL
# kills it; CRAK_IOC_RESTORE in B rebuilds the six sockets in their states;
# both sides then read every byte of the other's stream, exactly, up to
# the FIN; the peer counts no reset and no error.

source "$(dirname "$0")/lib.sh"

P=vtcP$VT_ID
A=vtcA$VT_ID
B=vtcB$VT_ID
D=$VT_TMP
PY=$D/tcp_crak.py
MAC=02:c0:00:00:00:02
chmod 0755 "$D"
cp "$VT_REPO/tests/selftests/tcp_crak.py" "$VT_REPO/tests/selftests/crak_util.py" "$D"

if ! vt_two_hosts "$P" "$A" "$B" "$MAC"; then
	vt_fail "namespaces, bridge and pairs"
	vt_done
fi
vt_ok "namespaces, bridge and pairs"

ip netns exec "$A" "$VT_PY" "$PY" target "$D" &
TPID=$!
vt_defer "kill -9 $TPID"
if ! vt_wait_word "$D/listening.json" pid; then
	vt_fail "target listening"
	vt_done
fi
ip netns exec "$P" "$VT_PY" "$PY" peer "$D" &
PPID_=$!
vt_defer "kill -9 $PPID_"
for i in $(seq 600); do
	[[ -e $D/target.json ]] && break
	vt_nap 0.1
done
if ! [[ -e $D/target.json ]]; then
	vt_fail "six connections in their states"
	vt_done
fi
vt_log "target: $(cat "$D/target.json")"
vt_eq "six connections in their states" \
	"ESTABLISHED ESTABLISHED CLOSE_WAIT FIN_WAIT1 FIN_WAIT2 LAST_ACK" \
	"$(jq -r '[.[]] | sort_by(.k) | map(.state) | join(" ")' "$D/target.json")"
vt_eq "the server read every byte right" "-1" \
	"$(jq -r '[.[] | .bad] | max' "$D/target.json")"

# A checkpoint that leaves the server running: what the image says.
IMG=$D/tcp.img
vt_check "crak checkpoint" "$CRAK" checkpoint -o "$IMG" "$TPID"
vt_check "crak show --json" bash -c "'$CRAK' show --json '$IMG' >'$D/show.json'"
"$CRAK" show "$IMG" | sed 's/^/# /' | cut -c1-200
vt_check "crak check --kernel" "$CRAK" check --kernel "$IMG"
sk() { jq -r ".sections[] | select(.socket) | .socket | $1" "$D/show.json" | tr '\n' ' '; }
tj() { jq -r "[.[]] | sort_by(.k) | .[] | $1" "$D/target.json" | tr '\n' ' '; }
vt_eq "image: kinds and states" \
	"tcp ESTABLISHED tcp6 ESTABLISHED tcp CLOSE_WAIT tcp6 FIN_WAIT1 tcp FIN_WAIT2 tcp6 LAST_ACK " \
	"$(sk '"\(.kind) \(.state)"')"
vt_eq "image: receive bytes are SIOCINQ" "$(tj .inq)" "$(sk .recv_bytes)"
vt_eq "image: send bytes are SIOCOUTQ less an unacknowledged FIN" \
	"$(tj 'if (.state == "FIN_WAIT1" or .state == "LAST_ACK") then .outq - 1 else .outq end')" \
	"$(sk .send_bytes)"
vt_eq "image: every queue section holds its socket's bytes" \
	"$(sk '"\(.send_bytes) \(.recv_bytes)"' | tr ' ' '\n' | grep -v '^$' | tr '\n' ' ')" \
	"$(jq -r '.sections[] | select(.queue) | .queue.bytes' "$D/show.json" | tr '\n' ' ')"
vt_log "image: $(stat -c %s "$IMG") bytes, send $(sk .send_bytes)/ sent $(sk .sent_bytes)/ recv $(sk .recv_bytes)/ ofo $(sk .ofo_bytes)"

# Migration: the server stopped, A cut off, checkpoint and kill.
before_p=$(vt_tcp_counters "$P")
kill -STOP "$TPID"
ip -n "$P" link set vPA down
vt_check "checkpoint with CRAK_CKPT_KILL" \
	"$VT_PY" "$PY" ckpt "$TPID" "$D/kill.img" 2
for i in $(seq 100); do
	kill -0 "$TPID" 2>/dev/null || break
	vt_nap 0.1
done
vt_eq "the target is killed" gone "$(kill -0 "$TPID" 2>/dev/null && echo alive || echo gone)"
wait "$TPID" 2>/dev/null

ip netns exec "$B" "$VT_PY" "$PY" restore "$D" "$D/kill.img" &
RPID=$!
vt_defer "kill -9 $RPID"
for i in $(seq 600); do
	[[ -e $D/restored.json || -e $D/restore.json ]] && break
	vt_nap 0.1
done
if [[ -e $D/restore.json ]]; then
	vt_fail "CRAK_IOC_RESTORE" "$(cat "$D/restore.json")"
	vt_done
fi
vt_log "restored: $(cat "$D/restored.json")"
vt_eq "restore: six sockets, in their states" \
	"6 ESTABLISHED ESTABLISHED CLOSE_WAIT FIN_WAIT1 FIN_WAIT2 LAST_ACK" \
	"$(jq -r '"\(.sockets) \([.states[]] | join(" "))"' "$D/restored.json")"
"$CRAK" show --json "$D/kill.img" >"$D/kill.json"
vt_eq "restore: every queued byte counted" \
	"$(jq '[.sections[] | select(.queue) | .queue.bytes] | add' "$D/kill.json")" \
	"$(jq .bytes "$D/restored.json")"

ip -n "$P" link set vPB master br0
touch "$D/go"
for i in $(seq 1200); do
	[[ -e $D/peer.json && -e $D/server.json ]] && break
	vt_nap 0.1
done
vt_log "peer: $(cat "$D/peer.json" 2>/dev/null)"
vt_log "server: $(cat "$D/server.json" 2>/dev/null)"
if ! [[ -e $D/peer.json && -e $D/server.json ]]; then
	vt_fail "both sides finished"
	vt_done
fi
vt_ok "both sides finished"
tot_srv=$(tj .total_srv)
vt_eq "peer: every byte of the server's streams, exact, up to its FIN" \
	"$tot_srv" \
	"$(jq -r '.conns[] | if (.bad == -1 and .eof) then .received else "bad \(.bad)" end' "$D/peer.json" | tr '\n' ' ')"
vt_eq "server: every byte of the peer's streams, exact, up to its FIN" \
	"200000 200000 50000 30000 30000 50000 " \
	"$(jq -r '.conns[] | if (.bad == -1 and .eof) then .received else "bad \(.bad)" end' "$D/server.json" | tr '\n' ' ')"
vt_eq "no socket error on either side" "0 0" \
	"$(jq '.errors | length' "$D/peer.json") $(jq '.errors | length' "$D/server.json")"
after_p=$(vt_tcp_counters "$P")
vt_log "peer Tcp counters: before $before_p; after $after_p"
vt_eq "peer: no reset received or sent, no error" "$before_p" "$after_p"
vt_eq "B sent no reset" "0" "$(vt_tcp_counters "$B" | grep -o 'OutRsts=[0-9]*' | cut -d= -f2)"
vt_log "moved: $(jq '[.conns[] | .received] | add' "$D/peer.json") bytes to the peer, $(jq '[.conns[] | .received] | add' "$D/server.json") to the server"
vt_done
