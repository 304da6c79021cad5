#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crak-inspect: CRAK_IOC_INSPECT sees a process's sockets as a checkpoint
# will, and only callers with the right to ptrace the process may ask.
#
#   netns vtciN-main: sockets.py (root), with a TCP listener holding two
#   connections not yet accepted, an accepted connection with 500 bytes
#   unread, UDP bound (two datagrams queued) and connected, an IPv6
#   listener, a bound TCP socket, a UNIX and a raw socket, and a pipe.
#
# Checks: each socket's protocol, state, port, queue and verdict; then the
# access rules of include/uapi/linux/crak.h, as nobody through a 0666 copy
# of /dev/crak: other uid without CAP_SYS_PTRACE refused, with it allowed;
# a target of one's own uid allowed, unless it is not dumpable; no process
# is ESRCH. Each sockets.py runs in a netns of its own (vtciN-NAME).

source "$(dirname "$0")/lib.sh"

NS=vtci$VT_ID
PY=$VT_TMP/sockets.py
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# as_nobody CAPS CMD...: as nobody with only CAPS (e.g. ",+sys_ptrace").
as_nobody() {
	local caps=$1

	shift
	"${NOBODY[@]}" --inh-caps="-all$caps" --ambient-caps="-all$caps" "$@"
}

# start NAME WHO [ARGS...]: sockets.py as WHO (root or nobody) in a netns
# of its own; sets PID, waits for its ready file RW/ready-NAME.
start() {
	local name=$1 who=$2 ns=$NS-$1 ready=$RW/ready-$1

	shift 2
	vt_netns "$ns" || return 1
	if [[ $who == root ]]; then
		ip netns exec "$ns" "$VT_PY" "$PY" "$ready" "$@" &
	else
		ip netns exec "$ns" "${NOBODY[@]}" --inh-caps=-all \
			"$VT_PY" "$PY" "$ready" "$@" &
	fi
	PID=$!
	vt_defer "kill $PID"
	vt_wait_word "$ready" listen
}

# fd NAME: the descriptor sockets.py (as root) gave the socket NAME.
fd() { jq -r --arg n "$1" '.[$n]' "$RW/ready-main"; }

# sock FD FILTER: FILTER applied to the entry of FD in the inspection.
sock() {
	jq -r --argjson fd "$1" ".sockets[] | select(.fd == \$fd) | $2" \
		"$VT_TMP/inspect.json"
}

# Readable by anyone, and a directory anyone may write the ready files in.
RW=$VT_TMP/rw
chmod 0755 "$VT_TMP"
mkdir -m 1777 "$RW"
cp "$VT_REPO/tests/selftests/sockets.py" "$PY"
chmod 0644 "$PY"

if ! start main root; then
	vt_fail "sockets.py started"
	vt_done
fi
vt_check "crak inspect --json" \
	bash -c "'$CRAK' inspect --json $PID >'$VT_TMP/inspect.json'"

vt_eq "pid reported" "$PID" "$(jq -r .pid "$VT_TMP/inspect.json")"
vt_eq "start time: the process's (ns since boot, to the clock tick)" \
	"$(awk '{ print $22 }' "/proc/$PID/stat")" \
	"$(jq -r ".start_time_ns / (1000000000 / $(getconf CLK_TCK)) | floor" \
		"$VT_TMP/inspect.json")"
vt_eq "every socket found: 11" 11 "$(jq -r '.sockets | length' "$VT_TMP/inspect.json")"
vt_eq "descriptors: sockets, the pipe's two and stdio at least" yes \
	"$(jq -r 'if .descriptors >= (.sockets | length) + 5 then "yes" else "no" end' \
		"$VT_TMP/inspect.json")"
vt_eq "three cannot be checkpointed" 3 "$(jq -r .cannot_checkpoint "$VT_TMP/inspect.json")"

f=$(fd listen)
vt_eq "listener: tcp LISTEN 127.0.0.1:8080, 2 not accepted" \
	"tcp LISTEN 127.0.0.1 8080 2 true" \
	"$(sock "$f" '"\(.protocol) \(.state) \(.src) \(.sport) \(.backlog) \(.checkpoint)"')"
f=$(fd accepted)
vt_eq "accepted connection: ESTABLISHED, 500 bytes unread" \
	"ESTABLISHED 8080 500 true" \
	"$(sock "$f" '"\(.state) \(.sport) \(.rx_queue) \(.checkpoint)"')"
f=$(fd client)
vt_eq "client: ESTABLISHED to 127.0.0.1:8080, all acknowledged" \
	"ESTABLISHED 127.0.0.1 8080 0" \
	"$(sock "$f" '"\(.state) \(.dst) \(.dport) \(.tx_queue)"')"
f=$(fd udp)
vt_eq "UDP bound to 5353 with datagrams queued" "udp 5353 yes true" \
	"$(sock "$f" '"\(.protocol) \(.sport) \(if .rx_queue > 300 then "yes" else "no" end) \(.checkpoint)"')"
f=$(fd udp_connected)
vt_eq "UDP connected to 127.0.0.1:5353" "udp 127.0.0.1 5353 true" \
	"$(sock "$f" '"\(.protocol) \(.dst) \(.dport) \(.checkpoint)"')"
f=$(fd listen6)
vt_eq "IPv6 listener on [::1]:8081" "inet6 tcp LISTEN ::1 8081 true" \
	"$(sock "$f" '"\(.family) \(.protocol) \(.state) \(.src) \(.sport) \(.checkpoint)"')"
f=$(fd bound)
vt_eq "bound TCP socket: CLOSE, port 8082, cannot be taken (state)" \
	"CLOSE 8082 false state" \
	"$(sock "$f" '"\(.state) \(.sport) \(.checkpoint) \(.reason)"')"
f=$(fd unix)
vt_eq "UNIX socket: cannot be taken (family)" "false family" \
	"$(sock "$f" '"\(.checkpoint) \(.reason)"')"
f=$(fd raw)
vt_eq "raw ICMP socket: cannot be taken (protocol)" "false protocol" \
	"$(sock "$f" '"\(.checkpoint) \(.reason)"')"
"$CRAK" inspect "$PID" >"$VT_TMP/inspect.txt"
vt_check "text output names the listener" \
	grep -q "^fd $(fd listen) .*LISTEN .*127.0.0.1:8080 .*backlog 2" \
	"$VT_TMP/inspect.txt"

# Permissions, through a 0666 copy of the device node so that only the
# ioctl's own checks stand in the way.
devnum=$(cat /sys/class/misc/crak/dev)
mkdir -m 0755 "$VT_TMP/dev"
NODE=$VT_TMP/dev/crak
mknod -m 0666 "$NODE" c "${devnum%:*}" "${devnum#*:}"
inspect_as() {
	local caps=$1

	shift
	as_nobody "$caps" "$CRAK" inspect --device "$NODE" "$@"
}
vt_refuse "nobody, no capability: EPERM" "you may not inspect $PID" \
	inspect_as "" "$PID"
vt_refuse "nobody with CAP_CHECKPOINT_RESTORE, root's process: EPERM" \
	"you may not inspect $PID" inspect_as ",+checkpoint_restore" "$PID"
vt_check "nobody with CAP_CHECKPOINT_RESTORE and CAP_SYS_PTRACE: allowed" \
	inspect_as ",+checkpoint_restore,+sys_ptrace" "$PID"
vt_refuse "root without any capability: EPERM" "you may not inspect $PID" \
	setpriv --inh-caps=-all --bounding-set=-all "$CRAK" inspect "$PID"

root_pid=$PID
if start nobody nobody; then
	vt_check "nobody with CAP_CHECKPOINT_RESTORE, its own process: allowed" \
		inspect_as ",+checkpoint_restore" "$PID"
	vt_check "root, nobody's process: allowed" "$CRAK" inspect "$PID"
else
	vt_fail "sockets.py started as nobody"
fi
if start nodump nobody --not-dumpable; then
	vt_refuse "nobody, its own process but not dumpable: EPERM" \
		"you may not inspect $PID" inspect_as ",+checkpoint_restore" "$PID"
	vt_check "not dumpable, with CAP_SYS_PTRACE: allowed" \
		inspect_as ",+checkpoint_restore,+sys_ptrace" "$PID"
else
	vt_fail "sockets.py started as nobody, not dumpable"
fi

kill "$root_pid" && wait "$root_pid" 2>/dev/null
vt_refuse "a process that is gone: ESRCH" "no process $root_pid" \
	"$CRAK" inspect "$root_pid"
vt_refuse "PID 0 is a usage error" "PID '0' out of range" "$CRAK" inspect 0

vt_done
