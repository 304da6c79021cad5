#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cli_test.sh CRAK [LABEL]: the crak tool on the host, no module needed.
# `crak new` then `crak show` (text and JSON) must give back what went in,
# a corrupt, cut or oversized file must be refused with the codec's
# message and exit 1, usage errors exit 2. `crak inspect` is checked for
# its usage errors, its messages without the module, and its output
# against a stand-in for the module's ioctl (an LD_PRELOAD library built
# here with ${CC:-cc}). `crak checkpoint` is checked for its usage errors
# and messages without the module, `crak restart` for its usage errors
# (with images of vnif pairs that ./mkvnif.py writes), and `crak show`
# on the checkpoint reference image that ./image_test --write-checkpoint
# writes. One "ok - LABEL: NAME" or "not ok - LABEL: NAME:
# why" per check; exit 1 if any failed.

set -u

CRAK=$(realpath "$1")
LABEL=${2:-cli}
PY=python3
T=$(mktemp -d "${TMPDIR:-/tmp}/crak-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() {
	pass=$((pass + 1))
	echo "ok - $LABEL: $1"
}

nok() {
	fail=$((fail + 1))
	echo "not ok - $LABEL: $1: $2"
	[[ -n ${OUT-} ]] && sed 's/^/#   stdout: /' <<<"$OUT"
	[[ -n ${ERR-} ]] && sed 's/^/#   stderr: /' <<<"$ERR"
}

# run ARGS...: the tool's stdout, stderr and status in OUT, ERR, RC.
run() {
	OUT=$("$CRAK" "$@" 2>"$T/stderr")
	RC=$?
	ERR=$(<"$T/stderr")
}

# expect NAME RC [STDOUT-ERE [STDERR-ERE]]: judges the last run.
expect() {
	local name=$1 rc=$2 outre=${3-} errre=${4-}

	if [[ $RC != "$rc" ]]; then
		nok "$name" "exit $RC, expected $rc"
	elif [[ -n $outre ]] && ! grep -Eq -- "$outre" <<<"$OUT"; then
		nok "$name" "stdout without /$outre/"
	elif [[ -n $errre ]] && ! grep -Eq -- "$errre" <<<"$ERR"; then
		nok "$name" "stderr without /$errre/"
	else
		ok "$name"
	fi
}

# check NAME COMMAND...: ok when COMMAND (a test, not the tool) succeeds.
check() {
	local name=$1

	shift
	if "$@"; then
		ok "$name"
	else
		nok "$name" "'$*' failed"
	fi
}

# Help and usage.
run --help
expect "--help" 0 '^SYNOPSIS'
for cmd in version show check new inspect checkpoint; do
	run "$cmd" --help
	expect "$cmd --help" 0 "^    crak $cmd"
	help=$OUT
	run help "$cmd"
	check "help $cmd is $cmd --help" test "$OUT" == "$help"
done
run
expect "no command: usage" 2 '' "COMMAND is needed"
run frobnicate
expect "unknown command: usage" 2 '' "unknown command 'frobnicate'"
run show
expect "show without IMAGE: usage" 2 '' "IMAGE missing"
run show a b
expect "show with two images: usage" 2 '' "one IMAGE only"
run show --frob x
expect "show with an unknown option: usage" 2 '' "unrecognized option"
run new --note x
expect "new without -o: usage" 2 '' "-o IMAGE missing"
run new -o "$T/x.img" extra
expect "new with an extra argument: usage" 2 '' "unexpected argument 'extra'"

# A reference image: reproducible thanks to SOURCE_DATE_EPOCH.
weird=$'tab\there "q" \\ \x01 \xc3\xa9'
long=$(printf 'x%.0s' {1..200})
export SOURCE_DATE_EPOCH=1700000000
run new -o "$T/a.img" --note hello --note "$weird" --note "$long" --note ""
expect "new: 5 sections" 0 "a.img: 5 sections, [0-9]+ bytes"
check "new: no temporary file left" test -z "$(find "$T" -name '.a.img.*')"
check "new: mode 0600" test "$(stat -c %a "$T/a.img")" == 600
run new -o "$T/b.img" --note hello --note "$weird" --note "$long" --note ""
check "new: same arguments, same bytes" cmp -s "$T/a.img" "$T/b.img"
run new -o "$T/b.img" --note other
check "new: replaces an existing image" test "$(stat -c %s "$T/b.img")" -lt "$(stat -c %s "$T/a.img")"
size=$(stat -c %s "$T/a.img")

run show "$T/a.img"
expect "show: header line" 0 "a.img: crak image format 1, $size bytes, 5 sections"
check "show: one line per section" test "$(grep -Ec '^ +[0-9]+ +[0-9]+  (META|NOTE) ' <<<"$OUT")" == 5
check "show: META text" grep -Eq '^ +0 +32  META +[0-9]+  "crak, image format 1, written 2023-11-14T22:13:20Z"$' <<<"$OUT"
check "show: plain note" grep -Eq '^ +1 +[0-9]+  NOTE +5  "hello"$' <<<"$OUT"
check "show: control and non-ASCII bytes escaped" \
	grep -Fq '"tab\there \"q\" \\ \x01 \xc3\xa9"' <<<"$OUT"
check "show: long text cut" grep -Fq '"... (140 more bytes)' <<<"$OUT"
check "show: printable ASCII only" \
	test -z "$(LC_ALL=C tr -d '\n\040-\176' <<<"$OUT")"

run show - <"$T/a.img"
expect "show: standard input" 0 "\(standard input\): crak image format 1"

run show --json "$T/a.img"
json=$OUT
check "show --json: python3 -m json.tool accepts it" \
	"$PY" -m json.tool <<<"$json" >/dev/null
printf '%s' "$json" >"$T/a.json"
check "show --json: sections decode to what went in" "$PY" - "$T/a.json" "$T/a.img" "$weird" "$long" <<'EOF'
import json, os, sys

doc = json.load(open(sys.argv[1]))
weird = os.fsencode(sys.argv[3])
want = [("META", None), ("NOTE", b"hello"), ("NOTE", weird),
	("NOTE", os.fsencode(sys.argv[4])), ("NOTE", b"")]
assert doc["image"] == sys.argv[2], doc["image"]
assert doc["format_version"] == 1
assert doc["length"] == os.path.getsize(sys.argv[2])
secs = doc["sections"]
assert len(secs) == len(want), len(secs)
off = 32
for i, (s, (typ, text)) in enumerate(zip(secs, want)):
	assert s["index"] == i and s["offset"] == off, (i, s)
	assert s["type"] == typ and s["type_id"] == (1 if typ == "META" else 2)
	assert s["truncated"] is False
	# Bytes outside printable ASCII are \u00NN: latin-1 gives them back.
	got = s["text"].encode("latin-1")
	assert len(got) == s["length"], (i, s)
	if text is None:
		assert got == b"crak, image format 1, written 2023-11-14T22:13:20Z", got
	else:
		assert got == text, (i, got, text)
	off += 16 + (s["length"] + 7) // 8 * 8
assert off == doc["length"], off
EOF

run check "$T/a.img"
expect "check: valid" 0 "a.img: valid, 5 sections, $size bytes"

# Corrupt images: the codec's message, the section and the offset, exit 1.
off1=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["sections"][1]["offset"])' "$T/a.json")
cp "$T/a.img" "$T/bad.img"
printf 'J' | dd of="$T/bad.img" bs=1 seek=$((off1 + 16)) conv=notrunc status=none
run show "$T/bad.img"
check "show corrupt: exit 1, exact message, nothing listed" test "$RC:$OUT:$ERR" == \
	"1::crak: $T/bad.img: section checksum mismatch (section 1, offset $off1)"
run show --json "$T/bad.img"
check "show --json corrupt: exit 1, message, no JSON" test "$RC:$OUT:$ERR" == \
	"1::crak: $T/bad.img: section checksum mismatch (section 1, offset $off1)"
run check "$T/bad.img"
expect "check corrupt: exit 1" 1 '' "section checksum mismatch \(section 1, offset $off1\)$"

run check "$T/a.img" "$T/bad.img" "$T/b.img"
check "check of three images: each judged, exit 1" test "$RC:$(wc -l <<<"$OUT"):$ERR" == \
	"1:2:crak: $T/bad.img: section checksum mismatch (section 1, offset $off1)"

head -c $((size - 3)) "$T/a.img" >"$T/cut.img"
run show "$T/cut.img"
expect "show cut: exit 1" 1 '' "cut.img: truncated: shorter than the header says \(section 0, offset $((size - 3))\)$"
: >"$T/empty.img"
run show "$T/empty.img"
expect "show empty file: exit 1" 1 '' "empty.img: truncated: shorter than the image header \(section 0, offset 0\)$"
{ cat "$T/a.img"; printf 'x'; } >"$T/long.img"
run check "$T/long.img"
expect "check appended byte: exit 1" 1 '' "trailing bytes after the image \(section 0, offset $size\)$"
run show "$T/missing.img"
expect "show missing file: exit 1" 1 '' "missing.img: No such file or directory$"
run show "$T"
expect "show directory: exit 1" 1 '' "Is a directory$"

# Larger than the format allows: refused from its size, before reading.
truncate -s $(((1 << 30) + 1)) "$T/huge.img"
run show "$T/huge.img"
expect "show oversized: refused" 1 '' "huge.img: 1073741825 bytes: larger than the image format allows \(1073741824 bytes\)$"
if [[ $LABEL == crak ]]; then
	# Not under ASan, whose shadow memory needs more address space.
	OUT=$( (ulimit -v 65536; "$CRAK" check "$T/huge.img") 2>"$T/stderr")
	RC=$?
	ERR=$(<"$T/stderr")
	expect "check oversized under a 64 MiB address space limit" 1 '' "larger than the image format allows"
fi
rm -f "$T/huge.img"

# Writing: failures leave nothing behind, "-" is standard output.
run new -o "$T/nodir/x.img"
expect "new into a missing directory: exit 1" 1 '' "nodir/\.x\.img\.[A-Za-z0-9]{6}: No such file or directory"
mkdir "$T/dir"
run new -o "$T/dir"
expect "new over a directory: exit 1" 1 '' "dir: Is a directory"
check "new over a directory: temporary file removed" test -z "$(find "$T" -name '.dir.*')"
OUT=$("$CRAK" new -o - --note piped | "$CRAK" show - 2>&1)
RC=$?
expect "new -o - | show -" 0 '"piped"'
SOURCE_DATE_EPOCH=soon run new -o "$T/c.img"
expect "new: bad SOURCE_DATE_EPOCH" 1 '' "SOURCE_DATE_EPOCH: 'soon' is not a number"

# The module is not needed for what the tool knows by itself.
run version --device "$T/no-such-device"
expect "version without the module" 0 "crak tool: image format version 1, ioctl ABI 1" ''
check "version without the module: says not loaded" grep -q "crak.ko: not loaded (no $T/no-such-device)" <<<"$OUT"
run --version
expect "--version" 0 "crak tool: image format version 1"
run version --device /dev/null
expect "version on a device that is not crak: exit 1" 1 '' "/dev/null: CRAK_IOC_VERSION: Inappropriate ioctl for device: not a crak device"
run check --kernel --device "$T/no-such-device" "$T/a.img"
expect "check --kernel without the module: exit 1" 1 "a.img: valid" "no-such-device: No such file or directory: is crak.ko loaded\?"

# crak inspect: usage errors, exactly: nothing on stdout, exit 2.
# usage_exact NAME MESSAGE ARGS...: MESSAGE then where help is, on stderr.
usage_exact() {
	local name=$1 msg=$2

	shift 2
	run "$@"
	check "$name" test "$RC:$OUT:$ERR" == \
		"2::$msg"$'\n'"Try 'crak inspect --help'."
}

usage_exact "inspect without PID: usage" "crak: inspect: PID missing" inspect
usage_exact "inspect --json without PID: usage" "crak: inspect: PID missing" \
	inspect --json
for pid in abc "" " 1" +1 1x 0x10 1.0; do
	usage_exact "inspect '$pid': not a PID" \
		"crak: inspect: '$pid' is not a PID (a decimal number from 1 to 4194304)" \
		inspect "$pid"
done
for pid in 0 00 4194305 99999999999999999999999; do
	usage_exact "inspect $pid: out of range" \
		"crak: inspect: PID '$pid' out of range (1 to 4194304)" inspect "$pid"
done
usage_exact "inspect with an extra argument: usage" \
	"crak: inspect: unexpected argument '2'" inspect 1 2
usage_exact "inspect with an extra argument after --json: usage" \
	"crak: inspect: unexpected argument 'x'" inspect --json 1 x
usage_exact "inspect with an unknown option: usage" \
	"crak inspect: unrecognized option '--frob'" inspect --frob 1
usage_exact "inspect with a negative PID: usage" \
	"crak inspect: invalid option -- '1'" inspect -1
usage_exact "inspect --device without PATH: usage" \
	"crak inspect: option requires an argument -- 'd'" inspect 1 -d
usage_exact "inspect -- -1: not a PID" \
	"crak: inspect: '-1' is not a PID (a decimal number from 1 to 4194304)" \
	inspect -- -1

# Without the module: a clear message, exit 1, nothing on stdout.
if [[ -e /dev/crak ]]; then
	ok "inspect 1 without the module # SKIP /dev/crak exists here"
else
	run inspect 1
	check "inspect 1 without the module: exit 1, says not loaded" \
		test "$RC:$OUT:$ERR" == \
		"1::crak: /dev/crak: No such file or directory: crak.ko is not loaded"
fi
run inspect --json 4194304 --device "$T/no-such-device"
check "inspect --json, no device: exit 1, no JSON" test "$RC:$OUT:$ERR" == \
	"1::crak: $T/no-such-device: No such file or directory: crak.ko is not loaded"
run inspect -d /dev/null 1
check "inspect on a device that is not crak: exit 1" test "$RC:$OUT:$ERR" == \
	"1::crak: /dev/null: CRAK_IOC_INSPECT: Inappropriate ioctl for device: not a crak device"

# The output formats, from a stand-in for the module: an LD_PRELOAD
# library answering CRAK_IOC_INSPECT and CRAK_IOC_VERSION on any device
# (here /dev/null), with the sockets of FAKE_CRAK's scenario.
cat >"$T/fake.c" <<'EOF'
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/crak.h>

#define START	123456789012ULL

static int calls;

static void sk(struct crak_sock_info *s, int fd, int fam, int type,
	       int proto, int state, int verdict, const char *src, int sport,
	       const char *dst, int dport, unsigned int rx, unsigned int tx,
	       unsigned int backlog)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->family = fam;
	s->type = type;
	s->protocol = proto;
	s->state = state;
	s->verdict = verdict;
	s->src_port = htons(sport);
	s->dst_port = htons(dport);
	if (src)
		inet_pton(fam, src, s->src_addr);
	if (dst)
		inet_pton(fam, dst, s->dst_addr);
	s->rx_queue = rx;
	s->tx_queue = tx;
	s->backlog = backlog;
}

static int inspect(struct crak_inspect *a)
{
	struct crak_sock_info l[16], *buf = (void *)(unsigned long)a->buf;
	const char *how = getenv("FAKE_CRAK");
	unsigned int i, n = 0, total;

	if (!how)
		return -ENODEV;
	/* The calls the tool makes: 256 entries, then as many as needed. */
	if (++calls > 2 || a->pid != 4242 || a->max != (calls == 1 ? 256 : 300))
		return -EINVAL;
	if (a->start_time != (calls == 1 ? 0 : START))
		return -EINVAL;
	if (!strcmp(how, "old"))
		return -ENOTTY;
	if (!strcmp(how, "eperm"))
		return -EPERM;
	if (!strcmp(how, "esrch") || (calls == 2 && !strcmp(how, "reused")))
		return -ESRCH;
	a->start_time = START;
	if (!strcmp(how, "list")) {
		/* Out of order: the tool sorts them by descriptor. */
		sk(&l[n++], 4, AF_INET6, SOCK_STREAM, IPPROTO_TCP, 1, 0,
		   "fd77::2", 8080, "fd77::1", 40000, 0, 1460, 0);
		sk(&l[n++], 3, AF_INET, SOCK_STREAM, IPPROTO_TCP, 10, 0,
		   "0.0.0.0", 8080, NULL, 0, 0, 0, 2);
		sk(&l[n++], 5, AF_INET, SOCK_DGRAM, IPPROTO_UDP, 7, 0,
		   "0.0.0.0", 5353, NULL, 0, 2304, 0, 0);
		sk(&l[n++], 6, AF_UNIX, SOCK_STREAM, 0, 1, 1,
		   NULL, 0, NULL, 0, 0, 0, 0);
		sk(&l[n++], 7, AF_INET, SOCK_STREAM, IPPROTO_TCP, 2, 3,
		   "10.0.0.2", 51000, "10.0.0.1", 80, 0, 0, 0);
		sk(&l[n++], 8, AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 1, 0,
		   "::", 40001, "fd77::1", 53, 0, 0, 0);
		sk(&l[n++], 9, AF_INET, SOCK_RAW, IPPROTO_ICMP, 7, 2,
		   "0.0.0.0", 0, NULL, 0, 0, 0, 0);
		sk(&l[n++], 10, AF_NETLINK, SOCK_RAW, 0, 7, 1,
		   NULL, 0, NULL, 0, 0, 0, 0);
		sk(&l[n++], 11, 99, 42, 7, 0, 9, NULL, 0, NULL, 0, 0, 0, 0);
		sk(&l[n++], 12, AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6, 7, 2,
		   "::", 0, NULL, 0, 0, 0, 0);
		for (i = 0; i < n; i++)
			buf[i] = l[i];
		a->fds = 14;
		a->count = n;
		return 0;
	}
	if (!strcmp(how, "none")) {
		a->fds = 3;
		a->count = 0;
		return 0;
	}
	/* many: 300 sockets; grow: 310 by the second call. */
	total = calls == 2 && !strcmp(how, "grow") ? 310 : 300;
	for (i = 0; i < total && i < a->max; i++)
		sk(&buf[i], 1000 + i, AF_INET, SOCK_STREAM, IPPROTO_TCP, 1, 0,
		   "10.0.0.2", 8080, "10.0.0.1", 1000 + i, i, 0, 0);
	a->fds = total + 3;
	a->count = total;
	return 0;
}

int ioctl(int fd, unsigned long req, ...)
{
	int (*next)(int, unsigned long, ...);
	struct crak_version *v;
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (req == CRAK_IOC_VERSION) {
		v = arg;
		v->abi = CRAK_ABI_VERSION;
		v->image_version = CRAK_IMAGE_VERSION;
		return 0;
	}
	if (req != CRAK_IOC_INSPECT) {
		next = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
		return next(fd, req, arg);
	}
	ret = inspect(arg);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}
EOF
UAPI=$(realpath "$(dirname "$0")/../../include/uapi")
if ! "${CC:-cc}" -shared -fPIC -D_GNU_SOURCE -I"$UAPI" -o "$T/fake.so" \
	"$T/fake.c" -ldl 2>"$T/cc.log"; then
	ok "inspect output formats # SKIP cannot build the stand-in: $(head -1 "$T/cc.log")"
else
	# fake SCENARIO ARGS...: the tool against the stand-in.
	fake() {
		local how=$1

		shift
		OUT=$(FAKE_CRAK=$how LD_PRELOAD="$T/fake.so" \
		      ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		      "$CRAK" "$@" 2>"$T/stderr")
		RC=$?
		ERR=$(<"$T/stderr")
	}

	fake list inspect --device /dev/null 4242
	want='4242: 14 descriptors, 10 sockets, 6 that a checkpoint cannot take
fd 3   tcp        LISTEN       0.0.0.0:8080    *:*              backlog 2
fd 4   tcp6       ESTABLISHED  [fd77::2]:8080  [fd77::1]:40000  rx 0 tx 1460
fd 5   udp        UNCONN       0.0.0.0:5353    *:*              rx 2304
fd 6   unix       stream       -               -                cannot checkpoint: family
fd 7   tcp        SYN_SENT     10.0.0.2:51000  10.0.0.1:80      cannot checkpoint: state SYN_SENT
fd 8   udp6       ESTAB        [::]:40001      [fd77::1]:53     rx 0
fd 9   inet-raw   raw          0.0.0.0:*       *:*              cannot checkpoint: protocol
fd 10  netlink    raw          -               -                cannot checkpoint: family
fd 11  family 99  type 42      -               -                cannot checkpoint: verdict 9
fd 12  icmp6      dgram        [::]:*          *:*              cannot checkpoint: protocol'
	check "inspect: text output, exit 0" test "$RC:$OUT:$ERR" == "0:$want:"

	fake list inspect --json --device /dev/null 4242
	printf '%s' "$OUT" >"$T/inspect.json"
	check "inspect --json: exit 0, nothing on stderr" test "$RC:$ERR" == "0:"
	check "inspect --json: the sockets, field by field" "$PY" - "$T/inspect.json" <<'EOF'
import json, sys

doc = json.load(open(sys.argv[1]))
assert list(doc) == ["pid", "start_time_ns", "descriptors", "socket_count",
		     "cannot_checkpoint", "truncated", "sockets"], list(doc)
assert (doc["pid"], doc["start_time_ns"], doc["descriptors"]) == \
	(4242, 123456789012, 14), doc
assert (doc["socket_count"], doc["cannot_checkpoint"], doc["truncated"]) == \
	(10, 6, False), doc
keys = ["fd", "family", "type", "protocol", "state", "state_id", "src",
	"sport", "dst", "dport", "rx_queue", "tx_queue", "backlog",
	"checkpoint", "verdict", "reason"]
want = [
	[3, "inet", "stream", "tcp", "LISTEN", 10, "0.0.0.0", 8080, "0.0.0.0", 0, 0, 0, 2, True, 0, None],
	[4, "inet6", "stream", "tcp", "ESTABLISHED", 1, "fd77::2", 8080, "fd77::1", 40000, 0, 1460, 0, True, 0, None],
	[5, "inet", "dgram", "udp", "UNCONN", 7, "0.0.0.0", 5353, "0.0.0.0", 0, 2304, 0, 0, True, 0, None],
	[6, "unix", "stream", 0, None, 1, None, None, None, None, 0, 0, 0, False, 1, "family"],
	[7, "inet", "stream", "tcp", "SYN_SENT", 2, "10.0.0.2", 51000, "10.0.0.1", 80, 0, 0, 0, False, 3, "state"],
	[8, "inet6", "dgram", "udp", "ESTAB", 1, "::", 40001, "fd77::1", 53, 0, 0, 0, True, 0, None],
	[9, "inet", "raw", "icmp", None, 7, "0.0.0.0", 0, "0.0.0.0", 0, 0, 0, 0, False, 2, "protocol"],
	[10, "netlink", "raw", 0, None, 7, None, None, None, None, 0, 0, 0, False, 1, "family"],
	[11, 99, 42, 7, None, 0, None, None, None, None, 0, 0, 0, False, 9, "unknown"],
	[12, "inet6", "dgram", "icmp6", None, 7, "::", 0, "::", 0, 0, 0, 0, False, 2, "protocol"],
]
assert len(doc["sockets"]) == len(want), len(doc["sockets"])
for s, w in zip(doc["sockets"], want):
	assert list(s) == keys, list(s)
	assert [s[k] for k in keys] == w, (s, w)
EOF

	fake none inspect -d /dev/null 4242
	check "inspect: no sockets" test "$RC:$OUT:$ERR" == \
		"0:4242: 3 descriptors, 0 sockets, 0 that a checkpoint cannot take:"
	fake none inspect -j -d /dev/null 4242
	check "inspect --json: no sockets" "$PY" -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["sockets"] == [] and d["socket_count"] == 0 and d["truncated"] is False
' "$OUT"

	# More sockets than the first call has room for: a second call, with
	# the start time, and every socket listed.
	fake many inspect -d /dev/null 4242
	check "inspect: 300 sockets, asked twice, all listed" test \
		"$RC:$(head -1 <<<"$OUT"):$(grep -c '^fd ' <<<"$OUT"):$(tail -1 <<<"$OUT"):$ERR" == \
		"0:4242: 303 descriptors, 300 sockets, 0 that a checkpoint cannot take:300:fd 1299  tcp  ESTABLISHED  10.0.0.2:8080  10.0.0.1:1299  rx 299 tx 0:"
	fake grow inspect -d /dev/null 4242
	check "inspect: sockets opened between the calls: counted, a warning" test \
		"$RC:$(head -1 <<<"$OUT"):$(grep -c '^fd ' <<<"$OUT"):$ERR" == \
		"0:4242: 313 descriptors, 310 sockets (300 listed), 0 that a checkpoint cannot take:300:crak: warning: 4242: 10 of its 310 sockets not listed: the process opened them while it was inspected"
	fake grow inspect -j -d /dev/null 4242
	check "inspect --json: sockets opened between the calls: truncated" "$PY" -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["socket_count"] == 310 and d["truncated"] is True and len(d["sockets"]) == 300
' "$OUT"
	fake reused inspect -d /dev/null 4242
	check "inspect: PID reused between the calls: exit 1" test "$RC:$OUT:$ERR" == \
		"1::crak: no process 4242: it exited, or its PID was reused, while it was inspected"

	# The errors of the permission model.
	fake eperm inspect -j -d /dev/null 4242
	check "inspect: EPERM explained, exit 1" test "$RC:$OUT:$ERR" == \
		"1::crak: you may not inspect 4242: needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN, and the right to ptrace it (same uids/gids, or CAP_SYS_PTRACE; the target must be dumpable)"
	fake esrch inspect -d /dev/null 4242
	check "inspect: ESRCH is no process, exit 1" test "$RC:$OUT:$ERR" == \
		"1::crak: no process 4242"
	fake old inspect -d /dev/null 4242
	check "inspect: a module without CRAK_IOC_INSPECT, exit 1" test "$RC:$OUT:$ERR" == \
		"1::crak: /dev/null: CRAK_IOC_INSPECT: Inappropriate ioctl for device: crak.ko does not know CRAK_IOC_INSPECT (an older module?)"
fi

# crak checkpoint: usage errors, exactly: nothing on stdout, exit 2.
usage_ckpt() {
	local name=$1 msg=$2

	shift 2
	run "$@"
	check "$name" test "$RC:$OUT:$ERR" == \
		"2::$msg"$'\n'"Try 'crak checkpoint --help'."
}
usage_ckpt "checkpoint without PID: usage" "crak: checkpoint: PID missing" \
	checkpoint -o x.img
usage_ckpt "checkpoint without -o: usage" "crak: checkpoint: -o IMAGE missing" \
	checkpoint 1
usage_ckpt "checkpoint with an empty -o: usage" "crak: checkpoint: -o IMAGE missing" \
	checkpoint -o '' 1
usage_ckpt "checkpoint 'x': not a PID" \
	"crak: checkpoint: 'x' is not a PID (a decimal number from 1 to 4194304)" \
	checkpoint -o x.img x
usage_ckpt "checkpoint 0: out of range" \
	"crak: checkpoint: PID '0' out of range (1 to 4194304)" checkpoint -o x.img 0
usage_ckpt "checkpoint with an extra argument: usage" \
	"crak: checkpoint: unexpected argument '2'" checkpoint -o x.img 1 2
usage_ckpt "checkpoint --kill --leave-running: usage" \
	"crak: checkpoint: --leave-running and --kill exclude each other" \
	checkpoint --kill --leave-running -o x.img 1
usage_ckpt "checkpoint -o without IMAGE: usage" \
	"crak checkpoint: option requires an argument -- 'o'" checkpoint 1 -o
run checkpoint --skip-unsupported --leave-running -o "$T/c.img" -d "$T/no-such-device" 1
check "checkpoint, no device: exit 1, not loaded, nothing written" \
	test "$RC:$OUT:$ERR:$(ls "$T" | grep -c c.img)" == \
	"1::crak: $T/no-such-device: No such file or directory: crak.ko is not loaded:0"
run checkpoint -o "$T/c.img" -d /dev/null 1
check "checkpoint on a device that is not crak: exit 1" test "$RC:$OUT:$ERR" == \
	"1::crak: /dev/null: CRAK_IOC_CHECKPOINT: Inappropriate ioctl for device: not a crak device"

# crak restart: usage errors exactly; what fails before the module is asked.
usage_rst() {
	local name=$1 msg=$2

	shift 2
	run "$@"
	check "$name" test "$RC:$OUT:$ERR" == \
		"2::$msg"$'\n'"Try 'crak restart --help'."
}
usage_rst "restart without IMAGE: usage" "crak: restart: IMAGE missing" restart
usage_rst "restart without COMMAND: usage" \
	"crak: restart: COMMAND missing (the program that takes the sockets over)" \
	restart x.img
usage_rst "restart with -- and no COMMAND: usage" \
	"crak: restart: COMMAND missing (the program that takes the sockets over)" \
	restart x.img --
usage_rst "restart --netns '': usage" "crak: restart: --netns needs a name or a path" \
	restart --netns '' x.img true
usage_rst "restart --bogus: usage" "crak restart: unrecognized option '--bogus'" \
	restart --bogus x.img true
run restart "$T/a.img" -- no-such-command-here
check "restart: a command not found, exit 127 before anything" test "$RC:$OUT:$ERR" == \
	"127::crak: no-such-command-here: command not found"
run restart "$T/a.img" -- /etc/passwd
check "restart: a command not executable, exit 126" test "$RC:$OUT:$ERR" == \
	"126::crak: /etc/passwd: Permission denied"
run restart "$T/no-such.img" -- true
check "restart: no image, exit 1" test "$RC:$OUT:$ERR" == \
	"1::crak: $T/no-such.img: No such file or directory"
printf 'not an image at all, but long enough for the header' >"$T/junk.img"
run restart "$T/junk.img" -- true
check "restart: not an image, exit 1, said by the codec" test "$RC:$OUT:$ERR" == \
	"1::crak: $T/junk.img: not a crak image (bad magic) (section 0, offset 0)"
run restart --device "$T/no-such-device" "$T/a.img" -- true
check "restart, no device: exit 1, not loaded" test "$RC:$OUT:$ERR" == \
	"1::crak: $T/no-such-device: No such file or directory: crak.ko is not loaded"
run restart --device /dev/null "$T/a.img" -- true
check "restart on a device that is not crak: exit 1" test "$RC:$OUT:$ERR" == \
	"1::crak: /dev/null: CRAK_IOC_RESTORE: Inappropriate ioctl for device: not a crak device"
run restart --netns "$T/no-such-ns" "$T/a.img" -- true
check "restart --netns PATH that does not exist: exit 1" test "$RC:$OUT:$ERR" == \
	"1::crak: $T/no-such-ns: No such file or directory"

# crak restart and the image's VNIF sections: images from mkvnif.py,
# which the codec must accept; what the options ask must fit them.
VIMG=$(dirname "$(realpath "$0")")/mkvnif.py
"$PY" "$VIMG" "$T/v1.img" eth0,2,3,5 && "$PY" "$VIMG" "$T/v2.img" eth0 eth1,0,0,0
run check "$T/v1.img" "$T/v2.img"
check "mkvnif.py: images the codec accepts" test "$RC:$ERR" == "0:"
for opt in "--bridge br0" "--host-ifname h0" "--hold"; do
	usage_rst "restart $opt, an image without VNIF: usage" \
		"crak: restart: ${opt%% *}: $T/a.img has no VNIF section, no vnif pair to make" \
		restart $opt --netns "$T/ns" "$T/a.img" true
done
usage_rst "restart of VNIF sections without --netns: usage" \
	"crak: restart: $T/v1.img has 1 VNIF section: --netns is needed for the vnif pair (or --no-vnif)" \
	restart "$T/v1.img" true
usage_rst "restart of two VNIF sections without --netns: usage" \
	"crak: restart: $T/v2.img has 2 VNIF sections: --netns is needed for the vnif pairs (or --no-vnif)" \
	restart --bridge br0 "$T/v2.img" true
usage_rst "restart --host-ifname with two VNIF sections: usage" \
	"crak: restart: --host-ifname names one pair, and $T/v2.img has 2 VNIF sections" \
	restart --netns "$T/ns" --host-ifname h0 "$T/v2.img" true
for opt in "--bridge br0" "--host-ifname h0" "--hold"; do
	usage_rst "restart --no-vnif $opt: usage" \
		"crak: restart: --no-vnif excludes ${opt%% *}: it leaves the VNIF sections out" \
		restart --no-vnif $opt "$T/v1.img" true
done
usage_rst "restart --bridge '': usage" "crak: restart: --bridge needs an interface name" \
	restart --bridge '' "$T/v1.img" true
usage_rst "restart --host-ifname of 16 bytes: usage" \
	"crak: restart: --host-ifname: 'abcdefghijklmnop' is longer than 15 bytes" \
	restart --host-ifname abcdefghijklmnop "$T/v1.img" true
run restart --no-vnif --device "$T/no-such-device" "$T/v1.img" -- true
check "restart --no-vnif: VNIF sections need no --netns then" test "$RC:$OUT:$ERR" == \
	"1::crak: $T/no-such-device: No such file or directory: crak.ko is not loaded"
run restart --netns "$T/no-such-ns" --bridge br0 "$T/v1.img" -- true
check "restart of VNIF sections, --netns PATH that does not exist: exit 1" \
	test "$RC:$OUT:$ERR" == "1::crak: $T/no-such-ns: No such file or directory"
if [[ $(id -u) == 0 ]]; then
	: >"$T/not-a-ns"
	run restart --netns "$T/not-a-ns" --device /dev/null "$T/v1.img" -- true
	check "restart of VNIF sections, --netns not a netns: exit 1, nothing made" \
		test "$RC:$OUT:$ERR" == "1::crak: restart: netns $T/not-a-ns: cannot enter netns $T/not-a-ns: not a network namespace"
fi

# crak show on the codec's checkpoint reference (tests/host/image_test.c).
if [[ -x ./image_test ]] && ./image_test --write-checkpoint "$T/ck.img"; then
	run show "$T/ck.img"
	expect "show checkpoint: header line" 0 "ck.img: crak image format 1, 60680 bytes, 5 sections"
	check "show checkpoint: TASK line" grep -Eq \
		'^ +0 +32  TASK +40  pid 4242 "python3" started 123456789012 ns after boot, 2 sockets$' <<<"$OUT"
	check "show checkpoint: IPv4 SOCK line" grep -Eq \
		'^ +1 +88  SOCK +112  fd 3 udp UNCONN 0.0.0.0:5353 \*:\* cloexec reuseaddr broadcast port_bound$' <<<"$OUT"
	check "show checkpoint: IPv6 SOCK line" grep -Fq \
		'fd 5 udp6 ESTAB [::1]:6000 [::1]:7 nonblock cloexec reuseport v6only addr_bound port_bound rcvbuf=65536 priority=3 mark=119 rcvlowat=2 tos=16 tclass=32 ttl=9 hops=0 no_check6_rx gso_size=1200' <<<"$OUT"
	check "show checkpoint: queue line" grep -Fq \
		'SOCK_QUEUE      60120  fd 5 receive queue: 2 datagrams, 60008 bytes' <<<"$OUT"
	check "show checkpoint: one line per datagram" test \
		"$(grep -Ec '^ +#[0-9]+ ' <<<"$OUT")" == 5
	check "show checkpoint: datagram line" grep -Eq \
		'^ +#0 10\.0\.0\.2:4000 -> 10\.0\.0\.1:5353 5 bytes "hello"$' <<<"$OUT"
	run show --json "$T/ck.img"
	printf '%s\n' "$OUT" >"$T/ck.json"
	check "show --json checkpoint: every field, every digest" "$PY" - "$T/ck.json" <<'EOF'
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
s = d["sections"]
assert [x["type"] for x in s] == ["TASK", "SOCK", "SOCK_QUEUE", "SOCK", "SOCK_QUEUE"]
assert s[0]["task"] == {"pid": 4242, "comm": "python3",
                        "start_time_ns": 123456789012, "sockets": 2}
k = s[3]["socket"]
assert (k["fd"], k["kind"], k["state"], k["local"], k["lport"], k["peer"], k["pport"]) == \
    (5, "udp6", "ESTAB", "::1", 6000, "::1", 7)
assert k["ttl"] == 9 and k["hops"] == 0 and s[1]["socket"]["ttl"] is None
def byte(n, i):
    return b"hello"[i] if n == 5 else (i * 7 + n) & 255
got = []
for q in (s[2]["queue"], s[4]["queue"]):
    for g in q["datagrams"]:
        p = bytes(byte(g["length"], i) for i in range(g["length"]))
        assert g["sha256"] == hashlib.sha256(p).hexdigest(), g
        assert g["head"] == p[:16].hex(), g
        got.append((q["fd"], g["family"], g["src"], g["sport"], g["length"]))
assert got == [(3, "inet", "10.0.0.2", 4000, 5), (3, "inet", "10.0.0.3", 4001, 0),
               (3, "inet", "10.0.0.2", 4002, 9), (5, "inet", "10.0.0.2", 4003, 60000),
               (5, "inet6", "::1", 4004, 8)], got
EOF
else
	nok "checkpoint reference image" "./image_test --write-checkpoint failed"
fi

# crak show on the codec's VNIF references (tests/host/image_test.c): a
# vnif device with its addresses, routes and held frames, alone (vn0) and
# after the checkpoint reference's sockets with a second device (vn1).
# pcap_expect NAME IMAGE PCAP: PCAP must be, byte for byte, the pcapng the
# image's frames make: one interface (named when one device), one
# Enhanced Packet Block per frame with its time and direction.
pcap_expect() {
	check "$1" "$PY" - "$2" "$3" <<'EOF'
import struct, sys

img = open(sys.argv[1], "rb").read()
got = open(sys.argv[2], "rb").read()

def pad4(b):
	return b + bytes(-len(b) % 4)

def opt(code, val):
	return struct.pack("<HH", code, len(val)) + pad4(val)

def block(kind, body):
	n = 12 + len(body)
	return struct.pack("<II", kind, n) + body + struct.pack("<I", n)

# The image, walked by hand: VNIF names, VNIF_QUEUE frames.
names, frames = [], []
n = struct.unpack_from("<I", img, 24)[0]
off = 32
for _ in range(n):
	typ, ln = struct.unpack_from("<HxxI", img, off)
	p = img[off + 16:off + 16 + ln]
	if typ == 7:
		names.append(p[:16].rstrip(b"\0"))
	elif typ == 8:
		q = 8
		for _ in range(struct.unpack_from("<I", p, 0)[0]):
			d, fl, ts = struct.unpack_from("<BxxxIQ", p, q)
			frames.append((d, ts, p[q + 16:q + 16 + fl]))
			q += 16 + (fl + 7) // 8 * 8
	off += 16 + (ln + 7) // 8 * 8
want = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) +
	     opt(4, b"crak show") + opt(0, b""))
idb = struct.pack("<HHI", 1, 0, 65535)
if len(names) == 1:
	idb += opt(2, names[0])
want += block(1, idb + opt(9, b"\x09") + opt(0, b""))
for d, ts, data in frames:
	want += block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xffffffff,
				     len(data), len(data)) + pad4(data) +
		      opt(2, struct.pack("<I", 2 if d else 1)) + opt(0, b""))
assert frames, "no frame in the image"
assert got == want, (len(got), len(want))
EOF
}

if [[ -x ./image_test ]] && ./image_test --write-vnif-checkpoint "$T/vn.img" &&
	./image_test --write-vnifs-checkpoint "$T/vns.img"; then
	run show "$T/vn.img"
	expect "show VNIF: header line" 0 "vn.img: crak image format 1, 432 bytes, 3 sections"
	pad=$(printf '%39s' '')
	check "show VNIF: the device, its addresses and routes" test "$(sed -n 4,8p <<<"$OUT")" == \
"    1         88  VNIF              208  vn0 mac 02:00:00:00:60:02 mtu 1500 up frozen limit 65536 packets 67108864 bytes deadline 5000 ms release, 2 addresses, 2 routes, 2 frames 53 bytes
$pad  inet 10.60.0.2/24 scope global permanent
$pad  inet6 fd00:60::2/64 scope global nodad permanent
$pad  default via 10.60.0.1 proto static metric 0 table main
$pad  fd00:61::/48 proto boot scope link metric 1024 table 100"
	check "show VNIF: the queue, a line per frame" test "$(sed -n '9,$p' <<<"$OUT")" == \
"    2        312  VNIF_QUEUE        104  vn0: 2 frames 53 bytes: ingress 1 (33 bytes), egress 1 (20 bytes)
$pad  #0 ingress 33 bytes at 1700000000.123456789 02:00:00:00:60:01 > 02:00:00:00:60:02 ethertype 0x88b5
$pad  #1 egress 20 bytes at 1700000000.123457789 02:00:00:00:60:02 > 02:00:00:00:60:01 ethertype 0x88b5"

	run show "$T/vns.img"
	expect "show two VNIFs after sockets" 0 "vns.img: crak image format 1, 61232 bytes, 10 sections"
	check "show two VNIFs: the second device" grep -Fxq \
		"    8      61048  VNIF              112  vn1.long-name15 mac 02:00:00:00:61:02 mtu 9000 down limit 16 packets 2048 bytes deadline 250 ms drop, 0 addresses, 1 route, 1 frame 14 bytes" <<<"$OUT"
	check "show two VNIFs: a route without names" grep -Fxq \
		"$pad  unreachable 192.0.2.0/24 proto 77 scope 100 metric 5 table 1000" <<<"$OUT"
	check "show two VNIFs: the queue names its device" grep -Fq \
		"VNIF_QUEUE         40  vn1.long-name15: 1 frame 14 bytes: ingress 0 (0 bytes), egress 1 (14 bytes)" <<<"$OUT"
	check "show two VNIFs: printable ASCII only" \
		test -z "$(LC_ALL=C tr -d '\n\040-\176' <<<"$OUT")"

	run show --json "$T/vns.img"
	printf '%s\n' "$OUT" >"$T/vns.json"
	check "show --json VNIF: every field, every frame's digest" "$PY" - "$T/vns.json" <<'EOF'
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
s = d["sections"]
assert [x["type"] for x in s][5:] == ["SOCK_QUEUE", "VNIF", "VNIF_QUEUE", "VNIF", "VNIF_QUEUE"]
assert [x["type_id"] for x in s][6:] == [7, 8, 7, 8]
v = s[6]["vnif"]
assert v == {
    "name": "vn0", "mac": "02:00:00:00:60:02", "mtu": 1500, "up": True,
    "frozen": True, "limit_packets": 65536, "limit_bytes": 67108864,
    "deadline_ms": 5000, "deadline_policy": "release", "frames": 2,
    "frame_bytes": 53,
    "addresses": [
        {"family": "inet", "address": "10.60.0.2", "prefixlen": 24,
         "scope": "global", "scope_id": 0, "flags": 128},
        {"family": "inet6", "address": "fd00:60::2", "prefixlen": 64,
         "scope": "global", "scope_id": 0, "flags": 130}],
    "routes": [
        {"family": "inet", "dst": "0.0.0.0", "dst_len": 0,
         "gateway": "10.60.0.1", "type": "unicast", "type_id": 1,
         "protocol": "static", "protocol_id": 4, "scope": "global",
         "scope_id": 0, "table": "main", "table_id": 254, "metric": 0},
        {"family": "inet6", "dst": "fd00:61::", "dst_len": 48,
         "gateway": None, "type": "unicast", "type_id": 1,
         "protocol": "boot", "protocol_id": 3, "scope": "link",
         "scope_id": 253, "table": "100", "table_id": 100, "metric": 1024}]}, v
w = s[8]["vnif"]
assert (w["name"], w["up"], w["frozen"], w["mtu"], w["deadline_ms"],
        w["deadline_policy"], w["addresses"], len(w["routes"])) == \
    ("vn1.long-name15", False, False, 9000, 250, "drop", [], 1), w
assert w["routes"][0]["type"] == "unreachable" and w["routes"][0]["protocol"] == "77"
dev = {"vn0": bytes.fromhex("020000006002"), "vn1.long-name15": bytes.fromhex("020000006102")}
peer = bytes.fromhex("020000006001")
want = {"vn0": [("ingress", 33, 1700000000123456789), ("egress", 20, 1700000000123457789)],
        "vn1.long-name15": [("egress", 14, 1700000001000000000)]}
for i in (7, 9):
    q = s[i]["vnif_queue"]
    name = q["vnif"]
    fr = q["frames"]
    assert [(f["dir"], f["length"], f["tstamp_ns"]) for f in fr] == want[name], fr
    assert q["count"] == len(fr)
    assert q["ingress"] + q["egress"] == len(fr)
    assert q["bytes"] == q["ingress_bytes"] + q["egress_bytes"] == sum(f["length"] for f in fr)
    for k, f in enumerate(fr):
        a, b = (dev[name], peer) if f["dir"] == "ingress" else (peer, dev[name])
        p = a + b + b"\x88\xb5" + bytes((j * 3 + f["length"]) & 255 for j in range(14, f["length"]))
        assert f["index"] == k and f["ethertype"] == 0x88b5
        assert f["dst"] == a.hex(":") and f["src"] == b.hex(":"), f
        assert f["sha256"] == hashlib.sha256(p).hexdigest(), f
        assert f["head"] == p[:16].hex(), f
EOF

	# --pcap: the frames as pcapng, byte for byte; tcpdump reads it.
	run show --pcap "$T/vn.pcap" "$T/vn.img"
	expect "show --pcap FILE: the listing, then what was written" 0 \
		"^$T/vn.pcap: 2 frames of 1 vnif device written as pcapng$"
	check "show --pcap FILE: the listing too" grep -q "VNIF_QUEUE" <<<"$OUT"
	check "show --pcap FILE: mode 0600" test "$(stat -c %a "$T/vn.pcap")" == 600
	pcap_expect "show --pcap: one device, byte-exact pcapng" "$T/vn.img" "$T/vn.pcap"
	run show --pcap "$T/vns.pcap" "$T/vns.img"
	expect "show --pcap, two devices" 0 "vns.pcap: 3 frames of 2 vnif devices written as pcapng$"
	pcap_expect "show --pcap: two devices, one unnamed interface, byte-exact" \
		"$T/vns.img" "$T/vns.pcap"
	"$CRAK" show --pcap - "$T/vns.img" >"$T/stdout.pcap" 2>"$T/stderr"
	check "show --pcap -: the capture alone on standard output" \
		cmp -s "$T/vns.pcap" "$T/stdout.pcap"
	run show --json --pcap "$T/j.pcap" "$T/vns.img"
	printf '%s\n' "$OUT" >"$T/j.json"
	check "show --json --pcap FILE: the JSON says what was written" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["pcap"] == {"file": sys.argv[2], "frames": 3, "interfaces": 2}, d["pcap"]' \
		"$T/j.json" "$T/j.pcap"
	check "show --json --pcap FILE: same capture" cmp -s "$T/vns.pcap" "$T/j.pcap"
	run show --pcap "$T/none.pcap" "$T/a.img"
	expect "show --pcap without VNIF: an empty capture" 0 \
		"none.pcap: 0 frames of 0 vnif devices written as pcapng$"
	check "show --pcap without VNIF: a header and no packet" test \
		"$(od -An -tx1 -N4 "$T/none.pcap" | tr -d ' '):$(stat -c %s "$T/none.pcap")" == \
		"0a0d0d0a:80"
	if command -v tcpdump >/dev/null; then
		OUT=$(tcpdump -r "$T/vns.pcap" -nn -e -tt 2>&1)
		check "show --pcap: tcpdump reads the frames, times and lengths" test \
			"$(grep -Eo '^[0-9.]+ [0-9a-f:]+ > [0-9a-f:]+, ethertype Unknown \(0x88b5\), length [0-9]+' <<<"$OUT")" == \
"1700000000.123456 02:00:00:00:60:01 > 02:00:00:00:60:02, ethertype Unknown (0x88b5), length 33
1700000000.123457 02:00:00:00:60:02 > 02:00:00:00:60:01, ethertype Unknown (0x88b5), length 20
1700000001.000000 02:00:00:00:61:02 > 02:00:00:00:60:01, ethertype Unknown (0x88b5), length 14"
		OUT=$(tcpdump -r "$T/none.pcap" 2>&1)
		check "show --pcap without VNIF: tcpdump reads no packet" grep -q "link-type EN10MB" <<<"$OUT"
	else
		ok "show --pcap: tcpdump reads it # SKIP no tcpdump (scripts/deps.sh)"
	fi
	run show --pcap "$T/nodir/x.pcap" "$T/vn.img"
	expect "show --pcap into a missing directory: exit 1, nothing listed" 1 '' \
		"nodir/\.x\.pcap\.[A-Za-z0-9]{6}: No such file or directory"
	check "show --pcap into a missing directory: stdout empty" test -z "$OUT"
	run show --pcap "$T/bad.pcap" "$T/bad.img"
	check "show --pcap of a corrupt image: exit 1, no capture" test \
		"$RC:$OUT:$(ls "$T" | grep -c bad.pcap)" == "1::0"
	run show --pcap '' "$T/vn.img"
	expect "show --pcap '': usage" 2 '' "show: --pcap: empty file name"
	run show --json --pcap - "$T/vn.img"
	expect "show --json --pcap -: usage" 2 '' "--json and --pcap - both want standard output"
	run show "$T/vn.img" --pcap
	expect "show --pcap without FILE: usage" 2 '' "option '--pcap' requires an argument"
else
	nok "VNIF reference images" "./image_test --write-vnif-checkpoint failed"
fi

echo "# $LABEL: $pass passed, $fail failed"
[[ $fail == 0 ]]
