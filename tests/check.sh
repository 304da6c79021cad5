#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test of the project, in this order:
#   deps    what is missing is installed (as root) or named (otherwise)
#   host    host-side unit tests (tests/host), no module needed, and the
#           libFuzzer targets (tests/fuzz) for 10 s each
#   build   modules against Debian's headers and against the debug kernel
#           (W=1, warnings are errors), and the userspace tools
#   lint    make lint (run beside the host tests, on the other core)
#   guest   two boots of the debug kernel at once, the work shared between
#           them: KUnit suites, selftests, pcap suite, module unload in
#           each; kernel reports and kmemleak fail a boot
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
lint_pid=
if step build "build: userspace tools" "$logs/tools.log" make -s tools; then
	# make lint builds in build/lint and finds the tools built: it runs
	# beside the host tests, on the other core; its result is recorded
	# in its place below.
	lint_start=$SECONDS
	make -s lint >"$logs/lint.log" 2>&1 &
	lint_pid=$!
fi
make -s -C tests/host check 2>&1 | tee "$logs/host.log" | record host
[[ ${PIPESTATUS[0]} == 0 ]] || grep -q '^not ok' "$logs/host.log" ||
	echo "not ok - host: tests/host did not run (see $logs/host.log)" | record host
if [[ -n $lint_pid ]]; then
	wait "$lint_pid"
	lint_rc=$?
	lint_time=$((SECONDS - lint_start))
fi
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
lint_name="lint: checkpatch --strict, sparse, userspace -Werror"
if [[ -z $lint_pid ]]; then
	step lint "$lint_name" "$logs/lint.log" make -s lint
elif [[ $lint_rc == 0 ]]; then
	echo "ok - $lint_name ($lint_time s, beside the host tests)" | record lint
else
	tail -30 "$logs/lint.log"
	echo "not ok - $lint_name: see $logs/lint.log" | record lint
fi

say "guest: debug kernel (KASAN, lockdep, kmemleak, UBSAN)"
# The guest's work: the KUnit suites, each selftest, the pcap suite, with
# about what each takes in seconds (a debug boot, 2 cores, nothing else
# running: the "# selftest NAME: N s" lines of the output logs). The
# emulated guest keeps one host core busy, so the work is shared between
# two boots that run at once (VNIF_GUEST_BOOTS=1: one boot): the longest
# first, each to the boot with the least so far. A test not in the table
# counts 60 s.
declare -A weight=(
	[kunit]=40 [pcap]=90 [nlfuzz]=75
	[crak-checkpoint-udp]=30 [crak-image]=70 [crak-inspect]=40
	[crak-listen]=50 [crak-migrate-many]=220 [crak-migrate-tcp]=125
	[crak-migrate-udp]=40 [crak-restart-udp]=35 [crak-restore-fail]=30
	[crak-tcp]=75 [crak-vnif-image]=95
	[vnif-cli]=90 [vnif-flows]=100 [vnif-pair]=30 [vnif-teardown]=65
)
boots=${VNIF_GUEST_BOOTS:-2}
[[ $boots == 1 || $boots == 2 ]] || boots=2
work=(kunit pcap)
for t in tests/selftests/*.sh; do
	t=$(basename "$t" .sh)
	[[ $t == lib ]] || work+=("$t")
done
load=(0 0)
part=("" "")
while read -r w t; do
	b=0
	((boots == 2 && load[1] < load[0])) && b=1
	load[b]=$((load[b] + w))
	part[b]+=" $t"
done < <(for t in "${work[@]}"; do echo "${weight[$t]:-60} $t"; done | sort -k1,1nr -k2)

# guest_boot N: boot N runs its part; its lines go to check-debug-N.*.
guest_boot() {
	local n=$1 args=() t
	[[ " ${part[n - 1]} " == *" kunit "* ]] || args+=(--no-kunit)
	[[ " ${part[n - 1]} " == *" pcap "* ]] || args+=(--no-pcap)
	for t in ${part[n - 1]}; do
		[[ $t == kunit || $t == pcap ]] || args+=("tests/selftests/$t.sh")
	done
	[[ " ${args[*]} " == *" tests/selftests/"* ]] || args+=(--no-selftests)
	tests/vm/run.sh --kernel debug --timeout "${VNIF_GUEST_TIMEOUT:-1500}" \
		--name "check-debug-$n" -- tests/guest/run-tests.sh build/ko/debug \
		"${args[@]}" 2>"$logs/check-debug-$n.vm.log" | sed -u "s/^/[$n] /"
	echo "${PIPESTATUS[0]}" >"$logs/check-debug-$n.rc"
}

if [[ $debug_ok == 1 ]]; then
	for ((n = 1; n <= boots; n++)); do
		echo "# boot $n (about $((load[n - 1])) s of work):${part[n - 1]}"
		rm -f "$logs/check-debug-$n.rc"
		guest_boot "$n" &
	done
	wait
	for ((n = 1; n <= boots; n++)); do
		# The boot's own lines, as the guest wrote them, then what the
		# runner said (the reason and the console around a report).
		[[ -f $logs/check-debug-$n.output.log ]] &&
			record guest <"$logs/check-debug-$n.output.log" >/dev/null
		rc=$(cat "$logs/check-debug-$n.rc" 2>/dev/null)
		sed "s/^/[$n] /" "$logs/check-debug-$n.vm.log" >&2
		reason=$(grep -m1 '^vm: FAIL' "$logs/check-debug-$n.vm.log" | sed 's/^vm: FAIL: //')
		if [[ -n $reason ]]; then
			echo "not ok - guest: debug boot $n: $reason" | record guest
		elif [[ $rc != 0 ]] && ! grep -q "^not ok - " "$logs/check-debug-$n.output.log"; then
			echo "not ok - guest: debug boot $n: exit status ${rc:-unknown}" | record guest
		else
			echo "ok - guest: debug boot $n clean (no kernel report, kmemleak clean)" | record guest
		fi
	done
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
