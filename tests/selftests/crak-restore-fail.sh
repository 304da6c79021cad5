#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crak-restore-fail: a restart that fails on its second TCP connection,
# after the first was built, sends nothing to the peer; a restart that
# then succeeds carries both streams on, byte-exact.
#
#   netns P (peer): bridge br0 10.9.0.1/24, ports vPA, vPB
#   netns A: vA 10.9.0.2/24 and 10.9.0.3/24: restore_fail.py target, the
#            server, one connection on each address (10.9.0.2 first)
#   netns B: vB, the same MAC, 10.9.0.2/24 only at first
#
# The server is checkpointed with --kill, A cut off, and B joins the
# bridge. `crak restart` in B then builds the connection on 10.9.0.2 and
# fails on the one on 10.9.0.3 (bind: error -99). A capture at the peer's
# bridge of every TCP segment from the server's port must stay empty: no
# window probe of the first connection, no reset (crak.ko takes no
# connection out of TCP repair mode before every socket is built). The
# peer itself is silent until the end: it neither reads nor writes, so
# nothing of the server's side can be an answer to it. Then 10.9.0.3 is
# added to B and the same image restarted: every byte of both streams
# arrives, both ways, and the peer counts no reset.

source "$(dirname "$0")/lib.sh"

P=vtfP$VT_ID
A=vtfA$VT_ID
B=vtfB$VT_ID
D=$VT_TMP
PY=$D/restore_fail.py
MAC=02:c0:00:00:00:03
PORT=7300
chmod 0755 "$D"
cp "$VT_REPO/tests/selftests/restore_fail.py" "$VT_REPO/tests/selftests/crak_util.py" "$D"

if ! vt_two_hosts "$P" "$A" "$B" "$MAC" ||
	! ip -n "$A" addr add 10.9.0.3/24 dev vA; then
	vt_fail "namespaces, bridge and pairs"
	vt_done
fi
vt_ok "namespaces, bridge and pairs"

vt_ioctl_pair "$PY" "$D" "two connections, still"
vt_log "target: $(cat "$D/target.json")"
declare -A tgt
vt_json tgt "$(cat "$D/target.json")"
# k address inq outq bad, in descriptor order: the image's order.
vt_eq "two connections, 10.9.0.2's first in descriptor order, still" \
	"0 10.9.0.2 20000 0 -1 1 10.9.0.3 20000 0 -1" "${tgt[summary]-}"

IMG=$D/app.img
ip -n "$P" link set vPA down
vt_check "crak checkpoint --kill" "$CRAK" checkpoint --kill -o "$IMG" "$TPID"
wait "$TPID" 2>/dev/null

# B on the bridge: from now on whatever B sends reaches the peer.
ip -n "$P" link set vPB master br0
before_p=$(vt_tcp_counters "$P")
if ! vt_rst_capture "$P" br0 "$D/fail.pcap" "tcp and src port $PORT"; then
	vt_fail "capture at the peer" "$(cat "$D/fail.pcap.err")"
	vt_done
fi
vt_refuse "restart without 10.9.0.3 fails on the second connection" \
	"cannot restore fd [0-9]+: bind to its IPv4 address port $PORT: error -99" \
	"$CRAK" restart --netns "$B" "$IMG" -- /bin/true
vt_eq "B holds no TCP socket after the failed restart" "" \
	"$(ip netns exec "$B" ss -tanH)"
# A window probe or the unsent bytes would leave at once; a reset would
# answer the peer's reply to them: the second vt_rst_count waits is plenty.
n=$(vt_rst_count "$D/fail.pcap")
sed 's/^/# /' "$D/fail.pcap.txt" | head -20
vt_eq "the peer got nothing from B during the failed restart (packets)" 0 "$n"
vt_eq "peer: no reset, no error after the failed restart" "$before_p" \
	"$(vt_tcp_counters "$P")"

# The address added, the same image: the streams carry on, and the same
# capture, the control of the one above, sees them.
ip -n "$B" addr add 10.9.0.3/24 dev vB
vt_rst_capture "$P" br0 "$D/ok.pcap" "tcp and src port $PORT"
"$CRAK" restart --netns "$B" "$IMG" -- "$VT_PY" "$PY" server "$D" \
	>"$D/restart.out" 2>&1 &
RPID=$!
vt_defer "kill -9 $RPID"
for i in $(seq 600); do
	[[ -e $D/restored.json ]] || ! kill -0 "$RPID" 2>/dev/null && break
	vt_nap 0.1
done
if ! [[ -e $D/restored.json ]]; then
	vt_fail "restart with 10.9.0.3" "$(cat "$D/restart.out")"
	vt_done
fi
vt_ok "restart with 10.9.0.3"
touch "$D/go"
vt_both_finished "$D" 90
declare -A pj sj
vt_json pj "$(cat "$D/peer.json")"
vt_json sj "$(cat "$D/server.json")"
vt_eq "peer: every byte of the server's streams, exact, up to its FIN" \
	"100000 100000" "${pj[exact]-}"
vt_eq "server: every byte of the peer's streams, exact, up to its FIN" \
	"100000 100000" "${sj[exact]-}"
vt_eq "no socket error on either side" "0 0" "${pj[errors]-} ${sj[errors]-}"
vt_eq "peer: no reset received or sent, no error" "$before_p" \
	"$(vt_tcp_counters "$P")"
n=$(vt_rst_count "$D/ok.pcap")
vt_eq "control: the same capture sees B's segments once the restart succeeds" \
	yes "$( ((n > 0)) && echo yes || echo "no: $n")"
vt_done
