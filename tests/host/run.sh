#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the host tests (built by `make check`), passes their "ok"/"not ok"
# lines through, and ends with "# host: N passed, M failed". A program that
# dies without saying why (a sanitizer report, a crash) counts as a failure
# of its own, so that a silent death cannot pass. Exit 1 on any failure.

set -u
cd "$(dirname "$0")" || exit 1

pass=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# runone NAME CMD...
runone() {
	local name=$1 rc p f
	shift
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	p=$(grep -c '^ok - ' "$out")
	f=$(grep -c '^not ok - ' "$out")
	pass=$((pass + p))
	fail=$((fail + f))
	if [[ $rc != 0 && $f == 0 ]]; then
		echo "not ok - $name: exited $rc without reporting a failing case"
		fail=$((fail + 1))
	elif [[ $rc == 0 && $f != 0 ]]; then
		echo "not ok - $name: exited 0 despite $f failing cases"
		fail=$((fail + 1))
	fi
}

runone image_test ./image_test
runone "cli (userspace/crak)" ./cli_test.sh ../../userspace/crak crak
runone "cli (crak-san)" ./cli_test.sh ./crak-san crak-san
runone migsrv ./migsrv_test.sh

echo "# host: $pass passed, $fail failed"
[[ $fail == 0 ]]
