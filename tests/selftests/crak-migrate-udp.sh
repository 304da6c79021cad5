#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crak-migrate-udp: a UDP service moves to another network namespace with
# its address, its MAC and every datagram: those queued on its socket
# travel in the crak image, those that arrive while it moves are held by
# its vnif pair and travel as a capture. CRIU loses both.
#
#   netns vmlN, the LAN: bridge br0; the peer (netns vmpN, 10.60.0.1) on
#   a veth. Host A: container vmaN on vnif pair va (10.60.0.2, MAC M) on
#   br0, running a UDP service on 10.60.0.2:7000 that reads nothing.
#
#   1. The peer sends datagrams 1-5: queued on the socket.
#   2. crak checkpoint --kill: crak.ko freezes va's pair first.
#   3. The peer sends 6-10: held by va's pair.
#   4. Host B: container vmbN on a new pair vb, same address and MAC,
#      frozen, not yet on the LAN. crak.ko is reloaded.
#   5. crak restart --netns vmbN: the socket is rebuilt, its 5 datagrams
#      queued again; B's device announces the address (held: the pair is
#      frozen); a reader takes the socket over.
#   6. The tail: va leaves the bridge, vb joins it; va's held frames are
#      dumped, loaded into vb, va deleted; vb thawed.
#   7. The peer sends 11-15.
#
# Checks: the reader gets 1 to 15, each once, in order, from the peer;
# the gratuitous ARP leaves at the thaw and the bridge learns M on vb;
# vb released exactly the 5 loaded frames, dropped none. Before that, the
# checkpoint's freeze: --leave-running thaws the pair it froze, and leaves
# alone a pair the user had frozen.

source "$(dirname "$0")/lib.sh"

LAN=vml$VT_ID
P=vmp$VT_ID
CA=vma$VT_ID
CB=vmb$VT_ID
MAC=02:00:0a:3c:00:02
IMG=$VT_TMP/svc.img
HELD=$VT_TMP/held.pcapng
OUT=$VT_TMP/got.txt
moddir=${VNIF_MODDIR:-}

lan() { ip netns exec "$LAN" "$@"; }
peer_send() {	# FIRST LAST: datagrams "n" from 10.60.0.1:6000
	ip netns exec "$P" "$VT_PY" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.60.0.1", 6000))
for i in range(int(sys.argv[1]), int(sys.argv[2]) + 1):
    s.sendto(b"%d" % i, ("10.60.0.2", 7000))' "$1" "$2"
}

for ns in "$LAN" "$P" "$CA" "$CB"; do
	if ! vt_netns "$ns" -4; then
		vt_fail "netns $ns"
		vt_done
	fi
done
ip -n "$LAN" link add br0 type bridge && ip -n "$LAN" link set br0 up &&
	ip -n "$LAN" link add pl type veth peer name pp netns "$P" &&
	ip -n "$LAN" link set pl master br0 && ip -n "$LAN" link set pl up &&
	ip -n "$P" addr add 10.60.0.1/24 dev pp && ip -n "$P" link set pp up &&
	ip -n "$P" neigh replace 10.60.0.2 lladdr "$MAC" dev pp nud permanent
vt_check "host A: a vnif pair on the LAN's bridge" \
	lan "$VNIF" attach --netns "$CA" --address 10.60.0.2/24 --mac "$MAC" \
	--host-ifname va --bridge br0

# The service: one UDP socket, nothing read.
ip netns exec "$CA" "$VT_PY" -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.60.0.2", 7000))
open(sys.argv[1], "w").write("ready")
time.sleep(3600)' "$VT_TMP/ready" &
PID=$!
vt_defer "kill $PID"
if ! vt_wait_word "$VT_TMP/ready" ready; then
	vt_fail "the service started"
	vt_done
fi

# The checkpoint's own freeze, while the process runs on.
vt_check "checkpoint --leave-running" "$CRAK" checkpoint -o "$VT_TMP/a.img" "$PID"
vt_eq "... thaws the pair it froze" pass "$(vt_stat "$LAN" va state)"
lan "$VNIF" freeze va
vt_check "checkpoint --leave-running of a pair frozen by the user" \
	"$CRAK" checkpoint -o "$VT_TMP/b.img" "$PID"
vt_eq "... leaves it frozen" hold "$(vt_stat "$LAN" va state)"
lan "$VNIF" thaw va

peer_send 1 5
sleep 0.5
out=$("$CRAK" checkpoint --kill -o "$IMG" "$PID" 2>&1)
vt_eq "checkpoint --kill: written" 0 "$?"
vt_log "$out"
vt_check "the report: 5 datagrams, the vnif holding, killed" \
	grep -q "1 socket, 5 datagrams, .* 1 vnif device holding, killed$" <<<"$out"
{ wait "$PID"; } 2>/dev/null
vt_eq "host A's pair holds" hold "$(vt_stat "$LAN" va state)"
peer_send 6 10
sleep 0.5
vt_eq "host A's pair holds the 5 datagrams sent since" 5 \
	"$(vt_stat "$LAN" va ingress.held)"

# Host B: the same address and MAC, frozen, not on the LAN yet.
vt_check "host B: a vnif pair, same address and MAC" \
	lan "$VNIF" attach --netns "$CB" --address 10.60.0.2/24 --mac "$MAC" \
	--host-ifname vb
vt_check "host B's pair frozen" lan "$VNIF" freeze vb
if [[ $moddir ]]; then
	vt_check "rmmod crak" rmmod crak
	vt_check "insmod crak again" insmod "$moddir/crak.ko"
fi

# The reader takes the socket over; the sockets exist once --verbose says so.
cat >"$VT_TMP/reader.py" <<'PY'
import os, socket, sys
s = socket.socket(fileno=int(os.environ["CRAK_FDS"]))
s.settimeout(30)
with open(sys.argv[1] + ".tmp", "w") as f:
    for _ in range(15):
        try:
            data, addr = s.recvfrom(100)
        except socket.timeout:
            break
        f.write("%s %s:%d\n" % (data.decode(), addr[0], addr[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
PY
"$CRAK" restart --verbose --netns "$CB" "$IMG" -- "$VT_PY" "$VT_TMP/reader.py" "$OUT" \
	2>"$VT_TMP/restart.err" &
RPID=$!
vt_defer "kill $RPID"
if ! vt_wait_word "$VT_TMP/restart.err" "1 socket, 5 datagrams"; then
	vt_fail "restart built the socket" "$(cat "$VT_TMP/restart.err")"
	vt_done
fi
vt_check "restart announced the address on B's device" \
	grep -q "1 vnif device announced" "$VT_TMP/restart.err"
vt_eq "... the gratuitous ARP held by B's frozen pair" 1 \
	"$(vt_stat "$LAN" vb egress.held)"

# The tail: A leaves the LAN, B joins it, A's held frames go to B.
vt_check "A off the bridge, B on it" \
	ip -n "$LAN" -batch - <<<"link set va nomaster
link set vb master br0"
vt_check "dump A's held frames" lan "$VNIF" dump va -w "$HELD"
vt_check "load them into B" lan "$VNIF" load vb -r "$HELD"
vt_check "delete A's pair" lan "$VNIF" detach va
vt_check "thaw B" lan "$VNIF" thaw vb
vt_wait_pass "$LAN" vb || vt_fail "B back in pass"
vt_check "the LAN's bridge learnt M on B's port from it" \
	bash -c "bridge -n '$LAN' fdb show br br0 | grep -qi '^$MAC dev vb '"
peer_send 11 15
wait "$RPID"
vt_eq "the reader exited 0" 0 "$?"

want=$(for i in $(seq 15); do echo "$i 10.60.0.1:6000"; done)
vt_eq "datagrams 1 to 15, each once, in order, from the peer" "$want" "$(cat "$OUT" 2>/dev/null)"
vt_eq "B released the 5 frames loaded, dropped none" "5 5 yes" \
	"$(vt_stat "$LAN" vb ingress.loaded) $(vt_stat "$LAN" vb ingress.released) $(vt_stat "$LAN" vb balanced)"
vt_done
