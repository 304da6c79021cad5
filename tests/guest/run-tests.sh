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
#   tests/guest/run-tests.sh MODULE_DIR [--no-kunit] [--no-pcap]
#                            [--no-selftests | SELFTEST...]
#
# With no SELFTEST, every tests/selftests/*.sh runs. --no-kunit and
# --no-pcap leave out the KUnit suites and the pcap suite: make check
# shares the work between two boots that run at once.
#
# VNIF_FAULT=kunit_fail|warn|leak|hang loads a module that fails that way
# (tests/kunit/harness_*.c), for make check-harness.

set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
moddir=${1:?module directory}
shift
kunit=1
pcap=1
while (($#)); do
	case $1 in
	--no-kunit) kunit=0 ;;
	--no-pcap) pcap=0 ;;
	*) break ;;
	esac
	shift
done
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

# The KTAP of one suite: from debugfs (/sys/kernel/debug/kunit/SUITE/
# results), or from the kernel log when debugfs lost lines: on 6.1 a case's
# log there is a small fixed buffer, and a case with many failed
# expectations overflows it, result line and all.
kunit_ktap() {
	local suite=$1 file=/sys/kernel/debug/kunit/$1/results
	if [[ $2 == debugfs ]]; then
		cat "$file"
	else
		dmesg | sed 's/^\[[^]]*\] //' |
			awk -v s="$suite" '$0 == "    # Subtest: " s { f = 1; next }
				f && $0 ~ "^(not )?ok [0-9]+ " s "$" { print; exit }
				f { print }'
	fi
}

# Each case is a line "    ok N name" or "    not ok N name" one level in;
# parameterised cases carry their parameters one level deeper. The suite's
# "# SUITE: pass:P fail:F skip:S total:T" line says how many there must be
# (6.1 prints it only for suites of more than one case), and its own line
# "ok N SUITE" or "not ok N SUITE" closes it.
kunit_suite() {
	local suite=$1 src ktap line name cases total closed fails seen_fail
	if [[ ! -r /sys/kernel/debug/kunit/$suite/results ]]; then
		notok "kunit: $suite: no results (suite did not run)"
		return
	fi
	for src in debugfs dmesg; do
		ktap=$(kunit_ktap "$suite" $src)
		cases=$(grep -cE '^ {4}(not )?ok [0-9]+ ' <<<"$ktap")
		total=$(grep -oE "# $suite: pass:[0-9]+ fail:[0-9]+ skip:[0-9]+ total:[0-9]+" \
			<<<"$ktap" | sed 's/.*total://')
		closed=$(grep -cE "^(not )?ok [0-9]+ $suite\$" <<<"$ktap")
		[[ -z $total && $closed == 1 ]] && total=$cases
		[[ -n $total && $cases == "$total" && $closed == 1 ]] && break
	done
	fails=0
	while IFS= read -r line; do
		if [[ $line =~ ^\ {4}(not\ )?ok\ [0-9]+\ (.*)$ ]]; then
			name=${BASH_REMATCH[2]}
			if [[ -n ${BASH_REMATCH[1]} ]]; then
				notok "kunit: $suite: $name"
				fails=$((fails + 1))
			else
				ok "kunit: $suite: $name"
			fi
		elif [[ $line =~ ^\ {4,}#\ (.*)$ && $line != *"# Subtest"* ]]; then
			# Expectation failures and their context.
			echo "#   $suite: ${BASH_REMATCH[1]}"
		fi
	done <<<"$ktap"
	if [[ -z $total || $closed != 1 ]]; then
		notok "kunit: $suite: its KTAP is incomplete (see the console log)"
	elif [[ $cases != "$total" ]]; then
		notok "kunit: $suite: $total cases, $cases results found (see the console log)"
	fi
	# The suite's own verdict must agree with its cases'.
	seen_fail=$(grep -cE "^not ok [0-9]+ $suite\$" <<<"$ktap")
	((cases)) || notok "kunit: $suite: no case reported"
	if [[ $seen_fail != 0 && $fails == 0 ]]; then
		notok "kunit: $suite: the suite failed but no case did"
	fi
}

export VNIF_MODDIR=$moddir
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
if [[ $kunit == 0 ]]; then
	echo "# KUnit suites left out (--no-kunit)"
elif [[ -d /sys/kernel/debug/kunit ]]; then
	start=$SECONDS
	load "$moddir/tests/kunit/vnif_test.ko" &&
		for s in vnif_queue vnif_gate vnif_attrs vnif_dev; do kunit_suite "$s"; done
	load "$moddir/tests/kunit/crak_image_test.ko" && kunit_suite crak_image
	rmmod crak_image_test vnif_test 2>/dev/null
	echo "# kunit: $((SECONDS - start)) s"
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

if [[ $pcap == 0 ]]; then
	echo "# pcap suite left out (--no-pcap)"
elif [[ -x $repo/tests/pcap/run ]]; then
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
