#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test of the project, in this order:
#   deps    what is missing is installed (as root) or named (otherwise)
#   host    host-side unit tests (tests/host), no module needed, and the
#           libFuzzer targets (tests/fuzz) for 10 s each
#   build   modules against Debian's headers and against the debug kernel
#           (W=1, warnings are errors), and the userspace tools
#   lint    make lint
#   guest   one boot of the debug kernel: KUnit suites, selftests, pcap
#           suite, module unload; kernel reports and kmemleak fail it
#   stock   one boot of Debian's own kernel: the modules users build load
#           there and pass traffic
# Each result is a line "ok - NAME" or "not ok - NAME"; per suite counts
# follow, and the last line is "N passed, N failed". Logs: build/logs/.

set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
logs=$repo/build/logs
mkdir -p "$logs"
results=$logs/check.results
: >"$results"
start=$SECONDS

say() { echo "== $*"; }

# record SUITE LINE...: keep the ok/not ok lines of a suite's output.
record() {
	local suite=$1 line
	while IFS= read -r line; do
		echo "$line"
		case $line in
		"ok - "* | "not ok - "*) echo "$suite	$line" >>"$results" ;;
		esac
	done
}

# step SUITE NAME LOG CMD...: one result for one command.
step() {
	local suite=$1 name=$2 log=$3 t=$SECONDS
	shift 3
	if "$@" >"$log" 2>&1; then
		echo "ok - $name ($((SECONDS - t)) s)" | record "$suite"
	else
		tail -30 "$log"
		echo "not ok - $name: see $log" | record "$suite"
		return 1
	fi
}

say "deps"
scripts/deps.sh || exit 1

say "host unit tests"
step build "build: userspace tools" "$logs/tools.log" make -s tools
make -s -C tests/host check 2>&1 | tee "$logs/host.log" | record host
[[ ${PIPESTATUS[0]} == 0 ]] || grep -q '^not ok' "$logs/host.log" ||
	echo "not ok - host: tests/host did not run (see $logs/host.log)" | record host
# libFuzzer targets (tests/fuzz): regression inputs, then 10 s each.
tests/fuzz/run.sh --time 10 2>&1 | tee "$logs/fuzz.log" | record host
[[ ${PIPESTATUS[0]} == 0 ]] || grep -q '^not ok' "$logs/fuzz.log" ||
	echo "not ok - fuzz: tests/fuzz/run.sh failed (see $logs/fuzz.log)" | record host

say "build"
kdir=$(make -s print-kdir)
step build "build: modules against $kdir" "$logs/modules.log" make -s modules
step build "build: debug test kernel" "$logs/kernel.log" tests/vm/build-kernel.sh
grep -h "build-kernel:" "$logs/kernel.log" | sed 's/^/# /'
debug_ok=1
step build "build: modules against the debug kernel" "$logs/modules-debug.log" \
	make -s modules-debug || debug_ok=0

say "lint"
step lint "lint: checkpatch --strict, sparse, userspace -Werror" "$logs/lint.log" \
	make -s lint

say "guest: debug kernel (KASAN, lockdep, kmemleak, UBSAN)"
if [[ $debug_ok == 1 ]]; then
	tests/vm/run.sh --kernel debug --timeout "${VNIF_GUEST_TIMEOUT:-1500}" \
		--name check-debug -- tests/guest/run-tests.sh build/ko/debug \
		2> >(tee "$logs/check-debug.vm.log" >&2) | record guest
	rc=${PIPESTATUS[0]}
	# Let the stderr tee finish before reading its log.
	sleep 0.2
	reason=$(grep -m1 '^vm: FAIL' "$logs/check-debug.vm.log" | sed 's/^vm: FAIL: //')
	if [[ -n $reason ]]; then
		echo "not ok - guest: debug boot: $reason" | record guest
	elif [[ $rc != 0 ]] && ! grep -q "^guest	not ok" "$results"; then
		echo "not ok - guest: debug boot: exit status $rc" | record guest
	else
		echo "ok - guest: debug boot clean (no kernel report, kmemleak clean)" | record guest
	fi
else
	echo "not ok - guest: skipped, the modules did not build" | record guest
fi

say "stock: Debian's kernel"
kdir_name=build/ko/$(basename "$kdir")
if [[ -f $kdir_name/vnif.ko ]]; then
	tests/vm/run.sh --kernel stock --timeout 300 --name check-stock -- \
		tests/guest/smoke.sh "$kdir_name" 2> >(tee "$logs/check-stock.vm.log" >&2) |
		record stock
	rc=${PIPESTATUS[0]}
	sleep 0.2
	if [[ $rc != 0 ]] && ! grep -q "^stock	not ok" "$results"; then
		echo "not ok - stock: boot: exit status $rc" | record stock
	fi
else
	echo "not ok - stock: no modules built against Debian's headers" | record stock
fi

echo
say "results ($((SECONDS - start)) s; logs in $logs)"
for suite in host build lint guest stock; do
	p=$(grep -c "^$suite	ok - " "$results")
	f=$(grep -c "^$suite	not ok - " "$results")
	printf '  %-6s %4d ok, %d not ok\n' "$suite" "$p" "$f"
done
grep -P '^\S+\tnot ok - ' "$results" | cut -f2- | sed 's/^/  FAILED: /'
passed=$(grep -c '	ok - ' "$results")
failed=$(grep -c '	not ok - ' "$results")
echo "$passed passed, $failed failed"
[[ $failed == 0 && $passed -gt 0 ]]
