#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What becomes of held frames when the pair changes under them
# (Documentation/vnif.md, "What happens to held frames when..."):
#
#   netns $H                             netns $C / $C2
#   o0..o6 (outer ends)  ===== vnif ===== eth0..eth6 (inner ends)
#   10.73.N.1/24                         10.73.N.2/24
#
# Each case freezes a pair, holds a known number of UDP datagrams, changes
# the pair (delete, move, down, limits, deadline, module unload) and checks
# the exact counters. The runner checks afterwards that the kernel reported
# nothing and kmemleak found nothing.

source "$(dirname "$0")/lib.sh"

H=vtth$VT_ID
C=vttc$VT_ID
C2=vttd$VT_ID
vt_netns "$H" -4
vt_netns "$C" -4
vt_netns "$C2" -4
vnif() { ip netns exec "$H" "$VNIF" "$@"; }

# Deleting a pair that holds frames in both directions.
vt_pair "$H" o0 "$C" eth0 10.73.0
vnif freeze o0
vt_udp "$H" 10.73.0.2 9000 30
vt_udp "$C" 10.73.0.1 9000 20
vt_eq "delete: 30 ingress frames held" 30 "$(vt_stat "$H" o0 ingress.held)"
vt_eq "delete: 20 egress frames held" 20 "$(vt_stat "$H" o0 egress.held)"
vt_check "delete: the pair goes, held frames and all" ip -n "$H" link del o0
vt_refuse "delete: the inner end is gone too" "does not exist" \
	ip -n "$C" link show eth0

# Moving the inner end to another namespace while frames wait for it: they
# are delivered there on release (what a restored container relies on).
vt_pair "$H" o1 "$C" eth1 10.73.1
vnif freeze o1
# Ten 100-byte datagrams and the stream's end marker, all held.
ip netns exec "$H" "$FLOW" send udp 10.73.1.2 9001 --bytes 1000 --chunk 100 \
	--interval-us 0 >"$VT_TMP/send" 2>/dev/null
vt_eq "move: 11 datagrams held" 11 "$(vt_stat "$H" o1 ingress.held)"
ip -n "$C" link set eth1 netns "$C2"
ip -n "$C2" addr add 10.73.1.2/24 dev eth1
ip -n "$C2" link set eth1 up
rm -f "$VT_TMP/ready"
ip netns exec "$C2" "$FLOW" recv udp 10.73.1.2 9001 --bytes 1000 --timeout 10 \
	>"$VT_TMP/recv" 2>"$VT_TMP/ready" &
rpid=$!
vt_wait_word "$VT_TMP/ready" ready
vnif thaw o1
wait $rpid
vt_check "move: the held datagrams reach the end in its new namespace, in order" \
	vt_stream_ok "$(cat "$VT_TMP/send")" "$(cat "$VT_TMP/recv")" 1000
vt_wait_pass "$H" o1
vt_eq "move: released 11" 11 "$(vt_stat "$H" o1 ingress.released)"

# The receiving end goes down while frames are held: dropped on release,
# and counted.
vt_pair "$H" o2 "$C" eth2 10.73.2
vnif freeze o2
vt_udp "$H" 10.73.2.2 9002 10
ip -n "$C" link set eth2 down
vnif thaw o2
vt_wait_pass "$H" o2
vt_eq "down: 10 dropped as down" 10 "$(vt_stat "$H" o2 ingress.drop_down)"
vt_eq "down: none released" 0 "$(vt_stat "$H" o2 ingress.released)"

# Drop-tail over the packet limit; the standard counters agree.
vt_pair "$H" o3 "$C" eth3 10.73.3
vt_check "limit: freeze with --limit-packets 10" vnif freeze o3 --limit-packets 10
vt_udp "$H" 10.73.3.2 9003 30
vt_eq "limit: 10 held" 10 "$(vt_stat "$H" o3 ingress.held)"
vt_eq "limit: 20 dropped over the limit" 20 "$(vt_stat "$H" o3 ingress.drop_limit)"
vt_eq "limit: high water 10" 10 "$(vt_stat "$H" o3 ingress.high_water)"
vt_eq "limit: tx_dropped of o3 is 20" 20 \
	"$(ip -n "$H" -s -j link show o3 | jq '.[0].stats64.tx.dropped')"
vnif thaw o3
vt_wait_pass "$H" o3
vt_eq "limit: the 10 held are released" 10 "$(vt_stat "$H" o3 ingress.released)"

# held_soon IFACE NET PORT FREEZE_OPTS...: in one process in $H, freeze
# IFACE, send five datagrams to NET.2:PORT and count what it holds: a short
# deadline cannot expire in between, however slow the guest.
held_soon() {
	local -A g
	vt_json g "$(ip netns exec "$H" bash -c '"$0" freeze "$1" "${@:4}" &&
		for i in 1 2 3 4 5; do echo "$i" >"/dev/udp/$2.2/$3"; done &&
		"$0" show "$1" --json' "$VNIF" "$@")"
	echo $((${g[ingress.held]:-0} + ${g[egress.held]:-0}))
}

# A deadline nobody meets: released (default policy) or dropped. Three
# seconds: time enough for the slowest guest to send five datagrams.
vt_pair "$H" o4 "$C" eth4 10.73.4
vt_eq "deadline release: 5 held before the deadline" 5 \
	"$(held_soon o4 10.73.4 9004 --deadline 3)"
vt_wait_pass "$H" o4
vt_eq "deadline release: back to pass" pass "$(vt_stat "$H" o4 state)"
vt_eq "deadline release: one deadline" 1 "$(vt_stat "$H" o4 ingress.deadlines)"
vt_eq "deadline release: 5 released" 5 "$(vt_stat "$H" o4 ingress.released)"
vt_pair "$H" o5 "$C" eth5 10.73.5
vt_eq "deadline drop: 5 held before the deadline" 5 \
	"$(held_soon o5 10.73.5 9005 --deadline 3 --deadline-policy drop)"
vt_wait_pass "$H" o5
vt_eq "deadline drop: back to pass" pass "$(vt_stat "$H" o5 state)"
vt_eq "deadline drop: 5 dropped at the deadline" 5 \
	"$(vt_stat "$H" o5 ingress.drop_deadline)"
vt_eq "deadline drop: none released" 0 "$(vt_stat "$H" o5 ingress.released)"
vt_check "deadline: logged once per expiry" \
	bash -c '[[ $(dmesg | grep -c "hold deadline of 3000 ms expired") -ge 2 ]]'

# Unloading the module while pairs hold frames deletes them all.
if [[ -n ${VNIF_MODDIR:-} ]]; then
	vt_pair "$H" o6 "$C" eth6 10.73.6
	vnif freeze o6
	vt_udp "$H" 10.73.6.2 9006 25
	vt_eq "unload: 25 held before rmmod" 25 "$(vt_stat "$H" o6 ingress.held)"
	# crak.ko uses vnif's kernel API: it goes first (the runner loads it
	# again after this test).
	if lsmod | grep -q '^crak '; then
		vt_check "unload: rmmod crak, which uses vnif" rmmod crak
	fi
	vt_check "unload: rmmod vnif while holding" rmmod vnif
	vt_refuse "unload: every pair is gone" "does not exist" ip -n "$H" link show o1
	vt_check "unload: the module loads again" insmod "$VNIF_MODDIR/vnif.ko"
fi

vt_done
