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
# Eight connections (tcp_crak.py CONNS): IPv4 and IPv6 ESTABLISHED with
# bytes in both queues (the peer does not read, the server reads part),
# CLOSE_WAIT, FIN_WAIT1, FIN_WAIT2, LAST_ACK, CLOSING (the peer's FIN came
# in FIN_WAIT1, the server's FIN queued behind data the peer's zero window
# refuses), and OFO, established, which gets a hole before the kill:
# nftables in A drops one segment of the peer and every retransmission of
# it, so that the server holds the next two (2000 bytes) out of order.
#
# Checks: `crak checkpoint` takes them, and `crak show --json` has each
# state and byte counts equal to what SIOCINQ/SIOCOUTQ said, no byte out
# of order yet; then the hole: the peer counts 3 segments unacknowledged,
# 2 SACKed; the server stopped and A cut off, CRAK_IOC_CHECKPOINT with
# CRAK_CKPT_KILL kills it, its image counts OFO's 2000 bytes out of order
# (ofo_bytes, not saved); the drop rule removed, CRAK_IOC_RESTORE in B
# rebuilds the eight sockets in their states; both sides then read every
# byte of the other's stream, exactly, up to the FIN, OFO's 2000 bytes
# sent again by the peer; the peer counts no reset and no error,
# and a capture of every RST on P's bridge holds none but the two the test
# then provokes as a control (a connection to a closed port of B, IPv4 and
# IPv6).

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
if ! vt_rst_capture "$P" br0 "$D/rst.pcap"; then
	vt_fail "RST capture on P's bridge" "$(cat "$D/rst.pcap.err")"
	vt_done
fi

vt_ioctl_pair "$PY" "$D" "eight connections in their states"
vt_log "target: $(cat "$D/target.json")"
vt_eq "eight connections in their states" \
	"ESTABLISHED ESTABLISHED CLOSE_WAIT FIN_WAIT1 FIN_WAIT2 LAST_ACK CLOSING ESTABLISHED" \
	"$(jq -r '[.[]] | sort_by(.k) | map(.state) | join(" ")' "$D/target.json")"
vt_eq "the server read every byte right" "-1" \
	"$(jq -r '[.[] | .bad] | max' "$D/target.json")"

# A checkpoint that leaves the server running: what the image says.
IMG=$D/tcp.img
vt_check "crak checkpoint" "$CRAK" checkpoint -o "$IMG" "$TPID"
vt_check "crak show --json" bash -c "'$CRAK' show --json '$IMG' >'$D/show.json'"
"$CRAK" show "$IMG" | sed 's/^/# /' | cut -c1-200
vt_check "crak check --kernel" "$CRAK" check --kernel "$IMG"
sk() { jq -r ".sections[] | select(.socket) | .socket | $1" "${2:-$D/show.json}" | tr '\n' ' '; }
tj() { jq -r "[.[]] | sort_by(.k) | .[] | $1" "$D/target.json" | tr '\n' ' '; }
vt_eq "image: kinds and states" \
	"tcp ESTABLISHED tcp6 ESTABLISHED tcp CLOSE_WAIT tcp6 FIN_WAIT1 tcp FIN_WAIT2 tcp6 LAST_ACK tcp CLOSING tcp6 ESTABLISHED " \
	"$(sk '"\(.kind) \(.state)"')"
vt_eq "image: receive bytes are SIOCINQ" "$(tj .inq)" "$(sk .recv_bytes)"
vt_eq "image: send bytes are SIOCOUTQ less an unacknowledged FIN" \
	"$(tj 'if (.state == "FIN_WAIT1" or .state == "LAST_ACK" or .state == "CLOSING") then .outq - 1 else .outq end')" \
	"$(sk .send_bytes)"
vt_eq "image: every queue section holds its socket's bytes" \
	"$(sk '"\(.send_bytes) \(.recv_bytes)"' | tr ' ' '\n' | grep -v '^$' | tr '\n' ' ')" \
	"$(jq -r '.sections[] | select(.queue) | .queue.bytes' "$D/show.json" | tr '\n' ' ')"
vt_eq "image: no byte out of order yet" "0 0 0 0 0 0 0 0 " "$(sk .ofo_bytes)"
vt_log "image: $(stat -c %s "$IMG") bytes, send $(sk .send_bytes)/ sent $(sk .sent_bytes)/ recv $(sk .recv_bytes)"

# The hole in OFO's stream (tcp_crak.py hole()): late, so that the peer's
# retransmission timer has not backed off far when the restored server is
# reachable. The peer says where its next segment starts; A's nftables
# drops every segment of that connection that starts there. (In A: the
# guest's kernel has no bridge or netdev nftables, and a segment dropped
# by an IP hook of P would be an error to the peer's TCP, not a loss.)
touch "$D/hole"
declare -A hole
if ! vt_wait_word "$D/hole-seq.json" seq ||
	! vt_json hole "$(cat "$D/hole-seq.json")"; then
	vt_fail "a hole in the peer's stream: its sequence number"
	vt_done
fi
vt_check "A drops every segment at the peer's next sequence number" \
	ip netns exec "$A" nft -f - <<-EOF
	table inet vtcrak_hole {
		chain in {
			type filter hook prerouting priority 0; policy accept
			tcp sport ${hole[sport]} tcp sequence ${hole[seq]} counter drop
		}
	}
EOF
touch "$D/rule"
if ! vt_wait_word "$D/hole.json" unacked; then
	vt_fail "a hole in the peer's stream"
	vt_done
fi
vt_json hole "$(cat "$D/hole.json")"
vt_log "hole: sequence number ${hole[seq]}, segments unacknowledged ${hole[unacked]}, SACKed ${hole[sacked]}, lost ${hole[lost]}"
vt_eq "hole: the peer has 3 segments unacknowledged, 2 SACKed" \
	"3 2" "${hole[unacked]} ${hole[sacked]}"

# Migration: the server stopped, A cut off, checkpoint and kill.
before_p=$(vt_tcp_counters "$P")
kill -STOP "$TPID"
ip -n "$P" link set vPA down
vt_check "checkpoint with CRAK_CKPT_KILL" \
	"$VT_PY" "$PY" ckpt "$TPID" "$D/kill.img" 2
# The rule goes before the restore, though A is cut off already.
nft_out=$(ip netns exec "$A" sh -c 'nft list table inet vtcrak_hole &&
	nft delete table inet vtcrak_hole' 2>&1)
nft_rc=$?
vt_log "$(grep -o 'tcp sport.*' <<<"$nft_out")"
dropped=0
[[ $nft_out =~ counter\ packets\ ([0-9]+) ]] && dropped=${BASH_REMATCH[1]}
vt_eq "the drop rule dropped the hole's segment, and is removed" "0 yes" \
	"$nft_rc $( ((dropped >= 1)) && echo yes || echo no)"
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

ip -n "$P" link set vPB master br0
touch "$D/go"
# While the streams go on: what the restore rebuilt, from what.
vt_eq "restore: eight sockets, in their states" \
	"8 ESTABLISHED ESTABLISHED CLOSE_WAIT FIN_WAIT1 FIN_WAIT2 LAST_ACK CLOSING ESTABLISHED" \
	"$(jq -r '"\(.sockets) \([.states[]] | join(" "))"' "$D/restored.json")"
"$CRAK" show --json "$D/kill.img" >"$D/kill.json"
vt_eq "restore: every queued byte counted" \
	"$(jq '[.sections[] | select(.queue) | .queue.bytes] | add' "$D/kill.json")" \
	"$(jq .bytes "$D/restored.json")"
vt_eq "kill image: OFO's 2000 bytes beyond the hole counted, not saved" \
	"0 0 0 0 0 0 0 2000 /$(tj .inq)" "$(sk .ofo_bytes "$D/kill.json")/$(sk .recv_bytes "$D/kill.json")"
vt_both_finished "$D" 120
tot_srv=$(tj .total_srv)
vt_eq "peer: every byte of the server's streams, exact, up to its FIN" \
	"$tot_srv" \
	"$(jq -r '.conns[] | if (.bad == -1 and .eof) then .received else "bad \(.bad)" end' "$D/peer.json" | tr '\n' ' ')"
vt_eq "server: every byte of the peer's streams, exact, up to its FIN" \
	"200000 200000 50000 30000 30000 50000 20000 40000 " \
	"$(jq -r '.conns[] | if (.bad == -1 and .eof) then .received else "bad \(.bad)" end' "$D/server.json" | tr '\n' ' ')"
vt_eq "no socket error on either side" "0 0" \
	"$(jq '.errors | length' "$D/peer.json") $(jq '.errors | length' "$D/server.json")"
after_p=$(vt_tcp_counters "$P")
vt_log "peer Tcp counters: before $before_p; after $after_p"
vt_eq "peer: no reset received or sent, no error" "$before_p" "$after_p"
vt_eq "B sent no reset" "0" "$(vt_tcp_counters "$B" | grep -o 'OutRsts=[0-9]*' | cut -d= -f2)"
# How the peer recovered OFO's hole, for the log only: TCPSACKReneging
# counts 1 in some runs, 0 in others.
vt_log "peer TcpExt since the hole: $(jq -r --slurpfile h "$D/hole.json" '[.tcpext |
	to_entries[] | select(.value != $h[0].tcpext[.key]) |
	"\(.key)+\(.value - $h[0].tcpext[.key])"] | join(" ")' "$D/peer.json")"
# The capture's control, once the resets are counted: B answers a
# connection to a closed port with one RST, over IPv4 and over IPv6; the
# capture must hold those two and no other.
vt_rst_control "$P" "$D/rst.pcap" 10.9.0.2 fd09::2
vt_log "moved: $(jq '[.conns[] | .received] | add' "$D/peer.json") bytes to the peer, $(jq '[.conns[] | .received] | add' "$D/server.json") to the server"
vt_done
