#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Streams across a frozen pair: nothing lost, nothing reordered.
#
#   netns $H (sender)                    netns $C (receiver)
#   +-------------------+                +-------------------+
#   | o0 (outer end)    |================| eth0 (inner end)  |
#   | 10.72.0.1/24      |     vnif       | 10.72.0.2/24      |
#   | fd72::1/64        |                | fd72::2/64        |
#   +-------------------+                +-------------------+
#
# For TCP and UDP, over IPv4 and IPv6: the sender streams 1000 bytes every
# 2 ms; after 0.5 s the pair is frozen for 0.5, 1 or 2 s while the sender
# keeps sending (TCP data one way, its ACKs the other, the sender's own
# retransmissions joining the queue), then thawed; the stream goes on for
# another 0.5 s before the test stops it. (In an emulated guest each
# command takes about a second: the times are at least these.) The stream must arrive
# byte-exact and complete, UDP datagrams in order with none missing, and
# the counters must balance: every frame held was released, none dropped.

source "$(dirname "$0")/lib.sh"

H=vtfh$VT_ID
C=vtfc$VT_ID

vt_netns "$H"
vt_netns "$C"
ip -n "$H" -batch - <<EOF
link add o0 type vnif
link set vnif0 netns $C name eth0
addr add 10.72.0.1/24 dev o0
addr add fd72::1/64 dev o0 nodad
link set o0 up
EOF
ip -n "$C" -batch - <<EOF
addr add 10.72.0.2/24 dev eth0
addr add fd72::2/64 dev eth0 nodad
link set eth0 up
EOF

# flow PROTO ADDR SECONDS
flow() {
	local proto=$1 addr=$2 hold=$3 port=$((6000 + RANDOM % 1000))
	local rpid spid before stop=$VT_TMP/stop.$RANDOM st

	: >"$VT_TMP/ready"
	: >"$VT_TMP/started"
	ip netns exec "$C" "$FLOW" recv "$proto" "$addr" "$port" \
		--timeout 60 >"$VT_TMP/recv" 2>"$VT_TMP/ready" &
	rpid=$!
	vt_wait_word "$VT_TMP/ready" ready || return 1
	ip netns exec "$H" "$FLOW" send "$proto" "$addr" "$port" --bytes 50000000 \
		--chunk 1000 --interval-us 2000 --stop-file "$stop" \
		>"$VT_TMP/send" 2>"$VT_TMP/started" &
	spid=$!
	vt_wait_word "$VT_TMP/started" started || return 1
	vt_nap 0.5
	ip netns exec "$H" "$VNIF" freeze o0 || return 1
	vt_nap "$hold"
	before=$(vt_stat "$H" o0 held)
	ip netns exec "$H" "$VNIF" thaw o0 || return 1
	vt_nap 0.5
	: >"$stop"
	wait $spid
	wait $rpid
	vt_wait_pass "$H" o0
	mapfile -t st <<<"$(vt_stat "$H" o0 summary balanced)"
	echo "held at thaw: $before; ${st[0]}"
	vt_stream_ok "$(<"$VT_TMP/send")" "$(<"$VT_TMP/recv")" &&
		[[ $before -gt 0 ]] &&
		# Every frame held was released; none dropped, none left.
		[[ ${st[1]-} == yes ]]
}

for proto in tcp udp; do
	for fam in 10.72.0.2 fd72::2; do
		for hold in 0.5 1 2; do
			v=4
			[[ $fam == *:* ]] && v=6
			vt_check "$proto IPv$v held ${hold} s: byte-exact, counters balance" \
				flow "$proto" "$fam" "$hold"
		done
	done
done

vt_done
