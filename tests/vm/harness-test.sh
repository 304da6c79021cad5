#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-harness: the guest stage of make check must fail, and name
# the reason, when a KUnit expectation fails, when a module WARNs, leaks
# one allocation, or hangs. One guest boot per fault, with a fault module
# (tests/kunit/harness_*.c) loaded by tests/guest/run-tests.sh.

set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
make -s modules-debug || exit 1
logs=$repo/build/logs
pass=0
fail=0

# fault PARAM TIMEOUT PATTERN: the run must fail and print PATTERN.
fault() {
	local param=$1 timeout=$2 pattern=$3 out rc t=$SECONDS
	out=$(VNIF_FAULT=$param tests/vm/run.sh --kernel debug --timeout "$timeout" \
		--name "harness-$param" -- tests/guest/run-tests.sh build/ko/debug \
		--no-selftests 2>&1)
	rc=$?
	if [[ $rc != 0 ]] && grep -Eq "$pattern" <<<"$out"; then
		echo "ok - harness: $param fails the run: $(grep -Em1 "$pattern" <<<"$out") ($((SECONDS - t)) s)"
		pass=$((pass + 1))
	else
		echo "not ok - harness: $param: exit $rc, no /$pattern/ (see $logs/harness-$param.*)"
		echo "$out" | tail -20 | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
}

fault kunit_fail 600 '^not ok - kunit: harness_kunit_fail: harness_kunit_fail_expectation'
fault warn 600 'vm: FAIL: kernel WARN'
fault leak 600 'vm: FAIL: kmemleak: [0-9]+ unreferenced'
fault hang 150 'vm: FAIL: hang'
echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
