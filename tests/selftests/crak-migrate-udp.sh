#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crak-migrate-udp: a UDP service moves to another network namespace with
# its address, its MAC, its routes and every datagram: those queued on its
# socket travel in the crak image, and so do the frames its vnif pair held
# when the image was taken; those that arrive after the checkpoint are the
# tail, held by the old pair and carried as a capture. No frame travels
# twice. CRIU loses the last two kinds.
#
#   netns vmlN, the LAN: bridge br0; the peer (netns vmpN, 10.60.0.1) on
#   a veth. Host A: container vmaN on vnif pair va (10.60.0.2 and
#   10.60.0.12, MAC M, MTU 1400, a default route and a route to
#   10.61.0.0/24 with metric 7) on br0, running a UDP service on
#   10.60.0.2:7000 that reads nothing.
#
#   1. The peer sends datagrams 1-5: queued on the socket.
#   2. va's pair is frozen (as the checkpoint's own freeze would be, a
#      little earlier); the peer sends 6-10: held by the pair.
#   3. crak checkpoint --kill: the image has the socket with 1-5 and va
#      with the frames of 6-10, which leave va (moved, not dropped).
#   4. The peer sends 11-15: held by va, the tail.
#   5. Host B: va leaves the bridge. crak.ko is reloaded. A restart that
#      fails (a bridge that does not exist; a route that exists already;
#      a command whose exec fails once everything is built) leaves no
#      device behind.
#   6. crak restart --netns vmbN --bridge br0 --hold, run in the LAN:
#      the pair vb <-> eth0 with M, the MTU, the addresses and routes,
#      frozen, loaded with 6-10 from the image; the socket rebuilt with
#      1-5; the address announced (held); a reader takes the socket over.
#   7. The tail: va's held frames are dumped, loaded into vb, va deleted;
#      vb thawed. The peer sends 16-20.
#
# Checks: the reader gets 1 to 20, each once, in order, from the peer;
# the gratuitous ARPs leave at the thaw and the bridge learns M on vb;
# vb released exactly the 10 frames loaded (5 from the image, 5 of the
# tail), dropped none. Before that, the
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
# The container's end as a restart must rebuild it: MAC, MTU, addresses,
# the routes through it that are not the kernel's own.
netconf() {
	ip -n "$1" -j link show eth0 | jq -r '.[0] | "\(.address) mtu \(.mtu)"'
	ip -n "$1" -j addr show dev eth0 | jq -r '.[0].addr_info[] | "\(.local)/\(.prefixlen)"'
	ip -n "$1" -j route show dev eth0 | jq -r '.[] | select(.protocol != "kernel") |
		"\(.dst) via \(.gateway // "-") metric \(.metric // 0)"' | sort
}
vnifs() { ip -n "$LAN" -o link show type vnif | awk -F': ' '{ sub("@.*", "", $2); print $2 }' | sort | xargs; }

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
	--mtu 1400 --gateway 10.60.0.1 --host-ifname va --bridge br0
ip -n "$CA" addr add 10.60.0.12/24 dev eth0 &&
	ip -n "$CA" route add 10.61.0.0/24 via 10.60.0.1 dev eth0 metric 7
conf_a=$(netconf "$CA")
vt_log "A's end: $(xargs <<<"$conf_a")"

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
lan "$VNIF" freeze va
peer_send 6 10
sleep 0.5
vt_eq "host A's pair holds 6-10 before the checkpoint" 5 \
	"$(vt_stat "$LAN" va ingress.held)"
out=$("$CRAK" checkpoint --kill -o "$IMG" "$PID" 2>&1)
vt_eq "checkpoint --kill: written" 0 "$?"
vt_log "$out"
vt_check "the report: 5 datagrams, 5 frames moved, the vnif holding, killed" \
	grep -q "1 socket, 5 datagrams, .* 5 frames moved, 1 vnif device holding, killed$" <<<"$out"
{ wait "$PID"; } 2>/dev/null
vt_eq "host A's pair holds" hold "$(vt_stat "$LAN" va state)"
vt_eq "... no longer 6-10: moved to the image, not dropped" "0 5 0" \
	"$(vt_stat "$LAN" va ingress.held) $(vt_stat "$LAN" va ingress.moved) $(vt_stat "$LAN" va drop_limit)"
peer_send 11 15
sleep 0.5
vt_eq "host A's pair holds the tail, the 5 datagrams sent since" 5 \
	"$(vt_stat "$LAN" va ingress.held)"

# Host B. A leaves the LAN first: the bridge must not flood to both.
ip -n "$LAN" link set va nomaster
if [[ $moddir ]]; then
	vt_check "rmmod crak" rmmod crak
	vt_check "insmod crak again" insmod "$moddir/crak.ko"
fi
vt_refuse "restart onto a bridge that does not exist" "restart: bridge nosuch: No such device" \
	lan "$CRAK" restart --netns "$CB" --bridge nosuch --hold "$IMG" -- true
ip -n "$CB" link add x0 type veth peer name x1 && ip -n "$CB" link set x0 up &&
	ip -n "$CB" addr add 10.60.9.1/24 dev x0 &&
	ip -n "$CB" route add 10.61.0.0/24 via 10.60.9.2 dev x0 metric 7
out=$(lan "$CRAK" restart --netns "$CB" --bridge br0 --host-ifname vb --hold "$IMG" -- true 2>&1)
vt_eq "restart where a route exists already: fails" 1 "$?"
vt_check "... names the step and why" grep -q \
	"restart: vnif eth0: add route 10.61.0.0/24 via 10.60.0.1 table main metric 7: File exists" <<<"$out"
vt_check "... removes the pair it made" grep -q "restart: removed the 1 vnif pair made" <<<"$out"
ip -n "$CB" link del x0
vt_eq "... no device left behind, here or in B" "va:" \
	"$(vnifs):$(ip -n "$CB" -o link show eth0 2>/dev/null)"
# The command passes the lookup (it is executable) but its exec fails,
# after the pairs and the socket are built: it is open for writing
# (ETXTBSY, which execvp does not retry).
cp /bin/true "$VT_TMP/busy"
sleep 600 9>>"$VT_TMP/busy" &
vt_defer "kill $!"
out=$(lan "$CRAK" restart --netns "$CB" --bridge br0 --host-ifname vb --hold "$IMG" -- "$VT_TMP/busy" 2>&1)
vt_eq "restart whose exec fails after the pair is made: exit 126" 126 "$?"
vt_check "... says why, then removes the pair" grep -qzE \
	"busy: Text file busy.*restart: removed the 1 vnif pair made" <<<"$out"
vt_eq "... no device left behind, here or in B" "va:" \
	"$(vnifs):$(ip -n "$CB" -o link show eth0 2>/dev/null)"

# The reader takes the socket over; the sockets exist once --verbose says so.
cat >"$VT_TMP/reader.py" <<'PY'
import os, socket, sys
s = socket.socket(fileno=int(os.environ["CRAK_FDS"]))
# Long enough for every step between the restart and the thaw in the
# emulated guest; 20 datagrams end it sooner.
s.settimeout(120)
with open(sys.argv[1] + ".tmp", "w") as f:
    for _ in range(20):
        try:
            data, addr = s.recvfrom(100)
        except socket.timeout:
            break
        f.write("%s %s:%d\n" % (data.decode(), addr[0], addr[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
PY
lan "$CRAK" restart --verbose --netns "$CB" --bridge br0 --host-ifname vb --hold \
	"$IMG" -- "$VT_PY" "$VT_TMP/reader.py" "$OUT" 2>"$VT_TMP/restart.err" &
RPID=$!
vt_defer "kill $RPID"
if ! vt_wait_word "$VT_TMP/restart.err" "1 socket, 5 datagrams"; then
	vt_fail "restart built the socket" "$(cat "$VT_TMP/restart.err")"
	vt_done
fi
vt_log "$(cat "$VT_TMP/restart.err")"
vt_check "restart made the pair from the image: 2 addresses, 2 routes, 5 frames" \
	grep -q "vnif eth0 <-> vb on br0: 2 addresses, 2 routes, 5 frames loaded" "$VT_TMP/restart.err"
vt_check "restart announced the address on B's device, left it frozen" \
	grep -q "1 vnif device announced, 1 vnif pair made, frozen (--hold)" "$VT_TMP/restart.err"
vt_eq "B's end has A's MAC, MTU, addresses and routes" "$conf_a" "$(netconf "$CB")"
vt_eq "B's pair: on br0, frozen, 6-10 loaded from the image" "br0 hold 5" \
	"$(ip -n "$LAN" -j link show vb | jq -r '.[0].master') $(vt_stat "$LAN" vb state) $(vt_stat "$LAN" vb ingress.loaded)"
vt_eq "... the gratuitous ARPs (one per address) held by B's frozen pair" 2 \
	"$(vt_stat "$LAN" vb egress.held)"

# The tail: A's held frames go to B.
vt_check "dump A's held frames" lan "$VNIF" dump va -w "$HELD"
vt_check "load them into B" lan "$VNIF" load vb -r "$HELD"
vt_check "delete A's pair" lan "$VNIF" detach va
vt_check "thaw B" lan "$VNIF" thaw vb
vt_wait_pass "$LAN" vb || vt_fail "B back in pass"
vt_check "the LAN's bridge learnt M on B's port from it" \
	bash -c "bridge -n '$LAN' fdb show br br0 | grep -qi '^$MAC dev vb '"
peer_send 16 20
wait "$RPID"
vt_eq "the reader exited 0" 0 "$?"

want=$(for i in $(seq 20); do echo "$i 10.60.0.1:6000"; done)
vt_eq "datagrams 1 to 20, each once, in order, from the peer" "$want" "$(cat "$OUT" 2>/dev/null)"
vt_log "B: $(vt_stat "$LAN" vb summary)"
vt_eq "B released the 10 frames loaded, dropped none" "10 10 yes" \
	"$(vt_stat "$LAN" vb ingress.loaded) $(vt_stat "$LAN" vb ingress.released) $(vt_stat "$LAN" vb balanced)"
vt_done
