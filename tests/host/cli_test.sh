#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cli_test.sh CRAK [LABEL]: the crak tool on the host, no module needed.
# `crak new` then `crak show` (text and JSON) must give back what went in,
# a corrupt, cut or oversized file must be refused with the codec's
# message and exit 1, usage errors exit 2. One "ok - LABEL: NAME" or
# "not ok - LABEL: NAME: why" per check; exit 1 if any failed.

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
for cmd in version show check new; do
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

echo "# $LABEL: $pass passed, $fail failed"
[[ $fail == 0 ]]
