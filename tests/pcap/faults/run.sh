#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make pcap-faults: shows that the pcap suite catches a broken device.
# Each tests/pcap/faults/NAME.patch breaks vnif on purpose (NAME.expect
# lists the cases that must then fail). The patched module is built
# against the debug kernel in build/ko/fault-NAME, and one guest boot runs
# the suite against every broken module in turn. This passes when every
# expected case fails its "delivered" check with a readable difference.
#
#   tests/pcap/faults/run.sh [NAME...]

set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cd "$repo"

faults=("$@")
if ((${#faults[@]} == 0)); then
	for p in "$here"/*.patch; do faults+=("$(basename "$p" .patch)"); done
fi

kdir=$(tests/vm/build-kernel.sh) || exit 1
make -s tools || exit 1
for f in "${faults[@]}"; do
	dir=build/ko/fault-$f
	rm -rf "$dir" && mkdir -p "$dir"
	cp -a --parents Kbuild vnif ckpt include tests/kunit "$dir"/
	patch -s -p1 -d "$dir" <"$here/$f.patch" || {
		echo "not ok - pcap-faults: $f.patch does not apply"
		exit 1
	}
	make -s -C "$kdir" M="$repo/$dir" modules >"$dir.log" 2>&1 || {
		tail "$dir.log"
		echo "not ok - pcap-faults: $f: the module does not build"
		exit 1
	}
done

# One boot: each broken module in turn, the whole suite against it.
script='for f in '"${faults[*]}"'; do
	echo "### fault $f"
	insmod build/ko/fault-$f/vnif.ko || exit 1
	tests/pcap/run $(cat tests/pcap/faults/$f.expect)
	rmmod vnif || exit 1
done; true'
log=build/logs/pcap-faults.out
tests/vm/run.sh --kernel debug --timeout 1500 --name pcap-faults -- \
	bash -c "$script" >"$log"
rc=$?

failed=0
for f in "${faults[@]}"; do
	out=$(sed -n "/^### fault $f\$/,/^### fault /p" "$log")
	for c in $(cat "$here/$f.expect"); do
		if grep -q "^not ok - pcap: $c: delivered" <<<"$out" &&
			grep -q "^#   .*first difference at frame" <<<"$out"; then
			echo "ok - pcap-faults: $f: $c fails, as it must"
		else
			echo "not ok - pcap-faults: $f: $c did not fail"
			failed=1
		fi
	done
	# The first difference the suite reported, as a user would read it.
	echo "# $f: what the suite printed for the first failing case:"
	awk '/^not ok - pcap: .*: delivered/ { p = 1; print; next }
	     p && /^#   / { print; n++; if (n > 40) exit; next }
	     p { exit }' <<<"$out" | sed 's/^/# /'
done
[[ $rc == 0 ]] || { echo "not ok - pcap-faults: the guest run failed ($rc)"; failed=1; }
exit $failed
