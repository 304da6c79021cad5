#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The vnif pair with the gate open, driven by stock iproute2 only:
#
#   netns $H (host side)                 netns $C (container)
#   +-------------------+                +-------------------+
#   | o0 (outer end)    |================| eth0 (inner end)  |
#   | 10.71.0.1/24      |     vnif       | 10.71.0.2/24      |
#   | fd71::1/64        |                | fd71::2/64        |
#   +-------------------+                +-------------------+
#
# Creation, the peer moved to another namespace, TCP and UDP streams
# byte-exact over IPv4 and IPv6, the standard counters, deletion of either
# end and of a namespace. Also run on Debian's stock kernel by smoke.sh.

source "$(dirname "$0")/lib.sh"

H=vtph$VT_ID
C=vtpc$VT_ID

vt_netns "$H"
vt_netns "$C"
vt_check "ip link add type vnif (default peer name)" \
	ip -n "$H" link add o0 type vnif
vt_eq "peer named vnif0, linked to o0" "vnif0@o0" \
	"$(ip -n "$H" -o link show vnif0 | awk '{print $2}' | tr -d :)"
vt_eq "driver is vnif" "vnif" \
	"$(ip netns exec "$H" ethtool -i o0 | awk '/^driver:/ {print $2}')"
vt_check "move the inner end to another netns" \
	ip -n "$H" link set vnif0 netns "$C" name eth0
ip -n "$H" addr add 10.71.0.1/24 dev o0
ip -n "$H" addr add fd71::1/64 dev o0 nodad
ip -n "$C" addr add 10.71.0.2/24 dev eth0
ip -n "$C" addr add fd71::2/64 dev eth0 nodad
ip -n "$H" link set o0 up
ip -n "$C" link set eth0 up
vt_eq "carrier up once both ends are up" "UP" \
	"$(ip -n "$C" -br link show eth0 | awk '{print $2}')"

# stream PROTO ADDR BYTES: sent from $H to $C as fast as it goes.
stream() {
	local proto=$1 addr=$2 bytes=$3 port=$((5000 + RANDOM % 1000)) rpid s
	rm -f "$VT_TMP/ready"
	ip netns exec "$C" "$FLOW" recv "$proto" "$addr" "$port" --bytes "$bytes" \
		--timeout 30 >"$VT_TMP/recv" 2>"$VT_TMP/ready" &
	rpid=$!
	vt_wait_word "$VT_TMP/ready" ready || return 1
	s=$(ip netns exec "$H" "$FLOW" send "$proto" "$addr" "$port" \
		--bytes "$bytes" --chunk 1400 --interval-us "$4" 2>/dev/null)
	wait $rpid
	vt_stream_ok "$s" "$(cat "$VT_TMP/recv")" "$bytes"
}

vt_check "TCP over IPv4, 1 MB byte-exact" stream tcp 10.71.0.2 1000000 0
vt_check "TCP over IPv6, 1 MB byte-exact" stream tcp fd71::2 1000000 0
vt_check "UDP over IPv4, 200 datagrams in order" stream udp 10.71.0.2 280000 1000
vt_check "UDP over IPv6, 200 datagrams in order" stream udp fd71::2 280000 1000

# Every frame one end sent, the other received. IPv6 control traffic may
# cross between two reads: take a snapshot that holds still.
counter() { ip -n "$1" -s -j link show "$2" | jq ".[0].stats64.$3.packets"; }
for _ in 1 2 3 4 5; do
	tx=$(counter "$H" o0 tx)
	rx=$(counter "$C" eth0 rx)
	[[ $tx == "$(counter "$H" o0 tx)" && $tx == "$rx" ]] && break
done
vt_eq "tx packets of o0 = rx packets of eth0 ($tx)" "$tx" "$rx"
[[ $tx -gt 100 ]] && vt_ok "counters moved ($tx frames)" || vt_fail "counters moved" "tx=$tx"

vt_check "delete the inner end" ip -n "$C" link del eth0
vt_refuse "the outer end went with it" "does not exist" ip -n "$H" link show o0

vt_check "create a second pair" ip -n "$H" link add o1 type vnif
ip -n "$H" link set vnif0 netns "$C"
vt_check "delete the container's netns" ip netns del "$C"
vt_refuse "the outer end went with the namespace" "does not exist" \
	ip -n "$H" link show o1

vt_done
