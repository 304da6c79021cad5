#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crak-image: the crak tool and crak.ko judge images alike, and only the
# privileged may ask crak.ko anything. crak.ko is loaded by the runner.
#
#   - `crak version` reports the module's ioctl ABI and image version;
#   - crak.ko gives the same verdict (error code, message, section and
#     offset, or number of sections) as the tool's codec on a valid image,
#     on every single-byte change (xor 0x01, 0x80 and 0xff) of a small
#     reference image, on every truncation of it, on appended bytes, and on
#     every byte after the header changed with the checksums made right
#     again (so that the payload rules, not a checksum, judge it); the same
#     for the codec's TCP, listener and VNIF reference images (sockets,
#     queues, a connection not yet accepted; a vnif device with addresses,
#     routes and held frames). imgvar (imgvar.c) feeds them all to the
#     module from one process; `crak check --kernel` itself judges every
#     37th variant but the resealed ones, in one run, and this script
#     compares the messages it printed once more;
#   - an image larger than CRAK_IMAGE_MAX_CHECK is refused by the module;
#   - permissions: nobody cannot open /dev/crak (0600 root); a caller that
#     can open a 0666 copy of the node but holds neither
#     CAP_CHECKPOINT_RESTORE nor CAP_SYS_ADMIN is refused by the ioctl's
#     own check (EPERM), and so is root with every capability dropped;
#     either capability alone is enough.
#
# The variants live in memory, not in files: creating and reading
# thousands of files and parsing what the tool said of each cost a
# minute in the slow guest, the ioctls themselves take seconds.

source "$(dirname "$0")/lib.sh"

DEV=/dev/crak
REF=$VT_TMP/ref.img
UAPI=$VT_REPO/include/uapi/linux/crak.h
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
IMGVAR=$VT_REPO/tests/selftests/imgvar
SAMPLE=37	# the tool judges every 37th variant

uapi() { sed -n "s/^#define $1[[:space:]]\{1,\}\([0-9]\{1,\}\).*/\1/p" "$UAPI"; }

if [[ ! -c $DEV ]]; then
	vt_fail "crak.ko loaded" "no $DEV"
	vt_done
fi

# The module's versions, as the uapi header has them.
out=$("$CRAK" version 2>&1)
vt_eq "version: the module's image format and ioctl ABI" \
	"crak.ko: image format version $(uapi CRAK_IMAGE_VERSION), ioctl ABI $(uapi CRAK_ABI_VERSION) ($DEV)" \
	"$(grep '^crak.ko:' <<<"$out")"

# A small reference image: a META and a 7-byte NOTE, padding in both.
SOURCE_DATE_EPOCH=0 "$CRAK" new -o "$REF" --note "flip me" >/dev/null
reflen=$(stat -c %s "$REF")
out=$("$CRAK" check --kernel "$REF" 2>&1)
vt_eq "check --kernel: valid reference image ($reflen bytes)" \
	"$REF: valid, 2 sections, $reflen bytes
$REF: kernel agrees: valid, 2 sections" "$out"

# agree IMAGE...: every IMAGE is refused by both, with the same words.
# Prints "FILES AGREED DISAGREED ACCEPTED STATUS".
agree() {
	local files=("$@") out rc

	out=$("$CRAK" check --kernel "${files[@]}" 2>&1)
	rc=$?
	awk -v files="${#files[@]}" -v rc="$rc" '
	function name(line) { sub(/^crak: /, "", line); return substr(line, 1, index(line, ": ") - 1) }
	/: kernel disagrees: / { dis++; print "# " $0 > "/dev/stderr"; next }
	/^crak: .*: kernel agrees: / { k[name($0)] = substr($0, index($0, ": kernel agrees: ") + 17); next }
	/^crak: / { line = $0; f = name(line); u[f] = substr($0, length("crak: " f ": ") + 1); next }
	/: valid, / { valid++ }
	END {
		for (f in u)
			if ((f in k) && k[f] == u[f])
				same++
		print files, same + 0, dis + 0, valid + 0, rc
	}' <<<"$out"
}

# judge NAME DIR REF XOR...: every variant of REF judged alike by the
# module and the codec (imgvar), under KASAN; every SAMPLEth of them is
# written to DIR, for `crak check --kernel` to judge them all at the end.
judge() {
	local name=$1 dir=$2 ref=$3 len nflip out t0 t1

	shift 3
	len=$(stat -c %s "$ref")
	nflip=$((len * $#))
	mkdir -p "$dir"
	t0=$(date +%s%N)
	if ! out=$("$IMGVAR" --sample "$dir" --every "$SAMPLE" "$ref" "$@" 2>"$dir.err"); then
		vt_fail "$name: imgvar" "$(tr '\n' ' ' <"$dir.err")"
		return
	fi
	t1=$(date +%s%N)
	sed 's/^/# /' "$dir.err"
	vt_eq "$name: all $nflip single-byte changes refused alike" \
		"flip $nflip $nflip 0 0" "$(grep '^flip ' <<<"$out")"
	vt_eq "$name: all $len truncations refused alike" \
		"cut $len $len 0 0" "$(grep '^cut ' <<<"$out")"
	vt_eq "$name: 5 images with bytes appended refused alike" \
		"tail 5 5 0 0" "$(grep '^tail ' <<<"$out")"
	vt_eq "$name: all $((len - 32)) sealed byte changes judged alike" \
		"sealed $((len - 32)) $((len - 32)) 0" \
		"$(grep '^sealed ' <<<"$out" | cut -d' ' -f1-4)"
	vt_log "$name: $((nflip + len + 5 + len - 32)) variants in $(((t1 - t0) / 1000000)) ms, $(grep '^sealed ' <<<"$out" | cut -d' ' -f5) sealed changes valid for both (payload bytes, fields without a rule)"
}

# The variants go to the guest's /dev/shm: creating thousands of files on
# its overlay root takes far longer.
VAR=$(mktemp -d /dev/shm/crak-image.XXXXXX)
vt_defer "rm -rf '$VAR'"
judge "META and NOTE reference image" "$VAR/ref" "$REF" 0x01 0x80 0xff
# The codec's references (tests/host/image_test.c): TCP connections with
# their queues, a listener with connections not yet accepted, a vnif
# device with 2 addresses, 2 routes and a frame held each way.
for kind in tcp listen vnif; do
	img=$VT_TMP/$kind.img
	if "$VT_REPO/tests/host/image_test" "--write-$kind-checkpoint" "$img" >/dev/null &&
		"$CRAK" check --kernel "$img" >/dev/null; then
		judge "$kind reference image" "$VAR/$kind" "$img" 0x01 0x80 0xff
	else
		vt_fail "$kind reference image (make check-host builds image_test)"
	fi
done

# The crak tool on the samples of every reference, in one process: the
# same verdicts from its codec and the module, printed alike.
samples=("$VAR"/*/{flip,cut,tail}/*.img)
t0=$(date +%s%N)
vt_eq "crak check --kernel on every ${SAMPLE}th variant of each reference" \
	"${#samples[@]} ${#samples[@]} 0 0 1" "$(agree "${samples[@]}")"
vt_log "crak check --kernel: ${#samples[@]} variants in $((($(date +%s%N) - t0) / 1000000)) ms"

# One by one too, with the exact words for a payload byte and a cut.
off=$((32 + 16))
cp "$REF" "$VT_TMP/one.img"
printf 'X' | dd of="$VT_TMP/one.img" bs=1 seek=$off conv=notrunc status=none
vt_refuse "check --kernel: a changed META byte, exact verdict" \
	"^crak: $VT_TMP/one.img: kernel agrees: section checksum mismatch \(section 0, offset 32\)$" \
	"$CRAK" check --kernel "$VT_TMP/one.img"
head -c 100 "$REF" >"$VT_TMP/cut.img"
vt_refuse "check --kernel: truncated image, exact verdict" \
	"^crak: $VT_TMP/cut.img: kernel agrees: truncated: shorter than the header says \(section 0, offset 100\)$" \
	"$CRAK" check --kernel "$VT_TMP/cut.img"

# Past what CRAK_IOC_IMAGE_CHECK takes (CRAK_IMAGE_MAX_CHECK, 64 MiB): the
# module says EFBIG before copying anything.
truncate -s $((64 * 1024 * 1024 + 1)) "$VAR/big.img"
vt_refuse "check --kernel: image over 64 MiB refused by the module" \
	"not checked by the kernel: 67108865 bytes, more than the 67108864 bytes" \
	"$CRAK" check --kernel "$VAR/big.img"
rm -f "$VAR/big.img"

# Permissions. Nobody cannot even open the device.
vt_refuse "nobody: version refused, device not opened (EACCES)" \
	"$DEV: Permission denied" \
	"${NOBODY[@]}" --inh-caps=-all "$CRAK" version
nobody_check() { "${NOBODY[@]}" --inh-caps=-all "$CRAK" check --kernel - <"$REF"; }
vt_refuse "nobody: check --kernel refused, device not opened (EACCES)" \
	"$DEV: Permission denied" nobody_check

# A 0666 copy of the node: open succeeds, so only the ioctl's own
# capability check stands between nobody and the module.
devnum=$(cat /sys/class/misc/crak/dev)
chmod 0755 "$VT_TMP"
mkdir -m 0755 "$VT_TMP/dev"
NODE=$VT_TMP/dev/crak
mknod -m 0666 "$NODE" c "${devnum%:*}" "${devnum#*:}"

# as_nobody CAPS CMD...: as nobody with only CAPS (e.g. "+sys_admin"),
# given through the ambient set so that they survive the exec.
as_nobody() {
	local caps=$1

	shift
	"${NOBODY[@]}" --inh-caps="-all$caps" --ambient-caps="-all$caps" "$@"
}
vt_eq "nobody: no capability at all (CapEff)" "0000000000000000" \
	"$(as_nobody "" awk '/^CapEff/ { print $2 }' /proc/self/status)"
vt_refuse "nobody, 0666 node, no capability: CRAK_IOC_VERSION EPERM" \
	"$NODE: CRAK_IOC_VERSION: Operation not permitted" \
	as_nobody "" "$CRAK" version --device "$NODE"
check_node() { as_nobody "$1" "$CRAK" check --kernel --device "$NODE" - <"$REF"; }
vt_refuse "nobody, 0666 node, no capability: CRAK_IOC_IMAGE_CHECK EPERM" \
	"$NODE: CRAK_IOC_IMAGE_CHECK: Operation not permitted" check_node ""
vt_refuse "nobody, 0666 node, CAP_NET_ADMIN only: EPERM" \
	"$NODE: CRAK_IOC_IMAGE_CHECK: Operation not permitted" \
	check_node ",+net_admin"
vt_check "nobody, 0666 node, CAP_CHECKPOINT_RESTORE only: allowed" \
	check_node ",+checkpoint_restore"
vt_check "nobody, 0666 node, CAP_SYS_ADMIN only: allowed" \
	check_node ",+sys_admin"

# Root with every capability dropped: owner of the 0600 device, so the open
# succeeds; the ioctl must still refuse.
ROOT_NOCAPS=(setpriv --inh-caps=-all --bounding-set=-all)
vt_eq "root without capabilities (CapEff)" "0000000000000000" \
	"$("${ROOT_NOCAPS[@]}" awk '/^CapEff/ { print $2 }' /proc/self/status)"
vt_refuse "root without capabilities: CRAK_IOC_VERSION EPERM" \
	"$DEV: CRAK_IOC_VERSION: Operation not permitted" \
	"${ROOT_NOCAPS[@]}" "$CRAK" version
vt_refuse "root without capabilities: CRAK_IOC_IMAGE_CHECK EPERM" \
	"$DEV: CRAK_IOC_IMAGE_CHECK: Operation not permitted" \
	"${ROOT_NOCAPS[@]}" "$CRAK" check --kernel "$REF"

vt_done
