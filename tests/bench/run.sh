#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: boots Debian's stock kernel (the kernel users run) and runs
# tests/bench/bench.py in it. Every figure is measured against a peer in the
# same run: holding against an nftables DROP lock of the same length, vnif
# against veth. Prints a table; saves build/bench/results.json. Not a test:
# nothing here passes or fails on a number.

set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
scripts/deps.sh
make -s modules tools
kdir=build/ko/$(basename "$(make -s print-kdir)")
mkdir -p build/bench
VNIF_VM_MEM=${VNIF_VM_MEM:-2048} tests/vm/run.sh --kernel stock \
	--timeout "${VNIF_BENCH_TIMEOUT:-1800}" --name bench -- \
	bash -c "insmod $kdir/vnif.ko && /usr/bin/python3 tests/bench/bench.py \
		--json build/bench/results.json.guest $*"
# The guest writes into its overlay; the result comes back on stdout.
sed -n 's/^RESULT-JSON //p' build/logs/bench.output.log >build/bench/results.json
echo "bench: results in build/bench/results.json"
