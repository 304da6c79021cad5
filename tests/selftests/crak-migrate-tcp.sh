#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crak-migrate-tcp: live TCP connections move to another network namespace
# with the server's address and MAC, while the peer streams both ways; the
# peer sees a pause, no reset, and every byte once, in order.
#
#   netns LAN: bridge br0; the peer (netns P) on a veth, 10.61.0.1 and
#   fd61::1. Host A: container CA, vnif pair va on br0, 10.61.0.2 and
#   fd61::2, MAC M, running `migsrv serve`; the peer runs `migsrv peer`
#   with N connections, each streaming B bytes both ways, checked:
#   4 connections of 3 MB over IPv4 plus 2 that the server has not
#   accepted yet (they move in the listener's accept queue, their bytes
#   in their receive queues), 4 of 3 MB over IPv6; and, run by
#   crak-migrate-many.sh, 1000 of 10 kB (CRAK_MIGRATE_MANY sets how many),
#   whose streams the peer starts together once all are open; paced so
#   that every stream is still under way at the checkpoint (the test
#   checks it) and goes on after the restart. CRAK_MIGRATE_CASES picks
#   the cases (default "v4 v6").
#
#   Per case:
#   1. Mid-stream the server is made to quiesce (SIGUSR1: it saves how far
#      each stream got and stops touching its sockets), and its pair
#      frozen: case "freeze-first" freezes va while the server still
#      writes (its send queue fills with bytes sent but not acknowledged),
#      case "quiesce-first" quiesces first (its receive queue fills).
#   2. crak checkpoint --kill: the frames va held go into the image.
#   3. Host B: an empty container CB; crak.ko reloaded; crak restart
#      --netns CB --host-ifname vb --hold IMAGE -- migsrv resume (run in
#      the LAN) makes the pair vb from the image, with the same addresses
#      and MAC, frozen, off the LAN, loaded with the image's frames.
#   4. The tail (Documentation/migration.md): va off the bridge, vb on it;
#      the frames va held since the checkpoint dumped and loaded into vb;
#      va deleted; vb thawed.
#
# Checks per case: peer and resumed server both exit 0 (every connection
# carried exactly B bytes each way, intact, closed cleanly); the peer's
# namespace counted no reset (Tcp EstabResets, OutRsts, AttemptFails,
# TcpExt TCPAbortOn*); vb released exactly what was loaded and dropped
# nothing. Logged: the peer's longest pause against the checkpoint and
# restart times, its retransmissions, the image size.

source "$(dirname "$0")/lib.sh"

MIGSRV=$VT_REPO/tests/selftests/migsrv
LAN=vtl$VT_ID
P=vtp$VT_ID
MAC=02:00:0a:3d:00:02
PMAC=02:00:0a:3d:00:01
moddir=${VNIF_MODDIR:-}

lan() { ip netns exec "$LAN" "$@"; }

# stamp NAME: note how long the step that just ended took (steps=...).
stamp() {
	local now=${EPOCHREALTIME/./}
	steps+=" $1 $(((now - last) / 1000))"
	last=$now
}

# snmp NETNS: "EstabResets OutRsts AttemptFails RetransSegs AbortOn*".
snmp() {
	ip netns exec "$1" awk '
		/^Tcp:/ { if (!h) { split($0, k); h = 1 } else split($0, v) }
		/^TcpExt:/ { if (!e) { split($0, ek); e = 1 } else split($0, ev) }
		END {
			for (i in k) t[k[i]] = v[i]
			a = 0
			for (i in ek) if (ek[i] ~ /^TCPAbortOn/) a += ev[i]
			print t["EstabResets"], t["OutRsts"], t["AttemptFails"], t["RetransSegs"], a
		}' /proc/net/snmp /proc/net/netstat
}

setup_lan() {
	vt_netns "$LAN" -4 && vt_netns "$P" || return 1
	ip netns exec "$LAN" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n "$LAN" link add br0 type bridge &&
		ip -n "$LAN" link set br0 up &&
		ip -n "$LAN" link add pl type veth peer name pp netns "$P" &&
		ip -n "$LAN" link set pl master br0 && ip -n "$LAN" link set pl up &&
		ip -n "$P" link set pp address "$PMAC" &&
		ip -n "$P" addr add 10.61.0.1/24 dev pp &&
		ip -n "$P" addr add fd61::1/64 dev pp nodad &&
		ip -n "$P" link set pp up &&
		ip -n "$P" neigh replace 10.61.0.2 lladdr "$MAC" dev pp nud permanent &&
		ip -n "$P" neigh replace fd61::2 lladdr "$MAC" dev pp nud permanent
}

# neighbours NS: the peer's neighbour entries permanent on eth0.
neighbours() {
	ip -n "$1" neigh replace 10.61.0.1 lladdr "$PMAC" dev eth0 nud permanent &&
		ip -n "$1" neigh replace fd61::1 lladdr "$PMAC" dev eth0 nud permanent
}

# container NS IFACE: a vnif pair with the server's addresses and MAC on
# the LAN's bridge.
container() {
	vt_netns "$1" &&
		lan "$VNIF" attach --netns "$1" --address 10.61.0.2/24 \
			--address fd61::2/64 --mac "$MAC" --host-ifname "$2" \
			--bridge br0 >/dev/null &&
		neighbours "$1"
}

# migrate CASE ADDR CONNS BYTES ORDER CHUNK INTERVAL_US WAITING [sync]: the
# server accepts CONNS connections; the peer opens WAITING more, which wait
# in the listener's accept queue and move as such; the resumed server
# accepts them. With sync, the peer (migsrv peer --sync) starts all its
# streams at once when every connection is established, so that they are
# all under way at the checkpoint however long the opening took.
migrate() {
	local name=$1 addr=$2 conns=$3 bytes=$4 order=$5 waiting=$8 sync=${9:-}
	local va=va-$1 vb=vb-$1 all=$(($3 + $8))
	local ca=vta$VT_ID$name cb=vtb$VT_ID$name d=$VT_TMP/$name
	local opts=(--bytes "$bytes" --seed 7 --chunk "$6" --interval-us "$7")
	local spid ppid rpid out before after t0 t1 t2 fails=$VT_FAIL a b est
	local steps= last n peer_opts=() end

	mkdir -p "$d"
	if ! container "$ca" "$va" || ! vt_netns "$cb"; then
		vt_fail "$name: containers"
		return
	fi
	last=${EPOCHREALTIME/./}
	ip netns exec "$ca" "$MIGSRV" serve "$addr" 9000 --state "$d/state.json" \
		--ready-file "$d/ready" --conns "$conns" "${opts[@]}" \
		>"$d/serve.out" 2>"$d/serve.err" &
	spid=$!
	vt_defer "kill -9 $spid"
	if ! vt_wait_word "$d/ready" ready; then
		vt_fail "$name: server ready"
		return
	fi
	before=$(snmp "$P")
	[[ $sync ]] && peer_opts=(--sync)
	ip netns exec "$P" "$MIGSRV" peer "$addr" 9000 --conns "$all" "${opts[@]}" \
		"${peer_opts[@]}" --timeout 400 >"$d/peer.out" 2>"$d/peer.err" &
	ppid=$!
	vt_defer "kill -9 $ppid"
	# Streams under way (each lasts 20 s or more, paced: 11 s were too
	# short on a loaded host), every connection in: established, and the
	# WAITING ones alone left in the listener's accept queue.
	vt_nap 2
	if [[ $sync ]] && ! vt_wait_word "$d/peer.err" synced 300; then
		vt_fail "$name: the peer's $all connections established" \
			"$(tail -n 3 "$d/peer.err")"
		return
	fi
	end=$((SECONDS + 300))
	while :; do
		n=$(ip netns exec "$ca" ss -Htan | awk '
			$1 == "ESTAB" { e++ } $1 == "LISTEN" { q += $2 }
			END { print e + 0, q + 0 }')
		read -ra est <<<"$n"
		((est[0] >= all && est[1] == waiting)) && break
		if ((SECONDS > end)); then
			vt_fail "$name: $all connections in, $waiting of them waiting" \
				"established, waiting: $n"
			return
		fi
		vt_nap 0.5
	done
	stamp open

	t0=$(date +%s%N)
	if [[ $order == freeze-first ]]; then
		lan "$VNIF" freeze "$va"
		vt_nap 0.5	# the server writes on: sent, not acknowledged
		kill -USR1 "$spid"
	else
		kill -USR1 "$spid"
		vt_nap 0.5	# the peer writes on: received, not read
		lan "$VNIF" freeze "$va"
	fi
	if ! vt_wait_word "$d/state.json" conns; then
		vt_fail "$name: the server quiesced"
		tail -n 3 "$d/serve.out" "$d/serve.err" "$d/peer.out" "$d/peer.err" | sed 's/^/# /'
		return
	fi
	out=$("$CRAK" checkpoint --kill -o "$d/img" "$spid" 2>&1)
	vt_eq "$name: checkpoint --kill" 0 "$?"
	t1=$(date +%s%N)
	stamp checkpoint
	vt_log "$name: $out"
	{ wait "$spid"; } 2>/dev/null
	if [[ $moddir ]]; then
		vt_check "$name: crak.ko reloaded" bash -c "rmmod crak && insmod '$moddir/crak.ko'"
	fi
	stamp reload
	lan "$CRAK" restart --verbose --netns "$cb" --host-ifname "$vb" --hold \
		"$d/img" -- "$MIGSRV" resume --state "$d/state.json" --conns "$all" \
		--timeout 400 >"$d/resume.out" 2>"$d/resume.err" &
	rpid=$!
	vt_defer "kill -9 $rpid"
	if ! vt_wait_word "$d/resume.err" "socket"; then
		vt_fail "$name: restart" "$(cat "$d/resume.err")"
		return
	fi
	stamp restart
	vt_check "$name: B's pair made from the image, frozen" \
		test "$(vt_stat "$LAN" "$vb" state)" == hold
	neighbours "$cb"
	stamp check
	vt_check "$name: A off the LAN, B on it" ip -n "$LAN" -batch - <<<"link set $va nomaster
link set $vb master br0"
	stamp move
	vt_check "$name: A's held frames dumped" lan "$VNIF" dump "$va" -w "$d/held.pcapng"
	stamp dump
	vt_check "$name: ... loaded into B" lan "$VNIF" load "$vb" -r "$d/held.pcapng"
	stamp load
	vt_check "$name: A's pair deleted" lan "$VNIF" detach "$va"
	stamp detach
	vt_check "$name: B thawed" lan "$VNIF" thaw "$vb"
	stamp thaw
	t2=$(date +%s%N)
	# What the image holds, read once the peer waits no more for it.
	vt_eq "$name: the image: $conns connections, the listener, $waiting waiting in it" \
		"$((conns + 1)) $waiting" \
		"$("$CRAK" show --json "$d/img" | jq -r '[([.sections[] | select(.socket)] | length), ([.sections[] | select(.child)] | length)] | join(" ")')"
	"$CRAK" show "$d/img" | grep -E ' SOCK ' | sed 's/^/# /' | cut -c1-150 | head -4
	# The move must catch every stream under way, or it tests nothing.
	vt_eq "$name: $conns streams, none finished either way when quiesced" \
		"$conns 0" "$(jq -r --argjson b "$bytes" '[.conns[] | select(.fd >= 0)] |
			"\(length) \([.[] | select(.tx >= $b or .rx >= $b)] | length)"' \
			"$d/state.json")"

	wait "$ppid"
	vt_eq "$name: the peer got every byte, each way, and closed cleanly" 0 "$?"
	wait "$rpid"
	vt_eq "$name: the resumed server too" 0 "$?"
	after=$(snmp "$P")
	read -ra b <<<"$before"
	read -ra a <<<"$after"
	vt_eq "$name: no reset at the peer (EstabResets OutRsts AttemptFails AbortOn*)" \
		"0 0 0 0" "$((a[0] - b[0])) $((a[1] - b[1])) $((a[2] - b[2])) $((a[4] - b[4]))"
	vt_eq "$name: B loaded A's frames, released all it held, dropped none" \
		"true yes" "$( (($(vt_stat "$LAN" "$vb" loaded) > 0)) && echo true || echo false) $(vt_stat "$LAN" "$vb" balanced)"
	vt_log "$name: peer $(cat "$d/peer.out")"
	vt_log "$name: $(head -c 300 "$d/resume.out")"
	vt_log "$name: checkpoint $(( (t1 - t0) / 1000000 )) ms from the freeze, restart and tail $(( (t2 - t1) / 1000000 )) ms (ms per step:$steps); peer retransmissions $((a[3] - b[3])); image $(stat -c %s "$d/img") bytes; B: $(vt_stat "$LAN" "$vb" summary)"
	lan "$VNIF" detach "$vb"
	if ((VT_FAIL > fails)); then
		for f in serve.out serve.err peer.err resume.err; do
			[[ -s $d/$f ]] && tail -n 5 "$d/$f" | sed "s/^/# $name $f: /" | cut -c1-300
		done
	fi
}

if ! setup_lan; then
	vt_fail "LAN"
	vt_done
fi
# CRAK_MIGRATE_CASES: which cases (crak-migrate-many.sh runs "many" alone,
# so that make check can give it a boot of its own).
cases=${CRAK_MIGRATE_CASES:-v4 v6}
[[ " $cases " == *" v4 "* ]] &&
	migrate v4 10.61.0.2 4 3000000 freeze-first 4096 30000 2
[[ " $cases " == *" v6 "* ]] &&
	migrate v6 fd61::2 4 3000000 quiesce-first 4096 30000 0
# Many connections: small streams, 5 chunks of 2000 bytes 5 s apart each
# way, started together once all are open (few frames: the emulated
# guest's cost is per frame). CRAK_MIGRATE_MANY sets how many.
many=${CRAK_MIGRATE_MANY:-1000}
[[ " $cases " == *" many "* ]] &&
	migrate many 10.61.0.2 "$many" 10000 quiesce-first 2000 5000000 0 sync
vt_done
