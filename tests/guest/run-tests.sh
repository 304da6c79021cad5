#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the debug guest (tests/check.sh boots it): loads the modules
# built against the debug kernel, runs every KUnit suite and counts each
# case from the KTAP in debugfs, runs every selftest and the pcap suite,
# and unloads the modules. Every result is one line, "ok - NAME" or
# "not ok - NAME: why"; the host counts them. Kernel reports and kmemleak
# are checked by tests/vm/run.sh and the guest's init.
#
#   tests/guest/run-tests.sh MODULE_DIR [--no-selftests | SELFTEST...]
#
# VNIF_FAULT=kunit_fail|warn|leak|hang loads a module that fails that way
# (tests/kunit/harness_*.c), for make check-harness.

set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
moddir=${1:?module directory}
shift
selftests=("$@")
if [[ ${1:-} == --no-selftests ]]; then
	selftests=()
elif ((${#selftests[@]} == 0)); then
	for t in "$repo"/tests/selftests/*.sh; do
		[[ $(basename "$t") == lib.sh ]] || selftests+=("$t")
	done
fi

failures=0
ok() { echo "ok - $*"; }
notok() {
	echo "not ok - $*"
	failures=$((failures + 1))
}

load() {
	local out
	if out=$(insmod "$@" 2>&1); then
		ok "load: $(basename "$1")"
	else
		notok "load: $(basename "$1"): $out"
		return 1
	fi
}

# KTAP from /sys/kernel/debug/kunit/SUITE/results: each case is a line
# "    ok N name" or "    not ok N name" at one level of indentation;
# parameterised cases carry their parameters one level deeper.
kunit_suite() {
	local suite=$1 file=/sys/kernel/debug/kunit/$1/results line name cases=0
	if [[ ! -r $file ]]; then
		notok "kunit: $suite: no results (suite did not run)"
		return
	fi
	while IFS= read -r line; do
		if [[ $line =~ ^\ {4}(not\ )?ok\ [0-9]+\ (.*)$ ]]; then
			name=${BASH_REMATCH[2]}
			cases=$((cases + 1))
			if [[ -n ${BASH_REMATCH[1]} ]]; then
				notok "kunit: $suite: $name"
			else
				ok "kunit: $suite: $name"
			fi
		elif [[ $line =~ ^\ {4,}#\ (.*)$ && $line != *"# Subtest"* ]]; then
			# Expectation failures and their context.
			echo "#   $suite: ${BASH_REMATCH[1]}"
		fi
	done <"$file"
	((cases)) || notok "kunit: $suite: no case reported"
}

load "$moddir/vnif.ko" || exit 1
load "$moddir/crak.ko" || exit 1

if [[ ${VNIF_FAULT:-} == kunit_fail ]]; then
	echo "# loading harness_kunit_fail.ko on purpose"
	load "$moddir/tests/kunit/harness_kunit_fail.ko" &&
		kunit_suite harness_kunit_fail
elif [[ -n ${VNIF_FAULT:-} ]]; then
	echo "# loading harness_fault.ko $VNIF_FAULT=1 on purpose"
	load "$moddir/tests/kunit/harness_fault.ko" "$VNIF_FAULT=1"
fi

# The KUnit suites run when their modules load.
if [[ -d /sys/kernel/debug/kunit ]]; then
	load "$moddir/tests/kunit/vnif_test.ko" &&
		for s in vnif_queue vnif_gate vnif_attrs; do kunit_suite "$s"; done
	load "$moddir/tests/kunit/crak_image_test.ko" && kunit_suite crak_image
	rmmod crak_image_test vnif_test 2>/dev/null
else
	notok "kunit: /sys/kernel/debug/kunit missing (kernel without KUnit?)"
fi

for t in "${selftests[@]}"; do
	name=$(basename "$t" .sh)
	echo "# selftest $name"
	start=$SECONDS
	out=$(timeout 600 bash "$t" 2>&1)
	rc=$?
	echo "$out"
	n=$(grep -c '^not ok - ' <<<"$out")
	failures=$((failures + n))
	if [[ $rc != 0 && $n == 0 ]]; then
		notok "selftest: $name: exited $rc"
	fi
	echo "# selftest $name: $((SECONDS - start)) s"
	# A selftest may reload the modules; they must be there for the next.
	lsmod | grep -q '^vnif ' || load "$moddir/vnif.ko"
	lsmod | grep -q '^crak ' || load "$moddir/crak.ko"
done

if [[ -x $repo/tests/pcap/run ]]; then
	echo "# pcap suite"
	out=$("$repo/tests/pcap/run" --moddir "$moddir" 2>&1)
	rc=$?
	echo "$out"
	n=$(grep -c '^not ok - ' <<<"$out")
	failures=$((failures + n))
	[[ $rc != 0 && $n == 0 ]] && notok "pcap: exited $rc"
fi

for m in crak vnif; do
	if out=$(rmmod "$m" 2>&1); then
		ok "unload: $m"
	else
		notok "unload: $m: $out"
	fi
done

# The exit status says whether anything failed; the lines say what.
[[ $failures == 0 ]]
