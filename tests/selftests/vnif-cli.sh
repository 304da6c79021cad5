#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The vnif tool (userspace/vnif), end to end:
#
#   attach    into an `ip netns add` namespace (by name, with a bridge, MAC,
#             MTU, IPv4 + IPv6 addresses and gateways) and into an
#             `unshare --net` namespace (by PID); TCP across the pair;
#             a failing attach leaves nothing behind
#   freeze    frames held, counted exactly by show and show --json
#   dump      the held frames as pcapng, read by tcpdump and tshark with
#             their directions
#   load      that capture into a fresh frozen pair, thawed: the receiving
#             ends get exactly those frames, byte for byte
#   errors    the exact message a user sees, and the exit status
#   detach    both ends gone
#
# The counting pairs live in namespaces with IPv6 off and no addresses, so
# that no frame but ours crosses them:
#
#   netns $H                                 netns $C1 / $C2
#   o1 (outer) =========== vnif =========== eth0 (inner)     frames: 3 in,
#   o2 (outer) =========== vnif =========== eth0 (inner)     2 out

source "$(dirname "$0")/lib.sh"

A=vtca$VT_ID		# container netns, by name
H=vtch$VT_ID		# outer ends of the counting pairs
C1=vtc1$VT_ID		# inner end of the pair that holds
C2=vtc2$VT_ID		# inner end of the pair that loads
OA=vca$VT_ID		# outer end into $A
BR=vcbr$VT_ID
HELP=$VT_TMP/h.py

# Frames of known content; pcap reading; a TCP echo; bad captures.
cat >"$HELP" <<'PY'
import json, socket, struct, sys

SIZES = {'I': [60, 300, 1000], 'E': [80, 1514]}


def frame(tag, i, size):
    hdr = b'\xff' * 6 + bytes([2, 0, 0, 0, 0, ord(tag)]) + b'\x88\xb5'
    body = b'VNIF' + tag.encode() + struct.pack('>H', i)
    pad = size - len(hdr) - len(body)
    return hdr + body + bytes((i * 7 + k) & 0xff for k in range(pad))


def read_pcap(path):
    data = open(path, 'rb').read()
    e = '<' if data[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    off, out = 24, []
    while off + 16 <= len(data):
        caplen = struct.unpack(e + 'I', data[off + 8:off + 12])[0]
        out.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return out


cmd, args = sys.argv[1], sys.argv[2:]
if cmd == 'send':		# send IFNAME TAG: the frames of TAG, in order
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((args[0], 0))
    for i, size in enumerate(SIZES[args[1]]):
        s.send(frame(args[1], i, size))
elif cmd == 'check':		# check PCAP TAG...: exactly the frames of TAG
    ok = True
    for path, tag in zip(args[0::2], args[1::2]):
        got = read_pcap(path)
        want = [frame(tag, i, n) for i, n in enumerate(SIZES[tag])]
        print('%s: %d frames (want %d), lengths %s, %s' %
              (path, len(got), len(want), [len(f) for f in got],
               'byte-exact' if got == want else 'DIFFERENT'))
        ok = ok and got == want
    sys.exit(0 if ok else 1)
elif cmd == 'serve':		# serve PORT: echo two connections, v4 or v6
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(('::', int(args[0])))
    s.listen(4)
    s.settimeout(60)
    print('ready', file=sys.stderr, flush=True)
    for _ in range(2):
        c, _ = s.accept()
        c.sendall(c.recv(100))
        c.close()
elif cmd == 'echo':		# echo PORT ADDR...: one line per address
    for addr in args[1:]:
        try:
            c = socket.create_connection((addr, int(args[0])), timeout=20)
            c.sendall(('hello ' + addr).encode())
            print(c.recv(100).decode())
        except OSError as e:
            print('%s: %s' % (addr, e))
elif cmd == 'bad':		# bad DIR: captures vnif must refuse
    fr = frame('I', 0, 64)
    def pcap(snaplen, linktype, recs):
        out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype)
        for r in recs:
            out += struct.pack('<IIII', 1, 0, len(r), len(r)) + r
        return out
    big = frame('I', 0, 70000)
    open(args[0] + '/big.pcap', 'wb').write(pcap(262144, 1, [fr, big]))
    open(args[0] + '/lt.pcap', 'wb').write(pcap(65535, 113, [fr]))
    open(args[0] + '/runt.pcap', 'wb').write(pcap(65535, 1, [fr, fr[:10]]))
    open(args[0] + '/text.pcap', 'w').write('hello, not a capture\n')
    many = [frame('I', i, 1000) for i in range(90)]
    open(args[0] + '/many.pcap', 'wb').write(pcap(65535, 1, many))
elif cmd == 'get':		# get EXPR...: each EXPR of the JSON d on stdin
    d = json.load(sys.stdin)
    for e in args:
        print(eval(e))
PY

py() { "$VT_PY" "$HELP" "$@"; }
inH() { ip netns exec "$H" "$@"; }

# Under TCG every process costs about a second: the helpers below parse
# in bash rather than through awk, sed or grep.

# link [NETNS] IFACE: "NAME MAC MTU UP|DOWN MASTER" of IFACE.
link() {
	local ns=() w name mac=- mtu=- up=DOWN master=- i

	[[ $# == 2 ]] && ns=(-n "$1") && shift
	read -ra w <<<"$(ip "${ns[@]}" -o link show "$1")"
	((${#w[@]} > 3)) || return 1
	name=${w[1]%:}
	name=${name%%@*}
	[[ ${w[2]} =~ [\<,]UP[,\>] ]] && up=UP
	for ((i = 3; i < ${#w[@]} - 1; i++)); do
		case ${w[i]} in
		mtu) mtu=${w[i + 1]} ;;
		master) master=${w[i + 1]} ;;
		link/*) mac=${w[i + 1]} ;;
		esac
	done
	echo "$name $mac $mtu $up $master"
}
# addrs [NETNS] IFACE: the global addresses of IFACE, in order.
addrs() {
	local ns=() w out=()

	[[ $# == 2 ]] && ns=(-n "$1") && shift
	while read -ra w; do
		((${#w[@]} > 3)) && out+=("${w[3]}")
	done <<<"$(ip "${ns[@]}" -o addr show dev "$1" scope global)"
	echo "${out[*]}"
}
# gate NETNS IFACE: `vnif show IFACE` in NETNS, summed up in one line:
# "STATE IN OUT", each direction "held/bytes/total/high/released/loaded/
# drop-limit/drop-deadline/drop-down/deadlines".
gate() {
	local line w st=- d= v= in=- eg=-

	while IFS= read -r line; do
		read -ra w <<<"${line//[,;]/}"
		case $line in
		"    state "*) st=${w[1]} ;;
		"    ingress "* | "    egress "*) d=${w[0]} ;;
		*"held now "*) v=${w[2]}/${w[4]}/${w[8]}/${w[11]} ;;
		*"released "*) v+=/${w[1]}/${w[3]} ;;
		*"dropped: "*)
			v+=/${w[2]}/${w[4]}/${w[6]}/${w[11]}
			if [[ $d == ingress ]]; then in=$v; else eg=$v; fi
			;;
		esac
	done <<<"$(ip netns exec "$1" "$VNIF" show "$2" 2>&1)"
	echo "$st $in $eg"
}
# wait_state NETNS IFACE STATE: the gate gets there within 8 s.
wait_state() {
	local i

	for i in $(seq 40); do
		[[ $(gate "$1" "$2") == "$3 "* ]] && return 0
		vt_nap 0.2
	done
	return 1
}
# match NAME PATTERN TEXT: ok when TEXT, its lines joined by spaces,
# matches the extended regular expression PATTERN.
match() {
	local flat=${3//$'\n'/ }

	if [[ $flat =~ $2 ]]; then
		vt_ok "$1"
	else
		vt_fail "$1" "no /$2/ in:"
		sed 's/^/#   /' <<<"$3"
	fi
}
# oneline TEXT: TEXT with its lines joined by spaces.
oneline() {
	echo "${1//$'\n'/ }"
}
# first5 TEXT: the first five words of TEXT ("default via GW dev IFACE").
first5() {
	local w

	read -ra w <<<"$1"
	echo "${w[*]:0:5}"
}
# frames TEXT: how many lines of TEXT, tcpdump's, start with a timestamp.
frames() {
	local line n=0

	while IFS= read -r line; do
		[[ $line == [0-9]* ]] && n=$((n + 1))
	done <<<"$1"
	echo "$n"
}
# rc CMD...: the exit status of CMD, its output discarded.
rc() {
	"$@" >/dev/null 2>&1
	echo $?
}

[[ -x $VNIF ]] || { vt_fail "the tool is built" "$VNIF missing (make -C userspace)"; vt_done; }

# -------------------------------------------------------------- attach
vt_log "attach at ${SECONDS} s"
vt_netns "$A"
ip link add "$BR" type bridge && vt_defer "ip link del $BR"
ip link set "$BR" up
ip addr add 10.77.1.1/24 dev "$BR"
ip addr add fd77:1::1/64 dev "$BR" nodad

out=$("$VNIF" attach --netns "$A" --ifname eth0 --host-ifname "$OA" \
	--address 10.77.1.2/24 --address fd77:1::2/64 --gateway 10.77.1.1 \
	--gateway fd77:1::1 --mac 02:77:00:00:01:02 --mtu 1400 --bridge "$BR" 2>&1)
vt_defer "ip link del $OA"
match "attach by netns name prints the ends" \
	"^attached $OA \(ifindex [0-9]+\) <-> eth0 \(ifindex [0-9]+\) in netns $A\$" "$out"
vt_eq "inner end: name, MAC, MTU, up" "eth0 02:77:00:00:01:02 1400 UP -" \
	"$(link "$A" eth0)"
vt_eq "lo up in the container" "lo 00:00:00:00:00:00 65536 UP -" "$(link "$A" lo)"
vt_eq "inner end addresses" "10.77.1.2/24 fd77:1::2/64" "$(addrs "$A" eth0)"
vt_eq "IPv4 default route" "default via 10.77.1.1 dev eth0" \
	"$(first5 "$(ip -n "$A" -4 route show default)")"
vt_eq "IPv6 default route" "default via fd77:1::1 dev eth0" \
	"$(first5 "$(ip -n "$A" -6 route show default)")"
match "outer end: MTU, up, on the bridge" "^$OA [0-9a-f:]{17} 1400 UP $BR\$" \
	"$(link "$OA")"

# TCP, over IPv4 and IPv6, through the bridge and the pair.
ip netns exec "$A" "$VT_PY" "$HELP" serve 7777 2>"$VT_TMP/serve" &
serve=$!
for _ in $(seq 50); do [[ $(<"$VT_TMP/serve") == *ready* ]] && break; vt_nap 0.2; done
vt_eq "TCP echo over IPv4 and IPv6 across the pair" \
	"hello 10.77.1.2 hello fd77:1::2" "$(oneline "$(py echo 7777 10.77.1.2 fd77:1::2 2>&1)")"
kill "$serve" 2>/dev/null
wait "$serve" 2>/dev/null

# Into the netns of a process, named by its PID.
unshare --net sleep 1000 &
pid=$!
vt_defer "kill $pid"
for _ in $(seq 100); do
	[[ $(readlink "/proc/$pid/ns/net") != "$(readlink /proc/self/ns/net)" ]] && break
	vt_nap 0.05
done
# No --host-ifname: the kernel names the outer end, the tool says how.
out=$("$VNIF" attach --netns "$pid" --ifname ceth1 --address 10.77.2.2/24 \
	--address fd77:2::2/64 --gateway fd77:2::1 2>&1)
OP=$(sed -n 's/^attached \(vnif[0-9]*\) (ifindex [0-9]*) <-> .*/\1/p' <<<"$out")
vt_defer "ip link del ${OP:-none}"
match "attach by PID, the outer end named by the kernel" \
	"^attached vnif[0-9]+ \(ifindex [0-9]+\) <-> ceth1 \(ifindex [0-9]+\) in netns $pid\$" \
	"$out"
oidx=$(cat "/sys/class/net/${OP:-none}/ifindex" 2>/dev/null)
vt_eq "... and it is the peer of ceth1" "ceth1@if$oidx" \
	"$(w=($(nsenter -t "$pid" -n ip -o link show ceth1)); echo "${w[1]%:}")"
match "PID netns: inner end and lo up, the addresses" \
	"^ceth1 [0-9a-f:]{17} 1500 UP - lo 00:00:00:00:00:00 65536 UP - 10.77.2.2/24 fd77:2::2/64\$" \
	"$(nsenter -t "$pid" -n bash -c "$(declare -f link addrs); link ceth1; link lo; addrs ceth1")"
vt_eq "PID netns: IPv6 default route" "default via fd77:2::1 dev ceth1" \
	"$(first5 "$(nsenter -t "$pid" -n ip -6 route show default)")"
vt_check "detach by the outer end's name" "$VNIF" detach "$OP"
vt_refuse "detach removed the outer end" "does not exist" ip link show "$OP"
vt_refuse "detach removed the inner end" "does not exist" \
	nsenter -t "$pid" -n ip link show ceth1

# A step that fails after creation takes the pair away again.
out=$("$VNIF" attach --netns "$A" --ifname eth9 --host-ifname vcx$VT_ID \
	--address 10.77.9.2/24 --address 10.77.9.2/24 2>&1)
match "a failing attach says which step failed, and undoes the pair" \
	"^vnif: attach: add address 10.77.9.2/24 to eth9 in netns $A: (.*\()?File exists\)? vnif: attach: removed the pair again\$" \
	"$out"
vt_refuse "... no outer end left" "does not exist" ip link show vcx$VT_ID
vt_refuse "... no inner end left" "does not exist" ip -n "$A" link show eth9
vt_refuse "attach into a netns that does not exist" \
	"^vnif: attach: netns nosuch$VT_ID: cannot open /run/netns/nosuch$VT_ID: No such file or directory\$" \
	"$VNIF" attach --netns nosuch$VT_ID

# ---------------------------------------------------- freeze and show
vt_log "freeze and show at ${SECONDS} s"
for ns in "$H" "$C1" "$C2"; do
	vt_netns "$ns"
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done
vt_check "attach a pair from another netns" \
	inH "$VNIF" attach --netns "$C1" --host-ifname o1
vt_check "attach a second one" inH "$VNIF" attach --netns "$C2" --host-ifname o2

Z=0/0/0/0/0/0/0/0/0/0
# Unprivileged: refused by the kernel, nothing changes.
vt_refuse "freeze without CAP_NET_ADMIN" \
	"^vnif: freeze o1: Operation not permitted\$" \
	inH setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$VNIF" freeze o1
vt_eq "... the pair still passes" "pass $Z $Z" "$(gate "$H" o1)"

vt_refuse "thaw a pair that is not frozen" \
	"^vnif: thaw o1: the pair is not frozen \(Invalid argument\)\$" \
	inH "$VNIF" thaw o1
vt_check "freeze with limits and a deadline" inH "$VNIF" freeze o1 \
	--limit-packets 1000 --limit-bytes 1000000 --deadline 300 \
	--deadline-policy release --require-up
vt_refuse "freeze twice" \
	"^vnif: freeze o1: the pair is already frozen \(Device or resource busy\)\$" \
	inH "$VNIF" freeze o1

vt_check "send 3 frames outer -> inner" inH "$VT_PY" "$HELP" send o1 I
vt_check "send 2 frames inner -> outer" ip netns exec "$C1" "$VT_PY" "$HELP" send eth0 E

# held/bytes/total/high/released/loaded/drop-limit/drop-deadline/drop-down/deadlines
vt_eq "show: counters per direction" "hold 3/1360/3/3/0/0/0/0/0/0 2/1594/2/2/0/0/0/0/0/0" \
	"$(gate "$H" o1)"
match "show: limits and deadline" \
	"limits 1000 frames, 1000000 bytes +deadline 300 s, policy release, [0-9.]+ s left" \
	"$(inH "$VNIF" show o1)"
vt_eq "show from the inner end: the same gate" \
	"hold 3/1360/3/3/0/0/0/0/0/0 2/1594/2/2/0/0/0/0/0/0" "$(gate "$C1" eth0)"
json=$(inH "$VNIF" show --json)
vt_check "show --json is valid JSON" "$VT_PY" -m json.tool <<<"$json"
mapfile -t J <<<"$(py get \
	'" ".join(sorted(e["ifname"] for e in d))' \
	'" ".join(str(x) for x in (lambda e: (e["ifindex"] > 0, e["end"],
		e["peer_ifindex"], e["peer_ifname"], e["state"], e["limit_packets"],
		e["limit_bytes"], e["deadline_ms"], e["deadline_policy"],
		0 < e["deadline_left_ms"] <= 300000))(
		[e for e in d if e["ifname"] == "o1"][0]))' \
	'" ".join("%s:%s" % (dr, "/".join(str(x) for x in (lambda s: (s["held"],
		s["held_bytes"], s["held_total"], s["high_water"], s["released"],
		s["loaded"], s["dropped"]["limit"], s["dropped"]["deadline"],
		s["dropped"]["down"], s["deadlines"]))(
		[e for e in d if e["ifname"] == "o1"][0][dr])))
		for dr in ("ingress", "egress"))' <<<"$json")"
vt_eq "show --json without IFACE: every end of the netns" "o1 o2" "${J[0]-}"
vt_eq "show --json: the end and its settings" \
	"True outer 0 None hold 1000 1000000 300000 release True" "${J[1]-}"
vt_eq "show --json: the counters" \
	"ingress:3/1360/3/3/0/0/0/0/0/0 egress:2/1594/2/2/0/0/0/0/0/0" "${J[2]-}"

# ---------------------------------------------------------------- dump
vt_log "dump at ${SECONDS} s"
vt_check "dump the held frames" inH "$VNIF" dump o1 -w "$VT_TMP/held.pcapng"
vt_eq "tcpdump reads the 5 frames" 5 \
	"$(frames "$(tcpdump -r "$VT_TMP/held.pcapng" 2>/dev/null)")"
vt_eq "tshark: directions and lengths, ingress queue first" \
	"0x00000001,60 0x00000001,300 0x00000001,1000 0x00000002,80 0x00000002,1514" \
	"$(oneline "$(tshark -r "$VT_TMP/held.pcapng" -T fields \
		-e frame.packet_flags_direction -e frame.len -E separator=, 2>/dev/null)")"
vt_eq "dump -w - writes the capture to stdout" 5 \
	"$(frames "$(inH "$VNIF" dump o1 -w - 2>/dev/null | tcpdump -r - 2>/dev/null)")"
vt_eq "dump leaves the queues as they were" \
	"hold 3/1360/3/3/0/0/0/0/0/0 2/1594/2/2/0/0/0/0/0/0" "$(gate "$H" o1)"
vt_refuse "a failed dump" "^vnif: dump nosuch$VT_ID: no such device \(No such device\)\$" \
	"$VNIF" dump nosuch$VT_ID -w "$VT_TMP/none.pcapng"
vt_eq "... leaves no file" "" "$(ls -A "$VT_TMP" | grep none)"

vt_check "thaw" inH "$VNIF" thaw o1
vt_check "the gate goes back to pass" wait_state "$H" o1 pass
vt_eq "the frames were released" "pass 0/0/3/3/3/0/0/0/0/0 0/0/2/2/2/0/0/0/0/0" \
	"$(gate "$H" o1)"

# ---------------------------------------------------------------- load
vt_log "load at ${SECONDS} s"
py bad "$VT_TMP"
head -c $(($(stat -c %s "$VT_TMP/held.pcapng") - 10)) "$VT_TMP/held.pcapng" \
	>"$VT_TMP/trunc.pcapng"
vt_eq "load into a pair that is not frozen" \
	"vnif: load o2: the pair must be frozen to load frames (Invalid argument)
vnif: load o2: nothing was loaded" \
	"$(inH "$VNIF" load o2 -r "$VT_TMP/held.pcapng" 2>&1)"
vt_check "freeze the second pair, room for 4 frames" \
	inH "$VNIF" freeze o2 --limit-packets 4
vt_refuse "load more than fits" \
	"held.pcapng has 5 frames of 2954 bytes, o2 holds 0 and its limits are 4 frames, [0-9]+ bytes: nothing loaded\$" \
	inH "$VNIF" load o2 -r "$VT_TMP/held.pcapng"
vt_check "thaw, freeze with room" bash -c \
	"ip netns exec $H $VNIF thaw o2 && ip netns exec $H $VNIF freeze o2 --limit-packets 100"
vt_refuse "load a truncated capture" \
	"^vnif: load o2: .*/trunc.pcapng: record 5 at byte offset [0-9]+: truncated: the file ends [0-9]+ bytes into the [0-9]+-byte block\$" \
	inH "$VNIF" load o2 -r "$VT_TMP/trunc.pcapng"
vt_refuse "load a file that is no capture" \
	"^vnif: load o2: .*/text.pcap: not a pcap or pcapng file \(it starts with bytes 68 65 6c 6c\)\$" \
	inH "$VNIF" load o2 -r "$VT_TMP/text.pcap"
vt_refuse "load a frame longer than 65484 bytes" \
	"^vnif: load o2: .*/big.pcap: record 2 at byte offset 104: frame of 70000 bytes is longer than 65484 bytes" \
	inH "$VNIF" load o2 -r "$VT_TMP/big.pcap"
vt_refuse "load a frame shorter than an Ethernet header" \
	"/runt.pcap: record 2 at byte offset 104: frame of 10 bytes is shorter than an Ethernet header" \
	inH "$VNIF" load o2 -r "$VT_TMP/runt.pcap"
vt_refuse "load a capture that is not Ethernet" \
	"/lt.pcap: record 1 at byte offset 24: link type 113 is not Ethernet" \
	inH "$VNIF" load o2 -r "$VT_TMP/lt.pcap"
vt_eq "nothing of them was loaded" "hold $Z $Z" "$(gate "$H" o2)"

out=$(inH "$VNIF" load o2 -r "$VT_TMP/held.pcapng" 2>&1)
vt_eq "load the dumped capture" \
	"loaded 5 frames (3 ingress, 2 egress, 2954 bytes) from $VT_TMP/held.pcapng into o2" \
	"$out"
vt_eq "loaded into both queues" "hold 3/1360/3/3/0/3/0/0/0/0 2/1594/2/2/0/2/0/0/0/0" \
	"$(gate "$H" o2)"

# Thawed, the frames come out of the ends they were headed for. (Each
# tcpdump is the background job itself, not a shell around it: the kill
# below must reach it.)
ip netns exec "$C2" tcpdump -Z root -i eth0 -Q in -U -w "$VT_TMP/in.pcap" \
	ether proto 0x88b5 2>"$VT_TMP/in.err" &
tin=$!
ip netns exec "$H" tcpdump -Z root -i o2 -Q in -U -w "$VT_TMP/out.pcap" \
	ether proto 0x88b5 2>"$VT_TMP/out.err" &
tout=$!
for _ in $(seq 100); do
	[[ $(<"$VT_TMP/in.err") == *listening* && $(<"$VT_TMP/out.err") == *listening* ]] &&
		break
	kill -0 "$tin" "$tout" 2>/dev/null || break
	vt_nap 0.2
done
vt_check "thaw the loaded pair" inH "$VNIF" thaw o2
vt_check "... it releases and passes" wait_state "$H" o2 pass
vt_nap 1
# Not SIGINT: background jobs of a script ignore it.
kill -TERM "$tin" "$tout"
wait "$tin" "$tout"
vt_check "the receiving ends got exactly those frames, byte for byte" \
	py check "$VT_TMP/in.pcap" I "$VT_TMP/out.pcap" E
vt_eq "counted as released" "pass 0/0/3/3/3/3/0/0/0/0 0/0/2/2/2/2/0/0/0/0" \
	"$(gate "$H" o2)"

# Classic pcap (tcpdump's), from stdin, no direction recorded in it.
vt_check "freeze again" inH "$VNIF" freeze o2
vt_eq "load a classic pcap from stdin, --direction egress" \
	"loaded 2 frames (0 ingress, 2 egress, 1594 bytes) from stdin into o2" \
	"$(inH "$VNIF" load o2 -r - --direction egress <"$VT_TMP/out.pcap" 2>&1)"
vt_eq "... into the egress queue" "hold 0/0/3/3/3/3/0/0/0/0 2/1594/4/2/2/4/0/0/0/0" \
	"$(gate "$H" o2)"
# 90 frames of 1000 bytes: three messages of at most 32 KiB of frames.
vt_eq "load a capture that takes several messages" \
	"loaded 90 frames (90 ingress, 0 egress, 90000 bytes) from $VT_TMP/many.pcap into o2" \
	"$(inH "$VNIF" load o2 -r "$VT_TMP/many.pcap" 2>&1)"
vt_eq "... all of it held" "hold 90/90000/93/90/3/93/0/0/0/0 2/1594/4/2/2/4/0/0/0/0" \
	"$(gate "$H" o2)"

# -------------------------------------------------------------- errors
vt_log "errors at ${SECONDS} s"
vt_refuse "freeze a device that is not vnif" \
	"^vnif: freeze lo: not a vnif device \(Operation not supported\)\$" \
	"$VNIF" freeze lo
vt_refuse "detach refuses a device that is not vnif" \
	"^vnif: detach lo: not a vnif device \(Operation not supported\)\$" \
	"$VNIF" detach lo
vt_refuse "show a device that does not exist" \
	"^vnif: show nosuch$VT_ID: no such device \(No such device\)\$" \
	"$VNIF" show nosuch$VT_ID
vt_eq "unknown option" \
	"vnif: freeze: unknown option '--bogus'
Try 'vnif freeze --help' for more information." \
	"$("$VNIF" freeze o1 --bogus 2>&1)"
vt_eq "... exits 2" 2 "$(rc "$VNIF" freeze o1 --bogus)"
vt_refuse "limit out of range" \
	"^vnif: freeze: --limit-packets: 4194305 is out of range \(1..4194304\)\$" \
	"$VNIF" freeze o1 --limit-packets 4194305
vt_eq "... exits 2" 2 "$(rc "$VNIF" freeze o1 --limit-packets 4194305)"
vt_refuse "trailing garbage in a number" \
	"^vnif: freeze: --limit-bytes: '10k' is not a decimal number\$" \
	"$VNIF" freeze o1 --limit-bytes 10k
vt_refuse "missing argument" \
	"^vnif: freeze: option '--deadline' needs an argument\$" \
	"$VNIF" freeze o1 --deadline
vt_eq "a failed operation exits 1" 1 "$(rc "$VNIF" freeze lo)"
match "vnif --help" "^Usage: vnif COMMAND .* Exit status: 0 success" "$("$VNIF" --help)"
match "vnif help load" "^Usage: vnif load IFACE -r FILE" "$("$VNIF" help load)"
match "vnif dump --help" "^Usage: vnif dump IFACE -w FILE" "$("$VNIF" dump --help)"

# -------------------------------------------------------------- detach
vt_log "detach at ${SECONDS} s"
vt_check "detach from the inner end's netns" ip netns exec "$C2" "$VNIF" detach eth0
vt_refuse "... the outer end went with it" "does not exist" inH ip link show o2
vt_check "detach the outer end" inH "$VNIF" detach o1
vt_refuse "... the inner end went with it" "does not exist" ip -n "$C1" link show eth0
vt_eq "no vnif end left in $H" "[]" "$(inH "$VNIF" show --json)"

vt_log "done at ${SECONDS} s"
vt_done
