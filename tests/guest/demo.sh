#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of make demo (tests/demo.sh).
#
#   host namespace (the peer)              netns "demo" (the container)
#   vdemo 10.90.0.1/24  ====== vnif ====== eth0 10.90.0.2/24

set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
moddir=$1
VNIF=$repo/userspace/vnif
FLOW=$repo/tests/selftests/flow
tmp=$(mktemp -d)

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }

step "Debian's kernel $(uname -r); loading the modules"
run insmod "$moddir/vnif.ko"
run insmod "$moddir/crak.ko"
dmesg | grep -iE "vnif|crak" | tail -3 || true

step "A container namespace gets its own interface, MAC and address"
run ip netns add demo
run "$VNIF" attach --netns demo --ifname eth0 --address 10.90.0.2/24 \
	--gateway 10.90.0.1 --mac 02:00:0a:5a:00:02 --host-ifname vdemo
run ip addr add 10.90.0.1/24 dev vdemo
run ip -n demo -br addr show eth0
run "$VNIF" show vdemo

step "The peer streams 1000 bytes every 2 ms to a receiver in the container"
ip netns exec demo "$FLOW" recv tcp 10.90.0.2 7000 --bytes 1500000 \
	>"$tmp/recv" 2>"$tmp/ready" &
rpid=$!
until grep -q ready "$tmp/ready"; do sleep 0.1; done
"$FLOW" send tcp 10.90.0.2 7000 --bytes 1500000 \
	--chunk 1000 --interval-us 2000 >"$tmp/send" 2>"$tmp/started" &
spid=$!
until grep -q started "$tmp/started"; do sleep 0.1; done
sleep 0.5

step "Freeze: for one second every frame, both ways, is held in order"
run "$VNIF" freeze vdemo
sleep 1
run "$VNIF" show vdemo
run "$VNIF" dump vdemo -w "$tmp/held.pcap"
echo "\$ tcpdump -nr held.pcap | head -5"
tcpdump -nr "$tmp/held.pcap" 2>/dev/null | head -5

step "Thaw: the queue goes first, then new frames"
run "$VNIF" thaw vdemo
wait $spid $rpid
jq -rn --argjson s "$(cat "$tmp/send")" --argjson r "$(cat "$tmp/recv")" '
	"sent     \($s.sent) bytes, digest \($s.digest)",
	"received \($r.received) bytes, digest \($r.digest)",
	"the receiver waited at most \($r.max_gap_ms) ms between two reads (the freeze was 1000 ms)",
	(if $r.mismatch_at == -1 and $s.digest == $r.digest
	 then "every byte arrived, in order"
	 else "THE STREAM DIFFERS at byte \($r.mismatch_at)" end)' 
run "$VNIF" show vdemo

step "Detach and unload"
run "$VNIF" detach vdemo
run ip netns del demo
run rmmod crak vnif
rm -rf "$tmp"
