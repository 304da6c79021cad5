#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crak-vnif-image: CRAK_IOC_CHECKPOINT records the vnif end of the
# process's namespace (VNIF, VNIF_QUEUE), and CRAK_NET_TRIM takes from
# the pair exactly the frames the image carries.
#
#   netns vtcvhN (host, IPv6 off)         netns vtcvcN (container)
#   vtcvN (outer end) ===== vnif pair ===== eth0 (inner end)
#   raw frames sent on it (inject)        10.77.0.2/24, fd77::2/64, MTU 1400
#                                         routes: default via 10.77.0.1 and
#                                         via 10.77.0.3 metric 500, fd77::1,
#                                         192.168.77.0/24 dev eth0,
#                                         fd99::/48 table 100 metric 300
#                                         vnif_image.py target: one UDP
#                                         socket on 10.77.0.2:7000
#   vtcvoN ===== a fresh vnif pair ===== vtcviN, also in vtcvhN (at the end)
#
# The pair is frozen, three frames are sent to the process and the
# process sends three, then `crak checkpoint --leave-running` (the pair
# stays frozen: the tool thaws only what it froze; its first buffer too
# small, through ENOSPC). The image is decoded
# by vnif_image.py with struct, independently of crak's codec, and every
# field is checked: link, limits, addresses, routes, each frame byte for
# byte. Then CRAK_NET_TRIM (vnif_image.py trim): a frame changed in the
# image (checksum made again) and a name no end has are refused, nothing
# removed; nobody is refused; the image's frames are removed, the one that
# came after the checkpoint stays, counted as moved, and is all a second
# checkpoint has; the same image again is ESTALE. A multipath route
# through eth0 fails the checkpoint, naming the route. So do, the pair
# thawed, a route through a nexthop object (also with
# net.ipv4.nexthop_compat_mode 0, when the route dump leaves its device
# out), an IPv4 route via an IPv6 gateway, a route by TOS and an onlink
# route (and a source-specific IPv6 route, on a kernel with
# CONFIG_IPV6_SUBTREES): EOPNOTSUPP, the route and why in crak's message,
# the process running on, no image, the pair thawed again by the tool and
# nothing held. Last, `crak show --pcap` writes the image's frames, `vnif
# load` puts them into a fresh frozen pair, which holds 3 + 3, and `vnif
# dump` gives them back: the same frames, directions and arrival times.

source "$(dirname "$0")/lib.sh"

HN=vtcvh$VT_ID
NS=vtcvc$VT_ID
OUTER=vtcv$VT_ID
IMAC=02:77:00:00:00:02
PY=$VT_TMP/vnif_image.py
IMG=$VT_TMP/vnif.img
JSON=$VT_TMP/image.json

chmod 0755 "$VT_TMP"
# vnif_image.py imports crakimg.py from beside it; nobody runs it too.
cp "$VT_REPO/tests/selftests/vnif_image.py" "$VT_REPO/tests/lib/crakimg.py" \
	"$VT_TMP"
chmod 0644 "$PY" "$VT_TMP/crakimg.py"
vpy() { "$VT_PY" "$PY" "$@"; }
# The pair as eth0 sees it, in one process start (the guest is slow):
# state, frames held ingress and egress, frames moved ingress and egress.
counts() {
	ip netns exec "$NS" "$VNIF" show eth0 --json | jq -r '.[0] |
		"\(.state) \(.ingress.held) \(.egress.held) \(.ingress.moved) \(.egress.moved)"'
}

if ! vt_netns "$HN" -4 || ! vt_netns "$NS"; then
	vt_fail "netns"
	vt_done
fi
# No frame of its own from the container while frozen: no router
# solicitation, no duplicate address detection.
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.accept_ra=0 \
	net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.default.dad_transmits=0 \
	net.ipv6.conf.default.accept_dad=0
if ! ip netns exec "$HN" "$VNIF" attach --netns "$NS" --ifname eth0 \
	--address 10.77.0.2/24 --address fd77::2/64 \
	--gateway 10.77.0.1 --gateway fd77::1 --mac "$IMAC" --mtu 1400 \
	--host-ifname "$OUTER" --limit-packets 5000 --limit-bytes 4000000 \
	--deadline 900 --deadline-policy drop >/dev/null; then
	vt_fail "vnif attach"
	vt_done
fi
OMAC=$(ip -n "$HN" -br link show "$OUTER" | awk '{print $3}')
ip -n "$NS" route add 192.168.77.0/24 dev eth0
ip -n "$NS" route add default via 10.77.0.3 dev eth0 metric 500
ip -n "$NS" -6 route add fd99::/48 via fd77::1 dev eth0 metric 300 \
	table 100 proto static
# Not through eth0: left out.
ip -n "$NS" route add blackhole 10.99.0.0/16
ip -n "$NS" neigh replace 10.77.0.1 lladdr "$OMAC" dev eth0 nud permanent

ip netns exec "$NS" "$VT_PY" "$PY" target "$VT_TMP/ready.json" \
	"$VT_TMP/sent.json" &
PID=$!
vt_defer "kill $PID"
if ! vt_wait_word "$VT_TMP/ready.json" pid; then
	vt_fail "target started"
	vt_done
fi
# The multicast listener reports of the new addresses are over by then.
sleep 3

vt_check "vnif freeze" ip netns exec "$HN" "$VNIF" freeze "$OUTER"
ip netns exec "$NS" "$VT_PY" "$PY" sniff eth0 "$VT_TMP/egress.json" 3 &
SNIFF=$!
vt_defer "kill $SNIFF"
for i in $(seq 300); do
	[[ -e $VT_TMP/egress.json.ready ]] && break
	sleep 0.1
done
vt_check "three frames sent to the process (held: ingress)" \
	ip netns exec "$HN" "$VT_PY" "$PY" inject "$OUTER" "$OMAC" "$IMAC" \
	"$VT_TMP/ingress.json" first
kill -USR1 "$PID"
vt_check "the process sends three (held: egress)" \
	vt_wait_word "$VT_TMP/sent.json" '\['
wait "$SNIFF"
vt_eq "held: 3 ingress, 3 egress" "hold 3 3 0 0" "$(counts)"

# A first buffer of 1 KiB: the module says how long the image is (ENOSPC),
# the VNIF sections counted, and the tool asks again.
out=$(CRAK_CHECKPOINT_BUFFER=1024 "$CRAK" checkpoint --leave-running \
	-o "$IMG" "$PID" 2>&1)
vt_eq "crak checkpoint --leave-running (1 KiB first buffer)" 0 "$?"
vt_log "$out"
vt_eq "the pair is still frozen, still holding 3 + 3" "hold 3 3 0 0" \
	"$(counts)"
vt_check "crak.ko's codec accepts the image" "$CRAK" check --kernel "$IMG"
if ! vpy decode "$IMG" >"$JSON"; then
	vt_fail "decode the image"
	vt_done
fi

j() { jq -r "$1" "$JSON"; }
v() { jq -r ".vnifs[0] | $1" "$JSON"; }
vt_eq "header and every section checksum" "true true true true 1 32" \
	"$(j '"\(.magic_ok) \(.length_ok) \(.header_crc_ok) \(.crc_ok) \(.version) \(.hdr_len)"')"
vt_eq "sections: TASK, the socket, then VNIF and VNIF_QUEUE" \
	"TASK SOCK SOCK_QUEUE VNIF VNIF_QUEUE" "$(j '.sections | join(" ")')"
vt_eq "TASK: the process, one socket" "$PID 1" \
	"$(j '"\(.task.pid) \(.task.sockets)"')"
vt_eq "VNIF: name, NUL-padded" "eth0 65746830000000000000000000000000" \
	"$(v '"\(.ifname) \(.name_raw)"')"
vt_eq "VNIF: MAC, MTU" "$IMAC 1400" "$(v '"\(.mac) \(.mtu)"')"
vt_eq "VNIF: flags UP | FROZEN" 3 "$(v .flags)"
vt_eq "VNIF: limits, deadline, policy drop" "5000 4000000 900000 1" \
	"$(v '"\(.limit_packets) \(.limit_bytes) \(.deadline_ms) \(.deadline_policy)"')"
vt_eq "VNIF: reserved bytes zero, length from its counts" "0 0 0 true" \
	"$(v '"\(.reserved | join(" ")) \(.length_ok)"')"
vt_eq "VNIF: addresses (IPv4, IPv6 without the link-local one)" \
	"10.77.0.2/24 scope 0 flags 0x80
fd77::2/64 scope 0 flags 0x82" \
	"$(v '.addrs | sort | join("\n")')"
# Table 100 is main in a kernel without CONFIG_IPV6_MULTIPLE_TABLES.
t100=$(ip -n "$NS" -6 -j route show table all fd99::/48 |
	jq -r '.[0].table // "main" | sub("main"; "254")')
vt_eq "VNIF: routes through eth0, no kernel, local or blackhole ones" \
	"0.0.0.0/0 via 10.77.0.1 proto 3 scope 0 type 1 table 254 metric 0
0.0.0.0/0 via 10.77.0.3 proto 3 scope 0 type 1 table 254 metric 500
192.168.77.0/24 proto 3 scope 253 type 1 table 254 metric 0
::/0 via fd77::1 proto 3 scope 0 type 1 table 254 metric 1024
fd99::/48 via fd77::1 proto 4 scope 0 type 1 table $t100 metric 300" \
	"$(v '.routes | sort | join("\n")')"

# The frames: ingress as injected, egress as the sniffer saw them leave,
# each the datagram the process sent. The sniffer sees an egress frame
# before its UDP checksum is filled in (CHECKSUM_PARTIAL), the pair holds
# it complete: those two bytes (40, 41) are checked apart.
nocsum() {
	while read -r d h; do
		[[ $d == egress ]] && h="${h:0:80}....${h:84}"
		echo "$d $((${#h} / 2)) $h"
	done
}
want=$( (jq -r '.[] | "ingress \(.)"' "$VT_TMP/ingress.json"
	jq -r '.[] | "egress \(.)"' "$VT_TMP/egress.json") | nocsum)
got=$(v '.frames[] | "\(.dir) \(.hex)"' | nocsum)
vt_eq "VNIF_QUEUE: every frame, in order, byte for byte (3 + 3)" \
	"$want" "$got"
vt_eq "VNIF_QUEUE: every UDP checksum right" "true true true true true true" \
	"$(v '[.frames[].udp_csum_ok] | map(tostring) | join(" ")')"
vt_eq "egress frames carry the datagrams sent, from 10.77.0.2:7000" \
	"$(jq -r '.[]' "$VT_TMP/sent.json")" \
	"$(v '.frames[] | select(.dir == "egress") | .hex' | while read -r h; do
		# Ethernet 14, IPv4 20, UDP 8: the payload starts at byte 42.
		[[ ${h:52:8} == 0a4d0002 && ${h:68:4} == 1b58 ]] && echo "${h:84}"
	done)"
vt_eq "VNIF_QUEUE: counts agree, padding and reserved zero" \
	"6 6 $(v '[.frames[].len] | add') 0 0 true" \
	"$(v '"\(.queue_count) \(.nframes) \(.frame_bytes) \(.queue_reserved) \(.queue_rest) \([.frames[].clean] | all)"')"
now=$(date +%s%N)
vt_check "arrival times: real time, in order per direction, in the last 10 min" \
	jq -e --argjson now "$now" '.vnifs[0].frames | group_by(.dir) |
		all(. as $f | [range(1; length)] | all($f[.].tstamp_ns >= $f[. - 1].tstamp_ns))
		and (flatten | all(.tstamp_ns <= $now and .tstamp_ns > $now - 600000000000))' \
	"$JSON"

# One more frame to the process: the tail, which TRIM leaves.
vt_check "one frame after the checkpoint" \
	ip netns exec "$HN" "$VT_PY" "$PY" inject "$OUTER" "$OMAC" "$IMAC" \
	"$VT_TMP/tail.json" tail

trimres() { jq -r '"\(.errno) \(.frames) \(.changed) \(.error)"' <<<"$1"; }

vt_check "an image with one frame byte changed, checksum made again" \
	vpy corrupt "$IMG" "$VT_TMP/bad.img" frame
vt_check "... still a valid image" "$CRAK" check --kernel "$VT_TMP/bad.img"
r=$(vpy trim "$PID" "$VT_TMP/bad.img")
vt_eq "TRIM with it: ESTALE, names the frame" \
	"116 0 0 vnif eth0: egress frame 3 is not the image's" "$(trimres "$r")"
vt_eq "... nothing removed" "hold 4 3 0 0" "$(counts)"

vt_check "an image naming eth9" vpy corrupt "$IMG" "$VT_TMP/name.img" name
r=$(vpy trim "$PID" "$VT_TMP/name.img")
vt_eq "TRIM with it: ENOENT, names it" \
	"2 0 0 vnif eth9: no inner vnif end of that name in the namespace" \
	"$(trimres "$r")"
vt_eq "... nothing removed" "hold 4 3 0 0" "$(counts)"

devnum=$(cat /sys/class/misc/crak/dev)
mkdir -m 0755 "$VT_TMP/dev"
NODE=$VT_TMP/dev/crak
mknod -m 0666 "$NODE" c "${devnum%:*}" "${devnum#*:}"
chmod 0644 "$IMG"
r=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$VT_PY" "$PY" trim "$PID" "$IMG" "$NODE")
vt_eq "TRIM by nobody: EPERM" "1 0 0 " "$(trimres "$r")"
r=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all,+checkpoint_restore --ambient-caps=-all,+checkpoint_restore \
	"$VT_PY" "$PY" trim "$PID" "$IMG" "$NODE")
vt_eq "TRIM by nobody with CAP_CHECKPOINT_RESTORE, root's process: EPERM" \
	"1 0 0 " "$(trimres "$r")"
vt_eq "... nothing removed" "hold 4 3 0 0" "$(counts)"

r=$(vpy trim "$PID" "$IMG")
vt_eq "TRIM: the image's 6 frames removed, one pair" "0 6 1 " "$(trimres "$r")"
vt_eq "TRIM: one vnif in the namespace" 1 "$(jq -r .vnifs <<<"$r")"
vt_eq "... the tail stays held; 3 + 3 counted as moved" "hold 1 0 3 3" "$(counts)"
vt_check "a second checkpoint" \
	"$CRAK" checkpoint --leave-running -o "$VT_TMP/after.img" "$PID"
vt_eq "... has the tail only, the frame sent after the first" \
	"ingress $(jq -r '.[0]' "$VT_TMP/tail.json")" \
	"$(vpy decode "$VT_TMP/after.img" |
		jq -r '.vnifs[0].frames[] | "\(.dir) \(.hex)"')"
# IPv6: IPv4 multipath needs CONFIG_IP_ROUTE_MULTIPATH, IPv6's is always on.
ip -n "$NS" -6 route add fd88::/48 nexthop via fd77::1 dev eth0 \
	nexthop via fd77::3 dev eth0
vt_refuse "a multipath route through eth0 fails the checkpoint, named" \
	"vnif eth0: route fd88::/48: multipath routes not supported" \
	"$CRAK" checkpoint --leave-running -o "$VT_TMP/mp.img" "$PID"
ip -n "$NS" -6 route del fd88::/48

r=$(vpy trim "$PID" "$IMG")
vt_eq "TRIM again with the same image: ESTALE" 116 "$(jq -r .errno <<<"$r")"
vt_log "$(jq -r .error <<<"$r")"
vt_eq "... nothing changes" "hold 1 0 3 3" "$(counts)"

vt_check "vnif thaw" ip netns exec "$HN" "$VNIF" thaw "$OUTER"
vt_check "the pair passes again" vt_wait_pass "$NS" eth0
st=$(vt_stat "$NS" eth0 balanced held_total)
vt_eq "balanced: every frame released or moved" yes "${st%%$'\n'*}"
held_total=${st##*$'\n'}

# Routes through eth0 that a route record cannot express: each fails the
# checkpoint with EOPNOTSUPP, naming the route and why, the process
# running on (S, not stopped) and no image written; the pair, which the
# tool froze, passes again. One route at a time, as the first refusal
# ends the checkpoint: one `ip -batch` removes a route and adds the next.
tstate() {
	local s
	read -r s <"/proc/$PID/stat" || return
	s=${s##*) }
	echo "${s%% *}"
}
# refused NAME ROUTE WHY [compat0]: with compat0, the checkpoint runs in
# the namespace with net.ipv4.nexthop_compat_mode 0, the route dump then
# giving a route through a nexthop object without its device.
refused() {
	local out rc img=no
	if [[ ${4-} == compat0 ]]; then
		out=$(ip netns exec "$NS" sh -c "
			echo 0 >/proc/sys/net/ipv4/nexthop_compat_mode
			'$CRAK' checkpoint --leave-running -o '$VT_TMP/refused.img' $PID
			rc=\$?
			echo 1 >/proc/sys/net/ipv4/nexthop_compat_mode
			exit \$rc" 2>&1)
	else
		out=$("$CRAK" checkpoint --leave-running \
			-o "$VT_TMP/refused.img" "$PID" 2>&1)
	fi
	rc=$?
	compgen -G "$VT_TMP/*refused.img*" >/dev/null && img=yes
	vt_eq "$1" \
		"1 crak: cannot checkpoint $PID: vnif eth0: route $2: $3 (Operation not supported); S; image no" \
		"$rc $out; $(tstate); image $img"
}
ip -n "$NS" -batch - <<-EOF
	nexthop add id 77 via 10.77.0.1 dev eth0
	route add 10.78.1.0/24 nhid 77
EOF
refused "a route through a nexthop object" 10.78.1.0/24 \
	"nexthop objects not supported"
refused "... also dumped without its nexthop (nexthop_compat_mode 0)" \
	10.78.1.0/24 "nexthop objects not supported" compat0
ip -n "$NS" -batch - <<-EOF
	nexthop del id 77
	route add 10.78.2.0/24 via inet6 fd77::1 dev eth0
EOF
refused "an IPv4 route via an IPv6 gateway" 10.78.2.0/24 \
	"a gateway of another family not supported"
ip -n "$NS" -batch - <<-EOF
	route del 10.78.2.0/24
	route add 10.78.3.0/24 tos 0x10 via 10.77.0.1 dev eth0
EOF
refused "a route by TOS" 10.78.3.0/24 "routes by TOS not supported"
ip -n "$NS" -batch - <<-EOF
	route del 10.78.3.0/24 tos 0x10
	route add 10.78.4.0/24 via 10.99.1.1 dev eth0 onlink
EOF
refused "an onlink route" 10.78.4.0/24 "onlink routes not supported"
# Source-specific routes need CONFIG_IPV6_SUBTREES, which the debug
# kernel has not: checked only where the route can be made.
if ip -n "$NS" -batch - >"$VT_TMP/from.err" 2>&1 <<-EOF
	route del 10.78.4.0/24
	route add fd78::/48 from fd77::/64 via fd77::1 dev eth0
EOF
then
	refused "a source-specific IPv6 route" fd78::/48 \
		"source-specific routes not supported"
	ip -n "$NS" route del fd78::/48 from fd77::/64
else
	vt_log "no source-specific route:" $(<"$VT_TMP/from.err")
fi
st=$(vt_stat "$NS" eth0 state held held_total)
vt_eq "... the pair passes, held nothing since" "pass 0 $held_total" \
	"${st//$'\n'/ }"

# The image's frames as pcapng (crak show --pcap), loaded into a fresh
# pair (both ends in the host's namespace, IPv6 off: no frame of its
# own), frozen, and dumped again (vnif dump): the same frames, directions
# and arrival times, byte for byte.
PCAP=$VT_TMP/held.pcapng
out=$("$CRAK" show --pcap "$PCAP" "$IMG")
vt_eq "crak show --pcap: the image's frames" \
	"$PCAP: 6 frames of 1 vnif device written as pcapng" "${out##*$'\n'}"
O2=vtcvo$VT_ID
vt_check "a fresh pair, frozen, the capture loaded, dumped again" \
	ip netns exec "$HN" sh -c "'$VNIF' attach --netns $HN \
		--ifname vtcvi$VT_ID --host-ifname $O2 >/dev/null &&
		'$VNIF' freeze $O2 && '$VNIF' load $O2 -r '$PCAP' &&
		'$VNIF' show $O2 --json >'$VT_TMP/o2.json' &&
		'$VNIF' dump $O2 -w '$VT_TMP/o2.pcapng'"
declare -A o2
vt_json o2 "$(<"$VT_TMP/o2.json")"
vt_eq "... it holds 3 + 3 frames, all loaded" "hold 3 3 3 3" \
	"${o2[state]-} ${o2[ingress.held]-} ${o2[egress.held]-} ${o2[ingress.loaded]-} ${o2[egress.loaded]-}"
fr=("" "" "")
while read -r i rest; do
	fr[i]+="$rest"$'\n'
done <<<"$(vpy frames "$IMG" "$PCAP" "$VT_TMP/o2.pcapng")"
n=0
while read -r rest; do
	[[ -n $rest ]] && n=$((n + 1))
done <<<"${fr[0]}"
vt_eq "the capture: the image's 6 frames, direction, time, bytes" \
	"6 ${fr[0]}" "$n ${fr[1]}"
vt_eq "dumped from the fresh pair: the same 6" "${fr[0]}" "${fr[2]}"
vt_done
