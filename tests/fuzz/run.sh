#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the fuzz targets (make -C tests/fuzz), then for each target:
#
#   1. replays every committed input, tests/fuzz/regress/TARGET/* and
#      tests/fuzz/corpus/TARGET/*: any crash, leak or sanitizer report fails;
#   2. fuzzes it for SECONDS, from a scratch copy of those inputs in
#      build/fuzz/TARGET/corpus (the committed corpus is never written),
#      findings to build/fuzz/TARGET/.
#
# One line per target and phase:
#   ok - fuzz: TARGET: N regression inputs replayed
#   ok - fuzz: TARGET: S s, RUNS runs, E exec/s, cov N, ft N, corpus N
#   not ok - fuzz: TARGET: crash, input saved as PATH
# the last followed by the sanitizer's report as "# " lines. Exit 1 if any
# line is "not ok". Logs: build/fuzz/TARGET/{replay,fuzz}.log.
#
#   tests/fuzz/run.sh [--time SECONDS] [--merge] [TARGET...]
#
# TARGET: image, pcap, vnif_args, crak_args (default: all). --time: how
# long each target is fuzzed (default 10). --merge: afterwards, inputs
# that add coverage are merged into tests/fuzz/corpus/TARGET, to be
# committed (the seeds themselves come from mkseeds.py).

set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$repo/build/fuzz
all=(image pcap vnif_args crak_args)
secs=10
merge=0
targets=()

usage() {
	sed -n 's/^#   tests/tests/p' "$0" >&2
	exit 2
}

while (($#)); do
	case $1 in
	--time)
		[[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage
		secs=$2
		shift 2
		;;
	--time=*)
		secs=${1#--time=}
		[[ $secs =~ ^[1-9][0-9]*$ ]] || usage
		shift
		;;
	--merge)
		merge=1
		shift
		;;
	-h | --help) usage ;;
	-*) usage ;;
	*)
		t=${1#fuzz_}
		[[ " ${all[*]} " == *" $t "* ]] || {
			echo "run.sh: unknown target '$1' (${all[*]})" >&2
			exit 2
		}
		targets+=("$t")
		shift
		;;
	esac
done
((${#targets[@]})) || targets=("${all[@]}")

fail=0
shopt -s nullglob
# A UBSan report with the stack that led to it.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# report LOG: the sanitizer's (or libFuzzer's) report in LOG, as "# " lines.
report() {
	awk '/==[0-9]+== ?ERROR|runtime error:|(ERROR|WARNING): libFuzzer/ {
		on = 1
	     }
	     on && n < 40 { print "# " $0; n++ }
	     on && /^SUMMARY:/ { exit }' "$1"
}

mkdir -p "$out"
if ! make -s -C "$here" >"$out/build.log" 2>&1; then
	sed 's/^/# /' "$out/build.log" | tail -30
	echo "not ok - fuzz: build failed: see $out/build.log"
	exit 1
fi

# replay TARGET
replay() {
	local t=$1 dir=$out/$1 log=$out/$1/replay.log rc culprit
	local files=("$here/regress/$t"/* "$here/corpus/$t"/*)

	mkdir -p "$dir"
	if ((${#files[@]} == 0)); then
		echo "ok - fuzz: $t: 0 regression inputs replayed"
		return
	fi
	"$out/bin/fuzz_$t" -timeout=25 -artifact_prefix="$dir/" "${files[@]}" \
		>"$log" 2>&1
	rc=$?
	if ((rc == 0)); then
		echo "ok - fuzz: $t: ${#files[@]} regression inputs replayed"
		return
	fi
	culprit=$(sed -n 's/^Running: //p' "$log" | tail -1)
	echo "not ok - fuzz: $t: crash, input saved as ${culprit#"$repo"/}"
	report "$log"
	fail=1
}

# fuzz TARGET
fuzz() {
	local t=$1 dir=$out/$1 log=$out/$1/fuzz.log rc dict=() art status
	local runs eps cov ft corp added

	rm -rf "$dir/corpus"
	mkdir -p "$dir/corpus"
	cp -- "$here/corpus/$t"/* "$here/regress/$t"/* "$dir/corpus/" 2>/dev/null
	[[ -f $here/dict/$t.dict ]] && dict=(-dict="$here/dict/$t.dict")
	# Inputs of up to 4 KiB: longer seeds are replayed whole above, and
	# only their start is mutated here.
	"$out/bin/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
		-max_len=4096 -timeout=25 -artifact_prefix="$dir/" "${dict[@]}" \
		"$dir/corpus" >"$log" 2>&1
	rc=$?
	if ((rc != 0)); then
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
		if [[ -n $art ]]; then
			echo "not ok - fuzz: $t: crash, input saved as ${art#"$repo"/}"
		else
			echo "not ok - fuzz: $t: exit status $rc: see ${log#"$repo"/}"
		fi
		report "$log"
		fail=1
		return
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	status=$(grep -E '^#[0-9]+[[:space:]]+[A-Z]+ +cov:' "$log" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$status")
	corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$status")
	echo "ok - fuzz: $t: $secs s, ${runs:-?} runs, ${eps:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}"
	((merge)) || return
	mkdir -p "$here/corpus/$t"
	if ! "$out/bin/fuzz_$t" -merge=1 -timeout=25 "$here/corpus/$t" \
		"$dir/corpus" >"$dir/merge.log" 2>&1; then
		echo "not ok - fuzz: $t: merge failed: see ${dir#"$repo"/}/merge.log"
		fail=1
		return
	fi
	added=$(sed -n 's/^MERGE-OUTER: \([0-9]*\) new files.*/\1/p' "$dir/merge.log")
	echo "# fuzz: $t: ${added:-0} new inputs merged into tests/fuzz/corpus/$t"
}

for t in "${targets[@]}"; do
	replay "$t"
done
for t in "${targets[@]}"; do
	fuzz "$t"
done
exit $fail
