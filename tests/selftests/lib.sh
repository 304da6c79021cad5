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

# vt_stat NETNS IFACE WHAT: from `vnif show IFACE --json` in NETNS:
#   state     the gate's state
#   held      frames held now, both directions
#   FIELD     a per-direction counter summed over both directions
#   DIR.FIELD one direction's counter (ingress.released, egress.held, ...)
#   balanced  "yes" when nothing is held and every frame ever held was
#             released or moved to a checkpoint image, none dropped
#   summary   a one-line account, for logs
vt_stat() {
	ip netns exec "$1" "$VNIF" show "$2" --json | jq -r --arg w "$3" '
		.[0] as $d
		| def get($x; $f):
			if ($f | startswith("drop_")) then $d[$x].dropped[$f[5:]]
			else $d[$x][$f] end;
		  def tot($f): get("ingress"; $f) + get("egress"; $f);
		  def drops($x): get($x; "drop_limit") + get($x; "drop_deadline") +
			get($x; "drop_down") + get($x; "drop_refused");
		if $w == "state" then $d.state
		elif $w == "balanced" then
			if tot("held") == 0 and drops("ingress") + drops("egress") == 0
			   and tot("held_total") == tot("released") + tot("moved") then "yes" else "no" end
		elif $w == "summary" then
			["ingress", "egress"] | map(
				"\(.) held_total \(get(.; "held_total")) released \(get(.; "released")) dropped \(drops(.)) high_water \(get(.; "high_water"))")
			| join("; ")
		elif ($w | contains(".")) then ($w | split(".")) as $p | get($p[0]; $p[1])
		else tot($w) end'
}

# vt_wait_pass NETNS IFACE: wait (up to 20 s) for the gate to be back in PASS.
vt_wait_pass() {
	local i
	for i in $(seq 200); do
		[[ $(vt_stat "$1" "$2" state) == pass ]] && return 0
		sleep 0.1
	done
	return 1
}

# vt_pair NETNS_OUT OUTER NETNS_IN INNER NET: a pair with IPv4 NET.1 on
# the outer end and NET.2 on the inner end, both up, and permanent
# neighbour entries both ways, so that no ARP has to cross a frozen pair.
vt_pair() {
	local hn=$1 o=$2 cn=$3 i=$4 net=$5 omac imac
	local peer
	ip -n "$hn" link add "$o" type vnif || return 1
	peer=$(ip -n "$hn" -o link show | awk -F': ' -v o="$o" \
		'$2 ~ ("@" o "$") { sub("@.*", "", $2); print $2 }')
	ip -n "$hn" link set "$peer" netns "$cn" name "$i" || return 1
	ip -n "$hn" addr add "$net.1/24" dev "$o"
	ip -n "$cn" addr add "$net.2/24" dev "$i"
	ip -n "$hn" link set "$o" up
	ip -n "$cn" link set "$i" up
	omac=$(ip -n "$hn" -br link show "$o" | awk '{print $3}')
	imac=$(ip -n "$cn" -br link show "$i" | awk '{print $3}')
	ip -n "$hn" neigh replace "$net.2" lladdr "$imac" dev "$o" nud permanent
	ip -n "$cn" neigh replace "$net.1" lladdr "$omac" dev "$i" nud permanent
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
	jq -rn --argjson s "$1" --argjson r "$2" \
		'"sent \($s.sent) received \($r.received) first wrong byte \($r.mismatch_at) longest gap \($r.max_gap_ms) ms \($r.error)"'
	jq -en --argjson s "$1" --argjson r "$2" --argjson n "${3:-0}" \
		'($n == 0 or $s.sent == $n) and $r.received == $s.sent and
		 $r.mismatch_at == -1 and $s.digest == $r.digest and $r.error == ""' \
		>/dev/null
}

# vt_wait_word FILE WORD: wait (up to 30 s) for WORD to appear in FILE.
vt_wait_word() {
	local i
	for i in $(seq 300); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
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
