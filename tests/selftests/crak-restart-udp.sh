#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crak-restart-udp: a process's UDP sockets move to another network
# namespace through an image alone, with every queued datagram.
#
#   netns vtraN: udp_target.py with an IPv4 socket (options set,
#   non-blocking), a dual-stack IPv6 socket, a connected IPv6-only socket
#   (and a TCP socket in CLOSE, left out); nine datagrams queued.
#   `crak checkpoint --kill`, crak.ko reloaded, then `crak restart --netns
#   vtrbN IMAGE -- udp_restored.py`: the program crak executes finds the
#   sockets at their numbers, with their options, reads the nine
#   datagrams in order with their sources, and uses each socket again.
#
# Checks, besides: the same image restarts again elsewhere (--listen-fds
# renumbers to 3, 4, ... and sets LISTEN_*); a corrupt image, a missing
# address (half the sockets built), a command not found and a caller
# without CAP_NET_ADMIN all fail, and leave no socket behind.

source "$(dirname "$0")/lib.sh"

A=vtra$VT_ID
B=vtrb$VT_ID
C=vtrc$VT_ID
D=vtrd$VT_ID
TARGET=$VT_TMP/udp_target.py
RESTORED=$VT_TMP/udp_restored.py
READY=$VT_TMP/ready.json
IMG=$VT_TMP/udp.img
OUT=$VT_TMP/restored.json
moddir=${VNIF_MODDIR:-}

chmod 0755 "$VT_TMP"
cp "$VT_REPO/tests/selftests/udp_target.py" "$TARGET"
cp "$VT_REPO/tests/selftests/udp_restored.py" "$RESTORED"
chmod 0755 "$TARGET" "$RESTORED"

for ns in "$A" "$B" "$C"; do
	if ! vt_netns "$ns"; then
		vt_fail "netns $ns"
		vt_done
	fi
done
ip netns exec "$A" "$VT_PY" "$TARGET" "$READY" "$VT_TMP/unused" &
PID=$!
vt_defer "kill $PID"
if ! vt_wait_word "$READY" sent; then
	vt_fail "udp_target.py started"
	vt_done
fi
fd() { jq -r --arg n "$1" '.[$n].fd' "$READY"; }
want=$(jq -r '.sent[] | "\(.fd) \(.src) \(.sport) \(.len) \(.sha256)"' "$READY")

out=$("$CRAK" checkpoint --skip-unsupported --kill -o "$IMG" "$PID" 2>&1)
vt_eq "checkpoint --kill: written" 0 "$?"
vt_log "$out"
vt_check "the report says the process was killed" grep -q ", killed$" <<<"$out"
{ wait "$PID"; } 2>/dev/null
vt_eq "the process is gone" 1 "$(kill -0 "$PID" 2>/dev/null; echo $?)"
vt_eq "its sockets are closed" "" "$(ip netns exec "$A" ss -Hanu)"

# Only the image carries state from here.
if [[ $moddir ]]; then
	vt_check "rmmod crak" rmmod crak
	vt_check "insmod crak again" insmod "$moddir/crak.ko"
else
	vt_log "no VNIF_MODDIR: crak.ko is not reloaded"
fi

vt_refuse "COMMAND missing: usage error" "COMMAND missing" \
	"$CRAK" restart --netns "$B" "$IMG"
vt_refuse "a command not found: nothing built" "nope-not-here: command not found" \
	"$CRAK" restart --netns "$B" "$IMG" -- nope-not-here
vt_eq "... and no socket in the namespace" "" "$(ip netns exec "$B" ss -Hanu)"

start=$(date +%s%N)
"$CRAK" restart --verbose --netns "$B" "$IMG" -- "$VT_PY" "$RESTORED" "$OUT" \
	2>"$VT_TMP/restart.err"
rc=$?
end=$(date +%s%N)
vt_eq "restart: the command ran and exited 0" 0 "$rc"
vt_log "$(cat "$VT_TMP/restart.err"); $(( (end - start) / 1000000 )) ms wall, python included"
vt_check "restart --verbose counts 3 sockets, 9 datagrams" \
	grep -q ": 3 sockets, 9 datagrams, 61822 bytes" "$VT_TMP/restart.err"
if [[ ! -s $OUT ]]; then
	vt_fail "udp_restored.py wrote its report"
	vt_done
fi

fds="$(fd u4),$(fd u6),$(fd uc)"
vt_eq "CRAK_FDS: the recorded numbers" "$fds" "$(jq -r .env.CRAK_FDS "$OUT")"
if [[ $fds == 3,4,5 ]]; then
	vt_eq "at 3, 4, 5: LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES set" \
		"3 true fd3:fd4:fd5" \
		"$(jq -r '"\(.env.LISTEN_FDS) \(.env.LISTEN_PID == (.env.pid | tostring)) \(.env.LISTEN_FDNAMES)"' "$OUT")"
else
	vt_eq "not at 3, 4, 5: no LISTEN_*" "null null" \
		"$(jq -r '"\(.env.LISTEN_FDS) \(.env.LISTEN_PID)"' "$OUT")"
fi
sk() { jq -r --argjson fd "$1" ".socks[] | select(.fd == \$fd) | $2" "$OUT"; }
vt_eq "IPv4 socket: address, O_NONBLOCK, options" \
	"2 127.0.0.1:5000 null true false 1 1 300000 80000 119 3 16 9 1" \
	"$(sk "$(fd u4)" '"\(.family) \(.local | join(":")) \(.peer) \(.nonblock) \(.cloexec) \(.reuseaddr) \(.broadcast) \(.rcvbuf) \(.sndbuf) \(.mark) \(.priority) \(.tos) \(.ttl) \(.freebind)"')"
vt_eq "IPv6 socket: dual stack on [::]:5001, reuseport, tclass, hops" \
	"10 :::5001 null false 1 0 32 7" \
	"$(sk "$(fd u6)" '"\(.family) \(.local | join(":")) \(.peer) \(.nonblock) \(.reuseport) \(.v6only) \(.tclass) \(.hops)"')"
vt_eq "connected IPv6 socket: [::1]:5002 to [::1]:5003, v6only" \
	"::1:5002 ::1:5003 1" \
	"$(sk "$(fd uc)" '"\(.local | join(":")) \(.peer | join(":")) \(.v6only)"')"
got=$(jq -r '.got[] | "\(.fd) \(.src) \(.sport) \(.len) \(.sha256)"' "$OUT")
vt_eq "every datagram, in order: source, port, length, SHA-256 (9)" "$want" "$got"
vt_eq "each socket works in the new namespace" \
	"new|new|to the peer back" \
	"$(jq -r --argjson a "$(fd u4)" --argjson b "$(fd u6)" --argjson c "$(fd uc)" \
		'[.live["fd\($a)"], .live["fd\($b)"], .live["fd\($c)"]] | join("|")' "$OUT")"
vt_eq "the command's sockets are closed with it" "" "$(ip netns exec "$B" ss -Hanu)"

# The image is not used up: again, elsewhere, renumbered.
rm -f "$OUT"
"$CRAK" restart --listen-fds --netns "$C" "$IMG" -- "$VT_PY" "$RESTORED" "$OUT"
vt_eq "--listen-fds: 3, 4, 5 and LISTEN_FDNAMES with the recorded numbers" \
	"3,4,5 3 fd$(fd u4):fd$(fd u6):fd$(fd uc)" \
	"$(jq -r '"\(.env.CRAK_FDS) \(.env.LISTEN_FDS) \(.env.LISTEN_FDNAMES)"' "$OUT")"
vt_eq "--listen-fds: the same datagrams" \
	"$(sed 's/^[0-9]* //' <<<"$want")" \
	"$(jq -r '.got[] | "\(.src) \(.sport) \(.len) \(.sha256)"' "$OUT")"

# Failures leave nothing.
cp "$IMG" "$VT_TMP/bad.img"
printf '\xff' | dd of="$VT_TMP/bad.img" bs=1 seek=300 conv=notrunc status=none
vt_refuse "a corrupt image: refused" "checksum mismatch" \
	"$CRAK" restart --netns "$B" "$VT_TMP/bad.img" -- true
# In a namespace whose lo is down there is no ::1: the IPv4 socket
# (IP_FREEBIND) and the dual-stack one are built, the connected one fails.
ip netns add "$D" && vt_defer "ip netns del $D"
vt_refuse "an address missing: refused, naming the descriptor" \
	"cannot restore fd $(fd uc): bind to its IPv6 address port 5002: error -99" \
	"$CRAK" restart --netns "$D" "$IMG" -- touch "$VT_TMP/ran"
vt_eq "... the command did not run" no "$([[ -e $VT_TMP/ran ]] && echo yes || echo no)"
vt_eq "... and the sockets built before are gone" "" "$(ip netns exec "$D" ss -Hanu)"

devnum=$(cat /sys/class/misc/crak/dev)
mkdir -m 0755 "$VT_TMP/dev"
NODE=$VT_TMP/dev/crak
mknod -m 0666 "$NODE" c "${devnum%:*}" "${devnum#*:}"
chmod 0644 "$IMG"
vt_refuse "CAP_CHECKPOINT_RESTORE without CAP_NET_ADMIN: EPERM" \
	"not allowed: restoring needs CAP_NET_ADMIN" \
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all,+checkpoint_restore --ambient-caps=-all,+checkpoint_restore \
	"$CRAK" restart --device "$NODE" "$IMG" -- true
vt_done
