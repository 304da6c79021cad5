#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sourced by every selftest. Runs inside the test guest, as root, with
# vnif.ko and crak.ko loaded by tests/guest/run-tests.sh.
#
# Each check prints one line, "ok - NAME" or "not ok - NAME: why", which
# the runner counts. vt_done ends the script: exit 1 if anything failed.
# Objects are created under unique names and registered with vt_defer; the
# EXIT trap undoes them in reverse order, so a failing test cleans up too.

set -u

VT_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VT_TEST=$(basename "$0" .sh)
VNIF=${VNIF:-$VT_REPO/userspace/vnif}
CRAK=${CRAK:-$VT_REPO/userspace/crak}
VT_PY=/usr/bin/python3	# Debian's, with python3-scapy
FLOW=$VT_REPO/tests/selftests/flow	# byte-exact streams (flow.c)
VT_PASS=0
VT_FAIL=0
VT_CLEANUP=()
VT_ID=$$
VT_TMP=$(mktemp -d "/tmp/$VT_TEST.XXXXXX")

vt_log() { echo "# $VT_TEST: $*"; }

vt_ok() {
	VT_PASS=$((VT_PASS + 1))
	echo "ok - $VT_TEST: $1"
}

vt_fail() {
	VT_FAIL=$((VT_FAIL + 1))
	echo "not ok - $VT_TEST: $1${2:+: $2}"
}

# vt_check NAME CMD...: ok when CMD exits 0; its output is shown on failure.
vt_check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		vt_ok "$name"
	else
		vt_fail "$name" "'$*' exited $?"
		sed 's/^/#   /' <<<"$out"
	fi
}

# vt_refuse NAME PATTERN CMD...: ok when CMD fails and its output matches
# the extended regular expression PATTERN (the error the user would see).
vt_refuse() {
	local name=$1 pattern=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [[ $rc == 0 ]]; then
		vt_fail "$name" "'$*' succeeded"
	elif ! grep -Eq -- "$pattern" <<<"$out"; then
		vt_fail "$name" "'$*' exited $rc without /$pattern/"
		sed 's/^/#   /' <<<"$out"
	else
		vt_ok "$name"
	fi
}

# vt_eq NAME EXPECTED ACTUAL
vt_eq() {
	if [[ "$2" == "$3" ]]; then
		vt_ok "$1"
	else
		vt_fail "$1" "expected '$2', got '$3'"
	fi
}

vt_defer() { VT_CLEANUP+=("$*"); }

vt_cleanup() {
	local i
	for ((i = ${#VT_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${VT_CLEANUP[i]}" >/dev/null 2>&1
	done
	rm -rf "$VT_TMP"
}
trap vt_cleanup EXIT

# vt_netns NAME [-4]: a fresh network namespace, deleted on exit. With -4,
# IPv6 is off in it, so that no autoconfiguration frame joins a count.
vt_netns() {
	ip netns add "$1" && ip -n "$1" link set lo up && vt_defer "ip netns del $1" &&
		if [[ ${2:-} == -4 ]]; then
			ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
				net.ipv6.conf.default.disable_ipv6=1
		fi
}

vt_done() {
	vt_log "$VT_PASS passed, $VT_FAIL failed"
	[[ $VT_FAIL == 0 ]]
	exit
}

# vt_json VAR JSON: the members of the JSON object JSON (or of the first
# object of an array) into the associative array VAR, declared by the
# caller, keyed by their paths: {"a":1,"b":{"c":"x"}} gives a=1, b.c=x.
# Strings lose their quotes (escapes are kept as written), null stays null;
# arrays other than the outer one are not taken apart. In bash: the
# emulated guest takes a second or more to start jq, and the tests ask
# often.
vt_json() {
	local -n vt_json_out=$1
	local j=$2 pre='' key val
	local str='"((\\.|[^"\\])*)"' word='[^]{},"[:space:]]*'
	vt_json_out=()
	[[ $j =~ ^[[:space:]]*\[ ]] && j=${j#*\[}
	while :; do
		if [[ $j =~ ^[[:space:],]*\{ ]]; then
			# The outer object, or the first of the array.
			[[ -z $pre && ${#vt_json_out[@]} == 0 ]] || return 1
			j=${j:${#BASH_REMATCH[0]}}
			pre=.
		elif [[ $j =~ ^[[:space:],]*${str}[[:space:]]*:[[:space:]]*(\{|$str|$word) ]]; then
			key=${BASH_REMATCH[1]}
			val=${BASH_REMATCH[3]}
			j=${j:${#BASH_REMATCH[0]}}
			if [[ $val == "{" ]]; then
				pre+=$key.
			else
				[[ $val == \"* ]] && val=${BASH_REMATCH[4]}
				vt_json_out[${pre#.}$key]=$val
			fi
		elif [[ $j =~ ^[[:space:]]*\} ]]; then
			j=${j:${#BASH_REMATCH[0]}}
			pre=${pre%.}
			[[ $pre == *.* ]] || return 0
			pre=${pre%.*}.
		else
			return 1
		fi
	done
}

# vt_stat NETNS IFACE WHAT...: from one `vnif show IFACE --json` in NETNS,
# a line for each WHAT:
#   state     the gate's state
#   held      frames held now, both directions
#   FIELD     a per-direction counter summed over both directions
#   DIR.FIELD one direction's counter (ingress.released, egress.held, ...)
#   drop_WHY  stands for dropped.WHY (drop_limit, ingress.drop_down, ...)
#   balanced  "yes" when nothing is held and every frame ever held was
#             released or moved to a checkpoint image, none dropped
#   summary   a one-line account, for logs
vt_stat() {
	local -A d
	local w f x drops=0

	vt_json d "$(ip netns exec "$1" "$VNIF" show "$2" --json)" || return 1
	for x in ingress egress; do
		for f in limit deadline down refused; do
			drops=$((drops + ${d[$x.dropped.$f]}))
		done
	done
	for w in "${@:3}"; do
		case $w in
		state) echo "${d[state]}" ;;
		balanced)
			if ((${d[ingress.held]} + ${d[egress.held]} == 0 && drops == 0 &&
				${d[ingress.held_total]} + ${d[egress.held_total]} ==
				${d[ingress.released]} + ${d[egress.released]} +
				${d[ingress.moved]:-0} + ${d[egress.moved]:-0})); then
				echo yes
			else
				echo no
			fi
			;;
		summary)
			for x in ingress egress; do
				f=$((${d[$x.dropped.limit]} + ${d[$x.dropped.deadline]} +
					${d[$x.dropped.down]} + ${d[$x.dropped.refused]}))
				echo -n "$x held_total ${d[$x.held_total]} released ${d[$x.released]} dropped $f high_water ${d[$x.high_water]}"
				[[ $x == ingress ]] && echo -n "; "
			done
			echo
			;;
		*)
			w=${w/drop_/dropped.}
			if [[ $w == *.* && -v d[$w] ]]; then
				echo "${d[$w]}"
			elif [[ -v d[ingress.$w] && -v d[egress.$w] ]]; then
				echo "$((${d[ingress.$w]} + ${d[egress.$w]}))"
			else
				echo "vt_stat: no '$w' in vnif show --json" >&2
				return 1
			fi
			;;
		esac
	done
}

# vt_nap SECONDS: sleep without starting a process: read with a timeout
# from a FIFO nobody writes. For polling loops: in the emulated guest a
# `sleep` costs more CPU than the wait it makes.
vt_nap() {
	[[ -p $VT_TMP/.nap ]] || mkfifo "$VT_TMP/.nap" || { sleep "$1"; return 0; }
	read -rt "$1" <>"$VT_TMP/.nap"
	return 0
}

# vt_wait_pass NETNS IFACE: wait (up to 20 s) for the gate to be back in PASS.
vt_wait_pass() {
	local end=$((SECONDS + 20))
	while ((SECONDS <= end)); do
		[[ $(vt_stat "$1" "$2" state) == pass ]] && return 0
		vt_nap 0.1
	done
	return 1
}

# vt_pair NETNS_OUT OUTER NETNS_IN INNER NET: a pair with IPv4 NET.1 on
# the outer end and NET.2 on the inner end, both up, and permanent
# neighbour entries both ways, so that no ARP has to cross a frozen pair.
# Made by `vnif attach`, the inner end's MAC chosen, in five processes.
VT_PAIRS=0
vt_pair() {
	local hn=$1 o=$2 cn=$3 i=$4 net=$5 w imac
	VT_PAIRS=$((VT_PAIRS + 1))
	printf -v imac '02:76:%02x:%02x:%02x:02' $((VT_ID >> 8 & 255)) \
		$((VT_ID & 255)) $((VT_PAIRS & 255))
	ip netns exec "$hn" "$VNIF" attach --netns "$cn" --ifname "$i" \
		--host-ifname "$o" --address "$net.2/24" --mac "$imac" \
		>/dev/null || return 1
	read -ra w <<<"$(ip -n "$hn" -br link show "$o")"
	ip -n "$hn" -batch - <<-EOF || return 1
		addr add $net.1/24 dev $o
		link set $o up
		neigh replace $net.2 lladdr $imac dev $o nud permanent
	EOF
	ip -n "$cn" neigh replace "$net.1" lladdr "${w[2]}" dev "$i" nud permanent
}

# vt_udp NETNS ADDR PORT N: send N one-line datagrams.
vt_udp() {
	ip netns exec "$1" bash -c 'for i in $(seq '"$4"'); do
		echo "$i" >/dev/udp/'"$2"'/'"$3"'; done'
}

# vt_stream_ok SEND_JSON RECV_JSON [BYTES]: the receiver got every byte
# the sender sent (BYTES of them, if given), each as generated, UDP
# datagrams in order with none missing.
vt_stream_ok() {
	local -A s r
	vt_json s "$1"
	vt_json r "$2"
	echo "sent ${s[sent]-} received ${r[received]-} first wrong byte ${r[mismatch_at]-} longest gap ${r[max_gap_ms]-} ms ${r[error]-}"
	[[ -n ${s[sent]-} && ( ${3:-0} == 0 || ${s[sent]} == "${3:-0}" ) &&
		${r[received]-} == "${s[sent]}" && ${r[mismatch_at]-} == -1 &&
		-n ${s[digest]-} && ${r[digest]-} == "${s[digest]}" &&
		-v r[error] && -z ${r[error]} ]]
}

# vt_wait_word FILE REGEX [SECONDS]: wait (up to SECONDS, default 30) for
# a line of FILE to match the extended regular expression REGEX. In bash,
# no process per look.
vt_wait_word() {
	local end=$((SECONDS + ${3:-30})) line
	while ((SECONDS <= end)); do
		if [[ -r $1 ]]; then
			while IFS= read -r line || [[ -n $line ]]; do
				[[ $line =~ $2 ]] && return 0
			done <"$1"
		fi
		vt_nap 0.1
	done
	return 1
}

# vt_tcp_counters NETNS: the Tcp counters of /proc/net/snmp that count
# resets and errors, as "EstabResets=N OutRsts=N InErrs=N AttemptFails=N ".
vt_tcp_counters() {
	ip netns exec "$1" awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 }
		else for (i = 1; i <= NF; i++) if (n[i] ~ /EstabResets|OutRsts|InErrs|AttemptFails/)
			printf "%s=%s ", n[i], $i }' /proc/net/snmp
}

# vt_rst_capture NETNS IFACE FILE [FILTER]: from now on, every TCP segment
# with RST set that crosses IFACE in NETNS, IPv4 or IPv6 (without extension
# headers), or what the tcpdump expression FILTER takes instead, is
# captured into FILE (pcap) by a tcpdump whose kernel filter takes nothing
# else; returns once it listens (up to 30 s), non-zero if it does not.
# Call it in the test's own shell, not in $(...): vt_rst_count waits for
# it. Stopped on exit if vt_rst_count did not.
declare -A VT_RST_PID
vt_rst_capture() {
	ip netns exec "$1" tcpdump -Z root -i "$2" -nn -s 128 -U --immediate-mode \
		-w "$3" "${4:-tcp[tcpflags] & tcp-rst != 0 or
			(ip6 and ip6[6] == 6 and ip6[40 + 13] & 4 != 0)}" 2>"$3.err" &
	VT_RST_PID[$3]=$!
	vt_defer "kill -TERM ${VT_RST_PID[$3]}"
	vt_wait_word "$3.err" '^tcpdump: listening on ' && kill -0 "${VT_RST_PID[$3]}"
}

# vt_rst_count FILE: after a second for segments still on their way, stop
# the capture vt_rst_capture started into FILE and print how many segments
# it holds; tcpdump's line for each is in FILE.txt. It may run in
# $(...): it waits for tcpdump's end through /proc, not with wait.
vt_rst_count() {
	local pid=${VT_RST_PID[$1]:-} lines stat i
	[[ $pid ]] || return 1
	vt_nap 1
	# Not SIGINT: background jobs of a script ignore it.
	kill -TERM "$pid" 2>/dev/null || return 1
	for ((i = 0; i < 100; i++)); do
		read -r stat 2>/dev/null <"/proc/$pid/stat" || break
		[[ $stat == *") Z "* ]] && break
		vt_nap 0.1
	done
	((i < 100)) || return 1
	tcpdump -nn -r "$1" >"$1.txt" 2>/dev/null || return 1
	mapfile -t lines <"$1.txt"
	echo "${#lines[@]}"
}

# vt_rst_control NS FILE ADDR...: the control of the capture vt_rst_capture
# started into FILE, once the test's own resets are counted: from NS, a
# connection to port 9 of each ADDR, where nothing listens, is refused
# with one RST; checks the refusals, and that the capture holds those RSTs
# and no other.
vt_rst_control() {
	local ns=$1 file=$2 out rsts
	shift 2
	out=$(ip netns exec "$ns" bash -c 'for a; do
		echo >"/dev/tcp/$a/9" && echo "connected to $a"; done' bash "$@" 2>&1)
	vt_eq "control: a connection to a closed port refused, at $*" "$#" \
		"$(grep -c '^bash: connect: Connection refused$' <<<"$out")"
	rsts=$(vt_rst_count "$file")
	vt_log "RSTs captured: $(tr '\n' ';' <"$file.txt")"
	vt_eq "capture: the control's $# RSTs, no other" "$#" "$rsts"
}

# vt_ioctl_pair PY DIR WHAT: the two programs of an ioctl test: `PY target
# DIR` in netns $A (TPID), and once it listens `PY peer DIR` in netns $P
# (PPID_); then waits up to 60 s for DIR/target.json, the target's report
# that its connections are where it wants them. Ends the test, failing
# WHAT, if not.
vt_ioctl_pair() {
	local i

	ip netns exec "$A" "$VT_PY" "$1" target "$2" &
	TPID=$!
	vt_defer "kill -9 $TPID"
	if ! vt_wait_word "$2/listening.json" pid; then
		vt_fail "target listening"
		vt_done
	fi
	ip netns exec "$P" "$VT_PY" "$1" peer "$2" &
	PPID_=$!
	vt_defer "kill -9 $PPID_"
	for ((i = 0; i < 600; i++)); do
		[[ -e $2/target.json ]] && break
		vt_nap 0.1
	done
	if ! [[ -e $2/target.json ]]; then
		vt_fail "$3"
		vt_done
	fi
}

# vt_both_finished DIR SECONDS: waits for both ends' reports, DIR/peer.json
# and DIR/server.json, logs them, and passes "both sides finished"; ends
# the test, failing it, if they are not there within SECONDS.
vt_both_finished() {
	local i

	for ((i = 0; i < $2 * 10; i++)); do
		[[ -e $1/peer.json && -e $1/server.json ]] && break
		vt_nap 0.1
	done
	vt_log "peer: $(cat "$1/peer.json" 2>/dev/null)"
	vt_log "server: $(cat "$1/server.json" 2>/dev/null)"
	if ! [[ -e $1/peer.json && -e $1/server.json ]]; then
		vt_fail "both sides finished"
		vt_done
	fi
	vt_ok "both sides finished"
}

# vt_two_hosts P A B MAC: the topology of the TCP checkpoint tests. P is
# the peer: a bridge br0 with 10.9.0.1/24 and fd09::1/64. A and B are two
# hosts for one server: each has a veth end vA (vB) with MAC, 10.9.0.2/24
# and fd09::2/64, its other end vPA (vPB) in P. vPA is on the bridge; vPB
# joins it only when the server has moved to B, so that B cannot answer
# the peer before. One `ip -batch` per namespace: in the emulated guest
# every process start counts.
vt_two_hosts() {
	local p=$1 mac=$4 x ns
	vt_netns "$p" && vt_netns "$2" && vt_netns "$3" || return 1
	ip -n "$p" -batch - <<-EOF || return 1
		link add br0 type bridge
		addr add 10.9.0.1/24 dev br0
		addr add fd09::1/64 dev br0 nodad
		link set br0 up
		link add vPA type veth peer name vA netns $2
		link add vPB type veth peer name vB netns $3
		link set vPA up
		link set vPB up
		link set vPA master br0
	EOF
	for x in A B; do
		[[ $x == A ]] && ns=$2 || ns=$3
		ip -n "$ns" -batch - <<-EOF || return 1
			link set v$x address $mac
			addr add 10.9.0.2/24 dev v$x
			addr add fd09::2/64 dev v$x nodad
			link set v$x up
		EOF
	done
}
