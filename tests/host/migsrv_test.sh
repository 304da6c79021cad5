#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# migsrv_test.sh [MIGSRV]: tests/selftests/migsrv on the host, no module
# needed (built here first unless MIGSRV is given). A server and its peer
# stream both ways on loopback (127.0.0.1 and ::1); SIGUSR2 makes the
# server (--handover-exec) quiesce, write its state file, wait and exec
# `migsrv resume` on the same sockets, once or twice, with 1 to 50
# connections, while the peer keeps sending into the queues. Both must
# then exit 0 with every byte of both directions counted and checked. Then
# what must fail does: a state file changed during the handover (both ends
# see wrong bytes), a quiesced server killed (the peer sees ECONNRESET), a
# peer that runs out of time, usage errors (exit 2), resume without
# CRAK_FDS. One "ok - migsrv: NAME" or "not ok - migsrv: NAME: why" per
# check; exit 1 if any failed.

set -u

here=$(cd "$(dirname "$0")" && pwd)
if [[ $# -ge 1 ]]; then
	M=$(realpath "$1")
else
	M=$here/../selftests/migsrv
	if ! make -s -C "$here/../selftests" migsrv >/dev/null; then
		echo "not ok - migsrv: build tests/selftests/migsrv"
		exit 1
	fi
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/migsrv-test.XXXXXX")
PIDS=()
cleanup() {
	local p

	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
pass=0
fail=0
port=$((20000 + $$ % 20000))

ok() {
	pass=$((pass + 1))
	echo "ok - migsrv: $1"
}

nok() {
	local f

	fail=$((fail + 1))
	echo "not ok - migsrv: $1: $2"
	for f in serve.out serve.err peer.out peer.err state; do
		[[ -s $T/$f ]] && head -c 2000 "$T/$f" | sed "s/^/#   $f: /"
	done
}

# jget JSON KEY: the number after "KEY": (the first one).
jget() {
	[[ $1 =~ \"$2\":(-?[0-9.]+) ]] && echo "${BASH_REMATCH[1]}"
}

# wait_for SECONDS CMD...: until CMD succeeds, at most SECONDS.
wait_for() {
	local i n=$(($1 * 20))

	shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

quiesced() { [[ $(grep -c '^quiesced$' "$T/serve.err") -ge $1 ]]; }

# start_serve ADDR ARGS...: a server on a new port, ready to accept.
start_serve() {
	local addr=$1

	shift
	port=$((port + 1))
	rm -f "$T"/*
	"$M" serve "$addr" "$port" --state "$T/state" --ready-file "$T/ready" \
		"$@" >"$T/serve.out" 2>"$T/serve.err" &
	SP=$!
	PIDS+=("$SP")
	wait_for 5 test -e "$T/ready"
}

start_peer() {
	local addr=$1

	shift
	"$M" peer "$addr" "$port" "$@" >"$T/peer.out" 2>"$T/peer.err" &
	PP=$!
	PIDS+=("$PP")
}

# midstream BYTES: every live connection of the state file half way.
midstream() {
	local v

	while read -r v; do
		((v > 0 && v < $1)) || return 1
	done < <(grep -o '"[rt]x":[0-9]*' "$T/state" | cut -d: -f2)
	return 0
}

# handover NAME ADDR CONNS BYTES DELAY_MS SECONDS...: SIGUSR2 after each
# SECONDS; the server must move that many times and both ends complete.
# XARGS, PARGS: more options for the server, for the peer.
XARGS=()
PARGS=()
handover() {
	local name=$1 addr=$2 conns=$3 bytes=$4 delay=$5 t k=0 prc src
	local so po total=$(($3 * $4)) mid=1 t0=$SECONDS

	shift 5
	if ! start_serve "$addr" --conns "$conns" --bytes "$bytes" \
		--handover-exec --handover-delay-ms "$delay" "${XARGS[@]}"; then
		nok "$name" "server not ready"
		return
	fi
	start_peer "$addr" --conns "$conns" --bytes "$bytes" --timeout 60 "${PARGS[@]}"
	for t in "$@"; do
		sleep "$t"
		k=$((k + 1))
		kill -USR2 "$SP"
		if ! wait_for 10 quiesced $k; then
			nok "$name" "no quiesce $k"
			return
		fi
		[[ $k == 1 ]] && ! midstream "$bytes" && mid=0
	done
	wait "$PP"
	prc=$?
	wait "$SP"
	src=$?
	so=$(tail -1 "$T/serve.out")
	po=$(tail -1 "$T/peer.out")
	if [[ $prc != 0 || $src != 0 ]]; then
		nok "$name" "peer exited $prc, server exited $src"
	elif [[ $(jget "$so" sent) != "$total" || $(jget "$so" received) != "$total" ||
		$(jget "$po" sent) != "$total" || $(jget "$po" received) != "$total" ||
		$(jget "$so" complete) != "$conns" ]]; then
		nok "$name" "totals are not $total both ways"
	elif [[ $k -gt 0 && $so != '{"mode":"resume"'* ]]; then
		nok "$name" "the report is not resume's"
	elif ! quiesced $k || quiesced $((k + 1)); then
		nok "$name" "quiesced $(grep -c quiesced "$T/serve.err") times, not $k"
	elif [[ $mid == 0 ]]; then
		nok "$name" "the first handover was not mid-stream"
	else
		ok "$name: $conns conns x $bytes bytes each way, $k handovers, peer max gap $(jget "$po" max_gap_ms) ms, $((SECONDS - t0)) s"
	fi
}

handover "no handover, 127.0.0.1" 127.0.0.1 2 500000 0
handover "handover, 127.0.0.1" 127.0.0.1 1 1000000 0 0.5
handover "handover, ::1" ::1 4 1000000 500 0.5
handover "handover after 1.5 s of queueing, 50 conns" 127.0.0.1 50 2000000 1500 1
handover "two handovers, ::1" ::1 3 1500000 300 0.5 1
XARGS=(--close-listen)
handover "--close-listen" 127.0.0.1 5 1000000 200 0.5
XARGS=()
if grep -q '"listen_fd":-1,' "$T/state"; then
	ok "--close-listen: listen_fd -1 in the state file"
else
	nok "--close-listen" "listen_fd is not -1 in the state file"
fi
PARGS=(--sync)
handover "peer --sync, 20 conns" 127.0.0.1 20 1000000 0 0.5
PARGS=()
if grep -q '^migsrv: synced: 20 connections, [0-9]* ms after the start$' "$T/peer.err"; then
	ok "peer --sync: says when all 20 are in"
else
	nok "peer --sync" "stderr: $(head -c 300 "$T/peer.err")"
fi

# A state file changed during the handover: the server resends its last
# byte (the peer sees a wrong one at the old tx) and checks from one byte
# too far (it sees a wrong one at the new rx).
name="state file off by one"
if start_serve 127.0.0.1 --bytes 1000000 --handover-exec \
	--handover-delay-ms 1000; then
	start_peer 127.0.0.1 --bytes 1000000 --timeout 30
	sleep 0.5
	kill -USR2 "$SP"
	wait_for 5 quiesced 1
	s=$(cat "$T/state")
	tx=$(jget "${s#*conns}" tx)
	rx=$(jget "${s#*conns}" rx)
	s=${s/\"tx\":$tx,/\"tx\":$((tx - 1)),}
	s=${s/\"rx\":$rx,/\"rx\":$((rx + 1)),}
	echo "$s" >"$T/state.new" && mv "$T/state.new" "$T/state"
	wait "$PP"
	prc=$?
	wait "$SP"
	src=$?
	so=$(tail -1 "$T/serve.out")
	po=$(tail -1 "$T/peer.out")
	if [[ $prc == 1 && $src == 1 &&
		$po == *'"first_bad":{"id":0,"offset":'$tx'}'* &&
		$so == *'"first_bad":{"id":0,"offset":'$((rx + 1))'}'* ]]; then
		ok "$name: both ends report the wrong byte (offsets $tx, $((rx + 1)))"
	else
		nok "$name" "peer exited $prc, server $src"
	fi
else
	nok "$name" "server not ready"
fi

# SIGUSR1: the server stops, the peer keeps sending into the queues; once
# the server is killed with unread data, the peer sees the reset.
name="quiesced server killed"
if start_serve 127.0.0.1 --bytes 100000000; then
	start_peer 127.0.0.1 --bytes 100000000 --chunk 16000 --timeout 30
	sleep 0.5
	kill -USR1 "$SP"
	wait_for 5 quiesced 1
	s1=$(cat "$T/state")
	sleep 1
	kill -0 "$SP" 2>/dev/null
	alive=$?
	kill "$SP"
	wait "$PP"
	prc=$?
	po=$(tail -1 "$T/peer.out")
	rx=$(jget "${s1#*conns}" rx)
	if [[ $alive == 0 && $prc == 1 && $po == *ECONNRESET* &&
		$(jget "$po" sent) -gt $rx ]]; then
		ok "$name: idle until killed, the peer sent $(jget "$po" sent) bytes (the server had read $rx), then ECONNRESET"
	else
		nok "$name" "alive $alive, peer exited $prc"
	fi
else
	nok "$name" "server not ready"
fi

name="peer timeout"
if start_serve 127.0.0.1 --bytes 1000000; then
	start_peer 127.0.0.1 --bytes 1000000 --timeout 1
	sleep 0.3
	kill -USR1 "$SP"
	wait "$PP"
	prc=$?
	kill "$SP"
	po=$(tail -1 "$T/peer.out")
	if [[ $prc == 1 && $po == *'"errors":["timeout"'* ]]; then
		ok "$name: exit 1, reports \"timeout\""
	else
		nok "$name" "peer exited $prc"
	fi
else
	nok "$name" "server not ready"
fi

# usage ARGS...: exit 2, one line and "Try 'migsrv --help'."
usage() {
	local err rc

	err=$("$M" "$@" 2>&1 >/dev/null)
	rc=$?
	if [[ $rc == 2 && $(wc -l <<<"$err") == 2 &&
		$(tail -1 <<<"$err") == "Try 'migsrv --help'." ]]; then
		ok "usage error: migsrv $*"
	else
		nok "usage error: migsrv $*" "exit $rc, stderr: $err"
	fi
}

usage
usage bogus
usage serve 127.0.0.1 1
usage serve 127.0.0.1 --state x
usage serve 1.2.3 80 --state x
usage serve 127.0.0.1 80 --state x --stop-file y
usage serve 127.0.0.1 80 --state x --sync
usage peer 127.0.0.1 80 --conns 0
usage peer 127.0.0.1 80 --conns 1001
usage peer 127.0.0.1 80 --bytes -1
usage peer 127.0.0.1 80 --chunk
usage peer 127.0.0.1 80 --frobnicate
usage resume --state x 127.0.0.1
if "$M" --help | grep -q '^usage: migsrv serve'; then
	ok "--help"
else
	nok "--help" "no usage text"
fi
echo '{"pid":1,"listen_fd":-1,"conns":[]}' >"$T/empty"
err=$(env -u CRAK_FDS "$M" resume --state "$T/empty" 2>&1 >/dev/null)
rc=$?
if [[ $rc == 1 && $err == *CRAK_FDS* ]]; then
	ok "resume without CRAK_FDS: exit 1, says so"
else
	nok "resume without CRAK_FDS" "exit $rc, stderr: $err"
fi
echo '{"pid":1,"conns":[{"fd":3,' >"$T/bad"
err=$(CRAK_FDS=3 "$M" resume --state "$T/bad" 2>&1 >/dev/null)
rc=$?
if [[ $rc == 1 && $err == *"not a migsrv state file"* ]]; then
	ok "resume with a cut state file: exit 1, says so"
else
	nok "resume with a cut state file" "exit $rc, stderr: $err"
fi

echo "# migsrv: $pass passed, $fail failed"
[[ $fail == 0 ]]
